/* refloop.c — the benchmark's reference loop: the least work any poller
 * built on libnetsnmp can do to collect the interface data of N devices,
 * so that the real poller's cost has a floor to be measured against. It
 * opens one Net-SNMP single-session handle per device (snmp_sess_open),
 * registers every session's socket in one epoll set, keeps a window of
 * devices with a request in flight (snmp_sess_async_send) and calls
 * snmp_sess_read2 only on sockets that are ready — never the classic
 * snmp_select_info/snmp_read pair, which walks all sessions on every call.
 * Each GETBULK asks for sysUpTime as non-repeater and, in parallel, every
 * needed column of ifXTable and ifTable still being walked, continuing each
 * column from its own last index, so one round trip fills a whole datagram.
 * It decodes every varbind (libnetsnmp parses the PDU; we check each name
 * against its column and add the values into a checksum) and deliberately
 * stores nothing, computes no rates and writes nothing: that is the poller's
 * work, and the difference is what bench/poll reports. Being a benchmark, it
 * calls Net-SNMP directly rather than through the poller's adapter. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include <glib.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#define N_COLS 13
#define COL_OID_LEN_MAX 11

/* The columns a poller needs (what poller/sample.h holds), in OID order. */
static const oid col_oid[N_COLS][COL_OID_LEN_MAX] = {
	{ 1, 3, 6, 1, 2, 1, 2, 2, 1, 7 },          /* ifAdminStatus */
	{ 1, 3, 6, 1, 2, 1, 2, 2, 1, 8 },          /* ifOperStatus */
	{ 1, 3, 6, 1, 2, 1, 2, 2, 1, 13 },         /* ifInDiscards */
	{ 1, 3, 6, 1, 2, 1, 2, 2, 1, 14 },         /* ifInErrors */
	{ 1, 3, 6, 1, 2, 1, 2, 2, 1, 19 },         /* ifOutDiscards */
	{ 1, 3, 6, 1, 2, 1, 2, 2, 1, 20 },         /* ifOutErrors */
	{ 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1 },      /* ifName */
	{ 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6 },      /* ifHCInOctets */
	{ 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 7 },      /* ifHCInUcastPkts */
	{ 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 10 },     /* ifHCOutOctets */
	{ 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 11 },     /* ifHCOutUcastPkts */
	{ 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 15 },     /* ifHighSpeed */
	{ 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 18 },     /* ifAlias */
};
static const size_t col_len[N_COLS] = { 10, 10, 10, 10, 10, 10, 11, 11, 11, 11, 11, 11, 11 };
static const oid sys_uptime_oid[] = { 1, 3, 6, 1, 2, 1, 1, 3 };

typedef struct XnRef XnRef;

typedef struct {
	XnRef   *ref;
	void    *sess;
	int      fd;
	guint16  active;          /* columns still being walked (bit per column) */
	guint16  sent;            /* columns in the request in flight, in order */
	guint16  has;             /* columns with a last index */
	guint32  last[N_COLS];    /* ifIndex reached in each column */
	gboolean in_flight;
	gboolean answered;        /* the callback ran: send the next request or finish */
	gboolean failed;
	guint    slot;            /* its window slot while in flight */
} XnRefDevice;

struct XnRef {
	guint        n;
	XnRefDevice *dev;
	int          epfd;
	netsnmp_large_fd_set lfs;
	guint        window;
	guint        max_rep;
	XnRefDevice **slot;       /* window slots; NULL when free */
	guint        busy;
	/* per cycle */
	guint64 varbinds;         /* values asked for and received: the figure of merit */
	guint64 received;         /* every varbind decoded, including past a column's end */
	guint64 requests, timeouts, errors;
	guint   finished, ok;
	guint64 checksum;         /* keeps the value reads from being optimised away */
};

static double
cpu_now (long *rss_kb)
{
	struct rusage ru;

	getrusage (RUSAGE_SELF, &ru);
	if (rss_kb != NULL)
		*rss_kb = ru.ru_maxrss;
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void
touch (XnRef *ref, const netsnmp_variable_list *vb)
{
	switch (vb->type) {
	case ASN_COUNTER64:
		ref->checksum += ((guint64) vb->val.counter64->high << 32) | vb->val.counter64->low;
		break;
	case ASN_INTEGER: case ASN_COUNTER: case ASN_GAUGE: case ASN_TIMETICKS:
		ref->checksum += (guint64) *vb->val.integer;
		break;
	case ASN_OCTET_STR:
		ref->checksum += vb->val_len + (vb->val_len > 0 ? vb->val.string[0] : 0);
		break;
	default:
		break;
	}
}

/* Take one column's varbind; FALSE when the column has ended. */
static gboolean
take (XnRefDevice *d, guint c, const netsnmp_variable_list *vb)
{
	guint32 idx;

	if (vb->type == SNMP_ENDOFMIBVIEW || vb->name_length != col_len[c] + 1 ||
	    memcmp (vb->name, col_oid[c], col_len[c] * sizeof (oid)) != 0)
		return FALSE;
	idx = (guint32) vb->name[col_len[c]];
	if ((d->has & (1u << c)) && idx <= d->last[c]) {
		d->failed = TRUE;          /* an agent going backwards would loop forever */
		return FALSE;
	}
	d->last[c] = idx;
	d->has |= 1u << c;
	return TRUE;
}

static void
decode (XnRef *ref, XnRefDevice *d, const netsnmp_pdu *pdu)
{
	const netsnmp_variable_list *vb = pdu->variables;
	guint order[N_COLS], n_rep = 0, k = 0;
	gboolean progress = FALSE;

	for (guint c = 0; c < N_COLS; c++)
		if (d->sent & (1u << c))
			order[n_rep++] = c;
	if (vb != NULL) {              /* sysUpTime, the non-repeater */
		ref->received++;
		if (vb->type == ASN_TIMETICKS) {
			touch (ref, vb);
			ref->varbinds++;
		}
		vb = vb->next_variable;
	}
	for (; vb != NULL && n_rep > 0; vb = vb->next_variable, k = (k + 1) % n_rep) {
		guint c = order[k];

		ref->received++;
		if (!(d->active & (1u << c)))
			continue;
		if (!take (d, c, vb)) {
			d->active &= ~(1u << c);
			continue;
		}
		touch (ref, vb);
		ref->varbinds++;
		progress = TRUE;
	}
	if (!progress && d->active != 0)
		d->failed = TRUE;          /* nothing new: the agent cannot fit one row */
}

static int
on_response (int op, netsnmp_session *session, int reqid, netsnmp_pdu *pdu, void *magic)
{
	XnRefDevice *d = magic;

	/* Net-SNMP tells the callback about each retransmission too; the
	 * request is still in flight. */
	if (op == NETSNMP_CALLBACK_OP_RESEND || op == NETSNMP_CALLBACK_OP_CONNECT)
		return 1;
	d->answered = TRUE;
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE) {
		d->failed = TRUE;
		d->ref->timeouts++;
	} else if (pdu->errstat != SNMP_ERR_NOERROR) {
		d->failed = TRUE;
		d->ref->errors++;
	} else {
		decode (d->ref, d, pdu);
	}
	return 1;
}

static gboolean
send_next (XnRef *ref, XnRefDevice *d)
{
	netsnmp_pdu *pdu = snmp_pdu_create (SNMP_MSG_GETBULK);
	oid name[COL_OID_LEN_MAX + 1];

	pdu->non_repeaters = 1;
	pdu->max_repetitions = ref->max_rep;
	snmp_add_null_var (pdu, sys_uptime_oid, G_N_ELEMENTS (sys_uptime_oid));
	for (guint c = 0; c < N_COLS; c++) {
		size_t len = col_len[c];

		if (!(d->active & (1u << c)))
			continue;
		memcpy (name, col_oid[c], len * sizeof (oid));
		if (d->has & (1u << c))
			name[len++] = d->last[c];
		snmp_add_null_var (pdu, name, len);
	}
	d->sent = d->active;
	if (snmp_sess_async_send (d->sess, pdu, on_response, d) == 0) {
		snmp_free_pdu (pdu);
		ref->errors++;
		return FALSE;
	}
	ref->requests++;
	return TRUE;
}

static void
start_device (XnRef *ref, XnRefDevice *d, guint slot)
{
	d->active = (1u << N_COLS) - 1;
	d->has = 0;
	d->failed = FALSE;
	d->answered = FALSE;
	d->in_flight = TRUE;
	d->slot = slot;
	ref->slot[slot] = d;
	ref->busy++;
	if (!send_next (ref, d))
		d->answered = d->failed = TRUE;
}

/* After the callback: the next request, or the device is done. */
static void
follow_up (XnRef *ref, XnRefDevice *d)
{
	if (!d->answered)
		return;
	d->answered = FALSE;
	if (!d->failed && d->active != 0 && send_next (ref, d))
		return;
	d->in_flight = FALSE;
	ref->finished++;
	ref->ok += !d->failed;
	ref->busy--;
	ref->slot[d->slot] = NULL;
}

static void
read_ready (XnRef *ref, XnRefDevice *d)
{
	NETSNMP_LARGE_FD_SET (d->fd, &ref->lfs);
	snmp_sess_read2 (d->sess, &ref->lfs);     /* also drains late answers of finished devices */
	NETSNMP_LARGE_FD_CLR (d->fd, &ref->lfs);
	follow_up (ref, d);
}

/* Retransmissions and timeouts, for the devices in flight only. */
static void
tick (XnRef *ref)
{
	for (guint s = 0; s < ref->window; s++) {
		XnRefDevice *d = ref->slot[s];

		if (d == NULL)
			continue;
		snmp_sess_timeout (d->sess);
		follow_up (ref, d);
	}
}

static void
run_cycle (XnRef *ref, guint cycle)
{
	struct epoll_event ev[512];
	guint next = 0;
	gint64 t0 = g_get_monotonic_time (), last_tick = t0;
	double c0 = cpu_now (NULL), wall, cpu;
	long rss;

	ref->varbinds = ref->received = ref->requests = ref->timeouts = ref->errors = 0;
	ref->finished = ref->ok = 0;
	while (ref->finished < ref->n) {
		for (guint s = 0; s < ref->window && next < ref->n; s++)
			if (ref->slot[s] == NULL)
				start_device (ref, &ref->dev[next++], s);
		int k = epoll_wait (ref->epfd, ev, G_N_ELEMENTS (ev), 100);
		for (int i = 0; i < k; i++)
			read_ready (ref, &ref->dev[ev[i].data.u32]);
		if (g_get_monotonic_time () - last_tick >= 100000 || k <= 0) {
			tick (ref);
			last_tick = g_get_monotonic_time ();
		}
	}
	wall = (g_get_monotonic_time () - t0) / 1e6;
	cpu = cpu_now (&rss) - c0;
	printf ("refloop: cycle %u: devices %u ok %u timeouts %" G_GUINT64_FORMAT " errors %" G_GUINT64_FORMAT
		"; %" G_GUINT64_FORMAT " varbinds (%" G_GUINT64_FORMAT " decoded) in %" G_GUINT64_FORMAT
		" requests; wall %.2f s, %.0f varbinds/s; CPU %.2f s, %.3f CPU s per million varbinds;"
		" peak RSS %.1f MB\n",
		cycle, ref->n, ref->ok, ref->timeouts, ref->errors, ref->varbinds, ref->received,
		ref->requests, wall, ref->varbinds / wall, cpu, cpu * 1e6 / MAX (ref->varbinds, 1), rss / 1024.0);
	printf ("RESULT tool=refloop cycle=%u devices=%u ok=%u varbinds=%" G_GUINT64_FORMAT
		" requests=%" G_GUINT64_FORMAT " wall_s=%.3f cpu_s=%.3f cpu_s_per_mvb=%.4f peak_rss_kb=%ld\n",
		cycle, ref->n, ref->ok, ref->varbinds, ref->requests, wall, cpu,
		cpu * 1e6 / MAX (ref->varbinds, 1), rss);
	fflush (stdout);
}

static gboolean
open_sessions (XnRef *ref, guint32 base, guint port, const char *community,
	       double timeout, int retries)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int max_fd = 0;

	ref->epfd = epoll_create1 (EPOLL_CLOEXEC);
	for (guint i = 0; i < ref->n; i++) {
		XnRefDevice *d = &ref->dev[i];
		netsnmp_session s;
		struct in_addr a = { htonl (base + i) };
		char peer[64], addr[INET_ADDRSTRLEN];

		inet_ntop (AF_INET, &a, addr, sizeof addr);
		g_snprintf (peer, sizeof peer, "udp:%s:%u", addr, port);
		snmp_sess_init (&s);
		s.version = SNMP_VERSION_2c;
		s.peername = peer;
		s.community = (u_char *) community;
		s.community_len = strlen (community);
		s.timeout = (long) (timeout * 1e6);
		s.retries = retries;
		d->ref = ref;
		d->sess = snmp_sess_open (&s);
		if (d->sess == NULL) {
			g_printerr ("refloop: cannot open a session to %s (open files: raise ulimit -n)\n", peer);
			return FALSE;
		}
		d->fd = snmp_sess_transport (d->sess)->sock;
		max_fd = MAX (max_fd, d->fd);
		ev.data.u32 = i;
		if (epoll_ctl (ref->epfd, EPOLL_CTL_ADD, d->fd, &ev) != 0) {
			g_printerr ("refloop: epoll_ctl: %s\n", g_strerror (errno));
			return FALSE;
		}
	}
	netsnmp_large_fd_set_init (&ref->lfs, max_fd + 1);
	return TRUE;
}

static void
close_sessions (XnRef *ref)
{
	for (guint i = 0; i < ref->n; i++)
		snmp_sess_close (ref->dev[i].sess);
	netsnmp_large_fd_set_cleanup (&ref->lfs);
	snmp_shutdown ("refloop");
	close (ref->epfd);
	g_free (ref->dev);
	g_free (ref->slot);
}

static void
raise_fd_limit (guint need)
{
	struct rlimit rl;

	if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need + 64) {
		rl.rlim_cur = MIN (rl.rlim_max, (rlim_t) need + 64);
		setrlimit (RLIMIT_NOFILE, &rl);
	}
}

/* No MIB files, no snmp.conf, no persistent state: numeric OIDs only. */
static void
init_netsnmp (void)
{
	setenv ("MIBS", "", 1);
	netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	init_snmp ("refloop");
}

int
main (int argc, char **argv)
{
	gint64 devices = 10000, port = 16161, window = 256, cycles = 3, max_rep = 5, retries = 1;
	double timeout = 2.0, t0, c0;
	g_autofree char *base = g_strdup ("127.1.0.0");
	g_autofree char *community = g_strdup ("public");
	GOptionEntry entries[] = {
		{ "devices", 0, 0, G_OPTION_ARG_INT64, &devices, "devices to poll (10000)", "N" },
		{ "base", 0, 0, G_OPTION_ARG_STRING, &base, "address of device 0; device i is base + i (127.1.0.0)", "ADDR" },
		{ "port", 0, 0, G_OPTION_ARG_INT64, &port, "agents' UDP port (16161)", "PORT" },
		{ "community", 0, 0, G_OPTION_ARG_STRING, &community, "v2c community (public)", "C" },
		{ "window", 0, 0, G_OPTION_ARG_INT64, &window, "devices with a request in flight (256)", "W" },
		{ "cycles", 0, 0, G_OPTION_ARG_INT64, &cycles, "full poll cycles (3)", "C" },
		{ "max-repetitions", 0, 0, G_OPTION_ARG_INT64, &max_rep, "GETBULK max-repetitions (5: ~1,650 bytes asked, trimmed by the agent to its limit)", "M" },
		{ "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &timeout, "seconds per try (2)", "S" },
		{ "retries", 0, 0, G_OPTION_ARG_INT64, &retries, "retries (1)", "R" },
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new ("- reference polling loop on Net-SNMP's single-session API");
	g_autoptr(GError) error = NULL;
	struct in_addr a;
	XnRef ref = { 0 };
	long rss;

	g_option_context_add_main_entries (ctx, entries, NULL);
	if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
		g_printerr ("refloop: %s\n", error->message);
		return 2;
	}
	if (inet_pton (AF_INET, base, &a) != 1 || (ntohl (a.s_addr) >> 24) != 127 ||
	    devices < 1 || devices > 1000000 || window < 1 || cycles < 1 || max_rep < 1 ||
	    port < 1 || port > 65535 || timeout <= 0 || retries < 0) {
		g_printerr ("refloop: bad option: --base must be in 127.0.0.0/8; counts must be positive\n");
		return 2;
	}
	raise_fd_limit ((guint) devices);
	init_netsnmp ();

	ref.n = (guint) devices;
	ref.window = (guint) MIN (window, devices);
	ref.max_rep = (guint) max_rep;
	ref.dev = g_new0 (XnRefDevice, ref.n);
	ref.slot = g_new0 (XnRefDevice *, ref.window);
	t0 = g_get_monotonic_time () / 1e6;
	c0 = cpu_now (NULL);
	if (!open_sessions (&ref, ntohl (a.s_addr), (guint) port, community, timeout, (int) retries))
		return 1;
	printf ("refloop: opened %u sessions in %.2f s (%.2f CPU s); window %u, max-repetitions %u, "
		"13 columns + sysUpTime per GETBULK\n", ref.n, g_get_monotonic_time () / 1e6 - t0,
		cpu_now (NULL) - c0, ref.window, ref.max_rep);
	for (guint c = 1; c <= cycles; c++)
		run_cycle (&ref, c);
	cpu_now (&rss);
	printf ("refloop: checksum %" G_GUINT64_FORMAT ", peak RSS %.1f MB\n", ref.checksum, rss / 1024.0);
	close_sessions (&ref);
	return 0;
}

/* trapgen.c — a fast SNMP trap sender for the collector's tests and for
 * bench/traps: N SNMPv1 or SNMPv2c traps to HOST:PORT over UDP, as fast as
 * asked, each carrying its own sequence number so that a receiver can say
 * exactly which traps it got.
 *
 *   trapgen [-v 1|2c] [-c COMMUNITY] [-n COUNT] [-r RATE] [-s SOURCE]
 *           [-k linkdown|linkup|linkflap|coldstart|enterprise]
 *           [--interfaces K] [--ifindex FIRST] [--if-name PREFIX] [--admin-down]
 *           [--varbinds N] [--first-seq S] [--forwarded ADDR] HOST:PORT
 *
 * Each trap is encoded by hand in BER, backwards into its slot of a batch
 * (the innermost value first, so every length is known when its header is
 * written and nothing is encoded twice), and a batch of up to 64 leaves in
 * one sendmmsg on a connected socket. With --rate the traps are paced on the
 * monotonic clock against an absolute schedule (trap i is due at
 * start + i / RATE): a late wake-up sends everything that has fallen due in
 * one batch, so the average rate is exact and the pacing never drifts. RATE 0
 * sends back to back.
 *
 * The varbinds follow the standard traps (RFC 3418 coldStart; RFC 2863
 * linkDown and linkUp with ifIndex, ifAdminStatus and ifOperStatus, and
 * optionally ifName as many devices add it); v1 traps carry the generic-trap
 * numbers RFC 3584 maps to the same trap OIDs. Every trap ends with the
 * sequence varbind, and with snmpTrapAddress.0 when --forwarded names the
 * original agent (in a v1 trap that address is the agent-addr field instead,
 * which receivers turn into snmpTrapAddress.0). The test arc
 * 1.3.6.1.4.1.99999 is not a registered enterprise number; only trapgen and
 * the programs that check what it sent use it:
 *
 *   1.3.6.1.4.1.99999.1.1.0    sequence number of the trap (Gauge32)
 *   1.3.6.1.4.1.99999.2        enterprise of the enterprise trap (v1),
 *   1.3.6.1.4.1.99999.2.0.1    its trap OID (v2c),
 *   1.3.6.1.4.1.99999.2.1.J.0  its varbinds: odd J an OCTET STRING, even J an INTEGER
 *   1.3.6.1.4.1.99999.3        enterprise of v1 generic traps (a device's sysObjectID)
 *
 * It stays on loopback: HOST and SOURCE must be in 127.0.0.0/8. It does not
 * do SNMPv3 or informs (snmptrap and snmpinform test those), and it does not
 * retry: a datagram the kernel refuses because nothing listens on the port
 * (ICMP port unreachable) is counted as refused and the next one is sent,
 * so a test may kill and restart the receiver in the middle of a burst. The
 * summary goes to stdout, for people and as one RESULT line for scripts. */
#include <arpa/inet.h>
#include <errno.h>
#include <glib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH       64
#define SLOT        65507        /* the largest UDP payload over IPv4 */
#define MAX_ARCS    32
#define MAX_VARBINDS 1000
#define SEQ_MAX     G_GUINT64_CONSTANT (4294967295)   /* a Gauge32 */

enum { TAG_INT = 0x02, TAG_OCTETS = 0x04, TAG_OID = 0x06, TAG_SEQ = 0x30,
       TAG_IPADDR = 0x40, TAG_GAUGE = 0x42, TAG_TICKS = 0x43,
       PDU_TRAP_V1 = 0xa4, PDU_TRAP_V2 = 0xa7 };

typedef enum { KIND_LINK_DOWN, KIND_LINK_UP, KIND_LINK_FLAP, KIND_COLD_START, KIND_ENTERPRISE } Kind;

static const char *const kind_names[] = { "linkdown", "linkup", "linkflap", "coldstart", "enterprise" };

typedef struct {
	guint32 arcs[MAX_ARCS];
	guint   len;
} Oid;

/* What to send, settled from the options before the first trap. */
typedef struct {
	guint           version;        /* 0: v1, 1: v2c */
	const char     *community;
	Kind            kind;
	guint64         count;
	double          rate;           /* traps/s; 0: back to back */
	guint64         first_seq;
	guint           interfaces;     /* ifIndex rotates over first_ifindex .. + interfaces - 1 */
	guint           first_ifindex;
	const char     *if_name;        /* ifName = this prefix and the ifIndex; NULL: no ifName */
	gboolean        admin_down;
	guint           varbinds;       /* the enterprise trap's own varbinds */
	gboolean        forwarded;
	struct in_addr  agent_addr;     /* v1 agent-addr, v2c snmpTrapAddress.0 when forwarded */
	struct timespec start;          /* sysUpTime counts from here */
} Plan;

typedef struct {
	guint64 sent, refused, bytes;
	double  seconds;
} Result;

/* ---------------------------------------------------------- BER backwards */

/* A BER writer that fills a buffer from its end towards its start. */
typedef struct {
	guint8  *start;
	guint8  *p;
	gboolean overflow;
} Ber;

static void
ber_push (Ber *b, const void *data, gsize len)
{
	if (b->overflow || (gsize) (b->p - b->start) < len) {
		b->overflow = TRUE;
		return;
	}
	b->p -= len;
	memcpy (b->p, data, len);
}

static void
ber_header (Ber *b, guint8 tag, gsize len)
{
	guint8 h[6];
	int n = 0;

	if (len < 0x80) {
		h[n++] = (guint8) len;
	} else {
		int bytes = 0;

		for (gsize l = len; l > 0; l >>= 8)
			bytes++;
		h[n++] = (guint8) (0x80 | bytes);
		for (int i = bytes - 1; i >= 0; i--)
			h[n++] = (guint8) (len >> (8 * i));
	}
	ber_push (b, h, n);
	ber_push (b, &tag, 1);
}

/* Closes a constructed value whose contents were pushed since mark. */
static void
ber_close (Ber *b, guint8 tag, const guint8 *mark)
{
	ber_header (b, tag, (gsize) (mark - b->p));
}

/* INTEGER: the shortest two's complement. */
static void
ber_int (Ber *b, gint64 v)
{
	guint8 c[8];
	int n = 0;

	do {
		c[7 - n++] = (guint8) v;
		v >>= 8;        /* arithmetic: the sign stays */
	} while (n < 8 && !((v == 0 && !(c[8 - n] & 0x80)) || (v == -1 && (c[8 - n] & 0x80))));
	ber_push (b, c + 8 - n, n);
	ber_header (b, TAG_INT, n);
}

/* Gauge32, TimeTicks: unsigned, with a leading zero byte when the top bit is set. */
static void
ber_uint (Ber *b, guint8 tag, guint32 v)
{
	guint8 c[5];
	int n = 0;

	do {
		c[4 - n++] = (guint8) v;
		v >>= 8;
	} while (v != 0);
	if (c[5 - n] & 0x80)
		c[4 - n++] = 0;
	ber_push (b, c + 5 - n, n);
	ber_header (b, tag, n);
}

static void
ber_oid (Ber *b, const Oid *oid)
{
	const guint8 *mark = b->p;

	for (guint i = oid->len; i-- > 2;) {
		guint8 c[5];
		int n = 0;
		guint32 v = oid->arcs[i];

		do {
			c[4 - n] = (guint8) ((v & 0x7f) | (n > 0 ? 0x80 : 0));
			n++;
			v >>= 7;
		} while (v != 0);
		ber_push (b, c + 5 - n, n);
	}
	{
		guint8 first = (guint8) (oid->arcs[0] * 40 + oid->arcs[1]);

		ber_push (b, &first, 1);
	}
	ber_close (b, TAG_OID, mark);
}

static void
ber_octets (Ber *b, guint8 tag, const void *data, gsize len)
{
	ber_push (b, data, len);
	ber_header (b, tag, len);
}

/* ---------------------------------------------------------------- OIDs */

static Oid
oid_of (const guint32 *arcs, guint n, gint64 index)
{
	Oid oid = { .len = n };

	memcpy (oid.arcs, arcs, n * sizeof *arcs);
	if (index >= 0)
		oid.arcs[oid.len++] = (guint32) index;
	return oid;
}

#define OID(name, ...) static const guint32 name[] = { __VA_ARGS__ }
OID (sys_uptime, 1, 3, 6, 1, 2, 1, 1, 3, 0);
OID (snmp_trap_oid, 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0);
OID (snmp_trap_address, 1, 3, 6, 1, 6, 3, 18, 1, 3, 0);
OID (snmp_traps, 1, 3, 6, 1, 6, 3, 1, 1, 5);          /* .1 coldStart, .3 linkDown, .4 linkUp */
OID (if_index, 1, 3, 6, 1, 2, 1, 2, 2, 1, 1);
OID (if_admin_status, 1, 3, 6, 1, 2, 1, 2, 2, 1, 7);
OID (if_oper_status, 1, 3, 6, 1, 2, 1, 2, 2, 1, 8);
OID (if_name, 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1);
OID (test_sequence, 1, 3, 6, 1, 4, 1, 99999, 1, 1, 0);
OID (test_enterprise, 1, 3, 6, 1, 4, 1, 99999, 2);
OID (test_trap, 1, 3, 6, 1, 4, 1, 99999, 2, 0, 1);
OID (test_varbind, 1, 3, 6, 1, 4, 1, 99999, 2, 1);
OID (test_device, 1, 3, 6, 1, 4, 1, 99999, 3);
#define OIDN(name) name, G_N_ELEMENTS (name)

/* ---------------------------------------------------------------- varbinds */

/* Each pushes one varbind: the value first, then the name, then the SEQUENCE. */
static void
vb_int (Ber *b, const Oid *name, gint64 v)
{
	const guint8 *mark = b->p;

	ber_int (b, v);
	ber_oid (b, name);
	ber_close (b, TAG_SEQ, mark);
}

static void
vb_uint (Ber *b, const Oid *name, guint8 tag, guint32 v)
{
	const guint8 *mark = b->p;

	ber_uint (b, tag, v);
	ber_oid (b, name);
	ber_close (b, TAG_SEQ, mark);
}

static void
vb_octets (Ber *b, const Oid *name, guint8 tag, const void *data, gsize len)
{
	const guint8 *mark = b->p;

	ber_octets (b, tag, data, len);
	ber_oid (b, name);
	ber_close (b, TAG_SEQ, mark);
}

static void
vb_oid (Ber *b, const Oid *name, const Oid *value)
{
	const guint8 *mark = b->p;

	ber_oid (b, value);
	ber_oid (b, name);
	ber_close (b, TAG_SEQ, mark);
}

/* ---------------------------------------------------------------- one trap */

/* Trap number i (from 0) of the run: which kind it is and on which ifIndex. */
static Kind
kind_of (const Plan *plan, guint64 i, guint32 *ifindex)
{
	guint64 round = i / plan->interfaces;

	*ifindex = plan->first_ifindex + (guint32) (i % plan->interfaces);
	if (plan->kind != KIND_LINK_FLAP)
		return plan->kind;
	/* every interface goes down, then up, then down again... */
	return round % 2 == 0 ? KIND_LINK_DOWN : KIND_LINK_UP;
}

/* The varbinds particular to the kind, last one first (the writer goes backwards). */
static void
push_kind_varbinds (Ber *b, const Plan *plan, Kind kind, guint32 ifindex)
{
	if (kind == KIND_ENTERPRISE) {
		for (guint j = plan->varbinds; j >= 1; j--) {
			Oid name = oid_of (OIDN (test_varbind), j);

			name.arcs[name.len++] = 0;
			if (j % 2 == 1) {
				char text[32];
				int len = g_snprintf (text, sizeof text, "trapgen varbind %u", j);

				vb_octets (b, &name, TAG_OCTETS, text, (gsize) len);
			} else {
				vb_int (b, &name, -(gint64) j);
			}
		}
	} else if (kind == KIND_LINK_DOWN || kind == KIND_LINK_UP) {
		gboolean down = kind == KIND_LINK_DOWN || plan->admin_down;
		Oid name;

		if (plan->if_name != NULL) {
			char text[256];
			int len = g_snprintf (text, sizeof text, "%s%u", plan->if_name, ifindex);

			name = oid_of (OIDN (if_name), ifindex);
			vb_octets (b, &name, TAG_OCTETS, text, (gsize) MIN (len, (int) sizeof text - 1));
		}
		name = oid_of (OIDN (if_oper_status), ifindex);
		vb_int (b, &name, down ? 2 : 1);
		name = oid_of (OIDN (if_admin_status), ifindex);
		vb_int (b, &name, plan->admin_down ? 2 : 1);
		name = oid_of (OIDN (if_index), ifindex);
		vb_int (b, &name, ifindex);
	}
}

static guint32
uptime_ticks (const Plan *plan)
{
	struct timespec now;

	clock_gettime (CLOCK_MONOTONIC, &now);
	return (guint32) ((now.tv_sec - plan->start.tv_sec) * 100 + (now.tv_nsec - plan->start.tv_nsec) / 10000000);
}

/* Encodes trap number i at the end of buf; returns where it starts (its
 * length in *len), NULL if it does not fit. */
static const guint8 *
encode_trap (const Plan *plan, guint64 i, guint8 *buf, gsize size, gsize *len)
{
	Ber b = { .start = buf, .p = buf + size };
	/* the varbind list, the PDU and the message all end where the buffer does */
	const guint8 *end = b.p;
	guint64 seq = plan->first_seq + i;
	guint32 ifindex;
	Kind kind = kind_of (plan, i, &ifindex);
	gboolean v2c = plan->version == 1;
	guint32 ticks = uptime_ticks (plan);
	/* v1 generic-trap numbers and v2c snmpTraps arcs: RFC 3584 §3.1 */
	gint64 generic = kind == KIND_COLD_START ? 0 : kind == KIND_LINK_DOWN ? 2 : kind == KIND_LINK_UP ? 3 : 6;
	Oid name;

	if (plan->forwarded && v2c) {
		name = oid_of (OIDN (snmp_trap_address), -1);
		vb_octets (&b, &name, TAG_IPADDR, &plan->agent_addr.s_addr, 4);
	}
	name = oid_of (OIDN (test_sequence), -1);
	vb_uint (&b, &name, TAG_GAUGE, (guint32) seq);
	push_kind_varbinds (&b, plan, kind, ifindex);
	if (v2c) {
		Oid trap = kind == KIND_ENTERPRISE ? oid_of (OIDN (test_trap), -1) : oid_of (OIDN (snmp_traps), generic + 1);

		name = oid_of (OIDN (snmp_trap_oid), -1);
		vb_oid (&b, &name, &trap);
		name = oid_of (OIDN (sys_uptime), -1);
		vb_uint (&b, &name, TAG_TICKS, ticks);
	}
	ber_close (&b, TAG_SEQ, end);
	if (v2c) {
		ber_int (&b, 0);                               /* error-index */
		ber_int (&b, 0);                               /* error-status */
		ber_int (&b, (gint64) (seq & 0x7fffffff));     /* request-id */
		ber_close (&b, PDU_TRAP_V2, end);
	} else {
		Oid enterprise = kind == KIND_ENTERPRISE ? oid_of (OIDN (test_enterprise), -1)
							 : oid_of (OIDN (test_device), -1);

		ber_uint (&b, TAG_TICKS, ticks);
		ber_int (&b, kind == KIND_ENTERPRISE ? 1 : 0);  /* specific-trap */
		ber_int (&b, generic);
		ber_octets (&b, TAG_IPADDR, &plan->agent_addr.s_addr, 4);
		ber_oid (&b, &enterprise);
		ber_close (&b, PDU_TRAP_V1, end);
	}
	ber_octets (&b, TAG_OCTETS, plan->community, strlen (plan->community));
	ber_int (&b, plan->version);
	ber_close (&b, TAG_SEQ, end);
	if (b.overflow)
		return NULL;
	*len = (gsize) (end - b.p);
	return b.p;
}

/* ---------------------------------------------------------------- sending */

static GQuark
trapgen_error (void)
{
	return g_quark_from_static_string ("trapgen");
}

static double
seconds_since (const struct timespec *t0)
{
	struct timespec now;

	clock_gettime (CLOCK_MONOTONIC, &now);
	return (double) (now.tv_sec - t0->tv_sec) + (double) (now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* How many traps to send now, at most BATCH; 0 after sleeping until the next
 * one is due. Trap i is due at t0 + i / rate, whenever the previous ones
 * actually left: the schedule is absolute, so lateness is caught up. */
static guint
due_now (const Plan *plan, const struct timespec *t0, guint64 done)
{
	guint64 due;

	if (plan->rate <= 0)
		return (guint) MIN ((guint64) BATCH, plan->count - done);
	due = MIN (plan->count, (guint64) (seconds_since (t0) * plan->rate) + 1);
	if (due <= done) {
		double at = (double) done / plan->rate;
		struct timespec wake = {
			.tv_sec = t0->tv_sec + (time_t) at,
			.tv_nsec = t0->tv_nsec + (long) ((at - (double) (time_t) at) * 1e9),
		};

		if (wake.tv_nsec >= 1000000000) {
			wake.tv_sec++;
			wake.tv_nsec -= 1000000000;
		}
		while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, NULL) == EINTR)
			;
		return 0;
	}
	return (guint) MIN ((guint64) BATCH, due - done);
}

/* Sends n prepared datagrams. A datagram the kernel refuses because nothing
 * listens (the ICMP port unreachable of an earlier one, reported on this
 * send) is counted and skipped: it was not sent, and the next one may be. */
static gboolean
send_batch (int fd, struct mmsghdr *msgs, guint n, const char *target, Result *result, GError **error)
{
	guint off = 0;

	while (off < n) {
		int r = sendmmsg (fd, msgs + off, n - off, 0);

		if (r > 0) {
			for (guint k = off; k < off + (guint) r; k++)
				result->bytes += msgs[k].msg_len;
			result->sent += (guint) r;
			off += (guint) r;
		} else if (errno == ECONNREFUSED) {
			result->refused++;
			off++;
		} else if (errno == ENOBUFS || errno == EAGAIN) {
			g_usleep (100);
		} else if (errno != EINTR) {
			g_set_error (error, trapgen_error (), 1, "sending to %s: %s", target, g_strerror (errno));
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
send_traps (const Plan *plan, int fd, const char *target, Result *result, GError **error)
{
	g_autofree guint8 *slots = g_malloc (BATCH * (gsize) SLOT);
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct timespec t0;
	guint64 done = 0;

	memset (msgs, 0, sizeof msgs);
	clock_gettime (CLOCK_MONOTONIC, &t0);
	while (done < plan->count) {
		guint n = due_now (plan, &t0, done);

		for (guint k = 0; k < n; k++) {
			gsize len = 0;
			const guint8 *p = encode_trap (plan, done + k, slots + (gsize) k * SLOT, SLOT, &len);

			if (p == NULL) {
				g_set_error (error, trapgen_error (), 1,
					     "trap %" G_GUINT64_FORMAT " does not fit in a UDP datagram (%d bytes)",
					     plan->first_seq + done + k, SLOT);
				return FALSE;
			}
			iov[k] = (struct iovec) { .iov_base = (void *) p, .iov_len = len };
			msgs[k].msg_hdr.msg_iov = &iov[k];
			msgs[k].msg_hdr.msg_iovlen = 1;
		}
		if (n > 0 && !send_batch (fd, msgs, n, target, result, error))
			return FALSE;
		done += n;
	}
	result->seconds = seconds_since (&t0);
	return TRUE;
}

/* ---------------------------------------------------------------- setup */

static gboolean
loopback_address (const char *text, struct in_addr *addr, const char *what, GError **error)
{
	if (inet_pton (AF_INET, text, addr) != 1 || (ntohl (addr->s_addr) >> 24) != 127) {
		g_set_error (error, trapgen_error (), 2, "%s '%s' is not an IPv4 address in 127.0.0.0/8", what, text);
		return FALSE;
	}
	return TRUE;
}

/* HOST:PORT or udp:HOST:PORT; HOST a name or an address, which must be on loopback. */
static gboolean
parse_target (const char *text, struct sockaddr_in *sa, GError **error)
{
	const char *spec = g_str_has_prefix (text, "udp:") ? text + 4 : text;
	const char *colon = strrchr (spec, ':');
	g_autofree char *host = NULL;
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_DGRAM }, *found = NULL;
	guint64 port = 0;
	int rc;

	if (colon == NULL || colon == spec ||
	    !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL)) {
		g_set_error (error, trapgen_error (), 2, "'%s' is not HOST:PORT (a port from 1 to 65535)", text);
		return FALSE;
	}
	host = g_strndup (spec, (gsize) (colon - spec));
	rc = getaddrinfo (host, NULL, &hints, &found);
	if (rc != 0) {
		g_set_error (error, trapgen_error (), 2, "cannot resolve '%s': %s", host,
			     rc == EAI_SYSTEM ? g_strerror (errno) : gai_strerror (rc));
		return FALSE;
	}
	memcpy (sa, found->ai_addr, sizeof *sa);
	freeaddrinfo (found);
	sa->sin_port = htons ((guint16) port);
	if ((ntohl (sa->sin_addr.s_addr) >> 24) != 127) {
		g_set_error (error, trapgen_error (), 2, "'%s' is not in 127.0.0.0/8: trapgen sends on loopback only", host);
		return FALSE;
	}
	return TRUE;
}

/* A UDP socket bound to source (if not NULL) and connected to the target;
 * the address it sends from becomes the v1 agent-addr unless --forwarded
 * named another. */
static int
open_socket (Plan *plan, const struct in_addr *source, const struct sockaddr_in *to, GError **error)
{
	struct sockaddr_in me = { .sin_family = AF_INET };
	socklen_t len = sizeof me;
	char to_text[INET_ADDRSTRLEN] = "";
	int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	inet_ntop (AF_INET, &to->sin_addr, to_text, sizeof to_text);
	if (fd < 0) {
		g_set_error (error, trapgen_error (), 1, "socket: %s", g_strerror (errno));
		return -1;
	}
	if (source != NULL) {
		char text[INET_ADDRSTRLEN] = "";

		me.sin_addr = *source;
		if (bind (fd, (struct sockaddr *) &me, sizeof me) < 0) {
			inet_ntop (AF_INET, source, text, sizeof text);
			g_set_error (error, trapgen_error (), 1, "binding to %s: %s", text, g_strerror (errno));
			close (fd);
			return -1;
		}
	}
	if (connect (fd, (const struct sockaddr *) to, sizeof *to) < 0 ||
	    getsockname (fd, (struct sockaddr *) &me, &len) < 0) {
		g_set_error (error, trapgen_error (), 1, "connecting to %s:%u: %s", to_text,
			     ntohs (to->sin_port), g_strerror (errno));
		close (fd);
		return -1;
	}
	if (!plan->forwarded)
		plan->agent_addr = me.sin_addr;
	return fd;
}

/* ---------------------------------------------------------------- options */

typedef struct {
	char    *version, *community, *kind, *source, *if_name, *forwarded;
	gint64   count, first_seq;
	double   rate;
	int      interfaces, ifindex, varbinds;
	gboolean admin_down;
} Options;

static void
options_clear (Options *o)
{
	g_free (o->version);
	g_free (o->community);
	g_free (o->kind);
	g_free (o->source);
	g_free (o->if_name);
	g_free (o->forwarded);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static gboolean
usage_error (GError **error, const char *message)
{
	g_set_error_literal (error, trapgen_error (), 2, message);
	return FALSE;
}

/* Checks the options and turns them into the plan; the plan's strings stay the options'. */
static gboolean
settle_plan (const Options *o, Plan *plan, struct in_addr *source, GError **error)
{
	const char *version = o->version != NULL ? o->version : "2c";
	const char *kind = o->kind != NULL ? o->kind : "linkdown";

	if (strcmp (version, "1") != 0 && strcmp (version, "2c") != 0)
		return usage_error (error, "-v must be 1 or 2c");
	plan->version = strcmp (version, "1") == 0 ? 0 : 1;
	plan->community = o->community != NULL ? o->community : "public";
	for (plan->kind = 0; plan->kind < G_N_ELEMENTS (kind_names); plan->kind++)
		if (strcmp (kind, kind_names[plan->kind]) == 0)
			break;
	if (plan->kind == G_N_ELEMENTS (kind_names))
		return usage_error (error, "-k must be linkdown, linkup, linkflap, coldstart or enterprise");
	if (o->count < 1)
		return usage_error (error, "-n must be at least 1");
	if (!(o->rate >= 0 && o->rate <= 1e9))
		return usage_error (error, "-r must be from 0 (back to back) to 1e9 traps/s");
	if (o->first_seq < 0 || (guint64) o->first_seq + (guint64) o->count - 1 > SEQ_MAX)
		return usage_error (error, "--first-seq: the sequence numbers must stay within 0..4294967295 (a Gauge32)");
	if (o->interfaces < 1 || o->ifindex < 1 || (gint64) o->ifindex + o->interfaces - 1 > G_MAXINT32)
		return usage_error (error, "--interfaces and --ifindex must be at least 1, the last ifIndex at most 2147483647");
	if (o->varbinds < 0 || o->varbinds > MAX_VARBINDS)
		return usage_error (error, "--varbinds must be from 0 to 1000");
	if (o->if_name != NULL && strlen (o->if_name) > 200)
		return usage_error (error, "--if-name: the prefix is longer than 200 bytes");
	if (o->source != NULL && !loopback_address (o->source, source, "--source", error))
		return FALSE;
	if (o->forwarded != NULL) {
		if (inet_pton (AF_INET, o->forwarded, &plan->agent_addr) != 1)
			return usage_error (error, "--forwarded must be an IPv4 address");
		plan->forwarded = TRUE;
	}
	plan->count = (guint64) o->count;
	plan->rate = o->rate;
	plan->first_seq = (guint64) o->first_seq;
	plan->interfaces = (guint) o->interfaces;
	plan->first_ifindex = (guint) o->ifindex;
	plan->if_name = o->if_name;
	plan->admin_down = o->admin_down;
	plan->varbinds = (guint) o->varbinds;
	clock_gettime (CLOCK_MONOTONIC, &plan->start);
	return TRUE;
}

static gboolean
parse_options (int *argc, char ***argv, Options *o, GError **error)
{
	GOptionEntry entries[] = {
		{ "snmp-version", 'v', 0, G_OPTION_ARG_STRING, &o->version, "1 or 2c (default 2c)", "V" },
		{ "community", 'c', 0, G_OPTION_ARG_STRING, &o->community, "Community (default public)", "C" },
		{ "count", 'n', 0, G_OPTION_ARG_INT64, &o->count, "Traps to send (default 1)", "N" },
		{ "rate", 'r', 0, G_OPTION_ARG_DOUBLE, &o->rate, "Traps per second; 0 = back to back (default)", "R" },
		{ "source", 's', 0, G_OPTION_ARG_STRING, &o->source, "Send from this 127.x.y.z address", "ADDR" },
		{ "kind", 'k', 0, G_OPTION_ARG_STRING, &o->kind,
		  "linkdown (default), linkup, linkflap (down then up per interface), coldstart, enterprise", "KIND" },
		{ "interfaces", 0, 0, G_OPTION_ARG_INT, &o->interfaces, "ifIndex rotates over K interfaces (default 1)", "K" },
		{ "ifindex", 0, 0, G_OPTION_ARG_INT, &o->ifindex, "First ifIndex (default 1)", "I" },
		{ "if-name", 0, 0, G_OPTION_ARG_STRING, &o->if_name, "Add ifName: PREFIX followed by the ifIndex", "PREFIX" },
		{ "admin-down", 0, 0, G_OPTION_ARG_NONE, &o->admin_down, "ifAdminStatus down (and ifOperStatus down)", NULL },
		{ "varbinds", 0, 0, G_OPTION_ARG_INT, &o->varbinds, "The enterprise trap's own varbinds (default 3)", "N" },
		{ "first-seq", 0, 0, G_OPTION_ARG_INT64, &o->first_seq, "Sequence number of the first trap (default 1)", "S" },
		{ "forwarded", 0, 0, G_OPTION_ARG_STRING, &o->forwarded,
		  "Original agent: snmpTrapAddress.0 (v2c) or agent-addr (v1)", "ADDR" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) context = g_option_context_new ("HOST:PORT");

	g_option_context_set_summary (context,
		"Sends SNMPv1/v2c traps to HOST:PORT (on 127.0.0.0/8), each with its sequence number\n"
		"in 1.3.6.1.4.1.99999.1.1.0. Exit status: 0 all sent, 3 some refused (nothing\n"
		"listening), 1 a sending error, 2 a usage error.");
	g_option_context_add_main_entries (context, entries, NULL);
	return g_option_context_parse (context, argc, argv, error);
}

static void
print_result (const Plan *plan, const char *target, const Result *r)
{
	const char *version = plan->version == 0 ? "v1" : "v2c";
	guint64 last = plan->first_seq + plan->count - 1;
	double rate = r->seconds > 0 ? (double) r->sent / r->seconds : 0;

	printf ("trapgen: sent %" G_GUINT64_FORMAT " %s %s traps (seq %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT
		") to %s in %.3f s: %.0f traps/s, %.0f bytes each\n",
		r->sent, version, kind_names[plan->kind], plan->first_seq, last, target, r->seconds, rate,
		r->sent > 0 ? (double) r->bytes / (double) r->sent : 0);
	if (r->refused > 0)
		printf ("trapgen: %" G_GUINT64_FORMAT " traps refused: nothing listened on %s (ICMP port unreachable)\n",
			r->refused, target);
	printf ("RESULT tool=trapgen version=%s kind=%s count=%" G_GUINT64_FORMAT " sent=%" G_GUINT64_FORMAT
		" refused=%" G_GUINT64_FORMAT " first_seq=%" G_GUINT64_FORMAT " last_seq=%" G_GUINT64_FORMAT
		" seconds=%.6f rate=%.1f bytes=%" G_GUINT64_FORMAT "\n",
		version, kind_names[plan->kind], plan->count, r->sent, r->refused, plan->first_seq, last,
		r->seconds, rate, r->bytes);
}

int
main (int argc, char **argv)
{
	g_auto(Options) o = { .count = 1, .first_seq = 1, .interfaces = 1, .ifindex = 1, .varbinds = 3 };
	g_autoptr(GError) error = NULL;
	Plan plan = { 0 };
	Result result = { 0 };
	struct in_addr source;
	struct sockaddr_in to;
	int fd;

	if (!parse_options (&argc, &argv, &o, &error) ||
	    (argc != 2 && !usage_error (&error, "one HOST:PORT is required (see --help)")) ||
	    !settle_plan (&o, &plan, &source, &error) || !parse_target (argv[1], &to, &error)) {
		fprintf (stderr, "trapgen: %s\n", error->message);
		return 2;
	}
	/* pacing at tens of microseconds: do not let the kernel defer wake-ups by its default 50 µs */
	prctl (PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
	fd = open_socket (&plan, o.source != NULL ? &source : NULL, &to, &error);
	if (fd < 0) {
		fprintf (stderr, "trapgen: %s\n", error->message);
		return 1;
	}
	if (!send_traps (&plan, fd, argv[1], &result, &error)) {
		print_result (&plan, argv[1], &result);
		fprintf (stderr, "trapgen: %s\n", error->message);
		close (fd);
		return 1;
	}
	close (fd);
	print_result (&plan, argv[1], &result);
	return result.refused > 0 ? 3 : 0;
}

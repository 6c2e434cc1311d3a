/* agentsim.c — the benchmark's SNMP agent simulator: one process, one
 * thread, one UDP socket answering for thousands of devices at 127.x.y.z.
 * Linux delivers all of 127.0.0.0/8 to `lo`, so the socket is bound to the
 * wildcard address and to the loopback device; IP_PKTINFO tells which
 * address a request was sent to (that address is the device: base + i) and
 * makes the reply leave from it, as the manager expects. Datagrams are read
 * and written in batches with recvmmsg/sendmmsg, which is what lets a single
 * core answer millions of varbinds a second where snmpsim answers thousands
 * and one snmpd per device a few hundred thousand. It deliberately never
 * answers anything from outside 127.0.0.0/8, runs for a bounded time
 * (--duration) and keeps no state between requests: the MIB is computed
 * (agentsim-mib.c), the BER handled in agentsim-pdu.c. SIGUSR1 prints the
 * counters so far, which is how bench/poll measures the simulator's own CPU
 * per phase. */
#include "agentsim.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH      64
#define RECV_SIZE  4096          /* a request larger than this is dropped as malformed */
#define EPOCH_2024_S 1704067200ll

typedef struct {
	XnSimConfig cfg;
	int         sock;
	int         sigfd;
	gint64      start_us;        /* monotonic */
	XnSimStats  stats;
	guint64     send_failed;

	struct mmsghdr     rmsg[BATCH], smsg[BATCH];
	struct iovec       riov[BATCH], siov[BATCH];
	struct sockaddr_in rname[BATCH], sname[BATCH];
	union {
		char           buf[CMSG_SPACE (sizeof (struct in_pktinfo))];
		struct cmsghdr align;
	} rctl[BATCH], sctl[BATCH];
	guint8 rbuf[BATCH][RECV_SIZE];
	guint8 *sbuf;                /* BATCH × send_size */
	gsize   send_size;
} XnSim;

static gboolean
in_loopback (guint32 host_order)
{
	return (host_order >> 24) == 127;
}

static double
cpu_seconds (long *peak_rss_kb)
{
	struct rusage ru;

	getrusage (RUSAGE_SELF, &ru);
	if (peak_rss_kb != NULL)
		*peak_rss_kb = ru.ru_maxrss;
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void
print_stats (const XnSim *sim, FILE *out)
{
	long rss;
	double cpu = cpu_seconds (&rss);
	double wall = (g_get_monotonic_time () - sim->start_us) / 1e6;
	const XnSimStats *s = &sim->stats;

	fprintf (out, "agentsim: requests=%" G_GUINT64_FORMAT " responses=%" G_GUINT64_FORMAT
		 " varbinds=%" G_GUINT64_FORMAT " bad_community=%" G_GUINT64_FORMAT
		 " malformed=%" G_GUINT64_FORMAT " unknown_device=%" G_GUINT64_FORMAT
		 " foreign_source=%" G_GUINT64_FORMAT " too_big=%" G_GUINT64_FORMAT
		 " send_failed=%" G_GUINT64_FORMAT " cpu_s=%.3f wall_s=%.3f"
		 " varbinds_per_cpu_s=%.0f peak_rss_kb=%ld\n",
		 s->requests, s->responses, s->varbinds, s->bad_community, s->malformed,
		 s->unknown_device, s->foreign_source, s->too_big, sim->send_failed,
		 cpu, wall, cpu > 0 ? s->varbinds / cpu : 0.0, rss);
	fflush (out);
}

static gboolean
open_socket (XnSim *sim, GError **error)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons (sim->cfg.port) };
	int one = 1, buf = 4 << 20;

	sim->sock = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sim->sock < 0) {
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "socket: %s", g_strerror (errno));
		return FALSE;
	}
	/* Only loopback traffic reaches us even though we bind the wildcard
	 * address; where the kernel refuses, the source check still holds. */
	if (setsockopt (sim->sock, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3) != 0)
		g_printerr ("agentsim: SO_BINDTODEVICE lo: %s (only 127/8 sources are answered anyway)\n",
			    g_strerror (errno));
	setsockopt (sim->sock, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
	setsockopt (sim->sock, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
	if (setsockopt (sim->sock, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) != 0 ||
	    bind (sim->sock, (struct sockaddr *) &sa, sizeof sa) != 0) {
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
			     "UDP port %u: %s", sim->cfg.port, g_strerror (errno));
		return FALSE;
	}
	return TRUE;
}

static void
prepare_buffers (XnSim *sim)
{
	sim->send_size = sim->cfg.max_size + 256;
	sim->sbuf = g_malloc (BATCH * sim->send_size);
	for (guint i = 0; i < BATCH; i++) {
		sim->riov[i] = (struct iovec) { sim->rbuf[i], RECV_SIZE };
		sim->rmsg[i].msg_hdr.msg_iov = &sim->riov[i];
		sim->rmsg[i].msg_hdr.msg_iovlen = 1;
		sim->smsg[i].msg_hdr.msg_iov = &sim->siov[i];
		sim->smsg[i].msg_hdr.msg_iovlen = 1;
		sim->smsg[i].msg_hdr.msg_name = &sim->sname[i];
		sim->smsg[i].msg_hdr.msg_namelen = sizeof sim->sname[i];
		sim->smsg[i].msg_hdr.msg_control = sim->sctl[i].buf;
		sim->smsg[i].msg_hdr.msg_controllen = sizeof sim->sctl[i].buf;
	}
}

static gboolean
destination_of (struct msghdr *m, struct in_addr *dst)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR (m); c != NULL; c = CMSG_NXTHDR (m, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			*dst = ((struct in_pktinfo *) CMSG_DATA (c))->ipi_addr;
			return TRUE;
		}
	}
	return FALSE;
}

/* The reply leaves from the address the request went to. */
static void
queue_reply (XnSim *sim, guint slot, const struct sockaddr_in *to, struct in_addr from, gsize len)
{
	struct msghdr *m = &sim->smsg[slot].msg_hdr;
	struct cmsghdr *c;
	struct in_pktinfo pi = { .ipi_ifindex = 0, .ipi_spec_dst = from };

	sim->sname[slot] = *to;
	sim->siov[slot] = (struct iovec) { sim->sbuf + slot * sim->send_size, len };
	m->msg_controllen = sizeof sim->sctl[slot].buf;
	c = CMSG_FIRSTHDR (m);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN (sizeof pi);
	memcpy (CMSG_DATA (c), &pi, sizeof pi);
}

static void
clocks (const XnSim *sim, XnSimView *v)
{
	struct timespec ts;

	clock_gettime (CLOCK_REALTIME, &ts);
	v->wall_ms = (guint64) MAX (ts.tv_sec - EPOCH_2024_S, 0) * 1000 + ts.tv_nsec / 1000000;
	v->uptime_ticks = (guint32) ((g_get_monotonic_time () - sim->start_us) / 10000);
}

/* One recvmmsg, one sendmmsg; returns how many datagrams came in. */
static int
serve_batch (XnSim *sim)
{
	XnSimView v = { .cfg = &sim->cfg };
	int n, out = 0, sent = 0;

	for (guint i = 0; i < BATCH; i++) {
		sim->rmsg[i].msg_hdr.msg_name = &sim->rname[i];
		sim->rmsg[i].msg_hdr.msg_namelen = sizeof sim->rname[i];
		sim->rmsg[i].msg_hdr.msg_control = sim->rctl[i].buf;
		sim->rmsg[i].msg_hdr.msg_controllen = sizeof sim->rctl[i].buf;
	}
	n = recvmmsg (sim->sock, sim->rmsg, BATCH, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return 0;
	clocks (sim, &v);
	for (int i = 0; i < n; i++) {
		struct msghdr *m = &sim->rmsg[i].msg_hdr;
		struct in_addr dst;
		guint32 device;
		gsize len;

		if (!in_loopback (ntohl (sim->rname[i].sin_addr.s_addr))) {
			sim->stats.foreign_source++;
			continue;
		}
		if ((m->msg_flags & MSG_TRUNC) || !destination_of (m, &dst)) {
			sim->stats.malformed++;
			continue;
		}
		device = ntohl (dst.s_addr) - sim->cfg.base;
		if (device >= sim->cfg.devices) {
			sim->stats.unknown_device++;
			continue;
		}
		v.device = device;
		len = xn_sim_answer (&v, sim->rbuf[i], sim->rmsg[i].msg_len,
				     sim->sbuf + out * sim->send_size, sim->send_size, &sim->stats);
		if (len > 0)
			queue_reply (sim, out++, &sim->rname[i], dst, len);
	}
	while (sent < out) {
		int k = sendmmsg (sim->sock, sim->smsg + sent, out - sent, 0);

		if (k <= 0) {
			if (k < 0 && errno == EINTR)
				continue;
			sim->send_failed += out - sent;   /* UDP: the manager retries */
			break;
		}
		sent += k;
	}
	return n;
}

static gboolean
open_signals (XnSim *sim, GError **error)
{
	sigset_t set;

	sigemptyset (&set);
	sigaddset (&set, SIGINT);
	sigaddset (&set, SIGTERM);
	sigaddset (&set, SIGHUP);
	sigaddset (&set, SIGUSR1);
	sigprocmask (SIG_BLOCK, &set, NULL);
	sim->sigfd = signalfd (-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sim->sigfd < 0) {
		g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "signalfd: %s", g_strerror (errno));
		return FALSE;
	}
	return TRUE;
}

/* FALSE when a signal asks us to stop. */
static gboolean
handle_signals (XnSim *sim)
{
	struct signalfd_siginfo si;

	while (read (sim->sigfd, &si, sizeof si) == sizeof si) {
		if (si.ssi_signo != SIGUSR1)
			return FALSE;
		print_stats (sim, stdout);
	}
	return TRUE;
}

static void
run (XnSim *sim, double duration)
{
	gint64 deadline = duration > 0 ? sim->start_us + (gint64) (duration * 1e6) : G_MAXINT64;

	for (;;) {
		struct pollfd pfd[2] = { { sim->sock, POLLIN, 0 }, { sim->sigfd, POLLIN, 0 } };
		gint64 now = g_get_monotonic_time ();
		int timeout = (int) MIN ((deadline - now) / 1000 + 1, 1000);

		if (now >= deadline)
			return;
		if (poll (pfd, 2, timeout) < 0 && errno != EINTR)
			return;
		if ((pfd[1].revents & POLLIN) && !handle_signals (sim))
			return;
		/* Drain a bounded number of batches, then look at signals again. */
		if (pfd[0].revents & POLLIN)
			for (int k = 0; k < 256 && serve_batch (sim) == BATCH; k++)
				;
	}
}

static gboolean
parse_config (XnSimConfig *cfg, const char *base, const char *community, gint64 devices,
	      gint64 interfaces, gint64 port, gint64 max_size, GError **error)
{
	struct in_addr a;
	guint32 b;

	if (inet_pton (AF_INET, base, &a) != 1 || !in_loopback (b = ntohl (a.s_addr))) {
		g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			     "--base %s: must be an IPv4 address in 127.0.0.0/8", base);
		return FALSE;
	}
	if (devices < 1 || b + (guint64) devices - 1 >= 0x7fffffffu) {
		g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			     "--devices %" G_GINT64_FORMAT ": must be >= 1 and end below 127.255.255.255", devices);
		return FALSE;
	}
	if (interfaces < 1 || interfaces > 65535 || port < 1 || port > 65535 ||
	    max_size < 484 || max_size > XN_SIM_MSG_MAX) {
		g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			     "need 1 <= --interfaces <= 65535, 1 <= --port <= 65535, 484 <= --max-size <= %d",
			     XN_SIM_MSG_MAX);
		return FALSE;
	}
	if (*community == '\0' || strlen (community) > XN_SIM_COMMUNITY_MAX) {
		g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			     "--community: 1 to %d bytes", XN_SIM_COMMUNITY_MAX);
		return FALSE;
	}
	cfg->base = b;
	cfg->devices = (guint) devices;
	cfg->interfaces = (guint) interfaces;
	cfg->port = (guint16) port;
	cfg->max_size = (gsize) max_size;
	cfg->community_len = strlen (community);
	memcpy (cfg->community, community, cfg->community_len + 1);
	return TRUE;
}

int
main (int argc, char **argv)
{
	gint64 port = 16161, devices = 10000, interfaces = 48, max_size = 1400;
	double duration = 600;
	gboolean stats = FALSE, self_test = FALSE;
	g_autofree char *base = g_strdup ("127.1.0.0");
	g_autofree char *community = g_strdup ("public");
	GOptionEntry entries[] = {
		{ "port", 0, 0, G_OPTION_ARG_INT64, &port, "UDP port (16161)", "PORT" },
		{ "devices", 0, 0, G_OPTION_ARG_INT64, &devices, "number of devices (10000)", "N" },
		{ "interfaces", 0, 0, G_OPTION_ARG_INT64, &interfaces, "interfaces per device (48)", "K" },
		{ "base", 0, 0, G_OPTION_ARG_STRING, &base, "address of device 0 (127.1.0.0)", "ADDR" },
		{ "community", 0, 0, G_OPTION_ARG_STRING, &community, "v1/v2c community (public)", "C" },
		{ "max-size", 0, 0, G_OPTION_ARG_INT64, &max_size, "largest response datagram (1400)", "BYTES" },
		{ "duration", 0, 0, G_OPTION_ARG_DOUBLE, &duration, "exit after this long; 0: until signalled (600)", "SECONDS" },
		{ "stats", 0, 0, G_OPTION_ARG_NONE, &stats, "print the counters and CPU used at exit", NULL },
		{ "self-test", 0, 0, G_OPTION_ARG_NONE, &self_test, "check the MIB and PDU layer in-process, time it, exit", NULL },
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new ("- SNMP agent simulator for bench/poll");
	g_autoptr(GError) error = NULL;
	g_autofree XnSim *sim = g_new0 (XnSim, 1);

	g_option_context_add_main_entries (ctx, entries, NULL);
	if (!g_option_context_parse (ctx, &argc, &argv, &error) ||
	    !parse_config (&sim->cfg, base, community, devices, interfaces, port, max_size, &error)) {
		g_printerr ("agentsim: %s\n", error->message);
		return 2;
	}
	if (self_test)
		return xn_sim_self_test (&sim->cfg);
	sim->start_us = g_get_monotonic_time ();
	if (!open_signals (sim, &error) || !open_socket (sim, &error)) {
		g_printerr ("agentsim: %s\n", error->message);
		return 1;
	}
	prepare_buffers (sim);
	g_printerr ("agentsim: %u devices x %u interfaces on %s.. port %u, max %zu bytes per response\n",
		    sim->cfg.devices, sim->cfg.interfaces, base, sim->cfg.port, sim->cfg.max_size);
	run (sim, duration);
	if (stats)
		print_stats (sim, stdout);
	g_free (sim->sbuf);
	close (sim->sock);
	close (sim->sigfd);
	return 0;
}

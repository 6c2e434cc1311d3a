/* bench-mode.c — `extranoc-poller --bench` (see bench-mode.h and the poller
 * hook of bench/README.md).
 *
 * It builds an inventory of N devices with the inventory builder, as if read
 * from a file, and polls all of them once per cycle with the daemon's SNMP
 * engine on one main loop, with the window the daemon would use. Each
 * sample then goes through what the daemon does with it: counters into
 * rates and the state changes (facts are made and dropped: no journal),
 * and, with --rrd-dir, the RRD files, by the same calls and flush cadence
 * as the daemon (both write a sample through poller/sample-rrd.c).
 * That work is in the CPU figures, and each RESULT line says so
 * (work=engine+counters+state, +rrd with files). The RRD instant of cycle c
 * is first + (c−1)·interval, not the clock: the daemon updates a file once
 * per interval, so each update closes a step and writes archive rows, where
 * back-to-back cycles stamped by the clock would mostly fall in one step
 * and write less than the daemon does.
 *
 * `varbinds` counts the values kept in the samples, the measure of
 * bench/README.md (asked for and received): sysDescr, sysUpTime and sysName
 * once per device, and per interface each of ifName, ifAlias,
 * ifOperStatus, ifAdminStatus, speed, in/out octets, unicast packets,
 * errors and discards that the agent gave. Where the poller asked two
 * columns for one value (ifSpeed and ifHighSpeed, 32- and 64-bit octets on
 * a first poll), one is counted, so the figure is never flattering.
 * `decoded` is every varbind the engine decoded, past-the-end ones included.
 * This file reads the clock and getrusage() to measure; it is not the
 * daemon, whose clock rule does not apply here. */
#include "bench-mode.h"
#include "counters.h"
#include "engine.h"
#include "inventory.h"
#include "secrets.h"
#include "sample-rrd.h"
#include "state.h"
#include "xn-rrd.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <sys/resource.h>

#define BENCH_CREDENTIAL "bench"
/* As RRD_FLUSH_DELAY_S in poller/poller.c: queued rrdcached updates are
 * sent at most this long after. */
#define RRD_FLUSH_DELAY_S 1
/* Longer than any creation backlog of a benchmark's size. */
#define RRD_BACKLOG_WAIT_S 3600

typedef struct {
	GMainLoop   *loop;
	XnCounters  *counters;
	XnPollState *state;
	guint        interfaces;
	guint        remaining;
	guint        ok;
	guint64      values;
	/* RRD, with --rrd-dir */
	XnRrd       *rrd;
	gboolean     rrdcached;
	guint        step_s;
	XnInstant    instant;        /* this cycle's RRD time */
	guint        flush_id;
	guint64      rrd_updates;
	guint64      rrd_errors;     /* calls that failed: updates, and flushes as one each */
	gint64       rrd_us;         /* time spent in xn_rrd_* calls */
	char        *rrd_first_error;
	guint        backlog_files;  /* files still to create when the polls ended */
	gint64       backlog_us;     /* from then until none was left */
	guint64      rrd_dropped;    /* samples dropped while their files waited, so far */
} Cycle;

static guint
bits (guint32 have, guint32 mask)
{
	return (have & mask) != 0;
}

static guint64
sample_values (const XnNodeSample *s)
{
	guint64 n = bits (s->have, XN_NODE_HAVE_UPTIME) + bits (s->have, XN_NODE_HAVE_NAME) +
		    bits (s->have, XN_NODE_HAVE_DESCR);

	for (guint i = 0; i < s->interfaces->len; i++) {
		guint32 h = g_array_index (s->interfaces, XnIfSample, i).have;

		n += bits (h, XN_IF_HAVE_NAME) + bits (h, XN_IF_HAVE_ALIAS) + bits (h, XN_IF_HAVE_OPER) +
		     bits (h, XN_IF_HAVE_ADMIN) + bits (h, XN_IF_HAVE_SPEED);
		n += 2 * (bits (h, XN_IF_HAVE_HC_OCTETS | XN_IF_HAVE_OCTETS32) + bits (h, XN_IF_HAVE_UCAST) +
			  bits (h, XN_IF_HAVE_ERRORS) + bits (h, XN_IF_HAVE_DISCARDS));
	}
	return n;
}

/* ---- RRD ---- */

/* Counts a failed call and keeps the cycle's first message for stderr; the
 * daemon logs it per node instead (rrd_health in poller/poller.c). */
static void
rrd_failed (Cycle *cycle, GError *error)
{
	cycle->rrd_errors++;
	if (cycle->rrd_first_error == NULL)
		cycle->rrd_first_error = g_strdup (error->message);
	g_error_free (error);
}

static void
bench_rrd_flush (Cycle *cycle)
{
	GError *error = NULL;
	gint64 t0 = g_get_monotonic_time ();

	if (!xn_rrd_flush (cycle->rrd, &error))
		rrd_failed (cycle, error);
	cycle->rrd_us += g_get_monotonic_time () - t0;
}

static gboolean
on_flush (gpointer user_data)
{
	Cycle *cycle = user_data;

	cycle->flush_id = 0;
	bench_rrd_flush (cycle);
	return G_SOURCE_REMOVE;
}

/* As rrd_sample in poller/poller.c: the same writer (sample-rrd.c), then a
 * flush at most RRD_FLUSH_DELAY_S later. Only the instant differs (the
 * cycle's, see the top of this file), and failures are counted, not
 * logged. */
static void
bench_rrd_sample (Cycle *cycle, const XnNodeSample *sample, const XnNodeRates *rates)
{
	GError *first = NULL;
	guint n_failed = 0;
	gint64 t0 = g_get_monotonic_time ();

	cycle->rrd_updates += xn_sample_rrd_write (cycle->rrd, sample->node, cycle->step_s, cycle->instant,
						   sample, rates, &first, &n_failed);
	cycle->rrd_errors += n_failed;
	if (first != NULL && cycle->rrd_first_error == NULL)
		cycle->rrd_first_error = g_strdup (first->message);
	g_clear_error (&first);
	cycle->rrd_us += g_get_monotonic_time () - t0;
	if (cycle->rrdcached && cycle->flush_id == 0)
		cycle->flush_id = g_timeout_add_seconds (RRD_FLUSH_DELAY_S, on_flush, cycle);
}

/* Files are created off the poll loop (storage/xn-rrd.c), so a cycle can
 * end with files still to create. The next cycle starts once they are
 * done, so that it measures steady polling rather than the creation's
 * tail; how long that took is reported (the daemon would poll on). */
static void
bench_rrd_wait_backlog (Cycle *cycle)
{
	XnRrdPending pending;
	gint64 t0 = g_get_monotonic_time ();

	xn_rrd_get_pending (cycle->rrd, &pending);
	cycle->backlog_files = pending.files;
	if (!xn_rrd_drain (cycle->rrd, RRD_BACKLOG_WAIT_S * 1000))
		fprintf (stderr, "extranoc-poller: --bench: RRD files still to create after %u s\n", RRD_BACKLOG_WAIT_S);
	cycle->backlog_us = g_get_monotonic_time () - t0;
	xn_rrd_get_pending (cycle->rrd, &pending);
	cycle->rrd_dropped = pending.dropped;
}

/* The cycle's last updates are sent now rather than after the daemon's
 * idle second: their cost is the cycle's, the wait is not. */
static void
bench_rrd_end_cycle (Cycle *cycle)
{
	if (cycle->flush_id != 0) {
		g_source_remove (cycle->flush_id);
		cycle->flush_id = 0;
		bench_rrd_flush (cycle);
	}
}

/* ---- polling ---- */

static void
on_sample (XnNodeSample *sample, gpointer user_data)
{
	Cycle *cycle = user_data;
	g_autoptr(XnNodeSample) owned = sample;
	g_autoptr(XnNodeRates) rates = xn_counters_update (cycle->counters, sample);
	g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_poll_event_free);

	xn_poll_state_update (cycle->state, sample, events);
	if (cycle->rrd != NULL)
		bench_rrd_sample (cycle, sample, rates);
	cycle->values += sample_values (sample);
	if (sample->result == XN_POLL_OK && sample->incomplete == NULL &&
	    (cycle->interfaces == 0 || sample->interfaces->len == cycle->interfaces))
		cycle->ok++;
	if (--cycle->remaining == 0) {
		if (cycle->rrd != NULL)
			bench_rrd_end_cycle (cycle);
		g_main_loop_quit (cycle->loop);
	}
}

/* N devices at consecutive addresses from `base`, which must leave none
 * of them outside 127.0.0.0/8: the benchmark talks to a local simulator
 * and nothing else. */
static XnInventory *
bench_inventory (const XnBenchOptions *options, GError **error)
{
	g_autoptr(XnInventory) inventory = xn_inventory_new ();
	struct in_addr addr;
	guint32 first;

	if (inet_pton (AF_INET, options->base, &addr) != 1) {
		g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--base %s is not an IPv4 address",
			     options->base);
		return NULL;
	}
	first = ntohl (addr.s_addr);
	if (first >> 24 != 127 || (guint64) first + options->devices - 1 > 0x7fffffff) {
		g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			     "--base %s with %u devices leaves 127.0.0.0/8: the benchmark polls loopback only",
			     options->base, options->devices);
		return NULL;
	}
	if (!xn_inventory_add_region (inventory, xn_region_new ("bench-city", XN_REGION_CITY), error) ||
	    !xn_inventory_add_site (inventory, xn_site_new ("bench-site", "bench-city", "core-room"), error))
		return NULL;
	for (guint i = 0; i < options->devices; i++) {
		g_autofree char *name = g_strdup_printf ("dev-%u", i);
		char text[INET_ADDRSTRLEN];
		XnNode *node;

		addr.s_addr = htonl (first + i);
		inet_ntop (AF_INET, &addr, text, sizeof text);
		node = xn_node_new (name, XN_NODE_ACCESS, "bench-site", text);
		node->snmp = xn_snmp_endpoint_new (BENCH_CREDENTIAL);
		node->snmp->port = (guint16) options->port;
		if (options->interval_s > 0)
			node->snmp->interval_s = options->interval_s;
		if (!xn_inventory_add_node (inventory, node, error))
			return NULL;
	}
	if (!xn_inventory_resolve (inventory, error))
		return NULL;
	return g_steal_pointer (&inventory);
}

static double
cpu_seconds (const struct rusage *r)
{
	return r->ru_utime.tv_sec + r->ru_utime.tv_usec / 1e6 + r->ru_stime.tv_sec + r->ru_stime.tv_usec / 1e6;
}

static void
print_rrd (const Cycle *cycle, guint number)
{
	printf (" rrd=%s step_s=%u rrd_updates=%" G_GUINT64_FORMAT " rrd_s=%.3f rrd_errors=%" G_GUINT64_FORMAT
		" rrd_backlog_files=%u rrd_backlog_s=%.3f rrd_dropped=%" G_GUINT64_FORMAT
		" work=engine+counters+state+rrd\n", cycle->rrdcached ? "rrdcached" : "direct", cycle->step_s,
		cycle->rrd_updates, cycle->rrd_us / 1e6, cycle->rrd_errors, cycle->backlog_files,
		cycle->backlog_us / 1e6, cycle->rrd_dropped);
	if (cycle->backlog_files > 0)
		fprintf (stderr, "extranoc-poller: --bench: cycle %u: %u RRD files were still to create when its "
			 "polls ended; they were done %.3f s later\n", number, cycle->backlog_files,
			 cycle->backlog_us / 1e6);
	if (cycle->rrd_errors > 0)
		fprintf (stderr, "extranoc-poller: --bench: cycle %u: %" G_GUINT64_FORMAT
			 " RRD calls failed; the first: %s\n", number, cycle->rrd_errors, cycle->rrd_first_error);
}

static void
run_cycle (guint number, const XnBenchOptions *options, XnSnmpEngine *engine, const GPtrArray *nodes,
	   Cycle *cycle)
{
	struct rusage before, after;
	XnSnmpEngineStats s0, s1;
	gint64 t0, t1;
	double cpu;

	cycle->remaining = nodes->len;
	cycle->ok = 0;
	cycle->values = 0;
	cycle->rrd_updates = 0;
	cycle->rrd_errors = 0;
	cycle->rrd_us = 0;
	g_clear_pointer (&cycle->rrd_first_error, g_free);
	xn_snmp_engine_get_stats (engine, &s0);
	getrusage (RUSAGE_SELF, &before);
	t0 = g_get_monotonic_time ();
	for (guint i = 0; i < nodes->len; i++)
		xn_snmp_engine_poll (engine, g_ptr_array_index (nodes, i), on_sample, cycle);
	if (nodes->len > 0)
		g_main_loop_run (cycle->loop);
	t1 = g_get_monotonic_time ();
	getrusage (RUSAGE_SELF, &after);
	xn_snmp_engine_get_stats (engine, &s1);
	if (cycle->rrd != NULL)
		bench_rrd_wait_backlog (cycle);
	cpu = cpu_seconds (&after) - cpu_seconds (&before);
	printf ("RESULT tool=poller cycle=%u devices=%u ok=%u varbinds=%" G_GUINT64_FORMAT " wall_s=%.3f cpu_s=%.3f "
		"cpu_s_per_mvb=%.4f peak_rss_kb=%ld decoded=%" G_GUINT64_FORMAT " requests=%" G_GUINT64_FORMAT
		" timeouts=%" G_GUINT64_FORMAT " window=%u",
		number, options->devices, cycle->ok, cycle->values, (t1 - t0) / 1e6, cpu,
		cycle->values > 0 ? cpu * 1e6 / cycle->values : 0.0, after.ru_maxrss,
		s1.varbinds_decoded - s0.varbinds_decoded, s1.requests_sent - s0.requests_sent,
		s1.timeouts - s0.timeouts, options->window);
	if (cycle->rrd != NULL)
		print_rrd (cycle, number);
	else
		printf (" work=engine+counters+state\n");
	fflush (stdout);
}

/* With --pause the caller measures between cycles (bench/rrd flushes
 * rrdcached and times it) and says when to go on; end of input stops. */
static gboolean
wait_for_go (void)
{
	char line[64];

	return fgets (line, sizeof line, stdin) != NULL;
}

/* Cycle c is stamped first + (c−1)·step: one step apart, as the daemon's
 * polls of a node are, and all in the past (rrdcached and librrd only ask
 * that a file's updates come in order). */
static XnInstant
first_instant (guint step_s, guint cycles)
{
	gint64 steps_now = g_get_real_time () / XN_USEC_PER_SEC / step_s;

	return (steps_now - cycles) * step_s * XN_USEC_PER_SEC;
}

static int
usage_error (const char *message)
{
	fprintf (stderr, "extranoc-poller: --bench: %s\n", message);
	return 2;
}

/* The RRD writer the daemon would open for these nodes (open_rrd in
 * poller/poller.c), with the step rrd_sample derives from their interval. */
static XnRrd *
bench_rrd_open (const XnBenchOptions *options, const XnInventory *inventory, Cycle *cycle, GError **error)
{
	const XnNode *node0 = g_ptr_array_index (xn_inventory_get_nodes (inventory), 0);
	XnRrd *rrd = xn_rrd_open (options->rrd_dir, options->rrdcached, error);

	if (rrd == NULL)
		return NULL;
	cycle->step_s = CLAMP (node0->snmp->interval_s, XN_RRD_MIN_STEP, XN_RRD_MAX_STEP);
	cycle->rrd = rrd;
	cycle->rrdcached = options->rrdcached != NULL;
	return rrd;
}

int
xn_bench_run (const XnBenchOptions *options)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnInventory) inventory = NULL;
	g_autoptr(XnSecrets) secrets = xn_secrets_new ();
	g_autoptr(XnSnmpEngine) engine = NULL;
	g_autoptr(XnCounters) counters = xn_counters_new ();
	g_autoptr(XnPollState) state = NULL;
	g_autoptr(XnRrd) rrd = NULL;
	g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
	Cycle cycle = { 0 };
	XnInstant first = 0;

	if (options->devices == 0 || options->cycles == 0 || options->window == 0 || options->port == 0 ||
	    options->port > 65535)
		return usage_error ("needs --devices, --cycles and --window of at least 1 and a --port from 1 to 65535");
	if (options->rrdcached != NULL && options->rrd_dir == NULL)
		return usage_error ("--rrdcached needs --rrd-dir (the directory as the daemon sees it)");
	if (options->interval_s != 0 &&
	    (options->interval_s < XN_RRD_MIN_STEP || options->interval_s > XN_RRD_MAX_STEP))
		return usage_error ("--interval must be from 10 to 86400 seconds");
	inventory = bench_inventory (options, &error);
	if (inventory == NULL ||
	    !xn_secrets_add_community (secrets, BENCH_CREDENTIAL, options->community, &error)) {
		fprintf (stderr, "extranoc-poller: --bench: %s\n", error->message);
		return error->domain == G_OPTION_ERROR ? 2 : 1;
	}
	engine = xn_snmp_engine_new (NULL, secrets, options->window, &error);
	if (engine == NULL) {
		fprintf (stderr, "extranoc-poller: --bench: %s\n", error->message);
		return 1;
	}
	if (options->rrd_dir != NULL) {
		rrd = bench_rrd_open (options, inventory, &cycle, &error);
		if (rrd == NULL) {
			fprintf (stderr, "extranoc-poller: --bench: %s\n", error->message);
			return 1;
		}
		first = first_instant (cycle.step_s, options->cycles);
	}
	state = xn_poll_state_new (inventory, 0);
	cycle.loop = loop;
	cycle.counters = counters;
	cycle.state = state;
	cycle.interfaces = options->interfaces;
	for (guint c = 1; c <= options->cycles; c++) {
		cycle.instant = first + (XnInstant) (c - 1) * cycle.step_s * XN_USEC_PER_SEC;
		run_cycle (c, options, engine, xn_inventory_get_nodes (inventory), &cycle);
		if (options->pause && c < options->cycles && !wait_for_go ())
			break;
	}
	g_free (cycle.rrd_first_error);
	/* Freed in reverse order of declaration: the RRD writer (which sends
	 * what is still queued), the engine before the secrets it borrows, the
	 * state before the inventory. */
	return 0;
}

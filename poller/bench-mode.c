/* bench-mode.c — `extranoc-poller --bench` (see bench-mode.h and the poller
 * hook of bench/README.md).
 *
 * It builds an inventory of N devices with the inventory builder, as if read
 * from a file, and polls all of them once per cycle with the daemon's SNMP
 * engine on one main loop, with the window the daemon would use. Each
 * sample then goes through what the daemon does with it that needs no disk:
 * counters into rates and the state changes (facts are made and dropped:
 * no journal, no RRD). That work is in the CPU figures, and each RESULT
 * line says so (work=engine+counters+state).
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
#include "state.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <sys/resource.h>

#define BENCH_CREDENTIAL "bench"

typedef struct {
	GMainLoop   *loop;
	XnCounters  *counters;
	XnPollState *state;
	guint        interfaces;
	guint        remaining;
	guint        ok;
	guint64      values;
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

static void
on_sample (XnNodeSample *sample, gpointer user_data)
{
	Cycle *cycle = user_data;
	g_autoptr(XnNodeSample) owned = sample;
	g_autoptr(XnNodeRates) rates = xn_counters_update (cycle->counters, sample);
	g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_poll_event_free);

	xn_poll_state_update (cycle->state, sample, events);
	cycle->values += sample_values (sample);
	if (sample->result == XN_POLL_OK && sample->incomplete == NULL &&
	    (cycle->interfaces == 0 || sample->interfaces->len == cycle->interfaces))
		cycle->ok++;
	if (--cycle->remaining == 0)
		g_main_loop_quit (cycle->loop);
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
	cpu = cpu_seconds (&after) - cpu_seconds (&before);
	printf ("RESULT tool=poller cycle=%u devices=%u ok=%u varbinds=%" G_GUINT64_FORMAT " wall_s=%.3f cpu_s=%.3f "
		"cpu_s_per_mvb=%.4f peak_rss_kb=%ld decoded=%" G_GUINT64_FORMAT " requests=%" G_GUINT64_FORMAT
		" timeouts=%" G_GUINT64_FORMAT " window=%u work=engine+counters+state\n",
		number, options->devices, cycle->ok, cycle->values, (t1 - t0) / 1e6, cpu,
		cycle->values > 0 ? cpu * 1e6 / cycle->values : 0.0, after.ru_maxrss,
		s1.varbinds_decoded - s0.varbinds_decoded, s1.requests_sent - s0.requests_sent,
		s1.timeouts - s0.timeouts, options->window);
	fflush (stdout);
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
	g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
	Cycle cycle = { 0 };

	if (options->devices == 0 || options->cycles == 0 || options->window == 0 || options->port == 0 ||
	    options->port > 65535) {
		fprintf (stderr, "extranoc-poller: --bench needs --devices, --cycles and --window of at least 1 "
			 "and a --port from 1 to 65535\n");
		return 2;
	}
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
	state = xn_poll_state_new (inventory, 0);
	cycle.loop = loop;
	cycle.counters = counters;
	cycle.state = state;
	cycle.interfaces = options->interfaces;
	for (guint c = 1; c <= options->cycles; c++)
		run_cycle (c, options, engine, xn_inventory_get_nodes (inventory), &cycle);
	/* Freed in reverse order of declaration: the engine before the
	 * secrets it borrows, the state before the inventory. */
	return 0;
}

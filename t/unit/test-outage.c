/* test-outage.c — sla/outage*.c: outages, their evidence and their root
 * cause, on the sample county (data/sample-county.json, loaded through the
 * configuration loader) and on small inventories built by hand.
 *
 *   city-core ── L-city-dong ── dong-core ─┬─ L-dong-qingshan ── qingshan  (qingshan-gov, qingshan-clinic)
 *       │                                  ├─ L-dong-baishui  ── baishui   (baishui-gov)
 *       │                                  ├─ L-dong-taohua   ── taohua    (taohua-gov)
 *       │                                  └─ L-dong-finance, L-dong-health (units' own CPE)
 *       └────── L-city-xi ──── xi-core ─── (the same below, for xi)
 *
 * Each case of the table feeds facts given as local times of 2025-03-10 in
 * Asia/Shanghai and compares every outage, printed one per line as
 *   ID START-END CAUSE ev=SEQS seg=FROM>ROOT,... dep=IDS
 * with lines written out by hand from the rules of doc/outages.md.
 * Snapshots and replay properties are in test-outage-replay.c. */
#include "test-outage-util.h"
#include "xn-error.h"

#include <string.h>

typedef struct {
	const Fixtures *fx;
	const char     *name;
	F               facts[10];
	const char     *expected;      /* lines, each ending in "\n" */
	const char     *only;          /* NULL, or the objects to print: "node/x link/y" */
	const char     *state_at;      /* NULL, or feed only facts up to this time and advance to it */
	gint            window_s;      /* -1: the default */
} Case;

static void
test_case (gconstpointer data)
{
	const Case *c = data;
	g_autoptr(XnOutageEngine) engine = engine_new (c->fx->county, c->window_s);
	XnInstant until = c->state_at != NULL ? local (c->fx, c->state_at) : XN_OUTAGE_OPEN;
	g_autofree char *actual = NULL;

	for (guint i = 0; i < G_N_ELEMENTS (c->facts) && c->facts[i].at != NULL; i++) {
		g_autoptr(XnFact) fact = make_fact (c->fx, i + 1, &c->facts[i]);

		if (fact->ts <= until)
			feed (engine, fact);
	}
	if (c->state_at != NULL)
		xn_outage_engine_advance (engine, until);
	actual = describe_all (c->fx, engine, c->only);
	g_assert_cmpstr (actual, ==, c->expected);
}

static Case cases[] = {
	{ NULL, "node/down-up",
	  { { "10:00:00", DOWN, "node/qingshan", NULL }, { "10:30:00", UP, "node/qingshan", NULL } },
	  "1:link/" LDQ " 10:00:00-10:30:00 node-down qingshan ev=1,2 seg=10:00:00>1:node/qingshan dep=\n"
	  "1:node/qingshan 10:00:00-10:30:00 node-unreachable ev=1,2 seg=10:00:00>1:node/qingshan dep=1:link/" LDQ "\n",
	  NULL, NULL, -1 },
	{ NULL, "link/a-end",
	  { { "10:00:00", IF_DOWN, DQ, NULL }, { "10:20:00", IF_UP, DQ, NULL } },
	  "1:link/" LDQ " 10:00:00-10:20:00 interface-down dong-core ge-0-1-1 ev=1,2 seg=10:00:00>1:link/" LDQ " dep=\n",
	  NULL, NULL, -1 },
	{ NULL, "link/z-end",
	  { { "10:00:00", IF_DOWN, QD, NULL }, { "10:20:00", IF_UP, QD, NULL } },
	  "1:link/" LDQ " 10:00:00-10:20:00 interface-down qingshan ge-0-0-0 ev=1,2 seg=10:00:00>1:link/" LDQ " dep=\n",
	  NULL, NULL, -1 },
	{ NULL, "merge/trap-then-poll",
	  { { "10:00:03", "trap.link-down", DQ, ADMIN_UP }, { "10:02:00", IF_DOWN, DQ, NULL }, { "10:10:00", IF_UP, DQ, NULL } },
	  "1:link/" LDQ " 10:00:03-10:10:00 interface-down dong-core ge-0-1-1 ev=1,2,3 seg=10:00:03>1:link/" LDQ " dep=\n",
	  NULL, NULL, -1 },
	{ NULL, "merge/trap-only",
	  { { "10:00:00", "trap.link-down", QD, ADMIN_UP }, { "10:04:00", "trap.link-up", QD, NULL } },
	  "1:link/" LDQ " 10:00:00-10:04:00 interface-down qingshan ge-0-0-0 ev=1,2 seg=10:00:00>1:link/" LDQ " dep=\n",
	  NULL, NULL, -1 },
	/* The next poll saw it up (which records nothing); the link-up trap
	 * was lost; the poller's re-assertion after a restart ends it. */
	{ NULL, "reassert/closes-trap-outage",
	  { { "10:00:00", "trap.link-down", DQ, NULL }, { "12:00:00", IF_UP, DQ, REASSERT } },
	  "1:link/" LDQ " 10:00:00-12:00:00 interface-down dong-core ge-0-1-1 ev=1,2 seg=10:00:00>1:link/" LDQ " dep=\n",
	  NULL, NULL, -1 },
	{ NULL, "reassert/closes-stale-node",
	  { { "10:00:00", DOWN, "node/xi-core", NULL }, { "12:00:00", UP, "node/xi-core", REASSERT },
	    { "12:00:00", IF_UP, "interface/xi-core/ge-0-1-1", REASSERT } },
	  "1:node/xi-core 10:00:00-12:00:00 node-unreachable ev=1,2 seg=10:00:00>1:node/xi-core dep="
	  "1:link/L-city-xi,1:link/L-xi-civil,1:link/L-xi-hongqiao,1:link/L-xi-market,1:link/L-xi-shiban,1:link/L-xi-songlin\n",
	  "node/xi-core", NULL, -1 },
	{ NULL, "admin-down/opens-nothing",
	  { { "10:00:00", "interface.admin-down", DQ, NULL }, { "10:05:00", "trap.link-down", DQ, ADMIN_DOWN } },
	  "", NULL, NULL, -1 },
	{ NULL, "admin-down/ends-nothing",
	  { { "10:00:00", IF_DOWN, DQ, NULL }, { "10:05:00", "interface.admin-down", DQ, NULL }, { "10:20:00", IF_UP, DQ, NULL } },
	  "1:link/" LDQ " 10:00:00-10:20:00 interface-down dong-core ge-0-1-1 ev=1,3 seg=10:00:00>1:link/" LDQ " dep=\n",
	  NULL, NULL, -1 },
	/* One root, nine dependents: the uplink, five links below, three children. */
	{ NULL, "root/parent-down",
	  { { "10:00:00", DOWN, "node/dong-core", NULL }, { "10:01:00", DOWN, "node/qingshan", NULL },
	    { "10:01:30", DOWN, "node/baishui", NULL }, { "10:02:00", DOWN, "node/taohua", NULL },
	    { "10:30:00", UP, "node/dong-core", NULL }, { "10:30:00", UP, "node/qingshan", NULL },
	    { "10:30:00", UP, "node/baishui", NULL }, { "10:30:00", UP, "node/taohua", NULL } },
	  "1:link/L-city-dong 10:00:00-10:30:00 node-down dong-core ev=1,5 seg=10:00:00>1:node/dong-core dep=\n"
	  "1:link/L-dong-baishui 10:00:00-10:30:00 node-down dong-core ev=1,3,5,7 seg=10:00:00>1:node/dong-core dep=\n"
	  "1:link/L-dong-finance 10:00:00-10:30:00 node-down dong-core ev=1,5 seg=10:00:00>1:node/dong-core dep=\n"
	  "1:link/L-dong-health 10:00:00-10:30:00 node-down dong-core ev=1,5 seg=10:00:00>1:node/dong-core dep=\n"
	  "1:link/L-dong-qingshan 10:00:00-10:30:00 node-down dong-core ev=1,2,5,6 seg=10:00:00>1:node/dong-core dep=\n"
	  "1:link/L-dong-taohua 10:00:00-10:30:00 node-down dong-core ev=1,4,5,8 seg=10:00:00>1:node/dong-core dep=\n"
	  "1:node/dong-core 10:00:00-10:30:00 node-unreachable ev=1,5 seg=10:00:00>1:node/dong-core dep="
	  "1:link/L-city-dong,1:link/L-dong-baishui,1:link/L-dong-finance,1:link/L-dong-health,"
	  "1:link/L-dong-qingshan,1:link/L-dong-taohua,2:node/qingshan,3:node/baishui,4:node/taohua\n"
	  "2:node/qingshan 10:01:00-10:30:00 node-unreachable ev=2,6 seg=10:01:00>1:node/dong-core dep=\n"
	  "3:node/baishui 10:01:30-10:30:00 node-unreachable ev=3,7 seg=10:01:30>1:node/dong-core dep=\n"
	  "4:node/taohua 10:02:00-10:30:00 node-unreachable ev=4,8 seg=10:02:00>1:node/dong-core dep=\n",
	  NULL, NULL, -1 },
	{ NULL, "root/child-stays-down",
	  { { "10:00:00", DOWN, "node/dong-core", NULL }, { "10:01:00", DOWN, "node/qingshan", NULL },
	    { "10:30:00", UP, "node/dong-core", NULL }, { "11:00:00", UP, "node/qingshan", NULL } },
	  "1:link/" LDQ " 10:00:00-11:00:00 node-down dong-core ev=1,2,3,4 seg=10:00:00>1:node/dong-core,10:30:00>2:node/qingshan dep=\n"
	  "2:node/qingshan 10:01:00-11:00:00 node-unreachable ev=2,4 seg=10:01:00>1:node/dong-core,10:30:00>2:node/qingshan dep=1:link/" LDQ "\n",
	  "node/qingshan link/" LDQ, NULL, -1 },
	{ NULL, "window/child-2-min-before",
	  { { "10:00:00", DOWN, "node/qingshan", NULL }, { "10:02:00", DOWN, "node/dong-core", NULL },
	    { "10:30:00", UP, "node/dong-core", NULL }, { "10:30:00", UP, "node/qingshan", NULL } },
	  "1:link/" LDQ " 10:00:00-10:30:00 node-down qingshan ev=1,2,3,4 seg=10:00:00>2:node/dong-core dep=\n"
	  "1:node/qingshan 10:00:00-10:30:00 node-unreachable ev=1,4 seg=10:00:00>2:node/dong-core dep=\n",
	  "node/qingshan link/" LDQ, NULL, -1 },
	{ NULL, "window/child-20-min-before",
	  { { "10:00:00", DOWN, "node/qingshan", NULL }, { "10:20:00", DOWN, "node/dong-core", NULL },
	    { "10:30:00", UP, "node/dong-core", NULL }, { "10:30:00", UP, "node/qingshan", NULL } },
	  "1:link/" LDQ " 10:00:00-10:30:00 node-down qingshan ev=1,2,3,4 seg=10:00:00>1:node/qingshan,10:20:00>2:node/dong-core dep=\n"
	  "1:node/qingshan 10:00:00-10:30:00 node-unreachable ev=1,4 seg=10:00:00>1:node/qingshan,10:20:00>2:node/dong-core dep=1:link/" LDQ "\n",
	  "node/qingshan link/" LDQ, NULL, -1 },
	{ NULL, "window/none",
	  { { "10:00:00", DOWN, "node/qingshan", NULL }, { "10:02:00", DOWN, "node/dong-core", NULL } },
	  "1:node/qingshan 10:00:00-open node-unreachable ev=1 seg=10:00:00>1:node/qingshan,10:02:00>2:node/dong-core dep=1:link/" LDQ "\n",
	  "node/qingshan", NULL, 0 },
	/* The child's failure is recorded first although its ts is later: the
	 * parent's node.unreachable carries its first failed poll. */
	{ NULL, "late/parent-recorded-after-child",
	  { { "10:03:00", DOWN, "node/qingshan", NULL }, { "10:00:00", DOWN, "node/dong-core", NULL } },
	  "1:link/" LDQ " 10:00:00-open node-down dong-core ev=1,2 seg=10:00:00>2:node/dong-core dep=\n"
	  "1:node/qingshan 10:03:00-open node-unreachable ev=1 seg=10:03:00>2:node/dong-core dep=\n",
	  "node/qingshan link/" LDQ, NULL, -1 },
	{ NULL, "late/trap-moves-start",
	  { { "10:02:00", IF_DOWN, DQ, NULL }, { "10:00:03", "trap.link-down", DQ, ADMIN_UP } },
	  "1:link/" LDQ " 10:00:03-open interface-down dong-core ge-0-1-1 ev=1,2 seg=10:00:03>1:link/" LDQ " dep=\n",
	  NULL, NULL, -1 },
	{ NULL, "late/up-splits",
	  { { "10:00:00", IF_DOWN, DQ, NULL }, { "10:10:00", "trap.link-down", DQ, NULL }, { "10:05:00", IF_UP, DQ, NULL } },
	  "1:link/" LDQ " 10:00:00-10:05:00 interface-down dong-core ge-0-1-1 ev=1,3 seg=10:00:00>1:link/" LDQ " dep=\n"
	  "2:link/" LDQ " 10:10:00-open interface-down dong-core ge-0-1-1 ev=2 seg=10:10:00>2:link/" LDQ " dep=\n",
	  NULL, NULL, -1 },
	{ NULL, "late/down-before-known-recovery",
	  { { "10:05:00", "trap.link-up", DQ, NULL }, { "10:00:00", "trap.link-down", DQ, NULL } },
	  "2:link/" LDQ " 10:00:00-10:05:00 interface-down dong-core ge-0-1-1 ev=1,2 seg=10:00:00>2:link/" LDQ " dep=\n",
	  NULL, NULL, -1 },
	{ NULL, "late/within-horizon",
	  { { "11:00:00", IF_UP, DQ, NULL }, { "11:30:00", IF_UP, DQ, REASSERT }, { "12:00:00", IF_UP, DQ, REASSERT },
	    { "11:10:00", "trap.link-down", DQ, NULL } },
	  "4:link/" LDQ " 11:10:00-11:30:00 interface-down dong-core ge-0-1-1 ev=2,4 seg=11:10:00>4:link/" LDQ " dep=\n",
	  NULL, NULL, -1 },
	/* The 09:00 re-assertion was more than an hour older than the newest
	 * report, after another up report: forgotten, so the late down report
	 * runs to the next remembered recovery. */
	{ NULL, "late/beyond-horizon",
	  { { "08:00:00", IF_UP, DQ, NULL }, { "09:00:00", IF_UP, DQ, REASSERT }, { "12:00:00", IF_UP, DQ, REASSERT },
	    { "08:30:00", "trap.link-down", DQ, NULL } },
	  "4:link/" LDQ " 08:30:00-12:00:00 interface-down dong-core ge-0-1-1 ev=3,4 seg=08:30:00>4:link/" LDQ " dep=\n",
	  NULL, NULL, -1 },
	{ NULL, "state-at/open-then",
	  { { "10:00:00", IF_DOWN, DQ, NULL }, { "10:30:00", IF_UP, DQ, NULL }, { "10:40:00", IF_DOWN, QD, NULL } },
	  "1:link/" LDQ " 10:00:00-open interface-down dong-core ge-0-1-1 ev=1 seg=10:00:00>1:link/" LDQ " dep=\n",
	  NULL, "10:15:00", -1 },
};

/* A unit's uplink cuts off that unit; a county node every unit below it,
 * and so does the county's only uplink. */
static void
test_units (gconstpointer data)
{
	const Fixtures *fx = data;
	g_autoptr(XnOutageEngine) engine = engine_new (fx->county, -1);
	static const F facts[] = {
		{ "10:00:00", IF_DOWN, "interface/dong-core/ge-0-2-1", NULL },
		{ "11:00:00", DOWN, "node/dong-core", NULL },
	};
	static const struct {
		const char *object;
		const char *units;
	} expected[] = {
		{ "link/L-dong-finance", "dong-finance" },
		{ "link/L-dong-qingshan", "qingshan-clinic,qingshan-gov" },
		{ "node/dong-core", "baishui-gov,dong-finance,dong-health,qingshan-clinic,qingshan-gov,taohua-gov" },
		{ "link/L-city-dong", "baishui-gov,dong-finance,dong-health,qingshan-clinic,qingshan-gov,taohua-gov" },
		{ "link/L-dong-health", "dong-health" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
		feed_f (fx, engine, i + 1, &facts[i]);
	for (guint i = 0; i < G_N_ELEMENTS (expected); i++) {
		g_autoptr(XnOutage) outage = only_outage (engine, expected[i].object);
		g_autofree char *units = g_strjoinv (",", outage->units);

		g_assert_cmpstr (units, ==, expected[i].units);
	}
}

/* An outage that is its own root stays provisional for the correlation
 * window: its parent's failure may still be recorded. */
static void
test_provisional (gconstpointer data)
{
	const Fixtures *fx = data;
	g_autoptr(XnOutageEngine) engine = engine_new (fx->county, -1);
	static const F child = { "10:00:00", DOWN, "node/qingshan", NULL };
	static const F parent = { "10:09:00", DOWN, "node/dong-core", NULL };
	XnOutage *outage;

	feed_f (fx, engine, 1, &child);
	g_assert_cmpint (xn_outage_engine_now (engine), ==, local (fx, "10:00:00"));
	outage = only_outage (engine, "node/qingshan");
	g_assert_true (outage->provisional);
	xn_outage_free (outage);
	xn_outage_engine_advance (engine, local (fx, "10:09:59"));
	outage = only_outage (engine, "node/qingshan");
	g_assert_true (outage->provisional);
	xn_outage_free (outage);
	/* Time does not run backwards. */
	xn_outage_engine_advance (engine, local (fx, "09:00:00"));
	g_assert_cmpint (xn_outage_engine_now (engine), ==, local (fx, "10:09:59"));
	xn_outage_engine_advance (engine, local (fx, "10:10:00"));
	outage = only_outage (engine, "node/qingshan");
	g_assert_false (outage->provisional);
	xn_outage_free (outage);

	/* A late parent inside the window still takes it; the dependent is
	 * then not provisional, the parent is. */
	feed_f (fx, engine, 2, &parent);
	outage = only_outage (engine, "node/qingshan");
	g_assert_false (outage->provisional);
	g_assert_cmpstr (xn_outage_current_root (outage), ==, "2:node/dong-core");
	xn_outage_free (outage);
	outage = only_outage (engine, "node/dong-core");
	g_assert_true (outage->provisional);
	xn_outage_free (outage);
}

static void
test_unknown (gconstpointer data)
{
	const Fixtures *fx = data;
	g_autoptr(XnOutageEngine) engine = engine_new (fx->county, -1);
	static const F facts[] = {
		{ "10:00:00", DOWN, "node/ghost", NULL },                          /* not in the inventory */
		{ "10:00:01", IF_DOWN, "interface/dong-core/ge-9-9-9", NULL },      /* no link end */
		{ "10:00:02", "trap.link-down", "node/dong-core", NULL },           /* names no interface */
		{ "10:00:03", IF_DOWN, "node/dong-core", NULL },                    /* wrong kind of subject */
		{ "10:00:04", DOWN, DQ, NULL },                                     /* the same */
		{ "10:00:05", "trap.cold-start", "node/dong-core", NULL },
		{ "10:00:06", "node.rebooted", "node/dong-core", NULL },
		{ "10:00:07", "fault.reported", "unit/qingshan-gov", NULL },
		{ "10:00:08", "interface.admin-down", DQ, NULL },
		{ "10:00:09", IF_DOWN, QD, NULL },
	};
	g_autoptr(GPtrArray) outages = NULL;
	XnOutageStats stats;

	for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
		feed_f (fx, engine, 10 * (i + 1), &facts[i]);
	xn_outage_engine_stats (engine, &stats);
	g_assert_cmpuint (stats.unknown, ==, 5);
	g_assert_cmpuint (stats.ignored, ==, 3);
	g_assert_cmpuint (stats.neutral, ==, 1);
	g_assert_cmpuint (stats.reports, ==, 1);
	g_assert_cmpint (xn_outage_engine_last_seq (engine), ==, 100);
	outages = xn_outage_engine_list (engine, FALSE);
	g_assert_cmpuint (outages->len, ==, 1);
	g_assert_cmpstr (((XnOutage *) g_ptr_array_index (outages, 0))->id, ==, "100:link/" LDQ);
}

static void
test_errors (gconstpointer data)
{
	const Fixtures *fx = data;
	g_autoptr(XnOutageEngine) engine = engine_new (fx->county, -1);
	g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
	static const F f = { "10:00:00", IF_DOWN, DQ, NULL };
	g_autoptr(GError) error = NULL;
	XnOutageOptions options = { -1, TRUE, FALSE };
	XnOutageStats stats;
	g_autoptr(XnOutage) found = NULL;

	g_assert_null (xn_outage_engine_new (fx->county, &options, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_clear_error (&error);
	options.correlation_window_us = XN_OUTAGE_MAX_WINDOW + 1;
	g_assert_null (xn_outage_engine_new (fx->county, &options, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_clear_error (&error);

	/* A batch with a seq out of order is refused whole. */
	g_ptr_array_add (batch, make_fact (fx, 5, &f));
	g_ptr_array_add (batch, make_fact (fx, 7, &f));
	g_ptr_array_add (batch, make_fact (fx, 6, &f));
	g_assert_false (xn_outage_engine_feed_all (engine, batch, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_nonnull (strstr (error->message, "seq 6"));
	g_assert_nonnull (strstr (error->message, "7"));
	g_clear_error (&error);
	g_assert_cmpint (xn_outage_engine_last_seq (engine), ==, 0);
	xn_outage_engine_stats (engine, &stats);
	g_assert_cmpuint (stats.reports, ==, 0);

	g_ptr_array_set_size (batch, 2);
	g_assert_true (xn_outage_engine_feed_all (engine, batch, &error));
	g_assert_no_error (error);
	g_assert_false (xn_outage_engine_feed (engine, g_ptr_array_index (batch, 1), &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_clear_error (&error);
	((XnFact *) g_ptr_array_index (batch, 0))->seq = 8;
	((XnFact *) g_ptr_array_index (batch, 0))->ts = G_MAXINT64 - 1;
	g_assert_false (xn_outage_engine_feed (engine, g_ptr_array_index (batch, 0), &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_cmpint (xn_outage_engine_last_seq (engine), ==, 7);
	found = xn_outage_engine_lookup (engine, "5:link/" LDQ);
	g_assert_nonnull (found);
	g_assert_cmpstr (found->id, ==, "5:link/" LDQ);
	g_assert_cmpuint (found->evidence->len, ==, 2);
	g_assert_null (xn_outage_engine_lookup (engine, "7:link/" LDQ));
	g_assert_null (xn_outage_engine_lookup (engine, "5:link/nope"));
	g_assert_null (xn_outage_engine_lookup (engine, "x:link/" LDQ));
}

/* With two uplinks, one down does not cut the node off: only when both
 * are down on their own is the node attributed to them (to the first). */
static void
test_redundant_uplinks (gconstpointer data)
{
	const Fixtures *fx = data;
	g_autoptr(XnInventory) inv = hand_inventory (HAND_FULL);
	g_autoptr(XnOutageEngine) engine = engine_new (inv, -1);
	static const F facts[] = {
		{ "10:00:00", IF_DOWN, "interface/core/ge-0/0/1", NULL },
		{ "10:01:00", DOWN, "node/agg", NULL },
		{ "10:05:00", IF_DOWN, "interface/core/ge-0/0/2", NULL },
	};
	g_autofree char *actual = NULL;

	for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
		feed_f (fx, engine, i + 1, &facts[i]);
	actual = describe_all (fx, engine, "node/agg link/L2 link/L3");
	g_assert_cmpstr (actual, ==,
			 "2:link/L2 10:01:00-open node-down agg ev=2,3 seg=10:01:00>2:node/agg,10:05:00>2:link/L2 dep=\n"
			 "2:link/L3 10:01:00-open node-down agg ev=2 seg=10:01:00>2:node/agg,10:05:00>1:link/L1 dep=\n"
			 "2:node/agg 10:01:00-open node-unreachable ev=2 seg=10:01:00>2:node/agg,10:05:00>1:link/L1 dep=2:link/L2,2:link/L3\n");
}

/* An ancestor that reports nothing (here agg, never polled) is passed
 * through: the township belongs to the core's incident. */
static void
test_silent_ancestor (gconstpointer data)
{
	const Fixtures *fx = data;
	g_autoptr(XnInventory) inv = hand_inventory (HAND_FULL);
	g_autoptr(XnOutageEngine) engine = engine_new (inv, -1);
	static const F facts[] = {
		{ "10:00:00", DOWN, "node/core", NULL },
		{ "10:01:00", DOWN, "node/acc", NULL },
	};
	g_autofree char *actual = NULL;

	for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
		feed_f (fx, engine, i + 1, &facts[i]);
	actual = describe_all (fx, engine, "node/core node/acc link/L3");
	g_assert_cmpstr (actual, ==,
			 "1:node/core 10:00:00-open node-unreachable ev=1 seg=10:00:00>1:node/core dep=1:link/L1,1:link/L2,2:link/L3,2:node/acc\n"
			 "2:link/L3 10:01:00-open node-down acc ev=2 seg=10:01:00>1:node/core dep=\n"
			 "2:node/acc 10:01:00-open node-unreachable ev=2 seg=10:01:00>1:node/core dep=\n");
}

/* The worked example of doc/outages.md: dong-core loses power at about
 * 10:01; taohua was seen down 90 s before (its own poll came first) and
 * stays down after dong-core returns at 10:40. */
static void
test_worked_example (gconstpointer data)
{
	const Fixtures *fx = data;
	g_autoptr(XnOutageEngine) engine = engine_new (fx->county, -1);
	g_autofree char *actual = NULL;
	g_autoptr(XnOutage) root = NULL;
	g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
	g_autofree char *json = NULL;

	for (guint i = 0; i < G_N_ELEMENTS (worked_example); i++)
		feed_f (fx, engine, 101 + i, &worked_example[i]);
	actual = describe_all (fx, engine, NULL);
	if (g_getenv ("XN_SHOW_EXAMPLE") != NULL)
		g_printerr ("%s", actual);
	g_assert_cmpstr (actual, ==,
		"101:link/L-dong-taohua 10:00:00-11:30:00 node-down taohua ev=101,102,105,108 seg=10:00:00>102:node/dong-core,10:40:00>101:node/taohua dep=\n"
		"101:node/taohua 10:00:00-11:30:00 node-unreachable ev=101,108 seg=10:00:00>102:node/dong-core,10:40:00>101:node/taohua dep=101:link/L-dong-taohua\n"
		"102:link/L-city-dong 10:01:30-10:40:00 node-down dong-core ev=102,105 seg=10:01:30>102:node/dong-core dep=\n"
		"102:link/L-dong-baishui 10:01:30-10:42:00 node-down dong-core ev=102,104,105,107 seg=10:01:30>102:node/dong-core,10:40:00>104:node/baishui dep=\n"
		"102:link/L-dong-finance 10:01:30-10:40:00 node-down dong-core ev=102,105 seg=10:01:30>102:node/dong-core dep=\n"
		"102:link/L-dong-health 10:01:30-10:40:00 node-down dong-core ev=102,105 seg=10:01:30>102:node/dong-core dep=\n"
		"102:link/L-dong-qingshan 10:01:30-10:41:00 node-down dong-core ev=102,103,105,106 seg=10:01:30>102:node/dong-core,10:40:00>103:node/qingshan dep=\n"
		"102:node/dong-core 10:01:30-10:40:00 node-unreachable ev=102,105 seg=10:01:30>102:node/dong-core "
		"dep=101:link/L-dong-taohua,101:node/taohua,102:link/L-city-dong,102:link/L-dong-baishui,102:link/L-dong-finance,"
		"102:link/L-dong-health,102:link/L-dong-qingshan,103:node/qingshan,104:node/baishui\n"
		"103:node/qingshan 10:02:00-10:41:00 node-unreachable ev=103,106 seg=10:02:00>102:node/dong-core,10:40:00>103:node/qingshan dep=102:link/L-dong-qingshan\n"
		"104:node/baishui 10:03:00-10:42:00 node-unreachable ev=104,107 seg=10:03:00>102:node/dong-core,10:40:00>104:node/baishui dep=102:link/L-dong-baishui\n");

	/* The root as JSON, as doc/outages.md shows it. */
	root = xn_outage_engine_lookup (engine, "102:node/dong-core");
	json_node_take_object (node, xn_outage_to_json (root));
	json = json_to_string (node, FALSE);
	g_assert_cmpstr (json, ==,
		"{\"id\":\"102:node/dong-core\",\"object\":\"node/dong-core\",\"kind\":\"node\","
		"\"start\":\"2025-03-10T02:01:30.000000Z\",\"end\":\"2025-03-10T02:40:00.000000Z\","
		"\"cause\":\"node-unreachable\",\"units\":[\"baishui-gov\",\"dong-finance\",\"dong-health\","
		"\"qingshan-clinic\",\"qingshan-gov\",\"taohua-gov\"],\"evidence\":[102,105],"
		"\"segments\":[{\"from\":\"2025-03-10T02:01:30.000000Z\",\"to\":\"2025-03-10T02:40:00.000000Z\","
		"\"root\":\"102:node/dong-core\"}],\"dependents\":[\"101:link/L-dong-taohua\",\"101:node/taohua\","
		"\"102:link/L-city-dong\",\"102:link/L-dong-baishui\",\"102:link/L-dong-finance\",\"102:link/L-dong-health\","
		"\"102:link/L-dong-qingshan\",\"103:node/qingshan\",\"104:node/baishui\"],\"provisional\":false}");
}

int
main (int argc, char **argv)
{
	Fixtures fx = { 0 };
	int status;

	g_test_init (&argc, &argv, NULL);
	fixtures_init (&fx);
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *path = g_strconcat ("/outage/", cases[i].name, NULL);

		cases[i].fx = &fx;
		g_test_add_data_func (path, &cases[i], test_case);
	}
	g_test_add_data_func ("/outage/units", &fx, test_units);
	g_test_add_data_func ("/outage/provisional", &fx, test_provisional);
	g_test_add_data_func ("/outage/unknown", &fx, test_unknown);
	g_test_add_data_func ("/outage/errors", &fx, test_errors);
	g_test_add_data_func ("/outage/root/redundant-uplinks", &fx, test_redundant_uplinks);
	g_test_add_data_func ("/outage/root/silent-ancestor", &fx, test_silent_ancestor);
	g_test_add_data_func ("/outage/worked-example", &fx, test_worked_example);
	status = g_test_run ();
	fixtures_clear (&fx);
	return status;
}

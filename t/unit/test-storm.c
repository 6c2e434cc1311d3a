/* test-storm.c — storm protection (collector/storm.c): when a source starts
 * and stops storming, what is stored and what is counted meanwhile, link
 * traps during a storm (the first of each kind per interface per period
 * stored, the last held and stored when it differs), summaries, the final
 * summary at a stop, forgetting quiet sources, a clock stepping back, a new
 * window on reload, and that over a long random run every trap is stored or
 * counted exactly once. */
#include "storm.h"

#include <string.h>

#define S(x) ((XnInstant) (x) * XN_USEC_PER_SEC)
#define T0   S (1700000000)

#define LINK_DOWN_OID "1.3.6.1.6.3.1.1.5.3"
#define LINK_UP_OID   "1.3.6.1.6.3.1.1.5.4"
#define OTHER_OID     "1.3.6.1.4.1.8072.4.0.1"

static XnStorm *
storm_new (guint rate, guint window_s, guint summary_s)
{
	XnStormConfig config = { rate, window_s, summary_s };

	return xn_storm_new (&config, g_free);
}

static GPtrArray *
events_new (void)
{
	return g_ptr_array_new_with_free_func ((GDestroyNotify) xn_storm_event_free);
}

static const XnStormEvent *
event_at (GPtrArray *events, guint i)
{
	g_assert_cmpuint (i, <, events->len);
	return g_ptr_array_index (events, i);
}

static guint64
counted (const XnStormEvent *event, const char *oid)
{
	const guint64 *n = g_hash_table_lookup (event->counted, oid);

	return n != NULL ? *n : 0;
}

static void
test_below_threshold (void)
{
	g_autoptr(XnStorm) storm = storm_new (10, 2, 60);
	g_autoptr(GPtrArray) events = events_new ();

	/* 20 in one second is exactly rate × window: not above it */
	for (guint i = 0; i < 20; i++)
		g_assert_cmpint (xn_storm_trap (storm, "node/a", OTHER_OID, NULL, FALSE, T0, events), ==, XN_STORM_STORE);
	/* a second later the window still holds those 20 */
	g_assert_cmpint (xn_storm_trap (storm, "node/b", OTHER_OID, NULL, FALSE, T0 + S (1), events), ==, XN_STORM_STORE);
	/* two seconds later they have left it */
	for (guint i = 0; i < 20; i++)
		g_assert_cmpint (xn_storm_trap (storm, "node/a", OTHER_OID, NULL, FALSE, T0 + S (2), events), ==,
				 XN_STORM_STORE);
	g_assert_cmpuint (events->len, ==, 0);
	g_assert_false (xn_storm_is_storming (storm, "node/a"));
	g_assert_cmpuint (xn_storm_n_sources (storm), ==, 2);
}

static void
test_start_summary_end (void)
{
	g_autoptr(XnStorm) storm = storm_new (10, 2, 5);
	g_autoptr(GPtrArray) events = events_new ();
	const XnStormEvent *e;
	guint stored = 0;

	for (guint i = 0; i < 100; i++)
		stored += xn_storm_trap (storm, "node/a", OTHER_OID, NULL, FALSE, T0 + i * 1000, events) == XN_STORM_STORE;
	/* the 21st trap started it: 20 stored, 80 counted */
	g_assert_cmpuint (stored, ==, 20);
	g_assert_cmpuint (events->len, ==, 1);
	e = event_at (events, 0);
	g_assert_cmpint (e->kind, ==, XN_STORM_START);
	g_assert_cmpstr (e->source, ==, "node/a");
	g_assert_cmpint (e->at, ==, T0 + 20 * 1000);
	g_assert_cmpfloat (e->rate, ==, 10.5);
	g_assert_cmpuint (e->threshold, ==, 10);
	g_assert_cmpuint (g_hash_table_size (e->counted), ==, 0);
	g_assert_true (xn_storm_is_storming (storm, "node/a"));

	/* other sources are not affected */
	g_assert_cmpint (xn_storm_trap (storm, "source/10.9.9.9", OTHER_OID, NULL, FALSE, T0, events), ==, XN_STORM_STORE);

	/* still storming 3 s later: 30 a second keep it going */
	for (guint s = 1; s <= 4; s++)
		for (guint i = 0; i < 30; i++)
			g_assert_cmpint (xn_storm_trap (storm, "node/a", i % 2 ? OTHER_OID : NULL, NULL, FALSE,
							T0 + S (s) + i, events), ==, XN_STORM_COUNT);
	g_assert_cmpuint (events->len, ==, 1);
	/* the summary falls due 5 s after the start */
	xn_storm_tick (storm, T0 + S (5) + 20 * 1000, events);
	g_assert_cmpuint (events->len, ==, 2);
	e = event_at (events, 1);
	g_assert_cmpint (e->kind, ==, XN_STORM_SUMMARY);
	g_assert_cmpint (e->since, ==, T0 + 20 * 1000);
	g_assert_cmpuint (counted (e, OTHER_OID), ==, 80 + 60);
	g_assert_cmpuint (counted (e, "none"), ==, 60);
	g_assert_cmpuint (e->counted_period, ==, 200);
	g_assert_cmpuint (e->counted_total, ==, 200);
	g_assert_false (e->final);

	/* quiet from second 5 on: seconds 5 and 6 are calm, so the end comes at 7 */
	xn_storm_tick (storm, T0 + S (6) + 500000, events);
	g_assert_cmpuint (events->len, ==, 2);
	g_assert_cmpint (xn_storm_trap (storm, "node/a", OTHER_OID, NULL, FALSE, T0 + S (7), events), ==, XN_STORM_STORE);
	g_assert_cmpuint (events->len, ==, 3);
	e = event_at (events, 2);
	g_assert_cmpint (e->kind, ==, XN_STORM_END);
	g_assert_cmpuint (e->counted_period, ==, 0);
	g_assert_cmpuint (e->counted_total, ==, 200);
	g_assert_cmpint (e->storm_start, ==, T0 + 20 * 1000);
	g_assert_false (xn_storm_is_storming (storm, "node/a"));
}

/* A second at the rate is not calm: the storm goes on while each window has one. */
static void
test_end_needs_a_calm_window (void)
{
	g_autoptr(XnStorm) storm = storm_new (10, 3, 3600);
	g_autoptr(GPtrArray) events = events_new ();

	for (guint i = 0; i < 31; i++)
		xn_storm_trap (storm, "node/a", OTHER_OID, NULL, FALSE, T0, events);
	g_assert_cmpuint (events->len, ==, 1);
	for (guint s = 1; s < 19; s++) {
		/* every third second reaches the rate */
		guint n = s % 3 == 0 ? 10 : 9;

		for (guint i = 0; i < n; i++)
			xn_storm_trap (storm, "node/a", OTHER_OID, NULL, FALSE, T0 + S (s), events);
		xn_storm_tick (storm, T0 + S (s) + 900000, events);
	}
	g_assert_cmpuint (events->len, ==, 1);
	/* from second 19 on, 9 a second: seconds 19, 20, 21 complete → end at 22 */
	for (guint s = 19; s < 22; s++) {
		for (guint i = 0; i < 9; i++)
			xn_storm_trap (storm, "node/a", OTHER_OID, NULL, FALSE, T0 + S (s), events);
		xn_storm_tick (storm, T0 + S (s) + 900000, events);
	}
	g_assert_cmpuint (events->len, ==, 1);
	xn_storm_tick (storm, T0 + S (22), events);
	g_assert_cmpuint (events->len, ==, 2);
	g_assert_cmpint (event_at (events, 1)->kind, ==, XN_STORM_END);
}

static XnStormVerdict
link_trap (XnStorm *storm, const char *object, gboolean up, XnInstant now, GPtrArray *events, const char *tag)
{
	XnStormVerdict v = xn_storm_trap (storm, "node/a", up ? LINK_UP_OID : LINK_DOWN_OID, object, up, now, events);

	if (v == XN_STORM_HOLD)
		xn_storm_hold (storm, g_strdup (tag));
	return v;
}

static void
test_link_traps (void)
{
	g_autoptr(XnStorm) storm = storm_new (5, 1, 10);
	g_autoptr(GPtrArray) events = events_new ();
	const XnStormEvent *e;

	for (guint i = 0; i < 6; i++)
		xn_storm_trap (storm, "node/a", OTHER_OID, NULL, FALSE, T0, events);
	g_assert_cmpuint (events->len, ==, 1);
	/* period 1: ge-0 flaps and ends down; ge-1 goes down once and stays */
	g_assert_cmpint (link_trap (storm, "interface/a/ge-0", FALSE, T0 + 1, events, "d1"), ==, XN_STORM_STORE);
	g_assert_cmpint (link_trap (storm, "interface/a/ge-0", TRUE, T0 + 2, events, "u1"), ==, XN_STORM_STORE);
	g_assert_cmpint (link_trap (storm, "interface/a/ge-0", FALSE, T0 + 3, events, "d2"), ==, XN_STORM_HOLD);
	g_assert_cmpint (link_trap (storm, "interface/a/ge-0", TRUE, T0 + 4, events, "u2"), ==, XN_STORM_HOLD);
	g_assert_cmpint (link_trap (storm, "interface/a/ge-0", FALSE, T0 + 5, events, "d3"), ==, XN_STORM_HOLD);
	g_assert_cmpint (link_trap (storm, "interface/a/ge-1", FALSE, T0 + 6, events, "x1"), ==, XN_STORM_STORE);
	g_assert_cmpint (link_trap (storm, "interface/a/ge-1", FALSE, T0 + 7, events, "x2"), ==, XN_STORM_HOLD);
	/* a node-level link trap is tracked like an interface */
	g_assert_cmpint (link_trap (storm, "node/a", FALSE, T0 + 8, events, "n1"), ==, XN_STORM_STORE);
	/* keep the storm going past the summary */
	for (guint s = 1; s <= 10; s++)
		for (guint i = 0; i < 6; i++)
			xn_storm_trap (storm, "node/a", OTHER_OID, NULL, FALSE, T0 + S (s), events);
	g_assert_cmpuint (events->len, ==, 2);
	e = event_at (events, 1);
	g_assert_cmpint (e->kind, ==, XN_STORM_SUMMARY);
	/* d3 differs from the last stored (u1) and is stored now; x2 agrees with x1 */
	g_assert_cmpuint (e->held->len, ==, 1);
	g_assert_cmpstr (g_ptr_array_index (e->held, 0), ==, "d3");
	/* d2, u2 and x2 stay counted; d3 is not */
	g_assert_cmpuint (counted (e, LINK_DOWN_OID), ==, 2);
	g_assert_cmpuint (counted (e, LINK_UP_OID), ==, 1);

	/* period 2: the first of each kind is stored again */
	g_assert_cmpint (link_trap (storm, "interface/a/ge-0", FALSE, T0 + S (11), events, "d4"), ==, XN_STORM_STORE);
	g_assert_cmpint (link_trap (storm, "interface/a/ge-0", TRUE, T0 + S (11) + 1, events, "u3"), ==, XN_STORM_STORE);
	g_assert_cmpint (link_trap (storm, "interface/a/ge-0", TRUE, T0 + S (11) + 2, events, "u4"), ==, XN_STORM_HOLD);
	/* a stored trap supersedes what was held before it */
	g_assert_cmpint (link_trap (storm, "interface/a/ge-1", FALSE, T0 + S (11) + 3, events, "x3"), ==, XN_STORM_STORE);
	g_assert_cmpint (link_trap (storm, "interface/a/ge-1", FALSE, T0 + S (11) + 4, events, "x4"), ==, XN_STORM_HOLD);
	g_assert_cmpint (link_trap (storm, "interface/a/ge-1", TRUE, T0 + S (11) + 5, events, "y1"), ==, XN_STORM_STORE);
	xn_storm_finish (storm, T0 + S (12), events);
	g_assert_cmpuint (events->len, ==, 3);
	e = event_at (events, 2);
	g_assert_cmpint (e->kind, ==, XN_STORM_SUMMARY);
	g_assert_true (e->final);
	/* u4 agrees with u3: stays counted, not stored; x4 was superseded by y1 */
	g_assert_cmpuint (e->held->len, ==, 0);
	g_assert_cmpuint (counted (e, LINK_UP_OID), ==, 1);
	g_assert_cmpuint (counted (e, LINK_DOWN_OID), ==, 1);
}

static void
test_quiet_sources_forgotten (void)
{
	g_autoptr(XnStorm) storm = storm_new (10, 2, 60);
	g_autoptr(GPtrArray) events = events_new ();

	xn_storm_trap (storm, "source/10.0.0.1", OTHER_OID, NULL, FALSE, T0, events);
	xn_storm_trap (storm, "source/10.0.0.2", OTHER_OID, NULL, FALSE, T0 + S (1), events);
	xn_storm_tick (storm, T0 + S (2), events);
	g_assert_cmpuint (xn_storm_n_sources (storm), ==, 1);
	xn_storm_tick (storm, T0 + S (3), events);
	g_assert_cmpuint (xn_storm_n_sources (storm), ==, 0);
	g_assert_cmpuint (events->len, ==, 0);
}

static void
test_clock_back_and_new_window (void)
{
	g_autoptr(XnStorm) storm = storm_new (10, 2, 60);
	g_autoptr(GPtrArray) events = events_new ();
	XnStormConfig wider = { 10, 5, 60 };

	for (guint i = 0; i < 15; i++)
		xn_storm_trap (storm, "node/a", OTHER_OID, NULL, FALSE, T0 + S (10), events);
	/* the clock steps back half a minute: counted into the current second */
	for (guint i = 0; i < 6; i++)
		xn_storm_trap (storm, "node/a", OTHER_OID, NULL, FALSE, T0 + S (10) - S (30), events);
	g_assert_cmpuint (events->len, ==, 1);
	g_assert_true (xn_storm_is_storming (storm, "node/a"));
	/* a new window restarts the count but keeps the storm */
	xn_storm_set_config (storm, &wider);
	g_assert_true (xn_storm_is_storming (storm, "node/a"));
	g_assert_cmpint (xn_storm_trap (storm, "node/a", OTHER_OID, NULL, FALSE, T0 + S (10), events), ==, XN_STORM_COUNT);
	/* five calm seconds end it */
	xn_storm_tick (storm, T0 + S (15), events);
	g_assert_cmpuint (events->len, ==, 1);
	xn_storm_tick (storm, T0 + S (16), events);
	g_assert_cmpuint (events->len, ==, 2);
	g_assert_cmpint (event_at (events, 1)->kind, ==, XN_STORM_END);
	/* the trap that started it, and the one after the reload */
	g_assert_cmpuint (event_at (events, 1)->counted_total, ==, 2);
}

/* Random traffic from a few sources, bursts and link flaps over ten
 * minutes: every trap is stored, or counted in exactly one summary or end,
 * or stored late as a held link trap. */
static void
test_accounting (void)
{
	g_autoptr(XnStorm) storm = storm_new (50, 3, 20);
	g_autoptr(GPtrArray) events = events_new ();
	g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
	static const char *const sources[] = { "node/a", "node/b", "source/192.0.2.1" };
	static const char *const objects[] = { "interface/x/1", "interface/x/2", "interface/x/3", NULL, NULL };
	guint64 sent = 0, stored = 0, counted_sum = 0, released = 0, starts = 0, ends = 0;

	for (guint s = 0; s < 600; s++) {
		/* bursts: some seconds are heavy for one source */
		guint heavy = g_rand_int_range (rand, 0, 10) < 3 ? (guint) g_rand_int_range (rand, 0, 3) : 99;

		for (guint k = 0; k < G_N_ELEMENTS (sources); k++) {
			guint n = k == heavy ? (guint) g_rand_int_range (rand, 100, 400) : (guint) g_rand_int_range (rand, 0, 40);

			for (guint i = 0; i < n; i++) {
				const char *object = objects[g_rand_int_range (rand, 0, G_N_ELEMENTS (objects))];
				gboolean up = g_rand_boolean (rand);
				XnInstant now = T0 + S (s) + (XnInstant) i * 1000;
				XnStormVerdict v = xn_storm_trap (storm, sources[k], object != NULL ? (up ? LINK_UP_OID : LINK_DOWN_OID)
								  : OTHER_OID, object, up, now, events);

				sent++;
				if (v == XN_STORM_STORE)
					stored++;
				else if (v == XN_STORM_HOLD)
					xn_storm_hold (storm, g_strdup (object));
			}
		}
		xn_storm_tick (storm, T0 + S (s) + 999000, events);
	}
	xn_storm_finish (storm, T0 + S (600), events);
	for (guint i = 0; i < events->len; i++) {
		const XnStormEvent *e = event_at (events, i);
		guint64 sum = 0;
		GHashTableIter iter;
		gpointer value;

		g_hash_table_iter_init (&iter, e->counted);
		while (g_hash_table_iter_next (&iter, NULL, &value))
			sum += *(guint64 *) value;
		g_assert_cmpuint (sum, ==, e->counted_period);
		counted_sum += sum;
		released += e->held->len;
		starts += e->kind == XN_STORM_START;
		ends += e->kind == XN_STORM_END;
	}
	g_assert_cmpuint (starts, >, 3);
	g_assert_cmpuint (ends, >, 3);
	g_assert_cmpuint (released, >, 0);
	g_assert_cmpuint (stored + counted_sum + released, ==, sent);
	g_assert_cmpuint (xn_storm_n_storming (storm), <=, G_N_ELEMENTS (sources));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/storm/below-threshold", test_below_threshold);
	g_test_add_func ("/storm/start-summary-end", test_start_summary_end);
	g_test_add_func ("/storm/end-needs-a-calm-window", test_end_needs_a_calm_window);
	g_test_add_func ("/storm/link-traps", test_link_traps);
	g_test_add_func ("/storm/quiet-sources-forgotten", test_quiet_sources_forgotten);
	g_test_add_func ("/storm/clock-back-and-new-window", test_clock_back_and_new_window);
	g_test_add_func ("/storm/accounting", test_accounting);
	return g_test_run ();
}

/* test-scheduler.c — poller/scheduler.c: when each node is due, on a
 * virtual clock.
 *
 * The grid (slots at offset + k × interval, before and after 1970), the
 * offset (a function of the name alone, inside the jitter span, spread
 * evenly over it), the order nodes come due in, no second poll of a node in
 * flight, the fast re-poll of a failing node and its return to the grid, a
 * poll that overran its next slot, interval changes, removal while in flight
 * (and coming back meanwhile), and a reschedule after the clock went back. */
#include "scheduler.h"

#define T0   G_GINT64_CONSTANT (1737907200000000)   /* 2025-01-26T16:00:00Z, a multiple of 300 s */
#define S(x) ((XnInstant) (x) * XN_USEC_PER_SEC)

static void
test_slot_after (void)
{
	/* interval 300 s, offset 7 s */
	g_assert_cmpint (xn_scheduler_slot_after (T0, 300, S (7)), ==, T0 + S (7));
	g_assert_cmpint (xn_scheduler_slot_after (T0 + S (7), 300, S (7)), ==, T0 + S (307));
	g_assert_cmpint (xn_scheduler_slot_after (T0 + S (7) - 1, 300, S (7)), ==, T0 + S (7));
	g_assert_cmpint (xn_scheduler_slot_after (T0 + S (306), 300, S (7)), ==, T0 + S (307));
	/* before the epoch: floor, not truncation toward zero */
	g_assert_cmpint (xn_scheduler_slot_after (-S (1), 10, 0), ==, 0);
	g_assert_cmpint (xn_scheduler_slot_after (-S (10), 10, 0), ==, 0);
	g_assert_cmpint (xn_scheduler_slot_after (-S (11), 10, S (3)), ==, -S (7));
}

static void
test_offset (void)
{
	guint buckets[10] = { 0 };

	g_assert_cmpint (xn_scheduler_offset ("city-core", 300, 0), ==, 0);
	g_assert_cmpint (xn_scheduler_offset ("city-core", 300, 90), ==, xn_scheduler_offset ("city-core", 300, 90));
	g_assert_cmpint (xn_scheduler_offset ("city-core", 300, 90), !=, xn_scheduler_offset ("dong-core", 300, 90));
	/* 1,000 names differing in their last digits spread over 90 % of 300 s:
	 * each tenth of the span gets 100 ± 40 of them. */
	for (guint i = 0; i < 1000; i++) {
		g_autofree char *name = g_strdup_printf ("access-%u", i);
		gint64 offset = xn_scheduler_offset (name, 300, 90);

		g_assert_cmpint (offset, >=, 0);
		g_assert_cmpint (offset, <, S (270));
		buckets[offset / S (27)]++;
	}
	for (guint b = 0; b < G_N_ELEMENTS (buckets); b++) {
		g_assert_cmpuint (buckets[b], >=, 60);
		g_assert_cmpuint (buckets[b], <=, 140);
	}
}

/* Takes every node due at `now`, in order, joined by spaces. */
static char *
take_all (XnScheduler *s, XnInstant now)
{
	GString *out = g_string_new (NULL);
	const char *name;

	while ((name = xn_scheduler_take_due (s, now)) != NULL)
		g_string_append_printf (out, "%s%s", out->len > 0 ? " " : "", name);
	return g_string_free (out, FALSE);
}

static void
test_order_and_in_flight (void)
{
	g_autoptr(XnScheduler) s = xn_scheduler_new (0, 5);
	g_autofree char *first = NULL, *second = NULL, *third = NULL;

	/* jitter 0: every node sits on the plain grid */
	xn_scheduler_set_node (s, "b", 10, T0 + S (1));
	xn_scheduler_set_node (s, "a", 10, T0 + S (1));
	xn_scheduler_set_node (s, "c", 20, T0 + S (1));
	g_assert_cmpuint (xn_scheduler_n_nodes (s), ==, 3);
	g_assert_cmpint (xn_scheduler_due (s, "a"), ==, T0 + S (10));
	g_assert_cmpint (xn_scheduler_due (s, "c"), ==, T0 + S (20));
	g_assert_cmpint (xn_scheduler_next_due (s), ==, T0 + S (10));
	g_assert_null (xn_scheduler_take_due (s, T0 + S (10) - 1));
	first = take_all (s, T0 + S (10));
	g_assert_cmpstr (first, ==, "a b");
	g_assert_cmpuint (xn_scheduler_in_flight (s), ==, 2);
	g_assert_cmpint (xn_scheduler_due (s, "a"), ==, G_MAXINT64);
	/* in flight: not handed out again, however late it gets */
	second = take_all (s, T0 + S (25));
	g_assert_cmpstr (second, ==, "c");
	xn_scheduler_finished (s, "a", T0 + S (10), FALSE, T0 + S (26));
	g_assert_cmpuint (xn_scheduler_in_flight (s), ==, 2);
	/* a overran its slot at 20: due at once, not at 30 */
	g_assert_cmpint (xn_scheduler_due (s, "a"), ==, T0 + S (20));
	third = take_all (s, T0 + S (26));
	g_assert_cmpstr (third, ==, "a");
	/* a finished poll that started later than its slot keeps the grid */
	xn_scheduler_finished (s, "b", T0 + S (10) + 300000, FALSE, T0 + S (11));
	g_assert_cmpint (xn_scheduler_due (s, "b"), ==, T0 + S (20));
	/* a report for a node never handed out changes nothing */
	xn_scheduler_finished (s, "b", T0, TRUE, T0 + S (11));
	g_assert_cmpint (xn_scheduler_due (s, "b"), ==, T0 + S (20));
}

static void
test_failing (void)
{
	g_autoptr(XnScheduler) s = xn_scheduler_new (0, 30);
	g_autofree char *got = NULL;

	xn_scheduler_set_node (s, "n", 300, T0);
	g_assert_cmpint (xn_scheduler_due (s, "n"), ==, T0);
	g_assert_cmpstr (xn_scheduler_take_due (s, T0), ==, "n");
	/* failed, ending 4 s in: again 30 s after it ended, not at 300 */
	xn_scheduler_finished (s, "n", T0, TRUE, T0 + S (4));
	g_assert_cmpint (xn_scheduler_due (s, "n"), ==, T0 + S (34));
	g_assert_cmpstr (xn_scheduler_take_due (s, T0 + S (34)), ==, "n");
	xn_scheduler_finished (s, "n", T0 + S (34), TRUE, T0 + S (38));
	g_assert_cmpint (xn_scheduler_due (s, "n"), ==, T0 + S (68));
	/* answered again: back on the grid */
	got = g_strdup (xn_scheduler_take_due (s, T0 + S (68)));
	g_assert_cmpstr (got, ==, "n");
	xn_scheduler_finished (s, "n", T0 + S (68), FALSE, T0 + S (69));
	g_assert_cmpint (xn_scheduler_due (s, "n"), ==, T0 + S (300));
	/* the regular slot wins when it comes before the re-poll */
	xn_scheduler_set_node (s, "m", 20, T0);
	g_assert_cmpstr (xn_scheduler_take_due (s, T0), ==, "m");
	xn_scheduler_finished (s, "m", T0, TRUE, T0 + S (4));
	g_assert_cmpint (xn_scheduler_due (s, "m"), ==, T0 + S (20));
}

static void
test_no_poll_right_after (void)
{
	g_autoptr(XnScheduler) s = xn_scheduler_new (0, 5);

	/* every 10 s, failing: re-polls at 5 s after each failure */
	xn_scheduler_set_node (s, "n", 10, T0);
	g_assert_cmpstr (xn_scheduler_take_due (s, T0), ==, "n");
	xn_scheduler_finished (s, "n", T0, TRUE, T0 + S (4) + 400000);
	g_assert_cmpint (xn_scheduler_due (s, "n"), ==, T0 + S (9) + 400000);
	/* the re-poll 0.6 s before the slot at 10 answers: the next poll is
	 * the slot at 20, not the one at 10 a moment later (RRD keeps whole
	 * seconds, and nothing new would be seen) */
	g_assert_cmpstr (xn_scheduler_take_due (s, T0 + S (9) + 400000), ==, "n");
	xn_scheduler_finished (s, "n", T0 + S (9) + 400000, FALSE, T0 + S (9) + 500000);
	g_assert_cmpint (xn_scheduler_due (s, "n"), ==, T0 + S (20));
	/* and a reschedule (a reload) keeps that gap too */
	xn_scheduler_reschedule (s, 0, 5, T0 + S (9) + 600000);
	g_assert_cmpint (xn_scheduler_due (s, "n"), ==, T0 + S (20));
}

static void
test_interval_change (void)
{
	g_autoptr(XnScheduler) s = xn_scheduler_new (0, 5);

	xn_scheduler_set_node (s, "n", 300, T0 + S (1));
	g_assert_cmpint (xn_scheduler_due (s, "n"), ==, T0 + S (300));
	xn_scheduler_set_node (s, "n", 60, T0 + S (1));
	g_assert_cmpint (xn_scheduler_due (s, "n"), ==, T0 + S (60));
	g_assert_cmpuint (xn_scheduler_n_nodes (s), ==, 1);
	/* changed while in flight: the new interval counts from the end of the poll */
	g_assert_cmpstr (xn_scheduler_take_due (s, T0 + S (60)), ==, "n");
	xn_scheduler_set_node (s, "n", 10, T0 + S (61));
	g_assert_cmpint (xn_scheduler_due (s, "n"), ==, G_MAXINT64);
	xn_scheduler_finished (s, "n", T0 + S (60), FALSE, T0 + S (62));
	g_assert_cmpint (xn_scheduler_due (s, "n"), ==, T0 + S (70));
}

static void
test_remove (void)
{
	g_autoptr(XnScheduler) s = xn_scheduler_new (0, 5);

	xn_scheduler_set_node (s, "gone", 10, T0);
	xn_scheduler_set_node (s, "back", 10, T0);
	xn_scheduler_set_node (s, "idle", 10, T0 + S (1));
	g_assert_cmpstr (xn_scheduler_take_due (s, T0), ==, "back");
	g_assert_cmpstr (xn_scheduler_take_due (s, T0), ==, "gone");
	xn_scheduler_remove_node (s, "idle");
	xn_scheduler_remove_node (s, "gone");
	xn_scheduler_remove_node (s, "back");
	g_assert_false (xn_scheduler_has_node (s, "gone"));
	g_assert_cmpuint (xn_scheduler_n_nodes (s), ==, 0);
	/* still in flight, as far as a stop is concerned */
	g_assert_cmpuint (xn_scheduler_in_flight (s), ==, 2);
	/* back before its poll ended: not handed out while that poll runs */
	xn_scheduler_set_node (s, "back", 10, T0 + S (1));
	g_assert_true (xn_scheduler_has_node (s, "back"));
	g_assert_null (xn_scheduler_take_due (s, T0 + S (100)));
	xn_scheduler_finished (s, "gone", T0, FALSE, T0 + S (2));
	xn_scheduler_finished (s, "back", T0, FALSE, T0 + S (2));
	g_assert_cmpuint (xn_scheduler_in_flight (s), ==, 0);
	g_assert_false (xn_scheduler_has_node (s, "gone"));
	g_assert_cmpint (xn_scheduler_due (s, "back"), ==, T0 + S (10));
	g_assert_cmpuint (xn_scheduler_n_nodes (s), ==, 1);
	g_assert_cmpint (xn_scheduler_next_due (s), ==, T0 + S (10));
}

static void
test_reschedule (void)
{
	g_autoptr(XnScheduler) s = xn_scheduler_new (0, 30);
	gint64 offset = xn_scheduler_offset ("n", 300, 50);

	xn_scheduler_set_node (s, "n", 300, T0 + S (1));
	xn_scheduler_set_node (s, "f", 300, T0);
	g_assert_cmpstr (xn_scheduler_take_due (s, T0), ==, "f");
	xn_scheduler_finished (s, "f", T0, TRUE, T0 + S (2));
	g_assert_cmpint (xn_scheduler_due (s, "f"), ==, T0 + S (32));
	/* the clock went back an hour: due times count from the new now, and
	 * the failing node's re-poll is not pushed past the re-poll delay */
	xn_scheduler_reschedule (s, 50, 30, T0 - S (3600));
	g_assert_cmpint (xn_scheduler_due (s, "n"), ==, xn_scheduler_slot_after (T0 - S (3600) - 1, 300, offset));
	g_assert_cmpint (xn_scheduler_due (s, "f"), <=, T0 - S (3600) + S (30));
	g_assert_cmpint (xn_scheduler_due (s, "f"), >=, T0 - S (3600));
	/* and forward again: a re-poll already due stays due now */
	xn_scheduler_reschedule (s, 50, 30, T0 + S (100));
	g_assert_cmpint (xn_scheduler_due (s, "f"), ==, T0 + S (100));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/scheduler/slot-after", test_slot_after);
	g_test_add_func ("/scheduler/offset", test_offset);
	g_test_add_func ("/scheduler/order-and-in-flight", test_order_and_in_flight);
	g_test_add_func ("/scheduler/failing", test_failing);
	g_test_add_func ("/scheduler/no-poll-right-after", test_no_poll_right_after);
	g_test_add_func ("/scheduler/interval-change", test_interval_change);
	g_test_add_func ("/scheduler/remove", test_remove);
	g_test_add_func ("/scheduler/reschedule", test_reschedule);
	return g_test_run ();
}

/* test-outage-replay.c — sla/outage-snapshot.c and the engine's promise
 * that how facts are delivered does not matter.
 *
 * A 200-fact scenario on the sample county, drawn with a fixed seed (late
 * facts, facts beyond the reorder horizon, unknown subjects, seq gaps), is
 * fed straight; a snapshot taken after every prefix, restored and fed the
 * rest must give the same outages and the same snapshot, and so must any
 * split into batches with `now` advanced in between. Snapshots from
 * another topology and damaged snapshots must be refused with the place
 * named. */
#include "test-outage-util.h"
#include "xn-error.h"

#include <string.h>

static void
test_snapshot_inventory (gconstpointer data)
{
	const Fixtures *fx = data;
	g_autoptr(XnInventory) full = hand_inventory (HAND_FULL);
	g_autoptr(XnInventory) without = hand_inventory (HAND_WITHOUT_ACC);
	g_autoptr(XnInventory) extra = hand_inventory (HAND_WITH_EXTRA);
	g_autoptr(XnInventory) again = hand_inventory (HAND_FULL);
	g_autoptr(XnOutageEngine) engine = engine_new (full, -1);
	g_autoptr(XnOutageEngine) restored = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *snapshot = NULL;
	g_autofree char *before = NULL;
	g_autofree char *after = NULL;
	static const F down = { "10:00:00", DOWN, "node/acc", NULL };

	feed_f (fx, engine, 1, &down);
	snapshot = xn_outage_engine_snapshot (engine);

	/* The same topology in another inventory object restores. */
	restored = restore (again, snapshot);
	before = list_json (engine);
	after = list_json (restored);
	g_assert_cmpstr (before, ==, after);

	g_assert_null (xn_outage_engine_restore (without, NULL, snapshot, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_CONFIG);
	g_assert_nonnull (strstr (error->message, "\"node/acc\""));
	g_assert_nonnull (strstr (error->message, "replay the journal"));
	g_clear_error (&error);
	g_assert_null (xn_outage_engine_restore (extra, NULL, snapshot, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_CONFIG);
	g_assert_nonnull (strstr (error->message, "another topology"));
}

static void
test_snapshot_malformed (gconstpointer data)
{
	const Fixtures *fx = data;
	g_autoptr(XnOutageEngine) engine = engine_new (fx->county, -1);
	g_autofree char *good = NULL;
	static const F facts[] = {
		{ "10:00:00", IF_DOWN, DQ, NULL },
		{ "10:05:00", IF_UP, DQ, NULL },
	};
	static const struct {
		const char *from;
		const char *to;
		const char *message;
	} edits[] = {
		{ NULL, NULL, "not a JSON object" },
		{ "\"version\":1", "\"version\":2", "\"version\" must be an integer from 1 to 1" },
		{ "\"format\":\"extranoc-outages\"", "\"format\":\"x\"", "format \"x\"" },
		{ "\"last_seq\":2", "\"last_seq\":1", "signals[0].reports[1]: \"seq\" must be an integer from 1 to 1" },
		{ "\"reports\":[[", "\"reports\":[[1,", "signals[0].reports[0] must be [ts, seq, down]" },
		{ ",\"now\":", ",\"then\":0,\"now\":", "unknown key \"then\"" },
		{ "\"stats\":{", "\"stats\":{\"x\":1,", "stats: unknown key \"x\"" },
		{ "true]", "1]", "\"down\" must be true or false" },
		{ "false]", "true],[1741572000000000,1,false]", "reports[2] is not after the report before it" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
		feed_f (fx, engine, i + 1, &facts[i]);
	good = xn_outage_engine_snapshot (engine);
	for (guint i = 0; i < G_N_ELEMENTS (edits); i++) {
		g_autofree char *bad = NULL;
		g_autoptr(GError) error = NULL;

		if (edits[i].from == NULL) {
			bad = g_strdup ("[1,2]");
		} else {
			g_auto(GStrv) parts = g_strsplit (good, edits[i].from, 2);

			g_assert_nonnull (parts[1]);
			bad = g_strconcat (parts[0], edits[i].to, parts[1], NULL);
		}
		g_assert_null (xn_outage_engine_restore (fx->county, NULL, bad, &error));
		g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
		if (strstr (error->message, edits[i].message) == NULL)
			g_error ("edit %u: \"%s\" lacks \"%s\"", i, error->message, edits[i].message);
	}
}

/* Subjects the random scenario reports on: every node and link end of the
 * sample, and two the inventory does not have. */
static GPtrArray *
scenario_subjects (const XnInventory *inv, GPtrArray **interfaces)
{
	GPtrArray *nodes = g_ptr_array_new_with_free_func (g_free);
	const GPtrArray *links = xn_inventory_get_links (inv);

	*interfaces = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; i < xn_inventory_get_nodes (inv)->len; i++)
		g_ptr_array_add (nodes, g_strconcat ("node/", ((XnNode *) g_ptr_array_index (xn_inventory_get_nodes (inv), i))->name, NULL));
	for (guint i = 0; i < links->len; i++) {
		const XnLink *link = g_ptr_array_index (links, i);

		g_ptr_array_add (*interfaces, g_strdup_printf ("interface/%s/%s", link->a.node->name, link->a.interface));
		if (link->z.node != NULL)
			g_ptr_array_add (*interfaces, g_strdup_printf ("interface/%s/%s", link->z.node->name, link->z.interface));
	}
	return nodes;
}

static const char *
pick (GRand *rand, const char *const *choices, guint n)
{
	return choices[g_rand_int_range (rand, 0, n)];
}

/* 200 facts over a morning: mostly in time order, some a few minutes
 * late (as node.unreachable is), a few hours late (beyond the reorder
 * horizon), seqs with gaps. Parents and children fail often enough for
 * incidents to form. */
static GPtrArray *
scenario (const Fixtures *fx, guint n, guint32 seed)
{
	static const char *const node_kinds[] = { DOWN, DOWN, UP, UP, UP, "node.rebooted" };
	static const char *const if_kinds[] = { IF_DOWN, IF_UP, IF_UP, "interface.admin-down", "trap.link-down",
						"trap.link-up", "trap.cold-start" };
	static const char *const unknown[] = { "node/ghost", "interface/dong-core/ge-9-9-9" };
	g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
	g_autoptr(GPtrArray) interfaces = NULL;
	g_autoptr(GPtrArray) nodes = scenario_subjects (fx->county, &interfaces);
	GPtrArray *facts = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
	XnInstant clock = local (fx, "08:00:00");
	gint64 seq = 0;

	for (guint i = 0; i < n; i++) {
		double r = g_rand_double (rand);
		XnInstant ts;
		const char *kind, *subject, *attrs = NULL;
		g_autoptr(JsonObject) object = NULL;
		XnFact *fact;

		clock += g_rand_int_range (rand, 5, 150) * XN_USEC_PER_SEC;
		ts = clock;
		if (r < 0.15)
			ts -= g_rand_int_range (rand, 1, 300) * XN_USEC_PER_SEC;
		else if (r < 0.19)
			ts -= g_rand_int_range (rand, 3600, 3 * 3600) * XN_USEC_PER_SEC;
		r = g_rand_double (rand);
		if (r < 0.40) {
			kind = pick (rand, node_kinds, G_N_ELEMENTS (node_kinds));
			/* dong-core and xi-core, the parents, a third of the time */
			subject = g_rand_double (rand) < 0.3 ? pick (rand, (const char *const[]) { "node/dong-core", "node/xi-core" }, 2) :
				g_ptr_array_index (nodes, g_rand_int_range (rand, 0, nodes->len));
		} else if (r < 0.92) {
			kind = pick (rand, if_kinds, G_N_ELEMENTS (if_kinds));
			subject = g_ptr_array_index (interfaces, g_rand_int_range (rand, 0, interfaces->len));
			if (strcmp (kind, "trap.link-down") == 0)
				attrs = g_rand_double (rand) < 0.2 ? ADMIN_DOWN : ADMIN_UP;
		} else {
			kind = pick (rand, (const char *const[]) { DOWN, IF_DOWN }, 2);
			subject = pick (rand, unknown, G_N_ELEMENTS (unknown));
		}
		object = xn_fact_attrs_from_json (attrs != NULL ? attrs : "{}", NULL);
		fact = xn_fact_new (ts, kind, subject, "poller", clock, object);
		seq += 1 + (g_rand_double (rand) < 0.1 ? g_rand_int_range (rand, 1, 5) : 0);
		fact->seq = seq;
		g_ptr_array_add (facts, fact);
	}
	return facts;
}

static void
feed_range (XnOutageEngine *engine, const GPtrArray *facts, guint from, guint to)
{
	g_autoptr(GPtrArray) part = g_ptr_array_new ();
	g_autoptr(GError) error = NULL;

	for (guint i = from; i < to; i++)
		g_ptr_array_add (part, g_ptr_array_index (facts, i));
	g_assert_true (xn_outage_engine_feed_all (engine, part, &error));
	g_assert_no_error (error);
}

/* The scenario must be worth testing on: outages, incidents with
 * dependents, segments that change root, facts that are counted only. */
static void
assert_rich (const XnOutageEngine *engine)
{
	g_autoptr(GPtrArray) outages = xn_outage_engine_list (engine, FALSE);
	guint dependents = 0, changes = 0;
	XnOutageStats stats;

	for (guint i = 0; i < outages->len; i++) {
		const XnOutage *outage = g_ptr_array_index (outages, i);

		dependents += g_strv_length (outage->dependents);
		changes += outage->segments->len > 1 ? 1 : 0;
	}
	xn_outage_engine_stats (engine, &stats);
	g_test_message ("%u outages, %u dependents, %u with several segments; %" G_GUINT64_FORMAT " reports, "
			"%" G_GUINT64_FORMAT " neutral, %" G_GUINT64_FORMAT " unknown, %" G_GUINT64_FORMAT " ignored",
			outages->len, dependents, changes, stats.reports, stats.neutral, stats.unknown, stats.ignored);
	g_assert_cmpuint (outages->len, >=, 30);
	g_assert_cmpuint (dependents, >=, 10);
	g_assert_cmpuint (changes, >=, 3);
	g_assert_cmpuint (stats.neutral, >, 0);
	g_assert_cmpuint (stats.unknown, >, 0);
	g_assert_cmpuint (stats.ignored, >, 0);
}

/* Snapshot after any prefix, restore, feed the rest: exactly the outages
 * (and the snapshot) of feeding everything straight. */
static void
test_snapshot_every_position (gconstpointer data)
{
	const Fixtures *fx = data;
	g_autoptr(GPtrArray) facts = scenario (fx, 200, 20250310);
	g_autoptr(XnOutageEngine) straight = engine_new (fx->county, -1);
	g_autofree char *expected = NULL;
	g_autofree char *expected_snapshot = NULL;

	feed_range (straight, facts, 0, facts->len);
	assert_rich (straight);
	expected = list_json (straight);
	expected_snapshot = xn_outage_engine_snapshot (straight);
	for (guint p = 0; p <= facts->len; p++) {
		g_autoptr(XnOutageEngine) head = engine_new (fx->county, -1);
		g_autoptr(XnOutageEngine) restored = NULL;
		g_autofree char *snapshot = NULL;
		g_autofree char *again = NULL;
		g_autofree char *head_list = NULL;
		g_autofree char *restored_list = NULL;
		g_autofree char *final_list = NULL;
		g_autofree char *final_snapshot = NULL;

		feed_range (head, facts, 0, p);
		snapshot = xn_outage_engine_snapshot (head);
		restored = restore (fx->county, snapshot);
		again = xn_outage_engine_snapshot (restored);
		g_assert_cmpstr (again, ==, snapshot);
		head_list = list_json (head);
		restored_list = list_json (restored);
		g_assert_cmpstr (restored_list, ==, head_list);
		feed_range (restored, facts, p, facts->len);
		final_list = list_json (restored);
		final_snapshot = xn_outage_engine_snapshot (restored);
		g_assert_cmpstr (final_list, ==, expected);
		g_assert_cmpstr (final_snapshot, ==, expected_snapshot);
	}
}

/* Batches of any size, with `now` advanced to each batch's latest ts in
 * between, end where one batch ends. */
static void
test_batches (gconstpointer data)
{
	const Fixtures *fx = data;
	g_autoptr(GPtrArray) facts = scenario (fx, 200, 4242);
	g_autoptr(XnOutageEngine) straight = engine_new (fx->county, -1);
	g_autoptr(GRand) rand = g_rand_new_with_seed (7);
	g_autofree char *expected = NULL;
	g_autofree char *expected_snapshot = NULL;

	feed_range (straight, facts, 0, facts->len);
	assert_rich (straight);
	expected = list_json (straight);
	expected_snapshot = xn_outage_engine_snapshot (straight);
	for (guint round = 0; round < 20; round++) {
		g_autoptr(XnOutageEngine) engine = engine_new (fx->county, -1);
		g_autofree char *actual = NULL;
		g_autofree char *actual_snapshot = NULL;
		guint at = 0;

		while (at < facts->len) {
			guint drawn = g_rand_int_range (rand, 1, round < 10 ? 4 : 40);
			guint size = MIN (drawn, facts->len - at);
			XnInstant latest = G_MININT64;

			feed_range (engine, facts, at, at + size);
			for (guint i = at; i < at + size; i++)
				latest = MAX (latest, ((XnFact *) g_ptr_array_index (facts, i))->ts);
			xn_outage_engine_advance (engine, latest);
			at += size;
		}
		actual = list_json (engine);
		actual_snapshot = xn_outage_engine_snapshot (engine);
		g_assert_cmpstr (actual, ==, expected);
		g_assert_cmpstr (actual_snapshot, ==, expected_snapshot);
	}
}

int
main (int argc, char **argv)
{
	Fixtures fx = { 0 };
	int status;

	g_test_init (&argc, &argv, NULL);
	fixtures_init (&fx);
	g_test_add_data_func ("/outage/snapshot/other-inventory", &fx, test_snapshot_inventory);
	g_test_add_data_func ("/outage/snapshot/malformed", &fx, test_snapshot_malformed);
	g_test_add_data_func ("/outage/snapshot/every-position", &fx, test_snapshot_every_position);
	g_test_add_data_func ("/outage/batches", &fx, test_batches);
	status = g_test_run ();
	fixtures_clear (&fx);
	return status;
}

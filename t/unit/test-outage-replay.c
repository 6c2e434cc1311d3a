/* test-outage-replay.c — sla/outage-snapshot.c and the engine's promise
 * that how facts are delivered does not matter.
 *
 * A 200-fact scenario on the sample county, drawn with a fixed seed (late
 * facts, facts beyond the reorder horizon, unknown subjects, seq gaps), is
 * fed straight; a snapshot taken after every prefix, restored and fed the
 * rest must give the same outages and the same snapshot, and so must any
 * split into batches with `now` advanced in between. Both hold with
 * outages settling (on 300 facts of incidents over seven hours, the first
 * ones settle on the way): then the restored engine lists what had not
 * settled at the snapshot, and with the outages that had, it lists what
 * feeding everything lists. Snapshots from another topology, another correlation
 * window or settling mode, of the older format, and damaged snapshots
 * must be refused with the place named. */
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

/* What the snapshot was derived with is part of it: another window or
 * settling mode, or the format before settling, means replaying. */
static void
test_snapshot_settings (gconstpointer data)
{
	const Fixtures *fx = data;
	g_autoptr(XnOutageEngine) engine = engine_new (fx->county, -1);
	g_autofree char *snapshot = NULL;
	g_auto(GStrv) parts = NULL;
	g_autofree char *older = NULL;
	g_autoptr(GError) error = NULL;
	XnOutageOptions options;
	static const F down = { "10:00:00", IF_DOWN, DQ, NULL };

	feed_f (fx, engine, 1, &down);
	snapshot = xn_outage_engine_snapshot (engine);
	options_for (&options, 60, FALSE, TRUE);
	g_assert_null (xn_outage_engine_restore (fx->county, &options, snapshot, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_CONFIG);
	g_assert_nonnull (strstr (error->message, "correlation window of 600 s, not 60 s"));
	g_clear_error (&error);
	options_for (&options, -1, TRUE, TRUE);
	g_assert_null (xn_outage_engine_restore (fx->county, &options, snapshot, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_CONFIG);
	g_assert_nonnull (strstr (error->message, "made without settling"));
	g_clear_error (&error);
	/* version 1 had neither window nor settling; its keys do not matter */
	parts = g_strsplit (snapshot, "\"version\":2", 2);
	older = g_strconcat (parts[0], "\"version\":1", parts[1], NULL);
	g_assert_null (xn_outage_engine_restore (fx->county, NULL, older, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_CONFIG);
	g_assert_nonnull (strstr (error->message, "version 1 is an older format"));
	g_assert_nonnull (strstr (error->message, "replay the journal"));
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
		{ "\"version\":2", "\"version\":3", "\"version\" must be an integer from 1 to 2" },
		{ "\"window\":", "\"window\":-", "\"window\" must be an integer from 0 to" },
		{ "\"settle\":false", "\"settle\":0", "\"settle\" must be true or false" },
		{ "\"sealed\":null", "\"sealed\":\"x\"", "\"sealed\" must be an integer" },
		{ "\"settled\":[]", "\"settled\":[{\"object\":\"node/x\"}]", "settled[0]: key \"end\" is missing" },
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

static int
compare_outages (gconstpointer a, gconstpointer b)
{
	const XnOutage *x = *(const XnOutage *const *) a, *y = *(const XnOutage *const *) b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return strcmp (x->object, y->object);
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

typedef struct {
	const Fixtures *fx;
	gboolean        settle;
} Mode;

/* Without settling, the scenario these tests always had; with it, one of
 * incidents that end, over seven hours, so that the first ones settle. */
static GPtrArray *
facts_for (const Mode *mode, guint32 seed)
{
	return mode->settle ? scenario_incidents (mode->fx, 300, seed, TRUE) : scenario (mode->fx, 200, seed, TRUE);
}

/* id → the outage's JSON */
static GHashTable *
by_id (const GPtrArray *outages)
{
	GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

	for (guint i = 0; i < outages->len; i++) {
		const XnOutage *outage = g_ptr_array_index (outages, i);
		g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

		json_node_take_object (node, xn_outage_to_json (outage));
		g_hash_table_insert (table, g_strdup (outage->id), json_to_string (node, FALSE));
	}
	return table;
}

/* The outages `head` lists that `restored` (from head's snapshot) does
 * not: those that had settled, which must be closed; every other one the
 * two list alike. */
static GPtrArray *
settled_before (const XnOutageEngine *head, const XnOutageEngine *restored)
{
	g_autoptr(GPtrArray) all = xn_outage_engine_list (head, FALSE);
	g_autoptr(GPtrArray) live = xn_outage_engine_list (restored, FALSE);
	g_autoptr(GHashTable) head_json = by_id (all);
	g_autoptr(GHashTable) live_json = by_id (live);
	GPtrArray *settled = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_outage_free);
	GHashTableIter iter;
	gpointer id, json;

	g_hash_table_iter_init (&iter, live_json);
	while (g_hash_table_iter_next (&iter, &id, &json))
		g_assert_cmpstr (g_hash_table_lookup (head_json, id), ==, json);
	for (guint i = 0; i < all->len; i++) {
		const XnOutage *outage = g_ptr_array_index (all, i);

		if (g_hash_table_contains (live_json, outage->id))
			continue;
		g_assert_false (xn_outage_is_open (outage));
		g_ptr_array_add (settled, xn_outage_copy (outage));
	}
	return settled;
}

/* Snapshot after any prefix, restore, feed the rest: exactly the outages
 * (and the snapshot) of feeding everything straight. */
static void
test_snapshot_every_position (gconstpointer data)
{
	const Mode *mode = data;
	const Fixtures *fx = mode->fx;
	g_autoptr(GPtrArray) facts = facts_for (mode, 20250310);
	g_autoptr(XnOutageEngine) straight = NULL;
	g_autofree char *expected = NULL;
	g_autofree char *expected_snapshot = NULL;
	XnOutageOptions options;
	guint most_settled = 0;

	options_for (&options, -1, mode->settle, TRUE);
	straight = engine_new_with (fx->county, &options);
	feed_range (straight, facts, 0, facts->len);
	assert_rich (straight);
	expected = list_json (straight);
	expected_snapshot = xn_outage_engine_snapshot (straight);
	for (guint p = 0; p <= facts->len; p++) {
		g_autoptr(XnOutageEngine) head = engine_new_with (fx->county, &options);
		g_autoptr(XnOutageEngine) restored = NULL;
		g_autoptr(GPtrArray) settled = NULL;
		g_autoptr(GPtrArray) final = NULL;
		g_autofree char *snapshot = NULL;
		g_autofree char *again = NULL;
		g_autofree char *final_list = NULL;
		g_autofree char *final_snapshot = NULL;

		feed_range (head, facts, 0, p);
		snapshot = xn_outage_engine_snapshot (head);
		restored = restore_with (fx->county, &options, snapshot);
		again = xn_outage_engine_snapshot (restored);
		g_assert_cmpstr (again, ==, snapshot);
		settled = settled_before (head, restored);
		g_assert_true (xn_outage_engine_lists_all (restored) == (settled->len == 0));
		most_settled = MAX (most_settled, settled->len);
		feed_range (restored, facts, p, facts->len);
		final = xn_outage_engine_list (restored, FALSE);
		g_ptr_array_extend_and_steal (final, g_steal_pointer (&settled));
		g_ptr_array_sort (final, compare_outages);
		final_list = outages_json (final);
		final_snapshot = xn_outage_engine_snapshot (restored);
		g_assert_cmpstr (final_list, ==, expected);
		g_assert_cmpstr (final_snapshot, ==, expected_snapshot);
	}
	g_test_message ("at most %u outages settled before a snapshot", most_settled);
	if (mode->settle)
		g_assert_cmpuint (most_settled, >=, 30);
	else
		g_assert_cmpuint (most_settled, ==, 0);
}

/* Batches of any size, with `now` advanced to each batch's latest ts in
 * between, end where one batch ends. */
static void
test_batches (gconstpointer data)
{
	const Mode *mode = data;
	const Fixtures *fx = mode->fx;
	g_autoptr(GPtrArray) facts = facts_for (mode, 4242);
	g_autoptr(XnOutageEngine) straight = NULL;
	g_autoptr(GRand) rand = g_rand_new_with_seed (7);
	g_autofree char *expected = NULL;
	g_autofree char *expected_snapshot = NULL;
	XnOutageOptions options;

	options_for (&options, -1, mode->settle, TRUE);
	straight = engine_new_with (fx->county, &options);
	feed_range (straight, facts, 0, facts->len);
	assert_rich (straight);
	expected = list_json (straight);
	expected_snapshot = xn_outage_engine_snapshot (straight);
	/* something settled on the way */
	if (mode->settle)
		g_assert_null (strstr (expected_snapshot, "\"sealed\":null"));
	for (guint round = 0; round < 20; round++) {
		g_autoptr(XnOutageEngine) engine = engine_new_with (fx->county, &options);
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
	Mode plain = { &fx, FALSE }, settling = { &fx, TRUE };
	int status;

	g_test_init (&argc, &argv, NULL);
	fixtures_init (&fx);
	g_test_add_data_func ("/outage/snapshot/other-inventory", &fx, test_snapshot_inventory);
	g_test_add_data_func ("/outage/snapshot/settings", &fx, test_snapshot_settings);
	g_test_add_data_func ("/outage/snapshot/malformed", &fx, test_snapshot_malformed);
	g_test_add_data_func ("/outage/snapshot/every-position", &plain, test_snapshot_every_position);
	g_test_add_data_func ("/outage/snapshot/every-position-settling", &settling, test_snapshot_every_position);
	g_test_add_data_func ("/outage/batches", &plain, test_batches);
	g_test_add_data_func ("/outage/batches-settling", &settling, test_batches);
	status = g_test_run ();
	fixtures_clear (&fx);
	return status;
}

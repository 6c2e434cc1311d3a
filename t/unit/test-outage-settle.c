/* test-outage-settle.c — settling (sla/outage-settle.c) and the changes
 * between steps (sla/outage-changes.c).
 *
 * Three days of incidents on the sample county, none reported later than
 * the reorder horizon: an engine that settles lists exactly what one that
 * does not lists, while its snapshot stays the size of a few hours. The
 * changes an engine hands over, laid one after the other over a copy (as
 * the collector's store is), give at every step what a replay lists, in
 * random batches with `now` advanced in between, across a snapshot and a
 * restore, whether the engine keeps its settled outages or forgets them,
 * also in the denser random scenario of test-outage-replay.c; and each
 * step hands over a small part of the whole. By hand: a settled
 * outage leaves the snapshot and a report that could only change it is
 * late and changes nothing, while a report just after it is placed; an
 * outage that an open one depends on stays until that one ends. */
#include "test-outage-util.h"
#include "xn-error.h"

#include <string.h>

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

static guint
count (const char *haystack, const char *needle)
{
	guint n = 0;

	for (const char *at = strstr (haystack, needle); at != NULL; at = strstr (at + 1, needle))
		n++;
	return n;
}

/* Without late reports, settling changes no outage. */
static void
test_same_outages (gconstpointer data)
{
	const Fixtures *fx = data;
	g_autoptr(GPtrArray) facts = scenario_incidents (fx, 3000, 77, FALSE);
	g_autoptr(XnOutageEngine) plain = engine_new (fx->county, -1);
	g_autoptr(XnOutageEngine) settling = NULL;
	g_autoptr(GPtrArray) outages = NULL;
	g_autofree char *plain_list = NULL;
	g_autofree char *settling_list = NULL;
	g_autofree char *plain_snapshot = NULL;
	g_autofree char *settling_snapshot = NULL;
	XnOutageOptions options;
	XnOutageStats stats;

	options_for (&options, -1, TRUE, TRUE);
	settling = engine_new_with (fx->county, &options);
	feed_range (plain, facts, 0, facts->len);
	feed_range (settling, facts, 0, facts->len);
	plain_list = list_json (plain);
	settling_list = list_json (settling);
	g_assert_cmpstr (settling_list, ==, plain_list);
	xn_outage_engine_stats (settling, &stats);
	g_assert_cmpuint (stats.late, ==, 0);
	g_assert_true (xn_outage_engine_lists_all (settling));
	outages = xn_outage_engine_list (settling, FALSE);
	plain_snapshot = xn_outage_engine_snapshot (plain);
	settling_snapshot = xn_outage_engine_snapshot (settling);
	g_test_message ("%u outages; snapshot %zu bytes without settling, %zu with (%u and %u reports)", outages->len,
			strlen (plain_snapshot), strlen (settling_snapshot), count (plain_snapshot, "],["),
			count (settling_snapshot, "],["));
	g_assert_cmpuint (outages->len, >=, 1500);
	g_assert_cmpuint (strlen (settling_snapshot) * 5, <, strlen (plain_snapshot));
}

/* id → JSON of every outage listed */
static GHashTable *
json_by_id (const GPtrArray *outages)
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

/* Lays the changes over `copy`; returns how many were handed over. */
static guint
apply_changes (XnOutageEngine *engine, GHashTable *copy)
{
	g_autoptr(GPtrArray) changed = NULL;
	g_autoptr(GPtrArray) removed = NULL;
	g_autoptr(GHashTable) fresh = NULL;
	GHashTableIter iter;
	gpointer id, json;

	xn_outage_engine_take_changes (engine, &changed, &removed);
	/* an id may come and go between two takes: it is said removed,
	 * never having been handed over */
	for (guint i = 0; i < removed->len; i++)
		g_hash_table_remove (copy, g_ptr_array_index (removed, i));
	fresh = json_by_id (changed);
	g_hash_table_iter_init (&iter, fresh);
	while (g_hash_table_iter_next (&iter, &id, &json)) {
		g_hash_table_iter_steal (&iter);
		g_hash_table_replace (copy, id, json);
	}
	return changed->len + removed->len;
}

static void
assert_same (GHashTable *copy, const XnOutageEngine *reference)
{
	g_autoptr(GPtrArray) outages = xn_outage_engine_list (reference, FALSE);
	g_autoptr(GHashTable) expected = json_by_id (outages);
	GHashTableIter iter;
	gpointer id, json;

	g_hash_table_iter_init (&iter, expected);
	while (g_hash_table_iter_next (&iter, &id, &json)) {
		const char *have = g_hash_table_lookup (copy, id);

		if (g_strcmp0 (have, json) != 0)
			g_error ("outage %s: the changes give %s, a replay %s", (const char *) id, have, (const char *) json);
	}
	g_assert_cmpuint (g_hash_table_size (copy), ==, g_hash_table_size (expected));
}

typedef struct {
	const Fixtures *fx;
	gboolean        settle;
	gboolean        keep;
	gboolean        dense;     /* the random scenario: few outages end, many overlap */
} ChangesMode;

static void
test_changes (gconstpointer data)
{
	const ChangesMode *mode = data;
	const Fixtures *fx = mode->fx;
	g_autoptr(GPtrArray) facts = mode->dense ? scenario (fx, 800, 9, TRUE) : scenario_incidents (fx, 1500, 9, TRUE);
	g_autoptr(GHashTable) copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(XnOutageEngine) engine = NULL;
	g_autoptr(XnOutageEngine) reference = NULL;
	g_autoptr(GRand) rand = g_rand_new_with_seed (31);
	XnOutageOptions options, reference_options;
	guint at = 0, takes = 0, restores = 0;
	guint64 handed = 0;

	options_for (&options, -1, mode->settle, mode->keep);
	options_for (&reference_options, -1, mode->settle, TRUE);
	engine = engine_new_with (fx->county, &options);
	reference = engine_new_with (fx->county, &reference_options);
	while (at < facts->len) {
		guint size = MIN ((guint) g_rand_int_range (rand, 1, 25), facts->len - at);
		XnInstant latest = G_MININT64;

		feed_range (engine, facts, at, at + size);
		feed_range (reference, facts, at, at + size);
		for (guint i = at; i < at + size; i++)
			latest = MAX (latest, ((XnFact *) g_ptr_array_index (facts, i))->ts);
		/* the collector's clock runs ahead of the facts */
		latest += g_rand_int_range (rand, 0, 900) * XN_USEC_PER_SEC;
		xn_outage_engine_advance (engine, latest);
		xn_outage_engine_advance (reference, latest);
		at += size;
		handed += apply_changes (engine, copy);
		takes++;
		assert_same (copy, reference);
		/* a restart: the copy is what was stored */
		if (g_rand_int_range (rand, 0, 40) == 0) {
			g_autofree char *snapshot = xn_outage_engine_snapshot (engine);

			g_clear_pointer (&engine, xn_outage_engine_free);
			engine = restore_with (fx->county, &options, snapshot);
			restores++;
			g_assert_cmpuint (apply_changes (engine, copy), ==, 0);
		}
	}
	g_test_message ("%u takes (%u restores) handed over %" G_GUINT64_FORMAT " outages, %.1f each, of %u in all",
			takes, restores, handed, (double) handed / takes, g_hash_table_size (copy));
	g_assert_cmpuint (restores, >, 0);
	g_assert_cmpuint (g_hash_table_size (copy), >=, mode->dense ? 150 : 700);
	/* a step hands over what changed, not everything */
	if (!mode->dense)
		g_assert_cmpfloat ((double) handed / takes, <, g_hash_table_size (copy) / 20.0);
}

/* A link down from 08:00 to 08:10; at 12:00 other news: it settles. */
static void
test_late (gconstpointer data)
{
	const Fixtures *fx = data;
	static const F facts[] = {
		{ "08:00:00", IF_DOWN, DQ, NULL },
		{ "08:10:00", IF_UP, DQ, NULL },
		{ "12:00:00", IF_UP, "interface/xi-core/ge-0-1-1", REASSERT },
	};
	static const F late = { "08:05:00", IF_DOWN, DQ, NULL };
	static const F placed = { "09:30:00", IF_DOWN, DQ, NULL };
	g_autoptr(XnOutageEngine) engine = NULL;
	g_autoptr(GPtrArray) changed = NULL;
	g_autoptr(GPtrArray) removed = NULL;
	g_autofree char *before = NULL;
	g_autofree char *after = NULL;
	g_autofree char *snapshot = NULL;
	XnOutageOptions options;
	XnOutageStats stats;

	options_for (&options, -1, TRUE, FALSE);
	engine = engine_new_with (fx->county, &options);
	for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
		feed_f (fx, engine, i + 1, &facts[i]);
	/* handed over once, then forgotten: the list is empty */
	xn_outage_engine_take_changes (engine, &changed, &removed);
	g_assert_cmpuint (changed->len, ==, 1);
	g_assert_cmpstr (((XnOutage *) g_ptr_array_index (changed, 0))->id, ==, "1:link/" LDQ);
	g_assert_false (xn_outage_engine_lists_all (engine));
	before = list_json (engine);
	g_assert_cmpstr (before, ==, "[]");
	snapshot = xn_outage_engine_snapshot (engine);
	g_assert_null (strstr (snapshot, DQ));
	/* sealed: 08:10 plus the lookback, (4 + 1) windows and 1 µs here */
	g_assert_nonnull (strstr (snapshot, "\"sealed\":1741568400000001"));

	/* dated before the sealed line: it could only change the settled
	 * outage, and does not */
	feed_f (fx, engine, 4, &late);
	xn_outage_engine_stats (engine, &stats);
	g_assert_cmpuint (stats.late, ==, 1);
	g_clear_pointer (&changed, g_ptr_array_unref);
	g_clear_pointer (&removed, g_ptr_array_unref);
	xn_outage_engine_take_changes (engine, &changed, &removed);
	g_assert_cmpuint (changed->len + removed->len, ==, 0);

	/* after it: placed, although 2.5 hours behind the newest report */
	feed_f (fx, engine, 5, &placed);
	after = describe_all (fx, engine, NULL);
	g_assert_cmpstr (after, ==, "5:link/" LDQ " 09:30:00-open interface-down dong-core ge-0-1-1 ev=5 "
			 "seg=09:30:00>5:link/" LDQ " dep=\n");
}

/* Taohua down from 08:00 till 14:05; dong-core down 09:00 to 09:10, an
 * incident taohua belongs to meanwhile. Nothing of it settles while
 * taohua is down; all of it once taohua is back and the line has passed. */
static void
test_held_by_open (gconstpointer data)
{
	const Fixtures *fx = data;
	static const F facts[] = {
		{ "08:00:00", DOWN, "node/taohua", NULL },
		{ "09:00:00", DOWN, "node/dong-core", NULL },
		{ "09:10:00", UP, "node/dong-core", NULL },
		{ "14:00:00", IF_UP, "interface/xi-core/ge-0-1-1", REASSERT },
		{ "14:05:00", UP, "node/taohua", NULL },
		{ "18:00:00", IF_UP, "interface/xi-core/ge-0-1-1", REASSERT },
	};
	g_autoptr(XnOutageEngine) engine = NULL;
	g_autoptr(XnOutageEngine) plain = engine_new (fx->county, -1);
	g_autofree char *snapshot = NULL;
	g_autofree char *settled = NULL;
	g_autofree char *expected = NULL;
	XnOutageOptions options;

	options_for (&options, -1, TRUE, TRUE);
	engine = engine_new_with (fx->county, &options);
	for (guint i = 0; i < 4; i++)
		feed_f (fx, engine, i + 1, &facts[i]);
	snapshot = xn_outage_engine_snapshot (engine);
	g_assert_nonnull (strstr (snapshot, "\"sealed\":null"));
	g_assert_nonnull (strstr (snapshot, "node/dong-core"));
	g_clear_pointer (&snapshot, g_free);
	for (guint i = 4; i < G_N_ELEMENTS (facts); i++)
		feed_f (fx, engine, i + 1, &facts[i]);
	for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
		feed_f (fx, plain, i + 1, &facts[i]);
	snapshot = xn_outage_engine_snapshot (engine);
	g_assert_null (strstr (snapshot, "\"sealed\":null"));
	g_assert_null (strstr (snapshot, "node/dong-core"));
	g_assert_null (strstr (snapshot, "node/taohua"));
	settled = describe_all (fx, engine, NULL);
	expected = describe_all (fx, plain, NULL);
	g_assert_cmpstr (settled, ==, expected);
	g_assert_nonnull (strstr (settled, "\n1:node/taohua 08:00:00-14:05:00 "));
}

int
main (int argc, char **argv)
{
	Fixtures fx = { 0 };
	ChangesMode plain = { &fx, FALSE, TRUE, FALSE }, kept = { &fx, TRUE, TRUE, FALSE };
	ChangesMode forgotten = { &fx, TRUE, FALSE, FALSE }, dense = { &fx, TRUE, FALSE, TRUE };
	int status;

	g_test_init (&argc, &argv, NULL);
	fixtures_init (&fx);
	g_test_add_data_func ("/outage/settle/same-outages", &fx, test_same_outages);
	g_test_add_data_func ("/outage/settle/late", &fx, test_late);
	g_test_add_data_func ("/outage/settle/held-by-open", &fx, test_held_by_open);
	g_test_add_data_func ("/outage/changes/plain", &plain, test_changes);
	g_test_add_data_func ("/outage/changes/settling-kept", &kept, test_changes);
	g_test_add_data_func ("/outage/changes/settling-forgotten", &forgotten, test_changes);
	g_test_add_data_func ("/outage/changes/dense", &dense, test_changes);
	status = g_test_run ();
	fixtures_clear (&fx);
	return status;
}

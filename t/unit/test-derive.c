/* test-derive.c — the collector's derivation (collector/derive.c) against a
 * journal in a temporary directory: facts at or below the stored position
 * pass by after a resume; a step is pending only when facts were fed or
 * `now` passed the end of a provisional outage's window; a busy store keeps
 * the step for the next call; a new inventory of the same topology carries
 * on, another one starts from seq 0 (and says so), and so does another
 * correlation window in the policy, at a reload or at the next start; a
 * reload that carries on keeps the changes not yet stored; another process
 * storing a step is a conflict the derivation recovers from by carrying on
 * from that step and reading the journal again. The sample county's worked
 * example (doc/outages.md) is the scenario; the daemon's loop around it is
 * tested by t/t3030-collector-derive.sh. */
#include "derive.h"
#include "journal-backend.h"
#include "test-outage-util.h"
#include "test-util.h"
#include "xn-error.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
	Fixtures  fx;
	char     *dir;
	char     *path;
} Fixture;

static void
set_up (Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	fixtures_init (&f->fx);
	f->dir = g_dir_make_tmp ("test-derive-XXXXXX", &error);
	g_assert_no_error (error);
	f->path = g_build_filename (f->dir, "journal.db", NULL);
}

static void
tear_down (Fixture *f, gconstpointer data)
{
	xn_test_remove_tree (f->dir);
	g_free (f->path);
	g_free (f->dir);
	fixtures_clear (&f->fx);
}

static XnDerive *
open_ok (Fixture *f, const XnInventory *inventory)
{
	g_autoptr(GError) error = NULL;
	XnDerive *derive = xn_derive_open (f->path, inventory, &error);

	g_assert_no_error (error);
	g_assert_nonnull (derive);
	return derive;
}

/* Feeds worked_example[from..to) with seqs from + 1 .. to. */
static void
feed_example (Fixture *f, XnDerive *derive, guint from, guint to)
{
	for (guint i = from; i < to; i++) {
		g_autoptr(XnFact) fact = make_fact (&f->fx, i + 1, &worked_example[i]);

		xn_derive_feed (derive, fact);
	}
}

/* The stored outages, as replay would print them. */
static char *
stored_json (Fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnDerived) store = xn_derived_open (f->path, XN_DERIVED_OPEN_EXISTING, &error);
	g_autoptr(GPtrArray) outages = NULL;
	g_autoptr(JsonArray) array = json_array_new ();
	g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

	g_assert_no_error (error);
	outages = xn_derived_list (store, NULL, NULL, &error);
	g_assert_no_error (error);
	for (guint i = 0; i < outages->len; i++)
		json_array_add_object_element (array, xn_outage_to_json (g_ptr_array_index (outages, i)));
	json_node_set_array (node, array);
	return json_to_string (node, FALSE);
}

static char *
engine_json (Fixture *f, guint n)
{
	g_autoptr(XnOutageEngine) engine = engine_new (f->fx.county, -1);

	for (guint i = 0; i < n; i++)
		feed_f (&f->fx, engine, i + 1, &worked_example[i]);
	return list_json (engine);
}

/* Stopped after 4 facts (committed), started again with the follower at
 * the journal's start: the first 4 pass by, the rest are derived. */
static void
test_resume (Fixture *f, gconstpointer data)
{
	g_autoptr(XnDerive) derive = open_ok (f, f->fx.county);
	g_autofree char *expected = engine_json (f, WORKED_EXAMPLE_LEN);
	g_autofree char *stored = NULL;

	g_assert_false (xn_derive_pending (derive));
	feed_example (f, derive, 0, 4);
	g_assert_true (xn_derive_pending (derive));
	g_assert_cmpint (xn_derive_commit (derive), ==, XN_DERIVED_STORED);
	g_assert_false (xn_derive_pending (derive));
	g_assert_cmpint (xn_derive_stored_seq (derive), ==, 4);
	g_clear_pointer (&derive, xn_derive_free);

	derive = open_ok (f, f->fx.county);
	g_assert_cmpint (xn_derive_position (derive), ==, 4);
	feed_example (f, derive, 0, 4);
	g_assert_false (xn_derive_pending (derive));
	feed_example (f, derive, 0, WORKED_EXAMPLE_LEN);
	g_assert_true (xn_derive_pending (derive));
	g_assert_cmpint (xn_derive_commit (derive), ==, XN_DERIVED_STORED);
	g_assert_cmpint (xn_derive_stored_seq (derive), ==, WORKED_EXAMPLE_LEN);
	stored = stored_json (f);
	g_assert_cmpstr (stored, ==, expected);
}

/* Taohua alone, down at 10:00: its own root and provisional for the
 * window (600 s); advancing `now` makes a step pending only once the
 * window has passed. */
static void
test_advance (Fixture *f, gconstpointer data)
{
	g_autoptr(XnDerive) derive = open_ok (f, f->fx.county);
	g_autofree char *stored = NULL;

	feed_example (f, derive, 0, 1);
	g_assert_cmpint (xn_derive_commit (derive), ==, XN_DERIVED_STORED);
	stored = stored_json (f);
	g_assert_nonnull (strstr (stored, "\"provisional\":true"));
	g_clear_pointer (&stored, g_free);

	xn_derive_advance (derive, local (&f->fx, "10:09:59"));
	g_assert_false (xn_derive_pending (derive));
	xn_derive_advance (derive, local (&f->fx, "10:10:00"));
	g_assert_true (xn_derive_pending (derive));
	g_assert_cmpint (xn_derive_commit (derive), ==, XN_DERIVED_STORED);
	g_assert_false (xn_derive_pending (derive));
	stored = stored_json (f);
	g_assert_nonnull (strstr (stored, "\"provisional\":false"));
	/* nothing provisional any more: time alone changes nothing */
	xn_derive_advance (derive, local (&f->fx, "12:00:00"));
	g_assert_false (xn_derive_pending (derive));
}

/* Another writer holds the lock: the step is kept, and stored once it
 * lets go; the pace then holds the next step back for a while. */
static void
test_busy (Fixture *f, gconstpointer data)
{
	g_autoptr(XnDerive) derive = open_ok (f, f->fx.county);
	g_autoptr(GError) error = NULL;
	XnJournalBackend *holder;

	holder = xn_journal_sqlite_ops.open (f->path, XN_JOURNAL_OPEN_EXISTING, &error);
	g_assert_no_error (error);
	g_assert_true (xn_journal_sqlite_hold_lock (holder, TRUE, &error));
	feed_example (f, derive, 0, 3);
	g_assert_cmpint (xn_derive_commit (derive), ==, XN_DERIVED_BUSY);
	g_assert_true (xn_derive_pending (derive));
	g_assert_cmpint (xn_derive_stored_seq (derive), ==, 0);
	g_assert_true (xn_journal_sqlite_hold_lock (holder, FALSE, &error));
	xn_journal_sqlite_ops.close (holder);

	feed_example (f, derive, 3, 5);
	g_assert_cmpint (xn_derive_commit (derive), ==, XN_DERIVED_STORED);
	g_assert_cmpint (xn_derive_stored_seq (derive), ==, 5);
	/* due again only XN_DERIVE_PACE times the last step's time later */
	feed_example (f, derive, 5, 6);
	g_assert_true (xn_derive_pending (derive));
	g_assert_false (xn_derive_due (derive));
	for (guint i = 0; i < 500 && !xn_derive_due (derive); i++)
		g_usleep (10000);
	g_assert_true (xn_derive_due (derive));
}

/* The same topology carries on; another starts from seq 0, said once. */
static void
test_inventory (Fixture *f, gconstpointer data)
{
	XnTestWarnings *logged = (XnTestWarnings *) data;
	g_autoptr(XnInventory) full = hand_inventory (HAND_FULL);
	g_autoptr(XnInventory) same = hand_inventory (HAND_FULL);
	g_autoptr(XnInventory) extra = hand_inventory (HAND_WITH_EXTRA);
	g_autoptr(XnDerive) derive = open_ok (f, full);
	g_autoptr(XnFact) down = make_fact (&f->fx, 1, &(F) { "10:00:00", DOWN, "node/agg", NULL });

	xn_derive_feed (derive, down);
	g_assert_cmpint (xn_derive_commit (derive), ==, XN_DERIVED_STORED);
	g_assert_false (xn_derive_set_inventory (derive, same));
	g_assert_cmpint (xn_derive_position (derive), ==, 1);
	g_assert_false (xn_derive_pending (derive));

	logged->warnings = 0;
	g_assert_true (xn_derive_set_inventory (derive, extra));
	g_assert_cmpuint (logged->warnings, ==, 1);
	g_assert_true (g_pattern_match_simple ("outages: the inventory's topology changed (*): outages are derived "
					       "again from the journal's start", logged->last->str));
	g_assert_cmpint (xn_derive_position (derive), ==, 0);
	/* the stored rows are the old topology's: a step is due even with no fact */
	g_assert_true (xn_derive_pending (derive));
	xn_derive_feed (derive, down);
	g_assert_cmpint (xn_derive_commit (derive), ==, XN_DERIVED_STORED);
	g_assert_cmpint (xn_derive_stored_seq (derive), ==, 1);
	g_clear_pointer (&derive, xn_derive_free);

	/* started with the old inventory on the new snapshot: from seq 0 */
	derive = open_ok (f, same);
	g_assert_cmpuint (logged->warnings, ==, 2);
	g_assert_true (g_pattern_match_simple ("outages: derived again from the journal's start: the stored state "
					       "(at seq 1) cannot be continued: *", logged->last->str));
	g_assert_cmpint (xn_derive_position (derive), ==, 0);
	g_assert_true (xn_derive_pending (derive));
}

static XnDerive *
open_with_window (Fixture *f, gint64 window_s)
{
	g_autoptr(XnPolicy) policy = xn_policy_new ();
	g_autoptr(GError) error = NULL;
	XnDerive *derive;

	xn_policy_set_correlation_window (policy, window_s * XN_USEC_PER_SEC);
	derive = xn_derive_open_config (f->path, f->fx.county, policy, &error);
	g_assert_no_error (error);
	g_assert_nonnull (derive);
	return derive;
}

/* The worked example as a replay with this window gives it. */
static char *
replay_json (Fixture *f, gint window_s, guint n)
{
	g_autoptr(XnOutageEngine) engine = NULL;
	XnOutageOptions options;

	options_for (&options, window_s, TRUE, TRUE);
	engine = engine_new_with (f->fx.county, &options);
	for (guint i = 0; i < n; i++)
		feed_f (&f->fx, engine, i + 1, &worked_example[i]);
	return list_json (engine);
}

/* A window of 60 s: taohua, down 90 s before dong-core, is its own root
 * until dong-core fails; with the default it belongs to dong-core's
 * incident from its start. Changing it derives again from the start. */
static void
test_window (Fixture *f, gconstpointer data)
{
	XnTestWarnings *logged = (XnTestWarnings *) data;
	g_autoptr(XnDerive) derive = open_with_window (f, 600);
	g_autoptr(XnPolicy) narrow = xn_policy_new ();
	g_autoptr(XnPolicy) same = xn_policy_new ();
	g_autofree char *stored = NULL;
	g_autofree char *expected = NULL;
	g_autofree char *wide = replay_json (f, 600, WORKED_EXAMPLE_LEN);

	feed_example (f, derive, 0, WORKED_EXAMPLE_LEN);
	g_assert_cmpint (xn_derive_commit (derive), ==, XN_DERIVED_STORED);
	stored = stored_json (f);
	g_assert_cmpstr (stored, ==, wide);
	g_assert_nonnull (strstr (stored, "\"segments\":[{\"from\":\"2025-03-10T02:00:00.000000Z\","
				  "\"to\":\"2025-03-10T02:40:00.000000Z\",\"root\":\"2:node/dong-core\"}"));
	g_clear_pointer (&stored, g_free);

	/* the same policy: nothing happens */
	g_assert_false (xn_derive_reconfigure (derive, f->fx.county, same));
	g_assert_false (xn_derive_pending (derive));

	logged->warnings = 0;
	xn_policy_set_correlation_window (narrow, 60 * XN_USEC_PER_SEC);
	g_assert_true (xn_derive_reconfigure (derive, f->fx.county, narrow));
	g_assert_cmpuint (logged->warnings, ==, 1);
	g_assert_true (g_pattern_match_simple ("outages: the policy's correlation window changed (*600 s, not 60 s*): "
					       "outages are derived again from the journal's start", logged->last->str));
	g_assert_cmpint (xn_derive_position (derive), ==, 0);
	feed_example (f, derive, 0, WORKED_EXAMPLE_LEN);
	g_assert_cmpint (xn_derive_commit (derive), ==, XN_DERIVED_STORED);
	stored = stored_json (f);
	expected = replay_json (f, 60, WORKED_EXAMPLE_LEN);
	g_assert_cmpstr (stored, ==, expected);
	g_assert_nonnull (strstr (stored, "\"root\":\"1:node/taohua\"},{\"from\":\"2025-03-10T02:01:30.000000Z\""));
	g_clear_pointer (&derive, xn_derive_free);

	/* started again with the default: from the start, said once */
	derive = open_with_window (f, 600);
	g_assert_cmpuint (logged->warnings, ==, 2);
	g_assert_true (g_pattern_match_simple ("outages: derived again from the journal's start: *correlation window "
					       "of 60 s, not 600 s*", logged->last->str));
	g_assert_cmpint (xn_derive_position (derive), ==, 0);
}

/* A reload that carries on: what changed before it and was not stored yet
 * is stored by the next step. */
static void
test_reload_keeps_changes (Fixture *f, gconstpointer data)
{
	g_autoptr(XnDerive) derive = open_ok (f, f->fx.county);
	g_autoptr(XnPolicy) policy = xn_policy_new ();
	g_autofree char *stored = NULL;
	g_autofree char *expected = engine_json (f, 5);

	feed_example (f, derive, 0, 3);
	g_assert_cmpint (xn_derive_commit (derive), ==, XN_DERIVED_STORED);
	feed_example (f, derive, 3, 5);
	g_assert_false (xn_derive_reconfigure (derive, f->fx.county, policy));
	g_assert_true (xn_derive_pending (derive));
	g_assert_cmpint (xn_derive_commit (derive), ==, XN_DERIVED_STORED);
	stored = stored_json (f);
	g_assert_cmpstr (stored, ==, expected);
}

/* Another process stores a step of its own (an empty derivation) while
 * the collector's engine has forgotten settled outages: the collector's
 * next step conflicts, and it carries on from that step (here: from the
 * start, the other stored an outage engine's snapshot, not a ticket
 * engine's), reading the journal again
 * up to where it was; its next step stores what a replay gives. */
static void
test_conflict (Fixture *f, gconstpointer data)
{
	XnTestWarnings *logged = (XnTestWarnings *) data;
	g_autoptr(GPtrArray) facts = scenario_incidents (&f->fx, 800, 5, FALSE);
	g_autoptr(GPtrArray) appended = NULL;
	g_autoptr(XnDerive) derive = NULL;
	g_autoptr(XnJournal) journal = NULL;
	g_autoptr(XnDerived) other = NULL;
	g_autoptr(XnOutageEngine) empty = engine_new (f->fx.county, -1);
	g_autoptr(XnOutageEngine) replay = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *stored = NULL;
	g_autofree char *expected = NULL;
	XnOutageOptions options;

	journal = xn_journal_open (f->path, XN_JOURNAL_OPEN_CREATE, &error);
	g_assert_no_error (error);
	for (guint i = 0; i < facts->len; i++) {
		g_autoptr(XnFact) fact = xn_fact_copy (g_ptr_array_index (facts, i));

		fact->seq = 0;
		g_assert_true (xn_journal_append (journal, fact, &error));
	}
	g_assert_true (xn_journal_read (journal, 0, facts->len, &appended, &error));
	options_for (&options, -1, TRUE, TRUE);
	replay = engine_new_with (f->fx.county, &options);
	derive = open_ok (f, f->fx.county);
	for (guint i = 0; i < appended->len; i++) {
		feed (replay, g_ptr_array_index (appended, i));
		xn_derive_feed (derive, g_ptr_array_index (appended, i));
		if (i == appended->len / 2)
			g_assert_cmpint (xn_derive_commit (derive), ==, XN_DERIVED_STORED);
	}
	other = xn_derived_open (f->path, XN_DERIVED_OPEN_EXISTING, &error);
	g_assert_no_error (error);
	xn_derived_start_over (other);
	g_assert_cmpint (xn_derived_commit_engine (other, empty, NULL, &error), ==, XN_DERIVED_STORED);
	logged->warnings = 0;
	g_assert_cmpint (xn_derive_commit (derive), ==, XN_DERIVED_CONFLICT);
	g_assert_cmpuint (logged->warnings, ==, 1);
	g_test_message ("%s", logged->last->str);
	g_assert_true (g_pattern_match_simple ("outages: *another process stored derived state*; the derivation carries "
					       "on from what it stored (*cannot be continued: ticket snapshot:*), fed again up to seq 800",
					       logged->last->str));
	g_assert_cmpint (xn_derive_position (derive), ==, appended->len);
	g_assert_true (xn_derive_pending (derive));
	g_assert_cmpint (xn_derive_commit (derive), ==, XN_DERIVED_STORED);
	stored = stored_json (f);
	expected = list_json (replay);
	g_assert_cmpstr (stored, ==, expected);
}

int
main (int argc, char **argv)
{
	XnTestWarnings logged = { 0, g_string_new (NULL) };
	int status;

	g_test_init (&argc, &argv, NULL);
	g_log_set_writer_func (xn_test_keep_warnings, &logged, NULL);
#define ADD(name, fn) g_test_add (name, Fixture, &logged, set_up, fn, tear_down)
	ADD ("/derive/resume", test_resume);
	ADD ("/derive/advance", test_advance);
	ADD ("/derive/busy", test_busy);
	ADD ("/derive/inventory", test_inventory);
	ADD ("/derive/window", test_window);
	ADD ("/derive/reload-keeps-changes", test_reload_keeps_changes);
	ADD ("/derive/conflict", test_conflict);
	status = g_test_run ();
	g_string_free (logged.last, TRUE);
	return status;
}

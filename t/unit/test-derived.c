/* test-derived.c — the derived state (storage/derived.c, derived-sqlite.c)
 * on real SQLite files: opening a journal with and without derived tables,
 * a step read back field for field, steps that write only what changed,
 * filters, a store another writer keeps locked (busy at once with the short
 * wait), two writers on one store (replaced whole by an engine that lists
 * everything, refused for one that forgot settled outages), a process
 * SIGKILLed in the middle of a step (the store keeps the step before, and
 * resuming from it gives what a replay from the start gives), a snapshot
 * of another topology or window or of the format before settling, a
 * damaged row, days of incidents stored by an engine that settles and
 * forgets, resumed now and then (the rows are a replay's, settled outages
 * included), and the cost of a step with thousands of outages (printed).
 * Tickets (schema 3): a ticket engine's steps store its tickets and the
 * outbox messages of its events in the same transaction, read back by the
 * ticket readers and by the outbox's own API; a derivation from the start
 * inserts no message twice; events older than the horizon are suppressed;
 * a store written by an outage engine resumes a ticket engine from the
 * start. Facts are the worked example of doc/outages.md on the sample
 * county where nothing else is said. */
#include "derived-backend.h"
#include "journal-backend.h"
#include "outbox.h"
#include "ticket-message.h"
#include "test-outage-util.h"
#include "test-util.h"
#include "xn-error.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
	Fixtures fx;
	char    *dir;
	char    *path;
} Fixture;

static void
set_up (Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	fixtures_init (&f->fx);
	f->dir = g_dir_make_tmp ("test-derived-XXXXXX", &error);
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

static XnDerived *
open_ok (const char *path, XnDerivedOpenFlags flags)
{
	g_autoptr(GError) error = NULL;
	XnDerived *store = xn_derived_open (path, flags, &error);

	g_assert_no_error (error);
	g_assert_nonnull (store);
	return store;
}

/* Feeds worked_example[from..to) (doc/outages.md) as seqs 101 + i. */
static void
feed_example (Fixture *f, XnOutageEngine *engine, guint from, guint to)
{
	for (guint i = from; i < to; i++)
		feed_f (&f->fx, engine, 101 + i, &worked_example[i]);
}

static char *
stored_json (XnDerived *store, const XnDerivedFilter *filter)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) outages = xn_derived_list (store, filter, NULL, &error);

	g_assert_no_error (error);
	return outages_json (outages);
}

static void
commit_ok (XnDerived *store, XnOutageEngine *engine, XnDerivedStepStats *stats)
{
	g_autoptr(GError) error = NULL;

	g_assert_cmpint (xn_derived_commit_engine (store, engine, stats, &error), ==, XN_DERIVED_STORED);
	g_assert_no_error (error);
}

static void
test_open (Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnDerived) store = NULL;
	g_autoptr(XnJournal) journal = NULL;
	g_autofree char *snapshot = NULL;
	XnDerivedInfo info;
	gint64 last_seq = -1;

	g_assert_null (xn_derived_open (f->path, XN_DERIVED_OPEN_EXISTING, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_NOT_FOUND);
	g_assert_true (g_str_has_prefix (error->message, f->path));
	g_clear_error (&error);

	/* a journal the collector never derived from */
	journal = xn_journal_open (f->path, XN_JOURNAL_OPEN_CREATE, &error);
	g_assert_no_error (error);
	g_assert_null (xn_derived_open (f->path, XN_DERIVED_OPEN_EXISTING, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_NOT_FOUND);
	g_assert_nonnull (strstr (error->message, "no derived state yet"));
	g_clear_error (&error);

	store = open_ok (f->path, XN_DERIVED_OPEN_CREATE);
	g_assert_true (xn_derived_info (store, &info, &error));
	g_assert_cmpuint (info.schema_version, ==, 3);
	g_assert_cmpint (info.window_us, ==, -1);
	g_assert_cmpint (info.last_seq, ==, 0);
	g_assert_cmpint (info.now, ==, G_MININT64);
	g_assert_cmpuint (info.steps, ==, 0);
	g_assert_cmpuint (info.outages, ==, 0);
	g_assert_true (xn_derived_load (store, &last_seq, &snapshot, &error));
	g_assert_cmpint (last_seq, ==, 0);
	g_assert_null (snapshot);
	g_clear_pointer (&store, xn_derived_close);

	/* the journal still works beside the derived tables, and they reopen */
	{
		g_autoptr(XnJournal) again = xn_journal_open (f->path, XN_JOURNAL_OPEN_EXISTING, &error);
		XnJournalStats stats;

		g_assert_no_error (error);
		g_assert_true (xn_journal_stats (again, &stats, &error));
		g_assert_cmpint (stats.count, ==, 0);
		g_assert_true (xn_journal_check (again, &error));
	}
	store = open_ok (f->path, XN_DERIVED_OPEN_EXISTING);
}

static void
test_step_round_trip (Fixture *f, gconstpointer data)
{
	g_autoptr(XnOutageEngine) engine = engine_new (f->fx.county, -1);
	g_autoptr(XnDerived) store = open_ok (f->path, XN_DERIVED_OPEN_CREATE);
	g_autoptr(GError) error = NULL;
	g_autofree char *expected = NULL;
	g_autofree char *stored = NULL;
	g_autofree char *snapshot = NULL;
	g_autofree char *engine_snapshot = NULL;
	XnDerivedStepStats stats;
	XnDerivedInfo info;
	gint64 last_seq;

	feed_example (f, engine, 0, WORKED_EXAMPLE_LEN);
	commit_ok (store, engine, &stats);
	g_assert_cmpuint (stats.written, ==, 10);
	g_assert_cmpuint (stats.removed, ==, 0);
	g_assert_cmpuint (stats.unchanged, ==, 0);

	expected = list_json (engine);
	stored = stored_json (store, NULL);
	g_assert_cmpstr (stored, ==, expected);

	g_assert_true (xn_derived_info (store, &info, &error));
	g_assert_cmpint (info.last_seq, ==, 108);
	g_assert_cmpint (info.now, ==, local (&f->fx, "11:30:00"));
	g_assert_cmpuint (info.steps, ==, 1);
	g_assert_cmpuint (info.outages, ==, 10);
	g_assert_cmpuint (info.open, ==, 0);
	g_assert_cmpint (info.window_us, ==, XN_OUTAGE_DEFAULT_WINDOW);
	g_assert_true (xn_derived_load (store, &last_seq, &snapshot, &error));
	engine_snapshot = xn_outage_engine_snapshot (engine);
	g_assert_cmpint (last_seq, ==, 108);
	g_assert_cmpstr (snapshot, ==, engine_snapshot);

	/* nothing new: nothing handed over, nothing written, the position
	 * still moves */
	xn_outage_engine_advance (engine, local (&f->fx, "12:00:00"));
	commit_ok (store, engine, &stats);
	g_assert_cmpuint (stats.written, ==, 0);
	g_assert_cmpuint (stats.unchanged, ==, 0);
	g_assert_true (xn_derived_info (store, &info, &error));
	g_assert_cmpint (info.now, ==, local (&f->fx, "12:00:00"));
	g_assert_cmpuint (info.steps, ==, 2);

	/* a fresh handle reads the same, field for field */
	{
		g_autoptr(XnDerived) other = open_ok (f->path, XN_DERIVED_OPEN_EXISTING);
		g_autofree char *again = stored_json (other, NULL);

		g_assert_cmpstr (again, ==, expected);
	}
}

static void
test_step_writes_changes (Fixture *f, gconstpointer data)
{
	g_autoptr(XnOutageEngine) engine = engine_new (f->fx.county, -1);
	g_autoptr(XnDerived) store = open_ok (f->path, XN_DERIVED_OPEN_CREATE);
	g_autofree char *expected = NULL;
	g_autofree char *stored = NULL;
	XnDerivedStepStats stats;

	/* taohua alone: its own root, provisional (it is young) */
	feed_example (f, engine, 0, 1);
	commit_ok (store, engine, &stats);
	g_assert_cmpuint (stats.written, ==, 2);        /* node/taohua and its link */

	/* dong-core fails: taohua's two outages are claimed by it (changed);
	 * six new ones: dong-core and its five links other than taohua's */
	feed_example (f, engine, 1, 2);
	commit_ok (store, engine, &stats);
	g_assert_cmpuint (stats.written, ==, 8);
	g_assert_cmpuint (stats.unchanged, ==, 0);

	/* qingshan: its node outage is new, its link outage gains evidence,
	 * and the root gains a dependent; dong-core's uplink, which could
	 * have been qingshan's root, is handed over and found unchanged; the
	 * five others are not even looked at */
	feed_example (f, engine, 2, 3);
	commit_ok (store, engine, &stats);
	g_assert_cmpuint (stats.written, ==, 3);
	g_assert_cmpuint (stats.unchanged, ==, 1);

	feed_example (f, engine, 3, WORKED_EXAMPLE_LEN);
	commit_ok (store, engine, &stats);
	expected = list_json (engine);
	stored = stored_json (store, NULL);
	g_assert_cmpstr (stored, ==, expected);
}

static void
test_filters (Fixture *f, gconstpointer data)
{
	g_autoptr(XnOutageEngine) engine = engine_new (f->fx.county, -1);
	g_autoptr(XnDerived) store = open_ok (f->path, XN_DERIVED_OPEN_CREATE);
	g_autoptr(GPtrArray) open = NULL;
	g_autoptr(GPtrArray) since = NULL;
	g_autoptr(GError) error = NULL;
	XnDerivedFilter only_open = { TRUE, G_MININT64 };
	XnDerivedFilter after = { FALSE, 0 };
	XnDerivedInfo info;

	/* up to 10:41: taohua and baishui (with their links) still down */
	feed_example (f, engine, 0, 6);
	commit_ok (store, engine, NULL);
	open = xn_derived_list (store, &only_open, &info, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (open->len, ==, 4);
	g_assert_cmpuint (info.open, ==, 4);
	g_assert_cmpuint (info.outages, ==, 10);
	for (guint i = 0; i < open->len; i++)
		g_assert_true (xn_outage_is_open (g_ptr_array_index (open, i)));

	/* since 10:40:30: the open ones and qingshan's, which ended at 10:41;
	 * those that ended at 10:40:00 are out */
	after.since = local (&f->fx, "10:40:30");
	since = xn_derived_list (store, &after, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (since->len, ==, 6);
	g_clear_pointer (&since, g_ptr_array_unref);
	/* an outage that ends exactly at `since` is not after it */
	after.since = local (&f->fx, "10:41:00");
	since = xn_derived_list (store, &after, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (since->len, ==, 4);
}

/* A second process holds the write lock, as a busy journal would. */
static void
test_busy (Fixture *f, gconstpointer data)
{
	g_autoptr(XnOutageEngine) engine = engine_new (f->fx.county, -1);
	g_autoptr(XnDerived) store = NULL;
	g_autoptr(GError) error = NULL;
	XnJournalBackend *holder;
	XnDerivedInfo info;
	gint64 t0, waited;

	store = open_ok (f->path, XN_DERIVED_OPEN_CREATE | XN_DERIVED_OPEN_SHORT_WAIT);
	holder = xn_journal_sqlite_ops.open (f->path, XN_JOURNAL_OPEN_EXISTING, &error);
	g_assert_no_error (error);
	g_assert_true (xn_journal_sqlite_hold_lock (holder, TRUE, &error));

	feed_example (f, engine, 0, 4);
	t0 = g_get_monotonic_time ();
	g_assert_cmpint (xn_derived_commit_engine (store, engine, NULL, &error), ==, XN_DERIVED_BUSY);
	waited = g_get_monotonic_time () - t0;
	g_assert_error (error, XN_ERROR, XN_ERROR_STORAGE);
	g_assert_nonnull (strstr (error->message, "another writer"));
	g_clear_error (&error);
	g_test_message ("a busy step gave up after %" G_GINT64_FORMAT " us", waited);
	g_assert_cmpint (waited, <, 500000);

	/* reading is not blocked by the writer */
	g_assert_true (xn_derived_info (store, &info, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (info.steps, ==, 0);

	g_assert_true (xn_journal_sqlite_hold_lock (holder, FALSE, &error));
	xn_journal_sqlite_ops.close (holder);
	commit_ok (store, engine, NULL);
	g_assert_true (xn_derived_info (store, &info, &error));
	g_assert_cmpuint (info.outages, ==, 10);
	g_assert_cmpint (info.last_seq, ==, 104);
}

/* Two handles: each must notice the other's steps instead of trusting
 * what it wrote itself. */
static void
test_two_writers (Fixture *f, gconstpointer data)
{
	g_autoptr(XnOutageEngine) engine = engine_new (f->fx.county, -1);
	g_autoptr(XnOutageEngine) empty = engine_new (f->fx.county, -1);
	g_autoptr(XnDerived) a = open_ok (f->path, XN_DERIVED_OPEN_CREATE);
	g_autoptr(XnDerived) b = open_ok (f->path, XN_DERIVED_OPEN_EXISTING);
	g_autofree char *expected = NULL;
	g_autofree char *stored = NULL;
	XnDerivedStepStats stats;

	feed_example (f, engine, 0, WORKED_EXAMPLE_LEN);
	commit_ok (a, engine, NULL);
	commit_ok (b, empty, &stats);
	g_assert_cmpuint (stats.removed, ==, 10);
	commit_ok (a, engine, &stats);
	g_assert_cmpuint (stats.written, ==, 10);
	expected = list_json (engine);
	stored = stored_json (b, NULL);
	g_assert_cmpstr (stored, ==, expected);
}

static void
die (gpointer user_data)
{
	raise (SIGKILL);
}

/* In a child: the steps before `upto` committed, then one more that dies
 * between writing its rows and committing. */
static void
child_dies_in_step (Fixture *f, guint upto)
{
	g_autoptr(XnOutageEngine) engine = engine_new (f->fx.county, -1);
	XnDerived *store = xn_derived_open (f->path, XN_DERIVED_OPEN_CREATE, NULL);

	if (store == NULL)
		_exit (3);
	for (guint i = 0; i < upto; i++) {
		feed_f (&f->fx, engine, 101 + i, &worked_example[i]);
		if (xn_derived_commit_engine (store, engine, NULL, NULL) != XN_DERIVED_STORED)
			_exit (4);
	}
	for (guint i = upto; i < WORKED_EXAMPLE_LEN; i++)
		feed_f (&f->fx, engine, 101 + i, &worked_example[i]);
	xn_derived_set_step_hook (store, die, NULL);
	xn_derived_commit_engine (store, engine, NULL, NULL);
	_exit (5);
}

static void
test_kill_in_step (Fixture *f, gconstpointer data)
{
	for (guint upto = 0; upto <= 4; upto += 2) {
		g_autoptr(XnOutageEngine) before = engine_new (f->fx.county, -1);
		g_autoptr(XnOutageEngine) whole = engine_new (f->fx.county, -1);
		g_autoptr(XnOutageEngine) resumed = NULL;
		g_autoptr(XnDerived) store = NULL;
		g_autoptr(GError) error = NULL;
		g_autofree char *from_start = NULL;
		g_autofree char *expected = NULL;
		g_autofree char *stored = NULL;
		int status;
		pid_t pid;

		g_unlink (f->path);
		pid = fork ();
		g_assert_cmpint (pid, >=, 0);
		if (pid == 0)
			child_dies_in_step (f, upto);
		g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
		g_assert_true (WIFSIGNALED (status));
		g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

		/* what the store holds is the step before the one killed */
		store = open_ok (f->path, XN_DERIVED_OPEN_CREATE);
		feed_example (f, before, 0, upto);
		expected = list_json (before);
		stored = stored_json (store, NULL);
		g_assert_cmpstr (stored, ==, expected);

		/* resumed from there, fed the rest: the replay from the start */
		resumed = xn_derived_resume (store, f->fx.county, NULL, &from_start, &error);
		g_assert_no_error (error);
		g_assert_null (from_start);
		g_assert_cmpint (xn_outage_engine_last_seq (resumed), ==, upto == 0 ? 0 : 100 + upto);
		feed_example (f, resumed, upto, WORKED_EXAMPLE_LEN);
		commit_ok (store, resumed, NULL);
		feed_example (f, whole, 0, WORKED_EXAMPLE_LEN);
		g_clear_pointer (&expected, g_free);
		g_clear_pointer (&stored, g_free);
		expected = list_json (whole);
		stored = stored_json (store, NULL);
		g_assert_cmpstr (stored, ==, expected);
	}
}

static void
test_resume_other_topology (Fixture *f, gconstpointer data)
{
	g_autoptr(XnOutageEngine) engine = engine_new (f->fx.county, -1);
	g_autoptr(XnInventory) hand = hand_inventory (HAND_FULL);
	g_autoptr(XnOutageEngine) resumed = NULL;
	g_autoptr(XnDerived) store = open_ok (f->path, XN_DERIVED_OPEN_CREATE);
	g_autoptr(GError) error = NULL;
	g_autofree char *from_start = NULL;
	g_autofree char *stored = NULL;
	XnDerivedStepStats stats;

	feed_example (f, engine, 0, WORKED_EXAMPLE_LEN);
	commit_ok (store, engine, NULL);
	resumed = xn_derived_resume (store, hand, NULL, &from_start, &error);
	g_assert_no_error (error);
	g_assert_nonnull (resumed);
	g_assert_nonnull (from_start);
	g_test_message ("%s", from_start);
	g_assert_nonnull (strstr (from_start, "at seq 108"));
	g_assert_cmpint (xn_outage_engine_last_seq (resumed), ==, 0);
	/* a step from the start replaces every row */
	commit_ok (store, resumed, &stats);
	g_assert_cmpuint (stats.removed, ==, 10);
	stored = stored_json (store, NULL);
	g_assert_cmpstr (stored, ==, "[]");
}

/* A row changed behind extranoc's back is refused, with its id. */
static void
test_damaged_row (Fixture *f, gconstpointer data)
{
	g_autoptr(XnDerived) store = open_ok (f->path, XN_DERIVED_OPEN_CREATE);
	g_autoptr(XnDerivedBackend) backend = xn_derived_sqlite_open (f->path, XN_DERIVED_OPEN_EXISTING, NULL);
	g_autoptr(GError) error = NULL;
	XnDerivedRow row = {
		.id = (char *) "7:node/city-core", .seq = 7, .object = (char *) "node/city-core",
		.kind = (char *) "node", .start = 0, .end = XN_OUTAGE_OPEN, .cause = (char *) "node-unreachable",
		.root = (char *) "7:node/city-core", .units = (char *) "[]",
		.segments = (char *) "[{\"from\":0,\"to\":null,\"root\":\"7:node/city-core\"}]",
		.dependents = (char *) "[]", .evidence = (char *) "[7]", .evidence_count = 1,
		.digest = (char *) "0000",
	};
	guint64 steps;
	gboolean busy = FALSE, written = FALSE;

	g_assert_nonnull (backend);
	g_assert_true (xn_derived_sqlite_begin (backend, &steps, &busy, &error));
	g_assert_true (xn_derived_sqlite_put (backend, &row, &written, &error));
	g_assert_true (written);
	g_assert_true (xn_derived_sqlite_finish (backend, "{}", 7, 0, -1, &busy, &error));
	g_assert_no_error (error);
	g_assert_null (xn_derived_list (store, NULL, NULL, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_STORAGE);
	g_assert_nonnull (strstr (error->message, "outage 7:node/city-core: its digest does not match"));
}

/* Thousands of outages: flaps of the six township links, each a closed
 * outage of a link (the county's other nodes stay up), five minutes
 * apart over days. Prints what a step costs when everything is new, when
 * nothing changed, and when one new outage came, for an engine that keeps
 * everything and for one that settles and forgets, as the collector's. */
static void
scale (Fixture *f, gboolean settle, guint flaps)
{
	static const char *const ends[] = {
		"interface/dong-core/ge-0-1-1", "interface/dong-core/ge-0-1-2", "interface/dong-core/ge-0-1-3",
		"interface/xi-core/ge-0-1-1", "interface/xi-core/ge-0-1-2", "interface/xi-core/ge-0-1-3",
	};
	g_autoptr(XnOutageEngine) engine = NULL;
	g_autoptr(XnDerived) store = NULL;
	g_autofree char *snapshot = NULL;
	XnInstant t = local (&f->fx, "00:00:00");
	XnOutageOptions options;
	XnDerivedStepStats stats;
	XnDerivedInfo info;
	gint64 seq = 0, t0, t_first, t_same, t_one;

	g_unlink (f->path);
	store = open_ok (f->path, XN_DERIVED_OPEN_CREATE);
	options_for (&options, -1, settle, !settle);
	engine = engine_new_with (f->fx.county, &options);
	for (guint i = 0; i < flaps; i++) {
		for (guint e = 0; e < G_N_ELEMENTS (ends); e++) {
			g_autoptr(XnFact) down = xn_fact_new (t, IF_DOWN, ends[e], "poller", t, NULL);
			g_autoptr(XnFact) up = xn_fact_new (t + 60 * XN_USEC_PER_SEC, IF_UP, ends[e], "poller", t, NULL);

			down->seq = ++seq;
			up->seq = ++seq;
			feed (engine, down);
			feed (engine, up);
		}
		t += 300 * XN_USEC_PER_SEC;
	}
	t0 = g_get_monotonic_time ();
	commit_ok (store, engine, &stats);
	t_first = g_get_monotonic_time () - t0;
	g_assert_cmpuint (stats.written, ==, flaps * G_N_ELEMENTS (ends));
	t0 = g_get_monotonic_time ();
	commit_ok (store, engine, &stats);
	t_same = g_get_monotonic_time () - t0;
	g_assert_cmpuint (stats.written, ==, 0);
	{
		g_autoptr(XnFact) down = xn_fact_new (t, IF_DOWN, ends[0], "poller", t, NULL);

		down->seq = ++seq;
		feed (engine, down);
	}
	t0 = g_get_monotonic_time ();
	commit_ok (store, engine, &stats);
	t_one = g_get_monotonic_time () - t0;
	g_assert_cmpuint (stats.written, ==, 1);
	snapshot = xn_outage_engine_snapshot (engine);
	g_assert_true (xn_derived_info (store, &info, NULL));
	g_assert_cmpuint (info.outages, ==, flaps * G_N_ELEMENTS (ends) + 1);
	if (settle)
		g_assert_cmpuint (strlen (snapshot), <, 20000);
	g_test_message ("%s: %u outages, snapshot %zu bytes: step writing all %" G_GINT64_FORMAT " ms, none %"
			G_GINT64_FORMAT " ms, one %" G_GINT64_FORMAT " ms (each step includes the engine's changes "
			"and snapshot)", settle ? "settling" : "keeping all", info.outages, strlen (snapshot),
			t_first / 1000, t_same / 1000, t_one / 1000);
}

static void
test_scale (Fixture *f, gconstpointer data)
{
	const guint flaps = g_test_slow () ? 2000 : 500;

	scale (f, FALSE, flaps);
	scale (f, TRUE, flaps);
}

/* A store written before settling: its snapshot's format is refused, the
 * derivation starts from the journal's start and replaces every row. */
static void
test_resume_old_snapshot (Fixture *f, gconstpointer data)
{
	static const char old[] = "{\"format\":\"extranoc-outages\",\"version\":1,\"topology\":\"0\","
		"\"last_seq\":108,\"now\":null,\"stats\":{\"reports\":0,\"neutral\":0,\"unknown\":0,"
		"\"ignored\":0},\"signals\":[]}";
	g_autoptr(XnOutageEngine) engine = engine_new (f->fx.county, -1);
	g_autoptr(XnOutageEngine) resumed = NULL;
	g_autoptr(XnDerived) store = open_ok (f->path, XN_DERIVED_OPEN_CREATE);
	g_autoptr(XnDerivedBackend) backend = xn_derived_sqlite_open (f->path, XN_DERIVED_OPEN_EXISTING, NULL);
	g_autoptr(GError) error = NULL;
	g_autofree char *from_start = NULL;
	g_autofree char *stored = NULL;
	g_autofree char *expected = NULL;
	XnDerivedStepStats stats;
	gboolean busy = FALSE;
	guint64 steps;

	feed_example (f, engine, 0, WORKED_EXAMPLE_LEN);
	commit_ok (store, engine, NULL);
	g_assert_true (xn_derived_sqlite_begin (backend, &steps, &busy, &error));
	g_assert_true (xn_derived_sqlite_finish (backend, old, 108, G_MININT64, -1, &busy, &error));
	g_assert_no_error (error);
	resumed = xn_derived_resume (store, f->fx.county, NULL, &from_start, &error);
	g_assert_no_error (error);
	g_assert_nonnull (from_start);
	g_test_message ("%s", from_start);
	g_assert_nonnull (strstr (from_start, "version 1 is an older format"));
	g_assert_cmpint (xn_outage_engine_last_seq (resumed), ==, 0);
	feed_example (f, resumed, 0, 4);
	commit_ok (store, resumed, &stats);
	g_assert_cmpuint (stats.removed, ==, 10);
	g_assert_cmpuint (stats.written, ==, 10);
	stored = stored_json (store, NULL);
	expected = list_json (resumed);
	g_assert_cmpstr (stored, ==, expected);
}

/* Another correlation window: derived again from the start. */
static void
test_resume_other_window (Fixture *f, gconstpointer data)
{
	g_autoptr(XnOutageEngine) engine = engine_new (f->fx.county, -1);
	g_autoptr(XnOutageEngine) resumed = NULL;
	g_autoptr(XnDerived) store = open_ok (f->path, XN_DERIVED_OPEN_CREATE);
	g_autoptr(GError) error = NULL;
	g_autofree char *from_start = NULL;
	XnOutageOptions options;

	feed_example (f, engine, 0, WORKED_EXAMPLE_LEN);
	commit_ok (store, engine, NULL);
	options_for (&options, 60, FALSE, TRUE);
	resumed = xn_derived_resume (store, f->fx.county, &options, &from_start, &error);
	g_assert_no_error (error);
	g_assert_nonnull (from_start);
	g_assert_nonnull (strstr (from_start, "correlation window of 600 s, not 60 s"));
	g_assert_cmpint (xn_outage_engine_last_seq (resumed), ==, 0);
}

/* Days of incidents derived in steps by an engine that forgets what
 * settled, stopped and resumed from the store now and then: the rows are
 * what a replay lists, settled outages included. */
static void
test_settled_rows (Fixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) facts = scenario_incidents (&f->fx, 1500, 5, TRUE);
	g_autoptr(XnDerived) store = open_ok (f->path, XN_DERIVED_OPEN_CREATE);
	g_autoptr(XnOutageEngine) engine = NULL;
	g_autoptr(XnOutageEngine) replay = NULL;
	g_autofree char *stored = NULL;
	g_autofree char *expected = NULL;
	XnOutageOptions options, replay_options;
	XnDerivedInfo info;
	guint resumes = 0;

	options_for (&options, -1, TRUE, FALSE);
	options_for (&replay_options, -1, TRUE, TRUE);
	engine = engine_new_with (f->fx.county, &options);
	replay = engine_new_with (f->fx.county, &replay_options);
	for (guint i = 0; i < facts->len; i++) {
		feed (engine, g_ptr_array_index (facts, i));
		feed (replay, g_ptr_array_index (facts, i));
		if (i % 37 == 36)
			commit_ok (store, engine, NULL);
		if (i % 401 == 400) {
			g_autoptr(GError) error = NULL;
			g_autofree char *from_start = NULL;

			/* a restart from what is stored (the facts since the
			 * last step are fed again) */
			g_clear_pointer (&engine, xn_outage_engine_free);
			g_clear_pointer (&store, xn_derived_close);
			store = open_ok (f->path, XN_DERIVED_OPEN_EXISTING);
			engine = xn_derived_resume (store, f->fx.county, &options, &from_start, &error);
			g_assert_no_error (error);
			g_assert_null (from_start);
			for (guint k = 0; k <= i; k++)
				if (((XnFact *) g_ptr_array_index (facts, k))->seq > xn_outage_engine_last_seq (engine))
					feed (engine, g_ptr_array_index (facts, k));
			resumes++;
		}
	}
	commit_ok (store, engine, NULL);
	g_assert_false (xn_outage_engine_lists_all (engine));
	stored = stored_json (store, NULL);
	expected = list_json (replay);
	g_assert_cmpstr (stored, ==, expected);
	g_assert_true (xn_derived_info (store, &info, NULL));
	g_test_message ("%u outages stored, %u resumes", info.outages, resumes);
	g_assert_cmpuint (info.outages, >=, 700);
}

/* Two writers, one of which has forgotten settled outages: its step over
 * the other's cannot be made, and says so. */
static void
test_conflict (Fixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) facts = scenario_incidents (&f->fx, 600, 5, FALSE);
	g_autoptr(XnDerived) a = open_ok (f->path, XN_DERIVED_OPEN_CREATE);
	g_autoptr(XnDerived) b = open_ok (f->path, XN_DERIVED_OPEN_EXISTING);
	g_autoptr(XnOutageEngine) forgetting = NULL;
	g_autoptr(XnOutageEngine) other = engine_new (f->fx.county, -1);
	g_autoptr(GError) error = NULL;
	XnOutageOptions options;

	options_for (&options, -1, TRUE, FALSE);
	forgetting = engine_new_with (f->fx.county, &options);
	for (guint i = 0; i < facts->len; i++)
		feed (forgetting, g_ptr_array_index (facts, i));
	commit_ok (a, forgetting, NULL);
	g_assert_false (xn_outage_engine_lists_all (forgetting));
	commit_ok (b, other, NULL);
	g_assert_cmpint (xn_derived_commit_engine (a, forgetting, NULL, &error), ==, XN_DERIVED_CONFLICT);
	g_assert_error (error, XN_ERROR, XN_ERROR_STORAGE);
	g_assert_nonnull (strstr (error->message, "another process stored derived state"));
}

/* ---- tickets ---- */

static XnTicketEngine *
ticket_engine (Fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_auto(XnTicketOptions) options = { 0 };
	XnOutageOptions outage;
	XnTicketEngine *engine;

	options_for (&outage, -1, TRUE, FALSE);
	xn_ticket_options_init (&options);
	options.keep_closed = FALSE;
	engine = xn_ticket_engine_new (f->fx.county, &outage, &options, &error);
	g_assert_no_error (error);
	return engine;
}

/* The events taken, as the collector makes them into messages. */
static guint
add_events (Fixture *f, XnDerived *store, XnTicketEngine *engine)
{
	g_autoptr(GPtrArray) events = xn_ticket_engine_take_events (engine);
	g_auto(XnTicketOptions) options = { 0 };

	xn_ticket_options_init (&options);
	for (guint i = 0; i < events->len; i++) {
		const XnTicketEvent *e = g_ptr_array_index (events, i);
		g_autoptr(GError) error = NULL;
		g_autoptr(XnTicketMessage) rendered = xn_ticket_message_render (e, f->fx.county, &options, f->fx.tz, &error);
		XnOutboxMessage *m = xn_outbox_message_new ();

		g_assert_no_error (error);
		m->event_id = g_strdup (e->id);
		m->carrier = g_strdup (e->carrier);
		m->ticket_id = g_strdup (e->breach_id != NULL ? e->breach_id : e->ticket_id);
		m->kind = g_strdup (xn_ticket_event_kind_to_string (e->kind));
		m->instant = e->instant;
		m->subject = g_steal_pointer (&rendered->subject);
		m->body_text = g_steal_pointer (&rendered->text);
		m->body_json = g_steal_pointer (&rendered->json);
		xn_derived_add_message (store, m);
	}
	return events->len;
}

static void
commit_tickets_ok (Fixture *f, XnDerived *store, XnTicketEngine *engine, XnInstant now, XnDerivedStepStats *stats)
{
	g_autoptr(GError) error = NULL;

	add_events (f, store, engine);
	g_assert_cmpint (xn_derived_commit_tickets (store, engine, f->fx.tz, now, 72 * 3600, stats, &error), ==,
			 XN_DERIVED_STORED);
	g_assert_no_error (error);
}

static JsonObject *
parsed (const char *json, JsonNode **holder)
{
	g_autoptr(GError) error = NULL;

	*holder = json_from_string (json, &error);
	g_assert_no_error (error);
	g_assert_true (JSON_NODE_HOLDS_OBJECT (*holder));
	return json_node_get_object (*holder);
}

static char *
event_ids (const char *path, XnOutboxState *first_state)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnOutbox) outbox = xn_outbox_open (path, XN_OUTBOX_OPEN_EXISTING, &error);
	g_autoptr(GPtrArray) messages = NULL;
	GString *out = g_string_new (NULL);
	XnOutboxFilter filter = XN_OUTBOX_FILTER_INIT;

	g_assert_no_error (error);
	messages = xn_outbox_list (outbox, &filter, &error);
	g_assert_no_error (error);
	for (guint i = 0; i < messages->len; i++) {
		const XnOutboxMessage *m = g_ptr_array_index (messages, i);

		g_string_append_printf (out, "%s%s:%s", i > 0 ? " " : "", m->event_id, m->carrier);
		if (i == 0 && first_state != NULL)
			*first_state = m->state;
	}
	return g_string_free (out, FALSE);
}

/* A telecom link down from 10:00 to 11:45, never acknowledged: #opened,
 * R#1 (11:00), R#2 (11:30) and #closed (11:55), each stored with its
 * step; the tickets read back as stored, all and open only, by id and by
 * breach id. */
static const F ticket_facts[] = {
	{ "10:00:00", IF_DOWN, DQ, NULL },
	{ "11:45:00", IF_UP, DQ, NULL },
};

/* ticket_facts[i] as seq 101 + i. */
static void
feed_ticket (Fixture *f, XnTicketEngine *engine, guint i)
{
	g_autoptr(XnFact) fact = make_fact (&f->fx, 101 + i, &ticket_facts[i]);
	g_autoptr(GError) error = NULL;

	g_assert_true (xn_ticket_engine_feed (engine, fact, &error));
	g_assert_no_error (error);
}

/* Both facts, and time up to `until`, in one step at `now`. */
static void
derive_tickets (Fixture *f, XnDerived *store, XnInstant now, XnDerivedStepStats *stats)
{
	g_autoptr(XnTicketEngine) engine = ticket_engine (f);

	feed_ticket (f, engine, 0);
	feed_ticket (f, engine, 1);
	xn_ticket_engine_advance (engine, local (&f->fx, "12:00:00"));
	commit_tickets_ok (f, store, engine, now, stats);
}

static void
test_tickets (Fixture *f, gconstpointer data)
{
	g_autoptr(XnDerived) store = open_ok (f->path, XN_DERIVED_OPEN_CREATE);
	g_autoptr(XnTicketEngine) engine = ticket_engine (f);
	g_autoptr(GPtrArray) all = NULL, open = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) holder = NULL;
	g_autofree char *json = NULL, *by_breach = NULL, *unknown = NULL, *ids = NULL;
	XnDerivedStepStats stats;
	XnDerivedInfo info;
	JsonObject *o;

	feed_ticket (f, engine, 0);
	xn_ticket_engine_advance (engine, local (&f->fx, "10:10:01"));
	commit_tickets_ok (f, store, engine, local (&f->fx, "10:10:01"), &stats);
	g_assert_cmpuint (stats.tickets, ==, 1);
	g_assert_cmpuint (stats.messages, ==, 1);
	g_assert_cmpuint (stats.suppressed, ==, 0);
	open = xn_derived_list_tickets (store, TRUE, &info, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (open->len, ==, 1);
	g_assert_cmpuint (info.tickets, ==, 1);
	g_assert_cmpuint (info.open_tickets, ==, 1);
	g_assert_cmpint (info.last_seq, ==, 101);
	o = parsed (g_ptr_array_index (open, 0), &holder);
	g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, "XN-000101");
	g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "open");
	g_clear_pointer (&holder, json_node_unref);

	/* R#1 at 11:00, R#2 at 11:30 less the acknowledgement never given;
	 * restored at 11:30, closed at 11:40 */
	xn_ticket_engine_advance (engine, local (&f->fx, "11:20:00"));
	commit_tickets_ok (f, store, engine, local (&f->fx, "11:20:00"), &stats);
	g_assert_cmpuint (stats.messages, ==, 1);
	g_assert_cmpuint (stats.tickets, ==, 1);
	feed_ticket (f, engine, 1);
	xn_ticket_engine_advance (engine, local (&f->fx, "12:00:00"));
	commit_tickets_ok (f, store, engine, local (&f->fx, "12:00:00"), &stats);
	ids = event_ids (f->path, NULL);
	g_assert_cmpstr (ids, ==, "XN-000101#opened:telecom XN-000101-R#1:telecom XN-000101-R#2:telecom "
			 "XN-000101#closed:telecom");
	g_clear_pointer (&open, g_ptr_array_unref);
	open = xn_derived_list_tickets (store, TRUE, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (open->len, ==, 0);
	all = xn_derived_list_tickets (store, FALSE, &info, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (all->len, ==, 1);
	g_assert_cmpuint (info.open_tickets, ==, 0);
	/* the engine forgot the closed ticket once it was stored */
	g_assert_null (xn_ticket_engine_lookup (engine, "XN-000101"));
	json = xn_derived_lookup_ticket (store, "XN-000101", NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (json, ==, g_ptr_array_index (all, 0));
	by_breach = xn_derived_lookup_ticket (store, "XN-000101-R", NULL, &error);
	g_assert_cmpstr (by_breach, ==, json);
	unknown = xn_derived_lookup_ticket (store, "XN-000999", NULL, &error);
	g_assert_no_error (error);
	g_assert_null (unknown);
	o = parsed (json, &holder);
	g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "closed");
	g_assert_true (json_object_has_member (json_object_get_object_member (o, "response"), "deadline"));
}

/* A derivation from the journal's start renders the same events again and
 * inserts none of them; a store derived days later stores them as
 * suppressed; the ticket engine resumes from its own snapshot, and from
 * the start over an outage engine's. */
static void
test_tickets_again (Fixture *f, gconstpointer data)
{
	g_autoptr(XnDerived) store = open_ok (f->path, XN_DERIVED_OPEN_CREATE);
	g_autofree char *late_path = g_build_filename (f->dir, "late.db", NULL);
	g_autoptr(XnDerived) late = open_ok (late_path, XN_DERIVED_OPEN_CREATE);
	g_autofree char *other_path = g_build_filename (f->dir, "outages.db", NULL);
	g_autoptr(XnDerived) other = open_ok (other_path, XN_DERIVED_OPEN_CREATE);
	g_autoptr(XnOutageEngine) outages = engine_new (f->fx.county, -1);
	g_autoptr(XnTicketEngine) resumed = NULL;
	g_auto(XnTicketOptions) options = { 0 };
	g_autoptr(GError) error = NULL;
	g_autofree char *from_start = NULL, *ids = NULL, *late_ids = NULL;
	XnDerivedStepStats stats;
	XnOutageOptions outage;
	XnOutboxState state = XN_OUTBOX_PENDING;

	derive_tickets (f, store, local (&f->fx, "12:00:00"), &stats);
	g_assert_cmpuint (stats.messages, ==, 4);
	ids = event_ids (f->path, NULL);
	xn_derived_start_over (store);
	derive_tickets (f, store, local (&f->fx, "12:00:00") + (gint64) 3600 * G_USEC_PER_SEC, &stats);
	g_assert_cmpuint (stats.messages, ==, 0);
	g_assert_cmpuint (stats.tickets, ==, 1);
	g_free (late_ids);
	late_ids = event_ids (f->path, NULL);
	g_assert_cmpstr (late_ids, ==, ids);

	derive_tickets (f, late, local (&f->fx, "12:00:00") + (gint64) 73 * 3600 * G_USEC_PER_SEC, &stats);
	g_assert_cmpuint (stats.messages, ==, 4);
	g_assert_cmpuint (stats.suppressed, ==, 4);
	g_free (late_ids);
	late_ids = event_ids (late_path, &state);
	g_assert_cmpstr (late_ids, ==, ids);
	g_assert_cmpint (state, ==, XN_OUTBOX_SUPPRESSED);

	options_for (&outage, -1, TRUE, FALSE);
	xn_ticket_options_init (&options);
	options.keep_closed = FALSE;
	resumed = xn_derived_resume_tickets (store, f->fx.county, &outage, &options, &from_start, &error);
	g_assert_no_error (error);
	g_assert_null (from_start);
	g_assert_cmpint (xn_ticket_engine_last_seq (resumed), ==, 102);
	g_clear_pointer (&resumed, xn_ticket_engine_free);

	feed_example (f, outages, 0, WORKED_EXAMPLE_LEN);
	commit_ok (other, outages, NULL);
	resumed = xn_derived_resume_tickets (other, f->fx.county, &outage, &options, &from_start, &error);
	g_assert_no_error (error);
	g_assert_nonnull (resumed);
	g_assert_nonnull (from_start);
	g_assert_nonnull (strstr (from_start, "ticket snapshot"));
	g_assert_cmpint (xn_ticket_engine_last_seq (resumed), ==, 0);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
#define ADD(name, fn) g_test_add (name, Fixture, NULL, set_up, fn, tear_down)
	ADD ("/derived/open", test_open);
	ADD ("/derived/step-round-trip", test_step_round_trip);
	ADD ("/derived/step-writes-changes", test_step_writes_changes);
	ADD ("/derived/filters", test_filters);
	ADD ("/derived/busy", test_busy);
	ADD ("/derived/two-writers", test_two_writers);
	ADD ("/derived/kill-in-step", test_kill_in_step);
	ADD ("/derived/resume-other-topology", test_resume_other_topology);
	ADD ("/derived/damaged-row", test_damaged_row);
	ADD ("/derived/resume-old-snapshot", test_resume_old_snapshot);
	ADD ("/derived/resume-other-window", test_resume_other_window);
	ADD ("/derived/settled-rows", test_settled_rows);
	ADD ("/derived/conflict", test_conflict);
	ADD ("/derived/tickets", test_tickets);
	ADD ("/derived/tickets-again", test_tickets_again);
	ADD ("/derived/scale", test_scale);
	return g_test_run ();
}

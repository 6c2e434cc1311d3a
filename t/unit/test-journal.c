/* test-journal.c — the journal (storage/journal.c, storage/journal-sqlite.c) on
 * real SQLite files in a scratch directory: append and reopen, all-or-nothing
 * batches, snapshot reads, export/import round trips and import errors,
 * schema migrations, a journal another writer keeps locked (busy at once with
 * the short wait, waited for without it), and two multi-process tests: a
 * writer SIGKILLed at random moments leaves whole facts and whole batches or
 * none, and two concurrent writers lose nothing. Nothing here includes sqlite3.h: extra migration steps
 * stand in for raw SQL. */
#include "journal-backend.h"
#include "test-util.h"
#include "xn-error.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define T0 G_GINT64_CONSTANT (1737907200000000)   /* 2025-01-26T16:00:00Z */

typedef struct {
	char *dir;
	char *path;
} Fixture;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	fx->dir = g_dir_make_tmp ("test-journal-XXXXXX", &error);
	g_assert_no_error (error);
	fx->path = g_build_filename (fx->dir, "journal.db", NULL);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
	xn_test_remove_tree (fx->dir);
	g_free (fx->path);
	g_free (fx->dir);
}

static XnJournal *
open_ok (const char *location, XnJournalOpenFlags flags)
{
	g_autoptr(GError) error = NULL;
	XnJournal *journal = xn_journal_open (location, flags, &error);

	g_assert_no_error (error);
	return journal;
}

static XnFact *
make_fact (gint64 i, const char *subject)
{
	g_autoptr(JsonObject) attrs = json_object_new ();

	json_object_set_int_member (attrs, "i", i);
	json_object_set_string_member (attrs, "unit", "某某县政务服务中心");
	return xn_fact_new (T0 + i * G_USEC_PER_SEC, i % 2 ? "interface.down" : "node.unreachable",
			    subject, "poller", T0 + i * G_USEC_PER_SEC + 1, attrs);
}

/* The same fact as its maker hands it over on a hot path (the collector's
 * traps): attrs printed, no tree. */
static XnFact *
make_printed_fact (gint64 i, const char *subject)
{
	g_autoptr(XnFact) fact = make_fact (i, subject);
	g_autofree char *text = xn_fact_attrs_to_json (fact->attrs);

	return xn_fact_new_printed (fact->ts, fact->kind, fact->subject, fact->source, fact->recorded, NULL,
				    text, strlen (text));
}

static GPtrArray *
read_all (XnJournal *journal)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *facts = NULL;

	g_assert_true (xn_journal_read (journal, 0, 0, &facts, &error));
	g_assert_no_error (error);
	return facts;
}

static gint64
count_facts (XnJournal *journal)
{
	g_autoptr(GError) error = NULL;
	XnJournalStats stats;

	g_assert_true (xn_journal_stats (journal, &stats, &error));
	return stats.count;
}

static void
test_append_reopen (Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnJournal) journal = NULL;
	g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
	g_autoptr(GPtrArray) back = NULL;
	XnJournalStats stats;
	gint64 last = -1;

	g_assert_null (xn_journal_open (fx->path, XN_JOURNAL_OPEN_EXISTING, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_NOT_FOUND);
	g_assert_true (g_str_has_prefix (error->message, fx->path));
	g_clear_error (&error);

	journal = open_ok (fx->path, XN_JOURNAL_OPEN_CREATE);
	g_assert_true (xn_journal_stats (journal, &stats, &error));
	g_assert_cmpuint (stats.schema_version, ==, 1);
	g_assert_cmpint (stats.count, ==, 0);
	g_assert_cmpint (stats.last_seq, ==, 0);
	for (gint64 i = 1; i <= 3; i++) {
		XnFact *fact = make_fact (i, "node/city-core-1");

		g_assert_true (xn_journal_append (journal, fact, &error));
		g_assert_no_error (error);
		g_assert_cmpint (fact->seq, ==, i);
		g_ptr_array_add (kept, fact);
	}
	g_clear_pointer (&journal, xn_journal_close);

	journal = open_ok (fx->path, XN_JOURNAL_OPEN_EXISTING);
	g_assert_true (xn_journal_last_seq (journal, &last, &error));
	g_assert_cmpint (last, ==, 3);
	back = read_all (journal);
	g_assert_cmpuint (back->len, ==, 3);
	for (guint i = 0; i < 3; i++)
		g_assert_true (xn_fact_equal (g_ptr_array_index (kept, i), g_ptr_array_index (back, i)));
	g_assert_true (xn_journal_stats (journal, &stats, &error));
	g_assert_cmpint (stats.count, ==, 3);
	g_assert_cmpint (stats.first_seq, ==, 1);
	g_assert_cmpint (stats.last_seq, ==, 3);
	g_assert_true (xn_journal_check (journal, &error));
	g_assert_no_error (error);
}

static void
test_batch_all_or_nothing (Fixture *fx, gconstpointer data)
{
	guint n_steps;
	const char *const *builtin = xn_journal_sqlite_migrations (&n_steps);
	/* A trigger that fails the third insert of a batch inside the transaction. */
	const char *steps[] = {
		builtin[0],
		"CREATE TRIGGER poison BEFORE INSERT ON facts WHEN NEW.subject = 'node/poison'"
		" BEGIN SELECT RAISE (ABORT, 'poisoned fact'); END",
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(XnJournal) journal = NULL;
	g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
	XnJournalBackend *backend;

	g_assert_cmpuint (n_steps, ==, 1);
	backend = xn_journal_sqlite_open_with (fx->path, XN_JOURNAL_OPEN_CREATE, steps, 2, &error);
	g_assert_no_error (error);
	journal = xn_journal_new_for_backend (&xn_journal_sqlite_ops, backend, fx->path);

	for (gint64 i = 0; i < 5; i++)
		g_ptr_array_add (batch, make_fact (i, i == 2 ? "node/poison" : "node/a"));
	g_assert_false (xn_journal_append_batch (journal, batch, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_STORAGE);
	g_assert_nonnull (strstr (error->message, "poisoned fact"));
	g_clear_error (&error);
	g_assert_cmpint (count_facts (journal), ==, 0);
	for (guint i = 0; i < batch->len; i++)
		g_assert_cmpint (((XnFact *) g_ptr_array_index (batch, i))->seq, ==, 0);

	/* Invalid facts are refused before the backend sees any of them. */
	g_free (((XnFact *) g_ptr_array_index (batch, 2))->subject);
	((XnFact *) g_ptr_array_index (batch, 2))->subject = g_strdup ("node/b");
	g_free (((XnFact *) g_ptr_array_index (batch, 3))->kind);
	((XnFact *) g_ptr_array_index (batch, 3))->kind = g_strdup ("Bad");
	g_assert_false (xn_journal_append_batch (journal, batch, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_true (g_str_has_prefix (error->message, fx->path));
	g_assert_nonnull (strstr (error->message, ": fact 4 of 5: kind \"Bad\" is not"));
	g_clear_error (&error);
	g_assert_cmpint (count_facts (journal), ==, 0);

	g_free (((XnFact *) g_ptr_array_index (batch, 3))->kind);
	((XnFact *) g_ptr_array_index (batch, 3))->kind = g_strdup ("node.up");
	g_assert_true (xn_journal_append_batch (journal, batch, &error));
	g_assert_no_error (error);
	for (guint i = 0; i < batch->len; i++)
		g_assert_cmpint (((XnFact *) g_ptr_array_index (batch, i))->seq, ==, i + 1);

	/* A fact that is in a journal already is not appended twice. */
	g_assert_false (xn_journal_append (journal, g_ptr_array_index (batch, 0), &error));
	g_assert_nonnull (strstr (error->message, "is already in a journal (seq 1)"));
	g_assert_cmpint (count_facts (journal), ==, 5);
}

static void
test_read_after_limit (Fixture *fx, gconstpointer data)
{
	g_autoptr(XnJournal) journal = open_ok (fx->path, XN_JOURNAL_OPEN_CREATE);
	g_autoptr(GPtrArray) facts = NULL;
	g_autoptr(GError) error = NULL;

	for (gint64 i = 1; i <= 10; i++) {
		g_autoptr(XnFact) fact = make_fact (i, "node/a");

		g_assert_true (xn_journal_append (journal, fact, &error));
	}
	g_assert_true (xn_journal_read (journal, 3, 4, &facts, &error));
	g_assert_cmpuint (facts->len, ==, 4);
	for (guint i = 0; i < 4; i++)
		g_assert_cmpint (((XnFact *) g_ptr_array_index (facts, i))->seq, ==, 4 + i);
	g_clear_pointer (&facts, g_ptr_array_unref);
	g_assert_true (xn_journal_read (journal, 10, 0, &facts, &error));
	g_assert_cmpuint (facts->len, ==, 0);
}

static void
assert_same_facts (GPtrArray *got, GPtrArray *want)
{
	g_assert_cmpuint (got->len, ==, want->len);
	for (guint i = 0; i < got->len; i++)
		g_assert_true (xn_fact_equal (g_ptr_array_index (got, i), g_ptr_array_index (want, i)));
}

/* A journal that reads back what it appended itself (the collector's
 * follower) gets exactly what a reader that parses every row gets: in seq
 * order, with another writer's facts in between, in chunks, from the start
 * again, and past the number of facts it keeps for that; facts appended
 * with printed attrs and no tree come back with the same attrs. */
static void
test_read_back_own (Fixture *fx, gconstpointer data)
{
	g_autoptr(XnJournal) own = open_ok (fx->path, XN_JOURNAL_OPEN_CREATE);
	g_autoptr(XnJournal) other = open_ok (fx->path, XN_JOURNAL_OPEN_EXISTING);
	g_autoptr(XnJournal) plain = open_ok (fx->path, XN_JOURNAL_OPEN_EXISTING);
	g_autoptr(GPtrArray) big = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(GPtrArray) want = NULL;
	g_autoptr(GError) error = NULL;
	gint64 after = 0;

	all = read_all (own);
	g_assert_cmpuint (all->len, ==, 0);
	for (gint64 round = 0; round < 6; round++) {
		g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
		g_autoptr(XnFact) theirs = make_fact (1000 + round, "node/other");
		g_autoptr(GPtrArray) got = NULL;
		g_autoptr(GPtrArray) expected = NULL;

		for (gint64 i = 0; i < 3; i++)
			g_ptr_array_add (batch, (i == 1 ? make_printed_fact : make_fact) (10 * round + i, "node/own"));
		g_assert_true (xn_journal_append_batch (own, batch, &error));
		g_assert_true (xn_journal_append (other, theirs, &error));
		g_assert_no_error (error);
		/* two facts per read: the reader lags behind the writer */
		g_assert_true (xn_journal_read (own, after, 2, &got, &error));
		g_assert_true (xn_journal_read (plain, after, 2, &expected, &error));
		g_assert_no_error (error);
		assert_same_facts (got, expected);
		g_assert_cmpuint (got->len, ==, 2);
		after = ((XnFact *) g_ptr_array_index (got, 1))->seq;
	}
	g_clear_pointer (&all, g_ptr_array_unref);
	all = read_all (own);
	want = read_all (plain);
	assert_same_facts (all, want);
	g_assert_cmpuint (all->len, ==, 24);
	for (guint i = 0; i < all->len; i++) {
		g_autofree char *got = xn_fact_attrs_to_json (xn_fact_get_attrs (g_ptr_array_index (all, i)));
		g_autofree char *expected = xn_fact_attrs_to_json (((XnFact *) g_ptr_array_index (want, i))->attrs);

		g_assert_cmpstr (got, ==, expected);
	}

	/* more than the journal keeps for reading back */
	for (gint64 i = 0; i < 9000; i++)
		g_ptr_array_add (big, (i % 2 ? make_printed_fact : make_fact) (i, "node/big"));
	g_assert_true (xn_journal_append_batch (own, big, &error));
	g_assert_no_error (error);
	g_clear_pointer (&all, g_ptr_array_unref);
	g_clear_pointer (&want, g_ptr_array_unref);
	all = read_all (own);
	want = read_all (plain);
	assert_same_facts (all, want);
	g_assert_cmpuint (all->len, ==, 9024);
	for (guint i = 0; i < big->len; i++)
		g_assert_true (xn_fact_equal (g_ptr_array_index (all, 24 + i), g_ptr_array_index (big, i)));
}

typedef struct {
	XnJournal *other;
	guint seen;
} Snapshot;

static gboolean
append_while_reading (const XnFact *fact, gpointer user_data, GError **error)
{
	Snapshot *snap = user_data;

	if (snap->seen++ == 0) {
		for (gint64 i = 100; i < 105; i++) {
			g_autoptr(XnFact) extra = make_fact (i, "node/late");

			if (!xn_journal_append (snap->other, extra, error))
				return FALSE;
		}
	}
	return TRUE;
}

static gboolean
stop_at_second (const XnFact *fact, gpointer user_data, GError **error)
{
	if (fact->seq < 2)
		return TRUE;
	g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped by the callback");
	return FALSE;
}

static void
test_snapshot_read (Fixture *fx, gconstpointer data)
{
	g_autoptr(XnJournal) reader = open_ok (fx->path, XN_JOURNAL_OPEN_CREATE);
	g_autoptr(XnJournal) writer = open_ok (fx->path, XN_JOURNAL_OPEN_EXISTING);
	g_autoptr(GError) error = NULL;
	Snapshot snap = { writer, 0 };

	for (gint64 i = 1; i <= 3; i++) {
		g_autoptr(XnFact) fact = make_fact (i, "node/a");

		g_assert_true (xn_journal_append (reader, fact, &error));
	}
	/* The writer commits five facts while the reader walks: it sees its three. */
	g_assert_true (xn_journal_foreach (reader, 0, 0, append_while_reading, &snap, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (snap.seen, ==, 3);
	g_assert_cmpint (count_facts (reader), ==, 8);

	/* The callback's own error comes back unchanged, without a location. */
	g_assert_false (xn_journal_foreach (reader, 0, 0, stop_at_second, NULL, &error));
	g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpstr (error->message, ==, "stopped by the callback");
}

static char *
export_text (XnJournal *journal, gint64 after_seq, guint64 *n)
{
	g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
	g_autoptr(GError) error = NULL;

	g_assert_true (xn_journal_export (journal, out, after_seq, n, &error));
	g_assert_no_error (error);
	g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, &error));
	g_assert_true (g_output_stream_close (out, NULL, &error));
	return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static gboolean
import_text (XnJournal *journal, const char *text, XnJournalImportFlags flags, guint64 *n, GError **error)
{
	g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (g_strdup (text), -1, g_free);

	return xn_journal_import (journal, in, "in.jsonl", flags, n, error);
}

static void
test_export_import_round_trip (Fixture *fx, gconstpointer data)
{
	g_autofree char *second = g_build_filename (fx->dir, "second.db", NULL);
	g_autoptr(XnJournal) one = open_ok (fx->path, XN_JOURNAL_OPEN_CREATE);
	g_autoptr(XnJournal) two = open_ok (second, XN_JOURNAL_OPEN_CREATE);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) hostile = json_object_new ();
	g_autoptr(XnFact) odd = NULL;
	g_autofree char *text_one = NULL;
	g_autofree char *text_two = NULL;
	g_autofree char *tail = NULL;
	guint64 n = 0;

	for (gint64 i = 1; i <= 20; i++) {
		g_autoptr(XnFact) fact = make_fact (i, i % 3 ? "node/汇聚-1" : "link/L-0001");

		g_assert_true (xn_journal_append (one, fact, &error));
	}
	json_object_set_string_member (hostile, "line\nbreak", "\r\n\x01\xe2\x80\xa8 \"q\" \\");
	json_object_set_double_member (hostile, "d", 1e22);
	odd = xn_fact_new (T0, "trap.received", "node/a b", "cli:张三", T0, hostile);
	g_assert_true (xn_journal_append (one, odd, &error));

	text_one = export_text (one, 0, &n);
	g_assert_cmpuint (n, ==, 21);
	g_assert_true (import_text (two, text_one, XN_JOURNAL_IMPORT_KEEP_SEQ, &n, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (n, ==, 21);
	text_two = export_text (two, 0, NULL);
	g_assert_cmpstr (text_one, ==, text_two);

	/* The same seqs again collide with the journal's own. */
	g_assert_false (import_text (two, text_one, XN_JOURNAL_IMPORT_KEEP_SEQ, &n, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_true (g_str_has_prefix (error->message,
		"in.jsonl:1: seq 1 is not above the journal's last seq 21"));
	g_clear_error (&error);
	g_assert_cmpint (count_facts (two), ==, 21);

	/* Renumbered, they follow; the facts themselves are unchanged. */
	g_assert_true (import_text (two, text_one, XN_JOURNAL_IMPORT_RENUMBER, &n, &error));
	g_assert_cmpint (count_facts (two), ==, 42);
	tail = export_text (two, 21, &n);
	g_assert_cmpuint (n, ==, 21);
	{
		g_auto(GStrv) a = g_strsplit (text_one, "\n", -1);
		g_auto(GStrv) b = g_strsplit (tail, "\n", -1);

		g_assert_cmpuint (g_strv_length (a), ==, g_strv_length (b));
		for (guint i = 0; i < 21; i++) {
			g_autofree char *want = g_strdup_printf ("{\"seq\":%u,", 22 + i);

			g_assert_true (g_str_has_prefix (b[i], want));
			g_assert_cmpstr (strchr (a[i], ','), ==, strchr (b[i], ','));
		}
	}
}

static void
test_import_errors (Fixture *fx, gconstpointer data)
{
	g_autoptr(XnJournal) journal = open_ok (fx->path, XN_JOURNAL_OPEN_CREATE);
	g_autoptr(GError) error = NULL;
	g_autoptr(XnFact) fact = make_fact (1, "node/a");
	g_autofree char *good = NULL;
	guint64 n = 99;

#define LINE(seq) "{" seq "\"ts\":\"2025-01-26T16:00:00Z\",\"kind\":\"node.down\",\"subject\":\"node/a\"," \
		  "\"source\":\"import\",\"recorded\":\"2025-01-26T16:00:00Z\",\"attrs\":{}}\n"
	/* Line 4 is bad: lines 1 to 3 must not be applied either. */
	g_assert_false (import_text (journal, LINE ("") LINE ("") LINE ("") "{\"ts\":\"x\"}\n" LINE (""),
				     XN_JOURNAL_IMPORT_KEEP_SEQ, &n, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_true (g_str_has_prefix (error->message, "in.jsonl:4: "));
	g_clear_error (&error);
	g_assert_cmpint (count_facts (journal), ==, 0);
	g_assert_cmpuint (n, ==, 99);

	g_assert_false (import_text (journal, LINE ("\"seq\":5,") LINE (""), 0, NULL, &error));
	g_assert_cmpstr (error->message, ==, "in.jsonl:2: key \"seq\" is missing here but given on line 1 "
			 "(give it on every line or on none)");
	g_clear_error (&error);
	g_assert_false (import_text (journal, LINE ("") LINE ("\"seq\":5,"), 0, NULL, &error));
	g_assert_nonnull (strstr (error->message, "in.jsonl:2: key \"seq\" is given here but missing on line 1"));
	g_clear_error (&error);
	g_assert_false (import_text (journal, LINE ("\"seq\":5,") LINE ("\"seq\":7,") LINE ("\"seq\":7,"),
				     0, NULL, &error));
	g_assert_cmpstr (error->message, ==, "in.jsonl:3: seq 7 is not above seq 7 of the line before");
	g_clear_error (&error);
	g_assert_cmpint (count_facts (journal), ==, 0);

	/* Without seqs the facts are numbered after the journal's last; gaps in kept seqs stay. */
	g_assert_true (xn_journal_append (journal, fact, &error));
	g_assert_true (import_text (journal, LINE ("") LINE (""), 0, &n, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (n, ==, 2);
	g_assert_true (import_text (journal, LINE ("\"seq\":10,") LINE ("\"seq\":20,"), 0, &n, &error));
	good = export_text (journal, 3, NULL);
	g_assert_true (g_str_has_prefix (good, "{\"seq\":10,"));
	g_assert_nonnull (strstr (good, "\n{\"seq\":20,"));
	/* Appends continue above the highest seq. */
	g_clear_pointer (&fact, xn_fact_free);
	fact = make_fact (2, "node/a");
	g_assert_true (xn_journal_append (journal, fact, &error));
	g_assert_cmpint (fact->seq, ==, 21);
	g_assert_true (import_text (journal, "", 0, &n, &error));
	g_assert_cmpuint (n, ==, 0);
#undef LINE
}

static void
test_locations (Fixture *fx, gconstpointer data)
{
	g_autofree char *missing_dir = g_build_filename (fx->dir, "no", "such", "dir.db", NULL);
	g_autofree char *text = g_build_filename (fx->dir, "text.db", NULL);
	g_autoptr(GError) error = NULL;

	g_assert_null (xn_journal_open ("postgresql://noc@db/extranoc", XN_JOURNAL_OPEN_CREATE, &error));
	g_assert_cmpstr (error->message, ==, "postgresql://noc@db/extranoc: PostgreSQL journals are not supported yet");
	g_clear_error (&error);
	g_assert_null (xn_journal_open ("mysql://x", XN_JOURNAL_OPEN_CREATE, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_clear_error (&error);
	g_assert_null (xn_journal_open ("", XN_JOURNAL_OPEN_CREATE, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_clear_error (&error);
	g_assert_null (xn_journal_open (missing_dir, XN_JOURNAL_OPEN_CREATE, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_STORAGE);
	g_assert_true (g_str_has_prefix (error->message, missing_dir));
	g_clear_error (&error);
	g_assert_true (g_file_set_contents (text, "this is not a database, it is a text file of some length\n"
					    "with a few lines, long enough to be more than a header\n", -1, NULL));
	g_assert_null (xn_journal_open (text, XN_JOURNAL_OPEN_EXISTING, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_STORAGE);
	g_assert_nonnull (strstr (error->message, "file is not a database"));
}

/* The CHECK that attrs is a JSON object holds for other writers (a
 * migration step stands in for one); this program's own appends skip it,
 * and the integrity check still applies it to every row. */
static void
test_attrs_check (Fixture *fx, gconstpointer data)
{
	guint n;
	const char *const *builtin = xn_journal_sqlite_migrations (&n);
	const char *refused[] = {
		builtin[0],
		"INSERT INTO facts (ts, kind, subject, source, recorded, attrs) VALUES (0, 'a.b', 's', 'p', 0, '[1]')",
	};
	const char *slipped[] = {
		builtin[0],
		"PRAGMA ignore_check_constraints = ON;"
		"INSERT INTO facts (ts, kind, subject, source, recorded, attrs) VALUES (0, 'a.b', 's', 'p', 0, '[1]')",
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(XnJournal) journal = NULL;
	g_autoptr(XnFact) before = make_fact (1, "node/a");
	g_autoptr(XnFact) after = make_printed_fact (2, "node/a");
	XnJournalBackend *backend;

	g_assert_null (xn_journal_sqlite_open_with (fx->path, XN_JOURNAL_OPEN_CREATE, refused, 2, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_STORAGE);
	g_assert_nonnull (strstr (error->message, "CHECK constraint failed"));
	g_clear_error (&error);
	backend = xn_journal_sqlite_open_with (fx->path, XN_JOURNAL_OPEN_CREATE, slipped, 2, &error);
	g_assert_no_error (error);
	journal = xn_journal_new_for_backend (&xn_journal_sqlite_ops, backend, fx->path);
	g_assert_true (xn_journal_append (journal, before, &error));
	g_assert_no_error (error);
	g_assert_false (xn_journal_check (journal, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_STORAGE);
	g_assert_nonnull (strstr (error->message, "integrity check failed"));
	g_assert_nonnull (strstr (error->message, "CHECK constraint failed"));
	g_clear_error (&error);
	/* appends go on after the check */
	g_assert_true (xn_journal_append (journal, after, &error));
	g_assert_no_error (error);
	g_assert_cmpint (after->seq, ==, 3);
	g_assert_cmpint (count_facts (journal), ==, 3);
}

static void
test_migrations (Fixture *fx, gconstpointer data)
{
	guint n;
	const char *const *builtin = xn_journal_sqlite_migrations (&n);
	const char *steps[] = {
		builtin[0],
		"INSERT INTO facts (ts, kind, subject, source, recorded, attrs)"
		" VALUES (0, 'schema.migrated', 'journal', 'migration', 0, '{\"to\":2}')",
		"INSERT INTO facts (ts, kind, subject, source, recorded, attrs)"
		" VALUES (0, 'schema.migrated', 'journal', 'migration', 0, '{\"to\":3}'); this is not SQL",
		"DELETE FROM facts",
	};
	g_autoptr(GError) error = NULL;
	XnJournalBackend *backend;
	XnJournalStats stats;

	/* Up to version 1 only, then the second step on a later open, once. */
	for (guint upto = 1; upto <= 2; upto++) {
		for (int again = 0; again < 2; again++) {
			g_autoptr(XnJournal) journal = NULL;

			backend = xn_journal_sqlite_open_with (fx->path, XN_JOURNAL_OPEN_CREATE, steps, upto, &error);
			g_assert_no_error (error);
			journal = xn_journal_new_for_backend (&xn_journal_sqlite_ops, backend, fx->path);
			g_assert_true (xn_journal_stats (journal, &stats, &error));
			g_assert_cmpuint (stats.schema_version, ==, upto);
			g_assert_cmpint (stats.count, ==, upto - 1);
		}
	}
	/* A failing step leaves no trace, not even the part before the error. */
	g_assert_null (xn_journal_sqlite_open_with (fx->path, 0, steps, 3, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_STORAGE);
	g_assert_true (g_str_has_prefix (error->message, "schema migration 2 to 3: "));
	g_clear_error (&error);
	/* Facts cannot be deleted, not even by a migration. */
	{
		const char *with_delete[] = { steps[0], steps[1], steps[3] };

		g_assert_null (xn_journal_sqlite_open_with (fx->path, 0, with_delete, 3, &error));
		g_assert_nonnull (strstr (error->message, "facts are append-only"));
		g_clear_error (&error);
	}
	/* This program knows version 1; the file is at 2. */
	g_assert_null (xn_journal_open (fx->path, XN_JOURNAL_OPEN_EXISTING, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_STORAGE);
	{
		g_autofree char *expected = g_strdup_printf (
			"%s: schema version 2 is newer than this program knows (1); use a newer extranoc", fx->path);

		g_assert_cmpstr (error->message, ==, expected);
	}
	g_clear_error (&error);
	backend = xn_journal_sqlite_open_with (fx->path, 0, steps, 2, &error);
	g_assert_no_error (error);
	{
		g_autoptr(XnJournal) journal = xn_journal_new_for_backend (&xn_journal_sqlite_ops, backend, fx->path);
		g_autoptr(GPtrArray) facts = read_all (journal);

		g_assert_cmpuint (facts->len, ==, 1);
		g_assert_cmpstr (((XnFact *) g_ptr_array_index (facts, 0))->kind, ==, "schema.migrated");
		g_assert_true (xn_journal_check (journal, &error));
	}
}

static void
test_corruption_detected (Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *bytes = NULL;
	gsize len = 0;

	{
		g_autoptr(XnJournal) journal = open_ok (fx->path, XN_JOURNAL_OPEN_CREATE);

		for (gint64 i = 0; i < 300; i++) {
			g_autoptr(XnFact) fact = make_fact (i, "node/a");

			g_assert_true (xn_journal_append (journal, fact, &error));
		}
	}
	/* Closing the last connection checkpoints the WAL into the main file. */
	g_assert_true (g_file_get_contents (fx->path, &bytes, &len, NULL));
	g_assert_cmpuint (len, >, 5 * 4096);
	memset (bytes + 2 * 4096, 0xa5, 2 * 4096);
	g_assert_true (g_file_set_contents (fx->path, bytes, len, NULL));
	{
		g_autoptr(XnJournal) journal = xn_journal_open (fx->path, 0, &error);
		gboolean checked = journal != NULL && xn_journal_check (journal, &error);

		g_assert_false (checked);
		g_assert_error (error, XN_ERROR, XN_ERROR_STORAGE);
		g_test_message ("corruption reported as: %s", error->message);
	}
}

/* A writer appends batches of facts that say which batch they belong to,
 * how big it is and where they sit in it, with padding large enough that a
 * transaction takes a while; before and after each append it notes the batch
 * on a pipe, so the parent knows which appends had returned when it killed. */
static XnFact *
batch_fact (gint64 batch, guint size, guint index, guint pad_len)
{
	g_autoptr(JsonObject) attrs = json_object_new ();
	g_autofree char *pad = g_strnfill (pad_len, (char) ('a' + (batch + index) % 26));

	json_object_set_int_member (attrs, "batch", batch);
	json_object_set_int_member (attrs, "size", size);
	json_object_set_int_member (attrs, "index", index);
	json_object_set_int_member (attrs, "pad_len", pad_len);
	json_object_set_string_member (attrs, "pad", pad);
	return xn_fact_new (T0 + batch, "test.batch", "node/crash", "test", T0, attrs);
}

static void
note (int fd, char what, gint64 batch)
{
	char buf[32];
	int n = g_snprintf (buf, sizeof buf, "%c %" G_GINT64_FORMAT "\n", what, batch);

	if (write (fd, buf, n) != n)
		_exit (3);
}

G_GNUC_NORETURN static void
crash_writer (const char *path, guint round, int notes)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GRand) rand = g_rand_new_with_seed (round);
	XnJournal *journal = xn_journal_open (path, XN_JOURNAL_OPEN_CREATE, &error);

	if (journal == NULL) {
		g_printerr ("writer: %s\n", error->message);
		_exit (2);
	}
	for (gint64 batch = (gint64) round * 1000000;; batch++) {
		guint size = batch % 3 == 0 ? 1 : (guint) g_rand_int_range (rand, 2, 9);
		g_autoptr(GPtrArray) facts = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
		gboolean ok;

		for (guint i = 0; i < size; i++)
			g_ptr_array_add (facts, batch_fact (batch, size, i, g_rand_int_range (rand, 1000, 60000)));
		note (notes, 'S', batch);
		ok = size == 1 ? xn_journal_append (journal, g_ptr_array_index (facts, 0), &error)
			       : xn_journal_append_batch (journal, facts, &error);
		if (!ok) {
			g_printerr ("writer: %s\n", error->message);
			_exit (2);
		}
		note (notes, 'D', batch);
	}
}

static gint64
attr_int (const XnFact *fact, const char *name)
{
	JsonNode *node = json_object_get_member (fact->attrs, name);

	g_assert_nonnull (node);
	g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
	return json_node_get_int (node);
}

/* Checks the facts after *verified (whole batches, contiguous seqs, intact
 * padding), adds their batch ids to present and moves *verified on. */
static void
verify_batches (const char *path, gint64 *verified, GHashTable *present)
{
	g_autoptr(XnJournal) journal = open_ok (path, XN_JOURNAL_OPEN_CREATE);
	g_autoptr(GPtrArray) facts = NULL;
	g_autoptr(GError) error = NULL;
	guint i = 0;

	g_assert_true (xn_journal_check (journal, &error));
	g_assert_no_error (error);
	g_assert_true (xn_journal_read (journal, *verified, 0, &facts, &error));
	while (i < facts->len) {
		const XnFact *first = g_ptr_array_index (facts, i);
		gint64 batch = attr_int (first, "batch");
		gint64 size = attr_int (first, "size");

		g_assert_cmpint (attr_int (first, "index"), ==, 0);
		g_assert_cmpuint (i + size, <=, facts->len);
		for (gint64 j = 0; j < size; j++) {
			const XnFact *fact = g_ptr_array_index (facts, i + j);
			const char *pad = json_object_get_string_member (fact->attrs, "pad");
			char want = (char) ('a' + (batch + j) % 26);

			g_assert_cmpint (fact->seq, ==, *verified + 1);
			*verified = fact->seq;
			g_assert_cmpint (attr_int (fact, "batch"), ==, batch);
			g_assert_cmpint (attr_int (fact, "size"), ==, size);
			g_assert_cmpint (attr_int (fact, "index"), ==, j);
			g_assert_cmpuint (strlen (pad), ==, attr_int (fact, "pad_len"));
			for (const char *p = pad; *p != '\0'; p++)
				g_assert_cmpint (*p, ==, want);
		}
		g_assert_false (g_hash_table_contains (present, &batch));
		g_hash_table_add (present, g_memdup2 (&batch, sizeof batch));
		i += size;
	}
}

static void
test_crash_safe (Fixture *fx, gconstpointer data)
{
	g_autoptr(GHashTable) present = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
	guint interrupted = 0;
	gint64 verified = 0;

	for (guint round = 1; round <= 20; round++) {
		g_autoptr(GString) notes = g_string_new (NULL);
		g_auto(GStrv) lines = NULL;
		gint64 started = -1;
		gboolean done = FALSE;
		int fds[2], status = 0;
		char buf[4096];
		ssize_t n;
		pid_t pid;

		g_assert_cmpint (pipe (fds), ==, 0);
		pid = fork ();
		g_assert_cmpint (pid, >=, 0);
		if (pid == 0) {
			close (fds[0]);
			crash_writer (fx->path, round, fds[1]);
		}
		close (fds[1]);
		g_usleep (g_test_rand_int_range (5000, 150000));
		kill (pid, SIGKILL);
		g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
		/* A writer that stopped on its own failed: its message is on stderr. */
		g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
		while ((n = read (fds[0], buf, sizeof buf)) > 0)
			g_string_append_len (notes, buf, n);
		close (fds[0]);

		verify_batches (fx->path, &verified, present);
		lines = g_strsplit (notes->str, "\n", -1);
		for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++) {
			gint64 batch = g_ascii_strtoll (lines[i] + 2, NULL, 10);

			/* Every append that returned is there: durable at return. */
			if (lines[i][0] == 'D')
				g_assert_true (g_hash_table_contains (present, &batch));
			started = batch;
			done = lines[i][0] == 'D';
		}
		if (started >= 0 && !done)
			interrupted++;
		g_test_message ("round %u: %" G_GINT64_FORMAT " facts so far, killed %s",
				round, verified, started >= 0 && !done ? "during an append" : "between appends");
	}
	/* The test means something only if kills landed inside appends. */
	g_assert_cmpuint (interrupted, >, 0);
	g_assert_cmpint (verified, >, 0);
}

/* The other writer: a second connection that holds BEGIN IMMEDIATE. */
static XnJournalBackend *
lock_holder (const char *path)
{
	g_autoptr(GError) error = NULL;
	guint n_steps;
	const char *const *steps = xn_journal_sqlite_migrations (&n_steps);
	XnJournalBackend *other = xn_journal_sqlite_open_with (path, XN_JOURNAL_OPEN_EXISTING, steps, n_steps, &error);

	g_assert_no_error (error);
	g_assert_true (xn_journal_sqlite_hold_lock (other, TRUE, &error));
	g_assert_no_error (error);
	return other;
}

static gpointer
release_later (gpointer data)
{
	g_autoptr(GError) error = NULL;

	g_usleep (300 * 1000);
	g_assert_true (xn_journal_sqlite_hold_lock (data, FALSE, &error));
	g_assert_no_error (error);
	return NULL;
}

static void
test_busy (Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnJournal) quick = open_ok (fx->path, XN_JOURNAL_OPEN_CREATE | XN_JOURNAL_OPEN_SHORT_WAIT);
	g_autoptr(XnJournal) patient = open_ok (fx->path, XN_JOURNAL_OPEN_EXISTING);
	g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
	g_autoptr(GPtrArray) back = NULL;
	XnJournalBackend *other = lock_holder (fx->path);
	g_autoptr(XnJournal) other_journal = xn_journal_new_for_backend (&xn_journal_sqlite_ops, other, fx->path);
	GThread *releaser;
	gint64 t;

	for (gint64 i = 1; i <= 3; i++)
		g_ptr_array_add (batch, make_fact (i, "node/county-a"));
	/* Busy, at once rather than after ten seconds, and nothing appended. */
	t = g_get_monotonic_time ();
	g_assert_cmpint (xn_journal_try_append_batch (quick, batch, &error), ==, XN_JOURNAL_BUSY);
	g_assert_cmpint (g_get_monotonic_time () - t, <, 2 * G_USEC_PER_SEC);
	g_assert_error (error, XN_ERROR, XN_ERROR_STORAGE);
	g_assert_true (g_str_has_prefix (error->message, fx->path));
	g_assert_nonnull (strstr (error->message, ": another writer holds the journal's lock (waited 20 ms)"));
	g_clear_error (&error);
	g_assert_false (xn_journal_append_batch (quick, batch, &error));
	g_clear_error (&error);
	for (guint i = 0; i < batch->len; i++)
		g_assert_cmpint (((XnFact *) g_ptr_array_index (batch, i))->seq, ==, 0);
	g_assert_cmpint (count_facts (quick), ==, 0);

	/* Free again: the same batch goes in, whole and in order. */
	g_assert_true (xn_journal_sqlite_hold_lock (other, FALSE, &error));
	g_assert_cmpint (xn_journal_try_append_batch (quick, batch, &error), ==, XN_JOURNAL_APPENDED);
	g_assert_no_error (error);

	/* Without the short wait an append waits for the lock to be given back. */
	g_assert_true (xn_journal_sqlite_hold_lock (other, TRUE, &error));
	g_assert_no_error (error);
	releaser = g_thread_new ("release", release_later, other);
	g_ptr_array_add (batch, make_fact (4, "node/county-a"));
	g_ptr_array_remove_range (batch, 0, 3);
	t = g_get_monotonic_time ();
	g_assert_cmpint (xn_journal_try_append_batch (patient, batch, &error), ==, XN_JOURNAL_APPENDED);
	g_assert_no_error (error);
	g_assert_cmpint (g_get_monotonic_time () - t, >=, 200 * 1000);
	g_thread_join (releaser);

	back = read_all (patient);
	g_assert_cmpuint (back->len, ==, 4);
	for (guint i = 0; i < back->len; i++) {
		const XnFact *fact = g_ptr_array_index (back, i);

		g_assert_cmpint (fact->seq, ==, i + 1);
		g_assert_cmpint (fact->ts, ==, T0 + (i + 1) * G_USEC_PER_SEC);
	}
}

#define PER_WRITER 150

G_GNUC_NORETURN static void
concurrent_writer (const char *path, gint64 w)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *subject = g_strdup_printf ("node/writer-%" G_GINT64_FORMAT, w);
	XnJournal *journal = xn_journal_open (path, XN_JOURNAL_OPEN_CREATE, &error);

	for (gint64 i = 0; journal != NULL && i < PER_WRITER;) {
		g_autoptr(GPtrArray) facts = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
		gint64 size = MIN (i % 2 ? 3 : 1, PER_WRITER - i);

		for (gint64 j = 0; j < size; j++, i++) {
			g_autoptr(JsonObject) attrs = json_object_new ();

			json_object_set_int_member (attrs, "writer", w);
			json_object_set_int_member (attrs, "i", i);
			g_ptr_array_add (facts, xn_fact_new (T0 + i, "test.concurrent", subject, "test", T0, attrs));
		}
		if (!xn_journal_append_batch (journal, facts, &error))
			break;
	}
	if (error != NULL) {
		g_printerr ("writer %" G_GINT64_FORMAT ": %s\n", w, error->message);
		_exit (1);
	}
	xn_journal_close (journal);
	_exit (0);
}

static void
test_concurrent_writers (Fixture *fx, gconstpointer data)
{
	g_autoptr(XnJournal) journal = NULL;
	g_autoptr(GPtrArray) facts = NULL;
	gint64 next[2] = { 0, 0 };
	pid_t pids[2];
	int go[2];

	/* Both start together on a file that does not exist yet. */
	g_assert_cmpint (pipe (go), ==, 0);
	for (gint64 w = 0; w < 2; w++) {
		pids[w] = fork ();
		g_assert_cmpint (pids[w], >=, 0);
		if (pids[w] == 0) {
			char c;

			close (go[1]);
			if (read (go[0], &c, 1) != 0)
				_exit (4);
			concurrent_writer (fx->path, w);
		}
	}
	close (go[0]);
	close (go[1]);
	for (int w = 0; w < 2; w++) {
		int status = 0;

		g_assert_cmpint (waitpid (pids[w], &status, 0), ==, pids[w]);
		g_assert_true (WIFEXITED (status));
		g_assert_cmpint (WEXITSTATUS (status), ==, 0);
	}
	journal = open_ok (fx->path, XN_JOURNAL_OPEN_EXISTING);
	facts = read_all (journal);
	g_assert_cmpuint (facts->len, ==, 2 * PER_WRITER);
	for (guint k = 0; k < facts->len; k++) {
		const XnFact *fact = g_ptr_array_index (facts, k);
		gint64 w = attr_int (fact, "writer");

		g_assert_cmpint (fact->seq, ==, k + 1);
		g_assert_true (w == 0 || w == 1);
		g_assert_cmpint (attr_int (fact, "i"), ==, next[w]);
		next[w]++;
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
	ADD ("/journal/append-reopen", test_append_reopen);
	ADD ("/journal/batch-all-or-nothing", test_batch_all_or_nothing);
	ADD ("/journal/read-after-limit", test_read_after_limit);
	ADD ("/journal/read-back-own", test_read_back_own);
	ADD ("/journal/snapshot-read", test_snapshot_read);
	ADD ("/journal/export-import-round-trip", test_export_import_round_trip);
	ADD ("/journal/import-errors", test_import_errors);
	ADD ("/journal/locations", test_locations);
	ADD ("/journal/migrations", test_migrations);
	ADD ("/journal/attrs-check", test_attrs_check);
	ADD ("/journal/corruption-detected", test_corruption_detected);
	ADD ("/journal/busy", test_busy);
	ADD ("/journal/crash-safe", test_crash_safe);
	ADD ("/journal/concurrent-writers", test_concurrent_writers);
#undef ADD
	return g_test_run ();
}

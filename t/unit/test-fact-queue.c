/* test-fact-queue.c — the collector's way into the journal
 * (collector/fact-queue.c): facts go in arrival order in one batch once
 * the delay is over or at once at the batch size, and a fact the journal
 * refuses as invalid is dropped without holding back those around it. */
#include "fact-queue.h"
#include "xn-error.h"

#include "test-util.h"

#include <glib/gstdio.h>

typedef struct {
	char      *dir;
	XnJournal *journal;
} Fixture;

static void
set_up (Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = NULL;

	f->dir = g_dir_make_tmp ("test-fact-queue-XXXXXX", &error);
	g_assert_no_error (error);
	path = g_build_filename (f->dir, "journal.db", NULL);
	f->journal = xn_journal_open (path, XN_JOURNAL_OPEN_CREATE | XN_JOURNAL_OPEN_SHORT_WAIT, &error);
	g_assert_no_error (error);
}

static void
tear_down (Fixture *f, gconstpointer data)
{
	g_autofree char *path = g_build_filename (f->dir, "journal.db", NULL);
	g_autofree char *wal = g_strconcat (path, "-wal", NULL);
	g_autofree char *shm = g_strconcat (path, "-shm", NULL);

	xn_journal_close (f->journal);
	g_unlink (wal);
	g_unlink (shm);
	g_unlink (path);
	g_rmdir (f->dir);
	g_free (f->dir);
}

static XnFact *
fact (const char *kind, guint n)
{
	g_autofree char *subject = g_strdup_printf ("node/n%u", n);

	return xn_fact_new (1735689600000000 + n, kind, subject, "collector", 1735689600000000 + n, NULL);
}

static GPtrArray *
journal_facts (Fixture *f)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *facts = NULL;

	g_assert_true (xn_journal_read (f->journal, 0, 0, &facts, &error));
	g_assert_no_error (error);
	return facts;
}

static gboolean
quit (gpointer loop)
{
	g_main_loop_quit (loop);
	return G_SOURCE_REMOVE;
}

static void
test_delay_and_batch (Fixture *f, gconstpointer data)
{
	g_autoptr(XnFactQueue) q = xn_fact_queue_new (f->journal);
	g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
	g_autoptr(GPtrArray) facts = NULL;

	for (guint i = 0; i < 3; i++)
		xn_fact_queue_push (q, fact ("trap.other", i));
	/* nothing before the delay */
	facts = journal_facts (f);
	g_assert_cmpuint (facts->len, ==, 0);
	g_clear_pointer (&facts, g_ptr_array_unref);
	g_timeout_add (XN_FACT_QUEUE_DELAY_MS * 3, quit, loop);
	g_main_loop_run (loop);
	facts = journal_facts (f);
	g_assert_cmpuint (facts->len, ==, 3);
	g_assert_cmpuint (xn_fact_queue_appended (q), ==, 3);
	g_clear_pointer (&facts, g_ptr_array_unref);
	/* a full batch goes at once, in order */
	for (guint i = 3; i < 3 + XN_FACT_QUEUE_BATCH; i++)
		xn_fact_queue_push (q, fact ("trap.other", i));
	g_assert_cmpuint (xn_fact_queue_pending (q), ==, 0);
	facts = journal_facts (f);
	g_assert_cmpuint (facts->len, ==, 3 + XN_FACT_QUEUE_BATCH);
	for (guint i = 0; i < facts->len; i++) {
		g_autofree char *subject = g_strdup_printf ("node/n%u", i);

		g_assert_cmpstr (((XnFact *) g_ptr_array_index (facts, i))->subject, ==, subject);
	}
	g_assert_cmpuint (xn_fact_queue_finish (q, 1), ==, 0);
}

static void
test_invalid_dropped (Fixture *f, gconstpointer data)
{
	g_autoptr(XnFactQueue) q = xn_fact_queue_new (f->journal);
	g_autoptr(GPtrArray) facts = NULL;
	const XnTestWarnings *logged = data;
	guint before = logged->warnings;

	xn_fact_queue_push (q, fact ("trap.other", 1));
	xn_fact_queue_push (q, fact ("Not A Kind", 2));
	xn_fact_queue_push (q, fact ("trap.other", 3));
	g_assert_cmpuint (xn_fact_queue_finish (q, 1), ==, 0);
	g_assert_cmpuint (logged->warnings, ==, before + 1);
	g_assert_true (g_str_has_prefix (logged->last->str, "Not A Kind node/n2 is not recorded: kind "));
	facts = journal_facts (f);
	g_assert_cmpuint (facts->len, ==, 2);
	g_assert_cmpstr (((XnFact *) g_ptr_array_index (facts, 0))->subject, ==, "node/n1");
	g_assert_cmpstr (((XnFact *) g_ptr_array_index (facts, 1))->subject, ==, "node/n3");
}

int
main (int argc, char **argv)
{
	XnTestWarnings logged = { 0, g_string_new (NULL) };
	int status;

	g_test_init (&argc, &argv, NULL);
	g_log_set_writer_func (xn_test_keep_warnings, &logged, NULL);
	g_test_add ("/fact-queue/delay-and-batch", Fixture, NULL, set_up, test_delay_and_batch, tear_down);
	g_test_add ("/fact-queue/invalid-dropped", Fixture, &logged, set_up, test_invalid_dropped, tear_down);
	status = g_test_run ();
	g_string_free (logged.last, TRUE);
	return status;
}

/* journal.c — the backend-neutral journal: location, validation, import rules.
 *
 * This file picks the backend from the location, validates facts before any
 * backend sees them, turns the JSON-lines form into appends and back, and
 * gives every error its context (the location, or the imported file and line).
 * It holds no SQL: each backend implements journal-backend.h, so a PostgreSQL
 * store can be added without touching callers. Import reads and checks the
 * whole stream in memory before the one transaction that applies it.
 *
 * A process often reads back what it appended itself (the collector follows
 * the journal it writes to), so a journal that has been read keeps a copy of
 * the facts it appends from then on, in seq order, until a read in seq order
 * has passed them or RECENT_MAX are kept; a read hands out a copy for a row
 * that agrees with it instead of parsing the row again. Rows from other
 * processes, and anything read after the copies are gone, are read from the
 * store as ever: the copies save work and change nothing that is read. */
#include "journal-backend.h"
#include "xn-error.h"

#include <string.h>

/* Facts kept for reading back: at about 5 KB each (a trap's), some 40 MB
 * at most, and room for a few tenths of a second of a trap storm between
 * two reads of a follower (collector/follow.c reads every 0.1 s while facts
 * come). A reader that falls further behind parses the rest. */
#define RECENT_MAX 8192

struct _XnJournal {
	const XnJournalBackendOps *ops;
	XnJournalBackend *backend;
	char *location;
	GQueue recent;          /* XnFact* appended here, seqs increasing */
	gboolean read;          /* a reader follows it: appends are worth keeping */
};

XnJournal *
xn_journal_new_for_backend (const XnJournalBackendOps *ops, XnJournalBackend *backend,
			    const char *location)
{
	XnJournal *journal = g_new0 (XnJournal, 1);

	journal->ops = ops;
	journal->backend = backend;
	journal->location = g_strdup (location);
	return journal;
}

XnJournal *
xn_journal_open (const char *location, XnJournalOpenFlags flags, GError **error)
{
	XnJournalBackend *backend;

	if (location == NULL || *location == '\0') {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "the journal location is empty");
		return NULL;
	}
	if (g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://")) {
		g_set_error (error, XN_ERROR, XN_ERROR_FAILED,
			     "%s: PostgreSQL journals are not supported yet", location);
		return NULL;
	}
	if (strstr (location, "://") != NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "%s: unknown kind of journal location (a file path means SQLite)", location);
		return NULL;
	}
	backend = xn_journal_sqlite_ops.open (location, flags, error);
	if (backend == NULL) {
		g_prefix_error (error, "%s: ", location);
		return NULL;
	}
	return xn_journal_new_for_backend (&xn_journal_sqlite_ops, backend, location);
}

void
xn_journal_close (XnJournal *journal)
{
	if (journal == NULL)
		return;
	journal->ops->close (journal->backend);
	g_queue_clear_full (&journal->recent, (GDestroyNotify) xn_fact_free);
	g_free (journal->location);
	g_free (journal);
}

const char *
xn_journal_get_location (XnJournal *journal)
{
	return journal->location;
}

static gboolean
fail_at_location (XnJournal *journal, GError **error)
{
	g_prefix_error (error, "%s: ", journal->location);
	return FALSE;
}

gboolean
xn_journal_append (XnJournal *journal, XnFact *fact, GError **error)
{
	g_autoptr(GPtrArray) one = g_ptr_array_new ();

	g_ptr_array_add (one, fact);
	return xn_journal_append_batch (journal, one, error);
}

gboolean
xn_journal_append_batch (XnJournal *journal, GPtrArray *facts, GError **error)
{
	return xn_journal_try_append_batch (journal, facts, error) == XN_JOURNAL_APPENDED;
}

static void
remember (XnJournal *journal, GPtrArray *facts)
{
	/* a writer that never reads (the poller) keeps nothing */
	if (journal->ops->foreach_known == NULL || !journal->read)
		return;
	for (guint i = facts->len > RECENT_MAX ? facts->len - RECENT_MAX : 0; i < facts->len; i++)
		g_queue_push_tail (&journal->recent, xn_fact_copy (g_ptr_array_index (facts, i)));
	while (journal->recent.length > RECENT_MAX)
		xn_fact_free (g_queue_pop_head (&journal->recent));
}

/* Reads go in seq order, so the copies below a seq asked for will not be
 * asked for again (a reader that starts further back reads the store). */
static const XnFact *
recent_lookup (gint64 seq, gpointer user_data)
{
	XnJournal *journal = user_data;
	XnFact *head;

	while ((head = g_queue_peek_head (&journal->recent)) != NULL && head->seq < seq)
		xn_fact_free (g_queue_pop_head (&journal->recent));
	return head != NULL && head->seq == seq ? head : NULL;
}

/* "fact 3 of 500", or "fact" alone: only for an error, so not for every fact. */
static char *
which_fact (guint i, guint n)
{
	return n > 1 ? g_strdup_printf ("fact %u of %u", i + 1, n) : g_strdup ("fact");
}

XnJournalAppendResult
xn_journal_try_append_batch (XnJournal *journal, GPtrArray *facts, GError **error)
{
	g_autoptr(GPtrArray) printed = g_ptr_array_new_full (facts->len + 1, g_free);
	gboolean busy = FALSE;
	gboolean ok;

	for (guint i = 0; i < facts->len; i++) {
		const XnFact *fact = g_ptr_array_index (facts, i);
		char *attrs = NULL;

		if (fact->seq != 0) {
			g_autofree char *which = which_fact (i, facts->len);

			g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
				     "%s: %s is already in a journal (seq %" G_GINT64_FORMAT ")",
				     journal->location, which, fact->seq);
			return XN_JOURNAL_FAILED;
		}
		if (!xn_fact_validate_print_attrs (fact, &attrs, error)) {
			g_autofree char *which = which_fact (i, facts->len);

			g_prefix_error (error, "%s: %s: ", journal->location, which);
			return XN_JOURNAL_FAILED;
		}
		g_ptr_array_add (printed, attrs);
	}
	if (facts->len == 0)
		return XN_JOURNAL_APPENDED;
	if (journal->ops->append_printed != NULL)
		ok = journal->ops->append_printed (journal->backend, facts, (char **) printed->pdata, &busy, error);
	else
		ok = journal->ops->append (journal->backend, facts, FALSE, &busy, error);
	if (!ok) {
		fail_at_location (journal, error);
		return busy ? XN_JOURNAL_BUSY : XN_JOURNAL_FAILED;
	}
	remember (journal, facts);
	return XN_JOURNAL_APPENDED;
}

gboolean
xn_journal_last_seq (XnJournal *journal, gint64 *last_seq, GError **error)
{
	if (!journal->ops->last_seq (journal->backend, last_seq, error))
		return fail_at_location (journal, error);
	return TRUE;
}

typedef struct {
	XnFactFunc func;
	gpointer user_data;
	gboolean func_failed;
} Walk;

static gboolean
walk_step (const XnFact *fact, gpointer user_data, GError **error)
{
	Walk *walk = user_data;

	if (walk->func (fact, walk->user_data, error))
		return TRUE;
	walk->func_failed = TRUE;
	return FALSE;
}

gboolean
xn_journal_foreach (XnJournal *journal, gint64 after_seq, guint limit,
		    XnFactFunc func, gpointer user_data, GError **error)
{
	Walk walk = { func, user_data, FALSE };
	gboolean ok;

	journal->read = TRUE;
	if (journal->ops->foreach_known != NULL)
		ok = journal->ops->foreach_known (journal->backend, after_seq, limit, recent_lookup, journal,
						  walk_step, &walk, error);
	else
		ok = journal->ops->foreach (journal->backend, after_seq, limit, walk_step, &walk, error);
	if (ok)
		return TRUE;
	/* The caller's own errors come back as the caller made them. */
	return walk.func_failed ? FALSE : fail_at_location (journal, error);
}

static gboolean
collect (const XnFact *fact, gpointer user_data, GError **error)
{
	g_ptr_array_add (user_data, xn_fact_copy (fact));
	return TRUE;
}

gboolean
xn_journal_read (XnJournal *journal, gint64 after_seq, guint limit,
		 GPtrArray **facts, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);

	if (!xn_journal_foreach (journal, after_seq, limit, collect, out, error))
		return FALSE;
	*facts = g_steal_pointer (&out);
	return TRUE;
}

typedef struct {
	GOutputStream *output;
	guint64 count;
} Export;

static gboolean
export_one (const XnFact *fact, gpointer user_data, GError **error)
{
	Export *export = user_data;

	if (!xn_fact_write (fact, export->output, error))
		return FALSE;
	export->count++;
	return TRUE;
}

gboolean
xn_journal_export (XnJournal *journal, GOutputStream *output, gint64 after_seq,
		   guint64 *n_exported, GError **error)
{
	Export export = { output, 0 };

	if (!xn_journal_foreach (journal, after_seq, 0, export_one, &export, error))
		return FALSE;
	if (n_exported != NULL)
		*n_exported = export.count;
	return TRUE;
}

/* Kept seqs must come on every line or on none, and only grow: then the first
 * fact alone decides whether the file fits after the journal's last seq. */
static gboolean
check_import_seqs (GPtrArray *facts, const char *name, GError **error)
{
	gboolean with_seq = facts->len > 0 && ((XnFact *) g_ptr_array_index (facts, 0))->seq != 0;

	for (guint i = 1; i < facts->len; i++) {
		const XnFact *prev = g_ptr_array_index (facts, i - 1);
		const XnFact *fact = g_ptr_array_index (facts, i);

		if ((fact->seq != 0) != with_seq) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
				     "%s:%u: key \"seq\" %s here but %s on line 1 "
				     "(give it on every line or on none)", name, i + 1,
				     with_seq ? "is missing" : "is given", with_seq ? "given" : "missing");
			return FALSE;
		}
		if (with_seq && fact->seq <= prev->seq) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
				     "%s:%u: seq %" G_GINT64_FORMAT " is not above seq %" G_GINT64_FORMAT
				     " of the line before", name, i + 1, fact->seq, prev->seq);
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
xn_journal_import (XnJournal *journal, GInputStream *input, const char *name,
		   XnJournalImportFlags flags, guint64 *n_imported, GError **error)
{
	g_autoptr(GPtrArray) facts = NULL;
	g_autoptr(GError) local = NULL;
	gboolean keep_seq;

	facts = xn_fact_read_all (input, name, error);
	if (facts == NULL)
		return FALSE;
	if (flags & XN_JOURNAL_IMPORT_RENUMBER) {
		for (guint i = 0; i < facts->len; i++)
			((XnFact *) g_ptr_array_index (facts, i))->seq = 0;
	} else if (!check_import_seqs (facts, name, error)) {
		return FALSE;
	}
	keep_seq = facts->len > 0 && ((XnFact *) g_ptr_array_index (facts, 0))->seq != 0;
	if (facts->len > 0 && !journal->ops->append (journal->backend, facts, keep_seq, NULL, &local)) {
		/* A seq conflict is the file's fault, and line 1 carries the first seq. */
		if (keep_seq && g_error_matches (local, XN_ERROR, XN_ERROR_INVALID))
			g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s:1: ", name);
		else
			g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s: ", journal->location);
		return FALSE;
	}
	if (n_imported != NULL)
		*n_imported = facts->len;
	return TRUE;
}

gboolean
xn_journal_stats (XnJournal *journal, XnJournalStats *stats, GError **error)
{
	if (!journal->ops->stats (journal->backend, stats, error))
		return fail_at_location (journal, error);
	return TRUE;
}

gboolean
xn_journal_check (XnJournal *journal, GError **error)
{
	if (!journal->ops->check (journal->backend, error))
		return fail_at_location (journal, error);
	return TRUE;
}

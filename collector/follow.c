/* follow.c — reading the journal after the last seq seen, a chunk per
 * timer tick (see follow.h).
 *
 * Each chunk is one read snapshot (xn_journal_read); seqs only grow and are
 * committed in order (doc/journal.md), so reading "after the last seq" never
 * misses a fact. A read that fails is logged once, with its recovery once,
 * and tried again every XN_FOLLOW_RETRY_MS. Caught up, it looks again every
 * XN_FOLLOW_IDLE_MS (0.1 s), not once a second: the journal keeps the facts
 * this process appended for such a reader (journal.c) for 8,192 facts, and
 * a trap burst that starts while the reader dozes would outrun that in a
 * second, leaving it to parse from SQLite what it could have had for free
 * (a third of a burst's CPU). A look that finds nothing is one indexed
 * query. It does not interpret facts. */
#include "follow.h"

struct _XnFollow {
	XnJournal    *journal;
	XnFollowFunc  func;
	gpointer      user_data;
	gint64        after;
	guint         timer_id;
	gboolean      failing;
};

XnFollow *
xn_follow_new (XnJournal *journal, XnFollowFunc func, gpointer user_data)
{
	XnFollow *f = g_new0 (XnFollow, 1);

	f->journal = journal;
	f->func = func;
	f->user_data = user_data;
	return f;
}

void
xn_follow_free (XnFollow *f)
{
	if (f == NULL)
		return;
	g_clear_handle_id (&f->timer_id, g_source_remove);
	g_free (f);
}

static gboolean on_tick (gpointer user_data);

static void
arm (XnFollow *f, guint ms)
{
	g_clear_handle_id (&f->timer_id, g_source_remove);
	f->timer_id = g_timeout_add (ms, on_tick, f);
}

/* One chunk; how many facts it had (a full chunk: maybe more right away). */
static guint
read_chunk (XnFollow *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) facts = NULL;

	if (!xn_journal_read (f->journal, f->after, XN_FOLLOW_CHUNK, &facts, &error)) {
		if (!f->failing)
			g_warning ("reading the journal after seq %" G_GINT64_FORMAT ": %s; tried again every %u s, "
				   "logged again when it works", f->after, error->message, XN_FOLLOW_RETRY_MS / 1000);
		f->failing = TRUE;
		return 0;
	}
	if (f->failing)
		g_message ("reading the journal works again (after seq %" G_GINT64_FORMAT ")", f->after);
	f->failing = FALSE;
	for (guint i = 0; i < facts->len; i++) {
		const XnFact *fact = g_ptr_array_index (facts, i);

		f->func (fact, f->user_data);
		f->after = fact->seq;
	}
	return facts->len;
}

/* When to read again, after a chunk of n facts. */
static guint
pace (const XnFollow *f, guint n)
{
	if (f->failing)
		return XN_FOLLOW_RETRY_MS;
	return n == XN_FOLLOW_CHUNK ? XN_FOLLOW_BEHIND_MS : XN_FOLLOW_IDLE_MS;
}

static gboolean
on_tick (gpointer user_data)
{
	XnFollow *f = user_data;

	f->timer_id = 0;
	arm (f, pace (f, read_chunk (f)));
	return G_SOURCE_REMOVE;
}

/* The first chunk at once: a short journal is known before the first trap. */
void
xn_follow_start (XnFollow *f)
{
	arm (f, pace (f, read_chunk (f)));
}

void
xn_follow_set_journal (XnFollow *f, XnJournal *journal)
{
	f->journal = journal;
	f->after = 0;
	f->failing = FALSE;
	if (f->timer_id != 0)
		arm (f, 0);
}

gint64
xn_follow_position (const XnFollow *f)
{
	return f->after;
}

/* fact-queue.c — batching facts into the journal without stalling the
 * collector's loop (see fact-queue.h).
 *
 * One batch timer (the delay) and one retry timer (the back-off) on the
 * default main context; at most one of them is armed at a time. While a
 * retry is due, new facts queue behind the waiting ones rather than each
 * push trying a journal known to be busy. The journal's own short wait
 * (XN_JOURNAL_SHORT_WAIT_MS) is the longest an append can hold the loop.
 * This file does not build facts or decide which to keep. */
#include "fact-queue.h"
#include "xn-error.h"

/* A journal that refused facts is tried again after this long, doubling up
 * to the most: soon for a lock held a moment, cheap for one held minutes. */
#define RETRY_FIRST_MS  100
#define RETRY_MAX_MS    5000
/* At the stop, a busy journal is tried again this often. */
#define STOP_RETRY_MS   100

typedef enum {
	HEALTH_OK,
	HEALTH_BUSY,         /* another writer holds its lock */
	HEALTH_FAILING,      /* it refuses appends */
} Health;

struct _XnFactQueue {
	XnJournal *journal;
	GPtrArray *pending;        /* XnFact*, in arrival order */
	Health     health;
	gint64     trouble_since;  /* monotonic µs */
	guint      retry_ms;
	guint      retry_id;
	guint      batch_id;
	gboolean   dropping;       /* dropping the oldest has been said */
	guint64    appended;
	guint64    dropped;
};

XnFactQueue *
xn_fact_queue_new (XnJournal *journal)
{
	XnFactQueue *q = g_new0 (XnFactQueue, 1);

	q->journal = journal;
	q->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
	return q;
}

void
xn_fact_queue_free (XnFactQueue *q)
{
	if (q == NULL)
		return;
	g_clear_handle_id (&q->retry_id, g_source_remove);
	g_clear_handle_id (&q->batch_id, g_source_remove);
	g_ptr_array_unref (q->pending);
	g_free (q);
}

static gboolean
on_retry (gpointer user_data)
{
	XnFactQueue *q = user_data;

	q->retry_id = 0;
	xn_fact_queue_write (q);
	return G_SOURCE_REMOVE;
}

static void
drop_oldest (XnFactQueue *q)
{
	guint n = q->pending->len;

	if (n <= XN_FACT_QUEUE_MAX)
		return;
	if (!q->dropping)
		g_warning ("journal %s: more than %u facts are waiting: the oldest are dropped (counted; logged again "
			   "when the journal takes facts)", xn_journal_get_location (q->journal), XN_FACT_QUEUE_MAX);
	q->dropping = TRUE;
	q->dropped += n - XN_FACT_QUEUE_MAX;
	g_ptr_array_remove_range (q->pending, 0, n - XN_FACT_QUEUE_MAX);
}

/* Logged when the journal's health changes, not at every retry. */
static void
refused (XnFactQueue *q, XnJournalAppendResult result, const GError *error)
{
	Health health = result == XN_JOURNAL_BUSY ? HEALTH_BUSY : HEALTH_FAILING;
	guint n = q->pending->len;

	if (q->health == HEALTH_OK)
		q->trouble_since = g_get_monotonic_time ();
	if (health != q->health) {
		g_autofree char *kept = g_strdup_printf ("%u fact%s kept in memory and appended in order once it %s "
							 "(tried again from every %.1f s to every %u s); logged again "
							 "when they are", n, n == 1 ? " is" : "s are",
							 health == HEALTH_BUSY ? "is free" : "works",
							 RETRY_FIRST_MS / 1000.0, RETRY_MAX_MS / 1000);

		/* another writer's lock is their business, not a fault */
		if (health == HEALTH_BUSY)
			g_message ("%s: %s", error->message, kept);
		else
			g_warning ("%s; %s", error->message, kept);
	}
	q->health = health;
	drop_oldest (q);
	q->retry_ms = q->retry_ms == 0 ? RETRY_FIRST_MS : MIN (2 * q->retry_ms, RETRY_MAX_MS);
	q->retry_id = g_timeout_add (q->retry_ms, on_retry, q);
}

/* The facts pushed are made valid, so they are not checked one by one on
 * the way in (the journal checks them all again); when the journal still
 * refuses one, it must not hold back those after it: it is dropped, said,
 * and the batch tried again. Returns how many were dropped. */
static guint
drop_invalid (XnFactQueue *q)
{
	guint dropped = 0;

	for (guint i = 0; i < q->pending->len;) {
		const XnFact *fact = g_ptr_array_index (q->pending, i);
		g_autoptr(GError) error = NULL;

		if (xn_fact_validate (fact, &error)) {
			i++;
			continue;
		}
		g_warning ("%s %s is not recorded: %s", fact->kind, fact->subject, error->message);
		g_ptr_array_remove_index (q->pending, i);
		dropped++;
	}
	return dropped;
}

void
xn_fact_queue_write (XnFactQueue *q)
{
	g_autoptr(GError) error = NULL;
	XnJournalAppendResult result;
	guint n = q->pending->len;

	g_clear_handle_id (&q->batch_id, g_source_remove);
	if (n == 0 || q->journal == NULL || q->retry_id != 0)
		return;
	result = xn_journal_try_append_batch (q->journal, q->pending, &error);
	if (result == XN_JOURNAL_FAILED && g_error_matches (error, XN_ERROR, XN_ERROR_INVALID) && drop_invalid (q) > 0) {
		xn_fact_queue_write (q);
		return;
	}
	if (result != XN_JOURNAL_APPENDED) {
		refused (q, result, error);
		return;
	}
	if (q->health != HEALTH_OK)
		g_message ("journal %s: appending again after %.1f s; the %u fact%s kept meanwhile %s written",
			   xn_journal_get_location (q->journal), (g_get_monotonic_time () - q->trouble_since) / 1e6,
			   n, n == 1 ? "" : "s", n == 1 ? "is" : "are");
	q->health = HEALTH_OK;
	q->retry_ms = 0;
	q->dropping = FALSE;
	q->appended += n;
	g_ptr_array_set_size (q->pending, 0);
}

static gboolean
on_batch (gpointer user_data)
{
	XnFactQueue *q = user_data;

	q->batch_id = 0;
	xn_fact_queue_write (q);
	return G_SOURCE_REMOVE;
}

void
xn_fact_queue_push (XnFactQueue *q, XnFact *fact)
{
	g_ptr_array_add (q->pending, fact);
	if (q->retry_id != 0) {
		drop_oldest (q);
		return;
	}
	if (q->pending->len >= XN_FACT_QUEUE_BATCH)
		xn_fact_queue_write (q);
	else if (q->batch_id == 0)
		q->batch_id = g_timeout_add (XN_FACT_QUEUE_DELAY_MS, on_batch, q);
}

void
xn_fact_queue_set_journal (XnFactQueue *q, XnJournal *journal)
{
	q->journal = journal;
	g_clear_handle_id (&q->retry_id, g_source_remove);
	q->health = HEALTH_OK;
	q->retry_ms = 0;
	xn_fact_queue_write (q);
}

guint
xn_fact_queue_finish (XnFactQueue *q, guint wait_s)
{
	gint64 until = g_get_monotonic_time () + (gint64) wait_s * G_USEC_PER_SEC;

	/* nothing is left to keep on time: a busy journal is waited for */
	for (;;) {
		g_clear_handle_id (&q->retry_id, g_source_remove);
		xn_fact_queue_write (q);
		if (q->pending->len == 0 || q->health != HEALTH_BUSY || g_get_monotonic_time () >= until)
			break;
		g_usleep (STOP_RETRY_MS * 1000);
	}
	g_clear_handle_id (&q->retry_id, g_source_remove);
	g_clear_handle_id (&q->batch_id, g_source_remove);
	if (q->pending->len > 0 && q->journal != NULL)
		g_warning ("journal %s: %u facts could not be appended and are lost",
			   xn_journal_get_location (q->journal), q->pending->len);
	return q->pending->len;
}

guint
xn_fact_queue_pending (const XnFactQueue *q)
{
	return q->pending->len;
}

guint64
xn_fact_queue_appended (const XnFactQueue *q)
{
	return q->appended;
}

guint64
xn_fact_queue_dropped (const XnFactQueue *q)
{
	return q->dropped;
}

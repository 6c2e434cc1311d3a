/* fact-queue.h — the collector's facts on their way into the journal: in
 * arrival order, in batches, never waiting on the journal in the loop.
 *
 * A fact pushed is appended within XN_FACT_QUEUE_DELAY_MS, together with
 * everything that came meanwhile, or at once when XN_FACT_QUEUE_BATCH are
 * waiting. A journal that is busy (another process holds its write lock
 * past the short wait) or failing keeps the facts waiting, in order, and is
 * tried again on a timer that backs off; its trouble is logged when it
 * starts and when it ends, not at every try. Past XN_FACT_QUEUE_MAX
 * waiting facts the oldest are dropped, and that is logged. */
#pragma once

#include <glib.h>

#include "journal.h"

G_BEGIN_DECLS

#define XN_FACT_QUEUE_DELAY_MS  100
#define XN_FACT_QUEUE_BATCH     500
#define XN_FACT_QUEUE_MAX       200000

typedef struct _XnFactQueue XnFactQueue;

/* Borrows `journal` (opened with XN_JOURNAL_OPEN_SHORT_WAIT). */
XnFactQueue *xn_fact_queue_new (XnJournal *journal);
void         xn_fact_queue_free (XnFactQueue *queue);

/* Takes `fact`. It is not checked here: one the journal refuses as invalid
 * is dropped then (and said), and the others appended. */
void         xn_fact_queue_push (XnFactQueue *queue, XnFact *fact);
/* Appends what waits now, unless a retry is already due later. */
void         xn_fact_queue_write (XnFactQueue *queue);
/* Another journal from now on (a reload): what waits goes there, at once. */
void         xn_fact_queue_set_journal (XnFactQueue *queue, XnJournal *journal);
/* At a stop: appends what waits, trying a busy journal again for up to
 * `wait_s`; returns how many facts could not be appended (and says so). */
guint        xn_fact_queue_finish (XnFactQueue *queue, guint wait_s);

guint        xn_fact_queue_pending (const XnFactQueue *queue);
guint64      xn_fact_queue_appended (const XnFactQueue *queue);
guint64      xn_fact_queue_dropped (const XnFactQueue *queue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnFactQueue, xn_fact_queue_free)

G_END_DECLS

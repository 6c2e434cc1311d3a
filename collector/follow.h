/* follow.h — the collector reading the journal as it grows.
 *
 * From the journal's first fact on, in seq order, a chunk at a time on a
 * timer, every fact goes to the consumer. Today the consumer is the ifIndex
 * map (ifmap.h), which learns from the poller's interface facts; the
 * derivation of outages from the journal (the sla engine) is the next
 * consumer and belongs here: it reads the same facts in the same order and
 * records how far it got. Catching up with a long journal is spread over
 * many turns of the loop, so traps are never kept waiting by it. */
#pragma once

#include <glib.h>

#include "journal.h"

G_BEGIN_DECLS

/* Facts read per turn, and how often: soon again while behind, every
 * XN_FOLLOW_IDLE_MS once caught up, every XN_FOLLOW_RETRY_MS while reading
 * fails. */
#define XN_FOLLOW_CHUNK     2000
#define XN_FOLLOW_BEHIND_MS 20
#define XN_FOLLOW_IDLE_MS   100
#define XN_FOLLOW_RETRY_MS  1000

typedef void (*XnFollowFunc) (const XnFact *fact, gpointer user_data);

typedef struct _XnFollow XnFollow;

/* Borrows `journal`; reads nothing before xn_follow_start(), which reads
 * the first chunk before it returns. */
XnFollow *xn_follow_new (XnJournal *journal, XnFollowFunc func, gpointer user_data);
void      xn_follow_free (XnFollow *follow);
void      xn_follow_start (XnFollow *follow);
/* Another journal (a reload): read from its start. */
void      xn_follow_set_journal (XnFollow *follow, XnJournal *journal);
/* The seq of the last fact handed over (0: none yet). */
gint64    xn_follow_position (const XnFollow *follow);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnFollow, xn_follow_free)

G_END_DECLS

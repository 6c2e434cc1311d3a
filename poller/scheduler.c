/* scheduler.c — per-node due times for extranoc-poller (see scheduler.h).
 *
 * Nodes not in flight sit in one GSequence ordered by due time (then name,
 * so equal times come out in a stable order), which makes "who is due now"
 * and "when is the next one" O(log n) at ten thousand nodes; a hash table
 * finds a node by name. A node's slots are offset + k × interval on the UTC
 * microsecond grid, so they do not depend on when the process started. The
 * offset is FNV-1a of the name, finished with a 64-bit mixer so that names
 * that differ only in their last digits still land far apart. This file does
 * not know what a poll is, and never reads the clock. */
#include "scheduler.h"

#include <string.h>

typedef struct {
	char          *name;
	guint          interval_s;
	gint64         offset_us;
	XnInstant      due;         /* meaningful while not in flight */
	XnInstant      last_started;  /* the start of its last poll; 0 before the first */
	gboolean       in_flight;
	gboolean       failing;
	gboolean       removed;     /* gone, but its poll is still in flight */
	GSequenceIter *iter;        /* in `queue`; NULL while in flight */
} Entry;

struct _XnScheduler {
	guint       jitter_percent;
	gint64      failing_repoll_us;
	GHashTable *nodes;      /* name (the entry's) → Entry */
	GSequence  *queue;      /* Entry not in flight, by due time */
	guint       in_flight;
	guint       n_removed;  /* entries kept only until their poll ends */
};

static void
entry_free (gpointer data)
{
	Entry *entry = data;

	g_free (entry->name);
	g_free (entry);
}

static gint
entry_cmp (gconstpointer a, gconstpointer b, gpointer unused)
{
	const Entry *x = a, *y = b;

	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	return strcmp (x->name, y->name);
}

XnScheduler *
xn_scheduler_new (guint jitter_percent, guint failing_repoll_s)
{
	XnScheduler *scheduler = g_new0 (XnScheduler, 1);

	scheduler->jitter_percent = MIN (jitter_percent, 100);
	scheduler->failing_repoll_us = MAX (failing_repoll_s, 1) * XN_USEC_PER_SEC;
	scheduler->nodes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, entry_free);
	scheduler->queue = g_sequence_new (NULL);
	return scheduler;
}

void
xn_scheduler_free (XnScheduler *scheduler)
{
	if (scheduler == NULL)
		return;
	g_sequence_free (scheduler->queue);
	g_hash_table_unref (scheduler->nodes);
	g_free (scheduler);
}

gint64
xn_scheduler_offset (const char *node, guint interval_s, guint jitter_percent)
{
	guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);
	gint64 span = (gint64) interval_s * XN_USEC_PER_SEC * MIN (jitter_percent, 100) / 100;

	for (const guchar *p = (const guchar *) node; *p != '\0'; p++) {
		h ^= *p;
		h *= G_GUINT64_CONSTANT (0x100000001b3);
	}
	/* splitmix64's finaliser: FNV-1a alone keeps little entropy in its
	 * high bits for short names, and the modulo below uses all of them. */
	h ^= h >> 30;
	h *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
	h ^= h >> 27;
	h *= G_GUINT64_CONSTANT (0x94d049bb133111eb);
	h ^= h >> 31;
	return span > 0 ? (gint64) (h % (guint64) span) : 0;
}

XnInstant
xn_scheduler_slot_after (XnInstant after, guint interval_s, gint64 offset_us)
{
	gint64 interval_us = (gint64) MAX (interval_s, 1) * XN_USEC_PER_SEC;
	gint64 d = after - offset_us;
	/* floor division: instants before 1970 are negative */
	gint64 k = d / interval_us - (d % interval_us < 0 ? 1 : 0);

	return offset_us + (k + 1) * interval_us;
}

static void
enqueue (XnScheduler *scheduler, Entry *entry, XnInstant due)
{
	if (entry->iter != NULL)
		g_sequence_remove (entry->iter);
	entry->due = due;
	entry->iter = g_sequence_insert_sorted (scheduler->queue, entry, entry_cmp, NULL);
}

/* The first slot at or after `from` that is at least half an interval
 * after the node's last poll started: a poll that just answered (a failing
 * node's re-poll, one started late) is not followed by another a moment
 * later, which would tell nothing new and which RRD, keeping whole seconds,
 * could refuse as not later than the last update. */
static XnInstant
next_slot (const Entry *entry, XnInstant from)
{
	gint64 half = (gint64) entry->interval_s * XN_USEC_PER_SEC / 2;

	if (entry->last_started != 0)
		from = MAX (from, entry->last_started + half);
	return xn_scheduler_slot_after (from - 1, entry->interval_s, entry->offset_us);
}

/* When an idle node is next due, seen from `now`: its next slot, or for a
 * failing node the re-poll if that is sooner (`repoll_at`, kept within
 * [now, now + delay] so a reschedule never postpones it). */
static XnInstant
due_from (const XnScheduler *scheduler, const Entry *entry, XnInstant now, XnInstant repoll_at)
{
	XnInstant slot = next_slot (entry, now);

	if (!entry->failing)
		return slot;
	repoll_at = CLAMP (repoll_at, now, now + scheduler->failing_repoll_us);
	return MIN (slot, repoll_at);
}

void
xn_scheduler_reschedule (XnScheduler *scheduler, guint jitter_percent, guint failing_repoll_s,
			 XnInstant now)
{
	GHashTableIter iter;
	Entry *entry;

	scheduler->jitter_percent = MIN (jitter_percent, 100);
	scheduler->failing_repoll_us = MAX (failing_repoll_s, 1) * XN_USEC_PER_SEC;
	g_hash_table_iter_init (&iter, scheduler->nodes);
	while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry)) {
		entry->offset_us = xn_scheduler_offset (entry->name, entry->interval_s, scheduler->jitter_percent);
		if (!entry->in_flight)
			enqueue (scheduler, entry, due_from (scheduler, entry, now, entry->due));
	}
}

void
xn_scheduler_set_node (XnScheduler *scheduler, const char *node, guint interval_s, XnInstant now)
{
	Entry *entry = g_hash_table_lookup (scheduler->nodes, node);

	interval_s = MAX (interval_s, 1);
	/* Back before its last poll ended: it stays in flight until then, so
	 * the node never has two polls at once. */
	if (entry != NULL && entry->removed) {
		entry->removed = FALSE;
		scheduler->n_removed--;
	}
	if (entry != NULL && entry->interval_s == interval_s)
		return;
	if (entry == NULL) {
		entry = g_new0 (Entry, 1);
		entry->name = g_strdup (node);
		g_hash_table_insert (scheduler->nodes, entry->name, entry);
	}
	entry->interval_s = interval_s;
	entry->offset_us = xn_scheduler_offset (node, interval_s, scheduler->jitter_percent);
	if (!entry->in_flight)
		enqueue (scheduler, entry, due_from (scheduler, entry, now, entry->iter != NULL ? entry->due : now));
}

void
xn_scheduler_remove_node (XnScheduler *scheduler, const char *node)
{
	Entry *entry = g_hash_table_lookup (scheduler->nodes, node);

	if (entry == NULL || entry->removed)
		return;
	if (entry->in_flight) {
		entry->removed = TRUE;
		scheduler->n_removed++;
		return;
	}
	g_sequence_remove (entry->iter);
	g_hash_table_remove (scheduler->nodes, node);
}

gboolean
xn_scheduler_has_node (const XnScheduler *scheduler, const char *node)
{
	const Entry *entry = g_hash_table_lookup (scheduler->nodes, node);

	return entry != NULL && !entry->removed;
}

guint
xn_scheduler_n_nodes (const XnScheduler *scheduler)
{
	return g_hash_table_size (scheduler->nodes) - scheduler->n_removed;
}

const char *
xn_scheduler_take_due (XnScheduler *scheduler, XnInstant now)
{
	GSequenceIter *first = g_sequence_get_begin_iter (scheduler->queue);
	Entry *entry;

	if (g_sequence_iter_is_end (first))
		return NULL;
	entry = g_sequence_get (first);
	if (entry->due > now)
		return NULL;
	g_sequence_remove (first);
	entry->iter = NULL;
	entry->in_flight = TRUE;
	scheduler->in_flight++;
	return entry->name;
}

void
xn_scheduler_finished (XnScheduler *scheduler, const char *node, XnInstant started, gboolean failing,
		       XnInstant now)
{
	Entry *entry = g_hash_table_lookup (scheduler->nodes, node);
	XnInstant due;

	if (entry == NULL || !entry->in_flight)
		return;
	entry->in_flight = FALSE;
	scheduler->in_flight--;
	if (entry->removed) {
		scheduler->n_removed--;
		g_hash_table_remove (scheduler->nodes, node);
		return;
	}
	entry->failing = failing;
	entry->last_started = started;
	/* The slot after the one this poll served; if the poll overran it, the
	 * node is due at once rather than a whole interval late. */
	due = next_slot (entry, started);
	if (failing)
		due = MIN (due, now + scheduler->failing_repoll_us);
	enqueue (scheduler, entry, due);
}

XnInstant
xn_scheduler_next_due (const XnScheduler *scheduler)
{
	GSequenceIter *first = g_sequence_get_begin_iter (scheduler->queue);

	if (g_sequence_iter_is_end (first))
		return G_MAXINT64;
	return ((const Entry *) g_sequence_get (first))->due;
}

XnInstant
xn_scheduler_due (const XnScheduler *scheduler, const char *node)
{
	const Entry *entry = g_hash_table_lookup (scheduler->nodes, node);

	return entry != NULL && !entry->in_flight && !entry->removed ? entry->due : G_MAXINT64;
}

guint
xn_scheduler_in_flight (const XnScheduler *scheduler)
{
	return scheduler->in_flight;
}

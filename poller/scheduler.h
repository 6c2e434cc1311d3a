/* scheduler.h — when extranoc-poller polls each node next.
 *
 * Every node is polled at fixed instants on the wall-clock grid of its poll
 * interval, shifted by a per-node offset: a hash of the node's name spread
 * over `jitter` percent of the interval, so ten thousand nodes do not all
 * fall due in the same second, and a restart keeps both the spread and the
 * cadence of the node's RRD files. A node whose last poll failed is polled
 * again `failing-repoll` seconds after that poll ended (or at its regular
 * slot if that comes first), so an outage is confirmed, or a blip cleared,
 * long before the next regular poll. A node handed out is "in flight" and is
 * not handed out again until its poll is reported finished: there are never
 * two polls of one node at once.
 *
 * Pure: every instant is the caller's (XnInstant, UTC µs); nothing here reads
 * the clock, logs or polls. */
#pragma once

#include <glib.h>
#include "xn-time.h"

G_BEGIN_DECLS

typedef struct _XnScheduler XnScheduler;

/* `jitter_percent` 0–100; `failing_repoll_s` at least 1. */
XnScheduler *xn_scheduler_new (guint jitter_percent, guint failing_repoll_s);
void         xn_scheduler_free (XnScheduler *scheduler);

/* New jitter and re-poll delay (a reload), or the same ones after the wall
 * clock jumped: every node not in flight is given its next due time anew
 * from `now`. */
void         xn_scheduler_reschedule (XnScheduler *scheduler, guint jitter_percent,
				      guint failing_repoll_s, XnInstant now);

/* Adds a node, due at its first slot at or after `now`; for a node already
 * known, a changed interval takes effect from `now` (or when its poll in
 * flight ends). `interval_s` at least 1. */
void         xn_scheduler_set_node (XnScheduler *scheduler, const char *node, guint interval_s,
				    XnInstant now);
/* Forgets a node. One in flight is kept, out of sight, until its poll is
 * reported finished; set again meanwhile, it is still in flight. */
void         xn_scheduler_remove_node (XnScheduler *scheduler, const char *node);
gboolean     xn_scheduler_has_node (const XnScheduler *scheduler, const char *node);
guint        xn_scheduler_n_nodes (const XnScheduler *scheduler);

/* The earliest node due at or before `now`, now in flight; NULL when none.
 * The string is the scheduler's, valid until the node is removed. */
const char  *xn_scheduler_take_due (XnScheduler *scheduler, XnInstant now);
/* The poll of `node` that started at `started` ended at `now`; `failing`
 * when it failed or the node still counts as failing. */
void         xn_scheduler_finished (XnScheduler *scheduler, const char *node, XnInstant started,
				    gboolean failing, XnInstant now);

/* The earliest due time of a node not in flight; G_MAXINT64 when none. */
XnInstant    xn_scheduler_next_due (const XnScheduler *scheduler);
/* A node's due time; G_MAXINT64 while in flight or when unknown. */
XnInstant    xn_scheduler_due (const XnScheduler *scheduler, const char *node);
guint        xn_scheduler_in_flight (const XnScheduler *scheduler);

/* The node's offset on its interval's grid, in µs: 0 ≤ offset <
 * interval × jitter / 100 (0 when jitter is 0). A function of the name. */
gint64       xn_scheduler_offset (const char *node, guint interval_s, guint jitter_percent);
/* The first instant > `after` on the node's grid (offset + k × interval). */
XnInstant    xn_scheduler_slot_after (XnInstant after, guint interval_s, gint64 offset_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnScheduler, xn_scheduler_free)

G_END_DECLS

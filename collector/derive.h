/* derive.h — the collector's outages and carrier tickets, derived from the
 * journal as it grows and stored beside it, step by step.
 *
 * An XnDerive holds the ticket engine (sla/ticket.h, which wraps the
 * outage engine of sla/outage.h) and the derived store
 * (storage/derived.h) of one journal. It resumes from the stored snapshot
 * and position, is handed every fact of the journal in seq order (those at
 * or below its position are skipped, so the reader may start from the
 * journal's first fact), and commits a derivation step — the outages and
 * tickets that changed, the outbox messages of the ticket events derived
 * since the last step, the snapshot and the position in one transaction —
 * when asked and there is something new. The engine forgets settled
 * outages and closed tickets once they are stored, so memory and the
 * snapshot follow recent activity. A busy store is "not now": the state
 * stays in memory and the next commit stores it. It reads no wall clock
 * (`now` is given) and owns no timer: the collector's loop decides when
 * to feed, advance and commit, and arms a timer for xn_derive_next_due().
 * The correlation window, the ticket clocks, the NOC contact and the time
 * zone of messages are the policy's. See doc/derived.md ("The collector's
 * loop") and extranoc-collector(8). */
#pragma once

#include <glib.h>

#include "calendar.h"
#include "derived.h"
#include "inventory.h"
#include "journal.h"
#include "policy.h"

G_BEGIN_DECLS

/* After a step that took T, the next is due PACE × T later: steps take at
 * most 1 / (1 + PACE) of the loop's time whatever they cost. A step costs
 * what changed since the last one, so this only holds back the rare costly
 * step (the first after a derivation from the start, a core node's report
 * touching every outage of the last hours). */
#define XN_DERIVE_PACE 4

/* Events older than this when derived are stored as suppressed, until the
 * caller sets [collector] outbox-horizon (xn_derive_set_outbox_horizon). */
#define XN_DERIVE_DEFAULT_HORIZON_S (72 * 3600)

typedef struct _XnDerive XnDerive;

/* Opens (creating as needed) the derived state of the journal at
 * `location` and resumes it with the policy's correlation window (NULL:
 * the default); logs where it resumes, or why it starts again from the
 * journal's start (another topology or window). Borrows `inventory`, which
 * must outlive it or be replaced first (xn_derive_reconfigure). Fails when
 * the store cannot be opened or read. */
XnDerive *xn_derive_open_config (const char *location, const XnInventory *inventory, const XnPolicy *policy,
				 GError **error);
/* xn_derive_open_config() with the default policy. */
XnDerive *xn_derive_open (const char *location, const XnInventory *inventory, GError **error);
/* Frees without committing: xn_derive_commit() first to keep the state. */
void      xn_derive_free (XnDerive *derive);

/* A fact of the journal, in seq order. Facts at or below the position are
 * skipped; one the engine refuses is logged (the first, then counted) and
 * passed over. */
void      xn_derive_feed (XnDerive *derive, const XnFact *fact);
/* Moves the engine's `now` forward (never back), raising the ticket
 * events that fell due meanwhile, each at its own instant; when that
 * changes an outage or a ticket the next commit stores it. `now` is also
 * the clock of xn_derive_set_clock(). Feed the journal's facts first: an
 * acknowledgement not yet read cannot stop a breach. */
void      xn_derive_advance (XnDerive *derive, XnInstant now);
/* When advancing past an instant next raises something with no new fact
 * (a breach level, a ticket's close, a carrier's outage that stops being
 * provisional); G_MAXINT64 when nothing is due. */
XnInstant xn_derive_next_due (XnDerive *derive);
/* The wall clock as the caller read it (never back): a step's messages are
 * created at it, and an event older than the horizon at it is
 * suppressed. Without it, the engine's `now`. */
void      xn_derive_set_clock (XnDerive *derive, XnInstant now);
void      xn_derive_set_outbox_horizon (XnDerive *derive, guint horizon_s);
/* Whether there is something to commit: facts fed, a change of `now` that
 * matters, events not stored, or a step that did not go through. */
gboolean  xn_derive_pending (const XnDerive *derive);
/* Pending, and the pace (XN_DERIVE_PACE) lets a step run now. */
gboolean  xn_derive_due (const XnDerive *derive);
/* One step when something is pending, paced or not: XN_DERIVED_STORED (also when nothing
 * was), XN_DERIVED_BUSY (kept for the next call), XN_DERIVED_FAILED
 * (logged once, with its recovery once; kept for the next call). */
XnDerivedResult xn_derive_commit (XnDerive *derive);

/* Maintenance windows (doc/maintenance.md): judged by `policy`'s notice
 * rules on `calendar`, both borrowed like the inventory (a reload calls it
 * again with the new ones before xn_derive_reconfigure). Without it no
 * window plans anything. */
void      xn_derive_set_maintenance (XnDerive *derive, const XnPolicy *policy, const XnCalendar *calendar);
/* A new configuration (a reload). The same topology and correlation
 * window: the engine carries on, with the policy's ticket clocks for the
 * tickets opened from then on. Another topology or window (the window
 * changes which incident past outages belong to): a new engine from the
 * journal's start, logged once with the reason, and TRUE is returned: the
 * caller must hand over the journal's facts again from its first. */
gboolean  xn_derive_reconfigure (XnDerive *derive, const XnInventory *inventory, const XnPolicy *policy);
/* xn_derive_reconfigure() keeping the window in use. */
gboolean  xn_derive_set_inventory (XnDerive *derive, const XnInventory *inventory);

/* Feeds the facts of `journal` after the position until it is read to its
 * end or `until` (monotonic µs) has passed; returns how many were fed.
 * For the stop, after the last facts are appended. */
guint64   xn_derive_catch_up (XnDerive *derive, XnJournal *journal, gint64 until);

/* The last seq fed (or resumed from), and the last seq committed. */
gint64    xn_derive_position (const XnDerive *derive);
gint64    xn_derive_stored_seq (const XnDerive *derive);
/* Outbox messages the steps of this XnDerive inserted: when a commit moves
 * it, the dispatcher has something new. */
guint64   xn_derive_messages_inserted (const XnDerive *derive);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnDerive, xn_derive_free)

G_END_DECLS

/* derive.h — the collector's outages, derived from the journal as it grows
 * and stored beside it, step by step.
 *
 * An XnDerive holds the outage engine (sla/outage.h) and the derived store
 * (storage/derived.h) of one journal. It resumes from the stored snapshot
 * and position, is handed every fact of the journal in seq order (those at
 * or below its position are skipped, so the reader may start from the
 * journal's first fact), and commits a derivation step — the outages that
 * changed, the snapshot and the position in one transaction — when asked
 * and there is something new. The engine forgets settled outages once
 * they are stored, so memory and the snapshot follow recent activity. A
 * busy store is "not now": the state stays in memory and the next commit
 * stores it. It reads no wall clock (`now` is given) and owns no timer:
 * the collector's loop decides when to feed and commit. The correlation
 * window is the policy's. See doc/derived.md ("The collector's loop") and
 * extranoc-collector(8). */
#pragma once

#include <glib.h>

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
/* Moves the engine's `now` forward (never back); what it can change is
 * which outages are provisional, and when it does the next commit stores
 * it. */
void      xn_derive_advance (XnDerive *derive, XnInstant now);
/* Whether there is something to commit: facts fed, a change of `now` that
 * matters, or a step that did not go through. */
gboolean  xn_derive_pending (const XnDerive *derive);
/* Pending, and the pace (XN_DERIVE_PACE) lets a step run now. */
gboolean  xn_derive_due (const XnDerive *derive);
/* One step when something is pending, paced or not: XN_DERIVED_STORED (also when nothing
 * was), XN_DERIVED_BUSY (kept for the next call), XN_DERIVED_FAILED
 * (logged once, with its recovery once; kept for the next call). */
XnDerivedResult xn_derive_commit (XnDerive *derive);

/* A new configuration (a reload). The same topology and correlation
 * window: the engine carries on. Another topology or window (the window
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnDerive, xn_derive_free)

G_END_DECLS

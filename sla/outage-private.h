/* outage-private.h — the engine's state, shared by outage.c (feeding and
 * deriving outages), outage-query.c (root cause and results),
 * outage-settle.c (settling), outage-changes.c (what changed since the
 * last step) and outage-snapshot.c. Nothing outside sla/outage*.c includes
 * it. */
#pragma once

#include "outage.h"
#include "outage-signal.h"
#include "topology.h"

G_BEGIN_DECLS

/* One outage as the engine keeps it: its attribution is computed when
 * asked for, from the spans of the objects it depends on. */
typedef struct {
	XnInstant  start;
	XnInstant  end;         /* XN_OUTAGE_OPEN while open */
	gint64     seq;         /* the smallest seq of its down reports */
	XnRole     cause;       /* the first role down at start */
	GArray    *evidence;    /* gint64, ascending */
} XnSpan;

typedef struct {
	XnTopoObject *object;
	XnSignal     *signal[XN_ROLE_COUNT];   /* borrowed from the engine; NULL where the role is absent */
	GPtrArray    *spans;                   /* XnSpan, by start; disjoint, not touching; none settled */
	/* The end of the last span that settled (G_MININT64: none did, or no
	 * report at or before it is left): spans are never derived before it
	 * again, even from reports another object still needs. */
	XnInstant     settled_end;
	/* The earliest ts of a report on its signals since the last
	 * xn_outage_engine_take_changes() (G_MAXINT64: none). */
	XnInstant     mark;
} XnObjectState;

/* A span dropped by a re-derivation since the last take: the same id may
 * come back (then it changed), or not (then it is removed). One per id,
 * from the earliest start to the latest end it had. */
typedef struct {
	guint      object;
	gint64     seq;
	XnInstant  start;
	XnInstant  end;
} XnVanished;

/* Notes that a span was dropped (in `vanished`, an XnVanished set). */
void            xn_vanished_note (GHashTable *vanished, guint object, gint64 seq, XnInstant start, XnInstant end);
GHashTable     *xn_vanished_new (void);

struct _XnOutageEngine {
	const XnInventory *inventory;
	XnTopology        *topology;
	XnOutageOptions    options;
	/* How far in time attribution reaches from an instant: a walk up
	 * meets at most max_closure + 1 outages, each at most one window
	 * later than the one before (doc/outages.md, "Settling"). */
	gint64             lookback;
	GHashTable        *signals;            /* subject → XnSignal (owned) */
	XnObjectState     *states;             /* one per topology object, by index */
	gint64             last_seq;
	XnInstant          now;
	XnOutageStats      stats;

	/* Settling, part of the snapshot. */
	XnInstant          newest;             /* the latest ts of a report used; G_MININT64 before any */
	XnInstant          sealed;             /* reports at or before it are too late; G_MININT64: none */
	gint64             settle_round;       /* the settle line's round at the last pass */

	/* Settled outages kept for the list (keep_settled), and whether one
	 * was forgotten or lies behind a restore. Not in the snapshot. */
	GPtrArray         *kept;
	GHashTable        *kept_by_id;         /* id → XnOutage in kept */
	gboolean           forgot;

	/* What changed since the last take (since the engine was made or
	 * restored); not in the snapshot. */
	GArray            *marked;             /* guint object indexes whose mark is set */
	GHashTable        *vanished;           /* XnVanished, once per id */
	GPtrArray         *settled;            /* XnOutage settled and not kept, not yet taken */
	guint              kept_taken;         /* kept->len at the last take */
	XnInstant          listed_now;         /* `now` at the last take */
};

/* Derives every span of every object from the signals again. */
void            xn_outage_engine_derive_all (XnOutageEngine *engine);
/* The round of the settle line that `newest` gives (G_MININT64 before any
 * report); a pass runs whenever it grows. */
gint64          xn_outage_settle_round (const XnOutageEngine *engine);
/* Settles what can no longer change, given the settle line `line`
 * (outage-settle.c). */
void            xn_outage_engine_settle (XnOutageEngine *engine, XnInstant line);

/* The span of `state` holding t (start <= t < end), or NULL. */
const XnSpan   *xn_object_span_at (const XnObjectState *state, XnInstant t);
/* The index of the first span that ends after t (or is open). */
guint           xn_object_span_index_after (const XnObjectState *state, XnInstant t);

char           *xn_span_cause (const XnObjectState *state, const XnSpan *span);
char           *xn_span_id (const XnObjectState *state, const XnSpan *span);

/* ---- outage-query.c, for settling and changes ---- */

typedef struct {
	const XnObjectState *state;
	const XnSpan        *span;
} XnSpanRef;

/* Results computed once per query: a query is valid while the spans do
 * not change. */
typedef struct _XnQuery XnQuery;

XnQuery        *xn_query_new (const XnOutageEngine *engine);
void            xn_query_free (XnQuery *query);
XnOutage       *xn_query_build (XnQuery *query, XnSpanRef x);
/* The outages x's listing names besides itself: the roots of its
 * segments and, when it is a root, its dependents; appended to `related`
 * (XnSpanRef). */
void            xn_query_relations (XnQuery *query, XnSpanRef x, GArray *related);
/* Whether x is provisional at the engine's `now`. */
gboolean        xn_query_provisional (const XnOutageEngine *engine, XnSpanRef x);
/* Sorted by start, then seq, then object. */
int             xn_outage_compare (gconstpointer a, gconstpointer b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnQuery, xn_query_free)

G_END_DECLS

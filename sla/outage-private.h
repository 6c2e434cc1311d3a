/* outage-private.h — the engine's state, shared by outage.c (feeding and
 * deriving outages), outage-query.c (root cause and results) and
 * outage-snapshot.c. Nothing outside sla/outage*.c includes it. */
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
	GPtrArray    *spans;                   /* XnSpan, by start; disjoint, not touching */
} XnObjectState;

struct _XnOutageEngine {
	const XnInventory *inventory;
	XnTopology        *topology;
	XnOutageOptions    options;
	GHashTable        *signals;            /* subject → XnSignal (owned) */
	XnObjectState     *states;             /* one per topology object, by index */
	gint64             last_seq;
	XnInstant          now;
	XnOutageStats      stats;
};

/* Derives every span of every object from the signals again. */
void            xn_outage_engine_derive_all (XnOutageEngine *engine);

/* The span of `state` holding t (start <= t < end), or NULL. */
const XnSpan   *xn_object_span_at (const XnObjectState *state, XnInstant t);
/* The index of the first span that ends after t (or is open). */
guint           xn_object_span_index_after (const XnObjectState *state, XnInstant t);

char           *xn_span_cause (const XnObjectState *state, const XnSpan *span);
char           *xn_span_id (const XnObjectState *state, const XnSpan *span);

G_END_DECLS

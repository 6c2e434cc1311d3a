/* storm.h — trap storm protection: which traps of a source are stored one
 * by one and which are only counted, and the storm's start, summaries and
 * end.
 *
 * Pure: no clock (every call takes `now`), no I/O, GLib only. A source is
 * whatever the caller names the sender by ("node/NAME", "source/ADDRESS").
 * A source storms when it sent more than rate × window traps within the
 * last `window` seconds; from then on its traps are counted by trap OID and
 * summarised every `summary` seconds, except the first link-down and the
 * first link-up of each interface in each summary period, which are stored
 * (outages need them). The last link trap of an interface that was only
 * counted is held, and stored at the period's end when it says something
 * else than the last link trap stored for that interface, so the journal
 * never ends a period on a state the device has left. The storm ends once
 * each of the last `window` whole seconds had fewer than `rate` traps.
 * Every trap is stored or counted in exactly one summary or end: nothing is
 * dropped uncounted. */
#pragma once

#include <glib.h>

#include "xn-time.h"

G_BEGIN_DECLS

typedef struct {
	guint rate;          /* traps/s */
	guint window_s;      /* 1 .. 300 */
	guint summary_s;     /* a storming source's counts are summarised this often */
} XnStormConfig;

typedef enum {
	XN_STORM_STORE,      /* store the trap's fact */
	XN_STORM_COUNT,      /* counted for the next summary; nothing to store */
	XN_STORM_HOLD,       /* counted, and a link trap: hand its fact to xn_storm_hold() at once */
} XnStormVerdict;

typedef enum {
	XN_STORM_START,
	XN_STORM_SUMMARY,
	XN_STORM_END,
} XnStormEventKind;

typedef struct {
	XnStormEventKind kind;
	char       *source;
	XnInstant   at;             /* when it was decided */
	XnInstant   since;          /* START: = at; SUMMARY, END: the period's start */
	XnInstant   storm_start;
	double      rate;           /* traps/s over the last window */
	guint       threshold;      /* the configured rate */
	guint       window_s;
	GHashTable *counted;        /* trap OID (or "none") → guint64* counted since `since`; empty at START */
	guint64     counted_period; /* the sum of `counted` */
	guint64     counted_total;  /* since the storm started */
	/* Payloads given to xn_storm_hold() that are to be stored now, before
	 * this event (the caller owns them from here); not counted above. */
	GPtrArray  *held;
	gboolean    final;          /* SUMMARY from xn_storm_finish(): the storm was cut short by a stop */
} XnStormEvent;

typedef struct _XnStorm XnStorm;

/* `payload_free` frees what xn_storm_hold() is given. */
XnStorm        *xn_storm_new (const XnStormConfig *config, GDestroyNotify payload_free);
void            xn_storm_free (XnStorm *storm);
/* A reload: thresholds change, sources keep their storms; a new window
 * starts each source's rate count afresh. */
void            xn_storm_set_config (XnStorm *storm, const XnStormConfig *config);

/* One trap from `source`. `link_object` names the interface (or node) a
 * link-down or link-up trap is about, NULL for any other trap; `trap_oid`
 * is the dotted trap OID, NULL when the trap named none. Events (a storm's
 * start, a summary or end that fell due) are appended to `events`
 * (XnStormEvent*) and come before the trap in the journal's order. */
XnStormVerdict  xn_storm_trap (XnStorm *storm, const char *source, const char *trap_oid,
			       const char *link_object, gboolean link_up, XnInstant now, GPtrArray *events);
/* After XN_STORM_HOLD, and before anything else is asked of `storm`: the
 * trap's fact, kept as its interface's latest; takes `payload`. */
void            xn_storm_hold (XnStorm *storm, gpointer payload);
/* Summaries and ends that fell due, and forgets quiet sources; call it
 * every second or so. */
void            xn_storm_tick (XnStorm *storm, XnInstant now, GPtrArray *events);
/* At a stop: a final summary (final = TRUE) for every storming source. */
void            xn_storm_finish (XnStorm *storm, XnInstant now, GPtrArray *events);

gboolean        xn_storm_is_storming (const XnStorm *storm, const char *source);
guint           xn_storm_n_storming (const XnStorm *storm);
/* Sources followed right now (storming or seen within the window). */
guint           xn_storm_n_sources (const XnStorm *storm);

void            xn_storm_event_free (XnStormEvent *event);
const char     *xn_storm_event_kind_to_string (XnStormEventKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnStorm, xn_storm_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnStormEvent, xn_storm_event_free)

G_END_DECLS

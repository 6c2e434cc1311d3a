/* outage.h — outages of nodes and links from the fact journal, with their
 * root cause by topology.
 *
 * The engine is fed facts in journal seq order (xn_outage_engine_feed) and
 * answers at any moment with every outage it knows, open and closed
 * (xn_outage_engine_list). It is pure: no I/O, no clock — `now` is the
 * latest of the fed facts' ts and the instants given to
 * xn_outage_engine_advance(). Its whole state is a JSON snapshot
 * (xn_outage_engine_snapshot / _restore); restoring a snapshot and feeding
 * the facts after it gives exactly the outages of feeding everything, and
 * how the facts are split into calls changes nothing. The rules (which
 * facts count, how evidence merges, late facts, root cause and the
 * correlation window) are in doc/outages.md.
 *
 * Results are new objects the caller owns; the engine borrows the
 * inventory, which must be resolved and outlive it. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "fact.h"
#include "inventory.h"
#include "xn-time.h"

G_BEGIN_DECLS

/* The end of an outage still open (the same value as XN_INTERVAL_OPEN). */
#define XN_OUTAGE_OPEN G_MAXINT64

/* The default correlation window: a child first seen down this long before
 * its ancestor still belongs to the ancestor's incident. */
#define XN_OUTAGE_DEFAULT_WINDOW (600 * XN_USEC_PER_SEC)
#define XN_OUTAGE_MAX_WINDOW     XN_USEC_PER_DAY

/* How late (in ts, behind the newest report on the same subject) a report
 * may arrive and still be placed exactly; see doc/outages.md. */
#define XN_OUTAGE_REORDER_HORIZON XN_USEC_PER_HOUR

typedef struct {
	gint64 correlation_window_us;   /* 0 to XN_OUTAGE_MAX_WINDOW; 0: no window */
} XnOutageOptions;

/* Sets every option to its default. */
void xn_outage_options_init (XnOutageOptions *options);

typedef enum {
	XN_OUTAGE_NODE,
	XN_OUTAGE_LINK,
} XnOutageKind;

/* From `from` to `to` (exclusive; XN_OUTAGE_OPEN while the outage is open)
 * the outage belongs to the incident whose root outage is `root_id` (its
 * own id while it is its own root). */
typedef struct {
	XnInstant  from;
	XnInstant  to;
	char      *root_id;
} XnOutageSegment;

typedef struct {
	/* "SEQ:OBJECT", e.g. "57:node/dong-core": SEQ is the journal seq of
	 * the fact that first made the outage known. It stays while later
	 * facts move the start or add evidence. One fact can open several
	 * outages (a node and its links), hence the object in the id. */
	char          *id;
	gint64         seq;
	char          *object;        /* "node/NAME" or "link/ID" */
	XnOutageKind   kind;
	XnInstant      start;
	XnInstant      end;           /* XN_OUTAGE_OPEN while open */
	/* "node-unreachable"; "interface-down NODE IFNAME" or "node-down NODE"
	 * for a link: what was down when the outage started. */
	char          *cause;
	GStrv          units;         /* affected access units, sorted */
	GArray        *evidence;      /* gint64 fact seqs, ascending */
	GPtrArray     *segments;      /* XnOutageSegment, in time order, covering start to end */
	/* Ids of the outages with a segment whose root is this one, sorted by
	 * start then id; empty unless this outage is a root at some time. */
	GStrv          dependents;
	/* Its own root so far and started less than the correlation window
	 * before `now`: an ancestor's outage may still claim it. */
	gboolean       provisional;
} XnOutage;

void          xn_outage_free (XnOutage *outage);
gboolean      xn_outage_is_open (const XnOutage *outage);
const char   *xn_outage_kind_to_string (XnOutageKind kind);
/* The root of its last segment: the incident it belongs to now, or last. */
const char   *xn_outage_current_root (const XnOutage *outage);
/* {"id","object","kind","start","end","cause","units","evidence",
 *  "segments":[{"from","to","root"}],"dependents","provisional"};
 * instants in the journal's UTC form, "end"/"to" null while open. */
JsonObject   *xn_outage_to_json (const XnOutage *outage);

/* What became of the facts fed so far. */
typedef struct {
	guint64 reports;      /* down or up reports about a followed node or interface */
	guint64 neutral;      /* admin-down reports: not a fault, not a recovery */
	guint64 unknown;      /* a kind the engine uses, about a node the inventory lacks,
			       * an interface that is no link end, or naming no interface */
	guint64 ignored;      /* kinds the engine does not use */
} XnOutageStats;

typedef struct _XnOutageEngine XnOutageEngine;

/* NULL options: the defaults. Fails (XN_ERROR_INVALID) on options out of
 * range. */
XnOutageEngine *xn_outage_engine_new (const XnInventory *inventory, const XnOutageOptions *options,
				      GError **error);
void            xn_outage_engine_free (XnOutageEngine *engine);

/* Feeds facts in journal order. Every seq must be above the last one fed
 * (XN_ERROR_INVALID otherwise, naming both, and nothing of the call is
 * applied); a ts outside the journal's range is refused the same way.
 * Facts of other kinds or about other objects are counted, not refused. */
gboolean        xn_outage_engine_feed (XnOutageEngine *engine, const XnFact *fact, GError **error);
gboolean        xn_outage_engine_feed_all (XnOutageEngine *engine, const GPtrArray *facts,
					   GError **error);
/* Moves `now` forward (an earlier instant changes nothing): what it changes
 * is which outages are still provisional. */
void            xn_outage_engine_advance (XnOutageEngine *engine, XnInstant now);

gint64          xn_outage_engine_last_seq (const XnOutageEngine *engine);
/* G_MININT64 before any fact or advance. */
XnInstant       xn_outage_engine_now (const XnOutageEngine *engine);
void            xn_outage_engine_stats (const XnOutageEngine *engine, XnOutageStats *stats);

/* Every outage (open_only: those still open), sorted by start, then seq,
 * then object: a new array of XnOutage with its free function set. */
GPtrArray      *xn_outage_engine_list (const XnOutageEngine *engine, gboolean open_only);
/* One outage by id; NULL when there is none. */
XnOutage       *xn_outage_engine_lookup (const XnOutageEngine *engine, const char *id);

/* The engine's whole state as one line of JSON. */
char           *xn_outage_engine_snapshot (const XnOutageEngine *engine);
/* A new engine from a snapshot. A snapshot made under another topology
 * (nodes, parents, links, their ends, units' uplinks) fails with
 * XN_ERROR_CONFIG, naming a difference where it can: its outages would
 * differ from a replay under this inventory, so the caller replays the
 * journal from the start instead. A malformed snapshot fails with
 * XN_ERROR_INVALID naming the place. The correlation window is not part
 * of the state: it is `options`' own. */
XnOutageEngine *xn_outage_engine_restore (const XnInventory *inventory, const XnOutageOptions *options,
					  const char *snapshot, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnOutage, xn_outage_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnOutageEngine, xn_outage_engine_free)

G_END_DECLS

/* outage.h — outages of nodes and links from the fact journal, with their
 * root cause by topology.
 *
 * The engine is fed facts in journal seq order (xn_outage_engine_feed) and
 * answers at any moment with every outage it knows, open and closed
 * (xn_outage_engine_list). It is pure: no I/O, no clock — `now` is the
 * latest of the fed facts' ts and the instants given to
 * xn_outage_engine_advance(). Its working state is a JSON snapshot
 * (xn_outage_engine_snapshot / _restore); restoring a snapshot and feeding
 * the facts after it gives exactly the outages of feeding everything, and
 * how the facts are split into calls changes nothing.
 *
 * With `settle` on, outages that no fact can change any more are
 * *settled*: they leave the working state and the snapshot, which then
 * hold only what recent facts can still change. By default the engine
 * keeps them aside so that xn_outage_engine_list() still gives everything
 * (a replay); a caller that stores outages (the collector) turns that off
 * and gets each settled outage once through
 * xn_outage_engine_take_changes(), which also says what changed since the
 * last call, so a step costs what changed. The rules (which facts count,
 * how evidence merges, late facts, root cause, the correlation window,
 * settling) are in doc/outages.md.
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

/* Settling is judged each time the settle line (see doc/outages.md) has
 * moved this far in the facts' time: often enough to keep the state
 * small, seldom enough to cost nothing. */
#define XN_OUTAGE_SETTLE_EVERY (15 * XN_USEC_PER_MINUTE)

typedef struct {
	gint64   correlation_window_us;   /* 0 to XN_OUTAGE_MAX_WINDOW; 0: no window */
	/* Settled outages stay listed (the default). FALSE: they are handed
	 * over once by xn_outage_engine_take_changes() and forgotten. */
	gboolean keep_settled;
	/* Outages settle, and reports that could only change settled ones
	 * are late. Off by default: everything stays in the working state
	 * and the snapshot, which grow with the journal. The collector and
	 * `extranoc replay` turn it on, so that they derive the same. */
	gboolean settle;
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
XnOutage     *xn_outage_copy (const XnOutage *outage);
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
	guint64 late;         /* reports dated at or before the sealed line: they could only
			       * change settled outages, so they change nothing */
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
/* The engine's correlation window, µs. */
gint64          xn_outage_engine_correlation_window (const XnOutageEngine *engine);
/* G_MININT64 before any fact or advance. */
XnInstant       xn_outage_engine_now (const XnOutageEngine *engine);
void            xn_outage_engine_stats (const XnOutageEngine *engine, XnOutageStats *stats);

/* Every outage (open_only: those still open), sorted by start, then seq,
 * then object: a new array of XnOutage with its free function set. Settled
 * outages are in it while the engine keeps them (keep_settled); a restored
 * engine keeps only those settled after its restore. */
GPtrArray      *xn_outage_engine_list (const XnOutageEngine *engine, gboolean open_only);
/* One outage by id; NULL when there is none (or it settled and was not
 * kept). */
XnOutage       *xn_outage_engine_lookup (const XnOutageEngine *engine, const char *id);
/* Whether xn_outage_engine_list() gives every outage derived since the
 * engine was made: FALSE once it has forgotten a settled one, and for a
 * restored engine that was restored with settled outages behind it. */
gboolean        xn_outage_engine_lists_all (const XnOutageEngine *engine);

/* What changed since the last call (since the engine was made or
 * restored, the first time): *changed gets every outage that is new or
 * may have changed, as xn_outage_engine_list() would give it now, and
 * every outage that settled, in its final form (a new array of XnOutage,
 * sorted like a list); *removed the ids (a new array of strings) of
 * outages that no longer exist (a late report split or merged them). An
 * outage is in at most one of the two. An outage that did not change may
 * be listed too; one that changed never fails to be. The work is in
 * proportion to the outages that the facts fed since the last call (and
 * `now`) can have changed, not to all of them. */
void            xn_outage_engine_take_changes (XnOutageEngine *engine, GPtrArray **changed, GPtrArray **removed);
/* The earliest instant at which an outage now provisional stops being
 * one: advancing `now` past it changes an outage. G_MAXINT64: none is. */
XnInstant       xn_outage_engine_next_expiry (const XnOutageEngine *engine);

/* The engine's working state as one line of JSON: settled outages are
 * not in it. */
char           *xn_outage_engine_snapshot (const XnOutageEngine *engine);
/* A new engine from a snapshot. A snapshot made under another topology
 * (nodes, parents, links, their ends, units' uplinks) or with another
 * correlation window fails with XN_ERROR_CONFIG, naming a difference where
 * it can: its outages would differ from a replay under these settings, so
 * the caller replays the journal from the start instead; so does a
 * snapshot of an older format (version 1). A malformed snapshot fails with
 * XN_ERROR_INVALID naming the place. */
XnOutageEngine *xn_outage_engine_restore (const XnInventory *inventory, const XnOutageOptions *options,
					  const char *snapshot, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnOutage, xn_outage_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnOutageEngine, xn_outage_engine_free)

G_END_DECLS

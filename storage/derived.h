/* derived.h — the collector's derived state, kept in the journal's own store.
 *
 * What the collector derives from the journal (outages, from the engine
 * of sla/outage.h; carrier tickets and the outbox messages of their
 * events, from sla/ticket.h) lives in the same database as the facts, so that
 * one transaction records both the derived rows and how far into the
 * journal they go: the position (the last seq consumed), the engine's
 * snapshot at that position and the outages it listed. After a kill -9 at
 * any moment the store holds exactly the last committed step, and restoring
 * its snapshot and feeding the facts after its position gives the same
 * state as a replay from the journal's start.
 *
 * A step is given what the engine changed since the last step
 * (xn_outage_engine_take_changes) and writes those rows, and of them only
 * the ones that differ from what is stored (each row carries a digest of
 * its content); rows of outages that settled stay as they are, so a step
 * costs what changed, however many outages the journal holds. Readers
 * (extranoc outages, availability) get the outages back as XnOutage, field
 * for field what the engine listed, without running the engine.
 * The store is opened like the journal (a path means SQLite); a daemon that
 * must not stall opens it with XN_DERIVED_OPEN_SHORT_WAIT and treats
 * XN_DERIVED_BUSY as "not now". Errors are XN_ERROR and start with the
 * location. One XnDerived is used by one thread at a time. See
 * doc/derived.md. */
#pragma once

#include <glib.h>

#include "journal.h"
#include "outage.h"
#include "outbox.h"
#include "ticket.h"

G_BEGIN_DECLS

typedef struct _XnDerived XnDerived;

typedef enum {
	/* The journal must exist and already hold derived state (written by a
	 * collector): otherwise XN_ERROR_NOT_FOUND. */
	XN_DERIVED_OPEN_EXISTING   = 0,
	/* Creates the journal (its directory must exist) and the derived
	 * tables as needed. */
	XN_DERIVED_OPEN_CREATE     = 1 << 0,
	/* A step waits at most XN_JOURNAL_SHORT_WAIT_MS for another writer's
	 * lock, then gives up with XN_DERIVED_BUSY. */
	XN_DERIVED_OPEN_SHORT_WAIT = 1 << 1,
} XnDerivedOpenFlags;

typedef enum {
	XN_DERIVED_STORED,
	XN_DERIVED_BUSY,        /* another writer held the lock past the wait: nothing stored; try later */
	XN_DERIVED_FAILED,
	/* Another process stored a step since this handle's last one, and the
	 * engine has forgotten settled outages, so its changes cannot be laid
	 * over what is stored: nothing stored; resume (xn_derived_resume) and
	 * feed the facts after its position again. */
	XN_DERIVED_CONFLICT,
} XnDerivedResult;

/* Where the derivation stands, as of one consistent read. */
typedef struct {
	guint     schema_version;   /* of the derived tables */
	gint64    last_seq;         /* facts consumed up to this seq; 0 before the first step */
	XnInstant now;              /* the engine's `now` at the last step; G_MININT64 before it */
	guint64   steps;            /* steps committed since the tables were made */
	guint     outages;          /* rows stored */
	guint     open;             /* of which open */
	gint64    window_us;        /* the correlation window they were derived with; -1: not known */
	guint     tickets;          /* ticket rows stored (schema 3) */
	guint     open_tickets;     /* of which open or restored */
} XnDerivedInfo;

/* What a step wrote. */
typedef struct {
	guint written;              /* rows new or changed */
	guint removed;              /* rows of outages gone (an outage split; a derivation from the start) */
	guint unchanged;            /* rows handed over that were already stored as they are */
	guint tickets;              /* ticket rows new or changed */
	guint messages;             /* outbox messages inserted (new event and carrier) */
	guint suppressed;           /* of which inserted as suppressed (older than the horizon) */
} XnDerivedStepStats;

/* Which outages to read back. */
typedef struct {
	gboolean  open_only;
	/* Those still open or ended after `since` (G_MININT64: all). */
	XnInstant since;
} XnDerivedFilter;

#define XN_DERIVED_FILTER_ALL { FALSE, G_MININT64 }

/* Opens the derived state in the journal at `location`, bringing the
 * journal's schema and then the derived tables' up to date (each migration
 * in its own transaction). */
XnDerived  *xn_derived_open (const char *location, XnDerivedOpenFlags flags, GError **error);
void        xn_derived_close (XnDerived *store);
const char *xn_derived_get_location (XnDerived *store);

gboolean    xn_derived_info (XnDerived *store, XnDerivedInfo *info, GError **error);

/* The position and the engine's snapshot at it; *snapshot is NULL (and
 * *last_seq 0) before the first step. */
gboolean    xn_derived_load (XnDerived *store, gint64 *last_seq, char **snapshot, GError **error);

/* One derivation step, in one transaction: the outages the engine changed
 * since the last step (xn_outage_engine_take_changes, settled ones
 * included) are written, those it removed deleted, and the position
 * becomes its last seq, with its snapshot, `now` and correlation window.
 * Changes taken but not stored (busy, failed) are kept by the store handle
 * and go with the next step. A step after xn_derived_start_over() first
 * deletes every stored row. When another process stored a step since this
 * handle's last one, an engine that still lists every outage it derived
 * (xn_outage_engine_lists_all) replaces every row with its list; any other
 * gives XN_DERIVED_CONFLICT. `stats` may be NULL. On anything but
 * XN_DERIVED_STORED nothing is stored and the error is set. */
XnDerivedResult xn_derived_commit_engine (XnDerived *store, XnOutageEngine *engine,
					  XnDerivedStepStats *stats, GError **error);

/* Takes what the engine changed since the last step into the changes the
 * next step stores: before the engine is replaced by one restored from its
 * own snapshot (a reload), which knows only the changes after it. */
void        xn_derived_take_changes (XnDerived *store, XnOutageEngine *engine);

/* The next step replaces every stored row: the engine now in use derives
 * from the journal's start (another topology or window, a snapshot that
 * cannot be used). Changes kept from earlier steps are dropped. */
void        xn_derived_start_over (XnDerived *store);

/* The engine to carry on with: restored from the stored snapshot (feed it
 * the facts after xn_outage_engine_last_seq()), or a new one when there is
 * none yet — or when the snapshot cannot be used (another topology or
 * correlation window, an older format, a damaged snapshot): then
 * *from_start (when not NULL) says why, the caller feeds the journal from
 * its start, and the next step replaces every stored row. Fails only when
 * the store cannot be read. */
XnOutageEngine *xn_derived_resume (XnDerived *store, const XnInventory *inventory,
				   const XnOutageOptions *options, char **from_start, GError **error);

/* ---- tickets (sla/ticket.h) and the messages their events make ----
 *
 * The collector derives with the ticket engine, which wraps the outage
 * engine: a ticket step stores the outages that engine changed (as above),
 * the tickets the ticket engine changed (xn_ticket_engine_take_changes,
 * one row each: the JSON of xn_ticket_to_json at the engine's `now`), the
 * outbox messages of the events taken since the last step
 * (storage/outbox.h, inserted once per event and carrier), and the ticket
 * engine's snapshot, in one transaction. The store's step counter works
 * as for outages, except that a ticket engine never replaces what another
 * process stored: that is always XN_DERIVED_CONFLICT. */

/* Takes what the ticket engine (and the outage engine it wraps) changed
 * since the last step into the changes the next step stores; the tickets
 * are printed at the engine's `now` in `tz` (NULL: UTC only). */
void            xn_derived_take_ticket_changes (XnDerived *store, XnTicketEngine *engine, GTimeZone *tz);

/* A message for the next ticket step to insert (the store takes it). A
 * busy or failed step keeps it for the next one. */
void            xn_derived_add_message (XnDerived *store, XnOutboxMessage *message);

/* One ticket step: the changes taken (and those left by steps that did
 * not go through), the messages added, inserted with `now` as their
 * created instant and as suppressed when xn_outbox_is_stale (instant,
 * now, horizon_s), and the position with the ticket engine's snapshot.
 * Results as xn_derived_commit_engine(). */
XnDerivedResult xn_derived_commit_tickets (XnDerived *store, XnTicketEngine *engine, GTimeZone *tz,
					   XnInstant now, guint horizon_s, XnDerivedStepStats *stats,
					   GError **error);

/* xn_derived_resume() for a ticket engine: restored from the stored
 * snapshot, or new (from the journal's start; *from_start says why) when
 * there is none or it cannot be used — another topology or window, an
 * outage engine's snapshot (a store written before tickets), damaged. */
XnTicketEngine *xn_derived_resume_tickets (XnDerived *store, const XnInventory *inventory,
					   const XnOutageOptions *outage_options, const XnTicketOptions *options,
					   char **from_start, GError **error);

/* The stored outages passing `filter` (NULL: all), in the engine's order
 * (start, seq, object), as a new array of XnOutage*; `info` (may be NULL)
 * describes the same read. */
GPtrArray  *xn_derived_list (XnDerived *store, const XnDerivedFilter *filter, XnDerivedInfo *info,
			     GError **error);

/* The stored tickets (sla/ticket.h), each the JSON text of
 * xn_ticket_to_json as the last step stored it, ordered by opened instant
 * then id; open_only: those not closed. A new array of char*, freed with
 * g_free; `info` (may be NULL) describes the same read. */
GPtrArray  *xn_derived_list_tickets (XnDerived *store, gboolean open_only, XnDerivedInfo *info,
				     GError **error);

/* One stored ticket's JSON by its id ("XN-000057"), or by one of its
 * breach tickets' ("XN-000057-R", "XN-000057-S": the ticket that holds
 * it); NULL with no error set when no such ticket is stored. */
char       *xn_derived_lookup_ticket (XnDerived *store, const char *id, XnDerivedInfo *info,
				      GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnDerived, xn_derived_close)

G_END_DECLS

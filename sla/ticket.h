/* ticket.h — carrier fault tickets and their SLA clocks, derived from the
 * fact journal on top of the outage engine (sla/outage.h).
 *
 * The ticket engine owns an XnOutageEngine and is fed the same facts in
 * journal seq order: outages open automatic tickets (a root outage of a
 * carrier link or of a node a carrier maintains), `fault.*` facts recorded
 * by the CLI open manual tickets and acknowledge, attribute, declare
 * complex or confirm restore. After each fact and each advance(now) the
 * tickets are reconciled with the outages, and the SLA clocks (response,
 * restore, escalations, flap grace) run on the instants of the facts and
 * of `now`, never on a clock. What happens is told as EVENTS
 * (XN-000057#opened, XN-000057-R#1, …), each with the instant it fell due,
 * taken with xn_ticket_engine_take_events() by the caller that delivers
 * them. The engine is pure: no I/O, no clock. Its whole state, the outage
 * engine's and which events were taken included, is one JSON snapshot:
 * restoring it and feeding the rest of the journal gives exactly what
 * feeding everything gives, and how facts are split into calls changes
 * nothing. The rules are in doc/sla.md.
 *
 * Results are new objects the caller owns; the engine borrows the
 * inventory, which must be resolved and outlive it. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "fact.h"
#include "inventory.h"
#include "maintenance.h"
#include "outage.h"
#include "policy.h"
#include "xn-time.h"

G_BEGIN_DECLS

/* An instant not known (yet): no acknowledgement, not restored, … */
#define XN_TICKET_NONE G_MININT64

#define XN_TICKET_MAX_ESCALATION 8
#define XN_TICKET_DEFAULT_GRACE  (600 * XN_USEC_PER_SEC)

/* ---- options: the policy's numbers, filled by the caller ---- */

typedef struct {
	char   *sla_class;
	gint64  target_us;
} XnTicketClassTarget;

typedef struct {
	gint64  response_target_us;
	GArray *restore_targets;       /* XnTicketClassTarget, sorted by class */
	gint64  complex_target_us;
	/* Escalation steps in percent of the target, strictly increasing:
	 * level i of a breach falls due at report + target × escalation[i-1] / 100. */
	guint   escalation[XN_TICKET_MAX_ESCALATION];
	guint   n_escalation;
	gint64  grace_us;              /* flap grace after a restore */
	/* The NOC contact printed in messages; each may be NULL. */
	char   *noc_name;
	char   *noc_phone;
	char   *noc_email;
	/* Closed and merged tickets stay listed (the default). FALSE: each is
	 * handed over once by xn_ticket_engine_take_changes() and forgotten,
	 * so the state holds only what can still change; facts about a
	 * forgotten ticket are then counted as unknown. */
	gboolean keep_closed;
} XnTicketOptions;

/* The regulation's numbers (1 h; 2 h county-unit, 4 h core-room, 6 h
 * township; 48 h complex), escalation 100/150/200 %, grace 600 s, no NOC
 * contact, closed tickets kept. */
void     xn_ticket_options_init (XnTicketOptions *options);
void     xn_ticket_options_clear (XnTicketOptions *options);
void     xn_ticket_options_copy (XnTicketOptions *dest, const XnTicketOptions *src);
/* Replaces the response, restore and complex targets, the escalation
 * steps, the flap grace and the NOC contact with the policy's. Fails
 * (XN_ERROR_CONFIG) on a target that is not positive. */
gboolean xn_ticket_options_from_policy (XnTicketOptions *options, const XnPolicy *policy, GError **error);
void     xn_ticket_options_set_restore_target (XnTicketOptions *options, const char *sla_class,
					       gint64 target_us);
/* -1 when the class has no target. */
gint64   xn_ticket_options_restore_target (const XnTicketOptions *options, const char *sla_class);
/* Fails (XN_ERROR_INVALID) unless 1 to XN_TICKET_MAX_ESCALATION percents,
 * strictly increasing, from 1 to 10000. */
gboolean xn_ticket_options_set_escalation (XnTicketOptions *options, const guint *percents, guint n,
					   GError **error);
void     xn_ticket_options_set_noc (XnTicketOptions *options, const char *name, const char *phone,
				    const char *email);
/* Every rule above, plus grace from 0 to one day. */
gboolean xn_ticket_options_validate (const XnTicketOptions *options, GError **error);

/* ---- tickets ---- */

typedef enum {
	XN_TICKET_OPEN,          /* the fault is on */
	XN_TICKET_RESTORED,      /* restored, within the flap grace */
	XN_TICKET_CLOSED,        /* restored and the grace passed: final */
	XN_TICKET_MERGED,        /* part of another ticket now: final */
} XnTicketStatus;

typedef enum {
	XN_ATTRIBUTION_CARRIER,  /* the carrier's SLA applies */
	XN_ATTRIBUTION_OPERATOR, /* the operator's own network */
	XN_ATTRIBUTION_UNIT_LAN, /* the unit's own LAN (003 第十一条) */
} XnTicketAttribution;

/* How an outage came to a ticket. */
typedef enum {
	XN_TICKET_LINK_ROOT,      /* the incident's root outage (or an outage attached to a manual ticket) */
	XN_TICKET_LINK_DEPENDENT, /* attributed to a root of the ticket by topology */
	XN_TICKET_LINK_FLAP,      /* came back within the grace: reopened the ticket */
	XN_TICKET_LINK_MERGED,    /* the root of a ticket merged into this one */
} XnTicketLink;

typedef struct {
	char         *id;          /* the outage id, "57:link/L-dong-qingshan" */
	char         *object;
	XnTicketLink  link;
	XnInstant     start;
	XnInstant     end;         /* XN_OUTAGE_OPEN while open */
	/* Until when it kept the ticket from being restored: XN_OUTAGE_OPEN
	 * while it still does, XN_TICKET_NONE if it never did (doc/sla.md). */
	XnInstant     hold_end;
	GStrv         units;
} XnTicketOutage;

typedef enum {
	XN_TICKET_EVENT_OPENED,
	XN_TICKET_EVENT_ATTRIBUTED,       /* handed to a carrier after an #opened went to another or the same */
	XN_TICKET_EVENT_MERGED,
	XN_TICKET_EVENT_WITHDRAWN,
	XN_TICKET_EVENT_REOPENED,
	XN_TICKET_EVENT_CLOSED,
	XN_TICKET_EVENT_RESPONSE_BREACH,
	XN_TICKET_EVENT_RESTORE_BREACH,
	/* A maintenance window that held the ticket's escalations ended with
	 * the fault still on (doc/maintenance.md): the one message then. */
	XN_TICKET_EVENT_MAINTENANCE_ENDED,
} XnTicketEventKind;

#define XN_TICKET_EVENT_KIND_COUNT 9

/* One line of a ticket's history: what was derived, for whom, when. */
typedef struct {
	char              *id;
	XnTicketEventKind  kind;
	XnInstant          instant;
	guint              level;      /* breach level, or the N of #reopened-N etc.; 0 otherwise */
	char              *carrier;
	/* A breach level raised inside a compliant maintenance window on the
	 * ticket's object: that window's id, and no message was sent; NULL
	 * for an event sent. */
	char              *held;
} XnTicketEventRecord;

/* A breach ticket (XN-000057-R or -S): created by level 1, once. */
typedef struct {
	guint     level;                                 /* levels raised, 0: none */
	XnInstant raised[XN_TICKET_MAX_ESCALATION];      /* instant of level i+1 */
} XnTicketBreach;

typedef struct {
	char                *id;            /* "XN-000057" */
	gint64               seq;           /* 57: the fact that opened it */
	gboolean             manual;        /* opened by fault.reported */
	XnTicketStatus       status;
	XnTicketAttribution  attribution;
	char                *carrier;       /* the carrier it is (or was last) for; NULL: none */
	char                *attribution_reason;   /* of the last fault.attributed; NULL */
	char                *attribution_by;       /* its source, "cli:USER"; NULL */
	XnInstant            attributed_at;        /* its ts; XN_TICKET_NONE */

	/* What failed. */
	char                *object;        /* the root outage's object; NULL for a manual ticket without one */
	char                *root_outage;   /* its id; NULL likewise */
	char                *unit;          /* manual: the unit that called; NULL otherwise */
	char                *link_id;       /* the link concerned (the root link, the unit's uplink); NULL */
	char                *reporter;      /* manual: who phoned, how, what they said; NULL otherwise */
	char                *report_by;
	char                *description;
	char                *source;        /* the opening fact's source */
	GPtrArray           *outages;       /* XnTicketOutage, in the order attached */
	GStrv                units;         /* affected access units, sorted */
	GStrv                merged;        /* tickets merged into this one, in order */
	char                *merged_into;   /* MERGED: the ticket it became part of */

	/* The SLA. */
	char                *site;          /* the ticket's own site; NULL when none */
	char                *site_rule;     /* "link sla-site", "z-end node site", "a-end node site", "node site", "unit site" */
	char                *sla_class;     /* the most demanding class among the site and the units' sites */
	char                *sla_class_site;
	XnInstant            fault_start;   /* the root outage's start; manual: the call */
	XnInstant            opened;        /* when the ticket was opened (its #opened instant) */
	XnInstant            report;        /* R: the clocks start here */
	gint64               report_seq;    /* the fact R comes from; 0 when it is the outage start */
	char                *report_rule;   /* "recorded", "outage-start", "segment-start", "call", "attributed",
					     * "window-end" */
	char                *window;        /* "window-end": the maintenance window (MW-…) it overran; NULL */
	gint64               response_target_us;
	gint64               class_target_us;      /* -1: the class has no target */
	gint64               complex_target_us;
	gint64               escalation_target_us; /* what restore escalations are computed on */
	GArray              *escalation;    /* guint percents, as at opening */
	gint64               grace_us;      /* as at opening */
	XnInstant            response_deadline;
	XnInstant            restore_deadline;     /* XN_TICKET_NONE: no target */
	XnInstant            complex_at;    /* fault.complex ts; XN_TICKET_NONE */
	gboolean             complex_late;  /* declared after the restore deadline */
	char                *complex_reason;
	XnInstant            acknowledged;  /* the first fault.acknowledged ts; XN_TICKET_NONE */
	char                *carrier_ref;
	char                *ack_contact;
	char                *ack_by;
	XnInstant            restored;      /* XN_TICKET_NONE while not restored */
	gboolean             restore_confirmed;
	char                *restore_note;
	XnInstant            closed;        /* XN_TICKET_NONE while not closed */
	XnInstant            clocks_stopped;/* attribution left the carrier, or merged; XN_TICKET_NONE */
	guint                reopens;
	guint                withdrawals;
	guint                handovers;
	gboolean             told;          /* the current carrier has been sent something */
	/* Maintenance (doc/maintenance.md). The compliant window holding the
	 * escalations raised inside it, and its end, at which one message
	 * goes out if the fault is still on; NULL/XN_TICKET_NONE when none. */
	char                *held_window;
	XnInstant            held_until;
	/* Windows that list the object and cover the fault's start but do not
	 * comply (late, unapproved): they excluded nothing. Sorted ids. */
	GStrv                flagged;
	XnTicketBreach       response_breach;
	XnTicketBreach       restore_breach;
	GPtrArray           *events;        /* XnTicketEventRecord, in the order derived */
} XnTicket;

void        xn_ticket_free (XnTicket *ticket);
XnTicket   *xn_ticket_copy (const XnTicket *ticket);
const char *xn_ticket_status_to_string (XnTicketStatus status);
const char *xn_ticket_attribution_to_string (XnTicketAttribution attribution);
gboolean    xn_ticket_attribution_from_string (const char *text, XnTicketAttribution *out);
const char *xn_ticket_link_to_string (XnTicketLink link);
/* TRUE when met, FALSE when missed; *decided FALSE while it is not known
 * yet, and for good when the carrier's clocks stopped (attribution away
 * from it, a merge) before the deadline: it no longer applies. */
gboolean    xn_ticket_response_met (const XnTicket *ticket, XnInstant now, gboolean *decided);
gboolean    xn_ticket_restore_met (const XnTicket *ticket, XnInstant now, gboolean *decided);
/* "XN-000057-R" / "XN-000057-S". */
char       *xn_ticket_breach_id (const XnTicket *ticket, gboolean response);

/* Everything `extranoc ticket show` prints: each instant in the journal's
 * UTC form (and in `tz` when not NULL), each deadline with its arithmetic
 * (report time and which fact, target and which policy leaf and SLA class
 * and why, the addition, met or missed by how much), the escalation
 * points, the outages and the events. `now` decides what is still open. */
JsonObject *xn_ticket_to_json (const XnTicket *ticket, XnInstant now, GTimeZone *tz);

/* ---- events ---- */

typedef struct {
	char              *id;          /* the outbox key: "XN-000057#opened", "XN-000057-R#2" */
	char              *ticket_id;
	XnTicketEventKind  kind;
	XnInstant          instant;     /* when it fell due, whenever it was derived */
	guint              level;       /* breach level; N of reopened-N, attributed-N, withdrawn-N; else 0 */
	guint              percent;     /* breaches: the escalation step */
	char              *carrier;     /* who it is for */
	char              *breach_id;   /* breaches: "XN-000057-R"; NULL otherwise */
	XnInstant          deadline;    /* breaches: the deadline it is over; XN_TICKET_NONE otherwise */
	gint64             over_us;     /* breaches: instant − deadline */
	char              *window;      /* maintenance-ended: the window's id (it ended at `instant`); NULL */
	XnTicket          *ticket;      /* the ticket as it stood when the event was derived (no history) */
} XnTicketEvent;

void        xn_ticket_event_free (XnTicketEvent *event);
XnTicketEvent *xn_ticket_event_copy (const XnTicketEvent *event);
const char *xn_ticket_event_kind_to_string (XnTicketEventKind kind);
/* {"id","ticket","kind","instant","level","percent","carrier","breach","deadline","over_s","window",
 *  "ticket_state"}. */
JsonObject *xn_ticket_event_to_json (const XnTicketEvent *event, GTimeZone *tz);

/* ---- the engine ---- */

typedef struct {
	guint64 applied;      /* fault.* facts that did something */
	guint64 unknown;      /* about a ticket or unit the engine does not know */
	guint64 invalid;      /* attrs breaking doc/sla.md's rules (no reason, unknown carrier, …) */
	guint64 late;         /* about a ticket already closed */
} XnTicketStats;

typedef struct _XnTicketEngine XnTicketEngine;

/* NULL options: the defaults. Fails (XN_ERROR_INVALID) on options out of range. */
XnTicketEngine *xn_ticket_engine_new (const XnInventory *inventory, const XnOutageOptions *outage_options,
				      const XnTicketOptions *options, GError **error);
void            xn_ticket_engine_free (XnTicketEngine *engine);

/* Makes the engine honour maintenance windows (doc/maintenance.md): a
 * notice book of the maintenance.* facts, judged by `policy`'s notice
 * rules on `calendar` in `tz` (all borrowed; they must outlive the engine;
 * `policy` must describe the engine's inventory). Without it the facts
 * are kept (they are part of the state) but no window plans anything.
 * Call it once, right after making or restoring the engine: a restored
 * engine gives its kept facts to the new book. */
void            xn_ticket_engine_set_maintenance (XnTicketEngine *engine, const XnPolicy *policy,
						  const XnCalendar *calendar, GTimeZone *tz);
/* The notice book, NULL without xn_ticket_engine_set_maintenance(). */
const XnMaintenanceBook *xn_ticket_engine_maintenance (const XnTicketEngine *engine);

/* Feeds facts in journal order, like xn_outage_engine_feed(): a seq not
 * above the last one or a ts outside the journal's range fails
 * (XN_ERROR_INVALID) and nothing of the call is applied. */
gboolean        xn_ticket_engine_feed (XnTicketEngine *engine, const XnFact *fact, GError **error);
gboolean        xn_ticket_engine_feed_all (XnTicketEngine *engine, const GPtrArray *facts, GError **error);
/* Lets time pass up to `now` (an earlier instant changes nothing): raises
 * what fell due meanwhile, each at its own instant. */
void            xn_ticket_engine_advance (XnTicketEngine *engine, XnInstant now);

/* The earliest instant at which something falls due with no new fact: a
 * breach level, a close at the end of the flap grace, or a provisional
 * outage of a carrier that stops being one (and may open a ticket).
 * Advancing `now` past it (xn_ticket_engine_advance to any later instant)
 * raises it, at this instant; XN_TICKET_NONE when nothing is due. A caller
 * that runs on a clock arms its timer for it, so a breach is raised when
 * it falls due rather than at the next fact. */
XnInstant       xn_ticket_engine_next_due (XnTicketEngine *engine);

gint64          xn_ticket_engine_last_seq (const XnTicketEngine *engine);
XnInstant       xn_ticket_engine_now (const XnTicketEngine *engine);
void            xn_ticket_engine_stats (const XnTicketEngine *engine, XnTicketStats *stats);
/* The wrapped outage engine, to list its outages (or hand them to a
 * store); never feed or advance it directly: the ticket engine does, in
 * step with its tickets. */
XnOutageEngine *xn_ticket_engine_outages (XnTicketEngine *engine);

/* Every ticket (open_only: OPEN or RESTORED), by seq: a new array of XnTicket. */
GPtrArray      *xn_ticket_engine_list (const XnTicketEngine *engine, gboolean open_only);
/* By ticket id or breach id ("XN-000057-R" gives XN-000057); NULL when none. */
XnTicket       *xn_ticket_engine_lookup (const XnTicketEngine *engine, const char *id);

/* The events derived since the last take, by (instant, id): a new array
 * of XnTicketEvent. Each event is taken once. */
GPtrArray      *xn_ticket_engine_take_events (XnTicketEngine *engine);
/* How many are waiting. */
guint           xn_ticket_engine_pending_events (const XnTicketEngine *engine);

/* The tickets that may have changed since the last call (every ticket
 * open at some moment since then, in its current form, closed or merged
 * ones included), by seq: a new array of XnTicket, for a caller that
 * stores tickets. With keep_closed FALSE the closed and merged ones among
 * them are then forgotten. */
GPtrArray      *xn_ticket_engine_take_changes (XnTicketEngine *engine);

/* The whole state as one line of JSON: the outage engine's snapshot, the
 * tickets (all, or those not yet forgotten), the events not yet taken,
 * the tickets changed since the last take, the counters. */
char           *xn_ticket_engine_snapshot (const XnTicketEngine *engine);
/* A new engine from a snapshot; XN_ERROR_CONFIG for another topology (as
 * xn_outage_engine_restore), XN_ERROR_INVALID naming the place for a
 * damaged one. Options are not part of the state: tickets keep the
 * targets they were opened with. */
XnTicketEngine *xn_ticket_engine_restore (const XnInventory *inventory, const XnOutageOptions *outage_options,
					  const XnTicketOptions *options, const char *snapshot, GError **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (XnTicketOptions, xn_ticket_options_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnTicket, xn_ticket_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnTicketEvent, xn_ticket_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnTicketEngine, xn_ticket_engine_free)

G_END_DECLS

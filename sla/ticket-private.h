/* ticket-private.h — the ticket engine's state, shared by sla/ticket*.c
 * (ticket.c: feeding, time and events; ticket-reconcile.c: outages to
 * tickets; ticket-facts.c: the fault.* facts; ticket-clock.c: deadlines
 * and what falls due; ticket-state.c and ticket-snapshot.c: the JSON
 * state). Nothing outside sla/ticket*.c includes it. */
#pragma once

#include "ticket.h"

G_BEGIN_DECLS

/* When a down report entered the journal, kept while an outage may still
 * be opened by it: the report time of an automatic ticket. */
typedef struct {
	XnInstant ts;
	XnInstant recorded;
} XnTicketRecorded;

struct _XnTicketEngine {
	const XnInventory *inventory;
	XnOutageOptions    outage_options;
	XnTicketOptions    options;
	XnOutageEngine    *outages;
	GPtrArray         *tickets;      /* XnTicket, by seq (owned) */
	GPtrArray         *live;         /* the OPEN and RESTORED ones, by seq (see xn_ticket_engine_live) */
	GPtrArray         *dropped;      /* left `live` since the last take of changes (borrowed) */
	GHashTable        *by_id;        /* id → XnTicket (borrowed from tickets) */
	/* Outage id → the id of the ticket it belongs to: every outage of a
	 * ticket not closed or merged, and those of a closed ticket while
	 * still open, so that no outage ever opens a second ticket. */
	GHashTable        *bound;
	GHashTable        *recorded;     /* gint64 seq → XnTicketRecorded */
	GPtrArray         *pending;      /* XnTicketEvent derived and not taken (owned) */
	/* The earliest instant at which a provisional outage of a carrier
	 * stops being provisional; XN_TICKET_NONE when there is none. */
	XnInstant          next_expiry;
	XnTicketStats      stats;
	/* Maintenance: every maintenance.* fact fed (copies, in seq order:
	 * they are state, and a restored engine's new book is fed them), and
	 * the book with the topology it needs once the caller gives the
	 * policy and calendar (NULL until then). */
	GPtrArray         *maintenance;
	XnTopology        *topology;
	XnMaintenanceBook *book;
};

/* A ticket that can still change: OPEN or RESTORED. */
gboolean        xn_ticket_is_live (const XnTicket *ticket);

/* ticket.c */
XnTicket       *xn_ticket_new_empty (const char *id, gint64 seq);
void            xn_ticket_engine_insert (XnTicketEngine *engine, XnTicket *ticket);
/* The live tickets, by seq; drops those no longer live first, so call it
 * outside loops that close or merge. */
GPtrArray      *xn_ticket_engine_live (XnTicketEngine *engine);
/* Appends an event (history and pending) for the ticket's current carrier
 * (or `carrier` when not NULL); its ticket copy is taken at the end of the
 * step (xn_ticket_engine_seal). Returns the event. */
XnTicketEvent  *xn_ticket_engine_emit (XnTicketEngine *engine, XnTicket *ticket, XnTicketEventKind kind,
				       XnInstant instant, guint level, const char *carrier);
void            xn_ticket_engine_seal (XnTicketEngine *engine);
/* Records an event in the ticket's history without sending it: a breach
 * level raised inside a compliant maintenance window. The ticket then
 * waits for the window's end (held_window, held_until). */
void            xn_ticket_hold (XnTicket *ticket, XnTicketEventKind kind, XnInstant instant, guint level,
				const XnMaintenanceWindow *window);
/* Follows merged_into to the ticket that holds it now. */
XnTicket       *xn_ticket_engine_follow (XnTicketEngine *engine, const char *id);
/* Adds the outage to the ticket (if not already there) and binds it. */
XnTicketOutage *xn_ticket_attach (XnTicketEngine *engine, XnTicket *ticket, const XnOutage *outage,
				  XnTicketLink link);
/* Adds units (a NULL-terminated list) to the ticket's affected units. */
gboolean        xn_ticket_add_units (XnTicket *ticket, const char *const *units);
void            xn_ticket_merge (XnTicketEngine *engine, XnTicket *from, XnTicket *into, XnInstant at);
XnTicketOutage *xn_ticket_find_outage (const XnTicket *ticket, const char *outage_id);
void            xn_ticket_outage_free (XnTicketOutage *outage);

/* ticket-clock.c */
/* The compliant window that covers the ticket's object at `at` (its
 * escalations are held then), or NULL. */
const XnMaintenanceWindow *xn_ticket_engine_window (const XnTicketEngine *engine, const XnTicket *ticket,
						    XnInstant at);
/* The carrier that answers for an object ("link/ID", "node/NAME"), or NULL. */
const XnCarrier *xn_ticket_carrier_of (const XnInventory *inventory, const char *object);
/* Sets R and everything computed from it. */
void            xn_ticket_set_report (XnTicketEngine *engine, XnTicket *ticket, XnInstant report,
				      gint64 seq, const char *rule);
/* The SLA class from the site and the units' sites; deadlines follow
 * while the ticket is open. */
void            xn_ticket_update_class (XnTicketEngine *engine, XnTicket *ticket);
void            xn_ticket_update_deadlines (XnTicket *ticket);
/* Raises, in instant order, everything that falls due before `until`
 * (provisional outages expire at or before it). */
void            xn_ticket_engine_run_until (XnTicketEngine *engine, XnInstant until);

/* ticket-reconcile.c */
/* Brings the tickets in line with the outages; `at` is the instant of the
 * step (the fact's, or the instant time has reached); outages_changed is
 * FALSE when the step fed no report. */
void            xn_ticket_engine_reconcile (XnTicketEngine *engine, XnInstant at, gboolean outages_changed);

/* ticket-facts.c */
/* Applies a fault.* fact; TRUE when tickets may have changed. */
gboolean        xn_ticket_engine_apply_fact (XnTicketEngine *engine, const XnFact *fact, XnInstant at);

/* ticket-state.c: copies, and the exact state of a ticket and an event
 * as JSON. */
XnTicket       *xn_ticket_copy_without_history (const XnTicket *ticket);
JsonNode       *xn_ticket_state_to_json (const XnTicket *ticket, gboolean with_history);
XnTicket       *xn_ticket_state_from_json (JsonNode *node, const char *where, GError **error);
JsonNode       *xn_ticket_event_state_to_json (const XnTicketEvent *event);
XnTicketEvent  *xn_ticket_event_state_from_json (JsonNode *node, const char *where, GError **error);

G_END_DECLS

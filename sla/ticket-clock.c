/* ticket-clock.c — the SLA clocks of a ticket and what falls due on them.
 *
 * Deadlines are sums of instants and targets (24×7, µs): response = R +
 * response target; restore = R + the target of the ticket's SLA class,
 * the most demanding one (shortest target) among the ticket's site and the
 * sites of every unit it affects, or R + the complex target once the fault
 * is declared complex before that deadline. Escalation level i falls due
 * at R + target × escalation[i] / 100 if the deadline is still unmet then.
 * A restored ticket closes when the flap grace after its restore has
 * passed. xn_ticket_engine_run_until() raises all of this in instant
 * order up to a given instant, each event at the instant it fell due,
 * however late the derivation runs — a collector that was down raises
 * every missed step at once, with the right instants. A deadline is
 * missed only once time is past it: something at the deadline itself
 * meets it. A level that falls due while a compliant maintenance window
 * covers the ticket's object is raised all the same (the clocks run: a
 * window does not excuse a fault) but held, not sent; at the window's end,
 * if the fault is still on, one message says so (doc/maintenance.md).
 * Nothing here reads a clock. */
#include "ticket-private.h"

#include <string.h>

const XnCarrier *
xn_ticket_carrier_of (const XnInventory *inventory, const char *object)
{
	if (g_str_has_prefix (object, "link/")) {
		const XnLink *link = xn_inventory_link_by_id (inventory, object + 5);

		return link != NULL ? link->carrier : NULL;
	}
	if (g_str_has_prefix (object, "node/")) {
		const XnNode *node = xn_inventory_node_by_name (inventory, object + 5);

		return node != NULL ? node->maintainer : NULL;
	}
	return NULL;
}

void
xn_ticket_update_deadlines (XnTicket *t)
{
	gboolean complex_in_time = t->complex_at != XN_TICKET_NONE && !t->complex_late;

	t->response_deadline = t->report + t->response_target_us;
	if (complex_in_time)
		t->restore_deadline = t->report + t->complex_target_us;
	else if (t->class_target_us >= 0)
		t->restore_deadline = t->report + t->class_target_us;
	else
		t->restore_deadline = XN_TICKET_NONE;
	/* Declared complex after the deadline: the breach raised stands, the
	 * later escalations are computed on the complex target. */
	if (t->complex_at != XN_TICKET_NONE)
		t->escalation_target_us = t->complex_target_us;
	else
		t->escalation_target_us = t->class_target_us;
}

void
xn_ticket_set_report (XnTicketEngine *engine, XnTicket *t, XnInstant report, gint64 seq, const char *rule)
{
	t->report = report;
	t->report_seq = seq;
	g_free (t->report_rule);
	t->report_rule = g_strdup (rule);
	t->response_target_us = engine->options.response_target_us;
	xn_ticket_update_deadlines (t);
}

/* The class of one site, with its target; FALSE when the site or its
 * class's target is unknown. */
static gboolean
site_target (const XnTicketEngine *engine, const char *site_name, const char **sla_class, gint64 *target)
{
	const XnSite *site = site_name != NULL ? xn_inventory_site_by_name (engine->inventory, site_name) : NULL;

	if (site == NULL)
		return FALSE;
	*sla_class = site->sla_class;
	*target = xn_ticket_options_restore_target (&engine->options, site->sla_class);
	return *target > 0;
}

void
xn_ticket_update_class (XnTicketEngine *engine, XnTicket *t)
{
	const char *best_class = NULL, *best_site = NULL;
	gint64 best = -1;

	/* Fixed once restored: the class was what the deadline said. */
	if (t->status != XN_TICKET_OPEN && t->sla_class != NULL)
		return;
	/* The ticket's own site first, then the units in name order: the
	 * first of the shortest targets names the class. */
	for (gint i = -1; i < 0 || t->units[i] != NULL; i++) {
		const XnAccessUnit *unit = i >= 0 ? xn_inventory_unit_by_name (engine->inventory, t->units[i]) : NULL;
		const char *site = i < 0 ? t->site : unit != NULL ? unit->site_name : NULL;
		const char *sla_class;
		gint64 target;

		if (site_target (engine, site, &sla_class, &target) && (best < 0 || target < best)) {
			best = target;
			best_class = sla_class;
			best_site = site;
		}
	}
	if (best < 0)
		return;
	if (t->sla_class != NULL && best == t->class_target_us && strcmp (t->sla_class, best_class) == 0)
		return;
	g_free (t->sla_class);
	g_free (t->sla_class_site);
	t->sla_class = g_strdup (best_class);
	t->sla_class_site = g_strdup (best_site);
	t->class_target_us = best;
	if (t->report != XN_TICKET_NONE)
		xn_ticket_update_deadlines (t);
}

/* ---- what falls due ---- */

typedef enum {
	ITEM_EXPIRY,          /* a provisional outage of a carrier stops being provisional */
	ITEM_RESPONSE,
	ITEM_RESTORE,
	ITEM_CLOSE,
	ITEM_WINDOW_END,      /* a window that held escalations ends */
	ITEM_NONE,
} ItemKind;

typedef struct {
	ItemKind   kind;
	XnInstant  at;
	XnTicket  *ticket;
} Item;

static XnInstant
breach_point (const XnTicket *t, gboolean response, guint index)
{
	gint64 target = response ? t->response_target_us : t->escalation_target_us;

	if (target < 0 || t->report == XN_TICKET_NONE || index >= t->escalation->len)
		return XN_TICKET_NONE;
	return t->report + target * g_array_index (t->escalation, guint, index) / 100;
}

/* The next level of a breach, if it is still unmet at its point: the
 * carrier's ticket, clocks running, not acknowledged (response) and not
 * restored by then. A restored ticket raises no response escalation
 * either: the fault it was about is over. */
static gboolean
breach_due (const XnTicket *t, gboolean response, XnInstant *at)
{
	const XnTicketBreach *b = response ? &t->response_breach : &t->restore_breach;
	XnInstant p = breach_point (t, response, b->level);

	if (p == XN_TICKET_NONE || t->attribution != XN_ATTRIBUTION_CARRIER || t->carrier == NULL)
		return FALSE;
	if (t->clocks_stopped != XN_TICKET_NONE && p >= t->clocks_stopped)
		return FALSE;
	if (response && t->acknowledged != XN_TICKET_NONE && t->acknowledged <= p)
		return FALSE;
	if (t->restored != XN_TICKET_NONE && t->restored <= p)
		return FALSE;
	*at = p;
	return TRUE;
}

static void
consider (Item *best, ItemKind kind, XnInstant at, XnTicket *ticket)
{
	if (best->kind == ITEM_NONE || at < best->at || (at == best->at && kind < best->kind)) {
		best->kind = kind;
		best->at = at;
		best->ticket = ticket;
	}
}

static Item
next_item (XnTicketEngine *engine, XnInstant until)
{
	Item best = { ITEM_NONE, 0, NULL };
	GPtrArray *live = xn_ticket_engine_live (engine);

	if (engine->next_expiry != XN_TICKET_NONE && engine->next_expiry <= until)
		consider (&best, ITEM_EXPIRY, engine->next_expiry, NULL);
	for (guint i = 0; i < live->len; i++) {
		XnTicket *t = g_ptr_array_index (live, i);
		XnInstant at;

		if (breach_due (t, TRUE, &at) && at < until)
			consider (&best, ITEM_RESPONSE, at, t);
		if (breach_due (t, FALSE, &at) && at < until)
			consider (&best, ITEM_RESTORE, at, t);
		if (t->status == XN_TICKET_RESTORED && t->restored + t->grace_us < until)
			consider (&best, ITEM_CLOSE, t->restored + t->grace_us, t);
		if (t->held_window != NULL && t->held_until < until)
			consider (&best, ITEM_WINDOW_END, t->held_until, t);
	}
	return best;
}

const XnMaintenanceWindow *
xn_ticket_engine_window (const XnTicketEngine *engine, const XnTicket *t, XnInstant at)
{
	if (engine->book == NULL || t->object == NULL)
		return NULL;
	return xn_maintenance_book_covering (engine->book, t->object, at);
}

static void
raise_breach (XnTicketEngine *engine, XnTicket *t, gboolean response, XnInstant at)
{
	XnTicketBreach *b = response ? &t->response_breach : &t->restore_breach;
	XnTicketEventKind kind = response ? XN_TICKET_EVENT_RESPONSE_BREACH : XN_TICKET_EVENT_RESTORE_BREACH;
	const XnMaintenanceWindow *window = xn_ticket_engine_window (engine, t, at);
	guint index = b->level;
	XnTicketEvent *event;
	XnInstant deadline = response ? t->response_deadline : t->report + t->escalation_target_us;

	b->raised[index] = at;
	b->level++;
	if (window != NULL) {
		xn_ticket_hold (t, kind, at, index + 1, window);
		return;
	}
	event = xn_ticket_engine_emit (engine, t, kind, at, index + 1, NULL);
	event->percent = g_array_index (t->escalation, guint, index);
	/* Level 1 of a fault declared complex too late was over the class
	 * deadline; later levels are over the complex one. */
	if (!response && index == 0 && t->restore_deadline != XN_TICKET_NONE)
		deadline = MIN (deadline, t->restore_deadline);
	event->deadline = deadline;
	event->over_us = at - deadline;
}

static void
close_ticket (XnTicketEngine *engine, XnTicket *t, XnInstant at)
{
	t->status = XN_TICKET_CLOSED;
	t->closed = at;
	/* Restored: the window's end has nothing to say. */
	g_clear_pointer (&t->held_window, g_free);
	t->held_until = XN_TICKET_NONE;
	if (t->attribution == XN_ATTRIBUTION_CARRIER && t->carrier != NULL && t->told)
		xn_ticket_engine_emit (engine, t, XN_TICKET_EVENT_CLOSED, at, 0, NULL);
}

/* The window that held the ticket's escalations is over: one message if
 * the fault is still on (a restored ticket says so with #closed). */
static void
end_window (XnTicketEngine *engine, XnTicket *t, XnInstant at)
{
	if (t->status == XN_TICKET_OPEN && t->attribution == XN_ATTRIBUTION_CARRIER && t->carrier != NULL)
		xn_ticket_engine_emit (engine, t, XN_TICKET_EVENT_MAINTENANCE_ENDED, at, 0, NULL);
	g_clear_pointer (&t->held_window, g_free);
	t->held_until = XN_TICKET_NONE;
}

void
xn_ticket_engine_run_until (XnTicketEngine *engine, XnInstant until)
{
	for (;;) {
		Item item = next_item (engine, until);

		if (item.kind == ITEM_NONE)
			break;
		xn_outage_engine_advance (engine->outages, item.at);
		switch (item.kind) {
		case ITEM_EXPIRY:
			/* Time changes only which outages are provisional. */
			xn_ticket_engine_reconcile (engine, item.at, FALSE);
			break;
		case ITEM_RESPONSE:
		case ITEM_RESTORE:
			raise_breach (engine, item.ticket, item.kind == ITEM_RESPONSE, item.at);
			break;
		case ITEM_CLOSE:
			close_ticket (engine, item.ticket, item.at);
			break;
		case ITEM_WINDOW_END:
			end_window (engine, item.ticket, item.at);
			break;
		case ITEM_NONE:
			g_assert_not_reached ();
		}
		xn_ticket_engine_seal (engine);
	}
	xn_outage_engine_advance (engine->outages, until);
}

XnInstant
xn_ticket_engine_next_due (XnTicketEngine *engine)
{
	Item item = next_item (engine, G_MAXINT64);

	return item.kind == ITEM_NONE ? XN_TICKET_NONE : item.at;
}

gboolean
xn_ticket_response_met (const XnTicket *t, XnInstant now, gboolean *decided)
{
	XnInstant stopped = t->clocks_stopped;

	if (t->acknowledged != XN_TICKET_NONE && (stopped == XN_TICKET_NONE || t->acknowledged <= stopped)) {
		*decided = TRUE;
		return t->acknowledged <= t->response_deadline;
	}
	/* The carrier's SLA ended at `stopped`: missed if the deadline had
	 * passed by then, else it no longer applies (undecided for good). */
	if (stopped != XN_TICKET_NONE) {
		*decided = stopped > t->response_deadline;
		return FALSE;
	}
	*decided = now > t->response_deadline || t->status == XN_TICKET_CLOSED;
	return FALSE;
}

gboolean
xn_ticket_restore_met (const XnTicket *t, XnInstant now, gboolean *decided)
{
	XnInstant stopped = t->clocks_stopped;

	if (t->restore_deadline == XN_TICKET_NONE) {
		*decided = FALSE;
		return FALSE;
	}
	if (t->restored != XN_TICKET_NONE && (stopped == XN_TICKET_NONE || t->restored <= stopped)) {
		/* Within the grace a flap can still make a met deadline missed;
		 * a missed one stays missed. */
		*decided = t->status == XN_TICKET_CLOSED || t->status == XN_TICKET_MERGED ||
			t->restored > t->restore_deadline;
		return t->restored <= t->restore_deadline;
	}
	if (stopped != XN_TICKET_NONE) {
		*decided = stopped > t->restore_deadline;
		return FALSE;
	}
	*decided = now > t->restore_deadline;
	return FALSE;
}

/* ticket-facts.c — what the operators' facts do to tickets.
 *
 * The CLI records people's actions as facts (source "cli:USER"):
 * fault.reported (a unit phoned: a manual ticket), fault.attributed
 * (carrier, operator or the unit's own LAN, with a reason),
 * fault.acknowledged (the carrier answered), fault.complex (with a reason)
 * and fault.restore-confirmed. Each takes effect at its ts. A fact about a
 * ticket that was merged applies to the ticket it is part of now; about a
 * ticket the engine does not know (yet), or a unit it does not know, it is
 * counted as unknown; with attributes that break the rules (no reason, an
 * unknown carrier) as invalid; about a closed ticket as late — never
 * refused, since the journal is append-only and an operator's typo must
 * not stop the derivation. Events these facts cause (#opened of a manual
 * ticket, #withdrawn, #attributed-N) take the instant the fact became
 * known. */
#include "ticket-private.h"

#include <string.h>

static const char *
attr_string (const XnFact *fact, const char *name)
{
	JsonNode *node = json_object_get_member (xn_fact_get_attrs (fact), name);

	if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string (node);
}

static void
set_string (char **field, const char *value)
{
	g_free (*field);
	*field = g_strdup (value);
}

/* The live ticket a ticket/ID fact is about, following merges; breach
 * ids name their ticket. Counts the fact when there is none. */
static XnTicket *
ticket_of (XnTicketEngine *engine, const XnFact *fact)
{
	g_autofree char *id = NULL;
	gsize n;
	XnTicket *t;

	if (!g_str_has_prefix (fact->subject, "ticket/")) {
		engine->stats.unknown++;
		return NULL;
	}
	id = g_strdup (fact->subject + 7);
	n = strlen (id);
	if (n > 2 && id[n - 2] == '-' && (id[n - 1] == 'R' || id[n - 1] == 'S'))
		id[n - 2] = '\0';
	t = xn_ticket_engine_follow (engine, id);
	if (t == NULL)
		engine->stats.unknown++;
	else if (!xn_ticket_is_live (t)) {
		engine->stats.late++;
		t = NULL;
	}
	return t;
}

static gboolean
reported (XnTicketEngine *engine, const XnFact *fact, XnInstant at)
{
	const XnAccessUnit *unit = g_str_has_prefix (fact->subject, "unit/") ?
		xn_inventory_unit_by_name (engine->inventory, fact->subject + 5) : NULL;
	const char *link_name = attr_string (fact, "link");
	const XnLink *link = link_name != NULL ? xn_inventory_link_by_id (engine->inventory, link_name) : NULL;
	g_autofree char *id = g_strdup_printf ("XN-%06" G_GINT64_FORMAT, fact->seq);
	const char *units[] = { NULL, NULL };
	GPtrArray *live;
	XnTicket *t;

	if (unit == NULL) {
		engine->stats.unknown++;
		return FALSE;
	}
	/* A link the caller named wrongly is no reason to lose the call: the
	 * unit's uplink is what a call is about anyway. */
	if (link == NULL)
		link = unit->uplink;
	t = xn_ticket_new_empty (id, fact->seq);
	t->manual = TRUE;
	t->unit = g_strdup (unit->name);
	t->link_id = link != NULL ? g_strdup (link->id) : NULL;
	t->reporter = g_strdup (attr_string (fact, "reporter"));
	t->report_by = g_strdup (attr_string (fact, "by"));
	t->description = g_strdup (attr_string (fact, "description"));
	t->source = g_strdup (fact->source);
	t->carrier = link != NULL && link->carrier != NULL ? g_strdup (link->carrier->name) : NULL;
	t->attribution = t->carrier != NULL ? XN_ATTRIBUTION_CARRIER : XN_ATTRIBUTION_OPERATOR;
	t->site = g_strdup (unit->site_name);
	t->site_rule = g_strdup ("unit site");
	t->fault_start = fact->ts;
	t->opened = at;
	t->complex_target_us = engine->options.complex_target_us;
	g_array_append_vals (t->escalation, engine->options.escalation, engine->options.n_escalation);
	t->grace_us = engine->options.grace_us;
	units[0] = unit->name;
	xn_ticket_add_units (t, units);
	xn_ticket_engine_insert (engine, t);
	xn_ticket_update_class (engine, t);
	xn_ticket_set_report (engine, t, fact->ts, fact->seq, "call");
	engine->stats.applied++;
	/* A unit calling about an incident already ticketed is part of it
	 * from the start (reconcile merges it before any event). */
	live = xn_ticket_engine_live (engine);
	for (guint i = 0; i < live->len; i++) {
		XnTicket *u = g_ptr_array_index (live, i);

		if (u != t && u->status == XN_TICKET_OPEN && u->report <= t->report &&
		    g_strv_contains ((const char *const *) u->units, unit->name))
			return TRUE;
	}
	if (t->attribution == XN_ATTRIBUTION_CARRIER)
		xn_ticket_engine_emit (engine, t, XN_TICKET_EVENT_OPENED, at, 0, NULL);
	return TRUE;
}

/* Hands the ticket to `carrier`: a new report time for it (a carrier is
 * not late on a fault it had not been given), and #opened, or
 * #attributed-N when an #opened went out before. */
static void
hand_over (XnTicketEngine *engine, XnTicket *t, const char *carrier, const XnFact *fact, XnInstant at)
{
	gboolean opened_before = FALSE;

	for (guint i = 0; i < t->events->len; i++)
		opened_before = opened_before ||
			((XnTicketEventRecord *) g_ptr_array_index (t->events, i))->kind == XN_TICKET_EVENT_OPENED;
	set_string (&t->carrier, carrier);
	t->clocks_stopped = XN_TICKET_NONE;
	t->acknowledged = XN_TICKET_NONE;
	g_clear_pointer (&t->carrier_ref, g_free);
	g_clear_pointer (&t->ack_contact, g_free);
	g_clear_pointer (&t->ack_by, g_free);
	xn_ticket_set_report (engine, t, fact->ts, fact->seq, "attributed");
	if (opened_before) {
		t->handovers++;
		xn_ticket_engine_emit (engine, t, XN_TICKET_EVENT_ATTRIBUTED, at, t->handovers, NULL);
	} else {
		t->opened = at;
		xn_ticket_engine_emit (engine, t, XN_TICKET_EVENT_OPENED, at, 0, NULL);
	}
}

static gboolean
attributed (XnTicketEngine *engine, const XnFact *fact, XnInstant at)
{
	XnTicket *t = ticket_of (engine, fact);
	const char *reason = attr_string (fact, "reason");
	const char *carrier_name = attr_string (fact, "carrier");
	const XnCarrier *carrier = carrier_name != NULL ?
		xn_inventory_carrier_by_name (engine->inventory, carrier_name) : NULL;
	XnTicketAttribution to;
	const char *new_carrier;
	gboolean leaving, entering;

	if (t == NULL)
		return FALSE;
	if (!xn_ticket_attribution_from_string (attr_string (fact, "to"), &to) || reason == NULL ||
	    reason[0] == '\0' || (carrier_name != NULL && carrier == NULL)) {
		engine->stats.invalid++;
		return FALSE;
	}
	new_carrier = to != XN_ATTRIBUTION_CARRIER ? t->carrier : carrier != NULL ? carrier->name : t->carrier;
	if (to == XN_ATTRIBUTION_CARRIER && new_carrier == NULL) {
		engine->stats.invalid++;
		return FALSE;
	}
	leaving = t->attribution == XN_ATTRIBUTION_CARRIER &&
		(to != XN_ATTRIBUTION_CARRIER || g_strcmp0 (new_carrier, t->carrier) != 0);
	entering = to == XN_ATTRIBUTION_CARRIER &&
		(t->attribution != XN_ATTRIBUTION_CARRIER || g_strcmp0 (new_carrier, t->carrier) != 0);
	set_string (&t->attribution_reason, reason);
	set_string (&t->attribution_by, fact->source);
	t->attributed_at = fact->ts;
	if (leaving) {
		/* The carrier stops answering for it from the decision on. */
		if (t->clocks_stopped == XN_TICKET_NONE)
			t->clocks_stopped = fact->ts;
		if (t->told) {
			t->withdrawals++;
			xn_ticket_engine_emit (engine, t, XN_TICKET_EVENT_WITHDRAWN, at, t->withdrawals, t->carrier);
			t->told = FALSE;
		}
	}
	t->attribution = to;
	if (entering)
		hand_over (engine, t, new_carrier, fact, at);
	engine->stats.applied++;
	return TRUE;
}

static gboolean
acknowledged (XnTicketEngine *engine, const XnFact *fact)
{
	XnTicket *t = ticket_of (engine, fact);
	const char *ref = attr_string (fact, "carrier_ref");
	const char *contact = attr_string (fact, "contact");

	if (t == NULL)
		return FALSE;
	/* The first acknowledgement answers the report; later ones may add
	 * the carrier's reference or contact. */
	if (t->acknowledged == XN_TICKET_NONE) {
		t->acknowledged = fact->ts;
		set_string (&t->ack_by, fact->source);
	}
	if (ref != NULL && (ref[0] != '\0' || t->carrier_ref == NULL))
		set_string (&t->carrier_ref, ref);
	if (contact != NULL && (contact[0] != '\0' || t->ack_contact == NULL))
		set_string (&t->ack_contact, contact);
	engine->stats.applied++;
	return TRUE;
}

static gboolean
declared_complex (XnTicketEngine *engine, const XnFact *fact)
{
	XnTicket *t = ticket_of (engine, fact);
	const char *reason = attr_string (fact, "reason");

	if (t == NULL)
		return FALSE;
	if (reason == NULL || reason[0] == '\0') {
		engine->stats.invalid++;
		return FALSE;
	}
	engine->stats.applied++;
	if (t->complex_at != XN_TICKET_NONE)
		return FALSE;
	t->complex_at = fact->ts;
	t->complex_late = t->restore_deadline != XN_TICKET_NONE && fact->ts > t->restore_deadline;
	set_string (&t->complex_reason, reason);
	xn_ticket_update_deadlines (t);
	return TRUE;
}

static gboolean
restore_confirmed (XnTicketEngine *engine, const XnFact *fact)
{
	XnTicket *t = ticket_of (engine, fact);

	if (t == NULL)
		return FALSE;
	if (fact->ts < t->fault_start) {
		engine->stats.invalid++;
		return FALSE;
	}
	t->restored = fact->ts;
	t->restore_confirmed = TRUE;
	set_string (&t->restore_note, attr_string (fact, "note"));
	t->status = XN_TICKET_RESTORED;
	engine->stats.applied++;
	return TRUE;
}

gboolean
xn_ticket_engine_apply_fact (XnTicketEngine *engine, const XnFact *fact, XnInstant at)
{
	if (strcmp (fact->kind, "fault.reported") == 0)
		return reported (engine, fact, at);
	if (strcmp (fact->kind, "fault.attributed") == 0)
		return attributed (engine, fact, at);
	if (strcmp (fact->kind, "fault.acknowledged") == 0)
		return acknowledged (engine, fact);
	if (strcmp (fact->kind, "fault.complex") == 0)
		return declared_complex (engine, fact);
	if (strcmp (fact->kind, "fault.restore-confirmed") == 0)
		return restore_confirmed (engine, fact);
	return FALSE;
}

/* ticket-state.c — a ticket and an event as plain data: freeing, copying,
 * the names of the enumerations, and the exact JSON state the snapshot
 * stores.
 *
 * The state form carries every field (instants as integer µs, null for
 * XN_TICKET_NONE) so that reading it back gives an equal ticket.
 * Reading is strict: every key must be there, no other key is allowed, and
 * an error names the place ("tickets[3].outages[0]: key \"end\" is
 * missing"). What `extranoc ticket show` prints is ticket-json.c. */
#include "ticket-private.h"
#include "xn-error.h"

#include <string.h>

static const char *const status_names[] = { "open", "restored", "closed", "merged" };
static const char *const attribution_names[] = { "carrier", "operator", "unit-lan" };
static const char *const link_names[] = { "root", "dependent", "flap", "merged" };
static const char *const event_names[XN_TICKET_EVENT_KIND_COUNT] = {
	"opened", "attributed", "merged", "withdrawn", "reopened", "closed", "response-breach", "restore-breach",
	"maintenance-ended",
};

const char *
xn_ticket_status_to_string (XnTicketStatus status)
{
	return status_names[status];
}

const char *
xn_ticket_attribution_to_string (XnTicketAttribution attribution)
{
	return attribution_names[attribution];
}

gboolean
xn_ticket_attribution_from_string (const char *text, XnTicketAttribution *out)
{
	for (guint i = 0; text != NULL && i < G_N_ELEMENTS (attribution_names); i++)
		if (strcmp (text, attribution_names[i]) == 0) {
			*out = i;
			return TRUE;
		}
	return FALSE;
}

const char *
xn_ticket_link_to_string (XnTicketLink link)
{
	return link_names[link];
}

const char *
xn_ticket_event_kind_to_string (XnTicketEventKind kind)
{
	return event_names[kind];
}

static gboolean
name_index (const char *const *names, guint n, const char *text, guint *out)
{
	for (guint i = 0; i < n; i++)
		if (strcmp (names[i], text) == 0) {
			*out = i;
			return TRUE;
		}
	return FALSE;
}

void
xn_ticket_outage_free (XnTicketOutage *outage)
{
	if (outage == NULL)
		return;
	g_free (outage->id);
	g_free (outage->object);
	g_strfreev (outage->units);
	g_free (outage);
}

static void
record_free (gpointer data)
{
	XnTicketEventRecord *record = data;

	g_free (record->id);
	g_free (record->carrier);
	g_free (record->held);
	g_free (record);
}

XnTicket *
xn_ticket_new_empty (const char *id, gint64 seq)
{
	XnTicket *t = g_new0 (XnTicket, 1);

	t->id = g_strdup (id);
	t->seq = seq;
	t->status = XN_TICKET_OPEN;
	t->attribution = XN_ATTRIBUTION_CARRIER;
	t->attributed_at = XN_TICKET_NONE;
	t->outages = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_ticket_outage_free);
	t->units = g_new0 (char *, 1);
	t->merged = g_new0 (char *, 1);
	t->class_target_us = -1;
	t->escalation_target_us = -1;
	t->escalation = g_array_new (FALSE, TRUE, sizeof (guint));
	t->fault_start = t->opened = t->report = XN_TICKET_NONE;
	t->response_deadline = t->restore_deadline = XN_TICKET_NONE;
	t->complex_at = t->acknowledged = t->restored = t->closed = t->clocks_stopped = XN_TICKET_NONE;
	t->held_until = XN_TICKET_NONE;
	t->flagged = g_new0 (char *, 1);
	t->events = g_ptr_array_new_with_free_func (record_free);
	return t;
}

void
xn_ticket_free (XnTicket *t)
{
	if (t == NULL)
		return;
	g_free (t->id);
	g_free (t->carrier);
	g_free (t->attribution_reason);
	g_free (t->attribution_by);
	g_free (t->object);
	g_free (t->root_outage);
	g_free (t->unit);
	g_free (t->link_id);
	g_free (t->reporter);
	g_free (t->report_by);
	g_free (t->description);
	g_free (t->source);
	g_ptr_array_unref (t->outages);
	g_strfreev (t->units);
	g_strfreev (t->merged);
	g_free (t->merged_into);
	g_free (t->site);
	g_free (t->site_rule);
	g_free (t->sla_class);
	g_free (t->sla_class_site);
	g_free (t->report_rule);
	g_free (t->window);
	g_free (t->held_window);
	g_strfreev (t->flagged);
	g_array_unref (t->escalation);
	g_free (t->complex_reason);
	g_free (t->carrier_ref);
	g_free (t->ack_contact);
	g_free (t->ack_by);
	g_free (t->restore_note);
	g_ptr_array_unref (t->events);
	g_free (t);
}

static XnTicketOutage *
outage_copy (const XnTicketOutage *a)
{
	XnTicketOutage *b = g_memdup2 (a, sizeof *a);

	b->id = g_strdup (a->id);
	b->object = g_strdup (a->object);
	b->units = g_strdupv (a->units);
	return b;
}

static XnTicketEventRecord *
record_copy (const XnTicketEventRecord *r)
{
	XnTicketEventRecord *c = g_memdup2 (r, sizeof *r);

	c->id = g_strdup (r->id);
	c->carrier = g_strdup (r->carrier);
	c->held = g_strdup (r->held);
	return c;
}

/* Every field: the scalars with the struct, then each string and list
 * (test-ticket-replay.c checks that a copy prints the same state). */
XnTicket *
xn_ticket_copy_without_history (const XnTicket *t)
{
	XnTicket *c = g_memdup2 (t, sizeof *t);
	char **strings[] = {
		&c->id, &c->carrier, &c->attribution_reason, &c->attribution_by, &c->object, &c->root_outage,
		&c->unit, &c->link_id, &c->reporter, &c->report_by, &c->description, &c->source,
		&c->merged_into, &c->site, &c->site_rule, &c->sla_class, &c->sla_class_site, &c->report_rule,
		&c->complex_reason, &c->carrier_ref, &c->ack_contact, &c->ack_by, &c->restore_note, &c->window,
		&c->held_window,
	};

	for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
		*strings[i] = g_strdup (*strings[i]);
	c->outages = g_ptr_array_new_full (t->outages->len, (GDestroyNotify) xn_ticket_outage_free);
	for (guint i = 0; i < t->outages->len; i++)
		g_ptr_array_add (c->outages, outage_copy (g_ptr_array_index (t->outages, i)));
	c->units = g_strdupv (t->units);
	c->merged = g_strdupv (t->merged);
	c->flagged = g_strdupv (t->flagged);
	c->escalation = g_array_copy (t->escalation);
	c->events = g_ptr_array_new_with_free_func (record_free);
	return c;
}

XnTicket *
xn_ticket_copy (const XnTicket *ticket)
{
	XnTicket *c = xn_ticket_copy_without_history (ticket);

	for (guint i = 0; i < ticket->events->len; i++)
		g_ptr_array_add (c->events, record_copy (g_ptr_array_index (ticket->events, i)));
	return c;
}

void
xn_ticket_event_free (XnTicketEvent *event)
{
	if (event == NULL)
		return;
	g_free (event->id);
	g_free (event->ticket_id);
	g_free (event->carrier);
	g_free (event->breach_id);
	g_free (event->window);
	xn_ticket_free (event->ticket);
	g_free (event);
}

XnTicketEvent *
xn_ticket_event_copy (const XnTicketEvent *event)
{
	XnTicketEvent *c = g_memdup2 (event, sizeof *event);

	c->id = g_strdup (event->id);
	c->ticket_id = g_strdup (event->ticket_id);
	c->carrier = g_strdup (event->carrier);
	c->breach_id = g_strdup (event->breach_id);
	c->window = g_strdup (event->window);
	c->ticket = event->ticket != NULL ? xn_ticket_copy (event->ticket) : NULL;
	return c;
}

/* ---- writing ---- */

static void
put_string (JsonObject *o, const char *key, const char *value)
{
	if (value == NULL)
		json_object_set_null_member (o, key);
	else
		json_object_set_string_member (o, key, value);
}

static void
put_instant (JsonObject *o, const char *key, XnInstant value)
{
	if (value == XN_TICKET_NONE)
		json_object_set_null_member (o, key);
	else
		json_object_set_int_member (o, key, value);
}

static JsonArray *
strv_array (const char *const *strv)
{
	JsonArray *array = json_array_new ();

	for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
		json_array_add_string_element (array, strv[i]);
	return array;
}

static JsonObject *
outage_state (const XnTicketOutage *a)
{
	JsonObject *o = json_object_new ();

	json_object_set_string_member (o, "id", a->id);
	json_object_set_string_member (o, "object", a->object);
	json_object_set_string_member (o, "link", link_names[a->link]);
	json_object_set_int_member (o, "start", a->start);
	json_object_set_int_member (o, "end", a->end);
	put_instant (o, "hold_end", a->hold_end);
	json_object_set_array_member (o, "units", strv_array ((const char *const *) a->units));
	return o;
}

static JsonArray *
breach_state (const XnTicketBreach *b)
{
	JsonArray *array = json_array_new ();

	for (guint i = 0; i < b->level; i++)
		json_array_add_int_element (array, b->raised[i]);
	return array;
}

static JsonObject *
record_state (const XnTicketEventRecord *r)
{
	JsonObject *o = json_object_new ();

	json_object_set_string_member (o, "id", r->id);
	json_object_set_string_member (o, "kind", event_names[r->kind]);
	json_object_set_int_member (o, "instant", r->instant);
	json_object_set_int_member (o, "level", r->level);
	put_string (o, "carrier", r->carrier);
	put_string (o, "held", r->held);
	return o;
}

/* The keys, in the order written; reading checks them. */
static const char *const ticket_keys[] = {
	"id", "seq", "manual", "status", "attribution", "carrier", "attribution_reason", "attribution_by",
	"attributed_at", "object", "root_outage", "unit", "link_id", "reporter", "report_by", "description",
	"source", "outages", "units", "merged", "merged_into", "site", "site_rule", "sla_class",
	"sla_class_site", "fault_start", "opened", "report", "report_seq", "report_rule", "response_target",
	"class_target", "complex_target", "escalation_target", "escalation", "grace", "response_deadline",
	"restore_deadline", "complex_at", "complex_late", "complex_reason", "acknowledged", "carrier_ref",
	"ack_contact", "ack_by", "restored", "restore_confirmed", "restore_note", "closed", "clocks_stopped",
	"reopens", "withdrawals", "handovers", "told", "window", "held_window", "held_until", "flagged",
	"response_breach", "restore_breach", "events", NULL,
};

/* Who, what and where: the first half of the state. */
static void
put_identity (JsonObject *o, const XnTicket *t)
{
	JsonArray *outages = json_array_new ();

	json_object_set_string_member (o, "id", t->id);
	json_object_set_int_member (o, "seq", t->seq);
	json_object_set_boolean_member (o, "manual", t->manual);
	json_object_set_string_member (o, "status", status_names[t->status]);
	json_object_set_string_member (o, "attribution", attribution_names[t->attribution]);
	put_string (o, "carrier", t->carrier);
	put_string (o, "attribution_reason", t->attribution_reason);
	put_string (o, "attribution_by", t->attribution_by);
	put_instant (o, "attributed_at", t->attributed_at);
	put_string (o, "object", t->object);
	put_string (o, "root_outage", t->root_outage);
	put_string (o, "unit", t->unit);
	put_string (o, "link_id", t->link_id);
	put_string (o, "reporter", t->reporter);
	put_string (o, "report_by", t->report_by);
	put_string (o, "description", t->description);
	put_string (o, "source", t->source);
	for (guint i = 0; i < t->outages->len; i++)
		json_array_add_object_element (outages, outage_state (g_ptr_array_index (t->outages, i)));
	json_object_set_array_member (o, "outages", outages);
	json_object_set_array_member (o, "units", strv_array ((const char *const *) t->units));
	json_object_set_array_member (o, "merged", strv_array ((const char *const *) t->merged));
	put_string (o, "merged_into", t->merged_into);
	put_string (o, "site", t->site);
	put_string (o, "site_rule", t->site_rule);
	put_string (o, "sla_class", t->sla_class);
	put_string (o, "sla_class_site", t->sla_class_site);
}

/* The clocks: the second half. */
static void
put_clocks (JsonObject *o, const XnTicket *t)
{
	JsonArray *escalation = json_array_new ();

	put_instant (o, "fault_start", t->fault_start);
	put_instant (o, "opened", t->opened);
	put_instant (o, "report", t->report);
	json_object_set_int_member (o, "report_seq", t->report_seq);
	put_string (o, "report_rule", t->report_rule);
	json_object_set_int_member (o, "response_target", t->response_target_us);
	json_object_set_int_member (o, "class_target", t->class_target_us);
	json_object_set_int_member (o, "complex_target", t->complex_target_us);
	json_object_set_int_member (o, "escalation_target", t->escalation_target_us);
	for (guint i = 0; i < t->escalation->len; i++)
		json_array_add_int_element (escalation, g_array_index (t->escalation, guint, i));
	json_object_set_array_member (o, "escalation", escalation);
	json_object_set_int_member (o, "grace", t->grace_us);
	put_instant (o, "response_deadline", t->response_deadline);
	put_instant (o, "restore_deadline", t->restore_deadline);
	put_instant (o, "complex_at", t->complex_at);
	json_object_set_boolean_member (o, "complex_late", t->complex_late);
	put_string (o, "complex_reason", t->complex_reason);
	put_instant (o, "acknowledged", t->acknowledged);
	put_string (o, "carrier_ref", t->carrier_ref);
	put_string (o, "ack_contact", t->ack_contact);
	put_string (o, "ack_by", t->ack_by);
	put_instant (o, "restored", t->restored);
	json_object_set_boolean_member (o, "restore_confirmed", t->restore_confirmed);
	put_string (o, "restore_note", t->restore_note);
	put_instant (o, "closed", t->closed);
	put_instant (o, "clocks_stopped", t->clocks_stopped);
	json_object_set_int_member (o, "reopens", t->reopens);
	json_object_set_int_member (o, "withdrawals", t->withdrawals);
	json_object_set_int_member (o, "handovers", t->handovers);
	json_object_set_boolean_member (o, "told", t->told);
	put_string (o, "window", t->window);
	put_string (o, "held_window", t->held_window);
	put_instant (o, "held_until", t->held_until);
	json_object_set_array_member (o, "flagged", strv_array ((const char *const *) t->flagged));
	json_object_set_array_member (o, "response_breach", breach_state (&t->response_breach));
	json_object_set_array_member (o, "restore_breach", breach_state (&t->restore_breach));
}

JsonNode *
xn_ticket_state_to_json (const XnTicket *t, gboolean with_history)
{
	JsonObject *o = json_object_new ();
	JsonArray *events = json_array_new ();
	JsonNode *node = json_node_new (JSON_NODE_OBJECT);

	put_identity (o, t);
	put_clocks (o, t);
	for (guint i = 0; with_history && i < t->events->len; i++)
		json_array_add_object_element (events, record_state (g_ptr_array_index (t->events, i)));
	json_object_set_array_member (o, "events", events);
	json_node_take_object (node, o);
	return node;
}

static const char *const event_keys[] = {
	"id", "ticket_id", "kind", "instant", "level", "percent", "carrier", "breach_id", "deadline",
	"over", "window", "ticket", NULL,
};

JsonNode *
xn_ticket_event_state_to_json (const XnTicketEvent *e)
{
	JsonObject *o = json_object_new ();
	JsonNode *node = json_node_new (JSON_NODE_OBJECT);

	json_object_set_string_member (o, "id", e->id);
	json_object_set_string_member (o, "ticket_id", e->ticket_id);
	json_object_set_string_member (o, "kind", event_names[e->kind]);
	json_object_set_int_member (o, "instant", e->instant);
	json_object_set_int_member (o, "level", e->level);
	json_object_set_int_member (o, "percent", e->percent);
	put_string (o, "carrier", e->carrier);
	put_string (o, "breach_id", e->breach_id);
	put_instant (o, "deadline", e->deadline);
	json_object_set_int_member (o, "over", e->over_us);
	put_string (o, "window", e->window);
	if (e->ticket != NULL)
		json_object_set_member (o, "ticket", xn_ticket_state_to_json (e->ticket, FALSE));
	else
		json_object_set_null_member (o, "ticket");
	json_node_take_object (node, o);
	return node;
}

/* ---- reading: the first problem is reported, with its place ---- */

typedef struct {
	const char *where;
	GError    **error;
	gboolean    ok;
} Rd;

G_GNUC_PRINTF (2, 3) static void
rd_fail (Rd *rd, const char *format, ...)
{
	g_autofree char *message = NULL;
	va_list args;

	if (!rd->ok)
		return;
	va_start (args, format);
	message = g_strdup_vprintf (format, args);
	va_end (args);
	g_set_error (rd->error, XN_ERROR, XN_ERROR_INVALID, "%s: %s", rd->where, message);
	rd->ok = FALSE;
}

static void
rd_keys (Rd *rd, JsonObject *o, const char *const *keys)
{
	g_autoptr(GList) members = json_object_get_members (o);

	for (GList *m = members; m != NULL; m = m->next)
		if (!g_strv_contains (keys, m->data)) {
			rd_fail (rd, "unknown key \"%s\"", (const char *) m->data);
			return;
		}
	for (guint i = 0; keys[i] != NULL; i++)
		if (!json_object_has_member (o, keys[i])) {
			rd_fail (rd, "key \"%s\" is missing", keys[i]);
			return;
		}
}

static JsonNode *
rd_member (Rd *rd, JsonObject *o, const char *key)
{
	JsonNode *node = rd->ok ? json_object_get_member (o, key) : NULL;

	if (rd->ok && node == NULL)
		rd_fail (rd, "key \"%s\" is missing", key);
	return node;
}

static char *
rd_string (Rd *rd, JsonObject *o, const char *key, gboolean nullable)
{
	JsonNode *node = rd_member (rd, o, key);

	if (node == NULL)
		return NULL;
	if (nullable && JSON_NODE_HOLDS_NULL (node))
		return NULL;
	if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING) {
		rd_fail (rd, "\"%s\" must be a string%s", key, nullable ? " or null" : "");
		return NULL;
	}
	return g_strdup (json_node_get_string (node));
}

static gint64
rd_int (Rd *rd, JsonObject *o, const char *key, gint64 min, gint64 max)
{
	JsonNode *node = rd_member (rd, o, key);

	if (node == NULL)
		return 0;
	if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
	    json_node_get_int (node) < min || json_node_get_int (node) > max) {
		rd_fail (rd, "\"%s\" must be an integer from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
			 key, min, max);
		return 0;
	}
	return json_node_get_int (node);
}

static XnInstant
rd_instant (Rd *rd, JsonObject *o, const char *key)
{
	JsonNode *node = rd_member (rd, o, key);

	if (node != NULL && JSON_NODE_HOLDS_NULL (node))
		return XN_TICKET_NONE;
	return rd_int (rd, o, key, G_MININT64 + 1, G_MAXINT64);
}

static gboolean
rd_bool (Rd *rd, JsonObject *o, const char *key)
{
	JsonNode *node = rd_member (rd, o, key);

	if (node == NULL)
		return FALSE;
	if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN) {
		rd_fail (rd, "\"%s\" must be true or false", key);
		return FALSE;
	}
	return json_node_get_boolean (node);
}

static guint
rd_enum (Rd *rd, JsonObject *o, const char *key, const char *const *names, guint n)
{
	g_autofree char *text = rd_string (rd, o, key, FALSE);
	guint value = 0;

	if (text != NULL && !name_index (names, n, text, &value))
		rd_fail (rd, "\"%s\" has an unknown value \"%s\"", key, text);
	return value;
}

static JsonArray *
rd_array (Rd *rd, JsonObject *o, const char *key)
{
	JsonNode *node = rd_member (rd, o, key);

	if (node == NULL)
		return NULL;
	if (!JSON_NODE_HOLDS_ARRAY (node)) {
		rd_fail (rd, "\"%s\" must be an array", key);
		return NULL;
	}
	return json_node_get_array (node);
}

static GStrv
rd_strv (Rd *rd, JsonObject *o, const char *key)
{
	JsonArray *array = rd_array (rd, o, key);
	GStrvBuilder *builder = g_strv_builder_new ();
	GStrv strv;

	for (guint i = 0; array != NULL && i < json_array_get_length (array); i++) {
		JsonNode *node = json_array_get_element (array, i);

		if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING) {
			rd_fail (rd, "\"%s\"[%u] must be a string", key, i);
			break;
		}
		g_strv_builder_add (builder, json_node_get_string (node));
	}
	strv = g_strv_builder_end (builder);
	g_strv_builder_unref (builder);
	return strv;
}

/* Runs `read` on each element of o[key], an array of objects, with the
 * place "WHERE.key[i]". */
static void
rd_each (Rd *rd, JsonObject *o, const char *key, void (*read) (Rd *, JsonObject *, gpointer), gpointer data)
{
	JsonArray *array = rd_array (rd, o, key);

	for (guint i = 0; rd->ok && array != NULL && i < json_array_get_length (array); i++) {
		JsonNode *node = json_array_get_element (array, i);
		g_autofree char *where = g_strdup_printf ("%s.%s[%u]", rd->where, key, i);
		Rd inner = { where, rd->error, TRUE };

		if (!JSON_NODE_HOLDS_OBJECT (node))
			rd_fail (&inner, "must be an object");
		else
			read (&inner, json_node_get_object (node), data);
		rd->ok = inner.ok;
	}
}

static const char *const outage_keys[] = { "id", "object", "link", "start", "end", "hold_end", "units", NULL };

static void
read_outage (Rd *rd, JsonObject *o, gpointer data)
{
	XnTicket *t = data;
	XnTicketOutage *a = g_new0 (XnTicketOutage, 1);

	rd_keys (rd, o, outage_keys);
	a->id = rd_string (rd, o, "id", FALSE);
	a->object = rd_string (rd, o, "object", FALSE);
	a->link = rd_enum (rd, o, "link", link_names, G_N_ELEMENTS (link_names));
	a->start = rd_int (rd, o, "start", G_MININT64 + 1, G_MAXINT64);
	a->end = rd_int (rd, o, "end", G_MININT64 + 1, G_MAXINT64);
	a->hold_end = rd_instant (rd, o, "hold_end");
	a->units = rd_strv (rd, o, "units");
	g_ptr_array_add (t->outages, a);
}

static const char *const record_keys[] = { "id", "kind", "instant", "level", "carrier", "held", NULL };

static void
read_record (Rd *rd, JsonObject *o, gpointer data)
{
	XnTicket *t = data;
	XnTicketEventRecord *r = g_new0 (XnTicketEventRecord, 1);

	rd_keys (rd, o, record_keys);
	r->id = rd_string (rd, o, "id", FALSE);
	r->kind = rd_enum (rd, o, "kind", event_names, XN_TICKET_EVENT_KIND_COUNT);
	r->instant = rd_int (rd, o, "instant", G_MININT64 + 1, G_MAXINT64);
	r->level = rd_int (rd, o, "level", 0, G_MAXUINT);
	r->carrier = rd_string (rd, o, "carrier", TRUE);
	r->held = rd_string (rd, o, "held", TRUE);
	g_ptr_array_add (t->events, r);
}

static void
rd_breach (Rd *rd, JsonObject *o, const char *key, XnTicketBreach *b)
{
	JsonArray *array = rd_array (rd, o, key);
	guint n = array != NULL ? json_array_get_length (array) : 0;

	if (n > XN_TICKET_MAX_ESCALATION) {
		rd_fail (rd, "\"%s\" has more than %u levels", key, XN_TICKET_MAX_ESCALATION);
		return;
	}
	for (guint i = 0; rd->ok && i < n; i++) {
		JsonNode *node = json_array_get_element (array, i);

		if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64) {
			rd_fail (rd, "\"%s\"[%u] must be an integer", key, i);
			return;
		}
		b->raised[i] = json_node_get_int (node);
	}
	b->level = n;
}

static void
rd_escalation (Rd *rd, JsonObject *o, XnTicket *t)
{
	JsonArray *array = rd_array (rd, o, "escalation");

	for (guint i = 0; rd->ok && array != NULL && i < json_array_get_length (array); i++) {
		JsonNode *node = json_array_get_element (array, i);
		guint percent;

		if (i >= XN_TICKET_MAX_ESCALATION || !JSON_NODE_HOLDS_VALUE (node) ||
		    json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 1 ||
		    json_node_get_int (node) > 10000) {
			rd_fail (rd, "\"escalation\"[%u] must be a percent from 1 to 10000, at most %u of them",
				 i, XN_TICKET_MAX_ESCALATION);
			return;
		}
		percent = json_node_get_int (node);
		g_array_append_val (t->escalation, percent);
	}
}

static void
read_ticket_fields (Rd *rd, JsonObject *o, XnTicket *t)
{
	t->manual = rd_bool (rd, o, "manual");
	t->status = rd_enum (rd, o, "status", status_names, G_N_ELEMENTS (status_names));
	t->attribution = rd_enum (rd, o, "attribution", attribution_names, G_N_ELEMENTS (attribution_names));
	t->carrier = rd_string (rd, o, "carrier", TRUE);
	t->attribution_reason = rd_string (rd, o, "attribution_reason", TRUE);
	t->attribution_by = rd_string (rd, o, "attribution_by", TRUE);
	t->attributed_at = rd_instant (rd, o, "attributed_at");
	t->object = rd_string (rd, o, "object", TRUE);
	t->root_outage = rd_string (rd, o, "root_outage", TRUE);
	t->unit = rd_string (rd, o, "unit", TRUE);
	t->link_id = rd_string (rd, o, "link_id", TRUE);
	t->reporter = rd_string (rd, o, "reporter", TRUE);
	t->report_by = rd_string (rd, o, "report_by", TRUE);
	t->description = rd_string (rd, o, "description", TRUE);
	t->source = rd_string (rd, o, "source", TRUE);
	rd_each (rd, o, "outages", read_outage, t);
	g_strfreev (t->units);
	t->units = rd_strv (rd, o, "units");
	g_strfreev (t->merged);
	t->merged = rd_strv (rd, o, "merged");
	t->merged_into = rd_string (rd, o, "merged_into", TRUE);
	t->site = rd_string (rd, o, "site", TRUE);
	t->site_rule = rd_string (rd, o, "site_rule", TRUE);
	t->sla_class = rd_string (rd, o, "sla_class", TRUE);
	t->sla_class_site = rd_string (rd, o, "sla_class_site", TRUE);
	t->fault_start = rd_instant (rd, o, "fault_start");
	t->opened = rd_instant (rd, o, "opened");
	t->report = rd_instant (rd, o, "report");
	t->report_seq = rd_int (rd, o, "report_seq", 0, G_MAXINT64);
	t->report_rule = rd_string (rd, o, "report_rule", TRUE);
	t->response_target_us = rd_int (rd, o, "response_target", -1, G_MAXINT64);
	t->class_target_us = rd_int (rd, o, "class_target", -1, G_MAXINT64);
	t->complex_target_us = rd_int (rd, o, "complex_target", -1, G_MAXINT64);
	t->escalation_target_us = rd_int (rd, o, "escalation_target", -1, G_MAXINT64);
	rd_escalation (rd, o, t);
	t->grace_us = rd_int (rd, o, "grace", 0, G_MAXINT64);
	t->response_deadline = rd_instant (rd, o, "response_deadline");
	t->restore_deadline = rd_instant (rd, o, "restore_deadline");
	t->complex_at = rd_instant (rd, o, "complex_at");
	t->complex_late = rd_bool (rd, o, "complex_late");
	t->complex_reason = rd_string (rd, o, "complex_reason", TRUE);
	t->acknowledged = rd_instant (rd, o, "acknowledged");
	t->carrier_ref = rd_string (rd, o, "carrier_ref", TRUE);
	t->ack_contact = rd_string (rd, o, "ack_contact", TRUE);
	t->ack_by = rd_string (rd, o, "ack_by", TRUE);
	t->restored = rd_instant (rd, o, "restored");
	t->restore_confirmed = rd_bool (rd, o, "restore_confirmed");
	t->restore_note = rd_string (rd, o, "restore_note", TRUE);
	t->closed = rd_instant (rd, o, "closed");
	t->clocks_stopped = rd_instant (rd, o, "clocks_stopped");
	t->reopens = rd_int (rd, o, "reopens", 0, G_MAXUINT);
	t->withdrawals = rd_int (rd, o, "withdrawals", 0, G_MAXUINT);
	t->handovers = rd_int (rd, o, "handovers", 0, G_MAXUINT);
	t->told = rd_bool (rd, o, "told");
	t->window = rd_string (rd, o, "window", TRUE);
	t->held_window = rd_string (rd, o, "held_window", TRUE);
	t->held_until = rd_instant (rd, o, "held_until");
	g_strfreev (t->flagged);
	t->flagged = rd_strv (rd, o, "flagged");
	rd_breach (rd, o, "response_breach", &t->response_breach);
	rd_breach (rd, o, "restore_breach", &t->restore_breach);
	rd_each (rd, o, "events", read_record, t);
}

XnTicket *
xn_ticket_state_from_json (JsonNode *node, const char *where, GError **error)
{
	Rd rd = { where, error, TRUE };
	g_autoptr(XnTicket) t = NULL;
	g_autofree char *id = NULL;
	JsonObject *o;

	if (!JSON_NODE_HOLDS_OBJECT (node)) {
		rd_fail (&rd, "must be an object");
		return NULL;
	}
	o = json_node_get_object (node);
	rd_keys (&rd, o, ticket_keys);
	id = rd_string (&rd, o, "id", FALSE);
	t = xn_ticket_new_empty (id, rd_int (&rd, o, "seq", 1, G_MAXINT64));
	read_ticket_fields (&rd, o, t);
	if (rd.ok && (t->escalation->len < 1 || t->response_breach.level > t->escalation->len ||
		      t->restore_breach.level > t->escalation->len))
		rd_fail (&rd, "breach levels beyond the %u escalation steps", t->escalation->len);
	return rd.ok ? g_steal_pointer (&t) : NULL;
}

XnTicketEvent *
xn_ticket_event_state_from_json (JsonNode *node, const char *where, GError **error)
{
	Rd rd = { where, error, TRUE };
	g_autoptr(XnTicketEvent) e = g_new0 (XnTicketEvent, 1);
	JsonObject *o;
	JsonNode *ticket;

	if (!JSON_NODE_HOLDS_OBJECT (node)) {
		rd_fail (&rd, "must be an object");
		return NULL;
	}
	o = json_node_get_object (node);
	rd_keys (&rd, o, event_keys);
	e->id = rd_string (&rd, o, "id", FALSE);
	e->ticket_id = rd_string (&rd, o, "ticket_id", FALSE);
	e->kind = rd_enum (&rd, o, "kind", event_names, XN_TICKET_EVENT_KIND_COUNT);
	e->instant = rd_int (&rd, o, "instant", G_MININT64 + 1, G_MAXINT64);
	e->level = rd_int (&rd, o, "level", 0, G_MAXUINT);
	e->percent = rd_int (&rd, o, "percent", 0, G_MAXUINT);
	e->carrier = rd_string (&rd, o, "carrier", TRUE);
	e->breach_id = rd_string (&rd, o, "breach_id", TRUE);
	e->deadline = rd_instant (&rd, o, "deadline");
	e->over_us = rd_int (&rd, o, "over", G_MININT64, G_MAXINT64);
	e->window = rd_string (&rd, o, "window", TRUE);
	ticket = rd_member (&rd, o, "ticket");
	if (rd.ok && !JSON_NODE_HOLDS_NULL (ticket)) {
		g_autofree char *inner = g_strdup_printf ("%s.ticket", where);

		e->ticket = xn_ticket_state_from_json (ticket, inner, error);
		rd.ok = e->ticket != NULL;
	}
	return rd.ok ? g_steal_pointer (&e) : NULL;
}

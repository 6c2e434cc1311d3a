/* outbox.c — the outbox's plain parts: messages and attempts as structs,
 * the names of states and channels, the checks an insert makes, the
 * horizon rule and the JSON the CLI prints. Where the rows are kept, and
 * in which order they are due, is outbox-sqlite.c's business; what a
 * message says is the renderer's (sla/), how it travels the dispatcher's
 * (collector/dispatch.c). */
#include "outbox.h"
#include "xn-error.h"

#include <string.h>

XnOutboxMessage *
xn_outbox_message_new (void)
{
	return g_new0 (XnOutboxMessage, 1);
}

void
xn_outbox_message_free (XnOutboxMessage *message)
{
	if (message == NULL)
		return;
	g_free (message->event_id);
	g_free (message->carrier);
	g_free (message->ticket_id);
	g_free (message->kind);
	g_free (message->subject);
	g_free (message->body_text);
	g_free (message->body_json);
	g_free (message->abandon_reason);
	g_free (message->last_error);
	g_free (message);
}

XnOutboxAttempt *
xn_outbox_attempt_new (void)
{
	return g_new0 (XnOutboxAttempt, 1);
}

void
xn_outbox_attempt_free (XnOutboxAttempt *attempt)
{
	if (attempt == NULL)
		return;
	g_free (attempt->event_id);
	g_free (attempt->carrier);
	g_free (attempt->target);
	g_free (attempt->error);
	g_free (attempt);
}

static const char *const state_names[] = { "pending", "sent", "suppressed", "abandoned" };
static const char *const channel_names[] = { "none", "smtp", "webhook", "spool" };

const char *
xn_outbox_state_to_string (XnOutboxState state)
{
	g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), "?");
	return state_names[state];
}

gboolean
xn_outbox_state_from_string (const char *text, XnOutboxState *out)
{
	for (guint i = 0; i < G_N_ELEMENTS (state_names); i++) {
		if (g_strcmp0 (text, state_names[i]) == 0) {
			*out = (XnOutboxState) i;
			return TRUE;
		}
	}
	return FALSE;
}

const char *
xn_outbox_channel_to_string (XnOutboxChannel channel)
{
	g_return_val_if_fail ((guint) channel < G_N_ELEMENTS (channel_names), "?");
	return channel_names[channel];
}

gboolean
xn_outbox_channel_from_string (const char *text, XnOutboxChannel *out)
{
	for (guint i = 0; i < G_N_ELEMENTS (channel_names); i++) {
		if (g_strcmp0 (text, channel_names[i]) == 0) {
			*out = (XnOutboxChannel) i;
			return TRUE;
		}
	}
	return FALSE;
}

gboolean
xn_outbox_is_stale (XnInstant instant, XnInstant now, guint horizon_s)
{
	return instant < now && now - instant > (gint64) horizon_s * XN_USEC_PER_SEC;
}

/* A text field the insert needs: present, non-empty, UTF-8. */
static gboolean
check_text (const XnOutboxMessage *m, const char *field, const char *value, GError **error)
{
	const char *why = NULL;

	if (value == NULL || *value == '\0')
		why = "is empty";
	else if (!g_utf8_validate (value, -1, NULL))
		why = "is not UTF-8";
	if (why == NULL)
		return TRUE;
	g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "outbox message %s for carrier %s: %s %s",
		     m->event_id != NULL && *m->event_id != '\0' ? m->event_id : "(no event ID)",
		     m->carrier != NULL && *m->carrier != '\0' ? m->carrier : "(none)", field, why);
	return FALSE;
}

gboolean
xn_outbox_message_validate (const XnOutboxMessage *m, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new ();
	g_autoptr(GError) local = NULL;
	JsonNode *root;

	if (!check_text (m, "the event ID", m->event_id, error) ||
	    !check_text (m, "the carrier", m->carrier, error) ||
	    !check_text (m, "the ticket ID", m->ticket_id, error) ||
	    !check_text (m, "the kind", m->kind, error) ||
	    !check_text (m, "the subject", m->subject, error) ||
	    !check_text (m, "the text body", m->body_text, error) ||
	    !check_text (m, "the JSON body", m->body_json, error))
		return FALSE;
	/* The subject becomes a mail header: a line break in it would end the
	 * header (and let the rest pass for headers of its own). */
	if (strpbrk (m->subject, "\r\n") != NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "outbox message %s for carrier %s: the subject has a line break", m->event_id, m->carrier);
		return FALSE;
	}
	if (!json_parser_load_from_data (parser, m->body_json, -1, &local) ||
	    (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "outbox message %s for carrier %s: the JSON body is not a JSON object%s%s", m->event_id,
			     m->carrier, local != NULL ? ": " : "", local != NULL ? local->message : "");
		return FALSE;
	}
	return TRUE;
}

static void
set_instant (JsonBuilder *b, const char *name, XnInstant t)
{
	json_builder_set_member_name (b, name);
	if (t == 0) {
		json_builder_add_null_value (b);
	} else {
		g_autofree char *text = xn_time_format_utc (t);

		json_builder_add_string_value (b, text);
	}
}

static void
set_string (JsonBuilder *b, const char *name, const char *value)
{
	json_builder_set_member_name (b, name);
	if (value == NULL)
		json_builder_add_null_value (b);
	else
		json_builder_add_string_value (b, value);
}

JsonNode *
xn_outbox_message_to_json (const XnOutboxMessage *m, gboolean with_bodies)
{
	g_autoptr(JsonBuilder) b = json_builder_new ();

	json_builder_begin_object (b);
	set_string (b, "event_id", m->event_id);
	set_string (b, "carrier", m->carrier);
	set_string (b, "ticket_id", m->ticket_id);
	set_string (b, "kind", m->kind);
	set_instant (b, "instant", m->instant);
	set_string (b, "state", xn_outbox_state_to_string (m->state));
	json_builder_set_member_name (b, "attempts");
	json_builder_add_int_value (b, m->attempts);
	set_instant (b, "next_attempt", m->state == XN_OUTBOX_PENDING ? m->next_attempt : 0);
	set_string (b, "last_error", m->last_error);
	set_instant (b, "created", m->created);
	set_instant (b, "sent_at", m->sent_at);
	set_instant (b, "abandoned_at", m->abandoned_at);
	set_string (b, "abandon_reason", m->abandon_reason);
	set_string (b, "subject", m->subject);
	if (with_bodies) {
		g_autoptr(JsonParser) parser = json_parser_new ();

		set_string (b, "body_text", m->body_text);
		json_builder_set_member_name (b, "body_json");
		/* stored only after xn_outbox_message_validate(): an object */
		if (m->body_json != NULL && json_parser_load_from_data (parser, m->body_json, -1, NULL))
			json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
		else
			json_builder_add_null_value (b);
	}
	json_builder_end_object (b);
	return json_builder_get_root (b);
}

JsonNode *
xn_outbox_attempt_to_json (const XnOutboxAttempt *a)
{
	g_autoptr(JsonBuilder) b = json_builder_new ();

	json_builder_begin_object (b);
	set_string (b, "event_id", a->event_id);
	set_string (b, "carrier", a->carrier);
	json_builder_set_member_name (b, "n");
	json_builder_add_int_value (b, a->n);
	set_string (b, "channel", xn_outbox_channel_to_string (a->channel));
	set_string (b, "target", a->target);
	set_instant (b, "started", a->started);
	set_instant (b, "finished", a->finished);
	json_builder_set_member_name (b, "ok");
	json_builder_add_boolean_value (b, a->ok);
	set_string (b, "error", a->error);
	json_builder_end_object (b);
	return json_builder_get_root (b);
}

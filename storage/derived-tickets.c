/* derived-tickets.c — the derived store's tickets: the ticket engine's
 * changes as rows, its events' messages, its steps, its resume, and the
 * readers' view of the stored tickets.
 *
 * A ticket row is the ticket as xn_ticket_to_json() prints it at the
 * engine's `now`, with the columns readers select and order by (status,
 * carrier, opened, closed) beside it; a ticket handed over unchanged is
 * not written again (the upsert compares the JSON). Changes are taken
 * from the engine into the store handle before its snapshot is made, so
 * the snapshot a step stores holds exactly what the step's rows do not:
 * the closed tickets the engine forgets (keep_closed FALSE) leave it in
 * the step that stores their last row, and the events taken are in the
 * step's messages, not in the snapshot. Messages are rendered by the
 * caller (collector/derive.c: the policy's time zone, the NOC contact)
 * and inserted here, inside the step's transaction, once per event and
 * carrier (storage/outbox.h). This file holds no SQL (derived-sqlite.c
 * does) and decides nothing about tickets (sla/ticket*.c does). */
#include "derived-private.h"
#include "json-strict.h"
#include "xn-error.h"

#include <string.h>

void
xn_derived_ticket_row_free (XnDerivedTicketRow *row)
{
	if (row == NULL)
		return;
	g_free (row->id);
	g_free (row->status);
	g_free (row->carrier);
	g_free (row->json);
	g_free (row);
}

static XnDerivedTicketRow *
ticket_row (const XnTicket *ticket, XnInstant now, GTimeZone *tz)
{
	XnDerivedTicketRow *row = g_new0 (XnDerivedTicketRow, 1);
	g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
	GString *json = g_string_new (NULL);

	json_node_take_object (node, xn_ticket_to_json (ticket, now, tz));
	xn_json_append (json, node);
	row->id = g_strdup (ticket->id);
	row->status = g_strdup (xn_ticket_status_to_string (ticket->status));
	row->carrier = g_strdup (ticket->carrier);
	row->opened = ticket->opened;
	row->closed = ticket->closed;
	row->json = g_string_free (json, FALSE);
	return row;
}

void
xn_derived_take_ticket_changes (XnDerived *store, XnTicketEngine *engine, GTimeZone *tz)
{
	g_autoptr(GPtrArray) changed = xn_ticket_engine_take_changes (engine);
	XnInstant now = xn_ticket_engine_now (engine);

	for (guint i = 0; i < changed->len; i++) {
		XnDerivedTicketRow *row = ticket_row (g_ptr_array_index (changed, i), now, tz);

		g_hash_table_replace (store->pending_tickets, row->id, row);
	}
	xn_derived_take_changes (store, xn_ticket_engine_outages (engine));
}

void
xn_derived_add_message (XnDerived *store, XnOutboxMessage *message)
{
	g_ptr_array_add (store->pending_messages, message);
}

XnDerivedResult
xn_derived_commit_tickets (XnDerived *store, XnTicketEngine *engine, GTimeZone *tz, XnInstant now,
			   guint horizon_s, XnDerivedStepStats *stats, GError **error)
{
	g_autofree char *snapshot = NULL;
	XnDerivedStep step = { 0 };

	xn_derived_take_ticket_changes (store, engine, tz);
	snapshot = xn_ticket_engine_snapshot (engine);
	step.outages = xn_ticket_engine_outages (engine);
	step.snapshot = snapshot;
	step.last_seq = xn_ticket_engine_last_seq (engine);
	step.now = xn_ticket_engine_now (engine);
	step.tickets = TRUE;
	step.created = now;
	step.horizon_s = horizon_s;
	return xn_derived_step (store, &step, stats, error);
}

XnTicketEngine *
xn_derived_resume_tickets (XnDerived *store, const XnInventory *inventory, const XnOutageOptions *outage_options,
			   const XnTicketOptions *options, char **from_start, GError **error)
{
	g_autofree char *snapshot = NULL;
	g_autoptr(GError) refused = NULL;
	XnTicketEngine *engine;
	gint64 last_seq;

	if (!xn_derived_load_for_resume (store, &last_seq, &snapshot, error))
		return NULL;
	if (snapshot != NULL) {
		engine = xn_ticket_engine_restore (inventory, outage_options, options, snapshot, &refused);
		if (engine != NULL && xn_ticket_engine_last_seq (engine) != last_seq) {
			g_set_error (&refused, XN_ERROR, XN_ERROR_INVALID,
				     "the snapshot is at seq %" G_GINT64_FORMAT ", the position at seq %" G_GINT64_FORMAT,
				     xn_ticket_engine_last_seq (engine), last_seq);
			g_clear_pointer (&engine, xn_ticket_engine_free);
		}
		if (engine != NULL)
			return engine;
	}
	/* As for outages: options out of range fail a new engine as well;
	 * anything wrong with the snapshot is a reason to derive again. */
	engine = xn_ticket_engine_new (inventory, outage_options, options, error);
	if (engine == NULL)
		return NULL;
	store->replace = TRUE;
	if (refused != NULL && from_start != NULL)
		*from_start = g_strdup_printf ("the stored state (at seq %" G_GINT64_FORMAT ") cannot be continued: %s",
					       last_seq, refused->message);
	return engine;
}

GPtrArray *
xn_derived_list_tickets (XnDerived *store, gboolean open_only, XnDerivedInfo *info, GError **error)
{
	GPtrArray *json = NULL;

	if (!xn_derived_sqlite_read_tickets (store->backend, open_only, NULL, info, &json, error)) {
		xn_derived_fail_at_location (store, error);
		return NULL;
	}
	return json;
}

/* "XN-000057-R" → "XN-000057"; NULL when the id names no breach ticket. */
static char *
holder_of (const char *id)
{
	gsize n = strlen (id);

	if (n < 3 || id[n - 2] != '-' || (id[n - 1] != 'R' && id[n - 1] != 'S'))
		return NULL;
	return g_strndup (id, n - 2);
}

char *
xn_derived_lookup_ticket (XnDerived *store, const char *id, XnDerivedInfo *info, GError **error)
{
	g_autoptr(GPtrArray) json = NULL;
	g_autofree char *holder = NULL;

	if (!xn_derived_sqlite_read_tickets (store->backend, FALSE, id, info, &json, error)) {
		xn_derived_fail_at_location (store, error);
		return NULL;
	}
	if (json->len == 0 && (holder = holder_of (id)) != NULL) {
		g_clear_pointer (&json, g_ptr_array_unref);
		if (!xn_derived_sqlite_read_tickets (store->backend, FALSE, holder, info, &json, error)) {
			xn_derived_fail_at_location (store, error);
			return NULL;
		}
	}
	return json->len > 0 ? g_strdup (g_ptr_array_index (json, 0)) : NULL;
}

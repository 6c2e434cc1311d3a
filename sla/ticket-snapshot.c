/* ticket-snapshot.c — the ticket engine's whole state as one JSON line,
 * and back.
 *
 *   {"format":"extranoc-tickets","version":2,
 *    "outages":{…the outage engine's snapshot…},
 *    "next_expiry":T|null,
 *    "stats":{"applied":N,"unknown":N,"invalid":N,"late":N},
 *    "recorded":[[SEQ,TS,RECORDED],…],
 *    "bound":[["OUTAGE-ID","TICKET-ID"],…],
 *    "changed":["TICKET-ID",…],
 *    "tickets":[{…ticket state…},…],
 *    "pending":[{…event state, with its ticket copy…},…],
 *    "maintenance":["…a maintenance.* fact as a journal line…",…]}
 *
 * Everything the engine derives from is in it — the outage engine's
 * state, when the down reports it may still need were recorded, which
 * outages belong to which ticket, the tickets with their history, the
 * closed ones not yet handed over by xn_ticket_engine_take_changes, and
 * the events derived but not yet taken (the ones taken are in the
 * histories only), the maintenance facts the notice book is made of — so restoring it and feeding the rest gives what feeding
 * everything gives. Lists are sorted (recorded by seq, bound by outage id,
 * tickets by seq) and instants are integer µs, so equal states print
 * equal bytes. Reading is strict and names the place of a problem; the
 * outage engine reads its own part (and refuses another topology). No
 * I/O here. */
#include "ticket-private.h"
#include "json-strict.h"
#include "xn-error.h"

#include <string.h>

#define SNAPSHOT_FORMAT  "extranoc-tickets"
#define SNAPSHOT_VERSION 2
#define SNAPSHOT_DEPTH   16

static int
compare_seq_keys (gconstpointer a, gconstpointer b)
{
	gint64 x = **(gint64 *const *) a, y = **(gint64 *const *) b;

	return x < y ? -1 : x > y;
}

static int
compare_ticket_seqs (gconstpointer a, gconstpointer b)
{
	gint64 x = (*(XnTicket *const *) a)->seq, y = (*(XnTicket *const *) b)->seq;

	return x < y ? -1 : x > y;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static JsonArray *
recorded_array (const XnTicketEngine *engine)
{
	g_autoptr(GList) keys = g_hash_table_get_keys (engine->recorded);
	g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
	JsonArray *array = json_array_new ();

	for (GList *k = keys; k != NULL; k = k->next)
		g_ptr_array_add (sorted, k->data);
	g_ptr_array_sort (sorted, compare_seq_keys);
	for (guint i = 0; i < sorted->len; i++) {
		gint64 *seq = g_ptr_array_index (sorted, i);
		const XnTicketRecorded *rec = g_hash_table_lookup (engine->recorded, seq);
		JsonArray *row = json_array_new ();

		json_array_add_int_element (row, *seq);
		json_array_add_int_element (row, rec->ts);
		json_array_add_int_element (row, rec->recorded);
		json_array_add_array_element (array, row);
	}
	return array;
}

static JsonArray *
bound_array (const XnTicketEngine *engine)
{
	g_autoptr(GList) keys = g_hash_table_get_keys (engine->bound);
	g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
	JsonArray *array = json_array_new ();

	for (GList *k = keys; k != NULL; k = k->next)
		g_ptr_array_add (sorted, k->data);
	g_ptr_array_sort (sorted, compare_strings);
	for (guint i = 0; i < sorted->len; i++) {
		const char *id = g_ptr_array_index (sorted, i);
		JsonArray *row = json_array_new ();

		json_array_add_string_element (row, id);
		json_array_add_string_element (row, g_hash_table_lookup (engine->bound, id));
		json_array_add_array_element (array, row);
	}
	return array;
}

/* The final tickets not yet handed over: those that left the live list,
 * and those that became final since it was last pruned. */
static JsonArray *
changed_array (const XnTicketEngine *engine)
{
	g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
	JsonArray *array = json_array_new ();

	g_ptr_array_extend (sorted, engine->dropped, NULL, NULL);
	for (guint i = 0; i < engine->live->len; i++)
		if (!xn_ticket_is_live (g_ptr_array_index (engine->live, i)))
			g_ptr_array_add (sorted, g_ptr_array_index (engine->live, i));
	g_ptr_array_sort (sorted, compare_ticket_seqs);
	for (guint i = 0; i < sorted->len; i++)
		json_array_add_string_element (array, ((XnTicket *) g_ptr_array_index (sorted, i))->id);
	return array;
}

char *
xn_ticket_engine_snapshot (const XnTicketEngine *engine)
{
	g_autofree char *outages = xn_outage_engine_snapshot (engine->outages);
	g_autoptr(JsonNode) outage_node = xn_json_parse_strict (outages, strlen (outages), SNAPSHOT_DEPTH, NULL);
	g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
	JsonObject *top = json_object_new ();
	JsonObject *stats = json_object_new ();
	JsonArray *tickets = json_array_new (), *pending = json_array_new (), *maintenance = json_array_new ();
	GString *out = g_string_new (NULL);

	g_assert (outage_node != NULL);
	json_object_set_string_member (top, "format", SNAPSHOT_FORMAT);
	json_object_set_int_member (top, "version", SNAPSHOT_VERSION);
	json_object_set_member (top, "outages", g_steal_pointer (&outage_node));
	if (engine->next_expiry == XN_TICKET_NONE)
		json_object_set_null_member (top, "next_expiry");
	else
		json_object_set_int_member (top, "next_expiry", engine->next_expiry);
	json_object_set_int_member (stats, "applied", (gint64) engine->stats.applied);
	json_object_set_int_member (stats, "unknown", (gint64) engine->stats.unknown);
	json_object_set_int_member (stats, "invalid", (gint64) engine->stats.invalid);
	json_object_set_int_member (stats, "late", (gint64) engine->stats.late);
	json_object_set_object_member (top, "stats", stats);
	json_object_set_array_member (top, "recorded", recorded_array (engine));
	json_object_set_array_member (top, "bound", bound_array (engine));
	json_object_set_array_member (top, "changed", changed_array (engine));
	for (guint i = 0; i < engine->tickets->len; i++)
		json_array_add_element (tickets, xn_ticket_state_to_json (g_ptr_array_index (engine->tickets, i), TRUE));
	json_object_set_array_member (top, "tickets", tickets);
	for (guint i = 0; i < engine->pending->len; i++)
		json_array_add_element (pending, xn_ticket_event_state_to_json (g_ptr_array_index (engine->pending, i)));
	json_object_set_array_member (top, "pending", pending);
	for (guint i = 0; i < engine->maintenance->len; i++) {
		g_autofree char *line = xn_fact_to_json_line (g_ptr_array_index (engine->maintenance, i));

		json_array_add_string_element (maintenance, line);
	}
	json_object_set_array_member (top, "maintenance", maintenance);
	json_node_take_object (root, top);
	xn_json_append (out, root);
	return g_string_free (out, FALSE);
}

/* ---- reading ---- */

G_GNUC_PRINTF (2, 3) static gboolean
fail (GError **error, const char *format, ...)
{
	g_autofree char *message = NULL;
	va_list args;

	va_start (args, format);
	message = g_strdup_vprintf (format, args);
	va_end (args);
	g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "ticket snapshot: %s", message);
	return FALSE;
}

static gboolean
is_int (JsonNode *node)
{
	return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
is_string (JsonNode *node)
{
	return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static const char *const top_keys[] = {
	"format", "version", "outages", "next_expiry", "stats", "recorded", "bound", "changed", "tickets", "pending",
	"maintenance", NULL,
};

static gboolean
read_top (JsonObject *top, GError **error)
{
	g_autoptr(GList) members = json_object_get_members (top);
	JsonNode *format, *version;

	for (GList *m = members; m != NULL; m = m->next)
		if (!g_strv_contains (top_keys, m->data))
			return fail (error, "unknown key \"%s\"", (const char *) m->data);
	for (guint i = 0; top_keys[i] != NULL; i++)
		if (!json_object_has_member (top, top_keys[i]))
			return fail (error, "key \"%s\" is missing", top_keys[i]);
	format = json_object_get_member (top, "format");
	version = json_object_get_member (top, "version");
	if (!is_string (format) || strcmp (json_node_get_string (format), SNAPSHOT_FORMAT) != 0)
		return fail (error, "\"format\" is not \"%s\"", SNAPSHOT_FORMAT);
	if (!is_int (version) || json_node_get_int (version) != SNAPSHOT_VERSION)
		return fail (error, "\"version\" is not %d", SNAPSHOT_VERSION);
	return TRUE;
}

static gboolean
read_stats (XnTicketEngine *engine, JsonNode *node, GError **error)
{
	const char *const keys[] = { "applied", "unknown", "invalid", "late", NULL };
	guint64 *fields[] = { &engine->stats.applied, &engine->stats.unknown, &engine->stats.invalid,
			      &engine->stats.late };
	JsonObject *stats;

	if (!JSON_NODE_HOLDS_OBJECT (node) || json_object_get_size (json_node_get_object (node)) != 4)
		return fail (error, "\"stats\" must be an object of four counters");
	stats = json_node_get_object (node);
	for (guint i = 0; keys[i] != NULL; i++) {
		JsonNode *value = json_object_get_member (stats, keys[i]);

		if (!is_int (value) || json_node_get_int (value) < 0)
			return fail (error, "stats: \"%s\" must be a counter", keys[i]);
		*fields[i] = json_node_get_int (value);
	}
	return TRUE;
}

static gboolean
read_recorded (XnTicketEngine *engine, JsonArray *array, GError **error)
{
	gint64 last = 0;

	for (guint i = 0; i < json_array_get_length (array); i++) {
		JsonNode *node = json_array_get_element (array, i);
		JsonArray *row = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
		XnTicketRecorded *rec;
		gint64 seq;

		if (row == NULL || json_array_get_length (row) != 3 || !is_int (json_array_get_element (row, 0)) ||
		    !is_int (json_array_get_element (row, 1)) || !is_int (json_array_get_element (row, 2)))
			return fail (error, "recorded[%u] must be [seq, ts, recorded]", i);
		seq = json_array_get_int_element (row, 0);
		if (seq <= last)
			return fail (error, "recorded[%u]: seq %" G_GINT64_FORMAT " is not above the one before", i, seq);
		last = seq;
		rec = g_new (XnTicketRecorded, 1);
		rec->ts = json_array_get_int_element (row, 1);
		rec->recorded = json_array_get_int_element (row, 2);
		g_hash_table_insert (engine->recorded, g_memdup2 (&seq, sizeof seq), rec);
	}
	return TRUE;
}

static gboolean
read_tickets (XnTicketEngine *engine, JsonArray *array, GError **error)
{
	for (guint i = 0; i < json_array_get_length (array); i++) {
		g_autofree char *where = g_strdup_printf ("ticket snapshot: tickets[%u]", i);
		XnTicket *t = xn_ticket_state_from_json (json_array_get_element (array, i), where, error);

		if (t == NULL)
			return FALSE;
		if (g_hash_table_contains (engine->by_id, t->id) ||
		    (engine->tickets->len > 0 &&
		     ((XnTicket *) g_ptr_array_index (engine->tickets, engine->tickets->len - 1))->seq >= t->seq)) {
			g_autofree char *id = g_strdup (t->id);

			xn_ticket_free (t);
			return fail (error, "tickets[%u]: %s is not after the ticket before it", i, id);
		}
		xn_ticket_engine_insert (engine, t);
	}
	for (guint i = 0; i < engine->tickets->len; i++) {
		const XnTicket *t = g_ptr_array_index (engine->tickets, i);

		/* The ticket it is part of may have been forgotten since. */
		if (t->status == XN_TICKET_MERGED && t->merged_into == NULL)
			return fail (error, "tickets[%u]: %s is merged into no ticket", i, t->id);
	}
	return TRUE;
}

static gboolean
read_bound (XnTicketEngine *engine, JsonArray *array, GError **error)
{
	for (guint i = 0; i < json_array_get_length (array); i++) {
		JsonNode *node = json_array_get_element (array, i);
		JsonArray *row = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

		/* The ticket may have been forgotten (keep_closed): the outage
		 * still belongs to it. */
		if (row == NULL || json_array_get_length (row) != 2 || !is_string (json_array_get_element (row, 0)) ||
		    !is_string (json_array_get_element (row, 1)))
			return fail (error, "bound[%u] must be [outage id, ticket id]", i);
		g_hash_table_insert (engine->bound, g_strdup (json_array_get_string_element (row, 0)),
				     g_strdup (json_array_get_string_element (row, 1)));
	}
	return TRUE;
}

static gboolean
read_changed (XnTicketEngine *engine, JsonArray *array, GError **error)
{
	for (guint i = 0; i < json_array_get_length (array); i++) {
		JsonNode *node = json_array_get_element (array, i);
		XnTicket *t = is_string (node) ? g_hash_table_lookup (engine->by_id, json_node_get_string (node)) : NULL;

		if (t == NULL || xn_ticket_is_live (t))
			return fail (error, "changed[%u] must be a closed or merged ticket's id", i);
		g_ptr_array_add (engine->dropped, t);
	}
	return TRUE;
}

static gboolean
read_pending (XnTicketEngine *engine, JsonArray *array, GError **error)
{
	for (guint i = 0; i < json_array_get_length (array); i++) {
		g_autofree char *where = g_strdup_printf ("ticket snapshot: pending[%u]", i);
		XnTicketEvent *e = xn_ticket_event_state_from_json (json_array_get_element (array, i), where, error);

		if (e == NULL)
			return FALSE;
		g_ptr_array_add (engine->pending, e);
		if (e->ticket == NULL || !g_hash_table_contains (engine->by_id, e->ticket_id))
			return fail (error, "pending[%u]: %s has no ticket", i, e->id);
	}
	return TRUE;
}

/* The facts are checked as the journal checks them, and must be
 * maintenance facts in seq order up to the outage engine's last seq. */
static gboolean
read_maintenance (XnTicketEngine *engine, JsonArray *array, GError **error)
{
	gint64 last = 0;

	for (guint i = 0; i < json_array_get_length (array); i++) {
		JsonNode *node = json_array_get_element (array, i);
		g_autoptr(GError) bad = NULL;
		XnFact *fact;

		if (!is_string (node))
			return fail (error, "maintenance[%u] must be a string", i);
		fact = xn_fact_from_json_line (json_node_get_string (node), strlen (json_node_get_string (node)), &bad);
		if (fact == NULL)
			return fail (error, "maintenance[%u]: %s", i, bad->message);
		g_ptr_array_add (engine->maintenance, fact);
		if (!g_str_has_prefix (fact->kind, "maintenance.") || fact->seq <= last ||
		    fact->seq > xn_outage_engine_last_seq (engine->outages))
			return fail (error, "maintenance[%u]: seq %" G_GINT64_FORMAT " is not a maintenance fact "
				     "in order up to the last seq fed", i, fact->seq);
		last = fact->seq;
	}
	return TRUE;
}

static gboolean
read_arrays (XnTicketEngine *engine, JsonObject *top, GError **error)
{
	const char *const names[] = { "recorded", "tickets", "bound", "changed", "pending", "maintenance" };

	for (guint i = 0; i < G_N_ELEMENTS (names); i++)
		if (!JSON_NODE_HOLDS_ARRAY (json_object_get_member (top, names[i])))
			return fail (error, "\"%s\" must be an array", names[i]);
	return read_recorded (engine, json_object_get_array_member (top, "recorded"), error) &&
		read_tickets (engine, json_object_get_array_member (top, "tickets"), error) &&
		read_bound (engine, json_object_get_array_member (top, "bound"), error) &&
		read_changed (engine, json_object_get_array_member (top, "changed"), error) &&
		read_pending (engine, json_object_get_array_member (top, "pending"), error) &&
		read_maintenance (engine, json_object_get_array_member (top, "maintenance"), error);
}

XnTicketEngine *
xn_ticket_engine_restore (const XnInventory *inventory, const XnOutageOptions *outage_options,
			  const XnTicketOptions *options, const char *snapshot, GError **error)
{
	g_autoptr(JsonNode) root = xn_json_parse_strict (snapshot, strlen (snapshot), SNAPSHOT_DEPTH, error);
	g_autoptr(XnTicketEngine) engine = NULL;
	g_autoptr(GString) outages = g_string_new (NULL);
	JsonObject *top;
	JsonNode *expiry;

	if (root == NULL) {
		g_prefix_error (error, "ticket snapshot: ");
		return NULL;
	}
	if (!JSON_NODE_HOLDS_OBJECT (root)) {
		fail (error, "not a JSON object");
		return NULL;
	}
	top = json_node_get_object (root);
	if (!read_top (top, error))
		return NULL;
	engine = xn_ticket_engine_new (inventory, outage_options, options, error);
	if (engine == NULL)
		return NULL;
	xn_json_append (outages, json_object_get_member (top, "outages"));
	xn_outage_engine_free (engine->outages);
	engine->outages = xn_outage_engine_restore (inventory, &engine->outage_options, outages->str, error);
	if (engine->outages == NULL) {
		g_prefix_error (error, "ticket snapshot: ");
		return NULL;
	}
	expiry = json_object_get_member (top, "next_expiry");
	if (!JSON_NODE_HOLDS_NULL (expiry) && !is_int (expiry)) {
		fail (error, "\"next_expiry\" must be an instant or null");
		return NULL;
	}
	engine->next_expiry = JSON_NODE_HOLDS_NULL (expiry) ? XN_TICKET_NONE : json_node_get_int (expiry);
	if (!read_stats (engine, json_object_get_member (top, "stats"), error) ||
	    !read_arrays (engine, top, error))
		return NULL;
	return g_steal_pointer (&engine);
}

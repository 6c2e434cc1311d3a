/* maintenance.c — the notice book: feeding maintenance.* facts and asking
 * which windows there are and which one covers an object.
 *
 * A maintenance.filed fact makes a window whose ID is its seq
 * (MW-000123), checked against the inventory as the book has it; a
 * maintenance.approved or maintenance.withdrawn fact about
 * maintenance/MW-… changes it at the fact's ts, unless the rules of
 * doc/maintenance.md say it cannot (a second approval, anything after a
 * withdrawal, a withdrawal once the window is over, a fact dated before
 * the notice), in which case it is kept with a note and changes nothing.
 * Whether a notice was on time is maintenance-notice.c's business; the
 * letters are maintenance-letter.c's. Nothing here does I/O or reads a
 * clock. */
#include "maintenance-private.h"
#include "xn-error.h"

#include <string.h>

static void
note_free (gpointer data)
{
	XnMaintenanceFactNote *n = data;

	xn_fact_free (n->fact);
	g_free (n->note);
	g_free (n);
}

static XnMaintenanceFactNote *
note_new (const XnFact *fact, const char *note)
{
	XnMaintenanceFactNote *n = g_new0 (XnMaintenanceFactNote, 1);

	n->fact = xn_fact_copy (fact);
	n->note = g_strdup (note);
	return n;
}

static void
window_free (gpointer data)
{
	XnMaintenanceWindow *w = data;

	g_free (w->id);
	g_free (w->initiator_name);
	g_strfreev (w->nodes);
	g_strfreev (w->links);
	g_strfreev (w->objects);
	g_free (w->reason);
	g_free (w->filed_source);
	g_free (w->problem);
	g_free (w->approved_by);
	g_free (w->reference);
	g_free (w->withdrawn_by);
	g_free (w->withdrawn_why);
	g_free (w->deadline_problem);
	if (w->days != NULL)
		g_array_unref (w->days);
	g_strfreev (w->reasons);
	g_strfreev (w->units);
	g_ptr_array_unref (w->facts);
	g_free (w);
}

XnMaintenanceBook *
xn_maintenance_book_new (const XnInventory *inventory, const XnTopology *topology, const XnPolicy *policy,
			 const XnCalendar *calendar, GTimeZone *tz)
{
	XnMaintenanceBook *book = g_new0 (XnMaintenanceBook, 1);

	book->inventory = inventory;
	book->topology = topology;
	book->policy = policy;
	book->calendar = calendar;
	book->tz = g_time_zone_ref (tz);
	book->windows = g_ptr_array_new_with_free_func (window_free);
	book->by_seq = g_hash_table_new (g_int64_hash, g_int64_equal);
	book->orphans = g_ptr_array_new_with_free_func (note_free);
	return book;
}

void
xn_maintenance_book_free (XnMaintenanceBook *book)
{
	if (book == NULL)
		return;
	g_hash_table_unref (book->by_seq);
	g_ptr_array_unref (book->windows);
	g_ptr_array_unref (book->orphans);
	g_time_zone_unref (book->tz);
	g_free (book);
}

char *
xn_maintenance_id (gint64 seq)
{
	return g_strdup_printf ("MW-%06" G_GINT64_FORMAT, seq);
}

gboolean
xn_maintenance_parse_id (const char *id, gint64 *seq)
{
	guint64 value = 0;
	gsize digits = 0;

	if (id == NULL || strncmp (id, "MW-", 3) != 0)
		return FALSE;
	for (const char *p = id + 3; *p != '\0'; p++, digits++)
		if (!g_ascii_isdigit (*p))
			return FALSE;
	if (digits < 6 || digits > 18 || !g_ascii_string_to_unsigned (id + 3, 10, 1, G_MAXINT64, &value, NULL))
		return FALSE;
	*seq = (gint64) value;
	return TRUE;
}

const char *
xn_maintenance_status_to_string (XnMaintenanceStatus status)
{
	switch (status) {
	case XN_MAINTENANCE_STATUS_FILED:
		return "filed";
	case XN_MAINTENANCE_STATUS_APPROVED:
		return "approved";
	case XN_MAINTENANCE_STATUS_WITHDRAWN:
		return "withdrawn";
	}
	return "?";
}

/* A member that must be a non-blank string; NULL otherwise. */
static const char *
string_member (JsonObject *o, const char *name)
{
	JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;
	const char *s;

	if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
		return NULL;
	s = json_node_get_string (node);
	for (const char *p = s; *p != '\0'; p++)
		if (!g_ascii_isspace (*p))
			return s;
	return NULL;
}

/* ISO 8601 with Z or an offset: a notice names instants, not wall clocks
 * whose zone a reader would have to guess. */
static gboolean
parse_instant (JsonObject *attrs, const char *name, XnInstant *out, GString *problem)
{
	const char *text = string_member (attrs, name);
	const char *t = text != NULL ? strchr (text, 'T') : NULL;
	gsize len = text != NULL ? strlen (text) : 0;

	if (t == NULL || !(text[len - 1] == 'Z' || strchr (t, '+') != NULL || strchr (t, '-') != NULL) ||
	    !xn_time_parse (text, NULL, out, NULL)) {
		g_string_append_printf (problem, "%s\"%s\" is not an ISO 8601 instant with an offset", problem->len ? "; " : "",
					name);
		return FALSE;
	}
	return TRUE;
}

static void
add_problem (GString *problem, const char *message)
{
	g_string_append_printf (problem, "%s%s", problem->len ? "; " : "", message);
}

/* The scope's "nodes" or "links": strings the inventory knows, no repeats. */
static GStrv
scope_list (const XnMaintenanceBook *book, JsonObject *scope, const char *key, gboolean nodes, GString *problem)
{
	JsonNode *node = scope != NULL ? json_object_get_member (scope, key) : NULL;
	g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
	g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
	JsonArray *array;

	if (node == NULL || JSON_NODE_HOLDS_NULL (node))
		return g_strv_builder_end (names);
	if (!JSON_NODE_HOLDS_ARRAY (node)) {
		g_autofree char *m = g_strdup_printf ("scope \"%s\" is not an array", key);

		add_problem (problem, m);
		return g_strv_builder_end (names);
	}
	array = json_node_get_array (node);
	for (guint i = 0; i < json_array_get_length (array); i++) {
		JsonNode *e = json_array_get_element (array, i);
		const char *name = JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING ?
			json_node_get_string (e) : NULL;
		gboolean known = name != NULL && (nodes ? xn_inventory_node_by_name (book->inventory, name) != NULL
						  : xn_inventory_link_by_id (book->inventory, name) != NULL);
		g_autofree char *m = NULL;

		if (name == NULL)
			m = g_strdup_printf ("scope \"%s\"[%u] is not a string", key, i);
		else if (!known)
			m = g_strdup_printf ("the inventory has no %s '%s'", nodes ? "node" : "link", name);
		else if (!g_hash_table_add (seen, (gpointer) name))
			m = g_strdup_printf ("%s '%s' is listed twice", nodes ? "node" : "link", name);
		if (m != NULL)
			add_problem (problem, m);
		else
			g_strv_builder_add (names, name);
	}
	return g_strv_builder_end (names);
}

static void
read_initiator (const XnMaintenanceBook *book, XnMaintenanceWindow *w, const XnFact *fact, JsonObject *attrs,
		GString *problem)
{
	JsonNode *node = json_object_get_member (attrs, "initiator");
	JsonObject *o = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
	const char *kind = string_member (o, "kind"), *name = string_member (o, "name");
	g_autofree char *subject = NULL;

	w->initiator_name = g_strdup (name != NULL ? name : "");
	if (kind == NULL || !xn_initiator_from_string (kind, &w->initiator)) {
		add_problem (problem, "\"initiator\" needs \"kind\" operator, unit or carrier");
		return;
	}
	if (name == NULL) {
		add_problem (problem, "\"initiator\" needs a \"name\"");
		return;
	}
	if (w->initiator == XN_INITIATOR_UNIT && xn_inventory_unit_by_name (book->inventory, name) == NULL) {
		g_autofree char *m = g_strdup_printf ("the inventory has no access unit '%s'", name);

		add_problem (problem, m);
	} else if (w->initiator == XN_INITIATOR_CARRIER &&
		   xn_inventory_carrier_by_name (book->inventory, name) == NULL) {
		g_autofree char *m = g_strdup_printf ("the inventory has no carrier '%s'", name);

		add_problem (problem, m);
	}
	subject = g_strdup_printf ("%s/%s", kind, name);
	if (strcmp (fact->subject, subject) != 0) {
		g_autofree char *m = g_strdup_printf ("the subject is not the initiator %s", subject);

		add_problem (problem, m);
	}
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The units every in-scope object cuts off, sorted, once each. */
static GStrv
affected_units (const XnMaintenanceBook *book, const XnMaintenanceWindow *w)
{
	g_autoptr(GPtrArray) units = g_ptr_array_new ();
	g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
	GStrvBuilder *out = g_strv_builder_new ();
	GStrv result;

	for (guint i = 0; w->objects[i] != NULL; i++) {
		const XnTopoObject *o = xn_topology_lookup (book->topology, w->objects[i]);

		for (guint j = 0; o != NULL && o->units != NULL && o->units[j] != NULL; j++)
			if (g_hash_table_add (seen, o->units[j]))
				g_ptr_array_add (units, o->units[j]);
	}
	g_ptr_array_sort (units, compare_names);
	for (guint i = 0; i < units->len; i++)
		g_strv_builder_add (out, units->pdata[i]);
	result = g_strv_builder_end (out);
	g_strv_builder_unref (out);
	return result;
}

static void
read_filed (const XnMaintenanceBook *book, XnMaintenanceWindow *w, const XnFact *fact)
{
	JsonObject *attrs = xn_fact_get_attrs (fact);
	JsonNode *scope_node = json_object_get_member (attrs, "scope");
	JsonObject *scope = scope_node != NULL && JSON_NODE_HOLDS_OBJECT (scope_node) ? json_node_get_object (scope_node)
		: NULL;
	g_autoptr(GString) problem = g_string_new (NULL);
	g_autoptr(GStrvBuilder) objects = g_strv_builder_new ();
	const char *reason = string_member (attrs, "reason");
	gboolean times;

	read_initiator (book, w, fact, attrs, problem);
	if (scope == NULL)
		add_problem (problem, "\"scope\" is not an object of \"nodes\" and \"links\"");
	w->nodes = scope_list (book, scope, "nodes", TRUE, problem);
	w->links = scope_list (book, scope, "links", FALSE, problem);
	if (scope != NULL && w->nodes[0] == NULL && w->links[0] == NULL)
		add_problem (problem, "the scope names no node and no link");
	for (guint i = 0; w->nodes[i] != NULL; i++)
		xn_maintenance_strv_take (objects, g_strconcat ("node/", w->nodes[i], NULL));
	for (guint i = 0; w->links[i] != NULL; i++)
		xn_maintenance_strv_take (objects, g_strconcat ("link/", w->links[i], NULL));
	w->objects = g_strv_builder_end (objects);
	times = parse_instant (attrs, "start", &w->start, problem);
	times = parse_instant (attrs, "end", &w->end, problem) && times;
	if (times && w->end <= w->start)
		add_problem (problem, "\"end\" is not after \"start\"");
	w->reason = g_strdup (reason != NULL ? reason : "");
	if (reason == NULL)
		add_problem (problem, "\"reason\" is missing or blank");
	w->units = affected_units (book, w);
	if (problem->len > 0)
		w->problem = g_string_free (g_steal_pointer (&problem), FALSE);
}

static void
feed_filed (XnMaintenanceBook *book, const XnFact *fact)
{
	XnMaintenanceWindow *w = g_new0 (XnMaintenanceWindow, 1);

	w->seq = fact->seq;
	w->id = xn_maintenance_id (fact->seq);
	w->filed = fact->ts;
	w->filed_source = g_strdup (fact->source);
	w->status = XN_MAINTENANCE_STATUS_FILED;
	w->approved = w->withdrawn = w->deadline = XN_MAINTENANCE_NONE;
	w->facts = g_ptr_array_new_with_free_func (note_free);
	g_ptr_array_add (w->facts, note_new (fact, NULL));
	read_filed (book, w, fact);
	if (w->problem == NULL)
		xn_maintenance_assess_notice (book, w);
	xn_maintenance_judge (w);
	g_ptr_array_add (book->windows, w);
	g_hash_table_insert (book->by_seq, &w->seq, w);
}

/* Why an approval or withdrawal cannot change `w`, or NULL. */
static char *
refusal (const XnMaintenanceWindow *w, const XnFact *fact, gboolean approve, const char *by)
{
	if (by == NULL)
		return g_strdup ("no \"by\": who decided it is part of the record");
	if (w->status == XN_MAINTENANCE_STATUS_WITHDRAWN)
		return g_strdup_printf ("ignored: the window was withdrawn by %s", w->withdrawn_by);
	if (fact->ts < w->filed)
		return g_strdup ("ignored: dated before the notice was filed");
	if (approve && w->problem != NULL)
		return g_strdup ("ignored: the notice is invalid and cannot be approved");
	if (approve && w->status == XN_MAINTENANCE_STATUS_APPROVED)
		return g_strdup_printf ("ignored: already approved by %s", w->approved_by);
	if (!approve && w->problem == NULL && fact->ts >= w->end)
		return g_strdup ("ignored: the window was over; it stands as filed");
	return NULL;
}

static void
feed_decision (XnMaintenanceBook *book, const XnFact *fact, gboolean approve)
{
	const char *id = g_str_has_prefix (fact->subject, "maintenance/") ? fact->subject + 12 : NULL;
	JsonObject *attrs = xn_fact_get_attrs (fact);
	const char *by = string_member (attrs, "by");
	JsonNode *text_node = json_object_get_member (attrs, approve ? "reference" : "why");
	const char *text = text_node != NULL && JSON_NODE_HOLDS_VALUE (text_node) &&
		json_node_get_value_type (text_node) == G_TYPE_STRING ? json_node_get_string (text_node) : "";
	XnMaintenanceWindow *w = NULL;
	gint64 seq;
	g_autofree char *why = NULL;

	if (id != NULL && xn_maintenance_parse_id (id, &seq))
		w = g_hash_table_lookup (book->by_seq, &seq);
	if (w == NULL) {
		g_ptr_array_add (book->orphans, note_new (fact, "ignored: no maintenance window has this ID"));
		return;
	}
	why = refusal (w, fact, approve, by);
	g_ptr_array_add (w->facts, note_new (fact, why));
	if (why != NULL)
		return;
	if (approve) {
		w->status = XN_MAINTENANCE_STATUS_APPROVED;
		w->approved = fact->ts;
		w->approved_by = g_strdup (by);
		w->reference = g_strdup (text);
	} else {
		w->status = XN_MAINTENANCE_STATUS_WITHDRAWN;
		w->withdrawn = fact->ts;
		w->withdrawn_by = g_strdup (by);
		w->withdrawn_why = g_strdup (text);
	}
	xn_maintenance_judge (w);
}

gboolean
xn_maintenance_book_feed (XnMaintenanceBook *book, const XnFact *fact)
{
	if (fact->seq <= book->last_seq || !g_str_has_prefix (fact->kind, "maintenance."))
		return FALSE;
	if (strcmp (fact->kind, XN_MAINTENANCE_FILED) == 0)
		feed_filed (book, fact);
	else if (strcmp (fact->kind, XN_MAINTENANCE_APPROVED) == 0)
		feed_decision (book, fact, TRUE);
	else if (strcmp (fact->kind, XN_MAINTENANCE_WITHDRAWN) == 0)
		feed_decision (book, fact, FALSE);
	else
		return FALSE;
	book->last_seq = fact->seq;
	return TRUE;
}

const XnMaintenanceWindow *
xn_maintenance_book_lookup (const XnMaintenanceBook *book, const char *id)
{
	gint64 seq;

	if (!xn_maintenance_parse_id (id, &seq))
		return NULL;
	return g_hash_table_lookup (book->by_seq, &seq);
}

const GPtrArray *
xn_maintenance_book_list (const XnMaintenanceBook *book)
{
	return book->windows;
}

const GPtrArray *
xn_maintenance_book_orphans (const XnMaintenanceBook *book)
{
	return book->orphans;
}

GPtrArray *
xn_maintenance_book_flagged (const XnMaintenanceBook *book)
{
	GPtrArray *flagged = g_ptr_array_new ();

	for (guint i = 0; i < book->windows->len; i++) {
		XnMaintenanceWindow *w = book->windows->pdata[i];

		if (w->status != XN_MAINTENANCE_STATUS_WITHDRAWN && !w->compliant)
			g_ptr_array_add (flagged, w);
	}
	return flagged;
}

gboolean
xn_maintenance_window_in_scope (const XnMaintenanceWindow *window, const char *object)
{
	return object != NULL && g_strv_contains ((const char *const *) window->objects, object);
}

const XnMaintenanceWindow *
xn_maintenance_book_covering (const XnMaintenanceBook *book, const char *object, XnInstant instant)
{
	const XnMaintenanceWindow *best = NULL;

	for (guint i = 0; i < book->windows->len; i++) {
		const XnMaintenanceWindow *w = book->windows->pdata[i];

		if (w->status == XN_MAINTENANCE_STATUS_WITHDRAWN || !w->compliant || instant < w->start ||
		    instant >= w->end || !xn_maintenance_window_in_scope (w, object))
			continue;
		if (best == NULL || w->end > best->end)
			best = w;
	}
	return best;
}

const XnMaintenanceWindow *
xn_maintenance_book_plans (const XnMaintenanceBook *book, const XnOutage *outage, const XnOutage *root,
			   XnInstant *from, XnInstant *until)
{
	const XnOutageSegment *first = g_ptr_array_index (outage->segments, 0);
	const XnMaintenanceWindow *w = xn_maintenance_book_covering (book, outage->object, outage->start);
	XnInstant start = outage->start, end;

	*from = *until = outage->start;
	if (w != NULL) {
		end = MIN (w->end, outage->end);
	} else {
		/* A dependent is planned only while its planned root holds it:
		 * a root that failed before the window is a fault, and so is
		 * what it cut off. */
		if (root == NULL || root == outage || strcmp (first->root_id, root->id) != 0 ||
		    (w = xn_maintenance_book_covering (book, root->object, root->start)) == NULL)
			return NULL;
		start = MAX (outage->start, MAX (w->start, root->start));
		end = MIN (MIN (w->end, outage->end), MIN (first->to, root->end));
	}
	if (end <= start)
		return NULL;
	*from = start;
	*until = end;
	return w;
}

GArray *
xn_maintenance_book_planned (const XnMaintenanceBook *book, const GPtrArray *outages)
{
	g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
	GArray *planned = g_array_new (FALSE, FALSE, sizeof (XnMaintenancePlanned));

	for (guint i = 0; i < outages->len; i++) {
		const XnOutage *o = g_ptr_array_index (outages, i);

		g_hash_table_insert (by_id, o->id, (gpointer) o);
	}
	for (guint i = 0; i < outages->len; i++) {
		const XnOutage *o = g_ptr_array_index (outages, i);
		const XnOutageSegment *first = g_ptr_array_index (o->segments, 0);
		XnMaintenancePlanned p = { o, NULL, 0, 0 };

		p.window = xn_maintenance_book_plans (book, o, g_hash_table_lookup (by_id, first->root_id), &p.from,
						      &p.until);
		if (p.window != NULL)
			g_array_append_val (planned, p);
	}
	return planned;
}

/* outage-snapshot.c — the outage engine's working state as one JSON line,
 * and back.
 *
 * The state is the signals' reports that settled outages left behind
 * (outages and their attribution are derived from them, so they are not
 * stored), the last seq fed, `now`, the newest report and the sealed line
 * of settling, where settled spans end for objects whose signals still
 * hold reports from before that (another object needs them), the counters,
 * the correlation window and whether outages settle, and a digest of the
 * topology they were derived under:
 *
 *   {"format":"extranoc-outages","version":2,"topology":"<sha256>",
 *    "window":US,"settle":true,"last_seq":N,"now":T|null,
 *    "newest":T|null,"sealed":T|null,
 *    "stats":{"reports":N,"neutral":N,"unknown":N,"ignored":N,"late":N},
 *    "settled":[{"object":"link/x","end":T},...],
 *    "signals":[{"subject":"node/x","newest":T,"reports":[[T,SEQ,true],...]},...]}
 *
 * Instants are integer µs, signals sorted by subject, settled objects in
 * inventory order, so equal states print equal bytes. Reading is strict
 * (storage/json-strict.c): every key is required, no other key is allowed,
 * and reports must be in time order with seqs up to last_seq. A snapshot
 * from another topology, another window, or of version 1 (which kept every
 * report and knew nothing of settling) is refused rather than adapted:
 * what its outages would have been is only known by replaying the journal.
 * This file does no I/O. */
#include "outage-private.h"
#include "json-strict.h"
#include "xn-error.h"

#include <string.h>

#define SNAPSHOT_FORMAT  "extranoc-outages"
#define SNAPSHOT_VERSION 2
#define SNAPSHOT_DEPTH   8

static int
compare_subjects (gconstpointer a, gconstpointer b)
{
	return strcmp ((*(XnSignal *const *) a)->subject, (*(XnSignal *const *) b)->subject);
}

static JsonNode *
signal_node (const XnSignal *signal)
{
	g_autoptr(JsonBuilder) builder = json_builder_new ();

	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "subject");
	json_builder_add_string_value (builder, signal->subject);
	json_builder_set_member_name (builder, "newest");
	json_builder_add_int_value (builder, signal->newest);
	json_builder_set_member_name (builder, "reports");
	json_builder_begin_array (builder);
	for (guint i = 0; i < signal->reports->len; i++) {
		const XnReport *report = xn_signal_report (signal, i);

		json_builder_begin_array (builder);
		json_builder_add_int_value (builder, report->ts);
		json_builder_add_int_value (builder, report->seq);
		json_builder_add_boolean_value (builder, report->down);
		json_builder_end_array (builder);
	}
	json_builder_end_array (builder);
	json_builder_end_object (builder);
	return json_builder_get_root (builder);
}

static void
set_int (JsonObject *object, const char *name, gint64 value)
{
	json_object_set_int_member (object, name, value);
}

static void
set_instant (JsonObject *object, const char *name, XnInstant t)
{
	if (t == G_MININT64)
		json_object_set_null_member (object, name);
	else
		json_object_set_int_member (object, name, t);
}

/* An object's settled end is needed only while one of its signals still
 * holds a report from before it: without one, nothing can derive a span
 * there again. */
static gboolean
settled_end_needed (const XnObjectState *state)
{
	if (state->settled_end == G_MININT64)
		return FALSE;
	for (guint r = 0; r < XN_ROLE_COUNT; r++) {
		const XnSignal *signal = state->signal[r];

		if (signal != NULL && signal->reports->len > 0 && xn_signal_report (signal, 0)->ts <= state->settled_end)
			return TRUE;
	}
	return FALSE;
}

static JsonArray *
settled_array (const XnOutageEngine *engine)
{
	JsonArray *array = json_array_new ();

	for (guint i = 0; i < engine->topology->objects->len; i++) {
		const XnObjectState *state = &engine->states[i];
		JsonObject *member;

		if (!settled_end_needed (state))
			continue;
		member = json_object_new ();
		json_object_set_string_member (member, "object", state->object->name);
		set_int (member, "end", state->settled_end);
		json_array_add_object_element (array, member);
	}
	return array;
}

char *
xn_outage_engine_snapshot (const XnOutageEngine *engine)
{
	g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
	JsonObject *top = json_object_new ();
	JsonObject *stats = json_object_new ();
	JsonArray *signals = json_array_new ();
	g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
	GHashTableIter iter;
	XnSignal *signal;
	GString *out = g_string_new (NULL);

	json_object_set_string_member (top, "format", SNAPSHOT_FORMAT);
	json_object_set_int_member (top, "version", SNAPSHOT_VERSION);
	json_object_set_string_member (top, "topology", engine->topology->digest);
	set_int (top, "window", engine->options.correlation_window_us);
	json_object_set_boolean_member (top, "settle", engine->options.settle);
	set_int (top, "last_seq", engine->last_seq);
	set_instant (top, "now", engine->now);
	set_instant (top, "newest", engine->newest);
	set_instant (top, "sealed", engine->sealed);
	set_int (stats, "reports", (gint64) engine->stats.reports);
	set_int (stats, "neutral", (gint64) engine->stats.neutral);
	set_int (stats, "unknown", (gint64) engine->stats.unknown);
	set_int (stats, "ignored", (gint64) engine->stats.ignored);
	set_int (stats, "late", (gint64) engine->stats.late);
	json_object_set_object_member (top, "stats", stats);
	json_object_set_array_member (top, "settled", settled_array (engine));
	g_hash_table_iter_init (&iter, engine->signals);
	while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &signal))
		if (signal->reports->len > 0)
			g_ptr_array_add (sorted, signal);
	g_ptr_array_sort (sorted, compare_subjects);
	for (guint i = 0; i < sorted->len; i++)
		json_array_add_element (signals, signal_node (g_ptr_array_index (sorted, i)));
	json_object_set_array_member (top, "signals", signals);
	json_node_take_object (root, top);
	xn_json_append (out, root);
	return g_string_free (out, FALSE);
}

/* Reading: every accessor names the place in the message. */

static gboolean
has_keys (JsonObject *object, const char *where, const char *const *keys, GError **error)
{
	g_autoptr(GList) members = json_object_get_members (object);

	for (GList *m = members; m != NULL; m = m->next)
		if (!g_strv_contains (keys, m->data)) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: unknown key \"%s\"", where,
				     (const char *) m->data);
			return FALSE;
		}
	for (guint i = 0; keys[i] != NULL; i++)
		if (!json_object_has_member (object, keys[i])) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: key \"%s\" is missing", where, keys[i]);
			return FALSE;
		}
	return TRUE;
}

static gboolean
node_int (JsonNode *node, const char *where, const char *name, gint64 min, gint64 max,
	  gint64 *out, GError **error)
{
	if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
	    json_node_get_int (node) < min || json_node_get_int (node) > max) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "%s: \"%s\" must be an integer from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
			     where, name, min, max);
		return FALSE;
	}
	*out = json_node_get_int (node);
	return TRUE;
}

static gboolean
member_int (JsonObject *object, const char *where, const char *name, gint64 min, gint64 max,
	    gint64 *out, GError **error)
{
	return node_int (json_object_get_member (object, name), where, name, min, max, out, error);
}

static const char *
member_string (JsonObject *object, const char *where, const char *name, GError **error)
{
	JsonNode *node = json_object_get_member (object, name);

	if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: \"%s\" must be a string", where, name);
		return NULL;
	}
	return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object, const char *where, const char *name, GError **error)
{
	JsonNode *node = json_object_get_member (object, name);

	if (!JSON_NODE_HOLDS_OBJECT (node)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: \"%s\" must be an object", where, name);
		return NULL;
	}
	return json_node_get_object (node);
}

static JsonArray *
node_array (JsonNode *node, const char *where, GError **error)
{
	if (!JSON_NODE_HOLDS_ARRAY (node)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s must be an array", where);
		return NULL;
	}
	return json_node_get_array (node);
}

static gboolean
read_report (JsonNode *node, const char *where, gint64 last_seq, XnReport *report, GError **error)
{
	JsonArray *array = node_array (node, where, error);
	JsonNode *down;

	if (array == NULL)
		return FALSE;
	if (json_array_get_length (array) != 3) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s must be [ts, seq, down]", where);
		return FALSE;
	}
	if (!node_int (json_array_get_element (array, 0), where, "ts", XN_FACT_INSTANT_MIN,
		       XN_FACT_INSTANT_MAX, &report->ts, error) ||
	    !node_int (json_array_get_element (array, 1), where, "seq", 1, last_seq, &report->seq, error))
		return FALSE;
	down = json_array_get_element (array, 2);
	if (!JSON_NODE_HOLDS_VALUE (down) || json_node_get_value_type (down) != G_TYPE_BOOLEAN) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: \"down\" must be true or false", where);
		return FALSE;
	}
	report->down = json_node_get_boolean (down);
	return TRUE;
}

static gboolean
reports_in_order (const XnReport *before, const XnReport *report)
{
	return before->ts < report->ts || (before->ts == report->ts && before->seq < report->seq);
}

static gboolean
read_signal (XnOutageEngine *engine, JsonNode *node, const char *where, GError **error)
{
	static const char *const keys[] = { "subject", "newest", "reports", NULL };
	JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
	const char *subject;
	XnSignal *signal;
	JsonArray *reports;

	if (object == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s must be an object", where);
		return FALSE;
	}
	if (!has_keys (object, where, keys, error) ||
	    (subject = member_string (object, where, "subject", error)) == NULL)
		return FALSE;
	signal = g_hash_table_lookup (engine->signals, subject);
	if (signal == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG,
			     "%s: reports about \"%s\", which this inventory does not follow: the snapshot "
			     "was made under another inventory; replay the journal", where, subject);
		return FALSE;
	}
	if (signal->reports->len > 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: \"%s\" appears twice", where, subject);
		return FALSE;
	}
	if ((reports = node_array (json_object_get_member (object, "reports"), where, error)) == NULL)
		return FALSE;
	for (guint i = 0; i < json_array_get_length (reports); i++) {
		g_autofree char *at = g_strdup_printf ("%s.reports[%u]", where, i);
		XnReport report;

		if (!read_report (json_array_get_element (reports, i), at, engine->last_seq, &report, error))
			return FALSE;
		if (i > 0 && !reports_in_order (&g_array_index (signal->reports, XnReport, i - 1), &report)) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s is not after the report before it", at);
			return FALSE;
		}
		g_array_append_val (signal->reports, report);
	}
	if (signal->reports->len == 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: \"reports\" is empty", where);
		return FALSE;
	}
	return member_int (object, where, "newest",
			   g_array_index (signal->reports, XnReport, signal->reports->len - 1).ts,
			   XN_FACT_INSTANT_MAX, &signal->newest, error);
}

static gboolean
read_stats (XnOutageEngine *engine, JsonObject *top, GError **error)
{
	static const char *const keys[] = { "reports", "neutral", "unknown", "ignored", "late", NULL };
	JsonObject *stats = member_object (top, "outage snapshot", "stats", error);
	gint64 value[5];

	if (stats == NULL || !has_keys (stats, "outage snapshot: stats", keys, error))
		return FALSE;
	for (guint i = 0; i < 5; i++)
		if (!member_int (stats, "outage snapshot: stats", keys[i], 0, G_MAXINT64, &value[i], error))
			return FALSE;
	engine->stats.reports = value[0];
	engine->stats.neutral = value[1];
	engine->stats.unknown = value[2];
	engine->stats.ignored = value[3];
	engine->stats.late = value[4];
	return TRUE;
}

static gboolean
member_instant (JsonObject *object, const char *where, const char *name, XnInstant *out, GError **error)
{
	if (JSON_NODE_HOLDS_NULL (json_object_get_member (object, name))) {
		*out = G_MININT64;
		return TRUE;
	}
	return member_int (object, where, name, XN_FACT_INSTANT_MIN, XN_FACT_INSTANT_MAX, out, error);
}

/* The format and version first: an older version is another set of keys,
 * and deserves its own message. */
static gboolean
read_version (JsonObject *top, const char *where, GError **error)
{
	const char *format;
	gint64 version;

	if (!json_object_has_member (top, "format") || (format = member_string (top, where, "format", error)) == NULL) {
		if (error != NULL && *error == NULL)
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: key \"format\" is missing", where);
		return FALSE;
	}
	if (strcmp (format, SNAPSHOT_FORMAT) != 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: format \"%s\" is not \"" SNAPSHOT_FORMAT "\"",
			     where, format);
		return FALSE;
	}
	if (!json_object_has_member (top, "version") ||
	    !member_int (top, where, "version", 1, SNAPSHOT_VERSION, &version, error)) {
		if (error != NULL && *error == NULL)
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: key \"version\" is missing", where);
		return FALSE;
	}
	if (version < SNAPSHOT_VERSION) {
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG,
			     "%s: version %" G_GINT64_FORMAT " is an older format, which kept every report and did not "
			     "settle outages (this engine reads version %d); replay the journal",
			     where, version, SNAPSHOT_VERSION);
		return FALSE;
	}
	return TRUE;
}

/* The window and settling decide what the outages are, and which settled:
 * a snapshot made with others describes other outages. */
static gboolean
read_settings (XnOutageEngine *engine, JsonObject *top, const char *where, GError **error)
{
	JsonNode *settle = json_object_get_member (top, "settle");
	gint64 window;

	if (!member_int (top, where, "window", 0, XN_OUTAGE_MAX_WINDOW, &window, error))
		return FALSE;
	if (!JSON_NODE_HOLDS_VALUE (settle) || json_node_get_value_type (settle) != G_TYPE_BOOLEAN) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: \"settle\" must be true or false", where);
		return FALSE;
	}
	if (window != engine->options.correlation_window_us) {
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG,
			     "%s: made with a correlation window of %" G_GINT64_FORMAT " s, not %" G_GINT64_FORMAT
			     " s: the window changes which outages belong to which incident; replay the journal",
			     where, window / XN_USEC_PER_SEC, engine->options.correlation_window_us / XN_USEC_PER_SEC);
		return FALSE;
	}
	if (json_node_get_boolean (settle) != engine->options.settle) {
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG, "%s: made %s settling outages; replay the journal",
			     where, json_node_get_boolean (settle) ? "with" : "without");
		return FALSE;
	}
	return TRUE;
}

static gboolean
read_head (XnOutageEngine *engine, JsonObject *top, GError **error)
{
	static const char *const keys[] = { "format", "version", "topology", "window", "settle", "last_seq", "now",
					    "newest", "sealed", "stats", "settled", "signals", NULL };
	const char *where = "outage snapshot";

	if (!read_version (top, where, error) || !has_keys (top, where, keys, error) ||
	    !read_settings (engine, top, where, error) ||
	    !member_int (top, where, "last_seq", 0, G_MAXINT64, &engine->last_seq, error) ||
	    !member_instant (top, where, "now", &engine->now, error) ||
	    !member_instant (top, where, "newest", &engine->newest, error) ||
	    !member_instant (top, where, "sealed", &engine->sealed, error))
		return FALSE;
	return read_stats (engine, top, error);
}

static gboolean
read_settled (XnOutageEngine *engine, JsonObject *top, GError **error)
{
	static const char *const keys[] = { "object", "end", NULL };
	JsonArray *settled = node_array (json_object_get_member (top, "settled"), "outage snapshot: settled", error);

	if (settled == NULL)
		return FALSE;
	for (guint i = 0; i < json_array_get_length (settled); i++) {
		g_autofree char *where = g_strdup_printf ("outage snapshot: settled[%u]", i);
		JsonNode *node = json_array_get_element (settled, i);
		JsonObject *member = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
		const XnTopoObject *object;
		const char *name;
		gint64 end;

		if (member == NULL) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s must be an object", where);
			return FALSE;
		}
		if (!has_keys (member, where, keys, error) || (name = member_string (member, where, "object", error)) == NULL ||
		    !member_int (member, where, "end", XN_FACT_INSTANT_MIN, XN_FACT_INSTANT_MAX, &end, error))
			return FALSE;
		object = xn_topology_lookup (engine->topology, name);
		if (object == NULL) {
			g_set_error (error, XN_ERROR, XN_ERROR_CONFIG,
				     "%s: \"%s\" is not in this inventory: the snapshot was made under another inventory; "
				     "replay the journal", where, name);
			return FALSE;
		}
		engine->states[object->index].settled_end = end;
	}
	return TRUE;
}

static gboolean
read_snapshot (XnOutageEngine *engine, const char *text, GError **error)
{
	g_autoptr(JsonNode) root = xn_json_parse_strict (text, strlen (text), SNAPSHOT_DEPTH, error);
	JsonObject *top;
	JsonArray *signals;
	const char *digest;

	if (root == NULL) {
		g_prefix_error (error, "outage snapshot: ");
		return FALSE;
	}
	if (!JSON_NODE_HOLDS_OBJECT (root)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "outage snapshot: not a JSON object");
		return FALSE;
	}
	top = json_node_get_object (root);
	if (!read_head (engine, top, error) || !read_settled (engine, top, error) ||
	    (signals = node_array (json_object_get_member (top, "signals"), "outage snapshot: signals", error)) == NULL)
		return FALSE;
	for (guint i = 0; i < json_array_get_length (signals); i++) {
		g_autofree char *where = g_strdup_printf ("outage snapshot: signals[%u]", i);

		if (!read_signal (engine, json_array_get_element (signals, i), where, error))
			return FALSE;
	}
	if ((digest = member_string (top, "outage snapshot", "topology", error)) == NULL)
		return FALSE;
	if (strcmp (digest, engine->topology->digest) != 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG,
			     "outage snapshot: made under another topology (nodes, parents, links, their ends "
			     "or units' uplinks differ); replay the journal");
		return FALSE;
	}
	return TRUE;
}

XnOutageEngine *
xn_outage_engine_restore (const XnInventory *inventory, const XnOutageOptions *options,
			  const char *snapshot, GError **error)
{
	g_autoptr(XnOutageEngine) engine = xn_outage_engine_new (inventory, options, error);

	if (engine == NULL || !read_snapshot (engine, snapshot, error))
		return NULL;
	/* the straight engine ran its last pass when this round began */
	engine->settle_round = xn_outage_settle_round (engine);
	/* what settled before is not kept here */
	engine->forgot = engine->sealed != G_MININT64;
	engine->listed_now = engine->now;
	xn_outage_engine_derive_all (engine);
	return g_steal_pointer (&engine);
}

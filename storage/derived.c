/* derived.c — the backend-neutral side of the derived state: outages to
 * rows and back, which rows a step writes, and the engine's resume.
 *
 * A step is handed every outage the engine lists; each becomes a row (its
 * lists as compact JSON) with a SHA-256 digest of the whole row, and only
 * rows whose digest differs from the stored one are written, rows no longer
 * listed are removed. The digests of what is stored are kept in memory
 * between steps and trusted only while the store's step counter says that
 * no one else has written since this process did; otherwise they are read
 * again inside the step's transaction. So a step costs a digest per outage
 * in memory and a write per changed outage on disk. The memory copy changes
 * only after a commit, so a busy or failed step leaves nothing half-known.
 * This file holds no SQL (derived-sqlite.c does) and decides nothing about
 * outages (sla/outage.c does). */
#include "derived-backend.h"
#include "json-strict.h"
#include "xn-error.h"

#include <string.h>

/* Lists in a row nest two levels ([{"from":…}]); a little room for more. */
#define ROW_JSON_DEPTH 4

struct _XnDerived {
	XnDerivedBackend *backend;
	char             *location;
	GHashTable       *digests;        /* id → digest of the stored rows; NULL: not known */
	guint64           steps;          /* the store's step count that `digests` reflects */
	XnDerivedHook     hook;
	gpointer          hook_data;
};

void
xn_derived_row_free (XnDerivedRow *row)
{
	if (row == NULL)
		return;
	g_free (row->id);
	g_free (row->object);
	g_free (row->kind);
	g_free (row->cause);
	g_free (row->root);
	g_free (row->units);
	g_free (row->segments);
	g_free (row->dependents);
	g_free (row->evidence);
	g_free (row->digest);
	g_free (row);
}

static gboolean
fail_at_location (XnDerived *store, GError **error)
{
	g_prefix_error (error, "%s: ", store->location);
	return FALSE;
}

XnDerived *
xn_derived_open (const char *location, XnDerivedOpenFlags flags, GError **error)
{
	XnJournalOpenFlags journal_flags = (flags & XN_DERIVED_OPEN_CREATE) ? XN_JOURNAL_OPEN_CREATE
									     : XN_JOURNAL_OPEN_EXISTING;
	g_autoptr(XnJournal) journal = NULL;
	XnDerivedBackend *backend;
	XnDerived *store;

	/* The journal's own open checks the location, refuses a file that is
	 * not a journal, creates it, sets WAL mode and migrates its schema:
	 * derived tables only ever join an up-to-date journal. */
	journal = xn_journal_open (location, journal_flags, error);
	if (journal == NULL)
		return NULL;
	g_clear_pointer (&journal, xn_journal_close);
	backend = xn_derived_sqlite_open (location, flags, error);
	if (backend == NULL) {
		g_prefix_error (error, "%s: ", location);
		return NULL;
	}
	store = g_new0 (XnDerived, 1);
	store->backend = backend;
	store->location = g_strdup (location);
	return store;
}

void
xn_derived_close (XnDerived *store)
{
	if (store == NULL)
		return;
	xn_derived_sqlite_close (store->backend);
	g_clear_pointer (&store->digests, g_hash_table_unref);
	g_free (store->location);
	g_free (store);
}

const char *
xn_derived_get_location (XnDerived *store)
{
	return store->location;
}

void
xn_derived_set_step_hook (XnDerived *store, XnDerivedHook hook, gpointer user_data)
{
	store->hook = hook;
	store->hook_data = user_data;
}

gboolean
xn_derived_info (XnDerived *store, XnDerivedInfo *info, GError **error)
{
	return xn_derived_sqlite_read (store->backend, NULL, info, NULL, error) || fail_at_location (store, error);
}

gboolean
xn_derived_load (XnDerived *store, gint64 *last_seq, char **snapshot, GError **error)
{
	return xn_derived_sqlite_load (store->backend, last_seq, snapshot, error) || fail_at_location (store, error);
}

/* ---- outages to rows ---- */

static char *
strv_json (const char *const *strv)
{
	GString *out = g_string_new ("[");

	for (guint i = 0; strv != NULL && strv[i] != NULL; i++) {
		if (i > 0)
			g_string_append_c (out, ',');
		xn_json_append_string (out, strv[i]);
	}
	g_string_append_c (out, ']');
	return g_string_free (out, FALSE);
}

static char *
segments_json (const GPtrArray *segments)
{
	GString *out = g_string_new ("[");

	for (guint i = 0; i < segments->len; i++) {
		const XnOutageSegment *segment = g_ptr_array_index (segments, i);

		g_string_append_printf (out, "%s{\"from\":%" G_GINT64_FORMAT ",\"to\":", i > 0 ? "," : "", segment->from);
		if (segment->to == XN_OUTAGE_OPEN)
			g_string_append (out, "null");
		else
			g_string_append_printf (out, "%" G_GINT64_FORMAT, segment->to);
		g_string_append (out, ",\"root\":");
		xn_json_append_string (out, segment->root_id);
		g_string_append_c (out, '}');
	}
	g_string_append_c (out, ']');
	return g_string_free (out, FALSE);
}

static char *
evidence_json (const GArray *evidence)
{
	GString *out = g_string_new ("[");

	for (guint i = 0; i < evidence->len; i++)
		g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", g_array_index (evidence, gint64, i));
	g_string_append_c (out, ']');
	return g_string_free (out, FALSE);
}

/* Every column goes in, each ended by a unit separator, so that no two
 * different rows feed the same bytes. */
static char *
row_digest (const XnDerivedRow *row)
{
	g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
	g_autofree char *numbers = g_strdup_printf ("%" G_GINT64_FORMAT "\x1f%" G_GINT64_FORMAT "\x1f%" G_GINT64_FORMAT
						    "\x1f%" G_GINT64_FORMAT "\x1f%d\x1f",
						    row->seq, row->start, row->end, row->evidence_count,
						    row->provisional ? 1 : 0);
	const char *texts[] = { row->id, row->object, row->kind, row->cause, row->root,
				row->units, row->segments, row->dependents, row->evidence };

	for (gsize i = 0; i < G_N_ELEMENTS (texts); i++) {
		g_checksum_update (sum, (const guchar *) texts[i], -1);
		g_checksum_update (sum, (const guchar *) "\x1f", 1);
	}
	g_checksum_update (sum, (const guchar *) numbers, -1);
	return g_strdup (g_checksum_get_string (sum));
}

static XnDerivedRow *
row_from_outage (const XnOutage *outage)
{
	XnDerivedRow *row = g_new0 (XnDerivedRow, 1);

	row->id = g_strdup (outage->id);
	row->seq = outage->seq;
	row->object = g_strdup (outage->object);
	row->kind = g_strdup (xn_outage_kind_to_string (outage->kind));
	row->start = outage->start;
	row->end = outage->end;
	row->cause = g_strdup (outage->cause);
	row->root = g_strdup (xn_outage_current_root (outage));
	row->units = strv_json ((const char *const *) outage->units);
	row->segments = segments_json (outage->segments);
	row->dependents = strv_json ((const char *const *) outage->dependents);
	row->evidence = evidence_json (outage->evidence);
	row->evidence_count = outage->evidence->len;
	row->provisional = outage->provisional;
	row->digest = row_digest (row);
	return row;
}

/* ---- rows to outages ---- */

static JsonArray *
parse_array (const XnDerivedRow *row, const char *column, const char *text, JsonNode **holder, GError **error)
{
	*holder = xn_json_parse_strict (text, strlen (text), ROW_JSON_DEPTH, error);
	if (*holder == NULL || !JSON_NODE_HOLDS_ARRAY (*holder)) {
		if (*holder != NULL)
			g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "not an array");
		g_prefix_error (error, "outage %s: column %s: ", row->id, column);
		return NULL;
	}
	return json_node_get_array (*holder);
}

static gboolean
bad_element (const XnDerivedRow *row, const char *column, guint i, const char *expected, GError **error)
{
	g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "outage %s: column %s: element %u is not %s",
		     row->id, column, i, expected);
	return FALSE;
}

static GStrv
parse_strv (const XnDerivedRow *row, const char *column, const char *text, GError **error)
{
	g_autoptr(JsonNode) holder = NULL;
	JsonArray *array = parse_array (row, column, text, &holder, error);
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

	if (array == NULL)
		return NULL;
	for (guint i = 0; i < json_array_get_length (array); i++) {
		JsonNode *element = json_array_get_element (array, i);

		if (json_node_get_value_type (element) != G_TYPE_STRING) {
			bad_element (row, column, i, "a string", error);
			return NULL;
		}
		g_strv_builder_add (builder, json_node_get_string (element));
	}
	return g_strv_builder_end (builder);
}

static GArray *
parse_evidence (const XnDerivedRow *row, GError **error)
{
	g_autoptr(JsonNode) holder = NULL;
	JsonArray *array = parse_array (row, "evidence", row->evidence, &holder, error);
	g_autoptr(GArray) evidence = g_array_new (FALSE, FALSE, sizeof (gint64));

	if (array == NULL)
		return NULL;
	for (guint i = 0; i < json_array_get_length (array); i++) {
		JsonNode *element = json_array_get_element (array, i);
		gint64 seq;

		if (json_node_get_value_type (element) != G_TYPE_INT64) {
			bad_element (row, "evidence", i, "an integer", error);
			return NULL;
		}
		seq = json_node_get_int (element);
		g_array_append_val (evidence, seq);
	}
	return g_steal_pointer (&evidence);
}

static void
segment_free (gpointer data)
{
	XnOutageSegment *segment = data;

	g_free (segment->root_id);
	g_free (segment);
}

static gboolean
member_int (JsonObject *object, const char *name, gboolean nullable, gint64 *out)
{
	JsonNode *node = json_object_get_member (object, name);

	if (node != NULL && nullable && JSON_NODE_HOLDS_NULL (node)) {
		*out = XN_OUTAGE_OPEN;
		return TRUE;
	}
	if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
		return FALSE;
	*out = json_node_get_int (node);
	return TRUE;
}

static GPtrArray *
parse_segments (const XnDerivedRow *row, GError **error)
{
	g_autoptr(JsonNode) holder = NULL;
	JsonArray *array = parse_array (row, "segments", row->segments, &holder, error);
	g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func (segment_free);

	if (array == NULL)
		return NULL;
	for (guint i = 0; i < json_array_get_length (array); i++) {
		JsonNode *element = json_array_get_element (array, i);
		JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
		JsonNode *root = object != NULL ? json_object_get_member (object, "root") : NULL;
		XnOutageSegment *segment;
		gint64 from, to;

		if (object == NULL || !member_int (object, "from", FALSE, &from) || !member_int (object, "to", TRUE, &to) ||
		    root == NULL || json_node_get_value_type (root) != G_TYPE_STRING) {
			bad_element (row, "segments", i, "{\"from\":INTEGER,\"to\":INTEGER|null,\"root\":STRING}", error);
			return NULL;
		}
		segment = g_new0 (XnOutageSegment, 1);
		segment->from = from;
		segment->to = to;
		segment->root_id = g_strdup (json_node_get_string (root));
		g_ptr_array_add (segments, segment);
	}
	return g_steal_pointer (&segments);
}

/* Someone writing to the file behind extranoc's back is the only way to a
 * row that does not read back, so every column is checked. */
static XnOutage *
outage_from_row (const XnDerivedRow *row, GError **error)
{
	g_autofree char *digest = row_digest (row);
	g_auto(GStrv) units = NULL;
	g_auto(GStrv) dependents = NULL;
	g_autoptr(GArray) evidence = NULL;
	g_autoptr(GPtrArray) segments = NULL;
	XnOutage *outage;

	if (strcmp (digest, row->digest) != 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "outage %s: its digest does not match its columns", row->id);
		return NULL;
	}
	if (strcmp (row->kind, "node") != 0 && strcmp (row->kind, "link") != 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "outage %s: unknown kind '%s'", row->id, row->kind);
		return NULL;
	}
	if ((units = parse_strv (row, "units", row->units, error)) == NULL ||
	    (dependents = parse_strv (row, "dependents", row->dependents, error)) == NULL ||
	    (evidence = parse_evidence (row, error)) == NULL ||
	    (segments = parse_segments (row, error)) == NULL)
		return NULL;
	if (segments->len == 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "outage %s: no segments", row->id);
		return NULL;
	}
	outage = g_new0 (XnOutage, 1);
	outage->id = g_strdup (row->id);
	outage->seq = row->seq;
	outage->object = g_strdup (row->object);
	outage->kind = strcmp (row->kind, "node") == 0 ? XN_OUTAGE_NODE : XN_OUTAGE_LINK;
	outage->start = row->start;
	outage->end = row->end;
	outage->cause = g_strdup (row->cause);
	outage->units = g_steal_pointer (&units);
	outage->evidence = g_steal_pointer (&evidence);
	outage->segments = g_steal_pointer (&segments);
	outage->dependents = g_steal_pointer (&dependents);
	outage->provisional = row->provisional;
	return outage;
}

GPtrArray *
xn_derived_list (XnDerived *store, const XnDerivedFilter *filter, XnDerivedInfo *info, GError **error)
{
	g_autoptr(GPtrArray) rows = NULL;
	g_autoptr(GPtrArray) outages = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_outage_free);

	if (!xn_derived_sqlite_read (store->backend, filter, info, &rows, error)) {
		fail_at_location (store, error);
		return NULL;
	}
	for (guint i = 0; i < rows->len; i++) {
		XnOutage *outage = outage_from_row (g_ptr_array_index (rows, i), error);

		if (outage == NULL) {
			fail_at_location (store, error);
			return NULL;
		}
		g_ptr_array_add (outages, outage);
	}
	return g_steal_pointer (&outages);
}

/* ---- steps ---- */

/* Writes what differs from `stored` (id → digest); TRUE with the counts. */
static gboolean
write_rows (XnDerived *store, GHashTable *stored, GPtrArray *rows, XnDerivedStepStats *stats, GError **error)
{
	g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
	GHashTableIter iter;
	gpointer id;

	for (guint i = 0; i < rows->len; i++) {
		const XnDerivedRow *row = g_ptr_array_index (rows, i);
		const char *digest = g_hash_table_lookup (stored, row->id);

		if (!g_hash_table_add (listed, row->id)) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "outage %s is listed twice", row->id);
			return FALSE;
		}
		if (digest != NULL && strcmp (digest, row->digest) == 0) {
			stats->unchanged++;
			continue;
		}
		if (!xn_derived_sqlite_put (store->backend, row, error))
			return FALSE;
		stats->written++;
	}
	g_hash_table_iter_init (&iter, stored);
	while (g_hash_table_iter_next (&iter, &id, NULL)) {
		if (g_hash_table_contains (listed, id))
			continue;
		if (!xn_derived_sqlite_remove (store->backend, id, error))
			return FALSE;
		stats->removed++;
	}
	return TRUE;
}

static GHashTable *
digests_new (void)
{
	return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

XnDerivedResult
xn_derived_commit (XnDerived *store, const GPtrArray *outages, const char *snapshot, gint64 last_seq,
		   XnInstant now, XnDerivedStepStats *stats, GError **error)
{
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_derived_row_free);
	g_autoptr(GHashTable) reread = NULL;
	g_autoptr(GHashTable) written = digests_new ();
	XnDerivedStepStats counts = { 0, 0, 0 };
	gboolean busy = FALSE;
	guint64 steps;

	if (snapshot == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: a step needs the engine's snapshot", store->location);
		return XN_DERIVED_FAILED;
	}
	/* The rows and their digests are made before the lock is taken. */
	for (guint i = 0; i < outages->len; i++)
		g_ptr_array_add (rows, row_from_outage (g_ptr_array_index (outages, i)));
	if (!xn_derived_sqlite_begin (store->backend, &steps, &busy, error))
		goto failed;
	if (store->digests == NULL || steps != store->steps) {
		reread = digests_new ();
		if (!xn_derived_sqlite_digests (store->backend, reread, error))
			goto failed;
	}
	if (!write_rows (store, reread != NULL ? reread : store->digests, rows, &counts, error))
		goto failed;
	if (store->hook != NULL)
		store->hook (store->hook_data);
	if (!xn_derived_sqlite_finish (store->backend, snapshot, last_seq, now, &busy, error))
		goto failed;
	for (guint i = 0; i < rows->len; i++) {
		XnDerivedRow *row = g_ptr_array_index (rows, i);

		g_hash_table_replace (written, g_steal_pointer (&row->id), g_steal_pointer (&row->digest));
	}
	g_clear_pointer (&store->digests, g_hash_table_unref);
	store->digests = g_steal_pointer (&written);
	store->steps = steps + 1;
	if (stats != NULL)
		*stats = counts;
	return XN_DERIVED_STORED;

failed:
	xn_derived_sqlite_rollback (store->backend);
	fail_at_location (store, error);
	return busy ? XN_DERIVED_BUSY : XN_DERIVED_FAILED;
}

XnDerivedResult
xn_derived_commit_engine (XnDerived *store, const XnOutageEngine *engine, XnDerivedStepStats *stats,
			  GError **error)
{
	g_autoptr(GPtrArray) outages = xn_outage_engine_list (engine, FALSE);
	g_autofree char *snapshot = xn_outage_engine_snapshot (engine);

	return xn_derived_commit (store, outages, snapshot, xn_outage_engine_last_seq (engine),
				  xn_outage_engine_now (engine), stats, error);
}

XnOutageEngine *
xn_derived_resume (XnDerived *store, const XnInventory *inventory, const XnOutageOptions *options,
		   char **from_start, GError **error)
{
	g_autofree char *snapshot = NULL;
	g_autoptr(GError) refused = NULL;
	XnOutageEngine *engine;
	gint64 last_seq;

	if (!xn_derived_load (store, &last_seq, &snapshot, error))
		return NULL;
	if (snapshot == NULL)
		return xn_outage_engine_new (inventory, options, error);
	engine = xn_outage_engine_restore (inventory, options, snapshot, &refused);
	if (engine != NULL && xn_outage_engine_last_seq (engine) != last_seq) {
		g_set_error (&refused, XN_ERROR, XN_ERROR_INVALID,
			     "the snapshot is at seq %" G_GINT64_FORMAT ", the position at seq %" G_GINT64_FORMAT,
			     xn_outage_engine_last_seq (engine), last_seq);
		g_clear_pointer (&engine, xn_outage_engine_free);
	}
	if (engine != NULL)
		return engine;
	/* Options out of range fail a new engine just the same; anything
	 * else in the snapshot is a reason to derive again, not to stop. */
	engine = xn_outage_engine_new (inventory, options, error);
	if (engine != NULL && from_start != NULL)
		*from_start = g_strdup_printf ("the stored state (at seq %" G_GINT64_FORMAT ") cannot be continued: %s",
					       last_seq, refused->message);
	return engine;
}

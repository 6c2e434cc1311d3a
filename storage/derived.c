/* derived.c — the backend-neutral side of the derived state: outages to
 * rows and back, what a step writes, and the engine's resume.
 *
 * A step takes from the engine what changed since the last step
 * (xn_outage_engine_take_changes: new and changed outages, settled ones in
 * their final form, ids removed) and adds it to what earlier steps that
 * did not go through left pending; each outage becomes a row (its lists as
 * compact JSON) with a SHA-256 digest of the whole row, and the backend
 * writes a row only when its digest differs from the stored one. Rows of
 * outages that settled are never handed over again and stay as they are.
 * So a step costs in proportion to what changed, in memory and on disk.
 * The pending changes are cleared only after a commit, so a busy or failed
 * step loses nothing. The store's step counter tells whether another
 * process wrote since this one did: then the pending changes do not apply
 * to what is stored, and only an engine that still lists everything it
 * derived can replace it. This file holds no SQL (derived-sqlite.c does)
 * and decides nothing about outages (sla/outage.c does). */
#include "derived-private.h"
#include "json-strict.h"
#include "xn-error.h"

#include <string.h>

/* Lists in a row nest two levels ([{"from":…}]); a little room for more. */
#define ROW_JSON_DEPTH 4

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

gboolean
xn_derived_fail_at_location (XnDerived *store, GError **error)
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
	store->pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) xn_outage_free);
	store->pending_removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	store->pending_tickets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
							(GDestroyNotify) xn_derived_ticket_row_free);
	store->pending_messages = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_outbox_message_free);
	{
		XnDerivedInfo info;

		if (!xn_derived_sqlite_info (backend, &info, error)) {
			g_prefix_error (error, "%s: ", location);
			xn_derived_close (store);
			return NULL;
		}
		store->steps = info.steps;
	}
	return store;
}

void
xn_derived_close (XnDerived *store)
{
	if (store == NULL)
		return;
	xn_derived_sqlite_close (store->backend);
	g_clear_pointer (&store->pending, g_hash_table_unref);
	g_clear_pointer (&store->pending_removed, g_hash_table_unref);
	g_clear_pointer (&store->pending_tickets, g_hash_table_unref);
	g_clear_pointer (&store->pending_messages, g_ptr_array_unref);
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
	return xn_derived_sqlite_read (store->backend, NULL, info, NULL, error) || xn_derived_fail_at_location (store, error);
}

gboolean
xn_derived_load (XnDerived *store, gint64 *last_seq, char **snapshot, GError **error)
{
	guint64 steps;

	return xn_derived_sqlite_load (store->backend, last_seq, snapshot, &steps, error) ||
	       xn_derived_fail_at_location (store, error);
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
		xn_derived_fail_at_location (store, error);
		return NULL;
	}
	for (guint i = 0; i < rows->len; i++) {
		XnOutage *outage = outage_from_row (g_ptr_array_index (rows, i), error);

		if (outage == NULL) {
			xn_derived_fail_at_location (store, error);
			return NULL;
		}
		g_ptr_array_add (outages, outage);
	}
	return g_steal_pointer (&outages);
}

/* ---- steps ---- */

static void
merge_changes (XnDerived *store, GPtrArray *changed, const GPtrArray *removed)
{
	for (guint i = 0; i < removed->len; i++) {
		const char *id = g_ptr_array_index (removed, i);

		g_hash_table_remove (store->pending, id);
		g_hash_table_add (store->pending_removed, g_strdup (id));
	}
	while (changed->len > 0) {
		XnOutage *outage = g_ptr_array_steal_index_fast (changed, changed->len - 1);

		g_hash_table_remove (store->pending_removed, outage->id);
		g_hash_table_replace (store->pending, outage->id, outage);
	}
}

void
xn_derived_take_changes (XnDerived *store, XnOutageEngine *engine)
{
	g_autoptr(GPtrArray) changed = NULL;
	g_autoptr(GPtrArray) removed = NULL;

	xn_outage_engine_take_changes (engine, &changed, &removed);
	merge_changes (store, changed, removed);
}

void
xn_derived_forget_pending (XnDerived *store)
{
	g_hash_table_remove_all (store->pending);
	g_hash_table_remove_all (store->pending_removed);
	g_hash_table_remove_all (store->pending_tickets);
	g_ptr_array_set_size (store->pending_messages, 0);
}

static gboolean
write_rows (XnDerived *store, const GPtrArray *rows, gboolean replace, XnDerivedStepStats *counts, GError **error)
{
	GHashTableIter iter;
	gpointer id;

	if (replace && !xn_derived_sqlite_remove_all (store->backend, &counts->removed, error))
		return FALSE;
	g_hash_table_iter_init (&iter, store->pending_removed);
	while (!replace && g_hash_table_iter_next (&iter, &id, NULL)) {
		gboolean removed = FALSE;

		if (!xn_derived_sqlite_remove (store->backend, id, &removed, error))
			return FALSE;
		counts->removed += removed;
	}
	for (guint i = 0; i < rows->len; i++) {
		gboolean written = FALSE;

		if (!xn_derived_sqlite_put (store->backend, g_ptr_array_index (rows, i), &written, error))
			return FALSE;
		if (written)
			counts->written++;
		else
			counts->unchanged++;
	}
	return TRUE;
}

/* The tickets and messages of a ticket step, after its outage rows. */
static gboolean
write_tickets (XnDerived *store, const XnDerivedStep *step, XnDerivedStepStats *counts, GError **error)
{
	GHashTableIter iter;
	gpointer row;

	g_hash_table_iter_init (&iter, store->pending_tickets);
	while (g_hash_table_iter_next (&iter, NULL, &row)) {
		gboolean written = FALSE;

		if (!xn_derived_sqlite_put_ticket (store->backend, row, &written, error))
			return FALSE;
		counts->tickets += written;
	}
	for (guint i = 0; i < store->pending_messages->len; i++) {
		const XnOutboxMessage *message = g_ptr_array_index (store->pending_messages, i);
		gboolean suppressed = xn_outbox_is_stale (message->instant, step->created, step->horizon_s);
		gboolean inserted = FALSE;

		if (!xn_derived_sqlite_put_message (store->backend, message, step->created, suppressed, &inserted, error))
			return FALSE;
		counts->messages += inserted;
		counts->suppressed += inserted && suppressed;
	}
	return TRUE;
}

static GPtrArray *
rows_of (GPtrArray *outages, GHashTable *table)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_derived_row_free);
	GHashTableIter iter;
	gpointer outage;

	for (guint i = 0; outages != NULL && i < outages->len; i++)
		g_ptr_array_add (rows, row_from_outage (g_ptr_array_index (outages, i)));
	if (table != NULL) {
		g_hash_table_iter_init (&iter, table);
		while (g_hash_table_iter_next (&iter, NULL, &outage))
			g_ptr_array_add (rows, row_from_outage (outage));
	}
	return rows;
}

XnDerivedResult
xn_derived_step (XnDerived *store, const XnDerivedStep *step, XnDerivedStepStats *stats, GError **error)
{
	g_autoptr(GPtrArray) rows = NULL;
	XnDerivedStepStats counts = { 0 };
	gboolean replace = store->replace, busy = FALSE;
	guint64 steps;

	/* The rows and their digests are made before the lock is taken. */
	rows = rows_of (NULL, store->pending);
	if (!xn_derived_sqlite_begin (store->backend, &steps, &busy, error))
		goto failed;
	if (steps != store->steps && !replace) {
		g_autoptr(GPtrArray) all = NULL;

		/* A ticket engine's tickets and messages hang on its whole
		 * history, which another process's rows do not have. */
		if (step->tickets || !xn_outage_engine_lists_all (step->outages)) {
			xn_derived_sqlite_rollback (store->backend);
			g_set_error (error, XN_ERROR, XN_ERROR_STORAGE,
				     "%s: another process stored derived state (%" G_GUINT64_FORMAT " steps, %"
				     G_GUINT64_FORMAT " when this one last looked); one collector per journal",
				     store->location, steps, store->steps);
			return XN_DERIVED_CONFLICT;
		}
		/* What is stored is another derivation's: this one's replaces it. */
		all = xn_outage_engine_list (step->outages, FALSE);
		g_clear_pointer (&rows, g_ptr_array_unref);
		rows = rows_of (all, NULL);
		replace = TRUE;
	}
	if (!write_rows (store, rows, replace, &counts, error) ||
	    !write_tickets (store, step, &counts, error))
		goto failed;
	if (store->hook != NULL)
		store->hook (store->hook_data);
	if (!xn_derived_sqlite_finish (store->backend, step->snapshot, step->last_seq, step->now,
				       xn_outage_engine_correlation_window (step->outages), &busy, error))
		goto failed;
	xn_derived_forget_pending (store);
	store->replace = FALSE;
	store->steps = steps + 1;
	if (stats != NULL)
		*stats = counts;
	return XN_DERIVED_STORED;

failed:
	xn_derived_sqlite_rollback (store->backend);
	xn_derived_fail_at_location (store, error);
	return busy ? XN_DERIVED_BUSY : XN_DERIVED_FAILED;
}

XnDerivedResult
xn_derived_commit_engine (XnDerived *store, XnOutageEngine *engine, XnDerivedStepStats *stats, GError **error)
{
	g_autofree char *snapshot = xn_outage_engine_snapshot (engine);
	XnDerivedStep step = { engine, snapshot, xn_outage_engine_last_seq (engine), xn_outage_engine_now (engine),
			       FALSE, 0, 0 };

	xn_derived_take_changes (store, engine);
	return xn_derived_step (store, &step, stats, error);
}

void
xn_derived_start_over (XnDerived *store)
{
	xn_derived_forget_pending (store);
	store->replace = TRUE;
}

gboolean
xn_derived_load_for_resume (XnDerived *store, gint64 *last_seq, char **snapshot, GError **error)
{
	guint64 steps;

	if (!xn_derived_sqlite_load (store->backend, last_seq, snapshot, &steps, error))
		return xn_derived_fail_at_location (store, error);
	store->steps = steps;
	xn_derived_forget_pending (store);
	store->replace = FALSE;
	return TRUE;
}

XnOutageEngine *
xn_derived_resume (XnDerived *store, const XnInventory *inventory, const XnOutageOptions *options,
		   char **from_start, GError **error)
{
	g_autofree char *snapshot = NULL;
	g_autoptr(GError) refused = NULL;
	XnOutageEngine *engine;
	gint64 last_seq;

	if (!xn_derived_load_for_resume (store, &last_seq, &snapshot, error))
		return NULL;
	if (snapshot != NULL) {
		engine = xn_outage_engine_restore (inventory, options, snapshot, &refused);
		if (engine != NULL && xn_outage_engine_last_seq (engine) != last_seq) {
			g_set_error (&refused, XN_ERROR, XN_ERROR_INVALID,
				     "the snapshot is at seq %" G_GINT64_FORMAT ", the position at seq %" G_GINT64_FORMAT,
				     xn_outage_engine_last_seq (engine), last_seq);
			g_clear_pointer (&engine, xn_outage_engine_free);
		}
		if (engine != NULL)
			return engine;
	}
	/* Options out of range fail a new engine just the same; anything
	 * else in the snapshot is a reason to derive again, not to stop. */
	engine = xn_outage_engine_new (inventory, options, error);
	if (engine == NULL)
		return NULL;
	/* whatever rows there are belong to another derivation */
	store->replace = TRUE;
	if (refused != NULL && from_start != NULL)
		*from_start = g_strdup_printf ("the stored state (at seq %" G_GINT64_FORMAT ") cannot be continued: %s",
					       last_seq, refused->message);
	return engine;
}

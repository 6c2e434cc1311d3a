/* journal-sqlite.c — the journal on one SQLite file; with derived-sqlite.c
 * and sqlite-common.c (errors, locking statements and migrations, shared)
 * the only files that include sqlite3.h.
 *
 * Several processes append to the same file, so the database runs in WAL mode
 * (readers never block the writer), waits for locks through busy_timeout (10
 * s, or 20 ms for a daemon that must not stall, whose appends then report a
 * busy journal as such), and starts every append with BEGIN IMMEDIATE: the
 * write lock is taken before a seq is chosen, which both avoids the deadlock
 * of two readers upgrading and makes commits happen in seq order, so an
 * incremental reader that has seen seq N never later finds a new fact below
 * N. synchronous=FULL makes a commit durable before the call returns. The
 * schema is versioned in the schema_version table and brought forward by an
 * ordered list of migration steps, one transaction each; triggers refuse
 * UPDATE and DELETE on facts. The CHECK that attrs is a JSON object guards
 * the file against other writers: this connection's own appends skip it
 * (PRAGMA ignore_check_constraints), since their attrs are printed by
 * json-strict.c from checked facts and SQLite parsing them again cost
 * 40 % of each append; the integrity check still applies it to every row.
 * SQLite errors become XN_ERROR_STORAGE here and nowhere else. */
#include "journal-backend.h"
#include "sqlite-common.h"
#include "xn-error.h"

#include <string.h>

#define WAL_RETRY_MS     10
/* PRAGMA application_id: 'XNJL', so other tools can tell the file apart. */
#define APPLICATION_ID   0x584e4a4c

struct _XnJournalBackend {
	sqlite3 *db;
	sqlite3_stmt *insert;
	guint schema_version;
	guint busy_timeout_ms;   /* appends' */
};

/* Step i brings the schema from version i to i + 1. Never edit a released
 * step: add one. */
static const char *const migrations[] = {
	/* 1: the facts. AUTOINCREMENT so a seq is never handed out twice. */
	"CREATE TABLE facts ("
	"  seq      INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  ts       INTEGER NOT NULL,"
	"  kind     TEXT NOT NULL,"
	"  subject  TEXT NOT NULL,"
	"  source   TEXT NOT NULL,"
	"  recorded INTEGER NOT NULL,"
	"  attrs    TEXT NOT NULL CHECK (json_type (attrs) = 'object'));"
	"CREATE INDEX facts_subject_ts ON facts (subject, ts);"
	"CREATE INDEX facts_kind_ts ON facts (kind, ts);"
	"CREATE TRIGGER facts_no_update BEFORE UPDATE ON facts"
	"  BEGIN SELECT RAISE (ABORT, 'facts are append-only'); END;"
	"CREATE TRIGGER facts_no_delete BEFORE DELETE ON facts"
	"  BEGIN SELECT RAISE (ABORT, 'facts are append-only'); END;",
};

static void
backend_close (XnJournalBackend *b)
{
	if (b == NULL)
		return;
	sqlite3_finalize (b->insert);
	sqlite3_close_v2 (b->db);
	g_free (b);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnJournalBackend, backend_close)

/* The journal mode, switching to WAL if needed: one attempt. */
static int
try_wal (XnJournalBackend *b, char **mode)
{
	static const char *const steps[] = { "PRAGMA journal_mode", "PRAGMA journal_mode = WAL" };
	int rc = SQLITE_OK;

	for (gsize i = 0; i < G_N_ELEMENTS (steps); i++) {
		sqlite3_stmt *st = NULL;

		rc = sqlite3_prepare_v2 (b->db, steps[i], -1, &st, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_step (st);
		if (rc == SQLITE_ROW) {
			g_free (*mode);
			*mode = g_strdup ((const char *) sqlite3_column_text (st, 0));
		}
		sqlite3_finalize (st);
		if (rc != SQLITE_ROW || g_ascii_strcasecmp (*mode, "wal") == 0)
			break;
	}
	return rc;
}

/* Switching a new file to WAL needs it alone for a moment, and SQLite does not
 * wait for that through busy_timeout when several processes create the same
 * journal at once: retry for about as long as busy_timeout would wait. */
static gboolean
set_wal (XnJournalBackend *b, GError **error)
{
	g_autofree char *mode = NULL;
	int rc;

	for (guint attempt = 0;; attempt++) {
		rc = try_wal (b, &mode);
		if ((rc & 0xff) != SQLITE_BUSY || attempt >= XN_JOURNAL_WAIT_MS / WAL_RETRY_MS)
			break;
		g_usleep (WAL_RETRY_MS * 1000);
	}
	if (rc != SQLITE_ROW)
		return xn_sqlite_fail (b->db, "switching to WAL mode", error);
	if (g_ascii_strcasecmp (mode, "wal") != 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_STORAGE,
			     "cannot use WAL mode here (SQLite stays in '%s' mode)", mode);
		return FALSE;
	}
	return xn_sqlite_exec (b->db, "PRAGMA synchronous = FULL", "setting synchronous mode", error);
}

/* A database that is not a journal (another application's, or SQLite
 * tables without our version table) is refused, never migrated. */
static gboolean
check_journal (sqlite3 *db, gboolean has_table, GError **error)
{
	gint64 app_id, other_tables;

	if (!xn_sqlite_query_int64 (db, "PRAGMA application_id", "reading the application id", &app_id, error))
		return FALSE;
	if (app_id != 0 && app_id != APPLICATION_ID) {
		g_set_error (error, XN_ERROR, XN_ERROR_STORAGE,
			     "not an extranoc journal (SQLite application_id 0x%08" G_GINT64_MODIFIER "x)", app_id);
		return FALSE;
	}
	if (has_table)
		return TRUE;
	if (!xn_sqlite_query_int64 (db, "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
				    "reading the schema", &other_tables, error))
		return FALSE;
	if (other_tables > 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_STORAGE,
			     "not an extranoc journal (an SQLite database without a schema_version table)");
		return FALSE;
	}
	return TRUE;
}

static gboolean
migrate (XnJournalBackend *b, const char *const *steps, guint n_steps, GError **error)
{
	g_autofree char *mark = g_strdup_printf ("PRAGMA application_id = %d", APPLICATION_ID);
	const XnSqliteSchema schema = {
		.table = "schema_version", .label = "schema", .steps = steps, .n_steps = n_steps,
		.after_step = mark, .check = check_journal,
	};

	return xn_sqlite_migrate (b->db, &schema, &b->schema_version, error);
}

XnJournalBackend *
xn_journal_sqlite_open_with (const char *path, XnJournalOpenFlags flags,
			     const char *const *steps, guint n_steps, GError **error)
{
	g_autoptr(XnJournalBackend) b = g_new0 (XnJournalBackend, 1);
	int open_flags = SQLITE_OPEN_READWRITE;

	if (!(flags & XN_JOURNAL_OPEN_CREATE) && !g_file_test (path, G_FILE_TEST_EXISTS)) {
		g_set_error (error, XN_ERROR, XN_ERROR_NOT_FOUND, "no such journal");
		return NULL;
	}
	if (flags & XN_JOURNAL_OPEN_CREATE)
		open_flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2 (path, &b->db, open_flags, NULL) != SQLITE_OK) {
		if (b->db == NULL) {
			g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "opening: out of memory");
			return NULL;
		}
		xn_sqlite_fail (b->db, "opening", error);
		return NULL;
	}
	sqlite3_extended_result_codes (b->db, 1);
	/* Creating or migrating is a one-off worth waiting for; appends may
	 * then be told to give up sooner. */
	sqlite3_busy_timeout (b->db, XN_JOURNAL_WAIT_MS);
	if (!set_wal (b, error) || !migrate (b, steps, n_steps, error))
		return NULL;
	/* after the migrations, which stay checked; see the top of the file */
	if (!xn_sqlite_exec (b->db, "PRAGMA ignore_check_constraints = ON", "setting up appends", error))
		return NULL;
	b->busy_timeout_ms = (flags & XN_JOURNAL_OPEN_SHORT_WAIT) ? XN_JOURNAL_SHORT_WAIT_MS : XN_JOURNAL_WAIT_MS;
	sqlite3_busy_timeout (b->db, b->busy_timeout_ms);
	if (sqlite3_prepare_v3 (b->db,
				"INSERT INTO facts (seq, ts, kind, subject, source, recorded, attrs)"
				" VALUES (?, ?, ?, ?, ?, ?, ?)", -1, SQLITE_PREPARE_PERSISTENT,
				&b->insert, NULL) != SQLITE_OK) {
		xn_sqlite_fail (b->db, "preparing appends", error);
		return NULL;
	}
	return g_steal_pointer (&b);
}

const char *const *
xn_journal_sqlite_migrations (guint *n_migrations)
{
	*n_migrations = G_N_ELEMENTS (migrations);
	return migrations;
}

static XnJournalBackend *
sqlite_open (const char *path, XnJournalOpenFlags flags, GError **error)
{
	return xn_journal_sqlite_open_with (path, flags, migrations, G_N_ELEMENTS (migrations), error);
}

/* attrs: the fact's attrs as printed, or NULL to print them here (or take
 * the text the fact was made from). */
static gboolean
insert_fact (XnJournalBackend *b, const XnFact *fact, const char *attrs, gboolean keep_seq, gint64 *seq,
	     GError **error)
{
	sqlite3_stmt *st = b->insert;
	g_autofree char *printed = NULL;
	int rc;

	if (attrs == NULL && fact->attrs_json != NULL)
		attrs = fact->attrs_json;
	else if (attrs == NULL)
		attrs = printed = xn_fact_attrs_to_json (fact->attrs);

	if (keep_seq)
		sqlite3_bind_int64 (st, 1, fact->seq);
	else
		sqlite3_bind_null (st, 1);
	sqlite3_bind_int64 (st, 2, fact->ts);
	/* the strings outlive the step: SQLite need not copy them */
	sqlite3_bind_text (st, 3, fact->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text (st, 4, fact->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text (st, 5, fact->source, -1, SQLITE_STATIC);
	sqlite3_bind_int64 (st, 6, fact->recorded);
	sqlite3_bind_text (st, 7, attrs, -1, SQLITE_STATIC);
	rc = sqlite3_step (st);
	if (rc != SQLITE_DONE)
		xn_sqlite_fail (b->db, "appending", error);
	sqlite3_reset (st);
	sqlite3_clear_bindings (st);
	*seq = sqlite3_last_insert_rowid (b->db);
	return rc == SQLITE_DONE;
}

static gboolean
append_facts (XnJournalBackend *b, GPtrArray *facts, char **attrs_json, gboolean keep_seq, gboolean *busy,
	      GError **error)
{
	g_autofree gint64 *seqs = g_new (gint64, facts->len);

	if (!xn_sqlite_exec_locking (b->db, "BEGIN IMMEDIATE", "starting an append", b->busy_timeout_ms, busy, error))
		return FALSE;
	if (keep_seq && facts->len > 0) {
		const XnFact *first = g_ptr_array_index (facts, 0);
		gint64 last;

		if (!xn_sqlite_query_int64 (b->db, "SELECT coalesce (max (seq), 0) FROM facts", "reading the last seq", &last, error))
			return xn_sqlite_rollback (b->db);
		if (first->seq <= last) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
				     "seq %" G_GINT64_FORMAT " is not above the journal's last seq %" G_GINT64_FORMAT
				     "; import with renumbering to append these facts under new numbers",
				     first->seq, last);
			return xn_sqlite_rollback (b->db);
		}
	}
	for (guint i = 0; i < facts->len; i++) {
		if (!insert_fact (b, g_ptr_array_index (facts, i), attrs_json != NULL ? attrs_json[i] : NULL,
				  keep_seq, &seqs[i], error))
			return xn_sqlite_rollback (b->db);
	}
	if (!xn_sqlite_exec_locking (b->db, "COMMIT", "committing an append", b->busy_timeout_ms, busy, error))
		return xn_sqlite_rollback (b->db);
	for (guint i = 0; i < facts->len; i++)
		((XnFact *) g_ptr_array_index (facts, i))->seq = seqs[i];
	return TRUE;
}

static gboolean
sqlite_append (XnJournalBackend *b, GPtrArray *facts, gboolean keep_seq, gboolean *busy, GError **error)
{
	return append_facts (b, facts, NULL, keep_seq, busy, error);
}

static gboolean
sqlite_append_printed (XnJournalBackend *b, GPtrArray *facts, char **attrs_json, gboolean *busy, GError **error)
{
	return append_facts (b, facts, attrs_json, FALSE, busy, error);
}

gboolean
xn_journal_sqlite_hold_lock (XnJournalBackend *b, gboolean hold, GError **error)
{
	if (hold)
		return xn_sqlite_exec (b->db, "BEGIN IMMEDIATE", "taking the write lock", error);
	return xn_sqlite_exec (b->db, "ROLLBACK", "giving the write lock back", error);
}

static gboolean
sqlite_last_seq (XnJournalBackend *b, gint64 *last_seq, GError **error)
{
	return xn_sqlite_query_int64 (b->db, "SELECT coalesce (max (seq), 0) FROM facts", "reading the last seq", last_seq, error);
}

static XnFact *
row_to_fact (sqlite3_stmt *st, GError **error)
{
	static const int text_columns[] = { 2, 3, 4, 6 };
	gint64 seq = sqlite3_column_int64 (st, 0);
	g_autoptr(JsonObject) attrs = NULL;
	g_autoptr(XnFact) fact = NULL;

	for (gsize i = 0; i < G_N_ELEMENTS (text_columns); i++) {
		int col = text_columns[i];

		if (sqlite3_column_type (st, col) != SQLITE_TEXT) {
			g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "seq %" G_GINT64_FORMAT ": column %s is not text",
				     seq, sqlite3_column_name (st, col));
			return NULL;
		}
	}
	attrs = xn_fact_attrs_from_json ((const char *) sqlite3_column_text (st, 6), error);
	if (attrs == NULL) {
		g_prefix_error (error, "seq %" G_GINT64_FORMAT ": ", seq);
		return NULL;
	}
	fact = xn_fact_new (sqlite3_column_int64 (st, 1), (const char *) sqlite3_column_text (st, 2),
			    (const char *) sqlite3_column_text (st, 3), (const char *) sqlite3_column_text (st, 4),
			    sqlite3_column_int64 (st, 5), attrs);
	fact->seq = seq;
	/* Only someone writing to the file behind our back gets a bad fact in. */
	if (!xn_fact_validate (fact, error)) {
		g_prefix_error (error, "seq %" G_GINT64_FORMAT ": ", seq);
		return NULL;
	}
	return g_steal_pointer (&fact);
}

/* A fact the caller holds stands for its row when the row agrees with it. */
static const XnFact *
known_fact (sqlite3_stmt *st, XnFactKnownFunc known, gpointer known_data)
{
	const XnFact *fact = known != NULL ? known (sqlite3_column_int64 (st, 0), known_data) : NULL;

	if (fact == NULL || sqlite3_column_type (st, 2) != SQLITE_TEXT ||
	    fact->ts != sqlite3_column_int64 (st, 1) || fact->recorded != sqlite3_column_int64 (st, 5) ||
	    strcmp (fact->kind, (const char *) sqlite3_column_text (st, 2)) != 0)
		return NULL;
	return fact;
}

/* One statement is one read transaction: its snapshot lasts until it is finalized. */
static gboolean
sqlite_foreach_known (XnJournalBackend *b, gint64 after_seq, guint limit, XnFactKnownFunc known,
		      gpointer known_data, XnFactFunc func, gpointer user_data, GError **error)
{
	sqlite3_stmt *st = NULL;
	gboolean ok = TRUE;
	int rc = SQLITE_DONE;

	if (sqlite3_prepare_v2 (b->db,
				"SELECT seq, ts, kind, subject, source, recorded, attrs FROM facts"
				" WHERE seq > ? ORDER BY seq LIMIT ?", -1, &st, NULL) != SQLITE_OK)
		return xn_sqlite_fail (b->db, "reading", error);
	sqlite3_bind_int64 (st, 1, after_seq);
	sqlite3_bind_int64 (st, 2, limit > 0 ? (gint64) limit : -1);
	while (ok && (rc = sqlite3_step (st)) == SQLITE_ROW) {
		const XnFact *same = known_fact (st, known, known_data);
		g_autoptr(XnFact) fact = same == NULL ? row_to_fact (st, error) : NULL;

		ok = (same != NULL || fact != NULL) && func (same != NULL ? same : fact, user_data, error);
	}
	if (ok && rc != SQLITE_DONE)
		ok = xn_sqlite_fail (b->db, "reading", error);
	sqlite3_finalize (st);
	return ok;
}

static gboolean
sqlite_foreach (XnJournalBackend *b, gint64 after_seq, guint limit,
		XnFactFunc func, gpointer user_data, GError **error)
{
	return sqlite_foreach_known (b, after_seq, limit, NULL, NULL, func, user_data, error);
}

static gboolean
sqlite_stats (XnJournalBackend *b, XnJournalStats *stats, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2 (b->db, "SELECT count (*), coalesce (min (seq), 0), coalesce (max (seq), 0) FROM facts",
				-1, &st, NULL) != SQLITE_OK)
		return xn_sqlite_fail (b->db, "counting facts", error);
	rc = sqlite3_step (st);
	if (rc == SQLITE_ROW) {
		stats->schema_version = b->schema_version;
		stats->count = sqlite3_column_int64 (st, 0);
		stats->first_seq = sqlite3_column_int64 (st, 1);
		stats->last_seq = sqlite3_column_int64 (st, 2);
	} else {
		xn_sqlite_fail (b->db, "counting facts", error);
	}
	sqlite3_finalize (st);
	return rc == SQLITE_ROW;
}

static gboolean
sqlite_check (XnJournalBackend *b, GError **error)
{
	sqlite3_stmt *st = NULL;
	g_autoptr(GString) problems = g_string_new (NULL);
	guint n = 0;
	int rc;

	/* every row's CHECK too; switching back re-prepares the append, once */
	if (!xn_sqlite_exec (b->db, "PRAGMA ignore_check_constraints = OFF", "checking integrity", error))
		return FALSE;
	if (sqlite3_prepare_v2 (b->db, "PRAGMA integrity_check (20)", -1, &st, NULL) != SQLITE_OK) {
		xn_sqlite_fail (b->db, "checking integrity", error);
		xn_sqlite_exec (b->db, "PRAGMA ignore_check_constraints = ON", "checking integrity", NULL);
		return FALSE;
	}
	while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
		const char *row = (const char *) sqlite3_column_text (st, 0);

		if (row != NULL && strcmp (row, "ok") != 0)
			g_string_append_printf (problems, "%s%s", n++ > 0 ? "; " : "", row);
	}
	if (rc != SQLITE_DONE)
		xn_sqlite_fail (b->db, "checking integrity", error);
	sqlite3_finalize (st);
	if (!xn_sqlite_exec (b->db, "PRAGMA ignore_check_constraints = ON", "checking integrity",
			     rc == SQLITE_DONE ? error : NULL) || rc != SQLITE_DONE)
		return FALSE;
	if (n > 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "integrity check failed: %s", problems->str);
		return FALSE;
	}
	return TRUE;
}

const XnJournalBackendOps xn_journal_sqlite_ops = {
	.name = "sqlite",
	.open = sqlite_open,
	.close = backend_close,
	.append = sqlite_append,
	.last_seq = sqlite_last_seq,
	.foreach = sqlite_foreach,
	.stats = sqlite_stats,
	.check = sqlite_check,
	.append_printed = sqlite_append_printed,
	.foreach_known = sqlite_foreach_known,
};

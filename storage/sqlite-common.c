/* sqlite-common.c — errors, locking statements and schema migrations for
 * the SQLite adapters of storage/ (see sqlite-common.h). What is kept in
 * which table, and when, stays in journal-sqlite.c and derived-sqlite.c. */
#include "sqlite-common.h"
#include "xn-error.h"

gboolean
xn_sqlite_fail (sqlite3 *db, const char *what, GError **error)
{
	g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "%s: %s", what, sqlite3_errmsg (db));
	return FALSE;
}

gboolean
xn_sqlite_exec (sqlite3 *db, const char *sql, const char *what, GError **error)
{
	if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return xn_sqlite_fail (db, what, error);
	return TRUE;
}

gboolean
xn_sqlite_exec_locking (sqlite3 *db, const char *sql, const char *what, guint waited_ms,
			gboolean *busy, GError **error)
{
	int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

	if (rc == SQLITE_OK)
		return TRUE;
	if ((rc & 0xff) != SQLITE_BUSY)
		return xn_sqlite_fail (db, what, error);
	if (busy != NULL)
		*busy = TRUE;
	g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "another writer holds the journal's lock (waited %u ms)",
		     waited_ms);
	return FALSE;
}

gboolean
xn_sqlite_rollback (sqlite3 *db)
{
	if (!sqlite3_get_autocommit (db))
		sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
	return FALSE;
}

gboolean
xn_sqlite_query_int64 (sqlite3 *db, const char *sql, const char *what, gint64 *out, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2 (db, sql, -1, &st, NULL) != SQLITE_OK)
		return xn_sqlite_fail (db, what, error);
	rc = sqlite3_step (st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64 (st, 0) : 0;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		xn_sqlite_fail (db, what, error);
	sqlite3_finalize (st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* 0: the schema does not exist yet. */
static gboolean
read_version (sqlite3 *db, const XnSqliteSchema *schema, guint *version, GError **error)
{
	g_autofree char *has_sql = g_strdup_printf ("SELECT count (*) FROM sqlite_master WHERE type = 'table'"
						    " AND name = '%s'", schema->table);
	g_autofree char *version_sql = g_strdup_printf ("SELECT coalesce (max (version), -1) FROM %s",
							schema->table);
	g_autofree char *what = g_strdup_printf ("reading the %s version", schema->label);
	gint64 has_table, v;

	if (!xn_sqlite_query_int64 (db, has_sql, "reading the schema", &has_table, error))
		return FALSE;
	if (schema->check != NULL && !schema->check (db, has_table != 0, error))
		return FALSE;
	if (!has_table) {
		*version = 0;
		return TRUE;
	}
	if (!xn_sqlite_query_int64 (db, version_sql, what, &v, error))
		return FALSE;
	if (v < 0 || v > G_MAXINT) {
		g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "%s holds no valid version", schema->table);
		return FALSE;
	}
	*version = (guint) v;
	return TRUE;
}

static gboolean
migrate_step (sqlite3 *db, const XnSqliteSchema *schema, guint from, GError **error)
{
	g_autofree char *what = g_strdup_printf ("%s migration %u to %u", schema->label, from, from + 1);
	g_autofree char *bump = g_strdup_printf ("UPDATE %s SET version = %u%s%s", schema->table, from + 1,
						 schema->after_step != NULL ? ";" : "",
						 schema->after_step != NULL ? schema->after_step : "");

	if (from == 0) {
		g_autofree char *create = g_strdup_printf ("CREATE TABLE %s (version INTEGER NOT NULL);"
							   "INSERT INTO %s (version) VALUES (0)",
							   schema->table, schema->table);

		if (!xn_sqlite_exec (db, create, what, error))
			return FALSE;
	}
	return xn_sqlite_exec (db, schema->steps[from], what, error) && xn_sqlite_exec (db, bump, what, error);
}

gboolean
xn_sqlite_migrate (sqlite3 *db, const XnSqliteSchema *schema, guint *version, GError **error)
{
	g_autofree char *starting = g_strdup_printf ("starting a %s migration", schema->label);
	g_autofree char *committing = g_strdup_printf ("committing a %s migration", schema->label);

	for (;;) {
		if (!read_version (db, schema, version, error))
			return FALSE;
		if (*version > schema->n_steps) {
			g_set_error (error, XN_ERROR, XN_ERROR_STORAGE,
				     "%s version %u is newer than this program knows (%u); use a newer extranoc",
				     schema->label, *version, schema->n_steps);
			return FALSE;
		}
		if (*version == schema->n_steps)
			return TRUE;
		if (*version == 0 && schema->missing != NULL) {
			g_set_error_literal (error, XN_ERROR, XN_ERROR_NOT_FOUND, schema->missing);
			return FALSE;
		}
		if (!xn_sqlite_exec (db, "BEGIN IMMEDIATE", starting, error))
			return FALSE;
		/* Another process may have migrated while we waited for the lock. */
		if (!read_version (db, schema, version, error))
			return xn_sqlite_rollback (db);
		if (*version < schema->n_steps && !migrate_step (db, schema, *version, error))
			return xn_sqlite_rollback (db);
		if (!xn_sqlite_exec (db, "COMMIT", committing, error))
			return xn_sqlite_rollback (db);
	}
}

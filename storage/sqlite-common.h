/* sqlite-common.h — what the two SQLite adapters of storage/ share: the
 * journal (journal-sqlite.c) and the derived state (derived-sqlite.c) keep
 * their own tables in one database file, with the same way of reporting
 * errors, of telling another writer's lock from a failure, and of bringing
 * a versioned schema forward. Only these three files include sqlite3.h. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Sets "WHAT: SQLite's message" (XN_ERROR_STORAGE); returns FALSE. */
gboolean xn_sqlite_fail (sqlite3 *db, const char *what, GError **error);
gboolean xn_sqlite_exec (sqlite3 *db, const char *sql, const char *what, GError **error);
/* xn_sqlite_exec() for statements that take the write lock: a lock another
 * writer kept past the wait (`waited_ms`) sets *busy (when not NULL) and an
 * error that says so, rather than SQLite's message. */
gboolean xn_sqlite_exec_locking (sqlite3 *db, const char *sql, const char *what, guint waited_ms,
				 gboolean *busy, GError **error);
/* Rolls back an open transaction after a failure (the error is already
 * set); returns FALSE. */
gboolean xn_sqlite_rollback (sqlite3 *db);
/* The first column of the first row, as an integer (0 when there is no row). */
gboolean xn_sqlite_query_int64 (sqlite3 *db, const char *sql, const char *what, gint64 *out, GError **error);

/* A schema whose version is kept in its own one-row table. Step i brings
 * it from version i to i + 1, one transaction each. */
typedef struct {
	const char        *table;       /* "schema_version" */
	const char        *label;       /* "schema": how messages name it */
	const char *const *steps;
	guint              n_steps;
	const char        *after_step;  /* SQL run with each version bump; may be NULL */
	/* Called once the version table's presence is known, before its version
	 * is read: may refuse a database that is not ours. May be NULL. */
	gboolean         (*check) (sqlite3 *db, gboolean has_table, GError **error);
	/* When set and the schema does not exist yet: create nothing, fail
	 * with XN_ERROR_NOT_FOUND and this message. */
	const char        *missing;
} XnSqliteSchema;

/* Brings the schema to its last version (another process may be doing the
 * same: each step rereads the version under the write lock); *version is
 * then the number of steps. */
gboolean xn_sqlite_migrate (sqlite3 *db, const XnSqliteSchema *schema, guint *version, GError **error);

G_END_DECLS

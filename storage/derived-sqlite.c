/* derived-sqlite.c — derived state in the journal's SQLite file; with
 * journal-sqlite.c and sqlite-common.c (errors, locking statements and
 * migrations, shared) the only files that include sqlite3.h.
 *
 * The derived tables sit beside the facts in the same database, on a
 * connection of their own: a step writes only derived tables (and the
 * outbox's, through outbox-sqlite.h, whose tables it brings forward at
 * open), so its one transaction (BEGIN IMMEDIATE ... COMMIT) covers the
 * position, the snapshot, the outage and ticket rows and the messages
 * together, and the journal's API stays closed. The file is already in WAL mode (the journal sets it, and it
 * persists); this connection sets synchronous=FULL for itself, so a step is
 * durable when it commits. Its tables are versioned apart from the
 * journal's, in derived_schema_version, with ordered migrations of their
 * own: the journal's schema and the derived one change for different
 * reasons. Waiting for another writer follows the journal: up to
 * XN_JOURNAL_WAIT_MS, or XN_JOURNAL_SHORT_WAIT_MS for a daemon, whose steps
 * then report a busy store as such. A row is written only when its digest
 * differs from the stored one (an upsert with a condition), so a step that
 * hands over an outage unchanged costs a lookup, not a write. SQLite
 * errors become XN_ERROR_STORAGE here. This file stores rows; it does not
 * know what an outage means. */
#include "derived-backend.h"
#include "outbox-sqlite.h"
#include "sqlite-common.h"
#include "xn-error.h"

#include <string.h>

struct _XnDerivedBackend {
	sqlite3      *db;
	sqlite3_stmt *put;
	sqlite3_stmt *remove;
	sqlite3_stmt *put_ticket;
	guint         schema_version;
	guint         busy_timeout_ms;
};

#define ROW_COLUMNS \
	"id, seq, object, kind, start, \"end\", cause, root, units, segments, dependents, evidence," \
	" evidence_count, provisional, digest"

/* Step i brings the derived tables from version i to i + 1. Never edit a
 * released step: add one. Everything here can be derived again from the
 * journal, so a step may also drop a table and reset the position to 0. */
static const char *const migrations[] = {
	/* 1: the position with the engine's snapshot, and the outages. */
	"CREATE TABLE derived_state ("
	"  id       INTEGER PRIMARY KEY CHECK (id = 1),"
	"  last_seq INTEGER NOT NULL,"
	"  now      INTEGER,"
	"  snapshot TEXT,"
	"  steps    INTEGER NOT NULL);"
	"INSERT INTO derived_state (id, last_seq, now, snapshot, steps) VALUES (1, 0, NULL, NULL, 0);"
	"CREATE TABLE outages ("
	"  id             TEXT PRIMARY KEY,"
	"  seq            INTEGER NOT NULL,"
	"  object         TEXT NOT NULL,"
	"  kind           TEXT NOT NULL CHECK (kind IN ('node', 'link')),"
	"  start          INTEGER NOT NULL,"
	"  \"end\"          INTEGER,"
	"  cause          TEXT NOT NULL,"
	"  root           TEXT NOT NULL,"
	"  units          TEXT NOT NULL CHECK (json_type (units) = 'array'),"
	"  segments       TEXT NOT NULL CHECK (json_type (segments) = 'array'),"
	"  dependents     TEXT NOT NULL CHECK (json_type (dependents) = 'array'),"
	"  evidence       TEXT NOT NULL CHECK (json_type (evidence) = 'array'),"
	"  evidence_count INTEGER NOT NULL,"
	"  provisional    INTEGER NOT NULL,"
	"  digest         TEXT NOT NULL);"
	"CREATE INDEX outages_start ON outages (start, seq, object);"
	"CREATE INDEX outages_object ON outages (object, start);",
	/* 2: the correlation window the state was derived with (µs), for
	 * readers; NULL for a state derived before it was recorded. */
	"ALTER TABLE derived_state ADD COLUMN correlation_window INTEGER;",
	/* 3: the tickets (sla/ticket.h), one row each: the columns readers
	 * select and order by, and the JSON `extranoc ticket` prints. */
	"CREATE TABLE tickets ("
	"  id      TEXT PRIMARY KEY,"
	"  status  TEXT NOT NULL CHECK (status IN ('open', 'restored', 'closed', 'merged')),"
	"  carrier TEXT,"
	"  opened  INTEGER,"
	"  closed  INTEGER,"
	"  json    TEXT NOT NULL CHECK (json_type (json) = 'object'));"
	"CREATE INDEX tickets_opened ON tickets (opened, id);"
	"CREATE INDEX tickets_status ON tickets (status, opened, id);"
	"CREATE INDEX tickets_carrier ON tickets (carrier, opened, id);",
};

void
xn_derived_sqlite_rollback (XnDerivedBackend *b)
{
	xn_sqlite_rollback (b->db);
}

void
xn_derived_sqlite_close (XnDerivedBackend *b)
{
	if (b == NULL)
		return;
	sqlite3_finalize (b->put);
	sqlite3_finalize (b->remove);
	sqlite3_finalize (b->put_ticket);
	sqlite3_close_v2 (b->db);
	g_free (b);
}

static gboolean
migrate (XnDerivedBackend *b, gboolean create, GError **error)
{
	const XnSqliteSchema schema = {
		.table = "derived_schema_version", .label = "derived schema",
		.steps = migrations, .n_steps = G_N_ELEMENTS (migrations),
		.missing = create ? NULL
			 : "no derived state yet (extranoc-collector has not derived anything from this journal)",
	};

	return xn_sqlite_migrate (b->db, &schema, &b->schema_version, error);
}

XnDerivedBackend *
xn_derived_sqlite_open (const char *path, XnDerivedOpenFlags flags, GError **error)
{
	g_autoptr(XnDerivedBackend) b = g_new0 (XnDerivedBackend, 1);

	if (sqlite3_open_v2 (path, &b->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		if (b->db == NULL) {
			g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "opening: out of memory");
			return NULL;
		}
		xn_sqlite_fail (b->db, "opening", error);
		return NULL;
	}
	sqlite3_extended_result_codes (b->db, 1);
	sqlite3_busy_timeout (b->db, XN_JOURNAL_WAIT_MS);
	/* The outbox's tables join the derived ones: a ticket step inserts
	 * its messages in its own transaction. */
	if (!xn_sqlite_exec (b->db, "PRAGMA synchronous = FULL", "setting synchronous mode", error) ||
	    !migrate (b, (flags & XN_DERIVED_OPEN_CREATE) != 0, error) ||
	    !xn_outbox_migrate (b->db, error))
		return NULL;
	b->busy_timeout_ms = (flags & XN_DERIVED_OPEN_SHORT_WAIT) ? XN_JOURNAL_SHORT_WAIT_MS : XN_JOURNAL_WAIT_MS;
	sqlite3_busy_timeout (b->db, b->busy_timeout_ms);
	if (sqlite3_prepare_v3 (b->db, "INSERT INTO outages (" ROW_COLUMNS ")"
				" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
				" ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, object = excluded.object,"
				" kind = excluded.kind, start = excluded.start, \"end\" = excluded.\"end\","
				" cause = excluded.cause, root = excluded.root, units = excluded.units,"
				" segments = excluded.segments, dependents = excluded.dependents,"
				" evidence = excluded.evidence, evidence_count = excluded.evidence_count,"
				" provisional = excluded.provisional, digest = excluded.digest"
				" WHERE outages.digest IS NOT excluded.digest", -1,
				SQLITE_PREPARE_PERSISTENT, &b->put, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3 (b->db, "DELETE FROM outages WHERE id = ?", -1,
				SQLITE_PREPARE_PERSISTENT, &b->remove, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3 (b->db, "INSERT INTO tickets (id, status, carrier, opened, closed, json)"
				" VALUES (?, ?, ?, ?, ?, ?)"
				" ON CONFLICT (id) DO UPDATE SET status = excluded.status, carrier = excluded.carrier,"
				" opened = excluded.opened, closed = excluded.closed, json = excluded.json"
				" WHERE tickets.json IS NOT excluded.json OR tickets.status IS NOT excluded.status"
				" OR tickets.carrier IS NOT excluded.carrier OR tickets.opened IS NOT excluded.opened"
				" OR tickets.closed IS NOT excluded.closed", -1,
				SQLITE_PREPARE_PERSISTENT, &b->put_ticket, NULL) != SQLITE_OK) {
		xn_sqlite_fail (b->db, "preparing steps", error);
		return NULL;
	}
	return g_steal_pointer (&b);
}

/* The position and counts; inside a read transaction when they must agree
 * with rows read next. */
static gboolean
read_info (XnDerivedBackend *b, XnDerivedInfo *info, GError **error)
{
	sqlite3_stmt *st = NULL;
	gint64 count, open;
	int rc;

	if (sqlite3_prepare_v2 (b->db, "SELECT last_seq, now, steps, correlation_window FROM derived_state WHERE id = 1",
				-1, &st, NULL) != SQLITE_OK)
		return xn_sqlite_fail (b->db, "reading the position", error);
	rc = sqlite3_step (st);
	if (rc == SQLITE_ROW) {
		info->schema_version = b->schema_version;
		info->last_seq = sqlite3_column_int64 (st, 0);
		info->now = sqlite3_column_type (st, 1) == SQLITE_NULL ? G_MININT64 : sqlite3_column_int64 (st, 1);
		info->steps = (guint64) sqlite3_column_int64 (st, 2);
		info->window_us = sqlite3_column_type (st, 3) == SQLITE_NULL ? -1 : sqlite3_column_int64 (st, 3);
	} else if (rc == SQLITE_DONE) {
		g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "derived_state has no row");
	} else {
		xn_sqlite_fail (b->db, "reading the position", error);
	}
	sqlite3_finalize (st);
	if (rc != SQLITE_ROW)
		return FALSE;
	if (!xn_sqlite_query_int64 (b->db, "SELECT count (*) FROM outages", "counting outages", &count, error) ||
	    !xn_sqlite_query_int64 (b->db, "SELECT count (*) FROM outages WHERE \"end\" IS NULL", "counting outages", &open, error))
		return FALSE;
	info->outages = (guint) count;
	info->open = (guint) open;
	if (!xn_sqlite_query_int64 (b->db, "SELECT count (*) FROM tickets", "counting tickets", &count, error) ||
	    !xn_sqlite_query_int64 (b->db, "SELECT count (*) FROM tickets WHERE status IN ('open', 'restored')",
				    "counting tickets", &open, error))
		return FALSE;
	info->tickets = (guint) count;
	info->open_tickets = (guint) open;
	return TRUE;
}

gboolean
xn_derived_sqlite_info (XnDerivedBackend *b, XnDerivedInfo *info, GError **error)
{
	if (!xn_sqlite_exec (b->db, "BEGIN", "reading the position", error))
		return FALSE;
	if (!read_info (b, info, error))
		return xn_sqlite_rollback (b->db);
	return xn_sqlite_exec (b->db, "COMMIT", "reading the position", error) || xn_sqlite_rollback (b->db);
}

gboolean
xn_derived_sqlite_load (XnDerivedBackend *b, gint64 *last_seq, char **snapshot, guint64 *steps, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2 (b->db, "SELECT last_seq, snapshot, steps FROM derived_state WHERE id = 1",
				-1, &st, NULL) != SQLITE_OK)
		return xn_sqlite_fail (b->db, "reading the snapshot", error);
	rc = sqlite3_step (st);
	if (rc == SQLITE_ROW) {
		*last_seq = sqlite3_column_int64 (st, 0);
		*snapshot = sqlite3_column_type (st, 1) == SQLITE_NULL ? NULL
			    : g_strdup ((const char *) sqlite3_column_text (st, 1));
		*steps = (guint64) sqlite3_column_int64 (st, 2);
	} else if (rc == SQLITE_DONE) {
		g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "derived_state has no row");
	} else {
		xn_sqlite_fail (b->db, "reading the snapshot", error);
	}
	sqlite3_finalize (st);
	return rc == SQLITE_ROW;
}

gboolean
xn_derived_sqlite_begin (XnDerivedBackend *b, guint64 *steps, gboolean *busy, GError **error)
{
	gint64 n;

	if (!xn_sqlite_exec_locking (b->db, "BEGIN IMMEDIATE", "starting a step", b->busy_timeout_ms, busy, error))
		return FALSE;
	if (!xn_sqlite_query_int64 (b->db, "SELECT steps FROM derived_state WHERE id = 1", "reading the position", &n, error))
		return xn_sqlite_rollback (b->db);
	*steps = (guint64) n;
	return TRUE;
}

gboolean
xn_derived_sqlite_put (XnDerivedBackend *b, const XnDerivedRow *row, gboolean *written, GError **error)
{
	sqlite3_stmt *st = b->put;
	const char *texts[] = { row->id, NULL, row->object, row->kind, NULL, NULL, row->cause, row->root,
				row->units, row->segments, row->dependents, row->evidence };
	int rc;

	for (int i = 0; i < (int) G_N_ELEMENTS (texts); i++) {
		if (texts[i] != NULL)
			sqlite3_bind_text (st, i + 1, texts[i], -1, SQLITE_STATIC);
	}
	sqlite3_bind_int64 (st, 2, row->seq);
	sqlite3_bind_int64 (st, 5, row->start);
	if (row->end == XN_OUTAGE_OPEN)
		sqlite3_bind_null (st, 6);
	else
		sqlite3_bind_int64 (st, 6, row->end);
	sqlite3_bind_int64 (st, 13, row->evidence_count);
	sqlite3_bind_int (st, 14, row->provisional ? 1 : 0);
	sqlite3_bind_text (st, 15, row->digest, -1, SQLITE_STATIC);
	rc = sqlite3_step (st);
	if (rc != SQLITE_DONE)
		xn_sqlite_fail (b->db, "writing an outage", error);
	else
		*written = sqlite3_changes (b->db) > 0;
	sqlite3_reset (st);
	sqlite3_clear_bindings (st);
	if (rc != SQLITE_DONE)
		g_prefix_error (error, "%s: ", row->id);
	return rc == SQLITE_DONE;
}

gboolean
xn_derived_sqlite_remove (XnDerivedBackend *b, const char *id, gboolean *removed, GError **error)
{
	int rc;

	sqlite3_bind_text (b->remove, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step (b->remove);
	if (rc != SQLITE_DONE)
		xn_sqlite_fail (b->db, "removing an outage", error);
	else
		*removed = sqlite3_changes (b->db) > 0;
	sqlite3_reset (b->remove);
	sqlite3_clear_bindings (b->remove);
	return rc == SQLITE_DONE;
}

gboolean
xn_derived_sqlite_remove_all (XnDerivedBackend *b, guint *removed, GError **error)
{
	if (!xn_sqlite_exec (b->db, "DELETE FROM outages", "removing every outage", error))
		return FALSE;
	*removed = (guint) sqlite3_changes (b->db);
	return xn_sqlite_exec (b->db, "DELETE FROM tickets", "removing every ticket", error);
}

static void
bind_instant (sqlite3_stmt *st, int i, XnInstant t)
{
	if (t == XN_TICKET_NONE)
		sqlite3_bind_null (st, i);
	else
		sqlite3_bind_int64 (st, i, t);
}

gboolean
xn_derived_sqlite_put_ticket (XnDerivedBackend *b, const XnDerivedTicketRow *row, gboolean *written, GError **error)
{
	sqlite3_stmt *st = b->put_ticket;
	int rc;

	sqlite3_bind_text (st, 1, row->id, -1, SQLITE_STATIC);
	sqlite3_bind_text (st, 2, row->status, -1, SQLITE_STATIC);
	if (row->carrier != NULL)
		sqlite3_bind_text (st, 3, row->carrier, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null (st, 3);
	bind_instant (st, 4, row->opened);
	bind_instant (st, 5, row->closed);
	sqlite3_bind_text (st, 6, row->json, -1, SQLITE_STATIC);
	rc = sqlite3_step (st);
	if (rc != SQLITE_DONE)
		xn_sqlite_fail (b->db, "writing a ticket", error);
	else
		*written = sqlite3_changes (b->db) > 0;
	sqlite3_reset (st);
	sqlite3_clear_bindings (st);
	if (rc != SQLITE_DONE)
		g_prefix_error (error, "%s: ", row->id);
	return rc == SQLITE_DONE;
}

gboolean
xn_derived_sqlite_put_message (XnDerivedBackend *b, const XnOutboxMessage *message, XnInstant now,
			       gboolean suppressed, gboolean *inserted, GError **error)
{
	return xn_outbox_insert_in (b->db, message, now, suppressed, inserted, error);
}

gboolean
xn_derived_sqlite_finish (XnDerivedBackend *b, const char *snapshot, gint64 last_seq, XnInstant now,
			  gint64 window_us, gboolean *busy, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2 (b->db, "UPDATE derived_state SET last_seq = ?, now = ?, snapshot = ?,"
				" correlation_window = ?, steps = steps + 1 WHERE id = 1", -1, &st, NULL) != SQLITE_OK)
		return xn_sqlite_fail (b->db, "writing the position", error);
	sqlite3_bind_int64 (st, 1, last_seq);
	if (now == G_MININT64)
		sqlite3_bind_null (st, 2);
	else
		sqlite3_bind_int64 (st, 2, now);
	sqlite3_bind_text (st, 3, snapshot, -1, SQLITE_STATIC);
	if (window_us < 0)
		sqlite3_bind_null (st, 4);
	else
		sqlite3_bind_int64 (st, 4, window_us);
	rc = sqlite3_step (st);
	if (rc != SQLITE_DONE)
		xn_sqlite_fail (b->db, "writing the position", error);
	sqlite3_finalize (st);
	if (rc != SQLITE_DONE)
		return FALSE;
	return xn_sqlite_exec_locking (b->db, "COMMIT", "committing a step", b->busy_timeout_ms, busy, error);
}

static XnDerivedRow *
read_row (sqlite3_stmt *st, GError **error)
{
	g_autoptr(XnDerivedRow) row = g_new0 (XnDerivedRow, 1);
	char **texts[] = { &row->id, NULL, &row->object, &row->kind, NULL, NULL, &row->cause, &row->root,
			   &row->units, &row->segments, &row->dependents, &row->evidence,
			   NULL, NULL, &row->digest };

	for (int i = 0; i < (int) G_N_ELEMENTS (texts); i++) {
		if (texts[i] == NULL)
			continue;
		if (sqlite3_column_type (st, i) != SQLITE_TEXT) {
			g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "outage %s: column %s is not text",
				     i == 0 ? "?" : (const char *) sqlite3_column_text (st, 0),
				     sqlite3_column_name (st, i));
			return NULL;
		}
		*texts[i] = g_strdup ((const char *) sqlite3_column_text (st, i));
	}
	row->seq = sqlite3_column_int64 (st, 1);
	row->start = sqlite3_column_int64 (st, 4);
	row->end = sqlite3_column_type (st, 5) == SQLITE_NULL ? XN_OUTAGE_OPEN : sqlite3_column_int64 (st, 5);
	row->evidence_count = sqlite3_column_int64 (st, 12);
	row->provisional = sqlite3_column_int (st, 13) != 0;
	return g_steal_pointer (&row);
}

static gboolean
read_rows (XnDerivedBackend *b, const XnDerivedFilter *filter, GPtrArray *rows, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2 (b->db, "SELECT " ROW_COLUMNS " FROM outages"
				" WHERE (?1 = 0 OR \"end\" IS NULL) AND (\"end\" IS NULL OR \"end\" > ?2)"
				" ORDER BY start, seq, object", -1, &st, NULL) != SQLITE_OK)
		return xn_sqlite_fail (b->db, "reading outages", error);
	sqlite3_bind_int (st, 1, filter != NULL && filter->open_only);
	sqlite3_bind_int64 (st, 2, filter != NULL ? filter->since : G_MININT64);
	while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
		XnDerivedRow *row = read_row (st, error);

		if (row == NULL) {
			sqlite3_finalize (st);
			return FALSE;
		}
		g_ptr_array_add (rows, row);
	}
	if (rc != SQLITE_DONE)
		xn_sqlite_fail (b->db, "reading outages", error);
	sqlite3_finalize (st);
	return rc == SQLITE_DONE;
}

/* One read transaction, so the position and the rows agree. */
gboolean
xn_derived_sqlite_read (XnDerivedBackend *b, const XnDerivedFilter *filter, XnDerivedInfo *info,
			GPtrArray **rows, GError **error)
{
	g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_derived_row_free);
	XnDerivedInfo scratch;

	if (!xn_sqlite_exec (b->db, "BEGIN", "reading outages", error))
		return FALSE;
	if (!read_info (b, info != NULL ? info : &scratch, error) ||
	    (rows != NULL && !read_rows (b, filter, result, error)))
		return xn_sqlite_rollback (b->db);
	if (!xn_sqlite_exec (b->db, "COMMIT", "reading outages", error))
		return xn_sqlite_rollback (b->db);
	if (rows != NULL)
		*rows = g_steal_pointer (&result);
	return TRUE;
}

static gboolean
read_ticket_rows (XnDerivedBackend *b, gboolean open_only, const char *id, GPtrArray *out, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2 (b->db, "SELECT id, json FROM tickets"
				" WHERE (?1 = 0 OR status IN ('open', 'restored')) AND (?2 IS NULL OR id = ?2)"
				" ORDER BY opened, id", -1, &st, NULL) != SQLITE_OK)
		return xn_sqlite_fail (b->db, "reading tickets", error);
	sqlite3_bind_int (st, 1, open_only);
	if (id != NULL)
		sqlite3_bind_text (st, 2, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
		if (sqlite3_column_type (st, 1) != SQLITE_TEXT) {
			g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "ticket %s: column json is not text",
				     (const char *) sqlite3_column_text (st, 0));
			sqlite3_finalize (st);
			return FALSE;
		}
		g_ptr_array_add (out, g_strdup ((const char *) sqlite3_column_text (st, 1)));
	}
	if (rc != SQLITE_DONE)
		xn_sqlite_fail (b->db, "reading tickets", error);
	sqlite3_finalize (st);
	return rc == SQLITE_DONE;
}

gboolean
xn_derived_sqlite_read_tickets (XnDerivedBackend *b, gboolean open_only, const char *id, XnDerivedInfo *info,
				GPtrArray **json, GError **error)
{
	g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_free);
	XnDerivedInfo scratch;

	if (!xn_sqlite_exec (b->db, "BEGIN", "reading tickets", error))
		return FALSE;
	if (!read_info (b, info != NULL ? info : &scratch, error) ||
	    !read_ticket_rows (b, open_only, id, result, error))
		return xn_sqlite_rollback (b->db);
	if (!xn_sqlite_exec (b->db, "COMMIT", "reading tickets", error))
		return xn_sqlite_rollback (b->db);
	*json = g_steal_pointer (&result);
	return TRUE;
}

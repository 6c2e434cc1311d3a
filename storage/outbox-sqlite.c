/* outbox-sqlite.c — the outbox in the journal's SQLite file: two tables
 * beside the facts and the derived state, versioned apart from both in
 * outbox_schema_version with ordered migrations of their own (the outbox
 * changes for reasons of its own, and the derived store brings it forward
 * when it opens, through xn_outbox_migrate()).
 *
 * outbox_messages holds one row per (event ID, carrier), in insertion
 * order (its integer key): an insert that finds the pair already there
 * does nothing (ON CONFLICT DO NOTHING, not INSERT OR IGNORE, which would
 * also swallow a row that breaks a CHECK). The head of a carrier's queue is
 * its pending row with the smallest key; only heads are ever due, so a
 * carrier's messages leave in order. outbox_attempts holds every attempt,
 * keyed by (event ID, carrier, n); recording one updates its message in
 * the same transaction, so the count of attempts and the state never
 * disagree with the attempts stored, whatever kills the process.
 *
 * The standalone handle (the dispatcher's, the CLI's) is a connection of
 * its own with synchronous=FULL, waiting up to XN_JOURNAL_WAIT_MS for
 * another writer: it runs on a thread of its own or in a command, never
 * in a loop that must not stall. SQLite errors become XN_ERROR_STORAGE
 * here. This file stores rows; it does not know what a message says or
 * how it travels. */
#include "journal.h"
#include "outbox-sqlite.h"
#include "sqlite-common.h"
#include "xn-error.h"

struct _XnOutbox {
	sqlite3 *db;
	char    *location;
};

/* Step i brings the outbox from version i to i + 1. Never edit a
 * released step: add one. Unlike the derived tables these cannot be
 * derived again (what was sent, and when, is history), so no step may
 * drop them. */
static const char *const migrations[] = {
	/* 1: messages and attempts. */
	"CREATE TABLE outbox_messages ("
	"  id             INTEGER PRIMARY KEY,"
	"  event_id       TEXT NOT NULL CHECK (event_id <> ''),"
	"  carrier        TEXT NOT NULL CHECK (carrier <> ''),"
	"  ticket_id      TEXT NOT NULL,"
	"  kind           TEXT NOT NULL,"
	"  instant        INTEGER NOT NULL,"
	"  subject        TEXT NOT NULL,"
	"  body_text      TEXT NOT NULL,"
	"  body_json      TEXT NOT NULL CHECK (json_type (body_json) = 'object'),"
	"  state          TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'suppressed', 'abandoned')),"
	"  attempts       INTEGER NOT NULL,"
	"  next_attempt   INTEGER CHECK ((state = 'pending') = (next_attempt IS NOT NULL)),"
	"  last_error     TEXT,"
	"  created        INTEGER NOT NULL,"
	"  sent_at        INTEGER,"
	"  abandoned_at   INTEGER,"
	"  abandon_reason TEXT,"
	"  UNIQUE (event_id, carrier));"
	"CREATE INDEX outbox_messages_pending ON outbox_messages (carrier, id) WHERE state = 'pending';"
	"CREATE INDEX outbox_messages_ticket ON outbox_messages (ticket_id, id);"
	"CREATE TABLE outbox_attempts ("
	"  event_id TEXT NOT NULL,"
	"  carrier  TEXT NOT NULL,"
	"  n        INTEGER NOT NULL CHECK (n >= 1),"
	"  channel  TEXT NOT NULL CHECK (channel IN ('none', 'smtp', 'webhook', 'spool')),"
	"  target   TEXT NOT NULL,"
	"  started  INTEGER NOT NULL,"
	"  finished INTEGER NOT NULL,"
	"  ok       INTEGER NOT NULL CHECK (ok IN (0, 1)),"
	"  error    TEXT,"
	"  PRIMARY KEY (event_id, carrier, n));",
};

#define MESSAGE_COLUMNS \
	"event_id, carrier, ticket_id, kind, instant, subject, body_text, body_json, state, attempts," \
	" next_attempt, created, sent_at, abandoned_at, abandon_reason, last_error"
#define ATTEMPT_COLUMNS "event_id, carrier, n, channel, target, started, finished, ok, error"
/* The head of each carrier's queue. */
#define HEADS "SELECT min (id) FROM outbox_messages WHERE state = 'pending' GROUP BY carrier"

static gboolean
migrate (sqlite3 *db, gboolean create, GError **error)
{
	const XnSqliteSchema schema = {
		.table = "outbox_schema_version", .label = "outbox schema",
		.steps = migrations, .n_steps = G_N_ELEMENTS (migrations),
		.missing = create ? NULL
			 : "no outbox yet (extranoc-collector has not derived any ticket event from this journal)",
	};
	guint version;

	return xn_sqlite_migrate (db, &schema, &version, error);
}

gboolean
xn_outbox_migrate (sqlite3 *db, GError **error)
{
	return migrate (db, TRUE, error);
}

static gboolean
prepare (sqlite3 *db, const char *sql, const char *what, sqlite3_stmt **st, GError **error)
{
	if (sqlite3_prepare_v2 (db, sql, -1, st, NULL) == SQLITE_OK)
		return TRUE;
	return xn_sqlite_fail (db, what, error);
}

static void
bind_text_or_null (sqlite3_stmt *st, int i, const char *text)
{
	if (text == NULL)
		sqlite3_bind_null (st, i);
	else
		sqlite3_bind_text (st, i, text, -1, SQLITE_STATIC);
}

/* Runs a statement that returns no row, then finalizes it. */
static gboolean
step_done (sqlite3 *db, sqlite3_stmt *st, const char *what, GError **error)
{
	int rc = sqlite3_step (st);

	if (rc != SQLITE_DONE)
		xn_sqlite_fail (db, what, error);
	sqlite3_finalize (st);
	return rc == SQLITE_DONE;
}

gboolean
xn_outbox_insert_in (sqlite3 *db, const XnOutboxMessage *m, XnInstant now, gboolean suppressed,
		     gboolean *inserted, GError **error)
{
	sqlite3_stmt *st = NULL;

	if (!xn_outbox_message_validate (m, error))
		return FALSE;
	if (!prepare (db, "INSERT INTO outbox_messages (event_id, carrier, ticket_id, kind, instant, subject,"
		      " body_text, body_json, state, attempts, next_attempt, created)"
		      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, ?11)"
		      " ON CONFLICT (event_id, carrier) DO NOTHING", "inserting an outbox message", &st, error))
		return FALSE;
	sqlite3_bind_text (st, 1, m->event_id, -1, SQLITE_STATIC);
	sqlite3_bind_text (st, 2, m->carrier, -1, SQLITE_STATIC);
	sqlite3_bind_text (st, 3, m->ticket_id, -1, SQLITE_STATIC);
	sqlite3_bind_text (st, 4, m->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64 (st, 5, m->instant);
	sqlite3_bind_text (st, 6, m->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text (st, 7, m->body_text, -1, SQLITE_STATIC);
	sqlite3_bind_text (st, 8, m->body_json, -1, SQLITE_STATIC);
	sqlite3_bind_text (st, 9, suppressed ? "suppressed" : "pending", -1, SQLITE_STATIC);
	if (suppressed)
		sqlite3_bind_null (st, 10);
	else
		sqlite3_bind_int64 (st, 10, now);
	sqlite3_bind_int64 (st, 11, now);
	if (!step_done (db, st, "inserting an outbox message", error)) {
		g_prefix_error (error, "%s for carrier %s: ", m->event_id, m->carrier);
		return FALSE;
	}
	if (inserted != NULL)
		*inserted = sqlite3_changes (db) == 1;
	return TRUE;
}

/* ---- the standalone handle ---- */

void
xn_outbox_close (XnOutbox *outbox)
{
	if (outbox == NULL)
		return;
	sqlite3_close_v2 (outbox->db);
	g_free (outbox->location);
	g_free (outbox);
}

/* Every error of a public function starts with the location. */
static gboolean
fail (XnOutbox *o, GError **error)
{
	g_prefix_error (error, "%s: ", o->location);
	return FALSE;
}

XnOutbox *
xn_outbox_open (const char *location, XnOutboxOpenFlags flags, GError **error)
{
	gboolean create = (flags & XN_OUTBOX_OPEN_CREATE) != 0;
	g_autoptr(XnJournal) journal = NULL;
	g_autoptr(XnOutbox) o = NULL;

	/* The journal's own open checks the location, refuses a file that is
	 * not a journal, creates it, sets WAL mode and migrates it: the outbox
	 * only ever joins an up-to-date journal. */
	journal = xn_journal_open (location, create ? XN_JOURNAL_OPEN_CREATE : XN_JOURNAL_OPEN_EXISTING, error);
	if (journal == NULL)
		return NULL;
	g_clear_pointer (&journal, xn_journal_close);
	o = g_new0 (XnOutbox, 1);
	o->location = g_strdup (location);
	if (sqlite3_open_v2 (location, &o->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		if (o->db == NULL)
			g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "opening: out of memory");
		else
			xn_sqlite_fail (o->db, "opening", error);
		fail (o, error);
		return NULL;
	}
	sqlite3_extended_result_codes (o->db, 1);
	sqlite3_busy_timeout (o->db, XN_JOURNAL_WAIT_MS);
	if (!xn_sqlite_exec (o->db, "PRAGMA synchronous = FULL", "setting synchronous mode", error) ||
	    !migrate (o->db, create, error)) {
		fail (o, error);
		return NULL;
	}
	return g_steal_pointer (&o);
}

const char *
xn_outbox_get_location (XnOutbox *outbox)
{
	return outbox->location;
}

gboolean
xn_outbox_insert (XnOutbox *o, const XnOutboxMessage *m, XnInstant now, gboolean suppressed,
		  gboolean *inserted, GError **error)
{
	if (!xn_sqlite_exec (o->db, "BEGIN IMMEDIATE", "starting an insert", error))
		return fail (o, error);
	if (!xn_outbox_insert_in (o->db, m, now, suppressed, inserted, error) ||
	    !xn_sqlite_exec (o->db, "COMMIT", "committing an insert", error)) {
		xn_sqlite_rollback (o->db);
		return fail (o, error);
	}
	return TRUE;
}

static char *
column_text (sqlite3_stmt *st, int i)
{
	const unsigned char *text = sqlite3_column_text (st, i);

	return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static XnOutboxMessage *
read_message (sqlite3_stmt *st)
{
	XnOutboxMessage *m = xn_outbox_message_new ();
	g_autofree char *state = column_text (st, 8);

	m->event_id = column_text (st, 0);
	m->carrier = column_text (st, 1);
	m->ticket_id = column_text (st, 2);
	m->kind = column_text (st, 3);
	m->instant = sqlite3_column_int64 (st, 4);
	m->subject = column_text (st, 5);
	m->body_text = column_text (st, 6);
	m->body_json = column_text (st, 7);
	/* the table's CHECK admits only the four names */
	if (!xn_outbox_state_from_string (state, &m->state))
		m->state = XN_OUTBOX_PENDING;
	m->attempts = (guint) sqlite3_column_int64 (st, 9);
	m->next_attempt = sqlite3_column_int64 (st, 10);
	m->created = sqlite3_column_int64 (st, 11);
	m->sent_at = sqlite3_column_int64 (st, 12);
	m->abandoned_at = sqlite3_column_int64 (st, 13);
	m->abandon_reason = column_text (st, 14);
	m->last_error = column_text (st, 15);
	return m;
}

gboolean
xn_outbox_next_due (XnOutbox *o, XnInstant now, XnOutboxMessage **out, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*out = NULL;
	if (!prepare (o->db, "SELECT " MESSAGE_COLUMNS " FROM outbox_messages WHERE id IN (" HEADS ")"
		      " AND next_attempt <= ?1 ORDER BY next_attempt, id LIMIT 1",
		      "reading the next message due", &st, error))
		return fail (o, error);
	sqlite3_bind_int64 (st, 1, now);
	rc = sqlite3_step (st);
	if (rc == SQLITE_ROW)
		*out = read_message (st);
	else if (rc != SQLITE_DONE)
		xn_sqlite_fail (o->db, "reading the next message due", error);
	sqlite3_finalize (st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE || fail (o, error);
}

gboolean
xn_outbox_next_wake (XnOutbox *o, XnInstant *at, GError **error)
{
	if (!xn_sqlite_query_int64 (o->db, "SELECT min (next_attempt) FROM outbox_messages WHERE id IN (" HEADS ")",
				    "reading when the next message is due", at, error))
		return fail (o, error);
	return TRUE;
}

gboolean
xn_outbox_queued (XnOutbox *o, const char *carrier, guint *count, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (!prepare (o->db, "SELECT count (*) FROM outbox_messages WHERE carrier = ?1 AND state = 'pending'",
		      "counting queued messages", &st, error))
		return fail (o, error);
	sqlite3_bind_text (st, 1, carrier, -1, SQLITE_STATIC);
	rc = sqlite3_step (st);
	*count = rc == SQLITE_ROW ? (guint) sqlite3_column_int64 (st, 0) : 0;
	if (rc != SQLITE_ROW)
		xn_sqlite_fail (o->db, "counting queued messages", error);
	sqlite3_finalize (st);
	return rc == SQLITE_ROW || fail (o, error);
}

/* Inside the record's transaction: the message's state, and the number
 * the attempt gets. */
static gboolean
next_attempt_number (XnOutbox *o, const XnOutboxAttempt *a, guint *n, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (!prepare (o->db, "SELECT (SELECT coalesce (max (n), 0) FROM outbox_attempts"
		      "         WHERE event_id = ?1 AND carrier = ?2)"
		      " FROM outbox_messages WHERE event_id = ?1 AND carrier = ?2",
		      "reading the message's attempts", &st, error))
		return FALSE;
	sqlite3_bind_text (st, 1, a->event_id, -1, SQLITE_STATIC);
	sqlite3_bind_text (st, 2, a->carrier, -1, SQLITE_STATIC);
	rc = sqlite3_step (st);
	if (rc == SQLITE_ROW)
		*n = (guint) sqlite3_column_int64 (st, 0) + 1;
	else if (rc == SQLITE_DONE)
		g_set_error (error, XN_ERROR, XN_ERROR_NOT_FOUND, "no outbox message %s for carrier %s",
			     a->event_id, a->carrier);
	else
		xn_sqlite_fail (o->db, "reading the message's attempts", error);
	sqlite3_finalize (st);
	return rc == SQLITE_ROW;
}

static gboolean
insert_attempt (XnOutbox *o, const XnOutboxAttempt *a, guint n, GError **error)
{
	sqlite3_stmt *st = NULL;

	if (!prepare (o->db, "INSERT INTO outbox_attempts (" ATTEMPT_COLUMNS ")"
		      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", "recording an attempt", &st, error))
		return FALSE;
	sqlite3_bind_text (st, 1, a->event_id, -1, SQLITE_STATIC);
	sqlite3_bind_text (st, 2, a->carrier, -1, SQLITE_STATIC);
	sqlite3_bind_int64 (st, 3, n);
	sqlite3_bind_text (st, 4, xn_outbox_channel_to_string (a->channel), -1, SQLITE_STATIC);
	sqlite3_bind_text (st, 5, a->target != NULL ? a->target : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64 (st, 6, a->started);
	sqlite3_bind_int64 (st, 7, a->finished);
	sqlite3_bind_int (st, 8, a->ok ? 1 : 0);
	bind_text_or_null (st, 9, a->ok ? NULL : (a->error != NULL ? a->error : "failed"));
	return step_done (o->db, st, "recording an attempt", error);
}

static gboolean
update_message (XnOutbox *o, const XnOutboxAttempt *a, guint n, XnInstant next_attempt, GError **error)
{
	sqlite3_stmt *st = NULL;

	if (!prepare (o->db, "UPDATE outbox_messages SET attempts = ?3,"
		      " sent_at = CASE WHEN ?4 THEN ?5 ELSE sent_at END,"
		      " next_attempt = CASE WHEN ?4 THEN NULL WHEN state = 'pending' THEN ?6 ELSE next_attempt END,"
		      " last_error = CASE WHEN ?4 THEN NULL WHEN state = 'pending' THEN ?7 ELSE last_error END,"
		      " state = CASE WHEN ?4 THEN 'sent' ELSE state END"
		      " WHERE event_id = ?1 AND carrier = ?2", "updating the message", &st, error))
		return FALSE;
	sqlite3_bind_text (st, 1, a->event_id, -1, SQLITE_STATIC);
	sqlite3_bind_text (st, 2, a->carrier, -1, SQLITE_STATIC);
	sqlite3_bind_int64 (st, 3, n);
	sqlite3_bind_int (st, 4, a->ok ? 1 : 0);
	sqlite3_bind_int64 (st, 5, a->finished);
	sqlite3_bind_int64 (st, 6, next_attempt);
	bind_text_or_null (st, 7, a->ok ? NULL : (a->error != NULL ? a->error : "failed"));
	return step_done (o->db, st, "updating the message", error);
}

gboolean
xn_outbox_record (XnOutbox *o, XnOutboxAttempt *a, XnInstant next_attempt, GError **error)
{
	guint n = 0;

	if (!xn_sqlite_exec (o->db, "BEGIN IMMEDIATE", "starting to record an attempt", error))
		return fail (o, error);
	if (!next_attempt_number (o, a, &n, error) ||
	    !insert_attempt (o, a, n, error) ||
	    !update_message (o, a, n, next_attempt, error) ||
	    !xn_sqlite_exec (o->db, "COMMIT", "committing an attempt", error)) {
		xn_sqlite_rollback (o->db);
		return fail (o, error);
	}
	a->n = n;
	return TRUE;
}

gboolean
xn_outbox_retry_now (XnOutbox *o, XnInstant now, GError **error)
{
	sqlite3_stmt *st = NULL;

	if (!prepare (o->db, "UPDATE outbox_messages SET next_attempt = ?1"
		      " WHERE state = 'pending' AND next_attempt > ?1", "making pending messages due", &st, error))
		return fail (o, error);
	sqlite3_bind_int64 (st, 1, now);
	return step_done (o->db, st, "making pending messages due", error) || fail (o, error);
}

/* Whether the message exists, for the error of an abandon that changed nothing. */
static gboolean
message_exists (XnOutbox *o, const char *event_id, const char *carrier, gboolean *exists, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (!prepare (o->db, "SELECT 1 FROM outbox_messages WHERE event_id = ?1 AND carrier = ?2",
		      "reading the message", &st, error))
		return FALSE;
	sqlite3_bind_text (st, 1, event_id, -1, SQLITE_STATIC);
	sqlite3_bind_text (st, 2, carrier, -1, SQLITE_STATIC);
	rc = sqlite3_step (st);
	*exists = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		xn_sqlite_fail (o->db, "reading the message", error);
	sqlite3_finalize (st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static gboolean
abandon_in (XnOutbox *o, const char *event_id, const char *carrier, XnInstant now, const char *reason,
	    GError **error)
{
	sqlite3_stmt *st = NULL;
	gboolean exists = FALSE;

	if (!prepare (o->db, "UPDATE outbox_messages SET state = 'abandoned', next_attempt = NULL,"
		      " abandoned_at = ?3, abandon_reason = ?4 WHERE event_id = ?1 AND carrier = ?2 AND state = 'pending'",
		      "abandoning a message", &st, error))
		return FALSE;
	sqlite3_bind_text (st, 1, event_id, -1, SQLITE_STATIC);
	sqlite3_bind_text (st, 2, carrier, -1, SQLITE_STATIC);
	sqlite3_bind_int64 (st, 3, now);
	sqlite3_bind_text (st, 4, reason != NULL && *reason != '\0' ? reason : "abandoned", -1, SQLITE_STATIC);
	if (!step_done (o->db, st, "abandoning a message", error))
		return FALSE;
	if (sqlite3_changes (o->db) == 1)
		return TRUE;
	if (!message_exists (o, event_id, carrier, &exists, error))
		return FALSE;
	if (exists)
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "outbox message %s for carrier %s is not pending",
			     event_id, carrier);
	else
		g_set_error (error, XN_ERROR, XN_ERROR_NOT_FOUND, "no outbox message %s for carrier %s",
			     event_id, carrier);
	return FALSE;
}

gboolean
xn_outbox_abandon (XnOutbox *o, const char *event_id, const char *carrier, XnInstant now, const char *reason,
		   GError **error)
{
	if (!xn_sqlite_exec (o->db, "BEGIN IMMEDIATE", "starting to abandon a message", error))
		return fail (o, error);
	if (!abandon_in (o, event_id, carrier, now, reason, error) ||
	    !xn_sqlite_exec (o->db, "COMMIT", "committing an abandon", error)) {
		xn_sqlite_rollback (o->db);
		return fail (o, error);
	}
	return TRUE;
}

GPtrArray *
xn_outbox_list (XnOutbox *o, const XnOutboxFilter *filter, GError **error)
{
	g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_outbox_message_free);
	sqlite3_stmt *st = NULL;
	int rc;

	if (!prepare (o->db, "SELECT " MESSAGE_COLUMNS " FROM outbox_messages"
		      " WHERE (?1 IS NULL OR ticket_id = ?1) AND (?2 IS NULL OR carrier = ?2)"
		      " AND (?3 IS NULL OR state = ?3) ORDER BY id DESC LIMIT ?4",
		      "listing outbox messages", &st, error)) {
		fail (o, error);
		return NULL;
	}
	bind_text_or_null (st, 1, filter != NULL ? filter->ticket_id : NULL);
	bind_text_or_null (st, 2, filter != NULL ? filter->carrier : NULL);
	bind_text_or_null (st, 3, filter != NULL && filter->state >= 0
			   ? xn_outbox_state_to_string ((XnOutboxState) filter->state) : NULL);
	sqlite3_bind_int64 (st, 4, filter != NULL && filter->limit > 0 ? (gint64) filter->limit : -1);
	while ((rc = sqlite3_step (st)) == SQLITE_ROW)
		g_ptr_array_add (list, read_message (st));
	if (rc != SQLITE_DONE)
		xn_sqlite_fail (o->db, "listing outbox messages", error);
	sqlite3_finalize (st);
	if (rc != SQLITE_DONE) {
		fail (o, error);
		return NULL;
	}
	/* newest first to apply the limit; callers want them in order */
	for (guint i = 0; i < list->len / 2; i++) {
		gpointer tmp = list->pdata[i];

		list->pdata[i] = list->pdata[list->len - 1 - i];
		list->pdata[list->len - 1 - i] = tmp;
	}
	return g_steal_pointer (&list);
}

static XnOutboxAttempt *
read_attempt (sqlite3_stmt *st)
{
	XnOutboxAttempt *a = xn_outbox_attempt_new ();
	g_autofree char *channel = column_text (st, 3);

	a->event_id = column_text (st, 0);
	a->carrier = column_text (st, 1);
	a->n = (guint) sqlite3_column_int64 (st, 2);
	/* the table's CHECK admits only the four names */
	if (!xn_outbox_channel_from_string (channel, &a->channel))
		a->channel = XN_OUTBOX_CHANNEL_NONE;
	a->target = column_text (st, 4);
	a->started = sqlite3_column_int64 (st, 5);
	a->finished = sqlite3_column_int64 (st, 6);
	a->ok = sqlite3_column_int (st, 7) != 0;
	a->error = column_text (st, 8);
	return a;
}

GPtrArray *
xn_outbox_attempts (XnOutbox *o, const char *event_id, const char *carrier, GError **error)
{
	g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_outbox_attempt_free);
	sqlite3_stmt *st = NULL;
	int rc;

	if (!prepare (o->db, "SELECT " ATTEMPT_COLUMNS " FROM outbox_attempts"
		      " WHERE (?1 IS NULL OR event_id = ?1) AND (?2 IS NULL OR carrier = ?2) ORDER BY rowid",
		      "listing attempts", &st, error)) {
		fail (o, error);
		return NULL;
	}
	bind_text_or_null (st, 1, event_id);
	bind_text_or_null (st, 2, carrier);
	while ((rc = sqlite3_step (st)) == SQLITE_ROW)
		g_ptr_array_add (list, read_attempt (st));
	if (rc != SQLITE_DONE)
		xn_sqlite_fail (o->db, "listing attempts", error);
	sqlite3_finalize (st);
	if (rc != SQLITE_DONE) {
		fail (o, error);
		return NULL;
	}
	return g_steal_pointer (&list);
}

static gboolean
read_counts (XnOutbox *o, XnOutboxCounts *c, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (!prepare (o->db, "SELECT coalesce (sum (state = 'pending'), 0), coalesce (sum (state = 'sent'), 0),"
		      " coalesce (sum (state = 'suppressed'), 0), coalesce (sum (state = 'abandoned'), 0),"
		      " coalesce (min (CASE WHEN state = 'pending' THEN created END), 0),"
		      " (SELECT count (*) FROM outbox_attempts),"
		      " (SELECT coalesce (sum (ok = 0), 0) FROM outbox_attempts)"
		      " FROM outbox_messages", "counting outbox messages", &st, error))
		return FALSE;
	rc = sqlite3_step (st);
	if (rc == SQLITE_ROW) {
		c->pending = (guint) sqlite3_column_int64 (st, 0);
		c->sent = (guint) sqlite3_column_int64 (st, 1);
		c->suppressed = (guint) sqlite3_column_int64 (st, 2);
		c->abandoned = (guint) sqlite3_column_int64 (st, 3);
		c->oldest_pending = sqlite3_column_int64 (st, 4);
		c->attempts = (guint) sqlite3_column_int64 (st, 5);
		c->failed_attempts = (guint) sqlite3_column_int64 (st, 6);
	} else {
		xn_sqlite_fail (o->db, "counting outbox messages", error);
	}
	sqlite3_finalize (st);
	return rc == SQLITE_ROW;
}

gboolean
xn_outbox_counts (XnOutbox *o, XnOutboxCounts *counts, GError **error)
{
	*counts = (XnOutboxCounts) { 0 };
	if (!read_counts (o, counts, error))
		return fail (o, error);
	return TRUE;
}

/* test-outbox.c — the outbox (storage/outbox.c, storage/outbox-sqlite.c) on
 * real SQLite files in a scratch directory: an insert that finds its
 * (event, carrier) already there changes nothing; suppressed rows are
 * never due; a carrier's messages fall due in insertion order, one at a
 * time, and carriers by how overdue their head is; attempts are numbered
 * and change the message in the same transaction; abandon, retry-now,
 * counts and lists; bad messages are refused with the event named; the
 * tables are versioned, created once and refused without CREATE; and a
 * process killed inside the derivation's transaction leaves the committed
 * messages pending and none of the uncommitted ones. */
#include "journal.h"
#include "outbox-sqlite.h"
#include "test-util.h"
#include "xn-error.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define T0 G_GINT64_CONSTANT (1737907200000000)   /* 2025-01-26T16:00:00Z */
#define S  XN_USEC_PER_SEC

typedef struct {
	char     *dir;
	char     *path;
	XnOutbox *outbox;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	f->dir = g_dir_make_tmp ("test-outbox-XXXXXX", &error);
	g_assert_no_error (error);
	f->path = g_build_filename (f->dir, "journal.db", NULL);
	f->outbox = xn_outbox_open (f->path, XN_OUTBOX_OPEN_CREATE, &error);
	g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
	xn_outbox_close (f->outbox);
	xn_test_remove_tree (f->dir);
	g_free (f->path);
	g_free (f->dir);
}

static XnOutboxMessage *
message (const char *event_id, const char *carrier, XnInstant instant)
{
	XnOutboxMessage *m = xn_outbox_message_new ();
	g_auto(GStrv) parts = g_strsplit (event_id, "#", 2);

	m->event_id = g_strdup (event_id);
	m->carrier = g_strdup (carrier);
	m->ticket_id = g_strdup (parts[0]);
	m->kind = g_strdup (parts[1] != NULL ? parts[1] : "opened");
	m->instant = instant;
	m->subject = g_strdup_printf ("[%s] 故障工单 Fault ticket", event_id);
	m->body_text = g_strdup ("工单号 Ticket ID: …\n承载运营商 Carrier: 电信\n");
	m->body_json = g_strdup_printf ("{\"event_id\":\"%s\",\"carrier\":\"%s\"}", event_id, carrier);
	return m;
}

static gboolean
put (Fixture *f, const char *event_id, const char *carrier, XnInstant now, gboolean suppressed)
{
	g_autoptr(XnOutboxMessage) m = message (event_id, carrier, now - 5 * S);
	g_autoptr(GError) error = NULL;
	gboolean inserted = FALSE;

	g_assert_true (xn_outbox_insert (f->outbox, m, now, suppressed, &inserted, &error));
	g_assert_no_error (error);
	return inserted;
}

/* The event ID of the next message due at `now`, or NULL. */
static char *
due (Fixture *f, XnInstant now)
{
	g_autoptr(XnOutboxMessage) m = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true (xn_outbox_next_due (f->outbox, now, &m, &error));
	g_assert_no_error (error);
	return m != NULL ? g_strdup (m->event_id) : NULL;
}

static guint
record (Fixture *f, const char *event_id, const char *carrier, gboolean ok, XnInstant at, XnInstant next)
{
	g_autoptr(XnOutboxAttempt) a = xn_outbox_attempt_new ();
	g_autoptr(GError) error = NULL;

	a->event_id = g_strdup (event_id);
	a->carrier = g_strdup (carrier);
	a->channel = XN_OUTBOX_CHANNEL_SMTP;
	a->target = g_strdup ("smtp://relay.example:25 to noc@carrier.example");
	a->started = at;
	a->finished = at + S / 2;
	a->ok = ok;
	a->error = ok ? NULL : g_strdup ("Couldn't connect to server");
	g_assert_true (xn_outbox_record (f->outbox, a, next, &error));
	g_assert_no_error (error);
	return a->n;
}

static XnOutboxMessage *
find (Fixture *f, const char *event_id, const char *carrier)
{
	g_autoptr(GPtrArray) all = xn_outbox_list (f->outbox, NULL, NULL);

	g_assert_nonnull (all);
	for (guint i = 0; i < all->len; i++) {
		XnOutboxMessage *m = all->pdata[i];

		if (strcmp (m->event_id, event_id) == 0 && strcmp (m->carrier, carrier) == 0)
			return g_ptr_array_steal_index (all, i);
	}
	return NULL;
}

static void
test_insert_or_ignore (Fixture *f, gconstpointer data)
{
	g_autoptr(XnOutboxMessage) again = message ("XN-000057#opened", "telecom", T0);
	g_autoptr(XnOutboxMessage) stored = NULL;
	g_autoptr(GError) error = NULL;
	gboolean inserted = TRUE;

	g_assert_true (put (f, "XN-000057#opened", "telecom", T0, FALSE));
	/* the same event to another carrier is another message */
	g_assert_true (put (f, "XN-000057#opened", "mobile", T0, FALSE));
	/* a derivation run again renders it again, maybe differently: the first stays */
	g_free (again->subject);
	again->subject = g_strdup ("changed");
	g_assert_true (xn_outbox_insert (f->outbox, again, T0 + 100 * S, TRUE, &inserted, &error));
	g_assert_no_error (error);
	g_assert_false (inserted);
	stored = find (f, "XN-000057#opened", "telecom");
	g_assert_cmpstr (stored->subject, ==, "[XN-000057#opened] 故障工单 Fault ticket");
	g_assert_cmpint (stored->state, ==, XN_OUTBOX_PENDING);
	g_assert_cmpint (stored->created, ==, T0);
	g_assert_cmpint (stored->next_attempt, ==, T0);
	g_assert_cmpint (stored->instant, ==, T0 - 5 * S);
	g_assert_cmpstr (stored->ticket_id, ==, "XN-000057");
	g_assert_cmpstr (stored->kind, ==, "opened");
	g_assert_cmpstr (stored->body_text, ==, "工单号 Ticket ID: …\n承载运营商 Carrier: 电信\n");
}

static void
assert_due (Fixture *f, XnInstant now, const char *expected)
{
	g_autofree char *got = due (f, now);

	g_assert_cmpstr (got, ==, expected);
}

static void
test_suppressed (Fixture *f, gconstpointer data)
{
	g_autoptr(XnOutboxMessage) m = NULL;
	XnOutboxCounts counts;
	XnInstant wake = -1;

	g_assert_true (put (f, "XN-000001#opened", "telecom", T0, TRUE));
	assert_due (f, T0 + 1000 * S, NULL);
	g_assert_true (xn_outbox_next_wake (f->outbox, &wake, NULL));
	g_assert_cmpint (wake, ==, 0);
	m = find (f, "XN-000001#opened", "telecom");
	g_assert_cmpint (m->state, ==, XN_OUTBOX_SUPPRESSED);
	g_assert_cmpint (m->next_attempt, ==, 0);
	/* a suppressed message does not hold its carrier's queue */
	g_assert_true (put (f, "XN-000002#opened", "telecom", T0 + S, FALSE));
	assert_due (f, T0 + S, "XN-000002#opened");
	g_assert_true (xn_outbox_counts (f->outbox, &counts, NULL));
	g_assert_cmpuint (counts.suppressed, ==, 1);
	g_assert_cmpuint (counts.pending, ==, 1);
	g_assert_cmpint (counts.oldest_pending, ==, T0 + S);
}

static void
test_stale (void)
{
	const guint horizon = 72 * 3600;
	const XnInstant now = T0 + 100 * XN_USEC_PER_DAY;

	g_assert_false (xn_outbox_is_stale (now, now, horizon));
	g_assert_false (xn_outbox_is_stale (now - 72 * XN_USEC_PER_HOUR, now, horizon));
	g_assert_true (xn_outbox_is_stale (now - 72 * XN_USEC_PER_HOUR - 1, now, horizon));
	/* an event due later than the clock (a skewed clock) is never stale */
	g_assert_false (xn_outbox_is_stale (now + XN_USEC_PER_DAY, now, horizon));
}

/* A carrier's messages go one at a time, in insertion order; carriers by
 * how overdue their head is. */
static void
test_due_order (Fixture *f, gconstpointer data)
{
	XnInstant wake = 0;

	g_assert_true (put (f, "XN-000010#opened", "telecom", T0, FALSE));
	g_assert_true (put (f, "XN-000010#closed", "telecom", T0 + S, FALSE));
	g_assert_true (put (f, "XN-000011#opened", "mobile", T0 + 2 * S, FALSE));
	assert_due (f, T0 - 1, NULL);
	g_assert_true (xn_outbox_next_wake (f->outbox, &wake, NULL));
	g_assert_cmpint (wake, ==, T0);
	assert_due (f, T0 + 10 * S, "XN-000010#opened");

	/* telecom's head fails: its second message waits behind it, mobile goes */
	g_assert_cmpuint (record (f, "XN-000010#opened", "telecom", FALSE, T0 + 10 * S, T0 + 40 * S), ==, 1);
	assert_due (f, T0 + 10 * S, "XN-000011#opened");
	g_assert_cmpuint (record (f, "XN-000011#opened", "mobile", TRUE, T0 + 11 * S, 0), ==, 1);
	assert_due (f, T0 + 39 * S, NULL);
	g_assert_true (xn_outbox_next_wake (f->outbox, &wake, NULL));
	g_assert_cmpint (wake, ==, T0 + 40 * S);
	assert_due (f, T0 + 40 * S, "XN-000010#opened");
	g_assert_cmpuint (record (f, "XN-000010#opened", "telecom", FALSE, T0 + 40 * S, T0 + 100 * S), ==, 2);
	g_assert_cmpuint (record (f, "XN-000010#opened", "telecom", TRUE, T0 + 100 * S, 0), ==, 3);
	/* the one behind it was due long ago: at once */
	assert_due (f, T0 + 100 * S, "XN-000010#closed");

	/* the most overdue head first, whatever the carrier */
	g_assert_true (put (f, "XN-000012#opened", "mobile", T0 + 50 * S, FALSE));
	assert_due (f, T0 + 100 * S, "XN-000010#closed");
	g_assert_cmpuint (record (f, "XN-000010#closed", "telecom", FALSE, T0 + 100 * S, T0 + 130 * S), ==, 1);
	assert_due (f, T0 + 100 * S, "XN-000012#opened");
}

static void
test_attempts (Fixture *f, gconstpointer data)
{
	g_autoptr(XnOutboxMessage) m = NULL;
	g_autoptr(GPtrArray) attempts = NULL;
	g_autoptr(XnOutboxAttempt) unknown = xn_outbox_attempt_new ();
	g_autoptr(GError) error = NULL;
	XnOutboxCounts counts;
	XnOutboxAttempt *a;

	g_assert_true (put (f, "XN-000020-R#1", "telecom", T0, FALSE));
	record (f, "XN-000020-R#1", "telecom", FALSE, T0 + S, T0 + 31 * S);
	m = find (f, "XN-000020-R#1", "telecom");
	g_assert_cmpint (m->state, ==, XN_OUTBOX_PENDING);
	g_assert_cmpuint (m->attempts, ==, 1);
	g_assert_cmpint (m->next_attempt, ==, T0 + 31 * S);
	g_assert_cmpstr (m->last_error, ==, "Couldn't connect to server");
	g_clear_pointer (&m, xn_outbox_message_free);
	record (f, "XN-000020-R#1", "telecom", TRUE, T0 + 31 * S, 0);
	m = find (f, "XN-000020-R#1", "telecom");
	g_assert_cmpint (m->state, ==, XN_OUTBOX_SENT);
	g_assert_cmpuint (m->attempts, ==, 2);
	g_assert_cmpint (m->sent_at, ==, T0 + 31 * S + S / 2);
	g_assert_cmpint (m->next_attempt, ==, 0);
	g_assert_null (m->last_error);

	attempts = xn_outbox_attempts (f->outbox, "XN-000020-R#1", "telecom", &error);
	g_assert_no_error (error);
	g_assert_cmpuint (attempts->len, ==, 2);
	a = attempts->pdata[0];
	g_assert_cmpuint (a->n, ==, 1);
	g_assert_false (a->ok);
	g_assert_cmpint (a->channel, ==, XN_OUTBOX_CHANNEL_SMTP);
	g_assert_cmpstr (a->target, ==, "smtp://relay.example:25 to noc@carrier.example");
	g_assert_cmpint (a->started, ==, T0 + S);
	g_assert_cmpint (a->finished, ==, T0 + S + S / 2);
	g_assert_cmpstr (a->error, ==, "Couldn't connect to server");
	a = attempts->pdata[1];
	g_assert_cmpuint (a->n, ==, 2);
	g_assert_true (a->ok);
	g_assert_null (a->error);

	g_assert_true (xn_outbox_counts (f->outbox, &counts, NULL));
	g_assert_cmpuint (counts.sent, ==, 1);
	g_assert_cmpuint (counts.pending, ==, 0);
	g_assert_cmpuint (counts.attempts, ==, 2);
	g_assert_cmpuint (counts.failed_attempts, ==, 1);
	g_assert_cmpint (counts.oldest_pending, ==, 0);

	unknown->event_id = g_strdup ("XN-999999#opened");
	unknown->carrier = g_strdup ("telecom");
	unknown->target = g_strdup ("");
	g_assert_false (xn_outbox_record (f->outbox, unknown, T0, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_NOT_FOUND);
	g_assert_true (g_str_has_prefix (error->message, f->path));
	g_assert_nonnull (strstr (error->message, "no outbox message XN-999999#opened for carrier telecom"));
}

static void
test_abandon (Fixture *f, gconstpointer data)
{
	g_autoptr(XnOutboxMessage) m = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true (put (f, "XN-000030#opened", "telecom", T0, FALSE));
	g_assert_true (put (f, "XN-000030#closed", "telecom", T0, FALSE));
	record (f, "XN-000030#opened", "telecom", FALSE, T0, T0 + 3600 * S);
	assert_due (f, T0 + S, NULL);
	g_assert_true (xn_outbox_abandon (f->outbox, "XN-000030#opened", "telecom", T0 + 2 * S,
					  "carrier refuses it: fixed by phone", &error));
	g_assert_no_error (error);
	/* the message behind it goes */
	assert_due (f, T0 + 2 * S, "XN-000030#closed");
	m = find (f, "XN-000030#opened", "telecom");
	g_assert_cmpint (m->state, ==, XN_OUTBOX_ABANDONED);
	g_assert_cmpint (m->abandoned_at, ==, T0 + 2 * S);
	g_assert_cmpstr (m->abandon_reason, ==, "carrier refuses it: fixed by phone");
	g_assert_false (xn_outbox_abandon (f->outbox, "XN-000030#opened", "telecom", T0, "again", &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_clear_error (&error);
	g_assert_false (xn_outbox_abandon (f->outbox, "XN-000031#opened", "telecom", T0, "x", &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_NOT_FOUND);
}

static void
test_retry_now (Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	g_assert_true (put (f, "XN-000040#opened", "telecom", T0, FALSE));
	record (f, "XN-000040#opened", "telecom", FALSE, T0, T0 + 3600 * S);
	assert_due (f, T0 + 60 * S, NULL);
	g_assert_true (xn_outbox_retry_now (f->outbox, T0 + 60 * S, &error));
	g_assert_no_error (error);
	assert_due (f, T0 + 60 * S, "XN-000040#opened");
}

static void
test_list (Fixture *f, gconstpointer data)
{
	XnOutboxFilter filter = XN_OUTBOX_FILTER_INIT;
	g_autoptr(GPtrArray) list = NULL;
	g_autoptr(JsonNode) json = NULL;
	g_autofree char *text = NULL;

	put (f, "XN-000050#opened", "telecom", T0, FALSE);
	put (f, "XN-000051#opened", "telecom", T0 + S, FALSE);
	put (f, "XN-000050-R#1", "telecom", T0 + 2 * S, FALSE);
	put (f, "XN-000050#closed", "telecom", T0 + 3 * S, TRUE);
	filter.ticket_id = "XN-000050";
	list = xn_outbox_list (f->outbox, &filter, NULL);
	g_assert_cmpuint (list->len, ==, 2);
	g_assert_cmpstr (((XnOutboxMessage *) list->pdata[0])->event_id, ==, "XN-000050#opened");
	g_assert_cmpstr (((XnOutboxMessage *) list->pdata[1])->event_id, ==, "XN-000050#closed");
	g_clear_pointer (&list, g_ptr_array_unref);
	filter = (XnOutboxFilter) XN_OUTBOX_FILTER_INIT;
	filter.limit = 2;
	filter.state = XN_OUTBOX_PENDING;
	list = xn_outbox_list (f->outbox, &filter, NULL);
	g_assert_cmpuint (list->len, ==, 2);
	/* the newest two, in insertion order */
	g_assert_cmpstr (((XnOutboxMessage *) list->pdata[0])->event_id, ==, "XN-000051#opened");
	g_assert_cmpstr (((XnOutboxMessage *) list->pdata[1])->event_id, ==, "XN-000050-R#1");

	json = xn_outbox_message_to_json (list->pdata[1], TRUE);
	text = json_to_string (json, FALSE);
	g_assert_nonnull (strstr (text, "\"event_id\":\"XN-000050-R#1\""));
	g_assert_nonnull (strstr (text, "\"state\":\"pending\""));
	g_assert_nonnull (strstr (text, "\"body_json\":{\"event_id\":\"XN-000050-R#1\",\"carrier\":\"telecom\"}"));
	g_assert_nonnull (strstr (text, "\"created\":\"2025-01-26T16:00:02.000000Z\""));
	g_assert_nonnull (strstr (text, "\"sent_at\":null"));
}

static void
test_bad_messages (Fixture *f, gconstpointer data)
{
	static const struct {
		const char *field;
		const char *value;
		const char *message;
	} cases[] = {
		{ "subject", "", "outbox message XN-000060#opened for carrier telecom: the subject is empty" },
		{ "subject", "two\r\nBcc: x@y", "outbox message XN-000060#opened for carrier telecom: the subject has a line break" },
		{ "body_text", "\xff\xfe", "outbox message XN-000060#opened for carrier telecom: the text body is not UTF-8" },
		{ "body_json", "[1, 2]", "outbox message XN-000060#opened for carrier telecom: the JSON body is not a JSON object" },
		{ "carrier", "", "outbox message XN-000060#opened for carrier (none): the carrier is empty" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autoptr(XnOutboxMessage) m = message ("XN-000060#opened", "telecom", T0);
		g_autoptr(GError) error = NULL;
		char **field = strcmp (cases[i].field, "subject") == 0 ? &m->subject
			       : strcmp (cases[i].field, "body_text") == 0 ? &m->body_text
			       : strcmp (cases[i].field, "body_json") == 0 ? &m->body_json : &m->carrier;
		XnOutboxCounts counts;

		g_free (*field);
		*field = g_strdup (cases[i].value);
		g_assert_false (xn_outbox_insert (f->outbox, m, T0, FALSE, NULL, &error));
		g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
		g_assert_true (g_str_has_suffix (error->message, cases[i].message));
		g_assert_true (xn_outbox_counts (f->outbox, &counts, NULL));
		g_assert_cmpuint (counts.pending, ==, 0);
	}
}

static void
test_open (Fixture *f, gconstpointer data)
{
	g_autofree char *other = g_build_filename (f->dir, "other.db", NULL);
	g_autofree char *missing = g_build_filename (f->dir, "missing.db", NULL);
	g_autoptr(XnJournal) journal = NULL;
	g_autoptr(XnOutbox) again = NULL;
	g_autoptr(XnOutbox) none = NULL;
	g_autoptr(GError) error = NULL;

	put (f, "XN-000070#opened", "telecom", T0, FALSE);
	again = xn_outbox_open (f->path, XN_OUTBOX_OPEN_EXISTING, &error);
	g_assert_no_error (error);
	assert_due (f, T0, "XN-000070#opened");

	/* a journal without an outbox: not created unless asked */
	journal = xn_journal_open (other, XN_JOURNAL_OPEN_CREATE, &error);
	g_assert_no_error (error);
	none = xn_outbox_open (other, XN_OUTBOX_OPEN_EXISTING, &error);
	g_assert_null (none);
	g_assert_error (error, XN_ERROR, XN_ERROR_NOT_FOUND);
	g_assert_nonnull (strstr (error->message, "no outbox yet"));
	g_clear_error (&error);
	none = xn_outbox_open (missing, XN_OUTBOX_OPEN_EXISTING, &error);
	g_assert_null (none);
	g_assert_error (error, XN_ERROR, XN_ERROR_NOT_FOUND);
}

/* The derivation's way: migrate, then insert inside its own transaction. */
static void
test_insert_in (Fixture *f, gconstpointer data)
{
	g_autoptr(XnOutboxMessage) m = message ("XN-000080#opened", "telecom", T0);
	g_autoptr(GError) error = NULL;
	sqlite3 *db = NULL;
	gboolean inserted = FALSE;

	g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
	g_assert_true (xn_outbox_migrate (db, &error));
	g_assert_no_error (error);
	g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
	g_assert_true (xn_outbox_insert_in (db, m, T0, FALSE, &inserted, &error));
	g_assert_true (inserted);
	g_assert_true (xn_outbox_insert_in (db, m, T0, FALSE, &inserted, &error));
	g_assert_false (inserted);
	/* the step fails after all: its messages go with it */
	g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
	assert_due (f, T0, NULL);
	g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
	g_assert_true (xn_outbox_insert_in (db, m, T0, FALSE, &inserted, &error));
	g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
	assert_due (f, T0, "XN-000080#opened");
	sqlite3_close (db);
}

/* In a child: two messages committed, a third inserted in a transaction
 * that never commits: the process dies inside it. */
static void
child_dies_in_insert (const char *path)
{
	g_autoptr(XnOutboxMessage) a = message ("XN-000090#opened", "telecom", T0);
	g_autoptr(XnOutboxMessage) b = message ("XN-000091#opened", "mobile", T0);
	g_autoptr(XnOutboxMessage) c = message ("XN-000092#opened", "telecom", T0);
	sqlite3 *db = NULL;

	if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec (db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK ||
	    !xn_outbox_migrate (db, NULL))
		_exit (3);
	if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    !xn_outbox_insert_in (db, a, T0, FALSE, NULL, NULL) ||
	    !xn_outbox_insert_in (db, b, T0 + S, FALSE, NULL, NULL) ||
	    sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		_exit (4);
	if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    !xn_outbox_insert_in (db, c, T0 + 2 * S, FALSE, NULL, NULL))
		_exit (5);
	raise (SIGKILL);
	_exit (6);
}

static void
test_kill_in_insert (Fixture *f, gconstpointer data)
{
	g_autoptr(XnOutbox) reopened = NULL;
	g_autoptr(GPtrArray) list = NULL;
	g_autoptr(GError) error = NULL;
	int status;
	pid_t pid;

	pid = fork ();
	g_assert_cmpint (pid, >=, 0);
	if (pid == 0)
		child_dies_in_insert (f->path);
	g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
	g_assert_true (WIFSIGNALED (status));
	g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

	reopened = xn_outbox_open (f->path, XN_OUTBOX_OPEN_EXISTING, &error);
	g_assert_no_error (error);
	list = xn_outbox_list (reopened, NULL, &error);
	g_assert_no_error (error);
	g_assert_cmpuint (list->len, ==, 2);
	for (guint i = 0; i < list->len; i++)
		g_assert_cmpint (((XnOutboxMessage *) list->pdata[i])->state, ==, XN_OUTBOX_PENDING);
	assert_due (f, T0 + 10 * S, "XN-000090#opened");
	/* the journal is not locked by the dead writer */
	g_assert_true (put (f, "XN-000092#opened", "telecom", T0 + 3 * S, FALSE));
}

static void
test_names (void)
{
	XnOutboxState state;
	XnOutboxChannel channel;

	for (int i = XN_OUTBOX_PENDING; i <= XN_OUTBOX_ABANDONED; i++) {
		g_assert_true (xn_outbox_state_from_string (xn_outbox_state_to_string (i), &state));
		g_assert_cmpint (state, ==, i);
	}
	for (int i = XN_OUTBOX_CHANNEL_NONE; i <= XN_OUTBOX_CHANNEL_SPOOL; i++) {
		g_assert_true (xn_outbox_channel_from_string (xn_outbox_channel_to_string (i), &channel));
		g_assert_cmpint (channel, ==, i);
	}
	g_assert_false (xn_outbox_state_from_string ("delivered", &state));
	g_assert_false (xn_outbox_channel_from_string ("fax", &channel));
}

#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	ADD ("/outbox/insert-or-ignore", test_insert_or_ignore);
	ADD ("/outbox/suppressed", test_suppressed);
	g_test_add_func ("/outbox/stale", test_stale);
	ADD ("/outbox/due-order", test_due_order);
	ADD ("/outbox/attempts", test_attempts);
	ADD ("/outbox/abandon", test_abandon);
	ADD ("/outbox/retry-now", test_retry_now);
	ADD ("/outbox/list", test_list);
	ADD ("/outbox/bad-messages", test_bad_messages);
	ADD ("/outbox/open", test_open);
	ADD ("/outbox/insert-in", test_insert_in);
	ADD ("/outbox/kill-in-insert", test_kill_in_insert);
	g_test_add_func ("/outbox/names", test_names);
	return g_test_run ();
}

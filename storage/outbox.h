/* outbox.h — the messages extranoc owes the carriers, and every attempt
 * to deliver them, kept in the journal's own store.
 *
 * One message per (event ID, carrier): the derivation inserts it in the same
 * transaction as the step that produced the event (outbox-sqlite.h), and
 * inserting it again — a derivation run again from the journal's start —
 * changes nothing, so nothing is ever sent twice because it was derived
 * twice. The dispatcher (collector/dispatch.h) opens its own XnOutbox,
 * takes the next message due, and records each attempt and its outcome in
 * one transaction. The CLI lists messages and attempts.
 *
 * A carrier's messages are delivered in the order they were inserted (a
 * carrier's ticket system must see a ticket opened before it sees it
 * closed): only the oldest pending message of each carrier, its head, is
 * ever due, when its next_attempt has come; while it fails, the ones behind
 * it wait. A message a carrier refuses for good can be abandoned by an
 * operator. Messages inserted as suppressed (events older than the outbox
 * horizon when first derived: an imported old journal) are kept for the
 * record and never sent.
 *
 * The location is the journal's (a path means SQLite). Instants are UTC µs.
 * Errors are XN_ERROR and start with the location. One XnOutbox is used by
 * one thread at a time. See doc/outbox.md. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "xn-time.h"

G_BEGIN_DECLS

typedef enum {
	XN_OUTBOX_PENDING,      /* to be sent */
	XN_OUTBOX_SENT,         /* delivered (sent_at) */
	XN_OUTBOX_SUPPRESSED,   /* too old when derived: never sent */
	XN_OUTBOX_ABANDONED,    /* given up by an operator (abandon_reason) */
} XnOutboxState;

/* A message. The first group is what the derivation gives; the rest is
 * filled when a message is read back. */
typedef struct {
	char          *event_id;        /* "XN-000057#opened", "XN-000057-R#1" */
	char          *carrier;         /* the carrier's name in the inventory */
	char          *ticket_id;       /* "XN-000057", "XN-000057-R" */
	char          *kind;            /* the event's kind: "opened", "response-breach", ... */
	XnInstant      instant;         /* when the event fell due */
	char          *subject;         /* one line, UTF-8 */
	char          *body_text;       /* UTF-8 */
	char          *body_json;       /* a JSON object, UTF-8 */

	XnOutboxState  state;
	guint          attempts;
	XnInstant      next_attempt;    /* while pending; 0 otherwise */
	XnInstant      created;
	XnInstant      sent_at;         /* 0 unless sent */
	XnInstant      abandoned_at;    /* 0 unless abandoned */
	char          *abandon_reason;  /* NULL unless abandoned */
	char          *last_error;      /* of the last failed attempt while pending; NULL otherwise */
} XnOutboxMessage;

/* How a message is delivered (the carrier's channel when it was tried). */
typedef enum {
	XN_OUTBOX_CHANNEL_NONE,         /* no channel could be resolved (the carrier is gone, say) */
	XN_OUTBOX_CHANNEL_SMTP,
	XN_OUTBOX_CHANNEL_WEBHOOK,
	XN_OUTBOX_CHANNEL_SPOOL,
} XnOutboxChannel;

/* One attempt to deliver a message. `target` is where it went as sent — a
 * URL without credentials and the recipients, or the file — never a
 * password or token. */
typedef struct {
	char            *event_id;
	char            *carrier;
	guint            n;             /* 1 for the first attempt; set by xn_outbox_record() */
	XnOutboxChannel  channel;
	char            *target;
	XnInstant        started;
	XnInstant        finished;
	gboolean         ok;
	char            *error;         /* why it failed; NULL when ok */
} XnOutboxAttempt;

typedef struct {
	guint     pending;
	guint     sent;
	guint     suppressed;
	guint     abandoned;
	guint     attempts;
	guint     failed_attempts;
	XnInstant oldest_pending;       /* created; 0 when nothing is pending */
} XnOutboxCounts;

/* What xn_outbox_list() returns: every field NULL/-1/0 means no filter. */
typedef struct {
	const char *ticket_id;          /* this ticket's messages only */
	const char *carrier;
	int         state;              /* an XnOutboxState, or -1 for any */
	guint       limit;              /* the newest `limit` messages; 0: all */
} XnOutboxFilter;

#define XN_OUTBOX_FILTER_INIT { NULL, NULL, -1, 0 }

typedef struct _XnOutbox XnOutbox;

typedef enum {
	/* The journal must exist and already hold an outbox: otherwise
	 * XN_ERROR_NOT_FOUND. */
	XN_OUTBOX_OPEN_EXISTING = 0,
	/* Creates the journal (its directory must exist) and the outbox tables. */
	XN_OUTBOX_OPEN_CREATE   = 1 << 0,
} XnOutboxOpenFlags;

XnOutboxMessage *xn_outbox_message_new (void);
void             xn_outbox_message_free (XnOutboxMessage *message);
XnOutboxAttempt *xn_outbox_attempt_new (void);
void             xn_outbox_attempt_free (XnOutboxAttempt *attempt);

/* "pending", "sent", "suppressed", "abandoned" and back; FALSE for another word. */
const char      *xn_outbox_state_to_string (XnOutboxState state);
gboolean         xn_outbox_state_from_string (const char *text, XnOutboxState *out);
/* "none", "smtp", "webhook", "spool" and back. */
const char      *xn_outbox_channel_to_string (XnOutboxChannel channel);
gboolean         xn_outbox_channel_from_string (const char *text, XnOutboxChannel *out);

/* Whether an event that fell due at `instant`, derived at `now`, is older
 * than the horizon and is to be inserted as suppressed. */
gboolean         xn_outbox_is_stale (XnInstant instant, XnInstant now, guint horizon_s);

/* The message's fields the derivation gives, checked as an insert checks
 * them: each non-empty, UTF-8, the subject one line, body_json an object.
 * The error names the event and carrier. */
gboolean         xn_outbox_message_validate (const XnOutboxMessage *message, GError **error);

XnOutbox        *xn_outbox_open (const char *location, XnOutboxOpenFlags flags, GError **error);
void             xn_outbox_close (XnOutbox *outbox);
const char      *xn_outbox_get_location (XnOutbox *outbox);

/* Inserts in a transaction of its own (tools and tests; the derivation uses
 * xn_outbox_insert_in() inside its step). *inserted (may be NULL) is FALSE
 * when the message was there already, which is left as it was. */
gboolean         xn_outbox_insert (XnOutbox *outbox, const XnOutboxMessage *message, XnInstant now,
				   gboolean suppressed, gboolean *inserted, GError **error);

/* The next message to try at `now`: the head of a carrier's queue whose
 * next_attempt has come, the most overdue first. *out is NULL when none is
 * due. */
gboolean         xn_outbox_next_due (XnOutbox *outbox, XnInstant now, XnOutboxMessage **out, GError **error);
/* When the next head falls due: *at is 0 when nothing is pending. */
gboolean         xn_outbox_next_wake (XnOutbox *outbox, XnInstant *at, GError **error);
/* Pending messages for `carrier`. */
gboolean         xn_outbox_queued (XnOutbox *outbox, const char *carrier, guint *count, GError **error);

/* Records an attempt and its outcome in one transaction: the attempt's
 * number (attempt->n is set), and the message sent (ok), or still pending
 * until `next_attempt` with the attempt's error. A message no longer
 * pending (abandoned meanwhile) keeps its state unless the attempt
 * delivered it. Fails with XN_ERROR_NOT_FOUND for an unknown message. */
gboolean         xn_outbox_record (XnOutbox *outbox, XnOutboxAttempt *attempt, XnInstant next_attempt,
				   GError **error);

/* Makes every pending message due at `now` at the latest: the
 * configuration changed (an address fixed), so waiting out the backoff
 * would only delay what may now work. */
gboolean         xn_outbox_retry_now (XnOutbox *outbox, XnInstant now, GError **error);

/* Gives up a pending message: it is never sent, and the messages behind it
 * go. XN_ERROR_NOT_FOUND for an unknown message, XN_ERROR_INVALID for one
 * that is not pending. */
gboolean         xn_outbox_abandon (XnOutbox *outbox, const char *event_id, const char *carrier,
				    XnInstant now, const char *reason, GError **error);

/* Messages in insertion order (XnOutboxMessage; free func set). */
GPtrArray       *xn_outbox_list (XnOutbox *outbox, const XnOutboxFilter *filter, GError **error);
/* Attempts in order (XnOutboxAttempt; free func set): of one message, or
 * of every message when event_id and carrier are NULL. */
GPtrArray       *xn_outbox_attempts (XnOutbox *outbox, const char *event_id, const char *carrier,
				     GError **error);
gboolean         xn_outbox_counts (XnOutbox *outbox, XnOutboxCounts *counts, GError **error);

/* JSON objects for the CLI: instants as UTC text ("2025-…Z"), absent ones
 * null; body_json is embedded as the object it is. */
JsonNode        *xn_outbox_message_to_json (const XnOutboxMessage *message, gboolean with_bodies);
JsonNode        *xn_outbox_attempt_to_json (const XnOutboxAttempt *attempt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnOutbox, xn_outbox_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnOutboxMessage, xn_outbox_message_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnOutboxAttempt, xn_outbox_attempt_free)

G_END_DECLS

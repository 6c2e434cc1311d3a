/* dispatch-private.h — between the dispatcher (dispatch.c) and its
 * channels (channel-smtp.c, channel-webhook.c, channel-spool.c), and the
 * pure parts the unit tests reach: the backoff, the message's name, the
 * e-mail as sent, the target recorded. Only collector/dispatch*.c,
 * collector/channel-*.c and their tests include this. */
#pragma once

#include <glib.h>

#include "outbox.h"

G_BEGIN_DECLS

/* Everything one attempt needs, resolved from the configuration current
 * when the attempt starts and copied, so a reload during the attempt
 * changes nothing under it. Secrets are zeroed when it is freed. */
typedef struct {
	XnOutboxChannel kind;
	char           *carrier;
	char           *address;            /* SMTP: the relay URL; webhook: the URL; spool: the directory */
	GStrv           recipients;         /* SMTP */
	char           *from;               /* SMTP */
	char           *username;           /* SMTP login; NULL: none */
	char           *password;
	char           *token;              /* webhook bearer token; NULL: none */
	gboolean        starttls_required;
	char           *ca_file;            /* NULL: the system's CAs */
	guint           timeout_s;
} XnDelivery;

void      xn_delivery_free (XnDelivery *delivery);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnDelivery, xn_delivery_free)

/* The wait after the `failures`-th failed attempt in a row (1 → first_s),
 * doubling, at most max_s; in µs. */
gint64    xn_dispatch_backoff (guint failures, guint first_s, guint max_s);

/* "XN-000057_opened.telecom": the event ID and the carrier, each with every
 * character but ASCII letters, digits, '-' and '_' replaced by '_', joined
 * by '.'. The spool file's name (with ".json") and the e-mail's
 * Message-ID (<NAME@extranoc>): the same on every resend. */
char     *xn_dispatch_message_name (const char *event_id, const char *carrier);

/* Where an attempt goes, as recorded: "smtp://relay:25 to a@x, b@y", the
 * webhook URL, the spool file; a user or password in a URL is dropped. */
char     *xn_delivery_target (const XnDelivery *delivery, const XnOutboxMessage *message);
/* A URL without its "user:password@" part. */
char     *xn_dispatch_redact_url (const char *url);

/* RFC 2047: `text` as UTF-8 base64 encoded words, folded with CRLF SP so
 * that no line passes 78 characters after a header name of `used`
 * characters; text that is printable ASCII (and has no "=?") is kept as is.
 * Control characters become spaces. */
char     *xn_mail_encode_header (const char *text, gsize used);
/* "Thu, 06 Feb 2025 01:00:00 +0000" (RFC 5322, UTC, English names). */
char     *xn_mail_date (XnInstant t);
/* The whole message as it goes to the relay, CRLF line ends: Date (the
 * message's creation: the same on every resend), From, To, Subject,
 * Message-ID, X-Extranoc-Ticket, X-Extranoc-Event, Auto-Submitted, MIME
 * text/plain UTF-8 in base64. */
char     *xn_mail_compose (const XnOutboxMessage *message, const char *from, const char *const *to, gsize *length);

/* Each channel sends one message. `stop` is the dispatcher's stop flag
 * (g_atomic_int_get): a transfer in progress gives up when it is set. The
 * error says what failed; the dispatcher records it with the target. */
gboolean  xn_channel_smtp_send (const XnDelivery *delivery, const XnOutboxMessage *message, const gint *stop,
				GError **error);
gboolean  xn_channel_webhook_send (const XnDelivery *delivery, const XnOutboxMessage *message, const gint *stop,
				   GError **error);
gboolean  xn_channel_spool_send (const XnDelivery *delivery, const XnOutboxMessage *message, GError **error);
/* The spool file of a message: DIR/NAME.json. */
char     *xn_channel_spool_path (const XnDelivery *delivery, const XnOutboxMessage *message);

/* libcurl, shared by the SMTP and webhook channels (channel-curl.c). */
gboolean  xn_curl_global_init (GError **error);
void      xn_curl_global_cleanup (void);

G_END_DECLS

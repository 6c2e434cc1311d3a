/* dispatch-message.c — the dispatcher's pure parts: the backoff, the name
 * a message keeps on every resend (spool file, Message-ID), the target an
 * attempt records, and the e-mail as it goes to the relay (RFC 5322
 * headers, the subject as RFC 2047 encoded words, a text/plain UTF-8 body
 * in base64). Nothing here sends, reads the clock or the configuration:
 * dispatch.c and the channels do; the unit tests check this file alone. */
#include "dispatch-private.h"

#include <string.h>

/* RFC 5322 recommends lines of at most 78 characters. */
#define LINE_MAX_CHARS     78
/* Base64 body lines (RFC 2045: at most 76). */
#define BASE64_LINE        76

void
xn_delivery_free (XnDelivery *d)
{
	if (d == NULL)
		return;
	g_free (d->carrier);
	g_free (d->address);
	g_strfreev (d->recipients);
	g_free (d->from);
	g_free (d->username);
	/* secrets do not outlive the attempt in freed memory */
	if (d->password != NULL)
		memset (d->password, 0, strlen (d->password));
	g_free (d->password);
	if (d->token != NULL)
		memset (d->token, 0, strlen (d->token));
	g_free (d->token);
	g_free (d->ca_file);
	g_free (d);
}

gint64
xn_dispatch_backoff (guint failures, guint first_s, guint max_s)
{
	guint64 wait = MAX (first_s, 1);

	for (guint i = 1; i < failures && wait < max_s; i++)
		wait *= 2;
	return (gint64) MIN (wait, (guint64) MAX (max_s, 1)) * XN_USEC_PER_SEC;
}

static void
append_safe (GString *out, const char *text)
{
	for (const char *p = text; *p != '\0'; p++)
		g_string_append_c (out, g_ascii_isalnum (*p) || *p == '-' || *p == '_' ? *p : '_');
}

char *
xn_dispatch_message_name (const char *event_id, const char *carrier)
{
	GString *out = g_string_new (NULL);

	append_safe (out, event_id);
	g_string_append_c (out, '.');
	append_safe (out, carrier);
	return g_string_free (out, FALSE);
}

char *
xn_dispatch_redact_url (const char *url)
{
	const char *scheme_end = strstr (url, "://");
	const char *host, *end, *at = NULL;

	if (scheme_end == NULL)
		return g_strdup (url);
	host = scheme_end + 3;
	end = host + strcspn (host, "/?#");
	for (const char *p = host; p < end; p++)
		if (*p == '@')
			at = p;
	if (at == NULL)
		return g_strdup (url);
	return g_strdup_printf ("%.*s%s", (int) (host - url), url, at + 1);
}

char *
xn_delivery_target (const XnDelivery *d, const XnOutboxMessage *m)
{
	switch (d->kind) {
	case XN_OUTBOX_CHANNEL_SMTP: {
		g_autofree char *url = xn_dispatch_redact_url (d->address != NULL ? d->address : "");
		g_autofree char *to = d->recipients != NULL ? g_strjoinv (", ", d->recipients) : g_strdup ("");

		return g_strdup_printf ("%s to %s", url, to);
	}
	case XN_OUTBOX_CHANNEL_WEBHOOK:
		return xn_dispatch_redact_url (d->address != NULL ? d->address : "");
	case XN_OUTBOX_CHANNEL_SPOOL:
		return xn_channel_spool_path (d, m);
	case XN_OUTBOX_CHANNEL_NONE:
		break;
	}
	return g_strdup ("");
}

char *
xn_channel_spool_path (const XnDelivery *d, const XnOutboxMessage *m)
{
	g_autofree char *name = xn_dispatch_message_name (m->event_id, m->carrier);
	g_autofree char *file = g_strconcat (name, ".json", NULL);

	return g_build_filename (d->address != NULL ? d->address : ".", file, NULL);
}

/* Printable ASCII that no mail reader would take for an encoded word. */
static gboolean
plain_ascii (const char *text)
{
	for (const char *p = text; *p != '\0'; p++)
		if ((guchar) *p < ' ' || (guchar) *p >= 0x7f)
			return FALSE;
	return strstr (text, "=?") == NULL;
}

/* The length of the longest prefix of `text` (at most `max` bytes) that
 * ends on a character boundary: an encoded word must hold whole
 * characters (RFC 2047, 5). */
static gsize
utf8_prefix (const char *text, gsize len, gsize max)
{
	gsize n = 0;

	while (n < len) {
		const char *next = g_utf8_next_char (text + n);
		gsize step = (gsize) (next - (text + n));

		if (n + step > max)
			break;
		n += step;
	}
	/* a single character longer than max (impossible for UTF-8 with max ≥ 4) */
	return n > 0 ? n : MIN (len, max);
}

char *
xn_mail_encode_header (const char *text, gsize used)
{
	g_autofree char *clean = g_utf8_make_valid (text, -1);
	GString *out = g_string_new (NULL);
	gsize len, pos = 0;

	for (char *p = clean; *p != '\0'; p++)
		if ((guchar) *p < ' ' || *p == 0x7f)
			*p = ' ';
	if (plain_ascii (clean)) {
		g_string_append (out, clean);
		return g_string_free (out, FALSE);
	}
	len = strlen (clean);
	while (pos < len) {
		/* "=?UTF-8?B?" + base64 + "?=": 12 characters around 4 per 3 bytes */
		gsize room = LINE_MAX_CHARS - (pos == 0 ? used : 1) - 12;
		gsize take = utf8_prefix (clean + pos, len - pos, room / 4 * 3);
		g_autofree char *b64 = g_base64_encode ((const guchar *) clean + pos, take);

		if (pos > 0)
			g_string_append (out, "\r\n ");
		g_string_append_printf (out, "=?UTF-8?B?%s?=", b64);
		pos += take;
	}
	return g_string_free (out, FALSE);
}

char *
xn_mail_date (XnInstant t)
{
	static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t / XN_USEC_PER_SEC);

	if (dt == NULL)
		return g_strdup ("Thu, 01 Jan 1970 00:00:00 +0000");
	return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d +0000", days[g_date_time_get_day_of_week (dt) - 1],
				g_date_time_get_day_of_month (dt), months[g_date_time_get_month (dt) - 1],
				g_date_time_get_year (dt), g_date_time_get_hour (dt), g_date_time_get_minute (dt),
				g_date_time_get_second (dt));
}

/* An identifier for a header (the ticket and event IDs are ASCII by
 * construction; anything else is replaced, never passed through). */
static void
append_header_id (GString *out, const char *name, const char *value)
{
	g_string_append_printf (out, "%s: ", name);
	for (const char *p = value; *p != '\0'; p++)
		g_string_append_c (out, (guchar) *p > ' ' && (guchar) *p < 0x7f ? *p : '_');
	g_string_append (out, "\r\n");
}

/* The body in canonical form (CRLF line ends, RFC 2046 4.1.1), base64. */
static void
append_body (GString *out, const char *text)
{
	g_autofree char *valid = g_utf8_make_valid (text, -1);
	g_autoptr(GString) canon = g_string_new (NULL);
	g_autofree char *b64 = NULL;
	gsize len;

	for (const char *p = valid; *p != '\0'; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue;
		if (*p == '\n' || *p == '\r')
			g_string_append (canon, "\r\n");
		else
			g_string_append_c (canon, *p);
	}
	if (canon->len < 2 || strcmp (canon->str + canon->len - 2, "\r\n") != 0)
		g_string_append (canon, "\r\n");
	b64 = g_base64_encode ((const guchar *) canon->str, canon->len);
	len = strlen (b64);
	for (gsize i = 0; i < len; i += BASE64_LINE) {
		g_string_append_len (out, b64 + i, (gssize) MIN (BASE64_LINE, len - i));
		g_string_append (out, "\r\n");
	}
}

char *
xn_mail_compose (const XnOutboxMessage *m, const char *from, const char *const *to, gsize *length)
{
	GString *out = g_string_new (NULL);
	g_autofree char *date = xn_mail_date (m->created);
	g_autofree char *subject = xn_mail_encode_header (m->subject, strlen ("Subject: "));
	g_autofree char *name = xn_dispatch_message_name (m->event_id, m->carrier);

	g_string_append_printf (out, "Date: %s\r\n", date);
	g_string_append_printf (out, "From: %s\r\n", from);
	g_string_append (out, "To: ");
	for (guint i = 0; to != NULL && to[i] != NULL; i++)
		g_string_append_printf (out, "%s%s", i > 0 ? ",\r\n " : "", to[i]);
	g_string_append (out, "\r\n");
	g_string_append_printf (out, "Subject: %s\r\n", subject);
	g_string_append_printf (out, "Message-ID: <%s@extranoc>\r\n", name);
	append_header_id (out, "X-Extranoc-Ticket", m->ticket_id);
	append_header_id (out, "X-Extranoc-Event", m->event_id);
	/* RFC 3834: no vacation replies to the NOC for each ticket */
	g_string_append (out, "Auto-Submitted: auto-generated\r\n");
	g_string_append (out, "MIME-Version: 1.0\r\n");
	g_string_append (out, "Content-Type: text/plain; charset=utf-8\r\n");
	g_string_append (out, "Content-Transfer-Encoding: base64\r\n");
	g_string_append (out, "\r\n");
	append_body (out, m->body_text);
	if (length != NULL)
		*length = out->len;
	return g_string_free (out, FALSE);
}

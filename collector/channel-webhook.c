/* channel-webhook.c — a message as an HTTP(S) POST of its JSON body,
 * through libcurl.
 *
 * The body is the message's JSON (which carries event_id); the headers say
 * the event and ticket (X-Extranoc-Event, X-Extranoc-Ticket) and carry the
 * carrier's bearer token from the secrets. A 2xx answer is a delivery;
 * anything else — another status, a redirect (not followed: a ticket
 * endpoint that moved is a configuration to fix, not a place to send
 * tickets to unasked), no answer — fails the attempt, with the status and
 * the first bytes of what the server said. TLS peers are verified
 * (channel-curl.c). The same event_id goes out on every resend, so the
 * receiver can tell a resend from a new event. */
#include "channel-curl.h"
#include "xn-error.h"

#include <string.h>

/* How much of an answer is kept, and how much of it an error quotes. */
#define ANSWER_KEEP     4096
#define ANSWER_QUOTE    200

static size_t
on_write (char *data, size_t size, size_t n, void *user_data)
{
	GString *answer = user_data;
	gsize len = size * n;

	if (answer->len < ANSWER_KEEP)
		g_string_append_len (answer, data, (gssize) MIN (len, ANSWER_KEEP - answer->len));
	return len;
}

/* The start of an answer, on one line, as UTF-8. */
static char *
quote_answer (const GString *answer)
{
	g_autofree char *valid = g_utf8_make_valid (answer->str, (gssize) answer->len);
	const char *end = valid;
	GString *out;

	while (*end != '\0' && end - valid < ANSWER_QUOTE)
		end = g_utf8_next_char (end);
	out = g_string_new_len (valid, end - valid);
	for (gsize i = 0; i < out->len; i++)
		if ((guchar) out->str[i] < ' ')
			out->str[i] = ' ';
	g_strstrip (out->str);
	if (*end != '\0')
		g_string_append (out, "…");
	return g_string_free (out, FALSE);
}

static struct curl_slist *
header_list (const XnDelivery *d, const XnOutboxMessage *m)
{
	struct curl_slist *list = NULL;
	g_autofree char *event = g_strdup_printf ("X-Extranoc-Event: %s", m->event_id);
	g_autofree char *ticket = g_strdup_printf ("X-Extranoc-Ticket: %s", m->ticket_id);

	list = curl_slist_append (list, "Content-Type: application/json; charset=utf-8");
	list = curl_slist_append (list, event);
	list = curl_slist_append (list, ticket);
	/* no "100 continue" round trip for a small body */
	list = curl_slist_append (list, "Expect:");
	if (d->token != NULL) {
		g_autofree char *auth = g_strdup_printf ("Authorization: Bearer %s", d->token);

		list = curl_slist_append (list, auth);
		memset (auth, 0, strlen (auth));
	}
	return list;
}

static gboolean
check_status (long status, const GString *answer, GError **error)
{
	g_autofree char *quoted = NULL;

	if (status >= 200 && status < 300)
		return TRUE;
	quoted = quote_answer (answer);
	g_set_error (error, XN_ERROR, XN_ERROR_IO, "HTTP %ld%s%s", status, *quoted != '\0' ? ": " : "", quoted);
	return FALSE;
}

gboolean
xn_channel_webhook_send (const XnDelivery *d, const XnOutboxMessage *m, const gint *stop, GError **error)
{
	g_autoptr(GString) answer = g_string_new (NULL);
	struct curl_slist *headers = NULL;
	XnCurl c = { 0 };
	long status = 0;
	gboolean ok;

	/* a header line must not be split by what it carries */
	if (strpbrk (m->event_id, "\r\n") != NULL || strpbrk (m->ticket_id, "\r\n") != NULL ||
	    (d->token != NULL && strpbrk (d->token, "\r\n") != NULL)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "a line break in the event ID, ticket ID or token");
		return FALSE;
	}
	if (!xn_curl_init (&c, d, "http,https", stop, error))
		return FALSE;
	headers = header_list (d, m);
	curl_easy_setopt (c.curl, CURLOPT_URL, d->address);
	curl_easy_setopt (c.curl, CURLOPT_POSTFIELDS, m->body_json);
	curl_easy_setopt (c.curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen (m->body_json));
	curl_easy_setopt (c.curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt (c.curl, CURLOPT_USERAGENT, "extranoc/" PACKAGE_VERSION);
	curl_easy_setopt (c.curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt (c.curl, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt (c.curl, CURLOPT_WRITEDATA, answer);
	ok = xn_curl_perform (&c, error);
	if (ok) {
		curl_easy_getinfo (c.curl, CURLINFO_RESPONSE_CODE, &status);
		ok = check_status (status, answer, error);
	}
	xn_curl_clear (&c);
	/* the token is in one of the list's copies */
	for (struct curl_slist *h = headers; h != NULL; h = h->next)
		memset (h->data, 0, strlen (h->data));
	curl_slist_free_all (headers);
	return ok;
}

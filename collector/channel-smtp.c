/* channel-smtp.c — a message as e-mail, through libcurl's SMTP client.
 *
 * The relay is the carrier's smtp-server or extranoc.conf's smtp-relay
 * (resolved by dispatch.c): smtps:// speaks TLS from the start; smtp://
 * upgrades with STARTTLS when the server offers it, or fails when it does
 * not and [collector] smtp-starttls is "required" — and always requires
 * it when a login is to be sent, so a password never crosses the network
 * in the clear. The envelope sender is smtp-from and the recipients the
 * carrier's smtp-to; a recipient refused fails the whole attempt, so a
 * message is delivered to all of them or retried for all of them. The
 * message itself (xn_mail_compose()) is the same bytes on every resend,
 * Message-ID included, so a carrier's ticket system can tell a resend
 * from a new ticket. libcurl dot-stuffs the data. */
#include "channel-curl.h"
#include "xn-error.h"

#include <string.h>

typedef struct {
	const char *data;
	gsize       length;
	gsize       sent;
} Upload;

static size_t
on_read (char *buffer, size_t size, size_t n, void *user_data)
{
	Upload *u = user_data;
	gsize take = MIN (size * n, u->length - u->sent);

	memcpy (buffer, u->data + u->sent, take);
	u->sent += take;
	return take;
}

static struct curl_slist *
recipient_list (const XnDelivery *d)
{
	struct curl_slist *list = NULL;

	for (guint i = 0; d->recipients != NULL && d->recipients[i] != NULL; i++) {
		g_autofree char *rcpt = g_strdup_printf ("<%s>", d->recipients[i]);

		list = curl_slist_append (list, rcpt);
	}
	return list;
}

gboolean
xn_channel_smtp_send (const XnDelivery *d, const XnOutboxMessage *m, const gint *stop, GError **error)
{
	g_autofree char *from = g_strdup_printf ("<%s>", d->from);
	g_autofree char *mail = NULL;
	struct curl_slist *rcpt = NULL;
	XnCurl c = { 0 };
	Upload upload = { 0 };
	gboolean ok;

	if (d->recipients == NULL || d->recipients[0] == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG, "carrier %s has no smtp-to recipients", d->carrier);
		return FALSE;
	}
	if (!xn_curl_init (&c, d, "smtp,smtps", stop, error))
		return FALSE;
	mail = xn_mail_compose (m, d->from, (const char *const *) d->recipients, &upload.length);
	upload.data = mail;
	rcpt = recipient_list (d);
	curl_easy_setopt (c.curl, CURLOPT_URL, d->address);
	curl_easy_setopt (c.curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt (c.curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt (c.curl, CURLOPT_USE_SSL,
			  d->starttls_required || d->username != NULL ? (long) CURLUSESSL_ALL : (long) CURLUSESSL_TRY);
	if (d->username != NULL) {
		curl_easy_setopt (c.curl, CURLOPT_USERNAME, d->username);
		curl_easy_setopt (c.curl, CURLOPT_PASSWORD, d->password != NULL ? d->password : "");
	}
	curl_easy_setopt (c.curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt (c.curl, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt (c.curl, CURLOPT_READDATA, &upload);
	curl_easy_setopt (c.curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t) upload.length);
	ok = xn_curl_perform (&c, error);
	xn_curl_clear (&c);
	curl_slist_free_all (rcpt);
	return ok;
}

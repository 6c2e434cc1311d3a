/* channel-curl.c — the libcurl transfer the SMTP and webhook channels
 * share (channel-curl.h), and libcurl's process-wide setup.
 *
 * Every transfer is bounded: a connect timeout, a total timeout
 * ([collector] send-timeout) and a progress callback that aborts it as soon
 * as the dispatcher's stop flag is set, so a stop never waits for a relay
 * that went silent. libcurl's threaded resolver keeps name lookups inside
 * those bounds too, and CURLOPT_NOSIGNAL keeps it from touching signals
 * (the dispatcher runs on a thread of its own). TLS peers are always
 * verified, against [collector] ca-file when set. libcurl's errors become
 * XN_ERROR_IO here with its own words (the detailed ones of its error
 * buffer when it has them); which message and where is the
 * dispatcher's to say. Nothing here builds a request: the channels do. */
#include "channel-curl.h"
#include "xn-error.h"

/* A relay or webhook that does not even accept the connection within this
 * long is treated as down; the rest of send-timeout is for the exchange. */
#define CONNECT_TIMEOUT_S  15

gboolean
xn_curl_global_init (GError **error)
{
	CURLcode rc = curl_global_init (CURL_GLOBAL_DEFAULT);

	if (rc != CURLE_OK) {
		g_set_error (error, XN_ERROR, XN_ERROR_FAILED, "initialising libcurl: %s", curl_easy_strerror (rc));
		return FALSE;
	}
	return TRUE;
}

void
xn_curl_global_cleanup (void)
{
	curl_global_cleanup ();
}

static int
on_progress (void *user_data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	const XnCurl *c = user_data;

	/* non-zero aborts the transfer (CURLE_ABORTED_BY_CALLBACK) */
	return g_atomic_int_get (c->stop) ? 1 : 0;
}

gboolean
xn_curl_init (XnCurl *c, const XnDelivery *d, const char *protocols, const gint *stop, GError **error)
{
	c->stop = stop;
	c->errbuf[0] = '\0';
	c->curl = curl_easy_init ();
	if (c->curl == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_FAILED, "libcurl could not make a handle");
		return FALSE;
	}
	curl_easy_setopt (c->curl, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt (c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt (c->curl, CURLOPT_PROTOCOLS_STR, protocols);
	curl_easy_setopt (c->curl, CURLOPT_CONNECTTIMEOUT, (long) MIN (CONNECT_TIMEOUT_S, d->timeout_s));
	curl_easy_setopt (c->curl, CURLOPT_TIMEOUT, (long) d->timeout_s);
	curl_easy_setopt (c->curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt (c->curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (d->ca_file != NULL)
		curl_easy_setopt (c->curl, CURLOPT_CAINFO, d->ca_file);
	curl_easy_setopt (c->curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt (c->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt (c->curl, CURLOPT_XFERINFODATA, c);
	return TRUE;
}

gboolean
xn_curl_perform (XnCurl *c, GError **error)
{
	CURLcode rc;

	if (g_atomic_int_get (c->stop)) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "stopped before it started");
		return FALSE;
	}
	rc = curl_easy_perform (c->curl);
	if (rc == CURLE_OK)
		return TRUE;
	if (rc == CURLE_ABORTED_BY_CALLBACK && g_atomic_int_get (c->stop))
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "stopped before it completed (the dispatcher was stopping)");
	else if (c->errbuf[0] != '\0')
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s", g_strchomp (c->errbuf));
	else
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s", curl_easy_strerror (rc));
	return FALSE;
}

void
xn_curl_clear (XnCurl *c)
{
	g_clear_pointer (&c->curl, curl_easy_cleanup);
}

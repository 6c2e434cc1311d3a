/* channel-curl.h — what the SMTP and webhook channels share of libcurl:
 * a transfer with the dispatcher's bounds (connect and total timeouts, TLS
 * verification with an optional CA file, an abort when the dispatcher
 * stops) and its failure as an XN_ERROR. Only collector/channel-*.c
 * include this, and so curl.h. */
#pragma once

#include <curl/curl.h>

#include "dispatch-private.h"

G_BEGIN_DECLS

typedef struct {
	CURL       *curl;
	const gint *stop;
	char        errbuf[CURL_ERROR_SIZE];
} XnCurl;

/* A handle for one transfer of `delivery`: timeouts, CA file, no signals
 * (the dispatcher is a thread), the stop flag watched, only `protocols`
 * ("smtp,smtps", "http,https") allowed. */
gboolean xn_curl_init (XnCurl *c, const XnDelivery *delivery, const char *protocols, const gint *stop,
		       GError **error);
/* Runs the transfer; a failure is XN_ERROR_IO with libcurl's own words (or
 * "stopped before it completed" when the stop cut it short). */
gboolean xn_curl_perform (XnCurl *c, GError **error);
void     xn_curl_clear (XnCurl *c);

G_END_DECLS

/* rrdcached.h — a client of rrdcached's line protocol, for storage/xn-rrd.c.
 *
 * Internal to libxnrrd. One connection per client object, opened on
 * demand and reopened once when the daemon dropped it. Errors are XN_ERROR
 * and start with "rrdcached ADDRESS: ". */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _XnRrdcached XnRrdcached;

typedef struct {
	guint  command;         /* 1-based position in the batch */
	char  *message;         /* the daemon's words */
} XnRrdcachedFailure;

/* Connects and pings. */
XnRrdcached *xn_rrdcached_new (const char *address, GError **error);
void         xn_rrdcached_free (XnRrdcached *client);
const char  *xn_rrdcached_get_address (XnRrdcached *client);

/* One command (without newline). A refusal (negative status) is
 * XN_ERROR_STORAGE with the daemon's message alone, for the caller to
 * prefix; *lines, when not NULL, gets the answer's extra lines (char*). */
gboolean     xn_rrdcached_command (XnRrdcached *client, const char *command,
				   GPtrArray **lines, GError **error);

/* Sends `commands` (lines, each ending in '\n') as one BATCH. TRUE when the
 * daemon read them all; *failures (XnRrdcachedFailure, freed with the array)
 * lists those it refused. */
gboolean     xn_rrdcached_batch (XnRrdcached *client, const GString *commands,
				 GArray **failures, GError **error);

/* `field` as one protocol field: spaces and backslashes escaped. */
void         xn_rrdcached_append_field (GString *line, const char *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnRrdcached, xn_rrdcached_free)

G_END_DECLS

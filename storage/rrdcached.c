/* rrdcached.c — rrdcached's text protocol over one GIO connection.
 *
 * librrd 1.7.2 exports only the rrdc_* calls, which share one hidden
 * process-wide connection and have no BATCH command; BATCH is what makes
 * rrdcached cheap (about 1 µs per update on the client instead of a round
 * trip of about 117 µs, see performance-notes). So this file speaks the
 * protocol of rrdcached(1) itself: a command line, then a status line
 * "N message" where a negative N is a refusal and a positive N announces N
 * more lines; in BATCH mode, commands stream without answers until "." and
 * one summary lists the refused ones by number. I/O is blocking with a
 * timeout: callers send a batch per poll cycle, not per sample. It knows
 * nothing of RRD files (storage/xn-rrd.c does) and does not retry anything the
 * daemon may already have applied. */
#include "rrdcached.h"
#include "xn-error.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

/* rrdcached's default TCP port (RRDCACHED_DEFAULT_PORT in rrd_client.h). */
#define DEFAULT_PORT    42217
/* A FLUSH waits for the daemon to write the file; a batch of thousands of
 * updates is read in milliseconds. */
#define IO_TIMEOUT_S    30

struct _XnRrdcached {
	char              *address;
	GSocketConnectable *connectable;
	GSocketClient     *socket_client;
	GSocketConnection *connection;     /* NULL until needed, or after a failure */
	GDataInputStream  *input;
	gboolean           used;           /* the connection answered at least once */
};

static void
disconnect (XnRrdcached *client)
{
	g_clear_object (&client->input);
	if (client->connection != NULL)
		g_io_stream_close (G_IO_STREAM (client->connection), NULL, NULL);
	g_clear_object (&client->connection);
	client->used = FALSE;
}

void
xn_rrdcached_free (XnRrdcached *client)
{
	if (client == NULL)
		return;
	disconnect (client);
	g_clear_object (&client->socket_client);
	g_clear_object (&client->connectable);
	g_free (client->address);
	g_free (client);
}

const char *
xn_rrdcached_get_address (XnRrdcached *client)
{
	return client->address;
}

/* The forms librrd accepts: "unix:/path", "/path", "host", "host:port", "[v6]:port". */
static GSocketConnectable *
parse_address (const char *address, GError **error)
{
	const char *path = NULL;

	if (g_str_has_prefix (address, "unix:"))
		path = address + strlen ("unix:");
	else if (address[0] == '/')
		path = address;
	if (path != NULL) {
		if (*path == '\0') {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "empty socket path");
			return NULL;
		}
		return G_SOCKET_CONNECTABLE (g_unix_socket_address_new (path));
	}
	return g_network_address_parse (address, DEFAULT_PORT, error);
}

static gboolean
ensure_connected (XnRrdcached *client, GError **error)
{
	if (client->connection != NULL)
		return TRUE;
	client->connection = g_socket_client_connect (client->socket_client, client->connectable,
						      NULL, error);
	if (client->connection == NULL)
		return FALSE;
	client->input = g_data_input_stream_new (
		g_io_stream_get_input_stream (G_IO_STREAM (client->connection)));
	g_data_input_stream_set_newline_type (client->input, G_DATA_STREAM_NEWLINE_TYPE_LF);
	return TRUE;
}

static gboolean
send_text (XnRrdcached *client, const char *text, gsize length, GError **error)
{
	GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (client->connection));

	return g_output_stream_write_all (out, text, length, NULL, NULL, error);
}

static char *
read_line (XnRrdcached *client, GError **error)
{
	GError *local = NULL;
	char *line = g_data_input_stream_read_line (client->input, NULL, NULL, &local);

	if (line == NULL && local == NULL)
		g_set_error (&local, XN_ERROR, XN_ERROR_IO, "the daemon closed the connection");
	if (local != NULL)
		g_propagate_error (error, local);
	return line;
}

/* "N message": N into *status, the message's start into *message. */
static gboolean
parse_status (const char *line, gint64 *status, const char **message, GError **error)
{
	char *end = NULL;

	*status = g_ascii_strtoll (line, &end, 10);
	if (end == line || (*end != ' ' && *end != '\0')) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "unexpected answer '%s'", line);
		return FALSE;
	}
	*message = *end == ' ' ? end + 1 : end;
	return TRUE;
}

/* Sends the first line of an exchange and reads its status line. A
 * connection that had worked before may have been dropped by a daemon
 * restart: then one new connection is tried. Only this first line is ever
 * repeated: for a batch it is the word BATCH, so no update goes twice; the
 * single commands used (PING, INFO, CREATE -O, FLUSH) are harmless twice. */
static gboolean
open_exchange (XnRrdcached *client, const char *first_line, gint64 *status,
	       char **status_line, const char **message, GError **error)
{
	g_autofree char *text = g_strconcat (first_line, "\n", NULL);

	for (guint attempt = 0; ; attempt++) {
		g_autoptr(GError) local = NULL;
		gboolean reused = client->used;
		char *line = NULL;

		if (!ensure_connected (client, &local) ||
		    !send_text (client, text, strlen (text), &local) ||
		    (line = read_line (client, &local)) == NULL) {
			disconnect (client);
			if (reused && attempt == 0)
				continue;
			g_propagate_error (error, g_steal_pointer (&local));
			return FALSE;
		}
		client->used = TRUE;
		*status_line = line;
		if (!parse_status (line, status, message, error)) {
			disconnect (client);
			return FALSE;
		}
		return TRUE;
	}
}

static gboolean
read_lines (XnRrdcached *client, gint64 n, GPtrArray *lines, GError **error)
{
	for (gint64 i = 0; i < n; i++) {
		char *line = read_line (client, error);

		if (line == NULL) {
			disconnect (client);
			return FALSE;
		}
		g_ptr_array_add (lines, line);
	}
	return TRUE;
}

gboolean
xn_rrdcached_command (XnRrdcached *client, const char *command, GPtrArray **lines,
		      GError **error)
{
	g_autoptr(GPtrArray) extra = g_ptr_array_new_with_free_func (g_free);
	g_autofree char *status_line = NULL;
	const char *message = NULL;
	g_autoptr(GError) local = NULL;
	gint64 status = 0;

	if (!open_exchange (client, command, &status, &status_line, &message, &local) ||
	    (status > 0 && !read_lines (client, status, extra, &local))) {
		g_set_error (error, XN_ERROR, local->domain == XN_ERROR ? local->code : XN_ERROR_IO,
			     "rrdcached %s: %s", client->address, local->message);
		return FALSE;
	}
	if (status < 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "%s", message);
		return FALSE;
	}
	if (lines != NULL)
		*lines = g_steal_pointer (&extra);
	return TRUE;
}

static void
failure_clear (gpointer data)
{
	XnRrdcachedFailure *failure = data;

	g_free (failure->message);
}

/* "N errors" and N lines "COMMAND-NUMBER message". */
static gboolean
read_batch_summary (XnRrdcached *client, GArray *failures, GError **error)
{
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
	g_autofree char *summary = read_line (client, error);
	const char *message = NULL;
	gint64 n = 0;

	if (summary == NULL || !parse_status (summary, &n, &message, error) ||
	    !read_lines (client, n, lines, error))
		return FALSE;
	for (guint i = 0; i < lines->len; i++) {
		const char *line = g_ptr_array_index (lines, i);
		XnRrdcachedFailure failure = { 0 };
		gint64 number = 0;

		if (!parse_status (line, &number, &message, error))
			return FALSE;
		failure.command = (guint) CLAMP (number, 0, G_MAXUINT);
		failure.message = g_strdup (message);
		g_array_append_val (failures, failure);
	}
	return TRUE;
}

gboolean
xn_rrdcached_batch (XnRrdcached *client, const GString *commands, GArray **failures,
		    GError **error)
{
	g_autoptr(GArray) refused = g_array_new (FALSE, TRUE, sizeof (XnRrdcachedFailure));
	g_autofree char *status_line = NULL;
	const char *message = NULL;
	g_autoptr(GError) local = NULL;
	gint64 status = 0;

	g_array_set_clear_func (refused, failure_clear);
	if (!open_exchange (client, "BATCH", &status, &status_line, &message, &local)) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "rrdcached %s: %s", client->address,
			     local->message);
		return FALSE;
	}
	if (status != 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_STORAGE, "rrdcached %s: BATCH refused: %s",
			     client->address, message);
		return FALSE;
	}
	if (!send_text (client, commands->str, commands->len, &local) ||
	    !send_text (client, ".\n", 2, &local) ||
	    !read_batch_summary (client, refused, &local)) {
		disconnect (client);
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "rrdcached %s: %s", client->address,
			     local->message);
		return FALSE;
	}
	*failures = g_steal_pointer (&refused);
	return TRUE;
}

void
xn_rrdcached_append_field (GString *line, const char *field)
{
	for (const char *p = field; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\\')
			g_string_append_c (line, '\\');
		g_string_append_c (line, *p);
	}
}

XnRrdcached *
xn_rrdcached_new (const char *address, GError **error)
{
	g_autoptr(XnRrdcached) client = g_new0 (XnRrdcached, 1);
	g_autoptr(GError) local = NULL;

	client->address = g_strdup (address);
	client->connectable = parse_address (address, &local);
	if (client->connectable == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "rrdcached address '%s': %s",
			     address, local->message);
		return NULL;
	}
	client->socket_client = g_socket_client_new ();
	g_socket_client_set_timeout (client->socket_client, IO_TIMEOUT_S);
	if (!xn_rrdcached_command (client, "PING", NULL, error))
		return NULL;
	return g_steal_pointer (&client);
}

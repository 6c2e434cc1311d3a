/* channel-spool.c — a message as a file in the carrier's spool directory.
 *
 * One file per message, DIR/NAME.json (NAME from
 * xn_dispatch_message_name(): the event ID and the carrier), holding the
 * message's JSON body. It is written whole under a temporary name in the
 * same directory (".NAME.json.XXXXXX", which a reader of *.json never
 * picks up), fsynced, renamed over the final name, and the directory is
 * fsynced, so a reader sees the whole file or none, and a crash leaves the
 * file or its absence, never half of it. A resend writes the same name
 * again: the receiver counts one file per message, however often it was
 * sent. Only the JSON is written — it holds every field of the message,
 * and one file per message keeps the one rename atomic; a text beside it
 * would be a second file a reader could see without the first. A missing
 * or unwritable directory fails the attempt with the path and the
 * system's reason, and is retried like any other failure: nothing here
 * creates the directory, which is the carrier's arrangement. */
#include "dispatch-private.h"
#include "xn-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static gboolean
io_fail (const char *path, const char *doing, int errsv, GError **error)
{
	g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s: %s (%s)", path, g_strerror (errsv), doing);
	return FALSE;
}

static gboolean
write_all (int fd, const char *data, gsize len, const char *path, GError **error)
{
	while (len > 0) {
		gssize n = write (fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return io_fail (path, "writing", errno, error);
		data += n;
		len -= (gsize) n;
	}
	return TRUE;
}

/* Makes the rename itself durable. */
static gboolean
sync_dir (const char *dir, GError **error)
{
	int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int errsv;

	if (fd < 0)
		return io_fail (dir, "opening the directory to sync it", errno, error);
	if (fsync (fd) != 0) {
		errsv = errno;
		close (fd);
		return io_fail (dir, "syncing the directory", errsv, error);
	}
	close (fd);
	return TRUE;
}

/* Writes `data` to the open temporary file and closes it, durably. */
static gboolean
finish_temp (int fd, const char *tmp, const char *data, gsize len, GError **error)
{
	int errsv;

	if (!write_all (fd, data, len, tmp, error)) {
		close (fd);
		return FALSE;
	}
	if (fsync (fd) != 0) {
		errsv = errno;
		close (fd);
		return io_fail (tmp, "syncing", errsv, error);
	}
	if (close (fd) != 0)
		return io_fail (tmp, "closing", errno, error);
	return TRUE;
}

gboolean
xn_channel_spool_send (const XnDelivery *d, const XnOutboxMessage *m, GError **error)
{
	g_autofree char *path = xn_channel_spool_path (d, m);
	g_autofree char *base = g_path_get_basename (path);
	g_autofree char *tmp_name = g_strdup_printf (".%s.XXXXXX", base);
	g_autofree char *tmp = g_build_filename (d->address, tmp_name, NULL);
	g_autofree char *data = g_strconcat (m->body_json, "\n", NULL);
	int fd;

	fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0)
		return io_fail (d->address, "creating the message file there", errno, error);
	if (!finish_temp (fd, tmp, data, strlen (data), error)) {
		g_unlink (tmp);
		return FALSE;
	}
	if (g_rename (tmp, path) != 0) {
		int errsv = errno;

		g_unlink (tmp);
		return io_fail (path, "renaming the written file to its name", errsv, error);
	}
	return sync_dir (d->address, error);
}

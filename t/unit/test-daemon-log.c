/* Unit tests for lib/daemon-log.c: which levels each log-level shows, and
 * the prefix on every line of a message of several. */
#include "daemon-log.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

/* What the writer printed for one message, read from stderr sent to a file. */
static char *
written (XnDaemonLog *log, GLogLevelFlags level, const char *message)
{
	GLogField fields[] = {
		{ "PRIORITY", "4", -1 },
		{ "MESSAGE", message, -1 },
	};
	g_autofree char *path = NULL;
	char *out = NULL;
	int fd = g_file_open_tmp ("test-daemon-log-XXXXXX", &path, NULL);
	int saved = dup (STDERR_FILENO);

	g_assert_cmpint (fd, >=, 0);
	fflush (stderr);
	g_assert_cmpint (dup2 (fd, STDERR_FILENO), >=, 0);
	g_assert_cmpint (xn_daemon_log_writer (level, fields, G_N_ELEMENTS (fields), log), ==,
			 G_LOG_WRITER_HANDLED);
	fflush (stderr);
	dup2 (saved, STDERR_FILENO);
	close (saved);
	close (fd);
	g_assert_true (g_file_get_contents (path, &out, NULL, NULL));
	g_unlink (path);
	return out;
}

static void
test_levels (void)
{
	static const struct {
		const char     *level;
		GLogLevelFlags  flag;
		gboolean        shown;
	} cases[] = {
		{ "error", G_LOG_LEVEL_CRITICAL, TRUE }, { "error", G_LOG_LEVEL_WARNING, FALSE },
		{ "warning", G_LOG_LEVEL_WARNING, TRUE }, { "warning", G_LOG_LEVEL_MESSAGE, FALSE },
		{ "info", G_LOG_LEVEL_MESSAGE, TRUE }, { "info", G_LOG_LEVEL_INFO, TRUE },
		{ "info", G_LOG_LEVEL_DEBUG, FALSE }, { "debug", G_LOG_LEVEL_DEBUG, TRUE },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		XnDaemonLog log = { .program = "extranoc-test" };
		g_autofree char *out = NULL;

		xn_daemon_log_set_level (&log, cases[i].level);
		out = written (&log, cases[i].flag, "m");
		g_assert_cmpint (*out != '\0', ==, cases[i].shown);
	}
}

static void
test_lines (void)
{
	XnDaemonLog log = { .program = "extranoc-test" };
	g_autofree char *one = NULL;
	g_autofree char *several = NULL;

	xn_daemon_log_set_level (&log, "info");
	one = written (&log, G_LOG_LEVEL_MESSAGE, "node a: no answer");
	g_assert_cmpstr (one, ==, "extranoc-test: notice: node a: no answer\n");
	several = written (&log, G_LOG_LEVEL_WARNING, "two problems:\nfirst\nsecond\n");
	g_assert_cmpstr (several, ==,
			 "extranoc-test: warning: two problems:\n"
			 "extranoc-test: warning:   first\n"
			 "extranoc-test: warning:   second\n\n");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/daemon-log/levels", test_levels);
	g_test_add_func ("/daemon-log/lines", test_lines);
	return g_test_run ();
}

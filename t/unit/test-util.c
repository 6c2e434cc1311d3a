/* test-util.c — helpers shared by the unit test programs: only what more
 * than one test needs, so no test grows its own copy. */
#include "test-util.h"

#include <glib.h>
#include <glib/gstdio.h>

void
xn_test_remove_tree (const char *path)
{
	g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
	const char *name;

	while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
		g_autofree char *child = g_build_filename (path, name, NULL);

		if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
			xn_test_remove_tree (child);
		else
			g_unlink (child);
	}
	g_rmdir (path);
}

GLogWriterOutput
xn_test_keep_warnings (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
	XnTestWarnings *logged = user_data;

	if (!(level & G_LOG_LEVEL_WARNING))
		return g_log_writer_default (level, fields, n_fields, user_data);
	logged->warnings++;
	g_string_truncate (logged->last, 0);
	for (gsize i = 0; i < n_fields; i++)
		if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
			g_string_append (logged->last, fields[i].value);
	return G_LOG_WRITER_HANDLED;
}

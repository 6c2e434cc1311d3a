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

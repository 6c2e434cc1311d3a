/* test-util.h — small helpers the GTest programs share. */
#pragma once

#include <glib.h>

/* Removes a directory tree made by a test (symlinks are removed, not followed). */
void xn_test_remove_tree (const char *path);

/* Warnings logged by the code under test, kept by xn_test_keep_warnings
 * (structured logging is not seen by g_test_expect_message): how many, and
 * the last one's message. */
typedef struct {
	guint    warnings;
	GString *last;
} XnTestWarnings;

/* A GLogWriterFunc whose user data is an XnTestWarnings: warnings are
 * counted and kept, everything else goes to the default writer. */
GLogWriterOutput xn_test_keep_warnings (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
					gpointer user_data);

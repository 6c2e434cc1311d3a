/* test-util.h — small helpers the GTest programs share. */
#pragma once

/* Removes a directory tree made by a test (symlinks are removed, not followed). */
void xn_test_remove_tree (const char *path);

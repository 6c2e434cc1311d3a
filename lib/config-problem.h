/* config-problem.h — a problem in a configuration file, reported as
 * FILE:LINE: /path/in/tree: message, and the string handling around it.
 *
 * check-config prints problems; a daemon folds them into its error. The
 * functions below XnConfigProblem's own are for lib/config*.c: they know the
 * shape of libyang's location text and data paths without calling libyang.
 * GLib only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	char  *file;           /* as given on the command line */
	guint  file_index;     /* its position there: problems sort by it */
	guint  line;           /* 1-based */
	char  *path;           /* data path, e.g. /extranoc-inventory:inventory/node[name='x']/parent */
	char  *message;        /* names the object; never contains a secret's value */
} XnConfigProblem;

void     xn_config_problem_free (XnConfigProblem *problem);
/* "FILE:LINE: PATH: MESSAGE" */
char    *xn_config_problem_to_string (const XnConfigProblem *problem);
/* Sorts by file, line, path and message, and drops exact repeats. */
void     xn_config_problems_sort (GPtrArray *problems);

/* ---- for lib/config*.c ---- */

/* Appends a problem; takes `message`, which is made one line. Line 0 (not
 * known) becomes 1, a missing path "/". */
void     xn_config_problem_add (GPtrArray *problems, const char *file, guint file_index, guint line,
				const char *path, char *message);
/* A libyang message about a secret with anything that may be the value
 * (quoted text, character codes) replaced by "<redacted>". */
char    *xn_config_redact (const char *message);
/* Splits libyang 2.1's location text ('Data location "/a:b/c", line number
 * 12.' or 'Schema location "/a:b/c".') into its path, whether it is a schema
 * path, and the line (0 when absent). */
void     xn_config_parse_location (const char *where, char **path, gboolean *schema, guint *line);
/* Whether a problem is already reported about `path`, about something above
 * or below it, or about a data path quoted in `message` (a unique error
 * names both entries): then libyang's error repeats it in other words. */
gboolean xn_config_problems_cover (const GPtrArray *problems, const char *path, const char *message);
/* Drops the last step of a data path in place (quotes may hold '/');
 * FALSE when there is none left to drop. */
gboolean xn_config_path_cut (char *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnConfigProblem, xn_config_problem_free)

G_END_DECLS

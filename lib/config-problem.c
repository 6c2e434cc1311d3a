/* config-problem.c — problems found in configuration files, and the text
 * handling around them: sorting, one line per problem, redacting what may
 * be a secret, reading libyang's location text, comparing data paths.
 *
 * Nothing here calls libyang; it only knows the shape of the strings
 * libyang 2.1 produces (a location like 'Data location "/a:b", line number
 * 3.' and data paths with [key='value'] predicates). Which problems exist is
 * decided in config-check.c and config-rules.c. */
#include "config-problem.h"

#include <stdlib.h>
#include <string.h>

void
xn_config_problem_free (XnConfigProblem *problem)
{
	if (problem == NULL)
		return;
	g_free (problem->file);
	g_free (problem->path);
	g_free (problem->message);
	g_free (problem);
}

char *
xn_config_problem_to_string (const XnConfigProblem *p)
{
	return g_strdup_printf ("%s:%u: %s: %s", p->file, p->line, p->path, p->message);
}

static gint
compare_problems (gconstpointer a, gconstpointer b)
{
	const XnConfigProblem *x = *(const XnConfigProblem *const *) a;
	const XnConfigProblem *y = *(const XnConfigProblem *const *) b;
	int r;

	if (x->file_index != y->file_index)
		return x->file_index < y->file_index ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	r = strcmp (x->path, y->path);
	return r != 0 ? r : strcmp (x->message, y->message);
}

void
xn_config_problems_sort (GPtrArray *problems)
{
	g_ptr_array_sort (problems, compare_problems);
	for (guint i = 1; i < problems->len; ) {
		if (compare_problems (&problems->pdata[i - 1], &problems->pdata[i]) == 0)
			g_ptr_array_remove_index (problems, i);
		else
			i++;
	}
}

void
xn_config_problem_add (GPtrArray *problems, const char *file, guint file_index, guint line,
		       const char *path, char *message)
{
	XnConfigProblem *p = g_new0 (XnConfigProblem, 1);

	p->file = g_strdup (file);
	p->file_index = file_index;
	p->line = line > 0 ? line : 1;
	p->path = g_strdup (path != NULL && *path != '\0' ? path : "/");
	/* One problem, one line: libyang may quote input, newlines and indentation too. */
	g_strdelimit (message, "\t\r\n", ' ');
	for (char *from = message, *to = message; ; from++) {
		if (*from == ' ' && to > message && to[-1] == ' ')
			continue;
		*to++ = *from;
		if (*from == '\0')
			break;
	}
	p->message = message;
	g_ptr_array_add (problems, p);
}

/* Replaces everything from the first to the last quote (a value that holds
 * quotes itself stays inside) and hexadecimal character codes. */
char *
xn_config_redact (const char *message)
{
	GString *out = g_string_new (message);

	for (const char *quote = "\"'"; *quote != '\0'; quote++) {
		char *first = strchr (out->str, *quote);
		char *last = strrchr (out->str, *quote);

		if (first != NULL) {
			gsize at = (gsize) (first - out->str);
			gsize len = last > first ? (gsize) (last - first) + 1 : out->len - at;

			g_string_erase (out, (gssize) at, (gssize) len);
			g_string_insert (out, (gssize) at, "\x01");
		}
	}
	for (char *hex = strstr (out->str, "0x"); hex != NULL; hex = strstr (out->str, "0x")) {
		gsize at = (gsize) (hex - out->str), len = 2;

		while (g_ascii_isxdigit (out->str[at + len]))
			len++;
		g_string_erase (out, (gssize) at, (gssize) len);
		g_string_insert (out, (gssize) at, "\x01");
	}
	g_string_replace (out, "\x01", "\"<redacted>\"", 0);
	return g_string_free (out, FALSE);
}

/* libyang 2.1 puts the location in the error's path text:
 * 'Data location "/a:b/c", line number 12.' or 'Schema location "/a:b/c".' */
void
xn_config_parse_location (const char *where, char **path, gboolean *schema, guint *line)
{
	const char *quote, *end, *number;

	*path = NULL;
	*schema = FALSE;
	*line = 0;
	if (where == NULL)
		return;
	*schema = g_str_has_prefix (where, "Schema location");
	quote = strchr (where, '"');
	end = quote != NULL ? strrchr (where, '"') : NULL;
	if (end != NULL && end > quote)
		*path = g_strndup (quote + 1, (gsize) (end - quote - 1));
	number = strstr (where, "ine number ");
	if (number != NULL)
		*line = (guint) strtoul (number + strlen ("ine number "), NULL, 10);
}

/* Whether one path is the other or lies below it: libyang's first error
 * is then most likely a problem already reported in other words. */
static gboolean
related (const char *a, const char *b)
{
	gsize n = strlen (a);

	if (strlen (b) < n)
		return related (b, a);
	return strncmp (a, b, n) == 0 && (b[n] == '\0' || b[n] == '/' || b[n] == '[');
}

/* Whether a problem is reported about `path` or about one of the data
 * paths quoted in `message` (a unique error names both entries). */
gboolean
xn_config_problems_cover (const GPtrArray *problems, const char *path, const char *message)
{
	g_auto(GStrv) quoted = g_strsplit (message, "\"", -1);

	for (guint i = 0; i < problems->len; i++) {
		const XnConfigProblem *p = g_ptr_array_index (problems, i);

		if (related (p->path, path))
			return TRUE;
		for (guint k = 1; quoted[k] != NULL; k += 2) {
			if (quoted[k][0] == '/' && related (p->path, quoted[k]))
				return TRUE;
		}
	}
	return FALSE;
}

/* Drops the last step of a data path; quotes may hold '/'. */
gboolean
xn_config_path_cut (char *path)
{
	char quote = 0, *cut = NULL;

	for (char *s = path; *s != '\0'; s++) {
		if (quote != 0) {
			if (*s == quote)
				quote = 0;
		} else if (*s == '\'' || *s == '"') {
			quote = *s;
		} else if (*s == '/') {
			cut = s;
		}
	}
	if (cut == NULL || cut == path)
		return FALSE;
	*cut = '\0';
	return TRUE;
}


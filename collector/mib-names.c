/* mib-names.c — reading the mibs/ directory's *.oids files (format in mib-names.h).
 *
 * Each line is checked whole: a dotted OID of at least two arcs, each a
 * 32-bit number, then MODULE::name in SMI's spelling (a module starts
 * upper-case, a descriptor lower-case; letters, digits and hyphens). A file
 * is all or nothing, so a typo never leaves half a file loaded, and a
 * duplicate OID names the line that had it first. Only the names are kept;
 * the files are not MIB modules and nothing else is parsed. */
#include "mib-names.h"
#include "xn-error.h"

#include <string.h>


typedef struct {
	char *name;
	char *where;            /* "FILE:LINE", for a later duplicate */
} Entry;

struct _XnMibNames {
	GHashTable *by_oid;     /* dotted OID → Entry */
};

static void
entry_free (gpointer data)
{
	Entry *e = data;

	g_free (e->name);
	g_free (e->where);
	g_free (e);
}

XnMibNames *
xn_mib_names_new (void)
{
	XnMibNames *names = g_new0 (XnMibNames, 1);

	names->by_oid = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
	return names;
}

void
xn_mib_names_free (XnMibNames *names)
{
	if (names == NULL)
		return;
	g_hash_table_unref (names->by_oid);
	g_free (names);
}

static gboolean
valid_oid (const char *text)
{
	g_auto(GStrv) arcs = g_strsplit (text, ".", -1);
	guint n = g_strv_length (arcs);

	if (n < 2)
		return FALSE;
	for (guint i = 0; i < n; i++) {
		guint64 v;

		if (*arcs[i] == '\0' || (arcs[i][0] == '0' && arcs[i][1] != '\0') ||
		    !g_ascii_string_to_unsigned (arcs[i], 10, 0, G_MAXUINT32, &v, NULL))
			return FALSE;
	}
	return TRUE;
}

static gboolean
valid_word (const char *p, const char *end, gboolean upper)
{
	if (p == end || (upper ? !g_ascii_isupper (*p) : !g_ascii_islower (*p)))
		return FALSE;
	for (; p < end; p++)
		if (!g_ascii_isalnum (*p) && *p != '-')
			return FALSE;
	return TRUE;
}

static gboolean
valid_name (const char *text)
{
	const char *sep = strstr (text, "::");

	return sep != NULL && valid_word (text, sep, TRUE) && valid_word (sep + 2, text + strlen (text), FALSE);
}

/* One line's two fields, or the reason it has not. */
static const char *
parse_line (char *line, char **oid, char **name)
{
	g_auto(GStrv) fields = NULL;
	char *hash = strchr (line, '#');

	if (hash != NULL)
		*hash = '\0';
	g_strstrip (line);
	*oid = *name = NULL;
	if (*line == '\0')
		return NULL;
	fields = g_strsplit_set (line, " \t", -1);
	for (guint i = 0; fields[i] != NULL; i++) {
		if (*fields[i] == '\0')
			continue;
		if (*oid == NULL)
			*oid = g_strdup (fields[i]);
		else if (*name == NULL)
			*name = g_strdup (fields[i]);
		else
			return "expected two fields, an OID and MODULE::name";
	}
	if (*name == NULL)
		return "expected two fields, an OID and MODULE::name";
	if (!valid_oid (*oid))
		return "the first field is not a dotted OID (1.3.6.1...)";
	if (!valid_name (*name))
		return "the second field is not MODULE::name (IF-MIB::linkDown)";
	return NULL;
}

gboolean
xn_mib_names_load_data (XnMibNames *names, const char *data, const char *file, GError **error)
{
	g_auto(GStrv) lines = g_strsplit (data, "\n", -1);
	g_autoptr(GHashTable) adding = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
	GHashTableIter iter;
	gpointer key, value;

	for (guint i = 0; lines[i] != NULL; i++) {
		g_autofree char *oid = NULL;
		g_autofree char *name = NULL;
		const char *why = parse_line (lines[i], &oid, &name);
		const Entry *first;
		Entry *e;

		if (why != NULL) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s:%u: %s", file, i + 1, why);
			return FALSE;
		}
		if (oid == NULL)
			continue;
		first = g_hash_table_lookup (names->by_oid, oid);
		if (first == NULL)
			first = g_hash_table_lookup (adding, oid);
		if (first != NULL) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s:%u: %s is already named %s at %s",
				     file, i + 1, oid, first->name, first->where);
			return FALSE;
		}
		e = g_new0 (Entry, 1);
		e->name = g_steal_pointer (&name);
		e->where = g_strdup_printf ("%s:%u", file, i + 1);
		g_hash_table_insert (adding, g_steal_pointer (&oid), e);
	}
	g_hash_table_iter_init (&iter, adding);
	while (g_hash_table_iter_next (&iter, &key, &value)) {
		g_hash_table_iter_steal (&iter);
		g_hash_table_insert (names->by_oid, key, value);
	}
	return TRUE;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
	return strcmp (*(char *const *) a, *(char *const *) b);
}

gboolean
xn_mib_names_load_dir (XnMibNames *names, const char *dir, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(GDir) d = g_dir_open (dir, 0, &local);
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
	const char *entry;

	if (d == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_NOT_FOUND, "notification names: %s", local->message);
		return FALSE;
	}
	while ((entry = g_dir_read_name (d)) != NULL)
		if (g_str_has_suffix (entry, ".oids"))
			g_ptr_array_add (files, g_build_filename (dir, entry, NULL));
	g_ptr_array_sort (files, compare_names);
	for (guint i = 0; i < files->len; i++) {
		const char *path = g_ptr_array_index (files, i);
		g_autofree char *data = NULL;

		if (!g_file_get_contents (path, &data, NULL, &local)) {
			g_set_error (error, XN_ERROR, XN_ERROR_IO, "notification names: %s", local->message);
			return FALSE;
		}
		if (!g_utf8_validate (data, -1, NULL)) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: not UTF-8 text", path);
			return FALSE;
		}
		if (!xn_mib_names_load_data (names, data, path, error))
			return FALSE;
	}
	return TRUE;
}

const char *
xn_mib_names_lookup (const XnMibNames *names, const char *oid)
{
	const Entry *e = g_hash_table_lookup (names->by_oid, oid);

	return e != NULL ? e->name : NULL;
}

guint
xn_mib_names_size (const XnMibNames *names)
{
	return g_hash_table_size (names->by_oid);
}

char *
xn_mib_names_default_dir (void)
{
	const char *env = g_getenv ("EXTRANOC_MIBS_DIR");

	return g_strdup (env != NULL && *env != '\0' ? env : XN_DATADIR "/mibs");
}

/* cmd-inventory.c — `extranoc inventory import-csv`: the operators'
 * spreadsheets (one CSV per table) to the inventory JSON.
 *
 * This file finds the table files (a directory of regions.csv … units.csv,
 * or one option per table), hands them to lib/inventory-csv.c, prints every
 * problem it found, has the result validated as check-config would, and
 * writes the JSON only when all is well: to stdout, or to --output through a
 * temporary file renamed into place, so an inventory that a daemon may be
 * reading is never half written and a failed import leaves the previous
 * file untouched. The tables' columns and rules live in the library and
 * extranoc(1), not here. */
#include "commands.h"
#include "config.h"
#include "inventory-csv.h"
#include "xn-error.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#define PROGRAM "extranoc inventory import-csv"

static void
inventory_usage (FILE *out)
{
	fprintf (out,
		 "usage: extranoc inventory import-csv [--dir DIR] [--regions FILE] [--sites FILE]\n"
		 "                                     [--carriers FILE] [--nodes FILE] [--links FILE]\n"
		 "                                     [--units FILE] [--output FILE]\n"
		 "\nSee extranoc(1).\n");
}

/* A CSV file in DIR that is not a table is most likely a table under a
 * mistyped name; taking the directory without it would import an inventory
 * silently missing a table, so it is an error. Names are matched without
 * regard to case, since sheets come from Windows. A table given by its own
 * option wins over the directory's file. */
static gboolean
find_tables_in_dir (const char *dir, char **paths, GError **error)
{
	g_autoptr(GDir) d = NULL;
	g_autoptr(GError) local = NULL;
	g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
	const char *entry;

	g_ptr_array_set_size (seen, XN_INVENTORY_N_TABLES);

	d = g_dir_open (dir, 0, &local);
	if (d == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s", local->message);
		return FALSE;
	}
	while ((entry = g_dir_read_name (d)) != NULL) {
		g_autofree char *lower = g_ascii_strdown (entry, -1);
		XnInventoryTable table;

		if (entry[0] == '.' || !g_str_has_suffix (lower, ".csv"))
			continue;
		if (!xn_inventory_table_from_file_name (lower, &table)) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
				     "%s/%s: not an inventory table (the tables are regions.csv, sites.csv, "
				     "carriers.csv, nodes.csv, links.csv and units.csv)", dir, entry);
			return FALSE;
		}
		if (seen->pdata[table] != NULL) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s/%s and %s/%s are the same table",
				     dir, (char *) seen->pdata[table], dir, entry);
			return FALSE;
		}
		seen->pdata[table] = g_strdup (entry);
	}
	for (guint i = 0; i < XN_INVENTORY_N_TABLES; i++) {
		if (paths[i] == NULL && seen->pdata[i] != NULL)
			paths[i] = g_build_filename (dir, seen->pdata[i], NULL);
	}
	return TRUE;
}

/* The import checks every cell, row and reference it knows of; the judge
 * of the result is libyang, through the very check check-config runs, so
 * nothing is written that the daemons would refuse (an SLA class from a
 * module that is not installed, say). Its problems name paths in the JSON,
 * since no row is to blame. */
static gboolean
validate (const char *json, GError **error)
{
	g_autofree char *yang_dir = xn_config_default_yang_dir ();
	g_autoptr(GPtrArray) problems =
		g_ptr_array_new_with_free_func ((GDestroyNotify) xn_config_problem_free);
	g_autoptr(XnConfig) config = NULL;
	g_autoptr(GError) local = NULL;
	g_autofree char *path = NULL;
	int fd;

	fd = g_file_open_tmp ("extranoc-import-XXXXXX.json", &path, &local);
	if (fd < 0 || !g_close (fd, &local) || !g_file_set_contents (path, json, -1, &local)) {
		if (path != NULL)
			g_unlink (path);
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "cannot validate the result: %s", local->message);
		return FALSE;
	}
	config = xn_config_check (yang_dir, (const char *const[]) { path, NULL }, problems, error);
	g_unlink (path);
	if (config != NULL)
		return TRUE;
	for (guint i = 0; i < problems->len; i++) {
		const XnConfigProblem *problem = problems->pdata[i];

		fprintf (stderr, "%s: %s\n", problem->path != NULL ? problem->path : "", problem->message);
	}
	if (problems->len > 0)
		g_prefix_error (error, "the imported inventory does not validate: ");
	else
		g_prefix_error (error, "cannot validate the imported inventory: ");
	return FALSE;
}

static gboolean
write_output (const char *output, const char *json, GError **error)
{
	g_autoptr(GError) local = NULL;

	if (output == NULL) {
		if (fputs (json, stdout) < 0 || fflush (stdout) != 0) {
			g_set_error (error, XN_ERROR, XN_ERROR_IO, "cannot write to standard output");
			return FALSE;
		}
		return TRUE;
	}
	/* CONSISTENT: a temporary file in the same directory, fsync, rename */
	if (!g_file_set_contents_full (output, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0666, &local)) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s", local->message);
		return FALSE;
	}
	return TRUE;
}

/* Problems go to stderr as they are, one per line, so that an editor or
 * grep can jump to them; UTF-8 is written as is (g_printerr would convert
 * the Chinese to '?' under the C locale). */
static int
report_problems (XnInventoryCsv *importer, const GError *error)
{
	g_auto(GStrv) problems = xn_inventory_csv_dup_problems (importer);

	for (guint i = 0; problems[i] != NULL; i++)
		fprintf (stderr, "%s\n", problems[i]);
	fprintf (stderr, "%s: %s; nothing written\n", PROGRAM, error->message);
	return XN_EXIT_FAILED;
}

static int
import_csv (const char *dir, char **paths, const char *output)
{
	g_autoptr(XnInventoryCsv) importer = xn_inventory_csv_new ();
	g_autoptr(JsonNode) inventory = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *json = NULL;

	if (dir != NULL && !find_tables_in_dir (dir, paths, &error)) {
		fprintf (stderr, "%s: %s\n", PROGRAM, error->message);
		return XN_EXIT_FAILED;
	}
	for (guint i = 0; i < XN_INVENTORY_N_TABLES; i++) {
		if (paths[i] != NULL &&
		    !xn_inventory_csv_add_file (importer, (XnInventoryTable) i, paths[i], &error)) {
			fprintf (stderr, "%s: %s\n", PROGRAM, error->message);
			return XN_EXIT_FAILED;
		}
	}
	inventory = xn_inventory_csv_build (importer, &error);
	if (inventory == NULL)
		return report_problems (importer, error);
	json = xn_inventory_csv_to_json (inventory);
	if (!validate (json, &error)) {
		fprintf (stderr, "%s: %s; nothing written\n", PROGRAM, error->message);
		return XN_EXIT_FAILED;
	}
	if (!write_output (output, json, &error)) {
		fprintf (stderr, "%s: %s\n", PROGRAM, error->message);
		return XN_EXIT_FAILED;
	}
	return XN_EXIT_OK;
}

static int
cmd_import_csv (int argc, char **argv)
{
	g_autofree char *dir = NULL;
	g_autofree char *output = NULL;
	char *paths[XN_INVENTORY_N_TABLES] = { NULL };
	g_autoptr(GOptionContext) context = g_option_context_new ("- inventory spreadsheets to inventory JSON");
	g_autoptr(GError) error = NULL;
	gboolean any = FALSE;
	int status;
	GOptionEntry entries[] = {
		{ "dir", 'd', 0, G_OPTION_ARG_FILENAME, &dir, "Directory holding the table files", "DIR" },
		{ "regions", 0, 0, G_OPTION_ARG_FILENAME, &paths[XN_INVENTORY_TABLE_REGIONS], "Regions table", "FILE" },
		{ "sites", 0, 0, G_OPTION_ARG_FILENAME, &paths[XN_INVENTORY_TABLE_SITES], "Sites table", "FILE" },
		{ "carriers", 0, 0, G_OPTION_ARG_FILENAME, &paths[XN_INVENTORY_TABLE_CARRIERS], "Carriers table", "FILE" },
		{ "nodes", 0, 0, G_OPTION_ARG_FILENAME, &paths[XN_INVENTORY_TABLE_NODES], "Nodes table", "FILE" },
		{ "links", 0, 0, G_OPTION_ARG_FILENAME, &paths[XN_INVENTORY_TABLE_LINKS], "Links table", "FILE" },
		{ "units", 0, 0, G_OPTION_ARG_FILENAME, &paths[XN_INVENTORY_TABLE_UNITS], "Access units table", "FILE" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the JSON to FILE (atomically) instead of stdout", "FILE" },
		G_OPTION_ENTRY_NULL
	};

	g_option_context_add_main_entries (context, entries, NULL);
	/* --help shows argv[0] as the program: make it the whole command */
	argv[0] = (char *) PROGRAM;
	if (!g_option_context_parse (context, &argc, &argv, &error) || argc > 1) {
		fprintf (stderr, "%s: %s\n", PROGRAM,
			 error != NULL ? error->message : "unexpected argument");
		inventory_usage (stderr);
		status = XN_EXIT_USAGE;
		goto out;
	}
	for (guint i = 0; i < XN_INVENTORY_N_TABLES; i++)
		any = any || paths[i] != NULL;
	if (dir == NULL && !any) {
		fprintf (stderr, "%s: give --dir DIR or the table files\n", PROGRAM);
		inventory_usage (stderr);
		status = XN_EXIT_USAGE;
		goto out;
	}
	status = import_csv (dir, paths, output);
out:
	for (guint i = 0; i < XN_INVENTORY_N_TABLES; i++)
		g_free (paths[i]);
	return status;
}

static const XnCommand inventory_commands[] = {
	{ "import-csv", cmd_import_csv, "the inventory spreadsheets (one CSV per table) to inventory JSON" },
};

int
xn_cmd_inventory (int argc, char **argv)
{
	return xn_cli_dispatch ("extranoc inventory", inventory_commands, G_N_ELEMENTS (inventory_commands),
				"See extranoc(1).", argc, argv);
}

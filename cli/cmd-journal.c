/* cmd-journal.c — `extranoc journal export|import|stats|check`.
 *
 * Moves facts between a journal and the JSON-lines form of doc/journal.md and
 * reports on a journal. The journal is --db, else $EXTRANOC_DB, else the
 * compiled-in default under XN_LOCALSTATEDIR. Export to a regular file writes
 * a temporary file beside it and renames it when complete, so a failed export
 * never leaves half a file under the requested name. Import reads the whole
 * input first and applies nothing unless every line is good. Commands that
 * read (export, stats, check) never create a journal; import does. Facts are
 * never written here except through journal.h. */
#include "xn-paths.h"
#include "commands.h"
#include "journal.h"
#include "xn-error.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DB_HELP "journal to use (default: $EXTRANOC_DB, else " XN_DEFAULT_JOURNAL ")"

static const char *
db_location (const char *option)
{
	const char *env = g_getenv ("EXTRANOC_DB");

	if (option != NULL)
		return option;
	if (env != NULL && *env != '\0')
		return env;
	return XN_DEFAULT_JOURNAL;
}

static int
fail (const char *command, const GError *error)
{
	fprintf (stderr, "extranoc journal %s: %s\n", command, error->message);
	return XN_EXIT_FAILED;
}

/* Parses options; on a usage error prints it and returns FALSE. */
static gboolean
parse_args (const char *command, const char *params, const char *summary,
	    const GOptionEntry *entries, int *argc, char ***argv)
{
	g_autofree char *prgname = g_strdup_printf ("extranoc journal %s", command);
	g_autoptr(GOptionContext) context = g_option_context_new (params);
	g_autoptr(GError) error = NULL;

	g_set_prgname (prgname);
	g_option_context_set_summary (context, summary);
	g_option_context_add_main_entries (context, entries, NULL);
	if (!g_option_context_parse (context, argc, argv, &error)) {
		fprintf (stderr, "extranoc journal %s: %s\n", command, error->message);
		return FALSE;
	}
	return TRUE;
}

typedef struct {
	FILE *out;
	guint64 count;
} Print;

static gboolean
print_fact (const XnFact *fact, gpointer user_data, GError **error)
{
	Print *print = user_data;
	g_autofree char *line = xn_fact_to_json_line (fact);

	if (fputs (line, print->out) == EOF || putc ('\n', print->out) == EOF) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "writing: %s", g_strerror (errno));
		return FALSE;
	}
	print->count++;
	return TRUE;
}

static gboolean
finish_output (FILE *out, const char *name, gboolean sync, GError **error)
{
	if (fflush (out) != 0 || ferror (out) || (sync && fsync (fileno (out)) != 0)) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s: writing: %s", name, g_strerror (errno));
		return FALSE;
	}
	return TRUE;
}

/* Devices, pipes and symbolic links are written in place: renaming over them
 * would replace the device node or the link itself. */
static gboolean
export_in_place (XnJournal *journal, gint64 after_seq, const char *path, GError **error)
{
	Print print = { fopen (path, "w"), 0 };
	gboolean ok;

	if (print.out == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s: %s", path, g_strerror (errno));
		return FALSE;
	}
	ok = xn_journal_foreach (journal, after_seq, 0, print_fact, &print, error) &&
	     finish_output (print.out, path, FALSE, error);
	if (fclose (print.out) != 0 && ok) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s: writing: %s", path, g_strerror (errno));
		ok = FALSE;
	}
	return ok;
}

static gboolean
export_to_file (XnJournal *journal, gint64 after_seq, const char *path, GError **error)
{
	g_autofree char *tmp = g_strdup_printf ("%s.XXXXXX", path);
	Print print = { NULL, 0 };
	GStatBuf st;
	gboolean ok;
	int fd;

	if (g_lstat (path, &st) == 0 && !S_ISREG (st.st_mode))
		return export_in_place (journal, after_seq, path, error);
	/* 0666 so the umask decides, as for any file the user creates. */
	fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0666);
	if (fd < 0 || (print.out = fdopen (fd, "w")) == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s: %s", path, g_strerror (errno));
		if (fd >= 0) {
			close (fd);
			g_unlink (tmp);
		}
		return FALSE;
	}
	ok = xn_journal_foreach (journal, after_seq, 0, print_fact, &print, error) &&
	     finish_output (print.out, path, TRUE, error);
	if (fclose (print.out) != 0 && ok) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s: writing: %s", path, g_strerror (errno));
		ok = FALSE;
	}
	if (ok && rename (tmp, path) != 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "renaming %s to %s: %s", tmp, path, g_strerror (errno));
		ok = FALSE;
	}
	if (!ok)
		g_unlink (tmp);
	return ok;
}

static int
cmd_export (int argc, char **argv)
{
	g_autofree char *db = NULL;
	g_autofree char *output = NULL;
	g_autoptr(XnJournal) journal = NULL;
	g_autoptr(GError) error = NULL;
	gint64 after_seq = 0;
	const GOptionEntry entries[] = {
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &db, DB_HELP, "PATH" },
		{ "after-seq", 0, 0, G_OPTION_ARG_INT64, &after_seq, "only facts with a seq above N", "N" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
		  "write to FILE, replaced only when complete (default: standard output)", "FILE" },
		G_OPTION_ENTRY_NULL
	};

	if (!parse_args ("export", NULL, "Write facts as JSON lines, in seq order.", entries, &argc, &argv))
		return XN_EXIT_USAGE;
	if (argc > 1) {
		fprintf (stderr, "extranoc journal export: unexpected argument '%s'\n", argv[1]);
		return XN_EXIT_USAGE;
	}
	if (after_seq < 0) {
		fprintf (stderr, "extranoc journal export: --after-seq must not be negative\n");
		return XN_EXIT_USAGE;
	}
	journal = xn_journal_open (db_location (db), XN_JOURNAL_OPEN_EXISTING, &error);
	if (journal == NULL)
		return fail ("export", error);
	if (output != NULL) {
		if (!export_to_file (journal, after_seq, output, &error))
			return fail ("export", error);
	} else {
		Print print = { stdout, 0 };

		if (!xn_journal_foreach (journal, after_seq, 0, print_fact, &print, &error) ||
		    !finish_output (stdout, "standard output", FALSE, &error))
			return fail ("export", error);
	}
	return XN_EXIT_OK;
}

static GInputStream *
read_input (const char *path, const char **name, GError **error)
{
	g_autoptr(GByteArray) data = g_byte_array_new ();
	gboolean is_stdin = strcmp (path, "-") == 0;
	FILE *in = is_stdin ? stdin : fopen (path, "rb");
	guint8 chunk[65536];
	size_t n;

	*name = is_stdin ? "stdin" : path;
	if (in == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_NOT_FOUND, "%s: %s", path, g_strerror (errno));
		return NULL;
	}
	while ((n = fread (chunk, 1, sizeof chunk, in)) > 0)
		g_byte_array_append (data, chunk, n);
	if (ferror (in)) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s: reading: %s", *name, g_strerror (errno));
		if (!is_stdin)
			fclose (in);
		return NULL;
	}
	if (!is_stdin)
		fclose (in);
	return g_memory_input_stream_new_from_bytes (g_byte_array_free_to_bytes (g_steal_pointer (&data)));
}

static int
cmd_import (int argc, char **argv)
{
	g_autofree char *db = NULL;
	g_autoptr(XnJournal) journal = NULL;
	g_autoptr(GInputStream) input = NULL;
	g_autoptr(GError) error = NULL;
	gboolean renumber = FALSE;
	const char *name;
	guint64 n = 0;
	const GOptionEntry entries[] = {
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &db, DB_HELP " (created if missing)", "PATH" },
		{ "renumber", 0, 0, G_OPTION_ARG_NONE, &renumber,
		  "ignore the seqs in the file and append the facts under new ones", NULL },
		G_OPTION_ENTRY_NULL
	};

	if (!parse_args ("import", "FILE|-", "Append the facts of a JSON-lines file (- for standard input), "
			 "all or none.", entries, &argc, &argv))
		return XN_EXIT_USAGE;
	if (argc != 2) {
		fprintf (stderr, "extranoc journal import: expected one FILE (or - for standard input)\n");
		return XN_EXIT_USAGE;
	}
	input = read_input (argv[1], &name, &error);
	if (input == NULL)
		return fail ("import", error);
	journal = xn_journal_open (db_location (db), XN_JOURNAL_OPEN_CREATE, &error);
	if (journal == NULL ||
	    !xn_journal_import (journal, input, name,
				renumber ? XN_JOURNAL_IMPORT_RENUMBER : XN_JOURNAL_IMPORT_KEEP_SEQ, &n, &error))
		return fail ("import", error);
	printf ("imported %" G_GUINT64_FORMAT " fact%s into %s\n", n, n == 1 ? "" : "s",
		xn_journal_get_location (journal));
	return XN_EXIT_OK;
}

static int
cmd_stats (int argc, char **argv)
{
	g_autofree char *db = NULL;
	g_autoptr(XnJournal) journal = NULL;
	g_autoptr(GError) error = NULL;
	XnJournalStats stats;
	const GOptionEntry entries[] = {
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &db, DB_HELP, "PATH" },
		G_OPTION_ENTRY_NULL
	};

	if (!parse_args ("stats", NULL, "Print the schema version, the number of facts and the seq range.",
			 entries, &argc, &argv))
		return XN_EXIT_USAGE;
	if (argc > 1) {
		fprintf (stderr, "extranoc journal stats: unexpected argument '%s'\n", argv[1]);
		return XN_EXIT_USAGE;
	}
	journal = xn_journal_open (db_location (db), XN_JOURNAL_OPEN_EXISTING, &error);
	if (journal == NULL || !xn_journal_stats (journal, &stats, &error))
		return fail ("stats", error);
	printf ("location: %s\nschema-version: %u\nfacts: %" G_GINT64_FORMAT "\n"
		"first-seq: %" G_GINT64_FORMAT "\nlast-seq: %" G_GINT64_FORMAT "\n",
		xn_journal_get_location (journal), stats.schema_version, stats.count,
		stats.first_seq, stats.last_seq);
	return XN_EXIT_OK;
}

static int
cmd_check (int argc, char **argv)
{
	g_autofree char *db = NULL;
	g_autoptr(XnJournal) journal = NULL;
	g_autoptr(GError) error = NULL;
	const GOptionEntry entries[] = {
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &db, DB_HELP, "PATH" },
		G_OPTION_ENTRY_NULL
	};

	if (!parse_args ("check", NULL, "Check the store's integrity; prints ok or the problems.",
			 entries, &argc, &argv))
		return XN_EXIT_USAGE;
	if (argc > 1) {
		fprintf (stderr, "extranoc journal check: unexpected argument '%s'\n", argv[1]);
		return XN_EXIT_USAGE;
	}
	journal = xn_journal_open (db_location (db), XN_JOURNAL_OPEN_EXISTING, &error);
	if (journal == NULL || !xn_journal_check (journal, &error))
		return fail ("check", error);
	printf ("ok\n");
	return XN_EXIT_OK;
}

static const XnCommand subcommands[] = {
	{ "export", cmd_export, "write facts as JSON lines" },
	{ "import", cmd_import, "append facts from JSON lines, all or none" },
	{ "stats",  cmd_stats,  "schema version, number of facts, seq range" },
	{ "check",  cmd_check,  "check the store's integrity" },
};

int
xn_cmd_journal (int argc, char **argv)
{
	return xn_cli_dispatch ("extranoc journal", subcommands, G_N_ELEMENTS (subcommands),
				"Each takes --help. See extranoc(1) and doc/journal.md.", argc, argv);
}

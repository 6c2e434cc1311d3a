/* outage-view.c — the parts the outage commands share (outage-view.h).
 *
 * The configuration comes the way the daemons take it: extranoc.conf
 * names the inventory, policy and secrets files and the journal, so a
 * replay uses exactly the topology the collector derives with. A replayed
 * journal file is read one fact at a time (storage/fact.h) and fed to the
 * outage engine (sla/outage.h) in seq order; the order rules are checked
 * here because the file, unlike a journal, can break them, and every
 * refusal names the file and the line. Outages are printed from the
 * engine's own JSON (xn_outage_to_json), so a replay and the stored state
 * print the same fields. This file reads the clock nowhere: the commands
 * pass `now`. */
#include "xn-paths.h"
#include "outage-view.h"
#include "xn-error.h"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>

XnCliSetup *
xn_cli_setup_new_default (void)
{
	XnCliSetup *setup = g_new0 (XnCliSetup, 1);

	setup->tz = xn_time_zone_new (XN_DEFAULT_TIMEZONE, NULL);
	if (setup->tz == NULL)
		setup->tz = g_time_zone_new_utc ();
	return setup;
}

XnCliSetup *
xn_cli_setup_load (const char *path, GError **error)
{
	g_autoptr(XnCliSetup) setup = g_new0 (XnCliSetup, 1);
	g_autofree char *yang_dir = NULL;

	setup->explicit = path != NULL;
	if (path == NULL)
		path = XN_SYSCONFDIR "/extranoc/extranoc.conf";
	setup->conf = xn_daemon_conf_load (path, error);
	if (setup->conf == NULL)
		return NULL;
	yang_dir = setup->conf->yang_dir != NULL ? g_strdup (setup->conf->yang_dir) : xn_config_default_yang_dir ();
	setup->config = xn_config_load (yang_dir, (const char *const *) setup->conf->config_files, error);
	if (setup->config == NULL) {
		g_prefix_error (error, "%s: ", path);
		return NULL;
	}
	setup->tz = xn_time_zone_new (xn_policy_get_timezone (xn_config_get_policy (setup->config)), error);
	if (setup->tz == NULL)
		return NULL;
	return g_steal_pointer (&setup);
}

void
xn_cli_setup_free (XnCliSetup *setup)
{
	if (setup == NULL)
		return;
	xn_config_free (setup->config);
	xn_daemon_conf_free (setup->conf);
	xn_calendar_free (setup->calendar);
	g_free (setup->calendar_dir);
	if (setup->tz != NULL)
		g_time_zone_unref (setup->tz);
	g_free (setup);
}

gboolean
xn_cli_setup_load_calendar (XnCliSetup *setup, const char *dir, GError **error)
{
	g_autoptr(XnCalendar) calendar = xn_calendar_new ();

	if (dir == NULL || *dir == '\0')
		dir = xn_calendar_default_dir ();
	if (!xn_calendar_load_dir (calendar, dir, error)) {
		g_prefix_error (error, "the working-day calendar in %s: ", dir);
		return FALSE;
	}
	xn_calendar_free (setup->calendar);
	setup->calendar = g_steal_pointer (&calendar);
	g_free (setup->calendar_dir);
	setup->calendar_dir = g_strdup (dir);
	return TRUE;
}

void
xn_cli_outage_options (const XnCliSetup *setup, XnOutageOptions *options)
{
	xn_outage_options_init (options);
	/* as extranoc-collector derives, so that a replay of its journal gives
	 * its outages, late reports included */
	options->settle = TRUE;
	options->keep_settled = TRUE;
	if (setup->config != NULL)
		options->correlation_window_us = xn_policy_correlation_window (xn_config_get_policy (setup->config));
}

const char *
xn_cli_journal_location (const char *db_option, const XnCliSetup *setup)
{
	const char *env = g_getenv ("EXTRANOC_DB");

	if (db_option != NULL)
		return db_option;
	if (setup->conf != NULL && setup->explicit)
		return setup->conf->journal;
	if (env != NULL && *env != '\0')
		return env;
	if (setup->conf != NULL)
		return setup->conf->journal;
	return XN_DEFAULT_JOURNAL;
}

/* ---- replay ---- */

/* Standard input whole: a journal piped in is read once, like a file. */
static GInputStream *
read_stdin (GError **error)
{
	g_autoptr(GByteArray) data = g_byte_array_new ();
	guint8 chunk[65536];
	size_t n;

	while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
		g_byte_array_append (data, chunk, (guint) n);
	if (ferror (stdin)) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "stdin: reading: %s", g_strerror (errno));
		return NULL;
	}
	return g_memory_input_stream_new_from_bytes (g_byte_array_free_to_bytes (g_steal_pointer (&data)));
}

static GInputStream *
open_input (const char *path, GError **error)
{
	g_autoptr(GFile) file = NULL;
	g_autoptr(GError) local = NULL;
	GFileInputStream *input;

	if (strcmp (path, "-") == 0)
		return read_stdin (error);
	file = g_file_new_for_path (path);
	input = g_file_read (file, NULL, &local);
	if (input == NULL) {
		g_set_error (error, XN_ERROR, g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
			     ? XN_ERROR_NOT_FOUND : XN_ERROR_IO, "%s: %s", path, local->message);
		return NULL;
	}
	return G_INPUT_STREAM (input);
}

typedef struct {
	const char *name;
	gint64      seq;        /* of the previous fact */
	guint       line;
} Previous;

/* The file's seqs: all or none, strictly increasing; none: line numbers. */
static gboolean
check_seq (XnFact *fact, guint line, const Previous *previous, XnReplayCounts *counts, GError **error)
{
	gboolean first = counts->read == 1;

	if (first)
		counts->line_seqs = fact->seq == 0;
	if (!first && (fact->seq == 0) != counts->line_seqs) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "%s:%u: %s, but line %u's %s (either every fact has a seq or none has)",
			     previous->name, line, fact->seq == 0 ? "no seq" : "a seq",
			     previous->line, counts->line_seqs ? "has none" : "has one");
		return FALSE;
	}
	if (counts->line_seqs)
		fact->seq = line;
	if (!first && fact->seq <= previous->seq) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "%s:%u: seq %" G_GINT64_FORMAT " is not above seq %" G_GINT64_FORMAT " of line %u"
			     " (facts are replayed in seq order, as the journal holds them)",
			     previous->name, line, fact->seq, previous->seq, previous->line);
		return FALSE;
	}
	return TRUE;
}

static gboolean
commit_step (XnDerived *store, XnOutageEngine *engine, GError **error)
{
	return xn_derived_commit_engine (store, engine, NULL, error) == XN_DERIVED_STORED;
}

gboolean
xn_cli_replay_read (const char *path, XnInstant at, XnCliFactFunc func, gpointer user_data,
		    XnReplayCounts *counts, GError **error)
{
	const char *name = strcmp (path, "-") == 0 ? "stdin" : path;
	g_autoptr(GInputStream) input = NULL;
	g_autoptr(XnFactReader) reader = NULL;
	g_autoptr(GError) local = NULL;
	Previous previous = { name, 0, 0 };
	XnFact *next;

	memset (counts, 0, sizeof *counts);
	if ((input = open_input (path, error)) == NULL)
		return FALSE;
	reader = xn_fact_reader_new (input, name);
	while ((next = xn_fact_reader_next (reader, &local)) != NULL) {
		g_autoptr(XnFact) fact = next;
		guint line = xn_fact_reader_get_line (reader);

		counts->read++;
		if (!check_seq (fact, line, &previous, counts, error))
			return FALSE;
		previous.seq = fact->seq;
		previous.line = line;
		if (fact->ts > at) {
			counts->after++;
			continue;
		}
		if (!func (fact, user_data, &local)) {
			g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s:%u: ", name, line);
			return FALSE;
		}
		if (counts->fed++ == 0)
			counts->first_seq = fact->seq;
		counts->last_seq = fact->seq;
	}
	if (local != NULL) {
		g_propagate_error (error, g_steal_pointer (&local));
		return FALSE;
	}
	return TRUE;
}

typedef struct {
	XnOutageEngine       *engine;
	XnDerived            *store;
	guint                 step;
	const XnReplayCounts *counts;
} OutageFeed;

static gboolean
feed_outage (XnFact *fact, gpointer user_data, GError **error)
{
	OutageFeed *feed = user_data;

	if (!xn_outage_engine_feed (feed->engine, fact, error))
		return FALSE;
	/* counts->fed does not count this fact yet */
	if (feed->store != NULL && feed->step > 0 && (feed->counts->fed + 1) % feed->step == 0 &&
	    !commit_step (feed->store, feed->engine, error))
		return FALSE;
	return TRUE;
}

XnOutageEngine *
xn_cli_replay (const XnInventory *inventory, const XnOutageOptions *options, const char *path, XnInstant at,
	       XnDerived *store, guint step, XnReplayCounts *counts, GError **error)
{
	g_autoptr(XnOutageEngine) engine = xn_outage_engine_new (inventory, options, error);
	OutageFeed feed = { engine, store, step, counts };

	memset (counts, 0, sizeof *counts);
	if (engine == NULL || !xn_cli_replay_read (path, at, feed_outage, &feed, counts, error))
		return NULL;
	if (at != G_MAXINT64)
		xn_outage_engine_advance (engine, at);
	if (store != NULL && !commit_step (store, engine, error))
		return NULL;
	return g_steal_pointer (&engine);
}

/* ---- printing ---- */

XnJsonOut *
xn_cli_outage_json (const XnOutage *outage)
{
	g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

	json_node_take_object (node, xn_outage_to_json (outage));
	return xn_json_out_from_node (node);
}

char *
xn_cli_duration (gint64 usec)
{
	gint64 s = MAX (usec, 0) / XN_USEC_PER_SEC;

	if (s >= 86400)
		return g_strdup_printf ("%" G_GINT64_FORMAT "d%02dh%02dm", s / 86400, (int) (s / 3600 % 24),
					(int) (s / 60 % 60));
	if (s >= 3600)
		return g_strdup_printf ("%" G_GINT64_FORMAT "h%02dm%02ds", s / 3600, (int) (s / 60 % 60), (int) (s % 60));
	if (s >= 60)
		return g_strdup_printf ("%" G_GINT64_FORMAT "m%02ds", s / 60, (int) (s % 60));
	return g_strdup_printf ("%" G_GINT64_FORMAT "s", s);
}

enum { COL_ID, COL_OBJECT, COL_START, COL_END, COL_DURATION, COL_CAUSE, COL_ROOT, COL_UNITS, N_COLS };

static const char *const headings[N_COLS] = {
	"ID", "OBJECT", "START", "END", "DURATION", "CAUSE", "ROOT", "UNITS",
};

static GStrv
outage_cells (const XnOutage *outage, GTimeZone *tz, XnInstant now)
{
	gboolean open = xn_outage_is_open (outage);
	const char *root = xn_outage_current_root (outage);
	GStrv cells = g_new0 (char *, N_COLS + 1);

	cells[COL_ID] = g_strdup (outage->id);
	cells[COL_OBJECT] = g_strdup (outage->object);
	cells[COL_START] = xn_time_format (outage->start, tz);
	cells[COL_END] = open ? g_strdup ("open") : xn_time_format (outage->end, tz);
	cells[COL_DURATION] = xn_cli_duration ((open ? now : outage->end) - outage->start);
	cells[COL_CAUSE] = g_strdup (outage->cause);
	cells[COL_ROOT] = g_strdup (strcmp (root, outage->id) == 0 ? "-" : root);
	cells[COL_UNITS] = outage->units[0] != NULL ? g_strjoinv (",", outage->units) : g_strdup ("-");
	return cells;
}

/* Pads by characters, not bytes: cells may hold Chinese names. */
static void
print_cell (FILE *out, const char *text, glong width, gboolean last)
{
	fputs (text, out);
	if (last)
		return;
	for (glong n = g_utf8_strlen (text, -1); n < width + 2; n++)
		putc (' ', out);
}

void
xn_cli_print_table (FILE *out, const char *const *titles, guint n_cols, const GPtrArray *rows)
{
	g_autofree glong *widths = g_new0 (glong, n_cols);

	for (guint c = 0; c < n_cols; c++)
		widths[c] = g_utf8_strlen (titles[c], -1);
	for (guint i = 0; i < rows->len; i++) {
		char **cells = g_ptr_array_index (rows, i);

		for (guint c = 0; c < n_cols; c++)
			widths[c] = MAX (widths[c], g_utf8_strlen (cells[c], -1));
	}
	for (guint c = 0; c < n_cols; c++)
		print_cell (out, titles[c], widths[c], c == n_cols - 1);
	putc ('\n', out);
	for (guint i = 0; i < rows->len; i++) {
		char **cells = g_ptr_array_index (rows, i);

		for (guint c = 0; c < n_cols; c++)
			print_cell (out, cells[c], widths[c], c == n_cols - 1);
		putc ('\n', out);
	}
}

void
xn_cli_print_outages (FILE *out, const GPtrArray *outages, GTimeZone *tz, XnInstant now)
{
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

	for (guint i = 0; i < outages->len; i++)
		g_ptr_array_add (rows, outage_cells (g_ptr_array_index (outages, i), tz, now));
	xn_cli_print_table (out, headings, N_COLS, rows);
}

gboolean
xn_cli_parse_instant (const char *command, const char *option, const char *text, GTimeZone *tz, XnInstant *out)
{
	g_autoptr(GError) error = NULL;

	if (!xn_time_parse (text, tz, out, &error)) {
		fprintf (stderr, "extranoc %s: %s: %s\n", command, option, error->message);
		return FALSE;
	}
	return TRUE;
}

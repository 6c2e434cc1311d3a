/* cmd-outages.c — `extranoc outages [--open] [--since T] [--json]`.
 *
 * Shows the outages the collector has derived, as stored beside the
 * journal (storage/derived.h): a table for people, or one JSON document
 * with sorted keys whose outages are exactly what `extranoc replay --json`
 * prints for the same facts. It reads only: it never creates a journal or
 * derived tables and never runs the engine, so what it shows is what the
 * collector committed last; when the journal holds facts past that
 * position it says so, and when the policy of the extranoc.conf named with
 * --config has another correlation window than the one the outages were
 * derived with, it says that too (the collector derives them again with
 * the policy's when it next starts or reloads). The journal is --db, else
 * that of the extranoc.conf named with --config, else $EXTRANOC_DB, else
 * the default. --now (hidden) fixes the instant open outages' durations
 * run to, for tests. */
#include "commands.h"
#include "outage-view.h"
#include "period.h"
#include "xn-error.h"

#include <stdio.h>
#include <string.h>

#define CMD "outages"

static int
fail (const GError *error)
{
	fprintf (stderr, "extranoc " CMD ": %s\n", error->message);
	return XN_EXIT_FAILED;
}

static int
usage (const char *message)
{
	fprintf (stderr, "extranoc " CMD ": %s\n"
		 "usage: extranoc outages [--config CONF] [--db PATH] [--open] [--since ISO8601|DATE] [--json]\n",
		 message);
	return XN_EXIT_USAGE;
}

/* An instant, or a date meaning its first instant in `tz`. */
static gboolean
parse_since (const char *text, GTimeZone *tz, XnInstant *out)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnPeriod) day = NULL;

	if (xn_time_parse (text, tz, out, NULL))
		return TRUE;
	day = xn_period_parse (text, tz, &error);
	if (day == NULL || day->kind != XN_PERIOD_DAY) {
		fprintf (stderr, "extranoc " CMD ": --since: '%s' is neither an ISO 8601 instant nor a date\n", text);
		return FALSE;
	}
	*out = day->start;
	return TRUE;
}

/* The journal's last seq, to tell whether the derivation is behind; 0
 * when it cannot be read (the outages are still worth showing). */
static gint64
journal_last_seq (const char *location)
{
	g_autoptr(XnJournal) journal = xn_journal_open (location, XN_JOURNAL_OPEN_EXISTING, NULL);
	gint64 last = 0;

	if (journal == NULL || !xn_journal_last_seq (journal, &last, NULL))
		return 0;
	return last;
}

static char *
print_json (const GPtrArray *outages, const XnDerivedInfo *info, gint64 journal_seq)
{
	g_autoptr(XnJsonOut) doc = xn_json_out_object ();
	XnJsonOut *list = xn_json_out_array ();

	xn_json_out_set (doc, "last_seq", xn_json_out_int (info->last_seq));
	xn_json_out_set (doc, "journal_last_seq", xn_json_out_int (journal_seq));
	xn_json_out_set (doc, "derived_at", info->now == G_MININT64 ? xn_json_out_null ()
							       : xn_json_out_instant (info->now));
	xn_json_out_set (doc, "correlation_window_s", info->window_us < 0 ? xn_json_out_null ()
					       : xn_json_out_int (info->window_us / XN_USEC_PER_SEC));
	for (guint i = 0; i < outages->len; i++)
		xn_json_out_add (list, xn_cli_outage_json (g_ptr_array_index (outages, i)));
	xn_json_out_set (doc, "outages", list);
	return xn_json_out_print (doc);
}

static void
print_text (const char *location, const GPtrArray *outages, const XnDerivedInfo *info, gint64 journal_seq,
	    const XnCliSetup *setup, XnInstant now)
{
	GTimeZone *tz = setup->tz;
	g_autofree char *at = info->now == G_MININT64 ? g_strdup ("-") : xn_time_format (info->now, tz);
	guint open = 0;

	for (guint i = 0; i < outages->len; i++)
		open += xn_outage_is_open (g_ptr_array_index (outages, i));
	printf ("%s: derived up to seq %" G_GINT64_FORMAT " (as of %s)", location, info->last_seq, at);
	if (journal_seq > info->last_seq)
		printf ("; the journal goes on to seq %" G_GINT64_FORMAT ": extranoc-collector is behind or not running",
			journal_seq);
	if (setup->config != NULL && info->window_us >= 0) {
		gint64 policy = xn_policy_correlation_window (xn_config_get_policy (setup->config));

		if (policy != info->window_us)
			printf ("\nderived with a correlation window of %" G_GINT64_FORMAT " s; the policy says %"
				G_GINT64_FORMAT " s: extranoc-collector derives again with it when it next starts or reloads",
				info->window_us / XN_USEC_PER_SEC, policy / XN_USEC_PER_SEC);
	}
	printf ("\n%u outage%s shown, %u open; %u stored, %u open\n", outages->len, outages->len == 1 ? "" : "s",
		open, info->outages, info->open);
	if (outages->len == 0)
		return;
	putchar ('\n');
	xn_cli_print_outages (stdout, outages, tz, now);
}

int
xn_cmd_outages (int argc, char **argv)
{
	g_autofree char *conf_path = NULL, *db = NULL, *since_text = NULL, *now_text = NULL;
	gboolean json = FALSE, open_only = FALSE;
	const GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf_path,
		  "extranoc.conf: its journal and its policy's time zone", "CONF" },
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &db,
		  "the journal (default: --config's, else $EXTRANOC_DB, else the installed default)", "PATH" },
		{ "open", 0, 0, G_OPTION_ARG_NONE, &open_only, "only outages still open", NULL },
		{ "since", 0, 0, G_OPTION_ARG_STRING, &since_text,
		  "only outages open at or after T (an instant, or a date: from its midnight)", "T" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print one JSON document", NULL },
		{ "now", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &now_text, NULL, NULL },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context = g_option_context_new (NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(XnCliSetup) setup = NULL;
	g_autoptr(XnDerived) store = NULL;
	g_autoptr(GPtrArray) outages = NULL;
	XnDerivedFilter filter = XN_DERIVED_FILTER_ALL;
	XnDerivedInfo info;
	XnInstant now = xn_time_now ();
	const char *location;

	g_option_context_set_summary (context, "Show the outages extranoc-collector has derived from the journal.");
	g_option_context_add_main_entries (context, entries, NULL);
	if (!g_option_context_parse (context, &argc, &argv, &error))
		return usage (error->message);
	if (argc > 1)
		return usage ("unexpected argument (every value goes with its option)");
	setup = conf_path != NULL ? xn_cli_setup_load (conf_path, &error) : xn_cli_setup_new_default ();
	if (setup == NULL)
		return fail (error);
	if (since_text != NULL && !parse_since (since_text, setup->tz, &filter.since))
		return XN_EXIT_USAGE;
	if (now_text != NULL && !xn_cli_parse_instant (CMD, "--now", now_text, setup->tz, &now))
		return XN_EXIT_USAGE;
	filter.open_only = open_only;
	location = xn_cli_journal_location (db, setup);
	store = xn_derived_open (location, XN_DERIVED_OPEN_EXISTING, &error);
	if (store == NULL || (outages = xn_derived_list (store, &filter, &info, &error)) == NULL)
		return fail (error);
	if (json) {
		g_autofree char *text = print_json (outages, &info, journal_last_seq (location));

		fputs (text, stdout);
	} else {
		print_text (location, outages, &info, journal_last_seq (location), setup, now);
	}
	return XN_EXIT_OK;
}

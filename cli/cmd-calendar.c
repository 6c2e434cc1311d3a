/* cmd-calendar.c — `extranoc calendar`: ask the working-day calendar.
 *
 * Three subcommands: is-working-day DATE, notice-deadline (the latest instant
 * a maintenance notice can be filed) and list YEAR (the special days of a
 * year, in the data file's own format). Each loads the whole calendar
 * directory, so a broken or missing year file is reported even when the date
 * asked about does not need it: an operator learns of it now, not when the
 * collector trips over it. The calendar itself is lib/calendar.c; this file
 * only parses arguments and prints. Where the directory is: --calendar-dir,
 * else $EXTRANOC_CALENDAR_DIR, else the installed data directory. */
#include "commands.h"

#include "calendar.h"
#include "xn-error.h"
#include "xn-time.h"

#include <stdio.h>
#include <string.h>

static int
fail (const char *subcommand, const char *dir, const GError *error)
{
	fprintf (stderr, "extranoc calendar %s: %s\n", subcommand, error->message);
	if (g_error_matches (error, XN_ERROR, XN_ERROR_NO_CALENDAR))
		fprintf (stderr, "extranoc calendar %s: the calendar files are in %s; "
			 "a year is added by dropping its file there\n", subcommand, dir);
	return XN_EXIT_FAILED;
}

static int
usage_error (const char *subcommand, const char *message)
{
	fprintf (stderr, "extranoc calendar %s: %s\n"
		 "Try 'extranoc calendar %s --help'.\n", subcommand, message, subcommand);
	return XN_EXIT_USAGE;
}

/* Parses a copy of argv, so GOption may drop what it consumed; `args` keeps
 * the subcommand's name and its positional arguments. */
static gboolean
parse_options (GOptionContext *ctx, int argc, char **argv, GStrv *args, GError **error)
{
	g_auto(GStrv) copy = g_new0 (char *, argc + 1);

	for (int i = 0; i < argc; i++)
		copy[i] = g_strdup (argv[i]);
	if (!g_option_context_parse_strv (ctx, &copy, error))
		return FALSE;
	*args = g_steal_pointer (&copy);
	return TRUE;
}

/* Sets *dir to where the calendar was looked for, for messages. */
static XnCalendar *
load_calendar (const char *option, const char **dir, GError **error)
{
	g_autoptr(XnCalendar) cal = xn_calendar_new ();

	*dir = option != NULL && *option != '\0' ? option : xn_calendar_default_dir ();
	if (!xn_calendar_load_dir (cal, *dir, error))
		return NULL;
	return g_steal_pointer (&cal);
}

#define CALENDAR_DIR_OPTION(var) \
	{ "calendar-dir", 'C', 0, G_OPTION_ARG_FILENAME, (var), \
	  "Read the calendar files (*.txt) from DIR", "DIR" }

static int
cmd_is_working_day (int argc, char **argv)
{
	g_autofree char *dir = NULL;
	const GOptionEntry entries[] = {
		CALENDAR_DIR_OPTION (&dir),
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new ("DATE");
	g_autoptr(XnCalendar) cal = NULL;
	const char *where = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) args = NULL;
	const char *name = NULL;
	gboolean working;
	GDate date;

	g_option_context_set_summary (ctx, "Prints 'working' or 'off' for DATE (YYYY-MM-DD), "
				      "followed by the holiday or 调休 name when the schedule gives one.");
	g_option_context_add_main_entries (ctx, entries, NULL);
	if (!parse_options (ctx, argc, argv, &args, &error))
		return usage_error (argv[0], error->message);
	if (g_strv_length (args) != 2)
		return usage_error (argv[0], "expected exactly one DATE");
	if (!xn_calendar_parse_date (args[1], &date, &error))
		return usage_error (argv[0], error->message);

	cal = load_calendar (dir, &where, &error);
	if (cal == NULL || !xn_calendar_is_working_day (cal, &date, &working, &name, &error))
		return fail (argv[0], where, error);
	if (name != NULL)
		printf ("%s %s\n", working ? "working" : "off", name);
	else
		printf ("%s\n", working ? "working" : "off");
	return XN_EXIT_OK;
}

static int
cmd_notice_deadline (int argc, char **argv)
{
	g_autofree char *dir = NULL;
	g_autofree char *days_text = NULL;
	g_autofree char *start_text = NULL;
	g_autofree char *zone = NULL;
	const GOptionEntry entries[] = {
		CALENDAR_DIR_OPTION (&dir),
		{ "working-days", 'n', 0, G_OPTION_ARG_STRING, &days_text,
		  "Working days of notice the rule asks for (required)", "N" },
		{ "start", 's', 0, G_OPTION_ARG_STRING, &start_text,
		  "When the work starts, ISO 8601 (required)", "ISO8601" },
		{ "tz", 0, 0, G_OPTION_ARG_STRING, &zone,
		  "Time zone of the working days and of the output (default " XN_DEFAULT_TIMEZONE ")",
		  "ZONE" },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new ("");
	g_autoptr(XnCalendar) cal = NULL;
	const char *where = NULL;
	g_autoptr(GTimeZone) tz = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) args = NULL;
	g_autofree char *text = NULL;
	XnInstant start;
	XnInstant deadline;
	guint64 days;

	g_option_context_set_summary (ctx, "Prints the latest instant a notice for work starting at "
				      "--start may be filed: 24:00 of the N-th working day before the "
				      "day the work starts.");
	g_option_context_add_main_entries (ctx, entries, NULL);
	if (!parse_options (ctx, argc, argv, &args, &error))
		return usage_error (argv[0], error->message);
	if (g_strv_length (args) != 1)
		return usage_error (argv[0], "takes no arguments besides its options");
	if (days_text == NULL || start_text == NULL)
		return usage_error (argv[0], "--working-days and --start are required");
	if (!g_ascii_string_to_unsigned (days_text, 10, 0, G_MAXINT, &days, NULL)) {
		g_autofree char *message =
			g_strdup_printf ("--working-days: '%s' is not a whole number from 0 to %d",
					 days_text, G_MAXINT);
		return usage_error (argv[0], message);
	}
	tz = xn_time_zone_new (zone != NULL ? zone : XN_DEFAULT_TIMEZONE, &error);
	if (tz == NULL || !xn_time_parse (start_text, tz, &start, &error))
		return usage_error (argv[0], error->message);

	cal = load_calendar (dir, &where, &error);
	if (cal == NULL || !xn_calendar_notice_deadline (cal, start, (guint) days, tz, &deadline, &error))
		return fail (argv[0], where, error);
	text = xn_time_format (deadline, tz);
	printf ("%s\n", text);
	return XN_EXIT_OK;
}

static int
cmd_list (int argc, char **argv)
{
	g_autofree char *dir = NULL;
	const GOptionEntry entries[] = {
		CALENDAR_DIR_OPTION (&dir),
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new ("YEAR");
	g_autoptr(XnCalendar) cal = NULL;
	const char *where = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) args = NULL;
	guint64 year;
	GDate day;

	g_option_context_set_summary (ctx, "Prints the days of YEAR that the schedule names, "
				      "as 'YYYY-MM-DD off|work NAME' lines.");
	g_option_context_add_main_entries (ctx, entries, NULL);
	if (!parse_options (ctx, argc, argv, &args, &error))
		return usage_error (argv[0], error->message);
	if (g_strv_length (args) != 2)
		return usage_error (argv[0], "expected exactly one YEAR");
	if (strlen (args[1]) != 4 || !g_ascii_string_to_unsigned (args[1], 10, 1, 9999, &year, NULL))
		return usage_error (argv[0], "YEAR must be four digits, e.g. 2025");

	cal = load_calendar (dir, &where, &error);
	if (cal == NULL)
		return fail (argv[0], where, error);
	g_date_clear (&day, 1);
	for (g_date_set_dmy (&day, 1, G_DATE_JANUARY, (GDateYear) year);
	     g_date_get_year (&day) == year; g_date_add_days (&day, 1)) {
		const char *name;
		gboolean working;

		if (!xn_calendar_is_working_day (cal, &day, &working, &name, &error))
			return fail (argv[0], where, error);
		if (name != NULL)
			printf ("%04u-%02u-%02u %s %s\n", g_date_get_year (&day), g_date_get_month (&day),
				g_date_get_day (&day), working ? "work" : "off", name);
	}
	return XN_EXIT_OK;
}

static const XnCommand calendar_commands[] = {
	{ "is-working-day",  cmd_is_working_day,  "DATE: working or off, with the holiday's name" },
	{ "notice-deadline", cmd_notice_deadline, "--working-days N --start ISO8601 [--tz ZONE]" },
	{ "list",            cmd_list,            "YEAR: the holidays and 调休 days of a year" },
};

int
xn_cmd_calendar (int argc, char **argv)
{
	return xn_cli_dispatch ("extranoc calendar", calendar_commands, G_N_ELEMENTS (calendar_commands),
				"'extranoc calendar COMMAND --help' describes its options. See extranoc(1).",
				argc, argv);
}

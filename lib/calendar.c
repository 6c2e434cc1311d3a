/* calendar.c — the working-day calendar: year files in, working days out.
 *
 * A year file lists only the days that break the Monday-to-Friday rule; the
 * parser checks that each really does (an `off` weekday, a `work` weekend day),
 * that it lies in the year the file declares and that it is listed once, and
 * reports the first fault as FILE:LINE. Loading is all or nothing, so a broken
 * new file never leaves half a year behind. Lookups are a hash on the Julian
 * day; arithmetic walks one GDate day at a time, which is fast enough for the
 * few days a notice spans and stops at the first year that has no schedule.
 * This file knows nothing of where the files live (the CLI and daemons decide)
 * and never reads the clock: instants come in as arguments. */
#include "xn-paths.h"
#include "calendar.h"
#include "xn-error.h"

#include <string.h>

struct _XnCalendar {
	GHashTable *years;      /* year → source that declared it (char *) */
	GHashTable *days;       /* Julian day → XnSpecialDay, all years merged */
};

typedef struct {
	gboolean working;
	char *name;
	guint line;             /* where it was listed, for duplicate reports */
} XnSpecialDay;

/* One parsed file, not yet part of a calendar. */
typedef struct {
	guint year;
	guint year_line;
	char *source;
	GHashTable *days;       /* Julian day → XnSpecialDay */
} XnYearSchedule;

static const char *const weekday_names[] = {
	[G_DATE_MONDAY] = "Monday", [G_DATE_TUESDAY] = "Tuesday",
	[G_DATE_WEDNESDAY] = "Wednesday", [G_DATE_THURSDAY] = "Thursday",
	[G_DATE_FRIDAY] = "Friday", [G_DATE_SATURDAY] = "Saturday",
	[G_DATE_SUNDAY] = "Sunday",
};

static void
special_day_free (XnSpecialDay *day)
{
	g_free (day->name);
	g_free (day);
}

static void
year_schedule_free (XnYearSchedule *sched)
{
	g_free (sched->source);
	g_hash_table_unref (sched->days);
	g_free (sched);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnYearSchedule, year_schedule_free)

static GHashTable *
special_days_new (void)
{
	return g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
				      (GDestroyNotify) special_day_free);
}

static gboolean
is_weekend (const GDate *date)
{
	return g_date_get_weekday (date) >= G_DATE_SATURDAY;
}

static char *
date_to_string (const GDate *date)
{
	return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date),
				g_date_get_month (date), g_date_get_day (date));
}

XnCalendar *
xn_calendar_new (void)
{
	XnCalendar *cal = g_new0 (XnCalendar, 1);

	cal->years = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
	cal->days = special_days_new ();
	return cal;
}

void
xn_calendar_free (XnCalendar *cal)
{
	if (cal == NULL)
		return;
	g_hash_table_unref (cal->years);
	g_hash_table_unref (cal->days);
	g_free (cal);
}

gboolean
xn_calendar_parse_date (const char *text, GDate *date, GError **error)
{
	static const char shape[] = "dddd-dd-dd";
	guint year, month, day;

	for (gsize i = 0; i < sizeof shape; i++) {
		gboolean ok = shape[i] == 'd' ? g_ascii_isdigit (text[i]) : text[i] == shape[i];

		if (!ok)
			goto invalid;
	}
	year = (guint) g_ascii_strtoull (text, NULL, 10);
	month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
	day = (guint) g_ascii_strtoull (text + 8, NULL, 10);
	if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
		goto invalid;
	g_date_clear (date, 1);
	g_date_set_dmy (date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
	return TRUE;

invalid:
	g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
		     "'%s' is not a date (expected YYYY-MM-DD, e.g. 2025-01-26)", text);
	return FALSE;
}

static gboolean G_GNUC_PRINTF (4, 5)
line_error (GError **error, const char *source, guint line, const char *format, ...)
{
	g_autofree char *message = NULL;
	va_list args;

	va_start (args, format);
	message = g_strdup_vprintf (format, args);
	va_end (args);
	g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s:%u: %s", source, line, message);
	return FALSE;
}

/* Cuts the next blank-separated field out of *cursor. */
static char *
next_field (char **cursor)
{
	char *start = *cursor;
	char *p = start;

	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	if (*p != '\0') {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
	}
	*cursor = p;
	return start;
}

static gboolean
parse_year_line (XnYearSchedule *sched, guint line, char *rest, GError **error)
{
	guint64 year;

	if (sched->year != 0)
		return line_error (error, sched->source, line,
				   "second 'year' line (year %u was declared at line %u)",
				   sched->year, sched->year_line);
	if (strlen (rest) != 4 || !g_ascii_string_to_unsigned (rest, 10, 1, 9999, &year, NULL))
		return line_error (error, sched->source, line,
				   "expected 'year YYYY', got 'year %s'", rest);
	sched->year = (guint) year;
	sched->year_line = line;
	return TRUE;
}

static gboolean
parse_day_line (XnYearSchedule *sched, guint line, const char *date_text,
		char *rest, GError **error)
{
	const char *kind;
	const char *name;
	XnSpecialDay *day;
	XnSpecialDay *first;
	GDate date;
	gboolean working;

	if (!xn_calendar_parse_date (date_text, &date, error)) {
		g_prefix_error (error, "%s:%u: ", sched->source, line);
		return FALSE;
	}
	if (sched->year == 0)
		return line_error (error, sched->source, line,
				   "%s comes before the 'year YYYY' line", date_text);
	if (g_date_get_year (&date) != sched->year)
		return line_error (error, sched->source, line,
				   "%s is outside year %u declared at line %u "
				   "(each date belongs in the file of its own year)",
				   date_text, sched->year, sched->year_line);
	kind = next_field (&rest);
	name = rest;
	if (!g_str_equal (kind, "off") && !g_str_equal (kind, "work"))
		return line_error (error, sched->source, line,
				   "expected 'off' or 'work' after %s, got '%s'", date_text, kind);
	working = g_str_equal (kind, "work");
	if (*name == '\0')
		return line_error (error, sched->source, line,
				   "%s %s has no name (e.g. 春节, 春节调休)", date_text, kind);
	/* A listed day must change something: this catches a date typed wrong. */
	if (working && !is_weekend (&date))
		return line_error (error, sched->source, line,
				   "%s is a %s, a working day anyway: 'work' marks a Saturday or Sunday (调休)",
				   date_text, weekday_names[g_date_get_weekday (&date)]);
	if (!working && is_weekend (&date))
		return line_error (error, sched->source, line,
				   "%s is a %s, a day off anyway: 'off' marks a Monday to Friday",
				   date_text, weekday_names[g_date_get_weekday (&date)]);
	first = g_hash_table_lookup (sched->days, GUINT_TO_POINTER (g_date_get_julian (&date)));
	if (first != NULL)
		return line_error (error, sched->source, line,
				   "%s is listed twice (first at line %u)", date_text, first->line);

	day = g_new0 (XnSpecialDay, 1);
	day->working = working;
	day->name = g_strdup (name);
	day->line = line;
	g_hash_table_insert (sched->days, GUINT_TO_POINTER (g_date_get_julian (&date)), day);
	return TRUE;
}

static gboolean
parse_line (XnYearSchedule *sched, guint line, char *text, GError **error)
{
	char *rest = g_strstrip (text);
	const char *first;

	if (*rest == '\0' || *rest == '#')
		return TRUE;
	first = next_field (&rest);
	if (g_str_equal (first, "year"))
		return parse_year_line (sched, line, rest, error);
	if (g_ascii_isdigit (*first))
		return parse_day_line (sched, line, first, rest, error);
	return line_error (error, sched->source, line,
			   "expected 'year YYYY' or 'YYYY-MM-DD off|work NAME', got '%s'", first);
}

static XnYearSchedule *
parse_schedule (const char *source, const char *data, gsize length, GError **error)
{
	g_autoptr(XnYearSchedule) sched = g_new0 (XnYearSchedule, 1);
	const char *p = data;
	const char *end = data + length;
	guint line = 0;

	sched->source = g_strdup (source);
	sched->days = special_days_new ();
	while (p < end) {
		const char *newline = memchr (p, '\n', (gsize) (end - p));
		const char *eol = newline != NULL ? newline : end;
		g_autofree char *text = NULL;

		line++;
		if (!g_utf8_validate_len (p, (gsize) (eol - p), NULL)) {
			line_error (error, source, line, "not valid UTF-8 text");
			return NULL;
		}
		text = g_strndup (p, (gsize) (eol - p));
		if (!parse_line (sched, line, text, error))
			return NULL;
		p = newline != NULL ? newline + 1 : end;
	}
	if (sched->year == 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "%s: no 'year YYYY' line: a calendar file must say which year it covers",
			     source);
		return NULL;
	}
	return g_steal_pointer (&sched);
}

/* `pending` holds schedules parsed in the same load, not yet merged. */
static gboolean
check_year_is_new (const XnCalendar *cal, GPtrArray *pending,
		   const XnYearSchedule *sched, GError **error)
{
	const char *other = g_hash_table_lookup (cal->years, GUINT_TO_POINTER (sched->year));

	for (guint i = 0; other == NULL && i < pending->len; i++) {
		const XnYearSchedule *p = g_ptr_array_index (pending, i);

		if (p->year == sched->year)
			other = p->source;
	}
	if (other != NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "%s:%u: year %u is already loaded from %s",
			     sched->source, sched->year_line, sched->year, other);
		return FALSE;
	}
	return TRUE;
}

static void
merge_schedule (XnCalendar *cal, XnYearSchedule *sched)
{
	GHashTableIter iter;
	gpointer julian;
	gpointer day;

	g_hash_table_iter_init (&iter, sched->days);
	while (g_hash_table_iter_next (&iter, &julian, &day)) {
		g_hash_table_iter_steal (&iter);
		g_hash_table_insert (cal->days, julian, day);
	}
	g_hash_table_insert (cal->years, GUINT_TO_POINTER (sched->year),
			     g_steal_pointer (&sched->source));
}

gboolean
xn_calendar_load_data (XnCalendar *cal, const char *source,
		       const char *data, gssize length, GError **error)
{
	g_autoptr(GPtrArray) none = g_ptr_array_new ();
	g_autoptr(XnYearSchedule) sched = NULL;

	sched = parse_schedule (source, data, length < 0 ? strlen (data) : (gsize) length, error);
	if (sched == NULL || !check_year_is_new (cal, none, sched, error))
		return FALSE;
	merge_schedule (cal, sched);
	return TRUE;
}

static gboolean
read_file (const char *path, char **contents, gsize *length, GError **error)
{
	g_autoptr(GError) local = NULL;

	if (!g_file_get_contents (path, contents, length, &local)) {
		g_set_error (error, XN_ERROR,
			     g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
			     ? XN_ERROR_NOT_FOUND : XN_ERROR_IO,
			     "cannot read calendar file: %s", local->message);
		return FALSE;
	}
	return TRUE;
}

gboolean
xn_calendar_load_file (XnCalendar *cal, const char *path, GError **error)
{
	g_autofree char *contents = NULL;
	gsize length;

	if (!read_file (path, &contents, &length, error))
		return FALSE;
	return xn_calendar_load_data (cal, path, contents, (gssize) length, error);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

gboolean
xn_calendar_load_dir (XnCalendar *cal, const char *dir, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(GDir) handle = g_dir_open (dir, 0, &local);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
	g_autoptr(GPtrArray) pending =
		g_ptr_array_new_with_free_func ((GDestroyNotify) year_schedule_free);
	const char *name;

	if (handle == NULL) {
		g_set_error (error, XN_ERROR,
			     g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
			     ? XN_ERROR_NOT_FOUND : XN_ERROR_IO,
			     "cannot open calendar directory: %s", local->message);
		return FALSE;
	}
	/* Dot files are editor locks and backups, not schedules. */
	while ((name = g_dir_read_name (handle)) != NULL) {
		if (name[0] != '.' && g_str_has_suffix (name, ".txt"))
			g_ptr_array_add (names, g_strdup (name));
	}
	if (names->len == 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_NOT_FOUND,
			     "%s: no calendar files (*.txt) in this directory", dir);
		return FALSE;
	}
	g_ptr_array_sort (names, compare_names);

	for (guint i = 0; i < names->len; i++) {
		g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
		g_autofree char *contents = NULL;
		g_autoptr(XnYearSchedule) sched = NULL;
		gsize length;

		if (!read_file (path, &contents, &length, error))
			return FALSE;
		sched = parse_schedule (path, contents, length, error);
		if (sched == NULL || !check_year_is_new (cal, pending, sched, error))
			return FALSE;
		g_ptr_array_add (pending, g_steal_pointer (&sched));
	}
	for (guint i = 0; i < pending->len; i++)
		merge_schedule (cal, g_ptr_array_index (pending, i));
	return TRUE;
}

gboolean
xn_calendar_is_working_day (const XnCalendar *cal, const GDate *date,
			    gboolean *working, const char **name, GError **error)
{
	const XnSpecialDay *day;

	g_return_val_if_fail (g_date_valid (date), FALSE);

	if (!g_hash_table_contains (cal->years, GUINT_TO_POINTER (g_date_get_year (date)))) {
		g_autofree char *text = date_to_string (date);

		g_set_error (error, XN_ERROR, XN_ERROR_NO_CALENDAR,
			     "no working-day schedule loaded for %u (needed for %s)",
			     g_date_get_year (date), text);
		return FALSE;
	}
	day = g_hash_table_lookup (cal->days, GUINT_TO_POINTER (g_date_get_julian (date)));
	*working = day != NULL ? day->working : !is_weekend (date);
	if (name != NULL)
		*name = day != NULL ? day->name : NULL;
	return TRUE;
}

gboolean
xn_calendar_add_working_days (const XnCalendar *cal, const GDate *from, gint n,
			      GDate *result, GError **error)
{
	GDate day = *from;
	guint count = n < 0 ? (guint) -(n + 1) + 1 : (guint) n;
	guint left = count;
	gboolean working;

	g_return_val_if_fail (g_date_valid (from), FALSE);

	if (!xn_calendar_is_working_day (cal, &day, &working, NULL, error))
		goto fail;
	while (left > 0) {
		if (n < 0 && g_date_get_julian (&day) == 1) {
			g_set_error (error, XN_ERROR, XN_ERROR_NO_CALENDAR,
				     "no working-day schedule before year 1");
			goto fail;
		}
		if (n < 0)
			g_date_subtract_days (&day, 1);
		else
			g_date_add_days (&day, 1);
		if (!xn_calendar_is_working_day (cal, &day, &working, NULL, error))
			goto fail;
		if (working)
			left--;
	}
	*result = day;
	return TRUE;

fail:
	{
		g_autofree char *text = date_to_string (from);

		g_prefix_error (error, "counting %u working days %s %s: ",
				count, n < 0 ? "before" : "after", text);
	}
	return FALSE;
}

/* A zone that changes its offset at midnight skips or repeats 00:00; the day
 * then starts at 01:00, or at the first of the two 00:00s (the daylight one). */
static XnInstant
local_day_start (GTimeZone *tz, const GDate *day)
{
	GDate epoch;
	gint64 local;
	gint interval;

	g_date_clear (&epoch, 1);
	g_date_set_dmy (&epoch, 1, G_DATE_JANUARY, 1970);
	local = (gint64) g_date_days_between (&epoch, day) * (XN_USEC_PER_DAY / XN_USEC_PER_SEC);
	interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_DAYLIGHT, &local);
	return (local - g_time_zone_get_offset (tz, interval)) * XN_USEC_PER_SEC;
}

gboolean
xn_calendar_notice_deadline (const XnCalendar *cal, XnInstant start, guint n,
			     GTimeZone *tz, XnInstant *deadline, GError **error)
{
	g_autoptr(GDateTime) local = NULL;
	GDate start_day;
	GDate last_day;

	if (n == 0) {
		*deadline = start;
		return TRUE;
	}
	if (n > G_MAXINT) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "%u working days of notice is out of range", n);
		return FALSE;
	}
	local = xn_time_to_datetime (start, tz);
	if (local == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "start instant %" G_GINT64_FORMAT " µs is outside years 1–9999", start);
		return FALSE;
	}
	g_date_clear (&start_day, 1);
	g_date_set_dmy (&start_day, (GDateDay) g_date_time_get_day_of_month (local),
			(GDateMonth) g_date_time_get_month (local),
			(GDateYear) g_date_time_get_year (local));
	if (!xn_calendar_add_working_days (cal, &start_day, -(gint) n, &last_day, error))
		return FALSE;
	g_date_add_days (&last_day, 1);
	*deadline = local_day_start (tz, &last_day);
	return TRUE;
}

const char *
xn_calendar_default_dir (void)
{
	const char *env = g_getenv ("EXTRANOC_CALENDAR_DIR");

	return env != NULL && *env != '\0' ? env : XN_DEFAULT_CALENDAR_DIR;
}

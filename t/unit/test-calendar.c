/* test-calendar.c — lib/calendar.c: the shipped schedules, day arithmetic,
 * notice deadlines, and the year-file format's rules.
 *
 * The shipped 2024-2026 files (EXTRANOC_CALENDAR_DIR, set by `make check`) are
 * checked against the table below, copied independently from the State Council
 * notices, in both directions: every listed day is decided as listed, and
 * every other day follows the weekday rule. Arithmetic and deadlines are
 * table-driven across Spring Festival, National Day, month and year ends, in
 * Asia/Shanghai, in two DST zones and in zones that change offset at midnight.
 * Format errors each name FILE:LINE and leave the calendar unchanged. */
#include "calendar.h"
#include "xn-error.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
	const char *date;
	gboolean working;
	const char *name;
} SpecialCase;

/* 国务院办公厅关于2024/2025/2026年部分节假日安排的通知. */
static const SpecialCase special_days[] = {
	{ "2024-01-01", FALSE, "元旦" },
	{ "2024-02-04", TRUE,  "春节调休" },
	{ "2024-02-12", FALSE, "春节" },
	{ "2024-02-13", FALSE, "春节" },
	{ "2024-02-14", FALSE, "春节" },
	{ "2024-02-15", FALSE, "春节" },
	{ "2024-02-16", FALSE, "春节" },
	{ "2024-02-18", TRUE,  "春节调休" },
	{ "2024-04-04", FALSE, "清明节" },
	{ "2024-04-05", FALSE, "清明节" },
	{ "2024-04-07", TRUE,  "清明节调休" },
	{ "2024-04-28", TRUE,  "劳动节调休" },
	{ "2024-05-01", FALSE, "劳动节" },
	{ "2024-05-02", FALSE, "劳动节" },
	{ "2024-05-03", FALSE, "劳动节" },
	{ "2024-05-11", TRUE,  "劳动节调休" },
	{ "2024-06-10", FALSE, "端午节" },
	{ "2024-09-14", TRUE,  "中秋节调休" },
	{ "2024-09-16", FALSE, "中秋节" },
	{ "2024-09-17", FALSE, "中秋节" },
	{ "2024-09-29", TRUE,  "国庆节调休" },
	{ "2024-10-01", FALSE, "国庆节" },
	{ "2024-10-02", FALSE, "国庆节" },
	{ "2024-10-03", FALSE, "国庆节" },
	{ "2024-10-04", FALSE, "国庆节" },
	{ "2024-10-07", FALSE, "国庆节" },
	{ "2024-10-12", TRUE,  "国庆节调休" },
	{ "2025-01-01", FALSE, "元旦" },
	{ "2025-01-26", TRUE,  "春节调休" },
	{ "2025-01-28", FALSE, "春节" },
	{ "2025-01-29", FALSE, "春节" },
	{ "2025-01-30", FALSE, "春节" },
	{ "2025-01-31", FALSE, "春节" },
	{ "2025-02-03", FALSE, "春节" },
	{ "2025-02-04", FALSE, "春节" },
	{ "2025-02-08", TRUE,  "春节调休" },
	{ "2025-04-04", FALSE, "清明节" },
	{ "2025-04-27", TRUE,  "劳动节调休" },
	{ "2025-05-01", FALSE, "劳动节" },
	{ "2025-05-02", FALSE, "劳动节" },
	{ "2025-05-05", FALSE, "劳动节" },
	{ "2025-06-02", FALSE, "端午节" },
	{ "2025-09-28", TRUE,  "国庆节、中秋节调休" },
	{ "2025-10-01", FALSE, "国庆节、中秋节" },
	{ "2025-10-02", FALSE, "国庆节、中秋节" },
	{ "2025-10-03", FALSE, "国庆节、中秋节" },
	{ "2025-10-06", FALSE, "国庆节、中秋节" },
	{ "2025-10-07", FALSE, "国庆节、中秋节" },
	{ "2025-10-08", FALSE, "国庆节、中秋节" },
	{ "2025-10-11", TRUE,  "国庆节、中秋节调休" },
	{ "2026-01-01", FALSE, "元旦" },
	{ "2026-01-02", FALSE, "元旦" },
	{ "2026-01-04", TRUE,  "元旦调休" },
	{ "2026-02-14", TRUE,  "春节调休" },
	{ "2026-02-16", FALSE, "春节" },
	{ "2026-02-17", FALSE, "春节" },
	{ "2026-02-18", FALSE, "春节" },
	{ "2026-02-19", FALSE, "春节" },
	{ "2026-02-20", FALSE, "春节" },
	{ "2026-02-23", FALSE, "春节" },
	{ "2026-02-28", TRUE,  "春节调休" },
	{ "2026-04-06", FALSE, "清明节" },
	{ "2026-05-01", FALSE, "劳动节" },
	{ "2026-05-04", FALSE, "劳动节" },
	{ "2026-05-05", FALSE, "劳动节" },
	{ "2026-05-09", TRUE,  "劳动节调休" },
	{ "2026-06-19", FALSE, "端午节" },
	{ "2026-09-20", TRUE,  "国庆节调休" },
	{ "2026-09-25", FALSE, "中秋节" },
	{ "2026-10-01", FALSE, "国庆节" },
	{ "2026-10-02", FALSE, "国庆节" },
	{ "2026-10-05", FALSE, "国庆节" },
	{ "2026-10-06", FALSE, "国庆节" },
	{ "2026-10-07", FALSE, "国庆节" },
	{ "2026-10-10", TRUE,  "国庆节调休" },
};

static XnCalendar *
shipped_calendar (void)
{
	g_autoptr(XnCalendar) cal = xn_calendar_new ();
	g_autoptr(GError) error = NULL;

	g_assert_true (xn_calendar_load_dir (cal, g_getenv ("EXTRANOC_CALENDAR_DIR"), &error));
	g_assert_no_error (error);
	return g_steal_pointer (&cal);
}

static GDate
date_of (const char *text)
{
	g_autoptr(GError) error = NULL;
	GDate date;

	g_assert_true (xn_calendar_parse_date (text, &date, &error));
	g_assert_no_error (error);
	return date;
}

static void
test_special_days (void)
{
	g_autoptr(XnCalendar) cal = shipped_calendar ();

	for (gsize i = 0; i < G_N_ELEMENTS (special_days); i++) {
		const SpecialCase *c = &special_days[i];
		g_autoptr(GError) error = NULL;
		GDate date = date_of (c->date);
		const char *name = NULL;
		gboolean working = !c->working;

		g_test_message ("%s", c->date);
		g_assert_true (xn_calendar_is_working_day (cal, &date, &working, &name, &error));
		g_assert_no_error (error);
		g_assert_cmpint (working, ==, c->working);
		g_assert_cmpstr (name, ==, c->name);
	}
}

/* Every day of 2024-2026 not in the table is decided by its weekday alone. */
static void
test_ordinary_days (void)
{
	g_autoptr(XnCalendar) cal = shipped_calendar ();
	g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
	GDate date = date_of ("2024-01-01");
	guint named = 0;

	for (gsize i = 0; i < G_N_ELEMENTS (special_days); i++)
		g_hash_table_add (listed, (gpointer) special_days[i].date);
	for (; g_date_get_year (&date) <= 2026; g_date_add_days (&date, 1)) {
		g_autofree char *text = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&date),
							 g_date_get_month (&date), g_date_get_day (&date));
		g_autoptr(GError) error = NULL;
		const char *name = NULL;
		gboolean working;

		g_assert_true (xn_calendar_is_working_day (cal, &date, &working, &name, &error));
		g_assert_no_error (error);
		if (name != NULL)
			named++;
		if (g_hash_table_contains (listed, text))
			continue;
		g_test_message ("%s", text);
		g_assert_null (name);
		g_assert_cmpint (working, ==, g_date_get_weekday (&date) < G_DATE_SATURDAY);
	}
	g_assert_cmpuint (named, ==, G_N_ELEMENTS (special_days));
}

static void
test_missing_year (void)
{
	g_autoptr(XnCalendar) cal = shipped_calendar ();
	static const char *const dates[] = { "2023-12-31", "2027-01-01", "2027-01-04" };

	for (gsize i = 0; i < G_N_ELEMENTS (dates); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree char *year = g_strndup (dates[i], 4);
		GDate date = date_of (dates[i]);
		gboolean working = FALSE;

		g_assert_false (xn_calendar_is_working_day (cal, &date, &working, NULL, &error));
		g_assert_error (error, XN_ERROR, XN_ERROR_NO_CALENDAR);
		g_assert_nonnull (strstr (error->message, year));
		g_assert_nonnull (strstr (error->message, dates[i]));
	}
}

typedef struct {
	const char *from;
	gint n;
	const char *expected;   /* NULL: XN_ERROR_NO_CALENDAR naming `missing` */
	const char *missing;
} AddCase;

static const AddCase add_cases[] = {
	{ "2025-01-24",  1, "2025-01-26", NULL },     /* Friday → 调休 Sunday */
	{ "2025-01-26",  1, "2025-01-27", NULL },
	{ "2025-01-27",  1, "2025-02-05", NULL },     /* across Spring Festival */
	{ "2025-02-05", -1, "2025-01-27", NULL },
	{ "2025-02-05", -2, "2025-01-26", NULL },
	{ "2025-02-05", -3, "2025-01-24", NULL },
	{ "2025-02-07",  1, "2025-02-08", NULL },     /* 调休 Saturday */
	{ "2024-12-31",  1, "2025-01-02", NULL },     /* year end, 元旦 */
	{ "2025-01-02", -1, "2024-12-31", NULL },
	{ "2025-12-31",  1, "2026-01-04", NULL },     /* into a 调休 Sunday of the next year */
	{ "2026-01-04", -1, "2025-12-31", NULL },
	{ "2024-09-30",  1, "2024-10-08", NULL },     /* across National Day */
	{ "2024-10-08", -2, "2024-09-29", NULL },
	{ "2025-09-30",  1, "2025-10-09", NULL },
	{ "2025-10-09",  2, "2025-10-11", NULL },
	{ "2024-02-29",  1, "2024-03-01", NULL },     /* leap day, month end */
	{ "2024-01-31",  1, "2024-02-01", NULL },
	{ "2026-02-13",  1, "2026-02-14", NULL },
	{ "2026-02-13",  2, "2026-02-24", NULL },
	{ "2025-06-30", 10, "2025-07-14", NULL },
	{ "2024-05-11", -1, "2024-05-10", NULL },
	{ "2025-02-05",  0, "2025-02-05", NULL },
	{ "2025-02-01",  0, "2025-02-01", NULL },     /* n = 0 keeps even a day off */
	{ "2026-12-31",  1, NULL, "2027" },
	{ "2024-01-02", -1, NULL, "2023" },
	{ "2027-03-01",  0, NULL, "2027" },
	{ "2027-01-05", -3, NULL, "2027" },           /* the start's own year must be loaded */
	{ "2025-01-05", G_MININT, NULL, "2023" },
	{ "2025-01-05", G_MAXINT, NULL, "2027" },
};

static void
test_add_working_days (void)
{
	g_autoptr(XnCalendar) cal = shipped_calendar ();

	for (gsize i = 0; i < G_N_ELEMENTS (add_cases); i++) {
		const AddCase *c = &add_cases[i];
		g_autoptr(GError) error = NULL;
		GDate from = date_of (c->from);
		GDate result;

		g_test_message ("%s %+d", c->from, c->n);
		if (c->expected != NULL) {
			GDate expected = date_of (c->expected);

			g_assert_true (xn_calendar_add_working_days (cal, &from, c->n, &result, &error));
			g_assert_no_error (error);
			g_assert_cmpint (g_date_compare (&result, &expected), ==, 0);
		} else {
			g_assert_false (xn_calendar_add_working_days (cal, &from, c->n, &result, &error));
			g_assert_error (error, XN_ERROR, XN_ERROR_NO_CALENDAR);
			g_assert_nonnull (strstr (error->message, c->missing));
			g_assert_nonnull (strstr (error->message, c->from));
		}
	}
}

typedef struct {
	const char *start;
	const char *zone;
	guint n;
	const char *deadline;   /* in `zone`; NULL: XN_ERROR_NO_CALENDAR naming `missing` */
	const char *missing;
} DeadlineCase;

/* Zones that change offset at midnight on 2025-01-28 (POSIX TZ rules, so the
 * rows do not depend on the installed tzdata): 00:00-01:00 skipped, and
 * 00:00-01:00 repeated. */
#define SKIPS_MIDNIGHT   "XST-8XDT,J28/0,J300/0"
#define REPEATS_MIDNIGHT "XST-8XDT,J20/0,J28/1"

static const DeadlineCase deadline_cases[] = {
	/* regulations.md's example: the working days before Wed 2025-02-05 are
	 * Mon 01-27 and the 调休 Sunday 01-26. */
	{ "2025-02-05T09:00:00+08:00", "Asia/Shanghai", 2, "2025-01-27T00:00:00+08:00", NULL },
	{ "2025-02-05T09:00:00+08:00", "Asia/Shanghai", 1, "2025-01-28T00:00:00+08:00", NULL },
	{ "2025-02-05T09:00:00+08:00", "Asia/Shanghai", 3, "2025-01-25T00:00:00+08:00", NULL },
	{ "2025-02-05T00:00:00+08:00", "Asia/Shanghai", 2, "2025-01-27T00:00:00+08:00", NULL },
	{ "2025-02-05T23:59:59.999999+08:00", "Asia/Shanghai", 2, "2025-01-27T00:00:00+08:00", NULL },
	{ "2025-02-04T16:30:00Z",      "Asia/Shanghai", 2, "2025-01-27T00:00:00+08:00", NULL },
	{ "2025-02-03T10:00:00+08:00", "Asia/Shanghai", 2, "2025-01-27T00:00:00+08:00", NULL },
	{ "2025-10-09T10:00:00+08:00", "Asia/Shanghai", 2, "2025-09-30T00:00:00+08:00", NULL },
	{ "2024-10-08T09:00:00+08:00", "Asia/Shanghai", 2, "2024-09-30T00:00:00+08:00", NULL },
	{ "2024-10-08T09:00:00+08:00", "Asia/Shanghai", 1, "2024-10-01T00:00:00+08:00", NULL },
	{ "2024-10-02T12:00:00Z",      "Asia/Shanghai", 5, "2024-09-26T00:00:00+08:00", NULL },
	{ "2026-02-24T09:00:00+08:00", "Asia/Shanghai", 5, "2026-02-11T00:00:00+08:00", NULL },
	{ "2026-01-05T09:00:00+08:00", "Asia/Shanghai", 2, "2026-01-01T00:00:00+08:00", NULL },
	{ "2025-01-02T09:00:00+08:00", "Asia/Shanghai", 1, "2025-01-01T00:00:00+08:00", NULL },
	{ "2024-03-01T09:00:00+08:00", "Asia/Shanghai", 1, "2024-03-01T00:00:00+08:00", NULL },
	{ "2025-02-05T09:00:00+08:00", "Asia/Shanghai", 0, "2025-02-05T09:00:00+08:00", NULL },
	{ "2027-06-01T09:00:00+08:00", "Asia/Shanghai", 0, "2027-06-01T09:00:00+08:00", NULL },
	{ "2024-03-12T09:00:00-04:00", "America/New_York", 1, "2024-03-12T00:00:00-04:00", NULL },
	{ "2024-03-12T09:00:00-04:00", "America/New_York", 2, "2024-03-09T00:00:00-05:00", NULL },
	{ "2024-11-04T09:00:00-05:00", "America/New_York", 1, "2024-11-02T00:00:00-04:00", NULL },
	{ "2025-01-01T03:00:00Z",      "America/New_York", 1, "2024-12-31T00:00:00-05:00", NULL },
	{ "2024-10-28T09:00:00+01:00", "Europe/Berlin", 1, "2024-10-26T00:00:00+02:00", NULL },
	{ "2024-04-02T09:00:00+02:00", "Europe/Berlin", 1, "2024-04-02T00:00:00+02:00", NULL },
	{ "2024-04-02T09:00:00+02:00", "Europe/Berlin", 2, "2024-03-30T00:00:00+01:00", NULL },
	{ "2024-10-08T09:00:00+02:00", "Europe/Berlin", 2, "2024-09-30T00:00:00+02:00", NULL },
	{ "2025-02-05T09:00:00+09:00", SKIPS_MIDNIGHT,   1, "2025-01-28T01:00:00+09:00", NULL },
	{ "2025-02-05T09:00:00+08:00", REPEATS_MIDNIGHT, 1, "2025-01-28T00:00:00+09:00", NULL },
	{ "2024-01-03T09:00:00+08:00", "Asia/Shanghai", 3, NULL, "2023" },
	{ "2027-01-05T09:00:00+08:00", "Asia/Shanghai", 1, NULL, "2027" },
	{ "2026-12-31T16:30:00Z",      "Asia/Shanghai", 1, NULL, "2027" },   /* 2027-01-01 local */
};

static void
test_notice_deadline (void)
{
	g_autoptr(XnCalendar) cal = shipped_calendar ();

	for (gsize i = 0; i < G_N_ELEMENTS (deadline_cases); i++) {
		const DeadlineCase *c = &deadline_cases[i];
		g_autoptr(GTimeZone) tz = xn_time_zone_new (c->zone, NULL);
		g_autoptr(GError) error = NULL;
		XnInstant start;
		XnInstant deadline = 0;

		g_test_message ("%s in %s, n = %u", c->start, c->zone, c->n);
		g_assert_nonnull (tz);
		g_assert_true (xn_time_parse (c->start, tz, &start, NULL));
		if (c->deadline != NULL) {
			g_autofree char *text = NULL;

			g_assert_true (xn_calendar_notice_deadline (cal, start, c->n, tz, &deadline, &error));
			g_assert_no_error (error);
			text = xn_time_format (deadline, tz);
			g_assert_cmpstr (text, ==, c->deadline);
			g_assert_cmpint (deadline, <=, start);
		} else {
			g_assert_false (xn_calendar_notice_deadline (cal, start, c->n, tz, &deadline, &error));
			g_assert_error (error, XN_ERROR, XN_ERROR_NO_CALENDAR);
			g_assert_nonnull (strstr (error->message, c->missing));
		}
	}
}

static void
test_notice_deadline_range (void)
{
	g_autoptr(XnCalendar) cal = shipped_calendar ();
	g_autoptr(GTimeZone) tz = xn_time_zone_new ("Asia/Shanghai", NULL);
	g_autoptr(GError) error = NULL;
	XnInstant deadline;

	g_assert_false (xn_calendar_notice_deadline (cal, G_GINT64_CONSTANT (1738717200000000),
						     (guint) G_MAXINT + 1, tz, &deadline, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
}

typedef struct {
	const char *text;
	gboolean valid;
} DateCase;

static const DateCase date_cases[] = {
	{ "2025-01-26", TRUE }, { "2024-02-29", TRUE }, { "0001-01-01", TRUE }, { "9999-12-31", TRUE },
	{ "2025-02-29", FALSE }, { "2025-1-26", FALSE }, { "2025-01-26x", FALSE },
	{ "2025/01/26", FALSE }, { "", FALSE }, { " 2025-01-26", FALSE }, { "2025-00-10", FALSE },
	{ "2025-01-00", FALSE }, { "0000-01-01", FALSE }, { "2025-01-32", FALSE },
	{ "20250126", FALSE }, { "2025-01-26T09:00", FALSE },
};

static void
test_parse_date (void)
{
	for (gsize i = 0; i < G_N_ELEMENTS (date_cases); i++) {
		g_autoptr(GError) error = NULL;
		GDate date;
		gboolean ok = xn_calendar_parse_date (date_cases[i].text, &date, &error);

		g_test_message ("'%s'", date_cases[i].text);
		g_assert_cmpint (ok, ==, date_cases[i].valid);
		if (ok) {
			g_autofree char *back = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&date),
								 g_date_get_month (&date), g_date_get_day (&date));
			g_assert_no_error (error);
			g_assert_cmpstr (back, ==, date_cases[i].text);
		} else {
			g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
		}
	}
}

typedef struct {
	const char *data;
	gssize length;
	const char *message;    /* must appear in the error, which starts "t.txt:" */
} BadCase;

static const BadCase bad_cases[] = {
	{ "", -1, "t.txt: no 'year YYYY' line" },
	{ "# only a comment\n\n", -1, "t.txt: no 'year YYYY' line" },
	{ "2025-01-01 off 元旦\nyear 2025\n", -1, "t.txt:1: 2025-01-01 comes before the 'year YYYY' line" },
	{ "year 2025\n# again\nyear 2025\n", -1, "t.txt:3: second 'year' line (year 2025 was declared at line 1)" },
	{ "year 25\n", -1, "t.txt:1: expected 'year YYYY', got 'year 25'" },
	{ "year 2025 extra\n", -1, "t.txt:1: expected 'year YYYY', got 'year 2025 extra'" },
	{ "year 0000\n", -1, "t.txt:1: expected 'year YYYY'" },
	{ "year two\n", -1, "t.txt:1: expected 'year YYYY'" },
	{ "year 2025\n2025-13-01 off 元旦\n", -1, "t.txt:2: '2025-13-01' is not a date" },
	{ "year 2025\n2025-02-29 off 元旦\n", -1, "t.txt:2: '2025-02-29' is not a date" },
	{ "year 2025\n2025-1-01 off 元旦\n", -1, "t.txt:2: '2025-1-01' is not a date" },
	{ "year 2025\n2024-12-31 off 元旦\n", -1, "t.txt:2: 2024-12-31 is outside year 2025 declared at line 1" },
	{ "year 2025\n2025-01-01 holiday 元旦\n", -1, "t.txt:2: expected 'off' or 'work' after 2025-01-01, got 'holiday'" },
	{ "year 2025\n2025-01-01 OFF 元旦\n", -1, "t.txt:2: expected 'off' or 'work' after 2025-01-01, got 'OFF'" },
	{ "year 2025\n2025-01-01 off\n", -1, "t.txt:2: 2025-01-01 off has no name" },
	{ "year 2025\n2025-01-01   off   \n", -1, "t.txt:2: 2025-01-01 off has no name" },
	{ "year 2025\n2025-01-27 work 春节调休\n", -1, "t.txt:2: 2025-01-27 is a Monday, a working day anyway" },
	{ "year 2025\n2025-01-25 off 春节\n", -1, "t.txt:2: 2025-01-25 is a Saturday, a day off anyway" },
	{ "year 2025\n2025-01-26 off 春节\n", -1, "t.txt:2: 2025-01-26 is a Sunday, a day off anyway" },
	{ "year 2025\n2025-01-28 off 春节\n\n# c\n2025-01-28 off 春节\n", -1,
	  "t.txt:5: 2025-01-28 is listed twice (first at line 2)" },
	{ "year 2025\n2025-01-28 off 春节\n2025-01-28 work 春节\n", -1,
	  "t.txt:3: 2025-01-28 is a Tuesday, a working day anyway" },
	{ "year 2025\nholiday 2025-01-01\n", -1,
	  "t.txt:2: expected 'year YYYY' or 'YYYY-MM-DD off|work NAME', got 'holiday'" },
	{ "year 2025\n2025-01-01 off \xff\n", -1, "t.txt:2: not valid UTF-8 text" },
	{ "year 2025\n2025-01-01 off 元\0旦\n", sizeof "year 2025\n2025-01-01 off 元\0旦\n" - 1,
	  "t.txt:2: not valid UTF-8 text" },
};

static void
test_bad_files (void)
{
	for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++) {
		const BadCase *c = &bad_cases[i];
		g_autoptr(XnCalendar) cal = xn_calendar_new ();
		g_autoptr(GError) error = NULL;
		GDate date = date_of ("2025-01-01");
		gboolean working;

		g_test_message ("expecting: %s", c->message);
		g_assert_false (xn_calendar_load_data (cal, "t.txt", c->data, c->length, &error));
		g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
		g_assert_true (g_str_has_prefix (error->message, c->message));
		/* All or nothing: the year did not half-load. */
		g_clear_error (&error);
		g_assert_false (xn_calendar_is_working_day (cal, &date, &working, NULL, &error));
		g_assert_error (error, XN_ERROR, XN_ERROR_NO_CALENDAR);
	}
}

static void
test_lenient_layout (void)
{
	static const char data[] =
		"# CRLF, tabs, indentation and a missing final newline are all fine\r\n"
		"  year\t2025  \r\n"
		"\r\n"
		"2025-05-01\toff\t劳动节\r\n"
		"   # indented comment\n"
		"2025-04-27  work   Labour Day swap  \n"
		"2025-05-02 off 劳动节";
	static const SpecialCase expect[] = {
		{ "2025-05-01", FALSE, "劳动节" },
		{ "2025-04-27", TRUE, "Labour Day swap" },
		{ "2025-05-02", FALSE, "劳动节" },
		{ "2025-05-05", TRUE, NULL },
		{ "2025-04-26", FALSE, NULL },
	};
	g_autoptr(XnCalendar) cal = xn_calendar_new ();
	g_autoptr(GError) error = NULL;

	g_assert_true (xn_calendar_load_data (cal, "t.txt", data, -1, &error));
	g_assert_no_error (error);
	for (gsize i = 0; i < G_N_ELEMENTS (expect); i++) {
		GDate date = date_of (expect[i].date);
		const char *name = NULL;
		gboolean working;

		g_assert_true (xn_calendar_is_working_day (cal, &date, &working, &name, &error));
		g_assert_no_error (error);
		g_assert_cmpint (working, ==, expect[i].working);
		g_assert_cmpstr (name, ==, expect[i].name);
	}
}

static void
test_year_loaded_once (void)
{
	g_autoptr(XnCalendar) cal = xn_calendar_new ();
	g_autoptr(GError) error = NULL;

	g_assert_true (xn_calendar_load_data (cal, "a.txt", "year 2025\n2025-01-01 off 元旦\n", -1, &error));
	g_assert_no_error (error);
	g_assert_false (xn_calendar_load_data (cal, "b.txt", "# b\nyear 2025\n", -1, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_cmpstr (error->message, ==, "b.txt:2: year 2025 is already loaded from a.txt");
}

/* A year with nothing special is still a loaded year, and year 1 has no before. */
static void
test_plain_years (void)
{
	g_autoptr(XnCalendar) cal = xn_calendar_new ();
	g_autoptr(GError) error = NULL;
	GDate date = date_of ("0001-01-01");
	GDate result;

	g_assert_true (xn_calendar_load_data (cal, "1.txt", "year 0001\n", -1, &error));
	g_assert_no_error (error);
	g_assert_true (xn_calendar_add_working_days (cal, &date, 1, &result, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (g_date_get_day (&result), ==, 2);
	g_assert_false (xn_calendar_add_working_days (cal, &date, -1, &result, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_NO_CALENDAR);
}

static char *
make_dir (void)
{
	g_autoptr(GError) error = NULL;
	char *dir = g_dir_make_tmp ("test-calendar-XXXXXX", &error);

	g_assert_no_error (error);
	return dir;
}

static void
put_file (const char *dir, const char *name, const char *contents)
{
	g_autofree char *path = g_build_filename (dir, name, NULL);
	g_autoptr(GError) error = NULL;

	g_assert_true (g_file_set_contents (path, contents, -1, &error));
	g_assert_no_error (error);
}

static void
remove_dir (const char *dir)
{
	g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
	const char *name;

	while (handle != NULL && (name = g_dir_read_name (handle)) != NULL) {
		g_autofree char *path = g_build_filename (dir, name, NULL);

		g_assert_cmpint (g_remove (path), ==, 0);
	}
	g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_load_dir (void)
{
	g_autofree char *dir = make_dir ();
	g_autoptr(XnCalendar) cal = xn_calendar_new ();
	g_autoptr(GError) error = NULL;
	GDate date = date_of ("2027-01-01");
	const char *name = NULL;
	gboolean working = TRUE;

	put_file (dir, "2027.txt", "year 2027\n2027-01-01 off 测试元旦\n");
	put_file (dir, "2026.txt", "year 2026\n");
	/* Not calendar files: skipped, or loading would fail. */
	put_file (dir, "README", "not a calendar\n");
	put_file (dir, ".#2028.txt", "broken\n");
	put_file (dir, "2028.txt~", "broken\n");
	g_assert_true (xn_calendar_load_dir (cal, dir, &error));
	g_assert_no_error (error);
	g_assert_true (xn_calendar_is_working_day (cal, &date, &working, &name, &error));
	g_assert_no_error (error);
	g_assert_false (working);
	g_assert_cmpstr (name, ==, "测试元旦");
	date = date_of ("2026-12-31");
	g_assert_true (xn_calendar_is_working_day (cal, &date, &working, &name, &error));
	g_assert_true (working);
	/* A second directory with a year already loaded is refused as a whole. */
	put_file (dir, "2029.txt", "year 2029\n");
	g_assert_false (xn_calendar_load_dir (cal, dir, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_nonnull (strstr (error->message, "year 2026 is already loaded from"));
	g_clear_error (&error);
	date = date_of ("2029-01-01");
	g_assert_false (xn_calendar_is_working_day (cal, &date, &working, &name, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_NO_CALENDAR);
	remove_dir (dir);
}

static void
test_load_dir_all_or_nothing (void)
{
	g_autofree char *dir = make_dir ();
	g_autofree char *bad = g_build_filename (dir, "2025.txt", NULL);
	g_autofree char *expect = g_strdup_printf ("%s:3: 2025-01-25 is a Saturday", bad);
	g_autoptr(XnCalendar) cal = xn_calendar_new ();
	g_autoptr(GError) error = NULL;
	GDate date = date_of ("2024-01-01");
	gboolean working;

	put_file (dir, "2024.txt", "year 2024\n2024-01-01 off 元旦\n");
	put_file (dir, "2025.txt", "year 2025\n2025-01-01 off 元旦\n2025-01-25 off 春节\n");
	g_assert_false (xn_calendar_load_dir (cal, dir, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_true (g_str_has_prefix (error->message, expect));
	g_clear_error (&error);
	g_assert_false (xn_calendar_is_working_day (cal, &date, &working, NULL, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_NO_CALENDAR);
	g_clear_error (&error);

	/* Two files declaring one year: the second named, with the first. */
	put_file (dir, "2025.txt", "year 2024\n");
	g_assert_false (xn_calendar_load_dir (cal, dir, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_true (g_str_has_prefix (error->message, bad));
	g_assert_nonnull (strstr (error->message, ":1: year 2024 is already loaded from "));
	g_assert_nonnull (strstr (error->message, "2024.txt"));
	remove_dir (dir);
}

static void
test_load_missing (void)
{
	g_autofree char *dir = make_dir ();
	g_autofree char *nowhere = g_build_filename (dir, "nowhere", NULL);
	g_autoptr(XnCalendar) cal = xn_calendar_new ();
	g_autoptr(GError) error = NULL;

	g_assert_false (xn_calendar_load_dir (cal, dir, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_NOT_FOUND);
	g_assert_nonnull (strstr (error->message, "no calendar files"));
	g_clear_error (&error);
	g_assert_false (xn_calendar_load_dir (cal, nowhere, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_NOT_FOUND);
	g_assert_nonnull (strstr (error->message, nowhere));
	g_clear_error (&error);
	g_assert_false (xn_calendar_load_file (cal, nowhere, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_NOT_FOUND);
	g_assert_nonnull (strstr (error->message, nowhere));
	remove_dir (dir);
}

static void
test_load_file (void)
{
	g_autofree char *dir = make_dir ();
	g_autofree char *path = g_build_filename (dir, "any-name.txt", NULL);
	g_autoptr(XnCalendar) cal = xn_calendar_new ();
	g_autoptr(GError) error = NULL;
	GDate date = date_of ("2025-01-26");
	const char *name = NULL;
	gboolean working = FALSE;

	put_file (dir, "any-name.txt", "year 2025\n2025-01-26 work 春节调休\n");
	g_assert_true (xn_calendar_load_file (cal, path, &error));
	g_assert_no_error (error);
	g_assert_true (xn_calendar_is_working_day (cal, &date, &working, &name, &error));
	g_assert_true (working);
	g_assert_cmpstr (name, ==, "春节调休");
	remove_dir (dir);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	if (g_getenv ("EXTRANOC_CALENDAR_DIR") == NULL) {
		g_printerr ("test-calendar: set EXTRANOC_CALENDAR_DIR to the source tree's data/calendar "
			    "(make check does)\n");
		return 1;
	}
	g_test_add_func ("/calendar/shipped/special-days", test_special_days);
	g_test_add_func ("/calendar/shipped/ordinary-days", test_ordinary_days);
	g_test_add_func ("/calendar/shipped/missing-year", test_missing_year);
	g_test_add_func ("/calendar/add-working-days", test_add_working_days);
	g_test_add_func ("/calendar/notice-deadline/table", test_notice_deadline);
	g_test_add_func ("/calendar/notice-deadline/range", test_notice_deadline_range);
	g_test_add_func ("/calendar/parse-date", test_parse_date);
	g_test_add_func ("/calendar/format/bad", test_bad_files);
	g_test_add_func ("/calendar/format/lenient-layout", test_lenient_layout);
	g_test_add_func ("/calendar/format/year-loaded-once", test_year_loaded_once);
	g_test_add_func ("/calendar/format/plain-years", test_plain_years);
	g_test_add_func ("/calendar/load/dir", test_load_dir);
	g_test_add_func ("/calendar/load/dir-all-or-nothing", test_load_dir_all_or_nothing);
	g_test_add_func ("/calendar/load/missing", test_load_missing);
	g_test_add_func ("/calendar/load/file", test_load_file);
	return g_test_run ();
}

/* test-period.c — sla/period.c: written periods to [start, end), their
 * canonical form, cutting into days and months, and the errors.
 *
 * Rows give the start and end a period must have as text in its zone, worked
 * out independently (Python zoneinfo), and its length in seconds: a February
 * of a leap year and of a common one, a leap year, quarters, days of 23 and
 * 25 hours in Europe/Berlin and America/New_York, and POSIX zones that skip
 * or repeat midnight. Every row is printed and parsed back. Splitting checks
 * that the pieces are contiguous, of the right kind, and add up to the whole;
 * bad inputs are checked against their exact messages. */
#include "period.h"
#include "xn-error.h"

#include <string.h>

/* Zones that change offset at midnight (as in test-calendar.c): on
 * 2025-01-28 the first skips 00:00-01:00, the second repeats it; the second
 * also skips 00:00-01:00 on 2025-01-20. */
#define SKIPS_MIDNIGHT   "XST-8XDT,J28/0,J300/0"
#define REPEATS_MIDNIGHT "XST-8XDT,J20/0,J28/1"

#define SH "Asia/Shanghai"
#define BER "Europe/Berlin"
#define NY "America/New_York"

typedef struct {
	const char  *text;
	const char  *zone;
	XnPeriodKind kind;
	const char  *start;     /* xn_time_format in `zone` */
	const char  *end;
	gint64       seconds;
	const char  *canonical;
} ParseCase;

static const ParseCase parse_cases[] = {
	{ "2024-02", SH, XN_PERIOD_MONTH, "2024-02-01T00:00:00+08:00", "2024-03-01T00:00:00+08:00", 2505600, "2024-02" },
	{ "2025-02", SH, XN_PERIOD_MONTH, "2025-02-01T00:00:00+08:00", "2025-03-01T00:00:00+08:00", 2419200, "2025-02" },
	{ "2026-10", SH, XN_PERIOD_MONTH, "2026-10-01T00:00:00+08:00", "2026-11-01T00:00:00+08:00", 2678400, "2026-10" },
	{ "2026-12", SH, XN_PERIOD_MONTH, "2026-12-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00", 2678400, "2026-12" },
	{ "2024", SH, XN_PERIOD_YEAR, "2024-01-01T00:00:00+08:00", "2025-01-01T00:00:00+08:00", 31622400, "2024" },
	{ "2025", SH, XN_PERIOD_YEAR, "2025-01-01T00:00:00+08:00", "2026-01-01T00:00:00+08:00", 31536000, "2025" },
	{ "2024-Q1", SH, XN_PERIOD_QUARTER, "2024-01-01T00:00:00+08:00", "2024-04-01T00:00:00+08:00", 7862400, "2024-Q1" },
	{ "2025-Q1", SH, XN_PERIOD_QUARTER, "2025-01-01T00:00:00+08:00", "2025-04-01T00:00:00+08:00", 7776000, "2025-Q1" },
	{ "2026-Q4", SH, XN_PERIOD_QUARTER, "2026-10-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00", 7948800, "2026-Q4" },
	{ "2024-02-29", SH, XN_PERIOD_DAY, "2024-02-29T00:00:00+08:00", "2024-03-01T00:00:00+08:00", 86400, "2024-02-29" },
	{ "2026-10-05", SH, XN_PERIOD_DAY, "2026-10-05T00:00:00+08:00", "2026-10-06T00:00:00+08:00", 86400, "2026-10-05" },
	/* FROM..TO with dates: TO is included. */
	{ "2026-10-01..2026-10-15", SH, XN_PERIOD_DAYS, "2026-10-01T00:00:00+08:00", "2026-10-16T00:00:00+08:00", 15 * 86400,
	  "2026-10-01..2026-10-15" },
	{ "2025-12-30..2026-01-02", SH, XN_PERIOD_DAYS, "2025-12-30T00:00:00+08:00", "2026-01-03T00:00:00+08:00", 4 * 86400,
	  "2025-12-30..2026-01-02" },
	{ "2024-01-01..2024-02-29", SH, XN_PERIOD_DAYS, "2024-01-01T00:00:00+08:00", "2024-03-01T00:00:00+08:00", 60 * 86400,
	  "2024-01-01..2024-02-29" },
	{ "2026-10-05..2026-10-05", SH, XN_PERIOD_DAY, "2026-10-05T00:00:00+08:00", "2026-10-06T00:00:00+08:00", 86400, "2026-10-05" },
	{ "2026-10-01..2026-10-31", SH, XN_PERIOD_MONTH, "2026-10-01T00:00:00+08:00", "2026-11-01T00:00:00+08:00", 2678400, "2026-10" },
	{ "2026-01-01..2026-03-31", SH, XN_PERIOD_QUARTER, "2026-01-01T00:00:00+08:00", "2026-04-01T00:00:00+08:00", 7776000, "2026-Q1" },
	{ "2026-01-01..2026-12-31", SH, XN_PERIOD_YEAR, "2026-01-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00", 31536000, "2026" },
	{ "2026-02-01..2026-04-30", SH, XN_PERIOD_DAYS, "2026-02-01T00:00:00+08:00", "2026-05-01T00:00:00+08:00", 89 * 86400,
	  "2026-02-01..2026-04-30" },
	/* FROM..TO with instants: TO is the exclusive end. */
	{ "2026-10-01T00:00:00+08:00..2026-11-01T00:00:00+08:00", SH, XN_PERIOD_MONTH,
	  "2026-10-01T00:00:00+08:00", "2026-11-01T00:00:00+08:00", 2678400, "2026-10" },
	{ "2026-09-30T16:00:00Z..2026-10-01T16:00Z", SH, XN_PERIOD_DAY,
	  "2026-10-01T00:00:00+08:00", "2026-10-02T00:00:00+08:00", 86400, "2026-10-01" },
	{ "2026-10-01T08:30+08:00..2026-10-02", SH, XN_PERIOD_INSTANTS,
	  "2026-10-01T08:30:00+08:00", "2026-10-03T00:00:00+08:00", 55800 + 86400,
	  "2026-10-01T08:30:00+08:00..2026-10-02" },
	{ "2026-10-01..2026-10-01T12:00:00.5+08:00", SH, XN_PERIOD_INSTANTS,
	  "2026-10-01T00:00:00+08:00", "2026-10-01T12:00:00.500000+08:00", -1,
	  "2026-10-01..2026-10-01T12:00:00.500000+08:00" },
	{ "2026-10-01T08:30..2026-10-01T09:00", SH, XN_PERIOD_INSTANTS,
	  "2026-10-01T08:30:00+08:00", "2026-10-01T09:00:00+08:00", 1800,
	  "2026-10-01T08:30:00+08:00..2026-10-01T09:00:00+08:00" },
	{ "2026-10-01T00:00:00+09:00..2026-10-02T00:00:00+09:00", SH, XN_PERIOD_INSTANTS,
	  "2026-09-30T23:00:00+08:00", "2026-10-01T23:00:00+08:00", 86400,
	  "2026-09-30T23:00:00+08:00..2026-10-01T23:00:00+08:00" },
	/* Daylight saving time: real day lengths. */
	{ "2024-03-31", BER, XN_PERIOD_DAY, "2024-03-31T00:00:00+01:00", "2024-04-01T00:00:00+02:00", 82800, "2024-03-31" },
	{ "2024-10-27", BER, XN_PERIOD_DAY, "2024-10-27T00:00:00+02:00", "2024-10-28T00:00:00+01:00", 90000, "2024-10-27" },
	{ "2024-03", BER, XN_PERIOD_MONTH, "2024-03-01T00:00:00+01:00", "2024-04-01T00:00:00+02:00", 2674800, "2024-03" },
	{ "2024", BER, XN_PERIOD_YEAR, "2024-01-01T00:00:00+01:00", "2025-01-01T00:00:00+01:00", 31622400, "2024" },
	{ "2024-03-10", NY, XN_PERIOD_DAY, "2024-03-10T00:00:00-05:00", "2024-03-11T00:00:00-04:00", 82800, "2024-03-10" },
	{ "2024-11-03", NY, XN_PERIOD_DAY, "2024-11-03T00:00:00-04:00", "2024-11-04T00:00:00-05:00", 90000, "2024-11-03" },
	{ "2024-Q4", NY, XN_PERIOD_QUARTER, "2024-10-01T00:00:00-04:00", "2025-01-01T00:00:00-05:00", 7952400, "2024-Q4" },
	{ "2024-11-03T01:30:00-05:00..2024-11-03T02:00", NY, XN_PERIOD_INSTANTS,
	  "2024-11-03T01:30:00-05:00", "2024-11-03T02:00:00-05:00", 1800,
	  "2024-11-03T01:30:00-05:00..2024-11-03T02:00:00-05:00" },
	/* Midnight skipped: the day starts at 01:00. Midnight repeated: the day
	 * starts at the first 00:00 and lasts 25 hours. */
	{ "2025-01-28", SKIPS_MIDNIGHT, XN_PERIOD_DAY, "2025-01-28T01:00:00+09:00", "2025-01-29T00:00:00+09:00", 82800,
	  "2025-01-28" },
	{ "2025-01-28", REPEATS_MIDNIGHT, XN_PERIOD_DAY, "2025-01-28T00:00:00+09:00", "2025-01-29T00:00:00+08:00", 90000,
	  "2025-01-28" },
	{ "2025-01-20", REPEATS_MIDNIGHT, XN_PERIOD_DAY, "2025-01-20T01:00:00+09:00", "2025-01-21T00:00:00+09:00", 82800,
	  "2025-01-20" },
	{ "2025-01", REPEATS_MIDNIGHT, XN_PERIOD_MONTH, "2025-01-01T00:00:00+08:00", "2025-02-01T00:00:00+08:00", 2678400,
	  "2025-01" },
	/* The second 00:00 of a repeated midnight is not a day start. */
	{ "2025-01-28T00:00:00+08:00..2025-01-29", REPEATS_MIDNIGHT, XN_PERIOD_INSTANTS,
	  "2025-01-28T00:00:00+08:00", "2025-01-30T00:00:00+08:00", 86400 + 86400,
	  "2025-01-28T00:00:00+08:00..2025-01-29" },
	/* The ends of the range of years. */
	{ "1000-01-01", "+14:00", XN_PERIOD_DAY, "1000-01-01T00:00:00+14:00", "1000-01-02T00:00:00+14:00", 86400, "1000-01-01" },
	{ "9998", SH, XN_PERIOD_YEAR, "9998-01-01T00:00:00+08:00", "9999-01-01T00:00:00+08:00", 31536000, "9998" },
};

static GTimeZone *
zone (const char *name)
{
	g_autoptr(GError) error = NULL;
	GTimeZone *tz;

	/* POSIX rules are not IANA names: xn_time_zone_new wants a known zone. */
	if (strchr (name, ',') != NULL)
		return g_time_zone_new_identifier (name);
	tz = xn_time_zone_new (name, &error);
	g_assert_no_error (error);
	return tz;
}

static XnPeriod *
parse_ok (const char *text, GTimeZone *tz)
{
	g_autoptr(GError) error = NULL;
	XnPeriod *p = xn_period_parse (text, tz, &error);

	g_assert_no_error (error);
	g_assert_nonnull (p);
	return p;
}

static void
test_parse (void)
{
	for (gsize i = 0; i < G_N_ELEMENTS (parse_cases); i++) {
		const ParseCase *c = &parse_cases[i];
		g_autoptr(GTimeZone) tz = zone (c->zone);
		g_autoptr(XnPeriod) p = NULL;
		g_autoptr(XnPeriod) back = NULL;
		g_autofree char *start = NULL;
		g_autofree char *end = NULL;
		g_autofree char *text = NULL;

		g_test_message ("'%s' in %s", c->text, c->zone);
		g_assert_nonnull (tz);
		p = parse_ok (c->text, tz);
		start = xn_time_format (p->start, tz);
		end = xn_time_format (p->end, tz);
		g_assert_cmpstr (start, ==, c->start);
		g_assert_cmpstr (end, ==, c->end);
		g_assert_cmpstr (xn_period_kind_name (p->kind), ==, xn_period_kind_name (c->kind));
		if (c->seconds >= 0)
			g_assert_cmpint (xn_period_duration (p), ==, c->seconds * XN_USEC_PER_SEC);
		text = xn_period_format (p);
		g_assert_cmpstr (text, ==, c->canonical);
		/* The canonical form reads back as the same period. */
		back = parse_ok (text, tz);
		g_assert_cmpint (back->start, ==, p->start);
		g_assert_cmpint (back->end, ==, p->end);
		g_assert_cmpint (back->kind, ==, p->kind);
	}
}

typedef struct {
	const char *text;
	const char *message;    /* the whole message */
} BadCase;

#define FORMS "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD or FROM..TO"
#define DATE_FORMS "expected YYYY-MM-DD or e.g. 2026-10-01T08:00:00+08:00"

static const BadCase bad_cases[] = {
	{ "", "empty period (" FORMS ")" },
	{ "2026-13", "2026-13: month 13 does not exist" },
	{ "2026-00", "2026-00: month 0 does not exist" },
	{ "2026-Q5", "2026-Q5: quarter 5 does not exist (Q1 to Q4)" },
	{ "2026-Q0", "2026-Q0: quarter 0 does not exist (Q1 to Q4)" },
	{ "2026-W41", "2026-W41: weeks are not periods (write FROM..TO)" },
	{ "2025-02-29", "2025-02-29: day 29 does not exist in February 2025 (it has 28 days)" },
	{ "2026-04-31", "2026-04-31: day 31 does not exist in April 2026 (it has 30 days)" },
	{ "2026-10-00", "2026-10-00: day 0 does not exist in October 2026 (it has 31 days)" },
	{ "0000", "0000: year 0 is out of range (1000 to 9998)" },
	{ "0999-12", "0999-12: year 999 is out of range (1000 to 9998)" },
	{ "9999-01", "9999-01: year 9999 is out of range (1000 to 9998)" },
	{ "2026-q4", "2026-q4: not a period (" FORMS ")" },
	{ "2026-Q", "2026-Q: not a period (" FORMS ")" },
	{ "2026-Q44", "2026-Q44: not a period (" FORMS ")" },
	{ "2026-1", "2026-1: not a period (" FORMS ")" },
	{ "26-10", "26-10: not a period (" FORMS ")" },
	{ "20261", "20261: not a period (" FORMS ")" },
	{ "2026-10-5", "2026-10-5: not a period (" FORMS ")" },
	{ "2026/10", "2026/10: not a period (" FORMS ")" },
	{ " 2026-10", " 2026-10: not a period (" FORMS ")" },
	{ "2026-10 ", "2026-10 : not a period (" FORMS ")" },
	{ "2026-10-", "2026-10-: not a period (" FORMS ")" },
	{ "October", "October: not a period (" FORMS ")" },
	{ "2026-10-05T09:00+08:00", "2026-10-05T09:00+08:00: not a period (" FORMS ")" },
	{ "2026-10-15..2026-10-01", "2026-10-15..2026-10-01: ends before it starts" },
	{ "2026-10-02..2026-10-01", "2026-10-02..2026-10-01: ends before it starts" },
	{ "2026-10-02T00:00+08:00..2026-10-01", "2026-10-02T00:00+08:00..2026-10-01: ends before it starts" },
	{ "2026-10-01T09:00+08:00..2026-10-01T08:00+08:00",
	  "2026-10-01T09:00+08:00..2026-10-01T08:00+08:00: ends before it starts" },
	{ "2026-10-01T09:00+08:00..2026-10-01T01:00Z",
	  "2026-10-01T09:00+08:00..2026-10-01T01:00Z: the period is empty: its end is not after its start" },
	{ "2026-10-01..", "2026-10-01..: no end after '..'" },
	{ "..2026-10-01", "..2026-10-01: no start before '..'" },
	{ "..", "..: no start before '..'" },
	{ "0999-12-31T23:00+08:00..2026-10-01", "0999-12-31T23:00+08:00..2026-10-01: the period reaches outside years 1000 to 9998" },
	{ "9998-12-31..9998-12-31T23:00-08:00",
	  "9998-12-31..9998-12-31T23:00-08:00: the period reaches outside years 1000 to 9998" },
	{ "2026-10-01..2026-10-05..2026-10-09", "2026-10-01..2026-10-05..2026-10-09: more than one '..'" },
	{ "2026-10-01...2026-10-05",
	  "2026-10-01...2026-10-05: end '.2026-10-05': not a date or an instant (" DATE_FORMS ")" },
	{ "2026-10..2026-11", "2026-10..2026-11: start '2026-10': not a date or an instant (" DATE_FORMS ")" },
	{ "2026-10-01..2026", "2026-10-01..2026: end '2026': not a date or an instant (" DATE_FORMS ")" },
	{ "2026-10-01..2026-13-01", "2026-10-01..2026-13-01: end '2026-13-01': month 13 does not exist" },
	{ "2025-02-29..2025-03-01",
	  "2025-02-29..2025-03-01: start '2025-02-29': day 29 does not exist in February 2025 (it has 28 days)" },
	{ "2026-10-01T25:00+08:00..2026-10-02",
	  "2026-10-01T25:00+08:00..2026-10-02: start: '2026-10-01T25:00+08:00' is not a valid ISO 8601 date-time" },
	{ "2026-10-01..2026-10-02Tnoon",
	  "2026-10-01..2026-10-02Tnoon: end: '2026-10-02Tnoon' is not a valid ISO 8601 date-time" },
	{ "2024-03-10T02:30..2024-03-11", NULL },       /* in New York: see test_bad_dst */
	{ "\xff", "a period is not valid UTF-8 text" },
};

static void
check_bad (const char *text, const char *message, GTimeZone *tz)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnPeriod) p = NULL;

	g_autofree char *escaped = g_strescape (text, NULL);

	g_test_message ("'%s'", escaped);
	p = xn_period_parse (text, tz, &error);
	g_assert_null (p);
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_cmpstr (error->message, ==, message);
}

static void
test_bad (void)
{
	g_autoptr(GTimeZone) tz = zone (SH);

	for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++) {
		if (bad_cases[i].message != NULL)
			check_bad (bad_cases[i].text, bad_cases[i].message, tz);
	}
}

/* A local time the zone skips or repeats names no instant, or two. */
static void
test_bad_dst (void)
{
	g_autoptr(GTimeZone) tz = zone (NY);

	check_bad ("2024-03-10T02:30..2024-03-11",
		   "2024-03-10T02:30..2024-03-11: start: '2024-03-10T02:30' does not exist "
		   "in time zone America/New_York (the clocks skip it)", tz);
	check_bad ("2024-11-03..2024-11-03T01:30",
		   "2024-11-03..2024-11-03T01:30: end: '2024-11-03T01:30' occurs twice "
		   "in time zone America/New_York: give the UTC offset", tz);
}

static void
test_new (void)
{
	g_autoptr(GTimeZone) tz = zone (SH);
	g_autoptr(GError) error = NULL;
	g_autoptr(XnPeriod) p = NULL;
	g_autoptr(XnPeriod) copy = NULL;
	GDate first, last;

	g_assert_null (xn_period_new (1000, 1000, tz, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_clear_error (&error);
	g_assert_null (xn_period_new (1000, 999, tz, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_clear_error (&error);

	g_date_clear (&first, 1);
	g_date_clear (&last, 1);
	g_date_set_dmy (&first, 1, G_DATE_FEBRUARY, 2024);
	g_date_set_dmy (&last, 29, G_DATE_FEBRUARY, 2024);
	p = xn_period_new_days (&first, &last, tz, &error);
	g_assert_no_error (error);
	g_assert_cmpint (p->kind, ==, XN_PERIOD_MONTH);
	g_assert_cmpint (xn_period_duration (p), ==, 2505600 * XN_USEC_PER_SEC);
	g_assert_cmpint (g_date_compare (&p->first, &first), ==, 0);
	g_assert_cmpint (g_date_compare (&p->last, &last), ==, 0);
	copy = xn_period_copy (p);
	g_assert_cmpint (copy->start, ==, p->start);
	g_assert_cmpint (copy->end, ==, p->end);
	g_assert_true (copy->tz == p->tz);

	/* One microsecond is a period too. */
	g_clear_pointer (&p, xn_period_free);
	p = xn_period_new (copy->start, copy->start + 1, tz, &error);
	g_assert_no_error (error);
	g_assert_cmpint (p->kind, ==, XN_PERIOD_INSTANTS);
	g_assert_cmpint (g_date_compare (&p->first, &p->last), ==, 0);
}

/* Checks that `pieces` tile `whole` in order, each of kind `kind` except
 * possibly partial pieces at the ends. */
static gint64
check_tiling (const XnPeriod *whole, GPtrArray *pieces, XnPeriodKind kind)
{
	XnInstant at = whole->start;
	gint64 sum = 0;

	g_assert_cmpuint (pieces->len, >, 0);
	for (guint i = 0; i < pieces->len; i++) {
		const XnPeriod *piece = g_ptr_array_index (pieces, i);

		g_assert_cmpint (piece->start, ==, at);
		g_assert_cmpint (piece->end, >, piece->start);
		if (i > 0 && i + 1 < pieces->len)
			g_assert_cmpint (piece->kind, ==, kind);
		sum += xn_period_duration (piece);
		at = piece->end;
	}
	g_assert_cmpint (at, ==, whole->end);
	g_assert_cmpint (sum, ==, xn_period_duration (whole));
	return sum;
}

/* Every month of 2024 and 2025, in three zones: its days tile it, there are
 * as many as the month has, and the months tile the year. */
static void
test_split_calendar (void)
{
	static const char *const zones[] = { SH, BER, NY, REPEATS_MIDNIGHT, SKIPS_MIDNIGHT };

	for (gsize z = 0; z < G_N_ELEMENTS (zones); z++) {
		g_autoptr(GTimeZone) tz = zone (zones[z]);

		for (guint year = 2024; year <= 2025; year++) {
			g_autofree char *year_text = g_strdup_printf ("%u", year);
			g_autoptr(XnPeriod) whole = parse_ok (year_text, tz);
			g_autoptr(GPtrArray) months = xn_period_split (whole, XN_PERIOD_MONTH);
			gint64 short_days = 0, long_days = 0;

			g_test_message ("%u in %s", year, zones[z]);
			g_assert_cmpuint (months->len, ==, 12);
			check_tiling (whole, months, XN_PERIOD_MONTH);
			for (guint m = 0; m < months->len; m++) {
				const XnPeriod *month = g_ptr_array_index (months, m);
				g_autoptr(GPtrArray) days = xn_period_split (month, XN_PERIOD_DAY);
				g_autofree char *text = xn_period_format (month);
				g_autofree char *expect = g_strdup_printf ("%u-%02u", year, m + 1);

				g_assert_cmpstr (text, ==, expect);
				g_assert_cmpint (month->kind, ==, XN_PERIOD_MONTH);
				g_assert_cmpuint (days->len, ==,
						  g_date_get_days_in_month ((GDateMonth) (m + 1), (GDateYear) year));
				check_tiling (month, days, XN_PERIOD_DAY);
				for (guint d = 0; d < days->len; d++) {
					const XnPeriod *day = g_ptr_array_index (days, d);

					g_assert_cmpint (day->kind, ==, XN_PERIOD_DAY);
					short_days += xn_period_duration (day) < XN_USEC_PER_DAY;
					long_days += xn_period_duration (day) > XN_USEC_PER_DAY;
				}
			}
			/* Each DST zone here has one 23-hour and one 25-hour day a year. */
			g_assert_cmpint (short_days, ==, strcmp (zones[z], SH) == 0 ? 0 : 1);
			g_assert_cmpint (long_days, ==, short_days);
		}
	}
}

typedef struct {
	const char  *text;
	XnPeriodKind unit;
	const char  *pieces;    /* canonical forms, space-separated */
} SplitCase;

static const SplitCase split_cases[] = {
	{ "2026-10-01T08:30+08:00..2026-10-03T12:00+08:00", XN_PERIOD_DAY,
	  "2026-10-01T08:30:00+08:00..2026-10-01 2026-10-02 2026-10-03..2026-10-03T12:00:00+08:00" },
	{ "2026-10-01T08:30+08:00..2026-10-01T09:00+08:00", XN_PERIOD_DAY,
	  "2026-10-01T08:30:00+08:00..2026-10-01T09:00:00+08:00" },
	{ "2026-10-01T08:30+08:00..2026-10-01T09:00+08:00", XN_PERIOD_MONTH,
	  "2026-10-01T08:30:00+08:00..2026-10-01T09:00:00+08:00" },
	{ "2025-12-30..2026-01-02", XN_PERIOD_DAY, "2025-12-30 2025-12-31 2026-01-01 2026-01-02" },
	{ "2025-12-30..2026-01-02", XN_PERIOD_MONTH, "2025-12-30..2025-12-31 2026-01-01..2026-01-02" },
	{ "2024-01-15..2024-04-10", XN_PERIOD_MONTH, "2024-01-15..2024-01-31 2024-02 2024-03 2024-04-01..2024-04-10" },
	{ "2024-Q1", XN_PERIOD_MONTH, "2024-01 2024-02 2024-03" },
	{ "2026-10-05", XN_PERIOD_DAY, "2026-10-05" },
	{ "2026-10-05", XN_PERIOD_MONTH, "2026-10-05" },
};

static void
test_split_ragged (void)
{
	g_autoptr(GTimeZone) tz = zone (SH);

	for (gsize i = 0; i < G_N_ELEMENTS (split_cases); i++) {
		const SplitCase *c = &split_cases[i];
		g_autoptr(XnPeriod) whole = parse_ok (c->text, tz);
		g_autoptr(GPtrArray) pieces = xn_period_split (whole, c->unit);
		g_autoptr(GString) got = g_string_new (NULL);

		g_test_message ("%s by %s", c->text, xn_period_kind_name (c->unit));
		check_tiling (whole, pieces, c->unit);
		for (guint j = 0; j < pieces->len; j++) {
			g_autofree char *text = xn_period_format (g_ptr_array_index (pieces, j));

			g_string_append_printf (got, "%s%s", j > 0 ? " " : "", text);
		}
		g_assert_cmpstr (got->str, ==, c->pieces);
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/period/parse", test_parse);
	g_test_add_func ("/period/bad", test_bad);
	g_test_add_func ("/period/bad-dst", test_bad_dst);
	g_test_add_func ("/period/new", test_new);
	g_test_add_func ("/period/split/calendar", test_split_calendar);
	g_test_add_func ("/period/split/ragged", test_split_ragged);
	return g_test_run ();
}

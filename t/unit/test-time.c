/* test-time.c — lib/xn-time.c: ISO 8601 in and out, zones, instants.
 *
 * Table-driven: each row is an input and the instant or text it must give,
 * worked out independently (Python zoneinfo) rather than by this code. Rows
 * cross month and year ends and a leap day, and run in Asia/Shanghai (no
 * DST), America/New_York and Europe/Berlin (DST gaps and repeated hours),
 * plus a fixed offset. A round trip over every hour of two DST change days
 * checks that parse and format agree. */
#include "xn-error.h"
#include "xn-time.h"

#include <string.h>

typedef struct {
	const char *text;
	const char *zone;
	const char *utc;        /* xn_time_format_utc of the result; NULL: must fail */
} ParseCase;

static const ParseCase parse_cases[] = {
	{ "2025-02-05T09:00:00+08:00",        "Asia/Shanghai",    "2025-02-05T01:00:00.000000Z" },
	{ "2025-02-05T09:00+08:00",           "Asia/Shanghai",    "2025-02-05T01:00:00.000000Z" },
	{ "2025-02-05T09:00",                 "Asia/Shanghai",    "2025-02-05T01:00:00.000000Z" },
	{ "2025-02-05T09:00:00",              "Asia/Shanghai",    "2025-02-05T01:00:00.000000Z" },
	{ "2025-02-05T09:00:00Z",             "Asia/Shanghai",    "2025-02-05T09:00:00.000000Z" },
	{ "2025-02-05T09:00Z",                "Asia/Shanghai",    "2025-02-05T09:00:00.000000Z" },
	{ "2025-02-05T09:00:00-03:30",        "Asia/Shanghai",    "2025-02-05T12:30:00.000000Z" },
	{ "2025-02-05T09:00:00.123456+08:00", "Asia/Shanghai",    "2025-02-05T01:00:00.123456Z" },
	{ "2025-02-05T09:00:00.000001Z",      "Asia/Shanghai",    "2025-02-05T09:00:00.000001Z" },
	{ "2024-12-31T23:59:59.999999+08:00", "Asia/Shanghai",    "2024-12-31T15:59:59.999999Z" },
	{ "2025-01-01T07:30:00",              "Asia/Shanghai",    "2024-12-31T23:30:00.000000Z" },
	{ "2024-03-01T05:00:00",              "Asia/Shanghai",    "2024-02-29T21:00:00.000000Z" },
	{ "2025-03-01T05:00:00",              "Asia/Shanghai",    "2025-02-28T21:00:00.000000Z" },
	{ "1969-12-31T23:59:59.5Z",           "Asia/Shanghai",    "1969-12-31T23:59:59.500000Z" },
	{ "2025-02-05T09:00",                 "+08:00",           "2025-02-05T01:00:00.000000Z" },
	/* New York: 02:00-03:00 skipped on 2024-03-10, 01:00-02:00 repeated on 2024-11-03. */
	{ "2024-03-10T01:59:59",              "America/New_York", "2024-03-10T06:59:59.000000Z" },
	{ "2024-03-10T03:00:00",              "America/New_York", "2024-03-10T07:00:00.000000Z" },
	{ "2024-03-10T02:30:00",              "America/New_York", NULL },
	{ "2024-03-10T02:00",                 "America/New_York", NULL },
	{ "2024-11-03T01:30:00",              "America/New_York", NULL },
	{ "2024-11-03T01:30:00-04:00",        "America/New_York", "2024-11-03T05:30:00.000000Z" },
	{ "2024-11-03T01:30:00-05:00",        "America/New_York", "2024-11-03T06:30:00.000000Z" },
	{ "2024-11-03T02:30:00",              "America/New_York", "2024-11-03T07:30:00.000000Z" },
	{ "2024-12-31T19:00:00",              "America/New_York", "2025-01-01T00:00:00.000000Z" },
	/* Berlin: 02:00-03:00 skipped on 2024-03-31, repeated on 2024-10-27. */
	{ "2024-03-31T02:30:00",              "Europe/Berlin",    NULL },
	{ "2024-10-27T02:30:00",              "Europe/Berlin",    NULL },
	{ "2024-10-27T02:30:00+02:00",        "Europe/Berlin",    "2024-10-27T00:30:00.000000Z" },
	{ "2024-10-27T02:30:00+01:00",        "Europe/Berlin",    "2024-10-27T01:30:00.000000Z" },
	{ "2025-01-01T00:30:00",              "Europe/Berlin",    "2024-12-31T23:30:00.000000Z" },
	/* Not instants. */
	{ "2025-02-05",                       "Asia/Shanghai",    NULL },
	{ "",                                 "Asia/Shanghai",    NULL },
	{ "tomorrow",                         "Asia/Shanghai",    NULL },
	{ "2025-02-30T00:00:00Z",             "Asia/Shanghai",    NULL },
	{ "2025-02-05T25:00:00Z",             "Asia/Shanghai",    NULL },
	{ "2025-02-05T09:00:00+08:00junk",    "Asia/Shanghai",    NULL },
	{ "2025-02-05T09",                    "Asia/Shanghai",    NULL },
	{ "2025-02-05 09:00:00+08:00",        "Asia/Shanghai",    NULL },
};

static void
test_parse_table (void)
{
	for (gsize i = 0; i < G_N_ELEMENTS (parse_cases); i++) {
		const ParseCase *c = &parse_cases[i];
		g_autoptr(GTimeZone) tz = xn_time_zone_new (c->zone, NULL);
		g_autoptr(GError) error = NULL;
		XnInstant t = 0;
		gboolean ok;

		g_test_message ("parse '%s' in %s", c->text, c->zone);
		g_assert_nonnull (tz);
		ok = xn_time_parse (c->text, tz, &t, &error);
		if (c->utc == NULL) {
			g_assert_false (ok);
			g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
			g_assert_nonnull (strstr (error->message, c->text));
		} else {
			g_autofree char *utc = NULL;

			g_assert_no_error (error);
			g_assert_true (ok);
			utc = xn_time_format_utc (t);
			g_assert_cmpstr (utc, ==, c->utc);
		}
	}
}

static void
test_parse_messages (void)
{
	g_autoptr(GTimeZone) ny = xn_time_zone_new ("America/New_York", NULL);
	g_autoptr(GError) error = NULL;
	XnInstant t;

	g_assert_false (xn_time_parse ("2024-03-10T02:30:00", ny, &t, &error));
	g_assert_nonnull (strstr (error->message, "does not exist in time zone America/New_York"));
	g_clear_error (&error);
	g_assert_false (xn_time_parse ("2024-11-03T01:30:00", ny, &t, &error));
	g_assert_nonnull (strstr (error->message, "occurs twice"));
	g_clear_error (&error);
	/* Without a zone, a local time names no instant. */
	g_assert_false (xn_time_parse ("2025-02-05T09:00:00", NULL, &t, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_nonnull (strstr (error->message, "no UTC offset"));
	g_clear_error (&error);
	g_assert_true (xn_time_parse ("2025-02-05T09:00:00+08:00", NULL, &t, &error));
	g_assert_no_error (error);
	g_assert_cmpint (t, ==, G_GINT64_CONSTANT (1738717200000000));
	g_assert_false (xn_time_parse (NULL, ny, &t, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
}

typedef struct {
	XnInstant t;
	const char *zone;
	const char *text;
} FormatCase;

static const FormatCase format_cases[] = {
	{ G_GINT64_CONSTANT (1737907200000000), "Asia/Shanghai",    "2025-01-27T00:00:00+08:00" },
	{ G_GINT64_CONSTANT (1737907200000000), "America/New_York", "2025-01-26T11:00:00-05:00" },
	{ G_GINT64_CONSTANT (1737907200000000), "Europe/Berlin",    "2025-01-26T17:00:00+01:00" },
	{ G_GINT64_CONSTANT (1737907200000000), "UTC",              "2025-01-26T16:00:00+00:00" },
	{ G_GINT64_CONSTANT (1735660800000000), "Asia/Shanghai",    "2025-01-01T00:00:00+08:00" },
	{ G_GINT64_CONSTANT (1735660799999999), "Asia/Shanghai",    "2024-12-31T23:59:59.999999+08:00" },
	{ G_GINT64_CONSTANT (1709222400000000), "Asia/Shanghai",    "2024-03-01T00:00:00+08:00" },
	{ G_GINT64_CONSTANT (1709222400000000), "America/New_York", "2024-02-29T11:00:00-05:00" },
	{ G_GINT64_CONSTANT (1710053999000000), "America/New_York", "2024-03-10T01:59:59-05:00" },
	{ G_GINT64_CONSTANT (1710054000000000), "America/New_York", "2024-03-10T03:00:00-04:00" },
	{ G_GINT64_CONSTANT (1730611800000000), "America/New_York", "2024-11-03T01:30:00-04:00" },
	{ G_GINT64_CONSTANT (1730615400000000), "America/New_York", "2024-11-03T01:30:00-05:00" },
	{ G_GINT64_CONSTANT (1729989000000000), "Europe/Berlin",    "2024-10-27T02:30:00+02:00" },
	{ G_GINT64_CONSTANT (1729992600000000), "Europe/Berlin",    "2024-10-27T02:30:00+01:00" },
	{ G_GINT64_CONSTANT (946684800000000),  "America/New_York", "1999-12-31T19:00:00-05:00" },
	{ -500000,                              "Asia/Shanghai",    "1970-01-01T07:59:59.500000+08:00" },
	{ 0,                                    "+05:30",           "1970-01-01T05:30:00+05:30" },
};

static void
test_format_table (void)
{
	for (gsize i = 0; i < G_N_ELEMENTS (format_cases); i++) {
		const FormatCase *c = &format_cases[i];
		g_autoptr(GTimeZone) tz = xn_time_zone_new (c->zone, NULL);
		g_autofree char *text = NULL;
		g_autoptr(GError) error = NULL;
		XnInstant back = 0;

		g_assert_nonnull (tz);
		text = xn_time_format (c->t, tz);
		g_assert_cmpstr (text, ==, c->text);
		/* What we print, we read back to the same microsecond. */
		g_assert_true (xn_time_parse (text, tz, &back, &error));
		g_assert_no_error (error);
		g_assert_cmpint (back, ==, c->t);
	}
}

static void
test_format_utc (void)
{
	g_autofree char *a = xn_time_format_utc (G_GINT64_CONSTANT (1737907200000000));
	g_autofree char *b = xn_time_format_utc (-500000);
	g_autofree char *c = xn_time_format_utc (G_GINT64_CONSTANT (1735660799999999));

	g_assert_cmpstr (a, ==, "2025-01-26T16:00:00.000000Z");
	g_assert_cmpstr (b, ==, "1969-12-31T23:59:59.500000Z");
	g_assert_cmpstr (c, ==, "2024-12-31T15:59:59.999999Z");
}

static void
test_zone_new (void)
{
	static const char *const good[] = { "Asia/Shanghai", "America/New_York", "Europe/Berlin",
					    "UTC", "+08:00", "-03:30" };
	static const char *const bad[] = { "Mars/Olympus_Mons", "", "Asia/Shanghai/extra" };

	for (gsize i = 0; i < G_N_ELEMENTS (good); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GTimeZone) tz = xn_time_zone_new (good[i], &error);

		g_assert_no_error (error);
		g_assert_nonnull (tz);
	}
	for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GTimeZone) tz = xn_time_zone_new (bad[i], &error);

		g_assert_null (tz);
		g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	}
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GTimeZone) tz = xn_time_zone_new (NULL, &error);

		g_assert_null (tz);
		g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	}
}

static void
test_datetime_round_trip (void)
{
	g_autoptr(GTimeZone) tz = xn_time_zone_new ("Asia/Shanghai", NULL);
	g_autoptr(GDateTime) dt = xn_time_to_datetime (G_GINT64_CONSTANT (1737907200123456), tz);

	g_assert_cmpint (g_date_time_get_year (dt), ==, 2025);
	g_assert_cmpint (g_date_time_get_month (dt), ==, 1);
	g_assert_cmpint (g_date_time_get_day_of_month (dt), ==, 27);
	g_assert_cmpint (g_date_time_get_hour (dt), ==, 0);
	g_assert_cmpint (g_date_time_get_microsecond (dt), ==, 123456);
	g_assert_cmpint (xn_time_from_datetime (dt), ==, G_GINT64_CONSTANT (1737907200123456));
}

/* Every 30 minutes across both 2024 DST changes in New York and Berlin. */
static void
test_dst_days_round_trip (void)
{
	static const struct { const char *zone; XnInstant from; } days[] = {
		{ "America/New_York", G_GINT64_CONSTANT (1710043200000000) }, /* 2024-03-10T04:00Z */
		{ "America/New_York", G_GINT64_CONSTANT (1730606400000000) }, /* 2024-11-03T04:00Z */
		{ "Europe/Berlin",    G_GINT64_CONSTANT (1711843200000000) }, /* 2024-03-31T00:00Z */
		{ "Europe/Berlin",    G_GINT64_CONSTANT (1729987200000000) }, /* 2024-10-27T00:00Z */
	};

	for (gsize i = 0; i < G_N_ELEMENTS (days); i++) {
		g_autoptr(GTimeZone) tz = xn_time_zone_new (days[i].zone, NULL);

		for (XnInstant t = days[i].from; t < days[i].from + XN_USEC_PER_DAY; t += 30 * XN_USEC_PER_MINUTE) {
			g_autofree char *text = xn_time_format (t, tz);
			g_autoptr(GError) error = NULL;
			XnInstant back = 0;

			g_assert_true (xn_time_parse (text, tz, &back, &error));
			g_assert_no_error (error);
			g_assert_cmpint (back, ==, t);
		}
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/time/parse/table", test_parse_table);
	g_test_add_func ("/time/parse/messages", test_parse_messages);
	g_test_add_func ("/time/format/table", test_format_table);
	g_test_add_func ("/time/format/utc", test_format_utc);
	g_test_add_func ("/time/zone/new", test_zone_new);
	g_test_add_func ("/time/datetime/round-trip", test_datetime_round_trip);
	g_test_add_func ("/time/dst-days/round-trip", test_dst_days_round_trip);
	return g_test_run ();
}

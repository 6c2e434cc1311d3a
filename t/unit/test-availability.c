/* test-availability.c — sla/availability.c: interval unions, one object's
 * seconds in a period, group sums and percents.
 *
 * The table gives, per row, down and planned intervals as ISO 8601 text and
 * the seconds and percent worked out by hand (percent: Python Decimal,
 * rounded down): overlapping, touching, unordered, outside the period, open,
 * planned over down, microsecond lengths, and days of 23 and 25 hours. Then
 * the properties the reports rely on: a month equals the sum of its days and
 * a year the sum of its months, checked on generated outages (a fixed seed,
 * so a failure reproduces) against an independent minute-by-minute count;
 * an outage across a month end splits between the months; groups are sums
 * of seconds, which differ from averages of percentages; an empty group and
 * a wholly planned one have no percent. */
#include "availability.h"
#include "xn-error.h"

#include <math.h>
#include <string.h>

#define SH "Asia/Shanghai"
#define BER "Europe/Berlin"
#define NY "America/New_York"
#define OPEN "open"

static GTimeZone *
zone (const char *name)
{
	g_autoptr(GError) error = NULL;
	GTimeZone *tz = xn_time_zone_new (name, &error);

	g_assert_no_error (error);
	return tz;
}

static XnInstant
instant (const char *text, GTimeZone *tz)
{
	g_autoptr(GError) error = NULL;
	XnInstant t = 0;

	if (strcmp (text, OPEN) == 0)
		return XN_INTERVAL_OPEN;
	g_assert_true (xn_time_parse (text, tz, &t, &error));
	g_assert_no_error (error);
	return t;
}

static XnPeriod *
period (const char *text, GTimeZone *tz)
{
	g_autoptr(GError) error = NULL;
	XnPeriod *p = xn_period_parse (text, tz, &error);

	g_assert_no_error (error);
	return p;
}

typedef struct {
	const char *start;      /* local time in the row's zone, or with an offset */
	const char *end;        /* or OPEN */
} Span;

#define MAX_SPANS 5

/* Spans up to the first with start NULL, as intervals. */
static GArray *
intervals_of (const Span *spans, GTimeZone *tz)
{
	GArray *a = g_array_new (FALSE, FALSE, sizeof (XnInterval));

	for (guint i = 0; i < MAX_SPANS && spans[i].start != NULL; i++) {
		XnInterval iv = { instant (spans[i].start, tz), instant (spans[i].end, tz) };

		g_array_append_val (a, iv);
	}
	return a;
}

static void
assert_seconds (gint64 usec, const char *expected)
{
	g_autofree char *text = xn_seconds_format (usec);

	g_assert_cmpstr (text, ==, expected);
}

typedef struct {
	const char *title;
	const char *period;
	const char *zone;
	Span down[MAX_SPANS];
	Span planned[MAX_SPANS];
	const char *planned_s;
	const char *down_s;
	const char *up_s;
	const char *percent;    /* 4 decimals, rounded down; NULL: none */
} Case;

#define FEB "2024-02"
#define D10 "2024-02-10T"

static const Case cases[] = {
	{ "nothing down", FEB, SH, { { 0 } }, { { 0 } }, "0", "0", "2505600", "100.0000" },
	{ "one hour", FEB, SH, { { D10 "10:00", D10 "11:00" } }, { { 0 } }, "0", "3600", "2502000", "99.8563" },
	{ "overlapping, duplicate and nested: counted once", FEB, SH,
	  { { D10 "10:00", D10 "11:00" }, { D10 "10:30", D10 "12:00" }, { D10 "10:30", D10 "12:00" },
	    { D10 "10:45", D10 "10:50" } }, { { 0 } }, "0", "7200", "2498400", "99.7126" },
	{ "touching and unordered", FEB, SH,
	  { { D10 "13:00", D10 "14:00" }, { D10 "11:00", D10 "12:00" }, { D10 "10:00", D10 "11:00" } }, { { 0 } },
	  "0", "10800", "2494800", "99.5689" },
	{ "wholly outside, or touching the period from outside", FEB, SH,
	  { { "2024-01-31T10:00", "2024-01-31T11:00" }, { "2024-01-01T00:00", "2024-02-01T00:00" },
	    { "2024-03-01T00:00", OPEN }, { "2024-03-05T00:00", "2024-03-06T00:00" } }, { { 0 } },
	  "0", "0", "2505600", "100.0000" },
	{ "across the period start", FEB, SH, { { "2024-01-31T23:00", "2024-02-01T01:00" } }, { { 0 } },
	  "0", "3600", "2502000", "99.8563" },
	{ "open, clipped at the period end", FEB, SH, { { "2024-02-29T23:00", OPEN } }, { { 0 } },
	  "0", "3600", "2502000", "99.8563" },
	{ "open since before the period", FEB, SH, { { "2024-01-15T00:00", OPEN } }, { { 0 } },
	  "0", "2505600", "0", "0.0000" },
	{ "down in a planned window counts as planned", FEB, SH,
	  { { D10 "10:00", D10 "12:00" } }, { { D10 "11:00", D10 "13:00" } }, "7200", "3600", "2494800", "99.8559" },
	{ "down wholly inside planned", FEB, SH,
	  { { D10 "10:00", D10 "11:00" } }, { { D10 "09:00", D10 "12:00" } }, "10800", "0", "2494800", "100.0000" },
	{ "planned windows overlap each other and the period end", FEB, SH,
	  { { D10 "10:00", D10 "12:00" } },
	  { { D10 "11:00", D10 "12:00" }, { D10 "11:30", D10 "13:00" }, { "2024-02-29T22:00", "2024-03-01T02:00" } },
	  "14400", "3600", "2487600", "99.8554" },
	{ "the whole period planned: no percent", FEB, SH,
	  { { D10 "10:00", D10 "11:00" } }, { { "2024-01-01T00:00", OPEN } }, "2505600", "0", "0", NULL },
	{ "empty and inverted intervals are nothing", FEB, SH,
	  { { D10 "10:00", D10 "10:00" }, { D10 "11:00", D10 "10:00" } }, { { D10 "12:00", D10 "11:00" } },
	  "0", "0", "2505600", "100.0000" },
	{ "microseconds are kept", FEB, SH,
	  { { D10 "10:00:00", D10 "10:00:00.5" }, { D10 "11:00:00.000001", D10 "11:00:00.000002" } }, { { 0 } },
	  "0", "0.500001", "2505599.499999", "99.9999" },
	{ "instants with offsets", FEB, SH,
	  { { "2024-02-10T02:00Z", "2024-02-10T11:00+08:00" }, { "2024-02-29T15:30Z", OPEN } }, { { 0 } },
	  "0", "5400", "2500200", "99.7844" },
	{ "a 23-hour day wholly down", "2024-03-31", BER, { { "2024-03-30T12:00", OPEN } }, { { 0 } },
	  "0", "82800", "0", "0.0000" },
	{ "four hours across the repeated hour of a 25-hour day", "2024-10-27", BER,
	  { { "2024-10-27T00:00", "2024-10-27T03:00" } }, { { 0 } }, "0", "14400", "75600", "84.0000" },
	{ "three hours across the skipped hour", "2024-03-10", NY,
	  { { "2024-03-10T01:00", "2024-03-10T05:00" } }, { { 0 } }, "0", "10800", "72000", "86.9565" },
	{ "a range of instants", "2024-02-10T09:00..2024-02-10T13:00", SH,
	  { { D10 "08:00", D10 "10:00" }, { D10 "12:00", OPEN } }, { { 0 } }, "0", "7200", "7200", "50.0000" },
};

static void
test_table (void)
{
	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		const Case *c = &cases[i];
		g_autoptr(GTimeZone) tz = zone (c->zone);
		g_autoptr(XnPeriod) p = period (c->period, tz);
		g_autoptr(GArray) down = intervals_of (c->down, tz);
		g_autoptr(GArray) planned = intervals_of (c->planned, tz);
		g_autofree char *percent = NULL;
		XnAvailability a;
		double value = -1;

		g_test_message ("%s (%s in %s)", c->title, c->period, c->zone);
		xn_availability_compute (p, (XnInterval *) down->data, down->len,
					 (XnInterval *) planned->data, planned->len, &a);
		g_assert_cmpuint (a.members, ==, 1);
		g_assert_cmpint (a.period_us, ==, xn_period_duration (p));
		g_assert_cmpint (a.measured_us, ==, a.period_us - a.planned_us);
		g_assert_cmpint (a.up_us, ==, a.measured_us - a.down_us);
		assert_seconds (a.planned_us, c->planned_s);
		assert_seconds (a.down_us, c->down_s);
		assert_seconds (a.up_us, c->up_s);
		percent = xn_availability_format_percent (&a, 4);
		g_assert_cmpstr (percent, ==, c->percent);
		g_assert_cmpint (xn_availability_percent (&a, &value), ==, c->percent != NULL);
		if (c->percent != NULL) {
			g_assert_cmpfloat (value, >=, 0.0);
			g_assert_cmpfloat (value, <=, 100.0);
			g_assert_cmpint (value == 100.0, ==, a.down_us == 0);
			g_assert_cmpfloat_with_epsilon (value, g_ascii_strtod (c->percent, NULL), 1e-4);
		} else {
			g_assert_cmpfloat (value, ==, -1);
		}
	}
}

/* The example: an outage across a month end counts one hour in
 * each month, and the two months add up to the two-month range. */
static void
test_month_end (void)
{
	g_autoptr(GTimeZone) tz = zone (SH);
	g_autoptr(XnPeriod) jan = period ("2026-01", tz);
	g_autoptr(XnPeriod) feb = period ("2026-02", tz);
	g_autoptr(XnPeriod) both = period ("2026-01-01..2026-02-28", tz);
	XnInterval outage = { instant ("2026-01-31T23:00+08:00", tz), instant ("2026-02-01T01:00+08:00", tz) };
	XnAvailability a_jan, a_feb, a_both, sum = XN_AVAILABILITY_INIT;

	xn_availability_compute (jan, &outage, 1, NULL, 0, &a_jan);
	xn_availability_compute (feb, &outage, 1, NULL, 0, &a_feb);
	xn_availability_compute (both, &outage, 1, NULL, 0, &a_both);
	assert_seconds (a_jan.down_us, "3600");
	assert_seconds (a_feb.down_us, "3600");
	assert_seconds (a_both.down_us, "7200");
	assert_seconds (a_jan.period_us, "2678400");
	assert_seconds (a_feb.period_us, "2419200");
	xn_availability_add (&sum, &a_jan);
	xn_availability_add (&sum, &a_feb);
	g_assert_cmpuint (sum.members, ==, 2);
	g_assert_cmpint (sum.period_us, ==, a_both.period_us);
	g_assert_cmpint (sum.down_us, ==, a_both.down_us);
	g_assert_cmpint (sum.up_us, ==, a_both.up_us);
	g_assert_cmpint (sum.measured_us, ==, a_both.measured_us);
}

/* ---- generated outages ---------------------------------------------------- */

#define SEED 20261001u
#define MINUTE (60 * XN_USEC_PER_SEC)

/* Outages and planned windows on whole minutes around `p`: some overlap,
 * some reach outside it, some are open. */
static GArray *
generate (GRand *rand, const XnPeriod *p, guint max_count, gint32 max_minutes)
{
	GArray *a = g_array_new (FALSE, FALSE, sizeof (XnInterval));
	gint32 span = (gint32) (xn_period_duration (p) / MINUTE);
	guint count = (guint) g_rand_int_range (rand, 0, (gint32) max_count + 1);

	for (guint i = 0; i < count; i++) {
		XnInterval iv;

		iv.start = p->start + g_rand_int_range (rand, -2 * 1440, span + 1440) * MINUTE;
		if (g_rand_int_range (rand, 0, 10) == 0)
			iv.end = XN_INTERVAL_OPEN;
		else
			iv.end = iv.start + g_rand_int_range (rand, 1, max_minutes) * MINUTE;
		g_array_append_val (a, iv);
	}
	return a;
}

static gboolean
covers (const GArray *a, XnInstant t)
{
	for (guint i = 0; i < a->len; i++) {
		const XnInterval *iv = &g_array_index (a, XnInterval, i);

		if (iv->start <= t && t < iv->end)
			return TRUE;
	}
	return FALSE;
}

/* The definition, minute by minute, without unions or clipping. */
static void
count_minutes (const XnPeriod *p, const GArray *down, const GArray *planned, XnAvailability *out)
{
	memset (out, 0, sizeof *out);
	out->members = 1;
	for (XnInstant t = p->start; t < p->end; t += MINUTE) {
		out->period_us += MINUTE;
		if (covers (planned, t))
			out->planned_us += MINUTE;
		else if (covers (down, t))
			out->down_us += MINUTE;
		else
			out->up_us += MINUTE;
	}
	out->measured_us = out->period_us - out->planned_us;
}

static void
assert_same_seconds (const XnAvailability *a, const XnAvailability *b)
{
	g_assert_cmpint (a->period_us, ==, b->period_us);
	g_assert_cmpint (a->planned_us, ==, b->planned_us);
	g_assert_cmpint (a->measured_us, ==, b->measured_us);
	g_assert_cmpint (a->down_us, ==, b->down_us);
	g_assert_cmpint (a->up_us, ==, b->up_us);
}

static void
sum_of (const GPtrArray *pieces, const GArray *down, const GArray *planned, XnAvailability *sum)
{
	*sum = (XnAvailability) XN_AVAILABILITY_INIT;
	for (guint i = 0; i < pieces->len; i++) {
		XnAvailability a;

		xn_availability_compute (g_ptr_array_index (pieces, i),
					 (XnInterval *) down->data, down->len,
					 (XnInterval *) planned->data, planned->len, &a);
		xn_availability_add (sum, &a);
	}
}

/* Every month of 2024 and 2025, in a zone without and one with DST: the
 * month's figures equal the sum of its days' and the minute count. */
static void
test_month_is_sum_of_days (void)
{
	static const char *const zones[] = { SH, BER };
	g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
	guint down_months = 0;

	g_test_message ("seed %u", SEED);
	for (gsize z = 0; z < G_N_ELEMENTS (zones); z++) {
		g_autoptr(GTimeZone) tz = zone (zones[z]);

		for (guint year = 2024; year <= 2025; year++) {
			for (guint m = 1; m <= 12; m++) {
				g_autofree char *text = g_strdup_printf ("%u-%02u", year, m);
				g_autoptr(XnPeriod) month = period (text, tz);
				g_autoptr(GPtrArray) days = xn_period_split (month, XN_PERIOD_DAY);
				g_autoptr(GArray) down = generate (rand, month, 8, 3 * 1440);
				g_autoptr(GArray) planned = generate (rand, month, 2, 12 * 60);
				XnAvailability whole, by_day, minutes;

				g_test_message ("%s in %s: %u outages, %u planned", text, zones[z],
						down->len, planned->len);
				xn_availability_compute (month, (XnInterval *) down->data, down->len,
							 (XnInterval *) planned->data, planned->len, &whole);
				sum_of (days, down, planned, &by_day);
				count_minutes (month, down, planned, &minutes);
				assert_same_seconds (&whole, &by_day);
				assert_same_seconds (&whole, &minutes);
				g_assert_cmpuint (by_day.members, ==, days->len);
				down_months += whole.down_us > 0;
			}
		}
	}
	/* The generator must really have produced downtime to compare. */
	g_assert_cmpuint (down_months, >=, 24);
}

/* A year is the sum of its months and of its quarters. */
static void
test_year_is_sum_of_months (void)
{
	g_autoptr(GTimeZone) tz = zone (NY);
	g_autoptr(GRand) rand = g_rand_new_with_seed (SEED + 1);
	g_autoptr(XnPeriod) year = period ("2024", tz);
	g_autoptr(GPtrArray) months = xn_period_split (year, XN_PERIOD_MONTH);
	g_autoptr(GPtrArray) quarters = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_period_free);
	g_autoptr(GArray) down = generate (rand, year, 40, 5 * 1440);
	g_autoptr(GArray) planned = generate (rand, year, 10, 24 * 60);
	XnAvailability whole, by_month, by_quarter;

	for (guint q = 1; q <= 4; q++) {
		g_autofree char *text = g_strdup_printf ("2024-Q%u", q);

		g_ptr_array_add (quarters, period (text, tz));
	}
	xn_availability_compute (year, (XnInterval *) down->data, down->len,
				 (XnInterval *) planned->data, planned->len, &whole);
	sum_of (months, down, planned, &by_month);
	sum_of (quarters, down, planned, &by_quarter);
	assert_seconds (whole.period_us, "31622400");
	g_assert_cmpint (whole.down_us, >, 0);
	assert_same_seconds (&whole, &by_month);
	assert_same_seconds (&whole, &by_quarter);
}

/* ---- groups --------------------------------------------------------------- */

static XnAvailability
one_object (const XnPeriod *p, XnInstant down_from, gint64 down_seconds)
{
	XnInterval iv = { down_from, down_from + down_seconds * XN_USEC_PER_SEC };
	XnAvailability a;

	xn_availability_compute (p, &iv, 1, NULL, 0, &a);
	return a;
}

/* doc/availability.md's region: three units over February 2024. */
static void
test_region (void)
{
	g_autoptr(GTimeZone) tz = zone (SH);
	g_autoptr(XnPeriod) feb = period ("2024-02", tz);
	XnInstant t = instant ("2024-02-10T10:00", tz);
	XnAvailability units[] = { one_object (feb, t, 0), one_object (feb, t, 14400), one_object (feb, t, 86400) };
	static const char *const percents[] = { "100.0000", "99.4252", "96.5517" };
	XnAvailability region = XN_AVAILABILITY_INIT;
	g_autofree char *percent = NULL;

	for (gsize i = 0; i < G_N_ELEMENTS (units); i++) {
		g_autofree char *text = xn_availability_format_percent (&units[i], 4);

		g_assert_cmpstr (text, ==, percents[i]);
		xn_availability_add (&region, &units[i]);
	}
	g_assert_cmpuint (region.members, ==, 3);
	assert_seconds (region.period_us, "7516800");
	assert_seconds (region.down_us, "100800");
	assert_seconds (region.up_us, "7416000");
	percent = xn_availability_format_percent (&region, 4);
	g_assert_cmpstr (percent, ==, "98.6590");
}

/* Q1 2024 with one day down in February: the quarter's percent is from its
 * seconds, not the mean of the months' percents (they weigh 31, 29 and 31
 * days alike). */
static void
test_sum_is_not_mean (void)
{
	g_autoptr(GTimeZone) tz = zone (SH);
	g_autoptr(XnPeriod) q1 = period ("2024-Q1", tz);
	g_autoptr(GPtrArray) months = xn_period_split (q1, XN_PERIOD_MONTH);
	XnInstant t = instant ("2024-02-10T00:00", tz);
	XnAvailability quarter = one_object (q1, t, 86400);
	XnAvailability sum = XN_AVAILABILITY_INIT;
	g_autofree char *q_text = NULL;
	g_autofree char *sum_text = NULL;
	double mean = 0, q_percent = 0, sum_percent = 0;

	for (guint i = 0; i < months->len; i++) {
		XnAvailability a = one_object (g_ptr_array_index (months, i), t, 86400);
		double p = 0;

		g_assert_true (xn_availability_percent (&a, &p));
		mean += p / months->len;
		xn_availability_add (&sum, &a);
	}
	g_assert_true (xn_availability_percent (&quarter, &q_percent));
	g_assert_true (xn_availability_percent (&sum, &sum_percent));
	q_text = xn_availability_format_percent (&quarter, 4);
	sum_text = xn_availability_format_percent (&sum, 4);
	g_assert_cmpstr (q_text, ==, "98.9010");
	g_assert_cmpstr (sum_text, ==, "98.9010");
	g_assert_cmpfloat (q_percent, ==, sum_percent);
	g_assert_cmpfloat_with_epsilon (mean, 98.8505747, 1e-6);
	g_assert_cmpfloat (fabs (mean - q_percent), >, 0.05);
}

static void
test_no_percent (void)
{
	g_autoptr(GTimeZone) tz = zone (SH);
	g_autoptr(XnPeriod) feb = period ("2024-02", tz);
	XnAvailability empty = XN_AVAILABILITY_INIT;
	XnAvailability planned_group = XN_AVAILABILITY_INIT;
	XnInterval all = { feb->start - XN_USEC_PER_DAY, XN_INTERVAL_OPEN };
	double value = 42;

	g_assert_false (xn_availability_percent (&empty, &value));
	g_assert_null (xn_availability_format_percent (&empty, 2));
	g_assert_cmpfloat (value, ==, 42);
	/* Adding an empty group changes nothing. */
	xn_availability_add (&planned_group, &empty);
	g_assert_cmpuint (planned_group.members, ==, 0);
	for (guint i = 0; i < 3; i++) {
		XnAvailability a;

		xn_availability_compute (feb, &all, 1, &all, 1, &a);
		xn_availability_add (&planned_group, &a);
	}
	g_assert_cmpuint (planned_group.members, ==, 3);
	assert_seconds (planned_group.planned_us, "7516800");
	assert_seconds (planned_group.down_us, "0");
	g_assert_false (xn_availability_percent (&planned_group, &value));
	g_assert_null (xn_availability_format_percent (&planned_group, 2));
	g_assert_cmpfloat (value, ==, 42);
}

/* One microsecond down in ten thousand unit-years is not 100 %, and one
 * microsecond up is not 0 %. */
static void
test_percent_bounds (void)
{
	g_autoptr(GTimeZone) tz = zone (SH);
	g_autoptr(XnPeriod) year = period ("2024", tz);
	XnInterval tiny = { year->start, year->start + 1 };
	XnInterval all_but_tiny = { year->start + 1, XN_INTERVAL_OPEN };
	XnAvailability clean, blip, almost, group = XN_AVAILABILITY_INIT, dark = XN_AVAILABILITY_INIT;
	g_autofree char *group_text = NULL;
	g_autofree char *dark_text = NULL;
	g_autofree char *whole = NULL;
	double p = -1;

	xn_availability_compute (year, NULL, 0, NULL, 0, &clean);
	xn_availability_compute (year, &tiny, 1, NULL, 0, &blip);
	xn_availability_compute (year, &all_but_tiny, 1, NULL, 0, &almost);
	for (guint i = 0; i < 9999; i++)
		xn_availability_add (&group, &clean);
	xn_availability_add (&group, &blip);
	g_assert_true (xn_availability_percent (&group, &p));
	g_assert_cmpfloat (p, <, 100.0);
	g_assert_cmpfloat (p, >, 99.99);
	group_text = xn_availability_format_percent (&group, 9);
	g_assert_cmpstr (group_text, ==, "99.999999999");

	for (guint i = 0; i < 9999; i++) {
		XnAvailability down;

		xn_availability_compute (year, &all_but_tiny, 1, NULL, 0, &down);
		down.down_us += 1;      /* wholly down */
		down.up_us -= 1;
		xn_availability_add (&dark, &down);
	}
	xn_availability_add (&dark, &almost);
	g_assert_cmpint (dark.up_us, ==, 1);
	g_assert_true (xn_availability_percent (&dark, &p));
	g_assert_cmpfloat (p, >, 0.0);
	g_assert_cmpfloat (p, <, 0.01);
	dark_text = xn_availability_format_percent (&dark, 9);
	g_assert_cmpstr (dark_text, ==, "0.000000000");

	g_assert_true (xn_availability_percent (&clean, &p));
	g_assert_cmpfloat (p, ==, 100.0);
	whole = xn_availability_format_percent (&clean, 0);
	g_assert_cmpstr (whole, ==, "100");
}

/* ---- helpers -------------------------------------------------------------- */

typedef struct {
	const char *in;         /* "start-end start-end ...", integers; 'o' = open */
	const char *out;
} UnionCase;

static const UnionCase union_cases[] = {
	{ "", "" },
	{ "5-3 4-4", "" },
	{ "1-2", "1-2" },
	{ "3-4 1-2", "1-2 3-4" },
	{ "1-2 2-3", "1-3" },
	{ "1-5 2-3", "1-5" },
	{ "2-3 1-5 4-8 10-11 9-10", "1-8 9-11" },
	{ "1-2 1-2 1-2", "1-2" },
	{ "7-o 1-2 8-9", "1-2 7-o" },
	{ "-5-0 0-5", "-5-5" },
};

static GArray *
parse_intervals (const char *text)
{
	GArray *a = g_array_new (FALSE, FALSE, sizeof (XnInterval));
	g_auto(GStrv) words = g_strsplit (text, " ", -1);

	for (guint i = 0; words[i] != NULL; i++) {
		char *dash;
		XnInterval iv;

		if (*words[i] == '\0')
			continue;
		dash = strchr (words[i] + 1, '-');
		g_assert_nonnull (dash);
		iv.start = g_ascii_strtoll (words[i], NULL, 10);
		iv.end = strcmp (dash + 1, "o") == 0 ? XN_INTERVAL_OPEN : g_ascii_strtoll (dash + 1, NULL, 10);
		g_array_append_val (a, iv);
	}
	return a;
}

static char *
print_intervals (const GArray *a)
{
	GString *s = g_string_new (NULL);

	for (guint i = 0; i < a->len; i++) {
		const XnInterval *iv = &g_array_index (a, XnInterval, i);

		g_string_append_printf (s, "%s%" G_GINT64_FORMAT "-", i > 0 ? " " : "", iv->start);
		if (iv->end == XN_INTERVAL_OPEN)
			g_string_append (s, "o");
		else
			g_string_append_printf (s, "%" G_GINT64_FORMAT, iv->end);
	}
	return g_string_free (s, FALSE);
}

static void
test_union (void)
{
	for (gsize i = 0; i < G_N_ELEMENTS (union_cases); i++) {
		g_autoptr(GArray) a = parse_intervals (union_cases[i].in);
		g_autofree char *text = NULL;

		g_test_message ("'%s'", union_cases[i].in);
		xn_intervals_union (a);
		text = print_intervals (a);
		g_assert_cmpstr (text, ==, union_cases[i].out);
	}
}

static void
test_clip_and_measure (void)
{
	g_autoptr(GArray) a = parse_intervals ("0-10 5-15 20-30 40-o -10-2");
	g_autofree char *clipped = NULL;

	g_assert_cmpint (xn_intervals_measure ((XnInterval *) a->data, a->len, 0, 100), ==, 15 + 10 + 60);
	g_assert_cmpint (xn_intervals_measure ((XnInterval *) a->data, a->len, 12, 25), ==, 3 + 5);
	g_assert_cmpint (xn_intervals_measure ((XnInterval *) a->data, a->len, 30, 40), ==, 0);
	g_assert_cmpint (xn_intervals_measure (NULL, 0, 0, 100), ==, 0);
	/* The measure leaves its input alone. */
	g_assert_cmpuint (a->len, ==, 5);
	xn_intervals_clip (a, 8, 45);
	clipped = print_intervals (a);
	g_assert_cmpstr (clipped, ==, "8-10 8-15 20-30 40-45");
}

typedef struct {
	gint64 usec;
	const char *text;
} SecondsCase;

static const SecondsCase seconds_cases[] = {
	{ 0, "0" },
	{ 1, "0.000001" },
	{ 500000, "0.5" },
	{ 2505600 * XN_USEC_PER_SEC, "2505600" },
	{ 3600 * XN_USEC_PER_SEC + 250000, "3600.25" },
	{ -1, "-0.000001" },
	{ -90 * XN_USEC_PER_SEC, "-90" },
	{ G_MAXINT64, "9223372036854.775807" },
	{ G_MININT64, "-9223372036854.775808" },
};

static void
test_seconds_format (void)
{
	for (gsize i = 0; i < G_N_ELEMENTS (seconds_cases); i++)
		assert_seconds (seconds_cases[i].usec, seconds_cases[i].text);
}

typedef struct {
	gint64 up;
	gint64 measured;
	guint decimals;
	const char *text;
} PercentCase;

static const PercentCase percent_cases[] = {
	{ 1, 1, 0, "100" },
	{ 1, 1, 3, "100.000" },
	{ 0, 7, 2, "0.00" },
	{ 2, 3, 0, "66" },
	{ 2, 3, 5, "66.66666" },
	{ 1, 3, 9, "33.333333333" },
	{ 999999, 1000000, 3, "99.999" },
	{ 9999999, 10000000, 4, "99.9999" },
	{ 9999999, 10000000, 5, "99.99999" },
	{ 9999999, 10000000, 7, "99.9999900" },
};

static void
test_percent_format (void)
{
	for (gsize i = 0; i < G_N_ELEMENTS (percent_cases); i++) {
		const PercentCase *c = &percent_cases[i];
		XnAvailability a = { 1, c->measured, 0, c->measured, c->measured - c->up, c->up };
		g_autofree char *text = xn_availability_format_percent (&a, c->decimals);

		g_assert_cmpstr (text, ==, c->text);
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/availability/table", test_table);
	g_test_add_func ("/availability/month-end", test_month_end);
	g_test_add_func ("/availability/month-is-sum-of-days", test_month_is_sum_of_days);
	g_test_add_func ("/availability/year-is-sum-of-months", test_year_is_sum_of_months);
	g_test_add_func ("/availability/group/region", test_region);
	g_test_add_func ("/availability/group/sum-is-not-mean", test_sum_is_not_mean);
	g_test_add_func ("/availability/group/no-percent", test_no_percent);
	g_test_add_func ("/availability/percent/bounds", test_percent_bounds);
	g_test_add_func ("/availability/percent/format", test_percent_format);
	g_test_add_func ("/availability/intervals/union", test_union);
	g_test_add_func ("/availability/intervals/clip-and-measure", test_clip_and_measure);
	g_test_add_func ("/availability/seconds-format", test_seconds_format);
	return g_test_run ();
}

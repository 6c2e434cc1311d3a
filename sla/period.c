/* period.c — written periods to [start, end) instants and back, and cutting
 * a period into days or months.
 *
 * Every period is reduced to whole local days (first..last) or to two instants,
 * and its kind is derived from [start, end) alone, so two spellings of one
 * period compare and print alike. Day boundaries come from the zone's
 * transitions (a day of 23 or 25 hours where daylight saving time changes),
 * never from 86,400-second arithmetic. Dates are checked by GDate, instants
 * parsed by xn_time_parse(); this file adds the period syntax and messages
 * that say which part of the input is wrong. It knows nothing of outages or
 * of the clock: an open period ("this month so far") is the caller's choice. */
#include "period.h"
#include "xn-error.h"

#include <string.h>

#define FORMS "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD or FROM..TO"

static const char *const month_names[] = {
	"", "January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

const char *
xn_period_kind_name (XnPeriodKind kind)
{
	switch (kind) {
	case XN_PERIOD_DAY: return "day";
	case XN_PERIOD_MONTH: return "month";
	case XN_PERIOD_QUARTER: return "quarter";
	case XN_PERIOD_YEAR: return "year";
	case XN_PERIOD_DAYS: return "days";
	case XN_PERIOD_INSTANTS: return "instants";
	}
	return "?";
}

/* A zone that changes its offset at midnight skips or repeats 00:00; the day
 * then starts at the first instant after the skip, or at the first of the two
 * 00:00s (the one still on daylight time). Same rule as the notice deadline of
 * lib/calendar.c. */
XnInstant
xn_period_day_start (const GDate *day, GTimeZone *tz)
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

/* The local day of instant t; FALSE outside what GDateTime holds. */
static gboolean
local_day (XnInstant t, GTimeZone *tz, GDate *day)
{
	g_autoptr(GDateTime) dt = xn_time_to_datetime (t, tz);

	if (dt == NULL)
		return FALSE;
	g_date_clear (day, 1);
	g_date_set_dmy (day, (GDateDay) g_date_time_get_day_of_month (dt),
			(GDateMonth) g_date_time_get_month (dt), (GDateYear) g_date_time_get_year (dt));
	return TRUE;
}

static gboolean
is_month_start (const GDate *d)
{
	return g_date_get_day (d) == 1;
}

static gboolean
is_month_end (const GDate *d)
{
	return g_date_is_last_of_month (d);
}

/* Derives the kind from first..last, for periods made of whole days. */
static XnPeriodKind
kind_of_days (const GDate *first, const GDate *last)
{
	guint y = g_date_get_year (first);
	guint m1 = g_date_get_month (first);
	guint m2 = g_date_get_month (last);

	if (g_date_compare (first, last) == 0)
		return XN_PERIOD_DAY;
	if (!is_month_start (first) || !is_month_end (last) || g_date_get_year (last) != y)
		return XN_PERIOD_DAYS;
	if (m1 == m2)
		return XN_PERIOD_MONTH;
	if (m1 == 1 && m2 == 12)
		return XN_PERIOD_YEAR;
	if ((m1 - 1) % 3 == 0 && m2 == m1 + 2)
		return XN_PERIOD_QUARTER;
	return XN_PERIOD_DAYS;
}

XnPeriod *
xn_period_new (XnInstant start, XnInstant end, GTimeZone *tz, GError **error)
{
	g_autoptr(XnPeriod) p = NULL;
	GDate after;

	g_return_val_if_fail (tz != NULL, NULL);

	if (end <= start) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "the period is empty: its end is not after its start");
		return NULL;
	}
	p = g_new0 (XnPeriod, 1);
	p->start = start;
	p->end = end;
	p->tz = g_time_zone_ref (tz);
	/* Years 1000–9998 keep both ends four-digit years in ISO 8601. */
	if (!local_day (start, tz, &p->first) || !local_day (end - 1, tz, &p->last) ||
	    g_date_get_year (&p->first) < 1000 || g_date_get_year (&p->last) > 9998) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "the period reaches outside years 1000 to 9998");
		return NULL;
	}
	after = p->last;
	g_date_add_days (&after, 1);
	if (start == xn_period_day_start (&p->first, tz) && end == xn_period_day_start (&after, tz))
		p->kind = kind_of_days (&p->first, &p->last);
	else
		p->kind = XN_PERIOD_INSTANTS;
	return g_steal_pointer (&p);
}

XnPeriod *
xn_period_new_days (const GDate *first, const GDate *last, GTimeZone *tz, GError **error)
{
	GDate after = *last;

	g_return_val_if_fail (g_date_valid (first) && g_date_valid (last), NULL);

	g_date_add_days (&after, 1);
	return xn_period_new (xn_period_day_start (first, tz), xn_period_day_start (&after, tz),
			      tz, error);
}

XnPeriod *
xn_period_copy (const XnPeriod *period)
{
	XnPeriod *copy = g_memdup2 (period, sizeof *period);

	g_time_zone_ref (copy->tz);
	return copy;
}

void
xn_period_free (XnPeriod *period)
{
	if (period == NULL)
		return;
	if (period->tz != NULL)
		g_time_zone_unref (period->tz);
	g_free (period);
}

gint64
xn_period_duration (const XnPeriod *period)
{
	return period->end - period->start;
}

/* ---- parsing -------------------------------------------------------------- */

/* Reads exactly `n` digits at *p and advances; FALSE if they are not there. */
static gboolean
digits (const char **p, guint n, guint *value)
{
	guint v = 0;

	for (guint i = 0; i < n; i++) {
		if (!g_ascii_isdigit ((*p)[i]))
			return FALSE;
		v = v * 10 + (guint) ((*p)[i] - '0');
	}
	*p += n;
	*value = v;
	return TRUE;
}

/* `what` is the text the message names: the whole input, or "TEXT: start 'FROM'". */
static gboolean G_GNUC_PRINTF (3, 4)
invalid (GError **error, const char *what, const char *format, ...)
{
	g_autofree char *message = NULL;
	va_list args;

	va_start (args, format);
	message = g_strdup_vprintf (format, args);
	va_end (args);
	g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: %s", what, message);
	return FALSE;
}

static gboolean
check_year (guint year, const char *what, GError **error)
{
	if (year < 1000 || year > 9998)
		return invalid (error, what, "year %u is out of range (1000 to 9998)", year);
	return TRUE;
}

static gboolean
check_month (guint month, const char *what, GError **error)
{
	if (month < 1 || month > 12)
		return invalid (error, what, "month %u does not exist", month);
	return TRUE;
}

/* first..last = the first day of month m1 to the last day of month m2 of `year`. */
static void
set_months (GDate *first, GDate *last, guint year, guint m1, guint m2)
{
	g_date_set_dmy (first, 1, (GDateMonth) m1, (GDateYear) year);
	g_date_set_dmy (last, g_date_get_days_in_month ((GDateMonth) m2, (GDateYear) year),
			(GDateMonth) m2, (GDateYear) year);
}

static gboolean
bad_shape (GError **error, const char *what, gboolean date_only)
{
	if (date_only)
		return invalid (error, what, "not a date or an instant "
				"(expected YYYY-MM-DD or e.g. 2026-10-01T08:00:00+08:00)");
	return invalid (error, what, "not a period (" FORMS ")");
}

/* Reads a year, quarter, month or day at `text` into first..last. `what`
 * names it in messages. When `date_only` (a side of FROM..TO) it must be a day. */
static gboolean
parse_calendar (const char *text, const char *what, gboolean date_only,
		GDate *first, GDate *last, GError **error)
{
	const char *p = text;
	guint year, q, month, day, days;

	g_date_clear (first, 1);
	g_date_clear (last, 1);
	if (!digits (&p, 4, &year) || (*p != '\0' && *p != '-'))
		return bad_shape (error, what, date_only);
	if (!check_year (year, what, error))
		return FALSE;
	if (*p == '\0' && !date_only) {
		set_months (first, last, year, 1, 12);
		return TRUE;
	}
	if (*p++ == '\0')
		return bad_shape (error, what, date_only);
	if (*p == 'W' && !date_only)
		return invalid (error, what, "weeks are not periods (write FROM..TO)");
	if (*p == 'Q' && !date_only) {
		p++;
		if (!digits (&p, 1, &q) || *p != '\0')
			return bad_shape (error, what, date_only);
		if (q < 1 || q > 4)
			return invalid (error, what, "quarter %u does not exist (Q1 to Q4)", q);
		set_months (first, last, year, 3 * q - 2, 3 * q);
		return TRUE;
	}
	if (!digits (&p, 2, &month) || (*p != '\0' && *p != '-'))
		return bad_shape (error, what, date_only);
	if (!check_month (month, what, error))
		return FALSE;
	if (*p == '\0' && !date_only) {
		set_months (first, last, year, month, month);
		return TRUE;
	}
	if (*p++ == '\0' || !digits (&p, 2, &day) || *p != '\0')
		return bad_shape (error, what, date_only);
	days = g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year);
	if (day < 1 || day > days)
		return invalid (error, what, "day %u does not exist in %s %04u (it has %u days)",
				day, month_names[month], year, days);
	g_date_set_dmy (first, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
	*last = *first;
	return TRUE;
}

/* One side of FROM..TO: a date, or an instant (it has a 'T'). A date as the
 * end includes its day. */
static gboolean
parse_side (const char *text, const char *input, gboolean is_end, GTimeZone *tz,
	    XnInstant *out, gboolean *is_date, GError **error)
{
	g_autofree char *what = g_strdup_printf ("%s: %s '%s'", input, is_end ? "end" : "start", text);
	GDate first, last;

	if (*text == '\0')
		return invalid (error, input, is_end ? "no end after '..'" : "no start before '..'");
	*is_date = strpbrk (text, "Tt") == NULL;
	if (!*is_date) {
		g_autoptr(GError) local_error = NULL;

		if (!xn_time_parse (text, tz, out, &local_error))
			return invalid (error, input, "%s: %s", is_end ? "end" : "start",
					local_error->message);
		return TRUE;
	}
	if (!parse_calendar (text, what, TRUE, &first, &last, error))
		return FALSE;
	if (is_end)
		g_date_add_days (&last, 1);
	*out = xn_period_day_start (&last, tz);
	return TRUE;
}

static XnPeriod *
parse_range (const char *text, const char *dots, GTimeZone *tz, GError **error)
{
	g_autofree char *from = g_strndup (text, (gsize) (dots - text));
	const char *to = dots + 2;
	g_autoptr(GError) local_error = NULL;
	XnPeriod *period;
	XnInstant start, end;
	gboolean from_date, to_date;

	if (strstr (to, "..") != NULL) {
		invalid (error, text, "more than one '..'");
		return NULL;
	}
	if (!parse_side (from, text, FALSE, tz, &start, &from_date, error) ||
	    !parse_side (to, text, TRUE, tz, &end, &to_date, error))
		return NULL;
	/* A date as TO includes its day, so TO = FROM is one day, not empty. */
	if (end < start || (end == start && (from_date || to_date))) {
		invalid (error, text, "ends before it starts");
		return NULL;
	}
	period = xn_period_new (start, end, tz, &local_error);
	if (period == NULL)
		invalid (error, text, "%s", local_error->message);
	return period;
}

XnPeriod *
xn_period_parse (const char *text, GTimeZone *tz, GError **error)
{
	const char *dots;
	GDate first, last;

	g_return_val_if_fail (tz != NULL, NULL);

	if (text == NULL || *text == '\0') {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "empty period (" FORMS ")");
		return NULL;
	}
	if (!g_utf8_validate (text, -1, NULL)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "a period is not valid UTF-8 text");
		return NULL;
	}
	dots = strstr (text, "..");
	if (dots != NULL)
		return parse_range (text, dots, tz, error);
	if (!parse_calendar (text, text, FALSE, &first, &last, error))
		return NULL;
	return xn_period_new_days (&first, &last, tz, error);
}

/* ---- printing and splitting ----------------------------------------------- */

static char *
date_text (const GDate *d)
{
	return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (d), g_date_get_month (d),
				g_date_get_day (d));
}

/* A range end: a date where it falls on a local midnight (the end as the
 * last day it includes), else the instant in the period's zone. */
static char *
side_text (const XnPeriod *p, gboolean is_end)
{
	XnInstant t = is_end ? p->end : p->start;
	GDate day = is_end ? p->last : p->first;
	GDate boundary = day;

	if (is_end)
		g_date_add_days (&boundary, 1);
	if (xn_period_day_start (&boundary, p->tz) == t)
		return date_text (&day);
	return xn_time_format (t, p->tz);
}

char *
xn_period_format (const XnPeriod *p)
{
	guint y = g_date_get_year (&p->first);
	guint m = g_date_get_month (&p->first);
	g_autofree char *from = NULL;
	g_autofree char *to = NULL;

	switch (p->kind) {
	case XN_PERIOD_YEAR:
		return g_strdup_printf ("%04u", y);
	case XN_PERIOD_QUARTER:
		return g_strdup_printf ("%04u-Q%u", y, (m + 2) / 3);
	case XN_PERIOD_MONTH:
		return g_strdup_printf ("%04u-%02u", y, m);
	case XN_PERIOD_DAY:
		return date_text (&p->first);
	case XN_PERIOD_DAYS:
	case XN_PERIOD_INSTANTS:
		break;
	}
	from = side_text (p, FALSE);
	to = side_text (p, TRUE);
	return g_strdup_printf ("%s..%s", from, to);
}

/* The first day after `day` that starts a new piece. */
static void
next_cut (GDate *day, XnPeriodKind unit)
{
	if (unit == XN_PERIOD_MONTH) {
		g_date_set_day (day, 1);
		g_date_add_months (day, 1);
	} else {
		g_date_add_days (day, 1);
	}
}

GPtrArray *
xn_period_split (const XnPeriod *period, XnPeriodKind unit)
{
	GPtrArray *pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_period_free);
	GDate day = period->first;
	XnInstant from = period->start;

	g_return_val_if_fail (unit == XN_PERIOD_DAY || unit == XN_PERIOD_MONTH, pieces);

	while (from < period->end) {
		XnInstant to;
		XnPeriod *piece;

		next_cut (&day, unit);
		to = MIN (xn_period_day_start (&day, period->tz), period->end);
		/* Cannot fail: [from, to) is non-empty and inside `period`. */
		piece = xn_period_new (from, to, period->tz, NULL);
		g_assert (piece != NULL);
		g_ptr_array_add (pieces, piece);
		from = to;
	}
	return pieces;
}

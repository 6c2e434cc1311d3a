/* period.h — calendar periods as half-open ranges of instants.
 *
 * A period is [start, end) in XnInstant, read in one time zone (the policy's,
 * default Asia/Shanghai): the instants from the first local midnight of its
 * first day up to, not including, the first local midnight after its last day.
 * So a day lasts 23 or 25 hours where the zone changes to or from daylight
 * saving time, and a month is exactly the sum of its days.
 *
 * Written forms (xn_period_parse):
 *   2026              a year
 *   2026-Q4           a quarter (Q1 to Q4)
 *   2026-10           a month
 *   2026-10-05        a day
 *   FROM..TO          each side a date or an ISO 8601 instant; a date as FROM
 *                     is the start of that day, a date as TO includes that day
 *                     ("2026-10-01..2026-10-15" is 15 days); an instant as TO is
 *                     the exclusive end. An instant without a UTC offset is
 *                     read in the zone (a skipped or repeated time is refused).
 * Weeks are not periods here. Years run from 1000 to 9998, so that both
 * ends of any period print as four-digit ISO 8601 years.
 *
 * The kind is a property of [start, end) in the zone, not of how it was
 * written: "2026-10-01..2026-10-31" is the month 2026-10 and prints so. */
#pragma once

#include <glib.h>

#include "xn-time.h"

G_BEGIN_DECLS

typedef enum {
	XN_PERIOD_DAY,
	XN_PERIOD_MONTH,
	XN_PERIOD_QUARTER,
	XN_PERIOD_YEAR,
	XN_PERIOD_DAYS,         /* whole local days, not one calendar unit */
	XN_PERIOD_INSTANTS,     /* at least one end is not a local midnight */
} XnPeriodKind;

typedef struct {
	XnPeriodKind kind;
	XnInstant    start;     /* first instant in the period */
	XnInstant    end;       /* first instant after it; end > start */
	GDate        first;     /* local day of `start` */
	GDate        last;      /* local day of the period's last instant (end - 1 µs) */
	GTimeZone   *tz;        /* the zone the period was read in (a reference) */
} XnPeriod;

/* Parses a written period (forms above) in `tz`. Every malformed or
 * impossible input is an XN_ERROR_INVALID naming the input and the fault,
 * e.g. "2026-13: month 13 does not exist". */
XnPeriod  *xn_period_parse (const char *text, GTimeZone *tz, GError **error);

/* The period [start, end) in `tz`; its kind is derived. Fails (XN_ERROR_INVALID)
 * if end <= start or the period reaches outside years 1000 to 9998. */
XnPeriod  *xn_period_new (XnInstant start, XnInstant end, GTimeZone *tz, GError **error);

/* The whole local days first..last (inclusive) in `tz`. */
XnPeriod  *xn_period_new_days (const GDate *first, const GDate *last, GTimeZone *tz, GError **error);

XnPeriod  *xn_period_copy (const XnPeriod *period);
void       xn_period_free (XnPeriod *period);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnPeriod, xn_period_free)

/* The canonical written form, which xn_period_parse() reads back into the same
 * period: "2026", "2026-Q4", "2026-10", "2026-10-05", "2026-10-01..2026-10-15",
 * or instants in the period's zone where an end is not a local midnight
 * ("2026-10-01T08:30:00+08:00..2026-10-02"). */
char      *xn_period_format (const XnPeriod *period);

/* Length in µs (end - start). */
gint64     xn_period_duration (const XnPeriod *period);

/* The period cut at each local midnight (XN_PERIOD_DAY) or at each first of
 * a month (XN_PERIOD_MONTH): consecutive periods, in order, whose union is
 * `period`; a piece at a ragged end is partial. Array of XnPeriod *, owning them. */
GPtrArray *xn_period_split (const XnPeriod *period, XnPeriodKind unit);

/* The first instant of local day `day` in `tz`: local midnight, or where a
 * zone skips midnight, the first instant after the skip; where it repeats
 * midnight, the first of the two. */
XnInstant  xn_period_day_start (const GDate *day, GTimeZone *tz);

/* "day", "month", ... for messages and JSON. */
const char *xn_period_kind_name (XnPeriodKind kind);

G_END_DECLS

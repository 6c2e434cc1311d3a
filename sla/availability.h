/* availability.h — seconds up, down and planned in a period, and their sums.
 *
 * For one object (node, link, access unit) in one period:
 *   period   = the period's length (end - start)
 *   planned  = |union(planned intervals) ∩ period|    (the maintenance hook)
 *   measured = period - planned
 *   down     = |union(down intervals) ∩ period \ union(planned intervals)|
 *   up       = measured - down
 *   percent  = 100 × up / measured
 * Intervals are half-open [start, end) XnInstants; any order, may overlap,
 * may reach outside the period. An interval with end <= start is empty.
 * Downtime that is also planned counts as planned, not down.
 *
 * Amounts are integer microseconds, exact: group figures are sums of them
 * (xn_availability_add), never averages of percentages, so a month is exactly
 * the sum of its days and a region the sum of its members. Doc:
 * doc/availability.md. */
#pragma once

#include <glib.h>

#include "period.h"
#include "xn-time.h"

G_BEGIN_DECLS

/* The end of an interval still open (an outage not yet over): it lasts to
 * the end of any period it is measured in. A report on a period that is
 * still running should end the period, or the interval, at `now`. */
#define XN_INTERVAL_OPEN G_MAXINT64

typedef struct {
	XnInstant start;
	XnInstant end;          /* exclusive; XN_INTERVAL_OPEN while open */
} XnInterval;

/* Sorts `intervals` (a GArray of XnInterval) by start and merges those that
 * overlap or touch, in place; empty ones are dropped. The result is sorted
 * and pairwise disjoint with gaps between neighbours. */
void    xn_intervals_union (GArray *intervals);

/* Clips every interval to [from, to) in place and drops those left empty. */
void    xn_intervals_clip (GArray *intervals, XnInstant from, XnInstant to);

/* µs covered by the union of `n` intervals within [from, to). */
gint64  xn_intervals_measure (const XnInterval *intervals, gsize n, XnInstant from, XnInstant to);

typedef struct {
	guint  members;         /* objects summed: 1 for one object, 0 for an empty group */
	gint64 period_us;       /* Σ period lengths */
	gint64 planned_us;      /* Σ planned time inside the period */
	gint64 measured_us;     /* Σ (period - planned): the denominator */
	gint64 down_us;         /* Σ unplanned downtime inside the period */
	gint64 up_us;           /* Σ (measured - down): the numerator */
} XnAvailability;

/* An empty group: no members, every amount 0, no percent. */
#define XN_AVAILABILITY_INIT { 0, 0, 0, 0, 0, 0 }

/* One object's figures in `period`. `planned` may be NULL when n_planned is 0. */
void     xn_availability_compute (const XnPeriod *period,
				  const XnInterval *down, gsize n_down,
				  const XnInterval *planned, gsize n_planned,
				  XnAvailability *out);

/* Adds `member` (one object's figures, or a subgroup's) into `sum`. */
void     xn_availability_add (XnAvailability *sum, const XnAvailability *member);

/* 100 × up / measured, in [0, 100]: exactly 100 if and only if nothing was
 * down, exactly 0 if and only if nothing was up. FALSE (and *percent
 * untouched) when there is no percent: no members, or no measured time (the
 * whole period planned). */
gboolean xn_availability_percent (const XnAvailability *a, double *percent);

/* The percent with `decimals` (0–9) digits, rounded down so that any downtime
 * never shows as 100 ("99.99"), computed exactly from the integers; NULL when
 * there is no percent. */
char    *xn_availability_format_percent (const XnAvailability *a, guint decimals);

/* µs as seconds in decimal, exact: "2505600", "3600.5", "-0.000001". */
char    *xn_seconds_format (gint64 usec);

G_END_DECLS

/* availability.c — the measure of unions of intervals, and availability sums.
 *
 * Everything is integer microseconds so that sums are exact and associative:
 * the figures of a month and the sum of its days' figures are equal to the
 * microsecond, in any order of addition. Intervals are merged (sorted, then
 * overlapping and touching ones joined) before they are measured, so two
 * reports of one outage never count twice; planned time is subtracted from
 * downtime by walking both merged lists once. The percent is derived from
 * the sums only when it is asked for, and a figure with no measured time has
 * none rather than a NaN. This file decides nothing about which intervals
 * are outages or maintenance: the outage engine and the maintenance issue
 * pass them in. */
#include "availability.h"

#include <math.h>

static gint
compare_intervals (gconstpointer a, gconstpointer b)
{
	const XnInterval *x = a;
	const XnInterval *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return 0;
}

void
xn_intervals_union (GArray *intervals)
{
	guint kept = 0;

	g_return_if_fail (g_array_get_element_size (intervals) == sizeof (XnInterval));

	g_array_sort (intervals, compare_intervals);
	for (guint i = 0; i < intervals->len; i++) {
		XnInterval iv = g_array_index (intervals, XnInterval, i);
		XnInterval *last = kept > 0 ? &g_array_index (intervals, XnInterval, kept - 1) : NULL;

		if (iv.end <= iv.start)
			continue;
		/* Half-open: [a, b) and [b, c) leave no gap, so they are one. */
		if (last != NULL && iv.start <= last->end) {
			last->end = MAX (last->end, iv.end);
			continue;
		}
		g_array_index (intervals, XnInterval, kept++) = iv;
	}
	g_array_set_size (intervals, kept);
}

void
xn_intervals_clip (GArray *intervals, XnInstant from, XnInstant to)
{
	guint kept = 0;

	g_return_if_fail (g_array_get_element_size (intervals) == sizeof (XnInterval));

	for (guint i = 0; i < intervals->len; i++) {
		XnInterval iv = g_array_index (intervals, XnInterval, i);

		iv.start = MAX (iv.start, from);
		iv.end = MIN (iv.end, to);
		if (iv.end > iv.start)
			g_array_index (intervals, XnInterval, kept++) = iv;
	}
	g_array_set_size (intervals, kept);
}

/* A sorted, disjoint copy of `intervals` within [from, to). */
static GArray *
merged_within (const XnInterval *intervals, gsize n, XnInstant from, XnInstant to)
{
	GArray *copy = g_array_sized_new (FALSE, FALSE, sizeof (XnInterval), (guint) n);

	if (n > 0)
		g_array_append_vals (copy, intervals, (guint) n);
	xn_intervals_clip (copy, from, to);
	xn_intervals_union (copy);
	return copy;
}

static gint64
total_length (const GArray *merged)
{
	gint64 sum = 0;

	for (guint i = 0; i < merged->len; i++) {
		const XnInterval *iv = &g_array_index (merged, XnInterval, i);

		sum += iv->end - iv->start;
	}
	return sum;
}

/* |a ∩ b| for two sorted, disjoint lists: one pass, advancing whichever
 * interval ends first. */
static gint64
overlap_length (const GArray *a, const GArray *b)
{
	gint64 sum = 0;
	guint i = 0, j = 0;

	while (i < a->len && j < b->len) {
		const XnInterval *x = &g_array_index (a, XnInterval, i);
		const XnInterval *y = &g_array_index (b, XnInterval, j);
		XnInstant lo = MAX (x->start, y->start);
		XnInstant hi = MIN (x->end, y->end);

		if (hi > lo)
			sum += hi - lo;
		if (x->end <= y->end)
			i++;
		else
			j++;
	}
	return sum;
}

gint64
xn_intervals_measure (const XnInterval *intervals, gsize n, XnInstant from, XnInstant to)
{
	g_autoptr(GArray) merged = merged_within (intervals, n, from, to);

	return total_length (merged);
}

void
xn_availability_compute (const XnPeriod *period,
			 const XnInterval *down, gsize n_down,
			 const XnInterval *planned, gsize n_planned,
			 XnAvailability *out)
{
	g_autoptr(GArray) d = merged_within (down, n_down, period->start, period->end);
	g_autoptr(GArray) p = merged_within (planned, n_planned, period->start, period->end);

	out->members = 1;
	out->period_us = period->end - period->start;
	out->planned_us = total_length (p);
	out->measured_us = out->period_us - out->planned_us;
	/* Planned time is excluded from the measure, downtime in it included. */
	out->down_us = total_length (d) - overlap_length (d, p);
	out->up_us = out->measured_us - out->down_us;
}

void
xn_availability_add (XnAvailability *sum, const XnAvailability *member)
{
	sum->members += member->members;
	sum->period_us += member->period_us;
	sum->planned_us += member->planned_us;
	sum->measured_us += member->measured_us;
	sum->down_us += member->down_us;
	sum->up_us += member->up_us;
}

gboolean
xn_availability_percent (const XnAvailability *a, double *percent)
{
	double p;

	if (a->members == 0 || a->measured_us <= 0)
		return FALSE;
	if (a->down_us <= 0) {
		*percent = 100.0;
		return TRUE;
	}
	if (a->up_us <= 0) {
		*percent = 0.0;
		return TRUE;
	}
	/* Rounding must not turn a microsecond of downtime in a large group into
	 * 100 %, nor a microsecond up into 0 %. */
	p = 100.0 * ((double) a->up_us / (double) a->measured_us);
	*percent = CLAMP (p, nextafter (0.0, 1.0), nextafter (100.0, 0.0));
	return TRUE;
}

char *
xn_availability_format_percent (const XnAvailability *a, guint decimals)
{
	guint64 scale = 1;
	guint64 scaled;
	gint64 up;

	g_return_val_if_fail (decimals <= 9, NULL);

	if (a->members == 0 || a->measured_us <= 0)
		return NULL;
	for (guint i = 0; i < decimals; i++)
		scale *= 10;
	up = CLAMP (a->up_us, 0, a->measured_us);
	/* up × 100 × 10^9 overflows 64 bits for a group of a few unit-years. */
	scaled = (guint64) ((unsigned __int128) up * 100 * scale / (unsigned __int128) a->measured_us);
	if (decimals == 0)
		return g_strdup_printf ("%" G_GUINT64_FORMAT, scaled);
	return g_strdup_printf ("%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT,
				scaled / scale, (int) decimals, scaled % scale);
}

char *
xn_seconds_format (gint64 usec)
{
	guint64 magnitude = usec < 0 ? -(guint64) usec : (guint64) usec;
	guint64 whole = magnitude / (guint64) XN_USEC_PER_SEC;
	guint64 frac = magnitude % (guint64) XN_USEC_PER_SEC;
	const char *sign = usec < 0 ? "-" : "";
	int width = 6;

	if (frac == 0)
		return g_strdup_printf ("%s%" G_GUINT64_FORMAT, sign, whole);
	while (frac % 10 == 0) {
		frac /= 10;
		width--;
	}
	return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT, sign, whole, width, frac);
}

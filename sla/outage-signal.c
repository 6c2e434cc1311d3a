/* outage-signal.c — one subject's down and up reports, kept in time order.
 *
 * Insertion is by ts with seq breaking ties, which for a report newer in seq
 * than all others means "after every report at the same ts". Folding keeps
 * the first up report after a down one (it ends a fault) and every down
 * report (each is evidence of an outage); it drops only up reports that
 * follow another up report and are older than the horizon, which changes no
 * state at any instant. Done right after each insertion, it depends only on
 * the reports given, so a snapshot taken between any two reports restores
 * to the same arrays. This file knows nothing of outages or the inventory. */
#include "outage-signal.h"

XnSignal *
xn_signal_new (const char *subject)
{
	XnSignal *signal = g_new0 (XnSignal, 1);

	signal->subject = g_strdup (subject);
	signal->reports = g_array_new (FALSE, FALSE, sizeof (XnReport));
	signal->newest = G_MININT64;
	return signal;
}

void
xn_signal_free (XnSignal *signal)
{
	if (signal == NULL)
		return;
	g_free (signal->subject);
	g_array_unref (signal->reports);
	g_free (signal);
}

guint
xn_signal_index_at (const XnSignal *signal, XnInstant t)
{
	guint lo = 0, hi = signal->reports->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (xn_signal_report (signal, mid)->ts < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

guint
xn_signal_index_after (const XnSignal *signal, XnInstant t)
{
	guint lo = 0, hi = signal->reports->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (xn_signal_report (signal, mid)->ts <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

gboolean
xn_signal_down_at (const XnSignal *signal, XnInstant t)
{
	guint after = xn_signal_index_after (signal, t);

	return after > 0 && xn_signal_report (signal, after - 1)->down;
}

/* Reports before index `from` were folded before (or are unchanged since). */
static void
fold (XnSignal *signal, guint from, gint64 horizon)
{
	XnReport *reports = (XnReport *) (gpointer) signal->reports->data;
	guint cut = xn_signal_index_at (signal, signal->newest - horizon);
	guint kept = MAX (from, 1);

	if (cut <= kept)
		return;
	for (guint i = kept; i < cut; i++) {
		if (!reports[i].down && !reports[kept - 1].down)
			continue;
		reports[kept++] = reports[i];
	}
	g_array_remove_range (signal->reports, kept, cut - kept);
}

void
xn_signal_add (XnSignal *signal, XnInstant ts, gint64 seq, gboolean down, gint64 horizon)
{
	XnReport report = { ts, seq, down };
	guint folded = signal->newest == G_MININT64 ? 0 : xn_signal_index_at (signal, signal->newest - horizon);
	guint at = xn_signal_index_after (signal, ts);

	g_array_insert_val (signal->reports, at, report);
	signal->newest = MAX (signal->newest, ts);
	fold (signal, MIN (at, folded), horizon);
}

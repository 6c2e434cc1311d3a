/* outage-signal.h — what the journal said about one thing (a node's reachability,
 * one link end's interface), as down and up reports in time order.
 *
 * A signal is down at an instant when the last report at or before it
 * (by ts, then seq) says down. Reports arrive in seq order but are kept in
 * ts order, so a late report lands where it belongs in time. Repeated up
 * reports change nothing until a late down report falls between them, so
 * those older than the reorder horizon before the newest report are
 * dropped: memory and snapshots stay bounded by the faults, not by how
 * often the poller re-asserts. */
#pragma once

#include <glib.h>

#include "xn-time.h"

G_BEGIN_DECLS

typedef struct {
	XnInstant ts;
	gint64    seq;
	gboolean  down;
} XnReport;

typedef struct {
	char      *subject;      /* "node/NAME" or "interface/NODE/IFNAME" */
	GArray    *reports;      /* XnReport, sorted by (ts, seq) */
	XnInstant  newest;       /* the latest ts ever added; G_MININT64 before any */
} XnSignal;

XnSignal *xn_signal_new (const char *subject);
void      xn_signal_free (XnSignal *signal);

/* Adds a report, whose seq must be above every seq added before (the
 * engine checks this for all signals at once), then drops up reports that
 * follow an up report and are more than `horizon` older than the newest. */
void      xn_signal_add (XnSignal *signal, XnInstant ts, gint64 seq, gboolean down, gint64 horizon);

/* The index of the first report with ts >= t (or > t): reports.len if none. */
guint     xn_signal_index_at (const XnSignal *signal, XnInstant t);
guint     xn_signal_index_after (const XnSignal *signal, XnInstant t);

/* The state after every report with ts <= t. */
gboolean  xn_signal_down_at (const XnSignal *signal, XnInstant t);

static inline const XnReport *
xn_signal_report (const XnSignal *signal, guint index)
{
	return &g_array_index (signal->reports, XnReport, index);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnSignal, xn_signal_free)

G_END_DECLS

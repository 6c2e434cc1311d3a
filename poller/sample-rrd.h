/* sample-rrd.h — one poll's sample into RRD (doc/rrd.md): what the daemon
 * (poller.c) and its bench mode (bench-mode.c) both write, so the bench
 * measures exactly the daemon's RRD path. */
#pragma once

#include <glib.h>

#include "counters.h"
#include "sample.h"
#include "xn-rrd.h"

G_BEGIN_DECLS

/* Updates the node's file (reachability, response time, CPU, memory) and,
 * for an answered poll, one file per interface that has a name of its own,
 * at `t` with step `step_s`. Returns the updates tried; the first failure
 * goes to *first (when it is still NULL), every failure is counted in
 * *n_failed. */
guint xn_sample_rrd_write (XnRrd *rrd, const char *node, guint step_s, XnInstant t,
			   const XnNodeSample *sample, const XnNodeRates *rates,
			   GError **first, guint *n_failed);

G_END_DECLS

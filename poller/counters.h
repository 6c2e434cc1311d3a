/* counters.h — interface counters into per-second rates, sample after sample.
 *
 * XnCounters remembers, per node and per ifName, the counters of the last
 * answered poll and the node's sysUpTime. Each new sample gives rates over
 * the interval since then, or, where the interval holds a discontinuity (a
 * reboot, a cleared or re-created counter, a 32-bit counter that wrapped
 * more often than once), no rate at all: a missing interval is honest, a
 * spike of 2^32 octets is not. Rates are in units per second of what the
 * counter counts (octets, packets), never bits: doc/rrd.md stores them as
 * they are. Everything here is pure: times come from the samples. */
#pragma once

#include <glib.h>
#include "sample.h"

G_BEGIN_DECLS

/* A counter may show at most this much more than the interface's speed before
 * the rate is called impossible: counters are read when the agent answers,
 * which can be a few seconds after the poll's start that timed the interval,
 * so a saturated link measured over a slightly short interval overshoots. */
#define XN_COUNTERS_SPEED_SLACK 1.10
/* The smallest frame a packet counter can count, in octets (an Ethernet
 * minimum frame): bounds packets per second by the speed. */
#define XN_COUNTERS_MIN_FRAME 64

typedef enum {
	XN_RATE_OK,               /* rates computed */
	XN_RATE_FIRST,            /* no earlier answer had this ifName */
	XN_RATE_NO_NAME,          /* the agent gave no ifName: nothing to match on */
	XN_RATE_DUPLICATE_NAME,   /* an interface with a lower ifIndex has the same ifName */
	XN_RATE_REBOOT,           /* sysUpTime was reset in between */
	XN_RATE_NO_INTERVAL,      /* the sample is not later than the previous one */
	XN_RATE_CHANGED,          /* ifIndex or counter width changed: another counter instance */
	XN_RATE_BACKWARDS,        /* a 64-bit counter went backwards: cleared or re-created */
	XN_RATE_IMPOSSIBLE,       /* faster than the speed: 32-bit counters wrapped more than once, or an agent bug */
} XnRateStatus;

typedef struct {
	guint32       if_index;
	const char   *name;       /* borrowed from the sample given to xn_counters_update(); NULL without ifName */
	XnRateStatus  status;
	/* Per second. NAN when status is not XN_RATE_OK, or when either sample
	 * lacked that counter. A discontinuity in any counter of the interface
	 * voids them all: what resets one counter (a clear, a re-creation)
	 * resets the others. */
	double in_octets, out_octets;
	double in_ucast, out_ucast;
	double in_errors, out_errors;
	double in_discards, out_discards;
} XnIfRates;

typedef struct {
	char      *node;          /* owned */
	XnInstant  time;          /* the sample's start */
	gboolean   answered;      /* FALSE: the poll failed, nothing below is set and nothing was remembered */
	gint64     interval_us;   /* since the previous answered sample; 0 when there was none */
	gboolean   rebooted;      /* sysUpTime was reset since the previous answered sample */
	XnInstant  boot_time;     /* estimated (time - sysUpTime) when rebooted */
	guint32    previous_uptime;  /* TimeTicks, when rebooted */
	guint32    uptime;           /* TimeTicks, when rebooted */
	GArray    *interfaces;    /* XnIfRates, in the sample's order */
} XnNodeRates;

typedef struct _XnCounters XnCounters;

XnCounters  *xn_counters_new (void);
void         xn_counters_free (XnCounters *counters);

/* Rates of one sample against the node's previous answered sample, which the
 * sample then replaces. A failed poll changes nothing: the next answer is
 * measured against the last one that came. Interfaces missing from an
 * answered sample are forgotten. The result must not outlive `sample`. */
XnNodeRates *xn_counters_update (XnCounters *counters, const XnNodeSample *sample);
void         xn_node_rates_free (XnNodeRates *rates);
/* Forgets a node (gone from the inventory). */
void         xn_counters_forget (XnCounters *counters, const char *node);

/* TRUE when sysUpTime `uptime` read at `time` cannot follow `previous_uptime`
 * read at `previous_time` (it is smaller than the elapsed time allows, with
 * some slack for when agents answer), and then sets *boot_time to the
 * estimated boot (time - uptime). A sysUpTime that wrapped at 2^32 ticks
 * (497 days) on schedule is not a reset. */
gboolean     xn_uptime_was_reset (XnInstant previous_time, guint32 previous_uptime,
				  XnInstant time, guint32 uptime, XnInstant *boot_time);

const char  *xn_rate_status_to_string (XnRateStatus status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnCounters, xn_counters_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnNodeRates, xn_node_rates_free)

G_END_DECLS

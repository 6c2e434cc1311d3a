/* xn-rrd.h — the poller's time series in RRD files, written directly with
 * librrd or through rrdcached.
 *
 * One file per node (RRD_DIR/NODE/node.rrd) and one per interface
 * (RRD_DIR/NODE/if-ESCAPED.rrd), created on first sight with the layout of
 * doc/rrd.md: GAUGE data sources fed with per-second rates that
 * poller/counters.c computed, so RRD never sees a counter wrap or a reboot.
 * Values are doubles; NAN (or any non-finite value) is stored as unknown.
 *
 * Creating a file, or checking one that exists, takes milliseconds (a
 * round trip and a megabyte written), so it is never done in the calls
 * below: the first sample of a file goes to the XnRrd's own creation
 * thread with the file's layout, later ones wait in a bounded queue
 * (XN_RRD_PENDING_PER_FILE per file, XN_RRD_PENDING_TOTAL in all; past
 * those the oldest are dropped and counted), and the thread writes them in
 * order once the file is ready. From then on the file's updates take the
 * fast way: without a daemon, written when the call returns; with an
 * rrdcached address, queued and sent in BATCH mode by xn_rrd_flush() (and
 * whenever XN_RRD_BATCH_LIMIT are queued). A file that cannot be created or
 * used is reported by the next update of that file (and checked again in
 * the background then). Errors are XN_ERROR and name the file (or the
 * daemon's address). One XnRrd is used by one thread at a time; several may
 * live in one process. */
#pragma once

#include <glib.h>
#include "xn-time.h"

G_BEGIN_DECLS

#define XN_RRD_BATCH_LIMIT  5000     /* queued updates that trigger a send */
#define XN_RRD_PENDING_PER_FILE 4       /* samples waiting for one file's creation */
#define XN_RRD_PENDING_TOTAL    500000  /* in all: about 100 MB at most */
#define XN_RRD_MAX_TIERS    4
#define XN_RRD_MIN_STEP     10       /* seconds */
#define XN_RRD_MAX_STEP     86400

/* Data source names, in file order. */
#define XN_RRD_NODE_REACHABLE   "reachable"     /* 1 answered, 0 did not: the mean is availability */
#define XN_RRD_NODE_RESPONSE    "response_s"    /* round trip of the first request, seconds */
#define XN_RRD_NODE_CPU         "cpu_pct"       /* percent */
#define XN_RRD_NODE_MEMORY      "mem_pct"       /* percent of RAM used */
#define XN_RRD_IF_IN_OCTETS     "in_octets"     /* octets per second */
#define XN_RRD_IF_OUT_OCTETS    "out_octets"
#define XN_RRD_IF_IN_ERRORS     "in_errors"     /* packets per second */
#define XN_RRD_IF_OUT_ERRORS    "out_errors"
#define XN_RRD_IF_IN_DISCARDS   "in_discards"
#define XN_RRD_IF_OUT_DISCARDS  "out_discards"

typedef struct {
	double reachable;
	double response_s;
	double cpu_percent;
	double memory_percent;
} XnRrdNodeValues;

typedef struct {
	double in_octets, out_octets;
	double in_errors, out_errors;
	double in_discards, out_discards;
} XnRrdIfValues;

/* One consolidation tier: every row consolidates pdp_per_row steps. */
typedef struct {
	guint pdp_per_row;
	guint rows;
} XnRrdTier;

/* The tiers for a step (5 minutes for 2 days, 30 minutes for 62 days, 2 hours
 * for 397 days, 1 day for 1827 days; coarser where the step is coarser);
 * returns how many there are (tiers that would coincide are merged). Each
 * tier is stored with AVERAGE and MAX. */
guint        xn_rrd_tiers (guint step_s, XnRrdTier tiers[XN_RRD_MAX_TIERS]);

typedef struct _XnRrd XnRrd;

/* `dir` is where the files are, as the daemon sees it when there is one
 * (then the daemon creates the node directories: run it with -R). Without a
 * daemon, a missing `dir` is created. `rrdcached_address` is NULL, or
 * "unix:/path", "/path", "host" or "host:port"; it is connected (and pinged)
 * here so a wrong address fails at start. */
XnRrd       *xn_rrd_open (const char *dir, const char *rrdcached_address, GError **error);
/* Stops the creation thread once it has finished the file it is on (what
 * still waits for it is dropped: xn_rrd_drain first to wait, and
 * xn_rrd_get_pending to say what is left), sends what is still queued (a
 * failure is logged once), then frees. */
void         xn_rrd_free (XnRrd *rrd);
void         xn_rrd_set_batch_limit (XnRrd *rrd, guint limit);

/* Files handed to the creation thread and not ready yet, the samples
 * waiting for them, and the samples dropped so far (past the bounds). */
typedef struct {
	guint    files;
	guint    samples;
	guint64  dropped;
} XnRrdPending;

void         xn_rrd_get_pending (XnRrd *rrd, XnRrdPending *pending);
/* Waits at most `timeout_ms` until every file handed over is ready (or has
 * failed) and the samples that waited for it are written; TRUE when none is
 * left. The only call that waits for the creation thread. */
gboolean     xn_rrd_drain (XnRrd *rrd, guint timeout_ms);
/* Bounds for samples waiting for creation (defaults above), at least 1. */
void         xn_rrd_set_pending_limits (XnRrd *rrd, guint per_file, guint total);
/* While held, the creation thread starts no new file (tests use it to see
 * the queue; the daemon never holds it). */
void         xn_rrd_hold_creation (XnRrd *rrd, gboolean hold);

/* One sample at `t` (whole seconds are kept). The file is created on its
 * first sight in this process with step `step_s`, or checked if it exists:
 * data sources other than this module's are an error, a different step is
 * kept (the file keeps the step it was made with). Both happen on the
 * creation thread: until the file is ready, TRUE means the sample waits
 * for it. FALSE with the reason when the file could not be created or
 * used (the sample is not kept), or when this sample or one that waited
 * for the file could not be written (the error says which). */
gboolean     xn_rrd_update_node (XnRrd *rrd, const char *node, guint step_s, XnInstant t,
				 const XnRrdNodeValues *values, GError **error);
gboolean     xn_rrd_update_interface (XnRrd *rrd, const char *node, const char *if_name,
				      guint step_s, XnInstant t, const XnRrdIfValues *values,
				      GError **error);
/* Sends the queued updates (a no-op without a daemon). Each update the daemon
 * refused is named in the error with its file. */
gboolean     xn_rrd_flush (XnRrd *rrd, GError **error);

/* Paths of the files; node must be an inventory name, if_name not empty. */
char        *xn_rrd_node_path (XnRrd *rrd, const char *node, GError **error);
char        *xn_rrd_interface_path (XnRrd *rrd, const char *node, const char *if_name,
				    GError **error);
/* An ifName as a safe, unique file name part: [A-Za-z0-9._-] kept, every other
 * byte as %XX; past 200 bytes, a prefix, '~' and 16 hex digits of its SHA-256. */
char        *xn_rrd_escape_name (const char *if_name);

/* Reading back, for reports and tests. */
typedef struct {
	char   *name;
	char   *type;           /* "GAUGE" */
	guint   heartbeat_s;
	double  min, max;       /* NAN: no limit */
} XnRrdSource;

typedef struct {
	char   *cf;             /* "AVERAGE", "MAX" */
	guint   pdp_per_row;
	guint   rows;
} XnRrdArchive;

typedef struct {
	guint      step_s;
	XnInstant  last_update;
	GArray    *sources;     /* XnRrdSource, in file order */
	GArray    *archives;    /* XnRrdArchive, in file order */
} XnRrdLayout;

XnRrdLayout *xn_rrd_describe (XnRrd *rrd, const char *path, GError **error);
void         xn_rrd_layout_free (XnRrdLayout *layout);

/* Row i holds the consolidated value of (start + i·step, start + (i+1)·step];
 * values[i * n_sources + j] is source j's. */
typedef struct {
	XnInstant  start;
	guint      step_s;
	guint      n_rows;
	GStrv      sources;
	guint      n_sources;
	double    *values;
} XnRrdSeries;

/* Consolidation `cf` over (start, end] at the closest resolution the file has
 * to `resolution_s`. With a daemon, the file's pending updates are flushed
 * first; the file is then read from this host's file system. */
XnRrdSeries *xn_rrd_fetch (XnRrd *rrd, const char *path, const char *cf, XnInstant start,
			   XnInstant end, guint resolution_s, GError **error);
void         xn_rrd_series_free (XnRrdSeries *series);
/* The value of `source` in the row that ends at `t`; NAN if none. */
double       xn_rrd_series_value_at (const XnRrdSeries *series, const char *source, XnInstant t);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnRrd, xn_rrd_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnRrdLayout, xn_rrd_layout_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnRrdSeries, xn_rrd_series_free)

G_END_DECLS

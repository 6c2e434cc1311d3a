/* rrd-backlog.h — files waiting to be made ready, with the samples that
 * arrive for them meanwhile, and the one thread that works through them; for
 * storage/xn-rrd.c.
 *
 * Internal to libxnrrd. It knows nothing of RRD: what "ready" means and how
 * a sample is written are the two functions it is given, which run on its
 * thread. Every other call is made by the thread that owns the XnRrd and
 * never waits for the worker's I/O (xn_rrd_backlog_wait and _stop
 * excepted). */
#pragma once

#include <glib.h>
#include "xn-rrd.h"

G_BEGIN_DECLS

typedef struct _XnRrdBacklog XnRrdBacklog;

/* Both run on the worker thread, with `worker_data`, which nothing else
 * touches while the worker runs. */
typedef struct {
	/* Creates the file from `spec`, or checks the one that is there. */
	gboolean (*prepare) (gpointer worker_data, const char *path, gconstpointer spec, GError **error);
	/* Writes one update line to a file that prepare made ready. */
	gboolean (*write) (gpointer worker_data, const char *path, const char *line, GError **error);
} XnRrdBacklogFuncs;

/* What became of one file handed over. */
typedef struct {
	char     *path;
	gboolean  ready;        /* prepared: its later samples need no worker */
	GError   *error;        /* why it is not ready, or (ready) the first sample
				 * that waited for it and could not be written */
	guint     lost;         /* samples that waited for it and are not written */
} XnRrdBacklogResult;

void           xn_rrd_backlog_result_free (XnRrdBacklogResult *result);

/* Starts the worker thread. */
XnRrdBacklog  *xn_rrd_backlog_new (const XnRrdBacklogFuncs *funcs, gpointer worker_data,
				   GDestroyNotify worker_data_free, GError **error);
/* Stops the worker once it has finished the file it is on; files not taken
 * yet and their samples are dropped (counted in the pending figures).
 * Then frees worker_data. Safe to call twice. */
void           xn_rrd_backlog_stop (XnRrdBacklog *backlog);
/* Stops, then frees. */
void           xn_rrd_backlog_free (XnRrdBacklog *backlog);

/* Hands a file over, with its first sample (`line` may be NULL). The
 * caller must not have handed `path` over since its last result. */
void           xn_rrd_backlog_submit (XnRrdBacklog *backlog, const char *path, gpointer spec,
				      GDestroyNotify spec_free, const char *line);
/* Queues a sample for a file handed over; FALSE when the worker has already
 * finished with it (its result is waiting: take it, then write directly). */
gboolean       xn_rrd_backlog_append (XnRrdBacklog *backlog, const char *path, const char *line);
/* The results since the last call (XnRrdBacklogResult*), or NULL if none. */
GPtrArray     *xn_rrd_backlog_take_results (XnRrdBacklog *backlog);

/* Waits until no file is handed over and unfinished, at most `timeout_us`;
 * TRUE when none is. */
gboolean       xn_rrd_backlog_wait (XnRrdBacklog *backlog, gint64 timeout_us);
void           xn_rrd_backlog_get_pending (XnRrdBacklog *backlog, XnRrdPending *pending);
/* At most `per_file` samples wait for one file and `total` for all; past
 * either, the oldest go. Both at least 1. */
void           xn_rrd_backlog_set_limits (XnRrdBacklog *backlog, guint per_file, guint total);
/* While held, the worker takes no new file (it finishes the one it is on). */
void           xn_rrd_backlog_hold (XnRrdBacklog *backlog, gboolean hold);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnRrdBacklog, xn_rrd_backlog_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnRrdBacklogResult, xn_rrd_backlog_result_free)

G_END_DECLS

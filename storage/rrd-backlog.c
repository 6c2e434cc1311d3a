/* rrd-backlog.c — one worker thread that makes files ready (creates or
 * checks them) while the thread that owns the XnRrd goes on, and the bounded
 * queue of samples that wait for those files.
 *
 * The owner hands a file over with its first sample; later samples for it
 * are appended to the file's own queue until the worker has finished with
 * it. The worker takes files in the order they came, prepares one, then
 * writes that file's waiting samples oldest first, taking any that arrive
 * meanwhile, and only then reports the file finished. So every sample of a
 * file the worker was given is written before the owner writes the next one
 * itself, and the file's updates stay in time order. Waiting samples are
 * bounded per file and in all; past a bound the oldest is dropped and
 * counted, never memory without end. Files themselves are not bounded:
 * there is one per node and interface of the inventory.
 *
 * Locking: one mutex guards everything shared — the queue of files not
 * taken yet, the table of files handed over and unfinished (queued or on
 * the worker), every waiting sample (each is on two lists: its file's and
 * the global one, oldest first, which is what makes "drop the oldest of
 * all" O(1)), the results, the counters, and the hold and stop flags. The
 * worker holds it only to take a file, to take that file's waiting samples
 * and to post the result; it never holds it during I/O. The owner holds it
 * for a few list operations per call, so it never waits for the worker's
 * I/O; only xn_rrd_backlog_wait waits, on a condition the worker signals
 * when the last unfinished file is done, and xn_rrd_backlog_stop joins the
 * worker once it has finished the file it is on. Outside the lock the
 * worker touches only worker_data (its own rrdcached connection, which
 * nothing else uses), the path and spec of the file it has taken (never
 * changed once handed over; the owner only reads the path as a table key)
 * and the one sample it has taken off the lists; the owner alone calls
 * everything in rrd-backlog.h. `has_results` is also read without the
 * lock, as a hint that spares the owner the lock when there is nothing to
 * take; it is set inside the same critical section that removes a finished
 * file from the table, so an owner that found the file gone (under the
 * lock) then sees the hint. This file does not know what a file is:
 * xn-rrd.c gives it the two functions that run on the worker. */
#include "rrd-backlog.h"
#include "xn-error.h"

#include <string.h>

typedef struct _Job Job;

typedef struct {
	GList  all;             /* in backlog->samples; data = this sample */
	GList  mine;            /* in job->samples */
	Job   *job;
	char   line[];
} Sample;

struct _Job {
	char           *path;
	gpointer        spec;
	GDestroyNotify  spec_free;
	GQueue          samples;        /* of Sample, by their `mine` links */
};

struct _XnRrdBacklog {
	XnRrdBacklogFuncs funcs;
	gpointer        worker_data;
	GDestroyNotify  worker_data_free;
	GThread        *thread;         /* NULL once stopped */

	GMutex          lock;
	GCond           work;           /* to the worker: a file, a release, or stop */
	GCond           idle;           /* from the worker: nothing is unfinished */
	GQueue          queue;          /* Job*: handed over, not taken yet */
	GHashTable     *unfinished;     /* path → Job, queued or on the worker */
	GQueue          samples;        /* every waiting Sample, by `all`, oldest first */
	GPtrArray      *results;        /* XnRrdBacklogResult* for the owner */
	guint           per_file;
	guint           total;
	guint64         dropped;
	gboolean        held;
	gboolean        stopping;
	gint            has_results;    /* atomic hint: results is not empty */
};

void
xn_rrd_backlog_result_free (XnRrdBacklogResult *result)
{
	if (result == NULL)
		return;
	g_free (result->path);
	g_clear_error (&result->error);
	g_free (result);
}

static void
job_free (Job *job)
{
	g_assert (job->samples.length == 0);
	if (job->spec_free != NULL)
		job->spec_free (job->spec);
	g_free (job->path);
	g_free (job);
}

/* ---- samples, under the lock ---- */

static void
unlink_sample (XnRrdBacklog *backlog, Sample *sample)
{
	g_queue_unlink (&backlog->samples, &sample->all);
	g_queue_unlink (&sample->job->samples, &sample->mine);
}

static void
drop_sample (XnRrdBacklog *backlog, Sample *sample)
{
	unlink_sample (backlog, sample);
	backlog->dropped++;
	g_free (sample);
}

static void
add_sample (XnRrdBacklog *backlog, Job *job, const char *line)
{
	gsize length = strlen (line);
	Sample *sample;

	/* The oldest make room: a late sample of a file says more than an
	 * early one, and the first poll of an interface has no rates anyway. */
	while (job->samples.length >= backlog->per_file)
		drop_sample (backlog, g_queue_peek_head (&job->samples));
	while (backlog->samples.length >= backlog->total)
		drop_sample (backlog, g_queue_peek_head (&backlog->samples));
	sample = g_malloc0 (sizeof *sample + length + 1);
	memcpy (sample->line, line, length + 1);
	sample->job = job;
	sample->all.data = sample;
	sample->mine.data = sample;
	g_queue_push_tail_link (&backlog->samples, &sample->all);
	g_queue_push_tail_link (&job->samples, &sample->mine);
}

/* ---- the worker ---- */

static void
post_result (XnRrdBacklog *backlog, XnRrdBacklogResult *result)
{
	g_ptr_array_add (backlog->results, result);
	g_atomic_int_set (&backlog->has_results, 1);
}

/* Writes the file's waiting samples, oldest first, until none is left.
 * Called and returns with the lock held; drops it around each write. */
static void
write_waiting (XnRrdBacklog *backlog, Job *job, XnRrdBacklogResult *result)
{
	while (job->samples.length > 0) {
		Sample *sample = g_queue_peek_head (&job->samples);
		GError *error = NULL;

		unlink_sample (backlog, sample);
		g_mutex_unlock (&backlog->lock);
		if (!backlog->funcs.write (backlog->worker_data, job->path, sample->line, &error)) {
			result->lost++;
			if (result->error == NULL)
				result->error = error;
			else
				g_error_free (error);
		}
		g_free (sample);
		g_mutex_lock (&backlog->lock);
	}
}

/* Called and returns with the lock held. */
static void
run_job (XnRrdBacklog *backlog, Job *job)
{
	XnRrdBacklogResult *result = g_new0 (XnRrdBacklogResult, 1);

	g_mutex_unlock (&backlog->lock);
	result->ready = backlog->funcs.prepare (backlog->worker_data, job->path, job->spec, &result->error);
	g_mutex_lock (&backlog->lock);
	if (result->ready) {
		write_waiting (backlog, job, result);
	} else {
		while (job->samples.length > 0) {
			Sample *sample = g_queue_peek_head (&job->samples);

			unlink_sample (backlog, sample);
			g_free (sample);
			result->lost++;
		}
	}
	/* From here on the owner writes the file itself. */
	g_hash_table_steal (backlog->unfinished, job->path);
	result->path = g_steal_pointer (&job->path);
	post_result (backlog, result);
	if (g_hash_table_size (backlog->unfinished) == 0)
		g_cond_broadcast (&backlog->idle);
	job_free (job);
}

static gpointer
worker_main (gpointer data)
{
	XnRrdBacklog *backlog = data;

	g_mutex_lock (&backlog->lock);
	for (;;) {
		while (!backlog->stopping && (backlog->held || backlog->queue.length == 0))
			g_cond_wait (&backlog->work, &backlog->lock);
		if (backlog->stopping)
			break;
		run_job (backlog, g_queue_pop_head (&backlog->queue));
	}
	g_mutex_unlock (&backlog->lock);
	return NULL;
}

/* ---- the owner's side ---- */

XnRrdBacklog *
xn_rrd_backlog_new (const XnRrdBacklogFuncs *funcs, gpointer worker_data, GDestroyNotify worker_data_free,
		    GError **error)
{
	XnRrdBacklog *backlog = g_new0 (XnRrdBacklog, 1);
	g_autoptr(GError) local = NULL;

	backlog->funcs = *funcs;
	backlog->worker_data = worker_data;
	backlog->worker_data_free = worker_data_free;
	g_mutex_init (&backlog->lock);
	g_cond_init (&backlog->work);
	g_cond_init (&backlog->idle);
	g_queue_init (&backlog->queue);
	g_queue_init (&backlog->samples);
	/* Keys are the jobs' own paths; jobs are freed by whoever ends them. */
	backlog->unfinished = g_hash_table_new (g_str_hash, g_str_equal);
	backlog->results = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_rrd_backlog_result_free);
	backlog->per_file = XN_RRD_PENDING_PER_FILE;
	backlog->total = XN_RRD_PENDING_TOTAL;
	backlog->thread = g_thread_try_new ("xn-rrd-create", worker_main, backlog, &local);
	if (backlog->thread == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_FAILED, "cannot start the RRD creation thread: %s",
			     local->message);
		xn_rrd_backlog_free (backlog);
		return NULL;
	}
	return backlog;
}

void
xn_rrd_backlog_stop (XnRrdBacklog *backlog)
{
	Job *job;

	if (backlog->thread != NULL) {
		g_mutex_lock (&backlog->lock);
		backlog->stopping = TRUE;
		g_cond_broadcast (&backlog->work);
		g_mutex_unlock (&backlog->lock);
		g_thread_join (g_steal_pointer (&backlog->thread));
	}
	if (backlog->worker_data_free != NULL)
		backlog->worker_data_free (g_steal_pointer (&backlog->worker_data));
	backlog->worker_data_free = NULL;
	/* No worker any more: what is left was never taken. */
	g_mutex_lock (&backlog->lock);
	while ((job = g_queue_pop_head (&backlog->queue)) != NULL) {
		while (job->samples.length > 0)
			drop_sample (backlog, g_queue_peek_head (&job->samples));
		g_hash_table_remove (backlog->unfinished, job->path);
		job_free (job);
	}
	g_assert (g_hash_table_size (backlog->unfinished) == 0);
	g_cond_broadcast (&backlog->idle);
	g_mutex_unlock (&backlog->lock);
}

void
xn_rrd_backlog_free (XnRrdBacklog *backlog)
{
	if (backlog == NULL)
		return;
	xn_rrd_backlog_stop (backlog);
	g_hash_table_unref (backlog->unfinished);
	g_ptr_array_unref (backlog->results);
	g_cond_clear (&backlog->work);
	g_cond_clear (&backlog->idle);
	g_mutex_clear (&backlog->lock);
	g_free (backlog);
}

void
xn_rrd_backlog_submit (XnRrdBacklog *backlog, const char *path, gpointer spec, GDestroyNotify spec_free,
		       const char *line)
{
	Job *job = g_new0 (Job, 1);

	job->path = g_strdup (path);
	job->spec = spec;
	job->spec_free = spec_free;
	g_queue_init (&job->samples);
	g_mutex_lock (&backlog->lock);
	g_assert (!g_hash_table_contains (backlog->unfinished, path));
	g_hash_table_insert (backlog->unfinished, job->path, job);
	if (line != NULL)
		add_sample (backlog, job, line);
	if (backlog->thread != NULL) {
		g_queue_push_tail (&backlog->queue, job);
		g_cond_signal (&backlog->work);
	} else {
		/* Stopped: nothing will take it. */
		while (job->samples.length > 0)
			drop_sample (backlog, g_queue_peek_head (&job->samples));
		g_hash_table_remove (backlog->unfinished, job->path);
		job_free (job);
	}
	g_mutex_unlock (&backlog->lock);
}

gboolean
xn_rrd_backlog_append (XnRrdBacklog *backlog, const char *path, const char *line)
{
	Job *job;

	g_mutex_lock (&backlog->lock);
	job = g_hash_table_lookup (backlog->unfinished, path);
	if (job != NULL)
		add_sample (backlog, job, line);
	g_mutex_unlock (&backlog->lock);
	return job != NULL;
}

GPtrArray *
xn_rrd_backlog_take_results (XnRrdBacklog *backlog)
{
	GPtrArray *results = NULL;

	if (!g_atomic_int_get (&backlog->has_results))
		return NULL;
	g_mutex_lock (&backlog->lock);
	if (backlog->results->len > 0) {
		results = g_steal_pointer (&backlog->results);
		backlog->results = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_rrd_backlog_result_free);
	}
	g_atomic_int_set (&backlog->has_results, 0);
	g_mutex_unlock (&backlog->lock);
	return results;
}

gboolean
xn_rrd_backlog_wait (XnRrdBacklog *backlog, gint64 timeout_us)
{
	gint64 deadline = g_get_monotonic_time () + MAX (timeout_us, 0);
	gboolean done;

	g_mutex_lock (&backlog->lock);
	while (g_hash_table_size (backlog->unfinished) > 0 &&
	       g_cond_wait_until (&backlog->idle, &backlog->lock, deadline))
		;
	done = g_hash_table_size (backlog->unfinished) == 0;
	g_mutex_unlock (&backlog->lock);
	return done;
}

void
xn_rrd_backlog_get_pending (XnRrdBacklog *backlog, XnRrdPending *pending)
{
	g_mutex_lock (&backlog->lock);
	pending->files = g_hash_table_size (backlog->unfinished);
	pending->samples = backlog->samples.length;
	pending->dropped = backlog->dropped;
	g_mutex_unlock (&backlog->lock);
}

void
xn_rrd_backlog_set_limits (XnRrdBacklog *backlog, guint per_file, guint total)
{
	g_mutex_lock (&backlog->lock);
	backlog->per_file = MAX (per_file, 1);
	backlog->total = MAX (total, 1);
	g_mutex_unlock (&backlog->lock);
}

void
xn_rrd_backlog_hold (XnRrdBacklog *backlog, gboolean hold)
{
	g_mutex_lock (&backlog->lock);
	backlog->held = hold;
	g_cond_signal (&backlog->work);
	g_mutex_unlock (&backlog->lock);
}

/* engine.c — many SNMP polls in flight on one GLib main context (see
 * engine.h for the contract).
 *
 * Waiting is one GSource per engine. Every open session's socket is in one
 * epoll set, whose descriptor is the source's only fd; when it is readable
 * the dispatch asks epoll which sessions are ready and reads those alone, so
 * the cost of a wakeup does not grow with the number of open sessions (the
 * classic select loop over all sessions costs ~4× at 10,000, see
 * performance-notes.md). Retries and timeouts are Net-SNMP's, per session;
 * the engine keeps the sessions with a request out in a queue ordered by
 * when their next retry or timeout is due and sets the source's ready time
 * to the earliest, so a timer costs nothing per session either.
 *
 * A poll is a Job: it waits in `waiting` until the window has room, then
 * drives a walk (snmp-poll.h), one request at a time, from the session's
 * reply callback; when it ends it goes to `done` and its callback is made
 * from the dispatch, outside any Net-SNMP code, where the caller may poll
 * again or free the engine. This file reads the clock (monotonic for
 * deadlines and round trips, wall for the sample's instants): it is the
 * poller's event-loop edge. */
#include "engine.h"
#include "snmp-poll.h"
#include "snmp-session.h"
#include "xn-error.h"
#include "xn-time.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

/* Net-SNMP tests expiry with a strict "<" on its own clock reading: wake a
 * little after it, not a few microseconds too early, again and again. */
#define DEADLINE_SLACK_US 1000

typedef struct _Target Target;

typedef struct {
	Target           *target;     /* NULL for a poll refused at once, and once done */
	XnSampleCallback  callback;
	gpointer          user_data;
	XnNodeSample     *sample;
	XnSnmpWalk       *walk;
	gint64            sent_us;    /* monotonic, when the first request went out */
	GList             link;       /* in `waiting` or `done` */
} Job;

struct _Target {
	XnSnmpEngine   *engine;
	XnNode         *node;         /* our copy: name, address, SNMP endpoint */
	char           *label;        /* "name (address:port)" */
	XnSnmpSession  *session;      /* NULL until the first poll; then kept */
	gboolean        reopen;       /* close the session once idle */
	gboolean        forgotten;    /* free once idle */
	XnSnmpMemory    memory;
	Job            *job;          /* the poll under way or waiting; NULL when idle */
	gint64          deadline;     /* monotonic µs; G_MAXINT64 when not in `deadlines` */
	GList           deadline_link;
};

typedef struct {
	GSource       base;
	XnSnmpEngine *engine;
} EngineSource;

struct _XnSnmpEngine {
	GSource           *source;
	int                epfd;
	XnSnmpStack       *stack;
	const XnSecrets   *secrets;
	guint              window;
	GHashTable        *targets;      /* node name → Target */
	GQueue             waiting;      /* Job, waiting for the window */
	GQueue             deadlines;    /* Target with a request out, earliest first */
	GQueue             done;         /* Job, callback due */
	GPtrArray         *spare_walks;
	XnSnmpEngineStats  stats;
	gboolean           dispatching;
	gboolean           dying;
};

static void on_reply (XnSnmpSession *session, const XnSnmpReply *reply, gpointer user_data);

static void
target_close_session (Target *target)
{
	if (target->session == NULL)
		return;
	epoll_ctl (target->engine->epfd, EPOLL_CTL_DEL, xn_snmp_session_fd (target->session), NULL);
	g_clear_pointer (&target->session, xn_snmp_session_close);
}

static void
unschedule (Target *target)
{
	if (target->deadline == G_MAXINT64)
		return;
	g_queue_unlink (&target->engine->deadlines, &target->deadline_link);
	target->deadline = G_MAXINT64;
}

static void
target_free (gpointer data)
{
	Target *target = data;

	unschedule (target);
	target_close_session (target);
	xn_node_free (target->node);
	g_free (target->label);
	g_free (target);
}

static XnNode *
copy_node (const XnNode *node)
{
	XnNode *copy = xn_node_new (node->name, node->role, node->site_name, node->management_address);

	copy->snmp = xn_snmp_endpoint_new (node->snmp->credential);
	copy->snmp->version = node->snmp->version;
	copy->snmp->port = node->snmp->port;
	copy->snmp->timeout_ms = node->snmp->timeout_ms;
	copy->snmp->retries = node->snmp->retries;
	copy->snmp->interval_s = node->snmp->interval_s;
	return copy;
}

static char *
node_label (const XnNode *node)
{
	return g_strdup_printf (strchr (node->management_address, ':') ? "%s ([%s]:%u)" : "%s (%s:%u)",
				node->name, node->management_address, node->snmp->port);
}

/* Earliest deadline first; most new deadlines are the latest, so the scan
 * starts at the tail. */
static void
schedule (Target *target)
{
	XnSnmpEngine *engine = target->engine;
	GList *l;

	unschedule (target);
	if (target->session == NULL || target->job == NULL)
		return;
	target->deadline = xn_snmp_session_deadline (target->session);
	if (target->deadline == G_MAXINT64)
		return;
	target->deadline += DEADLINE_SLACK_US;
	target->deadline_link.data = target;
	for (l = engine->deadlines.tail; l != NULL; l = l->prev)
		if (((Target *) l->data)->deadline <= target->deadline)
			break;
	if (l == NULL)
		g_queue_push_head_link (&engine->deadlines, &target->deadline_link);
	else
		g_queue_insert_after_link (&engine->deadlines, l, &target->deadline_link);
}

static void
update_ready_time (XnSnmpEngine *engine)
{
	const Target *first = g_queue_peek_head (&engine->deadlines);

	if (engine->done.length > 0 || (engine->waiting.length > 0 && engine->stats.in_flight < engine->window))
		g_source_set_ready_time (engine->source, 0);
	else
		g_source_set_ready_time (engine->source, first != NULL ? first->deadline : -1);
}

static Job *
job_new (Target *target, const char *name, XnSampleCallback callback, gpointer user_data)
{
	Job *job = g_new0 (Job, 1);

	job->target = target;
	job->callback = callback;
	job->user_data = user_data;
	job->sample = xn_node_sample_new (name);
	job->link.data = job;
	return job;
}

static void
job_free (Job *job)
{
	xn_node_sample_free (job->sample);
	g_free (job);
}

/* Ends a poll: the sample is complete, the callback is due. */
static void
finish (Job *job, XnPollResult result, char *error, char *incomplete)
{
	Target *target = job->target;
	XnSnmpEngine *engine;

	job->sample->result = result;
	job->sample->error = error;
	job->sample->incomplete = incomplete;
	job->sample->finished = xn_time_now ();
	if (job->sample->started == 0)
		job->sample->started = job->sample->finished;
	if (target != NULL) {
		engine = target->engine;
		if (job->walk != NULL) {
			if (xn_snmp_walk_answers (job->walk) > 0)
				xn_snmp_walk_finish (job->walk);
			g_ptr_array_add (engine->spare_walks, g_steal_pointer (&job->walk));
			engine->stats.in_flight--;
		}
		if (result == XN_POLL_TIMEOUT)
			engine->stats.timeouts++;
		/* The target may be forgotten before the callback is made. */
		target->job = NULL;
		job->target = NULL;
		g_queue_push_tail_link (&engine->done, &job->link);
	}
}

static void
fail_now (XnSnmpEngine *engine, const char *name, XnSampleCallback callback, gpointer user_data, char *error)
{
	Job *job = job_new (NULL, name, callback, user_data);

	job->sample->result = XN_POLL_ERROR;
	job->sample->error = error;
	job->sample->started = job->sample->finished = xn_time_now ();
	g_queue_push_tail_link (&engine->done, &job->link);
	update_ready_time (engine);
}

static gboolean
send_next (Target *target, GError **error)
{
	XnSnmpEngine *engine = target->engine;
	const XnSnmpRequest *request = xn_snmp_walk_request (target->job->walk);

	if (!xn_snmp_session_send (target->session, request, error))
		return FALSE;
	engine->stats.requests_sent++;
	if (request->command == XN_SNMP_GETBULK)
		engine->stats.bulk_requests++;
	else
		engine->stats.getnext_requests++;
	return TRUE;
}

/* A wrong community, and a wrong SNMPv3 privacy password with most agents,
 * get no answer at all: say so, or people look for a dead device. */
static char *
timeout_message (const Target *target)
{
	const XnSnmpEndpoint *ep = target->node->snmp;
	const XnSecrets *secrets = target->engine->secrets;
	const XnSnmpUsm *usm = ep->version == XN_SNMP_V3 && secrets != NULL ?
			       xn_secrets_usm (secrets, ep->credential) : NULL;
	const char *hint = ep->version != XN_SNMP_V3 ? " (a wrong community gets no answer either)" :
			   usm != NULL && usm->priv_protocol != XN_USM_PRIV_NONE ?
			   " (a wrong privacy password gets no answer either)" : "";

	return g_strdup_printf ("%s: no answer to %s after %u %s of %u ms%s", target->label,
				xn_snmp_version_to_string (ep->version), ep->retries + 1,
				ep->retries == 0 ? "try" : "tries", ep->timeout_ms, hint);
}

/* The poll ends without its walk done: keep what was answered. */
static void
end_early (Target *target, XnPollResult result, const char *reason)
{
	Job *job = target->job;

	if (xn_snmp_walk_answers (job->walk) > 0 && result != XN_POLL_AUTH_FAILED)
		finish (job, XN_POLL_OK, NULL, g_strdup_printf ("%s: the walk stopped early: %s", target->label, reason));
	else
		finish (job, result, g_strdup (reason), NULL);
}

static void
on_response (Target *target, const XnSnmpReply *reply)
{
	XnSnmpEngine *engine = target->engine;
	Job *job = target->job;
	g_autoptr(GError) error = NULL;
	XnWalkStep step;

	/* From the first send: includes a retry's wait, and at a node's first
	 * SNMPv3 poll the engine ID probe's round trip. */
	if (job->sample->response_us < 0)
		job->sample->response_us = g_get_monotonic_time () - job->sent_us;
	engine->stats.varbinds_decoded += reply->n_varbinds;
	step = xn_snmp_walk_feed (job->walk, reply);
	if (step == XN_WALK_DONE) {
		finish (job, XN_POLL_OK, NULL, NULL);
	} else if (step == XN_WALK_FAILED) {
		if (xn_snmp_walk_answers (job->walk) > 1)
			finish (job, XN_POLL_OK, NULL, g_strdup_printf ("%s: the walk stopped early: %s", target->label,
									 xn_snmp_walk_problem (job->walk)));
		else
			finish (job, XN_POLL_ERROR, g_strdup_printf ("%s: %s", target->label,
								    xn_snmp_walk_problem (job->walk)), NULL);
	} else if (!send_next (target, &error)) {
		end_early (target, XN_POLL_ERROR, error->message);
	}
}

static void
on_reply (XnSnmpSession *session, const XnSnmpReply *reply, gpointer user_data)
{
	Target *target = user_data;
	g_autofree char *message = NULL;

	if (target->job == NULL || target->job->walk == NULL)
		return;
	switch (reply->kind) {
	case XN_SNMP_REPLY_RESPONSE:
		on_response (target, reply);
		break;
	case XN_SNMP_REPLY_TIMEOUT:
		message = timeout_message (target);
		end_early (target, XN_POLL_TIMEOUT, message);
		break;
	case XN_SNMP_REPLY_AUTH_FAILED:
		end_early (target, XN_POLL_AUTH_FAILED, reply->reason);
		break;
	case XN_SNMP_REPLY_FAILED:
		if (reply->stale_engine)
			target->reopen = TRUE;
		end_early (target, XN_POLL_ERROR, reply->reason);
		break;
	}
}

static gboolean
open_session (Target *target, GError **error)
{
	XnSnmpEngine *engine = target->engine;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = target };

	target->session = xn_snmp_session_open (engine->stack, target->node, engine->secrets, on_reply, target,
						error);
	if (target->session == NULL)
		return FALSE;
	engine->stats.sessions_opened++;
	if (epoll_ctl (engine->epfd, EPOLL_CTL_ADD, xn_snmp_session_fd (target->session), &ev) < 0) {
		int saved = errno;

		g_clear_pointer (&target->session, xn_snmp_session_close);
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s: cannot watch its socket: %s", target->label,
			     g_strerror (saved));
		return FALSE;
	}
	return TRUE;
}

static void
start (XnSnmpEngine *engine, Job *job)
{
	Target *target = job->target;
	g_autoptr(GError) error = NULL;

	if (target->reopen) {
		target->reopen = FALSE;
		target_close_session (target);
	}
	if (target->session == NULL && !open_session (target, &error)) {
		finish (job, XN_POLL_ERROR, g_strdup (error->message), NULL);
		return;
	}
	job->walk = engine->spare_walks->len > 0 ? g_ptr_array_steal_index_fast (engine->spare_walks,
										  engine->spare_walks->len - 1)
						  : xn_snmp_walk_new ();
	xn_snmp_walk_start (job->walk, &target->memory, target->node->snmp->version, job->sample, target->label);
	engine->stats.in_flight++;
	engine->stats.in_flight_max = MAX (engine->stats.in_flight_max, engine->stats.in_flight);
	engine->stats.polls_started++;
	job->sample->started = xn_time_now ();
	job->sent_us = g_get_monotonic_time ();
	if (!send_next (target, &error)) {
		finish (job, XN_POLL_ERROR, g_strdup (error->message), NULL);
		return;
	}
}

/* After Net-SNMP ran on the target's session: reschedule, and close a
 * session that must go once its poll is over (never from inside the
 * reply callback, which runs inside Net-SNMP). */
static void
settle (Target *target)
{
	if (target->job == NULL && (target->reopen || target->forgotten)) {
		target->reopen = FALSE;
		target_close_session (target);
		if (target->forgotten) {
			g_hash_table_remove (target->engine->targets, target->node->name);
			return;
		}
	}
	schedule (target);
}

static void
read_ready (XnSnmpEngine *engine)
{
	struct epoll_event events[64];
	int n;

	do {
		n = epoll_wait (engine->epfd, events, G_N_ELEMENTS (events), 0);
		for (int i = 0; i < n; i++) {
			Target *target = events[i].data.ptr;

			if (target->session == NULL)
				continue;
			xn_snmp_session_read (target->session);
			settle (target);
		}
	} while (n == G_N_ELEMENTS (events));
}

static void
expire (XnSnmpEngine *engine)
{
	gint64 now = g_get_monotonic_time ();
	Target *target;

	while ((target = g_queue_peek_head (&engine->deadlines)) != NULL && target->deadline <= now) {
		unschedule (target);
		xn_snmp_session_check_timeout (target->session);
		settle (target);
	}
}

static void
start_waiting (XnSnmpEngine *engine)
{
	GList *l;

	while (engine->stats.in_flight < engine->window && (l = g_queue_pop_head_link (&engine->waiting)) != NULL) {
		Job *job = l->data;
		Target *target = job->target;

		start (engine, job);
		settle (target);
	}
}

static void
deliver_done (XnSnmpEngine *engine)
{
	GList *l;

	/* Only what is done now: a callback that polls a node again must not
	 * make this loop run for ever on polls refused at once. */
	for (guint n = engine->done.length; n > 0 && !engine->dying; n--) {
		Job *job;

		l = g_queue_pop_head_link (&engine->done);
		job = l->data;
		engine->stats.polls_finished++;
		job->callback (g_steal_pointer (&job->sample), job->user_data);
		job_free (job);
	}
}

static void engine_destroy (XnSnmpEngine *engine);

static gboolean
engine_dispatch (GSource *source, GSourceFunc unused, gpointer data)
{
	XnSnmpEngine *engine = ((EngineSource *) source)->engine;

	engine->dispatching = TRUE;
	read_ready (engine);
	expire (engine);
	start_waiting (engine);
	deliver_done (engine);
	if (!engine->dying)
		start_waiting (engine);
	engine->dispatching = FALSE;
	if (engine->dying) {
		engine_destroy (engine);
		return G_SOURCE_REMOVE;
	}
	update_ready_time (engine);
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs engine_source_funcs = { NULL, NULL, engine_dispatch, NULL, NULL, NULL };

XnSnmpEngine *
xn_snmp_engine_new (GMainContext *context, const XnSecrets *secrets, guint window, GError **error)
{
	XnSnmpEngine *engine;
	int epfd;

	if (window == 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "the window of requests in flight must be at least 1");
		return NULL;
	}
	epfd = epoll_create1 (EPOLL_CLOEXEC);
	if (epfd < 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "cannot create an epoll set: %s", g_strerror (errno));
		return NULL;
	}
	engine = g_new0 (XnSnmpEngine, 1);
	engine->epfd = epfd;
	engine->stack = xn_snmp_stack_new ();
	engine->secrets = secrets;
	engine->window = window;
	engine->targets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, target_free);
	g_queue_init (&engine->waiting);
	g_queue_init (&engine->deadlines);
	g_queue_init (&engine->done);
	engine->spare_walks = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_snmp_walk_free);
	engine->source = g_source_new (&engine_source_funcs, sizeof (EngineSource));
	((EngineSource *) engine->source)->engine = engine;
	g_source_set_name (engine->source, "extranoc SNMP engine");
	g_source_add_unix_fd (engine->source, epfd, G_IO_IN);
	g_source_attach (engine->source, context);
	return engine;
}

static void
drop_jobs (GQueue *queue)
{
	GList *l;

	while ((l = g_queue_pop_head_link (queue)) != NULL)
		job_free (l->data);
}

static void
engine_destroy (XnSnmpEngine *engine)
{
	GHashTableIter iter;
	Target *target;

	/* Polls under way first (those waiting have no walk yet), then the
	 * queues; closing the sessions drops their requests unanswered. */
	g_hash_table_iter_init (&iter, engine->targets);
	while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &target)) {
		if (target->job != NULL && target->job->walk != NULL) {
			xn_snmp_walk_free (target->job->walk);
			job_free (target->job);
		}
		target->job = NULL;
	}
	drop_jobs (&engine->waiting);
	drop_jobs (&engine->done);
	g_hash_table_unref (engine->targets);
	g_ptr_array_unref (engine->spare_walks);
	xn_snmp_stack_free (engine->stack);
	close (engine->epfd);
	g_source_destroy (engine->source);
	g_source_unref (engine->source);
	g_free (engine);
}

void
xn_snmp_engine_free (XnSnmpEngine *engine)
{
	if (engine == NULL)
		return;
	if (engine->dispatching) {
		engine->dying = TRUE;
		return;
	}
	engine_destroy (engine);
}

static gboolean
same_endpoint (const XnNode *a, const XnNode *b)
{
	return strcmp (a->management_address, b->management_address) == 0 &&
	       a->snmp->version == b->snmp->version && a->snmp->port == b->snmp->port &&
	       strcmp (a->snmp->credential, b->snmp->credential) == 0 &&
	       a->snmp->timeout_ms == b->snmp->timeout_ms && a->snmp->retries == b->snmp->retries;
}

static Target *
target_for (XnSnmpEngine *engine, const XnNode *node)
{
	Target *target = g_hash_table_lookup (engine->targets, node->name);

	if (target != NULL && !same_endpoint (target->node, node)) {
		/* Another agent, version or credential: nothing learnt holds. */
		target_close_session (target);
		xn_node_free (target->node);
		target->node = copy_node (node);
		g_free (target->label);
		target->label = node_label (target->node);
		xn_snmp_memory_init (&target->memory);
	}
	if (target == NULL) {
		target = g_new0 (Target, 1);
		target->engine = engine;
		target->node = copy_node (node);
		target->label = node_label (target->node);
		target->deadline = G_MAXINT64;
		xn_snmp_memory_init (&target->memory);
		g_hash_table_insert (engine->targets, target->node->name, target);
	}
	target->forgotten = FALSE;
	return target;
}

void
xn_snmp_engine_poll (XnSnmpEngine *engine, const XnNode *node, XnSampleCallback callback, gpointer user_data)
{
	Target *target;
	Job *job;

	g_return_if_fail (engine != NULL && node != NULL && callback != NULL);
	if (node->snmp == NULL) {
		fail_now (engine, node->name, callback, user_data,
			  g_strdup_printf ("%s (%s): the node has no SNMP endpoint", node->name, node->management_address));
		return;
	}
	target = g_hash_table_lookup (engine->targets, node->name);
	if (target != NULL && target->job != NULL) {
		fail_now (engine, node->name, callback, user_data,
			  g_strdup_printf ("%s: not polled: its previous poll has not finished", target->label));
		return;
	}
	target = target_for (engine, node);
	job = job_new (target, node->name, callback, user_data);
	target->job = job;
	g_queue_push_tail_link (&engine->waiting, &job->link);
	update_ready_time (engine);
}

void
xn_snmp_engine_set_secrets (XnSnmpEngine *engine, const XnSecrets *secrets)
{
	GHashTableIter iter;
	Target *target;

	engine->secrets = secrets;
	xn_snmp_stack_forget_keys (engine->stack);
	g_hash_table_iter_init (&iter, engine->targets);
	while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &target)) {
		if (target->job == NULL)
			target_close_session (target);
		else
			target->reopen = TRUE;
	}
}

void
xn_snmp_engine_forget (XnSnmpEngine *engine, const char *node_name)
{
	Target *target = g_hash_table_lookup (engine->targets, node_name);

	if (target == NULL)
		return;
	if (target->job == NULL)
		g_hash_table_remove (engine->targets, node_name);
	else
		target->forgotten = TRUE;
}

void
xn_snmp_engine_get_stats (const XnSnmpEngine *engine, XnSnmpEngineStats *stats)
{
	*stats = engine->stats;
	stats->waiting = engine->waiting.length;
}

/* poller.c — the extranoc-poller daemon's context: scheduling, what a
 * finished poll becomes, reload by replacement and a clean stop.
 *
 * A timer GSource fires when the scheduler says the next node is due and
 * hands every due node to the SNMP engine; each finished poll comes back as
 * a sample, which goes through the counters (rates), the state (facts, one
 * journal batch per poll) and the RRD writer, and tells the scheduler when
 * the node is due again. Failures are logged once when they start and once
 * when they end, per node (polls, RRD) or per store (journal, rrdcached), so
 * a dead node or a full disk does not flood the log. The loop never waits
 * for the journal: facts it refuses, or cannot take within a few
 * milliseconds because another process holds its lock, are kept in order
 * and retried on a timer that backs off. A poll that failed because this
 * process ran out of descriptors is not held against the node. A reload
 * loads a whole new setup and every store it names before touching the
 * running one, and keeps what is known of the nodes it keeps. This file is
 * the daemon's event-loop edge: it alone reads the clock, and passes `now`
 * to the pure modules. It does not parse files (poller-setup.c) or speak
 * SNMP (engine.c). */
#include "poller.h"
#include "counters.h"
#include "engine.h"
#include "journal.h"
#include "sample-rrd.h"
#include "scheduler.h"
#include "state.h"
#include "xn-error.h"
#include "xn-rrd.h"
#include "xn-time.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

/* The wall clock stepping back more than this reschedules every node;
 * smaller steps (NTP slewing) only delay a poll a little. */
#define CLOCK_STEP_BACK_US   (2 * XN_USEC_PER_SEC)
/* rrdcached: updates are queued and sent at most this long after. */
#define RRD_FLUSH_DELAY_S    1
/* While RRD files wait to be created (a first start with a big inventory
 * takes many minutes), how far along it is, logged this often. */
#define RRD_PROGRESS_S       60
/* At the stop, files still to create may hold it up this long. */
#define RRD_STOP_WAIT_S      10
/* A journal that refused facts is tried again after this long, doubling up
 * to the most: soon enough for a lock held a moment, cheap for one held
 * for minutes. */
#define JOURNAL_RETRY_FIRST_MS  100
#define JOURNAL_RETRY_MAX_MS    5000
/* At the stop, a busy journal is tried again this often. */
#define JOURNAL_STOP_RETRY_MS   100

typedef enum {
	JOURNAL_OK,
	JOURNAL_BUSY,             /* another writer holds its lock */
	JOURNAL_FAILING,          /* it refuses appends */
} JournalHealth;

typedef struct {
	gboolean  failing;        /* the last poll failed (logged when it started) */
	guint     failures;
	XnInstant since;          /* the first failed poll of the run */
	gboolean  incomplete;     /* the last walk stopped early (logged when it started) */
	gboolean  rrd_failing;    /* the last RRD update of the node failed */
	gboolean  no_fds;         /* its last poll could not start: no descriptor left (logged) */
} Health;

struct _XnPoller {
	XnDaemonLog     *log;
	XnPollerSetup   *setup;
	XnSnmpEngine    *engine;
	XnCounters      *counters;
	XnPollState     *state;
	XnScheduler     *scheduler;
	XnJournal       *journal;
	XnRrd           *rrd;            /* NULL without rrd-dir */
	guint            window;         /* the engine's; a new one needs a restart */
	GHashTable      *health;         /* node name (owned) → Health */
	GPtrArray       *pending;        /* XnFact* the journal has not taken yet, in order */
	JournalHealth    journal_health;
	gint64           journal_since;  /* monotonic µs: when it stopped taking facts */
	guint            journal_retry_ms;
	guint            journal_retry_id;
	gboolean         pending_dropped;
	gboolean         rrd_flush_failing;
	guint            rrd_progress_id;
	gboolean         rrd_progress_logged;
	GSource         *timer;
	guint            flush_id;
	XnInstant        last_now;
	gboolean         stopping;
	gboolean         stopped_done;
	guint            stop_wait_id;
	XnPollerStopped  stopped;
	gpointer         stopped_data;
};

static void on_sample (XnNodeSample *sample, gpointer user_data);

static XnInstant
clock_now (XnPoller *poller)
{
	XnInstant now = xn_time_now ();
	const XnDaemonConf *conf = poller->setup->conf;

	if (poller->last_now != 0 && now < poller->last_now - CLOCK_STEP_BACK_US) {
		g_message ("the wall clock went back %.1f s: every node is rescheduled from now",
			   (poller->last_now - now) / 1e6);
		xn_scheduler_reschedule (poller->scheduler, conf->jitter_percent, conf->failing_repoll, now);
	}
	poller->last_now = now;
	return now;
}

/* "name (address:port)", as the engine names nodes in its messages. */
static char *
node_label (const XnNode *node)
{
	return g_strdup_printf (strchr (node->management_address, ':') ? "%s ([%s]:%u)" : "%s (%s:%u)",
				node->name, node->management_address, node->snmp->port);
}

static Health *
health_of (XnPoller *poller, const char *node)
{
	Health *health = g_hash_table_lookup (poller->health, node);

	if (health == NULL) {
		health = g_new0 (Health, 1);
		g_hash_table_insert (poller->health, g_strdup (node), health);
	}
	return health;
}

/* ---- the timer ---- */

static gboolean
timer_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
	return callback (user_data);
}

static GSourceFuncs timer_funcs = { NULL, NULL, timer_dispatch, NULL, NULL, NULL };

static void
rearm (XnPoller *poller, XnInstant now)
{
	XnInstant next = xn_scheduler_next_due (poller->scheduler);

	if (poller->stopping || next == G_MAXINT64)
		g_source_set_ready_time (poller->timer, -1);
	else
		g_source_set_ready_time (poller->timer, g_get_monotonic_time () + MAX (next - now, 0));
}

static gboolean
on_timer (gpointer user_data)
{
	XnPoller *poller = user_data;
	XnInstant now = clock_now (poller);
	const char *name;

	while (!poller->stopping && (name = xn_scheduler_take_due (poller->scheduler, now)) != NULL) {
		const XnNode *node = g_hash_table_lookup (poller->setup->by_name, name);

		if (node == NULL) {
			/* cannot happen: the scheduler holds the setup's nodes */
			g_autofree char *gone = g_strdup (name);

			xn_scheduler_remove_node (poller->scheduler, gone);
			xn_scheduler_finished (poller->scheduler, gone, now, FALSE, now);
			continue;
		}
		/* The engine calls back from the main loop, never from inside
		 * xn_snmp_engine_poll(), so this loop is not re-entered. */
		xn_snmp_engine_poll (poller->engine, node, on_sample, poller);
	}
	rearm (poller, now);
	return G_SOURCE_CONTINUE;
}

/* ---- the journal ---- */

static gboolean on_journal_retry (gpointer user_data);

/* Logged when the journal's health changes, not at every retry. */
static void
journal_refused (XnPoller *poller, XnJournalAppendResult result, const GError *error)
{
	JournalHealth health = result == XN_JOURNAL_BUSY ? JOURNAL_BUSY : JOURNAL_FAILING;
	guint n = poller->pending->len;

	if (poller->journal_health == JOURNAL_OK)
		poller->journal_since = g_get_monotonic_time ();
	if (health != poller->journal_health) {
		g_autofree char *kept = g_strdup_printf ("%u fact%s kept in memory and appended in order once it %s "
							 "(tried again from every %.1f s to every %u s); logged again "
							 "when they are", n, n == 1 ? " is" : "s are",
							 health == JOURNAL_BUSY ? "is free" : "works",
							 JOURNAL_RETRY_FIRST_MS / 1000.0, JOURNAL_RETRY_MAX_MS / 1000);

		/* A lock held by another writer is their business, not a fault. */
		if (health == JOURNAL_BUSY)
			g_message ("%s: %s", error->message, kept);
		else
			g_warning ("%s; %s", error->message, kept);
	}
	poller->journal_health = health;
	if (n > XN_POLLER_PENDING_MAX) {
		if (!poller->pending_dropped)
			g_warning ("journal %s: more than %u facts are waiting: the oldest are dropped",
				   xn_journal_get_location (poller->journal), XN_POLLER_PENDING_MAX);
		poller->pending_dropped = TRUE;
		g_ptr_array_remove_range (poller->pending, 0, n - XN_POLLER_PENDING_MAX);
	}
	poller->journal_retry_ms = poller->journal_retry_ms == 0
		? JOURNAL_RETRY_FIRST_MS : MIN (2 * poller->journal_retry_ms, JOURNAL_RETRY_MAX_MS);
	poller->journal_retry_id = g_timeout_add (poller->journal_retry_ms, on_journal_retry, poller);
}

/* Everything waiting goes in one batch, oldest first, so the journal keeps
 * the order in which the polls saw the changes. While a retry is due, new
 * facts queue behind the waiting ones: trying at every poll would cost the
 * journal's wait at every poll. */
static void
journal_write (XnPoller *poller)
{
	g_autoptr(GError) error = NULL;
	XnJournalAppendResult result;
	guint n = poller->pending->len;

	if (n == 0 || poller->journal == NULL || poller->journal_retry_id != 0)
		return;
	result = xn_journal_try_append_batch (poller->journal, poller->pending, &error);
	if (result != XN_JOURNAL_APPENDED) {
		journal_refused (poller, result, error);
		return;
	}
	if (poller->journal_health != JOURNAL_OK)
		g_message ("journal %s: appending again after %.1f s; the %u fact%s kept meanwhile %s written",
			   xn_journal_get_location (poller->journal),
			   (g_get_monotonic_time () - poller->journal_since) / 1e6, n, n == 1 ? "" : "s",
			   n == 1 ? "is" : "are");
	poller->journal_health = JOURNAL_OK;
	poller->journal_retry_ms = 0;
	poller->pending_dropped = FALSE;
	g_ptr_array_set_size (poller->pending, 0);
}

static gboolean
on_journal_retry (gpointer user_data)
{
	XnPoller *poller = user_data;

	poller->journal_retry_id = 0;
	journal_write (poller);
	return G_SOURCE_REMOVE;
}

/* At the stop nothing is left to keep on time: a busy journal is waited
 * for, as long as the stop waits for polls, rather than losing facts. */
static void
journal_write_last (XnPoller *poller)
{
	gint64 until = g_get_monotonic_time () + XN_POLLER_STOP_WAIT_S * G_USEC_PER_SEC;

	for (;;) {
		g_clear_handle_id (&poller->journal_retry_id, g_source_remove);
		journal_write (poller);
		if (poller->pending->len == 0 || poller->journal_health != JOURNAL_BUSY ||
		    g_get_monotonic_time () >= until)
			break;
		g_usleep (JOURNAL_STOP_RETRY_MS * 1000);
	}
	g_clear_handle_id (&poller->journal_retry_id, g_source_remove);
}

/* One batch per poll: the changes one poll showed enter the journal together. */
static void
journal_events (XnPoller *poller, GPtrArray *events, XnInstant now)
{
	for (guint i = 0; i < events->len; i++) {
		const XnPollEvent *event = g_ptr_array_index (events, i);
		g_autoptr(XnFact) fact = xn_poll_event_to_fact (event, "poller", now);
		g_autoptr(GError) error = NULL;

		/* A fact the journal would refuse must not block those after it. */
		if (!xn_fact_validate (fact, &error)) {
			g_warning ("node %s: %s %s is not recorded: %s", event->node, fact->kind, fact->subject,
				   error->message);
			continue;
		}
		/* After a start or reload every node re-asserts: at ten thousand
		 * nodes that is noise, where a seen change is news. */
		if (event->reassert)
			g_debug ("%s %s (re-asserted)", fact->kind, fact->subject);
		else
			g_info ("%s %s", fact->kind, fact->subject);
		g_ptr_array_add (poller->pending, g_steal_pointer (&fact));
	}
	journal_write (poller);
}

/* ---- RRD ---- */

static void
rrd_flush (XnPoller *poller)
{
	g_autoptr(GError) error = NULL;

	if (poller->rrd == NULL)
		return;
	if (!xn_rrd_flush (poller->rrd, &error)) {
		if (!poller->rrd_flush_failing)
			g_warning ("rrdcached %s: %s; logged again only once it works", poller->setup->conf->rrdcached,
				   error->message);
		poller->rrd_flush_failing = TRUE;
	} else if (poller->rrd_flush_failing) {
		g_message ("rrdcached %s: updates are taken again", poller->setup->conf->rrdcached);
		poller->rrd_flush_failing = FALSE;
	}
}

static gboolean
on_flush (gpointer user_data)
{
	XnPoller *poller = user_data;

	poller->flush_id = 0;
	rrd_flush (poller);
	return G_SOURCE_REMOVE;
}

static void
rrd_health (XnPoller *poller, const XnNode *node, GError *first, guint n_failed)
{
	Health *health = health_of (poller, node->name);

	if (first != NULL) {
		if (!health->rrd_failing)
			g_warning ("node %s: RRD update failed: %s%s; logged again only once it works", node->name,
				   first->message, n_failed > 1 ? " (and other files of this node)" : "");
		health->rrd_failing = TRUE;
	} else if (health->rrd_failing) {
		g_message ("node %s: RRD updates work again", node->name);
		health->rrd_failing = FALSE;
	}
}

static gboolean
on_rrd_progress (gpointer user_data)
{
	XnPoller *poller = user_data;
	XnRrdPending pending = { 0 };

	if (poller->rrd != NULL)
		xn_rrd_get_pending (poller->rrd, &pending);
	if (pending.files == 0) {
		if (poller->rrd_progress_logged)
			g_message ("RRD: every file is created or checked (%" G_GUINT64_FORMAT " samples that waited "
				   "for them were dropped)", pending.dropped);
		poller->rrd_progress_logged = FALSE;
		poller->rrd_progress_id = 0;
		return G_SOURCE_REMOVE;
	}
	g_message ("RRD: %u files still to create or check; %u samples wait for them, %" G_GUINT64_FORMAT
		   " dropped so far (the oldest go past %u per file)", pending.files, pending.samples,
		   pending.dropped, XN_RRD_PENDING_PER_FILE);
	poller->rrd_progress_logged = TRUE;
	return G_SOURCE_CONTINUE;
}

/* Files are created off the loop: a backlog that lasts a minute is
 * reported once a minute until it is gone. */
static void
rrd_watch_backlog (XnPoller *poller)
{
	XnRrdPending pending;

	if (poller->rrd_progress_id != 0)
		return;
	xn_rrd_get_pending (poller->rrd, &pending);
	if (pending.files > 0)
		poller->rrd_progress_id = g_timeout_add_seconds (RRD_PROGRESS_S, on_rrd_progress, poller);
}

/* Flushes and closes the RRD writer, after waiting up to wait_s for the
 * files still to create; what still waits then is dropped, and said. */
static void
rrd_close (XnPoller *poller, guint wait_s)
{
	XnRrdPending pending;

	if (poller->rrd == NULL)
		return;
	g_clear_handle_id (&poller->rrd_progress_id, g_source_remove);
	poller->rrd_progress_logged = FALSE;
	xn_rrd_get_pending (poller->rrd, &pending);
	if (pending.files > 0 && wait_s > 0) {
		g_message ("RRD: waiting up to %u s for %u files still to create or check", wait_s, pending.files);
		xn_rrd_drain (poller->rrd, wait_s * 1000);
		xn_rrd_get_pending (poller->rrd, &pending);
	}
	if (pending.files > 0)
		g_warning ("RRD: %u files were not created or checked: the %u samples that waited for them are "
			   "dropped", pending.files, pending.samples);
	if (pending.dropped > 0)
		g_message ("RRD: %" G_GUINT64_FORMAT " samples were dropped while their files waited to be created",
			   pending.dropped);
	rrd_flush (poller);
	g_clear_pointer (&poller->rrd, xn_rrd_free);
}

/* The node's file and one file per interface with an ifName (doc/rrd.md),
 * at the poll's start, with step = the node's poll interval. A failed poll
 * updates the node's file only: nothing was seen of the interfaces. A new
 * file's samples wait for its creation off the loop; a file that cannot
 * be made is reported by its next update, so by the node's next poll. */
static void
rrd_sample (XnPoller *poller, const XnNode *node, const XnNodeSample *sample, const XnNodeRates *rates)
{
	guint step = CLAMP (node->snmp->interval_s, XN_RRD_MIN_STEP, XN_RRD_MAX_STEP);
	GError *first = NULL;
	guint n_failed = 0;

	xn_sample_rrd_write (poller->rrd, node->name, step, sample->started, sample, rates, &first, &n_failed);
	rrd_health (poller, node, first, n_failed);
	g_clear_error (&first);
	if (poller->setup->conf->rrdcached != NULL && poller->flush_id == 0)
		poller->flush_id = g_timeout_add_seconds (RRD_FLUSH_DELAY_S, on_flush, poller);
	rrd_watch_backlog (poller);
}

/* ---- a finished poll ---- */

static void
log_health (XnPoller *poller, const XnNode *node, const XnNodeSample *sample)
{
	Health *health = health_of (poller, node->name);
	g_autofree char *label = node_label (node);

	if (sample->result != XN_POLL_OK) {
		if (!health->failing) {
			const char *why = sample->error != NULL ? sample->error : "no reason given";
			gsize n = strlen (label);

			/* The engine's messages start with the same label. */
			if (strncmp (why, label, n) == 0 && strncmp (why + n, ": ", 2) == 0)
				why += n + 2;
			g_warning ("node %s is failing: %s; polled every %u s until it answers, "
				   "logged again when it does", label, why, poller->setup->conf->failing_repoll);
			health->failing = TRUE;
			health->since = sample->started;
			health->failures = 0;
		}
		health->failures++;
		return;
	}
	if (health->failing) {
		g_autofree char *since = xn_time_format (health->since, poller->setup->tz);

		g_message ("node %s answers again after %u failed poll%s (failing since %s)", label,
			   health->failures, health->failures == 1 ? "" : "s", since);
		health->failing = FALSE;
	}
	if ((sample->incomplete != NULL) != health->incomplete) {
		if (sample->incomplete != NULL)
			g_message ("node %s: %s; logged again when a walk completes", label, sample->incomplete);
		else
			g_message ("node %s: its walks complete again", label);
		health->incomplete = sample->incomplete != NULL;
	}
}

/* TRUE when this process cannot open a descriptor now. A poll that failed
 * to start for that reason (no socket for the node's session; Net-SNMP
 * calls it an unknown host) says nothing about the node, so the cause is
 * checked directly rather than read from the message. */
static gboolean
out_of_descriptors (int *err)
{
	int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd >= 0) {
		close (fd);
		return FALSE;
	}
	*err = errno;
	return *err == EMFILE || *err == ENFILE;
}

/* Logged once per node; nothing goes to the state or RRD: an outage or an
 * unreachable interval made of the poller's own shortage would be charged
 * to the unit behind the node. */
static void
not_polled (XnPoller *poller, const XnNode *node, int err)
{
	Health *health = health_of (poller, node->name);
	g_autofree char *label = node_label (node);
	struct rlimit lim = { 0 };

	if (health->no_fds) {
		g_debug ("node %s: still no descriptor for its session", label);
		return;
	}
	getrlimit (RLIMIT_NOFILE, &lim);
	g_warning ("node %s cannot be polled: this process has no descriptor left for its SNMP session (%s; "
		   "limit %" G_GUINT64_FORMAT ", %u needed): not counted as a failure of the node; logged again "
		   "when it is polled", label, g_strerror (err), (guint64) lim.rlim_cur,
		   xn_poller_setup_fds_needed (poller->setup));
	health->no_fds = TRUE;
}

static void
record (XnPoller *poller, const XnNode *node, const XnNodeSample *sample, XnInstant now)
{
	g_autoptr(XnNodeRates) rates = xn_counters_update (poller->counters, sample);
	g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_poll_event_free);
	Health *health = health_of (poller, node->name);

	if (health->no_fds) {
		g_autofree char *label = node_label (node);

		g_message ("node %s is polled again: a descriptor was free for its session", label);
		health->no_fds = FALSE;
	}
	xn_poll_state_update (poller->state, sample, events);
	log_health (poller, node, sample);
	journal_events (poller, events, now);
	if (poller->rrd != NULL)
		rrd_sample (poller, node, sample, rates);
}

static void finish_stop (XnPoller *poller);

static void
on_sample (XnNodeSample *sample, gpointer user_data)
{
	XnPoller *poller = user_data;
	g_autoptr(XnNodeSample) owned = sample;
	XnInstant now = clock_now (poller);
	const XnNode *node = g_hash_table_lookup (poller->setup->by_name, sample->node);
	gboolean failing = FALSE;
	int err = 0;

	if (node != NULL && sample->result == XN_POLL_ERROR && out_of_descriptors (&err)) {
		/* polled again at its next slot, not re-polled as a failing node */
		not_polled (poller, node, err);
		failing = xn_poll_state_is_failing (poller->state, node->name);
	} else if (node != NULL) {
		record (poller, node, sample, now);
		failing = sample->result != XN_POLL_OK || xn_poll_state_is_failing (poller->state, node->name);
	} else {
		g_debug ("node %s left the configuration while it was polled: its sample is dropped", sample->node);
	}
	xn_scheduler_finished (poller->scheduler, sample->node, sample->started, failing, now);
	if (poller->stopping) {
		if (xn_scheduler_in_flight (poller->scheduler) == 0)
			finish_stop (poller);
		return;
	}
	rearm (poller, now);
}

/* ---- life cycle ---- */

static XnJournal *
open_journal (const XnPollerSetup *setup, GError **error)
{
	XnJournal *journal = xn_journal_open (setup->conf->journal,
					      XN_JOURNAL_OPEN_CREATE | XN_JOURNAL_OPEN_SHORT_WAIT, error);

	if (journal == NULL)
		g_prefix_error (error, "%s: [extranoc] journal: ", setup->conf_path);
	return journal;
}

static XnRrd *
open_rrd (const XnPollerSetup *setup, GError **error)
{
	XnRrd *rrd = xn_rrd_open (setup->conf->rrd_dir, setup->conf->rrdcached, error);

	if (rrd == NULL)
		g_prefix_error (error, "%s: [poller] %s: ", setup->conf_path,
				setup->conf->rrdcached != NULL ? "rrdcached" : "rrd-dir");
	return rrd;
}

static char *
rrd_target (const XnDaemonConf *conf)
{
	if (conf->rrd_dir == NULL)
		return g_strdup ("no RRD files (rrd-dir is not set)");
	if (conf->rrdcached != NULL)
		return g_strdup_printf ("RRD files in %s through rrdcached %s", conf->rrd_dir, conf->rrdcached);
	return g_strdup_printf ("RRD files in %s", conf->rrd_dir);
}

XnPoller *
xn_poller_new (XnPollerSetup *setup, XnDaemonLog *log, GError **error)
{
	g_autoptr(XnPoller) poller = g_new0 (XnPoller, 1);
	const XnDaemonConf *conf = setup->conf;

	poller->log = log;
	poller->setup = setup;
	poller->health = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	poller->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
	poller->counters = xn_counters_new ();
	poller->scheduler = xn_scheduler_new (conf->jitter_percent, conf->failing_repoll);
	poller->state = xn_poll_state_new (xn_config_get_inventory (setup->config), conf->unreachable_after);
	poller->journal = open_journal (setup, error);
	if (poller->journal == NULL)
		return NULL;
	if (conf->rrd_dir != NULL && (poller->rrd = open_rrd (setup, error)) == NULL)
		return NULL;
	poller->window = conf->window;
	poller->engine = xn_snmp_engine_new (NULL, xn_config_get_secrets (setup->config), conf->window, error);
	if (poller->engine == NULL)
		return NULL;
	poller->timer = g_source_new (&timer_funcs, sizeof (GSource));
	g_source_set_name (poller->timer, "extranoc-poller schedule");
	g_source_set_callback (poller->timer, on_timer, poller, NULL);
	g_source_set_ready_time (poller->timer, -1);
	g_source_attach (poller->timer, NULL);
	xn_daemon_log_set_level (log, conf->log_level);
	return g_steal_pointer (&poller);
}

void
xn_poller_free (XnPoller *poller)
{
	if (poller == NULL)
		return;
	g_clear_handle_id (&poller->flush_id, g_source_remove);
	g_clear_handle_id (&poller->rrd_progress_id, g_source_remove);
	g_clear_handle_id (&poller->stop_wait_id, g_source_remove);
	g_clear_handle_id (&poller->journal_retry_id, g_source_remove);
	if (poller->timer != NULL) {
		g_source_destroy (poller->timer);
		g_source_unref (poller->timer);
	}
	/* The engine borrows the setup's secrets: it goes first. */
	g_clear_pointer (&poller->engine, xn_snmp_engine_free);
	g_clear_pointer (&poller->rrd, xn_rrd_free);
	g_clear_pointer (&poller->journal, xn_journal_close);
	g_clear_pointer (&poller->state, xn_poll_state_free);
	g_clear_pointer (&poller->scheduler, xn_scheduler_free);
	g_clear_pointer (&poller->counters, xn_counters_free);
	g_clear_pointer (&poller->health, g_hash_table_unref);
	g_clear_pointer (&poller->pending, g_ptr_array_unref);
	g_clear_pointer (&poller->setup, xn_poller_setup_free);
	g_free (poller);
}

static void
schedule_nodes (XnPoller *poller, XnInstant now)
{
	for (guint i = 0; i < poller->setup->nodes->len; i++) {
		const XnNode *node = g_ptr_array_index (poller->setup->nodes, i);

		xn_scheduler_set_node (poller->scheduler, node->name, node->snmp->interval_s, now);
	}
}

/* Before any session opens, and again at a reload, which may bring nodes
 * (or follow a limit raised from outside with prlimit). */
static void
check_fds (const XnPollerSetup *setup)
{
	g_autofree char *note = NULL;
	g_autofree char *shortfall = xn_poller_setup_check_fds (setup, TRUE, &note);

	if (note != NULL)
		g_message ("%s", note);
	if (shortfall != NULL)
		g_warning ("%s", shortfall);
}

void
xn_poller_start (XnPoller *poller)
{
	const XnDaemonConf *conf = poller->setup->conf;
	g_autofree char *summary = xn_poller_setup_summary (poller->setup);
	g_autofree char *rrd = rrd_target (conf);
	XnInstant now = clock_now (poller);

	check_fds (poller->setup);
	schedule_nodes (poller, now);
	g_message ("started with %s: %s; journal %s; %s; window %u, unreachable after %u failed polls, "
		   "failing nodes polled every %u s", poller->setup->conf_path, summary, conf->journal, rrd,
		   conf->window, conf->unreachable_after, conf->failing_repoll);
	if (poller->setup->nodes->len == 0)
		g_warning ("no node of group %s has an SNMP endpoint: nothing to poll", conf->poller_group);
	rearm (poller, now);
}

/* Nodes of the running setup that the new one lacks are forgotten
 * everywhere; returns how many. */
static guint
forget_removed (XnPoller *poller, const XnPollerSetup *setup)
{
	guint removed = 0;

	for (guint i = 0; i < poller->setup->nodes->len; i++) {
		const XnNode *node = g_ptr_array_index (poller->setup->nodes, i);

		if (g_hash_table_contains (setup->by_name, node->name))
			continue;
		g_info ("node %s is no longer polled", node->name);
		xn_snmp_engine_forget (poller->engine, node->name);
		xn_counters_forget (poller->counters, node->name);
		xn_poll_state_forget (poller->state, node->name);
		xn_scheduler_remove_node (poller->scheduler, node->name);
		g_hash_table_remove (poller->health, node->name);
		removed++;
	}
	return removed;
}

static guint
count_added (const XnPollerSetup *old, const XnPollerSetup *setup)
{
	guint added = 0;

	for (guint i = 0; i < setup->nodes->len; i++) {
		const XnNode *node = g_ptr_array_index (setup->nodes, i);

		if (!g_hash_table_contains (old->by_name, node->name)) {
			g_info ("node %s is polled from now on", node->name);
			added++;
		}
	}
	return added;
}

gboolean
xn_poller_reload (XnPoller *poller, GError **error)
{
	g_autoptr(XnPollerSetup) setup = NULL;
	g_autoptr(XnJournal) journal = NULL;
	g_autoptr(XnRrd) rrd = NULL;
	g_autofree char *summary = NULL;
	const XnDaemonConf *conf, *old;
	gboolean new_journal, new_rrd;
	guint added, removed;
	XnInstant now;

	if (poller->stopping) {
		g_message ("stopping: the reload is ignored");
		return TRUE;
	}
	setup = xn_poller_setup_load (poller->setup->conf_path, error);
	if (setup == NULL)
		return FALSE;
	conf = setup->conf;
	old = poller->setup->conf;
	/* Every store the new setup names is opened before anything changes. */
	new_journal = g_strcmp0 (conf->journal, old->journal) != 0;
	if (new_journal && (journal = open_journal (setup, error)) == NULL)
		return FALSE;
	new_rrd = g_strcmp0 (conf->rrd_dir, old->rrd_dir) != 0 || g_strcmp0 (conf->rrdcached, old->rrdcached) != 0;
	if (new_rrd && conf->rrd_dir != NULL && (rrd = open_rrd (setup, error)) == NULL)
		return FALSE;

	now = clock_now (poller);
	if (conf->window != poller->window)
		g_warning ("%s: [poller] window = %u takes effect at the next start; %u until then",
			   setup->conf_path, conf->window, poller->window);
	removed = forget_removed (poller, setup);
	added = count_added (poller->setup, setup);
	xn_snmp_engine_set_secrets (poller->engine, xn_config_get_secrets (setup->config));
	/* The state borrows the inventory: it moves to the new one before the
	 * old setup goes, keeping what was said (doc/facts-poller.md). */
	xn_poll_state_set_inventory (poller->state, xn_config_get_inventory (setup->config), conf->unreachable_after);
	if (new_journal) {
		g_clear_pointer (&poller->journal, xn_journal_close);
		poller->journal = g_steal_pointer (&journal);
		/* the facts kept for the old one go to the new one, at once */
		g_clear_handle_id (&poller->journal_retry_id, g_source_remove);
		poller->journal_health = JOURNAL_OK;
		poller->journal_retry_ms = 0;
	}
	if (new_rrd) {
		g_clear_handle_id (&poller->flush_id, g_source_remove);
		rrd_close (poller, 0);
		poller->rrd = g_steal_pointer (&rrd);
		poller->rrd_flush_failing = FALSE;
	}
	xn_poller_setup_free (poller->setup);
	poller->setup = g_steal_pointer (&setup);
	xn_daemon_log_set_level (poller->log, conf->log_level);
	xn_scheduler_reschedule (poller->scheduler, conf->jitter_percent, conf->failing_repoll, now);
	schedule_nodes (poller, now);
	summary = xn_poller_setup_summary (poller->setup);
	g_message ("reloaded %s: %s (%u added, %u removed)", poller->setup->conf_path, summary, added, removed);
	check_fds (poller->setup);
	if (new_journal)
		g_message ("facts now go to journal %s", conf->journal);
	if (new_rrd) {
		g_autofree char *target = rrd_target (conf);

		g_message ("now writing %s", target);
	}
	journal_write (poller);
	rearm (poller, now);
	return TRUE;
}

static void
finish_stop (XnPoller *poller)
{
	guint dropped = xn_scheduler_in_flight (poller->scheduler);

	if (poller->stopped_done)
		return;
	poller->stopped_done = TRUE;
	g_clear_handle_id (&poller->stop_wait_id, g_source_remove);
	g_clear_handle_id (&poller->flush_id, g_source_remove);
	if (dropped > 0)
		g_warning ("stopping with %u poll%s unfinished: %s dropped", dropped, dropped == 1 ? "" : "s",
			   dropped == 1 ? "it is" : "they are");
	g_clear_pointer (&poller->engine, xn_snmp_engine_free);
	journal_write_last (poller);
	if (poller->pending->len > 0)
		g_warning ("journal %s: %u facts could not be appended and are lost",
			   xn_journal_get_location (poller->journal), poller->pending->len);
	rrd_close (poller, RRD_STOP_WAIT_S);
	g_clear_pointer (&poller->journal, xn_journal_close);
	g_message ("stopped");
	if (poller->stopped != NULL)
		poller->stopped (poller->stopped_data);
}

static gboolean
on_stop_wait (gpointer user_data)
{
	XnPoller *poller = user_data;

	poller->stop_wait_id = 0;
	finish_stop (poller);
	return G_SOURCE_REMOVE;
}

void
xn_poller_stop (XnPoller *poller, guint wait_s, XnPollerStopped stopped, gpointer user_data)
{
	guint in_flight = xn_scheduler_in_flight (poller->scheduler);

	if (poller->stopping) {
		finish_stop (poller);
		return;
	}
	poller->stopping = TRUE;
	poller->stopped = stopped;
	poller->stopped_data = user_data;
	g_source_set_ready_time (poller->timer, -1);
	if (in_flight == 0) {
		finish_stop (poller);
		return;
	}
	g_message ("stopping: waiting up to %u s for %u poll%s in flight", wait_s, in_flight,
		   in_flight == 1 ? "" : "s");
	poller->stop_wait_id = g_timeout_add_seconds (wait_s, on_stop_wait, poller);
}

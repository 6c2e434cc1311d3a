/* collector.c — the extranoc-collector daemon's context: what a received
 * trap becomes, storms, reload by replacement and a clean stop.
 *
 * The trap socket is watched in the main loop; each time it is readable up
 * to XN_COLLECTOR_READ_BATCH datagrams are taken (so a burst is drained
 * fast, yet signals and timers wait milliseconds at most). Each trap is
 * classified (trap-fact.c), weighed by the storm module (storm.c), and
 * what is to be stored goes to the fact queue (fact-queue.c), which writes
 * batches to the journal in arrival order. A one-second tick lets storms
 * be summarised and ended when their sources fall silent. What is refused
 * (wrong community, unknown SNMPv3 user, malformed) is logged once per
 * source and reason, and the source's recovery once. The journal is also
 * read as it grows (follow.c), from its first fact, so the ifIndex map
 * learns the poller's interface names and the derivation of outages
 * (derive.c) is fed every fact after its stored position; a derivation
 * step is committed once each chunk read has been handed over, and on the
 * tick when facts wait or `now` changes an outage, as the pace of
 * derive.c allows. The same facts go to the checks of link traps
 * (link-verify-io.c), which start once the journal has been read up to
 * where it was at the start, and whose facts join the queue. This file is
 * the daemon's event-loop edge: it alone reads the clock and passes `now`
 * on (the checks' own timers read it too). It does not parse files
 * (collector-setup.c), speak SNMP (trap-listener.c, link-verify-io.c) or
 * know outages. */
#include "collector.h"
#include "derive.h"
#include "dispatch.h"
#include "fact-queue.h"
#include "follow.h"
#include "ifmap.h"
#include "journal.h"
#include "link-verify-io.h"
#include "storm.h"
#include "trap-fact.h"
#include "trap-listener.h"
#include "xn-error.h"
#include "xn-time.h"

#include <glib-unix.h>
#include <string.h>

/* How long a stop waits for a journal another process holds. */
#define STOP_WAIT_S        10
/* At a stop, how long the derivation may spend on the facts it has not
 * read yet before its last step; the rest waits for the next start. */
#define STOP_DERIVE_MS     2000
/* At a stop, a busy derived store is tried again this often. */
#define STOP_RETRY_MS      100
/* A deadline that fell due while the journal is still being read waits
 * this long between looks (the follower's pace while behind or idle). */
#define DUE_BEHIND_MS      100
/* Senders remembered for "logged once"; past it they are only counted. */
#define MAX_SAID_SOURCES   10000

typedef struct {
	guint64 count;
	guint   said;                      /* a bit per XnTrapRefusal logged */
} Refusals;

struct _XnCollector {
	XnDaemonLog   *log;
	XnCollectorSetup *setup;
	XnTrapContext     ctx;
	XnJournal        *journal;
	XnFactQueue      *queue;
	XnFollow         *follow;
	XnIfMap          *ifmap;
	XnDerive         *derive;
	guint             step_id;         /* the step after the chunk being handed over */
	XnDispatch       *dispatch;        /* delivers the messages the steps insert */
	guint             due_id;          /* the timer for the next ticket deadline */
	XnInstant         due_at;          /* what it is armed for; G_MAXINT64: nothing */
	XnLinkVerifier   *verifier;
	gint64            verify_from;     /* the journal's last seq at the start: checks wait until it is read */
	XnStorm          *storm;
	XnTrapListener   *listener;
	GPtrArray        *events;          /* XnStormEvent*, reused */
	guint             watch_id;
	guint             tick_id;
	GHashTable       *refused;         /* source address → Refusals, since the first was said */
	GHashTable       *unknown;         /* unknown source addresses said */
	gboolean          said_too_many;
	guint64           traps;
	guint64           stored;          /* trap facts appended to the queue */
	guint64           counted;         /* counted in storm summaries */
	XnTrapListenerStats past;          /* of listeners closed (a new address, the stop) */
	gboolean          stopping;
};

/* ---- facts ---- */

/* The facts made here are valid by construction (test-trap-fact checks
 * them); the queue drops one the journal would refuse all the same. */
static void
push (XnCollector *c, XnFact *fact)
{
	xn_fact_queue_push (c->queue, fact);
}

/* An upper bound of the printed length of a trap's varbinds: an arc prints
 * in at most 21 bytes, a byte of a value in at most 6 (\u00XX), and a
 * varbind's keys and punctuation in less than 80. */
static gsize
printed_bound (const XnTrap *trap)
{
	gsize n = 0;

	for (guint i = 0; i < trap->n_varbinds; i++) {
		const XnTrapVarbind *v = &trap->varbinds[i];

		n += 21 * ((gsize) v->name.len + v->objid.len) + 6 * v->octets_len + 80;
	}
	return n;
}

/* A trap's fact. One UDP datagram (64 KiB) prints in well under a journal
 * line (XN_FACT_MAX_LINE), so the fact is checked only when the bound says
 * it might not be; one too long keeps everything but its varbinds. */
static XnFact *
trap_fact (XnCollector *c, const XnTrap *trap, const XnTrapClass *class_, XnInstant now)
{
	XnFact *fact = xn_trap_to_fact (&c->ctx, trap, class_, now, FALSE);

	if (printed_bound (trap) < XN_FACT_MAX_LINE / 2 || xn_fact_validate (fact, NULL))
		return fact;
	xn_fact_free (fact);
	g_message ("trap from %s (%s): its fact would be too long for the journal: recorded without its %u varbinds",
		   trap->source_address, class_->subject, trap->n_varbinds);
	return xn_trap_to_fact (&c->ctx, trap, class_, now, TRUE);
}

static JsonObject *
counted_json (GHashTable *counted)
{
	JsonObject *o = json_object_new ();
	g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (counted), (GCompareFunc) strcmp);

	for (GList *k = keys; k != NULL; k = k->next)
		json_object_set_int_member (o, k->data, (gint64) *(guint64 *) g_hash_table_lookup (counted, k->data));
	return o;
}

static void
set_instant (JsonObject *attrs, const char *key, XnInstant t)
{
	g_autofree char *text = xn_time_format_utc (t);

	json_object_set_string_member (attrs, key, text);
}

static XnFact *
storm_fact (const XnStormEvent *e)
{
	g_autoptr(JsonObject) attrs = json_object_new ();

	if (g_str_has_prefix (e->source, "node/"))
		json_object_set_string_member (attrs, "node", e->source + strlen ("node/"));
	else if (g_str_has_prefix (e->source, "source/"))
		json_object_set_string_member (attrs, "source_address", e->source + strlen ("source/"));
	json_object_set_double_member (attrs, "rate", e->rate);
	json_object_set_int_member (attrs, "threshold", e->threshold);
	json_object_set_int_member (attrs, "window", e->window_s);
	set_instant (attrs, "storm_start", e->storm_start);
	if (e->kind != XN_STORM_START)
		set_instant (attrs, "since", e->since);
	json_object_set_object_member (attrs, "counted", counted_json (e->counted));
	json_object_set_int_member (attrs, "counted_period", (gint64) e->counted_period);
	json_object_set_int_member (attrs, "counted_total", (gint64) e->counted_total);
	if (e->kind == XN_STORM_SUMMARY)
		json_object_set_boolean_member (attrs, "final", e->final);
	return xn_fact_new (e->at, xn_storm_event_kind_to_string (e->kind), e->source, "collector", e->at, attrs);
}

static void
log_storm (XnCollector *c, const XnStormEvent *e)
{
	const char *subject = e->source;

	if (e->kind == XN_STORM_START)
		g_warning ("%s is storming: %.1f traps/s over the last %u s (threshold %u): its traps are counted and "
			   "summarised every %u s instead of stored one by one, except the first link-down and link-up "
			   "of each interface per summary; logged again when it ends", subject, e->rate, e->window_s,
			   e->threshold, c->setup->conf->storm_summary_s);
	else if (e->kind == XN_STORM_END)
		g_message ("%s: the storm is over after %.0f s; %" G_GUINT64_FORMAT " traps were counted, not stored",
			   subject, (e->at - e->storm_start) / 1e6, e->counted_total);
	else
		g_debug ("%s: storm summary, %" G_GUINT64_FORMAT " traps counted", subject, e->counted_period);
}

/* A link trap counted during a storm, kept as its interface's latest in
 * case it is to be stored at the period's end: the trap itself, copied,
 * not its fact, which is built only then (a flapping link makes thousands
 * of these a second). */
typedef struct {
	XnInstant  at;
	XnTrap    *trap;
} Held;

static void
held_free (gpointer data)
{
	Held *held = data;

	g_free (held->trap);
	g_free (held);
}

static Held *
held_new (const XnTrap *trap, XnInstant at)
{
	Held *held = g_new (Held, 1);

	held->at = at;
	held->trap = xn_trap_copy (trap);
	return held;
}

/* Classified again: the same trap, so the same node and subject, unless a
 * reload came in between. */
static XnFact *
held_fact (XnCollector *c, const Held *held)
{
	XnTrapClass class_;
	XnFact *fact;

	xn_trap_classify (&c->ctx, held->trap, &class_);
	fact = trap_fact (c, held->trap, &class_, held->at);
	xn_trap_class_clear (&class_);
	return fact;
}

/* Held link traps first (they are older), then the event's own fact. */
static void
push_events (XnCollector *c)
{
	for (guint i = 0; i < c->events->len; i++) {
		XnStormEvent *e = g_ptr_array_index (c->events, i);

		for (guint k = 0; k < e->held->len; k++) {
			push (c, held_fact (c, g_ptr_array_index (e->held, k)));
			c->stored++;
			c->counted--;
		}
		log_storm (c, e);
		push (c, storm_fact (e));
	}
	g_ptr_array_set_size (c->events, 0);
}

/* ---- traps ---- */

static void
said_recovery (XnCollector *c, const char *source)
{
	const Refusals *r = g_hash_table_lookup (c->refused, source);

	if (r == NULL)
		return;
	g_message ("%s: a trap from it is accepted again, after %" G_GUINT64_FORMAT " refused", source, r->count);
	g_hash_table_remove (c->refused, source);
}

static gboolean
may_say (XnCollector *c, GHashTable *table)
{
	if (g_hash_table_size (table) < MAX_SAID_SOURCES)
		return TRUE;
	if (!c->said_too_many)
		g_warning ("more than %u senders are being logged about: further ones are only counted",
			   MAX_SAID_SOURCES);
	c->said_too_many = TRUE;
	return FALSE;
}

static void
said_unknown (XnCollector *c, const XnTrap *trap, const XnTrapClass *class_)
{
	if (g_hash_table_contains (c->unknown, trap->source_address) || !may_say (c, c->unknown))
		return;
	g_warning ("trap from %s, which is no node's management address%s%s: recorded as trap.unknown-source; "
		   "logged once per address", trap->source_address,
		   class_->trap_address != NULL ? ", forwarded for " : "",
		   class_->trap_address != NULL ? class_->trap_address : "");
	g_hash_table_add (c->unknown, g_strdup (trap->source_address));
}

static void
on_trap (const XnTrap *trap, gpointer user_data)
{
	XnCollector *c = user_data;
	XnInstant now = xn_time_now ();
	XnTrapClass class_;
	XnStormVerdict verdict;

	c->traps++;
	if (g_hash_table_size (c->refused) > 0)
		said_recovery (c, trap->source_address);
	xn_trap_classify (&c->ctx, trap, &class_);
	if (class_.node == NULL)
		said_unknown (c, trap, &class_);
	verdict = xn_storm_trap (c->storm, class_.source, class_.trap_oid,
				 xn_trap_class_is_link (&class_) ? class_.subject : NULL,
				 class_.kind == XN_TRAP_LINK_UP, now, c->events);
	push_events (c);
	if (verdict == XN_STORM_STORE) {
		g_debug ("%s %s from %s", xn_trap_kind_to_string (class_.kind), class_.subject, trap->source_address);
		push (c, trap_fact (c, trap, &class_, now));
		c->stored++;
	} else {
		if (verdict == XN_STORM_HOLD)
			xn_storm_hold (c->storm, held_new (trap, now));
		c->counted++;
	}
	xn_trap_class_clear (&class_);
}

static const char *
node_at (XnCollector *c, const char *address)
{
	const XnNode *node = g_hash_table_lookup (c->setup->nodes_by_address, address);

	return node != NULL ? node->name : NULL;
}

static void
on_refused (XnTrapRefusal why, const char *source, const char *detail, gpointer user_data)
{
	XnCollector *c = user_data;
	Refusals *r = g_hash_table_lookup (c->refused, source);
	const char *node;

	if (r == NULL) {
		if (!may_say (c, c->refused))
			return;
		r = g_new0 (Refusals, 1);
		g_hash_table_insert (c->refused, g_strdup (source), r);
	}
	r->count++;
	if (r->said & (1u << why))
		return;
	r->said |= 1u << why;
	node = node_at (c, source);
	g_warning ("%s from %s%s%s%s refused, not recorded: %s (%s); more of the same from this address are only "
		   "counted, until a trap from it is accepted", why == XN_TRAP_REFUSED_MALFORMED ? "datagram" : "trap",
		   source, node != NULL ? " (node " : "", node != NULL ? node : "", node != NULL ? ")" : "",
		   xn_trap_refusal_to_string (why), detail);
}

static gboolean
on_readable (gint fd, GIOCondition condition, gpointer user_data)
{
	XnCollector *c = user_data;

	xn_trap_listener_read (c->listener, XN_COLLECTOR_READ_BATCH);
	return G_SOURCE_CONTINUE;
}

/* ---- derivation steps, deadlines and delivery ---- */

/* The journal has been read up to where it was at the start: only then
 * may the derivation let time pass, or a breach would be raised that an
 * acknowledgement already in the journal stops. */
static gboolean
caught_up (XnCollector *c)
{
	return c->follow == NULL || xn_follow_position (c->follow) >= c->verify_from;
}

static gboolean on_due (gpointer user_data);

/* A timer for the next ticket deadline, so that a breach (or a close, or
 * a carrier's outage opening its ticket) is raised when it falls due, with
 * no new fact and whatever the tick; re-armed only when the instant moves. */
static void
arm_due (XnCollector *c)
{
	XnInstant due = xn_derive_next_due (c->derive);
	gint64 wait_ms;

	if (c->stopping || (due == c->due_at && c->due_id != 0))
		return;
	g_clear_handle_id (&c->due_id, g_source_remove);
	c->due_at = due;
	if (due == G_MAXINT64)
		return;
	/* raised once `now` is past it: a millisecond after */
	wait_ms = (due - xn_time_now ()) / 1000 + 1;
	if (!caught_up (c))
		wait_ms = MAX (wait_ms, DUE_BEHIND_MS);
	c->due_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) CLAMP (wait_ms, 0, G_MAXINT32), on_due, c, NULL);
}

/* A step, then the dispatcher told when it inserted messages, and the
 * timer moved to the next deadline. */
static XnDerivedResult
commit (XnCollector *c)
{
	guint64 before = xn_derive_messages_inserted (c->derive);
	XnDerivedResult result;

	xn_derive_set_clock (c->derive, xn_time_now ());
	result = xn_derive_commit (c->derive);
	if (xn_derive_messages_inserted (c->derive) != before && c->dispatch != NULL)
		xn_dispatch_kick (c->dispatch);
	arm_due (c);
	return result;
}

static gboolean
on_due (gpointer user_data)
{
	XnCollector *c = user_data;

	c->due_id = 0;
	if (caught_up (c)) {
		xn_derive_advance (c->derive, xn_time_now ());
		commit (c);
	} else {
		arm_due (c);
	}
	return G_SOURCE_REMOVE;
}

static gboolean
on_tick (gpointer user_data)
{
	XnCollector *c = user_data;

	XnInstant now = xn_time_now ();

	xn_storm_tick (c->storm, now, c->events);
	push_events (c);
	if (!xn_link_verifier_is_ready (c->verifier) && xn_follow_position (c->follow) >= c->verify_from)
		xn_link_verifier_set_ready (c->verifier, TRUE);
	/* a step a second while facts arrive, whatever the chunks (as the
	 * pace allows) */
	if (caught_up (c))
		xn_derive_advance (c->derive, now);
	if (xn_derive_due (c->derive))
		commit (c);
	else
		arm_due (c);
	return G_SOURCE_CONTINUE;
}

/* Runs once the chunk follow.c is handing over has been handed over whole:
 * the chunk is the step, unless the pace says the last one was too costly
 * for another so soon (then the tick or a later chunk takes it). */
static gboolean
on_step (gpointer user_data)
{
	XnCollector *c = user_data;

	c->step_id = 0;
	if (xn_derive_due (c->derive))
		commit (c);
	return G_SOURCE_REMOVE;
}

/* Every fact of the journal, in seq order (follow.c), to the ifIndex map,
 * the derivation and the checks of link traps; the step is committed
 * right after the chunk. */
static void
on_journal_fact (const XnFact *fact, gpointer user_data)
{
	XnCollector *c = user_data;

	xn_if_map_observe (c->ifmap, fact);
	xn_derive_feed (c->derive, fact);
	xn_link_verifier_observe (c->verifier, fact);
	if (c->step_id == 0 && xn_derive_due (c->derive))
		c->step_id = g_idle_add_full (G_PRIORITY_DEFAULT, on_step, c, NULL);
}

/* ---- life cycle ---- */

static XnJournal *
open_journal (const XnCollectorSetup *setup, GError **error)
{
	XnJournal *journal = xn_journal_open (setup->conf->journal,
					      XN_JOURNAL_OPEN_CREATE | XN_JOURNAL_OPEN_SHORT_WAIT, error);

	if (journal == NULL)
		g_prefix_error (error, "%s: [extranoc] journal: ", setup->conf_path);
	return journal;
}

static XnTrapListener *
open_listener (XnCollector *c, const XnCollectorSetup *setup, GError **error)
{
	static const XnTrapListenerFuncs funcs = { on_trap, on_refused };
	XnTrapListener *listener = xn_trap_listener_new (setup->conf->listen, setup->conf->rcvbuf, &funcs, c, error);

	if (listener == NULL)
		g_prefix_error (error, "%s: [collector] listen: ", setup->conf_path);
	return listener;
}

static XnDerive *
open_derive (const XnCollectorSetup *setup, GError **error)
{
	XnDerive *derive = xn_derive_open_config (setup->conf->journal, xn_config_get_inventory (setup->config),
						  xn_config_get_policy (setup->config), error);

	if (derive == NULL)
		g_prefix_error (error, "%s: [extranoc] journal: the derived outages: ", setup->conf_path);
	else
		xn_derive_set_maintenance (derive, xn_config_get_policy (setup->config), setup->calendar);
	return derive;
}

static XnDispatch *
open_dispatch (const XnCollectorSetup *setup, GError **error)
{
	XnDispatch *dispatch = xn_dispatch_new (setup->conf->journal, xn_config_get_inventory (setup->config),
						xn_config_get_secrets (setup->config), setup->conf, error);

	if (dispatch == NULL)
		g_prefix_error (error, "%s: [extranoc] journal: the outbox: ", setup->conf_path);
	return dispatch;
}

static void
verify_config (const XnDaemonConf *conf, XnLinkVerifyConfig *out)
{
	out->delay = (XnInstant) conf->verify_delay_s * G_USEC_PER_SEC;
	out->interval = (XnInstant) conf->verify_interval_s * G_USEC_PER_SEC;
	out->give_up = (XnInstant) conf->verify_give_up_s * G_USEC_PER_SEC;
	out->window = conf->verify_window;
}

/* A check's fact joins the traps' in the queue. */
static void
on_verified (XnFact *fact, gpointer user_data)
{
	push (user_data, fact);
}

/* The journal's last seq, where the checks may start; 0 (at once) when it
 * cannot be read. */
static gint64
journal_end (XnJournal *journal)
{
	g_autoptr(GError) error = NULL;
	gint64 seq = 0;

	if (!xn_journal_last_seq (journal, &seq, &error))
		g_message ("link trap checks start at once: the journal's last seq is unknown: %s", error->message);
	return seq;
}

static void
use_setup (XnCollector *c, XnCollectorSetup *setup)
{
	XnStormConfig storm = { setup->conf->storm_rate, setup->conf->storm_window_s, setup->conf->storm_summary_s };
	XnLinkVerifyConfig verify;

	/* the dispatcher lets go of the old configuration before it is freed */
	if (c->setup != NULL && c->setup != setup)
		xn_dispatch_set_config (c->dispatch, xn_config_get_inventory (setup->config),
					xn_config_get_secrets (setup->config), setup->conf);
	xn_collector_setup_free (c->setup);
	c->setup = setup;
	xn_derive_set_outbox_horizon (c->derive, setup->conf->outbox_horizon_s);
	c->ctx.nodes_by_address = setup->nodes_by_address;
	c->ctx.mibs = setup->mibs;
	c->ctx.ifmap = c->ifmap;
	if (c->storm == NULL)
		c->storm = xn_storm_new (&storm, held_free);
	else
		xn_storm_set_config (c->storm, &storm);
	xn_trap_listener_set_secrets (c->listener, xn_config_get_secrets (setup->config), setup->usm_by_address);
	verify_config (setup->conf, &verify);
	if (c->verifier == NULL)
		c->verifier = xn_link_verifier_new (&verify, xn_config_get_inventory (setup->config),
						    xn_config_get_secrets (setup->config), on_verified, c);
	else
		xn_link_verifier_reconfigure (c->verifier, &verify, xn_config_get_inventory (setup->config),
					      xn_config_get_secrets (setup->config));
	xn_daemon_log_set_level (c->log, setup->conf->log_level);
}

XnCollector *
xn_collector_new (XnCollectorSetup *setup, XnDaemonLog *log, GError **error)
{
	g_autoptr(XnCollector) c = g_new0 (XnCollector, 1);
	g_autoptr(XnCollectorSetup) owned = setup;

	c->log = log;
	c->ifmap = xn_if_map_new ();
	c->events = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_storm_event_free);
	c->refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	c->unknown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	c->journal = open_journal (setup, error);
	if (c->journal == NULL)
		return NULL;
	c->derive = open_derive (setup, error);
	if (c->derive == NULL)
		return NULL;
	c->due_at = G_MAXINT64;
	c->dispatch = open_dispatch (setup, error);
	if (c->dispatch == NULL)
		return NULL;
	c->listener = open_listener (c, setup, error);
	if (c->listener == NULL)
		return NULL;
	c->queue = xn_fact_queue_new (c->journal);
	c->follow = xn_follow_new (c->journal, on_journal_fact, c);
	use_setup (c, g_steal_pointer (&owned));
	return g_steal_pointer (&c);
}

void
xn_collector_free (XnCollector *c)
{
	if (c == NULL)
		return;
	g_clear_handle_id (&c->watch_id, g_source_remove);
	g_clear_handle_id (&c->tick_id, g_source_remove);
	g_clear_handle_id (&c->step_id, g_source_remove);
	g_clear_handle_id (&c->due_id, g_source_remove);
	g_clear_pointer (&c->dispatch, xn_dispatch_free);
	g_clear_pointer (&c->follow, xn_follow_free);
	g_clear_pointer (&c->verifier, xn_link_verifier_free);
	g_clear_pointer (&c->listener, xn_trap_listener_free);
	g_clear_pointer (&c->queue, xn_fact_queue_free);
	g_clear_pointer (&c->derive, xn_derive_free);
	g_clear_pointer (&c->journal, xn_journal_close);
	g_clear_pointer (&c->storm, xn_storm_free);
	g_clear_pointer (&c->ifmap, xn_if_map_free);
	g_clear_pointer (&c->events, g_ptr_array_unref);
	g_clear_pointer (&c->refused, g_hash_table_unref);
	g_clear_pointer (&c->unknown, g_hash_table_unref);
	g_clear_pointer (&c->setup, xn_collector_setup_free);
	g_free (c);
}

static void
add_stats (XnTrapListenerStats *sum, const XnTrapListenerStats *s)
{
	sum->datagrams += s->datagrams;
	sum->delivered += s->delivered;
	sum->informs_answered += s->informs_answered;
	sum->discovery += s->discovery;
	for (guint i = 0; i < XN_TRAP_N_REFUSALS; i++)
		sum->refused[i] += s->refused[i];
}

static void
watch (XnCollector *c)
{
	g_clear_handle_id (&c->watch_id, g_source_remove);
	c->watch_id = g_unix_fd_add (xn_trap_listener_fd (c->listener), G_IO_IN, on_readable, c);
}

static void
say_socket (XnCollector *c, guint asked)
{
	guint granted = xn_trap_listener_rcvbuf (c->listener);
	g_autofree char *engine = xn_trap_listener_engine_id (c->listener);

	g_message ("trap socket %s: receive buffer %u bytes (asked %u; the kernel reports twice what it grants for "
		   "its bookkeeping); SNMPv3 engine ID %s", xn_trap_listener_address (c->listener), granted, asked,
		   engine);
	if (asked > 0 && granted < asked)
		g_warning ("trap socket %s: the kernel granted %u of the %u bytes asked for its receive buffer: bursts "
			   "beyond it are dropped by the kernel (UDP RcvbufErrors); raise net.core.rmem_max or run "
			   "with CAP_NET_ADMIN", xn_trap_listener_address (c->listener), granted, asked);
}

void
xn_collector_start (XnCollector *c)
{
	g_autofree char *summary = xn_collector_setup_summary (c->setup);
	g_autofree char *verify = NULL;
	XnLinkVerifyConfig config;

	g_message ("started with %s: %s; journal %s", c->setup->conf_path, summary, c->setup->conf->journal);
	say_socket (c, c->setup->conf->rcvbuf);
	verify_config (c->setup->conf, &config);
	verify = xn_link_verify_config_describe (&config);
	c->verify_from = journal_end (c->journal);
	g_message ("%s; starting once the journal is read up to seq %" G_GINT64_FORMAT, verify, c->verify_from);
	watch (c);
	c->tick_id = g_timeout_add_seconds (1, on_tick, c);
	xn_follow_start (c->follow);
	/* what fell due while the collector was down is raised once the
	 * journal is read */
	arm_due (c);
}

gboolean
xn_collector_reload (XnCollector *c, GError **error)
{
	g_autoptr(XnCollectorSetup) setup = NULL;
	g_autoptr(XnJournal) journal = NULL;
	g_autoptr(XnTrapListener) listener = NULL;
	g_autoptr(XnDerive) derive = NULL;
	g_autoptr(XnDispatch) dispatch = NULL;
	g_autofree char *summary = NULL;
	const XnDaemonConf *conf, *old;
	gboolean new_journal, socket_changed;

	if (c->stopping)
		return TRUE;
	setup = xn_collector_setup_load (c->setup->conf_path, error);
	if (setup == NULL)
		return FALSE;
	conf = setup->conf;
	old = c->setup->conf;
	/* everything new is opened before anything changes */
	new_journal = g_strcmp0 (conf->journal, old->journal) != 0;
	if (new_journal && ((journal = open_journal (setup, error)) == NULL ||
			    (derive = open_derive (setup, error)) == NULL ||
			    (dispatch = open_dispatch (setup, error)) == NULL))
		return FALSE;
	if (g_strcmp0 (conf->listen, old->listen) != 0 && (listener = open_listener (c, setup, error)) == NULL)
		return FALSE;

	socket_changed = listener != NULL || conf->rcvbuf != old->rcvbuf;
	if (listener != NULL) {
		add_stats (&c->past, xn_trap_listener_stats (c->listener));
		g_clear_pointer (&c->listener, xn_trap_listener_free);
		c->listener = g_steal_pointer (&listener);
		watch (c);
	} else if (conf->rcvbuf != old->rcvbuf) {
		xn_trap_listener_set_rcvbuf (c->listener, conf->rcvbuf);
	}
	if (new_journal) {
		/* the old journal's derivation keeps what it got so far, and
		 * its outbox waits for the collector that uses it next */
		commit (c);
		g_clear_handle_id (&c->step_id, g_source_remove);
		g_clear_handle_id (&c->due_id, g_source_remove);
		c->due_at = G_MAXINT64;
		g_clear_pointer (&c->derive, xn_derive_free);
		c->derive = g_steal_pointer (&derive);
		g_clear_pointer (&c->dispatch, xn_dispatch_free);
		c->dispatch = g_steal_pointer (&dispatch);
		xn_fact_queue_set_journal (c->queue, journal);
		xn_follow_set_journal (c->follow, journal);
		g_clear_pointer (&c->journal, xn_journal_close);
		c->journal = g_steal_pointer (&journal);
		/* the checks' seqs were the old journal's */
		xn_link_verifier_reset (c->verifier);
		c->verify_from = journal_end (c->journal);
		g_message ("facts now go to journal %s", conf->journal);
	} else {
		/* the engine the reconfiguration restores gets the new book */
		xn_derive_set_maintenance (c->derive, xn_config_get_policy (setup->config), setup->calendar);
		/* another topology or correlation window: every fact again, from the journal's first */
		if (xn_derive_reconfigure (c->derive, xn_config_get_inventory (setup->config),
					   xn_config_get_policy (setup->config)))
			xn_follow_set_journal (c->follow, c->journal);
	}
	use_setup (c, g_steal_pointer (&setup));
	arm_due (c);
	summary = xn_collector_setup_summary (c->setup);
	g_message ("reloaded %s: %s", c->setup->conf_path, summary);
	if (socket_changed)
		say_socket (c, c->setup->conf->rcvbuf);
	return TRUE;
}

static void
say_totals (XnCollector *c, const XnTrapListenerStats *s)
{
	guint64 refused = 0;

	for (guint i = 0; i < XN_TRAP_N_REFUSALS; i++)
		refused += s->refused[i];
	g_message ("%" G_GUINT64_FORMAT " datagrams read: %" G_GUINT64_FORMAT " traps and informs (%" G_GUINT64_FORMAT
		   " stored as facts, %" G_GUINT64_FORMAT " counted in storm summaries; %" G_GUINT64_FORMAT
		   " informs answered), %" G_GUINT64_FORMAT " refused (%" G_GUINT64_FORMAT " wrong community, %"
		   G_GUINT64_FORMAT " unknown SNMPv3 user, %" G_GUINT64_FORMAT " wrong SNMPv3 credentials, %"
		   G_GUINT64_FORMAT " outside the time window, %" G_GUINT64_FORMAT " not notifications, %"
		   G_GUINT64_FORMAT " malformed), %" G_GUINT64_FORMAT " engine ID discoveries; %" G_GUINT64_FORMAT
		   " facts appended to the journal", s->datagrams, c->traps, c->stored, c->counted,
		   s->informs_answered, refused, s->refused[XN_TRAP_REFUSED_COMMUNITY],
		   s->refused[XN_TRAP_REFUSED_USER], s->refused[XN_TRAP_REFUSED_AUTH], s->refused[XN_TRAP_REFUSED_TIME],
		   s->refused[XN_TRAP_REFUSED_NOT_NOTIFICATION], s->refused[XN_TRAP_REFUSED_MALFORMED], s->discovery,
		   xn_fact_queue_appended (c->queue));
}

/* Checks in flight are dropped at a stop: the next start checks again
 * what the journal still says is down. */
static void
say_checks (XnCollector *c)
{
	XnLinkVerifyStats s;

	xn_link_verifier_get_stats (c->verifier, &s);
	g_message ("link trap checks: %" G_GUINT64_FORMAT " GETs sent, %" G_GUINT64_FORMAT " answered, %"
		   G_GUINT64_FORMAT " without a usable answer, %" G_GUINT64_FORMAT " moot; recorded %" G_GUINT64_FORMAT
		   " interface.up, %" G_GUINT64_FORMAT " interface.down, %" G_GUINT64_FORMAT " interface.admin-down; %"
		   G_GUINT64_FORMAT " given up", s.started, s.answered, s.silent, s.moot, s.recorded[XN_LINK_SEEN_UP],
		   s.recorded[XN_LINK_SEEN_DOWN], s.recorded[XN_LINK_SEEN_ADMIN_DOWN], s.gave_up);
}

/* What the kernel already holds was sent before the stop: taken, for a
 * while, so a stop in a burst loses as little as it can. */
static void
drain (XnCollector *c)
{
	gint64 until = g_get_monotonic_time () + XN_COLLECTOR_DRAIN_MS * 1000;

	while (xn_trap_listener_read (c->listener, XN_COLLECTOR_READ_BATCH) == XN_COLLECTOR_READ_BATCH &&
	       g_get_monotonic_time () < until)
		;
}

/* The stop's step: the facts appended until now (bounded by
 * STOP_DERIVE_MS), then one commit, waiting a while for a busy store. */
static void
last_step (XnCollector *c)
{
	gint64 until = g_get_monotonic_time () + STOP_DERIVE_MS * 1000;
	XnDerivedResult result;

	xn_derive_catch_up (c->derive, c->journal, until);
	xn_derive_advance (c->derive, xn_time_now ());
	until = g_get_monotonic_time () + STOP_WAIT_S * G_USEC_PER_SEC;
	while ((result = commit (c)) == XN_DERIVED_BUSY && g_get_monotonic_time () < until)
		g_usleep (STOP_RETRY_MS * 1000);
	if (result == XN_DERIVED_STORED)
		g_message ("outages: derived up to seq %" G_GINT64_FORMAT " and stored", xn_derive_stored_seq (c->derive));
	else
		g_warning ("outages: the last step could not be stored: the next start derives again after seq %"
			   G_GINT64_FORMAT, xn_derive_stored_seq (c->derive));
}

void
xn_collector_stop (XnCollector *c, XnCollectorStopped stopped, gpointer user_data)
{
	if (c->stopping)
		return;
	c->stopping = TRUE;
	g_clear_handle_id (&c->watch_id, g_source_remove);
	g_clear_handle_id (&c->tick_id, g_source_remove);
	g_clear_handle_id (&c->step_id, g_source_remove);
	g_clear_handle_id (&c->due_id, g_source_remove);
	g_clear_pointer (&c->follow, xn_follow_free);
	say_checks (c);
	g_clear_pointer (&c->verifier, xn_link_verifier_free);
	drain (c);
	xn_storm_finish (c->storm, xn_time_now (), c->events);
	push_events (c);
	add_stats (&c->past, xn_trap_listener_stats (c->listener));
	g_clear_pointer (&c->listener, xn_trap_listener_free);
	xn_fact_queue_finish (c->queue, STOP_WAIT_S);
	last_step (c);
	/* what the last step inserted is sent at the next start */
	xn_dispatch_stop (c->dispatch);
	g_clear_pointer (&c->derive, xn_derive_free);
	say_totals (c, &c->past);
	g_clear_pointer (&c->queue, xn_fact_queue_free);
	g_clear_pointer (&c->journal, xn_journal_close);
	g_message ("stopped");
	if (stopped != NULL)
		stopped (user_data);
}

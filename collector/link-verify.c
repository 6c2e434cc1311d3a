/* link-verify.c — what to check when after a link trap, and what the
 * answers mean (see link-verify.h for the contract).
 *
 * Each inventory link end that a fact was about has an Entry: the
 * journal's view of it (the latest report by ts, and whether the latest
 * report that is not an admin-down says down: what keeps the outage engine's
 * signal down) and, while it is being checked, the trap that started the
 * checks, when the next one is due and how many went unanswered in a row.
 * Entries waiting for their check sit in one sequence ordered by due time,
 * so taking the next check and knowing when it is due look at the head,
 * not at every interface. At most one check per node is in flight (one
 * request at a time per SNMP session, and a storm of link-downs from one
 * device becomes a queue, not a burst) and at most `window` in all; a
 * second trap about an interface replaces its pending check instead of
 * adding one. Every check carries a ticket; an answer whose ticket is no
 * longer the interface's (a newer report came meanwhile) changes nothing.
 * Failures to get an answer are said once per node until it answers
 * again, and retried sooner than the interval at first, doubling up to it.
 * This file decides and words; it does not send, wait or log, and the
 * GET itself (its OIDs, reading its answer) is link-verify-get.c. */
#include "link-verify.h"

#include <string.h>

/* IF-MIB ifAdminStatus and ifOperStatus values (RFC 2863). */
enum { IF_STATUS_UP = 1, IF_STATUS_DOWN = 2 };

/* A link end of the inventory; pointers into the inventory. */
typedef struct {
	const XnNode *node;
	const char   *if_name;
	const char   *link;
} End;

typedef struct {
	char          *subject;
	char          *node;
	char          *if_name;
	gint64         if_index;       /* -1: not known */
	XnLinkSeen     seen;           /* the latest report, by ts then seq */
	XnInstant      seen_ts;
	gboolean       fault;          /* the latest report but admin-downs says down */
	/* the checks, while active */
	gboolean       active;
	guint64        ticket;
	gint64         verifies;
	XnInstant      since;          /* the trap's ts */
	XnInstant      due;
	guint          failures;       /* checks without an answer in a row */
	gboolean       in_flight;
	GSequenceIter *queued;         /* in `due`, while active and not in flight */
} Entry;

typedef struct {
	gboolean busy;                 /* a check of it is in flight */
	gboolean failing;              /* said not to answer, not yet said to answer again */
	gboolean said_no_snmp;
} NodeState;

struct _XnLinkVerify {
	XnLinkVerifyConfig config;
	GHashTable        *ends;       /* subject → End */
	GHashTable        *entries;    /* subject → Entry */
	GHashTable        *nodes;      /* node name → NodeState */
	GSequence         *due;        /* Entry, by due time then subject */
	gint64             last_seq;
	guint64            tickets;
	guint              in_flight;
	XnLinkVerifyStats  stats;
};

static void note (GPtrArray *notes, XnLinkNoteLevel level, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static void
note (GPtrArray *notes, XnLinkNoteLevel level, const char *fmt, ...)
{
	XnLinkNote *n;
	va_list ap;

	if (notes == NULL)
		return;
	n = g_new (XnLinkNote, 1);
	n->level = level;
	va_start (ap, fmt);
	n->text = g_strdup_vprintf (fmt, ap);
	va_end (ap);
	g_ptr_array_add (notes, n);
}

void
xn_link_note_free (gpointer data)
{
	XnLinkNote *n = data;

	g_free (n->text);
	g_free (n);
}

void
xn_link_check_free (XnLinkCheck *check)
{
	if (check == NULL)
		return;
	g_free (check->node);
	g_free (check->subject);
	g_free (check->if_name);
	g_free (check);
}

const char *
xn_link_seen_to_kind (XnLinkSeen seen)
{
	switch (seen) {
	case XN_LINK_SEEN_UP:         return "interface.up";
	case XN_LINK_SEEN_DOWN:       return "interface.down";
	case XN_LINK_SEEN_ADMIN_DOWN: return "interface.admin-down";
	case XN_LINK_SEEN_NOTHING:    break;
	}
	return NULL;
}

static const char *
seen_word (XnLinkSeen seen)
{
	static const char *const words[] = { "nothing", "up", "down", "admin-down" };

	return words[seen];
}

/* ---- entries ---- */

static void
entry_free (gpointer data)
{
	Entry *e = data;

	g_free (e->subject);
	g_free (e->node);
	g_free (e->if_name);
	g_free (e);
}

static gint
by_due (gconstpointer a, gconstpointer b, gpointer unused)
{
	const Entry *x = a, *y = b;

	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	return strcmp (x->subject, y->subject);
}

static void
dequeue (Entry *e)
{
	if (e->queued == NULL)
		return;
	g_sequence_remove (e->queued);
	e->queued = NULL;
}

/* Waits for its due time; one in flight is queued when its answer comes. */
static void
enqueue (XnLinkVerify *v, Entry *e)
{
	dequeue (e);
	if (e->active && !e->in_flight)
		e->queued = g_sequence_insert_sorted (v->due, e, by_due, NULL);
}

/* No more checks; a ticket out is worth nothing from now on. */
static void
finish (XnLinkVerify *v, Entry *e)
{
	e->active = FALSE;
	e->ticket = ++v->tickets;
	dequeue (e);
}

static NodeState *
node_state (XnLinkVerify *v, const char *name)
{
	NodeState *ns = g_hash_table_lookup (v->nodes, name);

	if (ns == NULL) {
		ns = g_new0 (NodeState, 1);
		g_hash_table_insert (v->nodes, g_strdup (name), ns);
	}
	return ns;
}

static Entry *
entry_get (XnLinkVerify *v, const char *subject, const End *end)
{
	Entry *e = g_hash_table_lookup (v->entries, subject);

	if (e != NULL)
		return e;
	e = g_new0 (Entry, 1);
	e->subject = g_strdup (subject);
	e->node = g_strdup (end->node->name);
	e->if_name = g_strdup (end->if_name);
	e->if_index = -1;
	e->seen_ts = G_MININT64;
	g_hash_table_insert (v->entries, e->subject, e);
	return e;
}

/* A report placed at its ts, as the outage engine places it: an older one
 * than the latest changes nothing. */
static void
report (Entry *e, XnLinkSeen seen, XnInstant ts)
{
	if (ts < e->seen_ts)
		return;
	e->seen = seen;
	e->seen_ts = ts;
	if (seen != XN_LINK_SEEN_ADMIN_DOWN)
		e->fault = seen == XN_LINK_SEEN_DOWN;
}

/* ---- the inventory ---- */

static void
add_end (GHashTable *ends, const XnLinkEnd *link_end, const XnLink *link)
{
	End *end;

	if (link_end->node == NULL)
		return;
	end = g_new (End, 1);
	end->node = link_end->node;
	end->if_name = link_end->interface;
	end->link = link->id;
	g_hash_table_insert (ends, g_strconcat ("interface/", link_end->node->name, "/", link_end->interface, NULL), end);
}

static GHashTable *
ends_of (const XnInventory *inventory)
{
	GHashTable *ends = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	const GPtrArray *links = xn_inventory_get_links (inventory);

	for (guint i = 0; i < links->len; i++) {
		const XnLink *link = g_ptr_array_index (links, i);

		add_end (ends, &link->a, link);
		add_end (ends, &link->z, link);
	}
	return ends;
}

XnLinkVerify *
xn_link_verify_new (const XnLinkVerifyConfig *config, const XnInventory *inventory)
{
	XnLinkVerify *v = g_new0 (XnLinkVerify, 1);

	v->config = *config;
	v->ends = ends_of (inventory);
	v->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, entry_free);
	v->nodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	v->due = g_sequence_new (NULL);
	return v;
}

void
xn_link_verify_free (XnLinkVerify *v)
{
	if (v == NULL)
		return;
	g_sequence_free (v->due);
	g_hash_table_unref (v->entries);
	g_hash_table_unref (v->nodes);
	g_hash_table_unref (v->ends);
	g_free (v);
}

void
xn_link_verify_set_config (XnLinkVerify *v, const XnLinkVerifyConfig *config)
{
	v->config = *config;
}

void
xn_link_verify_set_inventory (XnLinkVerify *v, const XnInventory *inventory)
{
	GHashTableIter iter;
	Entry *e;
	NodeState *ns;

	g_hash_table_unref (v->ends);
	v->ends = ends_of (inventory);
	g_hash_table_iter_init (&iter, v->entries);
	while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &e)) {
		if (g_hash_table_contains (v->ends, e->subject))
			continue;
		dequeue (e);
		g_hash_table_iter_remove (&iter);
	}
	/* an endpoint added or removed is said afresh */
	g_hash_table_iter_init (&iter, v->nodes);
	while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &ns))
		ns->said_no_snmp = FALSE;
}

void
xn_link_verify_reset (XnLinkVerify *v)
{
	GHashTableIter iter;
	Entry *e;

	g_hash_table_iter_init (&iter, v->entries);
	while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &e))
		dequeue (e);
	g_hash_table_remove_all (v->entries);
	v->last_seq = 0;
}

/* ---- facts ---- */

/* What a fact says about its interface, as sla/outage.c reads it. */
static XnLinkSeen
seen_of (const XnFact *fact)
{
	if (strcmp (fact->kind, "interface.up") == 0 || strcmp (fact->kind, "trap.link-up") == 0)
		return XN_LINK_SEEN_UP;
	if (strcmp (fact->kind, "interface.down") == 0)
		return XN_LINK_SEEN_DOWN;
	if (strcmp (fact->kind, "interface.admin-down") == 0)
		return XN_LINK_SEEN_ADMIN_DOWN;
	if (strcmp (fact->kind, "trap.link-down") == 0)
		return xn_fact_attr_is (fact, "admin_status", "down") ? XN_LINK_SEEN_ADMIN_DOWN : XN_LINK_SEEN_DOWN;
	return XN_LINK_SEEN_NOTHING;
}

static void
learn_index (Entry *e, const XnFact *fact)
{
	gint64 index;

	if (!xn_fact_attr_int (fact, "if_index", &index))
		return;
	/* ifIndex is 1 to 2147483647 (RFC 2863) */
	if (index >= 1 && index <= G_MAXINT32)
		e->if_index = index;
}

/* A trap about the interface: its checks start again from this one. */
static void
begin (XnLinkVerify *v, Entry *e, const XnFact *fact, XnLinkSeen seen, XnInstant now)
{
	finish (v, e);
	if (v->config.window == 0 || fact->ts + v->config.give_up <= now)
		return;
	/* a link-up checked long ago (the journal read at a start): asking
	 * now would say how it is now, not whether the trap was right */
	if (seen == XN_LINK_SEEN_UP && fact->ts + v->config.delay + v->config.interval < now)
		return;
	e->active = TRUE;
	e->verifies = fact->seq;
	e->since = fact->ts;
	e->due = fact->ts + v->config.delay;
	e->failures = 0;
	enqueue (v, e);
}

XnInstant
xn_link_verify_observe (XnLinkVerify *v, const XnFact *fact, XnInstant now, GPtrArray *notes)
{
	XnLinkSeen seen;
	const End *end;
	Entry *e;

	if (fact->seq <= v->last_seq)
		return G_MAXINT64;
	v->last_seq = fact->seq;
	seen = seen_of (fact);
	if (seen == XN_LINK_SEEN_NOTHING || (end = g_hash_table_lookup (v->ends, fact->subject)) == NULL)
		return G_MAXINT64;
	e = entry_get (v, fact->subject, end);
	learn_index (e, fact);
	report (e, seen, fact->ts);
	if (g_str_has_prefix (fact->kind, "trap.") && strcmp (fact->source, "collector") == 0 &&
	    seen != XN_LINK_SEEN_ADMIN_DOWN) {
		begin (v, e, fact, seen, now);
		return e->active ? e->due : G_MAXINT64;
	}
	if (!e->active || fact->ts < e->since)
		return G_MAXINT64;
	/* a check's own record: the checks go on while it says down */
	if (strcmp (fact->source, "collector") == 0 && xn_fact_attr_is (fact, "method", "get")) {
		if (!e->fault)
			finish (v, e);
		return G_MAXINT64;
	}
	note (notes, XN_LINK_NOTE_DEBUG, "%s: checks after the trap of seq %" G_GINT64_FORMAT " end: %s from %s "
	      "(seq %" G_GINT64_FORMAT ") says how it is", e->subject, e->verifies, fact->kind, fact->source, fact->seq);
	finish (v, e);
	return G_MAXINT64;
}

/* ---- checks ---- */

/* Due, and its node free: whether it can be made is decided in take(). */
static Entry *
first_startable (const XnLinkVerify *v, GSequenceIter *iter)
{
	for (; !g_sequence_iter_is_end (iter); iter = g_sequence_iter_next (iter)) {
		Entry *e = g_sequence_get (iter);
		const NodeState *ns = g_hash_table_lookup (v->nodes, e->node);

		if (ns == NULL || !ns->busy)
			return e;
	}
	return NULL;
}

XnInstant
xn_link_verify_next_due (const XnLinkVerify *v)
{
	const Entry *e;

	if (v->in_flight >= v->config.window)
		return G_MAXINT64;
	e = first_startable (v, g_sequence_get_begin_iter (v->due));
	return e != NULL ? e->due : G_MAXINT64;
}

static void
give_up (XnLinkVerify *v, Entry *e, GPtrArray *notes)
{
	note (notes, XN_LINK_NOTE_NOTICE, "%s: still %s by what the journal says, %" G_GINT64_FORMAT " s after the trap "
	      "of seq %" G_GINT64_FORMAT ": its checks are given up (verify-give-up); the poller's next change of it, "
	      "or a trap, will tell", e->subject, seen_word (e->seen), v->config.give_up / G_USEC_PER_SEC, e->verifies);
	v->stats.gave_up++;
	finish (v, e);
}

/* A due check that cannot be made, with its note; FALSE when it can. */
static gboolean
cannot_check (XnLinkVerify *v, Entry *e, const End *end, XnInstant now, GPtrArray *notes)
{
	NodeState *ns;

	if (end->node->snmp == NULL) {
		ns = node_state (v, e->node);
		if (!ns->said_no_snmp)
			note (notes, XN_LINK_NOTE_NOTICE, "node %s has no SNMP endpoint in the inventory: its link traps "
			      "are not checked (said once until a reload)", e->node);
		ns->said_no_snmp = TRUE;
		return TRUE;
	}
	if (e->if_index < 0) {
		note (notes, XN_LINK_NOTE_NOTICE, "%s: the trap of seq %" G_GINT64_FORMAT " is not checked: no ifIndex "
		      "is known for it (the trap gave none and the poller has not reported it)", e->subject, e->verifies);
		return TRUE;
	}
	if (now > e->since + v->config.give_up) {
		give_up (v, e, notes);
		return TRUE;
	}
	return FALSE;
}

XnLinkCheck *
xn_link_verify_take (XnLinkVerify *v, XnInstant now, const XnNode **node, GPtrArray *notes)
{
	GSequenceIter *iter = g_sequence_get_begin_iter (v->due);
	XnLinkCheck *check;
	const End *end;
	Entry *e;

	while (v->in_flight < v->config.window && (e = first_startable (v, iter)) != NULL && e->due <= now) {
		iter = g_sequence_iter_next (e->queued);
		end = g_hash_table_lookup (v->ends, e->subject);
		if (cannot_check (v, e, end, now, notes)) {
			finish (v, e);
			continue;
		}
		dequeue (e);
		e->in_flight = TRUE;
		node_state (v, e->node)->busy = TRUE;
		v->in_flight++;
		v->stats.started++;
		check = g_new0 (XnLinkCheck, 1);
		check->ticket = e->ticket;
		check->node = g_strdup (e->node);
		check->subject = g_strdup (e->subject);
		check->if_name = g_strdup (e->if_name);
		check->if_index = e->if_index;
		check->verifies = e->verifies;
		*node = end->node;
		return check;
	}
	return NULL;
}

/* The next check at `at`, unless that is past the give-up time. */
static void
again (XnLinkVerify *v, Entry *e, XnInstant at, GPtrArray *notes)
{
	if (at > e->since + v->config.give_up) {
		give_up (v, e, notes);
		return;
	}
	e->due = at;
	enqueue (v, e);
}

/* Unanswered: sooner than the interval at first (a lost datagram), then
 * doubling up to it. */
static XnInstant
backoff (const XnLinkVerify *v, guint failures)
{
	XnInstant wait = MAX (v->config.delay, G_USEC_PER_SEC);

	for (guint i = 1; i < failures && wait < v->config.interval; i++)
		wait *= 2;
	return MIN (wait, v->config.interval);
}

static void
say_node (XnLinkVerify *v, const XnLinkCheck *check, const XnLinkAnswer *answer, GPtrArray *notes)
{
	NodeState *ns = node_state (v, check->node);
	gboolean answered = answer->kind == XN_LINK_ANSWER_STATUS || answer->kind == XN_LINK_ANSWER_ELSEWHERE;

	if (ns->busy) {
		ns->busy = FALSE;
		v->in_flight--;
	}
	if (!answered && !ns->failing)
		note (notes, XN_LINK_NOTE_WARNING, "node %s: the check of %s after the trap of seq %" G_GINT64_FORMAT
		      " failed: %s; its link checks are retried with backoff, logged again when it answers",
		      check->node, check->if_name, check->verifies, answer->reason != NULL ? answer->reason : "no answer");
	else if (answered && ns->failing)
		note (notes, XN_LINK_NOTE_NOTICE, "node %s answers the link checks again", check->node);
	ns->failing = !answered;
}

static XnLinkSeen
seen_in (const XnLinkAnswer *answer)
{
	if (answer->admin_status == IF_STATUS_DOWN)
		return XN_LINK_SEEN_ADMIN_DOWN;
	return answer->oper_status == IF_STATUS_UP ? XN_LINK_SEEN_UP : XN_LINK_SEEN_DOWN;
}

static void
set_status (JsonObject *attrs, const char *key, guint status)
{
	static const char *const names[] = {
		NULL, "up", "down", "testing", "unknown", "dormant", "notPresent", "lowerLayerDown",
	};

	if (status < G_N_ELEMENTS (names) && names[status] != NULL)
		json_object_set_string_member (attrs, key, names[status]);
	else
		json_object_set_null_member (attrs, key);
}

/* The index is the one asked, whatever was learnt meanwhile. */
static XnFact *
make_fact (const XnLinkVerify *v, const Entry *e, const XnLinkCheck *check, XnLinkSeen seen,
	   const XnLinkAnswer *answer, XnInstant now)
{
	g_autoptr(JsonObject) attrs = json_object_new ();
	const End *end = g_hash_table_lookup (v->ends, e->subject);

	json_object_set_string_member (attrs, "node", e->node);
	json_object_set_string_member (attrs, "if_name", e->if_name);
	json_object_set_int_member (attrs, "if_index", check->if_index);
	if (end != NULL)
		json_object_set_string_member (attrs, "link", end->link);
	set_status (attrs, "admin_status", answer->admin_status);
	set_status (attrs, "oper_status", answer->oper_status);
	json_object_set_int_member (attrs, "verifies", e->verifies);
	json_object_set_string_member (attrs, "method", "get");
	return xn_fact_new (answer->sent, xn_link_seen_to_kind (seen), e->subject, "collector", now, attrs);
}

static XnFact *
use_status (XnLinkVerify *v, Entry *e, const XnLinkCheck *check, const XnLinkAnswer *answer, XnInstant now,
	    GPtrArray *notes)
{
	XnLinkSeen seen = seen_in (answer);
	XnFact *fact = NULL;

	v->stats.answered++;
	if (seen != e->seen) {
		note (notes, XN_LINK_NOTE_NOTICE, "%s: the journal last said %s (the trap of seq %" G_GINT64_FORMAT
		      " is checked), the agent says %s: recorded as %s", e->subject, seen_word (e->seen), e->verifies,
		      seen_word (seen), xn_link_seen_to_kind (seen));
		fact = make_fact (v, e, check, seen, answer, now);
		v->stats.recorded[seen]++;
		report (e, seen, answer->sent);
	} else {
		note (notes, XN_LINK_NOTE_DEBUG, "%s: %s, as the journal says (the trap of seq %" G_GINT64_FORMAT
		      " is checked)", e->subject, seen_word (seen), e->verifies);
	}
	e->failures = 0;
	if (e->fault)
		again (v, e, now + v->config.interval, notes);
	else
		finish (v, e);
	return fact;
}

XnFact *
xn_link_verify_answer (XnLinkVerify *v, XnLinkCheck *check, const XnLinkAnswer *answer, XnInstant now,
		       GPtrArray *notes)
{
	g_autoptr(XnLinkCheck) owned = check;
	Entry *e = g_hash_table_lookup (v->entries, check->subject);

	say_node (v, check, answer, notes);
	/* its node was busy until now: no other check of it is out */
	if (e != NULL)
		e->in_flight = FALSE;
	if (e == NULL || e->ticket != check->ticket || !e->active) {
		v->stats.moot++;
		if (e != NULL && e->active)
			enqueue (v, e);
		return NULL;
	}
	switch (answer->kind) {
	case XN_LINK_ANSWER_STATUS:
		return use_status (v, e, check, answer, now, notes);
	case XN_LINK_ANSWER_SILENT:
	case XN_LINK_ANSWER_REFUSED:
		v->stats.silent++;
		e->failures++;
		again (v, e, now + backoff (v, e->failures), notes);
		return NULL;
	case XN_LINK_ANSWER_ELSEWHERE:
		v->stats.silent++;
		note (notes, XN_LINK_NOTE_WARNING, "%s: the trap of seq %" G_GINT64_FORMAT " is not checked further: %s",
		      e->subject, e->verifies, answer->reason);
		finish (v, e);
		return NULL;
	}
	g_return_val_if_reached (NULL);
}

guint
xn_link_verify_waiting (const XnLinkVerify *v)
{
	return (guint) g_sequence_get_length (v->due);
}

guint
xn_link_verify_in_flight (const XnLinkVerify *v)
{
	return v->in_flight;
}

XnLinkSeen
xn_link_verify_seen (const XnLinkVerify *v, const char *subject)
{
	const Entry *e = g_hash_table_lookup (v->entries, subject);

	return e != NULL ? e->seen : XN_LINK_SEEN_NOTHING;
}

void
xn_link_verify_get_stats (const XnLinkVerify *v, XnLinkVerifyStats *stats)
{
	*stats = v->stats;
}

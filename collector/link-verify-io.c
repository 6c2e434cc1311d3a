/* link-verify-io.c — the GETs that check link traps, on the collector's
 * main loop (see link-verify-io.h for the contract).
 *
 * link-verify.c says which check is due; each one started here gets a
 * session of its own (poller/snmp-session.c: non-blocking, SNMPv3 engine
 * discovery included), whose socket is watched with g_unix_fd_add and
 * whose Net-SNMP retry and timeout deadline is a GLib timeout. The reply
 * callback only reads the answer: the session is closed, and the answer
 * handed to link-verify.c, after Net-SNMP has returned, never from inside
 * it. Sessions are not kept between checks: checks are rare (a few per
 * trap), at most the window's worth are open at once, and an idle socket
 * per node of a city would be thousands of descriptors for nothing; the
 * cost is an SNMPv3 engine ID discovery per check. One timer waits for the
 * next check that could start; it is moved only when a fact brings an
 * earlier one, so reading a long journal does not add and remove a timer
 * per fact, and none runs while the window is full or every due check's
 * node is busy (an answer moves it). This file reads the clock; it decides
 * nothing. */
#include "link-verify-io.h"
#include "snmp-session.h"
#include "xn-time.h"

#include <glib-unix.h>
#include <string.h>

/* A timer never shorter than this: a check due "now" that cannot start
 * waits for an answer, never for a spinning loop. */
#define MIN_WAIT_MS 10

typedef struct _Request Request;

struct _XnLinkVerifier {
	XnLinkVerify         *book;
	XnSnmpStack          *stack;
	const XnSecrets      *secrets;
	XnLinkVerifierRecord  record;
	gpointer              user_data;
	GQueue                requests;    /* Request in flight */
	guint                 timer_id;
	XnInstant             timer_at;    /* when the timer fires; G_MAXINT64 without one */
	gboolean              ready;
	GPtrArray            *notes;       /* XnLinkNote, reused */
};

struct _Request {
	XnLinkVerifier *v;
	XnLinkCheck    *check;
	XnSnmpSession  *session;
	char           *timeout_text;  /* what a timeout is said as */
	guint           fd_id;
	guint           timeout_id;
	XnInstant       sent;
	gboolean        replied;
	XnLinkAnswer    answer;
	GList           link;
};

static void pump (XnLinkVerifier *v);

static void
say_notes (XnLinkVerifier *v)
{
	for (guint i = 0; i < v->notes->len; i++) {
		const XnLinkNote *n = g_ptr_array_index (v->notes, i);

		switch (n->level) {
		case XN_LINK_NOTE_DEBUG:   g_debug ("%s", n->text); break;
		case XN_LINK_NOTE_NOTICE:  g_message ("%s", n->text); break;
		case XN_LINK_NOTE_WARNING: g_warning ("%s", n->text); break;
		}
	}
	g_ptr_array_set_size (v->notes, 0);
}

/* ---- requests ---- */

static void
request_free (Request *r)
{
	g_clear_handle_id (&r->fd_id, g_source_remove);
	g_clear_handle_id (&r->timeout_id, g_source_remove);
	g_clear_pointer (&r->session, xn_snmp_session_close);
	g_free (r->timeout_text);
	xn_link_check_free (r->check);
	xn_link_answer_clear (&r->answer);
	g_free (r);
}

/* The answer to link-verify.c, outside any Net-SNMP code; the fact it
 * makes to the journal. */
static void
complete (Request *r)
{
	XnLinkVerifier *v = r->v;
	XnFact *fact;

	g_queue_unlink (&v->requests, &r->link);
	r->answer.sent = r->sent;
	fact = xn_link_verify_answer (v->book, g_steal_pointer (&r->check), &r->answer, xn_time_now (), v->notes);
	request_free (r);
	say_notes (v);
	if (fact != NULL)
		v->record (fact, v->user_data);
}

/* Nothing went out: the answer is that. */
static void
complete_unsent (Request *r, XnLinkAnswerKind kind, const char *reason)
{
	r->answer.kind = kind;
	r->answer.reason = g_strdup (reason);
	complete (r);
}

static void
on_reply (XnSnmpSession *session, const XnSnmpReply *reply, gpointer user_data)
{
	Request *r = user_data;

	xn_link_answer_read (&r->answer, r->check, reply);
	if (reply->kind == XN_SNMP_REPLY_TIMEOUT) {
		g_free (r->answer.reason);
		r->answer.reason = g_steal_pointer (&r->timeout_text);
	}
	r->replied = TRUE;
}

/* As the poller says it: a wrong community gets no answer either. */
static char *
timeout_text (const XnNode *node)
{
	const XnSnmpEndpoint *ep = node->snmp;

	gboolean v6 = strchr (node->management_address, ':') != NULL;

	return g_strdup_printf ("no answer from %s%s%s:%u to %s after %u %s of %u ms%s", v6 ? "[" : "",
				node->management_address, v6 ? "]" : "", ep->port, xn_snmp_version_to_string (ep->version),
				ep->retries + 1, ep->retries == 0 ? "try" : "tries", ep->timeout_ms,
				ep->version != XN_SNMP_V3 ? " (a wrong community gets no answer either)" : "");
}

static gboolean on_timeout (gpointer user_data);

static void
watch_deadline (Request *r)
{
	gint64 deadline = xn_snmp_session_deadline (r->session);
	gint64 ms;

	g_clear_handle_id (&r->timeout_id, g_source_remove);
	if (deadline == G_MAXINT64)
		return;
	/* Net-SNMP expires with a strict "<" on its own clock: a little after */
	ms = MAX (0, (deadline - g_get_monotonic_time ()) / 1000) + 1;
	r->timeout_id = g_timeout_add ((guint) MIN (ms, G_MAXINT32), on_timeout, r);
}

static gboolean
on_readable (gint fd, GIOCondition condition, gpointer user_data)
{
	Request *r = user_data;
	XnLinkVerifier *v = r->v;

	xn_snmp_session_read (r->session);
	if (!r->replied) {
		watch_deadline (r);
		return G_SOURCE_CONTINUE;
	}
	r->fd_id = 0;
	complete (r);
	pump (v);
	return G_SOURCE_REMOVE;
}

static gboolean
on_timeout (gpointer user_data)
{
	Request *r = user_data;
	XnLinkVerifier *v = r->v;

	r->timeout_id = 0;
	xn_snmp_session_check_timeout (r->session);
	if (!r->replied) {
		watch_deadline (r);
		return G_SOURCE_REMOVE;
	}
	complete (r);
	pump (v);
	return G_SOURCE_REMOVE;
}

static void
start (XnLinkVerifier *v, XnLinkCheck *check, const XnNode *node)
{
	g_autoptr(GError) error = NULL;
	Request *r = g_new0 (Request, 1);
	XnSubid arcs[3][16];
	XnOid oids[3];
	XnSnmpRequest get = { .command = XN_SNMP_GET, .oids = oids };

	r->v = v;
	r->check = check;
	r->link.data = r;
	g_queue_push_tail_link (&v->requests, &r->link);
	r->sent = xn_time_now ();
	r->timeout_text = timeout_text (node);
	r->session = xn_snmp_session_open (v->stack, node, v->secrets, on_reply, r, &error);
	if (r->session == NULL) {
		complete_unsent (r, XN_LINK_ANSWER_REFUSED, error->message);
		return;
	}
	get.n_oids = xn_link_check_request (check, node->snmp->version, arcs, oids);
	if (!xn_snmp_session_send (r->session, &get, &error)) {
		complete_unsent (r, XN_LINK_ANSWER_SILENT, error->message);
		return;
	}
	r->fd_id = g_unix_fd_add (xn_snmp_session_fd (r->session), G_IO_IN, on_readable, r);
	watch_deadline (r);
}

/* ---- when ---- */

static gboolean
on_due (gpointer user_data)
{
	XnLinkVerifier *v = user_data;

	v->timer_id = 0;
	v->timer_at = G_MAXINT64;
	pump (v);
	return G_SOURCE_REMOVE;
}

/* The timer at the next check that could start. */
static void
arm (XnLinkVerifier *v)
{
	XnInstant at = xn_link_verify_next_due (v->book);
	XnInstant now = xn_time_now ();
	gint64 ms;

	if (!v->ready)
		return;
	g_clear_handle_id (&v->timer_id, g_source_remove);
	v->timer_at = at;
	if (at == G_MAXINT64)
		return;
	ms = at > now ? (at - now + 999) / 1000 : 0;
	v->timer_id = g_timeout_add ((guint) CLAMP (ms, MIN_WAIT_MS, G_MAXINT32), on_due, v);
}

static void
pump (XnLinkVerifier *v)
{
	XnLinkCheck *check;
	const XnNode *node;

	if (!v->ready)
		return;
	while ((check = xn_link_verify_take (v->book, xn_time_now (), &node, v->notes)) != NULL) {
		say_notes (v);
		start (v, check, node);
	}
	say_notes (v);
	arm (v);
}

/* ---- life cycle ---- */

XnLinkVerifier *
xn_link_verifier_new (const XnLinkVerifyConfig *config, const XnInventory *inventory, const XnSecrets *secrets,
		      XnLinkVerifierRecord record, gpointer user_data)
{
	XnLinkVerifier *v = g_new0 (XnLinkVerifier, 1);

	v->book = xn_link_verify_new (config, inventory);
	v->stack = xn_snmp_stack_new ();
	v->secrets = secrets;
	v->record = record;
	v->user_data = user_data;
	v->timer_at = G_MAXINT64;
	g_queue_init (&v->requests);
	v->notes = g_ptr_array_new_with_free_func (xn_link_note_free);
	return v;
}

void
xn_link_verifier_free (XnLinkVerifier *v)
{
	GList *l;

	if (v == NULL)
		return;
	while ((l = g_queue_pop_head_link (&v->requests)) != NULL)
		request_free (l->data);
	g_clear_handle_id (&v->timer_id, g_source_remove);
	xn_link_verify_free (v->book);
	xn_snmp_stack_free (v->stack);
	g_ptr_array_unref (v->notes);
	g_free (v);
}

void
xn_link_verifier_reconfigure (XnLinkVerifier *v, const XnLinkVerifyConfig *config, const XnInventory *inventory,
			      const XnSecrets *secrets)
{
	xn_link_verify_set_config (v->book, config);
	xn_link_verify_set_inventory (v->book, inventory);
	v->secrets = secrets;
	xn_snmp_stack_forget_keys (v->stack);
	pump (v);
}

void
xn_link_verifier_reset (XnLinkVerifier *v)
{
	xn_link_verify_reset (v->book);
	xn_link_verifier_set_ready (v, FALSE);
}

void
xn_link_verifier_set_ready (XnLinkVerifier *v, gboolean ready)
{
	v->ready = ready;
	if (ready) {
		pump (v);
	} else {
		g_clear_handle_id (&v->timer_id, g_source_remove);
		v->timer_at = G_MAXINT64;
	}
}

gboolean
xn_link_verifier_is_ready (const XnLinkVerifier *v)
{
	return v->ready;
}

/* The timer moves only for a check due before it: a journal read at a
 * start, or a storm of link traps, costs no timer per fact. */
void
xn_link_verifier_observe (XnLinkVerifier *v, const XnFact *fact)
{
	XnInstant due = xn_link_verify_observe (v->book, fact, xn_time_now (), v->notes);

	if (v->notes->len > 0)
		say_notes (v);
	if (due < v->timer_at)
		arm (v);
}

void
xn_link_verifier_get_stats (const XnLinkVerifier *v, XnLinkVerifyStats *stats)
{
	xn_link_verify_get_stats (v->book, stats);
}

char *
xn_link_verify_config_describe (const XnLinkVerifyConfig *config)
{
	if (config->window == 0)
		return g_strdup ("link traps are not checked (verify-window = 0)");
	return g_strdup_printf ("link traps checked by SNMP GET %" G_GINT64_FORMAT " s after them, every %" G_GINT64_FORMAT
				" s while down, for at most %" G_GINT64_FORMAT " s, %u at a time",
				config->delay / G_USEC_PER_SEC, config->interval / G_USEC_PER_SEC,
				config->give_up / G_USEC_PER_SEC, config->window);
}

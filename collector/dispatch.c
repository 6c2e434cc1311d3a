/* dispatch.c — the dispatcher's thread: takes the outbox's next message
 * due, resolves its carrier's channel from the configuration of the
 * moment, sends it (channel-smtp.c, channel-webhook.c, channel-spool.c),
 * records the attempt, and sleeps until the next one falls due, a kick or
 * a stop.
 *
 * One thread, one outbox connection, one message at a time: tickets are a
 * handful an hour, and sending them one by one keeps a carrier's messages
 * in order (storage/outbox.h: only a carrier's oldest pending message is
 * due) and a stop simple. The configuration is borrowed under a lock and
 * an attempt copies what it needs (XnDelivery), so a reload never frees
 * anything an attempt is using; a reload also makes every pending message
 * due at once, since the fix it brings would otherwise wait out the
 * backoff. After a failure the message waits retry-first seconds, doubled
 * after each further failure up to retry-max, forever: a channel down for
 * hours loses nothing. The log says when a carrier's channel starts
 * failing and when it works again, not each attempt (those are at debug
 * level, and all in the outbox). A failure to record an attempt is retried
 * until it is recorded or the dispatcher stops — sending the next message
 * first would lose the count — and then the message simply goes again at
 * the next start (same Message-ID, event_id and file name: the receiver
 * can tell). This file does not render messages (sla/) or decide which
 * events become messages (the derivation does). */
#include "dispatch.h"
#include "dispatch-private.h"
#include "outbox.h"
#include "xn-error.h"
#include "xn-time.h"

#include <string.h>

/* The thread wakes at least this often even with nothing due, in case the
 * wall clock was set. */
#define IDLE_MAX_US        (60 * XN_USEC_PER_SEC)
/* A store that fails (locked too long, disk full) is tried again after this. */
#define STORAGE_RETRY_US   (5 * XN_USEC_PER_SEC)
/* An attempt's outcome that could not be recorded is tried again after this. */
#define RECORD_RETRY_US    (1 * XN_USEC_PER_SEC)

typedef struct {
	gboolean failing;
	guint    failures;                  /* attempts failed in a row */
} ChannelState;

struct _XnDispatch {
	GMutex              lock;
	GCond               cond;
	/* under the lock */
	gboolean            kicked;
	gboolean            retry;          /* the configuration changed: make pending messages due */
	gboolean            stopping;
	const XnInventory  *inventory;      /* borrowed */
	const XnSecrets    *secrets;        /* borrowed; may be NULL */
	const XnDaemonConf *conf;           /* borrowed */
	/* read by the channels' transfers, set by xn_dispatch_stop() */
	gint                stop;
	/* the thread's own */
	XnOutbox           *outbox;
	GHashTable         *channels;       /* carrier name → ChannelState */
	gboolean            storage_failing;
	GThread            *thread;
};

/* ---- the configuration of an attempt ---- */

static XnOutboxChannel
channel_of (const XnCarrier *carrier)
{
	switch (carrier->channel) {
	case XN_CHANNEL_SMTP:
		return XN_OUTBOX_CHANNEL_SMTP;
	case XN_CHANNEL_WEBHOOK:
		return XN_OUTBOX_CHANNEL_WEBHOOK;
	case XN_CHANNEL_SPOOL:
		return XN_OUTBOX_CHANNEL_SPOOL;
	}
	return XN_OUTBOX_CHANNEL_NONE;
}

static gboolean
fill_smtp (XnDelivery *out, const XnCarrier *carrier, const XnSecrets *secrets, const XnDaemonConf *conf,
	   GError **error)
{
	const XnLogin *login = NULL;

	out->address = g_strdup (carrier->address != NULL ? carrier->address : conf->smtp_relay);
	if (out->address == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG, "carrier %s: no SMTP relay: it has no smtp-server and "
			     "extranoc.conf sets no [collector] smtp-relay", carrier->name);
		return FALSE;
	}
	if (!g_str_has_prefix (out->address, "smtp://") && !g_str_has_prefix (out->address, "smtps://")) {
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG, "carrier %s: smtp-server '%s' is not an SMTP URL "
			     "(smtp://HOST[:PORT] or smtps://HOST[:PORT])", carrier->name, out->address);
		return FALSE;
	}
	if (conf->smtp_from == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG, "carrier %s: extranoc.conf sets no [collector] "
			     "smtp-from (the sender of ticket e-mails)", carrier->name);
		return FALSE;
	}
	out->from = g_strdup (conf->smtp_from);
	out->recipients = g_strdupv (carrier->recipients);
	out->starttls_required = g_strcmp0 (conf->smtp_starttls, "required") == 0;
	if (carrier->credential == NULL)
		return TRUE;
	login = secrets != NULL ? xn_secrets_login (secrets, carrier->credential) : NULL;
	if (login == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG, "carrier %s: smtp-credential '%s' is not a login "
			     "in the secrets", carrier->name, carrier->credential);
		return FALSE;
	}
	out->username = g_strdup (login->username);
	out->password = g_strdup (login->password);
	return TRUE;
}

static gboolean
fill_webhook (XnDelivery *out, const XnCarrier *carrier, const XnSecrets *secrets, GError **error)
{
	const char *token = NULL;

	out->address = g_strdup (carrier->address);
	if (carrier->credential == NULL)
		return TRUE;
	token = secrets != NULL ? xn_secrets_token (secrets, carrier->credential) : NULL;
	if (token == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG, "carrier %s: webhook-credential '%s' is not a token "
			     "in the secrets", carrier->name, carrier->credential);
		return FALSE;
	}
	out->token = g_strdup (token);
	return TRUE;
}

/* What an attempt to `carrier` needs, copied out of the configuration. */
static XnDelivery *
delivery_new (const XnCarrier *carrier, const XnSecrets *secrets, const XnDaemonConf *conf, GError **error)
{
	g_autoptr(XnDelivery) out = g_new0 (XnDelivery, 1);

	out->kind = channel_of (carrier);
	out->carrier = g_strdup (carrier->name);
	out->ca_file = g_strdup (conf->ca_file);
	out->timeout_s = conf->send_timeout_s > 0 ? conf->send_timeout_s : 60;
	switch (out->kind) {
	case XN_OUTBOX_CHANNEL_SMTP:
		if (!fill_smtp (out, carrier, secrets, conf, error))
			return NULL;
		break;
	case XN_OUTBOX_CHANNEL_WEBHOOK:
		if (!fill_webhook (out, carrier, secrets, error))
			return NULL;
		break;
	case XN_OUTBOX_CHANNEL_SPOOL:
		out->address = g_strdup (carrier->address);
		/* relative to what? the daemon's working directory is no place to agree on */
		if (out->address == NULL || !g_path_is_absolute (out->address)) {
			g_set_error (error, XN_ERROR, XN_ERROR_CONFIG, "carrier %s: spool-directory '%s' is not an "
				     "absolute path", carrier->name, out->address != NULL ? out->address : "");
			return NULL;
		}
		break;
	case XN_OUTBOX_CHANNEL_NONE:
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG, "carrier %s has no ticket channel", carrier->name);
		return NULL;
	}
	return g_steal_pointer (&out);
}

gboolean
xn_dispatch_check_config (const XnInventory *inventory, const XnSecrets *secrets, const XnDaemonConf *conf,
			  GError **error)
{
	const GPtrArray *carriers = xn_inventory_get_carriers (inventory);
	g_autoptr(GString) problems = g_string_new (NULL);

	for (guint i = 0; i < carriers->len; i++) {
		g_autoptr(GError) local = NULL;
		g_autoptr(XnDelivery) d = delivery_new (carriers->pdata[i], secrets, conf, &local);

		if (d == NULL)
			g_string_append_printf (problems, "%s%s", problems->len > 0 ? "\n" : "", local->message);
	}
	if (problems->len == 0)
		return TRUE;
	g_set_error_literal (error, XN_ERROR, XN_ERROR_CONFIG, problems->str);
	return FALSE;
}

/* Under the lock: the carrier as the configuration has it now. *kind is
 * its channel, or NONE when the carrier is gone. */
static XnDelivery *
resolve (XnDispatch *d, const char *carrier_name, XnOutboxChannel *kind, guint *first_s, guint *max_s,
	 GError **error)
{
	const XnCarrier *carrier;
	XnDelivery *out = NULL;

	g_mutex_lock (&d->lock);
	*first_s = d->conf->retry_first_s;
	*max_s = d->conf->retry_max_s;
	carrier = xn_inventory_carrier_by_name (d->inventory, carrier_name);
	*kind = carrier != NULL ? channel_of (carrier) : XN_OUTBOX_CHANNEL_NONE;
	if (carrier == NULL)
		g_set_error (error, XN_ERROR, XN_ERROR_NOT_FOUND, "carrier %s is not in the inventory (kept pending: "
			     "a reload that brings it back sends it)", carrier_name);
	else
		out = delivery_new (carrier, d->secrets, d->conf, error);
	g_mutex_unlock (&d->lock);
	return out;
}

/* ---- waiting ---- */

static gboolean
stopping (XnDispatch *d)
{
	return g_atomic_int_get (&d->stop) != 0;
}

/* Sleeps for `us` at most, or until a stop; kicks do not end it. */
static void
pause_for (XnDispatch *d, gint64 us)
{
	gint64 deadline = g_get_monotonic_time () + us;

	g_mutex_lock (&d->lock);
	while (!d->stopping)
		if (!g_cond_wait_until (&d->cond, &d->lock, deadline))
			break;
	g_mutex_unlock (&d->lock);
}

/* Sleeps until `wake` (a wall-clock instant; 0: nothing pending), a kick,
 * a reload or a stop. */
static void
sleep_until (XnDispatch *d, XnInstant wake)
{
	gint64 us = wake == 0 ? IDLE_MAX_US : CLAMP (wake - xn_time_now (), 0, IDLE_MAX_US);
	gint64 deadline = g_get_monotonic_time () + us;

	g_mutex_lock (&d->lock);
	while (!d->stopping && !d->kicked && !d->retry)
		if (!g_cond_wait_until (&d->cond, &d->lock, deadline))
			break;
	g_mutex_unlock (&d->lock);
}

/* ---- the log: a failing store or channel once, its recovery once ---- */

static void
storage_failed (XnDispatch *d, const GError *error)
{
	if (!d->storage_failing)
		g_warning ("outbox: %s; tried again every %u s, logged again when it works", error->message,
			   (guint) (STORAGE_RETRY_US / XN_USEC_PER_SEC));
	d->storage_failing = TRUE;
}

static void
storage_ok (XnDispatch *d)
{
	if (d->storage_failing)
		g_message ("outbox: %s works again", xn_outbox_get_location (d->outbox));
	d->storage_failing = FALSE;
}

static ChannelState *
channel_state (XnDispatch *d, const char *carrier)
{
	ChannelState *state = g_hash_table_lookup (d->channels, carrier);

	if (state == NULL) {
		state = g_new0 (ChannelState, 1);
		g_hash_table_insert (d->channels, g_strdup (carrier), state);
	}
	return state;
}

static guint
queued (XnDispatch *d, const char *carrier)
{
	guint n = 0;

	/* only for the log: a count that cannot be read is said as 0 */
	xn_outbox_queued (d->outbox, carrier, &n, NULL);
	return n;
}

static void
note_outcome (XnDispatch *d, const XnOutboxAttempt *a, guint first_s, guint max_s)
{
	ChannelState *state = channel_state (d, a->carrier);
	const char *channel = xn_outbox_channel_to_string (a->channel);

	if (a->ok) {
		g_debug ("outbox: %s sent to carrier %s by %s (%s), attempt %u", a->event_id, a->carrier, channel,
			 a->target, a->n);
		if (state->failing)
			g_message ("carrier %s: delivery by %s works again after %u failed attempts; messages still "
				   "queued for it: %u", a->carrier, channel, state->failures, queued (d, a->carrier));
		state->failing = FALSE;
		state->failures = 0;
		return;
	}
	g_debug ("outbox: %s to carrier %s by %s (%s), attempt %u failed: %s", a->event_id, a->carrier, channel,
		 a->target, a->n, a->error);
	/* a transfer cut short by a stop says nothing about the channel */
	if (stopping (d))
		return;
	state->failures++;
	if (!state->failing)
		g_warning ("carrier %s: delivery by %s%s%s%s fails: %s; messages queued for it: %u, tried again "
			   "after %u s, doubling up to %u s; logged again when it works", a->carrier, channel,
			   *a->target != '\0' ? " (" : "", a->target, *a->target != '\0' ? ")" : "", a->error,
			   queued (d, a->carrier), first_s, max_s);
	state->failing = TRUE;
}

/* ---- one attempt ---- */

static gboolean
send_one (XnDispatch *d, const XnDelivery *delivery, const XnOutboxMessage *m, GError **error)
{
	switch (delivery->kind) {
	case XN_OUTBOX_CHANNEL_SMTP:
		return xn_channel_smtp_send (delivery, m, &d->stop, error);
	case XN_OUTBOX_CHANNEL_WEBHOOK:
		return xn_channel_webhook_send (delivery, m, &d->stop, error);
	case XN_OUTBOX_CHANNEL_SPOOL:
		return xn_channel_spool_send (delivery, m, error);
	case XN_OUTBOX_CHANNEL_NONE:
		break;
	}
	g_set_error (error, XN_ERROR, XN_ERROR_CONFIG, "no channel");
	return FALSE;
}

/* Records the attempt, trying again until it is recorded or the
 * dispatcher stops: the next message must not go before this one's outcome
 * is kept. */
static void
record (XnDispatch *d, XnOutboxAttempt *a, XnInstant next_attempt)
{
	for (;;) {
		g_autoptr(GError) error = NULL;

		if (xn_outbox_record (d->outbox, a, next_attempt, &error)) {
			storage_ok (d);
			return;
		}
		if (stopping (d) || g_error_matches (error, XN_ERROR, XN_ERROR_NOT_FOUND)) {
			g_warning ("outbox: attempt to send %s to carrier %s (%s) not recorded: %s; it is sent again at "
				   "the next start", a->event_id, a->carrier, a->ok ? "delivered" : "failed", error->message);
			return;
		}
		storage_failed (d, error);
		pause_for (d, RECORD_RETRY_US);
	}
}

static void
attempt (XnDispatch *d, const XnOutboxMessage *m)
{
	g_autoptr(XnOutboxAttempt) a = xn_outbox_attempt_new ();
	g_autoptr(XnDelivery) delivery = NULL;
	g_autoptr(GError) error = NULL;
	guint first_s = 30, max_s = 3600;

	a->event_id = g_strdup (m->event_id);
	a->carrier = g_strdup (m->carrier);
	a->started = xn_time_now ();
	delivery = resolve (d, m->carrier, &a->channel, &first_s, &max_s, &error);
	if (delivery != NULL) {
		a->target = xn_delivery_target (delivery, m);
		a->ok = send_one (d, delivery, m, &error);
	}
	a->finished = xn_time_now ();
	if (a->target == NULL)
		a->target = g_strdup ("");
	if (!a->ok)
		a->error = g_strdup (error->message);
	record (d, a, a->finished + xn_dispatch_backoff (m->attempts + 1, first_s, max_s));
	note_outcome (d, a, first_s, max_s);
}

/* ---- the thread ---- */

static void
say_start (XnDispatch *d)
{
	XnOutboxCounts counts;
	g_autoptr(GError) error = NULL;

	if (!xn_outbox_counts (d->outbox, &counts, &error)) {
		storage_failed (d, error);
		return;
	}
	if (counts.pending > 0) {
		g_autofree char *oldest = xn_time_format_utc (counts.oldest_pending);

		g_message ("outbox: messages to send: %u, the oldest derived at %s", counts.pending, oldest);
	}
}

/* One turn: the next message due is sent, or the thread sleeps until one
 * falls due. */
static void
turn (XnDispatch *d)
{
	g_autoptr(XnOutboxMessage) m = NULL;
	g_autoptr(GError) error = NULL;
	XnInstant now = xn_time_now (), wake = 0;
	gboolean retry;

	g_mutex_lock (&d->lock);
	d->kicked = FALSE;
	retry = d->retry;
	d->retry = FALSE;
	g_mutex_unlock (&d->lock);
	if ((retry && !xn_outbox_retry_now (d->outbox, now, &error)) ||
	    !xn_outbox_next_due (d->outbox, now, &m, &error) ||
	    (m == NULL && !xn_outbox_next_wake (d->outbox, &wake, &error))) {
		storage_failed (d, error);
		if (retry) {
			g_mutex_lock (&d->lock);
			d->retry = TRUE;
			g_mutex_unlock (&d->lock);
		}
		pause_for (d, STORAGE_RETRY_US);
		return;
	}
	storage_ok (d);
	/* a stop asked meanwhile: no attempt that would only record the stop */
	if (m != NULL && !stopping (d))
		attempt (d, m);
	else if (m == NULL)
		sleep_until (d, wake);
}

static gpointer
run (gpointer data)
{
	XnDispatch *d = data;

	say_start (d);
	while (!stopping (d))
		turn (d);
	return NULL;
}

XnDispatch *
xn_dispatch_new (const char *location, const XnInventory *inventory, const XnSecrets *secrets,
		 const XnDaemonConf *conf, GError **error)
{
	XnDispatch *d;
	XnOutbox *outbox;

	if (!xn_curl_global_init (error))
		return NULL;
	outbox = xn_outbox_open (location, XN_OUTBOX_OPEN_CREATE, error);
	if (outbox == NULL) {
		xn_curl_global_cleanup ();
		return NULL;
	}
	d = g_new0 (XnDispatch, 1);
	g_mutex_init (&d->lock);
	g_cond_init (&d->cond);
	d->inventory = inventory;
	d->secrets = secrets;
	d->conf = conf;
	d->outbox = outbox;
	d->channels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	d->thread = g_thread_try_new ("xn-dispatch", run, d, error);
	if (d->thread == NULL) {
		g_prefix_error (error, "starting the dispatcher: ");
		xn_dispatch_free (d);
		return NULL;
	}
	return d;
}

void
xn_dispatch_kick (XnDispatch *d)
{
	g_mutex_lock (&d->lock);
	d->kicked = TRUE;
	g_cond_broadcast (&d->cond);
	g_mutex_unlock (&d->lock);
}

void
xn_dispatch_set_config (XnDispatch *d, const XnInventory *inventory, const XnSecrets *secrets,
			const XnDaemonConf *conf)
{
	g_mutex_lock (&d->lock);
	d->inventory = inventory;
	d->secrets = secrets;
	d->conf = conf;
	d->retry = TRUE;
	g_cond_broadcast (&d->cond);
	g_mutex_unlock (&d->lock);
}

void
xn_dispatch_stop (XnDispatch *d)
{
	g_mutex_lock (&d->lock);
	d->stopping = TRUE;
	g_atomic_int_set (&d->stop, 1);
	g_cond_broadcast (&d->cond);
	g_mutex_unlock (&d->lock);
	if (d->thread != NULL)
		g_thread_join (g_steal_pointer (&d->thread));
}

void
xn_dispatch_free (XnDispatch *d)
{
	if (d == NULL)
		return;
	xn_dispatch_stop (d);
	xn_outbox_close (d->outbox);
	g_hash_table_unref (d->channels);
	g_cond_clear (&d->cond);
	g_mutex_clear (&d->lock);
	g_free (d);
	xn_curl_global_cleanup ();
}

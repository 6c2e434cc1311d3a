/* derive.c — the collector's derivation of outages and carrier tickets:
 * the ticket engine (which wraps the outage engine) fed from the journal,
 * its steps committed to the derived store (see derive.h).
 *
 * The position is the last seq handed over, so a reader that starts again
 * from the journal's first fact (the ifIndex map wants them all) costs a
 * comparison per fact already derived. The engine runs with the policy's
 * correlation window and ticket clocks, forgets settled outages and closed
 * tickets once stored (their rows stay); a step hands the store what
 * changed since the last one — outages, tickets, and the messages of the
 * events taken, rendered here in the policy's time zone with its NOC
 * contact — so it costs what changed, not what the journal ever held.
 * After a step it asks the outage engine when the next provisional outage
 * stops being one, so that advancing `now` commits a step only when it
 * changes something (that, or a ticket event or a deadline passed), not
 * every second; when the next ticket deadline falls is the caller's to
 * ask (xn_derive_next_due) and arm a timer for. Steps are still paced by
 * what the last one cost (xn_derive_due), for the few that touch many
 * outages: the first after a derivation from the start, or a report on a
 * node high in the tree. Another process writing the same derived state
 * is a conflict: the derivation carries on from what that process stored
 * and feeds again, from the journal, what this one had fed since. What it
 * does not do: read the journal on its own (except at the stop,
 * xn_derive_catch_up(), and after a conflict), read the wall clock (only
 * the monotonic one, for pacing: the instants come from the caller),
 * send messages (collector/dispatch.c does) or arm timers. Trouble with
 * the store is logged when it starts and when it ends. */
#include "derive.h"
#include "ticket-message.h"
#include "xn-error.h"
#include "xn-time.h"

#include <string.h>

/* Busy steps in a row before it is said: a lock held that long is no
 * passing append. */
#define BUSY_SAY        30
/* Facts read per call at the stop's catch-up, and after a conflict. */
#define CATCH_UP_CHUNK  2000

struct _XnDerive {
	XnDerived         *store;
	XnTicketEngine    *engine;
	const XnInventory *inventory;    /* borrowed */
	XnOutageOptions    options;
	XnTicketOptions    tickets;      /* the policy's clocks and NOC contact */
	GTimeZone         *tz;           /* the policy's: tickets and messages print their instants in it */
	const XnPolicy    *policy;       /* for maintenance notices (borrowed); NULL: none */
	const XnCalendar  *calendar;     /* likewise */
	guint              horizon_s;    /* events older than this when derived are suppressed */
	XnInstant          clock;        /* the latest `now` the caller gave; G_MININT64 before */
	guint64            messages;     /* messages inserted by the steps of this process */
	gint64             position;     /* the last seq handed over (fed, refused, or resumed from) */
	gint64             stored_seq;   /* the position of the last step stored */
	guint64            fed;          /* facts fed since the last step stored */
	gboolean           stale;        /* the stored step is out of date although nothing was fed */
	XnInstant          expires;      /* when the next provisional outage stops being one */
	guint64            refused;      /* facts the engine refused */
	guint              busy;         /* busy steps in a row */
	gint64             next_step;    /* monotonic µs before which a step is not due */
	gboolean           failing;      /* a step failed, and that was said */
};

/* The policy's numbers as the engines' options; FALSE (error set) for
 * ticket targets the engine cannot take. */
static gboolean
options_from (XnOutageOptions *options, XnTicketOptions *tickets, GTimeZone **tz, const XnPolicy *policy,
	      GError **error)
{
	xn_outage_options_init (options);
	options->settle = TRUE;
	/* the rows keep what settled; the engine need not */
	options->keep_settled = FALSE;
	xn_ticket_options_init (tickets);
	/* likewise for closed tickets */
	tickets->keep_closed = FALSE;
	if (policy == NULL) {
		*tz = g_time_zone_new_utc ();
		return TRUE;
	}
	options->correlation_window_us = xn_policy_correlation_window (policy);
	if (!xn_ticket_options_from_policy (tickets, policy, error))
		return FALSE;
	*tz = xn_time_zone_new (xn_policy_get_timezone (policy), error);
	return *tz != NULL;
}

static void
say_resumed (XnDerive *d, const char *location, const char *from_start)
{
	g_autoptr(GError) error = NULL;
	XnDerivedInfo info;

	if (from_start != NULL) {
		g_warning ("outages: derived again from the journal's start: %s", from_start);
		return;
	}
	if (d->position == 0) {
		g_message ("outages: derived from the journal's start (no derived state in %s yet)", location);
		return;
	}
	if (!xn_derived_info (d->store, &info, &error)) {
		g_message ("outages: the derivation resumes after seq %" G_GINT64_FORMAT, d->position);
		return;
	}
	g_message ("outages: the derivation resumes after seq %" G_GINT64_FORMAT " (%u outages stored, %u open; "
		   "%u tickets, %u open; %" G_GUINT64_FORMAT " steps so far)", d->position, info.outages, info.open,
		   info.tickets, info.open_tickets, info.steps);
}

static XnInstant
outage_expiry (XnDerive *d)
{
	return xn_outage_engine_next_expiry (xn_ticket_engine_outages (d->engine));
}

XnDerive *
xn_derive_open_config (const char *location, const XnInventory *inventory, const XnPolicy *policy, GError **error)
{
	g_autoptr(XnDerive) d = g_new0 (XnDerive, 1);
	g_autofree char *from_start = NULL;

	if (!options_from (&d->options, &d->tickets, &d->tz, policy, error)) {
		g_prefix_error (error, "the policy's ticket clocks: ");
		return NULL;
	}
	d->inventory = inventory;
	d->horizon_s = XN_DERIVE_DEFAULT_HORIZON_S;
	d->clock = G_MININT64;
	d->store = xn_derived_open (location, XN_DERIVED_OPEN_CREATE | XN_DERIVED_OPEN_SHORT_WAIT, error);
	if (d->store == NULL)
		return NULL;
	d->engine = xn_derived_resume_tickets (d->store, inventory, &d->options, &d->tickets, &from_start, error);
	if (d->engine == NULL)
		return NULL;
	d->position = xn_ticket_engine_last_seq (d->engine);
	d->stored_seq = d->position;
	/* the stored rows are another derivation's: the first step replaces them */
	d->stale = from_start != NULL;
	d->expires = outage_expiry (d);
	say_resumed (d, location, from_start);
	return g_steal_pointer (&d);
}

XnDerive *
xn_derive_open (const char *location, const XnInventory *inventory, GError **error)
{
	return xn_derive_open_config (location, inventory, NULL, error);
}

void
xn_derive_free (XnDerive *d)
{
	if (d == NULL)
		return;
	g_clear_pointer (&d->engine, xn_ticket_engine_free);
	g_clear_pointer (&d->store, xn_derived_close);
	g_clear_pointer (&d->tz, g_time_zone_unref);
	xn_ticket_options_clear (&d->tickets);
	g_free (d);
}

void
xn_derive_set_outbox_horizon (XnDerive *d, guint horizon_s)
{
	d->horizon_s = horizon_s;
}

void
xn_derive_set_clock (XnDerive *d, XnInstant now)
{
	d->clock = MAX (d->clock, now);
}

void
xn_derive_feed (XnDerive *d, const XnFact *fact)
{
	g_autoptr(GError) error = NULL;

	if (fact->seq <= d->position)
		return;
	d->position = fact->seq;
	if (xn_ticket_engine_feed (d->engine, fact, &error)) {
		d->fed++;
		return;
	}
	/* The journal checked it when it was appended: a refusal here is a
	 * disagreement between the two, worth one clear line, not a stop. */
	if (d->refused++ == 0)
		g_warning ("outages: fact %" G_GINT64_FORMAT " (%s %s) is refused by the engine and passed over: "
			   "%s; further refusals are only counted", fact->seq, fact->kind, fact->subject, error->message);
}

void
xn_derive_advance (XnDerive *d, XnInstant now)
{
	XnInstant due = xn_ticket_engine_next_due (d->engine);

	xn_derive_set_clock (d, now);
	xn_ticket_engine_advance (d->engine, now);
	/* A deadline passed changes a ticket even when it tells no carrier
	 * (a close of a ticket never sent). */
	if (xn_ticket_engine_now (d->engine) >= d->expires || (due != XN_TICKET_NONE && now > due))
		d->stale = TRUE;
}

XnInstant
xn_derive_next_due (XnDerive *d)
{
	XnInstant due = xn_ticket_engine_next_due (d->engine);

	return due == XN_TICKET_NONE ? G_MAXINT64 : due;
}

gboolean
xn_derive_pending (const XnDerive *d)
{
	return d->fed > 0 || d->stale || xn_ticket_engine_pending_events (d->engine) > 0;
}

gboolean
xn_derive_due (const XnDerive *d)
{
	return xn_derive_pending (d) && g_get_monotonic_time () >= d->next_step;
}

static void
stored (XnDerive *d, const XnDerivedStepStats *stats, gint64 took_us)
{
	if (d->failing)
		g_message ("outages: the derived state is stored again (after seq %" G_GINT64_FORMAT ")", d->position);
	else if (d->busy >= BUSY_SAY)
		g_message ("outages: the store is free again: a step is stored after %u busy tries", d->busy);
	d->failing = FALSE;
	d->busy = 0;
	d->fed = 0;
	d->stale = FALSE;
	d->stored_seq = xn_ticket_engine_last_seq (d->engine);
	d->expires = outage_expiry (d);
	d->messages += stats->messages;
	if (stats->suppressed > 0)
		g_message ("tickets: %u messages stored as suppressed, not to be sent: their events are older than "
			   "the outbox horizon (%u s)", stats->suppressed, d->horizon_s);
	g_debug ("outages: step to seq %" G_GINT64_FORMAT " in %.1f ms: %u rows written, %u removed, %u unchanged; "
		 "%u tickets written, %u messages inserted", d->stored_seq, took_us / 1000.0, stats->written,
		 stats->removed, stats->unchanged, stats->tickets, stats->messages);
}

/* An event as the outbox message its carrier gets; NULL (said) when it
 * has none: an event is derived only for a carrier's ticket. */
static XnOutboxMessage *
message_of (XnDerive *d, const XnTicketEvent *e)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(XnTicketMessage) rendered = NULL;
	XnOutboxMessage *m;

	if (e->carrier == NULL) {
		g_warning ("tickets: event %s names no carrier: nothing to send", e->id);
		return NULL;
	}
	rendered = xn_ticket_message_render (e, d->inventory, &d->tickets, d->tz, &error);
	if (rendered == NULL) {
		g_warning ("tickets: event %s for %s cannot be rendered: %s", e->id, e->carrier, error->message);
		return NULL;
	}
	m = xn_outbox_message_new ();
	m->event_id = g_strdup (e->id);
	m->carrier = g_strdup (e->carrier);
	m->ticket_id = g_strdup (e->breach_id != NULL ? e->breach_id : e->ticket_id);
	m->kind = g_strdup (xn_ticket_event_kind_to_string (e->kind));
	m->instant = e->instant;
	m->subject = g_steal_pointer (&rendered->subject);
	m->body_text = g_steal_pointer (&rendered->text);
	m->body_json = g_steal_pointer (&rendered->json);
	return m;
}

/* The events derived since the last step become the step's messages. */
static void
take_events (XnDerive *d)
{
	g_autoptr(GPtrArray) events = xn_ticket_engine_take_events (d->engine);

	for (guint i = 0; i < events->len; i++) {
		const XnTicketEvent *e = g_ptr_array_index (events, i);
		XnOutboxMessage *m = message_of (d, e);
		g_autofree char *at = xn_time_format_utc (e->instant);

		g_message ("tickets: %s (%s) for %s at %s", e->id, xn_ticket_event_kind_to_string (e->kind),
			   e->carrier != NULL ? e->carrier : "no carrier", at);
		if (m != NULL)
			xn_derived_add_message (d->store, m);
	}
}

/* Feeds the journal's facts after the position up to `upto`, read by this
 * process itself; FALSE when the journal cannot be read. */
static gboolean
feed_again (XnDerive *d, gint64 upto, GError **error)
{
	g_autoptr(XnJournal) journal = xn_journal_open (xn_derived_get_location (d->store), XN_JOURNAL_OPEN_EXISTING,
							error);

	if (journal == NULL)
		return FALSE;
	while (d->position < upto) {
		g_autoptr(GPtrArray) facts = NULL;

		if (!xn_journal_read (journal, d->position, CATCH_UP_CHUNK, &facts, error))
			return FALSE;
		if (facts->len == 0)
			break;
		/* those past `upto` are the follower's to hand over */
		for (guint i = 0; i < facts->len && ((XnFact *) g_ptr_array_index (facts, i))->seq <= upto; i++)
			xn_derive_feed (d, g_ptr_array_index (facts, i));
		if (((XnFact *) g_ptr_array_index (facts, facts->len - 1))->seq >= upto)
			break;
	}
	return TRUE;
}

/* Another process stored a step: its state is the one to continue, up to
 * where this one had got. */
static void
recover (XnDerive *d, const char *why)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *from_start = NULL;
	gint64 upto = d->position;
	XnTicketEngine *engine = xn_derived_resume_tickets (d->store, d->inventory, &d->options, &d->tickets,
							    &from_start, &error);

	if (engine == NULL) {
		g_warning ("outages: %s; reading what it stored failed: %s; the next step tries again", why,
			   error->message);
		return;
	}
	xn_ticket_engine_free (d->engine);
	d->engine = engine;
	d->position = xn_ticket_engine_last_seq (engine);
	d->stored_seq = d->position;
	d->fed = 0;
	d->stale = TRUE;
	if (!feed_again (d, upto, &error)) {
		g_warning ("outages: %s; carrying on from what it stored, the journal could not be read: %s", why,
			   error->message);
		return;
	}
	g_warning ("outages: %s; the derivation carries on from what it stored%s%s%s, fed again up to seq %"
		   G_GINT64_FORMAT, why, from_start != NULL ? " (" : "", from_start != NULL ? from_start : "",
		   from_start != NULL ? ")" : "", d->position);
}

XnDerivedResult
xn_derive_commit (XnDerive *d)
{
	g_autoptr(GError) error = NULL;
	XnDerivedStepStats stats = { 0 };
	XnDerivedResult result;
	gint64 t0 = g_get_monotonic_time (), t1;

	if (!xn_derive_pending (d))
		return XN_DERIVED_STORED;
	take_events (d);
	/* A message is created when derived: by the caller's clock, or the
	 * engine's `now` before the caller gave one. */
	result = xn_derived_commit_tickets (d->store, d->engine, d->tz,
					    MAX (d->clock, xn_ticket_engine_now (d->engine)), d->horizon_s, &stats,
					    &error);
	t1 = g_get_monotonic_time ();
	d->next_step = t1 + XN_DERIVE_PACE * (t1 - t0);
	if (result == XN_DERIVED_STORED) {
		stored (d, &stats, t1 - t0);
	} else if (result == XN_DERIVED_CONFLICT) {
		recover (d, error->message);
	} else if (result == XN_DERIVED_BUSY) {
		if (++d->busy == BUSY_SAY)
			g_warning ("outages: %u steps in a row found the store busy (%s): the derived state waits in "
				   "memory and is stored once it is free; logged again then", d->busy, error->message);
	} else if (!d->failing) {
		g_warning ("outages: the derived state cannot be stored: %s; the derivation goes on in memory and is "
			   "stored again at the next step that works; logged again then", error->message);
		d->failing = TRUE;
	}
	return result;
}

/* The same state under a new inventory, window or ticket clocks, or else
 * a derivation from the journal's start; TRUE in that case. Takes the
 * options (and zone) given. */
/* Each engine the derivation makes or restores gets the notice book. */
static void
give_maintenance (XnDerive *d)
{
	if (d->calendar != NULL && xn_ticket_engine_maintenance (d->engine) == NULL)
		xn_ticket_engine_set_maintenance (d->engine, d->policy, d->calendar, d->tz);
}

void
xn_derive_set_maintenance (XnDerive *d, const XnPolicy *policy, const XnCalendar *calendar)
{
	d->policy = policy;
	d->calendar = calendar;
	give_maintenance (d);
}

static gboolean
carry_on_with (XnDerive *d, const XnInventory *inventory, const XnOutageOptions *options,
	       XnTicketOptions *tickets, GTimeZone *tz)
{
	g_autofree char *snapshot = NULL;
	g_autoptr(GError) refused = NULL;
	XnTicketEngine *engine;
	gboolean window = options->correlation_window_us != d->options.correlation_window_us;

	/* the restored engine knows nothing of what changed since the last
	 * step: the store keeps it for the next one (events stay in the
	 * snapshot) */
	xn_derived_take_ticket_changes (d->store, d->engine, d->tz);
	snapshot = xn_ticket_engine_snapshot (d->engine);
	engine = xn_ticket_engine_restore (inventory, options, tickets, snapshot, &refused);
	d->inventory = inventory;
	d->options = *options;
	xn_ticket_options_clear (&d->tickets);
	d->tickets = *tickets;
	memset (tickets, 0, sizeof *tickets);
	g_time_zone_unref (d->tz);
	d->tz = tz;
	if (engine != NULL) {
		xn_ticket_engine_free (d->engine);
		d->engine = engine;
		give_maintenance (d);
		return FALSE;
	}
	g_warning ("outages: the %s changed (%s): outages are derived again from the journal's start",
		   window ? "policy's correlation window" : "inventory's topology", refused->message);
	/* options from a loaded policy are in range, which a new engine accepts */
	engine = xn_ticket_engine_new (inventory, options, &d->tickets, NULL);
	g_return_val_if_fail (engine != NULL, FALSE);
	xn_ticket_engine_free (d->engine);
	d->engine = engine;
	give_maintenance (d);
	xn_derived_start_over (d->store);
	d->position = 0;
	d->fed = 0;
	d->stale = TRUE;
	d->expires = G_MAXINT64;
	return TRUE;
}

gboolean
xn_derive_reconfigure (XnDerive *d, const XnInventory *inventory, const XnPolicy *policy)
{
	g_autoptr(GError) error = NULL;
	g_auto(XnTicketOptions) tickets = { 0 };
	XnOutageOptions options;
	GTimeZone *tz = NULL;

	if (!options_from (&options, &tickets, &tz, policy, &error)) {
		/* a loaded policy passed the same checks: only a mismatch
		 * between the two could get here */
		g_warning ("tickets: the new policy's ticket clocks cannot be used (%s): the previous ones stay",
			   error->message);
		xn_ticket_options_clear (&tickets);
		xn_ticket_options_copy (&tickets, &d->tickets);
		g_clear_pointer (&tz, g_time_zone_unref);
		tz = g_time_zone_ref (d->tz);
	}
	return carry_on_with (d, inventory, &options, &tickets, tz);
}

gboolean
xn_derive_set_inventory (XnDerive *d, const XnInventory *inventory)
{
	g_auto(XnTicketOptions) tickets = { 0 };
	XnOutageOptions options = d->options;

	xn_ticket_options_copy (&tickets, &d->tickets);
	return carry_on_with (d, inventory, &options, &tickets, g_time_zone_ref (d->tz));
}

guint64
xn_derive_catch_up (XnDerive *d, XnJournal *journal, gint64 until)
{
	guint64 before = d->fed;
	guint n;

	do {
		g_autoptr(GPtrArray) facts = NULL;
		g_autoptr(GError) error = NULL;

		if (!xn_journal_read (journal, d->position, CATCH_UP_CHUNK, &facts, &error)) {
			g_warning ("outages: reading the journal after seq %" G_GINT64_FORMAT " for the last step: %s",
				   d->position, error->message);
			break;
		}
		for (guint i = 0; i < facts->len; i++)
			xn_derive_feed (d, g_ptr_array_index (facts, i));
		n = facts->len;
	} while (n == CATCH_UP_CHUNK && g_get_monotonic_time () < until);
	return d->fed - before;
}

gint64
xn_derive_position (const XnDerive *d)
{
	return d->position;
}

gint64
xn_derive_stored_seq (const XnDerive *d)
{
	return d->stored_seq;
}

guint64
xn_derive_messages_inserted (const XnDerive *d)
{
	return d->messages;
}

/* derive.c — the collector's derivation of outages: the engine fed from
 * the journal, its steps committed to the derived store (see derive.h).
 *
 * The position is the last seq handed over, so a reader that starts again
 * from the journal's first fact (the ifIndex map wants them all) costs a
 * comparison per fact already derived. The engine runs with the policy's
 * correlation window and forgets settled outages (their rows stay); a
 * step hands xn_derived_commit_engine() what changed since the last one,
 * so it costs what changed, not what the journal ever held, and then asks
 * the engine when the next provisional outage stops being one, so that
 * advancing `now` commits a step only when it changes an outage, not every
 * second. Steps are still paced by what the last one cost (xn_derive_due),
 * for the few that touch many outages: the first after a derivation from
 * the start, or a report on a node high in the tree. Another process
 * writing the same derived state is a conflict: the derivation carries on
 * from what that process stored and feeds again, from the journal, what
 * this one had fed since. What it does not do: read the journal on its own
 * (except at the stop, xn_derive_catch_up(), and after a conflict), read
 * the wall clock (only the monotonic one, for pacing), or arm timers.
 * Trouble with the store is logged when it starts and when it ends. */
#include "derive.h"
#include "xn-error.h"

#include <string.h>

/* Busy steps in a row before it is said: a lock held that long is no
 * passing append. */
#define BUSY_SAY        30
/* Facts read per call at the stop's catch-up, and after a conflict. */
#define CATCH_UP_CHUNK  2000

struct _XnDerive {
	XnDerived         *store;
	XnOutageEngine    *engine;
	const XnInventory *inventory;    /* borrowed */
	XnOutageOptions    options;
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

static void
options_from (XnOutageOptions *options, const XnPolicy *policy)
{
	xn_outage_options_init (options);
	options->settle = TRUE;
	/* the rows keep what settled; the engine need not */
	options->keep_settled = FALSE;
	if (policy != NULL)
		options->correlation_window_us = xn_policy_correlation_window (policy);
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
	g_message ("outages: the derivation resumes after seq %" G_GINT64_FORMAT " (%u outages stored, %u open, "
		   "%" G_GUINT64_FORMAT " steps so far)", d->position, info.outages, info.open, info.steps);
}

XnDerive *
xn_derive_open_config (const char *location, const XnInventory *inventory, const XnPolicy *policy, GError **error)
{
	g_autoptr(XnDerive) d = g_new0 (XnDerive, 1);
	g_autofree char *from_start = NULL;

	options_from (&d->options, policy);
	d->inventory = inventory;
	d->store = xn_derived_open (location, XN_DERIVED_OPEN_CREATE | XN_DERIVED_OPEN_SHORT_WAIT, error);
	if (d->store == NULL)
		return NULL;
	d->engine = xn_derived_resume (d->store, inventory, &d->options, &from_start, error);
	if (d->engine == NULL)
		return NULL;
	d->position = xn_outage_engine_last_seq (d->engine);
	d->stored_seq = d->position;
	/* the stored rows are another derivation's: the first step replaces them */
	d->stale = from_start != NULL;
	d->expires = xn_outage_engine_next_expiry (d->engine);
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
	g_clear_pointer (&d->engine, xn_outage_engine_free);
	g_clear_pointer (&d->store, xn_derived_close);
	g_free (d);
}

void
xn_derive_feed (XnDerive *d, const XnFact *fact)
{
	g_autoptr(GError) error = NULL;

	if (fact->seq <= d->position)
		return;
	d->position = fact->seq;
	if (xn_outage_engine_feed (d->engine, fact, &error)) {
		d->fed++;
		return;
	}
	/* The journal checked it when it was appended: a refusal here is a
	 * disagreement between the two, worth one clear line, not a stop. */
	if (d->refused++ == 0)
		g_warning ("outages: fact %" G_GINT64_FORMAT " (%s %s) is refused by the outage engine and passed over: "
			   "%s; further refusals are only counted", fact->seq, fact->kind, fact->subject, error->message);
}

void
xn_derive_advance (XnDerive *d, XnInstant now)
{
	xn_outage_engine_advance (d->engine, now);
	if (xn_outage_engine_now (d->engine) >= d->expires)
		d->stale = TRUE;
}

gboolean
xn_derive_pending (const XnDerive *d)
{
	return d->fed > 0 || d->stale;
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
	d->stored_seq = xn_outage_engine_last_seq (d->engine);
	d->expires = xn_outage_engine_next_expiry (d->engine);
	g_debug ("outages: step to seq %" G_GINT64_FORMAT " in %.1f ms: %u rows written, %u removed, %u unchanged",
		 d->stored_seq, took_us / 1000.0, stats->written, stats->removed, stats->unchanged);
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
	XnOutageEngine *engine = xn_derived_resume (d->store, d->inventory, &d->options, &from_start, &error);

	if (engine == NULL) {
		g_warning ("outages: %s; reading what it stored failed: %s; the next step tries again", why,
			   error->message);
		return;
	}
	xn_outage_engine_free (d->engine);
	d->engine = engine;
	d->position = xn_outage_engine_last_seq (engine);
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
	result = xn_derived_commit_engine (d->store, d->engine, &stats, &error);
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

/* The same state under a new inventory or window, or else a derivation
 * from the journal's start; TRUE in that case. */
static gboolean
carry_on_with (XnDerive *d, const XnInventory *inventory, const XnOutageOptions *options)
{
	g_autofree char *snapshot = xn_outage_engine_snapshot (d->engine);
	g_autoptr(GError) refused = NULL;
	XnOutageEngine *engine = xn_outage_engine_restore (inventory, options, snapshot, &refused);
	gboolean window = options->correlation_window_us != d->options.correlation_window_us;

	d->inventory = inventory;
	d->options = *options;
	if (engine != NULL) {
		/* the restored engine knows nothing of what changed since the
		 * last step: the store keeps it for the next one */
		xn_derived_take_changes (d->store, d->engine);
		xn_outage_engine_free (d->engine);
		d->engine = engine;
		return FALSE;
	}
	g_warning ("outages: the %s changed (%s): outages are derived again from the journal's start",
		   window ? "policy's correlation window" : "inventory's topology", refused->message);
	/* options from a loaded policy are in range, which a new engine accepts */
	engine = xn_outage_engine_new (inventory, options, NULL);
	g_return_val_if_fail (engine != NULL, FALSE);
	xn_outage_engine_free (d->engine);
	d->engine = engine;
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
	XnOutageOptions options;

	options_from (&options, policy);
	return carry_on_with (d, inventory, &options);
}

gboolean
xn_derive_set_inventory (XnDerive *d, const XnInventory *inventory)
{
	XnOutageOptions options = d->options;

	return carry_on_with (d, inventory, &options);
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

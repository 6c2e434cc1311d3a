/* ticket.c — the ticket engine: facts in, tickets and events out.
 *
 * Each fact goes through three steps, always in this order: time passes
 * up to the fact's ts (whatever fell due before it is raised, each at its
 * own instant: ticket-clock.c), the fact is fed to the wrapped outage
 * engine and, for the fault.* kinds, applied to its ticket
 * (ticket-facts.c), and when it changed an outage or a ticket the tickets
 * are reconciled with the outages (ticket-reconcile.c). Doing the same
 * for each fact, whatever batch it came in, is what makes batch splitting
 * change nothing. Events go to a pending list; each gets a copy of its
 * ticket at the end of the step that derived it (so a ticket opened with
 * its dependents shows them), and leaves the engine once, through
 * xn_ticket_engine_take_events(). Maintenance facts go to the notice book
 * (and are kept: they are state) and are a step of their own, since a
 * window withdrawn while an outage waits on it changes what is planned.
 * This file also holds the operations on one ticket the other files share
 * (attach, merge, emit, hold). It reads no clock and does no I/O. */
#include "ticket-private.h"
#include "xn-error.h"

#include <string.h>

/* Kinds whose facts can open an outage: the report time of an automatic
 * ticket is when such a fact was recorded. */
static const char *const down_kinds[] = { "node.unreachable", "interface.down", "trap.link-down", NULL };

gboolean
xn_ticket_is_live (const XnTicket *ticket)
{
	return ticket->status == XN_TICKET_OPEN || ticket->status == XN_TICKET_RESTORED;
}

XnTicketEngine *
xn_ticket_engine_new (const XnInventory *inventory, const XnOutageOptions *outage_options,
		      const XnTicketOptions *options, GError **error)
{
	g_autoptr(XnTicketEngine) engine = g_new0 (XnTicketEngine, 1);
	XnTicketOptions defaults;

	g_return_val_if_fail (inventory != NULL, NULL);
	engine->inventory = inventory;
	if (outage_options != NULL)
		engine->outage_options = *outage_options;
	else
		xn_outage_options_init (&engine->outage_options);
	if (options != NULL) {
		xn_ticket_options_copy (&engine->options, options);
	} else {
		xn_ticket_options_init (&defaults);
		engine->options = defaults;
	}
	engine->tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_ticket_free);
	engine->live = g_ptr_array_new ();
	engine->dropped = g_ptr_array_new ();
	engine->by_id = g_hash_table_new (g_str_hash, g_str_equal);
	engine->bound = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	engine->recorded = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
	engine->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_ticket_event_free);
	engine->next_expiry = XN_TICKET_NONE;
	engine->maintenance = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
	if (!xn_ticket_options_validate (&engine->options, error))
		return NULL;
	engine->outages = xn_outage_engine_new (inventory, &engine->outage_options, error);
	if (engine->outages == NULL)
		return NULL;
	return g_steal_pointer (&engine);
}

void
xn_ticket_engine_free (XnTicketEngine *engine)
{
	if (engine == NULL)
		return;
	xn_outage_engine_free (engine->outages);
	xn_ticket_options_clear (&engine->options);
	g_hash_table_unref (engine->by_id);
	g_hash_table_unref (engine->bound);
	g_hash_table_unref (engine->recorded);
	g_ptr_array_unref (engine->live);
	g_ptr_array_unref (engine->dropped);
	g_ptr_array_unref (engine->tickets);
	g_ptr_array_unref (engine->pending);
	g_ptr_array_unref (engine->maintenance);
	xn_maintenance_book_free (engine->book);
	g_clear_pointer (&engine->topology, xn_topology_free);
	g_free (engine);
}

void
xn_ticket_engine_set_maintenance (XnTicketEngine *engine, const XnPolicy *policy, const XnCalendar *calendar,
				  GTimeZone *tz)
{
	g_return_if_fail (engine->book == NULL);
	engine->topology = xn_topology_new (engine->inventory);
	engine->book = xn_maintenance_book_new (engine->inventory, engine->topology, policy, calendar, tz);
	for (guint i = 0; i < engine->maintenance->len; i++)
		xn_maintenance_book_feed (engine->book, g_ptr_array_index (engine->maintenance, i));
}

const XnMaintenanceBook *
xn_ticket_engine_maintenance (const XnTicketEngine *engine)
{
	return engine->book;
}

/* ---- feeding ---- */

static gboolean
check_fact (const XnTicketEngine *engine, const XnFact *fact, gint64 last, GError **error)
{
	if (fact->seq <= last) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "ticket engine: fact seq %" G_GINT64_FORMAT " is not above seq %" G_GINT64_FORMAT
			     " fed before it", fact->seq, last);
		return FALSE;
	}
	if (fact->ts < XN_FACT_INSTANT_MIN || fact->ts > XN_FACT_INSTANT_MAX) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "ticket engine: fact seq %" G_GINT64_FORMAT " has a ts outside years 1000 to 9999",
			     fact->seq);
		return FALSE;
	}
	return TRUE;
}

static void
remember_recorded (XnTicketEngine *engine, const XnFact *fact)
{
	XnTicketRecorded *rec;

	if (!g_strv_contains (down_kinds, fact->kind))
		return;
	rec = g_new (XnTicketRecorded, 1);
	rec->ts = fact->ts;
	rec->recorded = fact->recorded;
	g_hash_table_insert (engine->recorded, g_memdup2 (&fact->seq, sizeof fact->seq), rec);
}

static gboolean
feed_one (XnTicketEngine *engine, const XnFact *fact, GError **error)
{
	XnOutageStats before, after;
	gboolean reported, changed;

	xn_ticket_engine_run_until (engine, fact->ts);
	xn_outage_engine_stats (engine->outages, &before);
	if (!xn_outage_engine_feed (engine->outages, fact, error))
		return FALSE;
	xn_outage_engine_stats (engine->outages, &after);
	remember_recorded (engine, fact);
	/* The instant the fact became known: what it causes happens then. */
	reported = after.reports != before.reports;
	changed = reported;
	if (g_str_has_prefix (fact->kind, "maintenance.")) {
		g_ptr_array_add (engine->maintenance, xn_fact_copy (fact));
		changed = engine->book != NULL && xn_maintenance_book_feed (engine->book, fact);
	}
	if (g_str_has_prefix (fact->kind, "fault."))
		changed = xn_ticket_engine_apply_fact (engine, fact, MAX (fact->ts, fact->recorded)) || changed;
	if (changed)
		xn_ticket_engine_reconcile (engine, MAX (fact->ts, fact->recorded), reported);
	xn_ticket_engine_seal (engine);
	xn_ticket_engine_run_until (engine, xn_outage_engine_now (engine->outages));
	return TRUE;
}

gboolean
xn_ticket_engine_feed (XnTicketEngine *engine, const XnFact *fact, GError **error)
{
	if (!check_fact (engine, fact, xn_outage_engine_last_seq (engine->outages), error))
		return FALSE;
	return feed_one (engine, fact, error);
}

gboolean
xn_ticket_engine_feed_all (XnTicketEngine *engine, const GPtrArray *facts, GError **error)
{
	gint64 last = xn_outage_engine_last_seq (engine->outages);

	for (guint i = 0; i < facts->len; i++) {
		const XnFact *fact = g_ptr_array_index (facts, i);

		if (!check_fact (engine, fact, last, error))
			return FALSE;
		last = fact->seq;
	}
	for (guint i = 0; i < facts->len; i++)
		if (!feed_one (engine, g_ptr_array_index (facts, i), error))
			return FALSE;
	return TRUE;
}

void
xn_ticket_engine_advance (XnTicketEngine *engine, XnInstant now)
{
	xn_ticket_engine_run_until (engine, now);
}

gint64
xn_ticket_engine_last_seq (const XnTicketEngine *engine)
{
	return xn_outage_engine_last_seq (engine->outages);
}

XnInstant
xn_ticket_engine_now (const XnTicketEngine *engine)
{
	return xn_outage_engine_now (engine->outages);
}

void
xn_ticket_engine_stats (const XnTicketEngine *engine, XnTicketStats *stats)
{
	*stats = engine->stats;
}

XnOutageEngine *
xn_ticket_engine_outages (XnTicketEngine *engine)
{
	return engine->outages;
}

/* ---- results ---- */

static int
compare_seq (gconstpointer a, gconstpointer b)
{
	gint64 x = (*(XnTicket *const *) a)->seq, y = (*(XnTicket *const *) b)->seq;

	return x < y ? -1 : x > y;
}

GPtrArray *
xn_ticket_engine_list (const XnTicketEngine *engine, gboolean open_only)
{
	GPtrArray *tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_ticket_free);

	for (guint i = 0; i < engine->tickets->len; i++) {
		const XnTicket *t = g_ptr_array_index (engine->tickets, i);

		if (!open_only || xn_ticket_is_live (t))
			g_ptr_array_add (tickets, xn_ticket_copy (t));
	}
	return tickets;
}

XnTicket *
xn_ticket_engine_lookup (const XnTicketEngine *engine, const char *id)
{
	g_autofree char *base = g_strdup (id);
	gsize n = strlen (base);
	const XnTicket *t;

	/* A breach ticket is part of its ticket: XN-000057-R is XN-000057's. */
	if (n > 2 && base[n - 2] == '-' && (base[n - 1] == 'R' || base[n - 1] == 'S'))
		base[n - 2] = '\0';
	t = g_hash_table_lookup (engine->by_id, base);
	return t != NULL ? xn_ticket_copy (t) : NULL;
}

static int
compare_events (gconstpointer a, gconstpointer b)
{
	const XnTicketEvent *x = *(XnTicketEvent *const *) a, *y = *(XnTicketEvent *const *) b;

	if (x->instant != y->instant)
		return x->instant < y->instant ? -1 : 1;
	return strcmp (x->id, y->id);
}

GPtrArray *
xn_ticket_engine_take_events (XnTicketEngine *engine)
{
	GPtrArray *taken = engine->pending;

	engine->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_ticket_event_free);
	g_ptr_array_sort (taken, compare_events);
	return taken;
}

guint
xn_ticket_engine_pending_events (const XnTicketEngine *engine)
{
	return engine->pending->len;
}

static void
forget_ticket (XnTicketEngine *engine, XnTicket *ticket)
{
	g_hash_table_remove (engine->by_id, ticket->id);
	/* Frees it; its outages stay bound to its id (ticket-reconcile.c). */
	g_ptr_array_remove (engine->tickets, ticket);
}

GPtrArray *
xn_ticket_engine_take_changes (XnTicketEngine *engine)
{
	GPtrArray *live = xn_ticket_engine_live (engine);
	g_autoptr(GPtrArray) all = g_ptr_array_new ();
	GPtrArray *changed = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_ticket_free);

	g_ptr_array_extend (all, engine->dropped, NULL, NULL);
	g_ptr_array_extend (all, live, NULL, NULL);
	g_ptr_array_sort (all, compare_seq);
	for (guint i = 0; i < all->len; i++)
		g_ptr_array_add (changed, xn_ticket_copy (g_ptr_array_index (all, i)));
	if (!engine->options.keep_closed)
		for (guint i = 0; i < engine->dropped->len; i++)
			forget_ticket (engine, g_ptr_array_index (engine->dropped, i));
	g_ptr_array_set_size (engine->dropped, 0);
	return changed;
}

/* ---- operations on one ticket ---- */

static void
insert_by_seq (GPtrArray *array, XnTicket *ticket)
{
	guint i = array->len;

	while (i > 0 && compare_seq (&g_ptr_array_index (array, i - 1), &ticket) > 0)
		i--;
	g_ptr_array_insert (array, i, ticket);
}

void
xn_ticket_engine_insert (XnTicketEngine *engine, XnTicket *ticket)
{
	/* Tickets are opened in derivation order but listed by seq: an
	 * automatic ticket carries its outage's (older) seq. */
	insert_by_seq (engine->tickets, ticket);
	if (xn_ticket_is_live (ticket))
		insert_by_seq (engine->live, ticket);
	g_hash_table_insert (engine->by_id, ticket->id, ticket);
}

GPtrArray *
xn_ticket_engine_live (XnTicketEngine *engine)
{
	guint kept = 0;

	/* Closed and merged are final: a ticket leaves this list for good. */
	for (guint i = 0; i < engine->live->len; i++) {
		XnTicket *t = g_ptr_array_index (engine->live, i);

		if (xn_ticket_is_live (t))
			engine->live->pdata[kept++] = t;
		else
			g_ptr_array_add (engine->dropped, t);
	}
	g_ptr_array_set_size (engine->live, kept);
	return engine->live;
}

static char *
event_id (const XnTicket *ticket, XnTicketEventKind kind, guint level)
{
	switch (kind) {
	case XN_TICKET_EVENT_OPENED:
		return g_strdup_printf ("%s#opened", ticket->id);
	case XN_TICKET_EVENT_ATTRIBUTED:
		return g_strdup_printf ("%s#attributed-%u", ticket->id, level);
	case XN_TICKET_EVENT_MERGED:
		return g_strdup_printf ("%s#merged", ticket->id);
	case XN_TICKET_EVENT_WITHDRAWN:
		return level <= 1 ? g_strdup_printf ("%s#withdrawn", ticket->id)
			: g_strdup_printf ("%s#withdrawn-%u", ticket->id, level);
	case XN_TICKET_EVENT_REOPENED:
		return g_strdup_printf ("%s#reopened-%u", ticket->id, level);
	case XN_TICKET_EVENT_CLOSED:
		return g_strdup_printf ("%s#closed", ticket->id);
	case XN_TICKET_EVENT_RESPONSE_BREACH:
		return g_strdup_printf ("%s-R#%u", ticket->id, level);
	case XN_TICKET_EVENT_RESTORE_BREACH:
		return g_strdup_printf ("%s-S#%u", ticket->id, level);
	case XN_TICKET_EVENT_MAINTENANCE_ENDED:
		return g_strdup_printf ("%s#maintenance-%s", ticket->id, ticket->held_window);
	}
	g_assert_not_reached ();
}

XnTicketEvent *
xn_ticket_engine_emit (XnTicketEngine *engine, XnTicket *ticket, XnTicketEventKind kind, XnInstant instant,
		       guint level, const char *carrier)
{
	XnTicketEvent *event = g_new0 (XnTicketEvent, 1);
	XnTicketEventRecord *record = g_new0 (XnTicketEventRecord, 1);

	event->id = event_id (ticket, kind, level);
	event->ticket_id = g_strdup (ticket->id);
	event->kind = kind;
	event->instant = instant;
	event->level = level;
	event->carrier = g_strdup (carrier != NULL ? carrier : ticket->carrier);
	event->deadline = XN_TICKET_NONE;
	if (kind == XN_TICKET_EVENT_MAINTENANCE_ENDED)
		event->window = g_strdup (ticket->held_window);
	if (kind == XN_TICKET_EVENT_RESPONSE_BREACH || kind == XN_TICKET_EVENT_RESTORE_BREACH)
		event->breach_id = xn_ticket_breach_id (ticket, kind == XN_TICKET_EVENT_RESPONSE_BREACH);
	if (kind == XN_TICKET_EVENT_OPENED || kind == XN_TICKET_EVENT_ATTRIBUTED)
		ticket->told = TRUE;
	record->id = g_strdup (event->id);
	record->kind = kind;
	record->instant = instant;
	record->level = level;
	record->carrier = g_strdup (event->carrier);
	g_ptr_array_add (ticket->events, record);
	g_ptr_array_add (engine->pending, event);
	return event;
}

void
xn_ticket_hold (XnTicket *ticket, XnTicketEventKind kind, XnInstant instant, guint level,
		const XnMaintenanceWindow *window)
{
	XnTicketEventRecord *record = g_new0 (XnTicketEventRecord, 1);

	record->id = event_id (ticket, kind, level);
	record->kind = kind;
	record->instant = instant;
	record->level = level;
	record->carrier = g_strdup (ticket->carrier);
	record->held = g_strdup (window->id);
	g_ptr_array_add (ticket->events, record);
	/* Of two windows holding it one after the other, the message waits
	 * for the one that ends last. */
	if (ticket->held_window == NULL || window->end > ticket->held_until) {
		g_free (ticket->held_window);
		ticket->held_window = g_strdup (window->id);
		ticket->held_until = window->end;
	}
}

void
xn_ticket_engine_seal (XnTicketEngine *engine)
{
	for (guint i = engine->pending->len; i > 0; i--) {
		XnTicketEvent *event = g_ptr_array_index (engine->pending, i - 1);
		const XnTicket *ticket;

		if (event->ticket != NULL)
			break;
		ticket = g_hash_table_lookup (engine->by_id, event->ticket_id);
		/* The history is the ticket's own; the copy travels without it. */
		event->ticket = xn_ticket_copy_without_history (ticket);
	}
}

XnTicket *
xn_ticket_engine_follow (XnTicketEngine *engine, const char *id)
{
	XnTicket *t = g_hash_table_lookup (engine->by_id, id);

	/* Merges point to older tickets, so the chain ends; the bound is a guard. */
	for (guint hops = 0; t != NULL && t->status == XN_TICKET_MERGED && hops < 1000; hops++)
		t = g_hash_table_lookup (engine->by_id, t->merged_into);
	return t;
}

XnTicketOutage *
xn_ticket_find_outage (const XnTicket *ticket, const char *outage_id)
{
	for (guint i = 0; i < ticket->outages->len; i++) {
		XnTicketOutage *a = g_ptr_array_index (ticket->outages, i);

		if (strcmp (a->id, outage_id) == 0)
			return a;
	}
	return NULL;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

gboolean
xn_ticket_add_units (XnTicket *ticket, const char *const *units)
{
	g_autoptr(GPtrArray) all = g_ptr_array_new ();
	gboolean changed = FALSE;
	GStrv merged;

	for (guint i = 0; ticket->units[i] != NULL; i++)
		g_ptr_array_add (all, ticket->units[i]);
	for (guint i = 0; units != NULL && units[i] != NULL; i++)
		if (!g_strv_contains ((const char *const *) ticket->units, units[i])) {
			g_ptr_array_add (all, (gpointer) units[i]);
			changed = TRUE;
		}
	if (!changed)
		return FALSE;
	g_ptr_array_sort (all, compare_strings);
	merged = g_new0 (char *, all->len + 1);
	for (guint i = 0; i < all->len; i++)
		merged[i] = g_strdup (g_ptr_array_index (all, i));
	g_strfreev (ticket->units);
	ticket->units = merged;
	return TRUE;
}

XnTicketOutage *
xn_ticket_attach (XnTicketEngine *engine, XnTicket *ticket, const XnOutage *outage, XnTicketLink link)
{
	XnTicketOutage *a = xn_ticket_find_outage (ticket, outage->id);

	if (a == NULL) {
		a = g_new0 (XnTicketOutage, 1);
		a->id = g_strdup (outage->id);
		a->object = g_strdup (outage->object);
		a->link = link;
		a->hold_end = XN_TICKET_NONE;
		a->units = g_strdupv (outage->units);
		g_ptr_array_add (ticket->outages, a);
	}
	a->start = outage->start;
	a->end = outage->end;
	g_hash_table_insert (engine->bound, g_strdup (outage->id), g_strdup (ticket->id));
	if (xn_ticket_add_units (ticket, (const char *const *) outage->units))
		xn_ticket_update_class (engine, ticket);
	return a;
}

void
xn_ticket_merge (XnTicketEngine *engine, XnTicket *from, XnTicket *into, XnInstant at)
{
	GStrvBuilder *builder = g_strv_builder_new ();

	from->status = XN_TICKET_MERGED;
	from->merged_into = g_strdup (into->id);
	if (from->clocks_stopped == XN_TICKET_NONE)
		from->clocks_stopped = at;
	for (guint i = 0; i < from->outages->len; i++) {
		const XnTicketOutage *a = g_ptr_array_index (from->outages, i);
		XnTicketOutage *b;

		if (xn_ticket_find_outage (into, a->id) != NULL)
			continue;
		b = g_new0 (XnTicketOutage, 1);
		*b = *a;
		b->id = g_strdup (a->id);
		b->object = g_strdup (a->object);
		b->units = g_strdupv (a->units);
		if (a->link != XN_TICKET_LINK_DEPENDENT)
			b->link = XN_TICKET_LINK_MERGED;
		g_ptr_array_add (into->outages, b);
		g_hash_table_insert (engine->bound, g_strdup (a->id), g_strdup (into->id));
	}
	g_strv_builder_addv (builder, (const char **) into->merged);
	g_strv_builder_add (builder, from->id);
	g_strfreev (into->merged);
	into->merged = g_strv_builder_end (builder);
	g_strv_builder_unref (builder);
	if (xn_ticket_add_units (into, (const char *const *) from->units))
		xn_ticket_update_class (engine, into);
	/* Only a carrier that was told about the ticket needs to hear it is
	 * now part of another. */
	if (from->told && from->attribution == XN_ATTRIBUTION_CARRIER)
		xn_ticket_engine_emit (engine, from, XN_TICKET_EVENT_MERGED, at, 0, NULL);
}

char *
xn_ticket_breach_id (const XnTicket *ticket, gboolean response)
{
	return g_strdup_printf ("%s-%c", ticket->id, response ? 'R' : 'S');
}

/* ticket-reconcile.c — bringing the tickets in line with the outages.
 *
 * After every fact that changes an outage or a ticket, and whenever a
 * provisional outage of a carrier stops being provisional, the engine
 * looks at the outages that are open and at those of the tickets not yet
 * closed (by id: an old outage that left the outage engine's memory keeps
 * what the ticket last saw of it) and, in this order:
 *   1. outages attributed to a ticket's outages by topology attach to it
 *      (again after step 2, for the tickets it opened);
 *   2. a root outage a compliant maintenance window plans opens nothing
 *      while the window lasts, and a ticket from the window's end if it
 *      is still on then (doc/maintenance.md); any other root outage
 *      nobody holds either reopens a ticket restored less
 *      than the grace before it started (a flap of one of its objects),
 *      or — a carrier's link or node, no longer provisional — goes to the
 *      open manual ticket of a unit it cuts off when the unit phoned
 *      first (and not more than the grace before the outage started), or
 *      opens an automatic ticket XN-<its seq>;
 *   3. a ticket whose root outages all turn out to have been dependents of
 *      another ticket's incident from their start is merged into it (a
 *      manual ticket only if it was reported later), and a manual ticket
 *      whose unit an earlier-reported ticket already covers is merged into
 *      that one;
 *   4. an automatic ticket is restored once no outage holds it: an outage
 *      holds its ticket while it belongs to a carrier outage of the ticket
 *      (or, for a root, to an incident outside the ticket).
 * What each step decides stays decided (events were sent); later facts
 * only add. The rules and their reasons are in doc/sla.md. */
#include "ticket-private.h"

#include <string.h>

typedef struct {
	XnTicketEngine *engine;
	XnInstant       at;
	/* FALSE when no outage changed in this step (time passing, a fault.*
	 * fact): the tickets' ended outages are as last seen. */
	gboolean        outages_changed;
	GHashTable     *sizes;    /* live ticket → how many outages it had before the step */
	GPtrArray      *open;     /* XnOutage, open, in the outage engine's order */
	GPtrArray      *extra;    /* XnOutage looked up by id */
	GHashTable     *view;     /* id → const XnOutage * */
	GHashTable     *missing;  /* ids the outage engine no longer has */
} Scene;

static const XnOutage *
scene_get (Scene *scene, const char *id)
{
	const XnOutage *outage = g_hash_table_lookup (scene->view, id);
	XnOutage *found;

	if (outage != NULL || g_hash_table_contains (scene->missing, id))
		return outage;
	found = xn_outage_engine_lookup (scene->engine->outages, id);
	if (found == NULL) {
		g_hash_table_add (scene->missing, g_strdup (id));
		return NULL;
	}
	g_ptr_array_add (scene->extra, found);
	g_hash_table_insert (scene->view, found->id, found);
	return found;
}

static XnTicket *
bound_to (Scene *scene, const char *outage_id)
{
	const char *id = g_hash_table_lookup (scene->engine->bound, outage_id);

	return id != NULL ? g_hash_table_lookup (scene->engine->by_id, id) : NULL;
}

static XnTicket *
bound_live (Scene *scene, const char *outage_id)
{
	XnTicket *t = bound_to (scene, outage_id);

	return t != NULL && xn_ticket_is_live (t) ? t : NULL;
}

static const char *
object_of (const char *outage_id)
{
	const char *colon = strchr (outage_id, ':');

	return colon != NULL ? colon + 1 : outage_id;
}

/* Drops the bindings of closed (or forgotten) tickets whose outages have
 * ended: they can never open anything again. */
static void
forget (Scene *scene)
{
	GHashTableIter iter;
	const char *id;

	g_hash_table_iter_init (&iter, scene->engine->bound);
	while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
		if (bound_live (scene, id) == NULL && !g_hash_table_contains (scene->view, id))
			g_hash_table_iter_remove (&iter);
}

/* Reads again the live tickets' outages when a report may have changed
 * them: a late report can re-attribute, split or extend any outage, ended
 * or not (doc/outages.md), and reading one is the costliest thing
 * reconciling does, so steps that changed no outage skip it. */
static void
refresh (Scene *scene)
{
	GPtrArray *tickets = scene->engine->live;

	for (guint i = 0; i < tickets->len; i++) {
		XnTicket *t = g_ptr_array_index (tickets, i);

		g_hash_table_insert (scene->sizes, t, GUINT_TO_POINTER (t->outages->len));
		for (guint k = 0; xn_ticket_is_live (t) && k < t->outages->len; k++) {
			XnTicketOutage *a = g_ptr_array_index (t->outages, k);
			const XnOutage *o = scene->outages_changed ? scene_get (scene, a->id) : NULL;

			if (o != NULL) {
				a->start = o->start;
				a->end = o->end;
			}
		}
	}
}

static void
reopen (Scene *scene, XnTicket *t, const XnOutage *outage)
{
	XnInstant at = scene->at;

	t->status = XN_TICKET_OPEN;
	t->restored = XN_TICKET_NONE;
	t->restore_confirmed = FALSE;
	g_clear_pointer (&t->restore_note, g_free);
	t->reopens++;
	if (outage != NULL) {
		xn_ticket_attach (scene->engine, t, outage, XN_TICKET_LINK_FLAP);
		at = MAX (at, outage->start);
	}
	if (t->attribution == XN_ATTRIBUTION_CARRIER && t->told)
		xn_ticket_engine_emit (scene->engine, t, XN_TICKET_EVENT_REOPENED, at, t->reopens, NULL);
}

static gboolean
reopen_flap (Scene *scene, const XnOutage *o)
{
	GPtrArray *tickets = scene->engine->live;

	for (guint i = 0; i < tickets->len; i++) {
		XnTicket *t = g_ptr_array_index (tickets, i);

		if (t->status != XN_TICKET_RESTORED || o->start < t->restored || o->start > t->restored + t->grace_us)
			continue;
		/* Only what can hold the ticket open reopens it (see hold_end). */
		if (xn_ticket_carrier_of (scene->engine->inventory, o->object) == NULL)
			continue;
		for (guint k = 0; k < t->outages->len; k++)
			if (strcmp (((XnTicketOutage *) g_ptr_array_index (t->outages, k))->object, o->object) == 0) {
				reopen (scene, t, o);
				return TRUE;
			}
	}
	return FALSE;
}

/* The open manual ticket the outage goes to: of a unit it cuts off,
 * reported no later than the outage's report time and at most the grace
 * before the outage started (an older call was about something else). */
static XnTicket *
manual_for (Scene *scene, const XnOutage *o, XnInstant report)
{
	GPtrArray *tickets = scene->engine->live;
	XnTicket *best = NULL;

	for (guint i = 0; i < tickets->len; i++) {
		XnTicket *t = g_ptr_array_index (tickets, i);

		if (!t->manual || t->status != XN_TICKET_OPEN || t->attribution != XN_ATTRIBUTION_CARRIER ||
		    !g_strv_contains ((const char *const *) o->units, t->unit) || t->report > report ||
		    o->start > t->report + t->grace_us)
			continue;
		if (best == NULL || t->report < best->report)
			best = t;
	}
	return best;
}

static char *
site_of (const XnInventory *inventory, const char *object, const char **rule)
{
	const XnLink *link = g_str_has_prefix (object, "link/") ? xn_inventory_link_by_id (inventory, object + 5) : NULL;
	const XnNode *node = g_str_has_prefix (object, "node/") ? xn_inventory_node_by_name (inventory, object + 5) : NULL;

	if (link != NULL && link->sla_site_name != NULL) {
		*rule = "link sla-site";
		return g_strdup (link->sla_site_name);
	}
	if (link != NULL && link->z.node != NULL) {
		*rule = "z-end node site";
		return g_strdup (link->z.node->site_name);
	}
	if (link != NULL && link->a.node != NULL) {
		*rule = "a-end node site";
		return g_strdup (link->a.node->site_name);
	}
	if (node != NULL) {
		*rule = "node site";
		return g_strdup (node->site_name);
	}
	*rule = NULL;
	return NULL;
}

/* The windows that list the object and cover `at` but do not comply:
 * they excluded nothing, and the ticket says so. */
static GStrv
flagged_windows (const XnTicketEngine *engine, const char *object, XnInstant at)
{
	g_autoptr(GPtrArray) flagged = NULL;
	GStrvBuilder *builder = g_strv_builder_new ();
	GStrv ids;

	if (engine->book != NULL) {
		flagged = xn_maintenance_book_flagged (engine->book);
		for (guint i = 0; i < flagged->len; i++) {
			const XnMaintenanceWindow *w = g_ptr_array_index (flagged, i);

			if (w->start <= at && at < w->end && xn_maintenance_window_in_scope (w, object))
				g_strv_builder_add (builder, w->id);
		}
	}
	ids = g_strv_builder_end (builder);
	g_strv_builder_unref (builder);
	return ids;
}

static void
open_automatic (Scene *scene, const XnOutage *o, XnInstant report, gint64 report_seq, const char *rule,
		XnInstant opened)
{
	XnTicketEngine *engine = scene->engine;
	g_autofree char *id = g_strdup_printf ("XN-%06" G_GINT64_FORMAT, o->seq);
	XnTicket *t = g_hash_table_lookup (engine->by_id, id);
	const char *site_rule = NULL;

	/* Two root outages opened by one fact share the seq: one ticket. */
	if (t != NULL) {
		if (xn_ticket_is_live (t))
			xn_ticket_attach (engine, t, o, XN_TICKET_LINK_ROOT);
		else
			g_hash_table_insert (engine->bound, g_strdup (o->id), g_strdup (t->id));
		return;
	}
	t = xn_ticket_new_empty (id, o->seq);
	t->carrier = g_strdup (xn_ticket_carrier_of (engine->inventory, o->object)->name);
	t->object = g_strdup (o->object);
	t->root_outage = g_strdup (o->id);
	if (g_str_has_prefix (o->object, "link/"))
		t->link_id = g_strdup (o->object + 5);
	t->site = site_of (engine->inventory, o->object, &site_rule);
	t->site_rule = g_strdup (site_rule);
	t->fault_start = o->start;
	t->opened = opened;
	g_strfreev (t->flagged);
	t->flagged = flagged_windows (engine, o->object, o->start);
	t->complex_target_us = engine->options.complex_target_us;
	g_array_append_vals (t->escalation, engine->options.escalation, engine->options.n_escalation);
	t->grace_us = engine->options.grace_us;
	xn_ticket_engine_insert (engine, t);
	xn_ticket_attach (engine, t, o, XN_TICKET_LINK_ROOT);
	xn_ticket_update_class (engine, t);
	xn_ticket_set_report (engine, t, report, report_seq, rule);
	xn_ticket_engine_emit (engine, t, XN_TICKET_EVENT_OPENED, opened, 0, NULL);
}

/* A carrier's root outage, no longer provisional: R is when the fact that
 * opened it was recorded, never before the stretch in which it is its own
 * root began; the ticket opens when the outage stopped being provisional
 * (or became a root), never before R nor before this step. */
/* The compliant window that plans the outage (its object in scope, or it
 * began as a dependent of a root in scope), with the instant its planned
 * part ends; NULL when it is not planned. */
static const XnMaintenanceWindow *
planned (Scene *scene, const XnOutage *o, XnInstant *until)
{
	const XnOutageSegment *first = g_ptr_array_index (o->segments, 0);
	const XnOutage *root = strcmp (first->root_id, o->id) != 0 ? scene_get (scene, first->root_id) : NULL;
	XnInstant from;

	if (scene->engine->book == NULL)
		return NULL;
	return xn_maintenance_book_plans (scene->engine->book, o, root, &from, until);
}

/* Planned, and its window is not over yet: nothing opens. */
static gboolean
waiting (Scene *scene, const XnOutage *o, XnInstant *until)
{
	return planned (scene, o, until) != NULL && *until > scene->at;
}

static void
open_incident (Scene *scene, const XnOutage *o)
{
	XnTicketEngine *engine = scene->engine;
	const XnOutageSegment *last = g_ptr_array_index (o->segments, o->segments->len - 1);
	const XnTicketRecorded *rec = g_hash_table_lookup (engine->recorded, &o->seq);
	XnInstant eligible = o->segments->len == 1 ? o->start + engine->outage_options.correlation_window_us
		: last->from;
	XnInstant report = last->from;
	const char *rule = o->segments->len == 1 ? "outage-start" : "segment-start";
	gint64 report_seq = 0;
	XnTicket *manual;
	XnInstant until;

	const XnMaintenanceWindow *window = planned (scene, o, &until);

	if (rec != NULL && rec->recorded >= last->from) {
		report = rec->recorded;
		rule = "recorded";
		report_seq = o->seq;
	}
	/* Still on when its window ended: an overrun, the carrier's from the
	 * window's end (when the window planned it to the end: a dependent
	 * whose root came back early is a fault of its own from then). */
	if (window != NULL && until == window->end) {
		report = until;
		rule = "window-end";
		report_seq = 0;
		eligible = MAX (eligible, until);
	} else {
		window = NULL;
	}
	manual = manual_for (scene, o, report);
	if (manual != NULL) {
		if (manual->object == NULL) {
			manual->object = g_strdup (o->object);
			manual->root_outage = g_strdup (o->id);
		}
		xn_ticket_attach (engine, manual, o, XN_TICKET_LINK_ROOT);
		return;
	}
	open_automatic (scene, o, report, report_seq, rule, MAX (MAX (report, eligible), scene->at));
	if (window != NULL) {
		XnTicket *t = g_hash_table_lookup (scene->engine->by_id, g_hash_table_lookup (scene->engine->bound, o->id));

		if (t != NULL && t->window == NULL)
			t->window = g_strdup (window->id);
	}
}

static void
roots (Scene *scene)
{
	for (guint i = 0; i < scene->open->len; i++) {
		const XnOutage *o = g_ptr_array_index (scene->open, i);

		XnInstant until;

		if (g_hash_table_contains (scene->engine->bound, o->id) ||
		    strcmp (xn_outage_current_root (o), o->id) != 0)
			continue;
		/* Before a flap: a restored ticket's object going down for its
		 * maintenance is not the fault coming back. */
		if (waiting (scene, o, &until))
			continue;
		if (reopen_flap (scene, o))
			continue;
		if (o->provisional || xn_ticket_carrier_of (scene->engine->inventory, o->object) == NULL)
			continue;
		open_incident (scene, o);
	}
}

static gboolean
attach_dependents_of (Scene *scene, XnTicket *t)
{
	gboolean changed = FALSE;

	for (guint k = 0; k < t->outages->len; k++) {
		const XnTicketOutage *a = g_ptr_array_index (t->outages, k);
		const XnOutage *o = g_hash_table_lookup (scene->view, a->id);

		for (guint d = 0; o != NULL && o->dependents[d] != NULL; d++) {
			const XnOutage *dependent;

			if (g_hash_table_contains (scene->engine->bound, o->dependents[d]))
				continue;
			dependent = scene_get (scene, o->dependents[d]);
			if (dependent != NULL) {
				xn_ticket_attach (scene->engine, t, dependent, XN_TICKET_LINK_DEPENDENT);
				changed = TRUE;
			}
		}
	}
	return changed;
}

static void
dependents (Scene *scene)
{
	GPtrArray *tickets = scene->engine->live;
	gboolean changed = TRUE;

	while (changed) {
		changed = FALSE;
		for (guint i = 0; i < tickets->len; i++) {
			XnTicket *t = g_ptr_array_index (tickets, i);

			if (xn_ticket_is_live (t))
				changed = attach_dependents_of (scene, t) || changed;
		}
		for (guint i = 0; i < scene->open->len; i++) {
			const XnOutage *o = g_ptr_array_index (scene->open, i);
			XnTicket *t;

			if (g_hash_table_contains (scene->engine->bound, o->id))
				continue;
			t = bound_live (scene, xn_outage_current_root (o));
			if (t != NULL) {
				xn_ticket_attach (scene->engine, t, o, XN_TICKET_LINK_DEPENDENT);
				changed = TRUE;
			}
		}
	}
}

static gboolean
earlier (const XnTicket *a, const XnTicket *b)
{
	return a->report < b->report || (a->report == b->report && a->seq < b->seq);
}

/* The ticket whose incident every open root outage of `t` belonged to
 * from its start (a late fact showed it was a dependent all along), or
 * NULL. A root that failed on its own and is swallowed by a later
 * incident keeps its ticket: that fault came first. */
static XnTicket *
merge_target (Scene *scene, XnTicket *t)
{
	XnTicket *target = NULL;
	guint roots_open = 0;

	for (guint k = 0; k < t->outages->len; k++) {
		const XnTicketOutage *a = g_ptr_array_index (t->outages, k);
		const XnOutage *o;
		const char *root;
		XnTicket *u;

		if (a->link == XN_TICKET_LINK_DEPENDENT || a->end != XN_OUTAGE_OPEN ||
		    (o = scene_get (scene, a->id)) == NULL)
			continue;
		roots_open++;
		root = ((XnOutageSegment *) g_ptr_array_index (o->segments, 0))->root_id;
		u = bound_live (scene, root);
		if (u == NULL || u == t || u->status != XN_TICKET_OPEN || (target != NULL && target != u))
			return NULL;
		target = u;
	}
	if (roots_open == 0 || target == NULL || (t->manual && !earlier (target, t)))
		return NULL;
	return target;
}

/* The earliest-reported open ticket that already covers a manual
 * ticket's unit. */
static XnTicket *
covering_ticket (Scene *scene, XnTicket *m)
{
	GPtrArray *tickets = scene->engine->live;
	XnTicket *best = NULL;

	for (guint i = 0; i < tickets->len; i++) {
		XnTicket *u = g_ptr_array_index (tickets, i);

		if (u == m || u->status != XN_TICKET_OPEN || !earlier (u, m) ||
		    !g_strv_contains ((const char *const *) u->units, m->unit))
			continue;
		if (best == NULL || earlier (u, best))
			best = u;
	}
	return best;
}

static void
merges (Scene *scene)
{
	GPtrArray *tickets = scene->engine->live;

	for (guint i = 0; i < tickets->len; i++) {
		XnTicket *t = g_ptr_array_index (tickets, i);
		XnTicket *into;

		if (t->status != XN_TICKET_OPEN)
			continue;
		into = merge_target (scene, t);
		if (into == NULL && t->manual)
			into = covering_ticket (scene, t);
		if (into != NULL)
			xn_ticket_merge (scene->engine, t, into, scene->at);
	}
}

/* Until when `a` holds ticket `t` open (doc/sla.md, "Restore"). */
static XnInstant
hold_end (Scene *scene, const XnTicket *t, const XnTicketOutage *a, const XnOutage *o)
{
	XnInstant end = XN_TICKET_NONE;

	for (guint i = 0; i < o->segments->len; i++) {
		const XnOutageSegment *s = g_ptr_array_index (o->segments, i);
		gboolean holds;

		if (xn_ticket_find_outage (t, s->root_id) != NULL)
			holds = xn_ticket_carrier_of (scene->engine->inventory, object_of (s->root_id)) != NULL;
		else
			holds = a->link != XN_TICKET_LINK_DEPENDENT;
		if (holds)
			end = end == XN_OUTAGE_OPEN || s->to == XN_OUTAGE_OPEN ? XN_OUTAGE_OPEN : MAX (end, s->to);
	}
	return end;
}

static void
restores (Scene *scene)
{
	GPtrArray *tickets = scene->engine->live;

	for (guint i = 0; i < tickets->len; i++) {
		XnTicket *t = g_ptr_array_index (tickets, i);
		XnInstant last = XN_TICKET_NONE;
		gboolean holding = FALSE;
		gboolean grew;

		if (!xn_ticket_is_live (t))
			continue;
		grew = !g_hash_table_contains (scene->sizes, t) ||
			GPOINTER_TO_UINT (g_hash_table_lookup (scene->sizes, t)) != t->outages->len;
		for (guint k = 0; k < t->outages->len; k++) {
			XnTicketOutage *a = g_ptr_array_index (t->outages, k);
			/* What refresh did not read stays as last seen, unless the
			 * ticket gained outages: who holds it may change then. */
			const XnOutage *o = grew ? scene_get (scene, a->id) : g_hash_table_lookup (scene->view, a->id);

			if (o != NULL)
				a->hold_end = hold_end (scene, t, a, o);
			if (a->hold_end == XN_OUTAGE_OPEN)
				holding = TRUE;
			else if (a->hold_end != XN_TICKET_NONE)
				last = MAX (last, a->hold_end);
		}
		/* Manual tickets restore by confirmation only. */
		if (t->manual || t->restore_confirmed)
			continue;
		if (holding && t->status == XN_TICKET_RESTORED)
			reopen (scene, t, NULL);
		else if (!holding && last != XN_TICKET_NONE) {
			t->status = XN_TICKET_RESTORED;
			t->restored = last;
		}
	}
}

static void
expiry_and_prune (Scene *scene)
{
	XnTicketEngine *engine = scene->engine;
	XnInstant now = xn_outage_engine_now (engine->outages);
	g_autoptr(GHashTable) open_seqs = g_hash_table_new (g_int64_hash, g_int64_equal);
	GHashTableIter iter;
	gint64 *seq;
	XnTicketRecorded *rec;

	engine->next_expiry = XN_TICKET_NONE;
	for (guint i = 0; i < scene->open->len; i++) {
		const XnOutage *o = g_ptr_array_index (scene->open, i);
		XnInstant expiry = o->start + engine->outage_options.correlation_window_us;

		XnInstant until;

		g_hash_table_add (open_seqs, (gpointer) &o->seq);
		if (g_hash_table_contains (engine->bound, o->id) ||
		    xn_ticket_carrier_of (engine->inventory, o->object) == NULL)
			continue;
		/* A planned root outage of a carrier waits for its window's end. */
		if (strcmp (xn_outage_current_root (o), o->id) == 0 && waiting (scene, o, &until))
			expiry = MAX (expiry, until);
		else if (!o->provisional)
			continue;
		if (engine->next_expiry == XN_TICKET_NONE || expiry < engine->next_expiry)
			engine->next_expiry = expiry;
	}
	/* A report older than twice the reorder horizon can no longer open
	 * an outage (doc/outages.md, "Late facts"). */
	g_hash_table_iter_init (&iter, engine->recorded);
	while (g_hash_table_iter_next (&iter, (gpointer *) &seq, (gpointer *) &rec))
		if (rec->ts < now - 2 * XN_OUTAGE_REORDER_HORIZON && !g_hash_table_contains (open_seqs, seq))
			g_hash_table_iter_remove (&iter);
}

void
xn_ticket_engine_reconcile (XnTicketEngine *engine, XnInstant at, gboolean outages_changed)
{
	Scene scene = { engine, at, outages_changed, NULL, NULL, NULL, NULL, NULL };

	scene.open = xn_outage_engine_list (engine->outages, TRUE);
	scene.extra = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_outage_free);
	scene.view = g_hash_table_new (g_str_hash, g_str_equal);
	scene.missing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	scene.sizes = g_hash_table_new (NULL, NULL);
	for (guint i = 0; i < scene.open->len; i++) {
		XnOutage *o = g_ptr_array_index (scene.open, i);

		g_hash_table_insert (scene.view, o->id, o);
	}
	xn_ticket_engine_live (engine);
	forget (&scene);
	refresh (&scene);
	/* Dependents first: an outage a ticket's root claimed, even one that
	 * is its own root by now, is that ticket's and opens none. */
	dependents (&scene);
	roots (&scene);
	dependents (&scene);
	merges (&scene);
	restores (&scene);
	expiry_and_prune (&scene);
	g_hash_table_unref (scene.missing);
	g_hash_table_unref (scene.sizes);
	g_hash_table_unref (scene.view);
	g_ptr_array_unref (scene.extra);
	g_ptr_array_unref (scene.open);
}

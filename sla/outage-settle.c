/* outage-settle.c — outages that no fact can change any more leave the
 * engine's working state.
 *
 * A report dated t changes only outages that end at t − lookback or later
 * (outage-query.c: attribution reaches no further in time), and reports
 * dated at or before the sealed line are refused as late (outage.c). So
 * once the settle line L = newest report − reorder horizon − lookback has
 * passed a closed outage's end, the sealed line can be moved to end +
 * lookback without refusing any report less than a horizon late, and the
 * outage is final. It may leave the working state if nothing that stays
 * needs it: no outage that stays names it (as a root of one of its
 * segments, or as one of its dependents) or is named by it, no outage that
 * stays and depends on its object (the object is in that outage's
 * closure) started before it ended (that outage's attribution is computed
 * from the spans of its closure over its whole length), and every earlier
 * outage of its object settles too (an object's settled outages are a
 * prefix of its own). A pass finds the closed outages before L, takes out
 * of that set what one of these rules keeps, again and again until nothing
 * more is taken out, builds the rest in their final form (for the caller,
 * and for the list when the engine keeps them), removes them, moves the
 * sealed line, and cuts from every signal the reports no remaining outage
 * needs. The rules and their reasons are in doc/outages.md ("Settling").
 * What a pass settles depends only on the facts fed, so a snapshot, a
 * restore or another split into batches settle the same outages. */
#include "outage-private.h"

typedef struct {
	XnOutageEngine *engine;
	guint          *count;       /* per object: how many of its first spans may settle */
	GArray         *blocked;     /* guint objects whose count dropped, to pass on */
	GHashTable     *relations;   /* const XnSpan * → GArray of XnSpanRef */
	XnQuery        *query;
} Pass;

static XnObjectState *
state_at (const Pass *pass, guint index)
{
	return &pass->engine->states[index];
}

static const XnSpan *
span_at (const XnObjectState *state, guint k)
{
	return g_ptr_array_index (state->spans, k);
}

/* Keeps the spans of `object` from index k on. */
static void
keep_from (Pass *pass, guint object, guint k)
{
	if (k >= pass->count[object])
		return;
	pass->count[object] = k;
	g_array_append_val (pass->blocked, object);
}

/* An outage that stays and started at `start` keeps the spans of every
 * object in its closure that end after `start`. */
static void
keep_closure_after (Pass *pass, const XnTopoObject *object, XnInstant start)
{
	for (guint i = 0; i < object->closure->len; i++) {
		const XnTopoObject *above = g_ptr_array_index (object->closure, i);

		keep_from (pass, above->index, xn_object_span_index_after (state_at (pass, above->index), start));
	}
}

/* Spans that stay because of keep_from() keep more in turn. Each object's
 * count only goes down, so this ends. */
static void
pass_on (Pass *pass)
{
	while (pass->blocked->len > 0) {
		guint object = g_array_index (pass->blocked, guint, pass->blocked->len - 1);
		const XnObjectState *state = state_at (pass, object);

		g_array_set_size (pass->blocked, pass->blocked->len - 1);
		if (pass->count[object] < state->spans->len)
			keep_closure_after (pass, state->object, span_at (state, pass->count[object])->start);
	}
}

static const GArray *
relations_of (Pass *pass, XnSpanRef x)
{
	GArray *related = g_hash_table_lookup (pass->relations, x.span);

	if (related == NULL) {
		related = g_array_new (FALSE, FALSE, sizeof (XnSpanRef));
		xn_query_relations (pass->query, x, related);
		g_hash_table_insert (pass->relations, (gpointer) x.span, related);
	}
	return related;
}

/* Whether `r` is among the spans that may still settle. */
static gboolean
may_settle (const Pass *pass, XnSpanRef r)
{
	guint object = r.state->object->index;

	/* spans are disjoint: the first one ending after r's start is r */
	return xn_object_span_index_after (r.state, r.span->start) < pass->count[object];
}

/* One sweep of the relation rule; TRUE when it kept something more. */
static gboolean
keep_related (Pass *pass)
{
	gboolean kept = FALSE;

	for (guint i = 0; i < pass->engine->topology->objects->len; i++) {
		const XnObjectState *state = state_at (pass, i);

		for (guint k = 0; k < pass->count[i]; k++) {
			XnSpanRef x = { state, span_at (state, k) };
			const GArray *related = relations_of (pass, x);

			for (guint r = 0; r < related->len; r++) {
				if (may_settle (pass, g_array_index (related, XnSpanRef, r)))
					continue;
				keep_from (pass, i, k);
				pass_on (pass);
				kept = TRUE;
				break;
			}
		}
	}
	return kept;
}

/* Drops the reports before the earliest instant anything still needs:
 * the start of the first remaining span of each object using the signal,
 * and the sealed line (reports after it can still be placed next to
 * later ones). */
static void
cut_reports (XnOutageEngine *engine)
{
	GHashTableIter iter;
	XnSignal *signal;

	g_hash_table_iter_init (&iter, engine->signals);
	while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &signal)) {
		const GPtrArray *users;
		XnInstant cut = engine->sealed;
		guint n;

		if (signal->reports->len == 0)
			continue;
		users = xn_topology_signal_users (engine->topology, signal->subject);
		for (guint i = 0; i < users->len; i++) {
			const XnObjectState *state = &engine->states[((XnTopoObject *) g_ptr_array_index (users, i))->index];

			if (state->spans->len > 0)
				cut = MIN (cut, span_at (state, 0)->start);
		}
		n = xn_signal_index_at (signal, cut);
		if (n > 0)
			g_array_remove_range (signal->reports, 0, n);
	}
}

/* Builds what settles (all of it, before anything is removed: each
 * outage's listing reads the others), hands it over, removes it. */
static void
settle_counted (Pass *pass)
{
	XnOutageEngine *engine = pass->engine;
	guint n_objects = engine->topology->objects->len;

	for (guint i = 0; i < n_objects; i++) {
		const XnObjectState *state = state_at (pass, i);

		for (guint k = 0; k < pass->count[i]; k++) {
			XnSpanRef x = { state, span_at (state, k) };
			XnOutage *outage = xn_query_build (pass->query, x);

			if (engine->options.keep_settled) {
				g_ptr_array_add (engine->kept, outage);
				g_hash_table_insert (engine->kept_by_id, outage->id, outage);
			} else {
				engine->forgot = TRUE;
				g_ptr_array_add (engine->settled, outage);
			}
		}
	}
	for (guint i = 0; i < n_objects; i++) {
		XnObjectState *state = &engine->states[i];
		XnInstant end;

		if (pass->count[i] == 0)
			continue;
		end = span_at (state, pass->count[i] - 1)->end;
		state->settled_end = end;
		engine->sealed = MAX (engine->sealed, end + engine->lookback);
		g_ptr_array_remove_range (state->spans, 0, pass->count[i]);
	}
}

void
xn_outage_engine_settle (XnOutageEngine *engine, XnInstant line)
{
	guint n_objects = engine->topology->objects->len;
	g_autofree guint *count = g_new0 (guint, n_objects);
	Pass pass = { engine, count, NULL, NULL, NULL };
	gboolean any = FALSE;

	for (guint i = 0; i < n_objects; i++) {
		count[i] = xn_object_span_index_after (&engine->states[i], line);
		any = any || count[i] > 0;
	}
	if (!any)
		return;
	pass.blocked = g_array_new (FALSE, FALSE, sizeof (guint));
	pass.relations = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
	pass.query = xn_query_new (engine);
	/* Outages across the line stay, and keep what their closure had
	 * while they ran. */
	for (guint i = 0; i < n_objects; i++) {
		const XnObjectState *state = &engine->states[i];
		guint k = count[i];

		if (k < state->spans->len && span_at (state, k)->start < line)
			keep_closure_after (&pass, state->object, span_at (state, k)->start);
	}
	pass_on (&pass);
	while (keep_related (&pass))
		;
	settle_counted (&pass);
	cut_reports (engine);
	xn_query_free (pass.query);
	g_hash_table_unref (pass.relations);
	g_array_unref (pass.blocked);
}

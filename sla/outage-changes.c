/* outage-changes.c — what changed since the last step, found without
 * listing every outage.
 *
 * A report dated t on a signal re-derives, for each object using that
 * signal, the spans ending at or after t (outage.c notes the object with t,
 * and the spans it dropped). What that can change in the listings:
 * - the object's own spans from t on (its earlier ones are attributed
 *   through its closure, which the report did not touch);
 * - the attribution of outages of the objects downstream of it, but only
 *   of those ending at or after t − lookback: attribution reaches no
 *   further back (outage-query.c);
 * - the dependents of the roots those outages had and have now: both lie
 *   among the outages of their closure that overlap them, or start within
 *   a lookback after they end; the same for the roots of dropped spans.
 * Advancing `now` changes only whether an open outage is provisional,
 * which changes when `now` passes its start plus the window. Outages that
 * settled are handed over once, in their final form. An id dropped and not
 * derived again is removed. A new engine's first take is everything it
 * derived (every span was made by a report); a restored one's, what
 * changed since the snapshot. What is noted between takes stays bounded:
 * one mark per object, one entry per dropped id. This file only reads the
 * spans; it changes nothing an outage's listing depends on. */
#include "outage-private.h"

#include <string.h>

static guint
vanished_hash (gconstpointer key)
{
	const XnVanished *v = key;

	return g_int64_hash (&v->seq) ^ (v->object * 2654435761u);
}

static gboolean
vanished_equal (gconstpointer a, gconstpointer b)
{
	const XnVanished *x = a, *y = b;

	return x->object == y->object && x->seq == y->seq;
}

GHashTable *
xn_vanished_new (void)
{
	return g_hash_table_new_full (vanished_hash, vanished_equal, g_free, NULL);
}

void
xn_vanished_note (GHashTable *vanished, guint object, gint64 seq, XnInstant start, XnInstant end)
{
	XnVanished key = { object, seq, start, end };
	XnVanished *known = g_hash_table_lookup (vanished, &key);

	if (known == NULL) {
		known = g_memdup2 (&key, sizeof key);
		g_hash_table_add (vanished, known);
	}
	known->start = MIN (known->start, start);
	known->end = MAX (known->end, end);
}

typedef struct {
	GHashTable *seen;     /* const XnSpan * */
	GArray     *refs;     /* XnSpanRef, once each */
} Dirty;

static void
add (Dirty *d, const XnObjectState *state, const XnSpan *span)
{
	XnSpanRef x = { state, span };

	if (g_hash_table_add (d->seen, (gpointer) span))
		g_array_append_val (d->refs, x);
}

/* The spans of `state` that end at or after `from`. */
static void
add_ending_from (Dirty *d, const XnObjectState *state, XnInstant from)
{
	guint k = from == G_MININT64 ? 0 : xn_object_span_index_after (state, from - 1);

	for (; k < state->spans->len; k++)
		add (d, state, g_ptr_array_index (state->spans, k));
}

/* The spans of `state` that overlap [lo, hi). */
static void
add_overlapping (Dirty *d, const XnObjectState *state, XnInstant lo, XnInstant hi)
{
	for (guint k = xn_object_span_index_after (state, lo); k < state->spans->len; k++) {
		const XnSpan *span = g_ptr_array_index (state->spans, k);

		if (span->start >= hi)
			break;
		add (d, state, span);
	}
}

/* The outages that can be roots of an outage of `object` from `start` to
 * `end`: its old roots and its new ones. */
static void
add_roots (const XnOutageEngine *engine, Dirty *d, const XnTopoObject *object, XnInstant start, XnInstant end)
{
	XnInstant hi = end >= G_MAXINT64 - engine->lookback ? G_MAXINT64 : end + engine->lookback;

	for (guint i = 0; i < object->closure->len; i++) {
		const XnTopoObject *above = g_ptr_array_index (object->closure, i);

		add_overlapping (d, &engine->states[above->index], start, hi);
	}
}

/* Per object, from which end on its spans may have changed (G_MAXINT64:
 * none); the marks are cleared. */
static XnInstant *
changed_from (XnOutageEngine *engine)
{
	guint n = engine->topology->objects->len;
	XnInstant *from = g_new (XnInstant, n);
	gint64 window = engine->options.correlation_window_us;

	for (guint i = 0; i < n; i++)
		from[i] = G_MAXINT64;
	for (guint i = 0; i < engine->marked->len; i++) {
		XnObjectState *state = &engine->states[g_array_index (engine->marked, guint, i)];
		const GPtrArray *downstream = state->object->downstream;

		from[state->object->index] = MIN (from[state->object->index], state->mark);
		for (guint k = 0; k < downstream->len; k++) {
			guint d = ((XnTopoObject *) g_ptr_array_index (downstream, k))->index;

			from[d] = MIN (from[d], state->mark - engine->lookback);
		}
		state->mark = G_MAXINT64;
	}
	g_array_set_size (engine->marked, 0);
	/* an open outage stops being provisional when `now` passes its
	 * start plus the window */
	for (guint i = 0; engine->now > engine->listed_now && i < n; i++) {
		const GPtrArray *spans = engine->states[i].spans;
		const XnSpan *last = spans->len > 0 ? g_ptr_array_index (spans, spans->len - 1) : NULL;

		if (last != NULL && last->end == XN_OUTAGE_OPEN && last->start + window > engine->listed_now &&
		    last->start + window <= engine->now)
			from[i] = MIN (from[i], last->start);
	}
	return from;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
take_settled (XnOutageEngine *engine, GPtrArray *changed, GHashTable *ids)
{
	for (guint i = engine->kept_taken; i < engine->kept->len; i++) {
		XnOutage *outage = xn_outage_copy (g_ptr_array_index (engine->kept, i));

		g_ptr_array_add (changed, outage);
		g_hash_table_add (ids, outage->id);
	}
	engine->kept_taken = engine->kept->len;
	while (engine->settled->len > 0) {
		XnOutage *outage = g_ptr_array_steal_index_fast (engine->settled, engine->settled->len - 1);

		g_ptr_array_add (changed, outage);
		g_hash_table_add (ids, outage->id);
	}
}

static GPtrArray *
take_removed (XnOutageEngine *engine, GHashTable *listed)
{
	GPtrArray *removed = g_ptr_array_new_with_free_func (g_free);
	GHashTableIter iter;
	const XnVanished *v;

	g_hash_table_iter_init (&iter, engine->vanished);
	while (g_hash_table_iter_next (&iter, (gpointer *) &v, NULL)) {
		char *id = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", v->seq,
					    ((XnTopoObject *) g_ptr_array_index (engine->topology->objects, v->object))->name);

		if (g_hash_table_contains (listed, id))
			g_free (id);
		else
			g_ptr_array_add (removed, id);
	}
	g_hash_table_remove_all (engine->vanished);
	g_ptr_array_sort (removed, compare_strings);
	return removed;
}

void
xn_outage_engine_take_changes (XnOutageEngine *engine, GPtrArray **changed, GPtrArray **removed)
{
	g_autofree XnInstant *from = NULL;
	g_autoptr(GHashTable) ids = NULL;
	g_autoptr(XnQuery) query = NULL;
	GHashTableIter iter;
	const XnVanished *v;
	Dirty d;
	guint direct;

	from = changed_from (engine);
	engine->listed_now = engine->now;
	d.seen = g_hash_table_new (NULL, NULL);
	d.refs = g_array_new (FALSE, FALSE, sizeof (XnSpanRef));
	for (guint i = 0; i < engine->topology->objects->len; i++)
		if (from[i] != G_MAXINT64)
			add_ending_from (&d, &engine->states[i], from[i]);
	direct = d.refs->len;
	for (guint i = 0; i < direct; i++) {
		XnSpanRef x = g_array_index (d.refs, XnSpanRef, i);

		add_roots (engine, &d, x.state->object, x.span->start, x.span->end);
	}
	g_hash_table_iter_init (&iter, engine->vanished);
	while (g_hash_table_iter_next (&iter, (gpointer *) &v, NULL))
		add_roots (engine, &d, g_ptr_array_index (engine->topology->objects, v->object), v->start, v->end);
	*changed = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_outage_free);
	ids = g_hash_table_new (g_str_hash, g_str_equal);
	query = xn_query_new (engine);
	for (guint i = 0; i < d.refs->len; i++) {
		XnOutage *outage = xn_query_build (query, g_array_index (d.refs, XnSpanRef, i));

		g_ptr_array_add (*changed, outage);
		g_hash_table_add (ids, outage->id);
	}
	take_settled (engine, *changed, ids);
	g_ptr_array_sort (*changed, xn_outage_compare);
	*removed = take_removed (engine, ids);
	g_hash_table_unref (d.seen);
	g_array_unref (d.refs);
}

XnInstant
xn_outage_engine_next_expiry (const XnOutageEngine *engine)
{
	XnInstant first = G_MAXINT64;

	for (guint i = 0; i < engine->topology->objects->len; i++) {
		const XnObjectState *state = &engine->states[i];
		XnSpanRef x = { state, state->spans->len > 0 ? g_ptr_array_index (state->spans, state->spans->len - 1) : NULL };

		if (x.span != NULL && xn_query_provisional (engine, x))
			first = MIN (first, x.span->start + engine->options.correlation_window_us);
	}
	return first;
}

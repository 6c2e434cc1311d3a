/* outage-query.c — root cause by topology, and outages as the caller sees them.
 *
 * Attribution is a function of the spans (outage-private.h), computed when
 * asked for, never stored: so it needs no snapshot, cannot drift from the
 * spans, and a late fact re-attributes everything it touches. At an
 * instant t the root of an outage is the topmost outage met walking up its
 * dependencies (parent node; all uplinks at once; a link's upper node; a
 * link's lower node while that node's unreachability is the link's only
 * fault), passing through ancestors that have none; an ancestor's outage
 * is met if it holds t or, within the correlation window, starts after t
 * while the outage below is still open. The segments of an outage are the
 * stretches over which its root stays the same. Roots can only change at
 * some report's ts on a signal of the outage's dependency closure, so those
 * are the only instants evaluated. Dependents are found
 * among the outages of the objects downstream of the root. A walk meets at
 * most max_closure + 1 outages, each starting at most one window after the
 * one before, so nothing further than the engine's lookback in time can be
 * related: settling and the changes between steps rely on that bound.
 * Settled outages the engine keeps are listed with the others. */
#include "outage-private.h"

#include <string.h>

/* A walk up is at most this long: the parent chain and an uplink
 * per hop, plus a link's two ends. */
#define CHAIN_MAX (2 * XN_INVENTORY_MAX_DEPTH + 4)

typedef XnSpanRef Ref;

typedef struct {
	XnInstant from;
	XnInstant to;
	Ref       root;
} Seg;

struct _XnQuery {
	const XnOutageEngine *engine;
	GHashTable           *segments;   /* const XnSpan * → GArray of Seg */
};

typedef XnQuery Query;

static const XnObjectState *
state_of (const XnOutageEngine *engine, const XnTopoObject *object)
{
	return &engine->states[object->index];
}

/* The span of `state` covering `of` at t; *tau is the instant at which the
 * dependency on it is judged (t, or the covering span's start). */
static const XnSpan *
covering (const XnOutageEngine *engine, const XnObjectState *state, const XnSpan *of,
	  XnInstant t, XnInstant *tau)
{
	guint i = xn_object_span_index_after (state, t);
	const XnSpan *span;

	if (i >= state->spans->len)
		return NULL;
	span = g_ptr_array_index (state->spans, i);
	if (span->start <= t) {
		*tau = t;
		return span;
	}
	if (span->start - of->start <= engine->options.correlation_window_us && of->end > span->start) {
		*tau = span->start;
		return span;
	}
	return NULL;
}

static gboolean
down_besides (const XnObjectState *link, XnRole except, XnInstant tau)
{
	for (guint r = 0; r < XN_ROLE_COUNT; r++)
		if (r != except && link->signal[r] != NULL && xn_signal_down_at (link->signal[r], tau))
			return TRUE;
	return FALSE;
}

/* One step up from `cur` (an outage, or an object passed through without
 * one) at t; `of` is the last outage on the way, for the window. A node
 * goes to its parent's outage; else to its uplinks' when every one of them
 * is down for a reason of its own (not merely because the node itself is:
 * one uplink down of two does not cut it off); else through the parent,
 * outage or not, since an ancestor further up may be the one that failed.
 * A link goes to its upper node's outage; else to its lower node's while
 * that node's unreachability is its only fault; else through the upper
 * node. */
static gboolean
node_step (const XnOutageEngine *engine, const XnTopoObject *object, const XnSpan *of,
	   XnInstant t, Ref *next)
{
	XnInstant tau;
	gboolean all = object->uplinks->len > 0;

	if (object->parent != NULL) {
		next->state = state_of (engine, object->parent);
		next->span = covering (engine, next->state, of, t, &tau);
		if (next->span != NULL)
			return TRUE;
	}
	for (guint i = 0; all && i < object->uplinks->len; i++) {
		const XnTopoObject *uplink = g_ptr_array_index (object->uplinks, i);
		const XnObjectState *state = state_of (engine, uplink);
		const XnSpan *span = covering (engine, state, of, t, &tau);

		all = span != NULL && down_besides (state, uplink->lower_role, tau);
		if (all && i == 0) {
			next->state = state;
			next->span = span;
		}
	}
	if (all)
		return TRUE;
	if (object->parent == NULL)
		return FALSE;
	next->state = state_of (engine, object->parent);
	next->span = NULL;
	return TRUE;
}

static gboolean
link_step (const XnOutageEngine *engine, const XnTopoObject *object, const XnSpan *of,
	   XnInstant t, Ref *next)
{
	const XnObjectState *link = state_of (engine, object);
	XnInstant own = MAX (t, of->start);
	XnInstant tau;

	next->state = state_of (engine, object->upper);
	next->span = covering (engine, next->state, of, t, &tau);
	if (next->span != NULL)
		return TRUE;
	if (object->lower != NULL && xn_signal_down_at (link->signal[object->lower_role], own) &&
	    !down_besides (link, object->lower_role, own)) {
		next->state = state_of (engine, object->lower);
		next->span = covering (engine, next->state, of, t, &tau);
		if (next->span != NULL)
			return TRUE;
	}
	next->state = state_of (engine, object->upper);
	next->span = NULL;
	return TRUE;
}

/* Follows the steps upward and keeps the topmost outage met. Steps judged
 * at different instants could in principle lead back to an object already
 * passed; the walk stops there. */
static Ref
root_at (const XnOutageEngine *engine, Ref x, XnInstant t)
{
	const XnTopoObject *seen[CHAIN_MAX + 1];
	guint n = 0;
	Ref root = x;
	const XnTopoObject *at = x.state->object;

	seen[n++] = at;
	while (n <= CHAIN_MAX) {
		Ref next = { NULL, NULL };
		gboolean found = at->is_link ? link_step (engine, at, root.span, t, &next) :
			node_step (engine, at, root.span, t, &next);
		gboolean again = FALSE;

		for (guint i = 0; found && i < n; i++)
			again = again || seen[i] == next.state->object;
		if (!found || again)
			break;
		at = next.state->object;
		seen[n++] = at;
		if (next.span != NULL)
			root = next;
	}
	return root;
}

static void
add_instants (GArray *instants, const XnSignal *signal, XnInstant from, XnInstant to)
{
	for (guint i = xn_signal_index_after (signal, from); i < signal->reports->len; i++) {
		const XnReport *report = xn_signal_report (signal, i);

		if (report->ts >= to)
			break;
		g_array_append_val (instants, report->ts);
	}
}

static int
compare_instants (gconstpointer a, gconstpointer b)
{
	XnInstant x = *(const XnInstant *) a, y = *(const XnInstant *) b;

	return x < y ? -1 : x > y;
}

static void
add_object_instants (const XnOutageEngine *engine, GArray *instants, const XnTopoObject *object,
		     const XnSpan *span)
{
	const XnObjectState *state = state_of (engine, object);

	for (guint r = 0; r < XN_ROLE_COUNT; r++)
		if (state->signal[r] != NULL)
			add_instants (instants, state->signal[r], span->start, span->end);
}

static GArray *
compute_segments (const XnOutageEngine *engine, Ref x)
{
	const XnTopoObject *object = x.state->object;
	g_autoptr(GArray) instants = g_array_new (FALSE, FALSE, sizeof (XnInstant));
	GArray *segments = g_array_new (FALSE, FALSE, sizeof (Seg));

	g_array_append_val (instants, x.span->start);
	add_object_instants (engine, instants, object, x.span);
	for (guint i = 0; i < object->closure->len; i++)
		add_object_instants (engine, instants, g_ptr_array_index (object->closure, i), x.span);
	g_array_sort (instants, compare_instants);
	for (guint i = 0; i < instants->len; i++) {
		XnInstant t = g_array_index (instants, XnInstant, i);
		Seg *last = segments->len > 0 ? &g_array_index (segments, Seg, segments->len - 1) : NULL;
		Seg seg;

		if (i > 0 && t == g_array_index (instants, XnInstant, i - 1))
			continue;
		seg = (Seg) { t, x.span->end, root_at (engine, x, t) };
		if (last != NULL && last->root.span == seg.root.span)
			continue;
		if (last != NULL)
			last->to = t;
		g_array_append_val (segments, seg);
	}
	return segments;
}

static const GArray *
segments_of (Query *query, Ref x)
{
	GArray *segments = g_hash_table_lookup (query->segments, x.span);

	if (segments == NULL) {
		segments = compute_segments (query->engine, x);
		g_hash_table_insert (query->segments, (gpointer) x.span, segments);
	}
	return segments;
}

static gboolean
belongs_to (Query *query, Ref x, const XnSpan *root)
{
	const GArray *segments = segments_of (query, x);

	for (guint i = 0; i < segments->len; i++)
		if (g_array_index (segments, Seg, i).root.span == root)
			return TRUE;
	return FALSE;
}

static int
compare_refs (gconstpointer a, gconstpointer b)
{
	const Ref *x = *(const Ref *const *) a, *y = *(const Ref *const *) b;

	if (x->span->start != y->span->start)
		return x->span->start < y->span->start ? -1 : 1;
	if (x->span->seq != y->span->seq)
		return x->span->seq < y->span->seq ? -1 : 1;
	return strcmp (x->state->object->name, y->state->object->name);
}

/* The outages with a segment whose root is `root`, sorted (Ref *). */
static GPtrArray *
dependent_refs (Query *query, Ref root)
{
	const XnOutageEngine *engine = query->engine;
	const GPtrArray *downstream = root.state->object->downstream;
	GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

	for (guint i = 0; i < downstream->len; i++) {
		const XnObjectState *state = state_of (engine, g_ptr_array_index (downstream, i));

		for (guint k = xn_object_span_index_after (state, root.span->start - engine->lookback);
		     k < state->spans->len; k++) {
			Ref x = { state, g_ptr_array_index (state->spans, k) };

			if (x.span->start >= root.span->end)
				break;
			if (belongs_to (query, x, root.span))
				g_ptr_array_add (found, g_memdup2 (&x, sizeof x));
		}
	}
	g_ptr_array_sort (found, compare_refs);
	return found;
}

static gboolean
own_root_somewhere (const GArray *segments, const XnSpan *span)
{
	for (guint i = 0; i < segments->len; i++)
		if (g_array_index (segments, Seg, i).root.span == span)
			return TRUE;
	return FALSE;
}

static GStrv
dependents_of (Query *query, Ref root)
{
	g_autoptr(GPtrArray) found = dependent_refs (query, root);
	GStrvBuilder *builder = g_strv_builder_new ();
	GStrv ids;

	for (guint i = 0; i < found->len; i++) {
		const Ref *x = g_ptr_array_index (found, i);
		g_autofree char *id = xn_span_id (x->state, x->span);

		g_strv_builder_add (builder, id);
	}
	ids = g_strv_builder_end (builder);
	g_strv_builder_unref (builder);
	return ids;
}

static void
segment_free (gpointer data)
{
	XnOutageSegment *segment = data;

	g_free (segment->root_id);
	g_free (segment);
}

static gboolean
provisional (const XnOutageEngine *engine, Ref x, const Seg *first)
{
	return x.span->end == XN_OUTAGE_OPEN && first->root.span == x.span &&
	       engine->now < x.span->start + engine->options.correlation_window_us;
}

static XnOutage *
build (Query *query, Ref x)
{
	const XnOutageEngine *engine = query->engine;
	const GArray *segments = segments_of (query, x);
	XnOutage *outage = g_new0 (XnOutage, 1);
	gboolean own_root = FALSE;

	outage->id = xn_span_id (x.state, x.span);
	outage->seq = x.span->seq;
	outage->object = g_strdup (x.state->object->name);
	outage->kind = x.state->object->is_link ? XN_OUTAGE_LINK : XN_OUTAGE_NODE;
	outage->start = x.span->start;
	outage->end = x.span->end;
	outage->cause = xn_span_cause (x.state, x.span);
	outage->units = g_strdupv (x.state->object->units);
	outage->evidence = g_array_copy (x.span->evidence);
	outage->segments = g_ptr_array_new_with_free_func (segment_free);
	for (guint i = 0; i < segments->len; i++) {
		const Seg *seg = &g_array_index (segments, Seg, i);
		XnOutageSegment *segment = g_new0 (XnOutageSegment, 1);

		segment->from = seg->from;
		segment->to = seg->to;
		segment->root_id = xn_span_id (seg->root.state, seg->root.span);
		g_ptr_array_add (outage->segments, segment);
		own_root = own_root || seg->root.span == x.span;
	}
	outage->dependents = own_root ? dependents_of (query, x) : g_new0 (char *, 1);
	outage->provisional = provisional (engine, x, &g_array_index (segments, Seg, 0));
	return outage;
}

XnQuery *
xn_query_new (const XnOutageEngine *engine)
{
	XnQuery *query = g_new0 (XnQuery, 1);

	query->engine = engine;
	query->segments = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
	return query;
}

void
xn_query_free (XnQuery *query)
{
	if (query == NULL)
		return;
	g_hash_table_unref (query->segments);
	g_free (query);
}

XnOutage *
xn_query_build (XnQuery *query, XnSpanRef x)
{
	return build (query, x);
}

void
xn_query_relations (XnQuery *query, XnSpanRef x, GArray *related)
{
	const GArray *segments = segments_of (query, x);

	for (guint i = 0; i < segments->len; i++) {
		const Seg *seg = &g_array_index (segments, Seg, i);

		if (seg->root.span != x.span)
			g_array_append_val (related, seg->root);
	}
	if (own_root_somewhere (segments, x.span)) {
		g_autoptr(GPtrArray) dependents = dependent_refs (query, x);

		for (guint i = 0; i < dependents->len; i++)
			g_array_append_vals (related, g_ptr_array_index (dependents, i), 1);
	}
}

gboolean
xn_query_provisional (const XnOutageEngine *engine, XnSpanRef x)
{
	Seg first;

	if (x.span->end != XN_OUTAGE_OPEN || engine->now >= x.span->start + engine->options.correlation_window_us)
		return FALSE;
	first.root = root_at (engine, x, x.span->start);
	return provisional (engine, x, &first);
}

int
xn_outage_compare (gconstpointer a, gconstpointer b)
{
	const XnOutage *x = *(const XnOutage *const *) a, *y = *(const XnOutage *const *) b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return strcmp (x->object, y->object);
}

GPtrArray *
xn_outage_engine_list (const XnOutageEngine *engine, gboolean open_only)
{
	g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
	GPtrArray *outages = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_outage_free);
	g_autoptr(XnQuery) query = NULL;

	for (guint i = 0; i < engine->topology->objects->len; i++) {
		const XnObjectState *state = &engine->states[i];

		for (guint k = open_only && state->spans->len > 0 ? state->spans->len - 1 : 0;
		     k < state->spans->len; k++) {
			Ref x = { state, g_ptr_array_index (state->spans, k) };

			if (!open_only || x.span->end == XN_OUTAGE_OPEN)
				g_ptr_array_add (refs, g_memdup2 (&x, sizeof x));
		}
	}
	query = xn_query_new (engine);
	for (guint i = 0; i < refs->len; i++)
		g_ptr_array_add (outages, build (query, *(Ref *) g_ptr_array_index (refs, i)));
	/* settled outages are closed */
	for (guint i = 0; !open_only && i < engine->kept->len; i++)
		g_ptr_array_add (outages, xn_outage_copy (g_ptr_array_index (engine->kept, i)));
	g_ptr_array_sort (outages, xn_outage_compare);
	return outages;
}

gboolean
xn_outage_engine_lists_all (const XnOutageEngine *engine)
{
	return !engine->forgot;
}

XnOutage *
xn_outage_engine_lookup (const XnOutageEngine *engine, const char *id)
{
	const char *colon = strchr (id, ':');
	const XnTopoObject *object = colon != NULL ? xn_topology_lookup (engine->topology, colon + 1) : NULL;
	g_autofree char *digits = colon != NULL ? g_strndup (id, colon - id) : NULL;
	const XnOutage *kept = g_hash_table_lookup (engine->kept_by_id, id);
	guint64 seq;
	XnOutage *outage = NULL;

	if (kept != NULL)
		return xn_outage_copy (kept);
	if (object == NULL || !g_ascii_string_to_unsigned (digits, 10, 1, G_MAXINT64, &seq, NULL))
		return NULL;
	for (guint k = 0; k < state_of (engine, object)->spans->len; k++) {
		Ref x = { state_of (engine, object), g_ptr_array_index (state_of (engine, object)->spans, k) };

		if (x.span->seq == (gint64) seq) {
			g_autoptr(XnQuery) query = xn_query_new (engine);

			outage = build (query, x);
			break;
		}
	}
	return outage;
}

XnOutage *
xn_outage_copy (const XnOutage *outage)
{
	XnOutage *copy = g_new0 (XnOutage, 1);

	copy->id = g_strdup (outage->id);
	copy->seq = outage->seq;
	copy->object = g_strdup (outage->object);
	copy->kind = outage->kind;
	copy->start = outage->start;
	copy->end = outage->end;
	copy->cause = g_strdup (outage->cause);
	copy->units = g_strdupv (outage->units);
	copy->evidence = g_array_copy (outage->evidence);
	copy->segments = g_ptr_array_new_with_free_func (segment_free);
	for (guint i = 0; i < outage->segments->len; i++) {
		const XnOutageSegment *segment = g_ptr_array_index (outage->segments, i);
		XnOutageSegment *same = g_new0 (XnOutageSegment, 1);

		*same = *segment;
		same->root_id = g_strdup (segment->root_id);
		g_ptr_array_add (copy->segments, same);
	}
	copy->dependents = g_strdupv (outage->dependents);
	copy->provisional = outage->provisional;
	return copy;
}

void
xn_outage_free (XnOutage *outage)
{
	if (outage == NULL)
		return;
	g_free (outage->id);
	g_free (outage->object);
	g_free (outage->cause);
	g_strfreev (outage->units);
	g_array_unref (outage->evidence);
	g_ptr_array_unref (outage->segments);
	g_strfreev (outage->dependents);
	g_free (outage);
}

gboolean
xn_outage_is_open (const XnOutage *outage)
{
	return outage->end == XN_OUTAGE_OPEN;
}

const char *
xn_outage_kind_to_string (XnOutageKind kind)
{
	return kind == XN_OUTAGE_LINK ? "link" : "node";
}

const char *
xn_outage_current_root (const XnOutage *outage)
{
	const XnOutageSegment *last = g_ptr_array_index (outage->segments, outage->segments->len - 1);

	return last->root_id;
}

static void
set_instant (JsonObject *object, const char *name, XnInstant t)
{
	g_autofree char *text = NULL;

	if (t == XN_OUTAGE_OPEN) {
		json_object_set_null_member (object, name);
		return;
	}
	text = xn_time_format_utc (t);
	json_object_set_string_member (object, name, text);
}

static JsonArray *
strv_array (const char *const *strv)
{
	JsonArray *array = json_array_new ();

	for (guint i = 0; strv[i] != NULL; i++)
		json_array_add_string_element (array, strv[i]);
	return array;
}

JsonObject *
xn_outage_to_json (const XnOutage *outage)
{
	JsonObject *object = json_object_new ();
	JsonArray *evidence = json_array_new ();
	JsonArray *segments = json_array_new ();

	json_object_set_string_member (object, "id", outage->id);
	json_object_set_string_member (object, "object", outage->object);
	json_object_set_string_member (object, "kind", xn_outage_kind_to_string (outage->kind));
	set_instant (object, "start", outage->start);
	set_instant (object, "end", outage->end);
	json_object_set_string_member (object, "cause", outage->cause);
	json_object_set_array_member (object, "units", strv_array ((const char *const *) outage->units));
	for (guint i = 0; i < outage->evidence->len; i++)
		json_array_add_int_element (evidence, g_array_index (outage->evidence, gint64, i));
	json_object_set_array_member (object, "evidence", evidence);
	for (guint i = 0; i < outage->segments->len; i++) {
		const XnOutageSegment *segment = g_ptr_array_index (outage->segments, i);
		JsonObject *member = json_object_new ();

		set_instant (member, "from", segment->from);
		set_instant (member, "to", segment->to);
		json_object_set_string_member (member, "root", segment->root_id);
		json_array_add_object_element (segments, member);
	}
	json_object_set_array_member (object, "segments", segments);
	json_object_set_array_member (object, "dependents", strv_array ((const char *const *) outage->dependents));
	json_object_set_boolean_member (object, "provisional", outage->provisional);
	return object;
}

/* outage.c — the outage engine: facts in, outages (spans) per object out.
 *
 * Each fact the engine uses is a down or up report on one signal: a node's
 * reachability (node.unreachable / node.reachable) or one link end's
 * interface (interface.down / interface.up, trap.link-down / trap.link-up
 * naming the interface). Poll and trap reports about the same interface go
 * to the same signal, which is how their evidence merges. An object is in
 * outage while any of its signals is down: a node while it is unreachable,
 * a link while either end's interface is down or either end node is
 * unreachable. After each report the spans of the objects using that
 * signal are derived again, but only from the first span the report can
 * touch onward, by sweeping the signals' reports in time order; the spans
 * dropped on the way and the objects touched are noted for
 * xn_outage_engine_take_changes() (outage-changes.c). Each time the
 * settle line moves on by XN_OUTAGE_SETTLE_EVERY a settle pass runs
 * (outage-settle.c); reports dated at or before what settled are counted
 * as late and change nothing. Admin-down reports are counted and change
 * nothing. Root cause is not decided here (outage-query.c computes it when
 * asked) and nothing here reads a clock or does I/O. */
#include "outage-private.h"
#include "availability.h"
#include "xn-error.h"

#include <string.h>

G_STATIC_ASSERT (XN_OUTAGE_OPEN == XN_INTERVAL_OPEN);

typedef enum {
	MEANS_DOWN,
	MEANS_UP,
	MEANS_NEUTRAL,
	MEANS_NOTHING,
} Meaning;

void
xn_outage_options_init (XnOutageOptions *options)
{
	options->correlation_window_us = XN_OUTAGE_DEFAULT_WINDOW;
	options->keep_settled = TRUE;
	options->settle = FALSE;
}

static void
span_free (gpointer data)
{
	XnSpan *span = data;

	g_array_unref (span->evidence);
	g_free (span);
}

XnOutageEngine *
xn_outage_engine_new (const XnInventory *inventory, const XnOutageOptions *options, GError **error)
{
	XnOutageEngine *engine;
	GHashTableIter iter;
	const char *subject;

	g_return_val_if_fail (inventory != NULL, NULL);
	if (options != NULL && (options->correlation_window_us < 0 ||
				options->correlation_window_us > XN_OUTAGE_MAX_WINDOW)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "outage engine: correlation window %" G_GINT64_FORMAT " µs is outside 0 to 86400 s",
			     options->correlation_window_us);
		return NULL;
	}
	engine = g_new0 (XnOutageEngine, 1);
	engine->inventory = inventory;
	if (options != NULL)
		engine->options = *options;
	else
		xn_outage_options_init (&engine->options);
	engine->topology = xn_topology_new (inventory);
	engine->signals = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) xn_signal_free);
	g_hash_table_iter_init (&iter, engine->topology->signal_users);
	while (g_hash_table_iter_next (&iter, (gpointer *) &subject, NULL)) {
		XnSignal *signal = xn_signal_new (subject);

		g_hash_table_insert (engine->signals, signal->subject, signal);
	}
	engine->states = g_new0 (XnObjectState, engine->topology->objects->len);
	for (guint i = 0; i < engine->topology->objects->len; i++) {
		XnObjectState *state = &engine->states[i];

		state->object = g_ptr_array_index (engine->topology->objects, i);
		state->spans = g_ptr_array_new_with_free_func (span_free);
		state->settled_end = G_MININT64;
		state->mark = G_MAXINT64;
		for (guint r = 0; r < XN_ROLE_COUNT; r++)
			if (state->object->signal[r] != NULL)
				state->signal[r] = g_hash_table_lookup (engine->signals, state->object->signal[r]);
	}
	engine->last_seq = 0;
	engine->now = G_MININT64;
	engine->lookback = ((gint64) engine->topology->max_closure + 1) * engine->options.correlation_window_us + 1;
	engine->newest = G_MININT64;
	engine->sealed = G_MININT64;
	engine->settle_round = G_MININT64;
	engine->kept = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_outage_free);
	engine->kept_by_id = g_hash_table_new (g_str_hash, g_str_equal);
	engine->marked = g_array_new (FALSE, FALSE, sizeof (guint));
	engine->vanished = xn_vanished_new ();
	engine->settled = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_outage_free);
	engine->listed_now = G_MININT64;
	return engine;
}

void
xn_outage_engine_free (XnOutageEngine *engine)
{
	if (engine == NULL)
		return;
	for (guint i = 0; i < engine->topology->objects->len; i++)
		g_ptr_array_unref (engine->states[i].spans);
	g_free (engine->states);
	g_hash_table_unref (engine->signals);
	g_hash_table_unref (engine->kept_by_id);
	g_ptr_array_unref (engine->kept);
	g_array_unref (engine->marked);
	g_hash_table_unref (engine->vanished);
	g_ptr_array_unref (engine->settled);
	xn_topology_free (engine->topology);
	g_free (engine);
}

guint
xn_object_span_index_after (const XnObjectState *state, XnInstant t)
{
	guint lo = 0, hi = state->spans->len;

	/* Spans are disjoint and sorted, so their ends are sorted too. */
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (((XnSpan *) g_ptr_array_index (state->spans, mid))->end <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const XnSpan *
xn_object_span_at (const XnObjectState *state, XnInstant t)
{
	guint i = xn_object_span_index_after (state, t);
	const XnSpan *span = i < state->spans->len ? g_ptr_array_index (state->spans, i) : NULL;

	return span != NULL && span->start <= t ? span : NULL;
}

/* What the spans are being built from, one report group (one ts) at a time. */
typedef struct {
	XnObjectState *state;
	guint          pos[XN_ROLE_COUNT];
	gboolean       down[XN_ROLE_COUNT];
	XnSpan        *open;
} Sweep;

static guint
count_down (const Sweep *sweep)
{
	guint n = 0;

	for (guint r = 0; r < XN_ROLE_COUNT; r++)
		n += sweep->down[r] ? 1 : 0;
	return n;
}

static XnRole
first_down (const Sweep *sweep)
{
	for (guint r = 0; r < XN_ROLE_COUNT; r++)
		if (sweep->down[r])
			return r;
	return 0;
}

static int
compare_seq (gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

	return x < y ? -1 : x > y;
}

static void
close_span (Sweep *sweep, XnInstant end)
{
	sweep->open->end = end;
	g_array_sort (sweep->open->evidence, compare_seq);
	g_ptr_array_add (sweep->state->spans, g_steal_pointer (&sweep->open));
}

/* Takes every report at instant g from every signal. Evidence: each down
 * report, and each up report that ends its signal's fault. */
static void
sweep_group (Sweep *sweep, XnInstant g)
{
	g_autoptr(GArray) evidence = g_array_new (FALSE, FALSE, sizeof (gint64));
	gint64 first = G_MAXINT64;
	guint was = count_down (sweep);

	for (guint r = 0; r < XN_ROLE_COUNT; r++) {
		const XnSignal *signal = sweep->state->signal[r];

		for (; signal != NULL && sweep->pos[r] < signal->reports->len; sweep->pos[r]++) {
			const XnReport *report = xn_signal_report (signal, sweep->pos[r]);

			if (report->ts != g)
				break;
			if (report->down || sweep->down[r])
				g_array_append_val (evidence, report->seq);
			if (report->down)
				first = MIN (first, report->seq);
			sweep->down[r] = report->down;
		}
	}
	if (sweep->open == NULL && count_down (sweep) > 0) {
		sweep->open = g_new0 (XnSpan, 1);
		sweep->open->start = g;
		sweep->open->seq = first;
		sweep->open->cause = first_down (sweep);
		sweep->open->evidence = g_array_new (FALSE, FALSE, sizeof (gint64));
	} else if (sweep->open != NULL) {
		sweep->open->seq = MIN (sweep->open->seq, first);
	}
	if (sweep->open != NULL)
		g_array_append_vals (sweep->open->evidence, evidence->data, evidence->len);
	if (sweep->open != NULL && was > 0 && count_down (sweep) == 0)
		close_span (sweep, g);
}

/* Builds the spans from instant `from` on, every signal being up just
 * before it; returns FALSE (building nothing) when one is not. */
static gboolean
sweep_from (XnObjectState *state, XnInstant from)
{
	Sweep sweep = { state, { 0 }, { FALSE }, NULL };

	for (guint r = 0; r < XN_ROLE_COUNT; r++) {
		const XnSignal *signal = state->signal[r];

		if (signal == NULL)
			continue;
		sweep.pos[r] = xn_signal_index_at (signal, from);
		if (sweep.pos[r] > 0 && xn_signal_report (signal, sweep.pos[r] - 1)->down)
			return FALSE;
	}
	for (;;) {
		XnInstant g = G_MAXINT64;
		gboolean any = FALSE;

		for (guint r = 0; r < XN_ROLE_COUNT; r++) {
			const XnSignal *signal = state->signal[r];

			if (signal != NULL && sweep.pos[r] < signal->reports->len) {
				g = MIN (g, xn_signal_report (signal, sweep.pos[r])->ts);
				any = TRUE;
			}
		}
		if (!any)
			break;
		sweep_group (&sweep, g);
	}
	if (sweep.open != NULL)
		close_span (&sweep, XN_OUTAGE_OPEN);
	return TRUE;
}

/* Drops the spans from index i on and builds them again from `from`;
 * FALSE (dropping nothing) when a signal is down just before `from`. */
static gboolean
sweep_from_index (XnObjectState *state, guint i, XnInstant from, GHashTable *vanished)
{
	guint n = state->spans->len;

	for (guint r = 0; r < XN_ROLE_COUNT; r++) {
		const XnSignal *signal = state->signal[r];
		guint pos = signal != NULL ? xn_signal_index_at (signal, from) : 0;

		if (pos > 0 && xn_signal_report (signal, pos - 1)->down)
			return FALSE;
	}
	for (guint k = i; vanished != NULL && k < n; k++) {
		const XnSpan *span = g_ptr_array_index (state->spans, k);

		xn_vanished_note (vanished, state->object->index, span->seq, span->start, span->end);
	}
	g_ptr_array_set_size (state->spans, i);
	sweep_from (state, from);
	return TRUE;
}

/* Spans are derived from here on at the earliest: what settled stays
 * settled, even where another object still keeps its reports. */
static XnInstant
derive_floor (const XnObjectState *state)
{
	return state->settled_end == G_MININT64 ? G_MININT64 : state->settled_end + 1;
}

/* A report at t0 can change the span that ends at or after t0 and every
 * later one; earlier spans ended before it and stay. The spans dropped
 * are noted in `vanished` (when not NULL) for the next take. Returns the
 * instant from which spans ending then or later were derived again. */
static XnInstant
derive_from (XnObjectState *state, XnInstant t0, GHashTable *vanished)
{
	XnInstant floor = derive_floor (state);
	guint i;
	XnInstant from;

	t0 = MAX (t0, floor);
	i = t0 == G_MININT64 ? 0 : xn_object_span_index_after (state, t0 - 1);
	from = t0;
	if (i < state->spans->len)
		from = MIN (from, ((XnSpan *) g_ptr_array_index (state->spans, i))->start);
	/* Cannot fail while the spans matched the reports; if it did, the
	 * whole history since the last settled span is derived again rather
	 * than trusted. */
	if (!sweep_from_index (state, i, from, vanished)) {
		sweep_from_index (state, 0, floor, vanished);
		return floor;
	}
	return t0;
}

void
xn_outage_engine_derive_all (XnOutageEngine *engine)
{
	for (guint i = 0; i < engine->topology->objects->len; i++)
		derive_from (&engine->states[i], G_MININT64, NULL);
}

/* Rounds toward minus infinity: instants before 1970 are negative. */
gint64
xn_outage_settle_round (const XnOutageEngine *engine)
{
	XnInstant line;

	if (engine->newest == G_MININT64)
		return G_MININT64;
	line = engine->newest - XN_OUTAGE_REORDER_HORIZON - engine->lookback;
	return line >= 0 ? line / XN_OUTAGE_SETTLE_EVERY : -((-line - 1) / XN_OUTAGE_SETTLE_EVERY) - 1;
}

static void
settle_if_due (XnOutageEngine *engine)
{
	gint64 round = xn_outage_settle_round (engine);

	if (!engine->options.settle || round <= engine->settle_round)
		return;
	engine->settle_round = round;
	xn_outage_engine_settle (engine, engine->newest - XN_OUTAGE_REORDER_HORIZON - engine->lookback);
}

static void
mark (XnOutageEngine *engine, XnObjectState *state, XnInstant ts)
{
	if (state->mark == G_MAXINT64)
		g_array_append_val (engine->marked, state->object->index);
	state->mark = MIN (state->mark, ts);
}

static Meaning
meaning_of (const XnFact *fact, const char **prefix)
{
	static const struct {
		const char *kind;
		const char *prefix;
		Meaning     meaning;
	} kinds[] = {
		{ "node.unreachable", "node/", MEANS_DOWN },
		{ "node.reachable", "node/", MEANS_UP },
		{ "interface.down", "interface/", MEANS_DOWN },
		{ "interface.up", "interface/", MEANS_UP },
		{ "interface.admin-down", "interface/", MEANS_NEUTRAL },
		{ "trap.link-down", "interface/", MEANS_DOWN },
		{ "trap.link-up", "interface/", MEANS_UP },
	};

	for (guint i = 0; i < G_N_ELEMENTS (kinds); i++) {
		if (strcmp (fact->kind, kinds[i].kind) != 0)
			continue;
		*prefix = kinds[i].prefix;
		/* A linkDown for an interface switched off is an admin-down. */
		if (strcmp (fact->kind, "trap.link-down") == 0 && xn_fact_attr_is (fact, "admin_status", "down"))
			return MEANS_NEUTRAL;
		return kinds[i].meaning;
	}
	return MEANS_NOTHING;
}

static void
apply (XnOutageEngine *engine, const XnFact *fact)
{
	const char *prefix = NULL;
	Meaning meaning = meaning_of (fact, &prefix);
	XnSignal *signal;
	const GPtrArray *users;

	engine->last_seq = fact->seq;
	engine->now = MAX (engine->now, fact->ts);
	if (meaning == MEANS_NOTHING) {
		engine->stats.ignored++;
		return;
	}
	signal = g_str_has_prefix (fact->subject, prefix) ?
		g_hash_table_lookup (engine->signals, fact->subject) : NULL;
	if (signal == NULL) {
		engine->stats.unknown++;
		return;
	}
	if (meaning == MEANS_NEUTRAL) {
		engine->stats.neutral++;
		return;
	}
	/* It could only change outages that settled: they stay as they are. */
	if (fact->ts <= engine->sealed) {
		engine->stats.late++;
		return;
	}
	engine->stats.reports++;
	xn_signal_add (signal, fact->ts, fact->seq, meaning == MEANS_DOWN, XN_OUTAGE_REORDER_HORIZON);
	engine->newest = MAX (engine->newest, fact->ts);
	users = xn_topology_signal_users (engine->topology, signal->subject);
	for (guint i = 0; i < users->len; i++) {
		XnObjectState *state = &engine->states[((XnTopoObject *) g_ptr_array_index (users, i))->index];

		mark (engine, state, derive_from (state, fact->ts, engine->vanished));
	}
	settle_if_due (engine);
}

static gboolean
check_fact (const XnFact *fact, gint64 after, GError **error)
{
	if (fact->seq <= after) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "outage engine: fact seq %" G_GINT64_FORMAT " (%s %s) is not above the last seq fed, %" G_GINT64_FORMAT,
			     fact->seq, fact->kind, fact->subject, after);
		return FALSE;
	}
	if (fact->ts < XN_FACT_INSTANT_MIN || fact->ts > XN_FACT_INSTANT_MAX) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "outage engine: fact seq %" G_GINT64_FORMAT ": ts %" G_GINT64_FORMAT " µs is outside the years 1000 to 9999",
			     fact->seq, fact->ts);
		return FALSE;
	}
	return TRUE;
}

gboolean
xn_outage_engine_feed_all (XnOutageEngine *engine, const GPtrArray *facts, GError **error)
{
	gint64 last = engine->last_seq;

	for (guint i = 0; i < facts->len; i++) {
		const XnFact *fact = g_ptr_array_index (facts, i);

		if (!check_fact (fact, last, error))
			return FALSE;
		last = fact->seq;
	}
	for (guint i = 0; i < facts->len; i++)
		apply (engine, g_ptr_array_index (facts, i));
	return TRUE;
}

gboolean
xn_outage_engine_feed (XnOutageEngine *engine, const XnFact *fact, GError **error)
{
	if (!check_fact (fact, engine->last_seq, error))
		return FALSE;
	apply (engine, fact);
	return TRUE;
}

void
xn_outage_engine_advance (XnOutageEngine *engine, XnInstant now)
{
	engine->now = MAX (engine->now, now);
}

gint64
xn_outage_engine_last_seq (const XnOutageEngine *engine)
{
	return engine->last_seq;
}

gint64
xn_outage_engine_correlation_window (const XnOutageEngine *engine)
{
	return engine->options.correlation_window_us;
}

XnInstant
xn_outage_engine_now (const XnOutageEngine *engine)
{
	return engine->now;
}

void
xn_outage_engine_stats (const XnOutageEngine *engine, XnOutageStats *stats)
{
	*stats = engine->stats;
}

/* "interface/NODE/IFNAME" → "interface-down NODE IFNAME"; ifNames may hold
 * '/', node names do not. */
char *
xn_span_cause (const XnObjectState *state, const XnSpan *span)
{
	const XnTopoObject *object = state->object;
	const char *subject = object->signal[span->cause];

	if (!object->is_link)
		return g_strdup ("node-unreachable");
	if (span->cause == XN_ROLE_IF_A || span->cause == XN_ROLE_IF_Z) {
		const XnLinkEnd *end = span->cause == XN_ROLE_IF_A ? &object->link->a : &object->link->z;

		return g_strdup_printf ("interface-down %s %s", end->node->name, end->interface);
	}
	return g_strdup_printf ("node-down %s", subject + strlen ("node/"));
}

char *
xn_span_id (const XnObjectState *state, const XnSpan *span)
{
	return g_strdup_printf ("%" G_GINT64_FORMAT ":%s", span->seq, state->object->name);
}

/* storm.c — per-source trap rates, storms, and what is stored or counted
 * during one (see storm.h for the rules).
 *
 * Each source followed has a ring of one-second buckets covering the
 * window and their sum, so a trap costs a hash lookup and an increment.
 * While a source storms it also has its counts by trap OID since the last
 * summary and, per link object, the state last stored, which link kinds
 * were stored this period and the latest counted link trap (held). Time is
 * whole seconds of the `now` given; a clock that steps back counts into the
 * current second rather than rewriting the past. A source that is quiet for
 * a window and not storming is forgotten, so memory follows the senders of
 * the last seconds, not every address ever seen. Nothing here logs, reads
 * the clock or builds facts: the caller turns events into facts. */
#include "storm.h"

#include <string.h>

#define NO_OID  "none"

typedef enum {
	LINK_UNKNOWN = -1,
	LINK_DOWN = 0,
	LINK_UP = 1,
} LinkState;

typedef struct {
	LinkState last_stored;     /* this storm's last stored link trap */
	gboolean  stored_down;     /* a link-down was stored this period */
	gboolean  stored_up;
	gpointer  held;            /* the latest counted link trap; NULL if none */
	gboolean  held_up;
	char     *held_oid;
} LinkTrack;

typedef struct {
	char       *name;
	guint32    *buckets;       /* window_s slots; second s is in slot s % window_s */
	guint       n_buckets;
	guint64     in_window;     /* sum of buckets */
	gint64      last_sec;      /* the second the newest bucket stands for */
	gint64      calm_from;     /* first second of the current run of seconds under the rate */
	gboolean    storming;
	XnInstant   storm_start;
	XnInstant   period_start;
	GHashTable *counted;       /* trap OID → guint64* since period_start */
	guint64     counted_period;
	guint64     counted_total;
	GHashTable *links;         /* link object → LinkTrack */
} Source;

struct _XnStorm {
	XnStormConfig   config;
	GDestroyNotify  payload_free;
	GHashTable     *sources;   /* name → Source */
	LinkTrack      *hold_into; /* set by an XN_STORM_HOLD verdict for xn_storm_hold() */
};

static void
link_track_free (XnStorm *storm, LinkTrack *track)
{
	if (track->held != NULL && storm->payload_free != NULL)
		storm->payload_free (track->held);
	g_free (track->held_oid);
	g_free (track);
}

static void
source_drop_storm (XnStorm *storm, Source *src)
{
	GHashTableIter iter;
	gpointer value;

	if (src->links != NULL) {
		g_hash_table_iter_init (&iter, src->links);
		while (g_hash_table_iter_next (&iter, NULL, &value))
			link_track_free (storm, value);
		g_clear_pointer (&src->links, g_hash_table_unref);
	}
	g_clear_pointer (&src->counted, g_hash_table_unref);
	src->storming = FALSE;
	src->counted_period = 0;
	src->counted_total = 0;
}

static void
reset_buckets (Source *src, guint window_s, gint64 sec)
{
	g_free (src->buckets);
	src->buckets = g_new0 (guint32, window_s);
	src->n_buckets = window_s;
	src->in_window = 0;
	src->last_sec = sec;
}

static Source *
source_new (const char *name, guint window_s, gint64 sec)
{
	Source *src = g_new0 (Source, 1);

	src->name = g_strdup (name);
	reset_buckets (src, window_s, sec);
	src->calm_from = sec;
	return src;
}

XnStorm *
xn_storm_new (const XnStormConfig *config, GDestroyNotify payload_free)
{
	XnStorm *storm = g_new0 (XnStorm, 1);

	storm->config = *config;
	storm->config.window_s = MAX (storm->config.window_s, 1);
	storm->config.rate = MAX (storm->config.rate, 1);
	storm->config.summary_s = MAX (storm->config.summary_s, 1);
	storm->payload_free = payload_free;
	storm->sources = g_hash_table_new (g_str_hash, g_str_equal);
	return storm;
}

static void
source_free (XnStorm *storm, Source *src)
{
	source_drop_storm (storm, src);
	g_free (src->buckets);
	g_free (src->name);
	g_free (src);
}

void
xn_storm_free (XnStorm *storm)
{
	GHashTableIter iter;
	gpointer value;

	if (storm == NULL)
		return;
	g_hash_table_iter_init (&iter, storm->sources);
	while (g_hash_table_iter_next (&iter, NULL, &value))
		source_free (storm, value);
	g_hash_table_unref (storm->sources);
	g_free (storm);
}

void
xn_storm_set_config (XnStorm *storm, const XnStormConfig *config)
{
	GHashTableIter iter;
	gpointer value;
	guint old_window = storm->config.window_s;

	storm->config = *config;
	storm->config.window_s = MAX (storm->config.window_s, 1);
	storm->config.rate = MAX (storm->config.rate, 1);
	storm->config.summary_s = MAX (storm->config.summary_s, 1);
	if (storm->config.window_s == old_window)
		return;
	g_hash_table_iter_init (&iter, storm->sources);
	while (g_hash_table_iter_next (&iter, NULL, &value)) {
		Source *src = value;

		reset_buckets (src, storm->config.window_s, src->last_sec);
	}
}

static gint64
second_of (XnInstant now)
{
	return now >= 0 ? now / XN_USEC_PER_SEC : -((-now + XN_USEC_PER_SEC - 1) / XN_USEC_PER_SEC);
}

/* Moves the ring forward to second `sec`: the seconds in between are
 * complete, and the slots they reuse are emptied. */
static void
advance (Source *src, gint64 sec, guint rate)
{
	gint64 steps;

	if (sec <= src->last_sec)
		return;
	if (src->buckets[src->last_sec % src->n_buckets] >= rate)
		src->calm_from = src->last_sec + 1;
	steps = MIN (sec - src->last_sec, (gint64) src->n_buckets);
	for (gint64 i = 1; i <= steps; i++) {
		guint slot = (guint) ((src->last_sec + i) % src->n_buckets);

		src->in_window -= src->buckets[slot];
		src->buckets[slot] = 0;
	}
	src->last_sec = sec;
}

static double
rate_of (const XnStorm *storm, const Source *src)
{
	return (double) src->in_window / storm->config.window_s;
}

static XnStormEvent *
event_new (XnStorm *storm, Source *src, XnStormEventKind kind, XnInstant now)
{
	XnStormEvent *event = g_new0 (XnStormEvent, 1);

	event->kind = kind;
	event->source = g_strdup (src->name);
	event->at = now;
	event->since = kind == XN_STORM_START ? now : src->period_start;
	event->storm_start = src->storm_start;
	event->rate = rate_of (storm, src);
	event->threshold = storm->config.rate;
	event->window_s = storm->config.window_s;
	event->held = g_ptr_array_new_with_free_func (storm->payload_free);
	return event;
}

static void
start_storm (XnStorm *storm, Source *src, XnInstant now, GPtrArray *events)
{
	XnStormEvent *event;

	src->storming = TRUE;
	src->storm_start = now;
	src->period_start = now;
	src->calm_from = src->last_sec + 1;
	src->counted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	src->links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	event = event_new (storm, src, XN_STORM_START, now);
	event->counted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	g_ptr_array_add (events, event);
}

static void
uncount (Source *src, const char *oid)
{
	guint64 *n = g_hash_table_lookup (src->counted, oid);

	if (n == NULL || *n == 0)
		return;
	if (--*n == 0)
		g_hash_table_remove (src->counted, oid);
	src->counted_period--;
	src->counted_total--;
}

/* Held link traps that say something else than what was stored move into
 * the event; every period starts with no link kind stored. */
static void
release_held (XnStorm *storm, Source *src, XnStormEvent *event)
{
	GHashTableIter iter;
	gpointer value;
	g_autoptr(GList) keys = g_hash_table_get_keys (src->links);

	/* sorted, so the stored facts come in the same order every time */
	keys = g_list_sort (keys, (GCompareFunc) strcmp);
	for (GList *k = keys; k != NULL; k = k->next) {
		LinkTrack *track = g_hash_table_lookup (src->links, k->data);
		LinkState held = track->held_up ? LINK_UP : LINK_DOWN;

		if (track->held != NULL && held != track->last_stored) {
			uncount (src, track->held_oid);
			g_ptr_array_add (event->held, g_steal_pointer (&track->held));
			track->last_stored = held;
		} else if (track->held != NULL && storm->payload_free != NULL) {
			storm->payload_free (g_steal_pointer (&track->held));
		}
		track->held = NULL;
		g_clear_pointer (&track->held_oid, g_free);
	}
	g_hash_table_iter_init (&iter, src->links);
	while (g_hash_table_iter_next (&iter, NULL, &value)) {
		LinkTrack *track = value;

		track->stored_down = track->stored_up = FALSE;
	}
}

/* A SUMMARY or END closing the current period. */
static void
close_period (XnStorm *storm, Source *src, XnStormEventKind kind, XnInstant now, gboolean final,
	      GPtrArray *events)
{
	XnStormEvent *event = event_new (storm, src, kind, now);

	release_held (storm, src, event);
	event->final = final;
	event->counted = g_steal_pointer (&src->counted);
	event->counted_period = src->counted_period;
	event->counted_total = src->counted_total;
	g_ptr_array_add (events, event);
	src->counted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	src->counted_period = 0;
	src->period_start = now;
	if (kind == XN_STORM_END)
		source_drop_storm (storm, src);
}

/* A storm's summary or end that is due at `now`. */
static void
check_due (XnStorm *storm, Source *src, XnInstant now, GPtrArray *events)
{
	gint64 sec = second_of (now);

	if (!src->storming)
		return;
	if (sec - src->calm_from >= (gint64) storm->config.window_s &&
	    src->buckets[sec % src->n_buckets] < storm->config.rate) {
		close_period (storm, src, XN_STORM_END, now, FALSE, events);
		return;
	}
	if (now - src->period_start >= (XnInstant) storm->config.summary_s * XN_USEC_PER_SEC)
		close_period (storm, src, XN_STORM_SUMMARY, now, FALSE, events);
}

static XnStormVerdict
storming_verdict (XnStorm *storm, Source *src, const char *trap_oid, const char *link_object, gboolean link_up)
{
	const char *oid = trap_oid != NULL ? trap_oid : NO_OID;
	guint64 *n = g_hash_table_lookup (src->counted, oid);
	LinkTrack *track = NULL;

	if (link_object != NULL) {
		track = g_hash_table_lookup (src->links, link_object);
		if (track == NULL) {
			track = g_new0 (LinkTrack, 1);
			track->last_stored = LINK_UNKNOWN;
			g_hash_table_insert (src->links, g_strdup (link_object), track);
		}
		if (link_up ? !track->stored_up : !track->stored_down) {
			if (link_up)
				track->stored_up = TRUE;
			else
				track->stored_down = TRUE;
			track->last_stored = link_up ? LINK_UP : LINK_DOWN;
			/* an older held trap is superseded by this stored one */
			if (track->held != NULL && storm->payload_free != NULL)
				storm->payload_free (track->held);
			track->held = NULL;
			g_clear_pointer (&track->held_oid, g_free);
			return XN_STORM_STORE;
		}
	}
	if (n == NULL) {
		n = g_new0 (guint64, 1);
		g_hash_table_insert (src->counted, g_strdup (oid), n);
	}
	(*n)++;
	src->counted_period++;
	src->counted_total++;
	if (track == NULL)
		return XN_STORM_COUNT;
	track->held_up = link_up;
	g_free (track->held_oid);
	track->held_oid = g_strdup (oid);
	storm->hold_into = track;
	return XN_STORM_HOLD;
}

XnStormVerdict
xn_storm_trap (XnStorm *storm, const char *source, const char *trap_oid, const char *link_object,
	       gboolean link_up, XnInstant now, GPtrArray *events)
{
	Source *src = g_hash_table_lookup (storm->sources, source);
	gint64 sec = second_of (now);

	storm->hold_into = NULL;
	if (src == NULL) {
		src = source_new (source, storm->config.window_s, sec);
		g_hash_table_insert (storm->sources, src->name, src);
	}
	advance (src, sec, storm->config.rate);
	check_due (storm, src, now, events);
	src->buckets[src->last_sec % src->n_buckets]++;
	src->in_window++;
	if (!src->storming && src->in_window > (guint64) storm->config.rate * storm->config.window_s)
		start_storm (storm, src, now, events);
	if (!src->storming)
		return XN_STORM_STORE;
	return storming_verdict (storm, src, trap_oid, link_object, link_up);
}

void
xn_storm_hold (XnStorm *storm, gpointer payload)
{
	LinkTrack *track = g_steal_pointer (&storm->hold_into);

	g_return_if_fail (track != NULL);
	if (track->held != NULL && storm->payload_free != NULL)
		storm->payload_free (track->held);
	track->held = payload;
}

static GList *
sorted_sources (XnStorm *storm)
{
	return g_list_sort (g_hash_table_get_keys (storm->sources), (GCompareFunc) strcmp);
}

void
xn_storm_tick (XnStorm *storm, XnInstant now, GPtrArray *events)
{
	g_autoptr(GList) names = sorted_sources (storm);
	gint64 sec = second_of (now);

	storm->hold_into = NULL;
	for (GList *l = names; l != NULL; l = l->next) {
		Source *src = g_hash_table_lookup (storm->sources, l->data);

		advance (src, sec, storm->config.rate);
		check_due (storm, src, now, events);
		if (!src->storming && src->in_window == 0) {
			g_hash_table_remove (storm->sources, src->name);
			source_free (storm, src);
		}
	}
}

void
xn_storm_finish (XnStorm *storm, XnInstant now, GPtrArray *events)
{
	g_autoptr(GList) names = sorted_sources (storm);

	storm->hold_into = NULL;
	for (GList *l = names; l != NULL; l = l->next) {
		Source *src = g_hash_table_lookup (storm->sources, l->data);

		if (src->storming)
			close_period (storm, src, XN_STORM_SUMMARY, now, TRUE, events);
	}
}

gboolean
xn_storm_is_storming (const XnStorm *storm, const char *source)
{
	const Source *src = g_hash_table_lookup (storm->sources, source);

	return src != NULL && src->storming;
}

guint
xn_storm_n_storming (const XnStorm *storm)
{
	GHashTableIter iter;
	gpointer value;
	guint n = 0;

	g_hash_table_iter_init (&iter, storm->sources);
	while (g_hash_table_iter_next (&iter, NULL, &value))
		n += ((const Source *) value)->storming ? 1 : 0;
	return n;
}

guint
xn_storm_n_sources (const XnStorm *storm)
{
	return g_hash_table_size (storm->sources);
}

void
xn_storm_event_free (XnStormEvent *event)
{
	if (event == NULL)
		return;
	g_free (event->source);
	g_clear_pointer (&event->counted, g_hash_table_unref);
	g_clear_pointer (&event->held, g_ptr_array_unref);
	g_free (event);
}

const char *
xn_storm_event_kind_to_string (XnStormEventKind kind)
{
	switch (kind) {
	case XN_STORM_START:   return "trap.storm-start";
	case XN_STORM_SUMMARY: return "trap.storm-summary";
	case XN_STORM_END:     return "trap.storm-end";
	}
	return "trap.storm";
}

/* counters.c — per-second rates from successive samples' counters.
 *
 * The previous answer of each node is kept as plain copies of its interface
 * samples in a table keyed by ifName, because ifIndex is only a row number:
 * agents renumber it on reboot or when a module is inserted, and history must
 * stay with the interface the operator named. Each counter pair is turned
 * into a rate with the IF-MIB rules: a 64-bit counter never wraps in practice
 * (10 Tb/s takes 468 years), so going backwards means it was reset; a 32-bit
 * counter that went backwards wrapped once, unless the rate this implies is
 * more than the interface can carry, which means it wrapped again or the
 * agent misbehaved. A sysUpTime reset voids every interval of the node. What
 * this file does not do: decide what a rate means (state.c), store it
 * (storage/rrd.c), or read any clock. */
#include "counters.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define TICKS_PER_SECOND  100
#define USEC_PER_TICK     (XN_USEC_PER_SEC / TICKS_PER_SECOND)
#define TICKS_PER_WRAP    (G_GINT64_CONSTANT (1) << 32)
/* Agents answer up to a timeout after the poll's start and some update
 * sysUpTime coarsely: 10 s and 2 % of the interval are not a reboot. */
#define UPTIME_SLACK_TICKS (10 * TICKS_PER_SECOND)
#define UPTIME_SLACK_RATIO 50

struct _XnCounters {
	GHashTable *nodes;          /* node name (owned) → NodePrev */
};

typedef struct {
	XnInstant   time;
	gboolean    have_uptime;
	guint32     uptime;
	guint       generation;     /* of the last answered sample */
	GHashTable *interfaces;     /* ifName (owned) → IfPrev */
} NodePrev;

typedef struct {
	XnIfSample  counters;       /* name and alias are always NULL here */
	guint       generation;     /* the node's generation when last seen */
} IfPrev;

/* One pair of counters: where it is in a sample and in the rates, and how it
 * may be checked against the speed. */
typedef struct {
	guint32  have;              /* XnIfHave bits, any of which gives the pair */
	gsize    sample_in, sample_out;
	gsize    rate_in, rate_out;
	gboolean packets;           /* counts packets, not octets */
	gboolean always_32;         /* Counter32 even when the octets are 64-bit */
} CounterPair;

#define PAIR(have, field, packets, always_32) \
	{ have, offsetof (XnIfSample, in_##field), offsetof (XnIfSample, out_##field), \
	  offsetof (XnIfRates, in_##field), offsetof (XnIfRates, out_##field), packets, always_32 }

static const CounterPair counter_pairs[] = {
	PAIR (XN_IF_HAVE_HC_OCTETS | XN_IF_HAVE_OCTETS32, octets, FALSE, FALSE),
	PAIR (XN_IF_HAVE_UCAST, ucast, TRUE, FALSE),
	PAIR (XN_IF_HAVE_ERRORS, errors, TRUE, TRUE),
	PAIR (XN_IF_HAVE_DISCARDS, discards, TRUE, TRUE),
};

#undef PAIR

#define WIDTH_BITS (XN_IF_HAVE_HC_OCTETS | XN_IF_HAVE_OCTETS32)

static void
node_prev_free (gpointer data)
{
	NodePrev *prev = data;

	g_hash_table_unref (prev->interfaces);
	g_free (prev);
}

XnCounters *
xn_counters_new (void)
{
	XnCounters *counters = g_new0 (XnCounters, 1);

	counters->nodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, node_prev_free);
	return counters;
}

void
xn_counters_free (XnCounters *counters)
{
	if (counters == NULL)
		return;
	g_hash_table_unref (counters->nodes);
	g_free (counters);
}

void
xn_counters_forget (XnCounters *counters, const char *node)
{
	g_hash_table_remove (counters->nodes, node);
}

void
xn_node_rates_free (XnNodeRates *rates)
{
	if (rates == NULL)
		return;
	g_free (rates->node);
	g_array_unref (rates->interfaces);
	g_free (rates);
}

gboolean
xn_uptime_was_reset (XnInstant previous_time, guint32 previous_uptime,
		     XnInstant time, guint32 uptime, XnInstant *boot_time)
{
	gint64 elapsed = MAX (time - previous_time, 0) / USEC_PER_TICK;
	gint64 expected = (gint64) previous_uptime + elapsed;
	gint64 slack = UPTIME_SLACK_TICKS + elapsed / UPTIME_SLACK_RATIO;

	if ((gint64) uptime + slack >= expected)
		return FALSE;
	if (expected + slack >= TICKS_PER_WRAP) {
		/* Distance on the 2^32 circle: a reading just past the wrap
		 * (or an agent a little ahead of us across it) continues. */
		gint64 d = ((gint64) uptime - expected) % TICKS_PER_WRAP;

		if (d < 0)
			d += TICKS_PER_WRAP;
		if (d >= TICKS_PER_WRAP / 2)
			d -= TICKS_PER_WRAP;
		if (ABS (d) <= slack)
			return FALSE;
	}
	if (boot_time != NULL)
		*boot_time = time - (XnInstant) uptime * USEC_PER_TICK;
	return TRUE;
}

const char *
xn_rate_status_to_string (XnRateStatus status)
{
	switch (status) {
	case XN_RATE_OK:             return "ok";
	case XN_RATE_FIRST:          return "first";
	case XN_RATE_NO_NAME:        return "no-name";
	case XN_RATE_DUPLICATE_NAME: return "duplicate-name";
	case XN_RATE_REBOOT:         return "reboot";
	case XN_RATE_NO_INTERVAL:    return "no-interval";
	case XN_RATE_CHANGED:        return "changed";
	case XN_RATE_BACKWARDS:      return "backwards";
	case XN_RATE_IMPOSSIBLE:     return "impossible";
	}
	return "unknown";
}

static void
rates_void (XnIfRates *rates)
{
	rates->in_octets = rates->out_octets = NAN;
	rates->in_ucast = rates->out_ucast = NAN;
	rates->in_errors = rates->out_errors = NAN;
	rates->in_discards = rates->out_discards = NAN;
}

#define COUNTER_AT(sample, offset) (*(const guint64 *) ((const char *) (sample) + (offset)))
#define RATE_AT(rates, offset)     (*(double *) ((char *) (rates) + (offset)))

/* One counter's increase, or a status saying why there is none. */
static XnRateStatus
counter_delta (guint64 previous, guint64 current, gboolean wide, guint64 *delta)
{
	if (!wide && (previous > G_MAXUINT32 || current > G_MAXUINT32))
		return XN_RATE_IMPOSSIBLE;
	if (current >= previous) {
		*delta = current - previous;
		return XN_RATE_OK;
	}
	if (wide)
		return XN_RATE_BACKWARDS;
	*delta = current + (G_GUINT64_CONSTANT (1) << 32) - previous;
	return XN_RATE_OK;
}

static XnRateStatus
pair_rates (const CounterPair *pair, const XnIfSample *prev, const XnIfSample *cur,
	    double seconds, XnIfRates *rates)
{
	gboolean wide = !pair->always_32 && (cur->have & XN_IF_HAVE_HC_OCTETS);
	guint64 speed = 0;
	double limit = INFINITY;
	gsize sample_offsets[2] = { pair->sample_in, pair->sample_out };
	gsize rate_offsets[2] = { pair->rate_in, pair->rate_out };

	if (!(prev->have & pair->have) || !(cur->have & pair->have))
		return XN_RATE_OK;      /* not given: stays NAN */
	if (prev->have & XN_IF_HAVE_SPEED)
		speed = prev->speed_bps;
	if (cur->have & XN_IF_HAVE_SPEED)
		speed = MAX (speed, cur->speed_bps);
	if (speed > 0)
		limit = XN_COUNTERS_SPEED_SLACK * (double) speed / 8.0 /
			(pair->packets ? XN_COUNTERS_MIN_FRAME : 1);

	for (guint i = 0; i < 2; i++) {
		guint64 delta = 0;
		XnRateStatus status = counter_delta (COUNTER_AT (prev, sample_offsets[i]),
						     COUNTER_AT (cur, sample_offsets[i]), wide, &delta);
		double rate;

		if (status != XN_RATE_OK)
			return status;
		rate = (double) delta / seconds;
		if (rate > limit)
			return XN_RATE_IMPOSSIBLE;
		RATE_AT (rates, rate_offsets[i]) = rate;
	}
	return XN_RATE_OK;
}

/* The rates of one interface that has a previous sample and a usable interval. */
static XnRateStatus
interface_rates (const XnIfSample *prev, const XnIfSample *cur, double seconds, XnIfRates *rates)
{
	if (prev->if_index != cur->if_index || (prev->have & WIDTH_BITS) != (cur->have & WIDTH_BITS))
		return XN_RATE_CHANGED;
	for (gsize i = 0; i < G_N_ELEMENTS (counter_pairs); i++) {
		XnRateStatus status = pair_rates (&counter_pairs[i], prev, cur, seconds, rates);

		if (status != XN_RATE_OK)
			return status;
	}
	return XN_RATE_OK;
}

static void
remember_interface (NodePrev *node, const XnIfSample *ifs, IfPrev *prev)
{
	if (prev == NULL) {
		prev = g_new0 (IfPrev, 1);
		g_hash_table_insert (node->interfaces, g_strdup (ifs->name), prev);
	}
	prev->counters = *ifs;
	prev->counters.name = NULL;
	prev->counters.alias = NULL;
	prev->generation = node->generation;
}

static gboolean
is_stale (gpointer key, gpointer value, gpointer user_data)
{
	const IfPrev *prev = value;
	const NodePrev *node = user_data;

	return prev->generation != node->generation;
}

/* Rates of every interface of an answered sample; `node` is the previous
 * answer (generation already advanced) and is updated to this one. */
static void
node_interfaces (NodePrev *node, gboolean had_previous, gboolean rebooted,
		 gint64 interval_us, const XnNodeSample *sample, GArray *out)
{
	double seconds = (double) interval_us / XN_USEC_PER_SEC;

	for (guint i = 0; i < sample->interfaces->len; i++) {
		const XnIfSample *ifs = &g_array_index (sample->interfaces, XnIfSample, i);
		XnIfRates rates = { .if_index = ifs->if_index };
		IfPrev *prev = NULL;

		rates_void (&rates);
		if (!(ifs->have & XN_IF_HAVE_NAME) || ifs->name == NULL) {
			rates.status = XN_RATE_NO_NAME;
			g_array_append_val (out, rates);
			continue;
		}
		rates.name = ifs->name;
		prev = g_hash_table_lookup (node->interfaces, ifs->name);
		if (prev != NULL && prev->generation == node->generation) {
			rates.status = XN_RATE_DUPLICATE_NAME;
			g_array_append_val (out, rates);
			continue;
		}
		if (prev == NULL || !had_previous)
			rates.status = XN_RATE_FIRST;
		else if (rebooted)
			rates.status = XN_RATE_REBOOT;
		else if (interval_us <= 0)
			rates.status = XN_RATE_NO_INTERVAL;
		else
			rates.status = interface_rates (&prev->counters, ifs, seconds, &rates);
		if (rates.status != XN_RATE_OK)
			rates_void (&rates);
		remember_interface (node, ifs, prev);
		g_array_append_val (out, rates);
	}
	g_hash_table_foreach_remove (node->interfaces, is_stale, node);
}

XnNodeRates *
xn_counters_update (XnCounters *counters, const XnNodeSample *sample)
{
	XnNodeRates *rates = g_new0 (XnNodeRates, 1);
	gboolean have_uptime = (sample->have & XN_NODE_HAVE_UPTIME) != 0;
	gboolean had_previous = TRUE;
	NodePrev *node;

	rates->node = g_strdup (sample->node);
	rates->time = sample->started;
	rates->interfaces = g_array_sized_new (FALSE, TRUE, sizeof (XnIfRates),
					       sample->interfaces->len);
	if (sample->result != XN_POLL_OK)
		return rates;
	rates->answered = TRUE;

	node = g_hash_table_lookup (counters->nodes, sample->node);
	if (node == NULL) {
		node = g_new0 (NodePrev, 1);
		node->interfaces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
		g_hash_table_insert (counters->nodes, g_strdup (sample->node), node);
		had_previous = FALSE;
	} else {
		rates->interval_us = sample->started - node->time;
		if (node->have_uptime && have_uptime &&
		    xn_uptime_was_reset (node->time, node->uptime, sample->started,
					 sample->sys_uptime, &rates->boot_time)) {
			rates->rebooted = TRUE;
			rates->previous_uptime = node->uptime;
			rates->uptime = sample->sys_uptime;
		}
	}
	node->generation++;
	node_interfaces (node, had_previous, rates->rebooted, rates->interval_us, sample,
			 rates->interfaces);
	node->time = sample->started;
	node->have_uptime = have_uptime;
	node->uptime = sample->sys_uptime;
	return rates;
}

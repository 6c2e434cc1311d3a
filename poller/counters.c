/* counters.c — per-second rates from successive samples' counters.
 *
 * The previous answer of each node is kept per interface as a compact record
 * (ifIndex, which counters it had, their values, the speed) in one array in
 * the sample's order, followed by the interfaces' names: at 10,000 nodes × 48
 * interfaces this history is most of the poller's memory. History follows the
 * ifName, because ifIndex is only a row number: agents renumber it on reboot
 * or when a module is inserted. Poll after poll a node answers with the same
 * interfaces in the same order, so each is compared with the record at its
 * place and updated there; only when that fails is the sample matched by name
 * through a table made for it, and the records made anew. Each counter pair
 * is turned into a rate with the IF-MIB rules: a 64-bit counter never wraps in
 * practice (10 Tb/s takes 468 years), so going backwards means it was reset; a
 * 32-bit counter that went backwards wrapped once, unless the rate this
 * implies is more than the interface can carry, which means it wrapped again
 * or the agent misbehaved. A sysUpTime reset voids every interval of the
 * node. What this file does not do: decide what a rate means (state.c),
 * store it (storage/rrd.c), or read any clock. */
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

/* What is kept of one interface until the next answer: 64 bytes. Errors and
 * discards are Counter32 (IF-MIB has no 64-bit ones), so their low 32 bits
 * and a bit saying a value was wider (an agent bug the next delta must
 * still see) are enough. The speed fits 32 bits because ifSpeed does in
 * b/s and ifHighSpeed in Mb/s. */
typedef struct {
	guint64  wide[4];           /* in/out octets, in/out unicast packets */
	guint32  narrow[4];         /* in/out errors, in/out discards, low 32 bits */
	guint32  if_index;
	guint32  name;              /* offset of the ifName in the node's names */
	guint32  speed;             /* b/s, or Mb/s with KEPT_SPEED_MBPS */
	guint16  have;              /* the sample's XnIfHave bits within KEPT_HAVE */
	guint16  flags;             /* KEPT_* */
} IfPrev;

G_STATIC_ASSERT (sizeof (IfPrev) == 64);

enum {
	KEPT_NARROW_WIDER = 1 << 0, /* << i: the value of narrow[i] did not fit 32 bits */
	KEPT_SPEED_MBPS = 1 << 4,
};

#define KEPT_HAVE (XN_IF_HAVE_SPEED | XN_IF_HAVE_HC_OCTETS | XN_IF_HAVE_OCTETS32 | \
		   XN_IF_HAVE_UCAST | XN_IF_HAVE_ERRORS | XN_IF_HAVE_DISCARDS)
G_STATIC_ASSERT (KEPT_HAVE <= G_MAXUINT16);

/* The previous answer of a node. Its interfaces are one allocation: the
 * records in the order of that sample, then their names, NUL-terminated.
 * Names are unique among them (a repeated ifName is not kept). */
typedef struct {
	XnInstant   time;
	gboolean    have_uptime;
	guint32     uptime;
	guint       n_interfaces;
	IfPrev     *interfaces;     /* NULL when n_interfaces is 0 */
} NodePrev;

/* What every interface of one sample is measured against. */
typedef struct {
	gboolean  had_previous;
	gboolean  rebooted;
	gint64    interval_us;
	double    seconds;
} Interval;

/* One pair of counters: where it is in a sample, in the rates and in the
 * kept record, and how it may be checked against the speed. */
typedef struct {
	guint32  have;              /* XnIfHave bits, any of which gives the pair */
	gsize    sample_in, sample_out;
	gsize    rate_in, rate_out;
	guint    kept;              /* index of the in counter in IfPrev.wide, or .narrow when always_32 */
	gboolean packets;           /* counts packets, not octets */
	gboolean always_32;         /* Counter32 even when the octets are 64-bit */
} CounterPair;

#define PAIR(have, field, kept, packets, always_32) \
	{ have, offsetof (XnIfSample, in_##field), offsetof (XnIfSample, out_##field), \
	  offsetof (XnIfRates, in_##field), offsetof (XnIfRates, out_##field), kept, packets, always_32 }

static const CounterPair counter_pairs[] = {
	PAIR (XN_IF_HAVE_HC_OCTETS | XN_IF_HAVE_OCTETS32, octets, 0, FALSE, FALSE),
	PAIR (XN_IF_HAVE_UCAST, ucast, 2, TRUE, FALSE),
	PAIR (XN_IF_HAVE_ERRORS, errors, 0, TRUE, TRUE),
	PAIR (XN_IF_HAVE_DISCARDS, discards, 2, TRUE, TRUE),
};

#undef PAIR

#define WIDTH_BITS (XN_IF_HAVE_HC_OCTETS | XN_IF_HAVE_OCTETS32)
#define BPS_PER_MBPS G_GUINT64_CONSTANT (1000000)

static void
node_prev_free (gpointer data)
{
	NodePrev *prev = data;

	g_free (prev->interfaces);
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

static gboolean
has_name (const XnIfSample *ifs)
{
	return (ifs->have & XN_IF_HAVE_NAME) && ifs->name != NULL;
}

static const char *
node_names (const NodePrev *node)
{
	return node->interfaces != NULL ? (const char *) (node->interfaces + node->n_interfaces) : NULL;
}

/* A kept counter as the sample had it. A Counter32 that came wider than 32
 * bits reads as 2^32, which counter_delta() refuses as it would have refused
 * the value itself. */
static guint64
kept_counter (const IfPrev *prev, const CounterPair *pair, guint i)
{
	guint slot = pair->kept + i;

	if (!pair->always_32)
		return prev->wide[slot];
	if (prev->flags & (KEPT_NARROW_WIDER << slot))
		return G_GUINT64_CONSTANT (1) << 32;
	return prev->narrow[slot];
}

static guint64
kept_speed (const IfPrev *prev)
{
	return (prev->flags & KEPT_SPEED_MBPS) ? prev->speed * BPS_PER_MBPS : prev->speed;
}

/* Exact for every speed an agent can give: ifSpeed below 2^32 b/s,
 * ifHighSpeed a whole number of Mb/s below 2^32. Anything else is rounded up
 * to the next Mb/s (and capped), erring towards accepting a rate. */
static void
keep_speed (IfPrev *prev, guint64 bps)
{
	guint64 mbps;

	if (bps <= G_MAXUINT32) {
		prev->speed = (guint32) bps;
		return;
	}
	mbps = bps / BPS_PER_MBPS + (bps % BPS_PER_MBPS != 0);
	prev->speed = (guint32) MIN (mbps, G_MAXUINT32);
	prev->flags |= KEPT_SPEED_MBPS;
}

static void
keep_interface (IfPrev *prev, const XnIfSample *ifs, guint32 name)
{
	prev->if_index = ifs->if_index;
	prev->name = name;
	prev->have = (guint16) (ifs->have & KEPT_HAVE);
	prev->flags = 0;
	keep_speed (prev, ifs->speed_bps);
	for (gsize p = 0; p < G_N_ELEMENTS (counter_pairs); p++) {
		const CounterPair *pair = &counter_pairs[p];
		guint64 values[2] = { COUNTER_AT (ifs, pair->sample_in), COUNTER_AT (ifs, pair->sample_out) };

		for (guint i = 0; i < 2; i++) {
			guint slot = pair->kept + i;

			if (!pair->always_32) {
				prev->wide[slot] = values[i];
				continue;
			}
			prev->narrow[slot] = (guint32) values[i];
			if (values[i] > G_MAXUINT32)
				prev->flags |= KEPT_NARROW_WIDER << slot;
		}
	}
}

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
pair_rates (const CounterPair *pair, const IfPrev *prev, const XnIfSample *cur,
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
		speed = kept_speed (prev);
	if (cur->have & XN_IF_HAVE_SPEED)
		speed = MAX (speed, cur->speed_bps);
	if (speed > 0)
		limit = XN_COUNTERS_SPEED_SLACK * (double) speed / 8.0 /
			(pair->packets ? XN_COUNTERS_MIN_FRAME : 1);

	for (guint i = 0; i < 2; i++) {
		guint64 delta = 0;
		XnRateStatus status = counter_delta (kept_counter (prev, pair, i),
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

/* The rates of one named interface against what was kept of it (NULL: nothing). */
static XnRateStatus
interface_rates (const IfPrev *prev, const XnIfSample *cur, const Interval *interval, XnIfRates *rates)
{
	if (prev == NULL || !interval->had_previous)
		return XN_RATE_FIRST;
	if (interval->rebooted)
		return XN_RATE_REBOOT;
	if (interval->interval_us <= 0)
		return XN_RATE_NO_INTERVAL;
	if (prev->if_index != cur->if_index || (prev->have & WIDTH_BITS) != (cur->have & WIDTH_BITS))
		return XN_RATE_CHANGED;
	for (gsize i = 0; i < G_N_ELEMENTS (counter_pairs); i++) {
		XnRateStatus status = pair_rates (&counter_pairs[i], prev, cur, interval->seconds, rates);

		if (status != XN_RATE_OK)
			return status;
	}
	return XN_RATE_OK;
}

static void
set_status (XnIfRates *rates, XnRateStatus status)
{
	rates->status = status;
	if (status != XN_RATE_OK)
		rates_void (rates);
}

/* TRUE when the named interfaces of `sample` are the kept ones in the same
 * order, as they are poll after poll until something changes on the node. */
static gboolean
same_interfaces (const NodePrev *node, const XnNodeSample *sample)
{
	const char *names = node_names (node);
	guint k = 0;

	for (guint i = 0; i < sample->interfaces->len; i++) {
		const XnIfSample *ifs = &g_array_index (sample->interfaces, XnIfSample, i);

		if (!has_name (ifs))
			continue;
		if (k == node->n_interfaces || strcmp (names + node->interfaces[k].name, ifs->name) != 0)
			return FALSE;
		k++;
	}
	return k == node->n_interfaces;
}

/* The common case: each record is measured against and replaced by the
 * interface at its place, with neither lookup nor allocation. */
static void
update_in_place (NodePrev *node, const Interval *interval, const XnNodeSample *sample, GArray *out)
{
	IfPrev *prev = node->interfaces;

	for (guint i = 0; i < sample->interfaces->len; i++) {
		const XnIfSample *ifs = &g_array_index (sample->interfaces, XnIfSample, i);
		XnIfRates *rates = &g_array_index (out, XnIfRates, i);

		if (!has_name (ifs)) {
			rates->status = XN_RATE_NO_NAME;
			continue;
		}
		set_status (rates, interface_rates (prev, ifs, interval, rates));
		keep_interface (prev, ifs, prev->name);
		prev++;
	}
}

/* Where each interface of a sample finds its history in update_rebuilt(). */
enum { MATCH_NEW = -1, MATCH_DUPLICATE = -2, MATCH_NO_NAME = -3 };

#define TAKEN GUINT_TO_POINTER (G_MAXUINT)

/* Matches every interface of `sample` to a kept record by ifName, through a
 * table made for this sample only; the first interface with a name takes it.
 * Returns how many interfaces will be kept and the bytes their names need. */
static guint
match_by_name (const NodePrev *node, const XnNodeSample *sample, gint *match, gsize *names_size)
{
	g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);  /* borrowed name → k + 1, or TAKEN */
	const char *names = node_names (node);
	guint n_kept = 0;

	for (guint k = 0; k < node->n_interfaces; k++)
		g_hash_table_insert (seen, (char *) names + node->interfaces[k].name, GUINT_TO_POINTER (k + 1));
	*names_size = 0;
	for (guint i = 0; i < sample->interfaces->len; i++) {
		const XnIfSample *ifs = &g_array_index (sample->interfaces, XnIfSample, i);
		gpointer found;

		if (!has_name (ifs)) {
			match[i] = MATCH_NO_NAME;
			continue;
		}
		found = g_hash_table_lookup (seen, ifs->name);
		if (found == TAKEN) {
			match[i] = MATCH_DUPLICATE;
			continue;
		}
		match[i] = found != NULL ? (gint) GPOINTER_TO_UINT (found) - 1 : MATCH_NEW;
		g_hash_table_insert (seen, ifs->name, TAKEN);
		n_kept++;
		*names_size += strlen (ifs->name) + 1;
	}
	return n_kept;
}

/* Interfaces came, went, were renumbered or repeat a name: the records are
 * made anew in the sample's order, each measured against the one of its
 * name, and the old ones (with the names of interfaces now gone) freed. */
static void
update_rebuilt (NodePrev *node, const Interval *interval, const XnNodeSample *sample, GArray *out)
{
	g_autofree gint *match = g_new (gint, sample->interfaces->len);
	g_autofree IfPrev *old = node->interfaces;
	gsize names_size;
	guint n_kept = match_by_name (node, sample, match, &names_size);
	IfPrev *kept = n_kept > 0 ? g_malloc (n_kept * sizeof (IfPrev) + names_size) : NULL;
	char *names = kept != NULL ? (char *) (kept + n_kept) : NULL;
	guint32 name_at = 0;
	guint k = 0;

	for (guint i = 0; i < sample->interfaces->len; i++) {
		const XnIfSample *ifs = &g_array_index (sample->interfaces, XnIfSample, i);
		XnIfRates *rates = &g_array_index (out, XnIfRates, i);
		gsize size;

		if (match[i] == MATCH_NO_NAME || match[i] == MATCH_DUPLICATE) {
			rates->status = match[i] == MATCH_NO_NAME ? XN_RATE_NO_NAME : XN_RATE_DUPLICATE_NAME;
			continue;
		}
		set_status (rates, interface_rates (match[i] >= 0 ? &old[match[i]] : NULL, ifs, interval, rates));
		size = strlen (ifs->name) + 1;
		memcpy (names + name_at, ifs->name, size);
		keep_interface (&kept[k++], ifs, name_at);
		name_at += (guint32) size;
	}
	node->interfaces = kept;
	node->n_interfaces = n_kept;
}

XnNodeRates *
xn_counters_update (XnCounters *counters, const XnNodeSample *sample)
{
	XnNodeRates *rates = g_new0 (XnNodeRates, 1);
	gboolean have_uptime = (sample->have & XN_NODE_HAVE_UPTIME) != 0;
	Interval interval = { .had_previous = TRUE };
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
		g_hash_table_insert (counters->nodes, g_strdup (sample->node), node);
		interval.had_previous = FALSE;
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
	interval.rebooted = rates->rebooted;
	interval.interval_us = rates->interval_us;
	interval.seconds = (double) rates->interval_us / XN_USEC_PER_SEC;

	g_array_set_size (rates->interfaces, sample->interfaces->len);
	for (guint i = 0; i < sample->interfaces->len; i++) {
		const XnIfSample *ifs = &g_array_index (sample->interfaces, XnIfSample, i);
		XnIfRates *r = &g_array_index (rates->interfaces, XnIfRates, i);

		r->if_index = ifs->if_index;
		r->name = has_name (ifs) ? ifs->name : NULL;
		rates_void (r);
	}
	if (same_interfaces (node, sample))
		update_in_place (node, &interval, sample, rates->interfaces);
	else
		update_rebuilt (node, &interval, sample, rates->interfaces);

	node->time = sample->started;
	node->have_uptime = have_uptime;
	node->uptime = sample->sys_uptime;
	return rates;
}

/* sample-rrd.c — a sample and its rates as RRD values (see sample-rrd.h).
 * It decides what is stored and under which name; the files, their layout
 * and rrdcached are storage/xn-rrd.c's, and logging failures once is the
 * caller's. */
#include "sample-rrd.h"

#include <math.h>

static void
keep_first (GError **first, GError *error, guint *n_failed)
{
	(*n_failed)++;
	if (*first == NULL)
		*first = error;
	else
		g_error_free (error);
}

guint
xn_sample_rrd_write (XnRrd *rrd, const char *node, guint step_s, XnInstant t,
		     const XnNodeSample *sample, const XnNodeRates *rates,
		     GError **first, guint *n_failed)
{
	gboolean answered = sample->result == XN_POLL_OK;
	gboolean have_memory = answered && (sample->have & XN_NODE_HAVE_MEMORY) && sample->mem_total_bytes > 0;
	XnRrdNodeValues values = {
		.reachable = answered ? 1 : 0,
		.response_s = answered && sample->response_us >= 0 ? sample->response_us / 1e6 : NAN,
		.cpu_percent = answered && (sample->have & XN_NODE_HAVE_CPU) ? sample->cpu_percent : NAN,
		.memory_percent = have_memory ? 100.0 * sample->mem_used_bytes / sample->mem_total_bytes : NAN,
	};
	GError *error = NULL;
	guint tried = 1;

	if (!xn_rrd_update_node (rrd, node, step_s, t, &values, &error))
		keep_first (first, g_steal_pointer (&error), n_failed);
	for (guint i = 0; answered && i < rates->interfaces->len; i++) {
		const XnIfRates *r = &g_array_index (rates->interfaces, XnIfRates, i);
		XnRrdIfValues v = { r->in_octets, r->out_octets, r->in_errors, r->out_errors,
				    r->in_discards, r->out_discards };

		/* No name, nothing to name the file by; a repeated name would
		 * update the first one's file twice at the same instant. */
		if (r->name == NULL || *r->name == '\0' || r->status == XN_RATE_DUPLICATE_NAME)
			continue;
		tried++;
		if (!xn_rrd_update_interface (rrd, node, r->name, step_s, t, &v, &error))
			keep_first (first, g_steal_pointer (&error), n_failed);
	}
	return tried;
}

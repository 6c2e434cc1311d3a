/* sample.c — allocation and lookup for XnNodeSample (see sample.h).
 *
 * Interfaces are kept in one GArray sorted by ifIndex, as agents walk them;
 * a lookup by ifIndex that misses appends in order, so the engine fills the
 * array column by column without a hash table per poll. */
#include "sample.h"

#include <string.h>

static void
if_sample_clear (gpointer data)
{
	XnIfSample *ifs = data;

	g_free (ifs->name);
	g_free (ifs->alias);
}

XnNodeSample *
xn_node_sample_new (const char *node)
{
	XnNodeSample *sample = g_new0 (XnNodeSample, 1);

	sample->node = g_strdup (node);
	sample->response_us = -1;
	/* Nothing reserved: a sample is made when its poll is queued, which can
	 * be long before the first interface arrives (a whole cycle of nodes
	 * queued at once: 10,000 reservations of 8 interfaces were 10 MB). */
	sample->interfaces = g_array_new (FALSE, TRUE, sizeof (XnIfSample));
	g_array_set_clear_func (sample->interfaces, if_sample_clear);
	return sample;
}

void
xn_node_sample_free (XnNodeSample *sample)
{
	if (sample == NULL)
		return;
	g_free (sample->node);
	g_free (sample->error);
	g_free (sample->incomplete);
	g_free (sample->sys_name);
	g_free (sample->sys_descr);
	g_array_unref (sample->interfaces);
	g_free (sample);
}

XnIfSample *
xn_node_sample_interface (XnNodeSample *sample, guint32 if_index)
{
	GArray *a = sample->interfaces;
	guint lo = 0, hi = a->len;
	XnIfSample fresh = { 0 };

	/* The common case is the walk's order: append at the end. */
	if (a->len > 0 && g_array_index (a, XnIfSample, a->len - 1).if_index < if_index) {
		lo = a->len;
	} else {
		while (lo < hi) {
			guint mid = (lo + hi) / 2;
			guint32 at = g_array_index (a, XnIfSample, mid).if_index;

			if (at == if_index)
				return &g_array_index (a, XnIfSample, mid);
			if (at < if_index)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	fresh.if_index = if_index;
	g_array_insert_val (a, lo, fresh);
	return &g_array_index (a, XnIfSample, lo);
}

const XnIfSample *
xn_node_sample_find_name (const XnNodeSample *sample, const char *if_name)
{
	for (guint i = 0; i < sample->interfaces->len; i++) {
		const XnIfSample *ifs = &g_array_index (sample->interfaces, XnIfSample, i);

		if ((ifs->have & XN_IF_HAVE_NAME) && strcmp (ifs->name, if_name) == 0)
			return ifs;
	}
	return NULL;
}

/* test-outage-util.c — helpers of the outage tests (test-outage-util.h).
 * The sample county goes through the configuration loader, as the
 * collector will load it; the engine itself never sees libyang. */
#include "test-outage-util.h"
#include "xn-error.h"

#include <string.h>

/* dong-core loses power at about 10:01; taohua was seen down 90 s before
 * (its own poll came first) and stays down after dong-core returns at
 * 10:40. */
const F worked_example[WORKED_EXAMPLE_LEN] = {
	{ "10:00:00", DOWN, "node/taohua", NULL },
	{ "10:01:30", DOWN, "node/dong-core", NULL },
	{ "10:02:00", DOWN, "node/qingshan", NULL },
	{ "10:03:00", DOWN, "node/baishui", NULL },
	{ "10:40:00", UP, "node/dong-core", NULL },
	{ "10:41:00", UP, "node/qingshan", NULL },
	{ "10:42:00", UP, "node/baishui", NULL },
	{ "11:30:00", UP, "node/taohua", NULL },
};

void
fixtures_init (Fixtures *fx)
{
	const char *top = g_getenv ("top_srcdir");
	g_autofree char *srcdir = g_canonicalize_filename (top != NULL ? top : ".", NULL);
	g_autofree char *county = g_build_filename (srcdir, "data", "sample-county.json", NULL);
	g_autofree char *yang = g_build_filename (srcdir, "yang", NULL);
	const char *files[] = { county, NULL };
	g_autoptr(GError) error = NULL;

	fx->config = xn_config_load (yang, files, &error);
	g_assert_no_error (error);
	fx->county = xn_config_get_inventory (fx->config);
	fx->tz = xn_time_zone_new ("Asia/Shanghai", &error);
	g_assert_no_error (error);
}

void
fixtures_clear (Fixtures *fx)
{
	g_time_zone_unref (fx->tz);
	xn_config_free (fx->config);
}

XnInstant
local (const Fixtures *fx, const char *time_of_day)
{
	g_autofree char *text = g_strconcat ("2025-03-10T", time_of_day, NULL);
	g_autoptr(GError) error = NULL;
	XnInstant t = 0;

	g_assert_true (xn_time_parse (text, fx->tz, &t, &error));
	g_assert_no_error (error);
	return t;
}

char *
hms (const Fixtures *fx, XnInstant t)
{
	g_autofree char *text = NULL;

	if (t == XN_OUTAGE_OPEN)
		return g_strdup ("open");
	text = xn_time_format (t, fx->tz);
	return g_strndup (text + 11, 8);
}

XnFact *
make_fact (const Fixtures *fx, gint64 seq, const F *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) attrs = xn_fact_attrs_from_json (f->attrs != NULL ? f->attrs : "{}", &error);
	XnInstant ts = local (fx, f->at);
	XnFact *fact;

	g_assert_no_error (error);
	fact = xn_fact_new (ts, f->kind, f->subject, g_str_has_prefix (f->kind, "trap.") ? "collector" : "poller",
			    ts, attrs);
	fact->seq = seq;
	return fact;
}

char *
describe (const Fixtures *fx, const XnOutage *outage)
{
	GString *s = g_string_new (NULL);
	g_autofree char *start = hms (fx, outage->start);
	g_autofree char *end = hms (fx, outage->end);
	g_autofree char *deps = g_strjoinv (",", outage->dependents);

	g_string_append_printf (s, "%s %s-%s %s ev=", outage->id, start, end, outage->cause);
	for (guint i = 0; i < outage->evidence->len; i++)
		g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
					g_array_index (outage->evidence, gint64, i));
	g_string_append (s, " seg=");
	for (guint i = 0; i < outage->segments->len; i++) {
		const XnOutageSegment *segment = g_ptr_array_index (outage->segments, i);
		g_autofree char *from = hms (fx, segment->from);

		g_string_append_printf (s, "%s%s>%s", i > 0 ? "," : "", from, segment->root_id);
	}
	g_string_append_printf (s, " dep=%s", deps);
	return g_string_free (s, FALSE);
}

char *
describe_all (const Fixtures *fx, const XnOutageEngine *engine, const char *only)
{
	g_autoptr(GPtrArray) outages = xn_outage_engine_list (engine, FALSE);
	g_auto(GStrv) objects = only != NULL ? g_strsplit (only, " ", -1) : NULL;
	GString *s = g_string_new (NULL);

	for (guint i = 0; i < outages->len; i++) {
		const XnOutage *outage = g_ptr_array_index (outages, i);
		g_autofree char *line = NULL;

		if (objects != NULL && !g_strv_contains ((const char *const *) objects, outage->object))
			continue;
		line = describe (fx, outage);
		g_string_append_printf (s, "%s\n", line);
	}
	return g_string_free (s, FALSE);
}

XnOutageEngine *
engine_new (const XnInventory *inventory, gint window_s)
{
	g_autoptr(GError) error = NULL;
	XnOutageOptions options;
	XnOutageEngine *engine;

	xn_outage_options_init (&options);
	if (window_s >= 0)
		options.correlation_window_us = window_s * XN_USEC_PER_SEC;
	engine = xn_outage_engine_new (inventory, &options, &error);
	g_assert_no_error (error);
	return engine;
}

void
feed (XnOutageEngine *engine, XnFact *fact)
{
	g_autoptr(GError) error = NULL;

	g_assert_true (xn_outage_engine_feed (engine, fact, &error));
	g_assert_no_error (error);
}

XnOutage *
only_outage (const XnOutageEngine *engine, const char *object)
{
	g_autoptr(GPtrArray) outages = xn_outage_engine_list (engine, FALSE);

	for (guint i = 0; i < outages->len; i++) {
		XnOutage *outage = g_ptr_array_index (outages, i);

		if (strcmp (outage->object, object) == 0)
			return g_ptr_array_steal_index (outages, i);
	}
	g_assert_not_reached ();
}

void
feed_f (const Fixtures *fx, XnOutageEngine *engine, gint64 seq, const F *f)
{
	g_autoptr(XnFact) fact = make_fact (fx, seq, f);

	feed (engine, fact);
}

char *
list_json (const XnOutageEngine *engine)
{
	g_autoptr(GPtrArray) outages = xn_outage_engine_list (engine, FALSE);
	g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
	JsonArray *array = json_array_new ();

	for (guint i = 0; i < outages->len; i++)
		json_array_add_object_element (array, xn_outage_to_json (g_ptr_array_index (outages, i)));
	json_node_take_array (root, array);
	return json_to_string (root, FALSE);
}

XnOutageEngine *
restore (const XnInventory *inventory, const char *snapshot)
{
	g_autoptr(GError) error = NULL;
	XnOutageEngine *engine = xn_outage_engine_restore (inventory, NULL, snapshot, &error);

	g_assert_no_error (error);
	g_assert_nonnull (engine);
	return engine;
}

static void
hand_node (XnInventory *inv, const char *name, const char *parent)
{
	XnNode *node = xn_node_new (name, parent == NULL ? XN_NODE_BACKBONE : XN_NODE_ACCESS, "room", "192.0.2.1");

	node->parent_name = g_strdup (parent);
	g_assert_true (xn_inventory_add_node (inv, node, NULL));
}

static void
hand_link (XnInventory *inv, const char *id, const char *a, const char *a_if, const char *z, const char *z_if)
{
	XnLink *link = xn_link_new (id, 100000, a, a_if, "room");

	link->z.node_name = g_strdup (z);
	link->z.interface = g_strdup (z_if);
	g_assert_true (xn_inventory_add_link (inv, link, NULL));
}

XnInventory *
hand_inventory (HandShape shape)
{
	XnInventory *inv = xn_inventory_new ();
	g_autoptr(GError) error = NULL;

	g_assert_true (xn_inventory_add_region (inv, xn_region_new ("city", XN_REGION_CITY), NULL));
	g_assert_true (xn_inventory_add_site (inv, xn_site_new ("room", "city", "core-room"), NULL));
	hand_node (inv, "core", NULL);
	hand_node (inv, "agg", "core");
	hand_link (inv, "L1", "core", "ge-0/0/1", "agg", "ge-0/0/1");
	hand_link (inv, "L2", "core", "ge-0/0/2", "agg", "ge-0/0/2");
	if (shape != HAND_WITHOUT_ACC) {
		hand_node (inv, "acc", "agg");
		hand_link (inv, "L3", "agg", "ge-0/1/0", "acc", "ge-0/0/0");
		g_assert_true (xn_inventory_add_unit (inv, xn_access_unit_new ("u1", "u1", "room", "L3"), NULL));
	}
	if (shape == HAND_WITH_EXTRA)
		hand_node (inv, "extra", "core");
	g_assert_true (xn_inventory_resolve (inv, &error));
	g_assert_no_error (error);
	return inv;
}


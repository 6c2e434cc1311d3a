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
	if (g_str_has_prefix (f->kind, "trap.")) {
		/* as the collector makes them: printed text, no tree */
		g_autofree char *printed = xn_fact_attrs_to_json (attrs);

		fact = xn_fact_new_printed (ts, f->kind, f->subject, "collector", ts, NULL, printed, strlen (printed));
	} else {
		fact = xn_fact_new (ts, f->kind, f->subject, "poller", ts, attrs);
	}
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

void
options_for (XnOutageOptions *options, gint window_s, gboolean settle, gboolean keep)
{
	xn_outage_options_init (options);
	if (window_s >= 0)
		options->correlation_window_us = window_s * XN_USEC_PER_SEC;
	options->settle = settle;
	options->keep_settled = keep;
}

XnOutageEngine *
engine_new_with (const XnInventory *inventory, const XnOutageOptions *options)
{
	g_autoptr(GError) error = NULL;
	XnOutageEngine *engine = xn_outage_engine_new (inventory, options, &error);

	g_assert_no_error (error);
	return engine;
}

XnOutageEngine *
engine_new (const XnInventory *inventory, gint window_s)
{
	XnOutageOptions options;

	options_for (&options, window_s, FALSE, TRUE);
	return engine_new_with (inventory, &options);
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
outages_json (const GPtrArray *outages)
{
	g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
	JsonArray *array = json_array_new ();

	for (guint i = 0; i < outages->len; i++)
		json_array_add_object_element (array, xn_outage_to_json (g_ptr_array_index (outages, i)));
	json_node_take_array (root, array);
	return json_to_string (root, FALSE);
}

char *
list_json (const XnOutageEngine *engine)
{
	g_autoptr(GPtrArray) outages = xn_outage_engine_list (engine, FALSE);

	return outages_json (outages);
}

XnOutageEngine *
restore_with (const XnInventory *inventory, const XnOutageOptions *options, const char *snapshot)
{
	g_autoptr(GError) error = NULL;
	XnOutageEngine *engine = xn_outage_engine_restore (inventory, options, snapshot, &error);

	g_assert_no_error (error);
	g_assert_nonnull (engine);
	return engine;
}

XnOutageEngine *
restore (const XnInventory *inventory, const char *snapshot)
{
	return restore_with (inventory, NULL, snapshot);
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

/* Subjects the random scenario reports on: every node and link end of the
 * sample, and two the inventory does not have. */
static GPtrArray *
scenario_subjects (const XnInventory *inv, GPtrArray **interfaces)
{
	GPtrArray *nodes = g_ptr_array_new_with_free_func (g_free);
	const GPtrArray *links = xn_inventory_get_links (inv);

	*interfaces = g_ptr_array_new_with_free_func (g_free);
	for (guint i = 0; i < xn_inventory_get_nodes (inv)->len; i++)
		g_ptr_array_add (nodes, g_strconcat ("node/", ((XnNode *) g_ptr_array_index (xn_inventory_get_nodes (inv), i))->name, NULL));
	for (guint i = 0; i < links->len; i++) {
		const XnLink *link = g_ptr_array_index (links, i);

		g_ptr_array_add (*interfaces, g_strdup_printf ("interface/%s/%s", link->a.node->name, link->a.interface));
		if (link->z.node != NULL)
			g_ptr_array_add (*interfaces, g_strdup_printf ("interface/%s/%s", link->z.node->name, link->z.interface));
	}
	return nodes;
}

static const char *
pick (GRand *rand, const char *const *choices, guint n)
{
	return choices[g_rand_int_range (rand, 0, n)];
}

GPtrArray *
scenario (const Fixtures *fx, guint n, guint32 seed, gboolean beyond_horizon)
{
	static const char *const node_kinds[] = { DOWN, DOWN, UP, UP, UP, "node.rebooted" };
	static const char *const if_kinds[] = { IF_DOWN, IF_UP, IF_UP, "interface.admin-down", "trap.link-down",
						"trap.link-up", "trap.cold-start" };
	static const char *const unknown[] = { "node/ghost", "interface/dong-core/ge-9-9-9" };
	g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
	g_autoptr(GPtrArray) interfaces = NULL;
	g_autoptr(GPtrArray) nodes = scenario_subjects (fx->county, &interfaces);
	GPtrArray *facts = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
	XnInstant clock = local (fx, "08:00:00");
	gint64 seq = 0;

	for (guint i = 0; i < n; i++) {
		double r = g_rand_double (rand);
		XnInstant ts;
		const char *kind, *subject, *attrs = NULL;
		g_autoptr(JsonObject) object = NULL;
		XnFact *fact;

		clock += g_rand_int_range (rand, 5, 150) * XN_USEC_PER_SEC;
		ts = clock;
		if (r < 0.15)
			ts -= g_rand_int_range (rand, 1, 300) * XN_USEC_PER_SEC;
		else if (r < 0.19 && beyond_horizon)
			ts -= g_rand_int_range (rand, 3600, 3 * 3600) * XN_USEC_PER_SEC;
		r = g_rand_double (rand);
		if (r < 0.40) {
			kind = pick (rand, node_kinds, G_N_ELEMENTS (node_kinds));
			/* dong-core and xi-core, the parents, a third of the time */
			subject = g_rand_double (rand) < 0.3 ? pick (rand, (const char *const[]) { "node/dong-core", "node/xi-core" }, 2) :
				g_ptr_array_index (nodes, g_rand_int_range (rand, 0, nodes->len));
		} else if (r < 0.92) {
			kind = pick (rand, if_kinds, G_N_ELEMENTS (if_kinds));
			subject = g_ptr_array_index (interfaces, g_rand_int_range (rand, 0, interfaces->len));
			if (strcmp (kind, "trap.link-down") == 0)
				attrs = g_rand_double (rand) < 0.2 ? ADMIN_DOWN : ADMIN_UP;
		} else {
			kind = pick (rand, (const char *const[]) { DOWN, IF_DOWN }, 2);
			subject = pick (rand, unknown, G_N_ELEMENTS (unknown));
		}
		object = xn_fact_attrs_from_json (attrs != NULL ? attrs : "{}", NULL);
		fact = xn_fact_new (ts, kind, subject, "poller", clock, object);
		seq += 1 + (g_rand_double (rand) < 0.1 ? g_rand_int_range (rand, 1, 5) : 0);
		fact->seq = seq;
		g_ptr_array_add (facts, fact);
	}
	return facts;
}

typedef struct {
	XnInstant   due;
	const char *kind;
	const char *subject;
} Recovery;

static void
add_fact (GPtrArray *facts, GRand *rand, gint64 *seq, XnInstant ts, XnInstant clock, const char *kind,
	  const char *subject, const char *attrs)
{
	g_autoptr(JsonObject) object = xn_fact_attrs_from_json (attrs != NULL ? attrs : "{}", NULL);
	XnFact *fact = xn_fact_new (ts, kind, subject, "poller", clock, object);

	*seq += 1 + (g_rand_double (rand) < 0.1 ? g_rand_int_range (rand, 1, 5) : 0);
	fact->seq = *seq;
	g_ptr_array_add (facts, fact);
}

/* Recoveries that have fallen due, in time order, reported now. */
static void
add_recoveries (GPtrArray *facts, GArray *pending, GRand *rand, gint64 *seq, XnInstant clock)
{
	for (guint i = 0; i < pending->len;) {
		const Recovery *r = &g_array_index (pending, Recovery, i);

		if (r->due > clock) {
			i++;
			continue;
		}
		add_fact (facts, rand, seq, r->due, clock, r->kind, r->subject, NULL);
		g_array_remove_index (pending, i);
	}
}

GPtrArray *
scenario_incidents (const Fixtures *fx, guint n, guint32 seed, gboolean beyond_horizon)
{
	static const char *const unknown[] = { "node/ghost", "interface/dong-core/ge-9-9-9" };
	static const char *const parents[] = { "node/dong-core", "node/xi-core" };
	g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
	g_autoptr(GPtrArray) interfaces = NULL;
	g_autoptr(GPtrArray) nodes = scenario_subjects (fx->county, &interfaces);
	g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (Recovery));
	GPtrArray *facts = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
	XnInstant clock = local (fx, "08:00:00");
	gint64 seq = 0;

	while (facts->len < n) {
		double r = g_rand_double (rand);
		gboolean node = g_rand_double (rand) < 0.45;
		const char *subject = node ? g_ptr_array_index (nodes, g_rand_int_range (rand, 0, nodes->len))
				      : g_ptr_array_index (interfaces, g_rand_int_range (rand, 0, interfaces->len));
		/* node.unreachable is dated at the first failed poll */
		XnInstant ts;
		Recovery up;

		clock += g_rand_int_range (rand, 30, 300) * XN_USEC_PER_SEC;
		add_recoveries (facts, pending, rand, &seq, clock);
		ts = clock - g_rand_int_range (rand, 0, 240) * XN_USEC_PER_SEC;
		if (r < 0.06) {
			add_fact (facts, rand, &seq, clock, clock, node ? "node.rebooted" : "trap.cold-start",
				  node ? subject : "node/dong-core", NULL);
		} else if (r < 0.10) {
			add_fact (facts, rand, &seq, ts, clock, node ? DOWN : IF_DOWN, pick (rand, unknown, 2), NULL);
		} else if (r < 0.15 && !node) {
			add_fact (facts, rand, &seq, clock, clock, "trap.link-down", subject, ADMIN_DOWN);
		} else if (r < 0.18 && beyond_horizon) {
			/* an old report beyond the reorder horizon */
			add_fact (facts, rand, &seq, clock - g_rand_int_range (rand, 3600, 3 * 3600) * XN_USEC_PER_SEC,
				  clock, node ? DOWN : IF_UP, subject, NULL);
		} else {
			gboolean parent = node && g_rand_double (rand) < 0.25;

			if (parent)
				subject = pick (rand, parents, 2);
			add_fact (facts, rand, &seq, node ? ts : clock, clock, node ? DOWN : g_rand_boolean (rand) ?
				  IF_DOWN : "trap.link-down", subject, node ? NULL : ADMIN_UP);
			/* a parent's failure lasts longer, so that children fail
			 * and recover inside it, or outlast it */
			up = (Recovery) { clock + g_rand_int_range (rand, 60, (parent ? 45 : 20) * 60) * XN_USEC_PER_SEC,
					  node ? UP : g_rand_boolean (rand) ? IF_UP : "trap.link-up", subject };
			g_array_append_val (pending, up);
		}
	}
	g_ptr_array_set_size (facts, n);
	return facts;
}

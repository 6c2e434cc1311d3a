/* test-inventory.c — lib/inventory.c and lib/policy.c: the plain-C model,
 * built by hand and linked against libxnbase only (GLib, no libyang), as
 * the SLA engine will use it.
 *
 * The hand-built network is small enough to see every answer on paper:
 *
 *   core ── L-core-a ── agg-a ── L-a-1 ── acc-1   (units u1, u2 on L-a-1)
 *     │                   └──── L-a-cpe ── (unit's own CPE)   (unit u3)
 *     └─── L-core-b ── agg-b ── L-b-2 ── acc-2    (unit u4 on L-b-2)
 *
 * Loops, chains deeper than twelve hops and dangling names must make
 * resolve fail; the policy must start from the regulation numbers. */
#include "inventory.h"
#include "policy.h"
#include "xn-error.h"

#include <string.h>

static void
add_node (XnInventory *inv, const char *name, const char *parent, const char *site)
{
	g_autoptr(GError) error = NULL;
	XnNode *node = xn_node_new (name, parent == NULL ? XN_NODE_BACKBONE : XN_NODE_ACCESS, site, "192.0.2.1");

	node->parent_name = g_strdup (parent);
	node->snmp = xn_snmp_endpoint_new ("community");
	g_assert_true (xn_inventory_add_node (inv, node, &error));
	g_assert_no_error (error);
}

static void
add_link (XnInventory *inv, const char *id, const char *a, const char *z, const char *sla_site)
{
	g_autoptr(GError) error = NULL;
	XnLink *link = xn_link_new (id, 100000, a, "ge-0/0/0", sla_site);

	link->z.node_name = g_strdup (z);
	link->z.interface = g_strdup ("ge-0/0/1");
	g_assert_true (xn_inventory_add_link (inv, link, &error));
	g_assert_no_error (error);
}

static void
add_unit (XnInventory *inv, const char *name, const char *uplink)
{
	g_autoptr(GError) error = NULL;

	g_assert_true (xn_inventory_add_unit (inv, xn_access_unit_new (name, name, "room", uplink), &error));
	g_assert_no_error (error);
}

static XnInventory *
small_network (void)
{
	XnInventory *inv = xn_inventory_new ();
	XnSite *room = xn_site_new ("room", "city", "core-room");
	XnSite *town = xn_site_new ("town", "city", "township");

	g_assert_true (xn_inventory_add_region (inv, xn_region_new ("city", XN_REGION_CITY), NULL));
	g_assert_true (xn_inventory_add_site (inv, room, NULL));
	g_assert_true (xn_inventory_add_site (inv, town, NULL));
	add_node (inv, "core", NULL, "room");
	add_node (inv, "agg-a", "core", "room");
	add_node (inv, "agg-b", "core", "room");
	add_node (inv, "acc-1", "agg-a", "town");
	add_node (inv, "acc-2", "agg-b", "town");
	add_link (inv, "L-core-a", "core", "agg-a", "room");
	add_link (inv, "L-core-b", "core", "agg-b", "room");
	add_link (inv, "L-a-1", "agg-a", "acc-1", "town");
	add_link (inv, "L-a-cpe", "agg-a", NULL, "room");
	add_link (inv, "L-b-2", "agg-b", "acc-2", "town");
	add_unit (inv, "u1", "L-a-1");
	add_unit (inv, "u2", "L-a-1");
	add_unit (inv, "u3", "L-a-cpe");
	add_unit (inv, "u4", "L-b-2");
	return inv;
}

/* "a,b,c" from the names of an array of nodes, links or units: each type
 * starts with its name. */
static char *
names (const GPtrArray *objects)
{
	g_autoptr(GString) s = g_string_new (NULL);

	for (guint i = 0; i < objects->len; i++)
		g_string_append_printf (s, "%s%s", i > 0 ? "," : "", *(char **) g_ptr_array_index (objects, i));
	return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
test_topology (void)
{
	g_autoptr(XnInventory) inv = small_network ();
	g_autoptr(GError) error = NULL;
	XnNode *core, *agg_a, *acc_1;
	g_autofree char *children = NULL, *core_links = NULL, *a_links = NULL, *on_link = NULL;
	g_autofree char *below_core = NULL, *below_a = NULL, *below_acc = NULL, *below_b = NULL;
	g_autoptr(GPtrArray) u_core = NULL, u_a = NULL, u_acc = NULL, u_b = NULL;

	g_assert_true (xn_inventory_resolve (inv, &error));
	g_assert_no_error (error);
	core = xn_inventory_node_by_name (inv, "core");
	agg_a = xn_inventory_node_by_name (inv, "agg-a");
	acc_1 = xn_inventory_node_by_name (inv, "acc-1");
	g_assert_nonnull (core);
	g_assert_null (xn_inventory_node_by_name (inv, "nosuch"));
	g_assert_null (xn_inventory_node_by_name (inv, NULL));
	g_assert_true (acc_1->parent == agg_a && agg_a->parent == core && core->parent == NULL);
	g_assert_true (acc_1->site == xn_inventory_site_by_name (inv, "town"));

	children = names (xn_inventory_children (inv, core));
	g_assert_cmpstr (children, ==, "agg-a,agg-b");
	core_links = names (xn_inventory_links_of_node (inv, core));
	g_assert_cmpstr (core_links, ==, "L-core-a,L-core-b");
	a_links = names (xn_inventory_links_of_node (inv, agg_a));
	g_assert_cmpstr (a_links, ==, "L-core-a,L-a-1,L-a-cpe");
	on_link = names (xn_inventory_units_on_link (inv, xn_inventory_link_by_id (inv, "L-a-1")));
	g_assert_cmpstr (on_link, ==, "u1,u2");

	u_core = xn_inventory_units_below_node (inv, core);
	u_a = xn_inventory_units_below_node (inv, agg_a);
	u_acc = xn_inventory_units_below_node (inv, acc_1);
	u_b = xn_inventory_units_below_node (inv, xn_inventory_node_by_name (inv, "agg-b"));
	below_core = names (u_core);
	below_a = names (u_a);
	below_acc = names (u_acc);
	below_b = names (u_b);
	g_assert_cmpstr (below_core, ==, "u1,u2,u3,u4");
	g_assert_cmpstr (below_a, ==, "u1,u2,u3");
	g_assert_cmpstr (below_acc, ==, "u1,u2");
	g_assert_cmpstr (below_b, ==, "u4");

	g_assert_cmpstr (xn_inventory_sla_class_of_link (inv, xn_inventory_link_by_id (inv, "L-a-1")), ==, "township");
	g_assert_cmpstr (xn_inventory_sla_class_of_link (inv, xn_inventory_link_by_id (inv, "L-a-cpe")), ==, "core-room");
	g_assert_null (xn_inventory_link_by_id (inv, "L-a-cpe")->z.node);

	/* Resolving again gives the same answers, not doubled lists. */
	g_assert_true (xn_inventory_resolve (inv, NULL));
	g_assert_cmpuint (xn_inventory_children (inv, core)->len, ==, 2);
	g_assert_cmpuint (xn_inventory_units_on_link (inv, xn_inventory_link_by_id (inv, "L-a-1"))->len, ==, 2);
}

static void
test_dangling (void)
{
	g_autoptr(XnInventory) inv = small_network ();
	g_autoptr(GError) error = NULL;

	add_node (inv, "orphan", "nosuch", "room");
	g_assert_false (xn_inventory_resolve (inv, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_NOT_FOUND);
	g_assert_cmpstr (error->message, ==, "node 'orphan': parent node 'nosuch' does not exist");
}

static void
test_duplicate (void)
{
	g_autoptr(XnInventory) inv = small_network ();
	g_autoptr(GError) error = NULL;

	g_assert_false (xn_inventory_add_node (inv, xn_node_new ("core", XN_NODE_BACKBONE, "room", "192.0.2.9"), &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_cmpstr (error->message, ==, "node 'core' is defined twice");
	g_assert_cmpuint (xn_inventory_get_nodes (inv)->len, ==, 5);
}

static void
test_loop (void)
{
	g_autoptr(XnInventory) inv = small_network ();
	g_autoptr(GError) error = NULL;

	add_node (inv, "x", "y", "room");
	add_node (inv, "y", "z", "room");
	add_node (inv, "z", "x", "room");
	g_assert_false (xn_inventory_resolve (inv, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_nonnull (strstr (error->message, "loops"));
}

/* A chain c0 ← c1 ← … ← c`hops`: the last node is `hops` hops below the top. */
static gboolean
chain_resolves (guint hops)
{
	g_autoptr(XnInventory) inv = small_network ();

	add_node (inv, "c0", NULL, "room");
	for (guint i = 1; i <= hops; i++) {
		g_autofree char *name = g_strdup_printf ("c%u", i);
		g_autofree char *parent = g_strdup_printf ("c%u", i - 1);

		add_node (inv, name, parent, "room");
	}
	return xn_inventory_resolve (inv, NULL);
}

static void
test_depth (void)
{
	g_assert_true (chain_resolves (XN_INVENTORY_MAX_DEPTH));
	g_assert_false (chain_resolves (XN_INVENTORY_MAX_DEPTH + 1));
}

static void
test_policy_defaults (void)
{
	g_autoptr(XnPolicy) policy = xn_policy_new ();
	const XnNoticeRule *op = xn_policy_notice_rule (policy, XN_INITIATOR_OPERATOR);
	const XnNoticeRule *unit = xn_policy_notice_rule (policy, XN_INITIATOR_UNIT);
	const XnNoticeRule *carrier = xn_policy_notice_rule (policy, XN_INITIATOR_CARRIER);
	g_auto(GStrv) classes = xn_policy_list_classes (policy);
	g_autofree char *joined = g_strjoinv (",", classes);

	g_assert_cmpstr (xn_policy_get_timezone (policy), ==, "Asia/Shanghai");
	g_assert_cmpint (xn_policy_response_target (policy), ==, G_TIME_SPAN_HOUR);
	g_assert_cmpint (xn_policy_restore_target (policy, "county-unit", FALSE), ==, 2 * G_TIME_SPAN_HOUR);
	g_assert_cmpint (xn_policy_restore_target (policy, "core-room", FALSE), ==, 4 * G_TIME_SPAN_HOUR);
	g_assert_cmpint (xn_policy_restore_target (policy, "township", FALSE), ==, 6 * G_TIME_SPAN_HOUR);
	g_assert_cmpint (xn_policy_restore_target (policy, "township", TRUE), ==, 48 * G_TIME_SPAN_HOUR);
	g_assert_cmpint (xn_policy_restore_target (policy, "nosuch", FALSE), ==, -1);
	g_assert_cmpint (xn_policy_restore_target (policy, NULL, FALSE), ==, -1);
	g_assert_cmpstr (joined, ==, "core-room,county-unit,township");
	g_assert_true (op->kind == XN_LEAD_WORKING_DAYS && op->working_days == 2 && !op->approval_required);
	g_assert_true (unit->kind == XN_LEAD_WORKING_DAYS && unit->working_days == 5 && unit->approval_required);
	g_assert_true (carrier->kind == XN_LEAD_DURATION && carrier->approval_required);
	g_assert_cmpint (carrier->lead_time, ==, 2 * G_TIME_SPAN_HOUR);
}

static void
test_policy_changes (void)
{
	g_autoptr(XnPolicy) policy = xn_policy_new ();
	XnNoticeRule rule = { .kind = XN_LEAD_DURATION, .lead_time = 3 * G_TIME_SPAN_HOUR, .approval_required = FALSE };
	XnInitiator who;

	xn_policy_set_restore_target (policy, "county-extra:village", 8 * G_TIME_SPAN_HOUR);
	xn_policy_set_restore_target (policy, "township", 5 * G_TIME_SPAN_HOUR);
	xn_policy_set_complex_target (policy, 72 * G_TIME_SPAN_HOUR);
	xn_policy_set_notice_rule (policy, XN_INITIATOR_UNIT, &rule);
	xn_policy_set_timezone (policy, "Europe/Berlin");
	g_assert_cmpint (xn_policy_restore_target (policy, "county-extra:village", FALSE), ==, 8 * G_TIME_SPAN_HOUR);
	g_assert_cmpint (xn_policy_restore_target (policy, "township", FALSE), ==, 5 * G_TIME_SPAN_HOUR);
	g_assert_cmpint (xn_policy_restore_target (policy, "county-extra:village", TRUE), ==, 72 * G_TIME_SPAN_HOUR);
	g_assert_cmpint (xn_policy_notice_rule (policy, XN_INITIATOR_UNIT)->lead_time, ==, 3 * G_TIME_SPAN_HOUR);
	g_assert_cmpstr (xn_policy_get_timezone (policy), ==, "Europe/Berlin");
	for (guint i = 0; i < XN_INITIATOR_COUNT; i++) {
		g_assert_true (xn_initiator_from_string (xn_initiator_to_string (i), &who));
		g_assert_cmpuint (who, ==, i);
	}
	g_assert_false (xn_initiator_from_string ("vendor", &who));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/inventory/topology", test_topology);
	g_test_add_func ("/inventory/dangling-name", test_dangling);
	g_test_add_func ("/inventory/duplicate-name", test_duplicate);
	g_test_add_func ("/inventory/parent-loop", test_loop);
	g_test_add_func ("/inventory/depth-limit", test_depth);
	g_test_add_func ("/policy/defaults", test_policy_defaults);
	g_test_add_func ("/policy/changes", test_policy_changes);
	return g_test_run ();
}

/* test-poll-state.c — poller/state.c: state changes from sample sequences.
 *
 * Scenarios are polls of the nodes of a small inventory on a virtual clock,
 * each with the facts it must produce, written as "+SECONDS kind subject
 * attrs" with the attrs in their exact JSON form:
 *
 *   city-core ── L-0001 (Gi0/0/1 ↔ ge-0/0/0) ── county-a ── L-0003 (ge-0/0/1 ↔ unit's CPE)
 *       └─────── L-0002 (Gi0/0/2 ↔ ge-0/0/0) ── county-b
 *
 * They cover the re-assertion at start, the unreachable threshold and the
 * outage's start time, recovery, reboots with renumbered interfaces,
 * admin-down, interfaces missing from the table, and what must not produce
 * anything (one failed poll, an empty interface table, a node without links).
 * A reload moves to a second inventory, without county-b and its L-0002 and
 * without county-a's CPE link L-0003, with a new link between them:
 *
 *   city-core ── L-0001 (Gi0/0/1 ↔ ge-0/0/0) ── county-a
 *       └─────── L-0004 (Vlanif10 ↔ ge-0/0/2) ──────┘
 *
 * and must keep what was said (outages with their first failure, runs of
 * failures under the threshold), forget county-b, stop following the
 * interfaces that are no longer link ends and state the new link ends. */
#include "state.h"
#include "xn-error.h"

#include <string.h>

#define T0  G_GINT64_CONSTANT (1737907200000000)   /* 2025-01-26T16:00:00Z */
#define S(seconds)  ((XnInstant) (seconds) * XN_USEC_PER_SEC)

typedef enum {
	PLAIN,                    /* just the poll */
	REASSERT,                 /* xn_poll_state_reassert (NULL) first */
	RELOAD,                   /* move to the second inventory first */
} Before;

typedef struct {
	const char *node;
	gint64      at;           /* seconds after T0 */
	gboolean    failed;
	guint32     uptime;       /* TimeTicks; 0: not given */
	/* "NAME=INDEX:ADMIN/OPER,...", statuses as IF-MIB names or "-" for not given */
	const char *interfaces;
	Before      before;
	gboolean    failing;      /* expected xn_poll_state_is_failing () afterwards */
	const char *facts[6];     /* expected, in order; the list ends at NULL */
} Poll;

typedef struct {
	const char *name;
	guint       failures;     /* for unreachable; 0: the default; kept by the reload */
	Poll        polls[12];
} Scenario;

#define CORE_UP   "GigabitEthernet0/0/1=1:up/up,GigabitEthernet0/0/2=2:up/up,Vlanif10=10:up/up"
#define A_UP      "ge-0/0/0=1:up/up,ge-0/0/1=2:up/up"

#define IF_ATTRS(node, name, index, admin, oper, link) \
	"\"node\":\"" node "\",\"if_name\":\"" name "\",\"present\":true,\"if_index\":" #index "," \
	"\"admin_status\":\"" admin "\",\"oper_status\":\"" oper "\",\"link\":\"" link "\"}"

static const Scenario scenarios[] = {
	{ "start-reasserts-then-quiet", 0, {
		{ "city-core", 0, FALSE, 10000, CORE_UP, PLAIN, FALSE, {
			"+0 node.reachable node/city-core {\"reassert\":true,\"failures\":0,\"sys_uptime\":10000}",
			"+0 interface.up interface/city-core/GigabitEthernet0/0/1 {\"reassert\":true,"
				IF_ATTRS ("city-core", "GigabitEthernet0/0/1", 1, "up", "up", "L-0001"),
			"+0 interface.up interface/city-core/GigabitEthernet0/0/2 {\"reassert\":true,"
				IF_ATTRS ("city-core", "GigabitEthernet0/0/2", 2, "up", "up", "L-0002") } },
		{ "city-core", 300, FALSE, 40000, CORE_UP, PLAIN, FALSE, { NULL } },
		/* A node's link ends on both sides: the A end and the CPE link's. */
		{ "county-a", 300, FALSE, 500, "ge-0/0/0=1:up/up,ge-0/0/1=2:up/lowerLayerDown", PLAIN, FALSE, {
			"+300 node.reachable node/county-a {\"reassert\":true,\"failures\":0,\"sys_uptime\":500}",
			"+300 interface.up interface/county-a/ge-0/0/0 {\"reassert\":true,"
				IF_ATTRS ("county-a", "ge-0/0/0", 1, "up", "up", "L-0001"),
			"+300 interface.down interface/county-a/ge-0/0/1 {\"reassert\":true,"
				IF_ATTRS ("county-a", "ge-0/0/1", 2, "up", "lowerLayerDown", "L-0003") } },
		{ "city-core", 600, FALSE, 70000, CORE_UP, PLAIN, FALSE, { NULL } } } },
	{ "outage-starts-at-first-failure", 0, {
		{ "county-a", 0, FALSE, 100000, A_UP, PLAIN, FALSE, {
			"+0 node.reachable node/county-a {\"reassert\":true,\"failures\":0,\"sys_uptime\":100000}",
			"+0 interface.up interface/county-a/ge-0/0/0 {\"reassert\":true,"
				IF_ATTRS ("county-a", "ge-0/0/0", 1, "up", "up", "L-0001"),
			"+0 interface.up interface/county-a/ge-0/0/1 {\"reassert\":true,"
				IF_ATTRS ("county-a", "ge-0/0/1", 2, "up", "up", "L-0003") } },
		{ "county-a", 300, TRUE, 0, NULL, PLAIN, TRUE, { NULL } },
		{ "county-a", 330, TRUE, 0, NULL, PLAIN, TRUE, {
			"+300 node.unreachable node/county-a {\"reassert\":false,\"failures\":2,\"result\":\"timeout\",\"error\":\"no answer\"}" } },
		{ "county-a", 360, TRUE, 0, NULL, PLAIN, TRUE, { NULL } },
		/* Back, with its CPE link down meanwhile. */
		{ "county-a", 390, FALSE, 139000, "ge-0/0/0=1:up/up,ge-0/0/1=2:up/down", PLAIN, FALSE, {
			"+390 node.reachable node/county-a {\"reassert\":false,\"failures\":3,\"sys_uptime\":139000}",
			"+390 interface.down interface/county-a/ge-0/0/1 {\"reassert\":false,"
				IF_ATTRS ("county-a", "ge-0/0/1", 2, "up", "down", "L-0003") } },
		{ "county-a", 690, FALSE, 169000, "ge-0/0/0=1:up/up,ge-0/0/1=2:up/down", PLAIN, FALSE, { NULL } } } },
	{ "one-failure-is-no-outage", 0, {
		{ "county-b", 0, FALSE, 0, "ge-0/0/0=7:up/up", PLAIN, FALSE, {
			"+0 node.reachable node/county-b {\"reassert\":true,\"failures\":0}",
			"+0 interface.up interface/county-b/ge-0/0/0 {\"reassert\":true,"
				IF_ATTRS ("county-b", "ge-0/0/0", 7, "up", "up", "L-0002") } },
		{ "county-b", 300, TRUE, 0, NULL, PLAIN, TRUE, { NULL } },
		{ "county-b", 330, FALSE, 0, "ge-0/0/0=7:up/up", PLAIN, FALSE, { NULL } },
		{ "county-b", 630, TRUE, 0, NULL, PLAIN, TRUE, { NULL } },
		{ "county-b", 660, FALSE, 0, "ge-0/0/0=7:up/up", PLAIN, FALSE, { NULL } } } },
	{ "threshold-of-three", 3, {
		{ "county-b", 0, FALSE, 0, "ge-0/0/0=7:up/up", PLAIN, FALSE, {
			"+0 node.reachable node/county-b {\"reassert\":true,\"failures\":0}",
			"+0 interface.up interface/county-b/ge-0/0/0 {\"reassert\":true,"
				IF_ATTRS ("county-b", "ge-0/0/0", 7, "up", "up", "L-0002") } },
		{ "county-b", 300, TRUE, 0, NULL, PLAIN, TRUE, { NULL } },
		{ "county-b", 330, TRUE, 0, NULL, PLAIN, TRUE, { NULL } },
		{ "county-b", 360, TRUE, 0, NULL, PLAIN, TRUE, {
			"+300 node.unreachable node/county-b {\"reassert\":false,\"failures\":3,\"result\":\"timeout\",\"error\":\"no answer\"}" } } } },
	{ "start-while-down", 0, {
		{ "city-core", 0, TRUE, 0, NULL, PLAIN, TRUE, { NULL } },
		{ "city-core", 30, TRUE, 0, NULL, PLAIN, TRUE, {
			"+0 node.unreachable node/city-core {\"reassert\":true,\"failures\":2,\"result\":\"timeout\",\"error\":\"no answer\"}" } },
		/* A re-assertion while down repeats the outage with its first failure. */
		{ "city-core", 60, TRUE, 0, NULL, REASSERT, TRUE, {
			"+0 node.unreachable node/city-core {\"reassert\":true,\"failures\":3,\"result\":\"timeout\",\"error\":\"no answer\"}" } },
		{ "city-core", 90, FALSE, 3000, CORE_UP, PLAIN, FALSE, {
			"+90 node.reachable node/city-core {\"reassert\":false,\"failures\":3,\"sys_uptime\":3000}",
			"+90 interface.up interface/city-core/GigabitEthernet0/0/1 {\"reassert\":true,"
				IF_ATTRS ("city-core", "GigabitEthernet0/0/1", 1, "up", "up", "L-0001"),
			"+90 interface.up interface/city-core/GigabitEthernet0/0/2 {\"reassert\":true,"
				IF_ATTRS ("city-core", "GigabitEthernet0/0/2", 2, "up", "up", "L-0002") } } } },
	{ "admin-down-is-not-a-fault", 0, {
		{ "city-core", 0, FALSE, 0, "GigabitEthernet0/0/1=1:up/up,GigabitEthernet0/0/2=2:down/down", PLAIN, FALSE, {
			"+0 node.reachable node/city-core {\"reassert\":true,\"failures\":0}",
			"+0 interface.up interface/city-core/GigabitEthernet0/0/1 {\"reassert\":true,"
				IF_ATTRS ("city-core", "GigabitEthernet0/0/1", 1, "up", "up", "L-0001"),
			"+0 interface.admin-down interface/city-core/GigabitEthernet0/0/2 {\"reassert\":true,"
				IF_ATTRS ("city-core", "GigabitEthernet0/0/2", 2, "down", "down", "L-0002") } },
		/* Enabled, but the far end is dark: now it is a fault. */
		{ "city-core", 300, FALSE, 0, "GigabitEthernet0/0/1=1:up/up,GigabitEthernet0/0/2=2:up/down", PLAIN, FALSE, {
			"+300 interface.down interface/city-core/GigabitEthernet0/0/2 {\"reassert\":false,"
				IF_ATTRS ("city-core", "GigabitEthernet0/0/2", 2, "up", "down", "L-0002") } },
		{ "city-core", 600, FALSE, 0, "GigabitEthernet0/0/1=1:up/up,GigabitEthernet0/0/2=2:up/up", PLAIN, FALSE, {
			"+600 interface.up interface/city-core/GigabitEthernet0/0/2 {\"reassert\":false,"
				IF_ATTRS ("city-core", "GigabitEthernet0/0/2", 2, "up", "up", "L-0002") } },
		/* Without ifAdminStatus only the operational state counts. */
		{ "city-core", 900, FALSE, 0, "GigabitEthernet0/0/1=1:-/down,GigabitEthernet0/0/2=2:up/up", PLAIN, FALSE, {
			"+900 interface.down interface/city-core/GigabitEthernet0/0/1 {\"reassert\":false,"
				"\"node\":\"city-core\",\"if_name\":\"GigabitEthernet0/0/1\",\"present\":true,\"if_index\":1,"
				"\"admin_status\":null,\"oper_status\":\"down\",\"link\":\"L-0001\"}" } } } },
	{ "reboot-renumbers-interfaces", 0, {
		{ "city-core", 0, FALSE, 8640000, CORE_UP, PLAIN, FALSE, {
			"+0 node.reachable node/city-core {\"reassert\":true,\"failures\":0,\"sys_uptime\":8640000}",
			"+0 interface.up interface/city-core/GigabitEthernet0/0/1 {\"reassert\":true,"
				IF_ATTRS ("city-core", "GigabitEthernet0/0/1", 1, "up", "up", "L-0001"),
			"+0 interface.up interface/city-core/GigabitEthernet0/0/2 {\"reassert\":true,"
				IF_ATTRS ("city-core", "GigabitEthernet0/0/2", 2, "up", "up", "L-0002") } },
		/* Up 90 s at +300: booted at +210; same names, new numbers, same states. */
		{ "city-core", 300, FALSE, 9000, "Vlanif10=3:up/up,GigabitEthernet0/0/2=5:up/up,GigabitEthernet0/0/1=6:up/up",
		  FALSE, FALSE, {
			"+210 node.rebooted node/city-core {\"reassert\":false,\"previous_sys_uptime\":8640000,\"sys_uptime\":9000}" } },
		{ "city-core", 600, FALSE, 39000, "GigabitEthernet0/0/2=5:up/up,GigabitEthernet0/0/1=6:up/down", PLAIN, FALSE, {
			"+600 interface.down interface/city-core/GigabitEthernet0/0/1 {\"reassert\":false,"
				IF_ATTRS ("city-core", "GigabitEthernet0/0/1", 6, "up", "down", "L-0001") } } } },
	{ "missing-and-unknown-interfaces", 0, {
		{ "county-a", 0, FALSE, 0, "ge-0/0/0=1:up/up,ge-0/0/1=2:up/-", PLAIN, FALSE, {
			"+0 node.reachable node/county-a {\"reassert\":true,\"failures\":0}",
			"+0 interface.up interface/county-a/ge-0/0/0 {\"reassert\":true,"
				IF_ATTRS ("county-a", "ge-0/0/0", 1, "up", "up", "L-0001") } },
		/* An empty table says nothing about any interface. */
		{ "county-a", 300, FALSE, 0, "", PLAIN, FALSE, { NULL } },
		/* A table without ge-0/0/0: its module is gone. */
		{ "county-a", 600, FALSE, 0, "ge-0/0/1=2:up/up", PLAIN, FALSE, {
			"+600 interface.down interface/county-a/ge-0/0/0 {\"reassert\":false,\"node\":\"county-a\","
				"\"if_name\":\"ge-0/0/0\",\"present\":false,\"if_index\":null,\"admin_status\":null,"
				"\"oper_status\":null,\"link\":\"L-0001\"}",
			"+600 interface.up interface/county-a/ge-0/0/1 {\"reassert\":true,"
				IF_ATTRS ("county-a", "ge-0/0/1", 2, "up", "up", "L-0003") } } } },
	{ "reassert-on-demand", 0, {
		{ "county-b", 0, FALSE, 0, "ge-0/0/0=1:up/down", PLAIN, FALSE, {
			"+0 node.reachable node/county-b {\"reassert\":true,\"failures\":0}",
			"+0 interface.down interface/county-b/ge-0/0/0 {\"reassert\":true,"
				IF_ATTRS ("county-b", "ge-0/0/0", 1, "up", "down", "L-0002") } },
		{ "county-b", 300, FALSE, 0, "ge-0/0/0=1:up/down", REASSERT, FALSE, {
			"+300 node.reachable node/county-b {\"reassert\":true,\"failures\":0}",
			"+300 interface.down interface/county-b/ge-0/0/0 {\"reassert\":true,"
				IF_ATTRS ("county-b", "ge-0/0/0", 1, "up", "down", "L-0002") } },
		{ "county-b", 600, FALSE, 0, "ge-0/0/0=1:up/down", PLAIN, FALSE, { NULL } } } },
	{ "node-outside-the-inventory", 0, {
		{ "lab-switch", 0, FALSE, 0, "ge-0/0/0=1:up/down", PLAIN, FALSE, {
			"+0 node.reachable node/lab-switch {\"reassert\":true,\"failures\":0}" } },
		{ "lab-switch", 300, FALSE, 0, "ge-0/0/0=1:up/up", PLAIN, FALSE, { NULL } } } },
	{ "reload-keeps-outages-and-runs", 0, {
		{ "city-core", 0, FALSE, 10000, CORE_UP, PLAIN, FALSE, {
			"+0 node.reachable node/city-core {\"reassert\":true,\"failures\":0,\"sys_uptime\":10000}",
			"+0 interface.up interface/city-core/GigabitEthernet0/0/1 {\"reassert\":true,"
				IF_ATTRS ("city-core", "GigabitEthernet0/0/1", 1, "up", "up", "L-0001"),
			"+0 interface.up interface/city-core/GigabitEthernet0/0/2 {\"reassert\":true,"
				IF_ATTRS ("city-core", "GigabitEthernet0/0/2", 2, "up", "up", "L-0002") } },
		{ "county-a", 0, FALSE, 500, A_UP, PLAIN, FALSE, {
			"+0 node.reachable node/county-a {\"reassert\":true,\"failures\":0,\"sys_uptime\":500}",
			"+0 interface.up interface/county-a/ge-0/0/0 {\"reassert\":true,"
				IF_ATTRS ("county-a", "ge-0/0/0", 1, "up", "up", "L-0001"),
			"+0 interface.up interface/county-a/ge-0/0/1 {\"reassert\":true,"
				IF_ATTRS ("county-a", "ge-0/0/1", 2, "up", "up", "L-0003") } },
		{ "county-b", 0, FALSE, 0, "ge-0/0/0=7:up/up", PLAIN, FALSE, {
			"+0 node.reachable node/county-b {\"reassert\":true,\"failures\":0}",
			"+0 interface.up interface/county-b/ge-0/0/0 {\"reassert\":true,"
				IF_ATTRS ("county-b", "ge-0/0/0", 7, "up", "up", "L-0002") } },
		/* city-core unreachable since +300; county-a and county-b one failure short. */
		{ "city-core", 300, TRUE, 0, NULL, PLAIN, TRUE, { NULL } },
		{ "city-core", 330, TRUE, 0, NULL, PLAIN, TRUE, {
			"+300 node.unreachable node/city-core {\"reassert\":false,\"failures\":2,\"result\":\"timeout\",\"error\":\"no answer\"}" } },
		{ "county-a", 330, TRUE, 0, NULL, PLAIN, TRUE, { NULL } },
		{ "county-b", 330, TRUE, 0, NULL, PLAIN, TRUE, { NULL } },
		/* After the reload county-a's run goes on: its outage starts at its
		 * first failure, before the reload; city-core's is not repeated. */
		{ .node = "county-a", .at = 360, .failed = TRUE, .before = RELOAD, .failing = TRUE, .facts = {
			"+330 node.unreachable node/county-a {\"reassert\":false,\"failures\":2,\"result\":\"timeout\",\"error\":\"no answer\"}" } },
		{ "city-core", 360, TRUE, 0, NULL, PLAIN, TRUE, { NULL } },
		/* Back: the one outage ends; only the new link end is stated. */
		{ "city-core", 390, FALSE, 49000, CORE_UP, PLAIN, FALSE, {
			"+390 node.reachable node/city-core {\"reassert\":false,\"failures\":3,\"sys_uptime\":49000}",
			"+390 interface.up interface/city-core/Vlanif10 {\"reassert\":true,"
				IF_ATTRS ("city-core", "Vlanif10", 10, "up", "up", "L-0004") } },
		/* ge-0/0/1 is no longer a link end: its going down says nothing. */
		{ "county-a", 420, FALSE, 42500, "ge-0/0/0=1:up/up,ge-0/0/1=2:up/down,ge-0/0/2=3:up/up", PLAIN, FALSE, {
			"+420 node.reachable node/county-a {\"reassert\":false,\"failures\":2,\"sys_uptime\":42500}",
			"+420 interface.up interface/county-a/ge-0/0/2 {\"reassert\":true,"
				IF_ATTRS ("county-a", "ge-0/0/2", 3, "up", "up", "L-0004") } },
		/* county-b left the inventory and was forgotten, its failure with it. */
		{ "county-b", 450, FALSE, 0, "ge-0/0/0=7:up/up", PLAIN, FALSE, {
			"+450 node.reachable node/county-b {\"reassert\":true,\"failures\":0}" } } } },
	{ "reload-says-nothing-by-itself", 0, {
		{ "city-core", 0, FALSE, 10000, CORE_UP, PLAIN, FALSE, {
			"+0 node.reachable node/city-core {\"reassert\":true,\"failures\":0,\"sys_uptime\":10000}",
			"+0 interface.up interface/city-core/GigabitEthernet0/0/1 {\"reassert\":true,"
				IF_ATTRS ("city-core", "GigabitEthernet0/0/1", 1, "up", "up", "L-0001"),
			"+0 interface.up interface/city-core/GigabitEthernet0/0/2 {\"reassert\":true,"
				IF_ATTRS ("city-core", "GigabitEthernet0/0/2", 2, "up", "up", "L-0002") } },
		{ .node = "city-core", .at = 300, .uptime = 40000, .interfaces = CORE_UP, .before = RELOAD, .facts = {
			"+300 interface.up interface/city-core/Vlanif10 {\"reassert\":true,"
				IF_ATTRS ("city-core", "Vlanif10", 10, "up", "up", "L-0004") } },
		{ "city-core", 600, FALSE, 70000, CORE_UP, PLAIN, FALSE, { NULL } } } },
};

static void
add_link (XnInventory *inv, const char *id, const char *a, const char *a_if,
	  const char *z, const char *z_if)
{
	g_autoptr(GError) error = NULL;
	XnLink *link = xn_link_new (id, 100000, a, a_if, "room");

	link->z.node_name = g_strdup (z);
	link->z.interface = g_strdup (z_if);
	g_assert_true (xn_inventory_add_link (inv, link, &error));
	g_assert_no_error (error);
}

static void
add_node (XnInventory *inv, const char *name, const char *parent)
{
	XnNode *node = xn_node_new (name, parent == NULL ? XN_NODE_BACKBONE : XN_NODE_AGGREGATION,
				    "room", "192.0.2.1");

	node->parent_name = g_strdup (parent);
	g_assert_true (xn_inventory_add_node (inv, node, NULL));
}

static XnInventory *
make_inventory_base (void)
{
	g_autoptr(XnInventory) inv = xn_inventory_new ();

	g_assert_true (xn_inventory_add_region (inv, xn_region_new ("city", XN_REGION_CITY), NULL));
	g_assert_true (xn_inventory_add_site (inv, xn_site_new ("room", "city", "core-room"), NULL));
	add_node (inv, "city-core", NULL);
	add_node (inv, "county-a", "city-core");
	return g_steal_pointer (&inv);
}

/* The inventory after the reload (see the top of this file). */
static XnInventory *
make_reloaded_inventory (void)
{
	g_autoptr(XnInventory) inv = make_inventory_base ();
	g_autoptr(GError) error = NULL;

	add_link (inv, "L-0001", "city-core", "GigabitEthernet0/0/1", "county-a", "ge-0/0/0");
	add_link (inv, "L-0004", "county-a", "ge-0/0/2", "city-core", "Vlanif10");
	g_assert_true (xn_inventory_resolve (inv, &error));
	g_assert_no_error (error);
	return g_steal_pointer (&inv);
}

static XnInventory *
make_inventory (void)
{
	g_autoptr(XnInventory) inv = make_inventory_base ();
	g_autoptr(GError) error = NULL;

	add_node (inv, "county-b", "city-core");
	add_link (inv, "L-0001", "city-core", "GigabitEthernet0/0/1", "county-a", "ge-0/0/0");
	add_link (inv, "L-0002", "city-core", "GigabitEthernet0/0/2", "county-b", "ge-0/0/0");
	add_link (inv, "L-0003", "county-a", "ge-0/0/1", NULL, NULL);
	g_assert_true (xn_inventory_resolve (inv, &error));
	g_assert_no_error (error);
	return g_steal_pointer (&inv);
}

static guint8
parse_status (const char *name, guint32 *have, guint32 bit)
{
	if (strcmp (name, "-") == 0)
		return 0;
	*have |= bit;
	for (guint s = XN_IF_STATUS_UP; s <= XN_IF_STATUS_LOWER_LAYER_DOWN; s++)
		if (strcmp (name, xn_if_status_to_string (s)) == 0)
			return s;
	g_error ("bad status '%s' in a test table", name);
}

/* "NAME=INDEX:ADMIN/OPER" */
static void
add_interface (XnNodeSample *sample, const char *spec)
{
	g_auto(GStrv) name_rest = g_strsplit (spec, "=", 2);
	g_auto(GStrv) index_status = g_strsplit (name_rest[1], ":", 2);
	g_auto(GStrv) admin_oper = g_strsplit (index_status[1], "/", 2);
	XnIfSample *ifs = xn_node_sample_interface (sample, (guint32) g_ascii_strtoull (index_status[0], NULL, 10));

	ifs->have = XN_IF_HAVE_NAME;
	ifs->name = g_strdup (name_rest[0]);
	ifs->admin_status = parse_status (admin_oper[0], &ifs->have, XN_IF_HAVE_ADMIN);
	ifs->oper_status = parse_status (admin_oper[1], &ifs->have, XN_IF_HAVE_OPER);
}

static XnNodeSample *
make_sample (const Poll *poll)
{
	XnNodeSample *sample = xn_node_sample_new (poll->node);

	sample->started = T0 + S (poll->at);
	sample->finished = sample->started + S (2);
	if (poll->failed) {
		sample->result = XN_POLL_TIMEOUT;
		sample->error = g_strdup ("no answer");
		return sample;
	}
	sample->result = XN_POLL_OK;
	sample->response_us = 1500;
	if (poll->uptime != 0) {
		sample->have |= XN_NODE_HAVE_UPTIME;
		sample->sys_uptime = poll->uptime;
	}
	if (poll->interfaces != NULL && *poll->interfaces != '\0') {
		g_auto(GStrv) specs = g_strsplit (poll->interfaces, ",", -1);

		for (guint i = 0; specs[i] != NULL; i++)
			add_interface (sample, specs[i]);
	}
	return sample;
}

/* "+SECONDS kind subject attrs", from the fact, after checking that it is
 * one the journal accepts. */
static char *
describe (const XnPollEvent *event, XnInstant recorded)
{
	g_autoptr(XnFact) fact = xn_poll_event_to_fact (event, "poller", recorded);
	g_autoptr(GError) error = NULL;
	g_autofree char *attrs = NULL;

	g_assert_true (xn_fact_validate (fact, &error));
	g_assert_no_error (error);
	g_assert_cmpstr (fact->source, ==, "poller");
	g_assert_cmpint (fact->recorded, ==, recorded);
	g_assert_cmpint ((fact->ts - T0) % XN_USEC_PER_SEC, ==, 0);
	attrs = xn_fact_attrs_to_json (fact->attrs);
	return g_strdup_printf ("+%" G_GINT64_FORMAT " %s %s %s", (fact->ts - T0) / XN_USEC_PER_SEC,
				fact->kind, fact->subject, attrs);
}

static void
test_scenario (gconstpointer data)
{
	const Scenario *scenario = data;
	g_autoptr(XnInventory) inventory = make_inventory ();
	g_autoptr(XnPollState) state = xn_poll_state_new (inventory, scenario->failures);

	for (guint n = 0; n < G_N_ELEMENTS (scenario->polls) && scenario->polls[n].node != NULL; n++) {
		const Poll *poll = &scenario->polls[n];
		g_autoptr(XnNodeSample) sample = make_sample (poll);
		g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_poll_event_free);
		guint n_expected = 0;

		if (poll->before == REASSERT)
			xn_poll_state_reassert (state, NULL);
		/* The old inventory is freed at once: the state must not keep it. */
		if (poll->before == RELOAD) {
			g_autoptr(XnInventory) old = g_steal_pointer (&inventory);

			inventory = make_reloaded_inventory ();
			xn_poll_state_set_inventory (state, inventory, scenario->failures);
		}
		xn_poll_state_update (state, sample, events);
		while (n_expected < G_N_ELEMENTS (poll->facts) && poll->facts[n_expected] != NULL)
			n_expected++;
		for (guint i = 0; i < MAX (events->len, n_expected); i++) {
			g_autofree char *got = i < events->len
				? describe (g_ptr_array_index (events, i), sample->started + S (1)) : NULL;

			if (g_strcmp0 (got, i < n_expected ? poll->facts[i] : NULL) != 0)
				g_error ("%s, poll %u, fact %u:\n  expected %s\n  got      %s", scenario->name, n, i,
					 i < n_expected ? poll->facts[i] : "(nothing)", got ? got : "(nothing)");
		}
		g_assert_cmpint (xn_poll_state_is_failing (state, poll->node), ==, poll->failing);
	}
}

/* Failing counts per node, and a forgotten node starts over. */
static void
test_failing_per_node (void)
{
	g_autoptr(XnInventory) inventory = make_inventory ();
	g_autoptr(XnPollState) state = xn_poll_state_new (inventory, 0);
	g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_poll_event_free);
	Poll fail = { .node = "county-a", .at = 0, .failed = TRUE };
	Poll ok = { .node = "county-b", .at = 0, .interfaces = "" };
	g_autoptr(XnNodeSample) a = make_sample (&fail);
	g_autoptr(XnNodeSample) b = make_sample (&ok);

	g_assert_false (xn_poll_state_is_failing (state, "county-a"));
	xn_poll_state_update (state, a, events);
	xn_poll_state_update (state, b, events);
	g_assert_true (xn_poll_state_is_failing (state, "county-a"));
	g_assert_cmpuint (xn_poll_state_failures (state, "county-a"), ==, 1);
	g_assert_false (xn_poll_state_is_failing (state, "county-b"));
	g_assert_false (xn_poll_state_is_failing (state, "never-polled"));
	xn_poll_state_forget (state, "county-a");
	g_assert_false (xn_poll_state_is_failing (state, "county-a"));
	/* One reachable (re-asserted), no unreachable yet. */
	g_assert_cmpuint (events->len, ==, 1);
}

/* A reload keeps the failure counts of the nodes it keeps (the scheduler's
 * quick re-poll depends on them) and drops the others'. */
static void
test_reload_keeps_failures (void)
{
	g_autoptr(XnInventory) inventory = make_inventory ();
	g_autoptr(XnInventory) reloaded = make_reloaded_inventory ();
	g_autoptr(XnPollState) state = xn_poll_state_new (inventory, 0);
	g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_poll_event_free);
	const char *const nodes[] = { "county-a", "county-b", "lab-switch" };

	for (guint i = 0; i < G_N_ELEMENTS (nodes); i++) {
		Poll fail = { .node = nodes[i], .at = 0, .failed = TRUE };
		g_autoptr(XnNodeSample) sample = make_sample (&fail);

		xn_poll_state_update (state, sample, events);
		g_assert_cmpuint (xn_poll_state_failures (state, nodes[i]), ==, 1);
	}
	xn_poll_state_set_inventory (state, reloaded, 0);
	g_assert_cmpuint (xn_poll_state_failures (state, "county-a"), ==, 1);
	g_assert_true (xn_poll_state_is_failing (state, "county-a"));
	g_assert_false (xn_poll_state_is_failing (state, "county-b"));
	/* never in any inventory: not kept either */
	g_assert_false (xn_poll_state_is_failing (state, "lab-switch"));
	xn_poll_state_set_inventory (state, NULL, 0);
	g_assert_false (xn_poll_state_is_failing (state, "county-a"));
	g_assert_cmpuint (events->len, ==, 0);
}

/* Two failures under a threshold of three: once a reload lowers it to two,
 * the next failure makes the outage, dated at the first of the run. */
static void
test_reload_lowers_threshold (void)
{
	g_autoptr(XnInventory) inventory = make_inventory ();
	g_autoptr(XnInventory) reloaded = make_reloaded_inventory ();
	g_autoptr(XnPollState) state = xn_poll_state_new (inventory, 3);
	g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_poll_event_free);
	const Poll polls[] = {
		{ .node = "county-a", .at = 0, .interfaces = A_UP },
		{ .node = "county-a", .at = 300, .failed = TRUE },
		{ .node = "county-a", .at = 330, .failed = TRUE },
	};
	const XnPollEvent *event;

	for (guint i = 0; i < G_N_ELEMENTS (polls); i++) {
		g_autoptr(XnNodeSample) sample = make_sample (&polls[i]);

		if (i == G_N_ELEMENTS (polls) - 1)
			xn_poll_state_set_inventory (state, reloaded, 2);
		xn_poll_state_update (state, sample, events);
	}
	/* reachable and two link ends up at the start, then the outage */
	g_assert_cmpuint (events->len, ==, 4);
	event = g_ptr_array_index (events, 3);
	g_assert_cmpint (event->kind, ==, XN_POLL_EVENT_NODE_UNREACHABLE);
	g_assert_cmpint (event->ts, ==, T0 + S (300));
	g_assert_cmpuint (event->failures, ==, 2);
	g_assert_false (event->reassert);
}

/* An agent's error text that is not UTF-8 still makes a valid fact. */
static void
test_error_text_made_valid (void)
{
	g_autoptr(XnPollState) state = xn_poll_state_new (NULL, 1);
	g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_poll_event_free);
	g_autoptr(XnNodeSample) sample = xn_node_sample_new ("city-core");
	g_autoptr(XnFact) fact = NULL;
	g_autoptr(GError) error = NULL;

	sample->result = XN_POLL_ERROR;
	sample->started = T0;
	sample->error = g_strdup ("bad PDU \xff\xfe from agent");
	xn_poll_state_update (state, sample, events);
	g_assert_cmpuint (events->len, ==, 1);
	fact = xn_poll_event_to_fact (g_ptr_array_index (events, 0), "poller", T0);
	g_assert_true (xn_fact_validate (fact, &error));
	g_assert_no_error (error);
	g_assert_cmpstr (json_object_get_string_member (fact->attrs, "result"), ==, "error");
	g_assert_true (g_str_has_prefix (json_object_get_string_member (fact->attrs, "error"), "bad PDU "));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS (scenarios); i++) {
		g_autofree char *path = g_strdup_printf ("/poll-state/%s", scenarios[i].name);

		g_test_add_data_func (path, &scenarios[i], test_scenario);
	}
	g_test_add_func ("/poll-state/failing-per-node", test_failing_per_node);
	g_test_add_func ("/poll-state/error-text-made-valid", test_error_text_made_valid);
	g_test_add_func ("/poll-state/reload-keeps-failures", test_reload_keeps_failures);
	g_test_add_func ("/poll-state/reload-lowers-threshold", test_reload_lowers_threshold);
	return g_test_run ();
}

/* test-trap-fact.c — the pure part of trap intake (collector/trap-fact.c,
 * ifmap.c, mib-names.c): which node sent a trap (source address, v1
 * agent-addr, snmpTrapAddress.0 of a forwarded trap, or none), the kinds of
 * the standard traps, the interface of a link trap (ifName varbind, ifIndex
 * through the poller's pairing, ifDescr, or none), every value type as the
 * varbinds attribute stores it, the whole fact line for the main cases, the
 * attrs printed straight from a trap byte for byte as the tree prints
 * (thousands of random traps made of hostile pieces), the ifIndex map
 * learning from poller facts, the notification-name files (the shipped ones
 * load; bad lines are refused with FILE:LINE), a trap copied whole, and the
 * SNMPv3 header read before the library decodes a message (whole, cut short,
 * lying, or no SNMPv3 at all). */
#include "ifmap.h"
#include "mib-names.h"
#include "trap-fact.h"
#include "v3-header.h"
#include "xn-error.h"

#include <string.h>

#define T0 G_GINT64_CONSTANT (1735689600000000)   /* 2025-01-01T00:00:00Z */

#define ARCS(...) ((const XnTrapArc[]) { __VA_ARGS__ })
#define OID(...)  ((XnTrapOid) { ARCS (__VA_ARGS__), sizeof (ARCS (__VA_ARGS__)) / sizeof (XnTrapArc) })

typedef struct {
	XnInventory *inventory;
	GHashTable  *by_address;
	XnIfMap     *ifmap;
	XnMibNames  *mibs;
	XnTrapContext ctx;
} Fixture;

/* core (10.0.0.1) ── L-1 (ge-0/0/1 on core, ge-0/0/0 on agg) ── agg (10.0.0.2) */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	const GPtrArray *nodes;
	XnLink *link;

	f->inventory = xn_inventory_new ();
	g_assert_true (xn_inventory_add_region (f->inventory, xn_region_new ("city", XN_REGION_CITY), &error));
	g_assert_true (xn_inventory_add_site (f->inventory, xn_site_new ("room", "city", "core-room"), &error));
	g_assert_true (xn_inventory_add_node (f->inventory, xn_node_new ("core", XN_NODE_BACKBONE, "room", "10.0.0.1"), &error));
	g_assert_true (xn_inventory_add_node (f->inventory, xn_node_new ("agg", XN_NODE_AGGREGATION, "room", "10.0.0.2"), &error));
	link = xn_link_new ("L-1", 100000, "core", "ge-0/0/1", "room");
	link->z.node_name = g_strdup ("agg");
	link->z.interface = g_strdup ("ge-0/0/0");
	g_assert_true (xn_inventory_add_link (f->inventory, link, &error));
	g_assert_true (xn_inventory_resolve (f->inventory, &error));
	f->by_address = g_hash_table_new (g_str_hash, g_str_equal);
	nodes = xn_inventory_get_nodes (f->inventory);
	for (guint i = 0; i < nodes->len; i++) {
		XnNode *node = g_ptr_array_index (nodes, i);

		g_hash_table_insert (f->by_address, node->management_address, node);
	}
	f->ifmap = xn_if_map_new ();
	xn_if_map_set (f->ifmap, "core", 2, "ge-0/0/1");
	f->mibs = xn_mib_names_new ();
	g_assert_true (xn_mib_names_load_data (f->mibs, "1.3.6.1.6.3.1.1.5.3 IF-MIB::linkDown\n"
					       "1.3.6.1.4.1.8072.4.0.1 NET-SNMP-AGENT-MIB::nsNotifyStart\n", "t.oids", &error));
	f->ctx.nodes_by_address = f->by_address;
	f->ctx.ifmap = f->ifmap;
	f->ctx.mibs = f->mibs;
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
	g_hash_table_unref (f->by_address);
	xn_if_map_free (f->ifmap);
	xn_mib_names_free (f->mibs);
	xn_inventory_free (f->inventory);
}

/* The varbinds of an SNMPv2 notification start with sysUpTime.0 and snmpTrapOID.0. */
static XnTrapVarbind
vb_int (XnTrapOid name, gint64 value)
{
	return (XnTrapVarbind) { .name = name, .type = XN_TRAP_ASN_INTEGER, .integer = value };
}

static XnTrapVarbind
vb_octets (XnTrapOid name, guint8 type, const char *bytes, gsize len)
{
	return (XnTrapVarbind) { .name = name, .type = type, .octets = (const guint8 *) bytes, .octets_len = len };
}

static XnTrapVarbind
vb_unsigned (XnTrapOid name, guint8 type, guint64 value)
{
	return (XnTrapVarbind) { .name = name, .type = type, .unsigned64 = value };
}

static XnTrapVarbind
vb_oid (XnTrapOid name, XnTrapOid value)
{
	return (XnTrapVarbind) { .name = name, .type = XN_TRAP_ASN_OBJECT_ID, .objid = value };
}

static char *
fact_line (Fixture *f, const XnTrap *trap, XnTrapClass *c)
{
	g_autoptr(XnFact) fact = NULL;
	g_autoptr(GError) error = NULL;

	xn_trap_classify (&f->ctx, trap, c);
	fact = xn_trap_to_fact (&f->ctx, trap, c, T0, FALSE);
	g_assert_true (xn_fact_validate (fact, &error));
	g_assert_no_error (error);
	return xn_fact_to_json_line (fact);
}

static void
test_v2c_link_down_by_ifindex (Fixture *f, gconstpointer data)
{
	XnTrapVarbind vbs[] = {
		vb_unsigned (OID (1, 3, 6, 1, 2, 1, 1, 3, 0), XN_TRAP_ASN_TIMETICKS, 4200),
		vb_oid (OID (1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0), OID (1, 3, 6, 1, 6, 3, 1, 1, 5, 3)),
		vb_int (OID (1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 2), 2),
		vb_int (OID (1, 3, 6, 1, 2, 1, 2, 2, 1, 7, 2), 1),
		vb_int (OID (1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 2), 2),
	};
	XnTrap trap = { .version = XN_TRAP_V2C, .source_address = "10.0.0.1", .source_port = 40000,
			.trap_oid = OID (1, 3, 6, 1, 6, 3, 1, 1, 5, 3), .has_uptime = TRUE, .uptime = 4200,
			.varbinds = vbs, .n_varbinds = G_N_ELEMENTS (vbs) };
	XnTrapClass c;
	g_autofree char *line = fact_line (f, &trap, &c);

	g_assert_cmpstr (line, ==,
		"{\"ts\":\"2025-01-01T00:00:00.000000Z\",\"kind\":\"trap.link-down\",\"subject\":\"interface/core/ge-0/0/1\","
		"\"source\":\"collector\",\"recorded\":\"2025-01-01T00:00:00.000000Z\",\"attrs\":{\"node\":\"core\","
		"\"if_index\":2,\"if_name\":\"ge-0/0/1\",\"admin_status\":\"up\",\"oper_status\":\"down\",\"link\":\"L-1\","
		"\"version\":\"v2c\",\"source_address\":\"10.0.0.1\",\"trap_oid\":\"1.3.6.1.6.3.1.1.5.3\","
		"\"trap_name\":\"IF-MIB::linkDown\",\"inform\":false,\"uptime\":4200,\"varbinds\":["
		"{\"oid\":\"1.3.6.1.2.1.1.3.0\",\"type\":\"TimeTicks\",\"value\":4200},"
		"{\"oid\":\"1.3.6.1.6.3.1.1.4.1.0\",\"type\":\"OBJECT IDENTIFIER\",\"value\":\"1.3.6.1.6.3.1.1.5.3\"},"
		"{\"oid\":\"1.3.6.1.2.1.2.2.1.1.2\",\"type\":\"INTEGER\",\"value\":2},"
		"{\"oid\":\"1.3.6.1.2.1.2.2.1.7.2\",\"type\":\"INTEGER\",\"value\":1},"
		"{\"oid\":\"1.3.6.1.2.1.2.2.1.8.2\",\"type\":\"INTEGER\",\"value\":2}]}}");
	g_assert_true (xn_trap_class_is_link (&c));
	g_assert_cmpstr (c.source, ==, "node/core");
	xn_trap_class_clear (&c);
}

/* A v1 linkUp forwarded by a relay keeps its agent-addr; the agent is
 * named by that, not by the relay's address. The interface has no
 * ifIndex varbind: the instance of ifOperStatus gives it, and an unknown
 * index leaves the interface unnamed. */
static void
test_v1_link_up_by_agent_address (Fixture *f, gconstpointer data)
{
	XnTrapVarbind vbs[] = {
		vb_int (OID (1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 7), 1),
	};
	XnTrap trap = { .version = XN_TRAP_V1, .source_address = "192.0.2.50", .agent_address = "10.0.0.2",
			.trap_oid = OID (1, 3, 6, 1, 6, 3, 1, 1, 5, 4), .has_uptime = TRUE, .uptime = 10,
			.varbinds = vbs, .n_varbinds = G_N_ELEMENTS (vbs) };
	XnTrapClass c;
	g_autofree char *line = fact_line (f, &trap, &c);

	g_assert_cmpint (c.kind, ==, XN_TRAP_LINK_UP);
	g_assert_cmpstr (c.node->name, ==, "agg");
	g_assert_cmpstr (c.subject, ==, "node/agg");
	g_assert_true (c.has_if_index);
	g_assert_cmpint (c.if_index, ==, 7);
	g_assert_null (c.if_name);
	g_assert_nonnull (strstr (line, "\"attrs\":{\"node\":\"agg\",\"if_index\":7,\"if_name\":null,\"admin_status\":null,"
				  "\"oper_status\":\"up\",\"version\":\"v1\",\"source_address\":\"192.0.2.50\","
				  "\"agent_address\":\"10.0.0.2\",\"trap_oid\":\"1.3.6.1.6.3.1.1.5.4\",\"inform\":false,"));
	xn_trap_class_clear (&c);
}

/* snmpTrapAddress.0 names the original agent; it wins over the sender,
 * even when the sender is an inventory node itself. */
static void
test_forwarded (Fixture *f, gconstpointer data)
{
	XnTrapVarbind vbs[] = {
		vb_oid (OID (1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0), OID (1, 3, 6, 1, 6, 3, 1, 1, 5, 1)),
		vb_octets (OID (1, 3, 6, 1, 6, 3, 18, 1, 3, 0), XN_TRAP_ASN_IPADDRESS, "\x0a\x00\x00\x02", 4),
	};
	XnTrap trap = { .version = XN_TRAP_V3, .source_address = "10.0.0.1", .user = "relay", .inform = TRUE,
			.trap_oid = OID (1, 3, 6, 1, 6, 3, 1, 1, 5, 1), .varbinds = vbs, .n_varbinds = G_N_ELEMENTS (vbs) };
	XnTrapClass c;
	g_autofree char *line = fact_line (f, &trap, &c);

	g_assert_cmpint (c.kind, ==, XN_TRAP_COLD_START);
	g_assert_cmpstr (c.subject, ==, "node/agg");
	g_assert_nonnull (strstr (line, "\"kind\":\"trap.cold-start\""));
	g_assert_nonnull (strstr (line, "\"version\":\"v3\",\"source_address\":\"10.0.0.1\",\"trap_address\":\"10.0.0.2\","
				  "\"user\":\"relay\",\"trap_oid\":\"1.3.6.1.6.3.1.1.5.1\",\"inform\":true,\"varbinds\""));
	g_assert_nonnull (strstr (line, "{\"oid\":\"1.3.6.1.6.3.18.1.3.0\",\"type\":\"IpAddress\",\"value\":\"10.0.0.2\"}"));
	xn_trap_class_clear (&c);
}

static void
test_unknown_source (Fixture *f, gconstpointer data)
{
	XnTrap trap = { .version = XN_TRAP_V2C, .source_address = "192.0.2.7",
			.trap_oid = OID (1, 3, 6, 1, 6, 3, 1, 1, 5, 3) };
	XnTrapClass c;
	g_autofree char *line = fact_line (f, &trap, &c);

	g_assert_cmpint (c.kind, ==, XN_TRAP_UNKNOWN_SOURCE);
	g_assert_null (c.node);
	g_assert_false (xn_trap_class_is_link (&c));
	g_assert_cmpstr (c.source, ==, "source/192.0.2.7");
	g_assert_nonnull (strstr (line, "\"kind\":\"trap.unknown-source\",\"subject\":\"source/192.0.2.7\""));
	g_assert_nonnull (strstr (line, "\"attrs\":{\"version\":\"v2c\",\"source_address\":\"192.0.2.7\","
				  "\"trap_oid\":\"1.3.6.1.6.3.1.1.5.3\",\"trap_name\":\"IF-MIB::linkDown\",\"inform\":false,"
				  "\"varbinds\":[]}"));
	xn_trap_class_clear (&c);
}

typedef struct {
	const char *if_name;     /* ifName varbind, NULL: none */
	gsize       if_name_len;
	const char *if_descr;    /* ifDescr varbind, NULL: none */
	gint64      if_index;
	const char *subject;
	const char *link;        /* NULL: none */
} NameCase;

static void
test_interface_names (Fixture *f, gconstpointer data)
{
	static const NameCase cases[] = {
		/* ifName wins over the poller's pairing and ifDescr */
		{ "ge-0/0/0", 8, "GigabitEthernet0/0/0", 2, "interface/core/ge-0/0/0", NULL },
		/* the pairing wins over ifDescr */
		{ NULL, 0, "GigabitEthernet0/0/1", 2, "interface/core/ge-0/0/1", "L-1" },
		/* ifDescr when nothing else names it */
		{ NULL, 0, "Serial1/0", 9, "interface/core/Serial1/0", NULL },
		/* an unusable ifName (a control character, blanks at the end) is not used */
		{ "ge\t1", 4, NULL, 9, "node/core", NULL },
		{ "ge-1 ", 5, "ge-1", 9, "interface/core/ge-1", NULL },
		/* bytes that are not UTF-8, a NUL inside */
		{ "\xff\xfe", 2, NULL, 9, "node/core", NULL },
		{ "ge\0x", 4, NULL, 2, "interface/core/ge-0/0/1", "L-1" },
		/* Chinese names are text */
		{ "上联口", strlen ("上联口"), NULL, 9, "interface/core/上联口", NULL },
	};

	for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
		const NameCase *k = &cases[i];
		XnTrapVarbind vbs[3];
		guint n = 0;
		XnTrap trap = { .version = XN_TRAP_V2C, .source_address = "10.0.0.1",
				.trap_oid = OID (1, 3, 6, 1, 6, 3, 1, 1, 5, 3) };
		XnTrapArc index_oid[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 1, (XnTrapArc) k->if_index };
		XnTrapArc name_oid[] = { 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1, (XnTrapArc) k->if_index };
		XnTrapArc descr_oid[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 2, (XnTrapArc) k->if_index };
		XnTrapClass c;
		g_autofree char *line = NULL;

		vbs[n++] = vb_int ((XnTrapOid) { index_oid, G_N_ELEMENTS (index_oid) }, k->if_index);
		if (k->if_name != NULL)
			vbs[n++] = vb_octets ((XnTrapOid) { name_oid, G_N_ELEMENTS (name_oid) }, XN_TRAP_ASN_OCTET_STRING,
					      k->if_name, k->if_name_len);
		if (k->if_descr != NULL)
			vbs[n++] = vb_octets ((XnTrapOid) { descr_oid, G_N_ELEMENTS (descr_oid) }, XN_TRAP_ASN_OCTET_STRING,
					      k->if_descr, strlen (k->if_descr));
		trap.varbinds = vbs;
		trap.n_varbinds = n;
		line = fact_line (f, &trap, &c);
		g_assert_cmpstr (c.subject, ==, k->subject);
		g_assert_cmpstr (c.link != NULL ? c.link->id : NULL, ==, k->link);
		xn_trap_class_clear (&c);
	}
}

/* The other kinds, and every value type as stored. */
static void
test_kinds_and_values (Fixture *f, gconstpointer data)
{
	static const struct { XnTrapArc last; const char *kind; } standard[] = {
		{ 1, "trap.cold-start" }, { 2, "trap.warm-start" }, { 5, "trap.auth-failure" }, { 6, "trap.other" },
	};
	XnTrapVarbind vbs[] = {
		vb_octets (OID (1, 3, 6, 1, 4, 1, 9, 1), XN_TRAP_ASN_OCTET_STRING, "机房 UPS \"1\"\n", strlen ("机房 UPS \"1\"\n")),
		vb_octets (OID (1, 3, 6, 1, 4, 1, 9, 2), XN_TRAP_ASN_OCTET_STRING, "\x00\x1b\xff", 3),
		vb_octets (OID (1, 3, 6, 1, 4, 1, 9, 3), XN_TRAP_ASN_OPAQUE, "ab", 2),
		vb_unsigned (OID (1, 3, 6, 1, 4, 1, 9, 4), XN_TRAP_ASN_COUNTER64, G_MAXUINT64),
		vb_unsigned (OID (1, 3, 6, 1, 4, 1, 9, 5), XN_TRAP_ASN_COUNTER64, 5),
		vb_unsigned (OID (1, 3, 6, 1, 4, 1, 9, 6), XN_TRAP_ASN_GAUGE32, 4294967295u),
		vb_unsigned (OID (1, 3, 6, 1, 4, 1, 9, 7), XN_TRAP_ASN_COUNTER32, 7),
		vb_int (OID (1, 3, 6, 1, 4, 1, 9, 8), -3),
		(XnTrapVarbind) { .name = OID (1, 3, 6, 1, 4, 1, 9, 9), .type = XN_TRAP_ASN_NULL },
		(XnTrapVarbind) { .name = OID (1, 3, 6, 1, 4, 1, 9, 10), .type = XN_TRAP_ASN_NO_SUCH_INSTANCE },
		vb_octets (OID (1, 3, 6, 1, 4, 1, 9, 11), XN_TRAP_ASN_IPADDRESS, "\x01\x02\x03", 3),
	};
	XnTrap trap = { .version = XN_TRAP_V2C, .source_address = "10.0.0.2",
			.trap_oid = OID (1, 3, 6, 1, 4, 1, 8072, 4, 0, 1), .varbinds = vbs, .n_varbinds = G_N_ELEMENTS (vbs) };
	XnTrapClass c;
	g_autofree char *line = fact_line (f, &trap, &c);
	g_autoptr(XnFact) omitted = NULL;
	g_autofree char *omitted_line = NULL;

	g_assert_cmpstr (strstr (line, "\"attrs\":"), ==,
		"\"attrs\":{\"node\":\"agg\",\"version\":\"v2c\",\"source_address\":\"10.0.0.2\","
		"\"trap_oid\":\"1.3.6.1.4.1.8072.4.0.1\",\"trap_name\":\"NET-SNMP-AGENT-MIB::nsNotifyStart\",\"inform\":false,"
		"\"varbinds\":["
		"{\"oid\":\"1.3.6.1.4.1.9.1\",\"type\":\"OCTET STRING\",\"value\":\"机房 UPS \\\"1\\\"\\n\"},"
		"{\"oid\":\"1.3.6.1.4.1.9.2\",\"type\":\"OCTET STRING\",\"value\":\"001bff\",\"encoding\":\"hex\"},"
		"{\"oid\":\"1.3.6.1.4.1.9.3\",\"type\":\"Opaque\",\"value\":\"6162\",\"encoding\":\"hex\"},"
		"{\"oid\":\"1.3.6.1.4.1.9.4\",\"type\":\"Counter64\",\"value\":\"18446744073709551615\"},"
		"{\"oid\":\"1.3.6.1.4.1.9.5\",\"type\":\"Counter64\",\"value\":5},"
		"{\"oid\":\"1.3.6.1.4.1.9.6\",\"type\":\"Gauge32\",\"value\":4294967295},"
		"{\"oid\":\"1.3.6.1.4.1.9.7\",\"type\":\"Counter32\",\"value\":7},"
		"{\"oid\":\"1.3.6.1.4.1.9.8\",\"type\":\"INTEGER\",\"value\":-3},"
		"{\"oid\":\"1.3.6.1.4.1.9.9\",\"type\":\"NULL\",\"value\":null},"
		"{\"oid\":\"1.3.6.1.4.1.9.10\",\"type\":\"noSuchInstance\",\"value\":null},"
		"{\"oid\":\"1.3.6.1.4.1.9.11\",\"type\":\"IpAddress\",\"value\":\"010203\",\"encoding\":\"hex\"}]}}");
	g_assert_cmpint (c.kind, ==, XN_TRAP_OTHER);
	omitted = xn_trap_to_fact (&f->ctx, &trap, &c, T0, TRUE);
	omitted_line = xn_fact_to_json_line (omitted);
	g_assert_nonnull (strstr (omitted_line, "\"inform\":false,\"varbinds_omitted\":11}}"));
	xn_trap_class_clear (&c);

	for (gsize i = 0; i < G_N_ELEMENTS (standard); i++) {
		XnTrapArc arcs[] = { 1, 3, 6, 1, 6, 3, 1, 1, 5, standard[i].last };
		XnTrap t = { .version = XN_TRAP_V1, .source_address = "10.0.0.1",
			     .trap_oid = { arcs, G_N_ELEMENTS (arcs) } };
		g_autofree char *l = fact_line (f, &t, &c);

		g_assert_cmpstr (xn_trap_kind_to_string (c.kind), ==, standard[i].kind);
		g_assert_cmpstr (c.subject, ==, "node/core");
		xn_trap_class_clear (&c);
	}
}

/* A notification without snmpTrapOID.0 is still stored, with trap_oid null. */
static void
test_no_trap_oid (Fixture *f, gconstpointer data)
{
	XnTrap trap = { .version = XN_TRAP_V2C, .source_address = "10.0.0.1" };
	XnTrapClass c;
	g_autofree char *line = fact_line (f, &trap, &c);

	g_assert_cmpint (c.kind, ==, XN_TRAP_OTHER);
	g_assert_null (c.trap_oid);
	g_assert_nonnull (strstr (line, "\"trap_oid\":null,\"inform\":false"));
	xn_trap_class_clear (&c);
}

static XnFact *
poller_fact (const char *kind, const char *attrs_json)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) attrs = xn_fact_attrs_from_json (attrs_json, &error);

	g_assert_no_error (error);
	return xn_fact_new (T0, kind, "interface/x/y", "poller", T0, attrs);
}

static void
test_ifmap (void)
{
	g_autoptr(XnIfMap) map = xn_if_map_new ();
	g_autoptr(XnFact) a = poller_fact ("interface.down", "{\"node\":\"n\",\"if_name\":\"ge-1\",\"if_index\":3}");
	g_autoptr(XnFact) b = poller_fact ("interface.up", "{\"node\":\"n\",\"if_name\":\"ge-1\",\"if_index\":5}");
	g_autoptr(XnFact) c = poller_fact ("interface.up", "{\"node\":\"n\",\"if_name\":\"ge-2\",\"if_index\":5}");
	g_autoptr(XnFact) gone = poller_fact ("interface.down", "{\"node\":\"n\",\"if_name\":\"ge-3\",\"if_index\":null}");
	g_autoptr(XnFact) odd = poller_fact ("interface.down", "{\"node\":[1],\"if_name\":\"ge-3\",\"if_index\":4}");
	g_autoptr(XnFact) other = poller_fact ("node.reachable", "{\"node\":\"n\",\"if_name\":\"ge-3\",\"if_index\":4}");

	g_assert_true (xn_if_map_observe (map, a));
	g_assert_cmpstr (xn_if_map_lookup (map, "n", 3), ==, "ge-1");
	g_assert_false (xn_if_map_observe (map, a));
	/* renumbered: the old index no longer names it */
	g_assert_true (xn_if_map_observe (map, b));
	g_assert_null (xn_if_map_lookup (map, "n", 3));
	g_assert_cmpstr (xn_if_map_lookup (map, "n", 5), ==, "ge-1");
	/* the index taken by another interface */
	g_assert_true (xn_if_map_observe (map, c));
	g_assert_cmpstr (xn_if_map_lookup (map, "n", 5), ==, "ge-2");
	g_assert_cmpuint (xn_if_map_size (map), ==, 1);
	g_assert_false (xn_if_map_observe (map, gone));
	g_assert_false (xn_if_map_observe (map, odd));
	g_assert_false (xn_if_map_observe (map, other));
	g_assert_null (xn_if_map_lookup (map, "m", 5));
}

static void
test_mib_names (void)
{
	g_autoptr(XnMibNames) names = xn_mib_names_new ();
	g_autoptr(XnMibNames) shipped = xn_mib_names_new ();
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_build_filename (g_getenv ("top_srcdir") != NULL ? g_getenv ("top_srcdir") : "..",
						 "mibs", NULL);
	static const char *const bad[][2] = {
		{ "1.3.6.1 IF-MIB::linkDown extra\n", "b.oids:1: expected two fields, an OID and MODULE::name" },
		{ "# c\n\n1.3.6.1\n", "b.oids:3: expected two fields, an OID and MODULE::name" },
		{ "1..3 IF-MIB::x\n", "b.oids:1: the first field is not a dotted OID (1.3.6.1...)" },
		{ "1.3.04 IF-MIB::x\n", "b.oids:1: the first field is not a dotted OID (1.3.6.1...)" },
		{ "1.3.4294967296 IF-MIB::x\n", "b.oids:1: the first field is not a dotted OID (1.3.6.1...)" },
		{ "1.3.6 linkDown\n", "b.oids:1: the second field is not MODULE::name (IF-MIB::linkDown)" },
		{ "1.3.6 if-mib::linkDown\n", "b.oids:1: the second field is not MODULE::name (IF-MIB::linkDown)" },
		{ "1.3.6 A::x\n1.3.7 A::y\n1.3.6 A::z\n", "b.oids:3: 1.3.6 is already named A::x at b.oids:1" },
		{ "1.3.6.1.6.3.1.1.5.3 X::y\n", "b.oids:1: 1.3.6.1.6.3.1.1.5.3 is already named IF-MIB::linkDown at a.oids:3" },
	};

	g_assert_true (xn_mib_names_load_data (names, "# names\n1.3.6.1.6.3.1.1.5.4 IF-MIB::linkUp  # up\n"
					       "\t1.3.6.1.6.3.1.1.5.3\tIF-MIB::linkDown\n", "a.oids", &error));
	g_assert_no_error (error);
	g_assert_cmpstr (xn_mib_names_lookup (names, "1.3.6.1.6.3.1.1.5.3"), ==, "IF-MIB::linkDown");
	g_assert_null (xn_mib_names_lookup (names, "1.3.6.1.6.3.1.1.5"));
	for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
		g_autoptr(GError) e = NULL;

		g_assert_false (xn_mib_names_load_data (names, bad[i][0], "b.oids", &e));
		g_assert_error (e, XN_ERROR, XN_ERROR_INVALID);
		g_assert_cmpstr (e->message, ==, bad[i][1]);
	}
	/* a refused file adds nothing */
	g_assert_cmpuint (xn_mib_names_size (names), ==, 2);

	g_assert_true (xn_mib_names_load_dir (shipped, dir, &error));
	g_assert_no_error (error);
	g_assert_cmpstr (xn_mib_names_lookup (shipped, "1.3.6.1.6.3.1.1.5.1"), ==, "SNMPv2-MIB::coldStart");
	g_assert_cmpstr (xn_mib_names_lookup (shipped, "1.3.6.1.4.1.8072.4.0.3"), ==, "NET-SNMP-AGENT-MIB::nsNotifyRestart");
	g_assert_cmpuint (xn_mib_names_size (shipped), >=, 30);
	g_assert_false (xn_mib_names_load_dir (shipped, "/nonexistent", &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_NOT_FOUND);
}

/* A BER TLV around `value`, with a long-form length when `long_form`. */
static GByteArray *
tlv (guint8 tag, GByteArray *value, gboolean long_form)
{
	GByteArray *out = g_byte_array_new ();
	guint8 head[4] = { tag };
	guint n = 2;

	if (long_form || value->len > 127) {
		head[1] = 0x82;
		head[2] = (guint8) (value->len >> 8);
		head[3] = (guint8) value->len;
		n = 4;
	} else {
		head[1] = (guint8) value->len;
	}
	g_byte_array_append (out, head, n);
	g_byte_array_append (out, value->data, value->len);
	g_byte_array_unref (value);
	return out;
}

static GByteArray *
bytes (const char *data, gsize len)
{
	return g_byte_array_append (g_byte_array_new (), (const guint8 *) data, (guint) len);
}

static GByteArray *
concat (GByteArray *a, GByteArray *b)
{
	g_byte_array_append (a, b->data, b->len);
	g_byte_array_unref (b);
	return a;
}

/* An SNMPv3 message up to its scoped PDU (which the reader never needs). */
static GByteArray *
v3_message (const char *engine, gsize engine_len, const char *user, gboolean long_form)
{
	GByteArray *usm = concat (concat (concat (concat (concat (
		tlv (0x04, bytes (engine, engine_len), long_form),
		tlv (0x02, bytes ("\x05", 1), FALSE)),
		tlv (0x02, bytes ("\x00\x01\x00", 3), FALSE)),
		tlv (0x04, bytes (user, strlen (user)), long_form)),
		tlv (0x04, bytes ("0123456789ab", 12), FALSE)),
		tlv (0x04, bytes ("01234567", 8), FALSE));
	GByteArray *global = concat (concat (concat (tlv (0x02, bytes ("\x11", 1), FALSE),
		tlv (0x02, bytes ("\x05\xdc", 2), FALSE)), tlv (0x04, bytes ("\x07", 1), FALSE)),
		tlv (0x02, bytes ("\x03", 1), FALSE));
	GByteArray *msg = concat (concat (concat (tlv (0x02, bytes ("\x03", 1), FALSE),
		tlv (0x30, global, FALSE)), tlv (0x04, tlv (0x30, usm, long_form), FALSE)),
		tlv (0x04, bytes ("encrypted scoped PDU .......", 28), FALSE));

	return tlv (0x30, msg, long_form);
}

static void
test_v3_header (void)
{
	g_autoptr(GByteArray) m = v3_message ("\x80\x00\xe0\xab\x01\x01", 6, "xnt3000", FALSE);
	g_autoptr(GByteArray) l = v3_message ("\x80\x00\xe0\xab\x01\x01", 6, "noc", TRUE);
	g_autoptr(GByteArray) probe = v3_message ("", 0, "", FALSE);
	XnV3Header h;
	guint cut;

	g_assert_true (xn_v3_header_read (m->data, m->len, &h));
	g_assert_cmpmem (h.engine_id, h.engine_id_len, "\x80\x00\xe0\xab\x01\x01", 6);
	g_assert_cmpmem (h.user, h.user_len, "xnt3000", 7);
	g_assert_true (xn_v3_header_read (l->data, l->len, &h));
	g_assert_cmpmem (h.user, h.user_len, "noc", 3);
	/* a discovery probe: empty engine ID and user */
	g_assert_true (xn_v3_header_read (probe->data, probe->len, &h));
	g_assert_cmpuint (h.engine_id_len, ==, 0);
	g_assert_cmpuint (h.user_len, ==, 0);
	/* cut short after the user name: still read; any earlier: refused */
	cut = (guint) ((const guint8 *) memmem (m->data, m->len, "xnt3000", 7) - m->data) + 7;
	g_assert_true (xn_v3_header_read (m->data, cut, &h));
	for (guint n = 0; n < cut; n++)
		g_assert_false (xn_v3_header_read (m->data, n, &h));
	/* an SNMPv2c message, garbage, lengths that lie or take five bytes */
	g_assert_false (xn_v3_header_read ((const guint8 *) "\x30\x0a\x02\x01\x01\x04\x01x\xa7\x00", 10, &h));
	g_assert_false (xn_v3_header_read ((const guint8 *) "garbage", 7, &h));
	g_assert_cmpuint (m->data[1], ==, m->len - 2);
	m->data[m->len - 29] = 0x7f;    /* the scoped PDU's length: after the header, harmless */
	g_assert_true (xn_v3_header_read (m->data, m->len, &h));
	m->data[4] = 2;                 /* msgVersion 2 */
	g_assert_false (xn_v3_header_read (m->data, m->len, &h));
	m->data[4] = 3;
	m->data[3] = 0x7f;              /* msgVersion's length, past the end */
	g_assert_false (xn_v3_header_read (m->data, m->len, &h));
	g_assert_false (xn_v3_header_read ((const guint8 *) "\x30\x85\x00\x00\x00\x00\x10", 7, &h));
}

static void
test_copy (void)
{
	XnTrapVarbind vbs[] = {
		vb_oid (OID (1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0), OID (1, 3, 6, 1, 6, 3, 1, 1, 5, 3)),
		vb_octets (OID (1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1, 2), XN_TRAP_ASN_OCTET_STRING, "eth1", 4),
		vb_int (OID (1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 2), 2),
	};
	XnTrap trap = { .version = XN_TRAP_V3, .source_address = "10.0.0.1", .user = "noc", .agent_address = NULL,
			.trap_oid = OID (1, 3, 6, 1, 6, 3, 1, 1, 5, 3), .has_uptime = TRUE, .uptime = 9,
			.varbinds = vbs, .n_varbinds = G_N_ELEMENTS (vbs) };
	g_autofree XnTrap *copy = xn_trap_copy (&trap);
	g_autoptr(JsonArray) a = xn_trap_varbinds_to_json (trap.varbinds, trap.n_varbinds);
	g_autoptr(JsonArray) b = xn_trap_varbinds_to_json (copy->varbinds, copy->n_varbinds);
	g_autoptr(JsonNode) na = json_node_init_array (json_node_alloc (), a);
	g_autoptr(JsonNode) nb = json_node_init_array (json_node_alloc (), b);
	g_autofree char *oid = xn_trap_oid_to_string (copy->trap_oid);

	g_assert_true (copy->varbinds != trap.varbinds);
	g_assert_true (copy->source_address != trap.source_address);
	g_assert_cmpstr (copy->source_address, ==, "10.0.0.1");
	g_assert_cmpstr (copy->user, ==, "noc");
	g_assert_null (copy->agent_address);
	g_assert_cmpstr (oid, ==, "1.3.6.1.6.3.1.1.5.3");
	g_assert_cmpuint (copy->uptime, ==, 9);
	g_assert_true (json_node_equal (na, nb));
}

/* ---- the printed attrs against the tree ----
 * Traps made at random (a fixed seed, so a failure repeats) from hostile
 * pieces: every value type and unknown tags, octets with C0 and C1
 * controls, DEL, NUL, quotes, backslashes, U+2028, invalid and cut UTF-8,
 * long strings, huge arcs; known and unknown senders, link traps with and
 * without interface varbinds, users that are not text. */

static const char *const pieces[] = {
	"ge-0/0/1", "机房", "\"", "\\", "\n", "\r\t\b\f", "\x01\x1f", "\x7f", "\xc2\x85", "\xc2\x9f", "\xc2\xa0",
	"\xe2\x80\xa8", "\xe2\x80\xa9", "\xe2\x80\xa7", "\xf0\x9f\x98\x80", "\xff", "\xc3", "\xe2\x80", "\xed\xa0\x80",
	"\xc0\xaf", " ", "/", "\\u0000", "\0", "\xf4\x90\x80\x80",
};

static guint8 *
random_octets (GRand *r, gsize *len)
{
	GByteArray *out = g_byte_array_new ();
	guint n = (guint) g_rand_int_range (r, 0, 6);

	if (g_rand_int_range (r, 0, 20) == 0) {          /* long: a few KB */
		for (guint i = g_rand_int_range (r, 1000, 5000); i > 0; i--) {
			guint8 b = (guint8) g_rand_int_range (r, 0x20, 0x7f);

			g_byte_array_append (out, &b, 1);
		}
	}
	for (guint i = 0; i < n; i++) {
		const char *p = pieces[g_rand_int_range (r, 0, G_N_ELEMENTS (pieces))];

		g_byte_array_append (out, (const guint8 *) p, *p == '\0' ? 1 : strlen (p));
		if (g_rand_int_range (r, 0, 4) == 0) {
			guint8 b = (guint8) g_rand_int_range (r, 0, 256);

			g_byte_array_append (out, &b, 1);
		}
	}
	*len = out->len;
	return g_byte_array_free (out, FALSE);
}

static XnTrapOid
random_oid (GRand *r, GPtrArray *keep)
{
	guint len = (guint) g_rand_int_range (r, 0, 14);
	XnTrapArc *arcs = g_new (XnTrapArc, MAX (len, 1));

	for (guint i = 0; i < len; i++)
		arcs[i] = g_rand_int_range (r, 0, 3) == 0 ? G_MAXULONG - (XnTrapArc) g_rand_int (r)
			  : (XnTrapArc) g_rand_int_range (r, 0, 100000);
	g_ptr_array_add (keep, arcs);
	return (XnTrapOid) { arcs, len };
}

static void
random_varbind (GRand *r, GPtrArray *keep, XnTrapVarbind *v)
{
	static const guint8 types[] = {
		XN_TRAP_ASN_INTEGER, XN_TRAP_ASN_OCTET_STRING, XN_TRAP_ASN_NULL, XN_TRAP_ASN_OBJECT_ID,
		XN_TRAP_ASN_IPADDRESS, XN_TRAP_ASN_COUNTER32, XN_TRAP_ASN_GAUGE32, XN_TRAP_ASN_TIMETICKS,
		XN_TRAP_ASN_OPAQUE, XN_TRAP_ASN_COUNTER64, XN_TRAP_ASN_NO_SUCH_OBJECT, XN_TRAP_ASN_NO_SUCH_INSTANCE,
		XN_TRAP_ASN_END_OF_MIB_VIEW, 0x47, 0x9f, 0x00,
	};
	static const XnTrapArc if_arcs[][12] = {
		{ 1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 3 }, { 1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 3 }, { 1, 3, 6, 1, 2, 1, 2, 2, 1, 7, 3 },
		{ 1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 3 }, { 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1, 3 },
	};
	guint which = (guint) g_rand_int_range (r, 0, G_N_ELEMENTS (if_arcs) + 3);
	gsize len = 0;

	memset (v, 0, sizeof *v);
	if (which < G_N_ELEMENTS (if_arcs))
		v->name = (XnTrapOid) { if_arcs[which], which == 4 ? 12 : 11 };
	else
		v->name = random_oid (r, keep);
	v->type = types[g_rand_int_range (r, 0, G_N_ELEMENTS (types))];
	v->integer = g_rand_boolean (r) ? g_rand_int_range (r, -3, 9) : (gint64) g_rand_int (r) << 31 | g_rand_int (r);
	if (g_rand_int_range (r, 0, 9) == 0)
		v->integer = g_rand_boolean (r) ? G_MININT64 : G_MAXINT64;
	v->unsigned64 = g_rand_boolean (r) ? (guint64) g_rand_int (r) : G_MAXUINT64 - (guint64) g_rand_int_range (r, 0, 3);
	v->objid = random_oid (r, keep);
	if (g_rand_int_range (r, 0, 6) != 0) {
		v->octets = random_octets (r, &len);
		v->octets_len = len;
		g_ptr_array_add (keep, (gpointer) v->octets);
		if (v->type == XN_TRAP_ASN_IPADDRESS && g_rand_boolean (r))
			v->octets_len = MIN (len, 4);
	}
}

static void
check_printed (Fixture *f, const XnTrap *trap, gboolean omit)
{
	g_autoptr(GError) error = NULL;
	XnTrapClass c;
	g_autoptr(JsonObject) tree = NULL;
	g_autoptr(JsonObject) back = NULL;
	g_autoptr(GString) printed = g_string_new (NULL);
	g_autoptr(XnFact) fact = NULL;
	g_autofree char *expected = NULL;
	g_autofree char *again = NULL;
	g_autofree char *built = NULL;
	g_autofree char *line = NULL;

	xn_trap_classify (&f->ctx, trap, &c);
	tree = xn_trap_attrs_to_json (&f->ctx, trap, &c, omit);
	expected = xn_fact_attrs_to_json (tree);
	xn_trap_attrs_write (&f->ctx, trap, &c, omit, printed);
	g_assert_cmpstr (printed->str, ==, expected);
	/* the text is what a journal stores: it reads back to the same tree */
	back = xn_fact_attrs_from_json (printed->str, &error);
	g_assert_no_error (error);
	again = xn_fact_attrs_to_json (back);
	g_assert_cmpstr (again, ==, expected);
	fact = xn_trap_to_fact (&f->ctx, trap, &c, T0, omit);
	g_assert_cmpstr (fact->attrs_json, ==, expected);
	/* no tree until asked for, and then the same tree */
	g_assert_null (fact->attrs);
	built = xn_fact_attrs_to_json (xn_fact_get_attrs (fact));
	g_assert_cmpstr (built, ==, expected);
	g_assert_true (xn_fact_validate (fact, &error));
	g_assert_no_error (error);
	line = xn_fact_to_json_line (fact);
	g_assert_nonnull (strstr (line, expected));
	xn_trap_class_clear (&c);
}

static void
test_printed_equals_tree (Fixture *f, gconstpointer data)
{
	static const char *const sources[] = { "10.0.0.1", "10.0.0.2", "192.0.2.9" };
	static const XnTrapArc kinds[][10] = {
		{ 1, 3, 6, 1, 6, 3, 1, 1, 5, 3 }, { 1, 3, 6, 1, 6, 3, 1, 1, 5, 4 }, { 1, 3, 6, 1, 6, 3, 1, 1, 5, 1 },
		{ 1, 3, 6, 1, 6, 3, 1, 1, 5, 5 }, { 1, 3, 6, 1, 4, 1, 8072, 4, 0, 1 },
	};
	g_autoptr(GRand) r = g_rand_new_with_seed (20261121);

	for (guint i = 0; i < 3000; i++) {
		g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
		XnTrapVarbind vbs[12];
		guint k = (guint) g_rand_int_range (r, 0, G_N_ELEMENTS (kinds) + 1);
		XnTrap trap = {
			.version = (XnTrapVersion) g_rand_int_range (r, XN_TRAP_V1, XN_TRAP_V3 + 1),
			.inform = g_rand_boolean (r),
			.source_address = sources[g_rand_int_range (r, 0, G_N_ELEMENTS (sources))],
			.agent_address = g_rand_boolean (r) ? NULL : sources[g_rand_int_range (r, 0, G_N_ELEMENTS (sources))],
			.user = g_rand_boolean (r) ? NULL : g_rand_boolean (r) ? "noc \"ops\"" : "bad\xff",
			.has_uptime = g_rand_boolean (r),
			.uptime = g_rand_int (r),
			.n_varbinds = (guint) g_rand_int_range (r, 0, G_N_ELEMENTS (vbs) + 1),
			.varbinds = vbs,
		};

		if (k < G_N_ELEMENTS (kinds))
			trap.trap_oid = (XnTrapOid) { kinds[k], G_N_ELEMENTS (kinds[k]) };
		else
			trap.trap_oid = random_oid (r, keep);
		for (guint j = 0; j < trap.n_varbinds; j++)
			random_varbind (r, keep, &vbs[j]);
		check_printed (f, &trap, FALSE);
		check_printed (f, &trap, TRUE);
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add ("/trap-fact/v2c-link-down-by-ifindex", Fixture, NULL, fixture_set_up, test_v2c_link_down_by_ifindex,
		    fixture_tear_down);
	g_test_add ("/trap-fact/v1-link-up-by-agent-address", Fixture, NULL, fixture_set_up,
		    test_v1_link_up_by_agent_address, fixture_tear_down);
	g_test_add ("/trap-fact/forwarded", Fixture, NULL, fixture_set_up, test_forwarded, fixture_tear_down);
	g_test_add ("/trap-fact/unknown-source", Fixture, NULL, fixture_set_up, test_unknown_source, fixture_tear_down);
	g_test_add ("/trap-fact/interface-names", Fixture, NULL, fixture_set_up, test_interface_names, fixture_tear_down);
	g_test_add ("/trap-fact/kinds-and-values", Fixture, NULL, fixture_set_up, test_kinds_and_values, fixture_tear_down);
	g_test_add ("/trap-fact/no-trap-oid", Fixture, NULL, fixture_set_up, test_no_trap_oid, fixture_tear_down);
	g_test_add ("/trap-fact/printed-equals-tree", Fixture, NULL, fixture_set_up, test_printed_equals_tree,
		    fixture_tear_down);
	g_test_add_func ("/trap-fact/ifmap", test_ifmap);
	g_test_add_func ("/trap-fact/mib-names", test_mib_names);
	g_test_add_func ("/trap-fact/v3-header", test_v3_header);
	g_test_add_func ("/trap-fact/copy", test_copy);
	return g_test_run ();
}

/* test-ticket-message.c — sla/ticket-message.c: the message a carrier
 * receives for each kind of event, in full for the fault report (the
 * sample of doc/sla.md), the lines each other kind adds, the JSON body
 * read back strictly, and inventory strings built to break things
 * (CR/LF, U+2028, quotes, control characters, invalid UTF-8) that must
 * not reach the subject line or break the JSON. */
#include "test-ticket-util.h"
#include "ticket-message.h"
#include "json-strict.h"
#include "xn-error.h"

#include <string.h>

typedef struct {
	TFixtures        fx;
	XnTicketOptions  options;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
	tfixtures_init (&f->fx);
	xn_ticket_options_init (&f->options);
	xn_ticket_options_set_noc (&f->options, "市政务外网运维中心", "0000-12345-00", "noc@gov.example");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
	xn_ticket_options_clear (&f->options);
	tfixtures_clear (&f->fx);
}

/* Runs the facts, advances to `until` and returns the event `id`. */
static XnTicketEvent *
event_of (Fixture *f, const XnInventory *inventory, const TF *facts, const char *until, const char *id)
{
	g_autoptr(XnTicketEngine) engine = tengine (inventory, -1, &f->options);
	g_autoptr(GPtrArray) events = NULL;

	tfeed_all (engine, facts);
	xn_ticket_engine_advance (engine, tat (until));
	events = xn_ticket_engine_take_events (engine);
	for (guint i = 0; i < events->len; i++)
		if (strcmp (((XnTicketEvent *) g_ptr_array_index (events, i))->id, id) == 0)
			return g_ptr_array_steal_index (events, i);
	g_error ("no event %s", id);
}

static XnTicketMessage *
render (Fixture *f, const XnInventory *inventory, const XnTicketEvent *event)
{
	g_autoptr(GError) error = NULL;
	XnTicketMessage *message = xn_ticket_message_render (event, inventory, &f->options, f->fx.tz, &error);

	g_assert_no_error (error);
	g_assert_nonnull (message);
	return message;
}

static JsonObject *
parse (const char *json)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = xn_json_parse_strict (json, strlen (json), 16, &error);

	g_assert_no_error (error);
	g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
	return json_object_ref (json_node_get_object (node));
}

static const TF township[] = {
	{ "10:00:00", T_IF_DOWN, T_DQ, NULL, "10:00:05" },
	{ "10:40:00", "fault.acknowledged", "ticket/XN-000001", "{\"carrier_ref\":\"DX-7781\",\"contact\":\"王工\"}", NULL },
	{ "17:00:00", T_IF_UP, T_DQ, NULL, NULL },
	{ NULL },
};

static void
test_opened (Fixture *f, gconstpointer data)
{
	g_autoptr(XnTicketEvent) event = event_of (f, f->fx.county, township, "18:00:00", "XN-000001#opened");
	g_autoptr(XnTicketMessage) m = render (f, f->fx.county, event);
	g_autoptr(JsonObject) o = parse (m->json);
	JsonObject *a_end;

	g_assert_cmpstr (m->subject, ==, "[XN-000001#opened] 故障申告 Fault report: 链路 link L-dong-qingshan (DX-SAMPLE-0010)");
	g_assert_cmpstr (m->text, ==,
		"政务外网网络故障工单 Extranet fault ticket (extranoc)\n"
		"\n"
		"工单号 Ticket ID: XN-000001\n"
		"事件 Event: 故障申告 opened\n"
		"事件编号 Event ID: XN-000001#opened\n"
		"事件时间 Event time: 2025-03-10T10:10:00+08:00\n"
		"运营商 Carrier: telecom 中国电信示例市分公司\n"
		"故障对象 Object: link/L-dong-qingshan\n"
		"电路编号 Circuit ID: DX-SAMPLE-0010\n"
		"A端 A end: dong-core ge-0-1-1, 东县政务外网核心机房 (dong-core-room)\n"
		"Z端 Z end: qingshan ge-0-0-0, 青山镇政府机房 (qingshan-site)\n"
		"受影响单位 Affected units: qingshan-clinic 青山镇卫生院; qingshan-gov 青山镇人民政府\n"
		"故障开始 Fault start: 2025-03-10T10:00:00+08:00\n"
		"申告时间 Report time: 2025-03-10T10:00:05+08:00\n"
		"SLA等级 SLA class: township 乡镇区域, 修复时限 restore target 6 h\n"
		"响应时限 Response deadline: 2025-03-10T11:00:05+08:00 (1 h)\n"
		"修复时限 Restore deadline: 2025-03-10T16:00:05+08:00 (6 h)\n"
		"网络运维中心 NOC contact: 市政务外网运维中心, 0000-12345-00, noc@gov.example\n"
		"时区 Time zone: Asia/Shanghai\n");
	g_assert_cmpstr (json_object_get_string_member (o, "event_id"), ==, "XN-000001#opened");
	g_assert_cmpstr (json_object_get_string_member (o, "ticket_id"), ==, "XN-000001");
	g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "carrier"), "display_name"),
			 ==, "中国电信示例市分公司");
	g_assert_cmpstr (json_object_get_string_member (o, "circuit_id"), ==, "DX-SAMPLE-0010");
	a_end = json_object_get_object_member (o, "a_end");
	g_assert_cmpstr (json_object_get_string_member (a_end, "interface"), ==, "ge-0-1-1");
	g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "report_time"), "utc"), ==,
			 "2025-03-10T02:00:05.000000Z");
	g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "restore_deadline"), "local"),
			 ==, "2025-03-10T16:00:05+08:00");
	g_assert_cmpint (json_object_get_int_member (o, "restore_target_s"), ==, 21600);
	g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "units")), ==, 2);
	g_assert_true (json_object_get_null_member (o, "breach"));
	g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "noc"), "phone"), ==,
			 "0000-12345-00");
}

/* The lines each other kind of event adds, and its JSON. */
static void
test_kinds (Fixture *f, gconstpointer data)
{
	g_autoptr(XnTicketEvent) breach = event_of (f, f->fx.county, township, "18:00:00", "XN-000001-S#1");
	g_autoptr(XnTicketEvent) closed = event_of (f, f->fx.county, township, "18:00:00", "XN-000001#closed");
	g_autoptr(XnTicketMessage) mb = render (f, f->fx.county, breach);
	g_autoptr(XnTicketMessage) mc = render (f, f->fx.county, closed);
	g_autoptr(JsonObject) ob = parse (mb->json), oc = parse (mc->json);
	JsonObject *b = json_object_get_object_member (ob, "breach");

	g_assert_cmpstr (mb->subject, ==,
			 "[XN-000001-S#1] 修复超时 Restore breach 第1级 level 1: 链路 link L-dong-qingshan (DX-SAMPLE-0010)");
	g_assert_nonnull (strstr (mb->text, "\n超时类别 Breach: 修复超时 restore, 第1级 level 1 (100 %), "
				  "超时单号 breach ticket XN-000001-S\n超时时长 Time over: 0 s\n"));
	g_assert_nonnull (strstr (mb->text, "\n运营商单号 Carrier reference: DX-7781\n"));
	g_assert_cmpstr (json_object_get_string_member (b, "id"), ==, "XN-000001-S");
	g_assert_cmpint (json_object_get_int_member (b, "level"), ==, 1);
	g_assert_cmpint (json_object_get_int_member (b, "over_s"), ==, 0);
	g_assert_nonnull (strstr (mc->text, "\n修复时间 Restored: 2025-03-10T17:00:00+08:00\n"
				  "考核结果 SLA result: 响应 response 达标 met, 修复 restore 超时 missed\n"));
	g_assert_true (json_object_get_boolean_member (oc, "response_met"));
	g_assert_false (json_object_get_boolean_member (oc, "restore_met"));
}

/* A node's ticket names the node; a call names who phoned and why; a
 * withdrawal says to whom and why. */
static void
test_node_manual_withdrawn (Fixture *f, gconstpointer data)
{
	const TF node[] = { { "10:00:00", T_DOWN, "node/xi-core", NULL, NULL }, { NULL } };
	const TF call[] = {
		{ "10:00:00", "fault.reported", "unit/qingshan-gov", "{\"reporter\":\"青山镇网管\",\"description\":\"全镇断网\",\"by\":\"phone\"}", NULL },
		{ "10:30:00", "fault.attributed", "ticket/XN-000001", "{\"to\":\"unit-lan\",\"reason\":\"单位交换机掉电\"}", NULL },
		{ NULL } };
	g_autoptr(XnTicketEvent) opened = event_of (f, f->fx.county, node, "11:00:00", "XN-000001#opened");
	g_autoptr(XnTicketEvent) reported = event_of (f, f->fx.county, call, "11:00:00", "XN-000001#opened");
	g_autoptr(XnTicketEvent) withdrawn = event_of (f, f->fx.county, call, "11:00:00", "XN-000001#withdrawn");
	g_autoptr(XnTicketMessage) mn = render (f, f->fx.county, opened);
	g_autoptr(XnTicketMessage) mr = render (f, f->fx.county, reported);
	g_autoptr(XnTicketMessage) mw = render (f, f->fx.county, withdrawn);

	g_assert_cmpstr (mn->subject, ==, "[XN-000001#opened] 故障申告 Fault report: 设备 node xi-core 西县核心路由器");
	g_assert_nonnull (strstr (mn->text, "\n运营商 Carrier: mobile 中国移动示例市分公司\n"));
	g_assert_nonnull (strstr (mn->text, "\n设备 Node: xi-core 西县核心路由器, 西县政务外网核心机房 (xi-core-room)\n"));
	g_assert_cmpstr (mr->subject, ==, "[XN-000001#opened] 故障申告 Fault report: 链路 link L-dong-qingshan (DX-SAMPLE-0010)");
	g_assert_nonnull (strstr (mr->text, "\n受影响单位 Affected units: qingshan-gov 青山镇人民政府\n"));
	g_assert_nonnull (strstr (mr->text, "\n申告人 Reporter: 青山镇网管\n故障描述 Description: 全镇断网\n"));
	g_assert_nonnull (strstr (mw->text, "\n责任归属 Attribution: 单位内网 unit-lan: 单位交换机掉电\n"));
	g_assert_cmpstr (mw->subject, ==, "[XN-000001#withdrawn] 工单撤回 Ticket withdrawn: 链路 link L-dong-qingshan (DX-SAMPLE-0010)");
}

static const char *const hostile = "恶意\r\nBcc: victim@example.com\u2028\"\\\x01\x7f end";

/* core ─ L-bad (carrier "evil") ─ acc; every display name and the
 * circuit id hostile. */
static XnInventory *
hostile_inventory (void)
{
	XnInventory *inv = xn_inventory_new ();
	XnCarrier *carrier = xn_carrier_new ("evil", XN_CHANNEL_SPOOL);
	XnSite *site = xn_site_new ("room", "city", "township");
	XnNode *core = xn_node_new ("core", XN_NODE_BACKBONE, "room", "192.0.2.1");
	XnNode *acc = xn_node_new ("acc", XN_NODE_ACCESS, "room", "192.0.2.2");
	XnLink *link = xn_link_new ("L-bad", 1000, "core", "ge-0/0/1", "room");
	g_autoptr(GError) error = NULL;

	carrier->display_name = g_strdup (hostile);
	site->display_name = g_strdup (hostile);
	acc->parent_name = g_strdup ("core");
	link->carrier_name = g_strdup ("evil");
	link->circuit_id = g_strdup ("C-1\r\nSubject: forged");
	link->z.node_name = g_strdup ("acc");
	link->z.interface = g_strdup ("ge-0/0/0");
	g_assert_true (xn_inventory_add_region (inv, xn_region_new ("city", XN_REGION_CITY), NULL));
	g_assert_true (xn_inventory_add_site (inv, site, NULL));
	g_assert_true (xn_inventory_add_carrier (inv, carrier, NULL));
	g_assert_true (xn_inventory_add_node (inv, core, NULL));
	g_assert_true (xn_inventory_add_node (inv, acc, NULL));
	g_assert_true (xn_inventory_add_link (inv, link, NULL));
	g_assert_true (xn_inventory_add_unit (inv, xn_access_unit_new ("u1", hostile, "room", "L-bad"), NULL));
	g_assert_true (xn_inventory_resolve (inv, &error));
	g_assert_no_error (error);
	return inv;
}

static void
test_hostile (Fixture *f, gconstpointer data)
{
	g_autoptr(XnInventory) inv = hostile_inventory ();
	const TF facts[] = { { "10:00:00", T_IF_DOWN, "interface/core/ge-0/0/1", NULL, NULL }, { NULL } };
	g_autoptr(XnTicketEvent) event = NULL;
	g_autoptr(XnTicketMessage) m = NULL;
	g_autoptr(JsonObject) o = NULL;
	g_auto(GStrv) lines = NULL;
	JsonArray *units;

	xn_ticket_options_set_noc (&f->options, "NOC\nX-Injected: 1", "1", NULL);
	event = event_of (f, inv, facts, "11:00:00", "XN-000001#opened");
	m = render (f, inv, event);
	for (const char *p = m->subject; *p != '\0'; p++)
		g_assert_true ((guchar) *p >= 0x20 && *p != 0x7f);
	g_assert_null (strstr (m->subject, "\xe2\x80\xa8"));
	g_assert_cmpstr (m->subject, ==, "[XN-000001#opened] 故障申告 Fault report: 链路 link L-bad (C-1 Subject: forged)");
	/* Every line is one field: a hostile value cannot start a line. */
	lines = g_strsplit (m->text, "\n", -1);
	g_assert_cmpuint (g_strv_length (lines), ==, 20);
	for (guint i = 2; lines[i][0] != '\0'; i++)
		g_assert_nonnull (strstr (lines[i], ": "));
	g_assert_nonnull (strstr (m->text, "\n运营商 Carrier: evil 恶意 Bcc: victim@example.com \"\\ end\n"));
	g_assert_nonnull (strstr (m->text, "\n网络运维中心 NOC contact: NOC X-Injected: 1, 1, -\n"));
	g_assert_true (g_utf8_validate (m->text, -1, NULL));
	/* The JSON reads back strictly and keeps the strings as they were. */
	g_assert_null (strchr (m->json, '\n'));
	o = parse (m->json);
	g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "carrier"), "display_name"),
			 ==, hostile);
	units = json_object_get_array_member (o, "units");
	g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (units, 0), "display_name"),
			 ==, hostile);
	g_assert_cmpstr (json_object_get_string_member (o, "circuit_id"), ==, "C-1\r\nSubject: forged");
}

static void
test_one_line (void)
{
	g_autofree char *a = xn_ticket_message_one_line ("  a\r\n\tb  ", 100);
	g_autofree char *b = xn_ticket_message_one_line ("青山镇人民政府", 3);
	g_autofree char *c = xn_ticket_message_one_line ("bad \xff\xfe utf8", 100);
	g_autofree char *d = xn_ticket_message_one_line (NULL, 10);
	g_autofree char *e = xn_ticket_message_one_line ("abc", 3);

	g_assert_cmpstr (a, ==, "a b");
	g_assert_cmpstr (b, ==, "青山镇…");
	g_assert_true (g_utf8_validate (c, -1, NULL));
	g_assert_cmpstr (c, ==, "bad \xef\xbf\xbd\xef\xbf\xbd utf8");
	g_assert_cmpstr (d, ==, "");
	g_assert_cmpstr (e, ==, "abc");
}

/* An event without its ticket cannot be rendered: an error, not a crash. */
static void
test_no_ticket (Fixture *f, gconstpointer data)
{
	XnTicketEvent event = { .id = (char *) "XN-000001#opened", .ticket_id = (char *) "XN-000001" };
	g_autoptr(GError) error = NULL;

	g_assert_null (xn_ticket_message_render (&event, f->fx.county, &f->options, f->fx.tz, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add ("/ticket-message/opened", Fixture, NULL, fixture_set_up, test_opened, fixture_tear_down);
	g_test_add ("/ticket-message/kinds", Fixture, NULL, fixture_set_up, test_kinds, fixture_tear_down);
	g_test_add ("/ticket-message/node-manual-withdrawn", Fixture, NULL, fixture_set_up,
		    test_node_manual_withdrawn, fixture_tear_down);
	g_test_add ("/ticket-message/hostile", Fixture, NULL, fixture_set_up, test_hostile, fixture_tear_down);
	g_test_add ("/ticket-message/no-ticket", Fixture, NULL, fixture_set_up, test_no_ticket, fixture_tear_down);
	g_test_add_func ("/ticket-message/one-line", test_one_line);
	return g_test_run ();
}

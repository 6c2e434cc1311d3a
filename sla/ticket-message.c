/* ticket-message.c — a ticket event rendered for the carrier: subject,
 * text body and JSON body.
 *
 * The text body is one "中文 English: value" line per field, in the order
 * a duty engineer reads them (what, where, since when, by when), with the
 * lines that only some events carry (breach level and time over, the
 * carrier's reference, the restore and whether each deadline was met,
 * the ticket merged into, the attribution) in between; local times carry
 * their offset and the zone's name. The JSON body has the same fields,
 * each instant as UTC (the journal's form) and local. Every value that
 * comes from the inventory or from an operator is made one line (no CR or
 * LF can reach a mail header or break a "field: value" line) and valid
 * UTF-8; JSON is printed by storage/json-strict.c, which escapes every
 * control character. What is rendered depends only on the arguments:
 * nothing here reads a clock or a file. */
#include "ticket-message.h"
#include "json-strict.h"
#include "xn-error.h"

#include <string.h>

#define SUBJECT_MAX_CHARS 160
#define VALUE_MAX_CHARS   400

static const char *const event_zh[XN_TICKET_EVENT_KIND_COUNT] = {
	"故障申告", "故障转派", "工单合并", "工单撤回", "故障复发", "工单关闭", "响应超时", "修复超时",
	"维护窗口结束仍未恢复",
};
static const char *const event_en[XN_TICKET_EVENT_KIND_COUNT] = {
	"Fault report", "Ticket handed over", "Ticket merged", "Ticket withdrawn", "Fault reopened",
	"Ticket closed", "Response breach", "Restore breach", "Still down after maintenance",
};

char *
xn_ticket_message_one_line (const char *text, guint max_chars)
{
	g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
	GString *out = g_string_new (NULL);
	gboolean space = TRUE;
	guint chars = 0;

	for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);

		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
		    g_unichar_isspace (c)) {
			if (!space)
				g_string_append_c (out, ' ');
			space = TRUE;
			continue;
		}
		if (chars == max_chars) {
			g_string_append (out, "…");
			space = FALSE;
			break;
		}
		g_string_append_unichar (out, c);
		chars++;
		space = FALSE;
	}
	if (space && out->len > 0 && out->str[out->len - 1] == ' ')
		g_string_truncate (out, out->len - 1);
	return g_string_free (out, FALSE);
}

static char *
clean (const char *text)
{
	return xn_ticket_message_one_line (text, VALUE_MAX_CHARS);
}

/* "1 h", "30 min", "1 h 30 min", "45 s". */
static char *
duration (gint64 us)
{
	GString *s = g_string_new (NULL);
	gint64 secs = ABS (us) / XN_USEC_PER_SEC;

	if (us < 0)
		g_string_append_c (s, '-');
	if (secs >= 3600)
		g_string_append_printf (s, "%" G_GINT64_FORMAT " h", secs / 3600);
	if (secs % 3600 >= 60)
		g_string_append_printf (s, "%s%" G_GINT64_FORMAT " min", secs >= 3600 ? " " : "", secs % 3600 / 60);
	if (secs % 60 != 0 || secs == 0)
		g_string_append_printf (s, "%s%" G_GINT64_FORMAT " s", secs >= 60 ? " " : "", secs % 60);
	return g_string_free (s, FALSE);
}

static const char *
class_zh (const char *sla_class)
{
	if (g_strcmp0 (sla_class, "county-unit") == 0)
		return "县直单位";
	if (g_strcmp0 (sla_class, "core-room") == 0)
		return "核心机房";
	if (g_strcmp0 (sla_class, "township") == 0)
		return "乡镇区域";
	return "";
}

static const char *
attribution_zh (XnTicketAttribution attribution)
{
	return attribution == XN_ATTRIBUTION_CARRIER ? "运营商" :
		attribution == XN_ATTRIBUTION_OPERATOR ? "运维单位" : "单位内网";
}

/* What one rendering needs at hand. */
typedef struct {
	const XnTicketEvent   *event;
	const XnTicket        *t;
	const XnInventory     *inventory;
	const XnTicketOptions *options;
	GTimeZone             *tz;
	const char            *tz_name;
	const XnLink          *link;
	const XnNode          *node;
	const XnCarrier       *carrier;
	GString               *text;
	JsonObject            *json;
} Render;

/* "NAME DISPLAY" (or just NAME), made one line. */
static char *
named (const char *name, const char *display)
{
	g_autofree char *joined = display != NULL && display[0] != '\0' ? g_strdup_printf ("%s %s", name, display)
		: g_strdup (name);

	return clean (joined);
}

static void
line (Render *r, const char *label, const char *value)
{
	g_autofree char *v = clean (value);

	g_string_append_printf (r->text, "%s: %s\n", label, v);
}

static char *
local_time (Render *r, XnInstant t)
{
	return xn_time_format (t, r->tz);
}

static void
time_line (Render *r, const char *label, XnInstant t, const char *suffix)
{
	g_autofree char *local = NULL, *value = NULL;

	if (t == XN_TICKET_NONE)
		return;
	local = local_time (r, t);
	value = g_strdup_printf ("%s%s", local, suffix != NULL ? suffix : "");
	line (r, label, value);
}

static void
json_string (JsonObject *o, const char *key, const char *value)
{
	g_autofree char *v = NULL;

	if (value == NULL) {
		json_object_set_null_member (o, key);
		return;
	}
	v = g_utf8_make_valid (value, -1);
	json_object_set_string_member (o, key, v);
}

static void
json_instant (Render *r, JsonObject *o, const char *key, XnInstant t)
{
	JsonObject *i;
	g_autofree char *utc = NULL, *local = NULL;

	if (t == XN_TICKET_NONE) {
		json_object_set_null_member (o, key);
		return;
	}
	i = json_object_new ();
	utc = xn_time_format_utc (t);
	local = local_time (r, t);
	json_object_set_string_member (i, "utc", utc);
	json_object_set_string_member (i, "local", local);
	json_object_set_object_member (o, key, i);
}

static JsonObject *
json_named (const char *name, const char *display)
{
	JsonObject *o = json_object_new ();

	json_string (o, "name", name);
	json_string (o, "display_name", display);
	return o;
}

static void
resolve (Render *r)
{
	const char *object = r->t->object;

	if (object != NULL && g_str_has_prefix (object, "node/"))
		r->node = xn_inventory_node_by_name (r->inventory, object + 5);
	if (r->t->link_id != NULL)
		r->link = xn_inventory_link_by_id (r->inventory, r->t->link_id);
	if (r->event->carrier != NULL)
		r->carrier = xn_inventory_carrier_by_name (r->inventory, r->event->carrier);
}

static char *
subject (Render *r)
{
	const XnTicketEvent *e = r->event;
	g_autofree char *what = NULL, *raw = NULL;

	if (r->link != NULL)
		what = g_strdup_printf ("链路 link %s%s%s%s", r->link->id, r->link->circuit_id != NULL ? " (" : "",
					r->link->circuit_id != NULL ? r->link->circuit_id : "",
					r->link->circuit_id != NULL ? ")" : "");
	else if (r->node != NULL)
		what = g_strdup_printf ("设备 node %s %s", r->node->name,
					r->node->display_name != NULL ? r->node->display_name : "");
	else if (r->t->unit != NULL)
		what = g_strdup_printf ("单位 unit %s", r->t->unit);
	else
		what = g_strdup (r->t->object != NULL ? r->t->object : "");
	if (e->breach_id != NULL)
		raw = g_strdup_printf ("[%s] %s %s 第%u级 level %u: %s", e->id, event_zh[e->kind], event_en[e->kind],
				       e->level, e->level, what);
	else
		raw = g_strdup_printf ("[%s] %s %s: %s", e->id, event_zh[e->kind], event_en[e->kind], what);
	return xn_ticket_message_one_line (raw, SUBJECT_MAX_CHARS);
}

static void
render_where (Render *r)
{
	const XnLink *link = r->link;
	g_autofree char *carrier = named (r->event->carrier != NULL ? r->event->carrier : "-",
					  r->carrier != NULL ? r->carrier->display_name : NULL);

	line (r, "运营商 Carrier", carrier);
	json_object_set_object_member (r->json, "carrier", json_named (r->event->carrier,
				       r->carrier != NULL ? r->carrier->display_name : NULL));
	line (r, "故障对象 Object", r->t->object != NULL ? r->t->object : r->t->unit != NULL ? r->t->unit : "-");
	json_string (r->json, "object", r->t->object);
	json_string (r->json, "circuit_id", link != NULL ? link->circuit_id : NULL);
	json_string (r->json, "link", link != NULL ? link->id : NULL);
	if (link != NULL) {
		const XnLinkEnd *ends[] = { &link->a, &link->z };
		const char *keys[] = { "a_end", "z_end" };
		const char *labels[] = { "A端 A end", "Z端 Z end" };

		line (r, "电路编号 Circuit ID", link->circuit_id != NULL ? link->circuit_id : "-");
		for (guint i = 0; i < 2; i++) {
			const XnNode *node = ends[i]->node;
			const XnSite *site = node != NULL ? node->site : i == 1 ? link->sla_site : NULL;
			g_autofree char *value = g_strdup_printf ("%s %s, %s (%s)",
				ends[i]->node_name != NULL ? ends[i]->node_name : "(unit equipment)",
				ends[i]->interface != NULL ? ends[i]->interface : "",
				site != NULL && site->display_name != NULL ? site->display_name : "-",
				site != NULL ? site->name : "-");
			JsonObject *end = json_object_new ();

			line (r, labels[i], value);
			json_string (end, "node", ends[i]->node_name);
			json_string (end, "interface", ends[i]->interface);
			json_string (end, "site", site != NULL ? site->name : NULL);
			json_string (end, "site_display_name", site != NULL ? site->display_name : NULL);
			json_object_set_object_member (r->json, keys[i], end);
		}
	} else {
		json_object_set_null_member (r->json, "a_end");
		json_object_set_null_member (r->json, "z_end");
	}
	if (r->node != NULL) {
		g_autofree char *value = g_strdup_printf ("%s %s, %s (%s)", r->node->name,
			r->node->display_name != NULL ? r->node->display_name : "",
			r->node->site != NULL && r->node->site->display_name != NULL ? r->node->site->display_name : "-",
			r->node->site_name);
		JsonObject *node = json_named (r->node->name, r->node->display_name);

		line (r, "设备 Node", value);
		json_string (node, "site", r->node->site_name);
		json_object_set_object_member (r->json, "node", node);
	} else {
		json_object_set_null_member (r->json, "node");
	}
}

static void
render_units (Render *r)
{
	GString *value = g_string_new (NULL);
	JsonArray *units = json_array_new ();

	for (guint i = 0; r->t->units[i] != NULL; i++) {
		const XnAccessUnit *unit = xn_inventory_unit_by_name (r->inventory, r->t->units[i]);
		const char *display = unit != NULL ? unit->display_name : NULL;
		g_autofree char *one = named (r->t->units[i], display);

		g_string_append_printf (value, "%s%s", i > 0 ? "; " : "", one);
		json_array_add_object_element (units, json_named (r->t->units[i], display));
	}
	line (r, "受影响单位 Affected units", value->len > 0 ? value->str : "-");
	json_object_set_array_member (r->json, "units", units);
	g_string_free (value, TRUE);
}

static void
render_clocks (Render *r)
{
	const XnTicket *t = r->t;
	g_autofree char *response = duration (t->response_target_us);
	g_autofree char *restore_target = NULL, *class = NULL;
	gboolean complex = t->complex_at != XN_TICKET_NONE;
	gint64 target = complex && !t->complex_late ? t->complex_target_us : t->class_target_us;
	g_autofree char *rs = g_strdup_printf (" (%s)", response);
	g_autofree char *ts = NULL;

	time_line (r, "故障开始 Fault start", t->fault_start, NULL);
	time_line (r, "申告时间 Report time", t->report, NULL);
	restore_target = target >= 0 ? duration (target) : g_strdup ("-");
	class = g_strdup_printf ("%s %s, 修复时限 restore target %s%s", t->sla_class != NULL ? t->sla_class : "-",
				 class_zh (t->sla_class), restore_target,
				 complex ? ", 复杂故障 complex fault" : "");
	line (r, "SLA等级 SLA class", class);
	time_line (r, "响应时限 Response deadline", t->response_deadline, rs);
	ts = g_strdup_printf (" (%s)", restore_target);
	time_line (r, "修复时限 Restore deadline", t->restore_deadline, ts);
	json_instant (r, r->json, "fault_start", t->fault_start);
	json_instant (r, r->json, "report_time", t->report);
	json_instant (r, r->json, "response_deadline", t->response_deadline);
	json_instant (r, r->json, "restore_deadline", t->restore_deadline);
	json_string (r->json, "sla_class", t->sla_class);
	json_object_set_int_member (r->json, "response_target_s", t->response_target_us / XN_USEC_PER_SEC);
	if (target >= 0)
		json_object_set_int_member (r->json, "restore_target_s", target / XN_USEC_PER_SEC);
	else
		json_object_set_null_member (r->json, "restore_target_s");
	json_object_set_boolean_member (r->json, "complex", complex);
}

static void
render_breach (Render *r)
{
	const XnTicketEvent *e = r->event;
	g_autofree char *over = NULL, *value = NULL;
	JsonObject *breach;

	if (e->breach_id == NULL) {
		json_object_set_null_member (r->json, "breach");
		return;
	}
	over = duration (e->over_us);
	value = g_strdup_printf ("%s %s, 第%u级 level %u (%u %%), 超时单号 breach ticket %s",
				 event_zh[e->kind], e->kind == XN_TICKET_EVENT_RESPONSE_BREACH ? "response" : "restore",
				 e->level, e->level, e->percent, e->breach_id);
	line (r, "超时类别 Breach", value);
	line (r, "超时时长 Time over", over);
	breach = json_object_new ();
	json_object_set_string_member (breach, "id", e->breach_id);
	json_object_set_string_member (breach, "kind",
				       e->kind == XN_TICKET_EVENT_RESPONSE_BREACH ? "response" : "restore");
	json_object_set_int_member (breach, "level", e->level);
	json_object_set_int_member (breach, "percent", e->percent);
	json_instant (r, breach, "deadline", e->deadline);
	json_object_set_int_member (breach, "over_s", e->over_us / XN_USEC_PER_SEC);
	json_object_set_object_member (r->json, "breach", breach);
}

/* The maintenance window a ticket's clocks start from (an overrun), and
 * the window whose end the one message after held escalations is about. */
static void
render_maintenance (Render *r)
{
	const XnTicket *t = r->t;
	const XnTicketEvent *e = r->event;
	JsonObject *m;

	if (t->window != NULL) {
		g_autofree char *value = g_strdup_printf ("%s 窗口结束仍未恢复，时限自窗口结束起算 "
							  "still down at the window's end: clocks run from then",
							  t->window);

		line (r, "维护超时 Maintenance overrun", value);
	}
	json_string (r->json, "overran_window", t->window);
	if (e->kind != XN_TICKET_EVENT_MAINTENANCE_ENDED) {
		json_object_set_null_member (r->json, "maintenance");
		return;
	}
	{
		g_autofree char *end = local_time (r, e->instant);
		g_autofree char *value = g_strdup_printf ("%s, 结束 ended %s", e->window, end);
		g_autofree char *levels = g_strdup_printf ("响应 response %u, 修复 restore %u (窗口内未发送 not sent "
							   "inside the window)", t->response_breach.level,
							   t->restore_breach.level);

		line (r, "维护窗口 Maintenance window", value);
		line (r, "已达升级级别 Escalation levels reached", levels);
	}
	m = json_object_new ();
	json_string (m, "window", e->window);
	json_instant (r, m, "ended", e->instant);
	json_object_set_int_member (m, "response_level", t->response_breach.level);
	json_object_set_int_member (m, "restore_level", t->restore_breach.level);
	json_object_set_object_member (r->json, "maintenance", m);
}

static void
render_state (Render *r)
{
	const XnTicket *t = r->t;
	gboolean decided;

	if (t->acknowledged != XN_TICKET_NONE) {
		time_line (r, "运营商响应 Acknowledged", t->acknowledged, NULL);
		line (r, "运营商单号 Carrier reference", t->carrier_ref != NULL && t->carrier_ref[0] != '\0' ?
		      t->carrier_ref : "-");
	}
	json_instant (r, r->json, "acknowledged", t->acknowledged);
	json_string (r->json, "carrier_ref", t->carrier_ref);
	json_instant (r, r->json, "restored", t->restored);
	if (r->event->kind == XN_TICKET_EVENT_CLOSED) {
		gboolean response = xn_ticket_response_met (t, r->event->instant, &decided);
		gboolean restore = xn_ticket_restore_met (t, r->event->instant, &decided);
		g_autofree char *value = g_strdup_printf ("响应 response %s, 修复 restore %s",
			response ? "达标 met" : "超时 missed", restore ? "达标 met" : "超时 missed");

		time_line (r, "修复时间 Restored", t->restored, NULL);
		line (r, "考核结果 SLA result", value);
		json_object_set_boolean_member (r->json, "response_met", response);
		json_object_set_boolean_member (r->json, "restore_met", restore);
	}
	if (t->merged_into != NULL)
		line (r, "合并至 Merged into", t->merged_into);
	json_string (r->json, "merged_into", t->merged_into);
	if (r->event->kind == XN_TICKET_EVENT_WITHDRAWN || t->attribution_reason != NULL) {
		g_autofree char *value = g_strdup_printf ("%s %s: %s", attribution_zh (t->attribution),
			xn_ticket_attribution_to_string (t->attribution),
			t->attribution_reason != NULL ? t->attribution_reason : "-");

		line (r, "责任归属 Attribution", value);
	}
	json_string (r->json, "attribution", xn_ticket_attribution_to_string (t->attribution));
	json_string (r->json, "attribution_reason", t->attribution_reason);
	if (t->manual) {
		line (r, "申告人 Reporter", t->reporter != NULL ? t->reporter : "-");
		line (r, "故障描述 Description", t->description != NULL ? t->description : "-");
	}
	json_string (r->json, "reporter", t->reporter);
	json_string (r->json, "description", t->description);
}

static void
render_noc (Render *r)
{
	const XnTicketOptions *o = r->options;
	g_autofree char *value = g_strdup_printf ("%s, %s, %s", o->noc_name != NULL ? o->noc_name : "-",
						  o->noc_phone != NULL ? o->noc_phone : "-",
						  o->noc_email != NULL ? o->noc_email : "-");
	JsonObject *noc = json_object_new ();

	line (r, "网络运维中心 NOC contact", value);
	json_string (noc, "name", o->noc_name);
	json_string (noc, "phone", o->noc_phone);
	json_string (noc, "email", o->noc_email);
	json_object_set_object_member (r->json, "noc", noc);
	line (r, "时区 Time zone", r->tz_name);
	json_string (r->json, "timezone", r->tz_name);
}

XnTicketMessage *
xn_ticket_message_render (const XnTicketEvent *event, const XnInventory *inventory, const XnTicketOptions *options,
			  GTimeZone *tz, GError **error)
{
	Render r = { event, event->ticket, inventory, options, tz, g_time_zone_get_identifier (tz),
		     NULL, NULL, NULL, g_string_new (NULL), json_object_new () };
	g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
	XnTicketMessage *message;
	GString *json = g_string_new (NULL);
	g_autofree char *event_line = NULL;

	if (event->ticket == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "ticket message: event %s has no ticket", event->id);
		g_string_free (r.text, TRUE);
		g_string_free (json, TRUE);
		json_object_unref (r.json);
		return NULL;
	}
	resolve (&r);
	g_string_append (r.text, "政务外网网络故障工单 Extranet fault ticket (extranoc)\n\n");
	line (&r, "工单号 Ticket ID", event->ticket_id);
	event_line = g_strdup_printf ("%s %s", event_zh[event->kind], xn_ticket_event_kind_to_string (event->kind));
	line (&r, "事件 Event", event_line);
	line (&r, "事件编号 Event ID", event->id);
	time_line (&r, "事件时间 Event time", event->instant, NULL);
	json_object_set_string_member (r.json, "event_id", event->id);
	json_object_set_string_member (r.json, "ticket_id", event->ticket_id);
	json_object_set_string_member (r.json, "event", xn_ticket_event_kind_to_string (event->kind));
	json_instant (&r, r.json, "instant", event->instant);
	render_where (&r);
	render_units (&r);
	render_clocks (&r);
	render_breach (&r);
	render_maintenance (&r);
	render_state (&r);
	render_noc (&r);
	json_node_take_object (root, r.json);
	xn_json_append (json, root);
	message = g_new0 (XnTicketMessage, 1);
	message->subject = subject (&r);
	message->text = g_string_free (r.text, FALSE);
	message->json = g_string_free (json, FALSE);
	return message;
}

void
xn_ticket_message_free (XnTicketMessage *message)
{
	if (message == NULL)
		return;
	g_free (message->subject);
	g_free (message->text);
	g_free (message->json);
	g_free (message);
}

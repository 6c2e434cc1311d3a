/* maintenance-letter.c — the notice letter an affected access unit
 * receives about a maintenance window: when (local time with the weekday),
 * what is worked on, what the unit loses, why, and whom to call.
 *
 * One set of fields is rendered twice: as text ("中文 English: value" per
 * line, like ticket messages) and as an HTML page (a table of the same
 * lines). Every value from the inventory or an operator is made one line
 * and valid UTF-8 first (xn_ticket_message_one_line), then, for HTML,
 * escaped (& < > " '), so a hostile display name or reason can neither
 * start a line of its own nor become markup. Rendering is pure: the same
 * window, unit, inventory, policy and zone give the same bytes. Sending or
 * writing letters is the caller's (cli/cmd-maintenance.c). */
#include "maintenance-private.h"
#include "ticket-message.h"
#include "xn-error.h"

#include <string.h>

#define VALUE_MAX_CHARS   600
#define SUBJECT_MAX_CHARS 160

static const char *const weekday_zh[] = { "", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日" };

typedef struct {
	GString *text;
	GString *rows;
} Letter;

static void
field (Letter *l, const char *label, const char *value)
{
	g_autofree char *v = xn_ticket_message_one_line (value, VALUE_MAX_CHARS);
	g_autofree char *label_html = g_markup_escape_text (label, -1);
	g_autofree char *value_html = g_markup_escape_text (v, -1);

	g_string_append_printf (l->text, "%s: %s\n", label, v);
	g_string_append_printf (l->rows, "<tr><th>%s</th><td>%s</td></tr>\n", label_html, value_html);
}

/* "2025-02-05 09:00 星期三 (2025-02-05T09:00:00+08:00)" */
static char *
local_time (XnInstant t, GTimeZone *tz)
{
	g_autoptr(GDateTime) dt = xn_time_to_datetime (t, tz);
	g_autofree char *iso = xn_time_format (t, tz);
	g_autofree char *day = g_date_time_format (dt, "%Y-%m-%d %H:%M");

	return g_strdup_printf ("%s %s (%s)", day, weekday_zh[g_date_time_get_day_of_week (dt)], iso);
}

/* "设备 node dong-core 东县核心路由器" or "链路 link L-x (电路编号 circuit DX-1)". */
static char *
object_text (const XnInventory *inventory, const char *object)
{
	if (g_str_has_prefix (object, "node/")) {
		const XnNode *node = xn_inventory_node_by_name (inventory, object + 5);

		return g_strdup_printf ("设备 node %s%s%s", object + 5, node != NULL && node->display_name != NULL ? " " : "",
					node != NULL && node->display_name != NULL ? node->display_name : "");
	} else {
		const XnLink *link = xn_inventory_link_by_id (inventory, object + 5);

		if (link != NULL && link->circuit_id != NULL)
			return g_strdup_printf ("链路 link %s (电路编号 circuit %s)", object + 5, link->circuit_id);
		return g_strdup_printf ("链路 link %s", object + 5);
	}
}

static char *
scope_text (const XnMaintenanceWindow *w, const XnInventory *inventory)
{
	GString *s = g_string_new (NULL);

	for (guint i = 0; w->objects[i] != NULL; i++) {
		g_autofree char *one = object_text (inventory, w->objects[i]);

		g_string_append_printf (s, "%s%s", i > 0 ? "; " : "", one);
	}
	return g_string_free (s, FALSE);
}

/* What the unit loses, and through which in-scope objects. */
static char *
impact_text (const XnMaintenanceWindow *w, const XnAccessUnit *unit, const XnInventory *inventory,
	     const XnTopology *topology)
{
	GString *s = g_string_new (NULL);
	const XnLink *uplink = unit->uplink;
	guint n = 0;

	if (uplink != NULL && uplink->circuit_id != NULL)
		g_string_append_printf (s, "贵单位经接入链路 %s (电路编号 %s) 的政务外网业务全部中断 "
					"all extranet services over the uplink are cut off; ", uplink->id, uplink->circuit_id);
	else
		g_string_append_printf (s, "贵单位经接入链路 %s 的政务外网业务全部中断 "
					"all extranet services over the uplink are cut off; ", unit->uplink_id);
	g_string_append (s, "因 because of: ");
	for (guint i = 0; w->objects[i] != NULL; i++) {
		const XnTopoObject *o = xn_topology_lookup (topology, w->objects[i]);
		g_autofree char *one = NULL;

		if (o == NULL || o->units == NULL || !g_strv_contains ((const char *const *) o->units, unit->name))
			continue;
		one = object_text (inventory, w->objects[i]);
		g_string_append_printf (s, "%s%s", n++ > 0 ? "; " : "", one);
	}
	return g_string_free (s, FALSE);
}

static const char *
initiator_zh (XnInitiator initiator)
{
	return initiator == XN_INITIATOR_OPERATOR ? "运维单位" : initiator == XN_INITIATOR_UNIT ? "接入单位" : "运营商";
}

static char *
initiator_text (const XnMaintenanceWindow *w, const XnInventory *inventory)
{
	const char *display = NULL;

	if (w->initiator == XN_INITIATOR_UNIT) {
		const XnAccessUnit *u = xn_inventory_unit_by_name (inventory, w->initiator_name);

		display = u != NULL ? u->display_name : NULL;
	} else if (w->initiator == XN_INITIATOR_CARRIER) {
		const XnCarrier *c = xn_inventory_carrier_by_name (inventory, w->initiator_name);

		display = c != NULL ? c->display_name : NULL;
	}
	return g_strdup_printf ("%s %s %s%s%s", initiator_zh (w->initiator), xn_initiator_to_string (w->initiator),
				w->initiator_name, display != NULL ? " " : "", display != NULL ? display : "");
}

static char *
approval_text (const XnMaintenanceWindow *w)
{
	if (w->approved != XN_MAINTENANCE_NONE)
		return g_strdup_printf ("已批准 approved%s%s", w->reference != NULL && w->reference[0] != '\0' ? ", 批准文号 reference " : "",
					w->reference != NULL ? w->reference : "");
	if (w->rule.approval_required)
		return g_strdup ("待批准 awaiting approval");
	return g_strdup ("无需审批 not required");
}

static void
render_fields (Letter *l, const XnMaintenanceWindow *w, const XnAccessUnit *unit, const XnInventory *inventory,
	       const XnTopology *topology, const XnPolicy *policy, GTimeZone *tz)
{
	const char *noc_name, *noc_phone, *noc_email;
	g_autofree char *to = g_strdup_printf ("%s %s", unit->name, unit->display_name != NULL ? unit->display_name : "");
	g_autofree char *start = local_time (w->start, tz), *end = local_time (w->end, tz);
	g_autofree char *length = xn_maintenance_duration (w->end - w->start);
	g_autofree char *initiator = initiator_text (w, inventory);
	g_autofree char *scope = scope_text (w, inventory);
	g_autofree char *impact = impact_text (w, unit, inventory, topology);
	g_autofree char *approval = approval_text (w);
	g_autofree char *noc = NULL;

	xn_policy_noc_contact (policy, &noc_name, &noc_phone, &noc_email);
	noc = g_strdup_printf ("%s, %s, %s", noc_name != NULL ? noc_name : "-", noc_phone != NULL ? noc_phone : "-",
			       noc_email != NULL ? noc_email : "-");
	field (l, "致 To", to);
	field (l, "通知编号 Notice ID", w->id);
	field (l, "作业开始 Start", start);
	field (l, "作业结束 End", end);
	field (l, "作业时长 Duration", length);
	field (l, "发起方 Initiator", initiator);
	field (l, "作业范围 Scope", scope);
	field (l, "影响 Impact", impact);
	field (l, "作业原因 Reason", w->reason);
	field (l, "审批 Approval", approval);
	field (l, "联系方式 Contact", noc);
	field (l, "时区 Time zone", g_time_zone_get_identifier (tz));
}

XnMaintenanceLetter *
xn_maintenance_letter_render (const XnMaintenanceWindow *window, const XnAccessUnit *unit,
			      const XnInventory *inventory, const XnTopology *topology, const XnPolicy *policy,
			      GTimeZone *tz, GError **error)
{
	Letter l;
	XnMaintenanceLetter *letter;
	g_autofree char *raw = NULL, *subject_html = NULL, *when = NULL;

	if (window->problem != NULL || window->status == XN_MAINTENANCE_STATUS_WITHDRAWN) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: %s: no letter", window->id,
			     window->problem != NULL ? "the notice is invalid" : "the window was withdrawn");
		return NULL;
	}
	if (!g_strv_contains ((const char *const *) window->units, unit->name)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s: the window does not cut off access unit '%s'",
			     window->id, unit->name);
		return NULL;
	}
	l.text = g_string_new ("政务外网维护作业通知 Extranet maintenance notice (extranoc)\n\n");
	l.rows = g_string_new (NULL);
	render_fields (&l, window, unit, inventory, topology, policy, tz);
	when = local_time (window->start, tz);
	raw = g_strdup_printf ("[%s] 政务外网维护作业通知 Maintenance notice: %s", window->id, when);
	letter = g_new0 (XnMaintenanceLetter, 1);
	letter->subject = xn_ticket_message_one_line (raw, SUBJECT_MAX_CHARS);
	subject_html = g_markup_escape_text (letter->subject, -1);
	letter->text = g_string_free (l.text, FALSE);
	letter->html = g_strdup_printf ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
					"<title>%s</title>\n</head>\n<body>\n"
					"<h1>政务外网维护作业通知 Extranet maintenance notice</h1>\n"
					"<table>\n%s</table>\n</body>\n</html>\n", subject_html, l.rows->str);
	g_string_free (l.rows, TRUE);
	return letter;
}

void
xn_maintenance_letter_free (XnMaintenanceLetter *letter)
{
	if (letter == NULL)
		return;
	g_free (letter->subject);
	g_free (letter->text);
	g_free (letter->html);
	g_free (letter);
}

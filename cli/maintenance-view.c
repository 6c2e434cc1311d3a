/* maintenance-view.c — maintenance windows for people and for scripts.
 *
 * Everything printed comes from the window the notice book derived
 * (sla/maintenance.h): this file decides layout only, never a rule. The
 * text forms are for the NOC's terminal, in the policy's time zone; the
 * JSON form (sorted keys, json-out.h) gives instants in UTC, as the
 * journal has them, so that scripts and tests compare it byte for byte.
 * Values typed by operators are printed as they are: a terminal is not a
 * letter, and `show` must show exactly what was recorded. */
#include "maintenance-view.h"
#include "outage-view.h"

#include <string.h>

const char *
xn_cli_maintenance_phase (const XnMaintenanceWindow *w, XnInstant now)
{
	if (w->problem != NULL)
		return "-";
	return now < w->start ? "upcoming" : now < w->end ? "in progress" : "over";
}

char *
xn_cli_maintenance_verdict (const XnMaintenanceWindow *w)
{
	g_autofree char *reasons = NULL;

	if (w->compliant)
		return g_strdup ("compliant");
	reasons = g_strjoinv ("; ", w->reasons);
	return g_strdup_printf ("not compliant: %s", reasons);
}

static XnJsonOut *
instant_or_null (XnInstant t)
{
	return t == XN_MAINTENANCE_NONE ? xn_json_out_null () : xn_json_out_instant (t);
}

static XnJsonOut *
facts_json (const XnMaintenanceWindow *w)
{
	XnJsonOut *facts = xn_json_out_array ();

	for (guint i = 0; i < w->facts->len; i++) {
		const XnMaintenanceFactNote *n = w->facts->pdata[i];
		XnJsonOut *f = xn_json_out_object ();
		g_autoptr(JsonNode) attrs = json_node_new (JSON_NODE_OBJECT);

		json_node_set_object (attrs, xn_fact_get_attrs (n->fact));
		xn_json_out_set (f, "seq", xn_json_out_int (n->fact->seq));
		xn_json_out_set (f, "ts", xn_json_out_instant (n->fact->ts));
		xn_json_out_set (f, "kind", xn_json_out_string (n->fact->kind));
		xn_json_out_set (f, "subject", xn_json_out_string (n->fact->subject));
		xn_json_out_set (f, "source", xn_json_out_string (n->fact->source));
		xn_json_out_set (f, "attrs", xn_json_out_from_node (attrs));
		xn_json_out_set (f, "note", xn_json_out_string (n->note));
		xn_json_out_add (facts, f);
	}
	return facts;
}

static XnJsonOut *
rule_json (const XnMaintenanceWindow *w)
{
	XnJsonOut *rule = xn_json_out_object ();

	if (w->problem != NULL)
		return xn_json_out_null ();
	xn_json_out_set (rule, "approval_required", xn_json_out_bool (w->rule.approval_required));
	if (w->rule.kind == XN_LEAD_DURATION) {
		xn_json_out_set (rule, "lead_time_s", xn_json_out_int (w->rule.lead_time / XN_USEC_PER_SEC));
	} else {
		xn_json_out_set (rule, "working_days", xn_json_out_int (w->rule.working_days));
		xn_json_out_set (rule, "lead_working_days", xn_json_out_int (w->lead_days));
	}
	return rule;
}

XnJsonOut *
xn_cli_maintenance_json (const XnMaintenanceWindow *w, GTimeZone *tz, XnInstant now, gboolean full)
{
	XnJsonOut *doc = xn_json_out_object ();
	XnJsonOut *initiator = xn_json_out_object ();
	XnJsonOut *scope = xn_json_out_object ();

	xn_json_out_set (doc, "id", xn_json_out_string (w->id));
	xn_json_out_set (initiator, "kind", xn_json_out_string (xn_initiator_to_string (w->initiator)));
	xn_json_out_set (initiator, "name", xn_json_out_string (w->initiator_name));
	xn_json_out_set (doc, "initiator", initiator);
	xn_json_out_set (scope, "nodes", xn_json_out_strv ((const char *const *) w->nodes));
	xn_json_out_set (scope, "links", xn_json_out_strv ((const char *const *) w->links));
	xn_json_out_set (doc, "scope", scope);
	xn_json_out_set (doc, "start", w->problem != NULL ? xn_json_out_null () : xn_json_out_instant (w->start));
	xn_json_out_set (doc, "end", w->problem != NULL ? xn_json_out_null () : xn_json_out_instant (w->end));
	xn_json_out_set (doc, "reason", xn_json_out_string (w->reason));
	xn_json_out_set (doc, "filed", xn_json_out_instant (w->filed));
	xn_json_out_set (doc, "problem", xn_json_out_string (w->problem));
	xn_json_out_set (doc, "status", xn_json_out_string (xn_maintenance_status_to_string (w->status)));
	xn_json_out_set (doc, "phase", xn_json_out_string (xn_cli_maintenance_phase (w, now)));
	xn_json_out_set (doc, "approved", instant_or_null (w->approved));
	xn_json_out_set (doc, "approved_by", xn_json_out_string (w->approved_by));
	xn_json_out_set (doc, "reference", xn_json_out_string (w->reference));
	xn_json_out_set (doc, "withdrawn", instant_or_null (w->withdrawn));
	xn_json_out_set (doc, "withdrawn_by", xn_json_out_string (w->withdrawn_by));
	xn_json_out_set (doc, "withdrawn_why", xn_json_out_string (w->withdrawn_why));
	xn_json_out_set (doc, "rule", rule_json (w));
	xn_json_out_set (doc, "deadline", instant_or_null (w->deadline));
	xn_json_out_set (doc, "on_time", xn_json_out_bool (w->on_time));
	xn_json_out_set (doc, "compliant", xn_json_out_bool (w->compliant));
	xn_json_out_set (doc, "reasons", xn_json_out_strv ((const char *const *) w->reasons));
	xn_json_out_set (doc, "units", xn_json_out_strv ((const char *const *) w->units));
	if (full) {
		g_auto(GStrv) lines = xn_maintenance_window_explain (w, tz);

		xn_json_out_set (doc, "explanation", xn_json_out_strv ((const char *const *) lines));
		xn_json_out_set (doc, "facts", facts_json (w));
	}
	return doc;
}

static char *
local (XnInstant t, GTimeZone *tz)
{
	return t == XN_MAINTENANCE_NONE ? g_strdup ("-") : xn_time_format (t, tz);
}

void
xn_cli_print_maintenance_list (FILE *out, const GPtrArray *windows, GTimeZone *tz, XnInstant now)
{
	const char *titles[] = { "ID", "INITIATOR", "START", "END", "PHASE", "STATUS", "NOTICE", "UNITS" };
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

	for (guint i = 0; i < windows->len; i++) {
		const XnMaintenanceWindow *w = windows->pdata[i];
		char **row = g_new0 (char *, G_N_ELEMENTS (titles) + 1);

		row[0] = g_strdup (w->id);
		row[1] = g_strdup_printf ("%s %s", xn_initiator_to_string (w->initiator), w->initiator_name);
		row[2] = w->problem != NULL ? g_strdup ("-") : local (w->start, tz);
		row[3] = w->problem != NULL ? g_strdup ("-") : local (w->end, tz);
		row[4] = g_strdup (xn_cli_maintenance_phase (w, now));
		row[5] = g_strdup (xn_maintenance_status_to_string (w->status));
		row[6] = xn_cli_maintenance_verdict (w);
		row[7] = g_strdup_printf ("%u", g_strv_length (w->units));
		g_ptr_array_add (rows, row);
	}
	xn_cli_print_table (out, titles, G_N_ELEMENTS (titles), rows);
}

static void
print_facts (FILE *out, const XnMaintenanceWindow *w, GTimeZone *tz)
{
	fprintf (out, "facts:\n");
	for (guint i = 0; i < w->facts->len; i++) {
		const XnMaintenanceFactNote *n = w->facts->pdata[i];
		g_autofree char *ts = xn_time_format (n->fact->ts, tz);
		g_autofree char *attrs = xn_fact_attrs_to_json (xn_fact_get_attrs (n->fact));

		fprintf (out, "  %" G_GINT64_FORMAT " %s %s %s by %s %s\n", n->fact->seq, ts, n->fact->kind,
			 n->fact->subject, n->fact->source, attrs);
		if (n->note != NULL)
			fprintf (out, "    %s\n", n->note);
	}
}

void
xn_cli_print_maintenance (FILE *out, const XnMaintenanceWindow *w, GTimeZone *tz, XnInstant now)
{
	g_autofree char *verdict = xn_cli_maintenance_verdict (w);
	g_autofree char *nodes = g_strjoinv (", ", w->nodes), *links = g_strjoinv (", ", w->links);
	g_autofree char *units = g_strjoinv (", ", w->units);
	g_autofree char *start = local (w->start, tz), *end = local (w->end, tz);
	g_autofree char *filed = local (w->filed, tz);
	g_auto(GStrv) lines = xn_maintenance_window_explain (w, tz);

	fprintf (out, "%s: %s, %s\n", w->id, xn_maintenance_status_to_string (w->status), verdict);
	fprintf (out, "initiator: %s %s\n", xn_initiator_to_string (w->initiator), w->initiator_name);
	if (w->problem == NULL)
		fprintf (out, "window: %s to %s (%s)\n", start, end, xn_cli_maintenance_phase (w, now));
	fprintf (out, "scope: nodes %s; links %s\n", *nodes != '\0' ? nodes : "-", *links != '\0' ? links : "-");
	fprintf (out, "reason: %s\n", w->reason);
	fprintf (out, "filed: %s by %s\n", filed, w->filed_source);
	if (w->approved != XN_MAINTENANCE_NONE) {
		g_autofree char *approved = local (w->approved, tz);

		fprintf (out, "approved: %s by %s, reference %s\n", approved, w->approved_by,
			 *w->reference != '\0' ? w->reference : "-");
	}
	if (w->withdrawn != XN_MAINTENANCE_NONE) {
		g_autofree char *withdrawn = local (w->withdrawn, tz);

		fprintf (out, "withdrawn: %s by %s: %s\n", withdrawn, w->withdrawn_by, w->withdrawn_why);
	}
	fprintf (out, "affected units: %s\n", *units != '\0' ? units : "-");
	fprintf (out, "notice:\n");
	for (guint i = 0; lines[i] != NULL; i++)
		fprintf (out, "  %s\n", lines[i]);
	print_facts (out, w, tz);
}

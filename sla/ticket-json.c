/* ticket-json.c — a ticket and an event as `extranoc ticket show` prints
 * them: every instant, and the arithmetic behind every deadline.
 *
 * Instants are in the journal's UTC form ("2025-03-10T02:00:00.000000Z")
 * and, when the caller gives a time zone, also as local time with offset
 * under the same key plus "_local". Each deadline says where its parts
 * come from — the report time and the fact it is taken from, the target
 * and the policy leaf, the SLA class and which site gave it — and shows
 * the addition, then whether it was met and by how much. This is a view:
 * the exact state the snapshot stores is ticket-state.c's. */
#include "ticket-private.h"

#include <string.h>

static void
set_instant (JsonObject *o, const char *key, XnInstant t, GTimeZone *tz)
{
	g_autofree char *local_key = g_strconcat (key, "_local", NULL);
	g_autofree char *utc = NULL;

	if (t == XN_TICKET_NONE || t == XN_OUTAGE_OPEN) {
		json_object_set_null_member (o, key);
		if (tz != NULL)
			json_object_set_null_member (o, local_key);
		return;
	}
	utc = xn_time_format_utc (t);
	json_object_set_string_member (o, key, utc);
	if (tz != NULL) {
		g_autofree char *local = xn_time_format (t, tz);

		json_object_set_string_member (o, local_key, local);
	}
}

static void
set_string (JsonObject *o, const char *key, const char *value)
{
	if (value == NULL)
		json_object_set_null_member (o, key);
	else
		json_object_set_string_member (o, key, value);
}

/* "3600 s", "0.5 s": durations as the arithmetic shows them. */
static char *
seconds (gint64 us)
{
	if (us % XN_USEC_PER_SEC == 0)
		return g_strdup_printf ("%" G_GINT64_FORMAT " s", us / XN_USEC_PER_SEC);
	return g_strdup_printf ("%.6f s", (double) us / XN_USEC_PER_SEC);
}

static void
set_seconds (JsonObject *o, const char *key, gint64 us)
{
	if (us % XN_USEC_PER_SEC == 0)
		json_object_set_int_member (o, key, us / XN_USEC_PER_SEC);
	else
		json_object_set_double_member (o, key, (double) us / XN_USEC_PER_SEC);
}

static char *
sum (XnInstant from, gint64 us, const char *factor)
{
	g_autofree char *a = xn_time_format_utc (from);
	g_autofree char *b = seconds (us);
	g_autofree char *c = NULL;

	if (factor == NULL) {
		c = xn_time_format_utc (from + us);
		return g_strdup_printf ("%s + %s = %s", a, b, c);
	}
	return g_strdup_printf ("%s + %s × %s", a, b, factor);
}

static JsonArray *
strv_array (const char *const *strv)
{
	JsonArray *array = json_array_new ();

	for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
		json_array_add_string_element (array, strv[i]);
	return array;
}

static char *
report_explanation (const XnTicket *t)
{
	const char *rule = t->report_rule != NULL ? t->report_rule : "";

	if (strcmp (rule, "recorded") == 0)
		return g_strdup_printf ("when fact %" G_GINT64_FORMAT ", which opened outage %s, was recorded",
					t->report_seq, t->root_outage);
	if (strcmp (rule, "outage-start") == 0)
		return g_strdup_printf ("the start of outage %s (the fact that opened it was recorded before it, "
					"or is no longer known)", t->root_outage);
	if (strcmp (rule, "segment-start") == 0)
		return g_strdup_printf ("when outage %s became its own root (the incident above it ended)",
					t->root_outage);
	if (strcmp (rule, "call") == 0)
		return g_strdup_printf ("the unit's call, fact %" G_GINT64_FORMAT " (fault.reported)", t->report_seq);
	if (strcmp (rule, "window-end") == 0)
		return g_strdup_printf ("the end of maintenance window %s: outage %s began inside it and was still on "
					"when it ended (doc/maintenance.md)", t->window, t->root_outage);
	if (strcmp (rule, "attributed") == 0)
		return g_strdup_printf ("handed to carrier %s by fact %" G_GINT64_FORMAT " (fault.attributed)",
					t->carrier, t->report_seq);
	return g_strdup (rule);
}

/* "met by 1200 s", "missed by 300 s", "missed, 300 s over so far", "open";
 * once the carrier's clocks stopped (`stopped`) with the deadline not met
 * by then: "missed, 300 s over when the clocks stopped" or "no carrier
 * SLA" (doc/sla.md, Attribution). */
static void
set_result (JsonObject *o, XnInstant deadline, XnInstant done, XnInstant stopped, gboolean decided, gboolean met,
	    XnInstant now)
{
	g_autofree char *text = NULL;

	if (deadline == XN_TICKET_NONE) {
		json_object_set_null_member (o, "met");
		json_object_set_string_member (o, "result", "no target");
		return;
	}
	if (stopped != XN_TICKET_NONE && (done == XN_TICKET_NONE || done > stopped)) {
		if (stopped <= deadline) {
			json_object_set_null_member (o, "met");
			json_object_set_string_member (o, "result",
						       "no carrier SLA: the clocks stopped before the deadline");
			return;
		}
		g_autofree char *by = seconds (stopped - deadline);

		json_object_set_boolean_member (o, "met", FALSE);
		set_seconds (o, "margin_s", deadline - stopped);
		text = g_strdup_printf ("missed, %s over when the clocks stopped", by);
		json_object_set_string_member (o, "result", text);
		return;
	}
	if (decided)
		json_object_set_boolean_member (o, "met", met);
	else
		json_object_set_null_member (o, "met");
	if (done != XN_TICKET_NONE) {
		g_autofree char *by = seconds (ABS (deadline - done));

		text = g_strdup_printf ("%s by %s%s", done <= deadline ? "met" : "missed", by,
					decided ? "" : " (may still change)");
		set_seconds (o, "margin_s", deadline - done);
	} else if (now > deadline) {
		g_autofree char *by = seconds (now - deadline);

		text = g_strdup_printf ("missed, %s over so far", by);
		set_seconds (o, "margin_s", deadline - now);
	} else {
		text = g_strdup ("open");
	}
	json_object_set_string_member (o, "result", text);
}

static JsonObject *
class_json (const XnTicket *t)
{
	JsonObject *o = json_object_new ();
	g_autofree char *why = NULL;
	g_autofree char *leaf = g_strdup_printf ("policy/fault-repair/restore-target/%s",
						 t->sla_class != NULL ? t->sla_class : "?");

	set_string (o, "class", t->sla_class);
	set_string (o, "site", t->sla_class_site);
	set_string (o, "ticket_site", t->site);
	set_string (o, "ticket_site_rule", t->site_rule);
	if (t->class_target_us >= 0)
		set_seconds (o, "target_s", t->class_target_us);
	else
		json_object_set_null_member (o, "target_s");
	json_object_set_string_member (o, "policy", leaf);
	why = g_strdup_printf ("the shortest restore target among the ticket's site %s (%s) and the sites "
			       "of the %u affected units: %s at site %s",
			       t->site != NULL ? t->site : "(none)", t->site_rule != NULL ? t->site_rule : "-",
			       g_strv_length (t->units), t->sla_class != NULL ? t->sla_class : "(none)",
			       t->sla_class_site != NULL ? t->sla_class_site : "(none)");
	json_object_set_string_member (o, "why", why);
	return o;
}

static JsonObject *
response_json (const XnTicket *t, XnInstant now, GTimeZone *tz)
{
	JsonObject *o = json_object_new ();
	g_autofree char *arithmetic = sum (t->report, t->response_target_us, NULL);
	gboolean decided;
	gboolean met = xn_ticket_response_met (t, now, &decided);

	set_seconds (o, "target_s", t->response_target_us);
	json_object_set_string_member (o, "policy", "policy/fault-repair/response-target");
	set_instant (o, "deadline", t->response_deadline, tz);
	json_object_set_string_member (o, "arithmetic", arithmetic);
	set_instant (o, "acknowledged", t->acknowledged, tz);
	set_string (o, "carrier_ref", t->carrier_ref);
	set_string (o, "contact", t->ack_contact);
	set_string (o, "by", t->ack_by);
	set_result (o, t->response_deadline, t->acknowledged, t->clocks_stopped, decided, met, now);
	return o;
}

static JsonObject *
restore_json (const XnTicket *t, XnInstant now, GTimeZone *tz)
{
	JsonObject *o = json_object_new ();
	gboolean in_time = t->complex_at != XN_TICKET_NONE && !t->complex_late;
	gint64 target = in_time ? t->complex_target_us : t->class_target_us;
	gboolean decided;
	gboolean met = xn_ticket_restore_met (t, now, &decided);

	if (target >= 0) {
		g_autofree char *arithmetic = sum (t->report, target, NULL);
		g_autofree char *leaf = in_time ? g_strdup ("policy/fault-repair/restore-target/complex")
			: g_strdup_printf ("policy/fault-repair/restore-target/%s", t->sla_class);

		set_seconds (o, "target_s", target);
		json_object_set_string_member (o, "policy", leaf);
		json_object_set_string_member (o, "arithmetic", arithmetic);
	}
	set_instant (o, "deadline", t->restore_deadline, tz);
	if (t->complex_at != XN_TICKET_NONE) {
		JsonObject *c = json_object_new ();

		set_instant (c, "at", t->complex_at, tz);
		set_string (c, "reason", t->complex_reason);
		json_object_set_boolean_member (c, "late", t->complex_late);
		set_seconds (c, "target_s", t->complex_target_us);
		json_object_set_string_member (c, "rule", t->complex_late ?
			"declared after the restore deadline: the breach raised stands, later escalations use the complex target"
			: "declared before the restore deadline: the deadline is report + the complex target");
		json_object_set_object_member (o, "complex", c);
	} else {
		json_object_set_null_member (o, "complex");
	}
	set_instant (o, "restored", t->restored, tz);
	json_object_set_boolean_member (o, "confirmed", t->restore_confirmed);
	set_string (o, "note", t->restore_note);
	set_result (o, t->restore_deadline, t->restored, t->clocks_stopped, decided, met, now);
	return o;
}

/* The window that held escalation `level`'s message, or NULL: it was sent. */
static const char *
held_by (const XnTicket *t, gboolean response, guint level)
{
	XnTicketEventKind kind = response ? XN_TICKET_EVENT_RESPONSE_BREACH : XN_TICKET_EVENT_RESTORE_BREACH;

	for (guint i = 0; i < t->events->len; i++) {
		const XnTicketEventRecord *r = g_ptr_array_index (t->events, i);

		if (r->kind == kind && r->level == level)
			return r->held;
	}
	return NULL;
}

static JsonArray *
points_json (const XnTicket *t, gboolean response, GTimeZone *tz)
{
	JsonArray *array = json_array_new ();
	const XnTicketBreach *b = response ? &t->response_breach : &t->restore_breach;
	gint64 target = response ? t->response_target_us : t->escalation_target_us;

	for (guint i = 0; target >= 0 && t->report != XN_TICKET_NONE && i < t->escalation->len; i++) {
		JsonObject *p = json_object_new ();
		guint percent = g_array_index (t->escalation, guint, i);
		g_autofree char *factor = g_strdup_printf ("%u %%", percent);
		gint64 level_target = target;
		g_autofree char *arithmetic = NULL;
		XnInstant due;

		/* Complex declared late: a level that fell due before the
		 * declaration fell due on the class's target (doc/sla.md, Clocks). */
		if (!response && t->complex_late && t->class_target_us >= 0 &&
		    t->report + t->class_target_us * percent / 100 <= t->complex_at)
			level_target = t->class_target_us;
		arithmetic = sum (t->report, level_target, factor);
		due = t->report + level_target * percent / 100;

		json_object_set_int_member (p, "level", i + 1);
		json_object_set_int_member (p, "percent", percent);
		set_instant (p, "due", due, tz);
		json_object_set_string_member (p, "arithmetic", arithmetic);
		set_instant (p, "raised", i < b->level ? b->raised[i] : XN_TICKET_NONE, tz);
		set_string (p, "held", i < b->level ? held_by (t, response, i + 1) : NULL);
		json_array_add_object_element (array, p);
	}
	return array;
}

static void
set_breach (JsonObject *o, const char *key, const XnTicket *t, gboolean response)
{
	const XnTicketBreach *b = response ? &t->response_breach : &t->restore_breach;
	g_autofree char *id = xn_ticket_breach_id (t, response);
	JsonObject *breach;

	if (b->level == 0) {
		json_object_set_null_member (o, key);
		return;
	}
	breach = json_object_new ();
	json_object_set_string_member (breach, "id", id);
	json_object_set_int_member (breach, "level", b->level);
	json_object_set_object_member (o, key, breach);
}

static JsonArray *
outages_json (const XnTicket *t, GTimeZone *tz)
{
	JsonArray *array = json_array_new ();

	for (guint i = 0; i < t->outages->len; i++) {
		const XnTicketOutage *a = g_ptr_array_index (t->outages, i);
		JsonObject *o = json_object_new ();

		json_object_set_string_member (o, "id", a->id);
		json_object_set_string_member (o, "object", a->object);
		json_object_set_string_member (o, "link", xn_ticket_link_to_string (a->link));
		set_instant (o, "start", a->start, tz);
		set_instant (o, "end", a->end, tz);
		if (a->hold_end == XN_OUTAGE_OPEN)
			json_object_set_string_member (o, "holds_until", "open");
		else
			set_instant (o, "holds_until", a->hold_end, tz);
		json_array_add_object_element (array, o);
	}
	return array;
}

static JsonArray *
events_json (const XnTicket *t, GTimeZone *tz)
{
	JsonArray *array = json_array_new ();

	for (guint i = 0; i < t->events->len; i++) {
		const XnTicketEventRecord *r = g_ptr_array_index (t->events, i);
		JsonObject *o = json_object_new ();

		json_object_set_string_member (o, "id", r->id);
		json_object_set_string_member (o, "kind", xn_ticket_event_kind_to_string (r->kind));
		set_instant (o, "instant", r->instant, tz);
		set_string (o, "carrier", r->carrier);
		set_string (o, "held", r->held);
		json_array_add_object_element (array, o);
	}
	return array;
}

JsonObject *
xn_ticket_to_json (const XnTicket *t, XnInstant now, GTimeZone *tz)
{
	JsonObject *o = json_object_new ();
	JsonObject *attribution = json_object_new (), *report = json_object_new ();
	JsonObject *escalation = json_object_new (), *breaches = json_object_new (), *maintenance;
	g_autofree char *explanation = report_explanation (t);
	JsonArray *percents = json_array_new ();

	json_object_set_string_member (o, "id", t->id);
	json_object_set_string_member (o, "status", xn_ticket_status_to_string (t->status));
	json_object_set_boolean_member (o, "manual", t->manual);
	json_object_set_string_member (attribution, "to", xn_ticket_attribution_to_string (t->attribution));
	set_string (attribution, "carrier", t->carrier);
	set_string (attribution, "reason", t->attribution_reason);
	set_string (attribution, "by", t->attribution_by);
	set_instant (attribution, "at", t->attributed_at, tz);
	json_object_set_object_member (o, "attribution", attribution);
	set_string (o, "object", t->object);
	set_string (o, "root_outage", t->root_outage);
	set_string (o, "unit", t->unit);
	set_string (o, "link", t->link_id);
	set_string (o, "reporter", t->reporter);
	set_string (o, "report_by", t->report_by);
	set_string (o, "description", t->description);
	set_string (o, "source", t->source);
	set_instant (o, "fault_start", t->fault_start, tz);
	set_instant (o, "opened", t->opened, tz);
	set_instant (report, "at", t->report, tz);
	set_string (report, "rule", t->report_rule);
	if (t->report_seq > 0)
		json_object_set_int_member (report, "fact_seq", t->report_seq);
	else
		json_object_set_null_member (report, "fact_seq");
	json_object_set_string_member (report, "explanation", explanation);
	set_string (report, "window", t->window);
	json_object_set_object_member (o, "report", report);
	json_object_set_object_member (o, "sla_class", class_json (t));
	json_object_set_object_member (o, "response", response_json (t, now, tz));
	json_object_set_object_member (o, "restore", restore_json (t, now, tz));
	for (guint i = 0; i < t->escalation->len; i++)
		json_array_add_int_element (percents, g_array_index (t->escalation, guint, i));
	json_object_set_array_member (escalation, "percents", percents);
	json_object_set_array_member (escalation, "response", points_json (t, TRUE, tz));
	json_object_set_array_member (escalation, "restore", points_json (t, FALSE, tz));
	json_object_set_object_member (o, "escalation", escalation);
	set_breach (breaches, "response", t, TRUE);
	set_breach (breaches, "restore", t, FALSE);
	json_object_set_object_member (o, "breaches", breaches);
	set_instant (o, "clocks_stopped", t->clocks_stopped, tz);
	set_seconds (o, "grace_s", t->grace_us);
	set_instant (o, "closes", t->restored != XN_TICKET_NONE && t->status != XN_TICKET_MERGED ?
		     t->restored + t->grace_us : XN_TICKET_NONE, tz);
	set_instant (o, "closed", t->closed, tz);
	json_object_set_int_member (o, "reopens", t->reopens);
	json_object_set_array_member (o, "units", strv_array ((const char *const *) t->units));
	json_object_set_array_member (o, "merged", strv_array ((const char *const *) t->merged));
	set_string (o, "merged_into", t->merged_into);
	maintenance = json_object_new ();
	set_string (maintenance, "held_by", t->held_window);
	set_instant (maintenance, "held_until", t->held_until, tz);
	json_object_set_object_member (o, "maintenance", maintenance);
	json_object_set_array_member (o, "maintenance_flagged", strv_array ((const char *const *) t->flagged));
	json_object_set_array_member (o, "outages", outages_json (t, tz));
	json_object_set_array_member (o, "events", events_json (t, tz));
	return o;
}

JsonObject *
xn_ticket_event_to_json (const XnTicketEvent *event, GTimeZone *tz)
{
	JsonObject *o = json_object_new ();

	json_object_set_string_member (o, "id", event->id);
	json_object_set_string_member (o, "ticket", event->ticket_id);
	json_object_set_string_member (o, "kind", xn_ticket_event_kind_to_string (event->kind));
	set_instant (o, "instant", event->instant, tz);
	json_object_set_int_member (o, "level", event->level);
	json_object_set_int_member (o, "percent", event->percent);
	set_string (o, "carrier", event->carrier);
	set_string (o, "breach", event->breach_id);
	set_string (o, "window", event->window);
	set_instant (o, "deadline", event->deadline, tz);
	if (event->deadline != XN_TICKET_NONE)
		set_seconds (o, "over_s", event->over_us);
	else
		json_object_set_null_member (o, "over_s");
	if (event->ticket != NULL)
		json_object_set_object_member (o, "ticket_state", xn_ticket_to_json (event->ticket, event->instant, tz));
	else
		json_object_set_null_member (o, "ticket_state");
	return o;
}

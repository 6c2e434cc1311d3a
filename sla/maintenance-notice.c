/* maintenance-notice.c — was a maintenance notice on time, was it
 * approved in time, and how to say so.
 *
 * The rule is the policy's for the window's initiator (policy.h): either
 * N working days — filed no later than 24:00 local of the N-th working day
 * before the local day the work starts (regulations.md; the deadline
 * itself is xn_calendar_notice_deadline(), the one implementation of that
 * rule) — or a lead time, 24×7. To explain the deadline this file walks
 * the days back from the start itself, keeping each day with the name the
 * State Council schedule gives it (春节, 春节调休), and counts the working
 * days between the filing and the start to say by how many a notice was
 * late. Approval, when the rule asks for it, must come at or before the
 * start. This file judges; it does not decide what a judgement changes
 * (maintenance.c, and the outage and ticket derivations). */
#include "maintenance-private.h"
#include "xn-error.h"

/* The days a walk may take before it is given up: 60 working days (the
 * YANG maximum) never need more than this, whatever the holidays. */
#define MAX_WALK 400

char *
xn_maintenance_duration (gint64 usec)
{
	GString *s = g_string_new (NULL);
	gint64 secs = ABS (usec) / XN_USEC_PER_SEC;
	gint64 parts[] = { secs / 86400, secs % 86400 / 3600, secs % 3600 / 60, secs % 60 };
	const char *units[] = { "d", "h", "min", "s" };

	if (usec < 0)
		g_string_append_c (s, '-');
	for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
		if (parts[i] != 0)
			g_string_append_printf (s, "%s%" G_GINT64_FORMAT " %s", s->len > (usec < 0) ? " " : "", parts[i],
						units[i]);
	if (secs == 0)
		g_string_append (s, "0 s");
	return g_string_free (s, FALSE);
}

static void
local_date (XnInstant t, GTimeZone *tz, GDate *date)
{
	g_autoptr(GDateTime) dt = xn_time_to_datetime (t, tz);

	g_date_clear (date, 1);
	g_date_set_dmy (date, (GDateDay) g_date_time_get_day_of_month (dt), (GDateMonth) g_date_time_get_month (dt),
			(GDateYear) g_date_time_get_year (dt));
}

/* Walks back from the day before the start's local day until N working
 * days are counted, keeping every day. FALSE (with the error) when the
 * calendar cannot decide a day. */
static gboolean
walk_days (const XnMaintenanceBook *book, XnMaintenanceWindow *w, GError **error)
{
	GDate day;
	guint counted = 0;

	local_date (w->start, book->tz, &day);
	for (guint i = 0; counted < w->rule.working_days && i < MAX_WALK; i++) {
		XnMaintenanceDay d = { 0 };

		if (g_date_get_julian (&day) <= 1) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "the start lies before any calendar");
			return FALSE;
		}
		g_date_subtract_days (&day, 1);
		d.date = day;
		if (!xn_calendar_is_working_day (book->calendar, &day, &d.working, &d.name, error))
			return FALSE;
		if (d.working)
			d.counted = ++counted;
		g_array_append_val (w->days, d);
	}
	return TRUE;
}

/* Working days from the filing's local day to the start, counted among
 * the days walked (so at most N). A notice filed at 00:00:00 exactly is
 * filed at 24:00 of the day before. */
static guint
lead_days (const XnMaintenanceBook *book, const XnMaintenanceWindow *w)
{
	GDate filed;
	guint n = 0;

	local_date (w->filed - 1, book->tz, &filed);
	for (guint i = 0; i < w->days->len; i++) {
		const XnMaintenanceDay *d = &g_array_index (w->days, XnMaintenanceDay, i);

		if (d->working && g_date_compare (&d->date, &filed) >= 0)
			n++;
	}
	return n;
}

void
xn_maintenance_assess_notice (const XnMaintenanceBook *book, XnMaintenanceWindow *w)
{
	g_autoptr(GError) error = NULL;

	w->rule = *xn_policy_notice_rule (book->policy, w->initiator);
	w->days = g_array_new (FALSE, TRUE, sizeof (XnMaintenanceDay));
	if (w->rule.kind == XN_LEAD_DURATION) {
		w->deadline = w->start - w->rule.lead_time;
	} else if (!walk_days (book, w, &error) ||
		   !xn_calendar_notice_deadline (book->calendar, w->start, w->rule.working_days, book->tz, &w->deadline,
						 &error)) {
		w->deadline = XN_MAINTENANCE_NONE;
		w->deadline_problem = g_strdup (error->message);
		return;
	} else {
		w->lead_days = lead_days (book, w);
	}
	w->on_time = w->filed <= w->deadline;
}

void
xn_maintenance_judge (XnMaintenanceWindow *w)
{
	g_autoptr(GStrvBuilder) reasons = g_strv_builder_new ();

	g_strfreev (w->reasons);
	if (w->problem != NULL) {
		xn_maintenance_strv_take (reasons, g_strdup_printf ("invalid notice: %s", w->problem));
	} else if (w->deadline == XN_MAINTENANCE_NONE) {
		xn_maintenance_strv_take (reasons, g_strdup_printf ("deadline unknown: %s", w->deadline_problem));
	} else if (!w->on_time) {
		const char *after = w->filed > w->start ? " (after the start)" : "";

		if (w->rule.kind == XN_LEAD_WORKING_DAYS && w->rule.working_days > 0) {
			guint late = w->rule.working_days - MIN (w->lead_days, w->rule.working_days - 1);

			xn_maintenance_strv_take (reasons, g_strdup_printf ("filed %u working day%s late%s", late,
								       late == 1 ? "" : "s", after));
		} else {
			g_autofree char *late = xn_maintenance_duration (w->filed - w->deadline);

			xn_maintenance_strv_take (reasons, g_strdup_printf ("filed %s late%s", late, after));
		}
	}
	if (w->problem == NULL && w->rule.approval_required) {
		if (w->approved == XN_MAINTENANCE_NONE)
			g_strv_builder_add (reasons, "not approved");
		else if (w->approved > w->start)
			g_strv_builder_add (reasons, "approved after the start");
	}
	w->reasons = g_strv_builder_end (reasons);
	w->compliant = w->reasons[0] == NULL;
}

static const char *const weekday_en[] = { "", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

static char *
day_text (const GDate *d)
{
	return g_strdup_printf ("%04u-%02u-%02u %s", g_date_get_year (d), g_date_get_month (d), g_date_get_day (d),
				weekday_en[g_date_get_weekday (d)]);
}

static void
explain_days (const XnMaintenanceWindow *w, GTimeZone *tz, GPtrArray *lines)
{
	g_autofree char *deadline = NULL;

	for (guint i = 0; i < w->days->len; i++) {
		const XnMaintenanceDay *d = &g_array_index (w->days, XnMaintenanceDay, i);
		g_autofree char *day = day_text (&d->date);
		g_autofree char *what = d->counted > 0 ? g_strdup_printf ("working day %u", d->counted)
			: g_strdup (d->name != NULL ? "day off" : "weekend");

		g_ptr_array_add (lines, g_strdup_printf ("  %s  %s%s%s%s", day, what, d->name != NULL ? " (" : "",
							 d->name != NULL ? d->name : "", d->name != NULL ? ")" : ""));
	}
	deadline = xn_time_format (w->deadline, tz);
	if (w->days->len > 0) {
		const XnMaintenanceDay *last = &g_array_index (w->days, XnMaintenanceDay, w->days->len - 1);
		g_autofree char *day = day_text (&last->date);

		g_ptr_array_add (lines, g_strdup_printf ("deadline: the end (24:00) of %s = %s", day, deadline));
	} else {
		g_ptr_array_add (lines, g_strdup_printf ("deadline: the start itself (0 working days) = %s", deadline));
	}
}

static void
explain_rule (const XnMaintenanceWindow *w, GTimeZone *tz, GPtrArray *lines)
{
	const char *who = xn_initiator_to_string (w->initiator);
	const char *approval = w->rule.approval_required ? "approval required" : "no approval required";
	g_autofree char *start = xn_time_format (w->start, tz);

	if (w->rule.kind == XN_LEAD_DURATION) {
		g_autofree char *deadline = xn_time_format (w->deadline, tz);

		g_ptr_array_add (lines, g_strdup_printf ("rule: %s, %" G_GINT64_FORMAT " s ahead "
							 "(policy/notice/%s/lead-time), %s", who,
							 w->rule.lead_time / XN_USEC_PER_SEC, who, approval));
		g_ptr_array_add (lines, g_strdup_printf ("deadline: start %s - %" G_GINT64_FORMAT " s = %s", start,
							 w->rule.lead_time / XN_USEC_PER_SEC, deadline));
		return;
	}
	g_ptr_array_add (lines, g_strdup_printf ("rule: %s, %u working days ahead (policy/notice/%s/working-days), %s",
						 who, w->rule.working_days, who, approval));
	g_ptr_array_add (lines, g_strdup_printf ("work starts %s; the working days before its day, walked back:", start));
	if (w->deadline == XN_MAINTENANCE_NONE) {
		for (guint i = 0; i < w->days->len; i++) {
			g_autofree char *day = day_text (&g_array_index (w->days, XnMaintenanceDay, i).date);

			g_ptr_array_add (lines, g_strdup_printf ("  %s", day));
		}
		g_ptr_array_add (lines, g_strdup_printf ("deadline: unknown: %s", w->deadline_problem));
		return;
	}
	explain_days (w, tz, lines);
}

static void
explain_filing (const XnMaintenanceWindow *w, GTimeZone *tz, GPtrArray *lines)
{
	g_autofree char *filed = xn_time_format (w->filed, tz);
	g_autofree char *ahead = NULL;

	if (w->deadline == XN_MAINTENANCE_NONE)
		return;
	if (w->rule.kind == XN_LEAD_WORKING_DAYS && w->rule.working_days > 0) {
		ahead = g_strdup_printf ("%s%u working day%s ahead", w->lead_days < w->rule.working_days ? "" : "at least ",
					 w->lead_days, w->lead_days == 1 ? "" : "s");
	} else {
		g_autofree char *d = xn_maintenance_duration (w->start - w->filed);

		ahead = w->filed <= w->start ? g_strdup_printf ("%s ahead", d) : g_strdup_printf ("%s after the start", d);
	}
	g_ptr_array_add (lines, g_strdup_printf ("filed %s: %s, %s", filed, ahead, w->on_time ? "on time" : "late"));
}

GStrv
xn_maintenance_window_explain (const XnMaintenanceWindow *w, GTimeZone *tz)
{
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

	if (w->problem != NULL) {
		g_ptr_array_add (lines, g_strdup_printf ("invalid notice: %s", w->problem));
	} else {
		explain_rule (w, tz, lines);
		explain_filing (w, tz, lines);
		if (w->approved != XN_MAINTENANCE_NONE) {
			g_autofree char *at = xn_time_format (w->approved, tz);

			g_ptr_array_add (lines, g_strdup_printf ("approved %s by %s: %s the start", at, w->approved_by,
								 w->approved <= w->start ? "at or before" : "after"));
		} else if (w->rule.approval_required) {
			g_ptr_array_add (lines, g_strdup ("approval: none recorded"));
		}
	}
	if (w->compliant)
		g_ptr_array_add (lines, g_strdup ("verdict: compliant"));
	else
		for (guint i = 0; w->reasons[i] != NULL; i++)
			g_ptr_array_add (lines, g_strdup_printf ("verdict: not compliant: %s", w->reasons[i]));
	g_ptr_array_add (lines, NULL);
	return (GStrv) g_ptr_array_steal (lines, NULL);
}

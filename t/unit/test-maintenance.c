/* test-maintenance.c — sla/maintenance*.c: the notice book on the sample
 * county and the shipped 2025 calendar. The compliance half of every
 * maintenance scenario of issue 6 (an operator notice on time and one
 * working day late across the 2025 Spring Festival and its 调休 Sunday; a
 * unit's application 4 and 5 working days ahead, unapproved; a carrier
 * notice of 90 minutes unapproved and of 3 hours approved; an overrun; an
 * outage that began before the window; an in-scope and an out-of-scope
 * node; an escalation across a window), the approval and withdrawal rules,
 * affected units, and letters with hostile strings. Every expected value
 * was worked out by hand from regulations.md and the calendar before the
 * code ran. */
#include "config.h"
#include "maintenance.h"
#include "xn-error.h"

#include <string.h>

typedef struct {
	XnConfig          *config;
	const XnInventory *inventory;
	XnTopology        *topology;
	XnPolicy          *policy;
	XnCalendar        *calendar;
	GTimeZone         *tz;
	XnMaintenanceBook *book;
	gint64             seq;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
	const char *top = g_getenv ("top_srcdir");
	g_autofree char *srcdir = g_canonicalize_filename (top != NULL ? top : ".", NULL);
	g_autofree char *county = g_build_filename (srcdir, "data", "sample-county.json", NULL);
	g_autofree char *yang = g_build_filename (srcdir, "yang", NULL);
	g_autofree char *cal = g_build_filename (srcdir, "data", "calendar", NULL);
	const char *files[] = { county, NULL };
	g_autoptr(GError) error = NULL;

	f->config = xn_config_load (yang, files, &error);
	g_assert_no_error (error);
	f->inventory = xn_config_get_inventory (f->config);
	f->topology = xn_topology_new (f->inventory);
	f->policy = xn_policy_new ();
	xn_policy_set_noc_contact (f->policy, "市政务外网运维中心", "0000-12345-00", "noc@gov.example");
	f->calendar = xn_calendar_new ();
	g_assert_true (xn_calendar_load_dir (f->calendar, cal, &error));
	g_assert_no_error (error);
	f->tz = xn_time_zone_new ("Asia/Shanghai", &error);
	g_assert_no_error (error);
	f->book = xn_maintenance_book_new (f->inventory, f->topology, f->policy, f->calendar, f->tz);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
	xn_maintenance_book_free (f->book);
	g_time_zone_unref (f->tz);
	xn_calendar_free (f->calendar);
	xn_policy_free (f->policy);
	xn_topology_free (f->topology);
	xn_config_free (f->config);
}

static XnInstant
at (const char *text)
{
	XnInstant t;
	g_autoptr(GError) error = NULL;

	g_assert_true (xn_time_parse (text, NULL, &t, &error));
	g_assert_no_error (error);
	return t;
}

/* Feeds one fact (the next seq) whose attrs are `json`. */
static gint64
feed (Fixture *f, const char *ts, const char *kind, const char *subject, const char *json)
{
	g_autoptr(GError) error = NULL;
	JsonObject *attrs = xn_fact_attrs_from_json (json, &error);
	g_autoptr(XnFact) fact = NULL;

	g_assert_no_error (error);
	fact = xn_fact_new (at (ts), kind, subject, "cli:ops", at (ts), attrs);
	json_object_unref (attrs);
	fact->seq = ++f->seq;
	g_assert_no_error (error);
	g_assert_true (xn_maintenance_book_feed (f->book, fact));
	return fact->seq;
}

/* maintenance.filed by `kind`/`name` of one node or link (`scope` is
 * "node/X" or "link/Y"). */
static const XnMaintenanceWindow *
file (Fixture *f, const char *filed, const char *kind, const char *name, const char *scope, const char *start,
      const char *end)
{
	gboolean node = g_str_has_prefix (scope, "node/");
	g_autofree char *json = g_strdup_printf ("{\"initiator\":{\"kind\":\"%s\",\"name\":\"%s\"},"
						 "\"scope\":{\"nodes\":[%s%s%s],\"links\":[%s%s%s]},"
						 "\"start\":\"%s\",\"end\":\"%s\",\"reason\":\"更换光模块\"}",
						 kind, name, node ? "\"" : "", node ? scope + 5 : "", node ? "\"" : "",
						 node ? "" : "\"", node ? "" : scope + 5, node ? "" : "\"", start, end);
	g_autofree char *subject = g_strdup_printf ("%s/%s", kind, name);
	gint64 seq = feed (f, filed, XN_MAINTENANCE_FILED, subject, json);
	g_autofree char *id = xn_maintenance_id (seq);

	return xn_maintenance_book_lookup (f->book, id);
}

static void
decide (Fixture *f, const char *ts, const char *kind, const XnMaintenanceWindow *w, const char *json)
{
	g_autofree char *subject = g_strconcat ("maintenance/", w->id, NULL);

	feed (f, ts, kind, subject, json);
}

static void
approve (Fixture *f, const char *ts, const XnMaintenanceWindow *w)
{
	decide (f, ts, XN_MAINTENANCE_APPROVED, w, "{\"by\":\"王科长\",\"reference\":\"运维〔2025〕7号\"}");
}

static char *
reasons (const XnMaintenanceWindow *w)
{
	return g_strjoinv ("; ", w->reasons);
}

#define assert_reasons(w, expected) do { \
		g_autofree char *_r = reasons (w); \
		g_assert_cmpstr (_r, ==, expected); \
		g_assert_true ((w)->compliant == (expected[0] == '\0')); \
	} while (0)

static gboolean
explained (const XnMaintenanceWindow *w, GTimeZone *tz, const char *line)
{
	g_auto(GStrv) lines = xn_maintenance_window_explain (w, tz);

	return g_strv_contains ((const char *const *) lines, line);
}

/* Work on Wednesday 2025-02-05 (regulations.md's example), N = 2: the
 * working days before it are Mon 01-27 and the 调休 Sunday 01-26; 01-28
 * to 02-04 are the Spring Festival. */
static void
test_operator_spring_festival (Fixture *f, gconstpointer data)
{
	const XnMaintenanceWindow *on_time, *edge, *late;
	g_auto(GStrv) lines = NULL;
	const char *expected[] = {
		"rule: operator, 2 working days ahead (policy/notice/operator/working-days), no approval required",
		"work starts 2025-02-05T09:00:00+08:00; the working days before its day, walked back:",
		"  2025-02-04 Tue  day off (春节)",
		"  2025-02-03 Mon  day off (春节)",
		"  2025-02-02 Sun  weekend",
		"  2025-02-01 Sat  weekend",
		"  2025-01-31 Fri  day off (春节)",
		"  2025-01-30 Thu  day off (春节)",
		"  2025-01-29 Wed  day off (春节)",
		"  2025-01-28 Tue  day off (春节)",
		"  2025-01-27 Mon  working day 1",
		"  2025-01-26 Sun  working day 2 (春节调休)",
		"deadline: the end (24:00) of 2025-01-26 Sun = 2025-01-27T00:00:00+08:00",
		"filed 2025-01-26T16:00:00+08:00: at least 2 working days ahead, on time",
		"verdict: compliant",
		NULL
	};

	on_time = file (f, "2025-01-26T16:00:00+08:00", "operator", "市政务外网运维中心", "link/L-dong-qingshan",
			"2025-02-05T09:00:00+08:00", "2025-02-05T12:00:00+08:00");
	g_assert_cmpstr (on_time->id, ==, "MW-000001");
	g_assert_cmpint (on_time->deadline, ==, at ("2025-01-27T00:00:00+08:00"));
	g_assert_cmpuint (on_time->days->len, ==, 10);
	assert_reasons (on_time, "");
	lines = xn_maintenance_window_explain (on_time, f->tz);
	g_assert_cmpstrv (lines, expected);

	/* 24:00 of the Sunday is still the Sunday. */
	edge = file (f, "2025-01-27T00:00:00+08:00", "operator", "市政务外网运维中心", "link/L-dong-qingshan",
		     "2025-02-05T09:00:00+08:00", "2025-02-05T12:00:00+08:00");
	assert_reasons (edge, "");
	g_assert_true (explained (edge, f->tz, "filed 2025-01-27T00:00:00+08:00: at least 2 working days ahead, on time"));

	/* Monday morning: only Monday itself is left, one working day late. */
	late = file (f, "2025-01-27T00:00:01+08:00", "operator", "市政务外网运维中心", "link/L-dong-qingshan",
		     "2025-02-05T09:00:00+08:00", "2025-02-05T12:00:00+08:00");
	g_assert_false (late->on_time);
	g_assert_cmpuint (late->lead_days, ==, 1);
	assert_reasons (late, "filed 1 working day late");
	g_assert_true (explained (late, f->tz, "filed 2025-01-27T00:00:01+08:00: 1 working day ahead, late"));
	g_assert_true (explained (late, f->tz, "verdict: not compliant: filed 1 working day late"));

	/* Filed on the Tuesday, inside the holiday: no working day left. */
	late = file (f, "2025-01-28T09:00:00+08:00", "operator", "市政务外网运维中心", "link/L-dong-qingshan",
		     "2025-02-05T09:00:00+08:00", "2025-02-05T12:00:00+08:00");
	assert_reasons (late, "filed 2 working days late");
}

/* A unit's work on Monday 2025-03-10 09:00, N = 5: Fri 03-07 (1) … Mon
 * 03-03 (5); deadline 2025-03-04T00:00+08:00. */
static void
test_unit_five_days (Fixture *f, gconstpointer data)
{
	const XnMaintenanceWindow *four, *five, *late_approval;

	four = file (f, "2025-03-04T10:00:00+08:00", "unit", "qingshan-gov", "node/qingshan",
		     "2025-03-10T09:00:00+08:00", "2025-03-10T11:00:00+08:00");
	g_assert_cmpint (four->deadline, ==, at ("2025-03-04T00:00:00+08:00"));
	g_assert_cmpuint (four->lead_days, ==, 4);
	assert_reasons (four, "filed 1 working day late; not approved");

	five = file (f, "2025-03-03T17:30:00+08:00", "unit", "qingshan-gov", "node/qingshan",
		     "2025-03-10T09:00:00+08:00", "2025-03-10T11:00:00+08:00");
	g_assert_true (five->on_time);
	assert_reasons (five, "not approved");
	g_assert_null (xn_maintenance_book_covering (f->book, "node/qingshan", at ("2025-03-10T10:00:00+08:00")));

	/* approval of the late one changes nothing about its lateness */
	approve (f, "2025-03-05T09:00:00+08:00", four);
	assert_reasons (four, "filed 1 working day late");
	approve (f, "2025-03-05T09:00:00+08:00", five);
	g_assert_cmpint (five->status, ==, XN_MAINTENANCE_STATUS_APPROVED);
	assert_reasons (five, "");
	g_assert_true (xn_maintenance_book_covering (f->book, "node/qingshan", at ("2025-03-10T10:00:00+08:00")) == five);

	late_approval = file (f, "2025-03-01T10:00:00+08:00", "unit", "qingshan-gov", "node/qingshan",
			      "2025-03-10T09:00:00+08:00", "2025-03-10T11:00:00+08:00");
	approve (f, "2025-03-10T09:00:00+08:00", late_approval);
	assert_reasons (late_approval, "");
	late_approval = file (f, "2025-03-01T10:00:00+08:00", "unit", "qingshan-gov", "node/qingshan",
			      "2025-03-10T09:00:00+08:00", "2025-03-10T11:00:00+08:00");
	approve (f, "2025-03-10T09:00:00.000001+08:00", late_approval);
	assert_reasons (late_approval, "approved after the start");
}

/* A carrier's work at 12:00, 2 h and approval required. */
static void
test_carrier_lead_time (Fixture *f, gconstpointer data)
{
	const XnMaintenanceWindow *short_notice, *three_hours;

	short_notice = file (f, "2025-03-10T10:30:00+08:00", "carrier", "telecom", "link/L-dong-qingshan",
			     "2025-03-10T12:00:00+08:00", "2025-03-10T13:00:00+08:00");
	g_assert_cmpint (short_notice->deadline, ==, at ("2025-03-10T10:00:00+08:00"));
	assert_reasons (short_notice, "filed 30 min late; not approved");
	g_assert_true (explained (short_notice, f->tz, "deadline: start 2025-03-10T12:00:00+08:00 - 7200 s = "
				  "2025-03-10T10:00:00+08:00"));
	g_assert_true (explained (short_notice, f->tz, "filed 2025-03-10T10:30:00+08:00: 1 h 30 min ahead, late"));

	three_hours = file (f, "2025-03-10T09:00:00+08:00", "carrier", "telecom", "link/L-dong-qingshan",
			    "2025-03-10T12:00:00+08:00", "2025-03-10T13:00:00+08:00");
	assert_reasons (three_hours, "not approved");
	approve (f, "2025-03-10T09:30:00+08:00", three_hours);
	assert_reasons (three_hours, "");
	g_assert_true (explained (three_hours, f->tz, "filed 2025-03-10T09:00:00+08:00: 3 h ahead, on time"));
	g_assert_true (xn_maintenance_book_covering (f->book, "link/L-dong-qingshan",
						     at ("2025-03-10T12:30:00+08:00")) == three_hours);
	{
		g_autoptr(GPtrArray) flagged = xn_maintenance_book_flagged (f->book);

		g_assert_cmpuint (flagged->len, ==, 1);
		g_assert_true (flagged->pdata[0] == short_notice);
	}
}

/* One compliant window, 10:00–12:00 on 2025-03-10, over qingshan (an
 * operator notice filed on the Thursday before). */
static const XnMaintenanceWindow *
window_10_to_12 (Fixture *f)
{
	const XnMaintenanceWindow *w = file (f, "2025-03-06T10:00:00+08:00", "operator", "市政务外网运维中心",
					     "node/qingshan", "2025-03-10T10:00:00+08:00",
					     "2025-03-10T12:00:00+08:00");

	assert_reasons (w, "");
	return w;
}

/* Overrun by 40 min; an outage from 09:50; qingshan in scope, baishui not. */
static void
test_covering (Fixture *f, gconstpointer data)
{
	const XnMaintenanceWindow *w = window_10_to_12 (f);
	const char *q = "node/qingshan";

	g_assert_null (xn_maintenance_book_covering (f->book, q, at ("2025-03-10T09:50:00+08:00")));
	g_assert_true (xn_maintenance_book_covering (f->book, q, at ("2025-03-10T10:00:00+08:00")) == w);
	g_assert_true (xn_maintenance_book_covering (f->book, q, at ("2025-03-10T11:59:59+08:00")) == w);
	g_assert_cmpint (w->end, ==, at ("2025-03-10T12:00:00+08:00"));
	g_assert_null (xn_maintenance_book_covering (f->book, q, at ("2025-03-10T12:00:00+08:00")));
	g_assert_null (xn_maintenance_book_covering (f->book, q, at ("2025-03-10T12:40:00+08:00")));
	g_assert_null (xn_maintenance_book_covering (f->book, "node/baishui", at ("2025-03-10T11:00:00+08:00")));
	g_assert_null (xn_maintenance_book_covering (f->book, "link/L-dong-qingshan", at ("2025-03-10T11:00:00+08:00")));
}

/* A 3-step escalation at minute 0/30/60 of an outage starting 10:00 with a
 * window from minute 10 to 40: only the minute-30 step lies inside. */
static void
test_escalation_steps (Fixture *f, gconstpointer data)
{
	const XnMaintenanceWindow *w = file (f, "2025-03-06T10:00:00+08:00", "operator", "市政务外网运维中心",
					     "node/qingshan", "2025-03-10T10:10:00+08:00",
					     "2025-03-10T10:40:00+08:00");
	const char *q = "node/qingshan";

	assert_reasons (w, "");
	g_assert_null (xn_maintenance_book_covering (f->book, q, at ("2025-03-10T10:00:00+08:00")));
	g_assert_true (xn_maintenance_book_covering (f->book, q, at ("2025-03-10T10:30:00+08:00")) == w);
	g_assert_null (xn_maintenance_book_covering (f->book, q, at ("2025-03-10T11:00:00+08:00")));
}

static void
test_overlapping (Fixture *f, gconstpointer data)
{
	const XnMaintenanceWindow *a = window_10_to_12 (f), *b;

	b = file (f, "2025-03-06T11:00:00+08:00", "operator", "市政务外网运维中心", "node/qingshan",
		  "2025-03-10T11:00:00+08:00", "2025-03-10T13:00:00+08:00");
	g_assert_true (xn_maintenance_book_covering (f->book, "node/qingshan", at ("2025-03-10T10:30:00+08:00")) == a);
	g_assert_true (xn_maintenance_book_covering (f->book, "node/qingshan", at ("2025-03-10T11:30:00+08:00")) == b);
}

static void
segment_free (gpointer data)
{
	XnOutageSegment *segment = data;

	g_free (segment->root_id);
	g_free (segment);
}

/* An outage as the engine lists it, made by hand: over [start, end) (end
 * NULL: open), attributed to `root` (NULL: itself) from its start until
 * `root_until` (NULL: its end), its own root after that. */
static XnOutage *
outage (const char *id, const char *start, const char *end, const char *root, const char *root_until)
{
	XnOutage *o = g_new0 (XnOutage, 1);
	XnOutageSegment *first = g_new0 (XnOutageSegment, 1);
	const char *units[] = { NULL };

	o->id = g_strdup (id);
	o->object = g_strdup (strchr (id, ':') + 1);
	o->kind = g_str_has_prefix (o->object, "node/") ? XN_OUTAGE_NODE : XN_OUTAGE_LINK;
	o->start = at (start);
	o->end = end != NULL ? at (end) : XN_OUTAGE_OPEN;
	o->cause = g_strdup ("node-unreachable");
	o->units = g_strdupv ((char **) units);
	o->dependents = g_strdupv ((char **) units);
	o->evidence = g_array_new (FALSE, FALSE, sizeof (gint64));
	o->segments = g_ptr_array_new_with_free_func (segment_free);
	first->from = o->start;
	first->to = root_until != NULL ? at (root_until) : o->end;
	first->root_id = g_strdup (root != NULL ? root : id);
	g_ptr_array_add (o->segments, first);
	if (root_until != NULL) {
		XnOutageSegment *own = g_new0 (XnOutageSegment, 1);

		own->from = first->to;
		own->to = o->end;
		own->root_id = g_strdup (id);
		g_ptr_array_add (o->segments, own);
	}
	return o;
}

/* What xn_maintenance_book_plans() gives for `o` under `root`: the window
 * and [from, until) as local times "HH:MM-HH:MM", or "-" with both at the
 * outage's start. */
static char *
plans (Fixture *f, const XnOutage *o, const XnOutage *root, const XnMaintenanceWindow **w)
{
	XnInstant from = 0, until = 0;
	g_autofree char *a = NULL, *b = NULL;

	*w = xn_maintenance_book_plans (f->book, o, root, &from, &until);
	if (*w == NULL) {
		g_assert_cmpint (from, ==, o->start);
		g_assert_cmpint (until, ==, o->start);
		return g_strdup ("-");
	}
	g_assert_cmpint (from, <, until);
	/* "2025-03-10T10:05:00+08:00": the day is always the 10th here */
	a = xn_time_format (from, f->tz);
	b = xn_time_format (until, f->tz);
	g_assert_true (g_str_has_prefix (a, "2025-03-10T") && g_str_has_prefix (b, "2025-03-10T"));
	return g_strdup_printf ("%.5s-%.5s", a + 11, b + 11);
}

#define assert_plans(f, o, root, expected, window) do { \
		const XnMaintenanceWindow *_w; \
		g_autofree char *_p = plans (f, o, root, &_w); \
		g_assert_cmpstr (_p, ==, expected); \
		g_assert_true (_w == (window)); \
	} while (0)

#define T(hm) "2025-03-10T" hm ":00+08:00"

/* An operator's compliant window on node dong-core, 10:00–12:00 on Monday
 * 2025-03-10 (filed Thursday 03-06, deadline 03-07T00:00): its own
 * outage is planned from its start to the window's end or its own; an
 * outage begun before the window, or in a window it is not in, is not. */
static void
test_plans_own (Fixture *f, gconstpointer data)
{
	const XnMaintenanceWindow *w = file (f, "2025-03-06T10:00:00+08:00", "operator", "市政务外网运维中心",
					     "node/dong-core", T ("10:00"), T ("12:00"));
	g_autoptr(XnOutage) inside = outage ("1:node/dong-core", T ("10:05"), T ("11:35"), NULL, NULL);
	g_autoptr(XnOutage) open = outage ("2:node/dong-core", T ("10:00"), NULL, NULL, NULL);
	g_autoptr(XnOutage) before = outage ("3:node/dong-core", T ("09:50"), T ("11:35"), NULL, NULL);
	g_autoptr(XnOutage) at_end = outage ("4:node/dong-core", T ("12:00"), T ("12:30"), NULL, NULL);
	g_autoptr(XnOutage) elsewhere = outage ("5:node/xi-core", T ("10:05"), T ("11:35"), NULL, NULL);

	assert_reasons (w, "");
	assert_plans (f, inside, NULL, "10:05-11:35", w);
	/* the root passed for an outage that is its own root changes nothing */
	assert_plans (f, inside, inside, "10:05-11:35", w);
	assert_plans (f, open, NULL, "10:00-12:00", w);
	assert_plans (f, before, NULL, "-", NULL);
	assert_plans (f, at_end, NULL, "-", NULL);
	assert_plans (f, elsewhere, NULL, "-", NULL);
}

/* Dependents of dong-core's outage (qingshan below it): planned while
 * both are down inside the window and the dependent is still in its first
 * segment; the overrun and a fault of its own after the root came back
 * are not; nor is anything under an unplanned root. */
static void
test_plans_dependents (Fixture *f, gconstpointer data)
{
	const XnMaintenanceWindow *w = file (f, "2025-03-06T10:00:00+08:00", "operator", "市政务外网运维中心",
					     "node/dong-core", T ("10:00"), T ("12:00"));
	g_autoptr(XnOutage) root = outage ("1:node/dong-core", T ("10:05"), T ("11:35"), NULL, NULL);
	g_autoptr(XnOutage) child = outage ("2:node/qingshan", T ("10:06"), T ("11:35"), "1:node/dong-core", NULL);
	/* seen down 2 minutes before its parent, within the correlation window */
	g_autoptr(XnOutage) early = outage ("3:node/baishui", T ("10:03"), T ("11:35"), "1:node/dong-core", NULL);
	g_autoptr(XnOutage) overrun = outage ("4:node/dong-core", T ("10:05"), T ("12:40"), NULL, NULL);
	g_autoptr(XnOutage) child_overrun = outage ("5:node/qingshan", T ("10:06"), T ("12:40"), "4:node/dong-core", NULL);
	g_autoptr(XnOutage) short_root = outage ("6:node/dong-core", T ("10:05"), T ("11:00"), NULL, NULL);
	g_autoptr(XnOutage) longer = outage ("7:node/qingshan", T ("10:06"), T ("11:30"), "6:node/dong-core", T ("11:00"));
	g_autoptr(XnOutage) early_root = outage ("8:node/dong-core", T ("09:50"), T ("11:35"), NULL, NULL);
	g_autoptr(XnOutage) under_early = outage ("9:node/qingshan", T ("10:06"), T ("11:35"), "8:node/dong-core", NULL);

	assert_plans (f, child, root, "10:06-11:35", w);
	assert_plans (f, early, root, "10:05-11:35", w);
	/* the root unknown (NULL), or not the one its first segment names */
	assert_plans (f, child, NULL, "-", NULL);
	assert_plans (f, child, overrun, "-", NULL);
	assert_plans (f, overrun, NULL, "10:05-12:00", w);
	assert_plans (f, child_overrun, overrun, "10:06-12:00", w);
	/* the root back at 11:00, the dependent down on its own until 11:30 */
	assert_plans (f, short_root, NULL, "10:05-11:00", w);
	assert_plans (f, longer, short_root, "10:06-11:00", w);
	/* a root that failed before the window is a fault, and so is what it
	 * cut off */
	assert_plans (f, early_root, NULL, "-", NULL);
	assert_plans (f, under_early, early_root, "-", NULL);
}

/* The same outages under windows that are not compliant, or withdrawn:
 * nothing is planned, of the root or of its dependent. */
static void
test_plans_not_compliant (Fixture *f, gconstpointer data)
{
	g_autoptr(XnOutage) root = outage ("1:node/dong-core", T ("10:05"), T ("11:35"), NULL, NULL);
	g_autoptr(XnOutage) child = outage ("2:node/qingshan", T ("10:06"), T ("11:35"), "1:node/dong-core", NULL);
	const XnMaintenanceWindow *late, *unapproved, *withdrawn;
	g_autoptr(GPtrArray) flagged = NULL;

	late = file (f, "2025-03-07T10:00:00+08:00", "operator", "市政务外网运维中心", "node/dong-core", T ("10:00"),
		     T ("12:00"));
	assert_reasons (late, "filed 1 working day late");
	unapproved = file (f, "2025-03-10T07:00:00+08:00", "carrier", "telecom", "node/dong-core", T ("10:00"),
			   T ("12:00"));
	assert_reasons (unapproved, "not approved");
	withdrawn = file (f, "2025-03-06T10:00:00+08:00", "operator", "市政务外网运维中心", "node/dong-core",
			  T ("10:00"), T ("12:00"));
	decide (f, "2025-03-07T10:00:00+08:00", XN_MAINTENANCE_WITHDRAWN, withdrawn, "{\"by\":\"刘主任\",\"why\":\"改期\"}");
	assert_plans (f, root, NULL, "-", NULL);
	assert_plans (f, child, root, "-", NULL);
	flagged = xn_maintenance_book_flagged (f->book);
	g_assert_cmpuint (flagged->len, ==, 2);
	g_assert_true (flagged->pdata[0] == late && flagged->pdata[1] == unapproved);

	/* approved at 09:30, before the start: the carrier's window plans */
	approve (f, "2025-03-10T09:30:00+08:00", unapproved);
	assert_plans (f, root, NULL, "10:05-11:35", unapproved);
	assert_plans (f, child, root, "10:06-11:35", unapproved);
}

static const char *
note_of (const XnMaintenanceWindow *w, guint i)
{
	g_assert_cmpuint (i, <, w->facts->len);
	return ((XnMaintenanceFactNote *) w->facts->pdata[i])->note;
}

static void
test_approve_withdraw_rules (Fixture *f, gconstpointer data)
{
	const XnMaintenanceWindow *w = file (f, "2025-03-03T10:00:00+08:00", "unit", "qingshan-gov", "node/qingshan",
					     "2025-03-10T10:00:00+08:00", "2025-03-10T12:00:00+08:00");
	const XnMaintenanceWindow *over;
	g_autoptr(GPtrArray) flagged = NULL;

	approve (f, "2025-03-02T10:00:00+08:00", w);
	g_assert_cmpstr (note_of (w, 1), ==, "ignored: dated before the notice was filed");
	approve (f, "2025-03-04T10:00:00+08:00", w);
	g_assert_null (note_of (w, 2));
	approve (f, "2025-03-04T11:00:00+08:00", w);
	g_assert_cmpstr (note_of (w, 3), ==, "ignored: already approved by 王科长");
	g_assert_cmpstr (w->reference, ==, "运维〔2025〕7号");
	decide (f, "2025-03-05T10:00:00+08:00", XN_MAINTENANCE_WITHDRAWN, w, "{\"by\":\"刘主任\",\"why\":\"改期\"}");
	g_assert_cmpint (w->status, ==, XN_MAINTENANCE_STATUS_WITHDRAWN);
	g_assert_null (xn_maintenance_book_covering (f->book, "node/qingshan", at ("2025-03-10T11:00:00+08:00")));
	approve (f, "2025-03-06T10:00:00+08:00", w);
	g_assert_cmpstr (note_of (w, 5), ==, "ignored: the window was withdrawn by 刘主任");
	g_assert_true (w->compliant);

	/* over: a withdrawal after the end does not rewrite history */
	over = window_10_to_12 (f);
	decide (f, "2025-03-10T12:00:00+08:00", XN_MAINTENANCE_WITHDRAWN, over, "{\"by\":\"刘主任\",\"why\":\"x\"}");
	g_assert_cmpstr (note_of (over, 1), ==, "ignored: the window was over; it stands as filed");
	g_assert_cmpint (over->status, ==, XN_MAINTENANCE_STATUS_FILED);

	/* an ID nobody filed */
	feed (f, "2025-03-06T10:00:00+08:00", XN_MAINTENANCE_APPROVED, "maintenance/MW-000999", "{\"by\":\"x\"}");
	g_assert_cmpuint (xn_maintenance_book_orphans (f->book)->len, ==, 1);
	flagged = xn_maintenance_book_flagged (f->book);
	g_assert_cmpuint (flagged->len, ==, 0);
}

static void
test_invalid_notices (Fixture *f, gconstpointer data)
{
	const XnMaintenanceWindow *w;
	gint64 seq;
	g_autofree char *id = NULL;

	w = file (f, "2025-03-03T10:00:00+08:00", "unit", "nowhere-gov", "node/nowhere", "2025-03-10T10:00:00+08:00",
		  "2025-03-10T12:00:00+08:00");
	assert_reasons (w, "invalid notice: the inventory has no access unit 'nowhere-gov'; "
			"the inventory has no node 'nowhere'; the scope names no node and no link");
	seq = feed (f, "2025-03-03T10:00:00+08:00", XN_MAINTENANCE_FILED, "operator/noc",
		    "{\"initiator\":{\"kind\":\"operator\",\"name\":\"noc\"},\"scope\":{\"links\":[\"L-dong-qingshan\"]},"
		    "\"start\":\"2025-03-10T12:00:00\",\"end\":\"2025-03-10T10:00:00+08:00\",\"reason\":\" \"}");
	id = xn_maintenance_id (seq);
	w = xn_maintenance_book_lookup (f->book, id);
	assert_reasons (w, "invalid notice: \"start\" is not an ISO 8601 instant with an offset; "
			"\"reason\" is missing or blank");
	approve (f, "2025-03-04T10:00:00+08:00", w);
	g_assert_cmpstr (note_of (w, 1), ==, "ignored: the notice is invalid and cannot be approved");
	g_assert_null (xn_maintenance_book_covering (f->book, "link/L-dong-qingshan", at ("2025-03-10T11:00:00+08:00")));

	/* 2027 has no calendar: the deadline cannot be decided, so the
	 * notice is not compliant (never a guess from the weekday rule) */
	w = file (f, "2025-03-03T10:00:00+08:00", "operator", "noc", "node/qingshan", "2027-03-10T10:00:00+08:00",
		  "2027-03-10T12:00:00+08:00");
	g_assert_cmpint (w->deadline, ==, XN_MAINTENANCE_NONE);
	g_assert_true (g_str_has_prefix (w->reasons[0], "deadline unknown: "));
	g_assert_nonnull (strstr (w->reasons[0], "2027"));

	g_assert_false (xn_maintenance_parse_id ("MW-12", &seq));
	g_assert_false (xn_maintenance_parse_id ("XN-000001", &seq));
	g_assert_true (xn_maintenance_parse_id ("MW-0000042", &seq));
	g_assert_cmpint (seq, ==, 42);
}

static void
test_affected_units (Fixture *f, gconstpointer data)
{
	const XnMaintenanceWindow *core, *link;
	const char *core_units[] = { "baishui-gov", "dong-finance", "dong-health", "qingshan-clinic", "qingshan-gov",
				     "taohua-gov", NULL };
	const char *link_units[] = { "qingshan-clinic", "qingshan-gov", NULL };

	core = file (f, "2025-03-03T10:00:00+08:00", "carrier", "telecom", "node/dong-core", "2025-03-10T10:00:00+08:00",
		     "2025-03-10T12:00:00+08:00");
	g_assert_cmpstrv (core->units, core_units);
	link = file (f, "2025-03-03T10:00:00+08:00", "carrier", "telecom", "link/L-dong-qingshan",
		     "2025-03-10T10:00:00+08:00", "2025-03-10T12:00:00+08:00");
	g_assert_cmpstrv (link->units, link_units);
}

static XnMaintenanceLetter *
letter (Fixture *f, const XnMaintenanceWindow *w, const char *unit_name)
{
	g_autoptr(GError) error = NULL;
	const XnAccessUnit *unit = xn_inventory_unit_by_name (f->inventory, unit_name);
	XnMaintenanceLetter *l = xn_maintenance_letter_render (w, unit, f->inventory, f->topology, f->policy, f->tz,
							       &error);

	g_assert_no_error (error);
	return l;
}

static void
test_letter (Fixture *f, gconstpointer data)
{
	const XnMaintenanceWindow *w = file (f, "2025-01-26T16:00:00+08:00", "operator", "市政务外网运维中心",
					     "link/L-dong-qingshan", "2025-02-05T09:00:00+08:00",
					     "2025-02-05T12:00:00+08:00");
	g_autoptr(XnMaintenanceLetter) l = letter (f, w, "qingshan-gov");
	g_autoptr(GError) error = NULL;
	const char *expected =
		"政务外网维护作业通知 Extranet maintenance notice (extranoc)\n"
		"\n"
		"致 To: qingshan-gov 青山镇人民政府\n"
		"通知编号 Notice ID: MW-000001\n"
		"作业开始 Start: 2025-02-05 09:00 星期三 (2025-02-05T09:00:00+08:00)\n"
		"作业结束 End: 2025-02-05 12:00 星期三 (2025-02-05T12:00:00+08:00)\n"
		"作业时长 Duration: 3 h\n"
		"发起方 Initiator: 运维单位 operator 市政务外网运维中心\n"
		"作业范围 Scope: 链路 link L-dong-qingshan (电路编号 circuit DX-SAMPLE-0010)\n"
		"影响 Impact: 贵单位经接入链路 L-dong-qingshan (电路编号 DX-SAMPLE-0010) 的政务外网业务全部中断 "
		"all extranet services over the uplink are cut off; 因 because of: 链路 link L-dong-qingshan "
		"(电路编号 circuit DX-SAMPLE-0010)\n"
		"作业原因 Reason: 更换光模块\n"
		"审批 Approval: 无需审批 not required\n"
		"联系方式 Contact: 市政务外网运维中心, 0000-12345-00, noc@gov.example\n"
		"时区 Time zone: Asia/Shanghai\n";

	g_assert_cmpstr (l->text, ==, expected);
	g_assert_cmpstr (l->subject, ==, "[MW-000001] 政务外网维护作业通知 Maintenance notice: "
			 "2025-02-05 09:00 星期三 (2025-02-05T09:00:00+08:00)");
	g_assert_true (g_str_has_prefix (l->html, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n"));
	g_assert_nonnull (strstr (l->html, "<tr><th>作业原因 Reason</th><td>更换光模块</td></tr>\n"));
	g_assert_null (xn_maintenance_letter_render (w, xn_inventory_unit_by_name (f->inventory, "baishui-gov"),
						     f->inventory, f->topology, f->policy, f->tz, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_cmpstr (error->message, ==, "MW-000001: the window does not cut off access unit 'baishui-gov'");
}

/* Values an operator or an inventory could make hostile: markup, a line
 * break that would forge a field, quotes, invalid UTF-8. */
static void
test_letter_hostile (Fixture *f, gconstpointer data)
{
	const XnMaintenanceWindow *w;
	g_autoptr(XnMaintenanceLetter) l = NULL;
	g_autoptr(GString) json = g_string_new (NULL);
	g_auto(GStrv) lines = NULL;

	xn_policy_set_noc_contact (f->policy, "<b>NOC</b> & \"x\"", "0000", "a'b@example");
	g_string_append (json, "{\"initiator\":{\"kind\":\"carrier\",\"name\":\"telecom\"},"
			 "\"scope\":{\"nodes\":[\"dong-core\"]},\"start\":\"2025-03-10T10:00:00+08:00\","
			 "\"end\":\"2025-03-10T12:00:00+08:00\","
			 "\"reason\":\"<script>alert(1)</script>\\r\\n作业原因 Reason: 伪造\\u2028</td></tr>\"}");
	feed (f, "2025-03-03T10:00:00+08:00", XN_MAINTENANCE_FILED, "carrier/telecom", json->str);
	w = xn_maintenance_book_lookup (f->book, "MW-000001");
	g_assert_null (w->problem);
	l = letter (f, w, "dong-finance");
	g_assert_null (strstr (l->html, "<script>"));
	g_assert_null (strstr (l->html, "<b>"));
	g_assert_nonnull (strstr (l->html, "&lt;script&gt;alert(1)&lt;/script&gt; 作业原因 Reason: 伪造 "
				  "&lt;/td&gt;&lt;/tr&gt;</td></tr>\n"));
	g_assert_nonnull (strstr (l->html, "&lt;b&gt;NOC&lt;/b&gt; &amp; &quot;x&quot;, 0000, a&apos;b@example"));
	lines = g_strsplit (l->text, "\n", -1);
	/* title, blank, 12 fields, the final empty string */
	g_assert_cmpuint (g_strv_length (lines), ==, 15);
	g_assert_cmpstr (lines[10], ==, "作业原因 Reason: <script>alert(1)</script> 作业原因 Reason: 伪造 </td></tr>");
	g_assert_nonnull (strstr (l->text, "影响 Impact: 贵单位经接入链路 L-dong-finance (电路编号 DX-SAMPLE-0028)"));
	g_assert_nonnull (strstr (l->text, "因 because of: 设备 node dong-core 东县核心路由器\n"));
	g_assert_nonnull (strstr (l->text, "审批 Approval: 待批准 awaiting approval\n"));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
	ADD ("/maintenance/operator/spring-festival", test_operator_spring_festival);
	ADD ("/maintenance/unit/five-working-days", test_unit_five_days);
	ADD ("/maintenance/carrier/lead-time", test_carrier_lead_time);
	ADD ("/maintenance/covering/overrun-before-scope", test_covering);
	ADD ("/maintenance/covering/escalation-steps", test_escalation_steps);
	ADD ("/maintenance/covering/overlapping", test_overlapping);
	ADD ("/maintenance/plans/own", test_plans_own);
	ADD ("/maintenance/plans/dependents", test_plans_dependents);
	ADD ("/maintenance/plans/not-compliant", test_plans_not_compliant);
	ADD ("/maintenance/rules/approve-withdraw", test_approve_withdraw_rules);
	ADD ("/maintenance/rules/invalid", test_invalid_notices);
	ADD ("/maintenance/units", test_affected_units);
	ADD ("/maintenance/letter/text", test_letter);
	ADD ("/maintenance/letter/hostile", test_letter_hostile);
	return g_test_run ();
}

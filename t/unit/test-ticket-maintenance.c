/* test-ticket-maintenance.c — what a maintenance window does to tickets
 * (doc/maintenance.md, "What a window does to outages"): an outage that
 * starts inside a compliant, approved window on its object opens nothing,
 * and a ticket from the window's end if it is still on then; a late or
 * unapproved window changes nothing and is named on the ticket; a fault
 * that began before the window keeps its clocks but its escalations
 * inside the window are held, with one message at the end if it is still
 * down; a window withdrawn while an outage waits on it lets the ticket
 * open at once; the notice book is part of the snapshot.
 *
 * Every expected line was worked out by hand from the rules, on the
 * sample county's policy (carrier: 2 hours' notice and approval; response
 * 1 h; county-unit 2 h; escalation 100/150/200 %; grace 600 s;
 * correlation window 600 s) and the shipped calendar. Times are local
 * offsets from 2025-03-10 00:00 (a Monday). */
#include "test-ticket-util.h"
#include "ticket-message.h"
#include "ticket-private.h"
#include "json-strict.h"
#include "xn-error.h"

#include <string.h>

#define ADVANCE(at) { at, NULL, NULL, NULL, NULL }
#define FILED       "maintenance.filed"
#define APPROVED    "maintenance.approved"
#define WITHDRAWN   "maintenance.withdrawn"
#define TELECOM     "carrier/telecom"
#define MW1         "maintenance/MW-000001"
/* A carrier window on L-dong-finance, as `extranoc maintenance file` writes it. */
#define WINDOW(from, to) \
	"{\"initiator\":{\"kind\":\"carrier\",\"name\":\"telecom\"},\"scope\":{\"nodes\":[],\"links\":" \
	"[\"L-dong-finance\"]},\"start\":\"2025-03-10T" from "+08:00\",\"end\":\"2025-03-10T" to "+08:00\"," \
	"\"reason\":\"光缆割接\"}"
#define APPROVAL    "{\"by\":\"ops\",\"reference\":\"批复-1\"}"

typedef struct {
	TFixtures   fx;
	XnCalendar *calendar;
} Fixture;

static XnTicketEngine *
engine_new (const Fixture *f)
{
	XnTicketEngine *engine = tengine (f->fx.county, -1, NULL);

	xn_ticket_engine_set_maintenance (engine, xn_config_get_policy (f->fx.config), f->calendar, f->fx.tz);
	return engine;
}

static void
step (XnTicketEngine *engine, const TF *facts, guint i)
{
	if (facts[i].kind == NULL)
		xn_ticket_engine_advance (engine, tat (facts[i].at));
	else
		tfeed (engine, i + 1, &facts[i]);
}

static guint
count (const TF *facts)
{
	guint n = 0;

	while (facts[n].at != NULL)
		n++;
	return n;
}

static XnTicketEngine *
run (const Fixture *f, const TF *facts)
{
	XnTicketEngine *engine = engine_new (f);

	for (guint i = 0; i < count (facts); i++)
		step (engine, facts, i);
	return engine;
}

/* A window 10:00–12:00 filed at 07:00 and approved at 07:30: compliant. */
#define ON_TIME \
	{ "07:00:00", FILED, TELECOM, WINDOW ("10:00:00", "12:00:00"), NULL }, \
	{ "07:30:00", APPROVED, MW1, APPROVAL, NULL }

static void
test_planned (gconstpointer data)
{
	const TF facts[] = {
		ON_TIME,
		{ "10:30:00", T_IF_DOWN, T_DF, NULL, NULL },
		{ "11:30:00", T_IF_UP, T_DF, NULL, NULL },
		ADVANCE ("20:00:00"),
		{ NULL },
	};
	g_autoptr(XnTicketEngine) engine = run (data, facts);
	g_autofree char *events = ttake (engine), *tickets = tdescribe_tickets (engine);

	g_assert_cmpstr (events, ==, "");
	g_assert_cmpstr (tickets, ==, "");
	g_assert_cmpint (xn_ticket_engine_next_due (engine), ==, XN_TICKET_NONE);
}

static void
test_overrun (gconstpointer data)
{
	const TF facts[] = {
		ON_TIME,
		{ "10:30:00", T_IF_DOWN, T_DF, NULL, NULL },
		ADVANCE ("11:59:59"),
		{ "12:40:00", T_IF_UP, T_DF, NULL, NULL },
		ADVANCE ("20:00:00"),
		{ NULL },
	};
	const Fixture *f = data;
	g_autoptr(XnTicketEngine) engine = engine_new (f);
	g_autoptr(XnTicket) t = NULL;
	g_autofree char *events = NULL;

	for (guint i = 0; i < 3; i++)
		step (engine, facts, i);
	/* waiting for the window's end, not for the correlation window */
	g_assert_cmpint (xn_ticket_engine_next_due (engine), ==, tat ("12:00:00"));
	for (guint i = 3; i < count (facts); i++)
		step (engine, facts, i);
	events = ttake (engine);
	g_assert_cmpstr (events, ==,
		"12:00:00 XN-000003#opened telecom\n"
		"12:50:00 XN-000003#closed telecom\n");
	t = tlookup (engine, "XN-000003");
	g_assert_cmpstr (t->report_rule, ==, "window-end");
	g_assert_cmpstr (t->window, ==, "MW-000001");
	g_assert_cmpint (t->report, ==, tat ("12:00:00"));
	g_assert_cmpint (t->fault_start, ==, tat ("10:30:00"));
	g_assert_cmpint (t->response_deadline, ==, tat ("13:00:00"));
	g_assert_cmpint (t->restore_deadline, ==, tat ("14:00:00"));
	g_assert_cmpint (t->restored, ==, tat ("12:40:00"));
}

/* One hour is not two: filed at 09:00 for 10:00 it is late whatever the
 * approval says; the outage is an ordinary fault (up at the response
 * deadline itself, which meets it). */
static void
test_late_window (gconstpointer data)
{
	const TF facts[] = {
		{ "09:00:00", FILED, TELECOM, WINDOW ("10:00:00", "12:00:00"), NULL },
		{ "09:10:00", APPROVED, MW1, APPROVAL, NULL },
		{ "10:30:00", T_IF_DOWN, T_DF, NULL, NULL },
		{ "11:30:00", T_IF_UP, T_DF, NULL, NULL },
		ADVANCE ("20:00:00"),
		{ NULL },
	};
	g_autoptr(XnTicketEngine) engine = run (data, facts);
	g_autofree char *events = ttake (engine);
	g_autoptr(XnTicket) t = tlookup (engine, "XN-000003");

	g_assert_cmpstr (events, ==,
		"10:40:00 XN-000003#opened telecom\n"
		"11:40:00 XN-000003#closed telecom\n");
	g_assert_cmpstr (t->report_rule, ==, "recorded");
	g_assert_null (t->window);
	g_assert_cmpuint (g_strv_length (t->flagged), ==, 1);
	g_assert_cmpstr (t->flagged[0], ==, "MW-000001");
}

/* Filed on time but never approved: a carrier's notice needs approval. */
static void
test_unapproved_window (gconstpointer data)
{
	const TF facts[] = {
		{ "07:00:00", FILED, TELECOM, WINDOW ("10:00:00", "12:00:00"), NULL },
		{ "10:30:00", T_IF_DOWN, T_DF, NULL, NULL },
		{ "10:50:00", T_IF_UP, T_DF, NULL, NULL },
		ADVANCE ("20:00:00"),
		{ NULL },
	};
	g_autoptr(XnTicketEngine) engine = run (data, facts);
	g_autofree char *events = ttake (engine);

	g_assert_cmpstr (events, ==,
		"10:40:00 XN-000002#opened telecom\n"
		"11:00:00 XN-000002#closed telecom\n");
}

/* The fault began at 09:00, before a window 09:50–10:20 on its link:
 * R = 09:00 stands; response level 1 (10:00) is raised and held; at
 * 10:20 one message; level 2 (10:30) and the rest as usual. */
static void
test_held_then_one_message (gconstpointer data)
{
	const TF facts[] = {
		{ "07:00:00", FILED, TELECOM, WINDOW ("09:50:00", "10:20:00"), NULL },
		{ "07:30:00", APPROVED, MW1, APPROVAL, NULL },
		{ "09:00:00", T_IF_DOWN, T_DF, NULL, NULL },
		ADVANCE ("10:15:00"),
		{ "10:45:00", T_IF_UP, T_DF, NULL, NULL },
		ADVANCE ("20:00:00"),
		{ NULL },
	};
	const Fixture *f = data;
	g_autoptr(XnTicketEngine) engine = engine_new (f);
	g_autoptr(XnTicket) t = NULL;
	g_autofree char *events = NULL;

	for (guint i = 0; i < 4; i++)
		step (engine, facts, i);
	g_assert_cmpint (xn_ticket_engine_next_due (engine), ==, tat ("10:20:00"));
	for (guint i = 4; i < count (facts); i++)
		step (engine, facts, i);
	events = ttake (engine);
	g_assert_cmpstr (events, ==,
		"09:10:00 XN-000003#opened telecom\n"
		"10:20:00 XN-000003#maintenance-MW-000001 telecom\n"
		"10:30:00 XN-000003-R#2 telecom over=1800\n"
		"10:55:00 XN-000003#closed telecom\n");
	t = tlookup (engine, "XN-000003");
	g_assert_cmpint (t->report, ==, tat ("09:00:00"));
	g_assert_cmpuint (t->response_breach.level, ==, 2);
	g_assert_cmpint (t->response_breach.raised[0], ==, tat ("10:00:00"));
	g_assert_null (t->held_window);
}

/* The message at the window's end says which window ended, when, and the
 * levels reached inside it; the overrun's #opened says its clocks run from
 * the window's end. */
static void
test_messages (gconstpointer data)
{
	const Fixture *f = data;
	const TF facts[] = {
		{ "07:00:00", FILED, TELECOM, WINDOW ("09:50:00", "10:20:00"), NULL },
		{ "07:30:00", APPROVED, MW1, APPROVAL, NULL },
		{ "09:00:00", T_IF_DOWN, T_DF, NULL, NULL },
		ADVANCE ("10:21:00"),
		{ NULL },
	};
	g_autoptr(XnTicketEngine) engine = run (f, facts);
	g_autoptr(GPtrArray) events = xn_ticket_engine_take_events (engine);
	g_auto(XnTicketOptions) options = { 0 };
	const XnTicketEvent *last;
	g_autoptr(XnTicketMessage) m = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_cmpuint (events->len, ==, 2);
	last = g_ptr_array_index (events, 1);
	g_assert_cmpint (last->kind, ==, XN_TICKET_EVENT_MAINTENANCE_ENDED);
	g_assert_cmpstr (last->window, ==, "MW-000001");
	xn_ticket_options_init (&options);
	m = xn_ticket_message_render (last, f->fx.county, &options, f->fx.tz, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (m->subject, ==, "[XN-000003#maintenance-MW-000001] 维护窗口结束仍未恢复 Still down after "
			 "maintenance: 链路 link L-dong-finance (DX-SAMPLE-0028)");
	g_assert_nonnull (strstr (m->text, "维护窗口 Maintenance window: MW-000001, 结束 ended "
				  "2025-03-10T10:20:00+08:00\n"));
	g_assert_nonnull (strstr (m->text, "已达升级级别 Escalation levels reached: 响应 response 1, 修复 restore 0"));
	g_assert_nonnull (strstr (m->json, "\"maintenance\":{\"window\":\"MW-000001\",\"ended\":{\"utc\":"
				  "\"2025-03-10T02:20:00.000000Z\",\"local\":\"2025-03-10T10:20:00+08:00\"},"
				  "\"response_level\":1,\"restore_level\":0}"));
}

/* The same fault restored inside the window: the held level stays
 * unsent, and the window's end has nothing to say. */
static void
test_held_restored_inside (gconstpointer data)
{
	const TF facts[] = {
		{ "07:00:00", FILED, TELECOM, WINDOW ("09:50:00", "10:20:00"), NULL },
		{ "07:30:00", APPROVED, MW1, APPROVAL, NULL },
		{ "09:00:00", T_IF_DOWN, T_DF, NULL, NULL },
		{ "10:10:00", T_IF_UP, T_DF, NULL, NULL },
		ADVANCE ("20:00:00"),
		{ NULL },
	};
	g_autoptr(XnTicketEngine) engine = run (data, facts);
	g_autofree char *events = ttake (engine);
	g_autoptr(XnTicket) t = tlookup (engine, "XN-000003");
	const XnTicketEventRecord *held = NULL;

	g_assert_cmpstr (events, ==,
		"09:10:00 XN-000003#opened telecom\n"
		"10:20:00 XN-000003#closed telecom\n");
	for (guint i = 0; i < t->events->len; i++)
		if (((XnTicketEventRecord *) g_ptr_array_index (t->events, i))->held != NULL)
			held = g_ptr_array_index (t->events, i);
	g_assert_nonnull (held);
	g_assert_cmpstr (held->id, ==, "XN-000003-R#1");
	g_assert_cmpstr (held->held, ==, "MW-000001");
}

/* Withdrawn at 11:00 while the outage waits: it was never maintenance,
 * and its ticket opens at once with R from the outage. */
static void
test_withdrawn_inside (gconstpointer data)
{
	const TF facts[] = {
		ON_TIME,
		{ "10:30:00", T_IF_DOWN, T_DF, NULL, NULL },
		{ "11:00:00", WITHDRAWN, MW1, "{\"by\":\"ops\",\"why\":\"改期\"}", NULL },
		{ "11:10:00", T_IF_UP, T_DF, NULL, NULL },
		ADVANCE ("20:00:00"),
		{ NULL },
	};
	g_autoptr(XnTicketEngine) engine = run (data, facts);
	g_autofree char *events = ttake (engine);
	g_autoptr(XnTicket) t = tlookup (engine, "XN-000003");

	g_assert_cmpstr (events, ==,
		"11:00:00 XN-000003#opened telecom\n"
		"11:20:00 XN-000003#closed telecom\n");
	g_assert_cmpint (t->report, ==, tat ("10:30:00"));
}

/* In scope and out of scope inside one window: only L-dong-finance is
 * planned; L-dong-qingshan gets its ticket. */
static void
test_out_of_scope (gconstpointer data)
{
	const TF facts[] = {
		ON_TIME,
		{ "10:30:00", T_IF_DOWN, T_DF, NULL, NULL },
		{ "10:31:00", T_IF_DOWN, T_DQ, NULL, NULL },
		{ "11:00:00", T_IF_UP, T_DF, NULL, NULL },
		{ "11:01:00", T_IF_UP, T_DQ, NULL, NULL },
		ADVANCE ("20:00:00"),
		{ NULL },
	};
	g_autoptr(XnTicketEngine) engine = run (data, facts);
	g_autofree char *events = ttake (engine);

	g_assert_cmpstr (events, ==,
		"10:41:00 XN-000004#opened telecom\n"
		"11:11:00 XN-000004#closed telecom\n");
}

/* The windows of the tests above on three links at once, snapshot at
 * every position, restored and given the notice book again: the same
 * events and the same final state as one straight run. */
static const TF mixed[] = {
	ON_TIME,
	{ "07:20:00", FILED, TELECOM,
	  "{\"initiator\":{\"kind\":\"carrier\",\"name\":\"telecom\"},\"scope\":{\"nodes\":[],\"links\":"
	  "[\"L-dong-qingshan\"]},\"start\":\"2025-03-10T09:30:00+08:00\",\"end\":\"2025-03-10T10:15:00+08:00\","
	  "\"reason\":\"调试\"}", NULL },
	{ "07:50:00", APPROVED, "maintenance/MW-000003", APPROVAL, NULL },
	{ "09:00:00", T_IF_DOWN, T_DQ, NULL, NULL },
	{ "10:30:00", T_IF_DOWN, T_DF, NULL, NULL },
	ADVANCE ("11:00:00"),
	{ "11:20:00", T_IF_UP, T_DQ, NULL, NULL },
	ADVANCE ("12:10:00"),
	{ "12:40:00", T_IF_UP, T_DF, NULL, NULL },
	ADVANCE ("20:00:00"),
	{ NULL },
};

static void
test_snapshot_every_position (gconstpointer data)
{
	const Fixture *f = data;
	guint n = count (mixed);
	g_autoptr(XnTicketEngine) straight = run (f, mixed);
	g_autofree char *expected = ttake (straight), *final = xn_ticket_engine_snapshot (straight);

	g_assert_true (strstr (expected, "#maintenance-MW-000003") != NULL);
	g_assert_true (strstr (expected, "12:00:00 XN-000006#opened") != NULL);
	for (guint k = 0; k <= n; k++) {
		g_autoptr(XnTicketEngine) first = engine_new (f), second = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(GString) actual = g_string_new (NULL);
		g_autofree char *snapshot = NULL, *head = NULL, *tail = NULL, *end = NULL;

		for (guint i = 0; i < k; i++)
			step (first, mixed, i);
		head = ttake (first);
		snapshot = xn_ticket_engine_snapshot (first);
		second = xn_ticket_engine_restore (f->fx.county, NULL, NULL, snapshot, &error);
		g_assert_no_error (error);
		xn_ticket_engine_set_maintenance (second, xn_config_get_policy (f->fx.config), f->calendar, f->fx.tz);
		for (guint i = k; i < n; i++)
			step (second, mixed, i);
		tail = ttake (second);
		g_string_append_printf (actual, "%s%s", head, tail);
		end = xn_ticket_engine_snapshot (second);
		g_assert_cmpstr (actual->str, ==, expected);
		g_assert_cmpstr (end, ==, final);
	}
}

/* Without the book (no calendar given) the facts are still kept in the
 * state, and nothing is planned. */
static void
test_without_book (gconstpointer data)
{
	const Fixture *f = data;
	const TF facts[] = {
		ON_TIME,
		{ "10:30:00", T_IF_DOWN, T_DF, NULL, NULL },
		{ NULL },
	};
	g_autoptr(XnTicketEngine) engine = tengine (f->fx.county, -1, NULL);
	g_autofree char *events = NULL, *snapshot = NULL;

	tfeed_all (engine, facts);
	xn_ticket_engine_advance (engine, tat ("11:00:00"));
	events = ttake (engine);
	g_assert_cmpstr (events, ==, "10:40:00 XN-000003#opened telecom\n");
	g_assert_null (xn_ticket_engine_maintenance (engine));
	snapshot = xn_ticket_engine_snapshot (engine);
	g_assert_true (strstr (snapshot, "maintenance.approved") != NULL);
}

/* A snapshot's maintenance facts are checked like the rest of it. */
static void
test_damaged (gconstpointer data)
{
	const Fixture *f = data;
	g_autoptr(XnTicketEngine) engine = run (f, mixed);
	g_autofree char *snapshot = xn_ticket_engine_snapshot (engine);
	g_autoptr(GString) bad = g_string_new (snapshot);
	g_autoptr(GError) error = NULL;
	g_autoptr(XnTicketEngine) restored = NULL;

	g_string_replace (bad, "\"seq\\\":2,", "\"seq\\\":9999,", 1);
	restored = xn_ticket_engine_restore (f->fx.county, NULL, NULL, bad->str, &error);
	g_assert_null (restored);
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_nonnull (strstr (error->message, "maintenance[1]"));
}

static void
fixture_init (Fixture *f)
{
	const char *top = g_getenv ("top_srcdir");
	g_autofree char *cal = g_build_filename (top != NULL ? top : ".", "data", "calendar", NULL);
	g_autoptr(GError) error = NULL;

	tfixtures_init (&f->fx);
	f->calendar = xn_calendar_new ();
	g_assert_true (xn_calendar_load_dir (f->calendar, cal, &error));
	g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
	Fixture f;
	int rc;

	g_test_init (&argc, &argv, NULL);
	fixture_init (&f);
	g_test_add_data_func ("/ticket-maintenance/planned", &f, test_planned);
	g_test_add_data_func ("/ticket-maintenance/overrun", &f, test_overrun);
	g_test_add_data_func ("/ticket-maintenance/late-window", &f, test_late_window);
	g_test_add_data_func ("/ticket-maintenance/unapproved-window", &f, test_unapproved_window);
	g_test_add_data_func ("/ticket-maintenance/held-then-one-message", &f, test_held_then_one_message);
	g_test_add_data_func ("/ticket-maintenance/messages", &f, test_messages);
	g_test_add_data_func ("/ticket-maintenance/held-restored-inside", &f, test_held_restored_inside);
	g_test_add_data_func ("/ticket-maintenance/withdrawn-inside", &f, test_withdrawn_inside);
	g_test_add_data_func ("/ticket-maintenance/out-of-scope", &f, test_out_of_scope);
	g_test_add_data_func ("/ticket-maintenance/snapshot-every-position", &f, test_snapshot_every_position);
	g_test_add_data_func ("/ticket-maintenance/without-book", &f, test_without_book);
	g_test_add_data_func ("/ticket-maintenance/damaged", &f, test_damaged);
	rc = g_test_run ();
	xn_calendar_free (f.calendar);
	tfixtures_clear (&f.fx);
	return rc;
}

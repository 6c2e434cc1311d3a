/* test-ticket-replay.c — the ticket engine's durability properties: a
 * snapshot taken at any point of a scenario, restored and fed the rest,
 * gives exactly the events and the state of feeding everything (events
 * already taken included); how the facts are split into batches changes
 * nothing; a restart long after deadlines fell raises each once, at the
 * instant it fell due; damaged snapshots are refused with the place.
 *
 * The scenario (a day and a half of the sample county) mixes what the
 * engine does: a township link that flaps within the grace, a unit that
 * phones before its link is seen down, an acknowledgement, an outage
 * attributed to the unit's LAN, a carrier node with a dependent township
 * declared complex, a confirmation, and a link whose ticket merges into
 * its county node's when that node's failure is recorded late. Steps with
 * no kind only advance `now`. */
#include "test-ticket-util.h"
#include "ticket-private.h"
#include "json-strict.h"
#include "xn-error.h"

#include <string.h>

#define ADVANCE(at) { at, NULL, NULL, NULL, NULL }
#define DB "interface/dong-core/ge-0-1-2"     /* L-dong-baishui, A end */

static const TF scenario[] = {
	{ "10:00:00", T_IF_DOWN, T_DQ, NULL, "10:00:05" },
	{ "10:03:00", "fault.reported", "unit/baishui-gov", "{\"reporter\":\"白水镇\",\"description\":\"断网\",\"by\":\"phone\"}", NULL },
	{ "10:05:00", T_IF_DOWN, DB, NULL, "10:05:20" },
	ADVANCE ("10:30:00"),
	{ "10:35:00", "fault.acknowledged", "ticket/XN-000001", "{\"carrier_ref\":\"DX-1\",\"contact\":\"王工\"}", NULL },
	{ "10:50:00", T_IF_DOWN, T_DF, NULL, NULL },
	{ "11:00:00", T_IF_UP, T_DQ, NULL, NULL },
	{ "11:04:00", T_IF_DOWN, T_DQ, NULL, NULL },
	{ "11:20:00", "fault.attributed", "ticket/XN-000006", "{\"to\":\"unit-lan\",\"reason\":\"财政局交换机\"}", NULL },
	{ "11:40:00", T_IF_UP, T_DQ, NULL, NULL },
	{ "12:00:00", T_DOWN, "node/xi-core", NULL, "12:00:10" },
	{ "12:02:00", T_DOWN, "node/hongqiao", NULL, NULL },
	ADVANCE ("13:00:00"),
	{ "13:10:00", "fault.complex", "ticket/XN-000011", "{\"reason\":\"机房断电\"}", NULL },
	{ "13:30:00", T_IF_UP, DB, NULL, NULL },
	{ "13:31:00", "fault.restore-confirmed", "ticket/XN-000002", "{\"note\":\"已恢复\"}", NULL },
	{ "14:00:00", T_UP, "node/xi-core", NULL, NULL },
	{ "14:05:00", T_UP, "node/hongqiao", NULL, NULL },
	{ "14:10:00", T_IF_UP, T_DF, NULL, NULL },
	ADVANCE ("20:00:00"),
	{ "20:00:00", T_IF_DOWN, T_QD, NULL, NULL },
	ADVANCE ("20:20:00"),
	{ "20:05:00", T_DOWN, "node/dong-core", NULL, "20:20:00" },
	{ "20:40:00", T_UP, "node/dong-core", NULL, NULL },
	{ "20:45:00", T_IF_UP, T_QD, NULL, NULL },
	ADVANCE ("40:00:00"),
	{ NULL },
};

static guint
scenario_len (void)
{
	guint n = 0;

	while (scenario[n].at != NULL)
		n++;
	return n;
}

static void
step (XnTicketEngine *engine, guint i)
{
	if (scenario[i].kind == NULL)
		xn_ticket_engine_advance (engine, tat (scenario[i].at));
	else
		tfeed (engine, i + 1, &scenario[i]);
}

/* Every event taken, as JSON lines (the whole event and its ticket). */
static void
take_into (XnTicketEngine *engine, GString *out, GTimeZone *tz)
{
	g_autoptr(GPtrArray) events = xn_ticket_engine_take_events (engine);

	for (guint i = 0; i < events->len; i++) {
		g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

		json_node_take_object (node, xn_ticket_event_to_json (g_ptr_array_index (events, i), tz));
		xn_json_append (out, node);
		g_string_append_c (out, '\n');
	}
}

/* Events are taken after some steps only, so that snapshots hold pending
 * events too. */
static gboolean
take_after (guint i)
{
	return i % 3 == 2;
}

/* The tickets handed over for storing, one line each. */
static void
take_changes_into (XnTicketEngine *engine, GString *out)
{
	g_autoptr(GPtrArray) changed = xn_ticket_engine_take_changes (engine);

	for (guint i = 0; i < changed->len; i++) {
		g_autofree char *line = tdescribe_ticket (g_ptr_array_index (changed, i));

		g_string_append_printf (out, "changed %s\n", line);
	}
}

static void
run (XnTicketEngine *engine, guint from, guint to, GString *out, GTimeZone *tz)
{
	for (guint i = from; i < to; i++) {
		step (engine, i);
		if (take_after (i)) {
			take_into (engine, out, tz);
			take_changes_into (engine, out);
		}
	}
}

static XnTicketEngine *
engine_with (const TFixtures *fx, gboolean keep_closed)
{
	g_auto(XnTicketOptions) options = { 0 };

	xn_ticket_options_init (&options);
	options.keep_closed = keep_closed;
	return tengine (fx->county, -1, &options);
}

static XnTicketEngine *
restore_with (const TFixtures *fx, gboolean keep_closed, const char *snapshot)
{
	g_auto(XnTicketOptions) options = { 0 };
	g_autoptr(GError) error = NULL;
	XnTicketEngine *engine;

	xn_ticket_options_init (&options);
	options.keep_closed = keep_closed;
	engine = xn_ticket_engine_restore (fx->county, NULL, &options, snapshot, &error);
	g_assert_no_error (error);
	return engine;
}

static char *
state_text (JsonNode *node)
{
	GString *out = g_string_new (NULL);

	xn_json_append (out, node);
	return g_string_free (out, FALSE);
}

/* A ticket handed out (a copy) has every field of the engine's own, as
 * the snapshot prints it; so has each pending event's copy. */
static void
check_copies (const XnTicketEngine *engine)
{
	g_autofree char *snapshot = xn_ticket_engine_snapshot (engine);
	g_autoptr(JsonNode) root = xn_json_parse_strict (snapshot, strlen (snapshot), 16, NULL);
	JsonArray *tickets = json_object_get_array_member (json_node_get_object (root), "tickets");
	JsonArray *pending = json_object_get_array_member (json_node_get_object (root), "pending");

	g_assert_cmpuint (json_array_get_length (tickets), >, 0);
	g_assert_cmpuint (json_array_get_length (pending), >, 0);
	for (guint i = 0; i < json_array_get_length (tickets); i++) {
		JsonNode *state = json_array_get_element (tickets, i);
		const char *id = json_object_get_string_member (json_node_get_object (state), "id");
		g_autoptr(XnTicket) copy = tlookup (engine, id);
		g_autoptr(JsonNode) copied = xn_ticket_state_to_json (copy, TRUE);
		g_autofree char *a = state_text (state), *b = state_text (copied);

		g_assert_cmpstr (b, ==, a);
	}
	for (guint i = 0; i < engine->pending->len; i++) {
		g_autoptr(XnTicketEvent) copy = xn_ticket_event_copy (g_ptr_array_index (engine->pending, i));
		g_autoptr(JsonNode) copied = xn_ticket_event_state_to_json (copy);
		g_autofree char *a = state_text (json_array_get_element (pending, i)), *b = state_text (copied);

		g_assert_cmpstr (b, ==, a);
	}
}

static void
test_straight (gconstpointer data)
{
	const TFixtures *fx = data;
	g_autoptr(XnTicketEngine) engine = tengine (fx->county, -1, NULL);
	g_autofree char *events = NULL, *tickets = NULL;

	for (guint i = 0; i < scenario_len (); i++)
		step (engine, i);
	check_copies (engine);
	events = ttake (engine);
	tickets = tdescribe_tickets (engine);
	g_assert_cmpstr (events, ==,
		"10:03:00 XN-000002#opened telecom\n"
		"10:10:00 XN-000001#opened telecom\n"
		"11:00:00 XN-000006#opened telecom\n"
		"11:03:00 XN-000002-R#1 telecom over=0\n"
		"11:04:00 XN-000001#reopened-1 telecom\n"
		"11:20:00 XN-000006#withdrawn telecom\n"
		"11:33:00 XN-000002-R#2 telecom over=1800\n"
		"11:50:00 XN-000001#closed telecom\n"
		"12:03:00 XN-000002-R#3 telecom over=3600\n"
		"12:10:00 XN-000011#opened mobile\n"
		"13:00:10 XN-000011-R#1 mobile over=0\n"
		"13:30:10 XN-000011-R#2 mobile over=1800\n"
		"13:41:00 XN-000002#closed telecom\n"
		"14:10:00 XN-000011#closed mobile\n"
		"20:10:00 XN-000021#opened telecom\n"
		"20:20:00 XN-000021#merged telecom\n"
		"20:20:00 XN-000023#opened telecom\n"
		"20:55:00 XN-000023#closed telecom\n");
	g_assert_cmpstr (tickets, ==,
		"XN-000001 closed carrier telecom township R=10:00:05 resp=11:00:05 rest=16:00:05 restored=11:40:00 "
		"closed=11:50:00 units=qingshan-clinic,qingshan-gov "
		"outages=1:link/L-dong-qingshan(root),8:link/L-dong-qingshan(flap)\n"
		"XN-000002 closed carrier telecom township R=10:03:00 resp=11:03:00 rest=16:03:00 restored=13:31:00 "
		"closed=13:41:00 units=baishui-gov outages=3:link/L-dong-baishui(root)\n"
		"XN-000006 closed unit-lan telecom county-unit R=10:50:00 resp=11:50:00 rest=12:50:00 restored=14:10:00 "
		"closed=14:20:00 units=dong-finance outages=6:link/L-dong-finance(root)\n"
		"XN-000011 closed carrier mobile county-unit R=12:00:10 resp=13:00:10 rest=60:00:10 restored=14:00:00 "
		"closed=14:10:00 units=hongqiao-gov,hongqiao-school,shiban-gov,songlin-gov,xi-civil,xi-market "
		"outages=11:node/xi-core(root),11:link/L-city-xi(dependent),11:link/L-xi-civil(dependent),"
		"11:link/L-xi-hongqiao(dependent),11:link/L-xi-market(dependent),11:link/L-xi-shiban(dependent),"
		"11:link/L-xi-songlin(dependent),12:node/hongqiao(dependent)\n"
		"XN-000021 merged carrier telecom township R=20:00:00 resp=21:00:00 rest=26:00:00 restored=- closed=- "
		"units=qingshan-clinic,qingshan-gov outages=21:link/L-dong-qingshan(root) into=XN-000023\n"
		"XN-000023 closed carrier telecom county-unit R=20:20:00 resp=21:20:00 rest=22:20:00 restored=20:45:00 "
		"closed=20:55:00 units=baishui-gov,dong-finance,dong-health,qingshan-clinic,qingshan-gov,taohua-gov "
		"outages=23:node/dong-core(root),23:link/L-city-dong(dependent),23:link/L-dong-baishui(dependent),"
		"23:link/L-dong-finance(dependent),23:link/L-dong-health(dependent),23:link/L-dong-taohua(dependent),"
		"21:link/L-dong-qingshan(merged)\n");
}

/* Snapshot at every position, restore, feed the rest: the same events,
 * the same tickets handed over, the same final state — keeping closed
 * tickets or forgetting them once handed over. */
static void
snapshot_every_position (const TFixtures *fx, gboolean keep_closed)
{
	guint n = scenario_len ();
	g_autoptr(XnTicketEngine) straight = engine_with (fx, keep_closed);
	g_autoptr(GString) expected = g_string_new (NULL);
	g_autofree char *final = NULL;

	run (straight, 0, n, expected, fx->tz);
	take_into (straight, expected, fx->tz);
	take_changes_into (straight, expected);
	final = xn_ticket_engine_snapshot (straight);
	for (guint k = 0; k <= n; k++) {
		g_autoptr(XnTicketEngine) first = engine_with (fx, keep_closed);
		g_autoptr(XnTicketEngine) second = NULL;
		g_autoptr(GString) actual = g_string_new (NULL);
		g_autofree char *snapshot = NULL, *again = NULL, *end = NULL;

		run (first, 0, k, actual, fx->tz);
		snapshot = xn_ticket_engine_snapshot (first);
		second = restore_with (fx, keep_closed, snapshot);
		again = xn_ticket_engine_snapshot (second);
		g_assert_cmpstr (again, ==, snapshot);
		run (second, k, n, actual, fx->tz);
		take_into (second, actual, fx->tz);
		take_changes_into (second, actual);
		end = xn_ticket_engine_snapshot (second);
		g_assert_cmpstr (actual->str, ==, expected->str);
		g_assert_cmpstr (end, ==, final);
	}
}

static void
test_snapshot_every_position (gconstpointer data)
{
	snapshot_every_position (data, TRUE);
}

static void
test_snapshot_forgetting (gconstpointer data)
{
	snapshot_every_position (data, FALSE);
}

/* Forgetting closed tickets once handed over keeps the state to what can
 * still change; a fact about a forgotten ticket is unknown. */
static void
test_forget (gconstpointer data)
{
	const TFixtures *fx = data;
	g_autoptr(XnTicketEngine) keep = engine_with (fx, TRUE);
	g_autoptr(XnTicketEngine) forget = engine_with (fx, FALSE);
	g_autoptr(GString) kept = g_string_new (NULL), forgot = g_string_new (NULL);
	const TF late = { "21:00:00", "fault.acknowledged", "ticket/XN-000001", "{}", NULL };
	g_autoptr(GPtrArray) left = NULL, changed = NULL;
	g_autofree char *big = NULL, *small = NULL;
	XnTicketStats stats;

	run (keep, 0, 20, kept, fx->tz);
	run (forget, 0, 20, forgot, fx->tz);
	g_assert_cmpstr (forgot->str, ==, kept->str);
	/* The two closed since the last take; then nothing is open, and what
	 * was handed over is not handed over again. */
	changed = xn_ticket_engine_take_changes (forget);
	g_assert_cmpuint (changed->len, ==, 2);
	g_assert_cmpstr (((XnTicket *) g_ptr_array_index (changed, 0))->id, ==, "XN-000006");
	g_assert_cmpstr (((XnTicket *) g_ptr_array_index (changed, 1))->id, ==, "XN-000011");
	g_ptr_array_unref (changed);
	changed = xn_ticket_engine_take_changes (forget);
	g_assert_cmpuint (changed->len, ==, 0);
	g_ptr_array_unref (xn_ticket_engine_take_changes (keep));
	left = xn_ticket_engine_list (forget, FALSE);
	g_assert_cmpuint (left->len, ==, 0);
	g_assert_null (xn_ticket_engine_lookup (forget, "XN-000001"));
	big = xn_ticket_engine_snapshot (keep);
	small = xn_ticket_engine_snapshot (forget);
	g_assert_cmpuint (strlen (small) * 2, <, strlen (big));
	tfeed (keep, 100, &late);
	tfeed (forget, 100, &late);
	xn_ticket_engine_stats (keep, &stats);
	g_assert_cmpuint (stats.late, ==, 1);
	xn_ticket_engine_stats (forget, &stats);
	g_assert_cmpuint (stats.unknown, ==, 1);
}

/* The scenario's facts (no advances) fed in batches of every size give
 * what feeding them one by one gives. */
static void
test_batches (gconstpointer data)
{
	const TFixtures *fx = data;
	const guint sizes[] = { 2, 3, 4, 7, 100 };
	g_autoptr(XnTicketEngine) single = tengine (fx->county, -1, NULL);
	g_autoptr(GString) expected = g_string_new (NULL);
	g_autofree char *final = NULL, *tickets = NULL;

	for (guint i = 0; scenario[i].at != NULL; i++)
		if (scenario[i].kind != NULL)
			tfeed (single, i + 1, &scenario[i]);
	take_into (single, expected, fx->tz);
	final = xn_ticket_engine_snapshot (single);
	tickets = tdescribe_tickets (single);
	g_assert_cmpuint (expected->len, >, 0);
	for (guint s = 0; s < G_N_ELEMENTS (sizes); s++) {
		g_autoptr(XnTicketEngine) engine = tengine (fx->county, -1, NULL);
		g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
		g_autoptr(GString) actual = g_string_new (NULL);
		g_autoptr(GError) error = NULL;
		g_autofree char *end = NULL, *end_tickets = NULL;

		for (guint i = 0; scenario[i].at != NULL; i++) {
			if (scenario[i].kind != NULL)
				g_ptr_array_add (batch, tfact (i + 1, &scenario[i]));
			if (batch->len == sizes[s] || (scenario[i + 1].at == NULL && batch->len > 0)) {
				g_assert_true (xn_ticket_engine_feed_all (engine, batch, &error));
				g_assert_no_error (error);
				g_ptr_array_set_size (batch, 0);
			}
		}
		take_into (engine, actual, fx->tz);
		end = xn_ticket_engine_snapshot (engine);
		end_tickets = tdescribe_tickets (engine);
		g_assert_cmpstr (actual->str, ==, expected->str);
		g_assert_cmpstr (end, ==, final);
		g_assert_cmpstr (end_tickets, ==, tickets);
	}
}

/* The collector was down from 10:05 to the next day: restarted from its
 * snapshot, one advance raises every step once, each at the instant it
 * fell due — the same as a collector that never stopped. */
static void
test_restart (gconstpointer data)
{
	const TFixtures *fx = data;
	const TF down = { "10:00:00", T_IF_DOWN, T_DQ, NULL, NULL };
	const char *const ticks[] = { "10:30:00", "11:15:00", "11:45:00", "16:00:00", "16:00:01", "21:00:00", "30:00:00" };
	g_autoptr(XnTicketEngine) live = tengine (fx->county, -1, NULL);
	g_autoptr(XnTicketEngine) before = tengine (fx->county, -1, NULL);
	g_autoptr(XnTicketEngine) after = NULL;
	g_autoptr(GString) steady = g_string_new (NULL);
	g_autofree char *snapshot = NULL, *restarted = NULL, *again = NULL;

	tfeed (live, 1, &down);
	for (guint i = 0; i < G_N_ELEMENTS (ticks); i++) {
		g_autofree char *some = NULL;

		xn_ticket_engine_advance (live, tat (ticks[i]));
		some = ttake (live);
		g_string_append (steady, some);
	}
	tfeed (before, 1, &down);
	xn_ticket_engine_advance (before, tat ("10:05:00"));
	snapshot = xn_ticket_engine_snapshot (before);
	after = trestore (fx->county, -1, snapshot);
	xn_ticket_engine_advance (after, tat ("30:00:00"));
	restarted = ttake (after);
	g_assert_cmpstr (restarted, ==,
		"10:10:00 XN-000001#opened telecom\n"
		"11:00:00 XN-000001-R#1 telecom over=0\n"
		"11:30:00 XN-000001-R#2 telecom over=1800\n"
		"12:00:00 XN-000001-R#3 telecom over=3600\n"
		"16:00:00 XN-000001-S#1 telecom over=0\n"
		"19:00:00 XN-000001-S#2 telecom over=10800\n"
		"22:00:00 XN-000001-S#3 telecom over=21600\n");
	g_assert_cmpstr (steady->str, ==, restarted);
	/* Each once: nothing is left to raise. */
	xn_ticket_engine_advance (after, tat ("90:00:00"));
	again = ttake (after);
	g_assert_cmpstr (again, ==, "");
}

static void
expect_refused (const XnInventory *inventory, const char *snapshot, gint code, const char *message)
{
	g_autoptr(GError) error = NULL;
	XnTicketEngine *engine = xn_ticket_engine_restore (inventory, NULL, NULL, snapshot, &error);

	g_assert_null (engine);
	g_assert_error (error, XN_ERROR, code);
	if (strstr (error->message, message) == NULL)
		g_error ("\"%s\" does not contain \"%s\"", error->message, message);
}

static char *
replace (const char *text, const char *from, const char *to)
{
	g_auto(GStrv) parts = g_strsplit (text, from, 2);

	g_assert_nonnull (parts[1]);
	return g_strconcat (parts[0], to, parts[1], NULL);
}

static void
test_damaged (gconstpointer data)
{
	const TFixtures *fx = data;
	g_autoptr(XnTicketEngine) engine = tengine (fx->county, -1, NULL);
	g_autofree char *good = NULL, *bad_format = NULL, *bad_status = NULL, *bad_key = NULL, *bad_bound = NULL;

	for (guint i = 0; i < 12; i++)
		step (engine, i);
	good = xn_ticket_engine_snapshot (engine);
	expect_refused (fx->county, "{", XN_ERROR_INVALID, "ticket snapshot: ");
	bad_format = replace (good, "\"extranoc-tickets\"", "\"extranoc-tickets-2\"");
	expect_refused (fx->county, bad_format, XN_ERROR_INVALID, "\"format\"");
	bad_status = replace (good, "\"status\":\"open\"", "\"status\":\"ajar\"");
	expect_refused (fx->county, bad_status, XN_ERROR_INVALID, "tickets[1]: \"status\" has an unknown value \"ajar\"");
	bad_key = replace (good, "\"hold_end\":", "\"held_end\":");
	expect_refused (fx->county, bad_key, XN_ERROR_INVALID, "tickets[0].outages[0]: unknown key \"held_end\"");
	bad_bound = replace (good, "\"XN-000002\"]", "2]");
	expect_refused (fx->county, bad_bound, XN_ERROR_INVALID, "] must be [outage id, ticket id]");
	/* Another topology: only a replay from the start knows its tickets. */
	expect_refused (fx->hand, good, XN_ERROR_CONFIG, "ticket snapshot: ");
}

int
main (int argc, char **argv)
{
	TFixtures fx;
	int status;

	g_test_init (&argc, &argv, NULL);
	tfixtures_init (&fx);
	g_test_add_data_func ("/ticket-replay/straight", &fx, test_straight);
	g_test_add_data_func ("/ticket-replay/snapshot-every-position", &fx, test_snapshot_every_position);
	g_test_add_data_func ("/ticket-replay/snapshot-forgetting", &fx, test_snapshot_forgetting);
	g_test_add_data_func ("/ticket-replay/forget", &fx, test_forget);
	g_test_add_data_func ("/ticket-replay/batches", &fx, test_batches);
	g_test_add_data_func ("/ticket-replay/restart", &fx, test_restart);
	g_test_add_data_func ("/ticket-replay/damaged", &fx, test_damaged);
	status = g_test_run ();
	tfixtures_clear (&fx);
	return status;
}

/* test-link-verify.c — the checks of link traps, pure part
 * (collector/link-verify.c, link-verify-get.c): when a check is due after a
 * trap and again while the interface stays down; what is recorded for
 * each answer (interface.up after a link-down whose port is up, the whole
 * fact line; interface.down after a link-up whose port is down;
 * interface.admin-down; nothing when the answer agrees); later reports
 * that make a check moot, before and during its GET, and older ones that
 * do not; one check per interface however many traps, one per node in
 * flight, the window; unanswered checks said once per node, backed off
 * and said again when the node answers; the give-up time; nodes without
 * SNMP endpoint and interfaces without ifIndex; a journal read again from
 * its start, and old traps at a start; a reload; and the GET itself, its
 * OIDs and every kind of reply. */
#include "link-verify.h"
#include "xn-error.h"

#include <string.h>

#define T0  G_GINT64_CONSTANT (1735689600000000)   /* 2025-01-01T00:00:00Z */
#define S   G_GINT64_CONSTANT (1000000)

#define CORE_1 "interface/core/ge-0/0/1"
#define CORE_2 "interface/core/ge-0/0/2"
#define AGG_0  "interface/agg/ge-0/0/0"
#define DARK_0 "interface/dark/eth0"

typedef struct {
	XnInventory       *inventory;
	XnLinkVerify      *v;
	GPtrArray         *notes;
	XnLinkVerifyConfig config;
} Fixture;

static XnNode *
node_new (const char *name, const char *address, gboolean snmp)
{
	XnNode *node = xn_node_new (name, XN_NODE_AGGREGATION, "room", address);

	if (snmp)
		node->snmp = xn_snmp_endpoint_new ("lab");
	return node;
}

static XnLink *
link_new (const char *id, const char *a_node, const char *a_if, const char *z_node, const char *z_if)
{
	XnLink *link = xn_link_new (id, 100000, a_node, a_if, "room");

	link->z.node_name = g_strdup (z_node);
	link->z.interface = g_strdup (z_if);
	return link;
}

/* core ─ L-1 (ge-0/0/1 ─ ge-0/0/0) ─ agg; core ─ L-2 (ge-0/0/2 ─ eth0) ─
 * dark, which has no SNMP endpoint. Without L-1 when `small`. */
static XnInventory *
inventory_new (gboolean small)
{
	g_autoptr(GError) error = NULL;
	XnInventory *inv = xn_inventory_new ();

	g_assert_true (xn_inventory_add_region (inv, xn_region_new ("city", XN_REGION_CITY), &error));
	g_assert_true (xn_inventory_add_site (inv, xn_site_new ("room", "city", "core-room"), &error));
	g_assert_true (xn_inventory_add_node (inv, node_new ("core", "10.0.0.1", TRUE), &error));
	g_assert_true (xn_inventory_add_node (inv, node_new ("agg", "10.0.0.2", TRUE), &error));
	g_assert_true (xn_inventory_add_node (inv, node_new ("dark", "10.0.0.3", FALSE), &error));
	if (!small)
		g_assert_true (xn_inventory_add_link (inv, link_new ("L-1", "core", "ge-0/0/1", "agg", "ge-0/0/0"), &error));
	g_assert_true (xn_inventory_add_link (inv, link_new ("L-2", "core", "ge-0/0/2", "dark", "eth0"), &error));
	g_assert_true (xn_inventory_resolve (inv, &error));
	return inv;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
	f->config = (XnLinkVerifyConfig) { .delay = 5 * S, .interval = 60 * S, .give_up = 3600 * S, .window = 4 };
	f->inventory = inventory_new (FALSE);
	f->v = xn_link_verify_new (&f->config, f->inventory);
	f->notes = g_ptr_array_new_with_free_func (xn_link_note_free);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
	xn_link_verify_free (f->v);
	xn_inventory_free (f->inventory);
	g_ptr_array_unref (f->notes);
}

static XnFact *
fact_new (gint64 seq, XnInstant ts, const char *kind, const char *subject, const char *source, const char *attrs)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = json_from_string (attrs, &error);
	XnFact *fact;

	g_assert_no_error (error);
	if (g_str_has_prefix (kind, "trap.")) {
		/* as the collector makes them: printed text, no tree */
		g_autofree char *printed = xn_fact_attrs_to_json (json_node_get_object (node));

		fact = xn_fact_new_printed (ts, kind, subject, source, ts, NULL, printed, strlen (printed));
	} else {
		fact = xn_fact_new (ts, kind, subject, source, ts, json_node_get_object (node));
	}
	fact->seq = seq;
	return fact;
}

/* A fact of the journal, fed at `now`. */
static void
feed (Fixture *f, gint64 seq, XnInstant ts, const char *kind, const char *subject, const char *source,
      const char *attrs, XnInstant now)
{
	g_autoptr(XnFact) fact = fact_new (seq, ts, kind, subject, source, attrs);

	xn_link_verify_observe (f->v, fact, now, f->notes);
}

/* A link trap from the collector, with ifIndex 2. */
static void
trap (Fixture *f, gint64 seq, XnInstant ts, gboolean down, const char *subject)
{
	feed (f, seq, ts, down ? "trap.link-down" : "trap.link-up", subject, "collector",
	      down ? "{\"if_index\":2,\"admin_status\":\"up\",\"oper_status\":\"down\"}"
		   : "{\"if_index\":2,\"admin_status\":\"up\",\"oper_status\":\"up\"}", ts);
}

static XnLinkCheck *
take (Fixture *f, XnInstant now)
{
	const XnNode *node = NULL;
	XnLinkCheck *check = xn_link_verify_take (f->v, now, &node, f->notes);

	if (check != NULL)
		g_assert_cmpstr (node->name, ==, check->node);
	return check;
}

/* The answer to the check taken at `now`, given `now` too. */
static XnFact *
answer (Fixture *f, XnLinkCheck *check, guint admin, guint oper, XnInstant now)
{
	XnLinkAnswer a = { .kind = XN_LINK_ANSWER_STATUS, .sent = now, .admin_status = admin, .oper_status = oper };

	return xn_link_verify_answer (f->v, check, &a, now, f->notes);
}

static XnFact *
no_answer (Fixture *f, XnLinkCheck *check, XnInstant now)
{
	XnLinkAnswer a = { .kind = XN_LINK_ANSWER_SILENT, .sent = now, .reason = (char *) "no answer" };

	return xn_link_verify_answer (f->v, check, &a, now, f->notes);
}

/* How many notes at `level` contain `text`; the notes are then dropped. */
static guint
noted (Fixture *f, XnLinkNoteLevel level, const char *text)
{
	guint n = 0;

	for (guint i = 0; i < f->notes->len; i++) {
		const XnLinkNote *note = g_ptr_array_index (f->notes, i);

		if (note->level == level && strstr (note->text, text) != NULL)
			n++;
	}
	g_ptr_array_set_size (f->notes, 0);
	return n;
}

static gint64
attr_int (const XnFact *fact, const char *name)
{
	return json_object_get_int_member (fact->attrs, name);
}

static void
test_down_but_up (Fixture *f, gconstpointer data)
{
	g_autoptr(XnLinkCheck) early = NULL;
	g_autoptr(XnFact) fact = NULL;
	g_autofree char *line = NULL;
	XnLinkCheck *check;
	XnLinkVerifyStats stats;

	trap (f, 10, T0, TRUE, CORE_1);
	g_assert_cmpint (xn_link_verify_seen (f->v, CORE_1), ==, XN_LINK_SEEN_DOWN);
	g_assert_cmpint (xn_link_verify_next_due (f->v), ==, T0 + 5 * S);
	early = take (f, T0 + 4 * S);
	g_assert_null (early);
	check = take (f, T0 + 5 * S);
	g_assert_nonnull (check);
	g_assert_cmpstr (check->subject, ==, CORE_1);
	g_assert_cmpint (check->if_index, ==, 2);
	g_assert_cmpint (check->verifies, ==, 10);
	g_assert_cmpuint (xn_link_verify_in_flight (f->v), ==, 1);
	fact = answer (f, check, 1, 1, T0 + 5 * S);
	g_assert_nonnull (fact);
	fact->recorded = T0 + 6 * S;
	line = xn_fact_to_json_line (fact);
	g_assert_cmpstr (line, ==, "{\"ts\":\"2025-01-01T00:00:05.000000Z\",\"kind\":\"interface.up\","
			 "\"subject\":\"interface/core/ge-0/0/1\",\"source\":\"collector\","
			 "\"recorded\":\"2025-01-01T00:00:06.000000Z\",\"attrs\":{\"node\":\"core\","
			 "\"if_name\":\"ge-0/0/1\",\"if_index\":2,\"link\":\"L-1\",\"admin_status\":\"up\","
			 "\"oper_status\":\"up\",\"verifies\":10,\"method\":\"get\"}}");
	g_assert_true (xn_fact_validate (fact, NULL));
	g_assert_cmpuint (noted (f, XN_LINK_NOTE_NOTICE, CORE_1 ": the journal last said down (the trap of seq 10 "
				 "is checked), the agent says up: recorded as interface.up"), ==, 1);
	/* up: nothing more to check, and its own fact read back changes nothing */
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 0);
	g_assert_cmpint (xn_link_verify_next_due (f->v), ==, G_MAXINT64);
	fact->seq = 11;
	xn_link_verify_observe (f->v, fact, T0 + 7 * S, f->notes);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 0);
	g_assert_cmpint (xn_link_verify_seen (f->v, CORE_1), ==, XN_LINK_SEEN_UP);
	xn_link_verify_get_stats (f->v, &stats);
	g_assert_cmpuint (stats.started, ==, 1);
	g_assert_cmpuint (stats.answered, ==, 1);
	g_assert_cmpuint (stats.recorded[XN_LINK_SEEN_UP], ==, 1);
}

static void
test_down_until_up (Fixture *f, gconstpointer data)
{
	g_autoptr(XnFact) fact = NULL;
	XnInstant at = T0 + 5 * S;

	trap (f, 10, T0, TRUE, CORE_1);
	/* down, as the trap said: nothing, and again every interval */
	for (guint i = 0; i < 3; i++) {
		g_assert_cmpint (xn_link_verify_next_due (f->v), ==, at);
		g_assert_null (answer (f, take (f, at), 1, 2, at));
		g_assert_cmpuint (noted (f, XN_LINK_NOTE_DEBUG, CORE_1 ": down, as the journal says"), ==, 1);
		at += 60 * S;
	}
	/* lowerLayerDown is down too */
	g_assert_null (answer (f, take (f, at), 1, 7, at));
	at += 60 * S;
	fact = answer (f, take (f, at), 1, 1, at);
	g_assert_cmpstr (fact->kind, ==, "interface.up");
	g_assert_cmpint (fact->ts, ==, at);
	g_assert_cmpint (attr_int (fact, "verifies"), ==, 10);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 0);
}

static void
test_up_but_down (Fixture *f, gconstpointer data)
{
	g_autoptr(XnFact) down = NULL;
	g_autoptr(XnFact) up = NULL;
	g_autoptr(XnFact) agrees = NULL;
	XnInstant at = T0 + 5 * S;

	trap (f, 10, T0, FALSE, CORE_1);
	down = answer (f, take (f, at), 1, 2, at);
	g_assert_cmpstr (down->kind, ==, "interface.down");
	g_assert_cmpstr (json_object_get_string_member (down->attrs, "oper_status"), ==, "down");
	g_assert_cmpint (attr_int (down, "verifies"), ==, 10);
	/* its own record read back: still down, so the checks go on */
	down->seq = 11;
	xn_link_verify_observe (f->v, down, at + S, f->notes);
	g_assert_cmpint (xn_link_verify_next_due (f->v), ==, at + 60 * S);
	up = answer (f, take (f, at + 60 * S), 1, 1, at + 60 * S);
	g_assert_cmpstr (up->kind, ==, "interface.up");
	g_assert_cmpint (attr_int (up, "verifies"), ==, 10);

	/* a link-up that the answer confirms: nothing, and no more checks */
	trap (f, 20, T0 + 600 * S, FALSE, AGG_0);
	agrees = answer (f, take (f, T0 + 605 * S), 1, 1, T0 + 605 * S);
	g_assert_null (agrees);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 0);
}

static void
test_admin_down (Fixture *f, gconstpointer data)
{
	g_autoptr(XnFact) admin = NULL;
	g_autoptr(XnFact) up = NULL;
	XnInstant at = T0 + 5 * S;

	/* switched off after a link-down: the outage engine keeps the fault
	 * open, so the checks go on until it is up */
	trap (f, 10, T0, TRUE, CORE_1);
	admin = answer (f, take (f, at), 2, 2, at);
	g_assert_cmpstr (admin->kind, ==, "interface.admin-down");
	g_assert_cmpstr (json_object_get_string_member (admin->attrs, "admin_status"), ==, "down");
	g_assert_null (answer (f, take (f, at + 60 * S), 2, 2, at + 60 * S));
	up = answer (f, take (f, at + 120 * S), 1, 1, at + 120 * S);
	g_assert_cmpstr (up->kind, ==, "interface.up");

	/* a linkDown saying admin down is no fault: nothing to check */
	feed (f, 30, T0 + 900 * S, "trap.link-down", AGG_0, "collector",
	      "{\"if_index\":3,\"admin_status\":\"down\",\"oper_status\":\"down\"}", T0 + 900 * S);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 0);
	g_assert_cmpint (xn_link_verify_seen (f->v, AGG_0), ==, XN_LINK_SEEN_ADMIN_DOWN);
}

static void
test_moot (Fixture *f, gconstpointer data)
{
	XnLinkCheck *check;
	XnLinkVerifyStats stats;

	/* the poller saw it up after the trap: nothing to check */
	trap (f, 10, T0, TRUE, CORE_1);
	feed (f, 11, T0 + 2 * S, "interface.up", CORE_1, "poller", "{\"if_index\":2}", T0 + 2 * S);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 0);
	g_assert_cmpuint (noted (f, XN_LINK_NOTE_DEBUG, "interface.up from poller (seq 11)"), ==, 1);
	/* the poller saw it down: its next change will say */
	trap (f, 12, T0 + 10 * S, TRUE, CORE_1);
	feed (f, 13, T0 + 11 * S, "interface.down", CORE_1, "poller", "{\"if_index\":2}", T0 + 11 * S);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 0);
	/* a poll from before the trap, appended after it, does not answer it */
	trap (f, 14, T0 + 20 * S, TRUE, CORE_1);
	feed (f, 15, T0 + 19 * S, "interface.up", CORE_1, "poller", "{\"if_index\":2}", T0 + 21 * S);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 1);
	g_assert_cmpint (xn_link_verify_seen (f->v, CORE_1), ==, XN_LINK_SEEN_DOWN);

	/* a report while the GET is out: its answer is for nothing */
	check = take (f, T0 + 25 * S);
	g_assert_nonnull (check);
	feed (f, 16, T0 + 26 * S, "interface.up", CORE_1, "poller", "{\"if_index\":2}", T0 + 26 * S);
	g_assert_null (answer (f, check, 1, 2, T0 + 27 * S));
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 0);

	/* a new trap while the GET is out: the old answer is for nothing, the
	 * new trap gets its own check */
	trap (f, 17, T0 + 30 * S, TRUE, CORE_1);
	check = take (f, T0 + 35 * S);
	trap (f, 18, T0 + 36 * S, TRUE, CORE_1);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 0);
	g_assert_null (answer (f, check, 1, 1, T0 + 37 * S));
	g_assert_cmpint (xn_link_verify_next_due (f->v), ==, T0 + 41 * S);
	check = take (f, T0 + 41 * S);
	g_assert_cmpint (check->verifies, ==, 18);
	xn_link_check_free (check);
	xn_link_verify_get_stats (f->v, &stats);
	g_assert_cmpuint (stats.moot, ==, 2);
}

static void
test_dedupe_and_window (Fixture *f, gconstpointer data)
{
	XnLinkCheck *agg, *core;
	XnInstant at = T0 + 100 * S;

	/* a storm: one check per interface, for its latest trap (CORE_1 down
	 * at seq 999, AGG_0 up at 998, CORE_2 up at 1000) */
	for (gint64 seq = 1; seq <= 1000; seq++)
		trap (f, seq, T0 + seq * 1000, seq % 2 == 1, seq % 3 == 0 ? CORE_1 : seq % 3 == 1 ? CORE_2 : AGG_0);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 3);
	/* one per node in flight: core's two interfaces one after the other */
	agg = take (f, at);
	core = take (f, at);
	g_assert_cmpstr (agg->subject, ==, AGG_0);
	g_assert_cmpstr (core->subject, ==, CORE_1);
	g_assert_cmpint (core->verifies, ==, 999);
	g_assert_null (take (f, at));
	g_assert_cmpuint (xn_link_verify_in_flight (f->v), ==, 2);
	g_assert_null (answer (f, agg, 1, 1, at));
	g_assert_null (take (f, at));
	g_assert_null (answer (f, core, 1, 2, at));
	core = take (f, at);
	g_assert_cmpstr (core->subject, ==, CORE_2);
	g_assert_null (answer (f, core, 1, 1, at));

	/* a window of 1: the second waits for the first's answer */
	trap (f, 1001, at, TRUE, AGG_0);
	f->config.window = 1;
	xn_link_verify_set_config (f->v, &f->config);
	agg = take (f, at + 60 * S);
	g_assert_cmpstr (agg->subject, ==, AGG_0);
	g_assert_null (take (f, at + 60 * S));
	g_assert_cmpint (xn_link_verify_next_due (f->v), ==, G_MAXINT64);
	g_assert_null (answer (f, agg, 1, 2, at + 60 * S));
	g_assert_cmpint (xn_link_verify_next_due (f->v), ==, at + 60 * S);
	core = take (f, at + 60 * S);
	g_assert_cmpstr (core->subject, ==, CORE_1);
	g_assert_null (answer (f, core, 1, 2, at + 60 * S));
}

static void
test_no_answer (Fixture *f, gconstpointer data)
{
	static const gint64 waits[] = { 5, 10, 20, 40, 60, 60 };
	g_autoptr(XnFact) fact = NULL;
	XnInstant at = T0 + 5 * S;
	XnLinkVerifyStats stats;

	trap (f, 10, T0, TRUE, CORE_1);
	trap (f, 11, T0, TRUE, CORE_2);
	for (guint i = 0; i < G_N_ELEMENTS (waits); i++) {
		g_assert_null (no_answer (f, take (f, at), at));
		g_assert_cmpuint (noted (f, XN_LINK_NOTE_WARNING, "node core: the check of ge-0/0/1 after the trap of seq 10 "
					 "failed: no answer; its link checks are retried"), ==, i == 0 ? 1 : 0);
		/* the other interface of the same node, the next time round */
		g_assert_null (no_answer (f, take (f, at), at));
		g_assert_cmpuint (noted (f, XN_LINK_NOTE_WARNING, "failed"), ==, 0);
		g_assert_cmpint (xn_link_verify_next_due (f->v), ==, at + waits[i] * S);
		at += waits[i] * S;
	}
	fact = answer (f, take (f, at), 1, 1, at);
	g_assert_cmpstr (fact->kind, ==, "interface.up");
	g_assert_cmpuint (noted (f, XN_LINK_NOTE_NOTICE, "node core answers the link checks again"), ==, 1);
	xn_link_verify_get_stats (f->v, &stats);
	g_assert_cmpuint (stats.silent, ==, 12);
}

static void
test_give_up (Fixture *f, gconstpointer data)
{
	XnInstant at = T0 + 5 * S;
	XnLinkVerifyStats stats;

	f->config.give_up = 200 * S;
	xn_link_verify_set_config (f->v, &f->config);
	trap (f, 10, T0, TRUE, CORE_1);
	/* checks at 5, 65, 125, 185 s; the next would be at 245 s */
	for (guint i = 0; i < 4; i++, at += 60 * S)
		g_assert_null (answer (f, take (f, at), 1, 2, at));
	g_assert_cmpuint (noted (f, XN_LINK_NOTE_NOTICE, CORE_1 ": still down by what the journal says, 200 s after "
				 "the trap of seq 10: its checks are given up"), ==, 1);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 0);
	xn_link_verify_get_stats (f->v, &stats);
	g_assert_cmpuint (stats.gave_up, ==, 1);
	/* a check due but taken too late (the loop was stopped) is given up there */
	trap (f, 11, T0 + 1000 * S, TRUE, CORE_1);
	g_assert_null (take (f, T0 + 1201 * S));
	g_assert_cmpuint (noted (f, XN_LINK_NOTE_NOTICE, "given up"), ==, 1);
}

static void
test_cannot_check (Fixture *f, gconstpointer data)
{
	g_autoptr(XnLinkCheck) check = NULL;

	/* dark has no SNMP endpoint: said once */
	trap (f, 10, T0, TRUE, DARK_0);
	g_assert_null (take (f, T0 + 5 * S));
	g_assert_cmpuint (noted (f, XN_LINK_NOTE_NOTICE, "node dark has no SNMP endpoint in the inventory"), ==, 1);
	trap (f, 11, T0 + 10 * S, TRUE, DARK_0);
	g_assert_null (take (f, T0 + 15 * S));
	g_assert_cmpuint (noted (f, XN_LINK_NOTE_NOTICE, "no SNMP endpoint"), ==, 0);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 0);

	/* no ifIndex from the trap, and none from the poller yet */
	feed (f, 12, T0 + 20 * S, "trap.link-down", AGG_0, "collector", "{\"if_index\":null}", T0 + 20 * S);
	g_assert_null (take (f, T0 + 25 * S));
	g_assert_cmpuint (noted (f, XN_LINK_NOTE_NOTICE, AGG_0 ": the trap of seq 12 is not checked: no ifIndex"), ==, 1);
	/* the poller's facts give it; a later trap without one uses it */
	feed (f, 13, T0 + 30 * S, "interface.up", AGG_0, "poller", "{\"if_index\":7}", T0 + 30 * S);
	feed (f, 14, T0 + 40 * S, "trap.link-down", AGG_0, "collector", "{\"if_index\":null}", T0 + 40 * S);
	check = take (f, T0 + 45 * S);
	g_assert_cmpint (check->if_index, ==, 7);

	/* not a link end, not an interface: nothing */
	trap (f, 15, T0 + 50 * S, TRUE, "interface/core/ge-9/9/9");
	feed (f, 16, T0 + 50 * S, "trap.link-down", "node/core", "collector", "{}", T0 + 50 * S);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 0);
	g_assert_cmpint (xn_link_verify_seen (f->v, "interface/core/ge-9/9/9"), ==, XN_LINK_SEEN_NOTHING);
}

static void
test_history (Fixture *f, gconstpointer data)
{
	XnInstant now = T0 + 7200 * S;
	g_autoptr(XnLinkCheck) check = NULL;

	/* read at a start two hours later: a link-down beyond the give-up time
	 * and a link-up long checked start nothing; a link-down within it is
	 * due at once */
	feed (f, 10, T0, "trap.link-down", CORE_1, "collector", "{\"if_index\":2}", now);
	feed (f, 11, T0 + 3000 * S, "trap.link-up", CORE_2, "collector", "{\"if_index\":3}", now);
	feed (f, 12, T0 + 5000 * S, "trap.link-down", AGG_0, "collector", "{\"if_index\":4}", now);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 1);
	g_assert_cmpint (xn_link_verify_next_due (f->v), ==, T0 + 5005 * S);
	/* the journal read again from its start (another topology): passed over */
	feed (f, 11, T0 + 6000 * S, "trap.link-down", CORE_2, "collector", "{\"if_index\":3}", now);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 1);
	check = take (f, now);
	g_assert_cmpstr (check->subject, ==, AGG_0);
	g_assert_cmpint (check->verifies, ==, 12);

	/* another journal: its seqs start again */
	xn_link_verify_reset (f->v);
	g_assert_cmpint (xn_link_verify_seen (f->v, AGG_0), ==, XN_LINK_SEEN_NOTHING);
	trap (f, 1, now, TRUE, CORE_1);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 1);
}

static void
test_reload (Fixture *f, gconstpointer data)
{
	g_autoptr(XnInventory) small = inventory_new (TRUE);
	XnLinkCheck *check;

	trap (f, 10, T0, TRUE, CORE_1);
	trap (f, 11, T0, TRUE, CORE_2);
	trap (f, 12, T0, TRUE, AGG_0);
	check = take (f, T0 + 5 * S);
	g_assert_cmpstr (check->subject, ==, AGG_0);
	/* L-1 gone: its ends are forgotten; core's ge-0/0/2 keeps its check */
	xn_link_verify_set_inventory (f->v, small);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 1);
	g_assert_null (answer (f, check, 1, 1, T0 + 6 * S));
	check = take (f, T0 + 6 * S);
	g_assert_cmpstr (check->subject, ==, CORE_2);
	g_assert_cmpint (check->verifies, ==, 11);
	g_assert_null (answer (f, check, 1, 2, T0 + 6 * S));
	trap (f, 13, T0 + 10 * S, TRUE, CORE_1);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 1);
	/* the old inventory may go now */
	xn_inventory_free (g_steal_pointer (&f->inventory));
	f->inventory = g_steal_pointer (&small);
}

typedef struct {
	const char *name;
	XnSnmpReply reply;
	XnLinkAnswerKind kind;
	guint       admin, oper;
	const char *reason;
} ReplyCase;

static const XnSubid oper_2[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 2 };
static const XnSubid admin_2[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 7, 2 };
static const XnSubid name_2[] = { 1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1, 2 };
static const XnSubid oper_3[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 3 };

#define VB_OID(a) { (a), G_N_ELEMENTS (a) }

static void
test_get (void)
{
	XnLinkCheck check = { .node = (char *) "core", .subject = (char *) CORE_1, .if_name = (char *) "ge-0/0/1",
			      .if_index = 2, .verifies = 10 };
	XnSubid arcs[3][16];
	XnOid oids[3];
	const XnVarbind up[] = {
		{ .name = VB_OID (oper_2), .type = XN_ASN_INTEGER, .integer = 1 },
		{ .name = VB_OID (admin_2), .type = XN_ASN_INTEGER, .integer = 1 },
		{ .name = VB_OID (name_2), .type = XN_ASN_OCTET_STRING, .octets = (const guint8 *) "ge-0/0/1", .octets_len = 8 },
	};
	const XnVarbind renamed[] = {
		{ .name = VB_OID (oper_2), .type = XN_ASN_INTEGER, .integer = 2 },
		{ .name = VB_OID (admin_2), .type = XN_ASN_INTEGER, .integer = 1 },
		{ .name = VB_OID (name_2), .type = XN_ASN_OCTET_STRING, .octets = (const guint8 *) "eth\xff", .octets_len = 4 },
	};
	const XnVarbind no_row[] = {
		{ .name = VB_OID (oper_2), .type = XN_ASN_NO_SUCH_INSTANCE },
		{ .name = VB_OID (admin_2), .type = XN_ASN_NO_SUCH_INSTANCE },
		{ .name = VB_OID (name_2), .type = XN_ASN_NO_SUCH_INSTANCE },
	};
	const XnVarbind no_ifx[] = {
		{ .name = VB_OID (oper_2), .type = XN_ASN_INTEGER, .integer = 2 },
		{ .name = VB_OID (admin_2), .type = XN_ASN_INTEGER, .integer = 2 },
		{ .name = VB_OID (name_2), .type = XN_ASN_NO_SUCH_OBJECT },
	};
	const XnVarbind other[] = { { .name = VB_OID (oper_3), .type = XN_ASN_INTEGER, .integer = 1 } };
	const ReplyCase cases[] = {
		{ "up", { .kind = XN_SNMP_REPLY_RESPONSE, .varbinds = up, .n_varbinds = 3 }, XN_LINK_ANSWER_STATUS, 1, 1, NULL },
		{ "no ifXTable", { .kind = XN_SNMP_REPLY_RESPONSE, .varbinds = no_ifx, .n_varbinds = 3 },
		  XN_LINK_ANSWER_STATUS, 2, 2, NULL },
		{ "renamed", { .kind = XN_SNMP_REPLY_RESPONSE, .varbinds = renamed, .n_varbinds = 3 },
		  XN_LINK_ANSWER_ELSEWHERE, 1, 2, "ifIndex 2 is 'eth\xef\xbf\xbd' on the agent now, not ge-0/0/1" },
		{ "no row", { .kind = XN_SNMP_REPLY_RESPONSE, .varbinds = no_row, .n_varbinds = 3 },
		  XN_LINK_ANSWER_ELSEWHERE, 0, 0, "the agent has no ifOperStatus.2 (no such interface)" },
		{ "another row", { .kind = XN_SNMP_REPLY_RESPONSE, .varbinds = other, .n_varbinds = 1 },
		  XN_LINK_ANSWER_ELSEWHERE, 0, 0, "the agent has no ifOperStatus.2 (no such interface)" },
		{ "v1 noSuchName", { .kind = XN_SNMP_REPLY_RESPONSE, .error_status = 2, .error_index = 1 },
		  XN_LINK_ANSWER_ELSEWHERE, 0, 0, "the agent has no ifIndex 2 (noSuchName)" },
		{ "genErr", { .kind = XN_SNMP_REPLY_RESPONSE, .error_status = 5, .error_index = 2 },
		  XN_LINK_ANSWER_REFUSED, 0, 0, "the agent answered error-status 5 (varbind 2)" },
		{ "timeout", { .kind = XN_SNMP_REPLY_TIMEOUT, .reason = "no answer" }, XN_LINK_ANSWER_SILENT, 0, 0, "no answer" },
		{ "send failed", { .kind = XN_SNMP_REPLY_FAILED, .reason = "core: cannot send" },
		  XN_LINK_ANSWER_SILENT, 0, 0, "core: cannot send" },
		{ "auth", { .kind = XN_SNMP_REPLY_AUTH_FAILED, .reason = "wrong digest" }, XN_LINK_ANSWER_REFUSED, 0, 0,
		  "wrong digest" },
	};

	g_assert_cmpuint (xn_link_check_request (&check, XN_SNMP_V2C, arcs, oids), ==, 3);
	g_assert_cmpuint (oids[0].len, ==, 11);
	g_assert_cmpmem (oids[0].arcs, 11 * sizeof (XnSubid), oper_2, sizeof oper_2);
	g_assert_cmpmem (oids[1].arcs, 11 * sizeof (XnSubid), admin_2, sizeof admin_2);
	g_assert_cmpmem (oids[2].arcs, 12 * sizeof (XnSubid), name_2, sizeof name_2);
	g_assert_cmpuint (xn_link_check_request (&check, XN_SNMP_V1, arcs, oids), ==, 2);
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		XnLinkAnswer a = { .reason = g_strdup ("left over") };

		g_test_message ("%s", cases[i].name);
		xn_link_answer_read (&a, &check, &cases[i].reply);
		g_assert_cmpint (a.kind, ==, cases[i].kind);
		if (cases[i].kind == XN_LINK_ANSWER_STATUS) {
			g_assert_cmpuint (a.admin_status, ==, cases[i].admin);
			g_assert_cmpuint (a.oper_status, ==, cases[i].oper);
		}
		g_assert_cmpstr (a.reason, ==, cases[i].reason);
		xn_link_answer_clear (&a);
	}
}

static void
test_elsewhere (Fixture *f, gconstpointer data)
{
	XnLinkAnswer a = { .kind = XN_LINK_ANSWER_ELSEWHERE, .sent = T0 + 5 * S,
			   .reason = (char *) "ifIndex 2 is 'eth9' on the agent now, not ge-0/0/1" };

	trap (f, 10, T0, TRUE, CORE_1);
	g_assert_null (xn_link_verify_answer (f->v, take (f, T0 + 5 * S), &a, T0 + 5 * S, f->notes));
	g_assert_cmpuint (noted (f, XN_LINK_NOTE_WARNING, CORE_1 ": the trap of seq 10 is not checked further: ifIndex 2 "
				 "is 'eth9' on the agent now"), ==, 1);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 0);
}

static void
test_off (Fixture *f, gconstpointer data)
{
	f->config.window = 0;
	xn_link_verify_set_config (f->v, &f->config);
	trap (f, 10, T0, TRUE, CORE_1);
	g_assert_cmpuint (xn_link_verify_waiting (f->v), ==, 0);
	g_assert_null (take (f, T0 + 5 * S));
	g_assert_cmpint (xn_link_verify_next_due (f->v), ==, G_MAXINT64);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
	ADD ("/link-verify/down-but-up", test_down_but_up);
	ADD ("/link-verify/down-until-up", test_down_until_up);
	ADD ("/link-verify/up-but-down", test_up_but_down);
	ADD ("/link-verify/admin-down", test_admin_down);
	ADD ("/link-verify/moot", test_moot);
	ADD ("/link-verify/dedupe-and-window", test_dedupe_and_window);
	ADD ("/link-verify/no-answer", test_no_answer);
	ADD ("/link-verify/give-up", test_give_up);
	ADD ("/link-verify/cannot-check", test_cannot_check);
	ADD ("/link-verify/history", test_history);
	ADD ("/link-verify/reload", test_reload);
	ADD ("/link-verify/elsewhere", test_elsewhere);
	ADD ("/link-verify/off", test_off);
#undef ADD
	g_test_add_func ("/link-verify/get", test_get);
	return g_test_run ();
}

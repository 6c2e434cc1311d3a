/* test-ticket.c — sla/ticket*.c: which outages open tickets, their SLA
 * clocks and the events they raise, on small fact scenarios with a
 * virtual clock.
 *
 * Each case feeds facts (times as offsets from 2025-03-10 00:00 in
 * Asia/Shanghai; "30:00:00" is the next day at 06:00), advances `now` to
 * the end, takes every event, and compares them and every ticket,
 * printed one per line (test-ticket-util.h), with lines written out by
 * hand from doc/sla.md. The correlation window is the default 600 s, so a
 * carrier outage opens its ticket 10 minutes after it started; R is when
 * the opening fact was recorded. Snapshots and batches are in
 * test-ticket-replay.c, messages in test-ticket-message.c. */
#include "test-ticket-util.h"
#include "xn-error.h"

#include <string.h>

typedef struct {
	const TFixtures *fx;
	const char      *name;
	gboolean         hand;           /* the hand-made inventory instead of the county */
	TF               facts[10];
	const char      *advance;        /* NULL, or advance to this offset after the facts */
	const char      *events;
	const char      *tickets;
} Case;

#define ACK(at, id)  { at, "fault.acknowledged", "ticket/" id, "{\"carrier_ref\":\"DX-7781\",\"contact\":\"王工\"}", NULL }

static void
test_case (gconstpointer data)
{
	const Case *c = data;
	g_autoptr(XnTicketEngine) engine = tengine (c->hand ? c->fx->hand : c->fx->county, -1, NULL);
	g_autofree char *events = NULL, *tickets = NULL;

	tfeed_all (engine, c->facts);
	if (c->advance != NULL)
		xn_ticket_engine_advance (engine, tat (c->advance));
	events = ttake (engine);
	tickets = tdescribe_tickets (engine);
	g_assert_cmpstr (events, ==, c->events);
	g_assert_cmpstr (tickets, ==, c->tickets);
}

static Case cases[] = {
	/* Township: 6 h. No acknowledgement: the response escalates at
	 * 100 % and 150 %; the 200 % step falls after the restore. */
	{ NULL, "class/township", FALSE,
	  { { "10:00:00", T_IF_DOWN, T_DQ, NULL, "10:00:05" }, { "12:00:00", T_IF_UP, T_DQ, NULL, NULL } },
	  "13:00:00",
	  "10:10:00 XN-000001#opened telecom\n"
	  "11:00:05 XN-000001-R#1 telecom over=0\n"
	  "11:30:05 XN-000001-R#2 telecom over=1800\n"
	  "12:10:00 XN-000001#closed telecom\n",
	  "XN-000001 closed carrier telecom township R=10:00:05 resp=11:00:05 rest=16:00:05 restored=12:00:00 "
	  "closed=12:10:00 units=qingshan-clinic,qingshan-gov outages=1:link/L-dong-qingshan(root)\n" },
	/* County-direct unit: 2 h. Acknowledged in time; restored late. */
	{ NULL, "class/county-unit", FALSE,
	  { { "10:00:00", T_IF_DOWN, T_DF, NULL, NULL }, ACK ("10:30:00", "XN-000001"),
	    { "12:30:00", T_IF_UP, T_DF, NULL, NULL } },
	  "13:00:00",
	  "10:10:00 XN-000001#opened telecom\n"
	  "12:00:00 XN-000001-S#1 telecom over=0\n"
	  "12:40:00 XN-000001#closed telecom\n",
	  "XN-000001 closed carrier telecom county-unit R=10:00:00 resp=11:00:00 rest=12:00:00 restored=12:30:00 "
	  "closed=12:40:00 units=dong-finance outages=1:link/L-dong-finance(root)\n" },
	/* Core room: 4 h (the township it cuts off has 6 h). Restored at the
	 * response deadline itself: nothing escalates. */
	{ NULL, "class/core-room", TRUE,
	  { { "10:00:00", T_IF_DOWN, "interface/core/ge-0/0/1", NULL, NULL },
	    { "11:00:00", T_IF_UP, "interface/core/ge-0/0/1", NULL, NULL } },
	  "12:00:00",
	  "10:10:00 XN-000001#opened telecom\n"
	  "11:10:00 XN-000001#closed telecom\n",
	  "XN-000001 closed carrier telecom core-room R=10:00:00 resp=11:00:00 rest=14:00:00 restored=11:00:00 "
	  "closed=11:10:00 units=town-gov outages=1:link/L-core(root)\n" },
	/* A core-room node that cuts off county-direct units is held to their
	 * 2 h; its links are dependents. */
	{ NULL, "class/core-room-cuts-county-unit", FALSE,
	  { { "10:00:00", T_DOWN, "node/dong-core", NULL, "10:00:30" }, { "10:40:00", T_UP, "node/dong-core", NULL, NULL } },
	  "11:00:00",
	  "10:10:00 XN-000001#opened telecom\n"
	  "10:50:00 XN-000001#closed telecom\n",
	  "XN-000001 closed carrier telecom county-unit R=10:00:30 resp=11:00:30 rest=12:00:30 restored=10:40:00 "
	  "closed=10:50:00 units=baishui-gov,dong-finance,dong-health,qingshan-clinic,qingshan-gov,taohua-gov "
	  "outages=1:node/dong-core(root),1:link/L-city-dong(dependent),1:link/L-dong-baishui(dependent),"
	  "1:link/L-dong-finance(dependent),1:link/L-dong-health(dependent),1:link/L-dong-qingshan(dependent),"
	  "1:link/L-dong-taohua(dependent)\n" },
	/* Declared complex before the 6 h deadline: 48 h from R. */
	{ NULL, "complex/before-deadline", FALSE,
	  { { "10:00:00", T_IF_DOWN, T_DQ, NULL, NULL },
	    { "13:00:00", "fault.complex", "ticket/XN-000001", "{\"reason\":\"光缆被挖断 fibre cut\"}", NULL },
	    { "30:00:00", T_IF_UP, T_DQ, NULL, NULL } },
	  "31:00:00",
	  "10:10:00 XN-000001#opened telecom\n"
	  "11:00:00 XN-000001-R#1 telecom over=0\n"
	  "11:30:00 XN-000001-R#2 telecom over=1800\n"
	  "12:00:00 XN-000001-R#3 telecom over=3600\n"
	  "30:10:00 XN-000001#closed telecom\n",
	  "XN-000001 closed carrier telecom township R=10:00:00 resp=11:00:00 rest=58:00:00 restored=30:00:00 "
	  "closed=30:10:00 units=qingshan-clinic,qingshan-gov outages=1:link/L-dong-qingshan(root)\n" },
	/* Declared complex after the 2 h deadline: the breach stands; the next
	 * level is 150 % of 48 h, 24 h over the 48 h deadline. */
	{ NULL, "complex/after-deadline", FALSE,
	  { { "10:00:00", T_IF_DOWN, T_DF, NULL, NULL },
	    { "12:30:00", "fault.complex", "ticket/XN-000001", "{\"reason\":\"管道施工\"}", NULL },
	    { "90:00:00", T_IF_UP, T_DF, NULL, NULL } },
	  "91:00:00",
	  "10:10:00 XN-000001#opened telecom\n"
	  "11:00:00 XN-000001-R#1 telecom over=0\n"
	  "11:30:00 XN-000001-R#2 telecom over=1800\n"
	  "12:00:00 XN-000001-R#3 telecom over=3600\n"
	  "12:00:00 XN-000001-S#1 telecom over=0\n"
	  "82:00:00 XN-000001-S#2 telecom over=86400\n"
	  "90:10:00 XN-000001#closed telecom\n",
	  "XN-000001 closed carrier telecom county-unit R=10:00:00 resp=11:00:00 rest=12:00:00 restored=90:00:00 "
	  "closed=90:10:00 units=dong-finance outages=1:link/L-dong-finance(root)\n" },
	/* Acknowledged ten minutes late: level 1 only. */
	{ NULL, "response/missed", FALSE,
	  { { "10:00:00", T_IF_DOWN, T_DQ, NULL, NULL }, ACK ("11:10:00", "XN-000001"),
	    { "12:00:00", T_IF_UP, T_DQ, NULL, NULL } },
	  "13:00:00",
	  "10:10:00 XN-000001#opened telecom\n"
	  "11:00:00 XN-000001-R#1 telecom over=0\n"
	  "12:10:00 XN-000001#closed telecom\n",
	  "XN-000001 closed carrier telecom township R=10:00:00 resp=11:00:00 rest=16:00:00 restored=12:00:00 "
	  "closed=12:10:00 units=qingshan-clinic,qingshan-gov outages=1:link/L-dong-qingshan(root)\n" },
	/* Every level of both breaches, raised by one advance. */
	{ NULL, "escalation/every-level", FALSE,
	  { { "10:00:00", T_IF_DOWN, T_DQ, NULL, NULL } },
	  "23:00:00",
	  "10:10:00 XN-000001#opened telecom\n"
	  "11:00:00 XN-000001-R#1 telecom over=0\n"
	  "11:30:00 XN-000001-R#2 telecom over=1800\n"
	  "12:00:00 XN-000001-R#3 telecom over=3600\n"
	  "16:00:00 XN-000001-S#1 telecom over=0\n"
	  "19:00:00 XN-000001-S#2 telecom over=10800\n"
	  "22:00:00 XN-000001-S#3 telecom over=21600\n",
	  "XN-000001 open carrier telecom township R=10:00:00 resp=11:00:00 rest=16:00:00 restored=- "
	  "closed=- units=qingshan-clinic,qingshan-gov outages=1:link/L-dong-qingshan(root)\n" },
	/* Back down 5 minutes after the restore: the same ticket reopens, and
	 * the response, unmet at 11:00, escalates after all. */
	{ NULL, "flap/within-grace", FALSE,
	  { { "10:00:00", T_IF_DOWN, T_DQ, NULL, NULL }, { "10:50:00", T_IF_UP, T_DQ, NULL, NULL },
	    { "10:55:00", T_IF_DOWN, T_DQ, NULL, NULL }, { "11:30:00", T_IF_UP, T_DQ, NULL, NULL } },
	  "12:00:00",
	  "10:10:00 XN-000001#opened telecom\n"
	  "10:55:00 XN-000001#reopened-1 telecom\n"
	  "11:00:00 XN-000001-R#1 telecom over=0\n"
	  "11:40:00 XN-000001#closed telecom\n",
	  "XN-000001 closed carrier telecom township R=10:00:00 resp=11:00:00 rest=16:00:00 restored=11:30:00 "
	  "closed=11:40:00 units=qingshan-clinic,qingshan-gov "
	  "outages=1:link/L-dong-qingshan(root),3:link/L-dong-qingshan(flap)\n" },
	/* Back down 15 minutes after: the first ticket closed; a new one. */
	{ NULL, "flap/after-grace", FALSE,
	  { { "10:00:00", T_IF_DOWN, T_DQ, NULL, NULL }, { "10:50:00", T_IF_UP, T_DQ, NULL, NULL },
	    { "11:05:00", T_IF_DOWN, T_DQ, NULL, NULL }, { "11:30:00", T_IF_UP, T_DQ, NULL, NULL } },
	  "12:00:00",
	  "10:10:00 XN-000001#opened telecom\n"
	  "11:00:00 XN-000001#closed telecom\n"
	  "11:15:00 XN-000003#opened telecom\n"
	  "11:40:00 XN-000003#closed telecom\n",
	  "XN-000001 closed carrier telecom township R=10:00:00 resp=11:00:00 rest=16:00:00 restored=10:50:00 "
	  "closed=11:00:00 units=qingshan-clinic,qingshan-gov outages=1:link/L-dong-qingshan(root)\n"
	  "XN-000003 closed carrier telecom township R=11:05:00 resp=12:05:00 rest=17:05:00 restored=11:30:00 "
	  "closed=11:40:00 units=qingshan-clinic,qingshan-gov outages=3:link/L-dong-qingshan(root)\n" },
	/* The unit's own LAN: the carrier is told once, clocks stop, no
	 * breach; the later change to "operator" tells nobody. */
	{ NULL, "attribution/unit-lan", FALSE,
	  { { "10:00:00", T_IF_DOWN, T_DQ, NULL, NULL },
	    { "10:20:00", "fault.attributed", "ticket/XN-000001", "{\"to\":\"unit-lan\",\"reason\":\"单位交换机掉电\"}", NULL },
	    { "10:25:00", "fault.attributed", "ticket/XN-000001", "{\"to\":\"operator\",\"reason\":\"机房空开跳闸\"}", NULL },
	    { "20:30:00", T_IF_UP, T_DQ, NULL, NULL } },
	  "21:00:00",
	  "10:10:00 XN-000001#opened telecom\n"
	  "10:20:00 XN-000001#withdrawn telecom\n",
	  "XN-000001 closed operator telecom township R=10:00:00 resp=11:00:00 rest=16:00:00 restored=20:30:00 "
	  "closed=20:40:00 units=qingshan-clinic,qingshan-gov outages=1:link/L-dong-qingshan(root)\n" },
	/* A unit on the operator's own cabling: no carrier was ever told, so
	 * nothing is sent at all. */
	{ NULL, "attribution/nothing-sent", TRUE,
	  { { "10:00:00", "fault.reported", "unit/own-office", "{\"reporter\":\"李四\",\"description\":\"网络不通\",\"by\":\"phone\"}", NULL },
	    { "10:30:00", "fault.attributed", "ticket/XN-000001", "{\"to\":\"unit-lan\",\"reason\":\"网线松动\"}", NULL },
	    { "11:00:00", "fault.restore-confirmed", "ticket/XN-000001", "{\"note\":\"已恢复\"}", NULL } },
	  "12:00:00",
	  "",
	  "XN-000001 closed unit-lan - county-unit R=10:00:00 resp=11:00:00 rest=12:00:00 restored=11:00:00 "
	  "closed=11:10:00 units=own-office outages=\n" },
	/* Handed to a carrier half an hour after the call: its clocks start
	 * then. */
	{ NULL, "attribution/handover", TRUE,
	  { { "10:00:00", "fault.reported", "unit/own-office", "{\"reporter\":\"李四\",\"description\":\"网络不通\",\"by\":\"phone\"}", NULL },
	    { "10:30:00", "fault.attributed", "ticket/XN-000001", "{\"to\":\"carrier\",\"carrier\":\"telecom\",\"reason\":\"租用电路\"}", NULL } },
	  "13:00:00",
	  "10:30:00 XN-000001#opened telecom\n"
	  "11:30:00 XN-000001-R#1 telecom over=0\n"
	  "12:00:00 XN-000001-R#2 telecom over=1800\n"
	  "12:30:00 XN-000001-R#3 telecom over=3600\n"
	  "12:30:00 XN-000001-S#1 telecom over=0\n",
	  "XN-000001 open carrier telecom county-unit R=10:30:00 resp=11:30:00 rest=12:30:00 restored=- "
	  "closed=- units=own-office outages=\n" },
	/* The unit phoned 3 minutes before the link was seen down: the outage
	 * goes to the manual ticket, which only a confirmation restores. */
	{ NULL, "manual/then-outage", FALSE,
	  { { "10:00:00", "fault.reported", "unit/qingshan-gov", "{\"reporter\":\"青山镇网管\",\"description\":\"全镇断网\",\"by\":\"phone\"}", NULL },
	    { "10:03:00", T_IF_DOWN, T_DQ, NULL, "10:03:30" }, { "11:00:00", T_IF_UP, T_DQ, NULL, NULL },
	    { "11:00:00", "fault.restore-confirmed", "ticket/XN-000001", "{\"note\":\"运营商已修复\"}", "11:05:00" } },
	  "12:00:00",
	  "10:00:00 XN-000001#opened telecom\n"
	  "11:10:00 XN-000001#closed telecom\n",
	  "XN-000001 closed carrier telecom township R=10:00:00 resp=11:00:00 rest=16:00:00 restored=11:00:00 "
	  "closed=11:10:00 units=qingshan-clinic,qingshan-gov outages=2:link/L-dong-qingshan(root)\n" },
	/* A call about an incident already ticketed joins it, unannounced. */
	{ NULL, "manual/after-outage", FALSE,
	  { { "10:00:00", T_IF_DOWN, T_DQ, NULL, NULL },
	    { "10:20:00", "fault.reported", "unit/qingshan-clinic", "{\"reporter\":\"卫生院\",\"by\":\"phone\"}", NULL },
	    { "11:00:00", T_IF_UP, T_DQ, NULL, NULL } },
	  "12:00:00",
	  "10:10:00 XN-000001#opened telecom\n"
	  "11:10:00 XN-000001#closed telecom\n",
	  "XN-000001 closed carrier telecom township R=10:00:00 resp=11:00:00 rest=16:00:00 restored=11:00:00 "
	  "closed=11:10:00 units=qingshan-clinic,qingshan-gov outages=1:link/L-dong-qingshan(root)\n"
	  "XN-000002 merged carrier telecom township R=10:20:00 resp=11:20:00 rest=16:20:00 restored=- "
	  "closed=- units=qingshan-clinic outages= into=XN-000001\n" },
	/* The call came while the outage, reported earlier, was still within
	 * the correlation window: once confirmed, the automatic ticket opens
	 * and the call (already sent) is merged into it. */
	{ NULL, "manual/before-confirmation", FALSE,
	  { { "10:00:00", T_IF_DOWN, T_DQ, NULL, "10:02:00" },
	    { "10:05:00", "fault.reported", "unit/qingshan-gov", "{\"reporter\":\"青山镇网管\",\"by\":\"phone\"}", NULL },
	    { "11:00:00", T_IF_UP, T_DQ, NULL, NULL } },
	  "12:00:00",
	  "10:05:00 XN-000002#opened telecom\n"
	  "10:10:00 XN-000001#opened telecom\n"
	  "10:10:00 XN-000002#merged telecom\n"
	  "11:10:00 XN-000001#closed telecom\n",
	  "XN-000001 closed carrier telecom township R=10:02:00 resp=11:02:00 rest=16:02:00 restored=11:00:00 "
	  "closed=11:10:00 units=qingshan-clinic,qingshan-gov outages=1:link/L-dong-qingshan(root)\n"
	  "XN-000002 merged carrier telecom township R=10:05:00 resp=11:05:00 rest=16:05:00 restored=- "
	  "closed=- units=qingshan-gov outages= into=XN-000001\n" },
	/* A township seen down after its county node: a dependent. When the
	 * node returns the township's own switch (not the carrier's) keeps it
	 * down: that does not hold the carrier's ticket. */
	{ NULL, "dependent/attaches", FALSE,
	  { { "10:00:00", T_DOWN, "node/dong-core", NULL, NULL }, { "10:02:00", T_DOWN, "node/qingshan", NULL, NULL },
	    { "10:40:00", T_UP, "node/dong-core", NULL, NULL }, { "10:41:00", T_UP, "node/qingshan", NULL, NULL } },
	  "11:00:00",
	  "10:10:00 XN-000001#opened telecom\n"
	  "10:50:00 XN-000001#closed telecom\n",
	  "XN-000001 closed carrier telecom county-unit R=10:00:00 resp=11:00:00 rest=12:00:00 restored=10:40:00 "
	  "closed=10:50:00 units=baishui-gov,dong-finance,dong-health,qingshan-clinic,qingshan-gov,taohua-gov "
	  "outages=1:node/dong-core(root),1:link/L-city-dong(dependent),1:link/L-dong-baishui(dependent),"
	  "1:link/L-dong-finance(dependent),1:link/L-dong-health(dependent),1:link/L-dong-qingshan(dependent),"
	  "1:link/L-dong-taohua(dependent),2:node/qingshan(dependent)\n" },
	/* The county node's failure, 5 minutes after the link's, is recorded
	 * 25 minutes late: the link's ticket merges into the node's. The link
	 * stays down 5 minutes after the node returns, on its own: that holds
	 * the node's ticket. */
	{ NULL, "merge/late-parent", FALSE,
	  { { "10:00:00", T_IF_DOWN, T_QD, NULL, NULL }, { "10:05:00", T_DOWN, "node/dong-core", NULL, "10:25:00" },
	    { "10:40:00", T_UP, "node/dong-core", NULL, NULL }, { "10:45:00", T_IF_UP, T_QD, NULL, NULL } },
	  "11:00:00",
	  "10:10:00 XN-000001#opened telecom\n"
	  "10:25:00 XN-000001#merged telecom\n"
	  "10:25:00 XN-000002#opened telecom\n"
	  "10:55:00 XN-000002#closed telecom\n",
	  "XN-000001 merged carrier telecom township R=10:00:00 resp=11:00:00 rest=16:00:00 restored=- closed=- "
	  "units=qingshan-clinic,qingshan-gov outages=1:link/L-dong-qingshan(root) into=XN-000002\n"
	  "XN-000002 closed carrier telecom county-unit R=10:25:00 resp=11:25:00 rest=12:25:00 restored=10:45:00 "
	  "closed=10:55:00 units=baishui-gov,dong-finance,dong-health,qingshan-clinic,qingshan-gov,taohua-gov "
	  "outages=2:node/dong-core(root),2:link/L-city-dong(dependent),2:link/L-dong-baishui(dependent),"
	  "2:link/L-dong-finance(dependent),2:link/L-dong-health(dependent),2:link/L-dong-taohua(dependent),"
	  "1:link/L-dong-qingshan(merged)\n" },
};

/* The late parent of merge/late-parent is fed after `now` reached the
 * instant it was recorded, as the collector would have. */
static void
test_merge_late_parent (gconstpointer data)
{
	const Case *c = data;
	g_autoptr(XnTicketEngine) engine = tengine (c->fx->county, -1, NULL);
	g_autofree char *events = NULL, *tickets = NULL;

	tfeed (engine, 1, &c->facts[0]);
	xn_ticket_engine_advance (engine, tat ("10:25:00"));
	for (guint i = 1; c->facts[i].at != NULL; i++)
		tfeed (engine, i + 1, &c->facts[i]);
	xn_ticket_engine_advance (engine, tat (c->advance));
	events = ttake (engine);
	tickets = tdescribe_tickets (engine);
	g_assert_cmpstr (events, ==, c->events);
	g_assert_cmpstr (tickets, ==, c->tickets);
}

/* Met and missed, as the ticket says them. */
static void
test_met (gconstpointer data)
{
	const TFixtures *fx = data;
	const TF in_time[] = { { "10:00:00", T_IF_DOWN, T_DF, NULL, NULL }, ACK ("10:59:59", "XN-000001"),
			       { "11:30:00", T_IF_UP, T_DF, NULL, NULL }, { NULL } };
	const TF late[] = { { "10:00:00", T_IF_DOWN, T_DF, NULL, NULL }, ACK ("11:00:01", "XN-000001"),
			    { "12:00:01", T_IF_UP, T_DF, NULL, NULL }, { NULL } };
	g_autoptr(XnTicketEngine) a = tengine (fx->county, -1, NULL);
	g_autoptr(XnTicketEngine) b = tengine (fx->county, -1, NULL);
	g_autoptr(XnTicket) ta = NULL, tb = NULL;
	gboolean decided;

	tfeed_all (a, in_time);
	tfeed_all (b, late);
	/* Within the grace a met restore deadline is not decided yet. */
	ta = tlookup (a, "XN-000001");
	g_assert_true (xn_ticket_restore_met (ta, tat ("11:30:00"), &decided));
	g_assert_false (decided);
	g_clear_pointer (&ta, xn_ticket_free);
	xn_ticket_engine_advance (a, tat ("12:00:00"));
	xn_ticket_engine_advance (b, tat ("13:00:00"));
	ta = tlookup (a, "XN-000001");
	tb = tlookup (b, "XN-000001");
	g_assert_true (xn_ticket_response_met (ta, tat ("12:00:00"), &decided) && decided);
	g_assert_true (xn_ticket_restore_met (ta, tat ("12:00:00"), &decided) && decided);
	g_assert_cmpstr (ta->carrier_ref, ==, "DX-7781");
	g_assert_false (xn_ticket_response_met (tb, tat ("13:00:00"), &decided));
	g_assert_true (decided);
	g_assert_false (xn_ticket_restore_met (tb, tat ("13:00:00"), &decided));
	g_assert_true (decided);
}

/* What falls due with no new fact, and that advancing past it (not to
 * it) raises it at its own instant: the collector's timer rests on this. */
static void
test_next_due (gconstpointer data)
{
	const TFixtures *fx = data;
	const TF down = { "10:00:00", T_IF_DOWN, T_DQ, NULL, "10:00:05" };
	const TF ack = ACK ("11:10:00", "XN-000001");
	const TF up = { "12:00:00", T_IF_UP, T_DQ, NULL, NULL };
	g_autoptr(XnTicketEngine) engine = tengine (fx->county, -1, NULL);
	g_autofree char *opened = NULL, *breach = NULL, *closed = NULL;

	g_assert_cmpint (xn_ticket_engine_next_due (engine), ==, XN_TICKET_NONE);
	tfeed (engine, 1, &down);
	/* the carrier's outage stops being provisional: the ticket opens */
	g_assert_cmpint (xn_ticket_engine_next_due (engine), ==, tat ("10:10:00"));
	xn_ticket_engine_advance (engine, tat ("10:10:00"));
	opened = ttake (engine);
	g_assert_cmpstr (opened, ==, "10:10:00 XN-000001#opened telecom\n");
	/* R + 1 h; at the instant itself nothing is raised yet */
	g_assert_cmpint (xn_ticket_engine_next_due (engine), ==, tat ("11:00:05"));
	xn_ticket_engine_advance (engine, tat ("11:00:05"));
	g_assert_cmpuint (xn_ticket_engine_pending_events (engine), ==, 0);
	xn_ticket_engine_advance (engine, tat ("11:00:05") + 1);
	breach = ttake (engine);
	g_assert_cmpstr (breach, ==, "11:00:05 XN-000001-R#1 telecom over=0\n");
	g_assert_cmpint (xn_ticket_engine_next_due (engine), ==, tat ("11:30:05"));
	/* acknowledged: the restore breach at R + 6 h is next */
	tfeed (engine, 2, &ack);
	g_assert_cmpint (xn_ticket_engine_next_due (engine), ==, tat ("16:00:05"));
	tfeed (engine, 3, &up);
	g_assert_cmpint (xn_ticket_engine_next_due (engine), ==, tat ("12:10:00"));
	xn_ticket_engine_advance (engine, tat ("12:10:01"));
	closed = ttake (engine);
	g_assert_cmpstr (closed, ==, "12:10:00 XN-000001#closed telecom\n");
	g_assert_cmpint (xn_ticket_engine_next_due (engine), ==, XN_TICKET_NONE);
}

/* Facts the engine cannot apply are counted, never refused. */
static void
test_counted (gconstpointer data)
{
	const TFixtures *fx = data;
	const TF facts[] = {
		{ "10:00:00", T_IF_DOWN, T_DQ, NULL, NULL },
		{ "10:20:00", "fault.acknowledged", "ticket/XN-999999", "{}", NULL },
		{ "10:21:00", "fault.reported", "unit/no-such-unit", "{}", NULL },
		{ "10:22:00", "fault.attributed", "ticket/XN-000001", "{\"to\":\"unit-lan\",\"reason\":\"\"}", NULL },
		{ "10:23:00", "fault.attributed", "ticket/XN-000001", "{\"to\":\"carrier\",\"carrier\":\"nobody\",\"reason\":\"x\"}", NULL },
		{ "10:24:00", "fault.complex", "ticket/XN-000001", "{}", NULL },
		{ "10:25:00", "fault.acknowledged", "ticket/XN-000001-R", "{\"carrier_ref\":\"\"}", NULL },
		{ "11:00:00", T_IF_UP, T_DQ, NULL, NULL },
		{ "12:00:00", "fault.acknowledged", "ticket/XN-000001", "{}", NULL },
		{ NULL } };
	g_autoptr(XnTicketEngine) engine = tengine (fx->county, -1, NULL);
	g_autoptr(XnTicket) t = NULL, by_breach = NULL;
	XnTicketStats stats;

	tfeed_all (engine, facts);
	xn_ticket_engine_stats (engine, &stats);
	g_assert_cmpuint (stats.unknown, ==, 2);
	g_assert_cmpuint (stats.invalid, ==, 3);
	g_assert_cmpuint (stats.applied, ==, 1);
	g_assert_cmpuint (stats.late, ==, 1);
	t = tlookup (engine, "XN-000001");
	g_assert_cmpint (t->acknowledged, ==, tat ("10:25:00"));
	by_breach = tlookup (engine, "XN-000001-S");
	g_assert_cmpstr (by_breach->id, ==, "XN-000001");
	g_assert_null (xn_ticket_engine_lookup (engine, "XN-000002"));
}

/* A fact out of order is refused, and nothing of the batch is applied. */
static void
test_refused (gconstpointer data)
{
	const TFixtures *fx = data;
	const TF f = { "10:00:00", T_IF_DOWN, T_DQ, NULL, NULL };
	g_autoptr(XnTicketEngine) engine = tengine (fx->county, -1, NULL);
	g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_fact_free);
	g_autoptr(GError) error = NULL;
	g_autofree char *before = NULL, *after = NULL;

	tfeed (engine, 5, &f);
	before = xn_ticket_engine_snapshot (engine);
	g_ptr_array_add (batch, tfact (6, &f));
	g_ptr_array_add (batch, tfact (4, &f));
	g_assert_false (xn_ticket_engine_feed_all (engine, batch, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_nonnull (strstr (error->message, "seq 4"));
	after = xn_ticket_engine_snapshot (engine);
	g_assert_cmpstr (before, ==, after);
}

/* What `extranoc ticket show` prints explains each number. */
static void
test_show (gconstpointer data)
{
	const TFixtures *fx = data;
	const TF facts[] = { { "10:00:00", T_IF_DOWN, T_DF, NULL, "10:00:05" }, ACK ("10:40:00", "XN-000001"),
			     { "12:30:00", T_IF_UP, T_DF, NULL, NULL }, { NULL } };
	g_autoptr(XnTicketEngine) engine = tengine (fx->county, -1, NULL);
	g_autoptr(XnTicket) t = NULL;
	g_autoptr(JsonObject) o = NULL;
	JsonObject *response, *restore, *report, *sla;
	JsonArray *points;

	tfeed_all (engine, facts);
	xn_ticket_engine_advance (engine, tat ("13:00:00"));
	t = tlookup (engine, "XN-000001");
	o = xn_ticket_to_json (t, tat ("13:00:00"), fx->tz);
	report = json_object_get_object_member (o, "report");
	g_assert_cmpstr (json_object_get_string_member (report, "at"), ==, "2025-03-10T02:00:05.000000Z");
	g_assert_cmpstr (json_object_get_string_member (report, "at_local"), ==, "2025-03-10T10:00:05+08:00");
	g_assert_cmpstr (json_object_get_string_member (report, "explanation"), ==,
			 "when fact 1, which opened outage 1:link/L-dong-finance, was recorded");
	sla = json_object_get_object_member (o, "sla_class");
	g_assert_cmpstr (json_object_get_string_member (sla, "class"), ==, "county-unit");
	g_assert_cmpstr (json_object_get_string_member (sla, "policy"), ==, "policy/fault-repair/restore-target/county-unit");
	g_assert_cmpstr (json_object_get_string_member (sla, "why"), ==,
			 "the shortest restore target among the ticket's site dong-gov-campus (link sla-site) and the "
			 "sites of the 1 affected units: county-unit at site dong-gov-campus");
	response = json_object_get_object_member (o, "response");
	g_assert_cmpstr (json_object_get_string_member (response, "arithmetic"), ==,
			 "2025-03-10T02:00:05.000000Z + 3600 s = 2025-03-10T03:00:05.000000Z");
	g_assert_cmpstr (json_object_get_string_member (response, "result"), ==, "met by 1205 s");
	restore = json_object_get_object_member (o, "restore");
	g_assert_cmpstr (json_object_get_string_member (restore, "arithmetic"), ==,
			 "2025-03-10T02:00:05.000000Z + 7200 s = 2025-03-10T04:00:05.000000Z");
	g_assert_cmpstr (json_object_get_string_member (restore, "result"), ==, "missed by 1795 s");
	points = json_object_get_array_member (json_object_get_object_member (o, "escalation"), "restore");
	g_assert_cmpuint (json_array_get_length (points), ==, 3);
	g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (points, 1), "arithmetic"), ==,
			 "2025-03-10T02:00:05.000000Z + 7200 s × 150 %");
	g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (points, 0), "raised"), ==,
			 "2025-03-10T04:00:05.000000Z");
	g_assert_true (json_object_get_null_member (json_array_get_object_element (points, 1), "raised"));
	g_assert_cmpstr (json_object_get_string_member (o, "closed"), ==, "2025-03-10T04:40:00.000000Z");
	g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "events")), ==, 3);
}

static void
test_options (void)
{
	g_auto(XnTicketOptions) options = { 0 };
	g_autoptr(XnPolicy) policy = xn_policy_new ();
	g_autoptr(GError) error = NULL;
	const guint bad[] = { 100, 100 };
	const guint good[] = { 50, 100 };

	xn_ticket_options_init (&options);
	g_assert_true (xn_ticket_options_validate (&options, NULL));
	g_assert_cmpint (xn_ticket_options_restore_target (&options, "township"), ==, 6 * XN_USEC_PER_HOUR);
	g_assert_cmpuint (options.n_escalation, ==, 3);
	g_assert_cmpuint (options.escalation[2], ==, 200);
	g_assert_cmpint (options.grace_us, ==, 600 * XN_USEC_PER_SEC);
	xn_policy_set_restore_target (policy, "township", 5 * XN_USEC_PER_HOUR);
	xn_policy_set_restore_target (policy, "xn:islands", 12 * XN_USEC_PER_HOUR);
	xn_policy_set_response_target (policy, 30 * XN_USEC_PER_MINUTE);
	g_assert_true (xn_policy_set_escalation (policy, (const guint[]) { 300, 100 }, 2));
	xn_policy_set_flap_grace (policy, 45 * XN_USEC_PER_SEC);
	xn_policy_set_noc_contact (policy, "运维值班室", "0000-12345", NULL);
	g_assert_true (xn_ticket_options_from_policy (&options, policy, &error));
	g_assert_no_error (error);
	g_assert_cmpuint (options.n_escalation, ==, 2);
	g_assert_cmpuint (options.escalation[0], ==, 100);
	g_assert_cmpuint (options.escalation[1], ==, 300);
	g_assert_cmpint (options.grace_us, ==, 45 * XN_USEC_PER_SEC);
	g_assert_cmpstr (options.noc_name, ==, "运维值班室");
	g_assert_cmpstr (options.noc_phone, ==, "0000-12345");
	g_assert_null (options.noc_email);
	g_assert_cmpint (xn_ticket_options_restore_target (&options, "township"), ==, 5 * XN_USEC_PER_HOUR);
	g_assert_cmpint (xn_ticket_options_restore_target (&options, "xn:islands"), ==, 12 * XN_USEC_PER_HOUR);
	g_assert_cmpint (xn_ticket_options_restore_target (&options, "nowhere"), ==, -1);
	g_assert_cmpint (options.response_target_us, ==, 30 * XN_USEC_PER_MINUTE);
	g_assert_false (xn_ticket_options_set_escalation (&options, bad, 2, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_clear_error (&error);
	g_assert_true (xn_ticket_options_set_escalation (&options, good, 2, NULL));
	options.grace_us = -1;
	g_assert_false (xn_ticket_options_validate (&options, &error));
	g_assert_nonnull (strstr (error->message, "grace"));
	g_clear_error (&error);
	xn_policy_set_response_target (policy, 0);
	g_assert_false (xn_ticket_options_from_policy (&options, policy, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_CONFIG);
}

int
main (int argc, char **argv)
{
	TFixtures fx;
	int status;

	g_test_init (&argc, &argv, NULL);
	tfixtures_init (&fx);
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *path = g_strdup_printf ("/ticket/%s", cases[i].name);

		cases[i].fx = &fx;
		g_test_add_data_func (path, &cases[i],
				      strcmp (cases[i].name, "merge/late-parent") == 0 ? test_merge_late_parent : test_case);
	}
	g_test_add_data_func ("/ticket/met", &fx, test_met);
	g_test_add_data_func ("/ticket/next-due", &fx, test_next_due);
	g_test_add_data_func ("/ticket/counted", &fx, test_counted);
	g_test_add_data_func ("/ticket/refused", &fx, test_refused);
	g_test_add_data_func ("/ticket/show", &fx, test_show);
	g_test_add_func ("/ticket/options", test_options);
	status = g_test_run ();
	tfixtures_clear (&fx);
	return status;
}

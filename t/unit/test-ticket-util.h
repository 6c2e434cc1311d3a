/* test-ticket-util.h — what the ticket tests share: the sample county
 * (through the configuration loader, as the collector loads it), a small
 * inventory with a core room and a carrier-less unit, facts written as
 * offsets from 2025-03-10 00:00 Asia/Shanghai ("10:00:05", "58:00:00" for
 * two days later), and tickets and events printed one per line so that
 * scenarios compare against lines written out by hand. */
#pragma once

#include "config.h"
#include "ticket.h"

typedef struct {
	XnConfig          *config;
	const XnInventory *county;
	XnInventory       *hand;
	GTimeZone         *tz;
} TFixtures;

/* One fact: when (local offset), kind, subject, attrs (NULL: {}), when it
 * was recorded (NULL: at `at`). Source: cli:alice for fault.* and
 * maintenance.*, collector
 * for trap.*, poller for the rest. */
typedef struct {
	const char *at;
	const char *kind;
	const char *subject;
	const char *attrs;
	const char *recorded;
} TF;

#define T_DOWN    "node.unreachable"
#define T_UP      "node.reachable"
#define T_IF_DOWN "interface.down"
#define T_IF_UP   "interface.up"
/* L-dong-qingshan (telecom, township), A and Z end. */
#define T_DQ      "interface/dong-core/ge-0-1-1"
#define T_QD      "interface/qingshan/ge-0-0-0"
/* L-dong-finance (telecom, county-unit), the only managed end. */
#define T_DF      "interface/dong-core/ge-0-2-1"

void            tfixtures_init (TFixtures *fx);
void            tfixtures_clear (TFixtures *fx);

/* "HH:MM:SS" after 2025-03-10T00:00:00+08:00; hours may pass 24. */
XnInstant       tat (const char *offset);
/* The inverse of tat(). */
char           *thms (XnInstant t);

XnFact         *tfact (gint64 seq, const TF *f);
/* window_s -1: the default window; options NULL: the defaults. */
XnTicketEngine *tengine (const XnInventory *inventory, gint window_s, const XnTicketOptions *options);
void            tfeed (XnTicketEngine *engine, gint64 seq, const TF *f);
/* Feeds a table that ends with { NULL }, seqs from 1. */
void            tfeed_all (XnTicketEngine *engine, const TF *facts);
XnTicketEngine *trestore (const XnInventory *inventory, gint window_s, const char *snapshot);

/* "INSTANT ID CARRIER[ over=DURATION]" per event, e.g.
 * "11:00:05 XN-000001-R#1 telecom over=0". */
char           *tdescribe_events (const GPtrArray *events);
/* Takes the pending events and describes them. */
char           *ttake (XnTicketEngine *engine);
/* "ID STATUS ATTRIBUTION CARRIER CLASS R=… resp=… rest=… restored=…
 * closed=… units=A,B outages=ID,ID". */
char           *tdescribe_ticket (const XnTicket *ticket);
char           *tdescribe_tickets (const XnTicketEngine *engine);
XnTicket       *tlookup (const XnTicketEngine *engine, const char *id);

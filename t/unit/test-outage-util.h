/* test-outage-util.h — what test-outage.c and test-outage-replay.c share:
 * the sample county and a time zone, facts written as local times of
 * 2025-03-10 in Asia/Shanghai, outages printed one per line, and a small
 * inventory built by hand. */
#pragma once

#include "config.h"
#include "outage.h"

typedef struct {
	XnConfig          *config;
	const XnInventory *county;
	GTimeZone         *tz;
} Fixtures;

/* One fact: local time, kind, subject, attrs (NULL: {}). */
typedef struct {
	const char *at;
	const char *kind;
	const char *subject;
	const char *attrs;
} F;

#define DOWN    "node.unreachable"
#define UP      "node.reachable"
#define IF_DOWN "interface.down"
#define IF_UP   "interface.up"
#define DQ      "interface/dong-core/ge-0-1-1"     /* L-dong-qingshan, A end */
#define QD      "interface/qingshan/ge-0-0-0"      /* L-dong-qingshan, Z end */
#define LDQ     "L-dong-qingshan"
#define ADMIN_UP   "{\"admin_status\":\"up\",\"oper_status\":\"down\"}"
#define ADMIN_DOWN "{\"admin_status\":\"down\",\"oper_status\":\"down\"}"
#define REASSERT   "{\"reassert\":true}"

/* The worked example of doc/outages.md on the sample county, 8 facts. */
#define WORKED_EXAMPLE_LEN 8
extern const F worked_example[WORKED_EXAMPLE_LEN];

/* Small inventories by hand: core ── L1, L2 ── agg ── L3 ── acc (unit u1
 * on L3), optionally without acc or with one node more. */
typedef enum {
	HAND_FULL,
	HAND_WITHOUT_ACC,
	HAND_WITH_EXTRA,
} HandShape;

/* Loads data/sample-county.json from $top_srcdir (or "."). */
void            fixtures_init (Fixtures *fx);
void            fixtures_clear (Fixtures *fx);

XnInstant       local (const Fixtures *fx, const char *time_of_day);
/* "HH:MM:SS" in Asia/Shanghai, or "open". */
char           *hms (const Fixtures *fx, XnInstant t);
XnFact         *make_fact (const Fixtures *fx, gint64 seq, const F *f);
/* ID START-END CAUSE ev=SEQS seg=FROM>ROOT,... dep=IDS */
char           *describe (const Fixtures *fx, const XnOutage *outage);
/* Every outage, one line each; `only`: NULL, or the objects to print ("node/x link/y"). */
char           *describe_all (const Fixtures *fx, const XnOutageEngine *engine, const char *only);
/* window_s -1: the default correlation window. */
XnOutageEngine *engine_new (const XnInventory *inventory, gint window_s);
/* The options of engine_new(), with outages settling (and kept for the
 * list, or handed over only) when `settle`. */
void            options_for (XnOutageOptions *options, gint window_s, gboolean settle, gboolean keep);
XnOutageEngine *engine_new_with (const XnInventory *inventory, const XnOutageOptions *options);
void            feed (XnOutageEngine *engine, XnFact *fact);
void            feed_f (const Fixtures *fx, XnOutageEngine *engine, gint64 seq, const F *f);
/* The one outage of `object` (the test fails if there is none). */
XnOutage       *only_outage (const XnOutageEngine *engine, const char *object);
/* Every outage as a JSON array (xn_outage_to_json). */
char           *list_json (const XnOutageEngine *engine);
XnOutageEngine *restore (const XnInventory *inventory, const char *snapshot);
XnOutageEngine *restore_with (const XnInventory *inventory, const XnOutageOptions *options, const char *snapshot);
/* Outages as a JSON array (xn_outage_to_json). */
char           *outages_json (const GPtrArray *outages);
XnInventory    *hand_inventory (HandShape shape);
/* n facts on the sample county, drawn with `seed`, about 77 s apart: mostly
 * in time order, some a few minutes late (as node.unreachable is), with
 * `beyond_horizon` a few hours late too; admin-down, ignored kinds, two
 * subjects the inventory lacks, seqs with gaps. Parents (dong-core,
 * xi-core) fail often enough for incidents to form. */
GPtrArray      *scenario (const Fixtures *fx, guint n, guint32 seed, gboolean beyond_horizon);
/* n facts of incidents, 30 s to 5 min apart: each down report (a node's
 * dated up to 4 minutes back, at its first failed poll; parents a quarter
 * of the time) is followed
 * by the up report 1 to 20 minutes later (a parent's, 1 to 45); reboots
 * and cold starts,
 * admin-down traps, subjects the inventory lacks, seq gaps, and with
 * `beyond_horizon` old reports of hours ago. Most outages end, so they
 * can settle. */
GPtrArray      *scenario_incidents (const Fixtures *fx, guint n, guint32 seed, gboolean beyond_horizon);

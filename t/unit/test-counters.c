/* test-counters.c — poller/counters.c: rates from successive samples.
 *
 * One table of scenarios, each a few polls of one node on a virtual clock
 * with the rates (or the reason for none) every interface must get: steady
 * 64-bit counters, one 32-bit wrap, a wrap the speed makes impossible, a
 * cleared 64-bit counter, a reboot that renumbers ifIndex (history follows
 * ifName), sysUpTime wrapping at 497 days, failed polls in between, names
 * missing or repeated. A second table checks the reboot rule alone. */
#include "counters.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define T0          G_GINT64_CONSTANT (1737907200000000)   /* 2025-01-26T16:00:00Z */
#define S(seconds)  ((XnInstant) (seconds) * XN_USEC_PER_SEC)
#define WRAP32      (G_GUINT64_CONSTANT (1) << 32)
#define DAY_TICKS   (86400u * 100u)

#define HC          (XN_IF_HAVE_NAME | XN_IF_HAVE_HC_OCTETS | XN_IF_HAVE_ERRORS | XN_IF_HAVE_SPEED)
#define C32         (XN_IF_HAVE_NAME | XN_IF_HAVE_OCTETS32 | XN_IF_HAVE_ERRORS | XN_IF_HAVE_SPEED)
#define GBPS        G_GUINT64_CONSTANT (1000000000)
#define MBPS        G_GUINT64_CONSTANT (1000000)
#define NONE        NAN

typedef struct {
	const char *name;
	guint32     index;
	guint32     have;
	guint64     speed;
	guint64     in, out, in_errors;
} IfSpec;

typedef struct {
	const char   *name;
	XnRateStatus  status;
	double        in, out, in_errors;
} Expect;

typedef struct {
	gint64   at;              /* seconds after T0 */
	gboolean failed;
	guint32  uptime;          /* TimeTicks; 0 means not given */
	IfSpec   ifs[4];
	gboolean rebooted;
	gint64   boot_at;         /* seconds after T0, when rebooted */
	Expect   expect[4];
} Step;

typedef struct {
	const char *name;
	Step        steps[4];
} Scenario;

#define UP(days) ((guint32) ((days) * DAY_TICKS))

static const Scenario scenarios[] = {
	{ "hc-steady", {
		{ 0, FALSE, UP (10), { { "Gi0/1", 1, HC, GBPS, 1000, 0, 7 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, FALSE, UP (10) + 30000, { { "Gi0/1", 1, HC, GBPS, 1000 + 300000000, 150000000, 7 } },
		  FALSE, 0, { { "Gi0/1", XN_RATE_OK, 1e6, 5e5, 0 } } },
		{ 600, FALSE, UP (10) + 60000, { { "Gi0/1", 1, HC, GBPS, 1000 + 600000000, 150000000, 10 } },
		  FALSE, 0, { { "Gi0/1", XN_RATE_OK, 1e6, 0, 0.01 } } } } },
	{ "32-bit-one-wrap", {
		{ 0, FALSE, UP (1), { { "Fa0/1", 1, C32, 100 * MBPS, WRAP32 - 1000, WRAP32 - 1, 10 } }, FALSE, 0,
		  { { "Fa0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, FALSE, UP (1) + 30000, { { "Fa0/1", 1, C32, 100 * MBPS, 2000, 299, 10 } }, FALSE, 0,
		  { { "Fa0/1", XN_RATE_OK, 10, 1, 0 } } } } },
	{ "32-bit-wrapped-twice", {
		/* Backwards by 50 would mean 4.29e9 octets in 300 s: 114 Mb/s on a 10 Mb/s port. */
		{ 0, FALSE, UP (1), { { "Fa0/1", 1, C32, 10 * MBPS, 100, 100, 0 } }, FALSE, 0,
		  { { "Fa0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, FALSE, UP (1) + 30000, { { "Fa0/1", 1, C32, 10 * MBPS, 50, 400, 0 } }, FALSE, 0,
		  { { "Fa0/1", XN_RATE_IMPOSSIBLE, NONE, NONE, NONE } } },
		/* The impossible interval is the new baseline. */
		{ 600, FALSE, UP (1) + 60000, { { "Fa0/1", 1, C32, 10 * MBPS, 350, 700, 0 } }, FALSE, 0,
		  { { "Fa0/1", XN_RATE_OK, 1, 1, 0 } } } } },
	{ "32-bit-wrap-without-speed", {
		{ 0, FALSE, UP (1), { { "Fa0/1", 1, C32 & ~XN_IF_HAVE_SPEED, 0, 100, 100, 0 } }, FALSE, 0,
		  { { "Fa0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 256, FALSE, UP (1) + 25600, { { "Fa0/1", 1, C32 & ~XN_IF_HAVE_SPEED, 0, 44, 100, 0 } },
		  FALSE, 0, { { "Fa0/1", XN_RATE_OK, (double) (WRAP32 - 56) / 256, 0, 0 } } } } },
	{ "speed-limit", {
		{ 0, FALSE, UP (1), { { "Gi0/1", 1, HC, GBPS, 0, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		/* Exactly line rate is possible, */
		{ 100, FALSE, UP (1) + 10000, { { "Gi0/1", 1, HC, GBPS, 12500000000, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 1.25e8, 0, 0 } } },
		/* 20 % over it is not, even on 64-bit counters. */
		{ 200, FALSE, UP (1) + 20000, { { "Gi0/1", 1, HC, GBPS, 27500000000, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_IMPOSSIBLE, NONE, NONE, NONE } } } } },
	{ "errors-counter32-reset", {
		/* ifInErrors is Counter32 even on HC ports: 5 → 3 on 1 Gb/s is no wrap. */
		{ 0, FALSE, UP (1), { { "Gi0/1", 1, HC, GBPS, 0, 0, 5 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, FALSE, UP (1) + 30000, { { "Gi0/1", 1, HC, GBPS, 300, 300, 3 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_IMPOSSIBLE, NONE, NONE, NONE } } },
		{ 400, FALSE, UP (1) + 40000, { { "Gi0/1", 1, HC, GBPS, 400, 400, 4 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 1, 1, 0.01 } } } } },
	{ "errors-counter32-one-wrap", {
		{ 0, FALSE, UP (1), { { "Gi0/1", 1, HC, GBPS, 0, 0, WRAP32 - 100 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, FALSE, UP (1) + 30000, { { "Gi0/1", 1, HC, GBPS, 0, 0, 200 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 0, 0, 1 } } } } },
	{ "hc-backwards", {
		{ 0, FALSE, UP (3), { { "Gi0/1", 1, HC, GBPS, 5000000, 5000000, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, FALSE, UP (3) + 30000, { { "Gi0/1", 1, HC, GBPS, 3000, 6000000, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_BACKWARDS, NONE, NONE, NONE } } },
		{ 600, FALSE, UP (3) + 60000, { { "Gi0/1", 1, HC, GBPS, 6000, 6000300, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 10, 1, 0 } } } } },
	{ "reboot-renumbers-ifindex", {
		{ 0, FALSE, UP (100), { { "Gi0/1", 1, HC, GBPS, 1000000, 0, 0 },
					{ "Gi0/2", 2, HC, GBPS, 9000000, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE }, { "Gi0/2", XN_RATE_FIRST, NONE, NONE, NONE } } },
		/* Up 120 s, counters from zero, the two ports swapped numbers. */
		{ 300, FALSE, 12000, { { "Gi0/2", 4, HC, GBPS, 100, 0, 0 },
				       { "Gi0/1", 5, HC, GBPS, 200, 0, 0 } }, TRUE, 180,
		  { { "Gi0/2", XN_RATE_REBOOT, NONE, NONE, NONE }, { "Gi0/1", XN_RATE_REBOOT, NONE, NONE, NONE } } },
		{ 600, FALSE, 42000, { { "Gi0/2", 4, HC, GBPS, 100 + 300 * 3, 0, 0 },
				       { "Gi0/1", 5, HC, GBPS, 200 + 300 * 7, 0, 0 } }, FALSE, 0,
		  { { "Gi0/2", XN_RATE_OK, 3, 0, 0 }, { "Gi0/1", XN_RATE_OK, 7, 0, 0 } } } } },
	/* Two ports swap numbers with no reboot: matched by name, neither takes
	 * the other's counters; the new rows may count afresh, so no rate. */
	{ "swapped-ifindex-without-reboot", {
		{ 0, FALSE, UP (5), { { "Gi0/1", 1, HC, GBPS, 1000, 0, 0 }, { "Gi0/2", 2, HC, GBPS, 5000, 0, 0 } },
		  FALSE, 0, { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE }, { "Gi0/2", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, FALSE, UP (5) + 30000, { { "Gi0/2", 1, HC, GBPS, 5300, 0, 0 }, { "Gi0/1", 2, HC, GBPS, 1600, 0, 0 } },
		  FALSE, 0, { { "Gi0/2", XN_RATE_CHANGED, NONE, NONE, NONE }, { "Gi0/1", XN_RATE_CHANGED, NONE, NONE, NONE } } },
		{ 600, FALSE, UP (5) + 60000, { { "Gi0/2", 1, HC, GBPS, 5600, 0, 0 }, { "Gi0/1", 2, HC, GBPS, 2200, 0, 0 } },
		  FALSE, 0, { { "Gi0/2", XN_RATE_OK, 1, 0, 0 }, { "Gi0/1", XN_RATE_OK, 2, 0, 0 } } } } },
	{ "renumbered-without-reboot", {
		{ 0, FALSE, UP (5), { { "Gi0/1", 1, HC, GBPS, 0, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, FALSE, UP (5) + 30000, { { "Gi0/1", 9, HC, GBPS, 300, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_CHANGED, NONE, NONE, NONE } } } } },
	{ "counter-width-changed", {
		{ 0, FALSE, UP (5), { { "Gi0/1", 1, HC, GBPS, 0, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, FALSE, UP (5) + 30000, { { "Gi0/1", 1, C32, GBPS, 300, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_CHANGED, NONE, NONE, NONE } } } } },
	{ "rebooted-while-unreachable", {
		{ 0, FALSE, 10000, { { "Gi0/1", 1, HC, GBPS, 0, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, TRUE, 0, { { NULL } }, FALSE, 0, { { NULL } } },
		/* 200 s of uptime an hour later: it was up 100 s at T0, so it rebooted. */
		{ 3600, FALSE, 20000, { { "Gi0/1", 1, HC, GBPS, 100, 0, 0 } }, TRUE, 3400,
		  { { "Gi0/1", XN_RATE_REBOOT, NONE, NONE, NONE } } } } },
	{ "failed-poll-keeps-baseline", {
		{ 0, FALSE, UP (2), { { "Gi0/1", 1, HC, GBPS, 0, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, TRUE, 0, { { NULL } }, FALSE, 0, { { NULL } } },
		{ 600, FALSE, UP (2) + 60000, { { "Gi0/1", 1, HC, GBPS, 6000, 1200, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 10, 2, 0 } } } } },
	{ "uptime-lags-but-no-reboot", {
		/* The agent's clock gained 5 s less than ours over 300 s. */
		{ 0, FALSE, UP (2), { { "Gi0/1", 1, HC, GBPS, 0, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, FALSE, UP (2) + 29500, { { "Gi0/1", 1, HC, GBPS, 300, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 1, 0, 0 } } } } },
	{ "uptime-wraps-at-497-days", {
		{ 0, FALSE, (guint32) (WRAP32 - 1000), { { "Gi0/1", 1, HC, GBPS, 0, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, FALSE, 29000, { { "Gi0/1", 1, HC, GBPS, 600, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 2, 0, 0 } } } } },
	{ "names-missing-repeated-vanishing", {
		{ 0, FALSE, UP (1), { { "Gi0/1", 1, HC, GBPS, 0, 0, 0 }, { NULL, 2, HC & ~XN_IF_HAVE_NAME, GBPS, 0, 0, 0 },
				      { "Gi0/1", 3, HC, GBPS, 0, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE }, { NULL, XN_RATE_NO_NAME, NONE, NONE, NONE },
		    { "Gi0/1", XN_RATE_DUPLICATE_NAME, NONE, NONE, NONE } } },
		/* The duplicate (ifIndex 3) never took over the name's history. */
		{ 300, FALSE, UP (1) + 30000, { { "Gi0/1", 1, HC, GBPS, 300, 0, 0 }, { "Gi0/9", 9, HC, GBPS, 5, 0, 0 } },
		  FALSE, 0, { { "Gi0/1", XN_RATE_OK, 1, 0, 0 }, { "Gi0/9", XN_RATE_FIRST, NONE, NONE, NONE } } },
		/* Gi0/9 vanished for one poll: it starts over. */
		{ 600, FALSE, UP (1) + 60000, { { "Gi0/1", 1, HC, GBPS, 600, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 1, 0, 0 } } },
		{ 900, FALSE, UP (1) + 90000, { { "Gi0/1", 1, HC, GBPS, 900, 0, 0 }, { "Gi0/9", 9, HC, GBPS, 905, 0, 0 } },
		  FALSE, 0, { { "Gi0/1", XN_RATE_OK, 1, 0, 0 }, { "Gi0/9", XN_RATE_FIRST, NONE, NONE, NONE } } } } },
	/* An interface in the middle comes, goes and comes back: the others
	 * keep their history around it; the one that went starts over. */
	{ "interface-comes-and-goes-in-the-middle", {
		{ 0, FALSE, UP (1), { { "Gi0/1", 1, HC, GBPS, 0, 0, 0 }, { "Gi0/3", 3, HC, GBPS, 0, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE }, { "Gi0/3", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, FALSE, UP (1) + 30000, { { "Gi0/1", 1, HC, GBPS, 300, 0, 0 }, { "Gi0/2", 2, HC, GBPS, 50, 0, 0 },
						{ "Gi0/3", 3, HC, GBPS, 600, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 1, 0, 0 }, { "Gi0/2", XN_RATE_FIRST, NONE, NONE, NONE },
		    { "Gi0/3", XN_RATE_OK, 2, 0, 0 } } },
		{ 600, FALSE, UP (1) + 60000, { { "Gi0/1", 1, HC, GBPS, 600, 0, 0 }, { "Gi0/3", 3, HC, GBPS, 1200, 0, 0 } },
		  FALSE, 0, { { "Gi0/1", XN_RATE_OK, 1, 0, 0 }, { "Gi0/3", XN_RATE_OK, 2, 0, 0 } } },
		{ 900, FALSE, UP (1) + 90000, { { "Gi0/1", 1, HC, GBPS, 900, 0, 0 }, { "Gi0/2", 2, HC, GBPS, 950, 0, 0 },
						{ "Gi0/3", 3, HC, GBPS, 1800, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 1, 0, 0 }, { "Gi0/2", XN_RATE_FIRST, NONE, NONE, NONE },
		    { "Gi0/3", XN_RATE_OK, 2, 0, 0 } } } } },
	/* Two of four ports trade numbers: the first keeps its history, and the
	 * last, matched by name after the order broke, keeps its too. */
	{ "order-changes-after-the-first", {
		{ 0, FALSE, UP (1), { { "Gi0/1", 1, HC, GBPS, 0, 0, 0 }, { "Gi0/2", 2, HC, GBPS, 0, 0, 0 },
				      { "Gi0/3", 3, HC, GBPS, 0, 0, 0 }, { "Gi0/4", 4, HC, GBPS, 0, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE }, { "Gi0/2", XN_RATE_FIRST, NONE, NONE, NONE },
		    { "Gi0/3", XN_RATE_FIRST, NONE, NONE, NONE }, { "Gi0/4", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, FALSE, UP (1) + 30000, { { "Gi0/1", 1, HC, GBPS, 300, 0, 0 }, { "Gi0/3", 2, HC, GBPS, 900, 0, 0 },
						{ "Gi0/2", 3, HC, GBPS, 600, 0, 0 }, { "Gi0/4", 4, HC, GBPS, 1200, 0, 0 } },
		  FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 1, 0, 0 }, { "Gi0/3", XN_RATE_CHANGED, NONE, NONE, NONE },
		    { "Gi0/2", XN_RATE_CHANGED, NONE, NONE, NONE }, { "Gi0/4", XN_RATE_OK, 4, 0, 0 } } },
		{ 600, FALSE, UP (1) + 60000, { { "Gi0/1", 1, HC, GBPS, 600, 0, 0 }, { "Gi0/3", 2, HC, GBPS, 1800, 0, 0 },
						{ "Gi0/2", 3, HC, GBPS, 1200, 0, 0 }, { "Gi0/4", 4, HC, GBPS, 2400, 0, 0 } },
		  FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 1, 0, 0 }, { "Gi0/3", XN_RATE_OK, 3, 0, 0 },
		    { "Gi0/2", XN_RATE_OK, 2, 0, 0 }, { "Gi0/4", XN_RATE_OK, 4, 0, 0 } } } } },
	/* A port without ifName among named ones, poll after poll. */
	{ "unnamed-between-named", {
		{ 0, FALSE, UP (1), { { "Gi0/1", 1, HC, GBPS, 0, 0, 0 }, { NULL, 2, HC & ~XN_IF_HAVE_NAME, GBPS, 0, 0, 0 },
				      { "Gi0/3", 3, HC, GBPS, 0, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE }, { NULL, XN_RATE_NO_NAME, NONE, NONE, NONE },
		    { "Gi0/3", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, FALSE, UP (1) + 30000, { { "Gi0/1", 1, HC, GBPS, 300, 0, 0 },
						{ NULL, 2, HC & ~XN_IF_HAVE_NAME, GBPS, 300, 0, 0 },
						{ "Gi0/3", 3, HC, GBPS, 900, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 1, 0, 0 }, { NULL, XN_RATE_NO_NAME, NONE, NONE, NONE },
		    { "Gi0/3", XN_RATE_OK, 3, 0, 0 } } },
		{ 600, FALSE, UP (1) + 60000, { { "Gi0/1", 1, HC, GBPS, 600, 0, 0 },
						{ NULL, 2, HC & ~XN_IF_HAVE_NAME, GBPS, 600, 0, 0 },
						{ "Gi0/3", 3, HC, GBPS, 1800, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 1, 0, 0 }, { NULL, XN_RATE_NO_NAME, NONE, NONE, NONE },
		    { "Gi0/3", XN_RATE_OK, 3, 0, 0 } } } } },
	/* A name given twice, poll after poll: the lower ifIndex keeps the
	 * history every time, the other never gets a rate. */
	{ "duplicate-name-every-poll", {
		{ 0, FALSE, UP (1), { { "Gi0/1", 1, HC, GBPS, 0, 0, 0 }, { "Gi0/2", 2, HC, GBPS, 0, 0, 0 },
				      { "Gi0/1", 3, HC, GBPS, 0, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE }, { "Gi0/2", XN_RATE_FIRST, NONE, NONE, NONE },
		    { "Gi0/1", XN_RATE_DUPLICATE_NAME, NONE, NONE, NONE } } },
		{ 300, FALSE, UP (1) + 30000, { { "Gi0/1", 1, HC, GBPS, 300, 0, 0 }, { "Gi0/2", 2, HC, GBPS, 600, 0, 0 },
						{ "Gi0/1", 3, HC, GBPS, 9000, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 1, 0, 0 }, { "Gi0/2", XN_RATE_OK, 2, 0, 0 },
		    { "Gi0/1", XN_RATE_DUPLICATE_NAME, NONE, NONE, NONE } } },
		{ 600, FALSE, UP (1) + 60000, { { "Gi0/1", 1, HC, GBPS, 600, 0, 0 }, { "Gi0/2", 2, HC, GBPS, 1200, 0, 0 },
						{ "Gi0/1", 3, HC, GBPS, 18000, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 1, 0, 0 }, { "Gi0/2", XN_RATE_OK, 2, 0, 0 },
		    { "Gi0/1", XN_RATE_DUPLICATE_NAME, NONE, NONE, NONE } } },
		/* The first holder went: the name's history was ifIndex 1's. */
		{ 900, FALSE, UP (1) + 90000, { { "Gi0/2", 2, HC, GBPS, 1800, 0, 0 }, { "Gi0/1", 3, HC, GBPS, 27000, 0, 0 } },
		  FALSE, 0, { { "Gi0/2", XN_RATE_OK, 2, 0, 0 }, { "Gi0/1", XN_RATE_CHANGED, NONE, NONE, NONE } } } } },
	/* A 10 Gb/s uplink: ifSpeed saturates, the speed comes from ifHighSpeed
	 * and is above 2^32 b/s; the limit must still be 10 Gb/s. */
	{ "speed-above-32-bits", {
		{ 0, FALSE, UP (1), { { "Te0/1", 1, HC, 10 * GBPS, 0, 0, 0 } }, FALSE, 0,
		  { { "Te0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		/* Without a speed in the sample the previous one bounds the rate: */
		{ 100, FALSE, UP (1) + 10000, { { "Te0/1", 1, HC & ~XN_IF_HAVE_SPEED, 0, 125000000000, 0, 0 } },
		  FALSE, 0, { { "Te0/1", XN_RATE_OK, 1.25e9, 0, 0 } } },
		/* 1.09 × line rate passes the 10 % slack, */
		{ 200, FALSE, UP (1) + 20000, { { "Te0/1", 1, HC, 10 * GBPS, 261250000000, 0, 0 } }, FALSE, 0,
		  { { "Te0/1", XN_RATE_OK, 1.3625e9, 0, 0 } } },
		/* 1.11 × does not. */
		{ 300, FALSE, UP (1) + 30000, { { "Te0/1", 1, HC & ~XN_IF_HAVE_SPEED, 0, 400000000000, 0, 0 } },
		  FALSE, 0, { { "Te0/1", XN_RATE_IMPOSSIBLE, NONE, NONE, NONE } } } } },
	/* A Counter32 that an agent sent wider than 32 bits: no rate against it
	 * or from it, and the next good pair of readings counts again. */
	{ "counter32-wider-than-32-bits", {
		{ 0, FALSE, UP (1), { { "Gi0/1", 1, HC, GBPS, 0, 0, WRAP32 + 5 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, FALSE, UP (1) + 30000, { { "Gi0/1", 1, HC, GBPS, 300, 0, 10 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_IMPOSSIBLE, NONE, NONE, NONE } } },
		{ 600, FALSE, UP (1) + 60000, { { "Gi0/1", 1, HC, GBPS, 600, 0, 13 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 1, 0, 0.01 } } },
		{ 900, FALSE, UP (1) + 90000, { { "Gi0/1", 1, HC, GBPS, 900, 0, WRAP32 + 20 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_IMPOSSIBLE, NONE, NONE, NONE } } } } },
	{ "same-time-twice", {
		{ 0, FALSE, UP (1), { { "Gi0/1", 1, HC, GBPS, 0, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 0, FALSE, UP (1), { { "Gi0/1", 1, HC, GBPS, 10, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_NO_INTERVAL, NONE, NONE, NONE } } } } },
	{ "counter-not-given", {
		{ 0, FALSE, UP (1), { { "Gi0/1", 1, HC & ~XN_IF_HAVE_ERRORS, GBPS, 0, 0, 0 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_FIRST, NONE, NONE, NONE } } },
		{ 300, FALSE, UP (1) + 30000, { { "Gi0/1", 1, HC, GBPS, 300, 600, 30 } }, FALSE, 0,
		  { { "Gi0/1", XN_RATE_OK, 1, 2, NONE } } } } },
};

static XnNodeSample *
make_sample (const Step *step)
{
	XnNodeSample *sample = xn_node_sample_new ("county-a-agg");

	sample->started = T0 + S (step->at);
	sample->finished = sample->started + 20000;
	if (step->failed) {
		sample->result = XN_POLL_TIMEOUT;
		sample->error = g_strdup ("no answer");
		return sample;
	}
	sample->result = XN_POLL_OK;
	if (step->uptime != 0) {
		sample->have |= XN_NODE_HAVE_UPTIME;
		sample->sys_uptime = step->uptime;
	}
	for (gsize i = 0; i < G_N_ELEMENTS (step->ifs) && step->ifs[i].index != 0; i++) {
		const IfSpec *spec = &step->ifs[i];
		XnIfSample *ifs = xn_node_sample_interface (sample, spec->index);

		ifs->have = spec->have;
		ifs->name = g_strdup (spec->name);
		ifs->speed_bps = spec->speed;
		ifs->in_octets = spec->in;
		ifs->out_octets = spec->out;
		ifs->in_errors = spec->in_errors;
		ifs->oper_status = ifs->admin_status = XN_IF_STATUS_UP;
	}
	return sample;
}

static void
assert_rate (const char *what, double expected, double got)
{
	if (isnan (expected)) {
		if (!isnan (got))
			g_error ("%s: expected no rate, got %g", what, got);
		return;
	}
	if (isnan (got) || fabs (got - expected) > 1e-9 * MAX (1.0, fabs (expected)))
		g_error ("%s: expected %.17g, got %.17g", what, expected, got);
}

static void
check_step (const Scenario *scenario, guint n, const Step *step, const XnNodeRates *rates)
{
	g_autofree char *where = g_strdup_printf ("%s, step %u", scenario->name, n);
	guint n_expected = 0;

	g_assert_cmpint (rates->time, ==, T0 + S (step->at));
	g_assert_cmpint (rates->answered, ==, !step->failed);
	if (rates->rebooted != step->rebooted)
		g_error ("%s: rebooted is %d", where, rates->rebooted);
	if (step->rebooted)
		g_assert_cmpint (rates->boot_time, ==, T0 + S (step->boot_at));
	/* The list ends at an all-zero entry. */
	while (n_expected < G_N_ELEMENTS (step->expect) &&
	       (step->expect[n_expected].name != NULL || step->expect[n_expected].status != XN_RATE_OK))
		n_expected++;
	g_assert_cmpuint (rates->interfaces->len, ==, n_expected);
	for (guint i = 0; i < n_expected; i++) {
		const Expect *e = &step->expect[i];
		const XnIfRates *r = &g_array_index (rates->interfaces, XnIfRates, i);
		g_autofree char *what = g_strdup_printf ("%s, interface %s #%u", where,
							 e->name ? e->name : "(none)", r->if_index);

		g_assert_cmpstr (r->name, ==, e->name);
		if (r->status != e->status)
			g_error ("%s: status %s, expected %s", what, xn_rate_status_to_string (r->status),
				 xn_rate_status_to_string (e->status));
		assert_rate (what, e->in, r->in_octets);
		assert_rate (what, e->out, r->out_octets);
		assert_rate (what, e->in_errors, r->in_errors);
		/* Never given in these samples: never a rate. */
		assert_rate (what, NAN, r->in_ucast);
	}
}

static void
test_scenario (gconstpointer data)
{
	const Scenario *scenario = data;
	g_autoptr(XnCounters) counters = xn_counters_new ();

	for (guint n = 0; n < G_N_ELEMENTS (scenario->steps); n++) {
		const Step *step = &scenario->steps[n];
		g_autoptr(XnNodeSample) sample = NULL;
		g_autoptr(XnNodeRates) rates = NULL;

		if (n > 0 && step->at == 0 && step->ifs[0].index == 0 && !step->failed)
			break;
		sample = make_sample (step);
		rates = xn_counters_update (counters, sample);
		check_step (scenario, n, step, rates);
	}
}

/* Nodes do not share history; a forgotten node starts over. */
static void
test_nodes_apart (void)
{
	g_autoptr(XnCounters) counters = xn_counters_new ();
	Step first = { .at = 0, .uptime = UP (1), .ifs = { { "Gi0/1", 1, HC, GBPS, 0, 0, 0 } } };
	Step second = { .at = 300, .uptime = UP (1) + 30000, .ifs = { { "Gi0/1", 1, HC, GBPS, 3000, 0, 0 } } };
	g_autoptr(XnNodeSample) a1 = make_sample (&first);
	g_autoptr(XnNodeSample) b1 = make_sample (&first);
	g_autoptr(XnNodeSample) a2 = make_sample (&second);
	g_autoptr(XnNodeSample) a3 = make_sample (&second);
	XnNodeRates *r;

	g_free (b1->node);
	b1->node = g_strdup ("county-b-agg");
	xn_node_rates_free (xn_counters_update (counters, a1));
	r = xn_counters_update (counters, b1);
	g_assert_cmpint (g_array_index (r->interfaces, XnIfRates, 0).status, ==, XN_RATE_FIRST);
	xn_node_rates_free (r);
	r = xn_counters_update (counters, a2);
	g_assert_cmpint (g_array_index (r->interfaces, XnIfRates, 0).status, ==, XN_RATE_OK);
	g_assert_cmpfloat (g_array_index (r->interfaces, XnIfRates, 0).in_octets, ==, 10.0);
	g_assert_cmpint (r->interval_us, ==, S (300));
	xn_node_rates_free (r);
	xn_counters_forget (counters, "county-a-agg");
	a3->started += S (300);
	r = xn_counters_update (counters, a3);
	g_assert_cmpint (g_array_index (r->interfaces, XnIfRates, 0).status, ==, XN_RATE_FIRST);
	g_assert_cmpint (r->interval_us, ==, 0);
	xn_node_rates_free (r);
}

/* Many interfaces on one node, poll after poll, against a model of the
 * header's contract: history follows the name, the first interface in the
 * sample with a name takes it, a renumbered one gets no rate once, one that
 * was missing starts over. The polls go from steady, to random comings,
 * goings, renumberings, repeated and missing names, to the first numbering
 * again, the last few ports missing, every port renumbered in reverse order,
 * and steady again. */
#define MANY        600
#define MANY_POLLS  10
#define MANY_LAST   5         /* ports missing at the end in poll 7 */

typedef struct {
	guint32 index[MANY];      /* current ifIndex of each port */
	guint32 next_index;
	GRand  *rand;
} ManyNode;

static double
many_rate (guint port)
{
	return 1000.0 + port;
}

/* The sample of poll `p`, changing the ports' numbering as it goes. */
static XnNodeSample *
many_sample (ManyNode *m, guint p)
{
	XnNodeSample *sample = xn_node_sample_new ("big-agg");
	gboolean random = p >= 2 && p <= 5;

	sample->started = T0 + S (300 * p);
	sample->result = XN_POLL_OK;
	sample->have = XN_NODE_HAVE_UPTIME;
	sample->sys_uptime = UP (3) + 30000 * p;
	for (guint port = 0; port < MANY; port++) {
		XnIfSample *ifs;

		if (p == 6)
			m->index[port] = port + 1;
		else if (p == 8)
			m->index[port] = 100000 + MANY - port;
		else if (random && g_rand_int_range (m->rand, 0, 100) < 5)
			m->index[port] = m->next_index++;
		if ((random && g_rand_int_range (m->rand, 0, 100) < 10) || (p == 7 && port >= MANY - MANY_LAST))
			continue;
		ifs = xn_node_sample_interface (sample, m->index[port]);
		ifs->have = HC;
		ifs->name = g_strdup_printf ("ge-0/%u/%u", port / 48, port % 48);
		ifs->speed_bps = GBPS;
		ifs->in_octets = (guint64) (many_rate (port) * 300 * p);
		if (random && g_rand_int_range (m->rand, 0, 100) < 3) {
			/* Another row with this name, or one with none. */
			ifs = xn_node_sample_interface (sample, m->next_index++);
			ifs->have = g_rand_boolean (m->rand) ? HC : HC & ~XN_IF_HAVE_NAME;
			ifs->name = g_strdup_printf ("ge-0/%u/%u", port / 48, port % 48);
			ifs->speed_bps = GBPS;
			ifs->in_octets = 7 * p;
		}
	}
	return sample;
}

/* What the model expects of one interface, updating `now` (name → ifIndex
 * of the interfaces this sample keeps). */
static XnRateStatus
many_expect (const XnIfSample *ifs, GHashTable *before, GHashTable *now)
{
	gpointer index;

	if (!(ifs->have & XN_IF_HAVE_NAME))
		return XN_RATE_NO_NAME;
	if (g_hash_table_contains (now, ifs->name))
		return XN_RATE_DUPLICATE_NAME;
	g_hash_table_insert (now, ifs->name, GUINT_TO_POINTER (ifs->if_index));
	if (!g_hash_table_lookup_extended (before, ifs->name, NULL, &index))
		return XN_RATE_FIRST;
	return GPOINTER_TO_UINT (index) == ifs->if_index ? XN_RATE_OK : XN_RATE_CHANGED;
}

static void
test_many_interfaces (void)
{
	g_autoptr(XnCounters) counters = xn_counters_new ();
	g_autoptr(GHashTable) before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	ManyNode m = { .next_index = MANY + 1, .rand = g_rand_new_with_seed (20250126) };
	guint seen[XN_RATE_IMPOSSIBLE + 1] = { 0 };

	for (guint port = 0; port < MANY; port++)
		m.index[port] = port + 1;
	for (guint p = 0; p < MANY_POLLS; p++) {
		g_autoptr(XnNodeSample) sample = many_sample (&m, p);
		g_autoptr(XnNodeRates) rates = xn_counters_update (counters, sample);
		g_autoptr(GHashTable) now = g_hash_table_new (g_str_hash, g_str_equal);
		guint this_poll[XN_RATE_IMPOSSIBLE + 1] = { 0 };
		GHashTableIter iter;
		gpointer key, value;

		g_assert_cmpuint (rates->interfaces->len, ==, sample->interfaces->len);
		for (guint i = 0; i < sample->interfaces->len; i++) {
			const XnIfSample *ifs = &g_array_index (sample->interfaces, XnIfSample, i);
			const XnIfRates *r = &g_array_index (rates->interfaces, XnIfRates, i);
			XnRateStatus expected = many_expect (ifs, before, now);
			guint port = 0, slot = 0;
			g_autofree char *what = g_strdup_printf ("poll %u, %s #%u", p, ifs->name, ifs->if_index);

			g_assert_cmpuint (r->if_index, ==, ifs->if_index);
			g_assert_true (r->name == ((ifs->have & XN_IF_HAVE_NAME) ? ifs->name : NULL));
			if (r->status != expected)
				g_error ("%s: status %s, expected %s", what, xn_rate_status_to_string (r->status),
					 xn_rate_status_to_string (expected));
			this_poll[expected]++;
			seen[expected]++;
			g_assert_cmpint (sscanf (ifs->name, "ge-0/%u/%u", &slot, &port), ==, 2);
			assert_rate (what, expected == XN_RATE_OK ? many_rate (slot * 48 + port) : NAN, r->in_octets);
		}
		if (p == 1 || p == MANY_POLLS - 1)
			g_assert_cmpuint (this_poll[XN_RATE_OK], ==, MANY);
		if (p == 8) {
			g_assert_cmpuint (this_poll[XN_RATE_CHANGED], ==, MANY - MANY_LAST);
			g_assert_cmpuint (this_poll[XN_RATE_FIRST], ==, MANY_LAST);
		}
		g_hash_table_remove_all (before);
		g_hash_table_iter_init (&iter, now);
		while (g_hash_table_iter_next (&iter, &key, &value))
			g_hash_table_insert (before, g_strdup (key), value);
	}
	/* The random polls did make every case happen. */
	for (XnRateStatus s = XN_RATE_OK; s <= XN_RATE_CHANGED; s++)
		if (s != XN_RATE_REBOOT && s != XN_RATE_NO_INTERVAL && seen[s] == 0)
			g_error ("no interface was %s", xn_rate_status_to_string (s));
	g_rand_free (m.rand);
}

typedef struct {
	gint64   elapsed_s;
	guint32  previous, current;
	gboolean reset;
} UptimeCase;

static const UptimeCase uptime_cases[] = {
	{ 300, 100000, 130000, FALSE },             /* on time */
	{ 300, 100000, 129000, FALSE },             /* 10 s behind: slack */
	{ 300, 100000, 127900, TRUE },              /* 21 s behind over 300 s */
	{ 86400, 100000, 100000 + 8640000 - 100000, FALSE },   /* 2 % of a day behind */
	{ 300, 100000, 5000, TRUE },                /* smaller than before */
	{ 300, 100000, 200000, FALSE },             /* ahead of us: not a reset */
	{ 3600, 10000, 20000, TRUE },               /* up 200 s an hour after being up 100 s */
	{ 300, G_MAXUINT32 - 999, 29000, FALSE },   /* wrapped on schedule */
	{ 300, G_MAXUINT32 - 999, 500, TRUE },      /* rebooted near the wrap */
	{ 300, G_MAXUINT32 - 30999, 500, FALSE },   /* our clock a little behind across the wrap */
	{ 0, 100000, 50000, TRUE },                 /* same instant, went back */
	{ -300, 100000, 100000, FALSE },            /* our clock went back: uptime did not */
};

static void
test_uptime_reset (void)
{
	for (gsize i = 0; i < G_N_ELEMENTS (uptime_cases); i++) {
		const UptimeCase *c = &uptime_cases[i];
		XnInstant boot = 0;
		gboolean reset = xn_uptime_was_reset (T0, c->previous, T0 + S (c->elapsed_s),
						      c->current, &boot);

		if (reset != c->reset)
			g_error ("case %" G_GSIZE_FORMAT ": reset is %d", i, reset);
		if (reset)
			g_assert_cmpint (boot, ==, T0 + S (c->elapsed_s) - (XnInstant) c->current * 10000);
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS (scenarios); i++) {
		g_autofree char *path = g_strdup_printf ("/counters/%s", scenarios[i].name);

		g_test_add_data_func (path, &scenarios[i], test_scenario);
	}
	g_test_add_func ("/counters/nodes-apart", test_nodes_apart);
	g_test_add_func ("/counters/many-interfaces", test_many_interfaces);
	g_test_add_func ("/counters/uptime-reset", test_uptime_reset);
	return g_test_run ();
}

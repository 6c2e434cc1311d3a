/* snmp-poll.h — what one poll of a node asks and how the answers become an
 * XnNodeSample: the request plan, the table walk and the decoding, without
 * any network (engine.c sends, snmp-session.c speaks Net-SNMP).
 *
 * A poll is one walk over every needed column in parallel: the system
 * scalars (sysDescr, sysUpTime, sysName) as non-repeaters of the first
 * request, then the IF-MIB ifTable/ifXTable columns and the HOST-RESOURCES
 * processor and storage columns as repeaters, each column continuing from
 * the last OID it received until it leaves its subtree. SNMPv2c/v3 agents are
 * walked with GETBULK, max-repetitions sized so an answer fills about 1,400
 * bytes; v1 agents, and agents that misbehaved with GETBULK once, with GETNEXT.
 *
 * XnSnmpMemory is what earlier polls of the node taught (the GETNEXT
 * fallback, whether 32-bit counters are still needed, the table size); the
 * engine keeps one per node and the walk reads and updates it. */
#pragma once

#include <glib.h>

#include "inventory.h"
#include "sample.h"
#include "snmp-session.h"

G_BEGIN_DECLS

/* The answer size GETBULK aims at: an Ethernet MTU less IP/UDP headers and
 * room for the SNMP message around the varbinds. */
#define XN_SNMP_RESPONSE_BUDGET  1400
#define XN_SNMP_MAX_REPETITIONS  64

/* The columns a walk may ask for, in request order. */
typedef enum {
	XN_COL_IF_NAME,
	XN_COL_IF_ALIAS,
	XN_COL_IF_OPER,
	XN_COL_IF_ADMIN,
	XN_COL_IF_SPEED,
	XN_COL_IF_HIGH_SPEED,
	XN_COL_IF_HC_IN_OCTETS,
	XN_COL_IF_HC_OUT_OCTETS,
	XN_COL_IF_HC_IN_UCAST,
	XN_COL_IF_HC_OUT_UCAST,
	XN_COL_IF_IN_OCTETS,
	XN_COL_IF_OUT_OCTETS,
	XN_COL_IF_IN_UCAST,
	XN_COL_IF_OUT_UCAST,
	XN_COL_IF_IN_DISCARDS,
	XN_COL_IF_OUT_DISCARDS,
	XN_COL_IF_IN_ERRORS,
	XN_COL_IF_OUT_ERRORS,
	XN_COL_HR_PROCESSOR_LOAD,
	XN_COL_HR_STORAGE_TYPE,
	XN_COL_HR_STORAGE_UNITS,
	XN_COL_HR_STORAGE_SIZE,
	XN_COL_HR_STORAGE_USED,
	XN_COL_COUNT
} XnSnmpColumn;

typedef struct {
	gboolean use_getnext;       /* GETBULK misbehaved once: GETNEXT from now on */
	gboolean skip_counters32;   /* the last poll found HC counters on every interface */
	gboolean skip_speed32;      /* ifHighSpeed tells what ifSpeed would: ifSpeed is not asked */
	guint    speed32_skipped;   /* polls in a row without ifSpeed (it is asked every 16th) */
	gboolean no_fill;           /* the agent does not trim GETBULK answers: ask only what fits */
	guint    bulk_cap;          /* 0, or at most this many repetitions (the agent said tooBig) */
	guint    hr_absent;         /* polls in a row without HOST-RESOURCES rows */
	guint    rows;              /* interfaces the last poll found */
	guint    varbind_bytes;     /* estimated encoded size of one varbind in an answer */
	guint64  warned;            /* bit per XnSnmpColumn (and scalars above): bad value logged once */
} XnSnmpMemory;

typedef enum {
	XN_WALK_CONTINUE,   /* send xn_snmp_walk_request() next */
	XN_WALK_DONE,       /* every column walked to its end */
	XN_WALK_FAILED,     /* the agent's answers cannot be used further: xn_snmp_walk_problem() */
} XnWalkStep;

typedef struct _XnSnmpWalk XnSnmpWalk;

void                 xn_snmp_memory_init (XnSnmpMemory *memory);

XnSnmpWalk          *xn_snmp_walk_new (void);
void                 xn_snmp_walk_free (XnSnmpWalk *walk);
/* Starts a walk filling `sample` (borrowed until finish); `label` names the
 * node in log messages ("city-core (192.0.2.1:161)"), borrowed too. */
void                 xn_snmp_walk_start (XnSnmpWalk *walk, XnSnmpMemory *memory, XnSnmpVersion version,
					 XnNodeSample *sample, const char *label);
/* The next request; valid until the next feed. */
const XnSnmpRequest *xn_snmp_walk_request (XnSnmpWalk *walk);
/* An answer (kind RESPONSE) to the last request. */
XnWalkStep           xn_snmp_walk_feed (XnSnmpWalk *walk, const XnSnmpReply *reply);
/* Completes the sample (counter sources, speed, CPU, memory, used_getnext)
 * and updates the node's memory. Call once, after DONE or when giving up. */
void                 xn_snmp_walk_finish (XnSnmpWalk *walk);
const char          *xn_snmp_walk_problem (const XnSnmpWalk *walk);
guint                xn_snmp_walk_answers (const XnSnmpWalk *walk);
guint                xn_snmp_walk_varbinds (const XnSnmpWalk *walk);
/* TRUE when this walk switched from GETBULK to GETNEXT. */
gboolean             xn_snmp_walk_fell_back (const XnSnmpWalk *walk);

/* max-repetitions for `columns` repeaters so that an answer of varbinds of
 * about `varbind_bytes` each fills XN_SNMP_RESPONSE_BUDGET: with `fill`, the
 * rows that reach it, the last one partly (an agent trims what does not
 * fit); without, the rows that fit whole. 1 to XN_SNMP_MAX_REPETITIONS, and
 * no more than `rows_wanted` when that is known (not 0). */
guint                xn_snmp_max_repetitions (guint non_repeaters, guint columns, guint varbind_bytes,
					      guint rows_wanted, gboolean fill);
const char          *xn_snmp_column_name (XnSnmpColumn column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnSnmpWalk, xn_snmp_walk_free)

G_END_DECLS

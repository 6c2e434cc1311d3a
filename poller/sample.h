/* sample.h — what one poll of one node saw: the contract between the SNMP
 * engine (which fills it) and what consumes it (rates from counters, RRD
 * updates, state-change facts, `extranoc poll`).
 *
 * A sample is plain data, allocated once per poll with its interfaces in one
 * array: at 10,000 nodes × 48 interfaces every 300 s the poller must not
 * allocate per varbind. Values the agent did not give are marked absent by the
 * `have` bit masks rather than by magic numbers, because 0 is a real counter
 * value and a real gauge. */
#pragma once

#include <glib.h>
#include "xn-time.h"

G_BEGIN_DECLS

typedef enum {
	XN_POLL_OK,             /* the agent answered */
	XN_POLL_TIMEOUT,        /* no answer after the node's retries */
	XN_POLL_AUTH_FAILED,    /* SNMPv3 authentication/privacy failure, or a report PDU saying so */
	XN_POLL_ERROR,          /* an answer that could not be used (error-status, malformed) */
} XnPollResult;

typedef enum {
	XN_IF_HAVE_NAME        = 1 << 0,
	XN_IF_HAVE_ALIAS       = 1 << 1,
	XN_IF_HAVE_OPER        = 1 << 2,
	XN_IF_HAVE_ADMIN       = 1 << 3,
	XN_IF_HAVE_SPEED       = 1 << 4,   /* speed_bps from ifHighSpeed (×10^6) or ifSpeed */
	XN_IF_HAVE_HC_OCTETS   = 1 << 5,   /* in/out_octets are 64-bit ifHCIn/OutOctets */
	XN_IF_HAVE_OCTETS32    = 1 << 6,   /* in/out_octets are 32-bit ifIn/OutOctets */
	XN_IF_HAVE_UCAST       = 1 << 7,   /* in/out_ucast (HC when HC octets, else 32-bit) */
	XN_IF_HAVE_ERRORS      = 1 << 8,   /* in/out_errors (32-bit) */
	XN_IF_HAVE_DISCARDS    = 1 << 9,   /* in/out_discards (32-bit) */
} XnIfHave;

/* IF-MIB ifOperStatus / ifAdminStatus values, as the agent sends them. */
typedef enum {
	XN_IF_STATUS_UP = 1,
	XN_IF_STATUS_DOWN = 2,
	XN_IF_STATUS_TESTING = 3,
	XN_IF_STATUS_UNKNOWN = 4,
	XN_IF_STATUS_DORMANT = 5,
	XN_IF_STATUS_NOT_PRESENT = 6,
	XN_IF_STATUS_LOWER_LAYER_DOWN = 7,
} XnIfStatus;

typedef struct {
	guint32 if_index;
	guint32 have;            /* XnIfHave bits */
	char   *name;            /* ifName; owned */
	char   *alias;           /* ifAlias, verbatim bytes as the agent sent them (NUL-terminated, may be any bytes); owned */
	gsize   alias_len;       /* bytes in alias, which may include NULs (ifAlias is an OCTET STRING) */
	guint8  oper_status;     /* XnIfStatus */
	guint8  admin_status;    /* XnIfStatus */
	guint64 speed_bps;
	guint64 in_octets, out_octets;
	guint64 in_ucast, out_ucast;
	guint64 in_errors, out_errors;
	guint64 in_discards, out_discards;
} XnIfSample;

typedef enum {
	XN_NODE_HAVE_UPTIME = 1 << 0,
	XN_NODE_HAVE_NAME   = 1 << 1,
	XN_NODE_HAVE_DESCR  = 1 << 2,
	XN_NODE_HAVE_CPU    = 1 << 3,   /* cpu_percent: mean of hrProcessorLoad */
	XN_NODE_HAVE_MEMORY = 1 << 4,   /* mem_used_bytes / mem_total_bytes from hrStorageRam */
} XnNodeHave;

typedef struct {
	char        *node;           /* inventory node name; owned */
	XnInstant    started;        /* when the poll was sent */
	XnInstant    finished;       /* when the last answer (or the timeout) came */
	XnPollResult result;
	char        *error;          /* what went wrong, for the log; NULL when OK; owned */
	char        *incomplete;     /* OK, but a table walk stopped early (a later request timed out,
				      * the agent erred): why; NULL when every walk ended; owned */
	gint64       response_us;    /* round trip of the first request; -1 without an answer */
	guint32      have;           /* XnNodeHave bits */
	guint32      sys_uptime;     /* TimeTicks (1/100 s) */
	char        *sys_name;       /* owned */
	char        *sys_descr;      /* owned */
	double       cpu_percent;
	guint64      mem_used_bytes, mem_total_bytes;
	gboolean     used_getnext;   /* the agent misbehaved with GETBULK and was walked with GETNEXT */
	GArray      *interfaces;     /* XnIfSample, ordered by if_index; elements' strings owned */
} XnNodeSample;

XnNodeSample *xn_node_sample_new (const char *node);
void          xn_node_sample_free (XnNodeSample *sample);
XnIfSample   *xn_node_sample_interface (XnNodeSample *sample, guint32 if_index); /* finds or appends */
const XnIfSample *xn_node_sample_find_name (const XnNodeSample *sample, const char *if_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnNodeSample, xn_node_sample_free)

G_END_DECLS

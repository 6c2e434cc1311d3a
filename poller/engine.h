/* engine.h — many SNMP polls in flight on one GLib main context.
 *
 * The engine polls nodes on request: xn_snmp_engine_poll() queues a poll of
 * one node and the callback gets the finished XnNodeSample exactly once —
 * answered, timed out, refused, or failed — always from the main loop, never
 * from inside xn_snmp_engine_poll(). At most `window` polls have a request
 * out at a time (each poll has one request out at a time, so that is also
 * the number of requests in flight); the others wait in order.
 *
 * The engine keeps a small state per node across polls: the open Net-SNMP
 * session (so a socket, and for SNMPv3 the engine ID discovery and key
 * localisation, are paid once, not every poll), and what the agent taught
 * (snmp-poll.h: the GETNEXT fallback, whether 32-bit counters are still
 * needed, the table size that sizes max-repetitions). It copies what it
 * needs of the node, so the inventory may be reloaded while polls run; a
 * node whose SNMP endpoint changed gets a new session at its next poll.
 *
 * Scheduling (when to poll which node) is the daemon's; so are logging the
 * result and turning samples into facts. */
#pragma once

#include <glib.h>

#include "inventory.h"
#include "sample.h"
#include "secrets.h"

G_BEGIN_DECLS

typedef struct _XnSnmpEngine XnSnmpEngine;

/* The sample is the callee's: free it with xn_node_sample_free(). */
typedef void (*XnSampleCallback) (XnNodeSample *sample, gpointer user_data);

typedef struct {
	guint64 polls_started;      /* polls that sent a request */
	guint64 polls_finished;     /* callbacks made */
	guint64 requests_sent;      /* requests handed to Net-SNMP; its retries are not counted */
	guint64 bulk_requests;      /* of which GETBULK */
	guint64 getnext_requests;   /* of which GETNEXT */
	guint64 varbinds_decoded;
	guint64 timeouts;           /* polls that got no answer at all */
	guint64 sessions_opened;
	guint   in_flight;          /* polls with a request out now */
	guint   in_flight_max;      /* the most there ever were */
	guint   waiting;            /* polls waiting for the window */
} XnSnmpEngineStats;

/* `secrets` are borrowed and must outlive the engine (or the next
 * xn_snmp_engine_set_secrets()); `window` must be at least 1. */
XnSnmpEngine *xn_snmp_engine_new (GMainContext *context, const XnSecrets *secrets, guint window,
				  GError **error);
/* Cancels every unfinished poll: their callbacks are not called. May be
 * called from a sample callback. */
void          xn_snmp_engine_free (XnSnmpEngine *engine);

/* Queues a poll of `node` (copied; it need not outlive the call). A node
 * without an SNMP endpoint, or whose previous poll has not finished, gets
 * an XN_POLL_ERROR sample. */
void          xn_snmp_engine_poll (XnSnmpEngine *engine, const XnNode *node, XnSampleCallback callback,
				   gpointer user_data);
/* New secrets (e.g. after SIGHUP): derived keys are forgotten and every
 * session is reopened with the new credentials at its node's next poll. */
void          xn_snmp_engine_set_secrets (XnSnmpEngine *engine, const XnSecrets *secrets);
/* Drops what the engine keeps about a node that left the inventory. A poll
 * of it that is under way finishes first. */
void          xn_snmp_engine_forget (XnSnmpEngine *engine, const char *node_name);
void          xn_snmp_engine_get_stats (const XnSnmpEngine *engine, XnSnmpEngineStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnSnmpEngine, xn_snmp_engine_free)

G_END_DECLS

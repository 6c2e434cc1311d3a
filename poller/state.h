/* state.h — the state changes that successive samples of nodes show.
 *
 * XnPollState follows each node's reachability and the operational state of
 * every interface that is an end of an inventory link, and reports only
 * changes, as plain XnPollEvent structs; xn_poll_event_to_fact() turns one
 * into the journal's XnFact (kinds and attrs in doc/facts-poller.md). The
 * first sample of a node after start (or after xn_poll_state_reassert())
 * states the node's and its link interfaces' current state whatever it was
 * before, marked as a re-assertion, so a consumer never keeps an outage the
 * poller no longer sees. A new inventory (a reload) keeps what was said:
 * only nodes and link ends new to the state are stated afresh. Pure: times
 * come from the samples. */
#pragma once

#include <glib.h>
#include "fact.h"
#include "inventory.h"
#include "sample.h"

G_BEGIN_DECLS

#define XN_POLL_STATE_DEFAULT_FAILURES 2

typedef enum {
	XN_POLL_EVENT_NODE_UNREACHABLE,
	XN_POLL_EVENT_NODE_REACHABLE,
	XN_POLL_EVENT_NODE_REBOOTED,
	XN_POLL_EVENT_INTERFACE_DOWN,
	XN_POLL_EVENT_INTERFACE_UP,
	XN_POLL_EVENT_INTERFACE_ADMIN_DOWN,
} XnPollEventKind;

typedef struct {
	XnPollEventKind kind;
	XnInstant       ts;            /* when it happened (see doc/facts-poller.md) */
	char           *node;          /* owned */
	gboolean        reassert;      /* a statement of current state after start, not a seen change */

	/* node.unreachable and node.reachable */
	guint           failures;      /* consecutive failed polls (before the answer, for reachable) */
	XnPollResult    result;        /* unreachable: the last failure */
	char           *error;         /* unreachable: its message; may be NULL; owned */
	gboolean        have_uptime;   /* reachable: sys_uptime is set */

	/* node.rebooted (and reachable, when have_uptime) */
	guint32         previous_uptime;   /* TimeTicks */
	guint32         uptime;            /* TimeTicks */

	/* interface.* */
	char           *if_name;       /* as the inventory names it; owned */
	char           *link_id;       /* owned */
	gboolean        present;       /* FALSE: the agent listed interfaces, not this one */
	guint32         if_index;      /* when present */
	guint8          admin_status;  /* XnIfStatus; 0 when not given */
	guint8          oper_status;   /* XnIfStatus; 0 when not given */
} XnPollEvent;

typedef struct _XnPollState XnPollState;

/* `inventory` is resolved, borrowed, and must outlive the state (or be
 * replaced first with xn_poll_state_set_inventory()). A node is unreachable
 * after `failures_for_unreachable` consecutive failed polls
 * (0: XN_POLL_STATE_DEFAULT_FAILURES). */
XnPollState *xn_poll_state_new (const XnInventory *inventory, guint failures_for_unreachable);
void         xn_poll_state_free (XnPollState *state);

/* Moves to a new inventory and threshold (a reload) without re-asserting:
 * a node still in `inventory` keeps what was said of it, its run of failed
 * polls with the first one's instant, and what was said of each interface
 * that is still an end of one of its links; interfaces that are no longer
 * link ends are no longer followed; nodes not in `inventory` (every node
 * when it is NULL) are forgotten. A node or link end new to the state is
 * stated at its next sample, marked as a re-assertion, as after start.
 * `inventory` is borrowed as by xn_poll_state_new(); the previous one may
 * be freed once this returns. */
void         xn_poll_state_set_inventory (XnPollState *state, const XnInventory *inventory,
					  guint failures_for_unreachable);

/* Feeds one sample of one node, in the order the polls started; appends the
 * changes it shows to `events` (XnPollEvent*, freed by the array: make it
 * with g_ptr_array_new_with_free_func (xn_poll_event_free)). */
void         xn_poll_state_update (XnPollState *state, const XnNodeSample *sample,
				   GPtrArray *events);

/* TRUE while the node's last poll failed, from the first failure on (before
 * it counts as unreachable): the scheduler re-polls such nodes sooner. */
gboolean     xn_poll_state_is_failing (const XnPollState *state, const char *node);
guint        xn_poll_state_failures (const XnPollState *state, const char *node);

/* The next sample of `node` (of every node when NULL) re-asserts its current
 * state, as the first one after start does. */
void         xn_poll_state_reassert (XnPollState *state, const char *node);
/* Forgets a node (gone from the inventory, or from this poller's group): it
 * is stated afresh if it comes back. */
void         xn_poll_state_forget (XnPollState *state, const char *node);

void         xn_poll_event_free (XnPollEvent *event);
const char  *xn_poll_event_kind_to_string (XnPollEventKind kind);   /* the fact's kind */
char        *xn_poll_event_subject (const XnPollEvent *event);
/* The journal's form of the event; `source` is who records it ("poller"),
 * `recorded` when it is appended. */
XnFact      *xn_poll_event_to_fact (const XnPollEvent *event, const char *source,
				    XnInstant recorded);

/* IF-MIB's names for ifOperStatus/ifAdminStatus values ("up", "lowerLayerDown");
 * NULL for a value IF-MIB does not define. */
const char  *xn_if_status_to_string (guint status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnPollState, xn_poll_state_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnPollEvent, xn_poll_event_free)

G_END_DECLS

/* state.c — reachability and link-interface state from samples, as changes.
 *
 * For each node it keeps what it last said (nothing yet, reachable,
 * unreachable), the run of failed polls and the last answer's sysUpTime; for
 * each of the node's link interfaces, what it last said about it. A sample
 * produces an event only where the new state differs from what was said, so
 * the journal holds transitions, not polls. "Nothing said yet" differs from
 * every state: that is how the first sample after start re-asserts. An
 * outage starts at the first failed poll of the run that crossed the
 * threshold, not at the poll that confirmed it, because the SLA clock of the
 * unit behind the node started then. Interfaces of an unreachable node are
 * left as they were: nothing was seen of them, and the node's outage already
 * covers their links. A new inventory keeps all this for the nodes and link
 * ends it still has, so a reload says nothing by itself. This file does not
 * schedule polls, write the journal or read the clock. */
#include "state.h"
#include "counters.h"

#include <string.h>

typedef enum {
	SAID_NOTHING = 0,       /* also what a missing hash table entry reads as */
	SAID_UP,
	SAID_DOWN,
	SAID_ADMIN_DOWN,
} Said;

typedef struct {
	Said        said;           /* the node's reachability */
	guint       failures;       /* consecutive failed polls */
	XnInstant   first_failure;  /* start of the first of them */
	gboolean    answered;       /* the fields below hold an earlier answer */
	XnInstant   answered_at;
	gboolean    have_uptime;
	guint32     uptime;
	GHashTable *interfaces;     /* ifName (owned) → Said */
} NodeState;

struct _XnPollState {
	const XnInventory *inventory;
	guint              failures_for_unreachable;
	GHashTable        *nodes;   /* node name (owned) → NodeState */
};

static void
node_state_free (gpointer data)
{
	NodeState *node = data;

	g_hash_table_unref (node->interfaces);
	g_free (node);
}

static guint
threshold (guint failures_for_unreachable)
{
	return failures_for_unreachable > 0 ? failures_for_unreachable : XN_POLL_STATE_DEFAULT_FAILURES;
}

XnPollState *
xn_poll_state_new (const XnInventory *inventory, guint failures_for_unreachable)
{
	XnPollState *state = g_new0 (XnPollState, 1);

	state->inventory = inventory;
	state->failures_for_unreachable = threshold (failures_for_unreachable);
	state->nodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, node_state_free);
	return state;
}

/* What was said of interfaces that are no longer link ends of `inventory_node`
 * is dropped: they are no longer followed, and if one becomes a link end
 * again it is stated afresh. */
static void
keep_link_ends (NodeState *node, const XnInventory *inventory, const XnNode *inventory_node)
{
	const GPtrArray *links = xn_inventory_links_of_node (inventory, inventory_node);
	g_autoptr(GHashTable) ends = g_hash_table_new (g_str_hash, g_str_equal);
	GHashTableIter iter;
	const char *if_name;

	for (guint i = 0; links != NULL && i < links->len; i++) {
		const XnLink *link = g_ptr_array_index (links, i);

		if (link->a.node == inventory_node)
			g_hash_table_add (ends, link->a.interface);
		if (link->z.node == inventory_node)
			g_hash_table_add (ends, link->z.interface);
	}
	g_hash_table_iter_init (&iter, node->interfaces);
	while (g_hash_table_iter_next (&iter, (gpointer *) &if_name, NULL))
		if (!g_hash_table_contains (ends, if_name))
			g_hash_table_iter_remove (&iter);
}

/* A reload keeps the run of failures and its first instant: re-dating an
 * outage to a later poll, or restarting a run one poll short of the
 * threshold, would move the start of a unit's outage for no reason of the
 * unit's. */
void
xn_poll_state_set_inventory (XnPollState *state, const XnInventory *inventory,
			     guint failures_for_unreachable)
{
	GHashTableIter iter;
	const char *name;
	NodeState *node;

	g_hash_table_iter_init (&iter, state->nodes);
	while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &node)) {
		const XnNode *inventory_node = inventory != NULL ? xn_inventory_node_by_name (inventory, name) : NULL;

		if (inventory_node == NULL)
			g_hash_table_iter_remove (&iter);
		else
			keep_link_ends (node, inventory, inventory_node);
	}
	state->inventory = inventory;
	state->failures_for_unreachable = threshold (failures_for_unreachable);
}

void
xn_poll_state_free (XnPollState *state)
{
	if (state == NULL)
		return;
	g_hash_table_unref (state->nodes);
	g_free (state);
}

void
xn_poll_event_free (XnPollEvent *event)
{
	if (event == NULL)
		return;
	g_free (event->node);
	g_free (event->error);
	g_free (event->if_name);
	g_free (event->link_id);
	g_free (event);
}

static NodeState *
node_state (XnPollState *state, const char *name)
{
	NodeState *node = g_hash_table_lookup (state->nodes, name);

	if (node == NULL) {
		node = g_new0 (NodeState, 1);
		node->interfaces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
		g_hash_table_insert (state->nodes, g_strdup (name), node);
	}
	return node;
}

static XnPollEvent *
event_add (GPtrArray *events, XnPollEventKind kind, XnInstant ts, const char *node,
	   gboolean reassert)
{
	XnPollEvent *event = g_new0 (XnPollEvent, 1);

	event->kind = kind;
	event->ts = ts;
	event->node = g_strdup (node);
	event->reassert = reassert;
	g_ptr_array_add (events, event);
	return event;
}

static void
poll_failed (XnPollState *state, NodeState *node, const XnNodeSample *sample, GPtrArray *events)
{
	XnPollEvent *event;

	if (node->failures == 0)
		node->first_failure = sample->started;
	if (node->failures < G_MAXUINT)
		node->failures++;
	if (node->failures < state->failures_for_unreachable || node->said == SAID_DOWN)
		return;
	event = event_add (events, XN_POLL_EVENT_NODE_UNREACHABLE, node->first_failure,
			   sample->node, node->said == SAID_NOTHING);
	event->failures = node->failures;
	event->result = sample->result;
	/* Agents' error text ends up in the journal, which holds UTF-8 only. */
	event->error = sample->error != NULL ? g_utf8_make_valid (sample->error, -1) : NULL;
	node->said = SAID_DOWN;
}

static Said
interface_now (const XnIfSample *ifs)
{
	if (ifs == NULL)
		return SAID_DOWN;
	if ((ifs->have & XN_IF_HAVE_ADMIN) && ifs->admin_status == XN_IF_STATUS_DOWN)
		return SAID_ADMIN_DOWN;
	return ifs->oper_status == XN_IF_STATUS_UP ? SAID_UP : SAID_DOWN;
}

static void
link_end (NodeState *node, const XnNodeSample *sample, const XnLink *link,
	  const char *if_name, GPtrArray *events)
{
	static const XnPollEventKind kinds[] = {
		[SAID_UP] = XN_POLL_EVENT_INTERFACE_UP,
		[SAID_DOWN] = XN_POLL_EVENT_INTERFACE_DOWN,
		[SAID_ADMIN_DOWN] = XN_POLL_EVENT_INTERFACE_ADMIN_DOWN,
	};
	const XnIfSample *ifs = xn_node_sample_find_name (sample, if_name);
	Said said = GPOINTER_TO_INT (g_hash_table_lookup (node->interfaces, if_name));
	Said now;
	XnPollEvent *event;

	/* Without ifOperStatus nothing is known; a listed interface is. */
	if (ifs != NULL && !(ifs->have & XN_IF_HAVE_OPER))
		return;
	now = interface_now (ifs);
	if (now == said)
		return;
	event = event_add (events, kinds[now], sample->started, sample->node, said == SAID_NOTHING);
	event->if_name = g_strdup (if_name);
	event->link_id = g_strdup (link->id);
	event->present = ifs != NULL;
	if (ifs != NULL) {
		event->if_index = ifs->if_index;
		event->oper_status = ifs->oper_status;
		event->admin_status = (ifs->have & XN_IF_HAVE_ADMIN) ? ifs->admin_status : 0;
	}
	g_hash_table_insert (node->interfaces, g_strdup (if_name), GINT_TO_POINTER (now));
}

static void
link_interfaces (XnPollState *state, NodeState *node, const XnNodeSample *sample,
		 GPtrArray *events)
{
	const XnNode *inventory_node;
	const GPtrArray *links;

	/* An answer without interfaces (the table walk gave nothing) says
	 * nothing about them; it must not turn every link down. */
	if (state->inventory == NULL || sample->interfaces->len == 0)
		return;
	inventory_node = xn_inventory_node_by_name (state->inventory, sample->node);
	if (inventory_node == NULL)
		return;
	links = xn_inventory_links_of_node (state->inventory, inventory_node);
	for (guint i = 0; links != NULL && i < links->len; i++) {
		const XnLink *link = g_ptr_array_index (links, i);

		if (link->a.node == inventory_node)
			link_end (node, sample, link, link->a.interface, events);
		if (link->z.node == inventory_node)
			link_end (node, sample, link, link->z.interface, events);
	}
}

static void
poll_answered (XnPollState *state, NodeState *node, const XnNodeSample *sample,
	       GPtrArray *events)
{
	gboolean have_uptime = (sample->have & XN_NODE_HAVE_UPTIME) != 0;
	XnInstant boot_time = 0;
	XnPollEvent *event;

	if (node->said != SAID_UP) {
		event = event_add (events, XN_POLL_EVENT_NODE_REACHABLE, sample->started,
				   sample->node, node->said == SAID_NOTHING);
		event->failures = node->failures;
		event->have_uptime = have_uptime;
		event->uptime = sample->sys_uptime;
		node->said = SAID_UP;
	}
	if (node->answered && node->have_uptime && have_uptime &&
	    xn_uptime_was_reset (node->answered_at, node->uptime, sample->started,
				 sample->sys_uptime, &boot_time)) {
		event = event_add (events, XN_POLL_EVENT_NODE_REBOOTED, boot_time, sample->node, FALSE);
		event->have_uptime = TRUE;
		event->previous_uptime = node->uptime;
		event->uptime = sample->sys_uptime;
	}
	node->failures = 0;
	link_interfaces (state, node, sample, events);
	node->answered = TRUE;
	node->answered_at = sample->started;
	node->have_uptime = have_uptime;
	node->uptime = sample->sys_uptime;
}

void
xn_poll_state_update (XnPollState *state, const XnNodeSample *sample, GPtrArray *events)
{
	NodeState *node = node_state (state, sample->node);

	if (sample->result == XN_POLL_OK)
		poll_answered (state, node, sample, events);
	else
		poll_failed (state, node, sample, events);
}

guint
xn_poll_state_failures (const XnPollState *state, const char *node)
{
	const NodeState *ns = g_hash_table_lookup (state->nodes, node);

	return ns != NULL ? ns->failures : 0;
}

gboolean
xn_poll_state_is_failing (const XnPollState *state, const char *node)
{
	return xn_poll_state_failures (state, node) > 0;
}

static void
node_unsay (NodeState *node)
{
	node->said = SAID_NOTHING;
	g_hash_table_remove_all (node->interfaces);
}

void
xn_poll_state_reassert (XnPollState *state, const char *node)
{
	GHashTableIter iter;
	gpointer value;

	if (node != NULL) {
		NodeState *ns = g_hash_table_lookup (state->nodes, node);

		if (ns != NULL)
			node_unsay (ns);
		return;
	}
	g_hash_table_iter_init (&iter, state->nodes);
	while (g_hash_table_iter_next (&iter, NULL, &value))
		node_unsay (value);
}

void
xn_poll_state_forget (XnPollState *state, const char *node)
{
	g_hash_table_remove (state->nodes, node);
}

const char *
xn_poll_event_kind_to_string (XnPollEventKind kind)
{
	switch (kind) {
	case XN_POLL_EVENT_NODE_UNREACHABLE:     return "node.unreachable";
	case XN_POLL_EVENT_NODE_REACHABLE:       return "node.reachable";
	case XN_POLL_EVENT_NODE_REBOOTED:        return "node.rebooted";
	case XN_POLL_EVENT_INTERFACE_DOWN:       return "interface.down";
	case XN_POLL_EVENT_INTERFACE_UP:         return "interface.up";
	case XN_POLL_EVENT_INTERFACE_ADMIN_DOWN: return "interface.admin-down";
	}
	g_return_val_if_reached (NULL);
}

const char *
xn_if_status_to_string (guint status)
{
	static const char *const names[] = {
		[XN_IF_STATUS_UP] = "up",
		[XN_IF_STATUS_DOWN] = "down",
		[XN_IF_STATUS_TESTING] = "testing",
		[XN_IF_STATUS_UNKNOWN] = "unknown",
		[XN_IF_STATUS_DORMANT] = "dormant",
		[XN_IF_STATUS_NOT_PRESENT] = "notPresent",
		[XN_IF_STATUS_LOWER_LAYER_DOWN] = "lowerLayerDown",
	};

	return status < G_N_ELEMENTS (names) ? names[status] : NULL;
}

static const char *
poll_result_to_string (XnPollResult result)
{
	switch (result) {
	case XN_POLL_OK:          return "ok";
	case XN_POLL_TIMEOUT:     return "timeout";
	case XN_POLL_AUTH_FAILED: return "auth-failed";
	case XN_POLL_ERROR:       return "error";
	}
	return "error";
}

static gboolean
is_interface_event (const XnPollEvent *event)
{
	return event->kind == XN_POLL_EVENT_INTERFACE_DOWN ||
	       event->kind == XN_POLL_EVENT_INTERFACE_UP ||
	       event->kind == XN_POLL_EVENT_INTERFACE_ADMIN_DOWN;
}

char *
xn_poll_event_subject (const XnPollEvent *event)
{
	if (is_interface_event (event))
		return g_strconcat ("interface/", event->node, "/", event->if_name, NULL);
	return g_strconcat ("node/", event->node, NULL);
}

static void
set_status_member (JsonObject *attrs, const char *key, guint status)
{
	const char *name = xn_if_status_to_string (status);

	if (name != NULL)
		json_object_set_string_member (attrs, key, name);
	else
		json_object_set_null_member (attrs, key);
}

static void
interface_attrs (const XnPollEvent *event, JsonObject *attrs)
{
	json_object_set_string_member (attrs, "node", event->node);
	json_object_set_string_member (attrs, "if_name", event->if_name);
	json_object_set_boolean_member (attrs, "present", event->present);
	if (event->present)
		json_object_set_int_member (attrs, "if_index", event->if_index);
	else
		json_object_set_null_member (attrs, "if_index");
	set_status_member (attrs, "admin_status", event->admin_status);
	set_status_member (attrs, "oper_status", event->oper_status);
	json_object_set_string_member (attrs, "link", event->link_id);
}

XnFact *
xn_poll_event_to_fact (const XnPollEvent *event, const char *source, XnInstant recorded)
{
	g_autoptr(JsonObject) attrs = json_object_new ();
	g_autofree char *subject = xn_poll_event_subject (event);

	json_object_set_boolean_member (attrs, "reassert", event->reassert);
	switch (event->kind) {
	case XN_POLL_EVENT_NODE_UNREACHABLE:
		json_object_set_int_member (attrs, "failures", event->failures);
		json_object_set_string_member (attrs, "result", poll_result_to_string (event->result));
		if (event->error != NULL)
			json_object_set_string_member (attrs, "error", event->error);
		break;
	case XN_POLL_EVENT_NODE_REACHABLE:
		json_object_set_int_member (attrs, "failures", event->failures);
		if (event->have_uptime)
			json_object_set_int_member (attrs, "sys_uptime", event->uptime);
		break;
	case XN_POLL_EVENT_NODE_REBOOTED:
		json_object_set_int_member (attrs, "previous_sys_uptime", event->previous_uptime);
		json_object_set_int_member (attrs, "sys_uptime", event->uptime);
		break;
	case XN_POLL_EVENT_INTERFACE_DOWN:
	case XN_POLL_EVENT_INTERFACE_UP:
	case XN_POLL_EVENT_INTERFACE_ADMIN_DOWN:
		interface_attrs (event, attrs);
		break;
	}
	return xn_fact_new (event->ts, xn_poll_event_kind_to_string (event->kind), subject,
			    source, recorded, attrs);
}

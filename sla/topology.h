/* topology.h — what the outage engine needs to know of the inventory: the
 * objects that can be in outage (nodes and links), which of them each one
 * depends on, and which access units each one cuts off.
 *
 * Dependencies (doc/outages.md): a node depends on its parent node and on
 * its uplinks (the links between it and its parent); a link depends on its
 * upper end node (the end toward the core: the A end, unless the Z end is the
 * A end's parent) and, while its only fault is that node being unreachable,
 * on its lower end node. The topology is built once from a resolved
 * inventory and is read-only afterwards; every pointer in it is borrowed from
 * the inventory or owned by the topology. */
#pragma once

#include <glib.h>

#include "inventory.h"

G_BEGIN_DECLS

/* The signals a link's state is made of, in the order a cause is chosen when
 * several start at the same instant. A node has only XN_ROLE_REACH. */
typedef enum {
	XN_ROLE_IF_A,           /* the A end's interface */
	XN_ROLE_IF_Z,           /* the Z end's interface (managed Z ends only) */
	XN_ROLE_NODE_A,         /* the A end node's reachability */
	XN_ROLE_NODE_Z,         /* the Z end node's reachability (managed Z ends only) */
	XN_ROLE_COUNT,
	XN_ROLE_REACH = 0,      /* a node's own reachability */
} XnRole;

typedef struct _XnTopoObject XnTopoObject;

struct _XnTopoObject {
	guint          index;        /* in XnTopology.objects */
	char          *name;         /* "node/NAME" or "link/ID" */
	gboolean       is_link;
	const XnNode  *node;         /* node objects */
	const XnLink  *link;         /* link objects */
	/* The subject of each role's signal ("node/NAME",
	 * "interface/NODE/IFNAME"); NULL for roles the object does not have. */
	char          *signal[XN_ROLE_COUNT];

	/* Nodes: the parent's object (NULL at the top) and the uplinks. */
	XnTopoObject  *parent;
	GPtrArray     *uplinks;      /* XnTopoObject of links, inventory order */

	/* Links: the end nodes' objects; lower is NULL for a unit's own
	 * equipment. */
	XnTopoObject  *upper;
	XnTopoObject  *lower;
	XnRole         upper_role;   /* XN_ROLE_NODE_A or _Z */
	XnRole         lower_role;

	GStrv          units;        /* affected access units, sorted by name */
	/* Every object a walk toward the root can reach from this one, this
	 * one excluded; and the objects whose closure holds this one. */
	GPtrArray     *closure;
	GPtrArray     *downstream;
};

typedef struct {
	const XnInventory *inventory;
	GPtrArray         *objects;      /* XnTopoObject: nodes, then links, inventory order */
	GHashTable        *by_name;      /* object name → XnTopoObject */
	/* Signal subject → GPtrArray of the XnTopoObjects that use it. */
	GHashTable        *signal_users;
	/* The largest closure: a walk toward the root meets at most this many
	 * objects, which bounds how far the correlation window can reach. */
	guint              max_closure;
	/* SHA-256 of everything above, in hex: equal for two inventories
	 * exactly when the engine would derive the same outages from them. */
	char              *digest;
} XnTopology;

/* `inventory` must be resolved and outlive the topology. */
XnTopology   *xn_topology_new (const XnInventory *inventory);
void          xn_topology_free (XnTopology *topology);

XnTopoObject *xn_topology_lookup (const XnTopology *topology, const char *name);
/* NULL when no object follows that subject. */
const GPtrArray *xn_topology_signal_users (const XnTopology *topology, const char *subject);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnTopology, xn_topology_free)

G_END_DECLS

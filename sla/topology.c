/* topology.c — the inventory seen as the outage engine sees it.
 *
 * One object per node and per link, the signals each is made of (a node's
 * reachability; a link's end interfaces and end nodes), the objects each one
 * depends on, the access units each one cuts off, and a digest of all that
 * so a snapshot taken under another topology is recognised. A link whose Z
 * end is a unit's own equipment has no Z signals: nothing reports on it.
 * The dependency closure of every object, and its inverse, are computed
 * once here: the parent chain is at most XN_INVENTORY_MAX_DEPTH long, so both
 * stay small. This file keeps no state of any outage. */
#include "topology.h"

#include <string.h>

static XnTopoObject *
object_new (XnTopology *topology, char *name)
{
	XnTopoObject *object = g_new0 (XnTopoObject, 1);

	object->index = topology->objects->len;
	object->name = name;
	object->uplinks = g_ptr_array_new ();
	object->closure = g_ptr_array_new ();
	object->downstream = g_ptr_array_new ();
	g_ptr_array_add (topology->objects, object);
	g_hash_table_insert (topology->by_name, object->name, object);
	return object;
}

static void
object_free (gpointer data)
{
	XnTopoObject *object = data;

	g_free (object->name);
	for (guint i = 0; i < XN_ROLE_COUNT; i++)
		g_free (object->signal[i]);
	g_ptr_array_unref (object->uplinks);
	g_ptr_array_unref (object->closure);
	g_ptr_array_unref (object->downstream);
	g_strfreev (object->units);
	g_free (object);
}

static void
set_signal (XnTopology *topology, XnTopoObject *object, XnRole role, char *subject)
{
	GPtrArray *users = g_hash_table_lookup (topology->signal_users, subject);

	object->signal[role] = subject;
	if (users == NULL) {
		users = g_ptr_array_new ();
		g_hash_table_insert (topology->signal_users, g_strdup (subject), users);
	}
	g_ptr_array_add (users, object);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Units as a sorted, NULL-terminated copy of their names, each once. */
static GStrv
unit_names (const GPtrArray *units)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new ();
	GStrvBuilder *builder = g_strv_builder_new ();
	GStrv result;

	for (guint i = 0; units != NULL && i < units->len; i++)
		g_ptr_array_add (names, ((XnAccessUnit *) g_ptr_array_index (units, i))->name);
	g_ptr_array_sort (names, compare_names);
	for (guint i = 0; i < names->len; i++)
		if (i == 0 || strcmp (g_ptr_array_index (names, i - 1), g_ptr_array_index (names, i)) != 0)
			g_strv_builder_add (builder, g_ptr_array_index (names, i));
	result = g_strv_builder_end (builder);
	g_strv_builder_unref (builder);
	return result;
}

static XnTopoObject *
node_object (const XnTopology *topology, const XnNode *node)
{
	g_autofree char *name = NULL;

	if (node == NULL)
		return NULL;
	name = g_strconcat ("node/", node->name, NULL);
	return xn_topology_lookup (topology, name);
}

static void
add_nodes (XnTopology *topology)
{
	const GPtrArray *nodes = xn_inventory_get_nodes (topology->inventory);

	for (guint i = 0; i < nodes->len; i++) {
		const XnNode *node = g_ptr_array_index (nodes, i);
		XnTopoObject *object = object_new (topology, g_strconcat ("node/", node->name, NULL));
		g_autoptr(GPtrArray) below = xn_inventory_units_below_node (topology->inventory, node);

		object->node = node;
		object->units = unit_names (below);
		set_signal (topology, object, XN_ROLE_REACH, g_strdup (object->name));
	}
	for (guint i = 0; i < topology->objects->len; i++) {
		XnTopoObject *object = g_ptr_array_index (topology->objects, i);

		object->parent = node_object (topology, object->node->parent);
	}
}

/* The upper end is the A end (toward the core, as the inventory says)
 * unless the Z end is the A end's parent: a link entered the other way
 * round still hangs below the parent. A link with both ends on one node
 * has no lower end. */
static void
set_link_ends (XnTopology *topology, XnTopoObject *object)
{
	const XnLink *link = object->link;
	gboolean z_upper = link->z.node != NULL && link->a.node->parent == link->z.node;
	const XnNode *upper = z_upper ? link->z.node : link->a.node;
	const XnNode *lower = z_upper ? link->a.node : link->z.node;

	object->upper = node_object (topology, upper);
	object->lower = lower != upper ? node_object (topology, lower) : NULL;
	object->upper_role = z_upper ? XN_ROLE_NODE_Z : XN_ROLE_NODE_A;
	object->lower_role = z_upper ? XN_ROLE_NODE_A : XN_ROLE_NODE_Z;
}

static gboolean
is_uplink (const XnLink *link, const XnNode *node)
{
	const XnNode *parent = node->parent;

	return parent != NULL &&
	       ((link->a.node == node && link->z.node == parent) ||
		(link->z.node == node && link->a.node == parent));
}

/* A link cuts off the units on it and, when it is the only uplink of its
 * lower node, every unit below that node. */
static GStrv
link_units (const XnTopology *topology, const XnTopoObject *object)
{
	const XnLink *link = object->link;
	g_autoptr(GPtrArray) units = g_ptr_array_new ();
	const GPtrArray *on_link = xn_inventory_units_on_link (topology->inventory, link);

	for (guint i = 0; on_link != NULL && i < on_link->len; i++)
		g_ptr_array_add (units, g_ptr_array_index (on_link, i));
	if (object->lower != NULL && object->lower->uplinks->len == 1 &&
	    g_ptr_array_index (object->lower->uplinks, 0) == object) {
		g_autoptr(GPtrArray) below = xn_inventory_units_below_node (topology->inventory, object->lower->node);

		g_ptr_array_extend (units, below, NULL, NULL);
	}
	return unit_names (units);
}

static void
add_links (XnTopology *topology)
{
	const GPtrArray *links = xn_inventory_get_links (topology->inventory);
	guint first = topology->objects->len;

	for (guint i = 0; i < links->len; i++) {
		const XnLink *link = g_ptr_array_index (links, i);
		XnTopoObject *object = object_new (topology, g_strconcat ("link/", link->id, NULL));

		object->is_link = TRUE;
		object->link = link;
		set_signal (topology, object, XN_ROLE_IF_A,
			    g_strdup_printf ("interface/%s/%s", link->a.node->name, link->a.interface));
		set_signal (topology, object, XN_ROLE_NODE_A, g_strconcat ("node/", link->a.node->name, NULL));
		if (link->z.node != NULL) {
			set_signal (topology, object, XN_ROLE_IF_Z,
				    g_strdup_printf ("interface/%s/%s", link->z.node->name, link->z.interface));
			if (link->z.node != link->a.node)
				set_signal (topology, object, XN_ROLE_NODE_Z,
					    g_strconcat ("node/", link->z.node->name, NULL));
		}
		set_link_ends (topology, object);
		for (guint k = 0; k < 2; k++) {
			const XnNode *end = k == 0 ? link->a.node : link->z.node;

			if (end != NULL && is_uplink (link, end))
				g_ptr_array_add (node_object (topology, end)->uplinks, object);
		}
	}
	/* Units need every node's uplinks. */
	for (guint i = first; i < topology->objects->len; i++) {
		XnTopoObject *object = g_ptr_array_index (topology->objects, i);

		object->units = link_units (topology, object);
	}
}

static void
push_unseen (GPtrArray *queue, GHashTable *seen, XnTopoObject *object)
{
	if (object != NULL && g_hash_table_add (seen, object))
		g_ptr_array_add (queue, object);
}

/* Breadth first over the dependency edges, so the closure lists nearer
 * objects first. */
static void
set_closure (XnTopoObject *object)
{
	g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

	push_unseen (object->closure, seen, object);
	for (guint i = 0; i < object->closure->len; i++) {
		XnTopoObject *at = g_ptr_array_index (object->closure, i);

		if (at->is_link) {
			push_unseen (object->closure, seen, at->upper);
			push_unseen (object->closure, seen, at->lower);
		} else {
			push_unseen (object->closure, seen, at->parent);
			for (guint k = 0; k < at->uplinks->len; k++)
				push_unseen (object->closure, seen, g_ptr_array_index (at->uplinks, k));
		}
	}
	g_ptr_array_remove_index (object->closure, 0);
}

static void
add_field (GChecksum *sum, const char *field)
{
	char length[24];

	/* Length-prefixed, so no name can imitate a separator. */
	g_snprintf (length, sizeof length, "%zu:", field != NULL ? strlen (field) : 0);
	g_checksum_update (sum, (const guchar *) length, -1);
	if (field != NULL)
		g_checksum_update (sum, (const guchar *) field, -1);
}

/* Order matters (the first of several uplinks is the one named), so the
 * digest follows the inventory's order. */
static char *
digest (const XnTopology *topology)
{
	g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

	add_field (sum, "extranoc-outage-topology-1");
	for (guint i = 0; i < topology->objects->len; i++) {
		const XnTopoObject *object = g_ptr_array_index (topology->objects, i);

		add_field (sum, object->name);
		for (guint r = 0; r < XN_ROLE_COUNT; r++)
			add_field (sum, object->signal[r]);
		add_field (sum, object->parent != NULL ? object->parent->name : NULL);
		add_field (sum, object->upper != NULL ? object->upper->name : NULL);
		add_field (sum, object->lower != NULL ? object->lower->name : NULL);
		for (guint k = 0; k < object->uplinks->len; k++)
			add_field (sum, ((XnTopoObject *) g_ptr_array_index (object->uplinks, k))->name);
		add_field (sum, "units");
		for (guint k = 0; object->units[k] != NULL; k++)
			add_field (sum, object->units[k]);
	}
	return g_strdup (g_checksum_get_string (sum));
}

XnTopology *
xn_topology_new (const XnInventory *inventory)
{
	XnTopology *topology = g_new0 (XnTopology, 1);

	topology->inventory = inventory;
	topology->objects = g_ptr_array_new_with_free_func (object_free);
	topology->by_name = g_hash_table_new (g_str_hash, g_str_equal);
	topology->signal_users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
							(GDestroyNotify) g_ptr_array_unref);
	add_nodes (topology);
	add_links (topology);
	for (guint i = 0; i < topology->objects->len; i++)
		set_closure (g_ptr_array_index (topology->objects, i));
	for (guint i = 0; i < topology->objects->len; i++) {
		XnTopoObject *object = g_ptr_array_index (topology->objects, i);

		topology->max_closure = MAX (topology->max_closure, object->closure->len);
		for (guint k = 0; k < object->closure->len; k++)
			g_ptr_array_add (((XnTopoObject *) g_ptr_array_index (object->closure, k))->downstream, object);
	}
	topology->digest = digest (topology);
	return topology;
}

void
xn_topology_free (XnTopology *topology)
{
	if (topology == NULL)
		return;
	g_hash_table_unref (topology->signal_users);
	g_hash_table_unref (topology->by_name);
	g_ptr_array_unref (topology->objects);
	g_free (topology->digest);
	g_free (topology);
}

XnTopoObject *
xn_topology_lookup (const XnTopology *topology, const char *name)
{
	return g_hash_table_lookup (topology->by_name, name);
}

const GPtrArray *
xn_topology_signal_users (const XnTopology *topology, const char *subject)
{
	return g_hash_table_lookup (topology->signal_users, subject);
}

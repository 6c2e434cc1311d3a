/* inventory.c — the plain-C inventory: objects, lookups by name, and the
 * topology derived from the parent and link references.
 *
 * Objects are owned by one array per kind (which keeps the configuration's
 * order for reports) and indexed by name in a hash table that borrows them.
 * xn_inventory_resolve() is the only place that turns names into pointers;
 * it stops at the first dangling name, because the full list of problems is
 * check-config's job (lib/config-check.c) and a daemon only needs to know
 * that the inventory it was given is unusable. Nothing here reads files,
 * knows about YANG, or changes after resolve. */
#include "inventory.h"
#include "xn-error.h"

struct _XnInventory {
	GPtrArray  *regions, *sites, *carriers, *nodes, *links, *units;
	GHashTable *region_index, *site_index, *carrier_index;
	GHashTable *node_index, *link_index, *unit_index;
	gboolean    resolved;
};

XnContact *
xn_contact_new (const char *name, const char *phone)
{
	XnContact *contact = g_new0 (XnContact, 1);

	contact->name = g_strdup (name);
	contact->phone = g_strdup (phone);
	return contact;
}

void
xn_contact_free (XnContact *contact)
{
	if (contact == NULL)
		return;
	g_free (contact->name);
	g_free (contact->phone);
	g_free (contact->email);
	g_free (contact->role);
	g_free (contact);
}

XnRegion *
xn_region_new (const char *name, XnRegionLevel level)
{
	XnRegion *region = g_new0 (XnRegion, 1);

	region->name = g_strdup (name);
	region->level = level;
	return region;
}

void
xn_region_free (XnRegion *region)
{
	if (region == NULL)
		return;
	g_free (region->name);
	g_free (region->display_name);
	g_free (region->parent_name);
	g_free (region);
}

XnSite *
xn_site_new (const char *name, const char *region_name, const char *sla_class)
{
	XnSite *site = g_new0 (XnSite, 1);

	site->name = g_strdup (name);
	site->region_name = g_strdup (region_name);
	site->sla_class = g_strdup (sla_class);
	return site;
}

void
xn_site_free (XnSite *site)
{
	if (site == NULL)
		return;
	g_free (site->name);
	g_free (site->display_name);
	g_free (site->region_name);
	g_free (site->sla_class);
	g_free (site->address);
	g_free (site);
}

XnCarrier *
xn_carrier_new (const char *name, XnChannelKind channel)
{
	XnCarrier *carrier = g_new0 (XnCarrier, 1);

	carrier->name = g_strdup (name);
	carrier->channel = channel;
	carrier->contacts = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_contact_free);
	return carrier;
}

void
xn_carrier_free (XnCarrier *carrier)
{
	if (carrier == NULL)
		return;
	g_free (carrier->name);
	g_free (carrier->display_name);
	g_free (carrier->address);
	g_strfreev (carrier->recipients);
	g_free (carrier->credential);
	g_ptr_array_unref (carrier->contacts);
	g_free (carrier);
}

XnSnmpEndpoint *
xn_snmp_endpoint_new (const char *credential)
{
	XnSnmpEndpoint *snmp = g_new0 (XnSnmpEndpoint, 1);

	snmp->version = XN_SNMP_V2C;
	snmp->port = 161;
	snmp->credential = g_strdup (credential);
	snmp->timeout_ms = 2000;
	snmp->retries = 1;
	snmp->interval_s = 300;
	return snmp;
}

void
xn_snmp_endpoint_free (XnSnmpEndpoint *snmp)
{
	if (snmp == NULL)
		return;
	g_free (snmp->credential);
	g_free (snmp);
}

XnNetconfEndpoint *
xn_netconf_endpoint_new (const char *credential)
{
	XnNetconfEndpoint *netconf = g_new0 (XnNetconfEndpoint, 1);

	netconf->port = 830;
	netconf->credential = g_strdup (credential);
	netconf->interval_s = 300;
	return netconf;
}

void
xn_netconf_endpoint_free (XnNetconfEndpoint *netconf)
{
	if (netconf == NULL)
		return;
	g_free (netconf->credential);
	g_free (netconf);
}

XnNode *
xn_node_new (const char *name, XnNodeRole role, const char *site_name, const char *management_address)
{
	XnNode *node = g_new0 (XnNode, 1);

	node->name = g_strdup (name);
	node->role = role;
	node->site_name = g_strdup (site_name);
	node->management_address = g_strdup (management_address);
	node->poller_group = g_strdup ("default");
	node->children = g_ptr_array_new ();
	node->links = g_ptr_array_new ();
	return node;
}

void
xn_node_free (XnNode *node)
{
	if (node == NULL)
		return;
	g_free (node->name);
	g_free (node->display_name);
	g_free (node->site_name);
	g_free (node->management_address);
	g_free (node->parent_name);
	g_free (node->poller_group);
	g_free (node->maintained_by);
	xn_snmp_endpoint_free (node->snmp);
	xn_netconf_endpoint_free (node->netconf);
	g_ptr_array_unref (node->children);
	g_ptr_array_unref (node->links);
	g_free (node);
}

XnLink *
xn_link_new (const char *id, guint32 bandwidth_kbps, const char *a_node, const char *a_interface,
	     const char *sla_site_name)
{
	XnLink *link = g_new0 (XnLink, 1);

	link->id = g_strdup (id);
	link->bandwidth_kbps = bandwidth_kbps;
	link->a.node_name = g_strdup (a_node);
	link->a.interface = g_strdup (a_interface);
	link->sla_site_name = g_strdup (sla_site_name);
	link->units = g_ptr_array_new ();
	return link;
}

void
xn_link_free (XnLink *link)
{
	if (link == NULL)
		return;
	g_free (link->id);
	g_free (link->carrier_name);
	g_free (link->circuit_id);
	g_free (link->a.node_name);
	g_free (link->a.interface);
	g_free (link->z.node_name);
	g_free (link->z.interface);
	g_free (link->sla_site_name);
	g_ptr_array_unref (link->units);
	g_free (link);
}

XnAccessUnit *
xn_access_unit_new (const char *name, const char *display_name, const char *site_name, const char *uplink_id)
{
	XnAccessUnit *unit = g_new0 (XnAccessUnit, 1);

	unit->name = g_strdup (name);
	unit->display_name = g_strdup (display_name);
	unit->site_name = g_strdup (site_name);
	unit->uplink_id = g_strdup (uplink_id);
	return unit;
}

void
xn_access_unit_free (XnAccessUnit *unit)
{
	if (unit == NULL)
		return;
	g_free (unit->name);
	g_free (unit->display_name);
	g_free (unit->site_name);
	g_free (unit->uplink_id);
	xn_contact_free (unit->network_admin);
	xn_contact_free (unit->security_contact);
	g_free (unit);
}

XnInventory *
xn_inventory_new (void)
{
	XnInventory *inv = g_new0 (XnInventory, 1);

	inv->regions = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_region_free);
	inv->sites = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_site_free);
	inv->carriers = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_carrier_free);
	inv->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_node_free);
	inv->links = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_link_free);
	inv->units = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_access_unit_free);
	inv->region_index = g_hash_table_new (g_str_hash, g_str_equal);
	inv->site_index = g_hash_table_new (g_str_hash, g_str_equal);
	inv->carrier_index = g_hash_table_new (g_str_hash, g_str_equal);
	inv->node_index = g_hash_table_new (g_str_hash, g_str_equal);
	inv->link_index = g_hash_table_new (g_str_hash, g_str_equal);
	inv->unit_index = g_hash_table_new (g_str_hash, g_str_equal);
	return inv;
}

void
xn_inventory_free (XnInventory *inv)
{
	if (inv == NULL)
		return;
	/* Indexes borrow their keys and values from the objects: drop them first. */
	g_hash_table_unref (inv->region_index);
	g_hash_table_unref (inv->site_index);
	g_hash_table_unref (inv->carrier_index);
	g_hash_table_unref (inv->node_index);
	g_hash_table_unref (inv->link_index);
	g_hash_table_unref (inv->unit_index);
	g_ptr_array_unref (inv->units);
	g_ptr_array_unref (inv->links);
	g_ptr_array_unref (inv->nodes);
	g_ptr_array_unref (inv->carriers);
	g_ptr_array_unref (inv->sites);
	g_ptr_array_unref (inv->regions);
	g_free (inv);
}

/* The common part of xn_inventory_add_*(): `object` is freed on refusal. */
static gboolean
add_object (GPtrArray *array, GHashTable *index, const char *kind, const char *name,
	    gpointer object, GDestroyNotify free_func, GError **error)
{
	if (name == NULL || g_hash_table_contains (index, name)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s '%s' is defined twice",
			     kind, name != NULL ? name : "(null)");
		free_func (object);
		return FALSE;
	}
	g_ptr_array_add (array, object);
	g_hash_table_insert (index, (gpointer) name, object);
	return TRUE;
}

gboolean
xn_inventory_add_region (XnInventory *inv, XnRegion *region, GError **error)
{
	return add_object (inv->regions, inv->region_index, "region", region->name, region,
			   (GDestroyNotify) xn_region_free, error);
}

gboolean
xn_inventory_add_site (XnInventory *inv, XnSite *site, GError **error)
{
	return add_object (inv->sites, inv->site_index, "site", site->name, site,
			   (GDestroyNotify) xn_site_free, error);
}

gboolean
xn_inventory_add_carrier (XnInventory *inv, XnCarrier *carrier, GError **error)
{
	return add_object (inv->carriers, inv->carrier_index, "carrier", carrier->name, carrier,
			   (GDestroyNotify) xn_carrier_free, error);
}

gboolean
xn_inventory_add_node (XnInventory *inv, XnNode *node, GError **error)
{
	return add_object (inv->nodes, inv->node_index, "node", node->name, node,
			   (GDestroyNotify) xn_node_free, error);
}

gboolean
xn_inventory_add_link (XnInventory *inv, XnLink *link, GError **error)
{
	return add_object (inv->links, inv->link_index, "link", link->id, link,
			   (GDestroyNotify) xn_link_free, error);
}

gboolean
xn_inventory_add_unit (XnInventory *inv, XnAccessUnit *unit, GError **error)
{
	return add_object (inv->units, inv->unit_index, "access unit", unit->name, unit,
			   (GDestroyNotify) xn_access_unit_free, error);
}

/* A reference of `owner` ("node 'x'") to `name` must exist in `index`; a
 * NULL name (an optional reference left out) is fine. */
static gboolean
exists (GHashTable *index, const char *name, const char *owner_kind, const char *owner,
	const char *kind, GError **error)
{
	if (name == NULL || g_hash_table_contains (index, name))
		return TRUE;
	g_set_error (error, XN_ERROR, XN_ERROR_NOT_FOUND, "%s '%s': %s '%s' does not exist",
		     owner_kind, owner, kind, name);
	return FALSE;
}

static gpointer
find (GHashTable *index, const char *name)
{
	return name != NULL ? g_hash_table_lookup (index, name) : NULL;
}

static gboolean
resolve_names (XnInventory *inv, GError **error)
{
	for (guint i = 0; i < inv->regions->len; i++) {
		XnRegion *r = g_ptr_array_index (inv->regions, i);

		if (!exists (inv->region_index, r->parent_name, "region", r->name, "parent region", error))
			return FALSE;
		r->parent = find (inv->region_index, r->parent_name);
	}
	for (guint i = 0; i < inv->sites->len; i++) {
		XnSite *s = g_ptr_array_index (inv->sites, i);

		if (!exists (inv->region_index, s->region_name, "site", s->name, "region", error))
			return FALSE;
		s->region = find (inv->region_index, s->region_name);
	}
	for (guint i = 0; i < inv->nodes->len; i++) {
		XnNode *n = g_ptr_array_index (inv->nodes, i);

		if (!exists (inv->site_index, n->site_name, "node", n->name, "site", error) ||
		    !exists (inv->node_index, n->parent_name, "node", n->name, "parent node", error) ||
		    !exists (inv->carrier_index, n->maintained_by, "node", n->name, "carrier", error))
			return FALSE;
		n->site = find (inv->site_index, n->site_name);
		n->parent = find (inv->node_index, n->parent_name);
		n->maintainer = find (inv->carrier_index, n->maintained_by);
	}
	for (guint i = 0; i < inv->links->len; i++) {
		XnLink *l = g_ptr_array_index (inv->links, i);

		if (!exists (inv->carrier_index, l->carrier_name, "link", l->id, "carrier", error) ||
		    !exists (inv->node_index, l->a.node_name, "link", l->id, "node", error) ||
		    !exists (inv->node_index, l->z.node_name, "link", l->id, "node", error) ||
		    !exists (inv->site_index, l->sla_site_name, "link", l->id, "site", error))
			return FALSE;
		l->carrier = find (inv->carrier_index, l->carrier_name);
		l->a.node = find (inv->node_index, l->a.node_name);
		l->z.node = find (inv->node_index, l->z.node_name);
		l->sla_site = find (inv->site_index, l->sla_site_name);
	}
	for (guint i = 0; i < inv->units->len; i++) {
		XnAccessUnit *u = g_ptr_array_index (inv->units, i);

		if (!exists (inv->site_index, u->site_name, "access unit", u->name, "site", error) ||
		    !exists (inv->link_index, u->uplink_id, "access unit", u->name, "link", error))
			return FALSE;
		u->site = find (inv->site_index, u->site_name);
		u->uplink = find (inv->link_index, u->uplink_id);
	}
	return TRUE;
}

/* Following parents from any node must reach the top within the limit; a
 * loop never does, so one walk per node finds both faults. */
static gboolean
check_depth (XnInventory *inv, GError **error)
{
	for (guint i = 0; i < inv->nodes->len; i++) {
		XnNode *n = g_ptr_array_index (inv->nodes, i);
		XnNode *up = n->parent;
		guint hops = 1;       /* how far `up` is from n */

		while (up != NULL && hops <= XN_INVENTORY_MAX_DEPTH) {
			up = up->parent;
			hops++;
		}
		if (up != NULL) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
				     "node '%s': the parent chain loops or is deeper than %d hops",
				     n->name, XN_INVENTORY_MAX_DEPTH);
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
xn_inventory_resolve (XnInventory *inv, GError **error)
{
	inv->resolved = FALSE;
	if (!resolve_names (inv, error) || !check_depth (inv, error))
		return FALSE;

	for (guint i = 0; i < inv->nodes->len; i++) {
		XnNode *n = g_ptr_array_index (inv->nodes, i);

		g_ptr_array_set_size (n->children, 0);
		g_ptr_array_set_size (n->links, 0);
	}
	for (guint i = 0; i < inv->nodes->len; i++) {
		XnNode *n = g_ptr_array_index (inv->nodes, i);

		if (n->parent != NULL)
			g_ptr_array_add (n->parent->children, n);
	}
	for (guint i = 0; i < inv->links->len; i++) {
		XnLink *l = g_ptr_array_index (inv->links, i);

		g_ptr_array_set_size (l->units, 0);
		if (l->a.node != NULL)
			g_ptr_array_add (l->a.node->links, l);
		if (l->z.node != NULL && l->z.node != l->a.node)
			g_ptr_array_add (l->z.node->links, l);
	}
	for (guint i = 0; i < inv->units->len; i++) {
		XnAccessUnit *u = g_ptr_array_index (inv->units, i);

		if (u->uplink != NULL)
			g_ptr_array_add (u->uplink->units, u);
	}
	inv->resolved = TRUE;
	return TRUE;
}

const GPtrArray *xn_inventory_get_regions (const XnInventory *inv) { return inv->regions; }
const GPtrArray *xn_inventory_get_sites (const XnInventory *inv) { return inv->sites; }
const GPtrArray *xn_inventory_get_carriers (const XnInventory *inv) { return inv->carriers; }
const GPtrArray *xn_inventory_get_nodes (const XnInventory *inv) { return inv->nodes; }
const GPtrArray *xn_inventory_get_links (const XnInventory *inv) { return inv->links; }
const GPtrArray *xn_inventory_get_units (const XnInventory *inv) { return inv->units; }

XnRegion *
xn_inventory_region_by_name (const XnInventory *inv, const char *name)
{
	return name != NULL ? g_hash_table_lookup (inv->region_index, name) : NULL;
}

XnSite *
xn_inventory_site_by_name (const XnInventory *inv, const char *name)
{
	return name != NULL ? g_hash_table_lookup (inv->site_index, name) : NULL;
}

XnCarrier *
xn_inventory_carrier_by_name (const XnInventory *inv, const char *name)
{
	return name != NULL ? g_hash_table_lookup (inv->carrier_index, name) : NULL;
}

XnNode *
xn_inventory_node_by_name (const XnInventory *inv, const char *name)
{
	return name != NULL ? g_hash_table_lookup (inv->node_index, name) : NULL;
}

XnLink *
xn_inventory_link_by_id (const XnInventory *inv, const char *id)
{
	return id != NULL ? g_hash_table_lookup (inv->link_index, id) : NULL;
}

XnAccessUnit *
xn_inventory_unit_by_name (const XnInventory *inv, const char *name)
{
	return name != NULL ? g_hash_table_lookup (inv->unit_index, name) : NULL;
}

const GPtrArray *
xn_inventory_links_of_node (const XnInventory *inv, const XnNode *node)
{
	g_return_val_if_fail (inv->resolved, NULL);
	return node->links;
}

const GPtrArray *
xn_inventory_children (const XnInventory *inv, const XnNode *node)
{
	g_return_val_if_fail (inv->resolved, NULL);
	return node->children;
}

const GPtrArray *
xn_inventory_units_on_link (const XnInventory *inv, const XnLink *link)
{
	g_return_val_if_fail (inv->resolved, NULL);
	return link->units;
}

static void
collect_subtree (const XnNode *node, GHashTable *below)
{
	g_hash_table_add (below, (gpointer) node);
	for (guint i = 0; i < node->children->len; i++)
		collect_subtree (g_ptr_array_index (node->children, i), below);
}

GPtrArray *
xn_inventory_units_below_node (const XnInventory *inv, const XnNode *node)
{
	g_autoptr(GHashTable) below = g_hash_table_new (NULL, NULL);
	GPtrArray *units = g_ptr_array_new ();

	g_return_val_if_fail (inv->resolved, units);
	/* Depth is bounded by resolve, so the recursion is too. */
	collect_subtree (node, below);
	for (guint i = 0; i < inv->units->len; i++) {
		XnAccessUnit *u = g_ptr_array_index (inv->units, i);
		const XnLink *l = u->uplink;

		if (l == NULL)
			continue;
		if (g_hash_table_contains (below, l->a.node) ||
		    (l->z.node != NULL && g_hash_table_contains (below, l->z.node)))
			g_ptr_array_add (units, u);
	}
	return units;
}

const char *
xn_inventory_sla_class_of_link (const XnInventory *inv, const XnLink *link)
{
	g_return_val_if_fail (inv->resolved, NULL);
	return link->sla_site != NULL ? link->sla_site->sla_class : NULL;
}

const char *
xn_region_level_to_string (XnRegionLevel level)
{
	static const char *const names[] = { "city", "county", "township" };

	return (guint) level < G_N_ELEMENTS (names) ? names[level] : "unknown";
}

const char *
xn_node_role_to_string (XnNodeRole role)
{
	static const char *const names[] = { "backbone", "aggregation", "access" };

	return (guint) role < G_N_ELEMENTS (names) ? names[role] : "unknown";
}

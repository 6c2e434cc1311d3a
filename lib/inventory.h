/* inventory.h — the extranet's inventory as plain C: regions, sites,
 * carriers, nodes, links and access units, and the topology questions the
 * poller, the collector and the SLA engine ask of them.
 *
 * The inventory is loaded and validated from YANG data by lib/config.c; this
 * model needs only GLib, so the SLA engine can use it without libyang. It is
 * built in two steps: objects are made with xn_*_new(), their fields filled
 * in (names of other objects as strings), and handed to the inventory with
 * xn_inventory_add_*(), which takes ownership; then xn_inventory_resolve()
 * turns the names into pointers and derives the topology. After that the
 * inventory is read-only and every pointer below is borrowed from it.
 *
 * Lists returned as `const GPtrArray *` belong to the inventory; functions
 * returning `GPtrArray *` give the caller a new array (free it with
 * g_ptr_array_unref) whose elements still belong to the inventory. Arrays
 * keep the order of the configuration files. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A node's parent chain may be at most this many hops long (YANG must). */
#define XN_INVENTORY_MAX_DEPTH 12

typedef enum {
	XN_REGION_CITY,
	XN_REGION_COUNTY,
	XN_REGION_TOWNSHIP,
} XnRegionLevel;

typedef enum {
	XN_NODE_BACKBONE,
	XN_NODE_AGGREGATION,
	XN_NODE_ACCESS,
} XnNodeRole;

typedef enum {
	XN_SNMP_V1,
	XN_SNMP_V2C,
	XN_SNMP_V3,
} XnSnmpVersion;

typedef enum {
	XN_CHANNEL_SMTP,
	XN_CHANNEL_WEBHOOK,
	XN_CHANNEL_SPOOL,
} XnChannelKind;

typedef struct _XnRegion     XnRegion;
typedef struct _XnSite       XnSite;
typedef struct _XnCarrier    XnCarrier;
typedef struct _XnNode       XnNode;
typedef struct _XnLink       XnLink;
typedef struct _XnAccessUnit XnAccessUnit;
typedef struct _XnInventory  XnInventory;

typedef struct {
	char *name;                 /* the person, as people write it */
	char *phone;
	char *email;                /* may be NULL */
	char *role;                 /* carrier contacts only; may be NULL */
} XnContact;

struct _XnRegion {
	char          *name;
	char          *display_name;     /* may be NULL */
	XnRegionLevel  level;
	char          *parent_name;      /* NULL for a city */
	XnRegion      *parent;           /* resolved */
};

struct _XnSite {
	char      *name;
	char      *display_name;         /* may be NULL */
	char      *region_name;
	char      *sla_class;            /* "core-room", "county-unit", "township", or "module:identity" */
	char      *address;              /* postal address; may be NULL */
	XnRegion  *region;               /* resolved */
};

struct _XnCarrier {
	char          *name;
	char          *display_name;     /* may be NULL */
	XnChannelKind  channel;
	/* SMTP: the relay URL (NULL: the deployment's default relay);
	 * webhook: the URL; spool: the directory. */
	char          *address;
	GStrv          recipients;       /* SMTP only: the To: addresses; NULL otherwise */
	char          *credential;       /* SMTP login or webhook token name; may be NULL */
	GPtrArray     *contacts;         /* XnContact */
};

typedef struct {
	XnSnmpVersion version;
	guint16       port;
	char         *credential;        /* community (v1, v2c) or USM user (v3) in the secrets */
	guint         timeout_ms;
	guint         retries;
	guint         interval_s;
} XnSnmpEndpoint;

typedef struct {
	guint16  port;
	char    *credential;             /* login in the secrets */
	guint    interval_s;
} XnNetconfEndpoint;

struct _XnNode {
	char              *name;
	char              *display_name;     /* may be NULL */
	XnNodeRole         role;
	char              *site_name;
	char              *management_address;  /* canonical IPv4 or IPv6 text */
	char              *parent_name;      /* NULL at the top of the tree */
	char              *poller_group;
	char              *maintained_by;    /* carrier name; may be NULL */
	XnSnmpEndpoint    *snmp;             /* NULL: not polled over SNMP */
	XnNetconfEndpoint *netconf;          /* NULL: not polled over NETCONF */

	/* resolved */
	XnSite            *site;
	XnNode            *parent;
	XnCarrier         *maintainer;
	GPtrArray         *children;         /* XnNode, direct children */
	GPtrArray         *links;            /* XnLink with an end on this node */
};

typedef struct {
	char   *node_name;                   /* NULL: the end is the unit's own, unmanaged equipment */
	char   *interface;
	XnNode *node;                        /* resolved; NULL when node_name is */
} XnLinkEnd;

struct _XnLink {
	char      *id;
	char      *carrier_name;             /* NULL: the operator's own cabling */
	char      *circuit_id;               /* may be NULL */
	guint32    bandwidth_kbps;
	XnLinkEnd  a;                        /* toward the core */
	XnLinkEnd  z;
	char      *sla_site_name;

	/* resolved */
	XnCarrier *carrier;
	XnSite    *sla_site;
	GPtrArray *units;                    /* XnAccessUnit whose uplink this is */
};

struct _XnAccessUnit {
	char      *name;
	char      *display_name;
	char      *site_name;
	char      *uplink_id;
	XnContact *network_admin;            /* may be NULL */
	XnContact *security_contact;         /* may be NULL */

	/* resolved */
	XnSite    *site;
	XnLink    *uplink;
};

XnContact    *xn_contact_new (const char *name, const char *phone);
void          xn_contact_free (XnContact *contact);
XnRegion     *xn_region_new (const char *name, XnRegionLevel level);
void          xn_region_free (XnRegion *region);
XnSite       *xn_site_new (const char *name, const char *region_name, const char *sla_class);
void          xn_site_free (XnSite *site);
XnCarrier    *xn_carrier_new (const char *name, XnChannelKind channel);
void          xn_carrier_free (XnCarrier *carrier);
XnNode       *xn_node_new (const char *name, XnNodeRole role, const char *site_name,
			   const char *management_address);
void          xn_node_free (XnNode *node);
/* Endpoints with the YANG defaults: v2c, port 161, 2000 ms, 1 retry, 300 s;
 * NETCONF port 830, 300 s. */
XnSnmpEndpoint    *xn_snmp_endpoint_new (const char *credential);
void               xn_snmp_endpoint_free (XnSnmpEndpoint *snmp);
XnNetconfEndpoint *xn_netconf_endpoint_new (const char *credential);
void               xn_netconf_endpoint_free (XnNetconfEndpoint *netconf);
XnLink       *xn_link_new (const char *id, guint32 bandwidth_kbps, const char *a_node,
			   const char *a_interface, const char *sla_site_name);
void          xn_link_free (XnLink *link);
XnAccessUnit *xn_access_unit_new (const char *name, const char *display_name,
				  const char *site_name, const char *uplink_id);
void          xn_access_unit_free (XnAccessUnit *unit);

XnInventory  *xn_inventory_new (void);
void          xn_inventory_free (XnInventory *inventory);

/* Take ownership of the object. A second object of the same kind and name
 * is refused (XN_ERROR_INVALID) and freed. */
gboolean      xn_inventory_add_region (XnInventory *inventory, XnRegion *region, GError **error);
gboolean      xn_inventory_add_site (XnInventory *inventory, XnSite *site, GError **error);
gboolean      xn_inventory_add_carrier (XnInventory *inventory, XnCarrier *carrier, GError **error);
gboolean      xn_inventory_add_node (XnInventory *inventory, XnNode *node, GError **error);
gboolean      xn_inventory_add_link (XnInventory *inventory, XnLink *link, GError **error);
gboolean      xn_inventory_add_unit (XnInventory *inventory, XnAccessUnit *unit, GError **error);

/* Resolves every name to its object and derives children, links per node
 * and units per link. Fails (XN_ERROR_NOT_FOUND for a dangling name,
 * XN_ERROR_INVALID for a parent loop or a chain deeper than
 * XN_INVENTORY_MAX_DEPTH) on the first problem; check-config reports them
 * all, so a configuration that passed it always resolves. */
gboolean      xn_inventory_resolve (XnInventory *inventory, GError **error);

const GPtrArray *xn_inventory_get_regions (const XnInventory *inventory);
const GPtrArray *xn_inventory_get_sites (const XnInventory *inventory);
const GPtrArray *xn_inventory_get_carriers (const XnInventory *inventory);
const GPtrArray *xn_inventory_get_nodes (const XnInventory *inventory);
const GPtrArray *xn_inventory_get_links (const XnInventory *inventory);
const GPtrArray *xn_inventory_get_units (const XnInventory *inventory);

/* Lookups by name; NULL when there is no such object. */
XnRegion     *xn_inventory_region_by_name (const XnInventory *inventory, const char *name);
XnSite       *xn_inventory_site_by_name (const XnInventory *inventory, const char *name);
XnCarrier    *xn_inventory_carrier_by_name (const XnInventory *inventory, const char *name);
XnNode       *xn_inventory_node_by_name (const XnInventory *inventory, const char *name);
XnLink       *xn_inventory_link_by_id (const XnInventory *inventory, const char *id);
XnAccessUnit *xn_inventory_unit_by_name (const XnInventory *inventory, const char *name);

/* Topology; the inventory must have been resolved. */
const GPtrArray *xn_inventory_links_of_node (const XnInventory *inventory, const XnNode *node);
const GPtrArray *xn_inventory_children (const XnInventory *inventory, const XnNode *node);
const GPtrArray *xn_inventory_units_on_link (const XnInventory *inventory, const XnLink *link);
/* Units whose uplink has an end on `node` or on any node below it: what a
 * node outage cuts off. */
GPtrArray    *xn_inventory_units_below_node (const XnInventory *inventory, const XnNode *node);
/* The SLA class of the link's sla-site, which sets its restore target. */
const char   *xn_inventory_sla_class_of_link (const XnInventory *inventory, const XnLink *link);

const char   *xn_region_level_to_string (XnRegionLevel level);
const char   *xn_node_role_to_string (XnNodeRole role);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnInventory, xn_inventory_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnRegion, xn_region_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnSite, xn_site_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnCarrier, xn_carrier_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnNode, xn_node_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnLink, xn_link_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnAccessUnit, xn_access_unit_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnContact, xn_contact_free)

G_END_DECLS

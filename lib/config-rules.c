/* config-rules.c — the rules of an extranet inventory that the YANG schema
 * states as `must` expressions or cannot state at all, checked so that every
 * violation is reported, not just libyang's first.
 *
 * Mirrored from the YANG musts (same meaning, so libyang's own report is
 * recognised as a repeat): region levels, a node's own parent, parent chains
 * that loop or run deeper than 12 hops, a node with no endpoint, a link
 * with both ends on one node, a circuit ID without a carrier, the SNMPv3
 * protocol/password pairs. Beyond the schema: two nodes with one management
 * address (the YANG `unique` again), two links on one interface, a
 * credential the secrets do not define or define as another kind, an SLA
 * class without a restore target, an unknown time zone. References,
 * duplicates, mandatory leaves and value syntax are generic and live in
 * config-check.c. Rules read the files through config-rules.h and never see
 * libyang; a value that is missing or invalid reads as NULL and is skipped,
 * because it has been reported already. */
#include "config-rules.h"
#include "inventory.h"
#include "secrets.h"
#include "xn-time.h"

#include <string.h>

#define INVENTORY "extranoc-inventory:inventory"
#define POLICY    "extranoc-policy:policy"
#define SECRETS   "extranoc-secrets:secrets"

typedef struct {
	XnConfigCheck *check;
	GPtrArray     *regions, *sites, *carriers, *nodes, *links;
	GHashTable    *region_by_name;   /* name → first entry */
	GHashTable    *node_by_name;
	gboolean       have_secrets;
	GHashTable    *secrets[XN_SECRET_TOKEN + 1];   /* kind → set of names */
} Rules;

static const char *
value (const XnConfigEntry *entry, const char *path)
{
	return xn_config_entry_value (entry, path);
}

static GHashTable *
index_by (const GPtrArray *entries, const char *key)
{
	GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

	for (guint i = 0; i < entries->len; i++) {
		const char *name = value (g_ptr_array_index (entries, i), key);

		/* The first definition counts; later ones are reported as duplicates. */
		if (name != NULL && !g_hash_table_contains (index, name))
			g_hash_table_insert (index, (gpointer) name, g_ptr_array_index (entries, i));
	}
	return index;
}

/* The entries of a list without the later definitions of a name: those
 * are reported as duplicates, and checking them again would only repeat
 * their first definition's problems. */
static GPtrArray *
first_definitions (XnConfigCheck *check, const char *list, const char *key)
{
	g_autoptr(GPtrArray) all = xn_config_check_entries (check, INVENTORY, list);
	g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
	GPtrArray *first = g_ptr_array_new ();

	for (guint i = 0; i < all->len; i++) {
		const char *name = value (g_ptr_array_index (all, i), key);

		if (name == NULL || g_hash_table_add (seen, (gpointer) name))
			g_ptr_array_add (first, g_ptr_array_index (all, i));
	}
	return first;
}

/* ---- regions ---- */

static void
check_regions (Rules *r)
{
	for (guint i = 0; i < r->regions->len; i++) {
		const XnConfigEntry *e = g_ptr_array_index (r->regions, i);
		const char *level = value (e, "level");
		const char *parent = value (e, "parent");
		const char *want, *plevel;
		const XnConfigEntry *p;

		if (level == NULL)
			continue;
		if (strcmp (level, "city") == 0) {
			if (xn_config_entry_has (e, "parent"))
				xn_config_check_report (r->check, e, "parent", "a city region has no parent region");
			continue;
		}
		if (!xn_config_entry_has (e, "parent")) {
			xn_config_check_report (r->check, e, "parent", "a %s region needs a parent region", level);
			continue;
		}
		p = parent != NULL ? g_hash_table_lookup (r->region_by_name, parent) : NULL;
		plevel = p != NULL ? value (p, "level") : NULL;
		want = strcmp (level, "county") == 0 ? "city" : "county";
		if (plevel != NULL && strcmp (plevel, want) != 0)
			xn_config_check_report (r->check, e, "parent",
						"the parent of a %s region must be a %s; '%s' is a %s",
						level, want, parent, plevel);
	}
}

/* ---- credentials ---- */

static const char *
a_kind (XnSecretKind kind)
{
	static const char *const names[] = { "an SNMP community", "an SNMPv3 user", "a login", "a token" };

	return names[kind];
}

static void
check_credential (Rules *r, const XnConfigEntry *e, const char *path, XnSecretKind kind)
{
	const char *name = value (e, path);

	if (!r->have_secrets || name == NULL || g_hash_table_contains (r->secrets[kind], name))
		return;
	for (guint k = 0; k < G_N_ELEMENTS (r->secrets); k++) {
		if (g_hash_table_contains (r->secrets[k], name)) {
			xn_config_check_report (r->check, e, path,
						"credential '%s' is %s in the secrets, but %s is needed here",
						name, a_kind (k), a_kind (kind));
			return;
		}
	}
	xn_config_check_report (r->check, e, path, "credential '%s' is not defined in the secrets (no %s of that name)",
				name, xn_secret_kind_to_string (kind));
}

static void
check_carriers (Rules *r)
{
	for (guint i = 0; i < r->carriers->len; i++) {
		const XnConfigEntry *e = g_ptr_array_index (r->carriers, i);

		check_credential (r, e, "ticket-channel/smtp-credential", XN_SECRET_LOGIN);
		check_credential (r, e, "ticket-channel/webhook-credential", XN_SECRET_TOKEN);
	}
}

/* ---- nodes ---- */

static void
check_nodes (Rules *r)
{
	g_autoptr(GHashTable) by_address = g_hash_table_new (g_str_hash, g_str_equal);

	for (guint i = 0; i < r->nodes->len; i++) {
		const XnConfigEntry *e = g_ptr_array_index (r->nodes, i);
		const char *name = value (e, "name");
		const char *parent = value (e, "parent");
		const char *address = value (e, "management-address");
		const char *version = value (e, "snmp/version");
		const XnConfigEntry *first;

		if (name != NULL && parent != NULL && strcmp (name, parent) == 0)
			xn_config_check_report (r->check, e, "parent", "a node cannot be its own parent");
		if (!xn_config_entry_has (e, "snmp") && !xn_config_entry_has (e, "netconf"))
			xn_config_check_report (r->check, e, NULL, "a node needs an SNMP or a NETCONF endpoint");
		first = address != NULL ? g_hash_table_lookup (by_address, address) : NULL;
		if (first != NULL) {
			g_autofree char *where = xn_config_check_where (r->check, first);

			xn_config_check_report (r->check, e, "management-address",
						"%s is already the management address of node '%s' (%s)",
						address, value (first, "name"), where);
		} else if (address != NULL) {
			g_hash_table_insert (by_address, (gpointer) address, (gpointer) e);
		}
		/* The YANG default is v2c; this tree is not validated, so no defaults yet. */
		check_credential (r, e, "snmp/credential", g_strcmp0 (version, "v3") == 0
				  ? XN_SECRET_SNMP_USM : XN_SECRET_SNMP_COMMUNITY);
		check_credential (r, e, "netconf/credential", XN_SECRET_LOGIN);
	}
}

/* The parent of a node by name, or NULL at the top, for a self-reference
 * (reported by check_nodes) and for a dangling name (reported as a leafref). */
static const char *
parent_of (Rules *r, const char *name)
{
	const XnConfigEntry *e = g_hash_table_lookup (r->node_by_name, name);
	const char *parent = e != NULL ? value (e, "parent") : NULL;

	if (parent == NULL || strcmp (parent, name) == 0 || !g_hash_table_contains (r->node_by_name, parent))
		return NULL;
	return parent;
}

/* Names the loop from the member that comes first in the files, so it is
 * reported once and the same way whichever node led into it. */
static void
report_loop (Rules *r, GPtrArray *chain, guint from)
{
	guint start = from;
	g_autoptr(GString) text = g_string_new (NULL);

	for (guint i = from + 1; i < chain->len; i++) {
		if (xn_config_check_before (r->check, g_hash_table_lookup (r->node_by_name, chain->pdata[i]),
					    g_hash_table_lookup (r->node_by_name, chain->pdata[start])))
			start = i;
	}
	for (guint k = 0; k <= chain->len - from; k++) {
		guint i = from + (start - from + k) % (chain->len - from);

		g_string_append_printf (text, "%s%s", k > 0 ? " → " : "", (const char *) chain->pdata[i]);
	}
	xn_config_check_report (r->check, g_hash_table_lookup (r->node_by_name, chain->pdata[start]), "parent",
				"the parent chain loops: %s", text->str);
}

/* Walks every node up to the top once, memoising depths: a loop is named
 * once, and every node more than XN_INVENTORY_MAX_DEPTH hops below the top
 * is reported, as libyang's must would report it. */
static void
check_parent_chains (Rules *r)
{
	g_autoptr(GHashTable) depth = g_hash_table_new (g_str_hash, g_str_equal);   /* name → depth + 1, or -1 */

	for (guint i = 0; i < r->nodes->len; i++) {
		const char *name = value (g_ptr_array_index (r->nodes, i), "name");
		g_autoptr(GPtrArray) chain = g_ptr_array_new ();
		g_autoptr(GHashTable) on_chain = g_hash_table_new (g_str_hash, g_str_equal);
		gint d = 0;

		if (name == NULL || g_hash_table_contains (depth, name))
			continue;
		for (const char *cur = name; cur != NULL; cur = parent_of (r, cur)) {
			gint known = GPOINTER_TO_INT (g_hash_table_lookup (depth, cur));

			if (known != 0) {
				d = known < 0 ? -1 : known;   /* depth of cur + 1 = depth of the chain's last */
				break;
			}
			if (g_hash_table_contains (on_chain, cur)) {
				report_loop (r, chain, GPOINTER_TO_UINT (g_hash_table_lookup (on_chain, cur)) - 1);
				d = -1;
				break;
			}
			g_hash_table_insert (on_chain, (gpointer) cur, GUINT_TO_POINTER (chain->len + 1));
			g_ptr_array_add (chain, (gpointer) cur);
		}
		for (guint k = chain->len; k-- > 0; d = d < 0 ? d : d + 1) {
			const char *n = g_ptr_array_index (chain, k);

			g_hash_table_insert (depth, (gpointer) n, GINT_TO_POINTER (d < 0 ? -1 : d + 1));
			if (d > XN_INVENTORY_MAX_DEPTH)
				xn_config_check_report (r->check, g_hash_table_lookup (r->node_by_name, n), "parent",
							"the parent chain is %d hops long; at most %d are allowed",
							d, XN_INVENTORY_MAX_DEPTH);
		}
	}
}

/* ---- links ---- */

static void
check_links (Rules *r)
{
	g_autoptr(GHashTable) claims = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	static const char *const ends[] = { "a-end", "z-end" };

	for (guint i = 0; i < r->links->len; i++) {
		const XnConfigEntry *e = g_ptr_array_index (r->links, i);
		const char *a = value (e, "a-end/node"), *z = value (e, "z-end/node");
		gboolean same = a != NULL && z != NULL && strcmp (a, z) == 0;

		if (same)
			xn_config_check_report (r->check, e, NULL, "both ends of the link are on node '%s'", a);
		if (xn_config_entry_has (e, "circuit-id") && !xn_config_entry_has (e, "carrier"))
			xn_config_check_report (r->check, e, "circuit-id", "a circuit ID needs the carrier it belongs to");
		for (guint k = 0; k < G_N_ELEMENTS (ends) && !(same && k == 1); k++) {
			g_autofree char *node_path = g_strconcat (ends[k], "/node", NULL);
			g_autofree char *if_path = g_strconcat (ends[k], "/interface", NULL);
			const char *node = value (e, node_path), *ifname = value (e, if_path);
			char *key;
			const XnConfigEntry *first;

			if (node == NULL || ifname == NULL)
				continue;
			key = g_strconcat (node, "\n", ifname, NULL);
			first = g_hash_table_lookup (claims, key);
			if (first != NULL) {
				xn_config_check_report (r->check, e, if_path,
							"interface %s of node '%s' is already an end of link '%s'",
							ifname, node, value (first, "id"));
				g_free (key);
			} else {
				g_hash_table_insert (claims, key, (gpointer) e);
			}
		}
	}
}

/* ---- policy ---- */

static gboolean
is_builtin_class (const char *identity)
{
	static const char *const builtin[] = {
		"extranoc-inventory:county-unit", "extranoc-inventory:core-room", "extranoc-inventory:township",
	};

	for (guint i = 0; i < G_N_ELEMENTS (builtin); i++) {
		if (strcmp (identity, builtin[i]) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
check_policy (Rules *r)
{
	g_autoptr(GPtrArray) tops = xn_config_check_entries (r->check, POLICY, NULL);
	g_autoptr(GPtrArray) classes = xn_config_check_entries (r->check, POLICY, "fault-repair/restore-target/class");
	g_autoptr(GHashTable) with_target = index_by (classes, "sla-class");

	for (guint i = 0; i < tops->len; i++) {
		const char *tz = value (g_ptr_array_index (tops, i), "timezone");
		g_autoptr(GTimeZone) zone = tz != NULL ? xn_time_zone_new (tz, NULL) : NULL;

		if (tz != NULL && zone == NULL)
			xn_config_check_report (r->check, g_ptr_array_index (tops, i), "timezone",
						"unknown time zone '%s'", tz);
	}
	for (guint i = 0; i < r->sites->len; i++) {
		const XnConfigEntry *e = g_ptr_array_index (r->sites, i);
		const char *cls = value (e, "sla-class");

		if (cls == NULL || is_builtin_class (cls) || g_hash_table_contains (with_target, cls))
			continue;
		xn_config_check_report (r->check, e, "sla-class",
					"SLA class '%s' has no restore target: add it to the policy's "
					"fault-repair/restore-target/class list", cls);
	}
}

/* ---- secrets ---- */

static void
check_usm_users (Rules *r)
{
	g_autoptr(GPtrArray) users = xn_config_check_entries (r->check, SECRETS, "snmp-usm");

	for (guint i = 0; i < users->len; i++) {
		const XnConfigEntry *e = g_ptr_array_index (users, i);
		gboolean auth = xn_config_entry_has (e, "auth-protocol");
		gboolean priv = xn_config_entry_has (e, "priv-protocol");

		if (auth != xn_config_entry_has (e, "auth-password"))
			xn_config_check_report (r->check, e, NULL, "auth-protocol and auth-password go together");
		if (priv != xn_config_entry_has (e, "priv-password"))
			xn_config_check_report (r->check, e, NULL, "priv-protocol and priv-password go together");
		if (priv && !auth)
			xn_config_check_report (r->check, e, NULL, "privacy needs authentication: set auth-protocol too");
	}
}

static void
collect_secret_names (Rules *r)
{
	static const char *const lists[] = { "snmp-community", "snmp-usm", "login", "token" };
	g_autoptr(GPtrArray) tops = xn_config_check_entries (r->check, SECRETS, NULL);

	r->have_secrets = tops->len > 0;
	for (guint k = 0; k < G_N_ELEMENTS (lists); k++) {
		g_autoptr(GPtrArray) entries = xn_config_check_entries (r->check, SECRETS, lists[k]);

		r->secrets[k] = index_by (entries, "name");
	}
}

void
xn_config_rules_run (XnConfigCheck *check)
{
	Rules r = { .check = check };

	r.regions = first_definitions (check, "region", "name");
	r.sites = first_definitions (check, "site", "name");
	r.carriers = first_definitions (check, "carrier", "name");
	r.nodes = first_definitions (check, "node", "name");
	r.links = first_definitions (check, "link", "id");
	r.region_by_name = index_by (r.regions, "name");
	r.node_by_name = index_by (r.nodes, "name");
	collect_secret_names (&r);

	check_regions (&r);
	check_carriers (&r);
	check_nodes (&r);
	check_parent_chains (&r);
	check_links (&r);
	check_policy (&r);
	check_usm_users (&r);

	for (guint k = 0; k < G_N_ELEMENTS (r.secrets); k++)
		g_hash_table_unref (r.secrets[k]);
	g_hash_table_unref (r.node_by_name);
	g_hash_table_unref (r.region_by_name);
	g_ptr_array_unref (r.links);
	g_ptr_array_unref (r.nodes);
	g_ptr_array_unref (r.carriers);
	g_ptr_array_unref (r.sites);
	g_ptr_array_unref (r.regions);
}

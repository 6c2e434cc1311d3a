/* inventory-csv-rules.c — the inventory's rules that no single cell can
 * break: within a row (a city has no parent, a node needs an SNMP or NETCONF
 * credential, a carrier has exactly one ticket channel, a link's ends differ)
 * and between rows and tables (keys are unique, a carrier's further rows add
 * contacts, references name something that exists, a county hangs from a
 * city, a node's parent chain ends within 12 hops).
 *
 * They repeat the musts, choices and leafrefs of extranoc-inventory.yang so
 * that each breach is reported with its file and row, all at once; libyang
 * stays the judge of the result. The rules only report: they change no value
 * and never stop reading. */
#include "inventory-csv-private.h"

#include <string.h>

/* The module's must on node/parent: from a node up to the top of its tree
 * at most this many hops (yanglint agrees: 12 pass, 13 fail). */
#define XN_MAX_PARENT_HOPS 12

static void
check_region (XnInventoryCsv *self, XnInvTable *t, XnInvRow *row)
{
	const char *level = value_of (t, row, "level");
	const char *parent = column_label (t, col (t, "parent"));

	if (g_strcmp0 (level, "city") == 0 && is_filled (t, row, "parent"))
		xn_inv_problem (self, t, row, "column %s: a city has no parent region", parent);
	else if (level != NULL && !g_str_equal (level, "city") && !is_filled (t, row, "parent"))
		xn_inv_problem (self, t, row, "column %s: empty, but a %s needs its parent region",
				parent, level);
}

/* The ticket channel is a YANG choice: exactly one of its cases. */
static void
check_carrier_channel (XnInventoryCsv *self, XnInvTable *t, XnInvRow *row)
{
	static const char *const channels[] = { "smtp-to", "webhook-url", "spool-directory" };
	g_autoptr(GPtrArray) given = g_ptr_array_new ();
	const char *smtp_extra;

	for (guint i = 0; i < G_N_ELEMENTS (channels); i++) {
		if (is_filled (t, row, channels[i]))
			g_ptr_array_add (given, (gpointer) column_label (t, col (t, channels[i])));
	}
	if (given->len == 0)
		xn_inv_problem (self, t, row, "no ticket channel: fill one of %s, %s or %s",
				column_label (t, col (t, channels[0])), column_label (t, col (t, channels[1])),
				column_label (t, col (t, channels[2])));
	else if (given->len > 1)
		xn_inv_problem (self, t, row, "columns %s and %s: a carrier has one ticket channel",
				(char *) given->pdata[0], (char *) given->pdata[1]);
	smtp_extra = is_filled (t, row, "smtp-server") ? "smtp-server" :
		     is_filled (t, row, "smtp-credential") ? "smtp-credential" : NULL;
	if (smtp_extra != NULL && !is_filled (t, row, "smtp-to"))
		xn_inv_problem (self, t, row, "column %s: only for e-mail tickets, but %s is empty",
				column_label (t, col (t, smtp_extra)), column_label (t, col (t, "smtp-to")));
	if (is_filled (t, row, "webhook-credential") && !is_filled (t, row, "webhook-url"))
		xn_inv_problem (self, t, row, "column %s: only for webhook tickets, but %s is empty",
				column_label (t, col (t, "webhook-credential")),
				column_label (t, col (t, "webhook-url")));
}

static void
check_carrier (XnInventoryCsv *self, XnInvTable *t, XnInvRow *row)
{
	static const char *const needed[] = { "contact-name", "contact-phone" };
	gboolean has_contact = FALSE;

	if (row->owner == NULL)
		check_carrier_channel (self, t, row);
	for (guint c = 0; c < t->spec->n_columns; c++) {
		if ((t->spec->columns[c].flags & XN_COLUMN_CONTACT) && (row->filled & (1u << c)))
			has_contact = TRUE;
	}
	for (guint i = 0; has_contact && i < G_N_ELEMENTS (needed); i++) {
		if (!is_filled (t, row, needed[i]))
			xn_inv_problem (self, t, row, "column %s: empty, but a contact needs a name and a phone",
					column_label (t, col (t, needed[i])));
	}
}

/* The containers snmp and netconf have presence: any of their cells makes
 * one, and then its credential is mandatory. */
static void
check_node_endpoint (XnInventoryCsv *self, XnInvTable *t, XnInvRow *row, const char *prefix,
		     const char *protocol, gboolean *present)
{
	g_autofree char *credential = g_strconcat (prefix, "-credential", NULL);
	g_autofree char *container = g_strconcat (prefix, "/", NULL);

	*present = FALSE;
	for (guint c = 0; c < t->spec->n_columns; c++) {
		if (g_str_has_prefix (t->spec->columns[c].json, container) && (row->filled & (1u << c)))
			*present = TRUE;
	}
	if (*present && !is_filled (t, row, credential))
		xn_inv_problem (self, t, row, "column %s: empty, but other %s columns are filled",
				column_label (t, col (t, credential)), protocol);
}

static void
check_node (XnInventoryCsv *self, XnInvTable *t, XnInvRow *row)
{
	const char *name = value_of (t, row, "name");
	gboolean snmp, netconf;

	check_node_endpoint (self, t, row, "snmp", "SNMP", &snmp);
	check_node_endpoint (self, t, row, "netconf", "NETCONF", &netconf);
	if (!snmp && !netconf)
		xn_inv_problem (self, t, row, "no SNMP or NETCONF endpoint: fill %s or %s",
				column_label (t, col (t, "snmp-credential")),
				column_label (t, col (t, "netconf-credential")));
	if (name != NULL && g_strcmp0 (name, value_of (t, row, "parent")) == 0)
		xn_inv_problem (self, t, row, "column %s: a node cannot be its own parent",
				column_label (t, col (t, "parent")));
}

static void
check_link (XnInventoryCsv *self, XnInvTable *t, XnInvRow *row)
{
	const char *a = value_of (t, row, "a-end-node");

	if (a != NULL && g_strcmp0 (a, value_of (t, row, "z-end-node")) == 0)
		xn_inv_problem (self, t, row, "columns %s and %s: both ends are on node '%s'",
				column_label (t, col (t, "a-end-node")),
				column_label (t, col (t, "z-end-node")), a);
	if (is_filled (t, row, "circuit-id") && !is_filled (t, row, "carrier"))
		xn_inv_problem (self, t, row, "column %s: a circuit ID needs the carrier it belongs to (%s)",
				column_label (t, col (t, "circuit-id")),
				column_label (t, col (t, "carrier")));
}

void
xn_inventory_csv_check_row (XnInventoryCsv *self, XnInvTable *t, XnInvRow *row)
{
	switch (t - self->tables) {
	case XN_INVENTORY_TABLE_REGIONS:
		check_region (self, t, row);
		break;
	case XN_INVENTORY_TABLE_CARRIERS:
		check_carrier (self, t, row);
		break;
	case XN_INVENTORY_TABLE_NODES:
		check_node (self, t, row);
		break;
	case XN_INVENTORY_TABLE_LINKS:
		check_link (self, t, row);
		break;
	default:
		break;
	}
}

/* A carrier's further row adds a contact: its own columns stay empty or
 * repeat the first row, so that sorting or filtering the sheet is harmless. */
static void
add_carrier_row (XnInventoryCsv *self, XnInvTable *t, XnInvRow *first, XnInvRow *row)
{
	const char *name = row->values[0];
	const char *contact = value_of (t, row, "contact-name");

	row->owner = first;
	if (!is_filled (t, row, "contact-name")) {
		xn_inv_problem (self, t, row, "column %s: carrier '%s' is already on row %u "
				"(a carrier's further rows each add a contact)",
				column_label (t, 0), name, first->row);
		return;
	}
	for (guint c = 1; c < t->spec->n_columns; c++) {
		if (t->spec->columns[c].flags & XN_COLUMN_CONTACT || !(row->filled & (1u << c)))
			continue;
		if (g_strcmp0 (row->values[c], first->values[c]) != 0)
			xn_inv_problem (self, t, row, "column %s: differs from row %u, which first gives "
					"carrier '%s' (leave it empty on rows that add a contact)",
					column_label (t, c), first->row, name);
	}
	for (guint i = 0; contact != NULL && i < t->rows->len; i++) {
		XnInvRow *other = t->rows->pdata[i];

		if (other != row && (other == first || other->owner == first) &&
		    g_strcmp0 (contact, value_of (t, other, "contact-name")) == 0) {
			xn_inv_problem (self, t, row, "column %s: carrier '%s' already has contact '%s' (row %u)",
					column_label (t, col (t, "contact-name")), name, contact, other->row);
			return;
		}
	}
}

/* The key is every table's first column. */
void
xn_inventory_csv_register_key (XnInventoryCsv *self, XnInvTable *t, XnInvRow *row)
{
	const char *key = row->values[0];
	XnInvRow *first;

	if (key == NULL)
		return;
	first = g_hash_table_lookup (t->keys, key);
	if (first == NULL)
		g_hash_table_insert (t->keys, (char *) key, row);
	else if (t == &self->tables[XN_INVENTORY_TABLE_CARRIERS])
		add_carrier_row (self, t, first, row);
	else
		xn_inv_problem (self, t, row, "column %s: duplicate %s '%s' (first on row %u)",
				column_label (t, 0), t->spec->what, key, first->row);
}

static void
check_references (XnInventoryCsv *self, XnInvTable *t)
{
	for (guint i = 0; i < t->rows->len; i++) {
		XnInvRow *row = t->rows->pdata[i];

		for (guint c = 0; row->owner == NULL && c < t->spec->n_columns; c++) {
			int ref = t->spec->columns[c].ref;
			const char *name = row->values[c];
			g_autofree char *target_file = NULL;
			XnInvTable *target;

			if (ref < 0 || name == NULL)
				continue;
			target = &self->tables[ref];
			target_file = g_path_get_basename (target->label);
			if (!target->added)
				xn_inv_problem (self, t, row, "column %s: no %s '%s' (%s was not given)",
						column_label (t, c), target->spec->what, name, target->spec->file);
			else if (!g_hash_table_contains (target->keys, name))
				xn_inv_problem (self, t, row, "column %s: no %s '%s' in %s",
						column_label (t, c), target->spec->what, name, target_file);
		}
	}
}

/* city ← county ← township, as the module's must on region/parent says. */
static void
check_region_parents (XnInventoryCsv *self)
{
	XnInvTable *t = &self->tables[XN_INVENTORY_TABLE_REGIONS];

	for (guint i = 0; i < t->rows->len; i++) {
		XnInvRow *row = t->rows->pdata[i];
		const char *level = value_of (t, row, "level");
		const char *parent = value_of (t, row, "parent");
		XnInvRow *up = parent != NULL ? g_hash_table_lookup (t->keys, parent) : NULL;
		const char *up_level = up != NULL ? value_of (t, up, "level") : NULL;
		const char *want = g_strcmp0 (level, "county") == 0 ? "city" :
				   g_strcmp0 (level, "township") == 0 ? "county" : NULL;

		if (want != NULL && up_level != NULL && !g_str_equal (want, up_level))
			xn_inv_problem (self, t, row, "column %s: a %s's parent must be a %s, "
					"but '%s' (row %u) is a %s", column_label (t, col (t, "parent")),
					level, want, parent, up->row, up_level);
	}
}

static void
check_node_chains (XnInventoryCsv *self)
{
	XnInvTable *t = &self->tables[XN_INVENTORY_TABLE_NODES];

	for (guint i = 0; i < t->rows->len; i++) {
		XnInvRow *row = t->rows->pdata[i];
		XnInvRow *cur = row;
		const char *parent;
		guint hops = 0;

		while ((parent = value_of (t, cur, "parent")) != NULL &&
		       (cur = g_hash_table_lookup (t->keys, parent)) != NULL) {
			hops++;
			if (cur == row) {
				/* a node that is its own parent was reported with its row */
				if (hops > 1)
					xn_inv_problem (self, t, row, "column %s: the parent chain loops back to '%s'",
							column_label (t, col (t, "parent")), row->values[0]);
				break;
			}
			if (hops > XN_MAX_PARENT_HOPS) {
				xn_inv_problem (self, t, row, "column %s: the parent chain is longer than %d hops "
						"(or loops)", column_label (t, col (t, "parent")), XN_MAX_PARENT_HOPS);
				break;
			}
		}
	}
}

void
xn_inventory_csv_cross_check (XnInventoryCsv *self)
{
	g_autoptr(GString) required = g_string_new (NULL);

	for (guint i = 0; i < XN_INVENTORY_N_TABLES; i++) {
		if (self->tables[i].spec->required)
			g_string_append_printf (required, "%s%s", required->len > 0 ? ", " : "",
						self->tables[i].spec->file);
	}
	for (guint i = 0; i < XN_INVENTORY_N_TABLES; i++) {
		XnInvTable *t = &self->tables[i];

		if (t->spec->required && !t->added)
			xn_inv_problem (self, t, NULL, "missing (the tables %s are required)", required->str);
		check_references (self, t);
	}
	check_region_parents (self);
	check_node_chains (self);
}


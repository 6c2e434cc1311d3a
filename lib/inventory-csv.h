/* inventory-csv.h — inventory spreadsheets (one CSV per table) to inventory JSON.
 *
 * Operators keep the inventory in six tables: regions.csv, sites.csv,
 * carriers.csv, nodes.csv, links.csv and units.csv. Each has a header row
 * whose column names are the YANG leaf names of extranoc-inventory (nested
 * leaves joined by '-': a-end-node, snmp-credential, network-admin-phone) or
 * their Chinese equivalents (名称, 管理地址, A端设备, 网络管理员电话 …); enum
 * cells may be Chinese too (市, 核心机房, 骨干). The result is the inventory
 * in the RFC 7951 JSON encoding that `extranoc check-config` and the daemons
 * read, with entries in row order.
 *
 * Every bad row is a problem, and all problems are collected before anything
 * is built: "nodes.csv:row 7 (line 9): column 管理地址: '10.0.0.300' is not an
 * IP address". Rows are numbered the way spreadsheet programs number them
 * (the header is row 1), lines are physical lines of the file. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
	XN_INVENTORY_TABLE_REGIONS,
	XN_INVENTORY_TABLE_SITES,
	XN_INVENTORY_TABLE_CARRIERS,
	XN_INVENTORY_TABLE_NODES,
	XN_INVENTORY_TABLE_LINKS,
	XN_INVENTORY_TABLE_UNITS,
	XN_INVENTORY_N_TABLES
} XnInventoryTable;

/* "regions.csv" … "units.csv": the table's file name in a directory. */
const char *xn_inventory_table_file_name (XnInventoryTable table);

/* Which table a file name (without directory) holds; FALSE if none. */
gboolean xn_inventory_table_from_file_name (const char *name, XnInventoryTable *table);

/* regions, sites and nodes must be given; the others may be left out and
 * are then empty (an extranet without carriers' links is odd, not wrong). */
gboolean xn_inventory_table_is_required (XnInventoryTable table);

typedef struct _XnInventoryCsv XnInventoryCsv;

XnInventoryCsv *xn_inventory_csv_new (void);
void            xn_inventory_csv_free (XnInventoryCsv *importer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnInventoryCsv, xn_inventory_csv_free)

/* Reads one table from `length` bytes of `data` (-1: NUL-terminated).
 * `label` names the file in problems. What is wrong with the content is
 * recorded as problems, not returned: the rest of the tables still get
 * checked. Each table may be added once. */
void xn_inventory_csv_add_data (XnInventoryCsv *importer, XnInventoryTable table,
				const char *label, const char *data, gssize length);

/* Reads one table from `path` (which also labels it). Fails only when the
 * file cannot be read. */
gboolean xn_inventory_csv_add_file (XnInventoryCsv *importer, XnInventoryTable table,
				    const char *path, GError **error);

/* Checks what spans tables (references, region levels, node parent chains,
 * missing required tables) and builds the inventory: a JSON object with the
 * single member "extranoc-inventory:inventory". Fails with XN_ERROR_INVALID
 * if there is any problem; xn_inventory_csv_dup_problems() lists them. */
JsonNode *xn_inventory_csv_build (XnInventoryCsv *importer, GError **error);

/* The problems found so far, by table, row and then discovery, one line
 * each; NULL-terminated, free with g_strfreev(). */
char **xn_inventory_csv_dup_problems (XnInventoryCsv *importer);

/* The inventory as pretty UTF-8 JSON (two-space indent, final newline). */
char *xn_inventory_csv_to_json (JsonNode *inventory);

G_END_DECLS

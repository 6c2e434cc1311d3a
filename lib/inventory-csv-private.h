/* inventory-csv-private.h — what inventory-csv.c (reading, building) and
 * inventory-csv-rules.c (the rules between cells, rows and tables) share.
 *
 * A table is kept as read: one XnInvRow per non-blank row with each cell's
 * checked value, plus the keys seen so far. Problems are recorded against a
 * table and a row and sorted only when listed. Nothing here is public API. */
#pragma once

#include <glib.h>

#include "inventory-csv.h"
#include "inventory-csv-columns.h"

G_BEGIN_DECLS

typedef struct _XnInvRow XnInvRow;
struct _XnInvRow {
	guint row;
	guint line;
	char **values;          /* per column: the JSON text, NULL if empty or bad */
	guint n_values;
	guint32 filled;         /* bit per column: the cell is not empty */
	XnInvRow *owner;        /* carriers: the row that first gave this carrier */
};

typedef struct {
	const XnTableSpec *spec;
	char *label;            /* names the file in problems */
	gboolean added;
	char **headers;         /* per column: the header as written, NULL if absent
				 * (so not a GStrv: it has holes) */
	GPtrArray *rows;        /* XnInvRow, in file order */
	GHashTable *keys;       /* key → first XnInvRow with it */
} XnInvTable;

struct _XnInventoryCsv {
	XnInvTable tables[XN_INVENTORY_N_TABLES];
	GPtrArray *problems;    /* XnProblem (inventory-csv.c) */
	gboolean cross_checked;
};

/* Records "LABEL:row R (line L): MESSAGE", or "LABEL: MESSAGE" when `at`
 * is NULL (a problem with the whole file). */
void xn_inv_problem (XnInventoryCsv *self, XnInvTable *t, const XnInvRow *at,
			       const char *format, ...) G_GNUC_PRINTF (4, 5);

/* Row rules, run on each row once its cells are read: the key (a repeated
 * carrier adds a contact, anything else repeated is a duplicate), then what
 * ties the row's cells together. */
void xn_inventory_csv_register_key (XnInventoryCsv *self, XnInvTable *t, XnInvRow *row);
void xn_inventory_csv_check_row (XnInventoryCsv *self, XnInvTable *t, XnInvRow *row);

/* Table rules, run once when all tables are in: missing required tables,
 * references, region levels, node parent chains. */
void xn_inventory_csv_cross_check (XnInventoryCsv *self);

/* How messages name a column: as the file's header wrote it, so the
 * operator finds it; by its English name when the file lacks it. */
static inline const char *
column_label (const XnInvTable *t, guint c)
{
	return t->headers[c] != NULL ? t->headers[c] : t->spec->columns[c].name;
}

static inline guint
col (const XnInvTable *t, const char *name)
{
	return xn_inventory_column_index (t->spec, name);
}

static inline const char *
value_of (const XnInvTable *t, const XnInvRow *row, const char *name)
{
	return row->values[col (t, name)];
}

static inline gboolean
is_filled (const XnInvTable *t, const XnInvRow *row, const char *name)
{
	return (row->filled & (1u << col (t, name))) != 0;
}

G_END_DECLS

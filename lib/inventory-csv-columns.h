/* inventory-csv-columns.h — the columns of the inventory tables (private to
 * lib/inventory-csv*.c and their unit test).
 *
 * One XnColumn per inventory leaf a table can fill: its English header (the
 * YANG leaf name, nested leaves joined by '-'), where it goes in the JSON
 * ("snmp/credential"), the Chinese headers accepted for it, and the kind of
 * value, which decides both the syntax check and the JSON type. Column order
 * is the module's schema order, so output follows it. */
#pragma once

#include <glib.h>

#include "inventory-csv.h"

G_BEGIN_DECLS

typedef enum {
	XN_CELL_NAME,           /* xnt:object-name: ASCII machine name */
	XN_CELL_TEXT,           /* text for people, no control characters, at most `max` characters */
	XN_CELL_TOKEN,          /* like TEXT, and no spaces either (interface names) */
	XN_CELL_ENUM,           /* one of `values`, English or Chinese */
	XN_CELL_IDENTITY,       /* ENUM, or a module-qualified identity "module:name" */
	XN_CELL_IP,             /* inet:ip-address-no-zone */
	XN_CELL_PHONE,          /* xnt:phone */
	XN_CELL_EMAIL,          /* xnt:email */
	XN_CELL_EMAILS,         /* xnt:email, several separated by ';' (a leaf-list) */
	XN_CELL_UINT,           /* whole number from `min` to `max` */
	XN_CELL_BANDWIDTH,      /* 100M, 1G, 2048K, E1 or plain kbit/s */
	XN_CELL_URL,            /* http:// or https:// URL */
	XN_CELL_PATH,           /* absolute file system path */
} XnCellKind;

typedef enum {
	XN_COLUMN_REQUIRED = 1 << 0,    /* every row must fill it */
	XN_COLUMN_KEY      = 1 << 1,    /* the list key: unique in the table */
	XN_COLUMN_CONTACT  = 1 << 2,    /* carriers: a leaf of the contact list */
} XnColumnFlags;

typedef struct {
	const char *value;      /* as YANG spells it */
	const char *aliases;    /* Chinese spellings, '|'-separated */
} XnEnumValue;

typedef struct {
	const char *name;               /* English header */
	const char *json;               /* "leaf" or "container/leaf" */
	const char *aliases;            /* Chinese headers, '|'-separated */
	XnCellKind kind;
	guint flags;
	guint64 min, max;               /* UINT range; TEXT/TOKEN maximum length */
	const XnEnumValue *values;      /* ENUM/IDENTITY, ending with { NULL } */
	int ref;                        /* XnInventoryTable whose key this names, or -1 */
} XnColumn;

typedef struct {
	const char *file;               /* "nodes.csv" */
	const char *list;               /* the YANG list: "node" */
	const char *what;               /* the entry in messages: "node" */
	gboolean required;
	const XnColumn *columns;
	guint n_columns;
} XnTableSpec;

const XnTableSpec *xn_inventory_table_spec (XnInventoryTable table);

/* The column a header cell names, or -1. `header` is trimmed; English names
 * match without regard to case, '_' or ' ' for '-'. */
int xn_inventory_column_find (const XnTableSpec *spec, const char *header);

/* Index of the column with English name `name`; it must exist. */
guint xn_inventory_column_index (const XnTableSpec *spec, const char *name);

/* "name (名称)": how messages refer to a column the file does not have. */
char *xn_inventory_column_describe (const XnColumn *column);

/* Checks a non-empty, trimmed cell; on success *value is the JSON text
 * (normalised: the YANG enum for a Chinese one, kbit/s for a bandwidth).
 * The error says what is wrong with the value, without row or column. */
gboolean xn_inventory_cell_parse (const XnColumn *column, const char *text,
				  char **value, GError **error);

/* A copy of `text` without leading and trailing white space, including
 * the ideographic space U+3000 and no-break space that pasted text brings. */
char *xn_inventory_cell_trim (const char *text);

G_END_DECLS

/* inventory-csv.c — inventory tables (CSV) in, inventory JSON out.
 *
 * Each table is read in full as it is added: the header is mapped to
 * columns (inventory-csv-columns.c), every cell is checked, then the row's
 * key is registered and the rules that tie its cells together are applied
 * (inventory-csv-rules.c). Building runs the rules that span tables and,
 * only if nothing at all was wrong, emits the JSON in schema order with the
 * entries in row order. Problems are collected rather than returned,
 * because an operator fixing a spreadsheet wants every bad row at once, not
 * one per run. This file does not validate against the YANG module (that is
 * libyang's job, in config.c and yanglint) and writes no files. */
#include "inventory-csv.h"
#include "inventory-csv-private.h"
#include "csv.h"
#include "xn-error.h"

#include <string.h>

typedef struct {
	guint table;
	guint row;              /* 0 for the whole file */
	guint seq;
	char *text;
} XnProblem;

/* Frees an array of n strings with NULL holes, which g_strfreev() would
 * stop at. */
static void
free_sparse (char **strings, guint n)
{
	for (guint i = 0; i < n; i++)
		g_free (strings[i]);
	g_free (strings);
}

static void
inv_row_free (XnInvRow *row)
{
	free_sparse (row->values, row->n_values);
	g_free (row);
}

static void
problem_free (XnProblem *problem)
{
	g_free (problem->text);
	g_free (problem);
}

XnInventoryCsv *
xn_inventory_csv_new (void)
{
	XnInventoryCsv *self = g_new0 (XnInventoryCsv, 1);

	for (guint i = 0; i < XN_INVENTORY_N_TABLES; i++) {
		XnInvTable *t = &self->tables[i];

		t->spec = xn_inventory_table_spec ((XnInventoryTable) i);
		t->label = g_strdup (t->spec->file);
		t->headers = g_new0 (char *, t->spec->n_columns);
		t->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) inv_row_free);
		t->keys = g_hash_table_new (g_str_hash, g_str_equal);
	}
	self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
	return self;
}

void
xn_inventory_csv_free (XnInventoryCsv *self)
{
	if (self == NULL)
		return;
	for (guint i = 0; i < XN_INVENTORY_N_TABLES; i++) {
		XnInvTable *t = &self->tables[i];

		/* keys borrow from rows: drop them first */
		g_hash_table_unref (t->keys);
		g_ptr_array_unref (t->rows);
		free_sparse (t->headers, t->spec->n_columns);
		g_free (t->label);
	}
	g_ptr_array_unref (self->problems);
	g_free (self);
}

/* A problem is one line, even when it quotes a cell with a line break in
 * it: control characters are shown escaped, and so are the bytes of a file
 * name that is not UTF-8 (cells always are: the reader checks). */
static char *
one_line (const char *text)
{
	GString *line = g_string_new (NULL);
	const char *p = text;

	while (*p != '\0') {
		gunichar c = g_utf8_get_char_validated (p, -1);

		if (c == (gunichar) -1 || c == (gunichar) -2) {
			g_string_append_printf (line, "\\x%02X", (guchar) *p++);
			continue;
		}
		if (c == '\n')
			g_string_append (line, "\\n");
		else if (c == '\r')
			g_string_append (line, "\\r");
		else if (g_unichar_type (c) == G_UNICODE_CONTROL)
			g_string_append_printf (line, "\\u%04X", c);
		else
			g_string_append_unichar (line, c);
		p = g_utf8_next_char (p);
	}
	return g_string_free (line, FALSE);
}

/* Takes `text`. */
static void
add_problem (XnInventoryCsv *self, XnInvTable *t, guint sort_row, char *text)
{
	g_autofree char *owned = text;
	XnProblem *p = g_new0 (XnProblem, 1);

	p->table = (guint) (t - self->tables);
	p->row = sort_row;
	p->seq = self->problems->len;
	p->text = one_line (owned);
	g_ptr_array_add (self->problems, p);
}

void
xn_inv_problem (XnInventoryCsv *self, XnInvTable *t, const XnInvRow *at,
			  const char *format, ...)
{
	g_autofree char *message = NULL;
	va_list args;

	va_start (args, format);
	message = g_strdup_vprintf (format, args);
	va_end (args);
	if (at != NULL)
		add_problem (self, t, at->row, g_strdup_printf ("%s:row %u (line %u): %s",
								t->label, at->row, at->line, message));
	else
		add_problem (self, t, 0, g_strdup_printf ("%s: %s", t->label, message));
}

static char *
known_columns (const XnTableSpec *spec)
{
	g_autoptr(GString) names = g_string_new (NULL);

	for (guint c = 0; c < spec->n_columns; c++)
		g_string_append_printf (names, "%s%s", c > 0 ? ", " : "", spec->columns[c].name);
	return g_string_free (g_steal_pointer (&names), FALSE);
}

/* Maps the header's cells to columns: map[i] is the column of cell i, -1 for
 * a header already reported (unknown or repeated), -2 for an empty one,
 * which spreadsheet programs leave over formatted but unused columns. */
static int *
read_header (XnInventoryCsv *self, XnInvTable *t, const XnCsvRecord *header)
{
	const XnInvRow at = { .row = header->row, .line = header->line };
	int *map = g_new (int, header->n_cells);

	for (guint i = 0; i < header->n_cells; i++) {
		g_autofree char *name = xn_inventory_cell_trim (header->cells[i]);
		int c = *name != '\0' ? xn_inventory_column_find (t->spec, name) : -2;

		map[i] = c;
		if (c == -1) {
			g_autofree char *known = known_columns (t->spec);

			xn_inv_problem (self, t, &at,
					"unknown column '%s' (the columns of %s are %s, or their Chinese names)",
					name, t->spec->file, known);
		} else if (c >= 0 && t->headers[c] != NULL) {
			xn_inv_problem (self, t, &at, "columns '%s' and '%s' are both %s",
					t->headers[c], name, t->spec->columns[c].name);
			map[i] = -1;
		} else if (c >= 0) {
			t->headers[c] = g_steal_pointer (&name);
		}
	}
	for (guint c = 0; c < t->spec->n_columns; c++) {
		if ((t->spec->columns[c].flags & XN_COLUMN_REQUIRED) && t->headers[c] == NULL) {
			g_autofree char *what = xn_inventory_column_describe (&t->spec->columns[c]);

			xn_inv_problem (self, t, &at, "missing column %s", what);
		}
	}
	return map;
}

/* Trailing empty cells beyond the header are what a spreadsheet writes for
 * a column that was once formatted; anything else beyond it, or too few
 * cells, means a comma was lost or added and no cell can be trusted. */
static gboolean
cell_count_matches (const XnCsvRecord *record, guint n_header)
{
	if (record->n_cells < n_header)
		return FALSE;
	for (guint i = n_header; i < record->n_cells; i++) {
		g_autofree char *text = xn_inventory_cell_trim (record->cells[i]);

		if (*text != '\0')
			return FALSE;
	}
	return TRUE;
}

static void
read_cells (XnInventoryCsv *self, XnInvTable *t, XnInvRow *row, const int *map,
	    guint n_header, const XnCsvRecord *record)
{
	for (guint i = 0; i < n_header; i++) {
		g_autofree char *text = xn_inventory_cell_trim (record->cells[i]);
		g_autoptr(GError) error = NULL;
		int c = map[i];

		if (*text == '\0' || c == -1)
			continue;
		if (c == -2) {
			xn_inv_problem (self, t, row,
					"cell %u ('%s') is under a column with no name in the header",
					i + 1, text);
			continue;
		}
		row->filled |= 1u << c;
		if (!xn_inventory_cell_parse (&t->spec->columns[c], text, &row->values[c], &error))
			xn_inv_problem (self, t, row, "column %s: %s",
					column_label (t, (guint) c), error->message);
	}
}

static void
check_required (XnInventoryCsv *self, XnInvTable *t, XnInvRow *row)
{
	for (guint c = 0; c < t->spec->n_columns; c++) {
		if ((t->spec->columns[c].flags & XN_COLUMN_REQUIRED) && t->headers[c] != NULL &&
		    !(row->filled & (1u << c)))
			xn_inv_problem (self, t, row, "column %s: empty, but required", column_label (t, c));
	}
}

static void
read_row (XnInventoryCsv *self, XnInvTable *t, const int *map, guint n_header,
	  const XnCsvRecord *record)
{
	XnInvRow *row = g_new0 (XnInvRow, 1);

	row->row = record->row;
	row->line = record->line;
	row->values = g_new0 (char *, t->spec->n_columns);
	row->n_values = t->spec->n_columns;
	g_ptr_array_add (t->rows, row);
	if (!cell_count_matches (record, n_header)) {
		xn_inv_problem (self, t, row,
				"%u cell%s, but the header has %u (a comma missing or too many?)",
				record->n_cells, record->n_cells == 1 ? "" : "s", n_header);
		return;
	}
	read_cells (self, t, row, map, n_header, record);
	check_required (self, t, row);
	xn_inventory_csv_register_key (self, t, row);
	xn_inventory_csv_check_row (self, t, row);
}

/* The reader's message already reads "row R (line L): ...". Nothing after
 * it is read, so it sorts after every row of its table. */
static void
reader_problem (XnInventoryCsv *self, XnInvTable *t, const GError *error)
{
	add_problem (self, t, G_MAXUINT, g_strdup_printf ("%s:%s", t->label, error->message));
}

void
xn_inventory_csv_add_data (XnInventoryCsv *self, XnInventoryTable table, const char *label,
			   const char *data, gssize length)
{
	XnInvTable *t;
	g_autoptr(XnCsvReader) reader = NULL;
	g_autoptr(XnCsvRecord) header = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree int *map = NULL;

	g_return_if_fail (table < XN_INVENTORY_N_TABLES);
	t = &self->tables[table];
	g_return_if_fail (!t->added);
	t->added = TRUE;
	g_free (t->label);
	t->label = g_strdup (label);

	reader = xn_csv_reader_new (data, length);
	if (!xn_csv_reader_next (reader, &header, &error)) {
		reader_problem (self, t, error);
		return;
	}
	if (header == NULL) {
		xn_inv_problem (self, t, NULL,
				"the file is empty (its first row must name the columns)");
		return;
	}
	if (xn_csv_record_is_blank (header)) {
		const XnInvRow at = { .row = header->row, .line = header->line };

		xn_inv_problem (self, t, &at, "the header row is blank "
				"(the first row must name the columns)");
		return;
	}
	map = read_header (self, t, header);
	for (;;) {
		g_autoptr(XnCsvRecord) record = NULL;

		if (!xn_csv_reader_next (reader, &record, &error)) {
			reader_problem (self, t, error);
			return;
		}
		if (record == NULL)
			return;
		if (!xn_csv_record_is_blank (record))
			read_row (self, t, map, header->n_cells, record);
	}
}

gboolean
xn_inventory_csv_add_file (XnInventoryCsv *self, XnInventoryTable table, const char *path,
			   GError **error)
{
	g_autofree char *data = NULL;
	g_autoptr(GError) local = NULL;
	gsize length;

	if (!g_file_get_contents (path, &data, &length, &local)) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s", local->message);
		return FALSE;
	}
	xn_inventory_csv_add_data (self, table, path, data, (gssize) length);
	return TRUE;
}

static void
add_value (JsonBuilder *builder, const XnColumn *column, const char *value)
{
	g_auto(GStrv) emails = NULL;

	switch (column->kind) {
	case XN_CELL_UINT:
	case XN_CELL_BANDWIDTH:
		/* RFC 7951: integers up to 32 bits are JSON numbers */
		json_builder_add_int_value (builder, (gint64) g_ascii_strtoull (value, NULL, 10));
		break;
	case XN_CELL_EMAILS:
		emails = g_strsplit (value, ";", -1);
		json_builder_begin_array (builder);
		for (guint i = 0; emails[i] != NULL; i++)
			json_builder_add_string_value (builder, emails[i]);
		json_builder_end_array (builder);
		break;
	default:
		json_builder_add_string_value (builder, value);
	}
}

static void
add_contacts (JsonBuilder *builder, XnInvTable *t, XnInvRow *carrier)
{
	gboolean any = FALSE;

	for (guint i = 0; i < t->rows->len; i++) {
		XnInvRow *row = t->rows->pdata[i];

		if ((row != carrier && row->owner != carrier) || value_of (t, row, "contact-name") == NULL)
			continue;
		if (!any) {
			json_builder_set_member_name (builder, "contact");
			json_builder_begin_array (builder);
			any = TRUE;
		}
		json_builder_begin_object (builder);
		for (guint c = 0; c < t->spec->n_columns; c++) {
			const XnColumn *column = &t->spec->columns[c];

			if (!(column->flags & XN_COLUMN_CONTACT) || row->values[c] == NULL)
				continue;
			json_builder_set_member_name (builder, strchr (column->json, '/') + 1);
			add_value (builder, column, row->values[c]);
		}
		json_builder_end_object (builder);
	}
	if (any)
		json_builder_end_array (builder);
}

/* Columns are in schema order and a container's leaves are adjacent, so a
 * container opens when the first of its leaves has a value and closes when
 * a leaf outside it comes. */
static void
add_entry (JsonBuilder *builder, XnInvTable *t, XnInvRow *row)
{
	g_autofree char *open = NULL;
	gboolean contacts_done = FALSE;

	json_builder_begin_object (builder);
	for (guint c = 0; c < t->spec->n_columns; c++) {
		const XnColumn *column = &t->spec->columns[c];
		const char *slash = strchr (column->json, '/');
		g_autofree char *container = NULL;

		if (column->flags & XN_COLUMN_CONTACT) {
			if (open != NULL)
				json_builder_end_object (builder);
			g_clear_pointer (&open, g_free);
			if (!contacts_done)
				add_contacts (builder, t, row);
			contacts_done = TRUE;
			continue;
		}
		if (row->values[c] == NULL)
			continue;
		container = slash != NULL ? g_strndup (column->json, (gsize) (slash - column->json)) : NULL;
		if (g_strcmp0 (container, open) != 0) {
			if (open != NULL)
				json_builder_end_object (builder);
			if (container != NULL) {
				json_builder_set_member_name (builder, container);
				json_builder_begin_object (builder);
			}
			g_free (open);
			open = g_steal_pointer (&container);
		}
		json_builder_set_member_name (builder, slash != NULL ? slash + 1 : column->json);
		add_value (builder, column, row->values[c]);
	}
	if (open != NULL)
		json_builder_end_object (builder);
	json_builder_end_object (builder);
}

static void
add_table (JsonBuilder *builder, XnInvTable *t)
{
	gboolean any = FALSE;

	for (guint i = 0; i < t->rows->len; i++) {
		XnInvRow *row = t->rows->pdata[i];

		if (row->owner != NULL)
			continue;
		if (!any) {
			/* an empty list is absent in RFC 7951 */
			json_builder_set_member_name (builder, t->spec->list);
			json_builder_begin_array (builder);
			any = TRUE;
		}
		add_entry (builder, t, row);
	}
	if (any)
		json_builder_end_array (builder);
}

JsonNode *
xn_inventory_csv_build (XnInventoryCsv *self, GError **error)
{
	g_autoptr(JsonBuilder) builder = NULL;

	if (!self->cross_checked)
		xn_inventory_csv_cross_check (self);
	self->cross_checked = TRUE;
	if (self->problems->len > 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%u problem%s in the inventory tables",
			     self->problems->len, self->problems->len == 1 ? "" : "s");
		return NULL;
	}
	builder = json_builder_new ();
	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "extranoc-inventory:inventory");
	json_builder_begin_object (builder);
	for (guint i = 0; i < XN_INVENTORY_N_TABLES; i++)
		add_table (builder, &self->tables[i]);
	json_builder_end_object (builder);
	json_builder_end_object (builder);
	return json_builder_get_root (builder);
}

static gint
problem_compare (gconstpointer a, gconstpointer b)
{
	const XnProblem *p = *(XnProblem *const *) a;
	const XnProblem *q = *(XnProblem *const *) b;

	if (p->table != q->table)
		return p->table < q->table ? -1 : 1;
	if (p->row != q->row)
		return p->row < q->row ? -1 : 1;
	return p->seq < q->seq ? -1 : p->seq > q->seq;
}

char **
xn_inventory_csv_dup_problems (XnInventoryCsv *self)
{
	g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();

	g_ptr_array_sort (self->problems, problem_compare);
	for (guint i = 0; i < self->problems->len; i++)
		g_strv_builder_add (lines, ((XnProblem *) self->problems->pdata[i])->text);
	return g_strv_builder_end (lines);
}

char *
xn_inventory_csv_to_json (JsonNode *inventory)
{
	g_autoptr(JsonGenerator) generator = json_generator_new ();
	g_autofree char *text = NULL;

	json_generator_set_root (generator, inventory);
	json_generator_set_pretty (generator, TRUE);
	json_generator_set_indent (generator, 2);
	text = json_generator_to_data (generator, NULL);
	return g_strconcat (text, "\n", NULL);
}

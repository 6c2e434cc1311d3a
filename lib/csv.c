/* csv.c — an RFC 4180 reader, strict where a lenient one would guess.
 *
 * The data is walked byte by byte with the whole file in memory (inventory
 * tables are kilobytes). What spreadsheet programs write is accepted: a
 * UTF-8 byte-order mark, CRLF or LF, quoted cells holding commas, doubled
 * quotes and line breaks, and a last record with or without a line end.
 * What they never write is refused with the row and line instead of being
 * patched up: a quote in the middle of an unquoted cell, text after a
 * closing quote, a carriage return alone, a quote left open at the end of the
 * file (a truncated copy), bytes that are not UTF-8. Cells are returned as
 * written: trimming, blank-row skipping and the meaning of the header are
 * the caller's business, so this file knows nothing about inventories. */
#include "csv.h"
#include "xn-error.h"

#include <string.h>

struct _XnCsvReader {
	const char *data;
	gsize length;
	gsize pos;
	guint row;              /* records returned so far */
	guint line;             /* physical line at pos */
	gboolean failed;
};

void
xn_csv_record_free (XnCsvRecord *record)
{
	if (record == NULL)
		return;
	g_strfreev (record->cells);
	g_free (record);
}

gboolean
xn_csv_record_is_blank (const XnCsvRecord *record)
{
	for (guint i = 0; i < record->n_cells; i++) {
		if (record->cells[i][0] != '\0')
			return FALSE;
	}
	return TRUE;
}

XnCsvReader *
xn_csv_reader_new (const char *data, gssize length)
{
	XnCsvReader *reader = g_new0 (XnCsvReader, 1);

	reader->data = data;
	reader->length = length < 0 ? strlen (data) : (gsize) length;
	reader->line = 1;
	if (reader->length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
		reader->pos = 3;
	return reader;
}

void
xn_csv_reader_free (XnCsvReader *reader)
{
	g_free (reader);
}

static gboolean G_GNUC_PRINTF (4, 5)
record_error (XnCsvReader *reader, guint line, GError **error, const char *format, ...)
{
	g_autofree char *message = NULL;
	va_list args;

	va_start (args, format);
	message = g_strdup_vprintf (format, args);
	va_end (args);
	reader->failed = TRUE;
	g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "row %u (line %u): %s",
		     reader->row + 1, line, message);
	return FALSE;
}

static int
peek (const XnCsvReader *reader, gsize ahead)
{
	gsize at = reader->pos + ahead;

	return at < reader->length ? (guchar) reader->data[at] : -1;
}

/* A record ends at LF or CRLF; a CR alone is what old Mac exports wrote and
 * would silently glue two records together, so it is refused. Returns the
 * length of the line end at pos (0 if none, -1 for a bare CR). */
static int
line_end_at (const XnCsvReader *reader)
{
	if (peek (reader, 0) == '\n')
		return 1;
	if (peek (reader, 0) == '\r')
		return peek (reader, 1) == '\n' ? 2 : -1;
	return 0;
}

static gboolean
read_quoted (XnCsvReader *reader, guint start_line, GString *cell, GError **error)
{
	guint open_line = reader->line;

	reader->pos++;  /* the opening quote */
	for (;;) {
		int c = peek (reader, 0);

		if (c < 0)
			return record_error (reader, start_line, error,
					     "the quote opened on line %u is never closed "
					     "(the file ends inside a cell: is it truncated?)", open_line);
		if (c == '"') {
			if (peek (reader, 1) != '"')
				break;
			g_string_append_c (cell, '"');
			reader->pos += 2;
			continue;
		}
		if (c == '\n')
			reader->line++;
		g_string_append_c (cell, (char) c);
		reader->pos++;
	}
	reader->pos++;  /* the closing quote */
	if (peek (reader, 0) >= 0 && peek (reader, 0) != ',' && line_end_at (reader) <= 0)
		return record_error (reader, start_line, error,
				     "text after the closing quote on line %u "
				     "(a quote inside a cell must be doubled: \"\")", reader->line);
	return TRUE;
}

static gboolean
read_unquoted (XnCsvReader *reader, guint start_line, GString *cell, GError **error)
{
	for (;;) {
		int c = peek (reader, 0);
		int end = line_end_at (reader);

		if (c < 0 || c == ',' || end > 0)
			return TRUE;
		if (end < 0)
			return record_error (reader, start_line, error,
					     "carriage return without line feed on line %u "
					     "(save the file with CRLF or LF line ends)", reader->line);
		if (c == '"')
			return record_error (reader, start_line, error,
					     "quote inside an unquoted cell on line %u "
					     "(quote the whole cell and double the quote: \"\")", reader->line);
		g_string_append_c (cell, (char) c);
		reader->pos++;
	}
}

/* GBK, the default "CSV" encoding of spreadsheet programs on Chinese
 * Windows, is the usual reason a cell is not UTF-8; say so. */
static gboolean
check_utf8 (XnCsvReader *reader, guint start_line, guint n_cell, const GString *cell,
	    GError **error)
{
	const char *end;

	if (g_utf8_validate_len (cell->str, cell->len, &end))
		return TRUE;
	return record_error (reader, start_line, error,
			     "cell %u is not valid UTF-8 (byte 0x%02X at offset %u); "
			     "if the file is in GBK, save it as \"CSV UTF-8\" or convert it "
			     "with iconv -f GBK -t UTF-8",
			     n_cell, (guchar) *end, (guint) (end - cell->str));
}

static gboolean
check_not_utf16 (XnCsvReader *reader, GError **error)
{
	if (reader->row > 0 || reader->length < 2)
		return TRUE;
	if (memcmp (reader->data, "\xFF\xFE", 2) != 0 && memcmp (reader->data, "\xFE\xFF", 2) != 0)
		return TRUE;
	return record_error (reader, 1, error,
			     "the file is UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\"");
}

gboolean
xn_csv_reader_next (XnCsvReader *reader, XnCsvRecord **record, GError **error)
{
	g_autoptr(GPtrArray) cells = NULL;
	guint start_line = reader->line;

	*record = NULL;
	if (reader->failed)
		return record_error (reader, start_line, error, "the reader already failed");
	if (!check_not_utf16 (reader, error))
		return FALSE;
	if (reader->pos >= reader->length)
		return TRUE;

	cells = g_ptr_array_new_with_free_func (g_free);
	for (;;) {
		g_autoptr(GString) cell = g_string_new (NULL);
		gboolean ok;
		int end;

		if (peek (reader, 0) == '"')
			ok = read_quoted (reader, start_line, cell, error);
		else
			ok = read_unquoted (reader, start_line, cell, error);
		if (!ok || !check_utf8 (reader, start_line, cells->len + 1, cell, error))
			return FALSE;
		g_ptr_array_add (cells, g_string_free (g_steal_pointer (&cell), FALSE));

		if (peek (reader, 0) == ',') {
			reader->pos++;
			continue;
		}
		end = line_end_at (reader);
		if (end > 0) {
			reader->pos += (gsize) end;
			reader->line++;
		}
		break;
	}

	reader->row++;
	*record = g_new0 (XnCsvRecord, 1);
	(*record)->row = reader->row;
	(*record)->line = start_line;
	(*record)->n_cells = cells->len;
	g_ptr_array_add (cells, NULL);
	(*record)->cells = (char **) g_ptr_array_free (g_steal_pointer (&cells), FALSE);
	return TRUE;
}

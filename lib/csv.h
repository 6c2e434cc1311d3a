/* csv.h — a strict RFC 4180 reader for the spreadsheets operators keep.
 *
 * Input is UTF-8 with or without a byte-order mark, records end in CRLF or
 * LF, cells may be quoted ("a, b", "say ""hi""", a line break inside quotes).
 * Each record carries its record number (`row`, 1 = the first record, which
 * is where a spreadsheet program puts the header) and the physical line it
 * starts on, which differs from the row once a cell has spanned lines.
 * Errors read "row R (line L): ..."; the caller prefixes the file name. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	guint row;              /* record number, from 1 */
	guint line;             /* physical line the record starts on, from 1 */
	guint n_cells;
	char **cells;           /* n_cells UTF-8 strings, then NULL */
} XnCsvRecord;

void xn_csv_record_free (XnCsvRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnCsvRecord, xn_csv_record_free)

/* TRUE when every cell is empty: a spreadsheet's blank row (",,,," or ""). */
gboolean xn_csv_record_is_blank (const XnCsvRecord *record);

typedef struct _XnCsvReader XnCsvReader;

/* Reads `length` bytes of `data` (-1: NUL-terminated), which must stay
 * alive and unchanged while the reader is used. */
XnCsvReader *xn_csv_reader_new (const char *data, gssize length);
void         xn_csv_reader_free (XnCsvReader *reader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnCsvReader, xn_csv_reader_free)

/* The next record in *record (owned by the caller), or NULL at the end of
 * the data. Fails, with XN_ERROR_INVALID naming the row and line, on an
 * unterminated quoted cell, a quote inside an unquoted cell, text after a
 * closing quote, a bare carriage return, or a cell that is not valid UTF-8
 * (which usually means the file was saved in GBK). After a failure the
 * reader stays failed: there is no telling where the next record starts. */
gboolean xn_csv_reader_next (XnCsvReader *reader, XnCsvRecord **record, GError **error);

G_END_DECLS

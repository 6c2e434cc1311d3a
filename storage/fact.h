/* fact.h — one immutable, timestamped fact and its JSON-lines form.
 *
 * A fact is what the journal stores: something observed or done (kind), when
 * it happened (ts), what it is about (subject), who recorded it (source), when
 * it entered a journal (recorded) and free-form details (attrs, a JSON
 * object). Its one-line JSON form is specified in doc/journal.md; this module
 * prints and reads it without any database, so `extranoc replay` and tests can
 * read journal files directly. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "xn-time.h"

G_BEGIN_DECLS

#define XN_FACT_MAX_KIND     64          /* bytes */
#define XN_FACT_MAX_SUBJECT  256         /* bytes */
#define XN_FACT_MAX_SOURCE   128         /* bytes */
#define XN_FACT_MAX_LINE     (1 << 20)   /* bytes of one JSON line, without the newline */
#define XN_FACT_MAX_DEPTH    32          /* nesting of the whole line; attrs gets one less */

/* Instants a fact may carry: the four-digit years 1000 to 9999, which print
 * as ISO 8601 and read back. */
#define XN_FACT_INSTANT_MIN  G_GINT64_CONSTANT (-30610224000000000)
#define XN_FACT_INSTANT_MAX  G_GINT64_CONSTANT (253402300799999999)

typedef struct {
	gint64      seq;        /* assigned by the journal, increasing; 0 before append */
	XnInstant   ts;         /* when it happened */
	char       *kind;       /* "node.unreachable": dotted lowercase identifier */
	char       *subject;    /* "node/city-core-1": what it is about */
	char       *source;     /* "poller", "collector", "cli:USER", "import" */
	XnInstant   recorded;   /* when it first entered a journal (given by the caller) */
	JsonObject *attrs;      /* never NULL; sealed: facts do not change */
} XnFact;

/* Copies the strings; takes a new reference on attrs and seals it (NULL means
 * an empty object). Nothing is validated here: see xn_fact_validate(). */
XnFact   *xn_fact_new (XnInstant ts, const char *kind, const char *subject,
		       const char *source, XnInstant recorded, JsonObject *attrs);
XnFact   *xn_fact_copy (const XnFact *fact);
void      xn_fact_free (XnFact *fact);
gboolean  xn_fact_equal (const XnFact *a, const XnFact *b);

/* Checks every rule of doc/journal.md, including that the printed line fits
 * in XN_FACT_MAX_LINE. Errors start with the field's name ("kind ..."). */
gboolean  xn_fact_validate (const XnFact *fact, GError **error);
/* The same, handing back the attrs as xn_fact_attrs_to_json() prints them
 * (when attrs_json is not NULL), so a caller that stores them prints them once. */
gboolean  xn_fact_validate_print_attrs (const XnFact *fact, char **attrs_json, GError **error);
gboolean  xn_fact_kind_is_valid (const char *kind);

/* The fact as one JSON line without the newline; "seq" is left out while it
 * is 0. The fact must be valid. */
char     *xn_fact_to_json_line (const XnFact *fact);

/* Reads one line (no newline in it). Errors name the key; the caller adds
 * "FILE:LINE: ". The result is validated. */
XnFact   *xn_fact_from_json_line (const char *line, gsize length, GError **error);

/* Attrs alone, as stored by a backend: printed compact, read strictly. */
char       *xn_fact_attrs_to_json (JsonObject *attrs);
JsonObject *xn_fact_attrs_from_json (const char *text, GError **error);

/* Reads a JSON-lines stream one fact at a time. Every error is
 * "NAME:LINE: message"; after one, the reader returns nothing more. */
typedef struct _XnFactReader XnFactReader;

XnFactReader *xn_fact_reader_new (GInputStream *input, const char *name);
/* The next fact, or NULL: at the end (no error set) or on error. */
XnFact       *xn_fact_reader_next (XnFactReader *reader, GError **error);
guint         xn_fact_reader_get_line (XnFactReader *reader);
void          xn_fact_reader_free (XnFactReader *reader);

/* The whole stream, all or nothing: an array of XnFact* (freed with the array). */
GPtrArray    *xn_fact_read_all (GInputStream *input, const char *name, GError **error);

/* Writes the fact's line and a newline. */
gboolean      xn_fact_write (const XnFact *fact, GOutputStream *output, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnFact, xn_fact_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnFactReader, xn_fact_reader_free)

G_END_DECLS

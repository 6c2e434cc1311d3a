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
	JsonObject *attrs;      /* sealed: facts do not change. Never NULL, except in a fact
				 * made by xn_fact_new_printed() without a tree and its copies,
				 * until xn_fact_get_attrs() builds it: code that may see such
				 * facts reads attrs through xn_fact_get_attrs() */
	char       *attrs_json; /* a GRefString of the attrs as xn_fact_attrs_to_json() prints
				 * them, when the fact was made from them; else NULL */
} XnFact;

/* Copies the strings; takes a new reference on attrs and seals it (NULL means
 * an empty object). Nothing is validated here: see xn_fact_validate(). */
XnFact   *xn_fact_new (XnInstant ts, const char *kind, const char *subject,
		       const char *source, XnInstant recorded, JsonObject *attrs);
/* The same for a maker that printed the attrs itself, straight from its own
 * data (copies the `length` bytes of attrs_json): appending the fact stores
 * that text without printing or checking a tree, and the tree (attrs, or
 * NULL) is built only if someone asks for it. The text must be exactly
 * what xn_fact_attrs_to_json() prints for the attrs meant, which the
 * maker's tests prove: it is taken at its word. For hot paths (traps). */
XnFact   *xn_fact_new_printed (XnInstant ts, const char *kind, const char *subject,
			       const char *source, XnInstant recorded, JsonObject *attrs,
			       const char *attrs_json, gsize length);
/* Shares the attrs (tree and printed text) with the original. */
XnFact   *xn_fact_copy (const XnFact *fact);
void      xn_fact_free (XnFact *fact);
gboolean  xn_fact_equal (const XnFact *a, const XnFact *b);
/* fact->attrs, read back from the printed text the first time a fact made
 * without a tree is asked (safe from several threads). */
JsonObject *xn_fact_get_attrs (const XnFact *fact);
/* TRUE when attrs has a member `name` (at the top) that is the string
 * `value`. A fact without a tree is answered from its printed text, which
 * costs far less than building the tree: for code that looks at a member
 * or two of many facts (the outage engine and the link checks, at
 * admin_status and if_index of link traps). */
gboolean    xn_fact_attr_is (const XnFact *fact, const char *name, const char *value);
/* TRUE, setting *value, when attrs has a member `name` (at the top) that is
 * an integer; answered as xn_fact_attr_is() is. */
gboolean    xn_fact_attr_int (const XnFact *fact, const char *name, gint64 *value);

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

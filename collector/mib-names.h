/* mib-names.h — names of notification OIDs, from extranoc's own data files
 * in mibs/.
 *
 * Debian ships no IETF or vendor MIB modules and extranoc copies none; the
 * collector only needs to name the notifications it receives, so mibs/
 * holds small text files of our own, one notification per line:
 *
 *     # comment
 *     1.3.6.1.6.3.1.1.5.3   IF-MIB::linkDown
 *
 * Every `*.oids` file of the directory is read, in name order; an operator
 * adds a file for their vendors' notifications. A malformed line, or an OID
 * named twice, is an error "FILE:LINE: ...". The names only label facts
 * (attrs.trap_name): nothing is decoded with them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _XnMibNames XnMibNames;

XnMibNames *xn_mib_names_new (void);
void        xn_mib_names_free (XnMibNames *names);

/* Adds the lines of `data`; `file` names it in errors. Nothing is added
 * when any line is bad. */
gboolean    xn_mib_names_load_data (XnMibNames *names, const char *data, const char *file, GError **error);
/* Every *.oids file in `dir`, in name order. */
gboolean    xn_mib_names_load_dir (XnMibNames *names, const char *dir, GError **error);

/* "IF-MIB::linkDown" for "1.3.6.1.6.3.1.1.5.3"; NULL when not named. */
const char *xn_mib_names_lookup (const XnMibNames *names, const char *oid);
guint       xn_mib_names_size (const XnMibNames *names);

/* The files' directory: $EXTRANOC_MIBS_DIR, else the installed
 * share/extranoc/mibs. */
char       *xn_mib_names_default_dir (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnMibNames, xn_mib_names_free)

G_END_DECLS

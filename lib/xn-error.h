/* xn-error.h — extranoc's one GError domain.
 *
 * Every runtime failure in extranoc is a GError in XN_ERROR with one of the
 * codes below. Adapters for third-party libraries (libyang, SQLite, Net-SNMP,
 * librrd, libnetconf2) convert their errors into this domain in the one file
 * that includes that library's headers; callers add context with
 * g_prefix_error() as the error climbs. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define XN_ERROR (xn_error_quark ())

typedef enum {
	XN_ERROR_FAILED,        /* anything without a better code */
	XN_ERROR_INVALID,       /* input that breaks a rule: bad syntax, bad value */
	XN_ERROR_NOT_FOUND,     /* a named object, file or key does not exist */
	XN_ERROR_IO,            /* reading or writing a file or socket failed */
	XN_ERROR_NO_CALENDAR,   /* a date in a year with no working-day schedule loaded */
	XN_ERROR_PERMISSION,    /* a file is readable by others where it must not be */
	XN_ERROR_STORAGE,       /* the journal or another store failed */
	XN_ERROR_CONFIG,        /* configuration or inventory did not validate */
} XnError;

GQuark xn_error_quark (void);

G_END_DECLS

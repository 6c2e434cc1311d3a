/* xn-time.h — instants as UTC microseconds, and their ISO 8601 form.
 *
 * extranoc stores every instant as gint64 microseconds since the Unix epoch,
 * UTC (XnInstant). People see them in a configured time zone (default
 * Asia/Shanghai). This module converts between the two and never reads the
 * clock: the one function that does, xn_time_now(), is for daemons' and the
 * CLI's main() only; the engine receives `now` as an argument. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gint64 XnInstant;   /* µs since 1970-01-01T00:00:00Z */

#define XN_USEC_PER_SEC    G_GINT64_CONSTANT (1000000)
#define XN_USEC_PER_MINUTE (60 * XN_USEC_PER_SEC)
#define XN_USEC_PER_HOUR   (60 * XN_USEC_PER_MINUTE)
#define XN_USEC_PER_DAY    (24 * XN_USEC_PER_HOUR)

#define XN_DEFAULT_TIMEZONE "Asia/Shanghai"

XnInstant  xn_time_now (void);

/* Looks a zone up by IANA name ("Asia/Shanghai") or offset ("+08:00");
 * unlike g_time_zone_new_identifier() an unknown name is an error, not UTC. */
GTimeZone *xn_time_zone_new (const char *identifier, GError **error);

/* Parses ISO 8601: a full instant with offset or Z ("2025-02-05T09:00:00+08:00",
 * seconds optional, fractional seconds allowed), or a local date-time without
 * offset, which is read in `tz` (then `tz` must not be NULL). A bare date is
 * refused: it is a day, not an instant. So is a local time that `tz` skips or
 * repeats at a daylight-saving change: it names no instant, or two. */
gboolean   xn_time_parse (const char *text, GTimeZone *tz, XnInstant *out, GError **error);

/* Formats an instant in `tz` as "2025-01-27T00:00:00+08:00"; microseconds are
 * printed only when not zero. Returns a newly allocated string. */
char      *xn_time_format (XnInstant t, GTimeZone *tz);

/* UTC with microseconds, "2025-01-26T16:00:00.000000Z": the journal's form. */
char      *xn_time_format_utc (XnInstant t);

/* Converts between instants and GDateTime (in `tz`); to_datetime returns NULL
 * for an instant outside years 1–9999, which GDateTime cannot hold. */
GDateTime *xn_time_to_datetime (XnInstant t, GTimeZone *tz);
XnInstant  xn_time_from_datetime (GDateTime *dt);

G_END_DECLS

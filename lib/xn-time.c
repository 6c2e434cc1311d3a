/* xn-time.c — instants (UTC µs) to and from ISO 8601, through GDateTime.
 *
 * GLib does the calendar arithmetic and the zone database; what this file adds
 * is strictness: an unknown zone, a malformed instant, or a local time that a
 * zone transition skips or repeats is an error, never a silent fallback to UTC
 * or a guess at which hour was meant. It also accepts "09:00" without seconds,
 * which GLib 2.74 refuses. It does not read the clock except in xn_time_now(). */
#include "xn-time.h"
#include "xn-error.h"

#include <string.h>

XnInstant
xn_time_now (void)
{
	return g_get_real_time ();
}

GTimeZone *
xn_time_zone_new (const char *identifier, GError **error)
{
	GTimeZone *tz;

	if (identifier == NULL || *identifier == '\0') {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "empty time zone name");
		return NULL;
	}
	tz = g_time_zone_new_identifier (identifier);
	if (tz == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "unknown time zone '%s'", identifier);
		return NULL;
	}
	return tz;
}

/* ISO 8601 allows hh:mm; GLib wants hh:mm:ss. `hms` points after the 'T'. */
static char *
with_seconds (const char *text, const char *hms)
{
	if (g_ascii_isdigit (hms[0]) && g_ascii_isdigit (hms[1]) && hms[2] == ':' &&
	    g_ascii_isdigit (hms[3]) && g_ascii_isdigit (hms[4]) &&
	    hms[5] != ':' && hms[5] != '.' && hms[5] != ',')
		return g_strdup_printf ("%.*s:00%s", (int) (hms + 5 - text), text, hms + 5);
	return g_strdup (text);
}

/* A wall-clock time read in `tz` must name exactly one instant: GLib would
 * move a skipped time forward and pick one of a repeated hour's two readings,
 * and a notice deadline an hour off is a wrong answer, not a rounding. */
static gboolean
check_local_time (const char *text, GDateTime *wall, GTimeZone *tz, GError **error)
{
	gint64 local = g_date_time_to_unix (wall);
	gint standard = g_time_zone_find_interval (tz, G_TIME_TYPE_STANDARD, local);
	gint daylight = g_time_zone_find_interval (tz, G_TIME_TYPE_DAYLIGHT, local);

	if (standard < 0 || daylight < 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "'%s' does not exist in time zone %s (the clocks skip it)",
			     text, g_time_zone_get_identifier (tz));
		return FALSE;
	}
	if (g_time_zone_get_offset (tz, standard) != g_time_zone_get_offset (tz, daylight)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "'%s' occurs twice in time zone %s: give the UTC offset",
			     text, g_time_zone_get_identifier (tz));
		return FALSE;
	}
	return TRUE;
}

gboolean
xn_time_parse (const char *text, GTimeZone *tz, XnInstant *out, GError **error)
{
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
	g_autoptr(GDateTime) dt = NULL;
	g_autofree char *full = NULL;
	const char *sep;
	gboolean has_offset;

	sep = text != NULL ? strpbrk (text, "Tt") : NULL;
	if (sep == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "'%s' is not an ISO 8601 date-time (expected e.g. 2025-02-05T09:00:00+08:00)",
			     text != NULL ? text : "(null)");
		return FALSE;
	}
	full = with_seconds (text, sep + 1);
	/* The date part has '-' too, so only what follows the 'T' can hold an offset. */
	has_offset = strpbrk (sep, "Zz+-") != NULL;
	if (!has_offset) {
		g_autoptr(GDateTime) wall = g_date_time_new_from_iso8601 (full, utc);

		if (tz == NULL) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
				     "'%s' has no UTC offset (expected e.g. 2025-02-05T09:00:00+08:00)", text);
			return FALSE;
		}
		if (wall != NULL && !check_local_time (text, wall, tz, error))
			return FALSE;
	}
	dt = g_date_time_new_from_iso8601 (full, has_offset ? utc : tz);
	if (dt == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "'%s' is not a valid ISO 8601 date-time", text);
		return FALSE;
	}
	*out = xn_time_from_datetime (dt);
	return TRUE;
}

GDateTime *
xn_time_to_datetime (XnInstant t, GTimeZone *tz)
{
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (0);
	g_autoptr(GDateTime) at = g_date_time_add (utc, t);

	/* NULL outside years 1–9999: GDateTime cannot represent it. */
	if (at == NULL)
		return NULL;
	return g_date_time_to_timezone (at, tz);
}

XnInstant
xn_time_from_datetime (GDateTime *dt)
{
	return g_date_time_to_unix (dt) * XN_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

char *
xn_time_format (XnInstant t, GTimeZone *tz)
{
	g_autoptr(GDateTime) dt = xn_time_to_datetime (t, tz);

	if (dt == NULL)
		return g_strdup_printf ("(out of range: %" G_GINT64_FORMAT " µs)", t);
	if (g_date_time_get_microsecond (dt) != 0)
		return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.%f%:z");
	return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S%:z");
}

char *
xn_time_format_utc (XnInstant t)
{
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
	g_autoptr(GDateTime) dt = xn_time_to_datetime (t, utc);

	if (dt == NULL)
		return g_strdup_printf ("(out of range: %" G_GINT64_FORMAT " µs)", t);
	return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.%fZ");
}

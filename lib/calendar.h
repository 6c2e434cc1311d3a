/* calendar.h — the Chinese working-day calendar (State Council schedule).
 *
 * A day is a working day if it is Monday to Friday, unless the schedule marks
 * it `off` (a statutory holiday or 调休 day off), or if it is a Saturday or
 * Sunday that the schedule marks `work` (a 调休 working day). Schedules are
 * loaded from one text file per year (format in data/calendar/2025.txt), so a
 * new year is added by dropping in a file, without a rebuild. A date in a year
 * with no schedule loaded is an XN_ERROR_NO_CALENDAR error naming the year,
 * never a guess from the weekday rule.
 *
 * A date is decided by the file that declares its year only. When a year's
 * notice moves a late-December day of the previous year (it has happened), that
 * day is added to the previous year's file. */
#pragma once

#include <glib.h>

#include "xn-time.h"

G_BEGIN_DECLS

typedef struct _XnCalendar XnCalendar;

XnCalendar *xn_calendar_new (void);
void        xn_calendar_free (XnCalendar *cal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnCalendar, xn_calendar_free)

/* Loads one year's schedule from `data` (`length` bytes, -1 if NUL-terminated);
 * `source` names it in errors ("FILE:LINE: ..."). All or nothing: on error the
 * calendar is unchanged. A year already loaded is an error. */
gboolean xn_calendar_load_data (XnCalendar *cal, const char *source,
				const char *data, gssize length, GError **error);
gboolean xn_calendar_load_file (XnCalendar *cal, const char *path, GError **error);

/* Loads every *.txt in `dir` (names starting with '.' skipped), all or
 * nothing. A directory without one is an error: it would decide no date. */
gboolean xn_calendar_load_dir (XnCalendar *cal, const char *dir, GError **error);

/* Parses exactly YYYY-MM-DD into `date`. */
gboolean xn_calendar_parse_date (const char *text, GDate *date, GError **error);

/* Decides `date`: *working is set; *name (if `name` is not NULL) is the
 * holiday or 调休 name from the schedule, owned by `cal`, or NULL for a day the
 * weekday rule decides (including a weekend inside a holiday, which the State
 * Council notices do not list day by day). */
gboolean xn_calendar_is_working_day (const XnCalendar *cal, const GDate *date,
				     gboolean *working, const char **name, GError **error);

/* The n-th working day after `from` (n > 0) or before it (n < 0), `from`
 * itself not counted; n = 0 gives `from`. The year of `from` must be loaded
 * even when the answer lies in another year: the schedule of a year can move
 * days at the end of the previous one. */
gboolean xn_calendar_add_working_days (const XnCalendar *cal, const GDate *from, gint n,
				       GDate *result, GError **error);

/* The latest instant at which a notice for work starting at `start` is still
 * n working days ahead (regulations.md): 24:00 local time in `tz` of the n-th
 * working day before the local calendar day of `start`, i.e. the first
 * instant of the next local day. Work starting on 2025-02-05 with n = 2 gives
 * 2025-01-27T00:00:00+08:00, the end of the 调休 Sunday 2025-01-26.
 * n = 0 asks for no working days of lead time: the deadline is `start`. */
gboolean xn_calendar_notice_deadline (const XnCalendar *cal, XnInstant start, guint n,
				      GTimeZone *tz, XnInstant *deadline, GError **error);

/* Where the calendar files are unless told otherwise: $EXTRANOC_CALENDAR_DIR,
 * else the installed XN_DEFAULT_CALENDAR_DIR. Every program that loads the
 * calendar (CLI, collector) resolves it the same way. */
const char  *xn_calendar_default_dir (void);

G_END_DECLS

/* maintenance-private.h — what the files of the notice book share
 * (maintenance.c feeds and queries, maintenance-notice.c judges notices,
 * maintenance-letter.c renders letters). Not for other modules. */
#pragma once

#include "maintenance.h"

G_BEGIN_DECLS

struct _XnMaintenanceBook {
	const XnInventory *inventory;
	const XnTopology  *topology;
	const XnPolicy    *policy;
	const XnCalendar  *calendar;
	GTimeZone         *tz;
	GPtrArray         *windows;     /* XnMaintenanceWindow, seq order, owned */
	GHashTable        *by_seq;      /* gint64 * → window */
	GPtrArray         *orphans;     /* XnMaintenanceFactNote, owned */
	gint64             last_seq;
};

/* Sets the rule, the deadline, the days walked and on_time of a valid
 * window from its filing (maintenance-notice.c). */
void  xn_maintenance_assess_notice (const XnMaintenanceBook *book, XnMaintenanceWindow *window);
/* Sets compliant and the reasons from the notice and the approval; called
 * again after every fact that changes the window. */
void  xn_maintenance_judge (XnMaintenanceWindow *window);

/* g_strv_builder_take() is GLib 2.80; the project builds on 2.74. */
static inline void
xn_maintenance_strv_take (GStrvBuilder *builder, char *text)
{
	g_strv_builder_add (builder, text);
	g_free (text);
}

/* "1 h 30 min", "45 s", "2 d 3 h". */
char *xn_maintenance_duration (gint64 usec);

G_END_DECLS

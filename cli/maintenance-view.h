/* maintenance-view.h — maintenance windows shown to people (a table, one
 * window with its facts and deadline arithmetic) and to machines (JSON
 * with sorted keys), for `extranoc maintenance list|show|file`. */
#pragma once

#include <stdio.h>

#include "json-out.h"
#include "maintenance.h"

G_BEGIN_DECLS

/* "upcoming", "in progress" or "over" at `now`. */
const char *xn_cli_maintenance_phase (const XnMaintenanceWindow *window, XnInstant now);
/* The window as a document; with its facts and the explanation lines
 * when `full`. */
XnJsonOut  *xn_cli_maintenance_json (const XnMaintenanceWindow *window, GTimeZone *tz, XnInstant now,
				     gboolean full);
/* One line per window: ID, initiator, start, end, phase, status,
 * compliance, affected units. */
void        xn_cli_print_maintenance_list (FILE *out, const GPtrArray *windows, GTimeZone *tz, XnInstant now);
/* One window: what was filed, its state, the affected units, the deadline
 * arithmetic and the facts behind it. */
void        xn_cli_print_maintenance (FILE *out, const XnMaintenanceWindow *window, GTimeZone *tz, XnInstant now);
/* "compliant" or "not compliant: R1; R2". */
char       *xn_cli_maintenance_verdict (const XnMaintenanceWindow *window);

G_END_DECLS

/* policy.h — the rules extranoc enforces, as plain C: carrier response and
 * restore targets per SLA class, advance-notice rules per initiator of
 * maintenance, the time zone people read, and how outages are attributed
 * to incidents (the correlation window).
 *
 * xn_policy_new() starts from the regulation numbers (ARCHITECTURE.md: 1 h
 * response; restore 2 h county-unit, 4 h core-room, 6 h township, 48 h
 * complex; notice 2 / 5 working days, carrier 2 h with approval), which is
 * also what the YANG defaults say; lib/config.c overwrites them with what
 * the policy file sets. Durations are microseconds, like XnInstant, so the
 * SLA engine adds them to instants without converting. GLib only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Who starts the maintenance work, which decides the notice rule. */
typedef enum {
	XN_INITIATOR_OPERATOR,      /* the operations body's own work */
	XN_INITIATOR_UNIT,          /* an access unit's work */
	XN_INITIATOR_CARRIER,       /* a carrier's work */
} XnInitiator;

#define XN_INITIATOR_COUNT 3

typedef enum {
	XN_LEAD_WORKING_DAYS,       /* filed by 24:00 of the N-th working day before the day the work starts */
	XN_LEAD_DURATION,           /* filed at least lead_time before the work starts, 24×7 */
} XnLeadKind;

typedef struct {
	XnLeadKind kind;
	guint      working_days;        /* XN_LEAD_WORKING_DAYS */
	gint64     lead_time;           /* XN_LEAD_DURATION, µs */
	gboolean   approval_required;
} XnNoticeRule;

typedef struct _XnPolicy XnPolicy;

XnPolicy           *xn_policy_new (void);
void                xn_policy_free (XnPolicy *policy);

const char         *xn_policy_get_timezone (const XnPolicy *policy);
void                xn_policy_set_timezone (XnPolicy *policy, const char *timezone);

gint64              xn_policy_response_target (const XnPolicy *policy);
void                xn_policy_set_response_target (XnPolicy *policy, gint64 usec);

/* The restore target of a fault on a site of `sla_class` ("core-room", or
 * "module:identity" for a class a deployment derived), in µs; when
 * `complex` (the fault was declared complex) the complex target instead.
 * -1 when the class has no target: check-config refuses an inventory with
 * such a site, so a loaded configuration never gets -1 for its own sites. */
gint64              xn_policy_restore_target (const XnPolicy *policy, const char *sla_class, gboolean complex);
void                xn_policy_set_restore_target (XnPolicy *policy, const char *sla_class, gint64 usec);
void                xn_policy_set_complex_target (XnPolicy *policy, gint64 usec);
/* The classes with a target, sorted. Free with g_strfreev(). */
GStrv               xn_policy_list_classes (const XnPolicy *policy);

/* How long before its ancestor's outage a child may be seen down and still
 * belong to the ancestor's incident (doc/outages.md), µs: 0 to a day,
 * default 600 s. */
gint64              xn_policy_correlation_window (const XnPolicy *policy);
void                xn_policy_set_correlation_window (XnPolicy *policy, gint64 usec);

/* Escalation steps, in percent of a deadline's target, increasing (1 to
 * XN_POLICY_MAX_ESCALATION of them, default 100, 150, 200): *n is set. */
#define XN_POLICY_MAX_ESCALATION 8
const guint        *xn_policy_escalation (const XnPolicy *policy, guint *n);
/* Sorts and drops repeats; FALSE (nothing changed) when none is left or
 * more than XN_POLICY_MAX_ESCALATION, or one is outside 1..10000. */
gboolean            xn_policy_set_escalation (XnPolicy *policy, const guint *percents, guint n);
/* A ticket's fault back down this soon after its restore reopens it, µs:
 * 0 to a day, default 600 s. */
gint64              xn_policy_flap_grace (const XnPolicy *policy);
void                xn_policy_set_flap_grace (XnPolicy *policy, gint64 usec);
/* The NOC's duty desk printed in ticket messages; each may be NULL. */
void                xn_policy_noc_contact (const XnPolicy *policy, const char **name, const char **phone,
					   const char **email);
void                xn_policy_set_noc_contact (XnPolicy *policy, const char *name, const char *phone,
					       const char *email);

const XnNoticeRule *xn_policy_notice_rule (const XnPolicy *policy, XnInitiator initiator);
void                xn_policy_set_notice_rule (XnPolicy *policy, XnInitiator initiator, const XnNoticeRule *rule);

const char         *xn_initiator_to_string (XnInitiator initiator);
/* "operator", "unit", "carrier"; FALSE for anything else. */
gboolean            xn_initiator_from_string (const char *text, XnInitiator *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnPolicy, xn_policy_free)

G_END_DECLS

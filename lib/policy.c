/* policy.c — SLA targets and notice rules with the regulation numbers as
 * defaults.
 *
 * The defaults here repeat the YANG defaults of extranoc-policy on purpose:
 * a policy built in a test or by a tool without a policy file must mean the
 * same as an empty policy file. Restore targets are a table keyed by SLA
 * class so that a class a deployment derives from xni:sla-class needs no
 * code. This file does not validate time zone names or read files; the
 * configuration loader has done both by the time a policy exists. */
#include "policy.h"

#include <stdlib.h>
#include <string.h>

struct _XnPolicy {
	char         *timezone;
	gint64        response_target;
	gint64        complex_target;
	GHashTable   *restore_targets;   /* class → gint64 µs, boxed */
	XnNoticeRule  notice[XN_INITIATOR_COUNT];
	gint64        correlation_window;
	guint         escalation[XN_POLICY_MAX_ESCALATION];
	guint         n_escalation;
	gint64        flap_grace;
	char         *noc_name, *noc_phone, *noc_email;
};

static const char *const initiator_names[XN_INITIATOR_COUNT] = { "operator", "unit", "carrier" };

XnPolicy *
xn_policy_new (void)
{
	XnPolicy *policy = g_new0 (XnPolicy, 1);

	policy->timezone = g_strdup ("Asia/Shanghai");
	policy->response_target = 1 * G_TIME_SPAN_HOUR;
	policy->complex_target = 48 * G_TIME_SPAN_HOUR;
	policy->restore_targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	xn_policy_set_restore_target (policy, "county-unit", 2 * G_TIME_SPAN_HOUR);
	xn_policy_set_restore_target (policy, "core-room", 4 * G_TIME_SPAN_HOUR);
	xn_policy_set_restore_target (policy, "township", 6 * G_TIME_SPAN_HOUR);
	policy->notice[XN_INITIATOR_OPERATOR] = (XnNoticeRule) {
		.kind = XN_LEAD_WORKING_DAYS, .working_days = 2, .approval_required = FALSE };
	policy->notice[XN_INITIATOR_UNIT] = (XnNoticeRule) {
		.kind = XN_LEAD_WORKING_DAYS, .working_days = 5, .approval_required = TRUE };
	policy->notice[XN_INITIATOR_CARRIER] = (XnNoticeRule) {
		.kind = XN_LEAD_DURATION, .lead_time = 2 * G_TIME_SPAN_HOUR, .approval_required = TRUE };
	/* the outage engine's own default (sla/outage.h), which it keeps
	 * without a policy */
	policy->correlation_window = 600 * G_TIME_SPAN_SECOND;
	xn_policy_set_escalation (policy, (const guint[]) { 100, 150, 200 }, 3);
	policy->flap_grace = 600 * G_TIME_SPAN_SECOND;
	return policy;
}

void
xn_policy_free (XnPolicy *policy)
{
	if (policy == NULL)
		return;
	g_free (policy->timezone);
	g_free (policy->noc_name);
	g_free (policy->noc_phone);
	g_free (policy->noc_email);
	g_hash_table_unref (policy->restore_targets);
	g_free (policy);
}

const char *
xn_policy_get_timezone (const XnPolicy *policy)
{
	return policy->timezone;
}

void
xn_policy_set_timezone (XnPolicy *policy, const char *timezone)
{
	g_return_if_fail (timezone != NULL);
	g_free (policy->timezone);
	policy->timezone = g_strdup (timezone);
}

gint64
xn_policy_response_target (const XnPolicy *policy)
{
	return policy->response_target;
}

void
xn_policy_set_response_target (XnPolicy *policy, gint64 usec)
{
	policy->response_target = usec;
}

gint64
xn_policy_restore_target (const XnPolicy *policy, const char *sla_class, gboolean complex)
{
	const gint64 *target;

	/* A complex fault gets the complex target whatever the class: the
	 * regulation replaces the class target once the fault is declared. */
	if (complex)
		return policy->complex_target;
	if (sla_class == NULL)
		return -1;
	target = g_hash_table_lookup (policy->restore_targets, sla_class);
	return target != NULL ? *target : -1;
}

void
xn_policy_set_restore_target (XnPolicy *policy, const char *sla_class, gint64 usec)
{
	g_return_if_fail (sla_class != NULL);
	g_hash_table_insert (policy->restore_targets, g_strdup (sla_class), g_memdup2 (&usec, sizeof usec));
}

void
xn_policy_set_complex_target (XnPolicy *policy, gint64 usec)
{
	policy->complex_target = usec;
}

static int
compare_names (gconstpointer a, gconstpointer b, gpointer unused)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GStrv
xn_policy_list_classes (const XnPolicy *policy)
{
	g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (policy->restore_targets, NULL);
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
	guint n = g_strv_length ((char **) keys);

	g_qsort_with_data (keys, n, sizeof *keys, compare_names, NULL);
	for (guint i = 0; i < n; i++)
		g_strv_builder_add (builder, keys[i]);
	return g_strv_builder_end (builder);
}

gint64
xn_policy_correlation_window (const XnPolicy *policy)
{
	return policy->correlation_window;
}

void
xn_policy_set_correlation_window (XnPolicy *policy, gint64 usec)
{
	g_return_if_fail (usec >= 0 && usec <= G_TIME_SPAN_DAY);
	policy->correlation_window = usec;
}

static int
compare_uint (gconstpointer a, gconstpointer b)
{
	guint x = *(const guint *) a, y = *(const guint *) b;

	return x < y ? -1 : x > y;
}

const guint *
xn_policy_escalation (const XnPolicy *policy, guint *n)
{
	*n = policy->n_escalation;
	return policy->escalation;
}

gboolean
xn_policy_set_escalation (XnPolicy *policy, const guint *percents, guint n)
{
	guint sorted[XN_POLICY_MAX_ESCALATION], kept = 0;

	if (n == 0 || n > XN_POLICY_MAX_ESCALATION)
		return FALSE;
	for (guint i = 0; i < n; i++)
		if (percents[i] < 1 || percents[i] > 10000)
			return FALSE;
	memcpy (sorted, percents, n * sizeof *percents);
	qsort (sorted, n, sizeof *sorted, compare_uint);
	for (guint i = 0; i < n; i++)
		if (kept == 0 || sorted[i] != sorted[kept - 1])
			sorted[kept++] = sorted[i];
	memcpy (policy->escalation, sorted, kept * sizeof *sorted);
	policy->n_escalation = kept;
	return TRUE;
}

gint64
xn_policy_flap_grace (const XnPolicy *policy)
{
	return policy->flap_grace;
}

void
xn_policy_set_flap_grace (XnPolicy *policy, gint64 usec)
{
	g_return_if_fail (usec >= 0 && usec <= G_TIME_SPAN_DAY);
	policy->flap_grace = usec;
}

void
xn_policy_noc_contact (const XnPolicy *policy, const char **name, const char **phone, const char **email)
{
	*name = policy->noc_name;
	*phone = policy->noc_phone;
	*email = policy->noc_email;
}

void
xn_policy_set_noc_contact (XnPolicy *policy, const char *name, const char *phone, const char *email)
{
	g_free (policy->noc_name);
	g_free (policy->noc_phone);
	g_free (policy->noc_email);
	policy->noc_name = g_strdup (name);
	policy->noc_phone = g_strdup (phone);
	policy->noc_email = g_strdup (email);
}

const XnNoticeRule *
xn_policy_notice_rule (const XnPolicy *policy, XnInitiator initiator)
{
	g_return_val_if_fail ((guint) initiator < XN_INITIATOR_COUNT, NULL);
	return &policy->notice[initiator];
}

void
xn_policy_set_notice_rule (XnPolicy *policy, XnInitiator initiator, const XnNoticeRule *rule)
{
	g_return_if_fail ((guint) initiator < XN_INITIATOR_COUNT);
	policy->notice[initiator] = *rule;
}

const char *
xn_initiator_to_string (XnInitiator initiator)
{
	return (guint) initiator < XN_INITIATOR_COUNT ? initiator_names[initiator] : "unknown";
}

gboolean
xn_initiator_from_string (const char *text, XnInitiator *out)
{
	for (guint i = 0; i < XN_INITIATOR_COUNT; i++) {
		if (g_strcmp0 (text, initiator_names[i]) == 0) {
			*out = (XnInitiator) i;
			return TRUE;
		}
	}
	return FALSE;
}

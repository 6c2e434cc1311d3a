/* ticket-options.c — the numbers the ticket engine applies: response and
 * restore targets per SLA class, the complex target, the escalation steps,
 * the flap grace and the NOC contact messages carry.
 *
 * Defaults are the regulation's (003 第十二条: respond within 1 h; restore
 * within 2 h for a county-direct unit, 4 h for a core room, 6 h for a
 * township, 48 h once complex), the same numbers as lib/policy.c, so an
 * engine made without a policy means what an empty policy file means. The
 * caller fills the options (xn_ticket_options_from_policy: every number and
 * the NOC contact from the policy)
 * and the engine copies them: nothing here reads a file. */
#include "ticket.h"
#include "xn-error.h"

#include <string.h>

static const guint default_escalation[] = { 100, 150, 200 };

static void
class_target_clear (gpointer data)
{
	XnTicketClassTarget *target = data;

	g_free (target->sla_class);
}

static GArray *
class_targets_new (void)
{
	GArray *targets = g_array_new (FALSE, FALSE, sizeof (XnTicketClassTarget));

	g_array_set_clear_func (targets, class_target_clear);
	return targets;
}

void
xn_ticket_options_init (XnTicketOptions *options)
{
	memset (options, 0, sizeof *options);
	options->response_target_us = XN_USEC_PER_HOUR;
	options->restore_targets = class_targets_new ();
	xn_ticket_options_set_restore_target (options, "county-unit", 2 * XN_USEC_PER_HOUR);
	xn_ticket_options_set_restore_target (options, "core-room", 4 * XN_USEC_PER_HOUR);
	xn_ticket_options_set_restore_target (options, "township", 6 * XN_USEC_PER_HOUR);
	options->complex_target_us = 48 * XN_USEC_PER_HOUR;
	memcpy (options->escalation, default_escalation, sizeof default_escalation);
	options->n_escalation = G_N_ELEMENTS (default_escalation);
	options->grace_us = XN_TICKET_DEFAULT_GRACE;
	options->keep_closed = TRUE;
}

void
xn_ticket_options_clear (XnTicketOptions *options)
{
	if (options->restore_targets != NULL)
		g_array_unref (options->restore_targets);
	g_free (options->noc_name);
	g_free (options->noc_phone);
	g_free (options->noc_email);
	memset (options, 0, sizeof *options);
}

void
xn_ticket_options_copy (XnTicketOptions *dest, const XnTicketOptions *src)
{
	*dest = *src;
	dest->restore_targets = class_targets_new ();
	for (guint i = 0; src->restore_targets != NULL && i < src->restore_targets->len; i++) {
		const XnTicketClassTarget *t = &g_array_index (src->restore_targets, XnTicketClassTarget, i);

		xn_ticket_options_set_restore_target (dest, t->sla_class, t->target_us);
	}
	dest->noc_name = g_strdup (src->noc_name);
	dest->noc_phone = g_strdup (src->noc_phone);
	dest->noc_email = g_strdup (src->noc_email);
}

void
xn_ticket_options_set_restore_target (XnTicketOptions *options, const char *sla_class, gint64 target_us)
{
	XnTicketClassTarget target;
	guint i;

	g_return_if_fail (sla_class != NULL);
	for (i = 0; i < options->restore_targets->len; i++) {
		XnTicketClassTarget *t = &g_array_index (options->restore_targets, XnTicketClassTarget, i);
		int c = strcmp (t->sla_class, sla_class);

		if (c == 0) {
			t->target_us = target_us;
			return;
		}
		if (c > 0)
			break;
	}
	target.sla_class = g_strdup (sla_class);
	target.target_us = target_us;
	g_array_insert_val (options->restore_targets, i, target);
}

gint64
xn_ticket_options_restore_target (const XnTicketOptions *options, const char *sla_class)
{
	if (sla_class == NULL)
		return -1;
	for (guint i = 0; i < options->restore_targets->len; i++) {
		const XnTicketClassTarget *t = &g_array_index (options->restore_targets, XnTicketClassTarget, i);

		if (strcmp (t->sla_class, sla_class) == 0)
			return t->target_us;
	}
	return -1;
}

gboolean
xn_ticket_options_from_policy (XnTicketOptions *options, const XnPolicy *policy, GError **error)
{
	g_auto(GStrv) classes = xn_policy_list_classes (policy);
	gint64 response = xn_policy_response_target (policy);
	gint64 complex = xn_policy_restore_target (policy, NULL, TRUE);
	const char *name, *phone, *email;
	const guint *percents;
	guint n;

	if (response <= 0 || complex <= 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG,
			     "policy: fault-repair %s target must be positive",
			     response <= 0 ? "response" : "complex restore");
		return FALSE;
	}
	for (guint i = 0; classes[i] != NULL; i++)
		if (xn_policy_restore_target (policy, classes[i], FALSE) <= 0) {
			g_set_error (error, XN_ERROR, XN_ERROR_CONFIG,
				     "policy: fault-repair restore target of class %s must be positive", classes[i]);
			return FALSE;
		}
	options->response_target_us = response;
	options->complex_target_us = complex;
	g_array_set_size (options->restore_targets, 0);
	for (guint i = 0; classes[i] != NULL; i++)
		xn_ticket_options_set_restore_target (options, classes[i],
						      xn_policy_restore_target (policy, classes[i], FALSE));
	percents = xn_policy_escalation (policy, &n);
	if (!xn_ticket_options_set_escalation (options, percents, n, error)) {
		g_prefix_error (error, "policy: fault-repair escalation: ");
		return FALSE;
	}
	options->grace_us = xn_policy_flap_grace (policy);
	xn_policy_noc_contact (policy, &name, &phone, &email);
	xn_ticket_options_set_noc (options, name, phone, email);
	return TRUE;
}

static gboolean
check_escalation (const guint *percents, guint n, GError **error)
{
	if (n < 1 || n > XN_TICKET_MAX_ESCALATION) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "ticket options: %u escalation steps, expected 1 to %u", n, XN_TICKET_MAX_ESCALATION);
		return FALSE;
	}
	for (guint i = 0; i < n; i++)
		if (percents[i] < 1 || percents[i] > 10000 || (i > 0 && percents[i] <= percents[i - 1])) {
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
				     "ticket options: escalation step %u (%u %%) must be from 1 to 10000 %% "
				     "and above the one before", i + 1, percents[i]);
			return FALSE;
		}
	return TRUE;
}

gboolean
xn_ticket_options_set_escalation (XnTicketOptions *options, const guint *percents, guint n, GError **error)
{
	if (!check_escalation (percents, n, error))
		return FALSE;
	memset (options->escalation, 0, sizeof options->escalation);
	memcpy (options->escalation, percents, n * sizeof *percents);
	options->n_escalation = n;
	return TRUE;
}

void
xn_ticket_options_set_noc (XnTicketOptions *options, const char *name, const char *phone, const char *email)
{
	g_free (options->noc_name);
	g_free (options->noc_phone);
	g_free (options->noc_email);
	options->noc_name = g_strdup (name);
	options->noc_phone = g_strdup (phone);
	options->noc_email = g_strdup (email);
}

/* A target longer than a year is a typing error, and keeps every sum of
 * instants and percentages far from overflowing. */
#define MAX_TARGET (366 * XN_USEC_PER_DAY)

static gboolean
check_target (const char *what, gint64 target, GError **error)
{
	if (target <= 0 || target > MAX_TARGET) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "ticket options: %s target %" G_GINT64_FORMAT " µs is outside 1 µs to 366 days",
			     what, target);
		return FALSE;
	}
	return TRUE;
}

gboolean
xn_ticket_options_validate (const XnTicketOptions *options, GError **error)
{
	if (!check_target ("response", options->response_target_us, error) ||
	    !check_target ("complex restore", options->complex_target_us, error) ||
	    !check_escalation (options->escalation, options->n_escalation, error))
		return FALSE;
	for (guint i = 0; i < options->restore_targets->len; i++) {
		const XnTicketClassTarget *t = &g_array_index (options->restore_targets, XnTicketClassTarget, i);
		g_autofree char *what = g_strdup_printf ("restore (class %s)", t->sla_class);

		if (!check_target (what, t->target_us, error))
			return FALSE;
	}
	if (options->grace_us < 0 || options->grace_us > XN_USEC_PER_DAY) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "ticket options: grace %" G_GINT64_FORMAT " µs is outside 0 to 86400 s",
			     options->grace_us);
		return FALSE;
	}
	if ((options->noc_name != NULL && !g_utf8_validate (options->noc_name, -1, NULL)) ||
	    (options->noc_phone != NULL && !g_utf8_validate (options->noc_phone, -1, NULL)) ||
	    (options->noc_email != NULL && !g_utf8_validate (options->noc_email, -1, NULL))) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "ticket options: NOC contact is not UTF-8");
		return FALSE;
	}
	return TRUE;
}

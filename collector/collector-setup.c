/* collector-setup.c — the collector's configuration as one checked whole.
 *
 * A setup is extranoc.conf plus the inventory, policy and secrets it names
 * the notification names of the mibs directory and the working-day
 * calendar (maintenance notices are judged on it), loaded and validated
 * together, with the lookups the trap intake needs made once: which node
 * has which management address, and which SNMPv3 credential it uses. `-n`
 * prints it; a reload builds a complete new one before anything of the old
 * is touched (the log writer is lib/daemon-log.c, shared with the poller).
 * Nothing here opens the
 * journal or a socket; what delivery to the carriers needs of it is
 * checked by collector/dispatch.c's own rule. */
#include "collector.h"
#include "dispatch.h"
#include "xn-error.h"
#include "xn-time.h"

#include <stdio.h>
#include <string.h>

static void
index_nodes (XnCollectorSetup *setup)
{
	const GPtrArray *nodes = xn_inventory_get_nodes (xn_config_get_inventory (setup->config));

	setup->nodes_by_address = g_hash_table_new (g_str_hash, g_str_equal);
	setup->usm_by_address = g_hash_table_new (g_str_hash, g_str_equal);
	for (guint i = 0; i < nodes->len; i++) {
		const XnNode *node = g_ptr_array_index (nodes, i);

		/* every node, whatever its poller group: any of them may send traps */
		g_hash_table_insert (setup->nodes_by_address, node->management_address, (gpointer) node);
		if (node->snmp != NULL && node->snmp->version == XN_SNMP_V3)
			g_hash_table_insert (setup->usm_by_address, node->management_address, node->snmp->credential);
	}
}

XnCollectorSetup *
xn_collector_setup_load (const char *conf_path, GError **error)
{
	g_autoptr(XnCollectorSetup) setup = g_new0 (XnCollectorSetup, 1);
	g_autofree char *yang_dir = NULL;

	setup->conf_path = g_strdup (conf_path);
	setup->conf = xn_daemon_conf_load (conf_path, error);
	if (setup->conf == NULL)
		return NULL;
	yang_dir = setup->conf->yang_dir != NULL ? g_strdup (setup->conf->yang_dir) : xn_config_default_yang_dir ();
	setup->config = xn_config_load (yang_dir, (const char *const *) setup->conf->config_files, error);
	if (setup->config == NULL) {
		g_prefix_error (error, "%s: the configuration it names: ", conf_path);
		return NULL;
	}
	setup->tz = xn_time_zone_new (xn_policy_get_timezone (xn_config_get_policy (setup->config)), error);
	if (setup->tz == NULL) {
		g_prefix_error (error, "%s: the policy's time zone: ", conf_path);
		return NULL;
	}
	/* what the dispatcher could not use is refused here, by -n and by a
	 * reload alike, rather than found at the first ticket */
	if (!xn_dispatch_check_config (xn_config_get_inventory (setup->config), xn_config_get_secrets (setup->config),
				       setup->conf, error)) {
		g_prefix_error (error, "%s: delivery of tickets to the carriers: ", conf_path);
		return NULL;
	}
	setup->mibs_dir = setup->conf->mibs_dir != NULL ? g_strdup (setup->conf->mibs_dir) : xn_mib_names_default_dir ();
	setup->mibs = xn_mib_names_new ();
	if (!xn_mib_names_load_dir (setup->mibs, setup->mibs_dir, error)) {
		g_prefix_error (error, "%s: [collector] mibs-dir: ", conf_path);
		return NULL;
	}
	setup->calendar_dir = g_strdup (xn_calendar_default_dir ());
	setup->calendar = xn_calendar_new ();
	if (!xn_calendar_load_dir (setup->calendar, setup->calendar_dir, error)) {
		g_prefix_error (error, "%s: the working-day calendar in %s ($EXTRANOC_CALENDAR_DIR): ", conf_path,
				setup->calendar_dir);
		return NULL;
	}
	index_nodes (setup);
	return g_steal_pointer (&setup);
}

void
xn_collector_setup_free (XnCollectorSetup *setup)
{
	if (setup == NULL)
		return;
	g_clear_pointer (&setup->nodes_by_address, g_hash_table_unref);
	g_clear_pointer (&setup->usm_by_address, g_hash_table_unref);
	g_clear_pointer (&setup->mibs, xn_mib_names_free);
	g_clear_pointer (&setup->config, xn_config_free);
	g_clear_pointer (&setup->conf, xn_daemon_conf_free);
	g_clear_pointer (&setup->tz, g_time_zone_unref);
	g_clear_pointer (&setup->calendar, xn_calendar_free);
	g_free (setup->calendar_dir);
	g_free (setup->mibs_dir);
	g_free (setup->conf_path);
	g_free (setup);
}

static guint
count_secrets (const XnSecrets *secrets, XnSecretKind kind)
{
	g_auto(GStrv) names = secrets != NULL ? xn_secrets_list (secrets, kind) : NULL;

	return names != NULL ? g_strv_length (names) : 0;
}

char *
xn_collector_setup_summary (const XnCollectorSetup *setup)
{
	const XnSecrets *secrets = xn_config_get_secrets (setup->config);
	guint nodes = g_hash_table_size (setup->nodes_by_address);
	guint communities = count_secrets (secrets, XN_SECRET_SNMP_COMMUNITY);
	guint users = count_secrets (secrets, XN_SECRET_SNMP_USM);
	guint names = xn_mib_names_size (setup->mibs);

	return g_strdup_printf ("listening on %s; %u node%s known by address; %u communit%s and %u SNMPv3 user%s "
				"accepted; %u notification name%s from %s; storms above %u traps/s over %u s, "
				"summarised every %u s; working days from %s", setup->conf->listen, nodes, nodes == 1 ? "" : "s",
				communities, communities == 1 ? "y" : "ies", users, users == 1 ? "" : "s",
				names, names == 1 ? "" : "s", setup->mibs_dir, setup->conf->storm_rate,
				setup->conf->storm_window_s, setup->conf->storm_summary_s, setup->calendar_dir);
}

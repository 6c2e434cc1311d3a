/* poller-setup.c — the poller's configuration as one checked whole.
 *
 * A setup is extranoc.conf plus the inventory, policy and secrets it names,
 * loaded and validated together, with the nodes this poller polls picked out
 * (its poller group, SNMP endpoint present). `-n` prints it; a reload builds
 * a complete new one before anything of the old is touched, so a broken
 * file never leaves the daemon half reconfigured (the log writer is
 * lib/daemon-log.c, shared with the collector). It also weighs the descriptor limit against the nodes: a
 * session holds a socket per node, and distributions start services with a
 * soft limit of 1024. Nothing here opens the journal, RRD or sockets. */
#include "poller.h"
#include "xn-error.h"
#include "xn-time.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

XnPollerSetup *
xn_poller_setup_load (const char *conf_path, GError **error)
{
	g_autoptr(XnPollerSetup) setup = g_new0 (XnPollerSetup, 1);
	g_autofree char *yang_dir = NULL;
	const GPtrArray *nodes;

	setup->conf_path = g_strdup (conf_path);
	setup->conf = xn_daemon_conf_load (conf_path, error);
	if (setup->conf == NULL)
		return NULL;
	/* rrdcached is told which files to update; without rrd-dir there are none */
	if (setup->conf->rrdcached != NULL && setup->conf->rrd_dir == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG, "%s: [poller] rrdcached: needs rrd-dir, the "
			     "directory of the RRD files as rrdcached sees it", conf_path);
		return NULL;
	}
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
	setup->nodes = g_ptr_array_new ();
	setup->by_name = g_hash_table_new (g_str_hash, g_str_equal);
	nodes = xn_inventory_get_nodes (xn_config_get_inventory (setup->config));
	for (guint i = 0; i < nodes->len; i++) {
		const XnNode *node = g_ptr_array_index (nodes, i);

		if (g_strcmp0 (node->poller_group, setup->conf->poller_group) != 0)
			continue;
		if (node->snmp == NULL) {
			setup->without_snmp++;
			continue;
		}
		g_ptr_array_add (setup->nodes, (gpointer) node);
		g_hash_table_insert (setup->by_name, node->name, (gpointer) node);
	}
	return g_steal_pointer (&setup);
}

void
xn_poller_setup_free (XnPollerSetup *setup)
{
	if (setup == NULL)
		return;
	g_clear_pointer (&setup->by_name, g_hash_table_unref);
	g_clear_pointer (&setup->nodes, g_ptr_array_unref);
	g_clear_pointer (&setup->config, xn_config_free);
	g_clear_pointer (&setup->conf, xn_daemon_conf_free);
	g_clear_pointer (&setup->tz, g_time_zone_unref);
	g_free (setup->conf_path);
	g_free (setup);
}

char *
xn_poller_setup_summary (const XnPollerSetup *setup)
{
	guint n = setup->nodes->len;
	GString *out = g_string_new (NULL);

	g_string_append_printf (out, "%u node%s in group %s", n, n == 1 ? "" : "s", setup->conf->poller_group);
	if (setup->without_snmp > 0)
		g_string_append_printf (out, " (and %u without an SNMP endpoint, not polled)", setup->without_snmp);
	return g_string_free (out, FALSE);
}

guint
xn_poller_setup_fds_needed (const XnPollerSetup *setup)
{
	return setup->nodes->len + XN_POLLER_FD_MARGIN;
}

static char *
limit_string (rlim_t value)
{
	return value == RLIM_INFINITY ? g_strdup ("unlimited") : g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) value);
}

/* The soft limit up to the hard one; NULL when they were equal. */
static char *
raise_soft_limit (struct rlimit *lim)
{
	struct rlimit up = { lim->rlim_max, lim->rlim_max };
	g_autofree char *soft = limit_string (lim->rlim_cur);
	g_autofree char *hard = limit_string (lim->rlim_max);

	if (lim->rlim_cur == lim->rlim_max)
		return NULL;
	if (setrlimit (RLIMIT_NOFILE, &up) != 0)
		return g_strdup_printf ("file descriptors: the soft limit %s cannot be raised to the hard limit %s: %s",
					soft, hard, g_strerror (errno));
	lim->rlim_cur = lim->rlim_max;
	return g_strdup_printf ("file descriptors: soft limit raised from %s to the hard limit %s", soft, hard);
}

char *
xn_poller_setup_check_fds (const XnPollerSetup *setup, gboolean raise, char **note)
{
	guint needed = xn_poller_setup_fds_needed (setup);
	g_autofree char *raised = NULL;
	g_autofree char *soft = NULL;
	g_autofree char *hard = NULL;
	g_autofree char *limit = NULL;
	struct rlimit lim;
	rlim_t usable;

	if (note != NULL)
		*note = NULL;
	if (getrlimit (RLIMIT_NOFILE, &lim) != 0)
		return g_strdup_printf ("file descriptors: cannot read the limit: %s", g_strerror (errno));
	if (raise)
		raised = raise_soft_limit (&lim);
	if (note != NULL)
		*note = g_steal_pointer (&raised);
	usable = raise ? lim.rlim_cur : lim.rlim_max;
	if (usable == RLIM_INFINITY || usable >= needed)
		return NULL;
	soft = limit_string (lim.rlim_cur);
	hard = limit_string (lim.rlim_max);
	if (!raise)
		limit = g_strdup_printf ("the hard limit here is %s", hard);
	else if (lim.rlim_cur != lim.rlim_max)
		limit = g_strdup_printf ("the limit is %s (hard limit %s)", soft, hard);
	else
		limit = g_strdup_printf ("the limit is %s", soft);
	return g_strdup_printf ("file descriptors: %u node%s need %u (a socket each, and %u for the journal, RRD "
				"and logs) but %s: polls of the nodes past it fail; raise the hard limit "
				"(LimitNOFILE= of the service, ulimit -Hn) to at least %u",
				setup->nodes->len, setup->nodes->len == 1 ? "" : "s", needed, XN_POLLER_FD_MARGIN,
				limit, needed);
}

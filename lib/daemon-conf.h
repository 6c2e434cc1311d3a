/* daemon-conf.h — extranoc.conf, the daemons' own settings.
 *
 * The inventory, policy and secrets are YANG data (config.h); this file says
 * where they are and how the daemons run: the journal's location, the RRD
 * directory or rrdcached, the poller's group, window and failure handling.
 * It is a GKeyFile (INI) because operators edit it by hand and it holds no
 * structure that YANG would add to. Parsed and fully validated before use;
 * `-n` prints it normalised with every default. See extranoc.conf(5). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	/* [extranoc] */
	char   **config_files;          /* inventory, policy, secrets; NULL-terminated, absolute */
	char    *yang_dir;              /* NULL: xn_config_default_yang_dir() */
	char    *journal;               /* journal location (a path = SQLite) */
	char    *log_level;             /* "error", "warning", "info", "debug" */

	/* [poller] */
	char    *poller_group;          /* which nodes this poller polls */
	char    *rrd_dir;               /* NULL: no RRD storage */
	char    *rrdcached;             /* NULL: write RRD files directly */
	guint    window;                /* SNMP requests in flight at once */
	guint    unreachable_after;     /* consecutive failed polls before node.unreachable */
	guint    failing_repoll;        /* seconds between polls of a failing node */
	guint    jitter_percent;        /* polls spread over this share of the interval */
} XnDaemonConf;

/* Reads and validates `path`; relative paths inside are resolved against the
 * file's directory. Every problem is reported as PATH:LINE: [group] key: … */
XnDaemonConf *xn_daemon_conf_load (const char *path, GError **error);
XnDaemonConf *xn_daemon_conf_load_data (const char *data, const char *path, GError **error);
void          xn_daemon_conf_free (XnDaemonConf *conf);

/* The configuration with every default, as a valid extranoc.conf. */
char         *xn_daemon_conf_print (const XnDaemonConf *conf);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnDaemonConf, xn_daemon_conf_free)

G_END_DECLS

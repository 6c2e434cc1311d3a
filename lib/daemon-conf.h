/* daemon-conf.h — extranoc.conf, the daemons' own settings.
 *
 * The inventory, policy and secrets are YANG data (config.h); this file says
 * where they are and how the daemons run: the journal's location, the RRD
 * directory or rrdcached, the poller's group, window and failure handling,
 * the collector's trap address, receive buffer, storm thresholds and the
 * SNMP checks of link traps.
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

	/* [collector] */
	char    *listen;                /* trap address, normalised: "udp:0.0.0.0:162", "udp6:[::1]:162" */
	guint    rcvbuf;                /* SO_RCVBUF asked for the trap socket, bytes; 0: the system's */
	guint    storm_rate;            /* traps/s from one source, sustained over storm_window_s: a storm */
	guint    storm_window_s;
	guint    storm_summary_s;       /* a storm's counts are summarised this often */
	char    *mibs_dir;              /* NULL: $EXTRANOC_MIBS_DIR, else the installed share/extranoc/mibs */
	guint    verify_delay_s;        /* a link trap is checked by SNMP GET this long after it */
	guint    verify_interval_s;     /* and again this often while the interface is down */
	guint    verify_give_up_s;      /* for at most this long after the trap */
	guint    verify_window;         /* checks in flight at once; 0: link traps are not checked */

	/* [collector]: delivery of the outbox to the carriers (collector/dispatch.c) */
	char    *smtp_relay;            /* "smtp://HOST[:PORT]" or "smtps://..."; NULL: carriers' own smtp-server only */
	char    *smtp_from;             /* envelope sender and From: address; NULL: none (SMTP carriers need one) */
	char    *smtp_starttls;         /* "try" (when the server offers it) or "required" */
	char    *ca_file;               /* CA certificates for TLS (SMTP, webhooks); NULL: the system's */
	guint    send_timeout_s;        /* one delivery attempt lasts at most this long */
	guint    retry_first_s;         /* the wait after a first failed attempt, doubled after each */
	guint    retry_max_s;           /* ... up to this */
	guint    outbox_horizon_s;      /* events older than this when derived are suppressed, not sent */
} XnDaemonConf;

/* Reads and validates `path`; relative paths inside are resolved against the
 * file's directory. Every problem is reported as PATH:LINE: [group] key: … */
XnDaemonConf *xn_daemon_conf_load (const char *path, GError **error);
XnDaemonConf *xn_daemon_conf_load_data (const char *data, const char *path, GError **error);
void          xn_daemon_conf_free (XnDaemonConf *conf);

/* The configuration with every default, as a valid extranoc.conf. */
char         *xn_daemon_conf_print (const XnDaemonConf *conf);

/* A UDP listening address as [collector] listen takes it: "udp:PORT",
 * "udp:IPV4:PORT", "udp6:PORT", "udp6:[IPV6]:PORT", or the same without the
 * "udp:"/"udp6:" prefix ("162", "127.0.0.1:162", "[::1]:162"). Addresses are
 * literal: nothing is looked up. Returns the normalised form
 * ("udp:0.0.0.0:162", "udp6:[::1]:162"), or NULL with the reason in *why. */
char         *xn_daemon_conf_normalise_listen (const char *text, char **why);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnDaemonConf, xn_daemon_conf_free)

G_END_DECLS

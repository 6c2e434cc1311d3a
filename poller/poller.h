/* poller.h — the extranoc-poller daemon: one context that polls the nodes of
 * its poller group over SNMP, turns the samples into facts in the journal
 * and rates in RRD files, and swaps in a new configuration on reload.
 *
 * XnPollerSetup is a configuration loaded and checked in full (extranoc.conf
 * and the inventory, policy and secrets it names) before anything uses it:
 * what `extranoc-poller -n` checks and what a reload swaps in whole, or not
 * at all. XnPoller owns the SNMP engine, the counters, the state changes,
 * the scheduler, the journal and the RRD writer, all on one GMainContext;
 * only its event-loop edge reads the clock. See extranoc-poller(8). */
#pragma once

#include <glib.h>

#include "config.h"
#include "daemon-conf.h"
#include "daemon-log.h"

G_BEGIN_DECLS

/* How long a stop waits for the polls in flight before it drops them. */
#define XN_POLLER_STOP_WAIT_S   10
/* Facts kept in memory while the journal refuses them; past this the
 * oldest are dropped (and that is logged). */
#define XN_POLLER_PENDING_MAX   100000
/* Descriptors needed beyond one UDP socket per node's SNMP session: the
 * standard streams, the journal (database, WAL, shared memory), the epoll
 * set, GLib's wakeups, RRD files or the rrdcached connection and Net-SNMP's
 * own, with room to spare. */
#define XN_POLLER_FD_MARGIN     64

typedef struct {
	char          *conf_path;
	XnDaemonConf  *conf;
	XnConfig      *config;
	GPtrArray     *nodes;          /* const XnNode* of the config: the group's nodes with SNMP */
	GHashTable    *by_name;        /* node name → const XnNode* of `nodes` */
	guint          without_snmp;   /* nodes of the group that have no SNMP endpoint */
	GTimeZone     *tz;             /* the policy's, for instants in log messages */
} XnPollerSetup;

/* Loads extranoc.conf at `conf_path` and the configuration it names; every
 * error names the file (and line) at fault. */
XnPollerSetup *xn_poller_setup_load (const char *conf_path, GError **error);
void           xn_poller_setup_free (XnPollerSetup *setup);
/* "9 nodes in group default" (and how many of the group lack SNMP). */
char          *xn_poller_setup_summary (const XnPollerSetup *setup);
/* One descriptor per node plus XN_POLLER_FD_MARGIN. */
guint          xn_poller_setup_fds_needed (const XnPollerSetup *setup);
/* The descriptor limit (RLIMIT_NOFILE) against what `setup` needs. With
 * `raise` (a start, a reload) the soft limit is first raised to the hard
 * one, and *note (when given) says so, or why it could not be; the need is
 * then compared with the soft limit, and without `raise` (-n) with the hard
 * limit, which is what a start would get. Returns NULL when the limit
 * covers the need, else the shortfall naming the numbers. */
char          *xn_poller_setup_check_fds (const XnPollerSetup *setup, gboolean raise, char **note);

typedef struct _XnPoller XnPoller;

typedef void (*XnPollerStopped) (gpointer user_data);

/* Takes `setup`; opens the journal (created if missing) and the RRD target.
 * Nothing is polled before xn_poller_start(). */
XnPoller *xn_poller_new (XnPollerSetup *setup, XnDaemonLog *log, GError **error);
void      xn_poller_free (XnPoller *poller);
/* Schedules every node and logs the start. */
void      xn_poller_start (XnPoller *poller);
/* Loads the configuration anew from the same extranoc.conf and swaps it in;
 * on any error nothing changes and the poller keeps the one it has. What
 * the poller knows of nodes it keeps (state said, failures, counters,
 * sessions, schedule) is kept: nothing is re-asserted. */
gboolean  xn_poller_reload (XnPoller *poller, GError **error);
/* Starts no more polls, waits up to `wait_s` for those in flight, flushes
 * RRD and closes the journal, then calls `stopped` from the main loop. A
 * second call stops at once. */
void      xn_poller_stop (XnPoller *poller, guint wait_s, XnPollerStopped stopped, gpointer user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnPollerSetup, xn_poller_setup_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnPoller, xn_poller_free)

G_END_DECLS

/* collector.h — the extranoc-collector daemon: one context that receives
 * traps and informs, turns them into facts (with storm protection) in the
 * journal, and swaps in a new configuration on reload.
 *
 * XnCollectorSetup is a configuration loaded and checked in full
 * (extranoc.conf, the inventory, policy and secrets it names, and the
 * notification names of mibs/) before anything uses it: what
 * `extranoc-collector -n` checks and what a reload swaps in whole, or not
 * at all. XnCollector owns the trap listener, the storm state, the ifIndex
 * map, the journal and the queue of facts waiting for it, the derivation
 * of outages and carrier tickets from the journal (derive.h) with a timer
 * for the next ticket deadline, the dispatcher that delivers the tickets'
 * messages on a thread of its own (dispatch.h), and the SNMP checks of
 * link traps (link-verify-io.h), all on one GMainContext; only its
 * event-loop edges read the clock. See extranoc-collector(8). */
#pragma once

#include <glib.h>

#include "calendar.h"
#include "config.h"
#include "daemon-conf.h"
#include "daemon-log.h"
#include "mib-names.h"

G_BEGIN_DECLS

/* Datagrams read per turn of the main loop: enough to drain a burst
 * cheaply, few enough that signals and timers wait milliseconds at most. */
#define XN_COLLECTOR_READ_BATCH   256
/* At a stop, traps already in the socket's buffer are still taken for at
 * most this long before the socket closes. */
#define XN_COLLECTOR_DRAIN_MS     500

typedef struct {
	char         *conf_path;
	XnDaemonConf *conf;
	XnConfig     *config;
	GHashTable   *nodes_by_address;   /* management address → const XnNode* of the config */
	GHashTable   *usm_by_address;     /* management address → the node's SNMPv3 credential name */
	XnMibNames   *mibs;
	char         *mibs_dir;
	XnCalendar   *calendar;           /* the working-day calendar maintenance notices are judged on */
	char         *calendar_dir;
	GTimeZone    *tz;                 /* the policy's, for instants in log messages */
} XnCollectorSetup;

/* Loads extranoc.conf at `conf_path`, the configuration it names and the
 * notification names; every error names the file (and line) at fault. */
XnCollectorSetup *xn_collector_setup_load (const char *conf_path, GError **error);
void              xn_collector_setup_free (XnCollectorSetup *setup);
/* "listening on udp:0.0.0.0:162; 9 nodes known by address; …" */
char             *xn_collector_setup_summary (const XnCollectorSetup *setup);

typedef struct _XnCollector XnCollector;

typedef void (*XnCollectorStopped) (gpointer user_data);

/* Takes `setup`; opens the journal (created if missing) and its derived
 * outages (resumed from their stored position), and binds the trap address.
 * Nothing is read before xn_collector_start(). */
XnCollector *xn_collector_new (XnCollectorSetup *setup, XnDaemonLog *log, GError **error);
void         xn_collector_free (XnCollector *collector);
/* Starts reading traps and logs the start. */
void         xn_collector_start (XnCollector *collector);
/* Loads the configuration anew from the same extranoc.conf and swaps it in;
 * on any error nothing changes. The socket is kept when the address is
 * unchanged; storms in progress, the ifIndex map and the pending checks of
 * interfaces still link ends are kept. The
 * derivation carries on under an inventory of the same topology; under
 * another, it starts again from the journal's first fact. */
gboolean     xn_collector_reload (XnCollector *collector, GError **error);
/* Drops the link checks in flight, takes what is already in the socket's
 * buffer (XN_COLLECTOR_DRAIN_MS at most), closes it, closes the storms
 * with a final summary, writes every
 * pending fact (waiting a while for a busy journal), derives from the
 * facts not yet derived (for a while) and commits a last step, then calls
 * `stopped` from the main loop. */
void         xn_collector_stop (XnCollector *collector, XnCollectorStopped stopped, gpointer user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnCollectorSetup, xn_collector_setup_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnCollector, xn_collector_free)

G_END_DECLS

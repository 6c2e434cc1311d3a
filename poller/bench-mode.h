/* bench-mode.h — `extranoc-poller --bench`: full poll cycles over simulated
 * devices for bench/poll and bench/rrd, through the poller's own polling path.
 *
 * The contract (options, the RESULT line) is bench/README.md's "poller
 * hook". Devices are base+0 … base+N−1 on 127.0.0.0/8, SNMPv2c with one
 * community, in an inventory built in memory; no configuration file or
 * journal is read or written. With an RRD directory, every sample is also
 * written to RRD files the way the daemon writes them (doc/rrd.md),
 * directly or through rrdcached; bench/rrd drives that. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	guint       devices;
	const char *base;          /* dotted IPv4 address of device 0, in 127.0.0.0/8 */
	guint       port;
	const char *community;
	guint       cycles;
	guint       interfaces;    /* expected per device; 0: any number counts as answered */
	guint       window;        /* polls in flight at once */
	const char *rrd_dir;       /* NULL: no RRD files; else a directory without earlier bench files */
	const char *rrdcached;     /* NULL: librrd writes the files; else the daemon's address */
	guint       interval_s;    /* every node's poll interval, hence the RRD step (0: the inventory's default) */
	gboolean    pause;         /* after each cycle's RESULT line, wait for a line on stdin */
} XnBenchOptions;

/* Runs the cycles and prints one RESULT line per cycle on stdout; returns
 * the exit status (0, or 1 when the options or the engine are unusable;
 * 2 on a usage error). */
int xn_bench_run (const XnBenchOptions *options);

G_END_DECLS

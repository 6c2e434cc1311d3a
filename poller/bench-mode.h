/* bench-mode.h — `extranoc-poller --bench`: full poll cycles over simulated
 * devices for bench/poll, through the poller's own polling path.
 *
 * The contract (options, the RESULT line) is bench/README.md's "poller
 * hook". Devices are base+0 … base+N−1 on 127.0.0.0/8, SNMPv2c with one
 * community, in an inventory built in memory; no configuration file, journal
 * or RRD file is read or written. */
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
} XnBenchOptions;

/* Runs the cycles and prints one RESULT line per cycle on stdout; returns
 * the exit status (0, or 1 when the options or the engine are unusable;
 * 2 on a usage error). */
int xn_bench_run (const XnBenchOptions *options);

G_END_DECLS

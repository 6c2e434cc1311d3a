/* ifmap.h — which ifName an ifIndex stands for on each node, as the
 * poller last saw it.
 *
 * A linkDown or linkUp trap often names its interface by ifIndex alone
 * (RFC 2863 lists ifIndex, ifAdminStatus and ifOperStatus), while the
 * inventory and the poller's facts name interfaces by ifName. The poller's
 * interface facts (doc/facts-poller.md) carry both, so the collector learns
 * the pairing from them. Only the interfaces the poller reports on are
 * known, and those are exactly the link ends, which is what outages need.
 * Pure: GLib and XnFact only. */
#pragma once

#include <glib.h>

#include "fact.h"

G_BEGIN_DECLS

typedef struct _XnIfMap XnIfMap;

XnIfMap    *xn_if_map_new (void);
void        xn_if_map_free (XnIfMap *map);

/* Learns from an interface.up, interface.down or interface.admin-down fact
 * with attrs node, if_name and an integer if_index; any other fact is
 * ignored. Returns TRUE when the map changed. */
gboolean    xn_if_map_observe (XnIfMap *map, const XnFact *fact);
/* The pairing itself: the latest wins. An interface seen under a new
 * index loses its old one, and an index taken by another interface no
 * longer names the first. */
void        xn_if_map_set (XnIfMap *map, const char *node, gint64 if_index, const char *if_name);
/* The ifName, or NULL when the poller has not said. */
const char *xn_if_map_lookup (const XnIfMap *map, const char *node, gint64 if_index);
/* Interfaces known, over all nodes. */
guint       xn_if_map_size (const XnIfMap *map);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnIfMap, xn_if_map_free)

G_END_DECLS

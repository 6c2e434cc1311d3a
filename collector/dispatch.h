/* dispatch.h — the dispatcher: delivers the outbox's messages to the
 * carriers (storage/outbox.h) by SMTP, webhook or spool directory, on a
 * thread of its own with its own outbox connection.
 *
 * It sends the messages that are due, records every attempt, and retries a
 * failed one after 30 s, 60 s, … up to an hour ([collector] retry-first,
 * retry-max), forever; a carrier's messages leave in the order they were
 * derived. Each attempt resolves the carrier's channel from the inventory,
 * secrets and extranoc.conf current at that moment, so a reload that fixes
 * an address applies to the messages already waiting. A failing channel is
 * logged once when it starts failing and once when it works again, with
 * the number of messages queued behind it; single attempts only at debug
 * level. A stop interrupts the attempt in progress (it is recorded as not
 * delivered) and returns within about a second.
 *
 * The configuration is borrowed: the dispatcher reads it only under its
 * lock, copying what an attempt needs, so after xn_dispatch_set_config()
 * returns the caller may free the previous one. See doc/outbox.md. */
#pragma once

#include <glib.h>

#include "daemon-conf.h"
#include "inventory.h"
#include "secrets.h"

G_BEGIN_DECLS

typedef struct _XnDispatch XnDispatch;

/* Checks what delivery needs from the configuration, every problem at once
 * (XN_ERROR_CONFIG, one line each, naming the carrier): an SMTP carrier
 * needs a relay (its smtp-server or [collector] smtp-relay) and
 * [collector] smtp-from; a named credential must be in the secrets. */
gboolean    xn_dispatch_check_config (const XnInventory *inventory, const XnSecrets *secrets,
				      const XnDaemonConf *conf, GError **error);

/* Opens the outbox of the journal at `location` (creating its tables when
 * missing) and starts the dispatcher's thread, which sends what is due at
 * once. `secrets` may be NULL (no credentials). */
XnDispatch *xn_dispatch_new (const char *location, const XnInventory *inventory, const XnSecrets *secrets,
			     const XnDaemonConf *conf, GError **error);
/* New messages were inserted: look for due ones now. Cheap; any thread. */
void        xn_dispatch_kick (XnDispatch *dispatch);
/* Swaps the configuration the next attempts use (and the backoff settings);
 * when it returns the dispatcher holds no pointer into the previous one. */
void        xn_dispatch_set_config (XnDispatch *dispatch, const XnInventory *inventory,
				    const XnSecrets *secrets, const XnDaemonConf *conf);
/* Interrupts the attempt in progress (recorded as not delivered) and waits
 * for the thread to end. Idempotent. */
void        xn_dispatch_stop (XnDispatch *dispatch);
/* Stops it if needed, and frees it. */
void        xn_dispatch_free (XnDispatch *dispatch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnDispatch, xn_dispatch_free)

G_END_DECLS

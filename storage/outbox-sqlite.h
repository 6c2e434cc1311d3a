/* outbox-sqlite.h — the outbox as another SQLite adapter of storage/ sees
 * it: its tables' migrations, and an insert inside that adapter's own open
 * transaction. The derived store (derived-sqlite.c) brings the outbox's
 * tables forward when it opens and inserts each event's messages in its
 * step's transaction, so an event and its messages commit together or not
 * at all. Like sqlite-common.h, only storage/ *-sqlite.c files (and their
 * tests) include this. */
#pragma once

#include <sqlite3.h>

#include "outbox.h"

G_BEGIN_DECLS

/* Brings the outbox's tables to their last version (outbox_schema_version,
 * migrations of their own; each in its own transaction, so call it outside
 * one). Idempotent. */
gboolean xn_outbox_migrate (sqlite3 *db, GError **error);

/* Inserts `message` (xn_outbox_message_validate() first) inside the
 * transaction the caller has open on `db`; `now` is its created instant
 * and, unless `suppressed`, its first next_attempt. A message with the same
 * event ID and carrier already stored is left as it is and *inserted (may
 * be NULL) is FALSE. On error the caller rolls its transaction back. */
gboolean xn_outbox_insert_in (sqlite3 *db, const XnOutboxMessage *message, XnInstant now,
			      gboolean suppressed, gboolean *inserted, GError **error);

G_END_DECLS

/* v3-header.h — the engine ID and user name of an SNMPv3 message, read
 * from its first bytes.
 *
 * The trap listener needs them before Net-SNMP decodes the message, to
 * localize the user's keys to the sender's engine (trap-listener.h). Only
 * the header is read (RFC 3412 section 6: msgVersion, msgGlobalData,
 * msgSecurityParameters; RFC 3414 section 2.4: the USM parameters up to
 * msgUserName), so the message may be cut short after it, as a peek of a
 * datagram's first bytes is. Pure: no Net-SNMP, nothing allocated; every
 * length is checked against the bytes given. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
	const guint8 *engine_id;       /* msgAuthoritativeEngineID, inside the data given */
	gsize         engine_id_len;
	const guint8 *user;            /* msgUserName, not NUL-terminated */
	gsize         user_len;
} XnV3Header;

/* FALSE for anything that is not the start of a well-formed SNMPv3
 * message with USM parameters (an SNMPv1 or v2c message, garbage). */
gboolean xn_v3_header_read (const guint8 *data, gsize len, XnV3Header *out);

G_END_DECLS

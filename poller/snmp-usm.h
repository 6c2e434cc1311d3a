/* snmp-usm.h — SNMPv3 USM parameters in Net-SNMP's terms, for the two
 * Net-SNMP adapters (poller/snmp-session.c, the client side, and
 * collector/trap-listener.c, the receiving side): the protocol OIDs of a
 * credential and its passwords' Ku. Includes Net-SNMP's headers, so only
 * those adapters include this. */
#pragma once

#include <glib.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "secrets.h"

G_BEGIN_DECLS

oid      *xn_snmp_usm_auth_oid (XnUsmAuth auth, size_t *len);
/* AES-192 and AES-256 are the Blumenthal draft's key extension, as snmpd
 * and most agents implement them (not the Cisco variant). */
oid      *xn_snmp_usm_priv_oid (XnUsmPriv priv, size_t *len);
/* Ku from `password` with the hash of `auth` (RFC 3414 A.2: a megabyte
 * hashed, milliseconds per key, so callers keep the result). `ku` holds
 * *ku_len bytes on entry, the key's length on return. */
gboolean  xn_snmp_usm_ku (XnUsmAuth auth, const char *password, guchar *ku, size_t *ku_len);

G_END_DECLS

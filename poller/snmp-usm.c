/* snmp-usm.c — SNMPv3 USM protocol OIDs and key derivation, shared by the
 * poller's and the collector's Net-SNMP adapters (see snmp-usm.h). It keeps
 * no keys itself: caching them (per credential, per engine) is each
 * adapter's business. */
#include "snmp-usm.h"

#include <string.h>

oid *
xn_snmp_usm_auth_oid (XnUsmAuth auth, size_t *len)
{
	switch (auth) {
	case XN_USM_AUTH_NONE:   *len = G_N_ELEMENTS (usmNoAuthProtocol); return usmNoAuthProtocol;
	case XN_USM_AUTH_MD5:    *len = G_N_ELEMENTS (usmHMACMD5AuthProtocol); return usmHMACMD5AuthProtocol;
	case XN_USM_AUTH_SHA:    *len = G_N_ELEMENTS (usmHMACSHA1AuthProtocol); return usmHMACSHA1AuthProtocol;
	case XN_USM_AUTH_SHA224: *len = G_N_ELEMENTS (usmHMAC128SHA224AuthProtocol); return usmHMAC128SHA224AuthProtocol;
	case XN_USM_AUTH_SHA256: *len = G_N_ELEMENTS (usmHMAC192SHA256AuthProtocol); return usmHMAC192SHA256AuthProtocol;
	case XN_USM_AUTH_SHA384: *len = G_N_ELEMENTS (usmHMAC256SHA384AuthProtocol); return usmHMAC256SHA384AuthProtocol;
	case XN_USM_AUTH_SHA512: *len = G_N_ELEMENTS (usmHMAC384SHA512AuthProtocol); return usmHMAC384SHA512AuthProtocol;
	}
	*len = G_N_ELEMENTS (usmNoAuthProtocol);
	return usmNoAuthProtocol;
}

oid *
xn_snmp_usm_priv_oid (XnUsmPriv priv, size_t *len)
{
	switch (priv) {
	case XN_USM_PRIV_NONE:   *len = G_N_ELEMENTS (usmNoPrivProtocol); return usmNoPrivProtocol;
	case XN_USM_PRIV_DES:    *len = G_N_ELEMENTS (usmDESPrivProtocol); return usmDESPrivProtocol;
	case XN_USM_PRIV_AES:    *len = G_N_ELEMENTS (usmAESPrivProtocol); return usmAESPrivProtocol;
	case XN_USM_PRIV_AES192: *len = G_N_ELEMENTS (usmAES192PrivProtocol); return usmAES192PrivProtocol;
	case XN_USM_PRIV_AES256: *len = G_N_ELEMENTS (usmAES256PrivProtocol); return usmAES256PrivProtocol;
	}
	*len = G_N_ELEMENTS (usmNoPrivProtocol);
	return usmNoPrivProtocol;
}

gboolean
xn_snmp_usm_ku (XnUsmAuth auth, const char *password, guchar *ku, size_t *ku_len)
{
	size_t alen;
	oid *aproto = xn_snmp_usm_auth_oid (auth, &alen);

	return generate_Ku (aproto, alen, (const u_char *) password, strlen (password), ku, ku_len) ==
	       SNMPERR_SUCCESS;
}

/* trap-listener.c — the Net-SNMP adapter of the collector: the only file in
 * collector/ that includes its headers (see trap-listener.h for the
 * contract).
 *
 * The socket is a Net-SNMP server transport with a session of the
 * single-session API on it (snmp_sess_add), as snmptrapd sets one up, but
 * nothing here walks Net-SNMP's session list or waits: the owner's main
 * loop says when the socket is readable, and each datagram is first peeked
 * (recvfrom with MSG_PEEK, which also tells an empty socket from a full one
 * without blocking), then handed to snmp_sess_read2, whose callback turns
 * the PDU into an XnTrap. The peek gives the sender's address and, for
 * SNMPv3, the engine ID and user name (v3-header.c), so the user's keys can
 * be localized to that engine before the library looks for them. Net-SNMP reports what
 * it refuses only in its statistics (and for some USM failures with an
 * empty PDU in the callback), so the counters are compared before and after
 * each datagram to name the reason. Informs are answered by cloning the PDU
 * into a Response, as snmptrapd does. Net-SNMP's own log goes to GLib's
 * debug level. This file keeps no state outside the listener, except what
 * Net-SNMP itself keeps process-wide (its USM user list, its statistics,
 * its engine ID). */
#include "trap-listener.h"
#include "snmp-usm.h"
#include "v3-header.h"
#include "xn-error.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

G_STATIC_ASSERT (sizeof (oid) == sizeof (XnTrapArc));

/* Enough of a datagram for an SNMPv3 header up to the user name. */
#define PEEK_BYTES   512
#define MAX_ENGINE   32      /* RFC 3411 SnmpEngineID: 5 to 32 octets */
#define MAX_USER     32      /* RFC 3414 usmUserName: 1 to 32 octets */

/* The statistics a refusal shows up in, and what each means. */
static const struct {
	int           stat;
	XnTrapRefusal why;
	const char   *detail;
} refusal_stats[] = {
	{ STAT_USMSTATSUNKNOWNUSERNAMES,     XN_TRAP_REFUSED_USER,      "usmStatsUnknownUserNames: no such user in the secrets" },
	{ STAT_USMSTATSWRONGDIGESTS,         XN_TRAP_REFUSED_AUTH,      "usmStatsWrongDigests: another authentication password or protocol" },
	{ STAT_USMSTATSDECRYPTIONERRORS,     XN_TRAP_REFUSED_AUTH,      "usmStatsDecryptionErrors: another privacy password or protocol" },
	{ STAT_USMSTATSUNSUPPORTEDSECLEVELS, XN_TRAP_REFUSED_AUTH,      "usmStatsUnsupportedSecLevels: a security level the user does not have" },
	{ STAT_USMSTATSNOTINTIMEWINDOWS,     XN_TRAP_REFUSED_TIME,      "usmStatsNotInTimeWindows" },
	{ STAT_SNMPINASNPARSEERRS,           XN_TRAP_REFUSED_MALFORMED, "snmpInASNParseErrs: does not parse as SNMP" },
	{ STAT_SNMPINBADVERSIONS,            XN_TRAP_REFUSED_MALFORMED, "snmpInBadVersions: not SNMP version 1, 2c or 3" },
	{ STAT_SNMPUNKNOWNSECURITYMODELS,    XN_TRAP_REFUSED_MALFORMED, "snmpUnknownSecurityModels" },
	{ STAT_SNMPINVALIDMSGS,              XN_TRAP_REFUSED_MALFORMED, "snmpInvalidMsgs" },
	{ STAT_USMSTATSUNKNOWNENGINEIDS,     XN_TRAP_N_REFUSALS,        NULL },    /* engine ID discovery */
};

/* One SNMPv3 credential, copied from the secrets; Ku derived on first use. */
typedef struct {
	char      *name;
	char      *user;
	XnUsmAuth  auth;
	char      *auth_password;
	XnUsmPriv  priv;
	char      *priv_password;
	gboolean   derived;
	u_char     auth_ku[USM_AUTH_KU_LEN];
	size_t     auth_ku_len;
	u_char     priv_ku[USM_PRIV_KU_LEN];
	size_t     priv_ku_len;
} Credential;

/* A user of Net-SNMP's list that this listener localized. */
typedef struct {
	Credential *credential;              /* of `credentials` */
	u_char      engine[MAX_ENGINE];
	size_t      engine_len;
} Installed;

struct _XnTrapListener {
	XnTrapListenerFuncs  funcs;
	gpointer             user_data;
	char                *address;
	void                *sessp;
	int                  fd;
	netsnmp_large_fd_set fds;
	guint                rcvbuf;
	GArray              *varbinds;       /* XnTrapVarbind, reused */
	XnTrapListenerStats  stats;

	GHashTable          *communities;    /* community (owned, zeroed) → itself */
	GPtrArray           *credentials;    /* Credential, sorted by name */
	GHashTable          *usm_by_address; /* address → credential name */
	GHashTable          *installed;      /* "ENGINEHEX/user" → Installed */
	gboolean             full_said;

	/* the datagram being handled */
	guint8               peek[PEEK_BYTES];
	char                 source[INET6_ADDRSTRLEN];
	guint16              source_port;
	gboolean             outcome;        /* delivered or refused already */
};

/* ---- Net-SNMP set-up ---- */

static int
log_to_glib (int major, int minor, void *serverarg, void *clientarg)
{
	const struct snmp_log_message *m = serverarg;
	gsize len = m->msg != NULL ? strlen (m->msg) : 0;

	/* "Authentication failed for user" and the like: the listener says
	 * it once per sender, in its own words. */
	if (len > 0)
		g_debug ("net-snmp: %.*s", (int) (m->msg[len - 1] == '\n' ? len - 1 : len), m->msg);
	return 0;
}

static gpointer
init_netsnmp_once (gpointer data)
{
	snmp_register_callback (SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, log_to_glib, NULL);
	snmp_enable_calllog ();
	/* No snmp.conf, no persistent state: the credentials are extranoc's
	 * secrets, and the engine ID is new at each start (senders of informs
	 * discover it; see extranoc-collector(8)). */
	netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	init_snmp ("extranoc-collector");
	return NULL;
}

const char *
xn_trap_refusal_to_string (XnTrapRefusal why)
{
	switch (why) {
	case XN_TRAP_REFUSED_COMMUNITY:        return "wrong community";
	case XN_TRAP_REFUSED_USER:             return "unknown SNMPv3 user";
	case XN_TRAP_REFUSED_AUTH:             return "wrong SNMPv3 credentials";
	case XN_TRAP_REFUSED_TIME:             return "outside the SNMPv3 time window";
	case XN_TRAP_REFUSED_NOT_NOTIFICATION: return "not a notification";
	case XN_TRAP_REFUSED_MALFORMED:        return "malformed";
	}
	return "refused";
}

static void refuse (XnTrapListener *l, XnTrapRefusal why, const char *detail);
static int on_pdu (int op, netsnmp_session *sp, int reqid, netsnmp_pdu *pdu, void *magic);

static void
credential_free (gpointer data)
{
	Credential *c = data;

	g_free (c->name);
	g_free (c->user);
	if (c->auth_password != NULL)
		explicit_bzero (c->auth_password, strlen (c->auth_password));
	if (c->priv_password != NULL)
		explicit_bzero (c->priv_password, strlen (c->priv_password));
	g_free (c->auth_password);
	g_free (c->priv_password);
	explicit_bzero (c, sizeof *c);
	g_free (c);
}

static void
secret_free (gpointer data)
{
	explicit_bzero (data, strlen (data));
	g_free (data);
}

XnTrapListener *
xn_trap_listener_new (const char *listen, guint rcvbuf, const XnTrapListenerFuncs *funcs, gpointer user_data,
		      GError **error)
{
	static GOnce once = G_ONCE_INIT;
	g_autoptr(XnTrapListener) l = g_new0 (XnTrapListener, 1);
	netsnmp_transport *transport;
	netsnmp_session s;
	int err;

	g_once (&once, init_netsnmp_once, NULL);
	l->funcs = *funcs;
	l->user_data = user_data;
	l->address = g_strdup (listen);
	l->fd = -1;
	l->varbinds = g_array_sized_new (FALSE, FALSE, sizeof (XnTrapVarbind), 16);
	l->communities = g_hash_table_new_full (g_str_hash, g_str_equal, secret_free, NULL);
	l->credentials = g_ptr_array_new_with_free_func (credential_free);
	l->usm_by_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	l->installed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
	netsnmp_large_fd_set_init (&l->fds, FD_SETSIZE);

	errno = 0;
	transport = netsnmp_transport_open_server ("snmptrap", listen);
	err = errno;
	if (transport == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "cannot listen on %s: %s", listen,
			     err != 0 ? g_strerror (err) : "the address was refused");
		return NULL;
	}
	snmp_sess_init (&s);
	s.peername = SNMP_DEFAULT_PEERNAME;
	s.version = SNMP_DEFAULT_VERSION;
	s.community_len = SNMP_DEFAULT_COMMUNITY_LEN;
	s.retries = SNMP_DEFAULT_RETRIES;
	s.timeout = SNMP_DEFAULT_TIMEOUT;
	s.callback = on_pdu;
	s.callback_magic = l;
	/* authoritative for informs, not for traps: USM decides per message */
	s.isAuthoritative = SNMP_SESS_UNKNOWNAUTH;
	l->fd = transport->sock;
	l->sessp = snmp_sess_add (&s, transport, NULL, NULL);
	if (l->sessp == NULL) {
		l->fd = -1;
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "cannot listen on %s: %s", listen,
			     snmp_api_errstring (s.s_snmp_errno));
		return NULL;
	}
	/* The peek tells an empty socket apart, but a read that was promised
	 * data must never block the loop whatever happens in between. */
	fcntl (l->fd, F_SETFL, fcntl (l->fd, F_GETFL) | O_NONBLOCK);
	fcntl (l->fd, F_SETFD, fcntl (l->fd, F_GETFD) | FD_CLOEXEC);
	if (l->fd >= (int) l->fds.lfs_setsize)
		netsnmp_large_fd_set_resize (&l->fds, l->fd + 1);
	xn_trap_listener_set_rcvbuf (l, rcvbuf);
	return g_steal_pointer (&l);
}

/* Removes the users this listener put into Net-SNMP's process-wide list. */
static void
forget_users (XnTrapListener *l)
{
	GHashTableIter iter;
	gpointer value;

	g_hash_table_iter_init (&iter, l->installed);
	while (g_hash_table_iter_next (&iter, NULL, &value)) {
		Installed *i = value;
		struct usmUser *user = usm_get_user (i->engine, i->engine_len, i->credential->user);

		if (user != NULL) {
			usm_remove_user (user);
			usm_free_user (user);
		}
	}
	g_hash_table_remove_all (l->installed);
	l->full_said = FALSE;
}

void
xn_trap_listener_free (XnTrapListener *l)
{
	if (l == NULL)
		return;
	if (l->sessp != NULL)
		snmp_sess_close (l->sessp);
	forget_users (l);
	g_hash_table_unref (l->installed);
	g_hash_table_unref (l->usm_by_address);
	g_ptr_array_unref (l->credentials);
	g_hash_table_unref (l->communities);
	g_array_unref (l->varbinds);
	netsnmp_large_fd_set_cleanup (&l->fds);
	g_free (l->address);
	g_free (l);
}

int
xn_trap_listener_fd (const XnTrapListener *l)
{
	return l->fd;
}

const char *
xn_trap_listener_address (const XnTrapListener *l)
{
	return l->address;
}

guint
xn_trap_listener_set_rcvbuf (XnTrapListener *l, guint bytes)
{
	int want = (int) MIN (bytes, (guint) G_MAXINT / 2), got = 0;
	socklen_t len = sizeof got;

	/* SO_RCVBUFFORCE passes net.core.rmem_max when the process may
	 * (CAP_NET_ADMIN); otherwise the kernel caps SO_RCVBUF at it. */
	if (want > 0 && setsockopt (l->fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof want) != 0)
		setsockopt (l->fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof want);
	if (getsockopt (l->fd, SOL_SOCKET, SO_RCVBUF, &got, &len) == 0 && got > 0)
		l->rcvbuf = (guint) got;
	return l->rcvbuf;
}

guint
xn_trap_listener_rcvbuf (const XnTrapListener *l)
{
	return l->rcvbuf;
}

const XnTrapListenerStats *
xn_trap_listener_stats (const XnTrapListener *l)
{
	return &l->stats;
}

static char *
hex_of (const u_char *bytes, gsize len)
{
	GString *out = g_string_sized_new (2 * len);

	for (gsize i = 0; i < len; i++)
		g_string_append_printf (out, "%02x", bytes[i]);
	return g_string_free (out, FALSE);
}

char *
xn_trap_listener_engine_id (const XnTrapListener *l)
{
	u_char engine[MAX_ENGINE];
	size_t n = snmpv3_get_engineID (engine, sizeof engine);

	return hex_of (engine, n);
}

/* ---- credentials ---- */

static gint
compare_credentials (gconstpointer a, gconstpointer b)
{
	return strcmp ((*(Credential *const *) a)->name, (*(Credential *const *) b)->name);
}

void
xn_trap_listener_set_secrets (XnTrapListener *l, const XnSecrets *secrets, GHashTable *usm_by_address)
{
	g_auto(GStrv) communities = secrets != NULL ? xn_secrets_list (secrets, XN_SECRET_SNMP_COMMUNITY) : NULL;
	g_auto(GStrv) users = secrets != NULL ? xn_secrets_list (secrets, XN_SECRET_SNMP_USM) : NULL;
	GHashTableIter iter;
	gpointer key, value;

	forget_users (l);
	g_hash_table_remove_all (l->communities);
	g_ptr_array_set_size (l->credentials, 0);
	g_hash_table_remove_all (l->usm_by_address);
	for (guint i = 0; communities != NULL && communities[i] != NULL; i++) {
		char *community = g_strdup (xn_secrets_community (secrets, communities[i]));

		g_hash_table_replace (l->communities, community, community);
	}
	for (guint i = 0; users != NULL && users[i] != NULL; i++) {
		const XnSnmpUsm *usm = xn_secrets_usm (secrets, users[i]);
		Credential *c = g_new0 (Credential, 1);

		c->name = g_strdup (users[i]);
		c->user = g_strdup (usm->user);
		c->auth = usm->auth_protocol;
		c->auth_password = g_strdup (usm->auth_password);
		c->priv = usm->priv_protocol;
		c->priv_password = g_strdup (usm->priv_password);
		g_ptr_array_add (l->credentials, c);
	}
	g_ptr_array_sort (l->credentials, compare_credentials);
	if (usm_by_address != NULL) {
		g_hash_table_iter_init (&iter, usm_by_address);
		while (g_hash_table_iter_next (&iter, &key, &value))
			g_hash_table_insert (l->usm_by_address, g_strdup (key), g_strdup (value));
	}
}

guint
xn_trap_listener_n_communities (const XnTrapListener *l)
{
	return g_hash_table_size (l->communities);
}

guint
xn_trap_listener_n_users (const XnTrapListener *l)
{
	return l->credentials->len;
}

/* AES-192/256 as snmpd implements them (the Blumenthal key extension). */
/* Ku from the passwords, once per credential: RFC 3414 A.2 hashes a
 * megabyte, too much for every new engine. */
static gboolean
derive (Credential *c)
{
	if (c->derived)
		return TRUE;
	c->auth_ku_len = sizeof c->auth_ku;
	c->priv_ku_len = sizeof c->priv_ku;
	if ((c->auth != XN_USM_AUTH_NONE && !xn_snmp_usm_ku (c->auth, c->auth_password, c->auth_ku, &c->auth_ku_len)) ||
	    (c->priv != XN_USM_PRIV_NONE && !xn_snmp_usm_ku (c->auth, c->priv_password, c->priv_ku, &c->priv_ku_len))) {
		g_debug ("SNMPv3 credential '%s': cannot derive its keys", c->name);
		return FALSE;
	}
	c->derived = TRUE;
	return TRUE;
}

/* The credential for `user` from `source`: the one of the node at that
 * address when its user name matches, else the first of that user name. */
static Credential *
choose_credential (XnTrapListener *l, const char *user)
{
	const char *preferred = g_hash_table_lookup (l->usm_by_address, l->source);
	Credential *first = NULL;

	for (guint i = 0; i < l->credentials->len; i++) {
		Credential *c = g_ptr_array_index (l->credentials, i);

		if (strcmp (c->user, user) != 0)
			continue;
		if (g_strcmp0 (c->name, preferred) == 0)
			return c;
		if (first == NULL)
			first = c;
	}
	return first;
}

/* Net-SNMP localizes the session's Ku to its engine ID (and extends AES
 * keys) in usm_create_user_from_session(), which leaves an existing entry
 * alone: the old one goes first. */
static gboolean
localize (Credential *c, const u_char *engine, size_t engine_len)
{
	netsnmp_session s;
	struct usmUser *old = usm_get_user ((u_char *) engine, engine_len, c->user);
	size_t len;
	int result;

	if (old != NULL) {
		usm_remove_user (old);
		usm_free_user (old);
	}
	snmp_sess_init (&s);
	s.version = SNMP_VERSION_3;
	s.securityModel = SNMP_SEC_MODEL_USM;
	s.securityName = c->user;
	s.securityNameLen = strlen (c->user);
	s.securityEngineID = (u_char *) engine;
	s.securityEngineIDLen = engine_len;
	s.securityLevel = c->auth == XN_USM_AUTH_NONE ? SNMP_SEC_LEVEL_NOAUTH :
			  c->priv == XN_USM_PRIV_NONE ? SNMP_SEC_LEVEL_AUTHNOPRIV : SNMP_SEC_LEVEL_AUTHPRIV;
	s.securityAuthProto = xn_snmp_usm_auth_oid (c->auth, &len);
	s.securityAuthProtoLen = len;
	s.securityPrivProto = xn_snmp_usm_priv_oid (c->priv, &len);
	s.securityPrivProtoLen = len;
	memcpy (s.securityAuthKey, c->auth_ku, c->auth_ku_len);
	s.securityAuthKeyLen = c->auth == XN_USM_AUTH_NONE ? 0 : c->auth_ku_len;
	memcpy (s.securityPrivKey, c->priv_ku, c->priv_ku_len);
	s.securityPrivKeyLen = c->priv == XN_USM_PRIV_NONE ? 0 : c->priv_ku_len;
	result = usm_create_user_from_session (&s);
	explicit_bzero (s.securityAuthKey, sizeof s.securityAuthKey);
	explicit_bzero (s.securityPrivKey, sizeof s.securityPrivKey);
	return result == SNMPERR_SUCCESS;
}

static void
ensure_user (XnTrapListener *l, const u_char *engine, gsize engine_len, const char *user)
{
	Credential *c = choose_credential (l, user);
	g_autofree char *hex = NULL;
	g_autofree char *key = NULL;
	Installed *installed;

	if (c == NULL)
		return;          /* Net-SNMP refuses it: an unknown user */
	hex = hex_of (engine, engine_len);
	key = g_strconcat (hex, "/", user, NULL);
	installed = g_hash_table_lookup (l->installed, key);
	if (installed != NULL && installed->credential == c)
		return;
	if (installed == NULL && g_hash_table_size (l->installed) >= XN_TRAP_MAX_ENGINES) {
		if (!l->full_said)
			g_warning ("SNMPv3: keys are localized for %u engines already: traps from engines not seen "
				   "before are refused as unknown users until a reload (first: engine %s, user '%s', from %s)",
				   XN_TRAP_MAX_ENGINES, hex, user, l->source);
		l->full_said = TRUE;
		return;
	}
	if (!derive (c) || !localize (c, engine, engine_len))
		return;
	installed = g_new0 (Installed, 1);
	installed->credential = c;
	memcpy (installed->engine, engine, engine_len);
	installed->engine_len = engine_len;
	g_hash_table_replace (l->installed, g_steal_pointer (&key), installed);
}

/* Before Net-SNMP reads the message: the keys it will look for. */
static void
prepare_v3 (XnTrapListener *l, gsize peeked)
{
	XnV3Header header;
	char name[MAX_USER + 1];

	if (!xn_v3_header_read (l->peek, peeked, &header))
		return;
	/* an empty engine ID or user is a discovery request: nothing to localize */
	if (header.engine_id_len == 0 || header.engine_id_len > MAX_ENGINE || header.user_len == 0 ||
	    header.user_len > MAX_USER || memchr (header.user, '\0', header.user_len) != NULL)
		return;
	memcpy (name, header.user, header.user_len);
	name[header.user_len] = '\0';
	ensure_user (l, header.engine_id, header.engine_id_len, name);
}

/* ---- a PDU ---- */

static void
refuse (XnTrapListener *l, XnTrapRefusal why, const char *detail)
{
	l->outcome = TRUE;
	l->stats.refused[why]++;
	l->funcs.refused (why, l->source, detail, l->user_data);
}

static gboolean
community_accepted (XnTrapListener *l, const netsnmp_pdu *pdu)
{
	g_autofree char *community = NULL;

	if (pdu->community == NULL || memchr (pdu->community, '\0', pdu->community_len) != NULL)
		return FALSE;
	community = g_strndup ((const char *) pdu->community, pdu->community_len);
	return g_hash_table_contains (l->communities, community);
}

static void
fill_varbind (XnTrapVarbind *out, const netsnmp_variable_list *v)
{
	*out = (XnTrapVarbind) { .name = { (const XnTrapArc *) v->name, (guint) v->name_length }, .type = v->type };
	switch (v->type) {
	case ASN_INTEGER:
		out->integer = *v->val.integer;
		break;
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
		out->unsigned64 = (guint32) *v->val.integer;
		break;
	case ASN_COUNTER64:
		out->unsigned64 = ((guint64) v->val.counter64->high << 32) | (guint32) v->val.counter64->low;
		break;
	case ASN_OCTET_STR:
	case ASN_IPADDRESS:
	case ASN_OPAQUE:
		out->octets = v->val.string;
		out->octets_len = v->val_len;
		break;
	case ASN_OBJECT_ID:
		out->objid = (XnTrapOid) { (const XnTrapArc *) v->val.objid, (guint) (v->val_len / sizeof (oid)) };
		break;
	default:
		break;
	}
}

static const oid snmp_trap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
static const oid sys_uptime[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };
static const oid generic_traps[] = { 1, 3, 6, 1, 6, 3, 1, 1, 5 };

/* RFC 3584 section 3.1: generic-trap 0-5 is snmpTraps.(generic + 1); an
 * enterprise-specific trap is enterprise.0.specific. */
static guint
v1_trap_oid (const netsnmp_pdu *pdu, XnTrapArc *buf, guint size)
{
	if (pdu->trap_type >= 0 && pdu->trap_type <= 5) {
		memcpy (buf, generic_traps, sizeof generic_traps);
		buf[G_N_ELEMENTS (generic_traps)] = (XnTrapArc) pdu->trap_type + 1;
		return G_N_ELEMENTS (generic_traps) + 1;
	}
	if (pdu->trap_type != SNMP_TRAP_ENTERPRISESPECIFIC || pdu->enterprise == NULL ||
	    pdu->enterprise_length + 2 > size || pdu->specific_type < 0)
		return 0;
	memcpy (buf, pdu->enterprise, pdu->enterprise_length * sizeof (oid));
	buf[pdu->enterprise_length] = 0;
	buf[pdu->enterprise_length + 1] = (XnTrapArc) pdu->specific_type;
	return (guint) pdu->enterprise_length + 2;
}

static void
deliver (XnTrapListener *l, const netsnmp_pdu *pdu)
{
	XnTrapArc v1_oid[MAX_OID_LEN + 2];
	char agent[INET_ADDRSTRLEN];
	XnTrap trap = {
		.version = pdu->version == SNMP_VERSION_1 ? XN_TRAP_V1 :
			   pdu->version == SNMP_VERSION_3 ? XN_TRAP_V3 : XN_TRAP_V2C,
		.inform = pdu->command == SNMP_MSG_INFORM,
		.source_address = l->source,
		.source_port = l->source_port,
		.user = pdu->version == SNMP_VERSION_3 ? pdu->securityName : NULL,
	};
	guint n = 0;

	for (const netsnmp_variable_list *v = pdu->variables; v != NULL; v = v->next_variable)
		n++;
	g_array_set_size (l->varbinds, n);
	n = 0;
	for (const netsnmp_variable_list *v = pdu->variables; v != NULL; v = v->next_variable) {
		XnTrapVarbind *out = &g_array_index (l->varbinds, XnTrapVarbind, n++);

		fill_varbind (out, v);
		if (snmp_oid_compare (v->name, v->name_length, snmp_trap_oid, G_N_ELEMENTS (snmp_trap_oid)) == 0 &&
		    v->type == ASN_OBJECT_ID && trap.trap_oid.len == 0)
			trap.trap_oid = out->objid;
		else if (snmp_oid_compare (v->name, v->name_length, sys_uptime, G_N_ELEMENTS (sys_uptime)) == 0 &&
			 v->type == ASN_TIMETICKS && !trap.has_uptime) {
			trap.has_uptime = TRUE;
			trap.uptime = (guint32) out->unsigned64;
		}
	}
	if (pdu->command == SNMP_MSG_TRAP) {
		trap.trap_oid = (XnTrapOid) { v1_oid, v1_trap_oid (pdu, v1_oid, G_N_ELEMENTS (v1_oid)) };
		trap.has_uptime = TRUE;
		trap.uptime = (guint32) pdu->time;
		if (pdu->agent_addr[0] | pdu->agent_addr[1] | pdu->agent_addr[2] | pdu->agent_addr[3]) {
			inet_ntop (AF_INET, pdu->agent_addr, agent, sizeof agent);
			trap.agent_address = agent;
		}
	}
	trap.varbinds = (const XnTrapVarbind *) l->varbinds->data;
	trap.n_varbinds = l->varbinds->len;
	l->outcome = TRUE;
	l->stats.delivered++;
	l->funcs.trap (&trap, l->user_data);
}

static void
answer (XnTrapListener *l, netsnmp_pdu *pdu)
{
	netsnmp_pdu *reply = snmp_clone_pdu (pdu);

	if (reply == NULL)
		return;
	reply->command = SNMP_MSG_RESPONSE;
	reply->errstat = 0;
	reply->errindex = 0;
	if (snmp_sess_send (l->sessp, reply) == 0) {
		g_debug ("cannot answer the inform from %s: %s", l->source,
			 snmp_api_errstring (snmp_sess_session (l->sessp)->s_snmp_errno));
		snmp_free_pdu (reply);
		return;
	}
	l->stats.informs_answered++;
}

static int
on_pdu (int op, netsnmp_session *sp, int reqid, netsnmp_pdu *pdu, void *magic)
{
	XnTrapListener *l = magic;
	g_autofree char *detail = NULL;

	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || pdu == NULL)
		return 1;
	switch (pdu->command) {
	case SNMP_MSG_TRAP:
	case SNMP_MSG_TRAP2:
	case SNMP_MSG_INFORM:
		break;
	case 0:
		/* what USM refused arrives like this: the statistics say why */
		return 1;
	default:
		detail = g_strdup_printf ("a %s PDU", snmp_pdu_type (pdu->command));
		refuse (l, XN_TRAP_REFUSED_NOT_NOTIFICATION, detail);
		return 1;
	}
	if (pdu->version != SNMP_VERSION_3 && !community_accepted (l, pdu)) {
		refuse (l, XN_TRAP_REFUSED_COMMUNITY, "no community of that value in the secrets");
		return 1;
	}
	deliver (l, pdu);
	if (pdu->command == SNMP_MSG_INFORM)
		answer (l, pdu);
	return 1;
}

/* ---- reading ---- */

static void
format_source (XnTrapListener *l, const struct sockaddr_storage *from)
{
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) from;
	const struct sockaddr_in *in = (const struct sockaddr_in *) from;

	if (from->ss_family == AF_INET) {
		inet_ntop (AF_INET, &in->sin_addr, l->source, sizeof l->source);
		l->source_port = ntohs (in->sin_port);
	} else if (from->ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED (&in6->sin6_addr)) {
		inet_ntop (AF_INET, &in6->sin6_addr.s6_addr[12], l->source, sizeof l->source);
		l->source_port = ntohs (in6->sin6_port);
	} else if (from->ss_family == AF_INET6) {
		inet_ntop (AF_INET6, &in6->sin6_addr, l->source, sizeof l->source);
		l->source_port = ntohs (in6->sin6_port);
	} else {
		g_strlcpy (l->source, "unknown", sizeof l->source);
		l->source_port = 0;
	}
}

/* What Net-SNMP counted for the datagram it dropped without a callback. */
static void
refusal_from_stats (XnTrapListener *l, const u_int *before)
{
	for (guint i = 0; i < G_N_ELEMENTS (refusal_stats); i++) {
		if (snmp_get_statistic (refusal_stats[i].stat) == before[i])
			continue;
		if (refusal_stats[i].why == XN_TRAP_N_REFUSALS) {
			/* an SNMPv3 engine ID probe, answered with a Report */
			l->stats.discovery++;
			l->outcome = TRUE;
			return;
		}
		refuse (l, refusal_stats[i].why, refusal_stats[i].detail);
		return;
	}
	refuse (l, XN_TRAP_REFUSED_MALFORMED, "dropped by the SNMP library");
}

static void
handle_datagram (XnTrapListener *l, gsize peeked)
{
	u_int before[G_N_ELEMENTS (refusal_stats)];

	prepare_v3 (l, peeked);
	for (guint i = 0; i < G_N_ELEMENTS (refusal_stats); i++)
		before[i] = snmp_get_statistic (refusal_stats[i].stat);
	l->outcome = FALSE;
	NETSNMP_LARGE_FD_SET (l->fd, &l->fds);
	snmp_sess_read2 (l->sessp, &l->fds);
	NETSNMP_LARGE_FD_CLR (l->fd, &l->fds);
	if (!l->outcome)
		refusal_from_stats (l, before);
}

guint
xn_trap_listener_read (XnTrapListener *l, guint max)
{
	guint n = 0;

	while (n < max) {
		struct sockaddr_storage from;
		socklen_t from_len = sizeof from;
		/* MSG_TRUNC: the datagram's real length, to tell an empty one */
		ssize_t got = recvfrom (l->fd, l->peek, sizeof l->peek, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT,
					(struct sockaddr *) &from, &from_len);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			break;
		n++;
		l->stats.datagrams++;
		format_source (l, &from);
		if (got == 0) {
			/* Net-SNMP would take an empty read for a closed socket */
			recv (l->fd, l->peek, sizeof l->peek, MSG_DONTWAIT);
			refuse (l, XN_TRAP_REFUSED_MALFORMED, "an empty datagram");
			continue;
		}
		handle_datagram (l, MIN ((gsize) got, sizeof l->peek));
	}
	return n;
}

/* snmp-session.c — the Net-SNMP adapter: the only file of the poller that
 * includes its headers, with snmp-usm.c, the SNMPv3 protocols and keys it
 * shares with the collector (see snmp-session.h for the contract).
 *
 * Each node gets one session of the single-session API (snmp_sess_open),
 * kept open across polls; requests go out with snmp_sess_async_send and a
 * per-request callback; the owner calls snmp_sess_read2 through
 * xn_snmp_session_read() only when the socket is readable, and
 * snmp_sess_timeout through xn_snmp_session_check_timeout() only when
 * xn_snmp_session_deadline() says something is due. Nothing here walks the
 * list of all sessions, as the classic snmp_select_info/snmp_read loop does.
 *
 * SNMPv3 engine ID discovery must not block. Net-SNMP discovers with a
 * synchronous probe (snmp_sess_synch_response, waiting timeout × tries for a
 * dead agent): 5.9.3 does it in the first snmp_sess_async_send of a request
 * while the session has no engine ID, other releases inside snmp_sess_open.
 * So no request is ever sent without an engine ID: the probe is sent here
 * first, asynchronously, like any request — a GET without varbinds from the
 * empty user at noAuthNoPriv, which does not trigger Net-SNMP's own probe.
 * The agent's report (usmStatsUnknownEngineIDs) carries its engine ID; after
 * the read we create the USM user localized to it and send the request that
 * waited. SNMP_FLAGS_DONT_PROBE is set as well (again after opening: the
 * library clears it there) for the releases that probe at open. Time-window
 * synchronisation needs nothing special: Net-SNMP answers a notInTimeWindow
 * report by resending at once. The engine ID stays with the session, which
 * the engine keeps open across polls, so discovery happens once per node.
 *
 * What this file does not do: decide what to ask (snmp-poll.c), schedule
 * polls or wait (engine.c). It logs nothing per varbind; Net-SNMP's own log
 * goes to GLib's debug level. */
#include "snmp-session.h"
#include "snmp-usm.h"
#include "xn-error.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>
#include <fcntl.h>
#include <string.h>

G_STATIC_ASSERT (sizeof (oid) == sizeof (XnSubid));

/* The derived keys (Ku) of one credential. */
typedef struct {
	u_char auth[USM_AUTH_KU_LEN];
	size_t auth_len;
	u_char priv[USM_PRIV_KU_LEN];
	size_t priv_len;
} XnUsmKeys;

struct _XnSnmpStack {
	GHashTable           *keys;      /* credential name → XnUsmKeys */
	netsnmp_large_fd_set  fds;       /* what snmp_sess_read2 wants: one bit set at a time */
	GArray               *varbinds;  /* XnVarbind, reused for every answer */
};

struct _XnSnmpSession {
	/* Must stay first. Some Net-SNMP 5.9 releases, handling a report in
	 * _sess_process_packet, store `((struct synch_state *) magic)->waiting
	 * = 0` into the callback data of the request whatever it is: this int
	 * is what that write lands on. */
	int              netsnmp_scratch;
	XnSnmpStack     *stack;
	void            *sessp;
	netsnmp_session *sp;             /* the library's copy, inside sessp */
	int              fd;
	XnSnmpReplyFunc  func;
	gpointer         user_data;
	char            *label;          /* "node (address:port)", for messages */
	char            *user;           /* SNMPv3 user name, for messages */
	gboolean         v3;

	gboolean         busy;           /* a request is out and its reply not delivered */
	int              reqid;          /* Net-SNMP's id of what is out */
	gboolean         probing;        /* what is out is the engine ID probe */
	gboolean         probe_answered; /* set in the callback, acted on after the read */
	netsnmp_pdu     *waiting;        /* the request that waits for discovery */
	const char      *report;         /* a report seen for what is out (notInTimeWindow) */
};

static int
log_to_glib (int major, int minor, void *serverarg, void *clientarg)
{
	const struct snmp_log_message *m = serverarg;
	gsize len = m->msg != NULL ? strlen (m->msg) : 0;

	/* Net-SNMP logs MIB parsing, odd packets and the like: useful when
	 * debugging, never something an operator must read. */
	if (len > 0)
		g_debug ("net-snmp: %.*s", (int) (m->msg[len - 1] == '\n' ? len - 1 : len), m->msg);
	return 0;
}

static gpointer
init_netsnmp_once (gpointer data)
{
	struct usmUser *empty;

	snmp_register_callback (SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, log_to_glib, NULL);
	snmp_enable_calllog ();
	/* No snmp.conf, no persistent state to load or save: everything the
	 * poller uses comes from extranoc's own configuration. */
	netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	/* Alarms would otherwise use SIGALRM; we use none. */
	netsnmp_ds_set_boolean (NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	init_snmp ("extranoc");

	/* The engine ID probe is sent by the empty user, which USM must know
	 * (Net-SNMP's own probe creates it the same way). */
	empty = usm_get_user (NULL, 0, "");
	if (empty == NULL) {
		empty = usm_create_user ();
		empty->name = strdup ("");
		empty->secName = strdup ("");
		usm_add_user (empty);
	}
	return NULL;
}

static void
usm_keys_free (gpointer data)
{
	explicit_bzero (data, sizeof (XnUsmKeys));
	g_free (data);
}

XnSnmpStack *
xn_snmp_stack_new (void)
{
	static GOnce once = G_ONCE_INIT;
	XnSnmpStack *stack = g_new0 (XnSnmpStack, 1);

	g_once (&once, init_netsnmp_once, NULL);
	stack->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, usm_keys_free);
	netsnmp_large_fd_set_init (&stack->fds, FD_SETSIZE);
	stack->varbinds = g_array_sized_new (FALSE, FALSE, sizeof (XnVarbind), 256);
	return stack;
}

void
xn_snmp_stack_free (XnSnmpStack *stack)
{
	if (stack == NULL)
		return;
	g_hash_table_unref (stack->keys);
	netsnmp_large_fd_set_cleanup (&stack->fds);
	g_array_unref (stack->varbinds);
	g_free (stack);
}

void
xn_snmp_stack_forget_keys (XnSnmpStack *stack)
{
	g_hash_table_remove_all (stack->keys);
}

const char *
xn_snmp_version_to_string (XnSnmpVersion version)
{
	switch (version) {
	case XN_SNMP_V1:  return "SNMPv1";
	case XN_SNMP_V2C: return "SNMPv2c";
	case XN_SNMP_V3:  return "SNMPv3";
	}
	return "SNMP";
}

/* Ku from the passwords, derived once per credential (RFC 3414 A.2 hashes
 * a megabyte: milliseconds per key, too much per node and poll). */
static const XnUsmKeys *
usm_keys (XnSnmpStack *stack, const char *name, const XnSnmpUsm *usm, GError **error)
{
	XnUsmKeys *keys = g_hash_table_lookup (stack->keys, name);

	if (keys != NULL)
		return keys;
	keys = g_new0 (XnUsmKeys, 1);
	if (usm->auth_protocol != XN_USM_AUTH_NONE) {
		keys->auth_len = sizeof keys->auth;
		if (!xn_snmp_usm_ku (usm->auth_protocol, usm->auth_password, keys->auth, &keys->auth_len)) {
			usm_keys_free (keys);
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
				     "cannot derive the authentication key of SNMPv3 credential '%s'", name);
			return NULL;
		}
	}
	if (usm->priv_protocol != XN_USM_PRIV_NONE) {
		keys->priv_len = sizeof keys->priv;
		if (!xn_snmp_usm_ku (usm->auth_protocol, usm->priv_password, keys->priv, &keys->priv_len)) {
			usm_keys_free (keys);
			g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
				     "cannot derive the privacy key of SNMPv3 credential '%s'", name);
			return NULL;
		}
	}
	g_hash_table_insert (stack->keys, g_strdup (name), keys);
	return keys;
}

static gboolean
setup_v3 (XnSnmpStack *stack, netsnmp_session *s, const XnSnmpEndpoint *ep, const XnSecrets *secrets,
	  GError **error)
{
	const XnSnmpUsm *usm = secrets != NULL ? xn_secrets_usm (secrets, ep->credential) : NULL;
	const XnUsmKeys *keys;
	size_t len;

	if (usm == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_NOT_FOUND,
			     "no SNMPv3 user '%s' in the secrets", ep->credential);
		return FALSE;
	}
	keys = usm_keys (stack, ep->credential, usm, error);
	if (keys == NULL)
		return FALSE;
	s->version = SNMP_VERSION_3;
	s->securityModel = SNMP_SEC_MODEL_USM;
	s->securityName = usm->user;
	s->securityNameLen = strlen (usm->user);
	s->securityLevel = usm->auth_protocol == XN_USM_AUTH_NONE ? SNMP_SEC_LEVEL_NOAUTH :
			   usm->priv_protocol == XN_USM_PRIV_NONE ? SNMP_SEC_LEVEL_AUTHNOPRIV :
			   SNMP_SEC_LEVEL_AUTHPRIV;
	s->securityAuthProto = xn_snmp_usm_auth_oid (usm->auth_protocol, &len);
	s->securityAuthProtoLen = len;
	s->securityPrivProto = xn_snmp_usm_priv_oid (usm->priv_protocol, &len);
	s->securityPrivProtoLen = len;
	memcpy (s->securityAuthKey, keys->auth, keys->auth_len);
	s->securityAuthKeyLen = keys->auth_len;
	memcpy (s->securityPrivKey, keys->priv, keys->priv_len);
	s->securityPrivKeyLen = keys->priv_len;
	/* Discovery is ours, asynchronous: see the top of this file. */
	s->flags |= SNMP_FLAGS_DONT_PROBE;
	return TRUE;
}

XnSnmpSession *
xn_snmp_session_open (XnSnmpStack *stack, const XnNode *node, const XnSecrets *secrets,
		      XnSnmpReplyFunc func, gpointer user_data, GError **error)
{
	const XnSnmpEndpoint *ep = node->snmp;
	g_autofree char *peer = NULL;
	g_autofree char *label = NULL;
	const char *community;
	netsnmp_session s;
	XnSnmpSession *session;
	void *sessp;

	g_return_val_if_fail (ep != NULL, NULL);
	label = g_strdup_printf (strchr (node->management_address, ':') ? "%s ([%s]:%u)" : "%s (%s:%u)",
				 node->name, node->management_address, ep->port);
	peer = g_strdup_printf (strchr (node->management_address, ':') ? "udp6:[%s]:%u" : "udp:%s:%u",
				node->management_address, ep->port);
	snmp_sess_init (&s);
	s.peername = peer;
	s.timeout = (long) ep->timeout_ms * 1000;
	s.retries = (int) ep->retries;
	if (ep->version == XN_SNMP_V3) {
		if (!setup_v3 (stack, &s, ep, secrets, error)) {
			g_prefix_error (error, "%s: ", label);
			return NULL;
		}
	} else {
		community = secrets != NULL ? xn_secrets_community (secrets, ep->credential) : NULL;
		if (community == NULL) {
			g_set_error (error, XN_ERROR, XN_ERROR_NOT_FOUND,
				     "%s: no SNMP community '%s' in the secrets", label, ep->credential);
			return NULL;
		}
		s.version = ep->version == XN_SNMP_V1 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
		s.community = (u_char *) community;
		s.community_len = strlen (community);
	}

	sessp = snmp_sess_open (&s);
	explicit_bzero (s.securityAuthKey, sizeof s.securityAuthKey);
	explicit_bzero (s.securityPrivKey, sizeof s.securityPrivKey);
	if (sessp == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s: cannot open an SNMP session: %s",
			     label, snmp_api_errstring (s.s_snmp_errno));
		return NULL;
	}
	session = g_new0 (XnSnmpSession, 1);
	session->stack = stack;
	session->sessp = sessp;
	session->sp = snmp_sess_session (sessp);
	session->sp->flags |= s.flags & SNMP_FLAGS_DONT_PROBE;
	session->fd = snmp_sess_transport (sessp)->sock;
	/* A read the owner was told is ready must never block the loop, not
	 * even for a socket reopened under the same number meanwhile. */
	fcntl (session->fd, F_SETFL, fcntl (session->fd, F_GETFL) | O_NONBLOCK);
	session->func = func;
	session->user_data = user_data;
	session->label = g_steal_pointer (&label);
	session->v3 = ep->version == XN_SNMP_V3;
	session->user = session->v3 ? g_strdup (session->sp->securityName) : NULL;
	if (session->fd >= (int) stack->fds.lfs_setsize)
		netsnmp_large_fd_set_resize (&stack->fds, session->fd + 1024);
	return session;
}

void
xn_snmp_session_close (XnSnmpSession *session)
{
	if (session == NULL)
		return;
	snmp_sess_close (session->sessp);
	snmp_free_pdu (session->waiting);
	g_free (session->label);
	g_free (session->user);
	g_free (session);
}

int
xn_snmp_session_fd (const XnSnmpSession *session)
{
	return session->fd;
}

char *
xn_snmp_session_engine_id (const XnSnmpSession *session)
{
	GString *hex;

	if (!session->v3 || session->sp->securityEngineIDLen == 0)
		return NULL;
	hex = g_string_sized_new (2 * session->sp->securityEngineIDLen);
	for (size_t i = 0; i < session->sp->securityEngineIDLen; i++)
		g_string_append_printf (hex, "%02x", session->sp->securityEngineID[i]);
	return g_string_free (hex, FALSE);
}

static void
deliver (XnSnmpSession *session, const XnSnmpReply *reply)
{
	session->busy = FALSE;
	session->probing = FALSE;
	session->report = NULL;
	g_clear_pointer (&session->waiting, snmp_free_pdu);
	session->func (session, reply, session->user_data);
}

static void
deliver_failure (XnSnmpSession *session, XnSnmpReplyKind kind, const char *reason)
{
	XnSnmpReply reply = { .kind = kind, .reason = reason };

	deliver (session, &reply);
}

/* The varbinds as views into the PDU, in the stack's reused array. */
static void
deliver_response (XnSnmpSession *session, const netsnmp_pdu *pdu)
{
	GArray *a = session->stack->varbinds;
	XnSnmpReply reply = { .kind = XN_SNMP_REPLY_RESPONSE };
	guint n = 0;

	/* Sized once and filled in place: this runs for every varbind. */
	for (const netsnmp_variable_list *v = pdu->variables; v != NULL; v = v->next_variable)
		n++;
	g_array_set_size (a, n);
	n = 0;
	for (const netsnmp_variable_list *v = pdu->variables; v != NULL; v = v->next_variable) {
		XnVarbind *out = &g_array_index (a, XnVarbind, n++);
		XnVarbind vb = { .name = { (const XnSubid *) v->name, (guint) v->name_length }, .type = v->type };

		switch (v->type) {
		case ASN_INTEGER:
			vb.integer = *v->val.integer;
			break;
		case ASN_COUNTER:
		case ASN_GAUGE:
		case ASN_TIMETICKS:
			vb.unsigned64 = (guint32) *v->val.integer;
			break;
		case ASN_COUNTER64:
			vb.unsigned64 = ((guint64) v->val.counter64->high << 32) | (guint32) v->val.counter64->low;
			break;
		case ASN_OCTET_STR:
		case ASN_IPADDRESS:
		case ASN_OPAQUE:
			vb.octets = v->val.string;
			vb.octets_len = v->val_len;
			break;
		case ASN_OBJECT_ID:
			vb.objid.arcs = (const XnSubid *) v->val.objid;
			vb.objid.len = (guint) (v->val_len / sizeof (oid));
			break;
		default:
			break;
		}
		*out = vb;
	}
	reply.error_status = pdu->errstat > 0 ? (guint) pdu->errstat : 0;
	reply.error_index = pdu->errindex > 0 ? (guint) pdu->errindex : 0;
	reply.varbinds = (const XnVarbind *) a->data;
	reply.n_varbinds = a->len;
	deliver (session, &reply);
}

/* Keeps the engine ID a probe's answer carries. Net-SNMP would copy it only
 * after our callback, and only from a report; this way both work. */
static void
take_engine_id (XnSnmpSession *session, const netsnmp_pdu *pdu)
{
	netsnmp_session *sp = session->sp;

	if (sp->securityEngineIDLen != 0 || pdu->securityEngineIDLen == 0)
		return;
	sp->securityEngineID = malloc (pdu->securityEngineIDLen);
	if (sp->securityEngineID == NULL)
		return;
	memcpy (sp->securityEngineID, pdu->securityEngineID, pdu->securityEngineIDLen);
	sp->securityEngineIDLen = pdu->securityEngineIDLen;
	if (sp->contextEngineIDLen == 0) {
		sp->contextEngineID = malloc (pdu->securityEngineIDLen);
		if (sp->contextEngineID != NULL) {
			memcpy (sp->contextEngineID, pdu->securityEngineID, pdu->securityEngineIDLen);
			sp->contextEngineIDLen = pdu->securityEngineIDLen;
		}
	}
}

static void
on_report (XnSnmpSession *session, netsnmp_pdu *pdu)
{
	g_autofree char *reason = NULL;
	int type = snmpv3_get_report_type (pdu);

	switch (type) {
	case SNMPERR_NOT_IN_TIME_WINDOW:
		/* Net-SNMP resends at once with the agent's time (or gives up
		 * when out of retries: xn_snmp_session_read notices). */
		session->sp->s_snmp_errno = SNMPERR_NOT_IN_TIME_WINDOW;
		session->report = "the agent keeps saying the request is outside its time window (usmStatsNotInTimeWindows)";
		return;
	case SNMPERR_AUTHENTICATION_FAILURE:
		reason = g_strdup_printf ("%s: SNMPv3 authentication failed for user '%s': the agent reports a wrong "
					  "digest (usmStatsWrongDigests): wrong authentication password or protocol",
					  session->label, session->user);
		break;
	case SNMPERR_DECRYPTION_ERR:
		reason = g_strdup_printf ("%s: SNMPv3 privacy failed for user '%s': the agent cannot decrypt the "
					  "request (usmStatsDecryptionErrors): wrong privacy password or protocol",
					  session->label, session->user);
		break;
	case SNMPERR_UNKNOWN_USER_NAME:
		reason = g_strdup_printf ("%s: SNMPv3 user '%s' is unknown to the agent (usmStatsUnknownUserNames)",
					  session->label, session->user);
		break;
	case SNMPERR_UNSUPPORTED_SEC_LEVEL:
		reason = g_strdup_printf ("%s: the agent does not accept user '%s' at this security level "
					  "(usmStatsUnsupportedSecLevels)", session->label, session->user);
		break;
	case SNMPERR_UNKNOWN_ENG_ID: {
		XnSnmpReply reply = { .kind = XN_SNMP_REPLY_FAILED, .stale_engine = TRUE };

		reason = g_strdup_printf ("%s: the agent's SNMPv3 engine ID changed (usmStatsUnknownEngineIDs); "
					  "it will be discovered again", session->label);
		reply.reason = reason;
		deliver (session, &reply);
		return;
	}
	default:
		reason = g_strdup_printf ("%s: the agent answered with a report: %s", session->label,
					  snmp_api_errstring (type));
		deliver_failure (session, XN_SNMP_REPLY_FAILED, reason);
		return;
	}
	deliver_failure (session, XN_SNMP_REPLY_AUTH_FAILED, reason);
}

static int
on_netsnmp_reply (int op, netsnmp_session *sp, int reqid, netsnmp_pdu *pdu, void *magic)
{
	XnSnmpSession *session = magic;
	g_autofree char *reason = NULL;

	/* Not what is out any more (a late answer): let Net-SNMP drop it. */
	if (!session->busy || reqid != session->reqid)
		return 1;
	switch (op) {
	case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE:
		if (session->probing) {
			take_engine_id (session, pdu);
			session->probe_answered = TRUE;
		} else if (pdu->command == SNMP_MSG_REPORT) {
			on_report (session, pdu);
		} else if (pdu->command == SNMP_MSG_RESPONSE) {
			deliver_response (session, pdu);
		} else {
			reason = g_strdup_printf ("%s: the agent answered with a %s PDU", session->label,
						  snmp_pdu_type (pdu->command));
			deliver_failure (session, XN_SNMP_REPLY_FAILED, reason);
		}
		break;
	case NETSNMP_CALLBACK_OP_TIMED_OUT:
		deliver_failure (session, XN_SNMP_REPLY_TIMEOUT, "no answer");
		break;
	case NETSNMP_CALLBACK_OP_SEND_FAILED:
		reason = g_strdup_printf ("%s: cannot send: %s", session->label,
					  snmp_api_errstring (sp->s_snmp_errno));
		deliver_failure (session, XN_SNMP_REPLY_FAILED, reason);
		break;
	default:
		/* notices (a resend) that end nothing */
		break;
	}
	return 1;
}

static gboolean
send_pdu (XnSnmpSession *session, netsnmp_pdu *pdu, GError **error)
{
	int reqid = snmp_sess_async_send (session->sessp, pdu, on_netsnmp_reply, session);

	if (reqid == 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s: cannot send: %s", session->label,
			     snmp_api_errstring (session->sp->s_snmp_errno));
		snmp_free_pdu (pdu);
		return FALSE;
	}
	session->reqid = reqid;
	session->busy = TRUE;
	return TRUE;
}

static netsnmp_pdu *
build_pdu (const XnSnmpRequest *request)
{
	static const int commands[] = {
		[XN_SNMP_GET] = SNMP_MSG_GET,
		[XN_SNMP_GETNEXT] = SNMP_MSG_GETNEXT,
		[XN_SNMP_GETBULK] = SNMP_MSG_GETBULK,
	};
	netsnmp_pdu *pdu = snmp_pdu_create (commands[request->command]);

	if (request->command == XN_SNMP_GETBULK) {
		pdu->non_repeaters = (long) request->non_repeat;
		pdu->max_repetitions = (long) request->max_repeat;
	}
	for (guint i = 0; i < request->n_oids; i++)
		snmp_add_null_var (pdu, (const oid *) request->oids[i].arcs, request->oids[i].len);
	return pdu;
}

static netsnmp_pdu *
build_probe (void)
{
	netsnmp_pdu *pdu = snmp_pdu_create (SNMP_MSG_GET);

	pdu->version = SNMP_VERSION_3;
	pdu->securityName = strdup ("");
	pdu->securityNameLen = 0;
	pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
	pdu->securityModel = SNMP_SEC_MODEL_USM;
	return pdu;
}

gboolean
xn_snmp_session_send (XnSnmpSession *session, const XnSnmpRequest *request, GError **error)
{
	netsnmp_pdu *pdu;

	g_return_val_if_fail (!session->busy, FALSE);
	pdu = build_pdu (request);
	if (!session->v3 || session->sp->securityEngineIDLen != 0)
		return send_pdu (session, pdu, error);

	session->waiting = pdu;
	if (!send_pdu (session, build_probe (), error)) {
		g_clear_pointer (&session->waiting, snmp_free_pdu);
		return FALSE;
	}
	session->probing = TRUE;
	return TRUE;
}

/* USM keeps its users, with the keys localized to an engine ID, in one
 * table for the whole process, keyed by (engine ID, user name), and
 * usm_create_user_from_session() leaves an entry it finds alone. So after a
 * password change (new secrets, a reopened session) the old keys would stay
 * in use: the session that has just discovered the engine replaces the
 * entry with its own. Two inventory nodes with the same engine ID and user
 * name but different passwords cannot both work; engine IDs are meant to
 * be unique, so that takes a cloned agent configuration. */
static gboolean
create_usm_user (XnSnmpSession *session)
{
	netsnmp_session *sp = session->sp;
	struct usmUser *old = usm_get_user (sp->securityEngineID, sp->securityEngineIDLen, sp->securityName);

	if (old != NULL) {
		usm_remove_user (old);
		usm_free_user (old);
	}
	return usm_create_user_from_session (sp) == SNMPERR_SUCCESS;
}

/* Net-SNMP may have dropped what was out without calling us: when it runs
 * out of retries on notInTimeWindow reports. */
static void
after_processing (XnSnmpSession *session)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *reason = NULL;
	netsnmp_pdu *pdu;

	if (session->probe_answered) {
		session->probe_answered = FALSE;
		session->probing = FALSE;
		session->busy = FALSE;
		pdu = g_steal_pointer (&session->waiting);
		if (session->sp->securityEngineIDLen == 0) {
			snmp_free_pdu (pdu);
			reason = g_strdup_printf ("%s: the agent's answer to the SNMPv3 engine ID probe has no "
						  "engine ID", session->label);
			deliver_failure (session, XN_SNMP_REPLY_FAILED, reason);
		} else if (!create_usm_user (session)) {
			snmp_free_pdu (pdu);
			reason = g_strdup_printf ("%s: cannot set up SNMPv3 user '%s' for the agent's engine ID",
						  session->label, session->user);
			deliver_failure (session, XN_SNMP_REPLY_FAILED, reason);
		} else if (!send_pdu (session, pdu, &error)) {
			deliver_failure (session, XN_SNMP_REPLY_FAILED, error->message);
		}
		return;
	}
	if (session->busy && xn_snmp_session_deadline (session) == G_MAXINT64) {
		reason = g_strdup_printf ("%s: %s", session->label,
					  session->report != NULL ? session->report : "the request was dropped");
		deliver_failure (session, session->report != NULL ? XN_SNMP_REPLY_AUTH_FAILED : XN_SNMP_REPLY_FAILED,
				 reason);
	}
}

void
xn_snmp_session_read (XnSnmpSession *session)
{
	netsnmp_large_fd_set *fds = &session->stack->fds;

	NETSNMP_LARGE_FD_SET (session->fd, fds);
	snmp_sess_read2 (session->sessp, fds);
	NETSNMP_LARGE_FD_CLR (session->fd, fds);
	after_processing (session);
}

void
xn_snmp_session_check_timeout (XnSnmpSession *session)
{
	snmp_sess_timeout (session->sessp);
	after_processing (session);
}

gint64
xn_snmp_session_deadline (XnSnmpSession *session)
{
	netsnmp_large_fd_set *fds = &session->stack->fds;
	struct timeval tv = { 0, 0 };
	int numfds = 0, block = 1;

	/* One session only: its own requests, no walk over all sessions. */
	snmp_sess_select_info2_flags (session->sessp, &numfds, fds, &tv, &block, NETSNMP_SELECT_NOALARMS);
	NETSNMP_LARGE_FD_CLR (session->fd, fds);
	if (block)
		return G_MAXINT64;
	return g_get_monotonic_time () + (gint64) tv.tv_sec * G_USEC_PER_SEC + tv.tv_usec;
}

/* secrets.h — the credentials extranoc uses, by name: SNMP communities,
 * SNMPv3 USM users, logins (NETCONF, SMTP) and bearer tokens (webhooks).
 *
 * The inventory names a credential; the poller and the dispatcher look the
 * name up here. lib/config.c fills an XnSecrets from the secrets file, which
 * it refuses unless xn_secrets_check_mode() accepts the file's mode. Values
 * are copied in, zeroed when the XnSecrets is freed, and never appear in a
 * GError from this module: messages name the credential, not its value.
 * GLib only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
	XN_SECRET_SNMP_COMMUNITY,
	XN_SECRET_SNMP_USM,
	XN_SECRET_LOGIN,
	XN_SECRET_TOKEN,
} XnSecretKind;

typedef enum {
	XN_USM_AUTH_NONE,
	XN_USM_AUTH_MD5,
	XN_USM_AUTH_SHA,
	XN_USM_AUTH_SHA224,
	XN_USM_AUTH_SHA256,
	XN_USM_AUTH_SHA384,
	XN_USM_AUTH_SHA512,
} XnUsmAuth;

typedef enum {
	XN_USM_PRIV_NONE,
	XN_USM_PRIV_DES,
	XN_USM_PRIV_AES,
	XN_USM_PRIV_AES192,
	XN_USM_PRIV_AES256,
} XnUsmPriv;

typedef struct {
	char      *name;
	char      *user;                /* USM security name */
	XnUsmAuth  auth_protocol;
	char      *auth_password;       /* NULL without authentication */
	XnUsmPriv  priv_protocol;
	char      *priv_password;       /* NULL without privacy */
} XnSnmpUsm;

typedef struct {
	char *name;
	char *username;
	char *password;
} XnLogin;

typedef struct _XnSecrets XnSecrets;

XnSecrets       *xn_secrets_new (void);
/* Zeroes every value before freeing it. */
void             xn_secrets_free (XnSecrets *secrets);

/* Each refuses a name already used for the same kind (XN_ERROR_INVALID). */
gboolean         xn_secrets_add_community (XnSecrets *secrets, const char *name,
					   const char *community, GError **error);
/* Privacy without authentication does not exist in USM (no authPriv
 * without auth) and is refused, as is a protocol without its password. */
gboolean         xn_secrets_add_usm (XnSecrets *secrets, const char *name, const char *user,
				     XnUsmAuth auth_protocol, const char *auth_password,
				     XnUsmPriv priv_protocol, const char *priv_password, GError **error);
gboolean         xn_secrets_add_login (XnSecrets *secrets, const char *name, const char *username,
				       const char *password, GError **error);
gboolean         xn_secrets_add_token (XnSecrets *secrets, const char *name, const char *token,
				       GError **error);

/* Lookups; NULL when the secrets define no credential of that kind and name.
 * The results belong to `secrets`: never log them. */
const char      *xn_secrets_community (const XnSecrets *secrets, const char *name);
const XnSnmpUsm *xn_secrets_usm (const XnSecrets *secrets, const char *name);
const XnLogin   *xn_secrets_login (const XnSecrets *secrets, const char *name);
const char      *xn_secrets_token (const XnSecrets *secrets, const char *name);
gboolean         xn_secrets_has (const XnSecrets *secrets, XnSecretKind kind, const char *name);
/* Names of the credentials of one kind, sorted. Free with g_strfreev(). */
GStrv            xn_secrets_list (const XnSecrets *secrets, XnSecretKind kind);

/* A secrets file must be accessible to its owner only: refuses (with
 * XN_ERROR_PERMISSION, naming `file` and its mode) when any group or other
 * permission bit is set in `mode` (st_mode). */
gboolean         xn_secrets_check_mode (const char *file, guint mode, GError **error);

/* "SNMP community", "SNMPv3 user", "login", "token" */
const char      *xn_secret_kind_to_string (XnSecretKind kind);
/* The YANG enum names: "md5", "sha", "sha-224" …; "des", "aes" … */
gboolean         xn_usm_auth_from_string (const char *text, XnUsmAuth *out);
gboolean         xn_usm_priv_from_string (const char *text, XnUsmPriv *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnSecrets, xn_secrets_free)

G_END_DECLS

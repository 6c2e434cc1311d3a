/* secrets.c — credentials by kind and name, zeroed when freed.
 *
 * Every value is copied into memory this file owns, so that it can be
 * overwritten with zeros before it is freed (explicit_bzero, which the
 * compiler may not optimise away); that narrows, but cannot close, the
 * window in which a core dump or a reused heap block shows a password —
 * the parser that read the file had its own copies. Error messages here
 * name the credential and its kind, never a value. The file's contents are
 * read and validated by lib/config.c; only the mode rule lives here, so
 * that every loader applies the same one. */
#include "secrets.h"
#include "xn-error.h"

#include <string.h>

struct _XnSecrets {
	GHashTable *by_kind[XN_SECRET_TOKEN + 1];   /* name → value (char*, or XnSnmpUsm*, XnLogin*) */
};

static void
secret_free (char *value)
{
	if (value == NULL)
		return;
	explicit_bzero (value, strlen (value));
	g_free (value);
}

static void
usm_free (XnSnmpUsm *usm)
{
	g_free (usm->name);
	secret_free (usm->user);
	secret_free (usm->auth_password);
	secret_free (usm->priv_password);
	g_free (usm);
}

static void
login_free (XnLogin *login)
{
	g_free (login->name);
	secret_free (login->username);
	secret_free (login->password);
	g_free (login);
}

XnSecrets *
xn_secrets_new (void)
{
	XnSecrets *secrets = g_new0 (XnSecrets, 1);

	secrets->by_kind[XN_SECRET_SNMP_COMMUNITY] =
		g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) secret_free);
	secrets->by_kind[XN_SECRET_SNMP_USM] =
		g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) usm_free);
	secrets->by_kind[XN_SECRET_LOGIN] =
		g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) login_free);
	secrets->by_kind[XN_SECRET_TOKEN] =
		g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) secret_free);
	return secrets;
}

void
xn_secrets_free (XnSecrets *secrets)
{
	if (secrets == NULL)
		return;
	for (guint i = 0; i < G_N_ELEMENTS (secrets->by_kind); i++)
		g_hash_table_unref (secrets->by_kind[i]);
	g_free (secrets);
}

const char *
xn_secret_kind_to_string (XnSecretKind kind)
{
	static const char *const names[] = { "SNMP community", "SNMPv3 user", "login", "token" };

	return (guint) kind < G_N_ELEMENTS (names) ? names[kind] : "secret";
}

/* The common refusal of every add: no name, an empty value, or a name
 * already taken for this kind. `what` names the missing field, never its value. */
static gboolean
check_new (XnSecrets *secrets, XnSecretKind kind, const char *name, const char *value,
	   const char *what, GError **error)
{
	if (name == NULL || *name == '\0') {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s without a name",
			     xn_secret_kind_to_string (kind));
		return FALSE;
	}
	if (value == NULL || *value == '\0') {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s '%s' has no %s",
			     xn_secret_kind_to_string (kind), name, what);
		return FALSE;
	}
	if (g_hash_table_contains (secrets->by_kind[kind], name)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "%s '%s' is defined twice",
			     xn_secret_kind_to_string (kind), name);
		return FALSE;
	}
	return TRUE;
}

gboolean
xn_secrets_add_community (XnSecrets *secrets, const char *name, const char *community, GError **error)
{
	if (!check_new (secrets, XN_SECRET_SNMP_COMMUNITY, name, community, "community", error))
		return FALSE;
	g_hash_table_insert (secrets->by_kind[XN_SECRET_SNMP_COMMUNITY], g_strdup (name), g_strdup (community));
	return TRUE;
}

gboolean
xn_secrets_add_usm (XnSecrets *secrets, const char *name, const char *user,
		    XnUsmAuth auth_protocol, const char *auth_password,
		    XnUsmPriv priv_protocol, const char *priv_password, GError **error)
{
	XnSnmpUsm *usm;

	if (!check_new (secrets, XN_SECRET_SNMP_USM, name, user, "user", error))
		return FALSE;
	if ((auth_protocol != XN_USM_AUTH_NONE) != (auth_password != NULL) ||
	    (priv_protocol != XN_USM_PRIV_NONE) != (priv_password != NULL)) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "SNMPv3 user '%s': a protocol and its password go together", name);
		return FALSE;
	}
	if (priv_protocol != XN_USM_PRIV_NONE && auth_protocol == XN_USM_AUTH_NONE) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID,
			     "SNMPv3 user '%s': privacy needs authentication", name);
		return FALSE;
	}
	usm = g_new0 (XnSnmpUsm, 1);
	usm->name = g_strdup (name);
	usm->user = g_strdup (user);
	usm->auth_protocol = auth_protocol;
	usm->auth_password = g_strdup (auth_password);
	usm->priv_protocol = priv_protocol;
	usm->priv_password = g_strdup (priv_password);
	g_hash_table_insert (secrets->by_kind[XN_SECRET_SNMP_USM], g_strdup (name), usm);
	return TRUE;
}

gboolean
xn_secrets_add_login (XnSecrets *secrets, const char *name, const char *username,
		      const char *password, GError **error)
{
	XnLogin *login;

	if (!check_new (secrets, XN_SECRET_LOGIN, name, username, "username", error) ||
	    !check_new (secrets, XN_SECRET_LOGIN, name, password, "password", error))
		return FALSE;
	login = g_new0 (XnLogin, 1);
	login->name = g_strdup (name);
	login->username = g_strdup (username);
	login->password = g_strdup (password);
	g_hash_table_insert (secrets->by_kind[XN_SECRET_LOGIN], g_strdup (name), login);
	return TRUE;
}

gboolean
xn_secrets_add_token (XnSecrets *secrets, const char *name, const char *token, GError **error)
{
	if (!check_new (secrets, XN_SECRET_TOKEN, name, token, "token", error))
		return FALSE;
	g_hash_table_insert (secrets->by_kind[XN_SECRET_TOKEN], g_strdup (name), g_strdup (token));
	return TRUE;
}

const char *
xn_secrets_community (const XnSecrets *secrets, const char *name)
{
	return name != NULL ? g_hash_table_lookup (secrets->by_kind[XN_SECRET_SNMP_COMMUNITY], name) : NULL;
}

const XnSnmpUsm *
xn_secrets_usm (const XnSecrets *secrets, const char *name)
{
	return name != NULL ? g_hash_table_lookup (secrets->by_kind[XN_SECRET_SNMP_USM], name) : NULL;
}

const XnLogin *
xn_secrets_login (const XnSecrets *secrets, const char *name)
{
	return name != NULL ? g_hash_table_lookup (secrets->by_kind[XN_SECRET_LOGIN], name) : NULL;
}

const char *
xn_secrets_token (const XnSecrets *secrets, const char *name)
{
	return name != NULL ? g_hash_table_lookup (secrets->by_kind[XN_SECRET_TOKEN], name) : NULL;
}

gboolean
xn_secrets_has (const XnSecrets *secrets, XnSecretKind kind, const char *name)
{
	g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (secrets->by_kind), FALSE);
	return name != NULL && g_hash_table_contains (secrets->by_kind[kind], name);
}

static int
compare_names (gconstpointer a, gconstpointer b, gpointer unused)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GStrv
xn_secrets_list (const XnSecrets *secrets, XnSecretKind kind)
{
	g_autofree const char **names = NULL;
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
	guint n = 0;

	g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (secrets->by_kind), NULL);
	names = (const char **) g_hash_table_get_keys_as_array (secrets->by_kind[kind], &n);
	g_qsort_with_data (names, n, sizeof *names, compare_names, NULL);
	for (guint i = 0; i < n; i++)
		g_strv_builder_add (builder, names[i]);
	return g_strv_builder_end (builder);
}

gboolean
xn_secrets_check_mode (const char *file, guint mode, GError **error)
{
	/* 077: any permission for group or others. Read would leak the
	 * secrets; write would let someone else swap them. */
	if ((mode & 077) != 0) {
		g_set_error (error, XN_ERROR, XN_ERROR_PERMISSION,
			     "secrets file %s has mode %04o: group and others must have no access "
			     "(chmod 600 %s)", file, mode & 07777, file);
		return FALSE;
	}
	return TRUE;
}

gboolean
xn_usm_auth_from_string (const char *text, XnUsmAuth *out)
{
	static const char *const names[] = { "none", "md5", "sha", "sha-224", "sha-256", "sha-384", "sha-512" };

	for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
		if (g_strcmp0 (text, names[i]) == 0) {
			*out = (XnUsmAuth) i;
			return TRUE;
		}
	}
	return FALSE;
}

gboolean
xn_usm_priv_from_string (const char *text, XnUsmPriv *out)
{
	static const char *const names[] = { "none", "des", "aes", "aes-192", "aes-256" };

	for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
		if (g_strcmp0 (text, names[i]) == 0) {
			*out = (XnUsmPriv) i;
			return TRUE;
		}
	}
	return FALSE;
}

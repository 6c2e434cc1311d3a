/* config.c — the libyang adapter: loads the YANG modules, reads the
 * configuration files, and turns the validated tree into the plain-C
 * inventory, policy and secrets that the rest of extranoc uses.
 *
 * Finding problems is config-check.c's job; this file reads files (the
 * mode of a secrets file is taken from the descriptor the bytes came from,
 * so it cannot change in between), hands them over, and converts the
 * result. The conversion trusts the tree: libyang has validated it and
 * filled in every default, so a missing mandatory leaf here is a bug, not
 * an input error. Secret values are copied into XnSecrets and then replaced
 * by "<redacted>" in the tree that stays behind for printing; file buffers
 * are zeroed before they are freed. libyang is told never to print
 * anything itself, because its messages may quote a secret. */
#include "xn-paths.h"
#include "config.h"
#include "xn-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libyang/libyang.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define INVENTORY_MODULE "extranoc-inventory"

struct _XnConfig {
	struct ly_ctx   *ctx;
	struct lyd_node *tree;       /* validated, defaults in, secrets redacted */
	XnInventory     *inventory;
	XnPolicy        *policy;
	XnSecrets       *secrets;    /* NULL without a secrets file */
};

static const char *const own_modules[] = { "extranoc-inventory", "extranoc-policy", "extranoc-secrets" };

char *
xn_config_default_yang_dir (void)
{
	const char *env = g_getenv ("EXTRANOC_YANG_DIR");

	return g_strdup (env != NULL && *env != '\0' ? env : XN_DEFAULT_YANG_DIR);
}

void
xn_config_free (XnConfig *config)
{
	if (config == NULL)
		return;
	lyd_free_all (config->tree);
	if (config->ctx != NULL)
		ly_ctx_destroy (config->ctx);
	xn_inventory_free (config->inventory);
	xn_policy_free (config->policy);
	xn_secrets_free (config->secrets);
	g_free (config);
}

static gboolean
set_ly_error (struct ly_ctx *ctx, GError **error, const char *what)
{
	struct ly_err_item *e = ctx != NULL ? ly_err_last (ctx) : NULL;

	g_set_error (error, XN_ERROR, XN_ERROR_CONFIG, "%s: %s", what,
		     e != NULL && e->msg != NULL ? e->msg : "libyang failed");
	if (ctx != NULL)
		ly_err_clean (ctx, NULL);
	return FALSE;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Implements every module in `dir` beyond ours, in name order, so that a
 * deployment's module with its own sla-class identities takes part. */
static gboolean
load_other_modules (struct ly_ctx *ctx, const char *dir, GError **error)
{
	g_autoptr(GDir) d = g_dir_open (dir, 0, error);
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
	const char *entry;

	if (d == NULL)
		return FALSE;
	while ((entry = g_dir_read_name (d)) != NULL) {
		if (g_str_has_suffix (entry, ".yang"))
			g_ptr_array_add (files, g_strdup (entry));
	}
	g_ptr_array_sort (files, compare_names);
	for (guint i = 0; i < files->len; i++) {
		const char *file = g_ptr_array_index (files, i);
		g_autofree char *name = g_strndup (file, strcspn (file, "@."));
		g_autofree char *path = g_build_filename (dir, file, NULL);

		if (ly_ctx_get_module_latest (ctx, name) != NULL)
			continue;
		if (lys_parse_path (ctx, path, LYS_IN_YANG, NULL) != LY_SUCCESS) {
			g_autofree char *what = g_strdup_printf ("YANG module %s", path);

			return set_ly_error (ctx, error, what);
		}
	}
	return TRUE;
}

static struct ly_ctx *
context_new (const char *dir, GError **error)
{
	struct ly_ctx *ctx = NULL;

	if (!g_file_test (dir, G_FILE_TEST_IS_DIR)) {
		g_set_error (error, XN_ERROR, XN_ERROR_NOT_FOUND, "YANG directory %s does not exist", dir);
		return NULL;
	}
	/* Process-wide, and the same for every caller: store errors, print
	 * none (a message may quote a secret; callers decide what is shown). */
	ly_log_options (LY_LOSTORE);
	if (ly_ctx_new (dir, LY_CTX_NO_YANGLIBRARY | LY_CTX_DISABLE_SEARCHDIR_CWD, &ctx) != LY_SUCCESS) {
		set_ly_error (ctx, error, "cannot create the YANG context");
		ly_ctx_destroy (ctx);
		return NULL;
	}
	for (guint i = 0; i < G_N_ELEMENTS (own_modules); i++) {
		if (ly_ctx_load_module (ctx, own_modules[i], NULL, NULL) == NULL) {
			g_autofree char *what = g_strdup_printf ("cannot load YANG module %s from %s", own_modules[i], dir);

			set_ly_error (ctx, error, what);
			ly_ctx_destroy (ctx);
			return NULL;
		}
	}
	if (!load_other_modules (ctx, dir, error)) {
		ly_ctx_destroy (ctx);
		return NULL;
	}
	return ctx;
}

/* File contents, zeroed when freed: a secrets file passes through here. */
typedef GByteArray ZeroedBytes;

static void
zeroed_bytes_free (ZeroedBytes *bytes)
{
	explicit_bzero (bytes->data, bytes->len);
	g_byte_array_unref (bytes);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZeroedBytes, zeroed_bytes_free)

/* Reads a whole file, NUL-terminated for libyang, and the mode of the same
 * descriptor. The buffer is sized from fstat so that it is not reallocated
 * (which would leave unzeroed copies behind) unless the file grows. */
static ZeroedBytes *
read_file (const char *name, guint *mode, GError **error)
{
	g_autoptr(ZeroedBytes) bytes = NULL;
	guint8 chunk[16384];
	struct stat st;
	int fd = g_open (name, O_RDONLY | O_CLOEXEC, 0);
	int saved;

	if (fd < 0) {
		saved = errno;
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "cannot open %s: %s", name, g_strerror (saved));
		return NULL;
	}
	if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode)) {
		g_set_error (error, XN_ERROR, XN_ERROR_IO, "%s is not a regular file", name);
		close (fd);
		return NULL;
	}
	bytes = g_byte_array_sized_new ((guint) st.st_size + 1);
	for (;;) {
		ssize_t n = read (fd, chunk, sizeof chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			g_set_error (error, XN_ERROR, XN_ERROR_IO, "cannot read %s: %s", name, g_strerror (saved));
			close (fd);
			explicit_bzero (chunk, sizeof chunk);
			return NULL;
		}
		if (n == 0)
			break;
		g_byte_array_append (bytes, chunk, (guint) n);
	}
	explicit_bzero (chunk, sizeof chunk);
	close (fd);
	g_byte_array_append (bytes, (const guint8 *) "", 1);
	*mode = st.st_mode;
	return g_steal_pointer (&bytes);
}

/* By extension, else by the first character that is not white space. */
static gboolean
is_xml (const char *name, const char *text)
{
	if (g_str_has_suffix (name, ".xml"))
		return TRUE;
	if (g_str_has_suffix (name, ".json"))
		return FALSE;
	text += strspn (text, " \t\r\n");
	return *text == '<';
}

/* ---- from the tree to the model ---- */

static const char *
leaf (const struct lyd_node *parent, const char *path)
{
	struct lyd_node *match = NULL;

	if (parent == NULL || lyd_find_path (parent, path, 0, &match) != LY_SUCCESS || match->schema == NULL ||
	    !(match->schema->nodetype & LYD_NODE_TERM))
		return NULL;
	return lyd_get_value (match);
}

static guint64
leaf_uint (const struct lyd_node *parent, const char *path)
{
	const char *text = leaf (parent, path);

	return text != NULL ? g_ascii_strtoull (text, NULL, 10) : 0;
}

static char *
leaf_dup (const struct lyd_node *parent, const char *path)
{
	return g_strdup (leaf (parent, path));
}

/* Identities of our own module lose the prefix: "core-room". */
static const char *
sla_class (const char *identity)
{
	if (identity != NULL && g_str_has_prefix (identity, INVENTORY_MODULE ":"))
		return identity + strlen (INVENTORY_MODULE ":");
	return identity;
}

static gboolean
is (const struct lyd_node *node, const char *name)
{
	return node->schema != NULL && strcmp (node->schema->name, name) == 0;
}

static const struct lyd_node *
top_level (const struct lyd_node *tree, const char *module, const char *name)
{
	for (const struct lyd_node *n = tree; n != NULL; n = n->next) {
		if (n->schema != NULL && strcmp (n->schema->module->name, module) == 0 && is (n, name))
			return n;
	}
	return NULL;
}

static XnContact *
contact_from (const struct lyd_node *n)
{
	XnContact *contact;

	if (n == NULL || leaf (n, "name") == NULL)
		return NULL;
	contact = xn_contact_new (leaf (n, "name"), leaf (n, "phone"));
	contact->email = leaf_dup (n, "email");
	contact->role = leaf_dup (n, "role");
	return contact;
}

static const struct lyd_node *
child (const struct lyd_node *n, const char *name)
{
	struct lyd_node *match = NULL;

	return n != NULL && lyd_find_path (n, name, 0, &match) == LY_SUCCESS ? match : NULL;
}

static XnRegion *
region_from (const struct lyd_node *n)
{
	const char *level = leaf (n, "level");
	XnRegion *r = xn_region_new (leaf (n, "name"), g_strcmp0 (level, "city") == 0 ? XN_REGION_CITY
					: g_strcmp0 (level, "county") == 0 ? XN_REGION_COUNTY : XN_REGION_TOWNSHIP);

	r->display_name = leaf_dup (n, "display-name");
	r->parent_name = leaf_dup (n, "parent");
	return r;
}

static XnSite *
site_from (const struct lyd_node *n)
{
	XnSite *s = xn_site_new (leaf (n, "name"), leaf (n, "region"), sla_class (leaf (n, "sla-class")));

	s->display_name = leaf_dup (n, "display-name");
	s->address = leaf_dup (n, "address");
	return s;
}

static XnCarrier *
carrier_from (const struct lyd_node *n)
{
	const struct lyd_node *ch = child (n, "ticket-channel");
	g_autoptr(GStrvBuilder) to = g_strv_builder_new ();
	XnCarrier *c;

	if (leaf (ch, "webhook-url") != NULL) {
		c = xn_carrier_new (leaf (n, "name"), XN_CHANNEL_WEBHOOK);
		c->address = leaf_dup (ch, "webhook-url");
		c->credential = leaf_dup (ch, "webhook-credential");
	} else if (leaf (ch, "spool-directory") != NULL) {
		c = xn_carrier_new (leaf (n, "name"), XN_CHANNEL_SPOOL);
		c->address = leaf_dup (ch, "spool-directory");
	} else {
		c = xn_carrier_new (leaf (n, "name"), XN_CHANNEL_SMTP);
		c->address = leaf_dup (ch, "smtp-server");
		c->credential = leaf_dup (ch, "smtp-credential");
		for (const struct lyd_node *r = lyd_child (ch); r != NULL; r = r->next) {
			if (is (r, "smtp-to"))
				g_strv_builder_add (to, lyd_get_value (r));
		}
		c->recipients = g_strv_builder_end (to);
	}
	c->display_name = leaf_dup (n, "display-name");
	for (const struct lyd_node *k = lyd_child (n); k != NULL; k = k->next) {
		if (is (k, "contact"))
			g_ptr_array_add (c->contacts, contact_from (k));
	}
	return c;
}

static XnNode *
node_from (const struct lyd_node *n)
{
	const char *role = leaf (n, "role");
	const struct lyd_node *snmp = child (n, "snmp"), *netconf = child (n, "netconf");
	XnNode *node = xn_node_new (leaf (n, "name"),
				    g_strcmp0 (role, "backbone") == 0 ? XN_NODE_BACKBONE
				    : g_strcmp0 (role, "aggregation") == 0 ? XN_NODE_AGGREGATION : XN_NODE_ACCESS,
				    leaf (n, "site"), leaf (n, "management-address"));

	node->display_name = leaf_dup (n, "display-name");
	node->parent_name = leaf_dup (n, "parent");
	node->maintained_by = leaf_dup (n, "maintained-by");
	g_free (node->poller_group);
	node->poller_group = leaf_dup (n, "poller-group");
	if (snmp != NULL) {
		const char *version = leaf (snmp, "version");

		node->snmp = xn_snmp_endpoint_new (leaf (snmp, "credential"));
		node->snmp->version = g_strcmp0 (version, "v1") == 0 ? XN_SNMP_V1
				    : g_strcmp0 (version, "v3") == 0 ? XN_SNMP_V3 : XN_SNMP_V2C;
		node->snmp->port = (guint16) leaf_uint (snmp, "port");
		node->snmp->timeout_ms = (guint) leaf_uint (snmp, "timeout");
		node->snmp->retries = (guint) leaf_uint (snmp, "retries");
		node->snmp->interval_s = (guint) leaf_uint (snmp, "poll-interval");
	}
	if (netconf != NULL) {
		node->netconf = xn_netconf_endpoint_new (leaf (netconf, "credential"));
		node->netconf->port = (guint16) leaf_uint (netconf, "port");
		node->netconf->interval_s = (guint) leaf_uint (netconf, "poll-interval");
	}
	return node;
}

static XnLink *
link_from (const struct lyd_node *n)
{
	XnLink *l = xn_link_new (leaf (n, "id"), (guint32) leaf_uint (n, "bandwidth"), leaf (n, "a-end/node"),
				 leaf (n, "a-end/interface"), leaf (n, "sla-site"));

	l->carrier_name = leaf_dup (n, "carrier");
	l->circuit_id = leaf_dup (n, "circuit-id");
	l->z.node_name = leaf_dup (n, "z-end/node");
	l->z.interface = leaf_dup (n, "z-end/interface");
	return l;
}

static XnAccessUnit *
unit_from (const struct lyd_node *n)
{
	XnAccessUnit *u = xn_access_unit_new (leaf (n, "name"), leaf (n, "display-name"), leaf (n, "site"),
					      leaf (n, "uplink"));

	u->network_admin = contact_from (child (n, "network-admin"));
	u->security_contact = contact_from (child (n, "security-contact"));
	return u;
}

static XnInventory *
inventory_from (const struct lyd_node *tree, GError **error)
{
	g_autoptr(XnInventory) inv = xn_inventory_new ();
	const struct lyd_node *top = top_level (tree, INVENTORY_MODULE, "inventory");
	gboolean ok = TRUE;

	for (const struct lyd_node *n = top != NULL ? lyd_child (top) : NULL; n != NULL && ok; n = n->next) {
		if (is (n, "region"))
			ok = xn_inventory_add_region (inv, region_from (n), error);
		else if (is (n, "site"))
			ok = xn_inventory_add_site (inv, site_from (n), error);
		else if (is (n, "carrier"))
			ok = xn_inventory_add_carrier (inv, carrier_from (n), error);
		else if (is (n, "node"))
			ok = xn_inventory_add_node (inv, node_from (n), error);
		else if (is (n, "link"))
			ok = xn_inventory_add_link (inv, link_from (n), error);
		else if (is (n, "access-unit"))
			ok = xn_inventory_add_unit (inv, unit_from (n), error);
	}
	if (!ok || !xn_inventory_resolve (inv, error))
		return NULL;
	return g_steal_pointer (&inv);
}

/* The escalation leaf-list (its defaults when none was written); YANG
 * bounds the count and the values and keeps them unique. */
static void
escalation_from (XnPolicy *policy, const struct lyd_node *fault_repair)
{
	guint percents[XN_POLICY_MAX_ESCALATION], n = 0;

	for (const struct lyd_node *node = fault_repair != NULL ? lyd_child (fault_repair) : NULL; node != NULL;
	     node = node->next) {
		if (is (node, "escalation") && n < G_N_ELEMENTS (percents))
			percents[n++] = (guint) g_ascii_strtoull (lyd_get_value (node), NULL, 10);
	}
	if (n > 0)
		xn_policy_set_escalation (policy, percents, n);
}

static XnPolicy *
policy_from (const struct lyd_node *tree)
{
	XnPolicy *policy = xn_policy_new ();
	const struct lyd_node *top = top_level (tree, "extranoc-policy", "policy");
	const struct lyd_node *restore;

	/* Validation instantiated the policy container with its defaults even
	 * when no file had one; without it the regulation defaults stand. */
	if (top == NULL)
		return policy;
	xn_policy_set_timezone (policy, leaf (top, "timezone"));
	xn_policy_set_response_target (policy, (gint64) leaf_uint (top, "fault-repair/response-target") * G_USEC_PER_SEC);
	restore = child (top, "fault-repair/restore-target");
	for (const char *const *cls = (const char *const[]) { "county-unit", "core-room", "township", NULL }; *cls; cls++)
		xn_policy_set_restore_target (policy, *cls, (gint64) leaf_uint (restore, *cls) * G_USEC_PER_SEC);
	xn_policy_set_complex_target (policy, (gint64) leaf_uint (restore, "complex") * G_USEC_PER_SEC);
	xn_policy_set_correlation_window (policy, (gint64) leaf_uint (top, "outages/correlation-window") * G_USEC_PER_SEC);
	escalation_from (policy, child (top, "fault-repair"));
	xn_policy_set_flap_grace (policy, (gint64) leaf_uint (top, "fault-repair/flap-grace") * G_USEC_PER_SEC);
	xn_policy_set_noc_contact (policy, leaf (top, "fault-repair/noc-contact/name"),
				   leaf (top, "fault-repair/noc-contact/phone"), leaf (top, "fault-repair/noc-contact/email"));
	for (const struct lyd_node *n = lyd_child (restore); n != NULL; n = n->next) {
		if (is (n, "class"))
			xn_policy_set_restore_target (policy, sla_class (leaf (n, "sla-class")),
						      (gint64) leaf_uint (n, "target") * G_USEC_PER_SEC);
	}
	for (guint i = 0; i < XN_INITIATOR_COUNT; i++) {
		g_autofree char *path = g_strconcat ("notice/", xn_initiator_to_string (i), NULL);
		const struct lyd_node *n = child (top, path);
		XnNoticeRule rule = { 0 };

		/* One case of the lead choice is instantiated, the default one if none was set. */
		rule.kind = leaf (n, "working-days") != NULL ? XN_LEAD_WORKING_DAYS : XN_LEAD_DURATION;
		rule.working_days = (guint) leaf_uint (n, "working-days");
		rule.lead_time = (gint64) leaf_uint (n, "lead-time") * G_USEC_PER_SEC;
		rule.approval_required = g_strcmp0 (leaf (n, "approval-required"), "true") == 0;
		xn_policy_set_notice_rule (policy, i, &rule);
	}
	return policy;
}

static gboolean
secrets_from (const struct lyd_node *top, XnSecrets *secrets, GError **error)
{
	for (const struct lyd_node *n = lyd_child (top); n != NULL; n = n->next) {
		XnUsmAuth auth = XN_USM_AUTH_NONE;
		XnUsmPriv priv = XN_USM_PRIV_NONE;
		gboolean ok = TRUE;

		if (is (n, "snmp-community")) {
			ok = xn_secrets_add_community (secrets, leaf (n, "name"), leaf (n, "community"), error);
		} else if (is (n, "snmp-usm")) {
			if (leaf (n, "auth-protocol") != NULL)
				xn_usm_auth_from_string (leaf (n, "auth-protocol"), &auth);
			if (leaf (n, "priv-protocol") != NULL)
				xn_usm_priv_from_string (leaf (n, "priv-protocol"), &priv);
			ok = xn_secrets_add_usm (secrets, leaf (n, "name"), leaf (n, "user"), auth, leaf (n, "auth-password"),
						 priv, leaf (n, "priv-password"), error);
		} else if (is (n, "login")) {
			ok = xn_secrets_add_login (secrets, leaf (n, "name"), leaf (n, "username"), leaf (n, "password"), error);
		} else if (is (n, "token")) {
			ok = xn_secrets_add_token (secrets, leaf (n, "name"), leaf (n, "token"), error);
		}
		if (!ok)
			return FALSE;
	}
	return TRUE;
}

/* Every leaf of a secret but its name (and the protocols, which are not
 * secret and tell an operator what kind of key it is). */
static void
redact_secrets (struct lyd_node *top)
{
	static const char *const hidden[] = {
		"community", "user", "auth-password", "priv-password", "username", "password", "token",
	};

	for (struct lyd_node *entry = lyd_child (top); entry != NULL; entry = entry->next) {
		struct lyd_node *next;

		for (struct lyd_node *n = lyd_child (entry); n != NULL; n = next) {
			next = n->next;
			for (guint i = 0; i < G_N_ELEMENTS (hidden); i++) {
				LY_ERR r;

				if (!is (n, hidden[i]))
					continue;
				/* A value the type refuses to replace must go rather than stay. */
				r = lyd_change_term (n, "<redacted>");
				if (r != LY_SUCCESS && r != LY_EEXIST)
					lyd_free_tree (n);
				break;
			}
		}
	}
}

/* Inventory, policy, secrets, then anything else: the printed order must
 * not depend on the order of the files on the command line. */
static int
module_rank (const struct lyd_node *n)
{
	for (guint i = 0; i < G_N_ELEMENTS (own_modules); i++) {
		if (n->schema != NULL && strcmp (n->schema->module->name, own_modules[i]) == 0)
			return (int) i;
	}
	return (int) G_N_ELEMENTS (own_modules);
}

static struct lyd_node *
reorder_top_level (struct lyd_node *tree)
{
	g_autoptr(GPtrArray) tops = g_ptr_array_new ();
	struct lyd_node *first = NULL;

	for (struct lyd_node *n = tree; n != NULL; n = n->next)
		g_ptr_array_add (tops, n);
	for (int rank = 0; rank <= (int) G_N_ELEMENTS (own_modules); rank++) {
		for (guint i = 0; i < tops->len; i++) {
			struct lyd_node *n = g_ptr_array_index (tops, i);

			if (module_rank (n) != rank)
				continue;
			lyd_unlink_tree (n);
			if (first == NULL)
				first = n;
			else
				lyd_insert_sibling (first, n, &first);
		}
	}
	return first;
}

/* Turns the validated tree into the model and redacts its secrets. */
static gboolean
build (XnConfig *config, gboolean with_secrets, GError **error)
{
	struct lyd_node *secrets = (struct lyd_node *) top_level (config->tree, "extranoc-secrets", "secrets");

	config->inventory = inventory_from (config->tree, error);
	if (config->inventory == NULL)
		return FALSE;
	config->policy = policy_from (config->tree);
	if (with_secrets) {
		config->secrets = xn_secrets_new ();
		if (secrets != NULL && !secrets_from (secrets, config->secrets, error))
			return FALSE;
	}
	if (secrets != NULL)
		redact_secrets (secrets);
	/* Lookups of optional leaves that are absent may have logged. */
	ly_err_clean (config->ctx, NULL);
	return TRUE;
}

XnConfig *
xn_config_check (const char *yang_dir, const char *const *files, GPtrArray *problems, GError **error)
{
	g_autoptr(XnConfig) config = g_new0 (XnConfig, 1);
	g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_config_source_free);
	gboolean with_secrets = FALSE;

	g_return_val_if_fail (problems != NULL, NULL);
	if (files == NULL || files[0] == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "no configuration files given");
		return NULL;
	}
	config->ctx = context_new (yang_dir, error);
	if (config->ctx == NULL)
		return NULL;
	for (guint i = 0; files[i] != NULL; i++) {
		g_autoptr(ZeroedBytes) text = NULL;
		XnConfigSource *src;
		guint mode = 0;

		text = read_file (files[i], &mode, error);
		if (text == NULL)
			return NULL;
		src = xn_config_source_new (files[i], i, mode);
		g_ptr_array_add (sources, src);
		/* Also when it does not parse, so that libyang's message about
		 * it is redacted: it may quote any part of the file. */
		src->has_secrets = g_strstr_len ((const char *) text->data, text->len, "extranoc-secrets") != NULL ||
				   g_strstr_len ((const char *) text->data, text->len, "urn:extranoc:yang:secrets") != NULL;
		xn_config_check_parse (config->ctx, src, (const char *) text->data, text->len - 1,
				       is_xml (files[i], (const char *) text->data), problems);
		with_secrets |= src->has_secrets;
	}
	config->tree = xn_config_check_all (config->ctx, sources, problems);
	xn_config_problems_sort (problems);
	if (problems->len > 0 || config->tree == NULL) {
		g_set_error (error, XN_ERROR, XN_ERROR_CONFIG, "%u problem%s in the configuration",
			     problems->len, problems->len == 1 ? "" : "s");
		return NULL;
	}
	config->tree = reorder_top_level (config->tree);
	if (!build (config, with_secrets, error)) {
		g_prefix_error (error, "configuration passed the checks but does not load: ");
		return NULL;
	}
	return g_steal_pointer (&config);
}

XnConfig *
xn_config_load (const char *yang_dir, const char *const *files, GError **error)
{
	g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_config_problem_free);
	g_autoptr(GError) local = NULL;
	XnConfig *config = xn_config_check (yang_dir, files, problems, &local);
	g_autoptr(GString) text = NULL;

	if (config != NULL)
		return config;
	if (problems->len == 0) {
		g_propagate_error (error, g_steal_pointer (&local));
		return NULL;
	}
	text = g_string_new (local->message);
	for (guint i = 0; i < problems->len; i++) {
		g_autofree char *line = xn_config_problem_to_string (g_ptr_array_index (problems, i));

		g_string_append_printf (text, "\n%s", line);
	}
	g_set_error_literal (error, XN_ERROR, XN_ERROR_CONFIG, text->str);
	return NULL;
}

const XnInventory *
xn_config_get_inventory (const XnConfig *config)
{
	return config->inventory;
}

const XnPolicy *
xn_config_get_policy (const XnConfig *config)
{
	return config->policy;
}

const XnSecrets *
xn_config_get_secrets (const XnConfig *config)
{
	return config->secrets;
}

char *
xn_config_print (const XnConfig *config, XnConfigFormat format, GError **error)
{
	char *out = NULL;
	char *copy;

	if (lyd_print_mem (&out, config->tree, format == XN_CONFIG_FORMAT_XML ? LYD_XML : LYD_JSON,
			   LYD_PRINT_WITHSIBLINGS | LYD_PRINT_WD_ALL) != LY_SUCCESS) {
		set_ly_error (config->ctx, error, "cannot print the configuration");
		return NULL;
	}
	copy = g_strdup (out != NULL ? out : "");
	free (out);
	return copy;
}

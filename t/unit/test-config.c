/* test-config.c — lib/config*.c and lib/secrets.c: loading the configuration
 * through libyang into the plain-C model, and check-config's problems.
 *
 * The sample county (data/) must load and answer topology questions that
 * can be read off its JSON by hand. Each kind of bad file in
 * t/t0400-config-check.d/ must give exactly the lines of its NAME.ok (shared
 * with t/t0400-config-check.sh, which tests the command) and, written out
 * here independently, one line and the number of problems, so that a
 * regenerated .ok cannot quietly approve a wrong answer. The fixtures are
 * copied into a scratch directory first: secrets need mode 0600, which a
 * checkout does not keep, and problems name files as given. Every secret
 * value in the fixtures starts with "xn-sample-" or "xn-bad-"; none may
 * appear in a problem or in printed output. */
#include "test-util.h"
#include "config.h"
#include "config-lines.h"
#include "xn-error.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
	char *srcdir;       /* top of the source tree */
	char *scratch;      /* copy of the fixtures; the working directory */
	char *yang;         /* the project's modules */
	char *yang_extra;   /* those and the fixtures' example-local module */
} Fixtures;

typedef struct {
	const Fixtures *fx;
	const char     *name;          /* NAME.ok holds the expected lines */
	const char     *files[4];
	gboolean        extra_yang;
	guint           count;
	const char     *line;          /* one of them, written out by hand */
} BadCase;

static BadCase bad_cases[] = {
	{ NULL, "references", { "bad-references.json" }, FALSE, 10,
	  "bad-references.json:88: /extranoc-inventory:inventory/link[id='L1']/a-end/node: node 'ghost' does not exist" },
	{ NULL, "duplicates", { "bad-duplicates.json", "bad-duplicates-2.json" }, FALSE, 6,
	  "bad-duplicates-2.json:4: /extranoc-inventory:inventory/node[name='core']: node 'core' is defined twice (first at bad-duplicates.json:66)" },
	{ NULL, "addresses", { "bad-addresses.json" }, FALSE, 3,
	  "bad-addresses.json:54: /extranoc-inventory:inventory/node[name='core']/management-address: '192.0.2.300' is not a valid management-address" },
	{ NULL, "topology", { "bad-topology.json" }, FALSE, 6,
	  "bad-topology.json:84: /extranoc-inventory:inventory/node[name='a']/parent: the parent chain loops: a → b → c → a" },
	{ NULL, "deep", { "bad-deep.json" }, FALSE, 1,
	  "bad-deep.json:216: /extranoc-inventory:inventory/node[name='n13']/parent: the parent chain is 13 hops long; at most 12 are allowed" },
	{ NULL, "regions", { "bad-regions.json" }, FALSE, 4,
	  "bad-regions.json:29: /extranoc-inventory:inventory/region[name='t2']/parent: the parent of a township region must be a county; 'c' is a city" },
	{ NULL, "mandatory", { "bad-mandatory.json" }, FALSE, 9,
	  "bad-mandatory.json:113: /extranoc-inventory:inventory/link[id='L2']/z-end/interface: mandatory 'interface' is missing" },
	{ NULL, "credentials", { "bad-credentials.json", "secrets.json" }, FALSE, 5,
	  "bad-credentials.json:64: /extranoc-inventory:inventory/node[name='core']/snmp/credential: credential 'nope' is not defined in the secrets (no SNMP community of that name)" },
	{ NULL, "secrets", { "small.json", "bad-secrets.json" }, FALSE, 7,
	  "bad-secrets.json:18: /extranoc-secrets:secrets/snmp-usm[name='short']/auth-password: Unsatisfied length - string \"<redacted>\" length is not allowed." },
	{ NULL, "secrets-syntax", { "bad-secrets-syntax.json" }, FALSE, 1, NULL },
	{ NULL, "policy", { "small.json", "bad-policy.json" }, FALSE, 4,
	  "bad-policy.json:3: /extranoc-policy:policy/timezone: unknown time zone 'Mars/Olympus_Mons'" },
	/* The poller-group line comes from libyang's validation: only the
	 * example-local module's must knows that rule. */
	{ NULL, "local", { "bad-local.json", "local-policy.json" }, TRUE, 2,
	  "bad-local.json:88: /extranoc-inventory:inventory/node[name='acc']/poller-group: this county runs the pollers 'default' and 'north' only" },
	{ NULL, "unknown", { "bad-unknown.json" }, FALSE, 2,
	  "bad-unknown.json:58: /extranoc-inventory:inventory/node[name='core']/vendor: unknown element 'vendor' (not in the YANG model)" },
	{ NULL, "syntax-json", { "bad-syntax.json" }, FALSE, 1, NULL },
	{ NULL, "syntax-xml", { "bad-syntax.xml" }, FALSE, 1, NULL },
	{ NULL, "xml", { "bad.xml" }, FALSE, 2,
	  "bad.xml:26: /extranoc-inventory:inventory/node[name='edge']/parent: node 'nosuch' does not exist" },
	{ NULL, "parse-first", { "bad-references.json", "bad-syntax.json" }, FALSE, 1, NULL },
};

static void
assert_no_secret (const char *text)
{
	g_assert_null (strstr (text, "xn-sample-"));
	g_assert_null (strstr (text, "xn-bad-"));
}

static char *
problem_lines (const GPtrArray *problems)
{
	g_autoptr(GString) text = g_string_new (NULL);

	for (guint i = 0; i < problems->len; i++) {
		g_autofree char *line = xn_config_problem_to_string (g_ptr_array_index (problems, i));

		g_string_append_printf (text, "%s\n", line);
	}
	return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_bad_case (gconstpointer data)
{
	const BadCase *bc = data;
	g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_config_problem_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(XnConfig) config = NULL;
	g_autofree char *ok_file = g_strconcat (bc->name, ".ok", NULL);
	g_autofree char *expected = NULL;
	g_autofree char *actual = NULL;

	config = xn_config_check (bc->extra_yang ? bc->fx->yang_extra : bc->fx->yang, bc->files, problems, &error);
	g_assert_null (config);
	g_assert_error (error, XN_ERROR, XN_ERROR_CONFIG);
	actual = problem_lines (problems);
	g_assert_true (g_file_get_contents (ok_file, &expected, NULL, NULL));
	g_assert_cmpstr (actual, ==, expected);
	g_assert_cmpuint (problems->len, ==, bc->count);
	if (bc->line != NULL)
		g_assert_nonnull (strstr (actual, bc->line));
	assert_no_secret (actual);
}

static XnConfig *
load (const Fixtures *fx, const char *const *files)
{
	g_autoptr(GError) error = NULL;
	XnConfig *config = xn_config_load (fx->yang, files, &error);

	g_assert_no_error (error);
	g_assert_nonnull (config);
	return config;
}

/* "a,b" from an array of nodes, links or units: each starts with its name. */
static char *
names (const GPtrArray *objects)
{
	g_autoptr(GString) s = g_string_new (NULL);

	for (guint i = 0; i < objects->len; i++)
		g_string_append_printf (s, "%s%s", i > 0 ? "," : "", *(char **) g_ptr_array_index (objects, i));
	return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
test_sample_topology (gconstpointer data)
{
	const Fixtures *fx = data;
	g_autofree char *county = g_build_filename (fx->srcdir, "data", "sample-county.json", NULL);
	g_autofree char *policy = g_build_filename (fx->srcdir, "data", "policy-default.json", NULL);
	const char *files[] = { county, policy, "secrets.json", NULL };
	g_autoptr(XnConfig) config = load (fx, files);
	const XnInventory *inv = xn_config_get_inventory (config);
	XnNode *city = xn_inventory_node_by_name (inv, "city-core");
	XnNode *dong = xn_inventory_node_by_name (inv, "dong-core");
	XnNode *qingshan = xn_inventory_node_by_name (inv, "qingshan");
	g_autoptr(GPtrArray) below_dong = xn_inventory_units_below_node (inv, dong);
	g_autoptr(GPtrArray) below_city = xn_inventory_units_below_node (inv, city);
	g_autoptr(GPtrArray) below_qingshan = xn_inventory_units_below_node (inv, qingshan);
	g_autofree char *children = names (xn_inventory_children (inv, city));
	g_autofree char *dong_links = names (xn_inventory_links_of_node (inv, dong));
	g_autofree char *on_qingshan = names (xn_inventory_units_on_link (inv, xn_inventory_link_by_id (inv, "L-dong-qingshan")));
	g_autofree char *units_dong = names (below_dong);
	g_autofree char *units_qingshan = names (below_qingshan);
	XnCarrier *telecom = xn_inventory_carrier_by_name (inv, "telecom");
	XnCarrier *mobile = xn_inventory_carrier_by_name (inv, "mobile");
	XnLink *finance = xn_inventory_link_by_id (inv, "L-dong-finance");

	g_assert_cmpuint (xn_inventory_get_regions (inv)->len, ==, 9);
	g_assert_cmpuint (xn_inventory_get_sites (inv)->len, ==, 11);
	g_assert_cmpuint (xn_inventory_get_nodes (inv)->len, ==, 9);
	g_assert_cmpuint (xn_inventory_get_links (inv)->len, ==, 12);
	g_assert_cmpuint (xn_inventory_get_units (inv)->len, ==, 12);
	g_assert_true (dong->parent == city && qingshan->parent == dong && city->parent == NULL);
	g_assert_true (dong->maintainer == telecom);
	g_assert_cmpstr (children, ==, "dong-core,xi-core");
	g_assert_cmpstr (dong_links, ==, "L-city-dong,L-dong-qingshan,L-dong-baishui,L-dong-taohua,L-dong-finance,L-dong-health");
	g_assert_cmpstr (on_qingshan, ==, "qingshan-gov,qingshan-clinic");
	g_assert_cmpstr (units_dong, ==, "qingshan-gov,baishui-gov,taohua-gov,dong-finance,dong-health,qingshan-clinic");
	g_assert_cmpstr (units_qingshan, ==, "qingshan-gov,qingshan-clinic");
	g_assert_cmpuint (below_city->len, ==, 12);
	g_assert_cmpstr (xn_inventory_sla_class_of_link (inv, finance), ==, "county-unit");
	g_assert_cmpstr (xn_inventory_sla_class_of_link (inv, xn_inventory_link_by_id (inv, "L-city-xi")), ==, "core-room");
	g_assert_null (finance->z.node);
	g_assert_cmpstr (finance->z.interface, ==, "cpe-uplink");
	g_assert_cmpuint (finance->bandwidth_kbps, ==, 100000);
	g_assert_cmpstr (finance->circuit_id, ==, "DX-SAMPLE-0028");

	/* YANG defaults are in the model. */
	g_assert_cmpstr (dong->management_address, ==, "198.18.0.2");
	g_assert_cmpstr (dong->poller_group, ==, "default");
	g_assert_nonnull (dong->snmp);
	g_assert_null (dong->netconf);
	g_assert_true (dong->snmp->version == XN_SNMP_V2C);
	g_assert_cmpuint (dong->snmp->port, ==, 161);
	g_assert_cmpuint (dong->snmp->timeout_ms, ==, 2000);
	g_assert_cmpuint (dong->snmp->retries, ==, 1);
	g_assert_cmpuint (dong->snmp->interval_s, ==, 300);
	g_assert_cmpstr (dong->snmp->credential, ==, "simnet-v2c");

	g_assert_true (telecom->channel == XN_CHANNEL_SMTP);
	g_assert_cmpstr (telecom->recipients[0], ==, "noc-tickets@telecom.example");
	g_assert_null (telecom->recipients[1]);
	g_assert_cmpstr (((XnContact *) g_ptr_array_index (telecom->contacts, 0))->role, ==, "值班台");
	g_assert_true (mobile->channel == XN_CHANNEL_SPOOL);
	g_assert_cmpstr (mobile->address, ==, "/var/spool/extranoc/mobile");
	g_assert_cmpstr (xn_inventory_unit_by_name (inv, "dong-finance")->network_admin->email, ==, "dong-finance@gov.example");
	g_assert_cmpstr (xn_inventory_region_by_name (inv, "qingshan")->parent->name, ==, "dong-county");

	g_assert_cmpint (xn_policy_restore_target (xn_config_get_policy (config), "county-unit", FALSE), ==, 2 * G_TIME_SPAN_HOUR);
	g_assert_cmpstr (xn_secrets_community (xn_config_get_secrets (config), "simnet-v2c"), ==, "xn-sample-c0mmunity");
	g_assert_cmpstr (xn_secrets_login (xn_config_get_secrets (config), "smtp-relay")->password, ==, "xn-sample-login-pass");
	g_assert_true (xn_secrets_usm (xn_config_get_secrets (config), "core-v3")->auth_protocol == XN_USM_AUTH_SHA256);
	g_assert_cmpstr (xn_secrets_token (xn_config_get_secrets (config), "carrier-hook"), ==, "xn-sample-bearer-token");
}

static void
test_policy_defaults (gconstpointer data)
{
	const Fixtures *fx = data;
	g_autofree char *county = g_build_filename (fx->srcdir, "data", "sample-county.json", NULL);
	const char *files[] = { county, NULL };
	g_autoptr(XnConfig) config = load (fx, files);
	const XnPolicy *policy = xn_config_get_policy (config);
	const XnNoticeRule *carrier = xn_policy_notice_rule (policy, XN_INITIATOR_CARRIER);

	g_assert_null (xn_config_get_secrets (config));
	g_assert_cmpstr (xn_policy_get_timezone (policy), ==, "Asia/Shanghai");
	g_assert_cmpint (xn_policy_response_target (policy), ==, G_TIME_SPAN_HOUR);
	g_assert_cmpint (xn_policy_restore_target (policy, "township", FALSE), ==, 6 * G_TIME_SPAN_HOUR);
	g_assert_cmpint (xn_policy_restore_target (policy, "core-room", TRUE), ==, 48 * G_TIME_SPAN_HOUR);
	g_assert_cmpuint (xn_policy_notice_rule (policy, XN_INITIATOR_OPERATOR)->working_days, ==, 2);
	g_assert_true (xn_policy_notice_rule (policy, XN_INITIATOR_UNIT)->approval_required);
	g_assert_true (carrier->kind == XN_LEAD_DURATION && carrier->approval_required);
	g_assert_cmpint (carrier->lead_time, ==, 2 * G_TIME_SPAN_HOUR);
	g_assert_cmpint (xn_policy_correlation_window (policy), ==, 600 * G_TIME_SPAN_SECOND);
}

/* The outages' correlation window: read in seconds, 0 to a day. */
static void
test_policy_window (gconstpointer data)
{
	const Fixtures *fx = data;
	const char *files[] = { "small.json", "window.json", NULL };
	g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_config_problem_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(XnConfig) config = NULL;
	g_autofree char *printed = NULL;
	g_autofree char *line = NULL;

	g_assert_true (g_file_set_contents ("window.json", "{ \"extranoc-policy:policy\": { \"outages\": {\n"
					    "  \"correlation-window\": 60 } } }\n", -1, NULL));
	config = load (fx, files);
	g_assert_cmpint (xn_policy_correlation_window (xn_config_get_policy (config)), ==, 60 * G_TIME_SPAN_SECOND);
	printed = xn_config_print (config, XN_CONFIG_FORMAT_JSON, NULL);
	g_assert_nonnull (strstr (printed, "\"correlation-window\": 60"));
	g_clear_pointer (&config, xn_config_free);

	g_assert_true (g_file_set_contents ("window.json", "{ \"extranoc-policy:policy\": { \"outages\": {\n"
					    "  \"correlation-window\": 86401 } } }\n", -1, NULL));
	config = xn_config_check (fx->yang, files, problems, &error);
	g_assert_null (config);
	g_assert_cmpuint (problems->len, ==, 1);
	line = xn_config_problem_to_string (g_ptr_array_index (problems, 0));
	g_test_message ("%s", line);
	g_assert_true (g_str_has_prefix (line, "window.json:2: /extranoc-policy:policy/outages/correlation-window: "));
	g_assert_nonnull (strstr (line, "86401"));
	g_unlink ("window.json");
}

/* Escalation steps, flap grace and the NOC contact: read as written,
 * the steps sorted; the defaults without them; a repeated step or a
 * ninth one refused with the place. */
static void
test_policy_tickets (gconstpointer data)
{
	const Fixtures *fx = data;
	const char *files[] = { "small.json", "tickets.json", NULL };
	const char *only_small[] = { "small.json", NULL };
	g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_config_problem_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(XnConfig) config = NULL;
	const char *name, *phone, *email;
	const guint *steps;
	guint n;

	config = load (fx, only_small);
	steps = xn_policy_escalation (xn_config_get_policy (config), &n);
	g_assert_cmpuint (n, ==, 3);
	g_assert_cmpuint (steps[0], ==, 100);
	g_assert_cmpuint (steps[2], ==, 200);
	g_assert_cmpint (xn_policy_flap_grace (xn_config_get_policy (config)), ==, 600 * G_TIME_SPAN_SECOND);
	xn_policy_noc_contact (xn_config_get_policy (config), &name, &phone, &email);
	g_assert_null (name);
	g_clear_pointer (&config, xn_config_free);

	g_assert_true (g_file_set_contents ("tickets.json", "{ \"extranoc-policy:policy\": { \"fault-repair\": {\n"
					    "  \"escalation\": [300, 100, 120, 200], \"flap-grace\": 30,\n"
					    "  \"noc-contact\": { \"name\": \"市政务外网运维值班室\", \"phone\": \"0000-12345\",\n"
					    "                   \"email\": \"noc@example.gov\" } } } }\n", -1, NULL));
	config = load (fx, files);
	steps = xn_policy_escalation (xn_config_get_policy (config), &n);
	g_assert_cmpuint (n, ==, 4);
	g_assert_cmpuint (steps[0], ==, 100);
	g_assert_cmpuint (steps[1], ==, 120);
	g_assert_cmpuint (steps[2], ==, 200);
	g_assert_cmpuint (steps[3], ==, 300);
	g_assert_cmpint (xn_policy_flap_grace (xn_config_get_policy (config)), ==, 30 * G_TIME_SPAN_SECOND);
	xn_policy_noc_contact (xn_config_get_policy (config), &name, &phone, &email);
	g_assert_cmpstr (name, ==, "市政务外网运维值班室");
	g_assert_cmpstr (phone, ==, "0000-12345");
	g_assert_cmpstr (email, ==, "noc@example.gov");
	g_clear_pointer (&config, xn_config_free);

	g_assert_true (g_file_set_contents ("tickets.json", "{ \"extranoc-policy:policy\": { \"fault-repair\": {\n"
					    "  \"escalation\": [100, 150, 100] } } }\n", -1, NULL));
	config = xn_config_check (fx->yang, files, problems, &error);
	g_assert_null (config);
	g_assert_cmpuint (problems->len, >=, 1);
	for (guint i = 0; i < problems->len; i++) {
		g_autofree char *line = xn_config_problem_to_string (g_ptr_array_index (problems, i));

		g_test_message ("%s", line);
		g_assert_true (g_str_has_prefix (line, "tickets.json:2: "));
		g_assert_nonnull (strstr (line, "escalation"));
	}
	g_ptr_array_set_size (problems, 0);
	g_clear_error (&error);
	g_assert_true (g_file_set_contents ("tickets.json", "{ \"extranoc-policy:policy\": { \"fault-repair\": {\n"
					    "  \"escalation\": [1, 2, 3, 4, 5, 6, 7, 8, 9] } } }\n", -1, NULL));
	config = xn_config_check (fx->yang, files, problems, &error);
	g_assert_null (config);
	g_assert_cmpuint (problems->len, >=, 1);
	g_unlink ("tickets.json");
}

static void
test_policy_file (gconstpointer data)
{
	const Fixtures *fx = data;
	const char *files[] = { "bad-local.json", "local-policy.json", NULL };
	g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_config_problem_free);
	g_autoptr(GError) error = NULL;
	g_autoptr(XnConfig) config = NULL;
	g_autoptr(XnConfig) good = NULL;
	const char *good_files[] = { "small.json", "local-policy.json", NULL };

	/* A deployment's own class gets its target from the class list. */
	config = xn_config_check (fx->yang_extra, files, problems, &error);
	g_assert_null (config);
	good = xn_config_load (fx->yang_extra, good_files, NULL);
	g_assert_nonnull (good);
	g_assert_cmpint (xn_policy_restore_target (xn_config_get_policy (good), "example-local:village", FALSE),
			 ==, 8 * G_TIME_SPAN_HOUR);
}

static void
test_print (gconstpointer data)
{
	const Fixtures *fx = data;
	const char *json_files[] = { "small.json", "secrets.json", NULL };
	const char *xml_files[] = { "small.xml", "secrets.json", NULL };
	g_autoptr(XnConfig) from_json = load (fx, json_files);
	g_autoptr(XnConfig) from_xml = load (fx, xml_files);
	g_autofree char *a = xn_config_print (from_json, XN_CONFIG_FORMAT_JSON, NULL);
	g_autofree char *b = xn_config_print (from_xml, XN_CONFIG_FORMAT_JSON, NULL);
	g_autofree char *x = xn_config_print (from_json, XN_CONFIG_FORMAT_XML, NULL);

	g_assert_cmpstr (a, ==, b);
	g_assert_true (g_str_has_prefix (a, "{\n  \"extranoc-inventory:inventory\": {"));
	g_assert_nonnull (strstr (a, "\"poller-group\": \"default\""));
	g_assert_nonnull (strstr (a, "\"extranoc-policy:policy\""));
	g_assert_nonnull (strstr (a, "\"community\": \"<redacted>\""));
	g_assert_nonnull (strstr (a, "\"auth-protocol\": \"sha-256\""));
	g_assert_true (g_str_has_prefix (x, "<inventory xmlns=\"urn:extranoc:yang:inventory\">"));
	assert_no_secret (a);
	assert_no_secret (x);
	/* The model keeps the values the printed tree no longer has. */
	g_assert_cmpstr (xn_secrets_community (xn_config_get_secrets (from_xml), "simnet-v2c"), ==, "xn-sample-c0mmunity");
}

/* Checks small.json with a copy of secrets.json of the given mode. */
static void
check_secrets_mode (const Fixtures *fx, guint mode, GPtrArray *problems, XnConfig **config)
{
	g_autofree char *text = NULL;
	gsize length = 0;
	const char *files[] = { "small.json", "moded-secrets.json", NULL };

	g_assert_true (g_file_get_contents ("secrets.json", &text, &length, NULL));
	g_remove ("moded-secrets.json");
	g_assert_true (g_file_set_contents_full ("moded-secrets.json", text, (gssize) length,
						 G_FILE_SET_CONTENTS_NONE, (int) mode, NULL));
	g_assert_cmpint (g_chmod ("moded-secrets.json", (int) mode), ==, 0);
	*config = xn_config_check (fx->yang, files, problems, NULL);
}

static void
test_secrets_mode (gconstpointer data)
{
	const Fixtures *fx = data;
	static const guint refused[] = { 0644, 0640, 0604, 0660, 0666 };
	static const guint accepted[] = { 0600, 0400 };

	for (guint i = 0; i < G_N_ELEMENTS (refused); i++) {
		g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_config_problem_free);
		g_autoptr(XnConfig) config = NULL;
		g_autofree char *expected = g_strdup_printf (
			"moded-secrets.json:2: /extranoc-secrets:secrets: secrets file moded-secrets.json has mode %04o: "
			"group and others must have no access (chmod 600 moded-secrets.json)\n", refused[i]);
		g_autofree char *lines = NULL;

		check_secrets_mode (fx, refused[i], problems, &config);
		g_assert_null (config);
		lines = problem_lines (problems);
		g_assert_cmpstr (lines, ==, expected);
	}
	for (guint i = 0; i < G_N_ELEMENTS (accepted); i++) {
		g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_config_problem_free);
		g_autoptr(XnConfig) config = NULL;

		check_secrets_mode (fx, accepted[i], problems, &config);
		g_assert_nonnull (config);
		g_assert_cmpuint (problems->len, ==, 0);
		g_assert_true (xn_secrets_has (xn_config_get_secrets (config), XN_SECRET_TOKEN, "carrier-hook"));
	}
	g_remove ("moded-secrets.json");
}

static void
test_load_error (gconstpointer data)
{
	const Fixtures *fx = data;
	const char *files[] = { "bad-references.json", NULL };
	const char *missing[] = { "small.json", "nosuch.json", NULL };
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) io_error = NULL;
	g_autoptr(GError) dir_error = NULL;
	g_auto(GStrv) lines = NULL;

	g_assert_null (xn_config_load (fx->yang, files, &error));
	g_assert_error (error, XN_ERROR, XN_ERROR_CONFIG);
	lines = g_strsplit (error->message, "\n", -1);
	g_assert_cmpuint (g_strv_length (lines), ==, 11);
	g_assert_cmpstr (lines[0], ==, "10 problems in the configuration");
	g_assert_cmpstr (lines[3], ==, "bad-references.json:64: /extranoc-inventory:inventory/node[name='agg']/parent: node 'nosuch' does not exist");
	g_assert_null (xn_config_load (fx->yang, missing, &io_error));
	g_assert_error (io_error, XN_ERROR, XN_ERROR_IO);
	g_assert_null (xn_config_load ("nosuch-dir", files, &dir_error));
	g_assert_error (dir_error, XN_ERROR, XN_ERROR_NOT_FOUND);
}

static void
test_default_yang_dir (void)
{
	g_autofree char *saved = g_strdup (g_getenv ("EXTRANOC_YANG_DIR"));
	g_autofree char *from_env = NULL;
	g_autofree char *installed = NULL;

	g_setenv ("EXTRANOC_YANG_DIR", "/some/where", TRUE);
	from_env = xn_config_default_yang_dir ();
	g_unsetenv ("EXTRANOC_YANG_DIR");
	installed = xn_config_default_yang_dir ();
	if (saved != NULL)
		g_setenv ("EXTRANOC_YANG_DIR", saved, TRUE);
	g_assert_cmpstr (from_env, ==, "/some/where");
	g_assert_cmpstr (installed, ==, XN_DATADIR "/yang");
}

static void
test_secrets_model (void)
{
	g_autoptr(XnSecrets) secrets = xn_secrets_new ();
	g_autoptr(GError) dup = NULL;
	g_autoptr(GError) priv = NULL;
	g_autoptr(GError) pair = NULL;
	g_autoptr(GError) mode = NULL;
	g_auto(GStrv) logins = NULL;
	const XnSnmpUsm *usm;
	XnUsmAuth auth;
	XnUsmPriv cipher;

	g_assert_true (xn_secrets_add_community (secrets, "ro", "xn-bad-1", NULL));
	g_assert_false (xn_secrets_add_community (secrets, "ro", "xn-bad-2", &dup));
	g_assert_error (dup, XN_ERROR, XN_ERROR_INVALID);
	g_assert_cmpstr (dup->message, ==, "SNMP community 'ro' is defined twice");
	g_assert_cmpstr (xn_secrets_community (secrets, "ro"), ==, "xn-bad-1");
	g_assert_true (xn_secrets_add_usm (secrets, "v3", "user", XN_USM_AUTH_SHA, "xn-bad-auth",
					   XN_USM_PRIV_AES, "xn-bad-priv", NULL));
	g_assert_false (xn_secrets_add_usm (secrets, "v3b", "user", XN_USM_AUTH_NONE, NULL,
					    XN_USM_PRIV_AES, "xn-bad-priv", &priv));
	g_assert_cmpstr (priv->message, ==, "SNMPv3 user 'v3b': privacy needs authentication");
	g_assert_false (xn_secrets_add_usm (secrets, "v3c", "user", XN_USM_AUTH_MD5, NULL,
					    XN_USM_PRIV_NONE, NULL, &pair));
	g_assert_nonnull (pair);
	assert_no_secret (dup->message);
	usm = xn_secrets_usm (secrets, "v3");
	g_assert_true (usm->auth_protocol == XN_USM_AUTH_SHA && usm->priv_protocol == XN_USM_PRIV_AES);
	g_assert_cmpstr (usm->priv_password, ==, "xn-bad-priv");
	g_assert_true (xn_secrets_add_login (secrets, "b-login", "u", "p", NULL));
	g_assert_true (xn_secrets_add_login (secrets, "a-login", "u", "p", NULL));
	g_assert_false (xn_secrets_add_login (secrets, "c-login", "u", NULL, NULL));
	logins = xn_secrets_list (secrets, XN_SECRET_LOGIN);
	g_assert_cmpuint (g_strv_length (logins), ==, 2);
	g_assert_cmpstr (logins[0], ==, "a-login");
	g_assert_true (xn_secrets_add_token (secrets, "hook", "xn-bad-token", NULL));
	/* Kinds do not mix: a token named like a community is another secret. */
	g_assert_true (xn_secrets_add_token (secrets, "ro", "xn-bad-token-2", NULL));
	g_assert_false (xn_secrets_has (secrets, XN_SECRET_LOGIN, "hook"));
	g_assert_true (xn_secrets_has (secrets, XN_SECRET_TOKEN, "hook"));
	g_assert_null (xn_secrets_login (secrets, "nosuch"));

	g_assert_true (xn_secrets_check_mode ("s.json", 0100600, NULL));
	g_assert_true (xn_secrets_check_mode ("s.json", 0100400, NULL));
	g_assert_false (xn_secrets_check_mode ("s.json", 0100604, &mode));
	g_assert_error (mode, XN_ERROR, XN_ERROR_PERMISSION);
	g_assert_nonnull (strstr (mode->message, "s.json has mode 0604"));
	g_assert_true (xn_usm_auth_from_string ("sha-512", &auth) && auth == XN_USM_AUTH_SHA512);
	g_assert_true (xn_usm_priv_from_string ("aes-192", &cipher) && cipher == XN_USM_PRIV_AES192);
	g_assert_false (xn_usm_priv_from_string ("rot13", &cipher));
}

static void
test_redact (void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "Unsatisfied length - string \"xn-bad-\" length is not allowed.",
		  "Unsatisfied length - string \"<redacted>\" length is not allowed." },
		/* A value holding quotes stays inside the first and the last one. */
		{ "Invalid value \"a\"b\"c\" here.", "Invalid value \"<redacted>\" here." },
		{ "Unterminated \"xn-bad-rest", "Unterminated \"<redacted>\"" },
		{ "Invalid character 0x0a5f in string.", "Invalid character \"<redacted>\" in string." },
		{ "Single 'xn-bad-q' quotes.", "Single \"<redacted>\" quotes." },
		{ "Nothing to hide.", "Nothing to hide." },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *out = xn_config_redact (cases[i].in);

		g_assert_cmpstr (out, ==, cases[i].out);
	}
}

static void
assert_line (const XnLineNode *node, const char *name, guint line)
{
	g_assert_nonnull (node);
	g_assert_cmpstr (node->name, ==, name);
	g_assert_cmpuint (node->line, ==, line);
}

#define CHILD(node, i) ((const XnLineNode *) g_ptr_array_index ((node)->children, (i)))

static void
test_lines_json (void)
{
	static const char text[] =
		"{\n"                                        /* 1 */
		"  \"extranoc-inventory:inventory\": {\n"    /* 2 */
		"    \"node\": [\n"                          /* 3 */
		"      { \"name\": \"a\\\"b\",\n"            /* 4 */
		"        \"@name\": {\"x\": 1},\n"           /* 5: metadata, skipped */
		"        \"snmp\": {\"port\": 161} },\n"     /* 6 */
		"      {\n"                                  /* 7 */
		"        \"name\": \"c\", \"tags\": [\"x\",\n" /* 8 */
		"          \"y\"], \"on\": true, \"n\": null, \"f\": -1.5e3\n" /* 9 */
		"      }\n"
		"    ]\n"
		"  }\n"
		"}\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(XnLineNode) root = xn_lines_scan_json (text, strlen (text), &error);
	g_autoptr(XnLineNode) broken = NULL;
	const XnLineNode *inv, *second;

	g_assert_no_error (error);
	inv = CHILD (root, 0);
	assert_line (inv, "inventory", 2);
	g_assert_cmpuint (inv->children->len, ==, 2);
	assert_line (CHILD (inv, 0), "node", 4);
	assert_line (CHILD (CHILD (inv, 0), 0), "name", 4);
	g_assert_cmpuint (CHILD (inv, 0)->children->len, ==, 2);
	assert_line (CHILD (CHILD (inv, 0), 1), "snmp", 6);
	assert_line (CHILD (CHILD (CHILD (inv, 0), 1), 0), "port", 6);
	second = CHILD (inv, 1);
	assert_line (second, "node", 7);
	assert_line (CHILD (second, 1), "tags", 8);
	assert_line (CHILD (second, 2), "tags", 9);
	assert_line (CHILD (second, 5), "f", 9);

	broken = xn_lines_scan_json ("{\n \"a\": 1\n \"b\": 2 }", 19, &error);
	g_assert_null (broken);
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
	g_assert_cmpstr (error->message, ==, "line 3: expected ',' or '}' in an object");
}

static void
test_lines_xml (void)
{
	static const char text[] =
		"<?xml version=\"1.0\"?>\n"                      /* 1 */
		"<!-- a comment with <node> in it\n"             /* 2 */
		"     over two lines -->\n"                      /* 3 */
		"<x:inventory xmlns:x=\"urn:extranoc:yang:inventory\"\n" /* 4 */
		"    a='1>2'>\n"                                 /* 5 */
		"  <x:node><x:name>a</x:name>\n"                 /* 6 */
		"    <x:snmp/>\n"                                /* 7 */
		"    <x:display-name><![CDATA[<b>]]></x:display-name>\n" /* 8 */
		"  </x:node>\n"
		"  <x:node>\n"                                   /* 10 */
		"  </x:node>\n"
		"</x:inventory>\n"
		"<policy/>\n";                                   /* 13 */
	g_autoptr(GError) error = NULL;
	g_autoptr(XnLineNode) root = xn_lines_scan_xml (text, strlen (text), &error);
	g_autoptr(XnLineNode) broken = NULL;
	const XnLineNode *inv;

	g_assert_no_error (error);
	g_assert_cmpuint (root->children->len, ==, 2);
	inv = CHILD (root, 0);
	assert_line (inv, "inventory", 4);
	assert_line (CHILD (root, 1), "policy", 13);
	assert_line (CHILD (inv, 0), "node", 6);
	assert_line (CHILD (CHILD (inv, 0), 0), "name", 6);
	assert_line (CHILD (CHILD (inv, 0), 1), "snmp", 7);
	assert_line (CHILD (CHILD (inv, 0), 2), "display-name", 8);
	g_assert_cmpuint (CHILD (inv, 0)->children->len, ==, 3);
	assert_line (CHILD (inv, 1), "node", 10);

	broken = xn_lines_scan_xml ("<a>\n<b>\n</b>\n", 13, &error);
	g_assert_null (broken);
	g_assert_error (error, XN_ERROR, XN_ERROR_INVALID);
}

static void
test_problems (void)
{
	g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_config_problem_free);
	g_autofree char *lines = NULL;
	g_autofree char *path = NULL;
	g_autofree char *cut = g_strdup ("/m:a/b[x='1/2']/c");
	gboolean schema;
	guint line;

	xn_config_problem_add (problems, "b.json", 1, 3, "/m:a", g_strdup ("late file"));
	xn_config_problem_add (problems, "a.json", 0, 9, "/m:a/z", g_strdup ("line\nbreak  and   spaces"));
	xn_config_problem_add (problems, "a.json", 0, 2, NULL, g_strdup ("no path"));
	xn_config_problem_add (problems, "a.json", 0, 9, "/m:a/z", g_strdup ("line\nbreak  and   spaces"));
	xn_config_problems_sort (problems);
	lines = problem_lines (problems);
	g_assert_cmpstr (lines, ==,
			 "a.json:2: /: no path\n"
			 "a.json:9: /m:a/z: line break and spaces\n"
			 "b.json:3: /m:a: late file\n");

	xn_config_parse_location ("Data location \"/m:a/b[x='q']\", line number 12.", &path, &schema, &line);
	g_assert_cmpstr (path, ==, "/m:a/b[x='q']");
	g_assert_false (schema);
	g_assert_cmpuint (line, ==, 12);
	g_clear_pointer (&path, g_free);
	xn_config_parse_location ("Schema location \"/m:a/b\".", &path, &schema, &line);
	g_assert_true (schema);
	g_assert_cmpuint (line, ==, 0);

	g_assert_true (xn_config_problems_cover (problems, "/m:a/z/deeper", "x"));
	g_assert_true (xn_config_problems_cover (problems, "/m:a", "x"));
	g_assert_false (xn_config_problems_cover (problems, "/m:ab", "x"));
	g_assert_true (xn_config_problems_cover (problems, "/m:other", "names \"/m:a/z\" too"));
	g_assert_true (xn_config_path_cut (cut));
	g_assert_cmpstr (cut, ==, "/m:a/b[x='1/2']");
	g_assert_true (xn_config_path_cut (cut));
	g_assert_true (xn_config_path_cut (cut) == FALSE);
	g_assert_cmpstr (cut, ==, "/m:a");
}

/* Copies the regular files of `from` into `to` (made if missing). */
static void
copy_files (const char *from, const char *to, const char *suffix)
{
	g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
	const char *name;

	g_assert_nonnull (dir);
	g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
	while ((name = g_dir_read_name (dir)) != NULL) {
		g_autofree char *src = g_build_filename (from, name, NULL);
		g_autofree char *dst = g_build_filename (to, name, NULL);
		g_autofree char *text = NULL;
		gsize length;

		if (!g_file_test (src, G_FILE_TEST_IS_REGULAR) || (suffix != NULL && !g_str_has_suffix (name, suffix)))
			continue;
		g_assert_true (g_file_get_contents (src, &text, &length, NULL));
		g_assert_true (g_file_set_contents (dst, text, (gssize) length, NULL));
	}
}

static void
fixtures_init (Fixtures *fx)
{
	const char *top = g_getenv ("top_srcdir");
	g_autofree char *fixtures = NULL;
	g_autofree char *modules = NULL;
	g_autofree char *extra = NULL;
	g_autoptr(GError) error = NULL;
	static const char *const secret_files[] = { "secrets.json", "bad-secrets.json", "bad-secrets-syntax.json" };

	/* make check exports top_srcdir; by hand, run from the top of the tree. */
	fx->srcdir = g_canonicalize_filename (top != NULL ? top : ".", NULL);
	fixtures = g_build_filename (fx->srcdir, "t", "t0400-config-check.d", NULL);
	modules = g_build_filename (fx->srcdir, "yang", NULL);
	extra = g_build_filename (fixtures, "yang-extra", NULL);
	fx->scratch = g_dir_make_tmp ("test-config-XXXXXX", &error);
	g_assert_no_error (error);
	fx->yang = g_build_filename (fx->scratch, "yang", NULL);
	fx->yang_extra = g_build_filename (fx->scratch, "yang-extra", NULL);
	copy_files (fixtures, fx->scratch, NULL);
	copy_files (modules, fx->yang, ".yang");
	copy_files (modules, fx->yang_extra, ".yang");
	copy_files (extra, fx->yang_extra, ".yang");
	g_assert_cmpint (g_chdir (fx->scratch), ==, 0);
	for (guint i = 0; i < G_N_ELEMENTS (secret_files); i++)
		g_assert_cmpint (g_chmod (secret_files[i], 0600), ==, 0);
}

static void
fixtures_clear (Fixtures *fx)
{
	g_assert_cmpint (g_chdir (fx->srcdir), ==, 0);
	xn_test_remove_tree (fx->scratch);
	g_free (fx->srcdir);
	g_free (fx->scratch);
	g_free (fx->yang);
	g_free (fx->yang_extra);
}

int
main (int argc, char **argv)
{
	Fixtures fx = { 0 };
	int status;

	g_test_init (&argc, &argv, NULL);
	fixtures_init (&fx);
	for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++) {
		g_autofree char *path = g_strconcat ("/config/bad/", bad_cases[i].name, NULL);

		bad_cases[i].fx = &fx;
		g_test_add_data_func (path, &bad_cases[i], test_bad_case);
	}
	g_test_add_data_func ("/config/sample/topology", &fx, test_sample_topology);
	g_test_add_data_func ("/config/sample/policy-defaults", &fx, test_policy_defaults);
	g_test_add_data_func ("/config/policy/own-class", &fx, test_policy_file);
	g_test_add_data_func ("/config/policy/correlation-window", &fx, test_policy_window);
	g_test_add_data_func ("/config/policy/tickets", &fx, test_policy_tickets);
	g_test_add_data_func ("/config/print/json-xml-redacted", &fx, test_print);
	g_test_add_data_func ("/config/secrets/mode", &fx, test_secrets_mode);
	g_test_add_data_func ("/config/load/error", &fx, test_load_error);
	g_test_add_func ("/config/yang-dir", test_default_yang_dir);
	g_test_add_func ("/config/secrets/model", test_secrets_model);
	g_test_add_func ("/config/redact", test_redact);
	g_test_add_func ("/config/lines/json", test_lines_json);
	g_test_add_func ("/config/lines/xml", test_lines_xml);
	g_test_add_func ("/config/problems", test_problems);
	status = g_test_run ();
	fixtures_clear (&fx);
	return status;
}

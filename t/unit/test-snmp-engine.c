/* test-snmp-engine.c — the SNMP engine (poller/engine.c, with
 * poller/snmp-session.c under it) against a real Net-SNMP snmpd that the
 * test starts on 127.0.0.1 and against t/tools/badagent: the window of
 * requests in flight, sessions kept across polls, SNMPv3 engine ID discovery
 * that does not hold up other polls, authentication failures and timeouts,
 * refusal of a second poll of a busy node, cancellation on free (also from a
 * callback), new secrets taking effect, and the GETNEXT fallback remembered
 * from one poll to the next. Skipped when snmpd is not installed. */
#include "engine.h"
#include "xn-error.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
	char       *dir;
	GPid        snmpd;
	guint16     port;          /* snmpd on 127.0.0.1 */
	guint16     dead_port;     /* nothing listens */
	char       *badagent;      /* path, or NULL when not built */
	XnSecrets  *secrets;
} Lab;

typedef struct {
	GMainLoop *loop;
	GPtrArray *samples;        /* in the order they finished */
	guint      expected;
	XnSnmpEngine *free_me;     /* freed from the first callback */
} Collect;

/* The agents the tests start go when the test does, even when an
 * assertion aborts it before its clean-up. */
static void
die_with_parent (gpointer user_data)
{
	prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static guint16
free_udp_port (void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int fd = socket (AF_INET, SOCK_DGRAM, 0);

	g_assert_cmpint (bind (fd, (struct sockaddr *) &a, sizeof a), ==, 0);
	g_assert_cmpint (getsockname (fd, (struct sockaddr *) &a, &len), ==, 0);
	close (fd);
	return ntohs (a.sin_port);
}

static XnNode *
lab_node (const char *name, guint16 port, XnSnmpVersion version, const char *credential, guint timeout_ms,
	  guint retries)
{
	XnNode *node = xn_node_new (name, XN_NODE_ACCESS, "lab", "127.0.0.1");

	node->snmp = xn_snmp_endpoint_new (credential);
	node->snmp->port = port;
	node->snmp->version = version;
	node->snmp->timeout_ms = timeout_ms;
	node->snmp->retries = retries;
	return node;
}

static void
on_sample (XnNodeSample *sample, gpointer user_data)
{
	Collect *c = user_data;

	g_ptr_array_add (c->samples, sample);
	if (c->free_me != NULL)
		g_clear_pointer (&c->free_me, xn_snmp_engine_free);
	if (c->samples->len == c->expected)
		g_main_loop_quit (c->loop);
}

static gboolean
on_too_long (gpointer user_data)
{
	g_error ("the engine test took more than 20 s");
	return G_SOURCE_REMOVE;
}

static void
collect_init (Collect *c, guint expected)
{
	c->loop = g_main_loop_new (NULL, FALSE);
	c->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_node_sample_free);
	c->expected = expected;
	c->free_me = NULL;
}

static void
collect_run (Collect *c)
{
	guint guard = g_timeout_add_seconds (20, on_too_long, NULL);

	g_main_loop_run (c->loop);
	g_source_remove (guard);
}

static void
collect_clear (Collect *c)
{
	g_ptr_array_unref (c->samples);
	g_main_loop_unref (c->loop);
}

static XnNodeSample *
poll_once (XnSnmpEngine *engine, const XnNode *node)
{
	Collect c;
	XnNodeSample *s;

	collect_init (&c, 1);
	xn_snmp_engine_poll (engine, node, on_sample, &c);
	collect_run (&c);
	s = g_ptr_array_steal_index (c.samples, 0);
	collect_clear (&c);
	return s;
}

static gboolean
lab_start (Lab *lab)
{
	g_autofree char *snmpd = g_find_program_in_path ("snmpd");
	g_autofree char *conf = NULL;
	g_autofree char *text = NULL;
	g_autofree char *log = NULL;
	g_autofree char *env_dir = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(XnSnmpEngine) engine = NULL;
	g_autoptr(XnNode) probe = NULL;
	const char *top = g_getenv ("top_builddir");

	if (snmpd == NULL && g_file_test ("/usr/sbin/snmpd", G_FILE_TEST_IS_EXECUTABLE))
		snmpd = g_strdup ("/usr/sbin/snmpd");
	if (snmpd == NULL)
		return FALSE;
	lab->dir = g_dir_make_tmp ("test-snmp-poll-XXXXXX", &error);
	g_assert_no_error (error);
	lab->port = free_udp_port ();
	lab->dead_port = free_udp_port ();
	conf = g_build_filename (lab->dir, "snmpd.conf", NULL);
	log = g_build_filename (lab->dir, "snmpd.log", NULL);
	text = g_strdup_printf ("[snmp] persistentDir %s\n"
				"agentAddress udp:127.0.0.1:%u\n"
				"rocommunity lab-v2 127.0.0.1\n"
				"createUser labauth SHA \"lab-auth-pass\"\n"
				"createUser labpriv SHA \"lab-auth-pass2\" AES \"lab-priv-pass2\"\n"
				"rouser labauth auth\nrouser labpriv priv\n", lab->dir, lab->port);
	g_file_set_contents (conf, text, -1, &error);
	g_assert_no_error (error);
	{
		const char *argv[] = { snmpd, "-f", "-C", "-c", conf, "-Lf", log, NULL };
		g_auto(GStrv) env = g_get_environ ();

		env_dir = g_strdup (lab->dir);
		env = g_environ_setenv (env, "SNMP_PERSISTENT_DIR", env_dir, TRUE);
		env = g_environ_setenv (env, "MIBS", ":", TRUE);
		g_spawn_async (NULL, (char **) argv, env, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
			       G_SPAWN_STDERR_TO_DEV_NULL, die_with_parent, NULL, &lab->snmpd, &error);
		g_assert_no_error (error);
	}
	lab->secrets = xn_secrets_new ();
	xn_secrets_add_community (lab->secrets, "v2", "lab-v2", &error);
	xn_secrets_add_community (lab->secrets, "public", "public", &error);
	xn_secrets_add_community (lab->secrets, "wrong", "not-lab-v2", &error);
	xn_secrets_add_usm (lab->secrets, "auth", "labauth", XN_USM_AUTH_SHA, "lab-auth-pass", XN_USM_PRIV_NONE,
			    NULL, &error);
	xn_secrets_add_usm (lab->secrets, "priv", "labpriv", XN_USM_AUTH_SHA, "lab-auth-pass2", XN_USM_PRIV_AES,
			    "lab-priv-pass2", &error);
	xn_secrets_add_usm (lab->secrets, "bad", "labauth", XN_USM_AUTH_SHA, "not-the-password", XN_USM_PRIV_NONE,
			    NULL, &error);
	g_assert_no_error (error);
	if (top != NULL) {
		lab->badagent = g_build_filename (top, "t", "tools", "badagent", NULL);
		if (!g_file_test (lab->badagent, G_FILE_TEST_IS_EXECUTABLE))
			g_clear_pointer (&lab->badagent, g_free);
	}

	/* ready when it answers, polled, not slept for */
	engine = xn_snmp_engine_new (NULL, lab->secrets, 1, &error);
	g_assert_no_error (error);
	probe = lab_node ("ready", lab->port, XN_SNMP_V2C, "v2", 200, 0);
	for (guint i = 0; i < 50; i++) {
		g_autoptr(XnNodeSample) s = poll_once (engine, probe);

		if (s->result == XN_POLL_OK)
			return TRUE;
	}
	g_error ("snmpd did not answer on 127.0.0.1:%u within 10 s; see %s", lab->port, log);
	return FALSE;
}

static void
lab_stop (Lab *lab)
{
	if (lab->snmpd > 0) {
		kill (lab->snmpd, SIGTERM);
		waitpid (lab->snmpd, NULL, 0);
		g_spawn_close_pid (lab->snmpd);
	}
	if (lab->dir != NULL) {
		g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", lab->dir);

		g_assert_cmpint (system (cmd), ==, 0);
	}
	g_free (lab->dir);
	g_free (lab->badagent);
	xn_secrets_free (lab->secrets);
}

#define NEED_LAB(lab) G_STMT_START {                  \
		if ((lab)->snmpd == 0) {                \
			g_test_skip ("snmpd is not installed"); \
			return;                         \
		}                                       \
	} G_STMT_END

static void
test_engine_window (gconstpointer data)
{
	const Lab *lab = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(XnSnmpEngine) engine = NULL;
	g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_node_free);
	XnSnmpEngineStats st;
	Collect c;

	NEED_LAB (lab);
	engine = xn_snmp_engine_new (NULL, lab->secrets, 3, &error);
	g_assert_no_error (error);
	collect_init (&c, 12);
	for (guint i = 0; i < 12; i++) {
		g_autofree char *name = g_strdup_printf ("n%u", i);

		g_ptr_array_add (nodes, lab_node (name, lab->port, i % 3 == 2 ? XN_SNMP_V3 : XN_SNMP_V2C,
						  i % 3 == 2 ? "priv" : "v2", 2000, 1));
		xn_snmp_engine_poll (engine, g_ptr_array_index (nodes, i), on_sample, &c);
	}
	/* nothing is called back from inside poll() */
	g_assert_cmpuint (c.samples->len, ==, 0);
	collect_run (&c);
	for (guint i = 0; i < c.samples->len; i++) {
		const XnNodeSample *s = g_ptr_array_index (c.samples, i);

		g_assert_cmpint (s->result, ==, XN_POLL_OK);
		g_assert_cmpuint (s->interfaces->len, >, 0);
		g_assert_cmpint (s->response_us, >, 0);
		g_assert_cmpint (s->finished, >=, s->started);
	}
	xn_snmp_engine_get_stats (engine, &st);
	g_assert_cmpuint (st.in_flight_max, ==, 3);
	g_assert_cmpuint (st.in_flight, ==, 0);
	g_assert_cmpuint (st.polls_started, ==, 12);
	g_assert_cmpuint (st.polls_finished, ==, 12);
	g_assert_cmpuint (st.sessions_opened, ==, 12);
	g_assert_cmpuint (st.varbinds_decoded, >, 12 * 20);
	g_assert_cmpuint (st.bulk_requests, ==, st.requests_sent);
	collect_clear (&c);
}

static void
test_engine_reuse (gconstpointer data)
{
	const Lab *lab = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(XnSnmpEngine) engine = xn_snmp_engine_new (NULL, lab->secrets, 8, &error);
	g_autoptr(XnNode) auth = lab_node ("auth", lab->port, XN_SNMP_V3, "auth", 2000, 1);
	g_autoptr(XnNode) priv = lab_node ("priv", lab->port, XN_SNMP_V3, "priv", 2000, 1);
	XnSnmpEngineStats st;
	guint64 sent = 0;

	NEED_LAB (lab);
	for (guint i = 0; i < 3; i++) {
		g_autoptr(XnNodeSample) a = poll_once (engine, auth);
		g_autoptr(XnNodeSample) p = poll_once (engine, priv);

		g_assert_cmpint (a->result, ==, XN_POLL_OK);
		g_assert_cmpint (p->result, ==, XN_POLL_OK);
		g_assert_true (a->have & XN_NODE_HAVE_UPTIME);
		g_assert_cmpuint (a->interfaces->len, ==, p->interfaces->len);
		xn_snmp_engine_get_stats (engine, &st);
		/* one session per node, kept; the later polls ask no more */
		g_assert_cmpuint (st.sessions_opened, ==, 2);
		if (i == 2)
			g_assert_cmpuint (st.requests_sent - sent, <=, sent / 2);
		if (i == 1)
			sent = st.requests_sent;
	}
}

static void
test_engine_discovery_does_not_block (gconstpointer data)
{
	const Lab *lab = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(XnSnmpEngine) engine = xn_snmp_engine_new (NULL, lab->secrets, 8, &error);
	g_autoptr(XnNode) dead = lab_node ("dead-v3", lab->dead_port, XN_SNMP_V3, "priv", 1500, 0);
	g_autoptr(XnNode) live = lab_node ("live-v3", lab->port, XN_SNMP_V3, "priv", 1500, 0);
	const XnNodeSample *first, *second;
	gint64 t0 = g_get_monotonic_time ();
	Collect c;

	NEED_LAB (lab);
	/* the dead node's engine ID probe goes first and gets no answer: the
	 * live node must not wait for it */
	collect_init (&c, 2);
	xn_snmp_engine_poll (engine, dead, on_sample, &c);
	xn_snmp_engine_poll (engine, live, on_sample, &c);
	collect_run (&c);
	first = g_ptr_array_index (c.samples, 0);
	second = g_ptr_array_index (c.samples, 1);
	g_assert_cmpstr (first->node, ==, "live-v3");
	g_assert_cmpint (first->result, ==, XN_POLL_OK);
	g_assert_cmpint (first->finished - first->started, <, 1000 * 1000);
	g_assert_cmpstr (second->node, ==, "dead-v3");
	g_assert_cmpint (second->result, ==, XN_POLL_TIMEOUT);
	g_assert_nonnull (strstr (second->error, "dead-v3 (127.0.0.1:"));
	g_assert_nonnull (strstr (second->error, "after 1 try of 1500 ms"));
	g_assert_cmpint (g_get_monotonic_time () - t0, >=, 1500 * 1000);
	g_assert_cmpint (g_get_monotonic_time () - t0, <, 3000 * 1000);
	collect_clear (&c);
}

static void
test_engine_failures (gconstpointer data)
{
	const Lab *lab = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(XnSnmpEngine) engine = xn_snmp_engine_new (NULL, lab->secrets, 8, &error);
	g_autoptr(XnNode) bad = lab_node ("bad-pass", lab->port, XN_SNMP_V3, "bad", 1000, 1);
	g_autoptr(XnNode) wrong = lab_node ("wrong-community", lab->port, XN_SNMP_V2C, "wrong", 200, 1);
	g_autoptr(XnNode) nocred = lab_node ("no-credential", lab->port, XN_SNMP_V2C, "absent", 200, 1);
	g_autoptr(XnNodeSample) a = NULL;
	g_autoptr(XnNodeSample) w = NULL;
	g_autoptr(XnNodeSample) n = NULL;

	NEED_LAB (lab);
	a = poll_once (engine, bad);
	g_assert_cmpint (a->result, ==, XN_POLL_AUTH_FAILED);
	g_assert_nonnull (strstr (a->error, "bad-pass (127.0.0.1:"));
	g_assert_nonnull (strstr (a->error, "usmStatsWrongDigests"));
	g_assert_cmpuint (a->interfaces->len, ==, 0);
	w = poll_once (engine, wrong);
	g_assert_cmpint (w->result, ==, XN_POLL_TIMEOUT);
	g_assert_cmpint (w->response_us, ==, -1);
	n = poll_once (engine, nocred);
	g_assert_cmpint (n->result, ==, XN_POLL_ERROR);
	g_assert_nonnull (strstr (n->error, "no SNMP community 'absent' in the secrets"));
}

static void
test_engine_busy_and_cancel (gconstpointer data)
{
	const Lab *lab = data;
	g_autoptr(GError) error = NULL;
	XnSnmpEngine *engine = xn_snmp_engine_new (NULL, lab->secrets, 8, &error);
	g_autoptr(XnNode) dead = lab_node ("dead", lab->dead_port, XN_SNMP_V2C, "v2", 5000, 0);
	g_autoptr(XnNode) live = lab_node ("live", lab->port, XN_SNMP_V2C, "v2", 2000, 0);
	const XnNodeSample *s;
	Collect c;

	NEED_LAB (lab);
	/* a second poll of a node under way is refused, the first goes on */
	collect_init (&c, 2);
	xn_snmp_engine_poll (engine, dead, on_sample, &c);
	xn_snmp_engine_poll (engine, live, on_sample, &c);
	xn_snmp_engine_poll (engine, live, on_sample, &c);
	collect_run (&c);
	s = g_ptr_array_index (c.samples, 0);
	g_assert_cmpint (s->result, ==, XN_POLL_ERROR);
	g_assert_nonnull (strstr (s->error, "previous poll"));
	s = g_ptr_array_index (c.samples, 1);
	g_assert_cmpstr (s->node, ==, "live");
	g_assert_cmpint (s->result, ==, XN_POLL_OK);
	/* freeing cancels: the dead node's callback never comes */
	xn_snmp_engine_free (engine);
	for (guint i = 0; i < 20; i++)
		g_main_context_iteration (NULL, FALSE);
	g_assert_cmpuint (c.samples->len, ==, 2);
	collect_clear (&c);

	/* and an engine may be freed from a callback */
	engine = xn_snmp_engine_new (NULL, lab->secrets, 8, &error);
	collect_init (&c, 1);
	c.free_me = engine;
	xn_snmp_engine_poll (engine, live, on_sample, &c);
	xn_snmp_engine_poll (engine, dead, on_sample, &c);
	collect_run (&c);
	g_assert_null (c.free_me);
	for (guint i = 0; i < 20; i++)
		g_main_context_iteration (NULL, FALSE);
	g_assert_cmpuint (c.samples->len, ==, 1);
	collect_clear (&c);
}

static void
test_engine_new_secrets (gconstpointer data)
{
	const Lab *lab = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(XnSnmpEngine) engine = xn_snmp_engine_new (NULL, lab->secrets, 8, &error);
	g_autoptr(XnSecrets) other = xn_secrets_new ();
	g_autoptr(XnNode) v2 = lab_node ("n2", lab->port, XN_SNMP_V2C, "v2", 300, 0);
	g_autoptr(XnNode) v3 = lab_node ("n3", lab->port, XN_SNMP_V3, "auth", 1000, 0);
	XnSnmpEngineStats st;
	XnPollResult results[3][2];

	NEED_LAB (lab);
	/* the same credential names with other values */
	xn_secrets_add_community (other, "v2", "changed", &error);
	xn_secrets_add_usm (other, "auth", "labauth", XN_USM_AUTH_SHA, "changed-password", XN_USM_PRIV_NONE, NULL,
			    &error);
	g_assert_no_error (error);
	for (guint i = 0; i < 3; i++) {
		g_autoptr(XnNodeSample) a = NULL;
		g_autoptr(XnNodeSample) b = NULL;

		xn_snmp_engine_set_secrets (engine, i == 1 ? other : lab->secrets);
		a = poll_once (engine, v2);
		b = poll_once (engine, v3);
		results[i][0] = a->result;
		results[i][1] = b->result;
	}
	/* the new values take effect at once, the SNMPv3 keys too (Net-SNMP
	 * keeps localized keys per engine ID and user, process-wide) */
	g_assert_cmpint (results[0][0], ==, XN_POLL_OK);
	g_assert_cmpint (results[0][1], ==, XN_POLL_OK);
	g_assert_cmpint (results[1][0], ==, XN_POLL_TIMEOUT);
	g_assert_cmpint (results[1][1], ==, XN_POLL_AUTH_FAILED);
	g_assert_cmpint (results[2][0], ==, XN_POLL_OK);
	g_assert_cmpint (results[2][1], ==, XN_POLL_OK);
	xn_snmp_engine_get_stats (engine, &st);
	g_assert_cmpuint (st.sessions_opened, ==, 6);
}

static void
test_engine_fallback_remembered (gconstpointer data)
{
	const Lab *lab = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(XnSnmpEngine) engine = NULL;
	g_autoptr(XnNode) node = NULL;
	g_autoptr(XnNodeSample) first = NULL;
	g_autoptr(XnNodeSample) second = NULL;
	g_autofree char *ready = NULL;
	g_autofree char *port = NULL;
	XnSnmpEngineStats st;
	guint64 getnext;
	GPid pid;
	guint16 p;

	NEED_LAB (lab);
	if (lab->badagent == NULL) {
		g_test_skip ("t/tools/badagent is not built");
		return;
	}
	p = free_udp_port ();
	port = g_strdup_printf ("%u", p);
	ready = g_build_filename (lab->dir, "badagent.pid", NULL);
	{
		const char *argv[] = { lab->badagent, "--port", port, "--bulk", "missing", "--ready", ready, NULL };

		g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent, NULL, &pid,
			       &error);
		g_assert_no_error (error);
	}
	for (guint i = 0; i < 100 && !g_file_test (ready, G_FILE_TEST_EXISTS); i++)
		g_usleep (20000);
	engine = xn_snmp_engine_new (NULL, lab->secrets, 8, &error);
	node = lab_node ("bad-bulk", p, XN_SNMP_V2C, "public", 1000, 1);
	first = poll_once (engine, node);
	g_assert_cmpint (first->result, ==, XN_POLL_OK);
	g_assert_true (first->used_getnext);
	g_assert_cmpuint (first->interfaces->len, ==, 3);
	g_assert_cmpfloat_with_epsilon (first->cpu_percent, 20.0, 1e-9);
	xn_snmp_engine_get_stats (engine, &st);
	g_assert_cmpuint (st.bulk_requests, ==, 1);
	getnext = st.getnext_requests;
	second = poll_once (engine, node);
	g_assert_true (second->used_getnext);
	g_assert_cmpuint (second->interfaces->len, ==, 3);
	g_assert_cmpuint (g_array_index (second->interfaces, XnIfSample, 1).in_octets, ==, 5000000000002);
	xn_snmp_engine_get_stats (engine, &st);
	g_assert_cmpuint (st.bulk_requests, ==, 1);
	g_assert_cmpuint (st.getnext_requests, >=, getnext + 3);
	kill (pid, SIGTERM);
	waitpid (pid, NULL, 0);
	g_spawn_close_pid (pid);
}

int
main (int argc, char **argv)
{
	Lab lab = { 0 };
	int status;

	g_test_init (&argc, &argv, NULL);
	g_test_add_data_func ("/snmp-engine/window", &lab, test_engine_window);
	g_test_add_data_func ("/snmp-engine/reuse", &lab, test_engine_reuse);
	g_test_add_data_func ("/snmp-engine/discovery-does-not-block", &lab, test_engine_discovery_does_not_block);
	g_test_add_data_func ("/snmp-engine/failures", &lab, test_engine_failures);
	g_test_add_data_func ("/snmp-engine/busy-and-cancel", &lab, test_engine_busy_and_cancel);
	g_test_add_data_func ("/snmp-engine/new-secrets", &lab, test_engine_new_secrets);
	g_test_add_data_func ("/snmp-engine/fallback-remembered", &lab, test_engine_fallback_remembered);

	if (!g_test_subprocess ())
		lab_start (&lab);
	status = g_test_run ();
	lab_stop (&lab);
	return status;
}

/* test-facility-profile.c: facility profiles parse strictly, load from a
 * file and from the services; HTTP errors map to NtClientError codes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "nt-client-error.h"
#include "nt-facility-profile.h"

#include "client-test-util.h"
#include "test-instants.h"

static const char good_profile[] =
  "{"
  "  \"facility\": \"Test light source\","
  "  \"simulated\": true,"
  "  \"signals\": {"
  "    \"ring.current\": \"SR-DI-DCCT-01:SIGNAL\","
  "    \"ring.mode\": \"SR:MODE\","
  "    \"bl.BL08W-XAFS.state\": \"BL08W:XAFS:STATE\""
  "  },"
  "  \"live\": { \"pvws\": \"/pvws/pv\" },"
  "  \"history\": { \"retrieval\": \"/retrieval/data/getData.json\" },"
  "  \"future\": [1, 2, 3]"
  "}";

static NtFacilityProfile *
parse (const char  *text,
       const char  *base,
       GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return nt_facility_profile_new_from_bytes (bytes, base, error);
}

static void
test_good (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtFacilityProfile) profile = parse (good_profile, "http://127.0.0.1:8080/", &error);
  g_auto(GStrv) keys = NULL;
  g_autofree char *live = NULL;
  g_autofree char *history = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (nt_facility_profile_get_facility_name (profile), ==, "Test light source");
  g_assert_true (nt_facility_profile_get_simulated (profile));
  g_assert_cmpstr (nt_facility_profile_get_base_uri (profile), ==, "http://127.0.0.1:8080");
  g_assert_cmpstr (nt_facility_profile_lookup (profile, "ring.current"), ==, "SR-DI-DCCT-01:SIGNAL");
  g_assert_cmpstr (nt_facility_profile_lookup (profile, "bl.BL08W-XAFS.state"), ==, "BL08W:XAFS:STATE");
  g_assert_null (nt_facility_profile_lookup (profile, "ring.lifetime"));

  keys = nt_facility_profile_dup_keys (profile);
  g_assert_cmpuint (g_strv_length (keys), ==, 3);
  g_assert_cmpstr (keys[0], ==, "bl.BL08W-XAFS.state");
  g_assert_cmpstr (keys[1], ==, "ring.current");
  g_assert_cmpstr (keys[2], ==, "ring.mode");

  live = nt_facility_profile_dup_live_uri (profile);
  history = nt_facility_profile_dup_history_uri (profile);
  g_assert_cmpstr (live, ==, "ws://127.0.0.1:8080/pvws/pv");
  g_assert_cmpstr (history, ==, "http://127.0.0.1:8080/retrieval/data/getData.json");
}

static void
test_endpoints (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtFacilityProfile) secure = NULL;
  g_autoptr(NtFacilityProfile) elsewhere = NULL;
  g_autoptr(NtFacilityProfile) defaults = NULL;
  g_autofree char *uri = NULL;

  /* https services: the live endpoint is wss */
  secure = parse (good_profile, "https://control.example.org", &error);
  g_assert_no_error (error);
  uri = nt_facility_profile_dup_live_uri (secure);
  g_assert_cmpstr (uri, ==, "wss://control.example.org/pvws/pv");
  g_clear_pointer (&uri, g_free);

  /* a real installation: PVWS and the archiver on other hosts */
  elsewhere = parse ("{\"facility\": \"X\", \"signals\": {\"ring.current\": \"SR:I\"},"
                     " \"live\": {\"pvws\": \"https://pvws.example.org:8443/pvws/pv\"},"
                     " \"history\": {\"retrieval\": \"http://archiver.example.org:17668/retrieval/data/getData.json\"}}",
                     NULL, &error);
  g_assert_no_error (error);
  uri = nt_facility_profile_dup_live_uri (elsewhere);
  g_assert_cmpstr (uri, ==, "wss://pvws.example.org:8443/pvws/pv");
  g_clear_pointer (&uri, g_free);
  uri = nt_facility_profile_dup_history_uri (elsewhere);
  g_assert_cmpstr (uri, ==, "http://archiver.example.org:17668/retrieval/data/getData.json");
  g_clear_pointer (&uri, g_free);
  g_assert_false (nt_facility_profile_get_simulated (elsewhere));

  /* endpoints default to the paths both real servers use; relative ones
   * need a base */
  defaults = parse ("{\"facility\": \"X\", \"signals\": {\"ring.current\": \"SR:I\"}}", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (nt_facility_profile_get_live_endpoint (defaults), ==, "/pvws/pv");
  g_assert_cmpstr (nt_facility_profile_get_history_endpoint (defaults), ==, "/retrieval/data/getData.json");
  g_assert_null (nt_facility_profile_dup_live_uri (defaults));
  g_assert_null (nt_facility_profile_dup_history_uri (defaults));
}

static void
test_bad (void)
{
  static const char * const bad[] = {
    "",
    "not json",
    "[]",
    "{}",
    "{\"facility\": 3, \"signals\": {\"a\": \"b\"}}",
    "{\"facility\": \"\", \"signals\": {\"a\": \"b\"}}",
    "{\"facility\": \"X\"}",
    "{\"facility\": \"X\", \"signals\": []}",
    "{\"facility\": \"X\", \"signals\": {}}",
    "{\"facility\": \"X\", \"signals\": {\"ring.current\": 5}}",
    "{\"facility\": \"X\", \"signals\": {\"ring.current\": \"\"}}",
    "{\"facility\": \"X\", \"signals\": {\"ring.current\": \"SR I\"}}",
    "{\"facility\": \"X\", \"signals\": {\"ring current\": \"SR:I\"}}",
    "{\"facility\": \"X\", \"signals\": {\"ring.current\": null}}",
    "{\"facility\": \"X\", \"signals\": {\"ring.current\": \"SR:I\"}, \"live\": \"/pvws/pv\"}",
    "{\"facility\": \"X\", \"signals\": {\"ring.current\": \"SR:I\"}, \"live\": {\"pvws\": 5}}",
    "{\"facility\": \"X\", \"signals\": {\"ring.current\": \"SR:I\"}, \"live\": {\"pvws\": \"ftp://x/y\"}}",
    "{\"facility\": \"X\", \"signals\": {\"ring.current\": \"SR:I\"}, \"live\": {\"pvws\": \"pvws/pv\"}}",
    "{\"facility\": \"X\", \"signals\": {\"ring.current\": \"SR:I\"}, \"history\": {\"retrieval\": \"//host/x\"}}",
    "{\"facility\": \"X\", \"signals\": {\"ring.current\": \"SR:I\"}, \"simulated\": \"yes\"}",
    "{\"facility\": \"X\", \"signals\": {\"ring.current\": \"SR:I\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NtFacilityProfile) profile = parse (bad[i], NULL, &error);

      g_test_message ("bad profile %u: %s", i, bad[i]);
      g_assert_null (profile);
      g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_DATA);
      g_assert_true (strlen (error->message) > 20);
    }

  /* a services address must be http(s) */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(NtFacilityProfile) profile = parse (good_profile, "ftp://example.org", &error);

    g_assert_null (profile);
    g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_INPUT);
  }
}

static void
async_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) missing = NULL;
  g_autoptr(NtFacilityProfile) profile = NULL;
  g_autoptr(NtFacilityProfile) async_profile = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  int fd;

  fd = g_file_open_tmp ("nt-profile-XXXXXX.json", &path, &error);
  g_assert_no_error (error);
  g_close (fd, NULL);
  g_file_set_contents (path, good_profile, -1, &error);
  g_assert_no_error (error);
  file = g_file_new_for_path (path);

  profile = nt_facility_profile_new_from_file (file, "http://localhost:9000", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (nt_facility_profile_lookup (profile, "ring.mode"), ==, "SR:MODE");

  nt_facility_profile_load_file_async (file, NULL, NULL, async_cb, &result);
  g_assert_true (SPIN_UNTIL (result != NULL, 5000));
  async_profile = nt_facility_profile_load_file_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (nt_facility_profile_lookup (async_profile, "ring.current"), ==, "SR-DI-DCCT-01:SIGNAL");
  g_clear_object (&result);

  g_unlink (path);
  missing = g_file_new_for_path (path);
  g_assert_null (nt_facility_profile_new_from_file (missing, NULL, NULL, &error));
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  nt_facility_profile_load_file_async (missing, NULL, NULL, async_cb, &result);
  g_assert_true (SPIN_UNTIL (result != NULL, 5000));
  g_assert_null (nt_facility_profile_load_file_finish (result, &error));
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NOT_FOUND);
}

static void
message_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GBytes **body = user_data;
  g_autoptr(GError) error = NULL;

  *body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

/* Every connection the services accept is freed once its request is
 * answered, and the answer says the connection closes: a daemon that
 * consoles come and go from for weeks keeps no trace of them (with
 * libsoup 3.2's own listener each accepted socket stayed behind). */
static void
test_connections_freed (void)
{
  TestFacility *tf = test_facility_start ();
  g_autofree char *url = g_strconcat (tf->base_uri, "api/v1/facility-profile", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  guint accepted = 0;

  for (guint i = 0; i < 40; i++)
    {
      /* Half through one session that would keep its connection, half
       * through sessions that go away. */
      g_autoptr(SoupSession) own = i % 2 ? soup_session_new () : g_object_ref (session);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) body = NULL;

      soup_session_send_and_read_async (own, msg, G_PRIORITY_DEFAULT, NULL, message_done_cb, &body);
      g_assert_true (SPIN_UNTIL (body != NULL, 10000));
      g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
      g_assert_true (soup_message_headers_header_contains (soup_message_get_response_headers (msg),
                                                           "Connection", "close"));
    }

  g_assert_true (SPIN_UNTIL (nt_facility_get_n_connections (tf->facility, &accepted) == 0, 5000));
  g_assert_cmpuint (accepted, ==, 40);

  test_facility_free (tf);
}

/* The keys HACKING.md promises, for every beamline and station. */
static void
test_services (void)
{
  static const char * const ring_keys[] = {
    "ring.current", "ring.lifetime", "ring.mode", "ring.topup.countdown",
    "ring.injecting", "ring.fill", "ring.energy",
  };
  static const char * const stations[] = {
    "BL02U", "BL06U", "BL13U", "BL07U", "BL08U", "BL08W-XAFS", "BL08W-SAXS",
    "BL08W-XRD", "BL09U", "BL09W", "BL10U", "BL14U",
  };
  TestFacility *tf = test_facility_start ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(NtFacilityProfile) profile = NULL;
  g_autofree char *live = NULL;
  g_autofree char *expected_live = NULL;
  g_autofree char *history = NULL;

  nt_facility_profile_load_async (NULL, tf->base_uri, NULL, async_cb, &result);
  g_assert_true (SPIN_UNTIL (result != NULL, 10000));
  profile = nt_facility_profile_load_finish (result, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (ring_keys); i++)
    {
      g_test_message ("key %s", ring_keys[i]);
      g_assert_nonnull (nt_facility_profile_lookup (profile, ring_keys[i]));
    }

  for (guint i = 0; i < G_N_ELEMENTS (stations); i++)
    {
      static const char * const suffixes[] = { "shutter", "state", "energy" };

      for (guint j = 0; j < G_N_ELEMENTS (suffixes); j++)
        {
          g_autofree char *key = g_strdup_printf ("bl.%s.%s", stations[i], suffixes[j]);

          g_test_message ("key %s", key);
          g_assert_nonnull (nt_facility_profile_lookup (profile, key));
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (stations); i++)
    {
      g_auto(GStrv) parts = g_strsplit (stations[i], "-", 2);
      g_autofree char *key = g_strdup_printf ("bl.%s.fe_shutter", parts[0]);

      g_test_message ("key %s", key);
      g_assert_nonnull (nt_facility_profile_lookup (profile, key));
    }

  live = nt_facility_profile_dup_live_uri (profile);
  expected_live = g_strdup_printf ("ws://127.0.0.1:%u/pvws/pv", tf->port);
  g_assert_cmpstr (live, ==, expected_live);
  history = nt_facility_profile_dup_history_uri (profile);
  g_assert_true (g_str_has_prefix (history, tf->base_uri));
  g_assert_true (g_str_has_suffix (history, "/retrieval/data/getData.json"));

  test_facility_free (tf);
}

/* A server that answers the profile path with a canned response. */
static void
canned_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  const char *mode = user_data;
  static const char not_found[] =
    "{\"error\":{\"code\":\"not_found\",\"message\":\"No profile here\",\"details\":null}}";

  if (g_str_equal (mode, "404"))
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        not_found, strlen (not_found));
    }
  else if (g_str_equal (mode, "500"))
    {
      soup_server_message_set_status (msg, 500, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "boom", 4);
    }
  else
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"facility\": 1}", 15);
    }
}

static void
test_services_errors (void)
{
  static const struct {
    const char *mode;
    int         code;
  } cases[] = {
    { "404", NT_CLIENT_ERROR_NOT_FOUND },
    { "500", NT_CLIENT_ERROR_SERVER },
    { "bad", NT_CLIENT_ERROR_INVALID_DATA },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *base = NULL;
      GSList *uris;

      soup_server_add_handler (server, NT_FACILITY_PROFILE_PATH, canned_cb, (gpointer)cases[i].mode, NULL);
      soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
      g_assert_no_error (error);
      uris = soup_server_get_uris (server);
      base = g_uri_to_string (uris->data);
      g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

      nt_facility_profile_load_async (NULL, base, NULL, async_cb, &result);
      g_assert_true (SPIN_UNTIL (result != NULL, 5000));
      g_assert_null (nt_facility_profile_load_finish (result, &error));
      g_assert_error (error, NT_CLIENT_ERROR, cases[i].code);
      if (cases[i].code == NT_CLIENT_ERROR_NOT_FOUND)
        g_assert_nonnull (strstr (error->message, "No profile here"));
    }

  /* nobody listening */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u", unused_port ());

    nt_facility_profile_load_async (NULL, base, NULL, async_cb, &result);
    g_assert_true (SPIN_UNTIL (result != NULL, 5000));
    g_assert_null (nt_facility_profile_load_finish (result, &error));
    g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NETWORK);
  }
}

static void
test_http_errors (void)
{
  static const struct {
    guint status;
    int   code;
  } cases[] = {
    { 400, NT_CLIENT_ERROR_INVALID_INPUT },
    { 401, NT_CLIENT_ERROR_AUTH },
    { 403, NT_CLIENT_ERROR_FORBIDDEN },
    { 404, NT_CLIENT_ERROR_NOT_FOUND },
    { 409, NT_CLIENT_ERROR_CONFLICT },
    { 412, NT_CLIENT_ERROR_PRECONDITION_FAILED },
    { 413, NT_CLIENT_ERROR_TOO_LARGE },
    { 422, NT_CLIENT_ERROR_INVALID_INPUT },
    { 428, NT_CLIENT_ERROR_PRECONDITION_REQUIRED },
    { 500, NT_CLIENT_ERROR_SERVER },
    { 503, NT_CLIENT_ERROR_SERVER },
    { 418, NT_CLIENT_ERROR_PROTOCOL },
  };
  static const char body_text[] =
    "{\"error\": {\"code\": \"overlap\", \"message\": \"BL07U is booked 09:00-17:00\","
    " \"details\": {\"id\": 12}}}";
  g_autoptr(GBytes) body = g_bytes_new_static (body_text, strlen (body_text));
  g_autoptr(GBytes) junk = g_bytes_new_static ("<html>", 6);
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  g_autoptr(JsonNode) details = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) with_body = nt_client_error_new_from_response (cases[i].status, "Reason", body);
      g_autoptr(GError) without = nt_client_error_new_from_response (cases[i].status, "Reason", junk);

      g_assert_cmpint (nt_client_error_code_for_status (cases[i].status), ==, cases[i].code);
      g_assert_error (with_body, NT_CLIENT_ERROR, cases[i].code);
      g_assert_error (without, NT_CLIENT_ERROR, cases[i].code);
      g_assert_nonnull (strstr (with_body->message, "BL07U is booked"));
      g_assert_nonnull (strstr (without->message, "Reason"));
    }

  g_assert_true (nt_client_error_parse_body (body, &code, &message, &details));
  g_assert_cmpstr (code, ==, "overlap");
  g_assert_cmpstr (message, ==, "BL07U is booked 09:00-17:00");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (details));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (details), "id"), ==, 12);
  g_assert_false (nt_client_error_parse_body (junk, NULL, NULL, NULL));

  {
    g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");
    g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "refused");
    g_autoptr(GError) a = nt_client_error_new_from_io (cancelled, "host");
    g_autoptr(GError) b = nt_client_error_new_from_io (refused, "host");

    /* cancellation keeps the GLib convention */
    g_assert_error (a, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_true (nt_client_error_is_cancelled (a));
    g_assert_false (nt_client_error_is_cancelled (b));
    g_assert_error (b, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NETWORK);
    g_assert_nonnull (strstr (b->message, "refused"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add_func ("/facility-profile/good", test_good);
  g_test_add_func ("/facility-profile/endpoints", test_endpoints);
  g_test_add_func ("/facility-profile/bad", test_bad);
  g_test_add_func ("/facility-profile/file", test_file);
  g_test_add_func ("/facility-profile/services", test_services);
  g_test_add_func ("/facility-profile/connections-freed", test_connections_freed);
  g_test_add_func ("/facility-profile/services-errors", test_services_errors);
  g_test_add_func ("/client-error/http", test_http_errors);

  return g_test_run ();
}

/* test-statistics-client.c: the statistics client, its strict parser and
 * its requests, against servers on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <libsoup/soup.h>

#include "client-test-util.h"
#include "nt-auth.h"
#include "nt-statistics-client.h"
#include "nt-time.h"
#include "test-instants.h"

/* An answer of the wire contract, as the services send it. */
static const char contract_answer[] =
  "{\"from\": \"2026-04-01T00:00:00Z\", \"to\": \"2026-07-01T00:00:00Z\","
  " \"complete_to\": \"2026-06-12T01:00:00Z\","
  " \"settings\": {\"threshold_fraction\": 0.1, \"grace_seconds\": 60, \"target_availability\": 95.0},"
  " \"scheduled_hours\": 1234.5, \"delivered_hours\": 1200.25, \"unknown_hours\": 2.0,"
  " \"availability\": 97.2, \"fault_count\": 2, \"mtbf_hours\": 600.125, \"mttr_hours\": 0.8,"
  " \"faults\": ["
  "   {\"start\": \"2026-04-03T02:00:00Z\", \"recovered\": \"2026-04-03T02:45:00Z\", \"lost_hours\": 0.75,"
  "    \"mode\": \"user\", \"message\": \"RF trip\"},"
  "   {\"start\": \"2026-06-12T00:30:00Z\", \"recovered\": null, \"lost_hours\": 0.5,"
  "    \"mode\": \"user\", \"message\": \"\"}],"
  " \"days\": ["
  "   {\"date\": \"2026-04-01\", \"scheduled_hours\": 24.0, \"delivered_hours\": 23.5, \"unknown_hours\": 0.0, \"faults\": 1},"
  "   {\"date\": \"2026-04-02\", \"scheduled_hours\": 0, \"delivered_hours\": 0, \"unknown_hours\": 0, \"faults\": 0}],"
  " \"beamlines\": ["
  "   {\"beamline\": \"BL02U\", \"allocated_public_hours\": 120.0, \"allocated_coalition_hours\": 0.0,"
  "    \"delivered_public_hours\": 118.0, \"delivered_coalition_hours\": 0.0}]}";

static NtStatistics *
parse_text (const char  *text,
            GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return nt_statistics_parse (bytes, error);
}

static void
test_parse_contract (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtStatistics) s = parse_text (contract_answer, &error);
  const NtStatisticsFault *f;
  const NtStatisticsDay *d;
  const NtStatisticsBeamline *b;
  gint64 t;

  g_assert_no_error (error);
  g_assert_nonnull (s);

  g_assert_true (nt_time_parse_iso ("2026-04-01T00:00:00Z", &t));
  g_assert_cmpint (s->from, ==, t);
  g_assert_true (nt_time_parse_iso ("2026-06-12T01:00:00Z", &t));
  g_assert_cmpint (s->complete_to, ==, t);
  g_assert_true (nt_statistics_is_live (s));
  g_assert_cmpfloat (s->threshold_fraction, ==, 0.1);
  g_assert_cmpfloat (s->grace_seconds, ==, 60);
  g_assert_cmpfloat (s->target_availability, ==, 95.0);
  g_assert_cmpfloat (s->scheduled_hours, ==, 1234.5);
  g_assert_cmpfloat (s->delivered_hours, ==, 1200.25);
  g_assert_cmpfloat (s->unknown_hours, ==, 2.0);
  g_assert_cmpfloat (s->availability, ==, 97.2);
  g_assert_cmpuint (s->fault_count, ==, 2);
  g_assert_cmpfloat (s->mtbf_hours, ==, 600.125);
  g_assert_cmpfloat (s->mttr_hours, ==, 0.8);

  g_assert_cmpuint (s->faults->len, ==, 2);
  f = &g_array_index (s->faults, NtStatisticsFault, 0);
  g_assert_true (nt_time_parse_iso ("2026-04-03T02:45:00Z", &t));
  g_assert_cmpint (f->recovered, ==, t);
  g_assert_cmpfloat (f->lost_hours, ==, 0.75);
  g_assert_cmpstr (f->mode, ==, "user");
  g_assert_cmpstr (f->message, ==, "RF trip");
  f = &g_array_index (s->faults, NtStatisticsFault, 1);
  g_assert_cmpint (f->recovered, ==, 0);
  g_assert_cmpstr (f->message, ==, "");

  g_assert_cmpuint (s->days->len, ==, 2);
  d = &g_array_index (s->days, NtStatisticsDay, 0);
  g_assert_cmpstr (d->date, ==, "2026-04-01");
  /* A facility day starts at 00:00 Japan time: 15:00 UTC the day before. */
  g_assert_true (nt_time_parse_iso ("2026-03-31T15:00:00Z", &t));
  g_assert_cmpint (d->start, ==, t);
  g_assert_cmpfloat (d->delivered_hours, ==, 23.5);
  g_assert_cmpuint (d->faults, ==, 1);

  g_assert_cmpuint (s->beamlines->len, ==, 1);
  b = &g_array_index (s->beamlines, NtStatisticsBeamline, 0);
  g_assert_cmpstr (b->beamline, ==, "BL02U");
  g_assert_cmpfloat (b->allocated_public_hours, ==, 120.0);
  g_assert_cmpfloat (b->delivered_public_hours, ==, 118.0);
}

static void
test_parse_nulls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtStatistics) s = NULL;
  g_autoptr(GString) text = g_string_new (contract_answer);

  g_string_replace (text, "\"availability\": 97.2", "\"availability\": null", 1);
  g_string_replace (text, "\"mtbf_hours\": 600.125", "\"mtbf_hours\": null", 1);
  g_string_replace (text, "\"mttr_hours\": 0.8", "\"mttr_hours\": null", 1);
  s = parse_text (text->str, &error);
  g_assert_no_error (error);
  g_assert_true (isnan (s->availability));
  g_assert_true (isnan (s->mtbf_hours));
  g_assert_true (isnan (s->mttr_hours));
}

/* Each answer of the wrong shape is refused, naming what is wrong. */
static void
test_parse_strict (void)
{
  static const struct { const char *from, *to, *words; } cases[] = {
    { "\"availability\": 97.2", "\"availability\": \"97.2\"", "availability" },
    { "\"availability\": 97.2", "\"availability\": 101", "100" },
    { "\"scheduled_hours\": 1234.5,", "", "scheduled_hours" },
    { "\"delivered_hours\": 1200.25", "\"delivered_hours\": -1", "delivered_hours" },
    { "\"fault_count\": 2", "\"fault_count\": 2.5", "fault_count" },
    { "\"complete_to\": \"2026-06-12T01:00:00Z\"", "\"complete_to\": \"2026-07-02T00:00:00Z\"", "complete_to" },
    { "\"from\": \"2026-04-01T00:00:00Z\"", "\"from\": \"2026-04-01 00:00\"", "from" },
    { "\"recovered\": \"2026-04-03T02:45:00Z\"", "\"recovered\": \"2026-04-03T01:00:00Z\"", "faults[0]" },
    { "\"date\": \"2026-04-02\"", "\"date\": \"2026-04-01\"", "days[1]" },
    { "\"date\": \"2026-04-02\"", "\"date\": \"2026-02-30\"", "days[1]" },
    { "\"message\": \"RF trip\"", "\"message\": 3", "message" },
    { "\"beamline\": \"BL02U\"", "\"beamline\": \"\"", "beamlines[0]" },
    { "\"days\": [", "\"days\": 3, \"x\": [", "days" },
    { "\"target_availability\": 95.0", "\"target_availability\": 0", "target_availability" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) text = g_string_new (contract_answer);
      g_autoptr(GError) error = NULL;
      g_autoptr(NtStatistics) s = NULL;

      g_assert_cmpuint (g_string_replace (text, cases[i].from, cases[i].to, 1), ==, 1);
      s = parse_text (text->str, &error);
      g_assert_null (s);
      g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_DATA);
      if (strstr (error->message, cases[i].words) == NULL)
        g_error ("case %u: “%s” does not name %s", i, error->message, cases[i].words);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_null (parse_text ("[]", &error));
    g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_DATA);
    g_clear_error (&error);
    g_assert_null (parse_text ("{\"from\": ", &error));
    g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_DATA);
  }
}

/* ---- a server of the contract on 127.0.0.1 ---- */

typedef struct
{
  SoupServer *server;
  char       *base_uri;
  char       *last_query;
  char       *last_auth;
  guint       n_requests;
} ContractServer;

static void
contract_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  ContractServer *cs = user_data;
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  const char *from = query != NULL ? g_hash_table_lookup (query, "from") : NULL;
  const char *to = query != NULL ? g_hash_table_lookup (query, "to") : NULL;
  gint64 a, b;

  cs->n_requests++;
  g_free (cs->last_query);
  cs->last_query = g_uri_get_query (soup_server_message_get_uri (msg)) != NULL
                 ? g_strdup (g_uri_get_query (soup_server_message_get_uri (msg))) : NULL;
  g_free (cs->last_auth);
  cs->last_auth = g_strdup (auth);

  if (g_strcmp0 (auth, "Bearer viewer-token") != 0)
    {
      soup_server_message_set_status (msg, 401, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"error\":{\"code\":\"unauthorized\",\"message\":\"A token is needed.\"}}", 64);
      return;
    }
  if (from == NULL || to == NULL || !nt_time_parse_iso (from, &a) || !nt_time_parse_iso (to, &b) ||
      a >= b || b - a > 1827 * 24 * 3600)
    {
      static const char body[] = "{\"error\":{\"code\":\"bad-range\",\"message\":\"The range must be at most 5 years long.\"}}";

      soup_server_message_set_status (msg, 400, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
      return;
    }
  if (g_str_equal (from, "2026-01-01T00:00:00Z"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"from\": 1}", 11);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    contract_answer, strlen (contract_answer));
}

static ContractServer *
contract_server_new (void)
{
  ContractServer *cs = g_new0 (ContractServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;

  cs->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (cs->server, "/api/v1/statistics", contract_cb, cs, NULL);
  soup_server_listen_local (cs->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (cs->server);
  g_assert_nonnull (uris);
  cs->base_uri = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify)g_uri_unref);
  return cs;
}

static void
contract_server_free (ContractServer *cs)
{
  soup_server_disconnect (cs->server);
  g_object_unref (cs->server);
  g_free (cs->base_uri);
  g_free (cs->last_query);
  g_free (cs->last_auth);
  g_free (cs);
}

static void
fetch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static NtStatistics *
fetch (NtStatisticsClient *client,
       const char         *from,
       const char         *to,
       GCancellable       *cancellable,
       GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 a, b;

  g_assert_true (nt_time_parse_iso (from, &a));
  g_assert_true (nt_time_parse_iso (to, &b));
  nt_statistics_client_fetch_async (client, a, b, cancellable, fetch_done_cb, &result);
  g_assert_true (SPIN_UNTIL (result != NULL, 10000));
  return nt_statistics_client_fetch_finish (client, result, error);
}

static void
test_client_contract_server (void)
{
  ContractServer *cs = contract_server_new ();
  g_autoptr(NtStatisticsClient) client = nt_statistics_client_new (cs->base_uri, "viewer-token");
  g_autoptr(GError) error = NULL;
  g_autoptr(NtStatistics) s = NULL;

  s = fetch (client, "2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (s);
  g_assert_cmpfloat (s->availability, ==, 97.2);
  g_assert_cmpstr (cs->last_query, ==, "from=2026-04-01T00:00:00Z&to=2026-07-01T00:00:00Z");
  g_assert_cmpstr (cs->last_auth, ==, "Bearer viewer-token");

  /* The service's refusal, in its own words. */
  g_clear_pointer (&s, nt_statistics_unref);
  s = fetch (client, "2020-04-01T00:00:00Z", "2026-07-01T00:00:00Z", NULL, &error);
  g_assert_null (s);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "at most 5 years"));
  g_clear_error (&error);

  /* A wrong shape is invalid data, not a half answer. */
  s = fetch (client, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", NULL, &error);
  g_assert_null (s);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* Without the token: 401. */
  nt_statistics_client_set_token (client, NULL);
  s = fetch (client, "2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z", NULL, &error);
  g_assert_null (s);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_AUTH);
  g_clear_error (&error);

  /* Cancelled is cancelled. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    nt_statistics_client_set_token (client, "viewer-token");
    g_cancellable_cancel (cancellable);
    s = fetch (client, "2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z", cancellable, &error);
    g_assert_null (s);
    g_assert_true (nt_client_error_is_cancelled (error));
    g_clear_error (&error);
  }

  contract_server_free (cs);
}

/* Nothing listens: a network error that names the host. */
static void
test_client_unreachable (void)
{
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u", unused_port ());
  g_autoptr(NtStatisticsClient) client = nt_statistics_client_new (uri, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NtStatistics) s = fetch (client, "2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z", NULL, &error);

  g_assert_null (s);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NETWORK);
}

/* ---- the reference services ---- */

static void
test_client_reference_services (void)
{
  TestFacility *tf = test_facility_start ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = nt_auth_token_create (nt_facility_get_db (tf->facility), NT_ROLE_VIEWER,
                                                 "statistics test", &error);
  g_autoptr(NtStatisticsClient) client = nt_statistics_client_new (tf->base_uri, token);
  g_autoptr(NtStatistics) s = NULL;
  gint64 now = nt_clock_now ();
  double scheduled = 0, delivered = 0, unknown = 0;
  guint faults = 0;
  g_autofree char *from = nt_time_format_iso (now - 3 * 24 * 3600);
  g_autofree char *to = nt_time_format_iso (now + 24 * 3600);

  g_assert_no_error (error);

  /* Three days of the week the services fill on their first start, and
   * one still ahead: figures up to now, one entry a facility day. */
  s = fetch (client, from, to, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (s);
  g_assert_cmpint (s->from, ==, now - 3 * 24 * 3600);
  g_assert_cmpint (s->to, ==, now + 24 * 3600);
  g_assert_cmpint (s->complete_to, ==, now);
  g_assert_true (nt_statistics_is_live (s));
  g_assert_cmpuint (s->days->len, >=, 4);
  g_assert_cmpuint (s->days->len, <=, 5);
  g_assert_cmpfloat (s->scheduled_hours, >, 24);
  g_assert_cmpfloat (s->delivered_hours, <=, s->scheduled_hours + 1e-6);
  g_assert_cmpfloat (s->target_availability, ==, 95.0);
  g_assert_cmpfloat (s->threshold_fraction, ==, 0.1);
  g_assert_cmpfloat (fabs (s->availability - s->delivered_hours / s->scheduled_hours * 100), <, 1e-6);
  g_assert_cmpuint (s->beamlines->len, ==, 10);
  for (guint i = 0; i < s->days->len; i++)
    {
      const NtStatisticsDay *d = &g_array_index (s->days, NtStatisticsDay, i);

      scheduled += d->scheduled_hours;
      delivered += d->delivered_hours;
      unknown += d->unknown_hours;
      faults += d->faults;
    }
  /* The days add up to the range. */
  g_assert_cmpfloat (fabs (scheduled - s->scheduled_hours), <, 1e-3);
  g_assert_cmpfloat (fabs (delivered - s->delivered_hours), <, 1e-3);
  g_assert_cmpfloat (fabs (unknown - s->unknown_hours), <, 1e-3);
  g_assert_cmpuint (faults, ==, s->fault_count);
  g_assert_cmpuint (s->faults->len, ==, s->fault_count);

  /* Over five years: refused with words. */
  g_clear_pointer (&s, nt_statistics_unref);
  s = fetch (client, "2020-01-01T00:00:00Z", "2026-01-01T00:00:00Z", NULL, &error);
  g_assert_null (s);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_INPUT);
  g_test_message ("bad range: %s", error->message);
  g_clear_error (&error);

  /* No token, no statistics. */
  nt_statistics_client_set_token (client, NULL);
  s = fetch (client, from, to, NULL, &error);
  g_assert_null (s);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_AUTH);
  g_clear_error (&error);

  test_facility_free (tf);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  nt_test_clock_fix_at (NT_TEST_USER_OPERATION);

  g_test_add_func ("/statistics-client/parse/contract", test_parse_contract);
  g_test_add_func ("/statistics-client/parse/nulls", test_parse_nulls);
  g_test_add_func ("/statistics-client/parse/strict", test_parse_strict);
  g_test_add_func ("/statistics-client/contract-server", test_client_contract_server);
  g_test_add_func ("/statistics-client/unreachable", test_client_unreachable);
  g_test_add_func ("/statistics-client/reference-services", test_client_reference_services);

  return g_test_run ();
}

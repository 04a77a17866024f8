/* test-archive-service.c: the Archiver Appliance retrieval API over HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "nt-archive-service.h"
#include "nt-facility.h"
#include "nt-history-store.h"
#include "nt-time.h"
#include "test-instants.h"

/* 2026-11-24T00:00:10Z: deliberately not on a minute */
#define T0 G_GINT64_CONSTANT (1795996810)
#define N_SECONDS 7200

static const char * const labels[] = { "Closed", "Open", NULL };

typedef struct
{
  char             *dir;
  char             *db_path;
  NtDb             *db;
  NtHistoryStore   *store;
  NtPvTable        *pvs;
  NtArchiveService *service;
  SoupServer       *server;
  SoupSession      *session;
  char             *base;
  double           *values;    /* of T:RAMP per second from T0 */
} Fixture;

typedef struct
{
  guint       status;
  JsonNode   *root;
  gboolean    done;
} Reply;

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
spin_until_done (gboolean *done,
                 guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (5, tick_cb, NULL);

  while (!*done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_true (*done);
}

static void
remove_db (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234);
  GSList *uris;
  guint ramp, state, text;

  f->dir = g_dir_make_tmp ("nt-archive-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "history.db", NULL);
  f->db = nt_db_open (f->db_path, &error);
  g_assert_no_error (error);
  f->store = nt_history_store_new (f->db, &error);
  g_assert_no_error (error);

  f->pvs = nt_pv_table_new ();
  ramp = nt_pv_table_add (f->pvs, &(NtPvInfo) {
      .name = "T:RAMP", .type = NT_PV_TYPE_DOUBLE, .units = "mA", .precision = 3,
      .min = NAN, .max = NAN, .warn_low = NAN, .warn_high = NAN, .alarm_low = NAN, .alarm_high = NAN });
  state = nt_pv_table_add (f->pvs, &(NtPvInfo) {
      .name = "T:STATE", .type = NT_PV_TYPE_ENUM, .labels = labels,
      .min = NAN, .max = NAN, .warn_low = NAN, .warn_high = NAN, .alarm_low = NAN, .alarm_high = NAN });
  text = nt_pv_table_add (f->pvs, &(NtPvInfo) {
      .name = "T:TEXT", .type = NT_PV_TYPE_STRING,
      .min = NAN, .max = NAN, .warn_low = NAN, .warn_high = NAN, .alarm_low = NAN, .alarm_high = NAN });
  nt_history_store_attach (f->store, f->pvs, &error);
  g_assert_no_error (error);

  /* Two hours at 1 Hz of a noisy ramp, a state every 10 min, a text every hour. */
  f->values = g_new (double, N_SECONDS);
  for (guint i = 0; i < N_SECONDS; i++)
    {
      gint64 us = (T0 + i) * G_USEC_PER_SEC;

      f->values[i] = 400 + i * 0.001 + g_rand_double_range (rand, -1, 1);
      nt_pv_table_set_number (f->pvs, ramp, f->values[i], i % 1000 == 999 ? NT_SEVERITY_MINOR : NT_SEVERITY_NONE, us);
      if (i % 600 == 0)
        nt_pv_table_set_number (f->pvs, state, (i / 600) % 2, NT_SEVERITY_NONE, us);
      if (i % 3600 == 0)
        {
          g_autofree char *s = g_strdup_printf ("fill %u", i / 3600);
          nt_pv_table_set_string (f->pvs, text, s, NT_SEVERITY_NONE, us);
        }
    }
  nt_history_store_flush (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nt_history_store_get_n_written (f->store), ==, N_SECONDS + 12 + 2);

  f->service = nt_archive_service_new (f->db_path);
  f->server = soup_server_new (NULL, NULL);
  nt_archive_service_attach (f->service, f->server, "/retrieval/data/getData.json");
  soup_server_listen (f->server, address, 0, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  user_data)
{
  g_clear_object (&f->session);
  if (f->server != NULL)
    soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->service);
  g_clear_object (&f->store);
  g_clear_object (&f->pvs);
  g_clear_object (&f->db);
  remove_db (f->db_path);
  g_rmdir (f->dir);
  g_free (f->db_path);
  g_free (f->dir);
  g_free (f->base);
  g_free (f->values);
}

static void
reply_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Reply *reply = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL),
                   ==, "application/json");
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  reply->root = json_node_ref (json_parser_get_root (parser));
  reply->done = TRUE;
}

static Reply
request (Fixture    *f,
         const char *method,
         const char *query)
{
  g_autofree char *uri = g_strdup_printf ("%s/retrieval/data/getData.json%s%s", f->base,
                                          query ? "?" : "", query ? query : "");
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  Reply reply = { 0 };

  g_assert_nonnull (msg);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, reply_cb, &reply);
  spin_until_done (&reply.done, 20000);

  return reply;
}

static char *
query_for (const char *pv,
           gint64      from,
           gint64      to)
{
  g_autofree char *from_iso = nt_time_format_iso (from);
  g_autofree char *to_iso = nt_time_format_iso (to);
  g_autofree char *pv_escaped = g_uri_escape_string (pv, NULL, FALSE);

  return g_strdup_printf ("pv=%s&from=%s&to=%s", pv_escaped, from_iso, to_iso);
}

/* Returns the data array of a 200 answer, checking the envelope. */
static JsonArray *
expect_data (Reply      *reply,
             const char *name,
             const char *egu)
{
  JsonArray *top;
  JsonObject *entry, *meta;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (reply->root));
  top = json_node_get_array (reply->root);
  g_assert_cmpuint (json_array_get_length (top), ==, 1);
  entry = json_array_get_object_element (top, 0);
  meta = json_object_get_object_member (entry, "meta");
  g_assert_cmpstr (json_object_get_string_member (meta, "name"), ==, name);
  g_assert_cmpstr (json_object_get_string_member (meta, "EGU"), ==, egu);
  g_assert_true (json_object_has_member (meta, "PREC"));
  return json_object_get_array_member (entry, "data");
}

static void
expect_error (Reply      *reply,
              guint       status,
              const char *code)
{
  JsonObject *error;

  g_assert_cmpuint (reply->status, ==, status);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->root));
  error = json_object_get_object_member (json_node_get_object (reply->root), "error");
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_cmpuint (strlen (json_object_get_string_member (error, "message")), >, 10);
  g_assert_true (json_object_has_member (error, "details"));
}

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->root, json_node_unref);
}

static void
test_raw (Fixture       *f,
          gconstpointer  user_data)
{
  g_autofree char *q = query_for ("T:RAMP", T0 + 100, T0 + 199);
  Reply reply = request (f, "GET", q);
  JsonArray *data = expect_data (&reply, "T:RAMP", "mA");
  JsonObject *s;

  /* The sample before from (the value at from), then 100 samples. */
  g_assert_cmpuint (json_array_get_length (data), ==, 101);
  s = json_array_get_object_element (data, 0);
  g_assert_cmpint (json_object_get_int_member (s, "secs"), ==, T0 + 99);
  for (guint i = 1; i < 101; i++)
    {
      s = json_array_get_object_element (data, i);
      g_assert_cmpint (json_object_get_int_member (s, "secs"), ==, T0 + 99 + i);
      g_assert_cmpint (json_object_get_int_member (s, "nanos"), ==, 0);
      g_assert_cmpfloat (json_object_get_double_member (s, "val"), ==, f->values[99 + i]);
      g_assert_cmpint (json_object_get_int_member (s, "status"), ==, 0);
    }
  /* i = 999 was MINOR */
  reply_clear (&reply);
  g_free (q);
  q = query_for ("T:RAMP", T0 + 999, T0 + 999);
  reply = request (f, "GET", q);
  data = expect_data (&reply, "T:RAMP", "mA");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (data, 1), "severity"), ==, 1);
  reply_clear (&reply);

  /* Enums as the index, strings as strings. */
  g_free (q);
  q = query_for ("T:STATE", T0, T0 + 1800);
  reply = request (f, "GET", q);
  data = expect_data (&reply, "T:STATE", "");
  g_assert_cmpuint (json_array_get_length (data), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (data, 1), "val"), ==, 1);
  reply_clear (&reply);

  g_free (q);
  q = query_for ("T:TEXT", T0 + 10, T0 + 4000);
  reply = request (f, "GET", q);
  data = expect_data (&reply, "T:TEXT", "");
  g_assert_cmpuint (json_array_get_length (data), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (data, 0), "val"), ==, "fill 0");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (data, 1), "val"), ==, "fill 1");
  reply_clear (&reply);
}

/* The answer to OP_N(T:RAMP) over [from, to], against the samples. */
static void
check_bins_reply (Fixture    *f,
                  const char *op,
                  guint       n,
                  gint64      from,
                  gint64      to,
                  Reply      *reply)
{
  JsonArray *data = expect_data (reply, "T:RAMP", "mA");
  guint total = 0;
  gint64 expected_bins = (to / n) - (from / n) + 1;

  g_assert_cmpuint (json_array_get_length (data), ==, expected_bins);

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *s = json_array_get_object_element (data, i);
      gint64 secs = json_object_get_int_member (s, "secs");
      double val = json_object_get_double_member (s, "val");
      double sum = 0, lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE, want;
      guint count = 0;

      /* Bins start on multiples of N seconds since the epoch. */
      g_assert_cmpint (secs % n, ==, 0);
      if (i > 0)
        g_assert_cmpint (secs, ==, json_object_get_int_member (json_array_get_object_element (data, i - 1), "secs") + n);

      /* The raw samples inside this bin and inside [from, to]. */
      for (gint64 t = MAX (secs, from); t < secs + n && t <= to; t++)
        {
          double v = f->values[t - T0];

          sum += v;
          lo = MIN (lo, v);
          hi = MAX (hi, v);
          count++;
        }
      g_assert_cmpuint (count, >, 0);
      g_assert_cmpint (json_object_get_int_member (s, "count"), ==, count);
      total += count;

      want = g_str_equal (op, "mean") ? sum / count : g_str_equal (op, "min") ? lo : hi;
      g_assert_cmpfloat_with_epsilon (val, want, 1e-9 * fabs (want));
    }
  g_assert_cmpuint (total, ==, to - from + 1);
}

static void
check_bins (Fixture    *f,
            const char *op,
            guint       n,
            gint64      from,
            gint64      to)
{
  g_autofree char *spec = g_strdup_printf ("%s_%u(T:RAMP)", op, n);
  g_autofree char *q = query_for (spec, from, to);
  Reply reply = request (f, "GET", q);

  check_bins_reply (f, op, n, from, to, &reply);
  reply_clear (&reply);
}

static void
test_binned (Fixture       *f,
             gconstpointer  user_data)
{
  /* Ranges that start and end mid-bin, and ones on bin edges. */
  check_bins (f, "mean", 60, T0 + 5, T0 + 3605);
  check_bins (f, "mean", 600, T0 + 50, T0 + N_SECONDS - 1);
  check_bins (f, "mean", 7, T0 + 1, T0 + 500);
  check_bins (f, "min", 60, T0 + 30, T0 + 1000);
  check_bins (f, "max", 300, T0 + 290, T0 + 4000);
  check_bins (f, "mean", 1, T0 + 10, T0 + 20);
}

static void
test_errors (Fixture       *f,
             gconstpointer  user_data)
{
  Reply reply;
  g_autofree char *q = NULL;
  g_autoptr(NtArchiveService) small = NULL;

  reply = request (f, "GET", NULL);
  expect_error (&reply, 400, "missing_pv");
  reply_clear (&reply);

  q = query_for ("NO:SUCH:PV", T0, T0 + 10);
  reply = request (f, "GET", q);
  expect_error (&reply, 404, "not_found");
  reply_clear (&reply);
  g_free (q);

  q = query_for ("mean_60(NO:SUCH:PV)", T0, T0 + 10);
  reply = request (f, "GET", q);
  expect_error (&reply, 404, "not_found");
  reply_clear (&reply);
  g_free (q);

  for (const char * const *spec = (const char * const[]) {
         "avg_60(T:RAMP)", "mean_0(T:RAMP)", "mean_x(T:RAMP)", "mean_60(T:RAMP", "mean60(T:RAMP)",
         "mean_60()", "mean_99999999999(T:RAMP)", "T:RAMP)", "", NULL }; *spec; spec++)
    {
      q = query_for (*spec, T0, T0 + 10);
      reply = request (f, "GET", q);
      expect_error (&reply, 400, "invalid_pv");
      reply_clear (&reply);
      g_free (q);
    }

  reply = request (f, "GET", "pv=T:RAMP&from=yesterday&to=2026-11-24T01:00:00Z");
  expect_error (&reply, 400, "invalid_time");
  reply_clear (&reply);
  reply = request (f, "GET", "pv=T:RAMP&from=2026-11-24T00:00:00Z&to=2026-13-01T00:00:00Z");
  expect_error (&reply, 400, "invalid_time");
  reply_clear (&reply);

  reply = request (f, "GET", "pv=T:RAMP&from=2026-11-24T02:00:00Z&to=2026-11-24T01:00:00Z");
  expect_error (&reply, 400, "invalid_range");
  reply_clear (&reply);

  q = query_for ("mean_60(T:TEXT)", T0, T0 + 4000);
  reply = request (f, "GET", q);
  expect_error (&reply, 400, "not_numeric");
  reply_clear (&reply);
  g_free (q);

  reply = request (f, "POST", "pv=T:RAMP");
  expect_error (&reply, 405, "method_not_allowed");
  reply_clear (&reply);

  /* Too many raw points: the limit is 500,000; use a small one here. */
  nt_archive_service_set_max_raw_points (f->service, 1000);
  q = query_for ("T:RAMP", T0, T0 + 1000);
  reply = request (f, "GET", q);
  expect_error (&reply, 400, "too_many_points");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_object_get_object_member (json_node_get_object (reply.root), "error"), "details"),
                     "limit"), ==, 1000);
  reply_clear (&reply);
  g_free (q);
  /* ... while binned data of the same range is fine. */
  q = query_for ("mean_10(T:RAMP)", T0, T0 + 1000);
  reply = request (f, "GET", q);
  g_assert_cmpuint (reply.status, ==, 200);
  reply_clear (&reply);
}

static Reply
facility_request (SoupSession *session,
                  const char  *base,
                  const char  *query)
{
  Fixture f = { .session = session, .base = (char *) base };
  return request (&f, "GET", query);
}

static gboolean
wait_history (NtFacility *facility,
              guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (20, tick_cb, NULL);

  while (!nt_facility_is_history_ready (facility) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  return nt_facility_is_history_ready (facility);
}

/* First start: 7 days of 1 Hz ring current are generated (even when the
 * first run is stopped before it is done); they survive a restart, and
 * the simulator's own output is kept too. */
static void
test_facility_history (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("nt-archive-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "facility.db", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  gint64 start = G_GINT64_CONSTANT (1796000000);
  /* One clock over the three runs, 50 times faster than real time: each
   * start goes on from where the last one stopped. */
  g_autoptr(NtClock) clock = nt_clock_new_scaled (start * G_USEC_PER_SEC, 50);
  NtFacilityOptions options = { .db_path = db_path, .seed = 3, .clock = clock };
  guint64 first_total = 0;

  for (guint run = 0; run < 3; run++)
    {
      g_autoptr(NtFacility) facility = NULL;
      g_autofree char *base = NULL;
      g_autofree char *q = NULL;
      g_autofree char *trimmed = NULL;
      JsonArray *data;
      Reply reply;
      guint64 total = 0;
      gint64 t_start = g_get_monotonic_time ();

      facility = nt_facility_new (&options, &error);
      g_assert_no_error (error);
      nt_facility_listen (facility, "127.0.0.1", 0, &error);
      g_assert_no_error (error);
      base = nt_facility_dup_base_uri (facility);
      trimmed = g_strndup (base, strlen (base) - 1);

      if (run == 0)
        {
          /* Stopped at once: the generation is cut short; the next start
           * finds the hole and fills it. */
          nt_facility_shutdown (facility);
          continue;
        }

      g_assert_true (wait_history (facility, 45000));
      g_test_message ("run %u: history ready after %.1f s", run, (g_get_monotonic_time () - t_start) / 1e6);

      /* Let the live simulator produce (and flush) a little. */
      {
        gboolean never = FALSE;
        gint64 until = g_get_monotonic_time () + 2500 * 1000;
        guint tick = g_timeout_add (20, tick_cb, NULL);

        while (!never && g_get_monotonic_time () < until)
          g_main_context_iteration (NULL, TRUE);
        g_source_remove (tick);
      }

      /* Daily bins of the week before the start: ~86,400 samples each. */
      q = query_for ("mean_86400(SR:DCCT:CURRENT)", start - 7 * 86400, start + 3600);
      reply = facility_request (session, trimmed, q);
      data = expect_data (&reply, "SR:DCCT:CURRENT", "mA");
      for (guint i = 0; i < json_array_get_length (data); i++)
        total += json_object_get_int_member (json_array_get_object_element (data, i), "count");
      g_test_message ("run %u: %" G_GUINT64_FORMAT " samples of SR:DCCT:CURRENT", run, total);
      /* 7 days at 1 Hz, plus what the live sim added (50x for > 2 s). */
      g_assert_cmpuint (total, >=, 7 * 86400);
      if (run == 1)
        first_total = total;
      else
        g_assert_cmpuint (total, >, first_total);   /* kept, and grown */
      reply_clear (&reply);

      /* Station states, on change. */
      g_free (q);
      q = query_for ("BL08W-XRD:ES:STATE", start - 7 * 86400, start);
      reply = facility_request (session, trimmed, q);
      data = expect_data (&reply, "BL08W-XRD:ES:STATE", "");
      g_assert_cmpuint (json_array_get_length (data), >, 10);
      reply_clear (&reply);

      nt_facility_shutdown (facility);
    }

  remove_db (db_path);
  g_rmdir (dir);
}

static void
abandoned_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);

  *done = TRUE;
}

/* A query made while the first-start history is still being generated
 * waits for it; a client that gives up meanwhile, or services shut down
 * meanwhile, must leave nothing to answer: no critical when it ends. */
static void
test_abandoned_query (gconstpointer data)
{
  gboolean shut_down = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("nt-archive-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "facility.db", NULL);
  NtFacilityOptions options = { .db_path = db_path, .seed = 5 };
  g_autoptr(NtFacility) facility = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *base = NULL;
  g_autofree char *uri = NULL;
  gboolean done = FALSE;
  gint64 until;
  guint tick;

  facility = nt_facility_new (&options, &error);
  g_assert_no_error (error);
  nt_facility_listen (facility, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  g_assert_false (nt_facility_is_history_ready (facility));

  base = nt_facility_dup_base_uri (facility);
  uri = g_strdup_printf ("%sretrieval/data/getData.json?pv=mean_600(SR:DCCT:CURRENT)", base);
  msg = soup_message_new ("GET", uri);
  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, cancellable, abandoned_cb, &done);

  /* Let the request reach the server and start waiting, then give up. */
  tick = g_timeout_add (20, tick_cb, NULL);
  until = g_get_monotonic_time () + 300 * 1000;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  if (shut_down)
    {
      nt_facility_shutdown (facility);
      until = g_get_monotonic_time () + 1000 * 1000;
      while (g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, TRUE);
    }
  g_cancellable_cancel (cancellable);
  g_clear_object (&session);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  /* The wait ends: the abandoned query must not be answered. */
  g_assert_true (wait_history (facility, 45000));
  tick = g_timeout_add (20, tick_cb, NULL);
  until = g_get_monotonic_time () + 500 * 1000;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  nt_facility_shutdown (facility);
  remove_db (db_path);
  g_rmdir (dir);
}

/* Queries made before the history is ready ("parked") */

#define N_PARKED 40

static guint
count_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

/* Spins the loop for @ms, and returns the most threads seen meanwhile. */
static guint
spin_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;
  guint tick = g_timeout_add (5, tick_cb, NULL);
  guint most = count_threads ();

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, TRUE);
      most = MAX (most, count_threads ());
    }
  g_source_remove (tick);

  return most;
}

/* Spins until @n queries are parked; returns the most threads seen. */
static guint
wait_parked (Fixture *f,
             guint    n,
             guint    timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (5, tick_cb, NULL);
  guint most = count_threads ();

  while (nt_archive_service_get_n_parked (f->service) != n && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, TRUE);
      most = MAX (most, count_threads ());
    }
  g_source_remove (tick);
  g_assert_cmpuint (nt_archive_service_get_n_parked (f->service), ==, n);

  return most;
}

static SoupSession *
many_connections_session (void)
{
  /* One connection per query: libsoup would otherwise queue all but two. */
  return soup_session_new_with_options ("max-conns", 2 * N_PARKED,
                                        "max-conns-per-host", 2 * N_PARKED,
                                        NULL);
}

static void
send_request (SoupSession *session,
              const char  *base,
              const char  *query,
              Reply       *reply)
{
  g_autofree char *uri = g_strdup_printf ("%s/retrieval/data/getData.json?%s", base, query);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, reply_cb, reply);
}

static gboolean
all_done (Reply *replies,
          guint  n)
{
  for (guint i = 0; i < n; i++)
    if (!replies[i].done)
      return FALSE;
  return TRUE;
}

static void
spin_until_all_done (Reply *replies,
                     guint  n,
                     guint  timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (5, tick_cb, NULL);

  while (!all_done (replies, n) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_true (all_done (replies, n));
}

/* Many queries before the history is ready wait without a worker thread
 * each (the console's own async work shares GLib's pool with them), and
 * all answer right once it is. */
static void
test_parked_many (Fixture       *f,
                  gconstpointer  user_data)
{
  g_autoptr(SoupSession) session = many_connections_session ();
  Reply replies[N_PARKED] = { { 0 } };
  guint before, most;

  nt_archive_service_set_history_ready (f->service, FALSE);

  /* Let earlier tests' idle pool threads go first (the pool keeps two). */
  spin_for (100);
  before = count_threads ();

  for (guint i = 0; i < N_PARKED; i++)
    {
      g_autofree char *q = query_for ("mean_60(T:RAMP)", T0 + 5 + 10 * i, T0 + 3605 + 10 * i);

      send_request (session, f->base, q, &replies[i]);
    }
  most = wait_parked (f, N_PARKED, 10000);
  /* Parked for a while: a worker that waited would be plain to see. */
  most = MAX (most, spin_for (1000));
  g_test_message ("threads: %u before, at most %u with %u queries parked", before, most, N_PARKED);
  g_assert_cmpuint (most, <=, before + 4);
  g_assert_cmpuint (nt_archive_service_get_n_parked (f->service), ==, N_PARKED);
  for (guint i = 0; i < N_PARKED; i++)
    g_assert_false (replies[i].done);

  nt_archive_service_set_history_ready (f->service, TRUE);
  g_assert_cmpuint (nt_archive_service_get_n_parked (f->service), ==, 0);
  spin_until_all_done (replies, N_PARKED, 20000);
  for (guint i = 0; i < N_PARKED; i++)
    {
      check_bins_reply (f, "mean", 60, T0 + 5 + 10 * i, T0 + 3605 + 10 * i, &replies[i]);
      reply_clear (&replies[i]);
    }

  /* Ready now: a query is not parked. */
  check_bins (f, "mean", 600, T0 + 50, T0 + N_SECONDS - 1);
  g_assert_cmpuint (nt_archive_service_get_n_parked (f->service), ==, 0);
}

/* A parked query waits a bounded time, then answers with the history
 * there is; each query has its own deadline. */
static void
test_parked_timeout (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autoptr(SoupSession) session = many_connections_session ();
  g_autofree char *q1 = query_for ("mean_60(T:RAMP)", T0 + 5, T0 + 3605);
  g_autofree char *q2 = query_for ("mean_600(T:RAMP)", T0 + 50, T0 + N_SECONDS - 1);
  Reply replies[2] = { { 0 } };
  gint64 t_sent;

  nt_archive_service_set_history_ready (f->service, FALSE);
  nt_archive_service_set_history_wait (f->service, 600);

  t_sent = g_get_monotonic_time ();
  send_request (session, f->base, q1, &replies[0]);
  wait_parked (f, 1, 5000);
  spin_for (300);
  send_request (session, f->base, q2, &replies[1]);
  wait_parked (f, 2, 5000);

  spin_until_done (&replies[0].done, 5000);
  g_assert_cmpint (g_get_monotonic_time () - t_sent, >=, 600 * 1000);
  g_assert_false (replies[1].done);
  g_assert_cmpuint (nt_archive_service_get_n_parked (f->service), ==, 1);
  check_bins_reply (f, "mean", 60, T0 + 5, T0 + 3605, &replies[0]);

  spin_until_done (&replies[1].done, 5000);
  g_assert_cmpuint (nt_archive_service_get_n_parked (f->service), ==, 0);
  check_bins_reply (f, "mean", 600, T0 + 50, T0 + N_SECONDS - 1, &replies[1]);

  reply_clear (&replies[0]);
  reply_clear (&replies[1]);
}

/* A parked query whose client goes away is dropped at once: nothing is
 * started or answered for it later, and no critical. */
static void
test_parked_client_gone (Fixture       *f,
                         gconstpointer  user_data)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *q = query_for ("mean_60(T:RAMP)", T0 + 5, T0 + 3605);
  g_autofree char *uri = g_strdup_printf ("%s/retrieval/data/getData.json?%s", f->base, q);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  gboolean done = FALSE;
  gint64 deadline;
  guint tick;

  nt_archive_service_set_history_ready (f->service, FALSE);

  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, cancellable, abandoned_cb, &done);
  wait_parked (f, 1, 5000);

  /* The client gives up and closes its connection. */
  g_cancellable_cancel (cancellable);
  g_clear_object (&session);
  spin_until_done (&done, 5000);

  deadline = g_get_monotonic_time () + 5000 * 1000;
  tick = g_timeout_add (5, tick_cb, NULL);
  while (nt_archive_service_get_n_parked (f->service) > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_cmpuint (nt_archive_service_get_n_parked (f->service), ==, 0);

  /* The history comes: nothing to answer; the service still serves. */
  nt_archive_service_set_history_ready (f->service, TRUE);
  spin_for (200);
  check_bins (f, "mean", 60, T0 + 5, T0 + 3605);
}

/* Shutting the service down answers its parked queries (503) and every
 * later one; a server that goes away with parked queries drops them. */
static void
test_parked_shutdown (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autoptr(SoupSession) session = many_connections_session ();
  Reply replies[5] = { { 0 } };
  Reply reply;
  g_autofree char *q = query_for ("mean_60(T:RAMP)", T0 + 5, T0 + 3605);

  nt_archive_service_set_history_ready (f->service, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    send_request (session, f->base, q, &replies[i]);
  wait_parked (f, G_N_ELEMENTS (replies), 5000);

  nt_archive_service_shutdown (f->service);
  g_assert_cmpuint (nt_archive_service_get_n_parked (f->service), ==, 0);
  spin_until_all_done (replies, G_N_ELEMENTS (replies), 5000);
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      expect_error (&replies[i], 503, "unavailable");
      reply_clear (&replies[i]);
    }

  reply = request (f, "GET", q);
  expect_error (&reply, 503, "unavailable");
  reply_clear (&reply);

  /* Ready after the shutdown: nothing starts. */
  nt_archive_service_set_history_ready (f->service, TRUE);
  g_assert_cmpuint (nt_archive_service_get_n_parked (f->service), ==, 0);
}

static void
server_gone_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  guint *n_failed = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  g_assert_null (body);
  g_assert_nonnull (error);
  (*n_failed)++;
}

static void
test_parked_server_gone (Fixture       *f,
                         gconstpointer  user_data)
{
  g_autoptr(SoupSession) session = many_connections_session ();
  g_autofree char *q = query_for ("mean_60(T:RAMP)", T0 + 5, T0 + 3605);
  g_autofree char *uri = g_strdup_printf ("%s/retrieval/data/getData.json?%s", f->base, q);
  NtArchiveService *service = f->service;
  guint n_failed = 0;
  gint64 deadline;
  guint tick;

  nt_archive_service_set_history_ready (f->service, FALSE);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, server_gone_cb, &n_failed);
    }
  wait_parked (f, 5, 5000);

  /* The server closes every connection: the parked queries go with them. */
  soup_server_disconnect (f->server);
  g_assert_cmpuint (nt_archive_service_get_n_parked (service), ==, 0);
  g_clear_object (&f->server);

  deadline = g_get_monotonic_time () + 5000 * 1000;
  tick = g_timeout_add (5, tick_cb, NULL);
  while (n_failed < 5 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_cmpuint (n_failed, ==, 5);

  /* The history comes after all that; then the service goes. */
  nt_archive_service_notify_history_ready (service);
  spin_for (100);
  g_assert_finalize_object (g_steal_pointer (&f->service));
}

/* A facility started at an instant earlier than what its archive holds
 * (a training day after a run in real time) drops the samples after the
 * instant: the archive never holds a future. */
static void
test_clock_set_back (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("nt-archive-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "facility.db", NULL);
  gint64 later = nt_test_instant (NT_TEST_MAINTENANCE), earlier = nt_test_instant (NT_TEST_USER_OPERATION);
  const char *pv;

  for (guint run = 0; run < 2; run++)
    {
      g_autoptr(NtClock) clock = nt_clock_new_scaled (run == 0 ? later : earlier, 1.0);
      NtFacilityOptions options = { .db_path = db_path, .seed = 3, .clock = clock };
      g_autoptr(NtFacility) facility = nt_facility_new (&options, &error);
      gint64 last;

      g_assert_no_error (error);
      g_assert_true (wait_history (facility, 45000));
      pv = nt_ring_sim_lookup_signal (nt_facility_get_ring_sim (facility), "ring.current");
      g_assert_nonnull (pv);
      last = nt_history_get_last_time (nt_facility_get_db (facility), pv);
      g_test_message ("run %u: last sample %" G_GINT64_FORMAT " s after the clock's start", run,
                      last / G_USEC_PER_SEC - (run == 0 ? later : earlier) / G_USEC_PER_SEC);
      /* Nothing after the clock's now; the past week is there. */
      g_assert_cmpint (last, <=, nt_clock_get_now_us (clock));
      g_assert_cmpint (last, >=, (run == 0 ? later : earlier) - 60 * G_USEC_PER_SEC);
      nt_facility_shutdown (facility);
    }

  remove_db (db_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add ("/archive/raw", Fixture, NULL, fixture_setup, test_raw, fixture_teardown);
  g_test_add ("/archive/binned", Fixture, NULL, fixture_setup, test_binned, fixture_teardown);
  g_test_add ("/archive/errors", Fixture, NULL, fixture_setup, test_errors, fixture_teardown);
  g_test_add_func ("/archive/facility-history", test_facility_history);
  g_test_add_func ("/archive/clock-set-back", test_clock_set_back);
  g_test_add_data_func ("/archive/abandoned-query/client-gone", GINT_TO_POINTER (FALSE), test_abandoned_query);
  g_test_add_data_func ("/archive/abandoned-query/services-shut-down", GINT_TO_POINTER (TRUE), test_abandoned_query);
  g_test_add ("/archive/parked/many", Fixture, NULL, fixture_setup, test_parked_many, fixture_teardown);
  g_test_add ("/archive/parked/timeout", Fixture, NULL, fixture_setup, test_parked_timeout, fixture_teardown);
  g_test_add ("/archive/parked/client-gone", Fixture, NULL, fixture_setup, test_parked_client_gone, fixture_teardown);
  g_test_add ("/archive/parked/shutdown", Fixture, NULL, fixture_setup, test_parked_shutdown, fixture_teardown);
  g_test_add ("/archive/parked/server-gone", Fixture, NULL, fixture_setup, test_parked_server_gone, fixture_teardown);

  return g_test_run ();
}

/* test-archive-client.c: NtArchiveClient against the reference archive
 * (binned means equal the raw means, bins at their centre) and against
 * canned servers (malformed payloads, HTTP errors, cancellation)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "nt-archive-client.h"
#include "nt-client-error.h"
#include "nt-facility-profile.h"
#include "nt-pv-record.h"

#include "client-test-util.h"
#include "test-instants.h"

typedef struct
{
  NtArchiveResult *result;
  GError          *error;
  gboolean         done;
} Fetch;

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fetch *f = user_data;

  f->result = nt_archive_client_fetch_finish (NT_ARCHIVE_CLIENT (object), result, &f->error);
  f->done = TRUE;
}

static NtArchiveResult *
fetch (NtArchiveClient  *client,
       const char       *pv,
       gint64            from_usec,
       gint64            to_usec,
       guint             n_bins,
       NtArchiveKind     kind,
       GError          **error)
{
  Fetch f = { 0 };

  nt_archive_client_fetch_async (client, pv, from_usec, to_usec, n_bins, kind, NULL, fetch_cb, &f);
  g_assert_true (SPIN_UNTIL (f.done, 20000));
  if (f.error != NULL)
    g_propagate_error (error, f.error);
  return f.result;
}

static void
test_bin_seconds (void)
{
  gint64 hour = G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;

  g_assert_cmpuint (nt_archive_bin_seconds (0, hour, 60), ==, 60);
  g_assert_cmpuint (nt_archive_bin_seconds (0, hour, 61), ==, 60);    /* ceil(59.02) */
  g_assert_cmpuint (nt_archive_bin_seconds (0, hour, 59), ==, 62);    /* ceil(61.02) */
  g_assert_cmpuint (nt_archive_bin_seconds (0, hour, 1000), ==, 4);   /* ceil(3.6) */
  g_assert_cmpuint (nt_archive_bin_seconds (0, 10 * G_USEC_PER_SEC, 1200), ==, 1);
  g_assert_cmpuint (nt_archive_bin_seconds (0, 7 * 24 * hour, 1200), ==, 504);
}

/* --- against the reference services ------------------------------------- */

static void
profile_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  NtFacilityProfile **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = nt_facility_profile_load_finish (result, &error);
  g_assert_no_error (error);
}

typedef struct
{
  TestFacility      *tf;
  NtFacilityProfile *profile;
  NtArchiveClient   *client;
  const char        *pv;
  gint64             from;
  gint64             to;
  NtArchiveResult   *raw;
} Fixture;

/* One server and one hour of raw samples for every server test: the
 * services generate 7 days of history on first start, which takes a few
 * seconds, so it is done once. */
static Fixture *shared;

static void
fixture_set_up (Fixture *fx)
{
  g_autofree char *history = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now_s;
  const gint64 *times;
  guint n_in_range = 0;

  fx->tf = test_facility_start ();
  nt_facility_profile_load_async (NULL, fx->tf->base_uri, NULL, profile_cb, &fx->profile);
  g_assert_true (SPIN_UNTIL (fx->profile != NULL, 10000));
  history = nt_facility_profile_dup_history_uri (fx->profile);
  fx->client = nt_archive_client_new (history);
  fx->pv = nt_facility_profile_lookup (fx->profile, "ring.current");
  g_assert_nonnull (fx->pv);

  g_assert_true (SPIN_UNTIL (nt_facility_is_history_ready (fx->tf->facility), 50000));

  /* An hour of generated history, aligned to whole minutes, so that the
   * server's bins (aligned to multiples of N since the epoch) and ours
   * agree. */
  now_s = nt_clock_now ();
  fx->to = (now_s / 60 * 60 - 300) * G_USEC_PER_SEC;
  fx->from = fx->to - G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;

  fx->raw = fetch (fx->client, fx->pv, fx->from, fx->to, 0, NT_ARCHIVE_MEAN, &error);
  g_assert_no_error (error);
  g_assert_false (nt_archive_result_is_binned (fx->raw));
  g_assert_cmpuint (nt_archive_result_get_bin_seconds (fx->raw), ==, 0);
  g_assert_cmpstr (nt_archive_result_get_pv (fx->raw), ==, fx->pv);
  g_assert_cmpstr (nt_archive_result_get_units (fx->raw), ==, "mA");
  g_assert_null (nt_archive_result_get_max_values (fx->raw));

  times = nt_archive_result_get_times (fx->raw);
  for (guint i = 0; i < nt_archive_result_get_n_samples (fx->raw); i++)
    {
      if (i > 0)
        g_assert_cmpint (times[i], >=, times[i - 1]);
      if (times[i] >= fx->from && times[i] <= fx->to)
        n_in_range++;
    }
  g_test_message ("%u raw samples in the hour", n_in_range);
  g_assert_cmpuint (n_in_range, >=, 60);
}

static Fixture *
get_fixture (void)
{
  if (shared == NULL)
    {
      shared = g_new0 (Fixture, 1);
      fixture_set_up (shared);
    }
  return shared;
}

static void
fixture_tear_down (Fixture *fx)
{
  g_clear_pointer (&fx->raw, nt_archive_result_unref);
  g_clear_object (&fx->client);
  g_clear_object (&fx->profile);
  test_facility_free (fx->tf);
}

typedef struct
{
  double sum, min, max;
  guint  n;
} Bin;

/* The raw samples of the range in bins of @bin_seconds starting at
 * multiples of it: what the binned query must agree with. */
static GHashTable *
bin_raw (Fixture *fx,
         guint    bin_seconds)
{
  GHashTable *bins = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  const gint64 *times = nt_archive_result_get_times (fx->raw);
  const double *values = nt_archive_result_get_values (fx->raw);
  gint64 width = (gint64)bin_seconds * G_USEC_PER_SEC;

  for (guint i = 0; i < nt_archive_result_get_n_samples (fx->raw); i++)
    {
      gint64 start;
      Bin *bin;

      if (times[i] < fx->from || times[i] > fx->to)
        continue;

      start = times[i] / width * width;
      bin = g_hash_table_lookup (bins, &start);
      if (bin == NULL)
        {
          gint64 *key = g_new (gint64, 1);

          *key = start;
          bin = g_new0 (Bin, 1);
          bin->min = INFINITY;
          bin->max = -INFINITY;
          g_hash_table_insert (bins, key, bin);
        }
      bin->sum += values[i];
      bin->min = MIN (bin->min, values[i]);
      bin->max = MAX (bin->max, values[i]);
      bin->n++;
    }

  return bins;
}

static void
test_binned_mean (void)
{
  Fixture *fx = get_fixture ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NtArchiveResult) mean = NULL;
  g_autoptr(GHashTable) bins = NULL;
  const gint64 *times;
  const double *values;
  guint n, bin_seconds;
  gint64 half;

  mean = fetch (fx->client, fx->pv, fx->from, fx->to, 60, NT_ARCHIVE_MEAN, &error);
  g_assert_no_error (error);
  bin_seconds = nt_archive_result_get_bin_seconds (mean);
  g_assert_cmpuint (bin_seconds, ==, 60);
  g_assert_true (nt_archive_result_is_binned (mean));
  g_assert_cmpint (nt_archive_result_get_kind (mean), ==, NT_ARCHIVE_MEAN);
  g_assert_cmpstr (nt_archive_result_get_units (mean), ==, "mA");

  bins = bin_raw (fx, bin_seconds);
  n = nt_archive_result_get_n_samples (mean);
  times = nt_archive_result_get_times (mean);
  values = nt_archive_result_get_values (mean);
  half = (gint64)bin_seconds * G_USEC_PER_SEC / 2;

  g_assert_cmpuint (n, ==, g_hash_table_size (bins));
  g_assert_cmpuint (n, >=, 59);

  for (guint i = 0; i < n; i++)
    {
      gint64 start = times[i] - half;
      Bin *bin;
      double expected;

      /* stamped at the centre of a bin aligned to whole minutes */
      g_assert_cmpint (start % (60 * G_USEC_PER_SEC), ==, 0);
      g_assert_cmpint (times[i], >=, fx->from);
      g_assert_cmpint (times[i] <= fx->to + half, ==, TRUE);

      bin = g_hash_table_lookup (bins, &start);
      g_assert_nonnull (bin);
      expected = bin->sum / bin->n;
      g_assert_cmpfloat_with_epsilon (values[i], expected, 1e-9 * MAX (1.0, fabs (expected)));
    }
}

static void
test_binned_min_max (void)
{
  Fixture *fx = get_fixture ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NtArchiveResult) mean = NULL;
  g_autoptr(NtArchiveResult) lo = NULL;
  g_autoptr(NtArchiveResult) hi = NULL;
  g_autoptr(NtArchiveResult) both = NULL;
  g_autoptr(GHashTable) bins = NULL;
  gint64 half = 30 * G_USEC_PER_SEC;
  guint n;

  mean = fetch (fx->client, fx->pv, fx->from, fx->to, 60, NT_ARCHIVE_MEAN, &error);
  g_assert_no_error (error);
  lo = fetch (fx->client, fx->pv, fx->from, fx->to, 60, NT_ARCHIVE_MIN, &error);
  g_assert_no_error (error);
  hi = fetch (fx->client, fx->pv, fx->from, fx->to, 60, NT_ARCHIVE_MAX, &error);
  g_assert_no_error (error);
  both = fetch (fx->client, fx->pv, fx->from, fx->to, 60, NT_ARCHIVE_MINMAX, &error);
  g_assert_no_error (error);

  bins = bin_raw (fx, 60);
  n = nt_archive_result_get_n_samples (mean);
  g_assert_cmpuint (nt_archive_result_get_n_samples (lo), ==, n);
  g_assert_cmpuint (nt_archive_result_get_n_samples (hi), ==, n);
  g_assert_cmpuint (nt_archive_result_get_n_samples (both), ==, n);
  g_assert_nonnull (nt_archive_result_get_max_values (both));
  g_assert_null (nt_archive_result_get_max_values (lo));

  for (guint i = 0; i < n; i++)
    {
      gint64 t = nt_archive_result_get_times (mean)[i];
      gint64 start = t - half;
      Bin *bin = g_hash_table_lookup (bins, &start);
      double m = nt_archive_result_get_values (mean)[i];
      double vlo = nt_archive_result_get_values (lo)[i];
      double vhi = nt_archive_result_get_values (hi)[i];

      g_assert_nonnull (bin);
      g_assert_cmpint (nt_archive_result_get_times (lo)[i], ==, t);
      g_assert_cmpint (nt_archive_result_get_times (hi)[i], ==, t);
      g_assert_cmpint (nt_archive_result_get_times (both)[i], ==, t);
      g_assert_cmpfloat (vlo, ==, bin->min);
      g_assert_cmpfloat (vhi, ==, bin->max);
      g_assert_cmpfloat (vlo, <=, m + 1e-9);
      g_assert_cmpfloat (m, <=, vhi + 1e-9);
      g_assert_cmpfloat (nt_archive_result_get_values (both)[i], ==, vlo);
      g_assert_cmpfloat (nt_archive_result_get_max_values (both)[i], ==, vhi);
    }
}

static void
test_server_errors (void)
{
  Fixture *fx = get_fixture ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NtArchiveResult) result = NULL;

  result = fetch (fx->client, "NO:SUCH:PV", fx->from, fx->to, 0, NT_ARCHIVE_MEAN, &error);
  g_assert_null (result);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a week of raw 1 Hz samples is more than the archive gives at once:
   * the caller is told to ask for bins, and bins work */
  {
    gint64 week_from = fx->to - G_GINT64_CONSTANT (7 * 24 * 3600) * G_USEC_PER_SEC;
    g_autoptr(NtArchiveResult) week = NULL;

    result = fetch (fx->client, fx->pv, week_from, fx->to, 0, NT_ARCHIVE_MEAN, &error);
    g_assert_null (result);
    g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_TOO_LARGE);
    g_clear_error (&error);

    week = fetch (fx->client, fx->pv, week_from, fx->to, 1200, NT_ARCHIVE_MINMAX, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (nt_archive_result_get_bin_seconds (week), ==, 504);
    g_assert_cmpuint (nt_archive_result_get_n_samples (week), >, 1000);
    g_assert_cmpuint (nt_archive_result_get_n_samples (week), <=, 1202);
  }

  /* checked before anything is sent */
  result = fetch (fx->client, fx->pv, fx->to, fx->from, 0, NT_ARCHIVE_MEAN, &error);
  g_assert_null (result);
  g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_INPUT);
}

/* --- canned answers ------------------------------------------------------ */

typedef struct
{
  const char *pv;
  guint       status;
  const char *body;
} Canned;

static const Canned canned[] = {
  /* good */
  { "empty", 200, "[]" },
  { "good", 200, "[{\"meta\":{\"name\":\"good\",\"EGU\":\"mA\",\"PREC\":\"3\"},\"data\":["
                 "{\"secs\":1000,\"nanos\":500000000,\"val\":1.5,\"severity\":0,\"status\":0},"
                 "{\"secs\":1001,\"nanos\":0,\"val\":2,\"severity\":1,\"status\":3}]}]" },
  { "mean_60(good)", 200, "[{\"meta\":{\"name\":\"good\",\"PREC\":2},\"data\":["
                          "{\"secs\":960,\"nanos\":0,\"val\":1.0,\"severity\":0,\"status\":0,\"count\":10},"
                          "{\"secs\":1020,\"nanos\":0,\"val\":3.0,\"severity\":2,\"status\":0,\"count\":7}]}]" },
  { "min_60(good)", 200, "[{\"meta\":{\"name\":\"good\"},\"data\":["
                         "{\"secs\":960,\"nanos\":0,\"val\":0.5},"
                         "{\"secs\":1020,\"nanos\":0,\"val\":2.5}]}]" },
  { "max_60(good)", 200, "[{\"meta\":{\"name\":\"good\"},\"data\":["
                         "{\"secs\":960,\"nanos\":0,\"val\":1.5},"
                         "{\"secs\":1080,\"nanos\":0,\"val\":9.0}]}]" },
  /* malformed */
  { "not-json", 200, "this is not json" },
  { "truncated", 200, "[{\"meta\":{\"name\":\"x\"},\"data\":[{\"secs\":1," },
  { "no-body", 200, "" },
  { "object", 200, "{\"meta\":{},\"data\":[]}" },
  { "number", 200, "42" },
  { "two-series", 200, "[{\"meta\":{\"name\":\"a\"},\"data\":[]},{\"meta\":{\"name\":\"b\"},\"data\":[]}]" },
  { "series-not-object", 200, "[[1,2,3]]" },
  { "no-meta", 200, "[{\"data\":[]}]" },
  { "meta-array", 200, "[{\"meta\":[],\"data\":[]}]" },
  { "meta-no-name", 200, "[{\"meta\":{\"EGU\":\"mA\"},\"data\":[]}]" },
  { "egu-number", 200, "[{\"meta\":{\"name\":\"x\",\"EGU\":5},\"data\":[]}]" },
  { "prec-word", 200, "[{\"meta\":{\"name\":\"x\",\"PREC\":\"three\"},\"data\":[]}]" },
  { "no-data", 200, "[{\"meta\":{\"name\":\"x\"}}]" },
  { "data-object", 200, "[{\"meta\":{\"name\":\"x\"},\"data\":{}}]" },
  { "sample-number", 200, "[{\"meta\":{\"name\":\"x\"},\"data\":[5]}]" },
  { "secs-string", 200, "[{\"meta\":{\"name\":\"x\"},\"data\":[{\"secs\":\"1\",\"nanos\":0,\"val\":1}]}]" },
  { "secs-negative", 200, "[{\"meta\":{\"name\":\"x\"},\"data\":[{\"secs\":-5,\"nanos\":0,\"val\":1}]}]" },
  { "secs-fraction", 200, "[{\"meta\":{\"name\":\"x\"},\"data\":[{\"secs\":1.5,\"nanos\":0,\"val\":1}]}]" },
  { "no-nanos", 200, "[{\"meta\":{\"name\":\"x\"},\"data\":[{\"secs\":1,\"val\":1}]}]" },
  { "nanos-big", 200, "[{\"meta\":{\"name\":\"x\"},\"data\":[{\"secs\":1,\"nanos\":1000000000,\"val\":1}]}]" },
  { "no-val", 200, "[{\"meta\":{\"name\":\"x\"},\"data\":[{\"secs\":1,\"nanos\":0}]}]" },
  { "val-string", 200, "[{\"meta\":{\"name\":\"x\"},\"data\":[{\"secs\":1,\"nanos\":0,\"val\":\"high\"}]}]" },
  { "val-array", 200, "[{\"meta\":{\"name\":\"x\"},\"data\":[{\"secs\":1,\"nanos\":0,\"val\":[1,2]}]}]" },
  { "val-null", 200, "[{\"meta\":{\"name\":\"x\"},\"data\":[{\"secs\":1,\"nanos\":0,\"val\":null}]}]" },
  { "severity-negative", 200, "[{\"meta\":{\"name\":\"x\"},\"data\":[{\"secs\":1,\"nanos\":0,\"val\":1,\"severity\":-1}]}]" },
  { "out-of-order", 200, "[{\"meta\":{\"name\":\"x\"},\"data\":[{\"secs\":5,\"nanos\":0,\"val\":1},{\"secs\":4,\"nanos\":0,\"val\":1}]}]" },
  { "nan-literal", 200, "[{\"meta\":{\"name\":\"x\"},\"data\":[{\"secs\":1,\"nanos\":0,\"val\":NaN}]}]" },
  /* HTTP errors */
  { "missing", 404, "{\"error\":{\"code\":\"not_found\",\"message\":\"No PV named 'missing' is archived\",\"details\":null}}" },
  { "huge", 400, "{\"error\":{\"code\":\"too_many_points\",\"message\":\"More than 500000 samples\",\"details\":{\"limit\":500000}}}" },
  { "bad-request", 400, "{\"error\":{\"code\":\"invalid_time\",\"message\":\"'from' is not ISO 8601\",\"details\":null}}" },
  { "too-large", 413, "" },
  { "broken", 500, "<html>Internal error</html>" },
  { "redirect", 204, "" },
};

static GPtrArray *paused_messages;

static void
canned_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  const char *pv = query != NULL ? g_hash_table_lookup (query, "pv") : NULL;

  g_assert_nonnull (pv);
  g_assert_nonnull (g_hash_table_lookup (query, "from"));
  g_assert_nonnull (g_hash_table_lookup (query, "to"));

  if (g_str_has_prefix (pv, "big"))
    {
      /* a valid answer of about 60 kB, with a length or chunked */
      GString *body = g_string_new ("[{\"meta\":{\"name\":\"big\"},\"data\":[");

      for (guint i = 0; i < 1000; i++)
        g_string_append_printf (body, "%s{\"secs\":%u,\"nanos\":0,\"val\":%u.5,\"severity\":0,\"status\":0}",
                                i > 0 ? "," : "", 1000 + i, i);
      g_string_append (body, "]}]");

      soup_server_message_set_status (msg, 200, NULL);
      if (g_str_equal (pv, "big-chunked"))
        {
          SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
          SoupMessageBody *response = soup_server_message_get_response_body (msg);

          soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
          soup_message_headers_set_content_type (headers, "application/json", NULL);
          for (gsize off = 0; off < body->len; off += 4096)
            soup_message_body_append (response, SOUP_MEMORY_COPY, body->str + off,
                                      MIN (4096, body->len - off));
          soup_message_body_complete (response);
        }
      else
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body->str, body->len);
      g_string_free (body, TRUE);
      return;
    }

  if (g_str_equal (pv, "slow") || g_str_has_suffix (pv, "(slow)"))
    {
      /* never answers: the client has to cancel */
      g_ptr_array_add (paused_messages, g_object_ref (msg));
      soup_server_message_pause (msg);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (canned); i++)
    {
      if (g_str_equal (canned[i].pv, pv))
        {
          soup_server_message_set_status (msg, canned[i].status, NULL);
          if (canned[i].status != 204)
            soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                              canned[i].body, strlen (canned[i].body));
          return;
        }
    }

  soup_server_message_set_status (msg, 404, NULL);
}

static SoupServer *
canned_server_new (char **uri)
{
  SoupServer *server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  soup_server_add_handler (server, "/retrieval/data/getData.json", canned_cb, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  *uri = g_strdup_printf ("http://127.0.0.1:%d/retrieval/data/getData.json",
                          g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  return server;
}

static void
test_canned_good (void)
{
  g_autofree char *uri = NULL;
  g_autoptr(SoupServer) server = canned_server_new (&uri);
  g_autoptr(NtArchiveClient) client = nt_archive_client_new (uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(NtArchiveResult) empty = NULL;
  g_autoptr(NtArchiveResult) raw = NULL;
  g_autoptr(NtArchiveResult) mean = NULL;
  g_autoptr(NtArchiveResult) both = NULL;
  gint64 from = 900 * G_USEC_PER_SEC, to = 1140 * G_USEC_PER_SEC;

  empty = fetch (client, "empty", from, to, 0, NT_ARCHIVE_MEAN, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nt_archive_result_get_n_samples (empty), ==, 0);

  raw = fetch (client, "good", from, to, 0, NT_ARCHIVE_MEAN, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nt_archive_result_get_n_samples (raw), ==, 2);
  g_assert_cmpstr (nt_archive_result_get_units (raw), ==, "mA");
  g_assert_cmpint (nt_archive_result_get_precision (raw), ==, 3);
  g_assert_cmpint (nt_archive_result_get_times (raw)[0], ==, 1000 * G_USEC_PER_SEC + 500000);
  g_assert_cmpint (nt_archive_result_get_times (raw)[1], ==, 1001 * G_USEC_PER_SEC);
  g_assert_cmpfloat (nt_archive_result_get_values (raw)[0], ==, 1.5);
  g_assert_cmpfloat (nt_archive_result_get_values (raw)[1], ==, 2.0);
  g_assert_cmpuint (nt_archive_result_get_severities (raw)[1], ==, NT_PV_SEVERITY_MINOR);

  /* 240 s in 4 bins: N = 60, asked as mean_60(good); the archive stamps
   * bins at their start, the result at their centre */
  mean = fetch (client, "good", from, to, 4, NT_ARCHIVE_MEAN, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nt_archive_result_get_bin_seconds (mean), ==, 60);
  g_assert_cmpuint (nt_archive_result_get_n_samples (mean), ==, 2);
  g_assert_cmpint (nt_archive_result_get_times (mean)[0], ==, 990 * G_USEC_PER_SEC);
  g_assert_cmpint (nt_archive_result_get_times (mean)[1], ==, 1050 * G_USEC_PER_SEC);
  g_assert_cmpfloat (nt_archive_result_get_values (mean)[1], ==, 3.0);
  g_assert_cmpuint (nt_archive_result_get_severities (mean)[1], ==, NT_PV_SEVERITY_MAJOR);
  g_assert_cmpint (nt_archive_result_get_precision (mean), ==, 2);

  /* min and max joined by bin; a bin only one side has counts for both */
  both = fetch (client, "good", from, to, 4, NT_ARCHIVE_MINMAX, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nt_archive_result_get_n_samples (both), ==, 3);
  g_assert_cmpint (nt_archive_result_get_times (both)[0], ==, 990 * G_USEC_PER_SEC);
  g_assert_cmpfloat (nt_archive_result_get_values (both)[0], ==, 0.5);
  g_assert_cmpfloat (nt_archive_result_get_max_values (both)[0], ==, 1.5);
  g_assert_cmpint (nt_archive_result_get_times (both)[1], ==, 1050 * G_USEC_PER_SEC);
  g_assert_cmpfloat (nt_archive_result_get_values (both)[1], ==, 2.5);
  g_assert_cmpfloat (nt_archive_result_get_max_values (both)[1], ==, 2.5);
  g_assert_cmpint (nt_archive_result_get_times (both)[2], ==, 1110 * G_USEC_PER_SEC);
  g_assert_cmpfloat (nt_archive_result_get_values (both)[2], ==, 9.0);
  g_assert_cmpfloat (nt_archive_result_get_max_values (both)[2], ==, 9.0);
}

static void
test_canned_malformed (void)
{
  g_autofree char *uri = NULL;
  g_autoptr(SoupServer) server = canned_server_new (&uri);
  g_autoptr(NtArchiveClient) client = nt_archive_client_new (uri);
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (canned); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NtArchiveResult) result = NULL;

      if (canned[i].status != 200 || strstr (canned[i].pv, "good") != NULL ||
          g_str_equal (canned[i].pv, "empty"))
        continue;

      g_test_message ("malformed: %s", canned[i].pv);
      result = fetch (client, canned[i].pv, G_USEC_PER_SEC, 100 * G_USEC_PER_SEC, 0, NT_ARCHIVE_MEAN, &error);
      g_assert_null (result);
      g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_INVALID_DATA);
      g_assert_true (strlen (error->message) > 30);
      n++;
    }
  g_assert_cmpuint (n, >=, 25);
}

static void
test_canned_http_errors (void)
{
  static const struct {
    const char *pv;
    int         code;
    const char *quoted;
  } cases[] = {
    { "missing", NT_CLIENT_ERROR_NOT_FOUND, "No PV named 'missing'" },
    { "huge", NT_CLIENT_ERROR_TOO_LARGE, "More than 500000" },
    { "bad-request", NT_CLIENT_ERROR_INVALID_INPUT, "not ISO 8601" },
    { "too-large", NT_CLIENT_ERROR_TOO_LARGE, NULL },
    { "broken", NT_CLIENT_ERROR_SERVER, NULL },
    { "redirect", NT_CLIENT_ERROR_PROTOCOL, NULL },
  };
  g_autofree char *uri = NULL;
  g_autoptr(SoupServer) server = canned_server_new (&uri);
  g_autoptr(NtArchiveClient) client = nt_archive_client_new (uri);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NtArchiveResult) result = NULL;

      g_test_message ("HTTP error: %s", cases[i].pv);
      result = fetch (client, cases[i].pv, G_USEC_PER_SEC, 100 * G_USEC_PER_SEC, 0, NT_ARCHIVE_MEAN, &error);
      g_assert_null (result);
      g_assert_error (error, NT_CLIENT_ERROR, cases[i].code);
      if (cases[i].quoted != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].quoted));
    }

  /* nobody listening */
  {
    g_autofree char *dead = g_strdup_printf ("http://127.0.0.1:%u/retrieval/data/getData.json", unused_port ());
    g_autoptr(NtArchiveClient) nowhere = nt_archive_client_new (dead);
    g_autoptr(GError) error = NULL;
    g_autoptr(NtArchiveResult) result = NULL;

    result = fetch (nowhere, "good", G_USEC_PER_SEC, 100 * G_USEC_PER_SEC, 0, NT_ARCHIVE_MEAN, &error);
    g_assert_null (result);
    g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NETWORK);
  }
}

static void
test_canned_size_limit (void)
{
  static const char * const pvs[] = { "big", "big-chunked" };
  g_autofree char *uri = NULL;
  g_autoptr(SoupServer) server = canned_server_new (&uri);

  for (guint i = 0; i < G_N_ELEMENTS (pvs); i++)
    {
      g_autoptr(NtArchiveClient) client = nt_archive_client_new (uri);
      g_autoptr(GError) error = NULL;
      g_autoptr(NtArchiveResult) result = NULL;

      g_test_message ("size limit: %s", pvs[i]);

      /* within the limit */
      result = fetch (client, pvs[i], G_USEC_PER_SEC, G_GINT64_CONSTANT (3000) * G_USEC_PER_SEC, 0, NT_ARCHIVE_MEAN, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (nt_archive_result_get_n_samples (result), ==, 1000);
      g_assert_cmpfloat (nt_archive_result_get_values (result)[999], ==, 999.5);
      g_clear_pointer (&result, nt_archive_result_unref);

      /* beyond it: refused before parsing */
      nt_archive_client_set_max_response_size (client, 20000);
      result = fetch (client, pvs[i], G_USEC_PER_SEC, G_GINT64_CONSTANT (3000) * G_USEC_PER_SEC, 0, NT_ARCHIVE_MEAN, &error);
      g_assert_null (result);
      g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_TOO_LARGE);
    }
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autofree char *uri = NULL;
  g_autoptr(SoupServer) server = canned_server_new (&uri);
  g_autoptr(NtArchiveClient) client = nt_archive_client_new (uri);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Fetch f = { 0 };
  gint64 start;

  paused_messages = g_ptr_array_new_with_free_func (g_object_unref);

  /* both halves of a MINMAX query are cancelled */
  nt_archive_client_fetch_async (client, "slow", G_USEC_PER_SEC, 100 * G_USEC_PER_SEC, 10,
                                 NT_ARCHIVE_MINMAX, cancellable, fetch_cb, &f);
  g_assert_true (SPIN_UNTIL (paused_messages->len == 2, 5000));
  start = g_get_monotonic_time ();
  g_timeout_add (50, cancel_cb, cancellable);
  g_assert_true (SPIN_UNTIL (f.done, 5000));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_null (f.result);
  g_assert_error (f.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (nt_client_error_is_cancelled (f.error));
  g_clear_error (&f.error);

  for (guint i = 0; i < paused_messages->len; i++)
    soup_server_message_unpause (g_ptr_array_index (paused_messages, i));
  g_clear_pointer (&paused_messages, g_ptr_array_unref);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* Every test here runs at a named instant, never at the real date. */

  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add_func ("/archive-client/bin-seconds", test_bin_seconds);
  g_test_add_func ("/archive-client/canned/good", test_canned_good);
  g_test_add_func ("/archive-client/canned/malformed", test_canned_malformed);
  g_test_add_func ("/archive-client/canned/http-errors", test_canned_http_errors);
  g_test_add_func ("/archive-client/canned/size-limit", test_canned_size_limit);
  g_test_add_func ("/archive-client/canned/cancel", test_cancel);
  g_test_add_func ("/archive-client/server/binned-mean", test_binned_mean);
  g_test_add_func ("/archive-client/server/binned-min-max", test_binned_min_max);
  g_test_add_func ("/archive-client/server/errors", test_server_errors);

  ret = g_test_run ();

  if (shared != NULL)
    {
      fixture_tear_down (shared);
      g_free (shared);
    }

  return ret;
}

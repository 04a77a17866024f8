/* test-network-faults.c: the console's clients through a link that cuts,
 * stalls, slices and delays
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reference services run on 127.0.0.1 and the clients reach them
 * through fault-proxy.h's relay.  The live-value client keeps working with
 * its frames sliced into single bytes and delayed; it says
 * "disconnected" within 2 s of a cut and of a stall (what the connection
 * indicator shows), tries again with a growing back-off while the link is
 * down, and comes back when it is up.  The archive and scheduling clients
 * get the same answers sliced and delayed as straight; a reply cut half-way
 * (an archive, run-plan, statistics or facility-profile answer) is a
 * network error (libsoup 3.2 hands over the short body as if whole:
 * the clients compare it with its Content-Length) and the next call
 * works.  A strip chart fed through the
 * relay refills a stalled span from the archive with exactly the
 * archive's samples: none missing, none twice.
 */
#define G_LOG_DOMAIN "test-network-faults"

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "client-test-util.h"
#include "fault-proxy.h"
#include "nt-archive-client.h"
#include "nt-auth.h"
#include "nt-chart-feed.h"
#include "nt-client-error.h"
#include "nt-db.h"
#include "nt-facility-profile.h"
#include "nt-pv-client.h"
#include "nt-schedule-client.h"
#include "nt-series.h"
#include "nt-statistics-client.h"
#include "nt-strip-chart-private.h"
#include "nt-strip-chart.h"
#include "test-instants.h"

#define SEC ((gint64) G_USEC_PER_SEC)

typedef struct
{
  TestFacility      *tf;
  NtFacilityProfile *profile;
  FaultProxy        *proxy;
  char              *live_uri;      /* through the proxy */
  char              *history_uri;   /* straight */
  const char        *pv;
} Fixture;

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

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *live = NULL;

  f->tf = test_facility_start ();
  nt_facility_profile_load_async (NULL, f->tf->base_uri, NULL, profile_cb, &f->profile);
  g_assert_true (SPIN_UNTIL (f->profile != NULL, 10000));
  f->proxy = fault_proxy_new (f->tf->port);
  live = nt_facility_profile_dup_live_uri (f->profile);
  f->live_uri = fault_proxy_uri (f->proxy, live);
  f->history_uri = nt_facility_profile_dup_history_uri (f->profile);
  f->pv = nt_facility_profile_lookup (f->profile, "ring.current");
  g_assert_nonnull (f->pv);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  fault_proxy_free (f->proxy);
  g_clear_pointer (&f->live_uri, g_free);
  g_clear_pointer (&f->history_uri, g_free);
  g_clear_object (&f->profile);
  test_facility_free (f->tf);
}

typedef struct
{
  guint n_updates;
  guint n_disconnected;
  guint n_gaps;
} Seen;

static void
updates_cb (NtPvClient  *client,
            char       **names,
            Seen        *seen)
{
  seen->n_updates++;
}

static void
state_cb (NtPvClient *client,
          GParamSpec *pspec,
          Seen       *seen)
{
  if (nt_pv_client_get_state (client) == NT_CONNECTION_DISCONNECTED)
    seen->n_disconnected++;
}

static void
gap_cb (NtPvClient *client,
        gint64      lost_at,
        gint64      restored_at,
        Seen       *seen)
{
  g_assert_cmpint (lost_at, <=, restored_at);
  seen->n_gaps++;
}

/* Spins until @client is disconnected; returns how long that took (ms). */
static double
ms_to_disconnected (NtPvClient *client,
                    gint64      since)
{
  g_assert_true (SPIN_UNTIL (nt_pv_client_get_state (client) == NT_CONNECTION_DISCONNECTED, 5000));
  return (g_get_monotonic_time () - since) / 1000.0;
}

static void
test_live (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(NtPvClient) live = nt_pv_client_new (f->live_uri);
  Seen seen = { 0 };
  NtPvRecord *record;
  guint n, first_attempt;
  gint64 t0;
  double ms;

  g_signal_connect (live, "updates", G_CALLBACK (updates_cb), &seen);
  g_signal_connect (live, "notify::state", G_CALLBACK (state_cb), &seen);
  g_signal_connect (live, "gap", G_CALLBACK (gap_cb), &seen);
  nt_pv_client_set_reconnect_delays (live, 100, 1600);

  /* Every byte its own segment, and everything 200 ms late: the frames
   * still come together, and the keep-alive still holds */
  f->proxy->slice = TRUE;
  f->proxy->delay_ms = 200;
  /* In the slower sanitizer build (and a loaded machine) a sliced echo
   * can take longer than the keep-alive's 1.5 s to come back whole; the
   * bound scales there like the test's own waits (the default again below). */
  nt_pv_client_set_keepalive (live, 500, (guint) (1500 * nt_test_wait_factor ()));
  record = nt_pv_client_subscribe (live, f->pv);
  nt_pv_client_start (live);
  g_assert_true (SPIN_UNTIL (nt_pv_client_get_state (live) == NT_CONNECTION_CONNECTED, 10000));
  g_assert_true (SPIN_UNTIL (nt_pv_record_is_live (record) && seen.n_updates >= 5, 10000));
  n = nt_pv_record_get_n_updates (record);
  spin_for (3000);
  g_assert_cmpuint (nt_pv_record_get_n_updates (record), >, n + 1);
  g_assert_true (isfinite (nt_pv_record_get_double (record)));
  g_assert_cmpuint (seen.n_disconnected, ==, 0);
  f->proxy->slice = FALSE;
  f->proxy->delay_ms = 0;
  nt_pv_client_set_keepalive (live, 500, 1500);

  /* Cut: "disconnected" at once; attempts again and again, further apart */
  t0 = g_get_monotonic_time ();
  first_attempt = f->proxy->attempts->len;
  fault_proxy_set_cut (f->proxy, TRUE);
  ms = ms_to_disconnected (live, t0);
  g_test_message ("disconnected %.0f ms after the cut", ms);
  g_assert_cmpfloat (ms, <, 2000);
  g_assert_false (nt_pv_record_is_live (record));
  g_assert_true (SPIN_UNTIL (f->proxy->attempts->len >= first_attempt + 5, 10000));
  {
    const gint64 *at = &g_array_index (f->proxy->attempts, gint64, first_attempt);
    double gap[4];

    for (guint i = 0; i < 4; i++)
      {
        gap[i] = (at[i + 1] - at[i]) / 1000.0;
        g_test_message ("attempt %u → %u: %.0f ms", i + 1, i + 2, gap[i]);
        /* equal jitter over a doubling delay: at least half of it */
        g_assert_cmpfloat (gap[i], >=, 100.0 * (1 << (i + 1)) / 2 - 20);
      }
    g_assert_cmpfloat (gap[3], >, gap[0]);
  }

  /* Back up: connected, live again, and the gap reported */
  fault_proxy_set_cut (f->proxy, FALSE);
  g_assert_true (SPIN_UNTIL (nt_pv_client_get_state (live) == NT_CONNECTION_CONNECTED, 5000));
  g_assert_true (SPIN_UNTIL (nt_pv_record_is_live (record), 5000));
  g_assert_cmpuint (seen.n_gaps, ==, 1);

  /* Stall: the sockets stay open, nothing comes; the keep-alive notices */
  spin_for (500);
  t0 = g_get_monotonic_time ();
  fault_proxy_set_stall (f->proxy, TRUE);
  ms = ms_to_disconnected (live, t0);
  g_test_message ("disconnected %.0f ms after the stall", ms);
  g_assert_cmpfloat (ms, <, 2000);
  fault_proxy_set_stall (f->proxy, FALSE);
  g_assert_true (SPIN_UNTIL (nt_pv_client_get_state (live) == NT_CONNECTION_CONNECTED, 5000));
  g_assert_true (SPIN_UNTIL (nt_pv_record_is_live (record), 5000));
  g_assert_cmpuint (seen.n_gaps, ==, 2);

  /* Cut while a message is half-way through (sliced, delayed) */
  f->proxy->slice = TRUE;
  f->proxy->delay_ms = 50;
  spin_for (700);
  fault_proxy_set_cut (f->proxy, TRUE);
  (void) ms_to_disconnected (live, g_get_monotonic_time ());
  f->proxy->slice = FALSE;
  f->proxy->delay_ms = 0;
  fault_proxy_set_cut (f->proxy, FALSE);
  g_assert_true (SPIN_UNTIL (nt_pv_client_get_state (live) == NT_CONNECTION_CONNECTED, 5000));
  g_assert_true (SPIN_UNTIL (nt_pv_record_is_live (record), 5000));

  nt_pv_client_stop (live);
}

typedef struct
{
  NtArchiveResult *result;
  GError          *error;
  gboolean         done;
} Fetched;

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fetched *out = user_data;

  out->result = nt_archive_client_fetch_finish (NT_ARCHIVE_CLIENT (object), result, &out->error);
  out->done = TRUE;
}

static Fetched
fetch (NtArchiveClient *client,
       const char      *pv,
       gint64           from,
       gint64           to)
{
  Fetched out = { 0 };

  nt_archive_client_fetch_async (client, pv, from, to, 0, NT_ARCHIVE_MEAN, NULL, fetch_cb, &out);
  g_assert_true (SPIN_UNTIL (out.done, 60000));
  return out;
}

typedef struct
{
  GPtrArray *items;
  GError    *error;
  gboolean   done;
} Listed;

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Listed *out = user_data;
  gint64 revision;

  out->items = nt_schedule_client_list_run_plan_finish (NT_SCHEDULE_CLIENT (object), result, &revision, &out->error);
  out->done = TRUE;
}

static Listed
list_run_plan (NtScheduleClient *client)
{
  Listed out = { 0 };

  nt_schedule_client_list_run_plan_async (client, 0, 0, NULL, list_cb, &out);
  g_assert_true (SPIN_UNTIL (out.done, 60000));
  return out;
}

typedef struct
{
  NtStatistics *stats;
  GError       *error;
  gboolean      done;
} Counted;

static void
statistics_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Counted *out = user_data;

  out->stats = nt_statistics_client_fetch_finish (NT_STATISTICS_CLIENT (object), result, &out->error);
  out->done = TRUE;
}

static Counted
fetch_statistics (NtStatisticsClient *client,
                  gint64              from,
                  gint64              to)
{
  Counted out = { 0 };

  nt_statistics_client_fetch_async (client, from, to, NULL, statistics_cb, &out);
  g_assert_true (SPIN_UNTIL (out.done, 60000));
  return out;
}

typedef struct
{
  NtFacilityProfile *profile;
  GError            *error;
  gboolean           done;
} Profiled;

static void
profile_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Profiled *out = user_data;

  out->profile = nt_facility_profile_load_finish (result, &out->error);
  out->done = TRUE;
}

static Profiled
load_profile (const char *base_uri)
{
  Profiled out = { 0 };

  nt_facility_profile_load_async (NULL, base_uri, NULL, profile_done_cb, &out);
  g_assert_true (SPIN_UNTIL (out.done, 60000));
  return out;
}

static void
assert_same_samples (NtArchiveResult *a,
                     NtArchiveResult *b)
{
  g_assert_cmpuint (nt_archive_result_get_n_samples (a), ==, nt_archive_result_get_n_samples (b));
  for (guint i = 0; i < nt_archive_result_get_n_samples (a); i++)
    {
      g_assert_cmpint (nt_archive_result_get_times (a)[i], ==, nt_archive_result_get_times (b)[i]);
      g_assert_cmpfloat (nt_archive_result_get_values (a)[i], ==, nt_archive_result_get_values (b)[i]);
    }
}

static void
test_http (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *archive_uri = fault_proxy_uri (f->proxy, f->history_uri);
  g_autofree char *schedule_uri = fault_proxy_uri (f->proxy, f->tf->base_uri);
  g_autoptr(NtArchiveClient) straight = nt_archive_client_new (f->history_uri);
  g_autoptr(NtArchiveClient) relayed = nt_archive_client_new (archive_uri);
  g_autoptr(NtScheduleClient) schedule_straight = NULL;
  g_autoptr(NtScheduleClient) schedule = NULL;
  g_autofree char *token = NULL;
  gint64 to = nt_clock_now_us () - 60 * SEC;
  gint64 from = to - 10 * 60 * SEC;
  Fetched want, got;
  Listed plan, plan_relayed;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(NtDb) db = nt_db_open (f->tf->db_path, &error);

    g_assert_no_error (error);
    token = nt_auth_token_create (db, NT_ROLE_VIEWER, "network faults", &error);
    g_assert_no_error (error);
  }
  schedule_straight = nt_schedule_client_new (f->tf->base_uri, token);
  schedule = nt_schedule_client_new (schedule_uri, token);
  g_assert_true (SPIN_UNTIL (nt_facility_is_history_ready (f->tf->facility), 50000));

  want = fetch (straight, f->pv, from, to);
  g_assert_no_error (want.error);
  g_assert_cmpuint (nt_archive_result_get_n_samples (want.result), >, 500);
  plan = list_run_plan (schedule_straight);
  g_assert_no_error (plan.error);
  g_assert_cmpuint (plan.items->len, >, 0);

  /* Sliced into single bytes and delayed: the same answers */
  f->proxy->slice = TRUE;
  f->proxy->delay_ms = 100;
  got = fetch (relayed, f->pv, from, to);
  g_assert_no_error (got.error);
  assert_same_samples (want.result, got.result);
  g_clear_pointer (&got.result, nt_archive_result_unref);
  plan_relayed = list_run_plan (schedule);
  g_assert_no_error (plan_relayed.error);
  g_assert_cmpuint (plan_relayed.items->len, ==, plan.items->len);
  g_clear_pointer (&plan_relayed.items, g_ptr_array_unref);
  f->proxy->slice = FALSE;
  f->proxy->delay_ms = 0;

  /* A reply cut after its headers: an error, and the next call works */
  f->proxy->next_cut_after = 300;
  got = fetch (relayed, f->pv, from, to);
  /* (a broken link, not an answer "this console cannot read") */
  g_assert_error (got.error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NETWORK);
  g_assert_null (got.result);
  g_test_message ("archive reply cut: %s", got.error->message);
  g_clear_error (&got.error);
  got = fetch (relayed, f->pv, from, to);
  g_assert_no_error (got.error);
  assert_same_samples (want.result, got.result);
  g_clear_pointer (&got.result, nt_archive_result_unref);

  f->proxy->next_cut_after = 300;
  plan_relayed = list_run_plan (schedule);
  g_assert_error (plan_relayed.error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NETWORK);
  g_assert_null (plan_relayed.items);
  g_test_message ("schedule reply cut: %s", plan_relayed.error->message);
  g_clear_error (&plan_relayed.error);
  plan_relayed = list_run_plan (schedule);
  g_assert_no_error (plan_relayed.error);
  g_assert_cmpuint (plan_relayed.items->len, ==, plan.items->len);
  g_clear_pointer (&plan_relayed.items, g_ptr_array_unref);

  /* The statistics and the facility profile, cut mid-body: a broken link
   * too, not data "this console cannot read"; the next call works */
  {
    g_autoptr(NtStatisticsClient) statistics = nt_statistics_client_new (schedule_uri, token);
    gint64 day_to = (to / SEC) / 3600 * 3600;
    Counted counted;
    Profiled profiled;

    counted = fetch_statistics (statistics, day_to - 2 * 86400, day_to);
    g_assert_no_error (counted.error);
    g_clear_pointer (&counted.stats, nt_statistics_unref);
    f->proxy->next_cut_after = 300;
    counted = fetch_statistics (statistics, day_to - 2 * 86400, day_to);
    g_assert_error (counted.error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NETWORK);
    g_assert_null (counted.stats);
    g_test_message ("statistics reply cut: %s", counted.error->message);
    g_clear_error (&counted.error);
    counted = fetch_statistics (statistics, day_to - 2 * 86400, day_to);
    g_assert_no_error (counted.error);
    g_clear_pointer (&counted.stats, nt_statistics_unref);

    f->proxy->next_cut_after = 300;
    profiled = load_profile (schedule_uri);
    g_assert_error (profiled.error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_NETWORK);
    g_assert_null (profiled.profile);
    g_test_message ("profile reply cut: %s", profiled.error->message);
    g_clear_error (&profiled.error);
    profiled = load_profile (schedule_uri);
    g_assert_no_error (profiled.error);
    g_clear_object (&profiled.profile);
  }

  /* A stall shorter than the timeouts only makes the answer late */
  fault_proxy_set_stall (f->proxy, TRUE);
  {
    Fetched late = { 0 };

    nt_archive_client_fetch_async (relayed, f->pv, from, to, 0, NT_ARCHIVE_MEAN, NULL, fetch_cb, &late);
    spin_for (1500);
    g_assert_false (late.done);
    fault_proxy_set_stall (f->proxy, FALSE);
    g_assert_true (SPIN_UNTIL (late.done, 20000));
    g_assert_no_error (late.error);
    assert_same_samples (want.result, late.result);
    g_clear_pointer (&late.result, nt_archive_result_unref);
  }

  /* Refused outright: an error, not a crash */
  fault_proxy_set_cut (f->proxy, TRUE);
  got = fetch (relayed, f->pv, from, to);
  g_assert_nonnull (got.error);
  g_clear_error (&got.error);
  plan_relayed = list_run_plan (schedule);
  g_assert_nonnull (plan_relayed.error);
  g_clear_error (&plan_relayed.error);
  fault_proxy_set_cut (f->proxy, FALSE);

  g_clear_pointer (&want.result, nt_archive_result_unref);
  g_clear_pointer (&plan.items, g_ptr_array_unref);
}

static gsize
count_in (NtSeries *series,
          gint64    from,
          gint64    to)
{
  return nt_series_lower_bound (series, to) - nt_series_lower_bound (series, from);
}

/* The live feed stalls, then comes back sliced and late; the gap is
 * refilled with exactly what the archive holds. */
static void
test_chart_refill (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(NtPvClient) live = nt_pv_client_new (f->live_uri);
  g_autoptr(NtArchiveClient) archive = nt_archive_client_new (f->history_uri);
  NtSeries *series;
  GtkWidget *window;
  NtStripChart *chart;
  NtChartFeed *feed;
  gint64 lost_at, restored;
  g_autoptr(GArray) gaps = NULL;

  g_assert_true (SPIN_UNTIL (nt_facility_is_history_ready (f->tf->facility), 50000));
  nt_pv_client_set_reconnect_delays (live, 100, 500);
  nt_pv_client_start (live);

  series = nt_series_new (2 * 604800);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 400);
  chart = NT_STRIP_CHART (nt_strip_chart_new ());
  g_object_ref_sink (chart);
  nt_strip_chart_add_series (chart, "Ring current", "mA", series, "ring-current");
  nt_strip_chart_set_range (chart, NT_STRIP_CHART_RANGE_15_MIN);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (SPIN_UNTIL (gtk_widget_get_width (GTK_WIDGET (chart)) > 0, 5000));
  nt_strip_chart_flush_range_changed (chart);

  feed = nt_chart_feed_new (chart, 0, live, archive, f->pv);
  g_assert_true (SPIN_UNTIL (nt_chart_feed_get_n_pending (feed) == 0 &&
                             nt_series_get_n_samples (series) > 500, 20000));
  g_assert_true (SPIN_UNTIL (nt_pv_client_get_state (live) == NT_CONNECTION_CONNECTED, 5000));
  spin_for (2000);

  /* The link hangs: a gap at once (within the keep-alive's 2 s) */
  fault_proxy_set_stall (f->proxy, TRUE);
  g_assert_true (SPIN_UNTIL (nt_series_get_open_gap (series, &lost_at), 2500));
  spin_for (4000);

  /* It comes back sliced into single bytes and late */
  f->proxy->slice = TRUE;
  f->proxy->delay_ms = 100;
  fault_proxy_set_stall (f->proxy, FALSE);
  g_assert_true (SPIN_UNTIL (nt_pv_client_get_state (live) == NT_CONNECTION_CONNECTED, 10000));
  restored = nt_clock_now_us ();
  g_assert_true (SPIN_UNTIL (nt_chart_feed_is_refilling (feed), 3000));
  g_assert_true (SPIN_UNTIL (!nt_chart_feed_is_refilling (feed), 40000));
  g_assert_true (SPIN_UNTIL (nt_chart_feed_get_n_pending (feed) == 0, 10000));
  g_assert_true (SPIN_UNTIL (nt_series_get_time (series, nt_series_get_n_samples (series) - 1) > restored, 10000));
  f->proxy->slice = FALSE;
  f->proxy->delay_ms = 0;

  g_assert_false (nt_series_get_open_gap (series, NULL));
  gaps = nt_series_get_gaps (series, lost_at - 10 * SEC, nt_clock_now_us ());
  g_assert_cmpuint (gaps->len, ==, 0);
  {
    Fetched archived = fetch (archive, f->pv, lost_at, restored - 2 * SEC);
    const gint64 *at = nt_archive_result_get_times (archived.result);
    const double *av = nt_archive_result_get_values (archived.result);
    gsize i0 = nt_series_lower_bound (series, lost_at);
    guint first = 0, n;

    g_assert_no_error (archived.error);
    while (first < nt_archive_result_get_n_samples (archived.result) && at[first] < lost_at)
      first++;
    n = nt_archive_result_get_n_samples (archived.result) - first;
    g_test_message ("%u archived samples in the %.1f s gap", n, (restored - lost_at) / 1e6);
    g_assert_cmpuint (n, >=, (restored - lost_at) / SEC - 3);
    /* none missing, none twice, each the archive's */
    g_assert_cmpuint (count_in (series, lost_at, restored - 2 * SEC), ==, n);
    for (gsize i = 0; i + 1 < nt_series_get_n_samples (series); i++)
      g_assert_cmpint (nt_series_get_time (series, i), <, nt_series_get_time (series, i + 1));
    for (guint i = 0; i < n; i++)
      {
        g_assert_cmpint (nt_series_get_time (series, i0 + i), ==, at[first + i]);
        g_assert_cmpfloat (nt_series_get_value (series, i0 + i), ==, av[first + i]);
      }
    nt_archive_result_unref (archived.result);
  }

  g_object_unref (feed);
  nt_pv_client_stop (live);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (chart);
  g_assert_finalize_object (series);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);
  adw_init ();

  g_test_add ("/network-faults/live", Fixture, NULL, fixture_setup, test_live, fixture_teardown);
  g_test_add ("/network-faults/http", Fixture, NULL, fixture_setup, test_http, fixture_teardown);
  g_test_add ("/network-faults/chart-refill", Fixture, NULL, fixture_setup, test_chart_refill, fixture_teardown);

  return g_test_run ();
}

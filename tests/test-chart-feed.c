/* test-chart-feed.c: a strip chart fed by the real client layer
 *
 * Against the reference services on 127.0.0.1: history for the visible
 * span arrives binned as min/max (the extremes of the raw samples kept),
 * raw when zoomed in; live values append; a lost connection shows as a gap
 * at once and, after the client reports the reconnect, the gap is refilled
 * from the archive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "client-test-util.h"
#include "nt-archive-client.h"
#include "nt-chart-feed.h"
#include "nt-facility-profile.h"
#include "nt-pv-client.h"
#include "nt-series.h"
#include "nt-strip-chart-private.h"
#include "nt-strip-chart.h"
#include "test-instants.h"

#define SEC ((gint64) G_USEC_PER_SEC)

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
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  NtArchiveResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = nt_archive_client_fetch_finish (NT_ARCHIVE_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

static NtArchiveResult *
fetch_raw (NtArchiveClient *client,
           const char      *pv,
           gint64           from,
           gint64           to)
{
  NtArchiveResult *res = NULL;

  nt_archive_client_fetch_async (client, pv, from, to, 0, NT_ARCHIVE_MEAN, NULL, fetch_cb, &res);
  g_assert_true (SPIN_UNTIL (res != NULL, 20000));

  return res;
}

static gsize
count_in (NtSeries *series,
          gint64    from,
          gint64    to)
{
  return nt_series_lower_bound (series, to) - nt_series_lower_bound (series, from);
}

/* A TCP relay between the live client and the services that the test can
 * cut: the services keep running (and archiving) while the console's
 * connection is down, as when a network link drops. */
typedef struct
{
  GSocketService *service;
  guint           port;
  guint           upstream_port;
  gboolean        blocked;
  GPtrArray      *streams;   /* GIOStream, both ends of each relay */
} Relay;

static void
splice_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_io_stream_splice_finish (result, NULL);
}

static gboolean
relay_incoming_cb (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source,
                   Relay             *relay)
{
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnection) upstream = NULL;

  if (relay->blocked)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  client = g_socket_client_new ();
  upstream = g_socket_client_connect_to_host (client, "127.0.0.1", relay->upstream_port, NULL, NULL);
  if (upstream == NULL)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  g_ptr_array_add (relay->streams, g_object_ref (connection));
  g_ptr_array_add (relay->streams, g_object_ref (upstream));
  g_io_stream_splice_async (G_IO_STREAM (connection), G_IO_STREAM (upstream),
                            G_IO_STREAM_SPLICE_CLOSE_STREAM1 | G_IO_STREAM_SPLICE_CLOSE_STREAM2,
                            G_PRIORITY_DEFAULT, NULL, splice_done_cb, NULL);

  return TRUE;
}

static Relay *
relay_new (guint upstream_port)
{
  Relay *relay = g_new0 (Relay, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  relay->upstream_port = upstream_port;
  relay->streams = g_ptr_array_new_with_free_func (g_object_unref);
  relay->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (relay->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);
  relay->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (relay->service, "incoming", G_CALLBACK (relay_incoming_cb), relay);
  g_socket_service_start (relay->service);

  return relay;
}

static void
relay_cut (Relay *relay)
{
  relay->blocked = TRUE;
  for (guint i = 0; i < relay->streams->len; i++)
    g_io_stream_close (g_ptr_array_index (relay->streams, i), NULL, NULL);
  g_ptr_array_set_size (relay->streams, 0);
}

static void
relay_free (Relay *relay)
{
  relay_cut (relay);
  g_socket_service_stop (relay->service);
  g_socket_listener_close (G_SOCKET_LISTENER (relay->service));
  g_object_unref (relay->service);
  g_ptr_array_unref (relay->streams);
  g_free (relay);
}

static void
test_feed (void)
{
  TestFacility *tf = test_facility_start ();
  NtFacilityProfile *profile = NULL;
  g_autofree char *live_uri = NULL;
  g_autofree char *history_uri = NULL;
  const char *pv;
  NtPvClient *live;
  NtArchiveClient *archive;
  NtSeries *series;
  GtkWidget *window;
  NtStripChart *chart;
  NtChartFeed *feed;
  g_autoptr(NtArchiveResult) raw = NULL;
  g_autoptr(GArray) gaps = NULL;
  gint64 from, to, created, lost_at, restored;
  Relay *relay;
  double smin, smax, rmin = INFINITY, rmax = -INFINITY;
  guint fetches;
  gsize n_before;

  nt_facility_profile_load_async (NULL, tf->base_uri, NULL, profile_cb, &profile);
  g_assert_true (SPIN_UNTIL (profile != NULL, 10000));
  live_uri = nt_facility_profile_dup_live_uri (profile);
  history_uri = nt_facility_profile_dup_history_uri (profile);
  pv = nt_facility_profile_lookup (profile, "ring.current");
  g_assert_nonnull (pv);
  g_assert_true (SPIN_UNTIL (nt_facility_is_history_ready (tf->facility), 50000));

  relay = relay_new (tf->port);
  {
    g_autofree char *relayed = NULL;
    g_autofree char *port_str = g_strdup_printf (":%u/", tf->port);
    g_autofree char *relay_str = g_strdup_printf (":%u/", relay->port);
    g_auto(GStrv) parts = g_strsplit (live_uri, port_str, 2);

    g_assert_cmpuint (g_strv_length (parts), ==, 2);
    relayed = g_strjoin (relay_str, parts[0], parts[1], NULL);
    live = nt_pv_client_new (relayed);
  }
  nt_pv_client_set_reconnect_delays (live, 100, 500);
  nt_pv_client_start (live);
  archive = nt_archive_client_new (history_uri);

  series = nt_series_new (2 * 604800);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 400);
  chart = NT_STRIP_CHART (nt_strip_chart_new ());
  g_object_ref_sink (chart);
  nt_strip_chart_add_series (chart, "Ring current", "mA", series, "ring-current");
  nt_strip_chart_set_range (chart, NT_STRIP_CHART_RANGE_1_HOUR);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (SPIN_UNTIL (gtk_widget_get_width (GTK_WIDGET (chart)) > 0, 5000));
  nt_strip_chart_flush_range_changed (chart);

  created = nt_clock_now_us ();
  feed = nt_chart_feed_new (chart, 0, live, archive, pv);

  /* History for the visible hour, binned to the plot width: a min and a
   * max per bin, so the extremes of the raw samples are all there. */
  g_assert_true (SPIN_UNTIL (nt_chart_feed_get_n_pending (feed) == 0 &&
                             nt_series_get_n_samples (series) > 500, 20000));
  g_assert_null (nt_chart_feed_get_last_error (feed));
  nt_strip_chart_get_visible_range (chart, &from, &to);
  g_assert_cmpint (nt_series_get_time (series, 0), <, from + 60 * SEC);

  {
    graphene_rect_t plot;
    gint64 bin, a0, b0;
    gsize i0, i1;
    g_autofree gint64 *ts = NULL;
    g_autofree double *vs = NULL;
    gsize n;

    /* The archive's bins are aligned to multiples of their width: compare
     * over whole bins inside the view. */
    nt_strip_chart_get_plot_area (chart, &plot);
    bin = nt_archive_bin_seconds (from, created, (guint)plot.size.width) * SEC;
    g_assert_cmpint (bin, >, 2 * SEC);
    a0 = (from / bin + 1) * bin;
    b0 = ((created - 30 * SEC) / bin) * bin;

    raw = fetch_raw (archive, pv, a0, b0);
    g_assert_cmpuint (nt_archive_result_get_n_samples (raw), >, 3000);
    for (guint i = 0; i < nt_archive_result_get_n_samples (raw); i++)
      {
        rmin = MIN (rmin, nt_archive_result_get_values (raw)[i]);
        rmax = MAX (rmax, nt_archive_result_get_values (raw)[i]);
      }

    /* Counted after the fetch: live samples kept arriving while it ran. */
    n = nt_series_get_n_samples (series);
    ts = g_new (gint64, n);
    vs = g_new (double, n);
    g_assert_cmpuint (nt_series_copy_range (series, 0, n, ts, vs, NULL), ==, n);
    smin = INFINITY;
    smax = -INFINITY;
    i0 = nt_series_lower_bound (series, a0);
    i1 = nt_series_lower_bound (series, b0);
    for (gsize i = i0; i < i1; i++)
      {
        /* binned: every sample sits at a bin centre */
        g_assert_cmpint (ts[i] % bin, ==, bin / 2);
        smin = MIN (smin, vs[i]);
        smax = MAX (smax, vs[i]);
      }
    g_test_message ("bins of %" G_GINT64_FORMAT " s: raw %.6f..%.6f, binned %.6f..%.6f",
                    bin / SEC, rmin, rmax, smin, smax);
    g_assert_cmpfloat (smin, ==, rmin);
    g_assert_cmpfloat (smax, ==, rmax);
    g_assert_cmpuint (i1 - i0, <=, 2 * (gsize)((b0 - a0) / bin));
  }

  /* Live values append. */
  n_before = nt_series_get_n_samples (series);
  g_assert_true (SPIN_UNTIL (nt_series_get_n_samples (series) > n_before + 2, 10000));
  g_assert_cmpint (nt_series_get_time (series, nt_series_get_n_samples (series) - 1), >, created - 5 * SEC);

  /* Zoomed in to 15 min: raw samples, one a second. */
  fetches = nt_chart_feed_get_n_fetches (feed);
  nt_strip_chart_set_range (chart, NT_STRIP_CHART_RANGE_15_MIN);
  nt_strip_chart_flush_range_changed (chart);
  g_assert_cmpuint (nt_chart_feed_get_n_fetches (feed), ==, fetches + 1);
  g_assert_true (SPIN_UNTIL (nt_chart_feed_get_n_pending (feed) == 0, 20000));
  nt_strip_chart_get_visible_range (chart, &from, &to);
  {
    gsize n = count_in (series, from + 30 * SEC, from + 630 * SEC);

    g_test_message ("%" G_GSIZE_FORMAT " samples in 10 min", n);
    g_assert_cmpuint (n, >=, 590);
    g_assert_cmpuint (n, <=, 610);
  }

  /* The link drops (the services keep running): the series shows a gap
   * at once, never the last number. */
  relay_cut (relay);
  g_assert_true (SPIN_UNTIL (nt_pv_client_get_state (live) == NT_CONNECTION_DISCONNECTED, 3000));
  g_assert_true (SPIN_UNTIL (nt_series_get_open_gap (series, &lost_at), 1000));
  spin_for (5000);
  g_assert_true (nt_series_get_open_gap (series, NULL));
  nt_strip_chart_pointer_motion (chart, nt_strip_chart_x_at_time (chart, lost_at + 2 * SEC), 100);
  g_assert_nonnull (strstr (nt_strip_chart_get_readout_text (chart), "disconnected"));
  nt_strip_chart_pointer_leave (chart);

  /* It comes back: the client reconnects and reports the gap; the feed
   * refills it from the archive, which kept recording. */
  relay->blocked = FALSE;
  g_assert_true (SPIN_UNTIL (nt_pv_client_get_state (live) == NT_CONNECTION_CONNECTED, 5000));
  restored = nt_clock_now_us ();
  g_assert_true (SPIN_UNTIL (nt_chart_feed_is_refilling (feed), 2000));
  g_assert_true (SPIN_UNTIL (!nt_chart_feed_is_refilling (feed), 40000));
  g_assert_true (SPIN_UNTIL (nt_chart_feed_get_n_pending (feed) == 0, 10000));
  /* and live values follow */
  g_assert_true (SPIN_UNTIL (nt_series_get_time (series, nt_series_get_n_samples (series) - 1) > restored, 5000));

  g_assert_false (nt_series_get_open_gap (series, NULL));
  gaps = nt_series_get_gaps (series, lost_at - 10 * SEC, nt_clock_now_us ());
  g_assert_cmpuint (gaps->len, ==, 0);

  /* What fills the gap is exactly what the archive recorded then. */
  {
    g_autoptr(NtArchiveResult) archived = fetch_raw (archive, pv, lost_at, restored - 2 * SEC);
    const gint64 *at = nt_archive_result_get_times (archived);
    const double *av = nt_archive_result_get_values (archived);
    guint first = 0, n;
    gsize i0 = nt_series_lower_bound (series, lost_at);

    /* (the archive also gives the last sample before the span) */
    while (first < nt_archive_result_get_n_samples (archived) && at[first] < lost_at)
      first++;
    n = nt_archive_result_get_n_samples (archived) - first;

    g_test_message ("%u archived samples in the first %.1f s of the %.1f s gap", n,
                    (restored - 2 * SEC - lost_at) / 1e6, (restored - lost_at) / 1e6);
    g_assert_cmpuint (n, >=, (restored - lost_at) / SEC - 3);
    g_assert_cmpuint (count_in (series, lost_at, restored - 2 * SEC), ==, n);
    for (gsize i = i0; i + 1 < nt_series_get_n_samples (series); i++)
      g_assert_cmpint (nt_series_get_time (series, i), <, nt_series_get_time (series, i + 1));
    for (guint i = 0; i < n; i++)
      {
        g_assert_cmpint (nt_series_get_time (series, i0 + i), ==, at[first + i]);
        g_assert_cmpfloat (nt_series_get_value (series, i0 + i), ==, av[first + i]);
      }
  }

  g_object_unref (feed);
  nt_pv_client_stop (live);
  relay_free (relay);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (chart);
  g_assert_finalize_object (series);
  g_object_unref (live);
  g_object_unref (archive);
  g_object_unref (profile);
  test_facility_free (tf);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);
  adw_init ();

  g_test_add_func ("/chart-feed/history-live-gap", test_feed);

  return g_test_run ();
}

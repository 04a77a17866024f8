/* test-statistics-page.c: the Statistics area of the real main window,
 * over the embedded demo facility at a fixed instant, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The area shows the figures the services compute (asked again here with
 * a client of its own), the fault list sorts and opens the Beam chart at
 * a loss, the CSV exports hold the figures, and the PDF report has its
 * pages (pdfinfo, pdftotext from poppler-utils).  The kiosk page says the
 * same figures in words.  With NT_TEST_PNG_DIR set it keeps pictures of
 * the area and the kiosk page for people to look at.
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "client-test-util.h"
#include "nt-auth.h"
#include "nt-application.h"
#include "nt-beam-page.h"
#include "nt-context.h"
#include "nt-kiosk-window.h"
#include "nt-statistics-page-private.h"
#include "nt-time.h"
#include "nt-window.h"
#include "test-instants.h"
#include "ui-test-util.h"

static void
iterate (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
fetch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* The same range asked of the services by a client of the test's own. */
static NtStatistics *
fetch_again (NtContext *context,
             gint64     from,
             gint64     to)
{
  g_autoptr(NtStatisticsClient) client = nt_statistics_client_new (nt_context_get_base_uri (context),
                                                                   nt_context_get_token (context));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  NtStatistics *s;

  nt_statistics_client_fetch_async (client, from, to, NULL, fetch_done_cb, &result);
  g_assert_true (SPIN_UNTIL (result != NULL, 30000));
  s = nt_statistics_client_fetch_finish (client, result, &error);
  g_assert_no_error (error);
  return s;
}

/* The embedded services fill the archive in the background on their first
 * start; until then the figures grow.  Waits until two answers agree and
 * some beam is archived. */
static void
wait_for_archive (NtContext *context,
                  gint64     from,
                  gint64     to)
{
  double last = -1;

  for (guint i = 0; i < 240; i++)
    {
      g_autoptr(NtStatistics) s = fetch_again (context, from, to);

      if (s->delivered_hours > 0 && s->delivered_hours == last)
        return;
      last = s->delivered_hours;
      iterate (500);
    }
  g_error ("the archive was not filled in two minutes");
}

/* Whether some GtkLabel under @root shows exactly @text. */
static gboolean
shows_label (GtkWidget  *root,
             const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0 &&
      gtk_widget_get_mapped (root))
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (shows_label (c, text))
      return TRUE;
  return FALSE;
}

static gboolean
wait_for_figures (NtStatisticsPage *page,
                  guint             reads_before)
{
  return SPIN_UNTIL (nt_statistics_page_get_n_reads (page) > reads_before &&
                     g_str_equal (nt_statistics_page_get_state (page), "figures"), 90000);
}

static char *
hours (double h)
{
  return g_strdup_printf (_("%.1f h"), h);
}

static guint
count_lines (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  guint n = 0;

  for (gsize i = 0; i < len; i++)
    n += data[i] == '\n';
  return n;
}

static void
check_sorting (NtStatisticsPage *page)
{
  GtkColumnView *view = nt_statistics_page_get_fault_view (page);
  GListModel *columns = gtk_column_view_get_columns (view);
  NtStatistics *s = nt_statistics_page_get_statistics (page);
  guint n = s->faults->len;
  g_autoptr(GtkColumnViewColumn) start_column = g_list_model_get_item (columns, 0);
  g_autoptr(GtkColumnViewColumn) lost_column = g_list_model_get_item (columns, 2);
  g_autoptr(GHashTable) lost = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 5);
  for (guint i = 0; i < n; i++)
    {
      const NtStatisticsFault *f = &g_array_index (s->faults, NtStatisticsFault, i);

      g_hash_table_insert (lost, g_memdup2 (&f->start, sizeof f->start), g_memdup2 (&f->lost_hours, sizeof (double)));
    }

  /* By start, as the services list them. */
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (nt_statistics_page_get_fault_start (page, i), ==,
                     g_array_index (s->faults, NtStatisticsFault, i).start);

  /* By user time lost, most first. */
  gtk_column_view_sort_by_column (view, lost_column, GTK_SORT_DESCENDING);
  iterate (50);
  for (guint i = 1; i < n; i++)
    {
      gint64 a = nt_statistics_page_get_fault_start (page, i - 1);
      gint64 b = nt_statistics_page_get_fault_start (page, i);

      g_assert_cmpfloat (*(double *)g_hash_table_lookup (lost, &a), >=, *(double *)g_hash_table_lookup (lost, &b));
    }

  /* By start, latest first. */
  gtk_column_view_sort_by_column (view, start_column, GTK_SORT_DESCENDING);
  iterate (50);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (nt_statistics_page_get_fault_start (page, i - 1), >, nt_statistics_page_get_fault_start (page, i));
  gtk_column_view_sort_by_column (view, start_column, GTK_SORT_ASCENDING);
  iterate (50);
}

static void
check_csv (NtStatisticsPage *page)
{
  NtStatistics *s = nt_statistics_page_get_statistics (page);
  g_autoptr(GBytes) faults = nt_statistics_page_dup_faults_csv (page);
  g_autoptr(GBytes) days = nt_statistics_page_dup_days_csv (page);
  g_autofree char *faults_text = g_strndup (g_bytes_get_data (faults, NULL), g_bytes_get_size (faults));
  g_autofree char *days_text = g_strndup (g_bytes_get_data (days, NULL), g_bytes_get_size (days));
  g_auto(GStrv) day_lines = g_strsplit (days_text, "\r\n", -1);

  g_assert_true (g_str_has_prefix (faults_text, "start_jst,recovered_jst,start_utc,recovered_utc,duration_hours,lost_hours,mode,message\r\n"));
  g_assert_cmpuint (count_lines (faults), ==, s->faults->len + 1);
  for (guint i = 0; i < s->faults->len; i++)
    {
      g_autofree char *iso = nt_time_format_iso (g_array_index (s->faults, NtStatisticsFault, i).start);

      g_assert_nonnull (strstr (faults_text, iso));
    }

  g_assert_cmpstr (day_lines[0], ==, "date,scheduled_hours,delivered_hours,unknown_hours,availability_percent,faults");
  g_assert_cmpuint (count_lines (days), ==, s->days->len + 1);
  {
    const NtStatisticsDay *d = &g_array_index (s->days, NtStatisticsDay, 0);
    g_autofree char *start = g_strdup_printf ("%s,%.3f,%.3f,%.3f,", d->date, d->scheduled_hours,
                                              d->delivered_hours, d->unknown_hours);

    g_assert_true (g_str_has_prefix (day_lines[1], start));
  }
}

static char *
run_tool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
check_pdf (NtStatisticsPage *page)
{
  NtStatistics *s = nt_statistics_page_get_statistics (page);
  const char *shots = g_getenv ("NT_TEST_PNG_DIR");
  g_autofree char *dir = g_dir_make_tmp ("nt-statistics-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (shots != NULL ? shots : dir, "statistics-report.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *info = NULL;
  g_autofree char *text = NULL;
  char *pages = NULL;
  g_autofree char *last = NULL;
  g_autofree char *first_page = NULL;
  g_autofree char *availability = g_strdup_printf (_("%.1f %%"), s->availability);
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  int n_pages = 0;

  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed: build-aux/install-deps.sh");
      return;
    }

  g_assert_true (nt_statistics_page_export_pdf (page, path, &n_pages, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  /* The title page, the faults (a page or more), the beamlines. */
  g_assert_cmpint (n_pages, >=, 3);
  g_assert_cmpint (n_pages, <=, 3 + (int)s->faults->len / 20);

  info = run_tool ((const char *[]) { "pdfinfo", path, NULL });
  pages = strstr (info, "Pages:");
  g_assert_nonnull (pages);
  g_assert_cmpint (atoi (pages + strlen ("Pages:")), ==, n_pages);
  pages = NULL;

  text = run_tool ((const char *[]) { "pdftotext", "-layout", path, "-", NULL });
  first_page = run_tool ((const char *[]) { "pdftotext", "-f", "1", "-l", "1", "-layout", path, "-", NULL });
  {
    g_autofree char *title = g_strdup_printf (_("Operations statistics: %s"), "");

    g_assert_nonnull (strstr (first_page, g_strstrip (title)));
  }
  g_assert_nonnull (strstr (first_page, availability));
  g_assert_nonnull (strstr (first_page, _("Mean time between failures")));
  g_assert_nonnull (strstr (text, _("Beam losses")));
  g_assert_nonnull (strstr (text, _("Beamlines: delivered against allocated")));
  g_assert_nonnull (strstr (text, "BL14U"));
  last = g_strdup_printf (_("Page %d of %d"), n_pages, n_pages);
  g_assert_nonnull (strstr (text, last));
  if (s->faults->len > 0)
    {
      g_autofree char *start = nt_time_format_local (g_array_index (s->faults, NtStatisticsFault, 0).start,
                                                     "%Y-%m-%d %H:%M");

      g_assert_nonnull (strstr (text, start));
    }

  if (shots == NULL)
    g_unlink (path);
  g_rmdir (dir);
}

/* The services' first start fills the archive in the background, newest
 * days first: a range's unarchived hours shrink.  The page says so, also
 * for a run under way, and asks again soon; hours that stand still or grow
 * (a gap, an archive a little behind now) are no fill. */
static void
check_filling (NtStatisticsPage *page,
               NtContext        *context)
{
  g_autoptr(NtStatistics) a = NULL;
  g_autoptr(NtStatistics) b = NULL;
  g_autofree char *upto = NULL;
  g_autofree char *live_filling = NULL;
  g_autofree char *live = NULL;
  gint64 from, to;
  gboolean filling;

  nt_statistics_page_get_range (page, &from, &to);
  a = fetch_again (context, from, to);
  b = fetch_again (context, from, to);
  g_assert_true (nt_statistics_is_live (b));

  /* The rule alone. */
  a->unknown_hours = 20;
  b->unknown_hours = 10;
  g_assert_cmpuint (nt_statistics_page_next_read (a, b, &filling), ==, 10);
  g_assert_true (filling);
  g_assert_cmpuint (nt_statistics_page_next_read (NULL, b, &filling), ==, 10);
  g_assert_true (filling);
  b->unknown_hours = 20;
  g_assert_cmpuint (nt_statistics_page_next_read (a, b, &filling), ==, 60);
  g_assert_false (filling);
  b->unknown_hours = 20.01;
  g_assert_cmpuint (nt_statistics_page_next_read (a, b, &filling), ==, 60);
  g_assert_false (filling);
  b->unknown_hours = 0;
  g_assert_cmpuint (nt_statistics_page_next_read (NULL, b, &filling), ==, 60);
  g_assert_false (filling);
  b->complete_to = b->to;
  b->unknown_hours = 20;
  g_assert_cmpuint (nt_statistics_page_next_read (a, b, &filling), ==, 0);
  g_assert_false (filling);
  b->unknown_hours = 5;
  g_assert_cmpuint (nt_statistics_page_next_read (a, b, &filling), ==, 10);
  g_assert_true (filling);
  g_clear_pointer (&a, nt_statistics_unref);
  g_clear_pointer (&b, nt_statistics_unref);

  /* The page: a run under way whose unarchived hours shrink. */
  a = fetch_again (context, from, to);
  b = fetch_again (context, from, to);
  upto = nt_time_format_local (b->complete_to, "%H:%M");
  live_filling = g_strdup_printf (_("Under way: figures up to %s; part of the range is not archived yet, asking again soon"),
                                  upto);
  live = g_strdup_printf (_("Under way: figures up to %s"), upto);
  a->unknown_hours = b->unknown_hours + 30;
  nt_statistics_page_show_answer (page, nt_statistics_ref (a));
  nt_statistics_page_show_answer (page, nt_statistics_ref (b));
  g_assert_cmpstr (gtk_label_get_label (page->status_label), ==, live_filling);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (page->status_label)), ==, live_filling);
  g_assert_cmpuint (page->refresh_id, !=, 0);
  g_assert_cmpuint (page->refresh_seconds, ==, 10);
  iterate (100);
  ui_test_save_png (GTK_WIDGET (page), "statistics-run-filling.png");

  /* The same hours again: under way, asked every minute. */
  nt_statistics_page_show_answer (page, nt_statistics_ref (b));
  g_assert_cmpstr (gtk_label_get_label (page->status_label), ==, live);
  g_assert_cmpuint (page->refresh_id, !=, 0);
  g_assert_cmpuint (page->refresh_seconds, ==, 60);
}

static void
test_statistics_area (void)
{
  g_autoptr(NtApplication) app = nt_application_new ();
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  g_autoptr(NtContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NtStatistics) again = NULL;
  NtStatisticsPage *page;
  NtStatistics *s;
  NtWindow *window;
  gint64 from, to, now = nt_clock_now ();
  guint reads;

  TestFacility *tf = test_facility_start ();
  g_autofree char *token = nt_auth_token_create (nt_facility_get_db (tf->facility), NT_ROLE_VIEWER,
                                                 "statistics area", &error);

  g_assert_no_error (error);
  /* The application's own context and the window's reach the same
   * reference services (two embedded ones over one database would each
   * renew its local token). */
  g_settings_set_string (settings, "facility-url", tf->base_uri);
  g_settings_set_int (settings, "window-width", 1280);
  g_settings_set_int (settings, "window-height", 1000);
  ui_test_register_app (G_APPLICATION (app));
  context = nt_context_new (settings, tf->base_uri);
  nt_context_set_token (context, token);
  nt_context_start (context);
  window = nt_window_new (app, context);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  gtk_window_present (GTK_WINDOW (window));

  /* The sidebar has the area after Allocations; Alt+6 goes there. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-area", "s", "statistics");
  g_assert_cmpstr (nt_window_get_area (window), ==, "statistics");
  page = NT_STATISTICS_PAGE (ui_test_find_widget (GTK_WIDGET (window), NT_TYPE_STATISTICS_PAGE));
  g_assert_nonnull (page);

  if (!wait_for_figures (page, 0))
    g_error ("no figures: state %s, %u reads, context %d: %s", nt_statistics_page_get_state (page),
             nt_statistics_page_get_n_reads (page), nt_context_get_state (context),
             adw_status_page_get_description (page->error_page));

  g_assert_true (SPIN_UNTIL (page->plan_read, 30000));
  nt_statistics_page_get_range (page, &from, &to);
  wait_for_archive (context, from, to);
  reads = nt_statistics_page_get_n_reads (page);
  gtk_widget_activate_action (GTK_WIDGET (page), "statistics.reload", NULL);
  g_assert_true (wait_for_figures (page, reads));

  /* The run under way is chosen first: it holds now, and the figures
   * reach up to now and are asked for again while it runs. */
  nt_statistics_page_get_range (page, &from, &to);
  g_assert_cmpint (from, <=, now);
  g_assert_cmpint (to, >, now);
  g_assert_cmpuint (nt_statistics_page_get_n_ranges (page), >=, 5);
  s = nt_statistics_page_get_statistics (page);
  g_assert_cmpint (s->complete_to, ==, now);
  g_assert_true (nt_statistics_is_live (s));
  /* A run under way is asked for again (every minute, on a monotonic
   * timeout). */
  g_assert_cmpuint (page->refresh_id, !=, 0);

  /* The figures shown are the services' figures. */
  again = fetch_again (context, from, to);
  g_assert_cmpfloat (again->scheduled_hours, ==, s->scheduled_hours);
  g_assert_cmpfloat (again->delivered_hours, ==, s->delivered_hours);
  g_assert_cmpuint (again->fault_count, ==, s->fault_count);
  {
    g_autofree char *availability = isfinite (s->availability) ? g_strdup_printf (_("%.1f %%"), s->availability)
                                                               : g_strdup ("—");
    g_autofree char *scheduled = hours (s->scheduled_hours);
    g_autofree char *delivered = hours (s->delivered_hours);
    g_autofree char *count = g_strdup_printf ("%u", s->fault_count);

    iterate (200);
    g_assert_true (shows_label (GTK_WIDGET (page), availability));
    g_assert_true (shows_label (GTK_WIDGET (page), scheduled));
    g_assert_true (shows_label (GTK_WIDGET (page), delivered));
    g_assert_true (shows_label (GTK_WIDGET (page), count));
    g_assert_true (shows_label (GTK_WIDGET (page), "BL02U"));
    g_test_message ("run: %.1f of %.1f h, %.2f %%, %u faults", s->delivered_hours, s->scheduled_hours,
                    s->availability, s->fault_count);
  }
  ui_test_save_png (GTK_WIDGET (window), "statistics-run.png");
  check_filling (page, context);

  /* The term: more days, more faults to sort. */
  reads = nt_statistics_page_get_n_reads (page);
  nt_time_term_bounds (2026, NT_TERM_A, &from, &to);
  nt_statistics_page_set_range (page, from, to);
  g_assert_true (wait_for_figures (page, reads));
  s = nt_statistics_page_get_statistics (page);
  g_assert_cmpint (s->from, ==, from);
  g_test_message ("term: %.1f of %.1f h, %u faults", s->delivered_hours, s->scheduled_hours, s->fault_count);
  g_assert_cmpuint (s->faults->len, >=, 2);
  iterate (200);
  ui_test_save_png (GTK_WIDGET (window), "statistics-term.png");

  check_sorting (page);
  check_csv (page);
  check_pdf (page);

  /* A loss opens the Beam chart at that moment. */
  {
    gint64 start = nt_statistics_page_get_fault_start (page, 0);
    NtBeamPage *beam = NT_BEAM_PAGE (ui_test_find_widget (GTK_WIDGET (window), NT_TYPE_BEAM_PAGE));
    NtStripChart *chart = nt_beam_page_get_chart (beam);
    gint64 a, b;

    g_signal_emit_by_name (nt_statistics_page_get_fault_view (page), "activate", 0);
    iterate (100);
    g_assert_cmpstr (nt_window_get_area (window), ==, "beam");
    g_assert_false (nt_strip_chart_get_follow_live (chart));
    nt_strip_chart_get_visible_range (chart, &a, &b);
    g_assert_cmpint (a, <, start * G_USEC_PER_SEC);
    g_assert_cmpint (b, >, start * G_USEC_PER_SEC);
    g_assert_cmpint (b - a, <=, (gint64)2 * 24 * 3600 * G_USEC_PER_SEC);
    iterate (1500);
    ui_test_save_png (GTK_WIDGET (window), "statistics-fault-on-beam-chart.png");
  }

  gtk_window_close (GTK_WINDOW (window));
  iterate (100);
  g_assert_null (window);
  nt_context_shutdown (context);
  g_settings_reset (settings, "facility-url");
  test_facility_free (tf);
}

/* "How reliable is our beam?": this fiscal year's figures, in words. */
static void
test_kiosk_page (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  g_autoptr(NtContext) context = NULL;
  g_autoptr(NtStatistics) s = NULL;
  NtKioskWindow *kiosk;
  const char *pages[] = { "reliability", NULL };
  gint64 from, to;
  g_autofree char *percent = NULL;
  g_autofree char *count = NULL;

  TestFacility *tf = test_facility_start ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = nt_auth_token_create (nt_facility_get_db (tf->facility), NT_ROLE_VIEWER,
                                                 "lobby kiosk", &error);

  g_assert_no_error (error);
  g_settings_set_strv (settings, "kiosk-pages", pages);
  g_settings_set_string (settings, "kiosk-language", "en");
  context = nt_context_new (settings, tf->base_uri);
  nt_context_set_token (context, token);
  nt_context_start (context);
  g_assert_true (SPIN_UNTIL (nt_context_get_state (context) == NT_CONTEXT_READY, 10000));
  nt_time_fiscal_year_bounds (nt_time_fiscal_year_of (nt_clock_now ()), &from, &to);
  wait_for_archive (context, from, to);
  kiosk = nt_kiosk_window_new (NULL, context);
  g_object_add_weak_pointer (G_OBJECT (kiosk), (gpointer *)&kiosk);
  gtk_window_set_default_size (GTK_WINDOW (kiosk), 1280, 800);
  gtk_window_present (GTK_WINDOW (kiosk));
  g_assert_cmpstr (nt_kiosk_window_get_page_name (kiosk), ==, "reliability");

  g_assert_true (SPIN_UNTIL (strstr (nt_kiosk_window_get_reliability_text (kiosk), "%") != NULL, 90000));
  s = fetch_again (context, from, to);
  percent = g_strdup_printf ("%.1f %%", s->availability);
  count = g_strdup_printf ("lost %u times", s->fault_count);
  g_test_message ("%s", nt_kiosk_window_get_reliability_text (kiosk));
  g_assert_nonnull (strstr (nt_kiosk_window_get_reliability_text (kiosk), percent));
  g_assert_nonnull (strstr (nt_kiosk_window_get_reliability_text (kiosk), "Out of every 100 hours"));
  if (s->fault_count > 1)
    g_assert_nonnull (strstr (nt_kiosk_window_get_reliability_text (kiosk), count));
  iterate (300);
  ui_test_save_png (GTK_WIDGET (kiosk), "kiosk-reliability-en.png");

  /* The other language, at once. */
  nt_kiosk_window_set_language (kiosk, "ja");
  iterate (300);
  g_assert_nonnull (strstr (nt_kiosk_window_get_reliability_text (kiosk), "実験のために予定した100時間のうち"));
  g_assert_nonnull (strstr (nt_kiosk_window_get_reliability_text (kiosk), percent));
  ui_test_save_png (GTK_WIDGET (kiosk), "kiosk-reliability-ja.png");

  nt_kiosk_window_exit (kiosk);
  g_assert_true (SPIN_UNTIL (kiosk == NULL, 2000));
  nt_context_shutdown (context);
  g_settings_reset (settings, "kiosk-pages");
  g_settings_reset (settings, "kiosk-language");
  test_facility_free (tf);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("NT_LOCALEDIR");
  g_autofree char *data_home = g_dir_make_tmp ("nt-statistics-data-XXXXXX", NULL);
  int status;

  /* A demo database of this test's own: another console's embedded
   * services over the shared one would renew its local token. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  setlocale (LC_ALL, "");
  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  /* A fixed instant in a week of user operation (term 2026A). */
  nt_test_clock_fix_at (NT_TEST_USER_OPERATION);
  adw_init ();

  g_test_add_func ("/statistics/area", test_statistics_area);
  g_test_add_func ("/statistics/kiosk-page", test_kiosk_page);

  status = g_test_run ();
  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", data_home);

    if (system (rm) != 0)
      g_warning ("could not remove %s", data_home);
  }
  return status;
}

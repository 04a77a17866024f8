/* test-kiosk.c: the lobby kiosk against the real reference services,
 * under Xvfb: pages turn by themselves, nothing can be edited, the
 * services going away and coming back is ridden out without a dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "client-test-util.h"
#include "ui-test-util.h"
#include "nt-auth.h"
#include "nt-beam-panel.h"
#include "nt-beamline-card.h"
#include "nt-connection-indicator.h"
#include "nt-context.h"
#include "nt-facility-drawing.h"
#include "nt-kiosk-window.h"
#include "nt-series.h"
#include "nt-strip-chart.h"
#include "test-instants.h"

static gboolean
is_number (const char *text)
{
  char *end = NULL;

  if (text == NULL || text[0] == '\0')
    return FALSE;
  g_ascii_strtod (text, &end);
  return end != text && *end == '\0';
}

/* Whether a label (or inscription) under @root reads @text. */
static gboolean
shows_text (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return TRUE;
  if (GTK_IS_INSCRIPTION (root) && g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (root)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;

  return FALSE;
}

/* The widgets the kiosk shares with the main window speak the kiosk's
 * language, whatever the session's (the tests run in C, English). */
static void
assert_shared_widgets_speak (NtKioskWindow *kiosk,
                             gboolean       japanese)
{
  GtkWidget *panel = ui_test_find_widget (GTK_WIDGET (kiosk), NT_TYPE_BEAM_PANEL);
  GtkWidget *card = ui_test_find_widget (GTK_WIDGET (kiosk), NT_TYPE_BEAMLINE_CARD);
  GtkWidget *indicator = ui_test_find_widget (GTK_WIDGET (kiosk), NT_TYPE_CONNECTION_INDICATOR);
  const char *said = nt_connection_indicator_get_text (NT_CONNECTION_INDICATOR (indicator));
  const char *card_status = nt_beamline_card_get_accessible_description (NT_BEAMLINE_CARD (card));

  g_test_message ("%s: indicator “%s”, card “%s”", japanese ? "ja" : "en", said, card_status);
  g_assert_true (shows_text (panel, japanese ? "蓄積電流" : "Stored current"));
  g_assert_true (shows_text (panel, japanese ? "ビーム寿命" : "Beam lifetime"));
  g_assert_false (shows_text (panel, japanese ? "Stored current" : "蓄積電流"));
  g_assert_true (shows_text (card, japanese ? "フロントエンドシャッター" : "Front-end shutter"));
  g_assert_false (shows_text (card, japanese ? "Front-end shutter" : "フロントエンドシャッター"));
  /* Live words too: the machine mode, the connection. */
  g_assert_true (shows_text (panel, japanese ? "ユーザー運転" : "User operation"));
  if (japanese)
    g_assert_nonnull (strstr (said, "に接続中"));
  else
    g_assert_true (g_str_has_prefix (said, "Connected to "));
  g_assert_cmpstr (nt_beamline_card_get_language (NT_BEAMLINE_CARD (card)), ==, japanese ? "ja" : "en");
  /* The 24 h chart names its series in the kiosk's language. */
  g_assert_true (shows_text (ui_test_find_widget (GTK_WIDGET (kiosk), NT_TYPE_STRIP_CHART),
                             japanese ? "蓄積電流 (mA)" : "Stored current (mA)"));
  g_assert_true (g_str_has_prefix (nt_facility_drawing_get_description (NT_FACILITY_DRAWING (
                                     ui_test_find_widget (GTK_WIDGET (kiosk), NT_TYPE_FACILITY_DRAWING))),
                                   japanese ? "蓄積リング" : "The storage ring"));
}

/* Whether a person can reach @widget with the pointer or the keyboard. */
static gboolean
reachable (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if (!gtk_widget_get_can_target (w) && !gtk_widget_get_can_focus (w))
      return FALSE;
  return TRUE;
}

/* Collects every widget someone could use to change something. */
static void
collect_controls (GtkWidget *widget,
                  GPtrArray *out)
{
  if ((GTK_IS_EDITABLE (widget) || GTK_IS_BUTTON (widget) || GTK_IS_SWITCH (widget) ||
       GTK_IS_CHECK_BUTTON (widget) || GTK_IS_SPIN_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) ||
       GTK_IS_DROP_DOWN (widget) || GTK_IS_SCALE (widget)) &&
      gtk_widget_get_visible (widget) && reachable (widget))
    g_ptr_array_add (out, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_controls (child, out);
}

static guint
count_toplevels (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_visible (w))
        n++;
    }

  return n;
}

/* The kiosk reads with a viewer token, as in the lobby. */
static void
give_viewer_token (TestFacility *tf,
                   NtContext    *context)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = nt_auth_token_create (nt_facility_get_db (tf->facility), NT_ROLE_VIEWER,
                                                 "Lobby kiosk", &error);

  g_assert_no_error (error);
  nt_context_set_token (context, token);
  g_assert_cmpstr (nt_context_get_token (context), ==, token);
}

/* Waits for the 24 h chart's history: the archive has answered. (Stopping
 * the services while an archive query is parked trips a libsoup critical
 * in the reference services, reported apart.) */
static gboolean
history_loaded (NtKioskWindow *kiosk)
{
  NtStripChart *chart = NT_STRIP_CHART (ui_test_find_widget (GTK_WIDGET (kiosk), NT_TYPE_STRIP_CHART));

  return chart != NULL && nt_series_get_n_samples (nt_strip_chart_get_series (chart, 0)) > 100 &&
         !nt_kiosk_window_is_loading (kiosk);
}

static NtKioskWindow *
open_kiosk (NtContext *context)
{
  NtKioskWindow *kiosk = nt_kiosk_window_new (NULL, context);

  gtk_window_set_default_size (GTK_WINDOW (kiosk), 1280, 800);
  gtk_window_present (GTK_WINDOW (kiosk));

  return kiosk;
}

static void
close_kiosk (NtKioskWindow *kiosk,
             NtContext     *context)
{
  nt_context_shutdown (context);
  g_object_add_weak_pointer (G_OBJECT (kiosk), (gpointer *)&kiosk);
  nt_kiosk_window_exit (kiosk);
  g_assert_true (SPIN_UNTIL (kiosk == NULL, 2000));
}

static void
test_rotation_read_only (void)
{
  TestFacility *tf = test_facility_start ();
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  g_autoptr(NtContext) context = NULL;
  g_autoptr(GPtrArray) controls = g_ptr_array_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  NtKioskWindow *kiosk;
  NtBeamPanel *panel;
  guint keyval = 0;
  GdkModifierType modifiers = 0;
  const char *week_words;

  g_settings_set_uint (settings, "kiosk-interval", 3600);
  g_settings_set_string (settings, "kiosk-language", "alternate");
  context = nt_context_new (settings, tf->base_uri);
  give_viewer_token (tf, context);
  kiosk = open_kiosk (context);
  nt_context_start (context);

  /* The five pages, the beam first, Japanese first. */
  g_assert_cmpuint (nt_kiosk_window_get_n_pages (kiosk), ==, 5);
  g_assert_cmpstr (nt_kiosk_window_get_page_name (kiosk), ==, "beam");
  g_assert_cmpstr (nt_kiosk_window_get_language (kiosk), ==, "ja");
  g_assert_cmpstr (nt_kiosk_window_lookup_text (kiosk, "plan-today"), ==, "今日");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (kiosk), "kiosk"));

  g_assert_true (SPIN_UNTIL (nt_context_get_state (context) == NT_CONTEXT_READY, 10000));
  panel = NT_BEAM_PANEL (ui_test_find_widget (GTK_WIDGET (kiosk), NT_TYPE_BEAM_PANEL));
  g_assert_nonnull (panel);
  g_assert_true (SPIN_UNTIL (is_number (nt_beam_panel_get_current_text (panel)), 10000));
  g_assert_cmpstr (nt_kiosk_window_get_status_text (kiosk), ==, "");
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_beam_panel_get_mode_text (panel), "—") != 0, 10000));
  assert_shared_widgets_speak (kiosk, TRUE);
  /* The cards say what each station has booked now. */
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_beamline_card_get_station_text (
                                          NT_BEAMLINE_CARD (ui_test_find_widget (GTK_WIDGET (kiosk), NT_TYPE_BEAMLINE_CARD)),
                                          "BL02U", NT_CARD_FIELD_SCHEDULED), "—") != 0, 10000));

  /* The plan page lists the run plan read from the service. */
  g_assert_true (SPIN_UNTIL (strstr (nt_kiosk_window_get_plan_text (kiosk), "この7日間のユーザー運転") != NULL, 10000));
  g_test_message ("plan page:\n%s", nt_kiosk_window_get_plan_text (kiosk));

  /* Read only: the one control anyone can reach is the language button. */
  collect_controls (GTK_WIDGET (kiosk), controls);
  for (guint i = 0; i < controls->len; i++)
    g_test_message ("reachable control: %s", G_OBJECT_TYPE_NAME (controls->pdata[i]));
  g_assert_cmpuint (controls->len, ==, 1);
  g_assert_true (GTK_IS_BUTTON (controls->pdata[0]));
  g_assert_cmpstr (gtk_button_get_label (controls->pdata[0]), ==, "English");

  /* The pages turn by themselves, in order, at the interval set. */
  g_assert_cmpuint (nt_kiosk_window_get_n_turns (kiosk), ==, 0);
  g_settings_set_uint (settings, "kiosk-interval", 2);
  g_ptr_array_add (seen, g_strdup (nt_kiosk_window_get_page_name (kiosk)));
  while (nt_kiosk_window_get_n_turns (kiosk) < 4)
    {
      guint turns = nt_kiosk_window_get_n_turns (kiosk);

      g_assert_true (SPIN_UNTIL (nt_kiosk_window_get_n_turns (kiosk) > turns, 6000));
      g_ptr_array_add (seen, g_strdup (nt_kiosk_window_get_page_name (kiosk)));
    }
  g_assert_cmpstr (seen->pdata[0], ==, "beam");
  g_assert_cmpstr (seen->pdata[1], ==, "beamlines");
  g_assert_cmpstr (seen->pdata[2], ==, "plan");
  g_assert_cmpstr (seen->pdata[3], ==, "reliability");
  g_assert_cmpstr (seen->pdata[4], ==, "facility");


  /* After the last page the first comes again, in English. */
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_kiosk_window_get_page_name (kiosk), "beam") == 0, 6000));
  g_assert_cmpstr (nt_kiosk_window_get_language (kiosk), ==, "en");
  g_assert_cmpstr (nt_kiosk_window_lookup_text (kiosk, "plan-today"), ==, "Today");
  week_words = "User operation in these 7 days";
  g_assert_nonnull (strstr (nt_kiosk_window_get_plan_text (kiosk), week_words));
  g_assert_cmpstr (gtk_button_get_label (controls->pdata[0]), ==, "日本語");
  assert_shared_widgets_speak (kiosk, FALSE);

  /* The visible toggle switches at once. */
  g_signal_emit_by_name (controls->pdata[0], "clicked");
  g_assert_cmpstr (nt_kiosk_window_get_language (kiosk), ==, "ja");
  assert_shared_widgets_speak (kiosk, TRUE);

  /* The pointer hides when idle. */
  g_assert_true (SPIN_UNTIL (nt_kiosk_window_get_pointer_hidden (kiosk), 5000));

  /* Closing is refused; only the exit chord, taken from the settings,
   * leaves. */
  gtk_window_close (GTK_WINDOW (kiosk));
  spin_for (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (kiosk)));
  g_assert_true (nt_kiosk_window_get_exit_chord (kiosk, &keyval, &modifiers));
  g_assert_cmpuint (keyval, ==, GDK_KEY_q);
  g_assert_cmpuint (modifiers, ==, GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK);
  g_settings_set_string (settings, "kiosk-exit-chord", "<Control><Alt>x");
  g_assert_true (nt_kiosk_window_get_exit_chord (kiosk, &keyval, &modifiers));
  g_assert_cmpuint (keyval, ==, GDK_KEY_x);
  g_assert_cmpuint (modifiers, ==, GDK_CONTROL_MASK | GDK_ALT_MASK);
  /* A chord a visitor could type by chance is not taken. */
  g_settings_set_string (settings, "kiosk-exit-chord", "x");
  g_assert_true (nt_kiosk_window_get_exit_chord (kiosk, &keyval, &modifiers));
  g_assert_cmpuint (keyval, ==, GDK_KEY_q);

  g_assert_cmpuint (count_toplevels (), ==, 1);
  g_assert_true (SPIN_UNTIL (history_loaded (kiosk), 20000));
  close_kiosk (kiosk, context);
  spin_for (100);
  /* Cancelled calls hold the context until their callbacks have run. */
  g_assert_true (SPIN_UNTIL (G_OBJECT (context)->ref_count == 1, 10000));
  g_assert_finalize_object (g_steal_pointer (&context));
  test_facility_free (tf);
}

static void
test_service_restart (void)
{
  TestFacility *tf = test_facility_start ();
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  g_autoptr(NtContext) context = NULL;
  NtKioskWindow *kiosk;
  NtBeamPanel *panel;
  NtFacilityDrawing *drawing;
  const char *reconnecting;

  g_settings_set_uint (settings, "kiosk-interval", 3600);
  g_settings_set_string (settings, "kiosk-language", "en");
  context = nt_context_new (settings, tf->base_uri);
  give_viewer_token (tf, context);
  kiosk = open_kiosk (context);
  nt_context_start (context);
  reconnecting = nt_kiosk_window_lookup_text (kiosk, "reconnecting");
  g_assert_cmpstr (reconnecting, ==, "Reconnecting to the facility’s services…");

  panel = NT_BEAM_PANEL (ui_test_find_widget (GTK_WIDGET (kiosk), NT_TYPE_BEAM_PANEL));
  drawing = NT_FACILITY_DRAWING (ui_test_find_widget (GTK_WIDGET (kiosk), NT_TYPE_FACILITY_DRAWING));
  g_assert_nonnull (drawing);

  g_assert_true (SPIN_UNTIL (is_number (nt_beam_panel_get_current_text (panel)), 15000));
  /* Every beamline port takes its colour from its live shutter. */
  g_assert_true (SPIN_UNTIL (nt_facility_drawing_count_ports (drawing, NT_PORT_UNKNOWN) == 0, 10000));
  g_assert_cmpuint (nt_facility_drawing_count_ports (drawing, NT_PORT_OPEN) +
                    nt_facility_drawing_count_ports (drawing, NT_PORT_CLOSED) +
                    nt_facility_drawing_count_ports (drawing, NT_PORT_MOVING) +
                    nt_facility_drawing_count_ports (drawing, NT_PORT_FAULT), ==, 10);
  g_assert_nonnull (strstr (nt_facility_drawing_get_description (drawing), "BL08W: shutter "));
  g_assert_true (SPIN_UNTIL (nt_kiosk_window_get_plan_text (kiosk)[0] != '\0', 10000));
  g_assert_true (SPIN_UNTIL (history_loaded (kiosk), 20000));

  /* The services go away: a calm word in the header, no dialog, and no
   * port or number shown as if live. */
  test_facility_stop (tf);
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_kiosk_window_get_status_text (kiosk), reconnecting) == 0, 3000));
  g_assert_true (SPIN_UNTIL (nt_facility_drawing_count_ports (drawing, NT_PORT_UNKNOWN) == 10, 3000));
  g_assert_cmpstr (nt_beam_panel_get_current_text (panel), ==, "—");
  spin_for (1500);
  g_assert_cmpuint (count_toplevels (), ==, 1);

  /* They come back on the same port: live again, by itself. */
  test_facility_restart (tf);
  g_assert_true (SPIN_UNTIL (is_number (nt_beam_panel_get_current_text (panel)), 20000));
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_kiosk_window_get_status_text (kiosk), "") == 0, 5000));
  g_assert_true (SPIN_UNTIL (nt_facility_drawing_count_ports (drawing, NT_PORT_UNKNOWN) == 0, 5000));
  g_assert_cmpuint (count_toplevels (), ==, 1);
  g_assert_true (SPIN_UNTIL (history_loaded (kiosk), 20000));

  close_kiosk (kiosk, context);
  spin_for (100);
  /* Cancelled calls hold the context until their callbacks have run. */
  g_assert_true (SPIN_UNTIL (G_OBJECT (context)->ref_count == 1, 10000));
  g_assert_finalize_object (g_steal_pointer (&context));
  test_facility_free (tf);
}

static void
test_late_services (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  g_autoptr(NtContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  TestFacility *tf = g_new0 (TestFacility, 1);
  guint port = unused_port ();
  NtKioskWindow *kiosk;
  NtBeamPanel *panel;

  /* The kiosk starts before the services do (a power cut in the
   * building): it waits and tries again by itself. */
  g_settings_set_uint (settings, "kiosk-interval", 3600);
  g_settings_set_string (settings, "kiosk-language", "ja");
  url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  context = nt_context_new (settings, url);
  kiosk = open_kiosk (context);
  nt_context_start (context);
  g_assert_true (SPIN_UNTIL (nt_context_get_state (context) == NT_CONTEXT_FAILED, 10000));
  g_assert_cmpstr (nt_kiosk_window_get_status_text (kiosk), ==, "施設のサービスに再接続しています…");
  g_assert_cmpuint (count_toplevels (), ==, 1);

  tf->dir = g_dir_make_tmp ("nt-kiosk-test-XXXXXX", &error);
  g_assert_no_error (error);
  tf->db_path = g_build_filename (tf->dir, "facility.db", NULL);
  test_facility_open (tf, port);
  give_viewer_token (tf, context);

  panel = NT_BEAM_PANEL (ui_test_find_widget (GTK_WIDGET (kiosk), NT_TYPE_BEAM_PANEL));
  g_assert_true (SPIN_UNTIL (is_number (nt_beam_panel_get_current_text (panel)), 25000));
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_kiosk_window_get_status_text (kiosk), "") == 0, 5000));
  g_assert_cmpuint (count_toplevels (), ==, 1);
  g_assert_true (SPIN_UNTIL (history_loaded (kiosk), 20000));

  close_kiosk (kiosk, context);
  spin_for (100);
  /* Cancelled calls hold the context until their callbacks have run. */
  g_assert_true (SPIN_UNTIL (G_OBJECT (context)->ref_count == 1, 10000));
  g_assert_finalize_object (g_steal_pointer (&context));
  test_facility_free (tf);
}

int
main (int   argc,
      char *argv[])
{
  /* The kiosk's Japanese comes from the catalogue this build compiled. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("NT_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  gtk_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);
  adw_init ();

  g_test_add_func ("/kiosk/rotation-read-only", test_rotation_read_only);
  g_test_add_func ("/kiosk/service-restart", test_service_restart);
  g_test_add_func ("/kiosk/late-services", test_late_services);

  return g_test_run ();
}

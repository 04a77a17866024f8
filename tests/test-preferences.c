/* test-preferences.c: the preferences window writes the settings the
 * console and the kiosk read, and refuses what would not work
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "client-test-util.h"
#include "nt-preferences-window.h"
#include "test-instants.h"

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
row_widget (NtPreferencesWindow *prefs,
            const char          *title,
            GType                type)
{
  GtkWidget *row = find_row (GTK_WIDGET (prefs), title);
  GtkWidget *widget;

  g_assert_nonnull (row);
  widget = find_type (row, type);
  g_assert_nonnull (widget);

  return widget;
}

static void
test_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  g_auto(GStrv) pages = NULL;
  g_autofree char *range = NULL;
  g_autofree char *chord = NULL;
  g_autofree char *language = NULL;
  NtPreferencesWindow *prefs;
  GtkWidget *row;

  g_settings_set_string (settings, "facility-url", "");
  prefs = nt_preferences_window_new (settings);
  g_object_add_weak_pointer (G_OBJECT (prefs), (gpointer *)&prefs);
  gtk_window_present (GTK_WINDOW (prefs));

  /* The simulated facility has no token to keep. */
  g_assert_cmpstr (nt_preferences_window_get_token_status (prefs), ==, "The simulated facility needs no token");
  g_assert_false (gtk_widget_get_sensitive (find_row (GTK_WIDGET (prefs), "Access Token")));

  /* Chart range */
  row = find_row (GTK_WIDGET (prefs), "Default Chart Range");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 3);  /* 24 h */
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 4);
  range = g_settings_get_string (settings, "chart-range");
  g_assert_cmpstr (range, ==, "7d");

  /* Kiosk switch, interval, language */
  gtk_switch_set_active (GTK_SWITCH (row_widget (prefs, "Start as Kiosk", GTK_TYPE_SWITCH)), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "kiosk"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (row_widget (prefs, "Page Interval", GTK_TYPE_SPIN_BUTTON)), 45);
  g_assert_cmpuint (g_settings_get_uint (settings, "kiosk-interval"), ==, 45);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_row (GTK_WIDGET (prefs), "Language")), 2);
  language = g_settings_get_string (settings, "kiosk-language");
  g_assert_cmpstr (language, ==, "en");

  /* Pages: off and on again keeps the kiosk's order; the last one stays. */
  gtk_switch_set_active (GTK_SWITCH (row_widget (prefs, "The Beamlines", GTK_TYPE_SWITCH)), FALSE);
  pages = g_settings_get_strv (settings, "kiosk-pages");
  g_assert_cmpstrv (pages, ((const char * const []) { "beam", "plan", "reliability", "facility", NULL }));
  g_clear_pointer (&pages, g_strfreev);
  gtk_switch_set_active (GTK_SWITCH (row_widget (prefs, "The Beamlines", GTK_TYPE_SWITCH)), TRUE);
  pages = g_settings_get_strv (settings, "kiosk-pages");
  g_assert_cmpstrv (pages, ((const char * const []) { "beam", "beamlines", "plan", "reliability", "facility", NULL }));
  g_clear_pointer (&pages, g_strfreev);
  gtk_switch_set_active (GTK_SWITCH (row_widget (prefs, "The Beam", GTK_TYPE_SWITCH)), FALSE);
  gtk_switch_set_active (GTK_SWITCH (row_widget (prefs, "The Beamlines", GTK_TYPE_SWITCH)), FALSE);
  gtk_switch_set_active (GTK_SWITCH (row_widget (prefs, "The Run Plan", GTK_TYPE_SWITCH)), FALSE);
  gtk_switch_set_active (GTK_SWITCH (row_widget (prefs, "How Reliable Is Our Beam?", GTK_TYPE_SWITCH)), FALSE);
  gtk_switch_set_active (GTK_SWITCH (row_widget (prefs, "The Facility", GTK_TYPE_SWITCH)), FALSE);
  pages = g_settings_get_strv (settings, "kiosk-pages");
  g_assert_cmpstrv (pages, ((const char * const []) { "facility", NULL }));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (row_widget (prefs, "The Facility", GTK_TYPE_SWITCH))));

  /* Exit keys: a bare key is refused, a chord with a modifier is taken. */
  row = find_row (GTK_WIDGET (prefs), "Exit Keys");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "<Control><Alt><Shift>q");
  gtk_editable_set_text (GTK_EDITABLE (row), "q");
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_signal_emit_by_name (row, "apply");
  chord = g_settings_get_string (settings, "kiosk-exit-chord");
  g_assert_cmpstr (chord, ==, "<Control><Alt><Shift>q");
  g_clear_pointer (&chord, g_free);
  gtk_editable_set_text (GTK_EDITABLE (row), "<Super>Escape");
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_signal_emit_by_name (row, "apply");
  chord = g_settings_get_string (settings, "kiosk-exit-chord");
  g_assert_cmpstr (chord, ==, "<Super>Escape");

  /* A configured facility: the keyring is asked (there is none in the
   * test session, and the window says so rather than failing). */
  g_settings_set_string (settings, "facility-url", "http://facility.example:8080/");
  g_assert_true (gtk_widget_get_sensitive (find_row (GTK_WIDGET (prefs), "Access Token")));
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_preferences_window_get_token_status (prefs),
                                        "Reading your keyring…") != 0, 10000));
  g_test_message ("token status: %s", nt_preferences_window_get_token_status (prefs));
  g_assert_true (g_str_has_prefix (nt_preferences_window_get_token_status (prefs), "Your keyring could not be read: ") ||
                 g_str_equal (nt_preferences_window_get_token_status (prefs), "No token is stored for this facility"));

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_true (SPIN_UNTIL (prefs == NULL, 2000));
}

/* Opened while the connected facility asks for a token (none yet, or
 * the one in use was refused), the window opens at the token row, ready
 * to type; with a token in use it does not. */
static void
test_opens_at_token (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  const char *url = "http://facility.example:8080/";
  g_autoptr(NtContext) context = NULL;
  NtPreferencesWindow *prefs;
  GtkWidget *row, *focus;

  g_settings_set_string (settings, "facility-url", url);
  context = nt_context_new (settings, url);

  for (int round = 0; round < 3; round++)
    {
      gboolean at_token;

      if (round == 1)
        nt_context_set_token (context, "nt_in_use");
      if (round == 2)
        nt_context_set_token_refused (context, TRUE);
      at_token = round != 1;

      prefs = nt_preferences_window_new (settings);
      g_object_add_weak_pointer (G_OBJECT (prefs), (gpointer *)&prefs);
      nt_preferences_window_set_context (prefs, context);
      gtk_window_present (GTK_WINDOW (prefs));
      spin_for (100);

      row = find_row (GTK_WIDGET (prefs), "Access Token");
      g_assert_nonnull (row);
      g_assert_true (gtk_widget_get_sensitive (row));
      g_assert_true (gtk_widget_get_mapped (row));
      focus = gtk_root_get_focus (GTK_ROOT (prefs));
      g_test_message ("round %d: focus %s", round, focus ? G_OBJECT_TYPE_NAME (focus) : "none");
      g_assert_cmpint (focus != NULL && (focus == row || gtk_widget_is_ancestor (focus, row)), ==, at_token);

      gtk_window_destroy (GTK_WINDOW (prefs));
      g_assert_true (SPIN_UNTIL (prefs == NULL, 2000));
    }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);
  adw_init ();

  g_test_add_func ("/preferences/settings", test_settings);
  g_test_add_func ("/preferences/opens-at-token", test_opens_at_token);

  return g_test_run ();
}

/* test-accessibility.c: every interactive widget has a name
 *
 * Builds the real main window, the kiosk and the preferences against the
 * real reference services, walks each widget tree, and checks that every
 * widget a person can operate (buttons, toggles, switches, entries, list
 * rows, focusable custom widgets) has an accessible name: a label, a
 * tooltip, an accessible label property or a labelled-by relation. Custom
 * live widgets (charts, cards, the beam panel, the ring drawing) must also
 * carry a description that states their value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "client-test-util.h"
#include "ui-test-util.h"
#include "nt-application.h"
#include "nt-auth.h"
#include "nt-context.h"
#include "nt-facility-drawing.h"
#include "nt-kiosk-window.h"
#include "nt-preferences-window.h"
#include "nt-series.h"
#include "nt-strip-chart.h"
#include "nt-window.h"
#include "test-instants.h"

static gboolean
label_text_in (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      if (text != NULL && text[0] != '\0')
        return TRUE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child) && label_text_in (child))
      return TRUE;

  return FALSE;
}

static gboolean
has_name (GtkWidget *widget)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return TRUE;
  if (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  if (tooltip != NULL && tooltip[0] != '\0')
    return TRUE;
  /* A button, row or toggle named by the words it shows. */
  if ((GTK_IS_BUTTON (widget) || GTK_IS_LIST_BOX_ROW (widget) || GTK_IS_FLOW_BOX_CHILD (widget) ||
       GTK_IS_CHECK_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget)) && label_text_in (widget))
    return TRUE;
  if (ADW_IS_PREFERENCES_ROW (widget))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));

      return title != NULL && title[0] != '\0';
    }

  return FALSE;
}

/* A switch, spin button or entry inside a titled preferences row is named
 * by that row's title (libadwaita ties them for the screen reader). */
static gboolean
named_by_row (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);

  return row != NULL && has_name (row);
}

static gboolean
is_interactive (GtkWidget *widget)
{
  if (!gtk_widget_get_visible (widget))
    return FALSE;

  /* The inner text of an entry, spin button or entry row is named with
   * its outer widget, the inner toggle of a menu button with the menu
   * button. */
  if (GTK_IS_TEXT (widget) ||
      (GTK_IS_TOGGLE_BUTTON (widget) && GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget))))
    return FALSE;

  /* The window's own close, minimize and maximize buttons come from GTK,
   * which does not name them in 4.8; they are GTK's to fix, not ours. */
  if (gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW_CONTROLS) != NULL)
    return FALSE;

  if (GTK_IS_BUTTON (widget) || GTK_IS_SWITCH (widget) || GTK_IS_CHECK_BUTTON (widget) ||
      GTK_IS_EDITABLE (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_DROP_DOWN (widget) ||
      GTK_IS_SCALE (widget))
    return TRUE;

  if (GTK_IS_LIST_BOX_ROW (widget))
    return gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget)) ||
           gtk_widget_get_focusable (widget);

  /* Our own widgets that take the focus. */
  if (g_str_has_prefix (G_OBJECT_TYPE_NAME (widget), "Nt") && gtk_widget_get_focusable (widget))
    return TRUE;

  return FALSE;
}

/* Whether the widget sits inside a part of the tree nobody can reach
 * (read-only kiosk pages: no pointer, no focus). */
static gboolean
unreachable (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      if (!gtk_widget_get_can_target (w) && !gtk_widget_get_can_focus (w))
        return TRUE;
      /* Not the shown page of its stack (checked when it is shown), or in
       * a closed popover. */
      if (!gtk_widget_get_child_visible (w) || !gtk_widget_get_visible (w))
        return TRUE;
    }
  return FALSE;
}

static char *
describe (GtkWidget *widget)
{
  GString *path = g_string_new (NULL);

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      const char *name = gtk_widget_get_name (w);

      g_string_prepend (path, G_OBJECT_TYPE_NAME (w));
      if (name != NULL && !g_str_equal (name, G_OBJECT_TYPE_NAME (w)))
        {
          g_string_prepend_c (path, ']');
          g_string_prepend (path, name);
          g_string_prepend_c (path, '[');
        }
      if (gtk_widget_get_parent (w) != NULL)
        g_string_prepend (path, " > ");
      if (NT_IS_WINDOW (w) || NT_IS_KIOSK_WINDOW (w) || NT_IS_PREFERENCES_WINDOW (w))
        break;
    }

  return g_string_free (path, FALSE);
}

static void
walk (GtkWidget *widget,
      GPtrArray *missing,
      guint     *n_checked)
{
  if (is_interactive (widget) && !unreachable (widget))
    {
      (*n_checked)++;
      if (!has_name (widget) && !named_by_row (widget))
        g_ptr_array_add (missing, describe (widget));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk (child, missing, n_checked);
}

/* Live widgets of our own must describe their value in words. */
static void
walk_descriptions (GtkWidget *widget,
                   GPtrArray *missing)
{
  const char *type = G_OBJECT_TYPE_NAME (widget);

  if (g_str_equal (type, "NtBeamPanel") || g_str_equal (type, "NtBeamlineCard") ||
      g_str_equal (type, "NtFacilityDrawing"))
    {
      if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
          !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION))
        g_ptr_array_add (missing, describe (widget));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk_descriptions (child, missing);
}

static void
collect_type (GtkWidget *widget,
              GType      type,
              GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_type (child, type, out);
}

static void
check_tree (GtkWidget  *root,
            const char *what,
            guint       min_checked)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) undescribed = g_ptr_array_new_with_free_func (g_free);
  guint n_checked = 0;

  walk (root, missing, &n_checked);
  walk_descriptions (root, undescribed);
  g_test_message ("%s: %u interactive widgets checked", what, n_checked);
  for (guint i = 0; i < missing->len; i++)
    g_test_message ("%s: no accessible name: %s", what, (char *) missing->pdata[i]);
  for (guint i = 0; i < undescribed->len; i++)
    g_test_message ("%s: no accessible label and description: %s", what, (char *) undescribed->pdata[i]);

  g_assert_cmpuint (n_checked, >=, min_checked);
  g_assert_cmpuint (missing->len, ==, 0);
  g_assert_cmpuint (undescribed->len, ==, 0);
}

/* Whether every chart under @widget has its history: the archive has
 * answered every query. (Tearing the services down under a running
 * archive query makes them warn, which these tests treat as fatal.) */
static gboolean
charts_loaded (GtkWidget *widget)
{
  if (NT_IS_STRIP_CHART (widget))
    {
      NtStripChart *chart = NT_STRIP_CHART (widget);

      if (nt_strip_chart_get_n_series (chart) > 0 &&
          nt_series_get_n_samples (nt_strip_chart_get_series (chart, 0)) <= 100)
        return FALSE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!charts_loaded (child))
      return FALSE;

  return TRUE;
}

static char *
viewer_token (TestFacility *tf)
{
  g_autoptr(GError) error = NULL;
  char *token = nt_auth_token_create (nt_facility_get_db (tf->facility), NT_ROLE_VIEWER,
                                      "Accessibility test", &error);

  g_assert_no_error (error);
  return token;
}

/* The application the main-window tests share: it is registered on the
 * session bus once (its object path stays exported while it lives). */
static NtApplication *shared_app;

static NtApplication *
registered_app (void)
{
  if (shared_app == NULL)
    {
      shared_app = nt_application_new ();
      ui_test_register_app (G_APPLICATION (shared_app));
    }
  return shared_app;
}

static void
test_main_window (void)
{
  TestFacility *tf = test_facility_start ();
  NtApplication *app = registered_app ();
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  g_autoptr(NtContext) context = NULL;
  g_autofree char *token = viewer_token (tf);
  NtWindow *window;

  context = nt_context_new (settings, tf->base_uri);
  nt_context_set_token (context, token);
  window = nt_window_new (app, context);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  nt_context_start (context);
  g_assert_true (SPIN_UNTIL (nt_context_get_state (context) == NT_CONTEXT_READY, 10000));
  spin_for (1500);

  /* Each area in turn, as a person would reach it. */
  {
    static const char * const areas[] = { "overview", "beam", "beamlines", "run-plan", "allocations", "statistics" };
    guint n_areas = 0;

    for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
      {
        g_autofree char *what = g_strdup_printf ("main window, %s", areas[i]);

        gtk_widget_activate_action (GTK_WIDGET (window), "win.show-area", "s", areas[i]);
        if (g_strcmp0 (nt_window_get_area (window), areas[i]) != 0)
          continue;
        spin_for (300);
        check_tree (GTK_WIDGET (window), what, 5);
        n_areas++;
      }
    g_assert_cmpuint (n_areas, >=, 2);
  }
  g_assert_true (SPIN_UNTIL (charts_loaded (GTK_WIDGET (window)), 20000));

  nt_context_shutdown (context);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (SPIN_UNTIL (window == NULL, 2000));
  spin_for (100);
  test_facility_free (tf);
}

/* Every mapped label under @widget that got less room than it asks for
 * (its minimum width, and its minimum height for the width it got), or
 * that a parent given less room than it asks for lets stick out of it
 * (GTK gives a box's children their minimum sizes even then). */
static void
collect_squeezed (GtkWidget *widget,
                  GPtrArray *squeezed,
                  guint     *n_checked)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget))
    {
      GtkWidget *parent = gtk_widget_get_parent (widget);
      graphene_rect_t bounds, parent_bounds;
      GtkAllocation alloc;
      int min_w, min_h, margin_w, margin_h;

      gtk_widget_get_allocation (widget, &alloc);
      /* Measured sizes include the margins, the allocation does not. */
      margin_w = gtk_widget_get_margin_start (widget) + gtk_widget_get_margin_end (widget);
      margin_h = gtk_widget_get_margin_top (widget) + gtk_widget_get_margin_bottom (widget);
      gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
      gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, alloc.width + margin_w, &min_h, NULL, NULL, NULL);
      (*n_checked)++;
      if (alloc.width < min_w - margin_w || alloc.height < min_h - margin_h)
        {
          g_autofree char *path = describe (widget);

          g_ptr_array_add (squeezed,
                           g_strdup_printf ("%s \"%s\": %dx%d for at least %dx%d", path,
                                            gtk_label_get_text (GTK_LABEL (widget)),
                                            alloc.width, alloc.height, min_w - margin_w, min_h - margin_h));
        }
      else if (parent != NULL &&
               gtk_widget_compute_bounds (widget, parent, &bounds) &&
               gtk_widget_compute_bounds (parent, parent, &parent_bounds) &&
               (bounds.origin.x < parent_bounds.origin.x - 1 ||
                bounds.origin.y < parent_bounds.origin.y - 1 ||
                bounds.origin.x + bounds.size.width > parent_bounds.origin.x + parent_bounds.size.width + 1 ||
                bounds.origin.y + bounds.size.height > parent_bounds.origin.y + parent_bounds.size.height + 1))
        {
          g_autofree char *path = describe (widget);

          g_ptr_array_add (squeezed,
                           g_strdup_printf ("%s \"%s\": %.0fx%.0f at %.0f,%.0f sticks out of its parent's %.0fx%.0f",
                                            path, gtk_label_get_text (GTK_LABEL (widget)),
                                            bounds.size.width, bounds.size.height, bounds.origin.x, bounds.origin.y,
                                            parent_bounds.size.width, parent_bounds.size.height));
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_squeezed (child, squeezed, n_checked);
}

/* What test_large_text checks of one area, in the frame after it is shown. */
typedef struct
{
  GtkWidget  *window;
  const char *area;
  GPtrArray  *squeezed;
  guint       n_checked;
  guint       frames;
  gboolean    done;
} AreaCheck;

static void
check_area_now (AreaCheck *check)
{
  g_autofree char *png = g_strdup_printf ("large-text-%s.png", check->area);
  guint n_before = check->squeezed->len;
  int min_w, min_h;

  gtk_widget_measure (check->window, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure (check->window, GTK_ORIENTATION_VERTICAL, MAX (min_w, 1280), &min_h, NULL, NULL, NULL);
  g_test_message ("%s at 1.5x text: the window needs at least %dx%d, has %dx%d", check->area,
                  min_w, min_h, gtk_widget_get_width (check->window), gtk_widget_get_height (check->window));
  g_assert_cmpint (min_w, <=, 1280);
  g_assert_cmpint (min_h, <=, 800);
  ui_test_save_png (check->window, png);

  collect_squeezed (check->window, check->squeezed, &check->n_checked);
  g_test_message ("%s at 1.5x text: %u labels checked, %u squeezed", check->area, check->n_checked,
                  check->squeezed->len - n_before);
}

/* Each frame's last phase: the layout it drew is the one a person sees.
 * The check runs in the second frame after the area was shown (the first
 * may have been under way already), before anything else can change a
 * label: in a slow build (the sanitizers) a fixed wait could end before
 * the window was laid out again for the new text size. */
static void
on_after_paint (GdkFrameClock *clock,
                AreaCheck     *check)
{
  if (check->done)
    return;
  if (++check->frames < 2)
    {
      gtk_widget_queue_draw (check->window);
      return;
    }
  check_area_now (check);
  check->done = TRUE;
}

static void
check_area_after_next_frame (AreaCheck *check)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (check->window);
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), check);
  gtk_widget_queue_draw (check->window);
  g_assert_true (SPIN_UNTIL (check->done, 10000));
  g_signal_handler_disconnect (clock, handler);
}

/* Large text: the main window at 1.5× text, through every area: no label
 * gets less room than it needs, and no area asks for a window wider than
 * 1280 pixels. */
static void
test_large_text (void)
{
  TestFacility *tf = test_facility_start ();
  NtApplication *app = registered_app ();
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  g_autoptr(NtContext) context = NULL;
  g_autofree char *token = viewer_token (tf);
  NtWindow *window;
  int dpi;

  g_object_get (gtk_settings_get_default (), "gtk-xft-dpi", &dpi, NULL);
  g_assert_cmpint (dpi, <, LARGE_TEXT_DPI);
  g_object_set (gtk_settings_get_default (), "gtk-xft-dpi", LARGE_TEXT_DPI, NULL);

  context = nt_context_new (settings, tf->base_uri);
  nt_context_set_token (context, token);
  window = nt_window_new (app, context);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  nt_context_start (context);
  g_assert_true (SPIN_UNTIL (nt_context_get_state (context) == NT_CONTEXT_READY, 10000));
  spin_for (1500);

  {
    static const char * const areas[] = { "overview", "beam", "beamlines", "run-plan", "allocations", "statistics" };
    g_autoptr(GPtrArray) squeezed = g_ptr_array_new_with_free_func (g_free);
    guint n_areas = 0;

    for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
      {
        AreaCheck check = { GTK_WIDGET (window), areas[i], squeezed, 0, 0, FALSE };

        gtk_widget_activate_action (GTK_WIDGET (window), "win.show-area", "s", areas[i]);
        g_assert_cmpstr (nt_window_get_area (window), ==, areas[i]);
        spin_for (500);
        check_area_after_next_frame (&check);
        g_assert_cmpuint (check.n_checked, >, 0);
        n_areas++;
      }
    for (guint i = 0; i < squeezed->len; i++)
      g_test_message ("squeezed: %s", (char *)squeezed->pdata[i]);
    g_assert_cmpuint (n_areas, ==, G_N_ELEMENTS (areas));
    g_assert_cmpuint (squeezed->len, ==, 0);
  }
  g_assert_true (SPIN_UNTIL (charts_loaded (GTK_WIDGET (window)), 20000));

  nt_context_shutdown (context);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (SPIN_UNTIL (window == NULL, 2000));
  spin_for (100);
  g_object_set (gtk_settings_get_default (), "gtk-xft-dpi", dpi, NULL);
  test_facility_free (tf);
}

static void
test_kiosk_window (void)
{
  TestFacility *tf = test_facility_start ();
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  g_autoptr(NtContext) context = nt_context_new (settings, tf->base_uri);
  g_autofree char *token = viewer_token (tf);
  NtKioskWindow *kiosk;
  NtFacilityDrawing *drawing = NULL;

  nt_context_set_token (context, token);
  kiosk = nt_kiosk_window_new (NULL, context);
  g_object_add_weak_pointer (G_OBJECT (kiosk), (gpointer *)&kiosk);
  gtk_window_present (GTK_WINDOW (kiosk));
  nt_context_start (context);
  g_assert_true (SPIN_UNTIL (nt_context_get_state (context) == NT_CONTEXT_READY, 10000));

  /* The ring picture states each beamline's live state in words. */
  for (GtkWidget *w = GTK_WIDGET (kiosk); w != NULL && drawing == NULL;)
    {
      GtkWidget *next = gtk_widget_get_first_child (w);

      if (NT_IS_FACILITY_DRAWING (w))
        drawing = NT_FACILITY_DRAWING (w);
      while (next == NULL && w != NULL)
        {
          next = gtk_widget_get_next_sibling (w);
          w = gtk_widget_get_parent (w);
        }
      w = next;
    }
  g_assert_nonnull (drawing);
  gtk_test_accessible_assert_role (drawing, GTK_ACCESSIBLE_ROLE_IMG);
  g_assert_true (SPIN_UNTIL (nt_facility_drawing_count_ports (drawing, NT_PORT_UNKNOWN) == 0, 10000));
  gtk_test_accessible_assert_property (drawing, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       nt_facility_drawing_get_description (drawing));
  g_assert_nonnull (strstr (nt_facility_drawing_get_description (drawing), "BL02U: shutter "));

  check_tree (GTK_WIDGET (kiosk), "kiosk", 1);
  g_assert_true (SPIN_UNTIL (charts_loaded (GTK_WIDGET (kiosk)), 20000));

  nt_context_shutdown (context);
  nt_kiosk_window_exit (kiosk);
  g_assert_true (SPIN_UNTIL (kiosk == NULL, 2000));
  spin_for (100);
  /* Cancelled calls hold the context until their callbacks have run. */
  g_assert_true (SPIN_UNTIL (G_OBJECT (context)->ref_count == 1, 10000));
  g_assert_finalize_object (g_steal_pointer (&context));
  test_facility_free (tf);
}

static void
test_preferences_window (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  NtPreferencesWindow *prefs = nt_preferences_window_new (settings);

  g_object_add_weak_pointer (G_OBJECT (prefs), (gpointer *)&prefs);
  gtk_window_present (GTK_WINDOW (prefs));
  spin_for (200);

  /* Each page in turn. */
  {
    static const char * const titles[] = { "Facility", "Kiosk", NULL };
    g_autoptr(GPtrArray) pages = g_ptr_array_new ();

    collect_type (GTK_WIDGET (prefs), ADW_TYPE_PREFERENCES_PAGE, pages);
    guint n_checked = 0;

    /* (libadwaita keeps a page of its own for search results.) */
    for (guint i = 0; i < pages->len; i++)
      {
        AdwPreferencesPage *page = pages->pdata[i];
        const char *title = adw_preferences_page_get_title (page);
        g_autofree char *what = g_strdup_printf ("preferences, %s", title);

        if (!g_strv_contains (titles, title ? title : ""))
          continue;
        adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs), page);
        spin_for (100);
        check_tree (GTK_WIDGET (prefs), what, 4);
        n_checked++;
      }
    g_assert_cmpuint (n_checked, ==, 2);
  }

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_true (SPIN_UNTIL (prefs == NULL, 2000));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* The suite runs with GTK_A11Y=none, which makes no accessibility
   * objects at all: this test needs GTK's test backend, which keeps every
   * property and relation for us to read. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);
  adw_init ();

  g_test_add_func ("/accessibility/main-window", test_main_window);
  g_test_add_func ("/accessibility/kiosk", test_kiosk_window);
  g_test_add_func ("/accessibility/preferences", test_preferences_window);
  g_test_add_func ("/accessibility/large-text", test_large_text);

  ret = g_test_run ();
  g_clear_object (&shared_app);

  return ret;
}

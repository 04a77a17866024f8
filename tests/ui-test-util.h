/* ui-test-util.h: small helpers the UI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

/* GNOME's Large Text at 1.5×: it reaches GTK as the resolution,
 * GtkSettings:gtk-xft-dpi (1024ths of a dot per inch). */
#define LARGE_TEXT_DPI (147456)

/* The first widget of @type under @root (itself included), depth first. */
static inline GtkWidget *
ui_test_find_widget (GtkWidget *root,
                     GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* With NT_TEST_PNG_DIR set, keeps a picture of @widget for people to look
 * at (the layout is not asserted pixel by pixel). */
static inline void
ui_test_save_png (GtkWidget  *widget,
                  const char *name)
{
  const char *dir = g_getenv ("NT_TEST_PNG_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;

  if (dir == NULL)
    return;

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node, NULL);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("picture: %s", path);
}

/* Registers @app for a test.  The UI tests run two at a time on one
 * session bus, so the console's bus name may be taken by a sibling; a
 * unique application would then register as a remote instance, and GTK
 * 4.8 dereferences NULL when a remote instance is given a window
 * (gtk_window_set_application → the application's window-added handler,
 * seen under the sanitizers).  A test's application is therefore never
 * unique: it always registers as the primary instance of its own process. */
static inline void
ui_test_register_app (GApplication *app)
{
  g_autoptr(GError) error = NULL;

  g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  g_application_register (app, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (app));
}

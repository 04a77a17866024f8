/* nt-widget-util.c: small pieces every view of the console repeats
 *
 * One CSS class out of a set (a severity, a connection state), the
 * handlers a view keeps on an object it follows (dropped with the object,
 * or when it follows another), and a timer that calls a function every so
 * many seconds; a themed colour with its fallback.  Each was written out
 * again in most views.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-widget-util"

#include "config.h"

#include "nt-labels.h"
#include "nt-widget-util.h"

static const char * const severity_classes[] = {
  "severity-none", "severity-minor", "severity-major", "severity-invalid", "severity-undefined",
};

typedef struct
{
  GCallback func;
  gpointer  data;
} Repeat;

static gboolean
repeat_cb (gpointer user_data)
{
  Repeat *repeat = user_data;

  ((void (*) (gpointer)) repeat->func) (repeat->data);
  return G_SOURCE_CONTINUE;
}

/**
 * nt_widget_set_class_among:
 * @classes: the CSS classes of which @widget carries at most one
 * @wanted: (nullable): the one it carries from now on, or %NULL for none
 */
void
nt_widget_set_class_among (GtkWidget          *widget,
                           const char * const *classes,
                           guint               n_classes,
                           const char         *wanted)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  for (guint i = 0; i < n_classes; i++)
    {
      if (g_strcmp0 (classes[i], wanted) == 0)
        gtk_widget_add_css_class (widget, classes[i]);
      else
        gtk_widget_remove_css_class (widget, classes[i]);
    }
}

/**
 * nt_widget_set_severity_class:
 *
 * Gives @widget the class of @severity ("severity-major", …) and none of
 * the others: data/style.css colours a value by it.
 */
void
nt_widget_set_severity_class (GtkWidget    *widget,
                              NtPvSeverity  severity)
{
  nt_widget_set_class_among (widget, severity_classes, G_N_ELEMENTS (severity_classes),
                             nt_labels_severity_class (severity));
}

/**
 * nt_widget_set_class:
 *
 * Adds @css_class to @widget when @set, else removes it.
 */
void
nt_widget_set_class (GtkWidget  *widget,
                     const char *css_class,
                     gboolean    set)
{
  if (set)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

/**
 * nt_widget_unparent_children:
 *
 * Unparents every child of @widget: in dispose, for the children of a
 * template that are not bound (a scrolled window at the root).
 */
void
nt_widget_unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

/**
 * nt_disconnect_and_clear:
 * @object_ptr: (inout) (nullable): a #GObject pointer
 * @data: the user data of the handlers to drop
 *
 * Disconnects the handlers whose data is @data from *@object_ptr, then
 * clears it (as g_clear_object()).
 */
/* The theme's named colour @name (a @define-color of the style sheet), or,
 * where the theme has none, the widget's foreground at @fallback_alpha:
 * still readable in dark mode. */
void
nt_widget_lookup_color (GtkWidget  *widget,
                        const char *name,
                        double      fallback_alpha,
                        GdkRGBA    *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (context, name, color))
    {
      gtk_style_context_get_color (context, color);
      color->alpha *= fallback_alpha;
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
}

void
nt_disconnect_and_clear (gpointer object_ptr,
                         gpointer data)
{
  GObject **slot = object_ptr;

  if (*slot != NULL)
    g_signal_handlers_disconnect_by_data (*slot, data);
  g_clear_object (slot);
}

/**
 * nt_disconnect_and_set:
 * @object_ptr: (inout): a #GObject pointer
 * @new_object: (nullable): the object to follow from now on
 * @data: the user data of the handlers to drop from the old object
 *
 * Follows another object: when @new_object is not the one in *@object_ptr,
 * the handlers whose data is @data are dropped from the old one and
 * *@object_ptr takes a reference on @new_object (as g_set_object()).
 *
 * Returns: whether *@object_ptr changed (the caller connects its handlers
 *   to the new object then)
 */
gboolean
nt_disconnect_and_set (gpointer object_ptr,
                       gpointer new_object,
                       gpointer data)
{
  GObject **slot = object_ptr;

  if (*slot == new_object)
    return FALSE;

  if (*slot != NULL)
    g_signal_handlers_disconnect_by_data (*slot, data);
  return g_set_object (slot, new_object);
}

/**
 * nt_timeout_add_seconds_repeating:
 * @func: a function taking @data, called every @seconds until the source
 *   is removed
 *
 * Returns: the source id, for g_clear_handle_id()
 */
guint
nt_timeout_add_seconds_repeating (guint     seconds,
                                  GCallback func,
                                  gpointer  data)
{
  Repeat *repeat = g_new (Repeat, 1);

  repeat->func = func;
  repeat->data = data;
  return g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, seconds, repeat_cb, repeat, g_free);
}

#define DEFERRED_ICON_KEY "nt-status-page-icon"

static void
status_page_map_cb (GtkWidget *page,
                    gpointer   user_data)
{
  const char *icon_name = g_object_get_data (G_OBJECT (page), DEFERRED_ICON_KEY);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), *icon_name != '\0' ? icon_name : NULL);
}

/**
 * nt_status_page_set_icon_when_shown:
 * @page: a status page
 * @icon_name: (nullable): its icon
 *
 * Gives @page its icon when it is first shown, not before.  A status
 * page's icon is 128 px, a size the icon theme has only as SVG, and GTK
 * looks an image's icon up (loading it in a thread) as soon as the image
 * is styled, shown or not: every error page built at start-up would load
 * librsvg (about 7 MiB resident) for a picture nobody sees.
 */
void
nt_status_page_set_icon_when_shown (AdwStatusPage *page,
                                    const char    *icon_name)
{
  g_return_if_fail (ADW_IS_STATUS_PAGE (page));

  if (g_object_get_data (G_OBJECT (page), DEFERRED_ICON_KEY) == NULL)
    g_signal_connect (page, "map", G_CALLBACK (status_page_map_cb), NULL);
  g_object_set_data_full (G_OBJECT (page), DEFERRED_ICON_KEY, g_strdup (icon_name ? icon_name : ""), g_free);

  /* Shown now, or shown before (its icon already loaded): at once. */
  if (gtk_widget_get_mapped (GTK_WIDGET (page)) || adw_status_page_get_icon_name (page) != NULL)
    adw_status_page_set_icon_name (page, icon_name);
}

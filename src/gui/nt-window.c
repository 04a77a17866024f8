/* nt-window.c: the console's main window
 *
 * A sidebar of areas and a content pane in an AdwLeaflet: side by side when
 * there is room, one at a time (with a back button) below 360 px or so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-window"

#include "config.h"

#include <glib/gi18n.h>

#include "nt-beam-page.h"
#include "nt-beamlines-page.h"
#include "nt-connection-indicator.h"
#include "nt-overview-page.h"
#include "nt-schedule-page.h"
#include "nt-statistics-page.h"
#include "nt-window.h"

struct _NtWindow
{
  AdwApplicationWindow  parent_instance;

  NtContext            *context;

  /* Template children */
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkListBox           *sidebar_list;
  GtkWidget            *content;
  AdwWindowTitle       *content_title;
  AdwBin               *connection_bin;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *content_stack;
};

G_DEFINE_FINAL_TYPE (NtWindow, nt_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_AREA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkListBoxRow *
find_row (NtWindow   *self,
          const char *area)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child) &&
          g_strcmp0 (gtk_widget_get_name (child), area) == 0)
        return GTK_LIST_BOX_ROW (child);
    }

  return NULL;
}

static void
add_area (NtWindow   *self,
          const char *name,
          const char *title,
          const char *icon_name,
          GtkWidget  *page)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *label;
  GtkStackPage *stack_page;

  stack_page = gtk_stack_add_titled (self->content_stack, page, name, title);
  gtk_stack_page_set_icon_name (stack_page, icon_name);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon_name));
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), label);

  row = gtk_list_box_row_new ();
  gtk_widget_set_name (row, name);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  gtk_list_box_append (self->sidebar_list, row);
}

static void
save_window_state (NtWindow *self)
{
  GSettings *settings = nt_context_get_settings (self->context);
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (settings);
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
  g_settings_set_boolean (settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_set_string (settings, "last-area", nt_window_get_area (self));
  g_settings_apply (settings);
}

static void
sidebar_row_activated_cb (NtWindow      *self,
                          GtkListBoxRow *row)
{
  nt_window_set_area (self, gtk_widget_get_name (GTK_WIDGET (row)));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
leaflet_folded_cb (NtWindow *self)
{
  /* Folded, the sidebar is a list to pick from; unfolded, it shows where
   * the user is. */
  if (adw_leaflet_get_folded (self->leaflet))
    gtk_list_box_set_selection_mode (self->sidebar_list, GTK_SELECTION_NONE);
  else
    {
      gtk_list_box_set_selection_mode (self->sidebar_list, GTK_SELECTION_SINGLE);
      gtk_list_box_select_row (self->sidebar_list, find_row (self, nt_window_get_area (self)));
    }
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  NtWindow *self = NT_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
show_area_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  NtWindow *self = NT_WINDOW (widget);
  const char *area = g_variant_get_string (parameter, NULL);

  if (gtk_stack_get_child_by_name (self->content_stack, area) == NULL)
    return;

  nt_window_set_area (self, area);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* The Beam chart over [from, to] (Unix seconds), no longer following
 * live: where the Statistics area's fault list sends the user. */
static void
show_beam_at_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  NtWindow *self = NT_WINDOW (widget);
  GtkWidget *page = gtk_stack_get_child_by_name (self->content_stack, "beam");
  NtStripChart *chart;
  gint64 from, to;

  g_variant_get (parameter, "(xx)", &from, &to);
  if (page == NULL || from >= to)
    return;

  nt_window_set_area (self, "beam");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  chart = nt_beam_page_get_chart (NT_BEAM_PAGE (page));
  nt_strip_chart_set_follow_live (chart, FALSE);
  nt_strip_chart_set_visible_span (chart, (double)(to - from));
  nt_strip_chart_set_end_time (chart, to * G_USEC_PER_SEC);
}

static gboolean
nt_window_close_request (GtkWindow *window)
{
  save_window_state (NT_WINDOW (window));

  return GTK_WINDOW_CLASS (nt_window_parent_class)->close_request (window);
}

static void
nt_window_constructed (GObject *object)
{
  NtWindow *self = (NtWindow *)object;
  GSettings *settings = nt_context_get_settings (self->context);
  g_autofree char *last_area = NULL;

  G_OBJECT_CLASS (nt_window_parent_class)->constructed (object);

  add_area (self, "overview", _("Overview"), "nt-overview-symbolic",
            nt_overview_page_new (self->context));
  add_area (self, "beam", _("Beam"), "nt-beam-symbolic",
            nt_beam_page_new (self->context));
  add_area (self, "beamlines", _("Beamlines"), "nt-beamlines-symbolic",
            GTK_WIDGET (nt_beamlines_page_new (self->context)));
  add_area (self, "run-plan", _("Run plan"), "x-office-calendar-symbolic",
            nt_schedule_page_new (self->context, NT_TIMELINE_EDIT_PLAN));
  add_area (self, "allocations", _("Allocations"), "view-list-symbolic",
            nt_schedule_page_new (self->context, NT_TIMELINE_EDIT_ALLOCATIONS));
  add_area (self, "statistics", _("Statistics"), "nt-statistics-symbolic",
            nt_statistics_page_new (self->context));

  adw_bin_set_child (self->connection_bin, nt_connection_indicator_new (self->context));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  last_area = g_settings_get_string (settings, "last-area");
  if (gtk_stack_get_child_by_name (self->content_stack, last_area) == NULL)
    {
      g_free (last_area);
      last_area = g_strdup ("overview");
    }
  nt_window_set_area (self, last_area);

  g_signal_connect_object (self->leaflet, "notify::folded",
                           G_CALLBACK (leaflet_folded_cb), self, G_CONNECT_SWAPPED);
  leaflet_folded_cb (self);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

static void
nt_window_dispose (GObject *object)
{
  NtWindow *self = (NtWindow *)object;

  if (self->leaflet != NULL)
    g_signal_handlers_disconnect_by_func (self->leaflet, leaflet_folded_cb, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), NT_TYPE_WINDOW);

  G_OBJECT_CLASS (nt_window_parent_class)->dispose (object);
}

static void
nt_window_finalize (GObject *object)
{
  NtWindow *self = (NtWindow *)object;

  g_clear_object (&self->context);

  G_OBJECT_CLASS (nt_window_parent_class)->finalize (object);
}

static void
nt_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  NtWindow *self = NT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_AREA:
      g_value_set_string (value, nt_window_get_area (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  NtWindow *self = NT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    case PROP_AREA:
      nt_window_set_area (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_window_class_init (NtWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = nt_window_constructed;
  object_class->dispose = nt_window_dispose;
  object_class->finalize = nt_window_finalize;
  object_class->get_property = nt_window_get_property;
  object_class->set_property = nt_window_set_property;

  window_class->close_request = nt_window_close_request;

  properties[PROP_CONTEXT] = nt_context_param_spec_new ();
  properties[PROP_AREA] =
    g_param_spec_string ("area", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/nt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NtWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, NtWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, NtWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, NtWindow, content);
  gtk_widget_class_bind_template_child (widget_class, NtWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, NtWindow, connection_bin);
  gtk_widget_class_bind_template_child (widget_class, NtWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, NtWindow, content_stack);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.show-area", "s", show_area_action);
  gtk_widget_class_install_action (widget_class, "win.show-beam-at", "(xx)", show_beam_at_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "win.show-area", "s", "overview");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "win.show-area", "s", "beam");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "win.show-area", "s", "beamlines");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK,
                                       "win.show-area", "s", "run-plan");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_ALT_MASK,
                                       "win.show-area", "s", "allocations");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_6, GDK_ALT_MASK,
                                       "win.show-area", "s", "statistics");
}

static void
nt_window_init (NtWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

NtWindow *
nt_window_new (NtApplication *application,
               NtContext     *context)
{
  g_return_val_if_fail (NT_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (NT_IS_CONTEXT (context), NULL);

  return g_object_new (NT_TYPE_WINDOW,
                       "application", application,
                       "context", context,
                       NULL);
}

/**
 * nt_window_get_context:
 *
 * Returns: (transfer none): the context the window's views share
 */
NtContext *
nt_window_get_context (NtWindow *self)
{
  g_return_val_if_fail (NT_IS_WINDOW (self), NULL);
  return self->context;
}

/**
 * nt_window_get_area:
 *
 * Returns: the name of the area shown ("beamlines", …)
 */
const char *
nt_window_get_area (NtWindow *self)
{
  g_return_val_if_fail (NT_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->content_stack);
}

void
nt_window_set_area (NtWindow   *self,
                    const char *area)
{
  GtkWidget *page;
  GtkListBoxRow *row;
  gboolean changed;

  g_return_if_fail (NT_IS_WINDOW (self));
  g_return_if_fail (area != NULL);

  page = gtk_stack_get_child_by_name (self->content_stack, area);
  g_return_if_fail (page != NULL);

  changed = g_strcmp0 (area, nt_window_get_area (self)) != 0;
  if (changed)
    gtk_stack_set_visible_child (self->content_stack, page);

  adw_window_title_set_title (self->content_title,
                              gtk_stack_page_get_title (gtk_stack_get_page (self->content_stack, page)));

  row = find_row (self, area);
  if (row != NULL && gtk_list_box_get_selection_mode (self->sidebar_list) != GTK_SELECTION_NONE)
    gtk_list_box_select_row (self->sidebar_list, row);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AREA]);
}

void
nt_window_add_toast (NtWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (NT_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

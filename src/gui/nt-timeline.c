/* nt-timeline.c: the run plan and every station's allocations over time
 *
 * The widget itself: its properties and signals, the vfuncs (size, style,
 * the settings that carry the text size, dispose), the instance's set-up,
 * and the settings API (edit mode, slot filter, grids, the rules' check,
 * the selection).  The rest of NtTimeline is split by concern (see
 * nt-timeline-private.h): rows and items, geometry, drawing, editing,
 * tooltips and accessibility.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-timeline"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nt-clock.h"
#include "nt-timeline-private.h"

G_DEFINE_FINAL_TYPE (NtTimeline, nt_timeline, GTK_TYPE_WIDGET)

GParamSpec *nt_timeline_properties[N_PROPS];
guint nt_timeline_signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* State shared by the other files                                     */

void
nt_timeline_invalidate (NtTimeline *self)
{
  self->layer_dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nt_timeline_set_drag_message (NtTimeline *self,
                              const char *message)
{
  if (g_strcmp0 (self->drag_message, message) == 0)
    return;
  g_free (self->drag_message);
  self->drag_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), nt_timeline_properties[PROP_DRAG_MESSAGE]);
}

void
nt_timeline_select_item (NtTimeline *self,
                         Item       *item)
{
  if (self->selected == item)
    return;
  self->selected = item;
  if (item != NULL)
    {
      self->cursor_row = item->tag;
      self->cursor_time = item->start;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  nt_timeline_update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), nt_timeline_properties[PROP_SELECTED]);
}

/* Stops following the text size and the font of the settings. */
static void
unwatch_settings (NtTimeline *self)
{
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */

static gboolean
now_tick_cb (gpointer user_data)
{
  NtTimeline *self = user_data;

  if (self->now == 0)
    nt_timeline_invalidate (self);
  return G_SOURCE_CONTINUE;
}

static void
settings_notify_cb (NtTimeline  *self,
                    GParamSpec  *pspec,
                    GtkSettings *settings)
{
  nt_timeline_text_changed (self);
}

/* ------------------------------------------------------------------ */
/* vfuncs                                                              */

static void
nt_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  NtTimeline *self = NT_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int)self->header_w + 200;
      *natural = (int)self->header_w + 800;
    }
  else
    {
      *minimum = (int)self->axis_h + 3 * (int)self->row_h;
      *natural = (int)(self->axis_h + self->content_h);
    }
}

static void
nt_timeline_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  NtTimeline *self = NT_TIMELINE (widget);

  nt_timeline_clamp_view (self);
  self->layer_dirty = TRUE;
}

static void
nt_timeline_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  NtTimeline *self = NT_TIMELINE (widget);

  GTK_WIDGET_CLASS (nt_timeline_parent_class)->css_changed (widget, change);

  nt_timeline_update_colors (self);
  /* The font may have changed with the style. */
  nt_timeline_text_changed (self);
}

static void
nt_timeline_root (GtkWidget *widget)
{
  static const char * const watched[] = { "notify::gtk-xft-dpi", "notify::gtk-font-name" };
  NtTimeline *self = NT_TIMELINE (widget);

  GTK_WIDGET_CLASS (nt_timeline_parent_class)->root (widget);

  /* The text size (GNOME's Large Text sets the resolution) and the font
   * name reach the widget through its settings. */
  self->settings = g_object_ref (gtk_widget_get_settings (widget));
  for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
    g_signal_connect_object (self->settings, watched[i],
                             G_CALLBACK (settings_notify_cb), self, G_CONNECT_SWAPPED);
  nt_timeline_text_changed (self);
}

static void
nt_timeline_unroot (GtkWidget *widget)
{
  NtTimeline *self = NT_TIMELINE (widget);

  unwatch_settings (self);

  GTK_WIDGET_CLASS (nt_timeline_parent_class)->unroot (widget);
}

static void
nt_timeline_dispose (GObject *object)
{
  NtTimeline *self = (NtTimeline *)object;

  g_clear_handle_id (&self->now_timer, g_source_remove);
  if (self->check_destroy != NULL)
    self->check_destroy (self->check_data);
  self->check_destroy = NULL;
  self->check_func = NULL;
  self->selected = NULL;
  self->drag_item = NULL;
  if (self->made != NULL)
    g_hash_table_remove_all (self->made);
  g_clear_pointer (&self->layer, gsk_render_node_unref);
  g_clear_object (&self->layout);
  unwatch_settings (self);

  G_OBJECT_CLASS (nt_timeline_parent_class)->dispose (object);
}

static void
nt_timeline_finalize (GObject *object)
{
  NtTimeline *self = (NtTimeline *)object;

  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->row_of, g_hash_table_unref);
  g_clear_pointer (&self->made, g_hash_table_unref);
  g_clear_pointer (&self->labels, g_hash_table_unref);
  g_clear_pointer (&self->periods, nt_booking_store_unref);
  g_clear_pointer (&self->allocations, nt_booking_store_unref);
  g_clear_pointer (&self->members, g_hash_table_unref);
  g_clear_pointer (&self->proposals, g_hash_table_unref);
  g_clear_pointer (&self->scratch, g_ptr_array_unref);
  for (guint i = 0; i < N_KEYS; i++)
    g_clear_pointer (&self->rects[i], g_array_unref);
  g_free (self->drag_message);

  G_OBJECT_CLASS (nt_timeline_parent_class)->finalize (object);
}

static void
nt_timeline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  NtTimeline *self = NT_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_EDIT_MODE:
      g_value_set_int (value, self->edit_mode);
      break;
    case PROP_DRAG_MESSAGE:
      g_value_set_string (value, self->drag_message);
      break;
    case PROP_SELECTED:
      g_value_set_object (value, nt_timeline_item_object (self, self->selected));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_timeline_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  NtTimeline *self = NT_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_EDIT_MODE:
      nt_timeline_set_edit_mode (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_timeline_class_init (NtTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nt_timeline_dispose;
  object_class->finalize = nt_timeline_finalize;
  object_class->get_property = nt_timeline_get_property;
  object_class->set_property = nt_timeline_set_property;

  widget_class->snapshot = nt_timeline_snapshot;
  widget_class->measure = nt_timeline_measure;
  widget_class->size_allocate = nt_timeline_size_allocate;
  widget_class->css_changed = nt_timeline_css_changed;
  widget_class->root = nt_timeline_root;
  widget_class->unroot = nt_timeline_unroot;
  widget_class->query_tooltip = nt_timeline_query_tooltip;

  nt_timeline_properties[PROP_EDIT_MODE] =
    g_param_spec_int ("edit-mode", NULL, NULL,
                      NT_TIMELINE_EDIT_NONE, NT_TIMELINE_EDIT_ALLOCATIONS, NT_TIMELINE_EDIT_NONE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  nt_timeline_properties[PROP_DRAG_MESSAGE] =
    g_param_spec_string ("drag-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  nt_timeline_properties[PROP_SELECTED] =
    g_param_spec_object ("selected", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, nt_timeline_properties);

  /**
   * NtTimeline::create:
   * @station: (nullable): the station, NULL on the run-plan row
   * @slot: the NtSlot of the new allocation (the NtPeriodKind on the plan row)
   * @start, @end: the span, on the slot's grid
   *
   * The user made a new booking that the rules allow.
   */
  nt_timeline_signals[SIGNAL_CREATE] =
    g_signal_new ("create", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_INT, G_TYPE_INT64, G_TYPE_INT64);
  /**
   * NtTimeline::change:
   * @object: the NtAllocation or NtRunPeriod as it is now
   * @start, @end: where the user moved or resized it
   */
  nt_timeline_signals[SIGNAL_CHANGE] =
    g_signal_new ("change", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_OBJECT, G_TYPE_INT64, G_TYPE_INT64);
  /**
   * NtTimeline::move-station:
   * @object: the NtAllocation as it is now
   * @station: the station the user moved it to
   * @start, @end: its span there
   *
   * The user moved an allocation to another station's row (and maybe in
   * time), where the rules allow it.
   */
  nt_timeline_signals[SIGNAL_MOVE_STATION] =
    g_signal_new ("move-station", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_OBJECT, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_INT64);
  nt_timeline_signals[SIGNAL_ACTIVATE] =
    g_signal_new ("activate-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_OBJECT);
  nt_timeline_signals[SIGNAL_DELETE] =
    g_signal_new ("delete-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_OBJECT);
  nt_timeline_signals[SIGNAL_VIEW_CHANGED] =
    g_signal_new ("view-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
nt_timeline_init (NtTimeline *self)
{
  gint64 fy_start, fy_end;

  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (self->rows, nt_timeline_row_clear);
  self->row_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->periods = nt_booking_store_new ();
  self->allocations = nt_booking_store_new ();
  self->made = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->labels = g_hash_table_new_full (NULL, NULL, NULL, nt_timeline_label_free);
  self->members = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->proposals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->scratch = g_ptr_array_new ();
  for (guint i = 0; i < N_KEYS; i++)
    self->rects[i] = g_array_new (FALSE, FALSE, sizeof (Rect));
  self->slot_mask = (1u << NT_N_SLOTS) - 1;
  self->create_slot = -1;
  self->shift_grid = NT_TIME_GRID_SHIFT_DEFAULT;
  self->layer_dirty = TRUE;
  self->header_w = MIN_HEADER_W;
  self->axis_h = MIN_AXIS_H;
  self->row_h = MIN_ROW_H;
  self->group_h = MIN_GROUP_H;
  self->axis_line_y = MIN_AXIS_H - AXIS_LINE_H;

  nt_time_fiscal_year_bounds (nt_time_fiscal_year_of (nt_clock_now ()),
                              &fy_start, &fy_end);
  self->bounds_start = fy_start;
  self->bounds_end = fy_end;
  self->view_start = fy_start;
  self->view_span = (double)(fy_end - fy_start);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  nt_timeline_add_controllers (self);

  self->now_timer = g_timeout_add_seconds (60, now_tick_cb, self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Run plan and allocations over time"),
                                  -1);
  nt_timeline_update_accessible (self);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

GtkWidget *
nt_timeline_new (void)
{
  return g_object_new (NT_TYPE_TIMELINE, NULL);
}

void
nt_timeline_set_slot_mask (NtTimeline *self,
                           guint       mask)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  if (self->slot_mask == mask)
    return;
  self->slot_mask = mask;
  if (self->selected != NULL && !nt_timeline_item_shown (self, self->selected))
    nt_timeline_select_item (self, NULL);
  nt_timeline_invalidate (self);
}

guint
nt_timeline_get_slot_mask (NtTimeline *self)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), 0);
  return self->slot_mask;
}

void
nt_timeline_set_edit_mode (NtTimeline         *self,
                           NtTimelineEditMode  mode)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  if (self->edit_mode == mode)
    return;
  self->edit_mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), nt_timeline_properties[PROP_EDIT_MODE]);
}

NtTimelineEditMode
nt_timeline_get_edit_mode (NtTimeline *self)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), NT_TIMELINE_EDIT_NONE);
  return self->edit_mode;
}

void
nt_timeline_set_create_slot (NtTimeline *self,
                             int         slot)
{
  g_return_if_fail (NT_IS_TIMELINE (self));
  g_return_if_fail (slot >= -1 && slot < NT_N_SLOTS);
  self->create_slot = slot;
}

void
nt_timeline_set_shift_grid (NtTimeline       *self,
                            const NtTimeGrid *grid)
{
  g_return_if_fail (NT_IS_TIMELINE (self));
  g_return_if_fail (nt_time_grid_is_valid (grid));

  self->shift_grid = *grid;
  nt_timeline_invalidate (self);
}

void
nt_timeline_set_check_func (NtTimeline          *self,
                            NtTimelineCheckFunc  func,
                            gpointer             user_data,
                            GDestroyNotify       destroy)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  if (self->check_destroy != NULL)
    self->check_destroy (self->check_data);
  self->check_func = func;
  self->check_data = user_data;
  self->check_destroy = destroy;
}

/**
 * nt_timeline_get_selected:
 *
 * Returns: (transfer none) (nullable): the selected allocation or period
 */
gpointer
nt_timeline_get_selected (NtTimeline *self)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), NULL);
  return nt_timeline_item_object (self, self->selected);
}

void
nt_timeline_select (NtTimeline *self,
                    gpointer    object)
{
  g_return_if_fail (NT_IS_TIMELINE (self));

  nt_timeline_select_item (self, object != NULL ? nt_timeline_item_of (self, object) : NULL);
}

const char *
nt_timeline_get_drag_message (NtTimeline *self)
{
  g_return_val_if_fail (NT_IS_TIMELINE (self), NULL);
  return self->drag_message;
}

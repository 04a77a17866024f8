/* nt-timeline-edit.c: editing on NtTimeline with the pointer and the keys
 *
 * The event controllers (drag, double click, scroll, pointer, keys) and
 * the paths they call: a drag pans, moves, resizes or makes a booking,
 * snapped to its slot's grid and checked against the rules as it goes
 * (the reason shown while it is refused); the arrows select, Alt+arrows
 * move or resize the selection, Insert makes a booking, and the keys and
 * Ctrl+scroll zoom.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-timeline"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "nt-alloc-rules.h"
#include "nt-timeline-private.h"

/* ------------------------------------------------------------------ */
/* Rules and grids                                                     */

static gboolean
row_editable (NtTimeline *self,
              guint       row)
{
  Row *r;

  if (row >= self->rows->len)
    return FALSE;
  r = nt_timeline_row (self, row);

  return (self->edit_mode == NT_TIMELINE_EDIT_PLAN && r->kind == NT_TIMELINE_ROW_PLAN) ||
         (self->edit_mode == NT_TIMELINE_EDIT_ALLOCATIONS && r->kind == NT_TIMELINE_ROW_STATION);
}

static NtTimeGrid
grid_for_slot (NtTimeline *self,
               int         slot)
{
  if (slot == NT_SLOT_PUBLIC)
    return self->shift_grid;
  return NT_TIME_GRID_HOUR;
}

static int
create_slot_for_row (NtTimeline *self,
                     guint       row)
{
  Row *r = nt_timeline_row (self, row);

  if (r->kind == NT_TIMELINE_ROW_PLAN)
    return NT_PERIOD_USER_OPERATION;
  if (self->create_slot >= 0)
    return self->create_slot;
  if (r->program == NT_PROGRAM_PUBLIC)
    return NT_SLOT_PUBLIC;
  return NT_SLOT_COALITION;
}

static NtTimeGrid
grid_for_item (NtTimeline *self,
               Item       *item,
               guint       row)
{
  if (item != NULL)
    return grid_for_slot (self, nt_timeline_item_slot (item));
  if (nt_timeline_row (self, row)->kind == NT_TIMELINE_ROW_PLAN)
    return NT_TIME_GRID_HOUR;
  return grid_for_slot (self, create_slot_for_row (self, row));
}

static void
check_proposal (NtTimeline *self)
{
  g_autoptr(GError) error = NULL;
  Row *row = nt_timeline_row (self, self->drag_row);
  int slot = self->drag_item != NULL
             ? (NT_BOOKING_IS_PERIOD (self->drag_item) ? self->drag_item->kind : self->drag_item->slot)
             : create_slot_for_row (self, self->drag_row);

  self->drag_valid = TRUE;
  if (self->drag_item != NULL && !NT_BOOKING_IS_PERIOD (self->drag_item) && row->kind != NT_TIMELINE_ROW_STATION)
    {
      self->drag_valid = FALSE;
      nt_timeline_set_drag_message (self, _("A booking can only be moved onto a station’s row"));
      return;
    }
  if (self->drag_end <= self->drag_start)
    {
      self->drag_valid = FALSE;
      nt_timeline_set_drag_message (self, _("A booking must be at least one step of its grid long"));
      return;
    }
  if (self->check_func != NULL &&
      !self->check_func (self->drag_item != NULL ? nt_timeline_item_object (self, self->drag_item) : NULL,
                         row->station, slot, self->drag_start, self->drag_end,
                         self->check_data, &error))
    {
      self->drag_valid = FALSE;
      nt_timeline_set_drag_message (self, error != NULL ? error->message : _("Not allowed here"));
      return;
    }
  nt_timeline_set_drag_message (self, NULL);
}

/* Checks a span proposed from the keyboard as a drag to it would be:
 * returns whether the rules allow it (else the reason is the drag
 * message).  The span stays in drag_start and drag_end. */
static gboolean
check_span (NtTimeline *self,
            guint       row,
            Item       *item,
            gint64      start,
            gint64      end)
{
  self->drag_row = row;
  self->drag_item = item;
  self->drag_start = start;
  self->drag_end = end;
  check_proposal (self);
  self->drag_item = NULL;
  return self->drag_valid;
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               NtTimeline     *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  gtk_widget_grab_focus (GTK_WIDGET (self));
  nt_timeline_drag_begin (self, x, y);
  if (button == GDK_BUTTON_MIDDLE || (state & GDK_CONTROL_MASK) != 0)
    self->drag_mode = DRAG_PAN;
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          ox,
                double          oy,
                NtTimeline     *self)
{
  nt_timeline_drag_update (self, self->drag_x0 + ox, self->drag_y0 + oy);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          ox,
             double          oy,
             NtTimeline     *self)
{
  nt_timeline_drag_end (self, self->drag_x0 + ox, self->drag_y0 + oy);
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            NtTimeline      *self)
{
  Item *item;

  if (n_press != 2)
    return;
  item = nt_timeline_item_at (self, x, y, NULL);
  if (item != NULL)
    {
      nt_timeline_select_item (self, item);
      g_signal_emit (self, nt_timeline_signals[SIGNAL_ACTIVATE], 0, nt_timeline_item_object (self, item));
    }
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    sx,
           double                    sy,
           NtTimeline               *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (state & GDK_CONTROL_MASK)
    {
      /* About the instant under the pointer, which stays where it is. */
      double x = self->pointer_x >= self->header_w ? self->pointer_x
                 : self->header_w + nt_timeline_plot_width (self, gtk_widget_get_width (GTK_WIDGET (self))) / 2;
      double t = nt_timeline_t_for (self, x);
      double factor = sy < 0 ? 1.25 : 1 / 1.25;

      self->view_span /= factor;
      self->view_start = t - (x - self->header_w) * self->view_span /
                             nt_timeline_plot_width (self, gtk_widget_get_width (GTK_WIDGET (self)));
      nt_timeline_view_changed (self);
      return TRUE;
    }
  if (state & GDK_SHIFT_MASK)
    {
      self->yoff += sy * 30;
      nt_timeline_view_changed (self);
      return TRUE;
    }

  self->view_start += (sx + sy) * self->view_span * 0.05;
  nt_timeline_view_changed (self);
  return TRUE;
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           NtTimeline               *self)
{
  self->pointer_x = x;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                NtTimeline            *self)
{
  return nt_timeline_handle_key (self, keyval, state);
}

void
nt_timeline_add_controllers (NtTimeline *self)
{
  GtkGesture *drag, *click;
  GtkEventController *scroll, *key, *motion;

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */


void
nt_timeline_drag_begin (NtTimeline *self,
                        double      x,
                        double      y)
{
  DragMode edge;
  Item *item;
  int row;

  g_return_if_fail (NT_IS_TIMELINE (self));

  self->drag_x0 = x;
  self->drag_y0 = y;
  self->drag_view0 = self->view_start;
  self->drag_moved = FALSE;
  self->drag_valid = FALSE;
  self->drag_item = NULL;
  nt_timeline_set_drag_message (self, NULL);

  row = nt_timeline_row_at (self, y);
  item = nt_timeline_item_at (self, x, y, &edge);

  if (row < 0 || x < self->header_w || !row_editable (self, (guint)row))
    {
      self->drag_mode = DRAG_PAN;
      if (item != NULL)
        nt_timeline_select_item (self, item);
      return;
    }

  self->drag_row = (guint)row;
  if (item != NULL)
    {
      self->drag_mode = item->status == NT_ALLOCATION_CANCELLED ? DRAG_PAN : edge;
      self->drag_item = item;
      self->drag_start = item->start;
      self->drag_end = item->end;
      nt_timeline_select_item (self, item);
    }
  else
    {
      NtTimeGrid grid = grid_for_item (self, NULL, (guint)row);
      gint64 t = (gint64)nt_timeline_t_for (self, x);

      self->drag_mode = DRAG_CREATE;
      self->drag_start = nt_time_grid_floor (&grid, t);
      self->drag_end = nt_time_grid_ceil (&grid, t + 1);
    }
}

void
nt_timeline_drag_update (NtTimeline *self,
                         double      x,
                         double      y)
{
  NtTimeGrid grid;
  gint64 t, t0;

  g_return_if_fail (NT_IS_TIMELINE (self));

  if (fabs (x - self->drag_x0) >= 3 || fabs (y - self->drag_y0) >= 3)
    self->drag_moved = TRUE;
  if (!self->drag_moved)
    return;

  switch (self->drag_mode)
    {
    case DRAG_NONE:
      return;

    case DRAG_PAN:
      self->view_start = self->drag_view0 - (x - self->drag_x0) * self->view_span /
                         nt_timeline_plot_width (self, gtk_widget_get_width (GTK_WIDGET (self)));
      nt_timeline_view_changed (self);
      return;

    case DRAG_MOVE:
      if (self->drag_item == NULL)
        return;
      /* An allocation follows the pointer to another row (checked against
       * that row's station); a period stays on the run-plan row. */
      if (!NT_BOOKING_IS_PERIOD (self->drag_item) && self->edit_mode == NT_TIMELINE_EDIT_ALLOCATIONS)
        {
          int row = nt_timeline_row_at (self, y);

          if (row >= 0)
            self->drag_row = (guint)row;
        }
      grid = grid_for_item (self, self->drag_item, self->drag_row);
      t = (gint64)round ((x - self->drag_x0) * self->view_span /
                         nt_timeline_plot_width (self, gtk_widget_get_width (GTK_WIDGET (self))));
      self->drag_start = nt_time_grid_nearest (&grid, self->drag_item->start + t);
      self->drag_end = self->drag_start + (self->drag_item->end - self->drag_item->start);
      break;

    case DRAG_RESIZE_START:
      grid = grid_for_item (self, self->drag_item, self->drag_row);
      self->drag_start = MIN (nt_time_grid_nearest (&grid, (gint64)nt_timeline_t_for (self, x)),
                              self->drag_item->end);
      self->drag_end = self->drag_item->end;
      break;

    case DRAG_RESIZE_END:
      grid = grid_for_item (self, self->drag_item, self->drag_row);
      self->drag_start = self->drag_item->start;
      self->drag_end = MAX (nt_time_grid_nearest (&grid, (gint64)nt_timeline_t_for (self, x)),
                            self->drag_item->start);
      break;

    case DRAG_CREATE:
      grid = grid_for_item (self, NULL, self->drag_row);
      t0 = (gint64)nt_timeline_t_for (self, self->drag_x0);
      t = (gint64)nt_timeline_t_for (self, x);
      self->drag_start = nt_time_grid_floor (&grid, MIN (t0, t));
      self->drag_end = nt_time_grid_ceil (&grid, MAX (t0, t));
      if (self->drag_end <= self->drag_start)
        self->drag_end = nt_time_grid_ceil (&grid, self->drag_start + 1);
      break;

    default:
      g_return_if_reached ();
    }

  check_proposal (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
nt_timeline_drag_end (NtTimeline *self,
                      double      x,
                      double      y)
{
  DragMode mode;
  Row *row;

  g_return_if_fail (NT_IS_TIMELINE (self));

  nt_timeline_drag_update (self, x, y);
  mode = self->drag_mode;
  self->drag_mode = DRAG_NONE;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (!self->drag_moved)
    {
      /* A click: select what is under the pointer (or nothing). */
      Item *item = nt_timeline_item_at (self, x, y, NULL);

      nt_timeline_select_item (self, item);
      if (item == NULL && nt_timeline_row_at (self, y) >= 0)
        {
          self->cursor_row = (guint)nt_timeline_row_at (self, y);
          self->cursor_time = (gint64)nt_timeline_t_for (self, x);
        }
      return;
    }

  if (mode == DRAG_PAN || mode == DRAG_NONE)
    return;

  /* The reason stays shown until the next drag; a refused drag changes
   * nothing. */
  if (!self->drag_valid)
    return;
  nt_timeline_set_drag_message (self, NULL);

  row = nt_timeline_row (self, self->drag_row);
  if (mode == DRAG_CREATE)
    g_signal_emit (self, nt_timeline_signals[SIGNAL_CREATE], 0, row->station,
                   create_slot_for_row (self, self->drag_row),
                   self->drag_start, self->drag_end);
  else if (self->drag_item != NULL && self->drag_row != self->drag_item->tag && row->station != NULL)
    {
      g_autoptr(GObject) object = g_object_ref (nt_timeline_item_object (self, self->drag_item));

      g_signal_emit (self, nt_timeline_signals[SIGNAL_MOVE_STATION], 0, object, row->station,
                     self->drag_start, self->drag_end);
    }
  else if (self->drag_item != NULL &&
           (self->drag_start != self->drag_item->start || self->drag_end != self->drag_item->end))
    {
      g_autoptr(GObject) object = g_object_ref (nt_timeline_item_object (self, self->drag_item));

      g_signal_emit (self, nt_timeline_signals[SIGNAL_CHANGE], 0, object, self->drag_start, self->drag_end);
    }
}

static void
select_neighbour (NtTimeline *self,
                  int         direction)
{
  Row *row;
  guint pos, n;

  if (self->cursor_row >= self->rows->len)
    return;
  row = nt_timeline_row (self, self->cursor_row);
  n = nt_interval_index_get_size (row->index);

  if (self->selected != NULL && self->selected->tag == self->cursor_row)
    {
      int p = nt_interval_index_position (row->index, self->selected);

      for (p += direction; p >= 0 && (guint)p < n; p += direction)
        {
          Item *item = nt_interval_index_get_nth (row->index, (guint)p, NULL, NULL);

          if (nt_timeline_item_shown (self, item))
            {
              nt_timeline_select_item (self, item);
              break;
            }
        }
    }
  else
    {
      pos = nt_interval_index_lower_bound (row->index, self->cursor_time);
      if (direction < 0 && pos > 0)
        pos--;
      if (pos < n)
        nt_timeline_select_item (self, nt_interval_index_get_nth (row->index, pos, NULL, NULL));
    }

  /* Keep the selection in view. */
  if (self->selected != NULL &&
      (self->selected->end < self->view_start || self->selected->start > self->view_start + self->view_span))
    {
      self->view_start = self->selected->start - self->view_span / 3;
      nt_timeline_view_changed (self);
    }
}

/* Scrolls vertically so that @row is in view. */
static void
show_row (NtTimeline *self,
          guint       row)
{
  Row *r = nt_timeline_row (self, row);
  double visible = gtk_widget_get_height (GTK_WIDGET (self)) - self->axis_h;

  if (r->y < self->yoff)
    self->yoff = r->y;
  else if (r->y + r->h > self->yoff + visible)
    self->yoff = r->y + r->h - visible;
  nt_timeline_view_changed (self);
}

static void
change_row (NtTimeline *self,
            int         direction)
{
  int row = (int)self->cursor_row;
  gint64 t = self->selected != NULL ? self->selected->start : self->cursor_time;

  do
    row += direction;
  while (row >= 0 && (guint)row < self->rows->len &&
         nt_timeline_row (self, row)->kind == NT_TIMELINE_ROW_GROUP);
  if (row < 0 || (guint)row >= self->rows->len)
    return;

  self->cursor_row = (guint)row;
  self->cursor_time = t;
  nt_timeline_select_item (self, NULL);
  self->cursor_row = (guint)row;
  self->cursor_time = t;
  select_neighbour (self, +1);

  show_row (self, (guint)row);
}

/* Alt+arrows move the selection by one step of its grid; with Shift they
 * move its end. */
static void
key_edit (NtTimeline *self,
          int         direction,
          gboolean    resize)
{
  g_autoptr(GError) error = NULL;
  Item *item = self->selected;
  NtTimeGrid grid;
  gint64 step, start, end;

  if (item == NULL || !row_editable (self, item->tag) || item->status == NT_ALLOCATION_CANCELLED)
    return;

  grid = grid_for_item (self, item, item->tag);
  step = (gint64)grid.length_minutes * 60;
  start = resize ? item->start : item->start + direction * step;
  end = item->end + direction * step;
  if (end <= start)
    return;

  if (!check_span (self, item->tag, item, start, end))
    return;

  {
    g_autoptr(GObject) object = g_object_ref (nt_timeline_item_object (self, item));

    g_signal_emit (self, nt_timeline_signals[SIGNAL_CHANGE], 0, object, start, end);
  }
}

/* Alt+Up/Down move the selected allocation to the station row above or
 * below, at the same time, skipping the stations that take no time of its
 * slot (a branch station and public time); anything else in the way (an
 * overlap there, a rule) refuses the move with its reason.  Returns FALSE
 * when there is no allocation to move. */
static gboolean
key_move_station (NtTimeline *self,
                  int         direction)
{
  Item *item = self->selected;
  Row *target = NULL;
  int row;

  if (item == NULL || NT_BOOKING_IS_PERIOD (item) || !row_editable (self, item->tag))
    return FALSE;
  if (item->status == NT_ALLOCATION_CANCELLED)
    return TRUE;

  for (row = (int)item->tag + direction; row >= 0 && (guint)row < self->rows->len; row += direction)
    {
      Row *r = nt_timeline_row (self, row);

      if (r->kind != NT_TIMELINE_ROW_STATION)
        continue;
      if (!nt_rules_check_station_slot ((NtSlot)item->slot, r->program, r->station_kind, NULL))
        continue;
      target = r;
      break;
    }
  if (target == NULL)
    return TRUE;  /* no station further that way */

  if (!check_span (self, (guint)row, item, item->start, item->end))
    return TRUE;

  {
    g_autoptr(GObject) object = g_object_ref (nt_timeline_item_object (self, item));

    self->cursor_row = (guint)row;
    g_signal_emit (self, nt_timeline_signals[SIGNAL_MOVE_STATION], 0, object, target->station, item->start, item->end);
  }
  show_row (self, (guint)row);
  return TRUE;
}

static void
key_create (NtTimeline *self)
{
  NtTimeGrid grid;
  gint64 start;
  Row *row;

  if (!row_editable (self, self->cursor_row))
    return;

  row = nt_timeline_row (self, self->cursor_row);
  grid = grid_for_item (self, NULL, self->cursor_row);
  start = nt_time_grid_floor (&grid, self->selected != NULL ? self->selected->end
                                                            : self->cursor_time);
  if (!check_span (self, self->cursor_row, NULL, start, nt_time_grid_ceil (&grid, start + 1)))
    return;

  g_signal_emit (self, nt_timeline_signals[SIGNAL_CREATE], 0, row->station,
                 create_slot_for_row (self, self->cursor_row),
                 self->drag_start, self->drag_end);
}

/**
 * nt_timeline_handle_key:
 *
 * Arrows select (Left/Right the previous/next item of the row, Up/Down
 * another row), Alt+Left/Right move the selection by one grid step,
 * Shift+Alt+Left/Right move its end, Alt+Up/Down move a selected
 * allocation to the station above or below, Insert makes a booking of one grid
 * step after the selection (or at the cursor), Return opens the editor,
 * Delete deletes; +, − and 0 zoom in, out and to fit, Home shows now,
 * Page Up/Down pan by most of the view.
 */
gboolean
nt_timeline_handle_key (NtTimeline      *self,
                        guint            keyval,
                        GdkModifierType  state)
{
  gboolean alt = (state & GDK_ALT_MASK) != 0;
  gboolean shift = (state & GDK_SHIFT_MASK) != 0;

  g_return_val_if_fail (NT_IS_TIMELINE (self), FALSE);

  if ((state & GDK_CONTROL_MASK) != 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      {
        int direction = keyval == GDK_KEY_Left || keyval == GDK_KEY_KP_Left ? -1 : +1;

        if (alt)
          key_edit (self, direction, shift);
        else
          select_neighbour (self, direction);
        return TRUE;
      }

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      if (!(alt && !shift && key_move_station (self, -1)))
        change_row (self, -1);
      return TRUE;

    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      if (!(alt && !shift && key_move_station (self, +1)))
        change_row (self, +1);
      return TRUE;

    case GDK_KEY_Insert:
    case GDK_KEY_KP_Insert:
      key_create (self);
      return TRUE;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      if (self->selected != NULL)
        g_signal_emit (self, nt_timeline_signals[SIGNAL_ACTIVATE], 0, nt_timeline_item_object (self, self->selected));
      return self->selected != NULL;

    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
      if (self->selected != NULL && row_editable (self, self->selected->tag))
        {
          g_autoptr(GObject) object = g_object_ref (nt_timeline_item_object (self, self->selected));

          g_signal_emit (self, nt_timeline_signals[SIGNAL_DELETE], 0, object);
          return TRUE;
        }
      return FALSE;

    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      nt_timeline_zoom (self, 1.5);
      return TRUE;

    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      nt_timeline_zoom (self, 1 / 1.5);
      return TRUE;

    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      nt_timeline_fit (self);
      return TRUE;

    case GDK_KEY_Home:
      nt_timeline_show_now (self);
      return TRUE;

    case GDK_KEY_Page_Up:
    case GDK_KEY_Page_Down:
      self->view_start += (keyval == GDK_KEY_Page_Up ? -0.8 : 0.8) * self->view_span;
      nt_timeline_view_changed (self);
      return TRUE;

    case GDK_KEY_Escape:
      if (self->selected == NULL)
        return FALSE;
      nt_timeline_select_item (self, NULL);
      return TRUE;

    default:
      return FALSE;
    }
}


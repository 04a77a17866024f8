/* nt-strip-chart-input.c: pointer, touch, keys and the hover readout of NtStripChart
 *
 * The event controllers and keyboard actions, the input paths they call
 * (nt-strip-chart-private.h, so tests drive the same code), the sample
 * under the pointer with its readout, and the hover marker drawn over
 * the cached layers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-strip-chart"

#include "config.h"

#include <math.h>

#include "nt-decimate.h"
#include "nt-i18n.h"
#include "nt-strip-chart-private.h"
#include "nt-strip-chart.h"

#define KEY_ZOOM_FACTOR    1.5

/* How the readout shows each severity: its CSS class, and its words
 * beside the value (also in the accessible description). */
static const struct
{
  const char *css_class;
  const char *words;
} severities[] = {
  [NT_SERIES_SEVERITY_NONE] = { "severity-none", NULL },
  [NT_SERIES_SEVERITY_MINOR] = { "severity-minor", N_("minor alarm") },
  [NT_SERIES_SEVERITY_MAJOR] = { "severity-major", N_("major alarm") },
  [NT_SERIES_SEVERITY_INVALID] = { "severity-invalid", N_("invalid") },
  [NT_SERIES_SEVERITY_UNDEFINED] = { "severity-undefined", N_("disconnected") },
};

/* The run-plan mode in words, for the readout. */
static const char *
band_words (const char *kind)
{
  static const struct { const char *kind; const char *words; } names[] = {
    { "user_operation", N_("User operation") },
    { "machine_study", N_("Machine study") },
    { "commissioning", N_("Beamline commissioning") },
    { "maintenance", N_("Maintenance") },
    { "inspection", N_("Facility inspection") },
    { "shutdown", N_("Shutdown") },
  };
  g_autofree char *key = g_strdelimit (g_strdup (kind), "-", '_');

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i].kind, key))
      return _(names[i].words);

  return NULL;
}

/* The words for @severity, %NULL for a normal value; an unknown one is
 * said as disconnected. */
const char *
_nt_strip_chart_severity_word (guint8 severity)
{
  if (severity >= G_N_ELEMENTS (severities))
    severity = NT_SERIES_SEVERITY_UNDEFINED;

  return severities[severity].words != NULL ? _(severities[severity].words) : NULL;
}

/* ------------------------------------------------------------------ */
/* Hover                                                               */
/* ------------------------------------------------------------------ */

void
_nt_strip_chart_update_hover (NtStripChart *self)
{
  gint64 t0, t1, b, e;
  guint column;
  double best = G_MAXDOUBLE;
  gboolean found = FALSE;
  const graphene_rect_t *p = &self->plot;
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

  nt_language_scope_enter (&scope, self->language);
  if (!self->hovering || self->win_width == 0 ||
      self->pointer_x < p->origin.x || self->pointer_x >= p->origin.x + p->size.width)
    {
      self->hover_valid = FALSE;
      gtk_widget_set_visible (self->readout, FALSE);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  /* The sample under the pointer is what the line shows in the pixel
   * column under it: of the samples in that column the one nearest the
   * pointer (a spike if the pointer is on it), or, in a column without
   * samples, the value that holds there (the last one before it, NaN in a
   * gap). */
  _nt_strip_chart_compute_window (self, &t0, &t1);
  column = (guint)CLAMP (floor (self->pointer_x - p->origin.x), 0, self->win_width - 1);
  b = nt_decimate_column_start (t0, t1, self->win_width, column);
  e = nt_decimate_column_start (t0, t1, self->win_width, column + 1);

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      gsize i0 = nt_series_lower_bound (s->series, b);
      gsize i1 = nt_series_lower_bound (s->series, e);
      gsize idx;
      gint64 st;
      double sv, dist;
      guint8 sev;

      if (i1 > i0)
        {
          double d_best = G_MAXDOUBLE;

          idx = i0;
          for (gsize k = i0; k < i1; k++)
            {
              double vk = nt_series_get_value (s->series, k);
              double d = isnan (vk) ? G_MAXDOUBLE / 4 : fabs (_nt_strip_chart_y_at (self, vk) - self->pointer_y);

              if (d < d_best)
                {
                  d_best = d;
                  idx = k;
                }
            }
        }
      else if (i0 > 0)
        idx = i0 - 1;
      else
        continue;

      nt_series_get_sample (s->series, idx, &st, &sv, &sev);
      dist = isnan (sv) ? G_MAXDOUBLE / 2 : fabs (_nt_strip_chart_y_at (self, sv) - self->pointer_y);
      if (!found || dist < best)
        {
          found = TRUE;
          best = dist;
          self->hover_series = i;
          self->hover_index = idx;
          self->hover_t = st;
          self->hover_v = sv;
          self->hover_sev = sev;
        }
    }

  self->hover_valid = found;
  if (found)
    {
      Series *s = g_ptr_array_index (self->series, self->hover_series);
      g_autoptr(GDateTime) dt = _nt_strip_chart_local_time (self->hover_t);
      g_autofree char *when = dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
      g_autofree char *value = NULL;
      g_autofree char *text = NULL;
      const char *word = _nt_strip_chart_severity_word (self->hover_sev);

      if (isnan (self->hover_v))
        value = g_strdup (_("no value"));
      else
        value = g_strdup_printf ("%.*f %s", _nt_strip_chart_series_digits (self, s), self->hover_v, s->unit);

      const char *mode = NULL;

      for (guint k = 0; k < self->bands->len && mode == NULL; k++)
        {
          Band *band = &g_array_index (self->bands, Band, k);

          if (band->start <= self->hover_t && self->hover_t < band->end)
            mode = band_words (band->kind);
        }

      /* TRANSLATORS: hover readout: time (JST), series name, value, severity */
      text = g_strdup_printf (_("%s JST\n%s: %s%s%s"), when, s->name, value,
                              word ? " · " : "", word ? word : "");
      if (mode != NULL)
        {
          char *with_mode = g_strconcat (text, "\n", mode, NULL);

          g_free (text);
          text = with_mode;
        }
      gtk_label_set_text (GTK_LABEL (self->readout), text);

      for (guint k = 0; k < G_N_ELEMENTS (severities); k++)
        gtk_widget_remove_css_class (self->readout, severities[k].css_class);
      if (self->hover_sev != NT_SERIES_SEVERITY_NONE && self->hover_sev < G_N_ELEMENTS (severities))
        gtk_widget_add_css_class (self->readout, severities[self->hover_sev].css_class);
    }

  gtk_widget_set_visible (self->readout, found);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           NtStripChart             *self)
{
  nt_strip_chart_pointer_motion (self, x, y);
}

static void
leave_cb (GtkEventControllerMotion *controller,
          NtStripChart             *self)
{
  nt_strip_chart_pointer_leave (self);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           NtStripChart             *self)
{
  nt_strip_chart_scroll (self, dx, dy);

  return TRUE;
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               NtStripChart   *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  nt_strip_chart_drag_begin (self, x, y);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                NtStripChart   *self)
{
  nt_strip_chart_drag_update (self, offset_x, offset_y);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             NtStripChart   *self)
{
  nt_strip_chart_drag_end (self);
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               NtStripChart     *self)
{
  double cx = 0, cy = 0;

  gtk_gesture_get_bounding_box_center (gesture, &cx, &cy);
  nt_strip_chart_pinch_begin (self, cx);
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       NtStripChart   *self)
{
  nt_strip_chart_pinch_scale (self, scale);
}

static void
zoom_end_cb (GtkGesture       *gesture,
             GdkEventSequence *sequence,
             NtStripChart     *self)
{
  nt_strip_chart_pinch_end (self);
}

static double
key_anchor_x (NtStripChart *self)
{
  if (self->follow_live)
    return self->plot.origin.x + self->plot.size.width;

  return self->plot.origin.x + self->plot.size.width / 2;
}

/* The keyboard's actions and their keys: zoom about the key anchor by
 * @zoom, or pan by a tenth of the plot (@pan 1: to earlier times, -1: to
 * later ones), or, with neither, follow live. */
static const struct
{
  const char *name;
  double      zoom;
  double      pan;
  guint       keys[3];
} key_actions[] = {
  { "chart.zoom-in", KEY_ZOOM_FACTOR, 0, { GDK_KEY_plus, GDK_KEY_equal, GDK_KEY_KP_Add } },
  { "chart.zoom-out", 1.0 / KEY_ZOOM_FACTOR, 0, { GDK_KEY_minus, GDK_KEY_KP_Subtract } },
  { "chart.pan-left", 0, 1, { GDK_KEY_Left, GDK_KEY_KP_Left } },
  { "chart.pan-right", 0, -1, { GDK_KEY_Right, GDK_KEY_KP_Right } },
  { "chart.follow-live", 0, 0, { GDK_KEY_End } },
};

static void
key_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  NtStripChart *self = NT_STRIP_CHART (widget);

  for (guint i = 0; i < G_N_ELEMENTS (key_actions); i++)
    {
      if (!g_str_equal (key_actions[i].name, action_name))
        continue;

      if (key_actions[i].zoom > 0)
        nt_strip_chart_zoom (self, key_actions[i].zoom, key_anchor_x (self));
      else if (key_actions[i].pan != 0)
        nt_strip_chart_pan (self, key_actions[i].pan * (_nt_strip_chart_plot_columns (self) / 10.0));
      else
        nt_strip_chart_set_follow_live (self, TRUE);
      return;
    }
}

/* Where the readout goes: beside the pointer, inside the plot. */
void
_nt_strip_chart_allocate_readout (NtStripChart *self)
{
  int dummy;

  if (gtk_widget_get_visible (self->readout))
    {
      int rw, rh;
      double rx, ry;

      gtk_widget_measure (self->readout, GTK_ORIENTATION_HORIZONTAL, -1, &dummy, &rw, NULL, NULL);
      gtk_widget_measure (self->readout, GTK_ORIENTATION_VERTICAL, rw, &dummy, &rh, NULL, NULL);
      rx = self->pointer_x + 14;
      if (rx + rw > self->plot.origin.x + self->plot.size.width)
        rx = self->pointer_x - 14 - rw;
      ry = self->plot.origin.y + 6;
      gtk_widget_allocate (self->readout, rw, rh, -1,
                           gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (MAX (rx, 0), ry)));
    }
}

/* The hover marker: drawn over the cached layers, so moving the pointer
 * never rebuilds one. */
void
_nt_strip_chart_snapshot_hover (NtStripChart *self,
                                GtkSnapshot  *snapshot)
{
  if (self->hover_valid)
    {
      const graphene_rect_t *p = &self->plot;
      double x = floor (_nt_strip_chart_x_at (self, self->win_t0, self->win_t1, self->hover_t));

      if (x >= p->origin.x && x < p->origin.x + p->size.width)
        {
          Series *s = g_ptr_array_index (self->series, self->hover_series);

          gtk_snapshot_append_color (snapshot, &self->hover,
                                     &GRAPHENE_RECT_INIT (x, p->origin.y, 1, p->size.height));
          if (!isnan (self->hover_v))
            {
              double y = round (_nt_strip_chart_y_at (self, self->hover_v));

              if (y >= p->origin.y && y <= p->origin.y + p->size.height)
                gtk_snapshot_append_color (snapshot, &s->color,
                                           &GRAPHENE_RECT_INIT (x - 3, y - 3, 7, 7));
            }
        }
    }
}

void
_nt_strip_chart_input_class_init (GtkWidgetClass *widget_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_actions); i++)
    {
      gtk_widget_class_install_action (widget_class, key_actions[i].name, NULL, key_action);
      for (guint k = 0; k < G_N_ELEMENTS (key_actions[i].keys) && key_actions[i].keys[k] != 0; k++)
        gtk_widget_class_add_binding_action (widget_class, key_actions[i].keys[k], 0,
                                             key_actions[i].name, NULL);
    }
}

void
_nt_strip_chart_input_init (NtStripChart *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture *gesture;

  self->readout = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->readout, "readout");
  gtk_label_set_xalign (GTK_LABEL (self->readout), 0.0);
  gtk_widget_set_can_target (self->readout, FALSE);
  gtk_widget_set_visible (self->readout, FALSE);
  gtk_widget_set_parent (self->readout, widget);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (widget, controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  g_signal_connect (gesture, "end", G_CALLBACK (zoom_end_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));
}

/* ------------------------------------------------------------------ */
/* Input paths (nt-strip-chart-private.h)                              */
/* ------------------------------------------------------------------ */

void
nt_strip_chart_pointer_motion (NtStripChart *self,
                               double        x,
                               double        y)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  self->hovering = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
  _nt_strip_chart_ensure_columns (self);
  _nt_strip_chart_update_hover (self);
}

void
nt_strip_chart_pointer_leave (NtStripChart *self)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  self->hovering = FALSE;
  _nt_strip_chart_update_hover (self);
}

void
nt_strip_chart_scroll (NtStripChart *self,
                       double        dx,
                       double        dy)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  if (dy != 0)
    {
      double anchor = self->hovering ? self->pointer_x : key_anchor_x (self);

      nt_strip_chart_zoom (self, pow (1.2, -dy), anchor);
    }
  if (dx != 0)
    nt_strip_chart_pan (self, -dx * 20);
}

void
nt_strip_chart_drag_begin (NtStripChart *self,
                           double        x,
                           double        y)
{
  gint64 t0, t1;

  g_return_if_fail (NT_IS_STRIP_CHART (self));

  _nt_strip_chart_compute_window (self, &t0, &t1);
  self->drag_start_t1 = t1;
  self->dragging = TRUE;
}

void
nt_strip_chart_drag_update (NtStripChart *self,
                            double        offset_x,
                            double        offset_y)
{
  gint64 end;

  g_return_if_fail (NT_IS_STRIP_CHART (self));

  if (!self->dragging || fabs (offset_x) < 1)
    return;

  end = self->drag_start_t1 - (gint64)(offset_x * (double)self->span_us / _nt_strip_chart_plot_columns (self));
  nt_strip_chart_set_end_time (self, end);
}

void
nt_strip_chart_drag_end (NtStripChart *self)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  self->dragging = FALSE;
}

void
nt_strip_chart_pinch_begin (NtStripChart *self,
                            double        center_x)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  self->pinch_start_span = self->span_us;
  self->pinch_anchor_x = self->follow_live ? key_anchor_x (self) : center_x;
  self->pinch_anchor_t = nt_strip_chart_time_at_x (self, self->pinch_anchor_x);
}

void
nt_strip_chart_pinch_scale (NtStripChart *self,
                            double        scale)
{
  gint64 span;

  g_return_if_fail (NT_IS_STRIP_CHART (self));

  if (!(scale > 0) || self->pinch_start_span == 0)
    return;

  span = CLAMP ((gint64)(self->pinch_start_span / scale), MIN_SPAN_US, MAX_SPAN_US);
  _nt_strip_chart_set_span_internal (self, span);
  if (!self->follow_live)
    {
      double frac = (self->pinch_anchor_x - self->plot.origin.x) / _nt_strip_chart_plot_columns (self);

      _nt_strip_chart_set_end_internal (self, self->pinch_anchor_t + (gint64)((1.0 - frac) * span));
    }
  _nt_strip_chart_view_changed (self);
}

void
nt_strip_chart_pinch_end (NtStripChart *self)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  self->pinch_start_span = 0;
}

/**
 * nt_strip_chart_get_hover_sample:
 *
 * Returns: %FALSE if the pointer is not over a sample
 */
gboolean
nt_strip_chart_get_hover_sample (NtStripChart *self,
                                 guint        *series_index,
                                 gint64       *t,
                                 double       *v,
                                 guint8       *severity)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), FALSE);

  if (!self->hover_valid)
    return FALSE;

  if (series_index != NULL)
    *series_index = self->hover_series;
  if (t != NULL)
    *t = self->hover_t;
  if (v != NULL)
    *v = self->hover_v;
  if (severity != NULL)
    *severity = self->hover_sev;

  return TRUE;
}

/**
 * nt_strip_chart_get_readout_text:
 *
 * Returns: (nullable): the hover readout as shown, or %NULL when hidden
 */
const char *
nt_strip_chart_get_readout_text (NtStripChart *self)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), NULL);

  if (!self->hover_valid)
    return NULL;

  return gtk_label_get_text (GTK_LABEL (self->readout));
}

/* nt-share-bar.c: a horizontal bar of a value with its target marked
 *
 * The filled part is the value, a tick across the bar is the target (the
 * planned hours, a beamline's public share).  Colours are named colours
 * of the stylesheet: nt_share_bar_fill (beyond the target:
 * nt_share_bar_over), nt_share_bar_track and nt_share_bar_target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-share-bar"

#include "config.h"

#include <math.h>

#include "nt-share-bar.h"
#include "nt-widget-util.h"

#define BAR_HEIGHT 8

struct _NtShareBar
{
  GtkWidget parent_instance;

  double    value;
  double    max;
  double    target;
};

G_DEFINE_FINAL_TYPE (NtShareBar, nt_share_bar, GTK_TYPE_WIDGET)

static void
nt_share_bar_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  NtShareBar *self = NT_SHARE_BAR (widget);
  double w = gtk_widget_get_width (widget);
  double h = gtk_widget_get_height (widget);
  double y = floor ((h - BAR_HEIGHT) / 2);
  double fill;
  GdkRGBA track, bar, mark;

  if (self->max <= 0 || w <= 0)
    return;

  nt_widget_lookup_color (widget, "nt_share_bar_track", 0.12, &track);
  nt_widget_lookup_color (widget, self->target >= 0 && self->value >= self->target
                       ? "nt_share_bar_over" : "nt_share_bar_fill", 0.8, &bar);
  nt_widget_lookup_color (widget, "nt_share_bar_target", 1.0, &mark);

  fill = round (w * CLAMP (self->value / self->max, 0, 1));
  gtk_snapshot_append_color (snapshot, &track, &GRAPHENE_RECT_INIT (0, (float)y, (float)w, BAR_HEIGHT));
  gtk_snapshot_append_color (snapshot, &bar, &GRAPHENE_RECT_INIT (0, (float)y, (float)fill, BAR_HEIGHT));

  if (self->target >= 0)
    {
      double x = round (w * CLAMP (self->target / self->max, 0, 1));

      gtk_snapshot_append_color (snapshot, &mark,
                                 &GRAPHENE_RECT_INIT ((float)MIN (x, w - 2), (float)y - 3, 2, BAR_HEIGHT + 6));
    }
}

static void
nt_share_bar_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 60;
      *natural = 200;
    }
  else
    *minimum = *natural = BAR_HEIGHT + 8;
}

static void
nt_share_bar_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (nt_share_bar_parent_class)->css_changed (widget, change);
  gtk_widget_queue_draw (widget);
}

static void
nt_share_bar_class_init (NtShareBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = nt_share_bar_snapshot;
  widget_class->measure = nt_share_bar_measure;
  widget_class->css_changed = nt_share_bar_css_changed;
  gtk_widget_class_set_css_name (widget_class, "sharebar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_METER);
}

static void
nt_share_bar_init (NtShareBar *self)
{
}

GtkWidget *
nt_share_bar_new (double value,
                  double max,
                  double target)
{
  NtShareBar *self = g_object_new (NT_TYPE_SHARE_BAR, NULL);

  self->value = value;
  self->max = max;
  self->target = target;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, max,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, CLAMP (value, 0, max),
                                  -1);
  return GTK_WIDGET (self);
}

/* nt-statistics-chart.c: cumulative delivered against scheduled hours
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Over the days of a range: the user-operation hours scheduled so far, the
 * hours delivered so far, and what the target availability asks of the
 * scheduled hours, each as a running sum, with a tick for every day a beam
 * loss started.  The drawing is one cairo function, shared by the widget's
 * snapshot and the printed report; colours are named in the style sheets
 * (nt_stats_*), read when the CSS changes.
 */
#define G_LOG_DOMAIN "nt-statistics-chart"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "nt-i18n.h"
#include "nt-view-property.h"
#include "nt-statistics-chart.h"
#include "nt-time.h"
#include "nt-widget-util.h"

struct _NtStatisticsChart
{
  GtkWidget                parent_instance;

  NtStatistics            *stats;
  NtStatisticsChartColors  colors;
  char                    *language;   /* NULL: the session's */
};

G_DEFINE_FINAL_TYPE (NtStatisticsChart, nt_statistics_chart, GTK_TYPE_WIDGET)

static void
read_colors (NtStatisticsChart *self)
{
  GtkWidget *w = GTK_WIDGET (self);

  nt_widget_lookup_color (w, "nt_stats_scheduled", 0.5, &self->colors.scheduled);
  nt_widget_lookup_color (w, "nt_stats_delivered", 1.0, &self->colors.delivered);
  nt_widget_lookup_color (w, "nt_stats_target", 0.7, &self->colors.target);
  nt_widget_lookup_color (w, "nt_stats_fault", 1.0, &self->colors.fault);
  nt_widget_lookup_color (w, "nt_stats_grid", 0.12, &self->colors.grid);
  nt_widget_lookup_color (w, "nt_stats_text", 0.8, &self->colors.text);
  nt_widget_lookup_color (w, "nt_stats_unknown", 0.08, &self->colors.unknown);
}

static void
update_description (NtStatisticsChart *self)
{
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;
  g_autofree char *text = NULL;

  nt_language_scope_enter (&scope, self->language);
  if (self->stats == NULL)
    text = g_strdup (_("No figures yet"));
  else
    text = g_strdup_printf (_("Scheduled so far %.1f h, delivered %.1f h, over %u days"),
                            self->stats->scheduled_hours, self->stats->delivered_hours,
                            self->stats->days->len);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static double
nice_step (double max,
           int    n)
{
  double raw = max / MAX (n, 1), mag, f;

  if (raw <= 0)
    return 1;
  mag = pow (10, floor (log10 (raw)));
  f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

static void
set_source (cairo_t       *cr,
            const GdkRGBA *c)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha);
}

static void
text_size (PangoLayout *layout,
           const char  *text,
           int         *w,
           int         *h)
{
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, w, h);
}

static void
legend_entry (cairo_t       *cr,
              PangoLayout   *layout,
              double        *x,
              double         y,
              const GdkRGBA *color,
              const GdkRGBA *text_color,
              gboolean       dashed,
              const char    *text)
{
  int w, h;

  text_size (layout, text, &w, &h);
  set_source (cr, color);
  cairo_set_line_width (cr, 2.5);
  if (dashed)
    cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
  cairo_move_to (cr, *x, y + h / 2.0);
  cairo_line_to (cr, *x + 18, y + h / 2.0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  set_source (cr, text_color);
  cairo_move_to (cr, *x + 22, y);
  pango_cairo_show_layout (cr, layout);
  *x += 22 + w + 16;
}

/**
 * nt_statistics_chart_draw:
 *
 * Draws the cumulative chart of @stats into @width × @height of @cr with
 * @layout's font: the widget's snapshot and the printed report use it.
 */
void
nt_statistics_chart_draw (NtStatistics                  *stats,
                          cairo_t                       *cr,
                          PangoLayout                   *layout,
                          double                         width,
                          double                         height,
                          const NtStatisticsChartColors *colors)
{
  double total_scheduled = 0, max_hours, step, left, right, bottom, top, px_per_day, sum;
  double legend_x;
  guint n_days;
  int tw, th;

  if (stats == NULL || stats->days->len == 0 || width < 60 || height < 60)
    return;

  n_days = stats->days->len;
  for (guint i = 0; i < n_days; i++)
    total_scheduled += g_array_index (stats->days, NtStatisticsDay, i).scheduled_hours;
  max_hours = MAX (total_scheduled, 1.0);
  step = nice_step (max_hours, 5);
  max_hours = ceil (max_hours / step) * step;

  {
    g_autofree char *widest = g_strdup_printf (_("%.0f h"), max_hours);

    text_size (layout, widest, &tw, &th);
  }
  left = tw + 10;
  right = width - 8;
  top = th + 14;
  bottom = height - th - 8;
  px_per_day = (right - left) / n_days;

  /* Legend along the top. */
  legend_x = left;
  legend_entry (cr, layout, &legend_x, 2, &colors->scheduled, &colors->text, FALSE, _("Scheduled"));
  legend_entry (cr, layout, &legend_x, 2, &colors->delivered, &colors->text, FALSE, _("Delivered"));
  {
    g_autofree char *target = g_strdup_printf (_("Target (%.0f %%)"), stats->target_availability);

    legend_entry (cr, layout, &legend_x, 2, &colors->target, &colors->text, TRUE, target);
  }
  if (stats->unknown_hours > 0)
    {
      int w, h;

      text_size (layout, _("Not archived"), &w, &h);
      set_source (cr, &colors->unknown);
      cairo_rectangle (cr, legend_x, 2, 18, h);
      cairo_fill (cr);
      set_source (cr, &colors->text);
      cairo_move_to (cr, legend_x + 22, 2);
      pango_cairo_show_layout (cr, layout);
    }

  /* Days with scheduled time the archive does not cover, shaded the
   * deeper the more of the day it is: they count as not delivered. */
  for (guint i = 0; i < n_days; i++)
    {
      const NtStatisticsDay *day = &g_array_index (stats->days, NtStatisticsDay, i);
      double share = day->scheduled_hours > 0 ? MIN (day->unknown_hours / day->scheduled_hours, 1.0) : 0;
      GdkRGBA shade = colors->unknown;

      if (share <= 0)
        continue;
      shade.alpha *= share;
      set_source (cr, &shade);
      cairo_rectangle (cr, left + i * px_per_day, top, MAX (px_per_day, 1), bottom - top);
      cairo_fill (cr);
    }

  /* Hours: grid lines and labels. */
  cairo_set_line_width (cr, 1);
  for (double v = 0; v <= max_hours + step / 2; v += step)
    {
      double y = round (bottom - v / max_hours * (bottom - top)) + 0.5;
      g_autofree char *label = g_strdup_printf (_("%.0f h"), v);
      int w, h;

      set_source (cr, &colors->grid);
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, right, y);
      cairo_stroke (cr);
      text_size (layout, label, &w, &h);
      set_source (cr, &colors->text);
      cairo_move_to (cr, left - 6 - w, y - h / 2.0);
      pango_cairo_show_layout (cr, layout);
    }

  /* Dates: the first of each month, or every few days for a short range. */
  {
    double last_label_end = -1;
    guint every = n_days <= 14 ? 1 : n_days <= 45 ? 7 : 0;

    for (guint i = 0; i < n_days; i++)
      {
        const NtStatisticsDay *day = &g_array_index (stats->days, NtStatisticsDay, i);
        gboolean first_of_month = g_str_has_suffix (day->date, "-01");
        double x = round (left + i * px_per_day) + 0.5;
        g_autofree char *label = NULL;
        int w, h;

        if (every == 0 ? !first_of_month : (i % every) != 0)
          continue;
        set_source (cr, &colors->grid);
        cairo_move_to (cr, x, top);
        cairo_line_to (cr, x, bottom);
        cairo_stroke (cr);

        label = g_strdup_printf ("%d/%d", atoi (day->date + 5), atoi (day->date + 8));
        text_size (layout, label, &w, &h);
        if (x - w / 2.0 > last_label_end + 4 && x + w / 2.0 <= width)
          {
            set_source (cr, &colors->text);
            cairo_move_to (cr, MAX (x - w / 2.0, 0), bottom + 4);
            pango_cairo_show_layout (cr, layout);
            last_label_end = x + w / 2.0;
          }
      }
  }

  /* Fault ticks along the bottom. */
  set_source (cr, &colors->fault);
  cairo_set_line_width (cr, 2);
  for (guint i = 0; i < n_days; i++)
    {
      const NtStatisticsDay *day = &g_array_index (stats->days, NtStatisticsDay, i);
      double x = left + (i + 0.5) * px_per_day;

      if (day->faults == 0)
        continue;
      cairo_move_to (cr, x, bottom);
      cairo_line_to (cr, x, bottom - MIN (4.0 + 3.0 * day->faults, 16.0));
      cairo_stroke (cr);
    }

  /* The running sums, to the end of the figures (the days still ahead of
   * a run under way stay empty). */
  {
    const struct { const GdkRGBA *color; int which; gboolean dashed; } lines[] = {
      { &colors->target, 2, TRUE },
      { &colors->scheduled, 0, FALSE },
      { &colors->delivered, 1, FALSE },
    };

    for (guint k = 0; k < G_N_ELEMENTS (lines); k++)
      {
        set_source (cr, lines[k].color);
        cairo_set_line_width (cr, 2.5);
        cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
        if (lines[k].dashed)
          cairo_set_dash (cr, (double[]) { 5, 4 }, 2, 0);
        sum = 0;
        cairo_move_to (cr, left, bottom);
        for (guint i = 0; i < n_days; i++)
          {
            const NtStatisticsDay *day = &g_array_index (stats->days, NtStatisticsDay, i);
            double x = left + (i + 1) * px_per_day;

            if (day->start >= stats->complete_to)
              break;
            sum += lines[k].which == 0 ? day->scheduled_hours
                 : lines[k].which == 1 ? day->delivered_hours
                 : day->scheduled_hours * stats->target_availability / 100.0;
            if (day->start + 24 * 3600 > stats->complete_to)
              x = left + (i + (double)(stats->complete_to - day->start) / (24 * 3600)) * px_per_day;
            cairo_line_to (cr, x, bottom - sum / max_hours * (bottom - top));
          }
        cairo_stroke (cr);
        cairo_set_dash (cr, NULL, 0, 0);
      }
  }
}

static void
nt_statistics_chart_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  NtStatisticsChart *self = NT_STATISTICS_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) layout = NULL;
  cairo_t *cr;

  if (self->stats == NULL || width <= 0 || height <= 0)
    return;

  layout = gtk_widget_create_pango_layout (widget, NULL);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  {
    g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

    /* The legend in the chart's language (the kiosk's). */
    nt_language_scope_enter (&scope, self->language);
    nt_statistics_chart_draw (self->stats, cr, layout, width, height, &self->colors);
  }
  cairo_destroy (cr);
}

static void
nt_statistics_chart_css_changed (GtkWidget         *widget,
                                 GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (nt_statistics_chart_parent_class)->css_changed (widget, change);
  read_colors (NT_STATISTICS_CHART (widget));
  gtk_widget_queue_draw (widget);
}

static void
nt_statistics_chart_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 600 : 280;
}

static void
language_changed (NtStatisticsChart *self)
{
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
nt_statistics_chart_finalize (GObject *object)
{
  NtStatisticsChart *self = (NtStatisticsChart *)object;

  g_clear_pointer (&self->stats, nt_statistics_unref);
  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (nt_statistics_chart_parent_class)->finalize (object);
}

static void
nt_statistics_chart_class_init (NtStatisticsChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = nt_statistics_chart_finalize;

  /**
   * NtStatisticsChart:language:
   *
   * The language of the legend and the description ("en", "ja"), or
   * %NULL for the session's: the kiosk's.
   */
  nt_language_property_install (object_class, G_STRUCT_OFFSET (NtStatisticsChart, language),
                                G_CALLBACK (language_changed));
  widget_class->snapshot = nt_statistics_chart_snapshot;
  widget_class->css_changed = nt_statistics_chart_css_changed;
  widget_class->measure = nt_statistics_chart_measure;

  gtk_widget_class_set_css_name (widget_class, "statistics-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
nt_statistics_chart_init (NtStatisticsChart *self)
{
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

  nt_language_scope_enter (&scope, self->language);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Delivered and scheduled hours, cumulative"),
                                  -1);
  update_description (self);
}

GtkWidget *
nt_statistics_chart_new (void)
{
  return g_object_new (NT_TYPE_STATISTICS_CHART, NULL);
}

void
nt_statistics_chart_set_statistics (NtStatisticsChart *self,
                                    NtStatistics      *stats)
{
  g_return_if_fail (NT_IS_STATISTICS_CHART (self));

  if (stats == self->stats)
    return;
  if (stats != NULL)
    nt_statistics_ref (stats);
  g_clear_pointer (&self->stats, nt_statistics_unref);
  self->stats = stats;
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * nt_statistics_chart_get_statistics:
 *
 * Returns: (transfer none) (nullable): what the chart draws
 */
NtStatistics *
nt_statistics_chart_get_statistics (NtStatisticsChart *self)
{
  g_return_val_if_fail (NT_IS_STATISTICS_CHART (self), NULL);
  return self->stats;
}

/* The colours the widget draws with, for the printed report. */
void
nt_statistics_chart_get_colors (NtStatisticsChart       *self,
                                NtStatisticsChartColors *colors)
{
  g_return_if_fail (NT_IS_STATISTICS_CHART (self));
  read_colors (self);
  *colors = self->colors;
}

/* nt-strip-chart-layers.c: what NtStripChart draws and caches
 *
 * The update phase: decimation to one column per pixel, the colours read
 * from CSS, the static layer (shading, axes, run-plan mode bands) and the
 * data layer (no-beam shading, disconnected spans, one path per series)
 * as two cached render nodes; and the bands' public API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-strip-chart"

#include "config.h"

#include <math.h>

#include "nt-decimate.h"
#include "nt-i18n.h"
#include "nt-run-plan.h"
#include "nt-strip-chart-private.h"
#include "nt-strip-chart.h"

#define LINE_WIDTH         2.0

static void
band_clear (gpointer data)
{
  Band *band = data;

  g_clear_pointer (&band->kind, g_free);
}

/* An empty array of Band that frees their kinds. */
GArray *
_nt_strip_chart_band_array_new (void)
{
  GArray *array = g_array_new (FALSE, TRUE, sizeof (Band));

  g_array_set_clear_func (array, band_clear);

  return array;
}

static void
lookup_named_color (NtStripChart *self,
                    const char   *name,
                    GdkRGBA      *color,
                    double        fallback_alpha)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  if (!gtk_style_context_lookup_color (context, name, color))
    {
      /* Not themed: a tone of the foreground, still correct in dark mode. */
      *color = self->fg;
      color->alpha *= fallback_alpha;
    }
}

static void
band_color (NtStripChart *self,
            Band         *band,
            double        fallback_alpha)
{
  g_autofree char *name = g_strdup_printf ("nt_chart_band_%s", band->kind);

  g_strdelimit (name, "-", '_');
  lookup_named_color (self, name, &band->color, fallback_alpha);
}

static void
update_colors (NtStripChart *self)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  if (!self->colors_dirty)
    return;

  gtk_style_context_get_color (context, &self->fg);
  lookup_named_color (self, "nt_chart_grid_color", &self->grid, 0.12);
  lookup_named_color (self, "nt_chart_axis_color", &self->axis, 0.45);
  lookup_named_color (self, "nt_chart_gap_color", &self->gap, 0.10);
  lookup_named_color (self, "nt_chart_hover_color", &self->hover, 0.6);
  lookup_named_color (self, "nt_chart_band_no_beam", &self->no_beam, 0.07);

  for (guint i = 0; i < self->bands->len; i++)
    band_color (self, &g_array_index (self->bands, Band, i), 0.35);
  for (guint i = 0; i < self->shading->len; i++)
    band_color (self, &g_array_index (self->shading, Band, i), 0.07);

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);

      gtk_style_context_get_color (gtk_widget_get_style_context (s->legend_label), &s->color);
    }

  self->colors_dirty = FALSE;
}

void
_nt_strip_chart_ensure_columns (NtStripChart *self)
{
  gint64 t0, t1;
  guint width = self->win_width;
  gboolean changed = FALSE;

  if (width == 0)
    return;

  _nt_strip_chart_compute_window (self, &t0, &t1);
  if (!self->columns_valid || t0 != self->win_t0 || t1 != self->win_t1)
    {
      self->win_t0 = t0;
      self->win_t1 = t1;
      for (guint i = 0; i < self->series->len; i++)
        {
          Series *s = g_ptr_array_index (self->series, i);

          s->columns = g_renew (NtColumn, s->columns, width);
          s->dirty_from = 0;
          s->dirty_to = width;
        }
      self->columns_valid = TRUE;
      self->static_dirty = TRUE;
    }

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);

      if (s->dirty_from < s->dirty_to)
        {
          nt_decimate_columns (s->series, t0, t1, width, s->dirty_from, s->dirty_to, s->columns);
          nt_decimate_edges (s->series, t0, t1, &s->edges);
          s->dirty_from = width;
          s->dirty_to = 0;
          changed = TRUE;
        }
    }

  if (changed)
    {
      self->data_dirty = TRUE;
      if (_nt_strip_chart_update_value_axis (self))
        self->static_dirty = TRUE;
      _nt_strip_chart_update_accessible (self);
      if (self->hovering && !self->in_snapshot)
        _nt_strip_chart_update_hover (self);
    }
}

static void
draw_bands (NtStripChart *self,
            GtkSnapshot  *snapshot,
            GArray       *bands,
            double        y,
            double        height,
            gint64        t0,
            gint64        t1)
{
  const graphene_rect_t *p = &self->plot;

  for (guint i = 0; i < bands->len; i++)
    {
      Band *band = &g_array_index (bands, Band, i);
      double x0, x1;

      if (band->end <= t0 || band->start >= t1)
        continue;

      x0 = round (_nt_strip_chart_x_at (self, t0, t1, MAX (band->start, t0)));
      x1 = round (_nt_strip_chart_x_at (self, t0, t1, MIN (band->end, t1)));
      x0 = MAX (x0, p->origin.x);
      x1 = MIN (x1, p->origin.x + p->size.width);
      if (x1 <= x0)
        continue;

      gtk_snapshot_append_color (snapshot, &band->color,
                                 &GRAPHENE_RECT_INIT (x0, y, x1 - x0, height));
    }
}

static GskRenderNode *
build_static_node (NtStripChart *self)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  const graphene_rect_t *p = &self->plot;
  gint64 t0 = self->win_t0, t1 = self->win_t1;

  draw_bands (self, snapshot, self->shading, p->origin.y, p->size.height, t0, t1);
  _nt_strip_chart_draw_value_axis (self, snapshot, layout);
  _nt_strip_chart_draw_time_axis (self, snapshot, layout, t0, t1);

  gtk_snapshot_append_color (snapshot, &self->axis,
                             &GRAPHENE_RECT_INIT (p->origin.x, p->origin.y + p->size.height,
                                                  p->size.width, 1));
  draw_bands (self, snapshot, self->bands, p->origin.y + p->size.height + 1,
              BAND_STRIP_HEIGHT, t0, t1);

  return gtk_snapshot_free_to_node (snapshot);
}

/* ------------------------------------------------------------------ */
/* Data layer: gaps and one path of column rectangles per series        */
/* ------------------------------------------------------------------ */

static void
add_column_rect (cairo_t               *cr,
                 const graphene_rect_t *p,
                 double                 x,
                 double                 w,
                 double                 y_hi,
                 double                 y_lo)
{
  double top = floor (MIN (y_hi, y_lo));
  double bottom = ceil (MAX (y_hi, y_lo));

  if (w <= 0)
    return;
  if (bottom - top < LINE_WIDTH)
    {
      double mid = (top + bottom) / 2;

      top = floor (mid - LINE_WIDTH / 2);
      bottom = top + LINE_WIDTH;
    }
  top = MAX (top, p->origin.y);
  bottom = MIN (bottom, p->origin.y + p->size.height);
  if (bottom > top)
    cairo_rectangle (cr, x, top, w, bottom - top);
}

/* One pixel-aligned rectangle per column, from the column's min to its max
 * (reaching back to the previous value so the line is joined), all filled
 * at once without antialiasing.  Between samples the value holds (EPICS
 * values are sent only on change): empty columns get a flat run at the
 * previous value, and the last value holds up to "now" while it is live.
 * Nothing is drawn across a gap. */
static void
draw_series (NtStripChart *self,
             cairo_t      *cr,
             Series       *s)
{
  const graphene_rect_t *p = &self->plot;
  guint width = self->win_width;
  double col_us = (double)(self->win_t1 - self->win_t0) / width;
  gboolean have_prev = FALSE;
  double prev_v = 0;
  int last_drawn = -1;
  int end;

  /* The sample before the window: the line enters from the left. */
  if (s->edges.has_before && !isnan (s->edges.before_v))
    {
      have_prev = TRUE;
      prev_v = s->edges.before_v;
    }

  for (guint c = 0; c < width; c++)
    {
      const NtColumn *col = &s->columns[c];
      double x = p->origin.x + c;

      if (col->flags & NT_COLUMN_GAP_AT_START)
        have_prev = FALSE;

      if (isnan (col->min))
        {
          if (col->flags & NT_COLUMN_HAS_NAN)
            have_prev = FALSE;
          continue;
        }

      if (have_prev)
        {
          double y = _nt_strip_chart_y_at (self, prev_v);

          add_column_rect (cr, p, p->origin.x + last_drawn + 1, (int)c - last_drawn - 1, y, y);
          add_column_rect (cr, p, x, 1,
                           _nt_strip_chart_y_at (self, MAX (col->max, prev_v)),
                           _nt_strip_chart_y_at (self, MIN (col->min, prev_v)));
        }
      else
        add_column_rect (cr, p, x, 1, _nt_strip_chart_y_at (self, col->max), _nt_strip_chart_y_at (self, col->min));

      have_prev = !(col->flags & NT_COLUMN_GAP_AT_END);
      prev_v = col->last;
      last_drawn = (int)c;
    }

  /* The value holds to the window's end if more samples follow it, else
   * up to "now". */
  if (have_prev)
    {
      if (s->edges.has_after)
        end = (int)width;
      else
        {
          double now_col = floor ((self->clock (self->clock_data) - self->win_t0) / col_us) + 1;

          end = (int)CLAMP (now_col, (double)last_drawn + 1, (double)width);
        }

      {
        double y = _nt_strip_chart_y_at (self, prev_v);

        add_column_rect (cr, p, p->origin.x + last_drawn + 1, end - last_drawn - 1, y, y);
      }
    }

  gdk_cairo_set_source_rgba (cr, &s->color);
  cairo_fill (cr);
}

/* @text centred over [@x0, @x1) at @y, in the axis colour, if it fits
 * with 4 px to spare on each side; the layout is made on first use. */
static void
append_span_label (NtStripChart  *self,
                   GtkSnapshot   *snapshot,
                   PangoLayout  **layout,
                   int           *width,
                   const char    *text,
                   double         x0,
                   double         x1,
                   double         y)
{
  if (*layout == NULL)
    {
      *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
      pango_layout_get_pixel_size (*layout, width, NULL);
    }
  if (x1 - x0 < *width + 8)
    return;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round ((x0 + x1 - *width) / 2), y));
  gtk_snapshot_append_layout (snapshot, *layout, &self->axis);
  gtk_snapshot_restore (snapshot);
}

static GskRenderNode *
build_data_node (NtStripChart *self)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  const graphene_rect_t *p = &self->plot;
  g_autoptr(PangoLayout) layout = NULL;
  int label_w = 0;
  cairo_t *cr;

  /* No beam, as the data say (a dump, a trip): shaded, and said. */
  if (!isnan (self->beam_threshold) && self->beam_series < self->series->len)
    {
      Series *s = g_ptr_array_index (self->series, self->beam_series);
      g_autoptr(PangoLayout) beam_layout = NULL;
      int beam_w = 0;
      guint run = 0;

      for (guint c = 0; c <= self->win_width; c++)
        {
          gboolean below = c < self->win_width && !isnan (s->columns[c].max) &&
                           s->columns[c].max < self->beam_threshold;

          if (below)
            {
              run++;
              continue;
            }
          if (run == 0)
            continue;

          gtk_snapshot_append_color (snapshot, &self->no_beam,
                                     &GRAPHENE_RECT_INIT (p->origin.x + c - run, p->origin.y,
                                                          run, p->size.height));
          append_span_label (self, snapshot, &beam_layout, &beam_w, _("No beam"),
                             p->origin.x + c - run, p->origin.x + c, p->origin.y + 4);
          run = 0;
        }
    }

  /* Disconnected spans: a band, and no line drawn across them. */
  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      g_autoptr(GArray) gaps = nt_series_get_gaps (s->series, self->win_t0, self->win_t1);

      for (guint k = 0; k < gaps->len; k++)
        {
          NtSeriesGap *gap = &g_array_index (gaps, NtSeriesGap, k);
          double x0 = floor (_nt_strip_chart_x_at (self, self->win_t0, self->win_t1, MAX (gap->start, self->win_t0)));
          double x1 = ceil (_nt_strip_chart_x_at (self, self->win_t0, self->win_t1, MIN (gap->end, self->win_t1)));

          x0 = MAX (x0, p->origin.x);
          x1 = MIN (x1, p->origin.x + p->size.width);
          if (x1 <= x0)
            continue;

          gtk_snapshot_append_color (snapshot, &self->gap,
                                     &GRAPHENE_RECT_INIT (x0, p->origin.y, x1 - x0, p->size.height));

          /* Say it in words too, where it fits. */
          append_span_label (self, snapshot, &layout, &label_w, _("No data: disconnected"),
                             x0, x1, p->origin.y + 4 + i * self->line_height);
        }
    }

  cr = gtk_snapshot_append_cairo (snapshot, p);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (guint i = 0; i < self->series->len; i++)
    draw_series (self, cr, g_ptr_array_index (self->series, i));
  cairo_destroy (cr);

  return gtk_snapshot_free_to_node (snapshot);
}

void
_nt_strip_chart_ensure_layers (NtStripChart *self)
{
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

  if (self->win_width == 0)
    return;

  nt_language_scope_enter (&scope, self->language);

  _nt_strip_chart_ensure_columns (self);

  if (self->colors_dirty)
    {
      update_colors (self);
      self->static_dirty = TRUE;
      self->data_dirty = TRUE;
    }

  if (self->static_dirty || self->static_node == NULL)
    {
      g_clear_pointer (&self->static_node, gsk_render_node_unref);
      self->static_node = build_static_node (self);
      self->static_dirty = FALSE;
    }

  if (self->data_dirty || self->data_node == NULL)
    {
      g_clear_pointer (&self->data_node, gsk_render_node_unref);
      self->data_node = build_data_node (self);
      self->data_dirty = FALSE;
    }
}

static gboolean
update_tick_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  NtStripChart *self = NT_STRIP_CHART (widget);

  self->update_tick_id = 0;
  _nt_strip_chart_ensure_layers (self);
  gtk_widget_queue_draw (widget);

  return G_SOURCE_REMOVE;
}

void
_nt_strip_chart_schedule_update (NtStripChart *self)
{
  if (self->update_tick_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->update_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), update_tick_cb,
                                                         NULL, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Replaces the bands of @array (the mode strip or the shading) with a copy
 * of @bands; their colours are looked up on the next frame. */
static void
replace_bands (NtStripChart           *self,
               GArray                 *array,
               const NtStripChartBand *bands,
               guint                   n)
{
  g_return_if_fail (n == 0 || bands != NULL);

  g_array_set_size (array, 0);
  for (guint i = 0; i < n; i++)
    {
      Band band = { bands[i].start, bands[i].end, g_strdup (bands[i].kind ? bands[i].kind : "none"), { 0 } };

      g_array_append_val (array, band);
    }
  self->colors_dirty = TRUE;
  _nt_strip_chart_schedule_update (self);
}

/**
 * nt_strip_chart_set_bands:
 * @bands: (array length=n_bands): run-plan periods, drawn as a strip along
 *   the time axis
 */
void
nt_strip_chart_set_bands (NtStripChart           *self,
                          const NtStripChartBand *bands,
                          guint                   n_bands)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  replace_bands (self, self->bands, bands, n_bands);
}

/**
 * nt_strip_chart_set_shading:
 * @spans: (array length=n_spans): periods shaded across the plot (no beam)
 */
void
nt_strip_chart_set_shading (NtStripChart           *self,
                            const NtStripChartBand *spans,
                            guint                   n_spans)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  replace_bands (self, self->shading, spans, n_spans);
}

/**
 * nt_strip_chart_set_run_plan:
 * @spans: (array length=n_spans): the run plan's periods, sorted
 *
 * Shows the plan's modes as bands along the time axis (coloured by
 * @nt_chart_band_<kind>, e.g. @nt_chart_band_user_operation) and shades
 * the periods planned without beam (maintenance, inspection, shutdown).
 */
void
nt_strip_chart_set_run_plan (NtStripChart       *self,
                             const NtPeriodSpan *spans,
                             guint               n_spans)
{
  g_autoptr(GArray) bands = NULL;
  g_autoptr(GArray) shading = NULL;

  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (n_spans == 0 || spans != NULL);

  bands = g_array_sized_new (FALSE, FALSE, sizeof (NtStripChartBand), n_spans);
  shading = g_array_new (FALSE, FALSE, sizeof (NtStripChartBand));
  for (guint i = 0; i < n_spans; i++)
    {
      NtStripChartBand band = {
        spans[i].start * G_USEC_PER_SEC,
        spans[i].end * G_USEC_PER_SEC,
        nt_period_kind_to_string (spans[i].kind),
      };

      g_array_append_val (bands, band);
      if (!nt_period_kind_has_beam (spans[i].kind))
        {
          band.kind = "no-beam";
          g_array_append_val (shading, band);
        }
    }

  nt_strip_chart_set_bands (self, (NtStripChartBand *)(gpointer)bands->data, bands->len);
  nt_strip_chart_set_shading (self, (NtStripChartBand *)(gpointer)shading->data, shading->len);
}

/**
 * nt_strip_chart_set_beam_threshold:
 * @series_index: the series that tells whether there is beam (ring current)
 * @threshold: below this there is no beam; NaN to stop
 *
 * Shades the columns where the series is below @threshold (a beam dump, a
 * trip), with the words "No beam" where they fit, besides the planned
 * periods without beam.
 */
void
nt_strip_chart_set_beam_threshold (NtStripChart *self,
                                   guint         series_index,
                                   double        threshold)
{
  g_return_if_fail (NT_IS_STRIP_CHART (self));

  self->beam_series = series_index;
  self->beam_threshold = threshold;
  self->data_dirty = TRUE;
  _nt_strip_chart_schedule_update (self);
}

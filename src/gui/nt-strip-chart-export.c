/* nt-strip-chart-export.c: NtStripChart to CSV and PNG
 *
 * The visible samples as CSV (copied on the main thread, formatted and
 * written in a worker), and the chart as shown as a PNG (rendered after
 * the next paint, encoded and written in a worker).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-strip-chart"

#include "config.h"

#include <math.h>
#include <string.h>

#include "nt-i18n.h"
#include "nt-strip-chart-private.h"
#include "nt-strip-chart.h"

typedef struct
{
  char   *name;
  gint64 *t;
  double *v;
  guint8 *sev;
  gsize   n;
} ExportSeries;

typedef struct
{
  GFile  *file;
  GArray *series;   /* ExportSeries */
  GBytes *png;      /* PNG export: the rendered pixels */
  int     width;
  int     height;
  gsize   stride;
} ExportData;

static void
export_series_clear (gpointer data)
{
  ExportSeries *es = data;

  g_free (es->name);
  g_free (es->t);
  g_free (es->v);
  g_free (es->sev);
}

static void
export_data_free (gpointer data)
{
  ExportData *ed = data;

  g_clear_object (&ed->file);
  g_clear_pointer (&ed->series, g_array_unref);
  g_clear_pointer (&ed->png, g_bytes_unref);
  g_free (ed);
}

/* Days since 1970-01-01 to a proleptic Gregorian date. */
static void
civil_from_days (gint64  days,
                 int    *year,
                 int    *month,
                 int    *day)
{
  gint64 z = days + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  gint64 d = doy - (153 * mp + 2) / 5 + 1;
  gint64 m = mp < 10 ? mp + 3 : mp - 9;

  *year = (int)(yoe + era * 400 + (m <= 2));
  *month = (int)m;
  *day = (int)d;
}

static void
append_iso (GString    *out,
            gint64      t_us,
            gint64      offset_s)
{
  gint64 local_us = t_us + offset_s * G_USEC_PER_SEC;
  gint64 secs = local_us >= 0 ? local_us / G_USEC_PER_SEC : (local_us - G_USEC_PER_SEC + 1) / G_USEC_PER_SEC;
  gint64 frac_ms = (local_us - secs * G_USEC_PER_SEC) / 1000;
  gint64 days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  gint64 sod = secs - days * 86400;
  int y, m, d;

  civil_from_days (days, &y, &m, &d);
  g_string_append_printf (out, "%04d-%02d-%02dT%02d:%02d:%02d.%03d",
                          y, m, d, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
                          (int)frac_ms);
  if (offset_s == 0)
    g_string_append_c (out, 'Z');
  else
    g_string_append_printf (out, "%c%02d:%02d", offset_s < 0 ? '-' : '+',
                            (int)(ABS (offset_s) / 3600), (int)(ABS (offset_s) / 60 % 60));
}

static void
append_csv_field (GString    *out,
                  const char *text)
{
  if (strpbrk (text, ",\"\n\r") == NULL)
    {
      g_string_append (out, text);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* The shortest of %.15g, %.16g, %.17g that reads back as the same double:
 * 399.99, not 399.99000000000001. */
static const char *
format_value (char   *buf,
              gsize   len,
              double  v)
{
  static const char * const formats[] = { "%.15g", "%.16g" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, len, formats[i], v);
      if (g_ascii_strtod (buf, NULL) == v)
        return buf;
    }

  return g_ascii_formatd (buf, len, "%.17g", v);
}

/* Replaces @file with @bytes and returns the outcome through @task. */
static void
return_written (GTask        *task,
                GFile        *file,
                GBytes       *bytes,
                GCancellable *cancellable)
{
  GError *error = NULL;

  if (!g_file_replace_contents (file,
                                g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* The task of an export to @file, with its ExportData. */
static GTask *
export_task_new (NtStripChart        *self,
                 GFile               *file,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ExportData *ed = g_new0 (ExportData, 1);

  g_task_set_source_tag (task, source_tag);
  ed->file = g_object_ref (file);
  g_task_set_task_data (task, ed, export_data_free);

  return task;
}

static gboolean
export_finish (NtStripChart  *self,
               GAsyncResult  *result,
               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_csv_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  static const char * const sev_names[] = { "NONE", "MINOR", "MAJOR", "INVALID", "UNDEFINED" };
  ExportData *ed = task_data;
  g_autoptr(GString) out = g_string_new ("time_utc,time_jst,series,value,severity\n");
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  for (guint i = 0; i < ed->series->len; i++)
    {
      ExportSeries *es = &g_array_index (ed->series, ExportSeries, i);

      for (gsize k = 0; k < es->n; k++)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          if (k % 65536 == 0 && g_cancellable_set_error_if_cancelled (cancellable, &error))
            {
              g_task_return_error (task, error);
              return;
            }

          append_iso (out, es->t[k], 0);
          g_string_append_c (out, ',');
          append_iso (out, es->t[k], _nt_strip_chart_zone_offset_s (es->t[k] / G_USEC_PER_SEC));
          g_string_append_c (out, ',');
          append_csv_field (out, es->name);
          g_string_append_c (out, ',');
          if (!isnan (es->v[k]))
            g_string_append (out, format_value (buf, sizeof buf, es->v[k]));
          g_string_append_c (out, ',');
          g_string_append (out, es->sev[k] < G_N_ELEMENTS (sev_names) ? sev_names[es->sev[k]] : "UNDEFINED");
          g_string_append_c (out, '\n');
        }
    }

  bytes = g_string_free_to_bytes (g_steal_pointer (&out));
  return_written (task, ed->file, bytes, cancellable);
}

/**
 * nt_strip_chart_export_csv_async:
 * @file: where to write
 *
 * Writes the samples of the visible range, every series, as CSV with the
 * columns time_utc, time_jst, series, value, severity.  Formatting and
 * writing happen in a worker thread.
 */
void
nt_strip_chart_export_csv_async (NtStripChart        *self,
                                 GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *ed;
  gint64 t0, t1;

  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = export_task_new (self, file, cancellable, callback, user_data,
                          nt_strip_chart_export_csv_async);
  ed = g_task_get_task_data (task);

  _nt_strip_chart_compute_window (self, &t0, &t1);
  ed->series = g_array_new (FALSE, TRUE, sizeof (ExportSeries));
  g_array_set_clear_func (ed->series, export_series_clear);

  /* Copy the visible samples now: the series may change meanwhile. */
  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      gsize i0 = nt_series_lower_bound (s->series, t0);
      gsize i1 = nt_series_lower_bound (s->series, t1);
      ExportSeries es = { 0 };

      es.name = g_strdup (s->name);
      es.n = i1 - i0;
      es.t = g_new (gint64, es.n);
      es.v = g_new (double, es.n);
      es.sev = g_new (guint8, es.n);
      nt_series_copy_range (s->series, i0, i1, es.t, es.v, es.sev);
      g_array_append_val (ed->series, es);
    }

  g_task_run_in_thread (task, export_csv_thread);
}

gboolean
nt_strip_chart_export_csv_finish (NtStripChart  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), FALSE);

  return export_finish (self, result, error);
}

static void
return_not_shown (GTask *task)
{
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("The chart is not shown, so it cannot be exported as an image"));
}

static void
export_png_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ExportData *ed = task_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;

  texture = gdk_memory_texture_new (ed->width, ed->height, GDK_MEMORY_DEFAULT,
                                    ed->png, ed->stride);
  png = gdk_texture_save_to_png_bytes (texture);
  return_written (task, ed->file, png, cancellable);
}

typedef struct
{
  GTask         *task;
  GdkFrameClock *frame_clock;
  gulong         handler_id;
} PngExport;

static void
render_png_now (GTask *task)
{
  NtStripChart *self = g_task_get_source_object (task);
  ExportData *ed = g_task_get_task_data (task);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkNative *native;
  GskRenderer *renderer;
  int width, height;
  guchar *pixels;

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  native = gtk_widget_get_native (GTK_WIDGET (self));
  renderer = native ? gtk_native_get_renderer (native) : NULL;
  if (renderer == NULL || width <= 0 || height <= 0)
    {
      return_not_shown (task);
      return;
    }

  node = nt_strip_chart_render_node (self);
  if (node == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The chart could not be drawn"));
      return;
    }

  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  ed->width = gdk_texture_get_width (texture);
  ed->height = gdk_texture_get_height (texture);
  ed->stride = (gsize)ed->width * 4;
  pixels = g_malloc (ed->stride * ed->height);
  gdk_texture_download (texture, pixels, ed->stride);
  ed->png = g_bytes_new_take (pixels, ed->stride * ed->height);

  g_task_run_in_thread (task, export_png_thread);
}

static void
png_after_paint_cb (GdkFrameClock *frame_clock,
                    PngExport     *pe)
{
  g_autoptr(GTask) task = g_steal_pointer (&pe->task);

  g_signal_handler_disconnect (frame_clock, pe->handler_id);
  g_object_unref (pe->frame_clock);
  g_free (pe);

  render_png_now (task);
}

/**
 * nt_strip_chart_export_png_async:
 * @file: where to write
 *
 * Renders the chart as it is shown (theme colours included) into a PNG,
 * right after the next frame is painted so that what is saved is what is
 * on screen.  Encoding and writing happen in a worker thread.
 */
void
nt_strip_chart_export_png_async (NtStripChart        *self,
                                 GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GdkFrameClock *frame_clock;
  PngExport *pe;

  g_return_if_fail (NT_IS_STRIP_CHART (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = export_task_new (self, file, cancellable, callback, user_data,
                          nt_strip_chart_export_png_async);

  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (frame_clock == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      return_not_shown (task);
      return;
    }

  pe = g_new0 (PngExport, 1);
  pe->task = g_steal_pointer (&task);
  pe->frame_clock = g_object_ref (frame_clock);
  pe->handler_id = g_signal_connect (frame_clock, "after-paint",
                                     G_CALLBACK (png_after_paint_cb), pe);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
nt_strip_chart_export_png_finish (NtStripChart  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (NT_IS_STRIP_CHART (self), FALSE);

  return export_finish (self, result, error);
}

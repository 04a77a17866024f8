/* nt-statistics-page-export.c: the Statistics area, out of the console
 *
 * CSV of the beam losses and of the daily figures (times in Asia/Tokyo
 * and UTC), written asynchronously where the user chose in the file
 * chooser (the portal when sandboxed); and the report of the range:
 * a title page with the summary table and the cumulative chart, the
 * beam losses paginated, and the beamlines, through one
 * GtkPrintOperation that prints or exports straight to PDF.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-statistics-page"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "nt-statistics-page-private.h"
#include "nt-time.h"

#define REPORT_FONT       "Sans 9"
#define REPORT_LINE_PT    14.0

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(NtStatisticsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    nt_statistics_page_show_message (self, _("Export written"), FALSE);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Could not export: %s"), error->message);

      nt_statistics_page_show_message (self, text, TRUE);
    }
}

static void
csv_field (GString    *csv,
           const char *text)
{
  g_string_append_c (csv, '"');
  for (const char *p = text != NULL ? text : ""; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

static void
csv_number (GString *csv,
            double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isfinite (value))
    g_string_append (csv, g_ascii_formatd (buf, sizeof buf, "%.3f", value));
}

/**
 * nt_statistics_page_dup_faults_csv:
 *
 * Returns: (transfer full) (nullable): the beam losses of the figures
 *   shown, one line each by start, times in Asia/Tokyo and UTC
 */
GBytes *
nt_statistics_page_dup_faults_csv (NtStatisticsPage *self)
{
  GString *csv;

  g_return_val_if_fail (NT_IS_STATISTICS_PAGE (self), NULL);
  if (self->stats == NULL)
    return NULL;

  csv = g_string_new ("start_jst,recovered_jst,start_utc,recovered_utc,duration_hours,lost_hours,mode,message\r\n");
  for (guint i = 0; i < self->stats->faults->len; i++)
    {
      const NtStatisticsFault *f = &g_array_index (self->stats->faults, NtStatisticsFault, i);
      g_autofree char *a = nt_time_format_local (f->start, "%Y-%m-%d %H:%M:%S");
      g_autofree char *b = f->recovered != 0 ? nt_time_format_local (f->recovered, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
      g_autofree char *au = nt_time_format_iso (f->start);
      g_autofree char *bu = f->recovered != 0 ? nt_time_format_iso (f->recovered) : g_strdup ("");

      g_string_append_printf (csv, "%s,%s,%s,%s,", a, b, au, bu);
      csv_number (csv, f->recovered != 0 ? (f->recovered - f->start) / 3600.0 : NAN);
      g_string_append_c (csv, ',');
      csv_number (csv, f->lost_hours);
      g_string_append_c (csv, ',');
      csv_field (csv, f->mode);
      g_string_append_c (csv, ',');
      csv_field (csv, f->message);
      g_string_append (csv, "\r\n");
    }

  return g_string_free_to_bytes (csv);
}

/**
 * nt_statistics_page_dup_days_csv:
 *
 * Returns: (transfer full) (nullable): the figures of each facility day
 *   (Asia/Tokyo dates), with the availability of the day
 */
GBytes *
nt_statistics_page_dup_days_csv (NtStatisticsPage *self)
{
  GString *csv;

  g_return_val_if_fail (NT_IS_STATISTICS_PAGE (self), NULL);
  if (self->stats == NULL)
    return NULL;

  csv = g_string_new ("date,scheduled_hours,delivered_hours,unknown_hours,availability_percent,faults\r\n");
  for (guint i = 0; i < self->stats->days->len; i++)
    {
      const NtStatisticsDay *d = &g_array_index (self->stats->days, NtStatisticsDay, i);

      g_string_append_printf (csv, "%s,", d->date);
      csv_number (csv, d->scheduled_hours);
      g_string_append_c (csv, ',');
      csv_number (csv, d->delivered_hours);
      g_string_append_c (csv, ',');
      csv_number (csv, d->unknown_hours);
      g_string_append_c (csv, ',');
      csv_number (csv, d->scheduled_hours > 0 ? d->delivered_hours / d->scheduled_hours * 100 : NAN);
      g_string_append_printf (csv, ",%u\r\n", d->faults);
    }

  return g_string_free_to_bytes (csv);
}

/* ---- the report ---- */

typedef struct
{
  NtStatistics            *stats;
  char                    *title;
  NtStatisticsChartColors  colors;
  guint                    faults_per_page;
  guint                    fault_pages;
} Report;

static void
report_free (gpointer data)
{
  Report *r = data;

  nt_statistics_unref (r->stats);
  g_free (r->title);
  g_free (r);
}

static void
show_text (cairo_t     *cr,
           PangoLayout *layout,
           double       x,
           double       y,
           double       width,
           const char  *text)
{
  pango_layout_set_width (layout, width > 0 ? (int)(width * PANGO_SCALE) : -1);
  pango_layout_set_ellipsize (layout, width > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_set_width (layout, -1);
}

static void
set_font (PangoLayout *layout,
          const char  *font)
{
  PangoFontDescription *desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
}

static void
draw_header (Report      *r,
             cairo_t     *cr,
             PangoLayout *layout,
             double       width,
             int          page,
             int          n_pages)
{
  g_autofree char *footer = g_strdup_printf (_("Page %d of %d"), page + 1, n_pages);

  cairo_set_source_rgb (cr, 0, 0, 0);
  set_font (layout, "Sans Bold 14");
  show_text (cr, layout, 0, 0, width, r->title);
  set_font (layout, REPORT_FONT);
  show_text (cr, layout, 0, 22, width, footer);
}

static double
draw_summary (Report      *r,
              cairo_t     *cr,
              PangoLayout *layout,
              double       width,
              double       y)
{
  NtStatistics *s = r->stats;
  g_autofree char *range_a = nt_time_format_local (s->from, "%Y-%m-%d %H:%M");
  g_autofree char *range_b = nt_time_format_local (s->to, "%Y-%m-%d %H:%M");
  g_autofree char *upto = nt_time_format_local (s->complete_to, "%Y-%m-%d %H:%M");
  g_autofree char *range = g_strdup_printf (_("%s – %s (Japan time)"), range_a, range_b);
  g_autofree char *availability = isfinite (s->availability) ? g_strdup_printf (_("%.1f %%"), s->availability) : g_strdup ("—");
  g_autofree char *target = g_strdup_printf (_("%.1f %%"), s->target_availability);
  g_autofree char *scheduled = g_strdup_printf (_("%.1f h"), s->scheduled_hours);
  g_autofree char *delivered = g_strdup_printf (_("%.1f h"), s->delivered_hours);
  g_autofree char *unknown = g_strdup_printf (_("%.1f h"), s->unknown_hours);
  g_autofree char *faults = g_strdup_printf ("%u", s->fault_count);
  g_autofree char *mtbf = isfinite (s->mtbf_hours) ? g_strdup_printf (_("%.1f h"), s->mtbf_hours) : g_strdup ("—");
  g_autofree char *mttr = nt_statistics_format_duration (s->mttr_hours);
  g_autofree char *threshold = g_strdup_printf (_("%.0f %% of the planned current, losses longer than %.0f s"),
                                                s->threshold_fraction * 100, s->grace_seconds);
  const char *rows[][2] = {
    { _("Range"), range },
    { _("Figures up to"), upto },
    { _("Availability"), availability },
    { _("Target availability"), target },
    { _("Scheduled user time"), scheduled },
    { _("Delivered user time"), delivered },
    { _("Not archived (unknown)"), unknown },
    { _("Beam losses"), faults },
    { _("Mean time between failures"), mtbf },
    { _("Mean time to recover"), mttr },
    { _("Delivery threshold"), threshold },
  };

  set_font (layout, REPORT_FONT);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      if (i % 2 == 0)
        {
          cairo_set_source_rgba (cr, 0, 0, 0, 0.06);
          cairo_rectangle (cr, 0, y - 2, width, REPORT_LINE_PT + 2);
          cairo_fill (cr);
        }
      cairo_set_source_rgb (cr, 0, 0, 0);
      show_text (cr, layout, 4, y, width * 0.4, rows[i][0]);
      show_text (cr, layout, width * 0.42, y, width * 0.58, rows[i][1]);
      y += REPORT_LINE_PT + 2;
    }
  return y;
}

static void
draw_fault_page (Report      *r,
                 cairo_t     *cr,
                 PangoLayout *layout,
                 double       width,
                 double       y,
                 guint        first)
{
  const double cols[] = { 0, 0.20, 0.33, 0.52, 0.66 };
  const char *heads[] = { _("Start (Japan time)"), _("Beam lost for"), _("User time lost"), _("Mode"), _("Operator message") };
  guint n = r->stats->faults->len;

  set_font (layout, "Sans Bold 11");
  cairo_set_source_rgb (cr, 0, 0, 0);
  show_text (cr, layout, 0, y, width, _("Beam losses"));
  y += 22;

  set_font (layout, "Sans Bold 9");
  for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
    show_text (cr, layout, cols[c] * width + 2, y, ((c + 1 < G_N_ELEMENTS (cols) ? cols[c + 1] : 1.0) - cols[c]) * width - 6, heads[c]);
  y += REPORT_LINE_PT + 2;

  set_font (layout, REPORT_FONT);
  if (n == 0)
    show_text (cr, layout, 2, y, width, _("No beam was lost in this range."));
  for (guint i = first; i < MIN (n, first + r->faults_per_page); i++)
    {
      const NtStatisticsFault *f = &g_array_index (r->stats->faults, NtStatisticsFault, i);
      gint64 end = f->recovered != 0 ? f->recovered : r->stats->complete_to;
      g_autofree char *start = nt_time_format_local (f->start, "%Y-%m-%d %H:%M");
      g_autofree char *dur = nt_statistics_format_duration ((end - f->start) / 3600.0);
      g_autofree char *duration = f->recovered != 0 ? g_strdup (dur) : g_strdup_printf (_("%s, not recovered yet"), dur);
      g_autofree char *lost = g_strdup_printf (_("%.2f h"), f->lost_hours);
      const char *cells[] = { start, duration, lost, nt_statistics_mode_words (f->mode), f->message };

      if ((i - first) % 2 == 1)
        {
          cairo_set_source_rgba (cr, 0, 0, 0, 0.06);
          cairo_rectangle (cr, 0, y - 2, width, REPORT_LINE_PT);
          cairo_fill (cr);
        }
      cairo_set_source_rgb (cr, 0, 0, 0);
      for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
        show_text (cr, layout, cols[c] * width + 2, y,
                   ((c + 1 < G_N_ELEMENTS (cols) ? cols[c + 1] : 1.0) - cols[c]) * width - 6, cells[c]);
      y += REPORT_LINE_PT;
    }
}

static void
draw_beamline_page (Report      *r,
                    cairo_t     *cr,
                    PangoLayout *layout,
                    double       width,
                    double       y)
{
  const double cols[] = { 0, 0.2, 0.4, 0.6, 0.8 };
  const char *heads[] = { _("Beamline"), _("Public allocated"), _("Public delivered"),
                          _("Coalition allocated"), _("Coalition delivered") };

  set_font (layout, "Sans Bold 11");
  cairo_set_source_rgb (cr, 0, 0, 0);
  show_text (cr, layout, 0, y, width, _("Beamlines: delivered against allocated"));
  y += 22;
  set_font (layout, "Sans Bold 9");
  for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
    show_text (cr, layout, cols[c] * width + 2, y, 0.2 * width - 6, heads[c]);
  y += REPORT_LINE_PT + 2;

  set_font (layout, REPORT_FONT);
  for (guint i = 0; i < r->stats->beamlines->len; i++)
    {
      const NtStatisticsBeamline *b = &g_array_index (r->stats->beamlines, NtStatisticsBeamline, i);
      g_autofree char *ap = g_strdup_printf (_("%.1f h"), b->allocated_public_hours);
      g_autofree char *dp = g_strdup_printf (_("%.1f h"), b->delivered_public_hours);
      g_autofree char *ac = g_strdup_printf (_("%.1f h"), b->allocated_coalition_hours);
      g_autofree char *dc = g_strdup_printf (_("%.1f h"), b->delivered_coalition_hours);
      const char *cells[] = { b->beamline, ap, dp, ac, dc };

      if (i % 2 == 1)
        {
          cairo_set_source_rgba (cr, 0, 0, 0, 0.06);
          cairo_rectangle (cr, 0, y - 2, width, REPORT_LINE_PT);
          cairo_fill (cr);
        }
      cairo_set_source_rgb (cr, 0, 0, 0);
      for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
        show_text (cr, layout, cols[c] * width + 2, y, 0.2 * width - 6, cells[c]);
      y += REPORT_LINE_PT;
    }
}

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                Report            *r)
{
  double height = gtk_print_context_get_height (context);
  guint n = r->stats->faults->len;

  r->faults_per_page = (guint)MAX ((height - 60 - 40) / REPORT_LINE_PT, 1);
  r->fault_pages = MAX ((n + r->faults_per_page - 1) / r->faults_per_page, 1);
  /* The title page, the faults, the beamlines. */
  gtk_print_operation_set_n_pages (operation, (int)(1 + r->fault_pages + 1));
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              Report            *r)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  int n_pages = (int)(2 + r->fault_pages);
  double y;

  draw_header (r, cr, layout, width, page, n_pages);
  y = 48;

  if (page == 0)
    {
      y = draw_summary (r, cr, layout, width, y) + 18;
      set_font (layout, "Sans Bold 11");
      cairo_set_source_rgb (cr, 0, 0, 0);
      show_text (cr, layout, 0, y, width, _("Delivered against scheduled hours"));
      y += 22;
      set_font (layout, REPORT_FONT);
      cairo_save (cr);
      cairo_translate (cr, 0, y);
      nt_statistics_chart_draw (r->stats, cr, layout, width, MIN (height - y, width * 0.55), &r->colors);
      cairo_restore (cr);
    }
  else if ((guint)page <= r->fault_pages)
    draw_fault_page (r, cr, layout, width, y, (guint)(page - 1) * r->faults_per_page);
  else
    draw_beamline_page (r, cr, layout, width, y);
}

static GtkPrintOperation *
report_operation_new (NtStatisticsPage *self)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  Report *r = g_new0 (Report, 1);

  r->stats = nt_statistics_ref (self->stats);
  /* TRANSLATORS: the report's title, with the range's name */
  r->title = g_strdup_printf (_("Operations statistics: %s"), nt_statistics_range_title (self));
  nt_statistics_chart_get_colors (self->chart, &r->colors);

  gtk_print_operation_set_job_name (operation, r->title);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  g_object_set_data_full (G_OBJECT (operation), "report", r, report_free);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), r);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), r);
  return operation;
}

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               NtStatisticsPage        *self)
{
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      gtk_print_operation_get_error (operation, &error);
      text = g_strdup_printf (_("Could not print: %s"), error != NULL ? error->message : "");
      nt_statistics_page_show_message (self, text, TRUE);
    }
  else if (result == GTK_PRINT_OPERATION_RESULT_APPLY &&
           gtk_print_operation_get_status (operation) == GTK_PRINT_STATUS_FINISHED &&
           g_object_get_data (G_OBJECT (operation), "nt-pdf") != NULL)
    nt_statistics_page_show_message (self, _("Report written"), FALSE);
  g_object_unref (operation);
}

/* Runs @operation without holding up the main loop: with the print
 * dialog, or (@pdf) straight into that file. */
static void
run_report (NtStatisticsPage *self,
            GFile            *pdf)
{
  GtkPrintOperation *operation;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pdf != NULL ? g_file_get_path (pdf) : NULL;

  if (self->stats == NULL)
    return;
  if (pdf != NULL && path == NULL)
    {
      nt_statistics_page_show_message (self, _("Could not export: the report can only be written to a local file"), TRUE);
      return;
    }

  operation = report_operation_new (self);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "done", G_CALLBACK (print_done_cb), self, 0);
  if (path != NULL)
    {
      gtk_print_operation_set_export_filename (operation, path);
      g_object_set_data (G_OBJECT (operation), "nt-pdf", GINT_TO_POINTER (1));
    }

  if (gtk_print_operation_run (operation,
                               path != NULL ? GTK_PRINT_OPERATION_ACTION_EXPORT
                                            : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autofree char *text = g_strdup_printf (_("Could not print: %s"), error != NULL ? error->message : "");

      nt_statistics_page_show_message (self, text, TRUE);
    }
}

void
nt_statistics_page_print (NtStatisticsPage *self)
{
  run_report (self, NULL);
}

/**
 * nt_statistics_page_export_pdf:
 * @n_pages: (out) (optional): how many pages were written
 *
 * Writes the report of the figures shown into @path as PDF, without a
 * dialog, through the same print operation that prints it.
 */
gboolean
nt_statistics_page_export_pdf (NtStatisticsPage *self,
                               const char       *path,
                               int              *n_pages,
                               GError          **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  Report *r;
  GtkPrintOperationResult res;

  g_return_val_if_fail (NT_IS_STATISTICS_PAGE (self), FALSE);
  if (self->stats == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("There are no figures to report yet"));
      return FALSE;
    }

  operation = report_operation_new (self);
  r = g_object_get_data (G_OBJECT (operation), "report");
  gtk_print_operation_set_export_filename (operation, path);
  res = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error);
  if (n_pages != NULL)
    *n_pages = (int)(2 + r->fault_pages);
  return res != GTK_PRINT_OPERATION_RESULT_ERROR;
}

static void
export_to_file (NtStatisticsPage *self,
                int               kind,
                GFile            *file)
{
  g_autoptr(GBytes) bytes = NULL;

  if (kind == NT_STATISTICS_EXPORT_PDF)
    {
      run_report (self, file);
      return;
    }

  bytes = kind == NT_STATISTICS_EXPORT_FAULTS_CSV ? nt_statistics_page_dup_faults_csv (self)
                                                  : nt_statistics_page_dup_days_csv (self);
  if (bytes == NULL)
    return;
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, export_written_cb, g_object_ref (self));
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  NtStatisticsPage *self = g_object_get_data (G_OBJECT (dialog), "page");

  if (response == GTK_RESPONSE_ACCEPT && self != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      export_to_file (self, GPOINTER_TO_INT (user_data), file);
    }
  g_object_unref (dialog);
}

void
nt_statistics_page_choose_export (NtStatisticsPage *self,
                                  int               kind)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autofree char *day = NULL;
  g_autofree char *name = NULL;

  if (self->stats == NULL)
    return;

  chooser = gtk_file_chooser_native_new (kind == NT_STATISTICS_EXPORT_FAULTS_CSV ? _("Export Faults as CSV") :
                                         kind == NT_STATISTICS_EXPORT_DAYS_CSV ? _("Export Daily Figures as CSV") :
                                         _("Export Report as PDF"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  day = nt_time_format_local (self->stats->from, "%Y%m%d");
  name = g_strdup_printf ("statistics-%s-%s.%s", day,
                          kind == NT_STATISTICS_EXPORT_FAULTS_CSV ? "faults" :
                          kind == NT_STATISTICS_EXPORT_DAYS_CSV ? "days" : "report",
                          kind == NT_STATISTICS_EXPORT_PDF ? "pdf" : "csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "page", g_object_ref (self), g_object_unref);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), GINT_TO_POINTER (kind));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* nt-schedule-page-export.c: the page's year or visible range, out of the console
 *
 * CSV written from what the timeline shows, times in Asia/Tokyo and UTC;
 * iCalendar built by the scheduling service; printing every row,
 * paginated, through GtkPrintOperation, with a dialog or straight to a
 * PDF file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-schedule-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nt-schedule-page-private.h"

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(NtSchedulePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    nt_schedule_page_show_message (self, _("Export written"), FALSE);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Could not export: %s"), error->message);

      nt_schedule_page_show_message (self, text, TRUE);
    }
}

static void
write_bytes (NtSchedulePage *self,
             GFile          *file,
             GBytes         *bytes)
{
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, export_written_cb, g_object_ref (self));
}

static char *
csv_field (const char *text)
{
  g_autoptr(GString) s = g_string_new ("\"");

  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static int
cmp_by_start (gconstpointer a,
              gconstpointer b)
{
  GObject *x = *(GObject **)a, *y = *(GObject **)b;
  gint64 sx = NT_IS_RUN_PERIOD (x) ? nt_run_period_get_start (NT_RUN_PERIOD (x)) : nt_allocation_get_start (NT_ALLOCATION (x));
  gint64 sy = NT_IS_RUN_PERIOD (y) ? nt_run_period_get_start (NT_RUN_PERIOD (y)) : nt_allocation_get_start (NT_ALLOCATION (y));

  return sx < sy ? -1 : sx > sy;
}

static int
cmp_booking_by_start (gconstpointer a,
                      gconstpointer b)
{
  const NtBooking *x = *(const NtBooking **)a, *y = *(const NtBooking **)b;

  return x->start < y->start ? -1 : x->start > y->start;
}

typedef struct
{
  gint64     start;
  gint64     end;
  GPtrArray *found;  /* const NtBooking* */
} Overlapping;

static gboolean
overlapping_cb (const NtBooking *b,
                gpointer         user_data)
{
  Overlapping *o = user_data;

  if (b->end > o->start && b->start < o->end)
    g_ptr_array_add (o->found, (gpointer)b);
  return TRUE;
}

/**
 * nt_schedule_page_dup_csv:
 *
 * Returns: (transfer full): the periods and allocations that overlap
 *   [start, end) as CSV, times in Asia/Tokyo and UTC
 */
GBytes *
nt_schedule_page_dup_csv (NtSchedulePage *self,
                          gint64          start,
                          gint64          end)
{
  g_autoptr(GPtrArray) periods = nt_timeline_list (self->timeline, NT_TYPE_RUN_PERIOD);
  g_autoptr(GPtrArray) allocs = g_ptr_array_new ();
  Overlapping overlapping = { start, end, allocs };
  GString *csv = g_string_new ("type,id,station,start_jst,end_jst,start_utc,end_utc,kind_or_slot,proposal,member,status,note\r\n");

  /* The allocations from the timeline's records: no object made for each. */
  nt_booking_store_foreach (nt_timeline_get_allocation_store (self->timeline), overlapping_cb, &overlapping);
  g_ptr_array_sort (periods, cmp_by_start);
  g_ptr_array_sort (allocs, cmp_booking_by_start);

  for (guint i = 0; i < periods->len; i++)
    {
      NtRunPeriod *p = g_ptr_array_index (periods, i);
      g_autofree char *a = NULL, *b = NULL, *au = NULL, *bu = NULL, *note = NULL;

      if (nt_run_period_get_end (p) <= start || nt_run_period_get_start (p) >= end)
        continue;
      a = nt_time_format_local (nt_run_period_get_start (p), "%Y-%m-%d %H:%M");
      b = nt_time_format_local (nt_run_period_get_end (p), "%Y-%m-%d %H:%M");
      au = nt_time_format_iso (nt_run_period_get_start (p));
      bu = nt_time_format_iso (nt_run_period_get_end (p));
      note = csv_field (nt_run_period_get_note (p));
      g_string_append_printf (csv, "period,%lld,,%s,%s,%s,%s,%s,,,,%s\r\n",
                              (long long)nt_run_period_get_id (p), a, b, au, bu,
                              nt_period_kind_to_string (nt_run_period_get_kind (p)), note);
    }

  for (guint i = 0; i < allocs->len; i++)
    {
      const NtBooking *x = g_ptr_array_index (allocs, i);
      g_autofree char *a = NULL, *b = NULL, *au = NULL, *bu = NULL, *note = NULL, *member = NULL;

      a = nt_time_format_local (x->start, "%Y-%m-%d %H:%M");
      b = nt_time_format_local (x->end, "%Y-%m-%d %H:%M");
      au = nt_time_format_iso (x->start);
      bu = nt_time_format_iso (x->end);
      note = csv_field (x->note);
      member = x->member > 0 ? g_strdup_printf ("%lld", (long long)x->member) : g_strdup ("");
      g_string_append_printf (csv, "allocation,%lld,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\r\n",
                              (long long)x->id, x->station, a, b, au, bu,
                              nt_slot_to_string ((NtSlot)x->slot), x->proposal != NULL ? x->proposal : "",
                              member, nt_allocation_status_to_string ((NtAllocationStatus)x->status), note);
    }

  return g_string_free_to_bytes (csv);
}

static void
calendar_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  NtSchedulePage *self = g_object_get_data (G_OBJECT (file), "page");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = nt_schedule_client_get_calendar_finish (NT_SCHEDULE_CLIENT (source), result, &error);

  if (self == NULL)
    return;
  if (bytes == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not export: %s"), error->message);

      nt_schedule_page_show_message (self, text, TRUE);
      return;
    }
  write_bytes (self, file, bytes);
}

static void
export_to_file (NtSchedulePage *self,
                ExportKind      kind,
                GFile          *file)
{
  gint64 start, end;

  if (kind == EXPORT_CSV_VISIBLE || kind == EXPORT_ICS_VISIBLE)
    nt_timeline_get_view (self->timeline, &start, &end);
  else
    nt_time_fiscal_year_bounds (self->fiscal_year, &start, &end);

  if (kind == EXPORT_ICS_VISIBLE || kind == EXPORT_ICS_YEAR)
    {
      /* The service builds the calendar (libical): the run plan here, or
       * every station's allocations in the Allocations area. */
      g_object_set_data_full (G_OBJECT (file), "page", g_object_ref (self), g_object_unref);
      nt_schedule_client_get_calendar_async (nt_context_get_schedule_client (self->context),
                                             self->mode == NT_TIMELINE_EDIT_PLAN ? NULL : "*", NULL,
                                             start, end, self->cancellable, calendar_cb,
                                             g_object_ref (file));
      return;
    }

  {
    g_autoptr(GBytes) bytes = nt_schedule_page_dup_csv (self, start, end);

    write_bytes (self, file, bytes);
  }
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  NtSchedulePage *self = g_object_get_data (G_OBJECT (dialog), "page");
  ExportKind kind = GPOINTER_TO_INT (user_data);

  if (response == GTK_RESPONSE_ACCEPT && self != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      export_to_file (self, kind, file);
    }
  g_object_unref (dialog);
}

void
nt_schedule_page_choose_export (NtSchedulePage *self,
                                ExportKind      kind)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  chooser = gtk_file_chooser_native_new (kind == EXPORT_ICS_VISIBLE ? _("Export Visible Range as iCalendar") :
                                         kind == EXPORT_ICS_YEAR ? _("Export Whole Year as iCalendar") :
                                         kind == EXPORT_CSV_YEAR ? _("Export Whole Year as CSV") :
                                         _("Export Visible Range as CSV"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  name = g_strdup_printf ("%s-FY%d.%s", self->mode == NT_TIMELINE_EDIT_PLAN ? "run-plan" : "allocations",
                          self->fiscal_year,
                          kind == EXPORT_ICS_VISIBLE || kind == EXPORT_ICS_YEAR ? "ics" : "csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "page", g_object_ref (self), g_object_unref);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), GINT_TO_POINTER (kind));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Printing: every row, paginated, over the visible range or the year. */
typedef struct
{
  NtTimeline *timeline;
  gint64      start;
  gint64      end;
  GArray     *first_rows;  /* guint: the first row of each page */
} Print;

static void
print_free (gpointer data)
{
  Print *p = data;

  g_object_unref (p->timeline);
  g_array_unref (p->first_rows);
  g_free (p);
}

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                Print             *p)
{
  double height = gtk_print_context_get_height (context);
  guint row = 0, n = nt_timeline_get_n_rows (p->timeline);

  g_array_set_size (p->first_rows, 0);
  while (row < n)
    {
      guint fit = nt_timeline_rows_that_fit (p->timeline, row, height);

      g_array_append_val (p->first_rows, row);
      row += MAX (fit, 1);
    }
  gtk_print_operation_set_n_pages (operation, (int)MAX (p->first_rows->len, 1));
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              Print             *p)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);

  if ((guint)page >= p->first_rows->len)
    return;
  nt_timeline_draw_rows (p->timeline, cr, layout, gtk_print_context_get_width (context),
                         gtk_print_context_get_height (context), p->start, p->end,
                         g_array_index (p->first_rows, guint, page));
}

/* An operation printing every row of the visible range or the year, in
 * landscape; @print (optional) is what it prints, owned by it. */
static GtkPrintOperation *
print_operation_new (NtSchedulePage *self,
                     gboolean        whole_year,
                     Print         **print)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  Print *p = g_new0 (Print, 1);

  p->timeline = g_object_ref (self->timeline);
  p->first_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  if (whole_year)
    nt_time_fiscal_year_bounds (self->fiscal_year, &p->start, &p->end);
  else
    nt_timeline_get_view (self->timeline, &p->start, &p->end);

  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_print_operation_set_default_page_setup (operation, setup);
  g_object_set_data_full (G_OBJECT (operation), "print", p, print_free);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), p);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), p);
  if (print != NULL)
    *print = p;
  return operation;
}

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               NtSchedulePage          *self)
{
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      gtk_print_operation_get_error (operation, &error);
      text = g_strdup_printf (_("Could not print: %s"), error != NULL ? error->message : "");
      nt_schedule_page_show_message (self, text, TRUE);
    }
  g_object_unref (operation);
}

void
nt_schedule_page_print (NtSchedulePage *self,
                        gboolean        whole_year)
{
  GtkPrintOperation *operation = print_operation_new (self, whole_year, NULL);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GError) error = NULL;

  gtk_print_operation_set_job_name (operation, self->mode == NT_TIMELINE_EDIT_PLAN ? _("Run plan") : _("Allocations"));
  /* The dialog does not hold up the main loop; the operation lives until
   * it is done. */
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "done", G_CALLBACK (print_done_cb), self, 0);

  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autofree char *text = g_strdup_printf (_("Could not print: %s"), error != NULL ? error->message : "");

      nt_schedule_page_show_message (self, text, TRUE);
    }
}

/**
 * nt_schedule_page_export_pdf:
 *
 * Writes every row of the visible range (or the whole year) as a PDF
 * through GtkPrintOperation, without a dialog.
 */
gboolean
nt_schedule_page_export_pdf (NtSchedulePage *self,
                             const char     *path,
                             gboolean        whole_year,
                             int            *n_pages,
                             GError        **error)
{
  Print *p;
  g_autoptr(GtkPrintOperation) operation = print_operation_new (self, whole_year, &p);
  GtkPrintOperationResult res;

  gtk_print_operation_set_export_filename (operation, path);

  res = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error);
  if (n_pages != NULL)
    *n_pages = (int)p->first_rows->len;
  return res != GTK_PRINT_OPERATION_RESULT_ERROR;
}

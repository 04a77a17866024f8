/* nt-beam-page.c: the ring current over time, and the beam panel beside it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-beam-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "nt-clock.h"
#include "nt-beam-page.h"
#include "nt-beam-panel.h"
#include "nt-chart-feed.h"
#include "nt-range-buttons.h"
#include "nt-run-period.h"
#include "nt-stored-current.h"
#include "nt-time.h"
#include "nt-widget-util.h"

/* A week at 1 Hz, twice over: room for the history of the longest range
 * and the live samples that follow it. */
#define SERIES_CAPACITY (2 * 7 * 24 * 3600)

struct _NtBeamPage
{
  GtkWidget        parent_instance;

  NtContext       *context;
  NtChartFeed     *feed;
  GCancellable    *cancellable;
  GCancellable    *plan_cancellable;
  gint64           plan_revision;
  NtScheduleClient *schedule;
  guint            status_id;

  AdwFlap         *flap;
  GtkBox          *range_box;
  GtkToggleButton *follow_button;
  GtkLabel        *status_label;
  GtkStack        *chart_stack;
  AdwStatusPage   *failed_page;
  NtStripChart    *chart;
  GtkBox          *panel_box;
  GtkWidget       *panel;
  GtkToggleButton *range_buttons[NT_STRIP_CHART_RANGE_7_DAYS + 1];
};

G_DEFINE_FINAL_TYPE (NtBeamPage, nt_beam_page, GTK_TYPE_WIDGET)

static const NtStripChartRange ranges[] = {
  NT_STRIP_CHART_RANGE_15_MIN, NT_STRIP_CHART_RANGE_1_HOUR, NT_STRIP_CHART_RANGE_8_HOURS,
  NT_STRIP_CHART_RANGE_24_HOURS, NT_STRIP_CHART_RANGE_7_DAYS,
};

/* Each range's value of the "chart-range" key, as ranges. */
static const char * const range_settings[] = { "15min", "1h", "8h", "24h", "7d" };

static void
update_status (NtBeamPage *self)
{
  const GError *error = self->feed ? nt_chart_feed_get_last_error (self->feed) : NULL;

  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("History could not be loaded: %s"), error->message);

      gtk_label_set_label (self->status_label, text);
    }
  else if (self->feed != NULL && nt_chart_feed_is_refilling (self->feed))
    gtk_label_set_label (self->status_label, _("Filling the gap from the archive…"));
  else if (self->feed != NULL && nt_chart_feed_get_n_pending (self->feed) > 0)
    gtk_label_set_label (self->status_label, _("Loading history…"));
  else
    gtk_label_set_label (self->status_label, "");
}

static void
range_toggled_cb (NtBeamPage      *self,
                  GtkToggleButton *button)
{
  int i = nt_range_buttons_find (self->range_buttons, G_N_ELEMENTS (ranges), button);

  if (i < 0)
    return;

  nt_strip_chart_set_range (self->chart, ranges[i]);
  g_settings_set_string (nt_context_get_settings (self->context), "chart-range", range_settings[i]);
}

static void
follow_toggled_cb (NtBeamPage *self)
{
  gboolean active = gtk_toggle_button_get_active (self->follow_button);

  if (active != nt_strip_chart_get_follow_live (self->chart))
    nt_strip_chart_set_follow_live (self->chart, active);
}

static void
chart_follow_cb (NtBeamPage *self)
{
  gtk_toggle_button_set_active (self->follow_button, nt_strip_chart_get_follow_live (self->chart));
}

static void
show_context_state (NtBeamPage *self)
{
  switch (nt_context_get_state (self->context))
    {
    case NT_CONTEXT_IDLE:
    case NT_CONTEXT_STARTING:
      gtk_stack_set_visible_child_name (self->chart_stack, "loading");
      break;

    case NT_CONTEXT_FAILED:
      adw_status_page_set_description (self->failed_page,
                                       nt_context_get_error (self->context)
                                       ? nt_context_get_error (self->context)->message : NULL);
      gtk_stack_set_visible_child_name (self->chart_stack, "failed");
      break;

    case NT_CONTEXT_READY:
      gtk_stack_set_visible_child_name (self->chart_stack, "chart");
      break;

    default:
      g_return_if_reached ();
    }
}

/* Band names are the chart's CSS names for the period kinds. */
static const char *
band_kind (NtPeriodKind kind)
{
  switch (kind)
    {
    case NT_PERIOD_USER_OPERATION: return "user-operation";
    case NT_PERIOD_MACHINE_STUDY:  return "machine-study";
    case NT_PERIOD_COMMISSIONING:  return "commissioning";
    case NT_PERIOD_MAINTENANCE:    return "maintenance";
    case NT_PERIOD_INSPECTION:     return "inspection";
    case NT_PERIOD_SHUTDOWN:       return "shutdown";
    default:                       g_return_val_if_reached ("shutdown");
    }
}

static void
plan_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(NtBeamPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) periods = NULL;
  g_autoptr(GArray) bands = NULL;
  g_autoptr(GArray) shading = NULL;
  gint64 revision = 0;

  periods = nt_schedule_client_list_run_plan_finish (NT_SCHEDULE_CLIENT (object), result,
                                                     &revision, &error);
  if (periods == NULL)
    {
      /* The chart stays useful without the plan's bands: say so, quietly. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Run plan not shown on the chart: %s", error->message);
      return;
    }

  bands = g_array_new (FALSE, FALSE, sizeof (NtStripChartBand));
  shading = g_array_new (FALSE, FALSE, sizeof (NtStripChartBand));
  for (guint i = 0; i < periods->len; i++)
    {
      NtRunPeriod *period = g_ptr_array_index (periods, i);
      NtStripChartBand band = {
        .start = nt_run_period_get_start (period) * G_USEC_PER_SEC,
        .end = nt_run_period_get_end (period) * G_USEC_PER_SEC,
        .kind = band_kind (nt_run_period_get_kind (period)),
      };

      g_array_append_val (bands, band);
      if (!nt_period_kind_has_beam (nt_run_period_get_kind (period)))
        {
          band.kind = "no-beam";
          g_array_append_val (shading, band);
        }
    }

  nt_strip_chart_set_bands (self->chart, (NtStripChartBand *)(gpointer)bands->data, bands->len);
  nt_strip_chart_set_shading (self->chart, (NtStripChartBand *)(gpointer)shading->data, shading->len);
  self->plan_revision = revision;
  nt_context_ensure_changes (self->context, revision);
}

static void
load_plan (NtBeamPage *self)
{
  gint64 now = nt_clock_now ();

  g_cancellable_cancel (self->plan_cancellable);
  g_clear_object (&self->plan_cancellable);
  self->plan_cancellable = g_cancellable_new ();

  /* The longest range (a week) and a day ahead, so the bands reach past now. */
  nt_schedule_client_list_run_plan_async (self->schedule, now - 8 * 86400, now + 86400,
                                          self->plan_cancellable, plan_loaded_cb,
                                          g_object_ref (self));
}

static void
schedule_change_cb (NtBeamPage *self,
                    gint64      revision,
                    const char *resource)
{
  if (revision > self->plan_revision && g_strcmp0 (resource, "period") == 0)
    load_plan (self);
}

static void
context_state_cb (NtBeamPage *self)
{
  show_context_state (self);

  if (nt_context_get_state (self->context) == NT_CONTEXT_READY && self->feed == NULL)
    {
      self->feed = nt_stored_current_feed_new (self->chart, self->context);
      if (self->feed == NULL)
        {
          adw_status_page_set_description (self->failed_page,
                                           _("The facility profile names no signal for the stored current."));
          gtk_stack_set_visible_child_name (self->chart_stack, "failed");
          return;
        }

      self->schedule = g_object_ref (nt_context_get_schedule_client (self->context));
      g_signal_connect_object (self->schedule, "change",
                               G_CALLBACK (schedule_change_cb), self, G_CONNECT_SWAPPED);
      load_plan (self);
    }
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(NtBeamPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;
  GtkWidget *window;
  AdwToast *toast;

  if (G_IS_TASK (result) &&
      g_task_get_source_tag (G_TASK (result)) == nt_strip_chart_export_png_async)
    ok = nt_strip_chart_export_png_finish (NT_STRIP_CHART (object), result, &error);
  else
    ok = nt_strip_chart_export_csv_finish (NT_STRIP_CHART (object), result, &error);

  if (ok)
    toast = adw_toast_new (_("Export written"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    {
      g_autofree char *text = g_strdup_printf (_("Could not export: %s"), error->message);

      toast = adw_toast_new (text);
      adw_toast_set_timeout (toast, 0);
    }

  window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (window != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (window), toast);
  else
    g_object_unref (toast);
}

typedef struct
{
  NtBeamPage *self;
  gboolean    png;
} ExportRequest;

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  ExportRequest *req = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (req->png)
        nt_strip_chart_export_png_async (req->self->chart, file, req->self->cancellable,
                                         export_done_cb, g_object_ref (req->self));
      else
        nt_strip_chart_export_csv_async (req->self->chart, file, req->self->cancellable,
                                         export_done_cb, g_object_ref (req->self));
    }

  g_object_unref (req->self);
  g_free (req);
  g_object_unref (dialog);
}

static void
export (NtBeamPage *self,
        gboolean    png)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *stamp = nt_time_format_local (nt_clock_now (), "%Y%m%d-%H%M");
  g_autofree char *name = g_strdup_printf ("ring-current-%s.%s", stamp, png ? "png" : "csv");
  GtkFileChooserNative *chooser;
  ExportRequest *req;

  chooser = gtk_file_chooser_native_new (png ? _("Export Chart as Image") : _("Export Visible Range as CSV"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);

  req = g_new0 (ExportRequest, 1);
  req->self = g_object_ref (self);
  req->png = png;
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), req);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  export (NT_BEAM_PAGE (widget), FALSE);
}

static void
export_png_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  export (NT_BEAM_PAGE (widget), TRUE);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  nt_context_start (NT_BEAM_PAGE (widget)->context);
}

static void
nt_beam_page_dispose (GObject *object)
{
  NtBeamPage *self = (NtBeamPage *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->status_id, g_source_remove);
  if (self->plan_cancellable != NULL)
    g_cancellable_cancel (self->plan_cancellable);
  g_clear_object (&self->plan_cancellable);
  g_clear_object (&self->schedule);
  nt_disconnect_and_clear (&self->context, self);
  g_clear_object (&self->feed);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), NT_TYPE_BEAM_PAGE);

  G_OBJECT_CLASS (nt_beam_page_parent_class)->dispose (object);
}

static void
nt_beam_page_class_init (NtBeamPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nt_beam_page_dispose;

  g_type_ensure (NT_TYPE_STRIP_CHART);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/nt-beam-page.ui");
  gtk_widget_class_bind_template_child (widget_class, NtBeamPage, flap);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPage, range_box);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPage, follow_button);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPage, chart_stack);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPage, failed_page);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPage, chart);
  gtk_widget_class_bind_template_child (widget_class, NtBeamPage, panel_box);
  gtk_widget_class_bind_template_callback (widget_class, follow_toggled_cb);

  gtk_widget_class_install_action (widget_class, "beam.export-csv", NULL, export_csv_action);
  gtk_widget_class_install_action (widget_class, "beam.export-png", NULL, export_png_action);
  gtk_widget_class_install_action (widget_class, "beam.retry", NULL, retry_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
nt_beam_page_init (NtBeamPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  nt_status_page_set_icon_when_shown (self->failed_page, "network-offline-symbolic");
  self->cancellable = g_cancellable_new ();
  /* The feed loads history in the background; say what it is doing. */
  self->status_id = nt_timeout_add_seconds_repeating (1, G_CALLBACK (update_status), self);

  nt_range_buttons_fill (self->range_box, ranges, G_N_ELEMENTS (ranges), self->range_buttons,
                         G_CALLBACK (range_toggled_cb), self);

  g_signal_connect_object (self->chart, "notify::follow-live",
                           G_CALLBACK (chart_follow_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
nt_beam_page_new (NtContext *context)
{
  NtBeamPage *self;
  g_autofree char *range = NULL;
  guint preset = 3;

  g_return_val_if_fail (NT_IS_CONTEXT (context), NULL);

  self = g_object_new (NT_TYPE_BEAM_PAGE, NULL);
  self->context = g_object_ref (context);

  nt_stored_current_add_series (self->chart, SERIES_CAPACITY);

  self->panel = nt_beam_panel_new (context);
  gtk_box_append (self->panel_box, self->panel);

  range = g_settings_get_string (nt_context_get_settings (context), "chart-range");
  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    {
      if (g_strcmp0 (range, range_settings[i]) == 0)
        preset = i;
    }
  gtk_toggle_button_set_active (self->range_buttons[preset], TRUE);
  nt_strip_chart_set_range (self->chart, ranges[preset]);

  nt_context_follow_state (context, G_CALLBACK (context_state_cb), self);

  return GTK_WIDGET (self);
}

/**
 * nt_beam_page_get_chart:
 *
 * Returns: (transfer none): the strip chart of the stored current
 */
NtStripChart *
nt_beam_page_get_chart (NtBeamPage *self)
{
  g_return_val_if_fail (NT_IS_BEAM_PAGE (self), NULL);
  return self->chart;
}

/**
 * nt_beam_page_get_panel:
 *
 * Returns: (transfer none): the beam panel beside the chart
 */
GtkWidget *
nt_beam_page_get_panel (NtBeamPage *self)
{
  g_return_val_if_fail (NT_IS_BEAM_PAGE (self), NULL);
  return self->panel;
}

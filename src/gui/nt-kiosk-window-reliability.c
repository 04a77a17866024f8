/* nt-kiosk-window-reliability.c: the kiosk's "How reliable is our beam?"
 *
 * This fiscal year so far, in plain words for visitors: out of every 100
 * hours of beam planned for experiments, how many the beam was there; how
 * often it was lost and how soon it came back; against the facility's
 * goal.  The figures are the services' statistics (GET /api/v1/statistics)
 * for the fiscal year of now, read again every ten minutes (sooner after
 * a failure, when the page says its figures may be out of date).  Words
 * in both languages are in nt-kiosk-texts.json.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-kiosk-window"

#include "config.h"

#include <math.h>

#include "nt-clock.h"
#include "nt-kiosk-window-private.h"
#include "nt-statistics-chart.h"
#include "nt-time.h"

#define RELIABILITY_RELOAD_SECONDS 600
#define RELIABILITY_RETRY_SECONDS  30

GtkWidget *
nt_kiosk_window_build_reliability_page (NtKioskWindow *self)
{
  GtkWidget *box = nt_kiosk_window_page_box ();
  GtkWidget *columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 48);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_box_append (GTK_BOX (box), nt_kiosk_window_bound_label (self, "reliability-title", "kiosk-title", FALSE));
  self->reliability_note = GTK_LABEL (nt_kiosk_window_make_label ("", "kiosk-subtitle", TRUE));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->reliability_note));

  gtk_widget_set_size_request (left, 360, -1);
  self->reliability_percent = GTK_LABEL (nt_kiosk_window_make_label ("", "kiosk-reliability-percent", FALSE));
  gtk_box_append (GTK_BOX (left), GTK_WIDGET (self->reliability_percent));
  gtk_box_append (GTK_BOX (columns), left);

  self->reliability_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 16));
  gtk_widget_set_hexpand (GTK_WIDGET (self->reliability_box), TRUE);
  gtk_box_append (GTK_BOX (columns), GTK_WIDGET (self->reliability_box));
  gtk_box_append (GTK_BOX (box), columns);

  /* The year's running sums: scheduled, delivered, the goal. */
  self->reliability_chart = nt_kiosk_window_speaker (self, nt_statistics_chart_new ());
  gtk_widget_set_size_request (self->reliability_chart, -1, 220);
  gtk_widget_set_vexpand (self->reliability_chart, FALSE);
  gtk_widget_set_can_target (self->reliability_chart, FALSE);
  gtk_widget_add_css_class (self->reliability_chart, "kiosk-reliability-chart");
  gtk_box_append (GTK_BOX (box), self->reliability_chart);

  nt_kiosk_window_rebuild_reliability (self);
  return box;
}

/* A sentence of the kiosk texts with {name} filled in. */
static char *
fill (NtKioskWindow *self,
      const char    *key,
      ...)
{
  g_autoptr(GString) s = g_string_new (nt_kiosk_window_text (self, key));
  const char *name;
  va_list args;

  va_start (args, key);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);
      g_autofree char *braced = g_strdup_printf ("{%s}", name);

      g_string_replace (s, braced, value, 0);
    }
  va_end (args);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
add_sentence (NtKioskWindow *self,
              GString       *all,
              char          *text)
{
  gtk_box_append (self->reliability_box, nt_kiosk_window_make_label (text, "kiosk-body", TRUE));
  g_string_append (all, text);
  g_string_append_c (all, '\n');
  g_free (text);
}

void
nt_kiosk_window_rebuild_reliability (NtKioskWindow *self)
{
  NtStatistics *s = self->reliability;
  g_autoptr(GString) all = g_string_new (NULL);
  GtkWidget *bar;

  if (self->reliability_box == NULL)
    return;

  nt_kiosk_window_remove_children (self->reliability_box);
  nt_statistics_chart_set_statistics (NT_STATISTICS_CHART (self->reliability_chart),
                                      s != NULL && isfinite (s->availability) ? s : NULL);
  if (s == NULL || !isfinite (s->availability))
    {
      const char *key = s != NULL ? "reliability-none"
                      : self->reliability_failed ? "reliability-stale" : "reliability-loading";

      gtk_label_set_label (self->reliability_percent, "");
      gtk_label_set_label (self->reliability_note, nt_kiosk_window_text (self, key));
      g_free (self->reliability_text);
      self->reliability_text = g_strdup (nt_kiosk_window_text (self, key));
      return;
    }

  {
    g_autofree char *percent = g_strdup_printf ("%.1f %%", s->availability);
    g_autofree char *fy = g_strdup_printf ("%d", nt_time_fiscal_year_of (s->from));
    g_autofree char *upto = nt_time_format_local (s->complete_to, nt_kiosk_window_text (self, "reliability-date"));
    g_autofree char *note = fill (self, self->reliability_failed ? "reliability-period-stale" : "reliability-period",
                                  "year", fy, "date", upto, NULL);

    gtk_label_set_label (self->reliability_percent, percent);
    /* Green when the goal is met; plain words otherwise, not an alarm. */
    if (s->availability >= s->target_availability)
      gtk_widget_add_css_class (GTK_WIDGET (self->reliability_percent), "kiosk-reliability-met");
    else
      gtk_widget_remove_css_class (GTK_WIDGET (self->reliability_percent), "kiosk-reliability-met");
    gtk_label_set_label (self->reliability_note, note);
    g_string_append_printf (all, "%s\n%s\n", note, percent);
  }

  bar = nt_share_bar_new (s->availability, 100, s->target_availability);
  gtk_widget_add_css_class (bar, "kiosk-reliability-bar");
  gtk_box_append (self->reliability_box, bar);

  {
    g_autofree char *hours = g_strdup_printf ("%.0f", s->availability);
    g_autofree char *scheduled = g_strdup_printf ("%.0f", s->scheduled_hours);
    g_autofree char *delivered = g_strdup_printf ("%.0f", s->delivered_hours);

    add_sentence (self, all, fill (self, "reliability-hours", "hours", hours, NULL));
    add_sentence (self, all, fill (self, "reliability-totals", "scheduled", scheduled,
                                   "delivered", delivered, NULL));
  }

  if (s->fault_count == 0)
    add_sentence (self, all, g_strdup (nt_kiosk_window_text (self, "reliability-no-faults")));
  else
    {
      g_autofree char *count = g_strdup_printf ("%u", s->fault_count);
      g_autofree char *between = g_strdup_printf ("%.0f", s->mtbf_hours);
      g_autofree char *minutes = g_strdup_printf ("%.0f", isfinite (s->mttr_hours) ? s->mttr_hours * 60 : 0);

      add_sentence (self, all, fill (self, s->fault_count == 1 ? "reliability-faults-one" : "reliability-faults",
                                     "count", count, "between", between, NULL));
      if (isfinite (s->mttr_hours))
        add_sentence (self, all, fill (self, "reliability-recovery", "minutes", minutes, NULL));
    }

  {
    g_autofree char *target = g_strdup_printf ("%.0f", s->target_availability);

    add_sentence (self, all, fill (self, s->availability >= s->target_availability ? "reliability-goal-met"
                                                                                   : "reliability-goal-missed",
                                   "target", target, NULL));
  }

  g_free (self->reliability_text);
  self->reliability_text = g_string_free (g_steal_pointer (&all), FALSE);
}

static gboolean
reliability_timer_cb (gpointer user_data)
{
  NtKioskWindow *self = user_data;

  self->reliability_id = 0;
  nt_kiosk_window_load_reliability (self);
  return G_SOURCE_REMOVE;
}

static void
reliability_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  NtStatistics *stats = nt_statistics_client_fetch_finish (NT_STATISTICS_CLIENT (source), result, &error);
  NtKioskWindow *self;
  gboolean filling;

  if (stats == NULL && nt_client_error_is_cancelled (error))
    return;
  self = NT_KIOSK_WINDOW (user_data);   /* dispose cancels the read */
  self->reliability_pending = FALSE;
  self->reliability_failed = stats == NULL;
  filling = stats != NULL && nt_statistics_is_filling (self->reliability, stats);
  if (stats != NULL)
    {
      g_clear_pointer (&self->reliability, nt_statistics_unref);
      self->reliability = stats;
    }
  else
    g_debug ("the statistics could not be read: %s", error->message);

  nt_kiosk_window_rebuild_reliability (self);
  g_clear_handle_id (&self->reliability_id, g_source_remove);
  /* Failed, or the archive still filling (the services' first start):
   * soon again. */
  self->reliability_id = g_timeout_add_seconds (self->reliability_failed || filling
                                                ? RELIABILITY_RETRY_SECONDS : RELIABILITY_RELOAD_SECONDS,
                                                reliability_timer_cb, self);
}

void
nt_kiosk_window_load_reliability (NtKioskWindow *self)
{
  const char *base = nt_context_get_base_uri (self->context);
  gint64 from, to;

  if (self->reliability_box == NULL || self->reliability_pending || base == NULL)
    return;

  if (self->reliability_client == NULL ||
      g_strcmp0 (nt_statistics_client_get_base_uri (self->reliability_client), base) != 0)
    {
      g_clear_object (&self->reliability_client);
      self->reliability_client = nt_statistics_client_new (base, nt_context_get_token (self->context));
    }
  else
    nt_statistics_client_set_token (self->reliability_client, nt_context_get_token (self->context));

  g_clear_handle_id (&self->reliability_id, g_source_remove);
  nt_time_fiscal_year_bounds (nt_time_fiscal_year_of (nt_clock_now ()), &from, &to);
  self->reliability_pending = TRUE;
  nt_statistics_client_fetch_async (self->reliability_client, from, to, self->cancellable,
                                    reliability_cb, self);
}

/**
 * nt_kiosk_window_get_reliability_text:
 *
 * Returns: the words of the reliability page, one sentence a line
 */
const char *
nt_kiosk_window_get_reliability_text (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), NULL);
  return self->reliability_text != NULL ? self->reliability_text : "";
}

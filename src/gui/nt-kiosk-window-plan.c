/* nt-kiosk-window-plan.c: the kiosk's run-plan page
 *
 * Today's periods, the week's, the beam time booked today one line per
 * station, and the week's hours of user operation, read from the
 * scheduling service for the local day and read again every few minutes
 * (sooner after a failure, when the kiosk then says its plan may be out
 * of date).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-kiosk-window"

#include "config.h"

#include "nt-clock.h"
#include "nt-kiosk-window-private.h"
#include "nt-run-plan.h"
#include "nt-schedule-client.h"
#include "nt-time.h"

#define PLAN_RELOAD_SECONDS   300
#define PLAN_RETRY_SECONDS    15

static GtkWidget *
plan_column (NtKioskWindow *self,
             const char    *key,
             GtkBox       **rows)
{
  GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

  gtk_widget_set_hexpand (column, TRUE);
  gtk_box_append (GTK_BOX (column), nt_kiosk_window_bound_label (self, key, "kiosk-heading", FALSE));
  *rows = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));
  gtk_box_append (GTK_BOX (column), GTK_WIDGET (*rows));

  return column;
}

GtkWidget *
nt_kiosk_window_build_plan_page (NtKioskWindow *self)
{
  GtkWidget *box = nt_kiosk_window_page_box ();
  GtkWidget *columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 48);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);

  gtk_box_set_homogeneous (GTK_BOX (columns), TRUE);

  gtk_box_append (GTK_BOX (box), nt_kiosk_window_bound_label (self, "plan-title", "kiosk-title", FALSE));
  self->plan_note = GTK_LABEL (nt_kiosk_window_make_label ("", "kiosk-subtitle", TRUE));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->plan_note));

  gtk_box_append (GTK_BOX (left), plan_column (self, "plan-today", &self->plan_today_box));
  gtk_box_append (GTK_BOX (left), plan_column (self, "plan-beamtime", &self->plan_beamtime_box));
  gtk_box_append (GTK_BOX (columns), left);
  gtk_box_append (GTK_BOX (columns), plan_column (self, "plan-week", &self->plan_week_box));
  gtk_box_append (GTK_BOX (box), columns);

  self->plan_hours = GTK_LABEL (nt_kiosk_window_make_label ("", "kiosk-heading", TRUE));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->plan_hours));

  nt_kiosk_window_rebuild_plan (self);

  return box;
}

static gint64
local_day_start (gint64 t)
{
  g_autoptr(GDateTime) local = nt_time_to_local (t);

  return nt_time_from_local (g_date_time_get_year (local), g_date_time_get_month (local),
                             g_date_time_get_day_of_month (local), 0, 0);
}

/* "09:00 – 17:00" within @day, dates added for an end outside it; the
 * end of the day itself is 24:00. */
static char *
format_span (gint64 start,
             gint64 end,
             gint64 day)
{
  gint64 day_end = day + 24 * 3600;
  gboolean dates = start < day || end > day_end;
  g_autofree char *a = nt_time_format_local (start, dates ? "%m/%d %H:%M" : "%H:%M");
  g_autofree char *b = (end == day_end && !dates) ? g_strdup ("24:00")
                                                  : nt_time_format_local (end, dates ? "%m/%d %H:%M" : "%H:%M");

  return g_strdup_printf ("%s – %s", a, b);
}

static int
compare_allocations (gconstpointer a,
                     gconstpointer b)
{
  NtAllocation *x = *(NtAllocation **)a;
  NtAllocation *y = *(NtAllocation **)b;
  int c = g_strcmp0 (nt_allocation_get_station (x), nt_allocation_get_station (y));

  if (c != 0)
    return c;
  return nt_allocation_get_start (x) < nt_allocation_get_start (y) ? -1
       : nt_allocation_get_start (x) > nt_allocation_get_start (y);
}

static void
add_plan_row (NtKioskWindow *self,
              GtkBox        *box,
              GString       *all,
              const char    *line)
{
  gtk_box_append (box, nt_kiosk_window_make_label (line, "kiosk-plan-row", TRUE));
  g_string_append (all, line);
  g_string_append_c (all, '\n');
}

void
nt_kiosk_window_rebuild_plan (NtKioskWindow *self)
{
  g_autoptr(GString) all = g_string_new (NULL);
  gint64 day = self->plan_day;
  gint64 week_end = day + 7 * 24 * 3600;
  gint64 day_end = day + 24 * 3600;
  gint64 user_seconds = 0;
  guint n_today = 0, n_week = 0, n_beamtime = 0;

  if (self->plan_today_box == NULL)
    return;

  nt_kiosk_window_remove_children (self->plan_today_box);
  nt_kiosk_window_remove_children (self->plan_week_box);
  nt_kiosk_window_remove_children (self->plan_beamtime_box);

  if (self->periods == NULL)
    {
      gtk_label_set_label (self->plan_note, nt_kiosk_window_text (self, self->plan_failed ? "plan-stale" : "plan-loading"));
      gtk_label_set_label (self->plan_hours, "");
      g_free (self->plan_text);
      self->plan_text = g_strdup ("");
      return;
    }

  gtk_label_set_label (self->plan_note, self->plan_stale ? nt_kiosk_window_text (self, "plan-stale") : "");

  for (guint i = 0; i < self->periods->len; i++)
    {
      NtRunPeriod *period = g_ptr_array_index (self->periods, i);
      gint64 start = nt_run_period_get_start (period);
      gint64 end = nt_run_period_get_end (period);
      const char *kind = nt_kiosk_window_lookup (self, "kinds", nt_period_kind_to_string (nt_run_period_get_kind (period)));
      g_autofree char *line = NULL;

      if (end <= day || start >= week_end)
        continue;

      if (start < day_end)
        {
          g_autofree char *today = NULL;
          g_autofree char *span = NULL;

          if (start <= day && end >= day_end)
            span = g_strdup (nt_kiosk_window_text (self, "all-day"));
          else
            span = format_span (MAX (start, day), MIN (end, day_end), day);
          today = g_strdup_printf ("%s  %s", span, kind);
          add_plan_row (self, self->plan_today_box, all, today);
          n_today++;
        }

      {
        g_autofree char *span = format_span (MAX (start, day), MIN (end, week_end), week_end);

        line = g_strdup_printf ("%s  %s", span, kind);
        add_plan_row (self, self->plan_week_box, all, line);
        n_week++;
      }

      if (nt_run_period_get_kind (period) == NT_PERIOD_USER_OPERATION)
        user_seconds += MIN (end, week_end) - MAX (start, day);
    }

  if (n_today == 0)
    add_plan_row (self, self->plan_today_box, all, nt_kiosk_window_text (self, "plan-empty"));
  if (n_week == 0)
    add_plan_row (self, self->plan_week_box, all, nt_kiosk_window_text (self, "plan-empty"));

  /* Beam time today, one line per station. */
  if (self->allocations != NULL)
    {
      g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
      g_autoptr(GString) line = NULL;
      const char *station = NULL;

      for (guint i = 0; i < self->allocations->len; i++)
        {
          NtAllocation *a = g_ptr_array_index (self->allocations, i);

          if (nt_allocation_get_status (a) != NT_ALLOCATION_CANCELLED &&
              nt_allocation_get_end (a) > day && nt_allocation_get_start (a) < day_end)
            g_ptr_array_add (sorted, a);
        }
      g_ptr_array_sort (sorted, compare_allocations);

      for (guint i = 0; i < sorted->len; i++)
        {
          NtAllocation *a = g_ptr_array_index (sorted, i);
          g_autofree char *span = format_span (nt_allocation_get_start (a), nt_allocation_get_end (a), day);

          if (g_strcmp0 (station, nt_allocation_get_station (a)) != 0)
            {
              if (line != NULL)
                {
                  add_plan_row (self, self->plan_beamtime_box, all, line->str);
                  n_beamtime++;
                  g_string_free (g_steal_pointer (&line), TRUE);
                }
              station = nt_allocation_get_station (a);
              line = g_string_new (station);
              g_string_append (line, "  ");
            }
          else
            g_string_append (line, " · ");
          g_string_append_printf (line, "%s %s", nt_kiosk_window_text (self, nt_slot_to_string (nt_allocation_get_slot (a))), span);
        }
      if (line != NULL)
        {
          add_plan_row (self, self->plan_beamtime_box, all, line->str);
          n_beamtime++;
        }
    }
  if (n_beamtime == 0)
    add_plan_row (self, self->plan_beamtime_box, all, nt_kiosk_window_text (self, "plan-no-beamtime"));

  {
    g_autofree char *hours = g_strdup_printf ("%" G_GINT64_FORMAT, user_seconds / 3600);
    g_autoptr(GString) sentence = g_string_new (nt_kiosk_window_text (self, "plan-week-hours"));

    g_string_replace (sentence, "{hours}", hours, 0);
    gtk_label_set_label (self->plan_hours, sentence->str);
    g_string_append (all, sentence->str);
  }

  g_free (self->plan_text);
  self->plan_text = g_string_free (g_steal_pointer (&all), FALSE);
}

static gboolean
plan_timer_cb (gpointer user_data)
{
  NtKioskWindow *self = user_data;

  self->plan_id = 0;
  nt_kiosk_window_load_plan (self);

  return G_SOURCE_REMOVE;
}

static void
plan_part_done (NtKioskWindow *self,
                GError        *error)
{
  if (error != NULL)
    {
      g_debug ("the run plan could not be read: %s", error->message);
      self->plan_failed = TRUE;
    }

  if (--self->plan_pending > 0)
    return;

  self->plan_stale = self->plan_failed;
  nt_kiosk_window_rebuild_plan (self);

  g_clear_handle_id (&self->plan_id, g_source_remove);
  self->plan_id = g_timeout_add_seconds (self->plan_failed ? PLAN_RETRY_SECONDS : PLAN_RELOAD_SECONDS,
                                         plan_timer_cb, self);
}

/* One of the two reads of the plan: its periods, or its allocations. */
typedef struct
{
  NtKioskWindow *self;     /* not a reference: dispose cancels the read */
  gboolean       periods;
} PlanRead;

static gpointer
plan_read_new (NtKioskWindow *self,
               gboolean       periods)
{
  PlanRead *read = g_new0 (PlanRead, 1);

  read->self = self;
  read->periods = periods;
  return read;
}

static void
plan_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree PlanRead *read = user_data;
  NtScheduleClient *client = NT_SCHEDULE_CLIENT (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GPtrArray **part;

  list = read->periods ? nt_schedule_client_list_run_plan_finish (client, result, NULL, &error)
                       : nt_schedule_client_list_allocations_finish (client, result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  part = read->periods ? &read->self->periods : &read->self->allocations;
  if (list != NULL)
    {
      g_clear_pointer (part, g_ptr_array_unref);
      *part = g_steal_pointer (&list);
    }
  plan_part_done (read->self, error);
}

void
nt_kiosk_window_load_plan (NtKioskWindow *self)
{
  NtScheduleClient *client = nt_context_get_schedule_client (self->context);
  gint64 day;

  if (client == NULL || self->plan_pending > 0 || self->plan_today_box == NULL)
    return;

  g_clear_handle_id (&self->plan_id, g_source_remove);
  day = local_day_start (nt_clock_now ());
  self->plan_failed = FALSE;
  self->plan_pending = 2;

  /* The callbacks run only while the window lives: dispose cancels. */
  nt_schedule_client_list_run_plan_async (client, day, day + 7 * 24 * 3600, self->cancellable,
                                          plan_read_cb, plan_read_new (self, TRUE));
  nt_schedule_client_list_allocations_async (client, day, day + 24 * 3600, NULL, NT_SLOT_ANY,
                                             self->cancellable, plan_read_cb, plan_read_new (self, FALSE));
  self->plan_day = day;
}

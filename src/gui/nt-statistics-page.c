/* nt-statistics-page.c: the Statistics area
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Availability, beam losses, MTBF/MTTR and per-beamline delivered hours of
 * a run, a term or a fiscal year, as the services compute them (GET
 * /api/v1/statistics).  The ranges come from the run plan: the fiscal
 * years of now and the year before, their terms, and their runs (a run is
 * a stretch of periods with beam between maintenance, inspection or
 * shutdown).  While the range reaches past now the area asks again every
 * minute (a monotonic timeout); the figures then grow with the run.  The
 * fault list sorts by any column and opens the Beam chart at a loss.
 */
#define G_LOG_DOMAIN "nt-statistics-page"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "nt-clock.h"
#include "nt-share-bar.h"
#include "nt-statistics-page-private.h"
#include "nt-time.h"
#include "nt-view-property.h"
#include "nt-widget-util.h"

#define LIVE_REFRESH_SECONDS    60
#define FILLING_REFRESH_SECONDS 10

G_DEFINE_FINAL_TYPE (NtStatisticsPage, nt_statistics_page, GTK_TYPE_WIDGET)

/* ---- one row of the fault list ---- */

#define NT_TYPE_FAULT_ROW (nt_fault_row_get_type ())
G_DECLARE_FINAL_TYPE (NtFaultRow, nt_fault_row, NT, FAULT_ROW, GObject)

struct _NtFaultRow
{
  GObject       parent_instance;
  NtStatistics *stats;
  guint         index;
};

G_DEFINE_FINAL_TYPE (NtFaultRow, nt_fault_row, G_TYPE_OBJECT)

static void
nt_fault_row_finalize (GObject *object)
{
  g_clear_pointer (&NT_FAULT_ROW (object)->stats, nt_statistics_unref);
  G_OBJECT_CLASS (nt_fault_row_parent_class)->finalize (object);
}

static void
nt_fault_row_class_init (NtFaultRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nt_fault_row_finalize;
}

static void
nt_fault_row_init (NtFaultRow *self)
{
}

static const NtStatisticsFault *
row_fault (gpointer item)
{
  NtFaultRow *row = item;

  return &g_array_index (row->stats->faults, NtStatisticsFault, row->index);
}

/* How long the beam was lost; a loss not yet recovered counts to the end
 * of the figures. */
static double
fault_hours (NtStatistics            *stats,
             const NtStatisticsFault *fault)
{
  gint64 end = fault->recovered != 0 ? fault->recovered : stats->complete_to;

  return MAX (end - fault->start, 0) / 3600.0;
}

/* ---- words ---- */

typedef enum
{
  COLUMN_START,
  COLUMN_DURATION,
  COLUMN_LOST,
  COLUMN_MODE,
  COLUMN_MESSAGE,
  N_COLUMNS
} Column;

char *
nt_statistics_format_duration (double hours)
{
  gint64 minutes = (gint64)round (hours * 60);

  if (!isfinite (hours))
    return g_strdup ("—");
  if (minutes < 60)
    return g_strdup_printf (_("%d min"), (int)minutes);
  return g_strdup_printf (_("%d h %02d min"), (int)(minutes / 60), (int)(minutes % 60));
}

const char *
nt_statistics_mode_words (const char *nick)
{
  static const struct { const char *nick; const char *words; } modes[] = {
    { "user", N_("User operation") },
    { "machine-study", N_("Machine study") },
    { "maintenance", N_("Maintenance") },
    { "shutdown", N_("Shutdown") },
    { "beam-dump", N_("Beam dump") },
    { "injection", N_("Injection") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (g_strcmp0 (nick, modes[i].nick) == 0)
      return _(modes[i].words);
  return nick;
}

static char *
cell_text (NtStatistics            *stats,
           const NtStatisticsFault *fault,
           Column                   column)
{
  switch (column)
    {
    case COLUMN_START:
      return nt_time_format_local (fault->start, "%Y-%m-%d %H:%M");
    case COLUMN_DURATION:
      {
        g_autofree char *d = nt_statistics_format_duration (fault_hours (stats, fault));

        return fault->recovered != 0 ? g_steal_pointer (&d)
                                     : g_strdup_printf (_("%s, not recovered yet"), d);
      }
    case COLUMN_LOST:
      return g_strdup_printf (_("%.2f h"), fault->lost_hours);
    case COLUMN_MODE:
      return g_strdup (nt_statistics_mode_words (fault->mode));
    case COLUMN_MESSAGE:
      return g_strdup (fault->message);
    case N_COLUMNS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- showing ---- */

void
nt_statistics_page_show_message (NtStatisticsPage *self,
                                 const char       *text,
                                 gboolean          sticky)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  g_free (self->last_message);
  self->last_message = g_strdup (text);
  if (overlay != NULL)
    {
      AdwToast *toast = adw_toast_new (text);

      if (sticky)
        adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
    }
}

const char *
nt_statistics_range_title (NtStatisticsPage *self)
{
  for (guint i = 0; i < self->ranges->len; i++)
    {
      NtStatisticsRange *r = &g_array_index (self->ranges, NtStatisticsRange, i);

      if (r->from == self->from && r->to == self->to)
        return r->label;
    }
  return "";
}

/* Hours, or (@percent) a percentage; "—" for a figure there is not. */
static void
set_label_number (GtkLabel *label,
                  gboolean  percent,
                  double    value)
{
  g_autofree char *text = !isfinite (value) ? g_strdup ("—")
                        : percent ? g_strdup_printf (_("%.1f %%"), value)
                        : g_strdup_printf (_("%.1f h"), value);

  gtk_label_set_label (label, text);
}

static void
show_beamlines (NtStatisticsPage *self)
{
  NtStatistics *stats = self->stats;
  GtkWidget *child;
  const char *heads[] = { N_("Beamline"), N_("Public"), "", N_("Coalition"), "" };

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->beamline_grid))) != NULL)
    gtk_grid_remove (self->beamline_grid, child);

  for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
    if (*heads[c] != '\0')
      {
        GtkWidget *head = gtk_label_new (_(heads[c]));

        gtk_label_set_xalign (GTK_LABEL (head), 0);
        gtk_widget_add_css_class (head, "dim-label");
        gtk_grid_attach (self->beamline_grid, head, (int)c, 0, c == 0 ? 1 : 2, 1);
      }

  for (guint i = 0; i < stats->beamlines->len; i++)
    {
      const NtStatisticsBeamline *b = &g_array_index (stats->beamlines, NtStatisticsBeamline, i);
      const struct { double delivered, allocated; const char *slot; } parts[] = {
        { b->delivered_public_hours, b->allocated_public_hours, _("public") },
        { b->delivered_coalition_hours, b->allocated_coalition_hours, _("coalition") },
      };
      GtkWidget *id = gtk_label_new (b->beamline);

      gtk_label_set_xalign (GTK_LABEL (id), 0);
      gtk_widget_add_css_class (id, "statistics-beamline-id");
      gtk_grid_attach (self->beamline_grid, id, 0, (int)i + 1, 1, 1);

      for (guint k = 0; k < G_N_ELEMENTS (parts); k++)
        {
          g_autofree char *text = NULL;
          g_autofree char *name = NULL;
          GtkWidget *label, *bar;

          if (parts[k].allocated <= 0 && parts[k].delivered <= 0)
            {
              label = gtk_label_new ("—");
              gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              _("No hours allocated"), -1);
              gtk_label_set_xalign (GTK_LABEL (label), 0);
              gtk_widget_add_css_class (label, "dim-label");
              gtk_grid_attach (self->beamline_grid, label, 1 + 2 * (int)k, (int)i + 1, 1, 1);
              continue;
            }

          text = g_strdup_printf (_("%.1f of %.1f h"), parts[k].delivered, parts[k].allocated);
          label = gtk_label_new (text);
          gtk_label_set_xalign (GTK_LABEL (label), 1);
          gtk_widget_add_css_class (label, "numeric");
          bar = nt_share_bar_new (parts[k].delivered, MAX (parts[k].allocated, parts[k].delivered), -1);
          gtk_widget_set_hexpand (bar, TRUE);
          gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
          /* TRANSLATORS: "BL02U public: 118.0 of 120.0 h delivered" */
          name = g_strdup_printf (_("%s %s: %.1f of %.1f h delivered"), b->beamline, parts[k].slot,
                                  parts[k].delivered, parts[k].allocated);
          gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
          gtk_grid_attach (self->beamline_grid, bar, 1 + 2 * (int)k, (int)i + 1, 1, 1);
          gtk_grid_attach (self->beamline_grid, label, 2 + 2 * (int)k, (int)i + 1, 1, 1);
        }
    }
}

static void
show_faults (NtStatisticsPage *self)
{
  NtStatistics *stats = self->stats;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < stats->faults->len; i++)
    {
      NtFaultRow *row = g_object_new (NT_TYPE_FAULT_ROW, NULL);

      row->stats = nt_statistics_ref (stats);
      row->index = i;
      g_ptr_array_add (rows, row);
    }
  g_list_store_splice (self->fault_store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->fault_store)),
                       rows->pdata, rows->len);
  gtk_stack_set_visible_child_name (self->fault_stack, stats->faults->len > 0 ? "list" : "none");
}

static void
show_statistics (NtStatisticsPage *self)
{
  NtStatistics *stats = self->stats;
  double availability = stats->availability;
  gboolean met = isfinite (availability) && availability >= stats->target_availability;
  g_autofree char *target = NULL;
  g_autofree char *complete = NULL;
  g_autofree char *faults = NULL;
  g_autofree char *mttr = NULL;
  g_autofree char *a11y = NULL;

  if (stats->scheduled_hours <= 0 && !nt_statistics_is_live (stats))
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  set_label_number (self->availability_label, TRUE, availability);
  nt_widget_set_class (GTK_WIDGET (self->availability_label), "statistics-met", met);
  nt_widget_set_class (GTK_WIDGET (self->availability_label), "statistics-missed",
                       isfinite (availability) && !met);
  if (!isfinite (availability))
    target = g_strdup_printf (_("Target %.1f %%: no user time scheduled yet"), stats->target_availability);
  else if (met)
    target = g_strdup_printf (_("Target %.1f %%: met"), stats->target_availability);
  else
    target = g_strdup_printf (_("Target %.1f %%: missed by %.1f points"), stats->target_availability,
                              stats->target_availability - availability);
  gtk_label_set_label (self->target_label, target);
  a11y = g_strdup_printf (_("Availability %s. %s"), gtk_label_get_label (self->availability_label), target);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->availability_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);

  if (self->availability_bar != NULL)
    gtk_box_remove (self->availability_box, self->availability_bar);
  self->availability_bar = nt_share_bar_new (isfinite (availability) ? availability : 0, 100,
                                             stats->target_availability);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->availability_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  gtk_box_append (self->availability_box, self->availability_bar);

  set_label_number (self->scheduled_label, FALSE, stats->scheduled_hours);
  set_label_number (self->delivered_label, FALSE, stats->delivered_hours);
  set_label_number (self->unknown_label, FALSE, stats->unknown_hours);
  faults = g_strdup_printf ("%u", stats->fault_count);
  gtk_label_set_label (self->faults_label, faults);
  set_label_number (self->mtbf_label, FALSE, stats->mtbf_hours);
  mttr = nt_statistics_format_duration (stats->mttr_hours);
  gtk_label_set_label (self->mttr_label, mttr);

  {
    g_autofree char *upto = nt_time_format_local (stats->complete_to, "%Y-%m-%d %H:%M");
    g_autofree char *threshold = g_strdup_printf ("%.0f", stats->threshold_fraction * 100);

    if (nt_statistics_is_live (stats))
      /* TRANSLATORS: the figures of a run under way */
      complete = g_strdup_printf (_("Figures up to %s (Japan time), updated every minute while the range is under way. Beam counts as delivered at or above %s %% of the planned current; a loss counts after %.0f s."),
                                  upto, threshold, stats->grace_seconds);
    else
      complete = g_strdup_printf (_("Figures to the end of the range. Beam counts as delivered at or above %s %% of the planned current; a loss counts after %.0f s."),
                                  threshold, stats->grace_seconds);
    if (stats->unknown_hours >= 0.05)
      {
        /* TRANSLATORS: appended to the sentence about the figures */
        g_autofree char *gap = g_strdup_printf (_("%.1f h of the scheduled time have no archived beam (shaded in the chart): they count as not delivered."),
                                                stats->unknown_hours);
        g_autofree char *both = g_strconcat (complete, "\n", gap, NULL);

        gtk_label_set_label (self->complete_label, both);
      }
    else
      gtk_label_set_label (self->complete_label, complete);
  }

  nt_statistics_chart_set_statistics (self->chart, stats);
  show_faults (self);
  show_beamlines (self);
  gtk_stack_set_visible_child_name (self->stack, "figures");
}

static void update_actions (NtStatisticsPage *self);
static void range_selected_cb (NtStatisticsPage *self);
static void fetch (NtStatisticsPage *self);

static gboolean
refresh_cb (gpointer data)
{
  NtStatisticsPage *self = data;

  self->refresh_id = 0;
  fetch (self);
  return G_SOURCE_REMOVE;
}

/* The status line beside the range; ellipsized where it is narrow, so its
 * tooltip holds the whole text. */
static void
set_status (NtStatisticsPage *self,
            const char       *text)
{
  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), *text != '\0' ? text : NULL);
}

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  NtStatistics *stats = nt_statistics_client_fetch_finish (NT_STATISTICS_CLIENT (source), result, &error);
  NtStatisticsPage *self;

  if (stats == NULL && nt_client_error_is_cancelled (error))
    return;
  self = NT_STATISTICS_PAGE (user_data);
  g_clear_object (&self->fetch);
  self->n_reads++;

  if (stats == NULL)
    {
      if (self->stats != NULL && self->stats->from == self->from && self->stats->to == self->to)
        {
          /* Live figures stay; say they could not be brought up to date. */
          g_autofree char *text = g_strdup_printf (_("Not updated: %s"), error->message);

          set_status (self, text);
        }
      else
        {
          g_clear_pointer (&self->stats, nt_statistics_unref);
          adw_status_page_set_description (self->error_page, error->message);
          gtk_stack_set_visible_child_name (self->stack, "error");
          set_status (self, "");
        }
      if (g_error_matches (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_AUTH))
        nt_context_set_token_refused (self->context, TRUE);
      /* A run under way is asked for again; so is a passing failure. */
      self->refresh_seconds = LIVE_REFRESH_SECONDS;
      self->refresh_id = g_timeout_add_seconds (LIVE_REFRESH_SECONDS, refresh_cb, self);
      update_actions (self);
      return;
    }

  nt_statistics_page_show_answer (self, stats);
}

static void
fetch (NtStatisticsPage *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  /* Read only while shown: the embedded services would otherwise compute
   * a fiscal year at every start (and every minute) for nobody. */
  self->fetch_wanted = !gtk_widget_get_mapped (GTK_WIDGET (self));
  if (self->fetch_wanted)
    return;
  if (self->fetch != NULL)
    {
      g_cancellable_cancel (self->fetch);
      g_clear_object (&self->fetch);
    }
  if (self->client == NULL || self->from >= self->to)
    return;

  if (self->stats == NULL || self->stats->from != self->from || self->stats->to != self->to)
    gtk_stack_set_visible_child_name (self->stack, "loading");

  self->fetch = g_cancellable_new ();
  nt_statistics_client_fetch_async (self->client, self->from, self->to, self->fetch, fetch_cb, self);
}

/* ---- ranges ---- */

static void
range_clear (gpointer data)
{
  g_free (((NtStatisticsRange *)data)->label);
}

static void
add_range (GArray *ranges,
           gint64  from,
           gint64  to,
           char   *label)
{
  NtStatisticsRange r = { label, from, to };

  g_array_append_val (ranges, r);
}

static char *
format_day (gint64 t)
{
  /* TRANSLATORS: a day in a range's name, as strftime: "15 Jun 2026" */
  return nt_time_format_local (t, _("%-d %b %Y"));
}

/* The runs of one fiscal year from the run plan: stretches of periods
 * with beam, each named by its number and dates; only those started by
 * @now. */
static void
add_runs (GArray    *ranges,
          GPtrArray *periods,
          int        fiscal_year,
          gint64     now)
{
  gint64 fy_start, fy_end, run_start = 0, run_end = 0;
  guint number = 0;

  nt_time_fiscal_year_bounds (fiscal_year, &fy_start, &fy_end);
  for (guint i = 0; i <= (periods != NULL ? periods->len : 0); i++)
    {
      NtRunPeriod *p = periods != NULL && i < periods->len ? g_ptr_array_index (periods, i) : NULL;
      gboolean beam = p != NULL && nt_period_kind_has_beam (nt_run_period_get_kind (p)) &&
                      nt_run_period_get_start (p) >= fy_start && nt_run_period_get_start (p) < fy_end;

      if (beam && run_end != 0 && nt_run_period_get_start (p) <= run_end)
        {
          run_end = MAX (run_end, nt_run_period_get_end (p));
          continue;
        }
      if (run_end != 0 && run_start < now)
        {
          g_autofree char *a = format_day (run_start);
          g_autofree char *b = format_day (run_end - 1);

          number++;
          /* TRANSLATORS: "Run 3 of FY2026: 15 Jun 2026 – 13 Jul 2026" */
          add_range (ranges, run_start, run_end,
                     g_strdup_printf (_("Run %u of FY%d: %s – %s"), number, fiscal_year, a, b));
        }
      else if (run_end != 0)
        number++;
      run_start = run_end = 0;
      if (beam)
        {
          run_start = nt_run_period_get_start (p);
          run_end = nt_run_period_get_end (p);
        }
    }
}

static void
build_ranges (NtStatisticsPage *self,
              GPtrArray        *periods)
{
  gint64 now = nt_clock_now ();
  int fy_now = nt_time_fiscal_year_of (now);
  g_autoptr(GArray) ranges = g_array_new (FALSE, TRUE, sizeof (NtStatisticsRange));
  g_autofree const char **names = NULL;
  guint selected = 0;
  gint64 best = G_MININT64;

  g_array_set_clear_func (ranges, range_clear);

  for (int fy = fy_now; fy >= fy_now - 1; fy--)
    {
      gint64 a, b;

      nt_time_fiscal_year_bounds (fy, &a, &b);
      add_range (ranges, a, b, g_strdup_printf (_("Fiscal year %d (April %d – March %d)"), fy, fy, fy + 1));
      for (NtTerm term = NT_TERM_A; term <= NT_TERM_B; term++)
        {
          g_autofree char *name = nt_time_term_name (fy, term);

          nt_time_term_bounds (fy, term, &a, &b);
          if (a < now)
            add_range (ranges, a, b,
                       g_strdup_printf (term == NT_TERM_A ? _("Term %s (April – September)")
                                                          : _("Term %s (October – March)"), name));
        }
      add_runs (ranges, periods, fy, now);
    }

  /* What is chosen stays chosen; else the latest run started (the one
   * under way, if any), else this fiscal year. */
  for (guint i = 0; i < ranges->len; i++)
    {
      NtStatisticsRange *r = &g_array_index (ranges, NtStatisticsRange, i);

      if (self->chosen && r->from == self->from && r->to == self->to)
        {
          selected = i;
          best = G_MAXINT64;
        }
      else if (!self->chosen && r->to - r->from < 120 * 24 * 3600 && r->from > best && r->from < now)
        {
          best = r->from;
          selected = i;
        }
    }

  g_clear_pointer (&self->ranges, g_array_unref);
  self->ranges = g_steal_pointer (&ranges);

  names = g_new0 (const char *, self->ranges->len + 1);
  for (guint i = 0; i < self->ranges->len; i++)
    names[i] = g_array_index (self->ranges, NtStatisticsRange, i).label;
  g_signal_handlers_block_by_func (self->range_dropdown, range_selected_cb, self);
  gtk_string_list_splice (self->range_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->range_names)), names);
  gtk_drop_down_set_selected (self->range_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->range_dropdown, range_selected_cb, self);

  if (!self->chosen && self->ranges->len > 0)
    {
      NtStatisticsRange *r = &g_array_index (self->ranges, NtStatisticsRange, selected);

      self->from = r->from;
      self->to = r->to;
    }
  fetch (self);
}

static void
plan_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) periods = nt_schedule_client_list_run_plan_finish (NT_SCHEDULE_CLIENT (source),
                                                                          result, NULL, &error);
  NtStatisticsPage *self;

  if (periods == NULL && nt_client_error_is_cancelled (error))
    return;
  self = NT_STATISTICS_PAGE (user_data);
  if (periods == NULL)
    g_message ("The run plan could not be read for the statistics' runs: %s", error->message);
  self->plan_read = TRUE;
  /* Without the plan the terms and years are still there to choose. */
  build_ranges (self, periods);
}

static void
range_selected_cb (NtStatisticsPage *self)
{
  guint i = gtk_drop_down_get_selected (self->range_dropdown);
  NtStatisticsRange *r;

  if (self->ranges == NULL || i >= self->ranges->len)
    return;
  r = &g_array_index (self->ranges, NtStatisticsRange, i);
  if (r->from == self->from && r->to == self->to)
    return;
  self->chosen = TRUE;
  self->from = r->from;
  self->to = r->to;
  fetch (self);
}

static void
token_cb (NtStatisticsPage *self)
{
  if (self->client != NULL)
    {
      nt_statistics_client_set_token (self->client, nt_context_get_token (self->context));
      fetch (self);
    }
}

static void
context_state_cb (NtStatisticsPage *self)
{
  gint64 a, b, unused;

  switch (nt_context_get_state (self->context))
    {
    case NT_CONTEXT_IDLE:
    case NT_CONTEXT_STARTING:
      gtk_stack_set_visible_child_name (self->stack, "loading");
      break;

    case NT_CONTEXT_FAILED:
      adw_status_page_set_description (self->error_page,
                                       nt_context_get_error (self->context)
                                       ? nt_context_get_error (self->context)->message : NULL);
      gtk_stack_set_visible_child_name (self->stack, "error");
      break;

    case NT_CONTEXT_READY:
      if (self->client != NULL &&
          g_strcmp0 (nt_statistics_client_get_base_uri (self->client), nt_context_get_base_uri (self->context)) == 0)
        break;
      g_clear_object (&self->client);
      self->client = nt_statistics_client_new (nt_context_get_base_uri (self->context),
                                               nt_context_get_token (self->context));
      nt_time_fiscal_year_bounds (nt_time_fiscal_year_of (nt_clock_now ()) - 1, &a, &unused);
      nt_time_fiscal_year_bounds (nt_time_fiscal_year_of (nt_clock_now ()), &unused, &b);
      nt_schedule_client_list_run_plan_async (nt_context_get_schedule_client (self->context), a, b,
                                              self->cancellable, plan_cb, self);
      break;

    default:
      g_return_if_reached ();
    }
}

/* ---- the fault list ---- */

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);
  Column column = GPOINTER_TO_INT (data);

  gtk_label_set_xalign (GTK_LABEL (label), column == COLUMN_LOST || column == COLUMN_DURATION ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), column == COLUMN_MESSAGE ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  if (column != COLUMN_MESSAGE && column != COLUMN_MODE)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  data)
{
  NtFaultRow *row = gtk_list_item_get_item (item);
  g_autofree char *text = cell_text (row->stats, row_fault (row), GPOINTER_TO_INT (data));

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
  if (GPOINTER_TO_INT (data) == COLUMN_MESSAGE)
    gtk_widget_set_tooltip_text (gtk_list_item_get_child (item), text);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const NtStatisticsFault *x = row_fault ((gpointer)a), *y = row_fault ((gpointer)b);
  NtStatistics *stats = NT_FAULT_ROW ((gpointer)a)->stats;
  double dx, dy;

  switch ((Column)GPOINTER_TO_INT (data))
    {
    case COLUMN_START:
      return x->start < y->start ? -1 : x->start > y->start;
    case COLUMN_DURATION:
      dx = fault_hours (stats, x);
      dy = fault_hours (stats, y);
      return dx < dy ? -1 : dx > dy;
    case COLUMN_LOST:
      return x->lost_hours < y->lost_hours ? -1 : x->lost_hours > y->lost_hours;
    case COLUMN_MODE:
      return g_utf8_collate (nt_statistics_mode_words (x->mode), nt_statistics_mode_words (y->mode));
    case COLUMN_MESSAGE:
      return g_utf8_collate (x->message, y->message);
    case N_COLUMNS:
    default:
      g_return_val_if_reached (0);
    }
}

static void
fault_activate_cb (NtStatisticsPage *self,
                   guint             position)
{
  g_autoptr(NtFaultRow) row = g_list_model_get_item (G_LIST_MODEL (self->fault_sorted), position);
  const NtStatisticsFault *fault;
  gint64 end;

  if (row == NULL)
    return;
  fault = row_fault (row);
  end = fault->recovered != 0 ? fault->recovered : row->stats->complete_to;
  /* The loss in the middle, with as much before it as it lasted (at
   * least a quarter of an hour either side). */
  {
    gint64 margin = MAX ((end - fault->start) / 2, 15 * 60);

    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-beam-at", "(xx)",
                                (gint64)(fault->start - margin), (gint64)(end + margin));
  }
}

static void
build_columns (NtStatisticsPage *self)
{
  static const char * const titles[N_COLUMNS] = {
    N_("Start (Japan time)"), N_("Beam lost for"), N_("User time lost"), N_("Mode"), N_("Operator message"),
  };
  GtkSorter *sorter;
  GtkNoSelection *selection;

  self->fault_store = g_list_store_new (NT_TYPE_FAULT_ROW);
  for (int c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), GINT_TO_POINTER (c));
      column = gtk_column_view_column_new (_(titles[c]), factory);
      g_autoptr(GtkCustomSorter) column_sorter = gtk_custom_sorter_new (compare_rows, GINT_TO_POINTER (c), NULL);

      gtk_column_view_column_set_sorter (column, GTK_SORTER (column_sorter));
      gtk_column_view_column_set_resizable (column, TRUE);
      if (c == COLUMN_MESSAGE)
        gtk_column_view_column_set_expand (column, TRUE);
      gtk_column_view_append_column (self->fault_view, column);
      if (c == COLUMN_START)
        gtk_column_view_sort_by_column (self->fault_view, column, GTK_SORT_ASCENDING);
      g_object_unref (column);
    }

  sorter = gtk_column_view_get_sorter (self->fault_view);
  self->fault_sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->fault_store)),
                                                g_object_ref (sorter));
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->fault_sorted)));
  gtk_column_view_set_model (self->fault_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  g_signal_connect_swapped (self->fault_view, "activate", G_CALLBACK (fault_activate_cb), self);
}

/* ---- actions ---- */

static void
update_actions (NtStatisticsPage *self)
{
  gboolean have = self->stats != NULL && g_str_equal (nt_statistics_page_get_state (self), "figures");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "statistics.export", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "statistics.print", have);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  nt_statistics_page_choose_export (NT_STATISTICS_PAGE (widget), g_variant_get_int32 (parameter));
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  nt_statistics_page_print (NT_STATISTICS_PAGE (widget));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NtStatisticsPage *self = NT_STATISTICS_PAGE (widget);

  if (self->client == NULL)
    context_state_cb (self);
  else if (!self->plan_read)
    {
      g_clear_object (&self->client);
      context_state_cb (self);
    }
  else
    fetch (self);
}

/* ---- GObject ---- */

static void
nt_statistics_page_constructed (GObject *object)
{
  NtStatisticsPage *self = (NtStatisticsPage *)object;

  G_OBJECT_CLASS (nt_statistics_page_parent_class)->constructed (object);

  build_ranges (self, NULL);
  g_signal_connect_swapped (self->range_dropdown, "notify::selected", G_CALLBACK (range_selected_cb), self);
  g_signal_connect_swapped (self->context, "notify::token", G_CALLBACK (token_cb), self);
  nt_context_follow_state (self->context, G_CALLBACK (context_state_cb), self);
  update_actions (self);
}

static void
nt_statistics_page_dispose (GObject *object)
{
  NtStatisticsPage *self = (NtStatisticsPage *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->fetch != NULL)
    g_cancellable_cancel (self->fetch);
  g_clear_object (&self->fetch);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), NT_TYPE_STATISTICS_PAGE);
  nt_widget_unparent_children (GTK_WIDGET (self));

  G_OBJECT_CLASS (nt_statistics_page_parent_class)->dispose (object);
}

static void
nt_statistics_page_finalize (GObject *object)
{
  NtStatisticsPage *self = (NtStatisticsPage *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->fault_store);
  g_clear_object (&self->fault_sorted);
  g_clear_pointer (&self->stats, nt_statistics_unref);
  g_clear_pointer (&self->ranges, g_array_unref);
  g_free (self->last_message);

  G_OBJECT_CLASS (nt_statistics_page_parent_class)->finalize (object);
}

static void
nt_statistics_page_map (GtkWidget *widget)
{
  NtStatisticsPage *self = NT_STATISTICS_PAGE (widget);

  GTK_WIDGET_CLASS (nt_statistics_page_parent_class)->map (widget);
  if (self->fetch_wanted)
    fetch (self);
}

static void
nt_statistics_page_class_init (NtStatisticsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = nt_statistics_page_constructed;
  object_class->dispose = nt_statistics_page_dispose;
  object_class->finalize = nt_statistics_page_finalize;
  widget_class->map = nt_statistics_page_map;

  nt_context_property_install (object_class, G_STRUCT_OFFSET (NtStatisticsPage, context));

  g_type_ensure (NT_TYPE_STATISTICS_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/nt-statistics-page.ui");
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, range_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, range_names);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, availability_label);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, target_label);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, availability_box);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, scheduled_label);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, delivered_label);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, unknown_label);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, faults_label);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, mtbf_label);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, mttr_label);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, complete_label);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, chart);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, fault_view);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, fault_stack);
  gtk_widget_class_bind_template_child (widget_class, NtStatisticsPage, beamline_grid);

  gtk_widget_class_install_action (widget_class, "statistics.export", "i", export_action);
  gtk_widget_class_install_action (widget_class, "statistics.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "statistics.reload", NULL, reload_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statistics-page");
}

static void
nt_statistics_page_init (NtStatisticsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  nt_status_page_set_icon_when_shown (self->empty_page, "x-office-calendar-symbolic");
  nt_status_page_set_icon_when_shown (self->error_page, "dialog-warning-symbolic");
  self->cancellable = g_cancellable_new ();
  build_columns (self);
}

/* ---- public API ---- */

GtkWidget *
nt_statistics_page_new (NtContext *context)
{
  g_return_val_if_fail (NT_IS_CONTEXT (context), NULL);
  return g_object_new (NT_TYPE_STATISTICS_PAGE, "context", context, NULL);
}

/**
 * nt_statistics_page_set_range:
 *
 * Shows the statistics of [@from, @to) (Unix seconds), whether or not the
 * range is one of those offered.
 */
void
nt_statistics_page_set_range (NtStatisticsPage *self,
                              gint64            from,
                              gint64            to)
{
  g_return_if_fail (NT_IS_STATISTICS_PAGE (self));
  g_return_if_fail (from < to);

  self->chosen = TRUE;
  self->from = from;
  self->to = to;
  for (guint i = 0; self->ranges != NULL && i < self->ranges->len; i++)
    {
      NtStatisticsRange *r = &g_array_index (self->ranges, NtStatisticsRange, i);

      if (r->from == from && r->to == to)
        {
          g_signal_handlers_block_by_func (self->range_dropdown, range_selected_cb, self);
          gtk_drop_down_set_selected (self->range_dropdown, i);
          g_signal_handlers_unblock_by_func (self->range_dropdown, range_selected_cb, self);
        }
    }
  fetch (self);
}

void
nt_statistics_page_get_range (NtStatisticsPage *self,
                              gint64           *from,
                              gint64           *to)
{
  g_return_if_fail (NT_IS_STATISTICS_PAGE (self));
  *from = self->from;
  *to = self->to;
}

guint
nt_statistics_page_get_n_ranges (NtStatisticsPage *self)
{
  g_return_val_if_fail (NT_IS_STATISTICS_PAGE (self), 0);
  return self->ranges != NULL ? self->ranges->len : 0;
}

/**
 * nt_statistics_page_get_statistics:
 *
 * Returns: (transfer none) (nullable): the figures shown
 */
NtStatistics *
nt_statistics_page_get_statistics (NtStatisticsPage *self)
{
  g_return_val_if_fail (NT_IS_STATISTICS_PAGE (self), NULL);
  return self->stats;
}

/**
 * nt_statistics_page_get_state:
 *
 * Returns: "loading", "empty", "error" or "figures"
 */
const char *
nt_statistics_page_get_state (NtStatisticsPage *self)
{
  g_return_val_if_fail (NT_IS_STATISTICS_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * nt_statistics_page_next_read:
 * @before: (nullable): the figures shown until now
 * @answer: the figures just read
 * @filling: (out): whether the archive looks as if it is still being
 *   filled (nt_statistics_is_filling())
 *
 * Returns: the seconds until the range is asked for again; 0 for not at
 *   all (a closed range, whole)
 */
guint
nt_statistics_page_next_read (NtStatistics *before,
                              NtStatistics *answer,
                              gboolean     *filling)
{
  g_return_val_if_fail (answer != NULL, 0);
  g_return_val_if_fail (filling != NULL, 0);

  *filling = nt_statistics_is_filling (before, answer);
  if (*filling)
    return FILLING_REFRESH_SECONDS;
  return nt_statistics_is_live (answer) ? LIVE_REFRESH_SECONDS : 0;
}

/**
 * nt_statistics_page_show_answer:
 * @answer: (transfer full): figures for the range chosen
 *
 * Shows @answer, says in the status line whether the range is under way or
 * part of it has no archived beam yet, and plans the next read.
 */
void
nt_statistics_page_show_answer (NtStatisticsPage *self,
                                NtStatistics     *answer)
{
  g_autofree char *upto = NULL;
  gboolean filling;
  guint next;

  g_return_if_fail (NT_IS_STATISTICS_PAGE (self));
  g_return_if_fail (answer != NULL);

  next = nt_statistics_page_next_read (self->stats, answer, &filling);
  g_clear_pointer (&self->stats, nt_statistics_unref);
  self->stats = answer;
  show_statistics (self);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->refresh_seconds = next;
  if (next > 0)
    self->refresh_id = g_timeout_add_seconds (next, refresh_cb, self);

  if (nt_statistics_is_live (answer))
    upto = nt_time_format_local (answer->complete_to, "%H:%M");
  if (upto != NULL && filling)
    {
      /* TRANSLATORS: %s is a time of day, e.g. 10:00 */
      g_autofree char *text = g_strdup_printf (_("Under way: figures up to %s; part of the range is not archived yet, asking again soon"),
                                               upto);

      set_status (self, text);
    }
  else if (upto != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Under way: figures up to %s"), upto);

      set_status (self, text);
    }
  else if (filling)
    set_status (self, _("Part of the range has no archived beam yet: asking again in case the services are still filling the archive"));
  else
    set_status (self, "");
  update_actions (self);
}

/* How many answers (or failures) the page has had: tests wait on it. */
guint
nt_statistics_page_get_n_reads (NtStatisticsPage *self)
{
  g_return_val_if_fail (NT_IS_STATISTICS_PAGE (self), 0);
  return self->n_reads;
}

GtkColumnView *
nt_statistics_page_get_fault_view (NtStatisticsPage *self)
{
  g_return_val_if_fail (NT_IS_STATISTICS_PAGE (self), NULL);
  return self->fault_view;
}

/* The start of the fault the list shows at @position, as sorted now. */
gint64
nt_statistics_page_get_fault_start (NtStatisticsPage *self,
                                    guint             position)
{
  g_autoptr(NtFaultRow) row = NULL;

  g_return_val_if_fail (NT_IS_STATISTICS_PAGE (self), 0);
  row = g_list_model_get_item (G_LIST_MODEL (self->fault_sorted), position);
  return row != NULL ? row_fault (row)->start : 0;
}

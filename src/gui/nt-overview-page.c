/* nt-overview-page.c: the control room's home
 *
 * The beam panel and a compact chart of the last 24 h of stored current
 * across the top, a "now / next" line from the run plan with a countdown,
 * and every beamline's live card in a grid of one to five columns.
 * Activating a card opens its detail page in the Beamlines area.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-overview-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "nt-clock.h"
#include "nt-beam-panel.h"
#include "nt-beamline-grid.h"
#include "nt-beamlines-page.h"
#include "nt-labels.h"
#include "nt-overview-page.h"
#include "nt-run-period.h"
#include "nt-station-schedule.h"
#include "nt-stored-current.h"
#include "nt-time.h"
#include "nt-widget-util.h"

/* A day at 1 Hz, with room to spare: the chart shows 24 h. */
#define SERIES_CAPACITY (2 * 24 * 3600)
#define PLAN_BEFORE_S   (62 * 24 * 3600)
#define PLAN_AFTER_S    (120 * 24 * 3600)
#define PLAN_RELOAD_S   3600
#define DEBOUNCE_MS     250

struct _NtOverviewPage
{
  GtkWidget          parent_instance;

  NtContext         *context;
  NtScheduleClient  *schedule_client;
  NtStationSchedule *schedule;
  NtChartFeed       *feed;
  GCancellable      *cancellable;
  GPtrArray         *periods;       /* NtRunPeriod, by start */
  GError            *plan_error;
  gint64             plan_revision;
  GPtrArray         *cards;
  guint              tick_id;
  guint              reload_id;
  guint              debounce_id;

  GtkBox            *panel_box;
  GtkWidget         *panel;
  NtStripChart      *chart;
  GtkLabel          *now_next_label;
  GtkFlowBox        *flow_box;
};

G_DEFINE_FINAL_TYPE (NtOverviewPage, nt_overview_page, GTK_TYPE_WIDGET)

/* The run plan's words, but for the inspection: on the control room's
 * home line it is the facility's, said in full. */
static const char *
period_kind_words (NtPeriodKind kind)
{
  if (kind == NT_PERIOD_INSPECTION)
    return _("Facility inspection");
  return nt_labels_period_kind (kind);
}

static char *
format_countdown (gint64 seconds)
{
  gint64 s = MAX (seconds, 0);

  if (s >= 24 * 3600)
    /* Translators: countdown to the next run-plan period, days and hours */
    return g_strdup_printf (_("%d d %d h"), (int)(s / 86400), (int)((s / 3600) % 24));
  /* Translators: countdown to the next run-plan period, hours:minutes:seconds */
  return g_strdup_printf (_("%d:%02d:%02d"), (int)(s / 3600), (int)((s / 60) % 60), (int)(s % 60));
}

static void
update_now_next (NtOverviewPage *self)
{
  gint64 now = nt_clock_now ();
  NtRunPeriod *current = NULL;
  NtRunPeriod *next = NULL;
  g_autofree char *text = NULL;

  if (self->periods == NULL)
    {
      if (self->plan_error != NULL)
        text = g_strdup_printf (_("Run plan not available: %s"), self->plan_error->message);
      else if (nt_context_get_state (self->context) == NT_CONTEXT_FAILED)
        text = g_strdup (_("Run plan not available: not connected to the facility"));
      else
        text = g_strdup (_("Reading the run plan…"));
      gtk_label_set_label (self->now_next_label, text);
      return;
    }

  for (guint i = 0; i < self->periods->len; i++)
    {
      NtRunPeriod *p = g_ptr_array_index (self->periods, i);

      if (nt_run_period_get_start (p) <= now && now < nt_run_period_get_end (p))
        current = p;
      else if (nt_run_period_get_start (p) > now)
        {
          /* The next period of another kind: the next change a person sees. */
          if (current == NULL || nt_run_period_get_kind (p) != nt_run_period_get_kind (current))
            {
              next = p;
              break;
            }
        }
    }

  if (current != NULL && next != NULL)
    {
      g_autofree char *in = format_countdown (nt_run_period_get_start (next) - now);
      g_autofree char *at = nt_time_format_local (nt_run_period_get_start (next), _("%a %d %b %H:%M JST"));

      /* Translators: the run plan now and next: “Now: User operation · Next: Maintenance in 3:02:10 (Tue 02 Dec 09:00 JST)” */
      text = g_strdup_printf (_("Now: %s · Next: %s in %s (%s)"),
                              period_kind_words (nt_run_period_get_kind (current)),
                              period_kind_words (nt_run_period_get_kind (next)), in, at);
    }
  else if (current != NULL)
    {
      g_autofree char *until = nt_time_format_local (nt_run_period_get_end (current), _("%a %d %b %H:%M JST"));

      /* Translators: the current period and when it ends */
      text = g_strdup_printf (_("Now: %s until %s"), period_kind_words (nt_run_period_get_kind (current)), until);
    }
  else if (next != NULL)
    {
      g_autofree char *in = format_countdown (nt_run_period_get_start (next) - now);

      /* Translators: no period is planned now; the next one in a countdown */
      text = g_strdup_printf (_("Now: nothing planned · Next: %s in %s"),
                              period_kind_words (nt_run_period_get_kind (next)), in);
    }
  else
    text = g_strdup (_("No run-plan period around now"));

  gtk_label_set_label (self->now_next_label, text);
}

static void
plan_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(NtOverviewPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;
  gint64 revision = 0;

  items = nt_schedule_client_list_run_plan_finish (NT_SCHEDULE_CLIENT (object), result, &revision, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_error (&self->plan_error);
  if (items == NULL)
    self->plan_error = g_steal_pointer (&error);
  else
    {
      g_clear_pointer (&self->periods, g_ptr_array_unref);
      self->periods = items;
      self->plan_revision = revision;
      nt_context_ensure_changes (self->context, revision);
    }

  update_now_next (self);
}

static void
load_plan (NtOverviewPage *self)
{
  gint64 now = nt_clock_now ();

  if (self->schedule_client == NULL)
    return;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  nt_schedule_client_list_run_plan_async (self->schedule_client, now - PLAN_BEFORE_S, now + PLAN_AFTER_S,
                                          self->cancellable, plan_cb, g_object_ref (self));
}

static gboolean
debounce_cb (gpointer user_data)
{
  NtOverviewPage *self = user_data;

  self->debounce_id = 0;
  load_plan (self);
  return G_SOURCE_REMOVE;
}

static void
change_cb (NtOverviewPage *self,
           gint64          revision,
           const char     *resource)
{
  if (revision <= self->plan_revision || g_strcmp0 (resource, "period") != 0)
    return;
  if (self->debounce_id == 0)
    self->debounce_id = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
}

static void
context_state_cb (NtOverviewPage *self)
{
  NtScheduleClient *client = nt_context_get_schedule_client (self->context);

  if (nt_context_get_state (self->context) == NT_CONTEXT_READY && self->feed == NULL)
    self->feed = nt_stored_current_feed_new (self->chart, self->context);

  if (nt_disconnect_and_set (&self->schedule_client, client, self) && client != NULL)
    {
      g_signal_connect_swapped (client, "change", G_CALLBACK (change_cb), self);
      load_plan (self);
    }

  update_now_next (self);
}

static void
child_activated_cb (NtOverviewPage  *self,
                    GtkFlowBoxChild *child)
{
  NtBeamlineCard *card = NT_BEAMLINE_CARD (gtk_flow_box_child_get_child (child));
  const char *id = nt_beamline_get_id (nt_beamline_card_get_beamline (card));
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_STACK);
  GtkWidget *beamlines = stack ? gtk_stack_get_child_by_name (GTK_STACK (stack), "beamlines") : NULL;

  /* The detail page lives in the Beamlines area: open it there. */
  if (beamlines == NULL || !NT_IS_BEAMLINES_PAGE (beamlines))
    return;

  nt_beamlines_page_open (NT_BEAMLINES_PAGE (beamlines), id);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-area", "s", "beamlines");
}

static void
nt_overview_page_dispose (GObject *object)
{
  NtOverviewPage *self = (NtOverviewPage *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  nt_disconnect_and_clear (&self->context, self);
  nt_disconnect_and_clear (&self->schedule_client, self);
  g_clear_object (&self->feed);
  g_clear_pointer (&self->cards, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), NT_TYPE_OVERVIEW_PAGE);
  /* The scrolled window at the root is not a bound child. */
  nt_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->schedule);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->periods, g_ptr_array_unref);
  g_clear_error (&self->plan_error);

  G_OBJECT_CLASS (nt_overview_page_parent_class)->dispose (object);
}

static void
nt_overview_page_class_init (NtOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nt_overview_page_dispose;

  g_type_ensure (NT_TYPE_STRIP_CHART);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/nt-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, NtOverviewPage, panel_box);
  gtk_widget_class_bind_template_child (widget_class, NtOverviewPage, chart);
  gtk_widget_class_bind_template_child (widget_class, NtOverviewPage, now_next_label);
  gtk_widget_class_bind_template_child (widget_class, NtOverviewPage, flow_box);
  gtk_widget_class_bind_template_callback (widget_class, child_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
nt_overview_page_init (NtOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cards = g_ptr_array_new ();
  self->plan_revision = -1;
}

GtkWidget *
nt_overview_page_new (NtContext *context)
{
  NtOverviewPage *self;

  g_return_val_if_fail (NT_IS_CONTEXT (context), NULL);

  self = g_object_new (NT_TYPE_OVERVIEW_PAGE, NULL);
  self->context = g_object_ref (context);

  self->panel = nt_beam_panel_new (context);
  gtk_box_append (self->panel_box, self->panel);

  nt_stored_current_add_series (self->chart, SERIES_CAPACITY);
  nt_strip_chart_set_range (self->chart, NT_STRIP_CHART_RANGE_24_HOURS);

  if (nt_context_get_catalogue (context) != NULL)
    {
      self->schedule = nt_station_schedule_new (context);
      nt_beamline_grid_fill (self->flow_box, self->cards, context, self->schedule);
    }

  self->tick_id = nt_timeout_add_seconds_repeating (1, G_CALLBACK (update_now_next), self);
  self->reload_id = nt_timeout_add_seconds_repeating (PLAN_RELOAD_S, G_CALLBACK (load_plan), self);
  nt_context_follow_state (context, G_CALLBACK (context_state_cb), self);

  return GTK_WIDGET (self);
}

/**
 * nt_overview_page_get_panel:
 *
 * Returns: (transfer none): the beam panel
 */
GtkWidget *
nt_overview_page_get_panel (NtOverviewPage *self)
{
  g_return_val_if_fail (NT_IS_OVERVIEW_PAGE (self), NULL);
  return self->panel;
}

/**
 * nt_overview_page_get_chart:
 *
 * Returns: (transfer none): the 24 h chart of the stored current
 */
NtStripChart *
nt_overview_page_get_chart (NtOverviewPage *self)
{
  g_return_val_if_fail (NT_IS_OVERVIEW_PAGE (self), NULL);
  return self->chart;
}

/**
 * nt_overview_page_get_card:
 *
 * Returns: (transfer none) (nullable): the card of a beamline
 */
NtBeamlineCard *
nt_overview_page_get_card (NtOverviewPage *self,
                           const char     *beamline_id)
{
  g_return_val_if_fail (NT_IS_OVERVIEW_PAGE (self), NULL);
  return nt_beamline_grid_find (self->cards, beamline_id);
}

guint
nt_overview_page_get_n_cards (NtOverviewPage *self)
{
  g_return_val_if_fail (NT_IS_OVERVIEW_PAGE (self), 0);
  return self->cards->len;
}

const char *
nt_overview_page_get_now_next_text (NtOverviewPage *self)
{
  g_return_val_if_fail (NT_IS_OVERVIEW_PAGE (self), NULL);
  return gtk_label_get_label (self->now_next_label);
}

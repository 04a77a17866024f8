/* nt-beamline-page.c: one beamline in detail
 *
 * Its stations live (the beamline's card), charts of photon energy and of
 * the shutters (history from the archive joined to the live values, over
 * the chosen range), today's and the next bookings of each station, and
 * the catalogue's facts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-beamline-page"

#include "config.h"

#include <adwaita.h>

#include "nt-clock.h"
#include "nt-beamline-page.h"
#include "nt-beamline-words.h"
#include "nt-chart-feed.h"
#include "nt-i18n.h"
#include "nt-range-buttons.h"
#include "nt-series.h"
#include "nt-time.h"
#include "nt-widget-util.h"

/* Binned history for the plot width plus a week of live changes: these
 * signals change seldom (shutters, hourly energies). */
#define SERIES_CAPACITY 65536

static const char * const series_classes[] = { NULL, "series-2", "series-3", "series-4" };

struct _NtBeamlinePage
{
  GtkWidget          parent_instance;

  NtContext         *context;
  NtBeamline        *beamline;
  NtStationSchedule *schedule;
  GPtrArray         *feeds;        /* NtChartFeed */
  GPtrArray         *energy_pvs;   /* keys, one per energy series */
  GPtrArray         *shutter_pvs;  /* keys, one per shutter series */
  guint              n_allocation_rows;

  GtkLabel          *title_label;
  GtkLabel          *technique_label;
  GtkLabel          *program_label;
  GtkBox            *card_box;
  GtkWidget         *card;
  GtkGrid           *facts_grid;
  GtkBox            *range_box;
  NtStripChart      *energy_chart;
  NtStripChart      *shutter_chart;
  GtkListBox        *today_list;
  GtkListBox        *next_list;
  GtkToggleButton   *range_buttons[4];
};

G_DEFINE_FINAL_TYPE (NtBeamlinePage, nt_beamline_page, GTK_TYPE_WIDGET)

static const NtStripChartRange ranges[] = {
  NT_STRIP_CHART_RANGE_1_HOUR, NT_STRIP_CHART_RANGE_8_HOURS,
  NT_STRIP_CHART_RANGE_24_HOURS, NT_STRIP_CHART_RANGE_7_DAYS,
};

static void
add_fact (NtBeamlinePage *self,
          int             row,
          const char     *name,
          const char     *value)
{
  GtkWidget *n = gtk_label_new (name);
  GtkWidget *v = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (n), 0.0f);
  gtk_label_set_yalign (GTK_LABEL (n), 0.0f);
  gtk_widget_add_css_class (n, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (v), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (v), TRUE);
  gtk_label_set_selectable (GTK_LABEL (v), TRUE);
  gtk_widget_set_hexpand (v, TRUE);
  gtk_grid_attach (self->facts_grid, n, 0, row, 1, 1);
  gtk_grid_attach (self->facts_grid, v, 1, row, 1, 1);
}

static void
build_facts (NtBeamlinePage *self)
{
  NtBeamline *bl = self->beamline;
  GListModel *stations = nt_beamline_get_stations (bl);
  gboolean ja_first = nt_i18n_prefers_japanese ();
  g_autofree char *days = g_strdup_printf ("%u", nt_beamline_get_requested_days (bl));
  int row = 0;

  gtk_label_set_label (self->title_label, nt_beamline_get_id (bl));
  gtk_label_set_label (self->technique_label, nt_beamline_words_technique (bl, ja_first));
  gtk_label_set_label (self->program_label, nt_beamline_words_program (bl));
  gtk_widget_add_css_class (GTK_WIDGET (self->program_label), nt_beamline_words_program_class (bl));

  add_fact (self, row++, _("Technique"), nt_beamline_get_technique_ja (bl));
  add_fact (self, row++, "", nt_beamline_get_technique_en (bl));
  add_fact (self, row++, _("Program"),
            nt_beamline_get_program (bl) == NT_PROGRAM_PUBLIC
            ? _("Public beamline (QST): proposals selected by the registered institution")
            : _("Coalition beamline (PhoSIC): members' units, with a public share on the main station"));
  add_fact (self, row++, _("Light source"), nt_beamline_words_source (bl));

  for (guint i = 0; i < g_list_model_get_n_items (stations); i++)
    {
      g_autoptr(NtStation) station = g_list_model_get_item (stations, i);
      g_autofree char *energy = nt_beamline_words_energy (station);
      g_autofree char *name = NULL;
      g_autofree char *shifts = NULL;

      /* Translators: the photon energy range of a station, “Energy range (XAFS)” */
      name = g_list_model_get_n_items (stations) > 1
             ? g_strdup_printf (_("Energy range (%s)"), nt_station_get_name (station))
             : g_strdup (_("Energy range"));
      add_fact (self, row++, name, energy);
      if (nt_station_get_public_shifts_2026a (station) > 0)
        {
          /* Translators: shifts offered to the public call, “267 shifts (BL02U)” */
          shifts = g_strdup_printf (_("%u shifts (%s)"), nt_station_get_public_shifts_2026a (station),
                                    nt_station_get_id (station));
          add_fact (self, row++, _("2026A public call"), shifts);
        }
    }
  add_fact (self, row++, _("Days requested (2022 survey)"), days);
}

static GtkWidget *
allocation_row (NtBeamlinePage *self,
                NtAllocation   *alloc,
                gboolean        with_date)
{
  g_autofree char *start = nt_time_format_local (nt_allocation_get_start (alloc),
                                                 with_date ? _("%a %d %b %H:%M") : "%H:%M");
  g_autofree char *end = nt_time_format_local (nt_allocation_get_end (alloc),
                                               with_date ? _("%a %d %b %H:%M") : "%H:%M");
  g_autofree char *who = nt_station_schedule_describe (self->schedule, alloc);
  /* Translators: a booking's time span in JST, “09:00–17:00 JST” */
  g_autofree char *span = g_strdup_printf (_("%s–%s JST"), start, end);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), who);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), span);
  if (nt_beamline_get_n_stations (self->beamline) > 1)
    {
      GtkWidget *station = gtk_label_new (nt_allocation_get_station (alloc));

      gtk_widget_add_css_class (station, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), station);
    }
  self->n_allocation_rows++;

  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_placeholder_row (GtkListBox *list,
                     const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_append (list, row);
}

static void
update_allocations (NtBeamlinePage *self)
{
  GListModel *stations = nt_beamline_get_stations (self->beamline);
  gint64 now = nt_clock_now ();
  g_autoptr(GDateTime) local = nt_time_to_local (now);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (local, 1);
  gint64 day_start = nt_time_from_local (g_date_time_get_year (local), g_date_time_get_month (local),
                                         g_date_time_get_day_of_month (local), 0, 0);
  gint64 day_end = nt_time_from_local (g_date_time_get_year (tomorrow), g_date_time_get_month (tomorrow),
                                       g_date_time_get_day_of_month (tomorrow), 0, 0);
  gboolean any_today = FALSE;
  gboolean any_next = FALSE;

  clear_list (self->today_list);
  clear_list (self->next_list);
  self->n_allocation_rows = 0;

  if (self->schedule == NULL || !nt_station_schedule_is_loaded (self->schedule))
    {
      const GError *error = self->schedule ? nt_station_schedule_get_error (self->schedule) : NULL;
      g_autofree char *text = error ? g_strdup_printf (_("The schedule could not be read: %s"), error->message)
                                    : g_strdup (_("Reading the schedule…"));

      add_placeholder_row (self->today_list, text);
      add_placeholder_row (self->next_list, text);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (stations); i++)
    {
      g_autoptr(NtStation) station = g_list_model_get_item (stations, i);
      const char *id = nt_station_get_id (station);
      g_autoptr(GPtrArray) today = nt_station_schedule_list (self->schedule, id, day_start, day_end);
      NtAllocation *next = nt_station_schedule_lookup_next (self->schedule, id, MAX (now, day_end - 1));

      for (guint j = 0; j < today->len; j++)
        {
          gtk_list_box_append (self->today_list, allocation_row (self, g_ptr_array_index (today, j), FALSE));
          any_today = TRUE;
        }
      if (next != NULL)
        {
          gtk_list_box_append (self->next_list, allocation_row (self, next, TRUE));
          any_next = TRUE;
        }
    }

  if (!any_today)
    add_placeholder_row (self->today_list, _("Nothing booked today"));
  if (!any_next)
    add_placeholder_row (self->next_list, _("Nothing booked in the coming week"));
}

static void
start_feeds (NtBeamlinePage *self)
{
  NtPvClient *live = nt_context_get_pv_client (self->context);
  NtArchiveClient *archive = nt_context_get_archive_client (self->context);

  if (self->feeds->len > 0 || live == NULL || archive == NULL)
    return;

  for (guint i = 0; i < self->energy_pvs->len; i++)
    {
      const char *pv = nt_context_lookup_pv (self->context, g_ptr_array_index (self->energy_pvs, i));

      if (pv != NULL)
        g_ptr_array_add (self->feeds, nt_chart_feed_new (self->energy_chart, i, live, archive, pv));
    }
  for (guint i = 0; i < self->shutter_pvs->len; i++)
    {
      const char *pv = nt_context_lookup_pv (self->context, g_ptr_array_index (self->shutter_pvs, i));

      if (pv != NULL)
        g_ptr_array_add (self->feeds, nt_chart_feed_new (self->shutter_chart, i, live, archive, pv));
    }
}

static void
context_state_cb (NtBeamlinePage *self)
{
  if (nt_context_get_state (self->context) == NT_CONTEXT_READY)
    start_feeds (self);
}

static void
range_toggled_cb (NtBeamlinePage  *self,
                  GtkToggleButton *button)
{
  int i = nt_range_buttons_find (self->range_buttons, G_N_ELEMENTS (ranges), button);

  if (i < 0)
    return;

  nt_strip_chart_set_range (self->energy_chart, ranges[i]);
  nt_strip_chart_set_range (self->shutter_chart, ranges[i]);
}

static void
add_chart_series (NtBeamlinePage *self)
{
  GListModel *stations = nt_beamline_get_stations (self->beamline);
  guint n = g_list_model_get_n_items (stations);
  g_autofree char *fe_key = g_strdup_printf ("bl.%s.fe_shutter", nt_beamline_get_id (self->beamline));
  NtSeries *series;

  series = nt_series_new (SERIES_CAPACITY);
  nt_strip_chart_add_series (self->shutter_chart, _("Front end"), NULL, series, series_classes[0]);
  g_object_unref (series);
  g_ptr_array_add (self->shutter_pvs, g_steal_pointer (&fe_key));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NtStation) station = g_list_model_get_item (stations, i);
      const char *id = nt_station_get_id (station);
      /* Translators: the series name of a station's shutter, “Shutter BL08W-XRD” */
      g_autofree char *shutter_name = n > 1 ? g_strdup_printf (_("Shutter %s"), nt_station_get_name (station))
                                            : g_strdup (_("Beam shutter"));
      const char *energy_name = n > 1 ? nt_station_get_name (station) : _("Photon energy");

      series = nt_series_new (SERIES_CAPACITY);
      nt_strip_chart_add_series (self->energy_chart, energy_name, "eV", series,
                                 series_classes[MIN (i, G_N_ELEMENTS (series_classes) - 1)]);
      nt_strip_chart_set_series_precision (self->energy_chart, i, 0);
      g_object_unref (series);
      g_ptr_array_add (self->energy_pvs, g_strdup_printf ("bl.%s.energy", id));

      series = nt_series_new (SERIES_CAPACITY);
      nt_strip_chart_add_series (self->shutter_chart, shutter_name, NULL, series,
                                 series_classes[MIN (i + 1, G_N_ELEMENTS (series_classes) - 1)]);
      nt_strip_chart_set_series_precision (self->shutter_chart, i + 1, 0);
      g_object_unref (series);
      g_ptr_array_add (self->shutter_pvs, g_strdup_printf ("bl.%s.shutter", id));
    }
  nt_strip_chart_set_series_precision (self->shutter_chart, 0, 0);

  /* Shutter states by index: 0 closed, 1 open, 2 moving, 3 fault. */
  nt_strip_chart_set_value_range (self->shutter_chart, -0.2, 3.2);
}

static void
nt_beamline_page_dispose (GObject *object)
{
  NtBeamlinePage *self = (NtBeamlinePage *)object;

  nt_disconnect_and_clear (&self->context, self);
  nt_disconnect_and_clear (&self->schedule, self);
  g_clear_pointer (&self->feeds, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), NT_TYPE_BEAMLINE_PAGE);
  /* The scrolled window at the root is not a bound child. */
  nt_widget_unparent_children (GTK_WIDGET (self));
  g_clear_pointer (&self->energy_pvs, g_ptr_array_unref);
  g_clear_pointer (&self->shutter_pvs, g_ptr_array_unref);
  g_clear_object (&self->beamline);

  G_OBJECT_CLASS (nt_beamline_page_parent_class)->dispose (object);
}

static void
nt_beamline_page_class_init (NtBeamlinePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nt_beamline_page_dispose;

  g_type_ensure (NT_TYPE_STRIP_CHART);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/nt-beamline-page.ui");
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinePage, technique_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinePage, program_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinePage, card_box);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinePage, facts_grid);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinePage, range_box);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinePage, energy_chart);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinePage, shutter_chart);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinePage, today_list);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinePage, next_list);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
nt_beamline_page_init (NtBeamlinePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  self->feeds = g_ptr_array_new_with_free_func (g_object_unref);
  self->energy_pvs = g_ptr_array_new_with_free_func (g_free);
  self->shutter_pvs = g_ptr_array_new_with_free_func (g_free);

  nt_range_buttons_fill (self->range_box, ranges, G_N_ELEMENTS (ranges), self->range_buttons,
                         G_CALLBACK (range_toggled_cb), self);
}

/**
 * nt_beamline_page_new:
 * @schedule: (nullable): the bookings to show
 */
GtkWidget *
nt_beamline_page_new (NtContext         *context,
                      NtBeamline        *beamline,
                      NtStationSchedule *schedule)
{
  NtBeamlinePage *self;

  g_return_val_if_fail (NT_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (NT_IS_BEAMLINE (beamline), NULL);
  g_return_val_if_fail (schedule == NULL || NT_IS_STATION_SCHEDULE (schedule), NULL);

  self = g_object_new (NT_TYPE_BEAMLINE_PAGE, NULL);
  self->context = g_object_ref (context);
  self->beamline = g_object_ref (beamline);
  self->schedule = schedule ? g_object_ref (schedule) : NULL;

  build_facts (self);
  add_chart_series (self);

  self->card = nt_beamline_card_new (context, beamline);
  nt_beamline_card_set_schedule (NT_BEAMLINE_CARD (self->card), schedule);
  gtk_box_append (self->card_box, self->card);

  gtk_toggle_button_set_active (self->range_buttons[1], TRUE);
  nt_beamline_page_set_range (self, NT_STRIP_CHART_RANGE_8_HOURS);

  if (schedule != NULL)
    g_signal_connect_swapped (schedule, "changed", G_CALLBACK (update_allocations), self);
  update_allocations (self);

  nt_context_follow_state (context, G_CALLBACK (context_state_cb), self);

  return GTK_WIDGET (self);
}

NtBeamline *
nt_beamline_page_get_beamline (NtBeamlinePage *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_PAGE (self), NULL);
  return self->beamline;
}

/**
 * nt_beamline_page_get_card:
 *
 * Returns: (transfer none): the live card of the beamline's stations
 */
NtBeamlineCard *
nt_beamline_page_get_card (NtBeamlinePage *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_PAGE (self), NULL);
  return NT_BEAMLINE_CARD (self->card);
}

NtStripChart *
nt_beamline_page_get_energy_chart (NtBeamlinePage *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_PAGE (self), NULL);
  return self->energy_chart;
}

NtStripChart *
nt_beamline_page_get_shutter_chart (NtBeamlinePage *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_PAGE (self), NULL);
  return self->shutter_chart;
}

void
nt_beamline_page_set_range (NtBeamlinePage    *self,
                            NtStripChartRange  range)
{
  g_return_if_fail (NT_IS_BEAMLINE_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    if (ranges[i] == range)
      gtk_toggle_button_set_active (self->range_buttons[i], TRUE);

  nt_strip_chart_set_range (self->energy_chart, range);
  nt_strip_chart_set_range (self->shutter_chart, range);
}

/**
 * nt_beamline_page_get_n_allocation_rows:
 *
 * Returns: how many bookings the page lists (today's and the next)
 */
guint
nt_beamline_page_get_n_allocation_rows (NtBeamlinePage *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_PAGE (self), 0);
  return self->n_allocation_rows;
}

/**
 * nt_beamline_page_is_loading:
 *
 * Returns: whether history for the charts is still being read
 */
gboolean
nt_beamline_page_is_loading (NtBeamlinePage *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_PAGE (self), FALSE);

  for (guint i = 0; i < self->feeds->len; i++)
    if (nt_chart_feed_get_n_pending (g_ptr_array_index (self->feeds, i)) > 0)
      return TRUE;

  return FALSE;
}

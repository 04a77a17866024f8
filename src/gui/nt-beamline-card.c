/* nt-beamline-card.c: one beamline at a glance, live
 *
 * The catalogue's facts (id, technique in both languages, program, light
 * source, stations and their energy ranges) with, per station, the live
 * state, main beam shutter, photon energy and what is scheduled now, and
 * the beamline's front-end shutter.
 *
 * Values come from the live client's batched updates: a batch that names
 * one of the card's signals schedules one refresh on a 100 ms grid shared
 * by all cards (so a page of cards changes in one frame), values are
 * inscriptions whose size does not follow their text, and a value is set
 * only when its text changes: an update redraws a value, it does not lay
 * the page out again.  A value
 * is shown only while its signal is live ("—" and words otherwise); when
 * the ring holds no beam the card says so, and closed shutters are then
 * not a problem.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-beamline-card"

#include "config.h"

#include <math.h>

#include "nt-clock.h"
#include "nt-beamline-card.h"
#include "nt-beamline-words.h"
#include "nt-i18n.h"
#include "nt-labels.h"
#include "nt-pv-watch.h"
#include "nt-time.h"
#include "nt-units.h"
#include "nt-widget-util.h"

/* Below this stored current the ring is taken to hold no beam. */
#define NO_BEAM_MA 1.0

/* Values are shown at most this often (µs), on a grid shared by every
 * card so that all of them change in one frame: faster than a person
 * reads, and a faster feed costs no more frames. */
#define REFRESH_PERIOD_US (100 * 1000)

enum {
  ST_SHUTTER,
  ST_STATE,
  ST_ENERGY,
  N_ST_SIGNALS
};

typedef struct
{
  NtStation *station;
  guint      sigs[N_ST_SIGNALS];  /* in the card's watch */
  GtkLabel       *kind_label;     /* only where a card shows several stations */
  GtkLabel       *range_label;
  GtkLabel       *state_title;
  GtkLabel       *shutter_title;
  GtkLabel       *energy_title;
  GtkLabel       *scheduled_title;
  GtkInscription *state_value;
  GtkInscription *shutter_value;
  GtkInscription *energy_value;
  GtkInscription *scheduled_value;
} StationRow;

struct _NtBeamlineCard
{
  GtkWidget          parent_instance;

  NtContext         *context;
  NtBeamline        *beamline;
  NtStationSchedule *schedule;
  NtPvWatch         *watch;
  char              *language;

  guint              fe_sig;        /* in the watch */
  guint              mode_sig;
  guint              current_sig;
  GArray            *rows;          /* StationRow */

  gboolean           problem;
  gboolean           disconnected;
  gboolean           no_beam;
  char              *accessible_name;
  char              *accessible_description;
  guint              n_refreshes;
  guint              tick_id;
  guint              refresh_id;

  GtkWidget         *box;
  GtkLabel          *id_label;
  GtkLabel          *program_label;
  GtkLabel          *technique_primary;
  GtkLabel          *technique_secondary;
  GtkInscription    *status_label;
  GtkLabel          *fe_title;
  GtkInscription    *fe_value;
  GtkBox            *stations_box;
  GtkLabel          *source_label;
  GtkLabel          *demand_label;
};

G_DEFINE_FINAL_TYPE (NtBeamlineCard, nt_beamline_card, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_BEAMLINE,
  PROP_PROBLEM,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const card_classes[] = { "disconnected", "no-beam", "problem" };

static void
set_severity (GtkInscription *value,
              NtPvSeverity    severity)
{
  nt_widget_set_severity_class (GTK_WIDGET (value), severity);
}

/* Values are inscriptions: their size does not follow their text, so a new
 * value is a redraw of that value, not a new layout of the page. */
static void
set_value (GtkInscription *value,
           const char     *text)
{
  if (g_strcmp0 (gtk_inscription_get_text (value), text) != 0)
    gtk_inscription_set_text (value, text);
}

static const char *
station_kind_label (NtStation *station)
{
  switch (nt_station_get_kind (station))
    {
    case NT_STATION_MAIN:
      return _("Main station");
    case NT_STATION_BRANCH:
      return _("Branch station");
    default:
      g_return_val_if_reached (NULL);
    }
}

static GtkInscription *
add_field (GtkGrid    *grid,
           int         row,
           GtkLabel  **title,
           guint       nat_chars,
           guint       lines)
{
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *value = gtk_inscription_new ("—");

  gtk_label_set_xalign (GTK_LABEL (name), 0.0f);
  gtk_label_set_yalign (GTK_LABEL (name), 0.0f);
  gtk_widget_add_css_class (name, "dim-label");
  gtk_inscription_set_xalign (GTK_INSCRIPTION (value), 1.0f);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (value), 4);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (value), nat_chars);
  gtk_inscription_set_min_lines (GTK_INSCRIPTION (value), lines);
  gtk_inscription_set_nat_lines (GTK_INSCRIPTION (value), lines);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (value), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  if (lines > 1)
    gtk_inscription_set_wrap_mode (GTK_INSCRIPTION (value), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_widget_add_css_class (value, "card-value");
  gtk_grid_attach (grid, name, 0, row, 1, 1);
  gtk_grid_attach (grid, value, 1, row, 1, 1);

  *title = GTK_LABEL (name);
  return GTK_INSCRIPTION (value);
}

static void
add_station_row (NtBeamlineCard *self,
                 NtStation      *station,
                 gboolean        show_name)
{
  GtkWidget *grid = gtk_grid_new ();
  StationRow row = { 0 };
  int line = 0;

  gtk_widget_add_css_class (grid, "station-row");
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);

  if (show_name)
    {
      GtkWidget *head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *label = gtk_label_new (nt_station_get_name (station));

      gtk_widget_add_css_class (label, "heading");
      gtk_box_append (GTK_BOX (head), label);
      label = gtk_label_new (NULL);
      gtk_widget_add_css_class (label, "station-kind");
      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (head), label);
      row.kind_label = GTK_LABEL (label);
      label = gtk_label_new (NULL);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (head), label);
      row.range_label = GTK_LABEL (label);
      gtk_grid_attach (GTK_GRID (grid), head, 0, line++, 2, 1);
    }

  row.station = g_object_ref (station);
  row.state_value = add_field (GTK_GRID (grid), line++, &row.state_title, 10, 1);
  row.shutter_value = add_field (GTK_GRID (grid), line++, &row.shutter_title, 8, 1);
  row.energy_value = add_field (GTK_GRID (grid), line++, &row.energy_title, 9, 1);
  row.scheduled_value = add_field (GTK_GRID (grid), line++, &row.scheduled_title, 16, 2);

  if (!show_name)
    {
      GtkWidget *range = gtk_label_new (NULL);

      row.range_label = GTK_LABEL (range);
      gtk_label_set_xalign (GTK_LABEL (range), 1.0f);
      gtk_widget_add_css_class (range, "caption");
      gtk_widget_add_css_class (range, "dim-label");
      gtk_grid_attach (GTK_GRID (grid), range, 1, line++, 1, 1);
    }

  gtk_box_append (self->stations_box, grid);
  g_array_append_val (self->rows, row);
}

static void
station_row_clear (gpointer data)
{
  StationRow *row = data;

  g_clear_object (&row->station);
}

static void
build_facts (NtBeamlineCard *self)
{
  NtBeamline *bl = self->beamline;
  GListModel *stations = nt_beamline_get_stations (bl);
  guint n_stations = g_list_model_get_n_items (stations);

  gtk_label_set_label (self->id_label, nt_beamline_get_id (bl));
  gtk_widget_add_css_class (GTK_WIDGET (self->program_label), nt_beamline_words_program_class (bl));

  for (guint i = 0; i < n_stations; i++)
    {
      g_autoptr(NtStation) station = g_list_model_get_item (stations, i);

      add_station_row (self, station, n_stations > 1);
    }
}

/* The words that come from the catalogue and the card's titles, in the
 * card's language; the live values follow at the next refresh. */
static void
set_fixed_texts (NtBeamlineCard *self)
{
  NtBeamline *bl = self->beamline;
  guint n_stations = self->rows->len;
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;
  gboolean ja_first;
  g_autofree char *demand = NULL;
  const char *source;
  guint shifts = 0;

  nt_language_scope_enter (&scope, self->language);
  ja_first = nt_i18n_prefers_japanese ();

  gtk_label_set_label (self->program_label, nt_beamline_words_program (bl));
  gtk_label_set_label (self->fe_title, _("Front-end shutter"));
  gtk_label_set_label (self->technique_primary, nt_beamline_words_technique (bl, ja_first));
  gtk_label_set_label (self->technique_secondary, nt_beamline_words_technique (bl, !ja_first));
  source = nt_beamline_words_source (bl);

  if (n_stations == 1)
    gtk_label_set_label (self->source_label, source);
  else
    {
      g_autofree char *count = g_strdup_printf (nt_ngettext ("%u station", "%u stations", n_stations),
                                                n_stations);
      /* Translators: light source and number of stations, “Multipole wiggler · 3 stations” */
      g_autofree char *text = g_strdup_printf (_("%s · %s"), source, count);

      gtk_label_set_label (self->source_label, text);
    }

  for (guint i = 0; i < n_stations; i++)
    {
      StationRow *row = &g_array_index (self->rows, StationRow, i);
      g_autofree char *energy = nt_beamline_words_energy (row->station);

      if (row->kind_label != NULL)
        gtk_label_set_label (row->kind_label, station_kind_label (row->station));
      gtk_label_set_label (row->range_label, energy);
      gtk_label_set_label (row->state_title, _("Station"));
      gtk_label_set_label (row->shutter_title, _("Beam shutter"));
      gtk_label_set_label (row->energy_title, _("Photon energy"));
      gtk_label_set_label (row->scheduled_title, C_("scheduled", "Now"));
      shifts += nt_station_get_public_shifts_2026a (row->station);
    }

  /* Translators: shifts offered to the 2026A public call, and the days a year
   * users asked for in the 2022 survey */
  demand = g_strdup_printf (_("2026A public call: %u shifts · 2022 survey: %u days requested"),
                            shifts, nt_beamline_get_requested_days (bl));
  gtk_label_set_label (self->demand_label, demand);
}

/* Sets an enum value: its label in words, or "—" when not live. */
static NtPvSeverity
show_enum (GtkInscription *label,
           NtPvRecord     *record,
           gboolean        connected)
{
  NtPvSeverity severity = record && connected ? nt_pv_record_get_severity (record) : NT_PV_SEVERITY_UNDEFINED;

  if (connected && nt_pv_record_is_shown (record))
    set_value (label, nt_labels_translate (nt_pv_record_get_enum_text (record)));
  else
    {
      set_value (label, "—");
      severity = NT_PV_SEVERITY_UNDEFINED;
    }
  set_severity (label, severity);
  return severity;
}

static void
update_schedule_text (NtBeamlineCard *self,
                      StationRow     *row,
                      gint64          now)
{
  const char *station_id = nt_station_get_id (row->station);
  g_autofree char *text = NULL;

  if (self->schedule == NULL || !nt_station_schedule_is_loaded (self->schedule))
    {
      const GError *error = self->schedule != NULL ? nt_station_schedule_get_error (self->schedule) : NULL;

      if (g_error_matches (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_AUTH))
        text = g_strdup (_("Schedule needs an access token"));
      else if (error != NULL)
        text = g_strdup (_("Schedule not available"));
      else
        text = g_strdup ("—");
    }
  else
    {
      NtAllocation *alloc = nt_station_schedule_lookup_at (self->schedule, station_id, now);

      if (alloc != NULL)
        {
          g_autofree char *who = nt_station_schedule_describe (self->schedule, alloc);
          g_autofree char *left = nt_station_schedule_format_left (nt_allocation_get_end (alloc) - now);

          /* Translators: who has the station now, and the time left: “Public: 2026A0012 · 3 h 05 min left” */
          text = g_strdup_printf (_("%s · %s"), who, left);
        }
      else
        text = g_strdup (_("Nothing scheduled"));
    }

  set_value (row->scheduled_value, text);
}

/* The card, and the grid cell that takes the focus for it (a flow box
 * child), say the same. */
static void
push_accessible (NtBeamlineCard *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  if (self->accessible_name == NULL)
    return;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->accessible_name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->accessible_description,
                                  -1);
  if (GTK_IS_FLOW_BOX_CHILD (parent))
    gtk_accessible_update_property (GTK_ACCESSIBLE (parent),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, self->accessible_name,
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->accessible_description,
                                    -1);
}

static void
set_accessible (NtBeamlineCard *self,
                const char     *name,
                const char     *description)
{
  if (g_strcmp0 (name, self->accessible_name) == 0 &&
      g_strcmp0 (description, self->accessible_description) == 0)
    return;

  g_free (self->accessible_name);
  self->accessible_name = g_strdup (name);
  g_free (self->accessible_description);
  self->accessible_description = g_strdup (description);
  push_accessible (self);
}

static void
nt_beamline_card_refresh (NtBeamlineCard *self)
{
  gint64 now = nt_clock_now ();
  gboolean ready = self->context != NULL && nt_context_get_state (self->context) == NT_CONTEXT_READY;
  NtPvClient *client = nt_pv_watch_get_client (self->watch);
  gboolean connected = ready && client != NULL && nt_pv_client_get_state (client) == NT_CONNECTION_CONNECTED;
  NtPvRecord *current = nt_pv_watch_lookup (self->watch, self->current_sig);
  NtPvRecord *mode = nt_pv_watch_lookup (self->watch, self->mode_sig);
  gboolean no_beam = FALSE;
  gboolean problem = FALSE;
  gboolean lost = FALSE;
  g_autofree char *fault_at = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GString) description = g_string_new (NULL);
  g_autofree char *name = NULL;
  NtPvSeverity severity;
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

  nt_language_scope_enter (&scope, self->language);
  self->n_refreshes++;

  if (connected && nt_pv_record_is_shown (current) && nt_pv_record_get_double (current) < NO_BEAM_MA)
    no_beam = TRUE;

  /* Front end */
  severity = show_enum (self->fe_value, nt_pv_watch_lookup (self->watch, self->fe_sig), connected);
  if (severity == NT_PV_SEVERITY_UNDEFINED)
    lost = TRUE;
  else if (severity != NT_PV_SEVERITY_NONE)
    problem = TRUE;
  /* Translators: what a screen reader says for the front-end shutter */
  g_string_append_printf (description, _("Front-end shutter %s."), gtk_inscription_get_text (self->fe_value));

  for (guint i = 0; i < self->rows->len; i++)
    {
      StationRow *row = &g_array_index (self->rows, StationRow, i);
      NtPvRecord *state = nt_pv_watch_lookup (self->watch, row->sigs[ST_STATE]);
      NtPvRecord *shutter = nt_pv_watch_lookup (self->watch, row->sigs[ST_SHUTTER]);
      NtPvRecord *energy = nt_pv_watch_lookup (self->watch, row->sigs[ST_ENERGY]);
      gboolean station_fault = FALSE;

      severity = show_enum (row->state_value, state, connected);
      if (severity == NT_PV_SEVERITY_UNDEFINED)
        lost = TRUE;
      else if (severity != NT_PV_SEVERITY_NONE ||
               g_strcmp0 (nt_pv_record_get_enum_text (state), "Fault") == 0)
        station_fault = TRUE;

      severity = show_enum (row->shutter_value, shutter, connected);
      if (severity == NT_PV_SEVERITY_UNDEFINED)
        lost = TRUE;
      else if (severity != NT_PV_SEVERITY_NONE ||
               g_strcmp0 (nt_pv_record_get_enum_text (shutter), "Fault") == 0)
        station_fault = TRUE;

      if (connected && nt_pv_record_is_shown (energy) && !isnan (nt_pv_record_get_double (energy)))
        {
          g_autofree char *text = nt_format_energy (nt_pv_record_get_double (energy));

          set_value (row->energy_value, text);
          set_severity (row->energy_value, nt_pv_record_get_severity (energy));
          if (nt_pv_record_get_severity (energy) != NT_PV_SEVERITY_NONE)
            station_fault = TRUE;
        }
      else
        {
          set_value (row->energy_value, "—");
          set_severity (row->energy_value, NT_PV_SEVERITY_UNDEFINED);
          lost = TRUE;
        }

      update_schedule_text (self, row, now);

      if (station_fault)
        {
          problem = TRUE;
          if (fault_at == NULL)
            fault_at = g_strdup (nt_station_get_id (row->station));
        }

      /* Translators: what a screen reader says for one station:
       * station, its state, shutter, energy and what is scheduled */
      g_string_append_printf (description, _(" %s: %s, shutter %s, %s. Scheduled: %s."),
                              nt_station_get_id (row->station),
                              gtk_inscription_get_text (row->state_value),
                              gtk_inscription_get_text (row->shutter_value),
                              gtk_inscription_get_text (row->energy_value),
                              gtk_inscription_get_text (row->scheduled_value));
    }

  /* The card's own words: the most important thing first. */
  if (self->context != NULL && nt_context_get_state (self->context) == NT_CONTEXT_FAILED)
    status = g_strdup (_("Not connected to the facility"));
  else if (!ready || (client != NULL && nt_pv_client_get_state (client) == NT_CONNECTION_CONNECTING &&
                      nt_pv_client_get_lost_at (client) == 0))
    status = g_strdup (_("Waiting for the facility…"));
  else if (!connected)
    status = g_strdup (_("Disconnected: no live values"));
  else if (no_beam)
    {
      const char *why = nt_pv_record_is_shown (mode) ? nt_labels_translate (nt_pv_record_get_enum_text (mode)) : NULL;

      if (why != NULL && why[0] != '\0')
        /* Translators: the ring holds no beam, and the machine mode says why */
        status = g_strdup_printf (_("No beam in the ring (%s)"), why);
      else
        status = g_strdup (_("No beam in the ring"));
    }
  else if (fault_at != NULL)
    /* Translators: a station reports a fault or an alarm */
    status = g_strdup_printf (_("Fault at %s"), fault_at);
  else if (problem)
    status = g_strdup (_("Front-end shutter fault"));
  else if (lost)
    status = g_strdup (_("Some signals are disconnected"));

  self->disconnected = !connected;
  if (!connected)
    lost = TRUE;

  /* The status keeps its room (one line) whether it says something or
   * not: a card never changes size, so the grid never moves. */
  set_value (self->status_label, status ? status : "");
  {
    const char *kind = !connected ? "disconnected"
                       : (problem || lost) ? "problem"
                       : no_beam ? "no-beam" : NULL;

    /* On the status line only: a class on the card would restyle all of
     * it, which costs more than every value of the card together. */
    nt_widget_set_class_among (GTK_WIDGET (self->status_label), card_classes, G_N_ELEMENTS (card_classes), kind);
  }

  self->no_beam = no_beam;
  if (self->problem != (problem || lost))
    {
      self->problem = problem || lost;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
    }

  /* Translators: a beamline card's accessible name: id, program and technique */
  name = g_strdup_printf (_("%s, %s beamline, %s"),
                          nt_beamline_get_id (self->beamline), nt_beamline_words_program (self->beamline),
                          gtk_label_get_label (self->technique_primary));
  g_string_prepend (description, " ");
  g_string_prepend (description, status ? status : _("Working normally."));
  set_accessible (self, name, description->str);
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  NtBeamlineCard *self = user_data;

  self->refresh_id = 0;
  nt_beamline_card_refresh (self);

  return G_SOURCE_REMOVE;
}

/* A batch named one of the card's signals: one refresh on the grid
 * shared by every card. */
static void
schedule_refresh (NtBeamlineCard *self)
{
  gint64 now = g_get_monotonic_time ();
  guint delay_ms = (guint) ((REFRESH_PERIOD_US - now % REFRESH_PERIOD_US) / 1000);

  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add_full (G_PRIORITY_DEFAULT, MAX (delay_ms, 1u),
                                           refresh_timeout_cb, self, NULL);
}

/* A lost connection is shown at once, not on the next refresh. */
static void
client_state_cb (NtBeamlineCard *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  nt_beamline_card_refresh (self);
}

/* The card's signals, in the order they were always subscribed. */
static void
watch_signals (NtBeamlineCard *self)
{
  g_autofree char *fe_key = g_strdup_printf ("bl.%s.fe_shutter", nt_beamline_get_id (self->beamline));

  self->watch = nt_pv_watch_new (self->context, G_CALLBACK (nt_beamline_card_refresh),
                                 G_CALLBACK (client_state_cb), G_CALLBACK (schedule_refresh), self);
  self->fe_sig = nt_pv_watch_add (self->watch, fe_key);
  self->mode_sig = nt_pv_watch_add (self->watch, "ring.mode");
  self->current_sig = nt_pv_watch_add (self->watch, "ring.current");
  for (guint i = 0; i < self->rows->len; i++)
    {
      StationRow *row = &g_array_index (self->rows, StationRow, i);
      const char *id = nt_station_get_id (row->station);
      g_autofree char *k_shutter = g_strdup_printf ("bl.%s.shutter", id);
      g_autofree char *k_state = g_strdup_printf ("bl.%s.state", id);
      g_autofree char *k_energy = g_strdup_printf ("bl.%s.energy", id);

      row->sigs[ST_SHUTTER] = nt_pv_watch_add (self->watch, k_shutter);
      row->sigs[ST_STATE] = nt_pv_watch_add (self->watch, k_state);
      row->sigs[ST_ENERGY] = nt_pv_watch_add (self->watch, k_energy);
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  NtBeamlineCard *self = user_data;
  gint64 now = nt_clock_now ();
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

  nt_language_scope_enter (&scope, self->language);
  /* The time left moves on by itself. */
  for (guint i = 0; i < self->rows->len; i++)
    update_schedule_text (self, &g_array_index (self->rows, StationRow, i), now);

  return G_SOURCE_CONTINUE;
}

static void
nt_beamline_card_constructed (GObject *object)
{
  NtBeamlineCard *self = (NtBeamlineCard *)object;

  G_OBJECT_CLASS (nt_beamline_card_parent_class)->constructed (object);

  build_facts (self);
  set_fixed_texts (self);
  watch_signals (self);

  if (self->context != NULL)
    {
      nt_pv_watch_start (self->watch);
      self->tick_id = g_timeout_add_seconds (30, tick_cb, self);
    }
  else
    nt_beamline_card_refresh (self);
}

static void
nt_beamline_card_dispose (GObject *object)
{
  NtBeamlineCard *self = (NtBeamlineCard *)object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_pointer (&self->watch, nt_pv_watch_free);
  nt_disconnect_and_clear (&self->schedule, self);
  g_clear_object (&self->context);
  gtk_widget_dispose_template (GTK_WIDGET (self), NT_TYPE_BEAMLINE_CARD);
  g_clear_object (&self->beamline);

  G_OBJECT_CLASS (nt_beamline_card_parent_class)->dispose (object);
}

static void
nt_beamline_card_finalize (GObject *object)
{
  NtBeamlineCard *self = (NtBeamlineCard *)object;

  g_clear_pointer (&self->rows, g_array_unref);
  g_free (self->accessible_name);
  g_free (self->accessible_description);
  g_free (self->language);

  G_OBJECT_CLASS (nt_beamline_card_parent_class)->finalize (object);
}

static void
nt_beamline_card_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  NtBeamlineCard *self = NT_BEAMLINE_CARD (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_BEAMLINE:
      g_value_set_object (value, self->beamline);
      break;

    case PROP_PROBLEM:
      g_value_set_boolean (value, self->problem);
      break;

    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_beamline_card_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  NtBeamlineCard *self = NT_BEAMLINE_CARD (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    case PROP_BEAMLINE:
      self->beamline = g_value_dup_object (value);
      break;

    case PROP_LANGUAGE:
      nt_beamline_card_set_language (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_beamline_card_class_init (NtBeamlineCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = nt_beamline_card_constructed;
  object_class->dispose = nt_beamline_card_dispose;
  object_class->finalize = nt_beamline_card_finalize;
  object_class->get_property = nt_beamline_card_get_property;
  object_class->set_property = nt_beamline_card_set_property;

  properties[PROP_CONTEXT] = nt_context_param_spec_new ();
  properties[PROP_BEAMLINE] =
    g_param_spec_object ("beamline", NULL, NULL, NT_TYPE_BEAMLINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM] =
    g_param_spec_boolean ("problem", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * NtBeamlineCard:language:
   *
   * The language the card speaks ("en", "ja"), or %NULL for the
   * session's: the kiosk sets it to follow its own language button.
   */
  properties[PROP_LANGUAGE] = nt_language_param_spec_new ();
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/nt-beamline-card.ui");
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, box);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, id_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, program_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, technique_primary);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, technique_secondary);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, status_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, fe_title);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, fe_value);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, stations_box);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, source_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, demand_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "beamlinecard");
}

static void
nt_beamline_card_init (NtBeamlineCard *self)
{
  self->rows = g_array_new (FALSE, TRUE, sizeof (StationRow));
  g_array_set_clear_func (self->rows, station_row_clear);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "notify::parent", G_CALLBACK (push_accessible), NULL);
}

/**
 * nt_beamline_card_new:
 * @context: (nullable): where live values come from; %NULL shows the
 *   catalogue's facts only
 */
GtkWidget *
nt_beamline_card_new (NtContext  *context,
                      NtBeamline *beamline)
{
  g_return_val_if_fail (context == NULL || NT_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (NT_IS_BEAMLINE (beamline), NULL);

  return g_object_new (NT_TYPE_BEAMLINE_CARD, "context", context, "beamline", beamline, NULL);
}

/**
 * nt_beamline_card_set_language:
 * @language: (nullable): "en", "ja", or %NULL for the session's language
 *
 * Shows the card's words in @language from now on.
 */
void
nt_beamline_card_set_language (NtBeamlineCard *self,
                               const char     *language)
{
  g_return_if_fail (NT_IS_BEAMLINE_CARD (self));

  if (!nt_language_replace (&self->language, language))
    return;

  /* Before construction the catalogue's words are not there yet; they
   * are set in the new language when they are. */
  if (self->beamline != NULL && self->rows->len > 0)
    {
      set_fixed_texts (self);
      nt_beamline_card_refresh (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

const char *
nt_beamline_card_get_language (NtBeamlineCard *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_CARD (self), NULL);
  return self->language;
}

/**
 * nt_beamline_card_get_beamline:
 *
 * Returns: (transfer none): the beamline the card shows
 */
NtBeamline *
nt_beamline_card_get_beamline (NtBeamlineCard *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_CARD (self), NULL);
  return self->beamline;
}

/**
 * nt_beamline_card_set_schedule:
 * @schedule: (nullable): where "scheduled now" comes from
 */
void
nt_beamline_card_set_schedule (NtBeamlineCard    *self,
                               NtStationSchedule *schedule)
{
  g_return_if_fail (NT_IS_BEAMLINE_CARD (self));
  g_return_if_fail (schedule == NULL || NT_IS_STATION_SCHEDULE (schedule));

  if (!nt_disconnect_and_set (&self->schedule, schedule, self))
    return;

  if (schedule != NULL)
    g_signal_connect_swapped (schedule, "changed", G_CALLBACK (nt_beamline_card_refresh), self);

  nt_beamline_card_refresh (self);
}

/**
 * nt_beamline_card_get_problem:
 *
 * Returns: whether the card shows a fault, an alarm or a lost signal
 */
gboolean
nt_beamline_card_get_problem (NtBeamlineCard *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_CARD (self), FALSE);
  return self->problem;
}

gboolean
nt_beamline_card_get_disconnected (NtBeamlineCard *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_CARD (self), FALSE);
  return self->disconnected;
}

gboolean
nt_beamline_card_get_no_beam (NtBeamlineCard *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_CARD (self), FALSE);
  return self->no_beam;
}

/**
 * nt_beamline_card_get_status_text:
 *
 * Returns: the card's words about its state ("" when all is well)
 */
const char *
nt_beamline_card_get_status_text (NtBeamlineCard *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_CARD (self), NULL);
  return gtk_inscription_get_text (self->status_label);
}

const char *
nt_beamline_card_get_fe_shutter_text (NtBeamlineCard *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_CARD (self), NULL);
  return gtk_inscription_get_text (self->fe_value);
}

/**
 * nt_beamline_card_get_station_text:
 *
 * Returns: (nullable): what the card shows for one field of a station
 */
const char *
nt_beamline_card_get_station_text (NtBeamlineCard *self,
                                   const char     *station_id,
                                   NtCardField     field)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_CARD (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      StationRow *row = &g_array_index (self->rows, StationRow, i);

      if (g_strcmp0 (nt_station_get_id (row->station), station_id) != 0)
        continue;

      switch (field)
        {
        case NT_CARD_FIELD_STATE:
          return gtk_inscription_get_text (row->state_value);
        case NT_CARD_FIELD_SHUTTER:
          return gtk_inscription_get_text (row->shutter_value);
        case NT_CARD_FIELD_ENERGY:
          return gtk_inscription_get_text (row->energy_value);
        case NT_CARD_FIELD_SCHEDULED:
          return gtk_inscription_get_text (row->scheduled_value);
        default:
          g_return_val_if_reached (NULL);
        }
    }

  return NULL;
}

const char *
nt_beamline_card_get_accessible_name (NtBeamlineCard *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_CARD (self), NULL);
  return self->accessible_name;
}

const char *
nt_beamline_card_get_accessible_description (NtBeamlineCard *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_CARD (self), NULL);
  return self->accessible_description;
}

/**
 * nt_beamline_card_get_n_refreshes:
 *
 * Returns: how often the card has refreshed (once per batch naming one of
 *   its signals)
 */
guint
nt_beamline_card_get_n_refreshes (NtBeamlineCard *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINE_CARD (self), 0);
  return self->n_refreshes;
}

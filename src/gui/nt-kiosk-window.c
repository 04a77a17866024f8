/* nt-kiosk-window.c: the console as the lobby shows it
 *
 * Full screen, read only, large type; the pages (the beam, the beamlines,
 * the run plan, the facility explained for visitors) turn by themselves.
 * The kiosk's own words come in Japanese and English from
 * nt-kiosk-texts.json and switch at run time (a button, or alternating
 * each round of pages). When the services go away the kiosk says so calmly
 * in its header and carries on showing what it had; it never opens a
 * dialog. The pointer hides when idle, and only the exit key chord of the
 * settings closes the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-kiosk-window"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "nt-clock.h"
#include "nt-beam-panel.h"
#include "nt-beamline-card.h"
#include "nt-chart-feed.h"
#include "nt-connection-indicator.h"
#include "nt-facility-drawing.h"
#include "nt-i18n.h"
#include "nt-kiosk-window.h"
#include "nt-run-plan.h"
#include "nt-schedule-client.h"
#include "nt-series.h"
#include "nt-station-schedule.h"
#include "nt-time.h"

#define DEFAULT_EXIT_CHORD    "<Control><Alt><Shift>q"
#define POINTER_IDLE_SECONDS  3
#define RETRY_SECONDS         10
#define PLAN_RELOAD_SECONDS   300
#define PLAN_RETRY_SECONDS    15
/* 24 h at 1 Hz, twice over: history binned to the plot width plus the
 * live samples of weeks of running stay well inside this. */
#define SERIES_CAPACITY       (2 * 24 * 3600)

typedef struct
{
  GtkLabel *label;
  char     *section;
  char     *key;
} Bound;

struct _NtKioskWindow
{
  AdwApplicationWindow  parent_instance;

  NtContext            *context;
  GSettings            *settings;
  JsonParser           *texts;
  char                 *language;      /* "ja" or "en" */
  gboolean              alternate;
  GPtrArray            *bound;         /* of Bound */
  GPtrArray            *speakers;      /* widgets with a "language": they speak the kiosk's */
  GPtrArray            *page_names;    /* in carousel order */
  guint                 current;
  guint                 n_turns;

  AdwCarousel          *carousel;
  GtkLabel             *status_label;
  GtkBox               *indicator_box;
  GtkButton            *language_button;
  char                 *status_text;

  NtPvClient           *pv_client;
  NtStripChart         *chart;
  NtChartFeed          *feed;
  NtStationSchedule    *station_schedule;  /* what each card has booked now */

  GtkBox               *beamline_text_box;
  GtkBox               *plan_today_box;
  GtkBox               *plan_week_box;
  GtkBox               *plan_beamtime_box;
  GtkLabel             *plan_note;
  GtkLabel             *plan_hours;
  GPtrArray            *periods;       /* of NtRunPeriod, or NULL before the first read */
  GPtrArray            *allocations;   /* of NtAllocation */
  gint64                plan_day;      /* the local day the plan was read for */
  gboolean              plan_stale;
  guint                 plan_pending;
  gboolean              plan_failed;
  char                 *plan_text;

  GCancellable         *cancellable;
  guint                 rotate_id;
  guint                 pointer_id;
  guint                 plan_id;
  guint                 retry_id;
  gboolean              pointer_hidden;
  double                pointer_x;
  double                pointer_y;
  gboolean              pointer_seen;
  gboolean              exiting;

  GtkShortcut          *exit_shortcut;
  guint                 exit_keyval;
  GdkModifierType       exit_modifiers;
};

G_DEFINE_FINAL_TYPE (NtKioskWindow, nt_kiosk_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void load_plan (NtKioskWindow *self);
static void rebuild_plan (NtKioskWindow *self);
static void rebuild_beamline_texts (NtKioskWindow *self);

static void
bound_free (gpointer data)
{
  Bound *b = data;

  g_free (b->section);
  g_free (b->key);
  g_free (b);
}

static const char *
lookup_in (NtKioskWindow *self,
           const char    *section,
           const char    *key)
{
  JsonObject *root;
  JsonObject *sec;
  JsonObject *entry;

  if (self->texts == NULL || key == NULL)
    return key;

  root = json_node_get_object (json_parser_get_root (self->texts));
  sec = json_object_get_object_member (root, section);
  if (sec == NULL || !json_object_has_member (sec, key))
    {
      g_debug ("no kiosk text %s/%s", section, key);
      return key;
    }
  entry = json_object_get_object_member (sec, key);
  if (entry == NULL || !json_object_has_member (entry, self->language))
    return key;

  return json_object_get_string_member (entry, self->language);
}

static const char *
text (NtKioskWindow *self,
      const char    *key)
{
  return lookup_in (self, "ui", key);
}

static GtkWidget *
make_label (const char *str,
            const char *css_class,
            gboolean    wrap)
{
  GtkWidget *label = gtk_label_new (str);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), wrap);
  if (wrap)
    gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

/* A label whose words follow the kiosk's language. */
static GtkWidget *
bound_label (NtKioskWindow *self,
             const char    *key,
             const char    *css_class,
             gboolean       wrap)
{
  GtkWidget *label = make_label (text (self, key), css_class, wrap);
  Bound *b = g_new0 (Bound, 1);

  b->label = GTK_LABEL (label);
  b->section = g_strdup ("ui");
  b->key = g_strdup (key);
  g_ptr_array_add (self->bound, b);

  return label;
}

static void
remove_children (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

/* The beam panel, the cards, the chart and the connection indicator are
 * the main window's widgets, the ring picture the kiosk's own; each has a
 * "language" and speaks the kiosk's, not the session's. */
static GtkWidget *
speaker (NtKioskWindow *self,
         GtkWidget     *widget)
{
  g_object_set (widget, "language", self->language, NULL);
  g_ptr_array_add (self->speakers, g_object_ref (widget));
  return widget;
}

static void
name_chart_series (NtKioskWindow *self)
{
  g_auto(NtLanguageScope) scope = NT_LANGUAGE_SCOPE_INIT;

  nt_language_scope_enter (&scope, self->language);
  if (self->chart != NULL)
    nt_strip_chart_set_series_name (self->chart, 0, _("Stored current"));
}

static void
update_language_button (NtKioskWindow *self)
{
  gtk_button_set_label (self->language_button, text (self, "switch-language"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->language_button), text (self, "switch-language-tip"));
}

static void
apply_language (NtKioskWindow *self)
{
  for (guint i = 0; i < self->bound->len; i++)
    {
      Bound *b = g_ptr_array_index (self->bound, i);

      gtk_label_set_label (b->label, lookup_in (self, b->section, b->key));
    }

  update_language_button (self);
  rebuild_beamline_texts (self);
  rebuild_plan (self);
  for (guint i = 0; i < self->speakers->len; i++)
    g_object_set (g_ptr_array_index (self->speakers, i), "language", self->language, NULL);
  name_chart_series (self);
  /* Status words too. */
  gtk_label_set_label (self->status_label, self->status_text ? text (self, self->status_text) : "");
}

/* ---- status: starting, reconnecting, or nothing to say ---- */

static gboolean
retry_cb (gpointer user_data)
{
  NtKioskWindow *self = user_data;

  self->retry_id = 0;
  if (nt_context_get_state (self->context) == NT_CONTEXT_FAILED)
    {
      g_debug ("the facility could not be reached; trying again");
      nt_context_start (self->context);
    }

  return G_SOURCE_REMOVE;
}

static void
update_status (NtKioskWindow *self)
{
  const char *key = NULL;

  switch (nt_context_get_state (self->context))
    {
    case NT_CONTEXT_IDLE:
    case NT_CONTEXT_STARTING:
      key = "starting";
      break;

    case NT_CONTEXT_FAILED:
      /* Calmly, and again later: the lobby has nobody to press a button. */
      key = "reconnecting";
      if (self->retry_id == 0)
        self->retry_id = g_timeout_add_seconds (RETRY_SECONDS, retry_cb, self);
      break;

    case NT_CONTEXT_READY:
      if (self->pv_client != NULL &&
          nt_pv_client_get_state (self->pv_client) != NT_CONNECTION_CONNECTED)
        key = "reconnecting";
      break;

    default:
      break;
    }

  g_free (self->status_text);
  self->status_text = g_strdup (key);
  gtk_label_set_label (self->status_label, key ? text (self, key) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), key != NULL);
}

static void
pv_state_cb (NtKioskWindow *self)
{
  update_status (self);

  /* Back after a loss: read the plan again rather than wait. */
  if (self->pv_client != NULL &&
      nt_pv_client_get_state (self->pv_client) == NT_CONNECTION_CONNECTED &&
      self->plan_stale)
    load_plan (self);
}

static void
context_state_cb (NtKioskWindow *self)
{
  NtPvClient *client = nt_context_get_pv_client (self->context);

  if (client != self->pv_client)
    {
      if (self->pv_client != NULL)
        g_signal_handlers_disconnect_by_data (self->pv_client, self);
      g_set_object (&self->pv_client, client);
      if (client != NULL)
        g_signal_connect_swapped (client, "notify::state", G_CALLBACK (pv_state_cb), self);
    }

  if (nt_context_get_state (self->context) == NT_CONTEXT_READY)
    {
      const char *pv = nt_context_lookup_pv (self->context, "ring.current");

      if (self->chart != NULL && self->feed == NULL && pv != NULL)
        self->feed = nt_chart_feed_new (self->chart, 0,
                                        nt_context_get_pv_client (self->context),
                                        nt_context_get_archive_client (self->context),
                                        pv);
      if (self->plan_today_box != NULL && self->periods == NULL && self->plan_pending == 0)
        load_plan (self);
    }

  update_status (self);
}

/* ---- pages ---- */

static GtkWidget *
page_box (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);

  gtk_widget_add_css_class (box, "kiosk-page");
  gtk_widget_set_hexpand (box, TRUE);
  gtk_widget_set_vexpand (box, TRUE);
  /* Read only: nothing on a page takes the pointer or the focus. */
  gtk_widget_set_can_focus (box, FALSE);
  gtk_widget_set_can_target (box, FALSE);

  return box;
}

/* Pages are laid out height-for-width (their words wrap); a scrolled
 * window without a horizontal scrollbar asks them that way only. It takes
 * no input: nothing on a kiosk page is meant to be scrolled by hand. */
static GtkWidget *
wrap_page (GtkWidget *page)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller),
                                  GTK_POLICY_NEVER, GTK_POLICY_EXTERNAL);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), page);
  gtk_widget_set_hexpand (scroller, TRUE);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_widget_set_can_focus (scroller, FALSE);
  gtk_widget_set_can_target (scroller, FALSE);

  return scroller;
}

static GtkWidget *
build_beam_page (NtKioskWindow *self)
{
  GtkWidget *box = page_box ();
  GtkWidget *columns;
  GtkWidget *panel;
  GtkWidget *chart_box;
  NtSeries *series;

  gtk_box_append (GTK_BOX (box), bound_label (self, "beam-title", "kiosk-title", FALSE));
  gtk_box_append (GTK_BOX (box), bound_label (self, "beam-subtitle", "kiosk-subtitle", TRUE));

  /* The panel beside the chart: a lobby screen is wide, and the day's
   * current needs the height. */
  columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 48);
  gtk_widget_set_vexpand (columns, TRUE);
  panel = speaker (self, nt_beam_panel_new (self->context));
  gtk_widget_set_size_request (panel, 420, -1);
  gtk_box_append (GTK_BOX (columns), panel);
  chart_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_hexpand (chart_box, TRUE);
  gtk_box_append (GTK_BOX (chart_box), bound_label (self, "beam-chart", "kiosk-heading", FALSE));
  gtk_box_append (GTK_BOX (columns), chart_box);
  gtk_box_append (GTK_BOX (box), columns);

  self->chart = NT_STRIP_CHART (nt_strip_chart_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->chart), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self->chart), -1, 280);
  series = nt_series_new (SERIES_CAPACITY);
  nt_strip_chart_add_series (self->chart, _("Stored current"), "mA", series, "ring-current");
  /* From 0 mA, at least 10 mA high, "No beam" under 1 mA. */
  nt_strip_chart_show_stored_current (self->chart, 0);
  g_object_unref (series);
  nt_strip_chart_set_range (self->chart, NT_STRIP_CHART_RANGE_24_HOURS);
  nt_strip_chart_set_follow_live (self->chart, TRUE);
  speaker (self, GTK_WIDGET (self->chart));
  name_chart_series (self);
  gtk_box_append (GTK_BOX (chart_box), GTK_WIDGET (self->chart));

  return box;
}

static GtkWidget *
build_beamlines_page (NtKioskWindow *self)
{
  GtkWidget *box = page_box ();
  GtkWidget *flow = gtk_flow_box_new ();
  NtCatalogue *catalogue = nt_context_get_catalogue (self->context);

  gtk_box_append (GTK_BOX (box), bound_label (self, "beamlines-title", "kiosk-title", FALSE));
  gtk_box_append (GTK_BOX (box), bound_label (self, "beamlines-subtitle", "kiosk-subtitle", TRUE));

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  /* Ten cards in two rows of five where the screen has room for them
   * (a 1920 px lobby screen); fewer per row on a smaller one. */
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 2);
  gtk_widget_add_css_class (flow, "kiosk-cards");
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 5);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 12);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 12);
  gtk_widget_set_valign (flow, GTK_ALIGN_START);

  if (catalogue != NULL)
    {
      GListModel *beamlines = nt_catalogue_get_beamlines (catalogue);

      self->station_schedule = nt_station_schedule_new (self->context);
      for (guint i = 0; i < g_list_model_get_n_items (beamlines); i++)
        {
          g_autoptr(NtBeamline) beamline = g_list_model_get_item (beamlines, i);
          GtkWidget *card = speaker (self, nt_beamline_card_new (self->context, beamline));

          nt_beamline_card_set_schedule (NT_BEAMLINE_CARD (card), self->station_schedule);
          gtk_flow_box_append (GTK_FLOW_BOX (flow), card);
        }
    }

  gtk_box_append (GTK_BOX (box), flow);

  return box;
}

static GtkWidget *
plan_column (NtKioskWindow *self,
             const char    *key,
             GtkBox       **rows)
{
  GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

  gtk_widget_set_hexpand (column, TRUE);
  gtk_box_append (GTK_BOX (column), bound_label (self, key, "kiosk-heading", FALSE));
  *rows = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));
  gtk_box_append (GTK_BOX (column), GTK_WIDGET (*rows));

  return column;
}

static GtkWidget *
build_plan_page (NtKioskWindow *self)
{
  GtkWidget *box = page_box ();
  GtkWidget *columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 48);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);

  gtk_box_set_homogeneous (GTK_BOX (columns), TRUE);

  gtk_box_append (GTK_BOX (box), bound_label (self, "plan-title", "kiosk-title", FALSE));
  self->plan_note = GTK_LABEL (make_label ("", "kiosk-subtitle", TRUE));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->plan_note));

  gtk_box_append (GTK_BOX (left), plan_column (self, "plan-today", &self->plan_today_box));
  gtk_box_append (GTK_BOX (left), plan_column (self, "plan-beamtime", &self->plan_beamtime_box));
  gtk_box_append (GTK_BOX (columns), left);
  gtk_box_append (GTK_BOX (columns), plan_column (self, "plan-week", &self->plan_week_box));
  gtk_box_append (GTK_BOX (box), columns);

  self->plan_hours = GTK_LABEL (make_label ("", "kiosk-heading", TRUE));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->plan_hours));

  rebuild_plan (self);

  return box;
}

static GtkWidget *
legend_row (NtKioskWindow *self,
            const char    *state_class,
            const char    *key)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *swatch = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_add_css_class (swatch, "kiosk-swatch");
  gtk_widget_add_css_class (swatch, state_class);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (row), swatch);
  gtk_box_append (GTK_BOX (row), bound_label (self, key, NULL, FALSE));

  return row;
}

static GtkWidget *
build_facility_page (NtKioskWindow *self)
{
  GtkWidget *box = page_box ();
  GtkWidget *columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 36);
  GtkWidget *drawing = speaker (self, nt_facility_drawing_new (self->context));

  /* The picture gets as much room as the words. */
  gtk_box_set_homogeneous (GTK_BOX (columns), TRUE);
  GtkWidget *right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 14);
  GtkWidget *legend = gtk_flow_box_new ();

  gtk_box_append (GTK_BOX (box), bound_label (self, "facility-title", "kiosk-title", FALSE));

  gtk_widget_set_hexpand (drawing, TRUE);
  gtk_widget_set_vexpand (drawing, TRUE);
  gtk_box_append (GTK_BOX (columns), drawing);

  gtk_widget_set_hexpand (right, TRUE);
  gtk_box_append (GTK_BOX (right), bound_label (self, "facility-what", "kiosk-body", TRUE));
  gtk_box_append (GTK_BOX (right), bound_label (self, "facility-ring", "kiosk-body", TRUE));
  gtk_box_append (GTK_BOX (right), bound_label (self, "facility-numbers", "kiosk-body", TRUE));

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (legend), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (legend), 5);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (legend), 18);
  gtk_widget_add_css_class (legend, "kiosk-legend");
  gtk_flow_box_append (GTK_FLOW_BOX (legend), legend_row (self, "port-open", "legend-open"));
  gtk_flow_box_append (GTK_FLOW_BOX (legend), legend_row (self, "port-closed", "legend-closed"));
  gtk_flow_box_append (GTK_FLOW_BOX (legend), legend_row (self, "port-moving", "legend-moving"));
  gtk_flow_box_append (GTK_FLOW_BOX (legend), legend_row (self, "port-fault", "legend-fault"));
  gtk_flow_box_append (GTK_FLOW_BOX (legend), legend_row (self, "port-unknown", "legend-unknown"));
  gtk_box_append (GTK_BOX (right), legend);

  gtk_box_append (GTK_BOX (columns), right);
  gtk_box_append (GTK_BOX (box), columns);

  /* What each beamline studies, in two columns under the picture. */
  self->beamline_text_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 36));
  gtk_box_set_homogeneous (self->beamline_text_box, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->beamline_text_box), "kiosk-beamline-list");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->beamline_text_box));
  rebuild_beamline_texts (self);

  return box;
}

static void
rebuild_beamline_texts (NtKioskWindow *self)
{
  NtCatalogue *catalogue = nt_context_get_catalogue (self->context);
  GListModel *beamlines;
  GtkWidget *halves[2];
  guint n;

  if (self->beamline_text_box == NULL || catalogue == NULL)
    return;

  remove_children (self->beamline_text_box);
  halves[0] = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  halves[1] = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_box_append (self->beamline_text_box, halves[0]);
  gtk_box_append (self->beamline_text_box, halves[1]);
  beamlines = nt_catalogue_get_beamlines (catalogue);
  n = g_list_model_get_n_items (beamlines);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NtBeamline) beamline = g_list_model_get_item (beamlines, i);
      const char *id = nt_beamline_get_id (beamline);
      gboolean ja = g_str_equal (self->language, "ja");
      g_autofree char *line = NULL;

      line = g_strdup_printf ("%s  %s — %s", id,
                              ja ? nt_beamline_get_technique_ja (beamline)
                                 : nt_beamline_get_technique_en (beamline),
                              lookup_in (self, "beamlines", id));
      gtk_box_append (GTK_BOX (halves[i < (n + 1) / 2 ? 0 : 1]), make_label (line, "kiosk-beamline", TRUE));
    }
}

/* ---- the run plan ---- */

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
  gtk_box_append (box, make_label (line, "kiosk-plan-row", TRUE));
  g_string_append (all, line);
  g_string_append_c (all, '\n');
}

static void
rebuild_plan (NtKioskWindow *self)
{
  g_autoptr(GString) all = g_string_new (NULL);
  gint64 day = self->plan_day;
  gint64 week_end = day + 7 * 24 * 3600;
  gint64 day_end = day + 24 * 3600;
  gint64 user_seconds = 0;
  guint n_today = 0, n_week = 0, n_beamtime = 0;

  if (self->plan_today_box == NULL)
    return;

  remove_children (self->plan_today_box);
  remove_children (self->plan_week_box);
  remove_children (self->plan_beamtime_box);

  if (self->periods == NULL)
    {
      gtk_label_set_label (self->plan_note, text (self, self->plan_failed ? "plan-stale" : "plan-loading"));
      gtk_label_set_label (self->plan_hours, "");
      g_free (self->plan_text);
      self->plan_text = g_strdup ("");
      return;
    }

  gtk_label_set_label (self->plan_note, self->plan_stale ? text (self, "plan-stale") : "");

  for (guint i = 0; i < self->periods->len; i++)
    {
      NtRunPeriod *period = g_ptr_array_index (self->periods, i);
      gint64 start = nt_run_period_get_start (period);
      gint64 end = nt_run_period_get_end (period);
      const char *kind = lookup_in (self, "kinds", nt_period_kind_to_string (nt_run_period_get_kind (period)));
      g_autofree char *line = NULL;

      if (end <= day || start >= week_end)
        continue;

      if (start < day_end)
        {
          g_autofree char *today = NULL;
          g_autofree char *span = NULL;

          if (start <= day && end >= day_end)
            span = g_strdup (text (self, "all-day"));
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
    add_plan_row (self, self->plan_today_box, all, text (self, "plan-empty"));
  if (n_week == 0)
    add_plan_row (self, self->plan_week_box, all, text (self, "plan-empty"));

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
          g_string_append_printf (line, "%s %s", text (self, nt_slot_to_string (nt_allocation_get_slot (a))), span);
        }
      if (line != NULL)
        {
          add_plan_row (self, self->plan_beamtime_box, all, line->str);
          n_beamtime++;
        }
    }
  if (n_beamtime == 0)
    add_plan_row (self, self->plan_beamtime_box, all, text (self, "plan-no-beamtime"));

  {
    g_autofree char *hours = g_strdup_printf ("%" G_GINT64_FORMAT, user_seconds / 3600);
    g_autoptr(GString) sentence = g_string_new (text (self, "plan-week-hours"));

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
  load_plan (self);

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
  rebuild_plan (self);

  g_clear_handle_id (&self->plan_id, g_source_remove);
  self->plan_id = g_timeout_add_seconds (self->plan_failed ? PLAN_RETRY_SECONDS : PLAN_RELOAD_SECONDS,
                                         plan_timer_cb, self);
}

static void
run_plan_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) periods = NULL;
  NtKioskWindow *self;

  periods = nt_schedule_client_list_run_plan_finish (NT_SCHEDULE_CLIENT (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  if (periods != NULL)
    {
      g_clear_pointer (&self->periods, g_ptr_array_unref);
      self->periods = g_steal_pointer (&periods);
    }
  plan_part_done (self, error);
}

static void
allocations_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) allocations = NULL;
  NtKioskWindow *self;

  allocations = nt_schedule_client_list_allocations_finish (NT_SCHEDULE_CLIENT (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  if (allocations != NULL)
    {
      g_clear_pointer (&self->allocations, g_ptr_array_unref);
      self->allocations = g_steal_pointer (&allocations);
    }
  plan_part_done (self, error);
}

static void
load_plan (NtKioskWindow *self)
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
                                          run_plan_cb, self);
  nt_schedule_client_list_allocations_async (client, day, day + 24 * 3600, NULL, NT_SLOT_ANY,
                                             self->cancellable, allocations_cb, self);
  self->plan_day = day;
}

/* ---- turning pages ---- */

static gboolean rotate_cb (gpointer user_data);

static void
restart_rotation (NtKioskWindow *self)
{
  guint interval = g_settings_get_uint (self->settings, "kiosk-interval");

  g_clear_handle_id (&self->rotate_id, g_source_remove);
  if (self->page_names->len > 1)
    self->rotate_id = g_timeout_add_seconds (MAX (interval, 1), rotate_cb, self);
}

static gboolean
rotate_cb (gpointer user_data)
{
  NtKioskWindow *self = user_data;

  self->rotate_id = 0;
  nt_kiosk_window_next_page (self);

  return G_SOURCE_REMOVE;
}

static void
page_changed_cb (NtKioskWindow *self,
                 guint          index)
{
  if (index == self->current)
    return;

  /* A visitor swiped: give the page they chose its full time. */
  self->current = index;
  restart_rotation (self);
}

static void
language_clicked_cb (NtKioskWindow *self)
{
  nt_kiosk_window_set_language (self, g_str_equal (self->language, "ja") ? "en" : "ja");
}

/* ---- pointer and exit ---- */

static gboolean
pointer_idle_cb (gpointer user_data)
{
  NtKioskWindow *self = user_data;

  self->pointer_id = 0;
  self->pointer_hidden = TRUE;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "none");

  return G_SOURCE_REMOVE;
}

static void
pointer_moved_cb (NtKioskWindow *self,
                  double         x,
                  double         y)
{
  /* GTK also reports "motion" when the pages change under a still
   * pointer: only a pointer that really moved counts as someone there. */
  if (self->pointer_seen &&
      fabs (x - self->pointer_x) < 1.0 && fabs (y - self->pointer_y) < 1.0)
    return;
  self->pointer_seen = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;

  if (self->pointer_hidden)
    {
      gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
      self->pointer_hidden = FALSE;
    }

  g_clear_handle_id (&self->pointer_id, g_source_remove);
  self->pointer_id = g_timeout_add_seconds (POINTER_IDLE_SECONDS, pointer_idle_cb, self);
}

static gboolean
exit_chord_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  nt_kiosk_window_exit (NT_KIOSK_WINDOW (widget));
  return TRUE;
}

static void
update_exit_chord (NtKioskWindow *self)
{
  g_autofree char *chord = g_settings_get_string (self->settings, "kiosk-exit-chord");
  guint keyval = 0;
  GdkModifierType modifiers = 0;

  if (!gtk_accelerator_parse (chord, &keyval, &modifiers) || keyval == 0 ||
      (modifiers & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) == 0)
    {
      /* A chord a visitor could press by chance would not keep the kiosk
       * shut: keep the default. */
      g_message ("The kiosk exit keys “%s” are not a key with Control, Alt or Super; "
                 "using %s", chord, DEFAULT_EXIT_CHORD);
      gtk_accelerator_parse (DEFAULT_EXIT_CHORD, &keyval, &modifiers);
    }

  self->exit_keyval = keyval;
  self->exit_modifiers = modifiers;
  gtk_shortcut_set_trigger (self->exit_shortcut, gtk_keyval_trigger_new (keyval, modifiers));
}

/* ---- vfuncs ---- */

static gboolean
nt_kiosk_window_close_request (GtkWindow *window)
{
  NtKioskWindow *self = NT_KIOSK_WINDOW (window);

  /* Only the exit chord leaves the kiosk. */
  if (!self->exiting)
    return TRUE;

  return GTK_WINDOW_CLASS (nt_kiosk_window_parent_class)->close_request (window);
}

static void
nt_kiosk_window_constructed (GObject *object)
{
  NtKioskWindow *self = (NtKioskWindow *)object;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) pages = NULL;
  g_autofree char *language = NULL;
  GtkShortcutController *shortcuts;
  GtkEventController *motion;

  G_OBJECT_CLASS (nt_kiosk_window_parent_class)->constructed (object);

  self->settings = g_object_ref (nt_context_get_settings (self->context));

  bytes = g_resources_lookup_data (RESOURCE_BASE "/nt-kiosk-texts.json", 0, &error);
  self->texts = json_parser_new ();
  if (bytes == NULL ||
      !json_parser_load_from_data (self->texts,
                                   g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
    {
      g_critical ("The kiosk texts shipped with the console are broken: %s", error->message);
      g_clear_object (&self->texts);
    }

  language = g_settings_get_string (self->settings, "kiosk-language");
  self->alternate = g_str_equal (language, "alternate");
  self->language = g_strdup (g_str_equal (language, "en") ? "en" : "ja");
  update_language_button (self);

  gtk_box_append (self->indicator_box, speaker (self, nt_connection_indicator_new (self->context)));

  pages = g_settings_get_strv (self->settings, "kiosk-pages");
  for (guint i = 0; pages[i] != NULL; i++)
    {
      GtkWidget *page = NULL;

      if (g_ptr_array_find_with_equal_func (self->page_names, pages[i], g_str_equal, NULL))
        continue;
      if (g_str_equal (pages[i], "beam"))
        page = build_beam_page (self);
      else if (g_str_equal (pages[i], "beamlines"))
        page = build_beamlines_page (self);
      else if (g_str_equal (pages[i], "plan"))
        page = build_plan_page (self);
      else if (g_str_equal (pages[i], "facility"))
        page = build_facility_page (self);
      else
        g_message ("The kiosk has no page called “%s”", pages[i]);

      if (page != NULL)
        {
          adw_carousel_append (self->carousel, wrap_page (page));
          g_ptr_array_add (self->page_names, g_strdup (pages[i]));
        }
    }
  if (self->page_names->len == 0)
    {
      /* Nothing usable configured: show the facility rather than nothing. */
      adw_carousel_append (self->carousel, wrap_page (build_facility_page (self)));
      g_ptr_array_add (self->page_names, g_strdup ("facility"));
    }

  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_set_scope (shortcuts, GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (shortcuts), GTK_PHASE_CAPTURE);
  self->exit_shortcut = gtk_shortcut_new (NULL, gtk_callback_action_new (exit_chord_cb, NULL, NULL));
  gtk_shortcut_controller_add_shortcut (shortcuts, g_object_ref (self->exit_shortcut));
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (shortcuts));
  update_exit_chord (self);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (pointer_moved_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  /* Start the idle count as if the pointer had just moved. */
  self->pointer_id = g_timeout_add_seconds (POINTER_IDLE_SECONDS, pointer_idle_cb, self);

  g_signal_connect_swapped (self->settings, "changed::kiosk-interval", G_CALLBACK (restart_rotation), self);
  g_signal_connect_swapped (self->settings, "changed::kiosk-exit-chord", G_CALLBACK (update_exit_chord), self);
  g_signal_connect_swapped (self->context, "notify::state", G_CALLBACK (context_state_cb), self);
  context_state_cb (self);
  restart_rotation (self);

  gtk_window_fullscreen (GTK_WINDOW (self));
}

static void
nt_kiosk_window_dispose (GObject *object)
{
  NtKioskWindow *self = (NtKioskWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->rotate_id, g_source_remove);
  g_clear_handle_id (&self->pointer_id, g_source_remove);
  g_clear_handle_id (&self->plan_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  if (self->pv_client != NULL)
    g_signal_handlers_disconnect_by_data (self->pv_client, self);
  g_clear_object (&self->pv_client);
  g_clear_object (&self->feed);
  g_clear_object (&self->station_schedule);
  self->chart = NULL;
  self->plan_today_box = NULL;
  self->plan_week_box = NULL;
  self->plan_beamtime_box = NULL;
  self->beamline_text_box = NULL;
  if (self->bound != NULL)
    g_ptr_array_set_size (self->bound, 0);
  if (self->speakers != NULL)
    g_ptr_array_set_size (self->speakers, 0);

  G_OBJECT_CLASS (nt_kiosk_window_parent_class)->dispose (object);
}

static void
nt_kiosk_window_finalize (GObject *object)
{
  NtKioskWindow *self = (NtKioskWindow *)object;

  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_object (&self->texts);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->exit_shortcut);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->bound, g_ptr_array_unref);
  g_clear_pointer (&self->speakers, g_ptr_array_unref);
  g_clear_pointer (&self->page_names, g_ptr_array_unref);
  g_clear_pointer (&self->periods, g_ptr_array_unref);
  g_clear_pointer (&self->allocations, g_ptr_array_unref);
  g_clear_pointer (&self->plan_text, g_free);
  g_clear_pointer (&self->status_text, g_free);

  G_OBJECT_CLASS (nt_kiosk_window_parent_class)->finalize (object);
}

static void
nt_kiosk_window_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  NtKioskWindow *self = NT_KIOSK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_kiosk_window_class_init (NtKioskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = nt_kiosk_window_constructed;
  object_class->dispose = nt_kiosk_window_dispose;
  object_class->finalize = nt_kiosk_window_finalize;
  object_class->set_property = nt_kiosk_window_set_property;

  window_class->close_request = nt_kiosk_window_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, NT_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (NT_TYPE_CONNECTION_INDICATOR);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/nt-kiosk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NtKioskWindow, carousel);
  gtk_widget_class_bind_template_child (widget_class, NtKioskWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, NtKioskWindow, indicator_box);
  gtk_widget_class_bind_template_child (widget_class, NtKioskWindow, language_button);
  gtk_widget_class_bind_template_callback (widget_class, language_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);
}

static void
nt_kiosk_window_init (NtKioskWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->bound = g_ptr_array_new_with_free_func (bound_free);
  self->speakers = g_ptr_array_new_with_free_func (g_object_unref);
  self->page_names = g_ptr_array_new_with_free_func (g_free);
  self->language = g_strdup ("ja");

  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ---- public API ---- */

NtKioskWindow *
nt_kiosk_window_new (GtkApplication *application,
                     NtContext      *context)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (NT_IS_CONTEXT (context), NULL);

  return g_object_new (NT_TYPE_KIOSK_WINDOW,
                       "application", application,
                       "context", context,
                       NULL);
}

guint
nt_kiosk_window_get_n_pages (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), 0);
  return self->page_names->len;
}

/**
 * nt_kiosk_window_get_page_name:
 *
 * Returns: the page shown: "beam", "beamlines", "plan" or "facility"
 */
const char *
nt_kiosk_window_get_page_name (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), NULL);

  if (self->current >= self->page_names->len)
    return NULL;
  return g_ptr_array_index (self->page_names, self->current);
}

/**
 * nt_kiosk_window_get_n_turns:
 *
 * Returns: how many times the pages have turned by themselves
 */
guint
nt_kiosk_window_get_n_turns (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), 0);
  return self->n_turns;
}

/**
 * nt_kiosk_window_next_page:
 *
 * Turns to the next page, as the timer does; after the last page the
 * first comes again, in the other language when the kiosk alternates.
 */
void
nt_kiosk_window_next_page (NtKioskWindow *self)
{
  guint next;

  g_return_if_fail (NT_IS_KIOSK_WINDOW (self));

  if (self->page_names->len == 0)
    return;

  next = (self->current + 1) % self->page_names->len;
  if (next == 0 && self->alternate)
    nt_kiosk_window_set_language (self, g_str_equal (self->language, "ja") ? "en" : "ja");

  self->current = next;
  self->n_turns++;
  adw_carousel_scroll_to (self->carousel, adw_carousel_get_nth_page (self->carousel, next),
                          gtk_widget_get_mapped (GTK_WIDGET (self)));
  restart_rotation (self);
}

const char *
nt_kiosk_window_get_language (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), NULL);
  return self->language;
}

/**
 * nt_kiosk_window_set_language:
 * @language: "ja" or "en"
 *
 * Shows the kiosk's own words in that language.
 */
void
nt_kiosk_window_set_language (NtKioskWindow *self,
                              const char    *language)
{
  g_return_if_fail (NT_IS_KIOSK_WINDOW (self));
  g_return_if_fail (g_strcmp0 (language, "ja") == 0 || g_strcmp0 (language, "en") == 0);

  if (g_str_equal (self->language, language))
    return;

  g_free (self->language);
  self->language = g_strdup (language);
  apply_language (self);
}

/**
 * nt_kiosk_window_lookup_text:
 * @key: a key of the "ui" section of nt-kiosk-texts.json
 *
 * Returns: the kiosk's words for @key in its current language
 */
const char *
nt_kiosk_window_lookup_text (NtKioskWindow *self,
                             const char    *key)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), NULL);
  return text (self, key);
}

/**
 * nt_kiosk_window_get_status_text:
 *
 * Returns: what the kiosk's header says about the services ("" when all
 *   is well)
 */
const char *
nt_kiosk_window_get_status_text (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), NULL);
  return gtk_label_get_label (self->status_label);
}

/**
 * nt_kiosk_window_get_plan_text:
 *
 * Returns: the rows of the plan page, one per line ("" before the plan
 *   has been read)
 */
const char *
nt_kiosk_window_get_plan_text (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), NULL);
  return self->plan_text ? self->plan_text : "";
}

/**
 * nt_kiosk_window_is_loading:
 *
 * Returns: whether the kiosk waits for the services: history for its
 *   chart, or the run plan
 */
gboolean
nt_kiosk_window_is_loading (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), FALSE);

  if (self->plan_pending > 0)
    return TRUE;
  if (self->feed != NULL &&
      (nt_chart_feed_get_n_pending (self->feed) > 0 || nt_chart_feed_is_refilling (self->feed)))
    return TRUE;

  return FALSE;
}

gboolean
nt_kiosk_window_get_pointer_hidden (NtKioskWindow *self)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), FALSE);
  return self->pointer_hidden;
}

/**
 * nt_kiosk_window_get_exit_chord:
 *
 * Returns: whether there is an exit chord (always, once constructed)
 */
gboolean
nt_kiosk_window_get_exit_chord (NtKioskWindow   *self,
                                guint           *keyval,
                                GdkModifierType *modifiers)
{
  g_return_val_if_fail (NT_IS_KIOSK_WINDOW (self), FALSE);

  if (keyval != NULL)
    *keyval = self->exit_keyval;
  if (modifiers != NULL)
    *modifiers = self->exit_modifiers;

  return self->exit_keyval != 0;
}

/**
 * nt_kiosk_window_exit:
 *
 * Leaves the kiosk: what the exit chord does. Closing the window any other
 * way is refused.
 */
void
nt_kiosk_window_exit (NtKioskWindow *self)
{
  g_return_if_fail (NT_IS_KIOSK_WINDOW (self));

  self->exiting = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

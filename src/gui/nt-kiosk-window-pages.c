/* nt-kiosk-window-pages.c: the pages the kiosk turns
 *
 * The beam (the panel beside a day of stored current), the beamlines (a
 * card each, with what it is booked for now) and the facility explained
 * for visitors (the ring picture, its legend, what each beamline studies);
 * the run-plan page is nt-kiosk-window-plan.c.  Every page is read only:
 * nothing on it takes the pointer or the focus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-kiosk-window"

#include "config.h"

#include "nt-beam-panel.h"
#include "nt-beamline-card.h"
#include "nt-facility-drawing.h"
#include "nt-i18n.h"
#include "nt-kiosk-window-private.h"
#include "nt-series.h"

/* 24 h at 1 Hz, twice over: history binned to the plot width plus the
 * live samples of weeks of running stay well inside this. */
#define SERIES_CAPACITY       (2 * 24 * 3600)

void
nt_kiosk_window_remove_children (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

/* Filling the room it has, and read only: nothing on a kiosk page takes
 * the pointer or the focus. */
static GtkWidget *
fill_read_only (GtkWidget *widget)
{
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_widget_set_vexpand (widget, TRUE);
  gtk_widget_set_can_focus (widget, FALSE);
  gtk_widget_set_can_target (widget, FALSE);
  return widget;
}

GtkWidget *
nt_kiosk_window_page_box (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);

  gtk_widget_add_css_class (box, "kiosk-page");
  return fill_read_only (box);
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
  return fill_read_only (scroller);
}

static GtkWidget *
build_beam_page (NtKioskWindow *self)
{
  GtkWidget *box = nt_kiosk_window_page_box ();
  GtkWidget *columns;
  GtkWidget *panel;
  GtkWidget *chart_box;
  NtSeries *series;

  gtk_box_append (GTK_BOX (box), nt_kiosk_window_bound_label (self, "beam-title", "kiosk-title", FALSE));
  gtk_box_append (GTK_BOX (box), nt_kiosk_window_bound_label (self, "beam-subtitle", "kiosk-subtitle", TRUE));

  /* The panel beside the chart: a lobby screen is wide, and the day's
   * current needs the height. */
  columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 48);
  gtk_widget_set_vexpand (columns, TRUE);
  panel = nt_kiosk_window_speaker (self, nt_beam_panel_new (self->context));
  gtk_widget_set_size_request (panel, 420, -1);
  gtk_box_append (GTK_BOX (columns), panel);
  chart_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_hexpand (chart_box, TRUE);
  gtk_box_append (GTK_BOX (chart_box), nt_kiosk_window_bound_label (self, "beam-chart", "kiosk-heading", FALSE));
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
  nt_kiosk_window_speaker (self, GTK_WIDGET (self->chart));
  nt_kiosk_window_name_chart_series (self);
  gtk_box_append (GTK_BOX (chart_box), GTK_WIDGET (self->chart));

  return box;
}

static GtkWidget *
build_beamlines_page (NtKioskWindow *self)
{
  GtkWidget *box = nt_kiosk_window_page_box ();
  GtkWidget *flow = gtk_flow_box_new ();
  NtCatalogue *catalogue = nt_context_get_catalogue (self->context);

  gtk_box_append (GTK_BOX (box), nt_kiosk_window_bound_label (self, "beamlines-title", "kiosk-title", FALSE));
  gtk_box_append (GTK_BOX (box), nt_kiosk_window_bound_label (self, "beamlines-subtitle", "kiosk-subtitle", TRUE));

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
          GtkWidget *card = nt_kiosk_window_speaker (self, nt_beamline_card_new (self->context, beamline));

          nt_beamline_card_set_schedule (NT_BEAMLINE_CARD (card), self->station_schedule);
          gtk_flow_box_append (GTK_FLOW_BOX (flow), card);
        }
    }

  gtk_box_append (GTK_BOX (box), flow);

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
  gtk_box_append (GTK_BOX (row), nt_kiosk_window_bound_label (self, key, NULL, FALSE));

  return row;
}

static GtkWidget *
build_facility_page (NtKioskWindow *self)
{
  static const char * const body_keys[] = { "facility-what", "facility-ring", "facility-numbers" };
  static const struct
  {
    const char *state_class;
    const char *key;
  } legend_rows[] = {
    { "port-open", "legend-open" },
    { "port-closed", "legend-closed" },
    { "port-moving", "legend-moving" },
    { "port-fault", "legend-fault" },
    { "port-unknown", "legend-unknown" },
  };
  GtkWidget *box = nt_kiosk_window_page_box ();
  GtkWidget *columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 36);
  GtkWidget *drawing = nt_kiosk_window_speaker (self, nt_facility_drawing_new (self->context));

  /* The picture gets as much room as the words. */
  gtk_box_set_homogeneous (GTK_BOX (columns), TRUE);
  GtkWidget *right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 14);
  GtkWidget *legend = gtk_flow_box_new ();

  gtk_box_append (GTK_BOX (box), nt_kiosk_window_bound_label (self, "facility-title", "kiosk-title", FALSE));

  gtk_widget_set_hexpand (drawing, TRUE);
  gtk_widget_set_vexpand (drawing, TRUE);
  gtk_box_append (GTK_BOX (columns), drawing);

  gtk_widget_set_hexpand (right, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (body_keys); i++)
    gtk_box_append (GTK_BOX (right), nt_kiosk_window_bound_label (self, body_keys[i], "kiosk-body", TRUE));

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (legend), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (legend), 5);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (legend), 18);
  gtk_widget_add_css_class (legend, "kiosk-legend");
  for (guint i = 0; i < G_N_ELEMENTS (legend_rows); i++)
    gtk_flow_box_append (GTK_FLOW_BOX (legend), legend_row (self, legend_rows[i].state_class, legend_rows[i].key));
  gtk_box_append (GTK_BOX (right), legend);

  gtk_box_append (GTK_BOX (columns), right);
  gtk_box_append (GTK_BOX (box), columns);

  /* What each beamline studies, in two columns under the picture. */
  self->beamline_text_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 36));
  gtk_box_set_homogeneous (self->beamline_text_box, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->beamline_text_box), "kiosk-beamline-list");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->beamline_text_box));
  nt_kiosk_window_rebuild_beamline_texts (self);

  return box;
}

void
nt_kiosk_window_rebuild_beamline_texts (NtKioskWindow *self)
{
  NtCatalogue *catalogue = nt_context_get_catalogue (self->context);
  GListModel *beamlines;
  GtkWidget *halves[2];
  guint n;

  if (self->beamline_text_box == NULL || catalogue == NULL)
    return;

  nt_kiosk_window_remove_children (self->beamline_text_box);
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
                              nt_kiosk_window_lookup (self, "beamlines", id));
      gtk_box_append (GTK_BOX (halves[i < (n + 1) / 2 ? 0 : 1]), nt_kiosk_window_make_label (line, "kiosk-beamline", TRUE));
    }
}

static const struct
{
  const char *name;
  GtkWidget *(*build) (NtKioskWindow *self);
} page_builders[] = {
  { "beam", build_beam_page },
  { "beamlines", build_beamlines_page },
  { "plan", nt_kiosk_window_build_plan_page },
  { "facility", build_facility_page },
  { "reliability", nt_kiosk_window_build_reliability_page },
};

static void
add_page (NtKioskWindow *self,
          const char    *name,
          GtkWidget     *page)
{
  adw_carousel_append (self->carousel, wrap_page (page));
  g_ptr_array_add (self->page_names, g_strdup (name));
}

/* The pages the settings list, in their order, each once. */
void
nt_kiosk_window_build_pages (NtKioskWindow *self)
{
  g_auto(GStrv) pages = g_settings_get_strv (self->settings, "kiosk-pages");

  for (guint i = 0; pages[i] != NULL; i++)
    {
      guint k;

      if (g_ptr_array_find_with_equal_func (self->page_names, pages[i], g_str_equal, NULL))
        continue;
      for (k = 0; k < G_N_ELEMENTS (page_builders); k++)
        if (g_str_equal (pages[i], page_builders[k].name))
          break;
      if (k < G_N_ELEMENTS (page_builders))
        add_page (self, pages[i], page_builders[k].build (self));
      else
        g_message ("The kiosk has no page called “%s”", pages[i]);
    }
  if (self->page_names->len == 0)
    {
      /* Nothing usable configured: show the facility rather than nothing. */
      add_page (self, "facility", build_facility_page (self));
    }
}

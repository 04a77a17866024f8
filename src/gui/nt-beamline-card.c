/* nt-beamline-card.c: one beamline at a glance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-beamline-card"

#include "config.h"

#include <glib/gi18n.h>

#include "nt-beamline-card.h"
#include "nt-units.h"

struct _NtBeamlineCard
{
  GtkWidget   parent_instance;

  NtBeamline *beamline;

  GtkWidget  *box;
  GtkLabel   *id_label;
  GtkLabel   *program_label;
  GtkLabel   *technique_primary;
  GtkLabel   *technique_secondary;
  GtkLabel   *source_label;
  GtkBox     *stations_box;
  GtkLabel   *demand_label;
};

G_DEFINE_FINAL_TYPE (NtBeamlineCard, nt_beamline_card, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BEAMLINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_station_energy (NtStation *station)
{
  const double *fixed;
  guint n_fixed;

  fixed = nt_station_get_fixed_energies_ev (station, &n_fixed);
  if (n_fixed > 0)
    return nt_format_energy_list (fixed, n_fixed);
  if (nt_station_get_energy_is_nominal (station))
    return nt_format_energy_band (nt_station_get_energy_max_ev (station));
  return nt_format_energy_range (nt_station_get_energy_min_ev (station),
                                 nt_station_get_energy_max_ev (station));
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

static void
add_station_row (NtBeamlineCard *self,
                 NtStation      *station,
                 gboolean        show_name)
{
  g_autofree char *energy = format_station_energy (station);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label;

  gtk_widget_add_css_class (row, "station-row");

  if (show_name)
    {
      label = gtk_label_new (nt_station_get_name (station));
      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_label_set_width_chars (GTK_LABEL (label), 5);
      gtk_widget_add_css_class (label, "heading");
      gtk_box_append (GTK_BOX (row), label);
    }

  if (!show_name)
    {
      label = gtk_label_new (_("Photon energy"));
      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (row), label);
    }

  label = gtk_label_new (energy);
  gtk_label_set_xalign (GTK_LABEL (label), show_name ? 0.0f : 1.0f);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (row), label);

  if (show_name)
    {
      label = gtk_label_new (station_kind_label (station));
      gtk_widget_add_css_class (label, "station-kind");
      gtk_box_append (GTK_BOX (row), label);
    }

  gtk_box_append (self->stations_box, row);
}

static void
nt_beamline_card_update (NtBeamlineCard *self)
{
  NtBeamline *bl = self->beamline;
  GListModel *stations = nt_beamline_get_stations (bl);
  guint n_stations = g_list_model_get_n_items (stations);
  gboolean ja_first = nt_locale_prefers_japanese ();
  const char *program;
  const char *source;
  g_autofree char *accessible = NULL;
  g_autofree char *demand = NULL;
  guint shifts = 0;

  gtk_label_set_label (self->id_label, nt_beamline_get_id (bl));

  switch (nt_beamline_get_program (bl))
    {
    case NT_PROGRAM_PUBLIC:
      program = C_("program", "Public");
      gtk_widget_add_css_class (GTK_WIDGET (self->program_label), "public");
      break;
    case NT_PROGRAM_COALITION:
      program = C_("program", "Coalition");
      gtk_widget_add_css_class (GTK_WIDGET (self->program_label), "coalition");
      break;
    default:
      g_return_if_reached ();
    }
  gtk_label_set_label (self->program_label, program);

  gtk_label_set_label (self->technique_primary,
                       ja_first ? nt_beamline_get_technique_ja (bl) : nt_beamline_get_technique_en (bl));
  gtk_label_set_label (self->technique_secondary,
                       ja_first ? nt_beamline_get_technique_en (bl) : nt_beamline_get_technique_ja (bl));

  switch (nt_beamline_get_source (bl))
    {
    case NT_SOURCE_UNDULATOR:
      source = _("Undulator");
      break;
    case NT_SOURCE_WIGGLER:
      source = _("Multipole wiggler");
      break;
    default:
      g_return_if_reached ();
    }

  if (n_stations == 1)
    {
      g_autoptr(NtStation) station = g_list_model_get_item (stations, 0);

      gtk_label_set_label (self->source_label, source);
      add_station_row (self, station, FALSE);
    }
  else
    {
      /* Translators: light source and number of stations, “Multipole wiggler · 3 stations” */
      g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u station", "%u stations", n_stations),
                                                n_stations);
      g_autofree char *text = g_strdup_printf (_("%s · %s"), source, count);

      gtk_label_set_label (self->source_label, text);
      for (guint i = 0; i < n_stations; i++)
        {
          g_autoptr(NtStation) station = g_list_model_get_item (stations, i);

          add_station_row (self, station, TRUE);
        }
    }

  for (guint i = 0; i < n_stations; i++)
    {
      g_autoptr(NtStation) station = g_list_model_get_item (stations, i);

      shifts += nt_station_get_public_shifts_2026a (station);
    }
  /* Translators: shifts offered to the 2026A public call, and the days a year
   * users asked for in the 2022 survey */
  demand = g_strdup_printf (_("2026A public call: %u shifts · 2022 survey: %u days requested"),
                            shifts, nt_beamline_get_requested_days (bl));
  gtk_label_set_label (self->demand_label, demand);

  /* Translators: what a screen reader says for a beamline card:
   * id, program, technique, light source */
  accessible = g_strdup_printf (_("%s, %s beamline, %s, %s"),
                                nt_beamline_get_id (bl), program,
                                gtk_label_get_label (self->technique_primary),
                                gtk_label_get_label (self->source_label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static void
nt_beamline_card_constructed (GObject *object)
{
  NtBeamlineCard *self = (NtBeamlineCard *)object;

  G_OBJECT_CLASS (nt_beamline_card_parent_class)->constructed (object);

  nt_beamline_card_update (self);
}

static void
nt_beamline_card_dispose (GObject *object)
{
  NtBeamlineCard *self = (NtBeamlineCard *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), NT_TYPE_BEAMLINE_CARD);
  g_clear_object (&self->beamline);

  G_OBJECT_CLASS (nt_beamline_card_parent_class)->dispose (object);
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
    case PROP_BEAMLINE:
      g_value_set_object (value, self->beamline);
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
    case PROP_BEAMLINE:
      self->beamline = g_value_dup_object (value);
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
  object_class->get_property = nt_beamline_card_get_property;
  object_class->set_property = nt_beamline_card_set_property;

  properties[PROP_BEAMLINE] =
    g_param_spec_object ("beamline", NULL, NULL, NT_TYPE_BEAMLINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/nt-beamline-card.ui");
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, box);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, id_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, program_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, technique_primary);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, technique_secondary);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, source_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, stations_box);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlineCard, demand_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "beamlinecard");
}

static void
nt_beamline_card_init (NtBeamlineCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
nt_beamline_card_new (NtBeamline *beamline)
{
  g_return_val_if_fail (NT_IS_BEAMLINE (beamline), NULL);

  return g_object_new (NT_TYPE_BEAMLINE_CARD, "beamline", beamline, NULL);
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

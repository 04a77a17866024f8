/* nt-beamlines-page.c: every beamline of the facility as a grid of cards
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-beamlines-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "nt-beamline-card.h"
#include "nt-beamlines-page.h"

struct _NtBeamlinesPage
{
  GtkWidget         parent_instance;

  NtContext        *context;
  NtBeamlineFilter  filter;

  GtkStack         *stack;
  GtkLabel         *summary_label;
  GtkFlowBox       *flow_box;
  GtkCustomFilter  *filter_model_filter;
  GtkToggleButton  *filter_all;
  GtkToggleButton  *filter_public;
  GtkToggleButton  *filter_coalition;
  AdwStatusPage    *error_page;
};

G_DEFINE_FINAL_TYPE (NtBeamlinesPage, nt_beamlines_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
create_card (gpointer item,
             gpointer user_data)
{
  return nt_beamline_card_new (NT_BEAMLINE (item));
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  NtBeamlinesPage *self = user_data;
  NtProgram program = nt_beamline_get_program (NT_BEAMLINE (item));

  switch (self->filter)
    {
    case NT_BEAMLINE_FILTER_ALL:
      return TRUE;
    case NT_BEAMLINE_FILTER_PUBLIC:
      return program == NT_PROGRAM_PUBLIC;
    case NT_BEAMLINE_FILTER_COALITION:
      return program == NT_PROGRAM_COALITION;
    default:
      g_return_val_if_reached (TRUE);
    }
}

static void
update_summary (NtBeamlinesPage *self,
                NtCatalogue     *catalogue)
{
  GListModel *beamlines = nt_catalogue_get_beamlines (catalogue);
  g_autoptr(GPtrArray) stations = nt_catalogue_list_stations (catalogue);
  guint n = g_list_model_get_n_items (beamlines);
  guint n_public = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NtBeamline) bl = g_list_model_get_item (beamlines, i);

      if (nt_beamline_get_program (bl) == NT_PROGRAM_PUBLIC)
        n_public++;
    }

  /* Translators: “10 beamlines: 3 public, 7 coalition; 12 stations” */
  text = g_strdup_printf (_("%u beamlines: %u public, %u coalition; %u stations"),
                          n, n_public, n - n_public, stations->len);
  gtk_label_set_label (self->summary_label, text);
}

static void
filter_toggled_cb (NtBeamlinesPage *self,
                   GtkToggleButton *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;

  if (button == self->filter_public)
    nt_beamlines_page_set_filter (self, NT_BEAMLINE_FILTER_PUBLIC);
  else if (button == self->filter_coalition)
    nt_beamlines_page_set_filter (self, NT_BEAMLINE_FILTER_COALITION);
  else
    nt_beamlines_page_set_filter (self, NT_BEAMLINE_FILTER_ALL);
}

static void
nt_beamlines_page_constructed (GObject *object)
{
  NtBeamlinesPage *self = (NtBeamlinesPage *)object;
  NtCatalogue *catalogue = nt_context_get_catalogue (self->context);
  g_autoptr(GtkFilterListModel) filtered = NULL;

  G_OBJECT_CLASS (nt_beamlines_page_parent_class)->constructed (object);

  if (catalogue == NULL)
    {
      const GError *error = nt_context_get_catalogue_error (self->context);
      g_autofree char *description =
        g_strdup_printf (_("The console was installed with a damaged catalogue (%s). "
                           "Reinstall the console, or report the problem to its developers."),
                         error ? error->message : "?");

      adw_status_page_set_description (self->error_page, description);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  /* A flow box bound to a model ignores filter functions: filter the model. */
  self->filter_model_filter = gtk_custom_filter_new (filter_func, self, NULL);
  filtered = gtk_filter_list_model_new (g_object_ref (nt_catalogue_get_beamlines (catalogue)),
                                        g_object_ref (GTK_FILTER (self->filter_model_filter)));
  gtk_flow_box_bind_model (self->flow_box, G_LIST_MODEL (filtered), create_card, self, NULL);
  update_summary (self, catalogue);
}

static void
nt_beamlines_page_dispose (GObject *object)
{
  NtBeamlinesPage *self = (NtBeamlinesPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), NT_TYPE_BEAMLINES_PAGE);
  g_clear_object (&self->filter_model_filter);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (nt_beamlines_page_parent_class)->dispose (object);
}

static void
nt_beamlines_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  NtBeamlinesPage *self = NT_BEAMLINES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nt_beamlines_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  NtBeamlinesPage *self = NT_BEAMLINES_PAGE (object);

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
nt_beamlines_page_class_init (NtBeamlinesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = nt_beamlines_page_constructed;
  object_class->dispose = nt_beamlines_page_dispose;
  object_class->get_property = nt_beamlines_page_get_property;
  object_class->set_property = nt_beamlines_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, NT_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/nt-beamlines-page.ui");
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, flow_box);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, filter_all);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, filter_public);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, filter_coalition);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, error_page);
  gtk_widget_class_bind_template_callback (widget_class, filter_toggled_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
nt_beamlines_page_init (NtBeamlinesPage *self)
{
  g_type_ensure (NT_TYPE_BEAMLINE_CARD);
  gtk_widget_init_template (GTK_WIDGET (self));
}

NtBeamlinesPage *
nt_beamlines_page_new (NtContext *context)
{
  g_return_val_if_fail (NT_IS_CONTEXT (context), NULL);

  return g_object_new (NT_TYPE_BEAMLINES_PAGE, "context", context, NULL);
}

void
nt_beamlines_page_set_filter (NtBeamlinesPage  *self,
                              NtBeamlineFilter  filter)
{
  GtkToggleButton *button;

  g_return_if_fail (NT_IS_BEAMLINES_PAGE (self));

  if (self->filter == filter)
    return;

  self->filter = filter;

  button = filter == NT_BEAMLINE_FILTER_PUBLIC ? self->filter_public
         : filter == NT_BEAMLINE_FILTER_COALITION ? self->filter_coalition
         : self->filter_all;
  gtk_toggle_button_set_active (button, TRUE);

  if (self->filter_model_filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter_model_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/**
 * nt_beamlines_page_count_visible:
 *
 * Returns: how many beamline cards the page shows (the filter lets through)
 */
guint
nt_beamlines_page_count_visible (NtBeamlinesPage *self)
{
  guint n = 0;

  g_return_val_if_fail (NT_IS_BEAMLINES_PAGE (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->flow_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_FLOW_BOX_CHILD (child))
        n++;
    }

  return n;
}

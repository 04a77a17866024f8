/* nt-beamlines-page.c: every beamline of the facility as a grid of live cards
 *
 * The cards are made once and kept (a filter hides them, it does not
 * remake them, so their subscriptions stay); the arrow keys move between
 * them, Enter opens a beamline's detail page and Escape (or the back
 * button) comes back to the grid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-beamlines-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "nt-beamline-card.h"
#include "nt-beamline-grid.h"
#include "nt-beamline-page.h"
#include "nt-beamlines-page.h"
#include "nt-view-property.h"
#include "nt-widget-util.h"

struct _NtBeamlinesPage
{
  GtkWidget          parent_instance;

  NtContext         *context;
  NtStationSchedule *schedule;
  NtBeamlineFilter   filter;
  GPtrArray         *cards;          /* NtBeamlineCard, catalogue order */
  GtkWidget         *detail;
  char              *detail_id;
  guint              counts_idle;

  GtkStack          *stack;
  GtkLabel          *summary_label;
  GtkFlowBox        *flow_box;
  GtkToggleButton   *filter_all;
  GtkToggleButton   *filter_public;
  GtkToggleButton   *filter_coalition;
  GtkToggleButton   *filter_problems;
  GtkLabel          *empty_label;
  AdwStatusPage     *error_page;
  AdwBin            *detail_bin;
};

G_DEFINE_FINAL_TYPE (NtBeamlinesPage, nt_beamlines_page, GTK_TYPE_WIDGET)

static NtBeamlineCard *
card_of_child (GtkFlowBoxChild *child)
{
  return NT_BEAMLINE_CARD (gtk_flow_box_child_get_child (child));
}

static gboolean
filter_card (NtBeamlinesPage *self,
             NtBeamlineCard  *card)
{
  NtProgram program = nt_beamline_get_program (nt_beamline_card_get_beamline (card));

  switch (self->filter)
    {
    case NT_BEAMLINE_FILTER_ALL:
      return TRUE;
    case NT_BEAMLINE_FILTER_PUBLIC:
      return program == NT_PROGRAM_PUBLIC;
    case NT_BEAMLINE_FILTER_COALITION:
      return program == NT_PROGRAM_COALITION;
    case NT_BEAMLINE_FILTER_PROBLEMS:
      return nt_beamline_card_get_problem (card);
    default:
      g_return_val_if_reached (TRUE);
    }
}

static gboolean
filter_func (GtkFlowBoxChild *child,
             gpointer         user_data)
{
  return filter_card (user_data, card_of_child (child));
}

static void
update_counts (NtBeamlinesPage *self)
{
  guint n_problems = 0;
  g_autofree char *label = NULL;

  for (guint i = 0; i < self->cards->len; i++)
    if (nt_beamline_card_get_problem (g_ptr_array_index (self->cards, i)))
      n_problems++;

  /* Translators: the filter button, with how many cards it would show */
  label = n_problems > 0 ? g_strdup_printf (_("Problems (%u)"), n_problems) : g_strdup (_("Problems"));
  gtk_button_set_label (GTK_BUTTON (self->filter_problems), label);

  gtk_widget_set_visible (GTK_WIDGET (self->empty_label),
                          self->cards->len > 0 && nt_beamlines_page_count_visible (self) == 0);
}

static gboolean
counts_idle_cb (gpointer user_data)
{
  NtBeamlinesPage *self = NT_BEAMLINES_PAGE (user_data);

  self->counts_idle = 0;
  if (self->filter == NT_BEAMLINE_FILTER_PROBLEMS)
    gtk_flow_box_invalidate_filter (self->flow_box);
  update_counts (self);

  return G_SOURCE_REMOVE;
}

/* Cards change their problem state in batches: the grid filters again
 * and counts once per batch, before the frame that shows the cards. */
static void
card_problem_cb (NtBeamlinesPage *self)
{
  if (self->counts_idle == 0)
    self->counts_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, counts_idle_cb, self, NULL);
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
  else if (button == self->filter_problems)
    nt_beamlines_page_set_filter (self, NT_BEAMLINE_FILTER_PROBLEMS);
  else
    nt_beamlines_page_set_filter (self, NT_BEAMLINE_FILTER_ALL);
}

static void
child_activated_cb (NtBeamlinesPage *self,
                    GtkFlowBoxChild *child)
{
  nt_beamlines_page_open (self, nt_beamline_get_id (nt_beamline_card_get_beamline (card_of_child (child))));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  nt_beamlines_page_close_detail (NT_BEAMLINES_PAGE (widget));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  nt_beamlines_page_open (NT_BEAMLINES_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
nt_beamlines_page_constructed (GObject *object)
{
  NtBeamlinesPage *self = (NtBeamlinesPage *)object;
  NtCatalogue *catalogue = nt_context_get_catalogue (self->context);

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

  self->schedule = nt_station_schedule_new (self->context);

  nt_beamline_grid_fill (self->flow_box, self->cards, self->context, self->schedule);
  for (guint i = 0; i < self->cards->len; i++)
    g_signal_connect_object (g_ptr_array_index (self->cards, i), "notify::problem",
                             G_CALLBACK (card_problem_cb), self, G_CONNECT_SWAPPED);

  gtk_flow_box_set_filter_func (self->flow_box, filter_func, self, NULL);
  update_summary (self, catalogue);
  update_counts (self);
}

static void
nt_beamlines_page_dispose (GObject *object)
{
  NtBeamlinesPage *self = (NtBeamlinesPage *)object;

  g_clear_handle_id (&self->counts_idle, g_source_remove);
  g_clear_pointer (&self->cards, g_ptr_array_unref);
  self->detail = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), NT_TYPE_BEAMLINES_PAGE);
  g_clear_object (&self->schedule);
  g_clear_object (&self->context);
  g_clear_pointer (&self->detail_id, g_free);

  G_OBJECT_CLASS (nt_beamlines_page_parent_class)->dispose (object);
}

static void
nt_beamlines_page_class_init (NtBeamlinesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = nt_beamlines_page_constructed;
  object_class->dispose = nt_beamlines_page_dispose;

  nt_context_property_install (object_class, G_STRUCT_OFFSET (NtBeamlinesPage, context));

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/nt-beamlines-page.ui");
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, flow_box);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, filter_all);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, filter_public);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, filter_coalition);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, filter_problems);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, empty_label);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, NtBeamlinesPage, detail_bin);
  gtk_widget_class_bind_template_callback (widget_class, filter_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, child_activated_cb);

  gtk_widget_class_install_action (widget_class, "beamlines.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "beamlines.open", "s", open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "beamlines.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "beamlines.back", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
nt_beamlines_page_init (NtBeamlinesPage *self)
{
  self->cards = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  nt_status_page_set_icon_when_shown (self->error_page, "dialog-error-symbolic");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "beamlines.back", FALSE);
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
         : filter == NT_BEAMLINE_FILTER_PROBLEMS ? self->filter_problems
         : self->filter_all;
  gtk_toggle_button_set_active (button, TRUE);

  gtk_flow_box_invalidate_filter (self->flow_box);
  update_counts (self);
}

NtBeamlineFilter
nt_beamlines_page_get_filter (NtBeamlinesPage *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINES_PAGE (self), NT_BEAMLINE_FILTER_ALL);
  return self->filter;
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
      if (GTK_IS_FLOW_BOX_CHILD (child) && gtk_widget_get_child_visible (child))
        n++;
    }

  return n;
}

/**
 * nt_beamlines_page_is_visible:
 *
 * Returns: whether the card of @beamline_id is shown (not filtered out)
 */
gboolean
nt_beamlines_page_is_visible (NtBeamlinesPage *self,
                              const char      *beamline_id)
{
  NtBeamlineCard *card = nt_beamlines_page_get_card (self, beamline_id);

  return card != NULL && gtk_widget_get_child_visible (gtk_widget_get_parent (GTK_WIDGET (card)));
}

/**
 * nt_beamlines_page_get_card:
 *
 * Returns: (transfer none) (nullable): the card of a beamline
 */
NtBeamlineCard *
nt_beamlines_page_get_card (NtBeamlinesPage *self,
                            const char      *beamline_id)
{
  g_return_val_if_fail (NT_IS_BEAMLINES_PAGE (self), NULL);
  return nt_beamline_grid_find (self->cards, beamline_id);
}

/**
 * nt_beamlines_page_get_schedule:
 *
 * Returns: (transfer none) (nullable): the bookings the cards show
 */
NtStationSchedule *
nt_beamlines_page_get_schedule (NtBeamlinesPage *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINES_PAGE (self), NULL);
  return self->schedule;
}

/**
 * nt_beamlines_page_open:
 *
 * Shows the detail page of a beamline.
 *
 * Returns: %FALSE if there is no such beamline
 */
gboolean
nt_beamlines_page_open (NtBeamlinesPage *self,
                        const char      *beamline_id)
{
  NtBeamlineCard *card;

  g_return_val_if_fail (NT_IS_BEAMLINES_PAGE (self), FALSE);

  card = nt_beamlines_page_get_card (self, beamline_id);
  if (card == NULL)
    return FALSE;

  if (self->detail == NULL || g_strcmp0 (self->detail_id, beamline_id) != 0)
    {
      self->detail = nt_beamline_page_new (self->context, nt_beamline_card_get_beamline (card),
                                           self->schedule);
      adw_bin_set_child (self->detail_bin, self->detail);
      g_free (self->detail_id);
      self->detail_id = g_strdup (beamline_id);
    }

  gtk_stack_set_visible_child_name (self->stack, "detail");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "beamlines.back", TRUE);
  gtk_widget_grab_focus (self->detail);

  return TRUE;
}

/**
 * nt_beamlines_page_close_detail:
 *
 * Back to the grid, with the focus on the card that was open; the detail
 * page (its charts and their feeds) is let go.
 */
void
nt_beamlines_page_close_detail (NtBeamlinesPage *self)
{
  NtBeamlineCard *card;

  g_return_if_fail (NT_IS_BEAMLINES_PAGE (self));

  if (self->detail == NULL)
    return;

  card = nt_beamlines_page_get_card (self, self->detail_id);
  gtk_stack_set_visible_child_name (self->stack, "cards");
  adw_bin_set_child (self->detail_bin, NULL);
  self->detail = NULL;
  g_clear_pointer (&self->detail_id, g_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "beamlines.back", FALSE);

  if (card != NULL)
    gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (card)));
}

/**
 * nt_beamlines_page_get_detail:
 *
 * Returns: (transfer none) (nullable): the open detail page
 */
GtkWidget *
nt_beamlines_page_get_detail (NtBeamlinesPage *self)
{
  g_return_val_if_fail (NT_IS_BEAMLINES_PAGE (self), NULL);
  return self->detail;
}

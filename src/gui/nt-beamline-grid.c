/* nt-beamline-grid.c: every beamline's card in a flow box
 *
 * The Overview and the Beamlines page both show one live card per
 * beamline of the catalogue, in catalogue order, each reading the same
 * station schedule, and both find a card by its beamline's id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-beamline-grid"

#include "config.h"

#include "nt-beamline-grid.h"

/**
 * nt_beamline_grid_fill:
 * @cards: (element-type NtBeamlineCard): where the cards made are added
 *   (borrowed: the flow box holds them)
 * @schedule: (nullable): what the cards say is scheduled now
 *
 * Makes a card for every beamline of @context's catalogue (none when the
 * catalogue did not load) and appends it to @flow_box.
 */
void
nt_beamline_grid_fill (GtkFlowBox        *flow_box,
                       GPtrArray         *cards,
                       NtContext         *context,
                       NtStationSchedule *schedule)
{
  NtCatalogue *catalogue;
  GListModel *beamlines;

  g_return_if_fail (GTK_IS_FLOW_BOX (flow_box));
  g_return_if_fail (NT_IS_CONTEXT (context));

  catalogue = nt_context_get_catalogue (context);
  if (catalogue == NULL)
    return;

  beamlines = nt_catalogue_get_beamlines (catalogue);
  for (guint i = 0; i < g_list_model_get_n_items (beamlines); i++)
    {
      g_autoptr(NtBeamline) bl = g_list_model_get_item (beamlines, i);
      GtkWidget *card = nt_beamline_card_new (context, bl);

      nt_beamline_card_set_schedule (NT_BEAMLINE_CARD (card), schedule);
      gtk_flow_box_append (flow_box, card);
      g_ptr_array_add (cards, card);
    }
}

/**
 * nt_beamline_grid_find:
 * @cards: (element-type NtBeamlineCard)
 *
 * Returns: (transfer none) (nullable): the card of a beamline
 */
NtBeamlineCard *
nt_beamline_grid_find (GPtrArray  *cards,
                       const char *beamline_id)
{
  for (guint i = 0; i < cards->len; i++)
    {
      NtBeamlineCard *card = g_ptr_array_index (cards, i);

      if (g_strcmp0 (nt_beamline_get_id (nt_beamline_card_get_beamline (card)), beamline_id) == 0)
        return card;
    }

  return NULL;
}

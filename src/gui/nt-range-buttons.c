/* nt-range-buttons.c: the row of buttons that picks a chart's time range
 *
 * The Beam page and a beamline's page offer the same ranges with the same
 * words ("8 h", "Show the last 8 hours (one shift)"): one toggle button
 * per range, in one group, so that one is always active.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-range-buttons"

#include "config.h"

#include <glib/gi18n.h>

#include "nt-range-buttons.h"

/* By NtStripChartRange. */
static const struct {
  const char *label;
  const char *tooltip;
} range_words[] = {
  [NT_STRIP_CHART_RANGE_15_MIN] = { N_("15 min"), N_("Show the last 15 minutes") },
  [NT_STRIP_CHART_RANGE_1_HOUR] = { N_("1 h"), N_("Show the last hour") },
  [NT_STRIP_CHART_RANGE_8_HOURS] = { N_("8 h"), N_("Show the last 8 hours (one shift)") },
  [NT_STRIP_CHART_RANGE_24_HOURS] = { N_("24 h"), N_("Show the last 24 hours") },
  [NT_STRIP_CHART_RANGE_7_DAYS] = { N_("7 d"), N_("Show the last 7 days") },
};

/**
 * nt_range_buttons_fill:
 * @box: where the buttons go, in the order of @ranges
 * @buttons: (out caller-allocates) (array length=n_ranges): the buttons made
 * @toggled: `void (*) (gpointer data, GtkToggleButton *button)`, connected
 *   swapped to each button's #GtkToggleButton::toggled
 *
 * Makes one toggle button per range, all in one group.
 */
void
nt_range_buttons_fill (GtkBox                  *box,
                       const NtStripChartRange *ranges,
                       guint                    n_ranges,
                       GtkToggleButton        **buttons,
                       GCallback                toggled,
                       gpointer                 data)
{
  g_return_if_fail (GTK_IS_BOX (box));

  for (guint i = 0; i < n_ranges; i++)
    {
      GtkWidget *button;

      g_return_if_fail ((guint) ranges[i] < G_N_ELEMENTS (range_words));

      button = gtk_toggle_button_new_with_label (_(range_words[ranges[i]].label));
      gtk_widget_set_tooltip_text (button, _(range_words[ranges[i]].tooltip));
      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), buttons[0]);
      buttons[i] = GTK_TOGGLE_BUTTON (button);
      g_signal_connect_swapped (button, "toggled", toggled, data);
      gtk_box_append (box, button);
    }
}

/**
 * nt_range_buttons_find:
 *
 * Returns: the index of @button among @buttons when it is active (it was
 *   toggled on), else -1
 */
int
nt_range_buttons_find (GtkToggleButton * const *buttons,
                       guint                    n_buttons,
                       GtkToggleButton         *button)
{
  if (!gtk_toggle_button_get_active (button))
    return -1;

  for (guint i = 0; i < n_buttons; i++)
    if (buttons[i] == button)
      return (int) i;

  return -1;
}

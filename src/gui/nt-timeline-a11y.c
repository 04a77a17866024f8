/* nt-timeline-a11y.c: what NtTimeline says about its items
 *
 * The tooltip of the item under the pointer (or of the selection, asked
 * from the keyboard) and the accessible description a screen reader
 * reads: the span shown and the selected booking.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-timeline"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nt-timeline-labels.h"
#include "nt-timeline-private.h"

static char *
describe_item (NtTimeline *self,
               Item       *item)
{
  g_autofree char *from = nt_time_format_local (item->start, "%Y-%m-%d %H:%M");
  g_autofree char *to = nt_time_format_local (item->end, "%Y-%m-%d %H:%M");

  if (NT_BOOKING_IS_PERIOD (item))
    return g_strdup_printf (_("%s, %s – %s JST"), nt_timeline_item_label (self, item), from, to);
  return g_strdup_printf (_("%s, %s, %s, %s – %s JST"), item->station,
                          nt_timeline_item_label (self, item), nt_timeline_status_label (item->status),
                          from, to);
}

/* What a screen reader says: the span shown and the selection. */
void
nt_timeline_update_accessible (NtTimeline *self)
{
  g_autofree char *from = nt_time_format_local ((gint64)self->view_start, "%Y-%m-%d %H:%M");
  g_autofree char *to = nt_time_format_local ((gint64)(self->view_start + self->view_span), "%Y-%m-%d %H:%M");
  g_autofree char *selected = self->selected != NULL ? describe_item (self, self->selected) : NULL;
  g_autofree char *text = NULL;

  if (selected != NULL)
    text = g_strdup_printf (_("Showing %s to %s JST. Selected: %s"), from, to, selected);
  else
    text = g_strdup_printf (_("Showing %s to %s JST. Nothing selected; arrow keys select bookings."), from, to);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

gboolean
nt_timeline_query_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard,
                           GtkTooltip *tooltip)
{
  NtTimeline *self = NT_TIMELINE (widget);
  Item *item = keyboard ? self->selected : nt_timeline_item_at (self, x, y, NULL);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *text = NULL;
  double hours;

  if (item == NULL)
    return FALSE;

  from = nt_time_format_local (item->start, "%Y-%m-%d %H:%M");
  to = nt_time_format_local (item->end, "%Y-%m-%d %H:%M");
  hours = (item->end - item->start) / 3600.0;

  /* Said from the item's record: no object is made for a tooltip. */
  if (NT_BOOKING_IS_PERIOD (item))
    {
      text = g_strdup_printf (_("%s\n%s – %s JST (%.0f h)%s%s"),
                              nt_timeline_item_label (self, item), from, to, hours,
                              *item->note ? "\n" : "", item->note);
    }
  else
    {
      const char *note = item->note != NULL ? item->note : "";
      const char *about = item->proposal != NULL
                          ? g_hash_table_lookup (self->proposals, item->proposal) : NULL;

      text = g_strdup_printf (_("%s · %s · %s\n%s%s%s\n%s – %s JST (%.0f h)%s%s"),
                              item->station, nt_timeline_slot_label (item->slot),
                              nt_timeline_status_label (item->status), nt_timeline_item_label (self, item),
                              about != NULL ? ": " : "", about != NULL ? about : "",
                              from, to, hours, *note ? "\n" : "", note);
    }

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}


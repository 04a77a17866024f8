/* nt-schedule-store-calendar.c: the store's objects as calendar events
 * (plain NtScheduleEvent data for nt-ics): the run plan's periods, or the
 * allocations of a station or a beamline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-schedule-store"

#include "config.h"

#include "nt-schedule-store-private.h"

/* Appends an event; takes @uid, @summary and @description. */
static void
append_event (GArray     *events,
              char       *uid,
              char       *summary,
              char       *description,
              const char *location,
              gint64      start,
              gint64      end,
              gint64      sequence,
              gint64      dtstamp)
{
  NtScheduleEvent ev = { uid, summary, description, g_strdup (location), start, end, (guint) sequence, dtstamp };

  g_array_append_val (events, ev);
}

static void
add_period_events (NtScheduleStore *self,
                   gint64           from,
                   gint64           to,
                   GArray          *events)
{
  sqlite3_stmt *s = nt_schedule_row_select (self, &nt_schedule_periods,
                                            "WHERE (?1 = 0 OR \"end\" > ?1) AND (?2 = 0 OR start < ?2) "
                                            "ORDER BY start, id");

  sqlite3_bind_int64 (s, 1, from);
  sqlite3_bind_int64 (s, 2, to);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      g_auto(NtPeriodRow) p = { 0 };

      nt_schedule_row_read (&nt_schedule_periods, s, &p);
      append_event (events,
                    g_strdup_printf ("period-%" G_GINT64_FORMAT "@scheduling.nanoterasu", p.id),
                    g_strdup_printf ("NanoTerasu: %s", nt_period_kind_to_string (p.kind)),
                    g_strdup (p.note != NULL && *p.note != '\0' ? p.note : NULL),
                    "NanoTerasu", p.start, p.end, p.sequence, p.updated);
    }
  sqlite3_reset (s);
}

static void
add_allocation_events (NtScheduleStore *self,
                       const char      *station,
                       const char      *beamline,
                       gint64           from,
                       gint64           to,
                       GArray          *events)
{
  const NtRowTable *t = &nt_schedule_allocations;
  g_autofree char *columns = nt_schedule_row_columns (t, "a.");
  g_autofree char *sql = NULL;
  sqlite3_stmt *s;

  /* The allocation's columns, then the proposal's title and the member's name */
  sql = g_strdup_printf ("SELECT %s, p.title, m.name FROM allocations a "
                         "LEFT JOIN proposals p ON p.id = a.proposal LEFT JOIN members m ON m.id = a.member "
                         "WHERE a.status != 'cancelled' AND (?1 IS NULL OR a.station = ?1) "
                         "AND (?2 IS NULL OR a.station = ?2 OR a.station LIKE ?2 || '-%%') "
                         "AND (?3 = 0 OR a.\"end\" > ?3) AND (?4 = 0 OR a.start < ?4) ORDER BY a.start, a.id",
                         columns);
  s = nt_schedule_store_stmt (self, sql);
  nt_schedule_bind_text (s, 1, station);
  nt_schedule_bind_text (s, 2, beamline);
  sqlite3_bind_int64 (s, 3, from);
  sqlite3_bind_int64 (s, 4, to);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      g_auto(NtAllocRow) a = { 0 };
      char *summary;
      const char *title = (const char *) sqlite3_column_text (s, t->n_columns);
      const char *member = (const char *) sqlite3_column_text (s, t->n_columns + 1);
      g_autoptr(GString) desc = g_string_new (NULL);

      nt_schedule_row_read (t, s, &a);
      summary = g_strdup_printf ("%s: %s", a.station,
                                 a.proposal != NULL ? a.proposal : member != NULL ? member : nt_slot_to_string (a.slot));
      g_string_append_printf (desc, "Slot: %s\nStatus: %s", nt_slot_to_string (a.slot),
                              nt_allocation_status_to_string (a.status));
      if (title != NULL)
        g_string_append_printf (desc, "\nProposal: %s", title);
      if (a.note != NULL && *a.note != '\0')
        g_string_append_printf (desc, "\n%s", a.note);
      append_event (events, g_strdup_printf ("allocation-%" G_GINT64_FORMAT "@scheduling.nanoterasu", a.id),
                    summary, g_string_free (g_steal_pointer (&desc), FALSE), a.station,
                    a.start, a.end, a.sequence, a.updated);
    }
  sqlite3_reset (s);
}

GArray *
nt_schedule_store_calendar_events (NtScheduleStore  *self,
                                   const char       *station,
                                   const char       *beamline,
                                   gint64            from,
                                   gint64            to,
                                   NtScheduleFault **fault)
{
  gboolean all_stations = g_strcmp0 (station, "*") == 0;
  GArray *events;

  g_return_val_if_fail (NT_IS_SCHEDULE_STORE (self), NULL);
  nt_schedule_store_refresh (self);

  if (all_stations)
    station = NULL;
  else if (station != NULL && nt_catalogue_lookup_station (self->catalogue, station) == NULL)
    {
      nt_schedule_invalid (fault, "station", "names no station of the catalogue");
      return NULL;
    }
  if (beamline != NULL && nt_catalogue_lookup_beamline (self->catalogue, beamline) == NULL)
    {
      nt_schedule_invalid (fault, "beamline", "names no beamline of the catalogue");
      return NULL;
    }

  events = g_array_new (FALSE, TRUE, sizeof (NtScheduleEvent));
  g_array_set_clear_func (events, (GDestroyNotify) nt_schedule_event_clear);
  if (station == NULL && beamline == NULL && !all_stations)
    add_period_events (self, from, to, events);
  else
    add_allocation_events (self, station, beamline, from, to, events);
  return events;
}

void
nt_schedule_event_clear (NtScheduleEvent *ev)
{
  g_clear_pointer (&ev->uid, g_free);
  g_clear_pointer (&ev->summary, g_free);
  g_clear_pointer (&ev->description, g_free);
  g_clear_pointer (&ev->location, g_free);
}

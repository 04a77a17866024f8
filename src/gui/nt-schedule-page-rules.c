/* nt-schedule-page-rules.c: the service's rules, applied while the person drags
 *
 * The timeline asks before it shows a drop or a key move: the grid of
 * shifts and hours, no overlap with another run-plan period or another
 * booking of the station, the slots a station may offer, beam time only
 * in user operation, a coalition member's quota and a proposal's
 * approved shifts, over what this page has read.  The service checks
 * every write again; this is so the person sees the reason at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-schedule-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nt-alloc-rules.h"
#include "nt-beamline.h"
#include "nt-schedule-page-private.h"
#include "nt-station.h"

/* The run plan: on the grid, and apart from every other period. */
static gboolean
check_period (NtSchedulePage *self,
              gpointer        object,
              gint64          start,
              gint64          end,
              GError        **error)
{
  NtTimeGrid shift = NT_TIME_GRID_SHIFT_DEFAULT, hour = NT_TIME_GRID_HOUR;
  g_autoptr(GPtrArray) periods = nt_timeline_list (self->timeline, NT_TYPE_RUN_PERIOD);

  if (!nt_rules_check_grid (NT_SLOT_STAFF, start, end, &shift, &hour, error))
    return FALSE;
  for (guint i = 0; i < periods->len; i++)
    {
      NtRunPeriod *p = g_ptr_array_index (periods, i);

      if (object != NULL && nt_run_period_get_id (p) == nt_schedule_page_object_id (object))
        continue;
      if (nt_rules_spans_overlap (start, end, nt_run_period_get_start (p), nt_run_period_get_end (p)))
        {
          g_autofree char *from = nt_time_format_local (nt_run_period_get_start (p), "%m-%d %H:%M");
          g_autofree char *to = nt_time_format_local (nt_run_period_get_end (p), "%m-%d %H:%M");

          g_set_error (error, NT_RULE_ERROR, NT_RULE_ERROR_PERIOD_OVERLAP,
                       _("Overlaps the run-plan period %s – %s"), from, to);
          return FALSE;
        }
    }
  return TRUE;
}

/* The bookings read other than @a and not cancelled, of the member
 * @member (when > 0) or of the proposal @proposal (when not NULL). */
static GPtrArray *
other_bookings (NtSchedulePage *self,
                NtAllocation   *a,
                gint64          member,
                const char     *proposal)
{
  g_autoptr(GPtrArray) allocs = nt_timeline_list (self->timeline, NT_TYPE_ALLOCATION);
  GPtrArray *others = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint j = 0; j < allocs->len; j++)
    {
      NtAllocation *b = g_ptr_array_index (allocs, j);

      if (nt_allocation_get_id (b) == nt_allocation_get_id (a) ||
          nt_allocation_get_status (b) == NT_ALLOCATION_CANCELLED)
        continue;
      if ((member > 0 && nt_allocation_get_member (b) == member) ||
          (proposal != NULL && g_strcmp0 (nt_allocation_get_proposal (b), proposal) == 0))
        g_ptr_array_add (others, g_object_ref (b));
    }
  return others;
}

/* A coalition member's booked hours in the year within its units. */
static gboolean
check_member_quota (NtSchedulePage *self,
                    NtAllocation   *a,
                    gint64          start,
                    gint64          end,
                    GError        **error)
{
  for (guint i = 0; self->members != NULL && i < self->members->len; i++)
    {
      NtMember *m = g_ptr_array_index (self->members, i);
      g_autoptr(GPtrArray) others = NULL;
      gint64 booked;

      if (nt_member_get_id (m) != nt_allocation_get_member (a))
        continue;
      booked = nt_rules_seconds_in_fiscal_year (start, end, self->fiscal_year);
      others = other_bookings (self, a, nt_member_get_id (m), NULL);
      for (guint j = 0; j < others->len; j++)
        booked += nt_rules_seconds_in_fiscal_year (nt_allocation_get_start (others->pdata[j]),
                                                   nt_allocation_get_end (others->pdata[j]),
                                                   self->fiscal_year);
      if (!nt_rules_check_quota (nt_member_get_name (m), self->fiscal_year, booked,
                                 nt_member_get_units (m), error))
        return FALSE;
    }
  return TRUE;
}

/* A public proposal's booked shifts within those approved. */
static gboolean
check_proposal_shifts (NtSchedulePage *self,
                       NtAllocation   *a,
                       NtTimeGrid     *shift,
                       gint64          start,
                       gint64          end,
                       GError        **error)
{
  for (guint i = 0; self->proposals != NULL && i < self->proposals->len; i++)
    {
      NtProposal *p = g_ptr_array_index (self->proposals, i);
      g_autoptr(GPtrArray) others = NULL;
      gint64 booked = 0;

      if (g_strcmp0 (nt_proposal_get_id (p), nt_allocation_get_proposal (a)) != 0)
        continue;
      others = other_bookings (self, a, 0, nt_proposal_get_id (p));
      for (guint j = 0; j < others->len; j++)
        booked += nt_rules_shifts_of (shift, nt_allocation_get_start (others->pdata[j]),
                                      nt_allocation_get_end (others->pdata[j]));
      if (!nt_rules_check_proposal_shifts (nt_proposal_get_id (p), booked,
                                           nt_rules_shifts_of (shift, start, end),
                                           nt_proposal_get_shifts_approved (p), error))
        return FALSE;
    }
  return TRUE;
}

gboolean
nt_schedule_page_check_rules (gpointer     object,
                              const char  *station,
                              int          slot_or_kind,
                              gint64       start,
                              gint64       end,
                              gpointer     user_data,
                              GError     **error)
{
  NtSchedulePage *self = user_data;
  NtCatalogue *catalogue = nt_context_get_catalogue (self->context);
  NtTimeGrid shift = NT_TIME_GRID_SHIFT_DEFAULT, hour = NT_TIME_GRID_HOUR;
  g_autoptr(GArray) plan = NULL;
  NtStation *st;
  NtBeamline *bl;
  NtAllocation *other;
  NtSlot slot = (NtSlot)slot_or_kind;

  if (station == NULL)
    return check_period (self, object, start, end, error);

  st = catalogue != NULL ? nt_catalogue_lookup_station (catalogue, station) : NULL;
  bl = st != NULL ? nt_catalogue_lookup_beamline (catalogue, nt_station_get_beamline_id (st)) : NULL;
  if (bl != NULL &&
      !nt_rules_check_station_slot (slot, nt_beamline_get_program (bl), nt_station_get_kind (st), error))
    return FALSE;

  if (!nt_rules_check_grid (slot, start, end, &shift, &hour, error))
    return FALSE;

  other = nt_timeline_find_overlap (self->timeline, station, start, end, object);
  if (other != NULL)
    {
      g_autofree char *from = nt_time_format_local (nt_allocation_get_start (other), "%m-%d %H:%M");
      g_autofree char *to = nt_time_format_local (nt_allocation_get_end (other), "%m-%d %H:%M");

      g_set_error (error, NT_RULE_ERROR, NT_RULE_ERROR_OVERLAP,
                   _("Overlaps another allocation of %s (%s – %s)"), station, from, to);
      return FALSE;
    }

  plan = nt_timeline_dup_plan_spans (self->timeline);
  if (!nt_rules_check_in_operation (plan, slot, start, end, error))
    return FALSE;

  /* Member quota and proposal shifts, over what this page has read. */
  if (object == NULL || !NT_IS_ALLOCATION (object))
    return TRUE;
  if (slot == NT_SLOT_COALITION && nt_allocation_get_member (object) > 0 &&
      !check_member_quota (self, object, start, end, error))
    return FALSE;
  if (slot == NT_SLOT_PUBLIC && nt_allocation_get_proposal (object) != NULL &&
      !check_proposal_shifts (self, object, &shift, start, end, error))
    return FALSE;

  return TRUE;
}

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

typedef struct
{
  gint64      except;
  gint64      member;
  const char *proposal;
  GArray     *spans;  /* NtPeriodSpan (kind unused) */
} Others;

static gboolean
other_cb (const NtBooking *b,
          gpointer         user_data)
{
  Others *o = user_data;

  if (b->id == o->except || b->status == NT_ALLOCATION_CANCELLED)
    return TRUE;
  if ((o->member > 0 && b->member == o->member) ||
      (o->proposal != NULL && g_strcmp0 (b->proposal, o->proposal) == 0))
    {
      NtPeriodSpan span = { b->start, b->end, 0 };

      g_array_append_val (o->spans, span);
    }
  return TRUE;
}

/* The spans of the bookings read other than @a and not cancelled, of the
 * member @member (when > 0) or of the proposal @proposal (when not NULL):
 * from the timeline's records, no object made. */
static GArray *
other_bookings (NtSchedulePage *self,
                NtAllocation   *a,
                gint64          member,
                const char     *proposal)
{
  Others o = { nt_allocation_get_id (a), member, proposal,
               g_array_new (FALSE, FALSE, sizeof (NtPeriodSpan)) };

  nt_booking_store_foreach (nt_timeline_get_allocation_store (self->timeline), other_cb, &o);
  return o.spans;
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
      g_autoptr(GArray) others = NULL;
      gint64 booked;

      if (nt_member_get_id (m) != nt_allocation_get_member (a))
        continue;
      booked = nt_rules_seconds_in_fiscal_year (start, end, self->fiscal_year);
      others = other_bookings (self, a, nt_member_get_id (m), NULL);
      for (guint j = 0; j < others->len; j++)
        booked += nt_rules_seconds_in_fiscal_year (g_array_index (others, NtPeriodSpan, j).start,
                                                   g_array_index (others, NtPeriodSpan, j).end,
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
      g_autoptr(GArray) others = NULL;
      gint64 booked = 0;

      if (g_strcmp0 (nt_proposal_get_id (p), nt_allocation_get_proposal (a)) != 0)
        continue;
      others = other_bookings (self, a, 0, nt_proposal_get_id (p));
      for (guint j = 0; j < others->len; j++)
        booked += nt_rules_shifts_of (shift, g_array_index (others, NtPeriodSpan, j).start,
                                      g_array_index (others, NtPeriodSpan, j).end);
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
  const NtBooking *other;
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

  other = nt_timeline_find_overlap_booking (self->timeline, station, start, end,
                                            NT_IS_ALLOCATION (object) ? nt_allocation_get_id (object) : -1);
  if (other != NULL)
    {
      g_autofree char *from = nt_time_format_local (other->start, "%m-%d %H:%M");
      g_autofree char *to = nt_time_format_local (other->end, "%m-%d %H:%M");

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

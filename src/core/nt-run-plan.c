/* nt-run-plan.c: run-plan period kinds, lookup, and the demo fiscal-year plan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-run-plan"

#include "config.h"

#include "nt-nicks-private.h"
#include "nt-run-plan-private.h"
#include "nt-time.h"

const char * const nt_period_kind_nicks[NT_N_PERIOD_KINDS] = {
  [NT_PERIOD_USER_OPERATION] = "user_operation",
  [NT_PERIOD_MACHINE_STUDY] = "machine_study",
  [NT_PERIOD_COMMISSIONING] = "commissioning",
  [NT_PERIOD_MAINTENANCE] = "maintenance",
  [NT_PERIOD_INSPECTION] = "inspection",
  [NT_PERIOD_SHUTDOWN] = "shutdown",
};

/* The demo plan is laid out in weeks that begin on Monday 09:00 JST (a
 * shift boundary), starting from the first Monday after 1 April.  Each
 * letter is one week:
 *
 *   S  start-up after a long shutdown: machine study Mon-Thu, beamline
 *      commissioning Thu-Fri, user operation Fri-Mon
 *   R  restart after a maintenance week: machine study Mon-Tue, then user
 *      operation
 *   O  operation: user operation, with the weekly machine-study day on
 *      Tuesday 09:00 to Wednesday 09:00
 *   M  maintenance (the last ones of the year include vacuum bake-out)
 *   X  shutdown (summer, winter)
 *
 * From 1 April 00:00 to the first Monday 09:00 is the facility's spring
 * inspection.  With FY2026's 52 Mondays this gives 4,968 h user operation,
 * 1,008 h machine study and 72 h commissioning: 6,048 h of beam.
 */
static const char week_layout[] =
  "SOOOOO"          /* April-May: cycle 1 */
  "MROOOO"          /* late May-June: cycle 2 */
  "MROOO"           /* July: cycle 3 */
  "XXXXXX"          /* August to mid-September: summer shutdown */
  "SOOOO"           /* mid-September to October: cycle 4 */
  "MROOOO"          /* November: cycle 5 */
  "MROO"            /* December: cycle 6 */
  "XX"              /* winter shutdown */
  "SOOOO"           /* January-February: cycle 7 */
  "MROO"            /* March: cycle 8 */
  "MMMM";           /* spring maintenance and bake-out to year end */

typedef struct
{
  int          from_day;  /* days after the week's Monday 09:00 */
  int          to_day;
  NtPeriodKind kind;
} WeekPart;

static void
append_span (GArray       *spans,
             gint64        start,
             gint64        end,
             NtPeriodKind  kind)
{
  NtPeriodSpan span = { start, end, kind };

  if (end <= start)
    return;

  if (spans->len > 0)
    {
      NtPeriodSpan *last = &g_array_index (spans, NtPeriodSpan, spans->len - 1);

      g_assert (last->end == start);
      if (last->kind == kind)
        {
          last->end = end;
          return;
        }
    }
  g_array_append_val (spans, span);
}

static gint64
local_day_at_nine (GDateTime *monday,
                   int        days)
{
  g_autoptr(GDateTime) d = g_date_time_add_days (monday, days);

  return nt_time_from_local (g_date_time_get_year (d), g_date_time_get_month (d),
                             g_date_time_get_day_of_month (d), 9, 0);
}

const char *
nt_period_kind_to_string (NtPeriodKind kind)
{
  g_return_val_if_fail ((int) kind >= 0 && kind < NT_N_PERIOD_KINDS, NULL);
  return nt_period_kind_nicks[kind];
}

gboolean
nt_period_kind_from_string (const char   *str,
                            NtPeriodKind *kind)
{
  int v;

  if (!nt_nick_lookup (nt_period_kind_nicks, NT_N_PERIOD_KINDS, str, &v))
    return FALSE;
  if (kind != NULL)
    *kind = (NtPeriodKind) v;
  return TRUE;
}

gboolean
nt_period_kind_has_beam (NtPeriodKind kind)
{
  switch (kind)
    {
    case NT_PERIOD_USER_OPERATION:
    case NT_PERIOD_MACHINE_STUDY:
    case NT_PERIOD_COMMISSIONING:
      return TRUE;
    case NT_PERIOD_MAINTENANCE:
    case NT_PERIOD_INSPECTION:
    case NT_PERIOD_SHUTDOWN:
    default:
      return FALSE;
    }
}

GArray *
nt_demo_plan_build (int fiscal_year)
{
  static const WeekPart part_s[] = {
    { 0, 3, NT_PERIOD_MACHINE_STUDY },
    { 3, 4, NT_PERIOD_COMMISSIONING },
    { 4, 7, NT_PERIOD_USER_OPERATION },
  };
  static const WeekPart part_r[] = {
    { 0, 1, NT_PERIOD_MACHINE_STUDY },
    { 1, 7, NT_PERIOD_USER_OPERATION },
  };
  static const WeekPart part_o[] = {
    { 0, 1, NT_PERIOD_USER_OPERATION },
    { 1, 2, NT_PERIOD_MACHINE_STUDY },
    { 2, 7, NT_PERIOD_USER_OPERATION },
  };
  static const WeekPart part_m[] = { { 0, 7, NT_PERIOD_MAINTENANCE } };
  static const WeekPart part_x[] = { { 0, 7, NT_PERIOD_SHUTDOWN } };
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (NtPeriodSpan));
  g_autoptr(GDateTime) april1 = NULL;
  g_autoptr(GDateTime) monday = NULL;
  gint64 fy_start, fy_end, first_monday;
  int to_monday;

  g_return_val_if_fail (fiscal_year >= 1970 && fiscal_year < 9000, spans);

  nt_time_fiscal_year_bounds (fiscal_year, &fy_start, &fy_end);
  april1 = nt_time_to_local (fy_start);

  /* First Monday strictly after 1 April (Monday is 1 in GLib). */
  to_monday = 8 - g_date_time_get_day_of_week (april1);
  monday = g_date_time_add_days (april1, to_monday);
  first_monday = local_day_at_nine (monday, 0);

  append_span (spans, fy_start, first_monday, NT_PERIOD_INSPECTION);

  for (guint w = 0; w < G_N_ELEMENTS (week_layout) - 1; w++)
    {
      const WeekPart *parts;
      guint n_parts;

      switch (week_layout[w])
        {
        case 'S': parts = part_s; n_parts = G_N_ELEMENTS (part_s); break;
        case 'R': parts = part_r; n_parts = G_N_ELEMENTS (part_r); break;
        case 'O': parts = part_o; n_parts = G_N_ELEMENTS (part_o); break;
        case 'M': parts = part_m; n_parts = G_N_ELEMENTS (part_m); break;
        case 'X': parts = part_x; n_parts = G_N_ELEMENTS (part_x); break;
        default: g_assert_not_reached ();
        }

      for (guint p = 0; p < n_parts; p++)
        {
          gint64 start = local_day_at_nine (monday, (int) w * 7 + parts[p].from_day);
          gint64 end = local_day_at_nine (monday, (int) w * 7 + parts[p].to_day);

          if (start >= fy_end)
            break;
          append_span (spans, start, MIN (end, fy_end), parts[p].kind);
        }
    }

  /* A year with fewer Mondays ends inside the last maintenance week; one with
   * more gets the remainder as maintenance too. */
  if (g_array_index (spans, NtPeriodSpan, spans->len - 1).end < fy_end)
    append_span (spans, g_array_index (spans, NtPeriodSpan, spans->len - 1).end, fy_end,
                 NT_PERIOD_MAINTENANCE);

  return spans;
}

const NtPeriodSpan *
nt_run_plan_lookup (GArray *spans,
                    gint64  t)
{
  guint lo = 0, hi;

  g_return_val_if_fail (spans != NULL, NULL);

  hi = spans->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const NtPeriodSpan *s = &g_array_index (spans, NtPeriodSpan, mid);

      if (t < s->start)
        hi = mid;
      else if (t >= s->end)
        lo = mid + 1;
      else
        return s;
    }
  return NULL;
}

/* nt-statistics.c: operations statistics over samples, plan and settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A piece of time is reduced to lists of intervals: scheduled (user
 * operation in the plan), known (covered by a current sample no older than
 * the largest gap), above the threshold, in user-operation mode, below the
 * threshold outside planned refills (the losses), and per beamline its
 * allocations and open front-end shutter.  Sums are lengths of
 * intersections.  Losses of adjacent pieces that touch are joined; a
 * joined loss longer than the grace time is a fault.  The definitions are
 * those of help/C/statistics-definitions.page.
 */
#define G_LOG_DOMAIN "nt-statistics"

#include "config.h"

#include <math.h>

#include "nt-ring-sim.h"
#include "nt-statistics.h"
#include "nt-time.h"

#define US_PER_HOUR   ((double) 3600 * G_USEC_PER_SEC)
#define CONTEXT_DAYS  7

void
nt_stats_settings_init_default (NtStatsSettings *settings)
{
  settings->threshold_fraction = NT_STATS_DEFAULT_THRESHOLD_FRACTION;
  settings->grace_us = (gint64) NT_STATS_DEFAULT_GRACE_SECONDS * G_USEC_PER_SEC;
  settings->target_availability = NT_STATS_DEFAULT_TARGET;
  settings->max_gap_us = (gint64) NT_STATS_DEFAULT_MAX_GAP_SECONDS * G_USEC_PER_SEC;
}

NtStatsPlan *
nt_stats_plan_new (void)
{
  NtStatsPlan *plan = g_new0 (NtStatsPlan, 1);

  plan->periods = g_array_new (FALSE, FALSE, sizeof (NtStatsPeriod));
  plan->refills = g_array_new (FALSE, FALSE, sizeof (NtStatsSpan));
  plan->allocations = g_array_new (FALSE, FALSE, sizeof (NtStatsAllocation));
  plan->beamlines = g_ptr_array_new_with_free_func (g_free);
  return plan;
}

void
nt_stats_plan_free (NtStatsPlan *plan)
{
  if (plan == NULL)
    return;
  g_array_unref (plan->periods);
  g_array_unref (plan->refills);
  g_array_unref (plan->allocations);
  g_ptr_array_unref (plan->beamlines);
  g_free (plan);
}

const char *
nt_stats_mode_nick (int mode)
{
  static const char * const nicks[] = {
    "user", "machine-study", "maintenance", "shutdown", "beam-dump", "injection",
  };

  if (mode < 0 || mode >= (int) G_N_ELEMENTS (nicks))
    return "unknown";
  return nicks[mode];
}

gint64
nt_stats_day_floor (gint64 t_us)
{
  g_autoptr(GDateTime) local = nt_time_to_local (t_us / G_USEC_PER_SEC - (t_us % G_USEC_PER_SEC < 0 ? 1 : 0));

  return nt_time_from_local (g_date_time_get_year (local), g_date_time_get_month (local),
                             g_date_time_get_day_of_month (local), 0, 0) * G_USEC_PER_SEC;
}

gint64
nt_stats_day_next (gint64 day_us)
{
  /* 26 h on, then back to that day's midnight: right whatever the zone's
   * day length. */
  return nt_stats_day_floor (day_us + (gint64) 26 * 3600 * G_USEC_PER_SEC);
}

/* Interval lists: GArray of NtStatsSpan, sorted and disjoint. */

static GArray *
spans_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (NtStatsSpan));
}

static void
spans_add (GArray *spans,
           gint64  start,
           gint64  end)
{
  NtStatsSpan s = { start, end };

  if (end <= start)
    return;
  if (spans->len > 0)
    {
      NtStatsSpan *last = &g_array_index (spans, NtStatsSpan, spans->len - 1);

      if (start <= last->end)
        {
          last->end = MAX (last->end, end);
          return;
        }
    }
  g_array_append_val (spans, s);
}

static gint64
spans_length (GArray *spans)
{
  gint64 sum = 0;

  for (guint i = 0; i < spans->len; i++)
    sum += g_array_index (spans, NtStatsSpan, i).end - g_array_index (spans, NtStatsSpan, i).start;
  return sum;
}

static GArray *
spans_intersect (GArray *a,
                 GArray *b)
{
  GArray *out = spans_new ();
  guint i = 0, j = 0;

  while (i < a->len && j < b->len)
    {
      NtStatsSpan *x = &g_array_index (a, NtStatsSpan, i);
      NtStatsSpan *y = &g_array_index (b, NtStatsSpan, j);

      spans_add (out, MAX (x->start, y->start), MIN (x->end, y->end));
      if (x->end < y->end)
        i++;
      else
        j++;
    }
  return out;
}

/* a without b */
static GArray *
spans_subtract (GArray *a,
                GArray *b)
{
  GArray *out = spans_new ();
  guint j = 0;

  for (guint i = 0; i < a->len; i++)
    {
      NtStatsSpan x = g_array_index (a, NtStatsSpan, i);
      gint64 t = x.start;

      while (j < b->len && g_array_index (b, NtStatsSpan, j).end <= t)
        j++;
      for (guint k = j; k < b->len && g_array_index (b, NtStatsSpan, k).start < x.end; k++)
        {
          NtStatsSpan *y = &g_array_index (b, NtStatsSpan, k);

          spans_add (out, t, MIN (y->start, x.end));
          t = MAX (t, y->end);
        }
      spans_add (out, t, x.end);
    }
  return out;
}

/* Index of the last sample at or before @t, or -1. */
static int
sample_at (GArray *samples,
           gint64  t)
{
  int lo = 0, hi = samples != NULL ? (int) samples->len : 0;

  while (lo < hi)
    {
      int mid = lo + (hi - lo) / 2;

      if (g_array_index (samples, NtHistorySample, mid).time_us <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo - 1;
}

/* Where an enum PV equals @value within [from, to): each sample holds
 * until the next. */
static GArray *
enum_spans (GArray *samples,
            double  value,
            gint64  from,
            gint64  to)
{
  GArray *out = spans_new ();
  int i;

  if (samples == NULL || samples->len == 0)
    return out;
  i = MAX (sample_at (samples, from), 0);
  for (; i < (int) samples->len; i++)
    {
      NtHistorySample *s = &g_array_index (samples, NtHistorySample, i);
      gint64 end = i + 1 < (int) samples->len ? g_array_index (samples, NtHistorySample, i + 1).time_us : to;

      if (s->time_us >= to)
        break;
      if (s->value == value)
        spans_add (out, MAX (s->time_us, from), MIN (end, to));
    }
  return out;
}

static void
loss_clear (gpointer data)
{
  NtStatsLoss *loss = data;

  g_free (loss->message);
}

static void
add_beamline_hours (NtStatsPiece       *piece,
                    const NtStatsPlan  *plan,
                    const NtStatsSamples *samples,
                    GArray             *scheduled,
                    GArray             *delivered)
{
  for (guint b = 0; b < plan->beamlines->len; b++)
    {
      g_autoptr(GArray) pub = spans_new ();
      g_autoptr(GArray) coal = spans_new ();
      g_autoptr(GArray) pub_raw = NULL;
      g_autoptr(GArray) coal_raw = NULL;
      g_autoptr(GArray) open = NULL;
      g_autoptr(GArray) with_beam = NULL;
      g_autoptr(GArray) pub_d = NULL;
      g_autoptr(GArray) coal_d = NULL;
      GArray *shutter = samples->shutters != NULL && b < samples->shutters->len
                        ? g_ptr_array_index (samples->shutters, b) : NULL;
      g_autoptr(GArray) pub_sorted = g_array_new (FALSE, FALSE, sizeof (NtStatsSpan));
      g_autoptr(GArray) coal_sorted = g_array_new (FALSE, FALSE, sizeof (NtStatsSpan));

      for (guint i = 0; i < plan->allocations->len; i++)
        {
          NtStatsAllocation *a = &g_array_index (plan->allocations, NtStatsAllocation, i);
          NtStatsSpan s = { MAX (a->start, piece->from), MIN (a->end, piece->to) };

          if (a->beamline != b || s.end <= s.start)
            continue;
          if (a->slot == NT_SLOT_PUBLIC)
            g_array_append_val (pub_sorted, s);
          else if (a->slot == NT_SLOT_COALITION)
            g_array_append_val (coal_sorted, s);
        }
      if (pub_sorted->len == 0 && coal_sorted->len == 0)
        continue;

      /* Allocations of one beamline's stations may overlap: their union. */
      for (int k = 0; k < 2; k++)
        {
          GArray *src = k == 0 ? pub_sorted : coal_sorted;
          GArray *dst = k == 0 ? pub : coal;

          for (guint i = 1; i < src->len; i++)
            for (guint j = i; j > 0 && g_array_index (src, NtStatsSpan, j - 1).start > g_array_index (src, NtStatsSpan, j).start; j--)
              {
                NtStatsSpan t = g_array_index (src, NtStatsSpan, j);

                g_array_index (src, NtStatsSpan, j) = g_array_index (src, NtStatsSpan, j - 1);
                g_array_index (src, NtStatsSpan, j - 1) = t;
              }
          for (guint i = 0; i < src->len; i++)
            spans_add (dst, g_array_index (src, NtStatsSpan, i).start, g_array_index (src, NtStatsSpan, i).end);
        }

      pub_raw = spans_intersect (pub, scheduled);
      coal_raw = spans_intersect (coal, scheduled);
      open = enum_spans (shutter, NT_SHUTTER_OPEN, piece->from, piece->to);
      with_beam = spans_intersect (open, delivered);
      pub_d = spans_intersect (pub_raw, with_beam);
      coal_d = spans_intersect (coal_raw, with_beam);
      piece->beamline_us[4 * b + 0] = spans_length (pub_raw);
      piece->beamline_us[4 * b + 1] = spans_length (coal_raw);
      piece->beamline_us[4 * b + 2] = spans_length (pub_d);
      piece->beamline_us[4 * b + 3] = spans_length (coal_d);
    }
}

NtStatsPiece *
nt_stats_piece_compute (const NtStatsPlan     *plan,
                        const NtStatsSamples  *samples,
                        const NtStatsSettings *settings,
                        gint64                 from,
                        gint64                 to)
{
  NtStatsPiece *piece = g_atomic_rc_box_new0 (NtStatsPiece);
  g_autoptr(GArray) scheduled = spans_new ();
  g_autoptr(GArray) known = spans_new ();
  g_autoptr(GArray) above = spans_new ();
  g_autoptr(GArray) below = spans_new ();
  g_autoptr(GArray) refills = spans_new ();
  g_autoptr(GArray) user_mode = NULL;
  g_autoptr(GArray) delivered = NULL;
  g_autoptr(GArray) losses = NULL;
  GArray *current = samples->current;

  piece->from = from;
  piece->to = to;
  piece->losses = g_array_new (FALSE, TRUE, sizeof (NtStatsLoss));
  g_array_set_clear_func (piece->losses, loss_clear);
  piece->n_beamlines = plan->beamlines->len;
  piece->beamline_us = g_new0 (gint64, 4 * MAX (piece->n_beamlines, 1));

  /* Scheduled user time, and per period the current against its threshold. */
  for (guint p = 0; p < plan->periods->len; p++)
    {
      const NtStatsPeriod *period = &g_array_index (plan->periods, NtStatsPeriod, p);
      gint64 s0 = MAX (period->start, from), s1 = MIN (period->end, to);
      double threshold = settings->threshold_fraction * period->planned_ma;
      int i;

      if (period->kind != NT_PERIOD_USER_OPERATION || s1 <= s0)
        continue;
      spans_add (scheduled, s0, s1);
      if (current == NULL || current->len == 0)
        continue;
      for (i = MAX (sample_at (current, s0), 0); i < (int) current->len; i++)
        {
          const NtHistorySample *s = &g_array_index (current, NtHistorySample, i);
          gint64 next = i + 1 < (int) current->len ? g_array_index (current, NtHistorySample, i + 1).time_us : G_MAXINT64;
          gint64 a = MAX (s->time_us, s0);
          gint64 b = MIN (MIN (next, s->time_us + settings->max_gap_us), s1);

          if (s->time_us >= s1)
            break;
          if (b <= a)
            continue;
          spans_add (known, a, b);
          if (s->value >= threshold)
            spans_add (above, a, b);
          else
            spans_add (below, a, b);
        }
    }

  user_mode = enum_spans (samples->mode, NT_RING_MODE_USER_OPERATION, from, to);
  delivered = spans_intersect (above, user_mode);
  piece->scheduled_us = spans_length (scheduled);
  piece->delivered_us = spans_length (delivered);
  piece->unknown_us = piece->scheduled_us - spans_length (known);

  /* Losses: below the threshold, not within a planned refill. */
  for (guint r = 0; r < plan->refills->len; r++)
    {
      const NtStatsSpan *s = &g_array_index (plan->refills, NtStatsSpan, r);

      spans_add (refills, MAX (s->start, from), MIN (s->end, to));
    }
  losses = spans_subtract (below, refills);
  for (guint i = 0; i < losses->len; i++)
    {
      NtStatsSpan *s = &g_array_index (losses, NtStatsSpan, i);
      NtStatsLoss loss = { s->start, s->end, -1, NULL };
      int m = sample_at (samples->mode, s->start - 1);
      int t = sample_at (samples->message, s->start + settings->grace_us);

      if (m < 0 && samples->mode != NULL && samples->mode->len > 0)
        m = 0;
      if (m >= 0)
        loss.mode = (int) g_array_index (samples->mode, NtHistorySample, m).value;
      loss.message = g_strdup (t >= 0 ? g_array_index (samples->message, NtHistorySample, t).text : NULL);
      if (loss.message == NULL)
        loss.message = g_strdup ("");
      g_array_append_val (piece->losses, loss);
    }

  add_beamline_hours (piece, plan, samples, scheduled, delivered);

  return piece;
}

static void
piece_clear (NtStatsPiece *piece)
{
  g_array_unref (piece->losses);
  g_free (piece->beamline_us);
}

NtStatsPiece *
nt_stats_piece_ref (NtStatsPiece *piece)
{
  return g_atomic_rc_box_acquire (piece);
}

void
nt_stats_piece_unref (NtStatsPiece *piece)
{
  if (piece != NULL)
    g_atomic_rc_box_release_full (piece, (GDestroyNotify) piece_clear);
}

/* Assembly */

typedef struct
{
  gint64      start;
  gint64      end;
  gboolean    open;       /* still below at the end of what is known */
  int         mode;
  const char *message;
} Fault;

static void
add_hours (JsonBuilder *b,
           const char  *name,
           gint64       us)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, round (us / US_PER_HOUR * 1e6) / 1e6);
}

static void
add_iso (JsonBuilder *b,
         const char  *name,
         gint64       us)
{
  char buf[NT_TIME_ISO_LEN + 1];

  nt_time_format_iso_buf (us / G_USEC_PER_SEC, buf);
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, buf);
}

static void
add_ratio (JsonBuilder *b,
           const char  *name,
           double       num,
           double       den,
           double       scale)
{
  json_builder_set_member_name (b, name);
  if (den > 0)
    json_builder_add_double_value (b, round (num / den * scale * 1e6) / 1e6);
  else
    json_builder_add_null_value (b);
}

/* Whether a piece holds a loss that covers all of it. */
static gboolean
piece_all_loss (NtStatsPiece *p)
{
  return p->losses->len == 1 &&
         g_array_index (p->losses, NtStatsLoss, 0).start == p->from &&
         g_array_index (p->losses, NtStatsLoss, 0).end == p->to;
}

JsonNode *
nt_stats_assemble (const NtStatsPlan     *plan,
                   const NtStatsSettings *settings,
                   gint64                 from,
                   gint64                 to,
                   gint64                 now,
                   NtStatsPieceFunc       get_piece,
                   gpointer               user_data,
                   GError               **error)
{
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) nt_stats_piece_unref);
  g_autoptr(GArray) faults = g_array_new (FALSE, FALSE, sizeof (Fault));
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gint64 complete_to = MAX (MIN (to, now), from);
  gint64 scheduled = 0, delivered = 0, unknown = 0, recovered_sum = 0;
  guint n_recovered = 0, n_faults = 0, first_in_range, n_before = 0;
  guint n_bl = plan->beamlines->len;
  g_autofree gint64 *bl = g_new0 (gint64, 4 * MAX (n_bl, 1));

  /* The pieces of the range: facility days, cut at from and complete_to. */
  for (gint64 t = from; t < complete_to;)
    {
      gint64 end = MIN (nt_stats_day_next (nt_stats_day_floor (t)), complete_to);
      NtStatsPiece *p = get_piece (t, end, user_data, error);

      if (p == NULL)
        return NULL;
      g_ptr_array_add (pieces, p);
      t = end;
    }

  /* A loss at the range's start may have begun before it: read back. */
  while (pieces->len > 0 && n_before < CONTEXT_DAYS)
    {
      NtStatsPiece *first = g_ptr_array_index (pieces, 0);
      gint64 start;
      NtStatsPiece *p;

      if (first->losses->len == 0 || g_array_index (first->losses, NtStatsLoss, 0).start != first->from)
        break;
      if (n_before > 0 && !piece_all_loss (first))
        break;
      start = nt_stats_day_floor (first->from - 1);
      if ((p = get_piece (start, first->from, user_data, error)) == NULL)
        return NULL;
      g_ptr_array_insert (pieces, 0, p);
      n_before++;
    }
  first_in_range = n_before;

  /* A loss open at the range's end may recover after it: read on. */
  for (guint n_after = 0; pieces->len > 0 && n_after < CONTEXT_DAYS; n_after++)
    {
      NtStatsPiece *last = g_ptr_array_index (pieces, pieces->len - 1);
      gint64 end;
      NtStatsPiece *p;

      if (last->to >= now || last->losses->len == 0 ||
          g_array_index (last->losses, NtStatsLoss, last->losses->len - 1).end != last->to)
        break;
      if (n_after > 0 && !piece_all_loss (last))
        break;
      end = MIN (nt_stats_day_next (nt_stats_day_floor (last->to)), now);
      if ((p = get_piece (last->to, end, user_data, error)) == NULL)
        return NULL;
      g_ptr_array_add (pieces, p);
    }

  /* Join the losses of touching pieces; each longer than the grace time
   * is a fault. */
  {
    Fault cur = { 0 };
    gboolean have = FALSE;
    gint64 known_to = pieces->len > 0 ? ((NtStatsPiece *) g_ptr_array_index (pieces, pieces->len - 1))->to : from;

    for (guint i = 0; i < pieces->len; i++)
      {
        NtStatsPiece *p = g_ptr_array_index (pieces, i);

        for (guint j = 0; j < p->losses->len; j++)
          {
            NtStatsLoss *l = &g_array_index (p->losses, NtStatsLoss, j);

            if (have && l->start == cur.end)
              {
                cur.end = l->end;
                continue;
              }
            if (have && cur.end - cur.start > settings->grace_us)
              g_array_append_val (faults, cur);
            cur = (Fault) { l->start, l->end, FALSE, l->mode, l->message };
            have = TRUE;
          }
      }
    if (have && cur.end - cur.start > settings->grace_us)
      {
        /* Still below where the record ends: now, or a week after the
         * range. */
        cur.open = cur.end >= known_to;
        g_array_append_val (faults, cur);
      }
  }

  json_builder_begin_object (b);
  add_iso (b, "from", from);
  add_iso (b, "to", to);
  add_iso (b, "complete_to", complete_to);
  json_builder_set_member_name (b, "settings");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "threshold_fraction");
  json_builder_add_double_value (b, settings->threshold_fraction);
  json_builder_set_member_name (b, "grace_seconds");
  json_builder_add_int_value (b, settings->grace_us / G_USEC_PER_SEC);
  json_builder_set_member_name (b, "target_availability");
  json_builder_add_double_value (b, settings->target_availability);
  json_builder_end_object (b);

  for (guint i = first_in_range; i < pieces->len; i++)
    {
      NtStatsPiece *p = g_ptr_array_index (pieces, i);

      if (p->from >= complete_to)
        break;
      scheduled += p->scheduled_us;
      delivered += p->delivered_us;
      unknown += p->unknown_us;
      for (guint k = 0; k < 4 * MIN (n_bl, p->n_beamlines); k++)
        bl[k] += p->beamline_us[k];
    }
  for (guint i = 0; i < faults->len; i++)
    {
      Fault *f = &g_array_index (faults, Fault, i);

      if (f->start < from || f->start >= complete_to)
        continue;
      n_faults++;
      if (!f->open)
        {
          recovered_sum += f->end - f->start;
          n_recovered++;
        }
    }

  add_hours (b, "scheduled_hours", scheduled);
  add_hours (b, "delivered_hours", delivered);
  add_hours (b, "unknown_hours", unknown);
  add_ratio (b, "availability", delivered, scheduled, 100);
  json_builder_set_member_name (b, "fault_count");
  json_builder_add_int_value (b, n_faults);
  add_ratio (b, "mtbf_hours", delivered / US_PER_HOUR, n_faults, 1);
  add_ratio (b, "mttr_hours", recovered_sum / US_PER_HOUR, n_recovered, 1);

  json_builder_set_member_name (b, "faults");
  json_builder_begin_array (b);
  for (guint i = 0; i < faults->len; i++)
    {
      Fault *f = &g_array_index (faults, Fault, i);

      if (f->start < from || f->start >= complete_to)
        continue;
      json_builder_begin_object (b);
      add_iso (b, "start", f->start);
      if (f->open)
        {
          json_builder_set_member_name (b, "recovered");
          json_builder_add_null_value (b);
        }
      else
        add_iso (b, "recovered", f->end);
      add_hours (b, "lost_hours", MIN (f->end, complete_to) - f->start);
      json_builder_set_member_name (b, "mode");
      json_builder_add_string_value (b, nt_stats_mode_nick (f->mode));
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, f->message != NULL ? f->message : "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "days");
  json_builder_begin_array (b);
  {
    guint k = first_in_range;

    for (gint64 day = nt_stats_day_floor (from); day < to; day = nt_stats_day_next (day))
      {
        gint64 next = nt_stats_day_next (day);
        gint64 s = 0, d = 0, u = 0;
        guint nf = 0;
        g_autofree char *date = nt_time_format_local (MAX (day, from) / G_USEC_PER_SEC, "%Y-%m-%d");

        for (; k < pieces->len; k++)
          {
            NtStatsPiece *p = g_ptr_array_index (pieces, k);

            if (p->from >= next || p->from >= complete_to)
              break;
            s += p->scheduled_us;
            d += p->delivered_us;
            u += p->unknown_us;
          }
        for (guint i = 0; i < faults->len; i++)
          {
            Fault *f = &g_array_index (faults, Fault, i);

            if (f->start >= MAX (day, from) && f->start < MIN (next, complete_to))
              nf++;
          }
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "date");
        json_builder_add_string_value (b, date);
        add_hours (b, "scheduled_hours", s);
        add_hours (b, "delivered_hours", d);
        add_hours (b, "unknown_hours", u);
        json_builder_set_member_name (b, "faults");
        json_builder_add_int_value (b, nf);
        json_builder_end_object (b);
      }
  }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "beamlines");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_bl; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "beamline");
      json_builder_add_string_value (b, g_ptr_array_index (plan->beamlines, i));
      add_hours (b, "allocated_public_hours", bl[4 * i + 0]);
      add_hours (b, "allocated_coalition_hours", bl[4 * i + 1]);
      add_hours (b, "delivered_public_hours", bl[4 * i + 2]);
      add_hours (b, "delivered_coalition_hours", bl[4 * i + 3]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

typedef struct
{
  const NtStatsPlan     *plan;
  const NtStatsSamples  *samples;
  const NtStatsSettings *settings;
} MemorySource;

static NtStatsPiece *
memory_piece (gint64    from,
              gint64    to,
              gpointer  user_data,
              GError  **error)
{
  MemorySource *src = user_data;

  return nt_stats_piece_compute (src->plan, src->samples, src->settings, from, to);
}

JsonNode *
nt_stats_compute (const NtStatsPlan     *plan,
                  const NtStatsSamples  *samples,
                  const NtStatsSettings *settings,
                  gint64                 from,
                  gint64                 to,
                  gint64                 now)
{
  MemorySource src = { plan, samples, settings };

  return nt_stats_assemble (plan, settings, from, to, now, memory_piece, &src, NULL);
}

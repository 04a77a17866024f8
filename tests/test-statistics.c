/* test-statistics.c: operations statistics against hand-computed answers,
 * and GET /api/v1/statistics over loopback HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The synthetic histories are piecewise constant (a sample holds until
 * the next); every expected figure is worked out in the comment above its
 * case (help/C/statistics-definitions.page has the definitions).
 */
#include "config.h"

#include <math.h>

#include "nt-facility.h"
#include "nt-history-store.h"
#include "nt-ring-sim.h"
#include "nt-statistics-service.h"
#include "schedule-test-util.h"
#include "test-instants.h"

#define H ((gint64) 3600 * G_USEC_PER_SEC)
#define M ((gint64) 60 * G_USEC_PER_SEC)
#define S ((gint64) G_USEC_PER_SEC)

/* 2026-05-11 00:00 JST, a facility day's start */
static gint64
day0 (void)
{
  return nt_time_from_local (2026, 5, 11, 0, 0) * G_USEC_PER_SEC;
}

typedef struct
{
  NtStatsPlan     *plan;
  NtStatsSamples   samples;
  NtStatsSettings  settings;
} Synth;

static void
synth_init (Synth *s)
{
  s->plan = nt_stats_plan_new ();
  s->samples.current = g_array_new (FALSE, TRUE, sizeof (NtHistorySample));
  s->samples.mode = g_array_new (FALSE, TRUE, sizeof (NtHistorySample));
  s->samples.message = g_array_new (FALSE, TRUE, sizeof (NtHistorySample));
  s->samples.shutters = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  nt_stats_settings_init_default (&s->settings);
  /* Change-based samples: each holds until the next. */
  s->settings.max_gap_us = (gint64) 30 * 86400 * S;
}

static void
synth_clear (Synth *s)
{
  nt_stats_plan_free (s->plan);
  g_array_unref (s->samples.current);
  g_array_unref (s->samples.mode);
  for (guint i = 0; i < s->samples.message->len; i++)
    g_free (g_array_index (s->samples.message, NtHistorySample, i).text);
  g_array_unref (s->samples.message);
  g_ptr_array_unref (s->samples.shutters);
}

static void
add_sample (GArray     *a,
            gint64      t,
            double      v,
            const char *text)
{
  NtHistorySample s = { t, v, g_strdup (text), 0, 1 };

  g_array_append_val (a, s);
}

static void
add_period (Synth        *s,
            gint64        start,
            gint64        end,
            NtPeriodKind  kind)
{
  NtStatsPeriod p = { start, end, kind, 400.0 };

  g_array_append_val (s->plan->periods, p);
}

/* The current: 400 mA from @t0, with (start, end, value) dips. */
static void
current_with_dips (Synth        *s,
                   gint64        t0,
                   const gint64 *dips,
                   guint         n_dips)
{
  add_sample (s->samples.current, t0, 400.0, NULL);
  for (guint i = 0; i < n_dips; i++)
    {
      add_sample (s->samples.current, dips[3 * i], (double) dips[3 * i + 2], NULL);
      add_sample (s->samples.current, dips[3 * i + 1], 400.0, NULL);
    }
}

static JsonObject *
compute (Synth      *s,
         gint64      from,
         gint64      to,
         JsonNode  **keep)
{
  *keep = nt_stats_compute (s->plan, &s->samples, &s->settings, from, to, day0 () + 30 * 24 * H);
  g_assert_nonnull (*keep);
  return json_node_get_object (*keep);
}

static void
assert_hours (JsonObject *o,
              const char *name,
              double      expected)
{
  JsonNode *n = json_object_get_member (o, name);

  g_assert_nonnull (n);
  g_assert_cmpfloat_with_epsilon (json_node_get_double (n), expected, 1e-5);
}

static JsonObject *
fault (JsonObject *o,
       guint       i)
{
  JsonArray *faults = json_object_get_array_member (o, "faults");

  g_assert_cmpuint (json_array_get_length (faults), >, i);
  return json_array_get_object_element (faults, i);
}

static void
assert_instant (JsonObject *o,
                const char *name,
                gint64      expected_us)
{
  g_autofree char *iso = nt_time_format_iso (expected_us / G_USEC_PER_SEC);

  g_assert_cmpstr (json_object_get_string_member (o, name), ==, iso);
}

/* User operation 09:00 → 09:00 next day (24 h), 400 mA planned, mode
 * "user" throughout.  Faults: 12:00 for 30 min, 18:00 for 2 h; a dip of
 * 30 s at 20:30 is shorter than the 60 s grace time (no fault, but not
 * delivered).  Delivered = 24 − 0.5 − 2 − 30/3600 = 21.491667 h;
 * availability 89.548611 %; MTBF 21.491667 / 2 = 10.745833 h; MTTR
 * (0.5 + 2) / 2 = 1.25 h.  BL02U public all 24 h, its shutter closed
 * 10:00–11:00: 24 − 1 − 2.5 − 30 s = 20.491667 h; BL07U coalition
 * 12:00–24:00, shutter open: 12 − 2.5 − 30 s = 9.491667 h. */
static void
test_two_faults (void)
{
  Synth s;
  gint64 d = day0 ();
  gint64 dips[] = {
    d + 12 * H, d + 12 * H + 30 * M, 0,
    d + 18 * H, d + 20 * H, 0,
    d + 20 * H + 30 * M, d + 20 * H + 30 * M + 30 * S, 5,
  };
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *o, *f;
  JsonArray *days, *bls;
  GArray *bl02, *bl07;
  NtStatsAllocation a1 = { 0, NT_SLOT_PUBLIC, d + 9 * H, d + 33 * H };
  NtStatsAllocation a2 = { 1, NT_SLOT_COALITION, d + 12 * H, d + 24 * H };

  synth_init (&s);
  add_period (&s, d, d + 9 * H, NT_PERIOD_MACHINE_STUDY);
  add_period (&s, d + 9 * H, d + 33 * H, NT_PERIOD_USER_OPERATION);
  add_period (&s, d + 33 * H, d + 48 * H, NT_PERIOD_MAINTENANCE);
  current_with_dips (&s, d, dips, G_N_ELEMENTS (dips) / 3);
  add_sample (s.samples.mode, d, NT_RING_MODE_USER_OPERATION, NULL);
  add_sample (s.samples.message, d, NAN, "Top-up at 400 mA");
  add_sample (s.samples.message, d + 12 * H + 5 * S, NAN, "RF trip in cavity 2");
  add_sample (s.samples.message, d + 13 * H, NAN, "Top-up at 400 mA");
  g_ptr_array_add (s.plan->beamlines, g_strdup ("BL02U"));
  g_ptr_array_add (s.plan->beamlines, g_strdup ("BL07U"));
  g_array_append_val (s.plan->allocations, a1);
  g_array_append_val (s.plan->allocations, a2);
  bl02 = g_array_new (FALSE, TRUE, sizeof (NtHistorySample));
  add_sample (bl02, d, NT_SHUTTER_OPEN, NULL);
  add_sample (bl02, d + 10 * H, NT_SHUTTER_CLOSED, NULL);
  add_sample (bl02, d + 11 * H, NT_SHUTTER_OPEN, NULL);
  bl07 = g_array_new (FALSE, TRUE, sizeof (NtHistorySample));
  add_sample (bl07, d, NT_SHUTTER_OPEN, NULL);
  g_ptr_array_add (s.samples.shutters, bl02);
  g_ptr_array_add (s.samples.shutters, bl07);

  o = compute (&s, d, d + 48 * H, &keep);
  assert_hours (o, "scheduled_hours", 24.0);
  assert_hours (o, "delivered_hours", 21.491667);
  assert_hours (o, "unknown_hours", 0.0);
  assert_hours (o, "availability", 89.548611);
  g_assert_cmpint (json_object_get_int_member (o, "fault_count"), ==, 2);
  assert_hours (o, "mtbf_hours", 10.745833);
  assert_hours (o, "mttr_hours", 1.25);

  f = fault (o, 0);
  assert_instant (f, "start", d + 12 * H);
  assert_instant (f, "recovered", d + 12 * H + 30 * M);
  assert_hours (f, "lost_hours", 0.5);
  g_assert_cmpstr (json_object_get_string_member (f, "mode"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (f, "message"), ==, "RF trip in cavity 2");
  f = fault (o, 1);
  assert_instant (f, "start", d + 18 * H);
  assert_hours (f, "lost_hours", 2.0);
  g_assert_cmpstr (json_object_get_string_member (f, "message"), ==, "Top-up at 400 mA");

  /* Days: 11 May has 09:00–24:00 (15 h) and both faults, 12 May 9 h. */
  days = json_object_get_array_member (o, "days");
  g_assert_cmpuint (json_array_get_length (days), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (days, 0), "date"), ==, "2026-05-11");
  assert_hours (json_array_get_object_element (days, 0), "scheduled_hours", 15.0);
  assert_hours (json_array_get_object_element (days, 0), "delivered_hours", 12.491667);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (days, 0), "faults"), ==, 2);
  assert_hours (json_array_get_object_element (days, 1), "scheduled_hours", 9.0);
  assert_hours (json_array_get_object_element (days, 1), "delivered_hours", 9.0);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (days, 1), "faults"), ==, 0);

  bls = json_object_get_array_member (o, "beamlines");
  g_assert_cmpuint (json_array_get_length (bls), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (bls, 0), "beamline"), ==, "BL02U");
  assert_hours (json_array_get_object_element (bls, 0), "allocated_public_hours", 24.0);
  assert_hours (json_array_get_object_element (bls, 0), "delivered_public_hours", 20.491667);
  assert_hours (json_array_get_object_element (bls, 0), "allocated_coalition_hours", 0.0);
  assert_hours (json_array_get_object_element (bls, 1), "allocated_coalition_hours", 12.0);
  assert_hours (json_array_get_object_element (bls, 1), "delivered_coalition_hours", 9.491667);

  /* A longer grace time (3 h) leaves no fault; the figures stay. */
  s.settings.grace_us = 3 * H;
  g_clear_pointer (&keep, json_node_unref);
  o = compute (&s, d, d + 48 * H, &keep);
  g_assert_cmpint (json_object_get_int_member (o, "fault_count"), ==, 0);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (o, "mtbf_hours")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (o, "mttr_hours")));
  assert_hours (o, "delivered_hours", 21.491667);

  synth_clear (&s);
}

/* Two user-operation periods back to back: P1 11 May 09:00 → 12 May
 * 09:00, P2 → 13 May 09:00.  Faults: 11 May 23:30 → 12 May 00:30 (across
 * the facility day), 12 May 08:00 → 10:00 (across P1/P2).
 * P1: delivered 24 − 1 − 1 = 22 h, 2 faults, lost 1 + 1 h, the second
 * recovered at 10:00 (after the range): MTTR (1 + 2) / 2 = 1.5 h.
 * P2: delivered 23 h, no fault started in it.  Both: 2 faults, lost 1 + 2. */
static void
test_fault_across_boundary (void)
{
  Synth s;
  gint64 d = day0 ();
  gint64 dips[] = {
    d + 23 * H + 30 * M, d + 24 * H + 30 * M, 0,
    d + 32 * H, d + 34 * H, 0,
  };
  g_autoptr(JsonNode) k1 = NULL;
  g_autoptr(JsonNode) k2 = NULL;
  g_autoptr(JsonNode) k3 = NULL;
  JsonObject *o;
  JsonArray *days;

  synth_init (&s);
  add_period (&s, d, d + 9 * H, NT_PERIOD_MACHINE_STUDY);
  add_period (&s, d + 9 * H, d + 33 * H, NT_PERIOD_USER_OPERATION);
  add_period (&s, d + 33 * H, d + 57 * H, NT_PERIOD_USER_OPERATION);
  current_with_dips (&s, d, dips, G_N_ELEMENTS (dips) / 3);
  add_sample (s.samples.mode, d, NT_RING_MODE_USER_OPERATION, NULL);

  o = compute (&s, d + 9 * H, d + 33 * H, &k1);
  assert_hours (o, "scheduled_hours", 24.0);
  assert_hours (o, "delivered_hours", 22.0);
  g_assert_cmpint (json_object_get_int_member (o, "fault_count"), ==, 2);
  assert_instant (fault (o, 0), "start", d + 23 * H + 30 * M);
  assert_instant (fault (o, 0), "recovered", d + 24 * H + 30 * M);
  assert_hours (fault (o, 0), "lost_hours", 1.0);
  assert_instant (fault (o, 1), "recovered", d + 34 * H);
  assert_hours (fault (o, 1), "lost_hours", 1.0);
  assert_hours (o, "mttr_hours", 1.5);
  assert_hours (o, "mtbf_hours", 11.0);
  days = json_object_get_array_member (o, "days");
  g_assert_cmpuint (json_array_get_length (days), ==, 2);
  assert_hours (json_array_get_object_element (days, 0), "delivered_hours", 14.5);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (days, 0), "faults"), ==, 1);
  assert_hours (json_array_get_object_element (days, 1), "scheduled_hours", 9.0);
  assert_hours (json_array_get_object_element (days, 1), "delivered_hours", 7.5);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (days, 1), "faults"), ==, 1);

  o = compute (&s, d + 33 * H, d + 57 * H, &k2);
  assert_hours (o, "scheduled_hours", 24.0);
  assert_hours (o, "delivered_hours", 23.0);
  g_assert_cmpint (json_object_get_int_member (o, "fault_count"), ==, 0);

  o = compute (&s, d, d + 57 * H, &k3);
  assert_hours (o, "delivered_hours", 45.0);
  g_assert_cmpint (json_object_get_int_member (o, "fault_count"), ==, 2);
  assert_hours (fault (o, 1), "lost_hours", 2.0);

  synth_clear (&s);
}

/* Planned refills 09:00–09:15 and 15:00–15:15.  The current is 0 from
 * 09:00 to 09:10 (inside the refill: no fault) and from 15:00 to 15:20
 * (the 5 min after the refill, longer than the grace time: a fault from
 * 15:15, 5 min lost).  Delivered 24 − 10/60 − 20/60 = 23.5 h. */
static void
test_fault_in_refill (void)
{
  Synth s;
  gint64 d = day0 ();
  gint64 dips[] = {
    d + 9 * H, d + 9 * H + 10 * M, 0,
    d + 15 * H, d + 15 * H + 20 * M, 0,
  };
  NtStatsSpan r1 = { d + 9 * H, d + 9 * H + 15 * M };
  NtStatsSpan r2 = { d + 15 * H, d + 15 * H + 15 * M };
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *o;

  synth_init (&s);
  add_period (&s, d + 9 * H, d + 33 * H, NT_PERIOD_USER_OPERATION);
  g_array_append_val (s.plan->refills, r1);
  g_array_append_val (s.plan->refills, r2);
  current_with_dips (&s, d, dips, G_N_ELEMENTS (dips) / 3);
  add_sample (s.samples.mode, d, NT_RING_MODE_USER_OPERATION, NULL);

  o = compute (&s, d, d + 48 * H, &keep);
  assert_hours (o, "delivered_hours", 23.5);
  g_assert_cmpint (json_object_get_int_member (o, "fault_count"), ==, 1);
  assert_instant (fault (o, 0), "start", d + 15 * H + 15 * M);
  assert_instant (fault (o, 0), "recovered", d + 15 * H + 20 * M);
  assert_hours (fault (o, 0), "lost_hours", 5.0 / 60);

  synth_clear (&s);
}

/* 100 mA from 12:00 to 14:00.  Threshold 10 % of 400 mA = 40 mA: all 24 h
 * delivered, no fault.  Threshold 50 % = 200 mA: 22 h delivered, one fault
 * of 2 h. */
static void
test_threshold_change (void)
{
  Synth s;
  gint64 d = day0 ();
  gint64 dips[] = { d + 12 * H, d + 14 * H, 100 };
  g_autoptr(JsonNode) k1 = NULL;
  g_autoptr(JsonNode) k2 = NULL;
  JsonObject *o;

  synth_init (&s);
  add_period (&s, d + 9 * H, d + 33 * H, NT_PERIOD_USER_OPERATION);
  current_with_dips (&s, d, dips, 1);
  add_sample (s.samples.mode, d, NT_RING_MODE_USER_OPERATION, NULL);

  o = compute (&s, d, d + 48 * H, &k1);
  assert_hours (o, "delivered_hours", 24.0);
  assert_hours (o, "availability", 100.0);
  g_assert_cmpint (json_object_get_int_member (o, "fault_count"), ==, 0);

  s.settings.threshold_fraction = 0.5;
  o = compute (&s, d, d + 48 * H, &k2);
  assert_hours (o, "delivered_hours", 22.0);
  g_assert_cmpint (json_object_get_int_member (o, "fault_count"), ==, 1);
  assert_hours (fault (o, 0), "lost_hours", 2.0);
  g_assert_cmpfloat_with_epsilon (json_node_get_double (json_object_get_member (
      json_object_get_object_member (o, "settings"), "threshold_fraction")), 0.5, 1e-9);

  synth_clear (&s);
}

/* Samples every 10 s (each stands for at most 10 s), none from 12:00 to
 * 15:00: 3 h unknown, 21 h delivered, availability 87.5 %, no fault. */
static void
test_gap_unknown (void)
{
  Synth s;
  gint64 d = day0 ();
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *o;

  synth_init (&s);
  s.settings.max_gap_us = 10 * S;
  add_period (&s, d + 9 * H, d + 33 * H, NT_PERIOD_USER_OPERATION);
  for (gint64 t = d; t < d + 48 * H; t += 10 * S)
    if (t < d + 12 * H || t >= d + 15 * H)
      add_sample (s.samples.current, t, 400.0 + (t / S % 7) * 0.01, NULL);
  add_sample (s.samples.mode, d, NT_RING_MODE_USER_OPERATION, NULL);

  o = compute (&s, d, d + 48 * H, &keep);
  assert_hours (o, "scheduled_hours", 24.0);
  assert_hours (o, "unknown_hours", 3.0);
  assert_hours (o, "delivered_hours", 21.0);
  assert_hours (o, "availability", 87.5);
  g_assert_cmpint (json_object_get_int_member (o, "fault_count"), ==, 0);
  assert_hours (json_array_get_object_element (json_object_get_array_member (o, "days"), 0), "unknown_hours", 3.0);

  synth_clear (&s);
}

/* A fault still under way at "now": recovered null, not in the MTTR. */
static void
test_open_fault (void)
{
  Synth s;
  gint64 d = day0 ();
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *o;

  synth_init (&s);
  add_period (&s, d + 9 * H, d + 33 * H, NT_PERIOD_USER_OPERATION);
  add_sample (s.samples.current, d, 400.0, NULL);
  add_sample (s.samples.current, d + 20 * H, 0.0, NULL);
  add_sample (s.samples.mode, d, NT_RING_MODE_USER_OPERATION, NULL);

  keep = nt_stats_compute (s.plan, &s.samples, &s.settings, d, d + 48 * H, d + 21 * H);
  o = json_node_get_object (keep);
  assert_instant (o, "complete_to", d + 21 * H);
  assert_hours (o, "scheduled_hours", 12.0);
  assert_hours (o, "delivered_hours", 11.0);
  g_assert_cmpint (json_object_get_int_member (o, "fault_count"), ==, 1);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (fault (o, 0), "recovered")));
  assert_hours (fault (o, 0), "lost_hours", 1.0);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (o, "mttr_hours")));
  /* One entry per day of the range, also those still to come. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "days")), ==, 2);

  synth_clear (&s);
}

/* The route, over a real server and a real archive */

typedef struct
{
  SchedFixture         sched;
  NtClock             *clock;
  NtHistoryStore      *history;
  NtStatisticsService *stats;
} RouteFixture;

static void
route_setup (RouteFixture  *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NtPvTable) pvs = nt_pv_table_new ();
  static const char * const mode_labels[] = { "User operation", "Machine study", "Maintenance",
                                              "Shutdown", "Beam dump", "Injection", NULL };
  static const char * const shutter_labels[] = { "Closed", "Open", "Moving", "Fault", NULL };
  static const char * const beamlines[] = { "BL02U", NULL };
  static const char * const shutters[] = { "BL02U:FE:SHUTTER", NULL };
  NtStatisticsSources sources = { "SR:DCCT:CURRENT", "SR:OPS:MODE", "SR:OPS:MESSAGE", beamlines, shutters, 400 };
  g_auto(SchedReply) r = { 0 };
  gint64 d = day0 ();
  guint cur, mode, msg, fe;
  g_autofree char *body = NULL;

  sched_fixture_setup (&f->sched, data);
  f->clock = nt_clock_new_fixed (d + 5 * 24 * H);
  nt_db_set_clock (f->sched.db, f->clock);

  /* The plan: user operation 11 May 09:00 → 12 May 09:00. */
  body = g_strdup_printf ("{\"kind\":\"user_operation\",\"start\":\"%s\",\"end\":\"%s\",\"note\":\"\"}",
                          sched_jst (2026, 5, 11, 9, 0), sched_jst (2026, 5, 12, 9, 0));
  sched_request (&f->sched, "POST", "/api/v1/run-plan", f->sched.tokens[NT_ROLE_OPERATOR], body, NULL, &r);
  g_assert_cmpuint (r.status, ==, 201);

  /* BL02U has the whole period for a public proposal (three shifts). */
  sched_request (&f->sched, "POST", "/api/v1/proposals", f->sched.tokens[NT_ROLE_OFFICE],
                 "{\"id\":\"2026A0001\",\"title\":\"Test\",\"pi\":\"Ann Example\",\"organisation\":\"Nowhere\","
                 "\"proprietary\":false,\"shifts_requested\":3,\"shifts_approved\":3}", NULL, &r);
  g_assert_cmpuint (r.status, ==, 201);
  g_free (body);
  body = g_strdup_printf ("{\"station\":\"BL02U\",\"start\":\"%s\",\"end\":\"%s\",\"slot\":\"public\","
                          "\"proposal\":\"2026A0001\"}",
                          sched_jst (2026, 5, 11, 9, 0), sched_jst (2026, 5, 12, 9, 0));
  sched_request (&f->sched, "POST", "/api/v1/allocations", f->sched.tokens[NT_ROLE_OFFICE], body, NULL, &r);
  g_assert_cmpuint (r.status, ==, 201);

  /* The archive: 400 mA, lost from 12:00 to 12:30 (a fault) and from
   * 15:00 to 15:00:30 (shorter than the grace time); samples every 10 s. */
  cur = nt_pv_table_add (pvs, &(NtPvInfo) { .name = "SR:DCCT:CURRENT", .type = NT_PV_TYPE_DOUBLE,
                                            .units = "mA", .min = NAN, .max = NAN, .warn_low = NAN,
                                            .warn_high = NAN, .alarm_low = NAN, .alarm_high = NAN });
  mode = nt_pv_table_add (pvs, &(NtPvInfo) { .name = "SR:OPS:MODE", .type = NT_PV_TYPE_ENUM,
                                             .labels = mode_labels, .min = NAN, .max = NAN, .warn_low = NAN,
                                             .warn_high = NAN, .alarm_low = NAN, .alarm_high = NAN });
  msg = nt_pv_table_add (pvs, &(NtPvInfo) { .name = "SR:OPS:MESSAGE", .type = NT_PV_TYPE_STRING,
                                            .min = NAN, .max = NAN, .warn_low = NAN,
                                            .warn_high = NAN, .alarm_low = NAN, .alarm_high = NAN });
  fe = nt_pv_table_add (pvs, &(NtPvInfo) { .name = "BL02U:FE:SHUTTER", .type = NT_PV_TYPE_ENUM,
                                           .labels = shutter_labels, .min = NAN, .max = NAN, .warn_low = NAN,
                                           .warn_high = NAN, .alarm_low = NAN, .alarm_high = NAN });
  f->history = nt_history_store_new (f->sched.db, &error);
  g_assert_no_error (error);
  g_assert_true (nt_history_store_attach (f->history, pvs, &error));
  nt_pv_table_set_number (pvs, mode, NT_RING_MODE_USER_OPERATION, NT_SEVERITY_NONE, d);
  nt_pv_table_set_number (pvs, fe, NT_SHUTTER_OPEN, NT_SEVERITY_NONE, d);
  nt_pv_table_set_string (pvs, msg, "Top-up at 400 mA", NT_SEVERITY_NONE, d);
  for (gint64 t = d; t < d + 2 * 24 * H; t += 10 * S)
    {
      gboolean lost = (t >= d + 12 * H && t < d + 12 * H + 30 * M) ||
                      (t >= d + 15 * H && t < d + 15 * H + 30 * S);

      nt_pv_table_set_number (pvs, cur, lost ? 0.01 * (t / S % 3) : 400.0 + 0.01 * (t / S % 3),
                              NT_SEVERITY_NONE, t);
      if (t == d + 12 * H)
        nt_pv_table_set_string (pvs, msg, "Vacuum interlock, sector 4", NT_SEVERITY_NONE, t + 5 * S);
      if (nt_history_store_get_n_pending (f->history) > NT_HISTORY_MAX_PENDING / 2)
        g_assert_true (nt_history_store_flush (f->history, &error));
    }
  g_assert_true (nt_history_store_flush (f->history, &error));
  g_assert_no_error (error);
  nt_history_store_detach (f->history);

  f->stats = nt_statistics_service_new (f->sched.db_path, nt_schedule_service_get_store (f->sched.service),
                                        f->clock, &sources);
  nt_schedule_service_set_statistics (f->sched.service, f->stats);
}

static void
route_teardown (RouteFixture  *f,
                gconstpointer  data)
{
  nt_schedule_service_set_statistics (f->sched.service, NULL);
  g_clear_object (&f->stats);
  g_clear_object (&f->history);
  sched_fixture_teardown (&f->sched, data);
  g_clear_object (&f->clock);
}

static void
get_statistics (RouteFixture *f,
                const char   *from,
                const char   *to,
                SchedReply   *r)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/statistics?from=%s&to=%s", from, to);

  sched_request (&f->sched, "GET", path, f->sched.tokens[NT_ROLE_VIEWER], NULL, NULL, r);
}

/* 24 h scheduled; 30 min + 30 s lost: delivered 23.491667 h, one fault. */
static void
test_route_answer (RouteFixture  *f,
                   gconstpointer  data)
{
  g_auto(SchedReply) r = { 0 };
  g_auto(SchedReply) again = { 0 };
  JsonObject *o, *flt;
  JsonArray *bls;

  get_statistics (f, "2026-05-10T15:00:00Z", "2026-05-12T15:00:00Z", &r);
  g_assert_cmpuint (r.status, ==, 200);
  o = sched_object (&r);
  g_assert_cmpstr (json_object_get_string_member (o, "from"), ==, "2026-05-10T15:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (o, "complete_to"), ==, "2026-05-12T15:00:00Z");
  assert_hours (o, "scheduled_hours", 24.0);
  assert_hours (o, "unknown_hours", 0.0);
  assert_hours (o, "delivered_hours", 23.491667);
  g_assert_cmpint (json_object_get_int_member (o, "fault_count"), ==, 1);
  flt = fault (o, 0);
  g_assert_cmpstr (json_object_get_string_member (flt, "start"), ==, "2026-05-11T03:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (flt, "recovered"), ==, "2026-05-11T03:30:00Z");
  g_assert_cmpstr (json_object_get_string_member (flt, "mode"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (flt, "message"), ==, "Vacuum interlock, sector 4");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "days")), ==, 2);
  /* BL02U: 24 h allocated; its front end open all along, so delivered as
   * the ring: 23.491667 h. */
  bls = json_object_get_array_member (o, "beamlines");
  g_assert_cmpuint (json_array_get_length (bls), ==, 1);
  assert_hours (json_array_get_object_element (bls, 0), "allocated_public_hours", 24.0);
  assert_hours (json_array_get_object_element (bls, 0), "delivered_public_hours", 23.491667);
  assert_hours (json_array_get_object_element (bls, 0), "allocated_coalition_hours", 0.0);
  assert_hours (o, "mtbf_hours", 23.491667);
  g_assert_cmpuint (nt_statistics_service_get_n_cached (f->stats), ==, 2);

  /* From the cache: the same figures. */
  get_statistics (f, "2026-05-10T15:00:00Z", "2026-05-12T15:00:00Z", &again);
  g_assert_cmpuint (again.status, ==, 200);
  g_assert_cmpstr (again.text, ==, r.text);
}

/* A settings change (admin) is seen at once: threshold 100 % counts the
 * noise below 400 mA as losses, no longer delivered. */
static void
test_route_settings (RouteFixture  *f,
                     gconstpointer  data)
{
  g_auto(SchedReply) r = { 0 };
  g_auto(SchedReply) s = { 0 };
  g_auto(SchedReply) p = { 0 };
  g_auto(SchedReply) bad = { 0 };
  const char *etag;

  get_statistics (f, "2026-05-10T15:00:00Z", "2026-05-12T15:00:00Z", &r);
  g_assert_cmpuint (r.status, ==, 200);

  sched_request (&f->sched, "GET", "/api/v1/settings", f->sched.tokens[NT_ROLE_VIEWER], NULL, NULL, &s);
  g_assert_cmpuint (s.status, ==, 200);
  g_assert_cmpfloat (json_object_get_double_member (sched_object (&s), "delivery_threshold_fraction"), ==, 0.1);
  g_assert_cmpfloat (json_object_get_double_member (sched_object (&s), "fault_grace_seconds"), ==, 60);
  g_assert_cmpfloat (json_object_get_double_member (sched_object (&s), "target_availability"), ==, 95);
  etag = soup_message_headers_get_one (s.headers, "ETag");
  g_assert_nonnull (etag);

  sched_request (&f->sched, "PATCH", "/api/v1/settings", f->sched.tokens[NT_ROLE_ADMIN],
                 "{\"delivery_threshold_fraction\":1.5}", etag, &bad);
  g_assert_cmpuint (bad.status, ==, 422);
  g_assert_cmpstr (sched_error_field (&bad), ==, "delivery_threshold_fraction");

  sched_request (&f->sched, "PATCH", "/api/v1/settings", f->sched.tokens[NT_ROLE_ADMIN],
                 "{\"fault_grace_seconds\":10,\"target_availability\":98}", etag, &p);
  g_assert_cmpuint (p.status, ==, 200);

  /* The 30 s dip is a fault now. */
  sched_reply_clear (&r);
  get_statistics (f, "2026-05-10T15:00:00Z", "2026-05-12T15:00:00Z", &r);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (sched_object (&r), "fault_count"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (sched_object (&r), "settings"),
                                                    "target_availability"), ==, 98);
}

static void
test_route_errors (RouteFixture  *f,
                   gconstpointer  data)
{
  static const char * const bad[] = {
    "/api/v1/statistics",
    "/api/v1/statistics?from=2026-05-10T15:00:00Z",
    "/api/v1/statistics?to=2026-05-10T15:00:00Z",
    "/api/v1/statistics?from=yesterday&to=2026-05-10T15:00:00Z",
    "/api/v1/statistics?from=2026-05-12T00:00:00Z&to=2026-05-11T00:00:00Z",
    "/api/v1/statistics?from=2026-05-12T00:00:00Z&to=2026-05-12T00:00:00Z",
    "/api/v1/statistics?from=2021-01-01T00:00:00Z&to=2026-01-03T00:00:00Z",
  };
  g_auto(SchedReply) r = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *message;

      sched_request (&f->sched, "GET", bad[i], f->sched.tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
      g_assert_cmpuint (r.status, ==, 400);
      g_assert_cmpstr (sched_error_code (&r), ==, "bad-range");
      message = json_object_get_string_member (json_object_get_object_member (sched_object (&r), "error"), "message");
      g_assert_cmpuint (strlen (message), >, 10);
    }
  g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (sched_object (&r), "error"),
                                                           "message"), "5 years"));

  /* Exactly 1827 days is allowed. */
  sched_request (&f->sched, "GET", "/api/v1/statistics?from=2021-05-12T00:00:00Z&to=2026-05-13T00:00:00Z",
                 f->sched.tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);

  sched_request (&f->sched, "GET", "/api/v1/statistics?from=2026-05-10T15:00:00Z&to=2026-05-12T15:00:00Z",
                 NULL, NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 401);
  sched_request (&f->sched, "POST", "/api/v1/statistics?from=2026-05-10T15:00:00Z&to=2026-05-12T15:00:00Z",
                 f->sched.tokens[NT_ROLE_ADMIN], "{}", NULL, &r);
  g_assert_cmpuint (r.status, ==, 405);

  /* Without an archive: 503 with words. */
  nt_schedule_service_set_statistics (f->sched.service, NULL);
  sched_request (&f->sched, "GET", "/api/v1/statistics?from=2026-05-10T15:00:00Z&to=2026-05-12T15:00:00Z",
                 f->sched.tokens[NT_ROLE_VIEWER], NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 503);
}

/* The demo facility at a fixed instant (user operation, 15 July 2026):
 * the first start fills 20 days of archive from the simulator, newest
 * first (queries wait for the last week only), says how far it is, and
 * the statistics of those days come from that archive: no unknown time,
 * the simulator's faults with their causes, the closed days of the fiscal
 * year computed ahead into the cache. */
static void
test_facility (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("nt-stats-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "facility.db", NULL);
  gint64 now;
  g_autoptr(NtClock) clock = NULL;
  g_autoptr(NtFacility) facility = NULL;
  NtFacilityOptions options = { .db_path = db_path, .seed = 11, .history_days = 20, .mtbf_hours = 24 };
  SchedFixture f = { 0 };
  g_auto(SchedReply) r = { 0 };
  g_autofree char *path = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  guint done = 0, days = 0;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  JsonObject *o;
  JsonArray *faults;

  g_assert_true (nt_clock_parse_instant (NT_TEST_USER_OPERATION, &now, NULL));
  clock = nt_clock_new_fixed (now);
  now /= G_USEC_PER_SEC;
  options.clock = clock;
  facility = nt_facility_new (&options, &error);
  g_assert_no_error (error);
  nt_facility_listen (facility, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  f.base = nt_facility_dup_base_uri (facility);
  f.base[strlen (f.base) - 1] = '\0';
  f.session = soup_session_new ();

  while ((done < days || days == 0 || nt_statistics_service_get_n_cached (nt_facility_get_statistics_service (facility)) < 105) &&
         g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
      nt_facility_get_history_progress (facility, &done, &days);
    }
  g_assert_cmpuint (days, ==, 20);
  g_assert_cmpuint (done, ==, days);
  g_assert_true (nt_facility_is_history_ready (facility));
  /* Computed ahead: the closed days of FY2026 so far (1 April to 14 July). */
  g_assert_cmpuint (nt_statistics_service_get_n_cached (nt_facility_get_statistics_service (facility)), ==, 105);

  sched_request (&f, "GET", "/api/v1/facility-profile", NULL, NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
  o = json_object_get_object_member (sched_object (&r), "history");
  g_assert_cmpint (json_object_get_int_member (o, "days"), ==, 20);
  g_assert_cmpfloat (json_object_get_double_member (o, "filled"), ==, 1.0);

  from = nt_time_format_iso (now - 19 * 86400);
  to = nt_time_format_iso (now);
  path = g_strdup_printf ("/api/v1/statistics?from=%s&to=%s", from, to);
  sched_request (&f, "GET", path, nt_facility_get_local_token (facility, NULL), NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
  o = sched_object (&r);
  g_test_message ("%s", r.text);
  g_assert_cmpfloat (json_object_get_double_member (o, "scheduled_hours"), >, 100);
  g_assert_cmpfloat (json_object_get_double_member (o, "unknown_hours"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (o, "delivered_hours"), <, json_object_get_double_member (o, "scheduled_hours"));
  g_assert_cmpfloat (json_object_get_double_member (o, "availability"), >, 80);
  faults = json_object_get_array_member (o, "faults");
  g_assert_cmpuint (json_array_get_length (faults), >=, 3);
  g_assert_cmpint (json_object_get_int_member (o, "fault_count"), ==, json_array_get_length (faults));
  for (guint i = 0; i < json_array_get_length (faults); i++)
    {
      JsonObject *fault_o = json_array_get_object_element (faults, i);

      g_assert_true (g_str_has_prefix (json_object_get_string_member (fault_o, "message"), "Beam lost: "));
      g_assert_cmpstr (json_object_get_string_member (fault_o, "mode"), ==, "user");
      g_assert_cmpfloat (json_object_get_double_member (fault_o, "lost_hours"), >, 60.0 / 3600);
    }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "days")), ==, 20);

  nt_facility_shutdown (facility);
  g_clear_object (&facility);
  g_clear_object (&f.session);
  g_free (f.base);
  sched_remove_db (db_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/statistics/two-faults", test_two_faults);
  g_test_add_func ("/statistics/fault-across-boundary", test_fault_across_boundary);
  g_test_add_func ("/statistics/fault-in-refill", test_fault_in_refill);
  g_test_add_func ("/statistics/threshold-change", test_threshold_change);
  g_test_add_func ("/statistics/gap-unknown", test_gap_unknown);
  g_test_add_func ("/statistics/open-fault", test_open_fault);
  g_test_add_func ("/statistics/facility", test_facility);
  g_test_add ("/statistics/route/answer", RouteFixture, NULL, route_setup, test_route_answer, route_teardown);
  g_test_add ("/statistics/route/settings", RouteFixture, NULL, route_setup, test_route_settings, route_teardown);
  g_test_add ("/statistics/route/errors", RouteFixture, NULL, route_setup, test_route_errors, route_teardown);

  return g_test_run ();
}

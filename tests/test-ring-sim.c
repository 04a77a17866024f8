/* test-ring-sim.c: the ring simulator behaves like the machine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "nt-catalogue.h"
#include "nt-ring-sim.h"
#include "test-instants.h"

#define T0    G_GINT64_CONSTANT (1796000000)   /* 2026-11-24, a Tuesday */
#define DAY   86400
#define NOMINAL NT_RING_SIM_NOMINAL_CURRENT_MA

static NtCatalogue *
get_catalogue (void)
{
  static NtCatalogue *catalogue;

  if (catalogue == NULL)
    {
      g_autoptr(GError) error = NULL;

      catalogue = nt_catalogue_new_default (&error);
      g_assert_no_error (error);
    }

  return catalogue;
}

static GArray *
plan_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (NtPeriodSpan));
}

static void
plan_add (GArray       *plan,
          gint64        start,
          gint64        end,
          NtPeriodKind  kind)
{
  NtPeriodSpan span = { start, end, kind };

  g_array_append_val (plan, span);
}

static NtRingSim *
sim_new_with_plan (guint64  seed,
                   GArray  *plan,
                   double   mtbf_h)
{
  NtRingSim *sim = nt_ring_sim_new (get_catalogue (), seed, T0);

  nt_ring_sim_set_plan (sim, plan);
  nt_ring_sim_set_mtbf (sim, mtbf_h);
  return sim;
}

static guint
pv (NtRingSim  *sim,
    const char *key)
{
  const char *name = nt_ring_sim_lookup_signal (sim, key);
  guint index;

  g_assert_nonnull (name);
  g_assert_true (nt_pv_table_lookup (nt_ring_sim_get_pvs (sim), name, &index));
  return index;
}

static double
pv_number (NtRingSim  *sim,
           const char *key)
{
  return nt_pv_table_get_number (nt_ring_sim_get_pvs (sim), pv (sim, key));
}

static const char *
pv_text (NtRingSim  *sim,
         const char *key)
{
  return nt_pv_table_get_text (nt_ring_sim_get_pvs (sim), pv (sim, key));
}

static void
test_deterministic (void)
{
  g_autoptr(GArray) plan = plan_new ();
  g_autoptr(NtRingSim) a = NULL;
  g_autoptr(NtRingSim) b = NULL;
  g_autoptr(NtRingSim) c = NULL;
  guint differ = 0;

  plan_add (plan, T0 - DAY, T0 + DAY / 2, NT_PERIOD_USER_OPERATION);
  plan_add (plan, T0 + DAY / 2, T0 + 2 * DAY, NT_PERIOD_MACHINE_STUDY);

  a = sim_new_with_plan (42, plan, 8);
  b = sim_new_with_plan (42, plan, 8);
  c = sim_new_with_plan (43, plan, 8);

  for (guint i = 0; i < DAY; i++)
    {
      nt_ring_sim_advance (a, 1.0);
      nt_ring_sim_advance (b, 0.5);   /* fractions carry over */
      nt_ring_sim_advance (b, 0.5);
      nt_ring_sim_advance (c, 1.0);

      g_assert_cmpint (nt_ring_sim_get_time (a), ==, nt_ring_sim_get_time (b));
      g_assert_cmpfloat (pv_number (a, "ring.current"), ==, pv_number (b, "ring.current"));
      g_assert_cmpfloat (pv_number (a, "ring.lifetime"), ==, pv_number (b, "ring.lifetime"));
      g_assert_cmpfloat (pv_number (a, "ring.mode"), ==, pv_number (b, "ring.mode"));
      g_assert_cmpfloat (pv_number (a, "bl.BL08W-XRD.state"), ==, pv_number (b, "bl.BL08W-XRD.state"));
      g_assert_cmpfloat (pv_number (a, "bl.BL07U.energy"), ==, pv_number (b, "bl.BL07U.energy"));
      if (pv_number (a, "ring.current") != pv_number (c, "ring.current"))
        differ++;
    }

  g_assert_cmpuint (nt_ring_sim_get_n_dumps (a), ==, nt_ring_sim_get_n_dumps (b));
  /* Another seed is another history. */
  g_assert_cmpuint (differ, >, DAY / 2);
}

/* Seconds after the refill following a dump starts during which the
 * current may be outside the band: the refill and a margin.  (Each dump
 * draws its own recovery time, so the allowance counts from its end.) */
#define REFILL_ALLOWANCE 400

static void
test_user_operation_day (void)
{
  g_autoptr(GArray) plan = plan_new ();
  g_autoptr(NtRingSim) sim = NULL;
  guint n_injections = 0, n_checked = 0;
  gboolean was_injecting = FALSE;
  double lo = G_MAXDOUBLE, hi = 0;
  gint64 skip_until = 0;

  plan_add (plan, T0 - DAY, T0 + 3 * DAY, NT_PERIOD_USER_OPERATION);
  sim = sim_new_with_plan (7, plan, 12);

  /* Fill from empty first. */
  nt_ring_sim_advance (sim, 600);
  g_assert_cmpint (nt_ring_sim_get_mode (sim), ==, NT_RING_MODE_USER_OPERATION);

  for (guint i = 0; i < DAY; i++)
    {
      gint64 t;
      double current, countdown, lifetime;

      nt_ring_sim_advance (sim, 1);
      t = nt_ring_sim_get_time (sim);
      if (nt_ring_sim_get_recovery_at (sim) != 0)
        skip_until = nt_ring_sim_get_recovery_at (sim) + REFILL_ALLOWANCE;

      if (nt_ring_sim_get_injecting (sim) && !was_injecting)
        n_injections++;
      was_injecting = nt_ring_sim_get_injecting (sim);

      if (t < skip_until)
        continue;

      n_checked++;
      current = pv_number (sim, "ring.current");
      lo = MIN (lo, current);
      hi = MAX (hi, current);
      g_assert_cmpfloat (current, >=, NOMINAL * (1 - NT_RING_SIM_BAND));
      g_assert_cmpfloat (current, <=, NOMINAL * (1 + NT_RING_SIM_BAND));
      g_assert_cmpint (nt_ring_sim_get_mode (sim), ==, NT_RING_MODE_USER_OPERATION);

      countdown = pv_number (sim, "ring.topup.countdown");
      g_assert_cmpfloat (countdown, >=, 0);
      g_assert_cmpfloat (countdown, <=, 120);
      if (nt_ring_sim_get_injecting (sim))
        g_assert_cmpfloat (countdown, ==, 0);

      /* The fitted lifetime is near the model's (about 9.5 h at 400 mA). */
      lifetime = pv_number (sim, "ring.lifetime");
      g_assert_cmpfloat (lifetime, >, 7);
      g_assert_cmpfloat (lifetime, <, 13);
      g_assert_cmpfloat (pv_number (sim, "ring.energy"), ==, 3.0);
    }

  g_test_message ("band check on %u s; current %.3f..%.3f mA; %u injections; %u dumps",
                  n_checked, lo, hi, n_injections, nt_ring_sim_get_n_dumps (sim));
  g_assert_cmpuint (n_checked, >, DAY / 2);
  /* Top-up every 2 minutes */
  g_assert_cmpuint (n_injections, >, 500);
  /* The current really moves within the band (decay and top-up). */
  g_assert_cmpfloat (hi - lo, >, 0.5);
}

static void
test_dump_rate (void)
{
  g_autoptr(GArray) plan = plan_new ();
  g_autoptr(NtRingSim) sim = NULL;
  const double mtbf_h = 4;
  const guint days = 10;
  guint beam_seconds = 0;
  double expected, n;

  plan_add (plan, T0 - DAY, T0 + (days + 1) * DAY, NT_PERIOD_USER_OPERATION);
  sim = sim_new_with_plan (2024, plan, mtbf_h);

  for (guint i = 0; i < days * DAY; i++)
    {
      NtRingMode mode;

      nt_ring_sim_advance (sim, 1);
      mode = nt_ring_sim_get_mode (sim);
      /* Dumps can happen whenever there is beam (stored or filling). */
      if (mode == NT_RING_MODE_USER_OPERATION || mode == NT_RING_MODE_INJECTION)
        beam_seconds++;
    }

  expected = beam_seconds / (mtbf_h * 3600);
  n = nt_ring_sim_get_n_dumps (sim);
  g_test_message ("%g dumps in %u s of beam; expected %.1f", n, beam_seconds, expected);
  g_assert_cmpfloat (expected, >, 30);
  /* Poisson: within 4 standard deviations. */
  g_assert_cmpfloat (fabs (n - expected), <, 4 * sqrt (expected));
}

static void
test_dump_closes_shutters (void)
{
  g_autoptr(GArray) plan = plan_new ();
  g_autoptr(NtRingSim) sim = NULL;
  NtShutterState fe;
  NtStationState state;
  NtShutterState shutter;
  guint open_before = 0;
  gint64 dump_at;

  plan_add (plan, T0 - DAY, T0 + 10 * DAY, NT_PERIOD_USER_OPERATION);
  sim = sim_new_with_plan (99, plan, 2);
  nt_ring_sim_set_recovery_time (sim, 600);

  /* Run until the first dump, counting open front ends just before it. */
  while (nt_ring_sim_get_n_dumps (sim) == 0)
    {
      open_before = 0;
      for (const char * const *bl = (const char * const[]) { "BL02U", "BL07U", "BL08W", "BL14U", NULL }; *bl; bl++)
        {
          g_assert_true (nt_ring_sim_get_fe_shutter (sim, *bl, &fe));
          open_before += fe == NT_SHUTTER_OPEN;
        }
      nt_ring_sim_advance (sim, 1);
      g_assert_cmpint (nt_ring_sim_get_time (sim), <, T0 + 5 * DAY);
    }
  dump_at = nt_ring_sim_get_time (sim);
  g_assert_cmpint (g_array_index (nt_ring_sim_get_dump_times (sim), gint64, 0), ==, dump_at);
  g_assert_cmpint (nt_ring_sim_get_mode (sim), ==, NT_RING_MODE_BEAM_DUMP);
  g_assert_cmpfloat (fabs (pv_number (sim, "ring.current")), <, 0.05);
  g_assert_cmpint (nt_pv_table_get_severity (nt_ring_sim_get_pvs (sim), pv (sim, "ring.current")), ==,
                   NT_SEVERITY_MAJOR);

  /* The front ends were open (if the dump did not hit during a refill)
   * and are moving or closed now, closed within a few seconds. */
  nt_ring_sim_advance (sim, 5);
  for (const char * const *bl = (const char * const[]) { "BL02U", "BL07U", "BL08W", "BL14U", NULL }; *bl; bl++)
    {
      g_assert_true (nt_ring_sim_get_fe_shutter (sim, *bl, &fe));
      g_assert_cmpint (fe, ==, NT_SHUTTER_CLOSED);
    }
  g_assert_true (nt_ring_sim_get_station_state (sim, "BL08W-SAXS", &state, &shutter, NULL));
  g_assert_cmpint (shutter, ==, NT_SHUTTER_CLOSED);
  g_test_message ("front ends open just before the dump: %u of 4", open_before);

  /* After the dump's recovery time (drawn from its cause), a refill, then
   * user operation again. */
  g_assert_nonnull (nt_ring_sim_get_dump_cause (sim));
  g_assert_cmpint (nt_ring_sim_get_recovery_at (sim), >=, dump_at + 600 / 5);
  g_assert_cmpint (nt_ring_sim_get_recovery_at (sim), <=, dump_at + 600 * 16);
  g_assert_nonnull (strstr (pv_text (sim, "ring.message"), nt_ring_sim_get_dump_cause (sim)));
  nt_ring_sim_advance_to (sim, nt_ring_sim_get_recovery_at (sim) + 1);
  g_assert_true (nt_ring_sim_get_mode (sim) == NT_RING_MODE_INJECTION ||
                 nt_ring_sim_get_n_dumps (sim) > 1);
  nt_ring_sim_advance (sim, 400);
  if (nt_ring_sim_get_n_dumps (sim) == 1)
    {
      g_assert_cmpint (nt_ring_sim_get_mode (sim), ==, NT_RING_MODE_USER_OPERATION);
      g_assert_cmpfloat (nt_ring_sim_get_current (sim), >, NOMINAL * (1 - NT_RING_SIM_BAND));
    }
}

/* Each dump's cause sets its recovery: minutes to hours, now and then a
 * long one, in the cause's range; the same seed gives the same faults. */
static void
test_fault_causes (void)
{
  g_autoptr(GArray) plan = plan_new ();
  g_autoptr(NtRingSim) a = NULL;
  g_autoptr(NtRingSim) b = NULL;
  g_autoptr(GHashTable) causes = g_hash_table_new (g_str_hash, g_str_equal);
  const double typical = 1800;
  guint n = 0, n_short = 0, n_long = 0;
  double sum = 0;

  plan_add (plan, T0 - DAY, T0 + 40 * DAY, NT_PERIOD_USER_OPERATION);
  a = sim_new_with_plan (7, plan, 3);
  b = sim_new_with_plan (7, plan, 3);
  nt_ring_sim_set_recovery_time (a, typical);
  nt_ring_sim_set_recovery_time (b, typical);

  for (guint i = 0; i < 30 * DAY; i++)
    {
      guint before = nt_ring_sim_get_n_dumps (a);
      gint64 recovery;

      nt_ring_sim_advance (a, 1);
      nt_ring_sim_advance (b, 1);
      if (nt_ring_sim_get_n_dumps (a) == before)
        continue;
      recovery = nt_ring_sim_get_recovery_at (a) - nt_ring_sim_get_time (a);
      g_assert_cmpint (recovery, >=, 0.2 * typical);
      g_assert_cmpint (recovery, <=, 16 * typical + 1);
      g_assert_cmpint (nt_ring_sim_get_recovery_at (b), ==, nt_ring_sim_get_recovery_at (a));
      g_assert_cmpstr (nt_ring_sim_get_dump_cause (b), ==, nt_ring_sim_get_dump_cause (a));
      g_assert_nonnull (strstr (pv_text (a, "ring.message"), "Beam lost"));
      g_hash_table_add (causes, (gpointer) nt_ring_sim_get_dump_cause (a));
      n++;
      sum += recovery;
      n_short += recovery < 900;
      n_long += recovery > 3 * 3600;
    }
  g_test_message ("%u dumps, mean recovery %.0f s, %u under 15 min, %u over 3 h, %u causes",
                  n, sum / MAX (n, 1), n_short, n_long, g_hash_table_size (causes));
  g_assert_cmpuint (n, >, 80);
  g_assert_cmpuint (n_short, >, n / 5);
  g_assert_cmpuint (n_long, >=, 1);
  g_assert_cmpuint (g_hash_table_size (causes), >=, 5);
  g_assert_cmpfloat (sum / n, >, 0.9 * typical);
  g_assert_cmpfloat (sum / n, <, 2.5 * typical);
}

static void
test_no_beam_in_maintenance (void)
{
  g_autoptr(GArray) plan = plan_new ();
  g_autoptr(NtRingSim) sim = NULL;
  g_autoptr(GPtrArray) stations = nt_catalogue_list_stations (get_catalogue ());
  guint n_open = 0;

  plan_add (plan, T0 - DAY, T0 + 3600, NT_PERIOD_USER_OPERATION);
  plan_add (plan, T0 + 3600, T0 + DAY, NT_PERIOD_MAINTENANCE);
  plan_add (plan, T0 + DAY, T0 + 2 * DAY, NT_PERIOD_SHUTDOWN);
  plan_add (plan, T0 + 2 * DAY, T0 + 3 * DAY, NT_PERIOD_MACHINE_STUDY);
  plan_add (plan, T0 + 3 * DAY, T0 + 4 * DAY, NT_PERIOD_USER_OPERATION);
  sim = sim_new_with_plan (5, plan, 0);

  nt_ring_sim_advance_to (sim, T0 + 3599);
  g_assert_cmpint (nt_ring_sim_get_mode (sim), ==, NT_RING_MODE_USER_OPERATION);
  g_assert_cmpfloat (nt_ring_sim_get_current (sim), >, 390);

  for (gint64 t = T0 + 3600; t < T0 + 2 * DAY; t++)
    {
      nt_ring_sim_advance_to (sim, t);
      g_assert_cmpfloat (nt_ring_sim_get_current (sim), ==, 0);
      g_assert_cmpfloat (fabs (pv_number (sim, "ring.current")), <, 0.05);  /* DCCT noise only */
      g_assert_false (nt_ring_sim_get_injecting (sim));
      if (t < T0 + DAY)
        g_assert_cmpint (nt_ring_sim_get_mode (sim), ==, NT_RING_MODE_MAINTENANCE);
      else
        g_assert_cmpint (nt_ring_sim_get_mode (sim), ==, NT_RING_MODE_SHUTDOWN);

      if (t % 600 == 0)
        {
          for (guint i = 0; i < stations->len; i++)
            {
              NtStation *station = g_ptr_array_index (stations, i);
              NtStationState state;
              NtShutterState shutter, fe;

              g_assert_true (nt_ring_sim_get_station_state (sim, nt_station_get_id (station),
                                                            &state, &shutter, NULL));
              g_assert_true (nt_ring_sim_get_fe_shutter (sim, nt_station_get_beamline_id (station), &fe));
              g_assert_cmpint (fe, !=, NT_SHUTTER_OPEN);
              if (t > T0 + 3610)
                {
                  g_assert_cmpint (fe, ==, NT_SHUTTER_CLOSED);
                  g_assert_cmpint (shutter, ==, NT_SHUTTER_CLOSED);
                }
              if (t < T0 + DAY)
                g_assert_cmpint (state, ==, NT_STATION_STATE_MAINTENANCE);
              else
                g_assert_cmpint (state, ==, NT_STATION_STATE_IDLE);
            }
        }
    }

  /* Machine study: beam stored, but nothing goes to the beamlines. */
  nt_ring_sim_advance_to (sim, T0 + 2 * DAY + 3600);
  g_assert_cmpint (nt_ring_sim_get_mode (sim), ==, NT_RING_MODE_MACHINE_STUDY);
  g_assert_cmpfloat (nt_ring_sim_get_current (sim), >, 390);
  {
    NtShutterState fe;

    g_assert_true (nt_ring_sim_get_fe_shutter (sim, "BL09U", &fe));
    g_assert_cmpint (fe, ==, NT_SHUTTER_CLOSED);
  }

  /* User operation again: refill, then beam to the beamlines. */
  nt_ring_sim_advance_to (sim, T0 + 3 * DAY + 30);
  g_assert_cmpint (nt_ring_sim_get_mode (sim), ==, NT_RING_MODE_USER_OPERATION);
  nt_ring_sim_advance_to (sim, T0 + 3 * DAY + 7200);
  for (guint i = 0; i < stations->len; i++)
    {
      NtStation *station = g_ptr_array_index (stations, i);
      NtStationState state;
      NtShutterState shutter;

      g_assert_true (nt_ring_sim_get_station_state (sim, nt_station_get_id (station), &state, &shutter, NULL));
      n_open += shutter == NT_SHUTTER_OPEN;
    }
  g_assert_cmpuint (n_open, >, 0);
}

static void
test_station_energies (void)
{
  g_autoptr(GArray) plan = plan_new ();
  g_autoptr(NtRingSim) sim = NULL;
  g_autoptr(GPtrArray) stations = nt_catalogue_list_stations (get_catalogue ());
  guint n_measuring = 0, n_samples = 0;

  plan_add (plan, T0 - DAY, T0 + 3 * DAY, NT_PERIOD_USER_OPERATION);
  sim = sim_new_with_plan (11, plan, 0);
  nt_ring_sim_advance (sim, 1);

  for (guint hour = 0; hour < 48; hour++)
    {
      nt_ring_sim_advance (sim, 3600);
      for (guint i = 0; i < stations->len; i++)
        {
          NtStation *station = g_ptr_array_index (stations, i);
          const double *fixed;
          guint n_fixed;
          NtStationState state;
          double energy;
          g_autofree char *key = g_strdup_printf ("bl.%s.energy", nt_station_get_id (station));

          g_assert_true (nt_ring_sim_get_station_state (sim, nt_station_get_id (station), &state, NULL, &energy));
          g_assert_cmpfloat (pv_number (sim, key), ==, energy);
          g_assert_cmpfloat (energy, >=, nt_station_get_energy_min_ev (station));
          g_assert_cmpfloat (energy, <=, nt_station_get_energy_max_ev (station));
          fixed = nt_station_get_fixed_energies_ev (station, &n_fixed);
          if (n_fixed > 0)
            g_assert_true (energy == fixed[0] || energy == fixed[n_fixed - 1]);
          n_measuring += state == NT_STATION_STATE_MEASURING;
          n_samples++;
        }
    }

  /* Mostly measuring during user operation. */
  g_assert_cmpuint (n_measuring, >, n_samples / 2);
}

static void
test_profile_keys (void)
{
  g_autoptr(NtRingSim) sim = nt_ring_sim_new (get_catalogue (), 1, T0);
  g_autoptr(GPtrArray) stations = nt_catalogue_list_stations (get_catalogue ());
  GListModel *beamlines = nt_catalogue_get_beamlines (get_catalogue ());
  const char *ring_keys[] = { "ring.current", "ring.lifetime", "ring.mode", "ring.topup.countdown",
                              "ring.injecting", "ring.fill", "ring.energy", "ring.message" };

  for (guint i = 0; i < G_N_ELEMENTS (ring_keys); i++)
    pv (sim, ring_keys[i]);

  for (guint i = 0; i < g_list_model_get_n_items (beamlines); i++)
    {
      g_autoptr(NtBeamline) bl = g_list_model_get_item (beamlines, i);
      g_autofree char *key = g_strdup_printf ("bl.%s.fe_shutter", nt_beamline_get_id (bl));

      pv (sim, key);
    }

  for (guint i = 0; i < stations->len; i++)
    {
      const char *id = nt_station_get_id (g_ptr_array_index (stations, i));
      g_autofree char *k1 = g_strdup_printf ("bl.%s.shutter", id);
      g_autofree char *k2 = g_strdup_printf ("bl.%s.state", id);
      g_autofree char *k3 = g_strdup_printf ("bl.%s.energy", id);

      pv (sim, k1);
      pv (sim, k2);
      pv (sim, k3);
    }

  g_assert_cmpuint (g_hash_table_size (nt_ring_sim_get_signals (sim)), ==,
                    G_N_ELEMENTS (ring_keys) + g_list_model_get_n_items (beamlines) + 3 * stations->len);

  /* Undefined until the first step. */
  g_assert_cmpint (nt_pv_table_get_severity (nt_ring_sim_get_pvs (sim), pv (sim, "ring.current")), ==,
                   NT_SEVERITY_UNDEFINED);
  nt_ring_sim_advance (sim, 1);
  g_assert_cmpint (nt_pv_table_get_severity (nt_ring_sim_get_pvs (sim), pv (sim, "ring.current")), !=,
                   NT_SEVERITY_UNDEFINED);
}

/* The demo plan of the year: beam only in its beam periods. */
static void
test_follows_demo_plan (void)
{
  g_autoptr(GArray) plan = nt_demo_plan_build (2026);
  g_autoptr(NtRingSim) sim = NULL;
  const NtPeriodSpan *first = &g_array_index (plan, NtPeriodSpan, 0);
  guint beam_in_no_beam = 0, checked = 0;

  sim = nt_ring_sim_new (get_catalogue (), 3, first->start);
  nt_ring_sim_set_plan (sim, plan);

  for (gint64 t = first->start; t < first->start + 21 * DAY; t += 1)
    {
      const NtPeriodSpan *span = nt_run_plan_lookup (plan, t);

      nt_ring_sim_advance_to (sim, t);
      g_assert_nonnull (span);
      if (!nt_period_kind_has_beam (span->kind))
        {
          checked++;
          beam_in_no_beam += nt_ring_sim_get_current (sim) > 0;
        }
    }

  g_test_message ("%u no-beam seconds checked", checked);
  g_assert_cmpuint (beam_in_no_beam, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add_func ("/ring-sim/deterministic", test_deterministic);
  g_test_add_func ("/ring-sim/user-operation-day", test_user_operation_day);
  g_test_add_func ("/ring-sim/dump-rate", test_dump_rate);
  g_test_add_func ("/ring-sim/dump-closes-shutters", test_dump_closes_shutters);
  g_test_add_func ("/ring-sim/fault-causes", test_fault_causes);
  g_test_add_func ("/ring-sim/no-beam-in-maintenance", test_no_beam_in_maintenance);
  g_test_add_func ("/ring-sim/station-energies", test_station_energies);
  g_test_add_func ("/ring-sim/profile-keys", test_profile_keys);
  g_test_add_func ("/ring-sim/follows-demo-plan", test_follows_demo_plan);

  return g_test_run ();
}

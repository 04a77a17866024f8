/* nt-ring-sim.c: the storage-ring and beamline simulator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model, one step per simulated second:
 *
 * - Beam exists only in beam periods of the run plan.  Entering one, the
 *   ring is filled from zero (mode "Injection") at about 2 mA/s up to the
 *   top-up target.
 * - Stored beam decays with a current-dependent lifetime (gas scattering
 *   plus Touschek, which grows with the bunch charge):
 *   1/tau = 1/tau_gas + (I / 400 mA) / tau_touschek.
 * - Top-up injections start on a fixed grid (every TOPUP_INTERVAL s) and
 *   add shots until the current is back at the target, which holds the
 *   current within the 0.5 % band; `injecting` and the countdown to the
 *   next injection are published.
 * - The lifetime is fitted, as a control room does, by a least-squares
 *   line through the DCCT readings since the last injection.
 * - Beam dumps happen at random (a Poisson process with the configured mean
 *   time between failures), close every shutter, and are followed by a
 *   recovery time and a refill.  Each dump has a cause drawn from a table
 *   (RF trips most often, a cooling-water failure rarely), and the cause
 *   sets the recovery time: a multiple of the configured typical recovery
 *   drawn within the cause's range, so recoveries last minutes to hours
 *   with an occasional long fault.
 * - The operator message (ring.message) says what the machine is doing and,
 *   during and after a fault, its cause.
 * - Per station: a state drawn per 20-minute slot during user operation
 *   (mostly measuring, some alignment and idle, rare faults), maintenance
 *   in maintenance periods, idle otherwise; main beam shutter open when the
 *   front end is open and the station works with beam; photon energy drawn
 *   per hour within the catalogue range (or among the fixed energies).
 *
 * All randomness is counter based, keyed by (seed, stream, second), and
 * injections are on a fixed grid, so two sims with one seed converge to the
 * same trajectory a few hours after they start, wherever they started.
 */
#define G_LOG_DOMAIN "nt-ring-sim"

#include "config.h"

#include <math.h>

#include "nt-ring-sim.h"

#define TAU_GAS_H          30.0
#define TAU_TOUSCHEK_H     14.0     /* at 400 mA */
#define TOPUP_INTERVAL     120      /* s */
#define TOPUP_TARGET_MA    (NT_RING_SIM_NOMINAL_CURRENT_MA * 1.00075)
#define TOPUP_SHOT_MA      0.30
#define FILL_RATE_MA       2.0      /* per second, from empty */
#define DCCT_NOISE_MA      0.004
#define DCCT_STEPS_PER_MA  1000.0
#define FIT_MIN_POINTS     20
#define STATE_SLOT         1200     /* s */
#define ENERGY_SLOT        3600     /* s */
#define FE_MOVE_TIME       3        /* s */
#define SHUTTER_MOVE_TIME  2        /* s */
#define MAX_DUMP_TIMES     1024

typedef enum
{
  MACHINE_OFF,      /* no beam period */
  MACHINE_FILLING,  /* filling from a low current */
  MACHINE_STORED,   /* stored beam with top-up */
  MACHINE_DUMPED,   /* waiting for recovery */
} MachineState;

enum {
  STREAM_NOISE = 1,
  STREAM_DUMP = 3,
  STREAM_SHOT = 4,
  STREAM_FILL = 5,
  STREAM_CAUSE = 6,
  STREAM_RECOVERY = 7,
  STREAM_STATION = 0x100,
  STREAM_ENERGY = 0x200,
};

/* Causes of beam dumps: how often (weights add up to 1) and the recovery
 * time as a range of multiples of the configured typical recovery. */
static const struct
{
  const char *what;
  double      weight;
  double      lo;
  double      hi;
} dump_causes[] = {
  { "RF cavity trip",              0.40, 0.2,  0.6 },
  { "beam-loss monitor interlock", 0.20, 0.3,  1.0 },
  { "magnet power supply fault",   0.18, 1.0,  2.5 },
  { "vacuum pressure burst",       0.12, 1.5,  4.0 },
  { "injector linac fault",        0.07, 2.0,  6.0 },
  { "cooling water failure",       0.03, 8.0, 16.0 },
};

typedef struct
{
  char           *id;
  NtShutterState  shutter;
  NtShutterState  target;
  gint64          moving_until;
  guint           pv_shutter;
} SimBeamline;

typedef struct
{
  char           *id;
  guint           beamline;       /* index into beamlines */
  double          energy_min;
  double          energy_max;
  GArray         *fixed;          /* of double, or NULL */
  NtStationState  state;
  NtShutterState  shutter;
  NtShutterState  target;
  gint64          moving_until;
  double          energy;
  guint           pv_shutter;
  guint           pv_state;
  guint           pv_energy;
} SimStation;

struct _NtRingSim
{
  GObject       parent_instance;

  guint64       seed;
  gint64        t;               /* Unix s of the last step */
  double        carry;           /* fraction of a second not yet stepped */
  GArray       *plan;
  double        mtbf_h;
  double        recovery_s;

  NtPvTable    *pvs;
  GHashTable   *signals;         /* key -> PV name */

  MachineState  machine;
  NtPeriodKind  kind;
  NtRingMode    mode;
  double        current;         /* true current, mA */
  double        reading;         /* DCCT reading, mA */
  gboolean      injecting;
  gint64        recover_at;
  int           cause;           /* index into dump_causes of the last dump, or -1 */
  gboolean      after_dump;      /* refilling after a dump (not a first fill) */
  double        lifetime_h;
  gboolean      lifetime_valid;
  double        fit_n, fit_x, fit_y, fit_xx, fit_xy;
  gint64        fit_t0;
  guint         n_dumps;
  GArray       *dump_times;

  GArray       *beamlines;       /* of SimBeamline */
  GArray       *stations;        /* of SimStation */

  guint         pv_current;
  guint         pv_lifetime;
  guint         pv_mode;
  guint         pv_countdown;
  guint         pv_injecting;
  guint         pv_fill;
  guint         pv_energy;
  guint         pv_message;
};

G_DEFINE_FINAL_TYPE (NtRingSim, nt_ring_sim, G_TYPE_OBJECT)

static const char * const mode_labels[] = {
  "User operation", "Machine study", "Maintenance", "Shutdown", "Beam dump", "Injection", NULL,
};
static const char * const shutter_labels[] = {
  "Closed", "Open", "Moving", "Fault", NULL,
};
static const char * const station_labels[] = {
  "Idle", "Measuring", "Alignment", "Maintenance", "Fault", NULL,
};
static const char * const no_yes_labels[] = {
  "No", "Yes", NULL,
};

/* splitmix64 finaliser */
static inline guint64
mix64 (guint64 z)
{
  z += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Uniform in [0, 1), a pure function of (seed, stream, t). */
static inline double
rng_u01 (NtRingSim *self,
         guint64    stream,
         gint64     t)
{
  guint64 x = mix64 (self->seed ^ mix64 (mix64 (stream) ^ (guint64) t));

  return (double) (x >> 11) * (1.0 / 9007199254740992.0);
}

static inline double
rng_normal (NtRingSim *self,
            guint64    stream,
            gint64     t)
{
  double u1 = 1.0 - rng_u01 (self, stream, t);      /* (0, 1] */
  double u2 = rng_u01 (self, stream + 0x10000, t);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

const char *
nt_ring_mode_to_label (NtRingMode mode)
{
  g_return_val_if_fail (mode <= NT_RING_MODE_INJECTION, NULL);

  return mode_labels[mode];
}

static void
sim_beamline_clear (gpointer data)
{
  SimBeamline *bl = data;

  g_free (bl->id);
}

static void
sim_station_clear (gpointer data)
{
  SimStation *st = data;

  g_free (st->id);
  g_clear_pointer (&st->fixed, g_array_unref);
}

static NtPeriodKind
plan_kind_at (NtRingSim *self,
              gint64     t)
{
  const NtPeriodSpan *span;

  if (self->plan == NULL)
    return NT_PERIOD_USER_OPERATION;

  span = nt_run_plan_lookup (self->plan, t);
  if (span == NULL)
    return NT_PERIOD_SHUTDOWN;

  return span->kind;
}

static inline double
tau_seconds (double current)
{
  double inv_h = 1.0 / TAU_GAS_H + (current / NT_RING_SIM_NOMINAL_CURRENT_MA) / TAU_TOUSCHEK_H;

  return 3600.0 / inv_h;
}

static void
fit_reset (NtRingSim *self,
           gint64     t)
{
  self->fit_n = self->fit_x = self->fit_y = self->fit_xx = self->fit_xy = 0;
  self->fit_t0 = t;
}

static void
fit_add (NtRingSim *self,
         gint64     t,
         double     reading)
{
  double x = (double) (t - self->fit_t0);
  double y = reading - NT_RING_SIM_NOMINAL_CURRENT_MA;
  double denom, slope, mean;

  self->fit_n += 1;
  self->fit_x += x;
  self->fit_y += y;
  self->fit_xx += x * x;
  self->fit_xy += x * y;

  if (self->fit_n < FIT_MIN_POINTS)
    return;

  denom = self->fit_n * self->fit_xx - self->fit_x * self->fit_x;
  if (denom <= 0)
    return;

  slope = (self->fit_n * self->fit_xy - self->fit_x * self->fit_y) / denom;  /* mA/s */
  mean = self->fit_y / self->fit_n + NT_RING_SIM_NOMINAL_CURRENT_MA;
  if (slope < 0)
    {
      self->lifetime_h = MIN (-mean / slope / 3600.0, 999.0);
      self->lifetime_valid = TRUE;
    }
}

static void
record_dump (NtRingSim *self,
             gint64     t)
{
  self->n_dumps++;
  if (self->dump_times->len >= MAX_DUMP_TIMES)
    g_array_remove_index (self->dump_times, 0);
  g_array_append_val (self->dump_times, t);
}

/* Draws the dump's cause (sets self->cause) and its recovery time in s. */
static gint64
draw_recovery (NtRingSim *self,
               gint64     t)
{
  double u = rng_u01 (self, STREAM_CAUSE, t);
  double f;
  guint i;

  for (i = 0; i + 1 < G_N_ELEMENTS (dump_causes) && u >= dump_causes[i].weight; i++)
    u -= dump_causes[i].weight;
  self->cause = (int) i;
  f = dump_causes[i].lo + (dump_causes[i].hi - dump_causes[i].lo) * rng_u01 (self, STREAM_RECOVERY, t);
  return (gint64) ceil (self->recovery_s * f);
}

static void
step_machine (NtRingSim *self,
              gint64     t)
{
  gboolean beam_period;

  self->kind = plan_kind_at (self, t);
  beam_period = nt_period_kind_has_beam (self->kind);

  if (!beam_period)
    {
      self->after_dump = FALSE;
      self->machine = MACHINE_OFF;
      self->current = 0;
      self->injecting = FALSE;
      self->lifetime_valid = FALSE;
      return;
    }

  if (self->machine == MACHINE_OFF)
    self->machine = MACHINE_FILLING;
  if (self->machine == MACHINE_DUMPED && t >= self->recover_at)
    self->machine = MACHINE_FILLING;

  switch (self->machine)
    {
    case MACHINE_FILLING:
      self->injecting = TRUE;
      self->current *= exp (-1.0 / tau_seconds (self->current));
      self->current += FILL_RATE_MA * (0.7 + 0.6 * rng_u01 (self, STREAM_FILL, t));
      if (self->current >= TOPUP_TARGET_MA)
        {
          self->current = TOPUP_TARGET_MA;
          self->machine = MACHINE_STORED;
          self->injecting = FALSE;
          fit_reset (self, t);
        }
      break;

    case MACHINE_STORED:
      self->current *= exp (-1.0 / tau_seconds (self->current));
      if (!self->injecting && t % TOPUP_INTERVAL == 0)
        self->injecting = TRUE;
      if (self->injecting)
        {
          self->current += TOPUP_SHOT_MA * (0.7 + 0.6 * rng_u01 (self, STREAM_SHOT, t));
          if (self->current >= TOPUP_TARGET_MA)
            {
              self->current = TOPUP_TARGET_MA;
              self->injecting = FALSE;
              fit_reset (self, t);
            }
        }
      break;

    case MACHINE_DUMPED:
      self->current = 0;
      self->injecting = FALSE;
      break;

    case MACHINE_OFF:
    default:
      g_assert_not_reached ();
    }

  if ((self->machine == MACHINE_STORED || self->machine == MACHINE_FILLING) &&
      self->mtbf_h > 0 &&
      rng_u01 (self, STREAM_DUMP, t) < 1.0 / (self->mtbf_h * 3600.0))
    {
      self->machine = MACHINE_DUMPED;
      self->current = 0;
      self->injecting = FALSE;
      self->lifetime_valid = FALSE;
      self->recover_at = t + draw_recovery (self, t);
      self->after_dump = TRUE;
      record_dump (self, t);
    }
}

static NtRingMode
mode_for (NtRingSim *self)
{
  switch (self->machine)
    {
    case MACHINE_OFF:
      return self->kind == NT_PERIOD_SHUTDOWN ? NT_RING_MODE_SHUTDOWN : NT_RING_MODE_MAINTENANCE;
    case MACHINE_DUMPED:
      return NT_RING_MODE_BEAM_DUMP;
    case MACHINE_FILLING:
      return NT_RING_MODE_INJECTION;
    case MACHINE_STORED:
    default:
      return self->kind == NT_PERIOD_MACHINE_STUDY ? NT_RING_MODE_MACHINE_STUDY
                                                   : NT_RING_MODE_USER_OPERATION;
    }
}

static void
move_shutter (NtShutterState *shutter,
              NtShutterState *target,
              gint64         *moving_until,
              NtShutterState  want,
              gint64          t,
              gint64          move_time)
{
  if (want != *target)
    {
      *target = want;
      *shutter = NT_SHUTTER_MOVING;
      *moving_until = t + move_time;
    }
  if (*shutter == NT_SHUTTER_MOVING && t >= *moving_until)
    *shutter = *target;
}

static NtStationState
draw_station_state (NtRingSim *self,
                    guint      index,
                    gint64     t)
{
  /* Slots are offset per station so they do not all change at once. */
  gint64 slot = (t + (gint64) index * 317) / STATE_SLOT;
  double u = rng_u01 (self, STREAM_STATION + index, slot);

  if (u < 0.70)
    return NT_STATION_STATE_MEASURING;
  if (u < 0.85)
    return NT_STATION_STATE_ALIGNMENT;
  if (u < 0.98)
    return NT_STATION_STATE_IDLE;
  return NT_STATION_STATE_FAULT;
}

static double
draw_energy (NtRingSim  *self,
             SimStation *st,
             guint       index,
             gint64      t)
{
  gint64 slot = (t + (gint64) index * 911) / ENERGY_SLOT;
  double u = rng_u01 (self, STREAM_ENERGY + index, slot);

  if (st->fixed != NULL && st->fixed->len > 0)
    return g_array_index (st->fixed, double, MIN ((guint) (u * st->fixed->len), st->fixed->len - 1));

  return round (st->energy_min + u * (st->energy_max - st->energy_min));
}

static void
step_beamlines (NtRingSim *self,
                gint64     t)
{
  gboolean user = self->kind == NT_PERIOD_USER_OPERATION || self->kind == NT_PERIOD_COMMISSIONING;
  gboolean beam_to_beamlines = user && self->machine == MACHINE_STORED;
  gboolean maintenance = self->kind == NT_PERIOD_MAINTENANCE || self->kind == NT_PERIOD_INSPECTION;

  for (guint i = 0; i < self->beamlines->len; i++)
    {
      SimBeamline *bl = &g_array_index (self->beamlines, SimBeamline, i);

      move_shutter (&bl->shutter, &bl->target, &bl->moving_until,
                    beam_to_beamlines ? NT_SHUTTER_OPEN : NT_SHUTTER_CLOSED, t, FE_MOVE_TIME);
    }

  for (guint i = 0; i < self->stations->len; i++)
    {
      SimStation *st = &g_array_index (self->stations, SimStation, i);
      SimBeamline *bl = &g_array_index (self->beamlines, SimBeamline, st->beamline);
      gboolean wants_beam;

      if (maintenance)
        st->state = NT_STATION_STATE_MAINTENANCE;
      else if (!user)
        st->state = NT_STATION_STATE_IDLE;
      else
        st->state = draw_station_state (self, i, t);

      wants_beam = st->state == NT_STATION_STATE_MEASURING || st->state == NT_STATION_STATE_ALIGNMENT;
      move_shutter (&st->shutter, &st->target, &st->moving_until,
                    (wants_beam && bl->shutter == NT_SHUTTER_OPEN) ? NT_SHUTTER_OPEN : NT_SHUTTER_CLOSED,
                    t, SHUTTER_MOVE_TIME);

      st->energy = draw_energy (self, st, i, t);
    }
}

/* What the control room's message line says now (English, as operators
 * write it; it is data, not a console word). */
static const char *
operator_message (NtRingSim *self,
                  char      *buf,
                  gsize      size)
{
  const char *cause = self->cause >= 0 ? dump_causes[self->cause].what : "a fault";

  switch (self->machine)
    {
    case MACHINE_OFF:
      return self->kind == NT_PERIOD_SHUTDOWN ? "Shutdown: no beam" : "Maintenance: no beam";
    case MACHINE_DUMPED:
      g_snprintf (buf, size, "Beam lost: %s; recovery under way", cause);
      return buf;
    case MACHINE_FILLING:
      if (!self->after_dump)
        return "Injection: filling the ring";
      g_snprintf (buf, size, "Refilling after %s", cause);
      return buf;
    case MACHINE_STORED:
    default:
      if (self->kind == NT_PERIOD_MACHINE_STUDY)
        return "Machine study";
      if (self->after_dump)
        {
          g_snprintf (buf, size, "Top-up operation at 400 mA (beam back after %s)", cause);
          return buf;
        }
      return "Top-up operation at 400 mA";
    }
}

static void
publish (NtRingSim *self,
         gint64     t)
{
  gint64 us = t * G_USEC_PER_SEC;
  gboolean stored = self->machine == MACHINE_STORED;
  gboolean has_beam = stored || self->machine == MACHINE_FILLING;
  NtSeverity sev;
  double countdown;

  self->mode = mode_for (self);

  if (self->machine == MACHINE_DUMPED)
    sev = NT_SEVERITY_MAJOR;
  else if (stored && self->reading < NT_RING_SIM_NOMINAL_CURRENT_MA * (1 - NT_RING_SIM_BAND))
    sev = NT_SEVERITY_MINOR;
  else
    sev = NT_SEVERITY_NONE;
  nt_pv_table_set_number (self->pvs, self->pv_current, self->reading, sev, us);

  if (has_beam && self->lifetime_valid)
    nt_pv_table_set_number (self->pvs, self->pv_lifetime, round (self->lifetime_h * 100) / 100,
                            NT_SEVERITY_NONE, us);
  else
    nt_pv_table_set_number (self->pvs, self->pv_lifetime, 0, NT_SEVERITY_INVALID, us);

  nt_pv_table_set_number (self->pvs, self->pv_mode, self->mode,
                          self->mode == NT_RING_MODE_BEAM_DUMP ? NT_SEVERITY_MAJOR : NT_SEVERITY_NONE, us);
  nt_pv_table_set_number (self->pvs, self->pv_injecting, self->injecting ? 1 : 0, NT_SEVERITY_NONE, us);

  countdown = nt_ring_sim_get_topup_countdown (self);
  if (stored)
    nt_pv_table_set_number (self->pvs, self->pv_countdown, countdown, NT_SEVERITY_NONE, us);
  else
    nt_pv_table_set_number (self->pvs, self->pv_countdown, 0, NT_SEVERITY_INVALID, us);

  if (!has_beam)
    nt_pv_table_set_string (self->pvs, self->pv_fill, "No beam", NT_SEVERITY_NONE, us);
  else if (self->kind == NT_PERIOD_MACHINE_STUDY)
    nt_pv_table_set_string (self->pvs, self->pv_fill, "Multi-bunch, uniform fill", NT_SEVERITY_NONE, us);
  else
    nt_pv_table_set_string (self->pvs, self->pv_fill, "Multi-bunch, 4/5 fill", NT_SEVERITY_NONE, us);

  nt_pv_table_set_number (self->pvs, self->pv_energy,
                          nt_period_kind_has_beam (self->kind) ? NT_RING_SIM_ENERGY_GEV : 0,
                          NT_SEVERITY_NONE, us);
  {
    char buf[160];

    nt_pv_table_set_string (self->pvs, self->pv_message, operator_message (self, buf, sizeof buf),
                            self->machine == MACHINE_DUMPED ? NT_SEVERITY_MAJOR : NT_SEVERITY_NONE, us);
  }

  for (guint i = 0; i < self->beamlines->len; i++)
    {
      SimBeamline *bl = &g_array_index (self->beamlines, SimBeamline, i);

      nt_pv_table_set_number (self->pvs, bl->pv_shutter, bl->shutter,
                              bl->shutter == NT_SHUTTER_FAULT ? NT_SEVERITY_MAJOR : NT_SEVERITY_NONE, us);
    }

  for (guint i = 0; i < self->stations->len; i++)
    {
      SimStation *st = &g_array_index (self->stations, SimStation, i);

      nt_pv_table_set_number (self->pvs, st->pv_shutter, st->shutter,
                              st->shutter == NT_SHUTTER_FAULT ? NT_SEVERITY_MAJOR : NT_SEVERITY_NONE, us);
      nt_pv_table_set_number (self->pvs, st->pv_state, st->state,
                              st->state == NT_STATION_STATE_FAULT ? NT_SEVERITY_MAJOR : NT_SEVERITY_NONE, us);
      nt_pv_table_set_number (self->pvs, st->pv_energy, st->energy, NT_SEVERITY_NONE, us);
    }
}

static void
step (NtRingSim *self)
{
  gint64 t = ++self->t;

  step_machine (self, t);

  /* The DCCT reads its noise on top of the beam, also without beam, so
   * its reading (and the 1 Hz archive of it) changes every second. */
  {
    double noise = DCCT_NOISE_MA * rng_normal (self, STREAM_NOISE, t);
    double steps = round ((self->current + noise) * DCCT_STEPS_PER_MA);

    /* The DCCT's resolution: 1 µA (readings are k / 1000 mA exactly, which
     * the archive's blocks keep in about 2 bytes).  Its last digit never
     * holds still for two readings, so the 1 Hz archive stays 1 Hz. */
    if (steps / DCCT_STEPS_PER_MA == self->reading)
      steps += noise >= 0 ? 1 : -1;
    self->reading = steps / DCCT_STEPS_PER_MA;
  }

  if (self->machine == MACHINE_STORED && !self->injecting)
    fit_add (self, t, self->reading);

  step_beamlines (self, t);
  publish (self, t);
}

static void
nt_ring_sim_finalize (GObject *object)
{
  NtRingSim *self = (NtRingSim *)object;

  g_clear_pointer (&self->plan, g_array_unref);
  g_clear_object (&self->pvs);
  g_clear_pointer (&self->signals, g_hash_table_unref);
  g_clear_pointer (&self->dump_times, g_array_unref);
  g_clear_pointer (&self->beamlines, g_array_unref);
  g_clear_pointer (&self->stations, g_array_unref);

  G_OBJECT_CLASS (nt_ring_sim_parent_class)->finalize (object);
}

static void
nt_ring_sim_class_init (NtRingSimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nt_ring_sim_finalize;
}

static void
nt_ring_sim_init (NtRingSim *self)
{
  self->mtbf_h = 72.0;
  self->recovery_s = 1800.0;
  self->cause = -1;
  self->pvs = nt_pv_table_new ();
  self->signals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->dump_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->beamlines = g_array_new (FALSE, TRUE, sizeof (SimBeamline));
  g_array_set_clear_func (self->beamlines, sim_beamline_clear);
  self->stations = g_array_new (FALSE, TRUE, sizeof (SimStation));
  g_array_set_clear_func (self->stations, sim_station_clear);
}

static guint
add_pv (NtRingSim      *self,
        const char     *key,
        const NtPvInfo *info)
{
  g_hash_table_insert (self->signals, g_strdup (key), g_strdup (info->name));
  return nt_pv_table_add (self->pvs, info);
}

static void
add_ring_pvs (NtRingSim *self)
{
  self->pv_current = add_pv (self, "ring.current", &(NtPvInfo) {
      .name = "SR:DCCT:CURRENT", .type = NT_PV_TYPE_DOUBLE,
      .description = "Stored beam current", .units = "mA", .precision = 2,
      .min = 0, .max = 500,
      .warn_low = NT_RING_SIM_NOMINAL_CURRENT_MA * (1 - NT_RING_SIM_BAND),
      .warn_high = NT_RING_SIM_NOMINAL_CURRENT_MA * (1 + NT_RING_SIM_BAND),
      .alarm_low = 100, .alarm_high = 420, .readonly = TRUE, .archive_period = 0 });
  self->pv_lifetime = add_pv (self, "ring.lifetime", &(NtPvInfo) {
      .name = "SR:DCCT:LIFETIME", .type = NT_PV_TYPE_DOUBLE,
      .description = "Beam lifetime (1/e, fitted)", .units = "h", .precision = 2,
      .min = 0, .max = 50, .warn_low = NAN, .warn_high = NAN, .alarm_low = NAN, .alarm_high = NAN,
      .readonly = TRUE, .archive_period = 10 });
  self->pv_mode = add_pv (self, "ring.mode", &(NtPvInfo) {
      .name = "SR:OPS:MODE", .type = NT_PV_TYPE_ENUM, .description = "Machine mode",
      .labels = mode_labels, .min = NAN, .max = NAN, .warn_low = NAN, .warn_high = NAN,
      .alarm_low = NAN, .alarm_high = NAN, .readonly = TRUE });
  self->pv_countdown = add_pv (self, "ring.topup.countdown", &(NtPvInfo) {
      .name = "SR:INJ:TOPUP-COUNTDOWN", .type = NT_PV_TYPE_DOUBLE,
      .description = "Time to the next top-up injection", .units = "s", .precision = 0,
      .min = 0, .max = TOPUP_INTERVAL, .warn_low = NAN, .warn_high = NAN,
      .alarm_low = NAN, .alarm_high = NAN, .readonly = TRUE, .archive_period = 10 });
  self->pv_injecting = add_pv (self, "ring.injecting", &(NtPvInfo) {
      .name = "SR:INJ:INJECTING", .type = NT_PV_TYPE_ENUM, .description = "Injection in progress",
      .labels = no_yes_labels, .min = NAN, .max = NAN, .warn_low = NAN, .warn_high = NAN,
      .alarm_low = NAN, .alarm_high = NAN, .readonly = TRUE });
  self->pv_fill = add_pv (self, "ring.fill", &(NtPvInfo) {
      .name = "SR:OPS:FILL-PATTERN", .type = NT_PV_TYPE_STRING, .description = "Fill pattern",
      .min = NAN, .max = NAN, .warn_low = NAN, .warn_high = NAN,
      .alarm_low = NAN, .alarm_high = NAN, .readonly = TRUE });
  self->pv_message = add_pv (self, "ring.message", &(NtPvInfo) {
      .name = "SR:OPS:MESSAGE", .type = NT_PV_TYPE_STRING, .description = "Operator message",
      .min = NAN, .max = NAN, .warn_low = NAN, .warn_high = NAN,
      .alarm_low = NAN, .alarm_high = NAN, .readonly = TRUE });
  self->pv_energy = add_pv (self, "ring.energy", &(NtPvInfo) {
      .name = "SR:OPS:ENERGY", .type = NT_PV_TYPE_DOUBLE, .description = "Beam energy",
      .units = "GeV", .precision = 2, .min = 0, .max = 3.5, .warn_low = NAN, .warn_high = NAN,
      .alarm_low = NAN, .alarm_high = NAN, .readonly = TRUE });
}

static void
add_beamline_pvs (NtRingSim   *self,
                  NtCatalogue *catalogue)
{
  GListModel *beamlines = nt_catalogue_get_beamlines (catalogue);
  guint n = g_list_model_get_n_items (beamlines);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NtBeamline) beamline = g_list_model_get_item (beamlines, i);
      GListModel *stations = nt_beamline_get_stations (beamline);
      const char *bl_id = nt_beamline_get_id (beamline);
      g_autofree char *key = g_strdup_printf ("bl.%s.fe_shutter", bl_id);
      g_autofree char *name = g_strdup_printf ("%s:FE:SHUTTER", bl_id);
      g_autofree char *desc = g_strdup_printf ("%s front-end shutter", bl_id);
      SimBeamline bl = { 0 };

      bl.id = g_strdup (bl_id);
      bl.pv_shutter = add_pv (self, key, &(NtPvInfo) {
          .name = name, .type = NT_PV_TYPE_ENUM, .description = desc, .labels = shutter_labels,
          .min = NAN, .max = NAN, .warn_low = NAN, .warn_high = NAN,
          .alarm_low = NAN, .alarm_high = NAN, .readonly = TRUE });
      g_array_append_val (self->beamlines, bl);

      for (guint j = 0; j < g_list_model_get_n_items (stations); j++)
        {
          g_autoptr(NtStation) station = g_list_model_get_item (stations, j);
          const char *st_id = nt_station_get_id (station);
          const double *fixed;
          guint n_fixed = 0;
          SimStation st = { 0 };
          g_autofree char *k_shutter = g_strdup_printf ("bl.%s.shutter", st_id);
          g_autofree char *k_state = g_strdup_printf ("bl.%s.state", st_id);
          g_autofree char *k_energy = g_strdup_printf ("bl.%s.energy", st_id);
          g_autofree char *n_shutter = g_strdup_printf ("%s:MBS:SHUTTER", st_id);
          g_autofree char *n_state = g_strdup_printf ("%s:ES:STATE", st_id);
          g_autofree char *n_energy = g_strdup_printf ("%s:MONO:ENERGY", st_id);
          g_autofree char *d_shutter = g_strdup_printf ("%s main beam shutter", st_id);
          g_autofree char *d_state = g_strdup_printf ("%s station state", st_id);
          g_autofree char *d_energy = g_strdup_printf ("%s photon energy", st_id);

          st.id = g_strdup (st_id);
          st.beamline = self->beamlines->len - 1;
          st.energy_min = nt_station_get_energy_min_ev (station);
          st.energy_max = nt_station_get_energy_max_ev (station);
          fixed = nt_station_get_fixed_energies_ev (station, &n_fixed);
          if (fixed != NULL && n_fixed > 0)
            {
              st.fixed = g_array_sized_new (FALSE, FALSE, sizeof (double), n_fixed);
              g_array_append_vals (st.fixed, fixed, n_fixed);
            }
          st.pv_shutter = add_pv (self, k_shutter, &(NtPvInfo) {
              .name = n_shutter, .type = NT_PV_TYPE_ENUM, .description = d_shutter,
              .labels = shutter_labels, .min = NAN, .max = NAN, .warn_low = NAN, .warn_high = NAN,
              .alarm_low = NAN, .alarm_high = NAN, .readonly = TRUE });
          st.pv_state = add_pv (self, k_state, &(NtPvInfo) {
              .name = n_state, .type = NT_PV_TYPE_ENUM, .description = d_state,
              .labels = station_labels, .min = NAN, .max = NAN, .warn_low = NAN, .warn_high = NAN,
              .alarm_low = NAN, .alarm_high = NAN, .readonly = TRUE });
          st.pv_energy = add_pv (self, k_energy, &(NtPvInfo) {
              .name = n_energy, .type = NT_PV_TYPE_DOUBLE, .description = d_energy, .units = "eV",
              .precision = 1, .min = st.energy_min, .max = st.energy_max,
              .warn_low = NAN, .warn_high = NAN, .alarm_low = NAN, .alarm_high = NAN,
              .readonly = TRUE });
          g_array_append_val (self->stations, st);
        }
    }
}

NtRingSim *
nt_ring_sim_new (NtCatalogue *catalogue,
                 guint64      seed,
                 gint64       start_time)
{
  NtRingSim *self;

  g_return_val_if_fail (NT_IS_CATALOGUE (catalogue), NULL);

  self = g_object_new (NT_TYPE_RING_SIM, NULL);
  self->seed = mix64 (seed);
  self->t = start_time - 1;
  self->machine = MACHINE_OFF;
  self->kind = NT_PERIOD_SHUTDOWN;

  add_ring_pvs (self);
  add_beamline_pvs (self, catalogue);

  /* The PVs stay UNDEFINED until the first step, which publishes the
   * state at start_time (set the plan and the settings before). */

  return self;
}

void
nt_ring_sim_set_plan (NtRingSim *sim,
                      GArray    *spans)
{
  g_return_if_fail (NT_IS_RING_SIM (sim));

  if (spans != NULL)
    g_array_ref (spans);
  g_clear_pointer (&sim->plan, g_array_unref);
  sim->plan = spans;
}

void
nt_ring_sim_set_mtbf (NtRingSim *sim,
                      double     hours)
{
  g_return_if_fail (NT_IS_RING_SIM (sim));
  g_return_if_fail (hours >= 0);

  sim->mtbf_h = hours;
}

double
nt_ring_sim_get_mtbf (NtRingSim *sim)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), 0);

  return sim->mtbf_h;
}

void
nt_ring_sim_set_recovery_time (NtRingSim *sim,
                               double     seconds)
{
  g_return_if_fail (NT_IS_RING_SIM (sim));
  g_return_if_fail (seconds >= 0);

  sim->recovery_s = seconds;
}

void
nt_ring_sim_advance (NtRingSim *sim,
                     double     seconds)
{
  g_return_if_fail (NT_IS_RING_SIM (sim));
  g_return_if_fail (seconds >= 0);

  sim->carry += seconds;
  while (sim->carry >= 1.0)
    {
      sim->carry -= 1.0;
      step (sim);
    }
}

void
nt_ring_sim_advance_to (NtRingSim *sim,
                        gint64     t)
{
  g_return_if_fail (NT_IS_RING_SIM (sim));

  while (sim->t < t)
    step (sim);
}

gint64
nt_ring_sim_get_recovery_at (NtRingSim *sim)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), 0);

  return sim->machine == MACHINE_DUMPED ? sim->recover_at : 0;
}

const char *
nt_ring_sim_get_dump_cause (NtRingSim *sim)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), NULL);

  return sim->cause >= 0 ? dump_causes[sim->cause].what : NULL;
}

gint64
nt_ring_sim_get_time (NtRingSim *sim)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), 0);

  return sim->t;
}

guint64
nt_ring_sim_get_seed (NtRingSim *sim)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), 0);

  return sim->seed;
}

NtPvTable *
nt_ring_sim_get_pvs (NtRingSim *sim)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), NULL);

  return sim->pvs;
}

GHashTable *
nt_ring_sim_get_signals (NtRingSim *sim)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), NULL);

  return sim->signals;
}

const char *
nt_ring_sim_lookup_signal (NtRingSim  *sim,
                           const char *key)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), NULL);

  return g_hash_table_lookup (sim->signals, key);
}

double
nt_ring_sim_get_current (NtRingSim *sim)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), 0);

  return sim->current;
}

double
nt_ring_sim_get_lifetime (NtRingSim *sim)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), 0);

  return sim->lifetime_valid ? sim->lifetime_h : 0;
}

NtRingMode
nt_ring_sim_get_mode (NtRingSim *sim)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), NT_RING_MODE_SHUTDOWN);

  return sim->mode;
}

gboolean
nt_ring_sim_get_injecting (NtRingSim *sim)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), FALSE);

  return sim->injecting;
}

double
nt_ring_sim_get_topup_countdown (NtRingSim *sim)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), 0);

  if (sim->machine != MACHINE_STORED || sim->injecting)
    return 0;

  return (double) (TOPUP_INTERVAL - (sim->t % TOPUP_INTERVAL)) ;
}

guint
nt_ring_sim_get_n_dumps (NtRingSim *sim)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), 0);

  return sim->n_dumps;
}

GArray *
nt_ring_sim_get_dump_times (NtRingSim *sim)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), NULL);

  return sim->dump_times;
}

gboolean
nt_ring_sim_get_station_state (NtRingSim      *sim,
                               const char     *station_id,
                               NtStationState *state,
                               NtShutterState *shutter,
                               double         *energy_ev)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), FALSE);

  for (guint i = 0; i < sim->stations->len; i++)
    {
      SimStation *st = &g_array_index (sim->stations, SimStation, i);

      if (g_strcmp0 (st->id, station_id) != 0)
        continue;
      if (state)
        *state = st->state;
      if (shutter)
        *shutter = st->shutter;
      if (energy_ev)
        *energy_ev = st->energy;
      return TRUE;
    }

  return FALSE;
}

gboolean
nt_ring_sim_get_fe_shutter (NtRingSim      *sim,
                            const char     *beamline_id,
                            NtShutterState *shutter)
{
  g_return_val_if_fail (NT_IS_RING_SIM (sim), FALSE);

  for (guint i = 0; i < sim->beamlines->len; i++)
    {
      SimBeamline *bl = &g_array_index (sim->beamlines, SimBeamline, i);

      if (g_strcmp0 (bl->id, beamline_id) == 0)
        {
          if (shutter)
            *shutter = bl->shutter;
          return TRUE;
        }
    }

  return FALSE;
}

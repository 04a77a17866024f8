/* nt-ring-sim.h: the storage-ring and beamline simulator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "nt-catalogue.h"
#include "nt-pv-table.h"
#include "nt-run-plan.h"

G_BEGIN_DECLS

/* Labels of the enum PVs, in index order. */
typedef enum
{
  NT_RING_MODE_USER_OPERATION,
  NT_RING_MODE_MACHINE_STUDY,
  NT_RING_MODE_MAINTENANCE,
  NT_RING_MODE_SHUTDOWN,
  NT_RING_MODE_BEAM_DUMP,
  NT_RING_MODE_INJECTION,
} NtRingMode;

typedef enum
{
  NT_SHUTTER_CLOSED,
  NT_SHUTTER_OPEN,
  NT_SHUTTER_MOVING,
  NT_SHUTTER_FAULT,
} NtShutterState;

typedef enum
{
  NT_STATION_STATE_IDLE,
  NT_STATION_STATE_MEASURING,
  NT_STATION_STATE_ALIGNMENT,
  NT_STATION_STATE_MAINTENANCE,
  NT_STATION_STATE_FAULT,
} NtStationState;

#define NT_RING_SIM_NOMINAL_CURRENT_MA 400.0
#define NT_RING_SIM_BAND               0.005   /* top-up band: ±0.5 % of nominal */
#define NT_RING_SIM_ENERGY_GEV         3.0

#define NT_TYPE_RING_SIM (nt_ring_sim_get_type ())

G_DECLARE_FINAL_TYPE (NtRingSim, nt_ring_sim, NT, RING_SIM, GObject)

/* The model advances in steps of one simulated second; everything random
 * is drawn from a counter-based generator keyed by (seed, what, second), so
 * a run is a pure function of the seed, the start time, the plan and the
 * settings.  @start_time is in Unix seconds.  The PVs (names, metadata,
 * values) are in the sim's NtPvTable; signal keys of the facility profile
 * map to them through nt_ring_sim_get_signals(). */
NtRingSim      *nt_ring_sim_new                (NtCatalogue *catalogue,
                                                guint64      seed,
                                                gint64       start_time);

/* @spans: sorted NtPeriodSpan; outside them the ring is shut down.  The
 * sim keeps a reference.  Without a plan, the ring is in user operation. */
void            nt_ring_sim_set_plan           (NtRingSim   *sim,
                                                GArray      *spans);
/* Mean time between beam dumps during beam time, in hours (0: no dumps). */
void            nt_ring_sim_set_mtbf           (NtRingSim   *sim,
                                                double       hours);
double          nt_ring_sim_get_mtbf           (NtRingSim   *sim);
/* The typical time from a dump until refilling starts, in seconds: each
 * dump's cause draws its own recovery as a multiple of it (0.2× for an RF
 * trip up to 16× for a cooling-water failure; on average about 1.6×). */
void            nt_ring_sim_set_recovery_time  (NtRingSim   *sim,
                                                double       seconds);
/* During a dump, the Unix time (s) the refill starts; else 0. */
gint64          nt_ring_sim_get_recovery_at    (NtRingSim   *sim);
/* The cause of the last dump ("RF cavity trip", ...), or NULL. */
const char     *nt_ring_sim_get_dump_cause     (NtRingSim   *sim);

/* Steps the model forward by @seconds of simulated time (fractions are
 * carried over to the next call); independent of wall time. */
void            nt_ring_sim_advance            (NtRingSim   *sim,
                                                double       seconds);
/* Advances to Unix time @t (seconds); does nothing if @t is not later. */
void            nt_ring_sim_advance_to         (NtRingSim   *sim,
                                                gint64       t);

gint64          nt_ring_sim_get_time           (NtRingSim   *sim);  /* Unix s */
guint64         nt_ring_sim_get_seed           (NtRingSim   *sim);
NtPvTable      *nt_ring_sim_get_pvs            (NtRingSim   *sim);
/* Profile key ("ring.current", "bl.BL07U.state", ...) -> PV name. */
GHashTable     *nt_ring_sim_get_signals        (NtRingSim   *sim);
const char     *nt_ring_sim_lookup_signal      (NtRingSim   *sim,
                                                const char  *key);

/* The model's state now (the PVs show the same, as the DCCT reads it). */
double          nt_ring_sim_get_current        (NtRingSim   *sim);  /* mA, true */
double          nt_ring_sim_get_lifetime       (NtRingSim   *sim);  /* h, fitted */
NtRingMode      nt_ring_sim_get_mode           (NtRingSim   *sim);
gboolean        nt_ring_sim_get_injecting      (NtRingSim   *sim);
double          nt_ring_sim_get_topup_countdown (NtRingSim  *sim);  /* s */
guint           nt_ring_sim_get_n_dumps        (NtRingSim   *sim);
/* Unix times of the dumps so far (gint64), oldest first; at most 1024 kept. */
GArray         *nt_ring_sim_get_dump_times     (NtRingSim   *sim);
gboolean        nt_ring_sim_get_station_state  (NtRingSim      *sim,
                                                const char     *station_id,
                                                NtStationState *state,
                                                NtShutterState *shutter,
                                                double         *energy_ev);
gboolean        nt_ring_sim_get_fe_shutter     (NtRingSim      *sim,
                                                const char     *beamline_id,
                                                NtShutterState *shutter);

const char     *nt_ring_mode_to_label          (NtRingMode   mode);

G_END_DECLS

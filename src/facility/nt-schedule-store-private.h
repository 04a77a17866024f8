/* nt-schedule-store-private.h: store internals for the seed and summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "nt-schedule-store.h"

G_BEGIN_DECLS

gboolean      nt_schedule_store_begin        (NtScheduleStore        *self,
                                              NtScheduleFault       **fault);
gboolean      nt_schedule_store_commit       (NtScheduleStore        *self,
                                              NtScheduleFault       **fault);
void          nt_schedule_store_rollback     (NtScheduleStore        *self);
JsonNode     *nt_schedule_store_create_in_tx (NtScheduleStore        *self,
                                              NtResource              resource,
                                              JsonObject             *body,
                                              const NtScheduleActor  *actor,
                                              NtScheduleFault       **fault);
/* A cached statement, reset, bindings cleared; do not finalize. */
sqlite3_stmt *nt_schedule_store_stmt         (NtScheduleStore        *self,
                                              const char             *sql);
/* Picks up what another process committed (revision, plan, settings). */
void          nt_schedule_store_refresh      (NtScheduleStore        *self);
/* The live plan (borrowed). */
GArray       *nt_schedule_store_get_plan     (NtScheduleStore        *self);
void          nt_schedule_event_clear        (NtScheduleEvent        *ev);

G_END_DECLS

/* nt-station-schedule.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "nt-allocation.h"
#include "nt-context.h"

G_BEGIN_DECLS

#define NT_TYPE_STATION_SCHEDULE (nt_station_schedule_get_type ())

G_DECLARE_FINAL_TYPE (NtStationSchedule, nt_station_schedule, NT, STATION_SCHEDULE, GObject)

NtStationSchedule *nt_station_schedule_new             (NtContext         *context);
gboolean           nt_station_schedule_is_loaded       (NtStationSchedule *self);
const GError      *nt_station_schedule_get_error       (NtStationSchedule *self);
guint              nt_station_schedule_get_n_loads     (NtStationSchedule *self);
void               nt_station_schedule_reload          (NtStationSchedule *self);

NtAllocation      *nt_station_schedule_lookup_at       (NtStationSchedule *self,
                                                        const char        *station,
                                                        gint64             t);
NtAllocation      *nt_station_schedule_lookup_next     (NtStationSchedule *self,
                                                        const char        *station,
                                                        gint64             t);
GPtrArray         *nt_station_schedule_list            (NtStationSchedule *self,
                                                        const char        *station,
                                                        gint64             from,
                                                        gint64             to);
char              *nt_station_schedule_describe        (NtStationSchedule *self,
                                                        NtAllocation      *allocation);
char              *nt_station_schedule_format_left     (gint64             seconds);

G_END_DECLS

/* nt-facility-drawing.h: the storage ring and its beamline ports, live
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "nt-context.h"

G_BEGIN_DECLS

#define NT_TYPE_FACILITY_DRAWING (nt_facility_drawing_get_type ())

G_DECLARE_FINAL_TYPE (NtFacilityDrawing, nt_facility_drawing, NT, FACILITY_DRAWING, GtkWidget)

/* What a beamline port shows: its front-end shutter. */
typedef enum
{
  NT_PORT_UNKNOWN,   /* not connected, or no such signal */
  NT_PORT_CLOSED,
  NT_PORT_OPEN,
  NT_PORT_MOVING,
  NT_PORT_FAULT,
} NtPortState;

GtkWidget   *nt_facility_drawing_new             (NtContext         *context);
NtPortState  nt_facility_drawing_get_port_state  (NtFacilityDrawing *self,
                                                  const char        *beamline_id);
guint        nt_facility_drawing_count_ports     (NtFacilityDrawing *self,
                                                  NtPortState        state);
const char  *nt_facility_drawing_get_description (NtFacilityDrawing *self);
gboolean     nt_facility_drawing_get_port_position (NtFacilityDrawing *self,
                                                    const char        *beamline_id,
                                                    double            *x,
                                                    double            *y);

G_END_DECLS

/* nt-strip-chart-private.h: the input paths of NtStripChart, for tests
 *
 * The event controllers of the chart call exactly these functions, so a
 * test (or a benchmark) drives the same code a pointer, a touchpad or a
 * touchscreen does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nt-strip-chart.h"

G_BEGIN_DECLS

void nt_strip_chart_pointer_motion       (NtStripChart *self,
                                          double        x,
                                          double        y);
void nt_strip_chart_pointer_leave        (NtStripChart *self);
void nt_strip_chart_scroll               (NtStripChart *self,
                                          double        dx,
                                          double        dy);
void nt_strip_chart_drag_begin           (NtStripChart *self,
                                          double        x,
                                          double        y);
void nt_strip_chart_drag_update          (NtStripChart *self,
                                          double        offset_x,
                                          double        offset_y);
void nt_strip_chart_drag_end             (NtStripChart *self);
void nt_strip_chart_pinch_begin          (NtStripChart *self,
                                          double        center_x);
void nt_strip_chart_pinch_scale          (NtStripChart *self,
                                          double        scale);
void nt_strip_chart_pinch_end            (NtStripChart *self);

/* What the follow-live timer does: re-read the clock, move the window. */
void nt_strip_chart_update_now           (NtStripChart *self);
/* What the frame clock's update phase does: decimate and rebuild the
 * cached layers that are out of date. */
void nt_strip_chart_flush                (NtStripChart *self);
/* Drops every cache, as if data, size and view had all changed. */
void nt_strip_chart_invalidate_all       (NtStripChart *self);
/* The time-axis ticks of the view (Unix seconds) and their step. */
GArray *nt_strip_chart_get_time_ticks (NtStripChart *self,
                                       gint64       *step);
/* The whole chart (background, layers, hover, children) as one node. */
GskRenderNode *nt_strip_chart_render_node (NtStripChart *self);
GPtrArray *nt_strip_chart_get_time_labels (NtStripChart *self);
/* Emits a pending (debounced) ::range-changed now. */
gboolean nt_strip_chart_flush_range_changed (NtStripChart *self);

G_END_DECLS

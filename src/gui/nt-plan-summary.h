/* nt-plan-summary.h: the allocation summary beside the timeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define NT_TYPE_PLAN_SUMMARY (nt_plan_summary_get_type ())

G_DECLARE_FINAL_TYPE (NtPlanSummary, nt_plan_summary, NT, PLAN_SUMMARY, GtkWidget)

GtkWidget  *nt_plan_summary_new         (void);
/* @summary: the service's GET /summary answer (kept). */
void        nt_plan_summary_set_summary (NtPlanSummary *self,
                                         JsonNode      *summary);
/* 0: the fiscal year, 1: term A, 2: term B. */
void        nt_plan_summary_set_section (NtPlanSummary *self,
                                         guint          section);
/* The text of every line shown, one a line (for tests). */
char       *nt_plan_summary_dup_text    (NtPlanSummary *self);

G_END_DECLS

/* nt-schedule-page.h: the Run plan and Allocations areas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "nt-context.h"
#include "nt-timeline.h"

G_BEGIN_DECLS

#define NT_TYPE_SCHEDULE_PAGE (nt_schedule_page_get_type ())

G_DECLARE_FINAL_TYPE (NtSchedulePage, nt_schedule_page, NT, SCHEDULE_PAGE, GtkWidget)

/* @mode: NT_TIMELINE_EDIT_PLAN for the Run plan area (operators edit the
 * plan), NT_TIMELINE_EDIT_ALLOCATIONS for the Allocations area (the
 * office edits bookings). */
GtkWidget  *nt_schedule_page_new              (NtContext          *context,
                                               NtTimelineEditMode  mode);
NtTimeline *nt_schedule_page_get_timeline     (NtSchedulePage     *self);
gboolean    nt_schedule_page_is_loaded        (NtSchedulePage     *self);
int         nt_schedule_page_get_fiscal_year  (NtSchedulePage     *self);
void        nt_schedule_page_set_fiscal_year  (NtSchedulePage     *self,
                                               int                 fiscal_year);
/* Whether the page offers editing (the console's token may write). */
void        nt_schedule_page_set_can_edit     (NtSchedulePage     *self,
                                               gboolean            can_edit);
gboolean    nt_schedule_page_get_can_edit     (NtSchedulePage     *self);

/* Undo and redo: each step is one server write. */
gboolean    nt_schedule_page_can_undo         (NtSchedulePage     *self);
gboolean    nt_schedule_page_can_redo         (NtSchedulePage     *self);
const char *nt_schedule_page_get_undo_label   (NtSchedulePage     *self);
void        nt_schedule_page_undo             (NtSchedulePage     *self);
void        nt_schedule_page_redo             (NtSchedulePage     *self);
/* Writes sent and not answered yet. */
guint       nt_schedule_page_get_n_pending    (NtSchedulePage     *self);
/* The last message shown to the person (a toast), for tests. */
const char *nt_schedule_page_get_last_message (NtSchedulePage     *self);
/* The dialog open now (editor or conflict), or NULL. */
GtkWidget  *nt_schedule_page_get_dialog       (NtSchedulePage     *self);
JsonNode   *nt_schedule_page_get_summary      (NtSchedulePage     *self);

/* Export: CSV of what overlaps [start, end); every row paginated as PDF. */
GBytes     *nt_schedule_page_dup_csv          (NtSchedulePage     *self,
                                               gint64              start,
                                               gint64              end);
gboolean    nt_schedule_page_export_pdf       (NtSchedulePage     *self,
                                               const char         *path,
                                               gboolean            whole_year,
                                               int                *n_pages,
                                               GError            **error);

G_END_DECLS

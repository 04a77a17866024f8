/* nt-schedule-page-private.h: what the files of the schedule page share
 *
 * The instance struct, the undo steps, and the entry points each file
 * offers the others: nt-schedule-page.c (the widget, its toolbar and
 * actions), nt-schedule-page-load.c (reading the year, the change feed,
 * the role, the summary), nt-schedule-page-rules.c (the rules during a
 * drag), nt-schedule-page-edit.c (writes, undo and redo, the conflict
 * dialog, the editor) and nt-schedule-page-export.c (CSV, iCalendar,
 * printing and PDF).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "nt-plan-summary.h"
#include "nt-schedule-page.h"
#include "nt-widget-util.h"

G_BEGIN_DECLS

typedef enum
{
  OP_CREATE,
  OP_UPDATE,
  OP_DELETE,
} OpKind;

typedef enum
{
  ORIGIN_NEW,   /* a new edit: pushed on the undo stack, clears redo */
  ORIGIN_UNDO,  /* undoing a step: pushed on the redo stack */
  ORIGIN_REDO,  /* redoing a step: pushed on the undo stack */
} Origin;

typedef struct
{
  char    *label;
  OpKind   kind;    /* what the step did */
  GType    type;
  gint64   id;      /* the object's id now (changes when re-created) */
  GObject *before;  /* NULL for a creation */
  GObject *after;   /* NULL for a deletion */
} Step;

typedef enum
{
  EXPORT_CSV_VISIBLE,
  EXPORT_CSV_YEAR,
  EXPORT_ICS_VISIBLE,
  EXPORT_ICS_YEAR,
} ExportKind;

struct _NtSchedulePage
{
  GtkWidget           parent_instance;

  NtContext          *context;
  NtTimelineEditMode  mode;
  GCancellable       *cancellable;
  GCancellable       *role_cancellable;  /* the role, asked per token */
  int                 fiscal_year;
  gboolean            can_edit;
  gboolean            loaded;
  guint               n_loading;
  GError             *load_error;
  gint64              rev_periods;
  gint64              rev_allocations;
  gulong              change_id;
  GPtrArray          *early;     /* Change: arrived while reading */
  GPtrArray          *members;
  GPtrArray          *proposals;
  GQueue              undo;
  GQueue              redo;
  guint               n_pending;
  char               *last_message;
  GtkWidget          *dialog;
  JsonNode           *summary;
  guint               summary_id;

  GtkWidget          *toolbox;
  AdwFlap            *flap;
  GtkStack           *stack;
  AdwStatusPage      *failed_page;
  AdwStatusPage      *access_page;  /* 401 or 403: the token */
  NtTimeline         *timeline;
  NtPlanSummary      *summary_panel;
  GtkDropDown        *fy_dropdown;
  int                 dropdown_fy;    /* the year in the middle of the dropdown */
  gulong              clock_id;
  GtkWidget          *undo_button;
  GtkWidget          *redo_button;
  GtkWidget          *slot_button;
  GtkWidget          *slot_checks[NT_N_SLOTS];
  GtkLabel           *status_label;
};

/* nt-schedule-page.c */
void     nt_schedule_page_show_message        (NtSchedulePage *self,
                                               const char     *text,
                                               gboolean        sticky);

/* nt-schedule-page-load.c */
void     nt_schedule_page_follow_context      (NtSchedulePage *self);
void     nt_schedule_page_load                (NtSchedulePage *self);
void     nt_schedule_page_retry               (NtSchedulePage *self);
void     nt_schedule_page_schedule_summary    (NtSchedulePage *self);

/* nt-schedule-page-rules.c: an NtTimelineCheckFunc, @user_data the page */
gboolean nt_schedule_page_check_rules         (gpointer        object,
                                               const char     *station,
                                               int             slot_or_kind,
                                               gint64          start,
                                               gint64          end,
                                               gpointer        user_data,
                                               GError        **error);

/* nt-schedule-page-edit.c */
gint64   nt_schedule_page_object_id           (gpointer        object);
void     nt_schedule_page_connect_timeline    (NtSchedulePage *self);
void     nt_schedule_page_clear_steps         (NtSchedulePage *self);
void     nt_schedule_page_update_undo_buttons (NtSchedulePage *self);

/* nt-schedule-page-export.c */
void     nt_schedule_page_choose_export       (NtSchedulePage *self,
                                               ExportKind      kind);
void     nt_schedule_page_print               (NtSchedulePage *self,
                                               gboolean        whole_year);

G_END_DECLS

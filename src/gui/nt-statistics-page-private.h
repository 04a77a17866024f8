/* nt-statistics-page-private.h: what the files of the Statistics area share
 *
 * The instance struct, and the entry points of nt-statistics-page.c (the
 * area: ranges, reading, live updates, the figures, the fault list) and
 * nt-statistics-page-export.c (CSV of faults and days, the PDF report
 * and printing) for each other and for the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "nt-statistics-chart.h"
#include "nt-statistics-page.h"

G_BEGIN_DECLS

/* A range the user can choose: a run, a term or a fiscal year. */
typedef struct
{
  char   *label;
  gint64  from;
  gint64  to;
} NtStatisticsRange;

struct _NtStatisticsPage
{
  GtkWidget           parent_instance;

  NtContext          *context;
  NtStatisticsClient *client;
  NtStatistics       *stats;
  GCancellable       *cancellable;     /* the page's life */
  GCancellable       *fetch;           /* the read under way */
  GArray             *ranges;          /* of NtStatisticsRange */
  gint64              from;
  gint64              to;
  gboolean            plan_read;
  gboolean            chosen;          /* by the user, or set_range() */
  guint               refresh_id;
  guint               refresh_seconds; /* of refresh_id */
  gboolean            fetch_wanted;    /* asked for while not shown: read when mapped */
  guint               n_reads;
  char               *last_message;

  /* Template children */
  GtkDropDown        *range_dropdown;
  GtkStringList      *range_names;
  GtkLabel           *status_label;
  GtkMenuButton      *export_button;
  GtkStack           *stack;
  AdwStatusPage      *error_page;
  AdwStatusPage      *empty_page;
  GtkLabel           *availability_label;
  GtkLabel           *target_label;
  GtkBox             *availability_box;
  GtkWidget          *availability_bar;
  GtkLabel           *scheduled_label;
  GtkLabel           *delivered_label;
  GtkLabel           *unknown_label;
  GtkLabel           *faults_label;
  GtkLabel           *mtbf_label;
  GtkLabel           *mttr_label;
  GtkLabel           *complete_label;
  NtStatisticsChart  *chart;
  GtkColumnView      *fault_view;
  GListStore         *fault_store;
  GtkSortListModel   *fault_sorted;
  GtkStack           *fault_stack;
  GtkGrid            *beamline_grid;
};

/* nt-statistics-page.c */
void        nt_statistics_page_show_message (NtStatisticsPage *self,
                                             const char       *text,
                                             gboolean          sticky);
char       *nt_statistics_format_duration   (double            hours);
const char *nt_statistics_mode_words        (const char       *nick);
const char *nt_statistics_range_title       (NtStatisticsPage *self);
guint       nt_statistics_page_next_read    (NtStatistics     *before,
                                             NtStatistics     *answer,
                                             gboolean         *filling);
void        nt_statistics_page_show_answer  (NtStatisticsPage *self,
                                             NtStatistics     *answer);

/* nt-statistics-page-export.c */
void        nt_statistics_page_choose_export (NtStatisticsPage *self,
                                              int               kind);
void        nt_statistics_page_print         (NtStatisticsPage *self);

G_END_DECLS

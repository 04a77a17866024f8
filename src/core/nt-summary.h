/* nt-summary.h: a fiscal year's allocation summary (GET /summary), read strictly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A coalition station's public share in a section */
typedef struct
{
  char   *station_id;
  double  share;                  /* public hours / user-operation hours, 0…1 */
  double  target;
  double  public_hours;
  double  user_operation_hours;
} NtSummaryShare;

/* A coalition member's hours and fee in a section */
typedef struct
{
  char   *name;
  gint64  units;
  double  hours_allowed;          /* 0: no quota */
  double  hours_used;
  double  hours_left;
  double  fee_jpy;
} NtSummaryMember;

/* A beamline's days requested against those offered */
typedef struct
{
  char   *beamline_id;
  double  requested_days;
  double  offered_days;
  double  ratio;
} NtSummarySurvey;

/* One section: the fiscal year, then each term */
typedef struct
{
  double      accelerator_hours;
  double      planned_accelerator_hours;     /* 0: not planned */
  GHashTable *hours_by_kind;                 /* period kind → (double *) hours */
  GHashTable *planned;                       /* the plan's members → (double *) hours */
  GArray     *shares;                        /* NtSummaryShare */
  GArray     *members;                       /* NtSummaryMember */
  GArray     *surveys;                       /* NtSummarySurvey */
} NtSummarySection;

typedef struct
{
  GPtrArray *sections;                       /* NtSummarySection */
} NtSummary;

NtSummary *nt_summary_new_from_json        (JsonNode               *node,
                                            GError                **error);
void       nt_summary_free                 (NtSummary              *summary);
double     nt_summary_section_kind_hours   (const NtSummarySection *section,
                                            const char             *kind);
double     nt_summary_section_planned      (const NtSummarySection *section,
                                            const char             *member);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NtSummary, nt_summary_free)

G_END_DECLS

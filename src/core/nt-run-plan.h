/* nt-run-plan.h: run-plan period kinds and spans
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  NT_PERIOD_USER_OPERATION,   /* beam to beamlines */
  NT_PERIOD_MACHINE_STUDY,    /* accelerator tuning / machine study */
  NT_PERIOD_COMMISSIONING,    /* beamline commissioning (beam on) */
  NT_PERIOD_MAINTENANCE,      /* including vacuum bake-out; no beam */
  NT_PERIOD_INSPECTION,       /* facility inspection; no beam */
  NT_PERIOD_SHUTDOWN,         /* no beam */
} NtPeriodKind;

#define NT_N_PERIOD_KINDS (NT_PERIOD_SHUTDOWN + 1)

typedef struct
{
  gint64       start;  /* Unix seconds, UTC, inclusive */
  gint64       end;    /* Unix seconds, UTC, exclusive */
  NtPeriodKind kind;
} NtPeriodSpan;

const char *nt_period_kind_to_string   (NtPeriodKind  kind);
gboolean    nt_period_kind_from_string (const char   *str,
                                        NtPeriodKind *kind);
gboolean    nt_period_kind_has_beam    (NtPeriodKind  kind);

/* Returns a sorted, gap-free GArray of NtPeriodSpan covering the fiscal
 * year (1 April 00:00 JST to the next 1 April), built deterministically.
 */
GArray     *nt_demo_plan_build         (int           fiscal_year);

/* Binary search in a sorted span array; returns NULL outside it. */
const NtPeriodSpan *nt_run_plan_lookup (GArray       *spans,
                                        gint64        t);

G_END_DECLS

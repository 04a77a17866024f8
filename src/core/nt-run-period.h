/* nt-run-period.h: one period of the run plan, as the scheduling API sends it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "nt-run-plan.h"

G_BEGIN_DECLS

#define NT_TYPE_RUN_PERIOD (nt_run_period_get_type ())

G_DECLARE_FINAL_TYPE (NtRunPeriod, nt_run_period, NT, RUN_PERIOD, GObject)

NtRunPeriod  *nt_run_period_new            (NtPeriodKind   kind,
                                            gint64         start,
                                            gint64         end,
                                            const char    *note);
NtRunPeriod  *nt_run_period_new_from_json  (JsonNode      *node,
                                            GError       **error);
JsonNode     *nt_run_period_to_json        (NtRunPeriod   *self);
NtRunPeriod  *nt_run_period_copy           (NtRunPeriod   *self);

gint64        nt_run_period_get_id         (NtRunPeriod   *self);
NtPeriodKind  nt_run_period_get_kind       (NtRunPeriod   *self);
void          nt_run_period_set_kind       (NtRunPeriod   *self,
                                            NtPeriodKind   kind);
gint64        nt_run_period_get_start      (NtRunPeriod   *self);
void          nt_run_period_set_start      (NtRunPeriod   *self,
                                            gint64         start);
gint64        nt_run_period_get_end        (NtRunPeriod   *self);
void          nt_run_period_set_end        (NtRunPeriod   *self,
                                            gint64         end);
const char   *nt_run_period_get_note       (NtRunPeriod   *self);
void          nt_run_period_set_note       (NtRunPeriod   *self,
                                            const char    *note);
const char   *nt_run_period_get_etag       (NtRunPeriod   *self);
gint64        nt_run_period_get_revision   (NtRunPeriod   *self);

G_END_DECLS

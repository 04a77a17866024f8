/* nt-labels.h: the words the facility sends, in the user's language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "nt-pv-record.h"
#include "nt-run-plan.h"

G_BEGIN_DECLS

const char *nt_labels_translate      (const char   *text);
const char *nt_labels_severity_words (NtPvSeverity  severity);
const char *nt_labels_severity_class (NtPvSeverity  severity);
const char *nt_labels_period_kind    (NtPeriodKind  kind);

G_END_DECLS

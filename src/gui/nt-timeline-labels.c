/* nt-timeline-labels.c: the words for a period's kind, a slot and a status
 *
 * One table per enumeration, indexed by its values, shared by the timeline
 * (bar labels, tooltips, what a screen reader says) and the allocation
 * editor (its choices).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-timeline"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nt-timeline-labels.h"

static const char * const period_kinds[] = {
  N_("User operation"), N_("Machine study"), N_("Beamline commissioning"),
  N_("Maintenance"), N_("Inspection"), N_("Shutdown"),
};

static const char * const slots[] = {
  N_("Public"), N_("Coalition"), N_("Staff"), N_("Commissioning"),
};

static const char * const statuses[] = {
  N_("Draft"), N_("Confirmed"), N_("Cancelled"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (period_kinds) == NT_N_PERIOD_KINDS);
G_STATIC_ASSERT (G_N_ELEMENTS (slots) == NT_N_SLOTS);
G_STATIC_ASSERT (G_N_ELEMENTS (statuses) == NT_N_ALLOCATION_STATUSES);

static const char *
label_of (const char * const *words,
          guint               n_words,
          int                 value)
{
  return value >= 0 && (guint)value < n_words ? _(words[value]) : "";
}

const char *
nt_timeline_period_kind_label (NtPeriodKind kind)
{
  return label_of (period_kinds, G_N_ELEMENTS (period_kinds), (int)kind);
}

const char *
nt_timeline_slot_label (NtSlot slot)
{
  return label_of (slots, G_N_ELEMENTS (slots), (int)slot);
}

const char *
nt_timeline_status_label (NtAllocationStatus status)
{
  return label_of (statuses, G_N_ELEMENTS (statuses), (int)status);
}

/* nt-labels.c
 *
 * Enum labels and fixed texts arrive from the facility in English. Those of
 * the reference services are listed here so that they are translated; any
 * other facility's words are shown as they come.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-labels"

#include "config.h"


#include "nt-i18n.h"
#include "nt-labels.h"

/* Listed for xgettext; looked up by their English text at run time. */
static const char * const known_labels[] G_GNUC_UNUSED = {
  /* machine modes */
  N_("User operation"), N_("Machine study"), N_("Maintenance"), N_("Shutdown"),
  N_("Beam dump"), N_("Injection"),
  /* shutters */
  N_("Closed"), N_("Open"), N_("Moving"), N_("Fault"),
  /* station states */
  N_("Idle"), N_("Measuring"), N_("Alignment"),
  /* yes / no */
  N_("No"), N_("Yes"),
  /* fill patterns */
  N_("No beam"), N_("Multi-bunch, uniform fill"), N_("Multi-bunch, 4/5 fill"),
};

/**
 * nt_labels_translate:
 *
 * Returns: the label in the user's language where the console knows it,
 *   else @text itself
 */
const char *
nt_labels_translate (const char *text)
{
  if (text == NULL || text[0] == '\0')
    return text;

  return _(text);
}

/**
 * nt_labels_severity_words:
 *
 * Returns: (nullable): what a severity means, for showing beside a value
 *   (never colour alone); %NULL for a normal value
 */
const char *
nt_labels_severity_words (NtPvSeverity severity)
{
  switch (severity)
    {
    case NT_PV_SEVERITY_NONE:
      return NULL;
    case NT_PV_SEVERITY_MINOR:
      return _("Minor alarm");
    case NT_PV_SEVERITY_MAJOR:
      return _("Major alarm");
    case NT_PV_SEVERITY_INVALID:
      return _("Invalid");
    case NT_PV_SEVERITY_UNDEFINED:
      return _("Disconnected");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * nt_labels_period_kind:
 *
 * Returns: a run-plan period's kind in words ("User operation", …), or ""
 */
const char *
nt_labels_period_kind (NtPeriodKind kind)
{
  switch (kind)
    {
    case NT_PERIOD_USER_OPERATION:
      return _("User operation");
    case NT_PERIOD_MACHINE_STUDY:
      return _("Machine study");
    case NT_PERIOD_COMMISSIONING:
      return _("Beamline commissioning");
    case NT_PERIOD_MAINTENANCE:
      return _("Maintenance");
    case NT_PERIOD_INSPECTION:
      return _("Inspection");
    case NT_PERIOD_SHUTDOWN:
      return _("Shutdown");
    default:
      return "";
    }
}

const char *
nt_labels_severity_class (NtPvSeverity severity)
{
  switch (severity)
    {
    case NT_PV_SEVERITY_NONE:
      return "severity-none";
    case NT_PV_SEVERITY_MINOR:
      return "severity-minor";
    case NT_PV_SEVERITY_MAJOR:
      return "severity-major";
    case NT_PV_SEVERITY_INVALID:
      return "severity-invalid";
    case NT_PV_SEVERITY_UNDEFINED:
      return "severity-undefined";
    default:
      g_return_val_if_reached ("severity-undefined");
    }
}

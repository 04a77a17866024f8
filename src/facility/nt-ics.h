/* nt-ics.h: iCalendar (RFC 5545) output of the run plan and allocations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NT_ICS_ERROR (nt_ics_error_quark ())

typedef enum
{
  NT_ICS_ERROR_INVALID,   /* an event that cannot be written (bad UID, times, text) */
  NT_ICS_ERROR_LIBICAL,   /* libical refused to build the calendar */
} NtIcsError;

/* One VEVENT.  Strings are UTF-8 and may hold any text (commas,
 * semicolons, newlines): libical escapes and folds them.  Times are Unix
 * seconds, UTC; @end must be after @start.  @uid must be stable for one
 * object across calls (a subscriber's calendar app matches on it) and
 * @sequence must rise each time the object changes.
 */
typedef struct
{
  const char *uid;          /* required, non-empty */
  const char *summary;      /* required */
  const char *description;  /* nullable */
  const char *location;     /* nullable */
  gint64      start;        /* Unix seconds, UTC */
  gint64      end;          /* Unix seconds, UTC, > start */
  guint       sequence;     /* SEQUENCE: rises on change */
  gint64      dtstamp;      /* DTSTAMP: Unix seconds, UTC, when last changed */
} NtIcsEvent;

GQuark  nt_ics_error_quark    (void);

char   *nt_ics_build_calendar (const char        *calendar_name,
                               const NtIcsEvent  *events,
                               guint              n_events,
                               GError           **error);

G_END_DECLS

/* nt-ics.c: iCalendar (RFC 5545) output, built with libical
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-ics"

#include "config.h"

#include <libical/ical.h>

#include "nt-ics.h"

#define NT_ICS_PRODID "-//NanoTerasu//Operations Console " PACKAGE_VERSION "//EN"

/* The latest instant we write: 9999-12-31T23:59:59Z. */
#define NT_ICS_MAX_TIME G_GINT64_CONSTANT (253402300799)

G_DEFINE_QUARK (nt-ics-error-quark, nt_ics_error)

static gboolean
check_text (const char  *text,
            const char  *field,
            guint        index,
            gboolean     required,
            GError     **error)
{
  if (text == NULL || *text == '\0')
    {
      if (!required)
        return TRUE;
      g_set_error (error, NT_ICS_ERROR, NT_ICS_ERROR_INVALID,
                   "event %u: %s is empty", index, field);
      return FALSE;
    }

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, NT_ICS_ERROR, NT_ICS_ERROR_INVALID,
                   "event %u: %s is not valid UTF-8", index, field);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_time (gint64       t,
            const char  *field,
            guint        index,
            GError     **error)
{
  if (t < 0 || t > NT_ICS_MAX_TIME)
    {
      g_set_error (error, NT_ICS_ERROR, NT_ICS_ERROR_INVALID,
                   "event %u: %s %" G_GINT64_FORMAT " is outside 1970–9999",
                   index, field, t);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_event (const NtIcsEvent  *event,
             guint              index,
             GError           **error)
{
  if (!check_text (event->uid, "uid", index, TRUE, error) ||
      !check_text (event->summary, "summary", index, TRUE, error) ||
      !check_text (event->description, "description", index, FALSE, error) ||
      !check_text (event->location, "location", index, FALSE, error) ||
      !check_time (event->start, "start", index, error) ||
      !check_time (event->end, "end", index, error) ||
      !check_time (event->dtstamp, "dtstamp", index, error))
    return FALSE;

  /* A UID is a single line of text: no control characters. */
  for (const char *p = event->uid; *p != '\0'; p++)
    {
      if ((guchar)*p < 0x20 || *p == 0x7f)
        {
          g_set_error (error, NT_ICS_ERROR, NT_ICS_ERROR_INVALID,
                       "event %u: uid holds a control character", index);
          return FALSE;
        }
    }

  if (event->end <= event->start)
    {
      g_set_error (error, NT_ICS_ERROR, NT_ICS_ERROR_INVALID,
                   "event %u: end is not after start", index);
      return FALSE;
    }

  if (event->sequence > G_MAXINT)
    {
      g_set_error (error, NT_ICS_ERROR, NT_ICS_ERROR_INVALID,
                   "event %u: sequence %u is too large", index, event->sequence);
      return FALSE;
    }

  return TRUE;
}

static struct icaltimetype
utc_time (gint64 t)
{
  return icaltime_from_timet_with_zone ((time_t)t, 0,
                                        icaltimezone_get_utc_timezone ());
}

static icalproperty *
new_x_property (const char *name,
                const char *value)
{
  icalproperty *prop = icalproperty_new_x (value);

  icalproperty_set_x_name (prop, name);
  return prop;
}

static icalcomponent *
build_event (const NtIcsEvent *event)
{
  icalcomponent *vevent = icalcomponent_new (ICAL_VEVENT_COMPONENT);

  icalcomponent_add_property (vevent, icalproperty_new_uid (event->uid));
  icalcomponent_add_property (vevent, icalproperty_new_dtstamp (utc_time (event->dtstamp)));
  icalcomponent_add_property (vevent, icalproperty_new_dtstart (utc_time (event->start)));
  icalcomponent_add_property (vevent, icalproperty_new_dtend (utc_time (event->end)));
  icalcomponent_add_property (vevent, icalproperty_new_sequence ((int)event->sequence));
  icalcomponent_add_property (vevent, icalproperty_new_summary (event->summary));
  if (event->description != NULL && *event->description != '\0')
    icalcomponent_add_property (vevent, icalproperty_new_description (event->description));
  if (event->location != NULL && *event->location != '\0')
    icalcomponent_add_property (vevent, icalproperty_new_location (event->location));
  icalcomponent_add_property (vevent, icalproperty_new_transp (ICAL_TRANSP_OPAQUE));

  return vevent;
}

/**
 * nt_ics_build_calendar:
 * @calendar_name: (nullable): the name a calendar app shows for the
 *   subscription (X-WR-CALNAME)
 * @events: (array length=n_events): the events
 * @n_events: how many
 * @error: a #GError, %NT_ICS_ERROR_INVALID names the event and field
 *
 * Builds a VCALENDAR (VERSION 2.0, METHOD:PUBLISH) with one VEVENT per
 * event, times in UTC.  libical writes the text: it escapes commas,
 * semicolons, backslashes and newlines, folds lines at 75 octets and
 * ends lines with CRLF.
 *
 * Returns: (transfer full): the calendar text, or %NULL with @error set
 */
char *
nt_ics_build_calendar (const char        *calendar_name,
                       const NtIcsEvent  *events,
                       guint              n_events,
                       GError           **error)
{
  icalcomponent *calendar;
  char *ical_text;
  char *ret;

  g_return_val_if_fail (events != NULL || n_events == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (calendar_name != NULL && !g_utf8_validate (calendar_name, -1, NULL))
    {
      g_set_error_literal (error, NT_ICS_ERROR, NT_ICS_ERROR_INVALID,
                           "calendar name is not valid UTF-8");
      return NULL;
    }

  for (guint i = 0; i < n_events; i++)
    {
      if (!check_event (&events[i], i, error))
        return NULL;
    }

  calendar = icalcomponent_new (ICAL_VCALENDAR_COMPONENT);
  if (calendar == NULL)
    {
      g_set_error (error, NT_ICS_ERROR, NT_ICS_ERROR_LIBICAL,
                   "libical: %s", icalerror_strerror (icalerrno));
      return NULL;
    }

  icalcomponent_add_property (calendar, icalproperty_new_prodid (NT_ICS_PRODID));
  icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (calendar, icalproperty_new_calscale ("GREGORIAN"));
  icalcomponent_add_property (calendar, icalproperty_new_method (ICAL_METHOD_PUBLISH));
  if (calendar_name != NULL && *calendar_name != '\0')
    icalcomponent_add_property (calendar, new_x_property ("X-WR-CALNAME", calendar_name));
  /* Times are UTC; this only tells calendar apps where the plan lives. */
  icalcomponent_add_property (calendar, new_x_property ("X-WR-TIMEZONE", "Asia/Tokyo"));
  icalcomponent_add_property (calendar, new_x_property ("X-PUBLISHED-TTL", "PT1H"));

  for (guint i = 0; i < n_events; i++)
    icalcomponent_add_component (calendar, build_event (&events[i]));

  ical_text = icalcomponent_as_ical_string_r (calendar);
  icalcomponent_free (calendar);

  if (ical_text == NULL)
    {
      g_set_error (error, NT_ICS_ERROR, NT_ICS_ERROR_LIBICAL,
                   "libical: %s", icalerror_strerror (icalerrno));
      return NULL;
    }

  ret = g_strdup (ical_text);
  icalmemory_free_buffer (ical_text);

  return ret;
}

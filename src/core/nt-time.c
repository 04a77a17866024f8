/* nt-time.c: instants, fiscal years, terms and time grids
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-time"

#include "config.h"

#include <string.h>

#include "nt-i18n.h"
#include "nt-time.h"

#define FACILITY_ZONE "Asia/Tokyo"

/* Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
 * well-known civil-date algorithm, written out here). */
static gint64
days_from_civil (gint64 y,
                 int    m,
                 int    d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void
civil_from_days (gint64  z,
                 gint64 *y,
                 int    *m,
                 int    *d)
{
  gint64 era, doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (int) (doy - (153 * mp + 2) / 5 + 1);
  *m = (int) (mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static gint64
floor_mod (gint64 a,
           gint64 b)
{
  gint64 r = a % b;

  return r < 0 ? r + b : r;
}

static gboolean
read_digits (const char *s,
             int         n,
             int        *out)
{
  int v = 0;

  for (int i = 0; i < n; i++)
    {
      if (s[i] < '0' || s[i] > '9')
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

static gboolean
parse_ymd (const char *s,
           int        *y,
           int        *m,
           int        *d)
{
  if (!read_digits (s, 4, y) || s[4] != '-' ||
      !read_digits (s + 5, 2, m) || s[7] != '-' ||
      !read_digits (s + 8, 2, d))
    return FALSE;
  if (*y < 1 || *m < 1 || *m > 12 || *d < 1)
    return FALSE;
  return *d <= g_date_get_days_in_month ((GDateMonth) *m, (GDateYear) *y);
}

static gint64
zone_offset (gint64 t)
{
  GTimeZone *tz = nt_time_get_zone ();
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, t);

  return g_time_zone_get_offset (tz, interval);
}

GTimeZone *
nt_time_get_zone (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    {
      GTimeZone *tz = g_time_zone_new_identifier (FACILITY_ZONE);

      /* Without tzdata the zone database cannot answer; JST has had no
       * transitions since 1951, so its standard offset is the only
       * faithful stand-in. */
      if (tz == NULL)
        {
          g_message ("Time zone %s not found; using its standard offset", FACILITY_ZONE);
          tz = g_time_zone_new_offset (9 * 3600);
        }
      g_once_init_leave (&zone, tz);
    }
  return zone;
}

gboolean
nt_time_parse_iso (const char *str,
                   gint64     *out)
{
  int y, mo, d, h, mi, s;

  g_return_val_if_fail (out != NULL, FALSE);

  if (str == NULL || strlen (str) != NT_TIME_ISO_LEN)
    return FALSE;
  if (!parse_ymd (str, &y, &mo, &d) || str[10] != 'T' ||
      !read_digits (str + 11, 2, &h) || str[13] != ':' ||
      !read_digits (str + 14, 2, &mi) || str[16] != ':' ||
      !read_digits (str + 17, 2, &s) || str[19] != 'Z')
    return FALSE;
  if (h > 23 || mi > 59 || s > 59)
    return FALSE;

  *out = days_from_civil (y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
  return TRUE;
}

void
nt_time_format_iso_buf (gint64 t,
                        char   buf[NT_TIME_ISO_LEN + 1])
{
  gint64 days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  gint64 secs = t - days * 86400;
  gint64 y;
  int m, d;

  civil_from_days (days, &y, &m, &d);
  g_snprintf (buf, NT_TIME_ISO_LEN + 1, "%04d-%02d-%02dT%02d:%02d:%02dZ",
              (int) CLAMP (y, 0, 9999), m, d,
              (int) (secs / 3600), (int) (secs / 60 % 60), (int) (secs % 60));
}

char *
nt_time_format_iso (gint64 t)
{
  char buf[NT_TIME_ISO_LEN + 1];

  nt_time_format_iso_buf (t, buf);
  return g_strdup (buf);
}

gboolean
nt_time_parse_date (const char *str,
                    GDate      *out)
{
  int y, m, d;

  g_return_val_if_fail (out != NULL, FALSE);

  if (str == NULL || strlen (str) != 10 || !parse_ymd (str, &y, &m, &d))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

gint64
nt_time_from_local (int year,
                    int month,
                    int day,
                    int hour,
                    int minute)
{
  g_autoptr(GDateTime) dt = g_date_time_new (nt_time_get_zone (), year, month, day,
                                             hour, minute, 0);

  g_return_val_if_fail (dt != NULL, 0);
  return g_date_time_to_unix (dt);
}

GDateTime *
nt_time_to_local (gint64 t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);

  g_return_val_if_fail (utc != NULL, NULL);
  return g_date_time_to_timezone (utc, nt_time_get_zone ());
}

/* Day and month names in the console's language, not LC_TIME's: a
 * Japanese console on a machine whose time locale is English (or the
 * kiosk showing Japanese on an English one) must not say "11月30日(Mon)".
 * @day is 1 (Monday) to 7, @month 1 to 12, as GDateTime counts them. */
static const char *
weekday_name (int      day,
              gboolean full)
{
  switch (day)
    {
    case 1: return full ? C_("weekday", "Monday") : C_("weekday", "Mon");
    case 2: return full ? C_("weekday", "Tuesday") : C_("weekday", "Tue");
    case 3: return full ? C_("weekday", "Wednesday") : C_("weekday", "Wed");
    case 4: return full ? C_("weekday", "Thursday") : C_("weekday", "Thu");
    case 5: return full ? C_("weekday", "Friday") : C_("weekday", "Fri");
    case 6: return full ? C_("weekday", "Saturday") : C_("weekday", "Sat");
    case 7: return full ? C_("weekday", "Sunday") : C_("weekday", "Sun");
    default: g_return_val_if_reached ("");
    }
}

static const char *
month_name (int      month,
            gboolean full)
{
  switch (month)
    {
    case 1: return full ? C_("month", "January") : C_("month", "Jan");
    case 2: return full ? C_("month", "February") : C_("month", "Feb");
    case 3: return full ? C_("month", "March") : C_("month", "Mar");
    case 4: return full ? C_("month", "April") : C_("month", "Apr");
    case 5: return C_("month", "May");
    case 6: return full ? C_("month", "June") : C_("month", "Jun");
    case 7: return full ? C_("month", "July") : C_("month", "Jul");
    case 8: return full ? C_("month", "August") : C_("month", "Aug");
    case 9: return full ? C_("month", "September") : C_("month", "Sep");
    case 10: return full ? C_("month", "October") : C_("month", "Oct");
    case 11: return full ? C_("month", "November") : C_("month", "Nov");
    case 12: return full ? C_("month", "December") : C_("month", "Dec");
    default: g_return_val_if_reached ("");
    }
}

char *
nt_time_format_local (gint64      t,
                      const char *format)
{
  g_autoptr(GDateTime) local = nt_time_to_local (t);
  g_autoptr(GString) expanded = NULL;

  g_return_val_if_fail (local != NULL, NULL);
  g_return_val_if_fail (format != NULL, NULL);

  /* The names go in as text (with any '%' doubled); every other
   * conversion is GLib's. */
  expanded = g_string_sized_new (strlen (format) + 16);
  for (const char *p = format; *p != '\0'; p++)
    {
      const char *name = NULL;

      if (p[0] != '%' || p[1] == '\0')
        {
          g_string_append_c (expanded, *p);
          continue;
        }

      switch (p[1])
        {
        case 'a':
          name = weekday_name (g_date_time_get_day_of_week (local), FALSE);
          break;
        case 'A':
          name = weekday_name (g_date_time_get_day_of_week (local), TRUE);
          break;
        case 'b':
        case 'h':
          name = month_name (g_date_time_get_month (local), FALSE);
          break;
        case 'B':
          name = month_name (g_date_time_get_month (local), TRUE);
          break;
        default:
          break;
        }

      if (name != NULL)
        {
          for (const char *c = name; *c != '\0'; c++)
            {
              if (*c == '%')
                g_string_append_c (expanded, '%');
              g_string_append_c (expanded, *c);
            }
        }
      else
        g_string_append_len (expanded, p, 2);
      p++;
    }

  return g_date_time_format (local, expanded->str);
}

int
nt_time_fiscal_year_of (gint64 t)
{
  g_autoptr(GDateTime) local = nt_time_to_local (t);
  int year = g_date_time_get_year (local);

  return g_date_time_get_month (local) >= 4 ? year : year - 1;
}

void
nt_time_fiscal_year_bounds (int     fiscal_year,
                            gint64 *start,
                            gint64 *end)
{
  if (start != NULL)
    *start = nt_time_from_local (fiscal_year, 4, 1, 0, 0);
  if (end != NULL)
    *end = nt_time_from_local (fiscal_year + 1, 4, 1, 0, 0);
}

NtTerm
nt_time_term_of (gint64  t,
                 int    *fiscal_year)
{
  g_autoptr(GDateTime) local = nt_time_to_local (t);
  int month = g_date_time_get_month (local);
  int year = g_date_time_get_year (local);

  if (fiscal_year != NULL)
    *fiscal_year = month >= 4 ? year : year - 1;
  return (month >= 4 && month <= 9) ? NT_TERM_A : NT_TERM_B;
}

void
nt_time_term_bounds (int     fiscal_year,
                     NtTerm  term,
                     gint64 *start,
                     gint64 *end)
{
  if (term == NT_TERM_A)
    {
      if (start != NULL)
        *start = nt_time_from_local (fiscal_year, 4, 1, 0, 0);
      if (end != NULL)
        *end = nt_time_from_local (fiscal_year, 10, 1, 0, 0);
    }
  else
    {
      if (start != NULL)
        *start = nt_time_from_local (fiscal_year, 10, 1, 0, 0);
      if (end != NULL)
        *end = nt_time_from_local (fiscal_year + 1, 4, 1, 0, 0);
    }
}

char *
nt_time_term_name (int    fiscal_year,
                   NtTerm term)
{
  return g_strdup_printf ("%04d%c", fiscal_year, term == NT_TERM_A ? 'A' : 'B');
}

gboolean
nt_time_parse_term (const char *str,
                    int        *fiscal_year,
                    NtTerm     *term)
{
  int y;

  if (str == NULL || strlen (str) != 5 || !read_digits (str, 4, &y) || y < 1)
    return FALSE;
  if (str[4] != 'A' && str[4] != 'B')
    return FALSE;
  if (fiscal_year != NULL)
    *fiscal_year = y;
  if (term != NULL)
    *term = str[4] == 'A' ? NT_TERM_A : NT_TERM_B;
  return TRUE;
}

gboolean
nt_time_grid_is_valid (const NtTimeGrid *grid)
{
  return grid != NULL &&
         grid->length_minutes > 0 && 1440 % grid->length_minutes == 0 &&
         grid->anchor_minute >= 0 && grid->anchor_minute < 1440;
}

/* "HH:MM/8h" or "HH:MM/30m" */
gboolean
nt_time_grid_parse (const char *str,
                    NtTimeGrid *grid)
{
  NtTimeGrid g;
  int h, m;
  char *end = NULL;
  gint64 n;

  g_return_val_if_fail (grid != NULL, FALSE);

  if (str == NULL || strlen (str) < 8 ||
      !read_digits (str, 2, &h) || str[2] != ':' || !read_digits (str + 3, 2, &m) ||
      str[5] != '/' || h > 23 || m > 59)
    return FALSE;
  if (str[6] < '0' || str[6] > '9')
    return FALSE;
  n = g_ascii_strtoll (str + 6, &end, 10);
  if (end == NULL || n <= 0 || n > 1440)
    return FALSE;
  if (g_str_equal (end, "h"))
    n *= 60;
  else if (!g_str_equal (end, "m"))
    return FALSE;

  g.length_minutes = (int) n;
  g.anchor_minute = h * 60 + m;
  if (!nt_time_grid_is_valid (&g))
    return FALSE;
  *grid = g;
  return TRUE;
}

char *
nt_time_grid_to_string (const NtTimeGrid *grid)
{
  g_return_val_if_fail (nt_time_grid_is_valid (grid), NULL);

  if (grid->length_minutes % 60 == 0)
    return g_strdup_printf ("%02d:%02d/%dh", grid->anchor_minute / 60, grid->anchor_minute % 60,
                            grid->length_minutes / 60);
  return g_strdup_printf ("%02d:%02d/%dm", grid->anchor_minute / 60, grid->anchor_minute % 60,
                          grid->length_minutes);
}

/* Seconds from the last grid boundary at or before @t. */
static gint64
grid_remainder (const NtTimeGrid *grid,
                gint64            t)
{
  gint64 local = t + zone_offset (t);

  return floor_mod (local - (gint64) grid->anchor_minute * 60,
                    (gint64) grid->length_minutes * 60);
}

gboolean
nt_time_grid_is_on_grid (const NtTimeGrid *grid,
                         gint64            t)
{
  g_return_val_if_fail (nt_time_grid_is_valid (grid), FALSE);
  return grid_remainder (grid, t) == 0;
}

gint64
nt_time_grid_floor (const NtTimeGrid *grid,
                    gint64            t)
{
  g_return_val_if_fail (nt_time_grid_is_valid (grid), t);
  return t - grid_remainder (grid, t);
}

gint64
nt_time_grid_ceil (const NtTimeGrid *grid,
                   gint64            t)
{
  gint64 r;

  g_return_val_if_fail (nt_time_grid_is_valid (grid), t);
  r = grid_remainder (grid, t);
  return r == 0 ? t : t - r + (gint64) grid->length_minutes * 60;
}

gint64
nt_time_grid_nearest (const NtTimeGrid *grid,
                      gint64            t)
{
  gint64 lo, hi;

  g_return_val_if_fail (nt_time_grid_is_valid (grid), t);
  lo = nt_time_grid_floor (grid, t);
  hi = nt_time_grid_ceil (grid, t);
  return (t - lo) < (hi - t) ? lo : hi;
}

gint64
nt_time_grid_count (const NtTimeGrid *grid,
                    gint64            start,
                    gint64            end)
{
  g_return_val_if_fail (nt_time_grid_is_valid (grid), -1);

  if (end < start || !nt_time_grid_is_on_grid (grid, start) ||
      !nt_time_grid_is_on_grid (grid, end))
    return -1;
  return (end - start) / ((gint64) grid->length_minutes * 60);
}

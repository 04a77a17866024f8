/* test-ics.c: the iCalendar builder, read back with libical
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-ics"

#include "config.h"

#include <string.h>

#include <libical/ical.h>

#include "nt-ics.h"
#include "test-instants.h"

/* 2026-04-07T00:00:00Z and friends */
#define T0 G_GINT64_CONSTANT (1775520000)
#define HOUR 3600

static const char *tricky_summary = "BL07U, coalition; 東北大学 \"X\" \\ back";
static const char *tricky_description =
  "Line one, with a comma; and a semicolon\n"
  "二行目：軟X線電子状態解析（ソフトX線）を使った長い説明文です。折り返しが多バイト文字の途中で起きないことを確かめます。\n"
  "third line \\ backslash";

static icalcomponent *
parse_calendar (const char *text)
{
  icalcomponent *cal = icalparser_parse_string (text);

  g_assert_nonnull (cal);
  g_assert_cmpint (icalcomponent_isa (cal), ==, ICAL_VCALENDAR_COMPONENT);
  return cal;
}

static guint
count_errors (icalcomponent *comp)
{
  guint n = icalcomponent_count_errors (comp);
  return n;
}

static void
test_ics_roundtrip (void)
{
  NtIcsEvent events[] = {
    { "allocation-345@nanoterasu.example", tricky_summary, tricky_description,
      "BL07U", T0 + 9 * HOUR, T0 + 17 * HOUR, 3, T0 - 86400 },
    { "period-12@nanoterasu.example", "User operation", NULL, NULL,
      T0, T0 + 7 * 24 * HOUR, 0, T0 - 2 * 86400 },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  icalcomponent *cal;
  icalcomponent *ev;
  guint n = 0;

  text = nt_ics_build_calendar ("NanoTerasu – BL07U", events, G_N_ELEMENTS (events), &error);
  g_assert_no_error (error);
  g_assert_nonnull (text);

  g_assert_true (g_str_has_prefix (text, "BEGIN:VCALENDAR\r\n"));
  g_assert_true (g_str_has_suffix (text, "END:VCALENDAR\r\n"));
  g_assert_nonnull (strstr (text, "\r\nVERSION:2.0\r\n"));
  g_assert_nonnull (strstr (text, "\r\nMETHOD:PUBLISH\r\n"));
  g_assert_nonnull (strstr (text, "\r\nPRODID:"));
  /* UTC times in the basic format with Z */
  g_assert_nonnull (strstr (text, "\r\nDTSTART:20260407T090000Z\r\n"));
  g_assert_nonnull (strstr (text, "\r\nDTEND:20260407T170000Z\r\n"));
  g_assert_nonnull (strstr (text, "\r\nDTSTAMP:20260406T000000Z\r\n"));
  g_assert_nonnull (strstr (text, "\r\nSEQUENCE:3\r\n"));
  /* text escaped, not written raw */
  g_assert_nonnull (strstr (text, "SUMMARY:BL07U\\, coalition\\; "));
  g_assert_null (strstr (text, "and a semicolon\n"));

  cal = parse_calendar (text);
  g_assert_cmpuint (count_errors (cal), ==, 0);
  g_assert_cmpint (icalcomponent_get_method (cal), ==, ICAL_METHOD_PUBLISH);

  for (ev = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT);
       ev != NULL;
       ev = icalcomponent_get_next_component (cal, ICAL_VEVENT_COMPONENT), n++)
    {
      const NtIcsEvent *want = &events[n];
      struct icaltimetype dtstart = icalcomponent_get_dtstart (ev);
      struct icaltimetype dtend = icalcomponent_get_dtend (ev);
      struct icaltimetype dtstamp = icalcomponent_get_dtstamp (ev);
      icaltimezone *utc = icaltimezone_get_utc_timezone ();
      icalproperty *seq;

      g_assert_cmpuint (n, <, G_N_ELEMENTS (events));
      g_assert_cmpstr (icalcomponent_get_uid (ev), ==, want->uid);
      g_assert_cmpstr (icalcomponent_get_summary (ev), ==, want->summary);
      if (want->description != NULL)
        g_assert_cmpstr (icalcomponent_get_description (ev), ==, want->description);
      else
        g_assert_null (icalcomponent_get_first_property (ev, ICAL_DESCRIPTION_PROPERTY));
      if (want->location != NULL)
        g_assert_cmpstr (icalcomponent_get_location (ev), ==, want->location);

      g_assert_true (icaltime_is_utc (dtstart));
      g_assert_true (icaltime_is_utc (dtend));
      g_assert_cmpint (icaltime_as_timet_with_zone (dtstart, utc), ==, want->start);
      g_assert_cmpint (icaltime_as_timet_with_zone (dtend, utc), ==, want->end);
      g_assert_cmpint (icaltime_as_timet_with_zone (dtstamp, utc), ==, want->dtstamp);

      seq = icalcomponent_get_first_property (ev, ICAL_SEQUENCE_PROPERTY);
      g_assert_nonnull (seq);
      g_assert_cmpint (icalproperty_get_sequence (seq), ==, (int)want->sequence);
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (events));

  icalcomponent_free (cal);
}

static void
test_ics_folding (void)
{
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean folded = FALSE;
  icalcomponent *cal;
  icalcomponent *ev;
  NtIcsEvent event = { "fold-test", NULL, NULL, NULL, T0, T0 + HOUR, 0, T0 };

  for (guint i = 0; i < 40; i++)
    g_string_append (long_text, "放射光施設ナノテラス, ");
  /* libical's parser drops trailing blanks of a line: end on text */
  g_string_append (long_text, "終");
  event.summary = long_text->str;

  text = nt_ics_build_calendar (NULL, &event, 1, &error);
  g_assert_no_error (error);

  /* every physical line ends CRLF, is at most 75 octets, and is valid UTF-8
   * on its own: folds never split a multi-byte character */
  g_assert_true (g_str_has_suffix (text, "\r\n"));
  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_null (strchr (lines[i], '\n'));
      g_assert_null (strchr (lines[i], '\r'));
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
      if (lines[i][0] == ' ')
        folded = TRUE;
    }
  g_assert_true (folded);

  cal = parse_calendar (text);
  ev = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT);
  g_assert_nonnull (ev);
  g_assert_cmpstr (icalcomponent_get_summary (ev), ==, long_text->str);
  icalcomponent_free (cal);
}

static void
test_ics_stable (void)
{
  NtIcsEvent events[] = {
    { "allocation-1@nanoterasu.example", "A", NULL, NULL, T0, T0 + 8 * HOUR, 0, T0 },
    { "allocation-2@nanoterasu.example", "B", NULL, NULL, T0 + 8 * HOUR, T0 + 16 * HOUR, 1, T0 },
  };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *changed = NULL;
  icalcomponent *cal;
  icalcomponent *ev;

  first = nt_ics_build_calendar ("plan", events, 2, NULL);
  second = nt_ics_build_calendar ("plan", events, 2, NULL);
  g_assert_nonnull (first);
  /* same input, same bytes: a subscriber sees no spurious change */
  g_assert_cmpstr (first, ==, second);

  /* a change moves the event, keeps its UID and raises SEQUENCE */
  events[1].start += HOUR;
  events[1].sequence = 2;
  events[1].dtstamp = T0 + 60;
  changed = nt_ics_build_calendar ("plan", events, 2, NULL);
  cal = parse_calendar (changed);
  ev = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT);
  ev = icalcomponent_get_next_component (cal, ICAL_VEVENT_COMPONENT);
  g_assert_cmpstr (icalcomponent_get_uid (ev), ==, "allocation-2@nanoterasu.example");
  g_assert_cmpint (icalproperty_get_sequence (icalcomponent_get_first_property (ev, ICAL_SEQUENCE_PROPERTY)), ==, 2);
  g_assert_cmpint (icaltime_as_timet_with_zone (icalcomponent_get_dtstart (ev),
                                                icaltimezone_get_utc_timezone ()),
                   ==, T0 + 9 * HOUR);
  icalcomponent_free (cal);
}

static void
test_ics_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = nt_ics_build_calendar ("nothing", NULL, 0, &error);
  icalcomponent *cal;

  g_assert_no_error (error);
  cal = parse_calendar (text);
  g_assert_null (icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT));
  g_assert_nonnull (strstr (text, "X-WR-CALNAME:nothing\r\n"));
  icalcomponent_free (cal);
}

static void
test_ics_invalid (void)
{
  struct {
    NtIcsEvent  event;
    const char *field;
  } cases[] = {
    { { NULL, "s", NULL, NULL, T0, T0 + 1, 0, T0 }, "uid" },
    { { "", "s", NULL, NULL, T0, T0 + 1, 0, T0 }, "uid" },
    { { "a\nb", "s", NULL, NULL, T0, T0 + 1, 0, T0 }, "uid" },
    { { "u", NULL, NULL, NULL, T0, T0 + 1, 0, T0 }, "summary" },
    { { "u", "s\xff", NULL, NULL, T0, T0 + 1, 0, T0 }, "summary" },
    { { "u", "s", "\xc3", NULL, T0, T0 + 1, 0, T0 }, "description" },
    { { "u", "s", NULL, NULL, T0, T0, 0, T0 }, "end" },
    { { "u", "s", NULL, NULL, T0, T0 - 1, 0, T0 }, "end" },
    { { "u", "s", NULL, NULL, -5, T0, 0, T0 }, "start" },
    { { "u", "s", NULL, NULL, T0, T0 + 1, 0, -1 }, "dtstamp" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      NtIcsEvent events[2] = {
        { "ok", "fine", NULL, NULL, T0, T0 + 1, 0, T0 },
        cases[i].event,
      };
      g_autoptr(GError) error = NULL;
      g_autofree char *text = nt_ics_build_calendar ("x", events, 2, &error);

      g_assert_null (text);
      g_assert_error (error, NT_ICS_ERROR, NT_ICS_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "event 1"));
      g_assert_nonnull (strstr (error->message, cases[i].field));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add_func ("/ics/roundtrip", test_ics_roundtrip);
  g_test_add_func ("/ics/folding", test_ics_folding);
  g_test_add_func ("/ics/stable", test_ics_stable);
  g_test_add_func ("/ics/empty", test_ics_empty);
  g_test_add_func ("/ics/invalid", test_ics_invalid);

  return g_test_run ();
}

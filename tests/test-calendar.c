/* test-calendar.c: the calendar sweep.  At each named instant of
 * test-instants.h, the reference services and the console's views are
 * started with the clock set there, and each shows what that phase of the
 * run plan must show: the ring (beam, top-up), the booking rules, the
 * overview, the beamline cards, the run-plan timeline and the kiosk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "client-test-util.h"
#include "ui-test-util.h"
#include "nt-auth.h"
#include "nt-beam-panel.h"
#include "nt-beamline-card.h"
#include "nt-connection-indicator.h"
#include "nt-context.h"
#include "nt-kiosk-window.h"
#include "nt-overview-page.h"
#include "nt-run-plan.h"
#include "nt-schedule-service.h"
#include "nt-schedule-page.h"
#include "nt-timeline.h"
#include "test-instants.h"

typedef struct
{
  const char   *name;
  const char   *instant;
  NtPeriodKind  kind;          /* the plan's phase at the instant */
  const char   *mode_words;    /* what the beam panel says of it */
  int           fiscal_year;
} Sweep;

static const Sweep sweeps[] = {
  { "user-operation", NT_TEST_USER_OPERATION, NT_PERIOD_USER_OPERATION, "User operation", 2026 },
  { "maintenance", NT_TEST_MAINTENANCE, NT_PERIOD_MAINTENANCE, "Maintenance", 2026 },
  { "machine-study", NT_TEST_MACHINE_STUDY, NT_PERIOD_MACHINE_STUDY, "Machine study", 2026 },
  { "shutdown", NT_TEST_SHUTDOWN, NT_PERIOD_SHUTDOWN, "Shutdown", 2026 },
  { "fy-turn", NT_TEST_FY_TURN, NT_PERIOD_MAINTENANCE, "Maintenance", 2026 },
  { "term-turn", NT_TEST_TERM_TURN, NT_PERIOD_USER_OPERATION, "User operation", 2026 },
  { "new-year", NT_TEST_NEW_YEAR, NT_PERIOD_SHUTDOWN, "Shutdown", 2026 },
  { "leap-day", NT_TEST_LEAP_DAY, NT_PERIOD_MACHINE_STUDY, "Machine study", 2027 },
  { "fy2030", NT_TEST_FY2030, NT_PERIOD_USER_OPERATION, "User operation", 2030 },
};

typedef struct
{
  guint     status;
  char     *body;
  gboolean  done;
} Reply;

static void
reply_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Reply *r = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  g_assert_no_error (error);
  r->status = soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (source), result));
  r->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  r->done = TRUE;
}

/* POST /api/v1/allocations: a staff booking of @station from @start, 8 h. */
static void
book (TestFacility *tf,
      const char   *token,
      const char   *station,
      gint64        start,
      Reply        *r)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (tf->base_uri, "api/v1/allocations", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *from = nt_time_format_iso (start);
  g_autofree char *to = nt_time_format_iso (start + 8 * 3600);
  g_autofree char *body = g_strdup_printf ("{\"station\":\"%s\",\"start\":\"%s\",\"end\":\"%s\","
                                           "\"slot\":\"staff\",\"status\":\"confirmed\"}",
                                           station, from, to);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  g_clear_pointer (&r->body, g_free);
  r->done = FALSE;
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, reply_cb, r);
  g_assert_true (SPIN_UNTIL (r->done, 10000));
}

/* The ring follows the plan at the clock's instant. */
static void
check_ring (TestFacility *tf,
            const Sweep  *sw)
{
  NtRingSim *sim = nt_facility_get_ring_sim (tf->facility);
  double current = nt_ring_sim_get_current (sim);

  g_test_message ("%s: ring at %" G_GINT64_FORMAT ", %.1f mA, %s, top-up in %.0f s", sw->name,
                  nt_ring_sim_get_time (sim), current, nt_ring_mode_to_label (nt_ring_sim_get_mode (sim)),
                  nt_ring_sim_get_topup_countdown (sim));
  /* The simulator stands at the clock's instant (not at another day's): it
   * steps on its own timer, which a loaded sanitizer build left 21 s
   * behind the clock once, so the bound is a minute there. */
  g_assert_cmpint (ABS (nt_ring_sim_get_time (sim) - nt_clock_now ()), <=,
                   (gint64) (nt_test_wait_factor () > 1 ? 60 : 5));
  if (nt_period_kind_has_beam (sw->kind))
    g_assert_cmpfloat (current, >, 10.0);
  else
    g_assert_cmpfloat (current, <, 1.0);
  /* Top-up keeps user operation's current in its band; without beam
   * there is nothing to count down to. */
  if (sw->kind == NT_PERIOD_USER_OPERATION)
    g_assert_cmpfloat (ABS (current - NT_RING_SIM_NOMINAL_CURRENT_MA), <, 0.02 * NT_RING_SIM_NOMINAL_CURRENT_MA);
  else if (!nt_period_kind_has_beam (sw->kind))
    g_assert_false (nt_ring_sim_get_topup_countdown (sim) > 0.0);
}

/* Booking the next shift: refused with the rule's words when the plan has
 * no user operation then, accepted in user operation (on the first free
 * shift: the demo has most of them booked). */
static void
check_rules (TestFacility *tf,
             const Sweep  *sw)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = nt_auth_token_create (nt_facility_get_db (tf->facility), NT_ROLE_ADMIN,
                                                 "Calendar sweep", &error);
  NtTimeGrid grid = NT_TIME_GRID_SHIFT_DEFAULT;
  gint64 t = nt_time_grid_floor (&grid, nt_clock_now ());
  Reply r = { 0 };

  g_assert_no_error (error);
  if (sw->kind != NT_PERIOD_USER_OPERATION)
    {
      book (tf, token, "BL10U", t, &r);
      g_test_message ("%s: booking now: %u %s", sw->name, r.status, r.body);
      g_assert_cmpuint (r.status, ==, 409);
      g_assert_nonnull (strstr (r.body, "\"outside_user_operation\""));
      g_assert_nonnull (strstr (r.body, "Beam time must lie inside user-operation periods of the run plan"));
    }
  else
    {
      for (guint i = 0; i < 12; i++, t += 8 * 3600)
        {
          book (tf, token, "BL10U", t, &r);
          g_assert_null (strstr (r.body, "outside_user_operation"));
          if (r.status == 201)
            break;
          g_assert_cmpuint (r.status, ==, 409);
          g_assert_nonnull (strstr (r.body, "\"overlap\""));
        }
      g_test_message ("%s: booked at %" G_GINT64_FORMAT ": %u", sw->name, t, r.status);
      g_assert_cmpuint (r.status, ==, 201);
    }
  g_free (r.body);
}

static void
check_views (TestFacility *tf,
             const Sweep  *sw)
{
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  g_autoptr(NtContext) context = nt_context_new (settings, tf->base_uri);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = nt_auth_token_create (nt_facility_get_db (tf->facility), NT_ROLE_VIEWER,
                                                 "Calendar sweep views", &error);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  NtOverviewPage *overview;
  NtSchedulePage *plan;
  NtKioskWindow *kiosk;
  NtBeamPanel *panel;
  NtBeamlineCard *card;
  GtkWidget *indicator;
  const char *now_next, *kiosk_plan;
  gint64 from, to, now;

  g_assert_no_error (error);
  nt_context_set_token (context, token);
  overview = NT_OVERVIEW_PAGE (nt_overview_page_new (context));
  plan = NT_SCHEDULE_PAGE (nt_schedule_page_new (context, NT_TIMELINE_EDIT_PLAN));
  indicator = nt_connection_indicator_new (context);
  gtk_box_append (GTK_BOX (box), indicator);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (overview));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (plan));
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  gtk_window_present (GTK_WINDOW (window));
  kiosk = nt_kiosk_window_new (NULL, context);
  gtk_window_set_default_size (GTK_WINDOW (kiosk), 1280, 800);
  gtk_window_present (GTK_WINDOW (kiosk));
  nt_context_start (context);
  g_assert_true (SPIN_UNTIL (nt_context_get_state (context) == NT_CONTEXT_READY, 10000));

  /* Overview: the phase now, in words ("Shutdown"). */
  g_assert_true (SPIN_UNTIL (strstr (nt_overview_page_get_now_next_text (overview), sw->mode_words) != NULL, 15000));
  now_next = nt_overview_page_get_now_next_text (overview);
  g_test_message ("%s: overview “%s”", sw->name, now_next);
  g_assert_true (g_str_has_prefix (strstr (now_next, sw->mode_words), sw->mode_words));

  /* Kiosk: the beam panel names the phase; the plan page lists the week. */
  panel = NT_BEAM_PANEL (ui_test_find_widget (GTK_WIDGET (kiosk), NT_TYPE_BEAM_PANEL));
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_beam_panel_get_mode_text (panel), sw->mode_words) == 0 ||
                             g_strcmp0 (nt_beam_panel_get_mode_text (panel), "—") != 0, 15000));
  g_test_message ("%s: kiosk mode “%s”, current “%s”", sw->name, nt_beam_panel_get_mode_text (panel),
                  nt_beam_panel_get_current_text (panel));
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_beam_panel_get_mode_text (panel), sw->mode_words) == 0, 15000));
  /* A top-up countdown only with beam to top up. */
  g_test_message ("%s: next top-up “%s”", sw->name, nt_beam_panel_get_topup_text (panel));
  if (nt_period_kind_has_beam (sw->kind))
    g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_beam_panel_get_topup_text (panel), "—") != 0, 10000));
  else
    g_assert_cmpstr (nt_beam_panel_get_topup_text (panel), ==, "—");
  g_assert_true (SPIN_UNTIL (nt_kiosk_window_get_plan_text (kiosk) != NULL &&
                             strlen (nt_kiosk_window_get_plan_text (kiosk)) > 0, 15000));
  kiosk_plan = nt_kiosk_window_get_plan_text (kiosk);
  g_test_message ("%s: kiosk plan:\n%s", sw->name, kiosk_plan);

  /* Cards: a station's booking now is what the store has now. */
  card = NT_BEAMLINE_CARD (ui_test_find_widget (GTK_WIDGET (overview), NT_TYPE_BEAMLINE_CARD));
  g_assert_nonnull (card);
  g_assert_true (SPIN_UNTIL (nt_beamline_card_get_no_beam (card) == !nt_period_kind_has_beam (sw->kind), 15000));

  /* Run plan: the fiscal year of the instant, with now in view. */
  g_assert_true (SPIN_UNTIL (nt_schedule_page_is_loaded (plan), 20000));
  g_assert_cmpint (nt_schedule_page_get_fiscal_year (plan), ==, sw->fiscal_year);
  nt_timeline_get_view (nt_schedule_page_get_timeline (plan), &from, &to);
  now = nt_clock_now ();
  g_test_message ("%s: timeline %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT ", now %" G_GINT64_FORMAT,
                  sw->name, from, to, now);
  g_assert_cmpint (from, <=, now);
  g_assert_cmpint (to, >=, now);
  g_assert_cmpuint (nt_timeline_get_n_items (nt_schedule_page_get_timeline (plan), NT_TYPE_RUN_PERIOD), >, 0);

  /* The header bar says when the console is not at the computer's time
   * (it is, if the computer's clock happens to be at the instant). */
  if (nt_clock_differs_from_real (nt_clock_get_default (), 60 * G_USEC_PER_SEC))
    g_assert_true (g_str_has_prefix (nt_connection_indicator_get_time_text (NT_CONNECTION_INDICATOR (indicator)),
                                     "Facility time: "));
  else
    g_assert_cmpstr (nt_connection_indicator_get_time_text (NT_CONNECTION_INDICATOR (indicator)), ==, "");

  nt_context_shutdown (context);
  nt_kiosk_window_exit (kiosk);
  gtk_window_destroy (GTK_WINDOW (window));
  spin_for (200);
}

static void
test_sweep (gconstpointer data)
{
  const Sweep *sw = data;
  TestFacility *tf;
  const NtPeriodSpan *span;
  g_autoptr(GArray) demo = NULL;

  nt_test_clock_run_from (sw->instant, 1.0);
  /* The instant is where the named phase is. */
  demo = nt_demo_plan_build (nt_time_fiscal_year_of (nt_clock_now ()));
  span = nt_run_plan_lookup (demo, nt_clock_now ());
  g_assert_nonnull (span);
  g_assert_cmpint (span->kind, ==, sw->kind);
  g_assert_cmpint (nt_time_fiscal_year_of (nt_clock_now ()), ==, sw->fiscal_year);

  tf = test_facility_start ();
  check_ring (tf, sw);
  check_rules (tf, sw);
  check_views (tf, sw);
  test_facility_free (tf);
}

/* Across the fiscal-year turn: the clock runs from 31 March 23:30 over
 * midnight, and the ring, the store and the timeline go with it into the
 * new year's inspection. */
static void
test_fiscal_year_turn (void)
{
  TestFacility *tf;
  g_autoptr(GArray) plan = NULL;

  nt_test_clock_run_from (NT_TEST_FY_TURN, 1.0);
  tf = test_facility_start ();
  g_assert_cmpint (nt_ring_mode_to_label (nt_ring_sim_get_mode (nt_facility_get_ring_sim (tf->facility)))[0], !=, 0);
  /* The store holds the year that begins, already at the first start. */
  plan = nt_schedule_service_dup_plan (nt_facility_get_schedule_service (tf->facility));
  g_assert_nonnull (nt_run_plan_lookup (plan, nt_clock_now () + 3600));
  g_assert_cmpint (nt_run_plan_lookup (plan, nt_clock_now () + 3600)->kind, ==, NT_PERIOD_INSPECTION);

  /* An hour on, at 600 times the rate: the ring is in the new year. */
  nt_clock_set_scaled (nt_clock_get_default (), nt_clock_now_us (), 600.0);
  g_assert_true (SPIN_UNTIL (nt_ring_sim_get_time (nt_facility_get_ring_sim (tf->facility)) >=
                             nt_test_instant (NT_TEST_FY_TURN) / G_USEC_PER_SEC + 3600, 30000));
  g_assert_cmpint (nt_time_fiscal_year_of (nt_ring_sim_get_time (nt_facility_get_ring_sim (tf->facility))), ==, 2027);
  g_assert_cmpfloat (nt_ring_sim_get_current (nt_facility_get_ring_sim (tf->facility)), <, 1.0);
  test_facility_free (tf);
}

/* A training room: the facility replays a day of FY2030 while the
 * console's own clock is elsewhere (here, December 2026).  The profile carries the
 * services' time; the console follows it, says so in the header bar, and
 * gets its own back when the context goes. */
static void
test_follow_facility (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("jp.nanoterasu.Console");
  g_autoptr(NtClock) facility_clock = nt_clock_new_scaled (nt_test_instant (NT_TEST_FY2030), 1.0);
  g_autoptr(GError) error = NULL;
  TestFacility *tf = g_new0 (TestFacility, 1);
  NtFacilityOptions options = { 0 };
  NtContext *context;
  NtSchedulePage *plan;
  GtkWidget *indicator;
  g_autoptr(JsonNode) profile = NULL;
  g_autofree char *token = NULL;
  JsonObject *clock;
  gint64 now_us = 0;

  nt_test_clock_run_from (NT_TEST_MAINTENANCE, 1.0);
  tf->dir = g_dir_make_tmp ("nt-calendar-XXXXXX", &error);
  tf->db_path = g_build_filename (tf->dir, "facility.db", NULL);
  options.db_path = tf->db_path;
  options.seed = 5;
  options.clock = facility_clock;
  tf->facility = nt_facility_new (&options, &error);
  g_assert_no_error (error);
  nt_facility_listen (tf->facility, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  tf->base_uri = nt_facility_dup_base_uri (tf->facility);

  /* The profile says what time the services keep. */
  profile = nt_facility_build_profile (tf->facility);
  clock = json_object_get_object_member (json_node_get_object (profile), "clock");
  g_assert_nonnull (clock);
  g_assert_true (nt_clock_parse_instant (json_object_get_string_member (clock, "now"), &now_us, NULL));
  g_assert_cmpint (ABS (now_us - nt_test_instant (NT_TEST_FY2030)), <, (gint64) (10 * G_USEC_PER_SEC * nt_test_wait_factor ()));
  g_assert_cmpfloat (json_object_get_double_member (clock, "scale"), ==, 1.0);

  context = nt_context_new (settings, tf->base_uri);
  token = nt_auth_token_create (nt_facility_get_db (tf->facility), NT_ROLE_VIEWER, "Training room", &error);
  nt_context_set_token (context, token);
  indicator = nt_connection_indicator_new (context);
  g_object_ref_sink (indicator);
  /* A page made before the console knew the facility's time. */
  plan = NT_SCHEDULE_PAGE (nt_schedule_page_new (context, NT_TIMELINE_EDIT_PLAN));
  g_object_ref_sink (plan);
  g_assert_cmpint (nt_schedule_page_get_fiscal_year (plan), ==, 2026);
  nt_context_start (context);
  g_assert_true (SPIN_UNTIL (nt_context_get_state (context) == NT_CONTEXT_READY, 10000));

  /* Every view reads the default clock: it is June 2030 now, and the run
   * plan shows FY2030. */
  g_assert_cmpint (ABS (nt_clock_now_us () - nt_clock_get_now_us (facility_clock)), <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (nt_time_fiscal_year_of (nt_clock_now ()), ==, 2030);
  g_assert_cmpint (nt_schedule_page_get_fiscal_year (plan), ==, 2030);
  g_test_message ("indicator: “%s” · “%s”", nt_connection_indicator_get_text (NT_CONNECTION_INDICATOR (indicator)),
                  nt_connection_indicator_get_time_text (NT_CONNECTION_INDICATOR (indicator)));
  if (nt_clock_differs_from_real (nt_clock_get_default (), 60 * G_USEC_PER_SEC))
    g_assert_true (g_str_has_prefix (nt_connection_indicator_get_time_text (NT_CONNECTION_INDICATOR (indicator)),
                                     "Facility time: Thu 6 Jun 2030 14:0"));

  /* The console's own time comes back with the context gone. */
  nt_context_shutdown (context);
  g_object_unref (indicator);
  g_object_unref (plan);
  spin_for (100);
  g_assert_true (SPIN_UNTIL (G_OBJECT (context)->ref_count == 1, 10000));
  g_assert_finalize_object (context);
  g_assert_cmpint (ABS (nt_clock_now_us () - nt_test_instant (NT_TEST_MAINTENANCE)), <, 60 * G_USEC_PER_SEC);
  test_facility_free (tf);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  for (guint i = 0; i < G_N_ELEMENTS (sweeps); i++)
    {
      g_autofree char *path = g_strdup_printf ("/calendar/%s", sweeps[i].name);

      g_test_add_data_func (path, &sweeps[i], test_sweep);
    }
  g_test_add_func ("/calendar/fiscal-year-turn", test_fiscal_year_turn);
  g_test_add_func ("/calendar/follow-facility", test_follow_facility);

  return g_test_run ();
}

/* test-beamline-cards.c: the live beamline cards, their filter and detail
 * page, and the Overview, against the real reference services under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "client-test-util.h"
#include "ui-test-util.h"
#include "nt-application.h"
#include "nt-beam-panel.h"
#include "nt-beamline-card.h"
#include "nt-beamline-page.h"
#include "nt-beamlines-page.h"
#include "nt-context.h"
#include "nt-overview-page.h"
#include "nt-run-plan.h"
#include "nt-series.h"
#include "nt-station-schedule.h"
#include "nt-time.h"
#include "nt-window.h"
#include "test-instants.h"

static const char * const all_ids[] = {
  "BL02U", "BL06U", "BL13U", "BL07U", "BL08U", "BL08W", "BL09U", "BL09W", "BL10U", "BL14U",
};
static const char * const public_ids[] = { "BL02U", "BL06U", "BL13U", NULL };

typedef struct
{
  TestFacility      *tf;
  GSettings         *settings;
  NtContext         *context;
  GtkWidget         *window;
  NtBeamlinesPage   *page;
  NtOverviewPage    *overview;
  gboolean           fast;
  gboolean           with_overview;
} Fixture;

enum {
  FAST = 1 << 0,           /* services 50 times faster than real time */
  WITHOUT_OVERVIEW = 1 << 1,
  WITHOUT_TOKEN = 1 << 2,      /* the console starts with no access token */
};

/* Fast services: on 127.0.0.1 at a free port, their clock in user
 * operation, running 50 times faster than real time with frequent beam
 * dumps, so that shutters open and close within seconds.  Others run in
 * real time from now, over one database shared by the tests (its history
 * is generated once). */
static char *shared_db_path;
static char *fast_db_path;

static void
facility_open (TestFacility *tf,
               guint         port,
               gboolean      fast)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) plan = nt_demo_plan_build (2026);
  g_autoptr(NtClock) clock = NULL;
  NtFacilityOptions options = { 0 };
  gint64 start = 0;

  options.db_path = tf->db_path;
  options.seed = 11;

  if (fast)
    {
      for (guint i = 0; i < plan->len && start == 0; i++)
        {
          const NtPeriodSpan *span = &g_array_index (plan, NtPeriodSpan, i);

          if (span->kind == NT_PERIOD_USER_OPERATION && span->end - span->start > 4 * 86400)
            start = span->start + 86400;
        }
      g_assert_cmpint (start, >, 0);
      clock = nt_clock_new_scaled (start * G_USEC_PER_SEC, 50.0);
      options.clock = clock;
      options.mtbf_hours = 0.1;
      options.recovery_minutes = 0.5;
    }

  tf->facility = nt_facility_new (&options, &error);
  g_assert_no_error (error);
  nt_facility_listen (tf->facility, "127.0.0.1", port, &error);
  g_assert_no_error (error);
  g_free (tf->base_uri);
  tf->base_uri = nt_facility_dup_base_uri (tf->facility);
  tf->port = uri_port (tf->base_uri);
}

/* A console given a remote URL has no token of its own: hand it the
 * facility's before any view reads the schedule. */
static void
give_token_cb (NtContext    *context,
               GParamSpec   *pspec,
               TestFacility *tf)
{
  NtScheduleClient *client = nt_context_get_schedule_client (context);

  if (client != NULL && tf->facility != NULL)
    nt_schedule_client_set_token (client, nt_facility_get_local_token (tf->facility, NULL));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *box;

  f->fast = (GPOINTER_TO_INT (data) & FAST) != 0;
  f->with_overview = (GPOINTER_TO_INT (data) & WITHOUT_OVERVIEW) == 0;
  f->tf = g_new0 (TestFacility, 1);
  f->tf->db_path = g_strdup (f->fast ? fast_db_path : shared_db_path);
  facility_open (f->tf, 0, f->fast);

  f->settings = g_settings_new ("jp.nanoterasu.Console");
  f->context = nt_context_new (f->settings, f->tf->base_uri);
  if ((GPOINTER_TO_INT (data) & WITHOUT_TOKEN) == 0)
    g_signal_connect (f->context, "notify::state", G_CALLBACK (give_token_cb), f->tf);

  f->window = gtk_window_new ();
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  f->page = nt_beamlines_page_new (f->context);
  gtk_widget_set_hexpand (GTK_WIDGET (f->page), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->page));
  if (f->with_overview)
    {
      f->overview = NT_OVERVIEW_PAGE (nt_overview_page_new (f->context));
      gtk_widget_set_hexpand (GTK_WIDGET (f->overview), TRUE);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->overview));
    }
  gtk_window_set_child (GTK_WINDOW (f->window), box);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1600, 1000);
  gtk_window_present (GTK_WINDOW (f->window));

  nt_context_start (f->context);
  g_assert_true (SPIN_UNTIL (nt_context_get_state (f->context) == NT_CONTEXT_READY, 10000));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* An archive query that waits for the first-start history, and whose
   * client goes away meanwhile, upsets the archive service (it unpauses a
   * message libsoup has already let go): let the history be built first. */
  if (f->tf->facility != NULL)
    g_assert_true (SPIN_UNTIL (nt_facility_is_history_ready (f->tf->facility), 60000));
  spin_for (200);

  nt_context_shutdown (f->context);
  gtk_window_destroy (GTK_WINDOW (f->window));
  /* Let archive queries in flight finish while the services still run. */
  spin_for (300);
  /* Cancelled calls hold the context until their callbacks have run. */
  g_assert_true (SPIN_UNTIL (G_OBJECT (f->context)->ref_count == 1, 10000));
  g_assert_finalize_object (g_steal_pointer (&f->context));
  g_clear_object (&f->settings);
  test_facility_stop (f->tf);
  g_free (f->tf->db_path);
  g_free (f->tf->base_uri);
  g_free (f->tf);
}

static gboolean
is_shutter_word (const char *text)
{
  return g_strcmp0 (text, "Open") == 0 || g_strcmp0 (text, "Closed") == 0 ||
         g_strcmp0 (text, "Moving") == 0 || g_strcmp0 (text, "Fault") == 0;
}

static gboolean
all_cards_live (Fixture *f)
{
  for (guint i = 0; i < G_N_ELEMENTS (all_ids); i++)
    {
      if (!is_shutter_word (nt_beamline_card_get_fe_shutter_text (nt_beamlines_page_get_card (f->page, all_ids[i]))) ||
          (f->overview != NULL &&
           !is_shutter_word (nt_beamline_card_get_fe_shutter_text (nt_overview_page_get_card (f->overview, all_ids[i])))))
        return FALSE;
    }
  return TRUE;
}

static const char *
shutter_label (NtShutterState state)
{
  static const char * const labels[] = { "Closed", "Open", "Moving", "Fault" };

  return labels[state];
}

static NtShutterState
sim_fe_shutter (Fixture    *f,
                const char *bl)
{
  NtShutterState state = NT_SHUTTER_FAULT;

  g_assert_true (nt_ring_sim_get_fe_shutter (nt_facility_get_ring_sim (f->tf->facility), bl, &state));
  return state;
}

/* A shutter closing in the simulator shows on its card; the card then
 * says the ring holds no beam instead of calling the closed shutters
 * faults. */
static void
test_shutter_closes (Fixture       *f,
                     gconstpointer  data)
{
  NtBeamlineCard *card = nt_beamlines_page_get_card (f->page, "BL07U");
  NtBeamlineCard *home = nt_overview_page_get_card (f->overview, "BL07U");
  gint64 closed_at;

  g_assert_true (SPIN_UNTIL (all_cards_live (f), 10000));
  g_assert_cmpuint (nt_overview_page_get_n_cards (f->overview), ==, 10);

  /* Each card shows what the simulator says. */
  g_assert_true (SPIN_UNTIL (sim_fe_shutter (f, "BL07U") == NT_SHUTTER_OPEN &&
                             g_strcmp0 (nt_beamline_card_get_fe_shutter_text (card), "Open") == 0, 40000));
  g_assert_cmpstr (nt_beamline_card_get_status_text (card), ==, "");
  g_assert_false (nt_beamline_card_get_no_beam (card));

  /* A dump closes it: within 2 s both cards show it closed. */
  g_assert_true (SPIN_UNTIL (sim_fe_shutter (f, "BL07U") == NT_SHUTTER_CLOSED, 40000));
  closed_at = g_get_monotonic_time ();
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_beamline_card_get_fe_shutter_text (card), "Closed") == 0 &&
                             g_strcmp0 (nt_beamline_card_get_fe_shutter_text (home), "Closed") == 0, 2000));
  g_assert_cmpint (g_get_monotonic_time () - closed_at, <, 2 * G_USEC_PER_SEC);

  /* No beam in the ring: said in words; closed shutters are no fault. */
  if (nt_ring_sim_get_current (nt_facility_get_ring_sim (f->tf->facility)) < 1.0)
    {
      g_assert_true (SPIN_UNTIL (nt_beamline_card_get_no_beam (card), 2000));
      g_assert_true (g_str_has_prefix (nt_beamline_card_get_status_text (card), "No beam in the ring"));
      g_assert_true (g_str_has_prefix (nt_beamline_card_get_accessible_description (card), "No beam in the ring"));
      g_assert_cmpstr (nt_beamline_card_get_station_text (card, "BL07U", NT_CARD_FIELD_SHUTTER), !=, "Fault");
    }

  /* It opens again once the ring is refilled, and the card follows. */
  g_assert_true (SPIN_UNTIL (sim_fe_shutter (f, "BL07U") == NT_SHUTTER_OPEN, 40000));
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_beamline_card_get_fe_shutter_text (card),
                                        shutter_label (sim_fe_shutter (f, "BL07U"))) == 0, 2000));
}

static gboolean
all_disconnected (Fixture *f)
{
  for (guint i = 0; i < G_N_ELEMENTS (all_ids); i++)
    {
      NtBeamlineCard *cards[2] = {
        nt_beamlines_page_get_card (f->page, all_ids[i]),
        f->overview ? nt_overview_page_get_card (f->overview, all_ids[i]) : NULL,
      };

      for (guint j = 0; j < 2 && cards[j] != NULL; j++)
        {
          if (!nt_beamline_card_get_disconnected (cards[j]) ||
              g_strcmp0 (nt_beamline_card_get_fe_shutter_text (cards[j]), "—") != 0)
            return FALSE;
        }
    }
  return TRUE;
}

/* A lost connection marks every card disconnected within 2 s, with no
 * value left standing; the cards come back by themselves. */
static void
test_disconnect (Fixture       *f,
                 gconstpointer  data)
{
  gint64 lost;

  g_assert_true (SPIN_UNTIL (all_cards_live (f), 10000));
  /* (Without the Overview: its chart's archive queries in flight would
   * meet the services' shutdown, which they do not survive yet.) */
  g_assert_null (f->overview);

  test_facility_stop (f->tf);
  lost = g_get_monotonic_time ();
  g_assert_true (SPIN_UNTIL (all_disconnected (f), 2500));
  g_assert_cmpint (g_get_monotonic_time () - lost, <, 2 * G_USEC_PER_SEC + 200000);

  for (guint i = 0; i < G_N_ELEMENTS (all_ids); i++)
    {
      NtBeamlineCard *card = nt_beamlines_page_get_card (f->page, all_ids[i]);
      NtBeamline *bl = nt_beamline_card_get_beamline (card);
      NtStation *main_station = nt_beamline_get_main_station (bl);

      g_assert_true (g_str_has_prefix (nt_beamline_card_get_status_text (card), "Disconnected"));
      g_assert_true (g_str_has_prefix (nt_beamline_card_get_accessible_description (card), "Disconnected"));
      g_assert_true (nt_beamline_card_get_problem (card));
      g_assert_cmpstr (nt_beamline_card_get_station_text (card, nt_station_get_id (main_station), NT_CARD_FIELD_STATE), ==, "—");
      g_assert_cmpstr (nt_beamline_card_get_station_text (card, nt_station_get_id (main_station), NT_CARD_FIELD_ENERGY), ==, "—");
      g_assert_cmpstr (nt_beamline_card_get_station_text (card, nt_station_get_id (main_station), NT_CARD_FIELD_SHUTTER), ==, "—");
    }

  /* Problems only: every card has one now. */
  nt_beamlines_page_set_filter (f->page, NT_BEAMLINE_FILTER_PROBLEMS);
  spin_for (50);
  g_assert_cmpuint (nt_beamlines_page_count_visible (f->page), ==, 10);

  facility_open (f->tf, f->tf->port, FALSE);
  g_assert_true (SPIN_UNTIL (all_cards_live (f), 20000));
  for (guint i = 0; i < G_N_ELEMENTS (all_ids); i++)
    g_assert_false (nt_beamline_card_get_disconnected (nt_beamlines_page_get_card (f->page, all_ids[i])));
}

/* The filter shows the right cards: by program, and problems only. */
static void
test_filter (Fixture       *f,
             gconstpointer  data)
{
  guint n_problems = 0;

  g_assert_true (SPIN_UNTIL (all_cards_live (f), 10000));
  g_assert_cmpuint (nt_beamlines_page_count_visible (f->page), ==, 10);

  nt_beamlines_page_set_filter (f->page, NT_BEAMLINE_FILTER_PUBLIC);
  spin_for (50);
  g_assert_cmpuint (nt_beamlines_page_count_visible (f->page), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (all_ids); i++)
    g_assert_true (nt_beamlines_page_is_visible (f->page, all_ids[i]) ==
                   g_strv_contains ((const char * const *) public_ids, all_ids[i]));

  nt_beamlines_page_set_filter (f->page, NT_BEAMLINE_FILTER_COALITION);
  spin_for (50);
  g_assert_cmpuint (nt_beamlines_page_count_visible (f->page), ==, 7);
  for (guint i = 0; i < G_N_ELEMENTS (all_ids); i++)
    g_assert_true (nt_beamlines_page_is_visible (f->page, all_ids[i]) !=
                   g_strv_contains ((const char * const *) public_ids, all_ids[i]));

  /* Problems only: exactly the cards that show one, also as they change. */
  nt_beamlines_page_set_filter (f->page, NT_BEAMLINE_FILTER_PROBLEMS);
  for (guint round = 0; round < 5; round++)
    {
      spin_for (400);
      /* The grid filters again in an idle after a batch of changes: let
       * what is already due run, so that a change the last iteration
       * brought is filtered before the check (under the sanitizers an
       * update often landed just then). */
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      n_problems = 0;
      for (guint i = 0; i < G_N_ELEMENTS (all_ids); i++)
        {
          gboolean problem = nt_beamline_card_get_problem (nt_beamlines_page_get_card (f->page, all_ids[i]));

          g_assert_true (nt_beamlines_page_is_visible (f->page, all_ids[i]) == problem);
          n_problems += problem;
        }
      g_assert_cmpuint (nt_beamlines_page_count_visible (f->page), ==, n_problems);
    }

  nt_beamlines_page_set_filter (f->page, NT_BEAMLINE_FILTER_ALL);
  spin_for (50);
  g_assert_cmpuint (nt_beamlines_page_count_visible (f->page), ==, 10);
}

typedef struct
{
  GPtrArray *items;
  gboolean   done;
} ListResult;

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  ListResult *r = user_data;
  g_autoptr(GError) error = NULL;

  r->items = nt_schedule_client_list_allocations_finish (NT_SCHEDULE_CLIENT (object), result, NULL, &error);
  g_assert_no_error (error);
  r->done = TRUE;
}

/* Each card has an accessible name and a description of its state and of
 * what is scheduled now, which agrees with the scheduling service. */
static void
test_accessible_and_scheduled (Fixture       *f,
                               gconstpointer  data)
{
  NtStationSchedule *schedule = nt_beamlines_page_get_schedule (f->page);
  NtCatalogue *catalogue = nt_context_get_catalogue (f->context);
  g_autoptr(GPtrArray) stations = nt_catalogue_list_stations (catalogue);
  gint64 now = nt_clock_now ();
  ListResult listed = { 0 };
  guint n_booked = 0;

  g_assert_true (SPIN_UNTIL (all_cards_live (f), 10000));
  g_assert_true (SPIN_UNTIL (nt_station_schedule_is_loaded (schedule), 10000));
  g_assert_null (nt_station_schedule_get_error (schedule));

  nt_schedule_client_list_allocations_async (nt_context_get_schedule_client (f->context), now, now + 1,
                                             NULL, NT_SLOT_ANY, NULL, listed_cb, &listed);
  g_assert_true (SPIN_UNTIL (listed.done, 10000));

  for (guint i = 0; i < stations->len; i++)
    {
      NtStation *station = g_ptr_array_index (stations, i);
      const char *id = nt_station_get_id (station);
      NtBeamlineCard *card = nt_beamlines_page_get_card (f->page, nt_station_get_beamline_id (station));
      const char *text = nt_beamline_card_get_station_text (card, id, NT_CARD_FIELD_SCHEDULED);
      NtAllocation *booked = NULL;

      for (guint j = 0; j < listed.items->len; j++)
        {
          NtAllocation *a = g_ptr_array_index (listed.items, j);

          if (g_strcmp0 (nt_allocation_get_station (a), id) == 0 &&
              nt_allocation_get_status (a) != NT_ALLOCATION_CANCELLED)
            booked = a;
        }

      if (booked != NULL)
        {
          g_autofree char *who = nt_station_schedule_describe (schedule, booked);

          g_assert_true (g_str_has_prefix (text, who));
          g_assert_true (g_str_has_suffix (text, " left"));
          n_booked++;
        }
      else
        g_assert_cmpstr (text, ==, "Nothing scheduled");
    }
  g_test_message ("%u of %u stations are booked now", n_booked, stations->len);

  for (guint i = 0; i < G_N_ELEMENTS (all_ids); i++)
    {
      NtBeamlineCard *card = nt_beamlines_page_get_card (f->page, all_ids[i]);
      const char *name = nt_beamline_card_get_accessible_name (card);
      const char *description = nt_beamline_card_get_accessible_description (card);

      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL));
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
      /* The grid cell that takes the focus says the same. */
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (card))),
                                                       GTK_ACCESSIBLE_PROPERTY_LABEL));
      g_assert_nonnull (name);
      g_assert_true (g_str_has_prefix (name, all_ids[i]));
      g_assert_true (strstr (name, g_strv_contains ((const char * const *) public_ids, all_ids[i])
                                   ? "Public beamline" : "Coalition beamline") != NULL);
      g_assert_nonnull (description);
      g_assert_nonnull (strstr (description, "Front-end shutter "));
      g_assert_nonnull (strstr (description, "Scheduled: "));
      g_assert_null (strstr (description, "Scheduled: —"));
      /* BL08W describes its three stations. */
      if (g_str_equal (all_ids[i], "BL08W"))
        {
          g_assert_nonnull (strstr (description, "BL08W-XAFS: "));
          g_assert_nonnull (strstr (description, "BL08W-SAXS: "));
          g_assert_nonnull (strstr (description, "BL08W-XRD: "));
        }
    }

  g_ptr_array_unref (listed.items);
}

/* From the service itself: how many rows the detail page of @beamline
 * should list (today's bookings and the next one of each station), or
 * with @beamline NULL, a beamline with a booking now. */
static guint
count_bookings (Fixture     *f,
                const char  *beamline,
                char       **booked_now)
{
  gint64 now = nt_clock_now ();
  g_autoptr(GDateTime) local = nt_time_to_local (now);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (local, 1);
  gint64 day_start = nt_time_from_local (g_date_time_get_year (local), g_date_time_get_month (local),
                                         g_date_time_get_day_of_month (local), 0, 0);
  gint64 day_end = nt_time_from_local (g_date_time_get_year (tomorrow), g_date_time_get_month (tomorrow),
                                       g_date_time_get_day_of_month (tomorrow), 0, 0);
  NtCatalogue *catalogue = nt_context_get_catalogue (f->context);
  g_autoptr(GPtrArray) stations = nt_catalogue_list_stations (catalogue);
  ListResult listed = { 0 };
  guint n = 0;

  nt_schedule_client_list_allocations_async (nt_context_get_schedule_client (f->context),
                                             now - 86400, now + 8 * 86400, NULL, NT_SLOT_ANY,
                                             NULL, listed_cb, &listed);
  g_assert_true (SPIN_UNTIL (listed.done, 10000));

  for (guint i = 0; i < stations->len; i++)
    {
      NtStation *station = g_ptr_array_index (stations, i);
      gint64 next_start = G_MAXINT64;

      if (beamline != NULL && g_strcmp0 (nt_station_get_beamline_id (station), beamline) != 0)
        continue;

      for (guint j = 0; j < listed.items->len; j++)
        {
          NtAllocation *a = g_ptr_array_index (listed.items, j);

          if (g_strcmp0 (nt_allocation_get_station (a), nt_station_get_id (station)) != 0 ||
              nt_allocation_get_status (a) == NT_ALLOCATION_CANCELLED)
            continue;
          if (nt_allocation_get_start (a) < day_end && nt_allocation_get_end (a) > day_start)
            n++;
          if (nt_allocation_get_start (a) >= MAX (now + 1, day_end))
            next_start = MIN (next_start, nt_allocation_get_start (a));
          if (booked_now != NULL && *booked_now == NULL &&
              nt_allocation_get_start (a) <= now && now < nt_allocation_get_end (a))
            *booked_now = g_strdup (nt_station_get_beamline_id (station));
        }
      if (next_start != G_MAXINT64)
        n++;
    }

  g_ptr_array_unref (listed.items);
  return n;
}

static GtkWidget *
flow_box_child_of (NtBeamlineCard *card)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (card));

  g_assert_true (GTK_IS_FLOW_BOX_CHILD (parent));
  return parent;
}

/* Keyboard: cards take the focus, Enter opens the detail page (charts fed
 * from the archive, bookings, facts), Escape comes back to the card. */
static void
test_detail_page (Fixture       *f,
                  gconstpointer  data)
{
  NtBeamlineCard *card = nt_beamlines_page_get_card (f->page, "BL08W");
  GtkWidget *child = flow_box_child_of (card);
  NtBeamlinePage *detail;
  NtStripChart *energy;

  g_assert_true (SPIN_UNTIL (all_cards_live (f), 10000));
  g_assert_true (gtk_widget_get_focusable (child));
  g_assert_true (gtk_widget_grab_focus (child));
  g_assert_true (gtk_widget_has_focus (child));

  /* Enter on a focused card activates it. */
  gtk_widget_activate (child);
  spin_for (50);
  detail = NT_BEAMLINE_PAGE (nt_beamlines_page_get_detail (f->page));
  g_assert_nonnull (detail);
  g_assert_cmpstr (nt_beamline_get_id (nt_beamline_page_get_beamline (detail)), ==, "BL08W");

  /* Its stations live, charts with history, bookings read. */
  g_assert_true (SPIN_UNTIL (is_shutter_word (nt_beamline_card_get_fe_shutter_text (nt_beamline_page_get_card (detail))), 5000));
  energy = nt_beamline_page_get_energy_chart (detail);
  g_assert_cmpuint (nt_strip_chart_get_n_series (energy), ==, 3);
  g_assert_cmpuint (nt_strip_chart_get_n_series (nt_beamline_page_get_shutter_chart (detail)), ==, 4);
  g_assert_true (SPIN_UNTIL (nt_series_get_n_samples (nt_strip_chart_get_series (energy, 0)) > 0 &&
                             nt_series_get_n_samples (nt_strip_chart_get_series (nt_beamline_page_get_shutter_chart (detail), 0)) > 0,
                             20000));
  nt_beamline_page_set_range (detail, NT_STRIP_CHART_RANGE_24_HOURS);
  g_assert_cmpfloat (nt_strip_chart_get_visible_span (energy), ==, 24 * 3600.0);
  g_assert_true (SPIN_UNTIL (nt_station_schedule_is_loaded (nt_beamlines_page_get_schedule (f->page)), 10000));
  spin_for (50);
  g_assert_cmpuint (nt_beamline_page_get_n_allocation_rows (detail), ==, count_bookings (f, "BL08W", NULL));

  spin_for (200);
  ui_test_save_png (f->window, "beamline-detail.png");

  /* A beamline booked now lists its booking. */
  {
    g_autofree char *booked = NULL;

    count_bookings (f, NULL, &booked);
    if (booked != NULL)
      {
        NtBeamlinePage *other;

        /* (Each page is let go once its history has come: the archive
         * service does not survive a client that leaves mid-query.) */
        g_assert_true (SPIN_UNTIL (!nt_beamline_page_is_loading (detail), 20000));
        g_assert_true (nt_beamlines_page_open (f->page, booked));
        other = NT_BEAMLINE_PAGE (nt_beamlines_page_get_detail (f->page));
        g_assert_true (other != detail);
        spin_for (50);
        g_assert_cmpuint (nt_beamline_page_get_n_allocation_rows (other), ==, count_bookings (f, booked, NULL));
        g_assert_cmpuint (nt_beamline_page_get_n_allocation_rows (other), >, 0);
        g_assert_true (SPIN_UNTIL (!nt_beamline_page_is_loading (other), 20000));
        g_assert_true (nt_beamlines_page_open (f->page, "BL08W"));
        spin_for (50);
        detail = NT_BEAMLINE_PAGE (nt_beamlines_page_get_detail (f->page));
      }
    else
      g_test_message ("no station is booked now");
  }

  /* Back, with the focus on the card that was open. */
  g_assert_true (SPIN_UNTIL (!nt_beamline_page_is_loading (detail), 20000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "beamlines.back", NULL));
  spin_for (50);
  g_assert_null (nt_beamlines_page_get_detail (f->page));
  g_assert_true (gtk_widget_has_focus (child));
  /* Back again does nothing once on the grid. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->page), "beamlines.back", NULL) &&
                  nt_beamlines_page_get_detail (f->page) != NULL);

  /* The Overview's now/next line comes from the run plan. */
  g_assert_true (SPIN_UNTIL (g_str_has_prefix (nt_overview_page_get_now_next_text (f->overview), "Now: "), 10000));
  g_assert_true (is_shutter_word (nt_beamline_card_get_fe_shutter_text (nt_overview_page_get_card (f->overview, "BL02U"))));
  g_assert_cmpstr (nt_beam_panel_get_current_text (NT_BEAM_PANEL (nt_overview_page_get_panel (f->overview))), !=, "—");
}

typedef struct
{
  NtAllocation *stored;
  gboolean      done;
} CreateResult;

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  CreateResult *r = user_data;
  g_autoptr(NtScheduleFailure) failure = NULL;
  g_autoptr(GError) error = NULL;

  r->stored = nt_schedule_client_create_finish (NT_SCHEDULE_CLIENT (object), result, &failure, &error);
  if (r->stored == NULL)
    g_error ("The booking was refused: %s (%s)", error->message,
             failure ? nt_schedule_failure_get_code (failure) : "-");
  r->done = TRUE;
}

/* A booking made now (by anyone: the change feed tells) shows on its
 * station's card with the time left, without a reload by hand. */
static void
test_booking_follows_feed (Fixture       *f,
                           gconstpointer  data)
{
  NtStationSchedule *schedule = nt_beamlines_page_get_schedule (f->page);
  NtCatalogue *catalogue = nt_context_get_catalogue (f->context);
  g_autoptr(GPtrArray) stations = nt_catalogue_list_stations (catalogue);
  gint64 now = nt_clock_now ();
  NtTimeGrid grid = NT_TIME_GRID_SHIFT_DEFAULT;
  gint64 start = nt_time_grid_floor (&grid, now);
  g_autoptr(NtAllocation) booking = NULL;
  CreateResult created = { 0 };
  NtStation *free_station = NULL;
  NtBeamlineCard *card;
  guint loads;

  g_assert_true (SPIN_UNTIL (nt_station_schedule_is_loaded (schedule), 10000));

  /* A station with nothing in this shift. */
  for (guint i = 0; i < stations->len && free_station == NULL; i++)
    {
      NtStation *station = g_ptr_array_index (stations, i);
      g_autoptr(GPtrArray) busy = nt_station_schedule_list (schedule, nt_station_get_id (station),
                                                            start, start + 8 * 3600);

      if (busy->len == 0)
        free_station = station;
    }
  if (free_station == NULL)
    {
      g_test_skip ("every station is booked in this shift");
      return;
    }

  card = nt_beamlines_page_get_card (f->page, nt_station_get_beamline_id (free_station));
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_beamline_card_get_station_text (card, nt_station_get_id (free_station),
                                                                           NT_CARD_FIELD_SCHEDULED),
                                        "Nothing scheduled") == 0, 5000));
  loads = nt_station_schedule_get_n_loads (schedule);

  booking = nt_allocation_new (nt_station_get_id (free_station), start, start + 8 * 3600, NT_SLOT_STAFF);
  nt_allocation_set_status (booking, NT_ALLOCATION_CONFIRMED);
  nt_schedule_client_create_async (nt_context_get_schedule_client (f->context), booking, NULL, NULL,
                                   created_cb, &created);
  g_assert_true (SPIN_UNTIL (created.done, 10000));

  g_assert_true (SPIN_UNTIL (g_str_has_prefix (nt_beamline_card_get_station_text (card, nt_station_get_id (free_station),
                                                                                 NT_CARD_FIELD_SCHEDULED),
                                               "Staff · "), 5000));
  g_assert_true (g_str_has_suffix (nt_beamline_card_get_station_text (card, nt_station_get_id (free_station),
                                                                      NT_CARD_FIELD_SCHEDULED), " left"));
  g_assert_cmpuint (nt_station_schedule_get_n_loads (schedule), >, loads);
  g_assert_nonnull (strstr (nt_beamline_card_get_accessible_description (card), "Scheduled: Staff · "));

  g_clear_object (&created.stored);
}

static NtBeamlinesPage *
find_beamlines_page (GtkWidget *widget)
{
  if (NT_IS_BEAMLINES_PAGE (widget))
    return NT_BEAMLINES_PAGE (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      NtBeamlinesPage *found = find_beamlines_page (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static NtOverviewPage *
find_overview (GtkWidget *widget)
{
  if (NT_IS_OVERVIEW_PAGE (widget))
    return NT_OVERVIEW_PAGE (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      NtOverviewPage *found = find_overview (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* In the console's window: the Overview is the home, and activating one
 * of its cards opens that beamline's page in the Beamlines area. */
/* Without a token the cards say the schedule wants one; a token given
 * then (as the preferences do) brings the bookings without a restart. */
static void
test_token_brings_schedule (Fixture       *f,
                            gconstpointer  data)
{
  NtBeamlineCard *card = nt_beamlines_page_get_card (f->page, "BL02U");

  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_beamline_card_get_station_text (card, "BL02U", NT_CARD_FIELD_SCHEDULED),
                                        "Schedule needs an access token") == 0, 10000));

  nt_context_set_token (f->context, nt_facility_get_local_token (f->tf->facility, NULL));
  g_assert_true (SPIN_UNTIL (g_strcmp0 (nt_beamline_card_get_station_text (card, "BL02U", NT_CARD_FIELD_SCHEDULED),
                                        "Schedule needs an access token") != 0, 5000));
  g_test_message ("with a token: %s", nt_beamline_card_get_station_text (card, "BL02U", NT_CARD_FIELD_SCHEDULED));
  g_assert_cmpstr (nt_beamline_card_get_station_text (card, "BL02U", NT_CARD_FIELD_SCHEDULED), !=, "—");
  g_assert_cmpstr (nt_beamline_card_get_station_text (card, "BL02U", NT_CARD_FIELD_SCHEDULED), !=,
                   "Schedule not available");
}

static void
test_window_overview_opens_detail (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(NtApplication) app = nt_application_new ();
  g_autoptr(GError) error = NULL;
  NtOverviewPage *overview;
  NtBeamlinesPage *beamlines;
  NtWindow *window;
  GtkWidget *detail;

  ui_test_register_app (G_APPLICATION (app));
  window = nt_window_new (app, f->context);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (nt_window_get_area (window), ==, "overview");

  overview = find_overview (GTK_WIDGET (window));
  beamlines = find_beamlines_page (GTK_WIDGET (window));
  g_assert_nonnull (overview);
  g_assert_nonnull (beamlines);
  g_assert_true (SPIN_UNTIL (is_shutter_word (nt_beamline_card_get_fe_shutter_text (nt_overview_page_get_card (overview, "BL09U"))), 10000));

  gtk_widget_activate (gtk_widget_get_parent (GTK_WIDGET (nt_overview_page_get_card (overview, "BL09U"))));
  spin_for (50);
  g_assert_cmpstr (nt_window_get_area (window), ==, "beamlines");
  detail = nt_beamlines_page_get_detail (beamlines);
  g_assert_nonnull (detail);
  g_assert_cmpstr (nt_beamline_get_id (nt_beamline_page_get_beamline (NT_BEAMLINE_PAGE (detail))), ==, "BL09U");

  /* Alt+1 is the Overview again. */
  g_assert_true (SPIN_UNTIL (!nt_beamline_page_is_loading (NT_BEAMLINE_PAGE (detail)), 20000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-area", "s", "overview");
  g_assert_cmpstr (nt_window_get_area (window), ==, "overview");

  g_assert_true (SPIN_UNTIL (nt_facility_is_history_ready (f->tf->facility), 60000));
  spin_for (300);
  gtk_window_destroy (GTK_WINDOW (window));
  spin_for (100);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *fast_dir = NULL;
  int ret;

  /* The suite runs with GTK_A11Y=none, which keeps no accessible
   * properties; the test backend does. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);
  adw_init ();

  dir = g_dir_make_tmp ("nt-cards-test-XXXXXX", &error);
  g_assert_no_error (error);
  fast_dir = g_dir_make_tmp ("nt-cards-fast-XXXXXX", &error);
  g_assert_no_error (error);
  shared_db_path = g_build_filename (dir, "facility.db", NULL);
  fast_db_path = g_build_filename (fast_dir, "facility.db", NULL);

  g_test_add ("/beamline-cards/shutter-closes", Fixture, GINT_TO_POINTER (FAST),
              fixture_set_up, test_shutter_closes, fixture_tear_down);
  g_test_add ("/beamline-cards/disconnect", Fixture, GINT_TO_POINTER (WITHOUT_OVERVIEW),
              fixture_set_up, test_disconnect, fixture_tear_down);
  g_test_add ("/beamline-cards/filter", Fixture, NULL, fixture_set_up, test_filter, fixture_tear_down);
  g_test_add ("/beamline-cards/accessible-and-scheduled", Fixture, NULL, fixture_set_up,
              test_accessible_and_scheduled, fixture_tear_down);
  g_test_add ("/beamline-cards/detail-page", Fixture, NULL, fixture_set_up, test_detail_page, fixture_tear_down);
  g_test_add ("/beamline-cards/booking-follows-feed", Fixture, GINT_TO_POINTER (WITHOUT_OVERVIEW),
              fixture_set_up, test_booking_follows_feed, fixture_tear_down);
  g_test_add ("/beamline-cards/token-brings-schedule", Fixture, GINT_TO_POINTER (WITHOUT_OVERVIEW | WITHOUT_TOKEN),
              fixture_set_up, test_token_brings_schedule, fixture_tear_down);
  g_test_add ("/beamline-cards/window-overview-opens-detail", Fixture, GINT_TO_POINTER (WITHOUT_OVERVIEW),
              fixture_set_up, test_window_overview_opens_detail, fixture_tear_down);

  ret = g_test_run ();

  remove_dir (dir);
  remove_dir (fast_dir);
  g_free (shared_db_path);
  g_free (fast_db_path);

  return ret;
}

/* test-pv-client.c: NtPvClient merges PVWS updates, batches them, survives
 * a server restart, finds a dead peer, and backs off with jitter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "nt-client-error.h"
#include "nt-facility-profile.h"
#include "nt-pv-client.h"
#include "nt-pv-client-private.h"

#include "client-test-util.h"
#include "test-instants.h"

/* --- merging, without a server ------------------------------------------ */

static JsonObject *
object_from (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gboolean
merge (NtPvRecord  *record,
       const char  *text,
       GError     **error)
{
  JsonObject *obj = object_from (text);
  gboolean ok = nt_pv_record_merge (record, obj, error);

  json_object_unref (obj);
  return ok;
}

static void
test_merge_double (void)
{
  g_autoptr(NtPvRecord) r = nt_pv_record_new ("SR:I");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  double lo, hi;

  g_assert_cmpint (nt_pv_record_get_state (r), ==, NT_PV_STATE_WAITING);
  g_assert_false (nt_pv_record_has_metadata (r));

  g_assert_true (merge (r, "{\"type\":\"update\",\"pv\":\"SR:I\",\"vtype\":\"VDouble\","
                           "\"units\":\"mA\",\"description\":\"Stored current\",\"precision\":2,"
                           "\"min\":0,\"max\":500,\"warn_low\":395,\"warn_high\":\"NaN\","
                           "\"alarm_low\":390,\"alarm_high\":450,\"readonly\":true,"
                           "\"severity\":\"NONE\",\"value\":400.123,\"seconds\":1700000000,\"nanos\":500000000}",
                        &error));
  g_assert_no_error (error);
  g_assert_true (nt_pv_record_has_metadata (r));
  g_assert_true (nt_pv_record_is_live (r));
  g_assert_cmpstr (nt_pv_record_get_units (r), ==, "mA");
  g_assert_cmpstr (nt_pv_record_get_description (r), ==, "Stored current");
  g_assert_cmpint (nt_pv_record_get_precision (r), ==, 2);
  g_assert_true (nt_pv_record_get_readonly (r));
  nt_pv_record_get_limits (r, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0);
  g_assert_cmpfloat (hi, ==, 500);
  nt_pv_record_get_warn_limits (r, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 395);
  g_assert_true (isnan (hi));
  g_assert_cmpint (nt_pv_record_get_value_kind (r), ==, NT_PV_VALUE_DOUBLE);
  g_assert_cmpfloat_with_epsilon (nt_pv_record_get_double (r), 400.123, 1e-9);
  g_assert_cmpint (nt_pv_record_get_time_usec (r), ==, G_GINT64_CONSTANT (1700000000500000));
  text = nt_pv_record_format_value (r);
  g_assert_cmpstr (text, ==, "400.12");

  /* a later update carries only what changed; the rest stays */
  g_assert_true (merge (r, "{\"type\":\"update\",\"pv\":\"SR:I\",\"value\":399.5,\"seconds\":1700000001,\"nanos\":0}", &error));
  g_assert_cmpfloat (nt_pv_record_get_double (r), ==, 399.5);
  g_assert_cmpstr (nt_pv_record_get_units (r), ==, "mA");
  g_assert_cmpint (nt_pv_record_get_precision (r), ==, 2);
  g_assert_cmpint (nt_pv_record_get_severity (r), ==, NT_PV_SEVERITY_NONE);
  g_assert_cmpint (nt_pv_record_get_seconds (r), ==, 1700000001);

  g_assert_true (merge (r, "{\"type\":\"update\",\"pv\":\"SR:I\",\"severity\":\"MINOR\"}", &error));
  g_assert_cmpint (nt_pv_record_get_severity (r), ==, NT_PV_SEVERITY_MINOR);
  g_assert_cmpfloat (nt_pv_record_get_double (r), ==, 399.5);

  /* the server says the PV itself is disconnected */
  g_assert_true (merge (r, "{\"type\":\"update\",\"pv\":\"SR:I\",\"severity\":\"UNDEFINED\",\"value\":\"NaN\"}", &error));
  g_assert_true (isnan (nt_pv_record_get_double (r)));
  g_assert_cmpint (nt_pv_record_get_state (r), ==, NT_PV_STATE_DISCONNECTED);
  g_assert_false (nt_pv_record_is_live (r));
  g_assert_null (nt_pv_record_format_value (r));

  g_assert_true (merge (r, "{\"type\":\"update\",\"pv\":\"SR:I\",\"severity\":\"NONE\",\"value\":401}", &error));
  g_assert_true (nt_pv_record_is_live (r));
  g_assert_cmpuint (nt_pv_record_get_n_updates (r), ==, 5);
}

static void
test_merge_enum_string (void)
{
  g_autoptr(NtPvRecord) e = nt_pv_record_new ("SR:MODE");
  g_autoptr(NtPvRecord) s = nt_pv_record_new ("SR:FILL");
  g_autoptr(GError) error = NULL;
  const char * const *labels;

  g_assert_true (merge (e, "{\"type\":\"update\",\"pv\":\"SR:MODE\",\"vtype\":\"VEnum\","
                           "\"labels\":[\"Shutdown\",\"User operation\",\"Machine study\"],"
                           "\"severity\":\"NONE\",\"value\":1,\"text\":\"User operation\","
                           "\"seconds\":1,\"nanos\":0}", &error));
  g_assert_no_error (error);
  labels = nt_pv_record_get_labels (e);
  g_assert_cmpuint (g_strv_length ((char **)labels), ==, 3);
  g_assert_cmpint (nt_pv_record_get_value_kind (e), ==, NT_PV_VALUE_ENUM);
  g_assert_cmpint (nt_pv_record_get_enum_index (e), ==, 1);
  g_assert_cmpstr (nt_pv_record_get_enum_text (e), ==, "User operation");

  /* index only: the text comes from the labels */
  g_assert_true (merge (e, "{\"type\":\"update\",\"pv\":\"SR:MODE\",\"value\":2}", &error));
  g_assert_cmpint (nt_pv_record_get_enum_index (e), ==, 2);
  g_assert_cmpstr (nt_pv_record_get_enum_text (e), ==, "Machine study");

  g_assert_true (merge (s, "{\"type\":\"update\",\"pv\":\"SR:FILL\",\"vtype\":\"VString\","
                           "\"severity\":\"NONE\",\"value\":\"multi-bunch\",\"seconds\":1,\"nanos\":0}", &error));
  g_assert_cmpint (nt_pv_record_get_value_kind (s), ==, NT_PV_VALUE_STRING);
  g_assert_cmpstr (nt_pv_record_get_string (s), ==, "multi-bunch");
  g_assert_true (merge (s, "{\"type\":\"update\",\"pv\":\"SR:FILL\",\"value\":\"NaN\"}", &error));
  g_assert_cmpstr (nt_pv_record_get_string (s), ==, "NaN");
}

static void
test_merge_bad (void)
{
  static const char * const bad[] = {
    "{\"pv\":\"A\",\"value\":[1,2]}",
    "{\"pv\":\"A\",\"value\":{}}",
    "{\"pv\":\"A\",\"value\":null}",
    "{\"pv\":\"A\",\"value\":\"fast\",\"vtype\":\"VDouble\",\"seconds\":\"soon\"}",
    "{\"pv\":\"A\",\"severity\":\"BAD\"}",
    "{\"pv\":\"A\",\"severity\":3}",
    "{\"pv\":\"A\",\"seconds\":-1}",
    "{\"pv\":\"A\",\"seconds\":1.5}",
    "{\"pv\":\"A\",\"nanos\":1000000000}",
    "{\"pv\":\"A\",\"precision\":\"2\"}",
    "{\"pv\":\"A\",\"units\":5}",
    "{\"pv\":\"A\",\"labels\":[\"a\",1]}",
    "{\"pv\":\"A\",\"labels\":\"a\"}",
    "{\"pv\":\"A\",\"readonly\":\"yes\"}",
    "{\"pv\":\"A\",\"min\":\"low\"}",
    "{\"pv\":\"A\",\"vtype\":\"VEnum\",\"value\":1.5}",
  };
  g_autoptr(NtPvRecord) r = nt_pv_record_new ("A");
  g_autoptr(GError) error = NULL;

  g_assert_true (merge (r, "{\"pv\":\"A\",\"vtype\":\"VDouble\",\"units\":\"mA\",\"precision\":1,"
                           "\"severity\":\"NONE\",\"value\":1.5,\"seconds\":10,\"nanos\":0}", &error));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("bad update %u: %s", i, bad[i]);
      g_assert_false (merge (r, bad[i], &error));
      g_assert_error (error, NT_CLIENT_ERROR, NT_CLIENT_ERROR_PROTOCOL);
      g_clear_error (&error);

      /* nothing of a bad update is applied */
      g_assert_cmpstr (nt_pv_record_get_vtype (r), ==, "VDouble");
      g_assert_cmpstr (nt_pv_record_get_units (r), ==, "mA");
      g_assert_cmpint (nt_pv_record_get_precision (r), ==, 1);
      g_assert_cmpfloat (nt_pv_record_get_double (r), ==, 1.5);
      g_assert_cmpint (nt_pv_record_get_seconds (r), ==, 10);
      g_assert_cmpint (nt_pv_record_get_severity (r), ==, NT_PV_SEVERITY_NONE);
      g_assert_null (nt_pv_record_get_labels (r));
    }
  g_assert_cmpuint (nt_pv_record_get_n_updates (r), ==, 1);
}

/* --- the message path and batching, without a server ------------------- */

typedef struct
{
  guint      n_batches;
  GPtrArray *names;     /* of every batch */
  guint      n_server_errors;
  guint      n_protocol_errors;
  char      *last_error;
} Recorder;

static void
updates_cb (NtPvClient  *client,
            char       **names,
            Recorder    *rec)
{
  rec->n_batches++;
  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (rec->names, g_strdup (names[i]));
}

static void
server_error_cb (NtPvClient *client,
                 const char *message,
                 Recorder   *rec)
{
  rec->n_server_errors++;
  g_free (rec->last_error);
  rec->last_error = g_strdup (message);
}

static void
protocol_error_cb (NtPvClient *client,
                   const char *message,
                   Recorder   *rec)
{
  rec->n_protocol_errors++;
}

static void
recorder_init (Recorder   *rec,
               NtPvClient *client)
{
  memset (rec, 0, sizeof *rec);
  rec->names = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (client, "updates", G_CALLBACK (updates_cb), rec);
  g_signal_connect (client, "server-error", G_CALLBACK (server_error_cb), rec);
  g_signal_connect (client, "protocol-error", G_CALLBACK (protocol_error_cb), rec);
}

static void
recorder_clear (Recorder *rec)
{
  g_clear_pointer (&rec->names, g_ptr_array_unref);
  g_clear_pointer (&rec->last_error, g_free);
}

static gboolean
names_contain (GPtrArray  *names,
               const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (g_ptr_array_index (names, i), name))
      return TRUE;
  return FALSE;
}

static void
feed (NtPvClient *client,
      const char *text)
{
  nt_pv_client_handle_message (client, text, strlen (text));
}

static void
test_messages_and_batches (void)
{
  g_autoptr(NtPvClient) client = nt_pv_client_new ("ws://127.0.0.1:1/pvws/pv");
  Recorder rec;
  NtPvRecord *a, *b;
  gint64 start;

  recorder_init (&rec, client);
  nt_pv_client_set_batch_interval (client, 100);

  a = nt_pv_client_subscribe (client, "A");
  b = nt_pv_client_subscribe (client, "B");
  g_assert_true (nt_pv_client_subscribe (client, "A") == a);   /* shared */

  /* Not connected yet: stale until the first update. */
  g_assert_false (nt_pv_record_is_live (a));

  start = g_get_monotonic_time ();
  feed (client, "{\"type\":\"update\",\"pv\":\"A\",\"vtype\":\"VDouble\",\"units\":\"mA\","
                "\"severity\":\"NONE\",\"value\":0,\"seconds\":1,\"nanos\":0}");
  feed (client, "{\"type\":\"update\",\"pv\":\"B\",\"vtype\":\"VDouble\","
                "\"severity\":\"NONE\",\"value\":0,\"seconds\":1,\"nanos\":0}");
  for (guint i = 1; i <= 1000; i++)
    {
      g_autofree char *msg = g_strdup_printf ("{\"type\":\"update\",\"pv\":\"A\",\"value\":%u}", i);
      feed (client, msg);
    }
  feed (client, "{\"type\":\"update\",\"pv\":\"NOT-SUBSCRIBED\",\"value\":1}");
  feed (client, "{\"type\":\"echo\",\"body\":\"x\"}");
  feed (client, "{\"type\":\"list\",\"pvs\":[]}");   /* unknown to us: ignored */
  feed (client, "{\"type\":\"error\",\"message\":\"Unknown PV 'C'\"}");
  feed (client, "no json");
  feed (client, "[1]");
  feed (client, "{\"pv\":\"A\"}");
  feed (client, "{\"type\":\"update\",\"value\":1}");
  feed (client, "{\"type\":\"update\",\"pv\":\"A\",\"value\":{}}");

  /* merged at once, announced once */
  g_assert_cmpfloat (nt_pv_record_get_double (a), ==, 1000);
  g_assert_cmpstr (nt_pv_record_get_units (a), ==, "mA");
  g_assert_true (nt_pv_record_is_live (a));
  g_assert_cmpuint (rec.n_batches, ==, 0);
  g_assert_cmpuint (rec.n_server_errors, ==, 1);
  g_assert_cmpstr (rec.last_error, ==, "Unknown PV 'C'");
  g_assert_cmpuint (rec.n_protocol_errors, ==, 5);
  g_assert_cmpuint (nt_pv_client_get_n_protocol_errors (client), ==, 5);

  g_assert_true (SPIN_UNTIL (rec.n_batches > 0, 2000));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 90 * 1000);
  spin_for (250);
  g_assert_cmpuint (rec.n_batches, ==, 1);
  g_assert_cmpuint (rec.names->len, ==, 2);
  g_assert_true (names_contain (rec.names, "A"));
  g_assert_true (names_contain (rec.names, "B"));
  g_assert_cmpfloat (nt_pv_record_get_double (b), ==, 0);

  /* refcounted: A stays until its last unsubscribe */
  nt_pv_client_unsubscribe (client, "A");
  g_assert_true (nt_pv_client_lookup (client, "A") == a);
  nt_pv_client_unsubscribe (client, "A");
  g_assert_null (nt_pv_client_lookup (client, "A"));
  feed (client, "{\"type\":\"update\",\"pv\":\"A\",\"value\":1}");
  spin_for (150);
  g_assert_cmpuint (rec.n_batches, ==, 1);

  recorder_clear (&rec);
}

/* A client made in another thread-default context lives there. */
static void
test_thread_context (void)
{
  GMainContext *context = g_main_context_new ();
  g_autoptr(NtPvClient) client = NULL;
  Recorder rec;
  gint64 deadline;

  g_main_context_push_thread_default (context);
  client = nt_pv_client_new ("ws://127.0.0.1:1/pvws/pv");
  g_main_context_pop_thread_default (context);

  recorder_init (&rec, client);
  nt_pv_client_subscribe (client, "A");
  feed (client, "{\"type\":\"update\",\"pv\":\"A\",\"severity\":\"NONE\",\"value\":1}");

  /* nothing on the default context */
  spin_for (150);
  g_assert_cmpuint (rec.n_batches, ==, 0);

  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (rec.n_batches == 0 && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (context, FALSE))
        g_usleep (1000);
    }
  g_assert_cmpuint (rec.n_batches, ==, 1);

  recorder_clear (&rec);
  g_clear_object (&client);
  g_main_context_unref (context);
}

/* --- back-off, against a port nobody listens on ------------------------- */

typedef struct
{
  GArray *delays;
} Backoff;

static void
backoff_state_cb (NtPvClient *client,
                  GParamSpec *pspec,
                  Backoff    *bo)
{
  if (nt_pv_client_get_state (client) == NT_CONNECTION_DISCONNECTED)
    {
      guint delay = nt_pv_client_get_next_delay_ms (client);
      int seconds = nt_pv_client_get_reconnect_seconds (client);

      g_assert_cmpuint (delay, >, 0);
      g_assert_cmpint (seconds, >=, 0);
      g_assert_cmpint (seconds, <=, (int)(delay + 999) / 1000);
      g_assert_nonnull (nt_pv_client_get_disconnect_reason (client));
      g_array_append_val (bo->delays, delay);
    }
}

static void
test_backoff (void)
{
  g_autofree char *uri = g_strdup_printf ("ws://127.0.0.1:%u/pvws/pv", unused_port ());
  g_autoptr(NtPvClient) client = nt_pv_client_new (uri);
  Backoff bo = { g_array_new (FALSE, FALSE, sizeof (guint)) };
  guint first_capped = 0;
  gboolean capped_all_same = TRUE;

  nt_pv_client_set_reconnect_delays (client, 80, 640);
  g_signal_connect (client, "notify::state", G_CALLBACK (backoff_state_cb), &bo);
  g_assert_cmpint (nt_pv_client_get_reconnect_seconds (client), ==, -1);

  nt_pv_client_start (client);
  g_assert_cmpint (nt_pv_client_get_state (client), ==, NT_CONNECTION_CONNECTING);
  g_assert_true (SPIN_UNTIL (bo.delays->len >= 7, 8000));

  for (guint i = 0; i < bo.delays->len; i++)
    {
      guint nominal = MIN (80u << MIN (i, 10), 640u);
      guint delay = g_array_index (bo.delays, guint, i);

      g_test_message ("attempt %u: %u ms (nominal %u)", i, delay, nominal);
      g_assert_cmpuint (delay, >=, nominal / 2);
      g_assert_cmpuint (delay, <=, nominal);
      if (nominal == 640 && first_capped == 0)
        first_capped = delay;
      else if (nominal == 640 && delay != first_capped)
        capped_all_same = FALSE;
    }
  /* jitter: the capped delays (attempts 3 to 6) are not all the same */
  g_assert_false (capped_all_same);

  nt_pv_client_stop (client);
  g_assert_cmpint (nt_pv_client_get_state (client), ==, NT_CONNECTION_DISCONNECTED);
  g_assert_cmpint (nt_pv_client_get_reconnect_seconds (client), ==, -1);
  g_signal_handlers_disconnect_by_data (client, &bo);
  g_array_unref (bo.delays);
}

/* --- against the reference server --------------------------------------- */

static void
profile_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  NtFacilityProfile **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = nt_facility_profile_load_finish (result, &error);
  g_assert_no_error (error);
}

static NtFacilityProfile *
load_profile (TestFacility *tf)
{
  NtFacilityProfile *profile = NULL;

  nt_facility_profile_load_async (NULL, tf->base_uri, NULL, profile_cb, &profile);
  g_assert_true (SPIN_UNTIL (profile != NULL, 10000));
  return profile;
}

static void
test_live (void)
{
  TestFacility *tf = test_facility_start ();
  g_autoptr(NtFacilityProfile) profile = load_profile (tf);
  g_autofree char *uri = nt_facility_profile_dup_live_uri (profile);
  g_autoptr(NtPvClient) client = nt_pv_client_new (uri);
  const char *current_pv = nt_facility_profile_lookup (profile, "ring.current");
  const char *mode_pv = nt_facility_profile_lookup (profile, "ring.mode");
  const char *countdown_pv = nt_facility_profile_lookup (profile, "ring.topup.countdown");
  NtPvRecord *current, *mode, *countdown;
  Recorder rec;
  gint64 start;
  guint first_updates;
  double elapsed_ms;

  g_assert_nonnull (current_pv);
  g_assert_nonnull (mode_pv);
  g_assert_nonnull (countdown_pv);

  recorder_init (&rec, client);
  current = nt_pv_client_subscribe (client, current_pv);
  mode = nt_pv_client_subscribe (client, mode_pv);
  countdown = nt_pv_client_subscribe (client, countdown_pv);

  start = g_get_monotonic_time ();
  nt_pv_client_start (client);
  g_assert_true (SPIN_UNTIL (nt_pv_client_get_state (client) == NT_CONNECTION_CONNECTED, 5000));
  g_assert_null (nt_pv_client_get_disconnect_reason (client));

  /* first update: metadata and value */
  g_assert_true (SPIN_UNTIL (nt_pv_record_is_live (current) && nt_pv_record_is_live (mode) &&
                             nt_pv_record_is_live (countdown), 5000));
  g_assert_true (nt_pv_record_has_metadata (current));
  g_assert_cmpstr (nt_pv_record_get_units (current), ==, "mA");
  g_assert_cmpint (nt_pv_record_get_precision (current), >=, 0);
  g_assert_cmpint (nt_pv_record_get_value_kind (current), ==, NT_PV_VALUE_DOUBLE);
  g_assert_cmpfloat (nt_pv_record_get_double (current), >=, 0);
  g_assert_cmpfloat (nt_pv_record_get_double (current), <=, 600);
  g_assert_cmpint (nt_pv_record_get_time_usec (current), >, nt_clock_now_us () - G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  g_assert_cmpint (nt_pv_record_get_value_kind (mode), ==, NT_PV_VALUE_ENUM);
  g_assert_nonnull (nt_pv_record_get_labels (mode));
  g_assert_nonnull (nt_pv_record_get_enum_text (mode));

  /* later updates: partial, merged over the metadata */
  first_updates = nt_pv_record_get_n_updates (countdown);
  g_assert_true (SPIN_UNTIL (nt_pv_record_get_n_updates (countdown) >= first_updates + 2, 8000));
  g_assert_cmpstr (nt_pv_record_get_vtype (countdown), ==, "VDouble");
  g_assert_nonnull (nt_pv_record_get_units (countdown));
  g_assert_true (nt_pv_record_is_live (countdown));
  g_assert_cmpuint (rec.n_protocol_errors, ==, 0);
  g_assert_cmpuint (rec.n_server_errors, ==, 0);

  /* batched: at most one "updates" per batch interval (50 ms) */
  elapsed_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_test_message ("%u batches, %" G_GUINT64_FORMAT " messages in %.0f ms",
                  rec.n_batches, nt_pv_client_get_n_messages (client), elapsed_ms);
  g_assert_cmpuint (rec.n_batches, >, 0);
  g_assert_cmpfloat (rec.n_batches, <=, elapsed_ms / 50.0 + 2);
  g_assert_true (names_contain (rec.names, current_pv));

  /* clear, then subscribe again: a fresh first update with metadata */
  nt_pv_client_unsubscribe (client, countdown_pv);
  spin_for (200);
  g_assert_null (nt_pv_client_lookup (client, countdown_pv));
  countdown = nt_pv_client_subscribe (client, countdown_pv);
  g_assert_false (nt_pv_record_has_metadata (countdown));
  g_assert_true (SPIN_UNTIL (nt_pv_record_has_metadata (countdown), 5000));
  g_assert_true (nt_pv_record_is_live (countdown));

  /* an unknown PV: the server says so, the socket stays usable */
  nt_pv_client_subscribe (client, "NO:SUCH:PV");
  g_assert_true (SPIN_UNTIL (rec.n_server_errors > 0, 5000));
  g_assert_cmpint (nt_pv_client_get_state (client), ==, NT_CONNECTION_CONNECTED);
  first_updates = nt_pv_record_get_n_updates (countdown);
  g_assert_true (SPIN_UNTIL (nt_pv_record_get_n_updates (countdown) > first_updates, 5000));

  nt_pv_client_stop (client);
  g_assert_false (nt_pv_record_is_live (current));
  recorder_clear (&rec);
  test_facility_free (tf);
}

typedef struct
{
  guint  n_gaps;
  gint64 lost_at;
  gint64 restored_at;
} Gap;

static void
gap_cb (NtPvClient *client,
        gint64      lost_at,
        gint64      restored_at,
        Gap        *gap)
{
  gap->n_gaps++;
  gap->lost_at = lost_at;
  gap->restored_at = restored_at;
}

static void
test_restart (void)
{
  TestFacility *tf = test_facility_start ();
  g_autoptr(NtFacilityProfile) profile = load_profile (tf);
  g_autofree char *uri = nt_facility_profile_dup_live_uri (profile);
  g_autoptr(NtPvClient) client = nt_pv_client_new (uri);
  const char *current_pv = nt_facility_profile_lookup (profile, "ring.current");
  const char *countdown_pv = nt_facility_profile_lookup (profile, "ring.topup.countdown");
  NtPvRecord *current, *countdown;
  Gap gap = { 0 };
  gint64 killed_at, killed_real, lost_mono, restarted_real;
  guint updates_before;

  nt_pv_client_set_reconnect_delays (client, 100, 1000);
  g_signal_connect (client, "gap", G_CALLBACK (gap_cb), &gap);
  current = nt_pv_client_subscribe (client, current_pv);
  countdown = nt_pv_client_subscribe (client, countdown_pv);
  nt_pv_client_start (client);
  g_assert_true (SPIN_UNTIL (nt_pv_record_is_live (current) && nt_pv_record_is_live (countdown), 8000));
  g_assert_cmpint (nt_pv_client_get_lost_at (client), ==, 0);

  /* kill the server; it shuts down in this thread, so the client's 2 s
   * start when it is gone */
  killed_real = nt_clock_now_us ();
  test_facility_stop (tf);
  killed_at = g_get_monotonic_time ();

  g_assert_true (SPIN_UNTIL (nt_pv_client_get_state (client) == NT_CONNECTION_DISCONNECTED, 2000));
  lost_mono = g_get_monotonic_time ();
  g_test_message ("lost after %.0f ms", (lost_mono - killed_at) / 1000.0);
  g_assert_cmpint (lost_mono - killed_at, <=, 2 * G_USEC_PER_SEC);
  g_assert_nonnull (nt_pv_client_get_disconnect_reason (client));
  /* lost-at is the last message heard: just before the kill */
  g_assert_cmpint (nt_pv_client_get_lost_at (client), <=, killed_real);
  g_assert_cmpint (nt_pv_client_get_lost_at (client), >=, killed_real - 2 * G_USEC_PER_SEC);
  /* stale at once: staleness comes from the connection, not a value's age */
  g_assert_false (nt_pv_record_is_live (current));
  g_assert_cmpint (nt_pv_record_get_state (current), ==, NT_PV_STATE_DISCONNECTED);
  g_assert_cmpint (nt_pv_record_get_state (countdown), ==, NT_PV_STATE_DISCONNECTED);
  g_assert_true (nt_pv_record_has_metadata (current));   /* what we knew is kept */

  /* it keeps trying while the server is down */
  spin_for (1200);
  g_assert_cmpint (nt_pv_client_get_state (client), !=, NT_CONNECTION_CONNECTED);
  g_assert_cmpuint (gap.n_gaps, ==, 0);

  /* start it again on the same port */
  test_facility_restart (tf);
  restarted_real = nt_clock_now_us ();

  g_assert_true (SPIN_UNTIL (nt_pv_client_get_state (client) == NT_CONNECTION_CONNECTED, 5000));
  g_assert_null (nt_pv_client_get_disconnect_reason (client));

  /* the gap: from the loss to the reconnection */
  g_assert_cmpuint (gap.n_gaps, ==, 1);
  g_assert_cmpint (gap.lost_at, <=, killed_real);
  g_assert_cmpint (gap.lost_at, >=, killed_real - 2 * G_USEC_PER_SEC);
  g_assert_cmpint (gap.restored_at, >=, restarted_real);
  g_assert_cmpint (gap.restored_at, <=, nt_clock_now_us ());
  g_assert_cmpint (nt_pv_client_get_lost_at (client), ==, 0);

  /* subscriptions restored: both PVs live again and updating */
  g_assert_true (SPIN_UNTIL (nt_pv_record_is_live (current) && nt_pv_record_is_live (countdown), 5000));
  updates_before = nt_pv_record_get_n_updates (countdown);
  g_assert_true (SPIN_UNTIL (nt_pv_record_get_n_updates (countdown) > updates_before, 5000));
  g_assert_cmpuint (gap.n_gaps, ==, 1);

  nt_pv_client_stop (client);
  test_facility_free (tf);
}

/* --- the daemon, killed with SIGKILL ------------------------------------ */

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Starts nanoterasu-facility and waits until it says where it listens. */
static GSubprocess *
spawn_daemon (const char *db_path,
              guint       port)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *daemon = g_test_build_filename (G_TEST_BUILT, "..", "src", "facility",
                                                   "nanoterasu-facility", NULL);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GSubprocess *process;

  g_assert_true (g_file_test (daemon, G_FILE_TEST_IS_EXECUTABLE));
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, daemon, "--listen", listen,
                                         "--db", db_path, "--seed", "7", NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("%s", line);
  g_assert_nonnull (strstr (line, "listening on"));

  return process;
}

static void
test_kill_daemon (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("nt-client-test-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "facility.db", NULL);
  guint port = unused_port ();
  g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr(GSubprocess) daemon = spawn_daemon (db_path, port);
  g_autoptr(NtFacilityProfile) profile = NULL;
  g_autoptr(NtPvClient) client = NULL;
  g_autofree char *uri = NULL;
  NtPvRecord *current;
  Gap gap = { 0 };
  gint64 killed_at, killed_real, lost_after;

  nt_facility_profile_load_async (NULL, base, NULL, profile_cb, &profile);
  g_assert_true (SPIN_UNTIL (profile != NULL, 10000));
  uri = nt_facility_profile_dup_live_uri (profile);
  client = nt_pv_client_new (uri);
  nt_pv_client_set_reconnect_delays (client, 100, 1000);
  g_signal_connect (client, "gap", G_CALLBACK (gap_cb), &gap);
  current = nt_pv_client_subscribe (client, nt_facility_profile_lookup (profile, "ring.current"));
  nt_pv_client_start (client);
  g_assert_true (SPIN_UNTIL (nt_pv_record_is_live (current), 10000));

  /* kill -9: no goodbye, the kernel closes the socket */
  killed_real = nt_clock_now_us ();
  killed_at = g_get_monotonic_time ();
  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&daemon);

  g_assert_true (SPIN_UNTIL (nt_pv_client_get_state (client) == NT_CONNECTION_DISCONNECTED, 2000));
  lost_after = g_get_monotonic_time () - killed_at;
  g_test_message ("lost %.0f ms after kill -9", lost_after / 1000.0);
  g_assert_cmpint (lost_after, <=, 2 * G_USEC_PER_SEC);
  g_assert_false (nt_pv_record_is_live (current));

  /* again, same port, same database */
  daemon = spawn_daemon (db_path, port);
  g_assert_true (SPIN_UNTIL (nt_pv_client_get_state (client) == NT_CONNECTION_CONNECTED, 5000));
  g_assert_true (SPIN_UNTIL (nt_pv_record_is_live (current), 5000));
  g_assert_cmpuint (gap.n_gaps, ==, 1);
  g_assert_cmpint (gap.lost_at, <=, killed_real);
  g_assert_cmpint (gap.restored_at, >, killed_real);

  nt_pv_client_stop (client);
  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, NULL);

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
}

/* --- a peer that stops answering ---------------------------------------- */

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GMutex        mutex;
  GCond         cond;
  char         *uri;
  gboolean      paused;
  gboolean      release;
  GPtrArray    *conns;
} StallServer;

static void
stall_message_cb (SoupWebsocketConnection *conn,
                  int                      type,
                  GBytes                  *message,
                  gpointer                 user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *data;
  gsize len;
  JsonObject *obj;
  const char *kind;

  if (soup_websocket_connection_get_state (conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;   /* the client gave up on us while we were stalled */

  data = g_bytes_get_data (message, &len);
  if (!json_parser_load_from_data (parser, data, len, NULL))
    return;
  obj = json_node_get_object (json_parser_get_root (parser));
  kind = json_object_get_string_member (obj, "type");

  if (g_str_equal (kind, "echo"))
    soup_websocket_connection_send_text (conn, data);
  else if (g_str_equal (kind, "subscribe"))
    {
      JsonArray *pvs = json_object_get_array_member (obj, "pvs");

      for (guint i = 0; i < json_array_get_length (pvs); i++)
        {
          g_autofree char *update =
            g_strdup_printf ("{\"type\":\"update\",\"pv\":\"%s\",\"vtype\":\"VDouble\","
                             "\"severity\":\"NONE\",\"value\":1,\"seconds\":1,\"nanos\":0}",
                             json_array_get_string_element (pvs, i));
          soup_websocket_connection_send_text (conn, update);
        }
    }
}

static void
stall_ws_cb (SoupServer              *server,
             SoupServerMessage       *msg,
             const char              *path,
             SoupWebsocketConnection *conn,
             gpointer                 user_data)
{
  StallServer *ss = user_data;

  g_ptr_array_add (ss->conns, g_object_ref (conn));
  g_signal_connect (conn, "message", G_CALLBACK (stall_message_cb), ss);
}

static gpointer
stall_thread (gpointer data)
{
  StallServer *ss = data;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (ss->context);

  server = soup_server_new (NULL, NULL);
  soup_server_add_websocket_handler (server, "/pvws/pv", NULL, NULL, stall_ws_cb, ss, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);

  g_mutex_lock (&ss->mutex);
  ss->uri = g_strdup_printf ("ws://127.0.0.1:%d/pvws/pv", g_uri_get_port (uris->data));
  g_cond_broadcast (&ss->cond);
  g_mutex_unlock (&ss->mutex);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  g_main_loop_run (ss->loop);

  g_ptr_array_set_size (ss->conns, 0);
  soup_server_disconnect (server);
  g_main_context_pop_thread_default (ss->context);
  return NULL;
}

/* Runs in the server's thread and blocks it: the process is alive, its
 * sockets are open, and nothing answers. */
static gboolean
stall_pause_cb (gpointer data)
{
  StallServer *ss = data;

  g_mutex_lock (&ss->mutex);
  ss->paused = TRUE;
  g_cond_broadcast (&ss->cond);
  while (!ss->release)
    g_cond_wait (&ss->cond, &ss->mutex);
  g_mutex_unlock (&ss->mutex);

  return G_SOURCE_REMOVE;
}

static void
test_dead_peer (void)
{
  StallServer ss = { 0 };
  g_autoptr(NtPvClient) client = NULL;
  NtPvRecord *record;
  gint64 paused_at, paused_real, dead_after;

  g_mutex_init (&ss.mutex);
  g_cond_init (&ss.cond);
  ss.context = g_main_context_new ();
  ss.loop = g_main_loop_new (ss.context, FALSE);
  ss.conns = g_ptr_array_new_with_free_func (g_object_unref);
  ss.thread = g_thread_new ("stall-server", stall_thread, &ss);

  g_mutex_lock (&ss.mutex);
  while (ss.uri == NULL)
    g_cond_wait (&ss.cond, &ss.mutex);
  g_mutex_unlock (&ss.mutex);

  client = nt_pv_client_new (ss.uri);
  nt_pv_client_set_reconnect_delays (client, 5000, 10000);
  record = nt_pv_client_subscribe (client, "TEST:PV");
  nt_pv_client_start (client);
  g_assert_true (SPIN_UNTIL (nt_pv_record_is_live (record), 5000));

  /* Quiet but answering echoes: the keep-alive keeps it connected. */
  spin_for (2500);
  g_assert_cmpint (nt_pv_client_get_state (client), ==, NT_CONNECTION_CONNECTED);
  g_assert_true (nt_pv_record_is_live (record));

  /* Stop the peer without closing anything. */
  g_main_context_invoke (ss.context, stall_pause_cb, &ss);
  g_mutex_lock (&ss.mutex);
  while (!ss.paused)
    g_cond_wait (&ss.cond, &ss.mutex);
  g_mutex_unlock (&ss.mutex);
  paused_at = g_get_monotonic_time ();
  /* A frame the peer sent just before it paused may still be on the wire:
   * the client hears it on its next iterations, and that is the last
   * message heard, so the bound is taken after it has been read. */
  spin_for (100);
  paused_real = nt_clock_now_us ();

  g_assert_true (SPIN_UNTIL (nt_pv_client_get_state (client) == NT_CONNECTION_DISCONNECTED, 3000));
  dead_after = g_get_monotonic_time () - paused_at;
  g_test_message ("dead peer found after %.0f ms", dead_after / 1000.0);
  g_assert_cmpint (dead_after, <=, 2 * G_USEC_PER_SEC);
  g_assert_false (nt_pv_record_is_live (record));
  g_assert_nonnull (nt_pv_client_get_disconnect_reason (client));
  /* the gap starts at the last message heard, not when the loss was noticed */
  g_assert_cmpint (nt_pv_client_get_lost_at (client), <=, paused_real);
  g_assert_cmpint (nt_pv_client_get_lost_at (client), >=, paused_real - G_USEC_PER_SEC);

  nt_pv_client_stop (client);
  g_clear_object (&client);

  g_mutex_lock (&ss.mutex);
  ss.release = TRUE;
  g_cond_broadcast (&ss.cond);
  g_mutex_unlock (&ss.mutex);
  g_main_loop_quit (ss.loop);
  g_thread_join (ss.thread);

  g_ptr_array_unref (ss.conns);
  g_main_loop_unref (ss.loop);
  g_main_context_unref (ss.context);
  g_free (ss.uri);
  g_mutex_clear (&ss.mutex);
  g_cond_clear (&ss.cond);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every test here runs at a named instant, never at the real date. */
  nt_test_clock_run_from (NT_TEST_USER_OPERATION, 1.0);

  g_test_add_func ("/pv-record/merge-double", test_merge_double);
  g_test_add_func ("/pv-record/merge-enum-string", test_merge_enum_string);
  g_test_add_func ("/pv-record/merge-bad", test_merge_bad);
  g_test_add_func ("/pv-client/messages-and-batches", test_messages_and_batches);
  g_test_add_func ("/pv-client/thread-context", test_thread_context);
  g_test_add_func ("/pv-client/backoff", test_backoff);
  g_test_add_func ("/pv-client/live", test_live);
  g_test_add_func ("/pv-client/restart", test_restart);
  g_test_add_func ("/pv-client/kill-daemon", test_kill_daemon);
  g_test_add_func ("/pv-client/dead-peer", test_dead_peer);

  return g_test_run ();
}

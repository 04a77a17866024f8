/* schedule-write-util.h: request bodies for every kind of scheduling write
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the tests that send each kind of write many times
 * (test-auth-matrix, test-store-faults; header-only): a new object of a
 * collection, unique by @serial, that the store accepts inside the user
 * operation sched_write_setup () makes (2026-04-30 to 2026-12-01), and a
 * change to one.
 */
#pragma once

#include "schedule-test-util.h"

/* The user operation the allocations land in. */
#define SCHED_WRITE_PERIOD \
  "{\"kind\":\"user_operation\",\"start\":\"2026-04-30T00:00:00Z\",\"end\":\"2026-12-01T00:00:00Z\"}"

static inline char *
sched_new_body (guint       serial,
                const char *collection,
                gboolean    override)
{
  if (g_str_equal (collection, "run-plan"))
    /* Half-day maintenance periods in 2027, one per serial */
    return g_strdup_printf ("{\"kind\":\"maintenance\",\"start\":\"%s\",\"end\":\"%s\"}",
                            sched_jst (2027 + (int) (serial / 336), 1 + (int) (serial / 28 % 12), 1 + (int) (serial % 28), 9, 0),
                            sched_jst (2027 + (int) (serial / 336), 1 + (int) (serial / 28 % 12), 1 + (int) (serial % 28), 21, 0));
  if (g_str_equal (collection, "allocations"))
    {
      /* One-hour staff bookings on BL02U, one per serial */
      gint64 start = nt_time_from_local (2026, 5, 1, 9, 0) + (gint64) serial * 3600;
      char s0[NT_TIME_ISO_LEN + 1], s1[NT_TIME_ISO_LEN + 1];

      nt_time_format_iso_buf (start, s0);
      nt_time_format_iso_buf (start + 3600, s1);
      return g_strdup_printf ("{\"station\":\"BL02U\",\"start\":\"%s\",\"end\":\"%s\",\"slot\":\"staff\","
                              "\"status\":\"confirmed\",\"note\":\"write %u\"%s}", s0, s1, serial,
                              override ? ",\"override_reason\":\"tested\"" : "");
    }
  if (g_str_equal (collection, "members"))
    return g_strdup_printf ("{\"name\":\"Member %u\",\"units\":1,\"contract_start\":\"2024-04-01\","
                            "\"contract_end\":\"2034-03-31\"}", serial);
  if (g_str_equal (collection, "proposals"))
    return g_strdup_printf ("{\"id\":\"2026A%04u\",\"title\":\"Proposal %u\",\"pi\":\"Ann Example\","
                            "\"organisation\":\"Nowhere Institute\",\"proprietary\":false,"
                            "\"shifts_requested\":3,\"shifts_approved\":3}", 1000 + serial % 9000, serial);
  g_assert_not_reached ();
}

static inline char *
sched_patch_body (guint       serial,
                  const char *collection)
{
  if (g_str_equal (collection, "members"))
    return g_strdup_printf ("{\"name\":\"Member %u (renamed)\"}", serial);
  if (g_str_equal (collection, "proposals"))
    return g_strdup_printf ("{\"title\":\"Proposal %u (renamed)\"}", serial);
  if (g_str_equal (collection, "settings"))
    return g_strdup_printf ("{\"coalition_rate_jpy\":%u}", 30000 + serial);
  return g_strdup_printf ("{\"note\":\"patched %u\"}", serial);
}

/* POSTs a new object of @collection as @token; returns its id. */
static inline char *
sched_new_object (SchedFixture *f,
                  const char   *token,
                  guint         serial,
                  const char   *collection)
{
  g_auto(SchedReply) r = { 0 };
  g_autofree char *path = g_strconcat ("/api/v1/", collection, NULL);
  g_autofree char *body = sched_new_body (serial, collection, FALSE);
  JsonNode *id;

  sched_request (f, "POST", path, token, body, NULL, &r);
  if (r.status != 201)
    g_error ("cannot make a %s: %u %s", collection, r.status, r.text);
  id = json_object_get_member (sched_object (&r), "id");
  if (json_node_get_value_type (id) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (id));
  return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));
}

/* test-booking-store.c: the compact store of allocations and periods
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a timeline keeps instead of one GObject per booking: interning,
 * lookup by id, records that stay put while others come and go, the
 * object made on demand saying what the record says, updates in place (as
 * the change feed brings them), and the wire format read as strictly as
 * the models read it.
 */
#define G_LOG_DOMAIN "test-booking-store"

#include "config.h"

#include <string.h>

#include "nt-booking-store.h"
#include "nt-model-json.h"
#include "nt-time.h"
#include "test-instants.h"

#define HOUR 3600

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static char *
allocation_json (gint64      id,
                 const char *station,
                 gint64      start,
                 const char *slot,
                 const char *proposal,
                 const char *member,
                 const char *status,
                 const char *note,
                 gint64      revision)
{
  char a[NT_TIME_ISO_LEN + 1], b[NT_TIME_ISO_LEN + 1];

  nt_time_format_iso_buf (start, a);
  nt_time_format_iso_buf (start + 8 * HOUR, b);
  return g_strdup_printf ("{\"id\":%" G_GINT64_FORMAT ",\"station\":\"%s\",\"start\":\"%s\",\"end\":\"%s\","
                          "\"slot\":\"%s\",\"proposal\":%s,\"member\":%s,\"status\":\"%s\","
                          "\"note\":\"%s\",\"etag\":\"\\\"a%" G_GINT64_FORMAT "-r%" G_GINT64_FORMAT "\\\"\","
                          "\"revision\":%" G_GINT64_FORMAT "}",
                          id, station, a, b, slot, proposal, member, status, note, id, revision, revision);
}

static NtBooking *
put (NtBookingStore *store,
     const char     *json)
{
  g_autoptr(JsonNode) node = parse (json);
  g_autoptr(GError) error = NULL;
  NtBooking *b = nt_booking_store_put_json (store, NT_TYPE_ALLOCATION, node, &error);

  g_assert_no_error (error);
  g_assert_nonnull (b);
  return b;
}

/* Equal strings are one string; a booking is found by its id. */
static void
test_intern_lookup (void)
{
  g_autoptr(NtBookingStore) store = nt_booking_store_new ();
  gint64 t = nt_test_instant (NT_TEST_USER_OPERATION) / G_USEC_PER_SEC;
  g_autofree char *j1 = allocation_json (1, "BL07U", t, "public", "\"2026A0012\"", "null", "confirmed", "", 4);
  g_autofree char *j2 = allocation_json (2, "BL07U", t + 8 * HOUR, "public", "\"2026A0012\"", "null", "draft", "", 5);
  g_autofree char *j3 = allocation_json (3, "BL08W-SAXS", t, "coalition", "null", "3", "confirmed", "beam time", 6);
  g_autofree char *copy = g_strdup ("BL07U");
  NtBooking *a, *b, *c;

  a = put (store, j1);
  b = put (store, j2);
  c = put (store, j3);
  g_assert_cmpuint (nt_booking_store_get_size (store), ==, 3);

  /* Interned: the same address for the same text, whoever asks. */
  g_assert_true (a->station == b->station);
  g_assert_true (a->proposal == b->proposal);
  g_assert_true (nt_booking_store_intern (store, copy) == a->station);
  g_assert_false (a->station == c->station);
  g_assert_true (a->note == b->note);
  g_assert_cmpstr (c->note, ==, "beam time");
  g_assert_null (c->proposal);
  g_assert_cmpint (c->member, ==, 3);
  g_assert_cmpuint (c->slot, ==, NT_SLOT_COALITION);
  g_assert_cmpuint (b->status, ==, NT_ALLOCATION_DRAFT);
  g_assert_cmpstr (a->etag, ==, "\"a1-r4\"");

  g_assert_true (nt_booking_store_lookup (store, 1) == a);
  g_assert_true (nt_booking_store_lookup (store, 3) == c);
  g_assert_null (nt_booking_store_lookup (store, 4));
  g_assert_null (nt_booking_store_lookup (store, 0));
}

/* The object made on demand says what the record says; the record says
 * what the object it was made from said. */
static void
test_make_object (void)
{
  g_autoptr(NtBookingStore) store = nt_booking_store_new ();
  gint64 t = nt_test_instant (NT_TEST_USER_OPERATION) / G_USEC_PER_SEC;
  g_autofree char *j1 = allocation_json (7, "BL02U", t, "public", "\"2026A0044\"", "null", "cancelled", "moved", 12);
  g_autoptr(JsonNode) original = parse (j1);
  g_autoptr(NtAllocation) a = NULL;
  g_autoptr(JsonNode) back = NULL;
  g_autoptr(NtRunPeriod) p = nt_run_period_new (NT_PERIOD_MACHINE_STUDY, t, t + 24 * HOUR, "optics");
  g_autoptr(NtRunPeriod) p2 = NULL;
  NtBooking *b = put (store, j1), *pb;

  a = nt_booking_make_object (b);
  g_assert_true (NT_IS_ALLOCATION (a));
  g_assert_cmpint (nt_allocation_get_id (a), ==, 7);
  g_assert_cmpstr (nt_allocation_get_station (a), ==, "BL02U");
  g_assert_cmpint (nt_allocation_get_start (a), ==, t);
  g_assert_cmpint (nt_allocation_get_end (a), ==, t + 8 * HOUR);
  g_assert_cmpint (nt_allocation_get_slot (a), ==, NT_SLOT_PUBLIC);
  g_assert_cmpstr (nt_allocation_get_proposal (a), ==, "2026A0044");
  g_assert_cmpint (nt_allocation_get_member (a), ==, 0);
  g_assert_cmpint (nt_allocation_get_status (a), ==, NT_ALLOCATION_CANCELLED);
  g_assert_cmpstr (nt_allocation_get_note (a), ==, "moved");
  g_assert_cmpstr (nt_allocation_get_etag (a), ==, "\"a7-r12\"");
  g_assert_cmpint (nt_allocation_get_revision (a), ==, 12);
  g_assert_true (nt_booking_equal_object (b, a));

  /* The whole wire format comes back as it went in. */
  back = nt_allocation_to_json (a);
  g_assert_true (json_node_equal (original, back));

  /* A change to the object is one the record does not say. */
  nt_allocation_set_end (a, t + 16 * HOUR);
  g_assert_false (nt_booking_equal_object (b, a));

  /* Periods too, with their kind. */
  g_assert_null (nt_booking_store_put_object (store, p));  /* no id yet: not stored */
  {
    g_autofree char *json = NULL;
    char s1[NT_TIME_ISO_LEN + 1], s2[NT_TIME_ISO_LEN + 1];
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;

    nt_time_format_iso_buf (t, s1);
    nt_time_format_iso_buf (t + 24 * HOUR, s2);
    json = g_strdup_printf ("{\"id\":5,\"kind\":\"machine_study\",\"start\":\"%s\",\"end\":\"%s\","
                            "\"note\":\"optics\",\"etag\":\"\\\"p5-r3\\\"\",\"revision\":3}", s1, s2);
    node = parse (json);
    pb = nt_booking_store_put_json (store, NT_TYPE_RUN_PERIOD, node, &error);
    g_assert_no_error (error);
  }
  g_assert_true (NT_BOOKING_IS_PERIOD (pb));
  g_assert_cmpuint (pb->kind, ==, NT_PERIOD_MACHINE_STUDY);
  p2 = nt_booking_make_object (pb);
  g_assert_true (NT_IS_RUN_PERIOD (p2));
  g_assert_cmpint (nt_run_period_get_kind (p2), ==, NT_PERIOD_MACHINE_STUDY);
  g_assert_cmpstr (nt_run_period_get_note (p2), ==, "optics");
  g_assert_cmpstr (nt_run_period_get_etag (p2), ==, "\"p5-r3\"");
  g_assert_true (nt_booking_equal_object (pb, p2));
  g_assert_false (nt_booking_equal_object (pb, a));
}

/* An update (as the change feed brings it) replaces the record in place;
 * a removed record's place is reused, the others never move. */
static void
test_update_remove (void)
{
  g_autoptr(NtBookingStore) store = nt_booking_store_new ();
  gint64 t = nt_test_instant (NT_TEST_USER_OPERATION) / G_USEC_PER_SEC;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_autoptr(NtAllocation) newer = NULL;
  NtBooking *b, *again;

  /* Enough to fill several blocks. */
  for (gint64 id = 1; id <= 2000; id++)
    {
      g_autofree char *json = allocation_json (id, id % 2 ? "BL07U" : "BL02U", t + id * 8 * HOUR,
                                               "staff", "null", "null", "confirmed", "", id);

      g_ptr_array_add (kept, put (store, json));
    }
  for (guint i = 0; i < kept->len; i++)
    g_assert_true (nt_booking_store_lookup (store, i + 1) == kept->pdata[i]);
  /* Well under a kilobyte a booking (DESIGN.md): a record, its place in
   * the index, its etag. */
  g_assert_cmpuint (nt_booking_store_get_bytes (store) / 2000, <, 256);

  /* The feed says booking 10 moved to BL13U, a day later, confirmed by a
   * new revision. */
  b = nt_booking_store_lookup (store, 10);
  b->tag = 42;  /* the view's own: kept across the update */
  newer = nt_booking_make_object (b);
  nt_allocation_set_station (newer, "BL13U");
  nt_allocation_set_start (newer, nt_allocation_get_start (newer) + 24 * HOUR);
  nt_allocation_set_end (newer, nt_allocation_get_end (newer) + 24 * HOUR);
  again = nt_booking_store_put_object (store, newer);
  g_assert_true (again == b);
  g_assert_cmpstr (b->station, ==, "BL13U");
  g_assert_cmpint (b->start, ==, t + 10 * 8 * HOUR + 24 * HOUR);
  g_assert_cmpuint (b->tag, ==, 42);
  g_assert_cmpuint (nt_booking_store_get_size (store), ==, 2000);

  /* Deleted: gone by id and from the walk; its place is reused. */
  g_assert_true (nt_booking_store_remove (store, 10));
  g_assert_false (nt_booking_store_remove (store, 10));
  g_assert_null (nt_booking_store_lookup (store, 10));
  g_assert_cmpuint (nt_booking_store_get_size (store), ==, 1999);
  {
    g_autofree char *json = allocation_json (5000, "BL09U", t, "staff", "null", "null", "draft", "", 1);

    g_assert_true (put (store, json) == b);
  }
  g_assert_true (nt_booking_store_lookup (store, 11) == kept->pdata[10]);
  g_assert_true (nt_booking_store_lookup (store, 2000) == kept->pdata[1999]);
}

static gboolean
count_cb (const NtBooking *b,
          gpointer         user_data)
{
  g_assert_cmpint (b->id, >, 0);
  (*(guint *)user_data)++;
  return TRUE;
}

static void
test_foreach_clear (void)
{
  g_autoptr(NtBookingStore) store = nt_booking_store_new ();
  gint64 t = nt_test_instant (NT_TEST_USER_OPERATION) / G_USEC_PER_SEC;
  guint n = 0;

  for (gint64 id = 1; id <= 600; id++)
    {
      g_autofree char *json = allocation_json (id, "BL07U", t + id * 8 * HOUR, "staff", "null", "null",
                                               "confirmed", "", id);

      put (store, json);
    }
  for (gint64 id = 1; id <= 600; id += 3)
    nt_booking_store_remove (store, id);
  g_assert_true (nt_booking_store_foreach (store, count_cb, &n));
  g_assert_cmpuint (n, ==, 400);

  nt_booking_store_clear (store);
  n = 0;
  nt_booking_store_foreach (store, count_cb, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_null (nt_booking_store_lookup (store, 2));
}

/* The wire format is read as strictly as the models read it; nothing is
 * stored from a bad item. */
static void
test_bad_json (void)
{
  g_autoptr(NtBookingStore) store = nt_booking_store_new ();
  const char *bad[] = {
    "{\"id\":1,\"station\":\"BL07U\",\"start\":\"2026-07-15T00:00:00Z\",\"end\":\"2026-07-14T00:00:00Z\","
    "\"slot\":\"staff\",\"proposal\":null,\"member\":null,\"status\":\"confirmed\",\"etag\":\"\\\"x\\\"\",\"revision\":1}",
    "{\"id\":1,\"station\":\"BL07U\",\"start\":\"2026-07-15T00:00:00Z\",\"end\":\"2026-07-15T08:00:00Z\","
    "\"slot\":\"nope\",\"proposal\":null,\"member\":null,\"status\":\"confirmed\",\"etag\":\"\\\"x\\\"\",\"revision\":1}",
    /* no etag: a list item must have one */
    "{\"id\":1,\"station\":\"BL07U\",\"start\":\"2026-07-15T00:00:00Z\",\"end\":\"2026-07-15T08:00:00Z\","
    "\"slot\":\"staff\",\"proposal\":null,\"member\":null,\"status\":\"confirmed\",\"revision\":1}",
    /* no id */
    "{\"station\":\"BL07U\",\"start\":\"2026-07-15T00:00:00Z\",\"end\":\"2026-07-15T08:00:00Z\","
    "\"slot\":\"staff\",\"proposal\":null,\"member\":null,\"status\":\"confirmed\",\"etag\":\"\\\"x\\\"\",\"revision\":1}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = parse (bad[i]);
      g_autoptr(GError) error = NULL;

      g_assert_null (nt_booking_store_put_json (store, NT_TYPE_ALLOCATION, node, &error));
      g_assert_true (error != NULL && error->domain == NT_MODEL_ERROR);
      g_assert_cmpuint (nt_booking_store_get_size (store), ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/booking-store/intern-lookup", test_intern_lookup);
  g_test_add_func ("/booking-store/make-object", test_make_object);
  g_test_add_func ("/booking-store/update-remove", test_update_remove);
  g_test_add_func ("/booking-store/foreach-clear", test_foreach_clear);
  g_test_add_func ("/booking-store/bad-json", test_bad_json);

  return g_test_run ();
}

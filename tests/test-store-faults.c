/* test-store-faults.c: the scheduling store under a full disk and I/O
 * errors, injected at every write, sync and truncate of every kind of write
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's file is opened through fault-vfs.h's shim.  For each kind of
 * write (POST, PATCH and DELETE of periods, allocations, members and
 * proposals; PATCH of the settings) and each fault (a disk that stays full,
 * an I/O error once, an I/O error that stays), the request is sent with
 * the Nth disk-changing call failing, for N = 1, 2, … until a request runs
 * past every such call.  Each answer is either a 2xx whose change is in the
 * file, or 507 (full) / 503 (I/O error) with an error body that says so,
 * and then nothing of it is in the file: not the row, not the audit entry,
 * not the revision.  While the fault lasts the service still answers
 * reads; once it clears, the same write goes through.  A second pass does
 * the same with the write-ahead log checkpointed after every commit, so
 * the faults also land in the checkpoint that follows a commit; a third
 * with a page cache of one page (the store must still write only when it
 * commits); and a fourth with that cache spilled, as the store does not
 * let it, so that the faults land in the statements half-way through a
 * write, reads included.  Every
 * iteration ends with PRAGMA integrity_check (on a connection of its own,
 * beside the shim); at the end the file is opened by a new service and
 * every write that was acknowledged is there as acknowledged.
 */
#define G_LOG_DOMAIN "test-store-faults"

#include "config.h"

#include "fault-vfs.h"
#include "schedule-write-util.h"
#include "test-instants.h"

typedef struct
{
  const char *method;
  const char *collection;   /* or "settings" */
} WriteKind;

static const WriteKind kinds[] = {
  { "POST", "run-plan" }, { "PATCH", "run-plan" }, { "DELETE", "run-plan" },
  { "POST", "allocations" }, { "PATCH", "allocations" }, { "DELETE", "allocations" },
  { "POST", "members" }, { "PATCH", "members" }, { "DELETE", "members" },
  { "POST", "proposals" }, { "PATCH", "proposals" }, { "DELETE", "proposals" },
  { "PATCH", "settings" },
};

typedef struct
{
  FaultKind   kind;
  gboolean    persistent;
  const char *label;
} FaultMode;

static const FaultMode modes[] = {
  { FAULT_FULL, TRUE, "disk full" },
  { FAULT_IOERR, FALSE, "one I/O error" },
  { FAULT_IOERR, TRUE, "I/O errors" },
};

typedef struct
{
  SchedFixture  sched;
  sqlite3      *observer;   /* the file as another process sees it */
  guint         serial;
  GHashTable   *acked;      /* path → etag acknowledged, or "" for deleted */
  guint         n_requests;
  guint         n_refused;
  GHashTable   *refusals;   /* what the refusals said failed (the words before ":") */
  gboolean      spill;
} Fixture;

typedef struct
{
  gboolean checkpoint_each;  /* the WAL checkpointed after every commit */
  gboolean tiny_cache;       /* a page cache of one page */
  gboolean spill;            /* spilled mid-transaction (the store turns it off) */
} StoreConfig;

static const char *
admin_token (Fixture *f)
{
  return f->sched.tokens[NT_ROLE_ADMIN];
}

static gint64
observe_int (Fixture    *f,
             const char *sql)
{
  sqlite3_stmt *s = NULL;
  gint64 v;

  g_assert_cmpint (sqlite3_prepare_v2 (f->observer, sql, -1, &s, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  return v;
}

static void
assert_file_sound (Fixture *f)
{
  sqlite3_stmt *s = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (f->observer, "PRAGMA integrity_check", -1, &s, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (s, 0), ==, "ok");
  sqlite3_finalize (s);
  g_assert_cmpint (sqlite3_prepare_v2 (f->observer, "PRAGMA foreign_key_check", -1, &s, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_DONE);
  sqlite3_finalize (s);
  /* The revision, the audit log and the change feed agree */
  g_assert_cmpint (observe_int (f, "SELECT value FROM meta WHERE key = 'revision'"), ==,
                   observe_int (f, "SELECT MAX (revision) FROM changes"));
  g_assert_cmpint (observe_int (f, "SELECT value FROM meta WHERE key = 'revision'"), ==,
                   observe_int (f, "SELECT COUNT (*) FROM changes"));
}

static gint64
file_revision (Fixture *f)
{
  return observe_int (f, "SELECT value FROM meta WHERE key = 'revision'");
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_auto(SchedReply) r = { 0 };

  fault_vfs_disarm ();
  sched_fixture_setup (&f->sched, data);
  f->acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->refusals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_assert_cmpint (sqlite3_open_v2 (f->sched.db_path, &f->observer, SQLITE_OPEN_READONLY, "unix"), ==, SQLITE_OK);

  sched_request (&f->sched, "POST", "/api/v1/run-plan", admin_token (f), SCHED_WRITE_PERIOD, NULL, &r);
  g_assert_cmpuint (r.status, ==, 201);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  fault_vfs_disarm ();
  sqlite3_close (f->observer);
  g_clear_pointer (&f->acked, g_hash_table_unref);
  g_clear_pointer (&f->refusals, g_hash_table_unref);
  sched_fixture_teardown (&f->sched, data);
}

/* The ETag of @path now (NULL when it answers 404). */
static char *
current_etag (Fixture    *f,
              const char *path)
{
  g_auto(SchedReply) r = { 0 };

  sched_request (&f->sched, "GET", path, admin_token (f), NULL, NULL, &r);
  if (r.status == 404)
    return NULL;
  g_assert_cmpuint (r.status, ==, 200);
  return g_strdup (json_object_get_string_member (sched_object (&r), "etag"));
}

typedef struct
{
  char *path;      /* of the request */
  char *item;      /* of the object it changes (NULL for a POST until answered) */
  char *body;
  char *before;    /* the object's etag before (NULL: none yet) */
} Write;

static void
write_clear (Write *w)
{
  g_clear_pointer (&w->path, g_free);
  g_clear_pointer (&w->item, g_free);
  g_clear_pointer (&w->body, g_free);
  g_clear_pointer (&w->before, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Write, write_clear)

/* A write of @kind ready to send: its target made (without faults). */
static void
prepare (Fixture         *f,
         const WriteKind *kind,
         Write           *w)
{
  guint serial = ++f->serial;

  if (g_str_equal (kind->collection, "settings"))
    {
      w->path = g_strdup ("/api/v1/settings");
      w->item = g_strdup (w->path);
    }
  else if (g_str_equal (kind->method, "POST"))
    w->path = g_strconcat ("/api/v1/", kind->collection, NULL);
  else
    {
      g_autofree char *id = sched_new_object (&f->sched, admin_token (f), serial, kind->collection);

      w->path = g_strconcat ("/api/v1/", kind->collection, "/", id, NULL);
      w->item = g_strdup (w->path);
    }

  if (g_str_equal (kind->method, "POST"))
    w->body = sched_new_body (++f->serial, kind->collection, FALSE);
  else if (g_str_equal (kind->method, "PATCH"))
    w->body = sched_patch_body (++f->serial, kind->collection);
  if (w->item != NULL)
    w->before = current_etag (f, w->item);
}

/* Records a 2xx: what the object now is, as the reply said. */
static void
acknowledge (Fixture    *f,
             Write      *w,
             SchedReply *r)
{
  const char *location = soup_message_headers_get_one (r->headers, "Location");

  if (w->item == NULL)
    {
      g_assert_nonnull (location);
      w->item = g_strdup (location);
    }
  if (r->status == 204)
    g_hash_table_replace (f->acked, g_strdup (w->item), g_strdup (""));
  else
    g_hash_table_replace (f->acked, g_strdup (w->item),
                          g_strdup (soup_message_headers_get_one (r->headers, "ETag")));
}

/* The object as acknowledged is what the service serves. */
static void
assert_acknowledged (Fixture    *f,
                     const char *item)
{
  const char *etag = g_hash_table_lookup (f->acked, item);
  g_autofree char *now = current_etag (f, item);

  if (*etag == '\0')
    g_assert_null (now);
  else
    g_assert_cmpstr (now, ==, etag);
}

static void
send_write (Fixture         *f,
            const WriteKind *kind,
            Write           *w,
            SchedReply      *r)
{
  const char *if_match = g_str_equal (kind->method, "POST") ? NULL : "*";

  sched_request (&f->sched, kind->method, w->path, admin_token (f), w->body, if_match, r);
  f->n_requests++;
}

/* One write with the @n-th disk-changing call failing as @mode says;
 * returns FALSE when the write ran past all its calls (no fault hit). */
static gboolean
one_fault (Fixture         *f,
           const WriteKind *kind,
           const FaultMode *mode,
           int              n)
{
  g_auto(Write) w = { 0 };
  g_auto(SchedReply) r = { 0 };
  g_autofree char *collection_path = NULL;
  gint64 rev_before, changes_before;
  int hits;

  prepare (f, kind, &w);
  rev_before = file_revision (f);
  changes_before = observe_int (f, "SELECT COUNT (*) FROM changes");

  fault_vfs_arm (n, mode->kind, mode->persistent);
  send_write (f, kind, &w, &r);
  hits = fault_vfs_hits ();

  if (mode->persistent && hits > 0)
    {
      /* The disk is still failing: reads are still served */
      g_auto(SchedReply) read = { 0 };

      collection_path = g_strconcat ("/api/v1/", g_str_equal (kind->collection, "settings") ? "settings" : kind->collection, NULL);
      sched_request (&f->sched, "GET", collection_path, f->sched.tokens[NT_ROLE_VIEWER], NULL, NULL, &read);
      g_assert_cmpuint (read.status, ==, 200);
      if (w.item != NULL)
        {
          g_autofree char *etag = current_etag (f, w.item);

          if (r.status >= 300)
            g_assert_cmpstr (etag, ==, w.before);
        }
    }
  fault_vfs_disarm ();

  if (r.status >= 200 && r.status < 300)
    {
      /* Committed whole: in the file, and served as acknowledged */
      g_assert_cmpint (file_revision (f), ==, rev_before + 1);
      g_assert_cmpint (observe_int (f, "SELECT COUNT (*) FROM changes"), ==, changes_before + 1);
      acknowledge (f, &w, &r);
      assert_acknowledged (f, w.item);
    }
  else
    {
      JsonObject *error;
      const char *message;
      const char *code;

      /* A full disk says so; but when a read half-way through a write hit
       * it (the cache spilled), the store only knows that SQLite ended the
       * transaction: a 503 then */
      if (r.status != (mode->kind == FAULT_FULL ? 507u : 503u) &&
          !(f->spill && r.status == 503))
        g_error ("%s %s, %s at call %d: %u %s", kind->method, kind->collection, mode->label, n, r.status, r.text);
      g_assert_cmpint (hits, >, 0);
      error = json_object_get_object_member (sched_object (&r), "error");
      code = json_object_get_string_member (error, "code");
      message = json_object_get_string_member (error, "message");
      g_assert_cmpstr (code, ==, r.status == 507 ? "storage_full" : "storage_error");
      g_assert_nonnull (strstr (message, "nothing was saved"));
      g_assert_nonnull (strstr (message, r.status == 507 ? "disk is full" : "disk"));
      f->n_refused++;
      g_hash_table_add (f->refusals, g_strndup (message, strcspn (message, ":")));

      /* Refused whole: nothing of it in the file, the object as it was */
      g_assert_cmpint (file_revision (f), ==, rev_before);
      g_assert_cmpint (observe_int (f, "SELECT COUNT (*) FROM changes"), ==, changes_before);
      if (w.item != NULL)
        {
          g_autofree char *etag = current_etag (f, w.item);

          g_assert_cmpstr (etag, ==, w.before);
        }

      /* The fault cleared, the same write goes through */
      sched_reply_clear (&r);
      send_write (f, kind, &w, &r);
      if (r.status < 200 || r.status >= 300)
        g_error ("%s %s after %s at call %d cleared: %u %s", kind->method, kind->collection, mode->label, n,
                 r.status, r.text);
      g_assert_cmpint (file_revision (f), ==, rev_before + 1);
      acknowledge (f, &w, &r);
      assert_acknowledged (f, w.item);
    }
  assert_file_sound (f);
  return hits > 0;
}

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  const StoreConfig *config = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;
  GHashTableIter iter;
  gpointer key;

  if (config->checkpoint_each)
    g_assert_true (nt_db_exec (f->sched.db, "PRAGMA wal_autocheckpoint=1", &error));
  g_assert_no_error (error);
  if (config->tiny_cache)
    g_assert_true (nt_db_exec (f->sched.db, "PRAGMA cache_size=1", &error));
  g_assert_no_error (error);
  if (config->spill)
    g_assert_true (nt_db_exec (f->sched.db, "PRAGMA cache_spill=ON", &error));
  g_assert_no_error (error);
  f->spill = config->spill;

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
      {
        int n = 1;

        while (one_fault (f, &kinds[k], &modes[m], n))
          {
            n++;
            g_assert_cmpint (n, <, 500);
          }
        g_test_message ("%s %s, %s: %d disk-changing calls, each failed in turn", kinds[k].method,
                        kinds[k].collection, modes[m].label, n - 1);
        g_assert_cmpint (n, >, 1);
      }
  g_test_message ("%u requests, %u refused", f->n_requests, f->n_refused);
  {
    g_autofree gpointer *keys = g_hash_table_get_keys_as_array (f->refusals, NULL);

    what = g_strjoinv ("; ", (char **) keys);
  }
  g_test_message ("refused at: %s", what);

  /* A new service on the file serves every acknowledged write */
  nt_schedule_service_shutdown (f->sched.service);
  soup_server_disconnect (f->sched.server);
  g_clear_object (&f->sched.server);
  g_clear_object (&f->sched.service);
  g_clear_object (&f->sched.db);
  {
    g_autoptr(GSList) uris = NULL;
    g_autofree char *uri = NULL;

    f->sched.db = nt_db_open (f->sched.db_path, &error);
    g_assert_no_error (error);
    f->sched.service = nt_schedule_service_new (f->sched.db, &error);
    g_assert_no_error (error);
    f->sched.server = soup_server_new (NULL, NULL);
    nt_schedule_service_attach (f->sched.service, f->sched.server);
    soup_server_listen_local (f->sched.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
    g_assert_no_error (error);
    uris = soup_server_get_uris (f->sched.server);
    uri = g_uri_to_string (uris->data);
    g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
    g_free (f->sched.base);
    f->sched.base = g_strndup (uri, strlen (uri) - (g_str_has_suffix (uri, "/") ? 1 : 0));
  }
  g_hash_table_iter_init (&iter, f->acked);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    assert_acknowledged (f, key);
  assert_file_sound (f);
}

/* A whole request stream against a full disk: every write refused with
 * 507, reads served, and writes back as soon as there is room again. */
static void
test_full_disk_stream (Fixture       *f,
                       gconstpointer  data)
{
  gint64 rev = file_revision (f);

  fault_vfs_arm (1, FAULT_FULL, TRUE);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_auto(Write) w = { 0 };
      g_auto(SchedReply) r = { 0 };
      g_auto(SchedReply) read = { 0 };

      fault_vfs_disarm ();
      prepare (f, &kinds[k], &w);
      rev = file_revision (f);
      fault_vfs_arm (1, FAULT_FULL, TRUE);
      send_write (f, &kinds[k], &w, &r);
      g_assert_cmpuint (r.status, ==, 507);
      g_assert_cmpstr (sched_error_code (&r), ==, "storage_full");
      sched_request (&f->sched, "GET", "/api/v1/summary?fy=2026", f->sched.tokens[NT_ROLE_VIEWER], NULL, NULL, &read);
      g_assert_cmpuint (read.status, ==, 200);
      g_assert_cmpint (file_revision (f), ==, rev);
    }
  fault_vfs_disarm ();
  assert_file_sound (f);
}

static const StoreConfig plain = { FALSE, FALSE, FALSE };
static const StoreConfig checkpointed = { TRUE, FALSE, FALSE };
static const StoreConfig tiny = { FALSE, TRUE, FALSE };
static const StoreConfig spilling = { FALSE, TRUE, TRUE };

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  nt_test_clock_fix_at (NT_TEST_USER_OPERATION);
  fault_vfs_install ();

  g_test_add ("/store-faults/every-call", Fixture, &plain, fixture_setup, test_faults, fixture_teardown);
  g_test_add ("/store-faults/every-call-checkpointed", Fixture, &checkpointed,
              fixture_setup, test_faults, fixture_teardown);
  g_test_add ("/store-faults/every-call-tiny-cache", Fixture, &tiny, fixture_setup, test_faults, fixture_teardown);
  g_test_add ("/store-faults/every-call-spilling", Fixture, &spilling, fixture_setup, test_faults, fixture_teardown);
  g_test_add ("/store-faults/full-disk-stream", Fixture, NULL,
              fixture_setup, test_full_disk_stream, fixture_teardown);

  return g_test_run ();
}

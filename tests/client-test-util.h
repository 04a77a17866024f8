/* client-test-util.h: helpers shared by the client tests (header only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real reference server on 127.0.0.1 over a temporary database, and a
 * way to run the main loop until something happens or a deadline passes.
 */
#pragma once

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "nt-facility.h"
#include "test-wait.h"

typedef struct
{
  char       *dir;
  char       *db_path;
  NtFacility *facility;
  char       *base_uri;
  guint       port;
} TestFacility;

static inline gboolean
spin_tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the default main context until @cond holds or @timeout_ms (times
 * the wait factor) passes; evaluates to whether @cond holds. */
#define SPIN_UNTIL(cond, timeout_ms) \
  ({ \
    gint64 _deadline = g_get_monotonic_time () + \
                       (gint64)((timeout_ms) * nt_test_wait_factor ()) * 1000; \
    guint _tick = g_timeout_add (5, spin_tick_cb, NULL); \
    while (!(cond) && g_get_monotonic_time () < _deadline) \
      g_main_context_iteration (NULL, TRUE); \
    g_source_remove (_tick); \
    (gboolean)(cond); \
  })

static inline void
spin_for (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)ms * 1000;

  (void)SPIN_UNTIL (g_get_monotonic_time () >= deadline, ms + 1000);
}

static inline guint
uri_port (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (parsed);
  return (guint)g_uri_get_port (parsed);
}

static inline void
test_facility_open (TestFacility *tf,
                    guint         port)
{
  g_autoptr(GError) error = NULL;
  NtFacilityOptions options = { 0 };

  g_assert_null (tf->facility);

  options.db_path = tf->db_path;
  options.seed = 42;

  tf->facility = nt_facility_new (&options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tf->facility);

  nt_facility_listen (tf->facility, "127.0.0.1", port, &error);
  g_assert_no_error (error);

  g_free (tf->base_uri);
  tf->base_uri = nt_facility_dup_base_uri (tf->facility);
  g_assert_nonnull (tf->base_uri);
  tf->port = uri_port (tf->base_uri);
  if (port != 0)
    g_assert_cmpuint (tf->port, ==, port);
}

/* Starts the reference services on any free port of 127.0.0.1 over a
 * database in a new temporary directory. */
static inline TestFacility *
test_facility_start (void)
{
  g_autoptr(GError) error = NULL;
  TestFacility *tf = g_new0 (TestFacility, 1);

  tf->dir = g_dir_make_tmp ("nt-client-test-XXXXXX", &error);
  g_assert_no_error (error);
  tf->db_path = g_build_filename (tf->dir, "facility.db", NULL);

  test_facility_open (tf, 0);

  return tf;
}

/* Starts stopped services again, on the same port, over the same
 * database. */
static inline void
test_facility_restart (TestFacility *tf)
{
  test_facility_open (tf, tf->port);
}

/* Shuts the services down as a crash would leave them for clients: the
 * listening socket and every connection go away. The database stays. */
static inline void
test_facility_stop (TestFacility *tf)
{
  if (tf->facility == NULL)
    return;

  nt_facility_shutdown (tf->facility);
  g_clear_object (&tf->facility);
}

static inline void
test_facility_free (TestFacility *tf)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  test_facility_stop (tf);

  d = g_dir_open (tf->dir, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (tf->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (tf->dir);

  g_free (tf->dir);
  g_free (tf->db_path);
  g_free (tf->base_uri);
  g_free (tf);
}

/* A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
static inline guint
unused_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  return port;
}

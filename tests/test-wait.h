/* test-wait.h: how much longer than written a test waits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

/* How much longer than written a test waits for something to happen:
 * NT_TEST_WAIT_FACTOR (at least 1), which the sanitizer run sets because
 * everything there runs several times slower.  The plain run keeps the
 * bounds as written. */
static inline double
nt_test_wait_factor (void)
{
  static double factor = 0;

  if (factor == 0)
    {
      const char *s = g_getenv ("NT_TEST_WAIT_FACTOR");

      factor = MAX (s != NULL ? g_ascii_strtod (s, NULL) : 1.0, 1.0);
    }
  return factor;
}

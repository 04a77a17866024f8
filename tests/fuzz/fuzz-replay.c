/* fuzz-replay.c: runs a fuzz target over files, without libFuzzer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main() of the replay tests: every file of the directories (and
 * every file) named on the command line goes once through the target's
 * LLVMFuzzerTestOneInput, in name order.  A crash, a sanitizer report or
 * a failed assertion fails the test; so the ordinary suite replays each
 * seed corpus and every fixed crash (tests/fuzz/regressions) in a build
 * without libFuzzer.
 */
#define G_LOG_DOMAIN "fuzz-replay"

#include "config.h"

#include <stdio.h>

#include "fuzz-common.h"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        collect (child, files);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  for (int i = 1; i < argc; i++)
    collect (argv[i], files);
  g_ptr_array_sort (files, compare_names);

  if (files->len == 0)
    {
      fprintf (stderr, "no inputs\n");
      return 1;
    }

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize len;

      if (!g_file_get_contents (path, &contents, &len, &error))
        {
          fprintf (stderr, "%s: %s\n", path, error->message);
          return 1;
        }
      printf ("%s (%" G_GSIZE_FORMAT " bytes)\n", path, len);
      fflush (stdout);
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
    }
  printf ("%u inputs replayed\n", files->len);
  return 0;
}

/* fuzz-common.h: what the fuzz targets share (header only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The libFuzzer entry point each target defines, the selector byte that
 * picks one parser of a target's family, and the one-time setup: GLib's
 * criticals and warnings made fatal (a parser that trips a g_return_if_fail
 * on bad input is a bug, as under G_DEBUG=fatal-warnings in the suite) and
 * the process's clock fixed at an instant (never the wall clock).
 */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "nt-clock.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* 2026-07-15T10:00+09:00 (NT_TEST_USER_OPERATION), in Unix microseconds. */
#define FUZZ_NOW_US G_GINT64_CONSTANT (1784077200000000)

/* The parser of a family the first byte picks: 'A' the first, 'B' the
 * second, …; any other byte picks one too (so that every mutation reaches
 * a parser). */
static inline guint
fuzz_selector (const uint8_t *data,
               guint          n_parsers)
{
  return (guint) (guint8) (data[0] - 'A') % n_parsers;
}

/* Criticals and warnings abort (a signal libFuzzer catches and saves the
 * input for; G_DEBUG=fatal-warnings would trap instead); debug messages go. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) == 0)
    return G_LOG_WRITER_HANDLED;
  g_log_writer_standard_streams (level, fields, n_fields, user_data);
  abort ();
}

static inline void
fuzz_setup_once (void)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("TZ", "UTC", TRUE);
  nt_clock_set_fixed (nt_clock_get_default (), FUZZ_NOW_US);
}

/* The parser an input goes to, and the bytes that parser reads: built
 * with -DFUZZ_PARSER=N (a per-parser target, tests/fuzz/targets.txt), N
 * and the whole input; else (the family's target and its replay) the
 * selector's parser and the bytes after it.  FALSE: an empty input, no
 * parser. */
static inline gboolean
fuzz_route (const uint8_t **data,
            size_t         *size,
            guint           n_parsers,
            guint          *parser)
{
#ifdef FUZZ_PARSER
  (void) data;
  (void) size;
  (void) n_parsers;
  *parser = FUZZ_PARSER;
  return TRUE;
#else
  if (*size < 1)
    return FALSE;
  *parser = fuzz_selector (*data, n_parsers);
  *data += 1;
  *size -= 1;
  return TRUE;
#endif
}

/* The bytes, NUL-terminated (a copy). */
static inline char *
fuzz_text (const uint8_t *data,
           size_t         size)
{
  return g_strndup ((const char *) data, size);
}

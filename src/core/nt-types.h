/* nt-types.h: forward declarations shared across the console's libraries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _NtBeamline NtBeamline;
typedef struct _NtStation  NtStation;
typedef struct _NtCatalogue NtCatalogue;

typedef enum
{
  NT_PROGRAM_PUBLIC,
  NT_PROGRAM_COALITION,
} NtProgram;

typedef enum
{
  NT_SOURCE_UNDULATOR,
  NT_SOURCE_WIGGLER,
} NtSource;

typedef enum
{
  NT_STATION_MAIN,
  NT_STATION_BRANCH,
} NtStationKind;

const char *nt_program_to_string      (NtProgram      program);
gboolean    nt_program_from_string    (const char    *str,
                                       NtProgram     *program);
const char *nt_station_kind_to_string (NtStationKind  kind);
gboolean    nt_station_kind_from_string (const char  *str,
                                         NtStationKind *kind);

G_END_DECLS

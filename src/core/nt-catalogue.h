/* nt-catalogue.h: the facility's beamlines and stations, loaded from JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "nt-beamline.h"
#include "nt-station.h"

G_BEGIN_DECLS

#define NT_CATALOGUE_ERROR (nt_catalogue_error_quark ())

typedef enum
{
  NT_CATALOGUE_ERROR_PARSE,          /* not JSON at all */
  NT_CATALOGUE_ERROR_INVALID,        /* JSON of the wrong shape: a member missing or mistyped */
  NT_CATALOGUE_ERROR_UNKNOWN_VALUE,  /* a value outside its set (program, station kind) */
  NT_CATALOGUE_ERROR_DUPLICATE,      /* two beamlines or stations with one id */
} NtCatalogueError;

#define NT_TYPE_CATALOGUE (nt_catalogue_get_type ())

G_DECLARE_FINAL_TYPE (NtCatalogue, nt_catalogue, NT, CATALOGUE, GObject)

GQuark       nt_catalogue_error_quark        (void);

NtCatalogue *nt_catalogue_new_from_bytes     (GBytes       *bytes,
                                              GError      **error);
NtCatalogue *nt_catalogue_new_default        (GError      **error);
const char  *nt_catalogue_get_facility       (NtCatalogue  *self);
GListModel  *nt_catalogue_get_beamlines      (NtCatalogue  *self);
NtBeamline  *nt_catalogue_lookup_beamline    (NtCatalogue  *self,
                                              const char   *id);
NtStation   *nt_catalogue_lookup_station     (NtCatalogue  *self,
                                              const char   *id);
GPtrArray   *nt_catalogue_list_stations      (NtCatalogue  *self);

G_END_DECLS

/* nt-archive-service-private.h: the archive service's query parser, for tests and the fuzz targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A getData.json query read as the handler reads it, without a request:
 * what tests/fuzz feeds outside input through.
 */
#pragma once

#include "nt-archive-service.h"

G_BEGIN_DECLS

gboolean nt_archive_service_check_query (NtArchiveService  *self,
                                         GHashTable        *query,
                                         gint64            *from_us,
                                         gint64            *to_us,
                                         const char       **code,
                                         char             **message);

G_END_DECLS

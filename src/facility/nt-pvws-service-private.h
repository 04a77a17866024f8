/* nt-pvws-service-private.h: the PVWS service's message path, for tests and the fuzz targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One client message handled without a WebSocket: what tests/fuzz feeds
 * outside input through.
 */
#pragma once

#include "nt-pvws-service.h"

G_BEGIN_DECLS

guint nt_pvws_service_handle_detached_message (NtPvwsService *self,
                                               const char    *data,
                                               gsize          size);

G_END_DECLS

/* nt-archive-client-private.h: the archive client's reply parser, for tests and the fuzz targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parse of one getData.json body as the worker thread does it, without
 * a client or a request: what tests/fuzz feeds outside input through.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The number of samples read, or -1 with @error set. */
gssize nt_archive_client_parse_reply (GBytes  *bytes,
                                      guint    bin_seconds,
                                      GError **error);

G_END_DECLS

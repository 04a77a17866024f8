/* nt-facility-http.h: small helpers for the services' HTTP handlers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Sets a JSON body (application/json) and the status. Takes @root. */
void nt_facility_http_set_json  (SoupServerMessage *msg,
                                 guint              status,
                                 JsonNode          *root);
/* {"error":{"code":CODE,"message":MESSAGE,"details":DETAILS|null}}.  Takes @details. */
void nt_facility_http_set_error (SoupServerMessage *msg,
                                 guint              status,
                                 const char        *code,
                                 JsonNode          *details,
                                 const char        *format,
                                 ...) G_GNUC_PRINTF (5, 6);

G_END_DECLS

/* nt-auth.h: roles and bearer tokens of the scheduling service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A token is 32 random bytes, sent as "nt_" + 64 hex digits in
 * "Authorization: Bearer TOKEN".  Only its SHA-256 is stored (table
 * `tokens`, created by the scheduling store's migrations), so a token is
 * shown once, when it is made.
 *
 * Roles: viewer reads; operator also edits the run plan; office also edits
 * allocations, members and proposals; admin does everything, including
 * overrides of the coalition quota.
 */
#pragma once

#include "nt-db.h"

G_BEGIN_DECLS

typedef enum
{
  NT_ROLE_VIEWER,
  NT_ROLE_OPERATOR,
  NT_ROLE_OFFICE,
  NT_ROLE_ADMIN,
} NtRole;

#define NT_AUTH_ERROR (nt_auth_error_quark ())

typedef enum
{
  NT_AUTH_ERROR_UNKNOWN_ROLE,
  NT_AUTH_ERROR_NOT_FOUND,
  NT_AUTH_ERROR_INVALID,
} NtAuthError;

GQuark      nt_auth_error_quark  (void);

const char *nt_role_to_string    (NtRole       role);
gboolean    nt_role_from_string  (const char  *str,
                                  NtRole      *role);

char       *nt_auth_hash_token   (const char  *token);

/* Makes a token for @name with @role; returns it (the only time it is
 * known in clear). */
char       *nt_auth_token_create (NtDb        *db,
                                  NtRole       role,
                                  const char  *name,
                                  GError     **error);
/* Revokes every live token of @name, or the one token @token; returns how
 * many were revoked (0 sets NT_AUTH_ERROR_NOT_FOUND). */
guint       nt_auth_token_revoke (NtDb        *db,
                                  const char  *name,
                                  const char  *token,
                                  GError     **error);
/* Looks a presented token up; FALSE if unknown or revoked. */
gboolean    nt_auth_verify       (NtDb        *db,
                                  const char  *token,
                                  NtRole      *role,
                                  char       **name);

G_END_DECLS

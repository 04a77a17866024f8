/* nt-auth.c: roles and bearer tokens of the scheduling service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-auth"

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "nt-auth.h"

#define TOKEN_PREFIX "nt_"
#define TOKEN_BYTES  32

G_DEFINE_QUARK (nt-auth-error-quark, nt_auth_error)

static const char * const role_nicks[] = {
  [NT_ROLE_VIEWER] = "viewer",
  [NT_ROLE_OPERATOR] = "operator",
  [NT_ROLE_OFFICE] = "office",
  [NT_ROLE_ADMIN] = "admin",
};

static gboolean
fill_random (guint8 *buf,
             gsize   len)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = getrandom (buf + done, len - done, 0);

      if (n < 0)
        return FALSE;
      done += (gsize) n;
    }
  return TRUE;
}

const char *
nt_role_to_string (NtRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_nicks), NULL);
  return role_nicks[role];
}

gboolean
nt_role_from_string (const char *str,
                     NtRole     *role)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (role_nicks); i++)
    {
      if (g_str_equal (role_nicks[i], str))
        {
          if (role != NULL)
            *role = (NtRole) i;
          return TRUE;
        }
    }
  return FALSE;
}

char *
nt_auth_hash_token (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

char *
nt_auth_token_create (NtDb        *db,
                      NtRole       role,
                      const char  *name,
                      GError     **error)
{
  guint8 raw[TOKEN_BYTES];
  GString *token;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NT_IS_DB (db), NULL);

  if (name == NULL || *name == '\0' || strlen (name) > 200)
    {
      g_set_error (error, NT_AUTH_ERROR, NT_AUTH_ERROR_INVALID, "A token needs a name");
      return NULL;
    }
  if ((guint) role >= G_N_ELEMENTS (role_nicks))
    {
      g_set_error (error, NT_AUTH_ERROR, NT_AUTH_ERROR_UNKNOWN_ROLE, "Unknown role");
      return NULL;
    }
  if (!fill_random (raw, sizeof raw))
    {
      g_set_error (error, NT_AUTH_ERROR, NT_AUTH_ERROR_INVALID, "No random bytes for a token");
      return NULL;
    }

  token = g_string_new (TOKEN_PREFIX);
  for (guint i = 0; i < sizeof raw; i++)
    g_string_append_printf (token, "%02x", raw[i]);
  hash = nt_auth_hash_token (token->str);

  if (sqlite3_prepare_v2 (nt_db_get_handle (db),
                          "INSERT INTO tokens (hash, name, role, created) VALUES (?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      nt_db_set_error (db, error, "Cannot store the token");
      g_string_free (token, TRUE);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, role_nicks[role], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, nt_db_now (db));
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      nt_db_set_error (db, error, "Cannot store the token");
      g_string_free (token, TRUE);
      return NULL;
    }

  return g_string_free (token, FALSE);
}

guint
nt_auth_token_revoke (NtDb        *db,
                      const char  *name,
                      const char  *token,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *hash = NULL;
  const char *sql;
  int rc, changes;

  g_return_val_if_fail (NT_IS_DB (db), 0);
  g_return_val_if_fail ((name != NULL) != (token != NULL), 0);

  if (token != NULL)
    {
      hash = nt_auth_hash_token (token);
      sql = "UPDATE tokens SET revoked = ? WHERE hash = ? AND revoked IS NULL";
    }
  else
    sql = "UPDATE tokens SET revoked = ? WHERE name = ? AND revoked IS NULL";

  if (sqlite3_prepare_v2 (nt_db_get_handle (db), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      nt_db_set_error (db, error, "Cannot revoke");
      return 0;
    }
  sqlite3_bind_int64 (stmt, 1, nt_db_now (db));
  sqlite3_bind_text (stmt, 2, hash != NULL ? hash : name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      nt_db_set_error (db, error, "Cannot revoke");
      return 0;
    }
  changes = sqlite3_changes (nt_db_get_handle (db));
  if (changes == 0)
    g_set_error (error, NT_AUTH_ERROR, NT_AUTH_ERROR_NOT_FOUND,
                 token != NULL ? "No live token matches" : "No live token has the name “%s”",
                 name);
  return (guint) changes;
}

gboolean
nt_auth_verify (NtDb        *db,
                const char  *token,
                NtRole      *role,
                char       **name)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *hash = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (NT_IS_DB (db), FALSE);

  if (token == NULL || !g_str_has_prefix (token, TOKEN_PREFIX) ||
      strlen (token) != strlen (TOKEN_PREFIX) + 2 * TOKEN_BYTES)
    return FALSE;

  hash = nt_auth_hash_token (token);
  if (sqlite3_prepare_v2 (nt_db_get_handle (db),
                          "SELECT role, name FROM tokens WHERE hash = ? AND revoked IS NULL",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW &&
      nt_role_from_string ((const char *) sqlite3_column_text (stmt, 0), role))
    {
      if (name != NULL)
        *name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      found = TRUE;
    }
  sqlite3_finalize (stmt);
  return found;
}

/* nt-token-store.c: the facility access token in the user's keyring
 *
 * The scheduling service wants a bearer token. It is a secret: it lives in
 * the user's keyring through libsecret (the Secret Service), never in
 * GSettings or a file, one item per facility address. Every call is
 * asynchronous: the keyring may have to be unlocked, or started.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-token-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "nt-token-store.h"

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "jp.nanoterasu.Console.Token", SECRET_SCHEMA_NONE,
    {
      { "facility", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

/* One facility, one item, however the address was typed. */
static char *
normalise_url (const char *url)
{
  g_autofree char *s = g_strstrip (g_strdup (url));
  gsize len = strlen (s);

  while (len > 0 && s[len - 1] == '/')
    s[--len] = '\0';

  return g_steal_pointer (&s);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *token;

  token = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, token, (GDestroyNotify) secret_password_free);
}

/**
 * nt_token_store_lookup_async:
 * @facility_url: the facility services' address
 *
 * Reads the token stored for @facility_url.
 */
void
nt_token_store_lookup_async (const char          *facility_url,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (facility_url != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, nt_token_store_lookup_async);
  url = normalise_url (facility_url);

  secret_password_lookup (token_schema (), cancellable, lookup_cb, g_steal_pointer (&task),
                          "facility", url,
                          NULL);
}

/**
 * nt_token_store_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the token, or %NULL with no error
 *   when none is stored for that facility
 */
char *
nt_token_store_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_autofree char *secret = NULL;
  char *token;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  secret = g_task_propagate_pointer (G_TASK (result), error);
  if (secret == NULL)
    return NULL;

  /* Hand out a plain string; wipe the keyring's copy. */
  token = g_strdup (secret);
  secret_password_wipe (secret);
  return token;
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (g_task_get_task_data (task) != NULL)
    secret_password_clear_finish (result, &error);
  else
    secret_password_store_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * nt_token_store_save_async:
 * @facility_url: the facility services' address
 * @token: (nullable): the token, or %NULL or "" to forget it
 *
 * Stores the token for @facility_url in the keyring, replacing any
 * earlier one, or removes it.
 */
void
nt_token_store_save_async (const char          *facility_url,
                           const char          *token,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (facility_url != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, nt_token_store_save_async);
  url = normalise_url (facility_url);

  if (token == NULL || token[0] == '\0')
    {
      g_task_set_task_data (task, GINT_TO_POINTER (1), NULL);
      secret_password_clear (token_schema (), cancellable, store_cb, g_steal_pointer (&task),
                             "facility", url,
                             NULL);
      return;
    }

  /* Translators: the name of the keyring item; %s is the facility address */
  label = g_strdup_printf (_("NanoTerasu Console access token for %s"), url);
  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                         cancellable, store_cb, g_steal_pointer (&task),
                         "facility", url,
                         NULL);
}

gboolean
nt_token_store_save_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

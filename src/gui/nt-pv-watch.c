/* nt-pv-watch.c: the live signals one view follows
 *
 * A view that shows live values (the beam panel, a beamline card, the ring
 * picture) names its signals by key ("ring.current", "bl.BL02U.fe_shutter");
 * the watch follows the context's live client: when the context makes one
 * (or another), it looks the keys up in the facility profile, subscribes
 * to the names the facility has, and lets go of the old ones.  The view
 * hears three things: the context changed (the watch has followed it
 * already), the connection's state changed, and a batch of updates named
 * one of its signals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-pv-watch"

#include "config.h"

#include "nt-pv-watch.h"

typedef void (*NtPvWatchFunc) (gpointer owner);

struct _NtPvWatch
{
  NtContext  *context;
  GCallback   context_changed;
  GCallback   client_changed;
  GCallback   values_changed;
  gpointer    owner;

  NtPvClient *client;
  GPtrArray  *keys;    /* char *: the signal keys, by index */
  GPtrArray  *pvs;     /* char *: their names at the facility, NULL where it has none */
  GHashTable *names;   /* the names in pvs (borrowed) */
};

static void
call (GCallback callback,
      gpointer  owner)
{
  if (callback != NULL)
    ((NtPvWatchFunc) callback) (owner);
}

static void
unsubscribe_all (NtPvWatch *watch)
{
  if (watch->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (watch->client, watch);
      for (guint i = 0; i < watch->pvs->len; i++)
        if (g_ptr_array_index (watch->pvs, i) != NULL)
          nt_pv_client_unsubscribe (watch->client, g_ptr_array_index (watch->pvs, i));
    }

  g_hash_table_remove_all (watch->names);
  for (guint i = 0; i < watch->pvs->len; i++)
    g_clear_pointer (&g_ptr_array_index (watch->pvs, i), g_free);
  g_clear_object (&watch->client);
}

static void
updates_cb (NtPvWatch          *watch,
            const char * const *names)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      if (g_hash_table_contains (watch->names, names[i]))
        {
          call (watch->values_changed, watch->owner);
          return;
        }
    }
}

static void
client_state_cb (NtPvWatch *watch)
{
  call (watch->client_changed, watch->owner);
}

static void
context_state_cb (NtPvWatch *watch)
{
  NtPvClient *client = nt_context_get_pv_client (watch->context);

  if (client != watch->client)
    {
      unsubscribe_all (watch);

      if (client != NULL)
        {
          watch->client = g_object_ref (client);
          for (guint i = 0; i < watch->keys->len; i++)
            {
              const char *pv = nt_context_lookup_pv (watch->context, g_ptr_array_index (watch->keys, i));

              if (pv == NULL)
                continue;
              g_ptr_array_index (watch->pvs, i) = g_strdup (pv);
              nt_pv_client_subscribe (client, pv);
              g_hash_table_add (watch->names, g_ptr_array_index (watch->pvs, i));
            }
          g_signal_connect_swapped (client, "updates", G_CALLBACK (updates_cb), watch);
          g_signal_connect_swapped (client, "notify::state", G_CALLBACK (client_state_cb), watch);
        }
    }

  call (watch->context_changed, watch->owner);
}

/**
 * nt_pv_watch_new:
 * @context: (nullable): whose live client to follow; without one the
 *   watch follows nothing and every lookup is %NULL
 * @context_changed: (nullable): `void (*) (gpointer owner)`, called when
 *   the context's state changed, after the watch followed its client
 * @client_changed: (nullable): called when the live connection's state
 *   changed
 * @values_changed: (nullable): called once per batch of updates that
 *   names one of the watched signals
 * @owner: what the callbacks are given
 *
 * Add the signals with nt_pv_watch_add(), then nt_pv_watch_start().
 */
NtPvWatch *
nt_pv_watch_new (NtContext *context,
                 GCallback  context_changed,
                 GCallback  client_changed,
                 GCallback  values_changed,
                 gpointer   owner)
{
  NtPvWatch *watch;

  g_return_val_if_fail (context == NULL || NT_IS_CONTEXT (context), NULL);

  watch = g_new0 (NtPvWatch, 1);
  watch->context = context ? g_object_ref (context) : NULL;
  watch->context_changed = context_changed;
  watch->client_changed = client_changed;
  watch->values_changed = values_changed;
  watch->owner = owner;
  watch->keys = g_ptr_array_new_with_free_func (g_free);
  watch->pvs = g_ptr_array_new ();
  watch->names = g_hash_table_new (g_str_hash, g_str_equal);

  return watch;
}

/**
 * nt_pv_watch_add:
 * @key: a signal key such as "ring.current"
 *
 * Watches one more signal; before nt_pv_watch_start().
 *
 * Returns: its index, for nt_pv_watch_lookup()
 */
guint
nt_pv_watch_add (NtPvWatch  *watch,
                 const char *key)
{
  g_return_val_if_fail (watch != NULL, 0);
  g_return_val_if_fail (key != NULL, 0);

  g_ptr_array_add (watch->keys, g_strdup (key));
  g_ptr_array_add (watch->pvs, NULL);
  return watch->keys->len - 1;
}

/**
 * nt_pv_watch_start:
 *
 * Follows the context's state from now on, and once at once (which calls
 * @context_changed).
 */
void
nt_pv_watch_start (NtPvWatch *watch)
{
  g_return_if_fail (watch != NULL);
  g_return_if_fail (watch->context != NULL);

  nt_context_follow_state (watch->context, G_CALLBACK (context_state_cb), watch);
}

/**
 * nt_pv_watch_get_client:
 *
 * Returns: (transfer none) (nullable): the live client followed now
 */
NtPvClient *
nt_pv_watch_get_client (NtPvWatch *watch)
{
  g_return_val_if_fail (watch != NULL, NULL);
  return watch->client;
}

/**
 * nt_pv_watch_lookup:
 * @index: what nt_pv_watch_add() returned
 *
 * Returns: (transfer none) (nullable): the signal's latest record, or
 *   %NULL with no client, no such name at the facility, or no value yet
 */
NtPvRecord *
nt_pv_watch_lookup (NtPvWatch *watch,
                    guint      index)
{
  const char *pv;

  g_return_val_if_fail (watch != NULL, NULL);
  g_return_val_if_fail (index < watch->pvs->len, NULL);

  pv = g_ptr_array_index (watch->pvs, index);
  if (watch->client == NULL || pv == NULL)
    return NULL;
  return nt_pv_client_lookup (watch->client, pv);
}

/**
 * nt_pv_watch_free:
 *
 * Unsubscribes from every signal and stops following the context.
 */
void
nt_pv_watch_free (NtPvWatch *watch)
{
  if (watch == NULL)
    return;

  unsubscribe_all (watch);
  if (watch->context != NULL)
    g_signal_handlers_disconnect_by_data (watch->context, watch);
  g_clear_object (&watch->context);
  g_ptr_array_unref (watch->keys);
  g_ptr_array_unref (watch->pvs);
  g_hash_table_unref (watch->names);
  g_free (watch);
}

/**
 * nt_pv_record_is_shown:
 * @record: (nullable): a live record
 *
 * Returns: whether the record's value may be shown: it is live and its
 *   severity is known (a value is never shown after its signal is lost)
 */
gboolean
nt_pv_record_is_shown (NtPvRecord *record)
{
  return record != NULL && nt_pv_record_is_live (record) &&
         nt_pv_record_get_severity (record) != NT_PV_SEVERITY_UNDEFINED;
}

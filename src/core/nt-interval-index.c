/* nt-interval-index.c: which intervals overlap a span
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-interval-index"

#include "config.h"

#include <stdlib.h>

#include "nt-interval-index.h"

typedef struct
{
  gint64   start;
  gint64   end;
  gint64   max_end;  /* largest end in the subtree rooted here */
  guint    seq;      /* insertion order: ties in start keep it */
  gpointer data;
} Item;

struct _NtIntervalIndex
{
  GArray         *items;  /* Item */
  GDestroyNotify  data_free;
  guint           next_seq;
  gboolean        dirty;
};

static int
item_cmp (gconstpointer a,
          gconstpointer b)
{
  const Item *x = a, *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Fills max_end of the subtree over [lo, hi); returns it. */
static gint64
build (Item  *items,
       guint  lo,
       guint  hi)
{
  guint mid;
  gint64 m;

  if (lo >= hi)
    return G_MININT64;

  mid = lo + (hi - lo) / 2;
  m = items[mid].end;
  m = MAX (m, build (items, lo, mid));
  m = MAX (m, build (items, mid + 1, hi));
  items[mid].max_end = m;

  return m;
}

static void
ensure_built (NtIntervalIndex *self)
{
  if (!self->dirty)
    return;

  g_array_sort (self->items, item_cmp);
  build ((Item *)(void *)self->items->data, 0, self->items->len);
  self->dirty = FALSE;
}

typedef struct
{
  gint64          from;
  gint64          to;
  NtIntervalFunc  func;
  gpointer        user_data;
  guint           calls;
  gboolean        stopped;
} Walk;

static void
walk (Item  *items,
      guint  lo,
      guint  hi,
      Walk  *w)
{
  while (lo < hi && !w->stopped)
    {
      guint mid = lo + (hi - lo) / 2;
      Item *it = &items[mid];

      /* Nothing in this subtree ends after from. */
      if (it->max_end <= w->from)
        return;

      walk (items, lo, mid, w);
      if (w->stopped)
        return;

      /* This node and everything to its right start at or after to. */
      if (it->start >= w->to)
        return;

      if (it->end > w->from && it->end > it->start)
        {
          w->calls++;
          if (w->func != NULL && !w->func (it->start, it->end, it->data, w->user_data))
            {
              w->stopped = TRUE;
              return;
            }
        }

      /* The right subtree, as a loop. */
      lo = mid + 1;
    }
}

NtIntervalIndex *
nt_interval_index_new (GDestroyNotify data_free)
{
  NtIntervalIndex *self = g_new0 (NtIntervalIndex, 1);

  self->items = g_array_new (FALSE, FALSE, sizeof (Item));
  self->data_free = data_free;

  return self;
}

void
nt_interval_index_clear (NtIntervalIndex *self)
{
  g_return_if_fail (self != NULL);

  if (self->data_free != NULL)
    for (guint i = 0; i < self->items->len; i++)
      self->data_free (g_array_index (self->items, Item, i).data);
  g_array_set_size (self->items, 0);
  self->dirty = FALSE;
}

void
nt_interval_index_free (NtIntervalIndex *self)
{
  if (self == NULL)
    return;

  nt_interval_index_clear (self);
  g_array_unref (self->items);
  g_free (self);
}

guint
nt_interval_index_get_size (NtIntervalIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->items->len;
}

void
nt_interval_index_add (NtIntervalIndex *self,
                       gint64           start,
                       gint64           end,
                       gpointer         data)
{
  Item item = { start, end, end, 0, data };

  g_return_if_fail (self != NULL);

  item.seq = self->next_seq++;
  g_array_append_val (self->items, item);
  self->dirty = TRUE;
}

gboolean
nt_interval_index_remove (NtIntervalIndex *self,
                          gpointer         data)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *it = &g_array_index (self->items, Item, i);

      if (it->data == data)
        {
          gpointer d = it->data;

          g_array_remove_index (self->items, i);
          self->dirty = TRUE;
          if (self->data_free != NULL)
            self->data_free (d);
          return TRUE;
        }
    }

  return FALSE;
}

guint
nt_interval_index_foreach_in (NtIntervalIndex *self,
                              gint64           from,
                              gint64           to,
                              NtIntervalFunc   func,
                              gpointer         user_data)
{
  Walk w = { from, to, func, user_data, 0, FALSE };

  g_return_val_if_fail (self != NULL, 0);

  if (to <= from || self->items->len == 0)
    return 0;

  ensure_built (self);
  walk ((Item *)(void *)self->items->data, 0, self->items->len, &w);

  return w.calls;
}

typedef struct
{
  gpointer except;
  gboolean found;
} AnyIn;

static gboolean
any_in_cb (gint64   start,
           gint64   end,
           gpointer data,
           gpointer user_data)
{
  AnyIn *a = user_data;

  if (data == a->except)
    return TRUE;
  a->found = TRUE;
  return FALSE;
}

gboolean
nt_interval_index_any_in (NtIntervalIndex *self,
                          gint64           from,
                          gint64           to,
                          gpointer         except)
{
  AnyIn a = { except, FALSE };

  nt_interval_index_foreach_in (self, from, to, any_in_cb, &a);

  return a.found;
}

gpointer
nt_interval_index_get_nth (NtIntervalIndex *self,
                           guint            n,
                           gint64          *start,
                           gint64          *end)
{
  Item *it;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n < self->items->len, NULL);

  ensure_built (self);
  it = &g_array_index (self->items, Item, n);
  if (start != NULL)
    *start = it->start;
  if (end != NULL)
    *end = it->end;

  return it->data;
}

guint
nt_interval_index_lower_bound (NtIntervalIndex *self,
                               gint64           t)
{
  guint lo = 0, hi;

  g_return_val_if_fail (self != NULL, 0);

  ensure_built (self);
  hi = self->items->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->items, Item, mid).start < t)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

int
nt_interval_index_position (NtIntervalIndex *self,
                            gpointer         data)
{
  g_return_val_if_fail (self != NULL, -1);

  ensure_built (self);
  for (guint i = 0; i < self->items->len; i++)
    if (g_array_index (self->items, Item, i).data == data)
      return (int)i;

  return -1;
}

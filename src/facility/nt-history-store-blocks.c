/* nt-history-store-blocks.c: the archive's compact day blocks: encoding,
 * writing, reading, pruning, and moving closed days' rows into them
 * (format in nt-history-store-private.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "nt-history-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include "nt-history-store-private.h"

#define BLOCK_VERSION 1
#define SCALE_RAW     255
#define MAX_SCALE     9
#define MAX_EXACT     4503599627370496.0   /* 2^52 */

static const double powers[MAX_SCALE + 1] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };

static inline guint64
zigzag (gint64 v)
{
  return ((guint64) v << 1) ^ (guint64) (v >> 63);
}

static inline gint64
unzigzag (guint64 u)
{
  return (gint64) (u >> 1) ^ -(gint64) (u & 1);
}

static void
put_varint (GByteArray *out,
            guint64     v)
{
  guint8 buf[10];
  guint n = 0;

  while (v >= 0x80)
    {
      buf[n++] = (guint8) (v | 0x80);
      v >>= 7;
    }
  buf[n++] = (guint8) v;
  g_byte_array_append (out, buf, n);
}

static gboolean
get_varint (const guint8 **p,
            const guint8  *end,
            guint64       *v)
{
  guint64 result = 0;

  for (guint shift = 0; shift < 64; shift += 7)
    {
      guint8 b;

      if (*p >= end)
        return FALSE;
      b = *(*p)++;
      result |= (guint64) (b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        {
          *v = result;
          return TRUE;
        }
    }
  return FALSE;
}

/* The smallest decimal scale from @from at which @v is exactly k / 10^e
 * and every value so far (at most @max_abs) still fits; SCALE_RAW if
 * none. */
static guint8
sample_scale (double v,
              guint  from,
              double max_abs)
{
  if (!isfinite (v))
    return SCALE_RAW;
  for (guint e = from; e <= MAX_SCALE; e++)
    {
      if (MAX (fabs (v), max_abs) * powers[e] >= MAX_EXACT)
        return SCALE_RAW;
      if (round (v * powers[e]) / powers[e] == v)
        return (guint8) e;
    }
  return SCALE_RAW;
}

static void
put_raw (GByteArray *out,
         double      v,
         int         severity)
{
  guint64 bits;
  guint8 buf[9];

  memcpy (&bits, &v, sizeof bits);
  for (guint j = 0; j < 8; j++)
    buf[j] = (guint8) (bits >> (8 * j));
  buf[8] = (guint8) severity;
  g_byte_array_append (out, buf, 9);
}

/* Re-encodes the values of @w's samples at @scale (> w->scale, or
 * SCALE_RAW).  Exact: k / 10^e and k 10^d / 10^(e+d) are the same number,
 * so each decodes to the same double. */
static void
writer_rescale (NtHistoryBlockWriter *w,
                guint8                scale)
{
  g_autoptr(GByteArray) body = g_byte_array_sized_new (scale == SCALE_RAW ? w->n * 11 : w->body->len + w->n);
  const guint8 *p = w->body->data, *end = p + w->body->len;
  gint64 k = 0, mul = scale == SCALE_RAW ? 1 : (gint64) powers[scale - w->scale];
  int sev = 0;

  for (guint i = 0; i < w->n; i++)
    {
      const guint8 *t_start = p;
      guint8 sev_byte;
      guint64 u;

      /* The time as it was, then the value. */
      if (!get_varint (&p, end, &u))
        g_assert_not_reached ();
      g_byte_array_append (body, t_start, (guint) (p - t_start));
      if (!get_varint (&p, end, &u))
        g_assert_not_reached ();
      if (u & 1)
        sev = *p++;
      sev_byte = (guint8) sev;
      if (scale == SCALE_RAW)
        {
          k += unzigzag (u >> 1);
          put_raw (body, (double) k / powers[w->scale], sev);
        }
      else
        {
          put_varint (body, zigzag (unzigzag (u >> 1) * mul) << 1 | (u & 1));
          if (u & 1)
            g_byte_array_append (body, &sev_byte, 1);
        }
    }
  g_byte_array_unref (w->body);
  w->body = g_steal_pointer (&body);
  w->prev_k *= mul;
  w->scale = scale;
}

void
nt_history_block_writer_init (NtHistoryBlockWriter *w)
{
  memset (w, 0, sizeof *w);
  w->body = g_byte_array_new ();
}

void
nt_history_block_writer_clear (NtHistoryBlockWriter *w)
{
  g_clear_pointer (&w->body, g_byte_array_unref);
}

void
nt_history_block_writer_push (NtHistoryBlockWriter *w,
                              gint64                time_us,
                              double                value,
                              int                   severity)
{
  gboolean sev_changed = severity != w->prev_sev;

  if (w->n == 0)
    {
      w->scale = sample_scale (value, 0, 0);
      w->first_us = time_us;
      put_varint (w->body, zigzag (time_us));
    }
  else
    {
      gint64 step = time_us - w->prev_t;

      if (w->scale != SCALE_RAW)
        {
          guint8 scale = sample_scale (value, w->scale, w->max_abs);

          if (scale != w->scale)
            writer_rescale (w, scale);
        }
      put_varint (w->body, zigzag (step - w->prev_step));
      w->prev_step = step;
    }
  w->prev_t = w->last_us = time_us;

  if (w->scale != SCALE_RAW)
    {
      gint64 k = (gint64) round (value * powers[w->scale]);

      put_varint (w->body, zigzag (k - w->prev_k) << 1 | (sev_changed ? 1 : 0));
      w->prev_k = k;
      if (sev_changed)
        {
          guint8 b = (guint8) severity;

          g_byte_array_append (w->body, &b, 1);
        }
      w->max_abs = MAX (w->max_abs, fabs (value));
    }
  else
    put_raw (w->body, value, severity);
  w->prev_sev = severity;
  w->n++;
}

void
nt_history_block_writer_finish (NtHistoryBlockWriter *w,
                                GByteArray           *out)
{
  guint8 header[2] = { BLOCK_VERSION, w->n > 0 ? w->scale : 0 };
  GByteArray *body = w->body;

  g_byte_array_append (out, header, 2);
  put_varint (out, w->n);
  g_byte_array_append (out, body->data, body->len);
  g_byte_array_set_size (body, 0);
  memset (w, 0, sizeof *w);
  w->body = body;
}

void
nt_history_block_encode (const NtHistorySample *samples,
                         guint                  n,
                         GByteArray            *out)
{
  NtHistoryBlockWriter w;

  nt_history_block_writer_init (&w);
  for (guint i = 0; i < n; i++)
    nt_history_block_writer_push (&w, samples[i].time_us, samples[i].value, samples[i].severity);
  nt_history_block_writer_finish (&w, out);
  nt_history_block_writer_clear (&w);
}

/* Decodes the samples with from_us <= t <= to_us into @out: as
 * NtHistorySample, or, with @times_only, their times (gint64). */
static gboolean
decode_block (const guint8 *data,
              gsize         size,
              gint64        from_us,
              gint64        to_us,
              gboolean      times_only,
              GArray       *out)
{
  const guint8 *p = data, *end = data + size;
  gint64 t = 0, step = 0, k = 0;
  int sev = 0;
  guint64 n, u;
  guint scale, base, kept = 0;

  if (size < 2 || data[0] != BLOCK_VERSION || (data[1] > MAX_SCALE && data[1] != SCALE_RAW))
    return FALSE;
  scale = data[1];
  p += 2;
  if (!get_varint (&p, end, &n) || n > size)
    return FALSE;

  /* Decoded in place: room for the whole block, cut to what was kept. */
  base = out->len;
  g_array_set_size (out, base + (guint) n);
  for (guint64 i = 0; i < n; i++)
    {
      NtHistorySample s = { 0 };

      if (!get_varint (&p, end, &u))
        goto bad;
      if (i == 0)
        t = unzigzag (u);
      else
        {
          step += unzigzag (u);
          t += step;
        }

      if (scale != SCALE_RAW)
        {
          if (!get_varint (&p, end, &u))
            goto bad;
          k += unzigzag (u >> 1);
          if (u & 1)
            {
              if (p >= end)
                goto bad;
              sev = *p++;
            }
          s.value = (double) k / powers[scale];
        }
      else
        {
          guint64 bits = 0;

          if (end - p < 9)
            goto bad;
          for (guint j = 0; j < 8; j++)
            bits |= (guint64) p[j] << (8 * j);
          memcpy (&s.value, &bits, sizeof bits);
          sev = p[8];
          p += 9;
        }

      if (t < from_us)
        continue;
      if (t > to_us)
        break;
      if (times_only)
        {
          g_array_index (out, gint64, base + kept++) = t;
          continue;
        }
      s.time_us = t;
      s.severity = sev;
      s.count = 1;
      g_array_index (out, NtHistorySample, base + kept++) = s;
    }
  g_array_set_size (out, base + kept);
  return TRUE;

bad:
  g_array_set_size (out, base + kept);
  return FALSE;
}

gboolean
nt_history_block_decode (const guint8 *data,
                         gsize         size,
                         gint64        from_us,
                         gint64        to_us,
                         GArray       *out)
{
  return decode_block (data, size, from_us, to_us, FALSE, out);
}

static gint64
day_of (gint64 t_us)
{
  return t_us >= 0 ? t_us / NT_HISTORY_BLOCK_SPAN_US : -((-t_us - 1) / NT_HISTORY_BLOCK_SPAN_US) - 1;
}

static sqlite3_stmt *
prepare_insert (NtDb    *db,
                GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (nt_db_get_handle (db),
                          "INSERT OR REPLACE INTO history_block (pv, t0, t1, n, data) VALUES (?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      nt_db_set_error (db, error, "Cannot write history");
      return NULL;
    }
  return stmt;
}

static gboolean
insert_block (NtDb          *db,
              sqlite3_stmt  *stmt,
              gint64         pv_id,
              gint64         t0,
              gint64         t1,
              guint          n,
              GByteArray    *data,
              GError       **error)
{
  gboolean ok;

  sqlite3_bind_int64 (stmt, 1, pv_id);
  sqlite3_bind_int64 (stmt, 2, t0);
  sqlite3_bind_int64 (stmt, 3, t1);
  sqlite3_bind_int64 (stmt, 4, n);
  sqlite3_bind_blob (stmt, 5, data->data, data->len, SQLITE_STATIC);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  if (!ok)
    nt_db_set_error (db, error, "Cannot write history");
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return ok;
}

gboolean
nt_history_blocks_write (NtDb                  *db,
                         gint64                 pv_id,
                         const NtHistorySample *samples,
                         guint                  n,
                         GError               **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint i = 0;

  if (n == 0)
    return TRUE;
  if ((stmt = prepare_insert (db, error)) == NULL)
    return FALSE;
  while (i < n)
    {
      gint64 day = day_of (samples[i].time_us);
      guint j = i;

      while (j < n && day_of (samples[j].time_us) == day)
        j++;
      g_byte_array_set_size (data, 0);
      nt_history_block_encode (samples + i, j - i, data);
      if (!insert_block (db, stmt, pv_id, samples[i].time_us, samples[j - 1].time_us, j - i, data, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      i = j;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/* A closed block of a sink, encoded. */
typedef struct
{
  gint64      t0;
  gint64      t1;
  guint       n;
  GByteArray *data;
} SinkBlock;

struct _NtHistoryBlockSink
{
  gint64                pv_id;
  NtHistoryBlockWriter  open;      /* the block of the day of its first sample */
  gint64                day;
  gboolean              holding;   /* held: the last sample, not yet encoded */
  NtHistorySample       held;
  GArray               *closed;    /* of SinkBlock, oldest first */
  guint                 n;
};

static void
sink_block_clear (gpointer data)
{
  SinkBlock *b = data;

  g_clear_pointer (&b->data, g_byte_array_unref);
}

NtHistoryBlockSink *
nt_history_block_sink_new (gint64 pv_id)
{
  NtHistoryBlockSink *sink = g_new0 (NtHistoryBlockSink, 1);

  sink->pv_id = pv_id;
  nt_history_block_writer_init (&sink->open);
  sink->closed = g_array_new (FALSE, TRUE, sizeof (SinkBlock));
  g_array_set_clear_func (sink->closed, sink_block_clear);
  return sink;
}

void
nt_history_block_sink_free (NtHistoryBlockSink *sink)
{
  if (sink == NULL)
    return;
  nt_history_block_writer_clear (&sink->open);
  g_array_unref (sink->closed);
  g_free (sink);
}

gint64
nt_history_block_sink_get_pv_id (NtHistoryBlockSink *sink)
{
  return sink->pv_id;
}

guint
nt_history_block_sink_get_n (NtHistoryBlockSink *sink)
{
  return sink->n;
}

static void
sink_close_open (NtHistoryBlockSink *sink)
{
  SinkBlock b = { sink->open.first_us, sink->open.last_us, sink->open.n, NULL };

  if (sink->open.n == 0)
    return;
  b.data = g_byte_array_sized_new (sink->open.body->len + 12);
  nt_history_block_writer_finish (&sink->open, b.data);
  g_array_append_val (sink->closed, b);
}

/* Encodes the held sample into the block of its day. */
static void
sink_encode_held (NtHistoryBlockSink *sink)
{
  gint64 day = day_of (sink->held.time_us);

  if (!sink->holding)
    return;
  if (sink->open.n > 0 && day != sink->day)
    sink_close_open (sink);
  if (sink->open.n == 0)
    sink->day = day;
  nt_history_block_writer_push (&sink->open, sink->held.time_us, sink->held.value, sink->held.severity);
  sink->holding = FALSE;
}

void
nt_history_block_sink_add (NtHistoryBlockSink *sink,
                           gint64              time_us,
                           double              value,
                           int                 severity)
{
  if (!sink->holding || time_us > sink->held.time_us)
    sink_encode_held (sink);
  sink->held = (NtHistorySample) { time_us, value, NULL, severity, 1 };
  sink->holding = TRUE;
  sink->n++;
}

gboolean
nt_history_block_sink_write (NtHistoryBlockSink  *sink,
                             NtDb                *db,
                             GError             **error)
{
  sqlite3_stmt *stmt = NULL;

  sink_encode_held (sink);
  sink_close_open (sink);
  if (sink->closed->len == 0)
    return TRUE;
  if ((stmt = prepare_insert (db, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < sink->closed->len; i++)
    {
      SinkBlock *b = &g_array_index (sink->closed, SinkBlock, i);

      if (!insert_block (db, stmt, sink->pv_id, b->t0, b->t1, b->n, b->data, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

void
nt_history_block_sink_drop (NtHistoryBlockSink *sink)
{
  g_array_set_size (sink->closed, 0);
  g_byte_array_set_size (sink->open.body, 0);
  {
    GByteArray *body = sink->open.body;

    memset (&sink->open, 0, sizeof sink->open);
    sink->open.body = body;
  }
  sink->holding = FALSE;
  sink->n = 0;
}

gboolean
nt_history_blocks_read (NtDb        *db,
                        gint64       pv_id,
                        gint64       from_us,
                        gint64       to_us,
                        gint64       rows,
                        guint        limit,
                        const char  *pv,
                        gboolean     times_only,
                        GArray      *out,
                        GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 inside = 0;
  guint first = out->len;
  int rc;

  /* A block spans at most a day: t0 bounds the search. */
  if (limit != G_MAXUINT)
    {
      if (sqlite3_prepare_v2 (nt_db_get_handle (db),
                              "SELECT coalesce(sum(n), 0) FROM history_block WHERE pv = ? AND t0 >= ? AND t1 <= ?",
                              -1, &stmt, NULL) != SQLITE_OK)
        goto sql_error;
      sqlite3_bind_int64 (stmt, 1, pv_id);
      sqlite3_bind_int64 (stmt, 2, from_us);
      sqlite3_bind_int64 (stmt, 3, to_us);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        goto sql_error;
      inside = sqlite3_column_int64 (stmt, 0);
      g_clear_pointer (&stmt, sqlite3_finalize);
      if (rows + inside > limit)
        goto too_many;
    }

  if (sqlite3_prepare_v2 (nt_db_get_handle (db),
                          "SELECT data, n FROM history_block WHERE pv = ? AND t0 >= ? AND t0 <= ? AND t1 >= ? "
                          "ORDER BY t0",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto sql_error;
  sqlite3_bind_int64 (stmt, 1, pv_id);
  sqlite3_bind_int64 (stmt, 2, from_us > G_MININT64 + NT_HISTORY_BLOCK_SPAN_US ? from_us - NT_HISTORY_BLOCK_SPAN_US : from_us);
  sqlite3_bind_int64 (stmt, 3, to_us);
  sqlite3_bind_int64 (stmt, 4, from_us);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (!decode_block (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0),
                         from_us, to_us, times_only, out))
        {
          g_set_error (error, NT_DB_ERROR, NT_DB_ERROR_SQL, "A history block of %s is damaged", pv);
          sqlite3_finalize (stmt);
          return FALSE;
        }
      if (limit != G_MAXUINT && rows + (gint64) (out->len - first) > limit)
        {
          inside = out->len - first;
          goto too_many;
        }
    }
  if (rc != SQLITE_DONE)
    goto sql_error;
  sqlite3_finalize (stmt);
  return TRUE;

too_many:
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_set_error (error, NT_HISTORY_ERROR, NT_HISTORY_ERROR_TOO_MANY,
               "More than %u raw samples of %s in the range; the limit is %u: "
               "ask for a shorter range or for binned data (mean_N(...))",
               limit, pv, limit);
  return FALSE;

sql_error:
  nt_db_set_error (db, error, "Cannot read history");
  g_clear_pointer (&stmt, sqlite3_finalize);
  return FALSE;
}

gboolean
nt_history_blocks_last_before (NtDb            *db,
                               gint64           pv_id,
                               gint64           before_us,
                               NtHistorySample *out,
                               gboolean        *found,
                               GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  *found = FALSE;
  if (sqlite3_prepare_v2 (nt_db_get_handle (db),
                          "SELECT data FROM history_block WHERE pv = ? AND t0 < ? ORDER BY t0 DESC LIMIT 1",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      nt_db_set_error (db, error, "Cannot read history");
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, pv_id);
  sqlite3_bind_int64 (stmt, 2, before_us);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (NtHistorySample));

      if (nt_history_block_decode (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0),
                                   G_MININT64, before_us - 1, samples) && samples->len > 0)
        {
          *out = g_array_index (samples, NtHistorySample, samples->len - 1);
          *found = TRUE;
        }
    }
  else if (rc != SQLITE_DONE)
    {
      nt_db_set_error (db, error, "Cannot read history");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

gint64
nt_history_blocks_last_time (NtDb       *db,
                             const char *pv)
{
  sqlite3_stmt *stmt = NULL;
  gint64 t = 0;

  if (sqlite3_prepare_v2 (nt_db_get_handle (db),
                          "SELECT max(b.t1) FROM history_block b JOIN history_pv p ON p.id = b.pv WHERE p.name = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return 0;
  sqlite3_bind_text (stmt, 1, pv, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    t = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return t;
}

gboolean
nt_history_blocks_prune (NtDb    *db,
                         gint64   before_us,
                         GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (nt_db_get_handle (db), "DELETE FROM history_block WHERE t1 < ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      nt_db_set_error (db, error, "Cannot prune history");
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, before_us);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    nt_db_set_error (db, error, "Cannot prune history");
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

typedef struct
{
  gint64  id;
  gint64  pv;
  GArray *kept;   /* the samples before the cut */
} Cut;

static void
cut_clear (gpointer data)
{
  Cut *c = data;

  g_clear_pointer (&c->kept, g_array_unref);
}

gboolean
nt_history_blocks_truncate (NtDb    *db,
                            gint64   from_us,
                            GError **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GArray) cuts = g_array_new (FALSE, TRUE, sizeof (Cut));
  int rc;

  g_array_set_clear_func (cuts, cut_clear);

  /* Blocks cut in two keep what comes before @from_us. */
  if (sqlite3_prepare_v2 (nt_db_get_handle (db),
                          "SELECT id, pv, data FROM history_block WHERE t0 < ?1 AND t1 >= ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto sql_error;
  sqlite3_bind_int64 (stmt, 1, from_us);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Cut c = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                g_array_new (FALSE, FALSE, sizeof (NtHistorySample)) };

      if (!nt_history_block_decode (sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2),
                                    G_MININT64, from_us - 1, c.kept))
        g_array_set_size (c.kept, 0);
      g_array_append_val (cuts, c);
    }
  if (rc != SQLITE_DONE)
    goto sql_error;
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (sqlite3_prepare_v2 (nt_db_get_handle (db), "DELETE FROM history_block WHERE t0 >= ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto sql_error;
  sqlite3_bind_int64 (stmt, 1, from_us);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto sql_error;
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (sqlite3_prepare_v2 (nt_db_get_handle (db), "DELETE FROM history_block WHERE id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto sql_error;
  for (guint i = 0; i < cuts->len; i++)
    {
      sqlite3_bind_int64 (stmt, 1, g_array_index (cuts, Cut, i).id);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto sql_error;
      sqlite3_reset (stmt);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint i = 0; i < cuts->len; i++)
    {
      Cut *c = &g_array_index (cuts, Cut, i);

      if (!nt_history_blocks_write (db, c->pv, (NtHistorySample *) (gpointer) c->kept->data, c->kept->len, error))
        return FALSE;
    }
  return TRUE;

sql_error:
  nt_db_set_error (db, error, "Cannot drop the history after the clock's time");
  g_clear_pointer (&stmt, sqlite3_finalize);
  return FALSE;
}

/* Moves the rows of one numeric PV in [from, to) into blocks. */
static gboolean
compact_range (NtDb            *db,
               gint64           pv_id,
               gint64           from_us,
               gint64           to_us,
               GError         **error)
{
  sqlite3 *handle = nt_db_get_handle (db);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (NtHistorySample));
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (handle, "SELECT t, val, severity FROM history_sample WHERE pv = ? AND t >= ? AND t < ? "
                                  "ORDER BY t", -1, &stmt, NULL) != SQLITE_OK)
    goto sql_error;
  sqlite3_bind_int64 (stmt, 1, pv_id);
  sqlite3_bind_int64 (stmt, 2, from_us);
  sqlite3_bind_int64 (stmt, 3, to_us);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      NtHistorySample s = { sqlite3_column_int64 (stmt, 0),
                            sqlite3_column_type (stmt, 1) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 1),
                            NULL, sqlite3_column_int (stmt, 2), 1 };

      g_array_append_val (samples, s);
    }
  if (rc != SQLITE_DONE)
    goto sql_error;
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (samples->len == 0)
    return TRUE;

  if (!nt_history_blocks_write (db, pv_id, (NtHistorySample *) (gpointer) samples->data, samples->len, error))
    return FALSE;
  if (sqlite3_prepare_v2 (handle, "DELETE FROM history_sample WHERE pv = ? AND t >= ? AND t < ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto sql_error;
  sqlite3_bind_int64 (stmt, 1, pv_id);
  sqlite3_bind_int64 (stmt, 2, from_us);
  sqlite3_bind_int64 (stmt, 3, to_us);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto sql_error;
  sqlite3_finalize (stmt);
  return TRUE;

sql_error:
  nt_db_set_error (db, error, "Cannot compact history");
  g_clear_pointer (&stmt, sqlite3_finalize);
  return FALSE;
}

gboolean
nt_history_store_compact (NtHistoryStore  *self,
                          gint64           before_us,
                          GCancellable    *cancellable,
                          GError         **error)
{
  NtDb *db;
  sqlite3 *handle;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) firsts = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  g_return_val_if_fail (NT_IS_HISTORY_STORE (self), FALSE);

  db = nt_history_store_get_db (self);
  handle = nt_db_get_handle (db);
  before_us -= before_us % NT_HISTORY_BLOCK_SPAN_US;
  if (sqlite3_prepare_v2 (handle,
                          "SELECT p.id, (SELECT min(s.t) FROM history_sample s WHERE s.pv = p.id AND s.t < ?) "
                          "FROM history_pv p WHERE p.type != ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto sql_error;
  sqlite3_bind_int64 (stmt, 1, before_us);
  sqlite3_bind_int (stmt, 2, NT_PV_TYPE_STRING);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);
        gint64 first = sqlite3_column_int64 (stmt, 1);

        g_array_append_val (ids, id);
        g_array_append_val (firsts, first);
      }
  if (rc != SQLITE_DONE)
    goto sql_error;
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* A day of one PV per transaction: writers are never held up long. */
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 first = g_array_index (firsts, gint64, i);

      for (gint64 day = first - first % NT_HISTORY_BLOCK_SPAN_US; day < before_us; day += NT_HISTORY_BLOCK_SPAN_US)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          if (!nt_db_begin (db, error))
            return FALSE;
          if (!compact_range (db, g_array_index (ids, gint64, i), day,
                              MIN (day + NT_HISTORY_BLOCK_SPAN_US, before_us), error) ||
              !nt_db_commit (db, error))
            {
              nt_db_rollback (db);
              return FALSE;
            }
        }
    }
  return TRUE;

sql_error:
  nt_db_set_error (db, error, "Cannot compact history");
  g_clear_pointer (&stmt, sqlite3_finalize);
  return FALSE;
}

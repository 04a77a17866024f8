/* fault-vfs.h: an SQLite VFS that fails the Nth write, sync or truncate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the tests only (header-only, static helpers).  fault_vfs_install ()
 * registers, as the default VFS, a shim over the VFS that was the default
 * (unix): every file it opens passes each call through, but counts the
 * calls that change the disk (xWrite, xSync, xTruncate) and, once armed
 * with fault_vfs_arm (N, KIND), makes the Nth of them from then on fail:
 * with SQLITE_FULL (a full disk: the write does not happen), or with the
 * SQLITE_IOERR_* of the call (an I/O error).  A persistent fault keeps
 * failing every later such call until fault_vfs_disarm (), as a disk that
 * stays full does; a one-shot fault fails only the Nth.  The counters are
 * atomic, since the store is used from several threads.
 */
#pragma once

#include <string.h>
#include <glib.h>
#include <sqlite3.h>

typedef enum
{
  FAULT_NONE,
  FAULT_FULL,   /* SQLITE_FULL */
  FAULT_IOERR,  /* SQLITE_IOERR_WRITE / _FSYNC / _TRUNCATE */
} FaultKind;

typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real;   /* the wrapped file, in the same allocation */
} FaultFile;

static sqlite3_vfs fault_vfs;
static sqlite3_vfs *fault_real_vfs;
static sqlite3_io_methods fault_io_methods;
static gint fault_points;     /* disk-changing calls since the last arm */
static gint fault_at;         /* 0: off */
static gint fault_kind;
static gint fault_persistent;
static gint fault_hits;       /* calls failed since the last arm */

static inline void
fault_vfs_arm (int       n,
               FaultKind kind,
               gboolean  persistent)
{
  g_atomic_int_set (&fault_at, 0);
  g_atomic_int_set (&fault_points, 0);
  g_atomic_int_set (&fault_hits, 0);
  g_atomic_int_set (&fault_kind, kind);
  g_atomic_int_set (&fault_persistent, persistent);
  g_atomic_int_set (&fault_at, n);
}

static inline void
fault_vfs_disarm (void)
{
  g_atomic_int_set (&fault_at, 0);
}

/* Disk-changing calls since the last arm, and how many were failed. */
static inline int
fault_vfs_points (void)
{
  return g_atomic_int_get (&fault_points);
}

static inline int
fault_vfs_hits (void)
{
  return g_atomic_int_get (&fault_hits);
}

/* The result of a disk-changing call: SQLITE_OK to go ahead, else the
 * fault's code for @ioerr. */
static inline int
fault_point (int ioerr)
{
  int n = g_atomic_int_add (&fault_points, 1) + 1;
  int at = g_atomic_int_get (&fault_at);

  if (at == 0 || n < at || (n > at && !g_atomic_int_get (&fault_persistent)))
    return SQLITE_OK;
  g_atomic_int_inc (&fault_hits);
  return g_atomic_int_get (&fault_kind) == FAULT_FULL ? SQLITE_FULL : ioerr;
}

static int
fault_close (sqlite3_file *file)
{
  FaultFile *f = (FaultFile *) file;

  return f->real->pMethods != NULL ? f->real->pMethods->xClose (f->real) : SQLITE_OK;
}

static int
fault_read (sqlite3_file *file,
            void         *buf,
            int           amount,
            sqlite3_int64 offset)
{
  FaultFile *f = (FaultFile *) file;

  return f->real->pMethods->xRead (f->real, buf, amount, offset);
}

static int
fault_write (sqlite3_file *file,
             const void   *buf,
             int           amount,
             sqlite3_int64 offset)
{
  FaultFile *f = (FaultFile *) file;
  int rc = fault_point (SQLITE_IOERR_WRITE);

  return rc != SQLITE_OK ? rc : f->real->pMethods->xWrite (f->real, buf, amount, offset);
}

static int
fault_truncate (sqlite3_file *file,
                sqlite3_int64 size)
{
  FaultFile *f = (FaultFile *) file;
  int rc = fault_point (SQLITE_IOERR_TRUNCATE);

  return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate (f->real, size);
}

static int
fault_sync (sqlite3_file *file,
            int           flags)
{
  FaultFile *f = (FaultFile *) file;
  int rc = fault_point (SQLITE_IOERR_FSYNC);

  return rc != SQLITE_OK ? rc : f->real->pMethods->xSync (f->real, flags);
}

static int
fault_file_size (sqlite3_file  *file,
                 sqlite3_int64 *size)
{
  FaultFile *f = (FaultFile *) file;

  return f->real->pMethods->xFileSize (f->real, size);
}

static int
fault_lock (sqlite3_file *file,
            int           lock)
{
  FaultFile *f = (FaultFile *) file;

  return f->real->pMethods->xLock (f->real, lock);
}

static int
fault_unlock (sqlite3_file *file,
              int           lock)
{
  FaultFile *f = (FaultFile *) file;

  return f->real->pMethods->xUnlock (f->real, lock);
}

static int
fault_check_reserved_lock (sqlite3_file *file,
                           int          *out)
{
  FaultFile *f = (FaultFile *) file;

  return f->real->pMethods->xCheckReservedLock (f->real, out);
}

static int
fault_file_control (sqlite3_file *file,
                    int           op,
                    void         *arg)
{
  FaultFile *f = (FaultFile *) file;

  return f->real->pMethods->xFileControl (f->real, op, arg);
}

static int
fault_sector_size (sqlite3_file *file)
{
  FaultFile *f = (FaultFile *) file;

  return f->real->pMethods->xSectorSize (f->real);
}

static int
fault_device_characteristics (sqlite3_file *file)
{
  FaultFile *f = (FaultFile *) file;

  return f->real->pMethods->xDeviceCharacteristics (f->real);
}

static int
fault_shm_map (sqlite3_file  *file,
               int            page,
               int            page_size,
               int            extend,
               void volatile **out)
{
  FaultFile *f = (FaultFile *) file;

  return f->real->pMethods->xShmMap (f->real, page, page_size, extend, out);
}

static int
fault_shm_lock (sqlite3_file *file,
                int           offset,
                int           n,
                int           flags)
{
  FaultFile *f = (FaultFile *) file;

  return f->real->pMethods->xShmLock (f->real, offset, n, flags);
}

static void
fault_shm_barrier (sqlite3_file *file)
{
  FaultFile *f = (FaultFile *) file;

  f->real->pMethods->xShmBarrier (f->real);
}

static int
fault_shm_unmap (sqlite3_file *file,
                 int           delete_flag)
{
  FaultFile *f = (FaultFile *) file;

  return f->real->pMethods->xShmUnmap (f->real, delete_flag);
}

static int
fault_fetch (sqlite3_file  *file,
             sqlite3_int64  offset,
             int            amount,
             void         **out)
{
  FaultFile *f = (FaultFile *) file;

  return f->real->pMethods->xFetch (f->real, offset, amount, out);
}

static int
fault_unfetch (sqlite3_file  *file,
               sqlite3_int64  offset,
               void          *p)
{
  FaultFile *f = (FaultFile *) file;

  return f->real->pMethods->xUnfetch (f->real, offset, p);
}

static int
fault_open (sqlite3_vfs  *vfs,
            const char   *name,
            sqlite3_file *file,
            int           flags,
            int          *out_flags)
{
  FaultFile *f = (FaultFile *) file;
  int rc;

  f->real = (sqlite3_file *) (f + 1);
  memset (f->real, 0, fault_real_vfs->szOsFile);
  rc = fault_real_vfs->xOpen (fault_real_vfs, name, f->real, flags, out_flags);
  /* Even a failed open must be closable */
  f->base.pMethods = &fault_io_methods;
  return rc;
}

static int
fault_delete (sqlite3_vfs *vfs,
              const char  *name,
              int          sync_dir)
{
  return fault_real_vfs->xDelete (fault_real_vfs, name, sync_dir);
}

static int
fault_access (sqlite3_vfs *vfs,
              const char  *name,
              int          flags,
              int         *out)
{
  return fault_real_vfs->xAccess (fault_real_vfs, name, flags, out);
}

static int
fault_full_pathname (sqlite3_vfs *vfs,
                     const char  *name,
                     int          n,
                     char        *out)
{
  return fault_real_vfs->xFullPathname (fault_real_vfs, name, n, out);
}

static void *
fault_dl_open (sqlite3_vfs *vfs,
               const char  *name)
{
  return fault_real_vfs->xDlOpen (fault_real_vfs, name);
}

static void
fault_dl_error (sqlite3_vfs *vfs,
                int          n,
                char        *out)
{
  fault_real_vfs->xDlError (fault_real_vfs, n, out);
}

static void (*fault_dl_sym (sqlite3_vfs *vfs,
                            void        *handle,
                            const char  *symbol)) (void)
{
  return fault_real_vfs->xDlSym (fault_real_vfs, handle, symbol);
}

static void
fault_dl_close (sqlite3_vfs *vfs,
                void        *handle)
{
  fault_real_vfs->xDlClose (fault_real_vfs, handle);
}

static int
fault_randomness (sqlite3_vfs *vfs,
                  int          n,
                  char        *out)
{
  return fault_real_vfs->xRandomness (fault_real_vfs, n, out);
}

static int
fault_sleep (sqlite3_vfs *vfs,
             int          us)
{
  return fault_real_vfs->xSleep (fault_real_vfs, us);
}

static int
fault_current_time (sqlite3_vfs *vfs,
                    double      *out)
{
  return fault_real_vfs->xCurrentTime (fault_real_vfs, out);
}

static int
fault_get_last_error (sqlite3_vfs *vfs,
                      int          n,
                      char        *out)
{
  return fault_real_vfs->xGetLastError (fault_real_vfs, n, out);
}

static int
fault_current_time_int64 (sqlite3_vfs   *vfs,
                          sqlite3_int64 *out)
{
  return fault_real_vfs->xCurrentTimeInt64 (fault_real_vfs, out);
}

/* Makes the shim the default VFS (once per process). */
static inline void
fault_vfs_install (void)
{
  if (fault_real_vfs != NULL)
    return;
  fault_real_vfs = sqlite3_vfs_find (NULL);
  g_assert_nonnull (fault_real_vfs);
  g_assert_cmpint (fault_real_vfs->iVersion, >=, 2);

  fault_io_methods = (sqlite3_io_methods) {
    .iVersion = 3,
    .xClose = fault_close,
    .xRead = fault_read,
    .xWrite = fault_write,
    .xTruncate = fault_truncate,
    .xSync = fault_sync,
    .xFileSize = fault_file_size,
    .xLock = fault_lock,
    .xUnlock = fault_unlock,
    .xCheckReservedLock = fault_check_reserved_lock,
    .xFileControl = fault_file_control,
    .xSectorSize = fault_sector_size,
    .xDeviceCharacteristics = fault_device_characteristics,
    .xShmMap = fault_shm_map,
    .xShmLock = fault_shm_lock,
    .xShmBarrier = fault_shm_barrier,
    .xShmUnmap = fault_shm_unmap,
    .xFetch = fault_fetch,
    .xUnfetch = fault_unfetch,
  };
  fault_vfs = (sqlite3_vfs) {
    .iVersion = 2,
    .szOsFile = (int) sizeof (FaultFile) + fault_real_vfs->szOsFile,
    .mxPathname = fault_real_vfs->mxPathname,
    .zName = "nt-fault",
    .xOpen = fault_open,
    .xDelete = fault_delete,
    .xAccess = fault_access,
    .xFullPathname = fault_full_pathname,
    .xDlOpen = fault_dl_open,
    .xDlError = fault_dl_error,
    .xDlSym = fault_dl_sym,
    .xDlClose = fault_dl_close,
    .xRandomness = fault_randomness,
    .xSleep = fault_sleep,
    .xCurrentTime = fault_current_time,
    .xGetLastError = fault_get_last_error,
    .xCurrentTimeInt64 = fault_current_time_int64,
  };
  g_assert_cmpint (sqlite3_vfs_register (&fault_vfs, 1), ==, SQLITE_OK);
}

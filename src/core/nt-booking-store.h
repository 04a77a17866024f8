/* nt-booking-store.h: a year of allocations (or run-plan periods) as compact records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a timeline draws and hit-tests, and what the scheduling client
 * hands it, without a GObject per booking: one NtBooking of fixed size
 * per allocation or period, its strings (station, proposal, note, etag)
 * interned in the store, kept by id.  A full NtAllocation or NtRunPeriod
 * is made only when someone asks for one (the booking being edited, the
 * one under a tooltip): nt_booking_make_object().
 *
 * A booking's address does not change while it is in the store (records
 * live in fixed blocks), so views may index them by pointer; it is gone
 * once the booking is removed or replaced by id (the record is then
 * reused).  Interned strings last as long as the store.  Not thread-safe:
 * build a store in a worker, then hand it over.
 */
#pragma once

#include "nt-allocation.h"
#include "nt-run-period.h"

G_BEGIN_DECLS

/* NtBooking.slot of a run-plan period. */
#define NT_BOOKING_PERIOD 0xff

typedef struct
{
  gint64      id;        /* > 0 */
  gint64      start;     /* Unix seconds, UTC */
  gint64      end;       /* exclusive */
  gint64      member;    /* coalition member, 0 = none */
  gint64      revision;
  const char *station;   /* interned; NULL for a period */
  const char *proposal;  /* interned; NULL = none */
  const char *note;      /* interned; never NULL */
  const char *etag;      /* interned; NULL = none */
  guint32     tag;       /* free for the view that shows the store (the timeline's row) */
  guint8      slot;      /* NtSlot, or NT_BOOKING_PERIOD */
  guint8      kind;      /* NtPeriodKind of a period, else 0 */
  guint8      status;    /* NtAllocationStatus; a period: confirmed */
} NtBooking;

#define NT_BOOKING_IS_PERIOD(b) ((b)->slot == NT_BOOKING_PERIOD)

typedef struct _NtBookingStore NtBookingStore;

/* Return FALSE to stop. */
typedef gboolean (*NtBookingFunc) (const NtBooking *booking,
                                   gpointer         user_data);

GType             nt_booking_store_get_type      (void) G_GNUC_CONST;
NtBookingStore   *nt_booking_store_new           (void);
NtBookingStore   *nt_booking_store_ref           (NtBookingStore  *self);
void              nt_booking_store_unref         (NtBookingStore  *self);

guint             nt_booking_store_get_size      (NtBookingStore  *self);
/* Bytes held for the records, the id index and the etags (the few
 * distinct stations, proposals and notes not counted). */
gsize             nt_booking_store_get_bytes     (NtBookingStore  *self);
void              nt_booking_store_clear         (NtBookingStore  *self);

/* The same string for equal strings, as long as the store lives. */
const char       *nt_booking_store_intern        (NtBookingStore  *self,
                                                  const char      *str);

/* Adds or replaces (by id) the booking of an NtAllocation or NtRunPeriod
 * with an id; returns the record, or NULL for an object without an id. */
NtBooking        *nt_booking_store_put_object    (NtBookingStore  *self,
                                                  gpointer         object);
/* The same from the wire format (strictly, as nt_allocation_new_from_json()
 * or nt_run_period_new_from_json() read it, plus a required etag). */
NtBooking        *nt_booking_store_put_json      (NtBookingStore  *self,
                                                  GType            type,
                                                  JsonNode        *node,
                                                  GError         **error);
gboolean          nt_booking_store_remove        (NtBookingStore  *self,
                                                  gint64           id);
NtBooking        *nt_booking_store_lookup        (NtBookingStore  *self,
                                                  gint64           id);
/* Every booking, in no particular order; returns whether it went through. */
gboolean          nt_booking_store_foreach       (NtBookingStore  *self,
                                                  NtBookingFunc    func,
                                                  gpointer         user_data);

/* A new NtAllocation (or NtRunPeriod for a period) with the booking's
 * values, etag and revision: (transfer full). */
gpointer          nt_booking_make_object         (const NtBooking *booking);
/* Whether @object (an NtAllocation or NtRunPeriod) says the same as @booking. */
gboolean          nt_booking_equal_object        (const NtBooking *booking,
                                                  gpointer         object);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NtBookingStore, nt_booking_store_unref)

G_END_DECLS

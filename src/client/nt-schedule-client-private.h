/* nt-schedule-client-private.h: what the schedule client's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The instance struct, how each model travels (ModelInfo), a request's
 * state, and the internals: requests and parsing live in
 * nt-schedule-client-requests.c, failures in nt-schedule-client-failure.c,
 * the change feed in nt-schedule-client-feed.c, the object and the public
 * REST calls in nt-schedule-client.c.
 */
#pragma once

#include <libsoup/soup.h>

#include "nt-schedule-client.h"

G_BEGIN_DECLS

#define API_PREFIX            "/api/v1"
#define REQUEST_TIMEOUT_S     60
#define KEEPALIVE_S           15
#define DEFAULT_MIN_DELAY_MS  500
#define DEFAULT_MAX_DELAY_MS  30000

/* ---- the client ---- */

struct _NtScheduleClient
{
  GObject                   parent_instance;

  SoupSession              *session;
  char                     *base_uri;    /* http(s)://host:port, no trailing slash */
  char                     *host;        /* for error messages */
  char                     *token;

  /* change feed */
  gboolean                  feed_running;
  NtConnectionState         feed_state;
  SoupWebsocketConnection  *conn;
  GCancellable             *connect_cancellable;
  guint                     reconnect_id;
  guint                     attempt;
  guint                     min_delay_ms;
  guint                     max_delay_ms;
  GRand                    *rand;
  gint64                    last_revision;
  char                     *feed_error;
};

enum {
  PROP_0,
  PROP_BASE_URI,
  PROP_TOKEN,
  PROP_LAST_REVISION,
  PROP_FEED_STATE,
  PROP_FEED_ERROR,
  N_PROPS
};

enum {
  CHANGE,
  N_SIGNALS
};

extern GParamSpec *nt_schedule_client_properties[N_PROPS];
extern guint nt_schedule_client_signals[N_SIGNALS];

/* How each model travels. */
typedef gpointer     (*FromJsonFunc) (JsonNode *, GError **);
typedef JsonNode    *(*ToJsonFunc)   (gpointer);
typedef const char  *(*GetEtagFunc)  (gpointer);

typedef struct
{
  GType        (*get_type)  (void);
  const char    *resource;    /* as in change-feed messages */
  const char    *collection;  /* path under /api/v1 */
  FromJsonFunc   from_json;
  ToJsonFunc     to_json;
  GetEtagFunc    get_etag;
} ModelInfo;



typedef enum
{
  PARSE_NONE,    /* no body expected (DELETE) */
  PARSE_JSON,    /* the root node as it is */
  PARSE_OBJECT,  /* one model object */
  PARSE_LIST,    /* {"items": [...], "revision": N} of model objects */
  PARSE_BYTES,   /* the body as it is (calendar text) */
  PARSE_STORE,   /* a list of allocations into an NtBookingStore (no object kept) */
} ParseMode;

typedef struct
{
  ParseMode          mode;
  const ModelInfo   *info;
  SoupMessage       *msg;
  GBytes            *body;
  char              *host;
  NtScheduleFailure *failure;
} Request;

typedef struct
{
  GPtrArray      *items;  /* PARSE_LIST */
  NtBookingStore *store;  /* PARSE_STORE */
  gint64          revision;
} ListResult;

/* What the parse worker gets: nothing of the client or of libsoup, so that
 * whatever it drops last is safe to free in the worker. */
typedef struct
{
  ParseMode        mode;
  const ModelInfo *info;
  GBytes          *body;
} ParseJob;

typedef struct
{
  GWeakRef      self;
  GCancellable *cancellable;
  SoupMessage  *msg;
} ConnectData;

const ModelInfo   *nt_schedule_model_info_for_type     (GType             type);
const ModelInfo   *nt_schedule_model_info_for_resource (const char       *resource);
char              *nt_schedule_object_path             (const ModelInfo  *info,
                                                        gpointer          object);
void               nt_schedule_append_query            (GString          *path,
                                                        const char       *name,
                                                        const char       *value);
void               nt_schedule_append_query_time       (GString          *path,
                                                        const char       *name,
                                                        gint64            t);
JsonNode          *nt_schedule_write_body              (const ModelInfo  *info,
                                                        gpointer          object,
                                                        gboolean          keep_id,
                                                        const char       *override_reason);

/* nt-schedule-client-failure.c */
GError            *nt_schedule_invalid_data_error      (const char       *what);
NtScheduleFailure *nt_schedule_failure_new_from_reply  (guint             status,
                                                        GBytes           *body,
                                                        const ModelInfo  *info);

/* nt-schedule-client-requests.c */
void      nt_schedule_client_send_request   (NtScheduleClient     *self,
                                             const char           *method,
                                             const char           *path,
                                             JsonNode             *body,
                                             const char           *if_match,
                                             ParseMode             mode,
                                             const ModelInfo      *info,
                                             gpointer              source_tag,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gpointer  nt_schedule_client_finish_pointer (NtScheduleClient     *self,
                                             GAsyncResult         *result,
                                             gpointer              source_tag,
                                             NtScheduleFailure   **failure,
                                             GError              **error);
NtBookingStore *nt_schedule_client_finish_store (NtScheduleClient *self,
                                             GAsyncResult         *result,
                                             gpointer              source_tag,
                                             gint64               *revision,
                                             GError              **error);
GPtrArray *nt_schedule_client_finish_list   (NtScheduleClient     *self,
                                             GAsyncResult         *result,
                                             gpointer              source_tag,
                                             gint64               *revision,
                                             GError              **error);
gboolean  nt_schedule_client_check_model    (NtScheduleClient     *self,
                                             gpointer              object,
                                             const ModelInfo     **info,
                                             gpointer              source_tag,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);

gpointer  nt_schedule_client_parse_reply    (ParseMode             mode,
                                             const ModelInfo      *info,
                                             GBytes               *body,
                                             GCancellable         *cancellable,
                                             GDestroyNotify       *free_func,
                                             GError              **error);
char     *nt_schedule_client_read_role      (JsonNode             *node,
                                             GError              **error);

/* nt-schedule-client-feed.c */
void      nt_schedule_client_begin_connect  (NtScheduleClient     *self);
void      nt_schedule_client_handle_feed_message (NtScheduleClient *self,
                                                  const char       *data,
                                                  gsize             len);

G_END_DECLS

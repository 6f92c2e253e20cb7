/* State shared by the shim's files. Everything here is guarded by slpj_lock unless noted.
 *
 * The files call each other one way only, each calling (or naming as a callback) only files on
 * the rows below its own:
 *
 *   slpj_lib.c            start, destroy: installs every callback, resets every file
 *   slpj_call_ops.c       calls Java asks for (arms call_events' timers)
 *   slpj_call_events.c    pjsua's call callbacks    slpj_dtmf.c       DTMF both ways
 *                                                   slpj_session_timer.c  RFC 4028 timers
 *                                                   slpj_glare.c      491s to our requests
 *                                                   slpj_dialog.c     dialog records, orphans
 *   slpj_call_media.c     a call's audio for Java   slpj_account.c    accounts, REGISTER
 *   slpj_call_slots.c     the call table            slpj_strangers.c  the stranger module
 *   slpj_rtp_stat.c       a call's RTP figures
 *   slpj_media.c          the audio port            slpj_sdp_guard.c  SDP naming hosts refused
 *   slpj_events.c         the event queue           slpj_rtp_filter.c RTP from others dropped
 *                                                   slpj_srtp.c       --srtp, the redacted log
 *                                                   slpj_codecs.c     --codecs, the bridge clock
 *   slpj_common.c         lock, configuration, thread registration, errors, generations
 *
 * Declarations below are grouped by the file that defines them. */
#ifndef SLPJ_INTERNAL_H
#define SLPJ_INTERNAL_H

#include <pjsua-lib/pjsua.h>
#include <pthread.h>
#include "slpj.h"

#define SLPJ_MAX_ACCS PJSUA_MAX_ACC
#define SLPJ_MAX_CALLS PJSUA_MAX_CALLS
/* A handle is (generation << SLPJ_SLOT_BITS) | slot: room for a pjproject built with up to 4096
 * accounts and calls (8 bits, as before, broke the 257th account of a larger build). */
#define SLPJ_SLOT_BITS 12
#define SLPJ_SLOT_MASK ((1 << SLPJ_SLOT_BITS) - 1)
#if PJSUA_MAX_ACC > (1 << SLPJ_SLOT_BITS) || PJSUA_MAX_CALLS > (1 << SLPJ_SLOT_BITS)
#error "PJSUA_MAX_ACC or PJSUA_MAX_CALLS above 4096: raise SLPJ_SLOT_BITS"
#endif
/* G.711's rate; the bridge runs at it unless --codecs has a wideband codec (slpj_codecs.c). */
#define SLPJ_CLOCK_RATE 8000
/* A port's frames last 20 ms. */
#define SLPJ_FRAME_PTIME 20
/* G.722's and (as configured) Opus's audio rate. */
#define SLPJ_WIDEBAND_RATE 16000
/* A 20 ms frame at the fastest rate a call's port runs at. */
#define SLPJ_MAX_FRAME_SAMPLES (SLPJ_WIDEBAND_RATE / 50)
/* SIP INFO digits of one call whose answer is awaited at a time. */
#define SLPJ_MAX_INFO_PENDING 16

/* A sent SIP INFO digit: the CSeq of its transaction and the token Java gave it. */
typedef struct slpj_info_pending {
    int cseq;                   /* 0 when the entry is free */
    int token;
} slpj_info_pending;

typedef struct slpj_port slpj_port;

typedef struct slpj_acc {
    int handle;                 /* 0 when the slot is free */
    pjsua_acc_id acc_id;
    char aor[256];              /* the From URI pjsua prints, to recognise our REGISTERs */
    char tsx_key[256];          /* key of the REGISTER transaction in flight, "" if none */
    pj_timer_entry reg_timer;   /* bounds a whole registration attempt (challenges included) */
    int reg_timer_armed;
    int reg_timed_out;
    int unregister_pending;     /* asked while a REGISTER was in flight: sent when it ends */
    pj_timer_entry unreg_timer;
    int unreg_timer_armed;
    char contact[256];          /* the Contact URI of our last REGISTER, "" before it */
} slpj_acc;

typedef struct slpj_call {
    int handle;                 /* 0 when the slot is free */
    int acc_handle;
    pjsua_call_id call_id;      /* PJSUA_INVALID_ID until pjsua assigned it */
    int incoming;
    int answered;               /* incoming: 200 sent */
    int confirmed;              /* the dialog reached CONFIRMED */
    int ended;                  /* the terminal event is queued: drop everything after it */
    int local_hangup;           /* soft hangup asked for */
    int media_timeout;          /* hangup because no RTP arrived */
    int transferred;            /* hangup after a successful transfer */
    int bad_answer;             /* hangup because the 2xx's SDP named a host (slpj_sdp_guard.c) */
    char bad_answer_text[200];
    int invite_timed_out;
    int xfer_pending;
    int xfer_accepted;
    pj_timer_entry xfer_timer;  /* bounds the wait for the transfer's final NOTIFY */
    int xfer_timer_armed;
    pj_timer_entry invite_timer;/* bounds an outgoing INVITE until its final response */
    int invite_timer_armed;
    slpj_port *port;            /* the call's audio port once media is active */
    int audio_rate;             /* the port's rate, fixed at the first stream (0: none yet) */
    pjsua_conf_port_id port_slot;
    pjsua_conf_port_id linked_slot;
    /* The call's audio stream as on_stream_created2 announced it, with a reference on its group
     * lock so that it outlives any use here (pjsua does not always announce its destruction). */
    pjmedia_stream *stream;
    pj_grp_lock_t *stream_lock;
    slpj_info_pending info[SLPJ_MAX_INFO_PENDING];
    /* The session timer the last 2xx to an INVITE or UPDATE agreed (slpj_session_timer.c):
     * its interval in seconds (0: none) and whether we are the refresher. */
    int session_expires;
    int we_refresh;
    /* What carried the latest SDP offer of the far end's ("INVITE", "UPDATE"), or of ours (the
     * answer then came in its 2xx), and whether the call is held (we do not send). */
    char offer_by[48];
    int held;
    int media_seen;             /* a first media state was applied: later ones are changes */
    /* The confirmed dialog's record as slpj_call_dialog returns it (slpj_dialog.c) */
    char dialog[2048];
    int dialog_len;
    /* Our re-INVITE or UPDATE answered 491, sent again after RFC 3261 §14.1's wait
     * (slpj_glare.c): the timer, the 491s in a row so far, and which method it was. */
    pj_timer_entry glare_timer;
    int glare_timer_armed;
    int glare_retries;
    int glare_update;
    /* RTP figures of the streams that ran before the current one (slpj_rtp_stat.c) */
    long long stat_base[SLPJ_STAT_FIELDS];
} slpj_call;

/* slpj_common.c */
extern pthread_mutex_t slpj_lock;
extern int slpj_started;        /* pjsua runs: between slpj_start and slpj_destroy */
extern int slpj_register_timeout_ms;
extern int slpj_transaction_timeout_ms;
extern int slpj_transfer_timeout_ms;
extern char slpj_bind_addr[64];
extern char slpj_public_addr[64];
extern int slpj_rtp_port_min;
extern int slpj_rtp_port_max;
extern pjsua_transport_id slpj_transport_id;
extern int slpj_transport_tcp;
void slpj_ensure_thread(void);
/* Every API entry that touches pjlib starts here: false (with err set) when pjsua is not
 * running, else the calling thread is registered with pjlib and true is returned. */
int slpj_enter(char *err, int err_len);
void slpj_set_err(char *err, int err_len, const char *what, pj_status_t status);
int slpj_next_generation(void);
void slpj_call_setting(pjsua_call_setting *opt);

/* slpj_events.c: queue an event; text may hold NULs (text_len bytes). Never blocks long. */
void slpj_event_post(int type, int acc, int call, int code, const char *text, int text_len);
void slpj_event_post_str(int type, int acc, int call, int code, const char *text);
void slpj_events_reset(void);
void slpj_events_wake_all(void);

/* slpj_dialog.c */
/* Caller holds slpj_lock, in a callback of the call's (dialog locked): records the dialog;
 * 1 when the record changed. */
int slpj_dialog_take(slpj_call *c, pjsua_call_id call_id);
/* From on_call_tsx_state: records the dialog again, posting SLPJ_EV_DIALOG when it changed. */
void slpj_dialog_tsx(pjsua_call_id call_id);

/* slpj_account.c */
extern slpj_acc slpj_accs[SLPJ_MAX_ACCS];
slpj_acc *slpj_acc_by_handle(int handle);
slpj_acc *slpj_acc_by_pjsua_id(pjsua_acc_id id);
void slpj_on_reg_state2(pjsua_acc_id acc_id, pjsua_reg_info *info);
pj_status_t slpj_register_module_init(void);
/* REGISTERs with this Call-ID are not an account's (a previous process's binding removed):
 * the registration timer leaves them alone. add keeps at most 16; remove forgets one. */
void slpj_register_foreign_add(const pj_str_t *call_id);
void slpj_register_foreign_remove(const pj_str_t *call_id);
void slpj_accounts_reset(void);

/* slpj_call_slots.c; the helpers need slpj_lock held unless noted */
extern slpj_call slpj_calls[SLPJ_MAX_CALLS];
void slpj_calls_reset(void);
slpj_call *slpj_call_by_handle(int handle);
slpj_call *slpj_call_of(pjsua_call_id call_id);
slpj_call *slpj_alloc_call(int acc_handle, int incoming);
void slpj_cancel_timers(slpj_call *c);
/* Caller holds slpj_lock: detaches the call's stream; returns the group lock reference to drop
 * (with pj_grp_lock_dec_ref, after unlocking), or NULL. */
pj_grp_lock_t *slpj_take_stream(slpj_call *c);
/* The call's audio rate: fixed from its stream's port at the first stream (0 before it). */
int slpj_call_rate(slpj_call *c);
void slpj_post_terminal(slpj_call *c, int type, int code, const char *text);
slpj_port *slpj_take_port(slpj_call *c, pjsua_conf_port_id *slot);
/* Without slpj_lock: removes a port taken with slpj_take_port from the bridge and releases it. */
void slpj_detach_port(slpj_port *port, pjsua_conf_port_id slot);
void slpj_arm_timer(pj_timer_entry *entry, int *armed, int ms, pj_timer_heap_callback *cb,
                    slpj_call *c);

/* slpj_call_events.c: pjsua's callbacks and the call timers */
void slpj_on_incoming_call(pjsua_acc_id acc_id, pjsua_call_id call_id, pjsip_rx_data *rdata);
void slpj_on_call_state(pjsua_call_id call_id, pjsip_event *e);
void slpj_on_call_media_state(pjsua_call_id call_id);
void slpj_on_call_transfer_status(pjsua_call_id call_id, int st_code, const pj_str_t *st_text,
                                  pj_bool_t final, pj_bool_t *p_cont);
void slpj_on_xfer_timer(pj_timer_heap_t *heap, pj_timer_entry *entry);
void slpj_on_invite_timer(pj_timer_heap_t *heap, pj_timer_entry *entry);
void slpj_on_stream_created2(pjsua_call_id call_id, pjsua_on_stream_created_param *param);
void slpj_on_stream_destroyed(pjsua_call_id call_id, pjmedia_stream *strm, unsigned stream_idx);

/* slpj_dtmf.c: DTMF in both directions */
void slpj_on_dtmf_event(pjsua_call_id call_id, const pjsua_dtmf_event *event);
void slpj_on_call_tsx_state(pjsua_call_id call_id, pjsip_transaction *tsx, pjsip_event *e);

/* slpj_session_timer.c */
extern int slpj_session_expires_s; /* the interval asked for (0: none), set by slpj_start */
/* The account's use_timer and timer_setting for the interval asked for. */
void slpj_session_timer_config(pjsua_sip_timer_use *use, pjsip_timer_setting *setting);
/* From pjsua's on_call_tsx_state: records the interval a 2xx to an INVITE or UPDATE agreed. */
void slpj_session_timer_tsx(pjsua_call_id call_id, pjsip_transaction *tsx, pjsip_event *e);
/* Caller holds slpj_lock. 1 (and a description of why, into out) when pjsip ended the call
 * because its session timer expired; else 0. */
int slpj_session_timer_expired(const slpj_call *c, const pjsua_call_info *ci, char *out, int len);

/* slpj_glare.c: from pjsua's on_call_tsx_state: a 491 to our re-INVITE or UPDATE is answered
 * by sending it again after RFC 3261 §14.1's wait. */
void slpj_glare_tsx(pjsua_call_id call_id, pjsip_transaction *tsx, pjsip_event *e);

/* slpj_options.c */
pj_status_t slpj_options_module_init(void);
void slpj_options_reset(void);

/* slpj_strangers.c */
pj_status_t slpj_strangers_module_init(void);
void slpj_strangers_reset(void);

/* slpj_dns.c: the name servers given by slpj_set_nameservers, into pjsua_config before
 * pjsua_init, and with their ports into the resolver pjsua_init created. */
void slpj_dns_config(pjsua_config *cfg);
pj_status_t slpj_dns_apply_ports(void);
void slpj_on_call_transfer_request2(pjsua_call_id call_id, const pj_str_t *dst,
                                    pjsip_status_code *code, pjsua_call_setting *opt);

/* slpj_sdp_guard.c */
pj_status_t slpj_sdp_guard_module_init(void);
/* 1 (host copied, NUL-terminated) when a c= line of the SDP text names a host, not an IP. */
int slpj_sdp_host_name(const char *text, pj_size_t len, char *host, int host_len);
/* 1 (host copied) when our INVITE with this Call-ID got a 2xx whose SDP named a host: the entry
 * is taken, so it answers 1 once. */
int slpj_sdp_guard_take_answer(const pj_str_t *call_id, char *host, int host_len);

/* slpj_rtp_filter.c: pjsua's on_create_media_transport; wraps the call's transport so that RTP
 * from anywhere but the negotiated remote address is dropped. */
pjmedia_transport *slpj_on_create_media_transport(pjsua_call_id call_id, unsigned media_idx,
                                                  pjmedia_transport *base_tp, unsigned flags);

/* slpj_call_ops.c */
void slpj_calls_end_all(void);

/* slpj_rtp_stat.c; caller holds slpj_lock */
void slpj_stat_init(slpj_call *c);
/* Adds the running stream's counters to the call's before the stream goes. */
void slpj_stat_fold(slpj_call *c);
void slpj_stat_current(const slpj_call *c, long long *out);
/* The figures as NUL-separated decimals; returns their length, or -1 when len is too small. */
int slpj_stat_format(const slpj_call *c, char *buf, int len);

/* slpj_media.c */
/* A port of 20 ms frames at clock_rate (8000 or 16000). */
pj_status_t slpj_port_create(unsigned clock_rate, slpj_port **out);
/* Samples in one of the port's frames. */
int slpj_port_frame_samples(const slpj_port *port);
pjmedia_port *slpj_port_base(slpj_port *port);
pj_pool_t *slpj_port_pool(slpj_port *port);
void slpj_port_release(slpj_port *port);
int slpj_port_push(slpj_port *port, const short *pcm);
int slpj_port_pull(slpj_port *port, short *pcm, int *missing);
int slpj_port_depth(slpj_port *port);
/* Frames taken and silent runs since the last call (see slpj_media_tx_log in slpj.h). */
int slpj_port_tx_log(slpj_port *port, int *entries, int max);
/* Whether frames the bridge takes from the port leave in RTP (the stream sends). */
void slpj_port_set_tx_live(slpj_port *port, int live);
/* Points the port's loss detection at the call's stream (NULL: none), taking a reference on
 * stream_lock; returns the group lock whose reference the caller must drop once it holds none of
 * sipline's locks (NULL if none). */
pj_grp_lock_t *slpj_port_set_stream(slpj_port *port, pjmedia_stream *stream,
                                    pj_grp_lock_t *stream_lock);
void slpj_media_wake_all(void);

/* slpj_srtp.c: --srtp onto pjsua, and pjsip's log written with the keys redacted */
int slpj_srtp_mode(void); /* 0 off, 1 offer, 2 require */
void slpj_srtp_apply_config(pjsua_config *cfg);
void slpj_srtp_apply_account(pjsua_acc_config *cfg);
/* The Warning code (302, reason into why) when the mode refuses an offer with this SDP; else 0. */
int slpj_srtp_refusal(const char *text, pj_size_t len, char *why, int why_len);
int slpj_srtp_redact(const char *data, int len, char *out, int out_len);
/* Points pjsua's logging at path (NULL or "": no log) through the redacting writer. */
int slpj_log_open(pjsua_logging_config *log_cfg, const char *path, int level, char *err,
                  int err_len);
void slpj_log_close(void);

/* slpj_codecs.c: --codecs onto pjsua */
/* The bridge's clock: 16 kHz with G.722 or Opus in the list, else 8 kHz. */
unsigned slpj_codecs_clock_rate(void);
/* After pjsua_init: the list's priorities (the rest disabled), Opus at 16 kHz mono. */
void slpj_codecs_apply(void);
/* pjsua's on_stream_precreate: our Opus encoder's bit rate (see slpj_codecs.c for why). */
void slpj_on_stream_precreate(pjsua_call_id call_id, pjsua_on_stream_precreate_param *prm);
/* From on_incoming_call: this dialog's answers take the first of our codecs the offer has. */
void slpj_codecs_prefer_ours(pjsip_rx_data *rdata);
/* The rate a call's port runs at for a stream port of stream_rate. */
unsigned slpj_codecs_port_rate(unsigned stream_rate);

/* slpj_tls.c */
void slpj_tls_apply(pjsua_transport_config *tp_cfg);
void slpj_on_transport_state(pjsip_transport *tp, pjsip_transport_state state,
                             const pjsip_transport_state_info *info);

#endif

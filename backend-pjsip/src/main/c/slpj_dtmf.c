/*
 * DTMF both ways.
 *
 * In: pjsua's on_dtmf_event reports RFC 4733 packets (the first of an event, every update, the
 * first end packet; pjmedia drops the end packet's retransmissions) and application/dtmf-relay
 * INFOs (one report with the end flag); application/dtmf INFOs, which pjsua leaves unanswered,
 * are answered and reported here. Each report is queued as SLPJ_EV_DTMF with pjsua's raw fields;
 * the Java side turns them into one start and one end per digit.
 *
 * Out: pjsua_call_send_dtmf, RFC 4733 first and SIP INFO when the far end did not negotiate
 * telephone-event. pjsua tells nothing about a sent INFO's answer, so the INFO's transaction is
 * recognised in on_call_tsx_state: its CSeq is recorded when it is sent (on this thread, inside
 * pjsua_call_send_dtmf) and its final state is queued as SLPJ_EV_DTMF_INFO_DONE.
 */
#include "slpj_internal.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The token of the INFO this thread is sending right now, 0 otherwise. */
static __thread int sending_token;

/* RFC 4733 event order: the digits pjsua and sipline accept. */
static const char DIGITS[] = "0123456789*#ABCD";

static void post_dtmf(pjsua_call_id call_id, int digit, int method, unsigned timestamp,
                      unsigned duration, unsigned flags)
{
    char text[64];
    int pos = 0;
    slpj_call *c;

    pos += snprintf(text + pos, sizeof(text) - (size_t)pos, "%d", method) + 1;
    pos += snprintf(text + pos, sizeof(text) - (size_t)pos, "%u", timestamp) + 1;
    pos += snprintf(text + pos, sizeof(text) - (size_t)pos, "%u", duration) + 1;
    pos += snprintf(text + pos, sizeof(text) - (size_t)pos, "%u", flags);

    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_of(call_id);
    /* Under the lock: nothing is queued for a call after its terminal event. */
    if (c && !c->ended) {
        slpj_event_post(SLPJ_EV_DTMF, c->acc_handle, c->handle, digit, text, pos);
    }
    pthread_mutex_unlock(&slpj_lock);
}

void slpj_on_dtmf_event(pjsua_call_id call_id, const pjsua_dtmf_event *event)
{
    int digit = toupper((int)event->digit);
    if (!digit || !strchr(DIGITS, digit)) return; /* flash ('R') and anything else */
    post_dtmf(call_id, digit, event->method == PJSUA_DTMF_METHOD_SIP_INFO ? 1 : 0,
              event->timestamp, event->duration, event->flags);
}

/* The digit of an application/dtmf body (the digit alone, whitespace around it allowed), or 0. */
static int dtmf_body_digit(const char *body, unsigned len)
{
    unsigned i = 0;
    int digit;
    while (i < len && isspace((unsigned char)body[i])) ++i;
    if (i == len) return 0;
    digit = toupper((unsigned char)body[i++]);
    while (i < len && isspace((unsigned char)body[i])) ++i;
    return i == len && strchr(DIGITS, digit) ? digit : 0;
}

static void incoming_info(pjsua_call_id call_id, pjsip_transaction *tsx, pjsip_rx_data *rdata)
{
    static const pj_str_t application = {"application", 11};
    static const pj_str_t dtmf = {"dtmf", 4};
    pjsip_msg_body *body = rdata->msg_info.msg->body;
    pjsip_tx_data *tdata;
    int digit;

    /* application/dtmf-relay is pjsua's (it answers and reports it through on_dtmf_event). */
    if (!body || pj_stricmp(&body->content_type.type, &application) != 0 ||
        pj_stricmp(&body->content_type.subtype, &dtmf) != 0) {
        return;
    }
    digit = dtmf_body_digit((const char *)body->data, body->len);
    if (pjsip_endpt_create_response(tsx->endpt, rdata, digit ? 200 : 400, NULL, &tdata) ==
        PJ_SUCCESS) {
        pjsip_tsx_send_msg(tsx, tdata);
    }
    /* The body carries no duration: reported as unknown (0). */
    if (digit) post_dtmf(call_id, digit, 1, 0, 0, PJMEDIA_STREAM_DTMF_IS_END);
}

/* Caller holds slpj_lock. */
static slpj_info_pending *info_entry(slpj_call *c, int cseq)
{
    int i;
    for (i = 0; i < SLPJ_MAX_INFO_PENDING; ++i) {
        if (c->info[i].cseq == cseq) return &c->info[i];
    }
    return NULL;
}

static void outgoing_info_sent(pjsua_call_id call_id, pjsip_transaction *tsx)
{
    slpj_call *c;
    slpj_info_pending *free_entry;
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_of(call_id);
    free_entry = c ? info_entry(c, 0) : NULL;
    /* No free entry: the digit's answer goes unseen and Java's deadline fails it. */
    if (free_entry) {
        free_entry->cseq = tsx->cseq;
        free_entry->token = sending_token;
    }
    pthread_mutex_unlock(&slpj_lock);
}

static void outgoing_info_done(pjsua_call_id call_id, pjsip_transaction *tsx, pjsip_event *e)
{
    char text[PJ_ERR_MSG_SIZE + 64];
    int pos, status = tsx->status_code;
    slpj_call *c;
    slpj_info_pending *entry;

    if (e->body.tsx_state.type == PJSIP_EVENT_TIMER) {
        /* Timer F: pjsip calls it 408, but no response came. */
        status = 0;
        pos = snprintf(text, sizeof(text), "0") + 1;
        pos += snprintf(text + pos, sizeof(text) - (size_t)pos,
                        "no response to the DTMF INFO within %d ms", slpj_transaction_timeout_ms);
    } else if (e->body.tsx_state.type == PJSIP_EVENT_TRANSPORT_ERROR) {
        status = 0;
        pos = snprintf(text, sizeof(text), "0") + 1;
        pos += snprintf(text + pos, sizeof(text) - (size_t)pos,
                        "the DTMF INFO could not be sent (transport error)");
    } else {
        pos = snprintf(text, sizeof(text), "%d", status) + 1;
        pos += snprintf(text + pos, sizeof(text) - (size_t)pos, "%.*s",
                        (int)tsx->status_text.slen, tsx->status_text.ptr);
    }
    if (pos > (int)sizeof(text) - 1) pos = (int)sizeof(text) - 1;

    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_of(call_id);
    entry = c ? info_entry(c, tsx->cseq) : NULL;
    if (entry && tsx->cseq != 0) {
        if (!c->ended) {
            slpj_event_post(SLPJ_EV_DTMF_INFO_DONE, c->acc_handle, c->handle, entry->token, text,
                            pos);
        }
        entry->cseq = 0;
        entry->token = 0;
    }
    pthread_mutex_unlock(&slpj_lock);
}

void slpj_on_call_tsx_state(pjsua_call_id call_id, pjsip_transaction *tsx, pjsip_event *e)
{
    slpj_session_timer_tsx(call_id, tsx, e);
    slpj_glare_tsx(call_id, tsx, e);
    slpj_dialog_tsx(call_id);
    if (pjsip_method_cmp(&tsx->method, &pjsip_info_method) != 0) return;
    if (tsx->role == PJSIP_ROLE_UAS) {
        if (tsx->state == PJSIP_TSX_STATE_TRYING && e->type == PJSIP_EVENT_TSX_STATE &&
            e->body.tsx_state.type == PJSIP_EVENT_RX_MSG) {
            incoming_info(call_id, tsx, e->body.tsx_state.src.rdata);
        }
        return;
    }
    if (tsx->state == PJSIP_TSX_STATE_CALLING) {
        if (sending_token) outgoing_info_sent(call_id, tsx);
    } else if (tsx->state == PJSIP_TSX_STATE_COMPLETED ||
               (tsx->state == PJSIP_TSX_STATE_TERMINATED &&
                e->body.tsx_state.prev_state != PJSIP_TSX_STATE_COMPLETED)) {
        outgoing_info_done(call_id, tsx, e);
    }
}

/*
 * pjmedia (2.17 included) moves the stream's RTP timestamp past a digit by its default digit
 * length (PJMEDIA_DTMF_DURATION_MSEC, 200 ms), not by the length the digit was sent with, so the
 * audio after a 100 ms digit jumps 100 ms ahead and after a 500 ms one 300 ms back. Setting that
 * default to this digit's length before queueing it keeps the clock in step. The setter (pjsua
 * 2.16 and later) takes at most 1000 ms: longer digits still move the clock back by the rest.
 * It applies to the digit being sent when it ends, so digits queued together with different
 * lengths can still be off.
 */
static void align_dtmf_clock(pjsua_call_id call_id, pjmedia_stream *stream, int duration_ms)
{
#if PJ_VERSION_NUM >= ((2 << 24) | (16 << 16))
    pjsua_stream_info info;
    if (pjsua_call_get_stream_info(call_id, 0, &info) != PJ_SUCCESS ||
        info.type != PJMEDIA_TYPE_AUDIO || info.info.aud.tx_event_pt < 0) {
        return; /* no telephone-event: the digit goes as INFO */
    }
    /* pjmedia's own defaults for the rest: no pause, volume -10 dBm0, the end packet 3 times. */
    pjmedia_stream_set_tx_dtmf_options(stream, duration_ms > 1000 ? 1000U : (pj_uint32_t)duration_ms,
                                       0, (pj_uint8_t)info.info.aud.tx_event_pt, -10, 2);
#else
    (void)call_id;
    (void)stream;
    (void)duration_ms;
#endif
}

int slpj_call_send_dtmf(int call, int digit, int duration_ms, int token, char *err, int err_len)
{
    pjsua_call_send_dtmf_param param;
    pjsua_call_id call_id = PJSUA_INVALID_ID;
    pjmedia_stream *stream = NULL;
    pj_grp_lock_t *stream_lock = NULL;
    pj_status_t status;
    slpj_call *c;
    char digits[2];

    if (!slpj_enter(err, err_len)) return -1;
    if (!digit || !strchr(DIGITS, digit) || duration_ms <= 0 || token == 0) {
        slpj_set_err(err, err_len, "not a DTMF digit, duration or token", PJ_SUCCESS);
        return -1;
    }
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_by_handle(call);
    if (!c || c->ended) {
        slpj_set_err(err, err_len, "the call has ended", PJ_SUCCESS);
    } else if (!c->confirmed) {
        slpj_set_err(err, err_len, "the call is not connected", PJ_SUCCESS);
    } else {
        call_id = c->call_id;
        if (c->stream_lock) {
            /* Kept alive by our reference while its DTMF options are set. */
            stream = c->stream;
            stream_lock = c->stream_lock;
            pj_grp_lock_add_ref(stream_lock);
        }
    }
    pthread_mutex_unlock(&slpj_lock);
    if (call_id == PJSUA_INVALID_ID) return -1;
    if (stream) {
        align_dtmf_clock(call_id, stream, duration_ms);
        pj_grp_lock_dec_ref(stream_lock);
    }

    digits[0] = (char)digit;
    digits[1] = '\0';
    pjsua_call_send_dtmf_param_default(&param);
    param.digits = pj_str(digits);
    param.duration = (unsigned)duration_ms;
    param.method = PJSUA_DTMF_METHOD_RFC2833;
    status = pjsua_call_send_dtmf(call_id, &param);
    if (status == PJ_SUCCESS) return 0;
    /* Not negotiated (no telephone-event in the far end's SDP) or no audio stream: SIP INFO. */
    if (status != PJMEDIA_RTP_EREMNORFC2833 && status != PJ_EINVALIDOP) {
        slpj_set_err(err, err_len, "queueing the RFC 4733 digit", status);
        return -1;
    }
    param.method = PJSUA_DTMF_METHOD_SIP_INFO;
    sending_token = token;
    status = pjsua_call_send_dtmf(call_id, &param);
    sending_token = 0;
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "sending the DTMF INFO", status);
        return -1;
    }
    return 1;
}

int slpj_call_dtmf_queued(int call)
{
#if PJ_VERSION_NUM >= ((2 << 24) | (16 << 16))
    pjsua_call_id call_id;
    slpj_call *c;
    unsigned digits = 0;

    if (!slpj_enter(NULL, 0)) return -1;
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_by_handle(call);
    call_id = c && !c->ended ? c->call_id : PJSUA_INVALID_ID;
    pthread_mutex_unlock(&slpj_lock);
    if (call_id == PJSUA_INVALID_ID) return -1;
    if (pjsua_call_get_queued_dtmf_digits(call_id, &digits) != PJ_SUCCESS) return -1;
    return (int)digits;
#else
    /* pjsua before 2.16 cannot tell: the Java side then estimates the end. */
    (void)call;
    return -2;
#endif
}

int slpj_call_codec(int call, char *out, int out_len)
{
    pjsua_stream_info info;
    pjsua_call_id call_id;
    slpj_call *c;

    if (out_len > 0) out[0] = '\0';
    if (!slpj_enter(NULL, 0)) return -1;
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_by_handle(call);
    call_id = c && !c->ended && c->port ? c->call_id : PJSUA_INVALID_ID;
    pthread_mutex_unlock(&slpj_lock);
    if (call_id == PJSUA_INVALID_ID) return -1;
    if (pjsua_call_get_stream_info(call_id, 0, &info) != PJ_SUCCESS ||
        info.type != PJMEDIA_TYPE_AUDIO) {
        return -1;
    }
    snprintf(out, (size_t)out_len, "%.*s", (int)info.info.aud.fmt.encoding_name.slen,
             info.info.aud.fmt.encoding_name.ptr);
    return 0;
}

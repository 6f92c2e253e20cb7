/*
 * pjsua's call callbacks (and our call timers), turned into queued events. They run on pjsua's
 * threads and never call Java.
 */
#include "slpj_internal.h"
#include <stdio.h>
#include <string.h>

static int append(char *buf, int pos, int cap, const char *s, int len)
{
    if (len < 0) len = (int)strlen(s);
    if (pos + len + 1 > cap) len = cap - pos - 1;
    if (len > 0) memcpy(buf + pos, s, (size_t)len);
    pos += len > 0 ? len : 0;
    buf[pos++] = '\0';
    return pos;
}

void slpj_on_incoming_call(pjsua_acc_id acc_id, pjsua_call_id call_id, pjsip_rx_data *rdata)
{
    /* Call-ID \0 From URI \0 display name \0 "Name: value\r\n"... : a SIP message is below
     * PJSIP_MAX_PKT_LEN, so its headers fit. */
    char text[PJSIP_MAX_PKT_LEN + 1024];
    char uri[512];
    pjsua_call_setting opt;
    slpj_acc *a;
    slpj_call *c;
    pjsip_msg *msg = rdata->msg_info.msg;
    pjsip_hdr *h;
    int acc_handle, handle, pos = 0, len;

    pthread_mutex_lock(&slpj_lock);
    a = slpj_acc_by_pjsua_id(acc_id);
    acc_handle = a ? a->handle : 0;
    c = acc_handle ? slpj_alloc_call(acc_handle, 1) : NULL;
    if (c) {
        c->call_id = call_id;
        pjsua_call_set_user_data(call_id, c);
    }
    handle = c ? c->handle : 0;
    pthread_mutex_unlock(&slpj_lock);
    if (!acc_handle) {
        pj_str_t reason = pj_str("No Such Account Here");
        pjsua_call_hangup(call_id, PJSIP_SC_NOT_FOUND, &reason, NULL);
        return;
    }
    if (!c) {
        pjsua_call_hangup(call_id, PJSIP_SC_BUSY_HERE, NULL, NULL);
        return;
    }
    slpj_codecs_prefer_ours(rdata);

    pos = append(text, pos, (int)sizeof(text), rdata->msg_info.cid->id.ptr,
                 (int)rdata->msg_info.cid->id.slen);
    /* PJSIP_URI_IN_OTHER: printed in the From context, pjsip would drop the port. */
    len = pjsip_uri_print(PJSIP_URI_IN_OTHER, pjsip_uri_get_uri(rdata->msg_info.from->uri),
                          uri, sizeof(uri) - 1);
    pos = append(text, pos, (int)sizeof(text), uri, len > 0 ? len : 0);
    if (pjsip_uri_get_uri(rdata->msg_info.from->uri) != (void *)rdata->msg_info.from->uri) {
        /* A name-addr (what pjsip's parser makes of every From): it may carry a display name. */
        pjsip_name_addr *na = (pjsip_name_addr *)rdata->msg_info.from->uri;
        pos = append(text, pos, (int)sizeof(text), na->display.ptr ? na->display.ptr : "",
                     (int)na->display.slen);
    } else {
        pos = append(text, pos, (int)sizeof(text), "", 0);
    }
    for (h = msg->hdr.next; h != &msg->hdr; h = h->next) {
        len = pjsip_hdr_print_on(h, text + pos, sizeof(text) - (size_t)pos - 3);
        if (len <= 0) break;
        pos += len;
        text[pos++] = '\r';
        text[pos++] = '\n';
    }
    text[pos] = '\0';

    /* SPI: the backend rings, then waits for answer or reject. */
    slpj_call_setting(&opt);
    pjsua_call_answer2(call_id, &opt, PJSIP_SC_RINGING, NULL, NULL);
    slpj_event_post(SLPJ_EV_INCOMING_CALL, acc_handle, handle, 0, text, pos);
}

static int is_remote_bye(pjsip_event *e)
{
    pjsip_transaction *tsx;
    if (!e || e->type != PJSIP_EVENT_TSX_STATE) return 0;
    tsx = e->body.tsx_state.tsx;
    return tsx && tsx->role == PJSIP_ROLE_UAS && tsx->method.id == PJSIP_BYE_METHOD;
}

void slpj_on_call_state(pjsua_call_id call_id, pjsip_event *e)
{
    pjsua_call_info ci;
    slpj_call *c;
    slpj_port *port = NULL;
    pjsua_conf_port_id slot = PJSUA_INVALID_ID;
    pj_grp_lock_t *stream_lock = NULL;
    char text[256];
    char host[128];
    char expired[200];
    int hang_up = 0;

    if (pjsua_call_get_info(call_id, &ci) != PJ_SUCCESS) return;
    snprintf(text, sizeof(text), "%.*s", (int)ci.last_status_text.slen, ci.last_status_text.ptr);

    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_of(call_id);
    if (!c) {
        pthread_mutex_unlock(&slpj_lock);
        return;
    }
    switch (ci.state) {
    case PJSIP_INV_STATE_EARLY:
        if (!c->incoming && !c->ended && ci.last_status > 100 && ci.last_status < 200) {
            slpj_event_post_str(SLPJ_EV_CALL_RINGING, c->acc_handle, c->handle, ci.last_status,
                                text);
        }
        break;
    case PJSIP_INV_STATE_CONFIRMED:
        if (c->confirmed) break; /* once per call, whatever pjsua reports again later */
        c->confirmed = 1;
        if (c->invite_timer_armed) {
            pjsip_endpt_cancel_timer(pjsua_get_pjsip_endpt(), &c->invite_timer);
            c->invite_timer_armed = 0;
        }
        if (!c->incoming && slpj_sdp_guard_take_answer(&ci.call_id, host, sizeof(host))) {
            /* As jainsip: ACKed (pjsua did), then BYE, and the call failed 488. */
            c->bad_answer = 1;
            snprintf(c->bad_answer_text, sizeof(c->bad_answer_text),
                     "Not Acceptable Here (the answer's c= names host %s, not an IP address)",
                     host);
            hang_up = !c->ended;
        } else if (!c->ended) {
            slpj_dialog_take(c, call_id); /* read by the core when it hears of the connection */
            slpj_event_post(SLPJ_EV_CALL_CONNECTED, c->acc_handle, c->handle, 0, NULL, 0);
        }
        break;
    case PJSIP_INV_STATE_DISCONNECTED:
        slpj_cancel_timers(c);
        if (c->bad_answer) {
            slpj_post_terminal(c, SLPJ_EV_CALL_FAILED, PJSIP_SC_NOT_ACCEPTABLE_HERE,
                               c->bad_answer_text);
        } else if (c->confirmed) {
            if (c->transferred) {
                slpj_post_terminal(c, SLPJ_EV_CALL_ENDED, SLPJ_END_TRANSFERRED, "transferred");
            } else if (c->media_timeout) {
                slpj_post_terminal(c, SLPJ_EV_CALL_ENDED, SLPJ_END_MEDIA_TIMEOUT, "no RTP received");
            } else if (c->local_hangup) {
                slpj_post_terminal(c, SLPJ_EV_CALL_ENDED, SLPJ_END_LOCAL_BYE, "BYE sent");
            } else if (is_remote_bye(e)) {
                slpj_post_terminal(c, SLPJ_EV_CALL_ENDED, SLPJ_END_REMOTE_BYE, "BYE received");
            } else if (slpj_session_timer_expired(c, &ci, expired, sizeof(expired))) {
                slpj_post_terminal(c, SLPJ_EV_CALL_ENDED, SLPJ_END_ERROR, expired);
            } else {
                char what[300];
                snprintf(what, sizeof(what), "dialog ended: %d %s", ci.last_status, text);
                slpj_post_terminal(c, SLPJ_EV_CALL_ENDED, SLPJ_END_ERROR, what);
            }
        } else if (c->invite_timed_out) {
            char what[128];
            snprintf(what, sizeof(what), "no final response to INVITE within %d ms",
                     slpj_transaction_timeout_ms);
            slpj_post_terminal(c, SLPJ_EV_CALL_FAILED, 0, what);
        } else if (c->incoming && !c->local_hangup) {
            /* The caller gave up (CANCEL) or the INVITE transaction failed. */
            slpj_post_terminal(c, SLPJ_EV_CALL_FAILED, ci.last_status, ci.last_status == 487
                          ? "caller cancelled (487 Request Terminated)" : text);
        } else {
            slpj_post_terminal(c, SLPJ_EV_CALL_FAILED, ci.last_status, text);
        }
        port = slpj_take_port(c, &slot);
        stream_lock = slpj_take_stream(c);
        c->handle = 0;
        pjsua_call_set_user_data(call_id, NULL);
        break;
    default:
        break;
    }
    pthread_mutex_unlock(&slpj_lock);
    if (hang_up) pjsua_call_hangup(call_id, 0, NULL, NULL);
    slpj_detach_port(port, slot);
    if (stream_lock) pj_grp_lock_dec_ref(stream_lock);
}

/* Whether the call's audio stream sends RTP: media runs and its direction includes sending
 * (a far end that holds the call with sendonly makes it receive only). */
static int audio_sends(const pjsua_call_info *ci)
{
    unsigned i;
    for (i = 0; i < ci->media_cnt; ++i) {
        if (ci->media[i].type != PJMEDIA_TYPE_AUDIO) continue;
        return (ci->media[i].status == PJSUA_CALL_MEDIA_ACTIVE ||
                ci->media[i].status == PJSUA_CALL_MEDIA_REMOTE_HOLD) &&
               (ci->media[i].dir & PJMEDIA_DIR_ENCODING) != 0;
    }
    return 0;
}

/* The far end's direction attribute, as our negotiated direction mirrors it (RFC 3264 §6.1). */
static const char *remote_direction(const pjsua_call_info *ci)
{
    unsigned i;
    for (i = 0; i < ci->media_cnt; ++i) {
        if (ci->media[i].type != PJMEDIA_TYPE_AUDIO) continue;
        switch (ci->media[i].dir) {
        case PJMEDIA_DIR_ENCODING_DECODING: return "sendrecv";
        case PJMEDIA_DIR_DECODING: return "sendonly";
        case PJMEDIA_DIR_ENCODING: return "recvonly";
        default: return "inactive";
        }
    }
    return "inactive";
}

/* Caller holds slpj_lock. Reports a change of hold (SPI callHoldChanged) once media ran. */
static void note_hold(slpj_call *c, const pjsua_call_info *ci, int sends)
{
    char what[160];
    int held = !sends;
    if (!c->media_seen) {
        c->media_seen = 1;
        c->held = held;
        return;
    }
    if (held == c->held || !c->confirmed) return;
    c->held = held;
    snprintf(what, sizeof(what), "call %s by the far end (%s with a=%s)",
             held ? "held" : "resumed", c->offer_by[0] ? c->offer_by : "re-INVITE",
             remote_direction(ci));
    slpj_event_post_str(SLPJ_EV_CALL_HOLD, c->acc_handle, c->handle, held, what);
}

void slpj_on_call_media_state(pjsua_call_id call_id)
{
    pjsua_call_info ci;
    slpj_call *c;
    slpj_port *port = NULL;
    pjsua_conf_port_id port_slot = PJSUA_INVALID_ID, old_link = PJSUA_INVALID_ID;
    pj_grp_lock_t *old_stream = NULL;
    int handle, create, sends, rate;

    if (pjsua_call_get_info(call_id, &ci) != PJ_SUCCESS) return;
    if (ci.conf_slot == PJSUA_INVALID_ID || (ci.media_status != PJSUA_CALL_MEDIA_ACTIVE &&
                                             ci.media_status != PJSUA_CALL_MEDIA_REMOTE_HOLD)) {
        return;
    }
    sends = audio_sends(&ci);
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_of(call_id);
    if (!c || c->ended) {
        pthread_mutex_unlock(&slpj_lock);
        return;
    }
    handle = c->handle;
    note_hold(c, &ci, sends);
    create = c->port == NULL;
    rate = slpj_call_rate(c);
    /* No stream announced (a pjsua whose streams have no group lock): the bridge's rate. */
    if (rate == 0) rate = c->audio_rate = (int)slpj_codecs_clock_rate();
    if (!create) {
        slpj_port_set_tx_live(c->port, sends);
        if (c->linked_slot != ci.conf_slot) {
            /* A re-INVITE gave the call a new bridge slot: follow it. */
            port_slot = c->port_slot;
            old_link = c->linked_slot;
            c->linked_slot = ci.conf_slot;
        }
    }
    pthread_mutex_unlock(&slpj_lock);

    if (!create) {
        if (port_slot != PJSUA_INVALID_ID) {
            if (old_link != PJSUA_INVALID_ID) {
                pjsua_conf_disconnect(old_link, port_slot);
                pjsua_conf_disconnect(port_slot, old_link);
            }
            pjsua_conf_connect(ci.conf_slot, port_slot);
            pjsua_conf_connect(port_slot, ci.conf_slot);
        }
        return;
    }
    if (slpj_port_create((unsigned)rate, &port) != PJ_SUCCESS) return;
    slpj_port_set_tx_live(port, sends);
    if (pjsua_conf_add_port(slpj_port_pool(port), slpj_port_base(port), &port_slot) != PJ_SUCCESS) {
        slpj_port_release(port);
        return;
    }
    pjsua_conf_connect(ci.conf_slot, port_slot);
    pjsua_conf_connect(port_slot, ci.conf_slot);

    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_by_handle(handle);
    if (c && !c->ended && c->port == NULL) {
        c->port = port;
        c->port_slot = port_slot;
        c->linked_slot = ci.conf_slot;
        old_stream = slpj_port_set_stream(port, c->stream, c->stream_lock);
        port = NULL;
    }
    pthread_mutex_unlock(&slpj_lock);
    slpj_detach_port(port, port_slot); /* the call ended meanwhile */
    if (old_stream) pj_grp_lock_dec_ref(old_stream);
}

void slpj_on_stream_created2(pjsua_call_id call_id, pjsua_on_stream_created_param *param)
{
    pjmedia_port *stream_port = NULL;
    pj_grp_lock_t *lock, *old = NULL, *old_in_port = NULL;
    slpj_call *c;

    if (pjmedia_stream_get_port(param->stream, &stream_port) != PJ_SUCCESS || !stream_port) return;
    /* Without a group lock nothing could keep the stream alive while the bridge thread reads its
     * counters: loss is then not detected. pjmedia gives every stream one (2.13 and later). */
    lock = stream_port->grp_lock;
    if (!lock) return;
    pj_grp_lock_add_ref(lock);
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_of(call_id);
    if (c && !c->ended) {
        old = slpj_take_stream(c);
        c->stream = param->stream;
        c->stream_lock = lock;
        lock = NULL;
        if (c->port) old_in_port = slpj_port_set_stream(c->port, c->stream, c->stream_lock);
    }
    pthread_mutex_unlock(&slpj_lock);
    if (lock) pj_grp_lock_dec_ref(lock);
    if (old) pj_grp_lock_dec_ref(old);
    if (old_in_port) pj_grp_lock_dec_ref(old_in_port);
}

void slpj_on_stream_destroyed(pjsua_call_id call_id, pjmedia_stream *strm, unsigned stream_idx)
{
    pj_grp_lock_t *old = NULL, *old_in_port = NULL;
    slpj_call *c;
    (void)stream_idx;
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_of(call_id);
    if (c && c->stream == strm) {
        old = slpj_take_stream(c);
        if (c->port) old_in_port = slpj_port_set_stream(c->port, NULL, NULL);
    }
    pthread_mutex_unlock(&slpj_lock);
    if (old) pj_grp_lock_dec_ref(old);
    if (old_in_port) pj_grp_lock_dec_ref(old_in_port);
}

void slpj_on_call_transfer_status(pjsua_call_id call_id, int st_code, const pj_str_t *st_text,
                                  pj_bool_t final, pj_bool_t *p_cont)
{
    slpj_call *c;
    char text[256];
    int hangup = 0;

    snprintf(text, sizeof(text), "%.*s", st_text ? (int)st_text->slen : 0,
             st_text ? st_text->ptr : "");
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_of(call_id);
    if (!c || c->ended || !c->xfer_pending) {
        pthread_mutex_unlock(&slpj_lock);
        return;
    }
    if (st_code / 100 == 2) {
        c->xfer_pending = 0;
        c->transferred = 1;
        hangup = 1;
        *p_cont = PJ_FALSE;
        slpj_event_post(SLPJ_EV_XFER_SUCCEEDED, c->acc_handle, c->handle, st_code, NULL, 0);
    } else if (st_code >= 300) {
        c->xfer_pending = 0;
        *p_cont = PJ_FALSE;
        slpj_event_post_str(SLPJ_EV_XFER_FAILED, c->acc_handle, c->handle, st_code, text);
    } else if (final) {
        c->xfer_pending = 0;
        slpj_event_post_str(SLPJ_EV_XFER_FAILED, c->acc_handle, c->handle, 0,
                            "transfer subscription ended without a final status");
    } else if (!c->xfer_accepted) {
        /* pjsua reports the REFER's 202 as "100 Accepted"; the sipfrag's 100 follows it. */
        c->xfer_accepted = 1;
        slpj_event_post(SLPJ_EV_XFER_ACCEPTED, c->acc_handle, c->handle, st_code, NULL, 0);
    }
    if (!c->xfer_pending && c->xfer_timer_armed) {
        pjsip_endpt_cancel_timer(pjsua_get_pjsip_endpt(), &c->xfer_timer);
        c->xfer_timer_armed = 0;
    }
    pthread_mutex_unlock(&slpj_lock);
    /* SPI: after a successful transfer the backend ends the call (BYE). */
    if (hangup) pjsua_call_hangup(call_id, 0, NULL, NULL);
}

void slpj_on_xfer_timer(pj_timer_heap_t *heap, pj_timer_entry *entry)
{
    slpj_call *c = (slpj_call *)entry->user_data;
    char what[128];
    (void)heap;
    pthread_mutex_lock(&slpj_lock);
    c->xfer_timer_armed = 0;
    if (c->handle && !c->ended && c->xfer_pending) {
        c->xfer_pending = 0;
        snprintf(what, sizeof(what), "no final NOTIFY for the transfer within %d ms",
                 slpj_transfer_timeout_ms);
        slpj_event_post_str(SLPJ_EV_XFER_FAILED, c->acc_handle, c->handle, 0, what);
    }
    pthread_mutex_unlock(&slpj_lock);
}

void slpj_on_invite_timer(pj_timer_heap_t *heap, pj_timer_entry *entry)
{
    slpj_call *c = (slpj_call *)entry->user_data;
    pjsua_call_id call_id = PJSUA_INVALID_ID;
    (void)heap;
    pthread_mutex_lock(&slpj_lock);
    c->invite_timer_armed = 0;
    if (c->handle && !c->ended && !c->confirmed) {
        c->invite_timed_out = 1;
        call_id = c->call_id;
    }
    pthread_mutex_unlock(&slpj_lock);
    /* CANCEL; its 487 (or the INVITE's own timeout) ends the call as "timed out". */
    if (call_id != PJSUA_INVALID_ID) pjsua_call_hangup(call_id, 0, NULL, NULL);
}


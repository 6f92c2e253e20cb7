/*
 * Calls: pjsua's call callbacks turned into queued events, and the call operations Java asks
 * for. Each call has exactly one terminal event (CALL_FAILED or CALL_ENDED); once it is queued
 * the slot is marked ended and nothing more is reported for that handle.
 */
#include "slpj_internal.h"
#include <stdio.h>
#include <string.h>

slpj_call slpj_calls[SLPJ_MAX_CALLS];

void slpj_calls_reset(void)
{
    pthread_mutex_lock(&slpj_lock);
    memset(slpj_calls, 0, sizeof(slpj_calls));
    pthread_mutex_unlock(&slpj_lock);
}

slpj_call *slpj_call_by_handle(int handle)
{
    int idx = handle & 0xff;
    if (handle <= 0 || idx >= SLPJ_MAX_CALLS || slpj_calls[idx].handle != handle) return NULL;
    return &slpj_calls[idx];
}

/* Caller holds slpj_lock. pjsua's user data points at our slot; the slot's own record of the
 * pjsua id guards against a slot reused for another call. */
static slpj_call *call_of(pjsua_call_id call_id)
{
    slpj_call *c = (slpj_call *)pjsua_call_get_user_data(call_id);
    if (!c || c < slpj_calls || c >= slpj_calls + SLPJ_MAX_CALLS || !c->handle) return NULL;
    if (c->call_id == PJSUA_INVALID_ID) c->call_id = call_id; /* inside pjsua_call_make_call */
    return c->call_id == call_id ? c : NULL;
}

/* Caller holds slpj_lock. */
static slpj_call *alloc_call(int acc_handle, int incoming)
{
    int i;
    for (i = 0; i < SLPJ_MAX_CALLS; ++i) {
        slpj_call *c = &slpj_calls[i];
        if (c->handle) continue;
        memset(c, 0, sizeof(*c));
        c->handle = (slpj_next_generation() << 8) | i;
        c->acc_handle = acc_handle;
        c->incoming = incoming;
        c->call_id = PJSUA_INVALID_ID;
        c->port_slot = PJSUA_INVALID_ID;
        c->linked_slot = PJSUA_INVALID_ID;
        return c;
    }
    return NULL;
}

/* Caller holds slpj_lock. */
static void cancel_timers(slpj_call *c)
{
    if (c->xfer_timer_armed) {
        pjsip_endpt_cancel_timer(pjsua_get_pjsip_endpt(), &c->xfer_timer);
        c->xfer_timer_armed = 0;
    }
    if (c->invite_timer_armed) {
        pjsip_endpt_cancel_timer(pjsua_get_pjsip_endpt(), &c->invite_timer);
        c->invite_timer_armed = 0;
    }
}

/* Caller holds slpj_lock. Queues the call's one terminal event. */
static void post_terminal(slpj_call *c, int type, int code, const char *text)
{
    if (c->ended) return;
    c->ended = 1;
    slpj_event_post_str(type, c->acc_handle, c->handle, code, text);
}

/* Caller holds slpj_lock; the returned port must be released by detach_port() after unlocking. */
static slpj_port *take_port(slpj_call *c, pjsua_conf_port_id *slot)
{
    slpj_port *port = c->port;
    *slot = c->port_slot;
    c->port = NULL;
    c->port_slot = PJSUA_INVALID_ID;
    c->linked_slot = PJSUA_INVALID_ID;
    return port;
}

static void detach_port(slpj_port *port, pjsua_conf_port_id slot)
{
    if (!port) return;
    if (slot != PJSUA_INVALID_ID) pjsua_conf_remove_port(slot);
    slpj_port_release(port);
}

static void arm_timer(pj_timer_entry *entry, int *armed, int ms, pj_timer_heap_callback *cb,
                      slpj_call *c)
{
    pj_time_val delay;
    delay.sec = ms / 1000;
    delay.msec = ms % 1000;
    pj_timer_entry_init(entry, 0, c, cb);
    if (pjsip_endpt_schedule_timer(pjsua_get_pjsip_endpt(), entry, &delay) == PJ_SUCCESS) {
        *armed = 1;
    }
}

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
    c = acc_handle ? alloc_call(acc_handle, 1) : NULL;
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
    char text[256];

    if (pjsua_call_get_info(call_id, &ci) != PJ_SUCCESS) return;
    snprintf(text, sizeof(text), "%.*s", (int)ci.last_status_text.slen, ci.last_status_text.ptr);

    pthread_mutex_lock(&slpj_lock);
    c = call_of(call_id);
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
        c->confirmed = 1;
        if (c->invite_timer_armed) {
            pjsip_endpt_cancel_timer(pjsua_get_pjsip_endpt(), &c->invite_timer);
            c->invite_timer_armed = 0;
        }
        if (!c->ended) slpj_event_post(SLPJ_EV_CALL_CONNECTED, c->acc_handle, c->handle, 0, NULL, 0);
        break;
    case PJSIP_INV_STATE_DISCONNECTED:
        cancel_timers(c);
        if (c->confirmed) {
            if (c->transferred) {
                post_terminal(c, SLPJ_EV_CALL_ENDED, SLPJ_END_TRANSFERRED, "transferred");
            } else if (c->media_timeout) {
                post_terminal(c, SLPJ_EV_CALL_ENDED, SLPJ_END_MEDIA_TIMEOUT, "no RTP received");
            } else if (c->local_hangup) {
                post_terminal(c, SLPJ_EV_CALL_ENDED, SLPJ_END_LOCAL_BYE, "BYE sent");
            } else if (is_remote_bye(e)) {
                post_terminal(c, SLPJ_EV_CALL_ENDED, SLPJ_END_REMOTE_BYE, "BYE received");
            } else {
                char what[300];
                snprintf(what, sizeof(what), "dialog ended: %d %s", ci.last_status, text);
                post_terminal(c, SLPJ_EV_CALL_ENDED, SLPJ_END_ERROR, what);
            }
        } else if (c->invite_timed_out) {
            char what[128];
            snprintf(what, sizeof(what), "no final response to INVITE within %d ms",
                     slpj_transaction_timeout_ms);
            post_terminal(c, SLPJ_EV_CALL_FAILED, 0, what);
        } else if (c->incoming && !c->local_hangup) {
            /* The caller gave up (CANCEL) or the INVITE transaction failed. */
            post_terminal(c, SLPJ_EV_CALL_FAILED, ci.last_status, ci.last_status == 487
                          ? "caller cancelled (487 Request Terminated)" : text);
        } else {
            post_terminal(c, SLPJ_EV_CALL_FAILED, ci.last_status, text);
        }
        port = take_port(c, &slot);
        c->handle = 0;
        pjsua_call_set_user_data(call_id, NULL);
        break;
    default:
        break;
    }
    pthread_mutex_unlock(&slpj_lock);
    detach_port(port, slot);
}

void slpj_on_call_media_state(pjsua_call_id call_id)
{
    pjsua_call_info ci;
    slpj_call *c;
    slpj_port *port = NULL;
    pjsua_conf_port_id port_slot = PJSUA_INVALID_ID, old_link = PJSUA_INVALID_ID;
    int handle, create;

    if (pjsua_call_get_info(call_id, &ci) != PJ_SUCCESS) return;
    if (ci.conf_slot == PJSUA_INVALID_ID || (ci.media_status != PJSUA_CALL_MEDIA_ACTIVE &&
                                             ci.media_status != PJSUA_CALL_MEDIA_REMOTE_HOLD)) {
        return;
    }
    pthread_mutex_lock(&slpj_lock);
    c = call_of(call_id);
    if (!c || c->ended) {
        pthread_mutex_unlock(&slpj_lock);
        return;
    }
    handle = c->handle;
    create = c->port == NULL;
    if (!create && c->linked_slot != ci.conf_slot) {
        /* A re-INVITE gave the call a new bridge slot: follow it. */
        port_slot = c->port_slot;
        old_link = c->linked_slot;
        c->linked_slot = ci.conf_slot;
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
    if (slpj_port_create(&port) != PJ_SUCCESS) return;
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
        port = NULL;
    }
    pthread_mutex_unlock(&slpj_lock);
    detach_port(port, port_slot); /* the call ended meanwhile */
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
    c = call_of(call_id);
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

static void on_xfer_timer(pj_timer_heap_t *heap, pj_timer_entry *entry)
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

static void on_invite_timer(pj_timer_heap_t *heap, pj_timer_entry *entry)
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

static void add_headers(pj_pool_t *pool, pjsua_msg_data *md, const char **names,
                        const char **values, int count)
{
    int i;
    for (i = 0; i < count; ++i) {
        pj_str_t name, value;
        pj_strdup2_with_null(pool, &name, names[i]);
        pj_strdup2_with_null(pool, &value, values[i]);
        pj_list_push_back(&md->hdr_list, pjsip_generic_string_hdr_create(pool, &name, &value));
    }
}

int slpj_call_make(int acc, const char *target, const char **names, const char **values,
                   int header_count, char *call_id_out, int call_id_len, char *err, int err_len)
{
    pjsua_call_setting opt;
    pjsua_msg_data md;
    pjsua_call_info ci;
    pj_pool_t *pool;
    pj_str_t dst;
    pjsua_call_id call_id;
    pjsua_acc_id acc_id;
    pj_status_t status;
    slpj_acc *a;
    slpj_call *c;
    int handle;

    if (!slpj_enter(err, err_len)) return -1;
    pthread_mutex_lock(&slpj_lock);
    a = slpj_acc_by_handle(acc);
    acc_id = a ? a->acc_id : PJSUA_INVALID_ID;
    c = a ? alloc_call(acc, 0) : NULL;
    handle = c ? c->handle : 0;
    pthread_mutex_unlock(&slpj_lock);
    if (!a) {
        slpj_set_err(err, err_len, "no such account", PJ_SUCCESS);
        return -1;
    }
    if (!c) {
        slpj_set_err(err, err_len, "every call slot (PJSUA_MAX_CALLS) is in use", PJ_SUCCESS);
        return -1;
    }

    pool = pjsua_pool_create("slpj-invite", 1024, 1024);
    pjsua_msg_data_init(&md);
    add_headers(pool, &md, names, values, header_count);
    slpj_call_setting(&opt);
    dst = pj_str((char *)target);
    status = pjsua_call_make_call(acc_id, &dst, &opt, c, &md, &call_id);
    pj_pool_release(pool);
    if (status != PJ_SUCCESS) {
        pthread_mutex_lock(&slpj_lock);
        if (c->handle == handle) c->handle = 0;
        pthread_mutex_unlock(&slpj_lock);
        slpj_set_err(err, err_len, "sending INVITE", status);
        return -1;
    }
    pthread_mutex_lock(&slpj_lock);
    if (c->handle == handle) {
        c->call_id = call_id;
        if (!c->ended) {
            arm_timer(&c->invite_timer, &c->invite_timer_armed, slpj_transaction_timeout_ms,
                      &on_invite_timer, c);
        }
    }
    pthread_mutex_unlock(&slpj_lock);
    call_id_out[0] = '\0';
    if (pjsua_call_get_info(call_id, &ci) == PJ_SUCCESS) {
        snprintf(call_id_out, (size_t)call_id_len, "%.*s", (int)ci.call_id.slen, ci.call_id.ptr);
    }
    return handle;
}

/* Looks the call up for an operation; returns its pjsua id or PJSUA_INVALID_ID with err set. */
static pjsua_call_id locked_call(int call, slpj_call **out, char *err, int err_len)
{
    slpj_call *c = slpj_call_by_handle(call);
    if (!c || c->ended) {
        slpj_set_err(err, err_len, "the call has ended", PJ_SUCCESS);
        return PJSUA_INVALID_ID;
    }
    *out = c;
    return c->call_id;
}

int slpj_call_answer(int call, char *err, int err_len)
{
    pjsua_call_setting opt;
    pjsua_call_id call_id;
    slpj_call *c;
    pj_status_t status;

    if (!slpj_enter(err, err_len)) return -1;
    pthread_mutex_lock(&slpj_lock);
    call_id = locked_call(call, &c, err, err_len);
    if (call_id != PJSUA_INVALID_ID) {
        if (!c->incoming || c->answered) {
            slpj_set_err(err, err_len, c->incoming ? "already answered" : "an outgoing call",
                         PJ_SUCCESS);
            call_id = PJSUA_INVALID_ID;
        } else {
            c->answered = 1;
        }
    }
    pthread_mutex_unlock(&slpj_lock);
    if (call_id == PJSUA_INVALID_ID) return -1;
    slpj_call_setting(&opt);
    status = pjsua_call_answer2(call_id, &opt, PJSIP_SC_OK, NULL, NULL);
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "sending 200 OK", status);
        return -1;
    }
    return 0;
}

int slpj_call_reject(int call, int code, const char *reason, char *err, int err_len)
{
    pjsua_call_id call_id;
    slpj_call *c;
    pj_str_t r;
    pj_status_t status;

    if (!slpj_enter(err, err_len)) return -1;
    pthread_mutex_lock(&slpj_lock);
    call_id = locked_call(call, &c, err, err_len);
    if (call_id != PJSUA_INVALID_ID) {
        if (!c->incoming || c->answered) {
            slpj_set_err(err, err_len, c->incoming ? "already answered" : "an outgoing call",
                         PJ_SUCCESS);
            call_id = PJSUA_INVALID_ID;
        } else {
            c->local_hangup = 1;
        }
    }
    pthread_mutex_unlock(&slpj_lock);
    if (call_id == PJSUA_INVALID_ID) return -1;
    r = pj_str((char *)reason);
    status = pjsua_call_hangup(call_id, (unsigned)code, reason && reason[0] ? &r : NULL, NULL);
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "sending the final response", status);
        return -1;
    }
    return 0;
}

int slpj_call_hangup(int call, char *err, int err_len)
{
    pjsua_call_id call_id;
    slpj_call *c;
    unsigned code = 0;
    pj_status_t status;

    if (!slpj_enter(err, err_len)) return -1;
    pthread_mutex_lock(&slpj_lock);
    call_id = locked_call(call, &c, err, err_len);
    if (call_id != PJSUA_INVALID_ID) {
        c->local_hangup = 1;
        /* An unanswered incoming call is declined; pjsua picks CANCEL or BYE for the rest. */
        if (c->incoming && !c->answered) code = PJSIP_SC_DECLINE;
    }
    pthread_mutex_unlock(&slpj_lock);
    if (call_id == PJSUA_INVALID_ID) return -1;
    status = pjsua_call_hangup(call_id, code, NULL, NULL);
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "hanging up", status);
        return -1;
    }
    return 0;
}

int slpj_call_terminate(int call, char *err, int err_len)
{
    pjsua_call_id call_id;
    slpj_call *c;
    slpj_port *port = NULL;
    pjsua_conf_port_id slot = PJSUA_INVALID_ID;
    unsigned code = 0;

    if (!slpj_enter(err, err_len)) return -1;
    pthread_mutex_lock(&slpj_lock);
    call_id = locked_call(call, &c, err, err_len);
    if (call_id != PJSUA_INVALID_ID) {
        /* SPI: callEnded(LOCAL_TERMINATE) comes before anything else this call could report. */
        cancel_timers(c);
        if (c->incoming && !c->answered) code = PJSIP_SC_DECLINE;
        c->xfer_pending = 0;
        post_terminal(c, SLPJ_EV_CALL_ENDED, SLPJ_END_LOCAL_TERMINATE, "terminated locally");
        port = take_port(c, &slot);
    }
    pthread_mutex_unlock(&slpj_lock);
    if (call_id == PJSUA_INVALID_ID) return -1;
    detach_port(port, slot);
    /* Whatever pjsua still sends (BYE, CANCEL, 603), nothing waits for it. */
    pjsua_call_hangup(call_id, code, NULL, NULL);
    return 0;
}

int slpj_call_end_media_timeout(int call, char *err, int err_len)
{
    pjsua_call_id call_id;
    slpj_call *c;

    if (!slpj_enter(err, err_len)) return -1;
    pthread_mutex_lock(&slpj_lock);
    call_id = locked_call(call, &c, err, err_len);
    if (call_id != PJSUA_INVALID_ID) c->media_timeout = 1;
    pthread_mutex_unlock(&slpj_lock);
    if (call_id == PJSUA_INVALID_ID) return -1;
    pjsua_call_hangup(call_id, 0, NULL, NULL);
    return 0;
}

int slpj_call_transfer(int call, const char *target, const char **names, const char **values,
                       int header_count, char *err, int err_len)
{
    pjsua_call_id call_id;
    pjsua_msg_data md;
    pj_pool_t *pool;
    pj_str_t dst;
    pj_status_t status;
    slpj_call *c;

    if (!slpj_enter(err, err_len)) return -1;
    pthread_mutex_lock(&slpj_lock);
    call_id = locked_call(call, &c, err, err_len);
    if (call_id != PJSUA_INVALID_ID) {
        if (!c->confirmed || c->xfer_pending) {
            slpj_set_err(err, err_len, c->xfer_pending ? "a transfer is already in progress"
                         : "the call is not connected", PJ_SUCCESS);
            call_id = PJSUA_INVALID_ID;
        } else {
            c->xfer_pending = 1;
            c->xfer_accepted = 0;
            arm_timer(&c->xfer_timer, &c->xfer_timer_armed, slpj_transfer_timeout_ms,
                      &on_xfer_timer, c);
        }
    }
    pthread_mutex_unlock(&slpj_lock);
    if (call_id == PJSUA_INVALID_ID) return -1;

    pool = pjsua_pool_create("slpj-refer", 1024, 1024);
    pjsua_msg_data_init(&md);
    add_headers(pool, &md, names, values, header_count);
    dst = pj_str((char *)target);
    status = pjsua_call_xfer(call_id, &dst, &md);
    pj_pool_release(pool);
    if (status != PJ_SUCCESS) {
        char what[PJ_ERR_MSG_SIZE + 32], msg[PJ_ERR_MSG_SIZE];
        pj_strerror(status, msg, sizeof(msg));
        snprintf(what, sizeof(what), "sending REFER: %s", msg);
        pthread_mutex_lock(&slpj_lock);
        if (c->handle == call && c->xfer_pending && !c->ended) {
            c->xfer_pending = 0;
            if (c->xfer_timer_armed) {
                pjsip_endpt_cancel_timer(pjsua_get_pjsip_endpt(), &c->xfer_timer);
                c->xfer_timer_armed = 0;
            }
            slpj_event_post_str(SLPJ_EV_XFER_FAILED, c->acc_handle, c->handle, 0, what);
        }
        pthread_mutex_unlock(&slpj_lock);
    }
    return 0;
}

long long slpj_call_rx_packets(int call)
{
    pjsua_stream_stat stat;
    pjsua_call_id call_id;
    slpj_call *c;

    if (!slpj_enter(NULL, 0)) return -1;
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_by_handle(call);
    call_id = c && !c->ended && c->port ? c->call_id : PJSUA_INVALID_ID;
    pthread_mutex_unlock(&slpj_lock);
    if (call_id == PJSUA_INVALID_ID) return -1;
    if (pjsua_call_get_stream_stat(call_id, 0, &stat) != PJ_SUCCESS) return -1;
    return (long long)stat.rtcp.rx.pkt;
}

void slpj_calls_end_all(void)
{
    slpj_port *ports[SLPJ_MAX_CALLS];
    pjsua_conf_port_id slots[SLPJ_MAX_CALLS];
    int i, n = 0;

    pthread_mutex_lock(&slpj_lock);
    for (i = 0; i < SLPJ_MAX_CALLS; ++i) {
        slpj_call *c = &slpj_calls[i];
        if (!c->handle || c->ended) continue;
        cancel_timers(c);
        if (c->confirmed) {
            post_terminal(c, SLPJ_EV_CALL_ENDED, SLPJ_END_ERROR, "backend closed");
        } else {
            post_terminal(c, SLPJ_EV_CALL_FAILED, 0, "backend closed");
        }
        ports[n] = take_port(c, &slots[n]);
        if (ports[n]) ++n;
    }
    pthread_mutex_unlock(&slpj_lock);
    for (i = 0; i < n; ++i) detach_port(ports[i], slots[i]);
    pjsua_call_hangup_all();
}

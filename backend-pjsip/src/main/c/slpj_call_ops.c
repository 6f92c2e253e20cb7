/*
 * The call operations Java asks for: each starts the SIP work in pjsua and returns; outcomes come
 * back as events.
 */
#include "slpj_internal.h"
#include <stdio.h>
#include <string.h>

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
    c = a ? slpj_alloc_call(acc, 0) : NULL;
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
            slpj_arm_timer(&c->invite_timer, &c->invite_timer_armed, slpj_transaction_timeout_ms,
                      &slpj_on_invite_timer, c);
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
        slpj_cancel_timers(c);
        if (c->incoming && !c->answered) code = PJSIP_SC_DECLINE;
        c->xfer_pending = 0;
        slpj_post_terminal(c, SLPJ_EV_CALL_ENDED, SLPJ_END_LOCAL_TERMINATE, "terminated locally");
        port = slpj_take_port(c, &slot);
    }
    pthread_mutex_unlock(&slpj_lock);
    if (call_id == PJSUA_INVALID_ID) return -1;
    slpj_detach_port(port, slot);
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
            slpj_arm_timer(&c->xfer_timer, &c->xfer_timer_armed, slpj_transfer_timeout_ms,
                      &slpj_on_xfer_timer, c);
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
        slpj_cancel_timers(c);
        if (c->confirmed) {
            slpj_post_terminal(c, SLPJ_EV_CALL_ENDED, SLPJ_END_ERROR, "backend closed");
        } else {
            slpj_post_terminal(c, SLPJ_EV_CALL_FAILED, 0, "backend closed");
        }
        ports[n] = slpj_take_port(c, &slots[n]);
        if (ports[n]) ++n;
    }
    pthread_mutex_unlock(&slpj_lock);
    for (i = 0; i < n; ++i) slpj_detach_port(ports[i], slots[i]);
    pjsua_call_hangup_all();
}


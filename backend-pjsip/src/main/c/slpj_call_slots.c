/*
 * The call slot table: one slot per pjsua call, named by a handle that changes every time the
 * slot is reused, plus the helpers every call path shares (timers, the audio port, the one
 * terminal event). Each call has exactly one terminal event (CALL_FAILED or CALL_ENDED); once
 * it is queued the slot is marked ended and nothing more is reported for that handle.
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
    int idx = handle & SLPJ_SLOT_MASK;
    if (handle <= 0 || idx >= SLPJ_MAX_CALLS || slpj_calls[idx].handle != handle) return NULL;
    return &slpj_calls[idx];
}

/* Caller holds slpj_lock. pjsua's user data points at our slot; the slot's own record of the
 * pjsua id guards against a slot reused for another call. */
slpj_call *slpj_call_of(pjsua_call_id call_id)
{
    slpj_call *c = (slpj_call *)pjsua_call_get_user_data(call_id);
    if (!c || c < slpj_calls || c >= slpj_calls + SLPJ_MAX_CALLS || !c->handle) return NULL;
    if (c->call_id == PJSUA_INVALID_ID) c->call_id = call_id; /* inside pjsua_call_make_call */
    return c->call_id == call_id ? c : NULL;
}

/* Caller holds slpj_lock. */
slpj_call *slpj_alloc_call(int acc_handle, int incoming)
{
    int i;
    for (i = 0; i < SLPJ_MAX_CALLS; ++i) {
        slpj_call *c = &slpj_calls[i];
        if (c->handle) continue;
        memset(c, 0, sizeof(*c));
        c->handle = (slpj_next_generation() << SLPJ_SLOT_BITS) | i;
        c->acc_handle = acc_handle;
        c->incoming = incoming;
        c->call_id = PJSUA_INVALID_ID;
        c->port_slot = PJSUA_INVALID_ID;
        c->linked_slot = PJSUA_INVALID_ID;
        slpj_stat_init(c);
        return c;
    }
    return NULL;
}

/* Caller holds slpj_lock. */
void slpj_cancel_timers(slpj_call *c)
{
    if (c->xfer_timer_armed) {
        pjsip_endpt_cancel_timer(pjsua_get_pjsip_endpt(), &c->xfer_timer);
        c->xfer_timer_armed = 0;
    }
    if (c->invite_timer_armed) {
        pjsip_endpt_cancel_timer(pjsua_get_pjsip_endpt(), &c->invite_timer);
        c->invite_timer_armed = 0;
    }
    if (c->glare_timer_armed) {
        pjsip_endpt_cancel_timer(pjsua_get_pjsip_endpt(), &c->glare_timer);
        c->glare_timer_armed = 0;
    }
}

/* Caller holds slpj_lock. */
pj_grp_lock_t *slpj_take_stream(slpj_call *c)
{
    pj_grp_lock_t *lock = c->stream_lock;
    slpj_stat_fold(c);
    c->stream = NULL;
    c->stream_lock = NULL;
    return lock;
}

/* Caller holds slpj_lock. Queues the call's one terminal event: text, then its RTP figures. */
void slpj_post_terminal(slpj_call *c, int type, int code, const char *text)
{
    char buf[512 + 24 * SLPJ_STAT_FIELDS];
    int at, n;
    if (c->ended) return;
    c->ended = 1;
    at = snprintf(buf, 512, "%s", text ? text : "");
    if (at < 0) at = 0;
    if (at > 511) at = 511;
    n = slpj_stat_format(c, buf + at + 1, (int)sizeof(buf) - at - 1);
    slpj_event_post(type, c->acc_handle, c->handle, code, buf, n < 0 ? at : at + 1 + n);
}

/* Caller holds slpj_lock; the returned port must be released by slpj_detach_port() after unlocking. */
slpj_port *slpj_take_port(slpj_call *c, pjsua_conf_port_id *slot)
{
    slpj_port *port = c->port;
    *slot = c->port_slot;
    c->port = NULL;
    c->port_slot = PJSUA_INVALID_ID;
    c->linked_slot = PJSUA_INVALID_ID;
    return port;
}

void slpj_detach_port(slpj_port *port, pjsua_conf_port_id slot)
{
    if (!port) return;
    if (slot != PJSUA_INVALID_ID) pjsua_conf_remove_port(slot);
    slpj_port_release(port);
}

void slpj_arm_timer(pj_timer_entry *entry, int *armed, int ms, pj_timer_heap_callback *cb,
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


int slpj_call_rate(slpj_call *c)
{
    pjmedia_port *stream_port = NULL;
    /* Fixed once: the core counts the whole call at one rate, so a later stream of another rate
     * (a re-INVITE switching codec) is resampled by the bridge to this one instead. */
    if (c->audio_rate == 0 && c->stream &&
        pjmedia_stream_get_port(c->stream, &stream_port) == PJ_SUCCESS && stream_port) {
        c->audio_rate = (int)slpj_codecs_port_rate(PJMEDIA_PIA_SRATE(&stream_port->info));
    }
    return c->audio_rate;
}

/*
 * RFC 4028 session timers: what pjsua is told to do, what each call agreed, and why pjsip ended
 * one. pjsip's invite session runs the timer itself (refreshes at half the interval with
 * re-INVITE, or UPDATE when the far end allows it; BYE at the §10 deadline when the far end is
 * the refresher and stays silent); its state (struct pjsip_timer) is private to sip_timer.c, so
 * the interval and refresher each call agreed are read here from the 2xx that agreed them.
 */
#include "slpj_internal.h"
#include <stdio.h>
#include <string.h>

/* pjsip's own floor (ABS_MIN_SE in sip_timer.c): it refuses a timer_setting below it. */
#define SLPJ_PJSIP_MIN_SE 90

int slpj_session_expires_s;

void slpj_session_timer_config(pjsua_sip_timer_use *use, pjsip_timer_setting *setting)
{
    unsigned asked = (unsigned)slpj_session_expires_s;
    pjsip_timer_setting_default(setting);
    if (asked == 0) {
        /* Asks for none (OPTIONAL would put Session-Expires in every INVITE). A far end's
         * Require: timer is still honoured: pjsua then runs the timer it asks for. */
        *use = PJSUA_SIP_TIMER_INACTIVE;
        return;
    }
    *use = PJSUA_SIP_TIMER_OPTIONAL;
    /* Below 90 s pjsip fails the session's setup: shorter intervals (tests) are raised to it. */
    setting->min_se = SLPJ_PJSIP_MIN_SE;
    setting->sess_expires = asked < SLPJ_PJSIP_MIN_SE ? SLPJ_PJSIP_MIN_SE : asked;
}

static void take_header(slpj_call *c, const pjsip_msg *msg, int we_sent_request)
{
    static const pj_str_t se_name = {"Session-Expires", 15};
    static const pj_str_t se_short = {"x", 1};
    const pjsip_sess_expires_hdr *se;
    if (!msg || msg->type != PJSIP_RESPONSE_MSG || msg->line.status.code / 100 != 2) return;
    se = (const pjsip_sess_expires_hdr *)pjsip_msg_find_hdr_by_names(msg, &se_name, &se_short,
                                                                      NULL);
    if (!se) {
        c->session_expires = 0;
        return;
    }
    /* pjsip ignores an interval below its floor and keeps its own (sip_timer.c, #954). */
    c->session_expires = se->sess_expires >= SLPJ_PJSIP_MIN_SE
            ? (int)se->sess_expires
            : (slpj_session_expires_s > SLPJ_PJSIP_MIN_SE ? slpj_session_expires_s
                                                          : SLPJ_PJSIP_MIN_SE);
    /* RFC 4028 §9: the refresher is named from this transaction's point of view. */
    if (pj_stricmp2(&se->refresher, "uac") == 0) {
        c->we_refresh = we_sent_request;
    } else if (pj_stricmp2(&se->refresher, "uas") == 0) {
        c->we_refresh = !we_sent_request;
    } else {
        c->we_refresh = we_sent_request; /* pjsip's own default: the UAC refreshes */
    }
}

void slpj_session_timer_tsx(pjsua_call_id call_id, pjsip_transaction *tsx, pjsip_event *e)
{
    const pjsip_msg *msg = NULL;
    slpj_call *c;
    if (tsx->method.id != PJSIP_INVITE_METHOD &&
        pj_stricmp2(&tsx->method.name, "UPDATE") != 0) {
        return;
    }
    if (tsx->role == PJSIP_ROLE_UAS && tsx->state == PJSIP_TSX_STATE_TRYING &&
        e->type == PJSIP_EVENT_TSX_STATE && e->body.tsx_state.type == PJSIP_EVENT_RX_MSG &&
        e->body.tsx_state.src.rdata->msg_info.msg->body) {
        /* The far end's offer: its SDP is applied (on_call_media_state) once we answered. */
        pthread_mutex_lock(&slpj_lock);
        c = slpj_call_of(call_id);
        if (c && !c->ended) {
            snprintf(c->offer_by, sizeof(c->offer_by), "%.*s", (int)tsx->method.name.slen,
                     tsx->method.name.ptr);
        }
        pthread_mutex_unlock(&slpj_lock);
        return;
    }
    if (tsx->role == PJSIP_ROLE_UAC && tsx->state == PJSIP_TSX_STATE_CALLING) {
        pthread_mutex_lock(&slpj_lock);
        c = slpj_call_of(call_id);
        if (c && !c->ended) {
            snprintf(c->offer_by, sizeof(c->offer_by), "the 200 OK to our re-%.*s",
                     (int)tsx->method.name.slen, tsx->method.name.ptr);
        }
        pthread_mutex_unlock(&slpj_lock);
        return;
    }
    if (tsx->status_code / 100 != 2) return;
    if (tsx->role == PJSIP_ROLE_UAC) {
        if (e->type != PJSIP_EVENT_TSX_STATE || e->body.tsx_state.type != PJSIP_EVENT_RX_MSG) return;
        msg = e->body.tsx_state.src.rdata->msg_info.msg;
    } else {
        if (!tsx->last_tx) return;
        msg = tsx->last_tx->msg;
    }
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_of(call_id);
    if (c && !c->ended) take_header(c, msg, tsx->role == PJSIP_ROLE_UAC);
    pthread_mutex_unlock(&slpj_lock);
}

int slpj_session_timer_expired(const slpj_call *c, const pjsua_call_info *ci, char *out, int len)
{
    /* pjsip's sip_timer.c ends an expired session with this cause: the same words whether the
     * far end did not refresh or did not answer our refresh. */
    static const char pjsip_reason[] = "No session refresh received.";
    int se = c->session_expires;
    if (ci->last_status != PJSIP_SC_REQUEST_TIMEOUT ||
        ci->last_status_text.slen != (pj_ssize_t)strlen(pjsip_reason) ||
        memcmp(ci->last_status_text.ptr, pjsip_reason, strlen(pjsip_reason)) != 0) {
        return 0;
    }
    if (se <= 0) {
        snprintf(out, (size_t)len, "session timer expired: no session refresh in time (RFC 4028)");
    } else if (c->we_refresh) {
        snprintf(out, (size_t)len,
                 "session timer expired: our session refresh got no answer within %d s of a %d s "
                 "session (RFC 4028)", se, se);
    } else {
        /* RFC 4028 §10, as pjsip schedules it: a third of the interval or 32 s before it ends. */
        int deadline = se - (se / 3 < 32 ? se / 3 : 32);
        snprintf(out, (size_t)len,
                 "session timer expired: no session refresh within %d s of a %d s session "
                 "(RFC 4028)", deadline, se);
    }
    return 1;
}

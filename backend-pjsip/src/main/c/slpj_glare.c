/*
 * RFC 3261 §14.1 for our own re-INVITE or UPDATE answered 491 Request Pending (issue 17).
 *
 * The only such requests of ours on pjsip are its session timer's refreshes (sip_timer.c; the
 * account's lock_codec is off and the shim starts no hold or media change). pjsip 2.17 drops a
 * refresh refused 491: its refresh timer is not armed again, and the session ends with BYE when
 * it expires (the refresher's deadline, the whole interval after the last refresh). Here the
 * refused request is sent again after §14.1's wait — 2.1–4 s when we sent the initial INVITE (we
 * chose the Call-ID), 0–2 s otherwise, in 10 ms steps — from pjsip's timer heap, at most
 * SLPJ_GLARE_MAX_RETRIES times in a row. It offers the session as it stands, as pjsip's refresh
 * does, and pjsip's timer headers go with it; its 2xx makes pjsip start the session timer over
 * (pjsip does so on any 2xx with Session-Expires to our re-INVITE or UPDATE).
 *
 * A body-less UPDATE refused with any code pjsip sends again at once with an offer (its rule for
 * a far end that wants SDP in a refresh; RFC 3311 §5.2 answers 491 only to an offer): that one is
 * left to it, and a 491 to the offer is glare as above.
 *
 * The 491 is seen in pjsua's on_call_tsx_state, with the dialog locked; the timer fires on a
 * pjsip worker thread, which takes the dialog (pjsua's acquire_call) before slpj_lock, the order
 * pjsua's callbacks use. Nothing here calls Java.
 */
#include "slpj_internal.h"
#include <pjsua-lib/pjsua_internal.h>

#define THIS_FILE "sipline"

/* 491s in a row to one call's requests before it is left as pjsip leaves it (the session then
 * expires unless the far end refreshes it): at most 5 × 4 s, well inside the half interval that
 * is left when a refresh is refused. */
#define SLPJ_GLARE_MAX_RETRIES 5

/* §14.1: the owner of the Call-ID waits 2.1–4 s, the other side 0–2 s, in units of 10 ms. */
static int slpj_glare_wait_ms(int we_chose_call_id, unsigned random)
{
    return we_chose_call_id ? 2100 + (int)(random % 191) * 10 : (int)(random % 201) * 10;
}

/* Dialog locked. Sends the refused request again with the session as it stands as its offer. */
static pj_status_t send_again(pjsip_inv_session *inv, int update)
{
    const pjmedia_sdp_session *active = NULL;
    pjsip_tx_data *tdata = NULL;
    pj_status_t status;

    /* Another offer/answer under way: the far end's request, or a refresh of pjsip's own. */
    if (inv->state != PJSIP_INV_STATE_CONFIRMED || inv->invite_tsx != NULL || !inv->neg ||
        pjmedia_sdp_neg_get_state(inv->neg) != PJMEDIA_SDP_NEG_STATE_DONE) {
        return PJ_EBUSY;
    }
    status = pjmedia_sdp_neg_get_active_local(inv->neg, &active);
    if (status != PJ_SUCCESS) return status;
    status = update ? pjsip_inv_update(inv, NULL, active, &tdata)
                    : pjsip_inv_reinvite(inv, NULL, active, &tdata);
    if (status != PJ_SUCCESS) return status;
    return pjsip_inv_send_msg(inv, tdata);
}

static void on_glare_timer(pj_timer_heap_t *heap, pj_timer_entry *entry);

/* Caller holds slpj_lock: counts one more attempt and arms its wait; returns the wait in ms. */
static int arm(slpj_call *c)
{
    int ms = slpj_glare_wait_ms(!c->incoming, (unsigned)pj_rand());
    c->glare_retries++;
    if (c->glare_timer_armed) {
        pjsip_endpt_cancel_timer(pjsua_get_pjsip_endpt(), &c->glare_timer);
        c->glare_timer_armed = 0;
    }
    slpj_arm_timer(&c->glare_timer, &c->glare_timer_armed, ms, &on_glare_timer, c);
    return ms;
}

static void log_wait(const pjsip_dialog *dlg, const char *what, int ms, int incoming, int attempt)
{
    PJ_LOG(3, (THIS_FILE, "Call-ID %.*s: %s answered 491 Request Pending; sent again in %d ms "
               "(RFC 3261 14.1: %s chose the Call-ID; attempt %d of %d)",
               (int)dlg->call_id->id.slen, dlg->call_id->id.ptr, what, ms,
               incoming ? "the far end" : "we", attempt, SLPJ_GLARE_MAX_RETRIES));
}

static void on_glare_timer(pj_timer_heap_t *heap, pj_timer_entry *entry)
{
    slpj_call *c = (slpj_call *)entry->user_data;
    pjsua_call *call;
    pjsip_dialog *dlg;
    pjsua_call_id call_id;
    int handle, update, alive, ms = -1, incoming = 0, attempt = 0;
    pj_status_t status = PJ_SUCCESS;
    (void)heap;

    pthread_mutex_lock(&slpj_lock);
    c->glare_timer_armed = 0;
    handle = c->handle;
    call_id = c->call_id;
    update = c->glare_update;
    alive = handle && !c->ended && c->confirmed && call_id != PJSUA_INVALID_ID;
    pthread_mutex_unlock(&slpj_lock);
    if (!alive || acquire_call("sipline glare retry", call_id, &call, &dlg) != PJ_SUCCESS) return;

    pthread_mutex_lock(&slpj_lock);
    /* The call may have ended, and its slot or pjsua id gone to another, while unlocked. */
    alive = c->handle == handle && !c->ended && slpj_call_of(call_id) == c;
    pthread_mutex_unlock(&slpj_lock);
    if (alive && call->inv) status = send_again(call->inv, update);
    if (status == PJ_EBUSY) {
        /* Busy with another offer/answer: one more wait, counted as an attempt. */
        pthread_mutex_lock(&slpj_lock);
        if (c->handle == handle && !c->ended && c->glare_retries < SLPJ_GLARE_MAX_RETRIES) {
            ms = arm(c);
            incoming = c->incoming;
            attempt = c->glare_retries;
        }
        pthread_mutex_unlock(&slpj_lock);
    }
    if (status != PJ_SUCCESS) {
        char err[80];
        pj_strerror(status, err, sizeof(err));
        PJ_LOG(3, (THIS_FILE, "Call-ID %.*s: %s refused 491 not sent again now (%s)",
                   (int)dlg->call_id->id.slen, dlg->call_id->id.ptr,
                   update ? "UPDATE" : "re-INVITE", err));
        if (ms >= 0) log_wait(dlg, update ? "UPDATE" : "re-INVITE", ms, incoming, attempt);
    }
    pjsip_dlg_dec_lock(dlg);
}

void slpj_glare_tsx(pjsua_call_id call_id, pjsip_transaction *tsx, pjsip_event *e)
{
    pjsip_dialog *dlg = pjsip_tsx_get_dlg(tsx);
    pjsip_tx_data *req = tsx->last_tx;
    const char *what;
    slpj_call *c;
    int update, ms = -1, incoming = 0, attempt = 0, gave_up = 0, offerless = 0;

    if (tsx->role != PJSIP_ROLE_UAC || e->type != PJSIP_EVENT_TSX_STATE || !dlg) return;
    update = pj_stricmp2(&tsx->method.name, "UPDATE") == 0;
    if (tsx->method.id != PJSIP_INVITE_METHOD && !update) return;
    /* The final response, once: COMPLETED, or TERMINATED straight from a 2xx or a timeout. */
    if (tsx->state != PJSIP_TSX_STATE_COMPLETED &&
        (tsx->state != PJSIP_TSX_STATE_TERMINATED ||
         e->body.tsx_state.prev_state == PJSIP_TSX_STATE_COMPLETED)) {
        return;
    }
    what = update ? "UPDATE" : "re-INVITE";
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_of(call_id);
    if (!c || c->ended || !c->confirmed) {
        pthread_mutex_unlock(&slpj_lock);
        return;
    }
    if (tsx->status_code != PJSIP_SC_REQUEST_PENDING) {
        c->glare_retries = 0; /* accepted, or refused otherwise: pjsip's own handling stands */
    } else if (update && (!req || !req->msg || !req->msg->body)) {
        offerless = 1;
    } else if (c->glare_retries >= SLPJ_GLARE_MAX_RETRIES) {
        gave_up = c->glare_retries + 1;
        c->glare_retries = 0;
    } else {
        c->glare_update = update;
        ms = arm(c);
        incoming = c->incoming;
        attempt = c->glare_retries;
    }
    pthread_mutex_unlock(&slpj_lock);
    if (ms >= 0) {
        log_wait(dlg, what, ms, incoming, attempt);
    } else if (offerless) {
        PJ_LOG(4, (THIS_FILE, "Call-ID %.*s: UPDATE without an offer answered 491; pjsip sends it "
                   "again with one", (int)dlg->call_id->id.slen, dlg->call_id->id.ptr));
    } else if (gave_up) {
        PJ_LOG(3, (THIS_FILE, "Call-ID %.*s: %s answered 491 Request Pending %d times in a row; "
                   "not sent again (the session expires unless refreshed)",
                   (int)dlg->call_id->id.slen, dlg->call_id->id.ptr, what, gave_up));
    }
}

/*
 * Accounts: REGISTER with digest auth through pjsua, and the bound on a registration attempt.
 *
 * pjsua fails an unanswered REGISTER only when its transaction times out (32 s by default, the
 * same timer as every other request). BackendConfig.registerTimeout is shorter, so a small
 * pjsip module watches our REGISTERs leave, and a timer per account terminates the transaction
 * in flight with 408 when the attempt (challenges included) outlives the bound. pjsua then
 * reports the failure through its normal path.
 */
#include "slpj_internal.h"
#include <stdio.h>
#include <string.h>

slpj_acc slpj_accs[SLPJ_MAX_ACCS];

/* Call-IDs of REGISTERs that remove a previous process's binding (slpj_dialog.c): they carry an
 * account's AOR in From, but no account's timer must watch them. */
#define FOREIGN_MAX 16
static char foreign[FOREIGN_MAX][128];
static int foreign_next;

static pj_status_t on_tx_request(pjsip_tx_data *tdata);
static unsigned refresh_lead(unsigned expires_s);

static pjsip_module reg_module = {
    NULL, NULL,
    { "mod-sipline-register", 20 },
    -1,
    PJSIP_MOD_PRIORITY_TRANSPORT_LAYER + 1, /* sees requests just before the transport does */
    NULL, NULL, NULL, NULL, NULL, NULL,
    &on_tx_request,
    NULL, NULL
};

pj_status_t slpj_register_module_init(void)
{
    reg_module.id = -1;
    return pjsip_endpt_register_module(pjsua_get_pjsip_endpt(), &reg_module);
}

void slpj_accounts_reset(void)
{
    pthread_mutex_lock(&slpj_lock);
    memset(slpj_accs, 0, sizeof(slpj_accs));
    memset(foreign, 0, sizeof(foreign));
    foreign_next = 0;
    pthread_mutex_unlock(&slpj_lock);
}

void slpj_register_foreign_add(const pj_str_t *call_id)
{
    pthread_mutex_lock(&slpj_lock);
    snprintf(foreign[foreign_next], sizeof(foreign[0]), "%.*s", (int)call_id->slen, call_id->ptr);
    foreign_next = (foreign_next + 1) % FOREIGN_MAX;
    pthread_mutex_unlock(&slpj_lock);
}

/* Caller holds slpj_lock. */
static int foreign_index(const pj_str_t *call_id)
{
    int i;
    for (i = 0; i < FOREIGN_MAX; ++i) {
        if (foreign[i][0] && (pj_ssize_t)strlen(foreign[i]) == call_id->slen &&
            memcmp(foreign[i], call_id->ptr, (size_t)call_id->slen) == 0) {
            return i;
        }
    }
    return -1;
}

void slpj_register_foreign_remove(const pj_str_t *call_id)
{
    int i;
    pthread_mutex_lock(&slpj_lock);
    i = foreign_index(call_id);
    if (i >= 0) foreign[i][0] = '\0';
    pthread_mutex_unlock(&slpj_lock);
}

int slpj_account_contact(int acc, char *out, int out_len)
{
    slpj_acc *a;
    int len = -1;
    if (!slpj_enter(NULL, 0)) return -1;
    pthread_mutex_lock(&slpj_lock);
    a = slpj_acc_by_handle(acc);
    if (a && a->contact[0] && (int)strlen(a->contact) < out_len) {
        len = (int)strlen(a->contact);
        memcpy(out, a->contact, (size_t)len + 1);
    }
    pthread_mutex_unlock(&slpj_lock);
    return len;
}

slpj_acc *slpj_acc_by_handle(int handle)
{
    int idx = handle & SLPJ_SLOT_MASK;
    if (handle <= 0 || idx >= SLPJ_MAX_ACCS || slpj_accs[idx].handle != handle) return NULL;
    return &slpj_accs[idx];
}

slpj_acc *slpj_acc_by_pjsua_id(pjsua_acc_id id)
{
    int i;
    for (i = 0; i < SLPJ_MAX_ACCS; ++i) {
        if (slpj_accs[i].handle && slpj_accs[i].acc_id == id) return &slpj_accs[i];
    }
    return NULL;
}

/* Caller holds slpj_lock. */
static void disarm_reg_timer(slpj_acc *a)
{
    if (a->reg_timer_armed) {
        pjsip_endpt_cancel_timer(pjsua_get_pjsip_endpt(), &a->reg_timer);
        a->reg_timer_armed = 0;
    }
}

static void on_reg_timer(pj_timer_heap_t *heap, pj_timer_entry *entry)
{
    slpj_acc *a = (slpj_acc *)entry->user_data;
    char key[sizeof(a->tsx_key)];
    pj_str_t k;
    pjsip_transaction *tsx;
    (void)heap;

    pthread_mutex_lock(&slpj_lock);
    if (!a->handle || !a->reg_timer_armed) {
        pthread_mutex_unlock(&slpj_lock);
        return;
    }
    a->reg_timer_armed = 0;
    a->reg_timed_out = 1;
    memcpy(key, a->tsx_key, sizeof(key));
    pthread_mutex_unlock(&slpj_lock);

    if (!key[0]) return;
    k = pj_str(key);
    tsx = pjsip_tsx_layer_find_tsx2(&k, PJ_TRUE);
    if (!tsx) return;
    if (tsx->status_code < 200) pjsip_tsx_terminate(tsx, PJSIP_SC_REQUEST_TIMEOUT);
    pj_grp_lock_dec_ref(tsx->grp_lock);
}

static pj_status_t on_tx_request(pjsip_tx_data *tdata)
{
    pjsip_transaction *tsx;
    pjsip_from_hdr *from;
    pjsip_contact_hdr *contact;
    pjsip_cid_hdr *cid;
    char from_uri[256], contact_uri[256];
    int len, i;

    if (tdata->msg->type != PJSIP_REQUEST_MSG ||
        tdata->msg->line.req.method.id != PJSIP_REGISTER_METHOD) {
        return PJ_SUCCESS;
    }
    /* The transaction layer parks itself here while the first copy of a request is sent
     * (retransmissions go out without it, and need nothing new from us). */
    tsx = (pjsip_transaction *)tdata->mod_data[pjsip_tsx_layer_instance()->id];
    from = PJSIP_MSG_FROM_HDR(tdata->msg);
    if (!tsx || !from) return PJ_SUCCESS;
    len = pjsip_uri_print(PJSIP_URI_IN_FROMTO_HDR, pjsip_uri_get_uri(from->uri), from_uri,
                          sizeof(from_uri) - 1);
    if (len <= 0) return PJ_SUCCESS;
    from_uri[len] = '\0';
    contact = (pjsip_contact_hdr *)pjsip_msg_find_hdr(tdata->msg, PJSIP_H_CONTACT, NULL);
    contact_uri[0] = '\0';
    if (contact && contact->uri) {
        len = pjsip_uri_print(PJSIP_URI_IN_CONTACT_HDR, pjsip_uri_get_uri(contact->uri),
                              contact_uri, sizeof(contact_uri) - 1);
        contact_uri[len > 0 ? len : 0] = '\0';
    }
    cid = PJSIP_MSG_CID_HDR(tdata->msg);

    pthread_mutex_lock(&slpj_lock);
    if (cid && foreign_index(&cid->id) >= 0) {
        pthread_mutex_unlock(&slpj_lock);
        return PJ_SUCCESS;
    }
    for (i = 0; i < SLPJ_MAX_ACCS; ++i) {
        slpj_acc *a = &slpj_accs[i];
        if (!a->handle || strcmp(a->aor, from_uri) != 0) continue;
        if (contact_uri[0]) memcpy(a->contact, contact_uri, sizeof(a->contact));
        if (tsx->transaction_key.slen < (pj_ssize_t)sizeof(a->tsx_key)) {
            memcpy(a->tsx_key, tsx->transaction_key.ptr, (size_t)tsx->transaction_key.slen);
            a->tsx_key[tsx->transaction_key.slen] = '\0';
        }
        if (!a->reg_timer_armed) {
            pj_time_val delay;
            delay.sec = slpj_register_timeout_ms / 1000;
            delay.msec = slpj_register_timeout_ms % 1000;
            pj_timer_entry_init(&a->reg_timer, 0, a, &on_reg_timer);
            a->reg_timed_out = 0;
            if (pjsip_endpt_schedule_timer(pjsua_get_pjsip_endpt(), &a->reg_timer, &delay)
                    == PJ_SUCCESS) {
                a->reg_timer_armed = 1;
            }
        }
    }
    pthread_mutex_unlock(&slpj_lock);
    return PJ_SUCCESS;
}

static void on_unreg_timer(pj_timer_heap_t *heap, pj_timer_entry *entry)
{
    slpj_acc *a = (slpj_acc *)entry->user_data;
    pjsua_acc_id acc_id;
    int handle;
    (void)heap;
    pthread_mutex_lock(&slpj_lock);
    a->unreg_timer_armed = 0;
    handle = a->handle;
    acc_id = a->acc_id;
    pthread_mutex_unlock(&slpj_lock);
    if (!handle) return;
    if (pjsua_acc_set_registration(acc_id, PJ_FALSE) != PJ_SUCCESS) {
        slpj_event_post(SLPJ_EV_UNREGISTERED, handle, 0, 0, NULL, 0);
    }
}

void slpj_on_reg_state2(pjsua_acc_id acc_id, pjsua_reg_info *info)
{
    slpj_acc *a;
    int handle, timed_out, unregister_next, code, expires;
    struct pjsip_regc_cbparam *p = info->cbparam;
    char reason[PJ_ERR_MSG_SIZE + 64];

    pthread_mutex_lock(&slpj_lock);
    a = slpj_acc_by_pjsua_id(acc_id);
    if (!a) {
        pthread_mutex_unlock(&slpj_lock);
        return;
    }
    handle = a->handle;
    timed_out = a->reg_timed_out;
    disarm_reg_timer(a);
    a->reg_timed_out = 0;
    a->tsx_key[0] = '\0';
    unregister_next = info->renew && a->unregister_pending;
    a->unregister_pending = 0;
    if (unregister_next) {
        /* Not from inside pjsua's registration callback: from the timer thread a moment later. */
        pj_time_val now = { 0, 0 };
        pj_timer_entry_init(&a->unreg_timer, 0, a, &on_unreg_timer);
        if (pjsip_endpt_schedule_timer(pjsua_get_pjsip_endpt(), &a->unreg_timer, &now)
                == PJ_SUCCESS) {
            a->unreg_timer_armed = 1;
        }
    }
    pthread_mutex_unlock(&slpj_lock);

    if (!info->renew) {
        slpj_event_post(SLPJ_EV_UNREGISTERED, handle, 0, 0, NULL, 0);
        return;
    }
    if (unregister_next) return; /* the binding is about to go: its outcome is not news */
    code = p ? p->code : 0;
    if (p && p->status == PJ_SUCCESS && code / 100 == 2) {
        expires = p->expiration == PJSIP_REGC_EXPIRATION_NOT_SPECIFIED ? -1 : (int)p->expiration;
        /* regc scheduled this binding's refresh before telling us, with the lead set so far
         * (from the expiry asked for, or granted last time): from now on the lead follows what
         * was granted, freshly drawn. */
        if (expires > 0 && p->regc) {
            pjsip_regc_set_delay_before_refresh(p->regc, refresh_lead((unsigned)expires));
        }
        slpj_event_post(SLPJ_EV_REGISTERED, handle, 0, expires, NULL, 0);
        return;
    }
    if (timed_out) {
        snprintf(reason, sizeof(reason), "no final response to REGISTER within %d ms",
                 slpj_register_timeout_ms);
        code = 0;
    } else if (code > 0 && p->reason.slen > 0) {
        snprintf(reason, sizeof(reason), "%.*s", (int)p->reason.slen, p->reason.ptr);
    } else {
        char msg[PJ_ERR_MSG_SIZE];
        pj_strerror(p ? p->status : PJ_EUNKNOWN, msg, sizeof(msg));
        snprintf(reason, sizeof(reason), "REGISTER failed: %s", msg);
        /* pjsip's own codes for "nothing came back" (408 timeout, 503 transport error) are not
         * responses from the registrar. */
        if (p && p->rdata == NULL) code = 0;
    }
    slpj_event_post_str(SLPJ_EV_REG_FAILED, handle, 0, code, reason);
}

/*
 * How long before expiry pjsua refreshes a binding of expires_s seconds: so that the refresh
 * falls at a uniformly random point between 50 % and 90 % of it (RegistrationTiming's rule).
 * pjsip's regc takes a lead, not a point, and applies the one set when the 2xx arrives: see
 * slpj_on_reg_state2 for how the lead follows the granted expiry.
 */
static unsigned refresh_lead(unsigned expires_s)
{
    unsigned percent = 50 + (unsigned)(pj_rand() % 41); /* 50..90 */
    return expires_s - (expires_s * percent) / 100;
}

int slpj_account_add(const char *aor, const char *registrar, const char *auth_user,
                     const char *password, const char *proxy, int expires_seconds,
                     const char *instance, char *err, int err_len)
{
    pjsua_acc_config cfg;
    pjsua_acc_id acc_id;
    pj_status_t status;
    pj_pool_t *pool;
    pjsip_uri *uri;
    char id[512], aor_copy[512], printed[256], contact_params[256];
    int idx = -1, handle, i, len;

    if (!slpj_enter(err, err_len)) return -1;
    if (snprintf(aor_copy, sizeof(aor_copy), "%s", aor) >= (int)sizeof(aor_copy)) {
        slpj_set_err(err, err_len, "address of record longer than 511 characters", PJ_SUCCESS);
        return -1;
    }
    /* The From URI pjsua will print, so our REGISTERs can be recognised on their way out. */
    pool = pjsua_pool_create("slpj-acc", 512, 512);
    uri = pjsip_parse_uri(pool, aor_copy, strlen(aor_copy), 0);
    len = uri ? pjsip_uri_print(PJSIP_URI_IN_FROMTO_HDR, pjsip_uri_get_uri(uri), printed,
                                sizeof(printed) - 1) : -1;
    pj_pool_release(pool);
    if (len <= 0) {
        char what[600];
        snprintf(what, sizeof(what), "address of record is not a SIP URI pjsip can parse: %s", aor);
        slpj_set_err(err, err_len, what, PJ_SUCCESS);
        return -1;
    }
    printed[len] = '\0';

    pjsua_acc_config_default(&cfg);
    snprintf(id, sizeof(id), "<%s>", aor);
    cfg.id = pj_str(id);
    cfg.reg_uri = pj_str((char *)registrar);
    cfg.cred_count = 1;
    cfg.cred_info[0].realm = pj_str("*");
    cfg.cred_info[0].scheme = pj_str("digest");
    cfg.cred_info[0].username = pj_str((char *)auth_user);
    cfg.cred_info[0].data_type = PJSIP_CRED_DATA_PLAIN_PASSWD;
    cfg.cred_info[0].data = pj_str((char *)password);
    if (proxy && proxy[0]) {
        cfg.proxy_cnt = 1;
        cfg.proxy[0] = pj_str((char *)proxy);
    }
    cfg.reg_timeout = (unsigned)expires_seconds;
    cfg.reg_delay_before_refresh = refresh_lead((unsigned)expires_seconds);
    /* RFC 5626's +sip.instance on REGISTER's Contact: a restart replaces its binding. */
    if (instance && instance[0]) {
        if (snprintf(contact_params, sizeof(contact_params), ";+sip.instance=\"%s\"", instance)
                >= (int)sizeof(contact_params)) {
            slpj_set_err(err, err_len, "+sip.instance longer than 200 characters", PJ_SUCCESS);
            return -1;
        }
        cfg.reg_contact_params = pj_str(contact_params);
    }
    /* The core decides what a failed registration means; pjsua must not retry behind it. */
    cfg.reg_retry_interval = 0;
    cfg.unreg_timeout = (unsigned)(slpj_register_timeout_ms < 4000 ? slpj_register_timeout_ms : 4000);
    cfg.register_on_acc_add = PJ_FALSE;
    /* Contact, Via and SDP say exactly what the configuration says: no NAT guessing, which
     * would re-REGISTER behind our back. */
    cfg.allow_contact_rewrite = PJ_FALSE;
    cfg.allow_via_rewrite = PJ_FALSE;
    cfg.allow_sdp_nat_rewrite = PJ_FALSE;
    cfg.sip_stun_use = PJSUA_STUN_USE_DISABLED;
    cfg.media_stun_use = PJSUA_STUN_USE_DISABLED;
    slpj_session_timer_config(&cfg.use_timer, &cfg.timer_setting);
    slpj_srtp_apply_account(&cfg);
    /* pjsua would re-INVITE after an answer that lists several codecs, to keep only one; the
     * far end did nothing wrong, and an unexpected re-INVITE breaks simple peers. */
    cfg.lock_codec = 0;
    cfg.ka_interval = 0;
    cfg.mwi_enabled = PJ_FALSE;
    cfg.publish_enabled = PJ_FALSE;
    /* Every request of the account leaves through the one configured transport (UDP or TCP),
     * whatever its target URI says. */
    cfg.transport_id = slpj_transport_id;
    /* ...and the Contact says so, or proxies would send requests for us over UDP. */
    /* slpj_transport_tcp holds the transport: 1 TCP, 2 TLS. */
    if (slpj_transport_tcp == 1) cfg.contact_uri_params = pj_str(";transport=tcp");
    if (slpj_transport_tcp == 2) cfg.contact_uri_params = pj_str(";transport=tls");
    cfg.rtp_cfg.port = (unsigned)slpj_rtp_port_min;
    cfg.rtp_cfg.port_range = (unsigned)(slpj_rtp_port_max - slpj_rtp_port_min);
    cfg.rtp_cfg.bound_addr = pj_str(slpj_bind_addr);
    if (slpj_public_addr[0]) cfg.rtp_cfg.public_addr = pj_str(slpj_public_addr);

    pthread_mutex_lock(&slpj_lock);
    for (i = 0; i < SLPJ_MAX_ACCS; ++i) {
        if (!slpj_accs[i].handle) { idx = i; break; }
    }
    if (idx < 0) {
        pthread_mutex_unlock(&slpj_lock);
        slpj_set_err(err, err_len, "every pjsua account slot (PJSUA_MAX_ACC) is in use", PJ_SUCCESS);
        return -1;
    }
    memset(&slpj_accs[idx], 0, sizeof(slpj_accs[idx]));
    handle = (slpj_next_generation() << SLPJ_SLOT_BITS) | idx;
    slpj_accs[idx].handle = handle;
    slpj_accs[idx].acc_id = PJSUA_INVALID_ID;
    memcpy(slpj_accs[idx].aor, printed, (size_t)len + 1);
    pthread_mutex_unlock(&slpj_lock);

    status = pjsua_acc_add(&cfg, PJ_FALSE, &acc_id);
    if (status != PJ_SUCCESS) {
        pthread_mutex_lock(&slpj_lock);
        slpj_accs[idx].handle = 0;
        pthread_mutex_unlock(&slpj_lock);
        slpj_set_err(err, err_len, "pjsua_acc_add", status);
        return -1;
    }
    pthread_mutex_lock(&slpj_lock);
    slpj_accs[idx].acc_id = acc_id;
    pthread_mutex_unlock(&slpj_lock);

    status = pjsua_acc_set_registration(acc_id, PJ_TRUE);
    if (status != PJ_SUCCESS) {
        pthread_mutex_lock(&slpj_lock);
        slpj_accs[idx].handle = 0;
        pthread_mutex_unlock(&slpj_lock);
        pjsua_acc_del(acc_id);
        slpj_set_err(err, err_len, "sending REGISTER", status);
        return -1;
    }
    return handle;
}

int slpj_account_register(int acc, char *err, int err_len)
{
    slpj_acc *a;
    pjsua_acc_id acc_id;
    pj_status_t status;
    int busy;

    if (!slpj_enter(err, err_len)) return -1;
    pthread_mutex_lock(&slpj_lock);
    a = slpj_acc_by_handle(acc);
    acc_id = a ? a->acc_id : PJSUA_INVALID_ID;
    busy = a ? a->reg_timer_armed || a->unregister_pending : 0;
    pthread_mutex_unlock(&slpj_lock);
    if (!a) {
        slpj_set_err(err, err_len, "no such account", PJ_SUCCESS);
        return -1;
    }
    if (busy) return 0;
    status = pjsua_acc_set_registration(acc_id, PJ_TRUE);
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "sending REGISTER", status);
        return -1;
    }
    return 1;
}

int slpj_account_unregister(int acc, char *err, int err_len)
{
    slpj_acc *a;
    pjsua_acc_id acc_id;
    pj_status_t status;
    int busy;

    if (!slpj_enter(err, err_len)) return -1;
    pthread_mutex_lock(&slpj_lock);
    a = slpj_acc_by_handle(acc);
    acc_id = a ? a->acc_id : PJSUA_INVALID_ID;
    busy = a ? a->reg_timer_armed : 0;
    if (a && busy) a->unregister_pending = 1;
    pthread_mutex_unlock(&slpj_lock);
    if (!a) {
        slpj_set_err(err, err_len, "no such account", PJ_SUCCESS);
        return -1;
    }
    if (busy) return 0; /* sent when the REGISTER in flight ends */

    status = pjsua_acc_set_registration(acc_id, PJ_FALSE);
    if (status == PJSIP_EBUSY) {
        pthread_mutex_lock(&slpj_lock);
        a->unregister_pending = 1;
        pthread_mutex_unlock(&slpj_lock);
        return 0;
    }
    if (status != PJ_SUCCESS) {
        /* Nothing to remove (never bound, or no way to send): the un-REGISTER is complete. */
        slpj_event_post(SLPJ_EV_UNREGISTERED, acc, 0, 0, NULL, 0);
    }
    return 0;
}

int slpj_account_delete(int acc)
{
    slpj_acc *a;
    pjsua_acc_id acc_id;

    if (!slpj_enter(NULL, 0)) return -1;
    pthread_mutex_lock(&slpj_lock);
    a = slpj_acc_by_handle(acc);
    if (!a) {
        pthread_mutex_unlock(&slpj_lock);
        return -1;
    }
    acc_id = a->acc_id;
    disarm_reg_timer(a);
    if (a->unreg_timer_armed) {
        pjsip_endpt_cancel_timer(pjsua_get_pjsip_endpt(), &a->unreg_timer);
        a->unreg_timer_armed = 0;
    }
    a->handle = 0;
    pthread_mutex_unlock(&slpj_lock);
    pjsua_acc_del(acc_id);
    return 0;
}

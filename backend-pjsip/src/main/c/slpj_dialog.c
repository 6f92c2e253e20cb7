/*
 * No ghost calls after a crash (issue 17): what it takes to end a confirmed dialog from outside
 * it, and the two requests a later process sends from such records.
 *
 * The record (core's DialogRecord) is read from pjsip's dialog itself, not from pjsua_call_info,
 * which has neither the route set nor the CSeq: Call-ID, both tags, the From and To URIs, the
 * remote target, the route set, the CSeq our next request takes and the first hop. It is taken
 * when the call is confirmed and after every transaction of the call (a re-INVITE or UPDATE may
 * refresh the target, every request of ours takes a CSeq), from pjsua's callbacks, which run with
 * the dialog locked; a change is posted as SLPJ_EV_DIALOG so that Java tells the core, which
 * journals it.
 *
 * After a restart the core hands the records back: the BYE is a new out-of-dialog request with
 * the record's Call-ID, From/To with their tags, CSeq, Request-URI and Route headers
 * (pjsip_endpt_create_request + pjsip_endpt_send_request, which the far end matches to its
 * dialog by RFC 3261 §12.2.1.1), and a binding is removed by a REGISTER with its Contact and
 * Expires: 0 through pjsip's registration client (pjsip_regc), which answers a digest challenge
 * when given the account's password. Each outcome comes back as SLPJ_EV_ORPHAN_DONE.
 */
#include "slpj_internal.h"
#include <pjsua-lib/pjsua_internal.h>
#include <stdio.h>
#include <string.h>

/* Appends s (len bytes) and a NUL to out; returns the new position, or -1 when out is full. */
static int put(char *out, int pos, int cap, const char *s, int len)
{
    if (pos < 0 || len < 0 || pos + len + 1 > cap) return -1;
    memcpy(out + pos, s, (size_t)len);
    out[pos + len] = '\0';
    return pos + len + 1;
}

static int put_uri(char *out, int pos, int cap, pjsip_uri_context_e ctx, pjsip_uri *uri)
{
    char buf[512];
    int len = pjsip_uri_print(ctx, pjsip_uri_get_uri(uri), buf, sizeof(buf) - 1);
    if (len <= 0) return -1;
    return put(out, pos, cap, buf, len);
}

static int put_int(char *out, int pos, int cap, long long v)
{
    char buf[32];
    int len = snprintf(buf, sizeof(buf), "%lld", v);
    return put(out, pos, cap, buf, len);
}

/* The host and port a request to uri goes to first (its port, else the scheme's default). */
static int first_hop(pjsip_uri *uri, char *host, int host_len, int *port)
{
    pjsip_sip_uri *sip;
    uri = (pjsip_uri *)pjsip_uri_get_uri(uri);
    if (!PJSIP_URI_SCHEME_IS_SIP(uri) && !PJSIP_URI_SCHEME_IS_SIPS(uri)) return -1;
    sip = (pjsip_sip_uri *)uri;
    snprintf(host, (size_t)host_len, "%.*s", (int)sip->host.slen, sip->host.ptr);
    *port = sip->port ? sip->port
                      : (PJSIP_URI_SCHEME_IS_SIPS(uri) || slpj_transport_tcp == 2 ? 5061 : 5060);
    return 0;
}

/*
 * Caller holds slpj_lock; pjsua calls back with the call's dialog locked. Fields, NUL-separated:
 * Call-ID, incoming (0/1), local URI, local tag, remote URI, remote tag, remote target, next
 * CSeq, transport (0 UDP, 1 TCP, 2 TLS), first hop's host, its port, then each route's URI.
 */
static int snapshot(slpj_call *c, pjsip_dialog *dlg, char *out, int cap)
{
    int pos = 0;
    char host[256];
    int port;
    pjsip_route_hdr *r;
    pjsip_uri *hop;

    if (!dlg || !dlg->target || dlg->remote.info->tag.slen == 0) return -1;
    pos = put(out, pos, cap, dlg->call_id->id.ptr, (int)dlg->call_id->id.slen);
    pos = put(out, pos, cap, c->incoming ? "1" : "0", 1);
    pos = put_uri(out, pos, cap, PJSIP_URI_IN_FROMTO_HDR, dlg->local.info->uri);
    pos = put(out, pos, cap, dlg->local.info->tag.ptr, (int)dlg->local.info->tag.slen);
    pos = put_uri(out, pos, cap, PJSIP_URI_IN_FROMTO_HDR, dlg->remote.info->uri);
    pos = put(out, pos, cap, dlg->remote.info->tag.ptr, (int)dlg->remote.info->tag.slen);
    pos = put_uri(out, pos, cap, PJSIP_URI_IN_REQ_URI, dlg->target);
    /* pjsip_dlg_send_request stamps a request with local.cseq and then increments it: it already
     * is the CSeq our next request takes (adding 1 skipped one). */
    pos = put_int(out, pos, cap, (long long)dlg->local.cseq);
    pos = put_int(out, pos, cap, slpj_transport_tcp);
    hop = dlg->route_set.next != &dlg->route_set ? dlg->route_set.next->name_addr.uri
                                                 : dlg->target;
    if (first_hop(hop, host, sizeof(host), &port) != 0) return -1;
    pos = put(out, pos, cap, host, (int)strlen(host));
    pos = put_int(out, pos, cap, port);
    for (r = dlg->route_set.next; r != &dlg->route_set; r = r->next) {
        pos = put_uri(out, pos, cap, PJSIP_URI_IN_ROUTING_HDR, r->name_addr.uri);
    }
    return pos;
}

int slpj_dialog_take(slpj_call *c, pjsua_call_id call_id)
{
    char buf[sizeof(c->dialog)];
    pjsua_call *call;
    int len;

    if (call_id < 0 || call_id >= (int)pjsua_var.ua_cfg.max_calls) return 0;
    call = &pjsua_var.calls[call_id];
    if (!call->inv || !call->inv->dlg) return 0;
    len = snapshot(c, call->inv->dlg, buf, (int)sizeof(buf));
    if (len <= 0 || (len == c->dialog_len && memcmp(buf, c->dialog, (size_t)len) == 0)) return 0;
    memcpy(c->dialog, buf, (size_t)len);
    c->dialog_len = len;
    return 1;
}

void slpj_dialog_tsx(pjsua_call_id call_id)
{
    slpj_call *c;
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_of(call_id);
    if (c && c->confirmed && !c->ended && !c->bad_answer && slpj_dialog_take(c, call_id)) {
        slpj_event_post(SLPJ_EV_DIALOG, c->acc_handle, c->handle, 0, NULL, 0);
    }
    pthread_mutex_unlock(&slpj_lock);
}

int slpj_call_dialog(int call, char *out, int out_len)
{
    slpj_call *c;
    int len = -1;
    if (!slpj_enter(NULL, 0)) return -1;
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_by_handle(call);
    if (c && c->dialog_len > 0 && c->dialog_len <= out_len) {
        memcpy(out, c->dialog, (size_t)c->dialog_len);
        len = c->dialog_len;
    }
    pthread_mutex_unlock(&slpj_lock);
    return len;
}

/* ---- requests of a previous process's leftovers ---- */

static void post_done(int token, int code, const pj_str_t *reason)
{
    char text[160];
    int len = reason ? snprintf(text, sizeof(text), "%.*s", (int)reason->slen, reason->ptr) : 0;
    if (len < 0) len = 0;
    if (len >= (int)sizeof(text)) len = (int)sizeof(text) - 1;
    slpj_event_post(SLPJ_EV_ORPHAN_DONE, 0, token, code, text, len);
}

static void on_bye_done(void *token, pjsip_event *e)
{
    int t = (int)(pj_ssize_t)token;
    pjsip_transaction *tsx;
    if (e->type != PJSIP_EVENT_TSX_STATE) return;
    tsx = e->body.tsx_state.tsx;
    /* A response from the far end (rdata), or pjsip's own 408/503 when none came. */
    if (e->body.tsx_state.type == PJSIP_EVENT_RX_MSG) {
        post_done(t, tsx->status_code, &tsx->status_text);
    } else {
        post_done(t, 0, &tsx->status_text);
    }
}

int slpj_orphan_bye(const char *call_id, const char *local_uri, const char *local_tag,
                    const char *remote_uri, const char *remote_tag, const char *target,
                    const char **routes, int route_count, int cseq, int token, char *err,
                    int err_len)
{
    static const pj_str_t route_name = { "Route", 5 };
    pjsip_endpoint *endpt;
    pjsip_tx_data *tdata;
    pjsip_tpselector sel;
    pj_status_t status;
    char from[700], to[700];
    pj_str_t s_target, s_from, s_to, s_cid;
    int i;

    if (!slpj_enter(err, err_len)) return -1;
    endpt = pjsua_get_pjsip_endpt();
    /* pjsip_endpt_create_request takes the URIs alone (and makes a From tag of its own): the
     * record's tags are set on the headers afterwards. */
    snprintf(from, sizeof(from), "<%s>", local_uri);
    snprintf(to, sizeof(to), "<%s>", remote_uri);
    s_target = pj_str((char *)target);
    s_from = pj_str(from);
    s_to = pj_str(to);
    s_cid = pj_str((char *)call_id);
    status = pjsip_endpt_create_request(endpt, &pjsip_bye_method, &s_target, &s_from, &s_to, NULL,
                                        &s_cid, cseq, NULL, &tdata);
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "building the BYE from the dialog record", status);
        return -1;
    }
    pj_strdup2_with_null(tdata->pool, &PJSIP_MSG_FROM_HDR(tdata->msg)->tag, local_tag);
    pj_strdup2_with_null(tdata->pool, &PJSIP_MSG_TO_HDR(tdata->msg)->tag, remote_tag);
    for (i = 0; i < route_count; ++i) {
        /* The parsed header points into the text: it lives in the request's pool. */
        pj_size_t cap = strlen(routes[i]) + 3;
        char *value = (char *)pj_pool_alloc(tdata->pool, cap);
        pjsip_hdr *h;
        int n = snprintf(value, cap, "<%s>", routes[i]);
        h = (pjsip_hdr *)pjsip_parse_hdr(tdata->pool, &route_name, value, (pj_size_t)n, NULL);
        if (!h) {
            pjsip_tx_data_dec_ref(tdata);
            slpj_set_err(err, err_len, "a route of the dialog record is not a SIP URI",
                         PJ_SUCCESS);
            return -1;
        }
        pjsip_msg_add_hdr(tdata->msg, h);
    }
    /* Out through the one configured transport, as the dialog's requests went. */
    pjsua_init_tpselector(slpj_transport_id, &sel);
    pjsip_tx_data_set_transport(tdata, &sel);
    status = pjsip_endpt_send_request(endpt, tdata, -1, (void *)(pj_ssize_t)token, &on_bye_done);
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "sending the BYE", status);
        return -1;
    }
    return 0;
}

static void on_unregister_done(struct pjsip_regc_cbparam *param)
{
    int t = (int)(pj_ssize_t)param->token;
    if (param->rdata && param->rdata->msg_info.cid) {
        slpj_register_foreign_remove(&param->rdata->msg_info.cid->id);
    }
    post_done(t, param->rdata ? param->code : 0, &param->reason);
    pjsip_regc_destroy(param->regc);
}

int slpj_orphan_unregister(const char *aor, const char *contact, const char *proxy,
                           const char *auth_user, const char *password, int token, char *err,
                           int err_len)
{
    pjsip_regc *regc;
    pjsip_tx_data *tdata;
    pjsip_tpselector sel;
    pj_status_t status;
    pj_pool_t *pool;
    pjsip_uri *uri;
    pjsip_sip_uri *sip;
    char registrar[600], contact_hdr[600];
    pj_str_t s_registrar, s_aor, s_contact;

    if (!slpj_enter(err, err_len)) return -1;
    /* The registrar is the AOR's domain (RFC 3261 §10.2: the Request-URI without the user). */
    pool = pjsua_pool_create("slpj-orphan", 512, 512);
    uri = pjsip_parse_uri(pool, (char *)aor, strlen(aor), 0);
    if (!uri || (!PJSIP_URI_SCHEME_IS_SIP(uri) && !PJSIP_URI_SCHEME_IS_SIPS(uri))) {
        pj_pool_release(pool);
        slpj_set_err(err, err_len, "the binding's address of record is not a SIP URI", PJ_SUCCESS);
        return -1;
    }
    sip = (pjsip_sip_uri *)pjsip_uri_get_uri(uri);
    if (sip->port) {
        snprintf(registrar, sizeof(registrar), "%s:%.*s:%d",
                 PJSIP_URI_SCHEME_IS_SIPS(uri) ? "sips" : "sip", (int)sip->host.slen,
                 sip->host.ptr, sip->port);
    } else {
        snprintf(registrar, sizeof(registrar), "%s:%.*s",
                 PJSIP_URI_SCHEME_IS_SIPS(uri) ? "sips" : "sip", (int)sip->host.slen,
                 sip->host.ptr);
    }
    pj_pool_release(pool);
    snprintf(contact_hdr, sizeof(contact_hdr), "<%s>", contact);
    s_registrar = pj_str(registrar);
    s_aor = pj_str((char *)aor);
    s_contact = pj_str(contact_hdr);

    status = pjsip_regc_create(pjsua_get_pjsip_endpt(), (void *)(pj_ssize_t)token,
                               &on_unregister_done, &regc);
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "pjsip_regc_create", status);
        return -1;
    }
    /* regc refuses an expiry of 0 here; pjsip_regc_unregister below writes Expires: 0. */
    status = pjsip_regc_init(regc, &s_registrar, &s_aor, &s_aor, 1, &s_contact, 1);
    if (status != PJ_SUCCESS) {
        pjsip_regc_destroy(regc);
        slpj_set_err(err, err_len, "the binding's REGISTER", status);
        return -1;
    }
    if (proxy && proxy[0]) {
        static const pj_str_t route_name = { "Route", 5 };
        char value[600];
        pjsip_route_hdr route_set;
        pjsip_route_hdr *h;
        int n = snprintf(value, sizeof(value), "%s", proxy);
        pool = pjsua_pool_create("slpj-orphan-route", 512, 512);
        h = (pjsip_route_hdr *)pjsip_parse_hdr(pool, &route_name, value, (pj_size_t)n, NULL);
        if (!h) {
            pj_pool_release(pool);
            pjsip_regc_destroy(regc);
            slpj_set_err(err, err_len, "the binding's outbound proxy is not a SIP URI",
                         PJ_SUCCESS);
            return -1;
        }
        pj_list_init(&route_set);
        pj_list_push_back(&route_set, h);
        pjsip_regc_set_route_set(regc, &route_set); /* copies it */
        pj_pool_release(pool);
    }
    if (auth_user && auth_user[0]) {
        pjsip_cred_info cred;
        pj_bzero(&cred, sizeof(cred));
        cred.realm = pj_str("*");
        cred.scheme = pj_str("digest");
        cred.username = pj_str((char *)auth_user);
        cred.data_type = PJSIP_CRED_DATA_PLAIN_PASSWD;
        cred.data = pj_str((char *)password);
        pjsip_regc_set_credentials(regc, 1, &cred);
    }
    pjsua_init_tpselector(slpj_transport_id, &sel);
    pjsip_regc_set_transport(regc, &sel);
    status = pjsip_regc_unregister(regc, &tdata);
    if (status == PJ_SUCCESS) {
        slpj_register_foreign_add(&PJSIP_MSG_CID_HDR(tdata->msg)->id);
        status = pjsip_regc_send(regc, tdata);
    }
    if (status != PJ_SUCCESS) {
        pjsip_regc_destroy(regc);
        slpj_set_err(err, err_len, "sending the binding's REGISTER with Expires: 0", status);
        return -1;
    }
    return 0;
}

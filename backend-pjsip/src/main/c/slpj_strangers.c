/*
 * Keeps strangers out before pjsua sees them (README "Reliability and security", jainsip's
 * Strangers and TrustedSources): an out-of-dialog INVITE from a source that is neither a
 * registrar or outbound proxy of ours nor in the backend option trusted.sources gets 403, sent
 * statelessly; out-of-dialog REFER gets 603 and out-of-dialog MESSAGE 405, statelessly from a
 * stranger and through a transaction from a trusted source.
 *
 * Why a module and where: pjsua's own module (PJSIP_MOD_PRIORITY_APPLICATION) answers an
 * out-of-dialog INVITE by creating an INVITE server transaction and a dialog and sending 100
 * Trying, and it accepts an out-of-dialog MESSAGE (200). A scanner's INVITE answered that way is
 * held until Timer H (32 s). This module sits at PJSIP_MOD_PRIORITY_UA_PROXY_LAYER - 2: after the
 * transaction layer (16), which only matches requests to transactions that already exist and
 * never creates one, and before the SDP guard (slpj_sdp_guard.c, 31), the dialog layer (32) and
 * pjsua. A stranger's request therefore reaches no code that keeps state; a trusted source's
 * retransmission of a request this module answered through a transaction is absorbed by that
 * transaction in the layer before.
 *
 * The trusted set is given by Java (slpj_set_trusted): addresses, compared without the port, or
 * anyone. Source = the packet's (or connection's) address, never anything in the message.
 */
#include "slpj_internal.h"
#include <stdio.h>
#include <string.h>

#define SLPJ_MAX_TRUSTED 64

static pthread_mutex_t trust_lock = PTHREAD_MUTEX_INITIALIZER;
static pj_sockaddr trusted[SLPJ_MAX_TRUSTED];
static int trusted_count;
static int trusted_anyone;
static unsigned long refused_count;

static pj_bool_t on_rx_request(pjsip_rx_data *rdata);

static pjsip_module stranger_module = {
    NULL, NULL,                             /* prev, next */
    { "mod-sipline-strangers", 21 },        /* name */
    -1,                                     /* id */
    PJSIP_MOD_PRIORITY_UA_PROXY_LAYER - 2,  /* after the tsx layer, before SDP guard and pjsua */
    NULL, NULL, NULL, NULL,                 /* load, start, stop, unload */
    &on_rx_request,                         /* on_rx_request */
    NULL, NULL, NULL, NULL                  /* on_rx_response, on_tx_request/response, tsx */
};

pj_status_t slpj_strangers_module_init(void)
{
    stranger_module.id = -1;
    return pjsip_endpt_register_module(pjsua_get_pjsip_endpt(), &stranger_module);
}

void slpj_strangers_reset(void)
{
    pthread_mutex_lock(&trust_lock);
    trusted_count = 0;
    trusted_anyone = 0;
    refused_count = 0;
    pthread_mutex_unlock(&trust_lock);
}

int slpj_set_trusted(const char **addrs, int count, int anyone, char *err, int err_len)
{
    pj_sockaddr parsed[SLPJ_MAX_TRUSTED];
    int i;

    if (count < 0 || count > SLPJ_MAX_TRUSTED) {
        slpj_set_err(err, err_len, "too many trusted addresses (at most 64)", PJ_SUCCESS);
        return -1;
    }
    slpj_ensure_thread();
    for (i = 0; i < count; ++i) {
        pj_str_t s = pj_str((char *)addrs[i]);
        pj_status_t status = pj_sockaddr_parse(pj_AF_UNSPEC(), 0, &s, &parsed[i]);
        if (status != PJ_SUCCESS) {
            char what[160];
            snprintf(what, sizeof(what), "trusted address '%s' is not an IP address", addrs[i]);
            slpj_set_err(err, err_len, what, status);
            return -1;
        }
    }
    pthread_mutex_lock(&trust_lock);
    memcpy(trusted, parsed, sizeof(pj_sockaddr) * (size_t)count);
    trusted_count = count;
    trusted_anyone = anyone != 0;
    pthread_mutex_unlock(&trust_lock);
    return 0;
}

long long slpj_strangers_refused(void)
{
    long long n;
    pthread_mutex_lock(&trust_lock);
    n = (long long)refused_count;
    pthread_mutex_unlock(&trust_lock);
    return n;
}

static int same_address(const pj_sockaddr *a, const pj_sockaddr *b)
{
    if (a->addr.sa_family != b->addr.sa_family) return 0;
    if (a->addr.sa_family == pj_AF_INET()) {
        return a->ipv4.sin_addr.s_addr == b->ipv4.sin_addr.s_addr;
    }
    return memcmp(&a->ipv6.sin6_addr, &b->ipv6.sin6_addr, sizeof(a->ipv6.sin6_addr)) == 0;
}

static int is_trusted(const pjsip_rx_data *rdata)
{
    const pj_sockaddr *src = (const pj_sockaddr *)&rdata->pkt_info.src_addr;
    int i;
    int yes = 0;
    pthread_mutex_lock(&trust_lock);
    if (trusted_anyone) {
        yes = 1;
    } else {
        for (i = 0; i < trusted_count && !yes; ++i) {
            yes = same_address(src, &trusted[i]);
        }
    }
    if (!yes) ++refused_count;
    pthread_mutex_unlock(&trust_lock);
    return yes;
}

static pj_bool_t on_rx_request(pjsip_rx_data *rdata)
{
    const pjsip_method *m = &rdata->msg_info.msg->line.req.method;
    static const pj_str_t refer = { "REFER", 5 };
    static const pj_str_t message = { "MESSAGE", 7 };
    static const pj_str_t allow_name = { "Allow", 5 };
    static const pj_str_t allow_value = { "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, NOTIFY", 47 };
    pjsip_endpoint *endpt = pjsua_get_pjsip_endpt();
    int code;
    int trusted_source;
    pjsip_hdr hdrs;

    /* In-dialog requests (a To tag) belong to the dialog layer: a stranger's reach no dialog. */
    if (rdata->msg_info.to == NULL || rdata->msg_info.to->tag.slen != 0) return PJ_FALSE;

    if (m->id == PJSIP_INVITE_METHOD) {
        code = 403;
    } else if (pj_stricmp(&m->name, &refer) == 0) {
        code = 603;     /* the line is transferred by its client only */
    } else if (pj_stricmp(&m->name, &message) == 0) {
        code = 405;
    } else {
        return PJ_FALSE;
    }
    trusted_source = is_trusted(rdata);
    if (code == 403 && trusted_source) return PJ_FALSE; /* pjsua takes the call */

    pj_list_init(&hdrs);
    if (code == 405) {
        pjsip_generic_string_hdr *allow = pjsip_generic_string_hdr_create(
            rdata->tp_info.pool, &allow_name, &allow_value);
        pj_list_push_back(&hdrs, allow);
    }
    if (trusted_source) {
        /* Through a transaction: a retransmission gets the same answer from it. */
        pjsip_endpt_respond(endpt, NULL, rdata, code, NULL, &hdrs, NULL, NULL);
    } else {
        pjsip_endpt_respond_stateless(endpt, rdata, code, NULL, &hdrs, NULL);
    }
    return PJ_TRUE;
}

/*
 * A REFER inside a call: pjsua would accept it (202) and dial the Refer-To itself, letting the far
 * end move the line anywhere (toll fraud). The line is transferred by its client only: 603, the
 * call goes on.
 */
void slpj_on_call_transfer_request2(pjsua_call_id call_id, const pj_str_t *dst,
                                    pjsip_status_code *code, pjsua_call_setting *opt)
{
    *code = PJSIP_SC_DECLINE;
}

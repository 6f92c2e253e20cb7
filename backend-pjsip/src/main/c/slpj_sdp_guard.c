/*
 * An SDP that names its media address by a host name (c=IN IP4 media.example.org) is refused, as
 * jainsip refuses it (SessionDescription, LiteralAddress): pjmedia would resolve the name when it
 * builds the call's stream (pjmedia_stream_info_from_sdp -> pj_sockaddr_init -> a blocking
 * lookup) on a pjsip worker thread, so any caller could stall every call with a slow name.
 *
 * An INVITE (a new call or a re-INVITE) whose offer has one is answered 488 Not Acceptable Here
 * with Warning 301, through a transaction (it absorbs the retransmissions and the ACK), before
 * the dialog layer and pjsua see it: no call is created, nothing rings. That module sits at
 * PJSIP_MOD_PRIORITY_UA_PROXY_LAYER - 1, after the stranger module (a stranger gets its 403
 * whatever its SDP) and before the dialog layer and pjsua. The same module refuses, likewise with
 * 488 and jainsip's Warning 302, an offer the --srtp mode rules out (slpj_srtp.c).
 *
 * A 2xx answer to our INVITE with one cannot be refused: the dialog exists, and jainsip ACKs it
 * and hangs up with BYE, the call failing 488. A second module, ahead of the transaction layer
 * (PJSIP_MOD_PRIORITY_TSX_LAYER - 1), rewrites each such c= to the unspecified address (0.0.0.0
 * or ::, which pjmedia takes without a lookup) and notes the Call-ID; when pjsua then confirms
 * the call, slpj_on_call_state finds it here (slpj_sdp_guard_take_answer), hangs up instead of
 * reporting the call connected, and reports it failed 488 when the dialog ends.
 */
#include "slpj_internal.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static pj_bool_t on_rx_request(pjsip_rx_data *rdata);
static pj_bool_t on_rx_response(pjsip_rx_data *rdata);

/* Call-IDs whose 2xx answer named a host, until slpj_on_call_state takes them; a ring, so that
 * answers to nobody's INVITE (never taken) cannot fill it. */
#define REFUSED_ANSWERS 16
static pthread_mutex_t refused_lock = PTHREAD_MUTEX_INITIALIZER;
static char refused_call_id[REFUSED_ANSWERS][128];
static char refused_host[REFUSED_ANSWERS][128];
static int refused_next;

static pjsip_module sdp_guard_module = {
    NULL, NULL,                             /* prev, next */
    { "mod-sipline-sdp-guard", 21 },        /* name */
    -1,                                     /* id */
    PJSIP_MOD_PRIORITY_UA_PROXY_LAYER - 1,  /* after the strangers, before dialogs and pjsua */
    NULL, NULL, NULL, NULL,                 /* load, start, stop, unload */
    &on_rx_request,                         /* on_rx_request */
    NULL, NULL, NULL, NULL                  /* on_rx_response, on_tx_request/response, tsx */
};

static pjsip_module answer_guard_module = {
    NULL, NULL,                             /* prev, next */
    { "mod-sipline-answer-guard", 24 },     /* name */
    -1,                                     /* id */
    PJSIP_MOD_PRIORITY_TSX_LAYER - 1,       /* before the transaction layer takes the 2xx */
    NULL, NULL, NULL, NULL,                 /* load, start, stop, unload */
    NULL,                                   /* on_rx_request */
    &on_rx_response,                        /* on_rx_response */
    NULL, NULL, NULL                        /* on_tx_request/response, tsx */
};

pj_status_t slpj_sdp_guard_module_init(void)
{
    pj_status_t status;
    int i;
    pthread_mutex_lock(&refused_lock);
    for (i = 0; i < REFUSED_ANSWERS; ++i) refused_call_id[i][0] = '\0';
    refused_next = 0;
    pthread_mutex_unlock(&refused_lock);
    sdp_guard_module.id = -1;
    answer_guard_module.id = -1;
    status = pjsip_endpt_register_module(pjsua_get_pjsip_endpt(), &sdp_guard_module);
    if (status != PJ_SUCCESS) return status;
    return pjsip_endpt_register_module(pjsua_get_pjsip_endpt(), &answer_guard_module);
}

int slpj_sdp_guard_take_answer(const pj_str_t *call_id, char *host, int host_len)
{
    int i;
    int found = 0;
    pthread_mutex_lock(&refused_lock);
    for (i = 0; i < REFUSED_ANSWERS && !found; ++i) {
        if (refused_call_id[i][0] && (pj_ssize_t)strlen(refused_call_id[i]) == call_id->slen &&
            memcmp(refused_call_id[i], call_id->ptr, (size_t)call_id->slen) == 0) {
            snprintf(host, (size_t)host_len, "%s", refused_host[i]);
            refused_call_id[i][0] = '\0';
            found = 1;
        }
    }
    pthread_mutex_unlock(&refused_lock);
    return found;
}

/* Copies into host (NUL-terminated) the address of the first c= line of the SDP text that is
 * not an IP literal of its address type, and returns 1; 0 when every c= line names an IP
 * address. A c= line too malformed to read is left to pjsua's SDP parser, which refuses it. */
int slpj_sdp_host_name(const char *text, pj_size_t len, char *host, int host_len)
{
    const char *p = text;
    const char *end = text + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = eol ? eol : end;
        if (line_end - p > 2 && p[0] == 'c' && p[1] == '=') {
            char line[160];
            char net[8], type[8], addr[128];
            size_t n = (size_t)(line_end - p - 2);
            unsigned char buf[sizeof(struct in6_addr)];
            char *slash;
            if (n >= sizeof(line)) n = sizeof(line) - 1;
            memcpy(line, p + 2, n);
            line[n] = '\0';
            if (sscanf(line, "%7s %7s %127s", net, type, addr) == 3) {
                /* A multicast TTL or count suffix ("/127") names the same address. */
                slash = strchr(addr, '/');
                if (slash) *slash = '\0';
                if (inet_pton(strcmp(type, "IP6") == 0 ? AF_INET6 : AF_INET, addr, buf) != 1) {
                    snprintf(host, (size_t)host_len, "%s", addr);
                    return 1;
                }
            }
        }
        p = eol ? eol + 1 : end;
    }
    return 0;
}

/* The body's SDP text, or NULL when it carries none. */
static const pjsip_msg_body *sdp_body(const pjsip_msg *msg)
{
    static const pj_str_t application = { "application", 11 };
    static const pj_str_t sdp = { "sdp", 3 };
    const pjsip_msg_body *body = msg->body;
    if (body == NULL || body->len == 0 || body->data == NULL) return NULL;
    if (pj_stricmp(&body->content_type.type, &application) != 0 ||
        pj_stricmp(&body->content_type.subtype, &sdp) != 0) {
        return NULL;
    }
    return body;
}

static pj_bool_t on_rx_request(pjsip_rx_data *rdata)
{
    static const pj_str_t warning_name = { "Warning", 7 };
    const pjsip_msg *msg = rdata->msg_info.msg;
    const pjsip_msg_body *body;
    char host[128];
    char warning[200];
    pj_str_t warning_value;
    pjsip_hdr hdrs;

    if (msg->line.req.method.id != PJSIP_INVITE_METHOD) return PJ_FALSE;
    body = sdp_body(msg);
    if (body == NULL) return PJ_FALSE;
    if (!slpj_sdp_host_name((const char *)body->data, body->len, host, sizeof(host))) {
        char why[160];
        int code = slpj_srtp_refusal((const char *)body->data, body->len, why, sizeof(why));
        if (code == 0) return PJ_FALSE;
        PJ_LOG(3, ("sipline", "INVITE Call-ID %.*s: 488, %s", (int)rdata->msg_info.cid->id.slen,
                   rdata->msg_info.cid->id.ptr, why));
        snprintf(warning, sizeof(warning), "%d sipline \"%s\"", code, why);
        warning_value = pj_str(warning);
        pj_list_init(&hdrs);
        pj_list_push_back(&hdrs, pjsip_generic_string_hdr_create(rdata->tp_info.pool,
                                                                 &warning_name, &warning_value));
        pjsip_endpt_respond(pjsua_get_pjsip_endpt(), NULL, rdata, PJSIP_SC_NOT_ACCEPTABLE_HERE,
                            NULL, &hdrs, NULL, NULL);
        return PJ_TRUE;
    }
    PJ_LOG(3, ("sipline", "INVITE Call-ID %.*s: 488, SDP offer's c= names host %s, not an IP"
               " address (not looked up)", (int)rdata->msg_info.cid->id.slen,
               rdata->msg_info.cid->id.ptr, host));
    snprintf(warning, sizeof(warning),
             "301 sipline \"c= address %s is a host name, not an IP address\"", host);
    warning_value = pj_str(warning);
    pj_list_init(&hdrs);
    pj_list_push_back(&hdrs, pjsip_generic_string_hdr_create(rdata->tp_info.pool, &warning_name,
                                                             &warning_value));
    pjsip_endpt_respond(pjsua_get_pjsip_endpt(), NULL, rdata, PJSIP_SC_NOT_ACCEPTABLE_HERE, NULL,
                        &hdrs, NULL, NULL);
    return PJ_TRUE;
}

/* The SDP text with every c= line that names a host replaced by the unspecified address of its
 * type, in pool memory; its length in *out_len. */
static char *without_host_names(pj_pool_t *pool, const char *text, pj_size_t len,
                                pj_size_t *out_len)
{
    /* Each replaced line is at most as long as "c=IN IP6 ::\r\n"'s 13 bytes more than before. */
    char *out = (char *)pj_pool_alloc(pool, len * 2 + 64);
    pj_size_t n = 0;
    const char *p = text;
    const char *end = text + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        char host[128];
        if (next - p > 2 && p[0] == 'c' && p[1] == '=' &&
            slpj_sdp_host_name(p, (pj_size_t)(next - p), host, sizeof(host))) {
            const char *v6 = memchr(p, '6', (size_t)(next - p));
            const char *line = v6 ? "c=IN IP6 ::\r\n" : "c=IN IP4 0.0.0.0\r\n";
            memcpy(out + n, line, strlen(line));
            n += strlen(line);
        } else {
            memcpy(out + n, p, (size_t)(next - p));
            n += (pj_size_t)(next - p);
        }
        p = next;
    }
    *out_len = n;
    return out;
}

static pj_bool_t on_rx_response(pjsip_rx_data *rdata)
{
    pjsip_msg *msg = rdata->msg_info.msg;
    pjsip_msg_body *body;
    char host[128];
    pj_size_t len;
    char *text;
    int slot;

    if (msg->line.status.code / 100 != 2 || rdata->msg_info.cseq == NULL ||
        rdata->msg_info.cseq->method.id != PJSIP_INVITE_METHOD) {
        return PJ_FALSE;
    }
    body = (pjsip_msg_body *)sdp_body(msg);
    if (body == NULL) return PJ_FALSE;
    if (!slpj_sdp_host_name((const char *)body->data, body->len, host, sizeof(host))) {
        return PJ_FALSE;
    }
    text = without_host_names(rdata->tp_info.pool, (const char *)body->data, body->len, &len);
    body->data = text;
    body->len = (unsigned)len;
    PJ_LOG(3, ("sipline", "%d answer to INVITE Call-ID %.*s: SDP c= names host %s, not an IP"
               " address (not looked up): the call will be hung up", msg->line.status.code,
               (int)rdata->msg_info.cid->id.slen, rdata->msg_info.cid->id.ptr, host));
    pthread_mutex_lock(&refused_lock);
    slot = refused_next;
    refused_next = (refused_next + 1) % REFUSED_ANSWERS;
    snprintf(refused_call_id[slot], sizeof(refused_call_id[slot]), "%.*s",
             (int)rdata->msg_info.cid->id.slen, rdata->msg_info.cid->id.ptr);
    snprintf(refused_host[slot], sizeof(refused_host[slot]), "%s", host);
    pthread_mutex_unlock(&refused_lock);
    return PJ_FALSE; /* on to the transaction, which ACKs it through pjsua */
}

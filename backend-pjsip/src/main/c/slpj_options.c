/*
 * OPTIONS to the process, answered from the lines' capacity (SPEC §7, as jainsip's
 * SipDispatcher): a proxy in front (Kamailio's dispatcher) probes every node with OPTIONS and
 * sends calls only to those that answer 200; 486 says every line is busy, 503 that the process
 * drains. pjsua would answer 200 whatever the capacity. Java cannot be asked from pjsip's thread,
 * so the Java side sets the answer (slpj_set_options_answer) whenever its event thread runs: after
 * every event and at least every 350 ms. Until it first did, pjsua answers as before.
 *
 * A module at PJSIP_MOD_PRIORITY_UA_PROXY_LAYER - 3: after the transaction layer (a
 * retransmission meets the transaction this module answered through), before the stranger module,
 * the dialog layer and pjsua. In-dialog OPTIONS (a To tag) are left to the dialog.
 */
#include "slpj_internal.h"
#include <stdio.h>
#include <string.h>

static pthread_mutex_t options_lock = PTHREAD_MUTEX_INITIALIZER;
static int options_code;        /* 0: not set, pjsua answers */
static char options_reason[64];

static pj_bool_t on_rx_request(pjsip_rx_data *rdata);

static pjsip_module options_module = {
    NULL, NULL,
    { "mod-sipline-options", 19 },
    -1,
    PJSIP_MOD_PRIORITY_UA_PROXY_LAYER - 3,
    NULL, NULL, NULL, NULL,
    &on_rx_request,
    NULL, NULL, NULL, NULL
};

pj_status_t slpj_options_module_init(void)
{
    options_module.id = -1;
    return pjsip_endpt_register_module(pjsua_get_pjsip_endpt(), &options_module);
}

void slpj_options_reset(void)
{
    pthread_mutex_lock(&options_lock);
    options_code = 0;
    options_reason[0] = '\0';
    pthread_mutex_unlock(&options_lock);
}

int slpj_set_options_answer(int code, const char *reason, char *err, int err_len)
{
    if (code != 0 && (code < 200 || code > 699)) {
        slpj_set_err(err, err_len, "OPTIONS answer is not a final status code", PJ_SUCCESS);
        return -1;
    }
    pthread_mutex_lock(&options_lock);
    options_code = code;
    snprintf(options_reason, sizeof(options_reason), "%s", reason ? reason : "");
    pthread_mutex_unlock(&options_lock);
    return 0;
}

static pj_bool_t on_rx_request(pjsip_rx_data *rdata)
{
    static const pj_str_t allow_name = { "Allow", 5 };
    static const pj_str_t allow_value = { "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, NOTIFY", 47 };
    static const pj_str_t accept_name = { "Accept", 6 };
    static const pj_str_t accept_value = { "application/sdp", 15 };
    char reason_buf[64];
    pj_str_t reason;
    pjsip_hdr hdrs;
    int code;

    if (rdata->msg_info.msg->line.req.method.id != PJSIP_OPTIONS_METHOD) return PJ_FALSE;
    if (rdata->msg_info.to == NULL || rdata->msg_info.to->tag.slen != 0) return PJ_FALSE;
    pthread_mutex_lock(&options_lock);
    code = options_code;
    snprintf(reason_buf, sizeof(reason_buf), "%s", options_reason);
    pthread_mutex_unlock(&options_lock);
    if (code == 0) return PJ_FALSE;

    reason = pj_str(reason_buf);
    pj_list_init(&hdrs);
    pj_list_push_back(&hdrs, pjsip_generic_string_hdr_create(rdata->tp_info.pool, &allow_name,
                                                             &allow_value));
    pj_list_push_back(&hdrs, pjsip_generic_string_hdr_create(rdata->tp_info.pool, &accept_name,
                                                             &accept_value));
    pjsip_endpt_respond(pjsua_get_pjsip_endpt(), NULL, rdata, code,
                        reason_buf[0] ? &reason : NULL, &hdrs, NULL, NULL);
    return PJ_TRUE;
}

/* Helpers and state every other file of the shim shares: the lock, the configuration
 * slpj_start recorded, thread registration, error text, handle generations and the call
 * settings. The bottom of the shim: it calls no other file of it (see slpj_internal.h). */
#include "slpj_internal.h"
#include <stdio.h>
#include <string.h>

pthread_mutex_t slpj_lock = PTHREAD_MUTEX_INITIALIZER;
int slpj_register_timeout_ms;
int slpj_transaction_timeout_ms;
int slpj_transfer_timeout_ms;
char slpj_bind_addr[64];
char slpj_public_addr[64];
int slpj_rtp_port_min;
int slpj_rtp_port_max;
pjsua_transport_id slpj_transport_id = PJSUA_INVALID_ID;
int slpj_transport_tcp;

static int generation;
int slpj_started;

/* A Java thread's registration record; pjlib keeps a pointer to it, so it must live as long as
 * the thread does. */
static __thread pj_thread_desc thread_desc;
static __thread pj_thread_t *thread_self;

void slpj_ensure_thread(void)
{
    /* pjlib aborts the process when an unregistered thread calls it. */
    if (!pj_thread_is_registered()) {
        memset(thread_desc, 0, sizeof(thread_desc));
        pj_thread_register("sipline-java", thread_desc, &thread_self);
    }
}

int slpj_enter(char *err, int err_len)
{
    /* After pjsua_destroy pjlib is shut down: even asking whether a thread is registered
     * would touch freed state. */
    if (!slpj_started) {
        slpj_set_err(err, err_len, "pjsua is not running (backend closed)", PJ_SUCCESS);
        return 0;
    }
    slpj_ensure_thread();
    return 1;
}

void slpj_set_err(char *err, int err_len, const char *what, pj_status_t status)
{
    char msg[PJ_ERR_MSG_SIZE];
    if (!err || err_len <= 0) return;
    if (status == PJ_SUCCESS) {
        snprintf(err, (size_t)err_len, "%s", what);
    } else {
        pj_strerror(status, msg, sizeof(msg));
        snprintf(err, (size_t)err_len, "%s: %s (pj_status %d)", what, msg, status);
    }
}

int slpj_next_generation(void)
{
    /* Caller holds slpj_lock. Generations stay positive and below 2^(31 - SLPJ_SLOT_BITS) so
     * handles stay > 0. */
    generation = generation % ((1 << (31 - SLPJ_SLOT_BITS)) - 1) + 1;
    return generation;
}

void slpj_call_setting(pjsua_call_setting *opt)
{
    pjsua_call_setting_default(opt);
    opt->aud_cnt = 1;
    opt->vid_cnt = 0;
#if PJ_VERSION_NUM >= ((2 << 24) | (16 << 16))
    /* pjsua offers an m=text stream since 2.16; a telephone line carries audio only. */
    opt->txt_cnt = 0;
#endif
}

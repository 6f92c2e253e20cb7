/* Library life: version check, pjsua started configured as SPEC requires, and destroyed. The top
 * of the shim: it calls into every other file and none calls into it (see slpj_internal.h). */
#include "slpj_internal.h"
#include <stdio.h>
#include <string.h>

/* Spelled the way pjlib spells pj_get_version(), so equal versions compare equal as strings. */
#define SLPJ_STR1(x) #x
#define SLPJ_STR(x) SLPJ_STR1(x)
#if PJ_VERSION_NUM_REV
#define SLPJ_COMPILED_VERSION SLPJ_STR(PJ_VERSION_NUM_MAJOR) "." SLPJ_STR(PJ_VERSION_NUM_MINOR) \
    "." SLPJ_STR(PJ_VERSION_NUM_REV) PJ_VERSION_NUM_EXTRA
#else
#define SLPJ_COMPILED_VERSION SLPJ_STR(PJ_VERSION_NUM_MAJOR) "." SLPJ_STR(PJ_VERSION_NUM_MINOR) \
    PJ_VERSION_NUM_EXTRA
#endif

const char *slpj_compiled_version(void) { return SLPJ_COMPILED_VERSION; }

const char *slpj_runtime_version(void) { return pj_get_version(); }

int slpj_start(const char *bind_addr, int sip_port, int transport, const char *public_addr,
               int rtp_port_min, int rtp_port_max, int register_timeout_ms,
               int transaction_timeout_ms, int transfer_timeout_ms, int session_expires_s,
               const char *user_agent, const char *log_file, int log_level, char *err,
               int err_len)
{
    pjsua_config cfg;
    pjsua_logging_config log_cfg;
    pjsua_media_config med_cfg;
    pjsua_transport_config tp_cfg;
    pjsua_transport_id tp_id;
    pjsua_transport_info tp_info;
    pj_status_t status;

    if (slpj_started) {
        slpj_set_err(err, err_len, "pjsua is already running in this process", PJ_SUCCESS);
        return -1;
    }
    if (transport < 0 || transport > 2) {
        char what[64];
        snprintf(what, sizeof(what), "transport %d is not UDP (0), TCP (1) or TLS (2)", transport);
        slpj_set_err(err, err_len, what, PJ_SUCCESS);
        return -1;
    }

    /* pjsua_create logs to stdout before pjsua_init applies our logging settings: silence it
     * (the JVM owns stdout). */
    pj_log_set_level(0);
    status = pjsua_create();
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "pjsua_create", status);
        return -1;
    }
    slpj_ensure_thread();

    pthread_mutex_lock(&slpj_lock);
    slpj_register_timeout_ms = register_timeout_ms;
    slpj_transaction_timeout_ms = transaction_timeout_ms;
    slpj_transfer_timeout_ms = transfer_timeout_ms;
    slpj_session_expires_s = session_expires_s < 0 ? 0 : session_expires_s;
    /* RTP settings are per account in pjsua (pjsua_acc_config.rtp_cfg): kept for account_add. */
    snprintf(slpj_bind_addr, sizeof(slpj_bind_addr), "%s", bind_addr);
    snprintf(slpj_public_addr, sizeof(slpj_public_addr), "%s", public_addr ? public_addr : "");
    slpj_rtp_port_min = rtp_port_min;
    slpj_rtp_port_max = rtp_port_max;
    pthread_mutex_unlock(&slpj_lock);
    slpj_events_reset();
    slpj_accounts_reset();
    slpj_calls_reset();
    slpj_strangers_reset();
    slpj_options_reset();

    /* Timer B/F (and D): the bound on any client transaction. */
    pjsip_cfg()->tsx.td = (unsigned)transaction_timeout_ms;

    pjsua_config_default(&cfg);
    slpj_dns_config(&cfg);
    cfg.max_calls = PJSUA_MAX_CALLS;
    cfg.thread_cnt = 1;
    cfg.user_agent = pj_str((char *)user_agent);
    cfg.stun_srv_cnt = 0;
    cfg.enable_unsolicited_mwi = PJ_FALSE;
    slpj_session_timer_config(&cfg.use_timer, &cfg.timer_setting);
    cfg.cb.on_incoming_call = &slpj_on_incoming_call;
    cfg.cb.on_call_state = &slpj_on_call_state;
    cfg.cb.on_call_media_state = &slpj_on_call_media_state;
    cfg.cb.on_call_transfer_status = &slpj_on_call_transfer_status;
    cfg.cb.on_call_transfer_request2 = &slpj_on_call_transfer_request2;
    cfg.cb.on_reg_state2 = &slpj_on_reg_state2;
    cfg.cb.on_stream_precreate = &slpj_on_stream_precreate;
    cfg.cb.on_stream_created2 = &slpj_on_stream_created2;
    cfg.cb.on_stream_destroyed = &slpj_on_stream_destroyed;
    cfg.cb.on_dtmf_event = &slpj_on_dtmf_event;
    cfg.cb.on_call_tsx_state = &slpj_on_call_tsx_state;
    cfg.cb.on_create_media_transport = &slpj_on_create_media_transport;
    cfg.cb.on_transport_state = &slpj_on_transport_state;

    slpj_srtp_apply_config(&cfg);

    pjsua_logging_config_default(&log_cfg);
    log_cfg.console_level = 0;
    log_cfg.msg_logging = PJ_FALSE;
    log_cfg.level = 0;
    /* Written by slpj_srtp.c, which keeps SRTP keys out of it. */
    if (slpj_log_open(&log_cfg, log_file, log_level, err, err_len) != 0) {
        pjsua_destroy();
        return -1;
    }

    pjsua_media_config_default(&med_cfg);
    /* 8 kHz for G.711 only (nothing resampled), 16 kHz with G.722 or Opus (slpj_codecs.c). */
    med_cfg.clock_rate = slpj_codecs_clock_rate();
    med_cfg.snd_clock_rate = med_cfg.clock_rate;
    med_cfg.channel_count = 1;
    med_cfg.audio_frame_ptime = 20;
    med_cfg.ptime = 20;
    med_cfg.no_vad = PJ_TRUE;                   /* VAD would stop RTP during silence */
    med_cfg.ec_tail_len = 0;
    med_cfg.enable_ice = PJ_FALSE;
    med_cfg.enable_turn = PJ_FALSE;
    med_cfg.thread_cnt = 1;
    med_cfg.snd_auto_close_time = -1;          /* the bridge clock must never pause when idle */
    /* The jitter buffer must not drop the caller's audio to shorten its delay: its progressive
     * discard does so uncounted, and its static one would still lose it; the call's audio port
     * drains it instead (slpj_media.c). It drops only when it overflows (counted, reported). */
    med_cfg.jb_discard_algo = PJMEDIA_JB_DISCARD_NONE;

    status = pjsua_init(&cfg, &log_cfg, &med_cfg);
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "pjsua_init", status);
        pjsua_destroy();
        slpj_log_close();
        return -1;
    }
    status = slpj_dns_apply_ports();
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "setting the name servers of pjsua's resolver", status);
        pjsua_destroy();
        return -1;
    }
    status = slpj_register_module_init();
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "registering sipline's REGISTER-timeout module", status);
        pjsua_destroy();
        return -1;
    }
    status = slpj_strangers_module_init();
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "registering sipline's stranger-refusing module", status);
        pjsua_destroy();
        return -1;
    }
    status = slpj_options_module_init();
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "registering sipline's OPTIONS-answering module", status);
        pjsua_destroy();
        return -1;
    }
    status = slpj_sdp_guard_module_init();
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "registering sipline's SDP-checking module", status);
        pjsua_destroy();
        return -1;
    }

    pjsua_transport_config_default(&tp_cfg);
    tp_cfg.port = (unsigned)sip_port;
    tp_cfg.bound_addr = pj_str((char *)bind_addr);
    if (public_addr && public_addr[0]) tp_cfg.public_addr = pj_str((char *)public_addr);
    if (transport == 2) slpj_tls_apply(&tp_cfg);
    status = pjsua_transport_create(transport == 2   ? PJSIP_TRANSPORT_TLS
                                    : transport == 1 ? PJSIP_TRANSPORT_TCP
                                                     : PJSIP_TRANSPORT_UDP,
                                    &tp_cfg, &tp_id);
    if (status != PJ_SUCCESS) {
        char what[160];
        snprintf(what, sizeof(what), "binding SIP %s to %s:%d",
                 transport == 2 ? "TLS" : transport == 1 ? "TCP" : "UDP", bind_addr, sip_port);
        slpj_set_err(err, err_len, what, status);
        pjsua_destroy();
        return -1;
    }

    status = pjsua_start();
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "pjsua_start", status);
        pjsua_destroy();
        return -1;
    }
    /* No sound device: the null sound device's clock drives the bridge every 20 ms. */
    status = pjsua_set_null_snd_dev();
    if (status != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "pjsua_set_null_snd_dev", status);
        pjsua_destroy();
        return -1;
    }
    slpj_codecs_apply();

    if (pjsua_transport_get_info(tp_id, &tp_info) != PJ_SUCCESS) {
        slpj_set_err(err, err_len, "pjsua_transport_get_info", status);
        pjsua_destroy();
        return -1;
    }
    slpj_transport_id = tp_id;
    slpj_transport_tcp = transport;
    slpj_started = 1;
    return tp_info.local_name.port;
}

void slpj_post_closed(void)
{
    if (!slpj_started) return;
    slpj_ensure_thread();
    slpj_calls_end_all();
    slpj_event_post(SLPJ_EV_CLOSED, 0, 0, 0, NULL, 0);
}

void slpj_destroy(void)
{
    if (!slpj_started) return;
    slpj_ensure_thread();
    pjsua_destroy2(0);
    slpj_log_close();
    slpj_started = 0;
    slpj_media_wake_all();
    slpj_events_wake_all();
    slpj_events_reset();
}

/*
 * SRTP (RFC 3711) with SDES keys (RFC 4568): the backend-neutral --srtp mode mapped onto pjsua's
 * own SRTP, and the key material kept out of pjsip's log.
 *
 *   off     -> PJMEDIA_SRTP_DISABLED: plain RTP/AVP offers; an RTP/SAVP-only offer gets 488.
 *   offer   -> PJMEDIA_SRTP_OPTIONAL: pjsua offers RTP/AVP with a=crypto lines (its "optional"
 *              SRTP), answers an RTP/SAVP offer with SRTP and a plain one plain.
 *   require -> PJMEDIA_SRTP_MANDATORY: RTP/SAVP offers; a plain offer gets 488.
 *
 * srtp_secure_signaling is 0: SDES keys then travel in SIP over plain UDP, which is what trunks
 * and the tests do (pjsua's default 1 would refuse SRTP without TLS signalling). Keying is SDES
 * only (no DTLS-SRTP) with AES_CM_128_HMAC_SHA1_80 then _32, the suites jainsip offers.
 *
 * The two 488s are answered by slpj_sdp_guard.c's module with jainsip's Warning (302) and words,
 * before pjsua sees the INVITE: pjsua would answer its own 488 without saying why.
 *
 * pjsip writes the SDP of every SIP message to its log (a=crypto ... inline:<key>) and, at level
 * 5, each stream's keys ("TX: <suite> key=<key>"). The log is therefore written here (pjsua's log
 * callback), not by pjsua: each key is replaced by "<redacted>" before the line reaches the file.
 */
#include "slpj_internal.h"
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int srtp_mode; /* 0 off, 1 offer, 2 require */
static FILE *log_file;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* pjproject's headers say PJMEDIA_HAS_SRTP 1 whatever the build used (--disable-libsrtp passes
 * -DPJMEDIA_HAS_SRTP=0 to pjproject's own compile only), and pjsua silently makes plain calls
 * without it: the library itself is asked whether its SRTP transport is there. */
int slpj_srtp_available(void)
{
    return dlsym(RTLD_DEFAULT, "pjmedia_transport_srtp_create") != NULL;
}

int slpj_srtp_config(int mode, char *err, int err_len)
{
    if (mode != 0 && !slpj_srtp_available()) {
        slpj_set_err(err, err_len,
                     "the pjproject loaded was built without SRTP (configure without"
                     " --disable-libsrtp)", PJ_SUCCESS);
        return -1;
    }
    if (mode < 0 || mode > 2) {
        char what[80];
        snprintf(what, sizeof(what), "SRTP mode %d is not off (0), offer (1) or require (2)",
                 mode);
        slpj_set_err(err, err_len, what, PJ_SUCCESS);
        return -1;
    }
    pthread_mutex_lock(&slpj_lock);
    srtp_mode = mode;
    pthread_mutex_unlock(&slpj_lock);
    return 0;
}

int slpj_srtp_mode(void)
{
    int mode;
    pthread_mutex_lock(&slpj_lock);
    mode = srtp_mode;
    pthread_mutex_unlock(&slpj_lock);
    return mode;
}

static void apply(pjmedia_srtp_use *use, int *secure_signaling, pjsua_srtp_opt *opt)
{
    int mode = slpj_srtp_mode();
    *use = mode == 2 ? PJMEDIA_SRTP_MANDATORY : mode == 1 ? PJMEDIA_SRTP_OPTIONAL
                                                          : PJMEDIA_SRTP_DISABLED;
    *secure_signaling = 0;
    pjsua_srtp_opt_default(opt);
    opt->crypto_count = 2;
    opt->crypto[0].name = pj_str("AES_CM_128_HMAC_SHA1_80");
    opt->crypto[1].name = pj_str("AES_CM_128_HMAC_SHA1_32");
    opt->keying_count = 1;
    opt->keying[0] = PJMEDIA_SRTP_KEYING_SDES;
}

void slpj_srtp_apply_config(pjsua_config *cfg)
{
    apply(&cfg->use_srtp, &cfg->srtp_secure_signaling, &cfg->srtp_opt);
}

void slpj_srtp_apply_account(pjsua_acc_config *cfg)
{
    apply(&cfg->use_srtp, &cfg->srtp_secure_signaling, &cfg->srtp_opt);
}

/* The next m= line at or after p, or NULL; its proto into proto and whether its port is 0. */
static const char *next_audio(const char *p, const char *end, char *proto, int proto_len,
                              int *disabled)
{
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = eol ? eol : end;
        if (line_end - p > 8 && memcmp(p, "m=audio ", 8) == 0) {
            char line[200], port[16], prot[48];
            size_t n = (size_t)(line_end - p - 8);
            if (n >= sizeof(line)) n = sizeof(line) - 1;
            memcpy(line, p + 8, n);
            line[n] = '\0';
            if (sscanf(line, "%15s %47s", port, prot) == 2) {
                snprintf(proto, (size_t)proto_len, "%s", prot);
                *disabled = port[0] == '0' && (port[1] == '\0' || port[1] == '/');
                return eol ? eol + 1 : end;
            }
        }
        p = eol ? eol + 1 : end;
    }
    return NULL;
}

int slpj_srtp_refusal(const char *text, pj_size_t len, char *why, int why_len)
{
    const char *p = text;
    const char *end = text + len;
    char proto[48];
    int disabled, plain = 0, secure = 0, mode = slpj_srtp_mode();

    while ((p = next_audio(p, end, proto, sizeof(proto), &disabled)) != NULL) {
        if (disabled) continue;
        if (strstr(proto, "SAVP") != NULL) {
            secure = 1;
        } else {
            plain = 1;
        }
    }
    if (mode == 2 && plain && !secure) {
        snprintf(why, (size_t)why_len,
                 "SRTP is required (--srtp require) and the audio is offered as plain RTP/AVP");
        return 302;
    }
    if (mode == 0 && secure && !plain) {
        snprintf(why, (size_t)why_len,
                 "the audio is offered as RTP/SAVP only and SRTP is off (--srtp off)");
        return 302;
    }
    return 0;
}

/* Copies data into out with every key after "inline:" or " key=" replaced; returns the length. */
int slpj_srtp_redact(const char *data, int len, char *out, int out_len)
{
    static const char *markers[] = { "inline:", " key=" };
    static const char redacted[] = "<redacted>";
    int i = 0, n = 0, m;

    while (i < len && n < out_len - 1) {
        int matched = 0;
        for (m = 0; m < 2 && !matched; ++m) {
            int k = (int)strlen(markers[m]);
            if (i + k <= len && memcmp(data + i, markers[m], (size_t)k) == 0) {
                int r = (int)sizeof(redacted) - 1;
                if (n + k + r >= out_len) return n;
                memcpy(out + n, markers[m], (size_t)k);
                n += k;
                i += k;
                memcpy(out + n, redacted, (size_t)r);
                n += r;
                /* base64 (RFC 4568's key||salt) up to '|', a blank or the line's end */
                while (i < len && data[i] != '|' && data[i] != ' ' && data[i] != '\r' &&
                       data[i] != '\n' && data[i] != '\t') {
                    ++i;
                }
                matched = 1;
            }
        }
        if (!matched) out[n++] = data[i++];
    }
    return n;
}

static void log_writer(int level, const char *data, int len)
{
    char buf[8192];
    int n;
    (void)level;
    if (len > (int)sizeof(buf) - 64) len = (int)sizeof(buf) - 64;
    n = slpj_srtp_redact(data, len, buf, (int)sizeof(buf));
    pthread_mutex_lock(&log_lock);
    /* Not flushed per line: pjsip logs from its media and I/O threads (pjsua did not flush
     * either); slpj_log_close flushes when pjsua is gone. */
    if (log_file) fwrite(buf, 1, (size_t)n, log_file);
    pthread_mutex_unlock(&log_lock);
}

int slpj_log_open(pjsua_logging_config *log_cfg, const char *path, int level, char *err,
                  int err_len)
{
    FILE *f;
    pthread_mutex_lock(&log_lock);
    if (log_file) {
        fclose(log_file);
        log_file = NULL;
    }
    pthread_mutex_unlock(&log_lock);
    if (!path || !path[0]) return 0;
    f = fopen(path, "a");
    if (!f) {
        char what[600];
        snprintf(what, sizeof(what), "opening pjsip's log file %s", path);
        slpj_set_err(err, err_len, what, PJ_RETURN_OS_ERROR(errno));
        return -1;
    }
    pthread_mutex_lock(&log_lock);
    log_file = f;
    pthread_mutex_unlock(&log_lock);
    /* pjsua hands every line at or below console_level to the callback (and writes no file of
     * its own: log_filename stays empty). */
    log_cfg->level = (unsigned)level;
    log_cfg->console_level = (unsigned)level;
    log_cfg->msg_logging = PJ_TRUE;
    log_cfg->cb = &log_writer;
    return 0;
}

void slpj_log_close(void)
{
    pthread_mutex_lock(&log_lock);
    if (log_file) {
        fclose(log_file);
        log_file = NULL;
    }
    pthread_mutex_unlock(&log_lock);
}

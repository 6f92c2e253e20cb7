/* SIP over TLS: the trusted CAs, the TLS transport's settings, and why the last handshake whose
 * certificate pjsip refused was refused, in the words jainsip uses ("certificate of CN=pbx expired
 * on ..."). pjsua reports a refused certificate to the account only as a transport failure (503
 * and pjsip's "certificate verification" text); the transport state callback below sees the
 * verification flags and the certificate, and keeps the reason for Java to fetch when it reports
 * the registration or call that failed. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "slpj_internal.h"

static char tls_ca_file[1024];
static char tls_cert_file[1024];
static char tls_key_file[1024];
static char tls_failure[2048];

int slpj_tls_config(const char *ca_file, const char *cert_file, const char *key_file)
{
    pthread_mutex_lock(&slpj_lock);
    snprintf(tls_ca_file, sizeof(tls_ca_file), "%s", ca_file ? ca_file : "");
    snprintf(tls_cert_file, sizeof(tls_cert_file), "%s", cert_file ? cert_file : "");
    snprintf(tls_key_file, sizeof(tls_key_file), "%s", key_file ? key_file : "");
    tls_failure[0] = '\0';
    pthread_mutex_unlock(&slpj_lock);
    return 0;
}

void slpj_tls_apply(pjsua_transport_config *tp_cfg)
{
    pjsip_tls_setting_default(&tp_cfg->tls_setting);
    pthread_mutex_lock(&slpj_lock);
    if (tls_ca_file[0]) tp_cfg->tls_setting.ca_list_file = pj_str(tls_ca_file);
    /* Our certificate: what the listener presents to a peer that connects to us (an incoming call
     * relayed by a proxy to our ;transport=tls Contact opens a connection of its own). Without it
     * OpenSSL has nothing to offer and every such handshake fails. The Java side checked the pair
     * (core's TlsKeyPair) before the start; the files stay in place while pjsua runs, and the
     * strings stay here, as pjsua keeps only pointers into them. */
    if (tls_cert_file[0] && tls_key_file[0]) {
        tp_cfg->tls_setting.cert_file = pj_str(tls_cert_file);
        tp_cfg->tls_setting.privkey_file = pj_str(tls_key_file);
    }
    pthread_mutex_unlock(&slpj_lock);
    /* A registrar or proxy whose certificate fails (dates, CA, host name) is not talked to. */
    tp_cfg->tls_setting.verify_server = PJ_TRUE;
    tp_cfg->tls_setting.verify_client = PJ_FALSE;
    tp_cfg->tls_setting.require_client_cert = PJ_FALSE;
    tp_cfg->tls_setting.proto = PJ_SSL_SOCK_PROTO_TLS1_2 | PJ_SSL_SOCK_PROTO_TLS1_3;
}

static void append(char *buf, size_t len, const char *fmt, const char *a, const char *b)
{
    size_t used = strlen(buf);
    if (used < len) snprintf(buf + used, len - used, fmt, a, b);
}

/* "CN=localhost" from pjsip's subject line ("/CN=localhost" or "CN=localhost/O=x"). */
static void subject_of(const pj_ssl_cert_info *cert, char *out, size_t len)
{
    snprintf(out, len, "CN=%.*s", (int)cert->subject.cn.slen, cert->subject.cn.ptr);
}

static void describe(const pj_ssl_sock_info *ssl, const pj_str_t *host, int port, char *buf,
                     size_t len)
{
    const pj_ssl_cert_info *cert = ssl->remote_cert_info;
    pj_uint32_t v = ssl->verify_status;
    char subject[256];
    char hostport[300];
    snprintf(hostport, sizeof(hostport), "%.*s:%d", (int)host->slen, host->ptr, port);
    snprintf(buf, len, "TLS handshake with %s failed: ", hostport);
    if (!cert) {
        append(buf, len, "%s%s", "the peer sent no certificate", "");
        return;
    }
    subject_of(cert, subject, sizeof(subject));
    if (v & PJ_SSL_CERT_EVALIDITY_PERIOD) {
        char when[64];
        time_t end = (time_t)cert->validity.end.sec;
        struct tm tm;
        gmtime_r(&end, &tm);
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
        append(buf, len, "certificate of %s expired on %s", subject, when);
        if (time(NULL) < (time_t)cert->validity.start.sec) {
            buf[0] = '\0';
            snprintf(buf, len, "TLS handshake with %s failed: certificate of %s is not yet valid",
                     hostport, subject);
        }
    } else if (v & (PJ_SSL_CERT_EISSUER_NOT_FOUND | PJ_SSL_CERT_EUNTRUSTED |
                    PJ_SSL_CERT_EISSUER_MISMATCH | PJ_SSL_CERT_ECHAIN_TOO_LONG)) {
        int self = cert->subject.info.slen == cert->issuer.info.slen &&
                   pj_strcmp(&cert->subject.info, &cert->issuer.info) == 0;
        char anchors[1100];
        pthread_mutex_lock(&slpj_lock);
        if (tls_ca_file[0]) snprintf(anchors, sizeof(anchors), "the CAs in %s", tls_ca_file);
        else snprintf(anchors, sizeof(anchors), "%s", "the system's trusted CAs");
        pthread_mutex_unlock(&slpj_lock);
        if (self) {
            append(buf, len, "certificate of %s is self-signed and not among %s", subject, anchors);
        } else {
            char issuer[256];
            snprintf(issuer, sizeof(issuer), "CN=%.*s", (int)cert->issuer.cn.slen,
                     cert->issuer.cn.ptr);
            append(buf, len, "certificate of %s (issued by %s) ", subject, issuer);
            append(buf, len, "does not chain to %s%s", anchors, "");
        }
    } else if (v & PJ_SSL_CERT_EIDENTITY_NOT_MATCH) {
        char names[300] = "";
        unsigned i;
        for (i = 0; i < cert->subj_alt_name.cnt; ++i) {
            char one[128];
            snprintf(one, sizeof(one), "%.*s", (int)cert->subj_alt_name.entry[i].name.slen,
                     cert->subj_alt_name.entry[i].name.ptr);
            append(names, sizeof(names), "%s%s", i ? ", " : "", one);
        }
        if (!names[0]) snprintf(names, sizeof(names), "%s", "no host name");
        append(buf, len, "certificate of %s is for %s", subject, names);
        {
            size_t used = strlen(buf);
            if (used < len)
                snprintf(buf + used, len - used, ", not %.*s", (int)host->slen, host->ptr);
        }
    } else {
        const char *flags[8];
        unsigned cnt = 8;
        if (pj_ssl_cert_get_verify_status_strings(v, flags, &cnt) == PJ_SUCCESS && cnt > 0) {
            append(buf, len, "certificate of %s refused: %s", subject, flags[0]);
        } else {
            size_t used = strlen(buf);
            if (used < len)
                snprintf(buf + used, len - used, "certificate of %s refused (verify status 0x%x)",
                         subject, (unsigned)v);
        }
    }
}

void slpj_on_transport_state(pjsip_transport *tp, pjsip_transport_state state,
                             const pjsip_transport_state_info *info)
{
    const pjsip_tls_state_info *tls;
    char text[sizeof(tls_failure)];
    if (!info || !info->ext_info || !tp || !(tp->flag & PJSIP_TRANSPORT_SECURE)) return;
    if (state != PJSIP_TP_STATE_DISCONNECTED) return;
    tls = (const pjsip_tls_state_info *)info->ext_info;
    if (!tls->ssl_sock_info || tls->ssl_sock_info->verify_status == PJ_SSL_CERT_ESUCCESS) return;
    describe(tls->ssl_sock_info, &tp->remote_name.host, tp->remote_name.port, text, sizeof(text));
    pthread_mutex_lock(&slpj_lock);
    snprintf(tls_failure, sizeof(tls_failure), "%s", text);
    pthread_mutex_unlock(&slpj_lock);
}

int slpj_tls_failure(char *out, int out_len)
{
    int n;
    pthread_mutex_lock(&slpj_lock);
    n = (int)strlen(tls_failure);
    if (out && out_len > 0) {
        snprintf(out, (size_t)out_len, "%s", tls_failure);
        if (n >= out_len) n = out_len - 1;
    }
    tls_failure[0] = '\0';
    pthread_mutex_unlock(&slpj_lock);
    return n;
}

/*
 * A call's RTP figures (SipCall.rtpStatistics() in Java), read from pjmedia's stream statistics:
 * the same counters pjsua_call_get_stream_stat() copies, taken from the stream the slot holds a
 * reference on, so that they can still be read while pjsua tears the stream down.
 *
 * Why counters are folded: pjsua replaces a call's stream when a re-INVITE changes its media
 * (hold, a new codec); the new stream counts from zero. The slot keeps the sum of the streams
 * that ran before (stat_base) and adds the running one's. Jitter and round trip are the latest
 * stream's (they describe "now", not a sum). The figures go out with the call's terminal event,
 * since the slot is reused once the call ended.
 */
#include "slpj_internal.h"
#include <stdio.h>
#include <string.h>

/* Caller holds slpj_lock. The running stream's figures, or 0 when the call has none. */
static int read_stream(const slpj_call *c, long long *out)
{
    pjmedia_rtcp_stat s;
    if (!c->stream || pjmedia_stream_get_stat(c->stream, &s) != PJ_SUCCESS) return 0;
    memset(out, 0, sizeof(long long) * SLPJ_STAT_FIELDS);
    out[SLPJ_STAT_TX_PACKETS] = s.tx.pkt;
    out[SLPJ_STAT_TX_OCTETS] = s.tx.bytes;
    out[SLPJ_STAT_RX_PACKETS] = s.rx.pkt;
    out[SLPJ_STAT_RX_OCTETS] = s.rx.bytes;
    out[SLPJ_STAT_RX_LOST] = s.rx.loss;
    out[SLPJ_STAT_RX_DUP] = s.rx.dup;
    out[SLPJ_STAT_RX_JITTER_US] = s.rx.jitter.n > 0 ? s.rx.jitter.last : -1;
    out[SLPJ_STAT_FAR_REPORTS] = s.tx.update_cnt;
    out[SLPJ_STAT_TX_LOST] = s.tx.loss;
    out[SLPJ_STAT_TX_JITTER_US] = s.tx.update_cnt > 0 && s.tx.jitter.n > 0 ? s.tx.jitter.last : -1;
    out[SLPJ_STAT_RTT_US] = s.rtt.n > 0 ? s.rtt.last : -1;
    out[SLPJ_STAT_STREAMS] = 1;
    return 1;
}

/* Indices of the fields that add up over the call's streams; the others are the latest. */
static int summed(int i)
{
    return i == SLPJ_STAT_TX_PACKETS || i == SLPJ_STAT_TX_OCTETS || i == SLPJ_STAT_RX_PACKETS ||
           i == SLPJ_STAT_RX_OCTETS || i == SLPJ_STAT_RX_LOST || i == SLPJ_STAT_RX_DUP ||
           i == SLPJ_STAT_FAR_REPORTS || i == SLPJ_STAT_TX_LOST || i == SLPJ_STAT_STREAMS;
}

void slpj_stat_fold(slpj_call *c)
{
    long long now[SLPJ_STAT_FIELDS];
    int i;
    if (!read_stream(c, now)) return;
    for (i = 0; i < SLPJ_STAT_FIELDS; ++i) {
        if (summed(i)) {
            c->stat_base[i] += now[i];
        } else if (now[i] >= 0) {
            c->stat_base[i] = now[i];
        }
    }
}

void slpj_stat_current(const slpj_call *c, long long *out)
{
    long long now[SLPJ_STAT_FIELDS];
    int i, live = read_stream(c, now);
    for (i = 0; i < SLPJ_STAT_FIELDS; ++i) {
        out[i] = c->stat_base[i];
        if (!live) continue;
        if (summed(i)) {
            out[i] += now[i];
        } else if (now[i] >= 0) {
            out[i] = now[i];
        }
    }
}

void slpj_stat_init(slpj_call *c)
{
    memset(c->stat_base, 0, sizeof(c->stat_base));
    c->stat_base[SLPJ_STAT_RX_JITTER_US] = -1;
    c->stat_base[SLPJ_STAT_TX_JITTER_US] = -1;
    c->stat_base[SLPJ_STAT_RTT_US] = -1;
}

int slpj_stat_format(const slpj_call *c, char *buf, int len)
{
    long long v[SLPJ_STAT_FIELDS];
    int i, at = 0;
    slpj_stat_current(c, v);
    for (i = 0; i < SLPJ_STAT_FIELDS && at < len; ++i) {
        int n = snprintf(buf + at, (size_t)(len - at), "%lld", v[i]);
        if (n < 0 || n >= len - at) return -1;
        at += n + 1; /* keep snprintf's NUL as the field separator */
    }
    return i == SLPJ_STAT_FIELDS ? at - 1 : -1; /* no separator after the last field */
}

int slpj_call_rtp_stat(int call, long long *out, int n)
{
    long long v[SLPJ_STAT_FIELDS];
    slpj_call *c;
    if (n < SLPJ_STAT_FIELDS || !slpj_enter(NULL, 0)) return -1;
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_by_handle(call);
    if (!c) { /* unknown, or ended and its slot freed: the terminal event had the figures */
        pthread_mutex_unlock(&slpj_lock);
        return -1;
    }
    slpj_stat_current(c, v);
    pthread_mutex_unlock(&slpj_lock);
    memcpy(out, v, sizeof(v));
    return SLPJ_STAT_FIELDS;
}

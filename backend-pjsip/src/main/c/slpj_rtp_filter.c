/*
 * RTP only from the negotiated source (README "Reliability and security", jainsip's RtpReceiver):
 * a media transport wrapped around each call's UDP transport that drops every RTP packet whose
 * source address and port are not the remote address the call's SDP negotiated.
 *
 * Why: pjmedia's stream takes packets from anywhere. Before the far end's first packet it
 * switches to the first source it hears (NAT latching), and later to any source that sends
 * PJMEDIA_RTP_NAT_PROBATION_CNT (10) packets in a row between two of the far end's
 * (stream_imp_common.c); its packets are then played into the call and our RTP goes to it.
 * pjsua has no setting that turns this off (PJMEDIA_UDP_NO_SRC_ADDR_CHECKING stops only the
 * transport's own switch, not the stream's). pjsua's on_create_media_transport hands us the
 * transport to wrap; the stream attaches to us with the remote address it negotiated (again,
 * with the new one, after a re-INVITE), and we attach to the UDP transport in its place.
 *
 * RTCP is passed on as it comes: it carries no audio.
 */
#include "slpj_internal.h"
#include <string.h>

typedef struct rtp_filter {
    pjmedia_transport base;
    pj_pool_t *pool;
    pjmedia_transport *member;
    int close_member;
    /* Set in attach2, under the member's group lock (the lock its callbacks run under). */
    pj_sockaddr remote;
    void *stream_user_data;
    void (*stream_rtp_cb)(void *user_data, void *pkt, pj_ssize_t size);
    void (*stream_rtp_cb2)(pjmedia_tp_cb_param *param);
    void (*stream_rtcp_cb)(void *user_data, void *pkt, pj_ssize_t size);
    unsigned long dropped;
} rtp_filter;

static pj_status_t filter_get_info(pjmedia_transport *tp, pjmedia_transport_info *info)
{
    return pjmedia_transport_get_info(((rtp_filter *)tp)->member, info);
}

static void filter_rtp_cb2(pjmedia_tp_cb_param *param)
{
    rtp_filter *f = (rtp_filter *)param->user_data;
    if (param->size > 0 && param->src_addr != NULL &&
        pj_sockaddr_cmp(param->src_addr, &f->remote) != 0) {
        char from[PJ_INET6_ADDRSTRLEN + 10];
        char want[PJ_INET6_ADDRSTRLEN + 10];
        if (f->dropped++ % 500 == 0) {
            PJ_LOG(3, (f->base.name, "RTP from %s dropped: the call's far end is %s (%lu so far)",
                       pj_sockaddr_print(param->src_addr, from, sizeof(from), 3),
                       pj_sockaddr_print(&f->remote, want, sizeof(want), 3), f->dropped));
        }
        return;
    }
    param->user_data = f->stream_user_data;
    if (f->stream_rtp_cb2) {
        f->stream_rtp_cb2(param);
    } else if (f->stream_rtp_cb) {
        f->stream_rtp_cb(f->stream_user_data, param->pkt, param->size);
    }
}

static void filter_rtcp_cb(void *user_data, void *pkt, pj_ssize_t size)
{
    rtp_filter *f = (rtp_filter *)user_data;
    if (f->stream_rtcp_cb) f->stream_rtcp_cb(f->stream_user_data, pkt, size);
}

static pj_status_t filter_attach2(pjmedia_transport *tp, pjmedia_transport_attach_param *param)
{
    rtp_filter *f = (rtp_filter *)tp;
    pjmedia_transport_attach_param mine = *param;
    pj_status_t status;
    pj_sockaddr_cp(&f->remote, &param->rem_addr);
    f->stream_user_data = param->user_data;
    f->stream_rtp_cb = param->rtp_cb;
    f->stream_rtp_cb2 = param->rtp_cb2;
    f->stream_rtcp_cb = param->rtcp_cb;
    mine.user_data = f;
    mine.rtp_cb = NULL;
    mine.rtp_cb2 = &filter_rtp_cb2;
    mine.rtcp_cb = param->rtcp_cb ? &filter_rtcp_cb : NULL;
    status = pjmedia_transport_attach2(f->member, &mine);
    if (status != PJ_SUCCESS) {
        f->stream_user_data = NULL;
        f->stream_rtp_cb = NULL;
        f->stream_rtp_cb2 = NULL;
        f->stream_rtcp_cb = NULL;
    }
    return status;
}

static pj_status_t filter_attach(pjmedia_transport *tp, void *user_data,
                                 const pj_sockaddr_t *rem_addr, const pj_sockaddr_t *rem_rtcp,
                                 unsigned addr_len, void (*rtp_cb)(void *, void *, pj_ssize_t),
                                 void (*rtcp_cb)(void *, void *, pj_ssize_t))
{
    pjmedia_transport_attach_param param;
    pj_bzero(&param, sizeof(param));
    param.user_data = user_data;
    pj_sockaddr_cp(&param.rem_addr, rem_addr);
    if (rem_rtcp) pj_sockaddr_cp(&param.rem_rtcp, rem_rtcp);
    param.addr_len = addr_len;
    param.rtp_cb = rtp_cb;
    param.rtcp_cb = rtcp_cb;
    return filter_attach2(tp, &param);
}

static void filter_detach(pjmedia_transport *tp, void *user_data)
{
    rtp_filter *f = (rtp_filter *)tp;
    PJ_UNUSED_ARG(user_data);
    pjmedia_transport_detach(f->member, f);
    f->stream_user_data = NULL;
    f->stream_rtp_cb = NULL;
    f->stream_rtp_cb2 = NULL;
    f->stream_rtcp_cb = NULL;
}

static pj_status_t filter_send_rtp(pjmedia_transport *tp, const void *pkt, pj_size_t size)
{
    return pjmedia_transport_send_rtp(((rtp_filter *)tp)->member, pkt, size);
}

static pj_status_t filter_send_rtcp(pjmedia_transport *tp, const void *pkt, pj_size_t size)
{
    return pjmedia_transport_send_rtcp(((rtp_filter *)tp)->member, pkt, size);
}

static pj_status_t filter_send_rtcp2(pjmedia_transport *tp, const pj_sockaddr_t *addr,
                                     unsigned addr_len, const void *pkt, pj_size_t size)
{
    return pjmedia_transport_send_rtcp2(((rtp_filter *)tp)->member, addr, addr_len, pkt, size);
}

static pj_status_t filter_media_create(pjmedia_transport *tp, pj_pool_t *pool, unsigned options,
                                       const pjmedia_sdp_session *rem_sdp, unsigned media_index)
{
    return pjmedia_transport_media_create(((rtp_filter *)tp)->member, pool, options, rem_sdp,
                                          media_index);
}

static pj_status_t filter_encode_sdp(pjmedia_transport *tp, pj_pool_t *pool,
                                     pjmedia_sdp_session *local, const pjmedia_sdp_session *rem,
                                     unsigned media_index)
{
    return pjmedia_transport_encode_sdp(((rtp_filter *)tp)->member, pool, local, rem,
                                        media_index);
}

static pj_status_t filter_media_start(pjmedia_transport *tp, pj_pool_t *pool,
                                      const pjmedia_sdp_session *local,
                                      const pjmedia_sdp_session *rem, unsigned media_index)
{
    return pjmedia_transport_media_start(((rtp_filter *)tp)->member, pool, local, rem,
                                         media_index);
}

static pj_status_t filter_media_stop(pjmedia_transport *tp)
{
    return pjmedia_transport_media_stop(((rtp_filter *)tp)->member);
}

static pj_status_t filter_simulate_lost(pjmedia_transport *tp, pjmedia_dir dir, unsigned pct)
{
    return pjmedia_transport_simulate_lost(((rtp_filter *)tp)->member, dir, pct);
}

static void filter_on_destroy(void *arg)
{
    /* The member's group lock is gone: nothing can call into us any more. */
    pj_pool_release(((rtp_filter *)arg)->pool);
}

static pj_status_t filter_destroy(pjmedia_transport *tp)
{
    rtp_filter *f = (rtp_filter *)tp;
    if (f->close_member && f->member) pjmedia_transport_close(f->member);
    if (f->base.grp_lock) {
        pj_grp_lock_dec_ref(f->base.grp_lock);
    } else {
        pj_pool_release(f->pool);
    }
    return PJ_SUCCESS;
}

static pjmedia_transport_op filter_op = {
    &filter_get_info,
    &filter_attach,
    &filter_detach,
    &filter_send_rtp,
    &filter_send_rtcp,
    &filter_send_rtcp2,
    &filter_media_create,
    &filter_encode_sdp,
    &filter_media_start,
    &filter_media_stop,
    &filter_simulate_lost,
    &filter_destroy,
    &filter_attach2
};

pjmedia_transport *slpj_on_create_media_transport(pjsua_call_id call_id, unsigned media_idx,
                                                  pjmedia_transport *base_tp, unsigned flags)
{
    pj_pool_t *pool;
    rtp_filter *f;
    PJ_UNUSED_ARG(media_idx);
    pool = pjsua_pool_create("slpj-rtp-filter", 512, 512);
    if (pool == NULL) return base_tp;
    f = PJ_POOL_ZALLOC_T(pool, rtp_filter);
    f->pool = pool;
    f->member = base_tp;
    f->close_member = (flags & PJSUA_MED_TP_CLOSE_MEMBER) != 0;
    pj_ansi_snprintf(f->base.name, sizeof(f->base.name), "slpj-rtp%d", (int)call_id);
    f->base.type = base_tp->type;
    f->base.op = &filter_op;
    if (base_tp->grp_lock) {
        /* Live as long as the member: its callbacks, which reach us, run under this lock. */
        f->base.grp_lock = base_tp->grp_lock;
        pj_grp_lock_add_ref(f->base.grp_lock);
        pj_grp_lock_add_handler(f->base.grp_lock, pool, f, &filter_on_destroy);
    }
    return &f->base;
}


/* --codecs onto pjsua: which codecs the loaded pjproject has, their priorities, the bridge's clock,
 * Opus at 16 kHz, and answers that take the first codec of OUR list an offer has.
 *
 * pjsua's conference bridge runs at one clock for every call. With G.722 or Opus in the list it
 * runs at 16 kHz (their audio rate here), else at G.711's 8 kHz as before, so that a G.711-only
 * configuration resamples nothing anywhere. Each call's port (slpj_media.c) runs at the call's own
 * audio rate: the stream's (G.711 8 kHz, G.722 16 kHz, Opus 16 kHz as configured here); under a
 * 16 kHz bridge a G.711 call's audio is resampled 8 -> 16 -> 8 kHz by the bridge on its way to
 * and from the port. */
#include "slpj_internal.h"
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* Opus runs at 16 kHz inside, like jainsip's: the speech band an ASR wants, and cheaper than 48. */
#define SLPJ_OPUS_RATE 16000

typedef struct codec_name {
    const char *name;      /* the option's name */
    const char *pjsua_id;  /* pjsua's codec id prefix */
    const char *symbol;    /* present in the loaded pjproject only when the codec was built in */
    int wideband;
} codec_name;

static const codec_name CODECS[] = {
    {"opus", "opus/48000", "pjmedia_codec_opus_init", 1},
    {"g722", "G722/16000", "pjmedia_codec_g722_init", 1},
    {"pcmu", "PCMU/8000", "pjmedia_codec_g711_init", 0},
    {"pcma", "PCMA/8000", "pjmedia_codec_g711_init", 0},
};
#define CODEC_COUNT ((int)(sizeof(CODECS) / sizeof(CODECS[0])))

/* The configured order, as indexes into CODECS, and the bridge clock it implies: written by
 * slpj_codecs_config before slpj_start only, read afterwards (pjsua's threads start after it),
 * so no lock: slpj_codecs_port_rate is called with slpj_lock held. */
static int order[CODEC_COUNT] = {2, 3};
static int order_count = 2;
static unsigned bridge_rate = SLPJ_CLOCK_RATE;

static const codec_name *find(const char *name, size_t len)
{
    int i;
    for (i = 0; i < CODEC_COUNT; ++i) {
        if (strlen(CODECS[i].name) == len && strncmp(CODECS[i].name, name, len) == 0) {
            return &CODECS[i];
        }
    }
    return NULL;
}

int slpj_codec_available(const char *name)
{
    const codec_name *c = name ? find(name, strlen(name)) : NULL;
    return c && dlsym(RTLD_DEFAULT, c->symbol) != NULL;
}

int slpj_codecs_config(const char *list, char *err, int err_len)
{
    int chosen[CODEC_COUNT];
    int n = 0, i;
    const char *p = list ? list : "";

    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const codec_name *c = find(p, len);
        char what[128];
        if (!c) {
            snprintf(what, sizeof(what), "unknown codec '%.*s'", (int)(len > 40 ? 40 : len), p);
            slpj_set_err(err, err_len, what, PJ_SUCCESS);
            return -1;
        }
        for (i = 0; i < n; ++i) {
            if (chosen[i] == (int)(c - CODECS)) {
                snprintf(what, sizeof(what), "'%s' is given twice", c->name);
                slpj_set_err(err, err_len, what, PJ_SUCCESS);
                return -1;
            }
        }
        if (!slpj_codec_available(c->name)) {
            snprintf(what, sizeof(what), "the pjproject loaded was built without %s", c->name);
            slpj_set_err(err, err_len, what, PJ_SUCCESS);
            return -1;
        }
        chosen[n++] = (int)(c - CODECS);
        p = end ? end + 1 : p + len;
    }
    if (n == 0) {
        slpj_set_err(err, err_len, "no codec given", PJ_SUCCESS);
        return -1;
    }
    if (slpj_started) {
        slpj_set_err(err, err_len, "pjsua is running: codecs are set before it starts", PJ_SUCCESS);
        return -1;
    }
    memcpy(order, chosen, sizeof(chosen[0]) * (size_t)n);
    order_count = n;
    bridge_rate = SLPJ_CLOCK_RATE;
    for (i = 0; i < n; ++i) {
        if (CODECS[chosen[i]].wideband) bridge_rate = SLPJ_WIDEBAND_RATE;
    }
    return 0;
}

unsigned slpj_codecs_clock_rate(void) { return bridge_rate; }

/* Opus mono at SLPJ_OPUS_RATE, 20 ms frames: pjmedia then runs its stream port at that rate and
 * says so in its fmtp (maxplaybackrate, sprop-maxcapturerate). Its bit rate: see
 * slpj_on_stream_precreate below. */
static void configure_opus(void)
{
#if defined(PJMEDIA_HAS_OPUS_CODEC) && PJMEDIA_HAS_OPUS_CODEC
    pjmedia_codec_opus_config cfg;
    pjmedia_codec_param param;
    pj_str_t id = pj_str("opus/48000/2");

    if (pjmedia_codec_opus_get_config(&cfg) != PJ_SUCCESS) return;
    if (pjsua_codec_get_param(&id, &param) != PJ_SUCCESS) return;
    cfg.sample_rate = SLPJ_OPUS_RATE;
    cfg.channel_cnt = 1;
    cfg.frm_ptime = 20;
    cfg.frm_ptime_denum = 1;
    pjmedia_codec_opus_set_default_param(&cfg, &param);
#endif
}

/* Our Opus encoder's bit rate, unless the far end's maxaveragebitrate asks for less.
 *
 * pjmedia opens libopus with OPUS_APPLICATION_VOIP and OPUS_SIGNAL_VOICE (no pjsua setting
 * reaches either) and, unless the far end's fmtp names a maxaveragebitrate below the codec's
 * max_bps (twice the sample rate: 32000 at our 16 kHz), at libopus's automatic bit rate. Voice
 * forced, libopus encodes in SILK (linear prediction) up to about 72-76 kbit/s and in CELT
 * (transform) above: measured with libopus alone, the codec tests' 16 kHz sweep through pjmedia's
 * settings came back at correlation 0.808 at the automatic rate, 32, 64 and 72 kbit/s (every frame
 * SILK: it keeps the spectrum, not the waveform), 0.998 at 76 and 80 kbit/s (every frame CELT),
 * mono and stereo alike — the 0.81 the calls to baresip showed. jainsip's encoder gets 0.93 at 32
 * kbit/s because it leaves the signal type to libopus's analysis, which takes a sweep for music.
 * So we ask for 80 kbit/s, the first round rate safely above the switch (the hysteresis moves it
 * by 4 kbit/s), which is G.711's 64 kbit/s and a little more; a far end's lower maxaveragebitrate
 * (RFC 7587 §6.1: what it wants to receive at most) is obeyed, and pjmedia then encodes SILK. */
#define SLPJ_OPUS_BIT_RATE 80000

static pj_str_t STR_OPUS = {"opus", 4};
static pj_str_t STR_MAX_AVERAGE_BIT_RATE = {"maxaveragebitrate", 17};
static char opus_bit_rate_text[16];

/* pjsua, before it creates a call's stream. pjsua copies back only a few fields of the stream
 * info it shows us, but the codec parameters are behind a pointer (si->param) that the stream is
 * then created from, so the far end's fmtp (enc_fmtp, what our encoder obeys) and max_bps can be
 * set here: pjmedia's Opus codec_open takes the bit rate from enc_fmtp's maxaveragebitrate when
 * it is below max_bps, and that is the only way a bit rate reaches its encoder. */
void slpj_on_stream_precreate(pjsua_call_id call_id, pjsua_on_stream_precreate_param *prm)
{
    pjmedia_stream_info *si;
    pjmedia_codec_fmtp *fmtp;
    unsigned i;
    PJ_UNUSED_ARG(call_id);
    if (!prm || prm->stream_info.type != PJMEDIA_TYPE_AUDIO) return;
    si = &prm->stream_info.info.aud;
    if (!si->param || pj_stricmp(&si->fmt.encoding_name, &STR_OPUS) != 0) return;
    /* codec_open takes a rate only below max_bps: above ours, so that a far end's lower one is
     * obeyed too (pjmedia would ignore one between 32000 and ours and pick its own). */
    if (si->param->info.max_bps <= SLPJ_OPUS_BIT_RATE) si->param->info.max_bps = SLPJ_OPUS_BIT_RATE + 1;
    fmtp = &si->param->setting.enc_fmtp;
    for (i = 0; i < fmtp->cnt; ++i) {
        if (pj_stricmp(&fmtp->param[i].name, &STR_MAX_AVERAGE_BIT_RATE) == 0) {
            unsigned theirs = (unsigned)pj_strtoul(&fmtp->param[i].val);
            if (theirs < SLPJ_OPUS_BIT_RATE) return; /* theirs is the limit: pjmedia applies it */
            break;
        }
    }
    if (opus_bit_rate_text[0] == '\0') {
        snprintf(opus_bit_rate_text, sizeof(opus_bit_rate_text), "%d", SLPJ_OPUS_BIT_RATE);
    }
    if (i == fmtp->cnt) {
        if (fmtp->cnt >= PJMEDIA_CODEC_MAX_FMTP_CNT) return; /* no room: pjmedia's own choice */
        fmtp->param[i].name = STR_MAX_AVERAGE_BIT_RATE;
        ++fmtp->cnt;
    }
    fmtp->param[i].val = pj_str(opus_bit_rate_text);
}

void slpj_codecs_apply(void)
{
    pjsua_codec_info codecs[64];
    unsigned count = PJ_ARRAY_SIZE(codecs);
    unsigned i;
    int n = order_count;
    const int *list = order;

    /* Everything off first (telephone-event is no codec to pjsua: pjmedia adds it on its own). */
    if (pjsua_enum_codecs(codecs, &count) == PJ_SUCCESS) {
        for (i = 0; i < count; ++i) {
            pjsua_codec_set_priority(&codecs[i].codec_id, PJMEDIA_CODEC_PRIO_DISABLED);
        }
    }
    for (i = 0; i < (unsigned)n; ++i) {
        pj_str_t id = pj_str((char *)CODECS[list[i]].pjsua_id);
        if (strcmp(CODECS[list[i]].name, "opus") == 0) configure_opus();
        pjsua_codec_set_priority(&id, (pj_uint8_t)(PJMEDIA_CODEC_PRIO_HIGHEST - i));
    }
}

void slpj_codecs_prefer_ours(pjsip_rx_data *rdata)
{
    /* pjmedia's negotiator answers in the offerer's order by default
     * (PJMEDIA_SDP_NEG_PREFER_REMOTE_CODEC_ORDER); our --codecs decides, as on jainsip. The flag
     * stays with the dialog's negotiator, so a later offer is answered the same way. */
    pjsip_dialog *dlg = rdata ? pjsip_rdata_get_dlg(rdata) : NULL;
    pjsip_inv_session *inv = dlg ? pjsip_dlg_get_inv_session(dlg) : NULL;
    if (inv && inv->neg) pjmedia_sdp_neg_set_prefer_remote_codec_order(inv->neg, PJ_FALSE);
}

unsigned slpj_codecs_port_rate(unsigned stream_rate)
{
    unsigned bridge = slpj_codecs_clock_rate();
    /* A stream faster than the bridge (none of ours) would lose its top at the bridge anyway. */
    if (stream_rate != SLPJ_CLOCK_RATE && stream_rate != SLPJ_WIDEBAND_RATE) return bridge;
    return stream_rate > bridge ? bridge : stream_rate;
}


/*
 * A call's audio port on pjsua's conference bridge.
 *
 *   Java pump --push--> tx ring --get_frame (bridge clock, every 20 ms)--> call's stream --> RTP
 *                        tx log <-- one entry per frame taken / per silent tick --> Java: sent()
 *   RTP --> call's stream --put_frame (bridge clock)--> rx ring (+ lost flag) --pull--> Java pump
 *
 * The port runs at the call's audio rate with 20 ms frames: 8 kHz for G.711, 16 kHz for G.722
 * and Opus (slpj_codecs.c). The bridge resamples only where its own clock differs (a G.711 call
 * under a 16 kHz bridge, when --codecs has a wideband codec). Every get_frame bumps a tick counter that wakes the Java
 * pump, so the pump runs on the bridge's clock rather than a second one of its own.
 *
 * What the port can see of the wire: within one bridge tick the conference first takes a frame
 * from every port it reads (ours: get_frame) and then hands the mixed frames out (the stream's
 * put_frame encodes and sends RTP; ours: put_frame). So a frame taken by get_frame goes into RTP
 * in the same tick unless the stream does not send (hold) or sends a DTMF event instead.
 *
 * The received side is the caller's RTP timeline, not the bridge's clock, so this port reads the
 * call's stream itself, in put_frame (the bridge does not: the stream is connected to nothing;
 * see slpj_call_events.c). pjmedia's jitter buffer holds the codec's own frames (G.711: 10 ms,
 * two per tick), numbered from the RTP timestamp, and fills a tick with no caller audio when it
 * conceals a lost packet or runs empty while packets are late. Before each read the port looks
 * at the number of the buffer's first frame: received audio is delivered, and the caller's time
 * between the end of the last audio delivered and the start of this one is reported missing
 * (lost packets, and the packets an outage skipped, which pjmedia does not count: it restarts an
 * empty buffer at whatever packet comes next). Made-up and concealed ticks are dropped; late
 * packets are delivered when they come, so a stall costs nothing of the caller's audio. After a
 * stall the buffer holds what came late: the port reads twice a tick until it holds at most
 * CATCH_UP_TICKS ticks, so no delay is left behind. pjmedia's
 * progressive discard, its default, would drop 10 ms frames uncounted to shorten its delay:
 * slpj_start turns discarding off.
 */
#include "slpj_internal.h"
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <string.h>
#include <time.h>

/* The Java pump keeps a frame queued ahead of the bridge; this is the hard ceiling. */
#define TX_FRAMES 8
/* Frames taken and silent runs not yet reported: at most TX_FRAMES frames with a run after
 * each can pile up between two pump passes, so this never fills while the pump runs. */
#define TX_LOG 32
/* Received audio waits here for the pump; on overflow the oldest frame goes (and is reported
 * as missing). */
#define RX_FRAMES 25
#define FRAME_BYTES(port) ((size_t)(port)->frame_samples * sizeof(short))
#define SLPJ_PORT_SIGNATURE PJMEDIA_SIGNATURE('s', 'l', 'p', 'j')

struct slpj_port {
    pjmedia_port base;
    pj_pool_t *pool;
    pthread_mutex_t lock;
    int frame_samples;          /* 20 ms at the port's rate; fixed at creation */
    short tx[TX_FRAMES][SLPJ_MAX_FRAME_SAMPLES];
    int tx_head, tx_count;
    int tx_live;                /* the stream sends: frames taken go into RTP */
    int tx_started;             /* a pushed frame was taken: silent ticks are reported from now */
    int tx_log[TX_LOG];
    int tx_log_head, tx_log_count;
    short rx[RX_FRAMES][SLPJ_MAX_FRAME_SAMPLES];
    int rx_gap[RX_FRAMES];              /* caller samples missing before the entry's audio */
    unsigned char rx_audio[RX_FRAMES];  /* 1: the entry holds received audio, 0: a gap only */
    int rx_head, rx_count;
    int rx_dropped;             /* samples dropped on overflow before rx_head, not yet reported */
    /* The caller's timeline: the call's stream (a reference held on stream_lock) and its port,
     * whether received audio was queued yet (nothing is missing before the first), the number of
     * the jitter buffer frame that follows the last audio delivered (valid: rx_next_known), the
     * samples in one of its frames, the samples of ticks read since that audio, and its lost and
     * empty counts at the last read. */
    pjmedia_stream *stream;
    pjmedia_port *stream_port;
    int stream_channels;        /* 1, or 2 for Opus (RFC 7587's "/2": pjmedia decodes stereo) */
    pj_grp_lock_t *stream_lock;
    int rx_started;
    int rx_next_known;
    int rx_next;
    int rx_since;
    int jb_frame_samples;
    unsigned jb_lost, jb_empty;
};

/* media.realtime for pjmedia's clock thread: the priority to ask for, and the outcome. */
static volatile int clock_rt_priority;
static volatile int clock_rt_result = -1;
static __thread int clock_rt_asked;

int slpj_thread_realtime(int priority)
{
    struct sched_param param;
    memset(&param, 0, sizeof(param));
    param.sched_priority = priority;
    return pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);
}

void slpj_media_realtime(int priority)
{
    clock_rt_priority = priority;
    clock_rt_result = -1;
}

int slpj_media_clock_realtime(void) { return clock_rt_result; }

/* On the clock thread: the bridge's tick (every call's RTP sent, every jitter buffer read) must
 * not wait behind normally scheduled work, as jainsip's pacer does not. pjmedia's clock asks for
 * its policy's highest priority itself, which under SCHED_OTHER is no change. Asked once per
 * thread (a restarted pjsua has a new clock thread). */
static void clock_realtime(void)
{
    int priority = clock_rt_priority;
    if (clock_rt_asked || priority <= 0) return;
    clock_rt_asked = 1;
    clock_rt_result = slpj_thread_realtime(priority);
}

static pthread_mutex_t tick_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t tick_cond;
static pthread_once_t tick_once = PTHREAD_ONCE_INIT;
static long long ticks;

static void tick_init(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&tick_cond, &attr);
    pthread_condattr_destroy(&attr);
}

static void tick(void)
{
    pthread_once(&tick_once, tick_init);
    pthread_mutex_lock(&tick_lock);
    ++ticks;
    pthread_cond_broadcast(&tick_cond);
    pthread_mutex_unlock(&tick_lock);
}

/* Port lock held. Adds one outcome to the tx log; silent ticks in a row share one entry. */
static void tx_log_add(slpj_port *port, int entry)
{
    if (entry < 0 && port->tx_log_count > 0) {
        int *last = &port->tx_log[(port->tx_log_head + port->tx_log_count - 1) % TX_LOG];
        if (*last < 0 && *last >= INT_MIN - entry) {
            *last += entry;
            return;
        }
    }
    if (port->tx_log_count == TX_LOG) {
        /* Only when the Java pump is gone: keep the newest. */
        port->tx_log_head = (port->tx_log_head + 1) % TX_LOG;
        --port->tx_log_count;
    }
    port->tx_log[(port->tx_log_head + port->tx_log_count) % TX_LOG] = entry;
    ++port->tx_log_count;
}

static pj_status_t port_get_frame(pjmedia_port *base, pjmedia_frame *frame)
{
    slpj_port *port = (slpj_port *)base;
    clock_realtime();
    pthread_mutex_lock(&port->lock);
    if (port->tx_count > 0) {
        memcpy(frame->buf, port->tx[port->tx_head], FRAME_BYTES(port));
        port->tx_head = (port->tx_head + 1) % TX_FRAMES;
        --port->tx_count;
        port->tx_started = 1;
        tx_log_add(port, port->tx_live ? 1 : 0);
    } else {
        /* Nothing queued (the pump is late or the call just started): send silence so the
         * RTP clock keeps running, and tell the pump it missed this tick. */
        memset(frame->buf, 0, FRAME_BYTES(port));
        if (port->tx_started) tx_log_add(port, -1);
    }
    pthread_mutex_unlock(&port->lock);
    frame->type = PJMEDIA_FRAME_TYPE_AUDIO;
    frame->size = FRAME_BYTES(port);
    tick();
    return PJ_SUCCESS;
}

/* Ticks the jitter buffer may hold after a read before the port reads on (rx_tick). */
#define CATCH_UP_TICKS 2
/* A jump of the frame number by more than this (30 s of G.711 frames) is a new timeline (a
 * restarted sender, a new SSRC): the ticks read since the last audio say how long it was. */
#define MAX_JUMP_FRAMES 3000

/* Port lock held. Queues a gap of the caller's samples, then (pcm not NULL) received audio. */
static void rx_queue(slpj_port *port, int gap, const short *pcm)
{
    int slot;
    if (port->rx_count == RX_FRAMES) {
        port->rx_dropped += port->rx_gap[port->rx_head]
                            + (port->rx_audio[port->rx_head] ? port->frame_samples : 0);
        port->rx_head = (port->rx_head + 1) % RX_FRAMES;
        --port->rx_count;
    }
    slot = (port->rx_head + port->rx_count) % RX_FRAMES;
    port->rx_gap[slot] = gap;
    port->rx_audio[slot] = (unsigned char)(pcm != NULL);
    if (pcm) memcpy(port->rx[slot], pcm, FRAME_BYTES(port));
    ++port->rx_count;
}

/* Port lock held, on the bridge's clock thread. Reads one tick of the call's stream and queues
 * what it is on the caller's timeline; returns the jitter buffer frames left after the read
 * (-1: nothing to read). */
static int rx_read(slpj_port *port)
{
    pjmedia_stream_common *common = (pjmedia_stream_common *)port->stream;
    pjmedia_jb_state state;
    pjmedia_frame frame;
    short pcm[SLPJ_MAX_FRAME_SAMPLES * 2];
    char type;
    int first = 0, known = 0, audio, i;
    size_t bytes;

    if (!port->stream || !port->stream_port || !common->jb) return -1;
    /* The number of the frame the read starts at. Only a put can come between this look and the
     * read (the clock thread is the only reader): it appends, or restarts an empty buffer, which
     * the read then finds not empty and takes from a frame it cannot number (known stays 0). */
    pj_mutex_lock(common->jb_mutex);
    if (pjmedia_jbuf_get_state(common->jb, &state) == PJ_SUCCESS && state.size > 0) {
        pjmedia_jbuf_peek_frame(common->jb, 0, NULL, NULL, &type, NULL, NULL, &first);
        known = 1;
    }
    pj_mutex_unlock(common->jb_mutex);

    memset(&frame, 0, sizeof(frame));
    bytes = FRAME_BYTES(port) * (size_t)port->stream_channels;
    frame.buf = pcm;
    frame.size = bytes;
    if (pjmedia_port_get_frame(port->stream_port, &frame) != PJ_SUCCESS) return -1;
    if (pjmedia_stream_get_stat_jbuf(port->stream, &state) != PJ_SUCCESS) return -1;
    /* Received audio: the whole tick decoded from frames that came (nothing concealed, nothing
     * made up while empty). */
    audio = frame.type == PJMEDIA_FRAME_TYPE_AUDIO && frame.size == bytes &&
            state.lost == port->jb_lost && state.empty == port->jb_empty;
    if (audio && port->stream_channels == 2) {
        /* The bot hears one channel: the two, averaged (interleaved L, R). */
        for (i = 0; i < port->frame_samples; i++) {
            pcm[i] = (short)(((int)pcm[2 * i] + (int)pcm[2 * i + 1]) / 2);
        }
    }
    port->jb_lost = state.lost;
    port->jb_empty = state.empty;
    if (port->rx_since < INT_MAX / 2) port->rx_since += port->frame_samples;
    if (audio) {
        int gap = 0;
        if (port->rx_started && known && port->rx_next_known) {
            int jump = first - port->rx_next;
            if (jump >= 0 && jump <= MAX_JUMP_FRAMES) {
                gap = jump * port->jb_frame_samples;
            } else {
                gap = port->rx_since - port->frame_samples;
            }
        }
        rx_queue(port, gap, pcm);
        port->rx_started = 1;
        port->rx_since = 0;
        port->rx_next_known = known;
        port->rx_next = first + port->frame_samples / port->jb_frame_samples;
    }
    return (int)state.size;
}

/* Port lock held: the tick's read, and one more while the buffer holds more than
 * CATCH_UP_TICKS ticks: what came late is caught up at twice real time, not in one burst (the
 * pump and the bot take audio at about real time; a burst of half a second, what a buffer holds
 * when its first read comes late, would overflow the rings on the way). */
static void rx_tick(slpj_port *port)
{
    /* Before a stream is set the port has no jitter-buffer frame size yet (the bridge ticks the
     * port from the moment it is added): one frame a tick. */
    int frames_per_tick =
        port->jb_frame_samples > 0 ? port->frame_samples / port->jb_frame_samples : 1;
    if (rx_read(port) > CATCH_UP_TICKS * frames_per_tick) rx_read(port);
}

static pj_status_t port_put_frame(pjmedia_port *base, pjmedia_frame *frame)
{
    slpj_port *port = (slpj_port *)base;
    (void)frame; /* nothing is connected to the port: the bridge's heartbeat, once a tick */
    pthread_mutex_lock(&port->lock);
    rx_tick(port);
    pthread_mutex_unlock(&port->lock);
    return PJ_SUCCESS;
}

static pj_status_t port_on_destroy(pjmedia_port *base)
{
    slpj_port *port = (slpj_port *)base;
    /* The bridge let go of the port: nothing reads the stream through it any more. */
    if (port->stream_lock) pj_grp_lock_dec_ref(port->stream_lock);
    port->stream_lock = NULL;
    port->stream = NULL;
    port->stream_port = NULL;
    pthread_mutex_destroy(&port->lock);
    pj_pool_release(port->pool);
    return PJ_SUCCESS;
}

pj_status_t slpj_port_create(unsigned clock_rate, slpj_port **out)
{
    pj_pool_t *pool;
    slpj_port *port;
    pj_str_t name = pj_str("sipline");

    if (clock_rate != SLPJ_CLOCK_RATE && clock_rate != SLPJ_WIDEBAND_RATE) return PJ_EINVAL;
    pool = pjsua_pool_create("slpj-port", sizeof(slpj_port) + 1024, 1024);
    if (!pool) return PJ_ENOMEM;
    port = PJ_POOL_ZALLOC_T(pool, slpj_port);
    port->pool = pool;
    pthread_mutex_init(&port->lock, NULL);
    port->frame_samples = (int)clock_rate / 50;
    port->jb_frame_samples = port->frame_samples;
    port->stream_channels = 1;
    pjmedia_port_info_init(&port->base.info, &name, SLPJ_PORT_SIGNATURE, clock_rate, 1, 16,
                           (unsigned)port->frame_samples);
    port->base.get_frame = &port_get_frame;
    port->base.put_frame = &port_put_frame;
    port->base.on_destroy = &port_on_destroy;
    *out = port;
    return PJ_SUCCESS;
}

pjmedia_port *slpj_port_base(slpj_port *port) { return &port->base; }

int slpj_port_frame_samples(const slpj_port *port) { return port->frame_samples; }

pj_pool_t *slpj_port_pool(slpj_port *port) { return port->pool; }

void slpj_port_release(slpj_port *port)
{
    /* With a group lock (pjmedia >= 2.15) this drops our reference and the bridge frees the port
     * once it let go; without one it destroys the port at once. */
    pjmedia_port_destroy(&port->base);
}

int slpj_port_push(slpj_port *port, const short *pcm)
{
    int depth;
    pthread_mutex_lock(&port->lock);
    if (port->tx_count < TX_FRAMES) {
        memcpy(port->tx[(port->tx_head + port->tx_count) % TX_FRAMES], pcm, FRAME_BYTES(port));
        ++port->tx_count;
    }
    depth = port->tx_count;
    pthread_mutex_unlock(&port->lock);
    return depth;
}

int slpj_port_pull(slpj_port *port, short *pcm, int *missing)
{
    int got = 0;
    pthread_mutex_lock(&port->lock);
    if (port->rx_dropped > 0) {
        /* Dropped on overflow: they came before everything still queued. */
        *missing = port->rx_dropped;
        port->rx_dropped = 0;
        got = 2;
    } else if (port->rx_count > 0 && (port->rx_gap[port->rx_head] > 0 ||
                                      !port->rx_audio[port->rx_head])) {
        /* A run of gaps is reported as one, up to the next received audio. */
        int n = 0;
        while (port->rx_count > 0) {
            n += port->rx_gap[port->rx_head];
            port->rx_gap[port->rx_head] = 0;
            if (port->rx_audio[port->rx_head]) break;
            port->rx_head = (port->rx_head + 1) % RX_FRAMES;
            --port->rx_count;
        }
        *missing = n;
        got = 2;
    } else if (port->rx_count > 0) {
        memcpy(pcm, port->rx[port->rx_head], FRAME_BYTES(port));
        port->rx_head = (port->rx_head + 1) % RX_FRAMES;
        --port->rx_count;
        got = 1;
    }
    pthread_mutex_unlock(&port->lock);
    return got;
}

int slpj_port_tx_log(slpj_port *port, int *entries, int max)
{
    int n = 0;
    pthread_mutex_lock(&port->lock);
    while (n < max && port->tx_log_count > 0) {
        entries[n++] = port->tx_log[port->tx_log_head];
        port->tx_log_head = (port->tx_log_head + 1) % TX_LOG;
        --port->tx_log_count;
    }
    pthread_mutex_unlock(&port->lock);
    return n;
}

void slpj_port_set_tx_live(slpj_port *port, int live)
{
    pthread_mutex_lock(&port->lock);
    port->tx_live = live;
    pthread_mutex_unlock(&port->lock);
}

pj_grp_lock_t *slpj_port_set_stream(slpj_port *port, pjmedia_stream *stream,
                                    pj_grp_lock_t *stream_lock)
{
    pj_grp_lock_t *old;
    pjmedia_jb_state state;
    pjmedia_stream_info info;
    pjmedia_port *stream_port = NULL;
    int jb_frame_samples = port->frame_samples;
    int channels = 1;
    if (stream_lock) pj_grp_lock_add_ref(stream_lock);
    if (stream && pjmedia_stream_get_info(stream, &info) == PJ_SUCCESS && info.param &&
        info.param->info.frm_ptime > 0 && info.param->info.frm_ptime < SLPJ_FRAME_PTIME) {
        /* The jitter buffer holds the codec's frames: G.711's are 10 ms. */
        jb_frame_samples = port->frame_samples * info.param->info.frm_ptime / SLPJ_FRAME_PTIME;
    }
    if (stream && pjmedia_stream_get_port(stream, &stream_port) == PJ_SUCCESS) {
        channels = (int)PJMEDIA_PIA_CCNT(&stream_port->info);
        if (channels < 1 || channels > 2 ||
            PJMEDIA_PIA_SRATE(&stream_port->info) != PJMEDIA_PIA_SRATE(&port->base.info) ||
            PJMEDIA_PIA_SPF(&stream_port->info) != (unsigned)(port->frame_samples * channels)) {
            stream_port = NULL; /* not 20 ms frames at the port's rate: nothing is read */
            channels = 1;
        }
    } else {
        stream_port = NULL;
    }
    pthread_mutex_lock(&port->lock);
    old = port->stream_lock;
    port->stream = stream;
    port->stream_port = stream_port;
    port->stream_channels = channels;
    port->stream_lock = stream_lock;
    port->jb_frame_samples = jb_frame_samples;
    /* A new stream numbers its frames afresh: the next audio starts a timeline that goes on
     * from the last (nothing is known missing across the change). */
    port->rx_next_known = 0;
    if (stream && pjmedia_stream_get_stat_jbuf(stream, &state) == PJ_SUCCESS) {
        port->jb_lost = state.lost;
        port->jb_empty = state.empty;
    } else {
        port->jb_lost = port->jb_empty = 0;
    }
    pthread_mutex_unlock(&port->lock);
    return old;
}

int slpj_port_depth(slpj_port *port)
{
    int depth;
    pthread_mutex_lock(&port->lock);
    depth = port->tx_count;
    pthread_mutex_unlock(&port->lock);
    return depth;
}

long long slpj_media_wait(long long last_tick, int timeout_ms)
{
    struct timespec deadline;
    long long now;
    pthread_once(&tick_once, tick_init);
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec += 1;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&tick_lock);
    while (ticks == last_tick) {
        if (pthread_cond_timedwait(&tick_cond, &tick_lock, &deadline) == ETIMEDOUT) break;
    }
    now = ticks;
    pthread_mutex_unlock(&tick_lock);
    return now;
}

void slpj_media_wake_all(void)
{
    tick();
}

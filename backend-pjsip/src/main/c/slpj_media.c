/*
 * A call's audio port on pjsua's conference bridge.
 *
 *   Java pump --push--> tx ring --get_frame (bridge clock, every 20 ms)--> call's stream --> RTP
 *   RTP --> call's stream --put_frame (bridge clock)--> rx ring --pull--> Java pump --> sink
 *
 * The bridge runs at 8 kHz with 20 ms frames (see slpj_start), the same format as the port,
 * so no resampling happens anywhere. Every get_frame bumps a tick counter that wakes the Java
 * pump, so the pump runs on the bridge's clock rather than a second one of its own.
 */
#include "slpj_internal.h"
#include <errno.h>
#include <string.h>
#include <time.h>

/* The Java pump keeps a few frames queued ahead of the bridge; this is the hard ceiling. */
#define TX_FRAMES 8
/* Received audio waits here for the pump; on overflow the oldest frame goes. */
#define RX_FRAMES 25
#define SLPJ_PORT_SIGNATURE PJMEDIA_SIGNATURE('s', 'l', 'p', 'j')

struct slpj_port {
    pjmedia_port base;
    pj_pool_t *pool;
    pthread_mutex_t lock;
    short tx[TX_FRAMES][SLPJ_FRAME_SAMPLES];
    int tx_head, tx_count;
    short rx[RX_FRAMES][SLPJ_FRAME_SAMPLES];
    int rx_head, rx_count;
};

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

static pj_status_t port_get_frame(pjmedia_port *base, pjmedia_frame *frame)
{
    slpj_port *port = (slpj_port *)base;
    pthread_mutex_lock(&port->lock);
    if (port->tx_count > 0) {
        memcpy(frame->buf, port->tx[port->tx_head], sizeof(port->tx[0]));
        port->tx_head = (port->tx_head + 1) % TX_FRAMES;
        --port->tx_count;
    } else {
        /* Nothing queued (the pump is late or the call just started): send silence so the
         * RTP clock keeps running. */
        memset(frame->buf, 0, sizeof(port->tx[0]));
    }
    pthread_mutex_unlock(&port->lock);
    frame->type = PJMEDIA_FRAME_TYPE_AUDIO;
    frame->size = sizeof(port->tx[0]);
    tick();
    return PJ_SUCCESS;
}

static pj_status_t port_put_frame(pjmedia_port *base, pjmedia_frame *frame)
{
    slpj_port *port = (slpj_port *)base;
    int slot;
    pthread_mutex_lock(&port->lock);
    if (port->rx_count == RX_FRAMES) {
        port->rx_head = (port->rx_head + 1) % RX_FRAMES;
        --port->rx_count;
    }
    slot = (port->rx_head + port->rx_count) % RX_FRAMES;
    if (frame->type == PJMEDIA_FRAME_TYPE_AUDIO && frame->size == sizeof(port->rx[0])) {
        memcpy(port->rx[slot], frame->buf, sizeof(port->rx[0]));
    } else {
        /* The bridge hands over "no frame" when nothing was mixed: that is 20 ms of silence. */
        memset(port->rx[slot], 0, sizeof(port->rx[0]));
    }
    ++port->rx_count;
    pthread_mutex_unlock(&port->lock);
    return PJ_SUCCESS;
}

static pj_status_t port_on_destroy(pjmedia_port *base)
{
    slpj_port *port = (slpj_port *)base;
    pthread_mutex_destroy(&port->lock);
    pj_pool_release(port->pool);
    return PJ_SUCCESS;
}

pj_status_t slpj_port_create(slpj_port **out)
{
    pj_pool_t *pool;
    slpj_port *port;
    pj_str_t name = pj_str("sipline");

    pool = pjsua_pool_create("slpj-port", sizeof(slpj_port) + 1024, 1024);
    if (!pool) return PJ_ENOMEM;
    port = PJ_POOL_ZALLOC_T(pool, slpj_port);
    port->pool = pool;
    pthread_mutex_init(&port->lock, NULL);
    pjmedia_port_info_init(&port->base.info, &name, SLPJ_PORT_SIGNATURE, SLPJ_CLOCK_RATE, 1, 16,
                           SLPJ_FRAME_SAMPLES);
    port->base.get_frame = &port_get_frame;
    port->base.put_frame = &port_put_frame;
    port->base.on_destroy = &port_on_destroy;
    *out = port;
    return PJ_SUCCESS;
}

pjmedia_port *slpj_port_base(slpj_port *port) { return &port->base; }

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
        memcpy(port->tx[(port->tx_head + port->tx_count) % TX_FRAMES], pcm, sizeof(port->tx[0]));
        ++port->tx_count;
    }
    depth = port->tx_count;
    pthread_mutex_unlock(&port->lock);
    return depth;
}

int slpj_port_pull(slpj_port *port, short *pcm)
{
    int got = 0;
    pthread_mutex_lock(&port->lock);
    if (port->rx_count > 0) {
        memcpy(pcm, port->rx[port->rx_head], sizeof(port->rx[0]));
        port->rx_head = (port->rx_head + 1) % RX_FRAMES;
        --port->rx_count;
        got = 1;
    }
    pthread_mutex_unlock(&port->lock);
    return got;
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

/* The API Java calls: the call's port is looked up and used under slpj_lock so that it cannot
 * be detached (and freed) in between. */
int slpj_media_push(int call, const short *pcm)
{
    slpj_call *c;
    int depth = -1;
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_by_handle(call);
    if (c && c->port && !c->ended) depth = slpj_port_push(c->port, pcm);
    pthread_mutex_unlock(&slpj_lock);
    return depth;
}

int slpj_media_pull(int call, short *pcm)
{
    slpj_call *c;
    int got = -1;
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_by_handle(call);
    if (c && c->port && !c->ended) got = slpj_port_pull(c->port, pcm);
    pthread_mutex_unlock(&slpj_lock);
    return got;
}

int slpj_media_tx_depth(int call)
{
    slpj_call *c;
    int depth = -1;
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_by_handle(call);
    if (c && c->port && !c->ended) depth = slpj_port_depth(c->port);
    pthread_mutex_unlock(&slpj_lock);
    return depth;
}

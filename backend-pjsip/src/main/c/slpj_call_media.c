/* The media API Java calls per call: the call's port (slpj_media.c) found by handle
 * (slpj_call_slots.c). Above both, so that the port itself knows nothing of calls. */
#include "slpj_internal.h"

/* The API Java calls: the call's port is looked up and used under slpj_lock so that it cannot
 * be detached (and freed) in between. */
int slpj_call_audio_rate(int call)
{
    slpj_call *c;
    int rate = -1;
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_by_handle(call);
    if (c && !c->ended) rate = slpj_call_rate(c);
    pthread_mutex_unlock(&slpj_lock);
    return rate;
}

int slpj_media_push(int call, const short *pcm, int samples)
{
    slpj_call *c;
    int depth = -1;
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_by_handle(call);
    if (c && c->port && !c->ended && samples == slpj_port_frame_samples(c->port)) {
        depth = slpj_port_push(c->port, pcm);
    }
    pthread_mutex_unlock(&slpj_lock);
    return depth;
}

int slpj_media_pull(int call, short *pcm, int samples, int *missing)
{
    slpj_call *c;
    int got = -1;
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_by_handle(call);
    if (c && c->port && !c->ended && samples == slpj_port_frame_samples(c->port)) {
        got = slpj_port_pull(c->port, pcm, missing);
    }
    pthread_mutex_unlock(&slpj_lock);
    return got;
}

int slpj_media_tx_log(int call, int *entries, int max)
{
    slpj_call *c;
    int n = -1;
    pthread_mutex_lock(&slpj_lock);
    c = slpj_call_by_handle(call);
    if (c && c->port && !c->ended) n = slpj_port_tx_log(c->port, entries, max);
    pthread_mutex_unlock(&slpj_lock);
    return n;
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

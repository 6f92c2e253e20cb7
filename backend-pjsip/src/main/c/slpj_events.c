/*
 * The event queue between pjsua's threads and the one Java thread that drains it. pjsua's
 * callbacks only append here; Java code never runs on a pjsua thread.
 */
#include "slpj_internal.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A runaway producer with a stalled consumer must not eat the heap: past this, events drop. */
#define SLPJ_MAX_QUEUED 8192

typedef struct slpj_event {
    struct slpj_event *next;
    int type, acc, call, code;
    int text_len;
    char text[];
} slpj_event;

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_cond;
static pthread_once_t queue_once = PTHREAD_ONCE_INIT;
static slpj_event *head, *tail;
static int queued;
static unsigned long dropped;

static void queue_init(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    /* Timed waits measured on the monotonic clock: a wall-clock step must not stretch them. */
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&queue_cond, &attr);
    pthread_condattr_destroy(&attr);
}

void slpj_event_post(int type, int acc, int call, int code, const char *text, int text_len)
{
    slpj_event *ev;
    if (text_len < 0 || !text) text_len = 0;
    pthread_once(&queue_once, queue_init);
    ev = malloc(sizeof(slpj_event) + (size_t)text_len + 1);
    if (!ev) return;
    ev->next = NULL;
    ev->type = type;
    ev->acc = acc;
    ev->call = call;
    ev->code = code;
    ev->text_len = text_len;
    if (text_len) memcpy(ev->text, text, (size_t)text_len);
    ev->text[text_len] = '\0';

    pthread_mutex_lock(&queue_lock);
    if (queued >= SLPJ_MAX_QUEUED && type != SLPJ_EV_CLOSED) {
        ++dropped;
        pthread_mutex_unlock(&queue_lock);
        free(ev);
        return;
    }
    if (tail) tail->next = ev; else head = ev;
    tail = ev;
    ++queued;
    pthread_cond_signal(&queue_cond);
    pthread_mutex_unlock(&queue_lock);
}

void slpj_event_post_str(int type, int acc, int call, int code, const char *text)
{
    slpj_event_post(type, acc, call, code, text, text ? (int)strlen(text) : 0);
}

int slpj_event_next(int timeout_ms, int *ints, char *text, int text_len)
{
    struct timespec deadline;
    slpj_event *ev;
    int n;

    pthread_once(&queue_once, queue_init);
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec += 1;
        deadline.tv_nsec -= 1000000000L;
    }

    pthread_mutex_lock(&queue_lock);
    while (!head) {
        if (pthread_cond_timedwait(&queue_cond, &queue_lock, &deadline) == ETIMEDOUT) break;
    }
    ev = head;
    if (ev) {
        head = ev->next;
        if (!head) tail = NULL;
        --queued;
    }
    pthread_mutex_unlock(&queue_lock);
    if (!ev) return 0;

    ints[0] = ev->type;
    ints[1] = ev->acc;
    ints[2] = ev->call;
    ints[3] = ev->code;
    /* Text longer than Java's buffer is cut; SIP messages here are far below its 64 KiB. */
    n = ev->text_len < text_len ? ev->text_len : text_len;
    if (n > 0) memcpy(text, ev->text, (size_t)n);
    ints[4] = n;
    free(ev);
    return 1;
}

void slpj_events_reset(void)
{
    slpj_event *ev;
    pthread_once(&queue_once, queue_init);
    pthread_mutex_lock(&queue_lock);
    while ((ev = head) != NULL) {
        head = ev->next;
        free(ev);
    }
    tail = NULL;
    queued = 0;
    pthread_mutex_unlock(&queue_lock);
}

void slpj_events_wake_all(void)
{
    pthread_once(&queue_once, queue_init);
    pthread_mutex_lock(&queue_lock);
    pthread_cond_broadcast(&queue_cond);
    pthread_mutex_unlock(&queue_lock);
}

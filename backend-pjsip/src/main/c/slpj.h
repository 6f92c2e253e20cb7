/*
 * sipline's flat C API over pjsua (the "shim").
 *
 * Why it exists: pjsua's config structs change size and layout between releases while the
 * library keeps its .so.2 name, so Java must never map them. Only ints, C strings and
 * short/char arrays cross this API; everything layout-dependent is compiled here against the
 * installed headers.
 *
 * Threads: every entry point registers the calling thread with pjlib first. No function here
 * calls into Java: pjsua's callbacks put events on a queue that one Java thread drains with
 * slpj_event_next(), and audio crosses through per-call ring buffers that one Java thread fills
 * and drains, woken by slpj_media_wait().
 *
 * Handles: accounts and calls are named by int handles ((generation << 12) | slot), never by
 * pjsua ids, so an event that outlives its call can never be mistaken for a newer call's.
 * Functions returning int return >= 0 on success and -1 on failure with a message in err.
 */
#ifndef SLPJ_H
#define SLPJ_H

/* Only this API is exported; everything else in the shim is built hidden. */
#define SLPJ_API __attribute__((visibility("default")))

/* Event types delivered by slpj_event_next(); the Java side mirrors these numbers. */
enum slpj_event_type {
    SLPJ_EV_REGISTERED = 1,        /* acc, code = granted expiry seconds */
    SLPJ_EV_REG_FAILED = 2,        /* acc, code, text = reason */
    SLPJ_EV_UNREGISTERED = 3,      /* acc */
    SLPJ_EV_INCOMING_CALL = 4,     /* acc, call, text = Call-ID \0 From URI \0 display \0 headers */
    SLPJ_EV_CALL_RINGING = 5,      /* call, code, text = reason */
    SLPJ_EV_CALL_CONNECTED = 6,    /* call */
    SLPJ_EV_CALL_FAILED = 7,       /* call, code (0 = no response), text = reason */
    SLPJ_EV_CALL_ENDED = 8,        /* call, code = enum slpj_call_end, text = description */
    SLPJ_EV_XFER_ACCEPTED = 9,     /* call */
    SLPJ_EV_XFER_SUCCEEDED = 10,   /* call */
    SLPJ_EV_XFER_FAILED = 11,      /* call, code (0 = no response), text = reason */
    SLPJ_EV_CLOSED = 12,           /* posted last by slpj_post_closed() */
    SLPJ_EV_DTMF = 13,             /* call, code = digit (ASCII), text = method (0 RFC 4733,
                                      1 SIP INFO) \0 timestamp ms \0 duration ms \0 flags, as
                                      pjsua's on_dtmf_event gave them (unsigned decimals) */
    SLPJ_EV_DTMF_INFO_DONE = 14,   /* call, code = token of slpj_call_send_dtmf, text = status
                                      (0 = no response) \0 reason */
    SLPJ_EV_CALL_HOLD = 15,        /* call, code = 1 held by the far end (we send no RTP), 0
                                      taken back; text = description (request, direction) */
    SLPJ_EV_DIALOG = 16,           /* call: what slpj_call_dialog returns changed */
    SLPJ_EV_ORPHAN_DONE = 17       /* call = token of slpj_orphan_bye/_unregister, code = final
                                      status (0 = no response), text = reason */
};

/* Why an established call ended; mirrors org.sipline.core.spi.CallEnd's order. */
enum slpj_call_end {
    SLPJ_END_LOCAL_BYE = 0,
    SLPJ_END_LOCAL_TERMINATE = 1,
    SLPJ_END_REMOTE_BYE = 2,
    SLPJ_END_TRANSFERRED = 3,
    SLPJ_END_MEDIA_TIMEOUT = 4,
    SLPJ_END_ERROR = 5
};

/* Version strings: the pjproject the shim was compiled against, and the one loaded now. */
SLPJ_API const char *slpj_compiled_version(void);
SLPJ_API const char *slpj_runtime_version(void);

/*
 * SIP over TLS: the PEM file of CAs a peer's certificate must chain to ("" or NULL: none given,
 * pjsip/OpenSSL's defaults), and our own certificate and its private key (PEM files, "" or NULL:
 * none; the listener then presents no certificate and peers cannot connect to it). Call before
 * slpj_start with transport 2.
 */
SLPJ_API int slpj_tls_config(const char *ca_file, const char *cert_file, const char *key_file);
/*
 * Why the last TLS handshake whose certificate was refused was refused ("TLS handshake with
 * host:port failed: certificate of CN=x expired on ..."), copied into out (NUL-terminated) and
 * forgotten. Returns its length, 0 when none is recorded.
 */
SLPJ_API int slpj_tls_failure(char *out, int out_len);

/*
 * SRTP for calls (SDES keys only): 0 off, 1 offer (pjsua's optional SRTP), 2 require. Call before
 * slpj_start; a plain offer under require, or an RTP/SAVP-only one under off, gets 488 with
 * Warning 302. Returns 0, or -1 with err set.
 */
SLPJ_API int slpj_srtp_config(int mode, char *err, int err_len);
/* 1 when the pjproject loaded has its SRTP transport (built with libsrtp), else 0; modes other
 * than off are refused without it. */
SLPJ_API int slpj_srtp_available(void);

/*
 * The audio codecs (the backend option codecs): names from opus, g722, pcmu, pcma, comma-separated,
 * most preferred first. Call before slpj_start; a name this pjproject lacks is refused, saying so.
 * Returns 0, or -1 with err set. Without a call: pcmu,pcma.
 */
SLPJ_API int slpj_codecs_config(const char *list, char *err, int err_len);
/* 1 when the pjproject loaded has the codec (opus, g722, pcmu, pcma) built in, else 0. */
SLPJ_API int slpj_codec_available(const char *name);

/*
 * Creates, configures and starts pjsua. transport: 0 UDP, 1 TCP, 2 TLS (slpj_tls_config first).
 * rtp_port_min/max 0/0 = any free port. Timeouts in ms. session_expires_s: the RFC 4028 interval
 * asked for (0: none; pjsip raises anything below 90 to 90). log_file may be NULL (no pjsip log).
 * Returns the bound SIP port.
 */
SLPJ_API int slpj_start(const char *bind_addr, int sip_port, int transport, const char *public_addr,
               int rtp_port_min, int rtp_port_max, int register_timeout_ms,
               int transaction_timeout_ms, int transfer_timeout_ms, int session_expires_s,
               const char *user_agent, const char *log_file, int log_level, char *err,
               int err_len);

/* Hangs up every call (their terminal events are queued), then posts SLPJ_EV_CLOSED. */
SLPJ_API void slpj_post_closed(void);
/* Destroys pjsua; its un-REGISTERs are bounded per account (pjsua_acc_config.unreg_timeout).
 * Call after the event drainer and the media pump stopped. */
SLPJ_API void slpj_destroy(void);

/*
 * Waits up to timeout_ms for an event. Returns 1 and fills ints[0..2] = type, acc handle,
 * call handle, ints[3] = code and text (text_len bytes, NUL-separated fields, total length in
 * ints[4]); 0 on timeout.
 */
SLPJ_API int slpj_event_next(int timeout_ms, int *ints, char *text, int text_len);

/*
 * Who may send a line out-of-dialog INVITEs: count IP addresses (IPv4 or IPv6 literals, no
 * port), or anyone when anyone != 0. Everyone else gets 403 (INVITE), 603 (REFER) or 405
 * (MESSAGE) statelessly before pjsua sees the request; out-of-dialog REFER and MESSAGE are
 * refused from trusted sources too, through a transaction. Replaces the previous set; until the
 * first call nobody is trusted. Returns 0, or -1 with err set (the old set stays).
 */
SLPJ_API int slpj_set_trusted(const char **addrs, int count, int anyone, char *err, int err_len);
/*
 * The name servers pjsua's resolver asks (IP literals, ports 1..65535; at most four), for the
 * next slpj_start; count 0: none, pjsip then resolves through the system. Returns 0, or -1 with
 * err set.
 */
SLPJ_API int slpj_set_nameservers(const char **hosts, const int *ports, int count, char *err,
                                  int err_len);
/* How an out-of-dialog OPTIONS to the process is answered from now on: code (200, 486, 503...)
 * and reason, through a transaction with Allow and Accept; code 0 leaves it to pjsua (200).
 * Returns 0, or -1 with err set. */
SLPJ_API int slpj_set_options_answer(int code, const char *reason, char *err, int err_len);
/* Out-of-dialog INVITE/REFER/MESSAGE requests from strangers refused so far. */
SLPJ_API long long slpj_strangers_refused(void);

/* Accounts. proxy may be NULL. Returns the account handle; registration starts at once. */
SLPJ_API int slpj_account_add(const char *aor, const char *registrar, const char *auth_user,
                     const char *password, const char *proxy, int expires_seconds,
                     const char *instance, char *err, int err_len);
SLPJ_API int slpj_account_unregister(int acc, char *err, int err_len);
/* Sends the account's REGISTER again now (a failed refresh's retry, which pjsua does not make:
 * reg_retry_interval is 0). Returns 1 when sent, 0 when one is in flight already, -1 on error. */
SLPJ_API int slpj_account_register(int acc, char *err, int err_len);
SLPJ_API int slpj_account_delete(int acc);

/* Calls. Extra headers as parallel name/value arrays. Writes the Call-ID to call_id_out. */
SLPJ_API int slpj_call_make(int acc, const char *target, const char **names, const char **values,
                   int header_count, char *call_id_out, int call_id_len, char *err, int err_len);
SLPJ_API int slpj_call_answer(int call, char *err, int err_len);
SLPJ_API int slpj_call_reject(int call, int code, const char *reason, char *err, int err_len);
SLPJ_API int slpj_call_hangup(int call, char *err, int err_len);
SLPJ_API int slpj_call_terminate(int call, char *err, int err_len);
SLPJ_API int slpj_call_end_media_timeout(int call, char *err, int err_len);
SLPJ_API int slpj_call_transfer(int call, const char *target, const char **names, const char **values,
                       int header_count, char *err, int err_len);
/*
 * The call's RTP figures so far, summed over the audio streams it ran (a re-INVITE may replace
 * the stream): out[i] for each index below; -1 fields are not known yet. Returns
 * SLPJ_STAT_FIELDS, or -1 for an unknown handle (the call's slot is freed once it ended: its
 * terminal event carries the final figures as text fields 1.. after the description) or n too
 * small. From pjmedia's stream statistics, as pjsua_call_get_stream_stat() gives them.
 */
enum slpj_stat_field {
    SLPJ_STAT_TX_PACKETS = 0,   /* RTP packets sent */
    SLPJ_STAT_TX_OCTETS = 1,    /* their payload octets */
    SLPJ_STAT_RX_PACKETS = 2,   /* RTP packets received */
    SLPJ_STAT_RX_OCTETS = 3,    /* their payload octets */
    SLPJ_STAT_RX_LOST = 4,      /* packets of the received stream lost */
    SLPJ_STAT_RX_DUP = 5,       /* duplicates received */
    SLPJ_STAT_RX_JITTER_US = 6, /* our interarrival jitter at our latest RTCP report, us, or -1 */
    SLPJ_STAT_FAR_REPORTS = 7,  /* far end's RTCP report blocks about our stream */
    SLPJ_STAT_TX_LOST = 8,      /* cumulative lost of our stream, as the far end reported it */
    SLPJ_STAT_TX_JITTER_US = 9, /* the far end's jitter of our stream, us, or -1 */
    SLPJ_STAT_RTT_US = 10,      /* latest round trip from LSR/DLSR, us, or -1 */
    SLPJ_STAT_STREAMS = 11,     /* audio streams that ran (0: no media) */
    SLPJ_STAT_FIELDS = 12
};
SLPJ_API int slpj_call_rtp_stat(int call, long long *out, int n);
/*
 * The confirmed dialog of a call as a later process needs it to end the call (core's
 * DialogRecord), NUL-separated: Call-ID, incoming (0/1), local URI, local tag, remote URI, remote
 * tag, remote target, next CSeq, transport (0 UDP, 1 TCP, 2 TLS), first hop's host, its port,
 * then each route's URI. Returns the length, or -1 (no confirmed dialog, unknown handle, out_len
 * too small). Changes are announced by SLPJ_EV_DIALOG.
 */
SLPJ_API int slpj_call_dialog(int call, char *out, int out_len);
/*
 * Ends a dialog a previous process left: a BYE with the record's Call-ID, tags, URIs, CSeq and
 * routes. Its final response comes as SLPJ_EV_ORPHAN_DONE with call = token. Returns 0, or -1.
 */
SLPJ_API int slpj_orphan_bye(const char *call_id, const char *local_uri, const char *local_tag,
                             const char *remote_uri, const char *remote_tag, const char *target,
                             const char **routes, int route_count, int cseq, int token,
                             char *err, int err_len);
/*
 * Removes a binding a previous process left: REGISTER to the AOR's domain (through proxy, a Route
 * header value such as "<sip:proxy;lr>", or "" / NULL) with contact and Expires: 0, answering a challenge with auth_user/password when
 * auth_user is not empty. Outcome as SLPJ_EV_ORPHAN_DONE with call = token. Returns 0, or -1.
 */
SLPJ_API int slpj_orphan_unregister(const char *aor, const char *contact, const char *proxy,
                                    const char *auth_user, const char *password, int token,
                                    char *err, int err_len);
/* The Contact URI of the account's last REGISTER into out; its length, or -1 when none. */
SLPJ_API int slpj_account_contact(int acc, char *out, int out_len);

/* RTP packets received so far by the call's audio stream, -1 when it has none. */
SLPJ_API long long slpj_call_rx_packets(int call);

/*
 * DTMF out: one digit (0-9 * # A-D) held duration_ms. RFC 4733 in the call's RTP stream when the
 * far end negotiated telephone-event (pjmedia queues it; slpj_call_dtmf_queued tells when it is
 * done), otherwise a SIP INFO (application/dtmf-relay) whose answer arrives as
 * SLPJ_EV_DTMF_INFO_DONE with code = token. Returns 0 (RFC 4733 queued), 1 (INFO sent) or -1.
 */
SLPJ_API int slpj_call_send_dtmf(int call, int digit, int duration_ms, int token, char *err,
                                 int err_len);
/* RFC 4733 digits still queued or being sent in the call's stream; -1 when it has no stream,
 * -2 when this pjsua cannot tell (before 2.16). */
SLPJ_API int slpj_call_dtmf_queued(int call);
/* The running audio stream's encoding name ("PCMU", "PCMA") into out; 0, or -1 (out = "") when
 * no audio stream runs. */
SLPJ_API int slpj_call_codec(int call, char *out, int out_len);

/* The call's audio rate (8000 or 16000: its port's, from the codec its first stream ran), or 0
 * before its first stream, -1 for no such call. It does not change for the rest of the call. */
SLPJ_API int slpj_call_audio_rate(int call);

/*
 * Audio. Frames are 20 ms at the call's audio rate (slpj_call_audio_rate): 160 or 320 samples,
 * and samples must say so (-1 otherwise). push returns the transmit queue depth
 * after the push. pull returns 1 when a received frame was copied into pcm, 2 when the next
 * *missing samples of the caller's stream were lost, concealed or dropped by pjmedia (pcm
 * untouched), 0 when nothing is waiting. tx_log hands over, oldest first, what became of the pushed frames
 * since its last call: an entry >= 0 is one frame the bridge took (1: into a stream that sends,
 * 0: into a stream that does not, e.g. on hold), an entry < 0 is that many (negated) ticks the
 * bridge served with silence because nothing was queued; it returns the number of entries.
 * All four return -1 when the call has no audio port (not yet or no longer). media_wait blocks
 * until the conference bridge took a frame from any call (or timeout) and returns the tick
 * counter.
 */
SLPJ_API int slpj_media_push(int call, const short *pcm, int samples);
SLPJ_API int slpj_media_pull(int call, short *pcm, int samples, int *missing);
SLPJ_API int slpj_media_tx_depth(int call);
SLPJ_API int slpj_media_tx_log(int call, int *entries, int max);
SLPJ_API long long slpj_media_wait(long long last_tick, int timeout_ms);

/*
 * Real-time scheduling of the media path (the backend option media.realtime, as on jainsip).
 * thread_realtime puts the calling thread under SCHED_FIFO at priority (1..99) and returns 0 or
 * the errno of the refusal (EPERM without CAP_SYS_NICE or an RLIMIT_RTPRIO that allows it).
 * media_realtime sets the priority pjmedia's clock thread asks for at its next tick through a
 * call's port (0: none); media_clock_realtime returns the outcome once it asked: 0 granted, an
 * errno, or -1 when it has not asked yet.
 */
SLPJ_API int slpj_thread_realtime(int priority);
SLPJ_API void slpj_media_realtime(int priority);
SLPJ_API int slpj_media_clock_realtime(void);

#endif

package org.sipline.backend.pjsip;

import com.sun.jna.Library;

/**
 * The shim's flat C API (src/main/c/slpj.h), one method per exported function. Only ints, longs,
 * strings and primitive arrays cross: pjsua's structs change layout between releases, so they never
 * appear here. Error texts come back in caller-supplied byte buffers.
 */
interface Shim extends Library {
  String slpj_compiled_version();

  String slpj_runtime_version();

  int slpj_start(
      String bindAddress,
      int sipPort,
      int transport,
      String publicAddress,
      int rtpPortMin,
      int rtpPortMax,
      int registerTimeoutMs,
      int transactionTimeoutMs,
      int transferTimeoutMs,
      int sessionExpiresSeconds,
      String userAgent,
      String logFile,
      int logLevel,
      byte[] err,
      int errLen);

  int slpj_set_nameservers(String[] hosts, int[] ports, int count, byte[] err, int errLen);

  int slpj_tls_config(String caFile, String certFile, String keyFile);

  int slpj_call_dialog(int call, byte[] out, int outLen);

  int slpj_orphan_bye(
      String callId,
      String localUri,
      String localTag,
      String remoteUri,
      String remoteTag,
      String target,
      String[] routes,
      int routeCount,
      int cseq,
      int token,
      byte[] err,
      int errLen);

  int slpj_orphan_unregister(
      String aor,
      String contact,
      String proxy,
      String authUser,
      String password,
      int token,
      byte[] err,
      int errLen);

  int slpj_account_contact(int acc, byte[] out, int outLen);

  int slpj_srtp_config(int mode, byte[] err, int errLen);

  int slpj_srtp_available();

  int slpj_codecs_config(String list, byte[] err, int errLen);

  int slpj_codec_available(String name);

  int slpj_call_audio_rate(int call);

  int slpj_tls_failure(byte[] out, int outLen);

  void slpj_post_closed();

  void slpj_destroy();

  int slpj_event_next(int timeoutMs, int[] ints, byte[] text, int textLen);

  int slpj_set_trusted(String[] addrs, int count, int anyone, byte[] err, int errLen);

  long slpj_strangers_refused();

  int slpj_set_options_answer(int code, String reason, byte[] err, int errLen);

  int slpj_account_add(
      String aor,
      String registrar,
      String authUser,
      String password,
      String proxy,
      int expiresSeconds,
      String instance,
      byte[] err,
      int errLen);

  int slpj_account_unregister(int acc, byte[] err, int errLen);

  int slpj_account_register(int acc, byte[] err, int errLen);

  int slpj_account_delete(int acc);

  int slpj_call_make(
      int acc,
      String target,
      String[] names,
      String[] values,
      int headerCount,
      byte[] callIdOut,
      int callIdLen,
      byte[] err,
      int errLen);

  int slpj_call_answer(int call, byte[] err, int errLen);

  int slpj_call_reject(int call, int code, String reason, byte[] err, int errLen);

  int slpj_call_hangup(int call, byte[] err, int errLen);

  int slpj_call_terminate(int call, byte[] err, int errLen);

  int slpj_call_end_media_timeout(int call, byte[] err, int errLen);

  int slpj_call_transfer(
      int call,
      String target,
      String[] names,
      String[] values,
      int headerCount,
      byte[] err,
      int errLen);

  long slpj_call_rx_packets(int call);

  int slpj_call_rtp_stat(int call, long[] out, int n);

  int slpj_media_push(int call, short[] pcm, int samples);

  int slpj_call_send_dtmf(int call, int digit, int durationMs, int token, byte[] err, int errLen);

  int slpj_call_dtmf_queued(int call);

  int slpj_call_codec(int call, byte[] out, int outLen);

  int slpj_media_pull(int call, short[] pcm, int samples, int[] missing);

  int slpj_media_tx_depth(int call);

  int slpj_media_tx_log(int call, int[] entries, int max);

  long slpj_media_wait(long lastTick, int timeoutMs);

  int slpj_thread_realtime(int priority);

  void slpj_media_realtime(int priority);

  int slpj_media_clock_realtime();
}

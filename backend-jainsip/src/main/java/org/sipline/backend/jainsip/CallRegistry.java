package org.sipline.backend.jainsip;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every call of the backend by its dialog: Call-ID and our tag. The Call-ID alone is not enough:
 * when one line calls another of the same backend through a proxy, both legs share it. Incoming
 * calls are found by the caller's tag too, for the CANCEL (which carries no tag of ours) and for a
 * second copy of an INVITE.
 */
final class CallRegistry {
  private final Map<String, JainSipCall> byLocalTag = new ConcurrentHashMap<>();
  private final Map<String, IncomingSipCall> byRemoteTag = new ConcurrentHashMap<>();

  void add(JainSipCall call) {
    byLocalTag.put(key(call.callId(), call.localTag()), call);
    if (call instanceof IncomingSipCall in) {
      byRemoteTag.put(key(in.callId(), in.remoteTag()), in);
    }
  }

  void remove(JainSipCall call) {
    byLocalTag.remove(key(call.callId(), call.localTag()), call);
    if (call instanceof IncomingSipCall in) {
      byRemoteTag.remove(key(in.callId(), in.remoteTag()), in);
    }
  }

  /** The call whose dialog has {@code callId} and our tag {@code localTag}, or null. */
  JainSipCall find(String callId, String localTag) {
    return localTag == null ? null : byLocalTag.get(key(callId, localTag));
  }

  /** The incoming call whose caller used {@code callId} and tag {@code remoteTag}, or null. */
  IncomingSipCall findIncoming(String callId, String remoteTag) {
    return remoteTag == null ? null : byRemoteTag.get(key(callId, remoteTag));
  }

  List<JainSipCall> all() {
    return List.copyOf(byLocalTag.values());
  }

  private static String key(String callId, String tag) {
    return callId + '\n' + tag;
  }
}

package org.sipline.testing.peers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An event baresip pushed over ctrl_tcp, e.g. {@code
 * {"event":true,"class":"call","type":"CALL_ESTABLISHED","accountaor":"sip:bob@…",
 * "direction":"incoming","peeruri":"sip:alice@…","id":"566b759f58ed89cb","param":"…"}}. Absent
 * members are null.
 *
 * <p>baresip 1.0.0's types: REGISTERING, REGISTER_OK, REGISTER_FAIL, UNREGISTERING, CALL_INCOMING
 * (only when it does not answer by itself), CALL_RINGING, CALL_PROGRESS, CALL_ESTABLISHED,
 * CALL_CLOSED, TRANSFER (a REFER arrived; param is the target, which it then calls),
 * TRANSFER_FAILED, CALL_DTMF_START, CALL_DTMF_END, CALL_LOCAL_SDP, CALL_REMOTE_SDP, CALL_RTPESTAB,
 * CALL_RTCP, AUDIO_ERROR ("end of file" when the audio source has played; it then hangs up),
 * SHUTDOWN, EXIT.
 *
 * @param type the event type, e.g. "CALL_CLOSED"
 * @param eventClass baresip's class: "register", "call", "other", …
 * @param accountAor the account the event concerns
 * @param direction "incoming" or "outgoing" for call events
 * @param peerUri the far end of the call
 * @param id baresip's id of the call
 * @param param event details, e.g. the reason a call closed
 * @param fields every member as received
 */
public record BaresipEvent(
    String type,
    String eventClass,
    String accountAor,
    String direction,
    String peerUri,
    String id,
    String param,
    Map<String, Object> fields) {

  public BaresipEvent {
    Objects.requireNonNull(type, "type");
    fields = Map.copyOf(fields);
  }

  /** Builds the event from a decoded ctrl_tcp message; it must have a string "type". */
  static BaresipEvent of(Map<String, Object> json) {
    if (!(json.get("type") instanceof String type)) {
      throw new IllegalArgumentException("baresip event without a string \"type\": " + json);
    }
    // Map.copyOf refuses null values: JSON nulls are dropped from fields.
    Map<String, Object> fields = new LinkedHashMap<>(json);
    fields.values().removeIf(Objects::isNull);
    return new BaresipEvent(
        type,
        text(json, "class"),
        text(json, "accountaor"),
        text(json, "direction"),
        text(json, "peeruri"),
        text(json, "id"),
        text(json, "param"),
        fields);
  }

  /** True when this event is of {@code type}. */
  public boolean is(String type) {
    return this.type.equals(type);
  }

  private static String text(Map<String, Object> json, String key) {
    return json.get(key) instanceof String s ? s : null;
  }
}

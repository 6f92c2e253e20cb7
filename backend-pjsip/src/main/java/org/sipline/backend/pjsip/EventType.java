package org.sipline.backend.pjsip;

/** The shim's event types (enum slpj_event_type in slpj.h), by their native numbers. */
enum EventType {
  REGISTERED(1),
  REGISTRATION_FAILED(2),
  UNREGISTERED(3),
  INCOMING_CALL(4),
  CALL_RINGING(5),
  CALL_CONNECTED(6),
  CALL_FAILED(7),
  CALL_ENDED(8),
  TRANSFER_ACCEPTED(9),
  TRANSFER_SUCCEEDED(10),
  TRANSFER_FAILED(11),
  CLOSED(12),
  DTMF(13),
  DTMF_INFO_DONE(14),
  CALL_HOLD(15),
  DIALOG(16),
  ORPHAN_DONE(17);

  private final int code;

  EventType(int code) {
    this.code = code;
  }

  static EventType of(int code) {
    for (EventType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown shim event type " + code + " (shim and Java" + " side out of step?)");
  }
}

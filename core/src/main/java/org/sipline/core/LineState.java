package org.sipline.core;

/**
 * Where the line stands: the one type of its states (SPEC §2), session and call alike. The line's
 * actor changes it only through {@link #next}; {@link #after} is the whole transition table, so a
 * command the state forbids is refused in one place and the refusal can name the state in words.
 *
 * <p>Registration is not a line state: accounts register and refresh independently of the session
 * and the call (see {@link Registrations}). Mute is not either: it is a property of the call's
 * audio that every call state keeps.
 */
enum LineState {
  NO_SESSION("without an active session"),
  READY("ready for calls"),
  /** INVITE sent, no final answer yet. */
  DIALING("in an outgoing call not answered yet"),
  /** An incoming INVITE rings until the auto-answer interval passes. */
  RINGING("in an incoming call still ringing"),
  /** 200 OK sent for an incoming call, waiting for the ACK. */
  ANSWERING("in an incoming call being answered"),
  CONNECTED("in a connected call"),
  /** REFER sent, waiting for the transfer's outcome; the call is still up. */
  TRANSFERRING("in a call being transferred"),
  /** We asked the backend to end the call (CANCEL, reject or BYE) and wait for it. */
  HANGING_UP("in a call being hung up"),
  /** SipEndSession during a call: the call is being hung up, the un-REGISTER follows. */
  ENDING_SESSION_IN_CALL("ending its session, hanging up its call"),
  /** SipEndSession: the un-REGISTER is on its way; no calls in or out meanwhile. */
  ENDING_SESSION("ending its session (un-REGISTER sent)"),
  /** Terminal: the line takes nothing more. */
  CLOSED("closed");

  private final String words;

  LineState(String words) {
    this.words = words;
  }

  /** The state as a user reads it: "the line is …". */
  String words() {
    return words;
  }

  /**
   * The transition table: the state {@code event} leads to from here, or null when this state
   * refuses it. A state that takes an event without changing (a second hangup joining the first,
   * SipPlayWavFiles during a call) leads to itself.
   */
  LineState after(LineEvent event) {
    return switch (this) {
      case NO_SESSION ->
          switch (event) {
            case START_SESSION -> READY;
            case CLOSE -> CLOSED;
            default -> null;
          };
      case READY ->
          switch (event) {
            case START_SESSION -> READY; // another registered account becomes the session
            case END_SESSION -> ENDING_SESSION;
            case DIAL -> DIALING;
            case INCOMING_CALL -> RINGING;
            case CLOSE -> CLOSED;
            default -> null;
          };
      case DIALING -> event == LineEvent.CALL_CONNECTED ? CONNECTED : inAnyCall(event);
      case RINGING -> event == LineEvent.AUTO_ANSWER ? ANSWERING : inAnyCall(event);
      case ANSWERING -> event == LineEvent.CALL_CONNECTED ? CONNECTED : inAnyCall(event);
      case CONNECTED ->
          switch (event) {
            case TRANSFER -> TRANSFERRING;
            case PLAY -> CONNECTED;
            default -> inAnyCall(event);
          };
      case TRANSFERRING ->
          switch (event) {
            case TRANSFER_FAILED -> CONNECTED;
            case PLAY -> TRANSFERRING;
            default -> inAnyCall(event);
          };
      case HANGING_UP -> inAnyCall(event);
      case ENDING_SESSION_IN_CALL ->
          switch (event) {
            case END_SESSION, HANGUP -> ENDING_SESSION_IN_CALL; // they join the hangup
            case CALL_ENDED -> ENDING_SESSION;
            case CLOSE -> CLOSED;
            default -> null;
          };
      case ENDING_SESSION ->
          switch (event) {
            case END_SESSION -> ENDING_SESSION; // joins the un-REGISTER under way
            case SESSION_ENDED -> NO_SESSION;
            case CLOSE -> CLOSED;
            default -> null;
          };
      case CLOSED -> event == LineEvent.CLOSE ? CLOSED : null;
    };
  }

  /** What every state with a call takes, besides its own. */
  private static LineState inAnyCall(LineEvent event) {
    return switch (event) {
      case END_SESSION -> ENDING_SESSION_IN_CALL;
      case HANGUP -> HANGING_UP; // from HANGING_UP: joins the hangup under way
      case CALL_ENDED -> READY;
      case CLOSE -> CLOSED;
      default -> null;
    };
  }

  /**
   * The state {@code event} leads to. For changes the line makes only when {@link #after} allows
   * them, so a refusal here is a bug in the line, never a user's mistake: the exception says so,
   * naming the state.
   */
  LineState next(LineEvent event) {
    LineState next = after(event);
    if (next == null) {
      throw new IllegalStateException(
          event.words() + " cannot happen while the line is " + words + " (" + name() + ")");
    }
    return next;
  }

  /** An account is the active session (possibly ending). */
  boolean hasSession() {
    return this != NO_SESSION && this != CLOSED;
  }

  /** The line has a call: ringing, connecting, up or being hung up. */
  boolean hasCall() {
    return switch (this) {
      case DIALING,
          RINGING,
          ANSWERING,
          CONNECTED,
          TRANSFERRING,
          HANGING_UP,
          ENDING_SESSION_IN_CALL ->
          true;
      default -> false;
    };
  }

  /** The call is up (media flows), whether or not a transfer is under way. */
  boolean isUp() {
    return this == CONNECTED || this == TRANSFERRING;
  }

  /** A soft hangup of the call is under way. */
  boolean isHangingUp() {
    return this == HANGING_UP || this == ENDING_SESSION_IN_CALL;
  }

  /** SipEndSession is under way: no new calls in or out. */
  boolean isEnding() {
    return this == ENDING_SESSION_IN_CALL || this == ENDING_SESSION;
  }
}

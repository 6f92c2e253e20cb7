package org.sipline.core.spi;

/**
 * A DTMF digit received on a call. A digit is reported twice: once when it starts ({@code end}
 * false, on the first packet of the event) and once when it ends ({@code end} true, with how long
 * it was held). A SIP INFO digit arrives whole, so both are reported at once. The retransmitted end
 * packets of RFC 4733 never make a second digit.
 *
 * @param digit one of {@code 0-9 * # A-D}
 * @param end false for the start of the digit, true for its end
 * @param durationMillis the end's duration; 0 for a start
 * @param source how it arrived
 */
public record DtmfEvent(char digit, boolean end, int durationMillis, DtmfMethod source) {
  /** The sixteen digits RFC 4733 events 0-15 stand for, in event-code order. */
  /** The digits DTMF carries, in RFC 4733's event order. */
  public static final String DIGITS = "0123456789*#ABCD";

  /**
   * Checks the digit against {@link #DIGITS}, that the duration is not negative and a source is
   * given.
   *
   * @param digit one of {@code 0-9 * # A-D}
   * @param end false for the start of the digit, true for its end
   * @param durationMillis the end's duration; 0 for a start
   * @param source how it arrived
   */
  public DtmfEvent {
    if (DIGITS.indexOf(digit) < 0) {
      throw new IllegalArgumentException("not a DTMF digit: '" + digit + "'");
    }
    if (durationMillis < 0) {
      throw new IllegalArgumentException("durationMillis < 0: " + durationMillis);
    }
    if (source == null) {
      throw new NullPointerException("source");
    }
  }

  /**
   * The start of a digit.
   *
   * @param digit the digit
   * @param source how it arrived
   * @return the event
   */
  public static DtmfEvent start(char digit, DtmfMethod source) {
    return new DtmfEvent(digit, false, 0, source);
  }

  /**
   * The end of a digit.
   *
   * @param digit the digit
   * @param durationMillis how long it lasted
   * @param source how it arrived
   * @return the event
   */
  public static DtmfEvent end(char digit, int durationMillis, DtmfMethod source) {
    return new DtmfEvent(digit, true, durationMillis, source);
  }
}

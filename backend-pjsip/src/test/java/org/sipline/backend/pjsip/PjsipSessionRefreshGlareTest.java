package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippScenario;

/**
 * Our session refresh answered 491 Request Pending on pjsip (issue 17): the shim sends it again
 * after RFC 3261 §14.1's wait — 2.1–4 s when we placed the call (we chose the Call-ID), 0–2 s when
 * the far end did — and the call survives to the far end's BYE. pjsip alone drops a refused refresh
 * and ends the call with BYE when the session expires (90 s after the last refresh).
 *
 * <p>pjsip runs no interval below 90 s, so each call lasts the 45 s to its first refresh. The wait
 * is measured on SIPp's message log: from the 491 it sent to the request it received next. It is at
 * least the RFC's lower bound (SIPp stamps its send before our receipt) and at most the upper bound
 * plus {@value #SLACK_MILLIS} ms for pjsip's timer heap and a loaded machine.
 */
class PjsipSessionRefreshGlareTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final CallMedia QUIET = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);
  private static final int SE = 90;

  /** The first refresh (SE / 2), the waits and the BYE, with room for a loaded machine. */
  private static final Duration CALL_BOUND = Duration.ofSeconds(SE / 2 + 30);

  private static final long SLACK_MILLIS = 1000;

  private PjsipTestLine line;

  @BeforeEach
  void start() throws Exception {
    line = PjsipTestLine.start("alice", b -> b.sessionExpires(Duration.ofSeconds(SE)));
  }

  @AfterEach
  void stop() {
    if (line != null) {
      line.close();
    }
  }

  /**
   * A refresh refused 491, and refused 491 again when sent again, waits again; the one then
   * accepted starts pjsip's session timer over: the next refresh comes half the interval after it,
   * and the call outlives the session's first 90 s (without the retry pjsip ended it then, with
   * BYE).
   */
  @Test
  void aReInviteRefreshAnswered491IsSentAgainAfterTheCallersWaitAndTheTimerStartsOver()
      throws Exception {
    SippScenario scenario =
        SippScenario.resource("uas-timer-we-refresh.xml")
            .replace("[allow]", "INVITE, ACK, BYE, CANCEL, OPTIONS")
            .replace(
                "<!--REFRESHES-->",
                refused("INVITE") + refused("INVITE") + accepted("INVITE") + accepted("INVITE"));
    Duration bound = CALL_BOUND.plusSeconds(SE / 2);
    try (Sipp callee = Sipp.uas(scenario, options(bound))) {
      String log = callThroughRefreshes(callee, bound);
      List<Stamped> invites = received(log, "INVITE");
      // The call's own INVITE, the refused refresh, the two sent again and the next refresh.
      assertThat(invites).as("INVITEs SIPp received\n%s", log).hasSize(5);
      assertWaited(log, invites.get(2), 2100, 4000);
      assertWaited(log, invites.get(3), 2100, 4000);
      long nextMillis = invites.get(4).atMillis() - invites.get(3).atMillis();
      assertThat(nextMillis)
          .as("ms from the refresh accepted to the next (half the %d s interval)", SE)
          .isBetween(SE * 500L - SLACK_MILLIS, SE * 500L + 3 * SLACK_MILLIS);
      System.out.println("FIGURE PjsipSessionRefreshGlareTest nextRefreshMillis = " + nextMillis);
      assertThat(invites.get(4).atMillis() - invites.get(0).atMillis())
          .as("the call outlives the session's first %d s", SE)
          .isGreaterThan(SE * 1000L);
    }
  }

  /**
   * pjsip refreshes by UPDATE without SDP when the far end allows UPDATE, and sends one refused
   * (with any code) again at once with an offer, its own rule (RFC 3311 §5.2 answers 491 only to an
   * offer). That offer refused 491 is glare: sent again after the caller's wait.
   */
  @Test
  void anUpdateRefreshWithAnOfferAnswered491IsSentAgainAfterTheCallersWait() throws Exception {
    SippScenario scenario =
        SippScenario.resource("uas-timer-we-refresh.xml")
            .replace("[allow]", "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE")
            .replace(
                "<!--REFRESHES-->", refused("UPDATE") + refused("UPDATE") + accepted("UPDATE"));
    try (Sipp callee = Sipp.uas(scenario, options())) {
      String log = callThroughRefreshes(callee);
      List<Stamped> updates = received(log, "UPDATE");
      assertThat(updates).as("UPDATEs SIPp received\n%s", log).hasSize(3);
      assertThat(updates.get(0).message()).doesNotContain("application/sdp");
      assertThat(updates.get(1).message()).contains("application/sdp");
      assertThat(updates.get(2).message()).contains("application/sdp");
      assertWaited(log, updates.get(2), 2100, 4000);
    }
  }

  @Test
  void anIncomingCallsRefreshAnswered491IsSentAgainWithinTheCalleesWait() throws Exception {
    RecordingListener listener = line.listener;
    try (Sipp caller =
        Sipp.uac(
            SippScenario.resource("uac-timer-callee-refreshes-491.xml"),
            "127.0.0.1:" + line.backend.sipPort(),
            options().withService("alice"))) {
      assertThat(listener.next(BOUND)).startsWith("incomingCall");
      listener.lastIncoming.answer(QUIET);
      assertThat(listener.next(BOUND)).isEqualTo("callConnected");
      assertThat(listener.next(CALL_BOUND)).isEqualTo("callEnded REMOTE_BYE");
      caller.awaitSuccess(BOUND);
      String log = caller.messages();
      assertThat(log.substring(log.indexOf("SIP/2.0 200 OK")))
          .contains("Session-Expires: " + SE + ";refresher=uas");
      // A UAC's log: every INVITE it received is one of our refreshes.
      List<Stamped> invites = received(log, "INVITE");
      assertThat(invites).as("INVITEs SIPp received\n%s", log).hasSize(2);
      assertWaited(log, invites.get(1), 0, 2000);
    }
  }

  /**
   * Glare itself (RFC 3261 §14.1): the far end's re-INVITE crosses our refresh. Theirs is answered
   * 491 (pjsip's own rule, kept); ours, answered 491 too, is sent again after the caller's wait and
   * accepted; the call survives.
   */
  @Test
  void crossingReInvitesAreAnswered491AndOursIsSentAgainAfterTheCallersWait() throws Exception {
    try (Sipp callee = Sipp.uas(SippScenario.resource("uas-glare.xml"), options())) {
      String log = callThroughRefreshes(callee);
      assertThat(log).contains("SIP/2.0 491 Request Pending");
      List<Stamped> invites = received(log, "INVITE");
      assertThat(invites).as("INVITEs SIPp received\n%s", log).hasSize(3);
      assertWaited(log, invites.get(2), 2100, 4000);
    }
  }

  private static SippOptions options() {
    return options(CALL_BOUND);
  }

  private static SippOptions options(Duration callBound) {
    return SippOptions.defaults()
        .withKey("se", Integer.toString(SE))
        .withTimeout(callBound.plusSeconds(30));
  }

  private String callThroughRefreshes(Sipp callee) throws InterruptedException {
    return callThroughRefreshes(callee, CALL_BOUND);
  }

  /**
   * Calls the SIPp far end, which ends the call after its refreshes within {@code bound}; returns
   * its message log.
   */
  private String callThroughRefreshes(Sipp callee, Duration bound) throws InterruptedException {
    line.account.call(SipUri.of("bob", "127.0.0.1", callee.port()), Map.of(), QUIET);
    assertThat(line.listener.next(BOUND)).isEqualTo("callConnected");
    String event = line.listener.next(bound);
    assertThat(event)
        .as("the call's end (%s)\n%s", line.listener.endDescriptions.peek(), callee.messages())
        .isEqualTo("callEnded REMOTE_BYE");
    callee.awaitSuccess(BOUND);
    return callee.messages();
  }

  /**
   * That {@code retry} came {@code min}–{@code max} ms (plus the slack) after the last 491 SIPp
   * sent before it.
   */
  private static void assertWaited(String log, Stamped retry, long min, long max) {
    Stamped refusal = null;
    for (Stamped s : stamped(log)) {
      // Up to the request itself: its own 491 may carry the same millisecond.
      if (s.equals(retry)) {
        break;
      }
      if (s.sent() && s.message().startsWith("SIP/2.0 491 ")) {
        refusal = s;
      }
    }
    assertThat(refusal).as("a 491 SIPp sent before the request sent again\n%s", log).isNotNull();
    long waited = retry.atMillis() - refusal.atMillis();
    assertThat(waited)
        .as("ms from the 491 to the request sent again (RFC 3261 §14.1: %d-%d)", min, max)
        .isBetween(min, max + SLACK_MILLIS);
    System.out.println("FIGURE PjsipSessionRefreshGlareTest waitAfter491Millis = " + waited);
  }

  /** A message of SIPp's {@code -trace_msg} log: when it was sent or received, and its text. */
  private record Stamped(long atMillis, boolean sent, String message) {}

  private static final Pattern ENTRY =
      Pattern.compile(
          "-{10,} \\d{4}-\\d{2}-\\d{2} (\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{6})\\s*\\n"
              + "[^\\n]*message (sent|received)[^\\n]*\\n\\s*\\n");

  /** Every message of the log, in order. */
  private static List<Stamped> stamped(String log) {
    List<Stamped> out = new ArrayList<>();
    Matcher m = ENTRY.matcher(log);
    List<int[]> spans = new ArrayList<>();
    List<long[]> heads = new ArrayList<>();
    while (m.find()) {
      long at =
          ((Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))) * 60
                      + Long.parseLong(m.group(3)))
                  * 1000
              + Long.parseLong(m.group(4)) / 1000;
      spans.add(new int[] {m.start(), m.end()});
      heads.add(new long[] {at, m.group(5).equals("sent") ? 1 : 0});
    }
    for (int i = 0; i < spans.size(); i++) {
      int end = i + 1 < spans.size() ? spans.get(i + 1)[0] : log.length();
      out.add(
          new Stamped(heads.get(i)[0], heads.get(i)[1] == 1, log.substring(spans.get(i)[1], end)));
    }
    return out;
  }

  /** The requests of {@code method} SIPp received, in order. */
  private static List<Stamped> received(String log, String method) {
    return stamped(log).stream()
        .filter(s -> !s.sent() && s.message().startsWith(method + " sip:"))
        .toList();
  }

  /** The far end's 491 to our next request of {@code method}. */
  private static String refused(String method) {
    return "  <recv request=\""
        + method
        + "\" timeout=\"200000\"/>\n"
        + "  <send>\n    <![CDATA[\n\n"
        + "      SIP/2.0 491 Request Pending\n"
        + "      [last_Via:]\n      [last_From:]\n      [last_To:]\n      [last_Call-ID:]\n"
        + "      [last_CSeq:]\n"
        + "      Content-Length: 0\n"
        + "\n    ]]>\n  </send>\n"
        + (method.equals("INVITE") ? "  <recv request=\"ACK\" crlf=\"true\"/>\n" : "");
  }

  /** The far end's 200 with its SDP answer to our next request of {@code method}. */
  private static String accepted(String method) {
    String sdp =
        """
              Content-Type: application/sdp
              Content-Length: [len]

              v=0
              o=sipp 1 2 IN IP[media_ip_type] [media_ip]
              s=sipline test peer
              c=IN IP[media_ip_type] [media_ip]
              t=0 0
              m=audio [media_port] RTP/AVP 0 101
              a=rtpmap:0 PCMU/8000
              a=rtpmap:101 telephone-event/8000
              a=fmtp:101 0-16
              a=ptime:20
              a=sendrecv
        """;
    return "  <recv request=\""
        + method
        + "\" timeout=\"200000\"/>\n"
        + "  <send>\n    <![CDATA[\n\n"
        + "      SIP/2.0 200 OK\n"
        + "      [last_Via:]\n      [last_From:]\n      [last_To:]\n      [last_Call-ID:]\n"
        + "      [last_CSeq:]\n"
        + "      Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>\n"
        + "      Require: timer\n      Supported: timer\n"
        + "      Session-Expires: [se];refresher=uac\n"
        + sdp
        + "\n    ]]>\n  </send>\n"
        + (method.equals("INVITE") ? "  <recv request=\"ACK\" crlf=\"true\"/>\n" : "");
  }
}

package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.RecordingSipEventListener.Connected;
import org.sipline.backend.jainsip.RecordingSipEventListener.Ended;
import org.sipline.backend.jainsip.RecordingSipEventListener.Incoming;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallEnd;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippResult;
import org.sipline.testing.peers.SippScenario;

/**
 * RFC 4028 session timers against SIPp far ends: we refresh at half the interval (by re-INVITE, or
 * UPDATE when the far end allows it) and the call survives; a far end that is the refresher and
 * stops gets BYE at §10's deadline; a 422 is obeyed; glare is answered 491 and our re-INVITE sent
 * again after RFC 3261 §14.1's wait. Quick runs use intervals of a few seconds (our Min-SE follows
 * the configured interval below RFC 4028's 90 s, which only tests configure); {@code -Plong} runs
 * the RFC's shortest interval, 90 s, for 3 minutes.
 */
class SessionTimersTest {
  private static final CallMedia SILENCE = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);
  private static final AtomicInteger USERS = new AtomicInteger();
  private static final boolean LONG = Boolean.getBoolean("sipline.long");

  private ScriptedSipPeer registrar;
  private JainSipBackend backend;
  private String user;

  @AfterEach
  void stop() {
    if (backend != null) {
      backend.close();
    }
    if (registrar != null) {
      registrar.close();
    }
  }

  private SipAccount start(Duration sessionExpires, RecordingSipEventListener events)
      throws Exception {
    registrar = new ScriptedSipPeer();
    registrar.answerEverything(200);
    backend =
        JainSipBackend.start(
            BackendConfig.loopback()
                .transactionTimeout(Duration.ofSeconds(5))
                .sessionExpires(sessionExpires)
                .build());
    user = "timer" + USERS.incrementAndGet();
    SipAccount account =
        backend.register(
            new AccountSpec(SipUri.of(user, "127.0.0.1", registrar.port()), "secret", user, null),
            events);
    events.next(Registered.class);
    return account;
  }

  private static SipUri bob(Sipp sipp) {
    return SipUri.of("bob", "127.0.0.1", sipp.port());
  }

  private static void assertSucceeded(Sipp sipp, Duration within) {
    SippResult result = sipp.awaitExit(within);
    assertThat(result.succeeded())
        .as("SIPp %s\n%s\n%s", result, sipp.errors(), sipp.messages())
        .isTrue();
  }

  /** The far end's part of {@code count} refreshes by {@code method}, each answered 200. */
  private static String refreshes(String method, int count) {
    String sdp =
        """
              Content-Type: application/sdp
              Content-Length: [len]

              v=0
              o=sipp 1 1 IN IP[media_ip_type] [media_ip]
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
    String block =
        "  <recv request=\""
            + method
            + "\" timeout=\"200000\"/>\n"
            + "  <send>\n    <![CDATA[\n\n"
            + "      SIP/2.0 200 OK\n"
            + "      [last_Via:]\n      [last_From:]\n      [last_To:]\n      [last_Call-ID:]\n"
            + "      [last_CSeq:]\n"
            + "      Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>\n"
            + "      Require: timer\n      Supported: timer\n"
            + "      Session-Expires: [se];refresher=uac\n"
            + (method.equals("INVITE") ? sdp : "      Content-Length: 0\n")
            + "\n    ]]>\n  </send>\n"
            + (method.equals("INVITE") ? "  <recv request=\"ACK\" crlf=\"true\"/>\n" : "");
    return block.repeat(count);
  }

  private static SippScenario weRefresh(String allow, String method, int count) {
    return SippScenario.resource("uas-timer-we-refresh.xml")
        .replace("[allow]", allow)
        .replace("<!--REFRESHES-->", refreshes(method, count));
  }

  /** Runs a call to a far end that makes us refresh {@code count} times every {@code se} s. */
  private String refreshedCall(String allow, String method, int se, int count) throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    SipAccount account = start(Duration.ofSeconds(se), events);
    Duration bound = Duration.ofSeconds(se * (count + 1L) + 10);
    try (Sipp callee =
        Sipp.uas(
            weRefresh(allow, method, count),
            SippOptions.defaults()
                .withKey("se", Integer.toString(se))
                .withTimeout(bound.plusSeconds(10)))) {
      long started = System.nanoTime();
      SipCall call = account.call(bob(callee), Map.of(), SILENCE);
      events.next(Connected.class);
      Ended ended = events.next(Ended.class, bound);
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      assertThat(ended.call()).isSameAs(call);
      assertThat(ended.cause()).isEqualTo(CallEnd.REMOTE_BYE);
      assertSucceeded(callee, Duration.ofSeconds(15));
      // The far end BYEs right after the last refresh: at count × se/2, not before.
      assertThat(tookMillis).isGreaterThanOrEqualTo(500L * count * se);
      return callee.messages();
    }
  }

  @Test
  void weRefreshAtHalfTheIntervalByReInviteAndTheCallSurvives() throws Exception {
    int se = LONG ? 90 : 4;
    int count = LONG ? 4 : 2; // -Plong: 4 × 45 s, the call lasts 3 minutes
    String log = refreshedCall("INVITE, ACK, BYE, CANCEL, OPTIONS", "INVITE", se, count);
    assertThat(log)
        .contains("Supported: timer", "Session-Expires: " + se, "Min-SE: " + Math.min(90, se));
    // Each refresh offers the session as it stands: the same SDP, its version unchanged.
    Matcher refresh =
        Pattern.compile(
                "INVITE sip:[^\\n]*\\n(?:[^\\n]+\\n)*?Session-Expires: " + se + ";refresher=uac")
            .matcher(log);
    int found = 0;
    while (refresh.find()) {
      found++;
    }
    assertThat(found).isEqualTo(count);
    assertThat(Pattern.compile("o=sipline \\d+ 0 ").matcher(log).results().count())
        .isEqualTo(count + 1);
  }

  @Test
  void weRefreshByUpdateWhenTheFarEndAllowsIt() throws Exception {
    String log =
        refreshedCall("INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE", "UPDATE", LONG ? 90 : 4, 2);
    assertThat(Pattern.compile("UPDATE sip:").matcher(log).results().count()).isEqualTo(2);
  }

  @Test
  void aFarEndRefresherThatStopsRefreshingGetsByeAtTheDeadline() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    int se = 3;
    SipAccount account = start(Duration.ofSeconds(se), events);
    try (Sipp callee =
        Sipp.uas(
            SippScenario.resource("uas-timer-they-refresh-then-stop.xml"),
            SippOptions.defaults().withKey("se", Integer.toString(se)))) {
      account.call(bob(callee), Map.of(), SILENCE);
      events.next(Connected.class);
      long connected = System.nanoTime();
      Ended ended = events.next(Ended.class, Duration.ofSeconds(15));
      long afterMillis = (System.nanoTime() - connected) / 1_000_000;
      assertThat(ended.cause()).isEqualTo(CallEnd.ERROR);
      assertThat(ended.description())
          .startsWith("session timer expired: no session refresh within 2 s of a 3 s session");
      // RFC 4028 §10: the BYE goes a third of the interval before it ends: at 2 s, not at 3.
      assertThat(afterMillis).isBetween(1900L, 2900L);
      assertSucceeded(callee, Duration.ofSeconds(10));
    }
  }

  @Test
  void a422IsObeyedWithTheMinSeItNames() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    SipAccount account = start(Duration.ofSeconds(4), events);
    try (Sipp callee =
        Sipp.uas(
            SippScenario.resource("uas-timer-422.xml"),
            SippOptions.defaults().withKey("min_se", "1800"))) {
      account.call(bob(callee), Map.of(), SILENCE);
      events.next(Connected.class);
      assertThat(events.next(Ended.class).cause()).isEqualTo(CallEnd.REMOTE_BYE);
      assertSucceeded(callee, Duration.ofSeconds(10));
      String log = callee.messages();
      int first = log.indexOf("Session-Expires: 4");
      int again = log.indexOf("Session-Expires: 1800");
      assertThat(first).isNotNegative();
      assertThat(again).isGreaterThan(first);
      assertThat(log.substring(again)).contains("Min-SE: 1800");
    }
  }

  /** The far end's 491 to the next refresh by {@code method}: no crossing request, just 491. */
  private static String refusedWith491(String method) {
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

  /** SIPp's {@code -trace_msg} stamps each message with the wall clock of its send or receipt. */
  private static final Pattern STAMPED =
      Pattern.compile(
          "-{10,} (\\d{4}-\\d{2}-\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{6})\\s*\\n"
              + "[^\\n]*message received[^\\n]*\\n\\s*\\n(\\w+) sip:");

  /** When SIPp received each request of {@code method}, in ms of the day, in order. */
  private static List<Long> receivedAt(String log, String method) {
    List<Long> at = new ArrayList<>();
    Matcher m = STAMPED.matcher(log);
    while (m.find()) {
      if (m.group(6).equals(method)) {
        at.add(
            ((Long.parseLong(m.group(2)) * 60 + Long.parseLong(m.group(3))) * 60
                        + Long.parseLong(m.group(4)))
                    * 1000
                + Long.parseLong(m.group(5)) / 1000);
      }
    }
    return at;
  }

  /**
   * A far end that answers our refresh 491 with no request of its own crossing it (its own
   * transaction pending, say): we send the refresh again after RFC 3261 §14.1's wait for the side
   * that chose the Call-ID, 2.1–4 s, and the call survives. SIPp's receive times of the two
   * requests measure the wait: not before 2.1 s; at most 4 s plus {@value #WAIT_SLACK_MILLIS} ms
   * for the 491's way back and our scheduler on a loaded machine.
   */
  private void refreshAnswered491IsSentAgainAfterTheWait(String allow, String method)
      throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    // 10 s: the first refresh at 5 s, the second by 9 s, inside the session either way.
    int se = 10;
    SipAccount account = start(Duration.ofSeconds(se), events);
    SippScenario scenario =
        SippScenario.resource("uas-timer-we-refresh.xml")
            .replace("[allow]", allow)
            .replace("<!--REFRESHES-->", refusedWith491(method) + refreshes(method, 1));
    try (Sipp callee =
        Sipp.uas(
            scenario,
            SippOptions.defaults()
                .withKey("se", Integer.toString(se))
                .withTimeout(Duration.ofSeconds(40)))) {
      account.call(bob(callee), Map.of(), SILENCE);
      events.next(Connected.class);
      assertThat(events.next(Ended.class, Duration.ofSeconds(30)).cause())
          .isEqualTo(CallEnd.REMOTE_BYE);
      assertSucceeded(callee, Duration.ofSeconds(10));
      String log = callee.messages();
      assertThat(log).contains("SIP/2.0 491 Request Pending");
      List<Long> at = receivedAt(log, method);
      // An INVITE's list starts with the call's own.
      List<Long> refreshes = method.equals("INVITE") ? at.subList(1, at.size()) : at;
      assertThat(refreshes).as("%s refreshes SIPp received\n%s", method, log).hasSize(2);
      long waitedMillis = refreshes.get(1) - refreshes.get(0);
      assertThat(waitedMillis)
          .as("the wait before sending the %s again (RFC 3261 §14.1: 2.1-4 s)", method)
          .isBetween(2100L, 4000L + WAIT_SLACK_MILLIS);
      System.out.println(
          "FIGURE SessionTimersTest caller" + method + "WaitAfter491Millis = " + waitedMillis);
    }
  }

  private static final long WAIT_SLACK_MILLIS = 1000;

  @Test
  void anUpdateRefreshAnswered491IsSentAgainAfterTheWait() throws Exception {
    refreshAnswered491IsSentAgainAfterTheWait(
        "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE", "UPDATE");
  }

  @Test
  void aReInviteRefreshAnswered491IsSentAgainAfterTheWait() throws Exception {
    refreshAnswered491IsSentAgainAfterTheWait("INVITE, ACK, BYE, CANCEL, OPTIONS", "INVITE");
  }

  /**
   * The other branch of RFC 3261 §14.1: in a call we answered (the far end chose the Call-ID) and
   * whose refresher the far end made us, our re-INVITE refresh answered 491 is sent again after 0–2
   * s, not the caller's 2.1–4 s, and the call survives to the far end's BYE. SIPp's receive times
   * of the two re-INVITEs measure the wait, with the same slack as the caller's case ({@link
   * GlareTest} pins the range itself).
   */
  @Test
  void anIncomingCallsRefreshAnswered491IsSentAgainWithinTheCalleesWait() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    // 10 s: our refresh at 5 s, the second by 7 s, inside the session either way.
    int se = 10;
    start(Duration.ofSeconds(se), events);
    try (Sipp caller =
        Sipp.uac(
            SippScenario.resource("uac-timer-callee-refreshes-491.xml"),
            "127.0.0.1:" + backend.sipPort(),
            SippOptions.defaults()
                .withService(user)
                .withKey("se", Integer.toString(se))
                .withTimeout(Duration.ofSeconds(40)))) {
      Incoming incoming = events.next(Incoming.class, Duration.ofSeconds(15));
      incoming.call().answer(SILENCE);
      events.next(Connected.class);
      Ended ended = events.next(Ended.class, Duration.ofSeconds(30));
      assertThat(ended.call()).isSameAs(incoming.call());
      assertThat(ended.cause()).isEqualTo(CallEnd.REMOTE_BYE);
      assertSucceeded(caller, Duration.ofSeconds(10));
      String log = caller.messages();
      String answer = log.substring(log.indexOf("SIP/2.0 200 OK"));
      assertThat(answer).contains("Session-Expires: " + se + ";refresher=uas");
      assertThat(log).contains("SIP/2.0 491 Request Pending");
      // A UAC's log: every INVITE it received is one of our refreshes.
      List<Long> refreshes = receivedAt(log, "INVITE");
      assertThat(refreshes).as("INVITE refreshes SIPp received\n%s", log).hasSize(2);
      long waitedMillis = refreshes.get(1) - refreshes.get(0);
      assertThat(waitedMillis)
          .as("the callee's wait before sending the INVITE again (RFC 3261 §14.1: 0-2 s)")
          .isBetween(0L, 2000L + WAIT_SLACK_MILLIS);
      System.out.println("FIGURE SessionTimersTest calleeWaitAfter491Millis = " + waitedMillis);
    }
  }

  @Test
  void glareIsAnswered491AndOurReInviteSentAgainAfterTheWait() throws Exception {
    RecordingSipEventListener events = new RecordingSipEventListener();
    SipAccount account = start(Duration.ofSeconds(2), events);
    try (Sipp callee =
        Sipp.uas(
            SippScenario.resource("uas-glare.xml"), SippOptions.defaults().withKey("se", "2"))) {
      account.call(bob(callee), Map.of(), SILENCE);
      events.next(Connected.class);
      assertThat(events.next(Ended.class, Duration.ofSeconds(15)).cause())
          .isEqualTo(CallEnd.REMOTE_BYE);
      assertSucceeded(callee, Duration.ofSeconds(10));
      assertThat(callee.messages()).contains("SIP/2.0 491 ");
    }
  }
}

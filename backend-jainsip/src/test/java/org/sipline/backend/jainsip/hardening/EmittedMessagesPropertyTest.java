package org.sipline.backend.jainsip.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.sipline.backend.jainsip.JainSipBackendProvider;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;
import org.sipline.core.sip.SipAddresses;
import org.sipline.core.sip.SipHeaders;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipBackend;

/**
 * Random callees and extra headers — valid, hostile (CR, LF, NUL, quotes, Unicode) and long —
 * through a real line on the jainsip backend to a far end that keeps the bytes: what the core
 * refuses sends nothing; what it accepts goes out as an INVITE (and its ACK) that JAIN-SIP's strict
 * parser reads back, with the Request-URI asked for and each extra header once, value exact, and no
 * header line nobody asked for.
 */
class EmittedMessagesPropertyTest {
  private static FakeRegistrar registrar;
  private static BusyFarEnd far;
  private static SipBackend backend;
  private static Line line;

  /** The header names the stack puts on an INVITE by itself. */
  private static Set<String> stackHeaders;

  @BeforeContainer
  static void openALine() throws Exception {
    registrar = new FakeRegistrar();
    far = new BusyFarEnd();
    backend = new JainSipBackendProvider().create(BackendConfig.loopback().build());
    line = Line.open(backend, LineConfig.defaults());
    String account = "bot@127.0.0.1:" + registrar.port();
    assertThat(line.registerAccount(account, "secret", "", "").get().type())
        .isEqualTo(StatusType.REGISTERED);
    line.startSession(account, 0).get();
    Sent plain = call("plain@127.0.0.1:" + far.port(), Map.of());
    stackHeaders = new HashSet<>();
    for (String[] h : headerLines(plain.raw())) {
      stackHeaders.add(h[0].toLowerCase(Locale.ROOT));
    }
  }

  @AfterContainer
  static void closeTheLine() throws Exception {
    line.close();
    backend.close();
    far.close();
    registrar.close();
  }

  @Provide
  Arbitrary<String> users() {
    Arbitrary<String> valid =
        Arbitraries.strings()
            .withChars("abcXYZ019-_.!~*'()&=+$,;?/")
            .ofMinLength(1)
            .ofMaxLength(40);
    Arbitrary<String> escaped = valid.map(s -> s + "%41%7e");
    Arbitrary<String> hostile =
        Arbitraries.strings()
            .withChars("ab\r\n\0 \t\"<>@:%#\u00e9\u2028\ud800")
            .ofMinLength(1)
            .ofMaxLength(20);
    return Arbitraries.frequencyOf(Tuple.of(5, valid), Tuple.of(1, escaped), Tuple.of(2, hostile));
  }

  @Provide
  Arbitrary<Map<String, String>> headers() {
    Arbitrary<String> names =
        Arbitraries.frequencyOf(
            Tuple.of(
                5,
                Arbitraries.strings()
                    .withChars("abcXYZ019-.!%*_+`'~")
                    .ofMinLength(1)
                    .ofMaxLength(30)
                    .map(s -> "X-" + s)),
            Tuple.of(
                2,
                Arbitraries.of(
                    "Subject",
                    "Priority",
                    "Alert-Info",
                    "User-to-User",
                    "P-Asserted-Identity",
                    "Organization",
                    "Call-Info")),
            Tuple.of(
                1,
                Arbitraries.strings()
                    .withChars("ab :\r\n;<>@\u00e9")
                    .ofMinLength(1)
                    .ofMaxLength(12)));
    Arbitrary<String> values =
        Arbitraries.frequencyOf(
            Tuple.of(
                5,
                Arbitraries.strings().withChars("abcXYZ019 \t;:=<>@\"',./?&%+()*").ofMaxLength(60)),
            Tuple.of(
                2,
                Arbitraries.strings()
                    .withChars("ab \u00e9\u00fc\u260e\ud83d\ude00")
                    .ofMaxLength(30)),
            Tuple.of(
                2,
                Arbitraries.strings()
                    .withChars("ab\r\n\0\u0001\u007f\u0085\u2028")
                    .ofMaxLength(10)),
            Tuple.of(
                1,
                Arbitraries.strings().withChars("abcxyz0123 ").ofMinLength(500).ofMaxLength(1100)));
    return Arbitraries.maps(names, values).ofMaxSize(5).map(LinkedHashMap::new);
  }

  @Property(tries = 150)
  void whatTheCoreAcceptsGoesOutAsAnInviteThatReparsesWithExactlyTheHeadersAsked(
      @ForAll("users") String user, @ForAll("headers") Map<String, String> headers)
      throws Exception {
    String callee = user + "@127.0.0.1:" + far.port();
    int before = far.received().size();
    Sent invite;
    try {
      invite = call(callee, headers);
    } catch (InvalidArgumentException e) {
      Statistics.label("request").collect("refused by the core");
      assertThat(far.received()).as("sent after a refusal").hasSize(before);
      return;
    }
    if (invite.raw() == null) {
      // The core let the headers through, JAIN-SIP's grammar for that header did not: the call
      // failed before anything went out, naming the header.
      Statistics.label("request").collect("refused by the backend");
      assertThat(far.received()).as("sent after the backend refused").hasSize(before);
      // How well the refusal is worded is ExtraHeaderRefusalTest's subject.
      return;
    }
    Statistics.label("request").collect("sent");
    Map<String, String> expected = SipHeaders.checkExtraHeaders("headers", headers);
    assertThat(invite.parsed().getRequestURI())
        .isEqualTo(
            new StringMsgParser()
                .parseSIPUrl(SipAddresses.parseTarget("callee_id", callee, null).toString()));
    Map<String, List<String>> sent = new LinkedHashMap<>();
    for (String[] h : headerLines(invite.raw())) {
      String name = h[0].toLowerCase(Locale.ROOT);
      sent.computeIfAbsent(name, k -> new ArrayList<>()).add(h[1]);
      boolean asked = expected.keySet().stream().anyMatch(n -> n.equalsIgnoreCase(h[0]));
      assertThat(asked || stackHeaders.contains(name))
          .as("header %s: nobody asked for it", h[0])
          .isTrue();
    }
    for (Map.Entry<String, String> e : expected.entrySet()) {
      assertThat(sent.get(e.getKey().toLowerCase(Locale.ROOT)))
          .as("header %s", e.getKey())
          .containsExactly(e.getValue());
    }
    // The 486 is acknowledged; the ACK must read back as well.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> far.received().stream().skip(before).anyMatch(b -> startsWith(b, "ACK ")));
    for (byte[] b : far.received().subList(before, far.received().size())) {
      new StringMsgParser().parseSIPMessage(b.clone(), true, true, null);
    }
  }

  /**
   * An INVITE as the far end got it and as JAIN-SIP's strict parser reads it; or, when the backend
   * refused to send it, nulls and the line's description of the failure.
   */
  private record Sent(byte[] raw, SIPRequest parsed, String failure) {}

  /**
   * Places a call and returns the INVITE as the far end got it; the call then fails (486) and the
   * line is READY again.
   */
  private static Sent call(String callee, Map<String, String> headers) throws Exception {
    int before = far.received().size();
    try {
      line.startCall(callee, headers).get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InvalidArgumentException refused) {
        throw refused;
      }
      throw e;
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                far.received().stream().skip(before).anyMatch(b -> startsWith(b, "INVITE "))
                    || line.status().type() == StatusType.READY);
    byte[] bytes =
        far.received().stream()
            .skip(before)
            .filter(b -> startsWith(b, "INVITE "))
            .findFirst()
            .orElse(null);
    if (bytes == null) {
      LineStatus failed = line.history().get(line.history().size() - 2);
      assertThat(failed.type()).isEqualTo(StatusType.OUTGOING_CALL_FAILED);
      return new Sent(null, null, failed.description());
    }
    SIPMessage parsed = new StringMsgParser().parseSIPMessage(bytes.clone(), true, true, null);
    await().atMost(Duration.ofSeconds(5)).until(() -> line.status().type() == StatusType.READY);
    return new Sent(bytes, (SIPRequest) parsed, null);
  }

  /** Name and value of each header line as it was on the wire (sipline folds no lines). */
  private static List<String[]> headerLines(byte[] message) {
    String text = new String(message, StandardCharsets.UTF_8);
    String head = text.substring(0, text.indexOf("\r\n\r\n"));
    List<String[]> out = new ArrayList<>();
    String[] lines = head.split("\r\n");
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      out.add(
          new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
    }
    return out;
  }

  private static boolean startsWith(byte[] b, String prefix) {
    return new String(b, 0, Math.min(b.length, prefix.length()), StandardCharsets.US_ASCII)
        .equals(prefix);
  }
}

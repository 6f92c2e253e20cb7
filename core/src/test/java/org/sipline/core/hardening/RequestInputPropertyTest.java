package org.sipline.core.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.sip.SipAddresses;
import org.sipline.core.sip.SipHeaders;
import org.sipline.core.spi.SipUri;

/**
 * 100,000 hostile header names and values and 100,000 hostile callee strings through the core's
 * request checks: each is refused with {@link InvalidArgumentException} (and a message that is
 * itself safe to log and to put in a gRPC status), or it becomes exactly what RFC 3261's grammar
 * allows on the wire — one header line, one URI — and nothing else ever comes out.
 */
class RequestInputPropertyTest {
  private static final SipUri ACCOUNT = SipUri.of("sip", "bot", "pbx.example.org", 5080, "");

  private static final List<String> VALID_NAMES =
      List.of(
          "X-Bot-Session",
          "Subject",
          "User-to-User",
          "P-Asserted-Identity",
          "x-foo",
          "Priority",
          "Alert-Info",
          "k",
          "s");
  private static final List<String> STACK_OWNED =
      List.of(
          "Via",
          "v",
          "CALL-ID",
          "i",
          "cseq",
          "Contact",
          "m",
          "Content-Length",
          "l",
          "Max-Forwards",
          "Route",
          "Record-Route",
          "To",
          "t",
          "From",
          "f",
          "Authorization",
          "Proxy-Authorization",
          "Content-Type",
          "c",
          "Refer-To",
          "r");
  private static final List<String> VALID_VALUES =
      List.of(
          "abc",
          "urgent",
          "<sip:bot@example.org>",
          "caf\u00e9 \u260e \ud83d\ude00",
          "a=b;c=d",
          "\"quoted, with comma\" <sip:x@y>",
          "",
          "04F2;encoding=hex",
          "\tpadded\t ");
  private static final List<String> VALID_CALLEES =
      List.of(
          "alice",
          "100",
          "+43 1 234-56",
          "(01) 234 56",
          "alice@example.org",
          "alice@example.org:5070;transport=tcp",
          "sip:alice@[2001:db8::1]:5060",
          "sips:bob@example.org",
          "tel:+43-1-234;ext=5",
          "sip:a%41b@host.example.",
          "sip:alice;day=tue@example.org;lr",
          "bob@127.0.0.1:5090");

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, HostileInputs.text(VALID_NAMES)),
        Tuple.of(1, Arbitraries.of(STACK_OWNED).map(RequestInputPropertyTest::randomCase)),
        Tuple.of(
            2, Arbitraries.strings().withChars("aZ09-.!%*_+`'~").ofMinLength(1).ofMaxLength(140)));
  }

  @Provide
  Arbitrary<String> values() {
    return HostileInputs.text(VALID_VALUES);
  }

  @Provide
  Arbitrary<String> callees() {
    return HostileInputs.text(VALID_CALLEES);
  }

  private static String randomCase(String s) {
    return s.hashCode() % 2 == 0 ? s.toUpperCase(Locale.ROOT) : s.toLowerCase(Locale.ROOT);
  }

  @Property(tries = 100_000)
  void anExtraHeaderIsRefusedOrBecomesExactlyOneWellFormedHeaderLine(
      @ForAll("names") String name, @ForAll("values") String value) {
    Map<String, String> request = new LinkedHashMap<>();
    request.put(name, value);
    Map<String, String> accepted;
    try {
      accepted = SipHeaders.checkExtraHeaders("headers", request);
    } catch (InvalidArgumentException e) {
      assertSafeRefusal(e, "headers");
      Statistics.label("header").collect("refused");
      return;
    }
    Statistics.label("header")
        .collect("accepted")
        .coverage(
            c -> {
              c.check("accepted").percentage(p -> p > 10);
              c.check("refused").percentage(p -> p > 10);
            });
    assertThat(accepted).containsOnlyKeys(name);
    String sent = accepted.get(name);
    assertThat(WireGrammar.headerLineProblem(name, sent)).as("header %s: %s", name, sent).isNull();
    assertThat(SipHeaders.protectedHeaders()).noneMatch(p -> p.equalsIgnoreCase(name));
    assertThat(STACK_OWNED).noneMatch(p -> p.equalsIgnoreCase(name));
    assertThat(sent.length()).isLessThanOrEqualTo(SipHeaders.MAX_VALUE_LENGTH);
    assertThat(value).contains(sent);
  }

  @Property(tries = 100_000)
  void aCalleeIsRefusedOrBecomesOneUriThatReadsBackTheSame(@ForAll("callees") String callee) {
    SipUri uri;
    try {
      uri = SipAddresses.parseTarget("callee_id", callee, ACCOUNT);
    } catch (InvalidArgumentException e) {
      assertSafeRefusal(e, "callee_id");
      Statistics.label("callee").collect("refused");
      return;
    }
    Statistics.label("callee")
        .collect("accepted")
        .coverage(
            c -> {
              c.check("accepted").percentage(p -> p > 5);
              c.check("refused").percentage(p -> p > 10);
            });
    String wire = uri.toString();
    assertThat(wire).as("from %s", printable(callee)).matches(WireGrammar.SIP_URI);
    assertThat(wire.length())
        .isLessThanOrEqualTo(
            SipAddresses.MAX_LENGTH
                + ACCOUNT.hostPort().length()
                + ";user=phone".length()
                + "sips:@".length());
    assertThat(SipAddresses.parseTarget("callee_id", wire, ACCOUNT)).isEqualTo(uri);
  }

  /**
   * A refusal names the field first and holds nothing that could break a log line or a gRPC status:
   * no control character, no unpaired surrogate, and a bounded length however long the input was.
   */
  private static void assertSafeRefusal(InvalidArgumentException e, String field) {
    String m = e.getMessage();
    assertThat(m).startsWith(field);
    assertThat(e.field()).startsWith(field);
    assertThat(m.chars())
        .noneMatch(
            ch ->
                ch < 0x20
                    || ch == 0x7f
                    || (ch >= 0x80 && ch <= 0x9f)
                    || ch == 0x2028
                    || ch == 0x2029);
    assertThat(WireGrammar.headerLineProblem("m", m.strip())).as(m).isNull();
    assertThat(m.length()).as(m).isLessThan(600);
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .limit(200)
        .forEach(
            cp -> {
              if (cp >= 0x20 && cp < 0x7f) {
                b.appendCodePoint(cp);
              } else {
                b.append(String.format("\\u%04x", cp));
              }
            });
    return b.toString();
  }
}

package org.sipline.core.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.spi.SipUri;

/**
 * Whatever a client sends, the address parsers either return a SipUri that is safe on the wire and
 * stable under re-parsing, or throw InvalidArgumentException with a safe message — nothing else.
 */
class SipAddressesPropertyTest {
  private static final SipUri ACCOUNT = SipUri.of("sip", "bot", "pbx.example.org", 5080, "");

  /** Inputs that are valid, so that mutations of them land near the edge of validity. */
  private static final List<String> VALID =
      List.of(
          "bot@example.org",
          "bot@127.0.0.1:5080",
          "sip:bot@example.org",
          "sips:bot@example.org:5061",
          "bot@[::1]:5070",
          "sip:alice@[2001:db8::ffff:192.0.2.1];transport=tcp;lr",
          "sip:alice;day=tuesday@atlanta.com;ttl=5;maddr=10.0.0.1",
          "alice",
          "100",
          "tel:+43-1-234;ext=5",
          "tel:01234;phone-context=+43",
          "+43 1 234-56",
          "(01) 234 56",
          "proxy.example.org:5060",
          "sip:proxy.example.org;lr",
          "a%41b@example.org.",
          "user@a-b.c.example");

  /** Characters that matter to the grammar, plus the dangerous ones. */
  private static final String SIP_CHARS =
      "aZ09@:;=.[]%+-_()?<>#/\\\"' ,&$!~*`\r\n\0\t\u007f\u0085\u00e9\u2028\ud800";

  @Provide
  Arbitrary<String> addresses() {
    Arbitrary<String> anyUnicode = Arbitraries.strings().all().ofMaxLength(80);
    Arbitrary<String> sipish = Arbitraries.strings().withChars(SIP_CHARS).ofMaxLength(40);
    Arbitrary<String> valid = Arbitraries.of(VALID);
    Arbitrary<String> mutated = mutations(valid);
    Arbitrary<String> doubleMutated = mutations(mutated);
    Arbitrary<String> veryLong =
        Arbitraries.strings()
            .withChars("ab.@:1")
            .ofMinLength(1000)
            .ofMaxLength(1100)
            .map(s -> "bot@" + s);
    Arbitrary<String> longHost =
        Arbitraries.integers().between(1, 300).map(n -> "bot@" + "a".repeat(n) + ".org");
    return Arbitraries.frequencyOf(
        Tuple.of(2, anyUnicode),
        Tuple.of(3, sipish),
        Tuple.of(1, valid),
        Tuple.of(5, mutated),
        Tuple.of(3, doubleMutated),
        Tuple.of(1, veryLong),
        Tuple.of(1, longHost));
  }

  private static Arbitrary<String> mutations(Arbitrary<String> base) {
    Arbitrary<Character> c = Arbitraries.chars().with(SIP_CHARS.toCharArray());
    Arbitrary<Integer> where = Arbitraries.integers().between(0, 1 << 16);
    Arbitrary<Integer> kind = Arbitraries.integers().between(0, 2);
    return Combinators.combine(base, where, c, kind).as(SipAddressesPropertyTest::mutate);
  }

  /** Inserts, replaces or deletes one character. */
  static String mutate(String s, int where, char c, int kind) {
    int at = s.isEmpty() ? 0 : where % (s.length() + (kind == 0 ? 1 : 0));
    return switch (kind) {
      case 0 -> s.substring(0, at) + c + s.substring(at);
      case 1 -> s.isEmpty() ? String.valueOf(c) : s.substring(0, at) + c + s.substring(at + 1);
      default -> s.isEmpty() ? s : s.substring(0, at) + s.substring(at + 1);
    };
  }

  // The coverage checks make sure both outcomes are exercised, so neither branch is vacuous.
  @Property(tries = 3000)
  void accountNamesAreAcceptedSafelyOrRefusedCleanly(@ForAll("addresses") String input) {
    SipUri uri = outcome(() -> SipAddresses.parseAccount("account_name", input));
    checkCoverage(uri);
    if (uri != null) {
      assertThat(uri.user()).isNotNull();
      assertThat(uri.params()).isEmpty();
      assertSafeAndStable(uri, s -> SipAddresses.parseAccount("account_name", s));
    }
  }

  @Property(tries = 3000)
  void targetsAreAcceptedSafelyOrRefusedCleanly(@ForAll("addresses") String input) {
    SipUri uri = outcome(() -> SipAddresses.parseTarget("callee_id", input, ACCOUNT));
    checkCoverage(uri);
    if (uri != null) {
      assertSafeAndStable(uri, s -> SipAddresses.parseTarget("callee_id", s, ACCOUNT));
    }
  }

  @Property(tries = 3000)
  void proxiesAreAcceptedSafelyOrRefusedCleanly(@ForAll("addresses") String input) {
    SipUri uri = outcome(() -> SipAddresses.parseProxy("outbound_proxy", input));
    checkCoverage(uri);
    if (uri != null) {
      assertThat(uri.user()).isNull();
      assertSafeAndStable(uri, s -> SipAddresses.parseProxy("outbound_proxy", s));
    }
  }

  @Property
  void generatedValidAccountsAreAcceptedAsGiven(
      @ForAll("users") String user, @ForAll("hosts") String host, @ForAll("ports") int port) {
    String text = user + "@" + host + (port > 0 ? ":" + port : "");
    SipUri uri = SipAddresses.parseAccount("account_name", text);
    assertThat(uri).isEqualTo(SipUri.of("sip", user, host, port > 0 ? port : -1, ""));
    assertThat(SipAddresses.parseAccount("account_name", uri.addressOfRecord())).isEqualTo(uri);
    assertSafeAndStable(uri, s -> SipAddresses.parseAccount("account_name", s));
  }

  @Property
  void generatedPhoneNumbersLoseOnlyTheirSeparators(@ForAll("phoneNumbers") String number) {
    SipUri uri = SipAddresses.parseTarget("callee_id", number, ACCOUNT);
    assertThat(uri.user()).isEqualTo(number.replaceAll("[ .()-]", ""));
    assertThat(uri.params()).isEqualTo(";user=phone");
    assertThat(uri.hostPort()).isEqualTo(ACCOUNT.hostPort());
  }

  @Provide
  Arbitrary<String> users() {
    Arbitrary<String> plain =
        Arbitraries.strings()
            .withChars("abcXYZ019-_.!~*'()&=+$,;?/")
            .ofMinLength(1)
            .ofMaxLength(20);
    Arbitrary<String> escape =
        Arbitraries.integers()
            .between(0x20, 0xff)
            .filter(b -> b != 0x7f)
            .map(b -> String.format("%%%02X", b));
    return Combinators.combine(plain, escape, plain).as((a, e, b) -> a + e + b);
  }

  @Provide
  Arbitrary<String> hosts() {
    Arbitrary<String> label =
        Arbitraries.strings()
            .withChars("abc019-")
            .ofMinLength(1)
            .ofMaxLength(10)
            .filter(l -> !l.startsWith("-") && !l.endsWith("-"));
    Arbitrary<String> top = Arbitraries.strings().withChars("xyz").ofMinLength(1).ofMaxLength(5);
    Arbitrary<String> dns =
        Combinators.combine(label.list().ofMaxSize(4), top)
            .as((ls, t) -> String.join("", ls.stream().map(l -> l + ".").toList()) + t);
    Arbitrary<Integer> octet = Arbitraries.integers().between(0, 255);
    Arbitrary<String> ipv4 =
        octet
            .list()
            .ofSize(4)
            .map(os -> String.join(".", os.stream().map(String::valueOf).toList()));
    Arbitrary<String> group = Arbitraries.integers().between(0, 0xffff).map(Integer::toHexString);
    Arbitrary<String> ipv6Full = group.list().ofSize(8).map(gs -> "[" + String.join(":", gs) + "]");
    Arbitrary<String> ipv6Gap =
        Combinators.combine(group.list().ofMaxSize(3), group.list().ofMaxSize(3))
            .as((h, t) -> "[" + String.join(":", h) + "::" + String.join(":", t) + "]");
    return Arbitraries.oneOf(dns, ipv4, ipv6Full, ipv6Gap);
  }

  @Provide
  Arbitrary<Integer> ports() {
    return Arbitraries.integers().between(0, 65535);
  }

  @Provide
  Arbitrary<String> phoneNumbers() {
    Arbitrary<String> chunk = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(4);
    Arbitrary<String> sep = Arbitraries.of(" ", "-", ".", "(", ")");
    Arbitrary<String> rest =
        Combinators.combine(sep, chunk)
            .as(String::concat)
            .list()
            .ofMinSize(1)
            .ofMaxSize(5)
            .map(l -> String.join("", l));
    return Combinators.combine(Arbitraries.of("+", ""), chunk, rest)
        .as((plus, first, more) -> plus + first + more)
        .filter(s -> s.strip().equals(s));
  }

  private static void checkCoverage(SipUri uri) {
    Statistics.label("outcome")
        .collect(uri == null ? "refused" : "accepted")
        .coverage(
            c -> {
              c.check("accepted").percentage(p -> p > 2);
              c.check("refused").percentage(p -> p > 30);
            });
  }

  /** The parse result, or null when it was refused — with a message fit for a log line. */
  private static SipUri outcome(Supplier<SipUri> parse) {
    try {
      return parse.get();
    } catch (InvalidArgumentException e) {
      assertSafeMessage(e.getMessage());
      return null;
    }
  }

  static void assertSafeMessage(String message) {
    assertThat(message).isNotBlank().hasSizeLessThan(600);
    assertThat(message.chars()).noneMatch(c -> c == '\r' || c == '\n' || c == 0);
  }

  private static void assertSafeAndStable(SipUri uri, Function<String, SipUri> reparse) {
    String wire = uri.toString();
    // Printable ASCII without spaces: nothing that could end a header line or a URI.
    assertThat(wire.chars()).allMatch(c -> c > 0x20 && c < 0x7f);
    assertThat(reparse.apply(wire)).isEqualTo(uri);
  }
}

package org.sipline.core.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
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

/**
 * Whatever headers a client sends, checkExtraHeaders returns only headers that are safe to write
 * into a SIP message, or refuses them with InvalidArgumentException and a safe message.
 */
class SipHeadersPropertyTest {
  private static final String NAME_CHARS = "aZ09-.!%*_+`'~ :;@\"\r\n\0\u00e9";
  private static final String VALUE_CHARS =
      "aZ09 \t;:=<>@\"'\\,\r\n\0\u0001\u007f\u0085\u00e9\u2028\u260e\ud800\udc00";

  @Provide
  Arbitrary<Map<String, String>> headerMaps() {
    Arbitrary<String> names =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.strings().withChars(NAME_CHARS).ofMaxLength(12)),
            Tuple.of(
                4,
                Arbitraries.strings().withChars("aZ09-.!%*_+`'~").ofMinLength(1).ofMaxLength(12)),
            Tuple.of(
                1,
                Arbitraries.of(
                    "Via", "v", "To", "t", "call-id", "CSeq", "Subject", "s", "X-Foo", "x-foo")),
            Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200)));
    Arbitrary<String> values =
        Arbitraries.frequencyOf(
            Tuple.of(5, Arbitraries.strings().withChars(VALUE_CHARS).ofMaxLength(30)),
            Tuple.of(4, Arbitraries.strings().withChars("aZ09 \t;=<>@").ofMaxLength(30)),
            Tuple.of(1, Arbitraries.strings().all().ofMaxLength(1100)));
    Arbitrary<String> tokens =
        Arbitraries.strings().withChars("aZ09-.!%*_+`'~").ofMinLength(1).ofMaxLength(12);
    Arbitrary<String> texts =
        Arbitraries.strings().withChars("aZ09 \t;=<>@\u00e9\u260e").ofMaxLength(30);
    // Mostly-clean maps too, or nearly every map would hold one bad header.
    return Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.maps(names, values).ofMaxSize(70)),
            Tuple.of(1, Arbitraries.maps(tokens, texts).ofMaxSize(70)),
            Tuple.of(1, Arbitraries.maps(tokens, values).ofMaxSize(3)))
        .map(LinkedHashMap::new);
  }

  @Property(tries = 2000)
  void acceptedHeadersAreSafeOnTheWire(@ForAll("headerMaps") Map<String, String> headers) {
    Map<String, String> out;
    try {
      out = SipHeaders.checkExtraHeaders("headers", headers);
    } catch (InvalidArgumentException e) {
      SipAddressesPropertyTest.assertSafeMessage(e.getMessage());
      Statistics.label("outcome").collect("refused");
      return;
    }
    Statistics.label("outcome")
        .collect(out.isEmpty() ? "accepted none" : "accepted some")
        .coverage(c -> c.check("accepted some").percentage(p -> p > 5));
    assertThat(new ArrayList<>(out.keySet())).isEqualTo(new ArrayList<>(headers.keySet()));
    List<String> lower = new ArrayList<>();
    for (Map.Entry<String, String> e : out.entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      assertThat(Chars.isToken(name)).as("token %s", name).isTrue();
      assertThat(SipHeaders.protectedHeaders()).noneMatch(p -> p.equalsIgnoreCase(name));
      assertThat(name)
          .isNotIn("v", "f", "t", "i", "m", "l", "c", "V", "F", "T", "I", "M", "L", "C");
      lower.add(name.toLowerCase(Locale.ROOT));
      assertThat(value.chars())
          .noneMatch(
              ch ->
                  ch == '\r'
                      || ch == '\n'
                      || ch == 0
                      || (ch < 0x20 && ch != '\t')
                      || (ch >= 0x7f && ch <= 0x9f));
      assertThat(value)
          .doesNotStartWith(" ")
          .doesNotStartWith("\t")
          .doesNotEndWith(" ")
          .doesNotEndWith("\t");
      assertThat(value).isEqualTo(headers.get(name).replaceAll("^[ \t]+|[ \t]+$", ""));
    }
    assertThat(lower).doesNotHaveDuplicates();
    // Checking is idempotent: what was accepted is accepted again unchanged.
    assertThat(SipHeaders.checkExtraHeaders("headers", out)).isEqualTo(out);
  }
}

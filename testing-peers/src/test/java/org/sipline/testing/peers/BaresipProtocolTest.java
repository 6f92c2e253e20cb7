package org.sipline.testing.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ctrl_tcp framing and JSON, and the account line, without a running baresip. */
class BaresipProtocolTest {

  @Test
  void netstringsRoundTripAndEndCleanlyBetweenFrames() throws IOException {
    byte[] two = concat(Netstrings.encode("{\"a\":1}"), Netstrings.encode("ü"));
    assertThat(new String(Netstrings.encode("abc"), StandardCharsets.US_ASCII)).isEqualTo("3:abc,");

    ByteArrayInputStream in = new ByteArrayInputStream(two);
    assertThat(Netstrings.read(in)).isEqualTo("{\"a\":1}");
    assertThat(Netstrings.read(in)).isEqualTo("ü");
    assertThat(Netstrings.read(in)).isNull();
  }

  @Test
  void malformedNetstringsAreRefusedNamingTheProblem() {
    assertThatThrownBy(() -> read("3:abc;"))
        .isInstanceOf(IOException.class)
        .hasMessage("netstring of 3 bytes not followed by ',' but 0x3b");
    assertThatThrownBy(() -> read("x:"))
        .isInstanceOf(IOException.class)
        .hasMessage("netstring length has non-digit byte 0x78");
    assertThatThrownBy(() -> read("99999999:"))
        .isInstanceOf(IOException.class)
        .hasMessage("netstring length has more than 7 digits");
    assertThatThrownBy(() -> read("2000000:"))
        .isInstanceOf(IOException.class)
        .hasMessage("netstring length 2000000 > 1048576");
    assertThatThrownBy(() -> read("5:ab"))
        .isInstanceOf(EOFException.class)
        .hasMessage("netstring payload ended after 2 of 5 bytes");
    assertThatThrownBy(() -> read(":"))
        .isInstanceOf(IOException.class)
        .hasMessage("netstring without a length before ':'");
  }

  @Test
  void eventJsonWithNestedStatsBecomesAnEvent() {
    String json =
        "{\"event\":true,\"type\":\"CALL_RTCP\",\"class\":\"call\","
            + "\"accountaor\":\"sip:alice@127.0.0.1:21200\",\"direction\":\"outgoing\","
            + "\"peeruri\":\"sip:bob@127.0.0.1:21210\",\"id\":\"4fc9\",\"param\":\"audio\","
            + "\"rtcp_stats\":{\"tx\":{\"sent\":0,\"lost\":-1,\"jit\":1.5e-3},\"rtt\":0},"
            + "\"list\":[true,false,null,\"a\\\"b\\u00fc\\n\"]}";

    BaresipEvent event = BaresipEvent.of(Json.parseObject(json));

    assertThat(event.type()).isEqualTo("CALL_RTCP");
    assertThat(event.peerUri()).isEqualTo("sip:bob@127.0.0.1:21210");
    assertThat(event.id()).isEqualTo("4fc9");
    @SuppressWarnings("unchecked")
    Map<String, Object> stats = (Map<String, Object>) event.fields().get("rtcp_stats");
    assertThat(stats.get("tx")).isEqualTo(Map.of("sent", 0L, "lost", -1L, "jit", 0.0015));
    assertThat((List<?>) event.fields().get("list"))
        .isEqualTo(java.util.Arrays.asList(true, false, null, "a\"bü\n"));
  }

  @Test
  void malformedJsonIsRefusedWithItsOffset() {
    assertThatThrownBy(() -> Json.parse("{\"a\":01}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("JSON: expected digits without a leading zero at offset 5");
    assertThatThrownBy(() -> Json.parse("{\"a\":1} x"))
        .hasMessageStartingWith("JSON: expected end of input at offset 8 but found 'x'");
    assertThatThrownBy(() -> Json.parse("\"abc"))
        .hasMessageStartingWith("JSON: expected a closing '\"' at offset 4 but found end of input");
    assertThatThrownBy(() -> Json.parse("[".repeat(40)))
        .hasMessageStartingWith("JSON nested deeper than 32");
    assertThatThrownBy(() -> BaresipEvent.of(Json.parseObject("{\"event\":true}")))
        .hasMessageStartingWith("baresip event without a string \"type\"");
  }

  @Test
  void commandJsonEscapesWhatNeedsEscaping() {
    assertThat(Json.writeObject(Map.of("command", "dial \"x\"\\\n\u0001")))
        .isEqualTo("{\"command\":\"dial \\\"x\\\"\\\\\\n\\u0001\"}");
    assertThat(Json.parse(Json.writeObject(Map.of("k", "v\t\u0002"))))
        .isEqualTo(Map.of("k", "v\t\u0002"));
  }

  @Test
  void accountLineForARegisteredAndADirectPhone() {
    BaresipOptions registered =
        BaresipOptions.defaults()
            .withUser("alice")
            .withRegistrar("127.0.0.1:25060", "pw")
            .withCodecs("PCMA");
    assertThat(BaresipConfig.account(registered, 21000))
        .isEqualTo(
            "<sip:alice@127.0.0.1:25060>;auth_pass=pw;regint=3600;answermode=auto;audio_codecs=PCMA");
    assertThat(BaresipConfig.account(BaresipOptions.defaults().withAutoAnswer(false), 21000))
        .isEqualTo(
            "<sip:baresip@127.0.0.1:21000>;regint=0;answermode=manual;audio_codecs=PCMU,PCMA");
  }

  @Test
  void optionsRefuseValuesThatWouldBreakTheAccountLine() {
    assertThatThrownBy(() -> BaresipOptions.defaults().withRegistrar("127.0.0.1:5", "a;b"))
        .hasMessageContaining("without ; \" < > \\");
    assertThatThrownBy(() -> BaresipOptions.defaults().withRegistrar("10.0.0.1:5060", "pw"))
        .hasMessageContaining("10.0.0.1:5060");
    assertThatThrownBy(() -> BaresipOptions.defaults().withCodecs("PCMU", "PCMU"))
        .hasMessageContaining("[PCMU, PCMU]");
  }

  private static String read(String wire) throws IOException {
    return Netstrings.read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.US_ASCII)));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}

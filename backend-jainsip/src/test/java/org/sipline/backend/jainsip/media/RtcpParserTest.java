package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our compound packets read back; each kind of malformed RTCP refused whole, naming the fault. */
class RtcpParserTest {
  /** Everything a handler hears, as text, in order. */
  static final class Recording implements RtcpParser.Handler {
    final List<String> heard = new ArrayList<>();

    @Override
    public void senderReport(
        long ssrc,
        long ntpSeconds,
        long ntpFraction,
        long rtpTimestamp,
        long packets,
        long octets) {
      heard.add(
          "SR " + ssrc + " " + ntpSeconds + " " + rtpTimestamp + " " + packets + " " + octets);
    }

    @Override
    public void reportBlock(
        long reporter,
        long source,
        int fractionLost,
        int cumulativeLost,
        long extendedHighestSequence,
        long jitter,
        long lastSr,
        long delaySinceLastSr) {
      heard.add(
          "RB "
              + reporter
              + ">"
              + source
              + " "
              + fractionLost
              + " "
              + cumulativeLost
              + " "
              + extendedHighestSequence
              + " "
              + jitter
              + " "
              + lastSr
              + " "
              + delaySinceLastSr);
    }

    @Override
    public void cname(long ssrc, byte[] buf, int offset, int length) {
      heard.add("CNAME " + ssrc + " " + new String(buf, offset, length, StandardCharsets.UTF_8));
    }

    @Override
    public void bye(long ssrc) {
      heard.add("BYE " + ssrc);
    }
  }

  static byte[] compound(boolean sr, boolean withBlock, String cname, boolean bye) {
    byte[] out = new byte[RtcpWriter.maxSize(cname.length())];
    RtcpWriter.Block b = null;
    if (withBlock) {
      b = new RtcpWriter.Block();
      b.source = 0xCAFEBABEL;
      b.fractionLost = 25;
      b.cumulativeLost = -3;
      b.extendedHighestSequence = 70_000;
      b.jitter = 42;
      b.lastSr = 0x12345678L;
      b.delaySinceLastSr = 65536;
    }
    long ntp = (3_900_000_000L * 1_000_000_000L) % Long.MAX_VALUE;
    int n =
        RtcpWriter.write(
            out,
            0xDEADBEEFL,
            sr,
            ntp,
            123_456,
            500,
            80_000,
            b,
            cname.getBytes(StandardCharsets.UTF_8),
            bye);
    return Arrays.copyOf(out, n);
  }

  private static List<String> parse(byte[] p) throws MalformedRtpException {
    Recording r = new Recording();
    RtcpParser.parse(p, 0, p.length, r);
    return r.heard;
  }

  @Test
  void senderReportWithBlockSdesAndByeReadBack() throws Exception {
    byte[] p = compound(true, true, "abc", true);
    List<String> heard = parse(p);
    assertThat(heard).hasSize(4);
    assertThat(heard.get(0)).startsWith("SR 3735928559 ").endsWith(" 123456 500 80000");
    assertThat(heard.get(1)).isEqualTo("RB 3735928559>3405691582 25 -3 70000 42 305419896 65536");
    assertThat(heard.get(2)).isEqualTo("CNAME 3735928559 abc");
    assertThat(heard.get(3)).isEqualTo("BYE 3735928559");
    assertThat(p.length % 4).isZero();
  }

  @Test
  void receiverReportWithoutBlockAndCnamesOfEveryLengthPadCorrectly() throws Exception {
    for (int len = 0; len < 12; len++) {
      String cname = "x".repeat(len);
      byte[] p = compound(false, false, cname, false);
      assertThat(p.length % 4).as("length for a %d-byte CNAME", len).isZero();
      assertThat(parse(p)).containsExactly("CNAME 3735928559 " + cname);
    }
  }

  @Test
  void unknownPacketTypesAreSkipped() throws Exception {
    byte[] rr = compound(false, false, "a", false);
    byte[] app = {(byte) 0x80, (byte) 204, 0, 2, 1, 2, 3, 4, 'n', 'a', 'm', 'e'};
    byte[] p = Arrays.copyOf(rr, rr.length + app.length);
    System.arraycopy(app, 0, p, rr.length, app.length);
    assertThat(parse(p)).containsExactly("CNAME 3735928559 a");
  }

  private static void refused(byte[] p, String message) {
    Recording r = new Recording();
    assertThatThrownBy(() -> RtcpParser.parse(p, 0, p.length, r))
        .isInstanceOf(MalformedRtpException.class)
        .hasMessageContaining(message);
    assertThat(r.heard).as("nothing of a malformed packet is handed on").isEmpty();
  }

  @Test
  void malformedPacketsAreRefusedWhole() {
    byte[] good = compound(true, true, "abc", true);
    refused(new byte[4], "RTCP size 4 < 8");
    refused(Arrays.copyOf(good, good.length - 4), "exceeds");
    byte[] v1 = good.clone();
    v1[0] = (byte) ((v1[0] & 0x3F) | 0x40);
    refused(v1, "RTCP version 1 != 2");
    byte[] lateVersion = good.clone();
    lateVersion[good.length - 8] = 0x01; // the BYE's header
    refused(lateVersion, "version 0");
    byte[] sdesFirst = compound(false, false, "abc", false);
    sdesFirst[1] = (byte) RtcpParser.SDES;
    refused(sdesFirst, "starts with type 202");
    byte[] padded = good.clone();
    padded[0] |= 0x20;
    refused(padded, "padding bit set in the first packet");
    byte[] count = compound(false, false, "abc", false);
    count[0] = (byte) 0x81; // an RR claiming a block it lacks
    refused(count, "needs 32 bytes");
    byte[] length = good.clone();
    length[3] = (byte) 200;
    refused(length, "exceeds");
  }

  @Test
  void sdesItemsRunningPastTheirPacketAreRefused() {
    byte[] p = compound(false, false, "abcd", false);
    int sdes = 8; // after the empty RR
    p[sdes + 9] = 100; // the CNAME's length
    refused(p, "runs past its packet");
    byte[] chunks = compound(false, false, "abcd", false);
    chunks[sdes] = (byte) 0x82; // two chunks, one present
    refused(chunks, "SDES chunk 2 of 2");
  }

  @Test
  void aLoneByeAsLibreSendsItIsTaken() throws Exception {
    byte[] bye = {(byte) 0x81, (byte) 203, 0, 1, 1, 2, 3, 4};
    assertThat(parse(bye)).containsExactly("BYE 16909060");
  }

  @Test
  void byeReasonMustFit() throws Exception {
    byte[] rr = compound(false, false, "a", false);
    byte[] bye = {(byte) 0x81, (byte) 203, 0, 2, 1, 2, 3, 4, 9, 'a', 'b', 'c'};
    byte[] p = Arrays.copyOf(rr, rr.length + bye.length);
    System.arraycopy(bye, 0, p, rr.length, bye.length);
    refused(p, "type 203 needs");
    bye[8] = 3;
    System.arraycopy(bye, 0, p, rr.length, bye.length);
    assertThat(parse(p)).contains("BYE 16909060");
  }

  @Test
  void paddingOnlyInTheLastPacketAndWithinIt() throws Exception {
    byte[] rr = compound(false, false, "a", false);
    byte[] app = {(byte) 0xA0, (byte) 204, 0, 2, 1, 2, 3, 4, 0, 0, 0, 4};
    byte[] p = Arrays.copyOf(rr, rr.length + app.length);
    System.arraycopy(app, 0, p, rr.length, app.length);
    assertThat(parse(p)).hasSize(1);
    p[p.length - 1] = 0;
    refused(p, "RTCP padding 0");
    p[p.length - 1] = 13;
    refused(p, "RTCP padding 13");
    byte[] early = compound(false, false, "a", true);
    early[8] |= 0x20; // the SDES, not last
    refused(early, "padding in a packet that is not the last");
  }
}

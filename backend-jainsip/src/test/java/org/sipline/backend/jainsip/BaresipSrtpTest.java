package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.spi.SrtpMode;
import org.sipline.testing.peers.AbstractBaresipSrtpTest;

/**
 * The SRTP-with-baresip cases ({@link AbstractBaresipSrtpTest}: {@code mediaenc=srtp-mand},
 * RTP/SAVP with SDES keys) on jainsip, with a tshark capture, and jainsip's best-effort SRTP:
 * baresip's {@code mediaenc=srtp} offers RTP/AVP with crypto lines, which we answer with ours under
 * {@code offer} and {@code require} — audio both ways intact, no μ-law in the capture.
 */
class BaresipSrtpTest extends AbstractBaresipSrtpTest {
  @Override
  protected SrtpLine openLine(Path dir, SrtpMode mode, Events events) throws Exception {
    JainSipTestLine line =
        JainSipTestLine.start(
            LINE_USER,
            b -> b.srtp(mode),
            events,
            () -> assertThat(events.next(WAIT)).isEqualTo("registered"));
    return new SrtpLine(line.account, line.backend.sipPort(), line::close);
  }

  @Override
  protected RtpCapture captureRtp(Path dir, int firstPort, int lastPort) throws Exception {
    LoopbackCapture capture = LoopbackCapture.start(dir, firstPort, lastPort);
    return new RtpCapture() {
      @Override
      public List<byte[]> stopAndRead() throws Exception {
        return capture.stop();
      }

      @Override
      public void close() {
        capture.close();
      }
    };
  }

  @Test
  void baresipCallsUsWithBestEffortSrtpOnRtpAvpAndWeAnswerWithSrtp(@TempDir Path dir)
      throws Exception {
    // mediaenc=srtp: RTP/AVP with crypto lines; we answer RTP/AVP with our crypto line, and both
    // sides send SRTP.
    assertSecure(call(dir, SrtpMode.OFFER, "srtp", false), dir);
  }

  @Test
  void bestEffortSrtpOnRtpAvpSatisfiesRequire(@TempDir Path dir) throws Exception {
    assertSecure(call(dir, SrtpMode.REQUIRE, "srtp", false), dir);
  }
}

package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.SrtpMode;
import org.sipline.testing.peers.AbstractBaresipSrtpTest;

/**
 * The SRTP-with-baresip cases ({@link AbstractBaresipSrtpTest}) through pjsua, as jainsip's {@code
 * BaresipSrtpTest}; the capture is {@code dumpcap}'s. pjsip's own log, written at level 5 (SIP
 * messages, and the streams' keys before redaction), names no key.
 */
class PjsipBaresipSrtpTest extends AbstractBaresipSrtpTest {
  private static final String LOG = "pjsip.log";

  @Override
  protected SrtpLine openLine(Path dir, SrtpMode mode, Events events) throws Exception {
    NativeShimAvailable.assumeSrtp();
    assumeTrue(UdpCapture.dumpcap() != null, "dumpcap is not installed");
    DatagramSocket silentRegistrar = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    PjsipBackend backend;
    try {
      backend = start(dir, mode);
    } catch (RuntimeException e) {
      silentRegistrar.close();
      throw e;
    }
    Closer resources =
        () -> {
          try (silentRegistrar;
              backend) {
            // closes both, the backend first
          }
        };
    try {
      // The registrar never answers; its host (127.0.0.1) is trusted for baresip's INVITE.
      SipAccount line =
          backend.register(
              new AccountSpec(
                  SipUri.of(LINE_USER, "127.0.0.1", silentRegistrar.getLocalPort()),
                  "pw",
                  LINE_USER,
                  null),
              events);
      assertThat(events.next(WAIT)).startsWith("registrationFailed");
      return new SrtpLine(line, backend.sipPort(), resources);
    } catch (Exception | AssertionError e) {
      resources.close();
      throw e;
    }
  }

  private static PjsipBackend start(Path dir, SrtpMode mode) {
    return (PjsipBackend)
        new PjsipBackendProvider()
            .create(
                BackendConfig.loopback()
                    .srtp(mode)
                    .registerTimeout(Duration.ofMillis(300))
                    .options(
                        Map.of(
                            PjsipBackend.OPTION_LOG_FILE,
                            dir.resolve(LOG).toString(),
                            PjsipBackend.OPTION_LOG_LEVEL,
                            "5"))
                    .build());
  }

  @Override
  protected RtpCapture captureRtp(Path dir, int firstPort, int lastPort) throws Exception {
    UdpCapture capture = UdpCapture.bothWays(dir, firstPort, lastPort);
    return new RtpCapture() {
      @Override
      public List<byte[]> stopAndRead() throws Exception {
        return capture.stopAndRead();
      }

      @Override
      public void close() {
        capture.close();
      }
    };
  }

  /**
   * The SDP with its crypto lines is in the log (complete once the backend closed), the keys not.
   */
  @Override
  protected void assertNoKeyIn(Path dir) throws Exception {
    String log = Files.readString(dir.resolve(LOG));
    assertThat(log).contains("a=crypto:").contains("inline:<redacted>");
    assertThat(log).doesNotContainPattern("inline:(?!<redacted>)");
    assertThat(log).doesNotContainPattern(" key=(?!<redacted>)");
  }
}

package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.FreePorts;
import org.sipline.testing.peers.Sipp;
import org.sipline.testing.peers.SippOptions;
import org.sipline.testing.peers.SippScenario;

/** What our INVITE's SDP offers, read off the wire by SIPp: SPEC §3's media, nothing more. */
class PjsipSdpTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final Pattern AUDIO = Pattern.compile("m=audio (\\d+) RTP/AVP ([0-9 ]+)");

  private DatagramSocket silentRegistrar;
  private PjsipBackend backend;
  private int rtpMin;
  private final RecordingListener listener = new RecordingListener();

  @BeforeEach
  void start() throws Exception {
    NativeShimAvailable.assume();
    silentRegistrar = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    rtpMin = FreePorts.udpPortBlock(10);
    backend =
        (PjsipBackend)
            new PjsipBackendProvider()
                .create(
                    BackendConfig.loopback()
                        .registerTimeout(Duration.ofMillis(300))
                        .rtpPorts(rtpMin, rtpMin + 9)
                        .build());
  }

  @AfterEach
  void stop() {
    if (backend != null) {
      backend.close();
    }
    if (silentRegistrar != null) {
      silentRegistrar.close();
    }
  }

  @Test
  void theOfferIsPcmuThenPcmaWithTelephoneEventFromTheConfiguredRtpRangeAndNoTextStream()
      throws Exception {
    try (Sipp sipp = Sipp.uas(SippScenario.resource("uas-busy.xml"), SippOptions.defaults())) {
      backend
          .register(
              new AccountSpec(
                  SipUri.of("alice", "127.0.0.1", silentRegistrar.getLocalPort()),
                  "pw",
                  "alice",
                  null),
              listener)
          .call(
              SipUri.of("bob", "127.0.0.1", sipp.port()),
              Map.of(),
              new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD));
      // The 486 and the (unanswered) REGISTER's failure race; either may come first.
      assertThat(List.of(listener.next(BOUND), listener.next(BOUND)))
          .anyMatch(e -> e.startsWith("callFailed 486"))
          .anyMatch(e -> e.startsWith("registrationFailed"));
      sipp.awaitSuccess(BOUND);

      String invite = sipp.messages();
      Matcher audio = AUDIO.matcher(invite);
      assertThat(audio.find()).as("m=audio line in %s", invite).isTrue();
      assertThat(Integer.parseInt(audio.group(1))).isBetween(rtpMin, rtpMin + 9);
      String[] payloadTypes = audio.group(2).trim().split(" ");
      assertThat(payloadTypes).hasSize(3).startsWith("0", "8");
      assertThat(invite)
          .contains("a=rtpmap:" + payloadTypes[2] + " telephone-event/8000", "c=IN IP4 127.0.0.1");
      assertThat(invite).doesNotContain("m=text", "m=video");
    }
  }
}

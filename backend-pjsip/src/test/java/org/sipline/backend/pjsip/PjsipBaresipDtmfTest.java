package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.sipline.core.spi.DtmfMethod.RFC4733;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.DtmfEvent;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipEvent;
import org.sipline.testing.peers.BaresipOptions;
import org.sipline.testing.peers.FreePorts;

/**
 * DTMF with baresip, a softphone that sends and receives RFC 4733 its own way: the digits it sends
 * arrive once each, in order, with the durations its end packets carry on the wire (captured with
 * dumpcap); the digits the backend sends reach it in order.
 */
class PjsipBaresipDtmfTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final int RTP_PORTS = 8;

  @TempDir Path dir;

  private DatagramSocket silentRegistrar;
  private PjsipBackend backend;
  private int rtpMin;
  private final RecordingListener listener = new RecordingListener();
  private SipAccount account;

  @BeforeEach
  void start() throws Exception {
    NativeShimAvailable.assume();
    silentRegistrar = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    rtpMin = FreePorts.udpPortBlock(RTP_PORTS);
    backend =
        (PjsipBackend)
            new PjsipBackendProvider()
                .create(
                    BackendConfig.loopback()
                        .registerTimeout(Duration.ofMillis(300))
                        .rtpPorts(rtpMin, rtpMin + RTP_PORTS - 1)
                        .build());
    account =
        backend.register(
            new AccountSpec(
                SipUri.of("alice", "127.0.0.1", silentRegistrar.getLocalPort()),
                "pw",
                "alice",
                null),
            listener);
    assertThat(listener.next(BOUND)).startsWith("registrationFailed");
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
  void digitsFromBaresipArriveInOrderOnceEachWithTheDurationsOnTheWire() throws Exception {
    Assumptions.assumeTrue(
        UdpCapture.dumpcap() != null, "dumpcap (Wireshark) is needed to read the wire");
    MediaProbe probe = new MediaProbe();
    String digits = "15#9*0";
    List<DtmfEvent> events = new ArrayList<>();
    List<byte[]> wire;
    try (UdpCapture capture = UdpCapture.start(dir, rtpMin, rtpMin + RTP_PORTS - 1);
        Baresip bob = Baresip.start(BaresipOptions.defaults().withUser("bob"))) {
      SipCall call =
          account.call(SipUri.of("bob", "127.0.0.1", bob.port()), Map.of(), probe.media());
      assertThat(listener.next(BOUND)).isEqualTo("callRinging 180");
      assertThat(listener.next(BOUND)).isEqualTo("callConnected");

      for (char digit : digits.toCharArray()) {
        bob.command("sndcode", String.valueOf(digit));
        events.add(probe.nextDtmf(BOUND));
        events.add(probe.nextDtmf(BOUND));
      }
      assertThat(probe.pollDtmf(Duration.ofMillis(500))).as("no duplicate").isNull();
      call.hangup();
      assertThat(listener.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
      wire = capture.stopAndRead();
    }

    Map<Long, Integer> endDurations = endDurationsByTimestamp(wire);
    assertThat(endDurations).as("digits on the wire").hasSize(digits.length());
    List<Integer> wireMillis = new ArrayList<>(endDurations.values());
    for (int i = 0; i < digits.length(); i++) {
      char digit = digits.charAt(i);
      assertThat(events.get(2 * i)).isEqualTo(DtmfEvent.start(digit, RFC4733));
      DtmfEvent end = events.get(2 * i + 1);
      assertThat(end.digit()).isEqualTo(digit);
      assertThat(end.end()).isTrue();
      assertThat(end.durationMillis())
          .as("duration of '%s'", digit)
          .isCloseTo(wireMillis.get(i), within(10));
    }
  }

  @Test
  void digitsSentByTheBackendReachBaresipInOrder() throws Exception {
    try (Baresip bob = Baresip.start(BaresipOptions.defaults().withUser("bob"))) {
      SipCall call =
          account.call(
              SipUri.of("bob", "127.0.0.1", bob.port()), Map.of(), new MediaProbe().media());
      assertThat(listener.next(BOUND)).isEqualTo("callRinging 180");
      assertThat(listener.next(BOUND)).isEqualTo("callConnected");
      bob.awaitEvent("CALL_RTPESTAB", BOUND);

      String digits = "73#A";
      for (char digit : digits.toCharArray()) {
        assertThat(call.sendDtmf(digit, 120).get(BOUND.toMillis(), TimeUnit.MILLISECONDS))
            .isEqualTo(RFC4733);
      }
      bob.awaitEvent(e -> e.is("CALL_DTMF_END") && countStarts(bob) == digits.length(), BOUND);
      List<String> received = new ArrayList<>();
      for (BaresipEvent e : bob.events()) {
        if (e.is("CALL_DTMF_START")) {
          received.add(e.param());
        }
      }
      assertThat(received).containsExactly("7", "3", "#", "A");
      call.hangup();
      assertThat(listener.next(BOUND)).isEqualTo("callEnded LOCAL_BYE");
    }
  }

  private static long countStarts(Baresip bob) {
    return bob.events().stream().filter(e -> e.is("CALL_DTMF_START")).count();
  }

  /** RFC 4733 end packets (PT 96..127, 4-byte payload, E bit) on the wire: duration ms by event. */
  private static Map<Long, Integer> endDurationsByTimestamp(List<byte[]> datagrams) {
    Map<Long, Integer> ends = new LinkedHashMap<>();
    for (byte[] d : datagrams) {
      if (d.length != 16 || (d[0] & 0xc0) != 0x80) {
        continue;
      }
      int pt = d[1] & 0x7f;
      if (pt < 96) {
        continue;
      }
      ByteBuffer b = ByteBuffer.wrap(d);
      long timestamp = b.getInt(4) & 0xffff_ffffL;
      boolean end = (d[13] & 0x80) != 0;
      int duration = ((d[14] & 0xff) << 8) | (d[15] & 0xff);
      if (end) {
        ends.putIfAbsent(timestamp, duration / 8);
      }
    }
    return ends;
  }
}

package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.RecordingSipEventListener.Registered;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;

/**
 * An outgoing call's {@link SipCall#inviteHandled()} completes only once its INVITE is on the wire
 * (the core answers SipStartCall then, issue 16): on loopback a sent datagram is already in the
 * receiver's queue when the send returns, so a non-blocking read finds it without waiting.
 */
class InviteHandledTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final CallMedia SILENCE = new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD);

  @Test
  void inviteHandledCompletesOnlyOnceTheInviteIsOnTheWire() throws Exception {
    try (ScriptedSipPeer registrar = new ScriptedSipPeer();
        DatagramChannel callee =
            DatagramChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        JainSipBackend backend = JainSipBackend.start(BackendConfig.loopback().build())) {
      registrar.answerEverything(200);
      callee.configureBlocking(false);
      RecordingSipEventListener events = new RecordingSipEventListener();
      SipAccount account =
          backend.register(
              new AccountSpec(
                  SipUri.of("alice", "127.0.0.1", registrar.port()), "x", "alice", null),
              events);
      events.next(Registered.class, WAIT);
      int port = ((InetSocketAddress) callee.getLocalAddress()).getPort();

      for (int i = 0; i < 5; i++) {
        SipCall call = account.call(SipUri.of("bob", "127.0.0.1", port), Map.of(), SILENCE);
        call.inviteHandled().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        // Everything already queued (an earlier call's INVITE may be retransmitted meanwhile).
        List<String> received = new ArrayList<>();
        ByteBuffer datagram = ByteBuffer.allocate(8192);
        while (callee.receive(datagram) != null) {
          received.add(
              new String(datagram.array(), 0, datagram.position(), StandardCharsets.UTF_8));
          datagram.clear();
        }
        assertThat(received)
            .as("datagrams already received when inviteHandled completed")
            .anySatisfy(
                text ->
                    assertThat(text)
                        .startsWith("INVITE sip:bob@127.0.0.1:" + port)
                        .contains("Call-ID: " + call.callId()));
        call.terminate();
      }
    }
  }
}

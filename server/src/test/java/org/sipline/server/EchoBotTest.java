package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Empty;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.sip.SipEndCallRequest;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipStatus;
import org.sipline.core.media.AudioEncoding;
import org.sipline.core.media.AudioFormat;
import org.sipline.core.media.CallSelector;
import org.sipline.core.media.MediaEvent;
import org.sipline.core.media.StreamCounters;
import org.sipline.core.spi.DtmfMethod;

/**
 * The example bot ({@code examples/live-bot/echo_bot.py}, Debian's python3-grpcio) against the
 * LineMedia service over a {@link FakeLineMedia}: the test plays the call, the bot must answer as
 * the README says. The end-to-end run against baresip is {@code e2e.LiveBotIT}.
 */
class EchoBotTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "live-bot");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int FRAME_BYTES = 320; // 20 ms of LINEAR16 at 8 kHz

  @TempDir Path dir;

  private final FakeLineMedia media = new FakeLineMedia();
  private final List<SipEndCallRequest> hangups = new CopyOnWriteArrayList<>();
  private LineMediaService service;
  private Server server;
  private Process bot;
  private long position;

  @BeforeEach
  void start() throws Exception {
    service = new LineMediaService(media);
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .directExecutor()
            .addService(service)
            .addService(
                new SipGrpc.SipImplBase() {
                  @Override
                  public void sipGetSipStatus(Empty r, StreamObserver<SipStatus> o) {
                    o.onNext(
                        SipStatus.newBuilder().setStatusType(SipStatus.StatusType.READY).build());
                    o.onCompleted();
                  }

                  @Override
                  public void sipEndCall(SipEndCallRequest r, StreamObserver<SipStatus> o) {
                    hangups.add(r);
                    o.onNext(SipStatus.getDefaultInstance());
                    o.onCompleted();
                  }
                })
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    if (bot != null) {
      bot.destroyForcibly();
    }
    server.shutdownNow();
    service.close();
  }

  private static int run(Path log, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return p.exitValue();
  }

  /** {@code n} frames of 20 ms, loud (a 400 Hz square wave, RMS 3000) or silent. */
  private MediaEvent[] frames(int n, boolean loud) {
    MediaEvent[] out = new MediaEvent[n];
    for (int i = 0; i < n; i++) {
      byte[] pcm = new byte[FRAME_BYTES];
      if (loud) {
        for (int s = 0; s < FRAME_BYTES / 2; s++) {
          short v = (short) ((s / 10) % 2 == 0 ? 3000 : -3000);
          pcm[2 * s] = (byte) v;
          pcm[2 * s + 1] = (byte) (v >> 8);
        }
      }
      out[i] = new MediaEvent.AudioIn(position, pcm, 0, 0, false);
      position += FRAME_BYTES / 2;
    }
    return out;
  }

  /** Bytes of the bot's audio commands for {@code utterance}; the last one must end it. */
  private static int spoken(FakeMediaStream stream, String utterance) {
    int bytes = 0;
    for (String c : stream.commands) {
      String[] parts = c.split(" ");
      if (parts[0].equals("audio") && parts[1].equals(utterance)) {
        bytes += Integer.parseInt(parts[2]);
      }
    }
    return bytes;
  }

  private static boolean ended(FakeMediaStream stream, String utterance) {
    return stream.commands.stream()
        .anyMatch(c -> c.startsWith("audio " + utterance + " ") && c.endsWith(" end"));
  }

  @Test
  void theBotEchoesAPhraseClearsOnBargeInEchoesDigitsAndHangsUpOnHash() throws Exception {
    Path stubs = dir.resolve("stubs");
    Path generated = dir.resolve("generate.log");
    assertThat(run(generated, EXAMPLE.resolve("generate.sh").toString(), stubs.toString()))
        .as("examples/live-bot/generate.sh (python3-grpc-tools):\n%s", Files.readString(generated))
        .isZero();
    Path log = dir.resolve("bot.log");
    List<String> command =
        new ArrayList<>(
            List.of(
                "/usr/bin/python3",
                EXAMPLE.resolve("echo_bot.py").toString(),
                "--target",
                "127.0.0.1:" + server.getPort(),
                "--once"));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("LIVE_BOT_STUBS", stubs.toString());
    bot = pb.start();

    await().atMost(WAIT).until(() -> !media.streams.isEmpty() || !bot.isAlive());
    assertThat(media.streams)
        .as("the bot's Converse; its log:\n%s", Files.readString(log))
        .hasSize(1);
    assertThat(media.converses.get(0).call()).isEqualTo(CallSelector.NEXT);
    AudioFormat pcm8k = new AudioFormat(AudioEncoding.LINEAR16, 8000);
    assertThat(media.converses.get(0).inbound()).isEqualTo(pcm8k);
    assertThat(media.converses.get(0).outbound()).isEqualTo(pcm8k);
    FakeMediaStream stream = media.stream();

    stream.emit(
        new MediaEvent.Opened(
            1,
            "call-1",
            "sip:bob@example.org",
            true,
            "PCMU",
            8000,
            pcm8k,
            pcm8k,
            20,
            1000,
            20_000,
            "t",
            10_000,
            false,
            0));
    // Quiet, then 500 ms of speech, then 700 ms of quiet: after 600 ms of it the phrase is over.
    stream.emit(frames(10, false));
    stream.emit(frames(25, true));
    stream.emit(frames(35, false));
    await().atMost(WAIT).until(() -> ended(stream, "u1"));
    // Said back: the 200 ms kept before speech started and the 500 ms of speech.
    assertThat(spoken(stream, "u1")).isEqualTo(700 * 16);

    // The caller talks over it: the bot clears at once.
    stream.emit(frames(3, true));
    await().atMost(WAIT).until(() -> stream.commands.contains("clear u1"));
    stream.emit(
        new MediaEvent.Cleared(2, "u1", "u1", 2400, position, List.of("u1"), 8800),
        new MediaEvent.Dtmf(3, '5', false, position, 0, DtmfMethod.RFC4733),
        new MediaEvent.Dtmf(4, '5', true, position, 120, DtmfMethod.RFC4733));
    // The digit's tone pair (150 ms) and 50 ms of quiet, as an utterance of its own.
    await().atMost(WAIT).until(() -> ended(stream, "u2"));
    assertThat(spoken(stream, "u2")).isEqualTo(200 * 16);

    stream.emit(new MediaEvent.Dtmf(5, '#', true, position, 100, DtmfMethod.SIP_INFO));
    await().atMost(WAIT).until(() -> !hangups.isEmpty());
    assertThat(hangups.get(0).getHardHangup()).isFalse();

    stream.emit(
        new MediaEvent.CallState(6, MediaEvent.CallState.State.ENDED, 0, "BYE", position),
        new MediaEvent.Statistics(
            7, new StreamCounters(73, 0, 20, 0, 0, 0, 0, 0, 0, 2, 0, 0, 5600)));
    stream.end();
    assertThat(bot.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    String transcript = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(bot.exitValue()).as(transcript).isZero();
    assertThat(transcript)
        .contains(
            "call call-1 from sip:bob@example.org (PCMU)",
            "heard 700 ms; saying it back",
            "stopped speaking: u1 cut after 300 ms",
            "DTMF 5 (120 ms)",
            "hanging up on #",
            "call ended BYE");
  }
}

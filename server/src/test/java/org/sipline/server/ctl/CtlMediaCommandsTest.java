package org.sipline.server.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.api.media.v1.AudioEncoding;
import org.sipline.api.media.v1.AudioIn;
import org.sipline.api.media.v1.CallSelector;
import org.sipline.api.media.v1.CallState;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.ConverseRequest;
import org.sipline.api.media.v1.ListenRequest;
import org.sipline.api.media.v1.MarkResolved;
import org.sipline.api.media.v1.StreamStatistics;
import org.sipline.core.audio.WavAudio;
import org.sipline.core.audio.WavReader;
import org.sipline.server.Main;
import org.sipline.testing.TestWavs;
import picocli.CommandLine;

/** {@code ctl listen}, {@code say} and {@code dtmf} against a scripted LineMedia server. */
class CtlMediaCommandsTest {
  private final ScriptedMedia media = new ScriptedMedia();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Server server;
  private String target;

  @TempDir Path dir;

  @BeforeEach
  void startServer() throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(media)
            .build()
            .start();
    target = "127.0.0.1:" + server.getPort();
  }

  @AfterEach
  void stopServer() {
    server.shutdownNow();
  }

  private int ctl(String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "ctl";
    System.arraycopy(args, 0, all, 1, args.length);
    String[] withTarget = new String[all.length + 2];
    System.arraycopy(all, 0, withTarget, 0, all.length);
    withTarget[all.length] = "--target";
    withTarget[all.length + 1] = target;
    return cl.execute(withTarget);
  }

  private static byte[] pcm(short... samples) {
    ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : samples) {
      b.putShort(s);
    }
    return b.array();
  }

  private static ConverseEvent audioIn(long position, long dropped, short... samples) {
    return ConverseEvent.newBuilder()
        .setAudioIn(
            AudioIn.newBuilder()
                .setPosition(position)
                .setDroppedSamples(dropped)
                .setData(ByteString.copyFrom(pcm(samples))))
        .build();
  }

  // ---- listen -----------------------------------------------------------------------------------

  @Test
  void listenWritesTheCallersAudioIntoACompleteWavUntilTheCallEnds() throws Exception {
    media.listenEvents =
        List.of(
            ConverseEvent.newBuilder()
                .setSequence(1)
                .setCallState(CallState.newBuilder().setState(CallState.State.WAITING))
                .build(),
            ScriptedMedia.opened(2),
            audioIn(0, 0, (short) 1, (short) 2, (short) 3),
            audioIn(6, 3, (short) -4, (short) 5),
            ConverseEvent.newBuilder()
                .setSequence(3)
                .setCallState(
                    CallState.newBuilder().setState(CallState.State.ENDED).setReason("BYE"))
                .build(),
            ConverseEvent.newBuilder()
                .setSequence(4)
                .setStatistics(StreamStatistics.getDefaultInstance())
                .build());
    Path wav = dir.resolve("caller.wav");
    assertThat(ctl("listen", "--out", wav.toString(), "--call", "next")).isZero();

    ListenRequest request = (ListenRequest) media.requests.get(0);
    assertThat(request.getCall()).isEqualTo(CallSelector.NEXT);
    assertThat(request.getInboundFormat().getEncoding()).isEqualTo(AudioEncoding.LINEAR16);
    assertThat(request.getInboundFormat().getSampleRate()).as("the call's own rate").isZero();
    WavAudio written = WavReader.read(Files.readAllBytes(wav));
    assertThat(written.sampleRate()).isEqualTo(8000);
    // The three samples the server dropped for a slow client are silence: the timeline holds.
    assertThat(written.samples()).containsExactly(1, 2, 3, 0, 0, 0, -4, 5);
    assertThat(out.toString())
        .contains("waiting for the next call")
        .contains("recording call call-1 (sip:bob@example.org) into " + wav)
        .contains("call ended: BYE")
        .contains("wrote 0.00 s (8 samples) to " + wav)
        .contains("3 samples were dropped");
  }

  @Test
  void listenWithoutACallExitsOneAndLeavesNoFile() {
    media.listenEnd = Status.FAILED_PRECONDITION.withDescription("no call in progress");
    Path wav = dir.resolve("none.wav");
    assertThat(ctl("listen", "--out", wav.toString())).isEqualTo(1);
    assertThat(((ListenRequest) media.requests.get(0)).getCall()).isEqualTo(CallSelector.CURRENT);
    assertThat(err.toString()).contains("refused: FAILED_PRECONDITION: no call in progress");
    assertThat(wav).doesNotExist();
  }

  // ---- say --------------------------------------------------------------------------------------

  @Test
  void sayStreamsTheFileAsOneUtteranceInPacedChunksAndWaitsForItsEnd() throws Exception {
    byte[] file = TestWavs.sine(8000, 1, 440, 700, 0.5);
    Path wav = Files.write(dir.resolve("hello.wav"), file);
    long start = System.nanoTime();
    assertThat(ctl("say", wav.toString(), "--chunk-ms", "100")).isZero();
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    List<ConverseRequest> requests =
        media.requests.stream().map(ConverseRequest.class::cast).toList();
    assertThat(requests.get(0).getOpen().getCall()).isEqualTo(CallSelector.CURRENT);
    assertThat(requests.get(0).getOpen().getOutboundFormat().getSampleRate())
        .as("the call's own rate")
        .isZero();
    List<ConverseRequest> chunks =
        requests.stream().filter(r -> r.getKindCase() == ConverseRequest.KindCase.AUDIO).toList();
    assertThat(chunks).hasSize(7);
    assertThat(chunks).allMatch(c -> c.getAudio().getUtteranceId().equals("ctl-say"));
    assertThat(chunks.get(0).getAudio().getData().size()).isEqualTo(1600);
    assertThat(chunks.subList(0, 6)).noneMatch(c -> c.getAudio().getEndOfUtterance());
    assertThat(chunks.get(6).getAudio().getEndOfUtterance()).isTrue();
    assertThat(requests.get(requests.size() - 1).getMark().getId()).isEqualTo("ctl-say-end");
    // What arrived is the file's audio, byte for byte.
    short[] sent = new short[media.audio.size() / 2];
    ByteBuffer.wrap(media.audio.toByteArray())
        .order(ByteOrder.LITTLE_ENDIAN)
        .asShortBuffer()
        .get(sent);
    assertThat(sent).containsExactly(WavReader.read(file).samples());
    // Paced in real time: the last chunk starts at 600 ms of audio and is due 200 ms (the lead)
    // before that plays, so the command cannot finish before 400 ms. A lower bound only: a slow
    // machine makes it later, never earlier.
    assertThat(elapsedMs).isGreaterThanOrEqualTo(400);
    assertThat(out.toString()).contains("saying " + wav + " (700 ms)", "played 700 ms");
  }

  @Test
  void sayResamplesAFileOfAnotherRate() throws Exception {
    Path wav = Files.write(dir.resolve("wide.wav"), TestWavs.sine(16000, 2, 300, 300, 0.5));
    assertThat(ctl("say", wav.toString(), "--chunk-ms", "1000")).isZero();
    assertThat(media.audio.size()).isEqualTo(300 * 16);
  }

  @Test
  void sayWhoseEndDoesNotPlayExitsOneSayingWhy() throws Exception {
    media.markOutcome = MarkResolved.Outcome.CALL_ENDED;
    Path wav = Files.write(dir.resolve("a.wav"), TestWavs.sine(8000, 1, 440, 100, 0.5));
    assertThat(ctl("say", wav.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("not played to its end: CALL_ENDED");
  }

  @Test
  void sayRefusedExitsOneAndAnUnreadableFileIsAUsageError() throws Exception {
    media.converseRefusal = Status.ALREADY_EXISTS.withDescription("call-1 has a writer");
    Path wav = Files.write(dir.resolve("a.wav"), TestWavs.sine(8000, 1, 440, 100, 0.5));
    assertThat(ctl("say", wav.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("refused: ALREADY_EXISTS: call-1 has a writer");

    Path bad = Files.write(dir.resolve("bad.wav"), new byte[] {1, 2, 3});
    assertThat(ctl("say", bad.toString())).isEqualTo(2);
    assertThat(ctl("say", wav.toString(), "--chunk-ms", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--chunk-ms: 0 not in 1..4000");
  }

  // ---- dtmf -------------------------------------------------------------------------------------

  @Test
  void dtmfSendsTheDigitsAndPrintsEachOnceSent() {
    assertThat(ctl("dtmf", "12#", "--duration", "160")).isZero();
    ConverseRequest send =
        media.requests.stream()
            .map(ConverseRequest.class::cast)
            .filter(r -> r.getKindCase() == ConverseRequest.KindCase.SEND_DTMF)
            .findFirst()
            .orElseThrow();
    assertThat(send.getSendDtmf().getDigits()).isEqualTo("12#");
    assertThat(send.getSendDtmf().getDurationMs()).isEqualTo(160);
    assertThat(send.getSendDtmf().getGapMs()).isEqualTo(70);
    assertThat(out.toString().split("\\R"))
        .containsExactly(
            "sent 1 (160 ms, RFC4733)", "sent 2 (160 ms, RFC4733)", "sent # (160 ms, RFC4733)");
  }

  @Test
  void dtmfPrintsWhyADigitWasNotSentAndExitsOne() {
    media.dtmfFailsFrom = 1;
    assertThat(ctl("dtmf", "123")).isEqualTo(1);
    assertThat(out.toString().split("\\R"))
        .containsExactly(
            "sent 1 (100 ms, RFC4733)",
            "not sent 2: 488 Not Acceptable Here",
            "not sent 3: not sent: digit '2' before it failed");
  }

  @Test
  void dtmfWithoutACallExitsOne() {
    media.converseRefusal = Status.FAILED_PRECONDITION.withDescription("no call in progress");
    assertThat(ctl("dtmf", "1")).isEqualTo(1);
    assertThat(err.toString()).contains("FAILED_PRECONDITION: no call in progress");
  }
}

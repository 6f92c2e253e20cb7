package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.audio.WavAudio;
import org.sipline.core.audio.WavReader;
import org.sipline.testing.FakeCall;
import org.sipline.testing.StatusProbe;
import org.sipline.testing.TestWavs;
import picocli.CommandLine;

/**
 * {@code ctl listen} and {@code ctl say} on a 16 kHz call (a G.722 or Opus call, played by the fake
 * backend) through the real server: both work at the call's own rate, which Opened states. A 6 kHz
 * tone tells the rates apart: it survives 16 kHz and is filtered out entirely at 8 kHz (Nyquist 4
 * kHz), so a command still at 8 kHz records or sends (near) silence.
 */
class CtlWidebandTest {
  private static final int RATE = 16000;
  private static final double TONE_HZ = 6000;

  private RunningServer running;
  private final StringWriter out = new StringWriter();

  @TempDir Path dir;

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  private int ctl(String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    String[] all = new String[args.length + 3];
    all[0] = "ctl";
    all[1] = "--target";
    all[2] = running.target();
    System.arraycopy(args, 0, all, 3, args.length);
    return cl.execute(all);
  }

  private FakeCall wideband() throws Exception {
    running = RunningServer.start();
    running.backend.audioRate(RATE);
    FakeCall call = running.connectCall();
    assertThat(call.audioRate()).isEqualTo(RATE);
    return call;
  }

  @Test
  void listenRecordsAWidebandCallAtSixteenKilohertz() throws Exception {
    FakeCall call = wideband();
    Path wav = dir.resolve("caller.wav");
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> ctl("listen", "--out", wav.toString()));
    StatusProbe.awaitTrue(
        () -> out.toString().contains("recording call"), "listen attached", RunningServer.WAIT);

    short[] tone = TestWavs.sineSamples(RATE, TONE_HZ, 1000, 0.5);
    for (int at = 0; at < tone.length; at += RATE / 50) {
      short[] frame = new short[RATE / 50];
      System.arraycopy(tone, at, frame, 0, frame.length);
      call.receive(frame);
    }
    call.remoteBye();

    assertThat(exit.get(RunningServer.WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    WavAudio recorded = WavReader.read(Files.readAllBytes(wav));
    assertThat(recorded.sampleRate()).isEqualTo(RATE);
    assertThat(recorded.samples().length).isGreaterThanOrEqualTo(tone.length);
    assertThat(rms(recorded.samples())).as("the 6 kHz tone, kept").isGreaterThan(0.25 * 32767);
    assertThat(out.toString()).contains(", 16000 Hz");
  }

  @Test
  void saySpeaksIntoAWidebandCallAtSixteenKilohertzResamplingTheFile() throws Exception {
    FakeCall call = wideband();
    // A 48 kHz file: say resamples it to the call's 16 kHz, keeping the 6 kHz tone.
    Path wav = Files.write(dir.resolve("tone.wav"), TestWavs.sine(48000, 1, TONE_HZ, 400, 0.5));

    assertThat(ctl("say", wav.toString(), "--chunk-ms", "100")).isZero();

    short[] sent = call.sentAudio();
    assertThat(rms(sent)).as("the 6 kHz tone, sent").isGreaterThan(0.25 * 32767 * 0.5);
    int loud = 0;
    for (short s : sent) {
      loud += Math.abs(s) > 0.25 * 32767 ? 1 : 0;
    }
    // 400 ms at 16 kHz is 6400 samples; 6 kHz sampled at 16 kHz is above half its peak in 6 of
    // every 8 samples (4800), give or take the fade and the resampler's edges.
    assertThat(loud).isBetween(3000, 5600);
    assertThat(out.toString())
        .contains("(400 ms)")
        .contains(", 16000 Hz")
        .contains("played 400 ms");
  }

  private static double rms(short[] samples) {
    // Over the loud part only: the call's silence before and after says nothing of the rate.
    double sum = 0;
    int n = 0;
    for (short s : samples) {
      if (s != 0) {
        sum += (double) s * s;
        n++;
      }
    }
    return n == 0 ? 0 : Math.sqrt(sum / n);
  }
}

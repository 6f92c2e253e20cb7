package org.sipline.server.ctl;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sipline.api.media.v1.Audio;
import org.sipline.api.media.v1.AudioEncoding;
import org.sipline.api.media.v1.AudioFormat;
import org.sipline.api.media.v1.CallSelector;
import org.sipline.api.media.v1.Clear;
import org.sipline.api.media.v1.Cleared;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.ConverseRequest;
import org.sipline.api.media.v1.Mark;
import org.sipline.api.media.v1.MarkResolved;
import org.sipline.api.media.v1.Open;
import org.sipline.core.audio.Resampler;
import org.sipline.core.audio.WavAudio;
import org.sipline.core.audio.WavFormatException;
import org.sipline.core.audio.WavReader;
import org.sipline.core.spi.AudioFrames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sipline ctl say FILE.wav}: speaks a WAV into the call in progress as one utterance of a
 * Converse stream, in chunks sent at the pace they play, as a speech synthesiser would; waits until
 * its end has played. Ctrl-C clears it and says how much the caller heard. The file is resampled
 * here to the call's own rate (Opened says it: 16 kHz on a G.722 or Opus call), so a wideband
 * prompt keeps its band and the server passes the audio on as it is.
 */
@Command(
    name = "say",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "Speak a WAV file into the call in progress through a Converse stream: one utterance",
      "at the call's own rate (8 kHz G.711, 16 kHz G.722 and Opus; the file is resampled),",
      "in chunks of --chunk-ms, sent in real time (the first "
          + SayCommand.LEAD_MS
          + " ms at once), then",
      "wait until its last sample has been played. Ctrl-C clears it at once and reports how",
      "much of it was played. Exit 0 when played; 1 when refused, cleared or the call ended."
    })
final class SayCommand implements Callable<Integer> {
  /** Sent ahead of real time, so that a late wake-up of this process is not heard as a gap. */
  static final int LEAD_MS = 200;

  static final String UTTERANCE = "ctl-say";
  static final String END_MARK = "ctl-say-end";

  /** Until Opened says otherwise: G.711's rate, the rate of every call before wideband codecs. */
  private static final int DEFAULT_RATE = 8000;

  /**
   * MEDIA.md's cap on one Audio chunk: 64 KiB. --chunk-ms 4000 fits it at 8 kHz (64,000 bytes) but
   * not at 16 kHz, so longer chunks are cut to it.
   */
  static final int MAX_CHUNK_BYTES = 64 * 1024;

  @ParentCommand CtlCommand ctl;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE.wav", description = "PCM 8/16-bit, mu-law or A-law; any rate")
  Path file;

  @Option(
      names = "--chunk-ms",
      paramLabel = "N",
      defaultValue = "20",
      description = "Milliseconds of audio per chunk (1 to 4000).")
  int chunkMs;

  @Override
  public Integer call() {
    if (chunkMs < 1 || chunkMs > 4000) {
      throw new ParameterException(
          spec.commandLine(), "--chunk-ms: " + chunkMs + " not in 1..4000");
    }
    WavAudio wav = readFile();
    Connection connection = ctl.connection;
    return connection.run(
        client -> {
          EventInbox<ConverseRequest> inbox = new EventInbox<>();
          Interruption ctrlC = new Interruption(inbox);
          try {
            StreamObserver<ConverseRequest> requests = client.media().converse(inbox);
            requests.onNext(
                ConverseRequest.newBuilder()
                    .setOpen(
                        Open.newBuilder()
                            .setCall(CallSelector.CURRENT)
                            // Rate 0: the call's native rate, granted in Opened.
                            .setOutboundFormat(
                                AudioFormat.newBuilder()
                                    .setEncoding(AudioEncoding.LINEAR16)
                                    .setSampleRate(0)))
                    .build());
            return new Speaking(connection, inbox, requests, wav).run();
          } finally {
            ctrlC.close();
          }
        });
  }

  /** The file, checked before anything is sent: a bad one is a usage error. */
  private WavAudio readFile() {
    try {
      return WavReader.read(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), file + " cannot be read: " + e.getMessage());
    } catch (WavFormatException e) {
      throw new ParameterException(spec.commandLine(), file + ": " + e.getMessage());
    }
  }

  /** {@code wav} as 16-bit little-endian PCM at {@code rate}. */
  static byte[] pcmAt(WavAudio wav, int rate) {
    short[] samples = Resampler.between(wav.sampleRate(), rate).resample(wav.samples());
    byte[] pcm = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      pcm[2 * i] = (byte) samples[i];
      pcm[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    return pcm;
  }

  /** One run of the command: the loop over the inbox, and what it has seen so far. */
  private final class Speaking {
    private final Connection connection;
    private final EventInbox<ConverseRequest> inbox;
    private final StreamObserver<ConverseRequest> requests;
    private final WavAudio wav;
    private final PrintWriter out;

    /** The file at the call's rate: set when Opened grants the rate. */
    private byte[] pcm = new byte[0];

    private int bytesPerMs = DEFAULT_RATE * 2 / 1000;
    private int chunkBytes = chunkMs * bytesPerMs;
    private int timelineRate = DEFAULT_RATE;
    private int sent;
    private long startNanos;
    private boolean opened;
    private boolean clearing;

    Speaking(
        Connection connection,
        EventInbox<ConverseRequest> inbox,
        StreamObserver<ConverseRequest> requests,
        WavAudio wav) {
      this.connection = connection;
      this.inbox = inbox;
      this.requests = requests;
      this.wav = wav;
      this.out = spec.commandLine().getOut();
    }

    CtlExit run() {
      while (true) {
        Object item = inbox.take(untilNextChunk());
        if (item == null) {
          sendDueChunks();
        } else if (item instanceof EventInbox.Stop) {
          if (!opened) {
            inbox.cancel("stopped by the user");
            return CtlExit.REFUSED;
          }
          clear();
        } else if (item instanceof EventInbox.Ended e) {
          return ended(e.status());
        } else if (item instanceof ConverseEvent event) {
          CtlExit done = handle(event);
          if (done != null) {
            finish();
            return done;
          }
        }
      }
    }

    private Duration untilNextChunk() {
      if (!opened || clearing || sent >= pcm.length) {
        return Duration.ofDays(1);
      }
      long dueNanos = startNanos + ((long) sent / bytesPerMs - LEAD_MS) * 1_000_000L;
      return Duration.ofNanos(dueNanos - System.nanoTime());
    }

    private void sendDueChunks() {
      while (sent < pcm.length && !clearing && untilNextChunk().toNanos() <= 0) {
        int n = Math.min(chunkBytes, pcm.length - sent);
        boolean last = sent + n == pcm.length;
        requests.onNext(
            ConverseRequest.newBuilder()
                .setAudio(
                    Audio.newBuilder()
                        .setUtteranceId(UTTERANCE)
                        .setData(ByteString.copyFrom(pcm, sent, n))
                        .setEndOfUtterance(last))
                .build());
        sent += n;
        if (last) {
          requests.onNext(
              ConverseRequest.newBuilder().setMark(Mark.newBuilder().setId(END_MARK)).build());
        }
      }
    }

    private void clear() {
      if (clearing) {
        return;
      }
      clearing = true;
      requests.onNext(
          ConverseRequest.newBuilder()
              .setClear(Clear.newBuilder().setThroughUtterance(UTTERANCE))
              .build());
    }

    /** Handles one event; returns the exit once the command is done, else null. */
    private CtlExit handle(ConverseEvent event) {
      switch (event.getKindCase()) {
        case OPENED -> {
          opened = true;
          timelineRate = Math.max(1, event.getOpened().getTimelineRate());
          int granted = event.getOpened().getOutboundFormat().getSampleRate();
          int rate = granted > 0 ? granted : timelineRate;
          if (!AudioFrames.isCallRate(rate)) {
            out.printf("the server granted %d Hz, which is no call's rate%n", rate);
            return CtlExit.REFUSED;
          }
          pcm = pcmAt(wav, rate);
          bytesPerMs = rate * 2 / 1000;
          chunkBytes = Math.min(chunkMs * bytesPerMs, MAX_CHUNK_BYTES);
          startNanos = System.nanoTime();
          out.printf(
              "saying %s (%d ms) into call %s (%s), %d Hz%n",
              file,
              pcm.length / bytesPerMs,
              event.getOpened().getCallId(),
              event.getOpened().getRemote(),
              rate);
          out.flush();
          sendDueChunks();
        }
        case CLEARED -> {
          Cleared c = event.getCleared();
          out.printf(
              Locale.ROOT,
              "cleared: %d ms of %d ms played (%d samples)%n",
              c.getPlayedSamples() * 1000 / timelineRate,
              pcm.length / bytesPerMs,
              c.getPlayedSamples());
          return CtlExit.REFUSED;
        }
        case MARK -> {
          MarkResolved m = event.getMark();
          if (m.getId().equals(END_MARK) && m.getOutcome() == MarkResolved.Outcome.PLAYED) {
            out.printf("played %d ms%n", pcm.length / bytesPerMs);
            return CtlExit.OK;
          }
          if (m.getId().equals(END_MARK) && !clearing) {
            out.printf("not played to its end: %s%n", m.getOutcome());
            return CtlExit.REFUSED;
          }
        }
        case AUDIO_REJECTED -> {
          out.printf("audio refused: %s%n", event.getAudioRejected().getReason());
          return CtlExit.REFUSED;
        }
        case CALL_STATE -> {
          if (event.getCallState().getState() == org.sipline.api.media.v1.CallState.State.ENDED) {
            out.printf("call ended: %s%n", event.getCallState().getReason());
          }
        }
        default -> {
          // Caller audio, playout reports and the rest do not change what say does.
        }
      }
      out.flush();
      return null;
    }

    private CtlExit ended(Status status) {
      if (status.isOk()) {
        out.println("the stream ended before the audio was played");
        return CtlExit.REFUSED;
      }
      return connection.refused(status.asRuntimeException());
    }

    /** Half-closes, so the server ends the stream now rather than after a grace period. */
    private void finish() {
      out.flush();
      requests.onCompleted();
      Object item;
      do {
        item = inbox.take(Duration.ofSeconds(2));
      } while (item != null && !(item instanceof EventInbox.Ended));
    }
  }
}

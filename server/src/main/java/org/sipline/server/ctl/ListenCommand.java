package org.sipline.server.ctl;

import io.grpc.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sipline.api.media.v1.AudioEncoding;
import org.sipline.api.media.v1.AudioFormat;
import org.sipline.api.media.v1.AudioIn;
import org.sipline.api.media.v1.CallState;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.ListenRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sipline ctl listen --out FILE.wav}: records what the caller says, through a Listen stream
 * (a read-only tap, so a bot conversing on the call is not disturbed).
 */
@Command(
    name = "listen",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "Record the caller's side of a call into a WAV file (16-bit PCM, mono, at the call's own",
      "rate: 8 kHz for G.711, 16 kHz for G.722 and Opus) through a read-only Listen stream,",
      "until the call ends or Ctrl-C; the WAV is complete either way. Exit 0 when recorded;",
      "1 when the server refused (e.g. no call with --call current)."
    })
final class ListenCommand implements Callable<Integer> {
  /** Until Opened says otherwise: G.711's rate, the rate of every call before wideband codecs. */
  private static final int DEFAULT_RATE = 8000;

  @ParentCommand CtlCommand ctl;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.wav",
      description = "Where to write.")
  Path out;

  @Option(
      names = "--call",
      paramLabel = "current|next",
      defaultValue = "current",
      description = "The call in progress, or the next one to connect.")
  CallChoice call;

  /** Caller samples the server dropped because this client was slow; silence in the file. */
  private long dropped;

  private int timelineRate = DEFAULT_RATE;

  /** The recording's rate: what the server granted, the call's own (Opened). */
  private int rate = DEFAULT_RATE;

  @Override
  public Integer call() {
    Connection connection = ctl.connection;
    PrintWriter say = spec.commandLine().getOut();
    return connection.run(
        client -> {
          WavFileWriter wav;
          try {
            wav = new WavFileWriter(out, DEFAULT_RATE);
          } catch (IOException e) {
            throw new ParameterException(
                spec.commandLine(), "--out: " + out + " cannot be written: " + e.getMessage());
          }
          EventInbox<ListenRequest> inbox = new EventInbox<>();
          Interruption ctrlC = new Interruption(inbox);
          try {
            Status ended;
            try (WavFileWriter file = wav) {
              client
                  .media()
                  .listen(
                      ListenRequest.newBuilder()
                          .setCall(call.selector)
                          // Rate 0: the call's native rate, so a wideband call is heard whole.
                          .setInboundFormat(
                              AudioFormat.newBuilder()
                                  .setEncoding(AudioEncoding.LINEAR16)
                                  .setSampleRate(0))
                          .build(),
                      inbox);
              ended = record(inbox, file, say);
            } catch (IOException e) {
              spec.commandLine().getErr().println("sipline ctl: writing " + out + ": " + e);
              inbox.cancel("cannot write");
              return CtlExit.REFUSED;
            }
            if (!ended.isOk() && ended.getCode() != Status.Code.CANCELLED) {
              if (wav.samples() == 0) {
                // Refused before anything was recorded: leave no empty WAV behind.
                deleteQuietly(out);
              }
              return connection.refused(ended.asRuntimeException());
            }
            say.printf(
                Locale.ROOT,
                "wrote %.2f s (%d samples) to %s, %d Hz%n",
                wav.samples() / (double) rate,
                wav.samples(),
                out,
                rate);
            if (dropped > 0) {
              say.printf(
                  "%d samples were dropped because this client read too slowly; "
                      + "they are silence in the file%n",
                  dropped);
            }
            say.flush();
            return CtlExit.OK;
          } finally {
            // Only now may an interrupted JVM exit: the header is written, the summary printed.
            ctrlC.close();
          }
        });
  }

  private static void deleteQuietly(Path file) {
    try {
      java.nio.file.Files.deleteIfExists(file);
    } catch (IOException e) {
      // an empty WAV is left; the error message says why nothing was recorded
    }
  }

  /** Writes caller audio until the stream ends or the user stops; returns how it ended. */
  private Status record(EventInbox<ListenRequest> inbox, WavFileWriter file, PrintWriter say)
      throws IOException {
    while (true) {
      Object item = inbox.take(Duration.ofDays(1));
      if (item instanceof EventInbox.Stop) {
        inbox.cancel("stopped by the user");
        return Status.CANCELLED;
      }
      if (item instanceof EventInbox.Ended e) {
        return e.status();
      }
      if (!(item instanceof ConverseEvent event)) {
        continue;
      }
      switch (event.getKindCase()) {
        case OPENED -> {
          timelineRate = Math.max(1, event.getOpened().getTimelineRate());
          int granted = event.getOpened().getInboundFormat().getSampleRate();
          rate = granted > 0 ? granted : timelineRate;
          if (file.samples() == 0) {
            file.sampleRate(rate);
          }
          say.printf(
              "recording call %s (%s) into %s, %d Hz%s%n",
              event.getOpened().getCallId(),
              event.getOpened().getRemote(),
              out,
              rate,
              event.getOpened().getCodec().isEmpty()
                  ? ""
                  : " (" + event.getOpened().getCodec() + ")");
        }
        case AUDIO_IN -> {
          AudioIn a = event.getAudioIn();
          // The timeline never jumps: audio dropped because we were slow is reported, not lost
          // from the file's clock; keep the recording's length true to the call's.
          if (a.getDroppedSamples() > 0) {
            long samples = a.getDroppedSamples() * rate / timelineRate;
            dropped += samples;
            file.write(new byte[(int) Math.min(Integer.MAX_VALUE / 2, samples) * 2]);
          }
          file.write(a.getData().toByteArray());
        }
        case CALL_STATE -> {
          CallState s = event.getCallState();
          if (s.getState() == CallState.State.WAITING) {
            say.printf("waiting for the next call%n");
          } else if (s.getState() == CallState.State.ENDED) {
            say.printf(
                "call ended%s%n",
                s.getReason().isEmpty() ? "" : ": " + s.getReason() + " (" + s.getSipCode() + ")");
          }
        }
        default -> {
          // Marks, DTMF and the rest belong to the bot; the recording is only audio.
        }
      }
      say.flush();
    }
  }
}

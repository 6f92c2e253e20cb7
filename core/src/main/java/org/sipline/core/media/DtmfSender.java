package org.sipline.core.media;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.core.spi.SipCall;

/**
 * Sends a writer's DTMF digits one after another through {@link SipCall#sendDtmf}, holding the
 * call's playback queue meanwhile (frames are silence, nothing is consumed, so no bot audio is lost
 * under a digit): {@code DtmfSent} after each digit, the gap between digits, the queue let go after
 * the last.
 *
 * <p>A digit that fails (the INFO refused or unanswered, the backend unable to send DTMF) ends the
 * sequence: the writer gets an {@code AudioRejected} whose utterance id is empty and whose reason
 * starts with {@code "send_dtmf:"}, names the digit and why, and lists the digits dropped with it.
 * The proto has no DTMF failure event; that one says "your request was not carried out" in the
 * words it has. Digits still waiting when the call ends are dropped without an event: the call's
 * end says it.
 */
final class DtmfSender {
  private record Digit(char digit, int durationMs, int gapMs) {}

  /** A digit about to go out, the call it goes out on, and where the timeline stood. */
  private record Step(Digit digit, SipCall sip, long position) {}

  private final CallStream stream;

  // Guarded by the call's lock.
  private final ArrayDeque<Digit> pending = new ArrayDeque<>();
  private boolean running;
  private boolean holding;

  DtmfSender(CallStream stream) {
    this.stream = stream;
  }

  /** Under the call's lock. */
  void enqueue(String digits, int durationMs, int gapMs) {
    for (int i = 0; i < digits.length(); i++) {
      pending.add(new Digit(digits.charAt(i), durationMs, gapMs));
    }
  }

  /** Starts sending unless a digit is on its way already. Outside the lock. */
  void kick() {
    boolean start =
        stream.withLock(
            () -> {
              if (running || pending.isEmpty()) {
                return false;
              }
              running = true;
              return true;
            });
    if (start) {
      next();
    }
  }

  /** Under the call's lock: the writer left; what waits is dropped and the queue let go. */
  void cancel() {
    pending.clear();
    running = false;
    letGo();
  }

  private void letGo() {
    if (holding) {
      holding = false;
      CallAudio c = stream.call();
      if (c != null) {
        c.queue.hold(false);
      }
    }
  }

  private void next() {
    Step step =
        stream.withLock(
            () -> {
              CallAudio c = stream.call();
              Digit d = running ? pending.poll() : null;
              if (d == null || c == null || c.isEnded()) {
                running = false;
                pending.clear();
                letGo();
                return null;
              }
              if (!holding) {
                holding = true;
                c.queue.hold(true);
              }
              return new Step(d, c.sip(), c.queue.tick());
            });
    if (step == null) {
      return;
    }
    Digit d = step.digit();
    long position = step.position();
    CompletableFuture<DtmfMethod> sent;
    try {
      sent = step.sip().sendDtmf(d.digit(), d.durationMs());
    } catch (RuntimeException e) {
      failed(d, e);
      return;
    }
    // The callback's outcome is the digit's event (done or failed); nothing else to observe.
    var unused =
        sent.whenComplete(
            (method, error) -> {
              if (error != null) {
                failed(d, error);
              } else {
                done(d, method, position);
              }
            });
  }

  private void done(Digit d, DtmfMethod method, long position) {
    boolean more =
        stream.withLock(
            () -> {
              CallAudio c = stream.call();
              if (c == null || c.isEnded() || stream.phase() != CallStream.Phase.ATTACHED) {
                return false; // the call's end (or the writer's) said it all: no event after it
              }
              c.settle();
              c.digitSent();
              stream.digitsOut++;
              stream.emit(
                  seq -> new MediaEvent.DtmfSent(seq, d.digit(), d.durationMs(), method, position));
              return running && !pending.isEmpty();
            });
    if (more) {
      // next() reports a failed send itself (failed()); its outcome is the next digit's event.
      var unused = stream.hub.timer().schedule(this::next, d.gapMs(), TimeUnit.MILLISECONDS);
    } else {
      next(); // lets the queue go
    }
  }

  private void failed(Digit d, Throwable error) {
    Throwable cause =
        error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause()
            : error;
    stream.withLock(
        () -> {
          CallAudio c = stream.call();
          StringBuilder dropped = new StringBuilder();
          for (Digit left : pending) {
            dropped.append(left.digit());
          }
          pending.clear();
          running = false;
          letGo();
          if (c != null && !c.isEnded() && stream.phase() == CallStream.Phase.ATTACHED) {
            String reason =
                "send_dtmf: digit '"
                    + d.digit()
                    + "' not sent: "
                    + cause.getMessage()
                    + (dropped.length() == 0 ? "" : "; not sent either: '" + dropped + "'");
            long queuedMs = c.queue.queuedSamples() / 8;
            stream.emit(seq -> new MediaEvent.AudioRejected(seq, "", 0, reason, (int) queuedMs));
          }
          return null;
        });
  }
}

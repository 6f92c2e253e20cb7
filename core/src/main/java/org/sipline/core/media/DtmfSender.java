package org.sipline.core.media;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipFailureException;

/**
 * Sends a writer's DTMF digits one after another through {@link SipCall#sendDtmf}, holding the
 * call's playback queue meanwhile (frames are silence, nothing is consumed, so no bot audio is lost
 * under a digit): {@code DtmfSent} after each digit, the gap between digits, the queue let go after
 * the last.
 *
 * <p>A digit that fails (the INFO refused or unanswered, the backend unable to send DTMF) ends the
 * sequence: its {@code DtmfSent} carries the failure (the SIP response or the cause, and the
 * response code when one refused it), and each digit dropped after it gets a {@code DtmfSent}
 * saying so, so a client counting answers against digits asked for always gets them all. Digits
 * still waiting when the call ends are dropped without an event: the call's end says it.
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
      failed(d, e, position);
      return;
    }
    // The callback's outcome is the digit's event (done or failed); nothing else to observe.
    var unused =
        sent.whenComplete(
            (method, error) -> {
              if (error != null) {
                failed(d, error, position);
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

  private void failed(Digit d, Throwable error, long position) {
    Throwable cause =
        error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause()
            : error;
    int code = cause instanceof SipFailureException f ? Math.max(0, f.failure().statusCode()) : 0;
    String why = cause.getMessage() != null ? cause.getMessage() : cause.toString();
    stream.withLock(
        () -> {
          CallAudio c = stream.call();
          java.util.List<Digit> dropped = new java.util.ArrayList<>(pending);
          pending.clear();
          running = false;
          letGo();
          if (c != null && !c.isEnded() && stream.phase() == CallStream.Phase.ATTACHED) {
            c.settle();
            stream.emit(
                seq ->
                    new MediaEvent.DtmfSent(
                        seq, d.digit(), d.durationMs(), null, position, why, code));
            long now = c.queue.tick();
            String after = "not sent: digit '" + d.digit() + "' before it failed";
            for (Digit left : dropped) {
              stream.emit(
                  seq ->
                      new MediaEvent.DtmfSent(
                          seq, left.digit(), left.durationMs(), null, now, after, 0));
            }
          }
          return null;
        });
  }
}

package org.sipline.backend.pjsip;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.core.spi.SipFailure;
import org.sipline.core.spi.SipFailureException;

/**
 * The digits one call is sending and how each one finishes.
 *
 * <ul>
 *   <li>RFC 4733: pjmedia queues the digit in the call's stream and sends its packets on the bridge
 *       clock; it gives no completion event, but pjsua (2.16 and later) tells how many digits are
 *       still queued, and a digit leaves that queue after its third end packet. So the media thread
 *       asks every tick ({@link #tick}) while a digit is out, and the digit is done once the
 *       stream's queue is empty. With an older pjsua the end is estimated: the digit's duration,
 *       three end packets 20 ms apart and one tick of slack after it was queued.
 *   <li>Only one RFC 4733 digit is in the stream at a time: a digit asked for meanwhile waits here
 *       and is queued by the media thread once the one before is done. pjmedia advances the RTP
 *       clock past a digit by a length set when the digit is queued, so digits queued together
 *       would shift it (see slpj_dtmf.c).
 *   <li>SIP INFO: done when its transaction ends; the event thread reports the status under the
 *       digit's token ({@link #infoAnswered}).
 * </ul>
 *
 * Every digit sent has a deadline, after which it fails instead of hanging (a held call whose
 * stream does not send, a challenged INFO whose retry the shim cannot follow). Futures are
 * completed outside this object's monitor: what depends on them runs on the completing thread.
 */
final class DtmfSender {
  /** Three end packets 20 ms apart after the digit's duration, and one tick of slack. */
  static final long END_PACKETS_NANOS = 80_000_000L;

  /** Slack beyond the expected end before a digit fails. */
  static final long DEADLINE_SLACK_NANOS = 2_000_000_000L;

  /** The shim's side: sending a digit and the stream's DTMF queue. */
  interface Native {
    /**
     * Sends one digit under {@code token}: 0 queued as RFC 4733, 1 sent as SIP INFO, -1 not sent
     * (why in {@code err}).
     */
    int send(int token, char digit, int durationMillis, byte[] err);

    /**
     * RFC 4733 digits in the stream's queue; -1 when it has no stream, -2 when pjsua cannot tell.
     */
    int queued();
  }

  private record Digit(
      int token, char digit, int durationMillis, CompletableFuture<DtmfMethod> future) {}

  private record Pending(CompletableFuture<DtmfMethod> future, long estimatedEnd, long deadline) {}

  private final Native shim;
  private final long infoTimeoutNanos;

  /** The RFC 4733 digit in the stream (at most one). */
  private Pending inStream;

  private final ArrayDeque<Digit> waiting = new ArrayDeque<>();
  private final Map<Integer, Pending> info = new HashMap<>();

  /**
   * @param infoTimeoutNanos how long an INFO may go unanswered (the transaction timeout)
   */
  DtmfSender(Native shim, long infoTimeoutNanos) {
    this.shim = shim;
    this.infoTimeoutNanos = infoTimeoutNanos;
  }

  /** Sends a digit now, or once the RFC 4733 digit before it is done. */
  CompletableFuture<DtmfMethod> send(int token, char digit, int durationMillis, long nowNanos) {
    CompletableFuture<DtmfMethod> future = new CompletableFuture<>();
    List<Runnable> after = new ArrayList<>(1);
    synchronized (this) {
      Digit d = new Digit(token, digit, durationMillis, future);
      if (inStream != null || !waiting.isEmpty()) {
        waiting.addLast(d);
      } else {
        dialLocked(d, nowNanos, after);
      }
    }
    after.forEach(Runnable::run);
    return future;
  }

  private void dialLocked(Digit d, long nowNanos, List<Runnable> after) {
    long expectedEnd = nowNanos + d.durationMillis * 1_000_000L + END_PACKETS_NANOS;
    long deadline = Math.max(expectedEnd, nowNanos + infoTimeoutNanos) + DEADLINE_SLACK_NANOS;
    // Recorded first: an INFO answered at once finds its digit.
    info.put(d.token, new Pending(d.future, deadline, deadline));
    byte[] err = CText.errorBuffer();
    int method = shim.send(d.token, d.digit, d.durationMillis, err);
    if (method == 0) {
      info.remove(d.token);
      inStream = new Pending(d.future, expectedEnd, deadline);
    } else if (method < 0) {
      info.remove(d.token);
      SipFailureException why =
          new SipFailureException(
              SipFailure.noResponse("DTMF '" + d.digit + "' not sent: " + CText.of(err)));
      after.add(() -> d.future.completeExceptionally(why));
    }
  }

  /**
   * Called by the media thread every tick: completes the RFC 4733 digit the stream has sent (or
   * fails it past its deadline) and queues the next waiting digit.
   */
  void tick(long nowNanos) {
    boolean out;
    synchronized (this) {
      if (inStream == null && waiting.isEmpty()) {
        return;
      }
      out = inStream != null;
    }
    // Only this thread takes a digit out of the stream or puts one in, so the answer stays true.
    int queued = out ? shim.queued() : 0;
    List<Runnable> after = new ArrayList<>(2);
    synchronized (this) {
      if (inStream != null) {
        Pending p = inStream;
        if (queued == 0 || (queued == -2 && nowNanos - p.estimatedEnd >= 0)) {
          inStream = null;
          after.add(() -> p.future.complete(DtmfMethod.RFC4733));
        } else if (nowNanos - p.deadline >= 0) {
          inStream = null;
          after.add(() -> p.future.completeExceptionally(late()));
        }
      }
      while (inStream == null && !waiting.isEmpty()) {
        dialLocked(waiting.removeFirst(), nowNanos, after);
      }
    }
    after.forEach(Runnable::run);
  }

  /** The INFO sent under {@code token} ended with {@code status} (0: no response). */
  void infoAnswered(int token, int status, String reason) {
    Pending p;
    synchronized (this) {
      p = info.remove(token);
    }
    if (p == null) {
      return;
    }
    if (status >= 200 && status < 300) {
      p.future.complete(DtmfMethod.SIP_INFO);
    } else {
      p.future.completeExceptionally(
          new SipFailureException(
              status > 0 ? SipFailure.response(status, reason) : SipFailure.noResponse(reason)));
    }
  }

  /** Called by the event thread: fails every INFO digit whose deadline passed. */
  void expire(long nowNanos) {
    List<Pending> late = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Pending> it = info.values().iterator(); it.hasNext(); ) {
        Pending p = it.next();
        if (nowNanos - p.deadline >= 0) {
          late.add(p);
          it.remove();
        }
      }
    }
    late.forEach(p -> p.future.completeExceptionally(late()));
  }

  /** Fails every digit not done: the call ended. */
  void callEnded(String why) {
    List<CompletableFuture<DtmfMethod>> all = new ArrayList<>();
    synchronized (this) {
      if (inStream != null) {
        all.add(inStream.future);
        inStream = null;
      }
      waiting.forEach(d -> all.add(d.future));
      waiting.clear();
      info.values().forEach(p -> all.add(p.future));
      info.clear();
    }
    all.forEach(
        f ->
            f.completeExceptionally(
                new SipFailureException(SipFailure.noResponse("the call ended: " + why))));
  }

  private static SipFailureException late() {
    return new SipFailureException(SipFailure.noResponse("the DTMF digit was not sent in time"));
  }
}

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
 *       still queued, and a digit leaves that queue after its third end packet. The digits sit here
 *       in dial order, so when the queue holds {@code q} of the {@code n} recorded here, the oldest
 *       {@code n - q} are done. With an older pjsua the end is estimated: the digit's duration,
 *       three end packets 20 ms apart and one tick of slack after it was queued.
 *   <li>SIP INFO: done when its transaction ends; the shim reports the status with the token.
 * </ul>
 *
 * Every digit also has a deadline, after which it fails instead of hanging (a held call whose
 * stream does not send, a challenged INFO whose retry the shim cannot follow).
 */
final class DtmfSender {
  /** Three end packets 20 ms apart after the digit's duration, and one tick of slack. */
  static final long END_PACKETS_NANOS = 80_000_000L;

  /** Slack beyond the expected end before a digit fails. */
  static final long DEADLINE_SLACK_NANOS = 2_000_000_000L;

  private record Pending(CompletableFuture<DtmfMethod> future, long estimatedEnd, long deadline) {}

  private final ArrayDeque<Pending> rfc4733 = new ArrayDeque<>();
  private final Map<Integer, Pending> info = new HashMap<>();

  /**
   * Records a digit about to be sent under {@code token}, before the native send, so that an INFO
   * answered at once still finds it.
   */
  synchronized void expect(int token, CompletableFuture<DtmfMethod> future, long deadline) {
    info.put(token, new Pending(future, deadline, deadline));
  }

  /** The native send queued the digit in the RTP stream: it is now the newest RFC 4733 digit. */
  synchronized void queuedInStream(int token, long estimatedEnd) {
    Pending p = info.remove(token);
    if (p != null) {
      rfc4733.addLast(new Pending(p.future, estimatedEnd, p.deadline));
    }
  }

  /** The native send failed: the digit is forgotten and its future failed. */
  synchronized void notSent(int token, RuntimeException why) {
    Pending p = info.remove(token);
    if (p != null) {
      p.future.completeExceptionally(why);
    }
  }

  /** The number of RFC 4733 digits recorded; read before asking the stream for its queue. */
  synchronized int rfc4733Count() {
    return rfc4733.size();
  }

  /**
   * The stream's DTMF queue held {@code queued} digits when {@code counted} were recorded here
   * (counted read first, so digits added in between only delay completions): the oldest {@code
   * counted - queued} are done. {@code queued} -2: pjsua cannot tell, completions are estimated.
   */
  void streamProgress(int counted, int queued, long nowNanos) {
    List<CompletableFuture<DtmfMethod>> done = new ArrayList<>();
    synchronized (this) {
      if (queued == -2) {
        while (!rfc4733.isEmpty() && nowNanos - rfc4733.peekFirst().estimatedEnd >= 0) {
          done.add(rfc4733.removeFirst().future);
        }
      } else if (queued >= 0) {
        for (int i = counted - queued; i > 0 && !rfc4733.isEmpty(); i--) {
          done.add(rfc4733.removeFirst().future);
        }
      }
    }
    // Completed outside the monitor: dependent stages run on this thread.
    done.forEach(f -> f.complete(DtmfMethod.RFC4733));
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

  /** Fails every digit whose deadline passed. */
  void expire(long nowNanos) {
    List<Pending> late = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Pending> it = rfc4733.iterator(); it.hasNext(); ) {
        Pending p = it.next();
        if (nowNanos - p.deadline >= 0) {
          late.add(p);
          it.remove();
        }
      }
      for (Iterator<Pending> it = info.values().iterator(); it.hasNext(); ) {
        Pending p = it.next();
        if (nowNanos - p.deadline >= 0) {
          late.add(p);
          it.remove();
        }
      }
    }
    late.forEach(
        p ->
            p.future.completeExceptionally(
                new SipFailureException(
                    SipFailure.noResponse("the DTMF digit was not sent in time"))));
  }

  /** Fails every digit still pending: the call ended. */
  void callEnded(String why) {
    List<Pending> all;
    synchronized (this) {
      all = new ArrayList<>(rfc4733);
      all.addAll(info.values());
      rfc4733.clear();
      info.clear();
    }
    all.forEach(
        p ->
            p.future.completeExceptionally(
                new SipFailureException(SipFailure.noResponse("the call ended: " + why))));
  }

  synchronized boolean idle() {
    return rfc4733.isEmpty() && info.isEmpty();
  }
}

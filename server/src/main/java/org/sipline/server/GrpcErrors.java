package org.sipline.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.sipline.core.AlreadyExistsException;
import org.sipline.core.FailedPreconditionException;
import org.sipline.core.InvalidArgumentException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failed line request becomes a gRPC {@link Status} (SPEC §2, errors): a
 * malformed request is INVALID_ARGUMENT naming the field, a request the line's state forbids is
 * FAILED_PRECONDITION naming the state, one that would create a second of what exists once (a
 * call's second media writer) is ALREADY_EXISTS, and anything else is INTERNAL saying what was
 * attempted. Stack traces go to the server log, never to the client.
 */
final class GrpcErrors {
  private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

  private GrpcErrors() {}

  /**
   * @param failure what the line's future completed with (possibly wrapped)
   * @param attempted the request in words, e.g. {@code SipStartCall to "bob"}
   */
  static StatusRuntimeException toStatus(Throwable failure, String attempted) {
    Throwable t = unwrap(failure);
    if (t instanceof InvalidArgumentException e) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    if (t instanceof FailedPreconditionException e) {
      return Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
    }
    if (t instanceof AlreadyExistsException e) {
      return Status.ALREADY_EXISTS.withDescription(e.getMessage()).asRuntimeException();
    }
    if (t instanceof StatusRuntimeException e) {
      return e;
    }
    if (t instanceof CancellationException) {
      return Status.CANCELLED.withDescription(attempted + " was cancelled").asRuntimeException();
    }
    log.error("{} failed unexpectedly", attempted, t);
    String reason =
        t.getMessage() == null
            ? t.getClass().getSimpleName()
            : t.getClass().getSimpleName() + ": " + t.getMessage();
    return Status.INTERNAL
        .withDescription(attempted + " failed inside sipline (" + reason + "); see the server log")
        .withCause(t)
        .asRuntimeException();
  }

  /** A SipPlayWavFiles request whose WAV data exceeds {@code --max-wav-bytes}. */
  static StatusRuntimeException wavTooLarge(long bytes, long limit) {
    return Status.RESOURCE_EXHAUSTED
        .withDescription(
            "wav_files: "
                + bytes
                + " bytes exceed the limit of "
                + limit
                + " bytes (--max-wav-bytes)")
        .asRuntimeException();
  }

  /**
   * A request addressed by {@code x-sipline-line} to a line this server does not host: NOT_FOUND
   * naming it, and the first few names it does host. Nothing was attempted, so a client that
   * retries on NOT_FOUND (ONDEWO's does) repeats nothing.
   */
  static StatusRuntimeException unknownLine(String name, List<String> known) {
    String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
    List<String> some = known.size() > 5 ? known.subList(0, 5) : known;
    return Status.NOT_FOUND
        .withDescription(
            "x-sipline-line: no line '"
                + shown.replaceAll("\\p{Cntrl}", "?")
                + "' on this server (it has "
                + known.size()
                + ": "
                + String.join(", ", some)
                + (some.size() < known.size() ? ", ..." : "")
                + ")")
        .asRuntimeException();
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof CompletionException || cur instanceof ExecutionException)
        && cur.getCause() != null) {
      cur = cur.getCause();
    }
    return cur;
  }
}

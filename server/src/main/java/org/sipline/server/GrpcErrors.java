package org.sipline.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.sipline.api.sip.SipStatus;
import org.sipline.core.AlreadyExistsException;
import org.sipline.core.FailedPreconditionException;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.LineStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failed line request becomes a gRPC {@link Status} (SPEC §2, errors): a
 * malformed request is INVALID_ARGUMENT naming the field, a request the line's state forbids is
 * FAILED_PRECONDITION naming the state, one that would create a second of what exists once (a
 * call's second media writer) is ALREADY_EXISTS, and anything else is INTERNAL saying what was
 * attempted. Stack traces go to the server log, never to the client.
 *
 * <p>Retry safety (issue 14): ONDEWO's clients repeat an rpc up to five times when it ends with a
 * code of {@link #RETRIED_BY_CLIENTS}. An rpc that may already have acted (sent an INVITE, a REFER,
 * a BYE, queued audio) must therefore never end with one of them: {@link #refusal} gives the codes
 * of requests refused before anything was done (none of them retried), and a failure after that is
 * answered as a status by {@link #failedAfterActing}, not as an error.
 */
final class GrpcErrors {
  private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

  /**
   * The codes ONDEWO's Python client retries on (its channel's retry policy); gRPC's usual retry
   * policies pick from the same set.
   */
  static final Set<Status.Code> RETRIED_BY_CLIENTS =
      EnumSet.of(
          Status.Code.CANCELLED,
          Status.Code.UNKNOWN,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.NOT_FOUND,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.ABORTED,
          Status.Code.INTERNAL,
          Status.Code.UNAVAILABLE,
          Status.Code.DATA_LOSS);

  private GrpcErrors() {}

  /**
   * The status of a request the line refused before acting (malformed, forbidden by its state, a
   * second of what exists once), or null when {@code failure} is something else: a failure that may
   * have come after the line acted, for {@link #failedAfterActing}. No code returned here is one
   * clients retry on.
   */
  static StatusRuntimeException refusal(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof InvalidArgumentException
        || t instanceof FailedPreconditionException
        || t instanceof AlreadyExistsException) {
      return toStatus(t, "");
    }
    if (t instanceof StatusRuntimeException e
        && !RETRIED_BY_CLIENTS.contains(e.getStatus().getCode())) {
      return e;
    }
    return null;
  }

  /**
   * The answer of an rpc that failed in an unexpected way after the line may have acted: the line's
   * current status, its description saying what failed (the trace goes to the server log) and
   * {@code exception_name} naming the exception. An answer, not an error, so a retrying client does
   * not repeat what was done.
   *
   * @param current the line's status now, which says what did happen
   */
  static SipStatus failedAfterActing(Throwable failure, String attempted, LineStatus current) {
    Throwable t = unwrap(failure);
    log.error(
        "{} failed unexpectedly; answered with the line's status {}", attempted, current.type(), t);
    return StatusMessages.toProto(current).toBuilder()
        .setDescription(
            attempted
                + " failed inside sipline ("
                + reason(t)
                + "); the line's status is "
                + current.type()
                + "; see the server log")
        .setExceptionName(t.getClass().getName())
        .setExceptionTraceback("")
        .build();
  }

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
    return Status.INTERNAL
        .withDescription(
            attempted + " failed inside sipline (" + reason(t) + "); see the server log")
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
   * retries on NOT_FOUND (ONDEWO's does) repeats nothing but the refusal.
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

  private static String reason(Throwable t) {
    return t.getMessage() == null
        ? t.getClass().getSimpleName()
        : t.getClass().getSimpleName() + ": " + t.getMessage();
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

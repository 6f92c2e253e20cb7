package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.sipline.core.AlreadyExistsException;
import org.sipline.core.FailedPreconditionException;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.StatusType;

class GrpcErrorsTest {

  @Test
  void malformedRequestIsInvalidArgumentNamingTheField() {
    StatusRuntimeException e =
        GrpcErrors.toStatus(
            new CompletionException(new InvalidArgumentException("callee_id", "empty")),
            "SipStartCall");
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).isEqualTo("callee_id: empty");
  }

  @Test
  void forbiddenByStateIsFailedPreconditionNamingTheState() {
    StatusRuntimeException e =
        GrpcErrors.toStatus(
            new ExecutionException(
                new FailedPreconditionException(
                    StatusType.OUTGOING_CALL_CONNECTED, "a call is ongoing")),
            "SipStartCall");
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("a call is ongoing (line is OUTGOING_CALL_CONNECTED)");
  }

  @Test
  void aSecondOfWhatExistsOnceIsAlreadyExists() {
    StatusRuntimeException e =
        GrpcErrors.toStatus(
            new CompletionException(new AlreadyExistsException("call c1 has a writer")),
            "Converse");
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(e.getStatus().getDescription()).isEqualTo("call c1 has a writer");
  }

  @Test
  void anythingElseIsInternalSayingWhatWasAttemptedWithoutStackTrace() {
    StatusRuntimeException e =
        GrpcErrors.toStatus(
            new CompletionException(new IllegalStateException("socket closed")),
            "SipStartCall to \"bob\"");
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(e.getStatus().getDescription())
        .isEqualTo(
            "SipStartCall to \"bob\" failed inside sipline (IllegalStateException: "
                + "socket closed); see the server log")
        .doesNotContain("\tat ");
  }

  @Test
  void aCancelledCommandIsCancelled() {
    assertThat(
            GrpcErrors.toStatus(new CancellationException(), "SipPlayWavFiles")
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.CANCELLED);
  }

  @Test
  void tooMuchWavIsResourceExhaustedNamingTheLimit() {
    StatusRuntimeException e = GrpcErrors.wavTooLarge(2048, 1024);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("wav_files: 2048 bytes exceed the limit of 1024 bytes (--max-wav-bytes)");
  }
}

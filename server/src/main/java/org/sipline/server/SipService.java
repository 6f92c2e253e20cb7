package org.sipline.server;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.sipline.api.sip.SipEndCallRequest;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipPlayWavFilesRequest;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStartSessionRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatusHistoryResponse;
import org.sipline.api.sip.SipTransferCallRequest;
import org.sipline.core.Line;
import org.sipline.core.LineStatus;

/**
 * The ondewo.sip {@code Sip} service over the {@link Line} each rpc was routed to. Each rpc hands
 * its fields to the line unchanged (the line checks them) and answers when the line's future
 * completes, without holding a gRPC thread meanwhile. Failures become gRPC statuses (or, after the
 * line may have acted, status answers) in {@link GrpcErrors} only. Most rpcs run on the Netty event
 * loop that read them ({@link BulkCallExecutor} says which do not), so nothing here may block or do
 * work that grows with the request.
 */
final class SipService extends SipGrpc.SipImplBase {
  private static final int MAX_QUOTED = 120;

  private final Supplier<Line> lines;
  private final long maxWavBytes;

  /**
   * @param lines the line of the rpc being served, asked once at its start ({@link LineRouting})
   */
  SipService(Supplier<Line> lines, long maxWavBytes) {
    this.lines = lines;
    this.maxWavBytes = maxWavBytes;
  }

  /** A service over one line, whatever the request's routing. */
  SipService(Line line, long maxWavBytes) {
    this(() -> line, maxWavBytes);
  }

  @Override
  public void sipRegisterAccount(
      SipRegisterAccountRequest request, StreamObserver<SipStatus> response) {
    Line line = lines.get();
    answer(
        response,
        line,
        "SipRegisterAccount for " + quoted(request.getAccountName()),
        () ->
            line.registerAccount(
                request.getAccountName(),
                request.getPassword(),
                request.getAuthUsername(),
                request.getOutboundProxy()));
  }

  @Override
  public void sipStartSession(SipStartSessionRequest request, StreamObserver<SipStatus> response) {
    Line line = lines.get();
    answer(
        response,
        line,
        "SipStartSession for " + quoted(request.getAccountName()),
        () -> line.startSession(request.getAccountName(), request.getAutoAnswerInterval()));
  }

  @Override
  public void sipEndSession(Empty request, StreamObserver<SipStatus> response) {
    Line line = lines.get();
    answer(response, line, "SipEndSession", line::endSession);
  }

  @Override
  public void sipStartCall(SipStartCallRequest request, StreamObserver<SipStatus> response) {
    Line line = lines.get();
    answer(
        response,
        line,
        "SipStartCall to " + quoted(request.getCalleeId()),
        () -> line.startCall(request.getCalleeId(), request.getHeadersMap()));
  }

  @Override
  public void sipEndCall(SipEndCallRequest request, StreamObserver<SipStatus> response) {
    Line line = lines.get();
    answer(
        response,
        line,
        request.getHardHangup() ? "SipEndCall (hard)" : "SipEndCall (soft)",
        () -> line.endCall(request.getHardHangup()));
  }

  @Override
  public void sipTransferCall(SipTransferCallRequest request, StreamObserver<SipStatus> response) {
    Line line = lines.get();
    answer(
        response,
        line,
        "SipTransferCall to " + quoted(request.getTransferId()),
        () -> line.transferCall(request.getTransferId(), request.getHeadersMap()));
  }

  @Override
  public void sipPlayWavFiles(SipPlayWavFilesRequest request, StreamObserver<SipStatus> response) {
    long total = 0;
    for (ByteString wav : request.getWavFilesList()) {
      total += wav.size();
    }
    if (total > maxWavBytes) {
      response.onError(GrpcErrors.wavTooLarge(total, maxWavBytes));
      return;
    }
    List<byte[]> files = new ArrayList<>(request.getWavFilesCount());
    for (ByteString wav : request.getWavFilesList()) {
      files.add(wav.toByteArray());
    }
    String attempted = "SipPlayWavFiles of " + files.size() + " file(s), " + total + " bytes";
    Line line = lines.get();
    CompletableFuture<LineStatus> playing =
        answer(response, line, attempted, () -> line.playWavFiles(files));
    // Barge-in: a client that cancels, or whose deadline passes (gRPC cancels the call then too),
    // no longer wants the rest of its audio; cancelling the future drops what is still unplayed.
    ((ServerCallStreamObserver<SipStatus>) response).setOnCancelHandler(() -> playing.cancel(true));
  }

  @Override
  public void sipMute(Empty request, StreamObserver<SipStatus> response) {
    Line line = lines.get();
    answer(response, line, "SipMute", line::mute);
  }

  @Override
  public void sipUnMute(Empty request, StreamObserver<SipStatus> response) {
    Line line = lines.get();
    answer(response, line, "SipUnMute", line::unmute);
  }

  @Override
  public void sipGetSipStatus(Empty request, StreamObserver<SipStatus> response) {
    response.onNext(StatusMessages.toProto(lines.get().status()));
    response.onCompleted();
  }

  @Override
  public void sipGetSipStatusHistory(
      Empty request, StreamObserver<SipStatusHistoryResponse> response) {
    response.onNext(StatusMessages.toProto(lines.get().history()));
    response.onCompleted();
  }

  /**
   * Starts the line command and answers the rpc when it completes. A command that throws instead of
   * failing its future is answered the same way. Retry safety: a refusal (nothing done) is a gRPC
   * error whose code no client retries; any other failure may have come after the line acted, so it
   * is answered with the line's status saying what failed ({@link GrpcErrors}), never with an error
   * a retrying client would repeat the rpc on.
   *
   * @return the command's future, for the caller to cancel
   */
  @CanIgnoreReturnValue // only SipPlayWavFiles cancels; the others are answered through response
  private static CompletableFuture<LineStatus> answer(
      StreamObserver<SipStatus> response,
      Line line,
      String attempted,
      Supplier<CompletableFuture<LineStatus>> command) {
    CompletableFuture<LineStatus> outcome;
    try {
      outcome = command.get();
    } catch (RuntimeException e) {
      outcome = CompletableFuture.failedFuture(e);
    }
    ServerCallStreamObserver<SipStatus> call = (ServerCallStreamObserver<SipStatus>) response;
    // With a handler set, answering a call the client has already abandoned is a no-op instead of
    // an error. SipPlayWavFiles replaces it with its barge-in.
    call.setOnCancelHandler(() -> {});
    // What the callback does is the answer; outcome itself is returned to the caller.
    var unused =
        outcome.whenComplete(
            (status, failure) -> {
              if (call.isCancelled()) {
                return;
              }
              if (failure != null) {
                StatusRuntimeException refused = GrpcErrors.refusal(failure);
                if (refused != null) {
                  call.onError(refused);
                } else {
                  call.onNext(GrpcErrors.failedAfterActing(failure, attempted, line.status()));
                  call.onCompleted();
                }
              } else {
                call.onNext(StatusMessages.toProto(status));
                call.onCompleted();
              }
            });
    return outcome;
  }

  /** A request value for a log line or an error: control characters masked, length bounded. */
  private static String quoted(String s) {
    String shown = s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) + "..." : s;
    return '"' + shown.replaceAll("\\p{Cntrl}", "?") + '"';
  }
}

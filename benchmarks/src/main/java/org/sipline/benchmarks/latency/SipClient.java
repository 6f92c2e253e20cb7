package org.sipline.benchmarks.latency;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.Channel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sipline.api.sip.SipEndCallRequest;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipPlayWavFilesRequest;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStartSessionRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;

/**
 * The ONDEWO-SIP calls the latency harness makes, as any ONDEWO client makes them: blocking unary
 * calls with a deadline, each answer checked for the status it should be.
 */
public final class SipClient {
  private static final long DEADLINE_SECONDS = 30;
  private static final Duration STATE_TIMEOUT = Duration.ofSeconds(15);
  private static final long POLL_MILLIS = 2;

  private final Channel channel;

  public SipClient(Channel channel) {
    this.channel = channel;
  }

  private SipGrpc.SipBlockingStub stub() {
    return SipGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  public void registerAndStartSession(String account)
      throws InterruptedException, TimeoutException {
    expect(
        stub()
            .sipRegisterAccount(
                SipRegisterAccountRequest.newBuilder().setAccountName(account).build()),
        StatusType.REGISTERED);
    expect(
        stub().sipStartSession(SipStartSessionRequest.newBuilder().setAccountName(account).build()),
        StatusType.SESSION_STARTED);
    awaitStatus(StatusType.READY);
  }

  public SipStatus startCall(String callee) {
    return expect(
        stub().sipStartCall(SipStartCallRequest.newBuilder().setCalleeId(callee).build()),
        StatusType.OUTGOING_CALL_INITIATED);
  }

  public void hardHangupAndAwaitReady() throws InterruptedException, TimeoutException {
    expect(
        stub().sipEndCall(SipEndCallRequest.newBuilder().setHardHangup(true).build()),
        StatusType.HARD_HANGUP_INITIATED);
    awaitStatus(StatusType.READY);
  }

  /** Plays and returns once played. */
  SipStatus play(byte[] wav) {
    return expect(
        stub()
            .sipPlayWavFiles(
                SipPlayWavFilesRequest.newBuilder().addWavFiles(ByteString.copyFrom(wav)).build()),
        StatusType.MICROPHONE_WAV_FILES_PLAYED);
  }

  /** Starts playing; cancelling the returned future stops the playback (barge-in). */
  ListenableFuture<SipStatus> playInBackground(byte[] wav) {
    return SipGrpc.newFutureStub(channel)
        .sipPlayWavFiles(
            SipPlayWavFilesRequest.newBuilder().addWavFiles(ByteString.copyFrom(wav)).build());
  }

  SipStatus mute() {
    return expect(stub().sipMute(Empty.getDefaultInstance()), StatusType.MICROPHONE_MUTED);
  }

  SipStatus unmute() {
    return expect(stub().sipUnMute(Empty.getDefaultInstance()), StatusType.MICROPHONE_UNMUTED);
  }

  public SipStatus status() {
    return stub().sipGetSipStatus(Empty.getDefaultInstance());
  }

  /**
   * The standard gRPC health check of the same server: a unary call that touches no sipline code,
   * so its round trip is what the transport alone costs.
   */
  HealthCheckResponse health() {
    return HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance());
  }

  /** Polls SipGetSipStatus until the line is at {@code want}. */
  public void awaitStatus(StatusType want) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + STATE_TIMEOUT.toNanos();
    for (SipStatus s = status(); s.getStatusType() != want; s = status()) {
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException(
            "line not at "
                + want
                + " within "
                + STATE_TIMEOUT
                + "; it is at "
                + s.getStatusType()
                + ": "
                + s.getDescription());
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  private static SipStatus expect(SipStatus s, StatusType want) {
    if (s.getStatusType() != want) {
      throw new IllegalStateException(
          "want " + want + ", got " + s.getStatusType() + ": " + s.getDescription());
    }
    return s;
  }
}

package org.sipline.server.e2e;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.sipline.api.sip.SipEndCallRequest;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipPlayWavFilesRequest;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStartSessionRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;
import org.sipline.api.sip.SipTransferCallRequest;

/** An ondewo.sip client for end-to-end tests: the rpcs, plus waiting for a status to appear. */
final class LineClient {
  static final Duration WAIT = Duration.ofSeconds(20);
  private static final Empty EMPTY = Empty.getDefaultInstance();

  private final Supplier<SipGrpc.SipBlockingStub> sip;

  LineClient(Supplier<SipGrpc.SipBlockingStub> sip) {
    this.sip = sip;
  }

  SipStatus register(String account, String password) {
    return sip.get()
        .sipRegisterAccount(
            SipRegisterAccountRequest.newBuilder()
                .setAccountName(account)
                .setPassword(password)
                .build());
  }

  SipStatus startSession(String account) {
    return sip.get()
        .sipStartSession(SipStartSessionRequest.newBuilder().setAccountName(account).build());
  }

  SipStatus call(String callee) {
    return sip.get()
        .sipStartCall(
            SipStartCallRequest.newBuilder()
                .setCalleeId(callee)
                .putHeaders("X-Sipline-Test", "e2e")
                .build());
  }

  SipStatus play(byte[] wav) {
    return sip.get()
        .sipPlayWavFiles(
            SipPlayWavFilesRequest.newBuilder().addWavFiles(ByteString.copyFrom(wav)).build());
  }

  SipStatus mute() {
    return sip.get().sipMute(EMPTY);
  }

  SipStatus unmute() {
    return sip.get().sipUnMute(EMPTY);
  }

  SipStatus transfer(String target) {
    return sip.get()
        .sipTransferCall(SipTransferCallRequest.newBuilder().setTransferId(target).build());
  }

  SipStatus hangup(boolean hard) {
    return sip.get().sipEndCall(SipEndCallRequest.newBuilder().setHardHangup(hard).build());
  }

  SipStatus endSession() {
    return sip.get().sipEndSession(EMPTY);
  }

  List<SipStatus> history() {
    return sip.get().sipGetSipStatusHistory(EMPTY).getStatusHistoryList();
  }

  /** How many statuses the history holds now; a mark for {@link #awaitAfter}. */
  int mark() {
    return history().size();
  }

  /** Waits for the first status of {@code type} recorded after {@code mark}. */
  SipStatus awaitAfter(int mark, StatusType type) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              List<SipStatus> h = history();
              return h.subList(Math.min(mark, h.size()), h.size()).stream()
                  .filter(s -> s.getStatusType() == type)
                  .findFirst()
                  .orElse(null);
            },
            s -> s != null);
  }
}

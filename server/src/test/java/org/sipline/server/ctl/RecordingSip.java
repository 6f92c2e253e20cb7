package org.sipline.server.ctl;

import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sipline.api.sip.SipEndCallRequest;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipPlayWavFilesRequest;
import org.sipline.api.sip.SipRegisterAccountRequest;
import org.sipline.api.sip.SipStartCallRequest;
import org.sipline.api.sip.SipStartSessionRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatusHistoryResponse;
import org.sipline.api.sip.SipTransferCallRequest;

/**
 * A Sip server for testing the client side: records every request and the authorization header it
 * came with, and answers with a scripted status or error.
 */
final class RecordingSip extends SipGrpc.SipImplBase implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  final List<Message> requests = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  volatile SipStatus answer = SipStatus.getDefaultInstance();
  volatile StatusRuntimeException error;

  /** Successive answers to SipGetSipStatusHistory; the last one repeats. */
  final List<List<SipStatus>> histories = new CopyOnWriteArrayList<>();

  private int historyCalls;

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String auth = headers.get(AUTHORIZATION);
    authorizations.add(auth == null ? "" : auth);
    return next.startCall(call, headers);
  }

  private void reply(Message request, StreamObserver<SipStatus> response) {
    requests.add(request);
    if (error != null) {
      response.onError(error);
      return;
    }
    response.onNext(answer);
    response.onCompleted();
  }

  @Override
  public void sipRegisterAccount(SipRegisterAccountRequest r, StreamObserver<SipStatus> o) {
    reply(r, o);
  }

  @Override
  public void sipStartSession(SipStartSessionRequest r, StreamObserver<SipStatus> o) {
    reply(r, o);
  }

  @Override
  public void sipEndSession(Empty r, StreamObserver<SipStatus> o) {
    reply(r, o);
  }

  @Override
  public void sipStartCall(SipStartCallRequest r, StreamObserver<SipStatus> o) {
    reply(r, o);
  }

  @Override
  public void sipEndCall(SipEndCallRequest r, StreamObserver<SipStatus> o) {
    reply(r, o);
  }

  @Override
  public void sipTransferCall(SipTransferCallRequest r, StreamObserver<SipStatus> o) {
    reply(r, o);
  }

  @Override
  public void sipPlayWavFiles(SipPlayWavFilesRequest r, StreamObserver<SipStatus> o) {
    reply(r, o);
  }

  @Override
  public void sipMute(Empty r, StreamObserver<SipStatus> o) {
    reply(r, o);
  }

  @Override
  public void sipUnMute(Empty r, StreamObserver<SipStatus> o) {
    reply(r, o);
  }

  @Override
  public void sipGetSipStatus(Empty r, StreamObserver<SipStatus> o) {
    reply(r, o);
  }

  @Override
  public synchronized void sipGetSipStatusHistory(
      Empty r, StreamObserver<SipStatusHistoryResponse> o) {
    requests.add(r);
    List<SipStatus> history =
        histories.isEmpty()
            ? new ArrayList<>()
            : histories.get(Math.min(historyCalls++, histories.size() - 1));
    o.onNext(SipStatusHistoryResponse.newBuilder().addAllStatusHistory(history).build());
    o.onCompleted();
  }
}

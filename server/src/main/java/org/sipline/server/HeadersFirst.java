package org.sipline.server;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Set;
import org.sipline.api.media.v1.LineMediaGrpc;
import org.sipline.api.sip.SipGrpc;

/**
 * Sends each line rpc's response headers as soon as its (first) request message has arrived, before
 * its service does anything with it. gRPC's retry (gRFC A6, what ONDEWO's clients configure)
 * commits a call once the client has its response headers: from then on no status, not even one on
 * the client's retry list, and no broken connection makes the client send the request again. So
 * whatever happens after the line acted (the INVITE is out, the REFER sent, audio queued), the rpc
 * runs once. Statuses are still chosen so that nothing after acting ends with a retried code
 * ({@link GrpcErrors}); this covers what no status choice can: the connection dropping, or the
 * server stopping, mid-rpc.
 *
 * <p>Only the line services ({@code ondewo.sip.Sip}, {@code sipline.media.v1.LineMedia}) get it;
 * health and reflection are left as gRPC makes them.
 */
final class HeadersFirst implements ServerInterceptor {
  private static final Set<String> LINE_SERVICES =
      Set.of(SipGrpc.SERVICE_NAME, LineMediaGrpc.SERVICE_NAME);

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (!LINE_SERVICES.contains(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    HeadersOnce<ReqT, RespT> once = new HeadersOnce<>(call);
    // On the first request message, not at once: a request gRPC itself refuses (over the message
    // size limit) then still gets gRPC's own RESOURCE_EXHAUSTED naming the limit, and no service
    // acts before its request has arrived.
    return new SimpleForwardingServerCallListener<>(next.startCall(once, headers)) {
      @Override
      public void onMessage(ReqT message) {
        once.sendHeaders(new Metadata());
        super.onMessage(message);
      }
    };
  }

  /**
   * Lets headers out once: gRPC's stubs send them again with the first response, which a call may
   * not do twice. sipline's services put nothing in their headers, so nothing is lost.
   */
  private static final class HeadersOnce<ReqT, RespT>
      extends SimpleForwardingServerCall<ReqT, RespT> {
    private boolean sent;

    HeadersOnce(ServerCall<ReqT, RespT> call) {
      super(call);
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!sent) {
        sent = true;
        super.sendHeaders(headers);
      }
    }
  }
}

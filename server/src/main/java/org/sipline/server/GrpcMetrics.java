package org.sipline.server;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Times every gRPC call from its start to its close and counts it by method and status code: {@code
 * sipline_grpc_server_requests_seconds_count{method,code}} and {@code _sum}. The method label is
 * one of the served methods (gRPC answers unknown ones before any interceptor), so the label set is
 * bounded.
 */
final class GrpcMetrics implements ServerInterceptor {
  private final MeterRegistry registry;

  GrpcMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Timer.Sample sample = Timer.start(registry);
    AtomicBoolean closed = new AtomicBoolean();
    ServerCall<ReqT, RespT> timed =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            if (closed.compareAndSet(false, true)) {
              sample.stop(timer(method, status.getCode()));
            }
            super.close(status, trailers);
          }
        };
    return next.startCall(timed, headers);
  }

  private Timer timer(String method, Status.Code code) {
    return Timer.builder("sipline.grpc.server.requests")
        .description("gRPC calls served, by method and status code, with their latency")
        .tag("method", method)
        .tag("code", code.name())
        .register(registry);
  }
}

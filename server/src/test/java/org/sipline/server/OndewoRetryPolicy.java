package org.sipline.server;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel with the retry policy of ONDEWO's Python client (ondewo-sip-client): every method
 * retried up to five attempts on the nine codes below. Backoffs are short so tests do not idle; the
 * codes and the attempts are what matter. {@link #attempts} counts the attempts that went out.
 */
final class OndewoRetryPolicy {
  static final List<Status.Code> RETRIED =
      List.of(
          Status.Code.CANCELLED,
          Status.Code.UNKNOWN,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.NOT_FOUND,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.ABORTED,
          Status.Code.INTERNAL,
          Status.Code.UNAVAILABLE,
          Status.Code.DATA_LOSS);

  final AtomicInteger attempts = new AtomicInteger();

  /** The service config, in the JSON-like form gRPC Java takes (numbers as doubles). */
  static Map<String, Object> serviceConfig() {
    Map<String, Object> retryPolicy =
        Map.of(
            "maxAttempts",
            5.0,
            "initialBackoff",
            "0.05s",
            "maxBackoff",
            "0.2s",
            "backoffMultiplier",
            2.0,
            "retryableStatusCodes",
            RETRIED.stream().map(Status.Code::name).toList());
    // An empty name object matches every method of every service.
    Map<String, Object> methodConfig =
        Map.of("name", List.of(Map.of()), "retryPolicy", retryPolicy);
    return Map.of("methodConfig", List.of(methodConfig));
  }

  ManagedChannel channel(String target) {
    return Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
        .defaultServiceConfig(serviceConfig())
        .enableRetry()
        .intercept(new CountAttempts())
        .build();
  }

  /** Puts a stream tracer on each call: gRPC makes one per attempt. */
  private final class CountAttempts implements ClientInterceptor {
    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
      ClientStreamTracer.Factory perAttempt =
          new ClientStreamTracer.Factory() {
            @Override
            public ClientStreamTracer newClientStreamTracer(
                ClientStreamTracer.StreamInfo info, Metadata headers) {
              attempts.incrementAndGet();
              return new ClientStreamTracer() {};
            }
          };
      return next.newCall(method, options.withStreamTracerFactory(perAttempt));
    }
  }
}

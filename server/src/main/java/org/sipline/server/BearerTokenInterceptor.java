package org.sipline.server;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a call through only with {@code authorization: Bearer <token>} for an accepted token, as
 * ONDEWO's clients send it; otherwise the call ends with UNAUTHENTICATED before the service sees
 * it. Health checks are exempt so load balancers and orchestrators need no token.
 */
final class BearerTokenInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(BearerTokenInterceptor.class);
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String SCHEME = "bearer ";

  private final BearerTokens tokens;

  BearerTokenInterceptor(BearerTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (HealthGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    String refusal = refusal(headers.get(AUTHORIZATION));
    if (refusal == null) {
      return next.startCall(call, headers);
    }
    log.warn(
        "Refused {} from {}: {}",
        call.getMethodDescriptor().getFullMethodName(),
        call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
        refusal);
    call.close(Status.UNAUTHENTICATED.withDescription(refusal), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  /** Why the header is refused, or null when it carries an accepted token. */
  private String refusal(String authorization) {
    if (authorization == null) {
      return "missing 'authorization: Bearer <token>' header";
    }
    // The scheme name is case-insensitive (RFC 7235 §2.1).
    if (authorization.length() <= SCHEME.length()
        || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return "authorization header is not 'Bearer <token>'";
    }
    if (!tokens.accepts(authorization.substring(SCHEME.length()).strip())) {
      return "bearer token not accepted";
    }
    return null;
  }
}

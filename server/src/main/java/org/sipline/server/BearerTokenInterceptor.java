package org.sipline.server;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.util.Locale;
import org.sipline.server.JwtVerifier.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a call through only with {@code authorization: Bearer <token>} for an accepted token, as
 * ONDEWO's clients send it: one of the static tokens ({@code --token-file}), or a JWT that the
 * {@link JwtVerifier} accepts ({@code --jwt-jwks}); either kind works when both are configured.
 * Otherwise the call ends with UNAUTHENTICATED (PERMISSION_DENIED for a valid JWT without the
 * required role or scope) before the service sees it, with a reason that names the failed check and
 * never the token. Health checks are exempt so load balancers and orchestrators need no token.
 */
final class BearerTokenInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(BearerTokenInterceptor.class);
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String SCHEME = "bearer ";
  private static final int MAX_SHOWN = 64;

  private final BearerTokens tokens;
  private final JwtVerifier jwt;
  private final AuthRefusals refusals;

  /**
   * @param tokens the static tokens, or null for none
   * @param jwt the JWT check, or null for none (at least one of the two is given)
   * @param refusals told of every refused call (metrics)
   */
  BearerTokenInterceptor(BearerTokens tokens, JwtVerifier jwt, AuthRefusals refusals) {
    if (tokens == null && jwt == null) {
      throw new IllegalArgumentException("neither static tokens nor a JWT check");
    }
    this.tokens = tokens;
    this.jwt = jwt;
    this.refusals = refusals;
  }

  BearerTokenInterceptor(BearerTokens tokens) {
    this(tokens, null, code -> {});
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (HealthGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    Refusal refusal = refusal(headers.get(AUTHORIZATION), BulkCallExecutor.onPoolThread());
    if (refusal == null) {
      return next.startCall(call, headers);
    }
    log.warn(
        "Refused {} from {}: {} ({})",
        call.getMethodDescriptor().getFullMethodName(),
        call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
        refusal.code(),
        refusal.reason());
    refusals.refused(refusal.code());
    call.close(Status.fromCode(refusal.code()).withDescription(refusal.reason()), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  /**
   * Whether the check of these headers would wait for the OIDC provider (a JWKS fetch is due): the
   * call is then started on a thread that may block ({@link BulkCallExecutor}).
   */
  boolean wouldBlock(Metadata headers) {
    String token = token(headers.get(AUTHORIZATION));
    return jwt != null
        && token != null
        && JwtVerifier.looksLikeJwt(token)
        && (tokens == null || !tokens.accepts(token))
        && jwt.wouldBlock(token);
  }

  /** Why the header is refused, or null when it carries an accepted token. */
  private Refusal refusal(String authorization, boolean mayBlock) {
    if (authorization == null) {
      return Refusal.unauthenticated("missing 'authorization: Bearer <token>' header");
    }
    String token = token(authorization);
    if (token == null) {
      return Refusal.unauthenticated("authorization header is not 'Bearer <token>'");
    }
    if (tokens != null && tokens.accepts(token)) {
      return null;
    }
    if (jwt != null && (tokens == null || JwtVerifier.looksLikeJwt(token))) {
      return jwt.check(token, mayBlock);
    }
    return Refusal.unauthenticated("bearer token not accepted");
  }

  /** The token of a {@code Bearer} header, or null when the header is not one. */
  private static String token(String authorization) {
    // The scheme name is case-insensitive (RFC 7235 §2.1).
    if (authorization == null
        || authorization.length() <= SCHEME.length()
        || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return null;
    }
    return authorization.substring(SCHEME.length()).strip();
  }

  /**
   * A value from a request (a key id, say) fit for a log line or an error: bounded, no controls.
   */
  static String printable(String s) {
    String shown = s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "..." : s;
    return shown.replaceAll("[\\p{Cntrl}'\"\\\\]", "?");
  }

  /** Told of each refused call, with its code. */
  interface AuthRefusals {
    void refused(Status.Code code);
  }
}

package org.sipline.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;
import org.sipline.api.lines.v1.LinesGrpc;
import org.sipline.api.media.v1.LineMediaGrpc;
import org.sipline.api.sip.SipGrpc;
import org.sipline.core.Line;

/**
 * Picks the line a request is for, before any service sees it (SPEC §7): the line the {@code
 * x-sipline-line} header names, else the line whose own port ({@code --line-ports}) the request
 * arrived on, else the default line. An unknown name ends the call with NOT_FOUND. Only {@code
 * ondewo.sip.Sip}, {@code sipline.media.v1.LineMedia} and {@code sipline.lines.v1.Lines} (for its
 * requests that leave the line empty) are routed; health and reflection are the server's and pass
 * untouched.
 */
final class LineRouting implements ServerInterceptor {
  static final Metadata.Key<String> LINE_HEADER =
      Metadata.Key.of("x-sipline-line", Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<Line> LINE = Context.key("sipline-line");
  private static final Set<String> ROUTED =
      Set.of(SipGrpc.SERVICE_NAME, LineMediaGrpc.SERVICE_NAME, LinesGrpc.SERVICE_NAME);

  private final ServedLines lines;
  private final int linePortBase;

  /**
   * @param linePortBase 0, or the port of the first line (line i listens on base + i)
   */
  LineRouting(ServedLines lines, int linePortBase) {
    this.lines = lines;
    this.linePortBase = linePortBase;
  }

  /**
   * The line of the request being served.
   *
   * @throws IllegalStateException outside a routed call
   */
  static Line current() {
    Line line = LINE.get();
    if (line == null) {
      throw new IllegalStateException("no line routed for this call");
    }
    return line;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (!ROUTED.contains(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    String name = headers.get(LINE_HEADER);
    Line line;
    if (name != null) {
      line = lines.byName(name);
      if (line == null) {
        var refusal = GrpcErrors.unknownLine(name, lines.names());
        call.close(refusal.getStatus(), new Metadata());
        return new ServerCall.Listener<>() {};
      }
    } else {
      line = byPort(call.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR));
    }
    return Contexts.interceptCall(Context.current().withValue(LINE, line), call, headers, next);
  }

  private Line byPort(SocketAddress local) {
    if (linePortBase > 0 && local instanceof InetSocketAddress inet) {
      Line line = lines.byIndex(inet.getPort() - linePortBase);
      if (line != null) {
        return line;
      }
    }
    return lines.defaultLine();
  }
}

package org.sipline.server;

import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.sipline.api.lines.v1.CreateLineRequest;
import org.sipline.api.lines.v1.DeleteLineRequest;
import org.sipline.api.lines.v1.DeleteLineResponse;
import org.sipline.api.lines.v1.DrainRequest;
import org.sipline.api.lines.v1.DrainResponse;
import org.sipline.api.lines.v1.GetLineRequest;
import org.sipline.api.lines.v1.LinesGrpc;
import org.sipline.api.lines.v1.ListLinesRequest;
import org.sipline.api.lines.v1.ListLinesResponse;
import org.sipline.api.lines.v1.WatchEvent;
import org.sipline.api.lines.v1.WatchStatusRequest;
import org.sipline.core.Line;

/**
 * The sipline.lines.v1 {@code Lines} service (SPEC §7): the server's lines, adding and removing
 * them, draining, and the resumable status watch ({@link StatusWatch}). Failures become gRPC
 * statuses in {@link GrpcErrors} only.
 */
final class LinesService extends LinesGrpc.LinesImplBase implements AutoCloseable {
  /** Live statuses a watcher may have waiting before its lines fall back to the history. */
  static final int WATCH_QUEUE = 256;

  private final LineManager manager;
  private final ServedLines lines;
  private final Duration drainTimeout;
  private final int watchQueue;
  private final ExecutorService pumps;
  private final StatusEvents events = new StatusEvents();
  private final AutoCloseable forgetRemoved;

  LinesService(LineManager manager, Duration drainTimeout) {
    this(manager, drainTimeout, WATCH_QUEUE);
  }

  LinesService(LineManager manager, Duration drainTimeout, int watchQueue) {
    this.manager = manager;
    this.lines = manager.lines();
    this.drainTimeout = drainTimeout;
    this.watchQueue = watchQueue;
    this.forgetRemoved = lines.onRemoved((name, line) -> events.forget(name));
    AtomicInteger n = new AtomicInteger();
    // Drains only move ready events into Netty's buffers and never wait.
    this.pumps =
        Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(),
            r -> {
              Thread t = new Thread(r, "sipline-watch-pump-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The service to add to the server: as generated ({@link #bindService}, final), except that
   * WatchStatus writes a line's newest status to every watcher as the bytes it was encoded to once
   * ({@link WatchEventMarshaller}).
   */
  ServerServiceDefinition definition() {
    ServerServiceDefinition generated = bindService();
    String watch = LinesGrpc.getWatchStatusMethod().getFullMethodName();
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> m : generated.getMethods()) {
      methods.add(m.getMethodDescriptor().getFullMethodName().equals(watch) ? encodedOnce(m) : m);
    }
    // A service's descriptor must list the very method descriptors bound, so it is made anew.
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(generated.getServiceDescriptor().getName())
            .setSchemaDescriptor(generated.getServiceDescriptor().getSchemaDescriptor());
    for (ServerMethodDefinition<?, ?> m : methods) {
      descriptor.addMethod(m.getMethodDescriptor());
    }
    ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(descriptor.build());
    for (ServerMethodDefinition<?, ?> m : methods) {
      service.addMethod(m);
    }
    return service.build();
  }

  // The definition bound under WatchStatus's name is generated from that method, so its types are
  // WatchStatusRequest and WatchEvent; gRPC's API hands it over with wildcards.
  @SuppressWarnings("unchecked")
  private ServerMethodDefinition<WatchStatusRequest, WatchEvent> encodedOnce(
      ServerMethodDefinition<?, ?> generated) {
    ServerMethodDefinition<WatchStatusRequest, WatchEvent> typed =
        (ServerMethodDefinition<WatchStatusRequest, WatchEvent>) generated;
    MethodDescriptor<WatchStatusRequest, WatchEvent> method =
        typed.getMethodDescriptor().toBuilder()
            .setResponseMarshaller(new WatchEventMarshaller(events))
            .build();
    return ServerMethodDefinition.create(method, typed.getServerCallHandler());
  }

  @Override
  public void listLines(ListLinesRequest request, StreamObserver<ListLinesResponse> response) {
    ListLinesResponse.Builder b = ListLinesResponse.newBuilder().setDraining(manager.isDraining());
    for (Map.Entry<String, Line> e : lines.snapshot().entrySet()) {
      b.addLines(
          LineMessages.toProto(e.getKey(), e.getValue(), e.getKey().equals(lines.defaultName())));
    }
    response.onNext(b.build());
    response.onCompleted();
  }

  @Override
  public void getLine(
      GetLineRequest request, StreamObserver<org.sipline.api.lines.v1.Line> response) {
    try {
      String name = nameOrRouted(request.getName());
      response.onNext(LineMessages.toProto(name, line(name), name.equals(lines.defaultName())));
      response.onCompleted();
    } catch (RuntimeException e) {
      response.onError(GrpcErrors.toStatus(e, "GetLine " + quoted(request.getName())));
    }
  }

  @Override
  public void createLine(
      CreateLineRequest request, StreamObserver<org.sipline.api.lines.v1.Line> response) {
    try {
      Line line = manager.create(request.getName());
      response.onNext(LineMessages.toProto(request.getName(), line, false));
      response.onCompleted();
    } catch (RuntimeException e) {
      response.onError(GrpcErrors.toStatus(e, "CreateLine " + quoted(request.getName())));
    }
  }

  @Override
  public void deleteLine(DeleteLineRequest request, StreamObserver<DeleteLineResponse> response) {
    String attempted = "DeleteLine " + quoted(request.getName());
    try {
      String name = request.getName();
      var unused =
          manager
              .delete(name, request.getForce())
              .whenComplete(
                  (line, failure) -> {
                    if (failure != null) {
                      response.onError(GrpcErrors.toStatus(failure, attempted));
                      return;
                    }
                    response.onNext(
                        DeleteLineResponse.newBuilder()
                            .setLine(LineMessages.toProto(name, line, false))
                            .build());
                    response.onCompleted();
                  });
    } catch (RuntimeException e) {
      response.onError(GrpcErrors.toStatus(e, attempted));
    }
  }

  @Override
  public void drain(DrainRequest request, StreamObserver<DrainResponse> response) {
    Duration timeout =
        request.getTimeoutSeconds() == 0
            ? drainTimeout
            : Duration.ofSeconds(Integer.toUnsignedLong(request.getTimeoutSeconds()));
    var unused =
        manager
            .drain(timeout)
            .whenComplete(
                (outcome, failure) -> {
                  if (failure != null) {
                    response.onError(GrpcErrors.toStatus(failure, "Drain"));
                    return;
                  }
                  response.onNext(
                      DrainResponse.newBuilder()
                          .setCallsAtStart(outcome.callsAtStart())
                          .setCallsHungUp(outcome.callsHungUp())
                          .build());
                  response.onCompleted();
                });
  }

  @Override
  public void watchStatus(WatchStatusRequest request, StreamObserver<WatchEvent> response) {
    ServerCallStreamObserver<WatchEvent> call = (ServerCallStreamObserver<WatchEvent>) response;
    Executor drains = DrainHome.current(pumps);
    StatusWatch watch;
    try {
      if (request.getAllLines()) {
        watch = new StatusWatch(call, drains, events, watchQueue, "of all lines");
        for (String unknown : StatusWatch.unknown(request.getAfterSeqByLineMap(), lines)) {
          throw GrpcErrors.unknownLine(unknown, lines.names());
        }
        StatusWatch all = watch;
        // Subscribed before the lines are listed, so a line created meanwhile is not missed;
        // one listed and also reported added is watched once.
        java.util.Set<String> watched = java.util.concurrent.ConcurrentHashMap.newKeySet();
        watch.hold(
            lines.onAdded(
                (name, line) -> {
                  if (watched.add(name)) {
                    all.add(name, line, request.getAfterSeqByLineOrDefault(name, 0));
                  }
                }));
        for (Map.Entry<String, Line> e : lines.snapshot().entrySet()) {
          if (watched.add(e.getKey())) {
            all.add(
                e.getKey(),
                e.getValue(),
                request.getAfterSeqByLineOrDefault(e.getKey(), request.getAfterSeq()));
          }
        }
      } else {
        String name = nameOrRouted(request.getLine());
        watch = new StatusWatch(call, drains, events, watchQueue, "of line '" + name + "'");
        watch.add(name, line(name), request.getAfterSeq());
      }
    } catch (IllegalArgumentException e) {
      call.onError(Status.OUT_OF_RANGE.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (RuntimeException e) {
      call.onError(GrpcErrors.toStatus(e, "WatchStatus"));
      return;
    }
    watch.start();
  }

  /** The line named, or the routed one's name for an empty name. */
  private String nameOrRouted(String name) {
    if (!name.isEmpty()) {
      return name;
    }
    String routed = lines.nameOf(LineRouting.current());
    if (routed == null) {
      throw Status.NOT_FOUND.withDescription("the routed line was removed").asRuntimeException();
    }
    return routed;
  }

  private Line line(String name) {
    Line line = lines.byName(name);
    if (line == null) {
      throw GrpcErrors.unknownLine(name, lines.names());
    }
    return line;
  }

  private static String quoted(String s) {
    return "'" + LineSpec.printable(s) + "'";
  }

  @Override
  public void close() {
    try {
      forgetRemoved.close();
    } catch (Exception e) {
      // Unhooking a listener cannot fail in a way anyone could act on.
    }
    pumps.shutdownNow();
  }
}

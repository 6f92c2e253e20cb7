package org.sipline.server;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.IoHandlerFactory;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Netty event loops the gRPC server runs on: one per core the process may use ({@link
 * #threads()}), accepting and serving every connection, over epoll where the platform has it (as
 * gRPC's own default), else NIO.
 *
 * <p>Why not gRPC's default, two loops per core: every rpc runs on its connection's loop and never
 * blocks, so a loop is busy only while there is work, and more loops than cores only take turns on
 * them. A WatchStatus fan-out puts one status into every watcher's stream at once, and then the
 * extra loops wake together and switch in and out of the same cores, each writing and flushing its
 * own connections. Fewer loops than cores would cap the fan-out at fewer cores. Measured with 1000
 * watchers over 8 connections (issue 13, BENCHMARKS.md §8, "Fewer event loops, no leak detection").
 */
final class GrpcEventLoops implements AutoCloseable {
  private final EventLoopGroup group;
  private final Class<? extends ServerChannel> channelType;

  private GrpcEventLoops(EventLoopGroup group, Class<? extends ServerChannel> channelType) {
    this.group = group;
    this.channelType = channelType;
  }

  /** Event-loop threads of the gRPC server: the cores this process may use (taskset, cgroups). */
  static int threads() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** Starts the loops' group (its threads start with the first connection). */
  static GrpcEventLoops create() {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            threads(), new DefaultThreadFactory("grpc-loop", /* daemon= */ true), io);
    return new GrpcEventLoops(
        group, epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
  }

  /** Makes {@code builder} accept and serve on these loops. */
  NettyServerBuilder applyTo(NettyServerBuilder builder) {
    return builder.bossEventLoopGroup(group).workerEventLoopGroup(group).channelType(channelType);
  }

  /** The loops' group, for tests. */
  EventLoopGroup group() {
    return group;
  }

  /** Stops the loops once the gRPC server has terminated, waiting up to {@code wait}. */
  void close(Duration wait) {
    group
        .shutdownGracefully(0, wait.toMillis(), TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}

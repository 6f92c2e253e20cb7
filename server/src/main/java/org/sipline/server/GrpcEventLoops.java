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
 * The Netty event loops the gRPC server runs on: {@link #THREADS} of them, accepting and serving
 * every connection, over epoll where the platform has it (as gRPC's own default), else NIO.
 *
 * <p>Why not gRPC's default (two loops per core): every rpc runs on its connection's loop and never
 * blocks, and a WatchStatus fan-out puts one status into every watcher's stream at once. With more
 * loops than cores, the loops of one status's connections wake together and take turns on the same
 * cores, each flushing its own connections; one loop writes them all back to back with no hand-off.
 * Measured with 1000 watchers over 8 connections on 2 cores (issue 13, BENCHMARKS.md §8, "Fewer
 * event loops"): the server's CPU per delivery and the slowest watcher's delay fell.
 */
final class GrpcEventLoops implements AutoCloseable {
  /** Event-loop threads of the gRPC server. */
  static final int THREADS = 1;

  private final EventLoopGroup group;
  private final Class<? extends ServerChannel> channelType;

  private GrpcEventLoops(EventLoopGroup group, Class<? extends ServerChannel> channelType) {
    this.group = group;
    this.channelType = channelType;
  }

  /** Starts the loops' group (its threads start with the first connection). */
  static GrpcEventLoops create() {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            THREADS, new DefaultThreadFactory("grpc-loop", /* daemon= */ true), io);
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

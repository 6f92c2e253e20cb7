package org.sipline.benchmarks.micro;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the kernel charges the pacer thread per RTP packet: one {@code DatagramChannel.send} of a
 * 172-byte PCMU packet to a bound loopback socket, as the jainsip sender does (unconnected channel,
 * destination per call). Not sipline code: the floor under the per-packet cost that the pacing
 * harness's CPU figures include. The receiving socket is read by nobody; the kernel drops what
 * overflows its buffer, which is also how the harness's sinks work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UdpSendBenchmark {
  private static final int PACKET = 12 + 160;

  private DatagramChannel sender;
  private DatagramChannel sink;
  private InetSocketAddress target;
  private final ByteBuffer packet = ByteBuffer.allocate(PACKET);

  @Setup
  public void open() throws IOException {
    sink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    sink.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
    target = (InetSocketAddress) sink.getLocalAddress();
    sender = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    sender.configureBlocking(false);
  }

  @Benchmark
  public int sendOnePacket() throws IOException {
    packet.clear();
    return sender.send(packet, target);
  }

  @TearDown
  public void close() throws IOException {
    sender.close();
    sink.close();
  }
}

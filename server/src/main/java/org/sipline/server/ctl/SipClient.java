package org.sipline.server.ctl;

import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.sipline.api.media.v1.LineMediaGrpc;
import org.sipline.api.sip.SipGrpc;
import org.sipline.api.sip.SipGrpc.SipBlockingStub;

/** One channel to a server for the life of one {@code ctl} command. */
final class SipClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final SipBlockingStub stub;

  SipClient(ManagedChannel channel) {
    this.channel = channel;
    this.stub = SipGrpc.newBlockingStub(channel);
  }

  /** The channel itself, for services of sipline's own (their stubs carry their own deadlines). */
  ManagedChannel channel() {
    return channel;
  }

  /** The live media service on the same channel (streams carry their own deadline, if any). */
  LineMediaGrpc.LineMediaStub media() {
    return LineMediaGrpc.newStub(channel);
  }

  /** A stub whose next request must be answered within {@code deadline}; null for no deadline. */
  SipBlockingStub sip(Duration deadline) {
    return deadline == null
        ? stub
        : stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

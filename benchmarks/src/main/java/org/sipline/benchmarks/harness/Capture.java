package org.sipline.benchmarks.harness;

import java.io.IOException;
import java.util.List;

/** Records the RTP packets sent to the receivers' ports while it runs. */
public interface Capture extends AutoCloseable {
  /** What the capture holds once stopped. */
  record Result(List<CapturedPacket> packets, long droppedByCapture, String method) {}

  /** Stops capturing and returns every packet seen, in capture order. */
  Result stop() throws IOException;

  /** Stops whatever still runs, without reading the result. */
  @Override
  void close();
}

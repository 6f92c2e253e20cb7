package org.sipline.backend.jainsip;

import java.io.IOException;

/** Where calls get their {@link RtpSession}s: the backend's media engine. */
interface RtpSessions extends AutoCloseable {
  /** Reserves a port for a call's RTP. */
  RtpSession allocate() throws IOException;

  /** Ends every session and the media threads. */
  @Override
  void close();
}

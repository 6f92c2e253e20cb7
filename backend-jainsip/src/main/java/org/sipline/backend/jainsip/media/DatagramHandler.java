package org.sipline.backend.jainsip.media;

import java.net.InetSocketAddress;

/**
 * Takes the datagrams of one socket on the receive thread: a call's RTP or its RTCP. Must not throw
 * for any input and should allocate nothing per datagram.
 */
interface DatagramHandler {
  /** {@code buf[0, length)} as read from the socket; the buffer is reused after this returns. */
  void onDatagram(byte[] buf, int length, InetSocketAddress source);
}

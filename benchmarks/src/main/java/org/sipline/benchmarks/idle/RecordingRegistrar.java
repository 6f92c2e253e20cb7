package org.sipline.benchmarks.idle;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A registrar on a UDP port of 127.0.0.1 that answers every REGISTER 200 OK, granting {@code
 * expires} seconds (or 0 for a removal), and records when each arrived and whether it was the first
 * of its Call-ID (a new registration) or a refresh. No authentication: the cost measured is the
 * client's, and a challenge would only double every REGISTER.
 */
final class RecordingRegistrar implements AutoCloseable {
  /** One REGISTER as it arrived. */
  record Arrival(long nanos, boolean first, boolean removal) {}

  private final DatagramSocket socket;
  private final int expires;
  private final Thread thread;
  private final List<Arrival> arrivals = new ArrayList<>();
  private final Set<String> callIds = new HashSet<>();
  private volatile boolean closed;

  private RecordingRegistrar(DatagramSocket socket, int expires) {
    this.socket = socket;
    this.expires = expires;
    this.thread = new Thread(this::serve, "recording-registrar");
    this.thread.setDaemon(true);
  }

  /** Binds a free port and starts answering. */
  static RecordingRegistrar start(int expires) throws SocketException {
    DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    s.setReceiveBufferSize(4 << 20);
    RecordingRegistrar r = new RecordingRegistrar(s, expires);
    r.thread.start();
    return r;
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Every REGISTER so far, in arrival order. */
  synchronized List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  /** The Call-IDs of the registrations seen so far, each line's first REGISTER's. */
  synchronized Set<String> callIds() {
    return Set.copyOf(callIds);
  }

  /** Distinct registrations (Call-IDs) seen so far. */
  synchronized int registrations() {
    return callIds.size();
  }

  private void serve() {
    byte[] buf = new byte[65_535];
    while (!closed) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (IOException e) {
        return; // closed
      }
      long at = System.nanoTime();
      String msg = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
      if (!msg.startsWith("REGISTER ")) {
        continue; // nothing else is sent to a registrar here; a stray packet is not answered
      }
      StringBuilder reply = new StringBuilder("SIP/2.0 200 OK\r\n");
      String callId = null;
      boolean removal = false;
      for (String h : msg.split("\r\n")) {
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("via:") || lower.startsWith("v:")) {
          reply.append(h).append("\r\n");
        } else if (lower.startsWith("from:") || lower.startsWith("f:")) {
          reply.append(h).append("\r\n");
        } else if (lower.startsWith("to:") || lower.startsWith("t:")) {
          reply.append(h).append(lower.contains("tag=") ? "" : ";tag=reg").append("\r\n");
        } else if (lower.startsWith("call-id:") || lower.startsWith("i:")) {
          reply.append(h).append("\r\n");
          callId = h.substring(h.indexOf(':') + 1).trim();
        } else if (lower.startsWith("cseq:")) {
          reply.append(h).append("\r\n");
        } else if (lower.startsWith("contact:") || lower.startsWith("m:")) {
          String contact = h.substring(h.indexOf(':') + 1).trim();
          removal |= lower.contains("expires=0") || contact.equals("*");
          int semi = contact.indexOf('>');
          String uri = semi < 0 ? contact : contact.substring(0, semi + 1);
          reply.append("Contact: ").append(uri).append(";expires=").append(expires).append("\r\n");
        } else if (lower.startsWith("expires:")) {
          removal |= lower.substring(8).trim().equals("0");
        }
      }
      if (callId == null) {
        continue;
      }
      reply.append("Expires: ").append(removal ? 0 : expires).append("\r\n");
      reply.append("Content-Length: 0\r\n\r\n");
      synchronized (this) {
        arrivals.add(new Arrival(at, callIds.add(callId), removal));
      }
      byte[] out = reply.toString().getBytes(StandardCharsets.UTF_8);
      try {
        socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
      } catch (IOException e) {
        if (!closed) {
          throw new IllegalStateException("registrar could not answer", e);
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    socket.close();
  }
}

package org.sipline.backend.jainsip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sipline.testing.peers.FreePorts;

/**
 * A media relay on loopback between a caller (sipline) and a far end (baresip) that drops a fixed
 * pattern of the far end's RTP: every {@code dropEvery}th packet, counted from the first it
 * forwards. The path is put through it the way a SIP proxy with a media relay (rtpproxy) does, so
 * neither party is configured for it: the caller sends its INVITE to the relay's SIP port, which
 * forwards it with a Via of its own and rewrites the SDP of the offer (the far end sends its media
 * to the relay's B side) and of the answer coming back (the caller sends to, and accepts only from,
 * the relay's A side, which is where the far end's forwarded media comes from). The dialog's later
 * requests (ACK, BYE) go straight between the parties, to each other's Contact.
 *
 * <pre>
 *   caller RTP/RTCP ⇄ A side (rtp, rtp+1) ─ relay ─ B side (rtp, rtp+1) ⇄ far end RTP/RTCP
 *                                 far end → caller RTP: every dropEvery-th dropped
 * </pre>
 *
 * <p>The far end's stream is forwarded only once the caller's first RTP packet has come through:
 * then the caller has taken the answer and accepts the relayed stream, so what the relay forwards
 * is what the caller counts, from the first packet, and its loss figures can be checked exactly.
 * One thread, owned by the relay and stopped by {@link #close}.
 */
final class LossyRelay implements AutoCloseable {
  private static final Pattern MEDIA = Pattern.compile("(?m)^m=audio (\\d+) ");
  private static final Pattern CONNECTION = Pattern.compile("(?m)^c=IN IP4 (\\S+)");
  private static final Pattern RTCP_ATTRIBUTE = Pattern.compile("(?m)^a=rtcp:(\\d+)");
  private static final Pattern CONTENT_LENGTH =
      Pattern.compile("(?im)^(Content-Length|l)[ \\t]*:[ \\t]*\\d+");
  private static final Pattern TOP_VIA_BRANCH =
      Pattern.compile("(?im)^(?:Via|v)[ \\t]*:.*branch=([^;\\s,]+)");
  private static final String RELAY_BRANCH_PREFIX = "z9hG4bK-relay-";

  private final InetSocketAddress farEndSip;
  private final int dropEvery;
  private final Selector selector;
  private final DatagramChannel sip;
  private final DatagramChannel aRtp;
  private final DatagramChannel aRtcp;
  private final DatagramChannel bRtp;
  private final DatagramChannel bRtcp;
  private final Thread thread;

  // Written and read by the relay's thread only, except the event list (synchronized).
  private SocketAddress caller;
  private InetSocketAddress callerRtp;
  private InetSocketAddress callerRtcp;
  private InetSocketAddress farEndRtp;
  private InetSocketAddress farEndRtcp;
  private boolean callerMediaUp;
  private long farEndPackets;

  /** The far end's RTP packets in the order they came, once forwarding began: true = forwarded. */
  private final List<Boolean> farEndStream = new ArrayList<>();

  LossyRelay(InetSocketAddress farEndSip, int dropEvery) throws IOException {
    if (dropEvery < 2) {
      throw new IllegalArgumentException("dropEvery < 2: " + dropEvery);
    }
    this.farEndSip = farEndSip;
    this.dropEvery = dropEvery;
    selector = Selector.open();
    sip = open(FreePorts.udpPort());
    int a = FreePorts.rtpPort();
    aRtp = open(a);
    aRtcp = open(a + 1);
    int b = FreePorts.rtpPort();
    bRtp = open(b);
    bRtcp = open(b + 1);
    thread = new Thread(this::run, "lossy-relay");
    thread.setDaemon(true);
    thread.start();
  }

  private DatagramChannel open(int port) throws IOException {
    DatagramChannel c = DatagramChannel.open();
    c.bind(new InetSocketAddress("127.0.0.1", port));
    c.configureBlocking(false);
    c.register(selector, SelectionKey.OP_READ);
    return c;
  }

  /** Where the caller sends its INVITE. */
  int sipPort() {
    return sip.socket().getLocalPort();
  }

  /** The far end's RTP packets forwarded to the caller so far. */
  synchronized long forwarded() {
    return farEndStream.stream().filter(f -> f).count();
  }

  /** The far end's RTP packets dropped so far. */
  synchronized long dropped() {
    return farEndStream.stream().filter(f -> !f).count();
  }

  /**
   * How many were dropped between the first packet forwarded and the {@code received}th: the
   * caller's cumulative loss once it has received exactly the first {@code received} forwarded.
   */
  synchronized long droppedBefore(long received) {
    long forwarded = 0;
    long dropped = 0;
    for (boolean f : farEndStream) {
      if (f) {
        if (++forwarded == received) {
          return dropped;
        }
      } else {
        dropped++;
      }
    }
    throw new IllegalArgumentException("only " + forwarded + " packets forwarded, not " + received);
  }

  private void run() {
    ByteBuffer buf = ByteBuffer.allocate(65536);
    try {
      while (selector.isOpen()) {
        selector.select();
        for (SelectionKey key : selector.selectedKeys()) {
          DatagramChannel channel = (DatagramChannel) key.channel();
          buf.clear();
          SocketAddress source = channel.receive(buf);
          if (source != null) {
            buf.flip();
            handle(channel, (InetSocketAddress) source, buf);
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (ClosedSelectorException | java.nio.channels.ClosedChannelException e) {
      // closed: done
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(DatagramChannel channel, InetSocketAddress source, ByteBuffer datagram)
      throws IOException {
    if (channel == sip) {
      String message = StandardCharsets.UTF_8.decode(datagram).toString();
      if (source.equals(farEndSip)) {
        if (caller != null) {
          sip.send(utf8(fromFarEnd(message)), caller);
        }
      } else {
        caller = source;
        sip.send(utf8(fromCaller(message)), farEndSip);
      }
    } else if (channel == aRtp) {
      if (farEndRtp != null) {
        callerMediaUp = true;
        bRtp.send(datagram, farEndRtp);
      }
    } else if (channel == aRtcp) {
      if (farEndRtcp != null) {
        bRtcp.send(datagram, farEndRtcp);
      }
    } else if (channel == bRtp) {
      if (callerRtp != null && callerMediaUp) {
        boolean forward = ++farEndPackets % dropEvery != 0;
        synchronized (this) {
          farEndStream.add(forward);
        }
        if (forward) {
          aRtp.send(datagram, callerRtp);
        }
      }
    } else if (channel == bRtcp && callerRtcp != null) {
      aRtcp.send(datagram, callerRtcp);
    }
  }

  /**
   * A request of the caller's: our Via on top (its branch derived from the caller's, so a
   * retransmission is the same transaction), the Request-URI at the far end's port, and an offer's
   * media pointed at the B side.
   */
  private String fromCaller(String request) {
    int lineEnd = request.indexOf("\r\n");
    if (lineEnd < 0 || request.startsWith("SIP/2.0")) {
      return request;
    }
    String requestLine =
        request
            .substring(0, lineEnd)
            .replace(":" + sipPort() + " SIP/2.0", ":" + farEndSip.getPort() + " SIP/2.0")
            .replace(":" + sipPort() + ";", ":" + farEndSip.getPort() + ";");
    Matcher branch = TOP_VIA_BRANCH.matcher(request);
    String ours =
        "Via: SIP/2.0/UDP 127.0.0.1:"
            + sipPort()
            + ";branch="
            + RELAY_BRANCH_PREFIX
            + (branch.find() ? branch.group(1) : "none")
            + "\r\n";
    String rest = request.substring(lineEnd + 2);
    String message = requestLine + "\r\n" + ours + rest;
    return rewriteSdp(
        message,
        local(bRtp),
        (rtp, rtcp) -> {
          callerRtp = rtp;
          callerRtcp = rtcp;
        });
  }

  /** A response of the far end's: our Via off the top, an answer's media pointed at the A side. */
  private String fromFarEnd(String response) {
    String message =
        response.replaceFirst(
            "(?im)^(?:Via|v)[ \\t]*:[^\\r\\n]*"
                + Pattern.quote(RELAY_BRANCH_PREFIX)
                + "[^\\r\\n]*\\r\\n",
            "");
    return rewriteSdp(
        message,
        local(aRtp),
        (rtp, rtcp) -> {
          farEndRtp = rtp;
          farEndRtcp = rtcp;
        });
  }

  private interface MediaTarget {
    void learned(InetSocketAddress rtp, InetSocketAddress rtcp);
  }

  /** Points an SDP body's audio at {@code relayPort} (RTCP at + 1), telling who it was. */
  private static String rewriteSdp(String message, int relayPort, MediaTarget target) {
    int bodyAt = message.indexOf("\r\n\r\n");
    if (bodyAt < 0) {
      return message;
    }
    String head = message.substring(0, bodyAt + 4);
    String body = message.substring(bodyAt + 4);
    Matcher media = MEDIA.matcher(body);
    Matcher connection = CONNECTION.matcher(body);
    if (!media.find() || !connection.find()) {
      return message;
    }
    String host = connection.group(1);
    int rtp = Integer.parseInt(media.group(1));
    Matcher rtcpAttribute = RTCP_ATTRIBUTE.matcher(body);
    int rtcp = rtcpAttribute.find() ? Integer.parseInt(rtcpAttribute.group(1)) : rtp + 1;
    target.learned(new InetSocketAddress(host, rtp), new InetSocketAddress(host, rtcp));
    String rewritten =
        media
            .replaceFirst("m=audio " + relayPort + " ")
            .replaceAll("(?m)^a=rtcp:\\d+", "a=rtcp:" + (relayPort + 1));
    int length = rewritten.getBytes(StandardCharsets.UTF_8).length;
    return CONTENT_LENGTH.matcher(head).replaceFirst("Content-Length: " + length) + rewritten;
  }

  private static int local(DatagramChannel channel) {
    return channel.socket().getLocalPort();
  }

  private static ByteBuffer utf8(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws IOException {
    selector.close();
    for (DatagramChannel c : List.of(sip, aRtp, aRtcp, bRtp, bRtcp)) {
      c.close();
    }
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

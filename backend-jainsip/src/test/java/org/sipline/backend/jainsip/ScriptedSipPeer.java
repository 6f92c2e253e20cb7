package org.sipline.backend.jainsip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A SIP peer on a loopback UDP port that a test scripts message by message: it hands over what the
 * backend sent and sends back exactly the responses the test writes. It exists for what real peers
 * can't be made to do on cue: stay silent, vanish and return, challenge twice.
 */
final class ScriptedSipPeer implements AutoCloseable {
  private final DatagramSocket socket;
  private final BlockingQueue<SipText> received = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile boolean silent;
  private volatile int autoAnswer;
  private final List<SipText> answered = new java.util.concurrent.CopyOnWriteArrayList<>();

  ScriptedSipPeer() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    reader = new Thread(this::read, "scripted-sip-peer-" + socket.getLocalPort());
    reader.setDaemon(true);
    reader.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  String hostPort() {
    return "127.0.0.1:" + port();
  }

  /** From now on every request but ACK is answered {@code code} at once and not kept. */
  void answerEverything(int code) {
    autoAnswer = code;
  }

  /** The requests answered by {@link #answerEverything}, in the order they arrived. */
  List<SipText> answered() {
    return List.copyOf(answered);
  }

  /** While silent, everything received is dropped, as by a registrar that went away. */
  void silent(boolean silent) {
    this.silent = silent;
  }

  private void read() {
    byte[] buf = new byte[65536];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (IOException e) {
        return;
      }
      if (p.getLength() <= 4 || silent) {
        continue; // keep-alive CRLFs carry nothing
      }
      SipText m =
          SipText.parse(p.getData(), p.getLength(), (InetSocketAddress) p.getSocketAddress());
      int code = autoAnswer;
      if (code > 0 && m.isRequest() && !m.method().equals("ACK")) {
        answered.add(m);
        try {
          respond(m, code, "Auto");
        } catch (IOException e) {
          return;
        }
        continue;
      }
      received.add(m);
    }
  }

  /** The next request with {@code method}, skipping retransmissions and other messages. */
  SipText expect(String method, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    List<SipText> skipped = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      SipText m = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
      if (m == null) {
        throw new AssertionError("no " + method + " within " + within + "; skipped " + skipped);
      }
      if (m.isRequest() && m.method().equals(method) && !isRetransmission(m)) {
        return m;
      }
      skipped.add(m);
    }
  }

  private final List<String> seenBranches = new ArrayList<>();

  private boolean isRetransmission(SipText m) {
    // CANCEL and the ACK of a non-2xx share the INVITE's branch: the CSeq tells them apart.
    String branch = SipText.param(m.header("Via"), "branch") + " " + m.header("CSeq");
    if (seenBranches.contains(branch)) {
      return true;
    }
    seenBranches.add(branch);
    return false;
  }

  /** Nothing with {@code method} arrives for {@code period}. */
  void expectNo(String method, Duration period) throws InterruptedException {
    long deadline = System.nanoTime() + period.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      SipText m = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
      if (m == null) {
        return;
      }
      if (m.isRequest() && m.method().equals(method)) {
        throw new AssertionError("unexpected " + m);
      }
    }
  }

  /** Answers {@code request} with {@code code reason}, our To tag and {@code extraHeaders}. */
  void respond(SipText request, int code, String reason, String... extraHeaders)
      throws IOException {
    respondWithSdp(request, code, reason, null, extraHeaders);
  }

  /** Like {@link #respond} with {@code sdp} as an application/sdp body (none when null). */
  void respondWithSdp(SipText request, int code, String reason, String sdp, String... extraHeaders)
      throws IOException {
    respondAs(
        "peer" + Integer.toHexString(request.callId().hashCode()),
        request,
        code,
        reason,
        sdp,
        extraHeaders);
  }

  /**
   * Like {@link #respondWithSdp} with To tag {@code toTag} when the request has none: another
   * dialog, as a second fork of a proxy's would make.
   */
  void respondAs(
      String toTag, SipText request, int code, String reason, String sdp, String... extraHeaders)
      throws IOException {
    send(response(toTag, request, code, reason, sdp, extraHeaders), request.source());
  }

  /**
   * Sends the 2xx {@link #respondAs} would, again and again as a UAS does until it is ACKed (RFC
   * 3261 §13.3.1.4: after T1, doubling up to T2), and returns the ACK.
   */
  SipText retransmitUntilAcked(
      String toTag, SipText invite, String sdp, Duration within, String... extraHeaders)
      throws IOException, InterruptedException {
    String ok = response(toTag, invite, 200, "OK", sdp, extraHeaders);
    long deadline = System.nanoTime() + within.toNanos();
    long interval = Duration.ofMillis(500).toNanos();
    List<SipText> skipped = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      send(ok, invite.source());
      long until = Math.min(deadline, System.nanoTime() + interval);
      for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
        SipText m = received.poll(left, TimeUnit.NANOSECONDS);
        if (m != null && m.isRequest() && m.method().equals("ACK")) {
          return m;
        }
        if (m != null) {
          skipped.add(m);
        }
      }
      interval = Math.min(interval * 2, Duration.ofSeconds(4).toNanos());
    }
    throw new AssertionError("200 OK not ACKed within " + within + "; skipped " + skipped);
  }

  private static String response(
      String toTag, SipText request, int code, String reason, String sdp, String... extraHeaders) {
    StringBuilder sb =
        new StringBuilder("SIP/2.0 ").append(code).append(' ').append(reason).append("\r\n");
    for (String via : request.headers("Via")) {
      sb.append("Via: ").append(via).append("\r\n");
    }
    sb.append("From: ").append(request.header("From")).append("\r\n");
    String to = request.header("To");
    if (SipText.param(to, "tag") == null && code > 100) {
      to += ";tag=" + toTag;
    }
    sb.append("To: ").append(to).append("\r\n");
    sb.append("Call-ID: ").append(request.callId()).append("\r\n");
    sb.append("CSeq: ").append(request.header("CSeq")).append("\r\n");
    for (String h : extraHeaders) {
      sb.append(h).append("\r\n");
    }
    appendBody(sb, "application/sdp", sdp);
    return sb.toString();
  }

  /** Ends the headers with Content-Type/-Length and appends {@code body} (none when null). */
  static void appendBody(StringBuilder sb, String type, String body) {
    if (body == null) {
      sb.append("Content-Length: 0\r\n\r\n");
      return;
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    sb.append("Content-Type: ").append(type).append("\r\n");
    sb.append("Content-Length: ").append(bytes.length).append("\r\n\r\n").append(body);
  }

  /** Nothing at all arrives for {@code period}. */
  void expectNothing(Duration period) throws InterruptedException {
    SipText m = received.poll(period.toNanos(), TimeUnit.NANOSECONDS);
    if (m != null) {
      throw new AssertionError("unexpected " + m + " from " + m.source());
    }
  }

  /** The next message whatever it is (responses to requests the test sent, too). */
  SipText next(Duration within) throws InterruptedException {
    SipText m = received.poll(within.toNanos(), TimeUnit.NANOSECONDS);
    if (m == null) {
      throw new AssertionError("nothing received within " + within);
    }
    return m;
  }

  /** The next response with {@code code}, skipping other messages. */
  SipText expectResponse(int code, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    List<SipText> skipped = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      SipText m = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
      if (m == null) {
        throw new AssertionError("no " + code + " within " + within + "; skipped " + skipped);
      }
      if (!m.isRequest() && m.statusCode() == code) {
        return m;
      }
      skipped.add(m);
    }
  }

  void send(String message, InetSocketAddress to) throws IOException {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    socket.send(new DatagramPacket(bytes, bytes.length, to));
  }

  @Override
  public void close() {
    socket.close();
    try {
      reader.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

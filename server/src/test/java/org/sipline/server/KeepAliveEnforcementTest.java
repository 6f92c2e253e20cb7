package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server permits a client's keepalive ping once every 10 s. A client that pings more often is
 * told to calm down: after a few early pings the server ends the connection with GOAWAY
 * ENHANCE_YOUR_CALM, "too_many_pings" (gRFC A8), as every gRPC server does. grpc-java's own client
 * never pings that often (it clamps its keepalive to 10 s), so this client speaks HTTP/2 frames
 * itself over a plain socket.
 */
class KeepAliveEnforcementTest {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int SETTINGS = 0x4;
  private static final int PING = 0x6;
  private static final int GOAWAY = 0x7;
  private static final int ACK = 0x1;
  private static final int ENHANCE_YOUR_CALM = 0xb;

  /** Far more than the handful of early pings the server tolerates. */
  private static final int MAX_PINGS = 20;

  private RunningServer running;
  private Socket socket;

  @BeforeEach
  void start() throws Exception {
    running = RunningServer.start();
    socket = new Socket("127.0.0.1", running.server.grpcPort());
    socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
  }

  @AfterEach
  void stop() throws IOException {
    socket.close();
    running.close();
  }

  @Test
  void aClientPingingMoreOftenThanPermittedGetsGoAwayEnhanceYourCalm() throws Exception {
    OutputStream out = socket.getOutputStream();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    out.write(PREFACE);
    writeFrame(out, SETTINGS, 0, new byte[0]);

    // One ping at a time, the next as soon as the last is answered: each arrives well within the
    // 10 s the server asks for. The server acks a ping before it decides to refuse it, so a ping
    // may still be written after its GOAWAY went out and find the connection closed; what the
    // server sent before closing is still read.
    int pingsSent = 0;
    int pingAcks = 0;
    boolean pingDue = true;
    boolean writable = true;
    while (true) {
      if (pingDue && writable && pingsSent < MAX_PINGS) {
        try {
          writeFrame(out, PING, 0, ByteBuffer.allocate(8).putLong(pingsSent).array());
          pingsSent++;
        } catch (SocketException e) {
          writable = false;
        }
        pingDue = false;
      }
      Frame frame = readFrame(in);
      if (frame.type == SETTINGS && (frame.flags & ACK) == 0 && writable) {
        writeFrame(out, SETTINGS, ACK, new byte[0]);
      } else if (frame.type == PING && (frame.flags & ACK) != 0) {
        pingAcks++;
        pingDue = true;
      } else if (frame.type == GOAWAY) {
        ByteBuffer goAway = ByteBuffer.wrap(frame.payload);
        goAway.getInt(); // last stream id: none was opened
        int errorCode = goAway.getInt();
        String debug =
            new String(frame.payload, 8, frame.payload.length - 8, StandardCharsets.US_ASCII);
        assertThat(errorCode).as("GOAWAY error code").isEqualTo(ENHANCE_YOUR_CALM);
        assertThat(debug).isEqualTo("too_many_pings");
        // The first early pings are tolerated (and answered); only repeated ones are refused.
        assertThat(pingAcks).as("pings answered before the GOAWAY").isPositive();
        assertThat(pingsSent).as("pings sent").isLessThan(MAX_PINGS);
        return;
      }
    }
  }

  private record Frame(int type, int flags, byte[] payload) {}

  private static void writeFrame(OutputStream out, int type, int flags, byte[] payload)
      throws IOException {
    ByteBuffer header = ByteBuffer.allocate(9);
    header
        .put((byte) (payload.length >>> 16))
        .put((byte) (payload.length >>> 8))
        .put((byte) payload.length)
        .put((byte) type)
        .put((byte) flags)
        .putInt(0);
    out.write(header.array());
    out.write(payload);
    out.flush();
  }

  /** The next frame; an EOF before a GOAWAY fails the test with what was missing. */
  private static Frame readFrame(DataInputStream in) throws IOException {
    byte[] header = new byte[9];
    try {
      in.readFully(header);
    } catch (EOFException e) {
      throw new AssertionError("the server closed the connection without a GOAWAY", e);
    }
    int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | (header[2] & 0xff);
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Frame(header[3] & 0xff, header[4] & 0xff, payload);
  }
}

package org.sipline.backend.jainsip.hardening;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SIPp as an INVITE flood from a stranger's address (127.0.0.2): each call sends an INVITE with
 * SDP, takes the refusal and ACKs it, at a fixed rate for a fixed count. The fixture's SIPp traces
 * every message to a file, which at thousands of calls a second would measure the disk; this one
 * runs without traces. Stopped by its PID.
 */
final class SippFlood implements AutoCloseable {
  private static final String SCENARIO =
      """
      <?xml version="1.0" encoding="ISO-8859-1" ?>
      <scenario name="INVITE flood from a stranger">
        <send>
          <![CDATA[
            INVITE sip:bot@[remote_ip]:[remote_port] SIP/2.0
            Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
            From: "flood" <sip:flood@[local_ip]:[local_port]>;tag=[pid]flood[call_number]
            To: <sip:bot@[remote_ip]:[remote_port]>
            Call-ID: [call_id]
            CSeq: 1 INVITE
            Contact: <sip:flood@[local_ip]:[local_port]>
            Max-Forwards: 70
            Content-Type: application/sdp
            Content-Length: [len]

            v=0
            o=flood 1 1 IN IP4 [local_ip]
            s=-
            c=IN IP4 [media_ip]
            t=0 0
            m=audio [media_port] RTP/AVP 0
            a=rtpmap:0 PCMU/8000
          ]]>
        </send>
        <recv response="100" optional="true"/>
        <recv response="403"/>
        <send>
          <![CDATA[
            ACK sip:bot@[remote_ip]:[remote_port] SIP/2.0
            Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
            From: "flood" <sip:flood@[local_ip]:[local_port]>;tag=[pid]flood[call_number]
            To: <sip:bot@[remote_ip]:[remote_port]>[peer_tag_param]
            Call-ID: [call_id]
            CSeq: 1 ACK
            Max-Forwards: 70
            Content-Length: 0
          ]]>
        </send>
      </scenario>
      """;

  private final Process process;
  private final Path dir;

  private SippFlood(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
  }

  /** Starts {@code total} calls at {@code rate}/s against 127.0.0.1:{@code port}. */
  static SippFlood start(int port, int rate, int total, int localPort, int mediaPort)
      throws IOException {
    Path dir = Files.createTempDirectory("sipline-flood");
    Path scenario = dir.resolve("flood.xml");
    Files.writeString(scenario, SCENARIO, StandardCharsets.ISO_8859_1);
    Process p =
        new ProcessBuilder(
                List.of(
                    "sipp",
                    "-sf",
                    scenario.toString(),
                    "-i",
                    "127.0.0.2",
                    "-p",
                    Integer.toString(localPort),
                    "-mi",
                    "127.0.0.2",
                    "-mp",
                    Integer.toString(mediaPort),
                    "-t",
                    "u1",
                    "-r",
                    Integer.toString(rate),
                    "-rp",
                    "1000",
                    "-m",
                    Integer.toString(total),
                    "-l",
                    Integer.toString(rate * 4),
                    "-recv_timeout",
                    "2000",
                    "-timeout",
                    (total / rate + 30) + "s",
                    "-nostdin",
                    "127.0.0.1:" + port))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sipp.out").toFile())
            .start();
    return new SippFlood(p, dir);
  }

  boolean isRunning() {
    return process.isAlive();
  }

  /**
   * SIPp's exit status once it finished: 0 when every call got its 403 and sent its ACK, 1 when
   * some call failed (no answer after its retransmissions, or another answer).
   */
  int exitCode() {
    return process.exitValue();
  }

  /** What SIPp printed, for a failure message. */
  String output() throws IOException {
    Path out = dir.resolve("sipp.out");
    return Files.exists(out) ? Files.readString(out, StandardCharsets.ISO_8859_1) : "";
  }

  /** Waits for SIPp to finish its calls; false when the bound passed first. */
  boolean await(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(dir);
  }
}

package org.sipline.benchmarks.micro;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sipline.backend.jainsip.media.srtp.SrtpKeys;
import org.sipline.backend.jainsip.media.srtp.SrtpProtector;
import org.sipline.backend.jainsip.media.srtp.SrtpSuite;
import org.sipline.backend.jainsip.media.srtp.SrtpUnprotector;

/**
 * SRTP per packet as the jainsip backend does it for G.711: a 12-byte header and a 160-byte
 * payload, protected (AES-CM over the payload, HMAC-SHA1 tag appended) and, in the second method,
 * protected and then unprotected by the far end's context (tag check, replay window, AES-CM).
 * Unprotect alone cannot be measured on one packet over and over: the replay window refuses the
 * second time early, which is cheap and not the work of a call; the round trip minus {@link
 * #protect} is its cost. Each invocation sends the next sequence number, so the rollover counter
 * moves as in a long call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SrtpBenchmark {
  private static final int HEADER = 12;
  private static final int PAYLOAD = 160;

  /** The suite measured. */
  @Param({"AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"})
  public String suite;

  private SrtpProtector protector;
  private SrtpUnprotector unprotector;
  private final byte[] plain = new byte[HEADER + PAYLOAD];
  private final byte[] packet = new byte[1500];
  private int sequence;

  /** Keys, contexts and a random packet, once per trial. */
  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    byte[] key = new byte[SrtpSuite.KEY_LENGTH];
    byte[] salt = new byte[SrtpSuite.SALT_LENGTH];
    random.nextBytes(key);
    random.nextBytes(salt);
    SrtpKeys keys = SrtpKeys.of(SrtpSuite.valueOf(suite), key, salt);
    protector = new SrtpProtector(keys, packet.length);
    unprotector = new SrtpUnprotector(keys, packet.length);
    random.nextBytes(plain);
    plain[0] = (byte) 0x80;
    plain[1] = 0;
  }

  private int next() {
    System.arraycopy(plain, 0, packet, 0, plain.length);
    int s = sequence++ & 0xFFFF;
    packet[2] = (byte) (s >>> 8);
    packet[3] = (byte) s;
    return protector.protectRtp(packet, plain.length);
  }

  /**
   * Protects the next packet.
   *
   * @return its protected length
   */
  @Benchmark
  public int protect() {
    return next();
  }

  /**
   * Protects the next packet and unprotects it as the far end.
   *
   * @return its plain length
   */
  @Benchmark
  public int protectThenUnprotect() {
    int length = unprotector.unprotectRtp(packet, next());
    if (length != plain.length) {
      throw new IllegalStateException("unprotect refused a fresh packet: " + length);
    }
    return length;
  }
}

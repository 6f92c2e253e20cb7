package org.sipline.backend.jainsip.media;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a {@link MediaEngine} starts: the address and RTP port range its sockets bind to, where it
 * records calls, the clock its pacer runs on and the real-time priority the pacer asks for. Made
 * with {@link #on} and the {@code with…} methods; immutable.
 */
public final class MediaEngineOptions {
  private final InetAddress bindAddress;
  private final int rtpPortMin;
  private final int rtpPortMax;
  private final Path recordingsDir;
  private final MediaClock clock;
  private final int pacerRealtime;
  private final RandomGenerator random;

  private MediaEngineOptions(
      InetAddress bindAddress,
      int rtpPortMin,
      int rtpPortMax,
      Path recordingsDir,
      MediaClock clock,
      int pacerRealtime,
      RandomGenerator random) {
    this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
    this.rtpPortMin = rtpPortMin;
    this.rtpPortMax = rtpPortMax;
    this.recordingsDir = recordingsDir;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pacerRealtime = pacerRealtime;
    this.random = random;
  }

  /**
   * Sockets on {@code bindAddress}, any free port (the range 0-0), no recordings, the system clock,
   * the pacer asking for SCHED_FIFO at {@link MediaEngine#PACER_REALTIME_DEFAULT}.
   */
  public static MediaEngineOptions on(InetAddress bindAddress) {
    return new MediaEngineOptions(
        bindAddress, 0, 0, null, MediaClock.system(), MediaEngine.PACER_REALTIME_DEFAULT, null);
  }

  /**
   * RTP ports from {@code min..max}, even ports only (RTCP on the odd port above); 0-0 means any
   * free port. Checked when the engine starts.
   */
  public MediaEngineOptions withRtpPorts(int min, int max) {
    return new MediaEngineOptions(
        bindAddress, min, max, recordingsDir, clock, pacerRealtime, random);
  }

  /**
   * Each call's received audio written as WAV into {@code dir} (created when missing); null: off.
   */
  public MediaEngineOptions withRecordingsDir(Path dir) {
    return new MediaEngineOptions(
        bindAddress, rtpPortMin, rtpPortMax, dir, clock, pacerRealtime, random);
  }

  /** The clock the pacer runs on. */
  public MediaEngineOptions withClock(MediaClock clock) {
    return new MediaEngineOptions(
        bindAddress, rtpPortMin, rtpPortMax, recordingsDir, clock, pacerRealtime, random);
  }

  /**
   * The SCHED_FIFO priority ({@value MediaEngine#PACER_REALTIME_MIN}..{@value
   * MediaEngine#PACER_REALTIME_MAX}) the pacer thread asks for, or {@link
   * MediaEngine#PACER_REALTIME_OFF}. Checked when the engine starts.
   */
  public MediaEngineOptions withPacerRealtime(int priority) {
    return new MediaEngineOptions(
        bindAddress, rtpPortMin, rtpPortMax, recordingsDir, clock, priority, random);
  }

  /** A seeded random source instead of a {@link SecureRandom}: the package's tests repeat runs. */
  MediaEngineOptions withRandom(RandomGenerator random) {
    return new MediaEngineOptions(
        bindAddress,
        rtpPortMin,
        rtpPortMax,
        recordingsDir,
        clock,
        pacerRealtime,
        Objects.requireNonNull(random, "random"));
  }

  public InetAddress bindAddress() {
    return bindAddress;
  }

  public int rtpPortMin() {
    return rtpPortMin;
  }

  public int rtpPortMax() {
    return rtpPortMax;
  }

  /** Where recordings go, or null for none. */
  public Path recordingsDir() {
    return recordingsDir;
  }

  public MediaClock clock() {
    return clock;
  }

  public int pacerRealtime() {
    return pacerRealtime;
  }

  /**
   * The random source for ports, SSRCs and the RTCP CNAME: a new SecureRandom unless a test set
   * one.
   */
  RandomGenerator random() {
    return random != null ? random : new SecureRandom();
  }
}

package org.sipline.core.media;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.sipline.core.FailedPreconditionException;
import org.sipline.core.StatusType;
import org.sipline.core.spi.AudioFrames;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.DtmfMethod;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipUri;

/**
 * A hub and one call without a line or a backend: the test is the pacer, the receive thread and the
 * line's actor, so every step is exact and synchronous. Frames sent are kept with their timeline
 * positions.
 */
final class MediaRig implements AutoCloseable {
  static final int FRAME = AudioFrames.FRAME_SAMPLES;

  /** The grace and DTMF timer; daemon, shared by every rig of a test run. */
  static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "media-rig-timer");
            t.setDaemon(true);
            return t;
          });

  final MediaHub hub;
  final List<CallAudio> hungUp = new ArrayList<>();
  CallAudio call;
  AudioSource source;
  CallMedia media;

  /** Every frame handed to the socket, and the timeline position it started at. */
  final List<short[]> frames = new ArrayList<>();

  final List<Long> framePositions = new ArrayList<>();
  long position;

  /** The call's audio rate (what its StubCall reports) and its frame: 8 kHz unless set. */
  int rate = AudioFrames.SAMPLE_RATE;

  int frame = FRAME;

  /** The calls set up from now on run at {@code callRate} (16000 for G.722). */
  MediaRig atRate(int callRate) {
    rate = callRate;
    frame = AudioFrames.frameSamples(callRate);
    return this;
  }

  MediaRig() {
    this(Runnable::run, Duration.ofSeconds(10), DetachPolicy.KEEP_CALL);
  }

  MediaRig(Executor completions, Duration grace, DetachPolicy policy) {
    hub =
        new MediaHub(
            completions,
            TIMER,
            grace,
            policy,
            what ->
                new FailedPreconditionException(
                    StatusType.INCOMING_CALL_CONNECTED, "in a connected call", what),
            c -> {
              synchronized (hungUp) {
                hungUp.add(c);
              }
            });
  }

  /** A call set up (not connected yet): streams waiting for NEXT are bound to it now. */
  MediaRig setUp() {
    call = hub.newCall(true, "alice@caller.test");
    StubCall stub = new StubCall();
    stub.rate = rate;
    call.bind(stub);
    media = call.media();
    source = media.source();
    position = 0;
    return this;
  }

  /** A call set up and connected. */
  MediaRig connected() {
    setUp();
    call.connected();
    return this;
  }

  /** {@code n} pacer ticks, each frame sent. */
  void tick(int n) {
    for (int i = 0; i < n; i++) {
      short[] f = new short[frame];
      source.read(f);
      source.sent(true);
      frames.add(f);
      framePositions.add(position);
      position += frame;
    }
  }

  /** One tick whose packet did not go out. */
  void tickNotOnWire() {
    source.read(new short[frame]);
    source.sent(false);
    position += frame;
  }

  void skip(int n) {
    source.skipped(n);
    position += (long) n * frame;
  }

  /** Everything sent so far, back to back (skipped ticks not included). */
  short[] sentAudio() {
    short[] all = new short[frames.size() * frame];
    for (int i = 0; i < frames.size(); i++) {
      System.arraycopy(frames.get(i), 0, all, i * frame, frame);
    }
    return all;
  }

  /** Every event ready now. */
  static List<MediaEvent> drain(MediaStream s) {
    List<MediaEvent> out = new ArrayList<>();
    for (MediaEvent e = s.poll(); e != null; e = s.poll()) {
      out.add(e);
    }
    return out;
  }

  static <T extends MediaEvent> List<T> only(List<MediaEvent> events, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (MediaEvent e : events) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }

  /** LINEAR16 little-endian bytes of {@code samples}. */
  static byte[] le(short[] samples) {
    byte[] b = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      b[2 * i] = (byte) samples[i];
      b[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    return b;
  }

  static short[] constant(int length, int value) {
    short[] s = new short[length];
    java.util.Arrays.fill(s, (short) value);
    return s;
  }

  @Override
  public void close() {
    hub.close();
  }

  /** The backend's call: a Call-ID, PCMU, DTMF that completes at once. */
  static final class StubCall implements SipCall {
    int rate = AudioFrames.SAMPLE_RATE;

    @Override
    public int audioRate() {
      return rate;
    }

    private static final AtomicInteger IDS = new AtomicInteger();
    private final String id = "rig-" + IDS.incrementAndGet();
    final List<Character> digits = new ArrayList<>();

    /** When set, every digit fails with this. */
    volatile RuntimeException fail;

    @Override
    public String callId() {
      return id;
    }

    @Override
    public boolean isIncoming() {
      return true;
    }

    @Override
    public SipUri remote() {
      return SipUri.of("alice", "caller.test", -1);
    }

    @Override
    public void answer(CallMedia media) {}

    @Override
    public void reject(int statusCode, String reason) {}

    @Override
    public void hangup() {}

    @Override
    public void terminate() {}

    @Override
    public void transfer(SipUri target, Map<String, String> headers) {}

    @Override
    public String audioCodec() {
      return "PCMU";
    }

    @Override
    public synchronized CompletableFuture<DtmfMethod> sendDtmf(char digit, int durationMillis) {
      if (fail != null) {
        return CompletableFuture.failedFuture(fail);
      }
      digits.add(digit);
      return CompletableFuture.completedFuture(DtmfMethod.RFC4733);
    }
  }
}

package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.hardening.LogCapture;

/**
 * The pacer thread's scheduling as the kernel reports it ({@code /proc/self/task/<tid>/stat}):
 * granted, switched off, and refused (by a scheduler that answers EPERM, as the kernel does for a
 * process without CAP_SYS_NICE and a real-time limit below the priority).
 */
class RealtimeSchedulingTest {
  private static final String PACER_NAME = "sipline-rtp-pac"; // the kernel keeps 15 characters

  private MediaEngine engine;
  private Pacer pacer;

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
    if (pacer != null) {
      pacer.close();
    }
  }

  private static void assumeLinux() {
    assumeTrue(
        System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"),
        "reads the Linux kernel's view of threads in /proc; this is "
            + System.getProperty("os.name"));
  }

  @Test
  void anEngineAskingForFifoGetsItsPacerThreadUnderSchedFifoAtThatPriority() throws Exception {
    assumeLinux();
    String why = KernelThreadView.whyFifoIsNotAllowed(7);
    assumeTrue(why == null, () -> "cannot test SCHED_FIFO being granted: " + why);

    engine =
        MediaEngine.start(
            MediaEngineOptions.on(InetAddress.getLoopbackAddress()).withPacerRealtime(7));

    PacerScheduling s = engine.pacerScheduling();
    assertThat(s.policy()).as("reported: %s", s).isEqualTo(PacerScheduling.Policy.FIFO);
    assertThat(s.priority()).isEqualTo(7);
    KernelThreadView kernel = KernelThreadView.of(s.threadId());
    assertThat(kernel.name()).isEqualTo(PACER_NAME);
    assertThat(kernel.policy()).as("policy of %s", kernel).isEqualTo(KernelThreadView.SCHED_FIFO);
    assertThat(kernel.rtPriority()).as("rt_priority of %s", kernel).isEqualTo(7);
  }

  @Test
  void offLeavesThePacerThreadUnderSchedOther() throws Exception {
    assumeLinux();

    engine =
        MediaEngine.start(
            MediaEngineOptions.on(InetAddress.getLoopbackAddress())
                .withPacerRealtime(MediaEngine.PACER_REALTIME_OFF));

    PacerScheduling s = engine.pacerScheduling();
    assertThat(s.policy()).isEqualTo(PacerScheduling.Policy.NORMAL);
    assertThat(s.reason()).contains("media.realtime");
    KernelThreadView kernel = KernelThreadView.of(s.threadId());
    assertThat(kernel.name()).isEqualTo(PACER_NAME);
    assertThat(kernel.policy()).isEqualTo(KernelThreadView.SCHED_OTHER);
    assertThat(kernel.rtPriority()).isZero();
  }

  /** A kernel that refuses as it does without CAP_SYS_NICE; counts the requests. */
  private static final class RefusingScheduler implements ThreadScheduler {
    final AtomicInteger requests = new AtomicInteger();

    @Override
    public int requestFifoForCurrentThread(int priority) {
      requests.incrementAndGet();
      return 1; // EPERM
    }

    @Override
    public String errorText(int errno) {
      return "Operation not permitted";
    }
  }

  @Test
  void aRefusalIsWarnedOnceWithTheRemediesAndThePacerGoesOnAtNormalPriority() throws Exception {
    assumeLinux();
    RefusingScheduler kernel = new RefusingScheduler();
    pacer = new Pacer(MediaClock.system());
    List<String> warnings;
    try (LogCapture log = LogCapture.start()) {
      pacer.start(new RealtimeScheduling(20, () -> kernel, "Linux"));
      warnings = log.linesContaining("WARN");
    }

    PacerScheduling s = pacer.scheduling();
    assertThat(kernel.requests).hasValue(1);
    assertThat(s.policy()).isEqualTo(PacerScheduling.Policy.NORMAL);
    assertThat(s.reason()).contains("priority 20", "EPERM", "Operation not permitted");
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .contains(
            "RTP pacer thread " + s.threadId(),
            "EPERM",
            "CAP_SYS_NICE",
            "ulimit -r 20",
            "media.realtime=off");
    KernelThreadView view = KernelThreadView.of(s.threadId());
    assertThat(view.policy()).isEqualTo(KernelThreadView.SCHED_OTHER);
    CountingStream stream = new CountingStream();
    pacer.add(stream);
    Await.until(() -> stream.frames.get() >= 3, () -> stream.frames + " frames paced");
  }

  @Test
  void withoutNativeAccessThePacerWarnsAndRunsAtNormalPriority() {
    pacer = new Pacer(MediaClock.system());
    List<String> warnings;
    try (LogCapture log = LogCapture.start()) {
      pacer.start(
          new RealtimeScheduling(
              10,
              () -> {
                throw new UnsatisfiedLinkError("Unable to load library 'c'");
              },
              "Linux"));
      warnings = log.linesContaining("WARN");
    }

    assertThat(pacer.scheduling().policy()).isEqualTo(PacerScheduling.Policy.NORMAL);
    assertThat(pacer.scheduling().reason()).contains("JNA", "Unable to load library 'c'");
    assertThat(warnings).singleElement().asString().contains("media.realtime=off");
  }

  @Test
  void onAnotherSystemNothingIsAskedAndThePacerRunsAtNormalPriority() {
    RefusingScheduler kernel = new RefusingScheduler();
    pacer = new Pacer(MediaClock.system());
    try (LogCapture log = LogCapture.start()) {
      pacer.start(new RealtimeScheduling(10, () -> kernel, "Mac OS X"));
      assertThat(log.linesContaining("WARN")).singleElement().asString().contains("Mac OS X");
    }

    assertThat(kernel.requests).hasValue(0);
    assertThat(pacer.scheduling().policy()).isEqualTo(PacerScheduling.Policy.NORMAL);
    assertThat(pacer.scheduling().reason()).contains("Linux only", "Mac OS X");
  }

  @Test
  void aPriorityOutsideOneToNinetyNineIsRefusedByValue() {
    assertThatThrownBy(() -> RealtimeScheduling.of(100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("priority 100 outside 1..99");
    assertThatThrownBy(
            () ->
                MediaEngine.start(
                    MediaEngineOptions.on(InetAddress.getLoopbackAddress()).withPacerRealtime(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("priority -1 outside 1..99");
  }
}

package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.LineStatus;
import org.sipline.core.StatusType;
import org.sipline.core.media.StreamCounters;
import org.sipline.core.records.CallDirection;
import org.sipline.core.records.CallEnding;
import org.sipline.core.records.CallRecord;
import org.sipline.core.records.CallRecordSink;
import org.sipline.core.records.CallSide;
import org.sipline.core.spi.BackendObserver;
import org.sipline.core.spi.ReceptionReport;
import org.sipline.core.spi.RtpStatistics;

/** What the backend reports, and how SIP codes are read from statuses, with bounded labels. */
class SiplineMetricsTest {
  private final SiplineMetrics metrics = new SiplineMetrics();

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void pacerLatenessIsAHistogramInSeconds() {
    BackendObserver observer = metrics.backendObserver();
    observer.paced(0);
    observer.paced(300_000); // 0.3 ms
    observer.paced(7_000_000); // 7 ms
    String text = metrics.scrape();
    assertThat(text)
        .contains("sipline_pacer_lateness_seconds_bucket{le=\"1.0E-4\"} 1")
        .contains("sipline_pacer_lateness_seconds_bucket{le=\"5.0E-4\"} 2")
        .contains("sipline_pacer_lateness_seconds_bucket{le=\"0.005\"} 2")
        .contains("sipline_pacer_lateness_seconds_bucket{le=\"0.01\"} 3")
        .contains("sipline_pacer_lateness_seconds_count 3");
  }

  /**
   * The pacer's report must not wait for a scrape. Micrometer's timer rotates its time-window max
   * once a minute on the recording thread, under the monitor the scrape takes to read that max; on
   * the pacer's thread that would let a scrape preempted at the wrong moment hold a real-time pacer
   * up (issue 14's tail). Here that monitor is held while a tick is reported after the window: the
   * report returns at once, and the tick is in the next scrape.
   */
  @Test
  void aTickIsReportedWhileAScrapeHoldsTheLatenessMaxsMonitor() throws Exception {
    MockClock clock = new MockClock();
    SiplineMetrics timed = new SiplineMetrics(clock);
    try {
      BackendObserver observer = timed.backendObserver();
      observer.paced(1_000_000);
      assertThat(timed.scrape()).contains("sipline_pacer_lateness_seconds_count 1");
      clock.add(Duration.ofSeconds(90));
      Object max = maxOf(timed.registry.get("sipline.pacer.lateness").timer());
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread scrape =
          new Thread(
              () -> {
                synchronized (max) {
                  held.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
              },
              "holds-the-max");
      scrape.start();
      held.await();
      CompletableFuture<Void> tick = CompletableFuture.runAsync(() -> observer.paced(2_000_000));
      try {
        tick.get(5, TimeUnit.SECONDS);
      } finally {
        release.countDown();
        scrape.join();
      }
      assertThat(timed.scrape()).contains("sipline_pacer_lateness_seconds_count 2");
    } finally {
      timed.close();
    }
  }

  /** The timer's time-window max, whose monitor its rotation and the scrape's read both take. */
  private static Object maxOf(Timer timer) throws ReflectiveOperationException {
    Field f = timer.getClass().getDeclaredField("max");
    f.setAccessible(true);
    return f.get(timer);
  }

  private static CallRecord record(RtpStatistics rtp) {
    Instant t = Instant.parse("2026-12-07T10:00:00Z");
    return new CallRecord(
        "call-id-1@host",
        "line",
        "alice@example.org",
        CallDirection.OUTGOING,
        "sip:bob@example.org",
        t,
        t.plusSeconds(1),
        t.plusSeconds(15),
        200,
        "OK",
        CallSide.LOCAL,
        CallEnding.BYE,
        "BYE sent",
        "PCMU",
        0,
        0,
        0,
        rtp,
        4.2,
        4.1);
  }

  @Test
  void rtpSeriesAddUpEachCallsFiguresWithoutNamingTheCall() {
    CallRecordSink sink = metrics.callRecords();
    sink.accept(
        record(
            new RtpStatistics(
                700,
                112_000,
                690,
                110_400,
                new ReceptionReport(true, 700, 10, 0.01, 7.0),
                new ReceptionReport(true, 698, 3, 0.0, 25.0),
                680,
                108_800,
                40.0,
                3,
                3,
                0)));
    sink.accept(
        record(
            new RtpStatistics(
                50,
                8000,
                40,
                6400,
                new ReceptionReport(true, 42, 2, 0.05, 1.5),
                ReceptionReport.NONE,
                -1,
                -1,
                -1,
                1,
                0,
                0)));
    sink.accept(record(RtpStatistics.NONE));
    String text = metrics.scrape();
    assertThat(text)
        .contains("sipline_rtp_packets_sent_total 750.0")
        .contains("sipline_rtp_packets_received_total 730.0")
        .contains("sipline_rtp_packets_lost_total{stream=\"received\"} 12.0")
        .contains("sipline_rtp_packets_lost_total{stream=\"sent\"} 3.0")
        .contains("sipline_rtp_jitter_seconds_bucket{stream=\"received\",le=\"0.002\"} 1")
        .contains("sipline_rtp_jitter_seconds_bucket{stream=\"received\",le=\"0.005\"} 1")
        .contains("sipline_rtp_jitter_seconds_bucket{stream=\"received\",le=\"0.01\"} 2")
        .contains("sipline_rtp_jitter_seconds_count{stream=\"received\"} 2")
        .contains("sipline_rtp_jitter_seconds_bucket{stream=\"sent\",le=\"0.02\"} 0")
        .contains("sipline_rtp_jitter_seconds_bucket{stream=\"sent\",le=\"0.03\"} 1")
        .contains("sipline_rtp_jitter_seconds_count{stream=\"sent\"} 1")
        .contains("sipline_rtp_round_trip_seconds_bucket{le=\"0.025\"} 0")
        .contains("sipline_rtp_round_trip_seconds_bucket{le=\"0.05\"} 1")
        .contains("sipline_rtp_round_trip_seconds_count 1")
        .doesNotContain("call-id-1")
        .doesNotContain("bob@example.org");
  }

  @Test
  void refusedStrangersAreCountedByMethodAndCodeWithBoundedLabels() {
    BackendObserver observer = metrics.backendObserver();
    observer.strangerRefused("INVITE", 403);
    observer.strangerRefused("INVITE", 403);
    observer.strangerRefused("X-\u0000ATTACK-" + "A".repeat(500), 403);
    observer.strangerRefused("OPTIONS", 9999);
    String text = metrics.scrape();
    assertThat(text)
        .contains("sipline_sip_strangers_refused_total{method=\"INVITE\",sip_code=\"403\"} 2.0")
        .contains("sipline_sip_strangers_refused_total{method=\"other\",sip_code=\"403\"} 1.0")
        .contains("sipline_sip_strangers_refused_total{method=\"OPTIONS\",sip_code=\"other\"} 1.0")
        .doesNotContain("ATTACK");
  }

  @Test
  void liveMediaStreamsAreCountedWithTheirDroppedFrames() {
    MediaStreamObserver streams = metrics.mediaStreams();
    streams.opened("Converse");
    streams.opened("Converse");
    streams.opened("Listen");
    assertThat(metrics.scrape())
        .contains("sipline_media_streams{kind=\"converse\"} 2")
        .contains("sipline_media_streams{kind=\"listen\"} 1");
    streams.ended("Converse", new StreamCounters(100, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    streams.ended("Listen", null);
    assertThat(metrics.scrape())
        .contains("sipline_media_streams{kind=\"converse\"} 1")
        .contains("sipline_media_streams{kind=\"listen\"} 0")
        .contains("sipline_media_streams_ended_total{kind=\"converse\"} 1.0")
        .contains("sipline_media_frames_dropped_total{kind=\"converse\"} 7.0")
        .contains("sipline_media_frames_dropped_total{kind=\"listen\"} 0.0");
  }

  @Test
  void theSipCodeOfAFailureIsReadFromItsDescription() {
    assertThat(SiplineMetrics.sipCode(status("INVITE bob@example.org: 486 Busy Here")))
        .isEqualTo("486");
    assertThat(SiplineMetrics.sipCode(status("REGISTER sip:a@b: 403 Forbidden"))).isEqualTo("403");
    assertThat(SiplineMetrics.sipCode(status("INVITE bob@example.org: no answer within 32 s")))
        .isEqualTo("none");
    assertThat(SiplineMetrics.sipCode(status("INVITE 4155550123@example.org: timeout")))
        .isEqualTo("none");
  }

  private static LineStatus status(String description) {
    return new LineStatus(
        1,
        "",
        Instant.EPOCH,
        StatusType.OUTGOING_CALL_FAILED,
        "",
        "",
        Map.of(),
        description,
        "",
        "",
        "");
  }
}

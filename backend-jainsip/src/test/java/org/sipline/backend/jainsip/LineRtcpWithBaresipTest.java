package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.sipline.core.Line;
import org.sipline.core.LineConfig;
import org.sipline.core.StatusType;
import org.sipline.core.records.CallRecord;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.core.spi.SipCall;
import org.sipline.testing.StatusProbe;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipOptions;
import org.sipline.testing.peers.RtcpSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call record's RTP/RTCP figures against baresip's own view of the same call (its {@code
 * rtcpsummary} module, printed when the call closes), both directions, through the whole stack: a
 * core {@link Line} on the jainsip backend calls baresip, which sends silence back.
 *
 * <p>The call lasts only as long as RTCP needs to have flowed both ways: baresip's first sender
 * report reached us, and a report of ours carrying its LSR went back after it (so baresip can
 * measure the round trip too). With RFC 3550's 5 s minimum interval, randomised and halved for the
 * first report, that is about 5–10 s; the test waits on exactly those counters, not on a time.
 */
class LineRtcpWithBaresipTest {
  private static final Logger log = LoggerFactory.getLogger(LineRtcpWithBaresipTest.class);
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** Three report intervals at most (1.5 × 5 s each, randomised): longer means RTCP is broken. */
  private static final Duration RTCP_BOTH_WAYS = Duration.ofSeconds(25);

  /**
   * Packets in flight when the call closes: each side stops counting at a different moment (we when
   * we send the BYE, baresip when it takes it), 0.5 s of 20 ms packets on this loaded machine — the
   * same bound as the conformance suite's count comparison.
   */
  private static final long IN_FLIGHT_PACKETS = 25;

  /**
   * Jitter: both sides' figures are RFC 3550 A.8 estimates (gain 1/16) of loopback streams paced
   * every 20 ms, taken at different moments (baresip's at its close, ours at our last packet; the
   * far end's view of our stream only as of its last report). They are "of the same order" when
   * each is under one packet time and they differ by less than {@value} ms: more than that would be
   * a unit or clock-rate error (a factor 8 or 1000), not a measurement difference.
   */
  private static final double JITTER_AGREEMENT_MILLIS = 5.0;

  /**
   * Round trip on loopback: both ends measure LSR/DLSR with 1/65536 s resolution; the figures are
   * from different report exchanges, each delayed by a scheduler on a shared machine. Agreement
   * within {@value} ms, each under 50 ms.
   */
  private static final double RTT_AGREEMENT_MILLIS = 20.0;

  @Test
  void theCallRecordAgreesWithBaresipsRtcpSummaryBothWays() throws Exception {
    BlockingQueue<CallRecord> records = new LinkedBlockingQueue<>();
    try (ScriptedSipPeer registrar = new ScriptedSipPeer();
        CallWatchingBackend backend =
            new CallWatchingBackend(JainSipBackend.start(BackendConfig.loopback().build()));
        Baresip phone = Baresip.start(BaresipOptions.defaults().withUser("rtcp-summary"));
        Line line = Line.open(backend, LineConfig.builder().callRecords(records::add).build());
        StatusProbe probe = new StatusProbe(line)) {
      Finished call =
          callUntilRtcpBothWays(
              registrar,
              backend,
              phone,
              line,
              probe,
              records,
              "rtcp-summary@127.0.0.1:" + phone.port());
      CallRecord record = call.record();
      RtcpSummary theirs = call.theirs();
      RtpStatistics ours = record.rtp();
      String both = "ours " + ours + ", baresip's " + theirs;
      log.info(
          "FIGURE rtcp vs baresip after a {} s call: {}",
          String.format("%.1f", call.seconds()),
          both);

      assertThat(ours.rtcpDropped()).as(both).isZero();
      // Counts: what one side sent, the other received, to within the packets in flight.
      assertThat(theirs.packetsReceived())
          .as("baresip received what we sent: %s", both)
          .isBetween(ours.packetsSent() - IN_FLIGHT_PACKETS, ours.packetsSent());
      // baresip's PS is read when its call closes while its audio thread may still send a packet
      // or two (seen: 2 more arrived than PS said), so this bound is the in-flight one both ways.
      assertThat(ours.packetsReceived())
          .as("we received what baresip sent: %s", both)
          .isBetween(
              theirs.packetsSent() - IN_FLIGHT_PACKETS, theirs.packetsSent() + IN_FLIGHT_PACKETS);
      // Loopback: nothing lost, and both sides' reports say so of both streams.
      assertThat(ours.inbound().cumulativeLost()).as(both).isZero();
      assertThat(ours.outbound().reported()).as(both).isTrue();
      assertThat(ours.outbound().cumulativeLost()).as(both).isZero();
      assertThat(theirs.lostReceived()).as(both).isZero();
      assertThat(theirs.lostSent()).as(both).isZero();
      // Jitter of our stream as baresip measured it at its close, and as its last report told us.
      assertThat(ours.outbound().jitterMillis()).as(both).isBetween(0.0, 20.0);
      assertThat(theirs.jitterReceivedMillis()).as(both).isBetween(0.0, 20.0);
      assertThat(Math.abs(ours.outbound().jitterMillis() - theirs.jitterReceivedMillis()))
          .as("our stream's jitter, baresip's two views: %s", both)
          .isLessThan(JITTER_AGREEMENT_MILLIS);
      // Jitter of baresip's stream as we measured it, and as our last report told baresip.
      assertThat(ours.inbound().jitterMillis()).as(both).isBetween(0.0, 20.0);
      assertThat(Math.abs(ours.inbound().jitterMillis() - theirs.jitterSentMillis()))
          .as("baresip's stream's jitter, ours and what we reported: %s", both)
          .isLessThan(JITTER_AGREEMENT_MILLIS);
      // Round trip, measured at each end from the other's report blocks.
      assertThat(ours.roundTripMillis()).as(both).isBetween(0.0, 50.0);
      assertThat(theirs.roundTripMillis()).as(both).isBetween(0.0, 50.0);
      assertThat(Math.abs(ours.roundTripMillis() - theirs.roundTripMillis()))
          .as(both)
          .isLessThan(RTT_AGREEMENT_MILLIS);
      assertThat(record.mosReceived()).as("a lossless G.711 call's MOS").isGreaterThan(4.0);
      assertThat(record.mosSent()).as("a lossless G.711 call's MOS").isGreaterThan(4.0);
      get(line.shutdown());
    }
  }

  /** The relay drops every {@value}th packet of baresip's stream: 10 % loss. */
  private static final int DROP_EVERY = 10;

  /**
   * A lossy path: baresip's stream to us passes a relay that drops every 10th packet ({@link
   * LossyRelay}, which the call's SDP points at both ways). Our cumulative loss is exactly what the
   * relay dropped before the last packet we received, the loss ratio and the last interval's
   * fraction are 10 % within 1 %, baresip hears what our reports said, and the MOS of what we
   * received falls below that of what we sent (lossless, in the same call). Jitter stays that of a
   * loopback stream: RFC 3550 A.8 compares the transit times of packets that arrived, and a dropped
   * packet changes none of them.
   */
  @Test
  void aLossyPathsDropsAreWhatTheCallRecordReports() throws Exception {
    BlockingQueue<CallRecord> records = new LinkedBlockingQueue<>();
    try (ScriptedSipPeer registrar = new ScriptedSipPeer();
        CallWatchingBackend backend =
            new CallWatchingBackend(JainSipBackend.start(BackendConfig.loopback().build()));
        Baresip phone = Baresip.start(BaresipOptions.defaults().withUser("lossy"));
        LossyRelay relay =
            new LossyRelay(new InetSocketAddress("127.0.0.1", phone.port()), DROP_EVERY);
        Line line = Line.open(backend, LineConfig.builder().callRecords(records::add).build());
        StatusProbe probe = new StatusProbe(line)) {
      Finished call =
          callUntilRtcpBothWays(
              registrar,
              backend,
              phone,
              line,
              probe,
              records,
              "lossy@127.0.0.1:" + relay.sipPort());
      RtpStatistics reported = call.reported();
      double seconds = call.seconds();
      CallRecord record = call.record();
      RtcpSummary theirs = call.theirs();
      RtpStatistics ours = record.rtp();
      String all =
          "as of our last full report interval "
              + reported.inbound()
              + "; ours "
              + ours
              + ", baresip's "
              + theirs
              + ", the relay forwarded "
              + relay.forwarded()
              + " and dropped "
              + relay.dropped()
              + "; MOS received "
              + record.mosReceived()
              + ", sent "
              + record.mosSent();
      log.info("FIGURE lossy path after a {} s call: {}", String.format("%.1f", seconds), all);

      assertThat(ours.packetsReceived()).as(all).isGreaterThan(100);
      assertThat(ours.inbound().cumulativeLost())
          .as("our loss is what the relay dropped before our last packet: %s", all)
          .isEqualTo(relay.droppedBefore(ours.packetsReceived()));
      assertThat(ours.inbound().lossRatio()).as(all).isCloseTo(0.1, within(0.01));
      // The fraction of a whole report interval (>= 2 s, >= 100 packets, so every 10th is
      // 10 % within 1 %); the record's own is that of the stretch between our last report and the
      // BYE, which may be a handful of packets.
      assertThat(reported.inbound().fractionLost())
          .as("a report interval's fraction: %s", all)
          .isCloseTo(0.1, within(0.01));
      assertThat(theirs.lostSent())
          .as("baresip's stream's loss as our last report told it: %s", all)
          .isPositive()
          .isLessThanOrEqualTo(ours.inbound().cumulativeLost());
      assertThat(theirs.lostReceived()).as("our stream, not relayed lossy: %s", all).isZero();
      assertThat(ours.outbound().cumulativeLost()).as(all).isZero();
      assertThat(ours.inbound().jitterMillis()).as(all).isBetween(0.0, 20.0);
      assertThat(record.mosSent()).as("the lossless direction: %s", all).isGreaterThan(4.0);
      assertThat(record.mosReceived())
          .as("the lossy direction's MOS below the lossless one's: %s", all)
          .isLessThan(record.mosSent() - 1.0);
      get(line.shutdown());
    }
  }

  /** What one call to baresip left: our figures while it ran, its record, baresip's summary. */
  private record Finished(
      RtpStatistics reported, CallRecord record, RtcpSummary theirs, double seconds) {}

  /**
   * Registers the line at {@code registrar}, calls {@code target} (baresip, or a relay to it),
   * keeps the call until RTCP went both ways, hangs up and collects what each side made of it.
   */
  private static Finished callUntilRtcpBothWays(
      ScriptedSipPeer registrar,
      CallWatchingBackend backend,
      Baresip phone,
      Line line,
      StatusProbe probe,
      BlockingQueue<CallRecord> records,
      String target)
      throws Exception {
    registrar.answerEverything(200);
    String account = "quality@" + registrar.hostPort();
    get(line.registerAccount(account, "pw", "", ""));
    get(line.startSession(account, 0));
    long started = System.nanoTime();
    get(line.startCall(target, Map.of()));
    probe.await(StatusType.OUTGOING_CALL_CONNECTED, WAIT);
    phone.awaitEvent("CALL_ESTABLISHED", WAIT);

    RtpStatistics reported = awaitRtcpBothWays(backend);
    double seconds = (System.nanoTime() - started) / 1e9;
    get(line.endCall(false));
    probe.await(StatusType.OUTGOING_CALL_FINISHED, WAIT);
    CallRecord record = records.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(record).as("the call's record").isNotNull();
    return new Finished(reported, record, phone.awaitRtcpSummary(0, WAIT), seconds);
  }

  /**
   * Waits until RTCP flowed both ways: baresip's sender report arrived with a report block about
   * our stream and we measured the round trip, then one more report of ours left after that (it
   * carries LSR/DLSR of baresip's SR, so baresip measures the round trip as well).
   */
  static RtpStatistics awaitRtcpBothWays(CallWatchingBackend backend) {
    return awaitRtcpBothWays(backend.placed().get(0));
  }

  /** {@link #awaitRtcpBothWays(CallWatchingBackend)} on one call of the backend. */
  static RtpStatistics awaitRtcpBothWays(SipCall call) {
    AtomicReference<RtpStatistics> seen = new AtomicReference<>(call.rtpStatistics());
    await()
        .atMost(RTCP_BOTH_WAYS)
        .pollInterval(Duration.ofMillis(50))
        .alias("baresip's SR with a report block, and our round trip")
        .until(
            () -> {
              RtpStatistics s = call.rtpStatistics();
              seen.set(s);
              return s.outbound().reported() && s.hasRoundTrip() && s.farEndPacketsSent() >= 0;
            });
    long sentSoFar = seen.get().rtcpSent();
    await()
        .atMost(RTCP_BOTH_WAYS)
        .pollInterval(Duration.ofMillis(50))
        .alias("a report of ours after baresip's SR")
        .until(
            () -> {
              RtpStatistics s = call.rtpStatistics();
              seen.set(s);
              return s.rtcpSent() > sentSoFar;
            });
    return seen.get();
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }
}

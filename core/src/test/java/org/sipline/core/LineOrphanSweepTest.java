package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.records.CallDirection;
import org.sipline.core.records.CallEnding;
import org.sipline.core.records.CallRecord;
import org.sipline.core.records.CallSide;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.RtpStatistics;
import org.sipline.testing.FakeBackend;
import org.sipline.testing.FakeCall;

/**
 * A line that died with a call up and a binding held (its journals copied mid-life stand for the
 * kill -9) is followed by one on the same journal: the new line sends a BYE built from the dialog's
 * last record, removes the binding, records each outcome as a status of the type it is in, and
 * leaves nothing in the journal for the next restart to send again. Records that are torn, stale or
 * point anywhere but their far end earn no BYE.
 */
class LineOrphanSweepTest {
  private static final Duration PATIENCE = Duration.ofSeconds(5);

  @TempDir Path dir;

  private LineConfig config(Path journal) {
    return LineConfig.builder()
        .journal(journal)
        .registerWait(PATIENCE)
        .hangupWait(PATIENCE)
        .build();
  }

  /** The journals as a kill -9 would leave them: copied while the line still lives. */
  private Path crashCopy(Path journal, String name) throws Exception {
    Path copy = dir.resolve(name);
    Files.copy(journal, copy, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        SipStateJournal.pathBeside(journal),
        SipStateJournal.pathBeside(copy),
        StandardCopyOption.REPLACE_EXISTING);
    return copy;
  }

  private static LineStatus awaitStatus(Line line, Predicate<LineStatus> match, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    Object signal = new Object();
    try (AutoCloseable w =
        line.watch(
            s -> {
              synchronized (signal) {
                signal.notifyAll();
              }
            })) {
      while (true) {
        for (LineStatus s : line.history()) {
          if (match.test(s)) {
            return s;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no status " + what + " in " + line.history());
        }
        synchronized (signal) {
          signal.wait(Math.max(1, Math.min(50, left / 1_000_000)));
        }
      }
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static LineStatus awaitDescription(Line line, String text) throws InterruptedException {
    return awaitStatus(line, s -> s.description().contains(text), "saying '" + text + "'");
  }

  @Test
  void aCallLeftUpGetsOneByeFromItsLastRecordAndTheNextRestartSendsNone() throws Exception {
    Path journal = dir.resolve("a.jsonl");
    Path crashed;
    String callId;
    try (LineHarness first = new LineHarness(config(journal))) {
      FakeCall call = first.connectedOut();
      callId = call.callId();
      call.refresh(); // a request of ours in the dialog: the next CSeq is 3 now
      awaitJournaled(journal, "\"nextCseq\":3");
      crashed = crashCopy(journal, "crashed.jsonl");
    }
    assertThat(leftovers(journal).dialogs()).as("an orderly end leaves nothing to send").isEmpty();

    FakeBackend fake = new FakeBackend();
    try (Line second = Line.open(fake, config(crashed))) {
      LineStatus outcome =
          awaitDescription(second, "ended call " + callId + " left by the previous process");
      assertThat(outcome.description())
          .isEqualTo(
              "ended call "
                  + callId
                  + " left by the previous process: BYE to fake.test:5060 answered 200 OK");
      assertThat(outcome.type())
          .as("the line's state is unchanged")
          .isEqualTo(StatusType.NO_SESSION);
      assertThat(outcome.calleeId()).isEqualTo("answer@fake.test");
      assertThat(outcome.accountName()).isEqualTo(LineHarness.ACCOUNT);
      List<DialogRecord> byes = fake.orphanByes();
      assertThat(byes).hasSize(1);
      assertThat(byes.get(0).callId()).isEqualTo(callId);
      assertThat(byes.get(0).nextCseq()).isEqualTo(3);
      assertThat(byes.get(0).remoteTag()).isEqualTo("remote-tag");
    } finally {
      fake.close();
    }
    assertThat(leftovers(crashed).dialogs())
        .as("the ghost was dealt with: no later restart sends it another BYE")
        .isEmpty();
  }

  @Test
  void aCallLeftUpGetsItsCallRecordAsACrashFromTheRestartThatEndsItAndNoneFromTheNext()
      throws Exception {
    Path journal = dir.resolve("r.jsonl");
    Path crashed;
    String callId;
    try (LineHarness first = new LineHarness(config(journal))) {
      FakeCall call = first.connectedOut();
      callId = call.callId();
      awaitJournaled(journal, callId);
      crashed = crashCopy(journal, "r-crashed.jsonl");
    }
    Instant restarted = Instant.now();
    BlockingQueue<CallRecord> records = new LinkedBlockingQueue<>();
    FakeBackend fake = new FakeBackend();
    try (Line second = Line.open(fake, recording(crashed, records))) {
      awaitDescription(second, "ended call " + callId + " left by the previous process");
      CallRecord r = records.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(r).as("the torn call's record").isNotNull();
      assertThat(r.callId()).isEqualTo(callId);
      assertThat(r.ending()).isEqualTo(CallEnding.CRASH);
      assertThat(r.endedBy()).isEqualTo(CallSide.LOCAL);
      assertThat(r.direction()).isEqualTo(CallDirection.OUTGOING);
      assertThat(r.account()).isEqualTo(LineHarness.ACCOUNT);
      assertThat(r.remote()).isEqualTo("answer@fake.test");
      assertThat(r.sipCode()).as("it had connected").isEqualTo(200);
      assertThat(r.answered()).as("the journal's time of the confirmed dialog").isNotNull();
      assertThat(r.invited()).isEqualTo(r.answered()).isBefore(restarted);
      assertThat(r.ended()).isAfterOrEqualTo(restarted);
      assertThat(r.description())
          .isEqualTo(
              "the process died with the call up; left by the previous process: BYE to"
                  + " fake.test:5060 answered 200 OK");
      assertThat(r.rtp()).isEqualTo(RtpStatistics.NONE);
      second.shutdown().get(PATIENCE.toMillis() * 2, TimeUnit.MILLISECONDS);
    } finally {
      fake.close();
    }
    assertThat(records).as("nothing but the torn call's record").isEmpty();

    FakeBackend again = new FakeBackend();
    try (Line third = Line.open(again, recording(crashed, records))) {
      third.shutdown().get(PATIENCE.toMillis() * 2, TimeUnit.MILLISECONDS);
    } finally {
      again.close();
    }
    assertThat(again.orphanByes()).isEmpty();
    assertThat(records).as("the next restart writes the record no more").isEmpty();
  }

  /** A skipped dialog record earns no call record: nothing in it can be trusted. */
  @Test
  void aStaleDialogRecordGetsNoCallRecord() throws Exception {
    Path journal = dir.resolve("s.jsonl");
    Path crashed;
    String callId;
    try (LineHarness first = new LineHarness(config(journal))) {
      FakeCall call = first.connectedOut();
      callId = call.callId();
      awaitJournaled(journal, callId);
      crashed = crashCopy(journal, "s-crashed.jsonl");
    }
    BlockingQueue<CallRecord> records = new LinkedBlockingQueue<>();
    FakeBackend fake = new FakeBackend();
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(400));
    LineConfig config =
        LineConfig.builder()
            .journal(crashed)
            .registerWait(PATIENCE)
            .hangupWait(PATIENCE)
            .callRecords(records::add)
            .clock(later)
            .build();
    try (Line second = Line.open(fake, config)) {
      awaitDescription(second, "no BYE for call " + callId);
      second.shutdown().get(PATIENCE.toMillis() * 2, TimeUnit.MILLISECONDS);
    } finally {
      fake.close();
    }
    assertThat(records).isEmpty();
  }

  private static LineConfig recording(Path journal, BlockingQueue<CallRecord> records) {
    return LineConfig.builder()
        .journal(journal)
        .registerWait(PATIENCE)
        .hangupWait(PATIENCE)
        .callRecords(records::add)
        .build();
  }

  @Test
  void aByeNobodyAnswersIsRecordedAtTheBound() throws Exception {
    Path journal = dir.resolve("b.jsonl");
    Path crashed;
    try (LineHarness first = new LineHarness(config(journal))) {
      first.connectedIn();
      awaitJournaled(journal, "\"direction\":\"incoming\"");
      crashed = crashCopy(journal, "b-crashed.jsonl");
    }
    FakeBackend fake = new FakeBackend().orphanByeAnswer(0);
    try (Line second = Line.open(fake, config(crashed))) {
      LineStatus outcome = awaitDescription(second, "left by the previous process: BYE to");
      assertThat(outcome.description()).endsWith("answered no answer within 2 s");
      assertThat(outcome.calleeId()).isEqualTo("alice@caller.test");
    } finally {
      fake.close();
    }
  }

  @Test
  void aBindingLeftBehindIsRemovedAndAChallengedOneOnceTheAccountIsRegisteredAgain()
      throws Exception {
    Path journal = dir.resolve("c.jsonl");
    Path crashed;
    try (LineHarness first = new LineHarness(config(journal))) {
      first.registered();
      awaitJournaled(journal, "\"kind\":\"binding\"");
      crashed = crashCopy(journal, "c-crashed.jsonl");
    }
    Path again = dir.resolve("c-again.jsonl");
    Files.copy(crashed, again);
    Files.copy(SipStateJournal.pathBeside(crashed), SipStateJournal.pathBeside(again));

    FakeBackend open = new FakeBackend();
    try (Line second = Line.open(open, config(crashed))) {
      awaitDescription(second, "removed binding sip:bot@127.0.0.1:5060 of sip:bot@fake.test");
      assertThat(open.bindingRemovals())
          .containsExactly("sip:bot@127.0.0.1:5060 without credentials");
    } finally {
      open.close();
    }

    FakeBackend challenging = new FakeBackend().challengeUnregister(true);
    challenging.contactPort = 40000; // the restarted process binds another port
    try (Line third = Line.open(challenging, config(again))) {
      LineStatus challenged = awaitDescription(third, "answered 401 Unauthorized");
      assertThat(challenged.description())
          .endsWith("; removed once " + LineHarness.ACCOUNT + " is registered again");
      assertThat(
              LineHarness.get(third.registerAccount(LineHarness.ACCOUNT, "secret", "", "")).type())
          .isEqualTo(StatusType.REGISTERED);
      awaitDescription(third, "removed binding sip:bot@127.0.0.1:5060");
      assertThat(challenging.bindingRemovals())
          .containsExactly(
              "sip:bot@127.0.0.1:5060 without credentials",
              "sip:bot@127.0.0.1:5060 with credentials");
    } finally {
      challenging.close();
    }
    assertThat(leftovers(again).bindings())
        .extracting(b -> b.binding().contact())
        .as("the new binding is the line's; the old one is gone")
        .containsExactly("sip:bot@127.0.0.1:40000");
  }

  @Test
  void aChallengedBindingWhoseContactTheNewRegistrationTookNeedsNoRemoval() throws Exception {
    Path journal = dir.resolve("d.jsonl");
    Path crashed;
    try (LineHarness first = new LineHarness(config(journal))) {
      first.registered();
      awaitJournaled(journal, "\"kind\":\"binding\"");
      crashed = crashCopy(journal, "d-crashed.jsonl");
    }
    FakeBackend fake = new FakeBackend().challengeUnregister(true);
    try (Line second = Line.open(fake, config(crashed))) {
      awaitDescription(second, "answered 401 Unauthorized");
      // Another account registered changes nothing for this binding.
      LineHarness.get(second.registerAccount("other@fake.test", "pw", "", ""));
      LineHarness.get(second.registerAccount(LineHarness.ACCOUNT, "secret", "", ""));
      assertThat(fake.bindingRemovals())
          .as("same Contact: the new REGISTER refreshed it")
          .containsExactly("sip:bot@127.0.0.1:5060 without credentials");
    } finally {
      fake.close();
    }
  }

  @Test
  void aBindingRecordNamingAnotherProxyNeverGetsTheAccountsPassword() throws Exception {
    Path journal = dir.resolve("g.jsonl");
    Files.writeString(
        SipStateJournal.pathBeside(journal),
        "{\"kind\":\"binding\",\"time\":\""
            + Instant.now()
            + "\",\"account\":\"bot@fake.test\",\"aor\":\"sip:bot@fake.test\","
            + "\"contact\":\"sip:bot@127.0.0.1:7\",\"outboundProxy\":\"sip:evil.test\","
            + "\"transport\":\"UDP\",\"expires\":600}\n"
            + "{\"kind\":\"binding\",\"time\":\"2026-01-01T00:00:00Z\",\"account\":\"x\","
            + "\"aor\":\"sip:x@fake.test\",\"contact\":\"sip:x@127.0.0.1:7\","
            + "\"outboundProxy\":\"\",\"transport\":\"UDP\",\"expires\":600}\n");
    FakeBackend fake = new FakeBackend().challengeUnregister(true);
    try (Line line = Line.open(fake, config(journal))) {
      awaitDescription(line, "answered 401 Unauthorized");
      LineHarness.get(line.registerAccount(LineHarness.ACCOUNT, "secret", "", ""));
      LineHarness.get(line.endSession());
      assertThat(fake.bindingRemovals())
          .as("one attempt without credentials; the expired record none")
          .containsExactly("sip:bot@127.0.0.1:7 without credentials");
    } finally {
      fake.close();
    }
  }

  @Test
  void tornForgedAndStaleRecordsAreReportedAndEarnNoBye() throws Exception {
    Path journal = dir.resolve("e.jsonl");
    Instant now = Instant.now();
    String good = dialog("good", now, "sip:far@127.0.0.1:5070", "127.0.0.1", 5070, "[]");
    List<String> lines =
        List.of(
            dialog("elsewhere", now, "sip:far@127.0.0.2:5070", "127.0.0.1", 5070, "[]"),
            dialog("tel", now, "tel:+4312345", "127.0.0.1", 5060, "[]"),
            dialog(
                "stale",
                now.minus(Duration.ofDays(2)),
                "sip:far@127.0.0.1:5070",
                "127.0.0.1",
                5070,
                "[]"),
            dialog(
                "routed-elsewhere",
                now,
                "sip:far@127.0.0.1:5070",
                "127.0.0.1",
                5070,
                "[\"sip:proxy.test;lr\"]"),
            dialog("maddr", now, "sip:far@127.0.0.1:5070;maddr=127.0.0.2", "127.0.0.1", 5070, "[]"),
            "{\"kind\":\"dialog\",\"time\":\"" + now + "\",\"callId\":\"missing-fields\"}",
            "{\"kind\":\"mystery\"}",
            good,
            good.substring(0, good.length() / 2)); // torn: the kill came mid-write
    Files.writeString(SipStateJournal.pathBeside(journal), String.join("\n", lines) + "\n");

    FakeBackend fake = new FakeBackend();
    try (Line line = Line.open(fake, config(journal))) {
      awaitDescription(line, "ended call good left by the previous process");
      assertThat(fake.orphanByes()).extracting(DialogRecord::callId).containsExactly("good");
      List<String> notes =
          line.history().stream()
              .map(LineStatus::description)
              .filter(d -> d.contains("previous process"))
              .toList();
      assertThat(notes)
          .anyMatch(d -> d.contains("line 6 unreadable: missing \"direction\""))
          .anyMatch(d -> d.contains("line 7 unreadable: unknown \"kind\" mystery"))
          .anyMatch(d -> d.contains("line 9 unreadable"))
          .anyMatch(
              d ->
                  d.equals(
                      "no BYE for call elsewhere left by the previous process: its record was"
                          + " skipped (the BYE would go to 127.0.0.2:5070 (remote target), not to"
                          + " the recorded far end 127.0.0.1:5070)"))
          .anyMatch(d -> d.contains("call tel ") && d.contains("remote target is not a SIP URI"))
          .anyMatch(d -> d.contains("call stale ") && d.contains("stale: journaled"))
          .anyMatch(
              d ->
                  d.contains("call routed-elsewhere ")
                      && d.contains("proxy.test:5060 (first route)"))
          .anyMatch(d -> d.contains("call maddr ") && d.contains("maddr"));
    } finally {
      fake.close();
    }
  }

  @Test
  void aBackendThatCannotEndDialogsSaysSoInTheOutcome() throws Exception {
    Path journal = dir.resolve("f.jsonl");
    Files.writeString(
        SipStateJournal.pathBeside(journal),
        dialog("x1", Instant.now(), "sip:far@127.0.0.1", "127.0.0.1", 5060, "[]") + "\n");
    FakeBackend fake = new FakeBackend();
    try (Line line = Line.open(new Plain(fake), config(journal))) {
      LineStatus s = awaitDescription(line, "call x1");
      assertThat(s.description())
          .isEqualTo(
              "ended call x1 left by the previous process: BYE to 127.0.0.1:5060 answered not"
                  + " sent: the fake backend cannot end a dialog of a previous process");
    } finally {
      fake.close();
    }
  }

  /** A backend with only the SPI's defaults for the leftovers. */
  private record Plain(FakeBackend fake) implements org.sipline.core.spi.SipBackend {
    @Override
    public String name() {
      return fake.name();
    }

    @Override
    public BackendConfig config() {
      return fake.config();
    }

    @Override
    public org.sipline.core.spi.SipAccount register(
        org.sipline.core.spi.AccountSpec account, org.sipline.core.spi.SipEventListener l) {
      return fake.register(account, l);
    }

    @Override
    public void close() {
      fake.close();
    }
  }

  static String dialog(
      String callId, Instant time, String target, String farHost, int farPort, String routes) {
    return "{\"kind\":\"dialog\",\"time\":\""
        + time
        + "\",\"account\":\"bot@fake.test\",\"callId\":\""
        + callId
        + "\",\"direction\":\"outgoing\",\"localUri\":\"sip:bot@fake.test\",\"localTag\":\"lt\","
        + "\"remoteUri\":\"sip:far@127.0.0.1\",\"remoteTag\":\"rt\",\"remoteTarget\":\""
        + target
        + "\",\"routeSet\":"
        + routes
        + ",\"nextCseq\":2,\"transport\":\"UDP\",\"farEndHost\":\""
        + farHost
        + "\",\"farEndPort\":"
        + farPort
        + "}";
  }

  private static SipStateJournal.Leftovers leftovers(Path journal) {
    try (SipStateJournal j = SipStateJournal.open(journal, java.time.Clock.systemUTC())) {
      return j.leftovers();
    }
  }

  private static void awaitJournaled(Path journal, String text) throws Exception {
    Path file = SipStateJournal.pathBeside(journal);
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    // The journal is written on the line's actor right after the event: poll the file briefly.
    while (!Files.exists(file) || !Files.readString(file).contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no '" + text + "' in " + (Files.exists(file) ? Files.readString(file) : "(none)"));
      }
      Thread.onSpinWait();
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }
}

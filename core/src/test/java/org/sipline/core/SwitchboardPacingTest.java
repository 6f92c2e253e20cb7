package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sipline.core.LineHarness.PATIENCE;
import static org.sipline.core.LineHarness.get;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.FakeBackend;
import org.sipline.testing.StatusProbe;

/**
 * First REGISTERs of the process's lines go through the switchboard's pacer: spread at the rate,
 * each line's wait for a verdict counted from when its REGISTER left, a line gone before its turn
 * sending nothing, and a backend refusing a queued REGISTER reported to its line.
 */
class SwitchboardPacingTest {
  /** Every line here would give up on a REGISTER after this long, were the queue counted. */
  private static final Duration SHORT_WAIT = Duration.ofMillis(200);

  /** The fake backend, noting when each account reached it and refusing one account on demand. */
  private static final class Recording implements SipBackend {
    final FakeBackend fake = new FakeBackend();
    final List<Long> registeredAt = new CopyOnWriteArrayList<>();
    volatile String refuse = "";
    final List<String> told = new CopyOnWriteArrayList<>();

    @Override
    public void paceFirstRegisters(double perSecond) {
      told.add("pace " + perSecond + " after " + registeredAt.size() + " accounts");
    }

    @Override
    public String name() {
      return fake.name();
    }

    @Override
    public BackendConfig config() {
      return fake.config();
    }

    @Override
    public SipAccount register(AccountSpec account, SipEventListener listener) {
      if (account.accountName().equals(refuse)) {
        throw new IllegalStateException("no transport for " + account.accountName());
      }
      registeredAt.add(System.nanoTime());
      return fake.register(account, listener);
    }

    @Override
    public void close() {
      fake.close();
    }
  }

  private final Recording backend = new Recording();
  private final LineRuntime runtime = LineRuntime.create(2);
  private final List<Line> lines = new ArrayList<>();
  private Switchboard board;

  @AfterEach
  void close() {
    lines.forEach(Line::close);
    runtime.close();
    if (board != null) {
      board.close();
    }
  }

  private Line open(String name) {
    Line line =
        Line.open(
            board,
            LineConfig.builder().name(name).registerWait(SHORT_WAIT).hangupWait(PATIENCE).build(),
            runtime);
    lines.add(line);
    return line;
  }

  @Test
  void sixLinesAtFourASecondAreSpreadOverMoreThanASecondAndNoneGivesUpWaiting() {
    board = Switchboard.over(backend, 4);
    List<CompletableFuture<LineStatus>> registering = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      registering.add(open("line-" + i).registerAccount("bot-" + i + "@fake.test", "pw", "", ""));
    }
    for (CompletableFuture<LineStatus> f : registering) {
      // Five of them waited longer than SHORT_WAIT for their turn: the wait starts when sent.
      assertThat(get(f).type()).isEqualTo(StatusType.REGISTERED);
    }
    assertThat(backend.fake.registrarLog()).hasSize(6);
    assertThat(board.registersWaiting()).isZero();
    List<Long> at = backend.registeredAt;
    // Five intervals of 250 ms at least separate the first from the last (all at once unpaced);
    // the exact gaps are RegisterPacerTest's, on a clock that does not jitter.
    assertThat(Duration.ofNanos(at.get(5) - at.get(0))).isGreaterThan(Duration.ofSeconds(1));
  }

  @Test
  void aLineShutDownBeforeItsTurnSendsNoRegisterAndIsDoneAtOnce() {
    board = Switchboard.over(backend, 0.2); // one every 5 s: the second waits for sure
    Line first = open("first");
    Line second = open("second");
    assertThat(get(first.registerAccount("first@fake.test", "pw", "", "")).type())
        .isEqualTo(StatusType.REGISTERED);
    var unused = second.registerAccount("second@fake.test", "pw", "", "");
    StatusProbe.awaitTrue(() -> board.registersWaiting() == 1, "second in line", PATIENCE);

    get(second.shutdown());

    assertThat(board.registersWaiting()).isZero();
    assertThat(backend.fake.registrarLog())
        .containsExactly("REGISTER first@fake.test expires=3600");
  }

  @Test
  void aQueuedRegisterTheBackendRefusesFailsItsLineNamingTheReason() {
    board = Switchboard.over(backend, 5);
    backend.refuse = "refused@fake.test";
    Line first = open("first");
    Line second = open("second");
    CompletableFuture<LineStatus> ok = first.registerAccount("ok@fake.test", "pw", "", "");
    CompletableFuture<LineStatus> refused =
        second.registerAccount("refused@fake.test", "pw", "", "");
    assertThat(get(ok).type()).isEqualTo(StatusType.REGISTERED);
    LineStatus failed = get(refused);
    assertThat(failed.type()).isEqualTo(StatusType.SESSION_REGISTRATION_FAILED);
    assertThat(failed.description())
        .contains("REGISTER sip:refused@fake.test")
        .contains("no transport for refused@fake.test");

    // The account is forgotten: the line may register it again once the backend takes it.
    backend.refuse = "";
    assertThat(get(second.registerAccount("refused@fake.test", "pw", "", "")).type())
        .isEqualTo(StatusType.REGISTERED);
  }

  @Test
  void anAccountWhoseRegisterWaitsPlacesNoCall() {
    board = Switchboard.over(backend, 0.2);
    SipAccount sent =
        board.register(
            new AccountSpec(SipUri.of("a", "fake.test", -1), "pw", "a", null),
            new SipEventListener() {});
    SipAccount waiting =
        board.register(
            new AccountSpec(SipUri.of("b", "fake.test", -1), "pw", "b", null),
            new SipEventListener() {});
    assertThat(sent).isNotNull();
    assertThatThrownBy(() -> waiting.call(SipUri.of("c", "fake.test", -1), Map.of(), null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("b@fake.test still waits for its turn (--register-rate)");
  }

  @Test
  void theBackendIsToldThePaceBeforeAnyAccountAndTheSwitchboardsOwnIsFixed() {
    board = Switchboard.over(backend, 7.5);
    assertThat(backend.told).containsExactly("pace 7.5 after 0 accounts");
    assertThatThrownBy(() -> board.paceFirstRegisters(100))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("Switchboard.over");
    assertThatThrownBy(() -> Switchboard.over(new Recording(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("register rate");
  }
}

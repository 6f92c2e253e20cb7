package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sipline.core.LineHarness.PATIENCE;
import static org.sipline.core.LineHarness.get;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.Capacity;
import org.sipline.core.spi.IncomingCall;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipCall;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.FakeBackend;
import org.sipline.testing.FakeCall;
import org.sipline.testing.FakeScript;
import org.sipline.testing.StatusProbe;

/**
 * Lines sharing an account through the {@link Switchboard}: one REGISTER for all of them, each
 * INVITE taken by the first free line and by no other, 486 when none is free, 480 when none has a
 * session, 503 and OPTIONS 503 while draining; registration events reach every member and a call's
 * events only its line.
 */
class SwitchboardTest {
  private static final String TRUNK = "trunk@fake.test";
  private static final SipUri CALLER = SipUri.of("caller", "far.test", -1);

  private final FakeBackend fake = new FakeBackend();
  private final Switchboard board = Switchboard.over(fake);
  private final LineRuntime runtime = LineRuntime.create(2);
  private final List<Line> lines = new ArrayList<>();
  private final List<StatusProbe> probes = new ArrayList<>();

  @AfterEach
  void close() {
    probes.forEach(StatusProbe::close);
    lines.forEach(Line::close);
    runtime.close();
    board.close();
  }

  private Line open(String name) {
    Line line =
        Line.open(
            board,
            LineConfig.builder().name(name).registerWait(PATIENCE).hangupWait(PATIENCE).build(),
            runtime);
    lines.add(line);
    probes.add(new StatusProbe(line));
    return line;
  }

  /** {@code n} lines with a session on the trunk account, in order. */
  private List<Line> trunkLines(int n) {
    List<Line> opened = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      opened.add(open("line-" + i));
    }
    for (Line line : opened) {
      assertThat(get(line.registerAccount(TRUNK, "pw", "", "")).type())
          .isEqualTo(StatusType.REGISTERED);
      assertThat(get(line.startSession(TRUNK, 0)).type()).isEqualTo(StatusType.SESSION_STARTED);
    }
    return opened;
  }

  private static long count(Line line, StatusType type) {
    return line.history().stream().filter(s -> s.type() == type).count();
  }

  @Test
  void thirtyInvitesForTenLinesRingTenAndAreRefused486Otherwise() {
    List<Line> ten = trunkLines(10);
    assertThat(fake.registrarLog()).containsExactly("REGISTER " + TRUNK + " expires=3600");
    assertThat(board.capacity()).isEqualTo(Capacity.FREE);

    List<FakeCall> calls = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      calls.add(fake.callIn(TRUNK, CALLER, Map.of()));
    }
    StatusProbe.awaitTrue(
        () -> calls.stream().allMatch(c -> c.state() != FakeCall.State.OFFERED),
        "every INVITE answered",
        PATIENCE);
    assertThat(calls.stream().filter(c -> c.state() == FakeCall.State.CONNECTED)).hasSize(10);
    assertThat(calls.stream().filter(c -> c.finalCode() == 486)).hasSize(20);
    for (int i = 0; i < ten.size(); i++) {
      probes.get(i).await(StatusType.INCOMING_CALL_CONNECTED, PATIENCE);
      assertThat(count(ten.get(i), StatusType.INCOMING_CALL_INITIATED))
          .as("line-" + i)
          .isEqualTo(1);
    }
    assertThat(board.capacity()).isEqualTo(Capacity.FULL);

    // A call that ends frees its line, and that line takes the next INVITE.
    calls.stream().filter(c -> c.state() == FakeCall.State.CONNECTED).findFirst().get().remoteBye();
    StatusProbe.awaitTrue(() -> board.capacity() == Capacity.FREE, "a line free again", PATIENCE);
    FakeCall next = fake.callIn(TRUNK, CALLER, Map.of());
    StatusProbe.awaitTrue(
        () -> next.state() == FakeCall.State.CONNECTED, "the next INVITE taken", PATIENCE);
  }

  @Test
  void theFirstFreeLineInOrderTakesTheInvite() {
    List<Line> three = trunkLines(3);
    FakeCall first = fake.callIn(TRUNK, CALLER, Map.of());
    probes.get(0).await(StatusType.INCOMING_CALL_CONNECTED, PATIENCE);
    FakeCall second = fake.callIn(TRUNK, CALLER, Map.of());
    probes.get(1).await(StatusType.INCOMING_CALL_CONNECTED, PATIENCE);
    assertThat(count(three.get(2), StatusType.INCOMING_CALL_INITIATED)).isZero();

    // Line 0's call ends: it is first in order again.
    first.remoteBye();
    probes
        .get(0)
        .await(s -> s.type() == StatusType.READY && three.get(0).isFree(), "free", PATIENCE);
    fake.callIn(TRUNK, CALLER, Map.of());
    probes
        .get(0)
        .await(
            s -> count(three.get(0), StatusType.INCOMING_CALL_CONNECTED) == 2,
            "a second call on line-0",
            PATIENCE);
    assertThat(count(three.get(2), StatusType.INCOMING_CALL_INITIATED)).isZero();
    assertThat(second.state()).isEqualTo(FakeCall.State.CONNECTED);
  }

  @Test
  void aLineLeavesTheOfferWithItsSessionAndRejoinsItInOrderWithANewOne() {
    List<Line> two = trunkLines(2);
    assertThat(get(two.get(0).endSession()).type()).isEqualTo(StatusType.SESSION_ENDED);
    FakeCall first = fake.callIn(TRUNK, CALLER, Map.of());
    probes.get(1).await(StatusType.INCOMING_CALL_CONNECTED, PATIENCE);
    assertThat(count(two.get(0), StatusType.INCOMING_CALL_INITIATED)).isZero();

    // Line 0 takes a session again: first in order, it takes the next INVITE (line 1 is busy).
    assertThat(get(two.get(0).registerAccount(TRUNK, "pw", "", "")).type())
        .isEqualTo(StatusType.REGISTERED);
    assertThat(get(two.get(0).startSession(TRUNK, 0)).type()).isEqualTo(StatusType.SESSION_STARTED);
    fake.callIn(TRUNK, CALLER, Map.of());
    probes.get(0).await(StatusType.INCOMING_CALL_CONNECTED, PATIENCE);
    assertThat(count(two.get(1), StatusType.INCOMING_CALL_INITIATED)).isEqualTo(1);

    // Both busy: 486; the first call's end frees line 1 for the one after.
    FakeCall third = fake.callIn(TRUNK, CALLER, Map.of());
    StatusProbe.awaitTrue(() -> third.finalCode() == 486, "486 with both lines busy", PATIENCE);
    first.remoteBye();
    probes.get(1).await(s -> s.type() == StatusType.READY && two.get(1).isFree(), "free", PATIENCE);
    fake.callIn(TRUNK, CALLER, Map.of());
    probes
        .get(1)
        .await(
            s -> count(two.get(1), StatusType.INCOMING_CALL_CONNECTED) == 2,
            "a second call on line-1",
            PATIENCE);
  }

  @Test
  void withoutASessionTheInviteIsRefused480AndOptionsSayFull() {
    Line line = open("line-0");
    get(line.registerAccount(TRUNK, "pw", "", ""));
    assertThat(board.capacity()).isEqualTo(Capacity.FULL);
    FakeCall call = fake.callIn(TRUNK, CALLER, Map.of());
    StatusProbe.awaitTrue(() -> call.finalCode() == 480, "480", PATIENCE);
    assertThat(count(line, StatusType.INCOMING_CALL_INITIATED)).isZero();
  }

  @Test
  void drainingRefusesInvitesAndOptions503() {
    trunkLines(2);
    assertThat(board.isDraining()).isFalse();
    board.drain();
    board.drain();
    assertThat(board.isDraining()).isTrue();
    assertThat(board.capacity()).isEqualTo(Capacity.DRAINING);
    assertThat(Capacity.DRAINING.statusCode()).isEqualTo(503);
    assertThat(Capacity.DRAINING.reason()).isEqualTo("Service Unavailable");
    FakeCall call = fake.callIn(TRUNK, CALLER, Map.of());
    StatusProbe.awaitTrue(() -> call.finalCode() == 503, "503", PATIENCE);
    assertThat(lines)
        .allSatisfy(l -> assertThat(count(l, StatusType.INCOMING_CALL_INITIATED)).isZero());
  }

  @Test
  void aCallerWhoCancelsWhileLinesAreAskedRingsNoLineAfterwards() {
    List<Line> two = trunkLines(2);
    fake.script("x", FakeScript.answer());
    FakeCall call = fake.callIn(TRUNK, CALLER, Map.of());
    call.remoteCancel();
    StatusProbe.awaitTrue(() -> call.state() == FakeCall.State.ENDED, "ended", PATIENCE);
    // Whatever line saw it first, no line rings it twice and both end up free.
    StatusProbe.awaitTrue(
        () -> two.get(0).isFree() && two.get(1).isFree(), "both lines free", PATIENCE);
    long rung = two.stream().mapToLong(l -> count(l, StatusType.INCOMING_CALL_INITIATED)).sum();
    assertThat(rung).isLessThanOrEqualTo(1);
  }

  @Test
  void linesRegisteringTheAccountDifferentlyDoNotShareIt() {
    Line a = open("a");
    Line b = open("b");
    assertThat(get(a.registerAccount(TRUNK, "pw", "", "")).type()).isEqualTo(StatusType.REGISTERED);
    LineStatus refused = get(b.registerAccount(TRUNK, "other", "", ""));
    assertThat(refused.type()).isEqualTo(StatusType.SESSION_REGISTRATION_FAILED);
    assertThat(refused.description()).contains("other credentials");
  }

  @Test
  void theBindingGoesWhenTheLastMemberLeaves() {
    List<Line> two = trunkLines(2);
    get(two.get(0).endSession());
    assertThat(fake.registrarLog()).doesNotContain("REGISTER " + TRUNK + " expires=0");
    assertThat(two.get(0).status().type()).isEqualTo(StatusType.NO_SESSION);
    // The other line still takes calls on the binding.
    FakeCall call = fake.callIn(TRUNK, CALLER, Map.of());
    probes.get(1).await(StatusType.INCOMING_CALL_CONNECTED, PATIENCE);
    call.remoteBye();
    probes.get(1).await(StatusType.INCOMING_CALL_FINISHED, PATIENCE);
    get(two.get(1).endSession());
    assertThat(fake.registrarLog()).containsOnlyOnce("REGISTER " + TRUNK + " expires=0");
    assertThat(fake.isBound(TRUNK)).isFalse();
    // Registered anew afterwards: a fresh binding.
    assertThat(get(two.get(0).registerAccount(TRUNK, "pw", "", "")).type())
        .isEqualTo(StatusType.REGISTERED);
  }

  @Test
  void aLineJoiningAnAccountAlreadyRegisteredIsToldAtOnce() {
    Line a = open("a");
    get(a.registerAccount(TRUNK, "pw", "", ""));
    Line b = open("b");
    assertThat(get(b.registerAccount(TRUNK, "pw", "", "")).description()).contains("200 OK");
    assertThat(fake.registrarLog()).hasSize(1);
  }

  @Test
  void aRefusedFirstRegisterReachesEveryMemberAndForgetsTheAccount() {
    fake.requirePassword(TRUNK, "right");
    Line a = open("a");
    LineStatus refused = get(a.registerAccount(TRUNK, "wrong", "", ""));
    assertThat(refused.type()).isEqualTo(StatusType.SESSION_REGISTRATION_FAILED);
    assertThat(get(a.registerAccount(TRUNK, "right", "", "")).type())
        .isEqualTo(StatusType.REGISTERED);
  }

  @Test
  void outgoingCallsOfLinesSharingTheAccountReachTheirOwnLine() {
    fake.script("callee", FakeScript.answer());
    List<Line> two = trunkLines(2);
    get(two.get(0).startCall("callee", Map.of("X-Who", "zero")));
    get(two.get(1).startCall("callee", Map.of("X-Who", "one")));
    probes.get(0).await(StatusType.OUTGOING_CALL_CONNECTED, PATIENCE);
    probes.get(1).await(StatusType.OUTGOING_CALL_CONNECTED, PATIENCE);
    assertThat(two.get(0).status().headers()).containsEntry("X-Who", "zero");
    assertThat(two.get(1).status().headers()).containsEntry("X-Who", "one");
    assertThat(board.capacity()).isEqualTo(Capacity.FULL);
    get(two.get(1).endCall(false));
    assertThat(two.get(0).status().type()).isEqualTo(StatusType.OUTGOING_CALL_CONNECTED);
    assertThat(two.get(1).status().type()).isEqualTo(StatusType.READY);
    assertThat(two.get(0).inCall()).isTrue();
    assertThat(two.get(1).inCall()).isFalse();
  }

  @Test
  void aListenerThatIsNotALineTakesEveryCallItself() {
    List<SipCall> got = new CopyOnWriteArrayList<>();
    Set<String> registered = ConcurrentHashMap.newKeySet();
    SipEventListener plain =
        new SipEventListener() {
          @Override
          public void registered(SipAccount account, int expiresSeconds) {
            registered.add(account.spec().accountName());
          }

          @Override
          public void incomingCall(SipCall call, IncomingCall info) {
            got.add(call);
            call.reject(603, "Decline");
          }
        };
    SipAccount account =
        board.register(
            new AccountSpec(SipUri.of("trunk", "fake.test", -1), "pw", "trunk", null), plain);
    StatusProbe.awaitTrue(() -> registered.contains(TRUNK), "registered", PATIENCE);
    assertThat(account.spec().accountName()).isEqualTo(TRUNK);
    assertThat(board.capacity()).isEqualTo(Capacity.FREE);
    FakeCall call = fake.callIn(TRUNK, CALLER, Map.of());
    StatusProbe.awaitTrue(() -> call.finalCode() == 603, "603", PATIENCE);
    assertThat(got).hasSize(1);
    assertThat(board.name()).isEqualTo(fake.name());
    account.unregister();
  }

  @Test
  void theSwitchboardAnswersOptionsItselfAndTheSpecCarriesItsCallLimit() {
    org.junit.jupiter.api.Assertions.assertThrows(
        UnsupportedOperationException.class, () -> board.answerOptionsWith(() -> Capacity.FREE));
    AccountSpec spec = new AccountSpec(SipUri.of("trunk", "fake.test", -1), "pw", "trunk", null);
    assertThat(spec.maxCalls()).isEqualTo(1);
    assertThat(spec.withMaxCalls(7).maxCalls()).isEqualTo(7);
    assertThat(spec.withMaxCalls(7).toString()).contains("maxCalls=7").doesNotContain("pw");
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> spec.withMaxCalls(0));
  }
}

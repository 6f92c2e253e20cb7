package org.sipline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.sipline.core.spi.SipUri;
import org.sipline.testing.FakeBackend;
import org.sipline.testing.FakeCall;
import org.sipline.testing.FakeScript;
import org.sipline.testing.StatusProbe;

/** A line on the fake backend, and the steps that drive it into each state. */
final class LineHarness implements AutoCloseable {
  static final String ACCOUNT = "bot@fake.test";
  static final Duration PATIENCE = Duration.ofSeconds(5);

  final FakeBackend fake = new FakeBackend();
  final Line line;
  final StatusProbe probe;

  LineHarness() {
    this(LineConfig.builder().registerWait(PATIENCE).hangupWait(PATIENCE).build());
  }

  LineHarness(LineConfig config) {
    fake.script("answer", FakeScript.answer());
    fake.script("silent", FakeScript.neverAnswer());
    fake.script("xfer-silent", FakeScript.answer().referAnswer(0));
    line = Line.open(fake, config);
    probe = new StatusProbe(line);
  }

  static <T> T get(CompletableFuture<T> f) {
    try {
      return f.get(PATIENCE.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  LineStatus await(StatusType type) {
    return probe.await(type, PATIENCE);
  }

  void registered() {
    assertThat(get(line.registerAccount(ACCOUNT, "secret", "", "")).type())
        .isEqualTo(StatusType.REGISTERED);
  }

  void ready(int autoAnswerSeconds) {
    registered();
    assertThat(get(line.startSession(ACCOUNT, autoAnswerSeconds)).type())
        .isEqualTo(StatusType.SESSION_STARTED);
  }

  FakeCall dialing() {
    ready(0);
    get(line.startCall("silent", Map.of()));
    return fake.lastCall();
  }

  FakeCall connectedOut() {
    return connectedOut("answer");
  }

  FakeCall connectedOut(String callee) {
    ready(0);
    get(line.startCall(callee, Map.of()));
    await(StatusType.OUTGOING_CALL_CONNECTED);
    return fake.lastCall();
  }

  FakeCall ringingIn() {
    ready(60);
    FakeCall call = callIn();
    await(StatusType.INCOMING_CALL_INITIATED);
    return call;
  }

  FakeCall connectedIn() {
    ready(0);
    FakeCall call = callIn();
    await(StatusType.INCOMING_CALL_CONNECTED);
    return call;
  }

  FakeCall transferring() {
    connectedOut("xfer-silent");
    get(line.transferCall("human", Map.of()));
    return fake.lastCall();
  }

  FakeCall callIn() {
    return fake.callIn(ACCOUNT, SipUri.of("alice", "caller.test", -1), Map.of("X-Campaign", "7"));
  }

  @Override
  public void close() {
    probe.close();
    line.close();
    fake.close();
  }
}

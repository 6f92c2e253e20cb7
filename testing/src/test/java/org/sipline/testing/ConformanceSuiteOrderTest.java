package org.sipline.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.sipline.core.spi.SipBackend;

/**
 * The suite's cases assert the exact sequence of statuses, so a backend that makes the line record
 * one status too many fails a case that would pass if it only awaited the statuses it expects. The
 * case runs through the JUnit platform, as a backend's own test class would.
 */
class ConformanceSuiteOrderTest {
  private static final String CASE = "busyCalleeIsAFailedCallNaming486";

  @Test
  void anExtraStatusFailsTheCaseNamingTheSequence() {
    TestExecutionSummary summary = run(MisbehavingFakeConformance.class, CASE);

    assertThat(summary.getTestsStartedCount()).isEqualTo(1);
    assertThat(summary.getTestsFailedCount()).isEqualTo(1);
    Throwable failure = summary.getFailures().get(0).getException();
    assertThat(failure)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("statuses recorded, in order")
        .hasMessageContaining("OUTGOING_CALL_CONNECTED");
  }

  /** The same case against the fake as it is: what failed above is the misbehaviour. */
  @Test
  void theSameCasePassesAgainstTheWellBehavedFake() {
    TestExecutionSummary summary = run(FakeConformance.class, CASE);

    assertThat(summary.getTestsStartedCount()).isEqualTo(1);
    assertThat(summary.getFailures()).isEmpty();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
  }

  private static TestExecutionSummary run(Class<?> suite, String method) {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(suite, method))
                .build(),
            listener);
    return listener.getSummary();
  }

  /** The suite on the fake. Nested and static, so only the launcher above runs it. */
  static final class FakeConformance extends AbstractBackendConformanceTest {
    @Override
    protected ConformanceEnvironment createEnvironment() {
      return new FakeEnvironment();
    }
  }

  /** The suite on the fake behind {@link ConnectingBeforeFailingBackend}. */
  static final class MisbehavingFakeConformance extends AbstractBackendConformanceTest {
    @Override
    protected ConformanceEnvironment createEnvironment() {
      return new Misbehaving(new FakeEnvironment());
    }
  }

  /** The fake's world with the misbehaving backend in front of the fake. */
  private static final class Misbehaving implements ConformanceEnvironment {
    private final FakeEnvironment fake;
    private final SipBackend backend;

    Misbehaving(FakeEnvironment fake) {
      this.fake = fake;
      this.backend = new ConnectingBeforeFailingBackend(fake.backend());
    }

    @Override
    public SipBackend backend() {
      return backend;
    }

    @Override
    public Credentials account() {
      return fake.account();
    }

    @Override
    public Credentials wrongPassword() {
      return fake.wrongPassword();
    }

    @Override
    public String callee(FarEnd behaviour) {
      return fake.callee(behaviour);
    }

    @Override
    public String transferTarget() {
      return fake.transferTarget();
    }

    @Override
    public Caller call(CallerScript script) {
      return fake.call(script);
    }

    @Override
    public MediaFarEnd mediaFarEnd(short[] audio) {
      return fake.mediaFarEnd(audio);
    }

    @Override
    public boolean awaitUnregistered(Duration timeout) throws InterruptedException {
      return fake.awaitUnregistered(timeout);
    }

    @Override
    public Duration patience() {
      return fake.patience();
    }

    @Override
    public void close() {
      fake.close();
    }
  }
}

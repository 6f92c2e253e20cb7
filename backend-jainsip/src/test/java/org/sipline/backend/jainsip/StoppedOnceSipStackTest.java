package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/**
 * The finalizer of a stack closed long ago must not shut down the executor the RI shares between
 * every stack of the JVM for self-addressed messages: a live stack's next response to one of its
 * own lines would be rejected (CI, {@code DnsIsolationTest}).
 */
class StoppedOnceSipStackTest {
  @Test
  void finalizingAStoppedStackLeavesTheSharedSelfRoutingExecutorRunning() throws Exception {
    StoppedOnceSipStack live = new StoppedOnceSipStack(properties("finalizer-live"));
    StoppedOnceSipStack dead = new StoppedOnceSipStack(properties("finalizer-dead"));
    try {
      ScheduledExecutorService shared = live.getSelfRoutingThreadpoolExecutor();
      dead.finalize(); // what the garbage collector's finalizer thread would do
      assertThat(shared.isShutdown()).as("the JVM-wide self-routing executor").isFalse();
      assertThat(live.getSelfRoutingThreadpoolExecutor()).isSameAs(shared);
    } finally {
      dead.stop();
      live.stop();
    }
  }

  private static Properties properties(String name) {
    Properties p = new Properties();
    p.setProperty("javax.sip.STACK_NAME", name);
    p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "1");
    p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
    p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
    return p;
  }
}

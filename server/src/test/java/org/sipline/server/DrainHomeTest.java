package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.netty.channel.DefaultEventLoop;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A watch's drains run on the Netty event loop its rpc arrived on, else on the pool given. */
class DrainHomeTest {
  private final Executor pool = Runnable::run;

  @Test
  void onANettyEventLoopTheDrainsRunThere() throws Exception {
    DefaultEventLoop loop = new DefaultEventLoop();
    try {
      Executor home = loop.submit(() -> DrainHome.current(pool)).get(10, TimeUnit.SECONDS);
      assertThat(home).isSameAs(loop);
    } finally {
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void elsewhereTheyRunOnThePool() {
    assertThat(DrainHome.current(pool)).isSameAs(pool);
  }
}

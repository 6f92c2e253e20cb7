package org.sipline.backend.jainsip.hardening;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Random sequences of the API's rpcs — register, session start and end, calls to a far end that
 * answers and to one that is busy, soft and hard hangups, transfers that never complete, mute,
 * unmute, playback — against a line on the real jainsip backend: every rpc answers within its
 * bound, after every step the line comes to rest by itself (nothing stays INITIATED), and whatever
 * happened, ending the session brings it back to NO_SESSION.
 */
class LineRpcSequencePropertyTest {
  private static FakeRegistrar registrar;
  private static TalkingFarEnd answering;
  private static BusyFarEnd busy;
  private static final List<LineUnderTest> open = new ArrayList<>();

  @BeforeContainer
  static void startPeers() throws Exception {
    registrar = new FakeRegistrar();
    answering = new TalkingFarEnd();
    busy = new BusyFarEnd();
  }

  @AfterContainer
  static void stopPeers() throws Exception {
    answering.close();
    busy.close();
    registrar.close();
  }

  @AfterTry
  void closeLines() {
    for (LineUnderTest l : open) {
      l.close();
    }
    open.clear();
  }

  @Provide
  Arbitrary<ActionChain<LineUnderTest>> chains() {
    String far = "far@127.0.0.1:" + answering.sipPort();
    String taken = "busy@127.0.0.1:" + busy.port();
    return ActionChain.<LineUnderTest>startWith(
            () -> {
              LineUnderTest l = new LineUnderTest(registrar.port());
              open.add(l);
              return l;
            })
        .withAction(3, step("register", LineUnderTest::register))
        .withAction(3, step("startSession", LineUnderTest::startSession))
        .withAction(1, step("endSession", LineUnderTest::endSession))
        .withAction(4, step("call far", l -> l.call(far)))
        .withAction(1, step("call busy", l -> l.call(taken)))
        .withAction(2, step("soft hangup", l -> l.hangup(false)))
        .withAction(2, step("hard hangup", l -> l.hangup(true)))
        .withAction(1, step("transfer", l -> l.transfer("op@127.0.0.1:" + busy.port())))
        .withAction(1, step("mute", LineUnderTest::mute))
        .withAction(1, step("unmute", LineUnderTest::unmute))
        .withAction(2, step("play", LineUnderTest::play))
        .withMaxTransformations(14);
  }

  private static Action.Independent<LineUnderTest> step(
      String name, java.util.function.Consumer<LineUnderTest> rpc) {
    return Action.just(Transformer.mutate(name, rpc));
  }

  @Property(tries = 10)
  void randomRpcSequencesNeverLeaveTheLineStuck(
      @ForAll("chains") ActionChain<LineUnderTest> chain) {
    LineUnderTest line = chain.withInvariant("comes to rest", LineUnderTest::awaitRest).run();
    line.endAndAwaitNoSession();
  }
}

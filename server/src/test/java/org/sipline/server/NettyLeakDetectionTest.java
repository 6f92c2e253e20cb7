package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector;
import io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Netty's leak detection is off in a started server unless a level was asked for. */
class NettyLeakDetectionTest {
  private final Level before = ResourceLeakDetector.getLevel();

  @AfterEach
  void restore() {
    System.clearProperty(NettyLeakDetection.PROPERTY);
    System.clearProperty(NettyLeakDetection.OLD_PROPERTY);
    ResourceLeakDetector.setLevel(before);
  }

  @Test
  void aStartedServerHasItOff() throws Exception {
    ResourceLeakDetector.setLevel(Level.SIMPLE); // Netty's default
    try (RunningServer running = RunningServer.start()) {
      running.sip().sipGetSipStatus(Empty.getDefaultInstance());
      assertThat(ResourceLeakDetector.getLevel()).isEqualTo(Level.DISABLED);
      assertThat(ResourceLeakDetector.isEnabled()).isFalse();
    }
  }

  @Test
  void aLevelAskedForByPropertyIsKept() {
    System.setProperty(NettyLeakDetection.PROPERTY, "paranoid");
    ResourceLeakDetector.setLevel(Level.PARANOID); // as Netty read the property
    NettyLeakDetection.offUnlessAsked();
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(Level.PARANOID);
  }

  @Test
  void soIsOneAskedForByTheOlderProperty() {
    System.setProperty(NettyLeakDetection.OLD_PROPERTY, "advanced");
    ResourceLeakDetector.setLevel(Level.ADVANCED);
    NettyLeakDetection.offUnlessAsked();
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(Level.ADVANCED);
  }
}

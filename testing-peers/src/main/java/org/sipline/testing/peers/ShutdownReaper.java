package org.sipline.testing.peers;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last resort for peers a test failed to close: one JVM shutdown hook that kills every peer
 * process still registered, so an aborted test run leaves no kamailio, sipp or baresip behind
 * holding ports. Closing a peer normally unregisters it; the hook then has nothing to do.
 */
final class ShutdownReaper {
  private static final Set<PeerProcess> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ShutdownReaper::killAll, "peers-shutdown-reaper"));
  }

  private ShutdownReaper() {}

  static void register(PeerProcess process) {
    LIVE.add(process);
  }

  static void unregister(PeerProcess process) {
    LIVE.remove(process);
  }

  private static void killAll() {
    for (PeerProcess process : LIVE) {
      process.killNow();
    }
  }
}

package org.sipline.server.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.sipline.server.testing.SiplineProcess;
import org.sipline.testing.peers.Baresip;
import org.sipline.testing.peers.BaresipOptions;
import org.sipline.testing.peers.Kamailio;
import org.sipline.testing.peers.KamailioOptions;

/**
 * What the end-to-end tests call through: Kamailio with the account {@code alice} (sipline's) and
 * one baresip phone per named user registered to it, each user's password "{user}-pw", and the
 * sipline jar on the jainsip backend. Closing stops every process by its PID, the jar first.
 */
final class CallScene implements AutoCloseable {
  private final Kamailio kamailio;
  private final Map<String, Baresip> phones;
  private final SiplineProcess sipline;

  private CallScene(Kamailio kamailio, Map<String, Baresip> phones, SiplineProcess sipline) {
    this.kamailio = kamailio;
    this.phones = phones;
    this.sipline = sipline;
  }

  /** Starts Kamailio, a phone for each of {@code users}, then the jar; all or nothing. */
  static CallScene start(Path dir, String... users) throws Exception {
    return start(dir, UnaryOperator.identity(), users);
  }

  /**
   * As {@link #start(Path, String...)}, each phone's options passed through {@code phoneOptions}.
   */
  static CallScene start(Path dir, UnaryOperator<BaresipOptions> phoneOptions, String... users)
      throws Exception {
    KamailioOptions options = KamailioOptions.defaults().withUser("alice", "alice-pw");
    for (String user : users) {
      options = options.withUser(user, user + "-pw");
    }
    List<AutoCloseable> started = new ArrayList<>();
    try {
      Kamailio kamailio = Kamailio.start(options);
      started.add(kamailio);
      Map<String, Baresip> phones = new LinkedHashMap<>();
      for (String user : users) {
        Baresip phone =
            Baresip.start(
                phoneOptions.apply(
                    BaresipOptions.defaults()
                        .withUser(user)
                        .withRegistrar(kamailio.hostPort(), user + "-pw")));
        started.add(phone);
        phones.put(user, phone);
      }
      // A scene's SIGTERM hangs up at once (ShutdownIT checks that bound); letting calls finish
      // first, the default drain, is AnyFreeLineIT's to check.
      SiplineProcess sipline =
          SiplineProcess.start(dir, "--backend", "jainsip", "--drain-timeout", "0s");
      return new CallScene(kamailio, phones, sipline);
    } catch (Exception | Error e) {
      closeAll(started);
      throw e;
    }
  }

  Kamailio kamailio() {
    return kamailio;
  }

  Baresip phone(String user) {
    Baresip phone = phones.get(user);
    if (phone == null) {
      throw new IllegalArgumentException("no phone for " + user + "; started: " + phones.keySet());
    }
    return phone;
  }

  SiplineProcess sipline() {
    return sipline;
  }

  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>();
    all.add(kamailio);
    all.addAll(phones.values());
    all.add(sipline);
    closeAll(all);
  }

  /** Closes in reverse order of starting, going on past a failure. */
  private static void closeAll(List<AutoCloseable> started) {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        // keep closing the others; each fixture stops its process by PID
      }
    }
  }
}

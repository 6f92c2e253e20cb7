package org.sipline.core.sip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;

/**
 * The {@code +sip.instance} of a binding (RFC 5626 §4.1): a URN that stays the same when the
 * process restarts, so that its REGISTER replaces the binding the previous run left instead of
 * adding a second one beside it (a registrar matches bindings by instance where it has one — after
 * a restart on another port or address the Contact differs, the instance does not).
 *
 * <p>Derived, not stored: a name-based UUID (RFC 4122 version 3) of the node and the account. A
 * process registers each account once (lines sharing an account share its binding), so the account
 * names the binding within a process; the node — host name and SIP port — tells apart processes on
 * one machine and pods of a StatefulSet (whose host names are stable). Deriving it needs no journal
 * (lines without {@code --journal} get it too) and survives the journal being wiped.
 */
public final class InstanceId {
  private InstanceId() {}

  /**
   * The instance URN, as put in the Contact's {@code +sip.instance} parameter (quoted there): e.g.
   * {@code <urn:uuid:0c3f…>}.
   *
   * @param node this process, from {@link #node}
   * @param account the account's address of record
   * @return the URN in angle brackets
   */
  public static String of(String node, String account) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(account, "account");
    byte[] name = ("sipline\n" + node + "\n" + account).getBytes(StandardCharsets.UTF_8);
    return "<urn:uuid:" + UUID.nameUUIDFromBytes(name) + ">";
  }

  /**
   * The Contact parameter's value: the URN in double quotes (RFC 5626 §4.1's grammar).
   *
   * @param node this process, from {@link #node}
   * @param account the account's address of record
   * @return the quoted URN
   */
  public static String quoted(String node, String account) {
    return "\"" + of(node, account) + "\"";
  }

  /**
   * This process as a node: its host name and SIP port ({@code HOSTNAME} from the environment when
   * set, which containers set to the pod's name).
   *
   * @param hostName the host's name
   * @param sipPort the SIP port the process listens on
   * @return the node's name
   */
  public static String node(String hostName, int sipPort) {
    return hostName + ":" + sipPort;
  }

  /**
   * The host name this process goes by: {@code HOSTNAME} from the environment when set (containers
   * set it to the pod's name), else the kernel's, without a DNS lookup.
   *
   * @return the host name
   */
  public static String localHostName() {
    return hostName(System.getenv("HOSTNAME"), Path.of("/proc/sys/kernel/hostname"));
  }

  static String hostName(String env, Path kernel) {
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    try {
      String name = Files.readString(kernel, StandardCharsets.UTF_8).trim();
      return name.isEmpty() ? "localhost" : name;
    } catch (IOException e) {
      return "localhost"; // not Linux: every process here is then told apart by its port alone
    }
  }
}

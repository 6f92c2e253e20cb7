package org.sipline.backend.jainsip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.sipline.core.spi.SipUri;

/**
 * Who may open a dialog with a line (send it an out-of-dialog INVITE): the hosts of the accounts'
 * registrars and outbound proxies — where calls for a registered account come from — and the
 * addresses the {@value BackendOptions#TRUSTED_SOURCES} option lists, or anyone when it says
 * {@value #ANYONE}. Everyone else is a stranger: scanners and toll-fraud bots send INVITEs to every
 * SIP port they find, straight to the phone, past the PBX.
 *
 * <p>Sources are compared by IP address (a registrar's port says nothing about where its calls
 * leave from). Registrar and proxy names are resolved when a request arrives, through the JVM's
 * cache. That is a DNS lookup on the SIP thread that a stranger's INVITE sets off, kept on purpose:
 * the names come from our own accounts, never from the request, so a peer chooses only when one is
 * looked up, not what (no probing through us); the REGISTER that made the account resolved the same
 * name moments before, so the cache is warm; and a registrar that moves to another address is
 * followed without a restart.
 */
final class TrustedSources {
  static final String ANYONE = "*";

  private final boolean anyone;
  private final Set<InetAddress> listed;

  private TrustedSources(boolean anyone, Set<InetAddress> listed) {
    this.anyone = anyone;
    this.listed = Set.copyOf(listed);
  }

  /** No one beyond the registrars and outbound proxies. */
  static TrustedSources registrarsOnly() {
    return new TrustedSources(false, Set.of());
  }

  /**
   * Reads the option: {@value #ANYONE}, or IP addresses (IPv6 with or without brackets) separated
   * by commas, semicolons or spaces — the server's {@code --backend-option} splits its value at
   * commas, so there a list takes semicolons or spaces. Host names are refused, so that reading it
   * needs no DNS.
   */
  static TrustedSources parse(String option, String value) {
    Set<InetAddress> listed = new HashSet<>();
    boolean anyone = false;
    for (String item : value.split("[,; ]")) {
      String s = item.strip();
      if (s.isEmpty()) {
        continue;
      }
      if (s.equals(ANYONE)) {
        anyone = true;
        continue;
      }
      String literal = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
      if (!literal.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
        throw new IllegalArgumentException(
            "option '"
                + option
                + "': '"
                + s
                + "' is not an IP address (or "
                + ANYONE
                + " for anyone)");
      }
      try {
        listed.add(InetAddress.getByName(literal));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(
            "option '" + option + "': '" + s + "' is not an IP address: " + e.getMessage(), e);
      }
    }
    return new TrustedSources(anyone, listed);
  }

  /** Whether a request from {@code source} may open a dialog with one of {@code accounts}. */
  boolean admits(InetAddress source, Collection<JainSipAccount> accounts) {
    if (anyone || (source != null && listed.contains(source))) {
      return true;
    }
    if (source == null) {
      return false;
    }
    for (JainSipAccount a : accounts) {
      if (isHostOf(source, a.spec().aor()) || isHostOf(source, a.spec().outboundProxy())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isHostOf(InetAddress source, SipUri uri) {
    if (uri == null) {
      return false;
    }
    String host = uri.host();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (a.equals(source)) {
          return true;
        }
      }
    } catch (UnknownHostException e) {
      // The registrar's name does not resolve now: it can't be the sender either.
    }
    return false;
  }

  @Override
  public String toString() {
    return anyone
        ? ANYONE
        : "registrars, outbound proxies"
            + (listed.isEmpty()
                ? ""
                : ", " + listed.stream().map(InetAddress::getHostAddress).sorted().toList());
  }
}

package org.sipline.backend.pjsip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.sipline.core.spi.SipUri;

/**
 * Who may open a dialog with a line (send it an out-of-dialog INVITE), as the jainsip backend
 * decides it: the hosts of the accounts' registrars and outbound proxies, the addresses the {@value
 * #OPTION} option lists, or anyone when it says {@value #ANYONE}. The shim's stranger module
 * refuses everyone else before pjsua sees the request (src/main/c/slpj_strangers.c).
 *
 * <p>Unlike jainsip, which resolves registrar names per request, the names are resolved here when
 * an account is added and each time it registers, and the resulting addresses handed to the shim:
 * the shim answers on pjsip's thread, which must not wait for DNS. A registrar that moves is
 * followed at the next REGISTER.
 */
final class TrustedSources {
  /** Backend option: IP addresses besides registrars and proxies, or {@value #ANYONE}. */
  static final String OPTION = "trusted.sources";

  static final String ANYONE = "*";

  private final boolean anyone;
  private final Set<InetAddress> listed;

  private TrustedSources(boolean anyone, Set<InetAddress> listed) {
    this.anyone = anyone;
    this.listed = Set.copyOf(listed);
  }

  /**
   * Reads the option's value (null: not given): {@value #ANYONE}, or IP addresses (IPv6 with or
   * without brackets) separated by commas, semicolons or spaces. Host names are refused, so that
   * reading it needs no DNS.
   */
  static TrustedSources parse(String value) {
    Set<InetAddress> listed = new LinkedHashSet<>();
    boolean anyone = false;
    if (value == null) {
      return new TrustedSources(false, listed);
    }
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
                + OPTION
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
            "option '" + OPTION + "': '" + s + "' is not an IP address: " + e.getMessage(), e);
      }
    }
    return new TrustedSources(anyone, listed);
  }

  boolean anyone() {
    return anyone;
  }

  /**
   * The addresses to trust for {@code accounts}: the listed ones and every address the hosts of
   * their registrars and outbound proxies resolve to now (a name that does not resolve adds none).
   */
  List<String> addresses(Collection<PjsipAccount> accounts) {
    Set<String> out = new LinkedHashSet<>();
    listed.forEach(a -> out.add(a.getHostAddress()));
    for (PjsipAccount a : accounts) {
      addHost(out, a.spec().aor());
      addHost(out, a.spec().outboundProxy());
    }
    return List.copyOf(out);
  }

  private static void addHost(Set<String> out, SipUri uri) {
    if (uri == null) {
      return;
    }
    String host = uri.host();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        out.add(a.getHostAddress());
      }
    } catch (UnknownHostException e) {
      // Not resolvable now: it cannot be where a request comes from either.
    }
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

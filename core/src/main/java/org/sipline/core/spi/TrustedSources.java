package org.sipline.core.spi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may open a dialog with a line (send it an out-of-dialog INVITE, REFER or MESSAGE): the hosts
 * of the accounts' registrars and outbound proxies — where calls for a registered account come from
 * — and the addresses the {@value #OPTION} backend option lists, or anyone when it says {@value
 * #ANYONE}. Everyone else is a stranger: scanners and toll-fraud bots send INVITEs to every SIP
 * port they find, straight to the phone, past the PBX. One rule for every backend; each backend
 * only decides when it asks (per request, or ahead of time for a stack that must not wait for DNS).
 *
 * <p>Sources are compared by IP address (a registrar's port says nothing about where its calls
 * leave from). Registrar and proxy names come from our own accounts, never from a request, so a
 * peer chooses at most when one is looked up, not what.
 */
public final class TrustedSources {
  /** The backend option every backend reads this from. */
  public static final String OPTION = "trusted.sources";

  /** The option's value that trusts anyone. */
  public static final String ANYONE = "*";

  private final boolean anyone;
  private final Set<InetAddress> listed;

  private TrustedSources(boolean anyone, Set<InetAddress> listed) {
    this.anyone = anyone;
    this.listed = Set.copyOf(listed);
  }

  /**
   * No one beyond the registrars and outbound proxies: what an absent option means.
   *
   * @return the sources
   */
  public static TrustedSources registrarsOnly() {
    return new TrustedSources(false, Set.of());
  }

  /**
   * Reads the option: {@value #ANYONE}, or IP addresses (IPv6 with or without brackets) separated
   * by commas, semicolons or spaces — the server's {@code --backend-option} splits its value at
   * commas, so there a list takes semicolons or spaces. Host names are refused, so that reading it
   * needs no DNS.
   *
   * @param option the option's name, for the message
   * @param value the option's value; null (not given) is {@link #registrarsOnly()}
   * @throws IllegalArgumentException naming the option and the item that is not an IP address
   * @return the sources the option lists
   */
  public static TrustedSources parse(String option, String value) {
    if (value == null) {
      return registrarsOnly();
    }
    Set<InetAddress> listed = new LinkedHashSet<>();
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
      // Only what looks like an address literal reaches getByName, which then resolves nothing.
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

  /**
   * Whether the option said {@value #ANYONE}.
   *
   * @return true when anyone is trusted
   */
  public boolean anyone() {
    return anyone;
  }

  /**
   * Whether a request from {@code source} may open a dialog with one of {@code accounts}. Resolves
   * the registrars' and proxies' names (through the JVM's cache) when the listed addresses do not
   * admit the source already.
   *
   * @param source the request's sender, or null when unknown (admitted only by {@value #ANYONE})
   * @param accounts the backend's accounts, whose registrars and proxies are trusted
   * @return true when the source is trusted
   */
  public boolean admits(InetAddress source, Collection<? extends SipAccount> accounts) {
    if (anyone || (source != null && listed.contains(source))) {
      return true;
    }
    if (source == null) {
      return false;
    }
    for (SipAccount a : accounts) {
      if (resolve(a.spec().aor()).contains(source)
          || resolve(a.spec().outboundProxy()).contains(source)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The addresses to trust for {@code accounts} now, as text: the listed ones and every address the
   * hosts of their registrars and outbound proxies resolve to (a name that does not resolve adds
   * none). For a backend that hands the list to a stack that must not wait for DNS.
   *
   * @param accounts the backend's accounts
   * @return the addresses, as text
   */
  public List<String> addresses(Collection<? extends SipAccount> accounts) {
    Set<String> out = new LinkedHashSet<>();
    listed.forEach(a -> out.add(a.getHostAddress()));
    for (SipAccount a : accounts) {
      resolve(a.spec().aor()).forEach(x -> out.add(x.getHostAddress()));
      resolve(a.spec().outboundProxy()).forEach(x -> out.add(x.getHostAddress()));
    }
    return List.copyOf(out);
  }

  /** The addresses {@code uri}'s host resolves to now; none for null or a name that won't. */
  private static List<InetAddress> resolve(SipUri uri) {
    if (uri == null) {
      return List.of();
    }
    String host = uri.host();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return List.of(InetAddress.getAllByName(host));
    } catch (UnknownHostException e) {
      // Not resolvable now: it cannot be where a request comes from either.
      return List.of();
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

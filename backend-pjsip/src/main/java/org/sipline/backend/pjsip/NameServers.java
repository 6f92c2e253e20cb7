package org.sipline.backend.pjsip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code dns.servers} option as pjsua's resolver takes it: numeric addresses and ports, at most
 * four (pjsua_config.nameserver). Read without a lookup: a name server found by name would need a
 * name server first.
 */
final class NameServers {
  static final int MAX = 4;
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final String[] hosts;
  private final int[] ports;

  private NameServers(String[] hosts, int[] ports) {
    this.hosts = hosts;
    this.ports = ports;
  }

  /** The addresses, IPv6 without brackets (a copy: JNA hands the array to C). */
  String[] hosts() {
    return hosts.clone();
  }

  /** Their ports, 53 where none was given. */
  int[] ports() {
    return ports.clone();
  }

  /**
   * @param option the option's name, for messages
   * @param value {@code address[:port],…} ({@code [v6]:port}); null or blank for none
   * @throws IllegalArgumentException naming the option and the entry that is wrong
   */
  static NameServers parse(String option, String value) {
    if (value == null || value.isBlank()) {
      return new NameServers(new String[0], new int[0]);
    }
    List<String> hosts = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    for (String raw : value.split(",")) {
      String entry = raw.strip();
      String host = entry;
      String port = null;
      if (entry.startsWith("[") && entry.contains("]")) {
        host = entry.substring(1, entry.indexOf(']'));
        String rest = entry.substring(entry.indexOf(']') + 1);
        port = rest.startsWith(":") ? rest.substring(1) : rest.isEmpty() ? null : rest;
      } else if (entry.indexOf(':') >= 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
        host = entry.substring(0, entry.indexOf(':'));
        port = entry.substring(entry.indexOf(':') + 1);
      }
      if (!numeric(host)) {
        throw bad(option, entry, "'" + host + "' is not a numeric IPv4 or IPv6 address");
      }
      int p = 53;
      if (port != null) {
        try {
          p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
          p = -1;
        }
        if (p < 1 || p > 65535) {
          throw bad(option, entry, "port '" + port + "' is not 1..65535");
        }
      }
      hosts.add(host);
      ports.add(p);
    }
    if (hosts.size() > MAX) {
      throw new IllegalArgumentException(
          "option '" + option + "': " + hosts.size() + " name servers; pjsip takes at most " + MAX);
    }
    return new NameServers(
        hosts.toArray(String[]::new), ports.stream().mapToInt(Integer::intValue).toArray());
  }

  private static boolean numeric(String host) {
    if (!IPV4.matcher(host).matches() && host.indexOf(':') < 0) {
      return false;
    }
    try {
      // A dotted quad or a literal with ':' is parsed, never looked up.
      InetAddress.getByName(host);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static IllegalArgumentException bad(String option, String entry, String why) {
    return new IllegalArgumentException(
        "option '" + option + "': name server '" + entry + "': " + why);
  }
}

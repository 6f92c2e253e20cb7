package org.sipline.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the files one {@link Kamailio} runs on: {@code kamailio.cfg} and the db_text tables {@code
 * db/subscriber} and {@code db/version}.
 *
 * <p>The script is a small registrar and proxy for tests:
 *
 * <ul>
 *   <li>every request is first logged as one {@value #REQUEST_MARKER} line (see {@link
 *       RequestLog});
 *   <li>REGISTER: digest auth against the subscriber table (401 to challenge, 403 for a wrong
 *       password or unknown user), then {@code save("location")} in memory (usrloc db_mode 0);
 *   <li>a new INVITE whose From is one of the users is challenged with 407 unless INVITE auth is
 *       off;
 *   <li>requests for a local user are looked up in the location table (480 when the user exists but
 *       is not registered, 404 otherwise), everything else is relayed to its Request-URI, so a
 *       transfer target at another address is reached too;
 *   <li>dialog-forming requests are record-routed; in-dialog requests follow their Route set.
 * </ul>
 */
final class KamailioConfig {
  static final String REQUEST_MARKER = "SIPLINE-REQ|";

  private KamailioConfig() {}

  /**
   * Writes the config and tables into {@code runDir} and returns the config's path; {@code tlsPort}
   * is used only when the options have TLS on.
   */
  static Path write(KamailioOptions options, int port, int tlsPort, Path runDir) {
    Path db = runDir.resolve("db");
    Path cfg = runDir.resolve("kamailio.cfg");
    try {
      Files.createDirectories(db);
      Files.writeString(db.resolve("version"), versionTable(), StandardCharsets.US_ASCII);
      Files.writeString(
          db.resolve("subscriber"), subscriberTable(options), StandardCharsets.US_ASCII);
      if (options.tls() != null) {
        Files.writeString(tlsConfig(runDir), tlsTable(options.tls()), StandardCharsets.US_ASCII);
      }
      Files.writeString(cfg, script(options, port, tlsPort, runDir), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the kamailio config into " + runDir, e);
    }
    return cfg;
  }

  static Path controlSocket(Path runDir) {
    return runDir.resolve("kamailio_ctl");
  }

  /**
   * Fails naming the Debian package when tls.so is not where Debian's kamailio looks for modules
   * (kamailio itself would only say "could not find module").
   */
  static void requireTlsModule() {
    List<Path> candidates = new ArrayList<>();
    try (DirectoryStream<Path> arches = Files.newDirectoryStream(Path.of("/usr/lib"))) {
      for (Path arch : arches) {
        candidates.add(arch.resolve("kamailio/modules/tls.so"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing /usr/lib", e);
    }
    if (candidates.stream().noneMatch(Files::isRegularFile)) {
      throw new PeerException(
          "kamailio's tls.so not found under /usr/lib/*/kamailio/modules; install the Debian"
              + " package kamailio-tls-modules (scripts/test-all.sh does)");
    }
  }

  static Path tlsConfig(Path runDir) {
    return runDir.resolve("tls.cfg");
  }

  /**
   * tls.so's own config: the server side presents {@code identity} and asks for no client
   * certificate; the client side (relaying to a UA's TLS Contact) checks nothing, as the tests are
   * about the UA's checks of Kamailio, not the reverse.
   */
  static String tlsTable(TlsIdentity identity) {
    return "[server:default]\n"
        + "method = TLSv1.2+\n"
        + "verify_certificate = no\n"
        + "require_certificate = no\n"
        + "certificate = "
        + identity.certificate()
        + "\n"
        + "private_key = "
        + identity.privateKey()
        + "\n\n"
        + "[client:default]\n"
        + "method = TLSv1.2+\n"
        + "verify_certificate = no\n"
        + "require_certificate = no\n";
  }

  static String versionTable() {
    return "table_name(string) table_version(int)\nsubscriber:7\n";
  }

  /** db_text refuses the table unless the ha1 columns are declared nullable (FACTS.md). */
  static String subscriberTable(KamailioOptions options) {
    StringBuilder table =
        new StringBuilder(
            "id(int,auto) username(string) domain(string) password(string) ha1(string,null) ha1b(string,null)\n");
    int id = 1;
    for (Map.Entry<String, String> user : options.users().entrySet()) {
      table
          .append(id++)
          .append(':')
          .append(user.getKey())
          .append(':')
          .append(options.domain())
          .append(':')
          .append(user.getValue())
          .append(":::\n");
    }
    return table.toString();
  }

  static String script(KamailioOptions options, int port, int tlsPort, Path runDir) {
    String domain = options.domain();
    String isUser =
        options.users().isEmpty()
            ? "0"
            : options.users().keySet().stream()
                .map(user -> "$var(user) == \"" + user + "\"")
                .collect(Collectors.joining(" || "));
    // For 127.0.0.1 only our own port (or none) is local: other ports there are other peers.
    String localDomain =
        domain.equals("127.0.0.1")
            ? "$rd == \"127.0.0.1\" && $(ru{uri.port}) == \"\""
            : "$rd == \"" + domain + "\"";
    String fromLocal =
        domain.equals("127.0.0.1")
            ? "$fd == \"127.0.0.1\""
            : "$fd == \"127.0.0.1\" || $fd == \"" + domain + "\"";
    String tls =
        options.tls() == null
            ? ""
            : "enable_tls=yes\n"
                + "listen=tls:127.0.0.1:"
                + tlsPort
                + "\nalias=\"127.0.0.1:"
                + tlsPort
                + "\"\nloadmodule \"tls.so\"\nmodparam(\"tls\", \"config\", \""
                + tlsConfig(runDir)
                + "\")\n";
    return TEMPLATE
        .replace("@TLS@", tls)
        .replace("@PORT@", Integer.toString(port))
        .replace("@CHILDREN@", Integer.toString(options.udpWorkers()))
        .replace("@DOMAIN@", domain)
        .replace("@CTL@", controlSocket(runDir).toString())
        .replace("@DB@", runDir.resolve("db").toString())
        .replace("@IS_USER@", isUser)
        .replace("@LOCAL_DOMAIN@", localDomain)
        .replace("@FROM_LOCAL@", fromLocal)
        .replace("@INVITE_AUTH@", options.inviteAuth() ? "1" : "0")
        .replace("@MARKER@", REQUEST_MARKER);
  }

  private static final String TEMPLATE =
      """
      #!KAMAILIO
      # Generated for one test by org.sipline.testing.peers.Kamailio.
      debug=2
      log_stderror=yes
      children=@CHILDREN@
      tcp_children=2
      auto_aliases=no
      listen=udp:127.0.0.1:@PORT@
      listen=tcp:127.0.0.1:@PORT@
      alias="127.0.0.1:@PORT@"
      @TLS@
      loadmodule "ctl.so"
      loadmodule "kex.so"
      loadmodule "corex.so"
      loadmodule "tm.so"
      loadmodule "tmx.so"
      loadmodule "sl.so"
      loadmodule "rr.so"
      loadmodule "pv.so"
      loadmodule "maxfwd.so"
      loadmodule "usrloc.so"
      loadmodule "registrar.so"
      loadmodule "textops.so"
      loadmodule "siputils.so"
      loadmodule "xlog.so"
      loadmodule "db_text.so"
      loadmodule "auth.so"
      loadmodule "auth_db.so"

      modparam("ctl", "binrpc", "unix:@CTL@")
      # Short transaction timers: a peer that vanished fails a test in seconds, not minutes.
      modparam("tm", "fr_timer", 5000)
      modparam("tm", "fr_inv_timer", 60000)
      modparam("usrloc", "db_mode", 0)
      # Expired bindings leave the table within a second, so tests can await their expiry.
      modparam("usrloc", "timer_interval", 1)
      # Tests register with short Expires to exercise refreshes; do not raise them to 60.
      modparam("registrar", "min_expires", 1)
      modparam("auth_db", "db_url", "text://@DB@")
      modparam("auth_db", "calculate_ha1", yes)
      modparam("auth_db", "password_column", "password")
      modparam("auth_db", "load_credentials", "")

      request_route {
        xlog("L_NOTICE", "@MARKER@$rm|$fU|$tU|$hdr(Expires)|$ci|$ru|$si:$sp|$pr|$ct\\n");

        if (!mf_process_maxfwd_header("10")) {
          sl_send_reply("483", "Too Many Hops");
          exit;
        }
        if (has_totag()) {
          route(WITHIN_DIALOG);
          exit;
        }
        if (is_method("CANCEL")) {
          if (t_check_trans()) {
            route(RELAY);
          }
          exit;
        }
        if (is_method("ACK")) {
          # An ACK without a transaction of ours has nowhere to go.
          if (t_check_trans()) {
            route(RELAY);
          }
          exit;
        }
        # Absorb retransmissions of requests we already handle.
        t_check_trans();

        if (is_method("REGISTER")) {
          $var(user) = $tU;
          route(AUTH);
          if (!save("location")) {
            sl_reply_error();
          }
          exit;
        }
        if (is_method("OPTIONS") && $rU == $null && route(IS_LOCAL)) {
          sl_send_reply("200", "Keepalive");
          exit;
        }
        $var(user) = $fU;
        if (@INVITE_AUTH@ && is_method("INVITE") && (@FROM_LOCAL@) && (@IS_USER@)) {
          route(AUTH);
        }
        # A Route naming us (an outbound proxy setting) has served its purpose.
        remove_hf("Route");
        if (is_method("INVITE|SUBSCRIBE|REFER")) {
          record_route();
        }
        if (route(IS_LOCAL)) {
          $var(user) = $rU;
          if (!lookup("location")) {
            if (@IS_USER@) {
              sl_send_reply("480", "Temporarily Unavailable");
            } else {
              sl_send_reply("404", "Not Found");
            }
            exit;
          }
        }
        route(RELAY);
      }

      # Digest auth for $var(user): returns when the credentials are good, else replies and exits.
      route[AUTH] {
        if (auth_check("@DOMAIN@", "subscriber", "1")) {
          consume_credentials();
          return;
        }
        $var(rc) = $rc;
        # -2 wrong password, -3 unknown user, -8 auth user differs from From/To user.
        if ($var(rc) == -2 || $var(rc) == -3 || $var(rc) == -8) {
          sl_send_reply("403", "Forbidden");
          exit;
        }
        auth_challenge("@DOMAIN@", "0");
        exit;
      }

      route[IS_LOCAL] {
        if (uri == myself) {
          return 1;
        }
        if (@LOCAL_DOMAIN@) {
          return 1;
        }
        return -1;
      }

      route[WITHIN_DIALOG] {
        if (loose_route()) {
          route(RELAY);
          exit;
        }
        if (is_method("ACK")) {
          if (t_check_trans()) {
            route(RELAY);
          }
          exit;
        }
        # No Route set (a UA that ignored Record-Route): relay to the Request-URI unless it is us.
        if (!route(IS_LOCAL)) {
          route(RELAY);
          exit;
        }
        sl_send_reply("404", "Not Here");
      }

      route[RELAY] {
        if (!t_relay()) {
          sl_reply_error();
        }
        exit;
      }
      """;
}

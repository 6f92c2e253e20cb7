package org.sipline.testing.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks a running Kamailio over its ctl module's unix socket with Debian's {@code kamcmd} (binrpc).
 * One command at a time: the output goes through a file in the run dir.
 */
final class KamailioCtl {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
  private static final Pattern ADDRESS = Pattern.compile("^\\s*Address:\\s*(\\S+)\\s*$");
  private static final Pattern EXPIRES = Pattern.compile("^\\s*Expires:\\s*(\\S+)\\s*$");

  private final Path kamcmd;
  private final Path socket;
  private final Path output;

  KamailioCtl(Path runDir) {
    this.kamcmd = Executables.find("kamcmd", "kamailio");
    this.socket = KamailioConfig.controlSocket(runDir);
    this.output = runDir.resolve("kamcmd.out");
  }

  /** True when Kamailio answers on the control socket. */
  boolean answers() {
    return Files.exists(socket) && run("core.uptime").exitCode == 0;
  }

  /**
   * The contact addresses bound to {@code user} that have not expired; empty when the user has no
   * binding.
   */
  List<String> contacts(String user) {
    Result result = run("ul.lookup", "location", user);
    if (result.text.contains("AOR not found")) {
      return List.of();
    }
    if (result.exitCode != 0 || result.text.startsWith("error")) {
      throw new PeerException(
          "kamcmd ul.lookup location "
              + user
              + " failed with exit code "
              + result.exitCode
              + ": "
              + result.text);
    }
    return liveContacts(result.text);
  }

  /** The Address of each contact in an {@code ul.lookup} answer whose Expires is not "expired". */
  static List<String> liveContacts(String lookupAnswer) {
    List<String> contacts = new ArrayList<>();
    String address = null;
    for (String line : lookupAnswer.split("\n")) {
      Matcher a = ADDRESS.matcher(line);
      if (a.matches()) {
        address = a.group(1);
        continue;
      }
      Matcher e = EXPIRES.matcher(line);
      if (e.matches() && address != null) {
        if (!e.group(1).equals("expired")) {
          contacts.add(address);
        }
        address = null;
      }
    }
    return contacts;
  }

  /**
   * The targets of every dispatcher set and their state flags ({@code AP}: active and probed,
   * {@code IP}: inactive, probed, ...), from {@code dispatcher.list}, keyed by target URI.
   */
  Map<String, String> dispatcherTargets() {
    Result result = run("dispatcher.list");
    if (result.exitCode != 0 || result.text.startsWith("error")) {
      throw new PeerException(
          "kamcmd dispatcher.list failed with exit code " + result.exitCode + ": " + result.text);
    }
    return dispatcherTargets(result.text);
  }

  /**
   * Each {@code URI:} line of a {@code dispatcher.list} answer with the {@code FLAGS:} after it.
   */
  static Map<String, String> dispatcherTargets(String listAnswer) {
    Map<String, String> targets = new LinkedHashMap<>();
    String uri = null;
    for (String line : listAnswer.split("\n")) {
      String t = line.strip();
      if (t.startsWith("URI:")) {
        uri = t.substring(4).strip();
      } else if (t.startsWith("FLAGS:") && uri != null) {
        targets.put(uri, t.substring(6).strip());
        uri = null;
      }
    }
    return targets;
  }

  private synchronized Result run(String... command) {
    List<String> args = new ArrayList<>(List.of(kamcmd.toString(), "-s", "unix:" + socket));
    args.addAll(List.of(command));
    try {
      Process process =
          new ProcessBuilder(args)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        throw new PeerException(
            "kamcmd " + String.join(" ", command) + " did not answer within " + COMMAND_TIMEOUT);
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      throw new UncheckedIOException("running kamcmd " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerException("interrupted while running kamcmd", e);
    }
  }

  private record Result(int exitCode, String text) {}
}

package org.sipline.testing.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Whether a process other than our direct child has terminated. {@link ProcessHandle#isAlive()}
 * still says true for a zombie: a process that has exited but whose parent has not reaped it yet
 * (or never will, when it was re-parented to a PID 1 that does not reap). A zombie holds no ports,
 * files or memory any more, so for a test it is gone; Linux shows it as state Z in {@code
 * /proc/<pid>/stat}.
 */
final class ProcessStates {
  private ProcessStates() {}

  static boolean terminated(ProcessHandle handle) {
    if (!handle.isAlive()) {
      return true;
    }
    char state = state(handle.pid());
    return state == 'Z' || state == 'X' || state == '?';
  }

  /**
   * The state letter of {@code /proc/<pid>/stat}: the first non-space after the command name's
   * closing parenthesis (the name itself may contain spaces and parentheses). '?' when the process
   * is gone.
   */
  static char state(long pid) {
    String stat;
    try {
      stat =
          Files.readString(
              Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      return '?';
    } catch (IOException e) {
      // Gone between the listing and the read, or not readable: not ours to judge as alive.
      return '?';
    }
    return parseState(stat);
  }

  static char parseState(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0 || close + 2 >= stat.length()) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat.strip());
    }
    return stat.charAt(close + 2);
  }
}

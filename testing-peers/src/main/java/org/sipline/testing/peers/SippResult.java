package org.sipline.testing.peers;

/**
 * How a SIPp run ended.
 *
 * @param exitCode SIPp's exit code: 0 all calls succeeded, 1 at least one failed, 97 stopped by an
 *     internal command, 99 ended without calls, 255 (-1) a fatal error, 254 (-2) a fatal error
 *     binding a socket
 * @param successfulCalls calls that reached the end of the scenario, from the statistics file
 * @param failedCalls calls that failed, from the statistics file
 */
public record SippResult(int exitCode, long successfulCalls, long failedCalls) {
  /** True when SIPp says every call went through the scenario as written. */
  public boolean succeeded() {
    return exitCode == 0 && failedCalls == 0 && successfulCalls > 0;
  }
}

package org.sipline.server.ctl;

/** What {@code sipline ctl} tells a script through its exit code. */
enum CtlExit {
  /** The server did what was asked. */
  OK(0),
  /** The server refused: a gRPC error, or NO_SESSION / NO_ONGOING_CALL to a call-scoped command. */
  REFUSED(1),
  /** The command line was wrong; nothing was sent. */
  USAGE(2),
  /** The server could not be reached. */
  UNREACHABLE(3);

  private final int code;

  CtlExit(int code) {
    this.code = code;
  }

  int code() {
    return code;
  }
}

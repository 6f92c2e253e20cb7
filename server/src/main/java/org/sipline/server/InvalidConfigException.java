package org.sipline.server;

/**
 * A configuration value that cannot work. The message starts with the command-line flag at fault so
 * an operator knows what to change, e.g. {@code "--grpc-port: 70000 is outside 0..65535"}.
 */
public final class InvalidConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String flag;

  public InvalidConfigException(String flag, String reason) {
    super(flag + ": " + reason);
    this.flag = flag;
  }

  /** The flag at fault, e.g. {@code --tls-key}. */
  public String flag() {
    return flag;
  }
}

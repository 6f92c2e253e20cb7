package org.sipline.core.backends;

/**
 * What {@code --help} and the start-up log say about one backend found on the class path.
 *
 * @param name the name it is chosen by
 * @param priority higher wins when no name is configured
 * @param available whether it can run on this machine
 * @param reason why not, or "available"
 */
public record ProviderInfo(String name, int priority, boolean available, String reason) {
  @Override
  public String toString() {
    return name
        + " (priority "
        + priority
        + ", "
        + (available ? "available" : "unavailable: " + reason)
        + ")";
  }
}

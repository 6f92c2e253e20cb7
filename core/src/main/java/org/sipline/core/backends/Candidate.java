package org.sipline.core.backends;

import java.util.Comparator;
import org.sipline.core.spi.Availability;
import org.sipline.core.spi.SipBackendProvider;

/**
 * A provider that loaded, with what it said about itself asked once: a provider's availability
 * check may be costly (probing a native library), and its answer must not change between {@code
 * --help} and the choice.
 */
record Candidate(
    SipBackendProvider provider, String name, int priority, Availability availability) {
  /**
   * Highest priority first; equal ones by name, then class, so the order never depends on the class
   * path's order.
   */
  static final Comparator<Candidate> ORDER =
      Comparator.comparingInt(Candidate::priority)
          .reversed()
          .thenComparing(Candidate::name)
          .thenComparing(c -> c.provider().getClass().getName());

  /**
   * Asks {@code provider} its name, priority and availability. A provider whose priority or
   * availability check throws is kept as unavailable with that reason.
   *
   * @throws BrokenProviderException when it cannot even say its name
   */
  static Candidate inspect(SipBackendProvider provider) {
    String className = provider.getClass().getName();
    String name;
    try {
      name = provider.name();
    } catch (RuntimeException | LinkageError e) {
      throw new BrokenProviderException(className + ": name() failed: " + e, e);
    }
    if (name == null || name.isBlank()) {
      throw new BrokenProviderException(className + ": name() is empty", null);
    }
    name = name.strip();
    int priority;
    try {
      priority = provider.priority();
    } catch (RuntimeException | LinkageError e) {
      return new Candidate(provider, name, 0, Availability.no("priority() failed: " + e));
    }
    Availability availability;
    try {
      availability = provider.availability();
    } catch (RuntimeException | LinkageError e) {
      // Typically a NoClassDefFoundError: a library the provider needs is missing.
      availability = Availability.no("availability check failed: " + e);
    }
    if (availability == null) {
      availability = Availability.no("availability() returned null");
    }
    return new Candidate(provider, name, priority, availability);
  }

  boolean available() {
    return availability.available();
  }

  ProviderInfo info() {
    return new ProviderInfo(name, priority, available(), availability.reason());
  }

  /** A provider unfit to be listed at all. */
  static final class BrokenProviderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BrokenProviderException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

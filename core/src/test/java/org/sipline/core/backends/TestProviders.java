package org.sipline.core.backends;

import java.util.List;
import org.sipline.core.spi.Availability;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.BackendOption;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipBackendProvider;

/**
 * Providers that only describe themselves, for the selection tests. They are registered in a
 * services file that each test writes for its own class loader (see {@link ServicesLoader}), so
 * they never show up on core's shared test class path. Selection never calls {@code create}.
 */
public final class TestProviders {
  private TestProviders() {}

  /** A provider with fixed answers. */
  public abstract static class Fixed implements SipBackendProvider {
    private final String name;
    private final int priority;
    private final Availability availability;

    Fixed(String name, int priority, Availability availability) {
      this.name = name;
      this.priority = priority;
      this.availability = availability;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int priority() {
      return priority;
    }

    @Override
    public Availability availability() {
      return availability;
    }

    @Override
    public List<BackendOption> options() {
      return List.of();
    }

    @Override
    public SipBackend create(BackendConfig config) {
      throw new UnsupportedOperationException(name + " is a selection-test provider");
    }
  }

  public static final class High extends Fixed {
    public High() {
      super("high", 20, Availability.yes());
    }
  }

  public static final class Low extends Fixed {
    public Low() {
      super("low", 10, Availability.yes());
    }
  }

  /** Highest priority of all, but not available: must never win by priority. */
  public static final class Unavailable extends Fixed {
    public Unavailable() {
      super("native", 100, Availability.no("libnative.so not found"));
    }
  }

  /** Claims a name another provider already has, in other letters. */
  public static final class SameNameAsHigh extends Fixed {
    public SameNameAsHigh() {
      super("HIGH", 5, Availability.yes());
    }
  }

  public static final class FailingConstructor extends Fixed {
    public FailingConstructor() {
      super("failing", 50, Availability.yes());
      throw new IllegalStateException("cannot start: config missing");
    }
  }

  public static final class FailingAvailability extends Fixed {
    public FailingAvailability() {
      super("flaky", 60, Availability.yes());
    }

    @Override
    public Availability availability() {
      throw new NoClassDefFoundError("com/sun/jna/Native");
    }
  }

  public static final class Nameless extends Fixed {
    public Nameless() {
      super(" ", 70, Availability.yes());
    }
  }
}

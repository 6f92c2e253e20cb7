package org.sipline.core.backends;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.BackendOptionCheck;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipBackendProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP backends on the class path, found with {@link ServiceLoader}, and the choice among them.
 *
 * <p>Loading never fails because of one bad provider: a provider whose class is missing, whose
 * constructor throws or that cannot say its name is skipped with a logged reason (see {@link
 * #skipped()}); one whose priority or availability check throws is listed as unavailable with that
 * reason. The choice ({@link #select}) goes by name when one is given (in the call or in the system
 * property {@value #BACKEND_PROPERTY}), otherwise to the available backend with the highest
 * priority; when nothing fits, {@link NoBackendException} says what to add or fix.
 *
 * <p>Instances are immutable: each provider is asked once, at load.
 */
public final class Backends {
  /** System property naming the backend when the configuration names none. */
  public static final String BACKEND_PROPERTY = "sipline.backend";

  private static final Logger log = LoggerFactory.getLogger(Backends.class);
  private static final String WHAT_TO_ADD = "put sipline-backend-jainsip on the class path";

  /**
   * ServiceLoader errors tolerated in one load. A class path that cannot even be read throws on
   * every step without advancing, so without a bound the loop would never end.
   */
  private static final int MAX_ERRORS = 64;

  private final List<Candidate> candidates;
  private final List<String> skipped;
  private final UnaryOperator<String> systemProperties;

  private Backends(
      List<Candidate> candidates, List<String> skipped, UnaryOperator<String> systemProperties) {
    this.candidates = List.copyOf(candidates);
    this.skipped = List.copyOf(skipped);
    this.systemProperties = systemProperties;
  }

  /**
   * The backends visible to this class's class loader, or, when it sees none, to the thread's
   * context class loader (where containers and plug-in frameworks put theirs).
   *
   * @return the backends found, possibly none
   */
  public static Backends load() {
    ClassLoader own = Backends.class.getClassLoader();
    Backends found = load(own);
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (found.candidates.isEmpty()
        && found.skipped.isEmpty()
        && context != null
        && context != own) {
      return load(context);
    }
    return found;
  }

  /**
   * The backends {@code loader} provides.
   *
   * @param loader where to look for {@link org.sipline.core.spi.SipBackendProvider} services
   * @return the backends found, possibly none
   */
  public static Backends load(ClassLoader loader) {
    return load(loader, System::getProperty);
  }

  static Backends load(ClassLoader loader, UnaryOperator<String> systemProperties) {
    Objects.requireNonNull(loader, "loader");
    Objects.requireNonNull(systemProperties, "systemProperties");
    List<Candidate> candidates = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Iterator<SipBackendProvider> it =
        ServiceLoader.load(SipBackendProvider.class, loader).iterator();
    int errors = 0;
    while (true) {
      SipBackendProvider provider;
      try {
        if (!it.hasNext()) {
          break;
        }
        provider = it.next();
      } catch (ServiceConfigurationError | LinkageError e) {
        // The iterator moves past the entry that failed; the next one may be fine.
        skip(skipped, describe(e), e);
        if (++errors >= MAX_ERRORS) {
          skip(skipped, "stopped looking after " + errors + " errors", null);
          break;
        }
        continue;
      }
      try {
        candidates.add(Candidate.inspect(provider));
      } catch (Candidate.BrokenProviderException e) {
        skip(skipped, e.getMessage(), e.getCause());
      }
    }
    candidates.sort(Candidate.ORDER);
    List<Candidate> unique = withoutDuplicates(candidates, skipped);
    Backends backends = new Backends(unique, skipped, systemProperties);
    log.debug("SIP backends found: {}", backends.describe());
    return backends;
  }

  /**
   * Keeps one provider per name (names are case-insensitive): the first in {@code sorted}, the one
   * of highest priority, whatever the class path's order.
   */
  private static List<Candidate> withoutDuplicates(List<Candidate> sorted, List<String> skipped) {
    List<Candidate> kept = new ArrayList<>();
    for (Candidate c : sorted) {
      Candidate same =
          kept.stream().filter(k -> k.name().equalsIgnoreCase(c.name())).findFirst().orElse(null);
      if (same == null) {
        kept.add(c);
      } else {
        skip(
            skipped,
            c.provider().getClass().getName()
                + ": name '"
                + c.name()
                + "' is taken by "
                + same.provider().getClass().getName(),
            null);
      }
    }
    return kept;
  }

  private static void skip(List<String> skipped, String reason, Throwable cause) {
    skipped.add(reason);
    log.warn("SIP backend provider skipped: {}", reason);
    if (cause != null) {
      log.debug("SIP backend provider skipped because of", cause);
    }
  }

  private static String describe(Throwable e) {
    Throwable cause = e.getCause();
    return cause == null ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + cause;
  }

  /**
   * Starts the backend {@code provider} makes from {@code config}, after holding the config's
   * options to the ones the provider declares ({@link SipBackendProvider#options()}): an unknown or
   * malformed option stops the start before the backend is touched. Every start goes through here,
   * whichever the backend.
   *
   * @throws IllegalArgumentException naming the option that is wrong (and listing the valid ones
   *     when it is unknown), or whatever else the backend refuses in {@code config}
   * @param provider the backend chosen
   * @param config the configuration to start it with
   * @return the running backend; the caller closes it
   */
  public static SipBackend start(SipBackendProvider provider, BackendConfig config) {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(config, "config");
    BackendOptionCheck.check(provider.name(), provider.options(), config.options());
    return Objects.requireNonNull(
        provider.create(config), () -> provider.name() + " created no backend");
  }

  /**
   * Every backend that loaded, highest priority first, available or not.
   *
   * @return a description of each backend
   */
  public List<ProviderInfo> describe() {
    return candidates.stream().map(Candidate::info).toList();
  }

  /**
   * Why providers on the class path were left out (class missing, constructor threw, ...).
   *
   * @return one line per provider left out
   */
  public List<String> skipped() {
    return skipped;
  }

  /**
   * The backend to use.
   *
   * @param nameOrNull the backend's name (case-insensitive); null or blank means the one the system
   *     property {@value #BACKEND_PROPERTY} names, and without it the available backend with the
   *     highest priority
   * @throws NoBackendException when the named backend is unknown or unavailable, or none is
   *     available at all; the message lists what is known
   * @return the chosen backend's provider
   */
  public SipBackendProvider select(String nameOrNull) {
    String source = "the configuration";
    String name = nameOrNull;
    if (name == null || name.isBlank()) {
      name = systemProperties.apply(BACKEND_PROPERTY);
      source = "system property " + BACKEND_PROPERTY;
    }
    if (name == null || name.isBlank()) {
      return highestPriority();
    }
    String wanted = name.strip();
    for (Candidate c : candidates) {
      if (c.name().equalsIgnoreCase(wanted)) {
        if (!c.available()) {
          throw new NoBackendException(
              "SIP backend '"
                  + c.name()
                  + "' (named by "
                  + source
                  + ") is not available: "
                  + c.availability().reason());
        }
        log.info(
            "SIP backend {} chosen, named by {} (priority {})", c.name(), source, c.priority());
        return c.provider();
      }
    }
    throw new NoBackendException(
        "no SIP backend '"
            + shown(wanted)
            + "' (named by "
            + source
            + "); known: "
            + (candidates.isEmpty() ? "none; " + WHAT_TO_ADD : names()));
  }

  private SipBackendProvider highestPriority() {
    for (Candidate c : candidates) {
      if (c.available()) {
        log.info(
            "SIP backend {} chosen, the available one of highest priority ({})",
            c.name(),
            c.priority());
        return c.provider();
      }
    }
    if (candidates.isEmpty()) {
      throw new NoBackendException(
          "no SIP backend found: "
              + WHAT_TO_ADD
              + (skipped.isEmpty() ? "" : "; skipped: " + String.join("; ", skipped)));
    }
    throw new NoBackendException(
        "no SIP backend available: "
            + candidates.stream()
                .map(c -> c.name() + " (" + c.availability().reason() + ")")
                .collect(Collectors.joining(", "))
            + "; "
            + WHAT_TO_ADD);
  }

  private String names() {
    return candidates.stream()
        .map(c -> c.available() ? c.name() : c.name() + " (unavailable)")
        .collect(Collectors.joining(", "));
  }

  /** A configured name as it may appear in a message: printable ASCII, bounded. */
  private static String shown(String name) {
    String bounded = name.length() > 64 ? name.substring(0, 64) + "..." : name;
    StringBuilder sb = new StringBuilder(bounded.length());
    bounded.chars().forEach(c -> sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
    return sb.toString();
  }

  @Override
  public String toString() {
    return "Backends" + describe();
  }
}

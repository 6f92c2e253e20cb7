package org.sipline.core.backends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.spi.SipBackendProvider;

class BackendsTest {
  private static final UnaryOperator<String> NO_PROPERTIES = key -> null;

  @TempDir Path dir;

  private Backends load(String... providers) throws IOException {
    return load(NO_PROPERTIES, providers);
  }

  private Backends load(UnaryOperator<String> properties, String... providers) throws IOException {
    try (ServicesLoader loader = ServicesLoader.listing(dir, providers)) {
      return Backends.load(loader, properties);
    }
  }

  private static String p(Class<? extends SipBackendProvider> c) {
    return c.getName();
  }

  @Test
  void choosesTheAvailableProviderWithTheHighestPriority() throws IOException {
    Backends backends =
        load(
            p(TestProviders.Low.class),
            p(TestProviders.Unavailable.class),
            p(TestProviders.High.class));
    assertThat(backends.select(null)).isInstanceOf(TestProviders.High.class);
    assertThat(backends.select("")).isInstanceOf(TestProviders.High.class);
    assertThat(backends.select("  ")).isInstanceOf(TestProviders.High.class);
  }

  @Test
  void describesEveryLoadedProviderHighestPriorityFirst() throws IOException {
    Backends backends =
        load(
            p(TestProviders.Low.class),
            p(TestProviders.High.class),
            p(TestProviders.Unavailable.class));
    assertThat(backends.describe())
        .containsExactly(
            new ProviderInfo("native", 100, false, "libnative.so not found"),
            new ProviderInfo("high", 20, true, "available"),
            new ProviderInfo("low", 10, true, "available"));
    assertThat(backends.describe().get(0).toString())
        .isEqualTo("native (priority 100, unavailable: libnative.so not found)");
    assertThat(backends.skipped()).isEmpty();
  }

  @Test
  void skipsAProviderWhoseConstructorThrowsAndKeepsTheOthers() throws IOException {
    Backends backends = load(p(TestProviders.FailingConstructor.class), p(TestProviders.Low.class));
    assertThat(backends.describe()).extracting(ProviderInfo::name).containsExactly("low");
    assertThat(backends.skipped())
        .singleElement()
        .asString()
        .contains(TestProviders.FailingConstructor.class.getName())
        .contains("could not be instantiated")
        .endsWith("java.lang.IllegalStateException: cannot start: config missing");
    assertThat(backends.select(null)).isInstanceOf(TestProviders.Low.class);
  }

  @Test
  void skipsAMissingClassAndKeepsTheOthers() throws IOException {
    Backends backends = load("org.example.MissingProvider", p(TestProviders.High.class));
    assertThat(backends.describe()).extracting(ProviderInfo::name).containsExactly("high");
    assertThat(backends.skipped())
        .singleElement()
        .asString()
        .contains("org.example.MissingProvider not found");
  }

  @Test
  void aMalformedServicesFileCostsOnlyItsOwnJar() throws IOException {
    Path broken =
        ServicesLoader.writeServices(
            dir.resolve("broken"), "not a class name!", p(TestProviders.Low.class));
    Path good = ServicesLoader.writeServices(dir.resolve("good"), p(TestProviders.High.class));
    try (ServicesLoader loader = ServicesLoader.over(broken, good)) {
      Backends backends = Backends.load(loader, NO_PROPERTIES);
      assertThat(backends.describe()).extracting(ProviderInfo::name).containsExactly("high");
      assertThat(backends.skipped())
          .singleElement()
          .asString()
          .contains("broken/META-INF/services/")
          .endsWith(":1: Illegal configuration-file syntax");
    }
  }

  @Test
  void skipsAProviderWithoutAName() throws IOException {
    Backends backends = load(p(TestProviders.Nameless.class), p(TestProviders.Low.class));
    assertThat(backends.describe()).extracting(ProviderInfo::name).containsExactly("low");
    assertThat(backends.skipped())
        .containsExactly(TestProviders.Nameless.class.getName() + ": name() is empty");
  }

  @Test
  void listsAProviderWhoseAvailabilityCheckThrowsAsUnavailable() throws IOException {
    Backends backends =
        load(p(TestProviders.FailingAvailability.class), p(TestProviders.Low.class));
    assertThat(backends.describe())
        .contains(
            new ProviderInfo(
                "flaky",
                60,
                false,
                "availability check failed: java.lang.NoClassDefFoundError: com/sun/jna/Native"));
    assertThat(backends.select(null)).isInstanceOf(TestProviders.Low.class);
    assertThatThrownBy(() -> backends.select("flaky"))
        .isInstanceOf(NoBackendException.class)
        .hasMessage(
            "SIP backend 'flaky' (named by the configuration) is not available:"
                + " availability check failed: java.lang.NoClassDefFoundError: com/sun/jna/Native");
  }

  @Test
  void keepsTheHigherPriorityProviderOfTwoWithTheSameName() throws IOException {
    // Listed first, but of lower priority: the class path's order must not decide.
    Backends backends = load(p(TestProviders.SameNameAsHigh.class), p(TestProviders.High.class));
    assertThat(backends.describe())
        .containsExactly(new ProviderInfo("high", 20, true, "available"));
    assertThat(backends.select("High")).isInstanceOf(TestProviders.High.class);
    assertThat(backends.skipped())
        .containsExactly(
            TestProviders.SameNameAsHigh.class.getName()
                + ": name 'HIGH' is taken by "
                + TestProviders.High.class.getName());
  }

  @Test
  void selectsByNameIgnoringCaseAndSpaces() throws IOException {
    Backends backends = load(p(TestProviders.High.class), p(TestProviders.Low.class));
    assertThat(backends.select(" LOW ")).isInstanceOf(TestProviders.Low.class);
    assertThat(backends.select("high")).isInstanceOf(TestProviders.High.class);
  }

  @Test
  void refusesAnUnknownNameListingTheKnownOnes() throws IOException {
    Backends backends =
        load(
            p(TestProviders.High.class),
            p(TestProviders.Low.class),
            p(TestProviders.Unavailable.class));
    assertThatThrownBy(() -> backends.select("pjsip"))
        .isInstanceOf(NoBackendException.class)
        .hasMessage(
            "no SIP backend 'pjsip' (named by the configuration);"
                + " known: native (unavailable), high, low");
  }

  @Test
  void refusesAKnownButUnavailableNameWithItsReason() throws IOException {
    Backends backends = load(p(TestProviders.High.class), p(TestProviders.Unavailable.class));
    assertThatThrownBy(() -> backends.select("native"))
        .isInstanceOf(NoBackendException.class)
        .hasMessage(
            "SIP backend 'native' (named by the configuration) is not available:"
                + " libnative.so not found");
  }

  @Test
  void theSystemPropertyNamesTheBackendWhenTheCallDoesNot() throws IOException {
    UnaryOperator<String> props = Map.of(Backends.BACKEND_PROPERTY, "low")::get;
    Backends backends = load(props, p(TestProviders.High.class), p(TestProviders.Low.class));
    assertThat(backends.select(null)).isInstanceOf(TestProviders.Low.class);
    assertThat(backends.select("")).isInstanceOf(TestProviders.Low.class);
    assertThat(backends.select("high")).isInstanceOf(TestProviders.High.class);
  }

  @Test
  void anUnknownNameFromTheSystemPropertySaysWhereItCameFrom() throws IOException {
    UnaryOperator<String> props = Map.of(Backends.BACKEND_PROPERTY, "pjsip")::get;
    Backends backends = load(props, p(TestProviders.High.class));
    assertThatThrownBy(() -> backends.select(null))
        .isInstanceOf(NoBackendException.class)
        .hasMessage(
            "no SIP backend 'pjsip' (named by system property sipline.backend);" + " known: high");
  }

  @Test
  void noProviderAtAllSaysWhatToAdd() throws IOException {
    Backends backends = load();
    assertThat(backends.describe()).isEmpty();
    assertThatThrownBy(() -> backends.select(null))
        .isInstanceOf(NoBackendException.class)
        .hasMessage("no SIP backend found: put sipline-backend-jainsip on the class path");
    assertThatThrownBy(() -> backends.select("jainsip"))
        .isInstanceOf(NoBackendException.class)
        .hasMessage(
            "no SIP backend 'jainsip' (named by the configuration);"
                + " known: none; put sipline-backend-jainsip on the class path");
  }

  @Test
  void noProviderLoadedSaysWhatWasSkipped() throws IOException {
    Backends backends = load(p(TestProviders.FailingConstructor.class));
    assertThatThrownBy(() -> backends.select(null))
        .isInstanceOf(NoBackendException.class)
        .hasMessageStartingWith(
            "no SIP backend found: put sipline-backend-jainsip on the class" + " path; skipped: ")
        .hasMessageContaining("cannot start: config missing");
  }

  @Test
  void noneAvailableListsWhyAndWhatToAdd() throws IOException {
    Backends backends = load(p(TestProviders.Unavailable.class));
    assertThatThrownBy(() -> backends.select(null))
        .isInstanceOf(NoBackendException.class)
        .hasMessage(
            "no SIP backend available: native (libnative.so not found);"
                + " put sipline-backend-jainsip on the class path");
  }

  @Test
  void stopsLookingAfterTooManyErrors() throws IOException {
    String[] missing =
        IntStream.range(0, 100).mapToObj(i -> "org.example.Missing" + i).toArray(String[]::new);
    Backends backends = load(missing);
    assertThat(backends.skipped()).hasSize(65).last().isEqualTo("stopped looking after 64 errors");
  }

  @Test
  void showsAnUnprintableNameSafely() throws IOException {
    Backends backends = load(p(TestProviders.High.class));
    assertThatThrownBy(() -> backends.select("a\r\nb" + "x".repeat(100)))
        .isInstanceOf(NoBackendException.class)
        .hasMessageStartingWith("no SIP backend 'a??b" + "x".repeat(60) + "...'")
        .hasMessageNotContaining("\n");
  }

  @Test
  void loadingWithAPlainClassLoaderUsesTheRealSystemProperties() throws IOException {
    try (ServicesLoader loader = ServicesLoader.listing(dir, p(TestProviders.Low.class))) {
      Backends backends = Backends.load(loader);
      assertThat(backends.describe()).extracting(ProviderInfo::name).containsExactly("low");
      if (System.getProperty(Backends.BACKEND_PROPERTY) == null) {
        assertThat(backends.select(null)).isInstanceOf(TestProviders.Low.class);
      }
    }
  }
}

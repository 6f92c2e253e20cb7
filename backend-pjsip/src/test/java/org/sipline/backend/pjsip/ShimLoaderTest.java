package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.Availability;

class ShimLoaderTest {
  @Test
  void missingLibraryIsUnavailableNamingTheFileAndTheSearchPath() {
    ShimLoader loader = new ShimLoader("sipline-no-such-shim");

    Availability a = loader.availability();

    assertThat(a.available()).isFalse();
    assertThat(a.reason())
        .startsWith("libsipline-no-such-shim.so not found on jna.library.path=")
        .contains(String.valueOf(System.getProperty("jna.library.path", "(unset)")))
        .contains("backend-pjsip/README.md");
  }

  @Test
  void aLibraryWithoutTheShimsFunctionsIsRefusedAsNotTheShim() {
    // libm is on every Linux and has no slpj_* symbols. (Not libc: JNA looks "c" up in the
    // whole process, where the real shim may already be loaded by another test.)
    ShimLoader loader = new ShimLoader("m");

    Availability a = loader.availability();

    assertThat(a.available()).isFalse();
    assertThat(a.reason())
        .contains("is not sipline's pjsua shim")
        .contains("slpj_compiled_version");
  }

  @Test
  void aShimCompiledAgainstAnotherPjprojectIsUnavailableNamingBothVersions() {
    ShimLoader loader = new ShimLoader("siplinepj", name -> shimReporting("2.17", "2.12"));

    Availability a = loader.availability();

    assertThat(a.available()).isFalse();
    assertThat(a.reason())
        .isEqualTo(
            "pjsua version 2.12 loaded, but libsiplinepj was compiled"
                + " against 2.17; rebuild the shim against the installed pjproject");
  }

  @Test
  void aShimMatchingItsPjprojectIsAvailableAndHandedOut() {
    Shim shim = shimReporting("2.17", "2.17");
    ShimLoader loader = new ShimLoader("siplinepj", name -> shim);

    assertThat(loader.availability().available()).isTrue();
    assertThat(loader.shim()).isSameAs(shim);
  }

  /** A stand-in for the native library that answers only the two version questions. */
  private static Shim shimReporting(String compiled, String runtime) {
    return (Shim)
        Proxy.newProxyInstance(
            Shim.class.getClassLoader(),
            new Class<?>[] {Shim.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "slpj_compiled_version" -> compiled;
                  case "slpj_runtime_version" -> runtime;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  @Test
  void theReasonIsWorkedOutOnceAndKept() {
    ShimLoader loader = new ShimLoader("sipline-no-such-shim");

    assertThat(loader.availability()).isSameAs(loader.availability());
  }

  @Test
  void askingForTheShimOfAnUnavailableLibraryFailsWithTheReason() {
    ShimLoader loader = new ShimLoader("sipline-no-such-shim");

    assertThatThrownBy(loader::shim)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("pjsip backend unavailable: libsipline-no-such-shim.so not found");
  }
}

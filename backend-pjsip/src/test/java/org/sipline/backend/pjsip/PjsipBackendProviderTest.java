package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.BackendOption;
import org.sipline.core.spi.SipBackendProvider;

class PjsipBackendProviderTest {
  @Test
  void isFoundByServiceLoaderUnderItsName() {
    assertThat(
            ServiceLoader.load(SipBackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .map(SipBackendProvider::name))
        .contains("pjsip");
  }

  @Test
  void ranksBelowJainsip() {
    assertThat(new PjsipBackendProvider().priority()).isEqualTo(50);
  }

  @Test
  void withoutTheShimItIsUnavailableAndCreateSaysWhy() {
    PjsipBackendProvider provider =
        new PjsipBackendProvider(new ShimLoader("sipline-no-such-shim"));

    assertThat(provider.availability().available()).isFalse();
    assertThatThrownBy(() -> provider.create(BackendConfig.loopback().build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("libsipline-no-such-shim.so not found");
  }

  @Test
  void declaresItsOptionsUnderTheNamesJainsipGivesTheSameSettings() {
    assertThat(new PjsipBackendProvider().options())
        .extracting(BackendOption::toString)
        .containsExactlyInAnyOrder(
            "register.expires (an integer 1..86400)",
            "trusted.sources (IP addresses (or *))",
            "log.file (a path)",
            "tls.ca (a path)",
            "tls.cert (a path)",
            "tls.key (a path)",
            "log.level (an integer 0..6)",
            "media.realtime (an integer 1..99 or off)",
            "dns.servers (text)",
            "codecs (text)");
  }

  /** pjsua once ignored names it did not know; the old pjsip.* names are now unknown too. */
  @Test
  void anUnknownOptionIsRefusedNamingItAndListingTheValidOnesBeforeTheShimLoads() {
    PjsipBackendProvider provider =
        new PjsipBackendProvider(new ShimLoader("sipline-no-such-shim"));
    BackendConfig config =
        BackendConfig.loopback().options(Map.of("pjsip.registerExpires", "60")).build();

    assertThatThrownBy(() -> provider.create(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown pjsip option 'pjsip.registerExpires'; valid: codecs (text), dns.servers"
                + " (text), log.file"
                + " (a path), log.level"
                + " (an integer 0..6), media.realtime (an integer 1..99 or off), register.expires"
                + " (an integer 1..86400), tls.ca (a path), tls.cert (a path), tls.key (a path),"
                + " trusted.sources (IP addresses (or *))");
  }

  @Test
  void aMalformedOptionIsRefusedNamingIt() {
    PjsipBackendProvider provider =
        new PjsipBackendProvider(new ShimLoader("sipline-no-such-shim"));
    BackendConfig config = BackendConfig.loopback().options(Map.of("log.level", "9")).build();

    assertThatThrownBy(() -> provider.create(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pjsip option 'log.level': '9' is outside 0..6; want an integer 0..6");
  }

  /** A shim whose pjproject has only the codecs named (every other call is not expected). */
  private static Shim shimWith(String... codecs) {
    return (Shim)
        Proxy.newProxyInstance(
            Shim.class.getClassLoader(),
            new Class<?>[] {Shim.class},
            (proxy, method, args) -> {
              if (method.getName().equals("slpj_codec_available")) {
                return List.of(codecs).contains((String) args[0]) ? 1 : 0;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  @Test
  void codecsAreReadAsOnJainsipAndOnlyThoseThePjprojectHasAreTaken() {
    Shim g711Only = shimWith("pcmu", "pcma");
    Shim all = shimWith("opus", "g722", "pcmu", "pcma");
    // G.711 unless asked: a wideband codec puts pjsua's one bridge at 16 kHz for every call.
    assertThat(PjsipBackend.codecs(all, null)).containsExactly("pcmu", "pcma");
    assertThat(PjsipBackend.codecs(g711Only, null)).containsExactly("pcmu", "pcma");
    assertThat(PjsipBackend.codecs(all, "opus,g722,pcmu,pcma"))
        .containsExactly("opus", "g722", "pcmu", "pcma");
    assertThat(PjsipBackend.codecs(all, "PCMA, g722")).containsExactly("pcma", "g722");
    assertThatThrownBy(() -> PjsipBackend.codecs(g711Only, "opus,pcmu"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "option 'codecs': opus is not available here: the pjproject loaded was built without"
                + " opus (configure it with --with-opus, libopus-dev installed)");
    assertThatThrownBy(() -> PjsipBackend.codecs(g711Only, "g722"))
        .hasMessage(
            "option 'codecs': g722 is not available here: the pjproject loaded was built without"
                + " g722 (configure it without --disable-g722-codec)");
    assertThatThrownBy(() -> PjsipBackend.codecs(all, "pcmu,g729"))
        .hasMessage("option 'codecs': unknown codec 'g729' (valid: opus, g722, pcmu, pcma)");
  }

  @Test
  void mediaRealtimeIsAPriorityOrOffWithJainsipsDefault() {
    assertThat(PjsipBackend.mediaRealtime(null)).isEqualTo(10);
    assertThat(PjsipBackend.mediaRealtime("off")).isZero();
    assertThat(PjsipBackend.mediaRealtime("42")).isEqualTo(42);
  }
}

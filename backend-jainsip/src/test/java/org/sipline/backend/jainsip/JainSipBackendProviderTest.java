package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.sipline.core.spi.AccountSpec;
import org.sipline.core.spi.AudioSink;
import org.sipline.core.spi.AudioSource;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.BackendOption;
import org.sipline.core.spi.CallMedia;
import org.sipline.core.spi.SipAccount;
import org.sipline.core.spi.SipBackend;
import org.sipline.core.spi.SipBackendProvider;
import org.sipline.core.spi.SipEventListener;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.Transport;

class JainSipBackendProviderTest {
  @Test
  void serviceLoaderFindsItAsAlwaysAvailableJainsipWithPriority100() {
    SipBackendProvider provider =
        ServiceLoader.load(SipBackendProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.name().equals("jainsip"))
            .findFirst()
            .orElseThrow();
    assertThat(provider).isInstanceOf(JainSipBackendProvider.class);
    assertThat(provider.priority()).isEqualTo(100);
    assertThat(provider.availability().available()).isTrue();
  }

  @Test
  void createdBackendIsNamedJainsipAndCloses() {
    try (SipBackend backend =
        new JainSipBackendProvider().create(BackendConfig.loopback().build())) {
      assertThat(backend.name()).isEqualTo("jainsip");
    }
  }

  @Test
  void closedBackendRefusesNewWorkNamingIt() {
    SipBackend backend =
        new JainSipBackendProvider()
            .create(
                BackendConfig.loopback().registerTimeout(java.time.Duration.ofMillis(200)).build());
    AccountSpec spec = new AccountSpec(SipUri.of("ann", "127.0.0.1", 9), "pw", "ann", null);
    SipAccount account = backend.register(spec, new SipEventListener() {});
    backend.close();

    assertThatThrownBy(
            () ->
                account.call(
                    SipUri.of("bob", "127.0.0.1", 9),
                    Map.of(),
                    new CallMedia(AudioSource.SILENCE, AudioSink.DISCARD)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("call sip:bob@127.0.0.1:9: the jainsip backend is closed");
    assertThatThrownBy(() -> backend.register(spec, new SipEventListener() {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("register ann@127.0.0.1:9");
  }

  @Test
  void unknownOptionIsRefusedByName() {
    BackendConfig config = BackendConfig.loopback().options(Map.of("tls.keystore", "x")).build();
    assertThatThrownBy(() -> new JainSipBackendProvider().create(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "unknown jainsip option 'tls.keystore' (did you mean 'tls.keyStore'?); valid:"
                + " codecs (text), dns.servers (text), media.realtime (an integer 1..99 or off), register.expires (an integer"
                + " 1..86400), tls.ca (a path), tls.cert (a path), tls.key (a path), tls.keyStore"
                + " (a path), ");
  }

  @Test
  void declaresEveryOptionItReadsWithItsKindAndRange() {
    assertThat(new JainSipBackendProvider().options())
        .extracting(BackendOption::toString)
        .containsExactlyInAnyOrder(
            "register.expires (an integer 1..86400)",
            "trusted.sources (IP addresses (or *))",
            "tls.port (an integer 0..65535)",
            "tls.ca (a path)",
            "tls.cert (a path)",
            "tls.key (a path)",
            "tls.keyStore (a path)",
            "tls.keyStorePassword (text)",
            "tls.keyStoreType (text)",
            "tls.trustStore (a path)",
            "tls.trustStorePassword (text)",
            "tls.trustStoreType (text)",
            "media.realtime (an integer 1..99 or off)",
            "dns.servers (text)",
            "codecs (text)");
  }

  @Test
  void aNameServerThatIsNoNumericAddressIsRefusedByName() {
    BackendConfig config =
        BackendConfig.loopback()
            .options(Map.of("dns.servers", "127.0.0.1:5353,ns.example"))
            .build();
    assertThatThrownBy(() -> new JainSipBackendProvider().create(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "option 'dns.servers': name server 'ns.example': 'ns.example' is not a numeric IPv4"
                + " or IPv6 address");
  }

  @Test
  void aHostNameInTrustedSourcesIsRefusedBeforeAnythingStarts() {
    BackendConfig config =
        BackendConfig.loopback().options(Map.of("trusted.sources", "kamailio.local")).build();
    assertThatThrownBy(() -> new JainSipBackendProvider().create(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jainsip option 'trusted.sources': 'kamailio.local' holds");
  }

  @Test
  void tlsTransportWithoutKeyStoreIsRefused() {
    BackendConfig config = BackendConfig.loopback().transport(Transport.TLS).build();
    assertThatThrownBy(() -> new JainSipBackendProvider().create(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tls.keyStore");
  }

  @Test
  void badRegisterExpiresIsRefusedWithItsValue() {
    BackendConfig config =
        BackendConfig.loopback().options(Map.of("register.expires", "ten")).build();
    assertThatThrownBy(() -> new JainSipBackendProvider().create(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("register.expires")
        .hasMessageContaining("'ten'");
  }
}

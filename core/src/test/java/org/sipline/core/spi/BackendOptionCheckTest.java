package org.sipline.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendOptionCheckTest {
  private static final List<BackendOption> DECLARED =
      List.of(
          BackendOption.integer("register.expires", 1, 86_400, "REGISTER's Expires"),
          BackendOption.integerOr("media.realtime", 1, 99, Set.of("off"), "pacer priority"),
          BackendOption.addresses("trusted.sources", "who may call"),
          BackendOption.path("tls.keyStore", "our certificate"),
          BackendOption.text("tls.keyStorePassword", "its password"));

  private static void check(Map<String, String> options) {
    BackendOptionCheck.check("demo", DECLARED, options);
  }

  @Test
  void declaredOptionsWithGoodValuesPass() {
    assertThatCode(
            () ->
                check(
                    Map.of(
                        "register.expires", " 3600 ",
                        "media.realtime", "OFF",
                        "trusted.sources", "127.0.0.2; [::1],10.0.0.1 *",
                        "tls.keyStore", "/etc/key.p12",
                        "tls.keyStorePassword", "")))
        .doesNotThrowAnyException();
    assertThatCode(() -> check(Map.of())).doesNotThrowAnyException();
  }

  @Test
  void anUnknownNameIsRefusedNamingItAndListingTheValidOnes() {
    assertThatThrownBy(() -> check(Map.of("pjsip.registerExpires", "300")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown demo option 'pjsip.registerExpires'; valid: media.realtime (an integer"
                + " 1..99 or off), register.expires (an integer 1..86400), tls.keyStore (a path),"
                + " tls.keyStorePassword (text), trusted.sources (IP addresses (or *))");
  }

  @Test
  void aNameInTheWrongCaseGetsAHint() {
    assertThatThrownBy(() -> check(Map.of("tls.keystore", "/k")))
        .hasMessageStartingWith(
            "unknown demo option 'tls.keystore' (did you mean 'tls.keyStore'?)");
  }

  @Test
  void aBackendWithoutOptionsSaysSo() {
    assertThatThrownBy(() -> BackendOptionCheck.check("bare", List.of(), Map.of("x", "1")))
        .hasMessage("unknown bare option 'x'; bare takes no options");
  }

  @Test
  void malformedValuesAreRefusedNamingTheOptionAndWhatItWants() {
    assertThatThrownBy(() -> check(Map.of("register.expires", "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "demo option 'register.expires': 'soon' is not an integer; want an integer 1..86400");
    assertThatThrownBy(() -> check(Map.of("register.expires", "0")))
        .hasMessage(
            "demo option 'register.expires': '0' is outside 1..86400; want an integer"
                + " 1..86400");
    assertThatThrownBy(() -> check(Map.of("register.expires", "86401")))
        .hasMessageContaining("is outside 1..86400");
    assertThatThrownBy(() -> check(Map.of("media.realtime", "on")))
        .hasMessage(
            "demo option 'media.realtime': 'on' is not an integer; want an integer 1..99 or off");
    assertThatThrownBy(() -> check(Map.of("tls.keyStore", "  ")))
        .hasMessage("demo option 'tls.keyStore': '  ' is empty; want a path");
  }

  @Test
  void addressesMustBeIpLiteralsNotNames() {
    assertThatThrownBy(() -> check(Map.of("trusted.sources", "127.0.0.1,registrar.example")))
        .hasMessage(
            "demo option 'trusted.sources': '127.0.0.1,registrar.example' holds"
                + " 'registrar.example', which is not an IP address (host names are not"
                + " resolved); want IP addresses (or *)");
    assertThatThrownBy(() -> check(Map.of("trusted.sources", "256.1.1.1")))
        .hasMessageContaining("holds '256.1.1.1'");
    assertThatThrownBy(() -> check(Map.of("trusted.sources", "10.1.1")))
        .hasMessageContaining("holds '10.1.1'");
    assertThatThrownBy(() -> check(Map.of("trusted.sources", " ; ")))
        .hasMessageContaining("is empty");
    assertThatCode(() -> check(Map.of("trusted.sources", "fe80::1,[2001:db8::2]")))
        .doesNotThrowAnyException();
  }

  @Test
  void aDeclarationListingANameTwiceIsTheBackendsBug() {
    List<BackendOption> twice =
        List.of(BackendOption.text("a.b", "one"), BackendOption.text("a.b", "two"));
    assertThatThrownBy(() -> BackendOptionCheck.check("dup", twice, Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("dup declares option 'a.b' twice");
  }

  @Test
  void declarationsAreCheckedWhenMade() {
    assertThatThrownBy(() -> BackendOption.text("Register Expires", "x"))
        .hasMessageContaining("is not dotted words");
    assertThatThrownBy(() -> BackendOption.integer("a.b", 5, 1, "x"))
        .hasMessage("option a.b: range 5..1");
    assertThatThrownBy(() -> new BackendOption("a.b", BackendOption.Kind.TEXT, 1, 2, Set.of(), "x"))
        .hasMessage("option a.b: only an INTEGER option has a range or words");
    assertThatThrownBy(
            () -> new BackendOption("a.b", BackendOption.Kind.PATH, 0, 0, Set.of("w"), "x"))
        .hasMessage("option a.b: only an INTEGER option has a range or words");
    BackendOption o = BackendOption.integer("a.b", 1, 2, "x");
    assertThat(o.words()).isEmpty();
    assertThat(o).hasToString("a.b (an integer 1..2)");
    assertThat(new BackendOption("c.d", BackendOption.Kind.TEXT, 0, 0, null, "y").words())
        .isEmpty();
  }
}

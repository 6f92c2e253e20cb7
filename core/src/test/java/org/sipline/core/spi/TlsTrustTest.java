package org.sipline.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTrustTest {
  @TempDir Path dir;

  @Test
  void readsEveryCertificateOfAPemBundleInOrder() throws Exception {
    String first = Files.readString(certificate("first"), StandardCharsets.US_ASCII);
    String second = Files.readString(certificate("second"), StandardCharsets.US_ASCII);
    Path bundle = dir.resolve("bundle.pem");
    Files.writeString(bundle, first + second, StandardCharsets.US_ASCII);

    assertThat(TlsTrust.read(bundle))
        .extracting(c -> c.getSubjectX500Principal().getName())
        .containsExactly("CN=first", "CN=second");
  }

  @Test
  void declaresAPathOptionUnderTheSharedName() {
    assertThat(TlsTrust.DECLARATION.name()).isEqualTo("tls.ca");
    assertThat(TlsTrust.DECLARATION.kind()).isEqualTo(BackendOption.Kind.PATH);
  }

  @Test
  void emptyFileIsRefusedNamingOptionAndFile() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> TlsTrust.read(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tls.ca")
        .hasMessageContaining(empty.toString())
        .hasMessageContaining("holds no certificate");
  }

  @Test
  void somethingElseIsRefusedAsNotCertificates() throws Exception {
    Path key =
        Files.writeString(
            dir.resolve("key.pem"),
            "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> TlsTrust.read(key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tls.ca")
        .hasMessageContaining("is not a PEM file of certificates");
  }

  @Test
  void missingFileIsRefusedAsUnreadable() {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> TlsTrust.read(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tls.ca")
        .hasMessageContaining("cannot read " + missing);
  }

  /** A self-signed certificate for CN={@code name} as PEM, made by the JDK's keytool. */
  private Path certificate(String name) throws Exception {
    Path pem = dir.resolve(name + ".pem");
    Keytool.selfSigned(
        dir.resolve(name + ".p12"), pem, name, "-keyalg", "EC", "-groupname", "secp256r1");
    return pem;
  }
}

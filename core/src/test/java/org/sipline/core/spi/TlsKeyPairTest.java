package org.sipline.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlsKeyPairTest {
  // keytool takes seconds per key under load: every pair is made once for the class.
  @TempDir static Path dir;
  private static final Map<String, Pair> PAIRS = new ConcurrentHashMap<>();

  @ParameterizedTest
  @ValueSource(strings = {"EC", "RSA", "Ed25519"})
  void readsACertificateAndItsKey(String algorithm) throws Exception {
    Pair pair = pair("ours", algorithm);

    TlsKeyPair read = TlsKeyPair.read(pair.cert, pair.key);

    assertThat(read.chain()).hasSize(1);
    assertThat(read.chain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=ours");
    assertThat(read.key().getAlgorithm())
        .isEqualTo(read.chain().get(0).getPublicKey().getAlgorithm());
    assertThat(read.certificateFile()).isEqualTo(pair.cert);
    assertThat(read.keyFile()).isEqualTo(pair.key);
    assertThat(read.toString()).contains("CN=ours", pair.cert.toString()).doesNotContain("BEGIN");
  }

  @Test
  void aChainKeepsItsOrderAndABundleWithTheKeyInsideIsRead() throws Exception {
    Pair ours = pair("leaf", "EC");
    Pair other = pair("intermediate", "EC");
    Path bundle = dir.resolve("bundle.pem");
    Files.writeString(
        bundle,
        Files.readString(ours.key) + Files.readString(ours.cert) + Files.readString(other.cert));

    TlsKeyPair read = TlsKeyPair.read(bundle, bundle);

    assertThat(read.chain())
        .extracting(c -> c.getSubjectX500Principal().getName())
        .containsExactly("CN=leaf", "CN=intermediate");
  }

  @Test
  void keyOfAnotherCertificateIsRefusedNamingBothFiles() throws Exception {
    Pair ours = pair("ours", "EC");
    Pair theirs = pair("theirs", "EC");
    assertThatThrownBy(() -> TlsKeyPair.read(ours.cert, theirs.key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "option 'tls.key': "
                + theirs.key
                + " is not the private key of the certificate in "
                + ours.cert);
  }

  @Test
  void keyOfAnotherTypeIsRefused() throws Exception {
    Pair ec = pair("ec", "EC");
    Pair rsa = pair("rsa", "RSA");
    assertThatThrownBy(() -> TlsKeyPair.read(ec.cert, rsa.key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("option 'tls.key': " + rsa.key + " is not a EC private key");
  }

  @Test
  void missingFilesAreRefusedNamingOptionAndFile() throws Exception {
    Pair ours = pair("ours", "EC");
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> TlsKeyPair.read(missing, ours.key))
        .hasMessage("option 'tls.cert': " + missing + " does not exist");
    assertThatThrownBy(() -> TlsKeyPair.read(ours.cert, missing))
        .hasMessage("option 'tls.key': " + missing + " does not exist");
  }

  @Test
  void unreadableAndDirectoryFilesAreRefused() throws Exception {
    Pair ours = pair("ours", "EC");
    assertThatThrownBy(() -> TlsKeyPair.read(dir, ours.key))
        .hasMessageStartingWith("option 'tls.cert': " + dir + " cannot be read");
    Path locked = Files.copy(ours.key, dir.resolve("locked.key"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    // root reads anything: only where permissions bind is the refusal to be seen.
    if (!Files.isReadable(locked)) {
      assertThatThrownBy(() -> TlsKeyPair.read(ours.cert, locked))
          .hasMessage("option 'tls.key': " + locked + " cannot be read: permission denied");
    }
  }

  @Test
  void notPemIsRefusedSayingWhatWasExpected() throws Exception {
    Pair ours = pair("ours", "EC");
    Path der = Files.write(dir.resolve("cert.der"), new byte[] {0x30, (byte) 0x82, 1, 2});
    assertThatThrownBy(() -> TlsKeyPair.read(der, ours.key))
        .hasMessage("option 'tls.cert': " + der + " holds no PEM certificate (BEGIN CERTIFICATE)");
    assertThatThrownBy(() -> TlsKeyPair.read(ours.cert, ours.cert))
        .hasMessage(
            "option 'tls.key': " + ours.cert + " holds no PEM private key (BEGIN PRIVATE KEY)");
  }

  @Test
  void brokenBlocksAreRefused() throws Exception {
    Pair ours = pair("ours", "EC");
    Path badBase64 = pem("bad64.pem", "CERTIFICATE", "not*base64");
    assertThatThrownBy(() -> TlsKeyPair.read(badBase64, ours.key))
        .hasMessageStartingWith(
            "option 'tls.cert': " + badBase64 + " holds a CERTIFICATE that is not Base64");
    Path notACertificate = pem("junk.pem", "CERTIFICATE", "bm90IGEgY2VydGlmaWNhdGU=");
    assertThatThrownBy(() -> TlsKeyPair.read(notACertificate, ours.key))
        .hasMessageStartingWith(
            "option 'tls.cert': " + notACertificate + " holds a broken certificate");
    Path notAKey = pem("junk.key", "PRIVATE KEY", "bm90IGEga2V5");
    assertThatThrownBy(() -> TlsKeyPair.read(ours.cert, notAKey))
        .hasMessageStartingWith("option 'tls.key': " + notAKey + " is not a EC private key");
  }

  @ParameterizedTest
  @ValueSource(strings = {"RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY"})
  void otherKeyFormatsAreRefusedWithTheConversion(String kind) throws Exception {
    Pair ours = pair("ours", "EC");
    Path key = pem("other.key", kind, "AAAA");
    assertThatThrownBy(() -> TlsKeyPair.read(ours.cert, key))
        .hasMessage(
            "option 'tls.key': "
                + key
                + " holds a "
                + kind
                + ", not an unencrypted PKCS#8 PRIVATE KEY; convert it with 'openssl pkcs8"
                + " -topk8 -nocrypt -in "
                + key
                + "'");
  }

  @Test
  void theOptionsGiveBothOrNeither() throws Exception {
    Pair ours = pair("ours", "EC");
    assertThat(TlsKeyPair.fromOptions(Map.of())).isEmpty();
    assertThat(
            TlsKeyPair.fromOptions(
                    Map.of("tls.cert", ours.cert.toString(), "tls.key", ours.key.toString()))
                .orElseThrow()
                .chain())
        .hasSize(1);
    assertThatThrownBy(() -> TlsKeyPair.fromOptions(Map.of("tls.cert", ours.cert.toString())))
        .hasMessage("option 'tls.cert' needs 'tls.key' as well (a certificate and its key)");
    assertThatThrownBy(() -> TlsKeyPair.fromOptions(Map.of("tls.key", ours.key.toString())))
        .hasMessage("option 'tls.key' needs 'tls.cert' as well (a certificate and its key)");
  }

  @Test
  void declaresPathOptionsUnderTheSharedNames() {
    assertThat(TlsKeyPair.CERT_DECLARATION.name()).isEqualTo("tls.cert");
    assertThat(TlsKeyPair.KEY_DECLARATION.name()).isEqualTo("tls.key");
    assertThat(TlsKeyPair.CERT_DECLARATION.kind()).isEqualTo(BackendOption.Kind.PATH);
    assertThat(TlsKeyPair.KEY_DECLARATION.kind()).isEqualTo(BackendOption.Kind.PATH);
  }

  private record Pair(Path cert, Path key) {}

  private static Path pem(String name, String kind, String body) throws Exception {
    return Files.writeString(
        dir.resolve(name),
        "-----BEGIN " + kind + "-----\n" + body + "\n-----END " + kind + "-----\n",
        StandardCharsets.US_ASCII);
  }

  /** A self-signed certificate and its PKCS#8 key as PEM files, made once by the JDK's keytool. */
  private static Pair pair(String name, String algorithm) throws Exception {
    Pair made = PAIRS.get(name + "/" + algorithm);
    if (made == null) {
      made = make(name, algorithm);
      PAIRS.put(name + "/" + algorithm, made);
    }
    return made;
  }

  private static Pair make(String name, String algorithm) throws Exception {
    Path store = dir.resolve(name + "-" + algorithm + ".p12");
    Path cert = dir.resolve(name + "-" + algorithm + ".pem");
    Keytool.selfSigned(store, cert, name, "-keyalg", algorithm);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, "password".toCharArray());
    }
    PrivateKey key = (PrivateKey) keys.getKey(name, "password".toCharArray());
    Path keyFile =
        pem(
            name + "-" + algorithm + ".key",
            "PRIVATE KEY",
            Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded()));
    return new Pair(cert, keyFile);
  }
}

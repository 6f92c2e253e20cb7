package org.sipline.core.spi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our own SIP-over-TLS certificate and its private key, from the PEM files the {@value
 * #CERT_OPTION} and {@value #KEY_OPTION} backend options name (the server's {@code --sip-tls-cert}
 * and {@code --sip-tls-key}): what a backend's TLS listener presents to a peer that connects to it
 * (an incoming call, a far end's BYE over a new connection). One name and one file format for every
 * backend: pjsip hands the files to OpenSSL, jainsip builds a key store from what this reads.
 *
 * <p>Both files are read and checked here, before a backend starts, so that a bad file stops the
 * start naming the file and what is wrong with it rather than failing a peer's handshake later. The
 * key must be an unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}, what {@code openssl req -nodes}
 * and {@code openssl genpkey} write); the other PEM key kinds are refused with the command that
 * converts them, because not every backend reads them.
 */
public final class TlsKeyPair {
  /** The backend option naming our certificate's PEM file (leaf first, then any intermediates). */
  public static final String CERT_OPTION = "tls.cert";

  /** The backend option naming the PEM file of that certificate's private key. */
  public static final String KEY_OPTION = "tls.key";

  /** How every backend declares {@value #CERT_OPTION}. */
  public static final BackendOption CERT_DECLARATION =
      BackendOption.path(
          CERT_OPTION,
          "PEM file of the certificate our TLS listener presents (leaf first); needs tls.key");

  /** How every backend declares {@value #KEY_OPTION}. */
  public static final BackendOption KEY_DECLARATION =
      BackendOption.path(
          KEY_OPTION, "PEM file (unencrypted PKCS#8) of that certificate's private key");

  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final Path certificateFile;
  private final Path keyFile;
  private final List<X509Certificate> chain;
  private final PrivateKey key;

  private TlsKeyPair(
      Path certificateFile, Path keyFile, List<X509Certificate> chain, PrivateKey key) {
    this.certificateFile = certificateFile;
    this.keyFile = keyFile;
    this.chain = chain;
    this.key = key;
  }

  /**
   * The pair the options name, if they name one.
   *
   * @param options a backend's options
   * @return the pair read and checked, or empty when neither option is given
   * @throws IllegalArgumentException when only one of the two is given, or as {@link #read}
   */
  public static Optional<TlsKeyPair> fromOptions(Map<String, String> options) {
    String cert = options.get(CERT_OPTION);
    String key = options.get(KEY_OPTION);
    if (cert == null && key == null) {
      return Optional.empty();
    }
    if (cert == null || key == null) {
      String given = cert == null ? KEY_OPTION : CERT_OPTION;
      String missing = cert == null ? CERT_OPTION : KEY_OPTION;
      throw new IllegalArgumentException(
          "option '" + given + "' needs '" + missing + "' as well (a certificate and its key)");
    }
    return Optional.of(read(Path.of(cert), Path.of(key)));
  }

  /**
   * Reads a certificate and its private key and checks that they belong together.
   *
   * @param certificateFile PEM certificates, our own first
   * @param keyFile the unencrypted PKCS#8 PEM private key of the first certificate
   * @return the pair
   * @throws IllegalArgumentException naming the option and the file when a file cannot be read, is
   *     not PEM of the expected kind, holds an unsupported or broken key, or when the key is not
   *     the certificate's
   */
  public static TlsKeyPair read(Path certificateFile, Path keyFile) {
    List<X509Certificate> chain = certificates(certificateFile);
    PrivateKey key = privateKey(keyFile, chain.get(0).getPublicKey());
    requireMatch(certificateFile, keyFile, chain.get(0).getPublicKey(), key);
    return new TlsKeyPair(certificateFile, keyFile, chain, key);
  }

  /**
   * The certificate file, as given.
   *
   * @return the path of the certificate's PEM file
   */
  public Path certificateFile() {
    return certificateFile;
  }

  /**
   * The key file, as given.
   *
   * @return the path of the private key's PEM file
   */
  public Path keyFile() {
    return keyFile;
  }

  /**
   * The certificates of the certificate file, in file order (ours first).
   *
   * @return at least one certificate
   */
  public List<X509Certificate> chain() {
    return chain;
  }

  /**
   * The private key of the first certificate.
   *
   * @return the key
   */
  public PrivateKey key() {
    return key;
  }

  /**
   * Names the files and the certificate, never the key.
   *
   * @return the certificate's subject and both file names
   */
  @Override
  public String toString() {
    return "TlsKeyPair["
        + chain.get(0).getSubjectX500Principal().getName()
        + " from "
        + certificateFile
        + ", key "
        + keyFile
        + "]";
  }

  private static List<X509Certificate> certificates(Path file) {
    String text = readPem(CERT_OPTION, file);
    List<X509Certificate> found = new ArrayList<>();
    Matcher m = PEM_BLOCK.matcher(text);
    while (m.find()) {
      if (!m.group(1).equals("CERTIFICATE")) {
        continue; // a bundle may carry the key or parameters too: only certificates count
      }
      try {
        Certificate c =
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(base64(CERT_OPTION, file, m)));
        found.add((X509Certificate) c);
      } catch (CertificateException e) {
        throw refused(CERT_OPTION, file, "holds a broken certificate: " + e.getMessage(), e);
      }
    }
    if (found.isEmpty()) {
      throw refused(CERT_OPTION, file, "holds no PEM certificate (BEGIN CERTIFICATE)", null);
    }
    return List.copyOf(found);
  }

  private static PrivateKey privateKey(Path file, PublicKey certified) {
    String text = readPem(KEY_OPTION, file);
    Matcher m = PEM_BLOCK.matcher(text);
    while (m.find()) {
      String kind = m.group(1);
      switch (kind) {
        case "PRIVATE KEY" -> {
          return pkcs8(file, base64(KEY_OPTION, file, m), certified.getAlgorithm());
        }
        case "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY" ->
            throw refused(
                KEY_OPTION,
                file,
                "holds a "
                    + kind
                    + ", not an unencrypted PKCS#8 PRIVATE KEY; convert it with 'openssl pkcs8"
                    + " -topk8 -nocrypt -in "
                    + file
                    + "'",
                null);
        default -> {
          // EC PARAMETERS and the like may come before the key: look further
        }
      }
    }
    throw refused(KEY_OPTION, file, "holds no PEM private key (BEGIN PRIVATE KEY)", null);
  }

  private static PrivateKey pkcs8(Path file, byte[] der, String algorithm) {
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw refused(
          KEY_OPTION,
          file,
          "is not a "
              + algorithm
              + " private key (the certificate's key type) or is broken: "
              + e.getMessage(),
          e);
    }
  }

  /** Signs with the key and verifies with the certificate's public key: the only sure check. */
  private static void requireMatch(
      Path certFile, Path keyFile, PublicKey certified, PrivateKey key) {
    String algorithm =
        switch (certified.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> certified.getAlgorithm(); // Ed25519, Ed448: the key type names its signature
        };
    byte[] probe = "sipline TLS key check".getBytes(StandardCharsets.US_ASCII);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      signer.initVerify(certified);
      signer.update(probe);
      matches = signer.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw refused(
          KEY_OPTION, keyFile, "is not the private key of the certificate in " + certFile, null);
    }
  }

  private static String readPem(String option, Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw refused(option, file, "does not exist", e);
    } catch (AccessDeniedException e) {
      throw refused(option, file, "cannot be read: permission denied", e);
    } catch (IOException e) {
      throw refused(option, file, "cannot be read: " + e.getMessage(), e);
    }
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static byte[] base64(String option, Path file, Matcher block) {
    try {
      return Base64.getDecoder().decode(WHITESPACE.matcher(block.group(2)).replaceAll(""));
    } catch (IllegalArgumentException e) {
      throw refused(
          option, file, "holds a " + block.group(1) + " that is not Base64: " + e.getMessage(), e);
    }
  }

  private static IllegalArgumentException refused(
      String option, Path file, String why, Exception cause) {
    return new IllegalArgumentException("option '" + option + "': " + file + " " + why, cause);
  }
}

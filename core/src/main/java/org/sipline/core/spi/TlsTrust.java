package org.sipline.core.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which certificate authorities a SIP-over-TLS peer's certificate must chain to: the PEM file the
 * {@value #OPTION} backend option names (the server's {@code --sip-tls-ca}), else the system's
 * (each backend's default trust store). One name and one file format for every backend, so that
 * pjsip's OpenSSL and jainsip's JDK check against the same anchors.
 *
 * <p>Every backend verifies the peer's host name too (RFC 5922: the registrar or proxy host the
 * request is sent to, as a DNS name or, for a literal address, an IP subject alternative name).
 */
public final class TlsTrust {
  /** The backend option every backend reads the CA file from. */
  public static final String OPTION = "tls.ca";

  /** How every backend declares it. */
  public static final BackendOption DECLARATION =
      BackendOption.path(
          OPTION,
          "PEM file of the CAs a TLS peer's certificate must chain to; the system's by default");

  private TlsTrust() {}

  /**
   * The CA certificates in {@code pem}, in file order.
   *
   * @param pem a file of PEM (or DER) X.509 certificates
   * @return its certificates, at least one
   * @throws IllegalArgumentException naming the option and the file when it cannot be read, holds
   *     something other than PEM/DER certificates, or holds none
   */
  public static List<X509Certificate> read(Path pem) {
    Collection<? extends Certificate> found;
    try (InputStream in = Files.newInputStream(pem)) {
      found = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "option '" + OPTION + "': cannot read " + pem + ": " + e.getMessage(), e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "option '"
              + OPTION
              + "': "
              + pem
              + " is not a PEM file of certificates: "
              + e.getMessage(),
          e);
    }
    List<X509Certificate> certificates = new ArrayList<>();
    for (Certificate c : found) {
      certificates.add((X509Certificate) c);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(
          "option '" + OPTION + "': " + pem + " holds no certificate");
    }
    return List.copyOf(certificates);
  }
}

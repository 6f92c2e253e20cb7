package org.sipline.backend.jainsip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.sipline.core.spi.TlsTrust;

/**
 * The {@link SSLContext} of one backend's SIP-over-TLS: our certificate from the PEM pair ({@code
 * tls.cert}/{@code tls.key}) or the key store, peers checked by {@link PeerCertificateCheck}
 * against the CAs of {@code tls.ca} (or {@code tls.trustStore}, or the JDK's own trust store).
 * Built once per backend, never the JVM's default.
 */
final class SipTlsContext {
  private SipTlsContext() {}

  static SSLContext build(BackendOptions.Tls tls) {
    try {
      KeyStore keys;
      char[] password;
      if (tls.keyPair() != null) {
        // The PEM pair as a key store in memory: what the JDK's key manager takes. Its password
        // protects nothing (the store never leaves this object) but the JDK requires one.
        password = new char[0];
        keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
            "sip",
            tls.keyPair().key(),
            password,
            tls.keyPair().chain().toArray(new X509Certificate[0]));
      } else {
        password = tls.keyStorePassword().toCharArray();
        keys = KeyStore.getInstance(tls.keyStoreType());
        try (InputStream in = Files.newInputStream(tls.keyStore())) {
          keys.load(in, password);
        }
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), new TrustManager[] {trustManager(tls)}, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot set up TLS from " + tls + ": " + e.getMessage(), e);
    }
  }

  private static PeerCertificateCheck trustManager(BackendOptions.Tls tls)
      throws IOException, GeneralSecurityException {
    KeyStore anchors;
    String described;
    if (tls.ca() != null) {
      anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      List<X509Certificate> cas = TlsTrust.read(tls.ca());
      for (int i = 0; i < cas.size(); i++) {
        anchors.setCertificateEntry("ca-" + i, cas.get(i));
      }
      described = "the CAs in " + tls.ca();
    } else if (tls.trustStore() != null) {
      anchors = KeyStore.getInstance(tls.trustStoreType());
      try (InputStream in = Files.newInputStream(tls.trustStore())) {
        anchors.load(in, tls.trustStorePassword().toCharArray());
      }
      described = "the CAs in " + tls.trustStore();
    } else {
      anchors = null; // the JDK's cacerts
      described = "the JDK's trusted CAs";
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(anchors);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager pkix) {
        return new PeerCertificateCheck(pkix, described);
      }
    }
    throw new GeneralSecurityException("the JDK offers no X.509 trust manager");
  }
}

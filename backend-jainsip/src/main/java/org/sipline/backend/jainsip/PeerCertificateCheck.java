package org.sipline.backend.jainsip;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a SIP-over-TLS peer's certificate as the JDK's PKIX trust manager does — dates, chain to a
 * trusted CA, and (the socket asking for HTTPS-style endpoint identification, as {@link
 * TlsNetworkLayer}'s do) the host name — but in that order, one at a time, so that a refusal says
 * which check failed in words a SIP engineer reads in a registration status: "certificate of CN=pbx
 * expired on …", "… is self-signed and not trusted …", "… is for wrong.example, not 127.0.0.1". The
 * JDK's own messages ("PKIX path building failed: …") name none of that.
 *
 * <p>The message of the {@link CertificateException} thrown becomes the message of the handshake's
 * {@code SSLHandshakeException}, which {@link TlsFailure} finds in whatever the stack wraps it in.
 */
final class PeerCertificateCheck extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager pkix;
  private final String anchors;

  /**
   * @param pkix the JDK's trust manager over the trusted CAs
   * @param anchors what those CAs are, for messages ("the CAs in /etc/sip/ca.pem")
   */
  PeerCertificateCheck(X509ExtendedTrustManager pkix, String anchors) {
    this.pkix = pkix;
    this.anchors = anchors;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkWithHost(
        chain,
        authType,
        () -> pkix.checkServerTrusted(chain, authType, socket),
        () -> peerHost(socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkWithHost(
        chain,
        authType,
        () -> pkix.checkServerTrusted(chain, authType, engine),
        () -> engine == null ? null : engine.getPeerHost());
  }

  /** One of the JDK's checks that also verify the host name (by socket or by engine). */
  private interface PkixWithHost {
    void check() throws CertificateException;
  }

  /**
   * Dates and CA first ({@link #checkChain}), so that what is left to fail in the JDK's full check
   * is the host name, which the refusal then names against {@code host}.
   */
  private void checkWithHost(
      X509Certificate[] chain, String authType, PkixWithHost pkixWithHost, Supplier<String> host)
      throws CertificateException {
    checkChain(chain, authType);
    try {
      pkixWithHost.check();
    } catch (CertificateException e) {
      throw wrongHost(chain[0], host.get(), e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    checkChain(chain, authType);
  }

  /** Dates first (a CA-signed certificate past its end is "expired", not "untrusted"), then CA. */
  private void checkChain(X509Certificate[] chain, String authType) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the peer sent no certificate");
    }
    X509Certificate leaf = chain[0];
    try {
      leaf.checkValidity();
    } catch (CertificateExpiredException e) {
      throw new CertificateExpiredException(
          "certificate of " + subject(leaf) + " expired on " + leaf.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw new CertificateNotYetValidException(
          "certificate of "
              + subject(leaf)
              + " is not valid before "
              + leaf.getNotBefore().toInstant());
    }
    try {
      pkix.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      String reason =
          leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())
              ? " is self-signed and not among "
              : " (issued by " + leaf.getIssuerX500Principal().getName() + ") does not chain to ";
      // The JDK's own words ("PKIX path building failed: …") stay in the cause, for the log.
      throw new CertificateException("certificate of " + subject(leaf) + reason + anchors, e);
    }
  }

  private static CertificateException wrongHost(
      X509Certificate leaf, String host, CertificateException cause) {
    return new CertificateException(
        "certificate of "
            + subject(leaf)
            + " is for "
            + String.join(", ", names(leaf))
            + ", not "
            + (host == null ? "the host dialled" : host),
        cause);
  }

  private static String peerHost(Socket socket) {
    if (socket instanceof SSLSocket ssl) {
      SSLSession session = ssl.getHandshakeSession();
      if (session != null) {
        return session.getPeerHost();
      }
    }
    return socket == null ? null : socket.getInetAddress().getHostAddress();
  }

  private static String subject(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName();
  }

  /** The DNS names and IP addresses it is for: its subject alternative names, else "none". */
  static List<String> names(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> entry : alternatives) {
          Object type = entry.get(0);
          // 2: dNSName, 7: iPAddress (RFC 5280 §4.2.1.6); other kinds say nothing about hosts.
          if (Integer.valueOf(2).equals(type) || Integer.valueOf(7).equals(type)) {
            names.add(String.valueOf(entry.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      names.add("(unreadable names: " + e.getMessage() + ")");
    }
    if (names.isEmpty()) {
      names.add("no host name");
    }
    return names;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    pkix.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    pkix.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    pkix.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }
}

package org.sipline.testing.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates a TLS test makes at run time with Debian's {@code openssl} command, in a directory
 * of their own: a test CA and, signed by it or not, the server certificates a client must accept or
 * refuse.
 *
 * <ul>
 *   <li>{@link #server()}: signed by the CA, valid for two days, for {@code localhost} and {@code
 *       127.0.0.1} — the one a client trusting {@link #ca()} accepts;
 *   <li>{@link #expired()}: the same names and CA, but its validity ended the moment it was made;
 *   <li>{@link #selfSigned()}: the same names, signed by itself (no CA vouches for it);
 *   <li>{@link #wrongHost()}: signed by the CA, valid, but for {@code wrong.example} only.
 * </ul>
 *
 * <p>Keys are P-256 EC (fast to make, every TLS stack speaks it). {@link #close()} removes the
 * files.
 */
public final class TestCertificates implements AutoCloseable {
  /** The names a good server certificate carries: what clients dial on loopback. */
  public static final String SERVER_NAMES = "DNS:localhost,IP:127.0.0.1";

  private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(30);

  private final Path dir;
  private final Path ca;
  private final TlsIdentity server;
  private final TlsIdentity expired;
  private final TlsIdentity selfSigned;
  private final TlsIdentity wrongHost;

  private TestCertificates(
      Path dir,
      Path ca,
      TlsIdentity server,
      TlsIdentity expired,
      TlsIdentity selfSigned,
      TlsIdentity wrongHost) {
    this.dir = dir;
    this.ca = ca;
    this.server = server;
    this.expired = expired;
    this.selfSigned = selfSigned;
    this.wrongHost = wrongHost;
  }

  /**
   * Makes the CA and the four server certificates. Returns once the expired one is past its end
   * (its validity ends when it is made, to the second).
   *
   * @throws PeerException when openssl is missing or refuses a step; the message has its output
   */
  public static TestCertificates create() {
    Path openssl = Executables.find("openssl", "openssl");
    Path dir = RunDirs.create("certs");
    try {
      Openssl run = new Openssl(openssl, dir);
      run.exec(
          "req",
          "-x509",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:P-256",
          "-nodes",
          "-keyout",
          "ca.key",
          "-out",
          "ca.pem",
          "-subj",
          "/CN=sipline test CA",
          "-days",
          "2",
          "-addext",
          "basicConstraints=critical,CA:TRUE",
          "-addext",
          "keyUsage=critical,keyCertSign,cRLSign");
      // Made first: by the time the others are done its end (now, to the second) has passed.
      TlsIdentity expired = run.signed("expired", "localhost", SERVER_NAMES, 0, "expired");
      TlsIdentity server = run.signed("server", "localhost", SERVER_NAMES, 2, "valid");
      TlsIdentity wrongHost =
          run.signed("wrong-host", "wrong.example", "DNS:wrong.example", 2, "for wrong.example");
      run.exec(
          "req",
          "-x509",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:P-256",
          "-nodes",
          "-keyout",
          "self-signed.key",
          "-out",
          "self-signed.pem",
          "-subj",
          "/CN=localhost",
          "-days",
          "2",
          "-addext",
          "subjectAltName=" + SERVER_NAMES);
      TlsIdentity selfSigned =
          new TlsIdentity(
              dir.resolve("self-signed.pem"), dir.resolve("self-signed.key"), "self-signed");
      awaitExpiry(expired.certificate());
      return new TestCertificates(
          dir, dir.resolve("ca.pem"), server, expired, selfSigned, wrongHost);
    } catch (RuntimeException e) {
      RunDirs.release(dir);
      throw e;
    }
  }

  /** The test CA's certificate (PEM): the trust anchor clients are given. */
  public Path ca() {
    return ca;
  }

  public TlsIdentity server() {
    return server;
  }

  public TlsIdentity expired() {
    return expired;
  }

  public TlsIdentity selfSigned() {
    return selfSigned;
  }

  public TlsIdentity wrongHost() {
    return wrongHost;
  }

  /**
   * {@code identity}'s key and certificate as a PKCS12 key store protected by {@code password}, for
   * a Java TLS endpoint (the JDK reads OpenSSL 3's PKCS12). Made once per identity and password.
   */
  public synchronized Path keyStore(TlsIdentity identity, String password) {
    Path store =
        dir.resolve(
            identity.certificate().getFileName().toString().replace(".pem", "")
                + "-"
                + Integer.toHexString(password.hashCode())
                + ".p12");
    if (!Files.exists(store)) {
      new Openssl(Executables.find("openssl", "openssl"), dir)
          .exec(
              "pkcs12",
              "-export",
              "-in",
              identity.certificate().toString(),
              "-inkey",
              identity.privateKey().toString(),
              "-name",
              "sipline",
              "-out",
              store.toString(),
              "-passout",
              "pass:" + password);
    }
    return store;
  }

  /** The certificate at {@code pem}, parsed (the first one in the file). */
  public static X509Certificate read(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + pem, e);
    } catch (CertificateException e) {
      throw new PeerException("not a PEM certificate: " + pem, e);
    }
  }

  /** Waits (on the clock, at most a little over a second) until the certificate is past its end. */
  private static void awaitExpiry(Path pem) {
    Instant end = read(pem).getNotAfter().toInstant();
    if (!Await.until(Duration.ofSeconds(3), () -> Instant.now().isAfter(end))) {
      throw new PeerException("the expired test certificate still is valid (ends " + end + ")");
    }
  }

  @Override
  public void close() {
    RunDirs.release(dir);
  }

  @Override
  public String toString() {
    return "TestCertificates[" + dir + "]";
  }

  /** Runs openssl in the certificates' directory. */
  private record Openssl(Path binary, Path dir) {
    /** A key and a certificate for {@code cn}/{@code names}, signed by the CA. */
    TlsIdentity signed(String name, String cn, String names, int days, String description) {
      exec(
          "req",
          "-new",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:P-256",
          "-nodes",
          "-keyout",
          name + ".key",
          "-out",
          name + ".csr",
          "-subj",
          "/CN=" + cn);
      Path ext = dir.resolve(name + ".ext");
      try {
        Files.writeString(
            ext,
            "subjectAltName=" + names + "\nextendedKeyUsage=serverAuth,clientAuth\n",
            StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new UncheckedIOException("writing " + ext, e);
      }
      // -days 0: not after = not before = now, which is what "expired" needs without faking
      // the clock (OpenSSL 3.0's x509 has no way to backdate).
      exec(
          "x509",
          "-req",
          "-in",
          name + ".csr",
          "-CA",
          "ca.pem",
          "-CAkey",
          "ca.key",
          "-set_serial",
          Long.toString(System.nanoTime() & Long.MAX_VALUE),
          "-days",
          Integer.toString(days),
          "-extfile",
          ext.getFileName().toString(),
          "-out",
          name + ".pem");
      return new TlsIdentity(dir.resolve(name + ".pem"), dir.resolve(name + ".key"), description);
    }

    void exec(String... args) {
      List<String> command = new ArrayList<>();
      command.add(binary.toString());
      command.addAll(List.of(args));
      Path output = dir.resolve("openssl.out");
      Process process;
      try {
        process =
            new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
      } catch (IOException e) {
        throw new PeerException("openssl could not be started: " + String.join(" ", command), e);
      }
      try {
        if (!process.waitFor(OPENSSL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new PeerException("openssl did not finish within " + OPENSSL_TIMEOUT);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new PeerException("interrupted while openssl ran", e);
      }
      if (process.exitValue() != 0) {
        String out;
        try {
          out = Files.readString(output, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
          out = "(output unreadable: " + e + ")";
        }
        throw new PeerException(
            "openssl exited " + process.exitValue() + ": " + String.join(" ", args) + "\n" + out);
      }
    }
  }
}

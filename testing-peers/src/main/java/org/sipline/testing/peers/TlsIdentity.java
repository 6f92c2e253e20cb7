package org.sipline.testing.peers;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A certificate and its private key as PEM files, what a TLS server (Kamailio's {@code tls.so},
 * pjsip, OpenSSL in general) is configured with.
 *
 * @param certificate the PEM certificate (chain: leaf first)
 * @param privateKey the PEM private key, unencrypted
 * @param description what is special about it, for log and failure messages
 */
public record TlsIdentity(Path certificate, Path privateKey, String description) {
  public TlsIdentity {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(description, "description");
  }
}

package org.sipline.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The JDK's keytool, run by the TLS tests to make the certificates they read. */
final class Keytool {
  private static final String PASSWORD = "password";

  private Keytool() {}

  /**
   * Makes a key pair with a self-signed certificate for CN={@code alias} in the PKCS#12 file {@code
   * store} (password {@value #PASSWORD}) and writes the certificate as PEM to {@code pem}.
   *
   * @param keyOptions keytool's key options, e.g. {@code -keyalg EC -groupname secp256r1}
   */
  static void selfSigned(Path store, Path pem, String alias, String... keyOptions)
      throws Exception {
    List<String> genkeypair = new ArrayList<>(List.of(tool(), "-genkeypair", "-alias", alias));
    genkeypair.addAll(List.of(keyOptions));
    genkeypair.addAll(
        List.of(
            "-dname",
            "CN=" + alias,
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
            "-keystore",
            store.toString(),
            "-storepass",
            PASSWORD));
    run(genkeypair);
    run(
        List.of(
            tool(),
            "-exportcert",
            "-rfc",
            "-alias",
            alias,
            "-keystore",
            store.toString(),
            "-storepass",
            PASSWORD,
            "-file",
            pem.toString()));
  }

  private static String tool() {
    return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
  }

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("keytool did not finish within 30 s");
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("keytool: %s", output).isZero();
  }
}

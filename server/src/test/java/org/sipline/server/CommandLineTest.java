package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The {@code sipline} command line as a user meets it: help, bad values, exit codes. */
class CommandLineTest {
  private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:(SIPLINE_[A-Z_]+)");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void everyServerOptionHasAnEnvironmentVariableNamedInItsHelp() {
    int checked = 0;
    for (Field f : ServeOptions.class.getDeclaredFields()) {
      Option o = f.getAnnotation(Option.class);
      if (o == null) {
        continue;
      }
      Matcher m = ENV_DEFAULT.matcher(o.defaultValue());
      assertThat(m.find()).as("%s reads a SIPLINE_* variable", o.names()[0]).isTrue();
      assertThat(String.join(" ", o.description()))
          .as("help of %s names its variable", o.names()[0])
          .contains("Env: " + m.group(1));
      checked++;
    }
    assertThat(checked).isEqualTo(47);
  }

  @Test
  void helpListsTheOptionsWithTheirDefaults() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("--grpc-port=PORT", "Default: 50099", "SIPLINE_GRPC_PORT")
        .contains("--sip-port=PORT", "Default: 5060")
        .contains("--max-wav-bytes=SIZE", "Default: 32MiB")
        .contains("--[no-]reflection", "--token-file=FILE", "--tls-client-ca=PEM")
        .contains("--jwt-jwks=FILE|URL", "--jwt-issuer=ISS", "--metrics-port=PORT")
        .contains("serve", "ctl");
  }

  @Test
  void serveSubcommandHasTheSameOptions() {
    assertThat(run("serve", "--help")).isZero();
    assertThat(out.toString()).contains("--grpc-port=PORT", "--log-format=text|json");
  }

  @Test
  void unparseableValueExitsTwoNamingTheFlag() {
    assertThat(run("--grpc-port", "abc")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("sipline: Invalid value for option '--grpc-port': 'abc' is not an int")
        .contains("See 'sipline --help'.");
  }

  @Test
  void valueThatCannotWorkExitsTwoNamingTheFlag() {
    assertThat(run("serve", "--rtp-ports", "10001-20000")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            "sipline serve: --rtp-ports: 10001-20000 starts at an odd port; RTP takes even ports");
  }

  @Test
  void aRegisterRateThatPacesNothingExitsTwoNamingTheFlag() {
    assertThat(run("serve", "--register-rate", "0")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("sipline serve: --register-rate: 0.0 is not a rate above 0 and at most");
  }

  @Test
  void sipTlsCaIsTheBackendOptionTlsCa() {
    ServeOptions options = new ServeOptions();
    new CommandLine(options)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .parseArgs("--sip-tls-ca", "/etc/sip/ca.pem");
    assertThat(options.toConfig().backendOptions()).containsEntry("tls.ca", "/etc/sip/ca.pem");
  }

  @Test
  void sipTlsCaDifferentFromItsBackendOptionExitsTwoNamingBoth() {
    assertThat(run("serve", "--sip-tls-ca", "/a.pem", "--backend-option", "tls.ca=/b.pem"))
        .isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            "sipline serve: --sip-tls-ca: /a.pem differs from --backend-option tls.ca=/b.pem");
  }

  @Test
  void sipTlsCertAndKeyAreTheBackendOptionsTlsCertAndKey() {
    ServeOptions options = new ServeOptions();
    new CommandLine(options)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .parseArgs("--sip-tls-cert", "/etc/sip/cert.pem", "--sip-tls-key", "/etc/sip/key.pem");
    assertThat(options.toConfig().backendOptions())
        .containsEntry("tls.cert", "/etc/sip/cert.pem")
        .containsEntry("tls.key", "/etc/sip/key.pem");
  }

  @Test
  void sipTlsKeyDifferentFromItsBackendOptionExitsTwoNamingBoth() {
    assertThat(run("serve", "--sip-tls-key", "/a.pem", "--backend-option", "tls.key=/b.pem"))
        .isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            "sipline serve: --sip-tls-key: /a.pem differs from --backend-option tls.key=/b.pem");
  }

  @Test
  void unknownLogFormatExitsTwo() {
    assertThat(run("--log-format", "xml")).isEqualTo(2);
    assertThat(err.toString()).contains("'--log-format'", "'xml'");
  }

  @Test
  void ctlWithoutCommandIsAUsageError() {
    assertThat(run("ctl")).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: sipline ctl", "register", "watch");
  }
}

package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** --log-format and --log-level as they reach standard error. */
class LogSetupTest {
  private final PrintStream originalErr = System.err;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private String configureAndLog(LogLevel level, LogFormat format) {
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    LogSetup.configure(level, format);
    LoggerFactory.getLogger("org.sipline.test")
        .atInfo()
        .addKeyValue("account", "alice@example.org")
        .log("REGISTER {}", "200 OK");
    LoggerFactory.getLogger("org.sipline.test").debug("a detail");
    LoggerFactory.getLogger("io.grpc.test").info("library chatter");
    Logger.getLogger("io.grpc.jul").warning("a gRPC warning through java.util.logging");
    return err.toString(StandardCharsets.UTF_8);
  }

  @AfterEach
  void restore() throws Exception {
    System.setErr(originalErr);
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    new ContextInitializer(ctx).autoConfig();
  }

  @Test
  void textIsOneReadableLineWithTheFactsAsKeyValues() {
    String out = configureAndLog(LogLevel.INFO, LogFormat.TEXT);
    assertThat(out)
        .contains("INFO  test - REGISTER 200 OK account=\"alice@example.org\"")
        .doesNotContain("a detail")
        .doesNotContain("library chatter")
        .contains("a gRPC warning through java.util.logging");
  }

  @Test
  void jsonIsOneObjectPerLine() {
    String out = configureAndLog(LogLevel.DEBUG, LogFormat.JSON);
    String[] lines = out.split("\\R");
    assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("{").endsWith("}"));
    assertThat(out)
        .contains("\"formattedMessage\":\"REGISTER 200 OK\"")
        .contains("alice@example.org")
        .contains("a detail");
  }
}

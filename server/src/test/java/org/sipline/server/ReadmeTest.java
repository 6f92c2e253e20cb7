package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The README documents every flag, its variable, and every ctl command the program has. */
class ReadmeTest {
  private static final Pattern ENV = Pattern.compile("\\$\\{env:(SIPLINE_[A-Z_]+)");

  private static String readme() throws Exception {
    return Files.readString(Path.of("..", "README.md"));
  }

  @Test
  void everyServerFlagAndItsVariableAreDocumented() throws Exception {
    String readme = readme();
    for (Field f : ServeOptions.class.getDeclaredFields()) {
      Option o = f.getAnnotation(Option.class);
      if (o == null) {
        continue;
      }
      assertThat(readme).as("README documents %s", o.names()[0]).contains("`" + o.names()[0] + "`");
      Matcher env = ENV.matcher(o.defaultValue());
      assertThat(env.find()).isTrue();
      assertThat(readme).contains("`" + env.group(1) + "`");
    }
  }

  @Test
  void everyCtlCommandIsDocumented() throws Exception {
    String readme = readme();
    CommandLine ctl = Main.commandLine().getSubcommands().get("ctl");
    for (String name : ctl.getSubcommands().keySet()) {
      assertThat(readme).as("README documents ctl %s", name).contains("| `" + name);
    }
  }
}

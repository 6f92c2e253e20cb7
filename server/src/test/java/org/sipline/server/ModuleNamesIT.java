package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sipline.server.testing.SiplineProcess;

/**
 * Every jar the build makes names its module, so an embedder on the module path gets a stable name
 * (not one derived from the file name, which changes with the version) and no two jars claim the
 * same one.
 */
class ModuleNamesIT {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "api, sipline-api-, org.sipline.api",
    "core, sipline-core-, org.sipline.core",
    "testing, sipline-testing-, org.sipline.testing",
    "testing-peers, sipline-testing-peers-, org.sipline.testing.peers",
    "backend-jainsip, sipline-backend-jainsip-, org.sipline.backend.jainsip",
    "backend-pjsip, sipline-backend-pjsip-, org.sipline.backend.pjsip",
  })
  void everyLibraryJarNamesItsModule(String module, String marker, String expected)
      throws IOException {
    // failsafe runs in server/, the reactor's modules sit beside it, packaged before server.
    Path target = Path.of("").toAbsolutePath().getParent().resolve(module).resolve("target");
    Path jar;
    try (Stream<Path> files = Files.list(target)) {
      jar =
          files
              .filter(f -> f.getFileName().toString().endsWith(".jar"))
              .filter(f -> f.getFileName().toString().startsWith(marker))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no jar with " + marker + " in " + target));
    }
    assertThat(moduleName(jar)).as("%s", jar).isEqualTo(expected);
  }

  @Test
  void theServersJarNamesItsModule() throws IOException {
    assertThat(moduleName(SiplineProcess.jar())).isEqualTo("org.sipline.server");
  }

  private static String moduleName(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
    }
  }
}

package org.sipline.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Where backend-pjsip's build put libsiplinepj.so, for a {@code sipline.jar --backend pjsip} child
 * process. The shim is built only where pjproject is found ({@code SIPLINE_PJPROJECT_PREFIX});
 * where it is not (CI), the tests that need it are skipped, saying so, as backend-pjsip's own are.
 */
public final class PjsipShim {
  private PjsipShim() {}

  /**
   * The child JVM's flags that let it load the shim (JNA's library path); skips the calling test
   * when the shim was not built.
   */
  public static List<String> jvmArgs() {
    Path dir =
        Path.of(System.getProperty("sipline.pjsip.native", "../backend-pjsip/target/native"));
    boolean built = Files.isRegularFile(dir.resolve("libsiplinepj.so"));
    if (!built) {
      System.err.println(
          "[sipline] pjsip process tests skipped: no libsiplinepj.so in "
              + dir.toAbsolutePath()
              + " (build backend-pjsip with SIPLINE_PJPROJECT_PREFIX)");
    }
    Assumptions.assumeTrue(built, "no libsiplinepj.so in " + dir.toAbsolutePath());
    return List.of("-Djna.library.path=" + dir.toAbsolutePath());
  }
}

package org.sipline.backend.pjsip;

import com.sun.jna.Native;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.sipline.core.spi.Availability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads libsiplinepj lazily, once, and remembers why it can't be used. Loading is deferred to the
 * first question so that finding providers stays cheap and never touches native code.
 */
final class ShimLoader {
  /** System property naming the shim library (JNA's short name); tests point it elsewhere. */
  static final String LIBRARY_PROPERTY = "sipline.pjsip.library";

  static final String DEFAULT_LIBRARY = "siplinepj";

  private static final Logger log = LoggerFactory.getLogger(ShimLoader.class);

  private final String libraryName;
  private final Function<String, Shim> linker;
  private Availability availability;
  private Shim shim;

  ShimLoader(String libraryName) {
    this(libraryName, name -> Native.load(name, Shim.class));
  }

  /** With {@code linker} standing in for JNA's loading, so tests can hand over any shim. */
  ShimLoader(String libraryName, Function<String, Shim> linker) {
    this.libraryName = libraryName;
    this.linker = linker;
  }

  /** The loader for the library named by {@value #LIBRARY_PROPERTY} (default siplinepj). */
  static ShimLoader forConfiguredLibrary() {
    return new ShimLoader(System.getProperty(LIBRARY_PROPERTY, DEFAULT_LIBRARY));
  }

  synchronized Availability availability() {
    if (availability == null) {
      availability = load();
      if (availability.available()) {
        log.info(
            "pjsip backend available: {} with pjproject {}",
            System.mapLibraryName(libraryName),
            shim.slpj_runtime_version());
      } else {
        log.info("pjsip backend unavailable: {}", availability.reason());
      }
    }
    return availability;
  }

  /** The loaded shim; fails with the reason when it could not be loaded. */
  synchronized Shim shim() {
    Availability a = availability();
    if (!a.available()) {
      throw new IllegalStateException("pjsip backend unavailable: " + a.reason());
    }
    return shim;
  }

  private Availability load() {
    String file = System.mapLibraryName(libraryName);
    Shim loaded;
    try {
      loaded = linker.apply(libraryName);
    } catch (UnsatisfiedLinkError e) {
      String searched = System.getProperty("jna.library.path", "(unset)");
      Optional<Path> present = findOn(searched, file);
      if (present.isPresent()) {
        // Usually pjproject's own libraries are missing (moved or removed after the build).
        return Availability.no(
            present.get() + " is there but does not load: " + oneLine(e.getMessage()));
      }
      return Availability.no(
          file
              + " not found on jna.library.path="
              + searched
              + " nor on the system library path (build it where pjproject is installed, see"
              + " backend-pjsip/README.md)");
    }
    String compiled;
    String runtime;
    try {
      compiled = loaded.slpj_compiled_version();
      runtime = loaded.slpj_runtime_version();
    } catch (UnsatisfiedLinkError e) {
      return Availability.no(file + " is not sipline's pjsua shim: " + oneLine(e.getMessage()));
    }
    Optional<String> problem = VersionCheck.problem(compiled, runtime);
    if (problem.isPresent()) {
      return Availability.no(problem.get());
    }
    shim = loaded;
    return Availability.yes();
  }

  private static Optional<Path> findOn(String searchPath, String file) {
    for (String dir : searchPath.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isRegularFile(Path.of(dir, file))) {
        return Optional.of(Path.of(dir, file));
      }
    }
    return Optional.empty();
  }

  /**
   * JNA's message lists every place it tried, one per line, ending with the whole class path; the
   * reason must stay one readable log line, so only the loader's own complaints are kept.
   */
  private static String oneLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    return Arrays.stream(message.split("\\R"))
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("Native library ("))
        .distinct()
        .collect(Collectors.joining(" | "));
  }
}

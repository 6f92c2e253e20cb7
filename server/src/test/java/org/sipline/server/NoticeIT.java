package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sipline.server.testing.SiplineProcess;

/**
 * NOTICE names exactly the third-party libraries in sipline.jar, and the jar holds exactly their
 * classes. The libraries are the artifacts Maven resolved for the shade step
 * (target/shipped-artifacts.txt, from dependency:list); each one's classes are traced into the jar,
 * so a library that slips in another way, or a class shipped twice, fails too.
 */
class NoticeIT {
  /** A library line of NOTICE: two spaces, groupId:artifactId, then its licence. */
  private static final Pattern NOTICE_LINE = Pattern.compile("^  ([\\w.-]+:[\\w.-]+)\\s+\\S.*$");

  /**
   * A line of dependency:list with absolute file names: {@code
   * g:a:type[:classifier]:v:scope:/path}.
   */
  private static final Pattern LIST_LINE =
      Pattern.compile("^\\s+([\\w.-]+):([\\w.-]+):[^:\\s]+(?::[^:\\s]+)*?:(/[^ ]+)(?: -- .*)?$");

  private static Map<String, Path> shipped;
  private static Set<String> noticed;

  @BeforeAll
  static void read() throws IOException {
    shipped = shippedArtifacts(Path.of(System.getProperty("sipline.shipped")));
    noticed = noticedArtifacts(Path.of(System.getProperty("sipline.notice")));
  }

  @Test
  void noticeNamesEveryShippedLibraryAndNoOther() {
    Set<String> missing = new TreeSet<>(shipped.keySet());
    missing.removeAll(noticed);
    Set<String> stale = new TreeSet<>(noticed);
    stale.removeAll(shipped.keySet());
    assertThat(shipped).as("libraries listed for the shaded jar").isNotEmpty();
    assertSoftly(
        s -> {
          s.assertThat(missing).as("shipped in sipline.jar but not named in NOTICE").isEmpty();
          s.assertThat(stale).as("named in NOTICE but no longer shipped in sipline.jar").isEmpty();
        });
  }

  @Test
  void theJarsThirdPartyClassesAreExactlyTheShippedLibrariesOnceEach() throws IOException {
    Map<String, String> owner = new HashMap<>();
    List<String> twice = new ArrayList<>();
    for (Map.Entry<String, Path> library : shipped.entrySet()) {
      for (String c : classes(library.getValue())) {
        String before = owner.putIfAbsent(c, library.getKey());
        if (before != null) {
          twice.add(c + " in " + before + " and " + library.getKey());
        }
      }
    }
    Set<String> inJar = classes(SiplineProcess.jar());
    inJar.removeIf(c -> c.startsWith("org/sipline/") || isOurs(c));
    Set<String> untraced = new TreeSet<>(inJar);
    untraced.removeAll(owner.keySet());
    Set<String> absent = new TreeSet<>(owner.keySet());
    absent.removeAll(inJar);

    assertSoftly(
        s -> {
          s.assertThat(twice).as("classes shipped by two libraries").isEmpty();
          s.assertThat(untraced).as("classes in sipline.jar from no listed library").isEmpty();
          s.assertThat(absent).as("classes of a listed library missing from the jar").isEmpty();
        });
  }

  @Test
  void everyMavenDescriptorInTheJarIsOursOrNamedInNotice() throws IOException {
    Set<String> described = new TreeSet<>();
    try (ZipFile jar = new ZipFile(SiplineProcess.jar().toFile())) {
      Pattern pom = Pattern.compile("META-INF/maven/([^/]+)/([^/]+)/pom\\.properties");
      jar.stream()
          .map(ZipEntry::getName)
          .map(pom::matcher)
          .filter(Matcher::matches)
          .filter(m -> !m.group(1).equals("org.sipline"))
          .forEach(m -> described.add(m.group(1) + ":" + m.group(2)));
    }
    assertThat(described).as("pom.properties of third-party libraries in the jar").isNotEmpty();
    assertThat(noticed).containsAll(described);
  }

  /** Generated from our protos (api module), outside org.sipline: ours too. */
  private static boolean isOurs(String c) {
    return c.startsWith("ondewo/sip/") || c.startsWith("sipline/");
  }

  private static Map<String, Path> shippedArtifacts(Path list) throws IOException {
    Map<String, Path> artifacts = new TreeMap<>();
    for (String line : Files.readAllLines(list)) {
      Matcher m = LIST_LINE.matcher(line);
      if (m.matches()) {
        artifacts.put(m.group(1) + ":" + m.group(2), Path.of(m.group(3)));
      }
    }
    return artifacts;
  }

  private static Set<String> noticedArtifacts(Path notice) throws IOException {
    Set<String> artifacts = new TreeSet<>();
    for (String line : Files.readAllLines(notice)) {
      Matcher m = NOTICE_LINE.matcher(line);
      if (m.matches()) {
        artifacts.add(m.group(1));
      }
    }
    return artifacts;
  }

  /** Class files of a jar; module descriptors are left out (the shade step drops them). */
  private static Set<String> classes(Path jar) throws IOException {
    Set<String> classes = new TreeSet<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      zip.stream()
          .map(ZipEntry::getName)
          .filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class"))
          .forEach(classes::add);
    }
    return classes;
  }
}

package org.sipline.testing.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A SIPp scenario: its XML and a file name to write it under. The stock scenarios live in this
 * module's test resources under {@code peers/sipp/} (also inside core's test-jar) and each
 * documents its message flow and the keys it reads at its top.
 */
public final class SippScenario {
  private static final String RESOURCE_DIR = "/peers/sipp/";
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}\\.xml");

  private final String fileName;
  private final String xml;

  private SippScenario(String fileName, String xml) {
    this.fileName = fileName;
    this.xml = xml;
  }

  /**
   * A stock scenario, e.g. {@code resource("uas-answer.xml")} or {@code
   * resource("selftest/uac-call-refer-accepted.xml")}.
   */
  public static SippScenario resource(String path) {
    Objects.requireNonNull(path, "path");
    if (path.contains("..") || path.startsWith("/")) {
      throw new IllegalArgumentException(
          "scenario path must be relative to " + RESOURCE_DIR + " without '..': " + path);
    }
    String fileName = path.substring(path.lastIndexOf('/') + 1);
    try (InputStream in = SippScenario.class.getResourceAsStream(RESOURCE_DIR + path)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "no SIPp scenario " + RESOURCE_DIR + path + " on the class path");
      }
      return of(fileName, new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      throw new UncheckedIOException("reading SIPp scenario " + path, e);
    }
  }

  /** A scenario given as text, written to {@code fileName} (letters, digits, {@code ._-}, .xml). */
  public static SippScenario of(String fileName, String xml) {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(xml, "xml");
    if (!FILE_NAME.matcher(fileName).matches()) {
      throw new IllegalArgumentException(
          "scenario file name must be 1-100 of [A-Za-z0-9._-] ending in .xml: " + fileName);
    }
    if (!xml.contains("<scenario")) {
      throw new IllegalArgumentException("scenario " + fileName + " has no <scenario> element");
    }
    return new SippScenario(fileName, xml);
  }

  /** A copy whose XML has every {@code target} replaced, to vary a stock scenario in one test. */
  public SippScenario replace(String target, String replacement) {
    return new SippScenario(fileName, xml.replace(target, replacement));
  }

  public String fileName() {
    return fileName;
  }

  public String xml() {
    return xml;
  }

  @Override
  public String toString() {
    return fileName;
  }
}

package org.sipline.server;

/** sipline's version, as the runnable jar's manifest states it. */
final class Version {
  private Version() {}

  /** The version, or "dev" when running from classes rather than the built jar. */
  static String get() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}

package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionCheckTest {
  @Test
  void sameVersionOnBothSidesIsFine() {
    assertThat(VersionCheck.problem("2.17", "2.17")).isEmpty();
    assertThat(VersionCheck.problem("2.14.1", "2.14.1")).isEmpty();
  }

  @Test
  void anotherLoadedVersionIsRefusedNamingBoth() {
    assertThat(VersionCheck.problem("2.17", "2.12"))
        .hasValue(
            "pjsua version 2.12 loaded, but"
                + " libsiplinepj was compiled against 2.17; rebuild the shim against the installed"
                + " pjproject");
  }

  @Test
  void aPatchReleaseAlsoCountsAsAnotherVersion() {
    // Struct layouts are only promised per build, not per minor release.
    assertThat(VersionCheck.problem("2.14", "2.14.1"))
        .get()
        .asString()
        .contains("2.14.1 loaded")
        .contains("compiled against 2.14;");
  }

  @Test
  void pjprojectOlderThanTheOldestSupportedIsRefused() {
    assertThat(VersionCheck.problem("2.13", "2.13"))
        .hasValue("pjproject 2.13 is older than 2.14, the oldest sipline supports");
  }

  @Test
  void unreadableVersionsAreRefusedQuotingThem() {
    assertThat(VersionCheck.problem("banana", "2.17")).get().asString().contains("\"banana\"");
    assertThat(VersionCheck.problem("2.17", null)).get().asString().contains("\"null\"");
  }
}

package org.sipline.core.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The +sip.instance URN: the same for the same node and account, run after run; apart otherwise.
 */
class InstanceIdTest {
  @TempDir Path dir;

  @Test
  void theSameNodeAndAccountGiveTheSameUrnInRfc5626Form() {
    String a = InstanceId.of("host-1:5060", "bot-0@pbx.example");
    assertThat(a).isEqualTo(InstanceId.of("host-1:5060", "bot-0@pbx.example"));
    assertThat(a)
        .matches("<urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}>");
    assertThat(InstanceId.quoted("host-1:5060", "bot-0@pbx.example")).isEqualTo("\"" + a + "\"");
  }

  @Test
  void anotherNodeOrAccountGivesAnotherUrn() {
    String a = InstanceId.of(InstanceId.node("host-1", 5060), "bot-0@pbx.example");
    assertThat(InstanceId.of(InstanceId.node("host-1", 5062), "bot-0@pbx.example")).isNotEqualTo(a);
    assertThat(InstanceId.of(InstanceId.node("host-2", 5060), "bot-0@pbx.example")).isNotEqualTo(a);
    assertThat(InstanceId.of(InstanceId.node("host-1", 5060), "bot-1@pbx.example")).isNotEqualTo(a);
  }

  @Test
  void theHostNameComesFromTheEnvironmentElseTheKernelElseLocalhost() throws Exception {
    Path kernel = dir.resolve("hostname");
    Files.writeString(kernel, "node-7\n");
    assertThat(InstanceId.hostName(" sipline-2 ", kernel)).isEqualTo("sipline-2");
    assertThat(InstanceId.hostName(null, kernel)).isEqualTo("node-7");
    assertThat(InstanceId.hostName("  ", kernel)).isEqualTo("node-7");
    Files.writeString(kernel, "\n");
    assertThat(InstanceId.hostName(null, kernel)).isEqualTo("localhost");
    assertThat(InstanceId.hostName(null, dir.resolve("missing"))).isEqualTo("localhost");
    assertThat(InstanceId.localHostName()).isNotBlank();
  }
}

package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * deploy/kubernetes is checked against the server it deploys, so the two cannot drift: every flag
 * and environment variable the manifests give exists in {@code sipline serve}, the ports agree with
 * each other, and the lines file in the ConfigMap is read by the server's own parser with the
 * Secret's passwords where the pod mounts them.
 */
class DeployManifestsTest {
  private static final Path DIR = Path.of("..", "deploy", "kubernetes");
  private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");

  private static final List<Map<String, Object>> objects = new ArrayList<>();
  private static CommandSpec serve;

  @TempDir Path tmp;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void read() throws IOException {
    try (var files = Files.list(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object doc : new Yaml().loadAll(Files.readString(f))) {
          if (doc != null) {
            objects.add((Map<String, Object>) doc);
          }
        }
      }
    }
    serve = Main.commandLine().getSubcommands().get("serve").getCommandSpec();
  }

  @Test
  void theManifestsHoldAStatefulSetAHeadlessServiceAConfigMapAndASecret() {
    assertThat(objects.stream().map(o -> (String) o.get("kind")))
        .containsExactlyInAnyOrder("Service", "StatefulSet", "ConfigMap", "Secret");
    assertThat(map(object("Service"), "spec").get("clusterIP")).isEqualTo("None");
    assertThat(map(object("StatefulSet"), "spec").get("serviceName"))
        .isEqualTo(map(object("Service"), "metadata").get("name"));
  }

  @Test
  void everyArgumentIsAnOptionOfServe() {
    List<String> args = strings(container().get("args"));
    assertThat(args.get(0)).isEqualTo("serve");
    Set<String> unknown = new TreeSet<>();
    for (String a : args) {
      if (a.startsWith("--")) {
        String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
        if (serve.findOption(name) == null) {
          unknown.add(name);
        }
      }
    }
    assertThat(unknown).as("flags not known to sipline serve").isEmpty();
  }

  @Test
  void everyEnvironmentVariableIsOneServeReads() {
    Set<String> read = new TreeSet<>();
    for (OptionSpec o : serve.options()) {
      String d = o.defaultValueString(false);
      if (d != null) {
        Matcher m = ENV_DEFAULT.matcher(d);
        while (m.find()) {
          read.add(m.group(1));
        }
      }
    }
    Set<String> given = new TreeSet<>(env().keySet());
    assertThat(given).isNotEmpty();
    assertThat(read).as("environment variables sipline serve reads").containsAll(given);
  }

  @Test
  void theGrpcAndSipPortsAgreeEverywhere() {
    Map<String, Object> c = container();
    String grpc = (String) env().get("SIPLINE_GRPC_PORT");
    List<String> args = strings(c.get("args"));
    String sip = args.get(args.indexOf("--sip-port") + 1);
    Map<String, Integer> containerPorts = ports(c.get("ports"), "containerPort");
    Map<String, Integer> servicePorts = ports(map(object("Service"), "spec").get("ports"), "port");
    assertThat(containerPorts).containsEntry("grpc", Integer.valueOf(grpc));
    assertThat(containerPorts).containsEntry("sip", Integer.valueOf(sip));
    assertThat(servicePorts).isEqualTo(containerPorts);
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      assertThat(map(map(c, probe), "grpc").get("port")).as(probe).isEqualTo(Integer.valueOf(grpc));
    }
  }

  @Test
  void theRtpRangeIsOneTheServerAccepts() {
    String range = (String) env().get("SIPLINE_RTP_PORTS");
    RtpPorts ports = new RtpPorts.Converter().convert(range);
    assertThat(ports).isNotNull();
  }

  @Test
  void theConfigMapsLinesFileIsReadByTheServerWithTheSecretsPasswords() throws IOException {
    String lines = (String) map(object("ConfigMap"), "data").get("lines.txt");
    Map<String, Object> secrets = map(object("Secret"), "stringData");
    String mount = mountPath("passwords");
    String linesMount = mountPath("lines");
    List<String> args = strings(container().get("args"));
    assertThat(args.get(args.indexOf("--lines-file") + 1)).isEqualTo(linesMount + "/lines.txt");
    // The pod's mounts, re-created under a temporary directory.
    Path passwords = Files.createDirectories(tmp.resolve("passwords"));
    for (Map.Entry<String, Object> e : secrets.entrySet()) {
      Files.writeString(passwords.resolve(e.getKey()), (String) e.getValue());
    }
    Path file =
        Files.writeString(tmp.resolve("lines.txt"), lines.replace(mount, passwords.toString()));

    List<LineSpec> specs = LinesFile.read(file);

    assertThat(specs).hasSize(10);
    assertThat(specs.get(0).name()).isEqualTo("line-0");
    assertThat(specs.get(0).account()).isNotNull();
  }

  // ---- reading the objects -----------------------------------------------------------------

  private static Map<String, Object> object(String kind) {
    return objects.stream()
        .filter(o -> kind.equals(o.get("kind")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in " + DIR));
  }

  private static Map<String, Object> container() {
    Map<String, Object> pod = map(map(map(object("StatefulSet"), "spec"), "template"), "spec");
    return maps(pod.get("containers")).get(0);
  }

  private static Map<String, Object> env() {
    Map<String, Object> env = new HashMap<>();
    for (Map<String, Object> e : maps(container().get("env"))) {
      env.put((String) e.get("name"), e.get("value"));
    }
    return env;
  }

  private static String mountPath(String volume) {
    return maps(container().get("volumeMounts")).stream()
        .filter(m -> volume.equals(m.get("name")))
        .map(m -> (String) m.get("mountPath"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no mount of volume " + volume));
  }

  private static Map<String, Integer> ports(Object list, String key) {
    Map<String, Integer> ports = new HashMap<>();
    for (Map<String, Object> p : maps(list)) {
      ports.put((String) p.get("name"), (Integer) p.get(key));
    }
    return ports;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object v = parent.get(key);
    assertThat(v).as("%s in %s", key, parent.keySet()).isInstanceOf(Map.class);
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object list) {
    assertThat(list).isInstanceOf(List.class);
    return (List<Map<String, Object>>) list;
  }

  private static List<String> strings(Object list) {
    assertThat(list).isInstanceOf(List.class);
    return ((List<?>) list).stream().map(String::valueOf).toList();
  }
}

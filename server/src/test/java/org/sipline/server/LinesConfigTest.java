package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --lines}, {@code --lines-file} and {@code --line-ports}: what they build, and every
 * refusal naming the flag, the line and the field (exit code 2 on the command line).
 */
class LinesConfigTest {
  @TempDir Path dir;

  @Test
  void withoutLineFlagsTheServerHasOneLineAsBefore() {
    ServerConfig config = ServerConfig.builder().build();
    assertThat(config.lines()).containsExactly(LineSpec.named("line-0"));
    assertThat(config.linePortBase()).isZero();
  }

  @Test
  void linesNNamesThemFromZero() {
    assertThat(LineSpec.numbered(3).stream().map(LineSpec::name))
        .containsExactly("line-0", "line-1", "line-2");
  }

  @Test
  void linesOutOfRangeAreRefused() {
    assertThatThrownBy(() -> LineSpec.numbered(0))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("--lines: 0 is outside 1..10000");
    assertThatThrownBy(() -> LineSpec.numbered(1_000_000))
        .hasMessage("--lines: 1000000 is outside 1..10000");
  }

  @Test
  void aLinesFileGivesNamesAccountsAndPasswordsFromFilesBesideIt() throws Exception {
    Files.writeString(dir.resolve("alice.pw"), "s3cret x\n");
    Path file =
        write(
            "# name  fields",
            "",
            "support account=alice@127.0.0.1:5060 password-file=alice.pw auto-answer=2 # boot",
            "line-7\taccount=sip:bob@pbx.example.org outbound-proxy=sip:edge.example.org;lr"
                + " auth-username=b0b",
            "spare");
    List<LineSpec> lines = LinesFile.read(file);
    assertThat(lines).extracting(LineSpec::name).containsExactly("support", "line-7", "spare");
    assertThat(lines.get(0).account())
        .isEqualTo(new LineAccount("alice@127.0.0.1:5060", "s3cret x", "", "", 2));
    assertThat(lines.get(1).account())
        .isEqualTo(
            new LineAccount("sip:bob@pbx.example.org", "", "b0b", "sip:edge.example.org;lr", 0));
    assertThat(lines.get(2).account()).isNull();
    assertThat(lines.get(0).toString()).doesNotContain("s3cret").contains("(hidden)");
  }

  @Test
  void aDuplicateNameIsRefusedNamingBothLines() throws Exception {
    Path file = write("a", "b", "a account=x@example.org");
    assertThatThrownBy(() -> LinesFile.read(file))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage(
            "--lines-file: "
                + file
                + ":3, line 'a': name: duplicate, line 'a' is already"
                + " defined on line 1");
  }

  @Test
  void linesMayShareAnAccountOnlyWhenTheyGiveItAlike() throws Exception {
    Files.writeString(dir.resolve("t.pw"), "trunk-pw\n");
    Files.writeString(dir.resolve("other.pw"), "other\n");
    Path alike =
        write(
            "t1 account=trunk@example.org password-file=t.pw",
            "t2 account=sip:trunk@example.org password-file=t.pw auto-answer=1");
    assertThat(LinesFile.read(alike)).extracting(LineSpec::name).containsExactly("t1", "t2");

    Path otherPassword =
        write(
            "t1 account=trunk@example.org password-file=t.pw",
            "t2 account=trunk@example.org password-file=other.pw");
    assertThatThrownBy(() -> LinesFile.read(otherPassword))
        .hasMessage(
            "--lines-file: "
                + otherPassword
                + ":2, line 't2': password-file: account trunk@example.org is shared with line"
                + " 't1' (line 1) but its password-file differs; lines share an account only"
                + " when they give it alike");
    Path otherProxy =
        write(
            "t1 account=trunk@example.org",
            "t2 account=trunk@example.org outbound-proxy=sip:edge.example.org");
    assertThatThrownBy(() -> LinesFile.read(otherProxy))
        .hasMessageContaining("line 't2': outbound-proxy: ");
    Path otherUser =
        write("t1 account=trunk@example.org", "t2 account=trunk@example.org auth-username=x");
    assertThatThrownBy(() -> LinesFile.read(otherUser))
        .hasMessageContaining("line 't2': auth-username: ");
  }

  @Test
  void aMalformedAccountIsRefusedNamingTheLineAndTheField() throws Exception {
    Path file = write("ok", "line-7 account=nobody-at-all");
    assertThatThrownBy(() -> LinesFile.read(file))
        .hasMessageStartingWith("--lines-file: " + file + ":2, line 'line-7': account: ");
  }

  @Test
  void aMalformedProxyIsRefusedNamingTheField() throws Exception {
    Path file = write("l1 account=a@example.org outbound-proxy=sip:u@edge.example.org");
    assertThatThrownBy(() -> LinesFile.read(file))
        .hasMessageStartingWith("--lines-file: " + file + ":1, line 'l1': outbound-proxy: ");
  }

  @Test
  void anUnreadablePasswordFileIsRefusedNamingTheLineAndTheField() throws Exception {
    Path file = write("l1 account=a@example.org password-file=missing.pw");
    assertThatThrownBy(() -> LinesFile.read(file))
        .hasMessageStartingWith(
            "--lines-file: " + file + ":1, line 'l1': password-file: " + dir.resolve("missing.pw"));
  }

  @Test
  void fieldsWithoutAnAccountUnknownFieldsAndBadNamesAreRefused() throws Exception {
    Path noAccount = write("l1 password-file=x.pw");
    assertThatThrownBy(() -> LinesFile.read(noAccount))
        .hasMessageContaining("line 'l1': account: missing");
    Path unknown = write("l1 account=a@example.org colour=blue");
    assertThatThrownBy(() -> LinesFile.read(unknown))
        .hasMessageContaining("line 'l1': 'colour' is not a field");
    Path badName = write("-x");
    assertThatThrownBy(() -> LinesFile.read(badName))
        .hasMessageContaining(":1: name: '-x' is not a line name");
    Path badAnswer = write("l1 account=a@example.org auto-answer=-1");
    assertThatThrownBy(() -> LinesFile.read(badAnswer))
        .hasMessageContaining("line 'l1': auto-answer: '-1'");
    Path empty = write("# nothing");
    assertThatThrownBy(() -> LinesFile.read(empty)).hasMessageContaining("defines no line");
    assertThatThrownBy(() -> LinesFile.read(dir.resolve("nosuch.lines")))
        .hasMessageStartingWith("--lines-file: " + dir.resolve("nosuch.lines") + " cannot be read");
  }

  @Test
  void linePortsThatCollideWithTheMainPortAreRefusedNamingTheLine() {
    assertThatThrownBy(
            () ->
                ServerConfig.builder()
                    .grpcPort(50102)
                    .lines(LineSpec.numbered(4))
                    .linePortBase(50100)
                    .build())
        .hasMessage("--line-ports: 50100-50103 collides with --grpc-port 50102 at line 'line-2'");
    assertThatThrownBy(
            () -> ServerConfig.builder().lines(LineSpec.numbered(3)).linePortBase(65534).build())
        .hasMessageStartingWith("--line-ports: 65534-65536 (one port for each of 3 lines)");
  }

  @Test
  void duplicateNamesFromTheBuilderAreRefused() {
    assertThatThrownBy(
            () ->
                ServerConfig.builder()
                    .lines(List.of(LineSpec.named("a"), LineSpec.named("a")))
                    .build())
        .hasMessage("--lines-file: line 'a': name: defined twice");
  }

  @Test
  void theCommandLineExitsTwoNamingTheLineAndTheField() throws Exception {
    Path file = write("a", "b account=x@example.org password-file=gone.pw");
    StringWriter err = new StringWriter();
    assertThat(run(err, "--lines-file", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--lines-file: ", "line 'b': password-file: ");

    err = new StringWriter();
    Path twice = write("a", "b", "a");
    assertThat(run(err, "--lines-file", twice.toString())).isEqualTo(2);
    assertThat(err.toString()).contains(twice + ":3, line 'a': name: duplicate");

    err = new StringWriter();
    Path badAccount = write("line-7 account=nobody-at-all");
    assertThat(run(err, "--lines-file", badAccount.toString())).isEqualTo(2);
    assertThat(err.toString()).contains(badAccount + ":1, line 'line-7': account: ");

    err = new StringWriter();
    assertThat(run(err, "--lines", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--lines: 0 is outside 1..10000");

    err = new StringWriter();
    assertThat(run(err, "--lines", "2", "--lines-file", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("give either --lines or --lines-file");

    err = new StringWriter();
    assertThat(run(err, "--lines", "3", "--grpc-port", "40001", "--line-ports", "40000"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--line-ports: 40000-40002 collides with --grpc-port");
  }

  private static int run(StringWriter err, String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private Path write(String... lines) throws Exception {
    Path file = Files.createTempFile(dir, "lines", ".txt");
    Files.write(file, List.of(lines));
    return file;
  }
}

package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokensTest {

  @TempDir Path dir;

  @Test
  void acceptsExactlyTheTokensOfTheFileSkippingCommentsAndBlankLines() throws Exception {
    Path file =
        Files.writeString(dir.resolve("tokens"), "# bots\n\n  alpha-1.token~  \nbeta/2+x==\n");
    BearerTokens tokens = BearerTokens.load(file);
    assertThat(tokens.size()).isEqualTo(2);
    assertThat(tokens.accepts("alpha-1.token~")).isTrue();
    assertThat(tokens.accepts("beta/2+x==")).isTrue();
    assertThat(tokens.accepts("alpha-1.token")).isFalse();
    assertThat(tokens.accepts("")).isFalse();
    assertThat(tokens.accepts("# bots")).isFalse();
  }

  @Test
  void aLineThatIsNotATokenIsRefusedByLineNumberWithoutShowingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("tokens"), "good\nsecret with space\n");
    assertThatThrownBy(() -> BearerTokens.load(file))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("--token-file: " + file + " line 2 is not a bearer token")
        .hasMessageNotContaining("secret");
  }

  @Test
  void aFileWithoutTokensIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("tokens"), "# none yet\n\n");
    assertThatThrownBy(() -> BearerTokens.load(file))
        .hasMessage("--token-file: " + file + " holds no token");
  }

  @Test
  void printingTheTokensRevealsOnlyHowManyThereAre() throws Exception {
    Path file = Files.writeString(dir.resolve("tokens"), "s3cr3t\n");
    assertThat(BearerTokens.load(file).toString()).isEqualTo("BearerTokens[1 tokens]");
  }
}

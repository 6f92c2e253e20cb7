package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavRecorderTest {
  @TempDir Path dir;

  @Test
  void writesA16BitMono8kHzWavThatJavaSoundReads() throws Exception {
    short[] audio = ScriptedSource.sweep(3);
    WavRecorder r = WavRecorder.create(dir, "abc@host");
    for (int i = 0; i < 3; i++) {
      r.write(audio, i * 160, 160);
    }
    r.close();

    assertThat(WavFiles.readPcm16Mono8k(r.path())).isEqualTo(audio);
  }

  @Test
  void headerSizesAreFixedUpOnClose() throws Exception {
    WavRecorder r = WavRecorder.create(dir, "sizes");
    r.write(new short[100], 0, 100);
    r.close();

    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(r.path())).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.capacity()).isEqualTo(44 + 200);
    assertThat(b.getInt(4)).isEqualTo(36 + 200);
    assertThat(b.getInt(40)).isEqualTo(200);
  }

  @Test
  void audioLongerThanTheBufferReachesTheFileInOrder() throws Exception {
    short[] audio = ScriptedSource.sweep(150); // 48 000 bytes, three buffers' worth
    WavRecorder r = WavRecorder.create(dir, "long");
    for (int at = 0; at < audio.length; at += 160) {
      r.write(audio, at, 160);
    }
    r.close();

    assertThat(WavFiles.readPcm16Mono8k(r.path())).isEqualTo(audio);
  }

  @Test
  void theFileStopsGrowingAtItsSizeLimitAndStaysValid() throws Exception {
    short[] audio = ScriptedSource.sweep(10);
    WavRecorder r = WavRecorder.create(dir, "limit", 1000);
    for (int at = 0; at < audio.length; at += 160) {
      r.write(audio, at, 160);
    }
    r.close();

    assertThat(WavFiles.readPcm16Mono8k(r.path())).isEqualTo(Arrays.copyOf(audio, 500));
  }

  @Test
  void writesAfterCloseAreIgnored() throws Exception {
    WavRecorder r = WavRecorder.create(dir, "closed");
    r.write(new short[] {1, 2}, 0, 2);
    r.close();
    r.write(new short[] {3, 4}, 0, 2);
    r.close();

    assertThat(WavFiles.readPcm16Mono8k(r.path())).containsExactly(1, 2);
  }

  @Test
  void theFileIsNamedAfterTheSanitizedCallId() throws Exception {
    WavRecorder r = WavRecorder.create(dir, "a/b\\c: d@host.example");
    r.close();
    assertThat(r.path()).isEqualTo(dir.resolve("a_b_c__d_host.example.wav"));
  }

  @Test
  void aCallIdCannotLeaveTheDirectoryOrHideTheFile() throws Exception {
    assertThat(WavRecorder.fileNameFor("../../etc/passwd")).isEqualTo("call.._.._etc_passwd");
    assertThat(WavRecorder.fileNameFor("")).isEqualTo("call");
    assertThat(WavRecorder.fileNameFor("x".repeat(500))).hasSize(120);
  }

  @Test
  void aSecondRecordingOfTheSameCallIdGetsANumberedName() throws Exception {
    WavRecorder first = WavRecorder.create(dir, "same");
    WavRecorder second = WavRecorder.create(dir, "same");
    first.close();
    second.close();

    assertThat(first.path().getFileName()).hasToString("same.wav");
    assertThat(second.path().getFileName()).hasToString("same-1.wav");
  }
}

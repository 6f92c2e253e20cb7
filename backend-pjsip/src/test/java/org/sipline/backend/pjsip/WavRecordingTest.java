package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.core.audio.WavAudio;
import org.sipline.core.audio.WavReader;

class WavRecordingTest {
  @TempDir Path dir;

  @Test
  void theFileIsA16BitMono8kHzWavHoldingExactlyTheSamplesWritten() throws Exception {
    short[] frame = new short[160];
    for (int i = 0; i < frame.length; i++) {
      frame[i] = (short) (i * 100 - 8000);
    }
    Path path;
    try (WavRecording r = WavRecording.create(dir, "abc@127.0.0.1", 8000)) {
      r.write(frame, 0, 160);
      r.write(frame, 0, 80);
      path = r.path();
    }

    byte[] bytes = Files.readAllBytes(path);
    assertThat(bytes).hasSize(44 + 2 * 240);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt(4)).isEqualTo(36 + 480);
    assertThat(b.getShort(22)).isEqualTo((short) 1);
    assertThat(b.getInt(24)).isEqualTo(8000);
    assertThat(b.getShort(34)).isEqualTo((short) 16);
    assertThat(b.getInt(40)).isEqualTo(480);
    assertThat(b.getShort(44)).isEqualTo((short) -8000);
    assertThat(b.getShort(44 + 2 * 160)).isEqualTo((short) -8000);
    WavAudio audio = WavReader.read(bytes);
    assertThat(audio.sampleRate()).isEqualTo(8000);
    assertThat(audio.channels()).isEqualTo(1);
    assertThat(audio.samples()).hasSize(240);
  }

  @Test
  void aWidebandCallsRecordingKeeps16kHzAndTakes320SampleFrames() throws Exception {
    short[] frame = new short[320];
    frame[319] = 1234;
    Path path;
    try (WavRecording r = WavRecording.create(dir, "wide", 16_000)) {
      r.write(frame, 0, 320);
      assertThatThrownBy(() -> r.write(new short[321], 0, 321))
          .hasMessage("frame of 321 samples > 320");
      path = r.path();
    }
    byte[] bytes = Files.readAllBytes(path);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt(24)).isEqualTo(16_000);
    assertThat(b.getInt(28)).isEqualTo(32_000);
    WavAudio audio = WavReader.read(bytes);
    assertThat(audio.sampleRate()).isEqualTo(16_000);
    assertThat(audio.samples()).hasSize(320).endsWith((short) 1234);
  }

  @Test
  void theFileIsNamedAfterTheCallIdWithUnsafeCharactersReplaced() throws Exception {
    try (WavRecording r = WavRecording.create(dir, "a/b@c d", 8000)) {
      assertThat(r.path().getFileName().toString()).isEqualTo("a_b_c_d.wav");
    }
  }

  @Test
  void aSecondRecordingOfTheSameCallIdIsNumberedInsteadOfOverwriting() throws Exception {
    try (WavRecording first = WavRecording.create(dir, "same", 8000);
        WavRecording second = WavRecording.create(dir, "same", 8000)) {
      assertThat(first.path().getFileName().toString()).isEqualTo("same.wav");
      assertThat(second.path().getFileName().toString()).isEqualTo("same-1.wav");
    }
  }

  @Test
  void aFrameLongerThan20MsIsRefused() throws Exception {
    try (WavRecording r = WavRecording.create(dir, "x", 8000)) {
      assertThatThrownBy(() -> r.write(new short[200], 0, 200))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("frame of 200 samples > 160");
    }
  }
}

package org.sipline.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sipline.testing.TestWavs;

class WavReaderTest {
  private static final short[] STEREO = {1000, -1000, 32767, 32767, -32768, -32768, 300, 101};

  @Test
  void readsSixteenBitMonoSampleExact() {
    short[] pcm = {0, 1, -1, 32767, -32768, 12345};
    WavAudio audio = WavReader.read(TestWavs.pcm16(16000, 1, pcm));
    assertThat(audio.samples()).containsExactly(pcm);
    assertThat(audio.sampleRate()).isEqualTo(16000);
    assertThat(audio.channels()).isEqualTo(1);
    assertThat(audio.encoding()).isEqualTo(WavEncoding.PCM_S16LE);
    assertThat(audio.bitsPerSample()).isEqualTo(16);
  }

  @Test
  void downmixesSixteenBitStereoByAveraging() {
    WavAudio audio = WavReader.read(TestWavs.pcm16(44100, 2, STEREO));
    assertThat(audio.samples())
        .containsExactly((short) 0, (short) 32767, (short) -32768, (short) 200);
    assertThat(audio.channels()).isEqualTo(2);
  }

  @Test
  void readsEightBitUnsignedAroundTheMidpoint() {
    WavAudio audio =
        WavReader.read(
            TestWavs.builder(WavEncoding.PCM_U8, 8000, 2)
                .data(
                    new byte[] {
                      (byte) 128, (byte) 128, (byte) 255, (byte) 255, 0, 0, (byte) 255, 1
                    })
                .build());
    assertThat(audio.samples())
        .containsExactly((short) 0, (short) (127 << 8), (short) -32768, (short) 0);
    assertThat(audio.encoding()).isEqualTo(WavEncoding.PCM_U8);
  }

  @Test
  void readsMuLawAndALawThroughTheG711Tables() {
    byte[] codes = {0x00, (byte) 0x80, (byte) 0xFF, 0x55, (byte) 0xD5, 0x2A};
    WavAudio ulaw = WavReader.read(TestWavs.builder(WavEncoding.ULAW, 8000, 1).data(codes).build());
    WavAudio alaw = WavReader.read(TestWavs.builder(WavEncoding.ALAW, 8000, 1).data(codes).build());
    for (int i = 0; i < codes.length; i++) {
      assertThat(ulaw.samples()[i]).isEqualTo(G711.ulawToLinear(codes[i]));
      assertThat(alaw.samples()[i]).isEqualTo(G711.alawToLinear(codes[i]));
    }
    assertThat(ulaw.encoding()).isEqualTo(WavEncoding.ULAW);
    assertThat(alaw.encoding()).isEqualTo(WavEncoding.ALAW);
  }

  @Test
  void downmixesG711StereoByAveragingTheDecodedValues() {
    byte[] codes = {0x00, (byte) 0x80, (byte) 0xFF, (byte) 0xEF};
    WavAudio ulaw = WavReader.read(TestWavs.builder(WavEncoding.ULAW, 8000, 2).data(codes).build());
    assertThat(ulaw.samples()).containsExactly((short) 0, (short) (132 / 2));
  }

  @ParameterizedTest
  @EnumSource(WavEncoding.class)
  void acceptsWaveFormatExtensibleWithEachSupportedSubFormat(WavEncoding encoding) {
    short[] pcm = {0, 8000, -8000, 16000};
    byte[] plain = TestWavs.builder(encoding, 22050, 2).samples(pcm).build();
    byte[] extensible = TestWavs.builder(encoding, 22050, 2).samples(pcm).extensible(true).build();
    assertThat(WavReader.read(extensible)).isEqualTo(WavReader.read(plain));
  }

  @Test
  void skipsUnknownChunksAndTheirPadBytes() {
    short[] pcm = {5, 6, 7};
    byte[] wav =
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 1)
            .samples(pcm)
            .chunkBeforeFmt("JUNK", new byte[7])
            .chunkBeforeData("LIST", "INFOISFT\u0003\0\0\0ab".getBytes(StandardCharsets.ISO_8859_1))
            .chunkBeforeData("fact", new byte[] {3, 0, 0, 0})
            .build();
    assertThat(WavReader.read(wav).samples()).containsExactly(pcm);
  }

  @Test
  void ignoresWhatFollowsTheDataChunkAndTheRiffChunk() {
    short[] pcm = {5, 6, 7};
    byte[] wav =
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 1)
            .samples(pcm)
            .chunkAfterData("id3 ", new byte[] {1, 2, 3})
            .build();
    byte[] withTrailer = Arrays.copyOf(wav, wav.length + 5);
    assertThat(WavReader.read(withTrailer).samples()).containsExactly(pcm);
  }

  @Test
  void readsAnOddSizedEightBitDataChunk() {
    WavAudio audio = WavReader.read(TestWavs.pcm8(11025, 1, new short[] {256, 512, 768}));
    assertThat(audio.samples()).containsExactly((short) 256, (short) 512, (short) 768);
  }

  @Test
  void reportsTheDurationOfTheDecodedAudio() {
    WavAudio audio = WavReader.read(TestWavs.sine(44100, 2, 440, 1500, 0.5));
    assertThat(audio.samples()).hasSize(66150);
    assertThat(audio.durationMillis()).isEqualTo(1500);
  }

  @Test
  void acceptsTheSampleRateBounds() {
    assertThat(WavReader.read(TestWavs.pcm16(1000, 1, new short[1])).sampleRate()).isEqualTo(1000);
    assertThat(WavReader.read(TestWavs.pcm16(192000, 1, new short[1])).sampleRate())
        .isEqualTo(192000);
  }

  // ---- refusals: each names what is wrong ----

  @Test
  void refusesFilesTooShortForTheHeader() {
    assertRefused(new byte[5], "too short for a RIFF/WAVE header: 5 bytes < 12");
  }

  @Test
  void refusesWhatIsNotRiff() {
    byte[] id3 = Arrays.copyOf("ID3\u0003 some mp3".getBytes(StandardCharsets.ISO_8859_1), 20);
    assertRefused(id3, "not a RIFF file: starts with 49 44 33 03 (\"ID3.\")");
    byte[] rifx = TestWavs.pcm16(8000, 1, new short[2]);
    rifx[3] = 'X';
    assertRefused(rifx, "big-endian RIFX files not supported: use RIFF");
  }

  @Test
  void refusesRiffFormsOtherThanWave() {
    byte[] avi = TestWavs.pcm16(8000, 1, new short[2]);
    System.arraycopy("AVI ".getBytes(StandardCharsets.ISO_8859_1), 0, avi, 8, 4);
    assertRefused(avi, "RIFF form type is 41 56 49 20 (\"AVI \"), not WAVE");
  }

  @Test
  void refusesATruncatedFile() {
    byte[] wav = TestWavs.pcm16(8000, 1, new short[100]);
    byte[] cut = Arrays.copyOf(wav, wav.length - 10);
    assertRefused(
        cut,
        "RIFF chunk claims "
            + (wav.length - 8)
            + " bytes but "
            + (cut.length - 8)
            + " follow: file truncated");
  }

  @Test
  void refusesADataChunkLargerThanWhatRemains() {
    byte[] wav =
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 1)
            .data(new byte[1200])
            .dataSize(40000)
            .build();
    assertRefused(wav, "data chunk claims 40000 bytes but 1200 remain");
  }

  @Test
  void refusesAHugeClaimedSizeWithoutAllocatingIt() {
    byte[] wav =
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 1)
            .data(new byte[4])
            .dataSize(0xFFFFFFFFL)
            .build();
    assertRefused(wav, "data chunk claims 4294967295 bytes but 4 remain");
  }

  @Test
  void refusesAnUnknownChunkThatOverrunsTheFile() {
    byte[] wav =
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 1)
            .data(new byte[4])
            .chunkBeforeFmt("LIST", new byte[4])
            .build();
    wav[16] = 100; // LIST size 4 → 100
    assertRefused(wav, "'LIST' chunk claims 100 bytes but " + (wav.length - 20) + " remain");
  }

  @Test
  void refusesAShortFmtChunk() {
    byte[] wav =
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 1).data(new byte[4]).fmtSize(12).build();
    assertRefused(wav, "fmt chunk size 12 < 16");
  }

  @Test
  void refusesUnsupportedBitDepthsAndFormats() {
    assertRefused(
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 1)
            .bitsPerSample(24)
            .blockAlign(3)
            .data(new byte[6])
            .build(),
        "24-bit PCM not supported: use 8/16-bit PCM, mu-law or A-law");
    assertRefused(
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 1)
            .formatTag(3)
            .bitsPerSample(32)
            .blockAlign(4)
            .data(new byte[8])
            .build(),
        "IEEE float (format tag 0x0003) not supported: use 8/16-bit PCM, mu-law or A-law");
    assertRefused(
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 1)
            .formatTag(0x1234)
            .data(new byte[8])
            .build(),
        "format tag 0x1234 not supported: use 8/16-bit PCM, mu-law or A-law");
    assertRefused(
        TestWavs.builder(WavEncoding.ULAW, 8000, 1)
            .bitsPerSample(16)
            .blockAlign(2)
            .data(new byte[8])
            .build(),
        "mu-law with 16 bits per sample not supported: G.711 has 8");
  }

  @Test
  void refusesMoreThanTwoChannels() {
    assertRefused(
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 6).data(new byte[24]).build(),
        "6 channels not supported: use mono or stereo");
    assertRefused(
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 0).blockAlign(2).data(new byte[24]).build(),
        "0 channels not supported: use mono or stereo");
  }

  @Test
  void refusesSampleRatesOutsideTheSaneRange() {
    assertRefused(
        TestWavs.builder(WavEncoding.PCM_S16LE, 500, 1).data(new byte[4]).build(),
        "sample rate 500 Hz outside 1000..192000");
    assertRefused(
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 1)
            .sampleRate(0xFFFFFFFFL)
            .data(new byte[4])
            .build(),
        "sample rate 4294967295 Hz outside 1000..192000");
  }

  @Test
  void refusesABlockAlignThatContradictsTheFormat() {
    assertRefused(
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 2).blockAlign(3).data(new byte[12]).build(),
        "block align 3 != 2 channel(s) x 2 byte(s)");
  }

  @Test
  void refusesChunksOutOfOrderOrMissing() {
    byte[] fmtOnly = TestWavs.pcm16(8000, 1, new short[2]);
    byte[] noData = Arrays.copyOf(fmtOnly, 12 + 8 + 16);
    noData[4] = (byte) (noData.length - 8);
    assertRefused(noData, "no data chunk");

    byte[] onlyJunk = new byte[12 + 8 + 4];
    System.arraycopy(fmtOnly, 0, onlyJunk, 0, 12);
    onlyJunk[4] = (byte) (onlyJunk.length - 8);
    System.arraycopy("JUNK".getBytes(StandardCharsets.ISO_8859_1), 0, onlyJunk, 12, 4);
    onlyJunk[16] = 4;
    assertRefused(onlyJunk, "no fmt chunk");

    byte[] dataFirst = new byte[12 + 8 + 2];
    System.arraycopy(fmtOnly, 0, dataFirst, 0, 12);
    dataFirst[4] = (byte) (dataFirst.length - 8);
    System.arraycopy("data".getBytes(StandardCharsets.ISO_8859_1), 0, dataFirst, 12, 4);
    dataFirst[16] = 2;
    assertRefused(dataFirst, "data chunk at offset 12 comes before any fmt chunk");
  }

  @Test
  void refusesASecondFmtChunk() {
    byte[] fmt = Arrays.copyOfRange(TestWavs.pcm16(8000, 1, new short[1]), 20, 36);
    byte[] wav =
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 1)
            .data(new byte[2])
            .chunkBeforeData("fmt ", fmt)
            .build();
    assertRefused(wav, "second fmt chunk at offset 36");
  }

  @Test
  void refusesATruncatedChunkHeader() {
    byte[] wav = TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 1).data(new byte[2]).build();
    byte[] cut = Arrays.copyOf(wav, 12 + 8 + 16 + 5);
    cut[4] = (byte) (cut.length - 8);
    assertRefused(cut, "truncated chunk header at offset 36: 5 bytes < 8");
  }

  @Test
  void refusesAnEmptyDataChunk() {
    assertRefused(TestWavs.pcm16(8000, 1, new short[0]), "no samples: the data chunk is empty");
  }

  @Test
  void refusesAPartialSampleFrame() {
    assertRefused(
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 2).data(new byte[6]).build(),
        "data chunk size 6 is not a multiple of the sample frame size 4 (2 channel(s) x 16 bits)");
  }

  @Test
  void refusesAShortOrForeignExtensibleFormat() {
    assertRefused(
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 1)
            .extensible(true)
            .fmtSize(18)
            .data(new byte[2])
            .build(),
        "WAVE_FORMAT_EXTENSIBLE fmt chunk size 18 < 40");
    byte[] wav =
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 1).extensible(true).data(new byte[2]).build();
    wav[20 + 24 + 15] = 0x72; // last byte of the SubFormat GUID
    assertRefused(
        wav,
        "WAVE_FORMAT_EXTENSIBLE sub-format GUID "
            + "01 00 00 00 00 00 10 00 80 00 00 aa 00 38 9b 72 not supported: use PCM, mu-law or A-law");
    byte[] floatExt =
        TestWavs.builder(WavEncoding.PCM_S16LE, 8000, 1)
            .extensible(true)
            .formatTag(3)
            .bitsPerSample(32)
            .blockAlign(4)
            .data(new byte[4])
            .build();
    assertRefused(
        floatExt,
        "IEEE float (format tag 0x0003) not supported: use 8/16-bit PCM, mu-law or A-law");
  }

  private static void assertRefused(byte[] wav, String message) {
    assertThatThrownBy(() -> WavReader.read(wav))
        .isExactlyInstanceOf(WavFormatException.class)
        .hasMessage(message);
  }
}

package org.sipline.core.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.sipline.testing.TestWavs;

/**
 * Whatever bytes arrive, WavReader either decodes them or throws WavFormatException: random bytes,
 * and valid files of every supported kind after bit flips, truncation, rewritten size fields and
 * inserted chunks.
 */
class WavReaderPropertyTest {

  /** A valid file to start from. */
  record Wav(
      WavEncoding encoding,
      int rate,
      int channels,
      int frames,
      boolean extensible,
      byte[] junkBeforeFmt,
      byte[] junkBeforeData,
      byte[] bytes) {
    @Override
    public String toString() {
      return encoding
          + " "
          + rate
          + " Hz "
          + channels
          + " ch "
          + frames
          + " frames"
          + (extensible ? " extensible" : "")
          + " junk "
          + junkBeforeFmt.length
          + "/"
          + junkBeforeData.length;
    }
  }

  @Provide
  Arbitrary<Wav> validWavs() {
    return Combinators.combine(
            Arbitraries.of(WavEncoding.class),
            Arbitraries.integers().between(WavReader.MIN_SAMPLE_RATE, WavReader.MAX_SAMPLE_RATE),
            Arbitraries.integers().between(1, 2),
            Arbitraries.integers().between(1, 300),
            Arbitraries.of(false, true),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(9),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(9),
            Arbitraries.longs())
        .as(
            (encoding, rate, channels, frames, extensible, junk1, junk2, seed) -> {
              short[] samples = new short[frames * channels];
              java.util.Random random = new java.util.Random(seed);
              for (int i = 0; i < samples.length; i++) {
                samples[i] = (short) random.nextInt();
              }
              TestWavs.Builder b =
                  TestWavs.builder(encoding, rate, channels)
                      .samples(samples)
                      .extensible(extensible);
              if (junk1.length > 0) {
                b.chunkBeforeFmt("JUNK", junk1);
              }
              if (junk2.length > 0) {
                b.chunkBeforeData("LIST", junk2);
              }
              return new Wav(encoding, rate, channels, frames, extensible, junk1, junk2, b.build());
            });
  }

  @Property(tries = 500)
  void validFilesDecodeToOneSamplePerFrame(@ForAll("validWavs") Wav wav) {
    WavAudio audio = WavReader.read(wav.bytes());
    assertThat(audio.samples()).hasSize(wav.frames());
    assertThat(audio.sampleRate()).isEqualTo(wav.rate());
    assertThat(audio.channels()).isEqualTo(wav.channels());
    assertThat(audio.encoding()).isEqualTo(wav.encoding());
  }

  @Property(tries = 300)
  void unknownChunksInsertedBeforeTheDataDoNotChangeTheAudio(
      @ForAll("validWavs") Wav wav,
      @ForAll("chunkBodies") byte[] body,
      @ForAll("boundaryChoice") int choice) {
    List<Integer> boundaries = chunkHeaderOffsets(wav.bytes());
    // Every header up to and including the data chunk's is a place for a chunk.
    int at = boundaries.get(Math.floorMod(choice, boundaries.size()));
    byte[] chunk = TestWavs.chunk("xtra", body, body.length);
    byte[] mutated = insert(wav.bytes(), at, chunk);
    writeU32(mutated, 4, mutated.length - 8);
    assertThat(WavReader.read(mutated)).isEqualTo(WavReader.read(wav.bytes()));
  }

  @Property(tries = 2000)
  void randomBytesOnlyEverFailWithWavFormatException(@ForAll("anyBytes") byte[] bytes) {
    assertDecodesOrRefuses(bytes);
  }

  @Property(tries = 2000)
  void randomChunksBehindAValidHeaderOnlyEverFailWithWavFormatException(
      @ForAll("anyBytes") byte[] tail, @ForAll boolean honestRiffSize) {
    byte[] bytes = new byte[12 + tail.length];
    System.arraycopy("RIFF".getBytes(StandardCharsets.ISO_8859_1), 0, bytes, 0, 4);
    System.arraycopy("WAVE".getBytes(StandardCharsets.ISO_8859_1), 0, bytes, 8, 4);
    System.arraycopy(tail, 0, bytes, 12, tail.length);
    writeU32(bytes, 4, honestRiffSize ? bytes.length - 8 : tail.length * 7L);
    assertDecodesOrRefuses(bytes);
  }

  @Property(tries = 4000)
  @StatisticsReport(onFailureOnly = true)
  void mutatedValidFilesOnlyEverFailWithWavFormatException(
      @ForAll("validWavs") Wav wav, @ForAll("mutationLists") List<Mutation> mutations) {
    byte[] bytes = wav.bytes();
    for (Mutation m : mutations) {
      bytes = m.apply(bytes);
    }
    Statistics.collect(assertDecodesOrRefuses(bytes));
    // Mutations must reach both sides: some files stay playable, many are refused.
    Statistics.coverage(
        checker -> {
          checker.check("decoded").percentage(p -> p > 2);
          checker.check("refused").percentage(p -> p > 30);
        });
  }

  private static String assertDecodesOrRefuses(byte[] bytes) {
    WavAudio audio;
    try {
      audio = WavReader.read(bytes);
    } catch (WavFormatException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return "refused";
    }
    assertThat(audio.samples()).isNotEmpty();
    assertThat(audio.sampleRate()).isBetween(WavReader.MIN_SAMPLE_RATE, WavReader.MAX_SAMPLE_RATE);
    assertThat(audio.channels()).isBetween(1, 2);
    assertThat((long) audio.samples().length * audio.channels() * audio.bitsPerSample() / 8)
        .isLessThanOrEqualTo(bytes.length);
    return "decoded";
  }

  // ---- generators ----

  @Provide
  Arbitrary<byte[]> anyBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
  }

  @Provide
  Arbitrary<byte[]> chunkBodies() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
  }

  @Provide
  Arbitrary<Integer> boundaryChoice() {
    return Arbitraries.integers().between(0, 100);
  }

  @Provide
  Arbitrary<List<Mutation>> mutationLists() {
    return mutations().list().ofMinSize(1).ofMaxSize(4);
  }

  private Arbitrary<Mutation> mutations() {
    Arbitrary<Double> where = Arbitraries.doubles().between(0, 1).ofScale(6);
    Arbitrary<Long> sizes =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(0, 400)),
            net.jqwik.api.Tuple.of(
                2,
                Arbitraries.of(
                    0L,
                    1L,
                    15L,
                    16L,
                    17L,
                    39L,
                    40L,
                    0x7FFFFFFFL,
                    0x80000000L,
                    0xFFFFFFF8L,
                    0xFFFFFFFFL)),
            net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 0xFFFFFFFFL)));
    Arbitrary<String> ids =
        Arbitraries.oneOf(
            Arbitraries.of("fmt ", "data", "JUNK", "LIST", "fact", "RIFF"),
            Arbitraries.strings().withCharRange('\0', '\u00FF').ofLength(4));
    Arbitrary<Mutation> flip =
        Combinators.combine(where, Arbitraries.integers().between(0, 7)).as(FlipBit::new);
    Arbitrary<Mutation> truncate = where.map(Truncate::new);
    Arbitrary<Mutation> rewriteSize =
        Combinators.combine(Arbitraries.integers().between(0, 20), sizes).as(RewriteSize::new);
    Arbitrary<Mutation> rewriteAnywhere = Combinators.combine(where, sizes).as(RewriteU32::new);
    Arbitrary<Mutation> insertChunk =
        Combinators.combine(
                Arbitraries.integers().between(0, 20),
                ids,
                chunkBodies(),
                Arbitraries.oneOf(Arbitraries.just(-1L), sizes),
                Arbitraries.of(true, false))
            .as(InsertChunk::new);
    return Arbitraries.oneOf(flip, truncate, rewriteSize, rewriteAnywhere, insertChunk);
  }

  sealed interface Mutation {
    byte[] apply(byte[] wav);
  }

  record FlipBit(double where, int bit) implements Mutation {
    @Override
    public byte[] apply(byte[] wav) {
      byte[] out = wav.clone();
      if (out.length > 0) {
        out[index(where, out.length)] ^= (byte) (1 << bit);
      }
      return out;
    }
  }

  record Truncate(double keep) implements Mutation {
    @Override
    public byte[] apply(byte[] wav) {
      return Arrays.copyOf(wav, (int) (keep * wav.length));
    }
  }

  /** Rewrites the size field of the RIFF header or of one of the chunks. */
  record RewriteSize(int which, long value) implements Mutation {
    @Override
    public byte[] apply(byte[] wav) {
      List<Integer> fields = new ArrayList<>();
      if (wav.length >= 8) {
        fields.add(4);
      }
      for (int header : chunkHeaderOffsets(wav)) {
        if (header + 8 <= wav.length) {
          fields.add(header + 4);
        }
      }
      if (fields.isEmpty()) {
        return wav;
      }
      byte[] out = wav.clone();
      writeU32(out, fields.get(which % fields.size()), value);
      return out;
    }
  }

  record RewriteU32(double where, long value) implements Mutation {
    @Override
    public byte[] apply(byte[] wav) {
      if (wav.length < 4) {
        return wav;
      }
      byte[] out = wav.clone();
      writeU32(out, index(where, out.length - 3), value);
      return out;
    }
  }

  /** Inserts a chunk at a chunk boundary, optionally fixing the RIFF size to match. */
  record InsertChunk(int which, String id, byte[] body, long claimedSize, boolean fixRiffSize)
      implements Mutation {
    @Override
    public byte[] apply(byte[] wav) {
      List<Integer> boundaries = chunkHeaderOffsets(wav);
      boundaries.add(wav.length);
      int at = Math.min(boundaries.get(which % boundaries.size()), wav.length);
      byte[] chunk = TestWavs.chunk(id, body, claimedSize < 0 ? body.length : claimedSize);
      byte[] out = insert(wav, at, chunk);
      if (fixRiffSize && out.length >= 8) {
        writeU32(out, 4, out.length - 8L);
      }
      return out;
    }

    @Override
    public String toString() {
      return "InsertChunk["
          + which
          + ", "
          + id.chars().mapToObj(c -> String.format("%02x", c)).toList()
          + ", "
          + body.length
          + " bytes, claims "
          + claimedSize
          + ", fixRiff "
          + fixRiffSize
          + "]";
    }
  }

  // ---- byte helpers (tolerant of any input: they serve mutated files) ----

  /** Offsets of the chunk headers after the RIFF header, as far as the sizes can be followed. */
  static List<Integer> chunkHeaderOffsets(byte[] wav) {
    List<Integer> offsets = new ArrayList<>();
    long pos = 12;
    while (pos + 8 <= wav.length && offsets.size() < 64) {
      offsets.add((int) pos);
      long size =
          (wav[(int) pos + 4] & 0xFFL)
              | (wav[(int) pos + 5] & 0xFFL) << 8
              | (wav[(int) pos + 6] & 0xFFL) << 16
              | (wav[(int) pos + 7] & 0xFFL) << 24;
      pos += 8 + size + (size & 1);
    }
    if (offsets.isEmpty()) {
      offsets.add(Math.min(12, wav.length));
    }
    return offsets;
  }

  static byte[] insert(byte[] wav, int at, byte[] chunk) {
    byte[] out = new byte[wav.length + chunk.length];
    System.arraycopy(wav, 0, out, 0, at);
    System.arraycopy(chunk, 0, out, at, chunk.length);
    System.arraycopy(wav, at, out, at + chunk.length, wav.length - at);
    return out;
  }

  static void writeU32(byte[] b, int off, long v) {
    for (int i = 0; i < 4; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  private static int index(double where, int length) {
    return Math.min((int) (where * length), length - 1);
  }
}

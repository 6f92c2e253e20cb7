package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipline.testing.ScriptedSource;

class WavRecorderTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final RecordingWriter writer = RecordingWriter.start();

  @AfterEach
  void closeWriter() {
    writer.close();
  }

  /** Ends the recording and waits until the writer thread completed its file. */
  private static void finish(WavRecorder r) throws Exception {
    r.close();
    r.finished().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void writesA16BitMono8kHzWavThatJavaSoundReads() throws Exception {
    short[] audio = ScriptedSource.sweep(3);
    WavRecorder r = WavRecorder.create(writer, dir, "abc@host");
    for (int i = 0; i < 3; i++) {
      r.write(audio, i * 160, 160);
    }
    finish(r);

    assertThat(WavFiles.readPcm16Mono8k(r.path())).isEqualTo(audio);
  }

  @Test
  void headerSizesAreFixedUpOnClose() throws Exception {
    WavRecorder r = WavRecorder.create(writer, dir, "sizes");
    r.write(new short[100], 0, 100);
    finish(r);

    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(r.path())).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.capacity()).isEqualTo(44 + 200);
    assertThat(b.getInt(4)).isEqualTo(36 + 200);
    assertThat(b.getInt(40)).isEqualTo(200);
  }

  @Test
  void audioLongerThanTheBufferReachesTheFileInOrder() throws Exception {
    short[] audio = ScriptedSource.sweep(150); // 48 000 bytes, three buffers' worth
    WavRecorder r = WavRecorder.create(writer, dir, "long");
    for (int at = 0; at < audio.length; at += 160) {
      r.write(audio, at, 160);
    }
    finish(r);

    assertThat(WavFiles.readPcm16Mono8k(r.path())).isEqualTo(audio);
  }

  @Test
  void theFileStopsGrowingAtItsSizeLimitAndStaysValid() throws Exception {
    short[] audio = ScriptedSource.sweep(10);
    WavRecorder r = WavRecorder.create(writer, dir, "limit", 1000);
    for (int at = 0; at < audio.length; at += 160) {
      r.write(audio, at, 160);
    }
    finish(r);

    assertThat(WavFiles.readPcm16Mono8k(r.path())).isEqualTo(Arrays.copyOf(audio, 500));
  }

  @Test
  void writesAfterCloseAreIgnored() throws Exception {
    WavRecorder r = WavRecorder.create(writer, dir, "closed");
    r.write(new short[] {1, 2}, 0, 2);
    finish(r);
    r.write(new short[] {3, 4}, 0, 2);
    r.close();

    assertThat(WavFiles.readPcm16Mono8k(r.path())).containsExactly(1, 2);
  }

  @Test
  void theFileIsNamedAfterTheSanitizedCallId() throws Exception {
    WavRecorder r = WavRecorder.create(writer, dir, "a/b\\c: d@host.example");
    finish(r);
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
    WavRecorder first = WavRecorder.create(writer, dir, "same");
    WavRecorder second = WavRecorder.create(writer, dir, "same");
    first.close();
    second.close();

    assertThat(first.path().getFileName()).hasToString("same.wav");
    assertThat(second.path().getFileName()).hasToString("same-1.wav");
  }

  /**
   * The receive thread serves every call: a recording whose disk blocks must not hold it. Its own
   * blocks beyond the hand-off's bound are dropped and counted, and recorded as silence in their
   * place; another call's recording, written on the same thread meanwhile, is complete.
   */
  @Test
  void aRecordingWhoseDiskBlocksDelaysNeitherTheReceiveThreadNorAnotherCall() throws Exception {
    int blockSamples = WavRecorder.BUFFER_BYTES / 2;
    int blocks = RecordingWriter.MAX_QUEUED_BLOCKS + 6;
    short[] slowAudio = ScriptedSource.sweep(blocks * blockSamples / 160 + 3);
    short[] fastAudio = ScriptedSource.sweep(blockSamples * 3 / 160 + 7);
    CountDownLatch diskBack = new CountDownLatch(1);
    CountDownLatch diskStuck = new CountDownLatch(1);
    BlockingDisk slowDisk = new BlockingDisk(dir.resolve("slow.raw"), diskStuck, diskBack);
    WavRecorder slow = WavRecorder.onDisk(writer, dir.resolve("slow.raw"), slowDisk, "slow@test");
    WavRecorder fast = WavRecorder.create(writer, dir, "fast@test");

    // This thread stands for the receive thread: every write must return while the disk is stuck.
    assertTimeoutPreemptively(
        PATIENCE,
        () -> {
          // The first block is handed over when the sample after it comes; then the writer thread
          // is stuck in its write, and the hand-off's bound counts only what waits behind it.
          slow.write(slowAudio, 0, blockSamples + 1);
          assertThat(diskStuck.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
              .as("the writer thread is inside the slow disk's write")
              .isTrue();
          for (int at = blockSamples + 1; at < slowAudio.length; at += 160) {
            slow.write(slowAudio, at, Math.min(160, slowAudio.length - at));
          }
          for (int at = 0; at < fastAudio.length; at += 160) {
            fast.write(fastAudio, at, Math.min(160, fastAudio.length - at));
          }
          slow.close();
          fast.close();
        });
    assertThat(fast.finished()).as("the fast recording waits behind the stuck write").isNotDone();

    diskBack.countDown();
    slow.finished().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    fast.finished().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(WavFiles.readPcm16Mono8k(fast.path())).isEqualTo(fastAudio);
    // One block went to the disk and blocked, MAX_QUEUED_BLOCKS waited, the rest were dropped.
    long dropped =
        (long) (blocks - 1 - RecordingWriter.MAX_QUEUED_BLOCKS) * WavRecorder.BUFFER_BYTES;
    assertThat(slow.droppedBytes()).isEqualTo(dropped);
    short[] heard = WavFiles.readPcm16Mono8k(slow.path());
    assertThat(heard).hasSameSizeAs(slowAudio);
    int kept = (1 + RecordingWriter.MAX_QUEUED_BLOCKS) * blockSamples;
    int silentTo = blocks * blockSamples;
    assertThat(Arrays.copyOf(heard, kept)).isEqualTo(Arrays.copyOf(slowAudio, kept));
    assertThat(Arrays.copyOfRange(heard, kept, silentTo)).containsOnly((short) 0);
    assertThat(Arrays.copyOfRange(heard, silentTo, heard.length))
        .isEqualTo(Arrays.copyOfRange(slowAudio, silentTo, slowAudio.length));
  }

  /** A file whose first audio write waits until the test lets the disk go on. */
  private static final class BlockingDisk implements WavRecorder.Disk {
    private final FileChannel file;
    private final CountDownLatch stuck;
    private final CountDownLatch back;

    BlockingDisk(Path path, CountDownLatch stuck, CountDownLatch back) throws Exception {
      this.file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      this.stuck = stuck;
      this.back = back;
    }

    @Override
    public void write(ByteBuffer src, long position) throws java.io.IOException {
      if (position >= WavRecorder.HEADER_BYTES) {
        stuck.countDown();
        try {
          back.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("disk wait interrupted");
        }
      }
      long at = position;
      while (src.hasRemaining()) {
        at += file.write(src, at);
      }
    }

    @Override
    public long size() throws java.io.IOException {
      return file.size();
    }

    @Override
    public void close() throws java.io.IOException {
      file.close();
    }
  }
}

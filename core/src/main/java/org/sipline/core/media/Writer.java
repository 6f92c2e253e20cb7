package org.sipline.core.media;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.sipline.core.InvalidArgumentException;
import org.sipline.core.audio.ChunkResampler;
import org.sipline.core.audio.G711;

/**
 * The writing side of a Converse stream: chunks re-framed and converted into the call's queue as
 * utterances, marks, clears with their fences, pause, DTMF. Misuse that is the request's own fault
 * throws {@link InvalidArgumentException} naming the proto field; a chunk the queue cannot take is
 * answered with an AudioRejected event. Either way nothing queued before is touched.
 *
 * <p>Chunks are converted outside the call's lock (a 64 KiB chunk at 48 kHz is real work) but one
 * at a time ({@link #writeLock}), so an utterance's resampler and its odd trailing byte see its
 * chunks in order. What the queue holds is decided under the call's lock.
 */
final class Writer {
  static final int MAX_CHUNK_BYTES = 64 * 1024;

  private final CallStream stream;
  private final Object writeLock = new Object();
  final DtmfSender dtmf;

  // Guarded by writeLock: the conversion state of the utterance being written.
  private String convertingId;
  private ChunkResampler resampler;
  private int oddByte = -1;

  // Guarded by the call's lock.
  private Utterance open;
  private String openId;
  private final Set<String> seen = new HashSet<>();
  private final Map<String, Utterance> utterances = new HashMap<>();
  private final Set<String> fenced = new HashSet<>();
  private final Set<String> markIds = new HashSet<>();
  private boolean xoff;

  /** Why this writer takes nothing more (closed, taken over, gone past its grace), or null. */
  private String released;

  Writer(CallStream stream) {
    this.stream = stream;
    this.dtmf = new DtmfSender(stream);
  }

  // ---- audio -------------------------------------------------------------------------------

  void audio(String utteranceId, byte[] data, boolean end) {
    Objects.requireNonNull(utteranceId, "utteranceId");
    Objects.requireNonNull(data, "data");
    if (data.length > MAX_CHUNK_BYTES) {
      throw new InvalidArgumentException(
          "audio.data", data.length + " bytes: at most " + MAX_CHUNK_BYTES + " (64 KiB) per chunk");
    }
    if (utteranceId.isEmpty()) {
      throw new InvalidArgumentException(
          "audio.utterance_id", "empty: every chunk names its utterance");
    }
    synchronized (writeLock) {
      boolean admitted = stream.withLock(() -> admit(utteranceId, data.length));
      if (!admitted) {
        return;
      }
      if (!utteranceId.equals(convertingId)) {
        convertingId = utteranceId;
        // Resampled to the call's rate; G.711 chunks are decoded (at 8 kHz) first.
        int rate = stream.outbound.sampleRate();
        int callRate = queue().rate();
        resampler = rate != callRate ? ChunkResampler.between(rate, callRate) : null;
        oddByte = -1;
      }
      short[] pcm = convert(data, end);
      if (end) {
        convertingId = null;
      }
      stream.withLock(
          () -> {
            queue(utteranceId, pcm, end, data.length);
            return null;
          });
    }
  }

  /** Under the call's lock: may the chunk be taken? Answers AudioRejected when not. */
  private boolean admit(String id, int bytes) {
    if (!isActive()) {
      return false; // the call ended (its CallState says so) or the writer left
    }
    if (fenced.contains(id)) {
      return reject(id, bytes, "fenced: utterance '" + id + "' was cleared");
    }
    if (!id.equals(openId) && seen.contains(id)) {
      return reject(id, bytes, "utterance '" + id + "' already ended");
    }
    long queued = queue().queuedSamples();
    int perMs = perMs();
    long cap = stream.maxQueuedMs * (long) perMs;
    long adding = estimate(bytes);
    if (queued + adding > cap) {
      return reject(
          id,
          bytes,
          "queue full: "
              + queued / perMs
              + " ms queued + "
              + adding / perMs
              + " ms > max_queued_ms "
              + stream.maxQueuedMs);
    }
    return true;
  }

  /** Under the call's lock: into the queue, unless a clear fenced it meanwhile. */
  private void queue(String id, short[] pcm, boolean end, int bytes) {
    if (!isActive()) {
      return;
    }
    if (fenced.contains(id)) {
      reject(id, bytes, "fenced: utterance '" + id + "' was cleared");
      return;
    }
    if (id.equals(openId)) {
      if (!queue().append(open, pcm, end)) {
        openId = null;
        open = null;
        reject(id, bytes, "utterance '" + id + "' already ended (audio queued after it ended it)");
        return;
      }
    } else {
      Utterance u = queue().start(id, stream, pcm, end);
      if (u == null) {
        return; // the call's audio ended
      }
      seen.add(id);
      utterances.put(id, u);
      open = u;
      openId = id;
    }
    if (end) {
      open = null;
      openId = null;
    }
    long queued = queue().queuedSamples();
    int perMs = perMs();
    if (!xoff && queued * 10 > stream.maxQueuedMs * (long) perMs * 8) {
      stream.call().settle();
      xoff = true;
      stream.emit(seq -> new MediaEvent.Flow(seq, true, (int) (queued / perMs)));
    }
  }

  /** Under the call's lock, while settling: back under half the cap after an xoff. */
  void checkXon(long queued) {
    int perMs = perMs();
    if (xoff && queued * 2 < stream.maxQueuedMs * (long) perMs) {
      xoff = false;
      stream.emit(seq -> new MediaEvent.Flow(seq, false, (int) (queued / perMs)));
    }
  }

  /** The queue level below which {@link #checkXon} has something to say, or -1. */
  long xonLevel() {
    return xoff ? stream.maxQueuedMs * (perMs() / 2L) - 1 : -1;
  }

  private boolean reject(String id, int bytes, String reason) {
    stream.call().settle();
    stream.chunksRejected++;
    long queuedMs = queue().queuedSamples() / perMs();
    stream.emit(seq -> new MediaEvent.AudioRejected(seq, id, bytes, reason, (int) queuedMs));
    return false;
  }

  /** Samples per millisecond at the call's rate: 8 for G.711. */
  private int perMs() {
    return queue().rate() / 1000;
  }

  /** Call-rate samples a chunk of {@code bytes} will give (± the resampler's few held back). */
  private long estimate(int bytes) {
    AudioFormat f = stream.outbound;
    long samples =
        f.encoding() != AudioEncoding.LINEAR16
            ? bytes
            : ((long) bytes + (oddByte >= 0 ? 1 : 0)) / 2;
    return samples * queue().rate() / f.sampleRate();
  }

  /**
   * Bytes in the stream's outbound format to samples at the call's rate. Under {@link #writeLock}.
   */
  private short[] convert(byte[] data, boolean end) {
    AudioFormat f = stream.outbound;
    short[] pcm;
    switch (f.encoding()) {
      case MULAW -> {
        pcm = new short[data.length];
        G711.decodeUlaw(data, 0, pcm, 0, data.length);
        pcm = resampled(pcm, end);
      }
      case ALAW -> {
        pcm = new short[data.length];
        G711.decodeAlaw(data, 0, pcm, 0, data.length);
        pcm = resampled(pcm, end);
      }
      default -> {
        int total = data.length + (oddByte >= 0 ? 1 : 0);
        short[] linear = new short[total / 2];
        int at = 0;
        int i = 0;
        if (oddByte >= 0 && data.length > 0) {
          linear[i++] = (short) ((oddByte & 0xff) | (data[0] << 8));
          at = 1;
          oddByte = -1;
        }
        for (; at + 1 < data.length; at += 2) {
          linear[i++] = (short) ((data[at] & 0xff) | (data[at + 1] << 8));
        }
        if (at < data.length) {
          oddByte = data[at] & 0xff; // kept until the next chunk completes it
        }
        if (end) {
          oddByte = -1; // half a sample at the very end: nothing to play
        }
        pcm = resampled(linear, end);
      }
    }
    return pcm;
  }

  /** {@code pcm} at the call's rate: through the utterance's resampler when it has one. */
  private short[] resampled(short[] pcm, boolean end) {
    if (resampler == null) {
      return pcm;
    }
    short[] out = resampler.push(pcm, 0, pcm.length);
    if (end) {
      short[] rest = resampler.finish();
      short[] all = java.util.Arrays.copyOf(out, out.length + rest.length);
      System.arraycopy(rest, 0, all, out.length, rest.length);
      out = all;
    }
    return out;
  }

  // ---- marks, clears, pause ----------------------------------------------------------------

  void mark(String id) {
    Objects.requireNonNull(id, "id");
    if (id.isEmpty()) {
      throw new InvalidArgumentException("mark.id", "empty");
    }
    stream.withLock(
        () -> {
          requireActive("mark");
          if (!markIds.add(id)) {
            throw new InvalidArgumentException(
                "mark.id", "'" + id + "' was used before on this stream: ids are unique");
          }
          queue().mark(id, stream);
          return null;
        });
  }

  void clear(String through) {
    Objects.requireNonNull(through, "through");
    stream.withLock(
        () -> {
          requireActive("clear");
          Utterance target = through.isEmpty() ? null : find(through);
          if (!through.isEmpty() && target == null) {
            throw new InvalidArgumentException(
                "clear.through_utterance",
                "unknown utterance '" + through + "': no chunk of it was sent on this stream");
          }
          fence(through);
          queue().clear(target, through, stream, MarkOutcome.CLEARED, null);
          return null;
        });
  }

  /**
   * Under the call's lock: the utterance {@code id} of this writer or a prompt in the call, or
   * null.
   */
  Utterance find(String id) {
    Utterance u = utterances.get(id);
    return u != null ? u : stream.call().prompt(id);
  }

  /** Under the call's lock: later chunks of what is cleared are dropped ("" = all seen so far). */
  void fence(String through) {
    if (through.isEmpty()) {
      fenced.addAll(seen);
    } else {
      fenced.add(through);
    }
    if (openId != null && fenced.contains(openId)) {
      open = null;
      openId = null;
    }
  }

  void pause(boolean on) {
    stream.withLock(
        () -> {
          requireActive(on ? "pause" : "resume");
          queue().setPaused(on);
          return null;
        });
  }

  void sendDtmf(String digits, int durationMs, int gapMs) {
    Objects.requireNonNull(digits, "digits");
    if (digits.isEmpty()) {
      throw new InvalidArgumentException("send_dtmf.digits", "empty");
    }
    for (int i = 0; i < digits.length(); i++) {
      if (org.sipline.core.spi.DtmfEvent.DIGITS.indexOf(digits.charAt(i)) < 0) {
        throw new InvalidArgumentException(
            "send_dtmf.digits",
            "'" + digits.charAt(i) + "' at index " + i + ": 0-9, *, #, A-D only");
      }
    }
    int duration = durationMs == 0 ? 100 : checkMillis("send_dtmf.duration_ms", durationMs);
    int gap = gapMs == 0 ? 70 : checkMillis("send_dtmf.gap_ms", gapMs);
    stream.withLock(
        () -> {
          requireActive("send_dtmf");
          dtmf.enqueue(digits, duration, gap);
          return null;
        });
    dtmf.kick();
  }

  private static int checkMillis(String field, int ms) {
    if (ms < 40 || ms > 2000) {
      throw new InvalidArgumentException(field, ms + " ms outside 40..2000 (0 = the default)");
    }
    return ms;
  }

  // ---- life --------------------------------------------------------------------------------

  /** Under the call's lock: takes nothing more; everything written is fenced. */
  void release(String why) {
    if (released == null) {
      released = why;
      fence("");
      dtmf.cancel();
    }
  }

  /** Under the call's lock: whether {@link #release} was called (and not undone by a resume). */
  boolean isReleased() {
    return released != null;
  }

  /** Under the call's lock: a resumed client writes again. */
  void unrelease() {
    released = null;
  }

  /** Under the call's lock. */
  boolean isActive() {
    return released == null
        && !stream.isDetached()
        && stream.phase() == CallStream.Phase.ATTACHED
        && stream.call() != null;
  }

  private void requireActive(String command) {
    if (stream.phase() == CallStream.Phase.PENDING) {
      throw stream.hub.precondition(
          command + ": the stream waits for the next call; send after its Opened event");
    }
    if (released != null) {
      throw stream.hub.precondition(command + ": this writer was " + released);
    }
  }

  private PlaybackQueue queue() {
    return stream.call().queue;
  }
}

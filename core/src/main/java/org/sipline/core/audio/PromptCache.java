package org.sipline.core.audio;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Decoded prompts shared between calls: the same WAV bytes played at the same rate are decoded once
 * and every call plays the one read-only array. A voice bot plays the same few prompts on hundreds
 * of lines; decoding each request again kept one 40 s prompt (625 KiB of samples at 8 kHz) alive
 * per call for as long as it played, and at 500 calls that garbage set off the G1 pauses that cost
 * pacing (BENCHMARKS.md §8).
 *
 * <p>Keyed by the bytes' SHA-256 and the target rate, not by a name: SipPlayWavFiles carries the
 * file itself, so changed content is another key and is decoded afresh, and equal content sent by
 * different clients is shared. Bounded by the decoded bytes it holds, least recently used first
 * out; a prompt larger than the whole bound is decoded for its caller and not kept. Callers that
 * ask for the same prompt while it is being decoded wait for that one decoding (and see its
 * failure, the same for them all).
 *
 * <p>The arrays handed out are shared: nobody may write into them (the playback queue only reads
 * what it is given).
 */
public final class PromptCache {
  private final long maxBytes;

  // Guarded by this. Access order: the first entry is the least recently used.
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  /**
   * @param maxBytes the most decoded bytes (2 per sample) kept; 0 keeps nothing
   */
  public PromptCache(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /**
   * The samples of {@code wav} at {@code targetRate}, decoded by {@code decoder} unless this cache
   * holds them already or another caller is decoding them now.
   *
   * @param wav the WAV file's bytes, as the request carried them
   * @param targetRate the sample rate the call plays at, in Hz
   * @param decoder turns the bytes into mono PCM at {@code targetRate}; it may throw (e.g. {@link
   *     WavFormatException}), and then every caller waiting for it gets that exception
   * @return the decoded samples, shared: read them, never write into them
   */
  public short[] decode(byte[] wav, int targetRate, Function<byte[], short[]> decoder) {
    Objects.requireNonNull(wav, "wav");
    Objects.requireNonNull(decoder, "decoder");
    Key key = new Key(HexFormat.of().formatHex(sha256(wav)), targetRate);
    Entry entry;
    boolean mine = false;
    synchronized (this) {
      entry = entries.get(key);
      if (entry == null) {
        entry = new Entry();
        entries.put(key, entry);
        mine = true;
      }
    }
    if (!mine) {
      try {
        return entry.pcm.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        throw e;
      }
    }
    short[] pcm;
    try {
      pcm = Objects.requireNonNull(decoder.apply(wav), "the decoder returned null");
    } catch (RuntimeException e) {
      synchronized (this) {
        entries.remove(key, entry);
      }
      entry.pcm.completeExceptionally(e);
      throw e;
    }
    entry.pcm.complete(pcm);
    kept(key, entry, 2L * pcm.length);
    return pcm;
  }

  /**
   * The decoded bytes held now.
   *
   * @return 2 bytes per sample of every prompt kept
   */
  public synchronized long bytes() {
    return bytes;
  }

  /**
   * How many decoded prompts are held (or being decoded) now.
   *
   * @return the number of entries
   */
  public synchronized int size() {
    return entries.size();
  }

  private synchronized void kept(Key key, Entry entry, long size) {
    if (entries.get(key) != entry) {
      return;
    }
    if (size > maxBytes) {
      entries.remove(key);
      return;
    }
    entry.size = size;
    entry.counted = true;
    bytes += size;
    Iterator<Map.Entry<Key, Entry>> oldest = entries.entrySet().iterator();
    while (bytes > maxBytes && oldest.hasNext()) {
      Entry e = oldest.next().getValue();
      if (e != entry && e.counted) { // one still being decoded has not been counted yet
        bytes -= e.size;
        oldest.remove();
      }
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static final class Entry {
    final CompletableFuture<short[]> pcm = new CompletableFuture<>();
    long size;
    boolean counted; // false while being decoded: not in bytes yet, not to be evicted
  }

  /** The content's SHA-256 (in hex: a record holds no array) and the rate it is decoded to. */
  private record Key(String sha256, int rate) {}
}

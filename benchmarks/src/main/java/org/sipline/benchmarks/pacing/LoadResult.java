package org.sipline.benchmarks.pacing;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What the load process measured about itself, handed to the harness as a properties file.
 *
 * @param calls calls asked for
 * @param connected calls that reached OUTGOING_CALL_CONNECTED
 * @param setupMillis how long setting every call up took (SIP: first REGISTER to last call
 *     connected)
 * @param heapBaseline live heap bytes before any call was set up
 * @param heapConnected live heap bytes with every call connected and sending silence
 * @param heapPlaying live heap bytes with every call playing the WAV
 * @param wavSamples samples of the WAV at 8 kHz (what one playing call holds decoded)
 */
public record LoadResult(
    int calls,
    int connected,
    long setupMillis,
    long heapBaseline,
    long heapConnected,
    long heapPlaying,
    long wavSamples) {

  void write(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("calls", Integer.toString(calls));
    p.setProperty("connected", Integer.toString(connected));
    p.setProperty("setupMillis", Long.toString(setupMillis));
    p.setProperty("heapBaseline", Long.toString(heapBaseline));
    p.setProperty("heapConnected", Long.toString(heapConnected));
    p.setProperty("heapPlaying", Long.toString(heapPlaying));
    p.setProperty("wavSamples", Long.toString(wavSamples));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "sipline call load");
    }
    // Renamed into place so the harness never reads a half-written file.
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  static LoadResult read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return new LoadResult(
        Integer.parseInt(get(p, "calls", file)),
        Integer.parseInt(get(p, "connected", file)),
        Long.parseLong(get(p, "setupMillis", file)),
        Long.parseLong(get(p, "heapBaseline", file)),
        Long.parseLong(get(p, "heapConnected", file)),
        Long.parseLong(get(p, "heapPlaying", file)),
        Long.parseLong(get(p, "wavSamples", file)));
  }

  private static String get(Properties p, String key, Path file) throws IOException {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IOException(file + " lacks " + key);
    }
    return v;
  }

  /** Heap per call above the baseline; -1 without calls. */
  long perCall(long heap) {
    return connected == 0 ? -1 : (heap - heapBaseline) / connected;
  }
}

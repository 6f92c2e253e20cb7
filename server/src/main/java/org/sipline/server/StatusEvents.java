package org.sipline.server;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sipline.api.lines.v1.StatusEntry;
import org.sipline.api.lines.v1.WatchEvent;
import org.sipline.core.LineStatus;

/**
 * The WatchStatus event of a line's status, made once for every watcher of the line. A status
 * recorded on a line with a thousand watchers used to be turned into a protobuf message a thousand
 * times on the line's thread, and each copy sized and UTF-8 encoded again by gRPC for its stream;
 * now the newest status of each line has one event, shared, which carries its fields as the bytes
 * they were encoded to once, so each stream only copies them.
 *
 * <p>Events are immutable, so sharing one between streams and threads is safe; two threads that
 * both find no event for a new status both make one, with the same content.
 */
final class StatusEvents {
  private record Made(LineStatus status, WatchEvent event) {}

  /** Per line name, the event of its newest status made so far. */
  private final Map<String, Made> newest = new ConcurrentHashMap<>();

  /** The event of {@code status} of the line named {@code line}. */
  // The same entry of the history, not an equal one: a line created again under a removed line's
  // name may record an equal status under the same number.
  @SuppressWarnings("ReferenceEquality")
  WatchEvent of(String line, LineStatus status) {
    Made made = newest.get(line);
    if (made != null && made.status() == status) {
      return made.event();
    }
    WatchEvent event = make(line, status);
    if (made == null || made.status().sequence() <= status.sequence()) {
      // A catch-up reading old entries does not push a live status's event out.
      newest.put(line, new Made(status, event));
    }
    return event;
  }

  /** Forgets a removed line (a line created again under its name numbers its statuses anew). */
  void forget(String line) {
    newest.remove(line);
  }

  static WatchEvent make(String line, LineStatus s) {
    WatchEvent built =
        WatchEvent.newBuilder()
            .setStatus(
                StatusEntry.newBuilder()
                    .setLine(line)
                    .setSeq(s.sequence())
                    .setStatus(StatusMessages.toProto(s)))
            .build();
    try {
      // Parsed back from its bytes, the message holds its strings as those UTF-8 bytes: writing
      // it to a stream copies them instead of encoding every string again for every watcher.
      return WatchEvent.parseFrom(built.toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a WatchEvent we encoded did not parse back", e);
    }
  }
}

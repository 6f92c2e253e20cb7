package org.sipline.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sipline.api.lines.v1.StatusEntry;
import org.sipline.api.lines.v1.WatchEvent;
import org.sipline.core.LineStatus;

/**
 * The WatchStatus event of a line's status, made and encoded once for every watcher of the line. A
 * status recorded on a line with a thousand watchers used to be turned into a protobuf message a
 * thousand times on the line's thread, and each copy sized and UTF-8 encoded again by gRPC for its
 * stream; now the newest status of each line has one event, shared, and the bytes it encodes to,
 * which {@link WatchEventMarshaller} hands every stream instead of encoding the event again.
 *
 * <p>(An earlier version parsed the event back from its bytes, hoping the message would then hold
 * its strings as bytes. Proto3 parses a string field into a {@code String}, so every stream still
 * encoded every string: JFR put 26 % of the watch pumps' samples in {@code Utf8.encode}.)
 *
 * <p>Events are immutable, so sharing one between streams and threads is safe; two threads that
 * both find no event for a new status both make one, with the same content.
 */
final class StatusEvents {
  // Never compared nor hashed (identity is what is looked up), so the array's identity equality
  // in the record's equals does not matter.
  @SuppressWarnings("ArrayRecordComponent")
  private record Made(String line, LineStatus status, WatchEvent event, byte[] encoded) {}

  /** Per line name, the event of its newest status made so far. */
  private final Map<String, Made> newest = new ConcurrentHashMap<>();

  /**
   * The event made last, whatever its line: every watcher of a line asks for the same one in turn
   * on the line's thread, and this spares each of them the map.
   */
  private volatile Made last;

  /** The event of {@code status} of the line named {@code line}. */
  // The same entry of the history, not an equal one: a line created again under a removed line's
  // name may record an equal status under the same number.
  @SuppressWarnings("ReferenceEquality")
  WatchEvent of(String line, LineStatus status) {
    Made l = last;
    if (l != null && l.status() == status && l.line().equals(line)) {
      return l.event();
    }
    Made made = newest.get(line);
    if (made != null && made.status() == status) {
      last = made;
      return made.event();
    }
    WatchEvent event = make(line, status);
    if (made == null || made.status().sequence() <= status.sequence()) {
      // A catch-up reading old entries does not push a live status's event out.
      Made now = new Made(line, status, event, event.toByteArray());
      newest.put(line, now);
      last = now;
    }
    return event;
  }

  /**
   * The bytes {@code event} encodes to, when it is the shared event of a line's newest status; null
   * for any other event (a gap, an older entry read by a catch-up), which is encoded as usual. The
   * array is shared: read it, never write it.
   */
  @SuppressWarnings("ReferenceEquality") // the shared instance, as in of()
  byte[] encoded(WatchEvent event) {
    Made l = last;
    if (l != null && l.event() == event) {
      return l.encoded();
    }
    if (!event.hasStatus()) {
      return null;
    }
    Made made = newest.get(event.getStatus().getLine());
    return made != null && made.event() == event ? made.encoded() : null;
  }

  /** Forgets a removed line (a line created again under its name numbers its statuses anew). */
  void forget(String line) {
    newest.remove(line);
    Made l = last;
    if (l != null && l.line().equals(line)) {
      last = null;
    }
  }

  static WatchEvent make(String line, LineStatus s) {
    return WatchEvent.newBuilder()
        .setStatus(
            StatusEntry.newBuilder()
                .setLine(line)
                .setSeq(s.sequence())
                .setStatus(StatusMessages.toProto(s)))
        .build();
  }
}

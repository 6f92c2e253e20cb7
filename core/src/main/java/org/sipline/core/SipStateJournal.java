package org.sipline.core;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sipline.core.spi.BindingRecord;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the line holds on the network that a crash would leave behind — confirmed dialogs and
 * registered bindings — journaled beside the status journal ({@code <journal>+sip}, a name no line
 * journal can take) as JSON lines: a record when one appears or changes, an end mark when it goes.
 * Re-read on open: what has no end mark is what the previous process left ({@link #leftovers()}).
 * Written only by the line's actor.
 *
 * <p>The file is outside input when it is read: a torn or malformed line is reported in {@link
 * Leftovers#problems()} and goes no further; what its records say is checked again before anything
 * is sent ({@link OrphanCheck}).
 */
final class SipStateJournal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SipStateJournal.class);

  /** Beyond this many lines per live record (plus a floor), the file is rewritten. */
  private static final int COMPACT_FLOOR = 64;

  /** A dialog the previous process left: who held it, and when it was last journaled. */
  record LeftDialog(String account, DialogRecord dialog, Instant time) {}

  /** A binding the previous process left, and how long the registrar granted it from then. */
  record LeftBinding(String account, BindingRecord binding, Instant time, int expires) {}

  /** What the previous process left, and the lines of its journal that could not be read. */
  record Leftovers(List<LeftDialog> dialogs, List<LeftBinding> bindings, List<String> problems) {
    static final Leftovers NONE = new Leftovers(List.of(), List.of(), List.of());

    boolean isEmpty() {
      return dialogs.isEmpty() && bindings.isEmpty() && problems.isEmpty();
    }
  }

  private final Path file;
  private final Clock clock;
  private final Map<String, LeftDialog> dialogs = new LinkedHashMap<>();
  private final Map<String, LeftBinding> bindings = new LinkedHashMap<>();
  private final Leftovers leftovers;
  private BufferedWriter writer;
  private int lines;

  private SipStateJournal(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
    if (file == null) {
      leftovers = Leftovers.NONE;
      return;
    }
    List<String> problems = new ArrayList<>();
    read(problems);
    leftovers =
        new Leftovers(
            List.copyOf(dialogs.values()), List.copyOf(bindings.values()), List.copyOf(problems));
    try {
      rewrite(); // drops the unreadable lines and the ended records, keeps what is still open
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write SIP state journal " + file, e);
    }
  }

  /** The journal beside {@code statusJournal}; with null, one that keeps nothing. */
  static SipStateJournal open(Path statusJournal, Clock clock) {
    return new SipStateJournal(statusJournal == null ? null : pathBeside(statusJournal), clock);
  }

  /** {@code <journal>+sip}: '+' is no character of a line name, so no line journal is named so. */
  static Path pathBeside(Path statusJournal) {
    return statusJournal.resolveSibling(statusJournal.getFileName() + "+sip");
  }

  Leftovers leftovers() {
    return leftovers;
  }

  // ---- what this process holds ----------------------------------------------------------

  /** A confirmed dialog, or a change to one. */
  void dialog(String account, DialogRecord d) {
    if (file == null) {
      return;
    }
    LeftDialog entry = new LeftDialog(account, d, clock.instant());
    if (entry.dialog().equals(previous(d.callId()))) {
      return;
    }
    dialogs.put(d.callId(), entry);
    append(writeDialog(entry));
  }

  private DialogRecord previous(String callId) {
    LeftDialog e = dialogs.get(callId);
    return e == null ? null : e.dialog();
  }

  /** The dialog {@code callId} is over (or was dealt with): no later process needs it. */
  void dialogEnded(String callId) {
    if (file == null || dialogs.remove(callId) == null) {
      return;
    }
    StringBuilder sb = start("dialog-end");
    field(sb, "callId", callId);
    append(sb.append('}').toString());
  }

  /** A binding the registrar granted for {@code expires} s from now. */
  void binding(String account, BindingRecord b, int expires) {
    if (file == null) {
      return;
    }
    LeftBinding entry = new LeftBinding(account, b, clock.instant(), expires);
    bindings.put(key(b), entry);
    append(writeBinding(entry));
  }

  /** Every binding of {@code account} is gone (un-REGISTERed). */
  void bindingsEnded(String account) {
    if (file == null) {
      return;
    }
    for (LeftBinding b : List.copyOf(bindings.values())) {
      if (b.account().equals(account)) {
        bindingEnded(b.binding());
      }
    }
  }

  /** The binding is gone (removed, or dealt with). */
  void bindingEnded(BindingRecord b) {
    if (file == null || bindings.remove(key(b)) == null) {
      return;
    }
    StringBuilder sb = start("binding-end");
    field(sb, "aor", b.aor());
    field(sb, "contact", b.contact());
    append(sb.append('}').toString());
  }

  private static String key(BindingRecord b) {
    return b.aor() + " " + b.contact();
  }

  private void append(String line) {
    if (writer == null) {
      return; // a write failed earlier: reported then
    }
    try {
      writer.write(line);
      writer.write('\n');
      // Flushed per record: the OS then holds it, which is what survives kill -9.
      writer.flush();
      if (++lines > COMPACT_FLOOR + 4 * (dialogs.size() + bindings.size())) {
        rewrite();
      }
    } catch (IOException e) {
      log.error(
          "SIP state journal {}: write failed; a crash from now on may leave calls up", file, e);
      closeWriter();
    }
  }

  /** Rewrites the file with the open records only, atomically. */
  private void rewrite() throws IOException {
    closeWriter();
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (LeftDialog d : dialogs.values()) {
        w.write(writeDialog(d));
        w.write('\n');
      }
      for (LeftBinding b : bindings.values()) {
        w.write(writeBinding(b));
        w.write('\n');
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    lines = dialogs.size() + bindings.size();
    writer =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private void closeWriter() {
    if (writer == null) {
      return;
    }
    try {
      writer.close();
    } catch (IOException e) {
      log.warn("SIP state journal {}: close failed", file, e);
    }
    writer = null;
  }

  @Override
  public void close() {
    closeWriter();
  }

  // ---- the format -----------------------------------------------------------------------

  private StringBuilder start(String kind) {
    StringBuilder sb = new StringBuilder(384);
    sb.append("{\"kind\":");
    JsonLine.string(sb, kind);
    field(sb, "time", clock.instant().toString());
    return sb;
  }

  private static void field(StringBuilder sb, String name, String value) {
    sb.append(",\"").append(name).append("\":");
    JsonLine.string(sb, value);
  }

  private static String writeDialog(LeftDialog e) {
    DialogRecord d = e.dialog();
    StringBuilder sb = new StringBuilder(512);
    sb.append("{\"kind\":\"dialog\"");
    field(sb, "time", e.time().toString());
    field(sb, "account", e.account());
    field(sb, "callId", d.callId());
    field(sb, "direction", d.incoming() ? "incoming" : "outgoing");
    field(sb, "localUri", d.localUri());
    field(sb, "localTag", d.localTag());
    field(sb, "remoteUri", d.remoteUri());
    field(sb, "remoteTag", d.remoteTag());
    field(sb, "remoteTarget", d.remoteTarget());
    sb.append(",\"routeSet\":[");
    for (int i = 0; i < d.routeSet().size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      JsonLine.string(sb, d.routeSet().get(i));
    }
    sb.append(']');
    sb.append(",\"nextCseq\":").append(d.nextCseq());
    field(sb, "transport", d.transport().name());
    field(sb, "farEndHost", d.farEndHost());
    sb.append(",\"farEndPort\":").append(d.farEndPort());
    return sb.append('}').toString();
  }

  private static String writeBinding(LeftBinding e) {
    BindingRecord b = e.binding();
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"kind\":\"binding\"");
    field(sb, "time", e.time().toString());
    field(sb, "account", e.account());
    field(sb, "aor", b.aor());
    field(sb, "contact", b.contact());
    field(sb, "outboundProxy", b.outboundProxy());
    field(sb, "transport", b.transport().name());
    sb.append(",\"expires\":").append(e.expires());
    return sb.append('}').toString();
  }

  private void read(List<String> problems) {
    if (!Files.exists(file)) {
      return;
    }
    List<String> all;
    try {
      all = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read SIP state journal " + file, e);
    }
    for (int i = 0; i < all.size(); i++) {
      String line = all.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        apply(JsonLine.parse(line));
      } catch (RuntimeException e) {
        // A process killed mid-write leaves at most one torn line at the end; anything else is
        // reported too, and one bad line costs only itself.
        String what = file.getFileName() + " line " + (i + 1) + " unreadable: " + e.getMessage();
        log.warn("SIP state journal {}", what);
        problems.add(what);
      }
    }
  }

  private void apply(Map<String, Object> o) {
    String kind = str(o, "kind");
    switch (kind) {
      case "dialog" -> {
        LeftDialog d = readDialog(o);
        dialogs.put(d.dialog().callId(), d);
      }
      case "dialog-end" -> dialogs.remove(str(o, "callId"));
      case "binding" -> {
        LeftBinding b = readBinding(o);
        bindings.put(key(b.binding()), b);
      }
      case "binding-end" -> bindings.remove(str(o, "aor") + " " + str(o, "contact"));
      default -> throw new IllegalArgumentException("unknown \"kind\" " + kind);
    }
  }

  private static LeftDialog readDialog(Map<String, Object> o) {
    String direction = str(o, "direction");
    if (!direction.equals("incoming") && !direction.equals("outgoing")) {
      throw new IllegalArgumentException("\"direction\" is neither incoming nor outgoing");
    }
    Object routes = o.get("routeSet");
    if (!(routes instanceof List<?> list)) {
      throw new IllegalArgumentException("missing \"routeSet\"");
    }
    List<String> routeSet = new ArrayList<>();
    for (Object r : list) {
      routeSet.add((String) r); // the reader makes arrays of strings only
    }
    DialogRecord d =
        new DialogRecord(
            str(o, "callId"),
            direction.equals("incoming"),
            str(o, "localUri"),
            str(o, "localTag"),
            str(o, "remoteUri"),
            str(o, "remoteTag"),
            str(o, "remoteTarget"),
            routeSet,
            number(o, "nextCseq"),
            transport(o),
            str(o, "farEndHost"),
            (int) Math.max(-1, Math.min(Integer.MAX_VALUE, number(o, "farEndPort"))));
    return new LeftDialog(str(o, "account"), d, time(o));
  }

  private static LeftBinding readBinding(Map<String, Object> o) {
    BindingRecord b =
        new BindingRecord(str(o, "aor"), str(o, "contact"), str(o, "outboundProxy"), transport(o));
    long expires = number(o, "expires");
    if (expires < 0 || expires > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("\"expires\" out of range: " + expires);
    }
    return new LeftBinding(str(o, "account"), b, time(o), (int) expires);
  }

  private static Transport transport(Map<String, Object> o) {
    String t = str(o, "transport");
    try {
      return Transport.valueOf(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"transport\" is not UDP, TCP or TLS", e);
    }
  }

  private static Instant time(Map<String, Object> o) {
    try {
      return Instant.parse(str(o, "time"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("bad \"time\": " + e.getMessage(), e);
    }
  }

  private static String str(Map<String, Object> o, String key) {
    Object v = o.get(key);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(
          v == null ? "missing \"" + key + "\"" : "\"" + key + "\" is not a string");
    }
    return s;
  }

  private static long number(Map<String, Object> o, String key) {
    Object v = o.get(key);
    if (!(v instanceof Long n)) {
      throw new IllegalArgumentException(
          v == null ? "missing \"" + key + "\"" : "\"" + key + "\" is not a number");
    }
    return n;
  }
}

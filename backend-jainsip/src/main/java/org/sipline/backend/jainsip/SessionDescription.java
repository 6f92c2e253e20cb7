package org.sipline.backend.jainsip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A peer's SDP, parsed as far as offer/answer for G.711 needs: the connection addresses and each m=
 * section with its formats, rtpmaps and direction. Everything else is skipped. The text is
 * untrusted: sizes are bounded and every number checked; a bad line is refused naming its number
 * and what was wrong. A c= address must be a literal IP address: a host name is refused as {@link
 * UnacceptableSdp}.
 *
 * @param connection the session-level c= address, or null
 * @param media the m= sections in order
 */
record SessionDescription(String connection, List<MediaDescription> media) {
  static final int MAX_LENGTH = 16_384;
  private static final int MAX_MEDIA = 16;
  private static final int MAX_FORMATS = 64;
  private static final int MAX_CRYPTO = 16;
  private static final Set<String> DIRECTIONS =
      Set.of("sendrecv", "sendonly", "recvonly", "inactive");

  SessionDescription {
    media = List.copyOf(media);
  }

  /** The address media of {@code m} goes to: its own c= or else the session's. */
  String connectionOf(MediaDescription m) {
    return m.connection() != null ? m.connection() : connection;
  }

  static SessionDescription parse(String text) {
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("SDP length " + text.length() + " > " + MAX_LENGTH);
    }
    String[] lines = text.split("\r?\n");
    if (lines.length == 0 || !lines[0].trim().equals("v=0")) {
      throw new IllegalArgumentException("SDP does not start with v=0");
    }
    String sessionConnection = null;
    // RFC 4566 §6: a direction at session level is every stream's unless it names its own.
    String sessionDirection = "sendrecv";
    List<Builder> media = new ArrayList<>();
    Builder current = null;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.isEmpty()) {
        continue;
      }
      int n = i + 1;
      if (line.length() < 2 || line.charAt(1) != '=') {
        throw new IllegalArgumentException("SDP line " + n + " is not type=value: " + cut(line));
      }
      String value = line.substring(2);
      switch (line.charAt(0)) {
        case 'c' -> {
          String address = connection(n, value);
          if (current == null) {
            sessionConnection = address;
          } else {
            current.connection = address;
          }
        }
        case 'm' -> {
          if (media.size() == MAX_MEDIA) {
            throw new IllegalArgumentException("SDP has more than " + MAX_MEDIA + " m= lines");
          }
          current = mediaLine(n, value);
          current.direction = sessionDirection;
          media.add(current);
        }
        case 'a' -> {
          if (current != null) {
            attribute(n, value, current);
          } else if (DIRECTIONS.contains(value.trim().toLowerCase(Locale.ROOT))) {
            sessionDirection = value.trim().toLowerCase(Locale.ROOT);
          }
        }
        default -> {}
      }
    }
    List<MediaDescription> built = new ArrayList<>();
    for (Builder b : media) {
      built.add(
          new MediaDescription(
              b.media,
              b.port,
              b.proto,
              b.formats,
              b.connection,
              b.rtpmap,
              b.direction,
              b.crypto,
              b.fmtp));
    }
    return new SessionDescription(sessionConnection, built);
  }

  private static String connection(int n, String value) {
    String[] parts = value.trim().split("\\s+");
    if (parts.length != 3
        || !parts[0].equals("IN")
        || !(parts[1].equals("IP4") || parts[1].equals("IP6"))) {
      throw new IllegalArgumentException(
          "SDP line " + n + ": c= is not 'IN IP4|IP6 address': " + cut(value));
    }
    // A multicast TTL suffix ("/127") names the same address.
    String address = parts[2];
    int slash = address.indexOf('/');
    address = slash >= 0 ? address.substring(0, slash) : address;
    // RFC 4566 allows a host name here; we don't resolve one on the SIP thread (see
    // LiteralAddress), so it is refused as an address format we can't use.
    try {
      LiteralAddress.parse(address);
    } catch (IllegalArgumentException e) {
      throw new UnacceptableSdp(
          UnacceptableSdp.INCOMPATIBLE_ADDRESS, "SDP line " + n + ": c= address " + e.getMessage());
    }
    return address;
  }

  private static Builder mediaLine(int n, String value) {
    String[] parts = value.trim().split("\\s+");
    if (parts.length < 4) {
      throw new IllegalArgumentException(
          "SDP line " + n + ": m= needs media, port, proto and a format: " + cut(value));
    }
    if (parts.length - 3 > MAX_FORMATS) {
      throw new IllegalArgumentException(
          "SDP line " + n + ": m= has " + (parts.length - 3) + " formats > " + MAX_FORMATS);
    }
    Builder b = new Builder();
    b.media = parts[0].toLowerCase(Locale.ROOT);
    String port = parts[1];
    int slash = port.indexOf('/');
    b.port = number(n, "m= port", slash >= 0 ? port.substring(0, slash) : port, 0, 65535);
    b.proto = parts[2];
    b.formats = List.of(parts).subList(3, parts.length);
    return b;
  }

  private static void attribute(int n, String value, Builder media) {
    String lower = value.toLowerCase(Locale.ROOT);
    if (DIRECTIONS.contains(lower)) {
      media.direction = lower;
    } else if (lower.startsWith("crypto:")) {
      if (media.crypto.size() == MAX_CRYPTO) {
        throw new IllegalArgumentException(
            "SDP line " + n + ": more than " + MAX_CRYPTO + " crypto lines in one m= section");
      }
      media.crypto.add(value.substring("crypto:".length()));
    } else if (lower.startsWith("rtpmap:")) {
      String rest = value.substring("rtpmap:".length()).trim();
      int space = rest.indexOf(' ');
      if (space < 0) {
        throw new IllegalArgumentException(
            "SDP line " + n + ": rtpmap without encoding: " + cut(value));
      }
      int pt = number(n, "rtpmap payload type", rest.substring(0, space), 0, 127);
      media.rtpmap.put(pt, rest.substring(space + 1).trim());
    } else if (lower.startsWith("fmtp:")) {
      // Format parameters only tune a codec: one we cannot read is skipped, never the whole SDP
      // refused (its codec then runs on its defaults).
      String rest = value.substring("fmtp:".length()).trim();
      int space = rest.indexOf(' ');
      String type = space < 0 ? rest : rest.substring(0, space);
      if (type.length() <= 3
          && !type.isEmpty()
          && type.chars().allMatch(c -> c >= '0' && c <= '9')) {
        int pt = Integer.parseInt(type);
        if (pt <= 127 && space >= 0) {
          media.fmtp.putIfAbsent(pt, rest.substring(space + 1).trim());
        }
      }
    }
  }

  private static int number(int n, String what, String text, int min, int max) {
    int v;
    try {
      v = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "SDP line " + n + ": " + what + " '" + cut(text) + "' is not a number");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          "SDP line " + n + ": " + what + " " + v + " outside " + min + ".." + max);
    }
    return v;
  }

  /** Keeps a peer's garbage from flooding our error messages. */
  private static String cut(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }

  private static final class Builder {
    String media;
    int port;
    String proto;
    List<String> formats;
    String connection;
    final Map<Integer, String> rtpmap = new HashMap<>();
    String direction = "sendrecv";
    final List<String> crypto = new ArrayList<>();
    final Map<Integer, String> fmtp = new HashMap<>();
  }
}

package org.sipline.backend.jainsip;

import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.address.AddressFactory;
import javax.sip.address.URI;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;

/**
 * URIs and headers parsed from text once and cloned for each request that carries them: the
 * account's AOR, the outbound proxy, User-Agent, Session-Expires and the like are the same text on
 * every INVITE. JAIN-SIP parses text with a lexer and a parser made by reflection per header; warm,
 * a parse costs 1–3 µs and a clone 0.05 µs, and while a fresh process's code still runs
 * interpreted, a parse costs 10–50 µs — on the path from SipStartCall to the INVITE (BENCHMARKS.md
 * §11).
 *
 * <p>Safe from any thread: the parsed prototypes are never handed out, only clones, so nobody
 * changes them. Bounded: the text comes partly from clients (callee URIs), so past {@link #LIMIT}
 * entries a kind starts afresh rather than grow.
 */
final class ParsedOnce {
  /** Entries per kind before it starts afresh; far more than the accounts of one process. */
  static final int LIMIT = 1024;

  private final AddressFactory addresses;
  private final HeaderFactory headers;
  private final Map<String, URI> uris = new ConcurrentHashMap<>();
  private final Map<String, Header> parsedHeaders = new ConcurrentHashMap<>();

  ParsedOnce(AddressFactory addresses, HeaderFactory headers) {
    this.addresses = addresses;
    this.headers = headers;
  }

  /**
   * {@code text} as a URI of its own, which the caller may change.
   *
   * @throws ParseException as {@link AddressFactory#createURI} does; nothing is kept then
   */
  URI uri(String text) throws ParseException {
    URI prototype = uris.get(text);
    if (prototype == null) {
      prototype = addresses.createURI(text);
      keep(uris, text, prototype);
    }
    return (URI) prototype.clone();
  }

  /**
   * The header {@code name: value} of its own, which the caller may change.
   *
   * @throws ParseException as {@link HeaderFactory#createHeader(String, String)} does; nothing is
   *     kept then
   */
  Header header(String name, String value) throws ParseException {
    String key = name + ':' + value;
    Header prototype = parsedHeaders.get(key);
    if (prototype == null) {
      prototype = headers.createHeader(name, value);
      keep(parsedHeaders, key, prototype);
    }
    return (Header) prototype.clone();
  }

  /** How many URIs are kept; for tests. */
  int uriCount() {
    return uris.size();
  }

  private static <T> void keep(Map<String, T> map, String key, T value) {
    if (map.size() >= LIMIT) {
      map.clear();
    }
    map.put(key, value);
  }
}

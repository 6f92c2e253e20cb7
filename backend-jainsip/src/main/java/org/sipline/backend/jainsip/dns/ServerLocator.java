package org.sipline.backend.jainsip.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.sipline.core.spi.SipUri;
import org.sipline.core.spi.Transport;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.NAPTRRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * RFC 3263 §4: where to send a request for a SIP URI. A numeric host needs no lookup; a host with a
 * port only its addresses (A, then AAAA); otherwise NAPTR picks the SRV names for our transport
 * (SIP+D2U, SIP+D2T, SIPS+D2T), SRV their targets by priority and weight (RFC 2782), and without
 * NAPTR the SRV name is made from the transport; with neither, the host's addresses on the default
 * port. Answers are cached for their TTL in a bounded cache, negative answers too (RFC 2308:
 * dnsjava keeps them for the SOA's minimum).
 *
 * <p>Every call blocks on the network: run it on a thread of its own ({@link LocationExecutor}).
 */
public final class ServerLocator {
  /** Cached RRsets and negative answers at most; the oldest go first past this. */
  static final int CACHE_ENTRIES = 4096;

  /**
   * How long one query waits for an answer. As long as a whole location may take: the caller's
   * bound ends the wait first and names the lookup ("timed out after 8 s").
   */
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(8);

  private final Resolver resolver;
  private final Cache cache;
  private final RandomGenerator random;

  ServerLocator(Resolver resolver, RandomGenerator random) {
    this.resolver = resolver;
    this.cache = new Cache(DClass.IN);
    cache.setMaxEntries(CACHE_ENTRIES);
    this.random = random;
  }

  /**
   * A locator asking {@code servers} in order, or the system's name servers (resolv.conf) when the
   * list is empty; {@code random} orders SRV targets of equal priority.
   *
   * @param servers name servers in order; empty for the system's
   * @param random orders SRV targets of one priority by weight
   * @return a locator with an empty cache
   */
  public static ServerLocator create(List<InetSocketAddress> servers, RandomGenerator random) {
    return create(servers, random, QUERY_TIMEOUT);
  }

  /** As {@link #create(List, RandomGenerator)}, each query waiting at most {@code queryTimeout}. */
  static ServerLocator create(
      List<InetSocketAddress> servers, RandomGenerator random, Duration queryTimeout) {
    Resolver resolver;
    if (servers.isEmpty()) {
      resolver = new ExtendedResolver();
    } else {
      List<Resolver> each = new ArrayList<>();
      for (InetSocketAddress server : servers) {
        each.add(new SimpleResolver(server));
      }
      resolver = new ExtendedResolver(each);
    }
    resolver.setTimeout(queryTimeout);
    return new ServerLocator(resolver, random);
  }

  /**
   * The targets for {@code uri} over {@code transport}, in the order to try them.
   *
   * @param uri the URI to locate (its host and port)
   * @param transport the transport we send with: picks the NAPTR service and SRV name
   * @param bound how long the whole location may take; past it the next query is not sent
   * @return at least one target
   * @throws LookupFailedException naming the name, the record type and what went wrong
   */
  public List<SipTarget> locate(SipUri uri, Transport transport, Duration bound)
      throws LookupFailedException {
    String host = uri.host();
    int defaultPort = transport == Transport.TLS ? 5061 : 5060;
    InetAddress numeric = IpLiteral.parse(host);
    if (numeric != null) {
      return List.of(
          new SipTarget(
              IpLiteral.text(numeric), uri.port() > 0 ? uri.port() : defaultPort, transport));
    }
    Query query = new Query(System.nanoTime() + bound.toNanos(), bound);
    Name name = name(host);
    if (uri.port() > 0) {
      return addressesOrFail(query, name, uri.port(), transport);
    }
    List<Name> srvNames = new ArrayList<>();
    boolean fromNaptr = false;
    Record[] naptrs = query.run(name, Type.NAPTR);
    if (naptrs != null) {
      String service = service(transport);
      List<NAPTRRecord> usable = new ArrayList<>();
      for (Record r : naptrs) {
        if (r instanceof NAPTRRecord n
            && n.getService().equalsIgnoreCase(service)
            && n.getFlags().equalsIgnoreCase("s")) {
          usable.add(n);
        }
      }
      if (usable.isEmpty()) {
        throw new LookupFailedException(
            "DNS: the NAPTR records of " + host + " offer no " + service + " (" + transport + ")");
      }
      usable.sort(
          Comparator.comparingInt(NAPTRRecord::getOrder)
              .thenComparingInt(NAPTRRecord::getPreference));
      for (NAPTRRecord n : usable) {
        srvNames.add(n.getReplacement());
      }
      fromNaptr = true;
    } else {
      srvNames.add(srvName(name, transport));
    }
    List<SipTarget> targets = new ArrayList<>();
    List<String> unreachable = new ArrayList<>();
    boolean anySrv = false;
    for (Name srvName : srvNames) {
      Record[] srvs = query.run(srvName, Type.SRV);
      if (srvs == null) {
        continue;
      }
      List<SRVRecord> records = new ArrayList<>();
      for (Record r : srvs) {
        if (r instanceof SRVRecord s) {
          records.add(s);
        }
      }
      anySrv |= !records.isEmpty();
      for (SRVRecord srv : SrvOrder.of(records, random)) {
        if (srv.getTarget().equals(Name.root)) {
          continue; // RFC 2782: "." means the service is decidedly not available there
        }
        List<SipTarget> found = query.addresses(srv.getTarget(), srv.getPort(), transport);
        if (found.isEmpty()) {
          unreachable.add(text(srv.getTarget()));
        }
        targets.addAll(found);
      }
    }
    if (!targets.isEmpty()) {
      return List.copyOf(targets);
    }
    if (anySrv) {
      throw new LookupFailedException(
          "DNS: no SRV target of "
              + host
              + " has an address"
              + (unreachable.isEmpty() ? "" : " (" + String.join(", ", unreachable) + ")"));
    }
    if (fromNaptr) {
      throw new LookupFailedException(
          "DNS: the NAPTR records of " + host + " lead to no SRV record (" + srvNames + ")");
    }
    return addressesOrFail(query, name, defaultPort, transport);
  }

  private static List<SipTarget> addressesOrFail(
      Query query, Name name, int port, Transport transport) throws LookupFailedException {
    List<SipTarget> found = query.addresses(name, port, transport);
    if (found.isEmpty()) {
      throw new LookupFailedException("DNS lookup of " + text(name) + ": no address (A/AAAA)");
    }
    return found;
  }

  /** The NAPTR service field naming SIP over {@code transport} (RFC 3263 §4.1). */
  static String service(Transport transport) {
    return switch (transport) {
      case UDP -> "SIP+D2U";
      case TCP -> "SIP+D2T";
      case TLS -> "SIPS+D2T";
    };
  }

  private static Name srvName(Name host, Transport transport) throws LookupFailedException {
    String prefix =
        switch (transport) {
          case UDP -> "_sip._udp";
          case TCP -> "_sip._tcp";
          case TLS -> "_sips._tcp";
        };
    try {
      return Name.concatenate(Name.fromString(prefix), host);
    } catch (org.xbill.DNS.NameTooLongException e) {
      throw new LookupFailedException("DNS: " + prefix + "." + text(host) + " is too long a name");
    } catch (TextParseException e) {
      throw new IllegalStateException(prefix, e);
    }
  }

  private static Name name(String host) throws LookupFailedException {
    try {
      return Name.fromString(host.toLowerCase(Locale.ROOT), Name.root);
    } catch (TextParseException e) {
      throw new LookupFailedException("DNS: '" + host + "' is not a host name: " + e.getMessage());
    }
  }

  private static String text(Name name) {
    return name.toString(true);
  }

  /** One location's queries, all under one deadline. */
  private final class Query {
    private final long deadline;
    private final Duration bound;

    Query(long deadline, Duration bound) {
      this.deadline = deadline;
      this.bound = bound;
    }

    /** The address targets of {@code host}: its A records, then its AAAA records. */
    List<SipTarget> addresses(Name host, int port, Transport transport)
        throws LookupFailedException {
      List<SipTarget> targets = new ArrayList<>();
      Record[] a = run(host, Type.A);
      if (a != null) {
        for (Record r : a) {
          if (r instanceof ARecord ar) {
            targets.add(new SipTarget(IpLiteral.text(ar.getAddress()), port, transport));
          }
        }
      }
      Record[] aaaa = run(host, Type.AAAA);
      if (aaaa != null) {
        for (Record r : aaaa) {
          if (r instanceof AAAARecord ar) {
            targets.add(new SipTarget(IpLiteral.text(ar.getAddress()), port, transport));
          }
        }
      }
      return targets;
    }

    /**
     * The answers for {@code name}/{@code type}; null when the name or the type does not exist (RFC
     * 3263 then goes on to the next step).
     *
     * @throws LookupFailedException when no server answered usably, or the bound is spent
     */
    Record[] run(Name name, int type) throws LookupFailedException {
      String what = "DNS lookup of " + text(name) + " (" + Type.string(type) + ")";
      if (System.nanoTime() - deadline >= 0) {
        throw new LookupFailedException(what + " timed out after " + seconds(bound));
      }
      Lookup lookup = new Lookup(name, type);
      lookup.setResolver(resolver);
      lookup.setCache(cache);
      Record[] records = lookup.run();
      return switch (lookup.getResult()) {
        case Lookup.SUCCESSFUL -> records;
        case Lookup.HOST_NOT_FOUND, Lookup.TYPE_NOT_FOUND -> null;
        case Lookup.TRY_AGAIN ->
            // dnsjava reports a silent server as a "network error" like an unreachable one.
            throw new LookupFailedException(
                what + ": no answer from the name servers (" + lookup.getErrorString() + ")");
        default -> throw new LookupFailedException(what + " failed: " + lookup.getErrorString());
      };
    }
  }

  /** "8 s", "1.5 s": a bound as a status says it. */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}

package org.sipline.backend.jainsip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import javax.sip.ListeningPoint;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import org.sipline.core.spi.BackendConfig;
import org.sipline.core.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JAIN-SIP RI stack with its listening points (UDP and TCP on one port, TLS when configured)
 * and its single provider. Everything the RI starts runs in a thread group of ours, so that {@link
 * #close} can find and end the RI's non-daemon EventScannerThread, which the RI's own {@code
 * stop()} leaves blocked forever.
 */
final class JainSipStack {
  private static final Logger log = LoggerFactory.getLogger(JainSipStack.class);

  /** Attempts at an ephemeral port before giving up: another program may grab each one. */
  private static final int PORT_ATTEMPTS = 20;

  final AddressFactory addresses = new AddressFactoryImpl();
  final HeaderFactory headers = new HeaderFactoryImpl();
  final MessageFactory messages = new MessageFactoryImpl();
  final ThreadGroup threads;
  private final SipStackImpl stack;
  private final SipProvider provider;
  private final int port;
  private final int tlsPort;

  private JainSipStack(
      ThreadGroup threads, SipStackImpl stack, SipProvider provider, int port, int tlsPort) {
    this.threads = threads;
    this.stack = stack;
    this.provider = provider;
    this.port = port;
    this.tlsPort = tlsPort;
  }

  /**
   * Starts a stack named after {@code group}, listening on {@code config}'s bind address and port.
   * The RI's threads are created in {@code group} (see the class comment). Nothing is delivered
   * until {@link #listen}.
   */
  static JainSipStack start(ThreadGroup group, BackendConfig config, BackendOptions options) {
    return callIn(group, () -> build(group.getName(), group, config, options));
  }

  /**
   * Runs {@code work} on a new thread of {@code group} and returns its result: the RI (and the
   * media engine) start their threads from the constructing thread, so constructing them there puts
   * every thread they start into the group.
   */
  static <T> T callIn(ThreadGroup group, java.util.concurrent.Callable<T> work) {
    AtomicReference<Object> result = new AtomicReference<>();
    Thread boot =
        new Thread(
            group,
            () -> {
              try {
                result.set(work.call());
              } catch (Exception e) {
                result.set(e);
              }
            },
            group.getName() + "-start");
    boot.start();
    try {
      boot.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting in " + group.getName(), e);
    }
    if (result.get() instanceof RuntimeException e) {
      throw e;
    }
    if (result.get() instanceof Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    @SuppressWarnings("unchecked")
    T value = (T) result.get();
    return value;
  }

  private static JainSipStack build(
      String name, ThreadGroup group, BackendConfig config, BackendOptions options) {
    SipStackImpl stack;
    if (options.tls() != null) {
      TlsNetworkLayer.register(name, SipTlsContext.build(options.tls()));
    }
    try {
      stack = new StoppedOnceSipStack(properties(name, options));
    } catch (javax.sip.PeerUnavailableException e) {
      throw new IllegalStateException("JAIN-SIP refused its configuration: " + e.getMessage(), e);
    } finally {
      TlsNetworkLayer.forget(name);
    }
    List<ListeningPoint> points = new ArrayList<>();
    try {
      int port = listen(stack, config.bindAddress(), config.sipPort(), points, "udp", "tcp");
      int tlsPort = -1;
      if (options.tls() != null) {
        tlsPort = listen(stack, config.bindAddress(), options.tls().port(), points, "tls");
      }
      SipProvider provider = stack.createSipProvider(points.get(0));
      for (ListeningPoint p : points.subList(1, points.size())) {
        provider.addListeningPoint(p);
      }
      log.info(
          "SIP stack {} listening on {} port {} (UDP, TCP){}",
          name,
          config.bindAddress(),
          port,
          tlsPort > 0 ? ", TLS port " + tlsPort : "");
      return new JainSipStack(group, stack, provider, port, tlsPort);
    } catch (RuntimeException
        | javax.sip.ObjectInUseException
        | javax.sip.TransportAlreadySupportedException e) {
      stopQuietly(stack, group);
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("cannot start the SIP provider: " + e.getMessage(), e);
    }
  }

  private static Properties properties(String name, BackendOptions options) {
    Properties p = new Properties();
    p.setProperty("javax.sip.STACK_NAME", name);
    p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
    p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
    // Closes three faults of the RI's receive path; see GuardedParser.
    p.setProperty(
        "gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", GuardedParserFactory.class.getName());
    // RFC 3263 location happens before a request reaches the RI (off its thread, see
    // LocatedRouter); the RI must then send where we located, for sip: URIs too.
    p.setProperty("javax.sip.ROUTER_PATH", LocatedRouter.class.getName());
    p.setProperty("javax.sip.USE_ROUTER_FOR_ALL_URIS", "true");
    // Our SipListener hands every event to the SIP executor, so one delivery thread suffices.
    p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "false");
    // Without a pool the RI parses every UDP datagram on a thread of its own, so a 200 can
    // overtake the 180 sent before it, or a BYE the ACK. One thread keeps arrival order.
    p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "1");
    // The NOTIFYs of a REFER's implicit subscription arrive in the INVITE dialog.
    p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
    // Bounds on what a peer can make us buffer or wait for. MAX_MESSAGE_SIZE caps a message on a
    // stream transport and is also the buffer the RI allocates for every datagram it reads (up
    // to 64 KiB, which at 5,000 datagrams/s is 320 MB/s of garbage and 64 KiB per datagram
    // waiting in its queue); 16 KiB is four times a large INVITE with SDP, and RFC 3261 §18.1.1
    // sends anything near the path MTU over TCP anyway.
    p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "16384");
    p.setProperty("gov.nist.javax.sip.READ_TIMEOUT", "2000");
    // A datagram that waited 2 s in the RI's receive queue is dropped instead of parsed: by then
    // its sender has retransmitted it (Timer A/E: 0.5 s, 1.5 s), so under a flood the queue
    // holds at most ~2-4 s of traffic (the RI audits it every 2 s), not the default 8-10 s.
    p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", "2000");
    // The RI's server transaction table is unbounded by default. A line has one call and a few
    // transactions of its own at a time; strangers get none (see Strangers). Past 800 the RI
    // drops new requests with a growing probability, none at all past 1,000, so even trusted
    // sources that misbehave can make us hold at most ~1,000 transactions (~10 MB).
    p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "1000");
    // Not set, on purpose: MAX_CONNECTIONS (the RI's blocking TCP acceptor counts a connection
    // down only when its reader sees EOF or an error, so a slot lost any other way would stop
    // TCP accepting for good); MAX_LISTENER_RESPONSE_TIME (our listener only queues the event,
    // so the RI never waits on it); MAX_TX_LIFETIME_* (the RI would take the INVITE transaction
    // away from a call still ringing for a long auto-answer interval).
    BackendOptions.Tls tls = options.tls();
    if (tls != null) {
      // Our own context and host name checks instead of the RI's javax.net.ssl.* handling.
      p.setProperty("gov.nist.javax.sip.NETWORK_LAYER", TlsNetworkLayer.class.getName());
      // Phones rarely hold a client certificate; the RI's default would demand one.
      p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
      // The RI's own defaults are TLS 1.0-1.2 with RSA-only suites from 2009: use the JVM's.
      p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.3, TLSv1.2");
      p.setProperty(
          "gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(",", defaultCipherSuites()));
    }
    return p;
  }

  private static String[] defaultCipherSuites() {
    try {
      return javax.net.ssl.SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM offers no default TLS context", e);
    }
  }

  /**
   * Creates listening points for {@code transports} on one port and returns it. Port 0 means any
   * free port; the RI refuses 0 itself, so we find one and retry when another program takes it
   * between our probe and the bind.
   */
  private static int listen(
      SipStackImpl stack,
      String bind,
      int wanted,
      List<ListeningPoint> points,
      String... transports) {
    int attempts = wanted == 0 ? PORT_ATTEMPTS : 1;
    Exception last = null;
    List<String> names = List.of(transports);
    boolean udp = names.contains("udp");
    boolean stream = names.contains("tcp") || names.contains("tls");
    for (int i = 0; i < attempts; i++) {
      int port = wanted == 0 ? probeFreePort(bind, udp, stream) : wanted;
      List<ListeningPoint> created = new ArrayList<>();
      try {
        for (String transport : transports) {
          created.add(stack.createListeningPoint(bind, port, transport));
        }
        points.addAll(created);
        return port;
      } catch (javax.sip.InvalidArgumentException | javax.sip.TransportNotSupportedException e) {
        last = e;
        for (ListeningPoint p : created) {
          try {
            stack.deleteListeningPoint(p);
          } catch (javax.sip.ObjectInUseException | RuntimeException stopFailure) {
            // The RI's UDP processor fills its channel list on its own thread and may not have
            // yet: stop() then fails after it closed the socket, which is all we need.
            log.debug("deleting listening point {}: {}", p, stopFailure.toString());
          }
        }
      }
    }
    throw new IllegalStateException(
        "cannot listen for SIP ("
            + String.join(", ", transports).toUpperCase(Locale.ROOT)
            + ") on "
            + bind
            + " port "
            + (wanted == 0 ? "any (" + attempts + " attempts)" : wanted)
            + ": "
            + (last == null ? "unknown" : last.getMessage()),
        last);
  }

  /**
   * A port free for UDP and/or TCP on {@code bind} right now: both are bound together before either
   * is let go, so the listening points that follow rarely meet a taker in between.
   */
  private static int probeFreePort(String bind, boolean udp, boolean tcp) {
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (IOException e) {
      throw new IllegalStateException("cannot resolve bind address " + bind, e);
    }
    IOException last = null;
    for (int i = 0; i < PORT_ATTEMPTS; i++) {
      try (DatagramSocket datagram =
              udp ? new DatagramSocket(new InetSocketAddress(address, 0)) : null;
          ServerSocket stream = tcp ? new ServerSocket() : null) {
        int port = datagram != null ? datagram.getLocalPort() : 0;
        if (stream != null) {
          stream.bind(new InetSocketAddress(address, port));
          port = stream.getLocalPort();
        }
        return port;
      } catch (IOException e) {
        last = e; // that UDP port's TCP twin is taken: try another
      }
    }
    throw new IllegalStateException(
        "no free SIP port on "
            + bind
            + " after "
            + PORT_ATTEMPTS
            + " attempts: "
            + (last == null ? "unknown" : last.getMessage()),
        last);
  }

  /** Starts delivering SIP events to {@code listener}. */
  void listen(SipListener listener) {
    try {
      provider.addSipListener(listener);
    } catch (java.util.TooManyListenersException e) {
      throw new IllegalStateException("the SIP provider already has a listener", e);
    }
  }

  SipProvider provider() {
    return provider;
  }

  /** The router that sends located requests to their target (see {@link LocatedRouter}). */
  LocatedRouter router() {
    return (LocatedRouter) stack.getRouter();
  }

  /** The port we listen on with {@code transport}. */
  int port(Transport transport) {
    return transport == Transport.TLS ? tlsPort : port;
  }

  /**
   * Stops the RI and ends its threads, waiting at most {@code bound} for them. Threads that outlive
   * the bound are logged by name.
   */
  void close(Duration bound) {
    stopQuietly(stack, threads);
    long deadline = System.nanoTime() + bound.toNanos();
    for (Thread t : threadsOf(threads)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        t.join(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<Thread> alive = threadsOf(threads);
    if (!alive.isEmpty()) {
      log.warn(
          "SIP stack threads still alive {} after stop: {}",
          bound,
          alive.stream().map(Thread::getName).toList());
    }
  }

  private static void stopQuietly(SipStackImpl stack, ThreadGroup group) {
    // The RI's stop() ends with a blind Thread.sleep(1000) "to let processing complete", after
    // it closed every socket and timer. Entering it interrupted cuts that sleep short (the RI
    // swallows the interrupt and nothing before the sleep blocks); close() then waits for the
    // RI's threads themselves, which is what the sleep stood in for.
    boolean wasInterrupted = Thread.interrupted();
    Thread.currentThread().interrupt();
    try {
      stack.stop();
    } catch (RuntimeException e) {
      log.warn("JAIN-SIP stop failed", e);
    } finally {
      Thread.interrupted();
      if (wasInterrupted) {
        Thread.currentThread().interrupt();
      }
    }
    // stop() only flags the EventScannerThread, which then waits on its queue forever.
    for (Thread t : threadsOf(group)) {
      if (t.getName().equals("EventScannerThread")) {
        t.interrupt();
      }
    }
  }

  /** The live threads of {@code group}, excluding the calling thread. */
  static List<Thread> threadsOf(ThreadGroup group) {
    Thread[] all = new Thread[group.activeCount() + 16];
    int n = group.enumerate(all, true);
    List<Thread> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (all[i] != Thread.currentThread() && all[i].isAlive()) {
        result.add(all[i]);
      }
    }
    return result;
  }
}

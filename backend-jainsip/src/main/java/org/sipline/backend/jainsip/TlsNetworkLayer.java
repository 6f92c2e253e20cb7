package org.sipline.backend.jainsip;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The sockets of one JAIN-SIP stack, with TLS from an {@link SSLContext} of that stack's own. The
 * RI's {@code SslNetworkLayer} builds its context from {@code javax.net.ssl.*} names and checks no
 * host name; the JVM-global {@code SSLContext.getDefault()} would be shared by every line in the
 * JVM. Here each TLS connection we open asks for HTTPS-style endpoint identification (RFC 5922 §7:
 * the certificate must name the host we dialled — a DNS name, or for a literal address an IP
 * subject alternative name) and the context's trust manager ({@link PeerCertificateCheck}) says in
 * words what failed.
 *
 * <p>Public with a no-argument constructor only because the RI instantiates the class named by
 * {@code gov.nist.javax.sip.NETWORK_LAYER} by reflection; it then finds its context by the stack's
 * name, {@link #register registered} by {@link JainSipStack} before the stack is built. Plain UDP
 * and TCP sockets are the RI's own.
 */
public final class TlsNetworkLayer implements NetworkLayer {
  /** The RI's TCP connect timeout, kept: a TLS peer that does not accept fails as one over TCP. */
  private static final int CONNECT_TIMEOUT_MILLIS = 8000;

  private static final Map<String, SSLContext> CONTEXTS = new ConcurrentHashMap<>();

  private final NetworkLayer plain = DefaultNetworkLayer.SINGLETON;
  private volatile SSLContext context;
  private volatile SipStackImpl stack;

  /** Makes {@code context} the TLS context of the stack named {@code stackName} once it starts. */
  static void register(String stackName, SSLContext context) {
    CONTEXTS.put(stackName, context);
  }

  /** Forgets the context of a stack that has started (it holds its own) or failed to. */
  static void forget(String stackName) {
    CONTEXTS.remove(stackName);
  }

  @Override
  public void setSipStack(SipStackImpl stack) {
    SSLContext registered = CONTEXTS.get(stack.getStackName());
    if (registered == null) {
      throw new IllegalStateException(
          "no TLS context registered for SIP stack " + stack.getStackName());
    }
    context = registered;
    this.stack = stack;
    plain.setSipStack(stack);
  }

  @Override
  public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress)
      throws IOException {
    return (SSLServerSocket)
        context.getServerSocketFactory().createServerSocket(port, backlog, bindAddress);
  }

  @Override
  public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
    return createSSLSocket(address, port, null);
  }

  /**
   * Connects to {@code address} and wraps the connection for a handshake that verifies the host
   * name {@code address} was resolved from (or, for a literal, the address itself).
   */
  @Override
  public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress)
      throws IOException {
    Socket raw = new Socket();
    try {
      if (myAddress != null) {
        raw.bind(new InetSocketAddress(myAddress, 0));
      }
      InetSocketAddress peer = new InetSocketAddress(address, port);
      raw.connect(peer, CONNECT_TIMEOUT_MILLIS);
      SSLSocket socket =
          (SSLSocket) context.getSocketFactory().createSocket(raw, expectedHost(peer), port, true);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      return socket;
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /**
   * The name the certificate must carry: the host the request was located for (RFC 3263) when our
   * router pinned it, else the name the RI resolved (getHostString: never a reverse lookup).
   */
  private String expectedHost(InetSocketAddress peer) {
    SipStackImpl s = stack;
    if (s != null && s.getRouter() instanceof LocatedRouter router) {
      String host = router.tlsHost(peer.getAddress(), peer.getPort());
      if (host != null) {
        return host;
      }
    }
    return peer.getHostString();
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress)
      throws IOException {
    return plain.createServerSocket(port, backlog, bindAddress);
  }

  @Override
  public Socket createSocket(InetAddress address, int port) throws IOException {
    return plain.createSocket(address, port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress myAddress)
      throws IOException {
    return plain.createSocket(address, port, myAddress);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort)
      throws IOException {
    return plain.createSocket(address, port, myAddress, myPort);
  }

  @Override
  public DatagramSocket createDatagramSocket() throws SocketException {
    return plain.createDatagramSocket();
  }

  @Override
  public DatagramSocket createDatagramSocket(int port, InetAddress bindAddress)
      throws SocketException {
    return plain.createDatagramSocket(port, bindAddress);
  }
}

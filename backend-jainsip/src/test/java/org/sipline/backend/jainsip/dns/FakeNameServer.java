package org.sipline.backend.jainsip.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A name server for tests on a loopback UDP port it picks: answers from a list of records (NXDOMAIN
 * or NODATA with an SOA otherwise, so negative answers can be cached), or whatever a test's
 * function makes of a query (garbage, or nothing at all: null drops the query). Counts queries.
 */
public final class FakeNameServer implements AutoCloseable {
  static final Name ZONE = Name.fromConstantString("test.");

  private final DatagramSocket socket;
  private final Thread thread;
  private final List<Record> records = new CopyOnWriteArrayList<>();
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private volatile Function<Message, byte[]> handler = this::answer;

  public FakeNameServer() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::serve, "fake-name-server");
    thread.setDaemon(true);
    thread.start();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  public FakeNameServer add(Record r) {
    records.add(r);
    return this;
  }

  /** Replaces the answers with {@code h}'s bytes for each query (null: no answer). */
  public void handleWith(Function<Message, byte[]> h) {
    handler = h;
  }

  /** "name TYPE" of each query received, in order. */
  public List<String> queries() {
    return new ArrayList<>(queries);
  }

  private void serve() {
    byte[] buf = new byte[4096];
    while (!socket.isClosed()) {
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(in);
        Message query = new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
        Record q = query.getQuestion();
        queries.add(q.getName() + " " + Type.string(q.getType()));
        byte[] out = handler.apply(query);
        if (out != null) {
          socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
        }
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  /** The answer from {@link #records}, as an authoritative server of {@link #ZONE} would give. */
  byte[] answer(Message query) {
    Message response = reply(query);
    Record q = query.getQuestion();
    boolean nameExists = false;
    for (Record r : records) {
      if (!r.getName().equals(q.getName())) {
        continue;
      }
      nameExists = true;
      if (r.getType() == q.getType() || r.getType() == Type.CNAME) {
        response.addRecord(r, Section.ANSWER);
      }
    }
    if (response.getSection(Section.ANSWER).isEmpty()) {
      if (!nameExists) {
        response.getHeader().setRcode(Rcode.NXDOMAIN);
      }
      response.addRecord(soa(), Section.AUTHORITY);
    }
    return response.toWire();
  }

  public static Message reply(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    return response;
  }

  static SOARecord soa() {
    return new SOARecord(
        ZONE,
        DClass.IN,
        300,
        Name.fromConstantString("ns.test."),
        Name.fromConstantString("admin.test."),
        1,
        3600,
        600,
        86400,
        300);
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(2000);
  }
}

package org.sipline.backend.jainsip.hardening;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Well-formed messages of the kinds a line receives — an INVITE with an SDP offer as a PBX sends
 * it, the NOTIFYs of a transfer, a 200 OK with an SDP answer, a REFER, an OPTIONS — plus every
 * torture message, as starting points for mutation.
 */
final class Seeds {
  private Seeds() {}

  static final String SDP =
      "v=0\r\n"
          + "o=pbx 2890844526 2890844527 IN IP4 127.0.0.1\r\n"
          + "s=call\r\n"
          + "c=IN IP4 127.0.0.1\r\n"
          + "t=0 0\r\n"
          + "m=audio 49170 RTP/AVP 0 8 101\r\n"
          + "a=rtpmap:0 PCMU/8000\r\n"
          + "a=rtpmap:8 PCMA/8000\r\n"
          + "a=rtpmap:101 telephone-event/8000\r\n"
          + "a=fmtp:101 0-16\r\n"
          + "a=ptime:20\r\n"
          + "a=sendrecv\r\n";

  static String invite(String user, String hostPort) {
    return "INVITE sip:"
        + user
        + "@"
        + hostPort
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-seed-invite;rport\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: \"Caller\" <sip:caller@127.0.0.1>;tag=from-seed\r\n"
        + "To: <sip:"
        + user
        + "@"
        + hostPort
        + ">\r\n"
        + "Call-ID: seed-invite@127.0.0.1\r\n"
        + "CSeq: 1 INVITE\r\n"
        + "Contact: <sip:caller@127.0.0.1:5999>\r\n"
        + "Allow: INVITE, ACK, CANCEL, BYE, REFER, NOTIFY, OPTIONS\r\n"
        + "X-Customer: 4711\r\n"
        + "Content-Type: application/sdp\r\n"
        + "Content-Length: "
        + SDP.length()
        + "\r\n\r\n"
        + SDP;
  }

  static String notify(String user, String hostPort, String sipfrag, String state) {
    return "NOTIFY sip:"
        + user
        + "@"
        + hostPort
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-seed-notify\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:callee@127.0.0.1>;tag=callee-tag\r\n"
        + "To: <sip:"
        + user
        + "@"
        + hostPort
        + ">;tag=our-tag\r\n"
        + "Call-ID: seed-call@127.0.0.1\r\n"
        + "CSeq: 2 NOTIFY\r\n"
        + "Contact: <sip:callee@127.0.0.1:5999>\r\n"
        + "Event: refer;id=93809824\r\n"
        + "Subscription-State: "
        + state
        + "\r\n"
        + "Content-Type: message/sipfrag;version=2.0\r\n"
        + "Content-Length: "
        + sipfrag.length()
        + "\r\n\r\n"
        + sipfrag;
  }

  static String ok(String hostPort) {
    return "SIP/2.0 200 OK\r\n"
        + "Via: SIP/2.0/UDP "
        + hostPort
        + ";branch=z9hG4bK-seed-ok;received=127.0.0.1\r\n"
        + "From: <sip:bot@"
        + hostPort
        + ">;tag=our-tag\r\n"
        + "To: <sip:callee@127.0.0.1>;tag=callee-tag\r\n"
        + "Call-ID: seed-call@127.0.0.1\r\n"
        + "CSeq: 1 INVITE\r\n"
        + "Contact: <sip:callee@127.0.0.1:5999>\r\n"
        + "Content-Type: application/sdp\r\n"
        + "Content-Length: "
        + SDP.length()
        + "\r\n\r\n"
        + SDP;
  }

  static String refer(String user, String hostPort) {
    return "REFER sip:"
        + user
        + "@"
        + hostPort
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-seed-refer\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:callee@127.0.0.1>;tag=callee-tag\r\n"
        + "To: <sip:"
        + user
        + "@"
        + hostPort
        + ">;tag=our-tag\r\n"
        + "Call-ID: seed-call@127.0.0.1\r\n"
        + "CSeq: 3 REFER\r\n"
        + "Refer-To: <sip:operator@127.0.0.1?Replaces=abc%40host%3Bto-tag%3D1>\r\n"
        + "Referred-By: <sip:callee@127.0.0.1>\r\n"
        + "Content-Length: 0\r\n\r\n";
  }

  /** The seeds for a line whose account is {@code user} at {@code hostPort}. */
  static List<byte[]> all(String user, String hostPort) {
    List<String> text =
        List.of(
            invite(user, hostPort),
            notify(user, hostPort, "SIP/2.0 100 Trying\r\n", "active;expires=60"),
            notify(
                user,
                hostPort,
                "SIP/2.0 200 OK\r\nContact: <sip:op@127.0.0.1>\r\n",
                "terminated;reason=noresource"),
            notify(user, hostPort, "SIP/2.0 603 Declined\r\n", "terminated"),
            ok(hostPort),
            refer(user, hostPort),
            new String(Liveness.options(5060), StandardCharsets.US_ASCII));
    List<byte[]> seeds = new ArrayList<>();
    for (String s : text) {
      seeds.add(s.getBytes(StandardCharsets.ISO_8859_1));
    }
    for (TortureMessage m : TortureCorpus.all()) {
      seeds.add(m.bytes());
    }
    return seeds;
  }
}

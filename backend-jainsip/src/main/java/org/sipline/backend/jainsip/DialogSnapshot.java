package org.sipline.backend.jainsip;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.sip.Dialog;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.RouteHeader;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.Transport;

/**
 * A confirmed JAIN-SIP dialog as a {@link DialogRecord}: what a later process needs to end it. The
 * first hop is where the RI sends the dialog's requests: the first route (loose routing, as every
 * proxy we meet does) or the remote target.
 */
final class DialogSnapshot {
  private DialogSnapshot() {}

  /** The record of {@code dialog}, or null while it lacks a part (no remote tag or target yet). */
  static DialogRecord of(Dialog dialog, boolean incoming, Transport transport) {
    Address target = dialog.getRemoteTarget();
    String remoteTag = dialog.getRemoteTag();
    String localTag = dialog.getLocalTag();
    if (target == null || remoteTag == null || localTag == null) {
      return null;
    }
    List<String> routes = new ArrayList<>();
    URI firstHop = target.getURI();
    Iterator<?> it = dialog.getRouteSet();
    while (it != null && it.hasNext()) {
      URI route = ((RouteHeader) it.next()).getAddress().getURI();
      if (routes.isEmpty()) {
        firstHop = route;
      }
      routes.add(route.toString());
    }
    if (!(firstHop instanceof SipURI hop)) {
      return null;
    }
    int port = hop.getPort();
    if (port < 0) {
      port =
          hop.getScheme().toLowerCase(Locale.ROOT).equals("sips") || transport == Transport.TLS
              ? 5061
              : 5060;
    }
    return new DialogRecord(
        dialog.getCallId().getCallId(),
        incoming,
        dialog.getLocalParty().getURI().toString(),
        localTag,
        dialog.getRemoteParty().getURI().toString(),
        remoteTag,
        target.getURI().toString(),
        routes,
        dialog.getLocalSeqNumber() + 1,
        transport,
        hop.getHost(),
        port);
  }
}

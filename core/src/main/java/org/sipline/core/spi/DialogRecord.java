package org.sipline.core.spi;

import java.util.List;
import java.util.Objects;

/**
 * What it takes to end one confirmed INVITE dialog from outside it: enough for a later process to
 * send a BYE that the far end matches to the call (RFC 3261 §12.2.1.1) after the process that held
 * the dialog died. A backend reports it ({@link SipCall#dialogRecord()}); the core journals it and,
 * after a crash, hands it back ({@link SipBackend#endOrphanedDialog}).
 *
 * @param callId the dialog's Call-ID
 * @param incoming true when the far end placed the call
 * @param localUri our URI as the dialog's requests carry it in From (no display name, no tag)
 * @param localTag our tag
 * @param remoteUri the far end's URI as the dialog's requests carry it in To
 * @param remoteTag the far end's tag
 * @param remoteTarget the far end's Contact URI: the Request-URI of requests in the dialog
 * @param routeSet the route set's URIs in the order requests carry them as Route (empty when none)
 * @param nextCseq the CSeq number our next request in the dialog takes
 * @param transport the transport the dialog's requests travel on
 * @param farEndHost the host requests in the dialog are sent to first: the first route's host, or
 *     the remote target's when there is no route set
 * @param farEndPort that hop's port (the scheme's default written out when the URI has none)
 */
public record DialogRecord(
    String callId,
    boolean incoming,
    String localUri,
    String localTag,
    String remoteUri,
    String remoteTag,
    String remoteTarget,
    List<String> routeSet,
    long nextCseq,
    Transport transport,
    String farEndHost,
    int farEndPort) {
  /**
   * Checks that the identifying parts are given, and keeps its own copy of the route set.
   *
   * @param callId the dialog's Call-ID
   * @param incoming true when the far end placed the call
   * @param localUri our URI as the dialog's requests carry it in From (no display name, no tag)
   * @param localTag our tag
   * @param remoteUri the far end's URI as the dialog's requests carry it in To
   * @param remoteTag the far end's tag
   * @param remoteTarget the far end's Contact URI: the Request-URI of requests in the dialog
   * @param routeSet the route set's URIs in the order requests carry them as Route (empty when
   *     none)
   * @param nextCseq the CSeq number our next request in the dialog takes
   * @param transport the transport the dialog's requests travel on
   * @param farEndHost the host requests in the dialog are sent to first: the first route's host, or
   *     the remote target's when there is no route set
   * @param farEndPort that hop's port (the scheme's default written out when the URI has none)
   */
  public DialogRecord {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(localUri, "localUri");
    Objects.requireNonNull(localTag, "localTag");
    Objects.requireNonNull(remoteUri, "remoteUri");
    Objects.requireNonNull(remoteTag, "remoteTag");
    Objects.requireNonNull(remoteTarget, "remoteTarget");
    routeSet = List.copyOf(routeSet);
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(farEndHost, "farEndHost");
  }

  /**
   * {@code host:port} of the first hop, as logs and statuses name it.
   *
   * @return host and port of the first hop
   */
  public String farEnd() {
    return (farEndHost.indexOf(':') >= 0 && !farEndHost.startsWith("[")
            ? "[" + farEndHost + "]"
            : farEndHost)
        + ":"
        + farEndPort;
  }
}

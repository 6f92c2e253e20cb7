package org.sipline.backend.jainsip;

import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import org.sipline.core.sip.SipAddresses;
import org.sipline.core.spi.BindingRecord;
import org.sipline.core.spi.DialogRecord;
import org.sipline.core.spi.SipUri;

/**
 * The requests that end what a previous process left, built from its records alone: a BYE that the
 * far end matches to the dialog (RFC 3261 §12.2.1.1: Call-ID, both tags, Request-URI the remote
 * target, Route the route set) and a REGISTER removing one Contact (§10.2.2).
 */
final class OrphanMessages {
  private OrphanMessages() {}

  static Request bye(SipContext ctx, DialogRecord d, long cseq) throws Exception {
    URI target = ctx.addresses().createURI(d.remoteTarget());
    FromHeader from =
        ctx.headers()
            .createFromHeader(ctx.addresses().createAddress(uri(ctx, d.localUri())), d.localTag());
    ToHeader to =
        ctx.headers()
            .createToHeader(ctx.addresses().createAddress(uri(ctx, d.remoteUri())), d.remoteTag());
    Request bye =
        ctx.request(
            Request.BYE,
            target,
            from,
            to,
            d.callId(),
            cseq,
            ctx.localHostToward(d.farEndHost()),
            null);
    for (String route : d.routeSet()) {
      bye.addHeader(
          ctx.headers().createRouteHeader(ctx.addresses().createAddress(uri(ctx, route))));
    }
    return bye;
  }

  static Request unregister(
      SipContext ctx, BindingRecord b, String callId, String fromTag, long cseq) throws Exception {
    SipUri proxy =
        b.outboundProxy().isEmpty()
            ? null
            : SipAddresses.parseProxy("outboundProxy", b.outboundProxy());
    SipURI aor = (SipURI) uri(ctx, b.aor());
    SipURI registrar = (SipURI) aor.clone();
    registrar.setUser(null);
    Address aorAddress = ctx.addresses().createAddress(aor);
    String nextHop = proxy != null ? proxy.host() : aor.getHost();
    Request register =
        ctx.request(
            Request.REGISTER,
            registrar,
            ctx.headers().createFromHeader(aorAddress, fromTag),
            ctx.headers().createToHeader(aorAddress, null),
            callId,
            cseq,
            ctx.localHostToward(nextHop),
            proxy);
    register.addHeader(
        ctx.headers().createContactHeader(ctx.addresses().createAddress(uri(ctx, b.contact()))));
    register.addHeader(ctx.headers().createExpiresHeader(0));
    return register;
  }

  private static URI uri(SipContext ctx, String text) throws Exception {
    URI uri = ctx.addresses().createURI(text);
    if (!uri.isSipURI()) {
      throw new IllegalArgumentException("not a SIP URI: " + text);
    }
    return uri;
  }
}

package org.sipline.backend.jainsip;

import gov.nist.javax.sip.SipStackImpl;
import java.util.Properties;
import javax.sip.PeerUnavailableException;

/**
 * The RI's stack, minus its finalizer. {@code SipStackImpl.finalize()} calls {@code stopStack()}
 * again, and {@code stopStack()} shuts down and forgets an executor the RI keeps in a static field
 * for every stack of the JVM: the one that delivers a message a stack sends to its own address (two
 * lines of one backend calling each other). So when the garbage collector finalized a stack closed
 * long before, a live stack's next self-addressed response failed with "rejected from
 * MDCScheduledTHExecutor[Terminated]" (seen in CI, {@code DnsIsolationTest}). {@link JainSipStack}
 * stops each stack itself, once; nothing is left for a finalizer to do.
 */
final class StoppedOnceSipStack extends SipStackImpl {
  StoppedOnceSipStack(Properties properties) throws PeerUnavailableException {
    super(properties);
  }

  // Deprecated by the JDK, and Error Prone's Finalize check forbids overriding it, for good
  // reason; overriding it empty is the only way to stop the RI's own finalizer from running.
  @SuppressWarnings({"deprecation", "Finalize"})
  @Override
  protected void finalize() {}
}

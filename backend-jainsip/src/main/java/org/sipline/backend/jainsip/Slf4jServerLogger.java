package org.sipline.backend.jainsip;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every SIP message the stack sends or receives, logged in full at DEBUG on the logger {@code
 * org.sipline.backend.jainsip.wire} (the RI's default writes files and needs log4j). Public with a
 * no-argument constructor because the stack instantiates it by name ({@code
 * gov.nist.javax.sip.SERVER_LOGGER}). Digest exchanges carry hashes, never passwords, so the full
 * text is safe to log.
 */
public final class Slf4jServerLogger implements ServerLogger {
  private static final Logger wire = LoggerFactory.getLogger("org.sipline.backend.jainsip.wire");

  /** The logger the stack makes by name; it holds nothing of its own. */
  public Slf4jServerLogger() {}

  @Override
  public void closeLogFile() {
    // No file: SLF4J owns the output.
  }

  @Override
  public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
    log(message, from, to, sender);
  }

  @Override
  public void logMessage(
      SIPMessage message, String from, String to, String status, boolean sender, long time) {
    log(message, from, to, sender);
  }

  @Override
  public void logMessage(
      SIPMessage message, String from, String to, String status, boolean sender) {
    log(message, from, to, sender);
  }

  private static void log(SIPMessage message, String from, String to, boolean sender) {
    // The supplier keeps the encoding off the hot path unless DEBUG is on.
    wire.atDebug()
        .addArgument(sender ? "sent" : "received")
        .addArgument(from)
        .addArgument(to)
        .addArgument(message::encode)
        .log("{} {} -> {}\n{}");
  }

  @Override
  public void logException(Exception ex) {
    wire.warn("JAIN-SIP message exception", ex);
  }

  @Override
  public void setStackProperties(Properties stackProperties) {
    // Nothing to configure: SLF4J's own configuration decides.
  }

  @Override
  public void setSipStack(SipStack sipStack) {
    // Not needed: each message names its own ends.
  }
}

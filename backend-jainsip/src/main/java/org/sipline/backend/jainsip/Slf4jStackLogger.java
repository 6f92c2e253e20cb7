package org.sipline.backend.jainsip;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's internal log, sent to SLF4J (logger {@code gov.nist.javax.sip}) instead of the RI's
 * default writer, which needs log4j 1.x on the class path. Public with a no-argument constructor
 * because the stack instantiates it by name ({@code gov.nist.javax.sip.STACK_LOGGER}).
 */
public final class Slf4jStackLogger implements StackLogger {
  private static final Logger log = LoggerFactory.getLogger("gov.nist.javax.sip");

  /** The logger the stack makes by name; it holds nothing of its own. */
  public Slf4jStackLogger() {}

  @Override
  public void logStackTrace() {
    log.atTrace().setCause(new Throwable("stack trace requested by JAIN-SIP")).log("stack trace");
  }

  @Override
  public void logStackTrace(int traceLevel) {
    logStackTrace();
  }

  @Override
  public int getLineCount() {
    return 0;
  }

  @Override
  public void logException(Throwable ex) {
    log.warn("JAIN-SIP exception", ex);
  }

  @Override
  public void logDebug(String message) {
    log.debug(message);
  }

  @Override
  public void logDebug(String message, Exception ex) {
    log.debug(message, ex);
  }

  @Override
  public void logTrace(String message) {
    log.trace(message);
  }

  @Override
  public void logFatalError(String message) {
    log.error(message);
  }

  @Override
  public void logError(String message) {
    log.error(message);
  }

  @Override
  public boolean isLoggingEnabled() {
    // The RI asks this before logging its errors and warnings.
    return log.isErrorEnabled();
  }

  @Override
  public boolean isLoggingEnabled(int logLevel) {
    // JAIN-SIP builds expensive strings behind these checks: answer by the SLF4J level.
    if (logLevel >= TRACE_TRACE) {
      return log.isTraceEnabled();
    }
    if (logLevel >= TRACE_DEBUG) {
      return log.isDebugEnabled();
    }
    if (logLevel >= TRACE_INFO) {
      // The RI's INFO is chatter (a line for every datagram it reads: a 5,000/s INVITE flood
      // wrote 110,000 lines in 15 s), so it goes to DEBUG; see logInfo.
      return log.isDebugEnabled();
    }
    if (logLevel >= TRACE_WARN) {
      return log.isWarnEnabled();
    }
    return logLevel > TRACE_NONE && log.isErrorEnabled();
  }

  @Override
  public void logError(String message, Exception ex) {
    if (ex instanceof InterruptedException) {
      // Our close() interrupts the EventScannerThread to end it; that's no error.
      log.debug(message, ex);
    } else {
      log.error(message, ex);
    }
  }

  @Override
  public void logWarning(String message) {
    if (isTlsDefaultsNotice(message)) {
      log.debug(message);
    } else {
      log.warn(message);
    }
  }

  /**
   * The RI warns at every start without a key store that TLS "will be inactive" and which defaults
   * it uses; without TLS configured that is expected, not worth an operator's look.
   */
  private static boolean isTlsDefaultsNotice(String message) {
    return message != null
        && (message.startsWith("TLS ")
            || message.startsWith("Using default keystore type")
            || message.startsWith("Using default truststore type")
            || message.startsWith("using default tls security policy"));
  }

  @Override
  public void logInfo(String message) {
    log.debug(message);
  }

  @Override
  public void disableLogging() {
    // The level is SLF4J's to decide.
  }

  @Override
  public void enableLogging() {
    // The level is SLF4J's to decide.
  }

  @Override
  public void setBuildTimeStamp(String buildTimeStamp) {
    log.debug("JAIN-SIP build {}", buildTimeStamp);
  }

  @Override
  public void setStackProperties(Properties stackProperties) {
    // Nothing to configure: SLF4J's own configuration decides.
  }

  @Override
  public String getLoggerName() {
    return log.getName();
  }
}

package org.sipline.server;

/** How much sipline logs; libraries it uses (gRPC, Netty, the SIP stack) stay at WARN or above. */
public enum LogLevel {
  ERROR,
  WARN,
  INFO,
  DEBUG,
  TRACE
}

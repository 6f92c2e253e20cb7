package org.sipline.server;

/** The shape of each log line: for people, or one JSON object per line for log collectors. */
public enum LogFormat {
  TEXT,
  JSON
}

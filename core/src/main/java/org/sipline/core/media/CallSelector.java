package org.sipline.core.media;

/** Which call of the line a stream attaches to. */
public enum CallSelector {
  /** The call in progress; refused when the line has none. */
  CURRENT,
  /** The next call to connect, attached before its first packet. */
  NEXT
}

package org.sipline.core.spi;

/** Why an established call ended. */
public enum CallEnd {
  /** We sent BYE (soft hangup) and it completed or timed out. */
  LOCAL_BYE,
  /** We tore everything down locally (hard hangup). */
  LOCAL_TERMINATE,
  /** The far end sent BYE. */
  REMOTE_BYE,
  /** The call was handed over by a successful transfer. */
  TRANSFERRED,
  /** No RTP arrived for the configured media timeout. */
  MEDIA_TIMEOUT,
  /** The dialog broke (transport error, timeout of an in-dialog request, backend closed). */
  ERROR
}

package org.sipline.backend.jainsip;

import javax.sip.ResponseEvent;

/**
 * Who waits for the responses of one client transaction; attached to it as application data. Called
 * on the SIP executor.
 */
interface ResponseHandler {
  void onResponse(ResponseEvent event);

  /** The stack gave up on the transaction (Timer B/F): no final response will come. */
  void onStackTimeout();
}

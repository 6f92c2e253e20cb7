package org.sipline.testing.peers;

/**
 * baresip's answer to a ctrl_tcp command.
 *
 * @param ok whether the command succeeded
 * @param data what the command printed, or the error
 */
public record BaresipResponse(boolean ok, String data) {}

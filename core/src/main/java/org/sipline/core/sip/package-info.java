/**
 * Input checks for what requests put into SIP messages (SPEC §2, errors): addresses ({@link
 * org.sipline.core.sip.SipAddresses}) and extra headers ({@link org.sipline.core.sip.SipHeaders}).
 *
 * <p>Everything here reads untrusted text and either returns a value that is safe to put on the
 * wire as it is, or throws {@link org.sipline.core.InvalidArgumentException} with a message that
 * names the field and what was wrong, showing the offending value escaped and shortened. Nothing is
 * repaired silently, and nothing else is thrown. Inputs are bounded before they are scanned, so the
 * work per request is bounded too.
 */
package org.sipline.core.sip;

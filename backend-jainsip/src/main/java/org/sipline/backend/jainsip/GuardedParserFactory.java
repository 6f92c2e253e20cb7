package org.sipline.backend.jainsip;

import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/**
 * The RI's message parser factory, set by stack property ({@code
 * gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}): every parser the RI makes is a {@link
 * GuardedParser}. Public with a public constructor because the RI instantiates it by name.
 */
public final class GuardedParserFactory implements MessageParserFactory {
  /** The factory the RI makes by name; it holds nothing. */
  public GuardedParserFactory() {}

  @Override
  public MessageParser createMessageParser(SIPTransactionStack stack) {
    return new GuardedParser();
  }
}

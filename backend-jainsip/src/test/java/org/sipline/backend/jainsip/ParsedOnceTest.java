package org.sipline.backend.jainsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.text.ParseException;
import javax.sip.SipFactory;
import javax.sip.address.SipURI;
import javax.sip.header.Header;
import javax.sip.header.UserAgentHeader;
import org.junit.jupiter.api.Test;

/**
 * Text parsed once and handed out as clones: what one request changes never reaches the next, a
 * parse failure is thrown every time and kept nowhere, and the kept entries stay bounded.
 */
class ParsedOnceTest {
  private final ParsedOnce parsed;

  ParsedOnceTest() throws Exception {
    SipFactory factory = SipFactory.getInstance();
    factory.setPathName("gov.nist");
    parsed = new ParsedOnce(factory.createAddressFactory(), factory.createHeaderFactory());
  }

  @Test
  void eachUriIsACloneAChangeToOneLeavesTheNextAsParsed() throws Exception {
    SipURI first = (SipURI) parsed.uri("sip:proxy@127.0.0.1:5070");
    first.setLrParam();
    first.setUser("changed");
    SipURI second = (SipURI) parsed.uri("sip:proxy@127.0.0.1:5070");
    assertThat(second).isNotSameAs(first);
    assertThat(second.toString()).isEqualTo("sip:proxy@127.0.0.1:5070");
    assertThat(parsed.uriCount()).isEqualTo(1);
  }

  @Test
  void eachHeaderIsAClone() throws Exception {
    Header first = parsed.header("User-Agent", "sipline/1.0");
    assertThat(first).isInstanceOf(UserAgentHeader.class);
    ((UserAgentHeader) first).setProduct(java.util.List.of("changed/2"));
    assertThat(parsed.header("User-Agent", "sipline/1.0").toString().trim())
        .isEqualTo("User-Agent: sipline/1.0");
    assertThat(parsed.header("Session-Expires", "1800").toString().trim())
        .isEqualTo("Session-Expires: 1800");
  }

  @Test
  void textThatDoesNotParseFailsEveryTimeAndIsNotKept() {
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> parsed.uri("sip:@@")).isInstanceOf(ParseException.class);
      assertThatThrownBy(() -> parsed.header("Min-SE", "soon")).isInstanceOf(ParseException.class);
    }
    assertThat(parsed.uriCount()).isZero();
  }

  @Test
  void pastTheLimitTheKeptUrisStartAfresh() throws Exception {
    for (int i = 0; i < ParsedOnce.LIMIT + 10; i++) {
      parsed.uri("sip:callee" + i + "@127.0.0.1");
      assertThat(parsed.uriCount()).isBetween(1, ParsedOnce.LIMIT);
    }
    assertThat(parsed.uriCount()).isEqualTo(10);
    assertThat(parsed.uri("sip:callee3@127.0.0.1").toString()).isEqualTo("sip:callee3@127.0.0.1");
  }
}

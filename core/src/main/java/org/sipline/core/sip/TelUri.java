package org.sipline.core.sip;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the part after {@code tel:} into the user part of the SIP URI that reaches the same number
 * (RFC 3261 §19.1.6): the number without separators, followed by its parameters ({@code ;ext=12},
 * {@code ;phone-context=+43}). A local number without {@code phone-context} is accepted: the
 * account's domain is its context.
 */
final class TelUri {
  private TelUri() {}

  static String userPart(Input in, String body) {
    int semi = body.indexOf(';');
    String number = semi < 0 ? body : body.substring(0, semi);
    if (number.isEmpty()) {
      throw in.failIn("phone number missing");
    }
    String params = semi < 0 ? "" : body.substring(semi);
    StringBuilder user = new StringBuilder(PhoneNumber.normalize(in, number));
    Set<String> seen = new HashSet<>();
    if (!params.isEmpty()) {
      for (String item : params.substring(1).split(";", -1)) {
        int eq = item.indexOf('=');
        String name = eq < 0 ? item : item.substring(0, eq);
        if (name.isEmpty()) {
          throw in.failIn("tel: parameter without a name");
        }
        if (!seen.add(name.toLowerCase(Locale.ROOT))) {
          throw in.fail("tel: parameter " + Quote.single(name) + " given twice");
        }
        if (eq >= 0 && eq == item.length() - 1) {
          throw in.fail("tel: parameter " + Quote.single(name) + " has an empty value");
        }
        user.append(';').append(item);
      }
    }
    // The parameters land in a user part, so the user rule decides what they may hold.
    return UserPart.check(in, user.toString());
  }
}

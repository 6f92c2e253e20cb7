package org.sipline.server;

/**
 * The account a line registers and starts a session for when the server boots, as if a client had
 * called SipRegisterAccount and SipStartSession. Its {@link #toString()} leaves the password out.
 *
 * @param account {@code user@host[:port]} or a {@code sip:} URI, as SipRegisterAccount's
 *     account_name
 * @param password the digest password (read from the lines file's {@code password-file})
 * @param authUsername the digest user name, or empty for the account's user part
 * @param outboundProxy where REGISTER and calls go first, or empty
 * @param autoAnswerSeconds incoming calls are answered after this many seconds (0 = at once)
 */
public record LineAccount(
    String account,
    String password,
    String authUsername,
    String outboundProxy,
    int autoAnswerSeconds) {

  public LineAccount {
    account = nz(account);
    password = password == null ? "" : password;
    authUsername = nz(authUsername);
    outboundProxy = nz(outboundProxy);
  }

  @Override
  public String toString() {
    return "LineAccount[account="
        + account
        + ", password="
        + (password.isEmpty() ? "(none)" : "(hidden)")
        + ", authUsername="
        + authUsername
        + ", outboundProxy="
        + outboundProxy
        + ", autoAnswerSeconds="
        + autoAnswerSeconds
        + "]";
  }

  private static String nz(String s) {
    return s == null ? "" : s.strip();
  }
}

package org.sipline.backend.jainsip.hardening;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import javax.sip.message.Request;

/**
 * The jainsip backend's own readers of peer input, reached from this package: the SDP parser
 * ({@code SessionDescription.parse}) and the transfer's sipfrag reader ({@code
 * BlindTransfer.sipfrag} and {@code statusCode}). They are package-private by design; the fuzz
 * needs them in-process at 100,000 inputs, where going through the wire would test the socket more
 * than the parser. A rename there fails here with the name to look for.
 */
final class OwnParsers {
  private static final String PACKAGE = "org.sipline.backend.jainsip.";
  private static final MethodHandle SDP =
      find(
          "SessionDescription",
          "parse",
          MethodType.methodType(classOf("SessionDescription"), String.class));
  private static final MethodHandle SIPFRAG =
      find("BlindTransfer", "sipfrag", MethodType.methodType(String.class, Request.class));
  private static final MethodHandle STATUS_CODE =
      find("BlindTransfer", "statusCode", MethodType.methodType(int.class, String.class));

  private OwnParsers() {}

  /** {@code SessionDescription.parse(text)}; refusals are IllegalArgumentException. */
  static Object parseSdp(String text) throws Throwable {
    return SDP.invoke(text);
  }

  /** The status code of a NOTIFY's sipfrag, as a transfer reads it. */
  static int sipfragStatus(Request notify) throws Throwable {
    return (int) STATUS_CODE.invoke((String) SIPFRAG.invoke(notify));
  }

  private static Class<?> classOf(String simpleName) {
    try {
      return Class.forName(PACKAGE + simpleName);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "the fuzz reaches "
              + PACKAGE
              + simpleName
              + ", which is gone; point OwnParsers at its successor",
          e);
    }
  }

  private static MethodHandle find(String simpleName, String method, MethodType type) {
    Class<?> owner = classOf(simpleName);
    try {
      return MethodHandles.privateLookupIn(owner, MethodHandles.lookup())
          .findStatic(owner, method, type);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new IllegalStateException(
          "the fuzz reaches "
              + owner.getName()
              + "."
              + method
              + type
              + ", which is gone; point OwnParsers at its successor",
          e);
    }
  }
}

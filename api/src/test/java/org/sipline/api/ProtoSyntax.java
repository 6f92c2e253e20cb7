package org.sipline.api;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Our protos' descriptors rendered back in proto syntax, one line per rpc or field, so that each
 * contract test pins a file as a reader of the .proto would see it and a wire-incompatible edit (a
 * renumbered field, a changed type, a field moved in or out of a oneof) shows as a one-line
 * difference.
 */
final class ProtoSyntax {
  private ProtoSyntax() {}

  /** {@code rpc Name(stream Request) returns (Response)}, types named within {@code pkg}. */
  static String rpc(MethodDescriptor m, String pkg) {
    return "rpc "
        + m.getName()
        + "("
        + (m.isClientStreaming() ? "stream " : "")
        + local(m.getInputType(), pkg)
        + ") returns ("
        + (m.isServerStreaming() ? "stream " : "")
        + local(m.getOutputType(), pkg)
        + ")";
  }

  /**
   * Each field as declared: {@code oneof_name: type name = n}, {@code optional …}, {@code repeated
   * …} or {@code map<key, value> name = n}.
   */
  static List<String> fields(Descriptor d, String pkg) {
    List<String> out = new ArrayList<>();
    for (FieldDescriptor f : d.getFields()) {
      StringBuilder b = new StringBuilder();
      if (f.getRealContainingOneof() != null) {
        b.append(f.getRealContainingOneof().getName()).append(": ");
      } else if (f.hasPresence() && f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        b.append("optional ");
      }
      if (f.isMapField()) {
        Descriptor entry = f.getMessageType();
        b.append("map<")
            .append(type(entry.findFieldByName("key"), pkg))
            .append(", ")
            .append(type(entry.findFieldByName("value"), pkg))
            .append("> ");
      } else {
        if (f.isRepeated()) {
          b.append("repeated ");
        }
        b.append(type(f, pkg)).append(' ');
      }
      b.append(f.getName()).append(" = ").append(f.getNumber());
      out.add(b.toString());
    }
    return out;
  }

  private static String type(FieldDescriptor f, String pkg) {
    return switch (f.getType()) {
      case MESSAGE -> local(f.getMessageType(), pkg);
      case ENUM -> local(f.getEnumType(), pkg);
      default -> f.getType().name().toLowerCase(Locale.ROOT);
    };
  }

  /** A type's name within {@code pkg}; a foreign type keeps its full name. */
  private static String local(GenericDescriptor t, String pkg) {
    String full = t.getFullName();
    return full.startsWith(pkg + ".") ? full.substring(pkg.length() + 1) : full;
  }
}

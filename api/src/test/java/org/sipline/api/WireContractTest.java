package org.sipline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor.Type;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.sipline.api.sip.SipProto;

/**
 * SPEC §1 element by element, checked against the descriptor protoc compiled. Any edit to sip.proto
 * that would break an ONDEWO client fails here.
 */
class WireContractTest {

  private static final FileDescriptor FILE = SipProto.getDescriptor();

  @Test
  void fileIsProto3InPackageOndewoSipWithTheTwoWellKnownImports() {
    assertEquals("ondewo.sip", FILE.getPackage());
    assertEquals("proto3", FILE.toProto().getSyntax());
    List<String> imports =
        FILE.getDependencies().stream()
            .map(FileDescriptor::getName)
            .sorted()
            .collect(Collectors.toList());
    assertEquals(
        List.of("google/protobuf/empty.proto", "google/protobuf/timestamp.proto"), imports);
  }

  @Test
  void serviceSipHasExactlyTheElevenUnaryRpcs() {
    assertEquals(1, FILE.getServices().size());
    ServiceDescriptor service = FILE.findServiceByName("Sip");
    assertNotNull(service, "service Sip");
    Map<String, String[]> expected = new LinkedHashMap<>();
    expected.put(
        "SipStartSession",
        new String[] {"ondewo.sip.SipStartSessionRequest", "ondewo.sip.SipStatus"});
    expected.put("SipEndSession", new String[] {"google.protobuf.Empty", "ondewo.sip.SipStatus"});
    expected.put(
        "SipStartCall", new String[] {"ondewo.sip.SipStartCallRequest", "ondewo.sip.SipStatus"});
    expected.put(
        "SipEndCall", new String[] {"ondewo.sip.SipEndCallRequest", "ondewo.sip.SipStatus"});
    expected.put(
        "SipTransferCall",
        new String[] {"ondewo.sip.SipTransferCallRequest", "ondewo.sip.SipStatus"});
    expected.put(
        "SipRegisterAccount",
        new String[] {"ondewo.sip.SipRegisterAccountRequest", "ondewo.sip.SipStatus"});
    expected.put("SipGetSipStatus", new String[] {"google.protobuf.Empty", "ondewo.sip.SipStatus"});
    expected.put(
        "SipGetSipStatusHistory",
        new String[] {"google.protobuf.Empty", "ondewo.sip.SipStatusHistoryResponse"});
    expected.put(
        "SipPlayWavFiles",
        new String[] {"ondewo.sip.SipPlayWavFilesRequest", "ondewo.sip.SipStatus"});
    expected.put("SipMute", new String[] {"google.protobuf.Empty", "ondewo.sip.SipStatus"});
    expected.put("SipUnMute", new String[] {"google.protobuf.Empty", "ondewo.sip.SipStatus"});

    assertEquals(
        expected.keySet(),
        service.getMethods().stream().map(MethodDescriptor::getName).collect(Collectors.toSet()));
    for (MethodDescriptor m : service.getMethods()) {
      String[] io = expected.get(m.getName());
      assertEquals(io[0], m.getInputType().getFullName(), m.getName() + " request");
      assertEquals(io[1], m.getOutputType().getFullName(), m.getName() + " response");
      assertTrue(!m.isClientStreaming() && !m.isServerStreaming(), m.getName() + " must be unary");
    }
  }

  @Test
  void requestMessagesHaveTheirFieldsExactly() {
    expectFields("SipEndCallRequest", field("hard_hangup", 1, Type.BOOL));
    expectFields("SipStartCallRequest", field("callee_id", 1, Type.STRING), map("headers", 2));
    expectFields(
        "SipRegisterAccountRequest",
        field("account_name", 1, Type.STRING),
        field("password", 2, Type.STRING),
        field("auth_username", 3, Type.STRING),
        field("outbound_proxy", 4, Type.STRING));
    expectFields(
        "SipStartSessionRequest",
        field("account_name", 1, Type.STRING),
        field("auto_answer_interval", 2, Type.INT32));
    expectFields("SipTransferCallRequest", field("transfer_id", 1, Type.STRING), map("headers", 2));
    expectFields("SipPlayWavFilesRequest", repeated("wav_files", 1, Type.BYTES));
  }

  @Test
  void statusMessagesHaveTheirFieldsExactly() {
    expectFields(
        "SipStatus",
        field("account_name", 1, Type.STRING),
        message("timestamp", 2, "google.protobuf.Timestamp"),
        enumField("status_type", 3, "ondewo.sip.SipStatus.StatusType"),
        field("callee_id", 4, Type.STRING),
        field("transfer_call_id", 5, Type.STRING),
        map("headers", 6),
        field("description", 7, Type.STRING),
        field("exception_name", 8, Type.STRING),
        field("exception_traceback", 9, Type.STRING),
        field("nlu_session_name", 10, Type.STRING));
    expectFields(
        "SipStatusHistoryResponse", repeatedMessage("status_history", 1, "ondewo.sip.SipStatus"));
  }

  @Test
  void statusTypeEnumHasEveryValueWithItsNumber() {
    EnumDescriptor e = FILE.findMessageTypeByName("SipStatus").findEnumTypeByName("StatusType");
    assertNotNull(e, "SipStatus.StatusType");
    List<String> names =
        List.of(
            "NO_SESSION",
            "REGISTERED",
            "READY",
            "INCOMING_CALL_INITIATED",
            "OUTGOING_CALL_INITIATED",
            "OUTGOING_CALL_CONNECTED",
            "INCOMING_CALL_CONNECTED",
            "TRANSFER_CALL_INITIATED",
            "SOFT_HANGUP_INITIATED",
            "HARD_HANGUP_INITIATED",
            "INCOMING_CALL_FAILED",
            "OUTGOING_CALL_FAILED",
            "INCOMING_CALL_FINISHED",
            "OUTGOING_CALL_FINISHED",
            "SESSION_REGISTRATION_FAILED",
            "SESSION_STARTED",
            "SESSION_ENDED",
            "TRANSFER_CALL_FAILED",
            "MICROPHONE_MUTED",
            "MICROPHONE_UNMUTED",
            "MICROPHONE_WAV_FILES_PLAYED",
            "NO_ONGOING_CALL");
    assertEquals(names.size(), e.getValues().size(), "number of StatusType values");
    for (int i = 0; i < names.size(); i++) {
      assertNotNull(e.findValueByName(names.get(i)), names.get(i));
      assertEquals(i, e.findValueByName(names.get(i)).getNumber(), names.get(i));
    }
  }

  // ---- expectations -------------------------------------------------------------------------

  private interface FieldCheck {
    String name();

    void check(Descriptor owner, FieldDescriptor f);
  }

  private static void expectFields(String message, FieldCheck... checks) {
    Descriptor d = FILE.findMessageTypeByName(message);
    assertNotNull(d, "message " + message);
    assertEquals(checks.length, d.getFields().size(), message + " field count");
    for (FieldCheck c : checks) {
      FieldDescriptor f = d.findFieldByName(c.name());
      assertNotNull(f, message + "." + c.name());
      assertTrue(
          f.getRealContainingOneof() == null, message + "." + c.name() + " must not be in a oneof");
      c.check(d, f);
    }
  }

  private static FieldCheck field(String name, int number, Type type) {
    return new FieldCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void check(Descriptor owner, FieldDescriptor f) {
        String where = owner.getName() + "." + name;
        assertEquals(number, f.getNumber(), where + " number");
        assertEquals(type, f.getType(), where + " type");
        assertTrue(!f.isRepeated(), where + " must be singular");
        assertTrue(!f.hasPresence(), where + " must be a plain proto3 scalar (no 'optional')");
      }
    };
  }

  private static FieldCheck repeated(String name, int number, Type type) {
    return new FieldCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void check(Descriptor owner, FieldDescriptor f) {
        String where = owner.getName() + "." + name;
        assertEquals(number, f.getNumber(), where + " number");
        assertEquals(type, f.getType(), where + " type");
        assertTrue(f.isRepeated() && !f.isMapField(), where + " must be repeated");
      }
    };
  }

  private static FieldCheck repeatedMessage(String name, int number, String typeName) {
    return new FieldCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void check(Descriptor owner, FieldDescriptor f) {
        String where = owner.getName() + "." + name;
        assertEquals(number, f.getNumber(), where + " number");
        assertEquals(Type.MESSAGE, f.getType(), where + " type");
        assertEquals(typeName, f.getMessageType().getFullName(), where + " message type");
        assertTrue(f.isRepeated() && !f.isMapField(), where + " must be repeated");
      }
    };
  }

  private static FieldCheck message(String name, int number, String typeName) {
    return new FieldCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void check(Descriptor owner, FieldDescriptor f) {
        String where = owner.getName() + "." + name;
        assertEquals(number, f.getNumber(), where + " number");
        assertEquals(Type.MESSAGE, f.getType(), where + " type");
        assertEquals(typeName, f.getMessageType().getFullName(), where + " message type");
        assertTrue(!f.isRepeated(), where + " must be singular");
      }
    };
  }

  private static FieldCheck enumField(String name, int number, String typeName) {
    return new FieldCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void check(Descriptor owner, FieldDescriptor f) {
        String where = owner.getName() + "." + name;
        assertEquals(number, f.getNumber(), where + " number");
        assertEquals(Type.ENUM, f.getType(), where + " type");
        assertEquals(typeName, f.getEnumType().getFullName(), where + " enum type");
        assertTrue(!f.isRepeated(), where + " must be singular");
      }
    };
  }

  private static FieldCheck map(String name, int number) {
    return new FieldCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void check(Descriptor owner, FieldDescriptor f) {
        String where = owner.getName() + "." + name;
        assertEquals(number, f.getNumber(), where + " number");
        assertTrue(f.isMapField(), where + " must be a map");
        Descriptor entry = f.getMessageType();
        assertEquals(Type.STRING, entry.findFieldByName("key").getType(), where + " key type");
        assertEquals(Type.STRING, entry.findFieldByName("value").getType(), where + " value type");
      }
    };
  }
}

package org.sipline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.sipline.api.lines.v1.LinesProto;

/**
 * Pins sipline.lines.v1 as released (SPEC §7): the service, its rpcs and streaming kinds, every
 * message's fields by number, type and label. Clients generate stubs from this file, so a
 * renumbered, retyped or removed element breaks them silently; here it fails the build. A field or
 * message added with a new number is compatible: add it to the tables below in the same change.
 */
class LinesContractTest {
  private static final FileDescriptor FILE = LinesProto.getDescriptor();
  private static final String PACKAGE = "sipline.lines.v1";

  @Test
  void fileIsProto3InItsOwnPackageAndImportsOnlyOndewoSip() {
    assertEquals(PACKAGE, FILE.getPackage());
    assertEquals("proto3", FILE.toProto().getSyntax());
    assertEquals(
        List.of("ondewo/sip/sip.proto"),
        FILE.getDependencies().stream().map(FileDescriptor::getName).toList(),
        "imports");
    assertEquals(List.of(), FILE.getEnumTypes(), "enums");
  }

  @Test
  void serviceLinesHasItsSixRpcs() {
    assertEquals(1, FILE.getServices().size(), "services");
    var service = FILE.findServiceByName("Lines");
    assertNotNull(service, "service Lines");
    assertEquals(
        List.of(
            "rpc ListLines(ListLinesRequest) returns (ListLinesResponse)",
            "rpc GetLine(GetLineRequest) returns (Line)",
            "rpc CreateLine(CreateLineRequest) returns (Line)",
            "rpc DeleteLine(DeleteLineRequest) returns (DeleteLineResponse)",
            "rpc Drain(DrainRequest) returns (DrainResponse)",
            "rpc WatchStatus(WatchStatusRequest) returns (stream WatchEvent)"),
        service.getMethods().stream().map(LinesContractTest::rpc).collect(Collectors.toList()));
  }

  @Test
  void everyMessageHasItsFieldsExactly() {
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put(
        "Line",
        List.of(
            "string name = 1",
            "bool default_line = 2",
            "ondewo.sip.SipStatus status = 3",
            "uint64 last_seq = 4",
            "uint64 oldest_seq = 5",
            "bool registered = 6",
            "bool in_call = 7",
            "bool free = 8"));
    expected.put("ListLinesRequest", List.of());
    expected.put("ListLinesResponse", List.of("repeated Line lines = 1", "bool draining = 2"));
    expected.put("GetLineRequest", List.of("string name = 1"));
    expected.put("CreateLineRequest", List.of("string name = 1"));
    expected.put("DeleteLineRequest", List.of("string name = 1", "bool force = 2"));
    expected.put("DeleteLineResponse", List.of("Line line = 1"));
    expected.put("DrainRequest", List.of("uint32 timeout_seconds = 1"));
    expected.put("DrainResponse", List.of("uint32 calls_at_start = 1", "uint32 calls_hung_up = 2"));
    expected.put(
        "WatchStatusRequest",
        List.of(
            "string line = 1",
            "bool all_lines = 2",
            "uint64 after_seq = 3",
            "map<string, uint64> after_seq_by_line = 4"));
    expected.put(
        "WatchEvent",
        List.of(
            "kind: StatusEntry status = 1", "kind: Gap gap = 2", "kind: CaughtUp caught_up = 3"));
    expected.put(
        "StatusEntry",
        List.of("string line = 1", "uint64 seq = 2", "ondewo.sip.SipStatus status = 3"));
    expected.put(
        "Gap",
        List.of(
            "string line = 1",
            "uint64 first_missing_seq = 2",
            "uint64 last_missing_seq = 3",
            "uint64 oldest_seq = 4",
            "string reason = 5"));
    expected.put("CaughtUp", List.of());

    assertEquals(
        expected.keySet(),
        FILE.getMessageTypes().stream()
            .map(Descriptor::getName)
            .collect(Collectors.toCollection(TreeSet::new)),
        "messages of " + PACKAGE);
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      assertEquals(e.getValue(), fields(FILE.findMessageTypeByName(e.getKey())), e.getKey());
    }
  }

  @Test
  void javaOptionsStayAsGeneratedCodeExpectsThem() {
    assertEquals("org.sipline.api.lines.v1", FILE.getOptions().getJavaPackage());
    assertEquals(true, FILE.getOptions().getJavaMultipleFiles());
    assertEquals("LinesProto", FILE.getOptions().getJavaOuterClassname());
  }

  // ---- rendering in proto syntax ---------------------------------------------------------------

  private static String rpc(MethodDescriptor m) {
    return ProtoSyntax.rpc(m, PACKAGE);
  }

  private static List<String> fields(Descriptor d) {
    return ProtoSyntax.fields(d, PACKAGE);
  }
}

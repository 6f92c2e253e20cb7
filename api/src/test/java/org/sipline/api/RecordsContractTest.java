package org.sipline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.sipline.api.records.v1.RecordsProto;

/**
 * Pins sipline.records.v1 as released: the service and its rpc, every message's fields by number,
 * type and label, every enum value by number. The JSON lines of {@code --call-records} are these
 * messages with their proto field names, so a renamed field breaks every reader of those files as
 * well as every client; here it fails the build. A field added with a new number is compatible: add
 * it below in the same change.
 */
class RecordsContractTest {
  private static final FileDescriptor FILE = RecordsProto.getDescriptor();
  private static final String PACKAGE = "sipline.records.v1";

  @Test
  void fileIsProto3InItsOwnPackageAndImportsNothing() {
    assertEquals(PACKAGE, FILE.getPackage());
    assertEquals("proto3", FILE.toProto().getSyntax());
    assertEquals(List.of(), FILE.getDependencies(), "imports");
  }

  @Test
  void serviceCallRecordsHasListCallRecords() {
    assertEquals(1, FILE.getServices().size(), "services");
    var service = FILE.findServiceByName("CallRecords");
    assertNotNull(service, "service CallRecords");
    assertEquals(
        List.of("rpc ListCallRecords(ListCallRecordsRequest) returns (ListCallRecordsResponse)"),
        service.getMethods().stream()
            .map(m -> ProtoSyntax.rpc(m, PACKAGE))
            .collect(Collectors.toList()));
  }

  @Test
  void everyMessageHasItsFieldsExactly() {
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put(
        "ListCallRecordsRequest",
        List.of(
            "string line = 1", "string ended_from = 2", "string ended_to = 3", "int32 limit = 4"));
    expected.put("ListCallRecordsResponse", List.of("repeated CallRecord records = 1"));
    expected.put(
        "CallRecord",
        List.of(
            "string call_id = 1",
            "string line = 2",
            "string account = 3",
            "Direction direction = 4",
            "string remote = 5",
            "string invited = 6",
            "string answered = 7",
            "string ended = 8",
            "int32 sip_code = 9",
            "string sip_reason = 10",
            "Side ended_by = 11",
            "Ending ending = 12",
            "string description = 13",
            "string codec = 14",
            "int32 prompts_played = 15",
            "int32 dtmf_received = 16",
            "int32 dtmf_sent = 17",
            "RtpStatistics rtp = 18",
            "double mos_received = 19",
            "double mos_sent = 20"));
    expected.put(
        "RtpStatistics",
        List.of(
            "int64 packets_sent = 1",
            "int64 octets_sent = 2",
            "int64 packets_received = 3",
            "int64 octets_received = 4",
            "Reception inbound = 5",
            "Reception outbound = 6",
            "int64 far_end_packets_sent = 7",
            "int64 far_end_octets_sent = 8",
            "double round_trip_ms = 9",
            "int64 rtcp_sent = 10",
            "int64 rtcp_received = 11",
            "int64 rtcp_dropped = 12",
            "int64 srtp_auth_failures = 13",
            "int64 srtp_replays = 14",
            "int64 srtp_out_of_window = 15"));
    expected.put(
        "Reception",
        List.of(
            "bool reported = 1",
            "int64 expected = 2",
            "int64 cumulative_lost = 3",
            "double fraction_lost = 4",
            "double loss_ratio = 5",
            "double jitter_ms = 6"));
    Map<String, List<String>> actual = new TreeMap<>();
    for (Descriptor d : FILE.getMessageTypes()) {
      actual.put(d.getName(), fields(d));
    }
    assertEquals(expected, actual);
  }

  @Test
  void everyEnumHasItsValuesExactly() {
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put(
        "Direction",
        List.of("DIRECTION_UNSPECIFIED = 0", "DIRECTION_INCOMING = 1", "DIRECTION_OUTGOING = 2"));
    expected.put(
        "Side",
        List.of("SIDE_UNSPECIFIED = 0", "SIDE_LOCAL = 1", "SIDE_REMOTE = 2", "SIDE_NETWORK = 3"));
    expected.put(
        "Ending",
        List.of(
            "ENDING_UNSPECIFIED = 0",
            "ENDING_BYE = 1",
            "ENDING_CANCEL = 2",
            "ENDING_REJECTED = 3",
            "ENDING_TRANSFER = 4",
            "ENDING_MEDIA_TIMEOUT = 5",
            "ENDING_SHUTDOWN = 6",
            "ENDING_TEARDOWN = 7",
            "ENDING_TIMEOUT = 8",
            "ENDING_ERROR = 9",
            "ENDING_CRASH = 10"));
    Map<String, List<String>> actual = new TreeMap<>();
    for (EnumDescriptor e : FILE.getEnumTypes()) {
      actual.put(
          e.getName(),
          e.getValues().stream()
              .map(v -> v.getName() + " = " + v.getNumber())
              .collect(Collectors.toList()));
    }
    assertEquals(expected, actual);
  }

  private static List<String> fields(Descriptor d) {
    return ProtoSyntax.fields(d, PACKAGE);
  }
}

package org.sipline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.sipline.api.media.v1.MediaProto;

/**
 * Pins sipline.media.v1 as released (MEDIA.md): the service, its rpcs and their streaming kinds,
 * every message's fields by number, type and label, every enum value by number. Clients generate
 * stubs from this file, so a renumbered, retyped or removed element breaks them silently; here it
 * fails the build. A field or message added with a new number is compatible: add it to the tables
 * below in the same change.
 *
 * <p>Fields are written as in the proto ({@code repeated string name = 5}); a member of a oneof is
 * prefixed with the oneof's name ({@code kind: Open open = 1}); message and enum types of this
 * package are written by their name inside it.
 */
class MediaContractTest {
  private static final FileDescriptor FILE = MediaProto.getDescriptor();
  private static final String PACKAGE = "sipline.media.v1";

  @Test
  void fileIsProto3InItsOwnPackageAndImportsNothing() {
    assertEquals(PACKAGE, FILE.getPackage());
    assertEquals("proto3", FILE.toProto().getSyntax());
    assertEquals(List.of(), FILE.getDependencies(), "imports");
  }

  @Test
  void serviceLineMediaHasConverseListenAndInterrupt() {
    assertEquals(1, FILE.getServices().size(), "services");
    var service = FILE.findServiceByName("LineMedia");
    assertNotNull(service, "service LineMedia");
    assertEquals(
        List.of(
            "rpc Converse(stream ConverseRequest) returns (stream ConverseEvent)",
            "rpc Listen(ListenRequest) returns (stream ConverseEvent)",
            "rpc Interrupt(InterruptRequest) returns (InterruptResponse)"),
        service.getMethods().stream().map(MediaContractTest::rpc).collect(Collectors.toList()));
  }

  @Test
  void everyMessageHasItsFieldsExactly() {
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put("AudioFormat", List.of("AudioEncoding encoding = 1", "int32 sample_rate = 2"));
    expected.put(
        "ConverseRequest",
        List.of(
            "kind: Open open = 1",
            "kind: Audio audio = 2",
            "kind: Mark mark = 3",
            "kind: Clear clear = 4",
            "kind: Pause pause = 5",
            "kind: Resume resume = 6",
            "kind: SendDtmf send_dtmf = 7"));
    expected.put(
        "Open",
        List.of(
            "CallSelector call = 1",
            "AudioFormat inbound_format = 2",
            "AudioFormat outbound_format = 3",
            "int32 inbound_frame_ms = 4",
            "int32 max_inbound_lag_ms = 5",
            "int32 max_queued_ms = 6",
            "int32 playout_interval_ms = 7",
            "bool take_over = 8",
            "string resume_token = 9"));
    expected.put(
        "Audio", List.of("string utterance_id = 1", "bytes data = 2", "bool end_of_utterance = 3"));
    expected.put("Mark", List.of("string id = 1"));
    expected.put("Clear", List.of("string through_utterance = 1"));
    expected.put("Pause", List.of());
    expected.put("Resume", List.of());
    expected.put(
        "SendDtmf", List.of("string digits = 1", "int32 duration_ms = 2", "int32 gap_ms = 3"));
    expected.put(
        "ListenRequest",
        List.of(
            "CallSelector call = 1",
            "AudioFormat inbound_format = 2",
            "int32 inbound_frame_ms = 3",
            "int32 max_inbound_lag_ms = 4"));
    expected.put("InterruptRequest", List.of("string call_id = 1", "string through_utterance = 2"));
    expected.put("InterruptResponse", List.of("Cleared cleared = 1"));
    expected.put(
        "ConverseEvent",
        List.of(
            "uint64 sequence = 1",
            "kind: Opened opened = 2",
            "kind: AudioIn audio_in = 3",
            "kind: MarkResolved mark = 4",
            "kind: Cleared cleared = 5",
            "kind: Playout playout = 6",
            "kind: Dtmf dtmf = 7",
            "kind: DtmfSent dtmf_sent = 8",
            "kind: Flow flow = 9",
            "kind: AudioRejected audio_rejected = 10",
            "kind: CallState call_state = 11",
            "kind: StreamStatistics statistics = 12"));
    expected.put(
        "Opened",
        List.of(
            "string call_id = 1",
            "string remote = 2",
            "bool incoming = 3",
            "string codec = 4",
            "int32 timeline_rate = 5",
            "AudioFormat inbound_format = 6",
            "AudioFormat outbound_format = 7",
            "int32 inbound_frame_ms = 8",
            "int32 max_inbound_lag_ms = 9",
            "int32 max_queued_ms = 10",
            "string resume_token = 11",
            "int32 resume_grace_ms = 12",
            "bool resumed = 13",
            "uint64 position = 14"));
    expected.put(
        "AudioIn",
        List.of(
            "uint64 position = 1",
            "bytes data = 2",
            "uint32 concealed_samples = 3",
            "uint64 dropped_samples = 4",
            "bool replayed = 5"));
    expected.put(
        "MarkResolved",
        List.of("string id = 1", "MarkResolved.Outcome outcome = 2", "uint64 position = 3"));
    expected.put(
        "Cleared",
        List.of(
            "string through_utterance = 1",
            "string interrupted_utterance = 2",
            "uint64 played_samples = 3",
            "uint64 position = 4",
            "repeated string cleared_utterances = 5",
            "uint64 dropped_samples = 6"));
    expected.put(
        "Playout",
        List.of(
            "uint64 position = 1",
            "string utterance_id = 2",
            "uint64 utterance_played_samples = 3",
            "bool utterance_ended = 4",
            "uint32 queued_ms = 5",
            "bool paused = 6"));
    expected.put(
        "Dtmf",
        List.of(
            "string digit = 1",
            "Dtmf.Phase phase = 2",
            "uint64 position = 3",
            "uint32 duration_ms = 4",
            "DtmfSource source = 5"));
    expected.put(
        "DtmfSent",
        List.of(
            "string digit = 1",
            "uint32 duration_ms = 2",
            "DtmfSource method = 3",
            "uint64 position = 4",
            "string failure = 5",
            "int32 sip_code = 6"));
    expected.put("Flow", List.of("bool xoff = 1", "uint32 queued_ms = 2"));
    expected.put(
        "AudioRejected",
        List.of(
            "string utterance_id = 1",
            "uint32 bytes = 2",
            "string reason = 3",
            "uint32 queued_ms = 4"));
    expected.put(
        "CallState",
        List.of(
            "CallState.State state = 1",
            "int32 sip_code = 2",
            "string reason = 3",
            "uint64 position = 4"));
    expected.put(
        "StreamStatistics",
        List.of(
            "uint64 frames_sent = 1",
            "uint64 frames_dropped = 2",
            "uint32 max_lag_ms = 3",
            "uint32 queued_ms = 4",
            "uint64 underruns = 5",
            "uint64 chunks_rejected = 6",
            "uint64 marks_played = 7",
            "uint64 marks_cleared = 8",
            "uint32 max_clear_latency_us = 9",
            "uint64 digits_in = 10",
            "uint64 digits_out = 11",
            "uint64 concealed_samples = 12",
            "uint64 played_samples = 13"));

    assertEquals(
        expected.keySet(),
        FILE.getMessageTypes().stream()
            .map(Descriptor::getName)
            .collect(Collectors.toCollection(TreeSet::new)),
        "messages of " + PACKAGE);
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      Descriptor d = FILE.findMessageTypeByName(e.getKey());
      assertEquals(e.getValue(), fields(d), "fields of " + e.getKey());
    }
  }

  @Test
  void onlyTheKindOneofsExist() {
    for (Descriptor d : FILE.getMessageTypes()) {
      List<String> oneofs =
          d.getRealOneofs().stream().map(o -> o.getName()).collect(Collectors.toList());
      boolean expected =
          d.getName().equals("ConverseRequest") || d.getName().equals("ConverseEvent");
      assertEquals(expected ? List.of("kind") : List.of(), oneofs, "oneofs of " + d.getName());
    }
  }

  @Test
  void everyEnumHasItsValuesByNumber() {
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put(
        "AudioEncoding",
        List.of("AUDIO_ENCODING_UNSPECIFIED = 0", "LINEAR16 = 1", "MULAW = 2", "ALAW = 3"));
    expected.put(
        "CallSelector", List.of("CALL_SELECTOR_UNSPECIFIED = 0", "CURRENT = 1", "NEXT = 2"));
    expected.put(
        "DtmfSource", List.of("DTMF_SOURCE_UNSPECIFIED = 0", "RFC4733 = 1", "SIP_INFO = 2"));
    expected.put(
        "MarkResolved.Outcome",
        List.of(
            "OUTCOME_UNSPECIFIED = 0",
            "PLAYED = 1",
            "CLEARED = 2",
            "CALL_ENDED = 3",
            "DETACHED = 4"));
    expected.put("Dtmf.Phase", List.of("PHASE_UNSPECIFIED = 0", "START = 1", "END = 2"));
    expected.put(
        "CallState.State",
        List.of(
            "STATE_UNSPECIFIED = 0",
            "CONNECTED = 1",
            "ENDED = 2",
            "WAITING = 3",
            "HELD = 4",
            "RESUMED = 5"));

    Map<String, EnumDescriptor> actual = new TreeMap<>();
    for (EnumDescriptor e : FILE.getEnumTypes()) {
      actual.put(e.getName(), e);
    }
    for (Descriptor d : FILE.getMessageTypes()) {
      for (EnumDescriptor e : d.getEnumTypes()) {
        actual.put(d.getName() + "." + e.getName(), e);
      }
      assertEquals(List.of(), d.getNestedTypes(), "nested messages of " + d.getName());
    }
    assertEquals(expected.keySet(), actual.keySet(), "enums of " + PACKAGE);
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      assertEquals(
          e.getValue(),
          actual.get(e.getKey()).getValues().stream()
              .map(v -> v.getName() + " = " + v.getNumber())
              .collect(Collectors.toList()),
          "values of " + e.getKey());
    }
  }

  @Test
  void javaOptionsStayAsGeneratedCodeExpectsThem() {
    assertEquals("org.sipline.api.media.v1", FILE.getOptions().getJavaPackage());
    assertEquals(true, FILE.getOptions().getJavaMultipleFiles());
    assertEquals("MediaProto", FILE.getOptions().getJavaOuterClassname());
  }

  // ---- rendering in proto syntax ---------------------------------------------------------------

  private static String rpc(MethodDescriptor m) {
    return ProtoSyntax.rpc(m, PACKAGE);
  }

  private static List<String> fields(Descriptor d) {
    return ProtoSyntax.fields(d, PACKAGE);
  }
}

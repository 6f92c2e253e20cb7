package org.sipline.backend.jainsip.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.sip.message.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sipline.backend.jainsip.GuardedParserFactory;
import org.sipline.backend.jainsip.JainSipBackendProvider;
import org.sipline.core.spi.BackendConfig;

/**
 * At least 100,000 mutated INVITEs, NOTIFYs, responses, SDP bodies and sipfrags through what the
 * jainsip backend runs on every message a peer sends: its parser (JAIN-SIP's, guarded), the
 * response the backend builds for a request, its SDP parser and its transfer's sipfrag reader. Each
 * input is read or refused with the exception its reader documents (ParseException,
 * IllegalArgumentException); nothing else escapes, and nothing is left behind (threads, file
 * descriptors, heap).
 */
class SipMutationFuzzTest {
  private static final long SEED = Long.getLong("sipline.fuzz.seed", 0x5eed_f022L);

  /** The parser the backend's stack runs on every message (its MESSAGE_PARSER_FACTORY). */
  private static final MessageParser PARSER = new GuardedParserFactory().createMessageParser(null);

  /** What went wrong, by exception class and top frame, with the first input that did it. */
  private final Map<String, String> escapes = new LinkedHashMap<>();

  private final Map<String, Long> outcomes = new LinkedHashMap<>();

  /**
   * The RI's parser logs through the logger a stack installs when it starts; start (and stop) a
   * backend so that the parser runs as configured in production rather than falling back to log4j,
   * which is not on the class path.
   */
  @BeforeAll
  static void configureTheRiAsABackendDoes() {
    new JainSipBackendProvider().create(BackendConfig.loopback().build()).close();
  }

  @Test
  void everyMutatedInputIsReadOrRefusedAsDocumentedAndNothingLeaks() throws Exception {
    int total = HardeningRun.count(100_000, 1_000_000);
    SplittableRandom random = new SplittableRandom(SEED);
    Mutator messages = new Mutator(random.split(), Seeds.all("bot", "127.0.0.1:5060"));
    List<byte[]> sdpSeeds = new ArrayList<>();
    sdpSeeds.add(Seeds.SDP.getBytes(StandardCharsets.US_ASCII));
    for (TortureMessage m : TortureCorpus.all()) {
      String text = m.text();
      int body = text.indexOf("\r\n\r\nv=0");
      if (body >= 0) {
        sdpSeeds.add(text.substring(body + 4).getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    Mutator sdp = new Mutator(random.split(), sdpSeeds);
    long threadsBefore = Thread.activeCount();
    long fdsBefore = BackendThreads.openFds();
    long heapBefore = usedHeapAfterGc();
    long start = System.nanoTime();

    for (int i = 0; i < total; i++) {
      // Three in four inputs are whole messages; the rest are SDP bodies alone, since few
      // mutated messages keep a body that reaches the SDP parser.
      if (i % 4 == 3) {
        readSdp(sdp.next());
      } else {
        readMessage(messages.next());
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    long heapAfter = usedHeapAfterGc();

    HardeningRun.figure("SipMutationFuzzTest", "inputs", total);
    HardeningRun.figure("SipMutationFuzzTest", "seconds", millis / 1000.0);
    HardeningRun.figure("SipMutationFuzzTest", "outcomes", outcomes);
    HardeningRun.figure("SipMutationFuzzTest", "seed", SEED);
    assertThat(escapes).as("undocumented exceptions (seed %d)", SEED).isEmpty();
    assertThat(outcomes.getOrDefault("message parsed", 0L)).as("parsed inputs").isPositive();
    assertThat(outcomes.getOrDefault("message refused", 0L)).as("refused inputs").isPositive();
    assertThat(outcomes.getOrDefault("sdp read", 0L)).as("SDPs read").isPositive();
    assertThat(outcomes.getOrDefault("sipfrag read", 0L)).as("sipfrags read").isPositive();
    assertThat(Thread.activeCount()).as("threads").isLessThanOrEqualTo((int) threadsBefore);
    assertThat(BackendThreads.openFds()).as("open file descriptors").isLessThanOrEqualTo(fdsBefore);
    assertThat(heapAfter - heapBefore).as("heap kept after %d inputs", total).isLessThan(32L << 20);
  }

  private void readMessage(byte[] input) {
    SIPMessage message;
    try {
      message = PARSER.parseSIPMessage(input.clone(), true, false, null);
    } catch (ParseException e) {
      count("message refused");
      return;
    } catch (Throwable t) {
      escaped("StringMsgParser.parseSIPMessage", t, input);
      return;
    }
    if (message == null) {
      count("message empty");
      return;
    }
    count("message parsed");
    if (message instanceof SIPRequest request) {
      answer(request, input);
      if (Request.NOTIFY.equalsIgnoreCase(request.getMethod())) {
        try {
          OwnParsers.sipfragStatus(request);
          count("sipfrag read");
        } catch (IllegalArgumentException e) {
          count("sipfrag refused");
        } catch (Throwable t) {
          escaped("BlindTransfer.sipfrag/statusCode", t, input);
        }
      }
    }
    byte[] body = message.getRawContent();
    if (body != null && body.length > 0) {
      readSdp(body);
    }
  }

  /** What the backend's Responder does with every request: a response, encoded for the wire. */
  private void answer(SIPRequest request, byte[] input) {
    try {
      Object response = new MessageFactoryImpl().createResponse(400, request);
      ((SIPMessage) response).encodeAsBytes("UDP");
      count("response built");
    } catch (ParseException e) {
      count("response refused");
    } catch (Throwable t) {
      escaped("MessageFactoryImpl.createResponse + encode", t, input);
    }
  }

  private void readSdp(byte[] body) {
    try {
      OwnParsers.parseSdp(new String(body, StandardCharsets.UTF_8));
      count("sdp read");
    } catch (IllegalArgumentException e) {
      count("sdp refused");
    } catch (Throwable t) {
      escaped("SessionDescription.parse", t, body);
    }
  }

  private void count(String outcome) {
    outcomes.merge(outcome, 1L, Long::sum);
  }

  private void escaped(String where, Throwable t, byte[] input) {
    StackTraceElement top = t.getStackTrace().length > 0 ? t.getStackTrace()[0] : null;
    String key = where + ": " + t.getClass().getName() + " at " + top;
    escapes.computeIfAbsent(
        key,
        k ->
            t
                + "\n  input ("
                + input.length
                + " bytes): "
                + HexFormat.of().formatHex(input, 0, Math.min(input.length, 600)));
    count("escaped");
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }
}

package org.sipline.server.ctl;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sipline.api.media.v1.Cleared;
import org.sipline.api.media.v1.ConverseEvent;
import org.sipline.api.media.v1.ConverseRequest;
import org.sipline.api.media.v1.DtmfSent;
import org.sipline.api.media.v1.DtmfSource;
import org.sipline.api.media.v1.LineMediaGrpc;
import org.sipline.api.media.v1.ListenRequest;
import org.sipline.api.media.v1.MarkResolved;
import org.sipline.api.media.v1.Opened;

/**
 * A LineMedia server for testing the media commands of {@code ctl}: records every request, answers
 * a Listen with {@link #listenEvents} (then {@link #listenEnd}), and plays a far end for Converse:
 * Opened, every mark PLAYED at once (unless {@link #markOutcome} says otherwise), a Clear answered
 * with the samples received so far, a DtmfSent per digit, the stream completed on half-close.
 */
final class ScriptedMedia extends LineMediaGrpc.LineMediaImplBase {
  final List<Message> requests = new CopyOnWriteArrayList<>();
  final ByteArrayOutputStream audio = new ByteArrayOutputStream();

  volatile List<ConverseEvent> listenEvents = List.of();
  volatile Status listenEnd = Status.OK;

  /** Leaves a Listen open after its events, as a call that goes on. */
  volatile boolean listenStaysOpen;

  volatile Status converseRefusal;

  /** From this digit on (its index), DtmfSent says not sent, as a refused INFO would; -1: none. */
  volatile int dtmfFailsFrom = -1;

  volatile MarkResolved.Outcome markOutcome = MarkResolved.Outcome.PLAYED;

  static ConverseEvent opened(long sequence) {
    return ConverseEvent.newBuilder()
        .setSequence(sequence)
        .setOpened(
            Opened.newBuilder()
                .setCallId("call-1")
                .setRemote("sip:bob@example.org")
                .setTimelineRate(8000))
        .build();
  }

  @Override
  public void listen(ListenRequest request, StreamObserver<ConverseEvent> response) {
    requests.add(request);
    for (ConverseEvent e : listenEvents) {
      response.onNext(e);
    }
    if (listenStaysOpen) {
      return;
    }
    if (listenEnd.isOk()) {
      response.onCompleted();
    } else {
      response.onError(listenEnd.asRuntimeException());
    }
  }

  @Override
  public StreamObserver<ConverseRequest> converse(StreamObserver<ConverseEvent> response) {
    return new StreamObserver<>() {
      private long sequence;

      @Override
      public synchronized void onNext(ConverseRequest request) {
        requests.add(request);
        switch (request.getKindCase()) {
          case OPEN -> {
            if (converseRefusal != null) {
              response.onError(converseRefusal.asRuntimeException());
              return;
            }
            response.onNext(opened(++sequence));
          }
          case AUDIO -> audio.writeBytes(request.getAudio().getData().toByteArray());
          case MARK ->
              response.onNext(
                  ConverseEvent.newBuilder()
                      .setSequence(++sequence)
                      .setMark(
                          MarkResolved.newBuilder()
                              .setId(request.getMark().getId())
                              .setOutcome(markOutcome))
                      .build());
          case CLEAR ->
              response.onNext(
                  ConverseEvent.newBuilder()
                      .setSequence(++sequence)
                      .setCleared(
                          Cleared.newBuilder()
                              .setThroughUtterance(request.getClear().getThroughUtterance())
                              .setInterruptedUtterance(request.getClear().getThroughUtterance())
                              .setPlayedSamples(audio.size() / 2))
                      .build());
          case SEND_DTMF -> {
            String digits = request.getSendDtmf().getDigits();
            for (int i = 0; i < digits.length(); i++) {
              DtmfSent.Builder sent =
                  DtmfSent.newBuilder()
                      .setDigit(String.valueOf(digits.charAt(i)))
                      .setDurationMs(request.getSendDtmf().getDurationMs());
              int from = dtmfFailsFrom;
              if (from < 0 || i < from) {
                sent.setMethod(DtmfSource.RFC4733);
              } else if (i == from) {
                sent.setFailure("488 Not Acceptable Here").setSipCode(488);
              } else {
                sent.setFailure("not sent: digit '" + digits.charAt(from) + "' before it failed");
              }
              response.onNext(
                  ConverseEvent.newBuilder().setSequence(++sequence).setDtmfSent(sent).build());
            }
          }
          default -> {}
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public synchronized void onCompleted() {
        response.onCompleted();
      }
    };
  }
}

package org.sipline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipline.api.sip.SipPlayWavFilesRequest;
import org.sipline.api.sip.SipStatus;
import org.sipline.api.sip.SipStatus.StatusType;

/** A SipPlayWavFiles larger than --max-wav-bytes is RESOURCE_EXHAUSTED naming the limit. */
class WavBudgetTest {
  private static final int LIMIT = 4096;
  private RunningServer running;

  @BeforeEach
  void start() throws Exception {
    running = RunningServer.start(b -> b.maxWavBytes(LIMIT));
  }

  @AfterEach
  void stop() {
    running.close();
  }

  @Test
  void wavDataOverTheBudgetIsRefusedNamingTheLimit() {
    SipPlayWavFilesRequest request =
        SipPlayWavFilesRequest.newBuilder()
            .addWavFiles(ByteString.copyFrom(new byte[3000]))
            .addWavFiles(ByteString.copyFrom(new byte[2000]))
            .build();
    assertThatThrownBy(() -> running.sip().sipPlayWavFiles(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo(
                      "wav_files: 5000 bytes exceed the limit of 4096 bytes (--max-wav-bytes)");
            });
  }

  @Test
  void aRequestOverTheGrpcMessageLimitIsRefusedByGrpcNamingItsLimit() {
    int messageLimit = LIMIT + SiplineServer.REQUEST_FRAMING_BYTES;
    SipPlayWavFilesRequest request =
        SipPlayWavFilesRequest.newBuilder()
            .addWavFiles(ByteString.copyFrom(new byte[messageLimit + 1]))
            .build();
    assertThatThrownBy(() -> running.sip().sipPlayWavFiles(request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription()).contains(String.valueOf(messageLimit));
            });
  }

  @Test
  void theLineIsUnharmedByRefusedRequests() {
    List<SipStatus> before = running.history();
    assertThatThrownBy(
            () ->
                running
                    .sip()
                    .sipPlayWavFiles(
                        SipPlayWavFilesRequest.newBuilder()
                            .addWavFiles(ByteString.copyFrom(new byte[LIMIT + 1]))
                            .build()))
        .isInstanceOf(StatusRuntimeException.class);
    assertThat(running.history()).isEqualTo(before);
    assertThat(running.sip().sipGetSipStatus(Empty.getDefaultInstance()).getStatusType())
        .isEqualTo(StatusType.NO_SESSION);
  }
}

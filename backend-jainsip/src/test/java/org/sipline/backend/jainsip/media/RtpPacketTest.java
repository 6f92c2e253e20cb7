package org.sipline.backend.jainsip.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sipline.backend.jainsip.media.RtpPackets.packet;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtpPacketTest {
  private final RtpPacket view = new RtpPacket();

  @Test
  void writtenHeaderParsesBackWithEveryFieldAtItsLimit() throws Exception {
    byte[] buf = new byte[12 + 3];
    int n = RtpPacket.writeHeader(buf, 0, true, 127, 0xFFFF, 0xFFFF_FFFFL, 0xFFFF_FFFEL);
    buf[12] = 1;
    buf[13] = 2;
    buf[14] = 3;

    view.parse(buf, 0, buf.length);

    assertThat(n).isEqualTo(12);
    assertThat(view.marker()).isTrue();
    assertThat(view.payloadType()).isEqualTo(127);
    assertThat(view.sequenceNumber()).isEqualTo(0xFFFF);
    assertThat(view.timestamp()).isEqualTo(0xFFFF_FFFFL);
    assertThat(view.ssrc()).isEqualTo(0xFFFF_FFFEL);
    assertThat(view.csrcCount()).isZero();
    assertThat(view.padding()).isFalse();
    assertThat(view.extension()).isFalse();
    assertThat(view.payloadOffset()).isEqualTo(12);
    assertThat(view.payloadLength()).isEqualTo(3);
  }

  @Test
  void writtenHeaderIsTheRfc3550ByteLayout() {
    byte[] buf = new byte[12];
    RtpPacket.writeHeader(buf, 0, false, 8, 0x0102, 0x0304_0506L, 0x0708_090AL);
    assertThat(buf).containsExactly(0x80, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
  }

  @Test
  void payloadStartsAfterCsrcsAndExtensionAndEndsBeforePadding() throws Exception {
    byte[] p =
        packet()
            .payloadType(0)
            .sequence(7)
            .csrcs(0xAAAA_AAAAL, 0xBBBB_BBBBL)
            .extension(new byte[8])
            .payload(new byte[] {9, 8, 7, 6, 5})
            .padding(3)
            .build();

    view.parse(p, 0, p.length);

    assertThat(view.csrcCount()).isEqualTo(2);
    assertThat(view.csrc(0)).isEqualTo(0xAAAA_AAAAL);
    assertThat(view.csrc(1)).isEqualTo(0xBBBB_BBBBL);
    assertThat(view.extension()).isTrue();
    assertThat(view.padding()).isTrue();
    assertThat(view.payloadOffset()).isEqualTo(12 + 8 + 4 + 8);
    assertThat(
            Arrays.copyOfRange(
                p, view.payloadOffset(), view.payloadOffset() + view.payloadLength()))
        .containsExactly(9, 8, 7, 6, 5);
  }

  @Test
  void parsesAPacketInTheMiddleOfAnArray() throws Exception {
    byte[] p = packet().sequence(42).payload(new byte[] {1, 2}).build();
    byte[] buf = new byte[p.length + 10];
    System.arraycopy(p, 0, buf, 5, p.length);

    view.parse(buf, 5, p.length);

    assertThat(view.sequenceNumber()).isEqualTo(42);
    assertThat(view.payloadOffset()).isEqualTo(5 + 12);
    assertThat(view.payloadLength()).isEqualTo(2);
  }

  @Test
  void emptyPayloadIsValid() throws Exception {
    byte[] p = packet().build();
    view.parse(p, 0, p.length);
    assertThat(view.payloadLength()).isZero();
  }

  @Test
  void shortDatagramIsRefusedWithItsSize() {
    assertMalformed(new byte[10], "size 10 < 12");
  }

  @Test
  void versionOtherThanTwoIsRefused() {
    assertMalformed(packet().version(1).build(), "version 1 != 2");
  }

  @Test
  void csrcCountBeyondTheDatagramIsRefusedWithTheSizes() {
    assertMalformed(
        packet().claimCsrcCount(3).csrcs(0x1L).build(), "CSRC count 3 needs 24 bytes, have 16");
  }

  @Test
  void extensionHeaderCutOffIsRefused() {
    byte[] p = packet().extension(new byte[0]).build();
    assertMalformed(Arrays.copyOf(p, 14), "extension header needs 16 bytes, have 14");
  }

  @Test
  void extensionLengthBeyondTheDatagramIsRefusedWithTheSizes() {
    assertMalformed(
        packet().extension(new byte[4]).claimExtensionWords(5).build(),
        "extension of 5 words needs 36 bytes, have 20");
  }

  @Test
  void paddingCountOfZeroIsRefused() {
    assertMalformed(packet().payload(new byte[4]).claimPadding(0).build(), "padding count 0");
  }

  @Test
  void paddingLongerThanTheBodyIsRefused() {
    assertMalformed(
        packet().payload(new byte[4]).claimPadding(200).build(),
        "padding 200 > 5 bytes after the 12-byte header");
  }

  @Test
  void csrcIndexOutsideTheCountIsABug() throws Exception {
    byte[] p = packet().csrcs(1L).build();
    view.parse(p, 0, p.length);
    assertThatThrownBy(() -> view.csrc(1))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("CSRC index 1 of 1");
  }

  private void assertMalformed(byte[] datagram, String message) {
    assertThatThrownBy(() -> view.parse(datagram, 0, datagram.length))
        .isInstanceOf(MalformedRtpException.class)
        .hasMessage(message);
  }
}

package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NativeEventTest {
  @Test
  void fieldsAreSplitAtNulBytesWithinTheGivenLength() {
    byte[] text = new byte[64];
    byte[] payload = "abc@x\0sip:bob@h\0Bob\0To: <sip:a@h>\r\n".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(payload, 0, text, 0, payload.length);

    NativeEvent e = NativeEvent.decode(new int[] {4, 257, 513, 0, payload.length}, text);

    assertThat(e.type()).isEqualTo(EventType.INCOMING_CALL);
    assertThat(e.account()).isEqualTo(257);
    assertThat(e.call()).isEqualTo(513);
    assertThat(e.fields()).containsExactly("abc@x", "sip:bob@h", "Bob", "To: <sip:a@h>\r\n");
  }

  @Test
  void missingFieldsReadAsEmpty() {
    NativeEvent e = NativeEvent.decode(new int[] {6, 1, 2, 0, 0}, new byte[8]);

    assertThat(e.field(0)).isEmpty();
    assertThat(e.field(3)).isEmpty();
  }

  @Test
  void aLengthBeyondTheBufferIsRefused() {
    assertThatThrownBy(() -> NativeEvent.decode(new int[] {6, 1, 2, 0, 9}, new byte[8]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("event text length 9 outside 0..8");
  }

  @Test
  void anUnknownTypeIsRefusedNamingIt() {
    assertThatThrownBy(() -> NativeEvent.decode(new int[] {99, 1, 2, 0, 0}, new byte[8]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown shim event type 99");
  }
}

package org.sipline.backend.jainsip.media;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Objects;

/**
 * libopus (Debian's {@code libopus0}, the reference implementation of RFC 6716) bound through JNA,
 * loaded once per JVM. Where it does not load, {@link #unavailableReason()} says why and Opus is
 * simply not offered: G.711 and G.722 need nothing native.
 *
 * <p>Encode and decode are bound by JNA's direct mapping, which passes Java arrays without the
 * per-call native buffers of interface mapping (no garbage per 20 ms frame on the pacer); the
 * variadic {@code opus_encoder_ctl} needs interface mapping and is only called at set-up.
 */
final class OpusLibrary {
  static final int OPUS_OK = 0;
  static final int OPUS_APPLICATION_VOIP = 2048;
  static final int OPUS_SET_BITRATE_REQUEST = 4002;
  static final int OPUS_SET_MAX_BANDWIDTH_REQUEST = 4004;
  static final int OPUS_SET_INBAND_FEC_REQUEST = 4012;
  static final int OPUS_SET_PACKET_LOSS_PERC_REQUEST = 4014;
  static final int OPUS_SET_DTX_REQUEST = 4016;
  static final int OPUS_BANDWIDTH_NARROWBAND = 1101;
  static final int OPUS_BANDWIDTH_MEDIUMBAND = 1102;
  static final int OPUS_BANDWIDTH_WIDEBAND = 1103;
  static final int OPUS_BANDWIDTH_SUPERWIDEBAND = 1104;
  static final int OPUS_BANDWIDTH_FULLBAND = 1105;

  /** The library file's name as the dynamic linker knows it: Debian ships only the .so.0 link. */
  static final String NAME = "opus";

  private static final String[] CANDIDATES = {"opus", "libopus.so.0"};

  /** The variadic control call, the one function direct mapping cannot bind. */
  interface Control extends Library {
    int opus_encoder_ctl(Pointer encoder, int request, Object... args);
  }

  /** The functions bound by direct mapping, registered on the library once loaded. */
  static final class Direct {
    static native Pointer opus_encoder_create(int fs, int channels, int application, int[] error);

    static native int opus_encode(
        Pointer encoder, short[] pcm, int frameSize, byte[] data, int maxDataBytes);

    static native void opus_encoder_destroy(Pointer encoder);

    static native Pointer opus_decoder_create(int fs, int channels, int[] error);

    static native int opus_decode(
        Pointer decoder, byte[] data, int len, short[] pcm, int frameSize, int decodeFec);

    static native void opus_decoder_destroy(Pointer decoder);

    static native String opus_strerror(int error);

    static native String opus_get_version_string();

    private Direct() {}
  }

  private static final class Holder {
    static final OpusLibrary INSTANCE = load(CANDIDATES);
  }

  private final Control control;
  private final String version;
  private final String unavailableReason;

  private OpusLibrary(Control control, String version, String unavailableReason) {
    this.control = control;
    this.version = version;
    this.unavailableReason = unavailableReason;
  }

  /** The JVM's one binding, loaded on first use. */
  static OpusLibrary get() {
    return Holder.INSTANCE;
  }

  /** Tries each name in turn; the first that loads is registered for the direct calls. */
  static OpusLibrary load(String... candidates) {
    StringBuilder reasons = new StringBuilder();
    for (String candidate : candidates) {
      try {
        NativeLibrary library = NativeLibrary.getInstance(candidate);
        Native.register(Direct.class, library);
        Control control = Native.load(candidate, Control.class);
        return new OpusLibrary(control, Direct.opus_get_version_string(), null);
      } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
        // Not found under this name (or JNA itself is missing its native part): try the next.
        if (reasons.length() > 0) {
          reasons.append("; ");
        }
        reasons.append(candidate).append(": ").append(firstLine(e.getMessage()));
      }
    }
    return new OpusLibrary(
        null, null, "libopus not loadable (install Debian's libopus0): " + reasons);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  boolean available() {
    return unavailableReason == null;
  }

  /** Why Opus is not offered on this machine; null when it is. */
  String unavailableReason() {
    return unavailableReason;
  }

  /** libopus's own version string, such as "libopus 1.3.1"; null when unavailable. */
  String version() {
    return version;
  }

  int encoderCtl(Pointer encoder, int request, int value) {
    return Objects.requireNonNull(control, "libopus not loaded")
        .opus_encoder_ctl(encoder, request, value);
  }

  static String errorText(int error) {
    String text = Direct.opus_strerror(error);
    return text == null ? "opus error " + error : text + " (" + error + ")";
  }
}

package org.sipline.testing.peers;

import java.nio.file.Path;

/**
 * The {@code config} file and the account line of one {@link Baresip}. Only the modules the tests
 * need are loaded: G.711, G.722 and Opus, a WAV file as audio source (aufile), recording of the
 * audio (sndfile), the command menu driven over ctrl_tcp, a summary of each call's RTCP figures
 * (rtcpsummary), and account/uuid handling. No sound card.
 */
final class BaresipConfig {
  private BaresipConfig() {}

  static String config(
      int sipPort, int ctrlPort, int rtpFirst, int rtpLast, Path audioSource, Path recordings) {
    return """
        # Generated for one test by org.sipline.testing.peers.Baresip.
        poll_method             epoll
        sip_listen              127.0.0.1:%d
        call_local_timeout      120
        call_max_calls          4
        audio_source            aufile,%s
        audio_level             no
        ausrc_format            s16
        auplay_format           s16
        auenc_format            s16
        audec_format            s16
        audio_buffer            20-160
        rtp_ports               %d-%d
        rtcp_mux                no
        # 0-0: otherwise the last ~100 ms before RTP stops are never recorded (FACTS.md).
        jitter_buffer_delay     0-0
        rtp_stats               no
        # "lo" fails here; the address works (FACTS.md).
        net_interface           127.0.0.1
        module_path             %s
        module                  g711.so
        # Wideband codecs; an account uses them only when its audio_codecs names them.
        module                  g722.so
        module                  opus.so
        module                  aufile.so
        module                  sndfile.so
        # SDES-keyed SRTP; used only by accounts with mediaenc=srtp or srtp-mand.
        module                  srtp.so
        module_tmp              uuid.so
        module_tmp              account.so
        module_app              menu.so
        # Prints its view of each call's RTP when the call closes (RtcpSummary).
        module_app              rtcpsummary.so
        module_app              ctrl_tcp.so
        ctrl_tcp_listen         127.0.0.1:%d
        snd_path                %s
        """
        .formatted(sipPort, audioSource, rtpFirst, rtpLast, modulePath(), ctrlPort, recordings);
  }

  /**
   * The account as {@code uanew} takes it: {@code <sip:user@domain>;param=value;…}. Registered
   * accounts live at the registrar's address and refresh every hour; others are addressed directly
   * at baresip's own port and never register.
   */
  static String account(BaresipOptions options, int sipPort) {
    StringBuilder line = new StringBuilder("<sip:").append(options.user()).append('@');
    if (options.registrar() != null) {
      line.append(options.registrar())
          .append(">;auth_pass=")
          .append(options.password())
          .append(";regint=3600");
    } else {
      line.append("127.0.0.1:").append(sipPort).append(">;regint=0");
    }
    line.append(";answermode=").append(options.autoAnswer() ? "auto" : "manual");
    // baresip 1.0 looks a codec up at 8000 Hz unless told: G.722's entry is G722/16000/1 (its
    // SDP still says G722/8000, RFC 3551's clock). Opus it finds by name.
    line.append(";audio_codecs=")
        .append(
            String.join(
                ",",
                options.codecs().stream()
                    .map(c -> c.equals("G722") ? "G722/16000/1" : c)
                    .toList()));
    if (options.mediaEncryption() != null) {
      line.append(";mediaenc=").append(options.mediaEncryption());
    }
    return line.toString();
  }

  /** Debian installs the modules here; the path is fixed by the package. */
  private static String modulePath() {
    return "/usr/lib/baresip/modules";
  }
}

package org.sipline.benchmarks.pacing;

import java.nio.file.Path;
import java.util.List;
import org.sipline.backend.jainsip.media.MediaEngine;

/**
 * The load process's command line, as {@link LoadProcess} writes it.
 *
 * @param stack "media" or "line"
 * @param calls concurrent calls, at least 1
 * @param sinkPort where RTP goes (media stack)
 * @param registrar host:port of the registrar (line stack)
 * @param callee the callee's URI (line stack)
 * @param wav the WAV every call plays
 * @param result where the {@link LoadResult} goes
 * @param spinClock whether the media stack's pacer spins instead of parking ({@link SpinClock})
 * @param realtime the pacer's media.realtime: "default", "off" or a priority 1..99
 * @param sipPort the line stack's SIP port (0: any free port)
 * @param backend the line stack's backend: "jainsip" or "pjsip"
 * @param metrics "off", or how the line stack binds and feeds the server's meters ({@code
 *     LineMetrics}): "on", "noscrape" or "hook" (see {@link LineLoad#start})
 * @param codec the line stack's only codec (the backend's codec list option), or null for the
 *     backend's default list
 * @param srtp the line stack's SRTP mode: "off" or "require"
 */
record LoadArgs(
    String stack,
    int calls,
    int sinkPort,
    String registrar,
    String callee,
    Path wav,
    Path result,
    boolean spinClock,
    String realtime,
    int sipPort,
    String backend,
    String metrics,
    String codec,
    String srtp) {

  static LoadArgs parse(String[] args) {
    String stack = null;
    int calls = 0;
    int sinkPort = 0;
    String registrar = null;
    String callee = null;
    Path wav = null;
    Path result = null;
    boolean spin = false;
    String realtime = "default";
    int sipPort = 0;
    String backend = "jainsip";
    String metrics = "off";
    String codec = null;
    String srtp = "off";
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("options come in pairs: " + String.join(" ", args));
    }
    for (int i = 0; i < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--stack" -> stack = v;
        case "--calls" -> calls = Integer.parseInt(v);
        case "--sink-port" -> sinkPort = Integer.parseInt(v);
        case "--registrar" -> registrar = v;
        case "--callee" -> callee = v;
        case "--wav" -> wav = Path.of(v);
        case "--result" -> result = Path.of(v);
        case "--clock" ->
            spin =
                switch (v) {
                  case "spin" -> true;
                  case "system" -> false;
                  default ->
                      throw new IllegalArgumentException("--clock must be system or spin: " + v);
                };
        case "--realtime" -> realtime = v;
        case "--sip-port" -> sipPort = Integer.parseInt(v);
        case "--backend" -> backend = v;
        case "--metrics" -> {
          if (!List.of("on", "off", "noscrape", "hook").contains(v)) {
            throw new IllegalArgumentException("--metrics must be on, off, noscrape or hook: " + v);
          }
          metrics = v;
        }
        case "--codec" -> {
          MediaVariant.rtpClockRate(v); // refuses an unknown codec
          codec = v;
        }
        case "--srtp" -> {
          if (!v.equals("off") && !v.equals("require")) {
            throw new IllegalArgumentException("--srtp must be off or require: " + v);
          }
          srtp = v;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (calls < 1) {
      throw new IllegalArgumentException("--calls < 1: " + calls);
    }
    if (wav == null || result == null) {
      throw new IllegalArgumentException("--wav and --result are required");
    }
    if ("media".equals(stack)) {
      if (sinkPort < 1 || sinkPort > 65535) {
        throw new IllegalArgumentException(
            "--stack media needs --sink-port 1..65535, got " + sinkPort);
      }
    } else if ("line".equals(stack)) {
      if (registrar == null || callee == null) {
        throw new IllegalArgumentException("--stack line needs --registrar and --callee");
      }
    } else {
      throw new IllegalArgumentException("--stack must be media or line, got " + stack);
    }
    if (spin && !"media".equals(stack)) {
      throw new IllegalArgumentException(
          "--clock spin needs --stack media (the line stack's" + " backend makes its own clock)");
    }
    if (sipPort < 0 || sipPort > 65535) {
      throw new IllegalArgumentException("--sip-port outside 0..65535: " + sipPort);
    }
    if (!backend.equals("jainsip") && !backend.equals("pjsip")) {
      throw new IllegalArgumentException("--backend must be jainsip or pjsip, got " + backend);
    }
    if (!metrics.equals("off") && !"line".equals(stack)) {
      throw new IllegalArgumentException(
          "--metrics " + metrics + " needs --stack line (lines feed the meters)");
    }
    if ((codec != null || srtp.equals("require")) && !"line".equals(stack)) {
      throw new IllegalArgumentException("--codec and --srtp need --stack line");
    }
    return new LoadArgs(
        stack, calls, sinkPort, registrar, callee, wav, result, spin, realtime, sipPort, backend,
        metrics, codec, srtp);
  }

  /** The pacer's SCHED_FIFO priority for the media stack's engine, as the backend reads it. */
  int pacerRealtime() {
    return switch (realtime) {
      case "default" -> MediaEngine.PACER_REALTIME_DEFAULT;
      case "off" -> MediaEngine.PACER_REALTIME_OFF;
      default -> Integer.parseInt(realtime);
    };
  }
}

package org.sipline.benchmarks.pacing;

import java.nio.file.Path;

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
 */
record LoadArgs(String stack, int calls, int sinkPort, String registrar, String callee, Path wav,
    Path result, boolean spinClock) {

  static LoadArgs parse(String[] args) {
    String stack = null;
    int calls = 0;
    int sinkPort = 0;
    String registrar = null;
    String callee = null;
    Path wav = null;
    Path result = null;
    boolean spin = false;
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
        case "--clock" -> spin = switch (v) {
          case "spin" -> true;
          case "system" -> false;
          default -> throw new IllegalArgumentException("--clock must be system or spin: " + v);
        };
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
        throw new IllegalArgumentException("--stack media needs --sink-port 1..65535, got "
            + sinkPort);
      }
    } else if ("line".equals(stack)) {
      if (registrar == null || callee == null) {
        throw new IllegalArgumentException("--stack line needs --registrar and --callee");
      }
    } else {
      throw new IllegalArgumentException("--stack must be media or line, got " + stack);
    }
    if (spin && !"media".equals(stack)) {
      throw new IllegalArgumentException("--clock spin needs --stack media (the line stack's"
          + " backend makes its own clock)");
    }
    return new LoadArgs(stack, calls, sinkPort, registrar, callee, wav, result, spin);
  }
}

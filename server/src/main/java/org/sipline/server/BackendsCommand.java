package org.sipline.server;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.sipline.core.backends.Backends;
import org.sipline.core.backends.ProviderInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sipline backends}: which SIP backends this installation has, and which can run here. */
@Command(
    name = "backends",
    mixinStandardHelpOptions = true,
    description =
        "List the SIP backends found, highest priority first, and whether each can "
            + "run on this machine.")
final class BackendsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Backends backends = Backends.load();
    PrintWriter out = spec.commandLine().getOut();
    for (ProviderInfo info : backends.describe()) {
      out.println(info);
    }
    for (String reason : backends.skipped()) {
      out.println("skipped: " + reason);
    }
    out.flush();
    return backends.describe().stream().anyMatch(ProviderInfo::available) ? 0 : 1;
  }
}

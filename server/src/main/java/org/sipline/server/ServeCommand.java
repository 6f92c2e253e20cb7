package org.sipline.server;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sipline serve}: runs the server until SIGTERM or Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    showDefaultValues = true,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Serve the ondewo.sip API (the default command).",
      "Every option can also be set by the environment variable named in its description;",
      "a flag wins over the variable."
    })
final class ServeCommand implements Callable<Integer> {

  @Mixin ServeOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return Serving.run(options, spec);
  }
}

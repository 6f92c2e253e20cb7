package org.sipline.server;

import java.util.concurrent.Callable;
import org.sipline.server.ctl.CtlCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code sipline} command. Without a subcommand it serves, exactly as {@code sipline serve}.
 *
 * <p>Exit codes: 0 stopped normally, 1 could not start (or, for {@code ctl}, the server refused), 2
 * bad command line or configuration value, 3 ({@code ctl}) server unreachable.
 */
@Command(
    name = "sipline",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    showDefaultValues = true,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "A SIP user agent driven over gRPC: speaks the ONDEWO-SIP API (package ondewo.sip).",
      "Without a command it serves, like `sipline serve`. Every option can also be set by",
      "the environment variable named in its description; a flag wins over the variable."
    },
    subcommands = {ServeCommand.class, CtlCommand.class, BackendsCommand.class, HelpCommand.class})
public final class Main implements Callable<Integer> {

  @Mixin ServeOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return Serving.run(options, spec);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The whole command tree, configured as the process runs it. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine failed = e.getCommandLine();
          failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + e.getMessage());
          failed.getErr().println("See '" + failed.getCommandSpec().qualifiedName() + " --help'.");
          return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
    return cl;
  }

  static final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"sipline " + Version.get()};
    }
  }
}

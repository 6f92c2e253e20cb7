package org.sipline.core.spi;

import java.util.List;

/**
 * The backend option that orders a call's audio codecs ({@code --codecs}): names, comma-separated,
 * most preferred first; the order a backend offers them in and its preference when it answers. A
 * backend that takes it declares {@link #DECLARATION} and checks the names it knows; one that does
 * not take it refuses the option at start, as any unknown option.
 */
public final class CodecList {
  /** The option's name. */
  public static final String OPTION = "codecs";

  /** G.711 µ-law. */
  public static final String PCMU = "pcmu";

  /** G.711 A-law. */
  public static final String PCMA = "pcma";

  /** G.722 (16 kHz audio). */
  public static final String G722 = "g722";

  /** Opus (RFC 7587). */
  public static final String OPUS = "opus";

  /** Every codec name, in the default order. */
  public static final List<String> NAMES = List.of(OPUS, G722, PCMU, PCMA);

  /** How a backend declares the option. */
  public static final BackendOption DECLARATION =
      BackendOption.text(
          OPTION,
          "audio codecs in order of preference, comma-separated, from opus, g722, pcmu, pcma"
              + " (all of them the backend can run here when not given)");

  private CodecList() {}
}

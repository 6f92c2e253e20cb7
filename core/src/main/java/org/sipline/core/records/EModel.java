package org.sipline.core.records;

import java.util.Locale;
import org.sipline.core.spi.ReceptionReport;

/**
 * An estimated MOS for one direction of a call by the E-model of ITU-T G.107 (06/2015), reduced to
 * what a VoIP endpoint measures: packet loss, the codec and the one-way delay.
 *
 * <pre>
 *   R   = 93.2 − Id − Ie,eff                                  (clause 7, eq. 7-1 with the default
 *                                                               values of Table 3: Ro − Is = 93.2,
 *                                                               A = 0)
 *   Id  = Idd = 0                                  Ta ≤ 100 ms (clause 7.3: Idte and Idle are 0
 *       = 25·{(1 + X⁶)^⅙ − 3·(1 + (X/3)⁶)^⅙ + 2}  Ta > 100 ms  for an echo-free 4-wire path; only
 *         X = lg(Ta / 100) / lg 2                               the pure delay term Idd remains)
 *   Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl)       (clause 7.4; BurstR = 1: random
 *                                                               loss, all we can tell from counts)
 *   MOS = 1                                          R ≤ 0     (Annex B, eq. B-4)
 *       = 1 + 0.035·R + R·(R − 60)·(100 − R)·7·10⁻⁶   0 &lt; R &lt; 100
 *       = 4.5                                        R ≥ 100
 * </pre>
 *
 * <p>The codec's equipment impairment Ie and packet-loss robustness Bpl come from ITU-T G.113
 * Appendix I: G.711 (PCMU, PCMA) has Ie = 0 and Bpl = 4.3 without packet-loss concealment. 4.3 is
 * taken for both directions because neither side's concealment is known here (the jainsip backend
 * plays gaps as silence): the estimate errs low rather than high. Ta, the mean one-way delay, is
 * half the RTCP round-trip time; codec and jitter-buffer delays are not added, so a call on a short
 * path is never marked down for delay. A perfect G.711 call scores 4.41.
 */
public final class EModel {
  /** R with every G.107 default (Table 3) and nothing impaired: Ro − Is. */
  static final double R_DEFAULT = 93.2;

  /** G.113 Appendix I, G.711 without packet-loss concealment. */
  static final double G711_IE = 0;

  static final double G711_BPL = 4.3;

  /** "No estimate": the direction carried no audio, or the codec's impairments are unknown. */
  public static final double NONE = 0;

  private EModel() {}

  /**
   * The MOS of one direction: 1.0..4.5, or {@link #NONE} when {@code codec} is not one whose
   * impairments G.113 lists or the report holds nothing.
   *
   * @param codec the encoding name the SDP used ("PCMU", "PCMA")
   * @param report the direction's reception figures (whole-call loss ratio is used)
   * @param oneWayDelayMillis Ta; 0 or less when not known
   * @return the estimated MOS, or {@link #NONE}
   */
  public static double mos(String codec, ReceptionReport report, double oneWayDelayMillis) {
    if (!report.reported() || report.expected() == 0 || !isG711(codec)) {
      return NONE;
    }
    double ppl = report.lossRatio() * 100;
    return mosFromR(rating(ppl, oneWayDelayMillis, G711_IE, G711_BPL));
  }

  /** The transmission rating R for a loss percentage and one-way delay (clause 7). */
  static double rating(double lossPercent, double oneWayDelayMillis, double ie, double bpl) {
    return R_DEFAULT
        - delayImpairment(oneWayDelayMillis)
        - effectiveEquipment(lossPercent, ie, bpl);
  }

  /** Idd of clause 7.3; with echo cancelled Idte = Idle = 0. */
  static double delayImpairment(double ta) {
    if (!(ta > 100)) {
      return 0;
    }
    double x = Math.log10(ta / 100) / Math.log10(2);
    return 25
        * (Math.pow(1 + Math.pow(x, 6), 1.0 / 6)
            - 3 * Math.pow(1 + Math.pow(x / 3, 6), 1.0 / 6)
            + 2);
  }

  /** Ie,eff of clause 7.4 with BurstR = 1. */
  static double effectiveEquipment(double ppl, double ie, double bpl) {
    return ie + (95 - ie) * ppl / (ppl + bpl);
  }

  /** Annex B: R to the estimated conversational MOS. */
  static double mosFromR(double r) {
    if (r <= 0) {
      return 1;
    }
    if (r >= 100) {
      return 4.5;
    }
    return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
  }

  private static boolean isG711(String codec) {
    String c = codec.toUpperCase(Locale.ROOT);
    return c.equals("PCMU") || c.equals("PCMA");
  }
}

package org.sipline.core;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.sipline.core.media.DetachPolicy;
import org.sipline.core.records.CallRecordSink;

/**
 * How a line behaves. Built once; every value is checked here, so a bad one fails at start-up
 * naming the setting.
 *
 * <p>The four waits bound what the line waits for on top of its backend. Left unset, each is
 * derived from the backend's bound it covers, with a margin; set, each must be longer than that
 * bound, or {@link Line#open} refuses the line. Either way the backend's verdict, which carries the
 * SIP response, reaches the line before the line gives up on its own.
 *
 * @param historyLimit how many statuses the history keeps (oldest dropped first)
 * @param journal a JSONL file the history is appended to and re-read from on open, or null
 * @param clock where status timestamps come from
 * @param registerWait how long SipRegisterAccount waits for the registrar's verdict; null derives
 *     it from the backend's register timeout (see below)
 * @param hangupWait how long a soft hangup (and the hangup inside SipEndSession) may take before
 *     the call is torn down locally; null derives it from the backend's transaction timeout
 * @param callSetupWait the longest an outgoing call may stay unanswered, or an incoming call
 *     unconnected, before the line gives up on it — a safety net above the backend's own bounds;
 *     null means 3 minutes, or more when the backend's INVITE transaction may last longer
 * @param transferWait how long a transfer may go without an outcome before it is reported failed;
 *     null derives it from the backend's transfer timeout
 * @param nluSessionTemplate the per-call {@code nlu_session_name}: {@code {callId}}, {@code
 *     {account}} and {@code {remote}} are replaced
 * @param mediaResumeGrace how long a live-media (Converse) writer that went away may come back with
 *     its resume token; its queued audio is cleared at once, silence plays meanwhile
 * @param mediaDetachPolicy what happens to the call when that writer does not come back in time
 * @param name the line's name in logs and in its call records ({@code line-3}); "line" when it has
 *     no other
 * @param callRecords where the record of each ended call goes
 */
public record LineConfig(
    int historyLimit,
    Path journal,
    Clock clock,
    Duration registerWait,
    Duration hangupWait,
    Duration callSetupWait,
    Duration transferWait,
    String nluSessionTemplate,
    Duration mediaResumeGrace,
    DetachPolicy mediaDetachPolicy,
    String name,
    CallRecordSink callRecords) {

  /**
   * Checks the values: a history of at least one status, and waits that are positive or unset.
   *
   * @param historyLimit how many statuses the history keeps (oldest dropped first)
   * @param journal a JSONL file the history is appended to and re-read from on open, or null
   * @param clock where status timestamps come from
   * @param registerWait how long SipRegisterAccount waits for the registrar's verdict; null derives
   *     it from the backend's register timeout (see below)
   * @param hangupWait how long a soft hangup (and the hangup inside SipEndSession) may take before
   *     the call is torn down locally; null derives it from the backend's transaction timeout
   * @param callSetupWait the longest an outgoing call may stay unanswered, or an incoming call
   *     unconnected, before the line gives up on it — a safety net above the backend's own bounds;
   *     null means 3 minutes, or more when the backend's INVITE transaction may last longer
   * @param transferWait how long a transfer may go without an outcome before it is reported failed;
   *     null derives it from the backend's transfer timeout
   * @param nluSessionTemplate the per-call {@code nlu_session_name}: {@code {callId}}, {@code
   *     {account}} and {@code {remote}} are replaced
   * @param mediaResumeGrace how long a live-media (Converse) writer that went away may come back
   *     with its resume token; its queued audio is cleared at once, silence plays meanwhile
   * @param mediaDetachPolicy what happens to the call when that writer does not come back in time
   * @param name the line's name in logs and in its call records ({@code line-3}); "line" when it
   *     has no other
   * @param callRecords where the record of each ended call goes
   */
  public LineConfig {
    if (historyLimit < 1) {
      throw new IllegalArgumentException("historyLimit < 1: " + historyLimit);
    }
    Objects.requireNonNull(clock, "clock");
    positiveOrUnset(registerWait, "registerWait");
    positiveOrUnset(hangupWait, "hangupWait");
    positiveOrUnset(callSetupWait, "callSetupWait");
    positiveOrUnset(transferWait, "transferWait");
    Objects.requireNonNull(nluSessionTemplate, "nluSessionTemplate");
    positive(mediaResumeGrace, "mediaResumeGrace");
    Objects.requireNonNull(mediaDetachPolicy, "mediaDetachPolicy");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(callRecords, "callRecords");
  }

  private static void positiveOrUnset(Duration d, String name) {
    if (d != null) {
      positive(d, name);
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " <= 0: " + d);
    }
  }

  /**
   * A builder starting from the defaults (see {@link Builder}).
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The defaults, for a line whose waits come from its backend's bounds.
   *
   * @return the default configuration
   */
  public static LineConfig defaults() {
    return builder().build();
  }

  /**
   * Defaults: 10 000 statuses, no journal, system UTC clock, waits derived from the backend's
   * bounds, a live-media writer's grace 10 s after which the call goes on, line name "default",
   * call records discarded.
   */
  public static final class Builder {
    private int historyLimit = 10_000;
    private Path journal;
    private Clock clock = Clock.systemUTC();
    private Duration registerWait;
    private Duration hangupWait;
    private Duration callSetupWait;
    private Duration transferWait;
    private String nluSessionTemplate = "{callId}";
    private Duration mediaResumeGrace = Duration.ofSeconds(10);
    private DetachPolicy mediaDetachPolicy = DetachPolicy.KEEP_CALL;
    private String name = "line";
    private CallRecordSink callRecords = CallRecordSink.DISCARD;

    /**
     * Sets the line's name in logs and call records.
     *
     * @param v the name
     * @return this builder
     */
    public Builder name(String v) {
      name = v;
      return this;
    }

    /**
     * Sets how many statuses the history keeps.
     *
     * @param v at least 1
     * @return this builder
     */
    public Builder historyLimit(int v) {
      historyLimit = v;
      return this;
    }

    /**
     * Sets the JSONL file the history is appended to and re-read from on open.
     *
     * @param v the file, or null for none
     * @return this builder
     */
    public Builder journal(Path v) {
      journal = v;
      return this;
    }

    /**
     * Sets where status timestamps come from.
     *
     * @param v the clock
     * @return this builder
     */
    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    /**
     * Sets how long SipRegisterAccount waits for the registrar's verdict.
     *
     * @param v the bound, or null to derive it from the backend's
     * @return this builder
     */
    public Builder registerWait(Duration v) {
      registerWait = v;
      return this;
    }

    /**
     * Sets how long a soft hangup may take before it is made hard.
     *
     * @param v the bound, or null to derive it from the backend's
     * @return this builder
     */
    public Builder hangupWait(Duration v) {
      hangupWait = v;
      return this;
    }

    /**
     * Sets the longest an outgoing call may stay unanswered, or an incoming one unanswered by the
     * line.
     *
     * @param v the bound, or null to derive it from the backend's
     * @return this builder
     */
    public Builder callSetupWait(Duration v) {
      callSetupWait = v;
      return this;
    }

    /**
     * Sets how long a transfer may go without an outcome before it is reported failed.
     *
     * @param v the bound, or null to derive it from the backend's
     * @return this builder
     */
    public Builder transferWait(Duration v) {
      transferWait = v;
      return this;
    }

    /**
     * Sets the template of each call's {@code nlu_session_name}.
     *
     * @param v the template, with {@code {callId}} and the other placeholders the record documents
     * @return this builder
     */
    public Builder nluSessionTemplate(String v) {
      nluSessionTemplate = v;
      return this;
    }

    /**
     * Sets how long a live-media writer that went away may come back with its stream.
     *
     * @param v the grace
     * @return this builder
     */
    public Builder mediaResumeGrace(Duration v) {
      mediaResumeGrace = v;
      return this;
    }

    /**
     * Sets what happens to a call whose live-media writer went away and did not come back in time.
     *
     * @param v the policy
     * @return this builder
     */
    public Builder mediaDetachPolicy(DetachPolicy v) {
      mediaDetachPolicy = v;
      return this;
    }

    /**
     * Sets where the record of each ended call goes.
     *
     * @param v the sink, or null for none
     * @return this builder
     */
    public Builder callRecords(CallRecordSink v) {
      callRecords = v;
      return this;
    }

    /**
     * Checks the values and builds the configuration.
     *
     * @return the configuration
     */
    public LineConfig build() {
      return new LineConfig(
          historyLimit,
          journal,
          clock,
          registerWait,
          hangupWait,
          callSetupWait,
          transferWait,
          nluSessionTemplate,
          mediaResumeGrace,
          mediaDetachPolicy,
          name,
          callRecords);
    }
  }
}

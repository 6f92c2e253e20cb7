package org.sipline.backend.jainsip;

import java.util.EnumSet;
import java.util.Set;

/** Where one account's binding at its registrar stands. */
// next is set once, in the static block (the states name each other, so a constructor cannot), and
// never changed after: the enum is immutable in fact.
@SuppressWarnings("ImmutableEnumChecker")
enum RegistrationState {
  /** The first REGISTER (and its digest rounds) is out. */
  REGISTERING,
  /** The registrar holds our binding; a refresh is scheduled before it expires. */
  REGISTERED,
  /** A refresh REGISTER is out. */
  REFRESHING,
  /** A refresh failed (reported); the next attempt is scheduled. */
  RETRY_WAIT,
  /** A retry after a failure is out; only its success is reported. */
  RECOVERING,
  /** REGISTER with Expires: 0 is out. */
  UNREGISTERING,
  /** The first REGISTER failed; nothing more happens. Terminal. */
  FAILED,
  /** The binding was removed (or the bound for that passed). Terminal. */
  UNREGISTERED;

  private Set<RegistrationState> next;

  static {
    REGISTERING.next = EnumSet.of(REGISTERED, FAILED, UNREGISTERING);
    REGISTERED.next = EnumSet.of(REFRESHING, UNREGISTERING);
    REFRESHING.next = EnumSet.of(REGISTERED, RETRY_WAIT, UNREGISTERING);
    RETRY_WAIT.next = EnumSet.of(RECOVERING, UNREGISTERING);
    RECOVERING.next = EnumSet.of(REGISTERED, RETRY_WAIT, UNREGISTERING);
    UNREGISTERING.next = EnumSet.of(UNREGISTERED);
    FAILED.next = EnumSet.noneOf(RegistrationState.class);
    UNREGISTERED.next = EnumSet.noneOf(RegistrationState.class);
  }

  boolean isTerminal() {
    return next.isEmpty();
  }

  /** The state after moving to {@code target}; refuses moves the life cycle does not have. */
  RegistrationState moveTo(RegistrationState target) {
    if (!next.contains(target)) {
      throw new IllegalStateException("registration cannot go from " + this + " to " + target);
    }
    return target;
  }
}

package org.sipline.backend.pjsip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccountStateTest {
  @Test
  void aFailedOrUnregisteredAccountMayBeReplacedByANewRegistration() {
    assertThat(AccountState.FAILED.replaceable()).isTrue();
    assertThat(AccountState.UNREGISTERED.replaceable()).isTrue();
  }

  @Test
  void aRegisteringOrRegisteredAccountMayNot() {
    assertThat(AccountState.REGISTERING.replaceable()).isFalse();
    assertThat(AccountState.REGISTERED.replaceable()).isFalse();
  }
}

package org.sipline.server.ctl;

import org.sipline.api.media.v1.CallSelector;

/** {@code --call}: which call of the line a media command attaches to. */
enum CallChoice {
  /** The call in progress; refused when there is none. */
  CURRENT(CallSelector.CURRENT),
  /** The next call to connect, from its first packet. */
  NEXT(CallSelector.NEXT);

  final CallSelector selector;

  CallChoice(CallSelector selector) {
    this.selector = selector;
  }
}

package org.sipline.core.media;

/**
 * Something settled on the pacer's thread that the call's streams must be told: a mark resolved, an
 * utterance played to its end, a clear applied. Facts are chained through themselves, so recording
 * one on the pacer's thread allocates nothing; the events are made later by whoever drains them.
 */
abstract class Fact {
  /** The next fact recorded after this one, or null. */
  Fact nextFact;
}

/**
 * Finding and choosing the SIP backend: {@link org.sipline.core.backends.Backends} loads every
 * {@link org.sipline.core.spi.SipBackendProvider} on the class path, survives broken ones, and
 * picks one by name or priority; {@link org.sipline.core.backends.Backends#start} starts the chosen
 * one after checking the configuration's options against those it declares.
 */
package org.sipline.core.backends;

/**
 * Finding and choosing the SIP backend: {@link org.sipline.core.backends.Backends} loads every
 * {@link org.sipline.core.spi.SipBackendProvider} on the class path, survives broken ones, and
 * picks one by name or priority.
 */
package org.sipline.core.backends;

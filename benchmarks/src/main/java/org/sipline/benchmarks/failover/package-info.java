/**
 * Failover behind Kamailio's dispatcher: how long a killed sipline node stays in the dispatcher's
 * rotation, measured against the deployment's own configuration.
 */
package org.sipline.benchmarks.failover;

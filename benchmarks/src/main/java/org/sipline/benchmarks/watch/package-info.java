/**
 * The WatchStatus fan-out measured through the real server: many watchers of one line, each
 * status's delay from its recording (the timestamp it carries) to its arrival at every watcher.
 */
package org.sipline.benchmarks.watch;

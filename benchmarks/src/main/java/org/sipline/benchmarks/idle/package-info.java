/**
 * Many idle lines in one server process (issue 13): what each costs in heap, resident memory,
 * threads and CPU while it only keeps its registration, and the pace of the REGISTERs at boot.
 */
package org.sipline.benchmarks.idle;

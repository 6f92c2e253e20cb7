/**
 * Call records: what happened to each call, written once when it ended — parties, times, the final
 * SIP code, who ended it and how, prompts and DTMF, the RTP/RTCP figures both ways and an estimated
 * MOS. A line hands each {@link org.sipline.core.records.CallRecord} to the {@link
 * org.sipline.core.records.CallRecordSink} of its configuration; where records go (a JSON-lines
 * file, memory for an rpc, a log line) is the embedding application's choice.
 */
package org.sipline.core.records;

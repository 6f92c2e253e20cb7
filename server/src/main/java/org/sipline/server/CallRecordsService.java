package org.sipline.server;

import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.sipline.api.records.v1.CallRecordsGrpc;
import org.sipline.api.records.v1.ListCallRecordsRequest;
import org.sipline.api.records.v1.ListCallRecordsResponse;
import org.sipline.core.InvalidArgumentException;

/** {@code sipline.records.v1.CallRecords}: the kept call records, filtered. Read-only. */
final class CallRecordsService extends CallRecordsGrpc.CallRecordsImplBase {
  private final CallRecordKeeper keeper;

  CallRecordsService(CallRecordKeeper keeper) {
    this.keeper = keeper;
  }

  @Override
  public void listCallRecords(
      ListCallRecordsRequest request, StreamObserver<ListCallRecordsResponse> response) {
    Instant from;
    Instant to;
    try {
      if (request.getLimit() < 0) {
        throw new InvalidArgumentException("limit", request.getLimit() + " < 0");
      }
      from = time("ended_from", request.getEndedFrom());
      to = time("ended_to", request.getEndedTo());
    } catch (InvalidArgumentException e) {
      response.onError(GrpcErrors.toStatus(e, "ListCallRecords"));
      return;
    }
    response.onNext(
        ListCallRecordsResponse.newBuilder()
            .addAllRecords(keeper.list(request.getLine(), from, to, request.getLimit()))
            .build());
    response.onCompleted();
  }

  private static Instant time(String field, String value) {
    if (value.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidArgumentException(
          field, "\"" + value + "\" is not an RFC 3339 time such as 2026-12-07T08:00:00Z", e);
    }
  }
}

"""A whole call through sipline, driven by stubs that grpc_tools generated from ondewo/sip/sip.proto.

This is the client side of the PythonClientIT end-to-end test: it proves that a gRPC
implementation other than grpc-java (Debian's python3-grpcio) can drive sipline through the
ONDEWO API. Run with Debian's /usr/bin/python3 and PYTHONPATH pointing at the generated code:

  call_flow.py --target 127.0.0.1:50099 --account alice@127.0.0.1:5080 --password pw \
      --callee bob --transfer carol --wav prompt.wav

Prints each status it gets; exits 0 when every step answered as the API promises, 1 otherwise.
"""

import argparse
import sys
import time

import grpc
from google.protobuf import empty_pb2

from ondewo.sip import sip_pb2
from ondewo.sip import sip_pb2_grpc

TYPES = sip_pb2.SipStatus.StatusType
WAIT_SECONDS = 20


class FlowError(Exception):
    pass


def name(status):
    return TYPES.Name(status.status_type)


def show(status):
    print(f"{name(status)} account={status.account_name} remote={status.callee_id}"
          f" - {status.description}", flush=True)
    return status


def expect(status, wanted):
    show(status)
    if name(status) != wanted:
        raise FlowError(f"expected {wanted}, got {name(status)}: {status.description}")
    return status


def history(stub):
    return list(stub.SipGetSipStatusHistory(empty_pb2.Empty(), timeout=10).status_history)


def await_after(stub, mark, wanted):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        for status in history(stub)[mark:]:
            if name(status) == wanted:
                return show(status)
        time.sleep(0.05)
    raise FlowError(f"no {wanted} within {WAIT_SECONDS} s")


def expect_invalid_argument(call, field):
    try:
        call()
    except grpc.RpcError as e:
        if e.code() != grpc.StatusCode.INVALID_ARGUMENT or not e.details().startswith(field):
            raise FlowError(f"expected INVALID_ARGUMENT naming {field}, got {e.code()}: {e.details()}")
        print(f"refused as expected: {e.code().name}: {e.details()}", flush=True)
        return
    raise FlowError(f"a request with a bad {field} was accepted")


def run(args):
    with open(args.wav, "rb") as f:
        wav = f.read()
    with grpc.insecure_channel(args.target) as channel:
        stub = sip_pb2_grpc.SipStub(channel)
        expect(stub.SipGetSipStatus(empty_pb2.Empty(), timeout=10), "NO_SESSION")
        expect(stub.SipRegisterAccount(sip_pb2.SipRegisterAccountRequest(
            account_name=args.account, password=args.password), timeout=30), "REGISTERED")
        expect(stub.SipStartSession(sip_pb2.SipStartSessionRequest(
            account_name=args.account, auto_answer_interval=0), timeout=10), "SESSION_STARTED")

        expect_invalid_argument(lambda: stub.SipStartCall(
            sip_pb2.SipStartCallRequest(callee_id=""), timeout=10), "callee_id")
        expect_invalid_argument(lambda: stub.SipStartCall(sip_pb2.SipStartCallRequest(
            callee_id=args.callee, headers={"X-Bad": "a\r\nb"}), timeout=10), "headers")

        mark = len(history(stub))
        expect(stub.SipStartCall(sip_pb2.SipStartCallRequest(
            callee_id=args.callee, headers={"X-Client": "python"}), timeout=10),
            "OUTGOING_CALL_INITIATED")
        await_after(stub, mark, "OUTGOING_CALL_CONNECTED")
        expect(stub.SipPlayWavFiles(sip_pb2.SipPlayWavFilesRequest(wav_files=[wav]), timeout=30),
               "MICROPHONE_WAV_FILES_PLAYED")
        expect(stub.SipMute(empty_pb2.Empty(), timeout=10), "MICROPHONE_MUTED")
        expect(stub.SipUnMute(empty_pb2.Empty(), timeout=10), "MICROPHONE_UNMUTED")

        mark = len(history(stub))
        expect(stub.SipTransferCall(sip_pb2.SipTransferCallRequest(
            transfer_id=args.transfer), timeout=10), "TRANSFER_CALL_INITIATED")
        await_after(stub, mark, "OUTGOING_CALL_FINISHED")

        mark = len(history(stub))
        expect(stub.SipStartCall(sip_pb2.SipStartCallRequest(callee_id=args.callee), timeout=10),
               "OUTGOING_CALL_INITIATED")
        await_after(stub, mark, "OUTGOING_CALL_CONNECTED")
        expect(stub.SipEndCall(sip_pb2.SipEndCallRequest(hard_hangup=False), timeout=40),
               "SOFT_HANGUP_INITIATED")
        await_after(stub, mark, "OUTGOING_CALL_FINISHED")

        expect(stub.SipEndSession(empty_pb2.Empty(), timeout=40), "SESSION_ENDED")
        statuses = history(stub)
        if not statuses or name(statuses[-1]) != "NO_SESSION":
            raise FlowError("history does not end with NO_SESSION")
        print(f"history holds {len(statuses)} statuses", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True)
    parser.add_argument("--account", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--callee", required=True)
    parser.add_argument("--transfer", required=True)
    parser.add_argument("--wav", required=True)
    try:
        run(parser.parse_args())
    except (FlowError, grpc.RpcError) as e:
        print(f"FAILED: {e}", file=sys.stderr, flush=True)
        return 1
    print("OK", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

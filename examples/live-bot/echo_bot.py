#!/usr/bin/python3
"""An echo bot on sipline's live audio API (sipline.media.v1).

It answers calls, listens to the caller, and after each pause says back what it heard. It plays
the tone of every DTMF digit it receives back to the caller, stops speaking the moment the caller
talks over it, and hangs up on '#'.

Speech detection is deliberately simple: a 20 ms frame is speech when its RMS level is above
--threshold; a phrase ends after --silence-ms of frames below it.

Run ./generate.sh once first (stubs into gen/), then see --help. Uses Debian's python3-grpcio.
"""

import argparse
import array
import collections
import logging
import math
import os
import queue
import sys
import time

sys.path.insert(0, os.environ.get("LIVE_BOT_STUBS", os.path.join(os.path.dirname(__file__), "gen")))

import grpc  # noqa: E402
from google.protobuf import empty_pb2  # noqa: E402
from ondewo.sip import sip_pb2, sip_pb2_grpc  # noqa: E402
from sipline.media.v1 import media_pb2 as media  # noqa: E402
from sipline.media.v1 import media_pb2_grpc  # noqa: E402

RATE = 8000  # the bot asks for LINEAR16 at 8 kHz both ways
BYTES_PER_MS = RATE * 2 // 1000
CHUNK_MS = 100  # how the bot's speech is cut into Audio requests
MAX_PHRASE_MS = 15_000  # longer phrases are cut: the server queues 20 s at most by default
MIN_PHRASE_MS = 200  # shorter "phrases" are clicks and coughs
PRE_ROLL_FRAMES = 10  # 200 ms kept before speech starts, so its first syllable is not lost

DTMF_FREQUENCIES = {
    "1": (697, 1209), "2": (697, 1336), "3": (697, 1477), "A": (697, 1633),
    "4": (770, 1209), "5": (770, 1336), "6": (770, 1477), "B": (770, 1633),
    "7": (852, 1209), "8": (852, 1336), "9": (852, 1477), "C": (852, 1633),
    "*": (941, 1209), "0": (941, 1336), "#": (941, 1477), "D": (941, 1633),
}

log = logging.getLogger("echo-bot")


def rms(pcm):
    """RMS level of little-endian 16-bit PCM."""
    samples = array.array("h", pcm)
    if sys.byteorder == "big":
        samples.byteswap()
    if not samples:
        return 0.0
    return math.sqrt(sum(s * s for s in samples) / len(samples))


def tone(digit, ms=150):
    """The DTMF tone pair of a digit, then 50 ms of silence, as 8 kHz 16-bit PCM."""
    low, high = DTMF_FREQUENCIES[digit]
    samples = array.array(
        "h",
        (int(8000 * (math.sin(2 * math.pi * low * n / RATE) + math.sin(2 * math.pi * high * n / RATE)))
         for n in range(RATE * ms // 1000)))
    samples.extend([0] * (RATE // 20))
    if sys.byteorder == "big":
        samples.byteswap()
    return samples.tobytes()


class Conversation:
    """One call: the Converse stream's requests (a queue) and the handling of its events."""

    def __init__(self, args, sip):
        self.args = args
        self.sip = sip
        self.requests = queue.Queue()
        self.utterances = 0
        self.speaking = None  # id of the last utterance queued and not yet played out
        self.in_speech = False
        self.quiet_ms = 0
        self.phrase = bytearray()
        self.pre_roll = collections.deque(maxlen=PRE_ROLL_FRAMES)
        self.timeline_rate = RATE

    def request_stream(self):
        fmt = media.AudioFormat(encoding=media.LINEAR16, sample_rate=RATE)
        yield media.ConverseRequest(open=media.Open(
            call=media.NEXT, inbound_format=fmt, outbound_format=fmt))
        while True:
            request = self.requests.get()
            if request is None:
                return  # half-close
            yield request

    def run(self, stub, metadata):
        log.info("waiting for the next call")
        try:
            for event in stub.Converse(self.request_stream(), metadata=metadata):
                self.handle(event)
        finally:
            self.requests.put(None)

    # ---- events ----------------------------------------------------------------------------

    def handle(self, event):
        kind = event.WhichOneof("kind")
        if kind == "audio_in":
            self.hear(event.audio_in)
        elif kind == "opened":
            o = event.opened
            self.timeline_rate = o.timeline_rate or RATE
            log.info("call %s %s %s (%s)", o.call_id, "from" if o.incoming else "to", o.remote, o.codec)
        elif kind == "playout":
            p = event.playout
            if p.utterance_ended and p.utterance_id == self.speaking:
                log.info("finished saying %s", p.utterance_id)
                self.speaking = None
        elif kind == "cleared":
            c = event.cleared
            log.info("stopped speaking: %s cut after %d ms",
                     c.interrupted_utterance or "nothing",
                     c.played_samples * 1000 // self.timeline_rate)
            self.speaking = None
        elif kind == "dtmf":
            d = event.dtmf
            if d.phase == media.Dtmf.END:
                self.digit(d.digit, d.duration_ms)
        elif kind == "audio_rejected":
            log.warning("audio refused: %s", event.audio_rejected.reason)
        elif kind == "call_state" and event.call_state.state == media.CallState.ENDED:
            log.info("call ended %s", event.call_state.reason)
        elif kind == "statistics":
            s = event.statistics
            log.info("stream statistics: %d frames in, %d dropped, %d samples played, %d digits in",
                     s.frames_sent, s.frames_dropped, s.played_samples, s.digits_in)

    def hear(self, audio):
        data = audio.data
        loud = rms(data) >= self.args.threshold
        if not self.in_speech:
            if not loud:
                self.pre_roll.append(data)
                return
            self.in_speech = True
            self.quiet_ms = 0
            self.phrase = bytearray(b"".join(self.pre_roll))
            self.pre_roll.clear()
            log.info("caller speaks (position %d)", audio.position)
            if self.speaking is not None:
                # Barge-in: drop everything queued through our last utterance, at the next frame.
                self.send(media.ConverseRequest(clear=media.Clear(through_utterance=self.speaking)))
        self.phrase += data
        frame_ms = len(data) // BYTES_PER_MS
        self.quiet_ms = 0 if loud else self.quiet_ms + frame_ms
        if self.quiet_ms >= self.args.silence_ms or len(self.phrase) >= MAX_PHRASE_MS * BYTES_PER_MS:
            self.in_speech = False
            phrase = bytes(self.phrase[: len(self.phrase) - self.quiet_ms * BYTES_PER_MS])
            ms = len(phrase) // BYTES_PER_MS
            if ms >= MIN_PHRASE_MS:
                log.info("heard %d ms; saying it back", ms)
                self.say(phrase)

    def digit(self, digit, duration_ms):
        log.info("DTMF %s (%d ms)", digit, duration_ms)
        if digit == "#":
            log.info("hanging up on #")
            self.sip.SipEndCall(sip_pb2.SipEndCallRequest(hard_hangup=False), timeout=30)
            return
        if digit in DTMF_FREQUENCIES:
            self.say(tone(digit))

    # ---- requests ----------------------------------------------------------------------------

    def say(self, pcm):
        self.utterances += 1
        utterance = "u%d" % self.utterances
        step = CHUNK_MS * BYTES_PER_MS
        for at in range(0, len(pcm), step):
            self.send(media.ConverseRequest(audio=media.Audio(
                utterance_id=utterance, data=pcm[at:at + step],
                end_of_utterance=at + step >= len(pcm))))
        self.speaking = utterance

    def send(self, request):
        self.requests.put(request)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", default=os.environ.get("SIPLINE_TARGET", "localhost:50099"))
    parser.add_argument("--token", default=os.environ.get("SIPLINE_TOKEN"),
                        help="bearer token, when the server checks them")
    parser.add_argument("--account", help="register this account and start its session with "
                        "auto-answer; without it, start a session yourself (sipline ctl)")
    parser.add_argument("--password", default=os.environ.get("SIPLINE_PASSWORD", ""))
    parser.add_argument("--threshold", type=float, default=500.0,
                        help="RMS level above which a 20 ms frame is speech (default 500)")
    parser.add_argument("--silence-ms", type=int, default=600,
                        help="quiet that ends a phrase (default 600 ms)")
    parser.add_argument("--once", action="store_true", help="handle one call, then exit")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stdout)

    metadata = [("authorization", "Bearer " + args.token)] if args.token else []
    channel = grpc.insecure_channel(args.target)
    sip = sip_pb2_grpc.SipStub(channel)
    stub = media_pb2_grpc.LineMediaStub(channel)

    class WithToken:
        """The Sip stub with the token on every call."""

        def SipEndCall(self, request, timeout):
            return sip.SipEndCall(request, timeout=timeout, metadata=metadata)

    if args.account:
        status = sip.SipRegisterAccount(sip_pb2.SipRegisterAccountRequest(
            account_name=args.account, password=args.password), timeout=30, metadata=metadata)
        log.info("%s", sip_pb2.SipStatus.StatusType.Name(status.status_type))
        status = sip.SipStartSession(sip_pb2.SipStartSessionRequest(
            account_name=args.account, auto_answer_interval=0), timeout=30, metadata=metadata)
        log.info("%s: calls to %s are answered at once", sip_pb2.SipStatus.StatusType.Name(
            status.status_type), args.account)
    status = sip.SipGetSipStatus(empty_pb2.Empty(), timeout=30, metadata=metadata)
    log.info("line is %s", sip_pb2.SipStatus.StatusType.Name(status.status_type))

    while True:
        try:
            Conversation(args, WithToken()).run(stub, metadata)
        except grpc.RpcError as e:
            log.error("stream ended: %s %s", e.code().name, e.details())
            if args.once:
                return 1
            time.sleep(1)  # e.g. the server restarting; try again
            continue
        if args.once:
            return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)

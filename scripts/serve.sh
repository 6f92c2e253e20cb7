#!/usr/bin/env bash
# Builds sipline (without running the tests) and starts the server with the default backend:
# gRPC (ondewo.sip) on port 50099, SIP on 5060. Arguments go to `sipline serve`, e.g.
#   scripts/serve.sh --sip-address 127.0.0.1 --log-format json
# Stop it with Ctrl-C or SIGTERM: it hangs up, un-registers and exits.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "serve: building server/target/sipline.jar (mvn package, tests skipped)..." >&2
mvn -B -ntp -q -pl server -am package -DskipTests
exec java -jar server/target/sipline.jar serve "$@"

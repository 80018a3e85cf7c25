#!/usr/bin/env bash
# Development traffic: sends --per-type N (20) messages of each email type through
# ESP Hub's send API of a running portal (./scripts/start.sh; --base-url, default
# http://localhost:7007) to the Postmark and Mailgun stand-ins, whose events come
# back through the real webhook receivers. --help lists the options.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
check_node
exec node --require @backstage/cli/config/nodeTransform.cjs "$ROOT/scripts/dev-traffic.ts" "$@"

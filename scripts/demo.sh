#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make demo: boot the guest with the module loaded, start a workload and
# show what an operator would see. Needs no module on the host.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
exec "$top/tests/vm/run" --add "$top/scripts/demo-guest.sh:/accel/demo.sh" \
	--module-args "nr_devices=2" -- bash /accel/demo.sh

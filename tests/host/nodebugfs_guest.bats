#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The driver in a guest booted with debugfs=off: tests/guest/nodebugfs.bats
# in a boot of its own (tests/check.sh boots the stock guests with debugfs
# on, where that suite unmounts it instead). The module loads, contexts
# work, and accelstat names the missing views.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

RUN="$BATS_TEST_DIRNAME/../vm/run"

@test "with debugfs=off the module loads and works; accelstat names the missing views" {
	run "$RUN" --append debugfs=off -- bats --tap tests/guest/nodebugfs.bats
	assert_success
	assert_line "1..4"
	assert_line "ok 1 no debugfs views; the module loads (insmod) all the same"
	assert_line "ok 2 contexts attach and run work without debugfs"
	assert_line "ok 3 the sysfs controls work without debugfs"
	assert_line "ok 4 accelstat names the missing views and why, in one line, exit 3"
}

#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Static checks: checkpatch.pl --strict and sparse on the module, shellcheck
# on every shell script.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

kernel_sources() {
	find "$TOP/kernel" -maxdepth 2 -name '*.[ch]' ! -name '*.mod.c' | sort
}

# LINUX_VERSION_CODE: checkpatch wants in-tree code, which has no version
# to compare; an out-of-tree module needs the comparison, and keeps it in
# the one macro of kernel/compat.h (ACCELSIM_KERNEL_AT_LEAST).
@test "checkpatch.pl --strict is clean on kernel/" {
	local src
	src=$("$TOP/scripts/ksrc.sh")
	# A missing checkpatch.pl (or one that cannot start) must fail, not
	# pass for printing no finding.
	[ -f "$src/scripts/checkpatch.pl" ]
	run perl "$src/scripts/checkpatch.pl" --strict --no-tree --terse \
		--ignore FILE_PATH_CHANGES,LINUX_VERSION_CODE -f $(kernel_sources)
	assert_success
	refute_output --regexp ': (ERROR|WARNING|CHECK):'
	# It read the files: a planted finding is reported.
	printf 'int f(void){return 0;}\n' >"$BATS_TEST_TMPDIR/bad.c"
	run perl "$src/scripts/checkpatch.pl" --strict --no-tree --terse \
		-f "$BATS_TEST_TMPDIR/bad.c"
	assert_output --regexp ': (ERROR|WARNING|CHECK):'
}

# build_clean SERIES: build kernel/ (a copy) against the installed kernel
# of SERIES (scripts/kver.sh SERIES) with W=1 and sparse (C=2); no
# compiler or sparse warning may show. Every supported kernel must be
# installed (make deps installs them all).
build_clean() {
	local kver dir
	kver=$("$TOP/scripts/kver.sh" "$1")
	[ -n "$kver" ]
	dir=$(mktemp -d)
	cp "$TOP/kernel/Kbuild" "$dir/"
	cp -r "$TOP/kernel/uapi" "$dir/"
	find "$TOP/kernel" -maxdepth 1 -name '*.[ch]' ! -name '*.mod.c' -exec cp {} "$dir/" \;
	run make -C "/usr/src/linux-headers-$kver" M="$dir" C=2 W=1 modules
	rm -rf "$dir"
	assert_success
	# Anything but kbuild's own progress lines is a finding.
	refute_output --regexp $'(^|\n)/[^ ]+:[0-9]+:[0-9]+: (warning|error)'
	refute_output --partial "warning:"
}

@test "the module builds W=1 and sparse (C=2) clean for Debian's 6.1" {
	build_clean 6.1
}

@test "the module builds W=1 and sparse (C=2) clean for Debian's 6.12" {
	build_clean 6.12
}

@test "shellcheck is clean on every shell script" {
	local files
	files=$(cd "$TOP" && git ls-files | while read -r f; do
		case $f in
		completions/_*) ;; # zsh: shellcheck does not read zsh
		completions/*) echo "$f" ;;
		*.sh | *.bash) echo "$f" ;;
		*.bats | *.md | *.[ch] | *.txt) ;;
		*) [ -f "$f" ] && head -n 1 "$f" | grep -qE '^#!.*(ba)?sh' && echo "$f" ;;
		esac
	done)
	[ -n "$files" ]
	cd "$TOP"
	run shellcheck -x -s bash $files
	assert_success
	assert_output ""
}

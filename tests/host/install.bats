#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Installing on a real machine (mk/install.mk): make install / uninstall in
# a throwaway DESTDIR, what the installed files do from there, DKMS with
# scratch trees (the module it builds is booted in the guest), the systemd
# units, cron, Nagios and udev examples, and make dist.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
TOOLS=(accelstat acceltop accelctl)
# accelstat --check keeps its readings here, not in the host's /var/lib/accel.
export ACCEL_STATE_DIR=${BATS_TEST_TMPDIR:-${BATS_FILE_TMPDIR:-/tmp}}/accel-state

# The files make install puts under DESTDIR for PREFIX ($1, without the
# leading slash), sorted. The full list: a page or completion that is still
# missing from man/ or completions/ fails the comparison.
expected_files() {
	local p=$1 t
	{
		for t in "${TOOLS[@]}"; do
			echo "$p/bin/$t"
			echo "$p/share/man/man8/$t.8"
			echo "$p/share/bash-completion/completions/$t"
			echo "$p/share/zsh/site-functions/_$t"
		done
		echo "$p/share/man/man4/accelsim.4"
		echo "$p/share/man/man7/accel-vocabulary.7"
		echo "$p/include/linux/accelsim.h"
		echo "etc/accel/health.conf.example"
		echo "$p/lib/systemd/system/accel-health.service"
		echo "$p/lib/systemd/system/accel-health.timer"
		echo "$p/lib/systemd/system/accelctl-monitor.service"
		echo "$p/share/doc/accel/examples/cron.d/accel"
		echo "$p/share/doc/accel/examples/nagios/accel.cfg"
		echo "$p/share/doc/accel/examples/icinga2/accel.conf"
		echo "$p/share/doc/accel/examples/udev/70-accelsim.rules"
	} | LC_ALL=C sort
}

# Every file and symlink under a tree, relative to it, sorted.
files_under() {
	(cd "$1" && find . \( -type f -o -type l \) -printf '%P\n' | LC_ALL=C sort)
}

# The tree PREFIX=/usr is staged into once for the file's tests.
setup_file() {
	export STAGE=$BATS_FILE_TMPDIR/stage
	local rc=0
	# Never fail here (bats would skip every test): test 1 reports it.
	make -C "$TOP" --no-print-directory install PREFIX=/usr DESTDIR="$STAGE" \
		>"$BATS_FILE_TMPDIR/install.log" 2>&1 || rc=$?
	echo "$rc" >"$BATS_FILE_TMPDIR/install.rc"
}

@test "make install PREFIX=/usr DESTDIR=...: exactly the expected files, modes" {
	if [ "$(cat "$BATS_FILE_TMPDIR/install.rc")" != 0 ]; then
		tail -n 40 "$BATS_FILE_TMPDIR/install.log"
		false
	fi
	run diff -u <(expected_files usr) <(files_under "$STAGE")
	assert_success
	# Tools 0755, everything else 0644, all owned by the installer.
	run find "$STAGE" -type f -path '*/usr/bin/*' ! -perm 0755
	assert_output ""
	run find "$STAGE" -type f ! -path '*/usr/bin/*' ! -perm 0644
	assert_output ""
}

@test "installed tools run from DESTDIR and print the VERSION" {
	local t
	for t in "${TOOLS[@]}"; do
		run "$STAGE/usr/bin/$t" --version
		assert_success
		assert_output --regexp "^$t $(cat "$TOP/VERSION")\$"
	done
}

@test "installed man pages render with man -l and man -M finds them" {
	local page name sec
	for page in accelsim.4 accel-vocabulary.7 accelstat.8 acceltop.8 accelctl.8; do
		name=${page%.*}
		sec=${page##*.}
		run env MANWIDTH=80 man -l "$STAGE/usr/share/man/man$sec/$page"
		assert_success
		assert_output --partial "NAME"
		assert_output --partial "$name"
		run man -M "$STAGE/usr/share/man" -w "$sec" "$name"
		assert_success
		assert_output "$STAGE/usr/share/man/man$sec/$page"
	done
}

# bash-completion loads completions lazily: 'complete -p accelctl' is empty
# until the first <Tab> runs its loader (_completion_loader), which searches
# bash-completion/completions under each XDG_DATA_DIRS entry (default
# /usr/local/share:/usr/share), so both PREFIX=/usr and /usr/local installs
# are found without /etc/bash_completion.d. The honest check is that loader,
# in an interactive bash set up like a Debian user's (/etc/skel/.bashrc
# sources bash_completion), with XDG_DATA_DIRS pointing at the staged share/
# directory: first 'complete -p' must fail, then after the loader it must
# name the tool's function, and the function must complete. With
# XDG_DATA_DIRS pointing elsewhere the loader must find nothing, so the
# staged files are what is loaded.
# comp_shell XDG_DATA_DIRS SCRIPT: run SCRIPT in such a shell.
comp_shell() {
	local home=$BATS_TEST_TMPDIR/home
	mkdir -p "$home"
	cp /etc/skel/.bashrc "$home/.bashrc"
	env -u BASH_COMPLETION_USER_DIR -u XDG_DATA_HOME HOME="$home" \
		XDG_DATA_DIRS="$1" bash -ic "$2" </dev/null 2>&1 |
		grep -v -e 'cannot set terminal process group' -e 'no job control'
	return "${PIPESTATUS[0]}"
}

# SCRIPT for comp_shell: load TOOL's completion as <Tab> would, then
# complete "TOOL WORD" and print the candidates.
comp_script() {
	local tool=$1 word=$2
	cat <<-EOF
	complete -p $tool >/dev/null 2>&1 && { echo "already loaded"; exit 1; }
	_completion_loader $tool
	spec=\$(complete -p $tool) || exit 2
	echo "\$spec"
	# bash-completion's fallback when no file was found
	case \$spec in *" -F _minimal "*) exit 2 ;; esac
	fn=\$(sed -n 's/.* -F \([^ ]*\) .*/\1/p' <<<"\$spec")
	COMP_WORDS=($tool $word); COMP_CWORD=1
	COMP_LINE="$tool $word"; COMP_POINT=\${#COMP_LINE}
	"\$fn" $tool "$word" $tool
	printf 'candidate %s\n' "\${COMPREPLY[@]}"
	EOF
}

@test "bash completions: the bash-completion loader loads the staged files" {
	local t word want
	for t in "${TOOLS[@]}"; do
		case $t in
		accelctl) word=""; want=dump ;;
		accelstat) word=--pro; want=--prometheus ;;
		acceltop) word=--ba; want=--batch ;;
		esac
		run comp_shell "$STAGE/usr/share" "$(comp_script "$t" "$word")"
		assert_success
		assert_line --regexp "^complete -F [^ ]+ $t\$"
		assert_line --regexp "^candidate $want( |=|\$)"
		# Control: without the staged tree there is nothing to load.
		run comp_shell "$BATS_TEST_TMPDIR/empty" "$(comp_script "$t" "$word")"
		assert_failure 2
	done
}

@test "zsh completions are #compdef files for their tool" {
	local t
	for t in "${TOOLS[@]}"; do
		run head -n 1 "$STAGE/usr/share/zsh/site-functions/_$t"
		assert_output "#compdef $t"
	done
}

@test "the installed UAPI header compiles as <linux/accelsim.h>" {
	run cc -fsyntax-only -Wall -Werror -I"$STAGE/usr/include" -x c - <<-'EOF'
	#include <linux/accelsim.h>
	_Static_assert(ACCELSIM_API_VERSION >= 1, "api");
	struct accelsim_ioctl_attach a;
	EOF
	assert_success
	assert_output ""
}

@test "health.conf.example parses, and its values are the built-in defaults" {
	local ex=$STAGE/etc/accel/health.conf.example fix=$TOP/tests/fixtures/full_spa
	local defaults
	run "$STAGE/usr/bin/accelstat" --check --config /dev/null -r "$fix"
	assert_failure 2
	defaults=$output
	# As shipped (every setting commented out).
	run "$STAGE/usr/bin/accelstat" --check --config "$ex" -r "$fix"
	assert_failure 2
	assert_output "$defaults"
	# Every setting enabled: the same thresholds, the same status line.
	sed 's/^#\(\([a-z0-9_]*_\(warn\|crit\)\|window\) =\)/\1/' "$ex" >"$BATS_TEST_TMPDIR/all.conf"
	run grep -cE '^[a-z0-9_]+_(warn|crit) = ' "$BATS_TEST_TMPDIR/all.conf"
	assert_output 14
	run grep -cx 'window = 5m' "$BATS_TEST_TMPDIR/all.conf"
	assert_output 1
	run "$STAGE/usr/bin/accelstat" --check --config "$BATS_TEST_TMPDIR/all.conf" -r "$fix"
	assert_failure 2
	assert_output "$defaults"
}

# The commands a unit or cron line runs, made to run from the stage:
# BINDIR gets the DESTDIR prefix, the textfile goes to the test's tmpdir.
staged_cmd() {
	sed -e "s|/usr/bin/accelstat|$STAGE/usr/bin/accelstat|g" \
		-e "s|/var/lib/prometheus/node-exporter|$BATS_TEST_TMPDIR|g" \
		-e "s|\${ACCEL_PROM}|$BATS_TEST_TMPDIR/accel.prom|g"
}

@test "systemd units: systemd-analyze verify, and ExecStart runs the tools" {
	local dir=$STAGE/usr/lib/systemd/system line n=0
	# MANPATH: Documentation=man:accelstat(8) must resolve to the staged page.
	run env MANPATH="$STAGE/usr/share/man" systemd-analyze verify \
		"$dir/accel-health.service" "$dir/accel-health.timer"
	assert_success
	assert_output ""
	run grep -c '^ExecStart=-\?/usr/bin/accelstat ' "$dir/accel-health.service"
	assert_output 2
	run grep -x 'Unit=accel-health.service\|WantedBy=timers.target' "$dir/accel-health.timer"
	assert_output "WantedBy=timers.target"
	# Run both ExecStart lines in order against a CRITICAL fixture: the
	# metrics are written, then the check fails the unit.
	export ACCEL_DEBUGFS=$TOP/tests/fixtures/full_spa
	while read -r line; do
		n=$((n + 1))
		line=${line#ExecStart=}
		line=${line#-}
		run sh -c "$(staged_cmd <<<"$line")"
		if [ "$n" = 1 ]; then
			assert_success
		else
			assert_failure 2
			assert_output --regexp '^ACCEL CRITICAL - '
		fi
	done < <(grep '^ExecStart=' "$dir/accel-health.service")
	assert_equal "$n" 2
	run grep -x 'accel_up 1' "$BATS_TEST_TMPDIR/accel.prom"
	assert_success
}

@test "accelctl-monitor.service: verifies; its ExecStart streams to the log and stops on SIGTERM" {
	local dir=$STAGE/usr/lib/systemd/system line
	local unit=$BATS_TEST_TMPDIR/accelctl-monitor.service
	line=$(grep '^ExecStart=' "$dir/accelctl-monitor.service")
	line=${line#ExecStart=}
	assert_equal "${line%% *}" /usr/bin/accelctl
	# verify checks that ExecStart is executable: the staged binary's copy.
	sed "s|/usr/bin/accelctl|$STAGE/usr/bin/accelctl|" \
		"$dir/accelctl-monitor.service" >"$unit"
	run env MANPATH="$STAGE/usr/share/man" systemd-analyze verify "$unit"
	assert_success
	assert_output ""
	line=$(sed -e "s|/usr/bin/accelctl|$STAGE/usr/bin/accelctl|" \
		-e "s|/var/log/accel/|$BATS_TEST_TMPDIR/|" <<<"$line")
	# Whatever sources this host has (kmsg at least, as root), the unit's
	# command runs until SIGTERM and exits 0 with a start and a stop line.
	run timeout --preserve-status -s TERM 1 $line
	assert_success
	run jq -r '.monitor' "$BATS_TEST_TMPDIR/monitor.jsonl"
	assert_output $'start\nstop'
}

@test "cron.d example: metrics every minute, check mails only when not OK" {
	local f=$STAGE/usr/share/doc/accel/examples/cron.d/accel jobs
	# cron.d lines: 5 time fields, user, command.
	jobs=$(grep -E '^[^#A-Z].*[[:space:]]root[[:space:]]' "$f")
	run wc -l <<<"$jobs"
	assert_output 2
	run grep -c '/usr/bin/accelstat' <<<"$jobs"
	assert_output 2
	while read -r _ _ _ _ _ user cmd; do
		assert_equal "$user" root
		ACCEL_DEBUGFS=$TOP/tests/fixtures/empty run sh -c "$(staged_cmd <<<"$cmd")"
		assert_success
		assert_output ""
		ACCEL_DEBUGFS=$TOP/tests/fixtures/full_spa run sh -c "$(staged_cmd <<<"$cmd")"
		case $cmd in
		*--check*) assert_output --regexp '^ACCEL CRITICAL - ' ;;
		*) assert_output "" ;;
		esac
	done <<<"$jobs"
	run grep -x 'accel_up 1' "$BATS_TEST_TMPDIR/accel.prom"
	assert_success
}

@test "Nagios and Icinga 2 examples run accelstat --check from BINDIR" {
	local ex=$STAGE/usr/share/doc/accel/examples cmd
	cmd=$(sed -n 's/^[[:space:]]*command_line[[:space:]]*\(.*accelstat.*\)/\1/p' "$ex/nagios/accel.cfg")
	# shellcheck disable=SC2016 # Nagios macro, literally
	assert_equal "$cmd" '/usr/bin/sudo /usr/bin/accelstat --check $ARG1$'
	cmd=${cmd#/usr/bin/sudo }
	cmd=${cmd%\$ARG1\$}
	ACCEL_DEBUGFS=$TOP/tests/fixtures/empty run sh -c "$(staged_cmd <<<"$cmd")"
	assert_success
	assert_output --regexp '^ACCEL OK - .* \| '
	run grep -F 'command = [ "/usr/bin/sudo", "/usr/bin/accelstat", "--check" ]' \
		"$ex/icinga2/accel.conf"
	assert_success
	# Braces balance in both (a cheap syntax check; neither daemon is here).
	for f in "$ex/nagios/accel.cfg" "$ex/icinga2/accel.conf"; do
		assert_equal "$(grep -v '^[[:space:]]*\(#\|//\)' "$f" | tr -cd '{' | wc -c)" \
			"$(grep -v '^[[:space:]]*\(#\|//\)' "$f" | tr -cd '}' | wc -c)"
	done
}

@test "udev rule matches the driver's class and device names" {
	local rule=$STAGE/usr/share/doc/accel/examples/udev/70-accelsim.rules
	run grep -v '^#' "$rule"
	assert_output 'SUBSYSTEM=="accelsim", KERNEL=="afu[0-9]*", GROUP="accel", MODE="0660"'
	# The class is created with KBUILD_MODNAME (accelsim), devices as afu%u
	# and nodes under accelsim/; the guest test below checks the live names.
	run grep -E 'class_create\(KBUILD_MODNAME\)|"afu%u"|"accelsim/%s"' "$TOP/kernel/chardev.c"
	assert_equal "${#lines[@]}" 3
}

@test "make uninstall removes every installed file" {
	run make -C "$TOP" --no-print-directory uninstall PREFIX=/usr DESTDIR="$STAGE"
	assert_success
	run files_under "$STAGE"
	assert_output ""
	[ ! -e "$STAGE/usr/share/doc/accel" ]
	[ ! -e "$STAGE/etc/accel" ]
}

@test "default PREFIX=/usr/local: expected files, SYSCONFDIR /etc, uninstall empties" {
	local d=$BATS_TEST_TMPDIR/local
	run make -C "$TOP" --no-print-directory install DESTDIR="$d"
	assert_success
	run diff -u <(expected_files usr/local) <(files_under "$d")
	assert_success
	run grep -h '/accelstat ' "$d/usr/local/lib/systemd/system/accel-health.service"
	assert_output --partial "ExecStart=/usr/local/bin/accelstat --check"
	# An operator's health.conf survives uninstall, and so does /etc/accel.
	echo "zombies_crit = 2" >"$d/etc/accel/health.conf"
	run make -C "$TOP" --no-print-directory uninstall DESTDIR="$d"
	assert_success
	run files_under "$d"
	assert_output "etc/accel/health.conf"
}

@test "DKMS: dkms-install builds for the guest kernel, the module loads there" {
	local kver tmp ko ver
	kver=$("$TOP/scripts/kver.sh")
	ver=$(cat "$TOP/VERSION")
	tmp=$BATS_TEST_TMPDIR/dkms
	# Scratch source, DKMS and module trees; --no-depmod leaves the system's
	# /lib/modules alone. Same make target and dkms.conf as a real install.
	mkdir -p "$tmp/src" "$tmp/tree" "$tmp/lib/$kver"
	local vars=(KVER="$kver" DKMS_SOURCETREE="$tmp/src" DKMS_TREE="$tmp/tree"
		DKMS_INSTALLTREE="$tmp/lib" DKMS_FLAGS=--no-depmod)
	run make -C "$TOP" --no-print-directory dkms-install "${vars[@]}"
	assert_success
	# kbuild skips BTF (Debian's headers have no vmlinux); btf.sh adds it.
	run cat "$tmp/tree/accelsim/$ver/$kver/x86_64/log/make.log"
	assert_output --partial "btf.sh: added BTF to accelsim.ko"
	run dkms status -m accelsim --dkmstree "$tmp/tree" --sourcetree "$tmp/src"
	assert_output --regexp "^accelsim/$ver, $kver, x86_64: installed"
	ko=$tmp/lib/$kver/updates/dkms/accelsim.ko
	run modinfo -F vermagic "$ko"
	assert_output --regexp "^$kver "
	run modinfo -F version "$ko"
	assert_output "$ver"
	# The source tree DKMS builds from holds no build products.
	run find "$tmp/src/accelsim-$ver" -name '*.o' -o -name '*.ko' -o -name '*.cmd'
	assert_output ""

	# Boot the guest kernel with the DKMS-built module.
	# shellcheck disable=SC2016 # expands in the guest
	run "$TOP/tests/vm/run" --module "$ko" --add "$ko:/dkms/accelsim.ko" -- sh -c '
		set -e
		cmp /accel/accelsim.ko /dkms/accelsim.ko    # the harness loads this one
		grep -q "^accelsim " /proc/modules
		test "$(cat /sys/module/accelsim/version)" = '"$ver"'
		test -e /sys/kernel/btf/accelsim
		test -c /dev/accelsim/afu0
		# what 70-accelsim.rules matches on
		test "$(basename "$(readlink /sys/class/accelsim/afu0/subsystem)")" = accelsim
		grep -qx DEVNAME=accelsim/afu0 /sys/class/accelsim/afu0/uevent
		head -n 1 /sys/kernel/debug/accelsim/afu0/info | grep -q "^dev version"
		rmmod accelsim'
	# The verdict is the exit status (set -e: every check above must pass);
	# the guest's last console output is occasionally lost at power-off.
	assert_success

	run make -C "$TOP" --no-print-directory dkms-uninstall "${vars[@]}"
	assert_success
	run dkms status -m accelsim --dkmstree "$tmp/tree" --sourcetree "$tmp/src"
	assert_output ""
	[ ! -e "$ko" ]
	[ ! -e "$tmp/src/accelsim-$ver" ]
}

@test "make dist: the tarball is HEAD and builds on its own, without git" {
	local ver tar d
	ver=$(cat "$TOP/VERSION")
	tar=$TOP/build/accel-$ver.tar.gz
	run make -C "$TOP" --no-print-directory dist
	assert_success
	run diff -u <(git -C "$TOP" ls-files | sed "s|^|accel-$ver/|" | LC_ALL=C sort) \
		<(tar -tzf "$tar" | grep -v '/$' | LC_ALL=C sort)
	assert_success
	d=$BATS_TEST_TMPDIR/dist
	mkdir -p "$d"
	tar -C "$d" -xzf "$tar"
	[ ! -e "$d/accel-$ver/.git" ]
	run env GIT_DIR=/nonexistent make -C "$d/accel-$ver" -j2
	assert_success
	[ -f "$d/accel-$ver/kernel/accelsim.ko" ]
	run readelf -S "$d/accel-$ver/kernel/accelsim.ko"
	assert_output --partial ".BTF"
	run "$d/accel-$ver/cli/accelctl/accelctl" --version
	assert_output "accelctl $ver"
}

# SPDX-License-Identifier: MIT
# complete_words TOOL WORDS...: what the bash completion in completions/TOOL
# offers for the last word of "TOOL WORDS...", one per line, sorted. Loaded
# by the three *_docs suites.
complete_words() {
	bash -c '
		source /usr/share/bash-completion/bash_completion
		source "$1"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		"_$1" 2>/dev/null
		printf "%s\n" "${COMPREPLY[@]}" | sort' _ \
		"$BATS_TEST_DIRNAME/../../completions/$1" "$@"
}

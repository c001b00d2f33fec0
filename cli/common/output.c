// SPDX-License-Identifier: MIT
/*
 * Standard output's write errors, for every tool: a full disk, a closed
 * file or a broken pipe must not pass for success.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "exit.h"
#include "util.h"

static bool reported;

int cli_stdout_flush(const char *prog)
{
	int err = ferror(stdout) ? errno : 0;

	/*
	 * An earlier write failed (ferror): errno is still its cause when
	 * the tool came here right after it, as it does; a failing flush
	 * now gives a fresh one.
	 */
	errno = 0;
	if (fflush(stdout) == EOF && errno)
		err = errno;
	else if (!ferror(stdout))
		return 0;
	if (!reported) {
		if (err)
			fprintf(stderr, "%s: write error on standard output: "
				"%s\n", prog, strerror(err));
		else
			fprintf(stderr, "%s: write error on standard output\n",
				prog);
		reported = true;
	}
	return EXIT_OUTPUT;
}

int cli_stdout_close(const char *prog, int code)
{
	int ret = cli_stdout_flush(prog);

	if (!ret && fclose(stdout)) {
		if (!reported)
			fprintf(stderr, "%s: write error on standard output: "
				"%s\n", prog, strerror(errno));
		reported = true;
		ret = EXIT_OUTPUT;
	}
	return ret ? ret : code;
}

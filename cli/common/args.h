/* SPDX-License-Identifier: MIT */
/*
 * Option parsing for the tools: argp, with usage errors in the tools' one
 * style, "PROG: MESSAGE (see PROG --help)" on stderr and exit status
 * EXIT_USAGE, and --help and --version left to the tool's own options.
 */
#ifndef ACCEL_CLI_ARGS_H
#define ACCEL_CLI_ARGS_H

#include <argp.h>

/*
 * argp_parse() argv for prog. Returns 0, or EXIT_USAGE after printing the
 * usage error: the one a parser reported with cli_arg_error(), else an
 * unknown option or an option missing its argument. flags and index as
 * for argp_parse (ARGP_NO_ERRS, ARGP_NO_HELP and ARGP_NO_EXIT are added).
 */
int cli_argp_parse(const struct argp *argp, const char *prog, int argc,
		   char **argv, unsigned int flags, int *index, void *input);

/* Report a usage error from a parser; returns the error for it to return. */
error_t cli_arg_error(const struct argp_state *state, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A parser's default case: records where getopt stopped on an error. */
error_t cli_arg_default(int key, struct argp_state *state);

/*
 * --help (or --usage with ARGP_HELP_USAGE): argp's help of the parser being
 * run, under the program name given to cli_argp_parse, on stdout; exits
 * EXIT_OK.
 */
void cli_arg_help(const struct argp_state *state, unsigned int flags)
	__attribute__((noreturn));

/* --version: "PROG VERSION" on stdout; exits EXIT_OK. */
void cli_arg_version(void) __attribute__((noreturn));

/*
 * Print usage errors with report(prog, msg) instead of the default line
 * (accelctl: JSON in JSON mode); NULL restores the default.
 */
void cli_arg_reporter(void (*report)(const char *prog, const char *msg));

#endif /* ACCEL_CLI_ARGS_H */

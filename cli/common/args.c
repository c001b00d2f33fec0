// SPDX-License-Identifier: MIT
/*
 * argp in the tools' style: every usage error is one line naming the
 * problem and pointing at --help, and exits EXIT_USAGE. argp itself is
 * kept quiet (ARGP_NO_ERRS); the option getopt refused is found from where
 * it stopped and described from the tool's own option table.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "exit.h"

static struct {
	const char *prog;
	bool reported;		/* a parser printed the error */
	int next;		/* argv index after the refused option */
} args;

error_t cli_arg_error(const struct argp_state *state, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", args.prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see %s --help)\n", args.prog);
	args.reported = true;
	return EINVAL;
}

error_t cli_arg_default(int key, struct argp_state *state)
{
	if (key == ARGP_KEY_ERROR)
		args.next = state->next;
	return ARGP_ERR_UNKNOWN;
}

static const struct argp_option *find_long(const struct argp *argp,
					   const char *name, size_t len)
{
	const struct argp_option *o;

	for (o = argp->options; o && (o->name || o->key || o->doc); o++)
		if (o->name && strlen(o->name) == len &&
		    !strncmp(o->name, name, len))
			return o;
	return NULL;
}

static const struct argp_option *find_short(const struct argp *argp, int key)
{
	const struct argp_option *o;

	for (o = argp->options; o && (o->name || o->key || o->doc); o++)
		if (o->key == key && !(o->flags & OPTION_DOC))
			return o;
	return NULL;
}

/* Say what is wrong with arg, the word getopt refused. */
static void refused(const struct argp *argp, const char *arg)
{
	const struct argp_option *o;
	const char *p;

	if (!strncmp(arg, "--", 2)) {
		size_t len = strcspn(arg + 2, "=");

		o = find_long(argp, arg + 2, len);
		if (o && o->arg && !arg[2 + len])
			fprintf(stderr, "%s: option '%.*s' needs an argument",
				args.prog, (int)len + 2, arg);
		else if (o)
			fprintf(stderr, "%s: option '%.*s' takes no argument",
				args.prog, (int)len + 2, arg);
		else
			fprintf(stderr, "%s: unknown option '%.*s'",
				args.prog, (int)len + 2, arg);
	} else {
		for (p = arg + 1; *p; p++) {
			o = find_short(argp, (unsigned char)*p);
			if (!o || o->arg)
				break;
		}
		if (*p && o && !p[1])
			fprintf(stderr, "%s: option '-%c' needs an argument",
				args.prog, *p);
		else
			fprintf(stderr, "%s: unknown option '-%c'", args.prog,
				*p ? *p : '?');
	}
	fprintf(stderr, " (see %s --help)\n", args.prog);
}

int cli_argp_parse(const struct argp *argp, const char *prog, int argc,
		   char **argv, unsigned int flags, int *index, void *input)
{
	error_t err;

	args.prog = prog;
	args.reported = false;
	args.next = 0;
	err = argp_parse(argp, argc, argv, flags | ARGP_NO_ERRS |
			 ARGP_NO_HELP | ARGP_NO_EXIT, index, input);
	if (!err)
		return 0;
	if (!args.reported) {
		if (args.next > 0 && args.next <= argc)
			refused(argp, argv[args.next - 1]);
		else
			fprintf(stderr, "%s: %s (see %s --help)\n", prog,
				strerror(err), prog);
	}
	return EXIT_USAGE;
}

// SPDX-License-Identifier: MIT
/*
 * argp in the tools' style: every usage error is one line naming the
 * problem and pointing at --help, and exits EXIT_USAGE. argp itself is
 * kept quiet (ARGP_NO_ERRS); the option getopt refused is found from where
 * it stopped and described from the tool's own option tables.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "exit.h"

static void print_error(const char *prog, const char *msg)
{
	fprintf(stderr, "%s: %s (see %s --help)\n", prog, msg, prog);
}

static struct {
	const char *prog;
	bool reported;		/* a parser printed the error */
	int next;		/* argv index after the refused option */
	void (*report)(const char *prog, const char *msg);
} args = { .report = print_error };

void cli_arg_reporter(void (*report)(const char *prog, const char *msg))
{
	args.report = report ? report : print_error;
}

static void vreport(const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	args.report(args.prog, msg);
}

static void __attribute__((format(printf, 1, 2))) report(const char *fmt,
							  ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

error_t cli_arg_error(const struct argp_state *state, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	args.reported = true;
	return EINVAL;
}

error_t cli_arg_default(int key, struct argp_state *state)
{
	if (key == ARGP_KEY_ERROR)
		args.next = state->next;
	return ARGP_ERR_UNKNOWN;
}

void cli_arg_help(const struct argp_state *state, unsigned int flags)
{
	argp_help(state->root_argp, stdout, flags & ~(unsigned int)
		  (ARGP_HELP_EXIT_ERR | ARGP_HELP_EXIT_OK), (char *)args.prog);
	exit(EXIT_OK);
}

void cli_arg_version(void)
{
	printf("%s %s\n", args.prog, ACCEL_VERSION);
	exit(EXIT_OK);
}

/*
 * The option of argp or of its children with key, or (name not NULL) named
 * name (len bytes) or, as getopt_long allows, by an unambiguous prefix.
 */
struct found {
	const struct argp_option *exact, *prefix;
	int prefixes;
};

static void find(const struct argp *argp, const char *name, size_t len,
		 int key, struct found *f)
{
	const struct argp_child *c;
	const struct argp_option *o;

	for (o = argp->options; o && (o->name || o->key || o->doc); o++) {
		if (o->flags & OPTION_DOC)
			continue;
		if (!name) {
			if (o->key == key && !f->exact)
				f->exact = o;
		} else if (o->name && !strncmp(o->name, name, len)) {
			if (!o->name[len] && !f->exact)
				f->exact = o;
			f->prefix = o;
			f->prefixes++;
		}
	}
	for (c = argp->children; c && c->argp; c++)
		find(c->argp, name, len, key, f);
}

/* Say what is wrong with arg, the word getopt refused. */
static void refused(const struct argp *argp, const char *arg)
{
	const struct argp_option *o = NULL;
	struct found f = { NULL };
	const char *p;

	if (!strncmp(arg, "--", 2)) {
		size_t len = strcspn(arg + 2, "=");

		find(argp, arg + 2, len, 0, &f);
		o = f.exact ? f.exact : f.prefixes == 1 ? f.prefix : NULL;
		if (!o && f.prefixes > 1)
			report("option '%.*s' is ambiguous", (int)len + 2, arg);
		else if (o && o->arg && !arg[2 + len])
			report("option '%.*s' needs an argument", (int)len + 2,
			       arg);
		else if (o)
			report("option '%.*s' takes no argument", (int)len + 2,
			       arg);
		else
			report("unknown option '%.*s'", (int)len + 2, arg);
	} else {
		for (p = arg + 1; *p; p++) {
			f.exact = NULL;
			find(argp, NULL, 0, (unsigned char)*p, &f);
			o = f.exact;
			if (!o || o->arg)
				break;
		}
		if (*p && o && !p[1])
			report("option '-%c' needs an argument", *p);
		else
			report("unknown option '-%c'", *p ? *p : '?');
	}
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
			report("%s", strerror(err));
	}
	return EXIT_USAGE;
}

// SPDX-License-Identifier: MIT
/*
 * accelctl: argument parsing helpers, the checks of the driver's roots and
 * the progress line.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "accel_format.h"
#include "accelctl.h"

int ctl_parse_u64(const char *s, uint64_t *out)
{
	return accel_parse_u64(s, out);
}

int ctl_parse_u32(const char *s, uint32_t *out)
{
	return accel_parse_u32(s, out);
}

int ctl_parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K':
		shift = 10;
		end++;
		break;
	case 'm': case 'M':
		shift = 20;
		end++;
		break;
	case 'g': case 'G':
		shift = 30;
		end++;
		break;
	case 't': case 'T':
		shift = 40;
		end++;
		break;
	default:
		break;
	}
	if (shift && !strcmp(end, "iB"))
		end += 2;
	else if (!strcmp(end, "B"))
		end++;
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return -EINVAL;
	*out = (uint64_t)v << shift;
	return 0;
}

int ctl_parse_seconds(const char *s, double *out)
{
	double v, mul = 1;
	char *end;

	if (!s || ((*s < '0' || *s > '9') && *s != '.'))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s)
		return -EINVAL;
	if (!strcmp(end, "ms"))
		mul = 1e-3;
	else if (!strcmp(end, "m"))
		mul = 60;
	else if (!strcmp(end, "h"))
		mul = 3600;
	else if (*end && strcmp(end, "s"))
		return -EINVAL;
	v *= mul;
	if (!isfinite(v) || v < 0 || v > 366.0 * 86400)
		return -EINVAL;
	*out = v;
	return 0;
}

int ctl_parse_dev(const char *s, unsigned int *id)
{
	return accel_parse_dev_name(s, id);
}

int ctl_check_root(void)
{
	char hint[512];
	int n;

	if (!access(ctl.root, R_OK | X_OK))
		return 0;
	n = errno;
	accel_root_hint(ctl.root, n, hint, sizeof(hint));
	return ctl_fail(EXIT_NODRIVER, "%s: %s (%s)", ctl.root, strerror(n),
			hint);
}

int ctl_check_sysfs(void)
{
	char why[128];
	int n;

	if (!access(ctl.sysfs, R_OK | X_OK))
		return 0;
	n = errno;
	if (n == ENOENT)
		return ctl_fail(EXIT_NODRIVER, "%s: %s (accelsim module not "
				"loaded? try 'modprobe accelsim')", ctl.sysfs,
				strerror(n));
	return ctl_fail(EXIT_NODRIVER, "%s: %s", ctl.sysfs,
			accel_refusal(-n, why, sizeof(why)));
}

int ctl_check_sysfs_dev(unsigned int dev)
{
	char path[4096];
	int ret;

	ret = ctl_check_sysfs();
	if (ret)
		return ret;
	if (accel_ctl_path(ctl.sysfs, (int)dev, "", path, sizeof(path)) ||
	    access(path, F_OK))
		return ctl_fail(EXIT_NODRIVER, "device afu%u not found under "
				"%s", dev, ctl.sysfs);
	return 0;
}

bool ctl_tty(void)
{
	return isatty(STDERR_FILENO);
}

void ctl_progress(const char *label, double frac, const char *extra)
{
	char bar[31];
	int i, fill;

	if (!ctl_tty())
		return;
	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	fill = (int)(frac * 30);
	for (i = 0; i < 30; i++)
		bar[i] = i < fill ? '#' : ' ';
	bar[30] = '\0';
	fprintf(stderr, "\r%-10s [%s] %3d%%  %s\033[K", label, bar,
		(int)(frac * 100), extra ? extra : "");
	fflush(stderr);
}

void ctl_progress_done(void)
{
	if (!ctl_tty())
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
}

/* The options every leaf command has: -j and -h. */
static const struct argp_option leaf_options[] = {
	{ "json", 'j', NULL, 0, "JSON output", -1 },
	{ "help", 'h', NULL, 0, "show this help and exit", -1 },
	{ 0 }
};

static error_t leaf_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'j':
		ctl.json = true;
		return 0;
	case 'h':
		cli_arg_help(state, ARGP_HELP_STD_HELP);
	default:
		return cli_arg_default(key, state);
	}
}

static const struct argp leaf_argp = {
	.options = leaf_options,
	.parser = leaf_opt,
};

const struct argp_child ctl_leaf_children[] = {
	{ &leaf_argp, 0, NULL, 0 },
	{ 0 }
};

error_t ctl_arg_dev(struct argp_state *state, const char *arg,
		    unsigned int *dev)
{
	if (ctl_parse_dev(arg, dev))
		return cli_arg_error(state, "bad device '%s' (afuN or N)", arg);
	return 0;
}

error_t ctl_arg_count(struct argp_state *state, const char *arg,
		      const char *what, uint32_t max, uint32_t *v)
{
	if (ctl_parse_u32(arg, v) || !*v || *v > max)
		return cli_arg_error(state, "bad %s '%s' (1..%u)", what, arg,
				     max);
	return 0;
}

static const char *prog_of(const char *cmd)
{
	static char prog[64];

	snprintf(prog, sizeof(prog), "accelctl %s", cmd);
	return prog;
}

int ctl_parse(const struct argp *argp, const char *cmd, int argc,
	      char **argv, int *first, void *input)
{
	int ret, i = argc;

	/* Operands stop the parse (getopt has permuted them to the end). */
	ret = cli_argp_parse(argp, prog_of(cmd), argc, argv, 0, &i, input);
	if (!ret && !first && i < argc)
		return ctl_usage_err(cmd, "unexpected argument '%s'", argv[i]);
	if (first)
		*first = i;
	return ret;
}

int ctl_help(const struct argp *argp, const char *cmd, FILE *out)
{
	argp_help(argp, out, ARGP_HELP_STD_HELP, (char *)prog_of(cmd));
	return out == stdout ? EXIT_OK : EXIT_USAGE;
}

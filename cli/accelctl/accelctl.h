/* SPDX-License-Identifier: MIT */
/*
 * accelctl: shared declarations of the subcommands, the command tables,
 * the JSON writer and small helpers.
 */
#ifndef ACCELCTL_H
#define ACCELCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "accel.h"
#include "accel_control.h"
#include "args.h"
#include "exit.h"
#include "util.h"

/* Global options, set before the subcommand runs. */
struct ctl_opts {
	const char *root_opt;	/* --root as given, NULL if absent */
	const char *root;	/* resolved debugfs root */
	const char *tracefs;	/* resolved tracefs root */
	const char *sysfs;	/* the controls' bus root, $ACCEL_SYSFS */
	const char *proc;	/* /proc, $ACCEL_PROCFS for tests */
	const char *devdir;	/* /dev/accelsim, $ACCEL_DEVDIR */
	bool json;
	bool pretty;
	int argc;		/* the whole command line, for dump */
	char **argv;
};

extern struct ctl_opts ctl;

/* One entry of a command table; the table ends with a NULL name. */
struct ctl_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/*
 * Run the entry of cmds named argv[0] (an exact name or an unambiguous
 * prefix). what names the level in messages ("command", "device command").
 */
int ctl_dispatch(const struct ctl_cmd *cmds, const char *what, int argc,
		 char **argv);
/*
 * An argp help_filter's ARGP_KEY_HELP_PRE_DOC case: text followed by the
 * table as "Commands:" and "  name  summary" lines (malloc'd).
 */
char *ctl_help_cmds(const char *text, const struct ctl_cmd *cmds);

/* Subcommands. */
int cmd_run(int argc, char **argv);
int cmd_hold(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_terminate(int argc, char **argv);
int cmd_inject(int argc, char **argv);
int cmd_device(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
/* Summarise the bundle at path (inspect, dump --inspect). */
int cmd_inspect_file(const char *path);

/*
 * Errors: "accelctl: msg" on stderr, or {"error": "msg"} on stdout in JSON
 * mode. Returns code, so "return ctl_fail(EXIT_ERROR, ...)" reads well.
 */
int ctl_fail(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * A usage error of "accelctl CMD" (cmd NULL: of accelctl): the message and
 * a pointer to --help, as ctl_usage_report; EXIT_USAGE.
 */
int ctl_usage_err(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * The usage error printer (cli_arg_reporter): msg as ctl_fail, then, but in
 * JSON mode, "Try 'PROG --help'." on stderr.
 */
void ctl_usage_report(const char *prog, const char *msg);
/* A warning on stderr (never on stdout, even in JSON mode). */
void ctl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The JSON writer: print obj (consumed) on stdout. 0 or EXIT_ERROR. An
 * object gets "schema_version": CTL_JSON_SCHEMA_VERSION first unless it
 * has its own (accel-vocabulary(7) says what each version changed).
 */
#define CTL_JSON_SCHEMA_VERSION 2
int ctl_json_emit(json_object *obj);

/* A device's keys: "device": "afuN" and "device_id": N. */
void ctl_json_dev(json_object *o, unsigned int id);
/* The same from the name (no "device_id" if it is not afuN). */
void ctl_json_dev_name(json_object *o, const char *name);

/*
 * Value parsers of the commands' options. Each returns 0 or -EINVAL.
 * Sizes take K, M, G, T suffixes (powers of 1024, optional "iB"/"B").
 */
int ctl_parse_size(const char *s, uint64_t *out);
int ctl_parse_u64(const char *s, uint64_t *out);	/* decimal or 0x */
int ctl_parse_u32(const char *s, uint32_t *out);
/* Seconds: "10", "2.5", "500ms", "10s", "2m". */
int ctl_parse_seconds(const char *s, double *out);

/*
 * Options of a command: argp for "accelctl cmd" over argv (argv[0] is the
 * command word), with -j/--json and -h/--help from ctl_leaf_children (the
 * children of every leaf command's argp). Returns 0 with *first the index
 * of the first operand (first NULL: the command takes none), or EXIT_USAGE
 * after the message; --help exits.
 */
int ctl_parse(const struct argp *argp, const char *cmd, int argc,
	      char **argv, int *first, void *input);
extern const struct argp_child ctl_leaf_children[];

/* The argp of a leaf command: options, parser, operands, doc; -j and -h. */
#define CTL_LEAF_ARGP(options, parser, args_doc, doc) \
	{ options, parser, args_doc, doc, ctl_leaf_children, NULL, NULL }

/*
 * Option values in a parser: the device of -d (afuN or N), a count of
 * 1..max; 0, or the usage error ("bad WHAT 'ARG' (1..max)") to return.
 */
error_t ctl_arg_dev(struct argp_state *state, const char *arg,
		    unsigned int *dev);
error_t ctl_arg_count(struct argp_state *state, const char *arg,
		      const char *what, uint32_t max, uint32_t *v);

/* argp's help of "accelctl cmd" on out; EXIT_OK on stdout, else EXIT_USAGE. */
int ctl_help(const struct argp *argp, const char *cmd, FILE *out);

/* The device of --device (afuN or N). */
int ctl_parse_dev(const char *s, unsigned int *id);

/* Check the debugfs root exists; on failure print the hint and return. */
int ctl_check_root(void);

/*
 * Check the controls' sysfs root (ctl.sysfs) exists; on failure print why
 * and return EXIT_NODRIVER.
 */
int ctl_check_sysfs(void);

/*
 * Check afuDEV has its controls; on failure print why and return
 * EXIT_NODRIVER.
 */
int ctl_check_sysfs_dev(unsigned int dev);

/* True when stderr is a terminal (progress output). */
bool ctl_tty(void);

/* One-line progress on stderr: "\r<label> [#####     ] 42%  extra". */
void ctl_progress(const char *label, double frac, const char *extra);
void ctl_progress_done(void);

#endif /* ACCELCTL_H */

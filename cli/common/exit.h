/* SPDX-License-Identifier: MIT */
/*
 * The exit codes of accelctl, accelstat and acceltop: one table, one
 * meaning per code, whichever tool returns it (the EXIT STATUS section of
 * each man page lists the codes that tool can return). accelstat --check
 * returns the Nagios plugin codes instead (accelstat.h), but for
 * EXIT_OUTPUT: with no status line written, a monitor reads 7 as UNKNOWN.
 */
#ifndef ACCEL_CLI_EXIT_H
#define ACCEL_CLI_EXIT_H

enum accel_exit {
	EXIT_OK = 0,
	EXIT_ERROR = 1,		/* runtime error */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NODRIVER = 3,	/* driver, view, device or context missing */
	EXIT_MISMATCH = 4,	/* accelctl run: data integrity check failed */
	EXIT_ZOMBIE = 5,	/* accelctl terminate: the device did not confirm */
	EXIT_NOSOURCE = 6,	/* acceltop: the --source asked for cannot run */
	EXIT_NOSVA = 7,		/* accelctl doctor: SVA is not possible */
	EXIT_SVAUNKNOWN = 8,	/* accelctl doctor: a required check cannot tell */
	EXIT_OUTPUT = 9,	/* writing standard output failed (disk full...) */
};

#endif /* ACCEL_CLI_EXIT_H */

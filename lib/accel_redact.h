/* SPDX-License-Identifier: MIT */
/*
 * libaccel: redaction of a support bundle (accelctl dump --redact):
 * pids, comms, addresses, the host name, private paths, command lines and
 * user and group ids become consistent pseudonyms in every file (the rules:
 * accelctl(8), REDACTION).
 *
 * Pseudonym pids start at 5000001, above the kernel's PID_MAX_LIMIT
 * (4194304), so they can never be mistaken for real ones; comms become
 * "commN"; an address keeps its offset in the page and its page becomes
 * 0x1000000N000 (one pseudonym page per real page); the others become
 * "hostN", "pathN", "cmdlineN", "uidN", "gidN". 0, all-ones, "-" and
 * "[kernel]" carry no identity and stay. Structured files are rewritten by
 * field: the debugfs views by the columns their header names (pid, comm,
 * address), read with the views' own tokenizer; trace lines by their task
 * prefix and key=value fields; /proc status by key. Free text (the kernel
 * log, the knobs, the command line) is read twice: the first pass learns
 * the pids and comms of its contexts, the second replaces a pid in a pid
 * context only, every known comm and host word, addresses (not the
 * sym+0xOFF/0xSIZE of a stack trace) and private paths. The mapping is
 * written to a separate file.
 */
#ifndef ACCEL_REDACT_H
#define ACCEL_REDACT_H

#include "accel_bundle.h"

struct accel_redact;

/* A redactor that has learnt nothing yet; NULL on OOM. */
struct accel_redact *accel_redact_new(void);
void accel_redact_free(struct accel_redact *r);

/*
 * Rewrite every file of b (the layout of accel_bundle.h), and rename
 * proc/PID/ to the pseudonym pid. 0, or -ENOMEM.
 */
int accel_redact_bundle(struct accel_redact *r, struct accel_bundle *b);

/*
 * Learn the host name (and its short name, before the first '.') and
 * return its token, "host1"; NULL on OOM. Free text then has the host name
 * replaced wherever it is a word.
 */
const char *accel_redact_host(struct accel_redact *r, const char *host);

/* Free text (a command line word) with what r has learnt; malloc'ed. */
char *accel_redact_text(struct accel_redact *r, const char *s);

/*
 * Write the pseudonym map ("pid REAL PSEUDO", "comm ...", "page ...",
 * "host ...", "path ...", "cmdline ...", "uid ...", "gid ...", blanks in
 * REAL as \ooo) of the bundle at bundle to path, mode 0600: to a new file
 * renamed over path (a symlink there is replaced, never followed). 0 or
 * -errno.
 */
int accel_redact_write_map(const struct accel_redact *r, const char *path,
			   const char *bundle);

#endif /* ACCEL_REDACT_H */

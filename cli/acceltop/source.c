// SPDX-License-Identifier: MIT
/*
 * acceltop: picking the source. auto tries, in order: BPF on tp_btf (when
 * the module has BTF), BPF on plain tracepoints, the tracefs event stream,
 * and the debugfs counters; each reason a source was skipped is kept so
 * the screen and stderr can say why.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "acceltop.h"

const char *const at_drop_names[AT_DROP_NR] = {
	[AT_DROP_MAP_FULL] = "map_full",
	[AT_DROP_MAP_BUSY] = "map_busy",
	[AT_DROP_MAP_NOMEM] = "map_nomem",
	[AT_DROP_ENTRY_GONE] = "entry_gone",
	[AT_DROP_START_LOST] = "start_lost",
	[AT_DROP_RETIRED_LOST] = "retired_lost",
	[AT_DROP_KEYS_FULL] = "keys_full",
};

static void why_add(struct at_source *src, const char *name, const char *msg)
{
	size_t l = strlen(src->why);

	snprintf(src->why + l, sizeof(src->why) - l, "%s%s: %s",
		 l ? "; " : "", name, msg);
}

static int try_open(struct at_source *src, enum at_source_kind k, char *msg,
		    size_t len)
{
	switch (k) {
	case AT_SRC_BPF_BTF:
		return at_bpf_open(src, true, msg, len);
	case AT_SRC_BPF_TP:
		return at_bpf_open(src, false, msg, len);
	case AT_SRC_TRACEFS:
		return at_tracefs_open(src, msg, len);
	case AT_SRC_DEBUGFS:
		return at_debugfs_open(src, msg, len);
	default:
		return -EINVAL;
	}
}

int at_source_open(struct at_source *src, enum at_source_kind want,
		   char *err, size_t errlen)
{
	static const enum at_source_kind order[] = {
		AT_SRC_BPF_BTF, AT_SRC_BPF_TP, AT_SRC_TRACEFS, AT_SRC_DEBUGFS
	};
	char msg[1024];
	unsigned int i;

	src->why[0] = '\0';
	/* Every source needs the driver's debugfs for the contexts. */
	if (access(src->root, F_OK)) {
		char hint[512];
		int e = errno;

		accel_root_hint(src->root, e, hint, sizeof(hint));
		snprintf(err, errlen, "%s: %s (%s)", src->root, strerror(e),
			 hint);
		return EXIT_NODRIVER;
	}
	if (want != AT_SRC_AUTO) {
		if (try_open(src, want, msg, sizeof(msg))) {
			snprintf(err, errlen, "source %s unavailable: %s",
				 at_source_name(want), msg);
			return EXIT_NOSOURCE;
		}
		return 0;
	}
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!try_open(src, order[i], msg, sizeof(msg)))
			return 0;
		why_add(src, at_source_name(order[i]), msg);
	}
	snprintf(err, errlen, "no source works: %s", src->why);
	return EXIT_ERROR;
}

void at_source_close(struct at_source *src)
{
	if (src->close)
		src->close(src);
	src->close = NULL;
}

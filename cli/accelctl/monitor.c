// SPDX-License-Identifier: MIT
/*
 * accelctl monitor: one JSON-lines stream of the machine's fault (and, with
 * --invalidations, invalidation) events until SIGTERM or SIGINT. The trace
 * events are enabled in a private tracefs instance (trace_clock mono), read
 * with tracefs_iterate_raw_events() and decoded by libaccel from their
 * format files; the kernel log's DMAR fault lines come from /dev/kmsg, new
 * lines only. The first line names every source and whether it is there;
 * the last one says how many events were written.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <event-parse.h>
#include <tracefs.h>

#include "accel_events.h"
#include "accel_json.h"
#include "accel_monitor.h"
#include "accelctl.h"

#define INST_PREFIX "accelctl-monitor-"

static const struct argp_option mon_options[] = {
	{ "log", 'l', "FILE", 0, "append the stream to FILE (reopened on "
	  "SIGHUP) instead of stdout", 0 },
	{ "events", 'e', "LIST", 0, "only these sources or events, comma-"
	  "separated (SYSTEM, EVENT or SYSTEM:EVENT; kmsg)", 0 },
	{ "invalidations", 'I', NULL, 0, "also stream invalidations (accelsim "
	  "TLBIs, intel_iommu qi_submit)", 0 },
	{ 0 }
};

static const char mon_doc[] =
"Stream every fault event the machine reports as JSON lines, until SIGTERM "
"or SIGINT: accelsim's faults and their acks, iommu io_page_fault, "
"intel_iommu prq_report (trace events, in a private tracefs instance) and "
"the DMAR fault lines of the kernel log. With --invalidations, the "
"invalidations too. The first line, {\"monitor\":\"start\",...}, says which "
"sources are there; a missing one is named, and the rest go on. ts is in "
"seconds of CLOCK_MONOTONIC (trace events) or of the kernel log's clock "
"(kmsg).";

struct mon_args {
	const char *log;
	const char *events;
	bool inval;
};

struct mon {
	struct mon_args *a;
	FILE *out;
	struct tracefs_instance *inst;
	struct tep_handle *tep;
	int ids[16];			/* per accel_mon_events, -1: off */
	int kmsg;
	unsigned long long written;
	bool write_failed;
};

static error_t mon_opt(int key, char *arg, struct argp_state *state)
{
	struct mon_args *a = state->input;
	char bad[64];

	switch (key) {
	case 'l':
		a->log = arg;
		return 0;
	case 'e':
		if (accel_mon_check_list(arg, bad, sizeof(bad)))
			return cli_arg_error(state, "unknown event or source "
					     "'%s' in --events", bad);
		a->events = arg;
		return 0;
	case 'I':
		a->inval = true;
		return 0;
	case ARGP_KEY_ARG:
		return cli_arg_error(state, "unexpected argument '%s'", arg);
	}
	return cli_arg_default(key, state);
}

static const struct argp mon_argp = CTL_LEAF_ARGP(mon_options, mon_opt, NULL,
						  mon_doc);

static void emit(struct mon *m, json_object *o)
{
	if (!o)
		return;
	if (fprintf(m->out, "%s\n", json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)) < 0 ||
	    fflush(m->out))
		m->write_failed = true;
	json_object_put(o);
}

static int on_record(struct tep_event *e, struct tep_record *r, int cpu,
		     void *data)
{
	struct mon *m = data;
	size_t i;

	(void)cpu;
	for (i = 0; i < accel_mon_nevents; i++)
		if (m->ids[i] == e->id) {
			emit(m, accel_mon_record(&accel_mon_events[i], e, r));
			m->written++;
			break;
		}
	return 0;
}

static void drain_kmsg(struct mon *m)
{
	char buf[8192];
	ssize_t n;

	for (;;) {
		n = read(m->kmsg, buf, sizeof(buf) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			return;
		buf[n] = 0;
		json_object *o = accel_mon_kmsg(buf, (size_t)n);

		if (o) {
			emit(m, o);
			m->written++;
		}
	}
}

static void note(json_object *src, const char *name, const char *key,
		 const char *what)
{
	json_object *s, *arr;

	if (!json_object_object_get_ex(src, name, &s)) {
		s = json_object_new_object();
		json_object_object_add(src, name, s);
	}
	if (!json_object_object_get_ex(s, key, &arr)) {
		arr = json_object_new_array();
		json_object_object_add(s, key, arr);
	}
	json_object_array_add(arr, json_object_new_string(what));
}

static void reason(json_object *src, const char *name, const char *why)
{
	json_object *s;

	if (json_object_object_get_ex(src, name, &s) &&
	    !json_object_object_get_ex(s, "reason", NULL))
		accel_json_str(s, "reason", why);
}

/* The trace side: the instance and its events. Notes each source. */
static void open_trace(struct mon *m, json_object *src)
{
	const char *systems[8] = { NULL };
	char name[64], why[128] = "";
	const char *dir = NULL;
	size_t i, ns = 0, j;
	bool any = false;

	for (i = 0; i < accel_mon_nevents; i++) {
		m->ids[i] = -1;
		if (!accel_mon_wanted(&accel_mon_events[i], m->a->events,
				      m->a->inval))
			continue;
		any = true;
		for (j = 0; j < ns; j++)
			if (!strcmp(systems[j], accel_mon_events[i].system))
				break;
		if (j == ns && ns < 7)
			systems[ns++] = accel_mon_events[i].system;
	}
	if (!any)
		return;
	if (access(ctl.tracefs, F_OK) ||
	    tracefs_set_tracing_dir((char *)ctl.tracefs))
		snprintf(why, sizeof(why), "no tracefs at %s", ctl.tracefs);
	else if (!(dir = tracefs_tracing_dir()))
		snprintf(why, sizeof(why), "tracefs is not mounted");
	else if (!(m->tep = tracefs_local_events_system(dir, systems)))
		snprintf(why, sizeof(why), "cannot read the event formats "
			 "under %s", dir);
	if (!why[0]) {
		accel_tracefs_reap(dir, INST_PREFIX);
		snprintf(name, sizeof(name), INST_PREFIX "%d", (int)getpid());
		m->inst = tracefs_instance_create(name);
		if (!m->inst)
			snprintf(why, sizeof(why), "cannot create tracefs "
				 "instance %s: %s", name, strerror(errno));
	}
	if (m->inst) {
		tracefs_instance_file_write(m->inst, "trace_clock", "mono");
		/* Events off before the resize: see acceltop's tracefs.c. */
		tracefs_event_disable(m->inst, NULL, NULL);
		tracefs_instance_file_write(m->inst, "buffer_size_kb", "1024");
	}
	for (i = 0; i < accel_mon_nevents; i++) {
		const struct accel_mon_event *ev = &accel_mon_events[i];
		struct tep_event *e;
		char full[96];

		if (!accel_mon_wanted(ev, m->a->events, m->a->inval))
			continue;
		snprintf(full, sizeof(full), "%s:%s", ev->system, ev->event);
		if (why[0]) {
			note(src, ev->system, "missing", full);
			reason(src, ev->system, why);
			continue;
		}
		e = tep_find_event_by_name(m->tep, ev->system, ev->event);
		if (!e || tracefs_event_enable(m->inst, ev->system,
					       ev->event)) {
			note(src, ev->system, "missing", full);
			reason(src, ev->system, e ? "cannot enable it" :
			       "no such event in this kernel");
			continue;
		}
		m->ids[i] = e->id;
		note(src, ev->system, "events", full);
	}
	if (why[0]) {
		ctl_warn("monitor: trace events unavailable: %s", why);
		return;
	}
	tracefs_trace_on(m->inst);
}

static void close_trace(struct mon *m)
{
	if (m->inst) {
		tracefs_trace_off(m->inst);
		tracefs_instance_destroy(m->inst);
		tracefs_instance_free(m->inst);
		m->inst = NULL;
	}
	tep_free(m->tep);
	m->tep = NULL;
}

static void open_kmsg(struct mon *m, json_object *src)
{
	m->kmsg = -1;
	if (!accel_mon_kmsg_wanted(m->a->events))
		return;
	m->kmsg = open(ACCEL_MON_KMSG_PATH, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (m->kmsg < 0 || lseek(m->kmsg, 0, SEEK_END) < 0) {
		ctl_warn("monitor: source %s unavailable: %s: %s",
			 ACCEL_MON_KMSG, ACCEL_MON_KMSG_PATH, strerror(errno));
		note(src, ACCEL_MON_KMSG, "missing", ACCEL_MON_KMSG_PATH);
		reason(src, ACCEL_MON_KMSG, strerror(errno));
		if (m->kmsg >= 0)
			close(m->kmsg);
		m->kmsg = -1;
		return;
	}
	note(src, ACCEL_MON_KMSG, "events", ACCEL_MON_KMSG_PATH);
}

static uint64_t now_mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

enum mon_status { MON_START, MON_STOP };

static const char *const status_words[] = {
	[MON_START] = "start",
	[MON_STOP] = "stop",
};

static json_object *status_line(enum mon_status st)
{
	json_object *o = json_object_new_object();

	accel_json_str(o, "monitor", status_words[st]);
	accel_mon_ts(o, now_mono());
	accel_json_u64(o, "pid", (uint64_t)getpid());
	return o;
}

static FILE *open_log(const char *path)
{
	FILE *f = fopen(path, "ae");

	if (f)
		setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

int cmd_monitor(int argc, char **argv)
{
	struct mon_args a = { NULL, NULL, false };
	struct mon m = { .a = &a, .kmsg = -1 };
	json_object *o, *src;
	struct pollfd pfd[2];
	bool stop = false, any;
	sigset_t set;
	size_t i;
	int sfd, ret;

	ret = ctl_parse(&mon_argp, "monitor", argc, argv, NULL, &a);
	if (ret)
		return ret;
	m.out = stdout;
	if (a.log && !(m.out = open_log(a.log)))
		return ctl_fail(EXIT_ERROR, "monitor: %s: %s", a.log,
				strerror(errno));
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0)
		return ctl_fail(EXIT_ERROR, "monitor: signalfd: %s",
				strerror(errno));
	src = json_object_new_object();
	open_trace(&m, src);
	open_kmsg(&m, src);
	any = m.kmsg >= 0;
	for (i = 0; i < accel_mon_nevents; i++)
		any |= m.ids[i] >= 0;
	for (i = 0; i < accel_mon_nsources; i++) {
		json_object *s;

		if (json_object_object_get_ex(src, accel_mon_sources[i], &s) &&
		    !json_object_object_get_ex(s, "events", NULL))
			ctl_warn("monitor: source %s unavailable",
				 accel_mon_sources[i]);
	}
	o = status_line(MON_START);
	accel_json_str(o, "clock", "monotonic");
	json_object_object_add(o, "sources", src);
	emit(&m, o);
	if (!any) {
		close_trace(&m);
		close(sfd);
		return ctl_fail(EXIT_NODRIVER, "monitor: no source of events "
				"is available");
	}
	pfd[0].fd = sfd;
	pfd[0].events = POLLIN;
	pfd[1].fd = m.kmsg;
	pfd[1].events = POLLIN;
	while (!stop) {
		struct signalfd_siginfo si;

		if (poll(pfd, 2, 200) < 0 && errno != EINTR)
			break;
		if (m.kmsg >= 0)
			drain_kmsg(&m);
		if (m.inst)
			tracefs_iterate_raw_events(m.tep, m.inst, NULL, 0,
						   on_record, &m);
		while (pfd[0].revents & POLLIN &&
		       read(sfd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo != SIGHUP) {
				stop = true;
				break;
			}
			if (a.log) {
				FILE *f = open_log(a.log);

				if (f) {
					fclose(m.out);
					m.out = f;
				} else {
					ctl_warn("monitor: reopen %s: %s",
						 a.log, strerror(errno));
				}
			}
			pfd[0].revents = 0;
		}
	}
	/* What the buffers still hold, then the instance goes. */
	if (m.inst)
		tracefs_iterate_raw_events(m.tep, m.inst, NULL, 0, on_record,
					   &m);
	close_trace(&m);
	if (m.kmsg >= 0) {
		drain_kmsg(&m);
		close(m.kmsg);
	}
	o = status_line(MON_STOP);
	accel_json_u64(o, "events", m.written);
	emit(&m, o);
	close(sfd);
	if (m.out == stdout)
		return m.write_failed ? cli_stdout_flush("accelctl") ?:
					EXIT_OUTPUT : EXIT_OK;
	if (fclose(m.out))
		m.write_failed = true;
	if (m.write_failed)
		return ctl_fail(EXIT_ERROR, "monitor: %s: write error", a.log);
	return EXIT_OK;
}

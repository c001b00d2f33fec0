// SPDX-License-Identifier: MIT
/*
 * acceltop: the collector thread. It polls the source (tracefs needs its
 * buffers drained often), takes a sample every delay seconds, turns it into
 * a view and hands it to the UI through a pipe, so a slow read never holds
 * the keyboard.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acceltop.h"

#define TICK_MS 100

struct at_collector {
	struct at_source *src;
	pthread_t thread;
	pthread_mutex_t lock;
	double delay;
	bool stop, fresh;
	struct at_view view;
	unsigned long refresh;
	int pipe[2];
};

static void *collect(void *arg)
{
	struct at_collector *c = arg;
	struct at_sample first = { 0 }, prev = { 0 }, cur = { 0 };
	bool have_first = false;
	double next = 0;

	for (;;) {
		double now, delay;
		bool stop;
		struct at_view v;

		pthread_mutex_lock(&c->lock);
		stop = c->stop;
		delay = c->delay;
		pthread_mutex_unlock(&c->lock);
		if (stop)
			break;
		now = cli_now_s();
		if (now < next) {
			if (c->src->poll)
				c->src->poll(c->src);
			now = cli_now_s();
			if (now < next) {
				double ms = (next - now) * 1000;

				poll(NULL, 0, ms < TICK_MS ? (int)ms + 1 :
				     TICK_MS);
				continue;
			}
		}
		next = now + delay;
		memset(&cur, 0, sizeof(cur));
		if (c->src->sample(c->src, &cur)) {
			/* Keep going: the driver may come back. */
			memset(&v, 0, sizeof(v));
			memcpy(v.note, cur.note, sizeof(v.note));
			at_sample_free(&cur);
		} else {
			cur.t = cli_now_s();
			if (!have_first) {
				first = cur;
				have_first = true;
				at_view_build(&v, NULL, &cur, &first);
				memset(&cur, 0, sizeof(cur));
				/* first doubles as prev */
			} else {
				at_view_build(&v, prev.dev ? &prev : &first,
					      &cur, &first);
				at_sample_free(&prev);
				prev = cur;
			}
		}
		v.source = c->src->kind;
		pthread_mutex_lock(&c->lock);
		v.refresh = ++c->refresh;
		at_view_free(&c->view);
		c->view = v;
		c->fresh = true;
		pthread_mutex_unlock(&c->lock);
		if (write(c->pipe[1], "", 1) < 0 && errno != EAGAIN)
			break;
	}
	at_sample_free(&prev);
	at_sample_free(&first);
	return NULL;
}

struct at_collector *at_collector_start(struct at_source *src, double delay,
					int *notify_fd)
{
	struct at_collector *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->src = src;
	c->delay = delay;
	pthread_mutex_init(&c->lock, NULL);
	if (pipe2(c->pipe, O_NONBLOCK | O_CLOEXEC))
		goto fail;
	if (pthread_create(&c->thread, NULL, collect, c)) {
		close(c->pipe[0]);
		close(c->pipe[1]);
		goto fail;
	}
	*notify_fd = c->pipe[0];
	return c;
fail:
	pthread_mutex_destroy(&c->lock);
	free(c);
	return NULL;
}

bool at_collector_take(struct at_collector *c, struct at_view *v)
{
	bool fresh;

	pthread_mutex_lock(&c->lock);
	fresh = c->fresh;
	if (fresh) {
		at_view_free(v);
		*v = c->view;
		memset(&c->view, 0, sizeof(c->view));
		c->fresh = false;
	}
	pthread_mutex_unlock(&c->lock);
	return fresh;
}

void at_collector_set_delay(struct at_collector *c, double delay)
{
	pthread_mutex_lock(&c->lock);
	c->delay = delay;
	pthread_mutex_unlock(&c->lock);
}

void at_collector_stop(struct at_collector *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->stop = true;
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	at_view_free(&c->view);
	close(c->pipe[0]);
	close(c->pipe[1]);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

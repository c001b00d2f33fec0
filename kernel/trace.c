// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: tracepoint definitions.
 */
#define CREATE_TRACE_POINTS
#include "accelsim_trace.h"

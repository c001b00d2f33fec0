// SPDX-License-Identifier: MIT
#include "accelctl.h"
int cmd_run(int argc, char **argv) { return ctl_fail(EXIT_ERROR, "run: not implemented yet"); }

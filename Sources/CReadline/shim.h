// GNU readline and history, including the callback interface the workbench
// uses to run readline inside an ncurses layout.
#ifndef TENSH_CREADLINE_SHIM_H
#define TENSH_CREADLINE_SHIM_H
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>
#endif

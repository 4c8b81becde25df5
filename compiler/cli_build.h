/*
** cli_build.h — `mgc run` and `mgc build`: from a .mg to a compiled
** training program in one command (cli_build.c, docs/building.md).
*/
#ifndef MGC_CLI_BUILD_H
#define MGC_CLI_BUILD_H

/* argv[0] is "run" or "build".  Returns mgc's exit status; `mgc run` does
   not return when the program starts (the program's status is mgc's). */
int cli_build_main(int argc, char **argv);

#endif

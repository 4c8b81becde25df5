/*
** memplan.c — placeholder replaced below
*/
#include "pass.h"
void pass_memplan(Model *m) { (void)m; }

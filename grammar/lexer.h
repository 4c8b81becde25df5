/*
** lexer.h — the scanner's interface to the parser (see mg.l).
*/
#ifndef MGC_LEXER_H
#define MGC_LEXER_H

#include "ast.h"
#include "parser.h"

int yylex(YYSTYPE *yylval, YYLTYPE *yylloc, yyscan_t scanner);
int mg_lexer_open(yyscan_t *scanner, const Source *src, Arena *arena);
void mg_lexer_close(yyscan_t scanner);

#endif

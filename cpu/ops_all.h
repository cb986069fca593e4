/* Every instruction body, included twice by cpu/exec.c: OPL(name) names
 * the label and ILEN is the instruction's length (4, then 2 for the
 * compressed copies). */
#include "ops_rv64i.h"
#include "ops_rv64m.h"
#include "ops_rv64a.h"
#include "ops_system.h"
#include "ops_zb.h"
#include "ops_fd.h"
#include "ops_zfh.h"
#include "ops_zfa.h"

/* Branches and jal within the page (OP__*_LOCAL, see localize_branch). */
OPL(_BEQ_LOCAL):  if (RS1 == RS2) JUMP_LOCAL(); NEXT();
OPL(_BNE_LOCAL):  if (RS1 != RS2) JUMP_LOCAL(); NEXT();
OPL(_BLT_LOCAL):  if ((int64_t)RS1 < (int64_t)RS2) JUMP_LOCAL(); NEXT();
OPL(_BGE_LOCAL):  if ((int64_t)RS1 >= (int64_t)RS2) JUMP_LOCAL(); NEXT();
OPL(_BLTU_LOCAL): if (RS1 < RS2) JUMP_LOCAL(); NEXT();
OPL(_BGEU_LOCAL): if (RS1 >= RS2) JUMP_LOCAL(); NEXT();
OPL(_JAL_LOCAL):  RD = CUR_PC + ILEN; JUMP_LOCAL();

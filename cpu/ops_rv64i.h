/* RV64I instruction bodies, included into the dispatch loop of exec.c. */

OPL(lui):   RD = IMM; NEXT();
OPL(auipc): RD = CUR_PC + IMM; NEXT();
OPL(jal):   { uint64_t here = CUR_PC; RD = here + ILEN; JUMP(here + IMM); }
OPL(jalr):  { uint64_t t = (RS1 + IMM) & ~1ull; RD = CUR_PC + ILEN; JUMP(t); }

OPL(beq):  if (RS1 == RS2) JUMP(CUR_PC + IMM); NEXT();
OPL(bne):  if (RS1 != RS2) JUMP(CUR_PC + IMM); NEXT();
OPL(blt):  if ((int64_t)RS1 < (int64_t)RS2) JUMP(CUR_PC + IMM); NEXT();
OPL(bge):  if ((int64_t)RS1 >= (int64_t)RS2) JUMP(CUR_PC + IMM); NEXT();
OPL(bltu): if (RS1 < RS2) JUMP(CUR_PC + IMM); NEXT();
OPL(bgeu): if (RS1 >= RS2) JUMP(CUR_PC + IMM); NEXT();

OPL(lb):  LOAD(int8_t);
OPL(lh):  LOAD(int16_t);
OPL(lw):  LOAD(int32_t);
OPL(ld):  LOAD(uint64_t);
OPL(lbu): LOAD(uint8_t);
OPL(lhu): LOAD(uint16_t);
OPL(lwu): LOAD(uint32_t);
OPL(sb):  STORE(uint8_t);
OPL(sh):  STORE(uint16_t);
OPL(sw):  STORE(uint32_t);
OPL(sd):  STORE(uint64_t);

OPL(addi):  RD = RS1 + IMM; NEXT();
OPL(slti):  RD = (int64_t)RS1 < IMM; NEXT();
OPL(sltiu): RD = RS1 < (uint64_t)IMM; NEXT();
OPL(xori):  RD = RS1 ^ IMM; NEXT();
OPL(ori):   RD = RS1 | IMM; NEXT();
OPL(andi):  RD = RS1 & IMM; NEXT();
OPL(slli):  RD = RS1 << d->imm; NEXT();
OPL(srli):  RD = RS1 >> d->imm; NEXT();
OPL(srai):  RD = (int64_t)RS1 >> d->imm; NEXT();

OPL(add):  RD = RS1 + RS2; NEXT();
OPL(sub):  RD = RS1 - RS2; NEXT();
OPL(sll):  RD = RS1 << (RS2 & 63); NEXT();
OPL(slt):  RD = (int64_t)RS1 < (int64_t)RS2; NEXT();
OPL(sltu): RD = RS1 < RS2; NEXT();
OPL(xor):  RD = RS1 ^ RS2; NEXT();
OPL(srl):  RD = RS1 >> (RS2 & 63); NEXT();
OPL(sra):  RD = (int64_t)RS1 >> (RS2 & 63); NEXT();
OPL(or):   RD = RS1 | RS2; NEXT();
OPL(and):  RD = RS1 & RS2; NEXT();

OPL(addiw): RD = sext32(RS1 + IMM); NEXT();
OPL(slliw): RD = sext32((uint32_t)RS1 << d->imm); NEXT();
OPL(srliw): RD = sext32((uint32_t)RS1 >> d->imm); NEXT();
OPL(sraiw): RD = (int64_t)((int32_t)RS1 >> d->imm); NEXT();
OPL(addw):  RD = sext32(RS1 + RS2); NEXT();
OPL(subw):  RD = sext32(RS1 - RS2); NEXT();
OPL(sllw):  RD = sext32((uint32_t)RS1 << (RS2 & 31)); NEXT();
OPL(srlw):  RD = sext32((uint32_t)RS1 >> (RS2 & 31)); NEXT();
OPL(sraw):  RD = (int64_t)((int32_t)RS1 >> (RS2 & 31)); NEXT();

/* One hart in one host thread sees its own memory in order. */
OPL(fence): NEXT();
/* Stores invalidate decoded pages as they happen (dcache_invalidate),
 * so the decoded cache never holds stale code: nothing left to do. */
OPL(fence_i): NEXT();

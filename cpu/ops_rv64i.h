/* RV64I instruction bodies, included into the dispatch loop of exec.c. */

L_lui:   RD = IMM; NEXT();
L_auipc: RD = pc + IMM; NEXT();
L_jal:   { uint64_t link = pc + d->len; RD = link; JUMP(pc + IMM); }
L_jalr:  { uint64_t t = (RS1 + IMM) & ~1ull; RD = pc + d->len; JUMP(t); }

L_beq:  if (RS1 == RS2) JUMP(pc + IMM); NEXT();
L_bne:  if (RS1 != RS2) JUMP(pc + IMM); NEXT();
L_blt:  if ((int64_t)RS1 < (int64_t)RS2) JUMP(pc + IMM); NEXT();
L_bge:  if ((int64_t)RS1 >= (int64_t)RS2) JUMP(pc + IMM); NEXT();
L_bltu: if (RS1 < RS2) JUMP(pc + IMM); NEXT();
L_bgeu: if (RS1 >= RS2) JUMP(pc + IMM); NEXT();

L_lb:  LOAD(int8_t);
L_lh:  LOAD(int16_t);
L_lw:  LOAD(int32_t);
L_ld:  LOAD(uint64_t);
L_lbu: LOAD(uint8_t);
L_lhu: LOAD(uint16_t);
L_lwu: LOAD(uint32_t);
L_sb:  STORE(uint8_t);
L_sh:  STORE(uint16_t);
L_sw:  STORE(uint32_t);
L_sd:  STORE(uint64_t);

L_addi:  RD = RS1 + IMM; NEXT();
L_slti:  RD = (int64_t)RS1 < IMM; NEXT();
L_sltiu: RD = RS1 < (uint64_t)IMM; NEXT();
L_xori:  RD = RS1 ^ IMM; NEXT();
L_ori:   RD = RS1 | IMM; NEXT();
L_andi:  RD = RS1 & IMM; NEXT();
L_slli:  RD = RS1 << d->imm; NEXT();
L_srli:  RD = RS1 >> d->imm; NEXT();
L_srai:  RD = (int64_t)RS1 >> d->imm; NEXT();

L_add:  RD = RS1 + RS2; NEXT();
L_sub:  RD = RS1 - RS2; NEXT();
L_sll:  RD = RS1 << (RS2 & 63); NEXT();
L_slt:  RD = (int64_t)RS1 < (int64_t)RS2; NEXT();
L_sltu: RD = RS1 < RS2; NEXT();
L_xor:  RD = RS1 ^ RS2; NEXT();
L_srl:  RD = RS1 >> (RS2 & 63); NEXT();
L_sra:  RD = (int64_t)RS1 >> (RS2 & 63); NEXT();
L_or:   RD = RS1 | RS2; NEXT();
L_and:  RD = RS1 & RS2; NEXT();

L_addiw: RD = sext32(RS1 + IMM); NEXT();
L_slliw: RD = sext32((uint32_t)RS1 << d->imm); NEXT();
L_srliw: RD = sext32((uint32_t)RS1 >> d->imm); NEXT();
L_sraiw: RD = (int64_t)((int32_t)RS1 >> d->imm); NEXT();
L_addw:  RD = sext32(RS1 + RS2); NEXT();
L_subw:  RD = sext32(RS1 - RS2); NEXT();
L_sllw:  RD = sext32((uint32_t)RS1 << (RS2 & 31)); NEXT();
L_srlw:  RD = sext32((uint32_t)RS1 >> (RS2 & 31)); NEXT();
L_sraw:  RD = (int64_t)((int32_t)RS1 >> (RS2 & 31)); NEXT();

/* One hart in one host thread sees its own memory in order. */
L_fence: NEXT();
/* Stores invalidate decoded pages as they happen (mmu_invalidate_code),
 * so the decoded cache never holds stale code: nothing left to do. */
L_fence_i: NEXT();

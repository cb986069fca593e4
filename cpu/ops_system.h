/* Zicsr and privileged instruction bodies. */

OPL(csrrw):  CSR(CSR_RW, RS1, true);
OPL(csrrs):  CSR(CSR_RS, RS1, d->rs1 != 0);
OPL(csrrc):  CSR(CSR_RC, RS1, d->rs1 != 0);
OPL(csrrwi): CSR(CSR_RW, d->rs1, true);
OPL(csrrsi): CSR(CSR_RS, d->rs1, d->rs1 != 0);
OPL(csrrci): CSR(CSR_RC, d->rs1, d->rs1 != 0);

OPL(ecall):  TRAP(EXC_ECALL_U + h->priv, 0);
OPL(ebreak): SYNC(); hart_ebreak(h); goto trapped;

OPL(mret):
    if (h->priv != PRV_M)
        ILLEGAL();
    SYNC();
    hart_mret(h);
    pc = h->pc;
    --budget;
    goto out;               /* interrupts may have been enabled */
OPL(sret):
    if (h->priv == PRV_U || (h->priv == PRV_S && (h->mstatus & MSTATUS_TSR)))
        ILLEGAL();
    SYNC();
    hart_sret(h);
    pc = h->pc;
    --budget;
    goto out;
OPL(wfi):
    /* U-mode, or S-mode with TW, may not wait (spec 3.1.6.5). */
    if (h->priv == PRV_U || (h->priv == PRV_S && (h->mstatus & MSTATUS_TW)))
        ILLEGAL();
    if (!(h->mip & h->mie))
        h->wfi = true;
    pc = CUR_PC + ILEN;
    --budget;
    goto out;
OPL(sfence_vma):
OPL(sinval_vma):            /* Svinval: the same invalidation, ordered by the two below */
    if (h->priv == PRV_U || (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM)))
        ILLEGAL();
    mmu_sfence_vma(h, d->rs1 != 0, RS1, d->rs2 != 0, RS2);
    pc = CUR_PC + ILEN;
    if (--budget <= 0)
        goto out;
    goto refetch;           /* the current page's mapping may be gone */
OPL(cbo_inval):
OPL(cbo_clean):
OPL(cbo_flush):
OPL(cbo_zero):
    SYNC();
    if (hart_cbo(h, d->op, RS1, d->bits))
        goto trapped;
    AFTER_HELPER();
    NEXT();
/* Zawrs: a stall may end at any time, so none is the shortest one. */
OPL(wrs_nto):
OPL(wrs_sto):
    NEXT();
/* Svinval's ordering fences: every invalidation here takes effect at
 * once, so they only check the mode (illegal in U; TVM does not apply). */
OPL(sfence_w_inval):
OPL(sfence_inval_ir):
    if (h->priv == PRV_U)
        ILLEGAL();
    NEXT();

# Benchmark kernels for bench/mips.ts, selected by argv[1][0]:
#   'r' register loop (one self-looping block), 'b' branchy register loop
#   (several blocks per iteration), 'm' memory loop (loads and stores).
# Exits with status 0; prints nothing.
    .globl _start
_start:
    ld   t1, 8(sp)          # argv[0]
    ld   t1, 16(sp)         # argv[1]
    lbu  t1, 0(t1)
    li   t0, 50000000
    li   a0, 0
    li   a1, 1
    li   t2, 'b'
    beq  t1, t2, branchy
    li   t2, 'm'
    beq  t1, t2, memory
reg:
    addi a0, a0, 3
    xor  a1, a1, a0
    add  a2, a1, a0
    slli a3, a2, 3
    sub  a1, a3, a1
    addi t0, t0, -1
    bnez t0, reg
    j    done
branchy:
    addi a0, a0, 3
    andi a2, a0, 4
    beqz a2, 1f
    xor  a1, a1, a0
    j    2f
1:  add  a1, a1, a0
2:  slli a3, a1, 1
    addi t0, t0, -1
    bnez t0, branchy
    j    done
memory:
    la   s0, buf
    li   s1, 0
3:  andi a2, s1, 1016        # offset within an 8 KiB buffer
    add  a3, s0, a2
    ld   a4, 0(a3)
    add  a4, a4, t0
    sd   a4, 1024(a3)
    lw   a5, 4(a3)
    add  a0, a0, a5
    addi s1, s1, 8
    addi t0, t0, -1
    bnez t0, 3b
done:
    li   a0, 0
    li   a7, 93
    ecall
    .bss
    .align 12
buf: .space 8192

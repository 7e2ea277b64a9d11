/* ddb's disassembler over the CPU decoder, and the sysctl tree's name/next/name2oid walk. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disasm, disasmPretty } from '../../kernel/ddb/db_disasm.ts';
import { CTLTYPE_INT, CTLFLAG_RD, Sysctl } from '../../kernel/kern/kern_sysctl.ts';

test('db_disasm: loads, stores, branches, jumps, ALU, FP, CSR, AMO, compressed, pseudo-instructions', () => {
  const cases: Array<[number, number, string]> = [
    [0xfe843783, 0x1000, 'ld      a5,-24(s0)'],
    [0x97aa, 0x1000, 'add     a5,a5,a0'],
    [0x00b50463, 0x1000, 'beq     a0,a1,0x1008'],
    [0x010000ef, 0x1000, 'jal     ra,0x1010'],
    [0x12345537, 0x1000, 'lui     a0,0x12345'],
    [0x00102573, 0x1000, 'csrrs   a0,fflags,zero'],
    [0x00c5a52f, 0x1000, 'amoadd.w a0,a2,(a1)'],
    [0x02c5f553, 0x1000, 'fadd.d  fa0,fa1,fa2'],
    [0x00113423, 0x1000, 'sd      ra,8(sp)'],
    [0x00100073, 0x1000, 'ebreak'],
    [0x9002, 0x1000, 'ebreak'],
    [0x00000073, 0x1000, 'ecall'],
    [0xffffffff, 0x1000, '.word 0xffffffff'],
  ];
  for (const [raw, pc, want] of cases) assert.equal(disasm(raw, pc), want, `0x${raw.toString(16)}`);
  assert.equal(disasmPretty(0x00008067, 0), 'ret');
  assert.equal(disasmPretty(0x00000013, 0), 'nop');
  assert.equal(disasmPretty(0x00500513, 0), 'li      a0,5');
  assert.equal(disasmPretty(0x00058513, 0), 'mv      a0,a1');
  assert.equal(disasmPretty(0x0000006f, 0x2000), 'j       0x2000');
});

test('sysctl tree: fixed and automatic numbers, name2oid, next in depth-first order', () => {
  const s = new Sysctl();
  const leaf = (v: number) => ({ kind: CTLTYPE_INT | CTLFLAG_RD, descr: '', get: () => v });
  s.node('kern', [1]);
  s.leaf('kern.b', leaf(2), 10);
  s.leaf('kern.a', leaf(1), 1);
  s.leaf('kern.sub.c', leaf(3));
  s.node('hw', [6]);
  s.leaf('hw.x', leaf(4), 3);
  assert.deepEqual(s.byName('kern.sub.c').mib(), [1, 0x100, 0x100]);
  const order: string[] = [];
  for (let mib: number[] = []; ;) {
    let o;
    try { o = s.next(mib); } catch { break; }
    order.push(o.fullName());
    mib = o.mib();
  }
  assert.deepEqual(order, ['kern.a', 'kern.b', 'kern.sub.c', 'hw.x']);
  assert.deepEqual([...s.read(s.byName('kern.b'), [], null)], [2, 0, 0, 0]);
  assert.throws(() => s.write(s.byName('kern.b'), [], new Uint8Array(4), { uid: 0, pid: 1 }), /errno 1/);
  assert.throws(() => s.byName('kern.nope'), /errno 2/);
});

/*
 * Physical memory: one SharedArrayBuffer of -m bytes, seen through typed views.
 * Everything that must be visible to every vCPU (page frames, page tables,
 * per-vCPU register files, the code-page map) lives here, so a later vCPU
 * Worker can run guest code on the same buffer without the kernel's JS objects.
 */
export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PAGE_MASK = PAGE_SIZE - 1;

export class PhysMem {
  readonly sab: SharedArrayBuffer;
  readonly size: number;
  readonly npages: number;
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  readonly i16: Int16Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  readonly dv: DataView;
  /*
   * codePage[ppn] != 0 when the CPU engine holds decoded/compiled code for
   * that frame. Whoever writes a frame outside the engine's own store path
   * (copyout, page zeroing, COW copies, DMA from disks) must call
   * noteWrite(ppn) so stale code is dropped. Kept per-frame and shared.
   */
  readonly codePage: Uint8Array;
  /* Invalidation hook the CPU engine installs: drop code cached for a frame. */
  onCodeWrite: (ppn: number) => void = () => {};

  constructor(size: number, sab?: SharedArrayBuffer) {
    if (size % PAGE_SIZE !== 0) throw new RangeError('physical memory size must be page aligned');
    this.size = size;
    this.npages = size >>> PAGE_SHIFT;
    this.sab = sab ?? new SharedArrayBuffer(size);
    this.u8 = new Uint8Array(this.sab);
    this.i8 = new Int8Array(this.sab);
    this.u16 = new Uint16Array(this.sab);
    this.i16 = new Int16Array(this.sab);
    this.i32 = new Int32Array(this.sab);
    this.u32 = new Uint32Array(this.sab);
    this.f32 = new Float32Array(this.sab);
    this.f64 = new Float64Array(this.sab);
    this.dv = new DataView(this.sab);
    this.codePage = new Uint8Array(this.npages);
  }

  /** Call before the kernel writes to frame ppn by any path other than the CPU's stores. */
  noteWrite(ppn: number): void {
    if (this.codePage[ppn] !== 0) this.onCodeWrite(ppn);
  }

  zeroFrame(ppn: number): void {
    this.noteWrite(ppn);
    this.u8.fill(0, ppn << PAGE_SHIFT, (ppn + 1) << PAGE_SHIFT);
  }

  copyFrame(dst: number, src: number): void {
    this.noteWrite(dst);
    this.u8.copyWithin(dst << PAGE_SHIFT, src << PAGE_SHIFT, (src + 1) << PAGE_SHIFT);
  }
}

/*
 * kprintf and the kernel message buffer (what dmesg reads). Every kernel
 * message goes through here, so the host sees them flagged as kernel output
 * (ConsoleDevice.write's fromKernel) and the boot log survives for dmesg.
 */
import type { ConsoleDevice } from '../platform.ts';

export const MSGBUF_SIZE = 64 * 1024;

export class MsgBuf {
  private text = '';

  append(s: string): void {
    this.text += s;
    if (this.text.length > MSGBUF_SIZE) this.text = this.text.slice(this.text.length - MSGBUF_SIZE);
  }

  contents(): string {
    return this.text;
  }

  clear(): void {
    this.text = '';
  }
}

const encoder = new TextEncoder();

export class Kprintf {
  readonly msgbuf = new MsgBuf();
  constructor(private readonly cons: ConsoleDevice) {}

  /** Print to the console and the message buffer; "\n" becomes "\r\n" only on the console. */
  print(s: string): void {
    this.msgbuf.append(s);
    this.cons.write(encoder.encode(s.replace(/\r?\n/g, '\r\n')), true);
  }

  println(s: string): void {
    this.print(s + '\n');
  }
}

/*
 * mkisofs: build an ISO 9660 image (optionally with Rock Ridge and Joliet)
 * from a host directory, reproducibly.
 *
 *   node --import tsx tools/mkisofs.ts [-R] [-J] [-V volid] [-iso-level N]
 *        [--date SECONDS] [--max-extent BYTES] -o out.iso dir
 *
 * SOURCE_DATE_EPOCH (or --date) fixes every timestamp in the image; with
 * it, the same tree gives the same bytes. --max-extent lowers the 4 GiB
 * extent limit so multi-extent files can be tested with small files.
 */
import { MAX_EXTENT, writeIso, type MkisofsOptions } from './iso_write.ts';

function usage(msg: string): never {
  process.stderr.write(`mkisofs: ${msg}\nusage: mkisofs [-R] [-J] [-V volid] [-iso-level N] [--date S] [--max-extent B] -o out.iso dir\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { opts: MkisofsOptions; out: string; dir: string } {
  const env = process.env.SOURCE_DATE_EPOCH;
  const opts: MkisofsOptions = {
    rockRidge: false, joliet: false, level: 3, volid: 'CDROM',
    date: env !== undefined && env !== '' ? Number(env) : null, maxExtent: MAX_EXTENT,
  };
  let out = '', dir = '';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = (): string => argv[++i] ?? usage(`${a} needs a value`);
    if (a === '-R' || a === '-rock') opts.rockRidge = true;
    else if (a === '-J' || a === '-joliet') opts.joliet = true;
    else if (a === '-V') opts.volid = val();
    else if (a === '-o') out = val();
    else if (a === '-iso-level') opts.level = Number(val());
    else if (a === '--date') opts.date = Number(val());
    else if (a === '--max-extent') opts.maxExtent = Number(val());
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (!dir) dir = a;
    else usage('one source directory only');
  }
  if (!out || !dir) usage('need -o and a directory');
  if (![1, 2, 3].includes(opts.level)) usage('-iso-level is 1, 2 or 3');
  if (opts.date !== null && !Number.isInteger(opts.date)) usage('bad date');
  if (!Number.isInteger(opts.maxExtent) || opts.maxExtent < 2048 || opts.maxExtent % 2048 || opts.maxExtent > MAX_EXTENT) {
    usage('--max-extent is a multiple of 2048 up to 4294965248');
  }
  return { opts, out, dir };
}

const { opts, out, dir } = parseArgs(process.argv.slice(2));
try {
  writeIso(dir, out, opts);
} catch (e) {
  process.stderr.write(`mkisofs: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

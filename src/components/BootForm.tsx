/*
 * The boot form, mirroring vkernel(7): memory, CPUs and topology, cpulock,
 * disks and CDs (from the image library, or a URL), network interfaces,
 * environment, flags and the pidfile. Each field shows the vkernel's own
 * message when its value would be refused.
 */
import type { FieldErrors, FormState, DiskRow, NetRow } from '../form.ts';
import { Field } from './Field.tsx';

interface Props {
  form: FormState;
  errors: FieldErrors;
  images: string[];
  onChange: (f: FormState) => void;
}

function replace<T>(list: T[], i: number, v: T): T[] {
  return list.map((x, j) => (j === i ? v : x));
}

export function BootForm({ form, errors, images, onChange }: Props) {
  const set = <K extends keyof FormState>(k: K, v: FormState[K]): void => onChange({ ...form, [k]: v });
  return (
    <fieldset className="bootform" data-testid="bootform">
      <legend>Boot configuration</legend>
      <div className="grid">
        <Field label="Memory (-m)" error={errors.mem} testid="mem">
          <input data-testid="mem" value={form.mem} onChange={(e) => set('mem', e.target.value)} />
        </Field>
        <Field label="CPUs (-n)" error={errors.ncpus} testid="ncpus">
          <span className="inline">
            <input data-testid="ncpus" className="short" value={form.ncpus} onChange={(e) => set('ncpus', e.target.value)} />
            <input aria-label="lbits" placeholder="lbits" className="short" value={form.lbits} onChange={(e) => set('lbits', e.target.value)} />
            <input aria-label="cbits" placeholder="cbits" className="short" value={form.cbits} onChange={(e) => set('cbits', e.target.value)} />
          </span>
        </Field>
        <Field label="CPU lock (-l)" error={errors.cpulock} testid="cpulock">
          <input data-testid="cpulock" value={form.cpulock} placeholder="any | map[,cpu] | cpu" onChange={(e) => set('cpulock', e.target.value)} />
        </Field>
        <Field label="Pidfile (-p)" error={errors.pidfile}>
          <input data-testid="pidfile" value={form.pidfile} placeholder="name (a Web Lock)" onChange={(e) => set('pidfile', e.target.value)} />
        </Field>
        <Field label="Memory image (-i)">
          <input data-testid="memimage" value={form.memImage} placeholder="library name (saved at halt)" onChange={(e) => set('memImage', e.target.value)} />
        </Field>
      </div>
      <div className="flags">
        <label><input type="checkbox" checked={form.singleUser} onChange={(e) => set('singleUser', e.target.checked)} /> single-user (-s)</label>
        <label><input type="checkbox" checked={form.verbose} onChange={(e) => set('verbose', e.target.checked)} /> verbose (-v)</label>
        <label><input type="checkbox" checked={form.kmemWritable} onChange={(e) => set('kmemWritable', e.target.checked)} /> writable kmem (-U)</label>
        <label><input type="checkbox" checked={form.softwarePageTables} onChange={(e) => set('softwarePageTables', e.target.checked)} /> software page tables (-d)</label>
      </div>
      <Disks disks={form.disks} errors={errors} images={images} onChange={(d) => set('disks', d)} />
      <Nets nets={form.nets} errors={errors} onChange={(n) => set('nets', n)} />
      <Env env={form.env} errors={errors} onChange={(e) => set('env', e)} />
    </fieldset>
  );
}

function Disks({ disks, errors, images, onChange }: { disks: DiskRow[]; errors: FieldErrors; images: string[]; onChange: (d: DiskRow[]) => void }) {
  return (
    <div className="rows">
      <span className="label">Disks (-r) and CDs (-c) — the first is the boot disk</span>
      <datalist id="library-images">{images.map((n) => <option key={n} value={n} />)}</datalist>
      {disks.map((d, i) => (
        <Field key={i} label={`${d.kind}${disks.slice(0, i).filter((x) => x.kind === d.kind).length}`} error={errors[`disk.${i}`]} testid={`disk-${i}`}>
          <span className="inline">
            <select value={d.kind} onChange={(e) => onChange(replace(disks, i, { ...d, kind: e.target.value as DiskRow['kind'] }))}>
              <option value="vkd">-r disk</option>
              <option value="vcd">-c CD</option>
            </select>
            <input data-testid={`disk-${i}`} list="library-images" placeholder="image name or URL" value={d.path}
              onChange={(e) => onChange(replace(disks, i, { ...d, path: e.target.value }))} />
            {d.kind === 'vkd' && (
              <input placeholder="serial" className="mid" value={d.serno} onChange={(e) => onChange(replace(disks, i, { ...d, serno: e.target.value }))} />
            )}
            <button aria-label="remove disk" onClick={() => onChange(disks.filter((_, j) => j !== i))}>✕</button>
          </span>
        </Field>
      ))}
      {errors.disks && <span className="error" role="alert">{errors.disks}</span>}
      <span className="inline">
        <button onClick={() => onChange([...disks, { kind: 'vkd', path: '', serno: '' }])}>+ disk</button>
        <button onClick={() => onChange([...disks, { kind: 'vcd', path: '', serno: '' }])}>+ CD</button>
      </span>
    </div>
  );
}

function Nets({ nets, errors, onChange }: { nets: NetRow[]; errors: FieldErrors; onChange: (n: NetRow[]) => void }) {
  const edit = (i: number, k: keyof NetRow, v: string): void => onChange(replace(nets, i, { ...nets[i], [k]: v }));
  return (
    <div className="rows">
      <span className="label">Network interfaces (-I)</span>
      {nets.map((n, i) => (
        <Field key={i} label={`vke${i}`} error={errors[`net.${i}`]} testid={`net-${i}`}>
          <span className="inline">
            <input data-testid={`net-${i}-iface`} placeholder="wss://relay/ or auto" value={n.iface} onChange={(e) => edit(i, 'iface', e.target.value)} />
            <input placeholder="address or bridgeN" className="mid" value={n.addr1} onChange={(e) => edit(i, 'addr1', e.target.value)} />
            <input placeholder="guest address" className="mid" value={n.addr2} onChange={(e) => edit(i, 'addr2', e.target.value)} />
            <input placeholder="/len" className="short" value={n.netmask} onChange={(e) => edit(i, 'netmask', e.target.value)} />
            <input placeholder="MAC" className="mid" value={n.mac} onChange={(e) => edit(i, 'mac', e.target.value)} />
            <button aria-label="remove interface" onClick={() => onChange(nets.filter((_, j) => j !== i))}>✕</button>
          </span>
        </Field>
      ))}
      {errors.nets && <span className="error" role="alert">{errors.nets}</span>}
      <button onClick={() => onChange([...nets, { iface: 'auto', addr1: '', addr2: '', netmask: '', mac: '' }])}>+ interface</button>
    </div>
  );
}

function Env({ env, errors, onChange }: { env: string[]; errors: FieldErrors; onChange: (e: string[]) => void }) {
  return (
    <div className="rows">
      <span className="label">Environment (-e)</span>
      {env.map((v, i) => (
        <Field key={i} label="" error={errors[`env.${i}`]} testid={`env-${i}`}>
          <span className="inline">
            <input data-testid={`env-${i}`} placeholder="name=value" value={v} onChange={(e) => onChange(replace(env, i, e.target.value))} />
            <button aria-label="remove variable" onClick={() => onChange(env.filter((_, j) => j !== i))}>✕</button>
          </span>
        </Field>
      ))}
      <button onClick={() => onChange([...env, ''])}>+ variable</button>
    </div>
  );
}

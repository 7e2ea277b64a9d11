/*
 * The image library: what IndexedDB holds, with upload (picker or drop,
 * streamed with progress, speed and cancel), download, rename, delete,
 * "New disk", "Import files" (files or a folder from the user's computer,
 * picked or dropped, copied into a new UFS disk), "Reset disk" for
 * copy-on-write overlays, whether a kernel holds each image, and the
 * browser's storage quota.
 */
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { deleteImage, heldImageIds, listImages, renameImage, resetOverlay, type ImageMeta } from '../../workers/idb_store.ts';
import { downloadImage, importFiles, newDisk, uploadFile, type ImportEntry, type Progress } from '../library.ts';
import { formatBytes, parseSize } from './format.ts';
import { machine } from '../machine.ts';

interface Props {
  onUse: (meta: ImageMeta) => void;
  onChanged: (names: string[]) => void;
}

interface Job {
  label: string;
  progress: Progress;
  abort?: AbortController;
}

export function Library({ onUse, onChanged }: Props) {
  const [images, setImages] = useState<ImageMeta[]>([]);
  const [held, setHeld] = useState<Set<string>>(new Set());
  const [job, setJob] = useState<Job | null>(null);
  const [message, setMessage] = useState('');
  const [quota, setQuota] = useState('');
  const [drag, setDrag] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const importFilesInput = useRef<HTMLInputElement>(null);
  const importDirInput = useRef<HTMLInputElement>(null);

  const refresh = useCallback(async () => {
    const list = await listImages();
    setImages(list);
    onChanged(list.map((m) => m.name));
    setHeld(await heldImageIds().catch(() => new Set<string>()));
    const est = await navigator.storage?.estimate?.().catch(() => null);
    if (est?.quota) setQuota(`${formatBytes(est.usage ?? 0)} used of ${formatBytes(est.quota)}`);
  }, [onChanged]);

  useEffect(() => {
    void refresh();
    /* Ask once that the browser not evict the library under storage pressure. */
    void navigator.storage?.persist?.().catch(() => false);
    const t = setInterval(() => void refresh(), 3000);
    /* Booting and halting take and release images: show it at once. */
    const unsubscribe = machine.subscribe(() => void refresh());
    return () => {
      clearInterval(t);
      unsubscribe();
    };
  }, [refresh]);

  const upload = async (files: FileList | File[]): Promise<void> => {
    for (const file of Array.from(files)) {
      const abort = new AbortController();
      const start: Progress = { done: 0, total: file.size, bytesPerSec: 0 };
      setJob({ label: `Uploading ${file.name}`, progress: start, abort });
      try {
        const meta = await uploadFile(file, (p) => setJob({ label: `Uploading ${file.name}`, progress: p, abort }), abort.signal);
        setMessage(`Uploaded ${meta.name} (${formatBytes(meta.size)})`);
      } catch (e) {
        setMessage(e instanceof DOMException && e.name === 'AbortError' ? `Upload of ${file.name} cancelled` : `Upload failed: ${String(e)}`);
      }
      setJob(null);
      await refresh();
    }
  };

  const importInto = async (entries: ImportEntry[], name: string): Promise<void> => {
    if (entries.length === 0) return;
    const abort = new AbortController();
    const label = `Importing ${entries.length} file${entries.length === 1 ? '' : 's'} into ${name}`;
    setJob({ label, progress: { done: 0, total: 0, bytesPerSec: 0 }, abort });
    try {
      const meta = await importFiles(name, entries, (p) => setJob({ label, progress: p, abort }), abort.signal);
      setMessage(`Imported ${entries.length} file${entries.length === 1 ? '' : 's'} into ${meta.name} (${formatBytes(meta.size)}, UFS1 on s1a)`);
    } catch (e) {
      setMessage(e instanceof DOMException && e.name === 'AbortError' ? 'Import cancelled' : `Import failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    setJob(null);
    await refresh();
  };

  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    setDrag(false);
    /* A dropped folder is imported into a new disk; dropped files are images to upload. */
    const roots = Array.from(e.dataTransfer.items).map((i) => i.webkitGetAsEntry?.()).filter((x): x is FileSystemEntry => !!x);
    const folder = roots.find((r) => r.isDirectory);
    if (folder) void droppedEntries(roots).then((entries) => importInto(entries, `${folder.name}.img`));
    else if (e.dataTransfer.files.length) void upload(e.dataTransfer.files);
  };

  return (
    <section className={`library${drag ? ' drag' : ''}`} data-testid="library"
      onDragOver={(e) => { e.preventDefault(); setDrag(true); }} onDragLeave={() => setDrag(false)} onDrop={onDrop}>
      <h2>Image library</h2>
      <div className="inline">
        <button onClick={() => fileInput.current?.click()}>Upload…</button>
        <input ref={fileInput} data-testid="upload" type="file" multiple hidden
          onChange={(e) => { if (e.target.files) void upload(e.target.files); e.target.value = ''; }} />
        <NewDisk onDone={async (msg) => { setMessage(msg); await refresh(); }} />
        <button onClick={() => importFilesInput.current?.click()} title="copy files into a new UFS disk">Import files…</button>
        <button onClick={() => importDirInput.current?.click()} title="copy a folder into a new UFS disk">Import folder…</button>
        <input ref={importFilesInput} data-testid="import-files" type="file" multiple hidden
          onChange={(e) => { const f = e.target.files; if (f) void importInto(pickedEntries(f), 'files.img'); e.target.value = ''; }} />
        <input ref={importDirInput} data-testid="import-folder" type="file" multiple hidden
          {...{ webkitdirectory: '' }}
          onChange={(e) => { const f = e.target.files; if (f) void importInto(pickedEntries(f), folderImageName(f)); e.target.value = ''; }} />
      </div>
      <p className="hint">Drop disk images or ISOs here, or a folder to import it into a new disk. {quota && <span data-testid="quota">Storage: {quota}.</span>}</p>
      {job && (
        <div className="progress" data-testid="progress">
          {job.label}: <progress max={job.progress.total || 1} value={job.progress.done} />{' '}
          {formatBytes(job.progress.done)} / {formatBytes(job.progress.total)} at {formatBytes(job.progress.bytesPerSec)}/s{' '}
          {job.abort && <button onClick={() => job.abort?.abort()}>Cancel</button>}
        </div>
      )}
      {message && <p className="message" data-testid="library-message">{message}</p>}
      <table>
        <thead><tr><th>Name</th><th>Size</th><th>Kind</th><th>Modified</th><th /></tr></thead>
        <tbody>
          {images.map((m) => (
            <ImageRow key={m.id} meta={m} inUse={held.has(m.id)} onUse={onUse} onJob={setJob}
              onDone={async (msg) => { if (msg) setMessage(msg); await refresh(); }} />
          ))}
          {images.length === 0 && <tr><td colSpan={5} className="hint">No images yet.</td></tr>}
        </tbody>
      </table>
    </section>
  );
}

function ImageRow({ meta, inUse, onUse, onJob, onDone }: {
  meta: ImageMeta; inUse: boolean; onUse: (m: ImageMeta) => void; onJob: (j: Job | null) => void; onDone: (msg: string) => Promise<void>;
}) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  /* False when fn failed (its message is shown): a refused rename keeps its field open. */
  const act = async (fn: () => Promise<unknown>, msg: string): Promise<boolean> => {
    try {
      await fn();
      await onDone(msg);
      return true;
    } catch (e) {
      await onDone(e instanceof Error ? e.message : String(e));
      return false;
    }
  };
  return (
    <tr data-testid="image-row" data-name={meta.name}>
      <td>
        {renaming !== null ? (
          <span className="inline">
            <input data-testid="rename-input" value={renaming} autoFocus onChange={(e) => setRenaming(e.target.value)}
              onKeyDown={(e) => { if (e.key === 'Enter') void act(() => renameImage(meta.id, renaming.trim()), `Renamed to ${renaming.trim()}`).then((ok) => { if (ok) setRenaming(null); }); if (e.key === 'Escape') setRenaming(null); }} />
          </span>
        ) : (
          <span data-testid="image-name">{meta.name}</span>
        )}
        {inUse && <span className="badge" title="a running kernel holds it">in use</span>}
        {meta.baseUrl && <span className="badge" title={meta.baseUrl}>overlay</span>}
      </td>
      <td data-testid="image-size">{formatBytes(meta.size)}</td>
      <td>{meta.kind}</td>
      <td>{new Date(meta.modified).toLocaleString()}</td>
      <td className="actions">
        {/* A memory image (-i, saved at halt) is for downloading, not for booting from. */}
        {meta.kind !== 'memimg' && <button onClick={() => onUse(meta)} title={meta.kind === 'iso' ? 'add as -c' : 'add as -r'}>{meta.kind === 'iso' ? '+ -c' : '+ -r'}</button>}
        <button onClick={() => void act(() => downloadImage(meta, (p) => onJob({ label: `Downloading ${meta.name}`, progress: p })).finally(() => onJob(null)), '')}>Download</button>
        <button onClick={() => setRenaming(meta.name)}>Rename</button>
        {meta.baseUrl && <button disabled={inUse} onClick={() => void act(() => resetOverlay(meta.id), `Reset ${meta.name} to its base image`)}>Reset disk</button>}
        {confirming ? (
          <span className="confirm">
            Delete {meta.name}?{' '}
            <button data-testid="delete-confirm" onClick={() => void act(() => deleteImage(meta.id), `Deleted ${meta.name}`)}>Delete</button>
            <button onClick={() => setConfirming(false)}>Cancel</button>
          </span>
        ) : (
          <button disabled={inUse} onClick={() => setConfirming(true)}>Delete</button>
        )}
      </td>
    </tr>
  );
}

function NewDisk({ onDone }: { onDone: (msg: string) => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('disk.img');
  const [size, setSize] = useState('64m');
  const [format, setFormat] = useState(true);
  const [busy, setBusy] = useState(false);
  if (!open) return <button onClick={() => setOpen(true)}>New disk…</button>;
  const bytes = parseSize(size);
  return (
    <span className="inline newdisk">
      <input aria-label="new disk name" value={name} onChange={(e) => setName(e.target.value)} />
      <input aria-label="new disk size" className="mid" value={size} onChange={(e) => setSize(e.target.value)} />
      <label><input type="checkbox" checked={format} onChange={(e) => setFormat(e.target.checked)} /> UFS1 (MBR + disklabel)</label>
      <button disabled={busy || !(bytes > 0)} onClick={async () => {
        setBusy(true);
        try {
          const m = await newDisk(name.trim(), bytes, format);
          await onDone(`Created ${m.name} (${formatBytes(m.size)})${format ? ', UFS1 on s1a' : ''}`);
          setOpen(false);
        } catch (e) {
          await onDone(e instanceof Error ? e.message : String(e));
        }
        setBusy(false);
      }}>Create</button>
      <button onClick={() => setOpen(false)}>Cancel</button>
    </span>
  );
}

/** Picked files: a folder's keep their place under it (webkitRelativePath), others go to the top. */
function pickedEntries(files: FileList): ImportEntry[] {
  return Array.from(files).map((file) => {
    const rel = file.webkitRelativePath;
    /* The folder's own name is the image's; its contents go to the disk's root. */
    return { path: rel ? rel.slice(rel.indexOf('/') + 1) : file.name, file };
  });
}

function folderImageName(files: FileList): string {
  const rel = files[0]?.webkitRelativePath ?? '';
  return `${rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : 'folder'}.img`;
}

/** Walk dropped entries (FileSystem API): a folder's files keep their paths below it. */
async function droppedEntries(roots: FileSystemEntry[]): Promise<ImportEntry[]> {
  const out: ImportEntry[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push({ path: prefix + entry.name, file });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    /* readEntries returns the listing in batches until an empty one. */
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
    }
  };
  /* One dropped folder: its contents go to the disk's root. */
  if (roots.length === 1 && roots[0].isDirectory) {
    const reader = (roots[0] as FileSystemDirectoryEntry).createReader();
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, '');
    }
    return out;
  }
  for (const r of roots) await walk(r, '');
  return out;
}

/** Resident memory of the workerd processes under `wrangler dev`, read from Linux's /proc. */
import { readFile, readdir } from "node:fs/promises";

interface ProcessInfo {
  pid: number;
  parentPid: number;
  name: string;
}

async function readProcess(pid: number): Promise<ProcessInfo | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // The name is in parentheses and may itself contain spaces or parentheses.
    const nameEnd = stat.lastIndexOf(")");
    const name = stat.slice(stat.indexOf("(") + 1, nameEnd);
    const fields = stat.slice(nameEnd + 2).split(" ");
    return { pid, parentPid: Number(fields[1]), name };
  } catch {
    return undefined;
  }
}

/** Returns the pids of every workerd process that descends from `rootPid`. */
export async function workerdPids(rootPid: number): Promise<number[]> {
  const entries = await readdir("/proc");
  const processes = (await Promise.all(entries.filter((entry) => /^\d+$/.test(entry)).map((entry) => readProcess(Number(entry))))).filter(
    (info): info is ProcessInfo => info !== undefined,
  );
  const children = new Map<number, ProcessInfo[]>();
  for (const info of processes) children.set(info.parentPid, [...(children.get(info.parentPid) ?? []), info]);

  const found: number[] = [];
  const queue = [...(children.get(rootPid) ?? [])];
  while (queue.length > 0) {
    const info = queue.shift()!;
    if (info.name.includes("workerd")) found.push(info.pid);
    queue.push(...(children.get(info.pid) ?? []));
  }
  return found;
}

/** Returns the summed VmRSS of `pids` in bytes; processes that have exited count as 0. */
export async function rssBytes(pids: readonly number[]): Promise<number> {
  let total = 0;
  for (const pid of pids) {
    try {
      const status = await readFile(`/proc/${pid}/status`, "utf8");
      const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
      total += kilobytes !== undefined ? Number(kilobytes) * 1024 : 0;
    } catch {
      // The process exited between listing and reading.
    }
  }
  return total;
}

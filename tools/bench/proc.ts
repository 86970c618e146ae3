import { readdirSync, readFileSync } from 'node:fs';

/**
 * What the benches read from /proc (Linux): the CPU a process used and the processes of a server. Every process
 * measured runs on this machine.
 */

/** utime + stime of a process (all its threads), in ms (/proc counts clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU of every PostgreSQL process of this machine (the one the bench uses is local), in ms. */
export function postgresCpuMs(): number {
  let ms = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') ms += cpuMs(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return ms;
}

/** A server and its worker processes (with WEB_CONCURRENCY > 1). */
export function processTree(pid: number): number[] {
  const children = readdirSync(`/proc/${pid}/task`).flatMap((t) =>
    readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
  return [pid, ...children.flatMap(processTree)];
}

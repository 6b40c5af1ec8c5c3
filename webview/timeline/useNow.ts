// A clock for live displays (the run timer, running bars): ticks only while `running`, so an ended run's panel
// does no work at all.

import { useEffect, useState } from 'react';

export function useNow(running: boolean, intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [running, intervalMs]);
  return now;
}

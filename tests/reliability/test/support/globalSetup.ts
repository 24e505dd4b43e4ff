/** Removes the run's capture directory after the whole run (keep it with RELIABILITY_KEEP_LOGS=1). */
import { rmSync } from "node:fs";

export default function setup(): () => void {
  return () => {
    const dir = process.env.RELIABILITY_RUN_DIR_CREATED;
    if (dir && process.env.RELIABILITY_KEEP_LOGS !== "1") rmSync(dir, { recursive: true, force: true });
  };
}

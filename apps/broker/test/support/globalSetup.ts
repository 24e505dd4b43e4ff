/** Removes the run's log capture directory after the suite (keep it with BROKER_KEEP_LOGS=1). */
import { rmSync } from "node:fs";

export default function setup(): () => void {
  return () => {
    const dir = process.env.BROKER_LOG_DIR_CREATED;
    if (dir && process.env.BROKER_KEEP_LOGS !== "1") rmSync(dir, { recursive: true, force: true });
  };
}
